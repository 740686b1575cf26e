/* Tiny worlds for model tests (see tests/models/world/tiny-world.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "sim/geneve.h"
#include "tests/models/world/tiny-world.h"

/* ---- Life cycle --------------------------------------------------- */

typedef struct {
  gpointer data;
  GDestroyNotify free;
} TinyOwned;

static void
tiny_owned_free (gpointer p)
{
  TinyOwned *o = p;

  o->free (o->data);
  g_free (o);
}

static gpointer
tiny_own (TinyWorld *tw, gpointer data, GDestroyNotify free_fn)
{
  TinyOwned *o = g_new0 (TinyOwned, 1);

  o->data = data;
  o->free = free_fn;
  g_ptr_array_add (tw->owned, o);
  return data;
}

TinyWorld *
tiny_world_new (uint32_t n_requests)
{
  TinyWorld *tw = g_new0 (TinyWorld, 1);
  CloudRunWorld *w = g_new0 (CloudRunWorld, 1);

  w->sim = sim_world_new (1);
  cloudrun_ledger_init (&w->ledger, w->sim);
  /* One traffic of n requests, all live and kept: tests write them by
   * hand or through callers whose plans start at id 1. */
  cloudrun_ledger_add_traffic (&w->ledger, n_requests, NULL);
  for (uint32_t id = 1; id <= n_requests; id++)
    {
      cloudrun_ledger_keep (&w->ledger, id);
      cloudrun_ledger_begin (&w->ledger, id);
    }
  w->hosts = g_hash_table_new (g_str_hash, g_str_equal);
  w->services = g_ptr_array_new ();
  w->zones = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_zone_free);
  cloudrun_dns_view_init (&w->public_view);
  w->views = g_ptr_array_new ();
  w->egress = g_ptr_array_new ();
  w->ingress_denied_status = 404;
  tw->world = w;
  tw->owned = g_ptr_array_new_with_free_func (tiny_owned_free);
  tw->probes = g_ptr_array_new ();
  return tw;
}

void
tiny_world_free (TinyWorld *tw)
{
  if (!tw)
    return;
  if (tw->started)
    sim_world_finish (tw->world->sim);
  /* Nodes first: they point into the configs. */
  cloudrun_world_free (tw->world);
  g_ptr_array_free (tw->probes, TRUE);
  g_ptr_array_free (tw->owned, TRUE);
  g_free (tw);
}

void
tiny_world_run (TinyWorld *tw, SimTime until)
{
  if (!tw->started)
    sim_world_start (tw->world->sim);
  tw->started = true;
  sim_world_advance (tw->world->sim, until);
}

SimLink *
tiny_link (TinyWorld *tw, SimPort *a, SimPort *b)
{
  static const SimLinkParams params = { TW_LINK_DELAY, 0, 0, 0 };

  return sim_link_new (tw->world->sim, a, b, &params, NULL);
}

/* ---- Probes ------------------------------------------------------- */

static void
probe_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  TinyProbe *p = (TinyProbe *) self;
  TinyFrame t = { 0 };

  (void) port;
  t.request_id = packet->request_id;
  t.at = sim_world_now (self->world);
  t.wrapped = cloudrun_fabric_unwrap (packet, &t.id);
  t.bytes = g_memdup2 (packet->data, packet->len);
  t.len = packet->len;
  sim_packet_release (sim_world_pool (self->world), packet);
  if (!sim_frame_parse (t.bytes, t.len, &t.f))
    fail_msg ("probe %s received a frame that does not parse", self->name);
  g_array_append_val (p->frames, t);
}

static void
probe_clear (SimNode *self)
{
  TinyProbe *p = (TinyProbe *) self;

  for (guint i = 0; i < p->frames->len; i++)
    g_free (g_array_index (p->frames, TinyFrame, i).bytes);
  g_array_free (p->frames, TRUE);
}

static const SimNodeClass probe_class = {
  .name = "probe",
  .size = sizeof (TinyProbe),
  .receive = probe_receive,
  .clear = probe_clear,
};

TinyProbe *
tiny_probe_new (TinyWorld *tw, const char *name)
{
  TinyProbe *p = (TinyProbe *) sim_node_new (tw->world->sim, &probe_class,
                                             name);

  p->port = sim_node_add_port (&p->node, "eth0");
  p->frames = g_array_new (FALSE, TRUE, sizeof (TinyFrame));
  g_ptr_array_add (tw->probes, p);
  return p;
}

static void
probe_send_event (SimKernel *k, void *target, void *arg, uint64_t u)
{
  TinyProbe *p = target;

  (void) k; (void) u;
  sim_port_send (p->port, arg);
}

