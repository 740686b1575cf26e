/* What the subcommands share (the files of tools/cli/): option parsing with an
 * "Examples:" block in --help, the scenario edits --set, --unset and
 * --seed, --capture and --max-output, the exit statuses, how an error is
 * reported, and driving a session to its end with progress, signals and
 * the output limit. The command reaches the simulator only through the
 * door, tools/session/cloudrun-netsim.h. */
#ifndef TOOLS_CLI_H
#define TOOLS_CLI_H

#include <glib.h>

#include "tools/session/cloudrun-netsim.h"

/* Exit statuses: 0 success. */
#define TOOLS_EXIT_EXPECT 1     /* an expectation item failed */
#define TOOLS_EXIT_USAGE 2      /* a usage, scenario or write error */

/* The commands; argv[0] is the command's name. */
int tools_cmd_run (int argc, char **argv);
int tools_cmd_check (int argc, char **argv);
int tools_cmd_explain (int argc, char **argv);
int tools_cmd_keys (int argc, char **argv);
int tools_cmd_graph (int argc, char **argv);
int tools_cmd_sweep (int argc, char **argv);
int tools_cmd_import (int argc, char **argv);
int tools_cmd_reach (int argc, char **argv);
int tools_cmd_diff (int argc, char **argv);

/* --set GROUP.KEY=VALUE and --unset GROUP.KEY, as given (both repeatable;
 * the loader applies every unset, then every set), and --seed N. */
typedef struct {
  char **sets;                  /* NULL-terminated or NULL; owned */
  char **unsets;                /* NULL-terminated or NULL; owned */
  char *seed;                   /* --seed as given, or NULL; owned */
} ToolsCliEdits;

/* Parses the options of `cloudrun-netsim COMMAND` (args: the operands for
 * the usage line, examples: the --help description, entries: the
 * command's own options). With edits, --set and --unset are accepted
 * too. On a usage error prints it and returns FALSE (exit
 * TOOLS_EXIT_USAGE); --help prints and exits 0 as GOption does. */
gboolean tools_cli_parse (const char *command, const char *args,
                          const char *examples, GOptionEntry *entries,
                          ToolsCliEdits *edits, int *argc, char ***argv);
/* The door's edits from edits (which must outlive them); FALSE after
 * printing the error when --seed is not a whole number from 0 to 2^64-1. */
gboolean tools_cli_edits (const char *command, const ToolsCliEdits *edits,
                          CloudRunEdits *out);
void tools_cli_edits_clear (ToolsCliEdits *edits);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ToolsCliEdits, tools_cli_edits_clear)

/* --snaplen N (14 to 65535) into options; FALSE after printing the
 * error. */
gboolean tools_cli_snaplen (const char *command, const char *text,
                            CloudRunOutputOptions *options);
/* --capture WHAT and --max-output SIZE (either may be NULL) into options
 * and max_output (CLOUDRUN_OUTPUT_MAX_DEFAULT when not given); FALSE
 * after printing the error. */
gboolean tools_cli_capture (const char *command, const char *capture,
                            const char *max_output,
                            CloudRunOutputOptions *options,
                            guint64 *max_output_bytes);

/* Prints "cloudrun-netsim: MESSAGE" on stderr, frees error, returns
 * TOOLS_EXIT_USAGE. */
int tools_cli_fail (GError *error);
/* out/STEM for the scenario file path (STEM: its name without the last
 * extension); newly allocated. */
char *tools_cli_default_out_dir (const char *path);

/* Loads path with edits (messages name the file). */
CloudRunSession *tools_cli_load (const char *path, const CloudRunEdits *edits,
                                 GError **error);
/* An error naming the estimate and the ways out when the captures of
 * options would take more than max_output bytes. */
gboolean tools_cli_check_output_size (const CloudRunSession *s,
                                      const CloudRunOutputOptions *options,
                                      guint64 max_output, GError **error);
/* Runs a loaded session to its end (dir and options may be NULL: nothing
 * written) and finishes it: what the scenario cannot do as written goes
 * to stderr, and a progress line on a terminal unless quiet. FALSE with
 * error when it did not run: interrupted by a signal
 * (tools/cli/interrupt.h; G_IO_ERROR_CANCELLED), or its outputs passed
 * max_output (0: no limit). */
gboolean tools_cli_run (CloudRunSession *s, CloudRunOutputDir *dir,
                        const CloudRunOutputOptions *options,
                        guint64 max_output, gboolean quiet, GError **error);

/* The scenario to read for paths (n of them): paths[0] itself when it is
 * one scenario file; otherwise what `import` makes of them (JSON
 * configuration files, or directories of *.json), written into a new
 * temporary directory and named after paths[0], with what is not
 * modelled said on stderr. FALSE with error when they do not import;
 * clearing it removes the temporary file. */
typedef struct {
  char *path;                   /* the scenario file to read */
  char *tmp_dir;                /* the temporary directory, or NULL */
} ToolsCliScenario;

gboolean tools_cli_scenario_of (const char *const *paths, guint n,
                                ToolsCliScenario *scenario, GError **error);
void tools_cli_scenario_clear (ToolsCliScenario *scenario);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ToolsCliScenario, tools_cli_scenario_clear)

/* One more output of a run, written before the directory is committed. */
typedef gboolean (*ToolsCliExtra) (CloudRunSession *s, CloudRunOutputDir *dir,
                                   gpointer user, GError **error);

/* A whole run into an output directory, as `run` and each run of a sweep
 * make it: loads path with edits, refuses a capture estimated past
 * max_output, begins dir (saying on stderr which staging directories of
 * killed runs it removed), runs, writes the reports and extra's output
 * (extra may be NULL) and commits. On success *session is the finished
 * session; on failure nothing of the run is kept. */
gboolean tools_cli_run_into (const char *path, const CloudRunEdits *edits,
                             const char *dir,
                             const CloudRunOutputOptions *options,
                             guint64 max_output, gboolean quiet,
                             ToolsCliExtra extra, gpointer user,
                             CloudRunSession **session, GError **error);
/* The warning that topology.svg of dir was not drawn, when it was not. */
void tools_cli_warn_graph (const CloudRunSession *s, const char *dir);

#endif
