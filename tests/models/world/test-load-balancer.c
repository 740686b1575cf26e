/* Tests for models/world/load-balancer.c and models/world/psc.c through small
 * scenarios (docs/networking.md, "Load balancers"): an internal
 * Application Load Balancer proxies from its proxy-only subnet and its
 * requests are internal (no Private Google Access needed); without a
 * proxy-only subnet it drops them (LOAD_BALANCER_HAS_NO_PROXY_SUBNET); an
 * external ALB passes ingress = internal-and-cloud-load-balancing but not
 * internal; a PSC endpoint for Google APIs carries the network's identity
 * without PGA.
 *
 * Probes: the ledger, the proxies' steps (addresses before and after),
 * the packet counters of the fabric links (ilb-NAME, alb-NAME, psc-NAME,
 * vpc-NET to gfe) and the containers' served counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

static void
expect_verdict (WorldFixture *wf, const char *traffic, guint index,
                const char *label, const char *verdict, const char *cls,
                const char *cause)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, index);

  if (strcmp (world_fixture_verdict (wf, traffic, index), verdict) != 0
      || strcmp (world_fixture_class (wf, traffic, index), cls) != 0
      || strcmp (world_fixture_cause (wf, traffic, index), cause) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("%s: expected %s, %s, %s; found %s, %s, %s", label, verdict,
                cls, cause, world_fixture_verdict (wf, traffic, index),
                world_fixture_class (wf, traffic, index),
                world_fixture_cause (wf, traffic, index));
    }
}

/* ---- Internal ALB ------------------------------------------------- */

/* VM app and Direct VPC service front (private-ranges-only) in subnet vms
 * of net (PGA off) call internal service backend through internal ALB
 * ilb at 10.1.0.100 (also backend.internal.example). */
static char *
ilb_scenario (bool proxy_subnet)
{
  return g_strconcat (
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n",
    proxy_subnet ? "[subnet proxies]\nnetwork = net\nregion = us-central1\n"
                   "range = 10.129.0.0/23\npurpose = proxy-only\n\n" : "",
    "[internal-alb ilb]\nnetwork = net\nregion = us-central1\n"
    "address = 10.1.0.100\nbackend = backend\n"
    "hostname = backend.internal.example\n\n"
    "[service backend]\nregion = us-central1\ningress = internal\n\n"
    "[service front]\nregion = us-central1\nvpc-access = direct\n"
    "subnet = vms\n\n"
    "[vm app]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[traffic vm-by-address]\nfrom = app\nurl = http://10.1.0.100/\n\n"
    "[traffic vm-by-name]\nfrom = app\n"
    "url = https://backend.internal.example/\n\n"
    "[traffic direct-by-name]\nfrom = front\n"
    "url = https://backend.internal.example/\n", NULL);
}

static const char *const ilb_traffics[] = {
  "vm-by-address", "vm-by-name", "direct-by-name" };

static void
test_load_balancer__internal_alb_is_internal (void **state)
{
  g_autofree char *ini = ilb_scenario (true);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (ilb_traffics); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, ilb_traffics[i], 0);
      const SimExplainStep *proxy = world_fixture_step (
        wf, r, "PROXY_CONNECTION", "ilb-ilb");
      g_autofree char *via = world_fixture_via (wf, ilb_traffics[i], 0);

      expect_verdict (wf, ilb_traffics[i], 0, ilb_traffics[i], "delivered",
                      "internal", "none");
      assert_int_equal (r->status, 200);
      assert_string_equal (world_fixture_decided_at (wf, ilb_traffics[i], 0),
                           "service");
      /* The proxy connects from the proxy-only subnet. */
      assert_non_null (proxy);
      assert_int_equal (proxy->dst_before, WF_IP (10, 1, 0, 100));
      assert_int_equal (proxy->src_after & 0xfffffe00u,
                        WF_IP (10, 129, 0, 0));
      if (!strstr (via, "vpc-router;ilb;gfe;service"))
        fail_msg ("%s: via %s", ilb_traffics[i], via);
    }
  assert_int_equal (world_fixture_served (wf, "backend"), 3);
  /* It went over the load balancer's fabric link, not by Private Google
   * Access (which is off). */
  assert_true (world_fixture_packets (wf, "ilb-ilb", "gfe") > 0);
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
}

