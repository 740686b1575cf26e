/* Tests for models/world/series.c, the load over time of report.json and
 * report.html: the round bucket period chosen from the duration; each
 * bucket's largest value and its value at the end; buckets a change
 * skips filled when the next change comes; the last value carried to the
 * end by finish; whether a gauge moved after time 0; changes announced
 * for later (TIME_WAIT) applied when due; a gauge found again by its
 * names; memory that does not grow with the number of changes; NULL
 * gauges doing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/world/series.h"

static void
test_series__period_is_round_and_buckets_at_most_400 (void **state)
{
  static const struct {
    SimTime duration, period;
  } cases[] = {
    { 60 * SIM_S, 200 * SIM_MS },       /* scenarios' default: 300 */
    { 10 * SIM_S, 50 * SIM_MS },        /* 25 ms would do: 50 is round */
    { SIM_S, 5 * SIM_MS },
    { 400 * SIM_MS, SIM_MS },           /* exactly 400 */
    { 401 * SIM_MS, 2 * SIM_MS },
    { 3600 * SIM_S, 10 * SIM_S },
    { SIM_MS, 5 * SIM_US },
    { 1, SIM_US },                      /* 1 us at least */
    { 0, SIM_US },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CloudRunSeries *s = cloudrun_series_new (cases[i].duration);
      if (cloudrun_series_period (cases[i].duration) != cases[i].period
          || s->period != cases[i].period)
        fail_msg ("duration %" G_GINT64_FORMAT ": period %" G_GINT64_FORMAT
                  ", expected %" G_GINT64_FORMAT, cases[i].duration,
                  cloudrun_series_period (cases[i].duration),
                  cases[i].period);
      assert_true (s->n_buckets >= 1);
      assert_true (s->n_buckets <= CLOUDRUN_SERIES_MAX_BUCKETS);
      assert_true ((SimTime) s->n_buckets * s->period
                   >= MAX (cases[i].duration, 1));
      cloudrun_series_free (s);
    }
  /* 300 buckets for the default minute; no overflow at the far end. */
  {
    CloudRunSeries *s = cloudrun_series_new (60 * SIM_S);
    assert_int_equal (s->n_buckets, 300);
    cloudrun_series_free (s);
  }
  assert_true (cloudrun_series_period (G_MAXINT64)
               >= G_MAXINT64 / CLOUDRUN_SERIES_MAX_BUCKETS);
  /* Every duration from 1 ms to 100 s: 160 to 400 buckets, a round
   * period (a 1, 2 or 5 and zeros). */
  for (SimTime d = SIM_MS; d <= 100 * SIM_S; d = d * 3 / 2 + 7)
    {
      SimTime p = cloudrun_series_period (d);
      SimTime n = (d + p - 1) / p;
      while (p % 10 == 0)
        p /= 10;
      assert_true (p == 1 || p == 2 || p == 5);
      assert_true (n >= 160 && n <= 400);
    }
}

static void
test_series__bucket_keeps_its_max_and_end (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);   /* 5 ms buckets */
  CloudRunGauge *g = cloudrun_series_gauge (s, "service", "a", "in_flight");

  (void) state;
  cloudrun_gauge_add (g, 1 * SIM_MS, 3);
  cloudrun_gauge_add (g, 2 * SIM_MS, 2);    /* 5 */
  cloudrun_gauge_add (g, 3 * SIM_MS, -4);   /* 1 */
  cloudrun_gauge_set (g, 6 * SIM_MS, 2);    /* bucket 1 */
  cloudrun_series_finish (s);
  assert_int_equal (g->max[0], 5);
  assert_int_equal (g->end[0], 1);
  /* Bucket 1 began at 1 (counts), rose to 2. */
  assert_int_equal (g->max[1], 2);
  assert_int_equal (g->end[1], 2);
  assert_int_equal (g->peak, 5);
  assert_int_equal (g->peak_at, 2 * SIM_MS);
  assert_int_equal (g->value, 2);
  cloudrun_series_free (s);
}

static void
test_series__skipped_buckets_filled_lazily (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "nat", "gw", "ports");

  (void) state;
  cloudrun_gauge_set (g, 2 * SIM_MS, 3);
  /* Nothing written past the last change's bucket yet. */
  assert_int_equal (g->bucket, 0);
  assert_int_equal (g->max[1], 0);
  cloudrun_gauge_set (g, 37 * SIM_MS, 1);   /* bucket 7 */
  assert_int_equal (g->bucket, 7);
  for (guint b = 1; b < 7; b++)
    {
      assert_int_equal (g->max[b], 3);
      assert_int_equal (g->end[b], 3);
    }
  assert_int_equal (g->end[0], 3);
  assert_int_equal (g->max[7], 3);          /* began at 3, fell to 1 */
  cloudrun_series_finish (s);
  assert_int_equal (g->end[7], 1);
  cloudrun_series_free (s);
}

