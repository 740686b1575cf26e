/* Tests for models/world/service.c (instances, cold start, concurrency and
 * max-instances, docs/networking.md, "Capacity and timing") through small
 * scenarios: an internet client calls a public service and the caller's
 * latency, the GFE's steps and the verdicts show what the autoscaler did.
 * With min-instances = 0 the first request waits the cold start and later
 * ones do not; warm instances never make anyone wait; with every instance
 * at its concurrency and none left to start, the GFE answers 429. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

/* Client alice calls [service api]; its keys and the traffic's appended. */
static WorldFixture *
run_api (const char *api_keys, const char *traffic_keys)
{
  g_autofree char *ini = g_strconcat (
    WF_HEAD
    "[client alice]\n\n"
    "[service api]\nregion = us-central1\n", api_keys, "\n"
    "[traffic calls]\nfrom = alice\nurl = service:api\n", traffic_keys, NULL);

  return world_fixture_new (ini, NULL);
}

/* Whether the GFE sent the request to an instance that was starting. */
static bool
cold (WorldFixture *wf, const CloudRunRequest *r)
{
  const SimExplainStep *s = world_fixture_step (wf, r, "PROXY_CONNECTION",
                                                "gfe");

  assert_non_null (s);
  return strstr (s->note, "(cold start") != NULL;
}

static void
test_service__cold_start (void **state)
{
  /* Three requests 3 s apart, cold start 2 s. */
  static const struct {
    const char *min_instances;
    bool first_cold;
  } cases[] = {
    { "0", true },
    { "1", false },
    { "3", false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat ("cold-start = 2s\nmin-instances = ",
                                           cases[i].min_instances, "\n", NULL);
      g_autoptr (WorldFixture) wf = run_api (keys,
                                             "count = 3\ninterval = 3s\n");

      for (guint k = 0; k < 3; k++)
        {
          CloudRunRequest *r = world_fixture_request (wf, "calls", k);
          bool expect_cold = k == 0 && cases[i].first_cold;
          SimTime latency;

          assert_string_equal (world_fixture_verdict (wf, "calls", k),
                               "delivered");
          latency = world_fixture_latency (r);
          if (expect_cold)
            assert_true (latency >= 2 * SIM_S);
          else if (latency >= SIM_S)
            fail_msg ("min-instances %s, request %u waited %" G_GINT64_FORMAT
                      " ns", cases[i].min_instances, k + 1,
                      (gint64) latency);
          assert_int_equal (cold (wf, r), expect_cold);
        }
      assert_int_equal (world_fixture_served (wf, "api"), 3);
    }
}

static void
test_service__cold_start_delays_only_the_container (void **state)
{
  /* The wait is the cold start plus the network and the service time:
   * bounded on both sides. */
  g_autoptr (WorldFixture) wf = run_api ("cold-start = 1500ms\n"
                                         "service-time = 10ms\n", "");
  SimTime latency = world_fixture_latency (world_fixture_request (wf, "calls",
                                                                  0));

  (void) state;
  assert_true (latency >= 1500 * SIM_MS + 10 * SIM_MS);
  assert_true (latency < 1500 * SIM_MS + 200 * SIM_MS);
}

/* Two overlapping requests (10 ms apart, each served for 500 ms) on a
 * service that may run one instance taking one request: the second waits
 * in the GFE's pending queue (a PENDING_QUEUE step) and takes the slot the
 * first frees, so both are delivered, the second about 500 ms later. */
static void
test_service__no_room_waits_in_the_pending_queue (void **state)
{
  g_autoptr (WorldFixture) wf = run_api (
    "concurrency = 1\nmax-instances = 1\nservice-time = 500ms\n",
    "count = 2\ninterval = 10ms\n");
  CloudRunRequest *first = world_fixture_request (wf, "calls", 0);
  CloudRunRequest *second = world_fixture_request (wf, "calls", 1);
  const SimExplainStep *wait = world_fixture_step (wf, second,
                                                   "PENDING_QUEUE", "gfe");

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "calls", 1), "delivered");
  assert_non_null (wait);
  assert_non_null (strstr (wait->rule, "at most 10s"));
  assert_null (world_fixture_step (wf, first, "PENDING_QUEUE", NULL));
  assert_true (second->end >= first->end + 490 * SIM_MS);
  assert_int_equal (world_fixture_served (wf, "api"), 2);
}

