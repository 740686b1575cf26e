/* Tests for private services access and managed instances
 * (models/assemble/build-managed.c, models/world/managed-instance.c) and
 * for custom routes over VPC Network Peering
 * (models/assemble/build-peering.c, the VPC router): small scenarios run
 * whole, each case one override away from its base (docs/networking.md,
 * "Private services access" and "VPC Network Peering").
 *
 * Probes: the ledger's verdicts, causes and steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

/* Network app: Direct VPC services in 10.0.0.0/24 (api), in
 * 100.64.0.0/24 (batch) and in 11.0.0.0/24 (a privately used public
 * range: pupi); Cloud SQL for PostgreSQL db and Memorystore cache over
 * private services access; network legacy peered with app, with a
 * connector and its service report; an office over HA VPN advertising
 * the allocated range. */
static const char managed_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network app]\n"
  "[subnet run]\nnetwork = app\nregion = us-central1\nrange = 10.0.0.0/24\n"
  "[subnet cgnat]\nnetwork = app\nregion = us-central1\n"
  "range = 100.64.0.0/24\n"
  "[subnet pupi]\nnetwork = app\nregion = us-central1\n"
  "range = 11.0.0.0/24\n\n"
  "[private-services-access psa]\nnetwork = app\nranges = 10.100.0.0/16\n\n"
  "[managed-instance db]\nproduct = cloud-sql-postgres\n"
  "region = us-central1\naddress = 10.100.0.5\n\n"
  "[managed-instance cache]\nproduct = memorystore-redis\n"
  "region = us-central1\naddress = 10.100.1.3\n\n"
  "[network legacy]\n"
  "[connector lc]\nnetwork = legacy\nregion = us-central1\n"
  "range = 10.8.0.0/28\n"
  "[peering a]\nnetwork = app\npeer-network = legacy\n"
  "[peering b]\nnetwork = legacy\npeer-network = app\n\n"
  "[network office]\non-premises = true\n"
  "[subnet lan]\nnetwork = office\nregion = us-central1\n"
  "range = 192.168.10.0/24\n"
  "[vm laptop]\nsubnet = lan\naddress = 192.168.10.5\n"
  "[hybrid-link vpn]\nnetwork = app\nsite = office\nregion = us-central1\n"
  "advertised-ranges = 10.100.0.0/16\n\n"
  "[firewall no-db]\nnetwork = app\ndirection = egress\naction = allow\n"
  "ranges = 10.100.0.0/16\nprotocols = tcp:5432\n\n"
  "[service api]\nregion = us-central1\nvpc-access = direct\nsubnet = run\n"
  "[service batch]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = cgnat\n"
  "[service pupi]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = pupi\n"
  "[service report]\nregion = us-central1\nvpc-access = connector\n"
  "connector = lc\n\n"
  "[traffic go]\nfrom = api\nurl = tcp://10.100.0.5:5432\ntimeout = 2s\n";

/* One case: base with sets (--set), the verdict, cause and deciding hop
 * kind it must come to, and a step at node whose rule says why (DELIVER
 * for a delivered request, else DROP). */
typedef struct {
  const char *label;
  const char *sets[5];
  const char *verdict, *cause, *decided;
  const char *node, *why;
} ManagedCase;

static void expect_case (WorldFixture *wf, const char *label,
                         const char *verdict, const char *cause,
                         const char *decided);
static void expect_step (WorldFixture *wf, const char *state,
                         const char *node, const char *why);

/* Runs each case; the first case's world goes to first (NULL: dropped). */
static void
run_cases (const char *base, const ManagedCase *cases, guint n,
           WorldFixture **first)
{
  for (guint i = 0; i < n; i++)
    {
      WorldFixture *wf = world_fixture_new (base, cases[i].sets);

      expect_case (wf, cases[i].label, cases[i].verdict, cases[i].cause,
                   cases[i].decided);
      if (cases[i].why)
        expect_step (wf, strcmp (cases[i].verdict, "delivered") == 0
                         ? "DELIVER" : "DROP", cases[i].node, cases[i].why);
      if (i == 0 && first)
        *first = wf;
      else
        world_fixture_free (wf);
    }
}

