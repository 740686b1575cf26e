/* Tests for models/build/build-vpc.c (the VPC side of the builder:
 * networks, VMs, connectors, PSC endpoints) through small scenarios:
 * what each [connector] key turns into in the running world.
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

#include "models/build/translate.h"
#include "models/world/connector.h"
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
      /* The instances' throughput adds up on the link into the VPC. */
      assert_non_null (link);
      assert_int_equal (sim_link_params (link)->rate_bps,
                        n * build_connector_rate (CLOUDRUN_MACHINE_E2_MICRO));
    }
}

static void
test_build_vpc__connector_machine_type_sets_the_rate (void **state)
{
  g_autoptr (WorldFixture) wf = run_connector ("machine-type = f1-micro\n", 1);
  SimLink *link = world_fixture_link (wf, "connector-conn", "vpc-net");

  (void) state;
  assert_non_null (link);
  assert_int_equal (sim_link_params (link)->rate_bps,
                    2 * build_connector_rate (CLOUDRUN_MACHINE_F1_MICRO));
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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_build_vpc__connector_rate_follows_the_machine_type),
    cmocka_unit_test (test_build_vpc__connector_runs_min_instances),
    cmocka_unit_test (test_build_vpc__connector_machine_type_sets_the_rate),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