static void
probe_schedule (TinyProbe *p, SimTime at, SimPacket *packet)
{
  sim_kernel_schedule (sim_world_kernel (p->node.world), at, probe_send_event,
                       p, packet, 0);
}

static SimPacket *
probe_tcp_packet (TinyProbe *p, uint32_t src, uint16_t sport, uint32_t dst,
                  uint16_t dport, uint8_t flags, uint8_t ttl, uint32_t len)
{
  static const uint8_t zero_mac[6];
  SimPacket *packet = sim_packet_new (sim_world_pool (p->node.world));
  SimTcpHeader h = { .sport = sport, .dport = dport, .seq = 1000,
                     .ack = (flags & SIM_TCP_ACK) ? 1 : 0, .flags = flags,
                     .window = 65535,
                     .mss = (flags & SIM_TCP_SYN) ? 1460 : 0 };

  memset (sim_packet_append (packet, len), 'x', len);
  sim_tcp_push (packet, src, dst, &h);
  sim_ipv4_push (packet, src, dst, SIM_IPPROTO_TCP, ttl, 1);
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV4);
  return packet;
}

void
tiny_probe_send_tcp (TinyProbe *p, SimTime at, uint32_t src, uint16_t sport,
                     uint32_t dst, uint16_t dport, uint8_t flags, uint8_t ttl,
                     uint32_t len, uint32_t request_id)
{
  SimPacket *packet = probe_tcp_packet (p, src, sport, dst, dport, flags,
                                        ttl, len);

  packet->request_id = request_id;
  probe_schedule (p, at, packet);
}

void
tiny_probe_send_udp (TinyProbe *p, SimTime at, uint32_t src, uint16_t sport,
                     uint32_t dst, uint16_t dport, const uint8_t *payload,
                     uint32_t len, uint32_t request_id)
{
  static const uint8_t zero_mac[6];
  SimPacket *packet = sim_packet_new (sim_world_pool (p->node.world));

  memcpy (sim_packet_append (packet, len), payload, len);
  sim_udp_push (packet, src, dst, sport, dport);
  sim_ipv4_push (packet, src, dst, SIM_IPPROTO_UDP, 64, 1);
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV4);
  packet->request_id = request_id;
  probe_schedule (p, at, packet);
}

void
tiny_probe_send_packet (TinyProbe *p, SimTime at, SimPacket *packet,
                        uint32_t request_id)
{
  packet->request_id = request_id;
  probe_schedule (p, at, packet);
}

void
tiny_probe_send_tcp6 (TinyProbe *p, SimTime at, const SimIp6 *src,
                      uint16_t sport, const SimIp6 *dst, uint16_t dport,
                      uint8_t flags, uint8_t hop_limit, uint32_t request_id)
{
  static const uint8_t zero_mac[6];
  SimPacket *packet = sim_packet_new (sim_world_pool (p->node.world));
  SimTcpHeader h = { .sport = sport, .dport = dport, .seq = 1000,
                     .flags = flags, .window = 65535, .mss = 1440 };

  sim_tcp6_push (packet, src, dst, &h);
  sim_ipv6_push (packet, src, dst, SIM_IPPROTO_TCP, hop_limit,
                 sim_ipv6_flow_label (src, dst, SIM_IPPROTO_TCP, sport,
                                      dport));
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV6);
  tiny_probe_send_packet (p, at, packet, request_id);
}

void
tiny_probe_send_wrapped_tcp (TinyProbe *p, SimTime at, uint32_t src,
                             uint16_t sport, uint32_t dst, uint16_t dport,
                             uint8_t flags, uint32_t outer_src,
                             uint32_t outer_dst,
                             const CloudRunFabricIdentity *id)
{
  SimPacket *packet = probe_tcp_packet (p, src, sport, dst, dport, flags, 64,
                                        0);

  cloudrun_fabric_wrap (packet, outer_src, outer_dst, id);
  probe_schedule (p, at, packet);
}

guint
tiny_probe_count (const TinyProbe *p)
{
  return p->frames->len;
}

const TinyFrame *
tiny_probe_frame (const TinyProbe *p, guint i)
{
  if (i >= p->frames->len)
    fail_msg ("probe %s received %u frames, not %u", p->node.name,
              p->frames->len, i + 1);
  return &g_array_index (p->frames, TinyFrame, i);
}

/* ---- The ledger --------------------------------------------------- */

CloudRunRequest *
tiny_request (TinyWorld *tw, uint32_t id)
{
  CloudRunRequest *r = cloudrun_ledger_get (&tw->world->ledger, id);

  if (!r)
    fail_msg ("no request %u in the ledger", id);
  return r;
}

