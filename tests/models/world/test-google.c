/* Tests for models/world/google.c (Google's addresses the simulator
 * knows, docs/networking.md, "Inside the VPC", "DNS"): which destinations a
 * VPC router treats as Google front ends (Private Google Access applies)
 * and the run.app front ends public DNS answers with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/world/google.h"
#include "tests/models/world/tiny-world.h"

static void
test_google__destinations (void **state)
{
  static const struct {
    uint32_t addr;
    bool google;
  } cases[] = {
    { TW_IP (216, 239, 32, 53), true },    /* a run.app front end */
    { TW_IP (216, 239, 32, 0), true },     /* first of 216.239.32.0/19 */
    { TW_IP (216, 239, 63, 255), true },   /* last of it */
    { TW_IP (216, 239, 64, 0), false },    /* just past it */
    { TW_IP (216, 239, 31, 255), false },  /* just before it */
    { TW_IP (199, 36, 153, 8), true },     /* private.googleapis.com */
    { TW_IP (199, 36, 153, 11), true },
    { TW_IP (199, 36, 153, 4), true },     /* restricted.googleapis.com */
    { TW_IP (199, 36, 153, 7), true },
    { TW_IP (199, 36, 153, 12), false },
    { TW_IP (199, 36, 153, 3), false },
    { TW_IP (10, 0, 0, 1), false },
    { TW_IP (8, 8, 8, 8), false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cloudrun_google_destination (cases[i].addr) != cases[i].google)
      fail_msg ("%u.%u.%u.%u: expected %s", cases[i].addr >> 24,
                cases[i].addr >> 16 & 0xff, cases[i].addr >> 8 & 0xff,
                cases[i].addr & 0xff,
                cases[i].google ? "a Google destination" : "not Google");
}

static void
test_google__run_app_front_ends (void **state)
{
  static const uint32_t expected[] = {
    TW_IP (216, 239, 32, 53), TW_IP (216, 239, 34, 53),
    TW_IP (216, 239, 36, 53), TW_IP (216, 239, 38, 53),
  };

  (void) state;
  assert_int_equal (CLOUDRUN_N_RUN_APP_FRONT_ENDS, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      assert_int_equal (cloudrun_run_app_front_ends[i], expected[i]);
      assert_true (cloudrun_google_destination (expected[i]));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_google__destinations),
    cmocka_unit_test (test_google__run_app_front_ends),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
