/* Traffic summaries (see models/build/summary.h). */
#include "models/build/summary.h"

#include <math.h>

static int
time_cmp (const void *a, const void *b)
{
  SimTime x = *(const SimTime *) a, y = *(const SimTime *) b;

  return (x > y) - (x < y);
}

SimTime
cloudrun_summary_latency (CloudRunWorld *world, const CloudRunTrafficSummary *s,
                          double q)
{
  g_autofree SimTime *lat = g_new (SimTime, MAX (1u, s->count));
  uint32_t n = 0;
  size_t rank;

  for (uint32_t i = 0; i < s->count; i++)
    {
      const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                      s->first + i);
      if (r->status > 0)
        lat[n++] = r->end - r->start;
    }
  if (n == 0)
    return 0;
  qsort (lat, n, sizeof *lat, time_cmp);
  rank = (size_t) ceil (q / 100.0 * n);
  return lat[rank > 0 ? rank - 1 : 0];
}

CloudRunTrafficSummary *
cloudrun_summary_new (CloudRunWorld *world)
{
  CloudRunTrafficSummary *all = g_new0 (CloudRunTrafficSummary,
                                        MAX (1u, world->n_plans));

  for (guint t = 0; t < world->n_plans; t++)
    {
      const CloudRunTrafficPlan *p = &world->plans[t];
      CloudRunTrafficSummary *s = &all[t];
      uint32_t best = 0;

      s->name = p->name;
      s->first = p->first_request;
      s->count = p->count;
      s->decided_at = CLOUDRUN_HOP_NONE;
      for (uint32_t i = 0; i < p->count; i++)
        {
          const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                          s->first + i);
          s->verdicts[r->outcome]++;
          s->internal += r->classified == CLOUDRUN_CLASS_INTERNAL;
          s->external += r->classified == CLOUDRUN_CLASS_EXTERNAL;
          s->responses += r->status > 0;
        }
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        if (s->verdicts[v] > best)
          {
            best = s->verdicts[v];
            s->main_verdict = v;
          }
      for (uint32_t i = 0; i < p->count; i++)
        {
          const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                          s->first + i);
          if (r->outcome == s->main_verdict)
            {
              s->decided_at = r->decided_at;
              s->cause = r->drop_cause;
              break;
            }
        }
      s->p50 = cloudrun_summary_latency (world, s, 50);
      s->p99 = cloudrun_summary_latency (world, s, 99);
      s->max = cloudrun_summary_latency (world, s, 100);
    }
  return all;
}
