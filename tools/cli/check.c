/* `cloudrun-netsim check FILE...`: simulates each scenario without
 * captures and compares it with its [expect] groups, printing one
 * PASS/FAIL line per item as it goes (or TAP with --tap, all at the end)
 * and writing JUnit XML with --junit. Exit status 0 when every item held,
 * 1 when one failed, 2 when a file could not be checked or the JUnit file
 * could not be written. */
#include "tools/cli/cli.h"

#include <stdio.h>

static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim check scenarios/*.ini\n"
  "  cloudrun-netsim check --junit check.xml scenarios/*.ini\n"
  "  cloudrun-netsim check --tap scenarios/02-default-egress-is-external.ini\n"
  "  cloudrun-netsim check --set 'service backend.ingress=all' "
  "scenarios/02-default-egress-is-external.ini";

/* Loads and runs path; the result, with the load message on failure
 * (also printed on stderr). */
static CloudRunCheckFile *
check_one (const char *path, const CloudRunEdits *edits)
{
  g_autoptr (CloudRunSession) s = NULL;
  GError *error = NULL;
  CloudRunCheckFile *file;

  if (!(s = tools_cli_load (path, edits, &error))
      || !tools_cli_run (s, NULL, NULL, 0, TRUE, &error))
    {
      file = cloudrun_check_file_new (path, NULL, error);
      tools_cli_fail (error);
      return file;
    }
  return cloudrun_check_file_new (path, s, NULL);
}

/* Prints the TAP of files, or writes their JUnit XML to junit; FALSE
 * after printing a write error. */
/* The PASS/FAIL lines of file (failures only when quiet). */
static void
print_lines (CloudRunCheckFile *file, gboolean quiet)
{
  g_autoptr (GString) lines = g_string_new (NULL);
  g_autoptr (GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, file);
  cloudrun_check_render (lines, one, CLOUDRUN_REPORT_CHECKS, quiet, NULL);
  fputs (lines->str, stdout);
}

static gboolean
report (const GPtrArray *files, gboolean tap, const char *junit)
{
  g_autoptr (GString) out = g_string_new (NULL);
  GError *error = NULL;

  if (tap)
    {
      cloudrun_check_render (out, files, CLOUDRUN_REPORT_TAP, FALSE, NULL);
      fputs (out->str, stdout);
      g_string_truncate (out, 0);
    }
  if (!junit)
    return TRUE;
  fflush (stdout);
  cloudrun_check_render (out, files, CLOUDRUN_REPORT_JUNIT, FALSE, NULL);
  if (!cloudrun_write_file (junit, out, &error))
    {
      fprintf (stderr, "cloudrun-netsim check: --junit: %s\n",
               error->message);
      g_error_free (error);
      return FALSE;
    }
  return TRUE;
}

int
tools_cmd_check (int argc, char **argv)
{
  gboolean quiet = FALSE, tap = FALSE;
  g_autofree char *junit = NULL;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print failures only",
      NULL },
    { "tap", 0, 0, G_OPTION_ARG_NONE, &tap,
      "Print TAP version 13 instead of PASS/FAIL lines", NULL },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &junit,
      "Also write JUnit XML to FILE (replaced all at once)", "FILE" },
    { NULL },
  };
  g_auto (ToolsCliEdits) edits = { 0 };
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cloudrun_check_file_free);
  CloudRunEdits ed;
  guint passed = 0, failed = 0;
  int status = 0;

  if (!tools_cli_parse ("check", "FILE...", examples, entries, &edits, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc < 2)
    {
      fprintf (stderr, "cloudrun-netsim check: expected scenario FILEs, "
               "found none\n");
      return TOOLS_EXIT_USAGE;
    }
  if (!tools_cli_edits ("check", &edits, &ed))
    return TOOLS_EXIT_USAGE;
  for (int i = 1; i < argc; i++)
    {
      CloudRunCheckFile *file = check_one (argv[i], &ed);
      guint f = cloudrun_check_file_failures (file);

      g_ptr_array_add (files, file);
      if (cloudrun_check_file_error (file))
        status = TOOLS_EXIT_USAGE;
      else if (f && status == 0)
        status = TOOLS_EXIT_EXPECT;
      failed += f;
      passed += cloudrun_check_file_items (file) - f;
      if (!tap)
        print_lines (file, quiet);
    }
  /* The closing line counts expectation items; a file that could not be
   * checked has none, and makes the status 2. */
  if (!tap && (passed + failed > 0 || status == 0))
    printf ("%u passed, %u failed\n", passed, failed);
  if (!report (files, tap, junit))
    return TOOLS_EXIT_USAGE;
  return status;
}
