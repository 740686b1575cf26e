/* Direct VPC egress (see models/world/direct-vpc.h). The node is the instances'
 * side of the VPC: it records the egress step, passes packets to the
 * router unchanged, and lets back only replies to flows the instances
 * opened. */
#include "models/world/direct-vpc.h"

#include <string.h>

#include "sim/units.h"
#include "sim/wire.h"

/* A packet waiting for its instance's way into the VPC. */
typedef struct {
  SimPacket *packet;
  const SimPort *port;          /* the instance's */
  SimTime since;                /* when it arrived */
  uint32_t src, dst, seq;
  uint16_t sport, dport, len;
  uint8_t proto, flags;
} DirectHeld;

/* Held TCP segments are told apart by addresses, ports, sequence number,
 * flags and length: a second with the same is a retransmission. */
static guint
held_hash (gconstpointer p)
{
  const DirectHeld *h = p;
  uint64_t a = ((uint64_t) h->src << 32 | h->dst) * 0x9e3779b97f4a7c15u;
  uint64_t b = ((uint64_t) h->sport << 48 | (uint64_t) h->dport << 32
                | h->seq) * 0xc2b2ae3d27d4eb4fu;

  return (guint) (a ^ b ^ ((a ^ b) >> 31) ^ h->len ^ (guint) h->flags << 16);
}

static gboolean
held_equal (gconstpointer x, gconstpointer y)
{
  const DirectHeld *a = x, *b = y;

  return a->src == b->src && a->dst == b->dst && a->sport == b->sport
         && a->dport == b->dport && a->proto == b->proto && a->seq == b->seq
         && a->flags == b->flags && a->len == b->len;
}

/* An IPv6 flow key: local and remote address and port. */
typedef struct {
  SimIp6 local, remote;
  uint16_t lport, rport;
} DirectFlow6;

static DirectFlow6
direct_flow6_key (const SimIp6 *laddr, uint16_t lport, const SimIp6 *raddr,
                  uint16_t rport)
{
  DirectFlow6 k;

  memset (&k, 0, sizeof k);     /* no padding bytes left unset */
  k.local = *laddr;
  k.remote = *raddr;
  k.lport = lport;
  k.rport = rport;
  return k;
}

/* FNV-1a over n bytes. */
static uint32_t
fnv1a (const void *p, size_t n)
{
  const uint8_t *b = p;
  uint32_t h = 2166136261u;

  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

static guint
flow6_hash (gconstpointer p)
{
  return fnv1a (p, sizeof (DirectFlow6));
}

static gboolean
flow6_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (DirectFlow6)) == 0;
}

/* 32 bits that stand for a frame's source or destination in held-packet
 * keys: the IPv4 address, or an IPv6 one's hash (of its 16 bytes; two
 * addresses of one instance's held packets that share it are a 2^-32
 * chance). */
static uint32_t
direct_addr_key (const SimFrame *f, bool src)
{
  SimIp6 a;

  if (!f->ip6)
    return src ? f->src : f->dst;
  a = src ? sim_frame_src6 (f) : sim_frame_dst6 (f);
  return fnv1a (a.b, sizeof a.b);
}

/* A flow key: local addr/port and remote addr/port packed. */
static uint64_t *
direct_flow_key (uint32_t laddr, uint16_t lport, uint32_t raddr,
                 uint16_t rport, uint64_t key[2])
{
  key[0] = (uint64_t) laddr << 32 | raddr;
  key[1] = (uint64_t) lport << 16 | rport;
  return key;
}

static guint
flow_hash (gconstpointer p)
{
  const uint64_t *k = p;
  uint64_t h = k[0] * 0x9e3779b97f4a7c15u ^ k[1] * 0xc2b2ae3d27d4eb4fu;

  return (guint) (h ^ (h >> 32));
}

static gboolean
flow_equal (gconstpointer a, gconstpointer b)
{
  const uint64_t *x = a, *y = b;

  return x[0] == y[0] && x[1] == y[1];
}

