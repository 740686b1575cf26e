/* Tests for the VPC router's IPv6 path (models/world/vpc-router6.c) on a
 * tiny world: a router with a dual-stack subnet of internal IPv6
 * (fd20:0:1::/64, VMs app and db) and one of external IPv6
 * (2600:1900:4000::/64, VM ext), probes on the VMs' ports, on the fabric
 * to the GFE and on the internet port.
 *
 * IPv6 between two VMs is delivered when an ingress rule of IPv6 ranges
 * admits it, and not by a rule of IPv4 ranges (a rule holds one family:
 * the firewall that allows IPv4 and forgets IPv6); Private Google Access
 * over IPv6 to private.googleapis.com's 2600:2d00:2:2000:: crosses the
 * fabric in a Geneve envelope (read here byte by byte: outer IPv4, UDP
 * 6081, protocol 0x6558, the inner Ethernet type 0x86dd, the entropy of
 * the IPv6 source) and is refused without PGA; an internal (ULA) source
 * has no way to a public non-Google IPv6 address (no NAT66) while an
 * external one leaves as it is; a ULA destination beyond the network is
 * private traffic; no ::/0 is NO_ROUTE, a blackhole IPv6 route drops;
 * between two regions' /64s a packet takes the regions' one-way time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/google.h"
#include "models/world/region-latency.h"
#include "models/world/vpc-router.h"
#include "sim/geneve.h"
#include "tests/models/world/tiny-world.h"

#define PROJECT 123456789012u

/* The VMs' IPv6 addresses, the first of their /96s. */
static const SimIp6 app6 = { { 0xfd, 0x20, 0, 0, 0, 1, [11] = 1 } };
static const SimIp6 db6 = { { 0xfd, 0x20, 0, 0, 0, 1, [11] = 2 } };
static const SimIp6 ext6 = { { 0x26, 0, 0x19, 0, 0x40, 0, [11] = 1 } };
static const SimIp6 internal64 = { { 0xfd, 0x20, 0, 0, 0, 1 } };
static const SimIp6 external64 = { { 0x26, 0, 0x19, 0, 0x40, 0 } };
/* A public address that is not Google's. */
static const SimIp6 public6 = { { 0x26, 0x06, 0x47, 0x00, [15] = 0x11 } };

/* A raw node: keeps every frame as it arrived, envelope and all. */
typedef struct {
  SimNode node;
  SimPort *port;
  GPtrArray *frames;            /* GBytes* */
} RawProbe;

static void
raw_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  RawProbe *p = (RawProbe *) self;

  (void) port;
  g_ptr_array_add (p->frames, g_bytes_new (packet->data, packet->len));
  sim_packet_release (sim_world_pool (self->world), packet);
}

static void
raw_clear (SimNode *self)
{
  g_ptr_array_unref (((RawProbe *) self)->frames);
}

static const SimNodeClass raw_class = {
  .name = "raw-probe", .size = sizeof (RawProbe),
  .receive = raw_receive, .clear = raw_clear,
};

typedef struct {
  TinyWorld *tw;
  CloudRunVpcRouter *router;
  TinyProbe *app, *db, *ext, *internet;
  RawProbe *google;
} World6;

/* A firewall rule over one IPv6 range (range: its storage, alive until
 * the router is made), all protocols. */
static void
firewall6 (TinyRouterConfig *rc, const char *name,
           VpcFirewallDirection direction, VpcFirewallAction action,
           VpcCidr6 *range, uint32_t priority)
{
  static const VpcProtocolMatch all = { 0, 0, 65535 };
  VpcFirewallRule rule = {
    .name = name, .direction = direction, .action = action,
    .ranges6 = range, .n_ranges6 = 1, .protocols = &all, .n_protocols = 1,
    .priority = priority,
  };

  g_array_append_val (rc->firewalls, rule);
  rc->config.firewalls = (const VpcFirewallRule *) (void *)
                         rc->firewalls->data;
  rc->config.n_firewalls = rc->firewalls->len;
}

