/* Tests for models/world/vpc-router.c through small scenarios
 * (docs/networking.md, "Inside the VPC"): egress firewall rules by priority
 * (deny wins a tie, an implied allow), routes (no default route, a
 * blackhole, longest prefix before priority), Private Google Access to
 * the GFE over the fabric link, a VM's external address that bypasses
 * it, Cloud NAT turning it on (and the assumption that turns that off),
 * and the implied ingress deny between VMs.
 *
 * The probes are the request ledger (verdict, drop cause, deciding hop),
 * the router's explanation steps, and the packet counters of the links
 * around the router: vpc-NET <-> gfe (Google's fabric, Geneve), vpc-NET
 * <-> internet (external addresses), the caller <-> run-egress (Cloud
 * Run's default internet egress).
 *
 * The hop-level tests at the end use a tiny world instead
 * (tests/models/world/tiny-world.h): the router alone, with probes on a
 * connector port and on two VM ports, to read TTLs and ingress rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/vpc-router.h"
#include "tests/models/world/tiny-world.h"
#include "tests/models/world/world-fixture.h"

/* A Direct VPC service sending everything into network net, calling an
 * internal service of the same project; Private Google Access on. */
static const char direct_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network net]\n\n"
  "[subnet run]\nnetwork = net\nregion = us-central1\n"
  "range = 10.0.0.0/24\nprivate-google-access = true\n\n"
  "[service front]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = run\nvpc-egress = all-traffic\n\n"
  "[service backend]\nregion = us-central1\ningress = internal\n\n"
  "[traffic call]\nfrom = front\nurl = service:backend\n\n";

static WorldFixture *
run_direct (const char *extra, const char *const *overrides)
{
  g_autofree char *ini = g_strconcat (direct_base, extra ? extra : "", NULL);

  return world_fixture_new (ini, overrides);
}

/* Fails with the request's steps when its verdict is not the expected. */
static void
expect_verdict (WorldFixture *wf, const char *traffic, const char *verdict,
                const char *cause, const char *label)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);

  if (strcmp (world_fixture_verdict (wf, traffic, 0), verdict) != 0
      || strcmp (world_fixture_cause (wf, traffic, 0), cause) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("%s: expected %s (%s), found %s (%s)", label, verdict, cause,
                world_fixture_verdict (wf, traffic, 0),
                world_fixture_cause (wf, traffic, 0));
    }
}

/* ---- Egress firewall ---------------------------------------------- */

