/* How a run's outputs were made, for every report to record: the
 * program's version, the scenario file and the SHA-256 of its bytes, the
 * seed and where it came from, the command line's overrides (--set,
 * --unset, --seed), every [assumptions] key in force with its source,
 * and the load warnings (settings that cannot take effect).
 * Made by the door from a loaded session; a copy travels with check
 * results (the session may be gone when JUnit is written). */
#ifndef TOOLS_PROVENANCE_H
#define TOOLS_PROVENANCE_H

#include <glib.h>

#include "models/format/scenario.h"

typedef struct {
  char *key;                    /* the [assumptions] key */
  char *value;                  /* in force, as a file would write it */
  const char *source;           /* "default", "file" or "--set" */
} ToolsAssumption;

typedef struct {
  char *program;                /* "cloudrun-netsim 0.1.0" */
  char *file;                   /* the scenario file as given */
  char *sha256;                 /* hex SHA-256 of its bytes */
  guint64 seed;
  const char *seed_source;      /* "--seed", "--set", "file" or
                                   "default" */
  GPtrArray *overrides;         /* char *: "--set GROUP.KEY=VALUE" in the
                                   order given, then "--unset GROUP.KEY",
                                   then "--seed N" */
  GArray *assumptions;          /* ToolsAssumption, in key table order */
  GPtrArray *warnings;          /* char *: cloudrun_scenario_warnings, in
                                   file order */
} ToolsProvenance;

/* From the loaded scenario sc, its text (len bytes) and the edits the
 * loader applied (sets and unsets as given, NULL-terminated or NULL). */
ToolsProvenance *tools_provenance_new (const CloudRunScenario *sc,
                                       const char *text, gsize len,
                                       const char *const *sets,
                                       const char *const *unsets,
                                       gboolean seed_given);
ToolsProvenance *tools_provenance_copy (const ToolsProvenance *p);
void tools_provenance_free (ToolsProvenance *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ToolsProvenance, tools_provenance_free)

/* Where the seed came from, in words: "the file's", "given by --seed". */
const char *tools_provenance_seed_source (const ToolsProvenance *p);
/* The overrides on one line, each as typed ("--set 'service
 * backend.ingress=all'" quoted for a shell when needed), or NULL when the
 * file ran as written. Free with g_free. */
char *tools_provenance_overrides (const ToolsProvenance *p);
/* The assumptions in force on one line: "key = value" each, a value not
 * the default followed by its source in parentheses. */
void tools_provenance_assumptions (GString *out, const ToolsProvenance *p);
/* report.txt's lines: program, digest and seed, overrides, assumptions,
 * one line per load warning. */
void tools_provenance_text (GString *out, const ToolsProvenance *p);

#endif
