/* Unit tests for sim/free-index.c: the k-th free slot and the taken ones
 * below a slot against a plain scan, through random takes and gives, at
 * sizes that are and are not powers of two, full and empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include "sim/free-index.h"
#include "sim/rng.h"

static uint32_t
nth_free_by_scan (const SimFreeIndex *fi, uint32_t k)
{
  for (uint32_t i = 0; i < fi->n; i++)
    if (!sim_free_index_taken (fi, i) && k-- == 0)
      return i;
  fail_msg ("no free slot %u", k);
  return 0;
}

static void
check_all (const SimFreeIndex *fi)
{
  uint32_t below = 0;

  for (uint32_t k = 0; k < sim_free_index_n_free (fi); k++)
    assert_int_equal (sim_free_index_nth_free (fi, k),
                      nth_free_by_scan (fi, k));
  for (uint32_t i = 0; i <= fi->n; i++)
    {
      assert_int_equal (sim_free_index_taken_below (fi, i), below);
      if (i < fi->n && sim_free_index_taken (fi, i))
        below++;
    }
}

static void
test_free_index__matches_a_scan (void **state)
{
  static const uint32_t sizes[] = { 1, 2, 3, 7, 64, 100, 1000, 28232 };
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 3, "test", "free-index");
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      SimFreeIndex fi;
      uint32_t n = sizes[s];

      sim_free_index_init (&fi, n);
      check_all (&fi);
      for (uint32_t round = 0; round < 40; round++)
        {
          for (uint32_t j = 0; j < n / 4 + 1; j++)
            {
              uint32_t i = (uint32_t) sim_rng_below (&rng, n);
              if (sim_rng_below (&rng, 3))
                sim_free_index_take (&fi, i);
              else
                sim_free_index_give (&fi, i);
            }
          if (n <= 1000 || round % 10 == 0)
            check_all (&fi);
        }
      for (uint32_t i = 0; i < n; i++)
        sim_free_index_take (&fi, i);
      assert_int_equal (sim_free_index_n_free (&fi), 0);
      sim_free_index_give (&fi, n - 1);
      sim_free_index_give (&fi, n - 1);              /* twice: a no-op */
      assert_int_equal (sim_free_index_n_free (&fi), 1);
      assert_int_equal (sim_free_index_nth_free (&fi, 0), n - 1);
      sim_free_index_clear (&fi);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_free_index__matches_a_scan),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
