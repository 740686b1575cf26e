/* Option parsing and the scenario edits shared by the subcommands (see
 * tools/cli.h). */
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

int
tools_cli_fail (GError *error)
{
  fprintf (stderr, "cloudrun-netsim: %s\n", error->message);
  g_error_free (error);
  return TOOLS_EXIT_USAGE;
}

gboolean
tools_cli_parse (const char *command, const char *args, const char *examples,
                 GOptionEntry *entries, ToolsCliEdits *edits, int *argc,
                 char ***argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (args);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = g_strdup_printf ("cloudrun-netsim %s", command);
  GOptionEntry edit_entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
      "Override a key (repeatable): \"service backend.ingress=all\"",
      "GROUP.KEY=VALUE" },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
      "Remove a key so its default applies (repeatable)", "GROUP.KEY" },
    { NULL },
  };

  g_option_context_set_summary (ctx, summary);
  if (examples)
    g_option_context_set_description (ctx, examples);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (edits)
    {
      edit_entries[0].arg_data = &edits->sets;
      edit_entries[1].arg_data = &edits->unsets;
      g_option_context_add_main_entries (ctx, edit_entries, NULL);
    }
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      fprintf (stderr, "cloudrun-netsim %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

void
tools_cli_edits_apply (const ToolsCliEdits *edits, ToolsRunOptions *opt)
{
  opt->sets = edits->sets;
  opt->unsets = edits->unsets;
}

void
tools_cli_edits_clear (ToolsCliEdits *edits)
{
  g_clear_pointer (&edits->sets, g_strfreev);
  g_clear_pointer (&edits->unsets, g_strfreev);
}

char *
tools_cli_default_out_dir (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  return g_build_filename ("out", base, NULL);
}
