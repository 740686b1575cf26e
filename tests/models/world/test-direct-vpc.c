/* Tests for models/world/direct-vpc.c (Direct VPC egress) on a tiny
 * world: probes "inst" (an instance with a subnet address), "noaddr" (an
 * instance that got no address) and "vpc" (the VPC router side).
 * https://cloud.google.com/run/docs/configuring/vpc-direct-vpc
 *
 * Probes: the frames each side received, the DIRECT_VPC_EGRESS_CONNECTION
 * and ABORT steps, the verdict and drop cause. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/direct-vpc.h"
#include "tests/models/world/tiny-world.h"

#define INST TW_IP (10, 0, 0, 18)       /* the instance's subnet address */
#define NOADDR TW_IP (169, 254, 9, 9)   /* an instance with no address */
#define DB TW_IP (10, 1, 0, 9)          /* a VM in the VPC */

typedef struct {
  TinyWorld *tw;
  CloudRunDirectVpc *d;
  TinyProbe *inst, *noaddr, *vpc;
} DirectWorld;

static DirectWorld
direct_world (void)
{
  DirectWorld w = { tiny_world_new (4), NULL, NULL, NULL, NULL };

  w.d = cloudrun_direct_vpc_new (w.tw->world, "front",
                                 tiny_egress_config (w.tw, "front",
                                                     VPC_ACCESS_DIRECT));
  w.inst = tiny_probe_new (w.tw, "inst");
  w.noaddr = tiny_probe_new (w.tw, "noaddr");
  w.vpc = tiny_probe_new (w.tw, "vpc");
  tiny_link (w.tw, w.inst->port,
             cloudrun_direct_vpc_attach (w.d, "inst-0", INST));
  tiny_link (w.tw, w.noaddr->port,
             cloudrun_direct_vpc_attach (w.d, "inst-1", 0));
  tiny_link (w.tw, w.d->vpc, w.vpc->port);
  return w;
}

static void
test_direct_vpc__instance_address_is_the_source (void **state)
{
  DirectWorld w = direct_world ();
  const TinyFrame *out;
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp (w.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.vpc), 1);
  out = tiny_probe_frame (w.vpc, 0);
  /* No SNAT: the VPC sees the instance's own subnet address and port. */
  assert_int_equal (out->f.src, INST);
  assert_int_equal (out->f.sport, 40000);
  assert_int_equal (out->f.dst, DB);
  assert_int_equal (out->f.dport, 5432);
  s = tiny_step (w.tw, 1, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");
  assert_non_null (s);
  assert_int_equal (s->src_before, INST);
  assert_int_equal (s->src_after, 0);
  assert_non_null (strstr (s->note, "no SNAT"));
  tiny_world_free (w.tw);
}

static void
test_direct_vpc__reply_reaches_the_instance (void **state)
{
  DirectWorld w = direct_world ();
  const TinyFrame *back;

  (void) state;
  tiny_probe_send_tcp (w.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_probe_send_tcp (w.vpc, SIM_MS, DB, 5432, INST, 40000,
                       SIM_TCP_SYN | SIM_TCP_ACK, 64, 0, 1);
  tiny_world_run (w.tw, 2 * SIM_MS);
  assert_int_equal (tiny_probe_count (w.inst), 1);
  back = tiny_probe_frame (w.inst, 0);
  assert_int_equal (back->f.src, DB);
  assert_int_equal (back->f.dst, INST);
  assert_int_equal (back->f.dport, 40000);
  assert_int_equal (back->f.tcp.flags, SIM_TCP_SYN | SIM_TCP_ACK);
  /* Nothing went to the other instance. */
  assert_int_equal (tiny_probe_count (w.noaddr), 0);
  tiny_world_free (w.tw);
}

static void
test_direct_vpc__unsolicited_inbound_is_dropped (void **state)
{
  DirectWorld w = direct_world ();
  static const struct {
    const char *label;
    uint16_t sport, dport;
    uint8_t flags;
  } cases[] = {
    { "a SYN to the instance", 5432, 8080, SIM_TCP_SYN },
    { "a segment of no flow", 5432, 40001, SIM_TCP_ACK },
    { "the flow's port, another remote port", 5433, 40000, SIM_TCP_ACK },
  };

  (void) state;
  /* The instance has one flow open: 40000 -> DB:5432. */
  tiny_probe_send_tcp (w.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    tiny_probe_send_tcp (w.vpc, SIM_MS + i * SIM_US, DB, cases[i].sport, INST,
                         cases[i].dport, cases[i].flags, 64, 0, 0);
  tiny_world_run (w.tw, 2 * SIM_MS);
  for (guint i = 0; i < tiny_probe_count (w.inst); i++)
    fail_msg ("the instance received an unsolicited frame from port %u to "
              "port %u", tiny_probe_frame (w.inst, i)->f.sport,
              tiny_probe_frame (w.inst, i)->f.dport);
  tiny_world_free (w.tw);
}

static void
test_direct_vpc__instance_without_address_aborts (void **state)
{
  DirectWorld w = direct_world ();
  CloudRunRequest *r;
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp (w.noaddr, 0, NOADDR, 40000, DB, 5432, SIM_TCP_SYN, 64,
                       0, 2);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.vpc), 0);
  r = tiny_request (w.tw, 2);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DROPPED);
  assert_int_equal (r->drop_cause, CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_DIRECT_VPC);
  s = tiny_step (w.tw, 2, "ABORT", "direct-vpc-front");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "direct-vpc-ip-factor"));
  tiny_world_free (w.tw);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_direct_vpc__instance_address_is_the_source),
    cmocka_unit_test (test_direct_vpc__reply_reaches_the_instance),
    cmocka_unit_test (test_direct_vpc__unsolicited_inbound_is_dropped),
    cmocka_unit_test (test_direct_vpc__instance_without_address_aborts),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
