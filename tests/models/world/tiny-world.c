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
  cloudrun_ledger_init (&w->ledger, w->sim, n_requests);
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
tiny_scenario_free (gpointer p)
{
  CloudRunScenario *sc = p;

  g_ptr_array_free (sc->firewalls, TRUE);
  g_ptr_array_free (sc->routes, TRUE);
  g_free (sc);
}

CloudRunScenario *
tiny_scenario (TinyWorld *tw)
{
  CloudRunScenario *sc;

  if (tw->scenario)
    return tw->scenario;
  sc = g_new0 (CloudRunScenario, 1);
  sc->firewalls = g_ptr_array_new ();
  sc->routes = g_ptr_array_new ();
  sc->assumptions.connector_google_access = CLOUDRUN_GOOGLE_ACCESS_IMPLICIT;
  sc->assumptions.nat_enables_pga = TRUE;
  sc->assumptions.ingress_denied_status = 404;
  sc->assumptions.direct_vpc_ip_factor = 2;
  tw->scenario = tiny_own (tw, sc, tiny_scenario_free);
  return sc;
}

static void
tiny_network_free (gpointer p)
{
  CloudRunNetwork *n = p;

  g_free (n->base.name);
  g_ptr_array_free (n->subnets, TRUE);
  g_free (n);
}

static void
tiny_named_free (gpointer p)
{
  g_free (((CloudRunObject *) p)->name);
  g_free (p);
}

CloudRunNetwork *
tiny_network (TinyWorld *tw, const char *name, uint64_t project_number)
{
  CloudRunProject *project = g_new0 (CloudRunProject, 1);
  CloudRunNetwork *n = g_new0 (CloudRunNetwork, 1);

  project->base.name = g_strdup_printf ("project-of-%s", name);
  project->number = project_number;
  tiny_own (tw, project, tiny_named_free);
  n->base.name = g_strdup (name);
  n->project = project;
  n->default_route = TRUE;
  n->subnets = g_ptr_array_new ();
  return tiny_own (tw, n, tiny_network_free);
}

static void
tiny_firewall_free (gpointer p)
{
  CloudRunFirewall *fw = p;

  g_array_free (fw->ranges, TRUE);
  g_array_free (fw->protocols, TRUE);
  tiny_named_free (fw);
}

CloudRunFirewall *
tiny_firewall (TinyWorld *tw, CloudRunNetwork *network, const char *name,
               CloudRunFirewallDirection direction,
               CloudRunFirewallAction action, uint32_t prefix, uint8_t len,
               int64_t priority)
{
  CloudRunFirewall *fw = g_new0 (CloudRunFirewall, 1);
  CloudRunCidr range = { prefix, len };
  CloudRunProtocol all = { 0, 0, 65535 };

  fw->base.name = g_strdup (name);
  fw->network = network;
  fw->direction = direction;
  fw->action = action;
  fw->ranges = g_array_new (FALSE, FALSE, sizeof (CloudRunCidr));
  g_array_append_val (fw->ranges, range);
  fw->protocols = g_array_new (FALSE, FALSE, sizeof (CloudRunProtocol));
  g_array_append_val (fw->protocols, all);
  fw->priority = priority;
  g_ptr_array_add (tiny_scenario (tw)->firewalls, fw);
  return tiny_own (tw, fw, tiny_firewall_free);
}

CloudRunConnector *
tiny_connector_config (TinyWorld *tw, const char *name,
                       CloudRunNetwork *network, uint32_t block)
{
  CloudRunConnector *c = g_new0 (CloudRunConnector, 1);

  c->base.name = g_strdup (name);
  c->network = network;
  c->machine_type = CLOUDRUN_MACHINE_E2_MICRO;
  c->min_instances = 2;
  c->max_instances = 10;
  c->block = (CloudRunCidr) { block, 28 };
  c->range = c->block;
  return tiny_own (tw, c, tiny_named_free);
}

CloudRunPscEndpoint *
tiny_psc_config (TinyWorld *tw, const char *name, CloudRunNetwork *network,
                 uint32_t address)
{
  CloudRunPscEndpoint *e = g_new0 (CloudRunPscEndpoint, 1);

  e->base.name = g_strdup (name);
  e->network = network;
  e->address = address;
  e->bundle = CLOUDRUN_PSC_ALL_APIS;
  return tiny_own (tw, e, tiny_named_free);
}

CloudRunRevisionEgress *
tiny_egress_config (TinyWorld *tw, const char *service,
                    CloudRunVpcAccess access)
{
  static const CloudRunCidr rfc1918[] = {
    { 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 } };
  CloudRunRevisionEgress *cfg = g_new0 (CloudRunRevisionEgress, 1);
  char *name = tiny_own (tw, g_strdup (service), g_free);
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (CloudRunCidr));

  g_array_append_vals (ranges, rfc1918, G_N_ELEMENTS (rfc1918));
  tiny_own (tw, ranges, (GDestroyNotify) g_array_unref);
  cfg->private_ranges = ranges;
  cfg->service = name;
  cfg->access = access;
  cfg->egress = CLOUDRUN_VPC_EGRESS_ALL_TRAFFIC;
  return tiny_own (tw, cfg, g_free);
}