static void
test_vpc_router__egress_firewall_priority (void **state)
{
  static const struct {
    const char *label;
    const char *rules;
    const char *verdict, *cause;
    const char *rule_word;      /* in the firewall step's rule */
  } cases[] = {
    { "deny 100 beats allow 200",
      "[firewall allow-web]\nnetwork = net\ndirection = egress\n"
      "action = allow\nranges = 0.0.0.0/0\npriority = 200\n\n"
      "[firewall deny-google]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 216.239.32.0/19\npriority = 100\n",
      "dropped", "FIREWALL_RULE", "deny-google" },
    { "allow 100 beats deny 200",
      "[firewall allow-web]\nnetwork = net\ndirection = egress\n"
      "action = allow\nranges = 216.239.32.0/19\npriority = 100\n\n"
      "[firewall deny-all]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 0.0.0.0/0\npriority = 200\n",
      "delivered", "none", "allow-web" },
    { "same priority, allow written first: deny wins",
      "[firewall allow-web]\nnetwork = net\ndirection = egress\n"
      "action = allow\nranges = 0.0.0.0/0\npriority = 500\n\n"
      "[firewall deny-google]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 216.239.32.0/19\npriority = 500\n",
      "dropped", "FIREWALL_RULE", "deny-google" },
    { "same priority, deny written first: deny wins",
      "[firewall deny-google]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 216.239.32.0/19\npriority = 500\n\n"
      "[firewall allow-web]\nnetwork = net\ndirection = egress\n"
      "action = allow\nranges = 0.0.0.0/0\npriority = 500\n",
      "dropped", "FIREWALL_RULE", "deny-google" },
    { "no rule: the implied allow", "", "delivered", "none",
      "implied allow" },
    { "a deny of other destinations: the implied allow",
      "[firewall deny-other]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 10.9.0.0/16\npriority = 0\n",
      "delivered", "none", "implied allow" },
    { "a deny of udp only lets tcp pass",
      "[firewall deny-udp]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 0.0.0.0/0\nprotocols = udp\n",
      "delivered", "none", "implied allow" },
    { "a deny of tcp:443 stops an https call",
      "[firewall deny-https]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 0.0.0.0/0\nprotocols = tcp:443\n",
      "dropped", "FIREWALL_RULE", "deny-https" },
    { "a deny of tcp:80 does not match https (port 443)",
      "[firewall deny-http]\nnetwork = net\ndirection = egress\n"
      "action = deny\nranges = 0.0.0.0/0\nprotocols = tcp:80\n",
      "delivered", "none", "implied allow" },
    { "a rule of another network does not apply",
      "[network other]\n\n"
      "[firewall deny-elsewhere]\nnetwork = other\ndirection = egress\n"
      "action = deny\nranges = 0.0.0.0/0\npriority = 0\n",
      "delivered", "none", "implied allow" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_direct (cases[i].rules, NULL);
      CloudRunRequest *r = world_fixture_request (wf, "call", 0);
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_EGRESS_FIREWALL_RULE", "vpc-net");

      expect_verdict (wf, "call", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      assert_non_null (fw);
      if (!strstr (fw->rule, cases[i].rule_word))
        fail_msg ("%s: firewall step says '%s'", cases[i].label, fw->rule);
      if (strcmp (cases[i].verdict, "dropped") == 0)
        {
          assert_string_equal (world_fixture_decided_at (wf, "call", 0),
                               "vpc-router");
          /* Nothing crossed to the GFE: the container never saw it. */
          assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
          assert_int_equal (world_fixture_served (wf, "backend"), 0);
        }
    }
}

/* ---- Routes ------------------------------------------------------- */

static void
test_vpc_router__routes (void **state)
{
  static const struct {
    const char *label;
    const char *extra;
    const char *const overrides[2];
    const char *verdict, *cause;
    const char *rule_word;      /* in the deciding router step */
  } cases[] = {
    { "default-route = false: no route", "",
      { "network net.default-route=false", NULL },
      "dropped", "NO_ROUTE", "default-route = false" },
    { "a blackhole for the front ends",
      "[route sink]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = blackhole\n", { NULL },
      "dropped", "ROUTE_BLACKHOLE",
      /* A blackhole is a route whose next hop is gone (NEXT_HOP_BLACKHOLE). */
      "next hop blackhole (its next hop no longer exists)" },
    { "a longer blackhole beats the default route, whatever its priority",
      "[route sink]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = blackhole\npriority = 65535\n", { NULL },
      "dropped", "ROUTE_BLACKHOLE", "route sink" },
    { "a longer gateway route beats a shorter blackhole of priority 0",
      "[route sink]\nnetwork = net\ndestination = 216.239.0.0/16\n"
      "next-hop = blackhole\npriority = 0\n\n"
      "[route to-gfe]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = default-internet-gateway\npriority = 5000\n", { NULL },
      "delivered", "none", "route to-gfe" },
    { "same prefix: the lower priority number wins (gateway)",
      "[route sink]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = blackhole\npriority = 200\n\n"
      "[route to-gfe]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = default-internet-gateway\npriority = 100\n", { NULL },
      "delivered", "none", "route to-gfe" },
    { "same prefix: the lower priority number wins (blackhole)",
      "[route sink]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = blackhole\npriority = 100\n\n"
      "[route to-gfe]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = default-internet-gateway\npriority = 200\n", { NULL },
      "dropped", "ROUTE_BLACKHOLE", "route sink" },
    { "no default route, but a custom route to the gateway",
      "[route to-gfe]\nnetwork = net\ndestination = 216.239.32.0/19\n"
      "next-hop = default-internet-gateway\n",
      { "network net.default-route=false", NULL },
      "delivered", "none", "route to-gfe" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_direct (cases[i].extra,
                                                cases[i].overrides);
      CloudRunRequest *r = world_fixture_request (wf, "call", 0);
      bool dropped = strcmp (cases[i].verdict, "dropped") == 0;
      const SimExplainStep *s = world_fixture_step (
        wf, r, dropped ? "DROP" : "APPLY_ROUTE", "vpc-net");

      expect_verdict (wf, "call", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      assert_non_null (s);
      if (!strstr (s->rule, cases[i].rule_word))
        fail_msg ("%s: router step says '%s'", cases[i].label, s->rule);
      if (dropped)
        {
          assert_string_equal (world_fixture_decided_at (wf, "call", 0),
                               "vpc-router");
          assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
        }
      else
        assert_string_equal (world_fixture_class (wf, "call", 0),
                             "internal");
    }
}

/* ---- Private Google Access ---------------------------------------- */

static void
test_vpc_router__pga_off_is_disallowed (void **state)
{
  static const char *const pga_off[] = {
    "subnet run.private-google-access=false", NULL };
  g_autoptr (WorldFixture) wf = run_direct (NULL, pga_off);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  (void) state;
  expect_verdict (wf, "call", "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED",
                  "PGA off");
  assert_string_equal (world_fixture_decided_at (wf, "call", 0),
                       "vpc-router");
  assert_string_equal (world_fixture_class (wf, "call", 0), "-");
  /* The caller saw a connect timeout, not an HTTP answer. */
  assert_int_equal (r->status, 0);
  assert_non_null (world_fixture_step (wf, r, "DROP", "vpc-net"));
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
  assert_int_equal (world_fixture_served (wf, "backend"), 0);
}

static void
test_vpc_router__pga_on_crosses_the_fabric (void **state)
{
  g_autoptr (WorldFixture) wf = run_direct (NULL, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *route;

  (void) state;
  expect_verdict (wf, "call", "delivered", "none", "PGA on");
  assert_string_equal (world_fixture_class (wf, "call", 0), "internal");
  assert_int_equal (r->status, 200);
  route = world_fixture_step (wf, r, "APPLY_ROUTE", "vpc-net");
  assert_non_null (route);
  assert_non_null (strstr (route->note, "Private Google Access is on"));
  /* Packets went router -> GFE on the fabric and came back; none took
   * Cloud Run's default internet egress. */
  assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
  assert_true (world_fixture_packets (wf, "gfe", "vpc-net") > 0);
  assert_int_equal (world_fixture_packets (wf, "front-1", "run-egress"), 0);
  assert_int_equal (world_fixture_packets (wf, "run-egress", "internet"), 0);
  assert_int_equal (world_fixture_served (wf, "backend"), 1);
}

/* A VM in subnet vms of net, calling two services of its project. */
static const char vm_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network net]\n\n"
  "[subnet vms]\nnetwork = net\nregion = us-central1\n"
  "range = 10.1.0.0/24\n\n"
  "[vm app]\nsubnet = vms\naddress = 10.1.0.5\n\n"
  "[service public]\nregion = us-central1\ningress = all\n\n"
  "[service private]\nregion = us-central1\ningress = internal\n\n"
  "[traffic to-public]\nfrom = app\nurl = service:public\n\n"
  "[traffic to-private]\nfrom = app\nurl = service:private\n\n";

static WorldFixture *
run_vm (const char *extra, const char *const *overrides)
{
  g_autofree char *ini = g_strconcat (vm_base, extra ? extra : "", NULL);

  return world_fixture_new (ini, overrides);
}

/* Issue 19: a VM with an external address in a network of the service's
 * project is internal (run/docs/securing/ingress: "even if the originating
 * resource has an external IP address"). It needs no Private Google
 * Access: its packets leave from the external address but stay inside
 * Google, with the network's identity. */
static void
test_vpc_router__external_ip_is_internal_in_its_project (void **state)
{
  static const char *const with_ip[] = {
    "vm app.external-ip=true", "subnet vms.private-google-access=false",
    NULL };
  g_autoptr (WorldFixture) wf = run_vm (NULL, with_ip);
  CloudRunRequest *r = world_fixture_request (wf, "to-private", 0);
  const SimExplainStep *route = world_fixture_step (wf, r, "APPLY_ROUTE",
                                                    "vpc-net");

  (void) state;
  expect_verdict (wf, "to-public", "delivered", "none", "external IP");
  expect_verdict (wf, "to-private", "delivered", "none",
                  "external IP to internal");
  assert_string_equal (world_fixture_class (wf, "to-private", 0),
                       "internal");
  assert_int_equal (world_fixture_status (wf, "to-private", 0), 200);
  /* Left from its external address, a Google Cloud one (35.192.0.0/16),
   * over Google's fabric, not the internet. */
  assert_non_null (route);
  assert_non_null (strstr (route->note, "stays inside Google"));
  assert_int_equal (route->src_before, WF_IP (10, 1, 0, 5));
  assert_int_equal (route->src_after & 0xffff0000u, WF_IP (35, 192, 0, 0));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_INTERNET));
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "internet"), 0);
  assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
  /* The replies come back through the translation to the VM. */
  assert_true (world_fixture_packets (wf, "gfe", "vpc-net") > 0);
}

