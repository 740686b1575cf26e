/* cloudrun-netsim: the command line. Subcommands run, check, explain,
 * keys, graph, sweep, import, reach and diff, one file each in
 * tools/cli/; exit status 0 success, 1 an expectation failed, 2 a usage
 * or scenario error (the message names file, group and key). An unknown
 * command gets a did-you-mean. */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tools/cli/cli.h"

#define EXIT_USAGE TOOLS_EXIT_USAGE

static const char usage_text[] =
  "Usage: cloudrun-netsim COMMAND [OPTION...]\n"
  "\n"
  "A packet-level simulator of Cloud Run networking: which egress, DNS,\n"
  "Private Google Access, NAT, connector or load balancer set-up makes a\n"
  "request internal, and where exactly it is lost otherwise.\n"
  "\n"
  "Commands:\n"
  "  run FILE [-o DIR] [--seed N] [--set GROUP.KEY=VALUE]...\n"
  "           [--unset GROUP.KEY]... [--quiet]\n"
  "      simulate, print the verdict table, write captures and reports\n"
  "  check FILE... [--set ...] [--unset ...] [--tap] [--junit FILE]\n"
  "      simulate and compare with the [expect] groups, one line per item\n"
  "  explain FILE --traffic NAME [--request N] [--seed N] [--set ...]\n"
  "           [--unset ...]\n"
  "      print one request's steps\n"
  "  keys [KIND]\n"
  "      document the scenario format from the key tables\n"
  "  graph FILE [--traffic NAME]\n"
  "      print the topology and each traffic's path (or one traffic's\n"
  "      path alone) as Graphviz DOT\n"
  "  sweep FILE (--list-runs | --run N | --jobs N | --collect DIR) [-o DIR]\n"
  "      run the cross product of the scenario's [sweep] group, write\n"
  "      summary.csv\n"
  "  import FILE... [-o SCENARIO.ini] [--quiet]\n"
  "      make a scenario from Cloud Asset Inventory exports, terraform\n"
  "      show -json or gcloud --format=json outputs\n"
  "  reach FILE... [--format text|markdown|json|csv|junit] [--intents FILE]\n"
  "           [--jobs N] [--shard I/N] | reach --merge SLICE.json...\n"
  "      every caller against every service, at each way in: a matrix\n"
  "  diff BEFORE AFTER [--format text|markdown|json]\n"
  "           [--fail-on regression|any|none]\n"
  "      the pairs whose verdict a change turns, and the settings changed\n"
  "\n"
  "Options: --help, --version. `cloudrun-netsim COMMAND --help` for more,\n"
  "with examples; `man cloudrun-netsim` for the whole story.\n"
  "Exit status: 0 success, 1 an expectation failed, 2 usage or scenario "
  "error.\n";

static const struct {
  const char *name;
  int (*main) (int argc, char **argv);
} commands[] = {
  { "run", tools_cmd_run },
  { "check", tools_cmd_check },
  { "explain", tools_cmd_explain },
  { "keys", tools_cmd_keys },
  { "graph", tools_cmd_graph },
  { "sweep", tools_cmd_sweep },
  { "import", tools_cmd_import },
  { "reach", tools_cmd_reach },
  { "diff", tools_cmd_diff },
};

/* The command's status, or 2 when what it printed could not all be
 * written (a full disk under a redirection, a closed pipe). */
static int
finish (int status)
{
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "cloudrun-netsim: standard output: cannot write: "
               "%s\n", g_strerror (errno));
      return EXIT_USAGE;
    }
  return status;
}

int
main (int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : NULL;
  const char *names[G_N_ELEMENTS (commands) + 1] = { NULL };
  const char *near;

  /* Help text in the terminal's own character set ("[OPTION…]" in a
   * UTF-8 locale); the outputs do not depend on it. */
  setlocale (LC_CTYPE, "");
  if (!cmd)
    {
      fputs (usage_text, stderr);
      return EXIT_USAGE;
    }
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0
      || strcmp (cmd, "help") == 0)
    {
      fputs (usage_text, stdout);
      return finish (0);
    }
  if (strcmp (cmd, "--version") == 0)
    {
      printf ("cloudrun-netsim %s (scenario format 1)\n", PACKAGE_VERSION);
      return finish (0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (cmd, commands[i].name) == 0)
        return finish (commands[i].main (argc - 1, argv + 1));
      names[i] = commands[i].name;
    }
  near = cloudrun_suggest (cmd, names);
  fprintf (stderr, "cloudrun-netsim: expected a command (run, check, "
           "explain, keys, graph, sweep, import, reach, diff), found "
           "'%s'%s%s%s\n", cmd,
           near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  return EXIT_USAGE;
}
