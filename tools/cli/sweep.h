/* cloudrun-netsim sweep: the runs a scenario's [sweep] group declares
 * (docs/scenario-format.md, "[sweep]"; docs/ci.md, "Sweeps").
 *
 * Each key of [sweep] but seeds is a --set target (GROUP NAME.KEY as
 * --set takes it) with ';'-separated values; seeds = N runs every
 * combination with the seeds 1 to N. The runs are the cross product:
 * keys in file order, the last key varying fastest, seeds innermost,
 * numbered from 0. tools/cli/sweep-plan.c reads and checks the group and
 * numbers the runs, tools/cli/sweep-csv.c writes and merges summary.csv,
 * tools/cli/sweep.c is the command. */
#ifndef TOOLS_SWEEP_H
#define TOOLS_SWEEP_H

#include <glib.h>

#include "tools/cli/cli.h"

/* The most runs one sweep may have (values of every key multiplied, and
 * by the seeds). */
#define TOOLS_SWEEP_MAX_RUNS 100000u

typedef struct {
  char *target;                 /* "service backend.vpc-egress", as written */
  char **values;                /* NULL-terminated, stripped, owned */
  guint n_values;
} ToolsSweepParam;

/* A combination: one value per key, the same for every seed. */
typedef struct {
  guint64 seed;                 /* the scenario's seed with its sets (used
                                   when the sweep has no seeds key) */
  char **traffic;               /* the [traffic] NAMEs, in summary order */
} ToolsSweepCombo;

typedef struct {
  char *path;                   /* the scenario file */
  GPtrArray *params;            /* ToolsSweepParam *, file order */
  guint seeds;                  /* seeds = N; 0 when not written */
  guint n_combos;               /* product of the n_values */
  guint n_runs;                 /* n_combos * MAX (seeds, 1) */
  ToolsSweepCombo *combos;      /* n_combos, after tools_sweep_validate */
} ToolsSweep;

/* Reads [sweep] of path (which must load as a scenario first: the caller
 * has checked that). Errors name the file, [sweep] and the key (exit 2). */
gboolean tools_sweep_parse (ToolsSweep *sweep, const char *path,
                            GError **error);
/* Loads every value of every key alone, then every combination (fills
 * combos); the first that does not load is an error naming the file,
 * [sweep], the key and the value (or the run). */
gboolean tools_sweep_validate (ToolsSweep *sweep, GError **error);
/* The two halves of it: every value alone (and combos allocated), then
 * combination c alone (filling combos[c]). */
gboolean tools_sweep_validate_values (ToolsSweep *sweep, GError **error);
gboolean tools_sweep_validate_combo (ToolsSweep *sweep, guint combo,
                                     GError **error);
/* Run n's value index of each key (choices: params->len entries) and its
 * seed index (0 when the sweep has no seeds key). */
guint tools_sweep_decompose (const ToolsSweep *sweep, guint n,
                             guint *choices, guint *seed_index);
/* Run n's combination index. */
guint tools_sweep_combo (const ToolsSweep *sweep, guint n);
/* Run n's seed: 1 + its seed index, or its combination's seed. After
 * its combination is validated. */
guint64 tools_sweep_seed (const ToolsSweep *sweep, guint n);
/* Run n's --set edits "TARGET=VALUE", in key order (NULL-terminated). */
char **tools_sweep_sets (const ToolsSweep *sweep, guint n);
/* The --list-runs line of run n: "N\tseed=S\tTARGET=VALUE..." and '\n'. */
void tools_sweep_list_line (GString *out, const ToolsSweep *sweep, guint n);
void tools_sweep_clear (ToolsSweep *sweep);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ToolsSweep, tools_sweep_clear)

/* summary.csv (tools/cli/sweep-csv.c): the header; run n's rows (one per
 * traffic, from a finished run). */
void tools_sweep_csv_header (GString *out, const ToolsSweep *sweep);
void tools_sweep_csv_rows (GString *out, const ToolsSweep *sweep, guint n,
                           const CloudRunSession *session);
/* Merges DIR/run-N/summary.csv of every run into DIR/summary.csv, in run
 * order, after checking each against the sweep; failed: how many runs
 * had a failed expectation. An error names the run's file. */
gboolean tools_sweep_collect (const ToolsSweep *sweep, const char *dir,
                              guint *failed, GError **error);


#endif