/* A VM at addr6 and addr (its IPv4 address). */
static TinyProbe *
vm (World6 *w, const char *name, const char *subnet, bool pga,
    const SimIp6 *addr6, uint32_t addr)
{
  CloudRunVpcSource src = { .kind = CLOUDRUN_VPC_SOURCE_VM, .label = name,
                            .subnet = subnet, .subnet_pga = pga };
  SimPort *port = cloudrun_vpc_router_attach (w->router, name, &src);
  TinyProbe *p = tiny_probe_new (w->tw, name);

  cloudrun_vpc_router_deliver (w->router, port, addr, 32, name);
  cloudrun_vpc_router_deliver6 (w->router, port, addr6, 128, name);
  tiny_link (w->tw, p->port, port);
  return p;
}

/* The router of rc with the two dual-stack subnets (Private Google
 * Access as pga), routes (extra IPv6 routes of rc kept), its VMs and
 * probes. */
static World6
world6 (TinyWorld *tw, TinyRouterConfig *rc, bool pga)
{
  VpcSubnetConfig subnets[2];
  World6 w = { .tw = tw };

  subnets[0] = (VpcSubnetConfig) {
    .name = "vms", .range = { TW_IP (10, 1, 0, 0), 24 },
    .stack = VPC_STACK_IPV4_IPV6, .ipv6_access = VPC_IPV6_ACCESS_INTERNAL,
    .ipv6_range = { internal64, 64 } };
  subnets[1] = (VpcSubnetConfig) {
    .name = "pub", .range = { TW_IP (10, 2, 0, 0), 24 },
    .stack = VPC_STACK_IPV4_IPV6, .ipv6_access = VPC_IPV6_ACCESS_EXTERNAL,
    .ipv6_range = { external64, 64 } };
  rc->config.subnets = subnets;
  rc->config.n_subnets = 2;
  rc->config.internal_ipv6_range = (VpcCidr6) { internal64, 48 };
  w.router = cloudrun_vpc_router_new (tw->world, &rc->config);
  rc->config.subnets = NULL;     /* copied: the array dies here */
  rc->config.n_subnets = 0;
  w.app = vm (&w, "vm app", "vms", pga, &app6, TW_IP (10, 1, 0, 2));
  w.db = vm (&w, "vm db", "vms", pga, &db6, TW_IP (10, 1, 0, 3));
  w.ext = vm (&w, "vm ext", "pub", false, &ext6, TW_IP (10, 2, 0, 2));
  w.google = (RawProbe *) sim_node_new (tw->world->sim, &raw_class, "gfe");
  w.google->port = sim_node_add_port (&w.google->node, "fabric");
  w.google->frames = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_bytes_unref);
  tiny_link (tw, w.google->port, cloudrun_vpc_router_google_port (w.router));
  w.internet = tiny_probe_new (tw, "internet");
  tiny_link (tw, w.internet->port,
             cloudrun_vpc_router_internet_port (w.router));
  return w;
}

/* An IPv6 TCP segment with flags from src to dst:dport. */
static void
send_tcp6 (TinyProbe *p, SimTime at, const SimIp6 *src, uint16_t sport,
           const SimIp6 *dst, uint16_t dport, uint8_t flags, uint32_t id)
{
  tiny_probe_send_tcp6 (p, at, src, sport, dst, dport, flags, 64, id);
}

static void
assert_drop (TinyWorld *tw, uint32_t id, CloudRunDropCause cause,
             const char *words)
{
  const SimExplainStep *s = tiny_step (tw, id, "DROP", "vpc-net");

  assert_int_equal (tiny_request (tw, id)->drop_cause, cause);
  assert_non_null (s);
  if (strstr (s->rule, words) == NULL)
    fail_msg ("drop rule '%s' lacks '%s'", s->rule, words);
}

