/* PSC endpoints for Google APIs (see models/world/psc.h). */
#include "models/world/psc.h"

#include "sim/wire.h"

static void
psc_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunPscNode *p = (CloudRunPscNode *) self;
  CloudRunWorld *world = p->base.world;
  CloudRunFabricIdentity id;
  SimFrame f;

  if (port == p->google)
    {
      if (!cloudrun_fabric_unwrap (packet, &id))
        {
          sim_packet_release (sim_world_pool (self->world), packet);
          return;
        }
      sim_port_send (p->vpc, packet);
      return;
    }
  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (sim_frame_opens_tcp (&f))
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_PSC_ENDPOINT, .state = CLOUDRUN_STATE_APPLY_ROUTE,
        .rule = sim_explain_internf (sim_world_explain (world->sim),
                                     "PSC endpoint %s (%s, GOOGLE_API_PSC) "
                                     "forwards to Google's front ends",
                                     p->name,
                                     vpc_psc_bundle_name (p->bundle)),
        .note = sim_explain_internf (sim_world_explain (world->sim),
                                     "with network %s's identity (Geneve VNI "
                                     "%u, project %" G_GUINT64_FORMAT ")",
                                     p->network,
                                     p->identity.vni,
                                     p->identity.project_number),
        .src = f.src, .dst = f.dst,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             self, &s);
    }
  cloudrun_fabric_wrap (packet, p->fabric_addr, p->gfe_fabric_addr,
                        &p->identity);
  sim_port_send (p->google, packet);
}

static void
psc_clear (SimNode *self)
{
  CloudRunPscNode *p = (CloudRunPscNode *) self;

  g_free (p->name);
  g_free (p->network);
}

static const SimNodeClass psc_class = {
  .name = "psc-endpoint",
  .size = sizeof (CloudRunPscNode),
  .receive = psc_receive,
  .clear = psc_clear,
};

CloudRunPscNode *
cloudrun_psc_new (CloudRunWorld *world, const VpcPscConfig *config,
                  uint32_t fabric_addr, uint32_t gfe_fabric_addr)
{
  g_autofree char *name = g_strdup_printf ("psc-%s", config->name);
  CloudRunPscNode *p = (CloudRunPscNode *) sim_node_new (world->sim,
                                                         &psc_class, name);

  p->base.world = world;
  p->name = g_strdup (config->name);
  p->network = g_strdup (config->network);
  p->bundle = config->bundle;
  p->vpc = sim_node_add_port (&p->base.node, "vpc");
  p->google = sim_node_add_port (&p->base.node, "google");
  p->identity = (CloudRunFabricIdentity) {
    CLOUDRUN_FABRIC_VPC, config->vni, config->project_number };
  p->fabric_addr = fabric_addr;
  p->gfe_fabric_addr = gfe_fabric_addr;
  return p;
}
