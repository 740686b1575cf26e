/* Tests for tools/report/expect.c (cloudrun_expect_evaluate, the `check`
 * command's judge, docs/scenario-format.md [expect]): most tests build a world
 * without running it and write its ledger by hand, so each semantic is
 * pinned exactly: ratio (at least that fraction must meet the outcome),
 * via as an ordered subsequence (other hops may come between, order
 * matters), the latency bounds (strictly below a nearest-rank percentile
 * of the requests that got a response), one item per key written, and
 * the seen keys (judged over the requests that reached their
 * destination's server; hosts without regard to case). Last tests judge
 * real runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tools/report/expect.h"
#include "tools/report/summary.h"
#include "tests/models/world/world-fixture.h"

/* Four requests of traffic t from alice to api; [expect t] keys appended. */
static WorldFixture *
load_t (const char *expect_keys)
{
  g_autofree char *ini = g_strconcat (
    WF_HEAD
    "[service api]\nregion = us-central1\n\n"
    "[client alice]\n\n"
    "[traffic t]\nfrom = alice\nurl = service:api\ncount = 4\n"
    "interval = 100ms\n\n"
    "[expect t]\n", expect_keys, NULL);

  return world_fixture_load (ini, NULL);
}

/* Every request of t as a healthy delivery: client, dns, internet, gfe,
 * service; 200, external, 10 ms. */
static void
ledger_all_delivered (WorldFixture *wf)
{
  static const CloudRunHopKind hops[] = {
    CLOUDRUN_HOP_CLIENT, CLOUDRUN_HOP_DNS, CLOUDRUN_HOP_INTERNET,
    CLOUDRUN_HOP_GFE, CLOUDRUN_HOP_SERVICE };

  for (guint i = 0; i < world_fixture_count (wf, "t"); i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "t", i);
      r->outcome = CLOUDRUN_VERDICT_DELIVERED;
      r->status = 200;
      r->classified = CLOUDRUN_CLASS_EXTERNAL;
      r->drop_cause = CLOUDRUN_DROP_NONE;
      r->decided_at = CLOUDRUN_HOP_SERVICE;
      r->start = i * 100 * SIM_MS;
      r->end = r->start + 10 * SIM_MS;
      r->n_via = G_N_ELEMENTS (hops);
      for (guint k = 0; k < G_N_ELEMENTS (hops); k++)
        r->via[k] = (uint8_t) hops[k];
    }
}

static void
ledger_drop (WorldFixture *wf, guint index)
{
  CloudRunRequest *r = world_fixture_request (wf, "t", index);

  r->outcome = CLOUDRUN_VERDICT_DROPPED;
  r->status = 0;
  r->classified = CLOUDRUN_CLASS_NONE;
  r->drop_cause = CLOUDRUN_DROP_NO_ROUTE;
  r->decided_at = CLOUDRUN_HOP_VPC_ROUTER;
  r->n_via = 2;
}

/* The items of the run as it stands now: the requests written by hand
 * finish (in index order, as a caller would settle them), then the run
 * ends. */
static GArray *
evaluate (WorldFixture *wf)
{
  g_autofree CloudRunTrafficSummary *sums = NULL;

  for (guint t = 0; t < wf->world->n_plans; t++)
    for (guint i = 0; i < wf->world->plans[t].count; i++)
      {
        CloudRunRequest *r = cloudrun_ledger_get (
          &wf->world->ledger, wf->world->plans[t].first_request + i);
        if (r && !r->finished && !wf->ran)
          cloudrun_ledger_finish (&wf->world->ledger, r);
      }
  sums = cloudrun_summary_new (wf->world);

  return cloudrun_expect_evaluate (wf->scenario, wf->world, sums);
}

/* The only item of key; fails when there is not exactly one. */
static const CloudRunCheckItem *
item_of (const GArray *items, const char *key)
{
  const CloudRunCheckItem *found = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const CloudRunCheckItem *it = &g_array_index (items, CloudRunCheckItem,
                                                    i);
      if (strcmp (it->key, key) == 0)
        {
          if (found)
            fail_msg ("two items for key %s", key);
          found = it;
        }
    }
  if (!found)
    fail_msg ("no item for key %s", key);
  return found;
}

/* ---- ratio -------------------------------------------------------- */

