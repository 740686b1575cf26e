/* `cloudrun-netsim keys [KIND]`: the scenario format, documented from the
 * key tables. */
#include "tools/cli/cli.h"

#include <stdio.h>

static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim keys\n"
  "  cloudrun-netsim keys service\n"
  "  cloudrun-netsim keys expect";

int
tools_cmd_keys (int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr (GString) out = g_string_new (NULL);
  GError *error = NULL;

  if (!tools_cli_parse ("keys", "[KIND]", examples, entries, NULL, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc > 2)
    {
      fprintf (stderr, "cloudrun-netsim keys: expected at most one KIND\n");
      return TOOLS_EXIT_USAGE;
    }
  if (!cloudrun_describe_keys (out, argc == 2 ? argv[1] : NULL, &error))
    return tools_cli_fail (error);
  fputs (out->str, stdout);
  return 0;
}