/* The same VM in another project's network stays external. */
static void
test_vpc_router__external_ip_in_another_project_is_external (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[project shop]\n\n[project partner]\n\n"
    "[network net]\nproject = partner\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm app]\nsubnet = vms\naddress = 10.1.0.5\nexternal-ip = true\n\n"
    "[service private]\nproject = shop\nregion = us-central1\n"
    "ingress = internal\n\n"
    "[traffic to-private]\nfrom = app\nurl = service:private\n\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "to-private", 0);

  (void) state;
  expect_verdict (wf, "to-private", "denied-by-ingress", "INGRESS_DENIED",
                  "another project's VM with an external IP");
  assert_string_equal (world_fixture_class (wf, "to-private", 0),
                       "external");
  assert_int_equal (world_fixture_status (wf, "to-private", 0), 404);
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_INTERNET));
  assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
}

/* Issue 19: a PSC endpoint for Google APIs needs Private Google Access on
 * the caller's subnet, unless the caller has an external address
 * (vpc/docs/configure-private-service-connect-apis); [assumptions]
 * psc-google-access = implicit keeps the field's reading. */
static void
test_vpc_router__psc_endpoint_needs_pga (void **state)
{
  static const char psc[] =
    "[psc-endpoint apis]\nnetwork = net\naddress = 10.255.0.5\n\n"
    "[dns-zone run-app]\ndns-name = run.app.\nvisibility = private\n"
    "networks = net\nrecords = *.run.app. A 10.255.0.5\n\n";
  static const char *const pga_off[] = { NULL };
  static const char *const pga_on[] = {
    "subnet vms.private-google-access=true", NULL };
  static const char *const implicit[] = {
    "assumptions.psc-google-access=implicit", NULL };
  static const char *const with_ip[] = { "vm app.external-ip=true", NULL };
  static const struct {
    const char *label;
    const char *const *overrides;
    bool delivered;
    const char *words;
  } cases[] = {
    { "PGA off", pga_off, false, "psc-google-access = subnet-pga" },
    { "PGA on", pga_on, true, "Private Google Access is on" },
    { "implicit", implicit, true, "psc-google-access = implicit" },
    { "external IP", with_ip, true, "has an external address" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_vm (psc, cases[i].overrides);
      CloudRunRequest *r = world_fixture_request (wf, "to-private", 0);
      const SimExplainStep *step
        = world_fixture_step (wf, r, cases[i].delivered ? "APPLY_ROUTE"
                                                        : "DROP", "vpc-net");

      if (cases[i].delivered)
        {
          expect_verdict (wf, "to-private", "delivered", "none",
                          cases[i].label);
          assert_string_equal (world_fixture_class (wf, "to-private", 0),
                               "internal");
          assert_true (world_fixture_passed (r, CLOUDRUN_HOP_PSC_ENDPOINT));
        }
      else
        {
          expect_verdict (wf, "to-private", "dropped",
                          "PRIVATE_GOOGLE_ACCESS_DISALLOWED", cases[i].label);
          assert_false (world_fixture_passed (r, CLOUDRUN_HOP_PSC_ENDPOINT));
          assert_int_equal (world_fixture_packets (wf, "vpc-net",
                                                   "psc-apis"), 0);
        }
      assert_non_null (step);
      assert_non_null (strstr (cases[i].delivered ? step->note : step->rule,
                               cases[i].words));
    }
}

/* A connector's queue waits (CONNECTOR_QUEUE, on the way in or back, and
 * whenever they come) are observations at a hop the request passed: its
 * path (via) names the connector once, where it was passed. */
static void
test_vpc_router__connector_waits_add_no_hop (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[project shop]\n\n[network net]\n\n"
    "[connector conn]\nnetwork = net\nregion = us-central1\n"
    "range = 10.8.0.0/28\nmachine-type = f1-micro\n\n"
    "[service front]\nregion = us-central1\nvpc-access = connector\n"
    "connector = conn\nvpc-egress = all-traffic\nmin-instances = 1\n\n"
    "[service backend]\nregion = us-central1\ningress = internal\n"
    "min-instances = 2\nresponse-size = 256KiB\n\n"
    "[traffic burst]\nfrom = front\nurl = service:backend\n"
    "pattern = burst\ncount = 20\n\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  guint waited = 0;

  (void) state;
  for (guint i = 0; i < 20; i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "burst", i);
      g_autofree char *via = world_fixture_via (wf, "burst", i);

      assert_string_equal (world_fixture_verdict (wf, "burst", i),
                           "delivered");
      assert_string_equal (via,
                           "service;dns;connector;vpc-router;gfe;service");
      waited += world_fixture_count_steps (wf, r, "CONNECTOR_QUEUE",
                                           "connector-conn");
    }
  /* The burst did queue: the test would see a misplaced hop. */
  assert_true (waited > 0);
}

