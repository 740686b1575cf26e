/* Cloud NAT (see models/world/nat.h). */
#include "models/world/nat.h"

#include "sim/wire.h"

static void
nat_outbound (CloudRunNatNode *n, SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = n->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  /* Each source keeps to one address: the block holds its ports. */
  uint32_t addr = n->addrs[(f->src * 2654435761u >> 16) % n->n_addrs];
  bool created, syn = sim_frame_opens_tcp (f);
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&n->snat, f, addr, n->vpc,
                                                 &created);
  CloudRunStep s = { .hop = CLOUDRUN_HOP_NAT, .state = CLOUDRUN_STATE_NAT,
                     .src = f->src, .dst = f->dst };

  if (!e)
    {
      if (syn)
        {
          s.state = CLOUDRUN_STATE_DROP;
          s.cause = CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED;
          s.rule = sim_explain_internf (log, "Cloud NAT %s: no port left in "
                                        "this VM's block (min-ports-per-vm = %u)",
                                        n->name,
                                        n->min_ports_per_vm);
          s.note = "the simulator's own cause: Connectivity Tests has none "
                   "for it";
        }
      cloudrun_node_drop (&n->base, packet, syn ? &s : NULL);
      return;
    }
  if (created && syn)
    {
      char a[16];
      s.rule = sim_explain_internf (log, "Cloud NAT %s translates the source "
                                    "to %s:%u", n->name,
                                    sim_ipv4_to_string (e->nat_addr, a),
                                    e->nat_port);
      s.src_after = e->nat_addr;
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &n->base.node, &s);
    }
  cloudrun_snat_translate_out (&n->snat, e, packet, f);
  sim_port_send (n->internet, packet);
}

static void
nat_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunNatNode *n = (CloudRunNatNode *) self;
  CloudRunSnatEntry *e;
  SimFrame f;

  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port == n->vpc)
    {
      nat_outbound (n, packet, &f);
      return;
    }
  e = cloudrun_snat_inbound (&n->snat, &f);
  if (!e)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  cloudrun_snat_translate_in (&n->snat, e, packet, &f);
  sim_port_send (n->vpc, packet);
}

static void
nat_clear (SimNode *self)
{
  CloudRunNatNode *n = (CloudRunNatNode *) self;

  cloudrun_snat_clear (&n->snat);
  g_free (n->addrs);
  g_free (n->name);
}

static const SimNodeClass nat_class = {
  .name = "cloud-nat",
  .size = sizeof (CloudRunNatNode),
  .receive = nat_receive,
  .clear = nat_clear,
};

CloudRunNatNode *
cloudrun_nat_new (CloudRunWorld *world, const VpcNatConfig *config,
                  const uint32_t *addrs, unsigned n_addrs)
{
  g_autofree char *name = g_strdup_printf ("nat-%s", config->name);
  CloudRunNatNode *n = (CloudRunNatNode *) sim_node_new (world->sim,
                                                         &nat_class, name);

  g_assert (n_addrs > 0);
  n->base.world = world;
  n->name = g_strdup (config->name);
  n->min_ports_per_vm = config->min_ports_per_vm;
  n->vpc = sim_node_add_port (&n->base.node, "vpc");
  n->internet = sim_node_add_port (&n->base.node, "internet");
  n->addrs = g_memdup2 (addrs, n_addrs * sizeof *addrs);
  n->n_addrs = n_addrs;
  cloudrun_snat_init (&n->snat, config->min_ports_per_vm);
  cloudrun_snat_hold_closed (&n->snat, world->sim, config->tcp_time_wait);
  cloudrun_snat_count_ports (&n->snat,
                             cloudrun_world_gauge (world, "nat", n->name,
                                                   "ports"), world->sim);
  return n;
}
