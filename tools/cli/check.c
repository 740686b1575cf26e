/* The check command (see tools/cli/check.h): runs each file without
 * captures, keeps its items (tools/report/check-report.h), prints them as it
 * goes (or all at the end as TAP), then writes the JUnit file. */
#include "tools/cli/check.h"

#include <stdio.h>

#include "tools/report/check-report.h"
#include "tools/cli/cli.h"
#include "tools/session/run.h"

static const char examples[] =
  "Examples:\n"
  "  cloudrun-netsim check scenarios/*.ini\n"
  "  cloudrun-netsim check --junit check.xml scenarios/*.ini\n"
  "  cloudrun-netsim check --tap scenarios/02-default-egress-is-external.ini\n"
  "  cloudrun-netsim check --set 'service backend.ingress=all' "
  "scenarios/02-default-egress-is-external.ini";

/* Loads and runs path; the result, with the load message on failure
 * (also printed on stderr). */
static ToolsCheckFile *
check_one (const char *path, const ToolsCliEdits *edits)
{
  ToolsRunOptions opt = { .path = path, .quiet = TRUE };
  ToolsRun run;
  GError *error = NULL;
  ToolsCheckFile *file;

  tools_cli_edits_apply (edits, &opt);
  if (!tools_run_load (&run, &opt, &error)
      || !tools_run_execute (&run, &opt, NULL, &error))
    {
      file = tools_check_file_new (path, NULL, error);
      tools_run_clear (&run);
      tools_cli_fail (error);
      return file;
    }
  file = tools_check_file_new (path, run.checks, NULL);
  tools_run_clear (&run);
  return file;
}

/* The PASS/FAIL lines of file (failures only when quiet). */
static void
print_lines (const ToolsCheckFile *file, gboolean quiet)
{
  g_autoptr (GString) lines = g_string_new (NULL);

  for (guint k = 0; k < file->items->len; k++)
    {
      const ToolsCheckItem *c = &g_array_index (file->items, ToolsCheckItem,
                                                k);
      if (!quiet || !c->pass)
        g_string_append_printf (lines, "%s %s [expect %s] %s: expected %s, "
                                "found %s\n", c->pass ? "PASS" : "FAIL",
                                file->path, c->expect, c->key, c->expected,
                                c->found);
    }
  if (file->items->len == 0)
    g_string_append_printf (lines, "NOTE %s: no [expect] groups\n",
                            file->path);
  fputs (lines->str, stdout);
}

/* Prints the TAP of files, or writes their JUnit XML to junit; FALSE
 * after printing a write error. */
static gboolean
report (const GPtrArray *files, gboolean tap, const char *junit)
{
  g_autoptr (GString) out = g_string_new (NULL);
  GError *error = NULL;

  if (tap)
    {
      tools_check_report_tap (out, files);
      fputs (out->str, stdout);
      g_string_truncate (out, 0);
    }
  if (!junit)
    return TRUE;
  fflush (stdout);
  tools_check_report_junit (out, files);
  if (!tools_check_report_write (junit, out, &error))
    {
      fprintf (stderr, "cloudrun-netsim check: --junit: %s\n",
               error->message);
      g_error_free (error);
      return FALSE;
    }
  return TRUE;
}

int
tools_check_main (int argc, char **argv)
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
      (GDestroyNotify) tools_check_file_free);
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
  for (int i = 1; i < argc; i++)
    {
      ToolsCheckFile *file = check_one (argv[i], &edits);
      guint f = tools_check_file_failures (file);

      g_ptr_array_add (files, file);
      if (file->error)
        status = TOOLS_EXIT_USAGE;
      else if (f && status == 0)
        status = TOOLS_EXIT_EXPECT;
      failed += f;
      passed += file->items->len - f;
      if (!tap && !file->error)
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