static bool
tiny_step_is (const SimExplainStep *s, const char *state, const char *node)
{
  return g_strcmp0 (s->state, state) == 0
         && (node == NULL || g_strcmp0 (s->node, node) == 0);
}

const SimExplainStep *
tiny_step (TinyWorld *tw, uint32_t id, const char *state, const char *node)
{
  SimExplainLog *log = sim_world_explain (tw->world->sim);

  for (uint32_t sid = tiny_request (tw, id)->chain.first; sid != 0;)
    {
      const SimExplainStep *s = sim_explain_get (log, sid);
      if (tiny_step_is (s, state, node))
        return s;
      sid = s->next;
    }
  return NULL;
}

guint
tiny_count_steps (TinyWorld *tw, uint32_t id, const char *state,
                  const char *node)
{
  SimExplainLog *log = sim_world_explain (tw->world->sim);
  guint n = 0;

  for (uint32_t sid = tiny_request (tw, id)->chain.first; sid != 0;)
    {
      const SimExplainStep *s = sim_explain_get (log, sid);
      n += tiny_step_is (s, state, node);
      sid = s->next;
    }
  return n;
}

/* ---- Configs ------------------------------------------------------ */

static void
tiny_router_config_free (gpointer p)
{
  TinyRouterConfig *rc = p;

  g_array_free (rc->firewalls, TRUE);
  g_free (rc);
}

TinyRouterConfig *
tiny_router_config (TinyWorld *tw, const char *network,
                    uint64_t project_number)
{
  TinyRouterConfig *rc = g_new0 (TinyRouterConfig, 1);

  rc->firewalls = g_array_new (FALSE, FALSE, sizeof (VpcFirewallRule));
  rc->config = (VpcRouterConfig) {
    .network = tiny_own (tw, g_strdup (network), g_free), .vni = 7,
    .project_number = project_number,
    .fabric_addr = TW_IP (100, 64, 0, 9),
    .gfe_fabric_addr = TW_IP (100, 64, 0, 1), .default_route = true,
    .connector_google_access = VPC_CONNECTOR_GOOGLE_IMPLICIT,
    .nat_enables_pga = true,
  };
  return tiny_own (tw, rc, tiny_router_config_free);
}

void
tiny_router_firewall (TinyWorld *tw, TinyRouterConfig *rc, const char *name,
                      VpcFirewallDirection direction, VpcFirewallAction action,
                      uint32_t prefix, uint8_t len, uint32_t priority)
{
  static const VpcProtocolMatch all = { 0, 0, 65535 };
  VpcCidr *range = tiny_own (tw, g_new (VpcCidr, 1), g_free);
  VpcFirewallRule rule = {
    .name = tiny_own (tw, g_strdup (name), g_free), .direction = direction,
    .action = action, .ranges = range, .n_ranges = 1, .protocols = &all,
    .n_protocols = 1, .priority = priority,
  };

  *range = (VpcCidr) { prefix, len };
  g_array_append_val (rc->firewalls, rule);
  rc->config.firewalls = (const VpcFirewallRule *) (void *)
                         rc->firewalls->data;
  rc->config.n_firewalls = rc->firewalls->len;
}

VpcConnectorConfig
tiny_connector_config (const char *name, uint32_t block, unsigned instances)
{
  return (VpcConnectorConfig) {
    .name = name, .block = { block, 28 },
    .min_instances = instances, .max_instances = instances,
    .rate_bps = 100000000u, .start_time = 60 * SIM_S,
  };
}

VpcPscConfig
tiny_psc_config (const char *name, const char *network, uint32_t address,
                 uint32_t vni, uint64_t project_number)
{
  return (VpcPscConfig) { name, network, address, VPC_PSC_ALL_APIS, vni,
                          project_number };
}

CloudRunRevisionEgress *
tiny_egress_config (TinyWorld *tw, const char *service, VpcAccess access)
{
  static const VpcCidr rfc1918[] = {
    { 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 } };
  CloudRunRevisionEgress *cfg = g_new0 (CloudRunRevisionEgress, 1);
  char *name = tiny_own (tw, g_strdup (service), g_free);
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (VpcCidr));

  g_array_append_vals (ranges, rfc1918, G_N_ELEMENTS (rfc1918));
  tiny_own (tw, ranges, (GDestroyNotify) g_array_unref);
  cfg->private_ranges = ranges;
  cfg->kind = "service";
  cfg->service = name;
  cfg->access = access;
  cfg->egress = VPC_EGRESS_ALL_TRAFFIC;
  return tiny_own (tw, cfg, g_free);
}
