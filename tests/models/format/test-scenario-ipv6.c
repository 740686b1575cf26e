/* Unit tests of the IPv6 keys (models/format/key-ipv6.c,
 * models/format/scenario-check-ipv6.c): a dual-stack scenario loads with
 * the ranges and addresses written or derived (auto /48s around written
 * ones, next free /64s, VMs' /96s), routes and firewall rules of either
 * family, the run-external-ipv6 warning; every bad IPv6 input fails
 * naming its group and key with what was expected and found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/format/scenario.h"

static const char dual_stack[] =
  "[scenario]\n"
  "format = 1\n"
  "title = IPv6\n"
  "[network a]\n"
  "internal-ipv6-range = auto\n"
  "[network b]\n"
  "internal-ipv6-range = fd20:0:1::/48\n"
  "[network c]\n"
  "[subnet a-int]\n"
  "network = a\n"
  "region = us-central1\n"
  "range = 10.0.0.0/24\n"
  "stack-type = ipv4-ipv6\n"
  "ipv6-access-type = internal\n"
  "[subnet a-int2]\n"
  "network = a\n"
  "region = us-central1\n"
  "range = 10.0.1.0/24\n"
  "stack-type = ipv4-ipv6\n"
  "ipv6-access-type = internal\n"
  "[subnet a-ext]\n"
  "network = a\n"
  "region = us-central1\n"
  "range = 10.0.2.0/24\n"
  "stack-type = ipv4-ipv6\n"
  "ipv6-access-type = external\n"
  "[subnet b-int]\n"
  "network = b\n"
  "region = us-central1\n"
  "range = 10.0.0.0/24\n"
  "stack-type = ipv4-ipv6\n"
  "ipv6-access-type = internal\n"
  "ipv6-range = fd20:0:1:9::/64\n"
  "[subnet c-v4]\n"
  "network = c\n"
  "region = us-central1\n"
  "range = 10.9.0.0/24\n"
  "[vm one]\n"
  "subnet = a-int\n"
  "[vm two]\n"
  "subnet = a-int\n"
  "ipv6-address = fd20:0:2::1:0:9\n"
  "[vm three]\n"
  "subnet = a-int\n"
  "[vm four]\n"
  "subnet = c-v4\n"
  "[route v6]\n"
  "network = a\n"
  "destination = ::/0\n"
  "next-hop = default-internet-gateway\n"
  "[route v4]\n"
  "network = a\n"
  "destination = 0.0.0.0/0\n"
  "next-hop = blackhole\n"
  "[firewall in6]\n"
  "network = a\n"
  "direction = ingress\n"
  "action = allow\n"
  "ranges = fd20::/20; 2600:2d00:2:2000::/64\n"
  "[firewall in4]\n"
  "network = a\n"
  "direction = ingress\n"
  "action = allow\n"
  "[service s]\n"
  "region = us-central1\n"
  "vpc-access = direct\n"
  "subnet = a-ext\n";

static CloudRunScenario *
load (const char *text, const char *const *overrides, char **message)
{
  g_autoptr (GError) error = NULL;
  CloudRunScenario *s = cloudrun_scenario_load ("test.ini", text,
                                                strlen (text), overrides,
                                                &error);
  if (message != NULL)
    *message = s ? NULL : g_strdup (error->message);
  else if (s == NULL)
    fail_msg ("load failed: %s", error->message);
  return s;
}

static gpointer
find (const CloudRunScenario *s, CloudRunKind kind, const char *name)
{
  gpointer o = cloudrun_scenario_find (s, kind, name);
  if (o == NULL)
    fail_msg ("no %s '%s'", cloudrun_kind_info (kind)->name, name);
  return o;
}

static void
assert_cidr6 (const CloudRunSpecCidr6 *c, const char *text)
{
  char buf[SIM_IPV6_STRLEN];
  g_autofree char *got = g_strdup_printf (
      "%s/%u", sim_ipv6_to_string (&c->prefix, buf), c->len);

  assert_string_equal (got, text);
}

static void
assert_ip6 (const SimIp6 *a, const char *text)
{
  char buf[SIM_IPV6_STRLEN];

  assert_string_equal (sim_ipv6_to_string (a, buf), text);
}

static void
test_scenario_ipv6__ranges_and_addresses (void **state)
{
  g_autoptr (CloudRunScenario) s = load (dual_stack, NULL, NULL);
  const CloudRunSpecNetwork *c = find (s, CLOUDRUN_KIND_NETWORK, "c");
  const CloudRunSpecSubnet *ext = find (s, CLOUDRUN_KIND_SUBNET, "a-ext");
  const CloudRunSpecSubnet *v4 = find (s, CLOUDRUN_KIND_SUBNET, "c-v4");
  const CloudRunSpecVm *four = find (s, CLOUDRUN_KIND_VM, "four");
  (void) state;

  /* auto skips fd20:0:1::/48, which network b wrote. */
  assert_true (((CloudRunSpecNetwork *) find (s, CLOUDRUN_KIND_NETWORK, "a"))
               ->internal_ipv6_auto);
  assert_cidr6 (&((CloudRunSpecNetwork *) find (s, CLOUDRUN_KIND_NETWORK,
                                                "a"))->internal_ipv6_range,
                "fd20:0:2::/48");
  assert_cidr6 (&((CloudRunSpecNetwork *) find (s, CLOUDRUN_KIND_NETWORK,
                                                "b"))->internal_ipv6_range,
                "fd20:0:1::/48");
  assert_int_equal (c->internal_ipv6_range.len, 0);
  /* Next free /64s: of the network's /48, of the external pool. */
  assert_cidr6 (&((CloudRunSpecSubnet *) find (s, CLOUDRUN_KIND_SUBNET,
                                               "a-int"))->ipv6_range,
                "fd20:0:2::/64");
  assert_cidr6 (&((CloudRunSpecSubnet *) find (s, CLOUDRUN_KIND_SUBNET,
                                               "a-int2"))->ipv6_range,
                "fd20:0:2:1::/64");
  assert_cidr6 (&ext->ipv6_range, "2600:1900:4000::/64");
  assert_int_equal (ext->ipv6_access_type, VPC_IPV6_ACCESS_EXTERNAL);
  assert_int_equal (ext->stack_type, VPC_STACK_IPV4_IPV6);
  assert_cidr6 (&((CloudRunSpecSubnet *) find (s, CLOUDRUN_KIND_SUBNET,
                                               "b-int"))->ipv6_range,
                "fd20:0:1:9::/64");
  assert_int_equal (v4->stack_type, VPC_STACK_IPV4_ONLY);
  assert_int_equal (v4->ipv6_range.len, 0);
  /* VMs: /96s from N = 1, around the written one (N = 1 too). */
  assert_ip6 (&((CloudRunSpecVm *) find (s, CLOUDRUN_KIND_VM, "two"))
              ->ipv6_address, "fd20:0:2::1:0:9");
  assert_ip6 (&((CloudRunSpecVm *) find (s, CLOUDRUN_KIND_VM, "one"))
              ->ipv6_address, "fd20:0:2::2:0:0");
  assert_ip6 (&((CloudRunSpecVm *) find (s, CLOUDRUN_KIND_VM, "three"))
              ->ipv6_address, "fd20:0:2::3:0:0");
  assert_ip6 (&four->ipv6_address, "::");
}

