/* Tests for IPv6 through Direct VPC egress (models/world/direct-vpc.c)
 * and a dual-stack instance's egress routes (models/world/egress.c) on a
 * tiny world: probes "inst" (an instance with an IPv4 and an IPv6
 * address of a dual-stack subnet) and "vpc" (the VPC router side);
 * whole scenarios through the world fixture.
 * https://cloud.google.com/run/docs/configuring/vpc-dual-stack-subnet
 *
 * Probes: the frames each side received, the DIRECT_VPC_EGRESS_CONNECTION
 * and CHOOSE_ADDRESS steps, the routes a host got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/direct-vpc.h"
#include "models/world/service.h"
#include "sim/wire.h"
#include "tests/models/world/tiny-world.h"
#include "tests/models/world/world-fixture.h"

#define INST TW_IP (10, 0, 0, 18)
#define INST6 "fd20:0:0:1::18"          /* of the subnet's /64 */
#define DB6 "fd20:0:0:2::9"             /* a VM of the network */

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

static void
send_now (SimKernel *k, void *target, void *arg, uint64_t u)
{
  (void) k; (void) u;
  sim_port_send (target, arg);
}

/* A TCP segment over IPv6 from probe p at time at, of request 1. */
static void
send_tcp6 (TinyWorld *tw, TinyProbe *p, SimTime at, const char *src,
           uint16_t sport, const char *dst, uint16_t dport, uint8_t flags)
{
  static const uint8_t zero_mac[6];
  SimPacket *packet = sim_packet_new (sim_world_pool (tw->world->sim));
  SimIp6 s = ip6 (src), d = ip6 (dst);
  SimTcpHeader h = { .sport = sport, .dport = dport, .flags = flags,
                     .window = 65535, .seq = 1000 };

  sim_tcp6_push (packet, &s, &d, &h);
  sim_ipv6_push (packet, &s, &d, SIM_IPPROTO_TCP, 64, 0);
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV6);
  packet->request_id = 1;
  sim_kernel_schedule (sim_world_kernel (tw->world->sim), at, send_now,
                       p->port, packet, 0);
}

typedef struct {
  TinyWorld *tw;
  CloudRunDirectVpc *d;
  TinyProbe *inst, *vpc;
} Direct6World;

static Direct6World
direct6_world (void)
{
  Direct6World w = { tiny_world_new (2), NULL, NULL, NULL };
  SimIp6 a = ip6 (INST6);
  SimPort *side;

  w.d = cloudrun_direct_vpc_new (w.tw->world, "front",
                                 tiny_egress_config (w.tw, "front",
                                                     VPC_ACCESS_DIRECT));
  w.inst = tiny_probe_new (w.tw, "inst");
  w.vpc = tiny_probe_new (w.tw, "vpc");
  side = cloudrun_direct_vpc_attach (w.d, "inst-0", INST, NULL);
  cloudrun_direct_vpc_attach6 (w.d, side, &a);
  tiny_link (w.tw, w.inst->port, side);
  tiny_link (w.tw, w.d->vpc, w.vpc->port);
  return w;
}