/* A request that waits longer than the pending queue allows (Google's
 * 10 s, or [assumptions] pending-wait) is answered 429 by the GFE and
 * never reaches a container. */
static void
test_service__pending_wait_over_is_429 (void **state)
{
  static const struct {
    const char *keys;
    SimTime wait;
  } cases[] = {
    { "", 10 * SIM_S },
    { "[assumptions]\npending-wait = 2s\n", 2 * SIM_S },
    { "cold-start = 4s\n", 14 * SIM_S },         /* 3.5 x 4 s */
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat (
        "concurrency = 1\nmax-instances = 1\nservice-time = 30s\n",
        cases[i].keys, NULL);
      g_autoptr (WorldFixture) wf = run_api (
        keys, "count = 2\ninterval = 10ms\ntimeout = 60s\n");
      CloudRunRequest *second = world_fixture_request (wf, "calls", 1);
      const SimExplainStep *wait = world_fixture_step (wf, second,
                                                       "PENDING_QUEUE",
                                                       "gfe");
      const SimExplainStep *abort = world_fixture_step (wf, second, "ABORT",
                                                        "gfe");

      assert_string_equal (world_fixture_verdict (wf, "calls", 1),
                           "unavailable");
      assert_int_equal (world_fixture_status (wf, "calls", 1), 429);
      assert_string_equal (world_fixture_decided_at (wf, "calls", 1), "gfe");
      assert_non_null (wait);
      assert_non_null (abort);
      assert_non_null (strstr (abort->rule, "pending queue"));
      assert_int_equal (abort->time - wait->time, cases[i].wait);
      assert_null (world_fixture_step (wf, second, "DELIVER", NULL));
    }
}