static void
test_vpc_router6__vm_to_vm_delivered (void **state)
{
  VpcCidr6 ula = { { { 0xfd, 0x20 } }, 20 };
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  TinyRouterConfig *rc = tiny_router_config (tw, "net", PROJECT);
  World6 w;
  const TinyFrame *f;
  SimIp6 got;

  (void) state;
  firewall6 (rc, "allow-ula", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, &ula,
             1000);
  w = world6 (tw, rc, false);
  send_tcp6 (w.app, 0, &app6, 40000, &db6, 80, SIM_TCP_SYN, 1);
  /* The rule of IPv6 ranges does nothing to IPv4. */
  tiny_probe_send_tcp (w.app, 0, TW_IP (10, 1, 0, 2), 40001,
                       TW_IP (10, 1, 0, 3), 80, SIM_TCP_SYN, 64, 0, 2);
  tiny_world_run (tw, SIM_MS);
  assert_drop (tw, 2, CLOUDRUN_DROP_FIREWALL_RULE,
               "implied deny ingress rule");
  assert_int_equal (tiny_probe_count (w.db), 1);
  f = tiny_probe_frame (w.db, 0);
  assert_non_null (f->f.ip6);
  got = sim_frame_src6 (&f->f);
  assert_true (sim_ipv6_equal (&got, &app6));
  assert_int_equal (f->f.ttl, 63);
  assert_true (sim_frame_checksums_ok (&f->f));
  assert_non_null (strstr (tiny_step (tw, 1, "APPLY_INGRESS_FIREWALL_RULE",
                                      "vpc-net")->rule, "allow-ula"));
  assert_non_null (strstr (tiny_step (tw, 1, "APPLY_ROUTE", "vpc-net")->rule,
                           "subnet route: vm db"));
  /* The step holds the packet's IPv6 addresses (sim/explain.h). */
  {
    const SimExplainStep *route = tiny_step (tw, 1, "APPLY_ROUTE", "vpc-net");
    SimExplainLog *log = sim_world_explain (tw->world->sim);

    assert_int_equal (route->v6, SIM_EXPLAIN_V6_SRC_BEFORE
                                 | SIM_EXPLAIN_V6_DST_BEFORE);
    assert_true (sim_ipv6_equal (sim_explain_addr6 (log, route->src_before),
                                 &app6));
    assert_true (sim_ipv6_equal (sim_explain_addr6 (log, route->dst_before),
                                 &db6));
  }
}

/* The lesson: an ingress rule of IPv4 ranges (0.0.0.0/0 here) admits
 * IPv4 and not IPv6; the implied deny stops the IPv6 SYN. */
static void
test_vpc_router6__ipv4_rule_does_not_admit_ipv6 (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  TinyRouterConfig *rc = tiny_router_config (tw, "net", PROJECT);
  World6 w;

  (void) state;
  tiny_router_firewall (tw, rc, "allow-all-v4", VPC_FIREWALL_INGRESS,
                        VPC_FIREWALL_ALLOW, 0, 0, 1000);
  w = world6 (tw, rc, false);
  tiny_probe_send_tcp (w.app, 0, TW_IP (10, 1, 0, 2), 40000,
                       TW_IP (10, 1, 0, 3), 80, SIM_TCP_SYN, 64, 0, 1);
  send_tcp6 (w.app, 0, &app6, 40001, &db6, 80, SIM_TCP_SYN, 2);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.db), 1);
  assert_null (tiny_probe_frame (w.db, 0)->f.ip6);
  assert_drop (tw, 2, CLOUDRUN_DROP_FIREWALL_RULE,
               "implied deny ingress rule");
}

/* The fold fabric.c puts in the entropy, computed here on its own. */
static uint16_t
expected_entropy (const SimIp6 *src, uint16_t sport, uint16_t dport)
{
  uint32_t fold = 0;

  for (int i = 0; i < 16; i += 4)
    fold ^= (uint32_t) src->b[i] << 24 | (uint32_t) src->b[i + 1] << 16
            | (uint32_t) src->b[i + 2] << 8 | src->b[i + 3];
  return (uint16_t) (49152u | ((sport ^ dport ^ fold) & 0x3fff));
}

