/* Time series of load (see models/world/series.h). A gauge keeps the
 * bucket of its last change; a change in a later bucket first closes the
 * buckets in between at the value they held. */
#include "models/world/series.h"

#include <string.h>

SimTime
cloudrun_series_period (SimTime duration)
{
  static const SimTime steps[] = { 1, 2, 5 };

  for (SimTime decade = SIM_US;; decade *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        SimTime p = steps[i] * decade;
        if (p > G_MAXINT64 / CLOUDRUN_SERIES_MAX_BUCKETS
            || duration <= p * (SimTime) CLOUDRUN_SERIES_MAX_BUCKETS)
          return p;
      }
}

static void
gauge_free (CloudRunGauge *g)
{
  g_free (g->kind);
  g_free (g->name);
  g_free (g->metric);
  g_free (g->max);
  g_free (g->end);
  g_array_unref (g->later);
  g_free (g);
}

CloudRunSeries *
cloudrun_series_new (SimTime duration)
{
  CloudRunSeries *s = g_new0 (CloudRunSeries, 1);

  s->horizon = MAX (duration, (SimTime) 1);
  s->period = cloudrun_series_period (s->horizon);
  s->n_buckets = (guint) ((s->horizon + s->period - 1) / s->period);
  s->gauges = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_free);
  return s;
}

void
cloudrun_series_free (CloudRunSeries *s)
{
  if (!s)
    return;
  g_ptr_array_unref (s->gauges);
  g_free (s);
}

CloudRunGauge *
cloudrun_series_gauge (CloudRunSeries *s, const char *kind, const char *name,
                       const char *metric)
{
  CloudRunGauge *g;

  if (!s)
    return NULL;
  for (guint i = 0; i < s->gauges->len; i++)
    {
      g = g_ptr_array_index (s->gauges, i);
      if (strcmp (g->kind, kind) == 0 && strcmp (g->name, name) == 0
          && strcmp (g->metric, metric) == 0)
        return g;
    }
  g = g_new0 (CloudRunGauge, 1);
  g->series = s;
  g->kind = g_strdup (kind);
  g->name = g_strdup (name);
  g->metric = g_strdup (metric);
  g->max = g_new0 (int64_t, s->n_buckets);
  g->end = g_new0 (int64_t, s->n_buckets);
  g->later = g_array_new (FALSE, FALSE, sizeof (CloudRunGaugeLater));
  g_ptr_array_add (s->gauges, g);
  return g;
}

static guint
series_bucket (const CloudRunSeries *s, SimTime t)
{
  if (t <= 0)
    return 0;
  return (guint) MIN (t / s->period, (SimTime) s->n_buckets - 1);
}

/* Closes the buckets before b at the value they held. */
static void
gauge_reach (CloudRunGauge *g, guint b)
{
  for (; g->bucket < b; g->bucket++)
    {
      g->end[g->bucket] = g->value;
      g->max[g->bucket + 1] = g->value;
    }
}

static void
gauge_move (CloudRunGauge *g, SimTime now, int64_t value)
{
  gauge_reach (g, MAX (series_bucket (g->series, now), g->bucket));
  g->moved = g->moved || (now > 0 && value != g->value);
  g->value = value;
  g->max[g->bucket] = MAX (g->max[g->bucket], value);
  if (value > g->peak)
    {
      g->peak = value;
      g->peak_at = now;
    }
}

/* Applies the announced changes due at or before now. */
static void
gauge_due (CloudRunGauge *g, SimTime now)
{
  GArray *a = g->later;

  while (g->later_head < a->len)
    {
      const CloudRunGaugeLater *c = &g_array_index (a, CloudRunGaugeLater,
                                                    g->later_head);
      if (c->when > now)
        break;
      gauge_move (g, c->when, g->value + c->delta);
      g->later_head++;
    }
  /* Reuse the applied prefix once it is the larger part. */
  if (g->later_head == a->len)
    {
      g_array_set_size (a, 0);
      g->later_head = 0;
    }
  else if (g->later_head > 64 && g->later_head * 2 > a->len)
    {
      g_array_remove_range (a, 0, g->later_head);
      g->later_head = 0;
    }
}

void
cloudrun_gauge_set (CloudRunGauge *g, SimTime now, int64_t value)
{
  if (!g || g->series->finished)
    return;
  gauge_due (g, now);
  gauge_move (g, now, value);
}

void
cloudrun_gauge_add (CloudRunGauge *g, SimTime now, int64_t delta)
{
  if (!g || g->series->finished)
    return;
  gauge_due (g, now);
  gauge_move (g, now, g->value + delta);
}

void
cloudrun_gauge_add_later (CloudRunGauge *g, SimTime when, int64_t delta)
{
  CloudRunGaugeLater c = { when, delta };

  if (!g || g->series->finished)
    return;
  if (g->later_head < g->later->len)
    c.when = MAX (c.when, g_array_index (g->later, CloudRunGaugeLater,
                                         g->later->len - 1).when);
  g_array_append_val (g->later, c);
}

void
cloudrun_series_finish (CloudRunSeries *s)
{
  if (!s || s->finished)
    return;
  for (guint i = 0; i < s->gauges->len; i++)
    {
      CloudRunGauge *g = g_ptr_array_index (s->gauges, i);
      gauge_due (g, s->horizon - 1);
      gauge_reach (g, s->n_buckets - 1);
      g->end[g->bucket] = g->value;
    }
  s->finished = true;
}

bool
cloudrun_gauge_used (const CloudRunGauge *g)
{
  return g && g->peak > 0;
}

bool
cloudrun_gauge_moved (const CloudRunGauge *g)
{
  return g && g->moved;
}
