/* Checks a finished run against the scenario's [expect] groups: each key
 * written is one pass/fail item (docs/scenario-format.md). An item holds when
 * at least `ratio` of the traffic's requests meet it (ratio defaults to 1,
 * so every request must); the latency bounds compare percentiles of the
 * requests that got a response. */
#ifndef CLOUDRUN_EXPECT_H
#define CLOUDRUN_EXPECT_H

#include "models/format/scenario.h"
#include "tools/report/summary.h"

typedef struct {
  const char *expect;           /* the [expect NAME] NAME */
  const char *key;              /* outcome, status, ... */
  char *expected;               /* what the file says, owned */
  char *found;                  /* what the run shows, owned */
  gboolean pass;
  /* What found says, for programs (report.json). A request key: met of
   * the traffic's `of` requests meet it. A latency key (is_latency): the
   * percentile is value over `of` responses (none when of is 0). */
  gboolean is_latency;
  uint32_t met, of;
  SimTime value;
} CloudRunCheckItem;

/* Counts each request key of the [expect] groups as the world's requests
 * settle (the ledger owns the count); call once, before the run. */
void cloudrun_expect_watch (const CloudRunScenario *scenario,
                            CloudRunWorld *world);
/* A GArray of CloudRunCheckItem in file order (its clear function frees
 * the strings). summaries: one per traffic, as cloudrun_summary_new. */
GArray *cloudrun_expect_evaluate (const CloudRunScenario *scenario,
                                  CloudRunWorld *world,
                                  const CloudRunTrafficSummary *summaries);
guint cloudrun_expect_failures (const GArray *items);

#endif
