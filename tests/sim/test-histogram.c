/* Tests for sim/histogram.c: values below 10,000 ns are exact, larger
 * ones are kept to four significant digits (truncated), percentiles are
 * nearest-rank over what is kept, the maximum is exact, counts add, and
 * memory is by decade touched, not by value recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/histogram.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static void
test_histogram__bucket_value_table (void **state)
{
  static const struct { SimTime in, kept; } cases[] = {
    { 0, 0 }, { 1, 1 }, { 9999, 9999 }, { 10000, 10000 }, { 10009, 10000 },
    { 10010, 10010 }, { 12345678, 12340000 }, { 20000000, 20000000 },
    { 99999999, 99990000 }, { 1000000000, 1000000000 },
    { INT64_MAX, 9223000000000000000 },
  };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    assert_int_equal (sim_histogram_bucket_value (cases[i].in),
                      cases[i].kept);
}

/* 40, 10, 30, 20 ms: p50 is rank 2 (20 ms), p99 rank 4 (40 ms). */
static void
test_histogram__nearest_rank (void **state)
{
  SimHistogram h;
  const SimTime ms = 1000000;

  (void) state;
  sim_histogram_init (&h);
  assert_int_equal (sim_histogram_percentile (&h, 50), 0);
  sim_histogram_add (&h, 40 * ms, 1);
  sim_histogram_add (&h, 10 * ms, 1);
  sim_histogram_add (&h, 30 * ms, 1);
  sim_histogram_add (&h, 20 * ms, 1);
  assert_int_equal (h.count, 4);
  assert_int_equal (sim_histogram_percentile (&h, 0), 10 * ms);
  assert_int_equal (sim_histogram_percentile (&h, 25), 10 * ms);
  assert_int_equal (sim_histogram_percentile (&h, 26), 20 * ms);
  assert_int_equal (sim_histogram_percentile (&h, 50), 20 * ms);
  assert_int_equal (sim_histogram_percentile (&h, 99), 40 * ms);
  assert_int_equal (sim_histogram_percentile (&h, 100), 40 * ms);
  sim_histogram_clear (&h);
}

/* The nearest rank is ceil (q% of count) exactly: 99.9% of 2000 is rank
 * 1998 (in doubles 1998.0000000000002, one rank too far), 99% of 100 rank
 * 99, 50% of 3 rank 2. */
static void
test_histogram__nearest_rank_is_exact (void **state)
{
  SimHistogram h;

  (void) state;
  sim_histogram_init (&h);
  for (SimTime v = 1; v <= 2000; v++)
    sim_histogram_add (&h, v, 1);
  assert_int_equal (sim_histogram_percentile (&h, 99.9), 1998);
  assert_int_equal (sim_histogram_percentile (&h, 99), 1980);
  assert_int_equal (sim_histogram_percentile (&h, 0.05), 1);
  sim_histogram_clear (&h);
  sim_histogram_init (&h);
  for (SimTime v = 1; v <= 100; v++)
    sim_histogram_add (&h, v, 1);
  assert_int_equal (sim_histogram_percentile (&h, 99), 99);
  sim_histogram_clear (&h);
  sim_histogram_init (&h);
  for (SimTime v = 1; v <= 3; v++)
    sim_histogram_add (&h, v, 1);
  assert_int_equal (sim_histogram_percentile (&h, 50), 2);
  sim_histogram_clear (&h);
}

/* Counts add; a percentile crosses from the exact range into decades;
 * the maximum is exact while percentiles show the kept value. */
static void
test_histogram__counts_ranges_and_max (void **state)
{
  SimHistogram h;

  (void) state;
  sim_histogram_init (&h);
  sim_histogram_add (&h, 5, 90);
  sim_histogram_add (&h, 123456789, 9);
  sim_histogram_add (&h, 123459999, 1);
  sim_histogram_add (&h, 7, 0);
  assert_int_equal (h.count, 100);
  assert_int_equal (sim_histogram_percentile (&h, 90), 5);
  assert_int_equal (sim_histogram_percentile (&h, 90.5), 123400000);
  assert_int_equal (sim_histogram_percentile (&h, 99.9), 123400000);
  assert_int_equal (sim_histogram_percentile (&h, 100), 123459999);
  assert_int_equal (h.max, 123459999);
  assert_null (h.decade[0]);
  assert_non_null (h.exact);
  assert_non_null (h.decade[4]);
  sim_histogram_clear (&h);
  assert_int_equal (h.count, 0);
  assert_null (h.exact);
}

/* A million values of one millisecond cost one decade, and every
 * percentile of them is that value. */
static void
test_histogram__many_values_one_bucket (void **state)
{
  SimHistogram h;

  (void) state;
  sim_histogram_init (&h);
  for (int i = 0; i < 1000000; i++)
    sim_histogram_add (&h, 1000000 + i % 1000, 1);
  assert_int_equal (h.count, 1000000);
  assert_int_equal (sim_histogram_percentile (&h, 0.1), 1000000);
  assert_int_equal (sim_histogram_percentile (&h, 99.9), 1000000);
  assert_int_equal (sim_histogram_percentile (&h, 100), 1000999);
  for (int d = 0; d < SIM_HISTOGRAM_DECADES; d++)
    if (d != 2)
      assert_null (h.decade[d]);
  sim_histogram_clear (&h);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_histogram__bucket_value_table),
    cmocka_unit_test (test_histogram__nearest_rank),
    cmocka_unit_test (test_histogram__nearest_rank_is_exact),
    cmocka_unit_test (test_histogram__counts_ranges_and_max),
    cmocka_unit_test (test_histogram__many_values_one_bucket),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