static void
test_load_balancer__internal_alb_needs_proxy_subnet (void **state)
{
  g_autofree char *ini = ilb_scenario (false);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (ilb_traffics); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, ilb_traffics[i], 0);

      expect_verdict (wf, ilb_traffics[i], 0, ilb_traffics[i], "dropped", "-",
                      "LOAD_BALANCER_HAS_NO_PROXY_SUBNET");
      assert_string_equal (world_fixture_decided_at (wf, ilb_traffics[i], 0),
                           "ilb");
      assert_int_equal (r->status, 0);
      assert_non_null (world_fixture_step (wf, r, "DROP", "ilb-ilb"));
    }
  assert_int_equal (world_fixture_served (wf, "backend"), 0);
  assert_int_equal (world_fixture_packets (wf, "ilb-ilb", "gfe"), 0);
}

/* ---- External ALB ------------------------------------------------- */

static void
test_load_balancer__external_alb_and_ingress (void **state)
{
  static const struct {
    const char *ingress;
    const char *direct, *via_alb;     /* verdicts */
  } cases[] = {
    { "all", "delivered", "delivered" },
    { "internal", "denied-by-ingress", "denied-by-ingress" },
    { "internal-and-cloud-load-balancing", "denied-by-ingress",
      "delivered" },
    { "none", "denied-by-ingress", "denied-by-ingress" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD
        "[service backend]\nregion = us-central1\ningress = ",
        cases[i].ingress, "\n\n"
        "[external-alb shop-lb]\naddress = 192.0.2.20\nbackend = backend\n"
        "hostname = shop.example.com\n\n"
        "[client alice]\n\n"
        "[traffic direct]\nfrom = alice\nurl = service:backend\n\n"
        "[traffic via-alb]\nfrom = alice\nurl = https://shop.example.com/\n\n"
        "[traffic via-alb-address]\nfrom = alice\n"
        "url = http://192.0.2.20/\n", NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      static const char *const via_alb[] = { "via-alb", "via-alb-address" };
      guint served = 0;

      expect_verdict (wf, "direct", 0, cases[i].ingress, cases[i].direct,
                      "external", strcmp (cases[i].direct, "delivered") == 0
                                  ? "none" : "INGRESS_DENIED");
      served += strcmp (cases[i].direct, "delivered") == 0;
      for (guint k = 0; k < G_N_ELEMENTS (via_alb); k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, via_alb[k], 0);
          bool ok = strcmp (cases[i].via_alb, "delivered") == 0;
          /* An external ALB's requests are external all the same. */
          expect_verdict (wf, via_alb[k], 0, cases[i].ingress,
                          cases[i].via_alb, "external",
                          ok ? "none" : "INGRESS_DENIED");
          assert_true (world_fixture_passed (r, CLOUDRUN_HOP_EXTERNAL_ALB));
          assert_non_null (world_fixture_step (wf, r, "PROXY_CONNECTION",
                                               "alb-shop-lb"));
          if (!ok)
            assert_string_equal (world_fixture_decided_at (wf, via_alb[k], 0),
                                 "gfe");
          served += ok;
        }
      assert_int_equal (world_fixture_served (wf, "backend"), served);
      assert_true (world_fixture_packets (wf, "alb-shop-lb", "gfe") > 0);
    }
}

/* Cloud Armor: the external ALB's policy decides from what arrived (the
 * client address, its country, a header) before the GFE; a deny is its
 * own answer with the rule's status, and nothing reaches the GFE or the
 * service for it; an allow goes on as without a policy. */
