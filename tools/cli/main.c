/* cloudrun-netsim: the command line. Subcommands run, check
 * (tools/cli/check.c), explain, keys, graph and sweep (tools/cli/sweep.c); exit
 * status 0 success, 1 an expectation failed, 2 a usage or scenario error
 * (the message names file, group and key). An unknown command gets a
 * did-you-mean. */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "models/format/keys.h"
#include "models/format/scenario.h"
#include "models/world/config.h"
#include "sim/capture.h"
#include "tools/cli/check.h"
#include "tools/cli/cli.h"
#include "tools/cli/explain-whatif.h"
#include "tools/report/graph.h"
#include "tools/cli/interrupt.h"
#include "tools/session/output.h"
#include "tools/report/report.h"
#include "tools/session/run.h"
#include "tools/cli/sweep.h"
#include "sim/units.h"

#define EXIT_EXPECT TOOLS_EXIT_EXPECT
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
  "\n"
  "Options: --help, --version. `cloudrun-netsim COMMAND --help` for more,\n"
  "with examples; `man cloudrun-netsim` for the whole story.\n"
  "Exit status: 0 success, 1 an expectation failed, 2 usage or scenario "
  "error.\n";

/* --capture WHAT and --max-output SIZE. */
static gboolean
parse_capture (const char *command, const char *capture,
               const char *max_output, ToolsRunOptions *opt)
{
  /* trace (trace.pcapng) and links (pcap/) name what the files hold. */
  static const struct { const char *name; ToolsCapture what; } names[] = {
    { "all", TOOLS_CAPTURE_ALL }, { "trace", TOOLS_CAPTURE_PCAPNG },
    { "links", TOOLS_CAPTURE_PCAP }, { "none", TOOLS_CAPTURE_NONE },
    { "pcapng", TOOLS_CAPTURE_PCAPNG }, { "pcap", TOOLS_CAPTURE_PCAP },
  };
  gboolean known = capture == NULL;

  for (guint i = 0; capture && i < G_N_ELEMENTS (names); i++)
    if (strcmp (capture, names[i].name) == 0)
      {
        opt->capture = names[i].what;
        known = TRUE;
      }
  if (!known)
    {
      fprintf (stderr, "cloudrun-netsim %s: --capture: expected all, trace "
               "(trace.pcapng only), links (pcap/ only) or none, found "
               "'%s'\n", command, capture);
      return FALSE;
    }
  if (max_output && (sim_units_parse_size (max_output, &opt->max_output)
                     != SIM_UNITS_OK || opt->max_output == 0))
    {
      fprintf (stderr, "cloudrun-netsim %s: --max-output: expected a size "
               "above 0 such as 500MiB or 20GiB, found '%s'\n", command,
               max_output);
      return FALSE;
    }
  return TRUE;
}

/* --seed N: a whole number from 0 to 2^64 - 1, no sign, no spaces. */
static gboolean
parse_seed (const char *command, const char *text, ToolsRunOptions *opt)
{
  guint64 v;

  if (!text)
    return TRUE;
  if (!*text || strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL))
    {
      fprintf (stderr, "cloudrun-netsim %s: --seed: expected a whole number "
               "from 0 to %" G_GUINT64_FORMAT ", found '%s'\n", command,
               G_MAXUINT64, text);
      return FALSE;
    }
  opt->has_seed = TRUE;
  opt->seed = v;
  return TRUE;
}

/* The "Examples:" block of each command's --help (check's is in
 * tools/cli/check.c): real command lines on scenarios of scenarios/. */
#define S00 "scenarios/00-tour.ini"
#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
#define PGA "'subnet run-subnet.private-google-access=true'"
static const char run_examples[] =
  "Examples:\n"
  "  cloudrun-netsim run " S05 "\n"
  "  cloudrun-netsim run " S05 " \\\n"
  "      --set " PGA " -o out/05-with-pga\n"
  "  cloudrun-netsim run " S00 " --capture none --quiet";
static const char explain_examples[] =
  "Examples:\n"
  "  cloudrun-netsim explain " S05 " --traffic call-backend\n"
  "  cloudrun-netsim explain " S05 " --traffic call-backend \\\n"
  "      --request 3 --set " PGA;
static const char keys_examples[] =
  "Examples:\n"
  "  cloudrun-netsim keys\n"
  "  cloudrun-netsim keys service\n"
  "  cloudrun-netsim keys expect";
