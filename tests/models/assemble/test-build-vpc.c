/* Tests for models/assemble/build-vpc.c (the VPC side of the builder:
 * networks, VMs, connectors, PSC endpoints) through small scenarios:
 * what each [connector] key turns into in the running world; one Cloud
 * NAT per region, each for its own region; automatic external addresses
 * that skip the scenario's; a network's DNS view holds the response
 * policies bound to it, and its peering zones answer from the producer
 * network's view.
 * https://cloud.google.com/vpc/docs/serverless-vpc-access
 *
 * Probes: the connector's ARRIVE_AT_VPC_CONNECTOR steps (which instance
 * address each connection left from), the link between the connector and
 * the router (its rate), the ledger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/assemble/translate.h"
#include "models/format/service-url.h"
#include "models/world/connector.h"
#include "models/world/region-latency.h"
#include "sim/link.h"
#include "tests/models/world/world-fixture.h"

/* Service front sends everything through connector conn (its keys
 * appended) to VM db; one connection per request, count requests. */
static WorldFixture *
run_connector (const char *conn_keys, guint count)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm db]\nsubnet = vms\naddress = 10.1.0.9\n\n"
    "[service front]\nregion = us-central1\nvpc-access = connector\n"
    "connector = conn\nvpc-egress = all-traffic\n\n"
    "[traffic to-db]\nfrom = front\nurl = http://10.1.0.9/\ncount = %u\n"
    "interval = 1s\n\n"
    "[connector conn]\nnetwork = net\nregion = us-central1\n"
    "range = 10.8.0.0/28\n%s\n", count, conn_keys);

  return world_fixture_new (ini, NULL);
}

static void
test_build_vpc__connector_runs_min_instances (void **state)
{
  static const struct {
    const char *keys;
    guint instances;
  } cases[] = {
    { "", 2 },                  /* the default */
    { "min-instances = 3\n", 3 },
    { "min-instances = 4\nmax-instances = 6\n", 4 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = cases[i].instances;
      g_autoptr (WorldFixture) wf = run_connector (cases[i].keys, n + 1);
      SimLink *link = world_fixture_link (wf, "connector-conn", "vpc-net");
      CloudRunConnectorNode *conn = (CloudRunConnectorNode *)
        world_fixture_node (wf, "connector-conn");

      /* Each new connection leaves from the next instance, .2, .3, ...
       * of the /28, then wraps around to the first. */
      for (guint k = 0; k <= n; k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, "to-db", k);
          const SimExplainStep *s = world_fixture_step (
            wf, r, "ARRIVE_AT_VPC_CONNECTOR", "connector-conn");
          assert_string_equal (world_fixture_verdict (wf, "to-db", k),
                               "delivered");
          assert_non_null (s);
          if (s->src_after != WF_IP (10, 8, 0, 2 + k % n))
            fail_msg ("%s: request %u left from .%u, not .%u",
                      cases[i].keys, k, s->src_after & 0xff, 2 + k % n);
        }
      /* min-instances run, each at its machine type's rate; the link
       * into the VPC adds no limit of its own. */
      assert_non_null (link);
      assert_int_equal (sim_link_params (link)->rate_bps, 0);
      assert_int_equal (cloudrun_connector_instances (conn), n);
      assert_int_equal (conn->rate_bps,
                        build_connector_rate (CLOUDRUN_MACHINE_E2_MICRO));
    }
}

static void
test_build_vpc__connector_machine_type_sets_the_rate (void **state)
{
  g_autoptr (WorldFixture) wf = run_connector ("machine-type = f1-micro\n", 1);
  SimLink *link = world_fixture_link (wf, "connector-conn", "vpc-net");

  (void) state;
  CloudRunConnectorNode *conn = (CloudRunConnectorNode *)
    world_fixture_node (wf, "connector-conn");

  assert_non_null (link);
  assert_int_equal (conn->rate_bps,
                    build_connector_rate (CLOUDRUN_MACHINE_F1_MICRO));
  assert_int_equal (conn->max_instances, 10);
  assert_string_equal (world_fixture_verdict (wf, "to-db", 0), "delivered");
}

