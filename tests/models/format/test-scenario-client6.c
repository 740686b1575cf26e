/* Unit tests of [client] ipv6-address (models/format/scenario-keys.c,
 * models/format/scenario-check-client6.c): a written address loads and
 * formats back, a client without one stays IPv4-only, and every bad
 * address fails naming its group and key with what was expected and
 * found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>
#include "models/format/scenario.h"
#include "sim/wire.h"

static const char clients[] =
  "[scenario]\n"
  "format = 1\n"
  "title = IPv6 clients\n"
  "[network net]\n"
  "[subnet ext]\n"
  "network = net\n"
  "region = us-central1\n"
  "range = 10.0.0.0/24\n"
  "stack-type = ipv4-ipv6\n"
  "ipv6-access-type = external\n"
  "ipv6-range = 2001:db8:5::/64\n"
  "[service s]\n"
  "region = us-central1\n"
  "[client alice]\n"
  "ipv6-address = 2001:db8::10\n"
  "[client bob]\n"
  "[traffic alice-calls]\n"
  "from = alice\n"
  "url = service:s\n"
  "address-selection = happy-eyeballs\n"
  "[traffic bob-calls]\n"
  "from = bob\n"
  "url = service:s\n"
  "address-selection = happy-eyeballs\n";

static CloudRunScenario *
load (const char *const *overrides, char **message)
{
  g_autoptr (GError) error = NULL;
  CloudRunScenario *s = cloudrun_scenario_load ("test.ini", clients,
                                                strlen (clients), overrides,
                                                &error);
  if (message != NULL)
    *message = s ? NULL : g_strdup (error->message);
  else if (s == NULL)
    fail_msg ("load failed: %s", error->message);
  return s;
}

static void
test_scenario_client6__loads_and_formats_back (void **state)
{
  g_autoptr (CloudRunScenario) s = load (NULL, NULL);
  const CloudRunKindInfo *kind = cloudrun_kind_info (CLOUDRUN_KIND_CLIENT);
  const CloudRunSpecClient *alice = cloudrun_scenario_find (
    s, CLOUDRUN_KIND_CLIENT, "alice");
  const CloudRunSpecClient *bob = cloudrun_scenario_find (
    s, CLOUDRUN_KIND_CLIENT, "bob");
  static const SimIp6 none;
  g_autoptr (GString) out = g_string_new (NULL);
  char buf[SIM_IPV6_STRLEN];

  (void) state;
  assert_non_null (alice);
  assert_non_null (bob);
  assert_string_equal (sim_ipv6_to_string (&alice->ipv6_address, buf),
                       "2001:db8::10");
  assert_true (cloudrun_object_has (&alice->base, "ipv6-address"));
  /* bob has none: IPv4 only, as every client before the key. */
  assert_false (cloudrun_object_has (&bob->base, "ipv6-address"));
  assert_true (sim_ipv6_equal (&bob->ipv6_address, &none));
  assert_true (cloudrun_key_format (cloudrun_kind_key (kind, "ipv6-address",
                                                       NULL), alice, out));
  assert_string_equal (out->str, "2001:db8::10");
}

static const struct {
  const char *set[3];
  const char *want;
} bad[] = {
  { { "client alice.ipv6-address=fe80::1" },
    "[client alice] ipv6-address: expected a global unicast IPv6 address "
    "(2000::/3), found 'fe80::1'" },
  { { "client alice.ipv6-address=fd20:0:1::5" },
    "expected a global unicast IPv6 address (2000::/3), found "
    "'fd20:0:1::5'" },
  { { "client alice.ipv6-address=2001:4860:4860::8888" },
    "[client alice] ipv6-address: expected a public IPv6 address nothing "
    "else in the scenario holds, found '2001:4860:4860::8888', in Google's "
    "2001:4860::/32" },
  { { "client alice.ipv6-address=2600:2d00:2:2000::" },
    "found '2600:2d00:2:2000::', in the Google API VIPs' "
    "2600:2d00:2::/48" },
  { { "client alice.ipv6-address=2600:1900:4000::1:0:0" },
    "found '2600:1900:4000::1:0:0', in 2600:1900:4000::/44, where "
    "subnets' external IPv6 ranges come from" },
  { { "client alice.ipv6-address=2001:db8:5::10" },
    "found '2001:db8:5::10', in the external IPv6 range of [subnet ext]" },
  { { "client bob.ipv6-address=2001:db8::10" },
    "[client bob] ipv6-address: expected a public IPv6 address nothing "
    "else in the scenario holds, found '2001:db8::10', [client alice] holds "
    "it too" },
  { { "client bob.ipv6-address=203.0.113.9" },
    "[client bob] ipv6-address: expected an IPv6 address such as" },
};

/* address-selection on a dual-stack client's traffic is no warning; on
 * an IPv4-only client's it is. */
static void
test_scenario_client6__address_selection_warning (void **state)
{
  g_autoptr (CloudRunScenario) s = load (NULL, NULL);
  g_autoptr (GPtrArray) w = cloudrun_scenario_warnings (s);
  guint about_alice = 0, about_bob = 0;

  (void) state;
  for (guint i = 0; i < w->len; i++)
    {
      const char *text = w->pdata[i];
      about_alice += strstr (text, "[traffic alice-calls] address-selection")
                     != NULL;
      about_bob += strstr (text, "[traffic bob-calls] address-selection")
                   != NULL;
    }
  assert_int_equal (about_alice, 0);
  assert_int_equal (about_bob, 1);
}

static void
test_scenario_client6__bad_input (void **state)
{
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *const *set = bad[i].set;
      g_autofree char *message = NULL;
      g_autoptr (CloudRunScenario) s = load (set, &message);

      if (s != NULL)
        fail_msg ("%s: loaded", set[0]);
      if (strstr (message, bad[i].want) == NULL)
        fail_msg ("%s:\n  got:  %s\n  want: %s", set[0], message,
                  bad[i].want);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_scenario_client6__loads_and_formats_back),
    cmocka_unit_test (test_scenario_client6__address_selection_warning),
    cmocka_unit_test (test_scenario_client6__bad_input),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
