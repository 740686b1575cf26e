/* Inside the door (tools/session/cloudrun-netsim.h): what a session holds,
 * for the files of tools/session/ only. */
#ifndef TOOLS_SESSION_PRIVATE_H
#define TOOLS_SESSION_PRIVATE_H

#include <glib.h>

#include "models/format/scenario.h"
#include "models/world/world.h"
#include "sim/capture.h"
#include "tools/report/expect.h"
#include "tools/report/provenance.h"
#include "tools/report/summary.h"
#include "tools/session/cloudrun-netsim.h"
#include "tools/session/output.h"

/* A loaded scenario and its world, and what the run made of it. */
typedef struct {
  CloudRunScenario *scenario;   /* owned */
  CloudRunWorld *world;         /* owned */
  CloudRunTrafficSummary *summaries; /* one per traffic after finish */
  GArray *checks;               /* CloudRunCheckItem after finish */
  uint64_t events;              /* events fired */
  uint64_t capture_bytes;       /* bytes written to captures */
  char *graph_warning;          /* why topology.svg was not drawn */
} ToolsRun;

struct CloudRunSession {
  ToolsRun run;
  GStrv sets, unsets;           /* the edits as loaded (what-if re-runs) */
  ToolsProvenance *provenance;  /* how its outputs are made */
  gint64 loaded_us;             /* monotonic clock at load (JUnit's time;
                                   never read by the simulation) */
  gboolean has_seed;
  guint64 seed;
  char *text;                   /* the scenario text, for re-runs */
  gsize len;
  SimCapture *capture;          /* open between start and finish */
  SimTime reached;              /* simulated time advanced to */
  gboolean started, finished, requests_on;
  gboolean keep_requests;       /* requests.jsonl into memory */
  char *requests_mem;           /* its bytes (open_memstream) */
  size_t requests_mem_len;
};

struct CloudRunOutputDir {
  ToolsOutput out;
};

/* tools/session/run-warnings.c */
/* One warning line per setting that loads but cannot take effect. */
void tools_run_warn_scenario (const ToolsRun *run, GString *out);
void tools_run_warn_duration (const ToolsRun *run, GString *out);
void tools_run_warn_pending (const ToolsRun *run, GString *out);

#endif
