/* What `reach` and `diff` share (tools/cli/reach*.c, tools/cli/diff.c):
 * the plan of a reachability matrix (every caller of a scenario against
 * every service, at each way in), its pairs simulated one world each,
 * the JSON slices --shard writes and --merge joins (docs/reach-schema.json),
 * the formats, and the intents. */
#ifndef TOOLS_REACH_H
#define TOOLS_REACH_H

#include <glib.h>

#include "tools/cli/cli.h"

#define REACH_SCHEMA_VERSION 1
/* The most pairs a matrix holds (a pointer each, even in a slice). */
#define REACH_MAX_PAIRS 100000000u

/* A caller: a [service], [vm], [client] or [google-caller], or the
 * internet client reach adds when the scenario has no [client]. */
typedef struct {
  char *name;
  char *kind;                   /* service, vm, client, google-caller */
  char *project;                /* its project, or NULL (a client) */
} ReachCaller;

/* A way into a service (its run.app URL or a load balancer in front),
 * or into a managed instance (a connection check to its port). */
typedef struct {
  char *service;                /* the service's or instance's NAME */
  char *way;                    /* "run.app", "internal-alb NAME", ...,
                                   "tcp PORT" */
  char *url;
} ReachTarget;

/* Whether t is a managed instance's way in (a tcp:// URL). */
gboolean reach_target_is_tcp (const ReachTarget *t);

/* One cell: caller from against target to, as simulated. */
typedef struct {
  guint index;                  /* caller * n_targets + target */
  char *from, *to, *way, *url;
  char *outcome;                /* an outcome name, or "pending" */
  gint status;                  /* HTTP status, -1 for none */
  char *classified;             /* internal, external or NULL */
  char *cause;                  /* drop cause or NULL */
  char *decided_at;             /* hop kind or NULL */
  char *step;                   /* the deciding step in words, or NULL */
} ReachPair;

/* The matrix: callers, targets and the pairs (by index; NULL when this
 * slice did not run it). */
typedef struct {
  char *scenario;               /* the path as given */
  char *digest;                 /* of what decides the pairs */
  GPtrArray *callers;           /* ReachCaller * */
  GPtrArray *targets;           /* ReachTarget * */
  ReachPair **pairs;            /* n_callers * n_targets */
  guint n_pairs;
  guint shard, shards;          /* 1/1 for a whole matrix */
} ReachMatrix;

/* What the pairs are run with. */
typedef struct {
  guint count;                  /* requests per pair */
  gboolean id_token;            /* identity = id-token */
  ToolsCliEdits *edits;         /* --set, --unset, --seed (may be NULL) */
} ReachOptions;

/* The plan of path: the scenario text without its [traffic], [expect]
 * and [sweep] groups (plus an internet client when it has none) and the
 * matrix's callers and targets, no pair run yet. */
typedef struct {
  ReachMatrix *matrix;
  char *base;                   /* scenario text to add one traffic to */
  CloudRunEdits edits;
  ReachOptions options;
} ReachPlan;

ReachPlan *reach_plan_new (const char *path, const ReachOptions *options,
                           GError **error);
void reach_plan_free (ReachPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReachPlan, reach_plan_free)
/* The scenario text of pair index alone. */
char *reach_plan_pair_text (const ReachPlan *plan, guint index, gsize *len);

/* Runs the pairs of shard (1 to shards) of plan's matrix in this
 * process. */
gboolean reach_run_shard (ReachPlan *plan, guint shard, guint shards,
                          GError **error);
/* Runs every pair, over jobs processes of this program (each `reach
 * --shard I/N`) when jobs > 1. */
gboolean reach_run_all (ReachPlan *plan, const char *path, guint jobs,
                        GError **error);
/* Loads the pair again, keeping its first request, runs it and appends
 * its steps and (what_if) what would change it. */
gboolean reach_explain_pair (ReachPlan *plan, guint index, gboolean what_if,
                             GString *out, GError **error);

ReachMatrix *reach_matrix_new (void);
void reach_matrix_add_caller (ReachMatrix *m, const char *name,
                              const char *kind, const char *project);
void reach_matrix_add_target (ReachMatrix *m, const char *service,
                              const char *way, const char *url);
/* Allocates the pairs once the callers and targets are in. */
void reach_matrix_size (ReachMatrix *m);
void reach_matrix_free (ReachMatrix *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReachMatrix, reach_matrix_free)
void reach_pair_free (ReachPair *p);
/* The pair of caller from and way way into service to, or NULL. */
const ReachPair *reach_matrix_find (const ReachMatrix *m, const char *from,
                                    const char *to, const char *way);

/* Formats. */
typedef enum {
  REACH_FORMAT_TEXT, REACH_FORMAT_MARKDOWN, REACH_FORMAT_JSON,
  REACH_FORMAT_CSV, REACH_FORMAT_JUNIT,
} ReachFormat;

gboolean reach_format_parse (const char *command, const char *text,
                             gboolean table_only, ReachFormat *format);
/* A short cell: "int 200", "ext 404", "drop", "dns", "timeout". */
char *reach_cell (const ReachPair *p);
/* The matrix as JSON (a slice when shards > 1). */
void reach_render_json (const ReachMatrix *m, GString *out);
/* Text, markdown, CSV or JUnit; failed: per pair index, the intents it
 * violates (text, NULL-terminated) or NULL; for JUnit. */
void reach_render (const ReachMatrix *m, ReachFormat format,
                   char ***failed, GString *out);
/* Reads a JSON slice of file into a matrix; errors name the file. */
ReachMatrix *reach_matrix_from_json (const char *file, const char *data,
                                     gsize len, GError **error);
/* Joins the slices (each once, all of one matrix) into a whole one. */
ReachMatrix *reach_matrix_merge (GPtrArray *slices, GPtrArray *names,
                                 GError **error);
/* "delivered 200 internal at service (CAUSE)": what the pair came to;
 * describe_pair puts "FROM -> TO (WAY): " before it. */
void reach_describe_fate (const ReachPair *p, GString *out);
void reach_describe_pair (const ReachPair *p, GString *out);

/* Intents. */
typedef struct ReachIntents ReachIntents;
ReachIntents *reach_intents_load (const char *file, const ReachMatrix *m,
                                  GError **error);
void reach_intents_free (ReachIntents *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReachIntents, reach_intents_free)
/* Checks every intent: the violations as text onto report, each with
 * the pair's explanation when plan is not NULL; per pair index the
 * intents it violates (for JUnit). The number of intents violated. */
guint reach_intents_check (const ReachIntents *in, const ReachMatrix *m,
                           ReachPlan *plan, gboolean what_if,
                           GString *report, char ****failed);

#endif