static void
test_vpc_router6__pga_over_ipv6_to_the_fabric (void **state)
{
  const SimIp6 *vip = (const SimIp6 *) cloudrun_private_vip6;

  for (int pga = 0; pga < 2; pga++)
    {
      g_autoptr (TinyWorld) tw = tiny_world_new (1);
      World6 w = world6 (tw, tiny_router_config (tw, "net", PROJECT), pga);
      SimFrame outer, inner;
      SimGeneve g;
      SimIp6 dst;
      GBytes *raw;

      (void) state;
      send_tcp6 (w.app, 0, &app6, 40000, vip, 443, SIM_TCP_SYN, 1);
      tiny_world_run (tw, SIM_MS);
      if (!pga)
        {
          assert_int_equal (w.google->frames->len, 0);
          assert_drop (tw, 1, CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_DISALLOWED,
                       "Private Google Access is off for subnet vms");
          continue;
        }
      assert_int_equal (w.google->frames->len, 1);
      raw = g_ptr_array_index (w.google->frames, 0);
      /* Outer: IPv4 from the router's fabric address to the GFE's, UDP
       * to 6081, the source port's entropy from the IPv6 source. */
      assert_true (sim_frame_parse (g_bytes_get_data (raw, NULL),
                                    (uint32_t) g_bytes_get_size (raw),
                                    &outer));
      assert_non_null (outer.ip);
      assert_int_equal (outer.src, TW_IP (100, 64, 0, 9));
      assert_int_equal (outer.dst, TW_IP (100, 64, 0, 1));
      assert_int_equal (outer.dport, SIM_GENEVE_PORT);
      assert_int_equal (outer.sport, expected_entropy (&app6, 40000, 443));
      assert_true (sim_frame_checksums_ok (&outer));
      /* Geneve: the network's VNI and project; protocol type 0x6558. */
      assert_true (sim_geneve_parse (outer.payload, outer.payload_len, &g));
      assert_int_equal (outer.payload[2] << 8 | outer.payload[3],
                        SIM_ETHERTYPE_TEB);
      assert_int_equal (g.vni, 7);
      assert_int_equal (g.opt_type, CLOUDRUN_FABRIC_VPC);
      /* Inner: Ethernet type 0x86dd, the IPv6 SYN to the VIP. */
      assert_int_equal (g.inner[12] << 8 | g.inner[13], SIM_ETHERTYPE_IPV6);
      assert_true (sim_frame_parse (g.inner, g.inner_len, &inner));
      assert_non_null (inner.ip6);
      dst = sim_frame_dst6 (&inner);
      assert_true (sim_ipv6_equal (&dst, vip));
      assert_true (sim_frame_checksums_ok (&inner));
      assert_non_null (strstr (tiny_step (tw, 1, "APPLY_ROUTE",
                                          "vpc-net")->note,
                               "over IPv6 (GOOGLE_API)"));
    }
}

/* No NAT66: an internal IPv6 source reaches no public non-Google
 * address; an external IPv6 source leaves as it is. */
static void
test_vpc_router6__ula_to_public_is_dropped (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  World6 w = world6 (tw, tiny_router_config (tw, "net", PROJECT), true);
  SimIp6 src;

  (void) state;
  send_tcp6 (w.app, 0, &app6, 40000, &public6, 443, SIM_TCP_SYN, 1);
  send_tcp6 (w.ext, 0, &ext6, 40000, &public6, 443, SIM_TCP_SYN, 2);
  tiny_world_run (tw, SIM_MS);
  assert_drop (tw, 1, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS, "no NAT66");
  assert_int_equal (tiny_probe_count (w.internet), 1);
  src = sim_frame_src6 (&tiny_probe_frame (w.internet, 0)->f);
  assert_true (sim_ipv6_equal (&src, &ext6));
  assert_non_null (strstr (tiny_step (tw, 2, "APPLY_ROUTE", "vpc-net")->rule,
                           "IPv6 default route to default-internet-gateway "
                           "(::/0, priority 1000)"));
}

/* A ULA destination outside the network's ranges: the gateway does not
 * deliver it. */
static void
test_vpc_router6__ula_destination_is_private (void **state)
{
  static const SimIp6 elsewhere = { { 0xfd, 0x99, [15] = 1 } };
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  World6 w = world6 (tw, tiny_router_config (tw, "net", PROJECT), true);

  (void) state;
  send_tcp6 (w.ext, 0, &ext6, 40000, &elsewhere, 80, SIM_TCP_SYN, 1);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.internet), 0);
  assert_drop (tw, 1, CLOUDRUN_DROP_PRIVATE_TRAFFIC_TO_INTERNET,
               "internal (ULA) IPv6 address");
}

/* Without the default route there is no ::/0: NO_ROUTE; a custom ::/0 to
 * the gateway brings the way back; a blackhole IPv6 route drops. */