static void
test_direct_vpc6__ipv6_syn_reaches_the_vpc_with_its_address (void **state)
{
  Direct6World w = direct6_world ();
  const TinyFrame *out;
  const SimExplainStep *s;
  SimIp6 src, dst, want = ip6 (INST6), db = ip6 (DB6);

  (void) state;
  send_tcp6 (w.tw, w.inst, 0, INST6, 40000, DB6, 5432, SIM_TCP_SYN);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.vpc), 1);
  out = tiny_probe_frame (w.vpc, 0);
  assert_non_null (out->f.ip6);
  src = sim_frame_src6 (&out->f);
  dst = sim_frame_dst6 (&out->f);
  assert_true (sim_ipv6_equal (&src, &want));   /* no translation */
  assert_true (sim_ipv6_equal (&dst, &db));
  assert_int_equal (out->f.sport, 40000);
  s = tiny_step (w.tw, 1, "DIRECT_VPC_EGRESS_CONNECTION", "direct-vpc-front");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "all-traffic sends fd20:0:0:2::9 into "
                                    "the VPC"));
  assert_non_null (strstr (s->note, "own IPv6 address"));
  /* The step shows the IPv6 pair. */
  {
    SimExplainLog *log = sim_world_explain (w.tw->world->sim);
    char buf[SIM_IPV6_STRLEN];

    assert_true (s->v6 & SIM_EXPLAIN_V6_SRC_BEFORE);
    assert_string_equal (sim_explain_addr_text (log, s, s->src_before,
                                                SIM_EXPLAIN_V6_SRC_BEFORE,
                                                buf), INST6);
    assert_string_equal (sim_explain_addr_text (log, s, s->dst_before,
                                                SIM_EXPLAIN_V6_DST_BEFORE,
                                                buf), DB6);
  }
  tiny_world_free (w.tw);
}

static void
test_direct_vpc6__only_replies_come_back (void **state)
{
  Direct6World w = direct6_world ();
  const TinyFrame *back;

  (void) state;
  send_tcp6 (w.tw, w.inst, 0, INST6, 40000, DB6, 5432, SIM_TCP_SYN);
  /* The reply, then a SYN of the VPC's own and a segment of no flow. */
  send_tcp6 (w.tw, w.vpc, SIM_MS, DB6, 5432, INST6, 40000,
             SIM_TCP_SYN | SIM_TCP_ACK);
  send_tcp6 (w.tw, w.vpc, 2 * SIM_MS, DB6, 5432, INST6, 8080, SIM_TCP_SYN);
  send_tcp6 (w.tw, w.vpc, 3 * SIM_MS, DB6, 5433, INST6, 40000, SIM_TCP_ACK);
  /* An IPv6 source the instance was not given goes nowhere. */
  send_tcp6 (w.tw, w.inst, 4 * SIM_MS, "fd20:0:0:1::99", 40001, DB6, 5432,
             SIM_TCP_SYN);
  tiny_world_run (w.tw, 10 * SIM_MS);
  assert_int_equal (tiny_probe_count (w.inst), 1);
  back = tiny_probe_frame (w.inst, 0);
  assert_non_null (back->f.ip6);
  assert_int_equal (back->f.dport, 40000);
  assert_int_equal (back->f.tcp.flags, SIM_TCP_SYN | SIM_TCP_ACK);
  assert_int_equal (tiny_probe_count (w.vpc), 1);
  tiny_world_free (w.tw);
}

/* The port host's route for dst takes. */
static SimPort *
route6_for (SimHost *host, const char *dst)
{
  SimIp6 a = ip6 (dst);

  return sim_host_route6 (host, &a);
}

static void
test_direct_vpc6__instance_routes_follow_the_egress_setting (void **state)
{
  TinyWorld *tw = tiny_world_new (1);
  CloudRunRevisionEgress *cfg = tiny_egress_config (tw, "front",
                                                    VPC_ACCESS_DIRECT);
  TinyProbe *node = tiny_probe_new (tw, "inst");
  SimPort *egress = sim_node_add_port (&node->node, "egress");
  SimPort *vpc = sim_node_add_port (&node->node, "vpc");
  SimHost h4, all, pro;
  SimIp6 a = ip6 (INST6);

  (void) state;
  sim_host_init (&h4, &node->node, INST, node->port);
  sim_host_init (&all, &node->node, INST, node->port);
  sim_host_init (&pro, &node->node, INST, node->port);
  sim_host_add_address6 (&all, &a);
  sim_host_add_address6 (&pro, &a);
  /* IPv4 only: no IPv6 route at all. */
  cloudrun_egress_configure (&h4, cfg, egress, vpc);
  assert_null (h4.routes6);
  /* all-traffic: every IPv6 destination into the VPC. */
  cloudrun_egress_configure (&all, cfg, egress, vpc);
  assert_ptr_equal (route6_for (&all, "2600:1901::1"), vpc);
  assert_ptr_equal (route6_for (&all, DB6), vpc);
  /* private-ranges-only: unique local addresses into the VPC, and no
   * IPv6 route for the rest (the internet egress carries IPv4 only). */
  cfg->egress = VPC_EGRESS_PRIVATE_RANGES_ONLY;
  cloudrun_egress_configure (&pro, cfg, egress, vpc);
  assert_ptr_equal (route6_for (&pro, DB6), vpc);
  assert_ptr_equal (route6_for (&pro, "fc00::1"), vpc);
  {
    SimIp6 global = ip6 ("2600:1901::1");

    assert_null (sim_host_route6_taken (&pro, &global));
  }
  sim_host_clear (&h4);
  sim_host_clear (&all);
  sim_host_clear (&pro);
  tiny_world_free (tw);
}

