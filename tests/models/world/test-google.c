/* Tests for models/world/google.c (Google's addresses the simulator
 * knows, docs/networking.md, "Inside the VPC", "DNS"): which destinations a
 * VPC router treats as Google front ends (Private Google Access applies)
 * and the run.app front ends public DNS answers with; the same for IPv6
 * (front ends, the VIPs' /64s, unique local addresses). */
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

static void
test_google__destinations6 (void **state)
{
  static const struct {
    const char *addr;
    bool google, vip, private6;
  } cases[] = {
    { "2001:4860:4802:32::35", true, false, false }, /* run.app AAAA */
    { "2001:4860:4802:ffff::1", true, false, false },
    { "2001:4860:4803::1", false, false, false },    /* past the /48 */
    { "2001:4860:4860::8888", false, false, false }, /* Public DNS */
    { "2600:2d00:2:2000::", true, true, false },     /* private VIPs */
    { "2600:2d00:2:2000:ffff::1", true, true, false },
    { "2600:2d00:2:1000::5", true, true, false },    /* restricted */
    { "2600:2d00:2:2001::", false, false, false },   /* past the /64 */
    { "2600:2d00:2:3000::", false, false, false },
    { "fd20:0:1::1:0:0", false, false, true },       /* Google's ULA */
    { "fc00::1", false, false, true },               /* fc00::/7 */
    { "fdff:ffff::1", false, false, true },
    { "fe80::1", false, false, false },              /* link-local */
    { "2606:4700::1111", false, false, false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SimIp6 a;
      assert_true (sim_ipv6_parse (cases[i].addr, &a));
      if (cloudrun_google_destination6 (&a) != cases[i].google
          || cloudrun_google_vip6 (&a) != cases[i].vip
          || cloudrun_private_address6 (&a) != cases[i].private6)
        fail_msg ("%s: expected google %d, vip %d, private %d", cases[i].addr,
                  cases[i].google, cases[i].vip, cases[i].private6);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_google__destinations),
    cmocka_unit_test (test_google__run_app_front_ends),
    cmocka_unit_test (test_google__destinations6),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