static void
test_vpc_router__nat_turns_pga_on (void **state)
{
  static const char nat[] =
    "[nat gw]\nnetwork = net\nregion = us-central1\n";
  static const char nat_elsewhere[] =
    "[subnet other]\nnetwork = net\nregion = us-central1\n"
    "range = 10.2.0.0/24\n\n"
    "[nat gw]\nnetwork = net\nregion = us-central1\nsubnets = other\n";
  static const char *const no_assumption[] = {
    "assumptions.nat-enables-pga=false", NULL };
  static const struct {
    const char *label;
    const char *extra;
    const char *const *overrides;
    const char *verdict, *cause;
  } cases[] = {
    { "no NAT, PGA off", "", NULL,
      "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
    { "NAT on the subnet", nat, NULL, "delivered", "none" },
    { "NAT, nat-enables-pga = false", nat, no_assumption,
      "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
    { "NAT serving only another subnet", nat_elsewhere, NULL,
      "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_vm (cases[i].extra,
                                            cases[i].overrides);
      bool delivered = strcmp (cases[i].verdict, "delivered") == 0;

      expect_verdict (wf, "to-private", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      if (delivered)
        {
          CloudRunRequest *r = world_fixture_request (wf, "to-private", 0);
          const SimExplainStep *route = world_fixture_step (
            wf, r, "APPLY_ROUTE", "vpc-net");
          assert_string_equal (world_fixture_class (wf, "to-private", 0),
                               "internal");
          assert_non_null (strstr (route->note, "nat-enables-pga"));
          assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
        }
      else
        assert_string_equal (world_fixture_decided_at (wf, "to-private", 0),
                             "vpc-router");
      /* Cloud NAT never translates traffic to Google front ends. */
      if (cases[i].extra[0])
        assert_int_equal (world_fixture_packets (wf, "vpc-net", "nat-gw"), 0);
    }
}

/* ---- Ingress firewall between VMs --------------------------------- */

static void
test_vpc_router__vm_to_vm_ingress (void **state)
{
  static const char base[] =
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm a]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[vm b]\nsubnet = vms\naddress = 10.1.0.6\n\n"
    "[traffic a-to-b]\nfrom = a\nurl = http://10.1.0.6/\n\n";
  static const struct {
    const char *label;
    const char *rules;
    const char *verdict, *cause;
    const char *rule_word;      /* in the ingress firewall step */
  } cases[] = {
    { "no rule: the implied ingress deny", "",
      "dropped", "FIREWALL_RULE", "implied deny" },
    { "an allow from the subnet",
      "[firewall allow-internal]\nnetwork = net\ndirection = ingress\n"
      "action = allow\nranges = 10.1.0.0/24\nprotocols = tcp:80\n",
      "delivered", "none", "allow-internal" },
    { "an allow from elsewhere does not match",
      "[firewall allow-lb]\nnetwork = net\ndirection = ingress\n"
      "action = allow\nranges = 35.191.0.0/16\n",
      "dropped", "FIREWALL_RULE", "implied deny" },
    { "a deny at 100 beats the allow at 1000",
      "[firewall allow-internal]\nnetwork = net\ndirection = ingress\n"
      "action = allow\nranges = 10.1.0.0/24\n\n"
      "[firewall deny-a]\nnetwork = net\ndirection = ingress\n"
      "action = deny\nranges = 10.1.0.5/32\npriority = 100\n",
      "dropped", "FIREWALL_RULE", "deny-a" },
    { "a disabled deny is not enforced",
      "[firewall allow-internal]\nnetwork = net\ndirection = ingress\n"
      "action = allow\nranges = 10.1.0.0/24\n\n"
      "[firewall deny-a]\nnetwork = net\ndirection = ingress\n"
      "action = deny\nranges = 10.1.0.5/32\npriority = 100\n"
      "disabled = true\n",
      "delivered", "none", "allow-internal" },
    { "an egress allow does not open ingress",
      "[firewall allow-out]\nnetwork = net\ndirection = egress\n"
      "action = allow\nranges = 10.1.0.0/24\n",
      "dropped", "FIREWALL_RULE", "implied deny" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (base, cases[i].rules, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      CloudRunRequest *r = world_fixture_request (wf, "a-to-b", 0);
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");
      uint64_t to_b = world_fixture_packets (wf, "vpc-net", "b");

      expect_verdict (wf, "a-to-b", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      assert_non_null (fw);
      if (!strstr (fw->rule, cases[i].rule_word))
        fail_msg ("%s: ingress step says '%s'", cases[i].label, fw->rule);
      if (strcmp (cases[i].verdict, "dropped") == 0)
        {
          assert_string_equal (world_fixture_decided_at (wf, "a-to-b", 0),
                               "vpc-router");
          assert_int_equal (to_b, 0);
        }
      else
        {
          assert_string_equal (world_fixture_decided_at (wf, "a-to-b", 0),
                               "vm");
          assert_int_equal (world_fixture_status (wf, "a-to-b", 0), 200);
          assert_true (to_b > 0);
        }
    }
}

/* Firewall policies from the file: an organization's policy applies to
 * the networks of every project, a folder's to those of its projects; a
 * network policy to its networks, after the VPC's rules unless the
 * network puts it first. */
static void
test_vpc_router__firewall_policies_from_the_file (void **state)
{
  static const char base[] =
    WF_HEAD
    "[project shop]\n[project other]\n\n"
    "[network net]\nproject = shop\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm a]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[vm b]\nsubnet = vms\naddress = 10.1.0.6\n\n"
    "[firewall allow-vms]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 10.1.0.0/24\n\n"
    "[traffic a-to-b]\nfrom = a\nurl = http://10.1.0.6/\n\n";
  static const struct {
    const char *label;
    const char *extra;
    const char *verdict, *rule_word;
  } cases[] = {
    { "an organization's deny comes before the VPC's allow",
      "[firewall-policy org]\ntype = hierarchical\n"
      "[firewall org-deny]\npolicy = org\ndirection = ingress\n"
      "action = deny\n",
      "dropped", "policy org, rule org-deny" },
    { "a folder policy over another project does not apply",
      "[firewall-policy team]\ntype = hierarchical\nlevel = folder\n"
      "projects = other\n"
      "[firewall team-deny]\npolicy = team\ndirection = ingress\n"
      "action = deny\n",
      "delivered", "allow-vms" },
    { "a network policy comes after the VPC's allow",
      "[firewall-policy np]\ntype = network\nnetworks = net\n"
      "[firewall np-deny]\npolicy = np\ndirection = ingress\n"
      "action = deny\n",
      "delivered", "allow-vms" },
    { "unless the network puts it first",
      "[firewall-policy np]\ntype = network\nnetworks = net\n"
      "[firewall np-deny]\npolicy = np\ndirection = ingress\n"
      "action = deny\n",
      "dropped", "policy np, rule np-deny" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const first[] = {
        "network net.firewall-policy-enforcement-order="
        "before-classic-firewall", NULL };
      g_autofree char *ini = g_strconcat (base, cases[i].extra, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (
        ini, i == 3 ? first : NULL);
      CloudRunRequest *r = world_fixture_request (wf, "a-to-b", 0);
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");

      expect_verdict (wf, "a-to-b", cases[i].verdict,
                      strcmp (cases[i].verdict, "dropped") == 0
                      ? "FIREWALL_RULE" : "none", cases[i].label);
      assert_non_null (fw);
      if (!strstr (fw->rule, cases[i].rule_word))
        fail_msg ("%s: ingress step says '%s'", cases[i].label, fw->rule);
    }
}

/* A regional policy from the file applies to its region's VMs only; the
 * step of a VM elsewhere names it as a rule that did not apply. A
 * global rule by secure tag admits the tagged VM first. */
static void
test_vpc_router__regional_policy_and_secure_tags (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\nproject = shop\n"
    "firewall-policy-enforcement-order = before-classic-firewall\n\n"
    "[subnet central]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet east]\nnetwork = net\nregion = us-east1\n"
    "range = 10.2.0.0/24\n\n"
    "[secure-tag app]\nnetwork = net\n\n"
    "[vm a]\nsubnet = central\naddress = 10.1.0.5\n\n"
    "[vm b]\nsubnet = central\naddress = 10.1.0.6\n\n"
    "[vm t]\nsubnet = central\naddress = 10.1.0.7\nsecure-tags = app\n\n"
    "[vm e]\nsubnet = east\naddress = 10.2.0.6\n\n"
    "[firewall allow-all]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 10.0.0.0/8\n\n"
    "[firewall-policy global]\ntype = network\nnetworks = net\n"
    "[firewall global-app]\npolicy = global\ndirection = ingress\n"
    "action = allow\ntarget-secure-tags = app\nranges = 10.1.0.5/32\n\n"
    "[firewall-policy central]\ntype = regional\nregion = us-central1\n"
    "networks = net\n"
    "[firewall central-deny]\npolicy = central\ndirection = ingress\n"
    "action = deny\nranges = 10.1.0.5/32\n\n"
    "[traffic a-to-b]\nfrom = a\nurl = http://10.1.0.6/\n\n"
    "[traffic a-to-e]\nfrom = a\nurl = http://10.2.0.6/\n\n"
    "[traffic a-to-t]\nfrom = a\nurl = http://10.1.0.7/\n\n";
  static const struct {
    const char *traffic, *verdict, *cause, *rule_word, *note_word;
  } cases[] = {
    { "a-to-b", "dropped", "FIREWALL_RULE",
      "rule central-deny (regional network policy of us-central1",
      "regional-firewall-policies" },
    { "a-to-e", "delivered", "none", "firewall allow-all",
      "central-deny (regional network policy of us-central1, before the "
      "VPC's rules, ingress, priority 1000) would have matched, but its "
      "policy applies in us-central1 only, not to an instance of "
      "us-east1" },
    { "a-to-t", "delivered", "none", "rule global-app",
      "tags-firewalls-overview" },
  };
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, cases[i].traffic, 0);
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");

      expect_verdict (wf, cases[i].traffic, cases[i].verdict, cases[i].cause,
                      cases[i].traffic);
      assert_non_null (fw);
      if (!strstr (fw->rule, cases[i].rule_word)
          || !strstr (fw->note, cases[i].note_word))
        fail_msg ("%s: ingress step says '%s' / '%s'", cases[i].traffic,
                  fw->rule, fw->note);
    }
}

/* ---- VPC Network Peering ------------------------------------------ */

/* Networks app (a Direct VPC caller) and data (VM db), and the peerings
 * each case adds. */
static const char peering_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network app]\n[subnet run]\nnetwork = app\nregion = us-central1\n"
  "range = 10.0.0.0/24\n\n"
  "[network data]\n[subnet dbs]\nnetwork = data\nregion = europe-west1\n"
  "range = 10.20.0.0/24\n\n"
  "[network legacy]\n[subnet old]\nnetwork = legacy\n"
  "region = us-central1\nrange = 10.30.0.0/24\n\n"
  "[vm db]\nsubnet = dbs\naddress = 10.20.0.5\n\n"
  "[vm old]\nsubnet = old\naddress = 10.30.0.5\n\n"
  "[firewall data-in]\nnetwork = data\ndirection = ingress\n"
  "action = allow\nranges = 10.0.0.0/24\n\n"
  "[firewall legacy-in]\nnetwork = legacy\ndirection = ingress\n"
  "action = allow\nranges = 10.0.0.0/8\n\n"
  "[psc-endpoint apis]\nnetwork = data\naddress = 10.20.0.100\n\n"
  "[service caller]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = run\n\n"
  "[traffic to-db]\nfrom = caller\nurl = http://10.20.0.5/\n\n";

#define PEER(NAME, NET, PEER_NET) \
  "[peering " NAME "]\nnetwork = " NET "\npeer-network = " PEER_NET "\n"

static void
test_vpc_router__peering (void **state)
{
  static const struct {
    const char *label;
    const char *extra;
    const char *url;
    const char *verdict, *cause;
    const char *why;            /* in the drop step, or NULL */
  } cases[] = {
    { "both sides: the subnet routes cross",
      PEER ("a", "app", "data") PEER ("b", "data", "app"),
      "http://10.20.0.5/", "delivered", "none", NULL },
    { "one side only: inactive, no route",
      PEER ("a", "app", "data"),
      "http://10.20.0.5/", "dropped", "PRIVATE_TRAFFIC_TO_INTERNET",
      "network data: peering a is inactive (data has no peering back)" },
    { "not transitive: app -> data -> legacy",
      PEER ("a", "app", "data") PEER ("b", "data", "app")
      PEER ("c", "data", "legacy") PEER ("d", "legacy", "data"),
      "http://10.30.0.5/", "dropped", "PRIVATE_TRAFFIC_TO_INTERNET",
      "network legacy is a peer of network data, not of app: peering is "
      "not transitive" },
    { "the peer's ingress rules apply",
      PEER ("a", "app", "data") PEER ("b", "data", "app")
      "[firewall data-deny]\nnetwork = data\ndirection = ingress\n"
      "action = deny\nranges = 10.0.0.0/24\npriority = 10\n",
      "http://10.20.0.5/", "dropped", "FIREWALL_RULE", NULL },
    { "a PSC endpoint is not reachable from a peered network",
      PEER ("a", "app", "data") PEER ("b", "data", "app"),
      "https://10.20.0.100/", "dropped",
      "PSC_ENDPOINT_ACCESSED_FROM_PEERED_NETWORK", NULL },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *set = g_strconcat ("traffic to-db.url=",
                                          cases[i].url, NULL);
      const char *const overrides[] = { set, NULL };
      g_autofree char *ini = g_strconcat (peering_base, cases[i].extra, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides);

      expect_verdict (wf, "to-db", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      if (cases[i].why)
        {
          const SimExplainStep *drop = world_fixture_step (
            wf, world_fixture_request (wf, "to-db", 0), "DROP", "vpc-app");
          if (!drop || !strstr (drop->rule, cases[i].why))
            fail_msg ("%s: drop step says '%s'", cases[i].label,
                      drop ? drop->rule : "(none)");
        }
      if (strcmp (cases[i].verdict, "delivered") == 0)
        {
          CloudRunRequest *r = world_fixture_request (wf, "to-db", 0);
          const SimExplainStep *route = world_fixture_step (
            wf, r, "APPLY_ROUTE", "vpc-app");
          assert_non_null (strstr (route->rule, "PEERING_SUBNET"));
          /* The ingress rule is data's; the reply crossed back. */
          assert_non_null (world_fixture_step (
            wf, r, "APPLY_INGRESS_FIREWALL_RULE", "vpc-data"));
          assert_int_equal (world_fixture_status (wf, "to-db", 0), 200);
          /* us-central1 to europe-west1 and back: the delivering router
           * adds the time between the regions each way. */
          assert_true (world_fixture_latency (r) > 100 * SIM_MS);
        }
    }
}

/* ---- Cloud VPN and Interconnect ------------------------------------ */

/* A VPC network prod with a VM db and an internal service api; a site
 * office (on premises) with a host laptop whose DNS points run.app at
 * private.googleapis.com; the link each case adds. */
static const char hybrid_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network prod]\n[subnet vms]\nnetwork = prod\nregion = us-central1\n"
  "range = 10.1.0.0/24\n\n"
  "[vm db]\nsubnet = vms\naddress = 10.1.0.5\n\n"
  "[network office]\non-premises = true\n"
  "[subnet lan]\nnetwork = office\nregion = us-central1\n"
  "range = 192.168.10.0/24\n\n"
  "[vm laptop]\nsubnet = lan\naddress = 192.168.10.5\n\n"
  "[dns-zone site-run]\ndns-name = run.app.\nnetworks = office\n"
  "records = *.run.app. CNAME private.googleapis.com.\n\n"
  "[dns-zone site-apis]\ndns-name = googleapis.com.\nnetworks = office\n"
  "records = private.googleapis.com. A 199.36.153.8\n\n"
  "[service api]\nregion = us-central1\ningress = internal\n"
  "min-instances = 1\n\n"
  "[traffic go]\nfrom = laptop\nurl = service:api\n\n";

#define LINK(EXTRA) \
  "[hybrid-link vpn]\nnetwork = prod\nsite = office\n" \
  "region = us-central1\n" EXTRA

static void
test_vpc_router__hybrid_link (void **state)
{
  static const struct {
    const char *label;
    const char *extra;
    const char *url;
    const char *verdict, *cause, *decided;
  } cases[] = {
    { "the VIPs advertised: internal through the tunnel",
      LINK ("advertised-ranges = 199.36.153.8/30\n"),
      "service:api", "delivered", "none", "service" },
    { "the VIPs not advertised: out by the site's internet, no route",
      LINK (""), "service:api", "dropped", "NO_ROUTE", "internet" },
    { "no link at all: the same",
      "", "service:api", "dropped", "NO_ROUTE", "internet" },
    { "a public Google address across the tunnel is refused",
      LINK ("advertised-ranges = 199.36.153.8/30;216.239.32.0/19\n"),
      "http://216.239.32.53/", "dropped",
      "PRIVATE_GOOGLE_ACCESS_VIA_VPN_TUNNEL_UNSUPPORTED", "vpc-router" },
    { "a VM of the region's subnets: its ingress rules decide",
      LINK (""), "http://10.1.0.5/", "dropped", "FIREWALL_RULE",
      "vpc-router" },
    { "and a rule for the site's range admits it",
      LINK ("") "[firewall from-office]\nnetwork = prod\n"
      "direction = ingress\naction = allow\nranges = 192.168.10.0/24\n",
      "http://10.1.0.5/", "delivered", "none", "vm" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *set = g_strconcat ("traffic go.url=", cases[i].url,
                                          NULL);
      const char *const overrides[] = { set, NULL };
      g_autofree char *ini = g_strconcat (hybrid_base, cases[i].extra, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides);

      expect_verdict (wf, "go", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      assert_string_equal (world_fixture_decided_at (wf, "go", 0),
                           cases[i].decided);
      if (i == 0)
        {
          CloudRunRequest *r = world_fixture_request (wf, "go", 0);
          assert_non_null (strstr (world_fixture_step (
                                     wf, r, "APPLY_ROUTE", "site-office")
                                   ->rule, "custom route advertised"));
          assert_string_equal (world_fixture_class (wf, "go", 0),
                               "internal");
        }
    }
}

/* The other way: a VPC caller reaches a site host over the routes the
 * Cloud Router learned; a site has no firewall rules of Google's. */
static void
test_vpc_router__hybrid_learned_routes (void **state)
{
  g_autofree char *ini = g_strconcat (
    hybrid_base, LINK ("kind = interconnect\nlatency = 20ms\n"), NULL);
  const char *const overrides[] = { "traffic go.from=db",
                                    "traffic go.url=http://192.168.10.5/",
                                    NULL };
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides);
  CloudRunRequest *r;

  (void) state;
  expect_verdict (wf, "go", "delivered", "none", "learned routes");
  r = world_fixture_request (wf, "go", 0);
  assert_non_null (strstr (world_fixture_step (wf, r, "APPLY_ROUTE",
                                               "vpc-prod")->rule,
                           "NEXT_HOP_INTERCONNECT"));
  /* Two round trips (SYN, then the request) across a 20 ms link. */
  assert_true (world_fixture_latency (r) >= 80 * SIM_MS);
}

/* The link's bandwidth paces what crosses it: 250 KB of request body
 * over 2 Mbps take a second, over the default 10 Gbps a millisecond. */
static void
test_vpc_router__hybrid_link_bandwidth (void **state)
{
  for (int slow = 0; slow < 2; slow++)
    {
      g_autofree char *ini = g_strconcat (
        hybrid_base, LINK ("latency = 1ms\n"),
        slow ? "bandwidth = 2Mbps\n" : "", NULL);
      const char *const overrides[] = { "traffic go.from=db",
                                        "traffic go.url=http://192.168.10.5/",
                                        "traffic go.request-size=250000B",
                                        NULL };
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides);
      SimTime took;

      (void) state;
      expect_verdict (wf, "go", "delivered", "none", "paced by the link");
      took = world_fixture_latency (world_fixture_request (wf, "go", 0));
      if (slow)
        assert_true (took >= SIM_S);
      else
        assert_true (took < 100 * SIM_MS);
    }
}

/* ---- The router alone on a tiny world ----------------------------- */

#define CONN_BLOCK TW_IP (10, 8, 0, 0)
#define DB TW_IP (10, 1, 0, 9)
#define APP TW_IP (10, 1, 0, 5)

typedef struct {
  TinyWorld *tw;
  TinyProbe *conn, *db, *app;
  CloudRunVpcRouter *router;
} RouterWorld;

static SimPort *
router_source (RouterWorld *w, CloudRunVpcRouter *r, const char *name,
               CloudRunVpcSourceKind kind, uint32_t prefix, uint8_t len,
               TinyProbe **probe)
{
  static const char *const conn_tags[] = {
    "vpc-connector", "vpc-connector-us-central1-conn", NULL };
  CloudRunVpcSource src = {
    .kind = kind, .label = name,
    .tags = kind == CLOUDRUN_VPC_SOURCE_CONNECTOR ? conn_tags : NULL };
  SimPort *port = cloudrun_vpc_router_attach (r, name, &src);

  cloudrun_vpc_router_deliver (r, port, prefix, len, name);
  *probe = tiny_probe_new (w->tw, name);
  tiny_link (w->tw, (*probe)->port, port);
  return port;
}

/* Network net: a connector's /28 (with its two network tags, and so the
 * hidden rule that admits them), VMs db and app in 10.1.0.0/24, the
 * firewall rules tw already holds. */
static RouterWorld
router_world (TinyWorld *tw, TinyRouterConfig *rc)
{
  RouterWorld w = { tw, NULL, NULL, NULL, NULL };
  CloudRunVpcRouter *r;

  rc->config.connector_rule = true;
  r = cloudrun_vpc_router_new (tw->world, &rc->config);
  w.router = r;

  cloudrun_vpc_router_add_local_range (r, CONN_BLOCK, 28, "connector conn");
  cloudrun_vpc_router_add_local_range (r, TW_IP (10, 1, 0, 0), 24,
                                       "subnet vms");
  router_source (&w, r, "connector-conn", CLOUDRUN_VPC_SOURCE_CONNECTOR,
                 CONN_BLOCK, 28, &w.conn);
  router_source (&w, r, "vm-db", CLOUDRUN_VPC_SOURCE_VM, DB, 32, &w.db);
  router_source (&w, r, "vm-app", CLOUDRUN_VPC_SOURCE_VM, APP, 32, &w.app);
  return w;
}

/* What arrives from a peered network goes to this network's own ranges
 * only: not on to the internet, a NAT or another peering. */
static void
test_vpc_router__peer_traffic_stays_inside (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  TinyRouterConfig *rc = tiny_router_config (tw, "net", 123456789012u);
  RouterWorld w;
  TinyProbe *peer;
  SimPort *port;

  (void) state;
  tiny_router_firewall (tw, rc, "allow-all", VPC_FIREWALL_INGRESS,
                        VPC_FIREWALL_ALLOW, 0, 0, 1000);
  w = router_world (tw, rc);
  port = cloudrun_vpc_router_attach_peer (w.router, "peering-p",
                                          "peering p (network other)", false);
  peer = tiny_probe_new (tw, "other-router");
  tiny_link (tw, peer->port, port);
  tiny_probe_send_tcp (peer, 0, TW_IP (10, 50, 0, 2), 40000, DB, 80,
                       SIM_TCP_SYN, 64, 0, 1);
  tiny_probe_send_tcp (peer, 0, TW_IP (10, 50, 0, 2), 40001,
                       TW_IP (203, 0, 113, 9), 80, SIM_TCP_SYN, 64, 0, 2);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.db), 1);
  assert_int_equal (tiny_request (tw, 2)->drop_cause,
                    CLOUDRUN_DROP_NO_ROUTE);
  assert_non_null (strstr (tiny_step (tw, 2, "DROP", "vpc-net")->rule,
                           "peering is not transitive"));
}

/* A peer's packet for a site follows the tunnel route only when this
 * network exports its custom routes to that peer. */
static void
test_vpc_router__peer_follows_exported_routes_only (void **state)
{
  for (int exports = 0; exports < 2; exports++)
    {
      g_autoptr (TinyWorld) tw = tiny_world_new (2);
      TinyRouterConfig *rc = tiny_router_config (tw, "net", 123456789012u);
      RouterWorld w = router_world (tw, rc);
      SimPort *port = cloudrun_vpc_router_attach_peer (
        w.router, "peering-p", "peering p (network other)", exports);
      SimPort *link = cloudrun_vpc_router_attach_tunnel (w.router, "link-v",
                                                         "site office");
      TinyProbe *peer = tiny_probe_new (tw, "other-router");
      TinyProbe *site = tiny_probe_new (tw, "site-router");

      (void) state;
      cloudrun_vpc_router_add_tunnel_route (w.router, link,
                                            TW_IP (192, 168, 10, 0), 24,
                                            "dynamic route to site office");
      tiny_link (tw, peer->port, port);
      tiny_link (tw, site->port, link);
      tiny_probe_send_tcp (peer, 0, TW_IP (10, 50, 0, 2), 40000,
                           TW_IP (192, 168, 10, 5), 80, SIM_TCP_SYN, 64, 0,
                           1);
      tiny_world_run (tw, SIM_MS);
      assert_int_equal (tiny_probe_count (site), exports ? 1 : 0);
      if (!exports)
        assert_int_equal (tiny_request (tw, 1)->drop_cause,
                          CLOUDRUN_DROP_NO_ROUTE);
    }
}

static void
test_vpc_router__decrements_ttl (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  RouterWorld w = router_world (tw, tiny_router_config (tw, "net", 123456789012u));
  const TinyFrame *f;

  (void) state;
  tiny_probe_send_tcp (w.conn, 0, CONN_BLOCK + 2, 1024, DB, 5432, SIM_TCP_SYN,
                       64, 0, 1);
  /* A packet that arrives with TTL 1 dies here. */
  tiny_probe_send_tcp (w.conn, SIM_US, CONN_BLOCK + 2, 1025, DB, 5432,
                       SIM_TCP_SYN, 1, 0, 2);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.db), 1);
  f = tiny_probe_frame (w.db, 0);
  assert_int_equal (f->f.sport, 1024);
  assert_int_equal (f->f.ttl, 63);
  assert_true (sim_frame_checksums_ok (&f->f));
  assert_null (tiny_step (tw, 2, "APPLY_ROUTE", NULL));
}