static void
test_expect__ratio (void **state)
{
  static const struct {
    const char *ratio;          /* NULL: not written (1) */
    guint delivered;            /* of 4 */
    gboolean pass;
  } cases[] = {
    { NULL, 4, TRUE },
    { NULL, 3, FALSE },
    { "0.5", 2, TRUE },
    { "0.5", 4, TRUE },
    { "0.5", 1, FALSE },
    { "0.75", 3, TRUE },
    { "0.75", 2, FALSE },
    { "0.25", 1, TRUE },
    { "0.25", 0, FALSE },
    { "1", 4, TRUE },
    { "1", 3, FALSE },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat (
        "outcome = delivered\n", cases[i].ratio ? "ratio = " : "",
        cases[i].ratio ? cases[i].ratio : "", "\n", NULL);
      g_autoptr (WorldFixture) wf = load_t (keys);
      g_autoptr (GArray) items = NULL;
      g_autofree char *count = g_strdup_printf ("%u of 4 requests",
                                                cases[i].delivered);
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = cases[i].delivered; k < 4; k++)
        ledger_drop (wf, k);
      items = evaluate (wf);
      assert_int_equal (items->len, 1);
      it = item_of (items, "outcome");
      if (it->pass != cases[i].pass)
        fail_msg ("ratio %s with %u of 4 delivered: %s (found: %s)",
                  cases[i].ratio ? cases[i].ratio : "(1)",
                  cases[i].delivered, it->pass ? "passes" : "fails",
                  it->found);
      assert_string_equal (it->expect, "t");
      assert_string_equal (it->expected, "delivered");
      assert_true (g_str_has_prefix (it->found, count));
      if (cases[i].delivered < 4)
        assert_non_null (strstr (it->found, "shows dropped"));
      assert_int_equal (cloudrun_expect_failures (items), !cases[i].pass);
    }
}

/* ---- revision ----------------------------------------------------- */

/* revision = api-a holds when at least ratio of the requests were sent
 * to it; one sent elsewhere, or to no revision, counts against it. */
static void
test_expect__revision (void **state)
{
  static const struct {
    const char *ratio;          /* NULL: not written (1) */
    guint to_a;                 /* of 4, the others to api-b or none */
    gboolean none;              /* the others to no revision */
    gboolean pass;
  } cases[] = {
    { NULL, 4, FALSE, TRUE },
    { NULL, 3, FALSE, FALSE },
    { "0.75", 3, FALSE, TRUE },
    { "0.75", 2, FALSE, FALSE },
    { "0.5", 2, TRUE, TRUE },
    { "0.5", 1, TRUE, FALSE },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD
        "[service api]\nregion = us-central1\n\n"
        "[revision api-a]\nservice = api\npercent = 50\n\n"
        "[revision api-b]\nservice = api\npercent = 50\n\n"
        "[client alice]\n\n"
        "[traffic t]\nfrom = alice\nurl = service:api\ncount = 4\n"
        "interval = 100ms\n\n"
        "[expect t]\nrevision = api-a\n",
        cases[i].ratio ? "ratio = " : "", cases[i].ratio ? cases[i].ratio : "",
        "\n", NULL);
      g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = 0; k < 4; k++)
        world_fixture_request (wf, "t", k)->revision
          = k < cases[i].to_a ? "api-a" : cases[i].none ? NULL : "api-b";
      items = evaluate (wf);
      it = item_of (items, "revision");
      if (it->pass != cases[i].pass)
        fail_msg ("case %u: %s (found: %s)", i,
                  it->pass ? "passes" : "fails", it->found);
      assert_string_equal (it->expected, "api-a");
      if (cases[i].to_a < 4)
        assert_non_null (strstr (it->found, cases[i].none
                                            ? "shows no revision"
                                            : "shows api-b"));
    }
}

/* ---- via ---------------------------------------------------------- */

static void
test_expect__via_is_an_ordered_subsequence (void **state)
{
  /* Every request passed client;dns;internet;gfe;service. */
  static const struct {
    const char *via;
    gboolean pass;
  } cases[] = {
    { "client;dns;internet;gfe;service", TRUE },
    { "client;gfe;service", TRUE },       /* hops between are fine */
    { "internet;service", TRUE },
    { "gfe", TRUE },
    { "gfe;client", FALSE },              /* wrong order */
    { "service;gfe", FALSE },
    { "client;vpc-router;gfe", FALSE },   /* a hop never passed */
    { "service;service", FALSE },         /* passed once, not twice */
    { "client;dns;internet;gfe;service;client", FALSE },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat ("via = ", cases[i].via, "\n",
                                           NULL);
      g_autoptr (WorldFixture) wf = load_t (keys);
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      items = evaluate (wf);
      it = item_of (items, "via");
      if (it->pass != cases[i].pass)
        fail_msg ("via %s: %s (found: %s)", cases[i].via,
                  it->pass ? "passes" : "fails", it->found);
      assert_string_equal (it->expected, cases[i].via);
    }
}

