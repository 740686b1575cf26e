/* Cloud Run jobs and worker pools as callers
 * (models/assemble/build-workers.c, the service instance's egress builder
 * of build-services.c): each task or instance is a node of its own that
 * leaves by the same paths as a service's instance, with its own Direct
 * VPC address; the GFE classifies it from the path (internal through the
 * VPC with Private Google Access, external by the default internet
 * egress); a job's tasks start in waves of parallelism; a subnet too small
 * for every task leaves the last ones without an address.
 * https://cloud.google.com/run/docs/configuring/vpc-direct-vpc
 * https://cloud.google.com/run/docs/configuring/parallelism */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

/* An internal service and a subnet (a /24 or the /28 `tiny`), with
 * Private Google Access, then extra (the caller and its traffic t). */
static WorldFixture *
run_caller (const char *extra)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[network vpc]\n"
    "[subnet run]\nnetwork = vpc\nregion = europe-west1\n"
    "range = 10.0.0.0/24\nprivate-google-access = true\n"
    "[subnet tiny]\nnetwork = vpc\nregion = europe-west1\n"
    "range = 10.0.1.0/28\nprivate-google-access = true\n"
    "[connector conn]\nnetwork = vpc\nregion = europe-west1\n"
    "range = 10.8.0.0/28\n"
    "[service backend]\nregion = europe-west1\ningress = internal\n"
    "min-instances = 1\n%s", extra);

  return world_fixture_new (ini, NULL);
}

/* The source address request index of t had entering the VPC at the
 * Direct VPC node of job j. */
static uint32_t
direct_source (WorldFixture *wf, guint index)
{
  CloudRunRequest *r = world_fixture_request (wf, "t", index);
  const SimExplainStep *s = world_fixture_step (
    wf, r, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-job-j");

  if (s == NULL)
    fail_msg ("request %u: no Direct VPC step:\n%s", index,
              world_fixture_steps_text (wf, r));
  return s->src_before;
}

static void
test_workers__tasks_leave_by_direct_vpc_each_from_its_own_address (
  void **state)
{
  g_autoptr (WorldFixture) wf = run_caller (
    "[job j]\nregion = europe-west1\nvpc-access = direct\nsubnet = run\n"
    "vpc-egress = all-traffic\ntasks = 3\n"
    "[traffic t]\nfrom = j\nurl = service:backend\ncount = 2\n"
    "interval = 50ms\ntimeout = 2s\n");
  (void) state;

  /* count is per task: 3 tasks x 2 requests. */
  assert_int_equal (world_fixture_count (wf, "t"), 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *via = world_fixture_via (wf, "t", i);
      CloudRunRequest *r = world_fixture_request (wf, "t", i);
      g_autofree char *task = g_strdup_printf ("job-j-task-%u", i / 2);

      assert_string_equal (world_fixture_verdict (wf, "t", i), "delivered");
      assert_string_equal (world_fixture_class (wf, "t", i), "internal");
      assert_string_equal (via, "job;dns;direct-vpc;vpc-router;gfe;service");
      /* Each task sends its own requests, from its own node. */
      assert_non_null (world_fixture_step (wf, r,
                                           "START_FROM_CLOUD_RUN_REVISION",
                                           task));
    }
  /* Task k's subnet address: 10.0.0.2 + k; both its requests share it. */
  for (guint i = 0; i < 6; i++)
    assert_int_equal (direct_source (wf, i), WF_IP (10, 0, 0, 2 + i / 2));
}

/* With parallelism 2, tasks 2 and 3 wait for the first wave to end: W =
 * start + (count - 1) x gap + timeout = 0 + 50ms + 2s. */
static void
test_workers__tasks_start_in_waves_of_parallelism (void **state)
{
  g_autoptr (WorldFixture) wf = run_caller (
    "[job j]\nregion = europe-west1\nvpc-access = direct\nsubnet = run\n"
    "vpc-egress = all-traffic\ntasks = 4\nparallelism = 2\n"
    "[traffic t]\nfrom = j\nurl = service:backend\ncount = 2\n"
    "interval = 50ms\ntimeout = 2s\n");
  static const SimTime want[] = { 0, 50 * SIM_MS, 0, 50 * SIM_MS,
                                  2050 * SIM_MS, 2100 * SIM_MS,
                                  2050 * SIM_MS, 2100 * SIM_MS };
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "t", i);
      if (r->start != want[i])
        fail_msg ("request %u starts at %" G_GINT64_FORMAT ", want %"
                  G_GINT64_FORMAT, i, r->start, want[i]);
      assert_string_equal (world_fixture_verdict (wf, "t", i), "delivered");
    }
}

