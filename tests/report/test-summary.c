/* Tests for tools/report/summary.c (cloudrun_summary_new, the numbers of
 * the verdict table, report.txt/json and check): the latency percentiles
 * are nearest-rank over the requests that got a response, p50, p90, p99
 * and p99.9 each its own rank and the maximum exact; the main verdict is
 * the most frequent one, a tie going to the verdict listed first in
 * CloudRunVerdict, with the deciding hop and the drop cause of the first
 * request that had it. The worlds are built, not run: each test writes
 * the ledger by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tools/report/summary.h"
#include "tests/models/world/world-fixture.h"

/* A world whose traffic t sends count requests from alice to api. */
static WorldFixture *
load_count (guint count)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[service api]\nregion = us-central1\n\n"
    "[client alice]\n\n"
    "[traffic t]\nfrom = alice\nurl = service:api\ncount = %u\n"
    "interval = 1ms\n", count);

  return world_fixture_load (ini, NULL);
}

/* Request index of t ends with outcome (status 200 when delivered, no
 * response otherwise) after latency. */
static void
settle (WorldFixture *wf, guint index, CloudRunVerdict outcome,
        CloudRunHopKind decided_at, CloudRunDropCause cause, SimTime latency)
{
  CloudRunRequest *r = world_fixture_request (wf, "t", index);

  r->outcome = outcome;
  r->status = outcome == CLOUDRUN_VERDICT_DELIVERED ? 200 : 0;
  r->decided_at = decided_at;
  r->drop_cause = cause;
  r->start = index * SIM_MS;
  r->end = r->start + latency;
  cloudrun_ledger_finish (&wf->world->ledger, r);
}

/* 2500 responses of 1 ms to 2500 ms, in a scrambled order, and ten
 * requests without a response that took an hour: p50 is the 1250th
 * latency, p90 the 2250th, p99 the 2475th, p99.9 the 2498th (rank
 * 2497.5 rounded up), the maximum the largest; the ten are not counted.
 * (At 2000 responses p99.9 would be the 1999th, not the 1998th: the
 * rank 99.9 / 100 * 2000 computes as 1998.0000000000002.) */
static void
test_summary__percentiles_are_nearest_rank (void **state)
{
  g_autoptr (WorldFixture) wf = load_count (2510);
  g_autofree CloudRunTrafficSummary *sum = NULL;

  (void) state;
  for (guint i = 0; i < 2500; i++)
    settle (wf, i, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
            CLOUDRUN_DROP_NONE, (SimTime) (i * 7919u % 2500u + 1) * SIM_MS);
  for (guint i = 2500; i < 2510; i++)
    settle (wf, i, CLOUDRUN_VERDICT_TIMEOUT, CLOUDRUN_HOP_CLIENT,
            CLOUDRUN_DROP_NONE, 3600 * SIM_S);
  sum = cloudrun_summary_new (wf->world);

  assert_string_equal (sum[0].name, "t");
  assert_int_equal (sum[0].count, 2510);
  assert_int_equal (sum[0].responses, 2500);
  assert_int_equal (sum[0].p50, 1250 * SIM_MS);
  assert_int_equal (sum[0].p90, 2250 * SIM_MS);
  assert_int_equal (sum[0].p99, 2475 * SIM_MS);
  assert_int_equal (sum[0].p999, 2498 * SIM_MS);
  assert_int_equal (sum[0].max, 2500 * SIM_MS);
}

/* Two drops come first, then two deliveries, then one IAM denial: two
 * verdicts tie, and the one listed first (delivered) is the main one,
 * decided where the first delivery was. With a third drop, dropped wins,
 * with the hop and cause of the first drop. */
static void
test_summary__main_verdict (void **state)
{
  (void) state;
  for (guint extra = 0; extra < 2; extra++)
    {
      g_autoptr (WorldFixture) wf = load_count (5 + extra);
      g_autofree CloudRunTrafficSummary *sum = NULL;

      settle (wf, 0, CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_HOP_VPC_ROUTER,
              CLOUDRUN_DROP_NO_ROUTE, SIM_MS);
      settle (wf, 1, CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_HOP_INTERNET,
              CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED, SIM_MS);
      settle (wf, 2, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
              CLOUDRUN_DROP_NONE, SIM_MS);
      settle (wf, 3, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_GFE,
              CLOUDRUN_DROP_NONE, SIM_MS);
      settle (wf, 4, CLOUDRUN_VERDICT_DENIED_BY_IAM, CLOUDRUN_HOP_SERVICE,
              CLOUDRUN_DROP_NONE, SIM_MS);
      if (extra)
        settle (wf, 5, CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_HOP_NAT,
                CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED, SIM_MS);
      sum = cloudrun_summary_new (wf->world);

      assert_int_equal (sum[0].verdicts[CLOUDRUN_VERDICT_DROPPED], 2 + extra);
      assert_int_equal (sum[0].verdicts[CLOUDRUN_VERDICT_DELIVERED], 2);
      if (!extra)
        {
          assert_int_equal (sum[0].main_verdict, CLOUDRUN_VERDICT_DELIVERED);
          assert_int_equal (sum[0].decided_at, CLOUDRUN_HOP_SERVICE);
          assert_int_equal (sum[0].cause, CLOUDRUN_DROP_NONE);
        }
      else
        {
          assert_int_equal (sum[0].main_verdict, CLOUDRUN_VERDICT_DROPPED);
          assert_int_equal (sum[0].decided_at, CLOUDRUN_HOP_VPC_ROUTER);
          assert_int_equal (sum[0].cause, CLOUDRUN_DROP_NO_ROUTE);
        }
    }
}

