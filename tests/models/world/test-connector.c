/* Tests for models/world/connector.c (Serverless VPC Access connector) on a
 * tiny world: a probe "inst" stands for a Cloud Run instance on the
 * connector's serverless side, a probe "vpc" for the VPC router.
 * https://cloud.google.com/vpc/docs/serverless-vpc-access
 *
 * Probes: the frames each side received (addresses, ports, times), the
 * connector's ARRIVE_AT_VPC_CONNECTOR and DROP steps, its instance
 * count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/connector.h"
#include "tests/models/world/tiny-world.h"

#define BLOCK TW_IP (10, 8, 0, 0)       /* the connector's /28 */
#define INST TW_IP (10, 20, 0, 5)       /* the caller instance */
#define DB TW_IP (10, 1, 0, 9)          /* a VM in the VPC */

typedef struct {
  TinyWorld *tw;
  CloudRunConnectorNode *conn;
  TinyProbe *inst, *vpc;
} ConnWorld;

/* 1000-byte frames (946 payload bytes) at SLOW_BPS take 1 ms each. */
#define SLOW_BPS 8000000u
#define PAYLOAD_1000 946u

static ConnWorld
conn_world_with (const VpcConnectorConfig *config)
{
  ConnWorld c = { tiny_world_new (4), NULL, NULL, NULL };
  VpcConnectorConfig cfg = *config;

  c.conn = cloudrun_connector_new (c.tw->world, &cfg);
  c.inst = tiny_probe_new (c.tw, "inst");
  c.vpc = tiny_probe_new (c.tw, "vpc");
  tiny_link (c.tw, c.inst->port,
             cloudrun_connector_attach (c.conn, "inst-0",
                                        tiny_egress_config (
                                          c.tw, "front",
                                          VPC_ACCESS_CONNECTOR),
                                        NULL));
  tiny_link (c.tw, c.conn->vpc, c.vpc->port);
  return c;
}

static ConnWorld
conn_world (unsigned instances)
{
  VpcConnectorConfig cfg = tiny_connector_config ("conn", BLOCK, instances);

  return conn_world_with (&cfg);
}

/* A connector whose instances forward 1000-byte frames in 1 ms each,
 * min to max of them, a new one serving after start. */
static ConnWorld
slow_world (unsigned min, unsigned max, SimTime start)
{
  VpcConnectorConfig cfg = tiny_connector_config ("conn", BLOCK, min);

  cfg.max_instances = max;
  cfg.rate_bps = SLOW_BPS;
  cfg.start_time = start;
  return conn_world_with (&cfg);
}

/* n 1000-byte segments of one flow (source port sport) from the caller,
 * one every gap from at. */
static void
send_burst (ConnWorld *c, SimTime at, SimTime gap, unsigned n, uint16_t sport)
{
  for (unsigned i = 0; i < n; i++)
    tiny_probe_send_tcp (c->inst, at + (SimTime) i * gap, INST, sport, DB,
                         5432, SIM_TCP_ACK, 64, PAYLOAD_1000, 1);
}

