/* `cloudrun-netsim run FILE`: simulates, prints the verdict table and
 * writes the captures and reports into the output directory, all at once
 * (nothing of a failed or interrupted run is kept). */
#include "tools/cli/cli.h"

#include <signal.h>
#include <stdio.h>

#include "tools/cli/interrupt.h"

#define S00 "scenarios/00-tour.ini"
#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
#define PGA "'subnet run-subnet.private-google-access=true'"
static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim run " S05 "\n"
  "  cloudrun-netsim run " S05 " \\\n"
  "      --set " PGA " -o out/05-with-pga\n"
  "  cloudrun-netsim run " S00 " --capture none --quiet";

/* A revision under its service, as report.txt lists it. */
static void
print_revision (const CloudRunSession *s, guint service, guint k)
{
  const char *name, *tag, *host, *number_host;
  guint percent;

  cloudrun_session_revision (s, service, k, &name, &percent, &tag, &host,
                             &number_host);
  printf ("  revision %s: %u%%", name, percent);
  if (tag)
    printf (", tag %s: https://%s  https://%s", tag, host, number_host);
  printf ("\n");
}

static void
print_outputs (const CloudRunSession *s, const CloudRunOutputOptions *opt,
               const char *dir)
{
  static const char *const captures[] = {
    "trace.pcapng, pcap/*.pcap (and pcap/" CLOUDRUN_KEYLOG_NAME
    " when there was TLS), ", "trace.pcapng, ",
    "pcap/*.pcap (and pcap/" CLOUDRUN_KEYLOG_NAME " when there was TLS), ",
    "",
  };

  for (guint i = 0; i < cloudrun_session_n_services (s); i++)
    {
      const char *name, *url, *number_url;
      cloudrun_session_service (s, i, &name, &url, &number_url);
      printf ("service %s: %s  %s\n", name, url, number_url);
      for (guint k = 0; k < cloudrun_session_n_revisions (s, i); k++)
        print_revision (s, i, k);
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

int
tools_cmd_run (int argc, char **argv)
{
  g_autofree char *out_dir = NULL;
  g_auto (ToolsCliEdits) edits = { 0 };
  gboolean quiet = FALSE;
  g_autofree char *capture = NULL;
  g_autofree char *max_output = NULL;
  gboolean no_requests = FALSE;
  g_autofree char *capture_filter = NULL;
  g_autofree char *snaplen = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Write outputs into DIR (default out/SCENARIO)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &edits.seed,
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
    { "capture-filter", 0, 0, G_OPTION_ARG_STRING, &capture_filter,
      "Capture only the frames EXPR matches (tcpdump's filter syntax, "
      "pcap-filter(7)): 'tcp port 443 and host 10.0.0.2'", "EXPR" },
    { "snaplen", 0, 0, G_OPTION_ARG_STRING, &snaplen,
      "Keep at most N bytes of each captured frame (14 to 65535)", "N" },
    { NULL },
  };
  CloudRunEdits ed;
  CloudRunOutputOptions opt = { .capture = CLOUDRUN_CAPTURE_ALL };
  guint64 limit;
  g_autoptr (CloudRunSession) s = NULL;
  GError *error = NULL;
  g_autoptr (GString) table = g_string_new (NULL);
  guint failed;

  if (!tools_cli_parse ("run", "FILE", examples, entries, &edits, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "cloudrun-netsim run: expected one scenario FILE, "
               "found %d arguments\n", argc - 1);
      return TOOLS_EXIT_USAGE;
    }
  opt.no_requests = no_requests;
  opt.capture_filter = capture_filter;
  if (!tools_cli_edits ("run", &edits, &ed)
      || !tools_cli_capture ("run", capture, max_output, &opt, &limit))
    return TOOLS_EXIT_USAGE;
  if (snaplen && !tools_cli_snaplen ("run", snaplen, &opt))
    return TOOLS_EXIT_USAGE;
  if (!cloudrun_output_options_check (&opt, &error))
    {
      fprintf (stderr, "cloudrun-netsim run: %s\n", error->message);
      g_error_free (error);
      return TOOLS_EXIT_USAGE;
    }
  if (!out_dir)
    out_dir = tools_cli_default_out_dir (argv[1]);
  tools_interrupt_install ();
  if (!tools_cli_run_into (argv[1], &ed, out_dir, &opt, limit, quiet, NULL,
                           NULL, &s, &error))
    {
      if (tools_interrupt_caught ())
        interrupted (out_dir, error, FALSE);
      return tools_cli_fail (error);
    }
  if (tools_interrupt_caught ())
    interrupted (out_dir, NULL, TRUE);
  tools_cli_warn_graph (s, out_dir);
  failed = cloudrun_session_failures (s);
  if (!quiet)
    {
      cloudrun_session_render (s, CLOUDRUN_REPORT_TABLE, table, NULL);
      printf ("%s: %s\n\n%s\n", cloudrun_session_path (s),
              cloudrun_session_title (s), table->str);
      print_outputs (s, &opt, out_dir);
      if (failed)
        printf ("%u expectation item(s) failed: see report.txt\n", failed);
    }
  return failed ? TOOLS_EXIT_EXPECT : 0;
}