/* A Direct VPC caller (all-traffic, PGA) on a dual-stack subnet, and an
 * internal backend; access: the subnet's ipv6-access-type. */
#define DUAL_SCENARIO(ACCESS) WF_HEAD \
  "[project shop]\n\n[network default]\ninternal-ipv6-range = auto\n\n" \
  "[subnet run]\nnetwork = default\nregion = europe-west1\n" \
  "range = 10.0.0.0/24\nprivate-google-access = true\n" \
  "stack-type = ipv4-ipv6\nipv6-access-type = " ACCESS "\n\n" \
  "[service backend]\nregion = europe-west1\ningress = internal\n" \
  "min-instances = 1\n\n" \
  "[service caller]\nregion = europe-west1\nvpc-access = direct\n" \
  "subnet = run\nvpc-egress = all-traffic\nmin-instances = 1\n\n" \
  "[traffic call]\nfrom = caller\nurl = service:backend\n"

/* The caller's first instance's stack. */
static const SimHost *
caller_host (WorldFixture *wf)
{
  CloudRunServiceNode *svc = world_fixture_service (wf, "caller");
  const CloudRunInstance *inst = g_ptr_array_index (svc->instances, 0);

  return &inst->host;
}

static void
test_direct_vpc6__dual_stack_instance_gets_an_ipv6_address (void **state)
{
  static const char *const allowed[] = {
    "assumptions.run-external-ipv6=allowed", NULL };
  g_autoptr (WorldFixture) internal = world_fixture_new (
    DUAL_SCENARIO ("internal"), NULL);
  g_autoptr (WorldFixture) refused = world_fixture_new (
    DUAL_SCENARIO ("external"), NULL);
  g_autoptr (WorldFixture) external = world_fixture_new (
    DUAL_SCENARIO ("external"), allowed);
  const SimHost *h = caller_host (internal);
  CloudRunRequest *r = world_fixture_request (internal, "call", 0);
  char text[SIM_IPV6_STRLEN];
  const SimExplainStep *s;

  (void) state;
  /* The subnet's /64, the /96 ffff:ffff, the IPv4 address below. */
  assert_int_equal (h->n_addrs6, 1);
  sim_ipv6_to_string (&h->addrs6[0], text);
  assert_non_null (strstr (text, ":ffff:ffff:a00:"));
  assert_int_equal (h->addrs6[0].b[0], 0xfd);
  assert_int_equal (h->addrs6[0].b[15], h->addrs[1] & 0xff);
  /* It asks AAAA and orders: IPv4 first for the GFE's global IPv6
   * addresses (rule 5), so the request goes as it always did. */
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  s = world_fixture_step (internal, r, "CHOOSE_ADDRESS", NULL);
  assert_non_null (s);
  assert_non_null (strstr (s->note, "rule 5"));
  /* External IPv6: refused by default (IPv4 only), used when allowed. */
  assert_int_equal (caller_host (refused)->n_addrs6, 0);
  assert_null (world_fixture_step (refused,
                                   world_fixture_request (refused, "call", 0),
                                   "CHOOSE_ADDRESS", NULL));
  assert_int_equal (caller_host (external)->n_addrs6, 1);
}