static void
test_scenario_ipv6__routes_and_firewalls (void **state)
{
  g_autoptr (CloudRunScenario) s = load (dual_stack, NULL, NULL);
  const CloudRunSpecRoute *v6 = find (s, CLOUDRUN_KIND_ROUTE, "v6");
  const CloudRunSpecRoute *v4 = find (s, CLOUDRUN_KIND_ROUTE, "v4");
  const CloudRunSpecFirewall *in6 = find (s, CLOUDRUN_KIND_FIREWALL, "in6");
  const CloudRunSpecFirewall *in4 = find (s, CLOUDRUN_KIND_FIREWALL, "in4");
  (void) state;

  assert_true (v6->destination.v6);
  assert_cidr6 (&v6->destination.cidr6, "::/0");
  assert_false (v4->destination.v6);
  assert_int_equal (v4->destination.cidr.len, 0);
  assert_int_equal (in6->ranges->len, 0);
  assert_int_equal (in6->ranges6->len, 2);
  assert_cidr6 (&g_array_index (in6->ranges6, CloudRunSpecCidr6, 0),
                "fd20::/20");
  assert_cidr6 (&g_array_index (in6->ranges6, CloudRunSpecCidr6, 1),
                "2600:2d00:2:2000::/64");
  /* The default stays IPv4 only: IPv6 needs its own rule. */
  assert_int_equal (in4->ranges->len, 1);
  assert_int_equal (in4->ranges6->len, 0);
}

