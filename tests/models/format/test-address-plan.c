/* Tests for the scenario loader's address plan (models/format/
 * scenario-check-address.c) and the list values it depends on: an address
 * written twice is refused naming both groups; addresses Google or the
 * simulator own, a public PSC endpoint, a private external load balancer
 * or NAT address are refused; default addresses skip every written one;
 * a required list is never empty; one Cloud NAT per subnet. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/format/scenario.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

/* A valid head: one network with a subnet in each of two regions. */
static const char head[] =
  "[scenario]\nformat = 1\ntitle = t\n"
  "[service s]\nregion = us-central1\n"
  "[network n]\n"
  "[subnet a]\nnetwork = n\nregion = us-central1\nrange = 10.0.0.0/24\n"
  "[subnet b]\nnetwork = n\nregion = europe-west1\nrange = 10.1.0.0/24\n";

static CloudRunScenario *
load (const char *tail, char **message)
{
  g_autofree char *text = g_strconcat (head, tail, NULL);
  g_autoptr (GError) error = NULL;
  CloudRunScenario *s = cloudrun_scenario_load ("test.ini", text,
                                                strlen (text), NULL, &error);

  *message = s ? NULL : g_strdup (error->message);
  return s;
}

static CloudRunScenario *
load_ok (const char *tail)
{
  g_autofree char *message = NULL;
  CloudRunScenario *s = load (tail, &message);

  if (s == NULL)
    fail_msg ("load failed: %s", message);
  return s;
}

typedef struct {
  const char *tail;             /* appended to head */
  const char *want;             /* the whole message, or NULL: loads */
} Case;

static void
run_cases (const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *message = NULL;
      CloudRunScenario *s = load (cases[i].tail, &message);
      if (cases[i].want == NULL)
        {
          if (s == NULL)
            fail_msg ("case %zu refused: %s", i, message);
          cloudrun_scenario_free (s);
          continue;
        }
      if (s != NULL)
        {
          cloudrun_scenario_free (s);
          fail_msg ("case %zu loaded, want: %s", i, cases[i].want);
        }
      if (strcmp (message, cases[i].want) != 0)
        fail_msg ("case %zu:\n  got:  %s\n  want: %s", i, message,
                  cases[i].want);
    }
}

/* ---- Lists -------------------------------------------------------- */

static void
test_address_plan__required_list_not_empty (void **state)
{
  static const Case cases[] = {
    { "[firewall f]\nnetwork = n\ndirection = egress\naction = allow\n"
      "ranges =\n",
      "test.ini: [firewall f] ranges: expected at least one range (or, on "
      "an ingress rule, source-tags or source-service-accounts), found "
      "nothing" },
  };
  /* An optional list may be empty. */
  g_autoptr (CloudRunScenario) s = load_ok ("[dns-zone z]\n"
                                            "dns-name = example.com.\n"
                                            "records =\n");

  (void) state;
  assert_int_equal (((CloudRunSpecDnsZone *)
                     s->dns_zones->pdata[0])->records->len, 0);
  run_cases (cases, G_N_ELEMENTS (cases));
}

/* ---- Written once ------------------------------------------------- */