static void
test_service__room_is_not_429 (void **state)
{
  /* The same overlap fits when an instance takes two requests, or when
   * the requests do not overlap. */
  static const struct {
    const char *label;
    const char *keys;
    const char *traffic;
  } cases[] = {
    { "concurrency 2", "concurrency = 2\nmax-instances = 1\n"
      "service-time = 500ms\n", "count = 2\ninterval = 10ms\n" },
    { "one after the other", "concurrency = 1\nmax-instances = 1\n"
      "service-time = 500ms\n", "count = 2\ninterval = 3s\n" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_api (cases[i].keys, cases[i].traffic);
      guint n = world_fixture_count_verdict (wf, "calls",
                                             CLOUDRUN_VERDICT_DELIVERED);
      if (n != 2)
        fail_msg ("%s: %u of 2 delivered", cases[i].label, n);
    }
}

/* With concurrency 1 and max-instances 2 (or 3), overlapping requests
 * each get an instance of their own (the later ones after a cold start);
 * one more than max-instances can take waits for the first free slot and
 * is delivered too, the last. */
static void
test_service__scales_out_to_max_instances (void **state)
{
  static const struct {
    const char *max;
    const char *count;
    guint n;
  } cases[] = {
    { "2", "3", 2 },
    { "3", "4", 3 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat ("concurrency = 1\nmax-instances = ",
                                           cases[i].max,
                                           "\nservice-time = 500ms\n", NULL);
      g_autofree char *traffic = g_strconcat ("count = ", cases[i].count,
                                              "\ninterval = 10ms\n", NULL);
      g_autoptr (WorldFixture) wf = run_api (keys, traffic);
      guint n = world_fixture_count_verdict (wf, "calls",
                                             CLOUDRUN_VERDICT_DELIVERED);
      CloudRunRequest *last = world_fixture_request (wf, "calls", cases[i].n);

      if (n != cases[i].n + 1)
        {
          g_autofree char *steps = world_fixture_steps_text (
            wf, world_fixture_request (wf, "calls", 1));
          print_error ("%s", steps);
          fail_msg ("max-instances %s: %u of %u overlapping requests "
                    "delivered", cases[i].max, n, cases[i].n + 1);
        }
      /* Only the one past max-instances waited. */
      assert_non_null (world_fixture_step (wf, last, "PENDING_QUEUE", "gfe"));
      for (guint k = 0; k < cases[i].n; k++)
        assert_null (world_fixture_step (wf, world_fixture_request (wf,
                                                                    "calls",
                                                                    k),
                                         "PENDING_QUEUE", NULL));
    }
}

/* An instance beyond min-instances idle for [assumptions]
 * instance-idle-timeout (5 s here) retires: the next request, 10 s later,
 * waits a cold start again, and the step says why; 3 s later it is still
 * warm; a min-instances instance never retires. */
static void
test_service__idle_instances_retire (void **state)
{
  static const struct {
    const char *keys;
    const char *interval;
    bool second_cold;
  } cases[] = {
    { "min-instances = 0\n", "10s", true },
    { "min-instances = 0\n", "3s", false },
    { "min-instances = 1\n", "10s", false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat (
        cases[i].keys, "cold-start = 1s\n"
        "[assumptions]\ninstance-idle-timeout = 5s\n", NULL);
      g_autofree char *traffic = g_strconcat ("count = 2\ninterval = ",
                                              cases[i].interval, "\n", NULL);
      g_autoptr (WorldFixture) wf = run_api (keys, traffic);
      CloudRunRequest *second = world_fixture_request (wf, "calls", 1);
      const SimExplainStep *s = world_fixture_step (wf, second,
                                                    "PROXY_CONNECTION", "gfe");

      assert_non_null (s);
      if (cold (wf, second) != cases[i].second_cold)
        fail_msg ("case %u: the second request is %s", i,
                  cases[i].second_cold ? "warm" : "cold");
      assert_int_equal (strstr (s->note, "it had retired") != NULL,
                        cases[i].second_cold);
      assert_string_equal (world_fixture_verdict (wf, "calls", 1),
                           "delivered");
    }
}

/* Direct VPC: each instance needs 2 addresses of its subnet, taken in /28
 * blocks. A /28 (12 usable) carries 6 instances: of a burst of 10 (one
 * request per instance), the 7th waits in the pending queue because no
 * instance can start, and the step names the subnet; a /27 (28 usable,
 * 14 instances) starts one instance per request. */
static void
test_service__direct_vpc_addresses_bound_instances (void **state)
{
  static const struct {
    const char *range;
    bool waits;
  } cases[] = {
    { "10.0.0.0/28", true },
    { "10.0.0.0/27", false },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = g_strconcat (
        "vpc-access = direct\nsubnet = run\nvpc-egress = all-traffic\n"
        "concurrency = 1\nmax-instances = 50\nservice-time = 3s\n\n"
        "[network n]\n[subnet run]\nnetwork = n\nregion = us-central1\n"
        "private-google-access = true\nrange = ", cases[i].range, "\n",
        NULL);
      g_autoptr (WorldFixture) wf = run_api (
        keys, "pattern = burst\ncount = 10\ntimeout = 25s\n");
      CloudRunRequest *seventh = world_fixture_request (wf, "calls", 6);
      const SimExplainStep *wait = world_fixture_step (wf, seventh,
                                                       "PENDING_QUEUE",
                                                       "gfe");
      guint waited = 0;

      for (guint k = 0; k < 10; k++)
        waited += world_fixture_step (wf, world_fixture_request (wf, "calls",
                                                                 k),
                                      "PENDING_QUEUE", NULL) != NULL;
      if ((wait != NULL) != cases[i].waits)
        fail_msg ("%s: the 7th request %s", cases[i].range,
                  wait ? "waited" : "did not wait");
      assert_int_equal (waited, cases[i].waits ? 4 : 0);
      if (wait)
        assert_non_null (strstr (wait->rule, "no instance can start: Direct "
                                 "VPC's subnet run has no free /28 block"));
      assert_int_equal (world_fixture_count_verdict (
                          wf, "calls", CLOUDRUN_VERDICT_DELIVERED), 10);
    }
}

/* One instance taking one request at a time, busy 2 s: a caller that
 * gives up (timeout 500 ms) while it waits in the pending queue leaves
 * it, so the slot the first request frees goes to the one waiting behind
 * it, which ends about 2 s later; the GFE forwards only the two that
 * stayed. */
static void
test_service__caller_leaving_the_queue_gives_up_its_place (void **state)
{
  g_autoptr (WorldFixture) wf = run_api (
    "concurrency = 1\nmax-instances = 1\nmin-instances = 1\n"
    "service-time = 2s\n",
    "count = 1\n"
    "[traffic quitter]\nfrom = alice\nurl = service:api\nstart = 10ms\n"
    "timeout = 500ms\n"
    "[traffic patient]\nfrom = alice\nurl = service:api\nstart = 20ms\n"
    "timeout = 30s\n");
  CloudRunRequest *patient = world_fixture_request (wf, "patient", 0);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "quitter", 0), "timeout");
  assert_non_null (world_fixture_step (wf, world_fixture_request (wf,
                                                                  "quitter",
                                                                  0),
                                       "PENDING_QUEUE", "gfe"));
  assert_string_equal (world_fixture_verdict (wf, "patient", 0),
                       "delivered");
  assert_non_null (world_fixture_step (wf, patient, "PENDING_QUEUE", "gfe"));
  assert_true (patient->end >= 4 * SIM_S);
  assert_true (patient->end < 5 * SIM_S);
  assert_int_equal (world_fixture_served (wf, "api"), 2);
  /* The GFE never forwarded the one that left. */
  assert_int_equal (world_fixture_service (wf, "api")->requests, 2);
  assert_null (world_fixture_step (wf, world_fixture_request (wf, "quitter",
                                                              0),
                                   "PROXY_CONNECTION", "gfe"));
}

/* A burst of 1000 requests on a service that takes one at a time and may
 * run 1000 instances: each request gets an instance of its own, all 1000
 * start and serve one request each, each at its own address in the
 * service's /24s of 169.254.0.0/16 (169.254.1.10 to 169.254.4.241). */
static void
test_service__runs_a_thousand_instances (void **state)
{
  g_autoptr (WorldFixture) wf = run_api (
    "concurrency = 1\nmax-instances = 1000\ncold-start = 1s\n"
    "service-time = 5s\n", "pattern = burst\ncount = 1000\ntimeout = 60s\n");
  CloudRunServiceNode *svc = world_fixture_service (wf, "api");
  g_autoptr (GHashTable) addrs = g_hash_table_new (NULL, NULL);

  (void) state;
  assert_int_equal (world_fixture_count_verdict (wf, "calls",
                                                 CLOUDRUN_VERDICT_DELIVERED),
                    1000);
  assert_int_equal (svc->instances->len, 1000);
  assert_int_equal (svc->running, 1000);
  for (guint i = 0; i < svc->instances->len; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);
      uint32_t a = inst->host.addrs[0];
      assert_true (inst->started);
      assert_int_equal (inst->http.requests, 1);
      assert_int_equal (a, WF_IP (169, 254, 1, 10) + i);
      assert_false (g_hash_table_contains (addrs, GUINT_TO_POINTER (a)));
      g_hash_table_add (addrs, GUINT_TO_POINTER (a));
    }
  assert_int_equal (((CloudRunInstance *) g_ptr_array_index (
                       svc->instances, 999))->host.addrs[0],
                    WF_IP (169, 254, 4, 241));
  for (guint k = 0; k < 1000; k++)
    assert_null (world_fixture_step (wf, world_fixture_request (wf, "calls",
                                                                k),
                                     "PENDING_QUEUE", NULL));
}

