/* Serverless VPC Access connectors (see models/world/connector.h). */
#include "models/world/connector.h"

/* Each caller instance gets this many ports of each connector instance. */
#define CONNECTOR_PORTS_PER_CALLER 2048u

static void
connector_outbound (CloudRunConnectorNode *c, SimPort *port,
                    SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = c->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  const CloudRunRevisionEgress *cfg = g_ptr_array_index (c->attached,
                                                         port->index);
  uint32_t addr = c->addrs[c->next % c->n_addrs];
  bool created;
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&c->snat, f, addr, port,
                                                 &created);

  if (!e)
    {
      sim_packet_release (sim_world_pool (world->sim), packet);
      return;
    }
  if (created)
    c->next++;
  if (created && f->proto == SIM_IPPROTO_TCP)
    {
      char a[16];
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_CONNECTOR, .state = "ARRIVE_AT_VPC_CONNECTOR",
        .rule = cloudrun_egress_why (cfg, f->dst, log),
        .note = sim_explain_internf (log, "connector %s: source translated to "
                                     "its instance %s (SERVERLESS_VPC_ACCESS)",
                                     c->name,
                                     sim_ipv4_to_string (e->nat_addr, a)),
        .src = f->src, .dst = f->dst, .src_after = e->nat_addr,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &c->base.node, &s);
    }
  cloudrun_snat_translate_out (&c->snat, e, packet, f);
  sim_port_send (c->vpc, packet);
}

static void
connector_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunConnectorNode *c = (CloudRunConnectorNode *) self;
  CloudRunSnatEntry *e;
  SimFrame f;

  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port != c->vpc)
    {
      connector_outbound (c, port, packet, &f);
      return;
    }
  /* From the VPC: only replies to flows the serverless side opened. */
  e = cloudrun_snat_inbound (&c->snat, &f);
  if (!e)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  port = e->inside;
  cloudrun_snat_translate_in (&c->snat, e, packet, &f);
  sim_port_send (port, packet);
}

static void
connector_clear (SimNode *self)
{
  CloudRunConnectorNode *c = (CloudRunConnectorNode *) self;

  cloudrun_snat_clear (&c->snat);
  g_ptr_array_free (c->attached, TRUE);
  g_free (c->name);
}

static const SimNodeClass connector_class = {
  .name = "connector",
  .size = sizeof (CloudRunConnectorNode),
  .receive = connector_receive,
  .clear = connector_clear,
};

CloudRunConnectorNode *
cloudrun_connector_new (CloudRunWorld *world, const VpcConnectorConfig *config)
{
  g_autofree char *name = g_strdup_printf ("connector-%s", config->name);
  CloudRunConnectorNode *c = (CloudRunConnectorNode *)
    sim_node_new (world->sim, &connector_class, name);

  c->base.world = world;
  c->name = g_strdup (config->name);
  c->vpc = sim_node_add_port (&c->base.node, "vpc");
  c->attached = g_ptr_array_new ();
  g_ptr_array_add (c->attached, NULL);
  /* .0 network, .1 gateway, .14 and .15 reserved: .2 .. .13 usable. */
  c->n_addrs = MIN (MAX (config->instances, 1u), 12u);
  for (unsigned i = 0; i < c->n_addrs; i++)
    c->addrs[i] = config->block.prefix + 2 + i;
  cloudrun_snat_init (&c->snat, CONNECTOR_PORTS_PER_CALLER);
  return c;
}

SimPort *
cloudrun_connector_attach (CloudRunConnectorNode *c, const char *port_name,
                           const CloudRunRevisionEgress *cfg)
{
  SimPort *port = sim_node_add_port (&c->base.node, port_name);

  g_assert (port->index == c->attached->len);
  g_ptr_array_add (c->attached, (gpointer) cfg);
  return port;
}
