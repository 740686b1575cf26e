/* Tests for Cloud Run revision egress (models/world/egress.c, and the hops it
 * chooses between: models/world/connector.c, models/world/direct-vpc.c) through small
 * scenarios, docs/networking.md, "Egress": without VPC access every
 * request leaves by the default internet egress with a pool address and
 * is external; a connector with private-ranges-only still sends a public
 * run.app address that way; with all-traffic the connector carries it
 * into the VPC with its instance's address as source, reaching the GFE
 * under [assumptions] connector-google-access; Direct VPC keeps the
 * instance's own subnet address; a subnet with no /28 block left for the
 * caller's instance aborts with NO_SERVERLESS_IP_RANGES.
 *
 * Probes: the ledger, the steps (with the addresses before and after each
 * hop), the packet counters of the links around the egress hops, the
 * instances' addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

#define EGRESS_POOL WF_IP (34, 98, 0, 16)

static void
expect_verdict (WorldFixture *wf, const char *traffic, const char *label,
                const char *verdict, const char *cls, const char *cause)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);

  if (strcmp (world_fixture_verdict (wf, traffic, 0), verdict) != 0
      || strcmp (world_fixture_class (wf, traffic, 0), cls) != 0
      || strcmp (world_fixture_cause (wf, traffic, 0), cause) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("%s: expected %s, %s, %s; found %s, %s, %s", label, verdict,
                cls, cause, world_fixture_verdict (wf, traffic, 0),
                world_fixture_class (wf, traffic, 0),
                world_fixture_cause (wf, traffic, 0));
    }
}

/* [service front] (instance front-1) calls [service pub] (ingress all)
 * and [service priv] (ingress internal) of its project; network net with
 * subnet run (PGA on) and connector conn on its own /28. front's egress
 * keys are appended. */
static WorldFixture *
run_front (const char *front_keys, const char *extra,
           const char *const *overrides)
{
  g_autofree char *ini = g_strconcat (
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\n\n"
    "[subnet run]\nnetwork = net\nregion = us-central1\n"
    "range = 10.0.0.0/24\nprivate-google-access = true\n\n"
    "[connector conn]\nnetwork = net\nregion = us-central1\n"
    "range = 10.8.0.0/28\n\n"
    "[service pub]\nregion = us-central1\ningress = all\n\n"
    "[service priv]\nregion = us-central1\ningress = internal\n\n"
    "[traffic to-pub]\nfrom = front\nurl = service:pub\n\n"
    "[traffic to-priv]\nfrom = front\nurl = service:priv\n\n",
    extra ? extra : "",
    "[service front]\nregion = us-central1\n", front_keys, NULL);

  return world_fixture_new (ini, overrides);
}

/* The request left by the default internet egress: translated to the
 * pool address there, no connector or VPC on the way. */
static void
expect_default_egress (WorldFixture *wf, const char *traffic)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);
  const SimExplainStep *s = world_fixture_step (
    wf, r, "SERVERLESS_EXTERNAL_CONNECTION", "run-egress");

  assert_non_null (s);
  assert_int_equal (s->src_after, EGRESS_POOL);
  assert_int_equal (s->src_before & 0xffff0000u, WF_IP (169, 254, 0, 0));
  assert_int_equal (s->dst_before & 0xffffe000u, WF_IP (216, 239, 32, 0));
  assert_true (world_fixture_passed (r, CLOUDRUN_HOP_EGRESS));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_CONNECTOR));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_VPC_ROUTER));
  assert_null (world_fixture_step (wf, r, "ARRIVE_AT_VPC_CONNECTOR", NULL));
}

static void
test_egress__no_vpc_access_is_default_egress (void **state)
{
  g_autoptr (WorldFixture) wf = run_front ("", NULL, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "to-pub", 0);

  (void) state;
  expect_verdict (wf, "to-pub", "to a public service", "delivered",
                  "external", "none");
  expect_default_egress (wf, "to-pub");
  assert_non_null (strstr (world_fixture_step (
                             wf, r, "SERVERLESS_EXTERNAL_CONNECTION",
                             NULL)->rule, "vpc-access = none"));
  expect_verdict (wf, "to-priv", "to an internal service",
                  "denied-by-ingress", "external", "INGRESS_DENIED");
  expect_default_egress (wf, "to-priv");
  assert_true (world_fixture_packets (wf, "front-1", "run-egress") > 0);
  assert_true (world_fixture_packets (wf, "run-egress", "internet") > 0);
  /* The GFE saw the pool address as the caller. */
  assert_int_equal (world_fixture_step (wf, r, "PROXY_CONNECTION",
                                        "gfe")->src_before, EGRESS_POOL);
}