static void
test_expect__via_must_hold_for_every_request (void **state)
{
  g_autoptr (WorldFixture) wf = load_t ("via = internet;gfe;service\n");
  g_autoptr (GArray) items = NULL;
  const CloudRunCheckItem *it;

  (void) state;
  ledger_all_delivered (wf);
  /* Request 3 stopped at the GFE. */
  world_fixture_request (wf, "t", 2)->n_via = 4;
  items = evaluate (wf);
  it = item_of (items, "via");
  assert_false (it->pass);
  assert_true (g_str_has_prefix (it->found, "3 of 4 requests"));
  assert_non_null (strstr (it->found, "request 3"));
  assert_non_null (strstr (it->found, "client;dns;internet;gfe"));
}

/* ---- latency ------------------------------------------------------ */

static void
test_expect__latency_bounds (void **state)
{
  /* Latencies 40, 10, 30, 20 ms: p50 (nearest rank 2 of 4) is 20 ms, p90
   * and p99 (rank 4) are 40 ms. A fifth-like outlier without a response (status
   * 0) is left out. Bounds are strict; the floor (above) is not. */
  static const struct {
    const char *keys;
    const char *key;
    gboolean pass;
  } cases[] = {
    { "latency-p50-below = 25ms\n", "latency-p50-below", TRUE },
    { "latency-p50-below = 20ms\n", "latency-p50-below", FALSE },
    { "latency-p50-below = 15ms\n", "latency-p50-below", FALSE },
    { "latency-p90-below = 41ms\n", "latency-p90-below", TRUE },
    { "latency-p90-below = 40ms\n", "latency-p90-below", FALSE },
    { "latency-p99-below = 41ms\n", "latency-p99-below", TRUE },
    { "latency-p99-below = 40ms\n", "latency-p99-below", FALSE },
    { "latency-p99-below = 1s\n", "latency-p99-below", TRUE },
    /* A floor is met at the bound itself. */
    { "latency-p50-above = 20ms\n", "latency-p50-above", TRUE },
    { "latency-p50-above = 15ms\n", "latency-p50-above", TRUE },
    { "latency-p50-above = 21ms\n", "latency-p50-above", FALSE },
  };
  static const SimTime latency_ms[] = { 40, 10, 30, 20 };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat (cases[i].keys, NULL);
      g_autoptr (WorldFixture) wf = load_t (keys);
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = 0; k < 4; k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, "t", k);
          r->end = r->start + latency_ms[k] * SIM_MS;
        }
      items = evaluate (wf);
      assert_int_equal (items->len, 1);
      it = item_of (items, cases[i].key);
      if (it->pass != cases[i].pass)
        fail_msg ("%s: %s (found: %s)", cases[i].keys,
                  it->pass ? "passes" : "fails", it->found);
      assert_non_null (strstr (it->found, "over 4 responses"));
    }
}

/* Twenty responses of 1 ms to 20 ms: each bound reads its own
 * percentile, p90 the 18th latency (18 ms), p99 the 20th. */
static void
test_expect__each_bound_reads_its_percentile (void **state)
{
  static const struct {
    const char *keys;
    const char *key;
    gboolean pass;
  } cases[] = {
    { "latency-p50-below = 11ms\n", "latency-p50-below", TRUE },
    { "latency-p50-below = 10ms\n", "latency-p50-below", FALSE },
    { "latency-p90-below = 19ms\n", "latency-p90-below", TRUE },
    { "latency-p90-below = 18ms\n", "latency-p90-below", FALSE },
    { "latency-p99-below = 21ms\n", "latency-p99-below", TRUE },
    { "latency-p99-below = 20ms\n", "latency-p99-below", FALSE },
    { "latency-p50-above = 10ms\n", "latency-p50-above", TRUE },
    { "latency-p50-above = 11ms\n", "latency-p50-above", FALSE },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD
        "[service api]\nregion = us-central1\n\n"
        "[client alice]\n\n"
        "[traffic t]\nfrom = alice\nurl = service:api\ncount = 20\n"
        "interval = 100ms\n\n"
        "[expect t]\n", cases[i].keys, NULL);
      g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = 0; k < 20; k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, "t", k);
          r->end = r->start + (SimTime) ((k * 7 % 20) + 1) * SIM_MS;
        }
      items = evaluate (wf);
      it = item_of (items, cases[i].key);
      if (it->pass != cases[i].pass)
        fail_msg ("%s: %s (found: %s)", cases[i].keys,
                  it->pass ? "passes" : "fails", it->found);
    }
}