static void
expect_case (WorldFixture *wf, const char *label, const char *verdict,
             const char *cause, const char *decided)
{
  if (strcmp (world_fixture_verdict (wf, "go", 0), verdict) != 0
      || strcmp (world_fixture_cause (wf, "go", 0), cause) != 0
      || strcmp (world_fixture_decided_at (wf, "go", 0), decided) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (
        wf, world_fixture_request (wf, "go", 0));
      print_error ("%s", steps);
      fail_msg ("%s: expected %s (%s) at %s, found %s (%s) at %s", label,
                verdict, cause, decided, world_fixture_verdict (wf, "go", 0),
                world_fixture_cause (wf, "go", 0),
                world_fixture_decided_at (wf, "go", 0));
    }
}

/* The step of the request whose state is state at node names why. */
static void
expect_step (WorldFixture *wf, const char *state, const char *node,
             const char *why)
{
  const SimExplainStep *s = world_fixture_step (
    wf, world_fixture_request (wf, "go", 0), state, node);

  if (!s || !strstr (s->rule, why))
    fail_msg ("%s at %s says '%s', want '%s'", state, node,
              s ? s->rule : "(none)", why);
}

static void
test_managed__who_reaches_an_instance (void **state)
{
  static const ManagedCase cases[] = {
    { "Direct VPC from RFC 1918: Cloud SQL takes it", { NULL },
      "delivered", "none", "managed-instance", "managed-db",
      "accepts a connection on TCP port 5432 from 10.0.0.2" },
    { "the Auth Proxy's port too", { "traffic go.url=tcp://10.100.0.5:3307" },
      "delivered", "none", "managed-instance", NULL, NULL },
    { "another port is dropped inside Cloud SQL",
      { "traffic go.url=tcp://10.100.0.5:3306" },
      "dropped", "DROPPED_INSIDE_CLOUD_SQL_SERVICE", "managed-instance",
      NULL, NULL },
    { "100.64.0.0/24 is outside RFC 1918: unauthorized",
      { "traffic go.from=batch" }, "dropped",
      "CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS", "managed-instance",
      "managed-db", "outside RFC 1918" },
    { "an authorized network admits it",
      { "traffic go.from=batch",
        "managed-instance db.authorized-networks=100.64.0.0/16" },
      "delivered", "none", "managed-instance", NULL, NULL },
    { "Memorystore takes RFC 6598",
      { "traffic go.from=batch", "traffic go.url=tcp://10.100.1.3:6379" },
      "delivered", "none", "managed-instance", NULL, NULL },
    { "Memorystore refuses a privately used public address",
      { "traffic go.from=pupi", "traffic go.url=tcp://10.100.1.3:6379" },
      "dropped", "REDIS_INSTANCE_CONNECTING_FROM_PUPI_ADDRESS",
      "managed-instance", NULL, NULL },
    { "Memorystore on another port",
      { "traffic go.url=tcp://10.100.1.3:6380" }, "dropped",
      "REDIS_INSTANCE_UNSUPPORTED_PORT", "managed-instance", NULL, NULL },
    { "a peer of the consumer: not transitive",
      { "traffic go.from=report" }, "dropped", "PRIVATE_TRAFFIC_TO_INTERNET",
      "vpc-router", "vpc-legacy", "peering is not transitive" },
    { "the office, custom routes not exported: the answer has no way back",
      { "traffic go.from=laptop" }, "dropped", "NO_ROUTE", "vpc-router",
      "vpc-servicenetworking-app", "export-custom-routes" },
    { "an egress deny in the consumer network stops it",
      { "traffic go.url=tcp://10.100.0.5:5432",
        "firewall no-db.action=deny" },
      "dropped", "FIREWALL_RULE", "vpc-router", "vpc-app", "no-db" },
    { "the office, custom routes exported",
      { "traffic go.from=laptop",
        "private-services-access psa.export-custom-routes=true" },
      "delivered", "none", "managed-instance", NULL, NULL },
  };

  (void) state;
  run_cases (managed_base, cases, G_N_ELEMENTS (cases), NULL);
}

/* The consumer reaches the producer subnet by a peering subnet route;
 * the instance's node saw the caller's own address. */
