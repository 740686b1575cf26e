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
      memcpy (s->causes, tally->causes, sizeof s->causes);
      s->internal = tally->internal;
      s->external = tally->external;
      s->responses = tally->responses;
      s->last_end = tally->last_end;
      s->seen = tally->seen;
      s->seen_at = tally->first_seen.at;
      s->seen_src = tally->first_seen.src;
      s->seen_src6 = tally->first_seen.src6;
      s->seen_host = tally->first_seen.host;
      s->served = tally->served;
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
      s->why = best ? tally->first[s->main_verdict].why : NULL;
      s->why_node = best ? tally->first[s->main_verdict].node : NULL;
      s->p50 = sim_histogram_percentile (&tally->latency, 50);
      s->p90 = sim_histogram_percentile (&tally->latency, 90);
      s->p99 = sim_histogram_percentile (&tally->latency, 99);
      s->p999 = sim_histogram_percentile (&tally->latency, 99.9);
      s->max = sim_histogram_percentile (&tally->latency, 100);
    }
  return all;
}

const char *
cloudrun_summary_why (const CloudRunTrafficSummary *s, const char **node)
{
  *node = s->why ? s->why_node : NULL;
  if (s->why)
    return s->why;
  if (s->count && s->main_verdict == CLOUDRUN_VERDICT_PENDING)
    return "still pending when the run's duration ended: no verdict yet "
           "(a longer duration shows where they end)";
  return NULL;
}

/* What a request of verdict v that no hop gave a drop cause failed of,
 * in words; NULL for the verdicts that are no failure. */
static const char *
summary_uncaused (int v)
{
  switch ((CloudRunVerdict) v)
    {
    case CLOUDRUN_VERDICT_TIMEOUT: return "caller's timeout";
    case CLOUDRUN_VERDICT_DNS_FAILURE: return "name not resolved";
    case CLOUDRUN_VERDICT_UNAVAILABLE: return "no whole response";
    case CLOUDRUN_VERDICT_DROPPED: return "dropped";
    case CLOUDRUN_VERDICT_DENIED_BY_INGRESS:
    case CLOUDRUN_VERDICT_DENIED_BY_IAM:
    case CLOUDRUN_VERDICT_DENIED_BY_VPC_SC:
    case CLOUDRUN_VERDICT_DENIED_BY_SECURITY_POLICY: return "refused";
    case CLOUDRUN_VERDICT_DENIED_BY_IAP: return "refused";
    default: return NULL;
    }
}

/* Cause c's name, or for NONE the words for verdict v's. */
static const char *
summary_cause_word (int v, int c)
{
  return c != CLOUDRUN_DROP_NONE ? cloudrun_drop_cause_name (c)
                                 : summary_uncaused (v);
}

/* Appends verdict v's causes to out: "CAUSE N", ", "-separated. */
static void
summary_verdict_causes (const CloudRunTrafficSummary *s, int v, GString *out)
{
  for (int c = CLOUDRUN_DROP_NONE; c < CLOUDRUN_N_DROP_CAUSES; c++)
    if (s->causes[v][c] && summary_cause_word (v, c))
      g_string_append_printf (out, "%s%s %u", out->len ? ", " : "",
                              summary_cause_word (v, c), s->causes[v][c]);
}

char *
cloudrun_summary_causes (const CloudRunTrafficSummary *s)
{
  GString *out = g_string_new (NULL);
  int main_v = (int) s->main_verdict;

  /* The outcomes cell's order: the main verdict, then the others. */
  if (main_v != CLOUDRUN_VERDICT_DELIVERED)
    summary_verdict_causes (s, main_v, out);
  for (int v = CLOUDRUN_VERDICT_PENDING + 1; v < CLOUDRUN_N_VERDICTS; v++)
    if (v != main_v && v != CLOUDRUN_VERDICT_DELIVERED)
      summary_verdict_causes (s, v, out);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  /* One cause for every request: its name says it all. */
  for (int c = CLOUDRUN_DROP_NONE; c < CLOUDRUN_N_DROP_CAUSES; c++)
    if (s->causes[main_v][c] == s->count && s->count > 0)
      {
        g_string_assign (out, summary_cause_word (main_v, c));
        break;
      }
  return g_string_free (out, FALSE);
}
