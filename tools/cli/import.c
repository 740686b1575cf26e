/* `cloudrun-netsim import FILE... [-o SCENARIO.ini]`: Cloud Asset
 * Inventory exports, `terraform show -json` outputs and gcloud
 * --format=json outputs in, a scenario out (standard output without -o;
 * with -o written all at once). What is not modelled goes to stderr as
 * "not modelled: ..." lines, and to the comment at the top of the
 * scenario. Exit status 0, or 2 when an input cannot be read or mapped
 * (nothing written). */
#include "tools/cli/cli.h"
#include "tools/import/import.h"

#include <stdio.h>

static const char examples[] =
  "Examples:\n"
  "  gcloud asset export --content-type=resource ... # then, with the file:\n"
  "  cloudrun-netsim import assets.json -o world.ini\n"
  "  terraform show -json plan.out > plan.json\n"
  "  cloudrun-netsim import plan.json > world.ini\n"
  "  cloudrun-netsim import subnets.json services.json -o world.ini";

int
tools_cmd_import (int argc, char **argv)
{
  g_autofree char *output = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the scenario to FILE (default: standard output)", "FILE" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "Do not list what is not modelled on stderr", NULL },
    { NULL },
  };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (!tools_cli_parse ("import", "FILE...", examples, entries, NULL, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc < 2)
    {
      fprintf (stderr, "cloudrun-netsim import: expected at least one FILE "
               "(a Cloud Asset Inventory export, terraform show -json or "
               "gcloud --format=json output)\n");
      return TOOLS_EXIT_USAGE;
    }
  if (!import_files ((const char *const *) argv + 1, (guint) argc - 1, out,
                     notes, &error))
    return tools_cli_fail (error);
  if (!quiet)
    for (guint i = 0; i < notes->len; i++)
      fprintf (stderr, "not modelled: %s\n", (char *) notes->pdata[i]);
  if (!output)
    {
      fputs (out->str, stdout);
      return 0;
    }
  if (!cloudrun_write_file (output, out, &error))
    return tools_cli_fail (error);
  return 0;
}