static void
test_scenario_ipv6__format_back (void **state)
{
  g_autoptr (CloudRunScenario) s = load (dual_stack, NULL, NULL);
  const CloudRunKindInfo *fw = cloudrun_kind_info (CLOUDRUN_KIND_FIREWALL);
  const CloudRunKindInfo *net = cloudrun_kind_info (CLOUDRUN_KIND_NETWORK);
  const CloudRunKindInfo *rt = cloudrun_kind_info (CLOUDRUN_KIND_ROUTE);
  const CloudRunKindInfo *vm = cloudrun_kind_info (CLOUDRUN_KIND_VM);
  g_autoptr (GString) out = g_string_new (NULL);
  (void) state;

  assert_true (cloudrun_key_format (cloudrun_kind_key (fw, "ranges", NULL),
                                    find (s, CLOUDRUN_KIND_FIREWALL, "in6"),
                                    out));
  assert_string_equal (out->str, "fd20::/20;2600:2d00:2:2000::/64");
  g_string_truncate (out, 0);
  assert_true (cloudrun_key_format (cloudrun_kind_key (
                                      net, "internal-ipv6-range", NULL),
                                    find (s, CLOUDRUN_KIND_NETWORK, "a"),
                                    out));
  assert_string_equal (out->str, "auto");
  g_string_truncate (out, 0);
  assert_true (cloudrun_key_format (cloudrun_kind_key (rt, "destination",
                                                       NULL),
                                    find (s, CLOUDRUN_KIND_ROUTE, "v6"),
                                    out));
  assert_string_equal (out->str, "::/0");
  g_string_truncate (out, 0);
  assert_true (cloudrun_key_format (cloudrun_kind_key (vm, "ipv6-address",
                                                       NULL),
                                    find (s, CLOUDRUN_KIND_VM, "one"), out));
  assert_string_equal (out->str, "fd20:0:2::2:0:0");
}

static void
test_scenario_ipv6__external_warning (void **state)
{
  const char *const allowed[] = {
    "assumptions.run-external-ipv6=allowed", NULL };
  g_autoptr (CloudRunScenario) s = load (dual_stack, NULL, NULL);
  g_autoptr (CloudRunScenario) a = load (dual_stack, allowed, NULL);
  g_autoptr (GPtrArray) w = cloudrun_scenario_warnings (s);
  g_autoptr (GPtrArray) wa = cloudrun_scenario_warnings (a);
  gboolean seen = FALSE;
  (void) state;

  assert_int_equal (s->assumptions.run_external_ipv6,
                    CLOUDRUN_RUN_EXTERNAL_IPV6_REFUSED);
  assert_int_equal (a->assumptions.run_external_ipv6,
                    CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED);
  for (guint i = 0; i < w->len; i++)
    seen |= strstr (w->pdata[i], "[service s] subnet: [subnet a-ext] has an "
                    "external IPv6 range") != NULL
            && strstr (w->pdata[i], "it sends IPv4 only") != NULL;
  assert_true (seen);
  for (guint i = 0; i < wa->len; i++)
    assert_null (strstr (wa->pdata[i], "IPv6"));
}