/* The connector's link rate follows its machine type (per instance). */
static void
test_build_vpc__connector_rate_follows_the_machine_type (void **state)
{
  (void) state;
  assert_int_equal (build_connector_rate (CLOUDRUN_MACHINE_F1_MICRO),
                    50000000u);
  assert_int_equal (build_connector_rate (CLOUDRUN_MACHINE_E2_MICRO),
                    100000000u);
  assert_int_equal (build_connector_rate (CLOUDRUN_MACHINE_E2_STANDARD_4),
                    1600000000u);
}

/* Every region the format accepts has a place in the latency table; the
 * delays are symmetric, zero inside a region, and near what is measured
 * between regions (one way: half the usual round trip, +-20%). */
static void
test_build_vpc__region_latency_table (void **state)
{
  static const struct {
    const char *a, *b;
    SimTime lo, hi;
  } pairs[] = {
    { "us-east1", "europe-west1", 36 * SIM_MS, 54 * SIM_MS },
    { "asia-northeast1", "us-west1", 36 * SIM_MS, 56 * SIM_MS },
    { "europe-west1", "europe-west4", 1 * SIM_MS, 3 * SIM_MS },
    { "us-central1", "us-east4", 8 * SIM_MS, 16 * SIM_MS },
  };
  const char *const *names = cloudrun_region_names ();

  (void) state;
  for (guint i = 0; names[i]; i++)
    {
      if (!cloudrun_region_known (names[i]))
        fail_msg ("region %s has no place in the latency table", names[i]);
      assert_int_equal (cloudrun_region_one_way (names[i], names[i]), 0);
    }
  assert_int_equal (cloudrun_region_one_way ("us-east1", NULL), 0);
  assert_int_equal (cloudrun_region_one_way ("us-east1", "mars-north1"), 0);
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      SimTime d = cloudrun_region_one_way (pairs[i].a, pairs[i].b);
      assert_int_equal (d, cloudrun_region_one_way (pairs[i].b, pairs[i].a));
      if (d < pairs[i].lo || d > pairs[i].hi)
        fail_msg ("%s - %s: %" G_GINT64_FORMAT " us one way", pairs[i].a,
                  pairs[i].b, d / SIM_US);
    }
}

/* A VM in europe-west1 calls one in us-central1 on the same network: every
 * packet between them waits the one-way time at the router, so the
 * request takes at least two round trips (handshake, then request and
 * response); between two VMs of one region it takes under 5 ms. */
static void
test_build_vpc__regions_far_apart_take_their_round_trip (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[network net]\n\n"
    "[subnet us]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet eu]\nnetwork = net\nregion = europe-west1\n"
    "range = 10.2.0.0/24\n\n"
    "[firewall allow-all]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 10.0.0.0/8\n\n"
    "[vm db]\nsubnet = us\naddress = 10.1.0.9\n\n"
    "[vm near]\nsubnet = us\naddress = 10.1.0.10\n\n"
    "[vm far]\nsubnet = eu\naddress = 10.2.0.10\n\n"
    "[traffic from-far]\nfrom = far\nurl = http://10.1.0.9/\n\n"
    "[traffic from-near]\nfrom = near\nurl = http://10.1.0.9/\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  SimTime rtt = 2 * cloudrun_region_one_way ("europe-west1", "us-central1");
  CloudRunRequest *far = world_fixture_request (wf, "from-far", 0);
  CloudRunRequest *near = world_fixture_request (wf, "from-near", 0);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "from-far", 0), "delivered");
  assert_string_equal (world_fixture_verdict (wf, "from-near", 0),
                       "delivered");
  assert_true (rtt > 80 * SIM_MS);
  assert_true (far->end - far->start >= 2 * rtt);
  assert_true (far->end - far->start < 2 * rtt + 20 * SIM_MS);
  assert_true (near->end - near->start < 5 * SIM_MS);
}

/* ---- Cloud NAT per region, automatic external addresses ----------- */

/* VMs east (us-east1) and west (us-west1) and far (europe-west1), none
 * with an external address, each call client site; extra adds NATs. */
static WorldFixture *
run_regions (const char *extra)
{
  g_autofree char *ini = g_strconcat (
    WF_HEAD
    "[network net]\n\n"
    "[subnet e]\nnetwork = net\nregion = us-east1\nrange = 10.1.0.0/24\n\n"
    "[subnet w]\nnetwork = net\nregion = us-west1\nrange = 10.2.0.0/24\n\n"
    "[subnet f]\nnetwork = net\nregion = europe-west1\n"
    "range = 10.3.0.0/24\n\n"
    "[vm east]\nsubnet = e\n\n[vm west]\nsubnet = w\n\n"
    "[vm far]\nsubnet = f\n\n"
    "[client site]\naddress = 198.51.100.10\n\n",
    extra,
    "\n[traffic from-east]\nfrom = east\nurl = http://198.51.100.10/\n\n"
    "[traffic from-west]\nfrom = west\nurl = http://198.51.100.10/\n\n"
    "[traffic from-far]\nfrom = far\nurl = http://198.51.100.10/\n",
    NULL);

  return world_fixture_new (ini, NULL);
}

