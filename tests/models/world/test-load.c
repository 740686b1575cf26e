/* Tests for the gauges the world feeds (models/world/series.h) through
 * small scenarios: a service's requests in flight, instances and pending
 * queue during a burst; Cloud NAT's ports taken, held through TIME_WAIT
 * and given back after it; a Direct VPC subnet's addresses held by the
 * instances it has room for.
 *
 * Probes: the world's series, after the run, by kind, name and metric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/series.h"
#include "tests/models/world/world-fixture.h"

/* The gauge (kind, name, metric) of the run, finished; fails when the
 * world has none. */
static const CloudRunGauge *
gauge (WorldFixture *wf, const char *kind, const char *name,
       const char *metric)
{
  CloudRunSeries *s = wf->world->series;

  assert_non_null (s);
  cloudrun_series_finish (s);
  for (guint i = 0; i < s->gauges->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (s->gauges, i);
      if (strcmp (g->kind, kind) == 0 && strcmp (g->name, name) == 0
          && strcmp (g->metric, metric) == 0)
        return g;
    }
  fail_msg ("no gauge %s %s %s", kind, name, metric);
  return NULL;
}

/* One instance, 2 at a time, 1 s each: a burst of 6 runs in three
 * rounds, 4 then 2 waiting. */
static void
test_load__service_in_flight_instances_and_queue (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[project shop]\n\n"
    "[service capped]\nregion = us-central1\nmin-instances = 1\n"
    "max-instances = 1\nconcurrency = 2\ncold-start = 1s\n"
    "service-time = 1s\n\n"
    "[client lab]\n\n"
    "[traffic burst]\nfrom = lab\nurl = service:capped\npattern = burst\n"
    "count = 6\ntimeout = 20s\n", NULL);
  const CloudRunGauge *in_flight = gauge (wf, "service", "capped",
                                          "in_flight");
  const CloudRunGauge *instances = gauge (wf, "service", "capped",
                                          "instances");
  const CloudRunGauge *queue = gauge (wf, "service", "capped", "queue");

  (void) state;
  assert_int_equal (world_fixture_count_verdict (wf, "burst",
                                                 CLOUDRUN_VERDICT_DELIVERED),
                    6);
  assert_int_equal (in_flight->peak, 2);
  assert_int_equal (in_flight->value, 0);
  assert_int_equal (instances->peak, 1);
  assert_int_equal (instances->peak_at, 0);
  assert_int_equal (instances->value, 1);
  assert_int_equal (queue->peak, 4);
  assert_int_equal (queue->value, 0);
  /* 30 s in 100 ms buckets: the queue is 2 at the end of 1.5 s. */
  assert_int_equal (wf->world->series->period, 100 * SIM_MS);
  assert_int_equal (queue->end[14], 2);
  assert_int_equal (in_flight->end[14], 2);
}

/* A NAT block of 4 ports and a 5 s TIME_WAIT: 4 connections take them,
 * their ports stay taken 5 s after they close, then are free. */
static void
test_load__nat_ports_held_through_time_wait (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[nat gw]\nnetwork = net\nregion = us-central1\n"
    "addresses = 198.51.100.77\nmin-ports-per-vm = 4\n"
    "tcp-time-wait-timeout = 5s\n\n"
    "[vm app]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[client site]\naddress = 203.0.113.10\n\n"
    "[traffic out]\nfrom = app\nurl = http://203.0.113.10/\n"
    "pattern = burst\ncount = 4\n", NULL);
  const CloudRunGauge *ports = gauge (wf, "nat", "gw", "ports");

  (void) state;
  assert_int_equal (world_fixture_count_verdict (wf, "out",
                                                 CLOUDRUN_VERDICT_DELIVERED),
                    4);
  assert_int_equal (ports->peak, 4);
  /* Closed within the first second, held until 5 s after. */
  assert_int_equal (ports->end[30], 4);
  assert_int_equal (ports->end[70], 0);
  assert_int_equal (ports->value, 0);
}

/* A /28 has 12 usable addresses, 2 per instance: 6 instances start for a
 * burst of 10 at one request each, 4 wait. */
static void
test_load__direct_vpc_addresses_held (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\n\n"
    "[subnet tiny]\nnetwork = net\nregion = us-central1\n"
    "range = 10.0.0.0/28\nprivate-google-access = true\n\n"
    "[service on-tiny]\nregion = us-central1\nvpc-access = direct\n"
    "subnet = tiny\nvpc-egress = all-traffic\nconcurrency = 1\n"
    "max-instances = 50\nservice-time = 3s\n\n"
    "[client lab]\n\n"
    "[traffic burst]\nfrom = lab\nurl = service:on-tiny\npattern = burst\n"
    "count = 10\ntimeout = 20s\n", NULL);
  const CloudRunGauge *addrs = gauge (wf, "subnet", "tiny", "addresses");

  (void) state;
  assert_int_equal (addrs->peak, 12);
  assert_int_equal (gauge (wf, "service", "on-tiny", "instances")->peak, 6);
  assert_int_equal (gauge (wf, "service", "on-tiny", "in_flight")->peak, 6);
  assert_int_equal (gauge (wf, "service", "on-tiny", "queue")->peak, 4);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_load__service_in_flight_instances_and_queue),
    cmocka_unit_test (test_load__nat_ports_held_through_time_wait),
    cmocka_unit_test (test_load__direct_vpc_addresses_held),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