/* Each override breaks dual_stack one way; the message names the group
 * and key, and says what was expected and found. */
static const struct {
  const char *set[3];           /* overrides, NULL-terminated */
  const char *want;
} bad[] = {
  { { "firewall in6.ranges=fd20::/20;10.0.0.0/8" },
    "[firewall in6] ranges: expected CIDR ranges of one family separated by "
    "';', such as 10.0.0.0/8;192.168.0.0/16 or fd20::/20, found "
    "'10.0.0.0/8'; a firewall rule holds IPv4 ranges or IPv6 ranges, not "
    "both" },
  { { "firewall in4.ranges=10.0.0.0/8;::/0" }, "found '::/0'" },
  { { "firewall in6.ranges=fd20::1/20" },
    "found 'fd20::1/20'; the address has bits set beyond the prefix "
    "length; did you mean 'fd20::/20'?" },
  { { "network b.internal-ipv6-range=fd20:0:1::/64" },
    "[network b] internal-ipv6-range: expected auto or a /48 inside "
    "fd20::/20 (Google's internal IPv6 range), found 'fd20:0:1::/64'" },
  { { "network b.internal-ipv6-range=fd30:0:1::/48" },
    "found 'fd30:0:1::/48'" },
  { { "network b.internal-ipv6-range=10.0.0.0/8" },
    "[network b] internal-ipv6-range: expected auto, or an IPv6 range such "
    "as fd20:0:1::/48, found '10.0.0.0/8'" },
  { { "network c.internal-ipv6-range=fd20:0:1::/48" },
    "[network c] internal-ipv6-range: expected a /48 no other network has, "
    "found 'fd20:0:1::/48', the range of [network b] too" },
  { { "subnet c-v4.ipv6-access-type=internal" },
    "[subnet c-v4] ipv6-access-type: expected no ipv6-access-type with "
    "stack-type = ipv4-only, found 'internal'" },
  { { "subnet c-v4.ipv6-range=fd20:0:1:3::/64" },
    "[subnet c-v4] ipv6-range: expected no ipv6-range with stack-type = "
    "ipv4-only, found 'fd20:0:1:3::/64'" },
  { { "subnet c-v4.stack-type=ipv4-ipv6" },
    "[subnet c-v4] ipv6-access-type: expected internal or external "
    "unless stack-type = ipv4-only, found nothing" },
  { { "subnet a-int.stack-type=ipv6-only" },
    "[subnet a-int] range: expected no IPv4 range with stack-type = "
    "ipv6-only, found '10.0.0.0/24'" },
  { { "subnet a-int.stack-type=dual" },
    "[subnet a-int] stack-type: expected one of ipv4-only, ipv4-ipv6, "
    "ipv6-only, found 'dual'" },
  { { "network a.internal-ipv6-range=" },
    "[network a] internal-ipv6-range: expected auto, or an IPv6 range" },
  { { "subnet b-int.ipv6-range=fd20:0:2:9::/64" },
    "[subnet b-int] ipv6-range: expected a /64 inside the "
    "internal-ipv6-range fd20:0:1::/48 of [network b], found "
    "'fd20:0:2:9::/64'" },
  { { "subnet b-int.ipv6-range=fd20:0:1:9::/56" },
    "found 'fd20:0:1:9::/56'" },
  { { "subnet a-ext.ipv6-range=fd20:0:2:9::/64" },
    "[subnet a-ext] ipv6-range: expected a /64 of global unicast addresses "
    "(2000::/3) for an external subnet, found 'fd20:0:2:9::/64'" },
  { { "subnet a-int2.ipv6-range=fd20:0:2:7::/64",
      "subnet a-int.ipv6-range=fd20:0:2:7::/64" },
    "[subnet a-int2] ipv6-range: expected a /64 that overlaps no other "
    "subnet's IPv6 range, found 'fd20:0:2:7::/64', which overlaps [subnet "
    "a-int]" },
  { { "vm two.ipv6-address=fd20:0:3::1" },
    "[vm two] ipv6-address: expected an address inside [subnet a-int]'s "
    "IPv6 range fd20:0:2::/64, found 'fd20:0:3::1'" },
  { { "vm four.ipv6-address=fd20:0:2::1" },
    "[vm four] ipv6-address: expected no IPv6 address on an ipv4-only "
    "subnet" },
  { { "vm three.ipv6-address=fd20:0:2::1:0:7" },
    "[vm three] ipv6-address: expected an address outside every other "
    "VM's /96, found 'fd20:0:2::1:0:7', in the /96 of [vm two]" },
  { { "vm two.ipv6-address=fd20::1%eth0" },
    "[vm two] ipv6-address: expected an IPv6 address such as "
    "fd20:0:1::1:0:0, found 'fd20::1%eth0'" },
  { { "route v6.next-hop=10.0.0.9" },
    "[route v6] next-hop: expected default-internet-gateway or blackhole "
    "for an IPv6 destination, found '10.0.0.9'" },
  { { "route v6.destination=::1/0" },
    "[route v6] destination: expected a CIDR range such as 10.0.0.0/24 or "
    "::/0, found '::1/0'" },
};