/* The choice as the autoscaler made it before its heaps, by scanning:
 * retire the idle, then the least loaded started instance with a free
 * slot (lowest index on a tie), else the first not started, else a new
 * one; -1 for none. Kept in model[] (started, in_flight, idle_since,
 * ready_at per instance). */
typedef struct {
  bool started;
  uint32_t in_flight;
  SimTime idle_since, ready_at;
} ModelInstance;

static int
model_acquire (ModelInstance *m, guint *n, guint max, uint32_t conc,
               uint32_t min, SimTime idle, SimTime cold_start, SimTime now)
{
  int best = -1;

  for (guint i = min; idle > 0 && i < *n; i++)
    if (m[i].started && m[i].in_flight == 0 && now >= m[i].ready_at
        && now - MAX (m[i].idle_since, m[i].ready_at) >= idle)
      m[i].started = false;
  for (guint i = 0; i < *n; i++)
    if (m[i].started && m[i].in_flight < conc
        && (best < 0 || m[i].in_flight < m[best].in_flight))
      best = (int) i;
  for (guint i = 0; best < 0 && i < *n; i++)
    if (!m[i].started)
      best = (int) i;
  if (best < 0 && *n < max)
    best = (int) (*n)++;
  if (best < 0)
    return -1;
  if (!m[best].started)
    {
      m[best].started = true;
      m[best].ready_at = now + cold_start;
    }
  m[best].in_flight++;
  return best;
}