static void
test_managed__route_and_source_seen (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (managed_base, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "go", 0);

  (void) state;
  expect_step (wf, "APPLY_ROUTE", "vpc-app", "PEERING_SUBNET");
  assert_int_equal (r->seen_at, CLOUDRUN_HOP_MANAGED_INSTANCE);
  assert_int_equal (r->seen_src, WF_IP (10, 0, 0, 2));
  assert_int_equal (r->status, 0);
  /* The connection taken is the request's answer: its latency counts. */
  assert_int_equal (cloudrun_ledger_tally (&wf->world->ledger, 0)->responses,
                    1);
}

/* ---- Custom routes over VPC Network Peering ------------------------ */

/* A hub with HA VPN to the office (advertising the spoke's range), a
 * spoke peered with it whose Direct VPC service calls the office host. */
static const char hub_base[] =
  WF_HEAD
  "[project shop]\n\n"
  "[network hub]\n"
  "[subnet h]\nnetwork = hub\nregion = us-central1\nrange = 10.10.0.0/24\n"
  "[network spoke]\n"
  "[subnet s]\nnetwork = spoke\nregion = us-central1\n"
  "range = 10.20.0.0/24\n"
  "[peering hs]\nnetwork = hub\npeer-network = spoke\n"
  "[peering sh]\nnetwork = spoke\npeer-network = hub\n"
  "[network office]\non-premises = true\n"
  "[subnet lan]\nnetwork = office\nregion = us-central1\n"
  "range = 192.168.10.0/24\n"
  "[vm erp]\nsubnet = lan\naddress = 192.168.10.5\n"
  "[hybrid-link vpn]\nnetwork = hub\nsite = office\nregion = us-central1\n"
  "advertised-ranges = 10.20.0.0/24\n"
  "[route sink]\nnetwork = hub\ndestination = 172.16.0.0/12\n"
  "next-hop = blackhole\n"
  "[route partner]\nnetwork = hub\ndestination = 203.0.113.0/24\n"
  "next-hop = default-internet-gateway\n\n"
  "[service orders]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = s\n\n"
  "[traffic go]\nfrom = orders\nurl = http://192.168.10.5/\ntimeout = 2s\n";

static void
test_managed__custom_routes_over_peering (void **state)
{
  static const ManagedCase cases[] = {
    { "exported and imported: the spoke reaches the office",
      { "peering hs.export-custom-routes=true",
        "peering sh.import-custom-routes=true" },
      "delivered", "none", "vm", NULL, NULL },
    { "exported only", { "peering hs.export-custom-routes=true" },
      "dropped", "PRIVATE_TRAFFIC_TO_INTERNET", "vpc-router", "vpc-spoke",
      "the import is off" },
    { "imported only", { "peering sh.import-custom-routes=true" },
      "dropped", "PRIVATE_TRAFFIC_TO_INTERNET", "vpc-router", "vpc-spoke",
      "the export is off" },
    { "an exported static route to a blackhole drops at the hub",
      { "peering hs.export-custom-routes=true",
        "peering sh.import-custom-routes=true",
        "traffic go.url=http://172.16.0.9/" },
      "dropped", "ROUTE_BLACKHOLE", "vpc-router", "vpc-hub",
      "exported to peering hs" },
    { "a static route to the internet gateway is never exported",
      { "peering hs.export-custom-routes=true",
        "peering sh.import-custom-routes=true",
        "service orders.vpc-egress=all-traffic",
        "traffic go.url=http://203.0.113.10/" },
      "dropped", "NO_EXTERNAL_ADDRESS", "vpc-router", "vpc-spoke", NULL },
  };

  g_autoptr (WorldFixture) wf = NULL;

  (void) state;
  run_cases (hub_base, cases, G_N_ELEMENTS (cases), &wf);
  /* The first case, delivered: the spoke's imported route, the hub's. */
  expect_step (wf, "APPLY_ROUTE", "vpc-spoke", "PEERING_DYNAMIC");
  expect_step (wf, "APPLY_ROUTE", "vpc-hub", "exported to peering");
  assert_int_equal (world_fixture_status (wf, "go", 0), 200);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_managed__who_reaches_an_instance),
    cmocka_unit_test (test_managed__route_and_source_seen),
    cmocka_unit_test (test_managed__custom_routes_over_peering),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