static void
test_scenario_ipv6__bad_input (void **state)
{
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *const *set = bad[i].set;
      g_autofree char *message = NULL;
      g_autoptr (CloudRunScenario) s = load (dual_stack, set, &message);

      if (s != NULL)
        fail_msg ("%s: loaded", set[0]);
      if (strstr (message, bad[i].want) == NULL)
        fail_msg ("%s:\n  got:  %s\n  want: %s", set[0], message,
                  bad[i].want);
    }
}

/* An IPv6-only subnet: no IPv4 range; its VM has only its IPv6 address;
 * DNS64 and NAT64 read. */
static const char ipv6_only[] =
  "[scenario]\nformat = 1\ntitle = t\n"
  "[network a]\ninternal-ipv6-range = auto\n"
  "[subnet v6]\nnetwork = a\nregion = us-central1\n"
  "stack-type = ipv6-only\nipv6-access-type = internal\n"
  "[subnet v4]\nnetwork = a\nregion = us-central1\nrange = 10.0.0.0/24\n"
  "[vm only6]\nsubnet = v6\n"
  "[vm four]\nsubnet = v4\n"
  "[nat gw]\nnetwork = a\nregion = us-central1\nnat64 = true\n"
  "[dns-server-policy p]\nnetworks = a\ndns64 = true\n";

static void
test_scenario_ipv6__ipv6_only (void **state)
{
  g_autoptr (CloudRunScenario) s = load (ipv6_only, NULL, NULL);
  const CloudRunSpecSubnet *v6 = find (s, CLOUDRUN_KIND_SUBNET, "v6");
  const CloudRunSpecVm *only6 = find (s, CLOUDRUN_KIND_VM, "only6");
  const CloudRunSpecVm *four = find (s, CLOUDRUN_KIND_VM, "four");
  const CloudRunSpecNat *gw = find (s, CLOUDRUN_KIND_NAT, "gw");
  const CloudRunSpecDnsServerPolicy *p
    = find (s, CLOUDRUN_KIND_DNS_SERVER_POLICY, "p");
  char buf[SIM_IPV6_STRLEN];
  (void) state;

  assert_int_equal (v6->stack_type, VPC_STACK_IPV6_ONLY);
  assert_int_equal (v6->range.len, 0);
  assert_cidr6 (&v6->ipv6_range, "fd20:0:1::/64");
  assert_int_equal (only6->address, 0);
  assert_string_equal (sim_ipv6_to_string (&only6->ipv6_address, buf),
                       "fd20:0:1::1:0:0");
  /* The IPv4 subnet's first usable address: the ipv6-only subnet's
   * empty range takes none. */
  assert_int_equal (four->address, 0x0a000002u);
  assert_true (gw->nat64);
  assert_true (p->dns64);
}