static void
test_vpc_router__connector_has_an_implicit_ingress_rule (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  RouterWorld w = router_world (tw, tiny_router_config (tw, "net", 123456789012u));
  const SimExplainStep *s;

  (void) state;
  /* No ingress rule at all: the implied deny stops app, but Serverless
   * VPC Access's hidden rule admits the connector's instances by their
   * tag. */
  tiny_probe_send_tcp (w.conn, 0, CONN_BLOCK + 2, 1024, DB, 5432, SIM_TCP_SYN,
                       64, 0, 1);
  tiny_probe_send_tcp (w.app, 0, APP, 40000, DB, 5432, SIM_TCP_SYN, 64, 0, 2);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.db), 1);
  assert_int_equal (tiny_probe_frame (w.db, 0)->f.src, CONN_BLOCK + 2);
  s = tiny_step (tw, 1, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");
  assert_non_null (strstr (s->rule, "Serverless VPC Access's implicit "
                                    "ingress rule"));
  assert_string_equal (s->note, "allowed");
  assert_int_equal (tiny_request (tw, 1)->outcome, CLOUDRUN_VERDICT_PENDING);
  assert_int_equal (tiny_request (tw, 2)->drop_cause,
                    CLOUDRUN_DROP_FIREWALL_RULE);
  s = tiny_step (tw, 2, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");
  assert_string_equal (s->rule, "implied deny ingress rule");
}

static void
test_vpc_router__ingress_priority_and_ties (void **state)
{
  static const struct {
    const char *label;
    uint32_t allow, deny;       /* priorities */
    bool delivered;
  } cases[] = {
    { "allow first", 100, 200, true },
    { "deny first", 200, 100, false },
    { "a tie: deny wins", 100, 100, false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TinyWorld) tw = tiny_world_new (1);
      TinyRouterConfig *rc = tiny_router_config (tw, "net", 123456789012u);
      RouterWorld w;

      tiny_router_firewall (tw, rc, "allow-app", VPC_FIREWALL_INGRESS,
                            VPC_FIREWALL_ALLOW, APP, 32, cases[i].allow);
      tiny_router_firewall (tw, rc, "deny-app", VPC_FIREWALL_INGRESS,
                            VPC_FIREWALL_DENY, APP, 32, cases[i].deny);
      w = router_world (tw, rc);
      tiny_probe_send_tcp (w.app, 0, APP, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                           1);
      tiny_world_run (tw, SIM_MS);
      if ((tiny_probe_count (w.db) == 1) != cases[i].delivered)
        fail_msg ("%s: db received %u frames", cases[i].label,
                  tiny_probe_count (w.db));
      assert_non_null (strstr (tiny_step (tw, 1, "APPLY_INGRESS_FIREWALL_RULE",
                                          NULL)->rule,
                               cases[i].delivered ? "allow-app"
                                                  : "deny-app"));
    }
}


/* Issue 8: a VM with an external address reaches the Private Google
 * Access VIPs through the default internet gateway and stays inside
 * Google, with its network's identity; PGA does not matter (issue 19: the
 * public run.app address likewise). */
static void
test_vpc_router__external_ip_reaches_the_vips (void **state)
{
  static const char zones[] =
    "[dns-zone run-app]\ndns-name = run.app.\nvisibility = private\n"
    "networks = net\nrecords = *.run.app. CNAME private.googleapis.com.\n\n"
    "[dns-zone googleapis]\ndns-name = googleapis.com.\n"
    "visibility = private\nnetworks = net\n"
    "records = private.googleapis.com. A 199.36.153.8\n";
  static const char *const with_ip[] = { "vm app.external-ip=true", NULL };
  g_autoptr (WorldFixture) wf = run_vm (zones, with_ip);
  CloudRunRequest *r = world_fixture_request (wf, "to-private", 0);
  const SimExplainStep *route = world_fixture_step (wf, r, "APPLY_ROUTE",
                                                    "vpc-net");

  (void) state;
  expect_verdict (wf, "to-private", "delivered", "none", "VIP from external IP");
  assert_string_equal (world_fixture_class (wf, "to-private", 0), "internal");
  assert_non_null (route);
  assert_non_null (strstr (route->note, "stays inside Google"));
  assert_int_equal (route->dst_before, WF_IP (199, 36, 153, 8));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_INTERNET));
  assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
}