/* Where the traffic's first request was translated, and to what. */
static uint32_t
nat_source (WorldFixture *wf, const char *traffic, const char *node)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "NAT", node);

  if (s == NULL)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      fail_msg ("%s: no NAT step at %s:\n%s", traffic, node, steps);
    }
  assert_string_equal (world_fixture_verdict (wf, traffic, 0), "delivered");
  return s->src_after;
}

static void
test_build_vpc__each_region_its_own_nat (void **state)
{
  g_autoptr (WorldFixture) wf = run_regions (
    "[nat east-gw]\nnetwork = net\nregion = us-east1\n"
    "addresses = 34.1.0.1\n\n"
    "[nat west-gw]\nnetwork = net\nregion = us-west1\n"
    "addresses = 34.2.0.1\n");

  (void) state;
  assert_int_equal (nat_source (wf, "from-east", "nat-east-gw"),
                    WF_IP (34, 1, 0, 1));
  assert_int_equal (nat_source (wf, "from-west", "nat-west-gw"),
                    WF_IP (34, 2, 0, 1));
  assert_true (world_fixture_packets (wf, "vpc-net", "nat-east-gw") > 0);
  assert_true (world_fixture_packets (wf, "vpc-net", "nat-west-gw") > 0);
  /* A region without a gateway has no internet. */
  assert_string_equal (world_fixture_verdict (wf, "from-far", 0), "dropped");
  assert_string_equal (world_fixture_cause (wf, "from-far", 0),
                       "NO_EXTERNAL_ADDRESS");
  assert_string_equal (world_fixture_decided_at (wf, "from-far", 0),
                       "vpc-router");
}

/* The first automatic address, 35.192.0.10, is the client's: the NAT
 * takes the next one, and both the VM's and the client's own traffic
 * arrive. */
static void
test_build_vpc__automatic_addresses_skip_written (void **state)
{
  g_autoptr (WorldFixture) wf = run_regions (
    "[client taken]\naddress = 35.192.0.10\n\n"
    "[nat east-gw]\nnetwork = net\nregion = us-east1\n\n"
    "[traffic to-taken]\nfrom = east\nurl = http://35.192.0.10/\n");

  (void) state;
  assert_int_equal (nat_source (wf, "from-east", "nat-east-gw"),
                    WF_IP (35, 192, 0, 11));
  assert_int_equal (nat_source (wf, "to-taken", "nat-east-gw"),
                    WF_IP (35, 192, 0, 11));
}

/* Direct VPC instances take no address an A record holds: the record's
 * /28 block is skipped whole. */
static void
test_build_vpc__direct_vpc_skips_record_data (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[network net]\n\n"
    "[subnet run]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm db]\nsubnet = run\naddress = 10.1.0.200\n\n"
    "[firewall in]\nnetwork = net\ndirection = ingress\naction = allow\n"
    "ranges = 10.1.0.0/24\n\n"
    "[dns-zone corp]\ndns-name = corp.example.\nnetworks = net\n"
    "records = old.corp.example. A 10.1.0.5\n\n"
    "[service front]\nregion = us-central1\nvpc-access = direct\n"
    "subnet = run\n\n"
    "[traffic to-db]\nfrom = front\nurl = http://10.1.0.200/\n", NULL);
  CloudRunRequest *r = world_fixture_request (wf, "to-db", 0);
  const SimExplainStep *d = world_fixture_step (
    wf, r, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "to-db", 0), "delivered");
  assert_non_null (d);
  assert_int_equal (d->src_before & 0xfffffff0u, WF_IP (10, 1, 0, 16));
  /* Its way into the VPC carries 1 Gbit/s at most. */
  assert_int_equal (sim_link_params (world_fixture_link (wf, "front-1",
                                                         "direct-vpc-front"))
                    ->rate_bps, 1000000000u);
}