static void
test_expect__latency_counts_only_responses (void **state)
{
  g_autoptr (WorldFixture) wf = load_t ("latency-p99-below = 50ms\n");
  g_autoptr (GArray) items = NULL;
  const CloudRunCheckItem *it;

  (void) state;
  ledger_all_delivered (wf);
  /* A request that timed out after 10 s has no response: not counted. */
  ledger_drop (wf, 3);
  world_fixture_request (wf, "t", 3)->end
    = world_fixture_request (wf, "t", 3)->start + 10 * SIM_S;
  items = evaluate (wf);
  it = item_of (items, "latency-p99-below");
  assert_true (it->pass);
  assert_non_null (strstr (it->found, "over 3 responses"));
}

static void
test_expect__latency_without_responses_fails (void **state)
{
  g_autoptr (WorldFixture) wf = load_t ("latency-p50-below = 1m\n"
                                        "latency-p99-below = 1m\n");
  g_autoptr (GArray) items = NULL;

  (void) state;
  ledger_all_delivered (wf);
  for (guint k = 0; k < 4; k++)
    ledger_drop (wf, k);
  items = evaluate (wf);
  assert_int_equal (items->len, 2);
  assert_false (item_of (items, "latency-p50-below")->pass);
  assert_false (item_of (items, "latency-p99-below")->pass);
  assert_string_equal (item_of (items, "latency-p50-below")->found,
                       "no request got a response");
  assert_int_equal (cloudrun_expect_failures (items), 2);
}

/* ---- One item per key --------------------------------------------- */

static void
test_expect__one_item_per_key (void **state)
{
  static const char *const keys[] = {
    "outcome", "status", "classified-as", "drop-cause", "decided-at", "via",
    "latency-p50-below", "latency-p90-below", "latency-p99-below" };
  g_autoptr (WorldFixture) wf = load_t (
    "outcome = delivered\nstatus = 200\nclassified-as = external\n"
    "drop-cause = NO_ROUTE\ndecided-at = service\nvia = gfe;service\n"
    "latency-p50-below = 1s\nlatency-p90-below = 1s\n"
    "latency-p99-below = 1s\n");
  g_autoptr (GArray) items = NULL;

  (void) state;
  ledger_all_delivered (wf);
  items = evaluate (wf);
  assert_int_equal (items->len, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const CloudRunCheckItem *it = item_of (items, keys[i]);
      assert_string_equal (it->expect, "t");
      assert_non_null (it->expected);
      assert_non_null (it->found);
      /* Only the drop cause is wrong: nothing was dropped. */
      assert_int_equal (it->pass, strcmp (keys[i], "drop-cause") != 0);
    }
  assert_string_equal (item_of (items, "drop-cause")->expected, "NO_ROUTE");
  assert_non_null (strstr (item_of (items, "drop-cause")->found, "no drop"));
  assert_int_equal (cloudrun_expect_failures (items), 1);
}

