/* Traffic summaries (see tools/report/summary.h). */
#include "tools/report/summary.h"

#include <string.h>

CloudRunTrafficSummary *
cloudrun_summary_new (CloudRunWorld *world)
{
  CloudRunTrafficSummary *all = g_new0 (CloudRunTrafficSummary,
                                        MAX (1u, world->n_plans));

  cloudrun_ledger_close (&world->ledger);
  for (guint t = 0; t < world->n_plans; t++)
    {
      const CloudRunTally *tally = cloudrun_ledger_tally (&world->ledger, t);
      CloudRunTrafficSummary *s = &all[t];
      uint32_t best = 0;

      s->name = world->plans[t].name;
      s->first = tally->first_id;
      s->count = tally->count;
      memcpy (s->verdicts, tally->verdicts, sizeof s->verdicts);
      s->internal = tally->internal;
      s->external = tally->external;
      s->responses = tally->responses;
      s->last_end = tally->last_end;
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        if (s->verdicts[v] > best)
          {
            best = s->verdicts[v];
            s->main_verdict = v;
          }
      s->decided_at = best ? tally->first[s->main_verdict].decided_at
                           : CLOUDRUN_HOP_NONE;
      s->cause = best ? tally->first[s->main_verdict].cause
                      : CLOUDRUN_DROP_NONE;
      s->p50 = sim_histogram_percentile (&tally->latency, 50);
      s->p90 = sim_histogram_percentile (&tally->latency, 90);
      s->p99 = sim_histogram_percentile (&tally->latency, 99);
      s->p999 = sim_histogram_percentile (&tally->latency, 99.9);
      s->max = sim_histogram_percentile (&tally->latency, 100);
    }
  return all;
}