static void
test_series__finish_carries_the_last_value_to_the_end (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "service", "a", "instances");
  CloudRunGauge *idle = cloudrun_series_gauge (s, "service", "a", "queue");
  guint last = s->n_buckets - 1;

  (void) state;
  assert_int_equal (s->n_buckets, 200);
  cloudrun_gauge_set (g, 0, 4);
  cloudrun_gauge_set (g, 10 * SIM_MS, 4);   /* no change */
  assert_false (cloudrun_gauge_moved (g));  /* set as the run began */
  cloudrun_gauge_set (g, 500 * SIM_MS, 6);
  assert_true (cloudrun_gauge_moved (g));
  cloudrun_series_finish (s);
  assert_int_equal (g->max[99], 4);
  assert_int_equal (g->max[100], 6);
  assert_int_equal (g->max[last], 6);
  assert_int_equal (g->end[last], 6);
  assert_int_equal (g->bucket, last);
  assert_false (cloudrun_gauge_used (idle));
  assert_false (cloudrun_gauge_moved (idle));
  assert_true (cloudrun_gauge_used (g));
  assert_int_equal (idle->end[last], 0);
  /* Finished: again changes nothing, nor do late changes. */
  cloudrun_series_finish (s);
  cloudrun_gauge_set (g, 900 * SIM_MS, 50);
  assert_int_equal (g->max[last], 6);
  assert_int_equal (g->peak, 6);
  /* A change at or past the duration counts in the last bucket. */
  {
    CloudRunSeries *t = cloudrun_series_new (SIM_S);
    CloudRunGauge *h = cloudrun_series_gauge (t, "nat", "gw", "ports");
    cloudrun_gauge_set (h, 5 * SIM_S, 9);
    cloudrun_series_finish (t);
    assert_int_equal (h->max[last], 9);
    assert_int_equal (h->max[last - 1], 0);
    cloudrun_series_free (t);
  }
  cloudrun_series_free (s);
}

static void
test_series__later_changes_apply_when_due (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "nat", "gw", "ports");

  (void) state;
  cloudrun_gauge_add (g, SIM_MS, 2);
  cloudrun_gauge_add_later (g, 12 * SIM_MS, -1);    /* bucket 2 */
  cloudrun_gauge_add_later (g, 900 * SIM_MS, -1);   /* bucket 180 */
  cloudrun_gauge_add_later (g, 2 * SIM_S, -1);      /* past the run */
  cloudrun_gauge_add (g, 20 * SIM_MS, 1);           /* bucket 4 */
  assert_int_equal (g->end[1], 2);
  assert_int_equal (g->end[2], 1);
  assert_int_equal (g->max[2], 2);
  assert_int_equal (g->max[3], 1);
  assert_int_equal (g->value, 2);
  cloudrun_series_finish (s);
  assert_int_equal (g->max[179], 2);
  assert_int_equal (g->end[180], 1);
  assert_int_equal (g->end[s->n_buckets - 1], 1);   /* not the one at 2s */
  cloudrun_series_free (s);
}

static void
test_series__gauge_found_again_by_its_names (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);
  CloudRunGauge *a = cloudrun_series_gauge (s, "connector", "c", "instances");
  CloudRunGauge *b = cloudrun_series_gauge (s, "service", "c", "instances");

  (void) state;
  assert_ptr_equal (cloudrun_series_gauge (s, "connector", "c", "instances"),
                    a);
  assert_ptr_not_equal (a, b);
  assert_int_equal (s->gauges->len, 2);
  assert_ptr_equal (g_ptr_array_index (s->gauges, 0), a);
  /* No series, no gauge; a NULL gauge takes changes and does nothing. */
  assert_null (cloudrun_series_gauge (NULL, "service", "c", "queue"));
  cloudrun_gauge_set (NULL, 0, 1);
  cloudrun_gauge_add (NULL, 0, 1);
  cloudrun_gauge_add_later (NULL, 1, -1);
  assert_false (cloudrun_gauge_used (NULL));
  cloudrun_series_finish (NULL);
  cloudrun_series_free (NULL);
  cloudrun_series_free (s);
}

/* A time before the last change stays in the last change's bucket. */
static void
test_series__time_never_goes_back (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "service", "a", "queue");

  (void) state;
  cloudrun_gauge_set (g, 50 * SIM_MS, 1);
  cloudrun_gauge_set (g, 10 * SIM_MS, 7);
  assert_int_equal (g->bucket, 10);
  assert_int_equal (g->max[10], 7);
  assert_int_equal (g->max[2], 0);
  cloudrun_series_free (s);
}

/* 1.8 million changes, with a TIME_WAIT-like hold announced for each: the
 * buckets are what they were and the queue of announced changes stays
 * as long as the holds at once. */
static void
test_series__memory_does_not_grow_with_changes (void **state)
{
  CloudRunSeries *s = cloudrun_series_new (10 * SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "nat", "gw", "ports");
  int64_t *max = g->max;
  guint most = 0;

  (void) state;
  for (SimTime t = 0; t < 900000; t++)
    {
      SimTime now = t * 10 * SIM_US;
      cloudrun_gauge_add (g, now, 1);
      cloudrun_gauge_add_later (g, now + SIM_MS, -1);   /* 100 held */
      most = MAX (most, g->later->len);
    }
  assert_ptr_equal (g->max, max);
  assert_true (most <= 2 * 100 + 64);
  assert_int_equal (g->peak, 100);
  cloudrun_series_finish (s);
  assert_int_equal (g->value, 0);
  assert_int_equal (g->later->len, 0);
  cloudrun_series_free (s);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_series__period_is_round_and_buckets_at_most_400),
    cmocka_unit_test (test_series__bucket_keeps_its_max_and_end),
    cmocka_unit_test (test_series__skipped_buckets_filled_lazily),
    cmocka_unit_test (test_series__finish_carries_the_last_value_to_the_end),
    cmocka_unit_test (test_series__later_changes_apply_when_due),
    cmocka_unit_test (test_series__gauge_found_again_by_its_names),
    cmocka_unit_test (test_series__time_never_goes_back),
    cmocka_unit_test (test_series__memory_does_not_grow_with_changes),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
