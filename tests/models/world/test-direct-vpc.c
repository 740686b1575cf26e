/* Tests for models/world/direct-vpc.c (Direct VPC egress) on a tiny
 * world: probes "inst" (an instance with a subnet address), "noaddr" (an
 * instance that got no address) and "vpc" (the VPC router side).
 * https://cloud.google.com/run/docs/configuring/vpc-direct-vpc
 *
 * Probes: the frames each side received, the DIRECT_VPC_EGRESS_CONNECTION
 * and ABORT steps, the verdict and drop cause.
 *
 * The start-up tests at the end: a cold instance's packets wait for
 * [assumptions] direct-vpc-start-delay, on the tiny world and through a
 * whole scenario (a warm caller does not wait). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/direct-vpc.h"
#include "tests/models/world/tiny-world.h"
#include "tests/models/world/world-fixture.h"

#define INST TW_IP (10, 0, 0, 18)       /* the instance's subnet address */
#define NOADDR TW_IP (169, 254, 9, 9)   /* an instance with no address */
#define DB TW_IP (10, 1, 0, 9)          /* a VM in the VPC */

typedef struct {
  TinyWorld *tw;
  CloudRunDirectVpc *d;
  TinyProbe *inst, *noaddr, *vpc;
  SimPort *inst_side;           /* the node's port towards inst */
} DirectWorld;

static DirectWorld
direct_world (void)
{
  DirectWorld w = { tiny_world_new (4), NULL, NULL, NULL, NULL, NULL };

  w.d = cloudrun_direct_vpc_new (w.tw->world, "front",
                                 tiny_egress_config (w.tw, "front",
                                                     VPC_ACCESS_DIRECT));
  w.inst = tiny_probe_new (w.tw, "inst");
  w.noaddr = tiny_probe_new (w.tw, "noaddr");
  w.vpc = tiny_probe_new (w.tw, "vpc");
  w.inst_side = cloudrun_direct_vpc_attach (w.d, "inst-0", INST, NULL);
  tiny_link (w.tw, w.inst->port, w.inst_side);
  tiny_link (w.tw, w.noaddr->port,
             cloudrun_direct_vpc_attach (w.d, "inst-1", 0, NULL));
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

static void
test_direct_vpc__cold_instance_waits_for_its_way_in (void **state)
{
  DirectWorld w = direct_world ();
  const SimExplainStep *s;

  (void) state;
  w.d->start_delay = 5 * SIM_S;
  cloudrun_direct_vpc_cold_start (w.d, w.inst_side, 0);
  /* A SYN, its retransmission, another connection's SYN: all before the
   * way is up; then one after. */
  tiny_probe_send_tcp (w.inst, 0, INST, 40000, DB, 5432, SIM_TCP_SYN, 64, 0,
                       1);
  tiny_probe_send_tcp (w.inst, SIM_S, INST, 40000, DB, 5432, SIM_TCP_SYN, 64,
                       0, 1);
  tiny_probe_send_tcp (w.inst, 2 * SIM_S, INST, 40001, DB, 5432, SIM_TCP_SYN,
                       64, 0, 2);
  tiny_probe_send_tcp (w.inst, 6 * SIM_S, INST, 40002, DB, 5432, SIM_TCP_SYN,
                       64, 0, 3);
  tiny_world_run (w.tw, 10 * SIM_S);
  assert_int_equal (tiny_probe_count (w.vpc), 3);
  /* Held until 5 s, in order; the retransmission was a duplicate. */
  assert_int_equal (tiny_probe_frame (w.vpc, 0)->f.sport, 40000);
  assert_true (tiny_probe_frame (w.vpc, 0)->at >= 5 * SIM_S);
  assert_int_equal (tiny_probe_frame (w.vpc, 1)->f.sport, 40001);
  assert_true (tiny_probe_frame (w.vpc, 1)->at >= 5 * SIM_S);
  assert_int_equal (w.d->held_duplicates, 1);
  /* Once up, nothing waits. */
  assert_int_equal (tiny_probe_frame (w.vpc, 2)->f.sport, 40002);
  assert_true (tiny_probe_frame (w.vpc, 2)->at < 6 * SIM_S + SIM_MS);
  s = tiny_step (w.tw, 1, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");
  assert_non_null (s);
  assert_non_null (strstr (s->note, "direct-vpc-start-delay"));
  assert_non_null (strstr (s->note, "waited 5s"));
  s = tiny_step (w.tw, 3, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");
  assert_null (strstr (s->note, "waited"));
  /* The wait itself is a step of its own, so that a caller that gives up
   * meanwhile has its explanation. */
  s = tiny_step (w.tw, 1, "DIRECT_VPC_STARTING", "direct-vpc-front");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "direct-vpc-start-delay = 5s"));
  assert_null (tiny_step (w.tw, 3, "DIRECT_VPC_STARTING", NULL));
  tiny_world_free (w.tw);
}

/* A Direct VPC caller (all-traffic, PGA) and a warm internal backend. */
#define START_SCENARIO WF_HEAD \
  "[assumptions]\ndirect-vpc-start-delay = 4s\n\n" \
  "[project shop]\n\n[network default]\n\n" \
  "[subnet run]\nnetwork = default\nregion = europe-west1\n" \
  "range = 10.0.0.0/24\nprivate-google-access = true\n\n" \
  "[service backend]\nregion = europe-west1\ningress = internal\n" \
  "min-instances = 1\n\n" \
  "[service caller]\nregion = europe-west1\nvpc-access = direct\n" \
  "subnet = run\nvpc-egress = all-traffic\n"

#define START_TRAFFIC \
  "\n[traffic call]\nfrom = caller\nurl = service:backend\n" \
  "[traffic later]\nfrom = caller\nurl = service:backend\nstart = 8s\n"

static void
test_direct_vpc__cold_caller_pays_the_start_delay (void **state)
{
  g_autoptr (WorldFixture) cold = world_fixture_new (
    START_SCENARIO START_TRAFFIC, NULL);
  g_autoptr (WorldFixture) warm = world_fixture_new (
    START_SCENARIO "min-instances = 1\n" START_TRAFFIC, NULL);
  CloudRunRequest *first = world_fixture_request (cold, "call", 0);
  CloudRunRequest *later = world_fixture_request (cold, "later", 0);
  CloudRunRequest *w = world_fixture_request (warm, "call", 0);

  (void) state;
  assert_int_equal (first->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (world_fixture_latency (first) >= 4 * SIM_S);
  assert_true (world_fixture_latency (first) < 4 * SIM_S + 100 * SIM_MS);
  /* Its SYN went again at 1 s and 3 s (the caller counts them). */
  assert_int_equal (first->retransmits, 2);
  /* Its later connections, and a caller warm before the run, do not. */
  assert_int_equal (later->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (world_fixture_latency (later) < 100 * SIM_MS);
  assert_int_equal (later->retransmits, 0);
  assert_int_equal (w->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (world_fixture_latency (w) < 100 * SIM_MS);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_direct_vpc__instance_address_is_the_source),
    cmocka_unit_test (test_direct_vpc__reply_reaches_the_instance),
    cmocka_unit_test (test_direct_vpc__unsolicited_inbound_is_dropped),
    cmocka_unit_test (test_direct_vpc__instance_without_address_aborts),
    cmocka_unit_test (test_direct_vpc__cold_instance_waits_for_its_way_in),
    cmocka_unit_test (test_direct_vpc__cold_caller_pays_the_start_delay),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