static void
test_expect__request_keys_hold_for_every_request (void **state)
{
  /* status, classified-as, drop-cause, decided-at: one request that does
   * not match fails the item. */
  static const struct {
    const char *keys;
    const char *key;
  } cases[] = {
    { "status = 200\n", "status" },
    { "classified-as = external\n", "classified-as" },
    { "decided-at = service\n", "decided-at" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int spoil = 0; spoil < 2; spoil++)
      {
        g_autoptr (WorldFixture) wf = load_t (cases[i].keys);
        g_autoptr (GArray) items = NULL;
        const CloudRunCheckItem *it;

        ledger_all_delivered (wf);
        if (spoil)
          ledger_drop (wf, 1);
        items = evaluate (wf);
        it = item_of (items, cases[i].key);
        if (it->pass != !spoil)
          fail_msg ("%s with %d spoiled request: %s (found: %s)",
                    cases[i].key, spoil, it->pass ? "passes" : "fails",
                    it->found);
      }
}

static void
test_expect__items_follow_file_order (void **state)
{
  /* Two traffics, their expects written in the other order: items come
   * in the order of the [expect] groups. */
  static const char ini[] =
    WF_HEAD
    "[service api]\nregion = us-central1\n\n"
    "[client alice]\n\n"
    "[traffic first]\nfrom = alice\nurl = service:api\n\n"
    "[traffic second]\nfrom = alice\nurl = service:api\n\n"
    "[expect second]\nstatus = 200\n\n"
    "[expect first]\noutcome = delivered\nstatus = 200\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  g_autoptr (GArray) items = evaluate (wf);

  (void) state;
  assert_int_equal (items->len, 3);
  assert_string_equal (g_array_index (items, CloudRunCheckItem, 0).expect,
                       "second");
  assert_string_equal (g_array_index (items, CloudRunCheckItem, 1).expect,
                       "first");
  assert_string_equal (g_array_index (items, CloudRunCheckItem, 1).key,
                       "outcome");
  assert_string_equal (g_array_index (items, CloudRunCheckItem, 2).key,
                       "status");
  assert_int_equal (cloudrun_expect_failures (items), 0);
}

/* ---- What the destination sees ------------------------------------ */

/* Four requests of traffic t from alice to the client bob. */
static WorldFixture *
load_seen (const char *expect_keys)
{
  g_autofree char *ini = g_strconcat (
    WF_HEAD
    "[client alice]\n\n"
    "[client bob]\naddress = 203.0.113.9\n\n"
    "[traffic t]\nfrom = alice\nurl = http://203.0.113.9/\ncount = 4\n"
    "interval = 100ms\n\n"
    "[expect t]\n", expect_keys, NULL);

  return world_fixture_load (ini, NULL);
}

/* Request index of t as a server took it. */
static void
ledger_seen (WorldFixture *wf, guint index, CloudRunHopKind at, uint32_t src,
             const char *host)
{
  CloudRunRequest *r = world_fixture_request (wf, "t", index);

  r->seen_at = at;
  r->seen_src = src;
  r->seen_host = host;
}

#define A4(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 | (d))

static void
test_expect__source_seen_judges_the_requests_that_arrived (void **state)
{
  static const struct {
    const char *keys;
    uint32_t src[4];            /* 0: the request never reached bob */
    CloudRunHopKind at;         /* where the others arrived */
    gboolean pass;
    uint32_t met, of;
    const char *found;          /* prefix */
  } cases[] = {
    { "source-seen = 198.51.100.7\n",
      { A4 (198, 51, 100, 7), A4 (198, 51, 100, 7), A4 (198, 51, 100, 7),
        0 }, CLOUDRUN_HOP_CLIENT, TRUE, 3, 3,
      "3 of 3 requests that reached the destination" },
    { "source-seen = 198.51.100.7\n",
      { A4 (198, 51, 100, 7), A4 (10, 8, 0, 3), A4 (198, 51, 100, 7),
        A4 (198, 51, 100, 7) }, CLOUDRUN_HOP_CLIENT, FALSE, 3, 4,
      "3 of 4 requests that reached the destination; request 2 saw "
      "10.8.0.3 (client)" },
    /* The destination's own address is not what it saw. */
    { "source-seen = 203.0.113.9\n",
      { A4 (198, 51, 100, 7), A4 (198, 51, 100, 7), A4 (198, 51, 100, 7),
        A4 (198, 51, 100, 7) }, CLOUDRUN_HOP_CLIENT, FALSE, 0, 4,
      "0 of 4 requests that reached the destination; request 1 saw "
      "198.51.100.7 (client)" },
    { "source-seen = 10.8.0.0/28\n",
      { A4 (10, 8, 0, 2), A4 (10, 8, 0, 15), A4 (10, 8, 0, 3), 0 },
      CLOUDRUN_HOP_VM, TRUE, 3, 3, "3 of 3" },
    { "source-seen = 10.8.0.0/28\n",
      { A4 (10, 8, 0, 2), A4 (10, 8, 0, 16), A4 (10, 8, 0, 3), 0 },
      CLOUDRUN_HOP_VM, FALSE, 2, 3, "2 of 3" },
    { "source-seen = 10.8.0.0/28\n", { 0, 0, 0, 0 }, CLOUDRUN_HOP_VM, FALSE,
      0, 0, "none of 4 requests reached its destination's server" },
    /* A managed instance took the connection from the caller itself. */
    { "source-seen = 100.64.0.0/24\n",
      { A4 (100, 64, 0, 2), A4 (100, 64, 0, 3), 0, 0 },
      CLOUDRUN_HOP_MANAGED_INSTANCE, TRUE, 2, 2, "2 of 2" },
    /* A container's source is the GFE: never the caller's. */
    { "source-seen = 10.8.0.0/28\n",
      { A4 (10, 8, 0, 2), A4 (10, 8, 0, 2), A4 (10, 8, 0, 2),
        A4 (10, 8, 0, 2) }, CLOUDRUN_HOP_SERVICE, FALSE, 0, 4,
      "0 of 4 requests that reached the destination; request 1 saw 10.8.0.2 "
      "(service: a Cloud Run container sees the GFE" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = load_seen (cases[i].keys);
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = 0; k < 4; k++)
        if (cases[i].src[k] != 0)
          ledger_seen (wf, k, cases[i].at, cases[i].src[k], "203.0.113.9");
      items = evaluate (wf);
      it = item_of (items, "source-seen");
      if (it->pass != cases[i].pass || it->met != cases[i].met
          || it->of != cases[i].of
          || !g_str_has_prefix (it->found, cases[i].found))
        fail_msg ("case %u: %s, %u of %u, found %s", i,
                  it->pass ? "passes" : "fails", it->met, it->of, it->found);
    }
}

/* A server that took the requests over IPv6 saw an IPv6 source: no IPv4
 * range holds it, not even the widest, and the text names it in RFC 5952
 * form. */
static void
test_expect__source_seen_ipv4_ranges_hold_no_ipv6_source (void **state)
{
  g_autoptr (WorldFixture) wf = load_seen ("source-seen = 0.0.0.0/1\n");
  SimExplainLog *log = sim_world_explain (wf->world->sim);
  g_autoptr (GArray) items = NULL;
  const CloudRunCheckItem *it;
  SimIp6 six;

  (void) state;
  assert_true (sim_ipv6_parse ("2001:DB8:0::5", &six));
  ledger_all_delivered (wf);
  for (guint k = 0; k < 4; k++)
    {
      ledger_seen (wf, k, CLOUDRUN_HOP_CLIENT, 0, "203.0.113.9");
      world_fixture_request (wf, "t", k)->seen_src6
        = sim_explain_addr6 (log, sim_explain_intern6 (log, &six));
    }
  items = evaluate (wf);
  it = item_of (items, "source-seen");
  assert_false (it->pass);
  assert_int_equal (it->met, 0);
  if (!strstr (it->found, "request 1 saw 2001:db8::5 (client)"))
    fail_msg ("found %s", it->found);
}

static void
test_expect__host_seen_ignores_case (void **state)
{
  static const struct {
    const char *seen;           /* by request 3; the others saw it right */
    gboolean pass;
  } cases[] = {
    { "shop.example.com", TRUE },
    { "Shop.EXAMPLE.com", TRUE },
    { "shop.example.org", FALSE },
    { "shop.example.com.evil", FALSE },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = load_seen ("host-seen = Shop.example.COM\n");
      g_autoptr (GArray) items = NULL;
      const CloudRunCheckItem *it;

      ledger_all_delivered (wf);
      for (guint k = 0; k < 4; k++)
        ledger_seen (wf, k, CLOUDRUN_HOP_SERVICE, A4 (169, 254, 1, 1),
                     k == 2 ? cases[i].seen : "shop.example.com");
      items = evaluate (wf);
      it = item_of (items, "host-seen");
      assert_string_equal (it->expected, "shop.example.com");
      if (it->pass != cases[i].pass)
        fail_msg ("host %s: %s (found %s)", cases[i].seen,
                  it->pass ? "passes" : "fails", it->found);
    }
}

/* ---- A real run --------------------------------------------------- */

static void
test_expect__a_partner_sees_the_nat_address (void **state)
{
  /* A VM without an external address calls an internet host through
   * Cloud NAT with a listed address: the host sees the NAT's address and
   * the Host the VM wrote, not the VM's own address. */
  static const char ini[] =
    WF_HEAD
    "[network n]\n\n"
    "[subnet vms]\nnetwork = n\nregion = us-central1\n"
    "range = 10.0.0.0/24\n\n"
    "[nat gw]\nnetwork = n\nregion = us-central1\n"
    "addresses = 198.51.100.7\n\n"
    "[vm app]\nsubnet = vms\naddress = 10.0.0.5\n\n"
    "[client partner]\naddress = 203.0.113.80\n\n"
    "[traffic right]\nfrom = app\nurl = http://203.0.113.80/hook\n"
    "count = 2\ninterval = 100ms\n\n"
    "[traffic wrong]\nfrom = app\nurl = http://203.0.113.80/hook\n\n"
    "[expect right]\nsource-seen = 198.51.100.7\n"
    "host-seen = 203.0.113.80\n\n"
    "[expect wrong]\nsource-seen = 10.0.0.5\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  g_autoptr (GArray) items = evaluate (wf);
  const CloudRunCheckItem *right, *wrong;

  (void) state;
  assert_int_equal (items->len, 3);
  right = &g_array_index (items, CloudRunCheckItem, 0);
  wrong = &g_array_index (items, CloudRunCheckItem, 2);
  assert_true (right->pass);
  assert_int_equal (right->met, 2);
  assert_true (item_of (items, "host-seen")->pass);
  assert_false (wrong->pass);
  assert_string_equal (wrong->found, "0 of 1 requests that reached the "
                       "destination; request 1 saw 198.51.100.7 (client)");
}

static void
test_expect__judges_a_real_run (void **state)
{
  /* The tour's first lesson, with one expectation that is wrong on
   * purpose: it must fail, the others pass. */
  static const char ini[] =
    WF_HEAD
    "[service hello]\nregion = asia-northeast1\ningress = all\n\n"
    "[service backend]\nregion = asia-northeast1\ningress = internal\n\n"
    "[client alice]\n\n"
    "[traffic to-hello]\nfrom = alice\nurl = service:hello\ncount = 3\n"
    "interval = 100ms\n\n"
    "[traffic to-backend]\nfrom = alice\nurl = service:backend\ncount = 3\n"
    "interval = 100ms\n\n"
    "[expect to-hello]\noutcome = delivered\nstatus = 200\n"
    "classified-as = external\nvia = client;internet;gfe;service\n"
    "latency-p99-below = 2s\n\n"
    "[expect to-backend]\noutcome = delivered\ndecided-at = gfe\n"
    "status = 404\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  g_autoptr (GArray) items = evaluate (wf);

  (void) state;
  assert_int_equal (items->len, 8);
  for (guint i = 0; i < items->len; i++)
    {
      const CloudRunCheckItem *it = &g_array_index (items, CloudRunCheckItem,
                                                    i);
      bool wrong = strcmp (it->expect, "to-backend") == 0
                   && strcmp (it->key, "outcome") == 0;
      if (it->pass == wrong)
        fail_msg ("[expect %s] %s: %s (expected %s, found %s)", it->expect,
                  it->key, it->pass ? "passes" : "fails", it->expected,
                  it->found);
      if (wrong)
        assert_true (g_str_has_prefix (it->found, "0 of 3 requests; "
                                       "request 1 shows denied-by-ingress"));
    }
  assert_int_equal (cloudrun_expect_failures (items), 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_expect__ratio),
    cmocka_unit_test (test_expect__via_is_an_ordered_subsequence),
    cmocka_unit_test (test_expect__via_must_hold_for_every_request),
    cmocka_unit_test (test_expect__latency_bounds),
    cmocka_unit_test (test_expect__each_bound_reads_its_percentile),
    cmocka_unit_test (test_expect__latency_counts_only_responses),
    cmocka_unit_test (test_expect__latency_without_responses_fails),
    cmocka_unit_test (test_expect__one_item_per_key),
    cmocka_unit_test (test_expect__request_keys_hold_for_every_request),
    cmocka_unit_test (test_expect__items_follow_file_order),
    cmocka_unit_test (test_expect__source_seen_judges_the_requests_that_arrived),
    cmocka_unit_test (test_expect__source_seen_ipv4_ranges_hold_no_ipv6_source),
    cmocka_unit_test (test_expect__host_seen_ignores_case),
    cmocka_unit_test (test_expect__revision),
    cmocka_unit_test (test_expect__a_partner_sees_the_nat_address),
    cmocka_unit_test (test_expect__judges_a_real_run),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