static void
test_load_balancer__security_policy_decides_before_the_gfe (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[service backend]\nregion = us-central1\n"
    "ingress = internal-and-cloud-load-balancing\n\n"
    "[external-alb shop-lb]\naddress = 192.0.2.20\nbackend = backend\n"
    "hostname = shop.example.com\nsecurity-policy = edge\n\n"
    "[security-policy edge]\ndefault-action = deny-502\n\n"
    "[security-rule office]\npolicy = edge\npriority = 100\n"
    "action = allow\nsource-ranges = 198.51.100.0/24\n\n"
    "[security-rule no-tokens]\npolicy = edge\npriority = 10\n"
    "action = deny-404\nheader = authorization\n\n"
    "[security-rule france]\npolicy = edge\npriority = 200\n"
    "action = deny-403\nregion-codes = FR\n\n"
    "[client office]\naddress = 198.51.100.9\n\n"
    "[client paris]\naddress = 203.0.113.50\ncountry = FR\n\n"
    "[client elsewhere]\naddress = 203.0.113.51\ncountry = DE\n\n"
    "[traffic office]\nfrom = office\nurl = https://shop.example.com/\n\n"
    "[traffic office-token]\nfrom = office\n"
    "url = https://shop.example.com/\nidentity = id-token\n\n"
    "[traffic paris]\nfrom = paris\nurl = https://shop.example.com/\n\n"
    "[traffic elsewhere]\nfrom = elsewhere\n"
    "url = http://192.0.2.20/\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  static const struct {
    const char *traffic, *verdict;
    int status;
    const char *rule;           /* in the deciding step's rule */
  } cases[] = {
    { "office", "delivered", 200, NULL },
    { "office-token", "denied-by-security-policy", 404,
      "rule no-tokens (priority 10) matched has(request.headers"
      "['authorization']): deny-404" },
    { "paris", "denied-by-security-policy", 403,
      "rule france (priority 200) matched origin.region_code 'FR'" },
    { "elsewhere", "denied-by-security-policy", 502,
      "no rule matched origin.ip 203.0.113.51 (region code DE), so the "
      "default rule (priority 2147483647) decides: deny-502" },
  };
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, cases[i].traffic, 0);
      const SimExplainStep *st;
      bool ok = cases[i].rule == NULL;

      expect_verdict (wf, cases[i].traffic, 0, cases[i].traffic,
                      cases[i].verdict, ok ? "external" : "-",
                      ok ? "none" : "SECURITY_POLICY_DENIED");
      assert_int_equal (world_fixture_status (wf, cases[i].traffic, 0),
                        cases[i].status);
      assert_string_equal (world_fixture_decided_at (wf, cases[i].traffic, 0),
                           ok ? "service" : "external-alb");
      assert_int_equal (world_fixture_passed (r, CLOUDRUN_HOP_GFE), ok);
      st = world_fixture_step (wf, r, "SECURITY_POLICY_DENIED",
                               "alb-shop-lb");
      assert_true ((st != NULL) == !ok);
      if (st && !strstr (st->rule, cases[i].rule))
        fail_msg ("%s: rule '%s', want '%s'", cases[i].traffic, st->rule,
                  cases[i].rule);
    }
  assert_int_equal (world_fixture_served (wf, "backend"), 1);
}

/* ---- PSC endpoint ------------------------------------------------- */

