/* What a run cannot do as written, said before and after it: settings
 * that load but cannot take effect (cloudrun_scenario_warnings), traffic
 * whose requests start after [scenario] duration ends the run (they will
 * be pending), or may still be open when it ends; after the run, how many
 * requests duration cut. Called by run and check (tools/cli/main.c,
 * tools/cli/check.c); the text goes to stderr, one "warning:" line each. */
#include "tools/session/session-private.h"

#include "sim/units.h"

/* How many of count requests from start start at or before duration
 * (constant pace; the mean pace for poisson). */
static uint64_t
started_within (SimTime start, uint32_t count, SimTime pace,
                SimTime duration)
{
  if (start > duration)
    return 0;
  if (pace <= 0)
    return count;
  return MIN ((uint64_t) count, (uint64_t) ((duration - start) / pace) + 1);
}

/* The same for p; a job's or worker pool's plan counts each of its
 * instances from its wave's start. */
static uint64_t
plan_started_within (const CloudRunTrafficPlan *p, SimTime duration)
{
  SimTime pace = p->poisson ? p->mean_interval : p->interval;
  uint64_t n = 0;

  if (p->senders <= 1)
    return started_within (p->start, p->count, pace, duration);
  for (uint32_t i = 0; i < p->senders; i++)
    n += started_within (sim_time_add_sat (
                           p->start, sim_time_mul_sat (p->wave,
                                                       i / p->per_wave)),
                         p->count / p->senders, pace, duration);
  return n;
}

void
tools_run_warn_scenario (const ToolsRun *run, GString *out)
{
  g_autoptr (GPtrArray) lines = cloudrun_scenario_warnings (run->scenario);

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "cloudrun-netsim: warning: %s: %s\n",
                            run->scenario->path,
                            (const char *) lines->pdata[i]);
}

void
tools_run_warn_duration (const ToolsRun *run, GString *out)
{
  const CloudRunWorld *w = run->world;
  SimTime duration = run->scenario->duration;
  char d[32], last[32], need[32];

  for (guint t = 0; t < w->n_plans; t++)
    {
      const CloudRunTrafficPlan *p = &w->plans[t];
      SimTime pace = p->poisson ? p->mean_interval : p->interval;
      SimTime last_start, end;
      uint64_t within = plan_started_within (p, duration);

      if (p->count == 0)
        continue;
      /* Saturating: count times interval may pass what SimTime holds.
       * A job's last wave starts its instances' requests last. */
      last_start = p->senders <= 1
        ? sim_time_add_sat (p->start, sim_time_mul_sat (pace, p->count - 1))
        : sim_time_add_sat (
            sim_time_add_sat (p->start,
                              sim_time_mul_sat (p->wave, (p->senders - 1)
                                                         / p->per_wave)),
            sim_time_mul_sat (pace, p->count / p->senders - 1));
      end = sim_time_add_sat (last_start, p->timeout);
      if (end <= duration)
        continue;
      sim_units_format_time (duration, d);
      sim_units_format_time (last_start, last);
      sim_units_format_time (end, need);
      if (end == SIM_TIME_MAX)
        g_string_append_printf (out, "cloudrun-netsim: warning: %s: [traffic "
                                "%s]: %" G_GUINT64_FORMAT " of its %u "
                                "requests %s after [scenario] duration (%s) "
                                "ends the run (the last beyond the 292 years "
                                "a run can reach); they will be pending. A "
                                "lower count or a shorter interval lets them "
                                "finish.\n", run->scenario->path, p->name,
                                (uint64_t) p->count - within, p->count,
                                p->poisson ? "would, on average, start"
                                           : "would start", d);
      else if (within < p->count)
        g_string_append_printf (out, "cloudrun-netsim: warning: %s: [traffic %s]: %" G_GUINT64_FORMAT
                                " of its %u requests %s after [scenario] "
                                "duration (%s) ends the run (the last at %s"
                                "); they will be pending. A duration of %s "
                                "or a lower count lets them finish.\n",
                                run->scenario->path, p->name,
                                (uint64_t) p->count - within, p->count,
                                p->poisson ? "would, on average, start"
                                           : "would start",
                                d, last, need);
      else
        g_string_append_printf (out, "cloudrun-netsim: warning: %s: [traffic %s]: its last "
                                "request starts at %s%s and may run to its "
                                "timeout, past [scenario] duration (%s): a "
                                "request still open then is pending. A "
                                "duration of %s lets every one finish.\n",
                                run->scenario->path, p->name,
                                p->poisson ? "about " : "", last, d, need);
    }
}

void
tools_run_warn_pending (const ToolsRun *run, GString *out)
{
  uint64_t pending = 0, never = 0;
  char d[32];

  for (guint t = 0; t < run->world->n_plans; t++)
    {
      const CloudRunTally *tally = cloudrun_ledger_tally (&run->world->ledger,
                                                          t);
      pending += run->summaries[t].verdicts[CLOUDRUN_VERDICT_PENDING];
      never += tally->count - tally->started;
    }
  if (pending == 0)
    return;
  g_string_append_printf (out, "cloudrun-netsim: warning: %s: [scenario] duration (%s) ended "
                          "the run with %" G_GUINT64_FORMAT " request(s) "
                          "pending, %" G_GUINT64_FORMAT " of them never "
                          "begun; report.txt counts them per traffic.\n",
                          run->scenario->path,
                          sim_units_format_time (run->scenario->duration, d),
                          pending, never);
}