/* A worker pool without VPC access leaves by the default internet egress:
 * external, refused by the internal service; one request per instance. */
static void
test_workers__worker_pool_without_vpc_is_external (void **state)
{
  g_autoptr (WorldFixture) wf = run_caller (
    "[worker-pool w]\nregion = europe-west1\ninstances = 2\n"
    "[traffic t]\nfrom = w\nurl = service:backend\ntimeout = 2s\n");
  (void) state;

  assert_int_equal (world_fixture_count (wf, "t"), 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *via = world_fixture_via (wf, "t", i);
      g_autofree char *node = g_strdup_printf ("worker-pool-w-instance-%u",
                                               i);
      assert_string_equal (world_fixture_verdict (wf, "t", i),
                           "denied-by-ingress");
      assert_string_equal (world_fixture_class (wf, "t", i), "external");
      assert_string_equal (via, "worker-pool;dns;egress;internet;gfe");
      assert_non_null (world_fixture_step (
        wf, world_fixture_request (wf, "t", i),
        "START_FROM_CLOUD_RUN_REVISION", node));
    }
}

/* A job through a connector: the connector's path, internal. */
static void
test_workers__job_through_a_connector (void **state)
{
  g_autoptr (WorldFixture) wf = run_caller (
    "[job j]\nregion = europe-west1\nvpc-access = connector\n"
    "connector = conn\nvpc-egress = all-traffic\ntasks = 2\n"
    "[traffic t]\nfrom = j\nurl = service:backend\ntimeout = 2s\n");
  (void) state;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *via = world_fixture_via (wf, "t", i);
      assert_string_equal (world_fixture_verdict (wf, "t", i), "delivered");
      assert_string_equal (world_fixture_class (wf, "t", i), "internal");
      assert_string_equal (via, "job;dns;connector;vpc-router;gfe;service");
    }
}

/* A /28 holds one block: with direct-vpc-ip-factor 2 it covers 8 tasks;
 * tasks 8 and 9 get no address and abort at the Direct VPC hop. */
static void
test_workers__a_small_subnet_runs_out (void **state)
{
  g_autoptr (WorldFixture) wf = run_caller (
    "[job j]\nregion = europe-west1\nvpc-access = direct\nsubnet = tiny\n"
    "vpc-egress = all-traffic\ntasks = 10\n"
    "[traffic t]\nfrom = j\nurl = service:backend\ntimeout = 2s\n");
  (void) state;

  for (guint i = 0; i < 10; i++)
    assert_string_equal (world_fixture_cause (wf, "t", i),
                         i < 8 ? "none" : "NO_SERVERLESS_IP_RANGES");
  assert_int_equal (world_fixture_count_verdict (wf, "t",
                                                 CLOUDRUN_VERDICT_DELIVERED),
                    8);
}

/* Callers that give up while the service still works: each task resets
 * its connection at its timeout while the GFE's upstream to the instance
 * is open. The GFE's proxy session ends once (the client's reset aborts
 * the upstream, whose close used to end it a second time, so two later
 * connections shared one session and its TLS state). */
static void
test_workers__callers_giving_up_end_each_session_once (void **state)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[network vpc]\n"
    "[subnet run]\nnetwork = vpc\nregion = europe-west1\n"
    "range = 10.0.0.0/24\nprivate-google-access = true\n"
    "[service backend]\nregion = europe-west1\ningress = internal\n"
    "service-time = 43200m\n"
    "[job j]\nregion = europe-west1\nvpc-access = direct\nsubnet = run\n"
    "vpc-egress = all-traffic\ntasks = 4\nparallelism = 2\n"
    "[worker-pool p]\nregion = europe-west1\ninstances = 2\n"
    "[traffic t]\nfrom = j\nurl = service:backend\ncount = 2\n"
    "interval = 100ms\ntimeout = 2s\n"
    "[traffic u]\nfrom = p\nurl = service:backend\ntimeout = 2s\n");
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  (void) state;

  assert_int_equal (world_fixture_count_verdict (wf, "t",
                                                 CLOUDRUN_VERDICT_TIMEOUT),
                    8);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (
      test_workers__tasks_leave_by_direct_vpc_each_from_its_own_address),
    cmocka_unit_test (test_workers__tasks_start_in_waves_of_parallelism),
    cmocka_unit_test (test_workers__worker_pool_without_vpc_is_external),
    cmocka_unit_test (test_workers__job_through_a_connector),
    cmocka_unit_test (test_workers__a_small_subnet_runs_out),
    cmocka_unit_test (test_workers__callers_giving_up_end_each_session_once),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