static void
test_address_plan__written_twice (void **state)
{
  static const Case cases[] = {
    { "[client c]\naddress = 198.51.100.10\n"
      "[client d]\naddress = 198.51.100.10\n",
      "test.ini: [client d] address: expected an address no other group or "
      "item writes, found '198.51.100.10', which [client c] address writes "
      "too; an address belongs to one host" },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "addresses = 34.1.2.3;34.1.2.4\n"
      "[client c]\naddress = 34.1.2.4\n",
      "test.ini: [client c] address: expected an address no other group or "
      "item writes, found '34.1.2.4', which [nat g] addresses writes too; "
      "an address belongs to one host" },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "addresses = 34.1.2.3\n"
      "[nat h]\nnetwork = n\nregion = europe-west1\n"
      "addresses = 34.1.2.5;34.1.2.3\n",
      "test.ini: [nat h] addresses: expected an address no other group or "
      "item writes, found '34.1.2.3', which [nat g] addresses writes too; "
      "an address belongs to one host" },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "addresses = 34.1.2.3;34.1.2.3\n",
      "test.ini: [nat g] addresses: expected an address no other group or "
      "item writes, found '34.1.2.3' twice; an address belongs to one "
      "host" },
    { "[external-alb x]\naddress = 34.120.0.1\nbackend = s\n"
      "[nat g]\nnetwork = n\nregion = us-central1\naddresses = 34.120.0.1\n",
      "test.ini: [nat g] addresses: expected an address no other group or "
      "item writes, found '34.120.0.1', which [external-alb x] address "
      "writes too; an address belongs to one host" },
    /* Within a network the older message says it. */
    { "[vm v]\nsubnet = a\naddress = 10.0.0.5\n"
      "[psc-endpoint p]\nnetwork = n\naddress = 10.0.0.5\n",
      "test.ini: [psc-endpoint p] address: expected an address no other "
      "resource of network 'n' uses, found '10.0.0.5', the address of "
      "[vm v]" },
    /* An internal address is also not an internet host's. */
    { "[vm v]\nsubnet = a\naddress = 10.0.0.5\n"
      "[client c]\naddress = 10.0.0.5\n",
      "test.ini: [client c] address: expected an address no other group or "
      "item writes, found '10.0.0.5', which [vm v] address writes too; an "
      "address belongs to one host" },
    /* Two networks may use the same internal address. */
    { "[network m]\n[subnet c]\nnetwork = m\nregion = us-central1\n"
      "range = 10.0.0.0/24\n"
      "[vm v]\nsubnet = a\naddress = 10.0.0.5\n"
      "[vm w]\nsubnet = c\naddress = 10.0.0.5\n", NULL },
    /* A record may point at a written host. */
    { "[client c]\naddress = 198.51.100.10\n"
      "[dns-zone z]\ndns-name = example.com.\nvisibility = public\n"
      "records = c.example.com. A 198.51.100.10\n", NULL },
  };

  (void) state;
  run_cases (cases, G_N_ELEMENTS (cases));
}

/* ---- Values ------------------------------------------------------- */

static void
test_address_plan__google_and_private (void **state)
{
  static const Case cases[] = {
    { "[client c]\naddress = 216.239.32.53\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '216.239.32.53', the Google front ends "
      "(216.239.32.0/19); use 203.0.113.0/24 or another address of your "
      "own" },
    { "[client c]\naddress = 216.239.63.1\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '216.239.63.1', the Google front ends "
      "(216.239.32.0/19); use 203.0.113.0/24 or another address of your "
      "own" },
    { "[client c]\naddress = 199.36.153.4\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '199.36.153.4', the restricted.googleapis.com VIPs "
      "(199.36.153.4/30); use 203.0.113.0/24 or another address of your "
      "own" },
    { "[client c]\naddress = 199.36.153.11\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '199.36.153.11', the private.googleapis.com VIPs "
      "(199.36.153.8/30); use 203.0.113.0/24 or another address of your "
      "own" },
    { "[client c]\naddress = 34.98.0.16\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '34.98.0.16', Cloud Run's default internet egress "
      "(34.98.0.16); use 203.0.113.0/24 or another address of your own" },
    { "[client c]\naddress = 8.8.8.8\n",
      "test.ini: [client c] address: expected an internet address outside "
      "Google's, found '8.8.8.8', the public resolver (8.8.8.8); use "
      "203.0.113.0/24 or another address of your own" },
    { "[client c]\naddress = 199.36.153.12\n", NULL },
    { "[psc-endpoint p]\nnetwork = n\naddress = 8.8.8.8\n",
      "test.ini: [psc-endpoint p] address: expected an internal address "
      "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a subnet range of "
      "network 'n'), found '8.8.8.8'" },
    { "[psc-endpoint p]\nnetwork = n\naddress = 10.255.0.5\n", NULL },
    { "[psc-endpoint p]\nnetwork = n\naddress = 172.31.0.5\n", NULL },
    /* A privately used public range is internal to its network. */
    { "[subnet pub]\nnetwork = n\nregion = us-central1\n"
      "range = 100.200.0.0/24\n"
      "[psc-endpoint p]\nnetwork = n\naddress = 100.200.0.9\n", NULL },
    { "[external-alb x]\naddress = 10.0.0.5\nbackend = s\n",
      "test.ini: [external-alb x] address: expected a public address that "
      "Google does not hold, found '10.0.0.5', a private address (RFC "
      "1918)" },
    { "[external-alb x]\naddress = 216.239.34.53\nbackend = s\n",
      "test.ini: [external-alb x] address: expected a public address that "
      "Google does not hold, found '216.239.34.53', the Google front ends "
      "(216.239.32.0/19)" },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "addresses = 34.1.2.3;192.168.1.1\n",
      "test.ini: [nat g] addresses: expected a public address that Google "
      "does not hold, found '192.168.1.1', a private address (RFC 1918)" },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "addresses = 169.254.169.254\n",
      "test.ini: [nat g] addresses: expected a public address that Google "
      "does not hold, found '169.254.169.254', a link-local address" },
  };

  (void) state;
  run_cases (cases, G_N_ELEMENTS (cases));
}

