/* Option parsing and the scenario edits shared by the subcommands (see
 * tools/cli/cli.h). */
#include "tools/cli/cli.h"

#include <stdio.h>
#include <string.h>

int
tools_cli_fail (GError *error)
{
  fprintf (stderr, "cloudrun-netsim: %s\n", error->message);
  g_error_free (error);
  return TOOLS_EXIT_USAGE;
}

/* GOption converts a text option (G_OPTION_ARG_STRING and _ARRAY) from
 * the locale's character set; in the C locale a byte above 0x7f fails
 * with a message that names no option. Text options are therefore taken
 * as bytes (a copy of the entries with the FILENAME types) and checked
 * afterwards by cli_check_text, which names the option. */
static GOptionEntry *
cli_entries_as_bytes (const GOptionEntry *entries)
{
  guint n = 0;
  GOptionEntry *copy;

  while (entries[n].long_name)
    n++;
  copy = g_memdup2 (entries, (n + 1) * sizeof *entries);
  for (guint i = 0; i < n; i++)
    if (copy[i].arg == G_OPTION_ARG_STRING)
      copy[i].arg = G_OPTION_ARG_FILENAME;
    else if (copy[i].arg == G_OPTION_ARG_STRING_ARRAY)
      copy[i].arg = G_OPTION_ARG_FILENAME_ARRAY;
  return copy;
}

/* Text an option may carry: UTF-8 without control characters. */
static gboolean
cli_text_ok (const char *value)
{
  if (!g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
cli_check_text (const char *command, const GOptionEntry *entries)
{
  for (const GOptionEntry *e = entries; e->long_name; e++)
    {
      char *one[] = { NULL, NULL };
      char **values = one;

      if (e->arg == G_OPTION_ARG_STRING)
        one[0] = *(char **) e->arg_data;
      else if (e->arg == G_OPTION_ARG_STRING_ARRAY)
        values = *(char ***) e->arg_data;
      else
        continue;
      for (guint i = 0; values && values[i]; i++)
        if (!cli_text_ok (values[i]))
          {
            g_autofree char *shown = g_strescape (values[i], NULL);
            fprintf (stderr, "cloudrun-netsim %s: --%s: expected UTF-8 text "
                     "without control characters, found '%s'\n", command,
                     e->long_name, shown);
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
tools_cli_parse (const char *command, const char *args, const char *examples,
                 GOptionEntry *entries, ToolsCliEdits *edits, int *argc,
                 char ***argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (args);
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = g_strdup_printf ("cloudrun-netsim %s", command);
  g_autofree GOptionEntry *main_bytes = NULL, *edit_bytes = NULL;
  GOptionEntry edit_entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
      "Override a key (repeatable): \"service backend.ingress=all\"",
      "GROUP.KEY=VALUE" },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
      "Remove a key so its default applies (repeatable)", "GROUP.KEY" },
    { NULL },
  };

  /* "Usage: cloudrun-netsim explain [OPTION…] FILE", not the bare
   * subcommand GOption would take from argv[0]. */
  g_set_prgname (summary);
  g_option_context_set_summary (ctx, summary);
  if (examples)
    g_option_context_set_description (ctx, examples);
  main_bytes = cli_entries_as_bytes (entries);
  g_option_context_add_main_entries (ctx, main_bytes, NULL);
  if (edits)
    {
      edit_entries[0].arg_data = &edits->sets;
      edit_entries[1].arg_data = &edits->unsets;
      edit_bytes = cli_entries_as_bytes (edit_entries);
      g_option_context_add_main_entries (ctx, edit_bytes, NULL);
    }
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      fprintf (stderr, "cloudrun-netsim %s: %s\n", command, error->message);
      return FALSE;
    }
  return cli_check_text (command, entries)
         && (!edits || cli_check_text (command, edit_entries));
}

gboolean
tools_cli_edits (const char *command, const ToolsCliEdits *edits,
                 CloudRunEdits *out)
{
  const char *text = edits->seed;
  guint64 v;

  *out = (CloudRunEdits) { (const char *const *) edits->sets,
                           (const char *const *) edits->unsets, FALSE, 0 };
  if (!text)
    return TRUE;
  /* A whole number from 0 to 2^64 - 1, no sign, no spaces. */
  if (!*text || strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL))
    {
      fprintf (stderr, "cloudrun-netsim %s: --seed: expected a whole number "
               "from 0 to %" G_GUINT64_FORMAT ", found '%s'\n", command,
               G_MAXUINT64, text);
      return FALSE;
    }
  out->has_seed = TRUE;
  out->seed = v;
  return TRUE;
}

void
tools_cli_edits_clear (ToolsCliEdits *edits)
{
  g_clear_pointer (&edits->sets, g_strfreev);
  g_clear_pointer (&edits->unsets, g_strfreev);
  g_clear_pointer (&edits->seed, g_free);
}

gboolean
tools_cli_capture (const char *command, const char *capture,
                   const char *max_output, CloudRunOutputOptions *options,
                   guint64 *max_output_bytes)
{
  /* trace (trace.pcapng) and links (pcap/) name what the files hold. */
  static const struct { const char *name; CloudRunCapture what; } names[] = {
    { "all", CLOUDRUN_CAPTURE_ALL }, { "trace", CLOUDRUN_CAPTURE_TRACE },
    { "links", CLOUDRUN_CAPTURE_LINKS }, { "none", CLOUDRUN_CAPTURE_NONE },
    { "pcapng", CLOUDRUN_CAPTURE_TRACE }, { "pcap", CLOUDRUN_CAPTURE_LINKS },
  };
  gboolean known = capture == NULL;

  *max_output_bytes = CLOUDRUN_OUTPUT_MAX_DEFAULT;
  for (guint i = 0; capture && i < G_N_ELEMENTS (names); i++)
    if (strcmp (capture, names[i].name) == 0)
      {
        options->capture = names[i].what;
        known = TRUE;
      }
  if (!known)
    {
      fprintf (stderr, "cloudrun-netsim %s: --capture: expected all, trace "
               "(trace.pcapng only), links (pcap/ only) or none, found "
               "'%s'\n", command, capture);
      return FALSE;
    }
  if (max_output && (!cloudrun_parse_size (max_output, max_output_bytes)
                     || *max_output_bytes == 0))
    {
      fprintf (stderr, "cloudrun-netsim %s: --max-output: expected a size "
               "above 0 such as 500MiB or 20GiB, found '%s'\n", command,
               max_output);
      return FALSE;
    }
  return TRUE;
}

gboolean
tools_cli_snaplen (const char *command, const char *text,
                   CloudRunOutputOptions *options)
{
  guint64 v;

  if (strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, 14, 65535, &v, NULL))
    {
      fprintf (stderr, "cloudrun-netsim %s: --snaplen: expected a whole "
               "number of bytes from 14 (an Ethernet header) to 65535, "
               "found '%s'\n", command, text);
      return FALSE;
    }
  options->snaplen = (guint) v;
  return TRUE;
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
