/* Reports of a finished run for people and programs: the verdict table
 * printed by `run`, report.txt, report.json, and one request's steps (for
 * `explain` and the reports). Everything is formatted into a GString; the
 * caller writes it. tools/report/report.c writes the text,
 * tools/report/report-json.c report.json through json-glib (its shape:
 * docs/report-schema.json). */
#ifndef TOOLS_REPORT_H
#define TOOLS_REPORT_H

#include <glib.h>

#include "tools/report/expect.h"
#include "tools/report/provenance.h"
#include "models/format/scenario.h"
#include "tools/report/summary.h"
#include "models/world/world.h"

typedef struct {
  const CloudRunScenario *scenario;
  CloudRunWorld *world;
  const CloudRunTrafficSummary *summaries; /* one per traffic */
  const GArray *checks;         /* CloudRunCheckItem */
  uint64_t events;              /* events fired */
  const ToolsProvenance *provenance; /* how it was made; NULL: not said */
} ToolsReport;

/* A duration for people, three significant figures: "854ms", "1.05s",
 * "120us" (the scenario format's exact form is sim_units_format_time);
 * buf holds 32 bytes. */
const char *tools_report_duration (SimTime t, char *buf);
void tools_report_table (GString *out, const ToolsReport *report);
/* Under the table in report.txt: for each row, why its main outcome
 * happened, as the deciding step of its first such request says. */
void tools_report_whys (GString *out, const ToolsReport *report);
void tools_report_steps (GString *out, CloudRunWorld *world,
                         uint32_t request_id, const char *indent);
void tools_report_text (GString *out, const ToolsReport *report);
/* report.json: pretty-printed JSON and a final newline. */
void tools_report_json (GString *out, const ToolsReport *report);
void tools_report_checks (GString *out, const char *path,
                          const GArray *checks);

#endif