/* ---- Defaults ----------------------------------------------------- */

static void
test_address_plan__defaults_skip_written (void **state)
{
  g_autoptr (CloudRunScenario) s = load_ok (
    "[client first]\n"
    "[client written]\naddress = 203.0.113.11\n"
    "[nat g]\nnetwork = n\nregion = us-central1\naddresses = 203.0.113.12\n"
    "[external-alb x]\naddress = 203.0.113.14\nbackend = s\n"
    "[dns-zone z]\ndns-name = example.com.\nvisibility = public\n"
    "records = a.example.com. A 203.0.113.13;v.example.com. A 10.0.0.2\n"
    "[client second]\n[client third]\n"
    "[client inside]\naddress = 10.0.0.3\n"
    "[vm v]\nsubnet = a\n");
  CloudRunSpecClient *first = cloudrun_scenario_find (s, CLOUDRUN_KIND_CLIENT,
                                                      "first");
  CloudRunSpecClient *second = cloudrun_scenario_find (s, CLOUDRUN_KIND_CLIENT,
                                                       "second");
  CloudRunSpecClient *third = cloudrun_scenario_find (s, CLOUDRUN_KIND_CLIENT,
                                                      "third");
  CloudRunSpecVm *vm = cloudrun_scenario_find (s, CLOUDRUN_KIND_VM, "v");

  (void) state;
  assert_int_equal (first->address, IP (203, 0, 113, 10));
  assert_int_equal (second->address, IP (203, 0, 113, 15));
  assert_int_equal (third->address, IP (203, 0, 113, 16));
  /* 10.0.0.2 is held by a record, 10.0.0.3 by a client: the VM takes
   * the next one. */
  assert_int_equal (vm->address, IP (10, 0, 0, 4));
  assert_true (cloudrun_scenario_address_used (s, IP (203, 0, 113, 12)));
  assert_true (cloudrun_scenario_address_used (s, IP (203, 0, 113, 13)));
  assert_true (cloudrun_scenario_address_used (s, IP (203, 0, 113, 16)));
  assert_true (cloudrun_scenario_address_used (s, IP (10, 0, 0, 4)));
  assert_false (cloudrun_scenario_address_used (s, IP (203, 0, 113, 17)));
}

/* ---- Instance serving addresses ----------------------------------- */

/* [service bN] groups of max-instances 1000, N from first to last. */
static char *
big_services (guint first, guint last)
{
  GString *out = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    g_string_append_printf (out, "[service b%u]\nregion = us-central1\n"
                            "max-instances = 1000\n", i);
  return g_string_free (out, FALSE);
}

static uint32_t
serving_base (CloudRunScenario *s, const char *name)
{
  CloudRunSpecService *svc = cloudrun_scenario_find (s, CLOUDRUN_KIND_SERVICE,
                                                     name);

  assert_non_null (svc);
  return svc->serving_base;
}

/* Each service takes the /24s its max-instances need from .10 (s: 100,
 * one; b0: 1000, four; mid: 247, two; small: 246, one), in file order;
 * a range never crosses the metadata server's 169.254.169.0/24, and 253
 * /24s are all there are. */