/* t to the nearest millisecond, for people. */
static const char *
direct_ms (SimTime t, char *buf)
{
  return sim_units_format_time ((t + SIM_MS / 2) / SIM_MS * SIM_MS, buf);
}

/* Words on a connection that waited for the instance's start-up. */
static const char *
direct_waited (CloudRunDirectVpc *d, SimTime since)
{
  char at[32], waited[32], delay[32];
  SimTime now = sim_world_now (d->base.world->sim);

  if (since < 0)
    return "the instance's own subnet address is the source (no SNAT)";
  return sim_explain_internf (sim_world_explain (d->base.world->sim),
                              "the instance's own subnet address is the "
                              "source (no SNAT); the instance started cold "
                              "and its way into the VPC came up only now: "
                              "this connection's first packet waited %s "
                              "(held since %s; [assumptions] "
                              "direct-vpc-start-delay = %s; Google documents "
                              "connection establishment delays of a minute "
                              "or more on instance startup)",
                              direct_ms (now - since, waited),
                              direct_ms (since, at),
                              sim_units_format_time (d->start_delay, delay));
}

/* An IPv6 packet of an instance into the VPC (since as below). */
static void
direct_outbound6 (CloudRunDirectVpc *d, const SimPort *port,
                  SimPacket *packet, const SimFrame *f, SimTime since)
{
  CloudRunWorld *world = d->base.world;
  SimIp6 src = sim_frame_src6 (f), dst = sim_frame_dst6 (f);
  DirectFlow6 key = direct_flow6_key (&src, f->sport, &dst, f->dport);

  if (!d->instances6 || !sim_route6_table_lookup (d->instances6, &src))
    {
      sim_packet_release (sim_world_pool (world->sim), packet);
      return;                   /* not an address Google gave it */
    }
  if (!g_hash_table_contains (d->flows6, &key))
    g_hash_table_add (d->flows6, g_memdup2 (&key, sizeof key));
  if (sim_frame_opens_tcp (f))
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_DIRECT_VPC,
        .state = CLOUDRUN_STATE_DIRECT_VPC_EGRESS_CONNECTION,
        .rule = cloudrun_egress_why6 (&g_array_index (d->sides,
                                                      CloudRunEgressSide,
                                                      port->index),
                                      &dst, sim_world_explain (world->sim)),
        .note = since < 0
                ? "the instance's own IPv6 address of the subnet's range is "
                  "the source (internal IPv6 of a dual-stack subnet)"
                : direct_waited (d, since),
        .src6 = &src, .dst6 = &dst,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &d->base.node, &s);
    }
  sim_port_send (d->vpc, packet);
}

/* An IPv6 packet from the VPC: a reply to an instance's flow, or
 * dropped. */
static void
direct_inbound6 (CloudRunDirectVpc *d, SimPacket *packet, const SimFrame *f)
{
  SimIp6 src = sim_frame_src6 (f), dst = sim_frame_dst6 (f);
  DirectFlow6 key = direct_flow6_key (&dst, f->dport, &src, f->sport);
  const SimRoute6 *to = d->instances6
                        ? sim_route6_table_lookup (d->instances6, &dst)
                        : NULL;

  if (!to || !g_hash_table_contains (d->flows6, &key))
    {
      sim_packet_release (sim_world_pool (d->base.world->sim), packet);
      return;
    }
  sim_port_send (to->value, packet);
}

