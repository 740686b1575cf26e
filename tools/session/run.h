/* One run of a scenario for the command line: load, build, simulate
 * (optionally capturing into a staged output directory, with progress on
 * a terminal), summarize and check expectations, write the reports. */
#ifndef TOOLS_RUN_H
#define TOOLS_RUN_H

#include <glib.h>

#include "tools/report/expect.h"
#include "models/format/scenario.h"
#include "tools/report/summary.h"
#include "models/world/world.h"
#include "tools/session/output.h"

/* The largest scenario file read, in bytes. */
#define TOOLS_RUN_MAX_SCENARIO (4 << 20)
/* The capture a run may write unless told otherwise (--max-output). */
#define TOOLS_RUN_MAX_OUTPUT ((guint64) 2 << 30)
/* Links a request's frames are assumed to cross, for the estimate. */
#define TOOLS_RUN_ESTIMATE_LINKS 6u

/* Which captures a run writes (--capture). */
typedef enum {
  TOOLS_CAPTURE_ALL = 0,        /* trace.pcapng and pcap/ */
  TOOLS_CAPTURE_PCAPNG,         /* trace.pcapng only */
  TOOLS_CAPTURE_PCAP,           /* pcap/ only */
  TOOLS_CAPTURE_NONE,
} ToolsCapture;

typedef struct {
  const char *path;             /* scenario file */
  gboolean has_seed;            /* FALSE: the scenario's own seed */
  guint64 seed;                 /* --seed, when has_seed */
  char **sets;                  /* --set GROUP.KEY=VALUE, NULL-terminated */
  char **unsets;                /* --unset GROUP.KEY, NULL-terminated */
  gboolean quiet;               /* no progress */
  gboolean silent;              /* no warnings either (explain's what-if
                                   runs) */
  ToolsCapture capture;         /* --capture */
  guint64 max_output;           /* --max-output; 0: TOOLS_RUN_MAX_OUTPUT */
  gboolean no_requests;         /* --no-requests: no requests.jsonl */
} ToolsRunOptions;

typedef struct {
  CloudRunScenario *scenario;   /* owned */
  CloudRunWorld *world;         /* owned */
  CloudRunTrafficSummary *summaries; /* one per traffic, owned */
  GArray *checks;               /* CloudRunCheckItem, owned */
  uint64_t events;              /* events fired */
  uint64_t capture_bytes;       /* bytes written to captures */
  SimTime over_limit_at;        /* when the outputs passed --max-output,
                                   which stopped the run; 0 they did not */
  char *graph_warning;          /* why topology.svg was not drawn (dot
                                 * failed), or NULL; owned */
} ToolsRun;

/* Reads (only a regular file of at most TOOLS_RUN_MAX_SCENARIO bytes),
 * loads and builds; errors name the file (exit status 2). */
gboolean tools_run_load (ToolsRun *run, const ToolsRunOptions *options,
                         GError **error);
/* About how many bytes the captures opt asks for would take: per
 * request its bodies (request-size, and the largest response-size a
 * service answers with) plus 3000 bytes of DNS, handshake, headers and
 * close, 5% of segment headers, over TOOLS_RUN_ESTIMATE_LINKS links, once
 * per file kind written. */
guint64 tools_run_capture_estimate (const ToolsRun *run,
                                    const ToolsRunOptions *options);
/* An error naming the estimate and the ways out when it is past the
 * output limit (--max-output, or TOOLS_RUN_MAX_OUTPUT). */
gboolean tools_run_check_capture_size (const ToolsRun *run,
                                       const ToolsRunOptions *options,
                                       GError **error);
/* Simulates; with out, writes requests.jsonl (tools/report/requests.h, unless
 * no_requests) and the captures options asks for into its staging
 * directory. */
gboolean tools_run_execute (ToolsRun *run, const ToolsRunOptions *options,
                            ToolsOutput *out, GError **error);
/* report.txt, report.json, topology.dot, (when Graphviz draws it)
 * topology.svg and report.html (tools/report/report-html.h) into out's staging
 * directory. A Graphviz failure is not an error: it leaves graph_warning
 * set, no topology.svg, and a note in report.html. */
gboolean tools_run_write_reports (ToolsRun *run, ToolsOutput *out,
                                  GError **error);
/* Appends a "warning: ..." line per traffic whose requests would start
 * after [scenario] duration ends the run, or may still be open then
 * (tools/session/run-warnings.c). After tools_run_load. */
void tools_run_warn_duration (const ToolsRun *run, GString *out);
/* Appends a warning when duration cut requests (they are pending). After
 * tools_run_execute. */
void tools_run_warn_pending (const ToolsRun *run, GString *out);
void tools_run_clear (ToolsRun *run);

#endif