static void
test_load_balancer__psc_endpoint_is_internal (void **state)
{
  /* A private zone points run.app at the PSC endpoint, with PGA on as
   * Google's endpoint page asks (or PGA off under [assumptions]
   * psc-google-access = implicit). The same zone pointing at the private
   * VIPs with PGA off is dropped. */
  static const struct {
    const char *label;
    const char *record;
    const char *pga, *assumption;
    const char *verdict, *cls, *cause;
  } cases[] = {
    { "run.app -> PSC endpoint", "*.run.app. A 10.255.0.5", "true", "",
      "delivered", "internal", "none" },
    { "run.app -> PSC endpoint, implicit", "*.run.app. A 10.255.0.5",
      "false", "[assumptions]\npsc-google-access = implicit\n\n",
      "delivered", "internal", "none" },
    { "run.app -> private VIPs", "*.run.app. A 199.36.153.8", "false", "",
      "dropped", "-", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
  };
  static const char *const traffics[] = { "from-vm", "from-direct" };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD, cases[i].assumption,
        "[project shop]\n\n"
        "[network net]\n\n"
        "[subnet vms]\nnetwork = net\nregion = us-central1\n"
        "range = 10.1.0.0/24\nprivate-google-access = ", cases[i].pga, "\n\n"
        "[psc-endpoint apis]\nnetwork = net\naddress = 10.255.0.5\n\n"
        "[dns-zone run-app]\ndns-name = run.app.\nnetworks = net\n"
        "records = ", cases[i].record, "\n\n"
        "[service backend]\nregion = us-central1\ningress = internal\n\n"
        "[service front]\nregion = us-central1\nvpc-access = direct\n"
        "subnet = vms\nvpc-egress = private-ranges-only\n\n"
        "[vm app]\nsubnet = vms\n\n"
        "[traffic from-vm]\nfrom = app\nurl = service:backend\n\n"
        "[traffic from-direct]\nfrom = front\nurl = service:backend\n", NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      bool ok = strcmp (cases[i].verdict, "delivered") == 0;

      for (guint k = 0; k < G_N_ELEMENTS (traffics); k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, traffics[k], 0);
          const SimExplainStep *dns = world_fixture_step (wf, r, "DNS_ANSWER",
                                                          "metadata-net");
          expect_verdict (wf, traffics[k], 0, cases[i].label,
                          cases[i].verdict, cases[i].cls, cases[i].cause);
          assert_non_null (dns);
          assert_non_null (strstr (dns->rule, "private zone run-app"));
          assert_int_equal (world_fixture_passed (r,
                                                  CLOUDRUN_HOP_PSC_ENDPOINT),
                            ok);
          if (ok)
            assert_non_null (world_fixture_step (wf, r, "APPLY_ROUTE",
                                                 "psc-apis"));
        }
      assert_int_equal (world_fixture_served (wf, "backend"), ok ? 2 : 0);
      assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
      if (ok)
        assert_true (world_fixture_packets (wf, "psc-apis", "gfe") > 0);
    }
}

/* Issue 8: a regional internal ALB admits clients of its own region only,
 * unless its forwarding rule has global access. */
static void
test_load_balancer__internal_alb_region_and_global_access (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[project shop]\n\n[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet eu]\nnetwork = net\nregion = europe-west1\n"
    "range = 10.2.0.0/24\n\n"
    "[subnet proxies]\nnetwork = net\nregion = us-central1\n"
    "range = 10.129.0.0/23\npurpose = proxy-only\n\n"
    "[internal-alb ilb]\nnetwork = net\nregion = us-central1\n"
    "address = 10.1.0.100\nbackend = backend\n\n"
    "[service backend]\nregion = us-central1\ningress = internal\n\n"
    "[vm near]\nsubnet = vms\n\n[vm far]\nsubnet = eu\n\n"
    "[traffic from-near]\nfrom = near\nurl = http://10.1.0.100/\n\n"
    "[traffic from-far]\nfrom = far\nurl = http://10.1.0.100/\n\n";
  static const char *const global[] = {
    "internal-alb ilb.global-access=true", NULL };
  g_autoptr (WorldFixture) regional = world_fixture_new (ini, NULL);
  g_autoptr (WorldFixture) open = world_fixture_new (ini, global);
  CloudRunRequest *r = world_fixture_request (regional, "from-far", 0);
  const SimExplainStep *drop = world_fixture_step (regional, r, "DROP",
                                                   "ilb-ilb");

  (void) state;
  expect_verdict (regional, "from-near", 0, "same region", "delivered",
                  "internal", "none");
  expect_verdict (regional, "from-far", 0, "another region, no global access",
                  "dropped", "-", "FORWARDING_RULE_REGION_MISMATCH");
  assert_string_equal (world_fixture_decided_at (regional, "from-far", 0),
                       "ilb");
  assert_non_null (drop);
  assert_non_null (strstr (drop->rule, "europe-west1"));
  expect_verdict (open, "from-far", 0, "another region, global access",
                  "delivered", "internal", "none");
}

/* ---- What a load balancer passes on -------------------------------
 * The container's view: the request bytes that reach instance backend-1
 * (through the load balancer, then the GFE). */

/* expect_line: the first line of bytes that starts as want does (up to
 * its colon, or whole) is want. */