/* Issue 8: an internal destination sent to the internet gateway is
 * PRIVATE_TRAFFIC_TO_INTERNET, whatever NAT or external address exists. */
static void
test_vpc_router__private_traffic_to_internet (void **state)
{
  static const char call[] =
    "[traffic to-nowhere]\nfrom = app\nurl = http://10.9.9.9/\n\n";
  static const char call_nat[] =
    "[traffic to-nowhere]\nfrom = app\nurl = http://10.9.9.9/\n\n"
    "[nat gw]\nnetwork = net\nregion = us-central1\n";
  static const char *const with_ip[] = { "vm app.external-ip=true", NULL };
  static const struct {
    const char *label, *extra;
    const char *const *overrides;
  } cases[] = {
    { "no NAT, no external address", call, NULL },
    { "Cloud NAT serves the subnet", call_nat, NULL },
    { "the VM has an external address", call, with_ip },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_vm (cases[i].extra,
                                            cases[i].overrides);
      CloudRunRequest *r = world_fixture_request (wf, "to-nowhere", 0);
      const SimExplainStep *drop = world_fixture_step (wf, r, "DROP",
                                                       "vpc-net");
      expect_verdict (wf, "to-nowhere", "dropped",
                      "PRIVATE_TRAFFIC_TO_INTERNET", cases[i].label);
      assert_non_null (drop);
      assert_non_null (strstr (drop->rule, "internal address"));
      assert_false (world_fixture_passed (r, CLOUDRUN_HOP_INTERNET));
      assert_false (world_fixture_passed (r, CLOUDRUN_HOP_NAT));
    }
}