static void
test_egress__connector_private_ranges_only_public_dns (void **state)
{
  g_autoptr (WorldFixture) wf = run_front (
    "vpc-access = connector\nconnector = conn\n"
    "vpc-egress = private-ranges-only\n", NULL, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "to-priv", 0);

  (void) state;
  expect_verdict (wf, "to-priv", "public run.app address",
                  "denied-by-ingress", "external", "INGRESS_DENIED");
  expect_default_egress (wf, "to-priv");
  assert_non_null (strstr (world_fixture_step (
                             wf, r, "SERVERLESS_EXTERNAL_CONNECTION",
                             NULL)->rule, "private-ranges-only"));
  expect_verdict (wf, "to-pub", "to a public service", "delivered",
                  "external", "none");
  /* Nothing went through the connector, although DNS came from the
   * network's view (the metadata server of net). */
  assert_int_equal (world_fixture_packets (wf, "front-1", "connector-conn"),
                    0);
  assert_non_null (world_fixture_step (wf, r, "DNS_ANSWER", "metadata-net"));
}

static void
test_egress__connector_all_traffic (void **state)
{
  static const char *const subnet_pga[] = {
    "assumptions.connector-google-access=subnet-pga", NULL };
  static const struct {
    const char *label;
    const char *const *overrides;
    const char *verdict, *cls, *cause;
  } cases[] = {
    { "implicit Google access", NULL, "delivered", "internal", "none" },
    { "subnet-pga on a hidden subnet", subnet_pga,
      "dropped", "-", "PRIVATE_GOOGLE_ACCESS_DISALLOWED" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_front (
        "vpc-access = connector\nconnector = conn\n"
        "vpc-egress = all-traffic\n", NULL, cases[i].overrides);
      CloudRunRequest *r = world_fixture_request (wf, "to-priv", 0);
      const SimExplainStep *conn = world_fixture_step (
        wf, r, "ARRIVE_AT_VPC_CONNECTOR", "connector-conn");
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_EGRESS_FIREWALL_RULE", "vpc-net");

      expect_verdict (wf, "to-priv", cases[i].label, cases[i].verdict,
                      cases[i].cls, cases[i].cause);
      assert_non_null (conn);
      assert_non_null (fw);
      /* The router saw the connector instance as the source: an address
       * of the connector's /28, .2 to .13. */
      assert_int_equal (conn->src_after & 0xfffffff0u, WF_IP (10, 8, 0, 0));
      assert_in_range (conn->src_after & 0xf, 2, 13);
      assert_int_equal (fw->src_before, conn->src_after);
      assert_int_equal (world_fixture_packets (wf, "front-1", "run-egress"),
                        0);
      if (strcmp (cases[i].verdict, "delivered") == 0)
        {
          const SimExplainStep *route = world_fixture_step (
            wf, r, "APPLY_ROUTE", "vpc-net");
          assert_non_null (strstr (route->note,
                                   "connector-google-access = implicit"));
          assert_true (world_fixture_packets (wf, "vpc-net", "gfe") > 0);
        }
      else
        {
          assert_string_equal (world_fixture_decided_at (wf, "to-priv", 0),
                               "vpc-router");
          assert_int_equal (world_fixture_packets (wf, "vpc-net", "gfe"), 0);
        }
    }
}

static void
test_egress__connector_on_a_subnet_follows_its_pga (void **state)
{
  /* A connector on an existing /28 subnet: its PGA flag decides, under
   * either assumption. */
  static const char *const subnet_pga[] = {
    "assumptions.connector-google-access=subnet-pga", NULL };
  static const struct {
    const char *pga;
    const char *const *overrides;
    const char *verdict;
  } cases[] = {
    { "true", NULL, "delivered" },
    { "false", NULL, "dropped" },
    { "true", subnet_pga, "delivered" },
    { "false", subnet_pga, "dropped" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD
        "[network net]\n\n"
        "[subnet conn-subnet]\nnetwork = net\nregion = us-central1\n"
        "range = 10.9.0.0/28\nprivate-google-access = ", cases[i].pga, "\n\n"
        "[connector conn]\nregion = us-central1\nsubnet = conn-subnet\n\n"
        "[service priv]\nregion = us-central1\ningress = internal\n\n"
        "[service front]\nregion = us-central1\nvpc-access = connector\n"
        "connector = conn\nvpc-egress = all-traffic\n\n"
        "[traffic to-priv]\nfrom = front\nurl = service:priv\n", NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini,
                                                       cases[i].overrides);
      CloudRunRequest *r = world_fixture_request (wf, "to-priv", 0);
      const SimExplainStep *conn = world_fixture_step (
        wf, r, "ARRIVE_AT_VPC_CONNECTOR", "connector-conn");

      if (strcmp (cases[i].verdict, "delivered") == 0)
        expect_verdict (wf, "to-priv", "PGA on", "delivered", "internal",
                        "none");
      else
        expect_verdict (wf, "to-priv", "PGA off", "dropped", "-",
                        "PRIVATE_GOOGLE_ACCESS_DISALLOWED");
      assert_non_null (conn);
      assert_int_equal (conn->src_after & 0xfffffff0u, WF_IP (10, 9, 0, 0));
    }
}

static void
test_egress__direct_vpc_keeps_the_subnet_address (void **state)
{
  static const char *const egress[] = {
    "vpc-egress = all-traffic\n", "vpc-egress = private-ranges-only\n" };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (egress); i++)
    {
      g_autofree char *keys = g_strconcat ("vpc-access = direct\n"
                                           "subnet = run\n", egress[i], NULL);
      g_autoptr (WorldFixture) wf = run_front (
        keys, "[vm db]\nsubnet = run\naddress = 10.0.0.200\n\n"
        "[traffic to-db]\nfrom = front\nurl = http://10.0.0.200/\n\n"
        "[firewall allow-run]\nnetwork = net\ndirection = ingress\n"
        "action = allow\nranges = 10.0.0.0/24\n\n", NULL);
      CloudRunRequest *r = world_fixture_request (wf, "to-db", 0);
      const SimExplainStep *d = world_fixture_step (
        wf, r, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");
      const SimExplainStep *fw = world_fixture_step (
        wf, r, "APPLY_EGRESS_FIREWALL_RULE", "vpc-net");

      /* A private destination enters the VPC with either vpc-egress. */
      expect_verdict (wf, "to-db", egress[i], "delivered", "-", "none");
      assert_non_null (d);
      assert_non_null (fw);
      assert_int_equal (d->src_before & 0xffffff00u, WF_IP (10, 0, 0, 0));
      assert_int_equal (d->src_after, 0);            /* no SNAT */
      assert_int_equal (fw->src_before, d->src_before);
      assert_string_equal (world_fixture_decided_at (wf, "to-db", 0), "vm");
      assert_false (world_fixture_passed (r, CLOUDRUN_HOP_EGRESS));
      assert_true (world_fixture_passed (r, CLOUDRUN_HOP_DIRECT_VPC));
    }
}

/* ---- Direct VPC addresses ----------------------------------------- */

static void
test_egress__no_block_left_aborts (void **state)
{
  /* The caller's instance gets no subnet address: its egress into the VPC
   * aborts at the Direct VPC hop, and nothing enters the network. */
  static const struct {
    const char *label;
    const char *extra;
  } cases[] = {
    { "a /29 whose only block holds a VM",
      "[subnet tiny]\nnetwork = net\nregion = us-central1\n"
      "range = 10.5.0.0/29\n\n"
      "[vm squatter]\nsubnet = tiny\naddress = 10.5.0.2\n\n" },
    { "a /28 held by another service's 8 instances",
      "[subnet tiny]\nnetwork = net\nregion = us-central1\n"
      "range = 10.5.0.0/28\n\n"
      "[service big]\nregion = us-central1\nvpc-access = direct\n"
      "subnet = tiny\nmin-instances = 8\n\n"
      "[traffic big-calls]\nfrom = big\nurl = service:pub\n\n" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_front (
        "vpc-access = direct\nsubnet = tiny\nvpc-egress = all-traffic\n",
        cases[i].extra, NULL);
      CloudRunRequest *r = world_fixture_request (wf, "to-priv", 0);
      const SimExplainStep *abort = world_fixture_step (
        wf, r, "ABORT", "direct-vpc-front");

      expect_verdict (wf, "to-priv", cases[i].label, "dropped", "-",
                      "NO_SERVERLESS_IP_RANGES");
      assert_string_equal (world_fixture_decided_at (wf, "to-priv", 0),
                           "direct-vpc");
      assert_non_null (abort);
      assert_int_equal (world_fixture_packets (wf, "direct-vpc-front",
                                               "vpc-net"), 0);
      assert_int_equal (world_fixture_served (wf, "priv"), 0);
    }
}

/* Instances of the service with an address of the subnet. */
static guint
addressed_instances (WorldFixture *wf, const char *service, uint32_t prefix,
                     uint32_t mask)
{
  CloudRunServiceNode *s = world_fixture_service (wf, service);
  guint n = 0;

  for (guint i = 0; i < s->instances->len; i++)
    {
      const CloudRunInstance *inst = g_ptr_array_index (s->instances, i);
      for (unsigned k = 0; k < inst->host.n_addrs; k++)
        if ((inst->host.addrs[k] & mask) == prefix)
          {
            n++;
            break;
          }
    }
  return n;
}

static void
test_egress__direct_vpc_reserves_blocks (void **state)
{
  /* Addresses are held in /28 blocks, direct-vpc-ip-factor per instance:
   * a /28 (one block) covers 16 / factor instances; a bigger subnet
   * covers all. The first instance, which sends the traffic, always has
   * one here and is delivered. */
  static const struct {
    const char *range;
    const char *factor;
    const char *min;
    guint addressed;
  } cases[] = {
    { "10.5.0.0/28", "2", "20", 8 },
    { "10.5.0.0/28", "4", "20", 4 },
    { "10.5.0.0/28", "1", "20", 12 },   /* 12 usable in a /28 */
    { "10.5.0.0/26", "2", "20", 20 },
    { "10.5.0.0/24", "4", "20", 20 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *extra = g_strconcat (
        "[subnet tiny]\nnetwork = net\nregion = us-central1\nrange = ",
        cases[i].range, "\n\n", NULL);
      g_autofree char *keys = g_strconcat (
        "vpc-access = direct\nsubnet = tiny\nvpc-egress = all-traffic\n"
        "min-instances = ", cases[i].min, "\n", NULL);
      g_autofree char *factor = g_strconcat (
        "assumptions.direct-vpc-ip-factor=", cases[i].factor, NULL);
      const char *const overrides[] = { factor, NULL };
      g_autoptr (WorldFixture) wf = run_front (keys, extra, overrides);
      guint n = addressed_instances (wf, "front", WF_IP (10, 5, 0, 0),
                                     0xffff0000u);

      if (n != cases[i].addressed)
        fail_msg ("%s, factor %s, %s instances: %u addressed, expected %u",
                  cases[i].range, cases[i].factor, cases[i].min, n,
                  cases[i].addressed);
      /* The tiny subnet has no PGA: the request is dropped at the
       * router, which shows it left Direct VPC with an address. */
      expect_verdict (wf, "to-priv", cases[i].range, "dropped", "-",
                      "PRIVATE_GOOGLE_ACCESS_DISALLOWED");
    }
}

/* Issue 8: a revision with no VPC access that calls an internal address
 * sends it to the internet egress, which never delivers it: dropped there
 * with PRIVATE_TRAFFIC_TO_INTERNET and an explanation, not a silent
 * timeout. With VPC access the same call enters the VPC. */
static void
test_egress__private_address_without_vpc_access_is_explained (void **state)
{
  static const char call[] =
    "[vm db]\nsubnet = run\naddress = 10.0.0.9\n\n"
    "[traffic to-db]\nfrom = front\nurl = http://10.0.0.9/\n"
    "timeout = 2s\n\n"
    "[firewall allow-run]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 10.0.0.0/24\n\n";
  g_autoptr (WorldFixture) none = run_front ("", call, NULL);
  g_autoptr (WorldFixture) direct = run_front (
    "vpc-access = direct\nsubnet = run\n", call, NULL);
  CloudRunRequest *r = world_fixture_request (none, "to-db", 0);
  const SimExplainStep *drop = world_fixture_step (none, r, "DROP",
                                                   "run-egress");

  (void) state;
  expect_verdict (none, "to-db", "no VPC access", "dropped", "-",
                  "PRIVATE_TRAFFIC_TO_INTERNET");
  assert_string_equal (world_fixture_decided_at (none, "to-db", 0), "egress");
  assert_non_null (drop);
  assert_non_null (strstr (drop->note, "VPC access"));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_INTERNET));
  assert_string_equal (world_fixture_verdict (direct, "to-db", 0),
                       "delivered");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_egress__no_vpc_access_is_default_egress),
    cmocka_unit_test (test_egress__connector_private_ranges_only_public_dns),
    cmocka_unit_test (test_egress__connector_all_traffic),
    cmocka_unit_test (test_egress__connector_on_a_subnet_follows_its_pga),
    cmocka_unit_test (test_egress__direct_vpc_keeps_the_subnet_address),
    cmocka_unit_test (test_egress__no_block_left_aborts),
    cmocka_unit_test (test_egress__direct_vpc_reserves_blocks),
    cmocka_unit_test (
      test_egress__private_address_without_vpc_access_is_explained),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