/* private-ranges-only: no IPv6 route to the GFE's global addresses, so
 * they are unusable (RFC 6724 rule 1); happy eyeballs, which goes on the
 * AAAA answer, finds none it can try and connects on the A answer. */
static void
test_direct_vpc6__no_ipv6_route_outside_private_ranges (void **state)
{
  static const char *const set[] = {
    "service caller.vpc-egress=private-ranges-only",
    "traffic call.address-selection=happy-eyeballs", NULL };
  g_autoptr (WorldFixture) wf = world_fixture_new (
    DUAL_SCENARIO ("internal"), set);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "CHOOSE_ADDRESS",
                                                NULL);

  (void) state;
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DENIED_BY_INGRESS);
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "unusable (no route: network "
                                    "unreachable)"));
  assert_non_null (strstr (s->rule, "the A answer came later"));
  assert_non_null (strstr (s->rule, "216.239.32.53 connected"));
}

static void
test_direct_vpc6__address_selection_reaches_the_caller (void **state)
{
  static const char *const happy[] = {
    "traffic call.address-selection=happy-eyeballs", NULL };
  g_autoptr (WorldFixture) wf = world_fixture_new (
    DUAL_SCENARIO ("internal"), happy);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "CHOOSE_ADDRESS",
                                                NULL);

  (void) state;
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_non_null (s);
  assert_true (g_str_has_prefix (s->rule, "happy-eyeballs (RFC 8305)"));
}

/* A dual-stack Direct VPC service calls a dual-stack VM by a name with A
 * and AAAA records; ingress allowed for IPv4, and for IPv6 unless
 * FORGET (then only the IPv4 rule: the firewall forgets IPv6). */
#define VM_SCENARIO(V6RULE) WF_HEAD \
  "[project shop]\n\n[network default]\n" \
  "internal-ipv6-range = fd20:0:1::/48\n\n" \
  "[subnet run]\nnetwork = default\nregion = europe-west1\n" \
  "range = 10.0.0.0/24\nstack-type = ipv4-ipv6\n" \
  "ipv6-access-type = internal\n\n" \
  "[vm db]\nsubnet = run\naddress = 10.0.0.5\n\n" \
  "[firewall allow-v4]\nnetwork = default\ndirection = ingress\n" \
  "action = allow\nranges = 10.0.0.0/8\nprotocols = tcp:80\n\n" \
  V6RULE \
  "[dns-zone internal]\ndns-name = internal.example.\n" \
  "networks = default\nrecords = db.internal.example. A 10.0.0.5;" \
  "db.internal.example. AAAA fd20:0:1:0:0:1::\n\n" \
  "[service caller]\nregion = europe-west1\nvpc-access = direct\n" \
  "subnet = run\nvpc-egress = all-traffic\nmin-instances = 1\n\n" \
  "[traffic call]\nfrom = caller\nurl = http://db.internal.example/\n"
#define V6_ALLOWED \
  "[firewall allow-v6]\nnetwork = default\ndirection = ingress\n" \
  "action = allow\nranges = fd20::/20\nprotocols = tcp:80\n\n"

