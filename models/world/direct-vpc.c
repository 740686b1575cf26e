/* Direct VPC egress (see models/world/direct-vpc.h). The node is the instances'
 * side of the VPC: it records the egress step, passes packets to the
 * router unchanged, and lets back only replies to flows the instances
 * opened. */
#include "models/world/direct-vpc.h"

#include "sim/wire.h"

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

static void
direct_outbound (CloudRunDirectVpc *d, SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = d->base.world;
  uint64_t key[2];

  if (!sim_route_table_lookup (d->instances, f->src))
    {
      /* The instance got no address: the subnet had no /28 block left. */
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_DIRECT_VPC, .state = "ABORT",
        .cause = CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES,
        .rule = "the subnet has no free /28 block for this instance "
                "([assumptions] direct-vpc-ip-factor)",
        .src = f->src, .dst = f->dst,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &d->base.node, &s);
      cloudrun_request_decide (&world->ledger, packet->request_id,
                               CLOUDRUN_VERDICT_DROPPED,
                               CLOUDRUN_HOP_DIRECT_VPC, &d->base.node,
                               CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES);
      sim_packet_release (sim_world_pool (world->sim), packet);
      return;
    }
  direct_flow_key (f->src, f->sport, f->dst, f->dport, key);
  if (!g_hash_table_contains (d->flows, key))
    g_hash_table_add (d->flows, g_memdup2 (key, sizeof key));
  if (sim_frame_opens_tcp (f))
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_DIRECT_VPC, .state = "DIRECT_VPC_EGRESS_CONNECTION",
        .rule = cloudrun_egress_why (d->cfg, f->dst,
                                     sim_world_explain (world->sim)),
        .note = "the instance's own subnet address is the source (no SNAT)",
        .src = f->src, .dst = f->dst,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &d->base.node, &s);
    }
  sim_port_send (d->vpc, packet);
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
      direct_outbound (d, packet, &f);
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

  sim_route_table_free (d->instances);
  g_hash_table_destroy (d->flows);
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
  d->flows = g_hash_table_new_full (flow_hash, flow_equal, g_free, NULL);
  return d;
}

SimPort *
cloudrun_direct_vpc_attach (CloudRunDirectVpc *d, const char *port_name,
                            uint32_t addr)
{
  SimPort *port = sim_node_add_port (&d->base.node, port_name);

  if (addr)
    sim_route_table_add (d->instances, addr, 32, 0, port);
  return port;
}