static void
test_vpc_router6__routes (void **state)
{
  static const struct {
    bool default_route;
    VpcNextHopKind custom;      /* a custom ::/0, or -1 none */
    CloudRunDropCause cause;
    const char *words;
  } cases[] = {
    { false, (VpcNextHopKind) -1, CLOUDRUN_DROP_NO_ROUTE, "::/0" },
    { false, VPC_NEXT_HOP_GATEWAY, CLOUDRUN_DROP_NONE, NULL },
    { true, VPC_NEXT_HOP_BLACKHOLE, CLOUDRUN_DROP_ROUTE_BLACKHOLE,
      "route sink (::/0, priority 900): next hop blackhole" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TinyWorld) tw = tiny_world_new (1);
      TinyRouterConfig *rc = tiny_router_config (tw, "net", PROJECT);
      VpcRouteConfig route = {
        .name = "sink", .next_hop = cases[i].custom, .priority = 900,
        .v6 = true, .destination6 = { { { 0 } }, 0 } };
      World6 w;

      (void) state;
      rc->config.default_route = cases[i].default_route;
      if ((int) cases[i].custom >= 0)
        {
          rc->config.routes = &route;
          rc->config.n_routes = 1;
        }
      w = world6 (tw, rc, true);
      send_tcp6 (w.ext, 0, &ext6, 40000, &public6, 443, SIM_TCP_SYN, 1);
      tiny_world_run (tw, SIM_MS);
      if (cases[i].cause == CLOUDRUN_DROP_NONE)
        assert_int_equal (tiny_probe_count (w.internet), 1);
      else
        assert_drop (tw, 1, cases[i].cause, cases[i].words);
    }
}

/* A reply from the internet to an external IPv6 address comes back to
 * its VM; an IPv6 packet that opens a connection from the internet meets
 * the ingress rules (here the implied deny). */
static void
test_vpc_router6__from_the_internet (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  World6 w = world6 (tw, tiny_router_config (tw, "net", PROJECT), true);

  (void) state;
  send_tcp6 (w.internet, 0, &public6, 443, &ext6, 40000,
             SIM_TCP_SYN | SIM_TCP_ACK, 1);
  send_tcp6 (w.internet, 0, &public6, 40001, &ext6, 22, SIM_TCP_SYN, 2);
  tiny_world_run (tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.ext), 1);
  assert_int_equal (tiny_probe_frame (w.ext, 0)->f.sport, 443);
  assert_drop (tw, 2, CLOUDRUN_DROP_FIREWALL_RULE,
               "implied deny ingress rule");
}

/* Between the /64s of two regions a packet takes the regions' one-way
 * time, as IPv4 does. */
static void
test_vpc_router6__regions (void **state)
{
  VpcCidr6 any = { { { 0 } }, 0 };
  g_autoptr (TinyWorld) tw = tiny_world_new (2);
  TinyRouterConfig *rc = tiny_router_config (tw, "net", PROJECT);
  World6 w;
  SimTime near, far;

  (void) state;
  firewall6 (rc, "allow-all-v6", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW,
             &any, 1000);
  w = world6 (tw, rc, true);
  cloudrun_vpc_router_add_region6 (w.router, &internal64, 64, "us-central1");
  cloudrun_vpc_router_add_region6 (w.router, &external64, 64,
                                   "europe-west1");
  send_tcp6 (w.app, 0, &app6, 40000, &db6, 80, SIM_TCP_SYN, 1);
  send_tcp6 (w.ext, 0, &ext6, 40000, &db6, 80, SIM_TCP_SYN, 2);
  tiny_world_run (tw, SIM_S);
  assert_int_equal (tiny_probe_count (w.db), 2);
  near = tiny_probe_frame (w.db, 0)->at;
  far = tiny_probe_frame (w.db, 1)->at;
  assert_true (cloudrun_region_one_way ("us-central1", "europe-west1") > 0);
  assert_int_equal (far - near,
                    cloudrun_region_one_way ("us-central1", "europe-west1"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_vpc_router6__vm_to_vm_delivered),
    cmocka_unit_test (test_vpc_router6__ipv4_rule_does_not_admit_ipv6),
    cmocka_unit_test (test_vpc_router6__pga_over_ipv6_to_the_fabric),
    cmocka_unit_test (test_vpc_router6__ula_to_public_is_dropped),
    cmocka_unit_test (test_vpc_router6__ula_destination_is_private),
    cmocka_unit_test (test_vpc_router6__routes),
    cmocka_unit_test (test_vpc_router6__from_the_internet),
    cmocka_unit_test (test_vpc_router6__regions),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