static void
test_direct_vpc6__service_reaches_a_vm_over_ipv6 (void **state)
{
  static const char *const happy[] = {
    "traffic call.address-selection=happy-eyeballs", NULL };
  g_autoptr (WorldFixture) both = world_fixture_new (VM_SCENARIO (V6_ALLOWED),
                                                     NULL);
  g_autoptr (WorldFixture) forgot = world_fixture_new (VM_SCENARIO (""),
                                                       NULL);
  g_autoptr (WorldFixture) raced = world_fixture_new (VM_SCENARIO (""),
                                                      happy);
  CloudRunRequest *r = world_fixture_request (both, "call", 0);
  const SimExplainStep *s;

  (void) state;
  /* glibc's table: the VM's unique local address before its IPv4 one,
   * through Direct VPC and the router's IPv6 path, allowed by allow-v6. */
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  s = world_fixture_step (both, r, "CHOOSE_ADDRESS", NULL);
  assert_non_null (strstr (s->rule, "fd20:0:1::1:0:0, 10.0.0.5; "
                                    "fd20:0:1::1:0:0 connected"));
  s = world_fixture_step (both, r, "APPLY_INGRESS_FIREWALL_RULE", NULL);
  assert_non_null (strstr (s->rule, "allow-v6"));
  /* Two questions, two answers in the explanation: A, then AAAA. */
  assert_int_equal (world_fixture_count_steps (both, r, "DNS_ANSWER", NULL),
                    2);
  {
    g_autofree char *text = world_fixture_steps_text (both, r);
    assert_non_null (strstr (text, "db.internal.example -> 10.0.0.5"));
    assert_non_null (strstr (text, "db.internal.example AAAA -> "
                                   "fd20:0:1::1:0:0"));
  }
  /* The firewall forgets IPv6: the SYN is dropped without a word, and
   * getaddrinfo waits on it until the request's timeout. */
  r = world_fixture_request (forgot, "call", 0);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DROPPED);
  /* Happy Eyeballs: IPv4 250 ms later carries the request. */
  r = world_fixture_request (raced, "call", 0);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (world_fixture_latency (r) >= 250 * SIM_MS);
  s = world_fixture_step (raced, r, "CHOOSE_ADDRESS", NULL);
  assert_non_null (strstr (s->rule, "10.0.0.5 connected, the other "
                                    "attempts are reset"));
  /* Each attempt's decisions are steps of their own: the IPv6 one's
   * implied deny, then the IPv4 one's allow. */
  assert_int_equal (world_fixture_count_steps (raced, r,
                                               "APPLY_INGRESS_FIREWALL_RULE",
                                               NULL), 2);
}

/* RFC 8305 caps the attempts at no number: with five silent addresses
 * before the one that answers, the sixth attempt starts 1.25 s in. */
static void
test_direct_vpc6__happy_eyeballs_tries_every_address (void **state)
{
  static const char *const many[] = {
    "traffic call.address-selection=happy-eyeballs",
    "traffic call.timeout=5s",
    "dns-zone internal.records=db.internal.example. A 10.0.0.50;"
    "db.internal.example. A 10.0.0.51;db.internal.example. A 10.0.0.5;"
    "db.internal.example. AAAA fd20:0:1::50;"
    "db.internal.example. AAAA fd20:0:1::51;"
    "db.internal.example. AAAA fd20:0:1::52", NULL };
  g_autoptr (WorldFixture) wf = world_fixture_new (VM_SCENARIO (""), many);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  (void) state;
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (world_fixture_latency (r) >= 1250 * SIM_MS);
  assert_true (world_fixture_latency (r) < 1300 * SIM_MS);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (
      test_direct_vpc6__ipv6_syn_reaches_the_vpc_with_its_address),
    cmocka_unit_test (test_direct_vpc6__only_replies_come_back),
    cmocka_unit_test (
      test_direct_vpc6__instance_routes_follow_the_egress_setting),
    cmocka_unit_test (
      test_direct_vpc6__dual_stack_instance_gets_an_ipv6_address),
    cmocka_unit_test (test_direct_vpc6__no_ipv6_route_outside_private_ranges),
    cmocka_unit_test (test_direct_vpc6__address_selection_reaches_the_caller),
    cmocka_unit_test (test_direct_vpc6__service_reaches_a_vm_over_ipv6),
    cmocka_unit_test (test_direct_vpc6__happy_eyeballs_tries_every_address),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
