/* `cloudrun-netsim explain FILE --traffic NAME`: one request's steps, and
 * the single setting changes that would change its fate. */
#include "tools/cli/cli.h"

#include <stdio.h>

#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
#define PGA "'subnet run-subnet.private-google-access=true'"
static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim explain " S05 " --traffic call-backend\n"
  "  cloudrun-netsim explain " S05 " --traffic call-backend \\\n"
  "      --request 3 --set " PGA;

int
tools_cmd_explain (int argc, char **argv)
{
  g_autofree char *traffic = NULL;
  g_auto (ToolsCliEdits) edits = { 0 };
  gint64 request = 1;
  gboolean no_what_if = FALSE;
  GOptionEntry entries[] = {
    { "traffic", 't', 0, G_OPTION_ARG_STRING, &traffic,
      "The [traffic NAME] to explain", "NAME" },
    { "request", 'r', 0, G_OPTION_ARG_INT64, &request,
      "Which request of it, from 1 (default 1)", "N" },
    { "no-what-if", 0, 0, G_OPTION_ARG_NONE, &no_what_if,
      "Skip re-simulating each single setting change", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &edits.seed,
      "Override the seed (0 to 18446744073709551615)", "N" },
    { NULL },
  };
  CloudRunEdits ed;
  g_autoptr (CloudRunSession) s = NULL;
  GError *error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint t, n;

  if (!tools_cli_parse ("explain", "FILE", examples, entries, &edits,
                        &argc, &argv))
    return TOOLS_EXIT_USAGE;
  if (argc != 2 || !traffic)
    {
      fprintf (stderr, "cloudrun-netsim explain: expected FILE and "
               "--traffic NAME\n");
      return TOOLS_EXIT_USAGE;
    }
  if (!tools_cli_edits ("explain", &edits, &ed))
    return TOOLS_EXIT_USAGE;
  if (!(s = tools_cli_load (argv[1], &ed, &error)))
    return tools_cli_fail (error);
  if (!cloudrun_session_find_traffic (s, traffic, &t, &error))
    {
      fprintf (stderr, "cloudrun-netsim explain: %s\n", error->message);
      g_error_free (error);
      return TOOLS_EXIT_USAGE;
    }
  n = cloudrun_session_traffic_requests (s, t);
  if (request < 1 || request > n)
    {
      fprintf (stderr, "cloudrun-netsim explain: %s: --request: expected a "
               "number from 1 to %u (traffic %s), found %" G_GINT64_FORMAT
               "\n", argv[1], n, traffic, request);
      return TOOLS_EXIT_USAGE;
    }
  /* Requests are freed as they finish; this one stays to be shown. */
  cloudrun_session_keep_request (s, t, (guint) request - 1);
  if (!tools_cli_run (s, NULL, NULL, 0, TRUE, &error))
    return tools_cli_fail (error);
  g_string_append_printf (out, "%s: traffic %s, request %" G_GINT64_FORMAT
                          " of %u\n", argv[1], traffic, request, n);
  cloudrun_session_render_steps (s, t, (guint) request - 1, out);
  if (!no_what_if)
    cloudrun_session_render_what_if (s, t, (guint) request - 1, out);
  fputs (out->str, stdout);
  return 0;
}