/* The restricted VIP (restricted.googleapis.com, 199.36.153.4/30) serves
 * only services VPC Service Controls supports; Cloud Run is one, so a
 * request through it is served as through the private VIP, and the GFE's
 * step says why. */
static void
test_build_vpc__restricted_vip_serves_cloud_run (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\n\n"
    "[subnet run]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    "[dns-zone run-app]\ndns-name = run.app.\nnetworks = net\n"
    "records = *.run.app. CNAME restricted.googleapis.com.\n\n"
    "[dns-zone apis]\ndns-name = googleapis.com.\nnetworks = net\n"
    "records = restricted.googleapis.com. A 199.36.153.4\n\n"
    "[service front]\nregion = us-central1\nvpc-access = direct\n"
    "subnet = run\nvpc-egress = private-ranges-only\n\n"
    "[service back]\nregion = us-central1\ningress = internal\n\n"
    "[traffic t]\nfrom = front\nurl = service:back\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "t", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "PROXY_CONNECTION",
                                                "gfe");

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "t", 0), "delivered");
  assert_string_equal (world_fixture_class (wf, "t", 0), "internal");
  assert_non_null (s);
  assert_non_null (strstr (s->note, "restricted.googleapis.com serves only "
                           "services VPC Service Controls supports"));
}

/* The resolver's DNS_ANSWER step of traffic name's first request. */
static const char *
dns_answer (WorldFixture *wf, const char *traffic, const char *node)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "DNS_ANSWER", node);

  assert_non_null (s);
  return s->rule;
}

/* A response policy answers only in the networks it is bound to; a
 * peering zone's names are answered by the producer network's zones. */
static void
test_build_vpc__dns_policies_and_peering_zones (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[network hub]\n\n"
    "[network spoke]\n\n"
    "[subnet hub-vms]\nnetwork = hub\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet spoke-vms]\nnetwork = spoke\nregion = us-central1\n"
    "range = 10.2.0.0/24\n\n"
    "[vm db]\nsubnet = hub-vms\naddress = 10.1.0.9\n\n"
    "[vm app]\nsubnet = spoke-vms\naddress = 10.2.0.5\n\n"
    "[dns-zone corp]\ndns-name = corp.example.\nnetworks = hub\n"
    "records = db.corp.example. A 10.1.0.9\n\n"
    "[dns-zone corp-peer]\ndns-name = corp.example.\nnetworks = spoke\n"
    "peer-network = hub\n\n"
    "[dns-response-policy hub-only]\nnetworks = hub\n"
    "rules = *.run.app. A 199.36.153.8\n\n"
    "[service back]\nregion = us-central1\n\n"
    "[traffic hub-run-app]\nfrom = db\nurl = service:back\n\n"
    "[traffic spoke-run-app]\nfrom = app\nurl = service:back\n\n"
    "[traffic spoke-corp]\nfrom = app\nurl = http://db.corp.example/\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  const char *hub = dns_answer (wf, "hub-run-app", "metadata-hub");
  const char *spoke = dns_answer (wf, "spoke-run-app", "metadata-spoke");
  const char *corp = dns_answer (wf, "spoke-corp", "metadata-spoke");

  (void) state;
  assert_true (g_str_has_prefix (hub, "response policy hub-only rule "
                                 "*.run.app: "));
  assert_non_null (strstr (hub, "-> 199.36.153.8"));
  assert_true (g_str_has_prefix (spoke, "public DNS: "));
  assert_string_equal (corp, "private zone corp through peering zone "
                       "corp-peer: db.corp.example -> 10.1.0.9");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_build_vpc__connector_rate_follows_the_machine_type),
    cmocka_unit_test (test_build_vpc__connector_runs_min_instances),
    cmocka_unit_test (test_build_vpc__region_latency_table),
    cmocka_unit_test (test_build_vpc__regions_far_apart_take_their_round_trip),
    cmocka_unit_test (test_build_vpc__connector_machine_type_sets_the_rate),
    cmocka_unit_test (test_build_vpc__each_region_its_own_nat),
    cmocka_unit_test (test_build_vpc__automatic_addresses_skip_written),
    cmocka_unit_test (test_build_vpc__direct_vpc_skips_record_data),
    cmocka_unit_test (test_build_vpc__restricted_vip_serves_cloud_run),
    cmocka_unit_test (test_build_vpc__dns_policies_and_peering_zones),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