/* Random acquires and releases over time (instances idle 5 s retire)
 * choose exactly what the scan chose, ties to the lowest index: first a
 * fixed sequence with a tie, then 20000 random steps, filling all 40
 * instances (refusals) and draining them in turns. */
static void
test_service__acquire_is_least_loaded_lowest_index (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (
    WF_HEAD "[client alice]\n\n[service api]\nregion = us-central1\n"
    "concurrency = 3\nmax-instances = 40\nmin-instances = 2\n"
    "cold-start = 1s\n[assumptions]\ninstance-idle-timeout = 5s\n"
    "[traffic calls]\nfrom = alice\nurl = service:api\n", NULL);
  CloudRunServiceNode *svc = world_fixture_service (wf, "api");
  ModelInstance model[40] = { { 0 } };
  GPtrArray *held = g_ptr_array_new ();
  SimTime released_at = sim_world_now (wf->world->sim), now = 0;
  guint n = 2, seq[] = { 0, 1, 0, 1, 0, 1, 2 };
  guint32 rng = 12345;
  guint refused = 0;
  bool cold;

  (void) state;
  model[0].started = model[1].started = true;
  /* Both warm instances tie at every load: they fill alternately. */
  for (guint k = 0; k < G_N_ELEMENTS (seq); k++)
    {
      CloudRunInstance *inst = cloudrun_service_acquire (svc, now, &cold);
      assert_non_null (inst);
      assert_int_equal (inst->index, seq[k]);
      assert_int_equal (model_acquire (model, &n, 40, 3, 2, 5 * SIM_S,
                                       SIM_S, now), seq[k]);
      g_ptr_array_add (held, inst);
    }
  for (guint step = 0; step < 20000; step++)
    {
      guint release = step / 2000 % 2 ? 70 : 30;

      rng = rng * 1103515245u + 12345u;
      if ((rng >> 16) % 100 < 2)
        now += 6 * SIM_S;       /* long enough for the idle to retire */
      else if ((rng >> 16) % 100 < release && held->len > 0)
        {
          guint k = (rng >> 8) % held->len;
          CloudRunInstance *inst = g_ptr_array_steal_index_fast (held, k);
          cloudrun_service_release (inst);
          if (--model[inst->index].in_flight == 0)
            model[inst->index].idle_since = released_at;
        }
      else
        {
          CloudRunInstance *inst;
          int want;

          now += SIM_MS;
          inst = cloudrun_service_acquire (svc, now, &cold);
          want = model_acquire (model, &n, 40, 3, 2, 5 * SIM_S, SIM_S, now);
          refused += want < 0;
          if (want < 0)
            assert_null (inst);
          else if (!inst || inst->index != (guint) want)
            fail_msg ("step %u: chose %d, the scan %d", step,
                      inst ? (int) inst->index : -1, want);
          if (inst)
            g_ptr_array_add (held, inst);
        }
    }
  assert_true (svc->retired > 0);
  assert_true (refused > 0);
  assert_int_equal (svc->instances->len, n);
  for (guint i = 0; i < n; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);
      assert_int_equal (inst->started, model[i].started);
      assert_int_equal (inst->in_flight, model[i].in_flight);
    }
  g_ptr_array_free (held, TRUE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_service__cold_start),
    cmocka_unit_test (test_service__cold_start_delays_only_the_container),
    cmocka_unit_test (test_service__no_room_waits_in_the_pending_queue),
    cmocka_unit_test (test_service__pending_wait_over_is_429),
    cmocka_unit_test (test_service__room_is_not_429),
    cmocka_unit_test (test_service__scales_out_to_max_instances),
    cmocka_unit_test (test_service__idle_instances_retire),
    cmocka_unit_test (test_service__direct_vpc_addresses_bound_instances),
    cmocka_unit_test (test_service__caller_leaving_the_queue_gives_up_its_place),
    cmocka_unit_test (test_service__runs_a_thousand_instances),
    cmocka_unit_test (test_service__acquire_is_least_loaded_lowest_index),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
