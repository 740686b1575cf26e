/* Tests for models/world/connector.c (Serverless VPC Access connector) on a
 * tiny world: a probe "inst" stands for a Cloud Run instance on the
 * connector's serverless side, a probe "vpc" for the VPC router.
 * https://cloud.google.com/vpc/docs/serverless-vpc-access
 *
 * Probes: the frames each side received (addresses, ports), the
 * connector's ARRIVE_AT_VPC_CONNECTOR step. */
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

static ConnWorld
conn_world (unsigned instances)
{
  ConnWorld c = { tiny_world_new (4), NULL, NULL, NULL };
  VpcConnectorConfig cfg = tiny_connector_config ("conn", BLOCK, instances);

  c.conn = cloudrun_connector_new (c.tw->world, &cfg);
  c.inst = tiny_probe_new (c.tw, "inst");
  c.vpc = tiny_probe_new (c.tw, "vpc");
  tiny_link (c.tw, c.inst->port,
             cloudrun_connector_attach (c.conn, "inst-0",
                                        tiny_egress_config (
                                          c.tw, "front",
                                          VPC_ACCESS_CONNECTOR)));
  tiny_link (c.tw, c.conn->vpc, c.vpc->port);
  return c;
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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_connector__source_becomes_an_instance_address),
    cmocka_unit_test (test_connector__reply_goes_back_to_the_caller),
    cmocka_unit_test (test_connector__unsolicited_packet_from_the_vpc_is_dropped),
    cmocka_unit_test (test_connector__flows_spread_over_its_instances),
    cmocka_unit_test (test_connector__segments_of_one_flow_keep_its_instance),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