/* since: when the packet arrived, if it waited for the start-up; else -1. */
static void
direct_outbound (CloudRunDirectVpc *d, const SimPort *port, SimPacket *packet,
                 const SimFrame *f, SimTime since)
{
  CloudRunWorld *world = d->base.world;
  uint64_t key[2];

  if (f->ip6)
    {
      direct_outbound6 (d, port, packet, f, since);
      return;
    }
  if (!sim_route_table_lookup (d->instances, f->src))
    {
      /* The instance got no address: the subnet had no /28 block left. */
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_DIRECT_VPC, .state = CLOUDRUN_STATE_ABORT,
        .cause = CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES,
        .rule = "the subnet has no free /28 block for this instance "
                "([assumptions] direct-vpc-ip-factor)",
        .src = f->src, .dst = f->dst,
      };
      cloudrun_node_drop (&d->base, packet, &s);
      return;
    }
  direct_flow_key (f->src, f->sport, f->dst, f->dport, key);
  if (!g_hash_table_contains (d->flows, key))
    g_hash_table_add (d->flows, g_memdup2 (key, sizeof key));
  if (sim_frame_opens_tcp (f))
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_DIRECT_VPC,
        .state = CLOUDRUN_STATE_DIRECT_VPC_EGRESS_CONNECTION,
        .rule = cloudrun_egress_why (&g_array_index (d->sides,
                                                     CloudRunEgressSide,
                                                     port->index),
                                     f->dst, sim_world_explain (world->sim)),
        .note = direct_waited (d, since),
        .src = f->src, .dst = f->dst,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &d->base.node, &s);
    }
  sim_port_send (d->vpc, packet);
}

static void
direct_release (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunDirectVpc *d = target;
  DirectHeld *h = g_hash_table_lookup (d->held, arg);
  SimFrame f;

  (void) k; (void) u;
  if (!h)
    return;
  g_hash_table_remove (d->held_segments, h);
  g_hash_table_steal (d->held, arg);
  sim_frame_parse (h->packet->data, h->packet->len, &f);
  direct_outbound (d, h->port, h->packet, &f, h->since);
  g_free (h);
}

/* The step of a connection whose first packet starts waiting until up. */
static void
direct_held_step (CloudRunDirectVpc *d, const SimPacket *packet,
                  const SimFrame *f, SimTime up)
{
  CloudRunWorld *world = d->base.world;
  char at[32], delay[32];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_DIRECT_VPC,
    .state = CLOUDRUN_STATE_DIRECT_VPC_STARTING,
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "the instance started cold and its way "
                                 "into the VPC is up only at %s "
                                 "([assumptions] direct-vpc-start-delay = "
                                 "%s; Google documents connection "
                                 "establishment delays of a minute or more "
                                 "on instance startup): the packet waits",
                                 direct_ms (up, at),
                                 direct_ms (d->start_delay, delay)),
    .note = "the simulator's own step: Connectivity Tests has none for it",
    .src = f->src, .dst = f->dst,
  };

  cloudrun_request_step (&world->ledger, packet->request_id, &d->base.node,
                         &s);
}

/* Holds packet when its instance's way into the VPC is not up yet (a
 * retransmission of a held packet is dropped). False: it may go now. */
static bool
direct_hold (CloudRunDirectVpc *d, SimPort *port, SimPacket *packet,
             const SimFrame *f)
{
  SimKernel *kernel = sim_world_kernel (d->base.world->sim);
  SimTime now = sim_kernel_now (kernel);
  SimTime up = port->index < d->up_at->len
               ? g_array_index (d->up_at, SimTime, port->index) : 0;
  bool tcp = f->proto == SIM_IPPROTO_TCP;
  DirectHeld h = {
    packet, port, now, direct_addr_key (f, true), direct_addr_key (f, false),
    tcp ? f->tcp.seq : 0, f->sport,
    f->dport, (uint16_t) f->payload_len, f->proto, tcp ? f->tcp.flags : 0,
  };
  DirectHeld *held;

  if (now >= up)
    return false;
  if (tcp && g_hash_table_contains (d->held_segments, &h))
    {
      d->held_duplicates++;
      sim_packet_release (sim_world_pool (d->base.world->sim), packet);
      return true;
    }
  held = g_memdup2 (&h, sizeof h);
  g_hash_table_insert (d->held, packet, held);
  if (tcp)
    g_hash_table_add (d->held_segments, held);
  sim_kernel_schedule (kernel, up, direct_release, d, packet, 0);
  if (sim_frame_opens_tcp (f))
    direct_held_step (d, packet, f, up);
  return true;
}

