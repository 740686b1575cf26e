/* Unit tests for sim/rng.c: stream identity (seed, node, purpose), the
 * PCG32 output function against an independent copy of the published
 * reference and its demo outputs, unbiased bounded draws, and the
 * exponential mean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <stdbool.h>

#include "sim/rng.h"

/* ---- the reference pcg32 (pcg-c-basic, O'Neill), kept independent ---- */

typedef struct {
  uint64_t state;
  uint64_t inc;
} RefPcg32;

static uint32_t
ref_pcg32_random (RefPcg32 *rng)
{
  uint64_t oldstate = rng->state;
  uint32_t xorshifted, rot;

  rng->state = oldstate * 6364136223846793005ULL + rng->inc;
  xorshifted = (uint32_t) (((oldstate >> 18u) ^ oldstate) >> 27u);
  rot = (uint32_t) (oldstate >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

static void
ref_pcg32_srandom (RefPcg32 *rng, uint64_t initstate, uint64_t initseq)
{
  rng->state = 0U;
  rng->inc = (initseq << 1u) | 1u;
  ref_pcg32_random (rng);
  rng->state += initstate;
  ref_pcg32_random (rng);
}

/* Test-only seeding: fills SimRng's fields per pcg32_srandom, stepping
 * with the generator under test. */
static void
sim_rng_seed_raw (SimRng *rng, uint64_t initstate, uint64_t initseq)
{
  rng->state = 0;
  rng->inc = (initseq << 1) | 1;
  sim_rng_u32 (rng);
  rng->state += initstate;
  sim_rng_u32 (rng);
}

static void
test_rng__pcg32_matches_reference (void **state)
{
  /* pcg32-demo, round 1: pcg32_srandom(42, 54). */
  static const uint32_t demo[] = {
    0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e,
  };
  RefPcg32 ref;
  SimRng rng;

  (void) state;
  ref_pcg32_srandom (&ref, 42, 54);
  sim_rng_seed_raw (&rng, 42, 54);
  assert_int_equal (rng.state, ref.state);
  assert_int_equal (rng.inc, ref.inc);
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      assert_int_equal (ref_pcg32_random (&ref), demo[i]);
      assert_int_equal (sim_rng_u32 (&rng), demo[i]);
    }
  for (int i = 0; i < 10000; i++)
    assert_int_equal (sim_rng_u32 (&rng), ref_pcg32_random (&ref));
  {
    uint64_t hi = ref_pcg32_random (&ref);
    uint64_t lo = ref_pcg32_random (&ref);

    assert_int_equal (sim_rng_u64 (&rng), (hi << 32) | lo);
  }
}

static void
test_rng__same_name_same_sequence (void **state)
{
  SimRng a, b;

  (void) state;
  sim_rng_init (&a, 12345, "service-a/instance-0", "arrivals");
  sim_rng_init (&b, 12345, "service-a/instance-0", "arrivals");
  assert_int_equal (a.inc & 1, 1);
  for (int i = 0; i < 1000; i++)
    assert_int_equal (sim_rng_u32 (&a), sim_rng_u32 (&b));
}

/* True when the first 4 outputs of the two streams all differ. */
static bool
streams_differ (uint64_t seed_a, const char *node_a, const char *purpose_a,
                uint64_t seed_b, const char *node_b, const char *purpose_b)
{
  SimRng a, b;
  int same = 0;

  sim_rng_init (&a, seed_a, node_a, purpose_a);
  sim_rng_init (&b, seed_b, node_b, purpose_b);
  if (a.state == b.state && a.inc == b.inc)
    return false;
  for (int i = 0; i < 4; i++)
    same += sim_rng_u32 (&a) == sim_rng_u32 (&b);
  return same == 0;
}

static void
test_rng__different_name_different_sequence (void **state)
{
  (void) state;
  assert_true (streams_differ (1, "n", "arrivals", 1, "n", "backoff"));
  assert_true (streams_differ (1, "n1", "arrivals", 1, "n2", "arrivals"));
  assert_true (streams_differ (1, "n", "arrivals", 2, "n", "arrivals"));
  assert_true (streams_differ (1, "ab", "c", 1, "a", "bc"));
  assert_true (streams_differ (0, "", "x", 0, "x", ""));
  assert_false (streams_differ (9, "n", "p", 9, "n", "p"));
}

static void
test_rng__below_stays_in_range (void **state)
{
  static const uint32_t bounds[] = {
    1, 2, 3, 7, 1000, 1000000, 0x80000001u, 0xfffffffeu, 0xffffffffu,
  };
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 5, "test", "range");
  for (guint b = 0; b < G_N_ELEMENTS (bounds); b++)
    for (int i = 0; i < 10000; i++)
      assert_true (sim_rng_below (&rng, bounds[b]) < bounds[b]);
  for (int i = 0; i < 100; i++)
    assert_int_equal (sim_rng_below (&rng, 1), 0);
}

/* Chi-square of draws below bound, bucketed by value / (bound / buckets). */
static double
below_chi_square (SimRng *rng, uint32_t bound, uint32_t buckets, int draws)
{
  uint64_t counts[16] = { 0 };
  uint32_t width = bound / buckets;
  double expected = (double) draws / buckets, chi = 0;

  g_assert (buckets <= 16 && bound % buckets == 0);
  for (int i = 0; i < draws; i++)
    counts[sim_rng_below (rng, bound) / width]++;
  for (uint32_t i = 0; i < buckets; i++)
    {
      double d = (double) counts[i] - expected;
      chi += d * d / expected;
    }
  return chi;
}

static void
test_rng__below_is_roughly_uniform (void **state)
{
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 6, "test", "uniform");
  /* 9 and 2 degrees of freedom; p(chi > 40) and p(chi > 25) < 1e-5. */
  assert_true (below_chi_square (&rng, 10, 10, 100000) < 40.0);
  /* 3 * 2^30: a plain modulo would put half the draws in the first third. */
  assert_true (below_chi_square (&rng, 3u << 30, 3, 100000) < 25.0);
}

static void
test_rng__uniform_in_unit_interval (void **state)
{
  SimRng rng;
  double sum = 0;

  (void) state;
  sim_rng_init (&rng, 8, "test", "unit");
  for (int i = 0; i < 100000; i++)
    {
      double u = sim_rng_uniform (&rng);

      assert_true (u >= 0.0 && u < 1.0);
      sum += u;
    }
  assert_true (sum / 100000 > 0.49 && sum / 100000 < 0.51);
}

static void
test_rng__exponential_mean (void **state)
{
  static const SimTime means[] = { 1000, 1000000, 5000000000 };
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 4, "test", "exponential");
  for (guint m = 0; m < G_N_ELEMENTS (means); m++)
    {
      double sum = 0;

      for (int i = 0; i < 100000; i++)
        {
          SimTime t = sim_rng_exponential (&rng, means[m]);

          assert_true (t >= 1);
          sum += (double) t;
        }
      assert_true (fabs (sum / 100000 / (double) means[m] - 1.0) < 0.02);
    }
  for (int i = 0; i < 1000; i++)
    assert_true (sim_rng_exponential (&rng, 1) >= 1);
  assert_int_equal (sim_rng_exponential (&rng, 0), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_rng__pcg32_matches_reference),
    cmocka_unit_test (test_rng__same_name_same_sequence),
    cmocka_unit_test (test_rng__different_name_different_sequence),
    cmocka_unit_test (test_rng__below_stays_in_range),
    cmocka_unit_test (test_rng__below_is_roughly_uniform),
    cmocka_unit_test (test_rng__uniform_in_unit_interval),
    cmocka_unit_test (test_rng__exponential_mean),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