static void
test_connector__source_becomes_an_instance_address (void **state)
{
  ConnWorld c = conn_world (2);
  const TinyFrame *out;
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp (c.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_world_run (c.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (c.vpc), 1);
  out = tiny_probe_frame (c.vpc, 0);
  /* The VPC sees the connector's first instance (.2 of its /28), not the
   * Cloud Run instance; the destination is untouched. */
  assert_int_equal (out->f.src, BLOCK + 2);
  assert_int_equal (out->f.dst, DB);
  assert_int_equal (out->f.dport, 5432);
  assert_true (sim_frame_checksums_ok (&out->f));
  s = tiny_step (c.tw, 1, "ARRIVE_AT_VPC_CONNECTOR", "connector-conn");
  assert_non_null (s);
  assert_int_equal (s->src_before, INST);
  assert_int_equal (s->src_after, BLOCK + 2);
  assert_non_null (strstr (s->rule, "vpc-egress = all-traffic"));
  tiny_world_free (c.tw);
}

static void
test_connector__reply_goes_back_to_the_caller (void **state)
{
  ConnWorld c = conn_world (2);
  const TinyFrame *out, *back;

  (void) state;
  tiny_probe_send_tcp (c.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_world_run (c.tw, SIM_MS);
  out = tiny_probe_frame (c.vpc, 0);
  tiny_probe_send_tcp (c.vpc, 2 * SIM_MS, DB, 5432, out->f.src, out->f.sport,
                       SIM_TCP_SYN | SIM_TCP_ACK, 64, 0, 1);
  tiny_world_run (c.tw, 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (c.inst), 1);
  back = tiny_probe_frame (c.inst, 0);
  assert_int_equal (back->f.src, DB);
  assert_int_equal (back->f.sport, 5432);
  assert_int_equal (back->f.dst, INST);
  assert_int_equal (back->f.dport, 40000);
  assert_true (sim_frame_checksums_ok (&back->f));
  tiny_world_free (c.tw);
}

static void
test_connector__unsolicited_packet_from_the_vpc_is_dropped (void **state)
{
  ConnWorld c = conn_world (2);

  (void) state;
  /* A VM tries to open a connection to a connector instance. */
  tiny_probe_send_tcp (c.vpc, 0, DB, 5432, BLOCK + 2, 1024, SIM_TCP_SYN, 64,
                       0, 0);
  tiny_probe_send_tcp (c.vpc, 0, DB, 5432, BLOCK + 2, 2048, SIM_TCP_ACK, 64,
                       10, 0);
  tiny_world_run (c.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (c.inst), 0);
  tiny_world_free (c.tw);
}

static void
test_connector__flows_spread_over_its_instances (void **state)
{
  static const unsigned instances[] = { 2, 3 };

  (void) state;
  for (guint n = 0; n < G_N_ELEMENTS (instances); n++)
    {
      ConnWorld c = conn_world (instances[n]);

      /* One more flow than instances: the last wraps to the first. */
      for (unsigned i = 0; i <= instances[n]; i++)
        tiny_probe_send_tcp (c.inst, i * SIM_US, INST, (uint16_t) (40000 + i),
                             DB, 5432, SIM_TCP_SYN, 64, 0, 0);
      tiny_world_run (c.tw, SIM_MS);
      assert_int_equal (tiny_probe_count (c.vpc), instances[n] + 1);
      for (unsigned i = 0; i <= instances[n]; i++)
        assert_int_equal (tiny_probe_frame (c.vpc, i)->f.src,
                          BLOCK + 2 + i % instances[n]);
      tiny_world_free (c.tw);
    }
}

static void
test_connector__segments_of_one_flow_keep_its_instance (void **state)
{
  ConnWorld c = conn_world (2);

  (void) state;
  tiny_probe_send_tcp (c.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_probe_send_tcp (c.inst, SIM_US, INST, 40000, DB, 5432, SIM_TCP_ACK, 64,
                       100, 1);
  tiny_world_run (c.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (c.vpc), 2);
  assert_int_equal (tiny_probe_frame (c.vpc, 1)->f.src,
                    tiny_probe_frame (c.vpc, 0)->f.src);
  assert_int_equal (tiny_probe_frame (c.vpc, 1)->f.sport,
                    tiny_probe_frame (c.vpc, 0)->f.sport);
  assert_int_equal (tiny_probe_frame (c.vpc, 1)->f.payload_len, 100);
  /* One step for the connection, none for its data. */
  assert_int_equal (tiny_count_steps (c.tw, 1, "ARRIVE_AT_VPC_CONNECTOR",
                                      NULL), 1);
  tiny_world_free (c.tw);
}

static void
test_connector__an_instance_sends_at_its_rate_and_queues_the_rest (void **state)
{
  ConnWorld c = slow_world (1, 1, SIM_S);
  const SimExplainStep *s;

  (void) state;
  send_burst (&c, 0, 0, 5, 40000);
  /* A second flow behind the five: its step tells the wait. */
  tiny_probe_send_tcp (c.inst, 0, INST, 40001, DB, 5432, SIM_TCP_SYN, 64, 0,
                       2);
  tiny_world_run (c.tw, SIM_S);
  assert_int_equal (tiny_probe_count (c.vpc), 6);
  /* Frame i leaves after i + 1 ms of transmission, 10 us links each side. */
  for (guint i = 0; i < 5; i++)
    assert_int_equal (tiny_probe_frame (c.vpc, i)->at,
                      2 * TW_LINK_DELAY + (SimTime) (i + 1) * SIM_MS);
  s = tiny_step (c.tw, 2, "ARRIVE_AT_VPC_CONNECTOR", "connector-conn");
  assert_non_null (s);
  assert_non_null (strstr (s->note, "after 5.000 ms in its queue"));
  /* The first flow's second frame waited 1 ms: one step says so. */
  assert_int_equal (tiny_count_steps (c.tw, 1, "CONNECTOR_QUEUE", NULL), 1);
  s = tiny_step (c.tw, 1, "CONNECTOR_QUEUE", "connector-conn");
  assert_non_null (strstr (s->rule, "waited 1.000 ms in instance 10.8.0.2's "
                           "queue into the VPC"));
  tiny_world_free (c.tw);
}

static void
test_connector__each_direction_has_its_own_queue (void **state)
{
  ConnWorld c = slow_world (1, 1, SIM_S);
  const TinyFrame *out;

  (void) state;
  tiny_probe_send_tcp (c.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_world_run (c.tw, 10 * SIM_MS);
  out = tiny_probe_frame (c.vpc, 0);
  /* Five segments out and five replies in, all at once: each direction
   * takes 5 ms, not 10. */
  send_burst (&c, 20 * SIM_MS, 0, 5, 40000);
  for (unsigned i = 0; i < 5; i++)
    tiny_probe_send_tcp (c.vpc, 20 * SIM_MS, DB, 5432, out->f.src,
                         out->f.sport, SIM_TCP_ACK, 64, PAYLOAD_1000, 1);
  tiny_world_run (c.tw, SIM_S);
  assert_int_equal (tiny_probe_count (c.vpc), 6);
  assert_int_equal (tiny_probe_count (c.inst), 5);
  assert_int_equal (tiny_probe_frame (c.vpc, 5)->at,
                    20 * SIM_MS + 2 * TW_LINK_DELAY + 5 * SIM_MS);
  assert_int_equal (tiny_probe_frame (c.inst, 4)->at,
                    20 * SIM_MS + 2 * TW_LINK_DELAY + 5 * SIM_MS);
  tiny_world_free (c.tw);
}

static void
test_connector__a_full_queue_drops_with_a_cause (void **state)
{
  ConnWorld c = slow_world (1, 1, 60 * SIM_S);
  const SimExplainStep *s;

  (void) state;
  send_burst (&c, 0, 0, CLOUDRUN_CONNECTOR_QUEUE_PACKETS + 3, 40000);
  tiny_world_run (c.tw, 2 * SIM_S);
  assert_int_equal (tiny_probe_count (c.vpc), CLOUDRUN_CONNECTOR_QUEUE_PACKETS);
  assert_int_equal (c.conn->instances[0].dropped, 3);
  /* One step for the request, however many of its frames were lost. */
  assert_int_equal (tiny_count_steps (c.tw, 1, "DROP", "connector-conn"), 1);
  s = tiny_step (c.tw, 1, "DROP", "connector-conn");
  assert_string_equal (s->cause, "VPC_CONNECTOR_QUEUE_FULL");
  assert_non_null (strstr (s->rule, "queue into the VPC is full"));
  /* TCP may still recover: the drop decides nothing. */
  assert_int_equal (tiny_request (c.tw, 1)->outcome, CLOUDRUN_VERDICT_PENDING);
  tiny_world_free (c.tw);
}

static void
test_connector__busy_instances_scale_out_and_never_in (void **state)
{
  ConnWorld c = slow_world (1, 2, SIM_S);
  const TinyFrame *f;

  (void) state;
  /* Twice what one instance sends, for 150 ms. */
  send_burst (&c, 0, SIM_MS / 2, 300, 40000);
  tiny_world_run (c.tw, 99 * SIM_MS);
  assert_int_equal (cloudrun_connector_instances (c.conn), 1);
  tiny_world_run (c.tw, 101 * SIM_MS);
  /* The first window was busy: a second instance starts, serving 1 s on. */
  assert_int_equal (cloudrun_connector_instances (c.conn), 2);
  assert_true (c.conn->instances[1].ready_at > SIM_S);
  assert_true (c.conn->instances[1].ready_at < SIM_S + 101 * SIM_MS);
  /* Before it serves, a new flow still goes to the first. */
  tiny_probe_send_tcp (c.inst, 500 * SIM_MS, INST, 40001, DB, 5432,
                       SIM_TCP_SYN, 64, 0, 2);
  /* Once it serves, new flows go round both; the busy flow stays. */
  tiny_probe_send_tcp (c.inst, 2 * SIM_S, INST, 40002, DB, 5432, SIM_TCP_SYN,
                       64, 0, 3);
  tiny_probe_send_tcp (c.inst, 2 * SIM_S + SIM_MS, INST, 40003, DB, 5432,
                       SIM_TCP_SYN, 64, 0, 4);
  send_burst (&c, 3 * SIM_S, SIM_MS / 2, 300, 40000);
  tiny_world_run (c.tw, 60 * SIM_S);
  for (guint i = 0; i < tiny_probe_count (c.vpc); i++)
    {
      f = tiny_probe_frame (c.vpc, i);
      if (f->f.sport == 0)
        continue;
      if (f->request_id == 2)
        assert_int_equal (f->f.src, BLOCK + 2);
      else if (f->request_id == 3 || f->request_id == 4)
        assert_true (f->f.src == BLOCK + 2 || f->f.src == BLOCK + 3);
      else
        assert_int_equal (f->f.src, BLOCK + 2);
    }
  assert_int_not_equal (tiny_step (c.tw, 3, "ARRIVE_AT_VPC_CONNECTOR",
                                   NULL)->src_after,
                        tiny_step (c.tw, 4, "ARRIVE_AT_VPC_CONNECTOR",
                                   NULL)->src_after);
  /* Still busy, but max-instances is 2; idle for a minute, none leaves. */
  assert_int_equal (cloudrun_connector_instances (c.conn), 2);
  tiny_world_free (c.tw);
}

/* A run that ends with frames still queued frees them (the packet pool
 * asserts at free that none is left in use). */
static void
test_connector__queued_frames_are_freed_at_the_end (void **state)
{
  ConnWorld c = slow_world (1, 1, SIM_S);

  (void) state;
  send_burst (&c, 0, 0, 50, 40000);
  tiny_world_run (c.tw, 5 * SIM_MS);
  assert_true (c.conn->instances[0].queued[CONNECTOR_TO_VPC] > 40);
  tiny_world_free (c.tw);
}

static void
test_connector__light_load_does_not_scale_out (void **state)
{
  ConnWorld c = slow_world (1, 3, SIM_S);

  (void) state;
  /* One frame every 2 ms: half of one instance. */
  send_burst (&c, 0, 2 * SIM_MS, 1000, 40000);
  tiny_world_run (c.tw, 5 * SIM_S);
  assert_int_equal (tiny_probe_count (c.vpc), 1000);
  assert_int_equal (cloudrun_connector_instances (c.conn), 1);
  tiny_world_free (c.tw);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_connector__source_becomes_an_instance_address),
    cmocka_unit_test (test_connector__reply_goes_back_to_the_caller),
    cmocka_unit_test (test_connector__unsolicited_packet_from_the_vpc_is_dropped),
    cmocka_unit_test (test_connector__flows_spread_over_its_instances),
    cmocka_unit_test (test_connector__segments_of_one_flow_keep_its_instance),
    cmocka_unit_test (test_connector__an_instance_sends_at_its_rate_and_queues_the_rest),
    cmocka_unit_test (test_connector__each_direction_has_its_own_queue),
    cmocka_unit_test (test_connector__a_full_queue_drops_with_a_cause),
    cmocka_unit_test (test_connector__busy_instances_scale_out_and_never_in),
    cmocka_unit_test (test_connector__light_load_does_not_scale_out),
    cmocka_unit_test (test_connector__queued_frames_are_freed_at_the_end),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