static void
direct_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunDirectVpc *d = (CloudRunDirectVpc *) self;
  const SimRoute *to;
  uint64_t key[2];
  SimFrame f;

  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port != d->vpc)
    {
      if (!direct_hold (d, port, packet, &f))
        direct_outbound (d, port, packet, &f, -1);
      return;
    }
  if (f.ip6)
    {
      direct_inbound6 (d, packet, &f);
      return;
    }
  direct_flow_key (f.dst, f.dport, f.src, f.sport, key);
  to = sim_route_table_lookup (d->instances, f.dst);
  if (!to || !g_hash_table_contains (d->flows, key))
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  sim_port_send (to->value, packet);
}

static void
direct_clear (SimNode *self)
{
  CloudRunDirectVpc *d = (CloudRunDirectVpc *) self;
  GHashTableIter it;
  gpointer packet;

  sim_route_table_free (d->instances);
  if (d->instances6)
    sim_route6_table_free (d->instances6);
  g_array_free (d->sides, TRUE);
  g_hash_table_destroy (d->flows);
  g_hash_table_destroy (d->flows6);
  g_hash_table_iter_init (&it, d->held);
  while (g_hash_table_iter_next (&it, &packet, NULL))
    sim_packet_release (sim_world_pool (self->world), packet);
  g_hash_table_destroy (d->held_segments);
  g_hash_table_destroy (d->held);
  g_array_free (d->up_at, TRUE);
}

static const SimNodeClass direct_class = {
  .name = "direct-vpc",
  .size = sizeof (CloudRunDirectVpc),
  .receive = direct_receive,
  .clear = direct_clear,
};

CloudRunDirectVpc *
cloudrun_direct_vpc_new (CloudRunWorld *world, const char *service,
                         const CloudRunRevisionEgress *cfg)
{
  g_autofree char *name = g_strdup_printf ("direct-vpc-%s", service);
  CloudRunDirectVpc *d = (CloudRunDirectVpc *)
    sim_node_new (world->sim, &direct_class, name);

  d->base.world = world;
  d->cfg = cfg;
  d->vpc = sim_node_add_port (&d->base.node, "vpc");
  d->instances = sim_route_table_new ();
  d->sides = g_array_new (FALSE, TRUE, sizeof (CloudRunEgressSide));
  g_array_set_size (d->sides, 1);         /* port 0: the VPC */
  d->flows = g_hash_table_new_full (flow_hash, flow_equal, g_free, NULL);
  d->flows6 = g_hash_table_new_full (flow6_hash, flow6_equal, g_free, NULL);
  d->up_at = g_array_new (FALSE, TRUE, sizeof (SimTime));
  d->held = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                   g_free);
  d->held_segments = g_hash_table_new (held_hash, held_equal);
  return d;
}

SimPort *
cloudrun_direct_vpc_attach (CloudRunDirectVpc *d, const char *port_name,
                            uint32_t addr, const SimHost *host)
{
  SimPort *port = sim_node_add_port (&d->base.node, port_name);
  CloudRunEgressSide side = { d->cfg, host };

  g_assert (port->index == d->sides->len);
  g_array_append_val (d->sides, side);

  if (addr)
    sim_route_table_add (d->instances, addr, 32, 0, port);
  return port;
}

void
cloudrun_direct_vpc_attach6 (CloudRunDirectVpc *d, SimPort *port,
                             const SimIp6 *addr)
{
  if (!d->instances6)
    d->instances6 = sim_route6_table_new ();
  sim_route6_table_add (d->instances6, addr, 128, 0, port);
}

void
cloudrun_direct_vpc_cold_start (CloudRunDirectVpc *d, SimPort *port,
                                SimTime at)
{
  if (d->up_at->len <= port->index)
    g_array_set_size (d->up_at, port->index + 1);
  g_array_index (d->up_at, SimTime, port->index) = at + d->start_delay;
}
