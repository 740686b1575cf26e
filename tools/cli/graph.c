/* `cloudrun-netsim graph FILE`: the topology and each traffic's path (or
 * one traffic's alone) as Graphviz DOT on standard output. */
#include "tools/cli/cli.h"

#include <stdio.h>

#define S00 "scenarios/00-tour.ini"
#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim graph " S00 " > tour.dot\n"
  "  cloudrun-netsim graph " S05 " | dot -Tsvg > 05.svg\n"
  "  cloudrun-netsim graph " S00 " --traffic a-direct-all-no-pga"
  " | dot -Tpng > one.png";

int
tools_cmd_graph (int argc, char **argv)
{
  g_autofree char *traffic = NULL;
  GOptionEntry entries[] = {
    { "traffic", 't', 0, G_OPTION_ARG_STRING, &traffic,
      "Draw only this [traffic NAME]'s path", "NAME" },
    { NULL },
  };
  g_autoptr (CloudRunSession) s = NULL;
  GError *error = NULL;
  g_autoptr (GString) dot = g_string_new (NULL);
  guint t;

  if (!tools_cli_parse ("graph", "FILE", examples, entries, NULL, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "cloudrun-netsim graph: expected one scenario FILE\n");
      return TOOLS_EXIT_USAGE;
    }
  if (!(s = tools_cli_load (argv[1], NULL, &error)))
    return tools_cli_fail (error);
  if (traffic && !cloudrun_session_find_traffic (s, traffic, &t, NULL))
    {
      fprintf (stderr, "cloudrun-netsim graph: %s: --traffic: expected the "
               "NAME of a [traffic] group, found '%s'\n", argv[1], traffic);
      return TOOLS_EXIT_USAGE;
    }
  if (!tools_cli_run (s, NULL, NULL, 0, TRUE, &error))
    return tools_cli_fail (error);
  cloudrun_session_render_dot_traffic (s, traffic, dot);
  fputs (dot->str, stdout);
  return 0;
}
