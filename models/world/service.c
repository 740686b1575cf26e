/* Cloud Run services and instances (see models/world/service.h). */
#include "models/world/service.h"

#include <string.h>

#include "models/world/google.h"

/* The instance's container got a whole request: it is delivered. */
static void
instance_served (CloudRunHttpServer *server, void *user, uint32_t request,
                 const SimHttpRequest *req)
{
  CloudRunInstance *inst = user;
  CloudRunWorld *world = inst->base.world;
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_SERVICE, .state = "DELIVER",
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "container of service %s answers 200 to %s %s",
                                 inst->service->name, req->method, req->path),
    .src = inst->service_peer, .dst = inst->host.addrs[0],
  };
  (void) server;
  cloudrun_request_step (&world->ledger, request, &inst->base.node, &s);
  cloudrun_request_decide (&world->ledger, request, CLOUDRUN_VERDICT_DELIVERED,
                           CLOUDRUN_HOP_SERVICE, &inst->base.node, CLOUDRUN_DROP_NONE);
}

static void
instance_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunInstance *inst = (CloudRunInstance *) self;

  sim_host_receive (&inst->host, port, packet);
}

static void
instance_start (SimNode *self)
{
  cloudrun_requester_start (&((CloudRunInstance *) self)->requester);
}

static void
instance_clear (SimNode *self)
{
  CloudRunInstance *inst = (CloudRunInstance *) self;

  cloudrun_requester_clear (&inst->requester);
  cloudrun_http_server_clear (&inst->http);
  sim_host_clear (&inst->host);
}

static const SimNodeClass instance_class = {
  .name = "cloud-run-instance",
  .size = sizeof (CloudRunInstance),
  .receive = instance_receive,
  .start = instance_start,
  .clear = instance_clear,
};

/* One more instance node, serving at the next address; attached to the
 * GFE through the service's attach hook. */
CloudRunInstance *
cloudrun_service_add_instance (CloudRunServiceNode *svc)
{
  CloudRunWorld *world = svc->world;
  uint32_t i = svc->instances->len;
  g_autofree char *name = g_strdup_printf ("%s-%u", svc->name, i + 1);
  CloudRunInstance *inst = (CloudRunInstance *)
    sim_node_new (world->sim, &instance_class, name);
  SimPort *port = sim_node_add_port (&inst->base.node, "eth0");

  inst->base.world = world;
  inst->service = svc;
  inst->index = i;
  inst->started = i < svc->min_instances;
  sim_host_init (&inst->host, &inst->base.node, svc->base_addr + i, port);
  cloudrun_http_server_init (&inst->http, &inst->host, 0,
                             svc->response_size, instance_served, inst);
  cloudrun_http_server_set_service_time (&inst->http, &svc->service_time);
  cloudrun_requester_init (&inst->requester, &inst->base.node, &inst->host,
                           &world->ledger, CLOUDRUN_HOP_SERVICE,
                           "START_FROM_CLOUD_RUN_REVISION",
                           CLOUDRUN_METADATA_ADDR);
  g_ptr_array_add (svc->instances, inst);
  if (svc->attach)
    svc->attach (inst, svc->attach_user);
  return inst;
}

static const IamPrincipal *
service_copy_invokers (const IamPrincipal *from, guint n)
{
  IamPrincipal *to = g_new (IamPrincipal, n);

  for (guint i = 0; i < n; i++)
    to[i] = (IamPrincipal) { from[i].kind, g_strdup (from[i].email) };
  return to;
}

CloudRunServiceNode *
cloudrun_service_new (CloudRunWorld *world, const CloudRunServiceNode *config)
{
  CloudRunServiceNode *svc = g_new0 (CloudRunServiceNode, 1);

  *svc = *config;
  svc->world = world;
  svc->name = g_strdup (config->name);
  svc->project = g_strdup (config->project);
  svc->region = g_strdup (config->region);
  svc->hash_host = g_strdup (config->hash_host);
  svc->number_host = g_strdup (config->number_host);
  svc->service_account = g_strdup (config->service_account);
  g_assert (config->n_invokers > 0);
  svc->invokers = service_copy_invokers (config->invokers,
                                         config->n_invokers);
  svc->instances = g_ptr_array_new ();
  cloudrun_pending_init (&svc->pending, config->pending_wait
                         ? config->pending_wait
                         : cloudrun_pending_documented_wait (svc->cold_start));
  for (uint32_t i = 0; i < MAX (1u, svc->min_instances); i++)
    cloudrun_service_add_instance (svc);
  g_hash_table_insert (world->hosts, svc->hash_host, svc);
  g_hash_table_insert (world->hosts, svc->number_host, svc);
  g_ptr_array_add (world->services, svc);
  return svc;
}

void
cloudrun_service_free (CloudRunServiceNode *svc)
{
  if (!svc)
    return;
  g_ptr_array_free (svc->instances, TRUE);
  cloudrun_pending_clear (&svc->pending);
  g_free (svc->name);
  g_free (svc->project);
  g_free (svc->region);
  g_free (svc->hash_host);
  g_free (svc->number_host);
  g_free ((char *) svc->service_account);
  for (guint i = 0; i < svc->n_invokers; i++)
    g_free ((char *) svc->invokers[i].email);
  g_free ((IamPrincipal *) svc->invokers);
  g_free (svc);
}

CloudRunInstance *
cloudrun_service_acquire (CloudRunServiceNode *svc, SimTime now, bool *cold)
{
  CloudRunInstance *best = NULL;

  *cold = false;
  /* Instances beyond min-instances idle long enough have retired. */
  for (guint i = svc->min_instances; svc->idle_timeout > 0
                                     && i < svc->instances->len; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);
      if (inst->started && inst->in_flight == 0 && now >= inst->ready_at
          && now - MAX (inst->idle_since, inst->ready_at) >= svc->idle_timeout)
        {
          inst->started = false;
          inst->retirements++;
          svc->retired++;
        }
    }
  /* The least loaded started instance with a free slot (lowest index on a
   * tie, so the choice is deterministic). */
  for (guint i = 0; i < svc->instances->len; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);
      if (inst->started && inst->in_flight < svc->concurrency
          && (!best || inst->in_flight < best->in_flight))
        best = inst;
    }
  for (guint i = 0; !best && i < svc->instances->len; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);
      if (!inst->started)
        best = inst;
    }
  /* Scale out: a new instance, up to max-instances. */
  if (!best && svc->instances->len < MIN (svc->max_instances,
                                          CLOUDRUN_MAX_INSTANCE_NODES))
    best = cloudrun_service_add_instance (svc);
  if (best && !best->started)
    {
      best->started = true;
      best->ready_at = now + svc->cold_start;
      *cold = true;
    }
  if (best)
    {
      best->in_flight++;
      svc->requests++;
    }
  return best;
}

void
cloudrun_service_release (CloudRunInstance *inst)
{
  g_assert (inst->in_flight > 0);
  if (--inst->in_flight == 0)
    inst->idle_since = sim_world_now (inst->base.node.world);
}
