/* The results of `cloudrun-netsim check` in the forms CI systems read:
 * TAP version 13 (one test point per expectation item) and JUnit XML as
 * Jenkins and GitLab read it (one <testsuite> per scenario file, one
 * <testcase> per item, <failure> for a failing item, an <error> case for
 * a file that did not load). Each file's provenance goes with it (a TAP
 * comment, JUnit properties). Files and items in the order checked, no
 * host names; JUnit's time attributes (wall-clock seconds, each item
 * its file's time shared evenly) are the only bytes that differ from
 * one check to the next. Called by tools/cli/check.c. */
#ifndef TOOLS_CHECK_REPORT_H
#define TOOLS_CHECK_REPORT_H

#include <glib.h>

#include "tools/report/provenance.h"

/* One expectation item, copied out of a run (CloudRunCheckItem points
 * into the scenario, which is freed before the report is written). */
typedef struct {
  char *expect;                 /* NAME of [expect NAME] */
  char *key;                    /* outcome, status, ... */
  char *expected;               /* what the file says */
  char *found;                  /* what the run shows */
  gboolean pass;
} ToolsCheckItem;

/* One scenario file: either it loaded and ran (items, maybe none), or
 * error says why not. Everything owned. */
typedef struct {
  char *path;                   /* as given on the command line */
  char *error;                  /* the load or run message, or NULL */
  GArray *items;                /* ToolsCheckItem, file order */
  ToolsProvenance *provenance;  /* how it ran; NULL when it did not load */
  double seconds;               /* wall-clock time from load to check */
} ToolsCheckFile;

/* A new result for path: with error NULL, items copied from checks (a
 * GArray of CloudRunCheckItem, may be NULL) and provenance (copied, may
 * be NULL); otherwise a load failure. seconds: how long it took. */
ToolsCheckFile *tools_check_file_new (const char *path, const GArray *checks,
                                      const ToolsProvenance *provenance,
                                      double seconds, const GError *error);
void tools_check_file_free (ToolsCheckFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ToolsCheckFile, tools_check_file_free)
/* Failing items of file (0 for a load failure). */
guint tools_check_file_failures (const ToolsCheckFile *file);

/* The PASS/FAIL lines `check` prints for file (failures only when quiet;
 * a NOTE when it has no items; nothing for a load failure). */
void tools_check_report_lines (GString *out, const ToolsCheckFile *file,
                               gboolean quiet);
/* TAP version 13 of files (ToolsCheckFile *) onto out: the plan first,
 * a comment "# FILE: PROGRAM, SHA-256 ..., seed N (SOURCE), overrides:
 * ..., assumptions: ..." before each file's points,
 * "ok N - FILE [expect NAME] KEY", "not ok N - ... # expected X, found
 * Y", a file that did not load "not ok N - FILE # load error: MESSAGE"
 * (the prefix keeps a file named skip.ini from reading as a SKIP
 * directive), and the totals as a closing comment. '#' and '\' in the
 * text are escaped with '\', as TAP asks. */
void tools_check_report_tap (GString *out, const GPtrArray *files);
/* JUnit XML of files onto out. */
void tools_check_report_junit (GString *out, const GPtrArray *files);

/* Writes contents to path all at once: into a temporary file in the same
 * directory, renamed over path when complete, so a reader never sees half
 * a report. A path that is a device, a FIFO or a symbolic link (such as
 * /dev/stdout) is written in place, never replaced. Every write error,
 * including at close, is an error naming path. */
gboolean tools_check_report_write (const char *path, const GString *contents,
                                   GError **error);

#endif