static void
test_address_plan__instance_ranges (void **state)
{
  g_autofree char *b0 = big_services (0, 0);
  g_autofree char *bigs = big_services (1, 40);
  g_autofree char *tail = g_strconcat (
    b0, "[service mid]\nregion = us-central1\nmax-instances = 247\n"
    "[service small]\nregion = us-central1\nmax-instances = 246\n",
    bigs, "[service after]\nregion = us-central1\n", NULL);
  g_autoptr (CloudRunScenario) s = load_ok (tail);
  g_autofree char *full = big_services (0, 61);
  g_autofree char *over = big_services (0, 62);
  g_autofree char *message = NULL;

  (void) state;
  assert_int_equal (serving_base (s, "s"), IP (169, 254, 1, 10));
  assert_int_equal (serving_base (s, "b0"), IP (169, 254, 2, 10));
  assert_int_equal (serving_base (s, "mid"), IP (169, 254, 6, 10));
  assert_int_equal (serving_base (s, "small"), IP (169, 254, 8, 10));
  assert_int_equal (serving_base (s, "b1"), IP (169, 254, 9, 10));
  /* b40 ends at 169.254.168.255; after skips 169.254.169.0/24. */
  assert_int_equal (serving_base (s, "b40"), IP (169, 254, 165, 10));
  assert_int_equal (serving_base (s, "after"), IP (169, 254, 170, 10));
  g_clear_pointer (&s, cloudrun_scenario_free);
  /* s and 62 of 1000 fit (1 + 41 x 4 before 169, 21 x 4 after, ending
   * at 169.254.253.255); 63 do not. */
  s = load_ok (full);
  assert_int_equal (serving_base (s, "b61"), IP (169, 254, 250, 10));
  assert_null (load (over, &message));
  assert_non_null (strstr (message, "[service b62] max-instances"));
  assert_non_null (strstr (message, "none left"));
}

/* ---- Cloud NAT per region ----------------------------------------- */

static void
test_address_plan__one_nat_per_subnet (void **state)
{
  static const Case cases[] = {
    /* One per region: each serves its own. */
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "[nat h]\nnetwork = n\nregion = europe-west1\n", NULL },
    { "[nat g]\nnetwork = n\nregion = us-central1\n"
      "[nat h]\nnetwork = n\nregion = us-central1\n",
      "test.ini: [nat h] subnets: expected subnets no other Cloud NAT "
      "serves, found 'a', which [nat g] serves too; subnets defaults to "
      "every private subnet of the network in the region" },
    { "[subnet a2]\nnetwork = n\nregion = us-central1\n"
      "range = 10.2.0.0/24\n"
      "[nat g]\nnetwork = n\nregion = us-central1\nsubnets = a\n"
      "[nat h]\nnetwork = n\nregion = us-central1\nsubnets = a2;a\n",
      "test.ini: [nat h] subnets: expected subnets no other Cloud NAT "
      "serves, found 'a', which [nat g] serves too" },
    /* Two gateways of a region split its subnets. */
    { "[subnet a2]\nnetwork = n\nregion = us-central1\n"
      "range = 10.2.0.0/24\n"
      "[nat g]\nnetwork = n\nregion = us-central1\nsubnets = a\n"
      "[nat h]\nnetwork = n\nregion = us-central1\nsubnets = a2\n", NULL },
    /* Without subnets both would take the connectors' hidden ones. */
    { "[network m]\n"
      "[nat g]\nnetwork = m\nregion = us-central1\n"
      "[nat h]\nnetwork = m\nregion = us-central1\n",
      "test.ini: [nat h] subnets: expected subnets no other Cloud NAT "
      "serves, found every subnet of us-central1, which [nat g] serves "
      "too; subnets defaults to every private subnet of the network in "
      "the region" },
    { "[nat g]\nnetwork = n\nregion = us-central1\nsubnets = b\n",
      "test.ini: [nat g] subnets: expected subnets of network 'n' in "
      "us-central1, found 'b' (network 'n', europe-west1)" },
  };

  (void) state;
  run_cases (cases, G_N_ELEMENTS (cases));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_address_plan__required_list_not_empty),
    cmocka_unit_test (test_address_plan__written_twice),
    cmocka_unit_test (test_address_plan__google_and_private),
    cmocka_unit_test (test_address_plan__defaults_skip_written),
    cmocka_unit_test (test_address_plan__one_nat_per_subnet),
    cmocka_unit_test (test_address_plan__instance_ranges),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