static const struct {
  const char *text;
  const char *want;
} bad_ipv6_only[] = {
  { "[subnet v4b]\nnetwork = a\nregion = us-central1\n",
    "[subnet v4b] range: expected an IPv4 CIDR range (required unless "
    "stack-type = ipv6-only), found nothing" },
  { "[vm x]\nsubnet = v6\naddress = 10.0.0.9\n",
    "[vm x] address: expected no IPv4 address on an ipv6-only subnet (the "
    "VM has only its IPv6 address), found '10.0.0.9'" },
  { "[vm x]\nsubnet = v6\nexternal-ip = true\n",
    "[vm x] external-ip: expected false on an ipv6-only subnet" },
  { "[service s]\nregion = us-central1\nvpc-access = direct\n"
    "subnet = v6\n",
    "[service s] subnet: expected an ipv4-only or ipv4-ipv6 subnet (Cloud "
    "Run sends IPv4 and needs the subnet's IPv4 range), found 'v6' "
    "(ipv6-only)" },
  { "[connector c]\nregion = us-central1\nsubnet = v6\n",
    "[connector c] subnet: expected a private /28 subnet" },
  { "[subnet v6b]\nnetwork = a\nregion = us-central1\n"
    "stack-type = ipv6-only\n",
    "[subnet v6b] ipv6-access-type: expected internal or external unless "
    "stack-type = ipv4-only, found nothing" },
  { "[nat gw2]\nnetwork = a\nregion = europe-west1\nnat64 = maybe\n",
    "[nat gw2] nat64: expected" },
  { "[dns-server-policy q]\nnetworks = a\ndns64 = 1x\n",
    "[dns-server-policy q] dns64: expected" },
};

static void
test_scenario_ipv6__ipv6_only_bad_input (void **state)
{
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (bad_ipv6_only); i++)
    {
      g_autofree char *text = g_strconcat (ipv6_only, bad_ipv6_only[i].text,
                                           NULL);
      g_autofree char *message = NULL;
      g_autoptr (CloudRunScenario) s = load (text, NULL, &message);

      if (s != NULL)
        fail_msg ("%s: loaded", bad_ipv6_only[i].text);
      if (strstr (message, bad_ipv6_only[i].want) == NULL)
        fail_msg ("%s:\n  got:  %s\n  want: %s", bad_ipv6_only[i].text,
                  message, bad_ipv6_only[i].want);
    }
}

static void
test_scenario_ipv6__on_premises (void **state)
{
  static const char text[] =
    "[scenario]\nformat = 1\ntitle = t\n"
    "[network dc]\non-premises = true\n"
    "[subnet lan]\nnetwork = dc\nregion = us-central1\n"
    "range = 172.16.0.0/24\nstack-type = ipv4-ipv6\n"
    "ipv6-access-type = external\n";
  const char *const range[] = { "network dc.internal-ipv6-range=auto", NULL };
  g_autofree char *m1 = NULL, *m2 = NULL;
  g_autoptr (CloudRunScenario) s1 = load (text, NULL, &m1);
  g_autoptr (CloudRunScenario) s2 = load (text, range, &m2);
  (void) state;

  assert_null (s1);
  assert_non_null (strstr (m1, "[subnet lan] stack-type: expected "
                               "ipv4-only on an on-premises site"));
  assert_null (s2);
  assert_non_null (strstr (m2, "[network dc] internal-ipv6-range: expected "
                               "no internal IPv6 range on an on-premises "
                               "site"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_scenario_ipv6__ranges_and_addresses),
    cmocka_unit_test (test_scenario_ipv6__routes_and_firewalls),
    cmocka_unit_test (test_scenario_ipv6__format_back),
    cmocka_unit_test (test_scenario_ipv6__external_warning),
    cmocka_unit_test (test_scenario_ipv6__bad_input),
    cmocka_unit_test (test_scenario_ipv6__ipv6_only),
    cmocka_unit_test (test_scenario_ipv6__ipv6_only_bad_input),
    cmocka_unit_test (test_scenario_ipv6__on_premises),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