static const char graph_examples[] =
  "Examples:\n"
  "  cloudrun-netsim graph " S00 " > tour.dot\n"
  "  cloudrun-netsim graph " S05 " | dot -Tsvg > 05.svg\n"
  "  cloudrun-netsim graph " S00 " --traffic a-direct-all-no-pga"
  " | dot -Tpng > one.png";

static void
print_outputs (const ToolsRun *run, const ToolsRunOptions *opt,
               const char *dir)
{
  static const char *const captures[] = {
    "trace.pcapng, pcap/*.pcap (and pcap/" SIM_CAPTURE_KEYLOG_NAME
    " when there was TLS), ", "trace.pcapng, ",
    "pcap/*.pcap (and pcap/" SIM_CAPTURE_KEYLOG_NAME " when there was TLS), ",
    "",
  };
  const CloudRunScenario *sc = run->scenario;

  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunService *s = g_ptr_array_index (sc->services, i);
      printf ("service %s: %s  %s\n", s->base.name, s->url, s->number_url);
    }
  printf ("\noutputs in %s/: %sreport.html, report.txt, report.json, "
          "%stopology.dot (.svg with Graphviz)\n", dir, captures[opt->capture],
          opt->no_requests ? "" : "requests.jsonl, ");
}

/* After a signal stopped a run and what it staged is removed: says so
 * and dies of the same signal. */
static void
interrupted (const char *dir, GError *error, gboolean committed)
{
  int signo = tools_interrupt_caught ();

  g_clear_error (&error);
  fprintf (stderr, "cloudrun-netsim: %s: interrupted by %s; %s\n", dir,
           signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM"
           : signo == SIGHUP ? "SIGHUP" : "a signal",
           committed ? "the outputs were complete already"
           : "nothing of this run was kept");
  tools_interrupt_reraise ();
}

/* Says which staging directories of killed runs begin removed, and which
 * it could not remove. */
static gboolean
note_stale (const ToolsOutput *out)
{
  for (guint i = 0; i < out->stale->len; i++)
    fprintf (stderr, "cloudrun-netsim: %s/%s: removed the staging directory "
             "of an interrupted run\n", out->dir,
             (const char *) g_ptr_array_index (out->stale, i));
  for (guint i = 0; i < out->stale_kept->len; i++)
    fprintf (stderr, "cloudrun-netsim: %s/%s: could not remove the staging "
             "directory of an interrupted run (remove it by hand)\n",
             out->dir, (const char *) g_ptr_array_index (out->stale_kept, i));
  return TRUE;
}

static int
cmd_run (int argc, char **argv)
{
  g_autofree char *out_dir = NULL;
  g_auto (ToolsCliEdits) edits = { 0 };
  g_autofree char *seed = NULL;
  gboolean quiet = FALSE;
  g_autofree char *capture = NULL;
  g_autofree char *max_output = NULL;
  gboolean no_requests = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Write outputs into DIR (default out/SCENARIO)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      "Override the seed (0 to 18446744073709551615)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress, no table",
      NULL },
    { "capture", 0, 0, G_OPTION_ARG_STRING, &capture,
      "Which captures to write: all (default), trace (trace.pcapng), links "
      "(pcap/) or none", "WHAT" },
    { "max-output", 0, 0, G_OPTION_ARG_STRING, &max_output,
      "Refuse a capture estimated past SIZE (default 2GiB)", "SIZE" },
    { "no-requests", 0, 0, G_OPTION_ARG_NONE, &no_requests,
      "Do not write requests.jsonl (one line per request)", NULL },
    { NULL },
  };
  ToolsRunOptions opt = { 0 };
  ToolsRun run;
  ToolsOutput out = { 0 };
  GError *error = NULL;
  g_autoptr (GString) table = g_string_new (NULL);
  ToolsReport rep;
  int status;

  if (!tools_cli_parse ("run", "FILE", run_examples, entries, &edits, &argc,
                        &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "cloudrun-netsim run: expected one scenario FILE, "
               "found %d arguments\n", argc - 1);
      return EXIT_USAGE;
    }
  opt = (ToolsRunOptions) { .path = argv[1], .quiet = quiet,
                            .no_requests = no_requests };
  tools_cli_edits_apply (&edits, &opt);
  if (!parse_seed ("run", seed, &opt)
      || !parse_capture ("run", capture, max_output, &opt))
    return EXIT_USAGE;
  if (!out_dir)
    out_dir = tools_cli_default_out_dir (argv[1]);
  tools_interrupt_install ();
  if (!tools_run_load (&run, &opt, &error)
      || !tools_run_check_capture_size (&run, &opt, &error)
      || !tools_output_begin (&out, out_dir, &error)
      || !note_stale (&out)
      || !tools_run_execute (&run, &opt, &out, &error)
      || !tools_run_write_reports (&run, &out, &error)
      || tools_interrupt_caught ()
      || !tools_output_commit (&out, &error))
    {
      tools_output_clear (&out);
      tools_run_clear (&run);
      if (tools_interrupt_caught ())
        interrupted (out_dir, error, FALSE);
      return tools_cli_fail (error);
    }
  if (tools_interrupt_caught ())
    {
      tools_output_clear (&out);
      tools_run_clear (&run);
      interrupted (out_dir, NULL, TRUE);
    }
  if (run.graph_warning)
    fprintf (stderr, "cloudrun-netsim: warning: %s/topology.svg not drawn: "
             "%s; the other outputs are written\n", out_dir,
             run.graph_warning);
  rep = (ToolsReport) { run.scenario, run.world, run.summaries, run.checks,
                        run.events };
  if (!quiet)
    {
      tools_report_table (table, &rep);
      printf ("%s: %s\n\n%s\n", run.scenario->path, run.scenario->title,
              table->str);
      print_outputs (&run, &opt, out_dir);
    }
  status = cloudrun_expect_failures (run.checks) ? EXIT_EXPECT : 0;
  if (status && !quiet)
    printf ("%u expectation item(s) failed: see report.txt\n",
            cloudrun_expect_failures (run.checks));
  tools_output_clear (&out);
  tools_run_clear (&run);
  return status;
}

