/* Google products as callers (see models/world/product-caller.h). */
#include "models/world/product-caller.h"

#include "models/world/google.h"
#include "sim/wire.h"

static SimSendResult
caller_output (SimHost *host, void *user, SimPort *port, SimPacket *packet)
{
  CloudRunProductCaller *gc = user;

  (void) host;
  if (port == gc->fabric)
    cloudrun_fabric_wrap (packet, gc->fabric_addr, gc->gfe_fabric_addr,
                          &gc->identity);
  return sim_port_send (port, packet);
}

static void
caller_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunProductCaller *gc = (CloudRunProductCaller *) self;
  CloudRunFabricIdentity id;

  if (port == gc->fabric && !cloudrun_fabric_unwrap (packet, &id))
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  sim_host_receive (&gc->host, port, packet);
}

static void
caller_start (SimNode *self)
{
  cloudrun_requester_start (&((CloudRunProductCaller *) self)->requester);
}

static void
caller_clear (SimNode *self)
{
  CloudRunProductCaller *gc = (CloudRunProductCaller *) self;

  cloudrun_requester_clear (&gc->requester);
  sim_host_clear (&gc->host);
}

static const SimNodeClass product_caller_class = {
  .name = "product-caller",
  .size = sizeof (CloudRunProductCaller),
  .receive = caller_receive,
  .start = caller_start,
  .clear = caller_clear,
};

CloudRunProductCaller *
cloudrun_product_caller_new (CloudRunWorld *world, const char *name,
                            uint32_t addr, uint32_t resolver,
                            uint32_t fabric_addr, uint32_t gfe_fabric_addr,
                            const CloudRunFabricIdentity *identity)
{
  CloudRunProductCaller *gc = (CloudRunProductCaller *)
    sim_node_new (world->sim, &product_caller_class, name);
  SimPort *internet = sim_node_add_port (&gc->base.node, "internet");

  gc->base.world = world;
  sim_host_init (&gc->host, &gc->base.node, addr, internet);
  if (identity)
    {
      gc->fabric = sim_node_add_port (&gc->base.node, "fabric");
      gc->fabric_addr = fabric_addr;
      gc->gfe_fabric_addr = gfe_fabric_addr;
      gc->identity = *identity;
      /* The run.app front ends are reached inside Google. */
      sim_host_add_route (&gc->host, CLOUDRUN_GOOGLE_FRONT_ENDS,
                          CLOUDRUN_GOOGLE_FRONT_ENDS_LEN, gc->fabric);
    }
  gc->host.output = caller_output;
  gc->host.output_user = gc;
  cloudrun_requester_init (&gc->requester, &gc->base.node, &gc->host,
                           &world->ledger, CLOUDRUN_HOP_GOOGLE_PRODUCT,
                           CLOUDRUN_STATE_START_FROM_GOOGLE_SERVICE, resolver);
  return gc;
}

/* Cloud Tasks' own check of a task's target before it sends it. */
static bool
caller_tasks_gate (void *user, const CloudRunTrafficPlan *plan,
                   CloudRunRefusal *out)
{
  CloudRunProductCaller *gc = user;
  const char *why;

  if (cloudrun_perimeter_tasks_permit (gc->tasks_perimeter, plan->host,
                                       plan->id_token,
                                       sim_world_explain (gc->base.node.world),
                                       &why))
    return true;
  *out = (CloudRunRefusal) {
    .verdict = CLOUDRUN_VERDICT_DENIED_BY_VPC_SC,
    .cause = CLOUDRUN_DROP_TARGET_TYPE_NOT_PERMITTED_FOR_VPC,
    .rule = why,
    .note = "Google: tasks/docs/use-vpc-service-controls; the task fails "
            "in Cloud Tasks and no packet leaves",
  };
  return false;
}

void
cloudrun_product_caller_be_tasks (CloudRunProductCaller *gc,
                                  const CloudRunPerimeterPolicy *perimeter)
{
  gc->tasks_perimeter = perimeter;
  gc->requester.gate = caller_tasks_gate;
  gc->requester.gate_user = gc;
}