/* The cause cell: every request not delivered is counted under its
 * verdict's causes, the main verdict's first; a traffic whose requests all
 * failed for one cause names it alone; all delivered gives NULL; a
 * failure without a drop cause is said in words. */
static void
test_summary__causes_cell (void **state)
{
  g_autoptr (WorldFixture) wf = load_count (6);
  g_autoptr (WorldFixture) one = load_count (2);
  g_autoptr (WorldFixture) good = load_count (1);
  g_autofree CloudRunTrafficSummary *sum = NULL, *sum1 = NULL, *sum2 = NULL;
  g_autofree char *cell = NULL, *cell1 = NULL, *cell2 = NULL;

  (void) state;
  settle (wf, 0, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
          CLOUDRUN_DROP_NONE, SIM_MS);
  settle (wf, 1, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
          CLOUDRUN_DROP_NONE, SIM_MS);
  settle (wf, 2, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
          CLOUDRUN_DROP_NONE, SIM_MS);
  settle (wf, 3, CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_HOP_NAT,
          CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED, SIM_MS);
  settle (wf, 4, CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_HOP_VPC_ROUTER,
          CLOUDRUN_DROP_NO_ROUTE, SIM_MS);
  settle (wf, 5, CLOUDRUN_VERDICT_UNAVAILABLE, CLOUDRUN_HOP_GFE,
          CLOUDRUN_DROP_NO_AVAILABLE_INSTANCE, SIM_MS);
  sum = cloudrun_summary_new (wf->world);
  cell = cloudrun_summary_causes (&sum[0]);
  assert_string_equal (cell, "NO_ROUTE 1, CLOUD_NAT_PORTS_EXHAUSTED 1, "
                             "NO_AVAILABLE_INSTANCE 1");

  settle (one, 0, CLOUDRUN_VERDICT_DENIED_BY_INGRESS, CLOUDRUN_HOP_GFE,
          CLOUDRUN_DROP_INGRESS_DENIED, SIM_MS);
  settle (one, 1, CLOUDRUN_VERDICT_DENIED_BY_INGRESS, CLOUDRUN_HOP_GFE,
          CLOUDRUN_DROP_INGRESS_DENIED, SIM_MS);
  sum1 = cloudrun_summary_new (one->world);
  cell1 = cloudrun_summary_causes (&sum1[0]);
  assert_string_equal (cell1, "INGRESS_DENIED");

  settle (good, 0, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
          CLOUDRUN_DROP_NONE, SIM_MS);
  sum2 = cloudrun_summary_new (good->world);
  cell2 = cloudrun_summary_causes (&sum2[0]);
  assert_null (cell2);

  /* No hop gave the caller's timeout a cause: words say it. */
  {
    g_autoptr (WorldFixture) late = load_count (2);
    g_autofree CloudRunTrafficSummary *sum3 = NULL;
    g_autofree char *cell3 = NULL;

    settle (late, 0, CLOUDRUN_VERDICT_TIMEOUT, CLOUDRUN_HOP_CLIENT,
            CLOUDRUN_DROP_NONE, SIM_S);
    settle (late, 1, CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_HOP_SERVICE,
            CLOUDRUN_DROP_NONE, SIM_MS);
    sum3 = cloudrun_summary_new (late->world);
    cell3 = cloudrun_summary_causes (&sum3[0]);
    assert_string_equal (cell3, "caller's timeout 1");
  }
}

/* The why of a row comes from the packets' steps: an internet client's
 * request to an internal service is refused at the GFE (named as explain
 * names it, INGRESS_DENIED), which says it classified the request
 * external because it came from the internet; with ingress = all it is
 * delivered, and the why is still the GFE's classification, not the
 * container's answer nor the instance it went to. */
static void
test_summary__why_is_the_deciding_step (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[service api]\nregion = us-central1\ningress = %s\n\n"
    "[client alice]\n\n"
    "[traffic t]\nfrom = alice\nurl = service:api\ncount = 2\n"
    "interval = 100ms\n";

  (void) state;
  for (int all = 0; all < 2; all++)
    {
      g_autofree char *text = g_strdup_printf (ini, all ? "all" : "internal");
      g_autoptr (WorldFixture) wf = world_fixture_load (text, NULL);
      g_autofree CloudRunTrafficSummary *sum = NULL;

      world_fixture_run (wf);
      sum = cloudrun_summary_new (wf->world);
      assert_non_null (sum[0].why);
      assert_string_equal (sum[0].why_node, "gfe");
      assert_true (g_str_has_prefix (sum[0].why, all
                               ? "service api: ingress = all admits"
                               : "INGRESS_DENIED: service api: ingress = "
                                 "internal refuses"));
      assert_non_null (strstr (sum[0].why, "; classified external: it "
                                           "arrived from the internet"));
      assert_null (strstr (sum[0].why, "to instance"));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_summary__percentiles_are_nearest_rank),
    cmocka_unit_test (test_summary__main_verdict),
    cmocka_unit_test (test_summary__causes_cell),
    cmocka_unit_test (test_summary__why_is_the_deciding_step),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
