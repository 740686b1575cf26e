/* What the subcommands share (tools/cli/main.c, tools/cli/check.c): option
 * parsing with an "Examples:" block in --help, the scenario edits --set
 * and --unset that run, check and explain take, the exit statuses, and
 * how a load error is reported. */
#ifndef TOOLS_CLI_H
#define TOOLS_CLI_H

#include <glib.h>

#include "tools/session/run.h"

/* Exit statuses: 0 success. */
#define TOOLS_EXIT_EXPECT 1     /* an expectation item failed */
#define TOOLS_EXIT_USAGE 2      /* a usage, scenario or write error */

/* --set GROUP.KEY=VALUE and --unset GROUP.KEY, as given (both repeatable;
 * the loader applies every unset, then every set). */
typedef struct {
  char **sets;                  /* NULL-terminated or NULL; owned */
  char **unsets;                /* NULL-terminated or NULL; owned */
} ToolsCliEdits;

/* Parses the options of `cloudrun-netsim COMMAND` (args: the operands for
 * the usage line, examples: the --help description, entries: the
 * command's own options). With edits, --set and --unset are accepted
 * too. On a usage error prints it and returns FALSE (exit
 * TOOLS_EXIT_USAGE); --help prints and exits 0 as GOption does. */
gboolean tools_cli_parse (const char *command, const char *args,
                          const char *examples, GOptionEntry *entries,
                          ToolsCliEdits *edits, int *argc, char ***argv);
/* Points opt's sets and unsets at edits' (which must outlive opt). */
void tools_cli_edits_apply (const ToolsCliEdits *edits,
                            ToolsRunOptions *opt);
void tools_cli_edits_clear (ToolsCliEdits *edits);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ToolsCliEdits, tools_cli_edits_clear)

/* Prints "cloudrun-netsim: MESSAGE" on stderr, frees error, returns
 * TOOLS_EXIT_USAGE. */
int tools_cli_fail (GError *error);
/* out/STEM for the scenario file path (STEM: its name without the last
 * extension); newly allocated. */
char *tools_cli_default_out_dir (const char *path);

#endif