static void
expect_line (const GByteArray *bytes, const char *label, const char *want)
{
  const char *colon = strchr (want, ':');
  g_autofree char *name = g_strndup (want, colon ? (gsize) (colon - want + 1)
                                                 : strlen (want));
  g_autofree char *line = world_fixture_line (bytes, name);

  if (line == NULL || strcmp (line, want) != 0)
    fail_msg ("%s: expected the line '%s', found '%s'", label, want,
              line ? line : "(none)");
}

static void
test_load_balancer__external_alb_forwards_headers (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[service backend]\nregion = us-central1\n"
    "invokers = user:alice@example.com\n"
    "custom-audiences = https://shop.example.com\n\n"
    "[external-alb shop-lb]\naddress = 192.0.2.20\nbackend = backend\n"
    "hostname = shop.example.com\n\n"
    "[client alice]\naddress = 203.0.113.10\naccount = alice@example.com\n\n"
    "[traffic call]\nfrom = alice\nurl = https://shop.example.com/a\n"
    "identity = id-token\n";
  g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
  GByteArray *seen = world_fixture_sniff (wf, "backend-1");
  g_autofree char *auth = NULL;

  (void) state;
  world_fixture_run (wf);
  expect_verdict (wf, "call", 0, "call", "delivered", "external", "none");
  assert_int_equal (world_fixture_status (wf, "call", 0), 200);
  /* The Host the client used, its own fields, then the load balancer's. */
  expect_line (seen, "call", "GET /a HTTP/1.1");
  expect_line (seen, "call", "Host: shop.example.com");
  expect_line (seen, "call", "User-Agent: cloudrun-netsim");
  expect_line (seen, "call", "X-Forwarded-For: 203.0.113.10,192.0.2.20");
  expect_line (seen, "call", "Via: 1.1 google");
  expect_line (seen, "call", "X-Forwarded-Proto: https");
  auth = world_fixture_line (seen, "Authorization: Bearer ");
  assert_non_null (auth);
}

static void
test_load_balancer__internal_alb_forwards_headers (void **state)
{
  g_autofree char *base = ilb_scenario (true);
  g_autofree char *ini = g_strconcat (base, "\n[traffic plain]\nfrom = app\n"
                                      "url = http://10.1.0.100/p\n", NULL);
  g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
  GByteArray *seen = world_fixture_sniff (wf, "backend-1");

  (void) state;
  world_fixture_run (wf);
  expect_verdict (wf, "plain", 0, "plain", "delivered", "internal", "none");
  expect_line (seen, "plain", "GET /p HTTP/1.1");
  expect_line (seen, "plain", "Host: 10.1.0.100");
  expect_line (seen, "plain", "X-Forwarded-For: 10.1.0.5,10.1.0.100");
  expect_line (seen, "plain", "X-Forwarded-Proto: http");
  expect_line (seen, "plain", "Via: 1.1 google");
}

/* Straight to run.app, nothing is added: the fields are the load
 * balancer's. */
static void
test_load_balancer__no_proxy_fields_without_one (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[service backend]\nregion = us-central1\n\n"
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = service:backend\n";
  g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
  GByteArray *seen = world_fixture_sniff (wf, "backend-1");

  (void) state;
  world_fixture_run (wf);
  expect_verdict (wf, "call", 0, "call", "delivered", "external", "none");
  expect_line (seen, "call", "User-Agent: cloudrun-netsim");
  assert_null (world_fixture_line (seen, "Via:"));
  assert_null (world_fixture_line (seen, "X-Forwarded-For:"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_load_balancer__internal_alb_is_internal),
    cmocka_unit_test (test_load_balancer__internal_alb_needs_proxy_subnet),
    cmocka_unit_test (
      test_load_balancer__internal_alb_region_and_global_access),
    cmocka_unit_test (test_load_balancer__external_alb_and_ingress),
    cmocka_unit_test (
      test_load_balancer__security_policy_decides_before_the_gfe),
    cmocka_unit_test (test_load_balancer__psc_endpoint_is_internal),
    cmocka_unit_test (test_load_balancer__external_alb_forwards_headers),
    cmocka_unit_test (test_load_balancer__internal_alb_forwards_headers),
    cmocka_unit_test (test_load_balancer__no_proxy_fields_without_one),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