/* Issue 8: Cloud NAT serving a connector's hidden subnet turns Private
 * Google Access on for it under connector-google-access = subnet-pga. */
static void
test_vpc_router__nat_turns_pga_on_for_a_hidden_connector_subnet (void **state)
{
  static const char base[] =
    WF_HEAD
    "[project shop]\n\n[network net]\n\n"
    "[connector conn]\nnetwork = net\nregion = us-central1\n"
    "range = 10.8.0.0/28\n\n"
    "[service front]\nregion = us-central1\nvpc-access = connector\n"
    "connector = conn\nvpc-egress = all-traffic\n\n"
    "[service backend]\nregion = us-central1\ningress = internal\n\n"
    "[traffic call]\nfrom = front\nurl = service:backend\n\n"
    "[assumptions]\nconnector-google-access = subnet-pga\n\n";
  static const char *const no_nat_pga[] = {
    "assumptions.nat-enables-pga=false", NULL };
  static const struct {
    const char *label, *extra;
    const char *const *overrides;
    const char *verdict, *cause;
  } cases[] = {
    { "subnet-pga, no NAT", "", NULL,
      "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
    { "subnet-pga, NAT in the region",
      "[nat gw]\nnetwork = net\nregion = us-central1\n", NULL,
      "delivered", "none" },
    { "subnet-pga, NAT, nat-enables-pga = false",
      "[nat gw]\nnetwork = net\nregion = us-central1\n", no_nat_pga,
      "dropped", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (base, cases[i].extra, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini,
                                                       cases[i].overrides);
      expect_verdict (wf, "call", cases[i].verdict, cases[i].cause,
                      cases[i].label);
      if (strcmp (cases[i].verdict, "delivered") == 0)
        assert_string_equal (world_fixture_class (wf, "call", 0), "internal");
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_vpc_router__egress_firewall_priority),
    cmocka_unit_test (test_vpc_router__routes),
    cmocka_unit_test (test_vpc_router__pga_off_is_disallowed),
    cmocka_unit_test (test_vpc_router__pga_on_crosses_the_fabric),
    cmocka_unit_test (test_vpc_router__external_ip_is_internal_in_its_project),
    cmocka_unit_test (
      test_vpc_router__external_ip_in_another_project_is_external),
    cmocka_unit_test (test_vpc_router__psc_endpoint_needs_pga),
    cmocka_unit_test (test_vpc_router__nat_turns_pga_on),
    cmocka_unit_test (test_vpc_router__connector_waits_add_no_hop),
    cmocka_unit_test (test_vpc_router__external_ip_reaches_the_vips),
    cmocka_unit_test (test_vpc_router__private_traffic_to_internet),
    cmocka_unit_test (
      test_vpc_router__nat_turns_pga_on_for_a_hidden_connector_subnet),
    cmocka_unit_test (test_vpc_router__vm_to_vm_ingress),
    cmocka_unit_test (test_vpc_router__firewall_policies_from_the_file),
    cmocka_unit_test (test_vpc_router__regional_policy_and_secure_tags),
    cmocka_unit_test (test_vpc_router__peering),
    cmocka_unit_test (test_vpc_router__peer_traffic_stays_inside),
    cmocka_unit_test (test_vpc_router__peer_follows_exported_routes_only),
    cmocka_unit_test (test_vpc_router__hybrid_link),
    cmocka_unit_test (test_vpc_router__hybrid_learned_routes),
    cmocka_unit_test (test_vpc_router__hybrid_link_bandwidth),
    cmocka_unit_test (test_vpc_router__decrements_ttl),
    cmocka_unit_test (test_vpc_router__connector_has_an_implicit_ingress_rule),
    cmocka_unit_test (test_vpc_router__ingress_priority_and_ties),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
