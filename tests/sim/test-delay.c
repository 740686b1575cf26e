/* Tests for sim/delay.c: a fixed delay is itself; draws follow their
 * distribution (mean, median, 99th percentile, spread over 200,000 draws
 * within a few percent); a normal's draws below 0 become 0; the same
 * stream gives the same draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <math.h>

#include "sim/delay.h"

#define N 200000
#define MS ((SimTime) 1000000)

static int
time_cmp (const void *a, const void *b)
{
  SimTime x = *(const SimTime *) a, y = *(const SimTime *) b;

  return (x > y) - (x < y);
}

/* N draws of d, sorted; their mean and standard deviation. */
static SimTime *
draws (const SimDelay *d, double *mean, double *sd)
{
  SimTime *v = calloc (N, sizeof *v);
  SimRng rng;
  double sum = 0, sq = 0;

  sim_rng_init (&rng, 7, "node", "service-time");
  for (int i = 0; i < N; i++)
    {
      v[i] = sim_delay_draw (d, &rng);
      assert_true (v[i] >= 0);
      sum += (double) v[i];
    }
  *mean = sum / N;
  for (int i = 0; i < N; i++)
    sq += ((double) v[i] - *mean) * ((double) v[i] - *mean);
  *sd = sqrt (sq / N);
  qsort (v, N, sizeof *v, time_cmp);
  return v;
}

static void
assert_near (double got, double want, double rel)
{
  if (fabs (got - want) > rel * want)
    fail_msg ("%.0f is not within %.1f%% of %.0f", got, rel * 100, want);
}

static void
test_delay__fixed_is_itself (void **state)
{
  SimDelay d = { SIM_DELAY_FIXED, 10 * MS, 0 };
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 1, "n", "p");
  for (int i = 0; i < 10; i++)
    assert_int_equal (sim_delay_draw (&d, &rng), 10 * MS);
  assert_int_equal (sim_delay_mean (&d), 10 * MS);
}

static void
test_delay__exponential_mean (void **state)
{
  SimDelay d = { SIM_DELAY_EXPONENTIAL, 10 * MS, 0 };
  double mean, sd;
  SimTime *v = draws (&d, &mean, &sd);

  (void) state;
  assert_near (mean, 10 * MS, 0.02);
  assert_near (sd, 10 * MS, 0.03);              /* sd = mean */
  assert_near ((double) v[N / 2], 10 * MS * log (2), 0.03);
  free (v);
}

static void
test_delay__lognormal_median_and_p99 (void **state)
{
  SimDelay d = { SIM_DELAY_LOGNORMAL, 20 * MS, 200 * MS };
  double mean, sd;
  SimTime *v = draws (&d, &mean, &sd);

  (void) state;
  assert_near ((double) v[N / 2], 20 * MS, 0.02);
  assert_near ((double) v[N * 99 / 100], 200 * MS, 0.05);
  assert_near (mean, (double) sim_delay_mean (&d), 0.05);
  free (v);
}

static void
test_delay__normal_mean_sd_and_cut_at_zero (void **state)
{
  SimDelay d = { SIM_DELAY_NORMAL, 50 * MS, 5 * MS };
  SimDelay wide = { SIM_DELAY_NORMAL, 1 * MS, 10 * MS };
  double mean, sd;
  SimTime *v = draws (&d, &mean, &sd);

  (void) state;
  assert_near (mean, 50 * MS, 0.01);
  assert_near (sd, 5 * MS, 0.03);
  free (v);
  v = draws (&wide, &mean, &sd);
  assert_int_equal (v[0], 0);                   /* about 46% cut to 0 */
  assert_int_equal (v[N / 3], 0);
  assert_true (v[N / 2] > 0);
  free (v);
}

static void
test_delay__same_stream_same_draws (void **state)
{
  SimDelay d = { SIM_DELAY_LOGNORMAL, MS, 10 * MS };
  SimRng a, b, c;

  (void) state;
  sim_rng_init (&a, 3, "x", "service-time");
  sim_rng_init (&b, 3, "x", "service-time");
  sim_rng_init (&c, 3, "y", "service-time");
  for (int i = 0; i < 100; i++)
    {
      SimTime da = sim_delay_draw (&d, &a), dc = sim_delay_draw (&d, &c);
      assert_int_equal (da, sim_delay_draw (&d, &b));
      (void) dc;
    }
  assert_int_not_equal (sim_delay_draw (&d, &a), sim_delay_draw (&d, &c));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_delay__fixed_is_itself),
    cmocka_unit_test (test_delay__exponential_mean),
    cmocka_unit_test (test_delay__lognormal_median_and_p99),
    cmocka_unit_test (test_delay__normal_mean_sd_and_cut_at_zero),
    cmocka_unit_test (test_delay__same_stream_same_draws),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