static int
cmd_explain (int argc, char **argv)
{
  g_autofree char *traffic = NULL;
  g_auto (ToolsCliEdits) edits = { 0 };
  g_autofree char *seed = NULL;
  gint64 request = 1;
  gboolean no_what_if = FALSE;
  GOptionEntry entries[] = {
    { "traffic", 't', 0, G_OPTION_ARG_STRING, &traffic,
      "The [traffic NAME] to explain", "NAME" },
    { "request", 'r', 0, G_OPTION_ARG_INT64, &request,
      "Which request of it, from 1 (default 1)", "N" },
    { "no-what-if", 0, 0, G_OPTION_ARG_NONE, &no_what_if,
      "Skip re-simulating each single setting change", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      "Override the seed (0 to 18446744073709551615)", "N" },
    { NULL },
  };
  ToolsRunOptions opt = { 0 };
  ToolsRun run;
  GError *error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint t;

  if (!tools_cli_parse ("explain", "FILE", explain_examples, entries, &edits,
                        &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !traffic)
    {
      fprintf (stderr, "cloudrun-netsim explain: expected FILE and "
               "--traffic NAME\n");
      return EXIT_USAGE;
    }
  opt = (ToolsRunOptions) { .path = argv[1], .quiet = TRUE };
  tools_cli_edits_apply (&edits, &opt);
  if (!parse_seed ("explain", seed, &opt))
    return EXIT_USAGE;
  if (!tools_run_load (&run, &opt, &error))
    {
      tools_run_clear (&run);
      return tools_cli_fail (error);
    }
  for (t = 0; t < run.world->n_plans; t++)
    if (strcmp (run.world->plans[t].name, traffic) == 0)
      break;
  if (t == run.world->n_plans)
    {
      g_autofree const char **names = g_new0 (const char *,
                                              run.world->n_plans + 1);
      const char *near;
      for (guint k = 0; k < run.world->n_plans; k++)
        names[k] = run.world->plans[k].name;
      near = cloudrun_suggest (traffic, names);
      fprintf (stderr, "cloudrun-netsim explain: %s: --traffic: expected the "
               "NAME of a [traffic] group, found '%s'%s%s%s\n", argv[1],
               traffic, near ? "; did you mean '" : "", near ? near : "",
               near ? "'?" : "");
      tools_run_clear (&run);
      return EXIT_USAGE;
    }
  if (request < 1 || request > run.world->plans[t].count)
    {
      fprintf (stderr, "cloudrun-netsim explain: %s: --request: expected a "
               "number from 1 to %u (traffic %s), found %" G_GINT64_FORMAT
               "\n", argv[1], run.world->plans[t].count, traffic, request);
      tools_run_clear (&run);
      return EXIT_USAGE;
    }
  /* Requests are freed as they finish; this one stays to be shown. */
  cloudrun_ledger_keep (&run.world->ledger, run.world->plans[t].first_request
                                            + (uint32_t) request - 1);
  if (!tools_run_execute (&run, &opt, NULL, &error))
    {
      tools_run_clear (&run);
      return tools_cli_fail (error);
    }
  g_string_append_printf (out, "%s: traffic %s, request %" G_GINT64_FORMAT
                          " of %u\n", argv[1], traffic, request,
                          run.world->plans[t].count);
  tools_report_steps (out, run.world,
                      run.world->plans[t].first_request + (uint32_t) request - 1,
                      "");
  if (!no_what_if)
    tools_explain_what_if (out, &opt, &run, t, (uint32_t) request - 1);
  fputs (out->str, stdout);
  tools_run_clear (&run);
  return 0;
}

static int
cmd_graph (int argc, char **argv)
{
  g_autofree char *traffic = NULL;
  GOptionEntry entries[] = {
    { "traffic", 't', 0, G_OPTION_ARG_STRING, &traffic,
      "Draw only this [traffic NAME]'s path", "NAME" },
    { NULL },
  };
  ToolsRunOptions opt = { 0 };
  ToolsRun run;
  GError *error = NULL;
  g_autoptr (GString) dot = g_string_new (NULL);

  if (!tools_cli_parse ("graph", "FILE", graph_examples, entries, NULL,
                        &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "cloudrun-netsim graph: expected one scenario FILE\n");
      return EXIT_USAGE;
    }
  opt = (ToolsRunOptions) { .path = argv[1], .quiet = TRUE };
  if (!tools_run_load (&run, &opt, &error))
    {
      tools_run_clear (&run);
      return tools_cli_fail (error);
    }
  if (traffic && !cloudrun_scenario_find (run.scenario, CLOUDRUN_KIND_TRAFFIC,
                                          traffic))
    {
      fprintf (stderr, "cloudrun-netsim graph: %s: --traffic: expected the "
               "NAME of a [traffic] group, found '%s'\n", argv[1], traffic);
      tools_run_clear (&run);
      return EXIT_USAGE;
    }
  if (!tools_run_execute (&run, &opt, NULL, &error))
    {
      tools_run_clear (&run);
      return tools_cli_fail (error);
    }
  tools_graph_dot_traffic (dot, run.scenario, run.world, run.summaries,
                           traffic);
  fputs (dot->str, stdout);
  tools_run_clear (&run);
  return 0;
}

/* Which drop-cause values a run can show; the others load so that
 * expectations copied from Connectivity Tests results stay valid. */
static void
keys_produced_causes (GString *out)
{
  size_t col = 6;

  g_string_append (out, "\n  drop-cause values this simulator produces (the "
                   "others never match):\n     ");
  for (int c = 1; c < CLOUDRUN_N_DROP_CAUSES; c++)
    {
      const char *name = cloudrun_drop_cause_name (c);
      if (col + strlen (name) + 2 > 78)
        {
          g_string_append (out, "\n     ");
          col = 6;
        }
      g_string_append_printf (out, " %s%s", name,
                              c + 1 < CLOUDRUN_N_DROP_CAUSES ? "," : "\n");
      col += strlen (name) + 2;
    }
}

static int
cmd_keys (int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr (GString) out = g_string_new (NULL);
  GError *error = NULL;

  if (!tools_cli_parse ("keys", "[KIND]", keys_examples, entries, NULL,
                        &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      fprintf (stderr, "cloudrun-netsim keys: expected at most one KIND\n");
      return EXIT_USAGE;
    }
  if (!cloudrun_keys_describe (out, argc == 2 ? argv[1] : NULL, &error))
    return tools_cli_fail (error);
  if (argc == 2 && strcmp (argv[1], "expect") == 0)
    keys_produced_causes (out);
  fputs (out->str, stdout);
  return 0;
}

static const struct {
  const char *name;
  int (*main) (int argc, char **argv);
} commands[] = {
  { "run", cmd_run },
  { "check", tools_check_main },
  { "explain", cmd_explain },
  { "keys", cmd_keys },
  { "graph", cmd_graph },
  { "sweep", tools_sweep_main },
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
           "explain, keys, graph, sweep), found '%s'%s%s%s\n", cmd,
           near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  return EXIT_USAGE;
}
