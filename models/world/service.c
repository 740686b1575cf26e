/* Cloud Run services and instances (see models/world/service.h). */
#include "models/world/service.h"

#include <string.h>

#include "models/world/google.h"
#include "models/world/region-latency.h"

/* The instance's container got a whole request: it is delivered. */
static void
instance_served (CloudRunHttpServer *server, void *user,
                 const CloudRunProxySession *session)
{
  CloudRunInstance *inst = user;
  const SimHttpRequest *req = &session->request;
  uint32_t request = session->request_id;
  CloudRunWorld *world = inst->base.world;
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_SERVICE, .state = CLOUDRUN_STATE_DELIVER,
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "container of service %s answers 200 to %s %s",
                                 inst->service->name, req->method, req->path),
    .src = inst->service_peer, .dst = inst->host.addrs[0],
  };
  (void) server;
  cloudrun_request_step (&world->ledger, request, &inst->base.node, &s);
  cloudrun_request_seen (&world->ledger, request, CLOUDRUN_HOP_SERVICE,
                         session->client_addr,
                         session->v6 ? &session->client6 : NULL, req->host);
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
  CloudRunInstance *inst = (CloudRunInstance *) self;

  /* Started before the run: min-instances, a caller's first. */
  cloudrun_gauge_add (inst->service->instances_gauge, 0, inst->started);
  cloudrun_requester_start (&inst->requester);
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

/* ---- Instance heaps: binary min-heaps, each instance knowing its place
 * (heap_at, from 1), so that any of them moves in O(log n). ---------- */

static bool
heap_before (CloudRunHeapOrder order, const CloudRunInstance *a,
             const CloudRunInstance *b)
{
  if (order == CLOUDRUN_HEAP_SLOTS && a->in_flight != b->in_flight)
    return a->in_flight < b->in_flight;
  if (order == CLOUDRUN_HEAP_IDLE && a->retire_at != b->retire_at)
    return a->retire_at < b->retire_at;
  return a->index < b->index;
}

static CloudRunInstance *
heap_item (const CloudRunInstanceHeap *h, guint i)
{
  return g_ptr_array_index (h->items, i);
}

static void
heap_put (CloudRunInstanceHeap *h, guint i, CloudRunInstance *inst)
{
  h->items->pdata[i] = inst;
  inst->heap_at[h->order] = i + 1;
}

/* Moves the item at i up or down to its place. */
static void
heap_fix (CloudRunInstanceHeap *h, guint i)
{
  CloudRunInstance *inst = heap_item (h, i);
  guint n = h->items->len;

  while (i > 0 && heap_before (h->order, inst, heap_item (h, (i - 1) / 2)))
    {
      heap_put (h, i, heap_item (h, (i - 1) / 2));
      i = (i - 1) / 2;
    }
  for (;;)
    {
      guint c = 2 * i + 1;
      if (c + 1 < n && heap_before (h->order, heap_item (h, c + 1),
                                    heap_item (h, c)))
        c++;
      if (c >= n || !heap_before (h->order, heap_item (h, c), inst))
        break;
      heap_put (h, i, heap_item (h, c));
      i = c;
    }
  heap_put (h, i, inst);
}

static void
heap_init (CloudRunInstanceHeap *h, CloudRunHeapOrder order)
{
  h->items = g_ptr_array_new ();
  h->order = order;
}

static CloudRunInstance *
heap_first (const CloudRunInstanceHeap *h)
{
  return h->items->len > 0 ? heap_item (h, 0) : NULL;
}

static void
heap_add (CloudRunInstanceHeap *h, CloudRunInstance *inst)
{
  g_ptr_array_add (h->items, inst);
  heap_fix (h, h->items->len - 1);
}

static void
heap_remove (CloudRunInstanceHeap *h, CloudRunInstance *inst)
{
  guint i = inst->heap_at[h->order] - 1;
  CloudRunInstance *last = g_ptr_array_steal_index_fast (h->items,
                                                         h->items->len - 1);

  inst->heap_at[h->order] = 0;
  if (last == inst)
    return;
  heap_put (h, i, last);
  heap_fix (h, i);
}

/* ---- Instance states ---------------------------------------------- */

/* inst went idle: beyond min-instances, it may retire. */
static void
instance_idles (CloudRunInstance *inst)
{
  CloudRunServiceNode *svc = inst->service;

  if (inst->index < svc->min_instances || svc->idle_timeout == 0)
    return;
  inst->retire_at = MAX (inst->idle_since, inst->ready_at) + svc->idle_timeout;
  heap_add (&svc->idle, inst);
}

/* inst starts, ready at ready_at. */
static void
instance_starts (CloudRunInstance *inst, SimTime ready_at)
{
  CloudRunServiceNode *svc = inst->service;

  if (inst->heap_at[CLOUDRUN_HEAP_STOPPED])
    heap_remove (&svc->stopped, inst);
  inst->started = true;
  inst->ready_at = ready_at;
  svc->running++;
  heap_add (&svc->slots, inst);
}

/* One more instance node, serving at the next address; attached to the
 * GFE through the service's attach hook. */
CloudRunInstance *
cloudrun_service_add_instance (CloudRunServiceNode *svc)
{
  CloudRunWorld *world = svc->world;
  uint32_t i = svc->instances->len;
  g_autofree char *name = g_strdup_printf ("%s-%u", svc->revision
                                                    ? svc->revision
                                                    : svc->name, i + 1);
  CloudRunInstance *inst = (CloudRunInstance *)
    sim_node_new (world->sim, &instance_class, name);
  SimPort *port = sim_node_add_port (&inst->base.node, "eth0");

  inst->base.world = world;
  inst->service = svc;
  inst->index = i;
  sim_host_init (&inst->host, &inst->base.node, svc->base_addr + i, port);
  inst->host.origin = cloudrun_region_origin (svc->region);
  cloudrun_http_server_init (&inst->http, &inst->host, 0,
                             svc->response_size, instance_served, inst);
  cloudrun_http_server_set_service_time (&inst->http, &svc->service_time);
  cloudrun_requester_init (&inst->requester, &inst->base.node, &inst->host,
                           &world->ledger, CLOUDRUN_HOP_SERVICE,
                           CLOUDRUN_STATE_START_FROM_CLOUD_RUN_REVISION,
                           CLOUDRUN_METADATA_ADDR);
  g_ptr_array_add (svc->instances, inst);
  if (i < svc->min_instances)
    instance_starts (inst, 0);
  else
    heap_add (&svc->stopped, inst);
  if (svc->attach)
    svc->attach (inst, svc->attach_user);
  return inst;
}

void
cloudrun_service_start_early (CloudRunInstance *inst)
{
  if (inst->started)
    return;
  instance_starts (inst, 0);
  instance_idles (inst);
}

static const IamPrincipal *
service_copy_invokers (const IamPrincipal *from, guint n)
{
  IamPrincipal *to = g_new (IamPrincipal, n);

  for (guint i = 0; i < n; i++)
    to[i] = (IamPrincipal) { from[i].kind, g_strdup (from[i].email) };
  return to;
}

/* Its load over time, under the revision's NAME when it has one. */
static void
service_gauges (CloudRunServiceNode *svc)
{
  CloudRunWorld *world = svc->world;
  const char *name = svc->revision ? svc->revision : svc->name;

  svc->in_flight_gauge = cloudrun_world_gauge (world, "service", name,
                                               "in_flight");
  svc->instances_gauge = cloudrun_world_gauge (world, "service", name,
                                               "instances");
  cloudrun_pending_record (&svc->pending,
                           cloudrun_world_gauge (world, "service", name,
                                                 "queue"), world->sim);
}

/* Registers svc's hosts: a lead owns the service's URL hosts and mapped
 * domains (and with revisions the split's stream), any revision its tag
 * hosts. */
static void
service_join (CloudRunServiceNode *svc, CloudRunServiceNode *lead)
{
  GHashTable *hosts = svc->world->hosts;

  svc->lead = lead ? lead : svc;
  svc->revisions = NULL;
  if (!lead)
    {
      g_hash_table_insert (hosts, svc->hash_host, svc);
      g_hash_table_insert (hosts, svc->number_host, svc);
      for (guint i = 0; svc->domains && svc->domains[i]; i++)
        g_hash_table_insert (hosts, (char *) svc->domains[i], svc);
      if (svc->revision)
        {
          svc->revisions = g_ptr_array_new ();
          sim_rng_init (&svc->split_rng, sim_world_seed (svc->world->sim),
                        svc->name, "traffic-split");
        }
    }
  if (svc->lead->revisions)
    g_ptr_array_add (svc->lead->revisions, svc);
  if (svc->tag_hash_host)
    {
      g_hash_table_insert (hosts, svc->tag_hash_host, svc);
      g_hash_table_insert (hosts, svc->tag_number_host, svc);
    }
}

CloudRunServiceNode *
cloudrun_service_pick_revision (CloudRunServiceNode *svc, const char *host,
                                bool *tagged)
{
  CloudRunServiceNode *lead = svc->lead;
  uint32_t draw, sum = 0;

  *tagged = false;
  if (!lead->revisions)
    return svc;
  if (svc->tag_hash_host && (strcmp (host, svc->tag_hash_host) == 0
                             || strcmp (host, svc->tag_number_host) == 0))
    {
      *tagged = true;
      return svc;
    }
  draw = sim_rng_below (&lead->split_rng, 100);
  for (guint i = 0; i < lead->revisions->len; i++)
    {
      CloudRunServiceNode *r = g_ptr_array_index (lead->revisions, i);
      sum += r->percent;
      if (draw < sum)
        return r;
    }
  g_assert_not_reached ();
}

CloudRunServiceNode *
cloudrun_service_new (CloudRunWorld *world, const CloudRunServiceNode *config)
{
  CloudRunServiceNode *svc = g_new0 (CloudRunServiceNode, 1);

  *svc = *config;
  svc->world = world;
  svc->name = g_strdup (config->name);
  svc->revision = g_strdup (config->revision);
  svc->tag_hash_host = g_strdup (config->tag_hash_host);
  svc->tag_number_host = g_strdup (config->tag_number_host);
  svc->project = g_strdup (config->project);
  svc->region = g_strdup (config->region);
  svc->hash_host = g_strdup (config->hash_host);
  svc->number_host = g_strdup (config->number_host);
  svc->service_account = g_strdup (config->service_account);
  svc->custom_audiences = (const char *const *)
    g_strdupv ((char **) config->custom_audiences);
  svc->domains = (const char *const *) g_strdupv ((char **) config->domains);
  g_assert (config->n_invokers > 0);
  svc->invokers = service_copy_invokers (config->invokers,
                                         config->n_invokers);
  cloudrun_iap_init (&svc->iap, &config->iap_config);
  svc->iap_config = (CloudRunIapConfig) { 0 };
  svc->instances = g_ptr_array_new ();
  heap_init (&svc->slots, CLOUDRUN_HEAP_SLOTS);
  heap_init (&svc->stopped, CLOUDRUN_HEAP_STOPPED);
  heap_init (&svc->idle, CLOUDRUN_HEAP_IDLE);
  g_queue_init (&svc->ip_retired);
  cloudrun_pending_init (&svc->pending, config->pending_wait
                         ? config->pending_wait
                         : cloudrun_pending_documented_wait (svc->cold_start));
  service_gauges (svc);
  for (uint32_t i = 0; i < MAX (1u, svc->min_instances); i++)
    cloudrun_service_add_instance (svc);
  service_join (svc, config->lead);
  g_ptr_array_add (world->services, svc);
  return svc;
}

void
cloudrun_service_free (CloudRunServiceNode *svc)
{
  if (!svc)
    return;
  g_ptr_array_free (svc->instances, TRUE);
  g_ptr_array_free (svc->slots.items, TRUE);
  g_ptr_array_free (svc->stopped.items, TRUE);
  g_ptr_array_free (svc->idle.items, TRUE);
  g_queue_clear_full (&svc->ip_retired, g_free);
  cloudrun_pending_clear (&svc->pending);
  g_clear_pointer (&svc->ip_blocks, g_array_unref);
  g_free (svc->name);
  g_free (svc->revision);
  g_free (svc->tag_hash_host);
  g_free (svc->tag_number_host);
  if (svc->revisions)
    g_ptr_array_free (svc->revisions, TRUE);
  g_free (svc->project);
  g_free (svc->region);
  g_free (svc->hash_host);
  g_free (svc->number_host);
  g_free ((char *) svc->service_account);
  g_strfreev ((char **) svc->custom_audiences);
  g_strfreev ((char **) svc->domains);
  for (guint i = 0; i < svc->n_invokers; i++)
    g_free ((char *) svc->invokers[i].email);
  g_free ((IamPrincipal *) svc->invokers);
  cloudrun_iap_clear (&svc->iap);
  g_free (svc);
}

void
cloudrun_address_pool_free (CloudRunAddressPool *pool)
{
  if (!pool)
    return;
  g_free (pool->subnet);
  g_array_unref (pool->free_blocks);
  g_free (pool);
}

void
cloudrun_service_use_addresses (CloudRunServiceNode *svc,
                                CloudRunAddressPool *pool, uint32_t factor)
{
  svc->ip_pool = pool;
  svc->ip_factor = MAX (1u, factor);
  pool->held = cloudrun_world_gauge (svc->world, "subnet", pool->subnet,
                                     "addresses");
  cloudrun_gauge_add (pool->held, 0, svc->ip_held);
  if (!svc->ip_blocks)
    svc->ip_blocks = g_array_new (FALSE, FALSE, sizeof (uint32_t));
}

void
cloudrun_service_hold_block (CloudRunServiceNode *svc, uint32_t usable)
{
  if (!svc->ip_blocks)
    svc->ip_blocks = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  g_array_append_val (svc->ip_blocks, usable);
  svc->ip_held += usable;
}

/* A retirement whose addresses stay held until then (ip_retired). */
typedef struct {
  CloudRunInstance *inst;
  SimTime until;
} RetiredHold;

/* Instances that hold addresses at now: started, or retired less than
 * CLOUDRUN_DIRECT_VPC_ADDRESS_HOLD ago. Holds end in the order they
 * began, so ip_retired drops them from its head; one whose instance
 * started again (ip_held_until changed) was already uncounted. */
static uint32_t
service_ip_users (CloudRunServiceNode *svc, SimTime now)
{
  RetiredHold *h;

  while ((h = g_queue_peek_head (&svc->ip_retired)) && now >= h->until)
    {
      svc->ip_holding -= h->inst->ip_held_until == h->until;
      g_free (g_queue_pop_head (&svc->ip_retired));
    }
  return svc->running + svc->ip_holding;
}

/* Holds the blocks users instances need: takes from the pool (FALSE when
 * it has too few) and gives back what is no longer needed. */
static bool
service_ip_hold (CloudRunServiceNode *svc, uint32_t users)
{
  GArray *pool = svc->ip_pool->free_blocks;
  uint64_t need = (uint64_t) users * svc->ip_factor;

  while (svc->ip_held < need)
    {
      uint32_t block;
      if (pool->len == 0)
        return false;
      block = g_array_index (pool, uint32_t, pool->len - 1);
      g_array_set_size (pool, pool->len - 1);
      g_array_append_val (svc->ip_blocks, block);
      svc->ip_held += block;
      cloudrun_gauge_add (svc->ip_pool->held,
                          sim_world_now (svc->world->sim), block);
    }
  while (svc->ip_blocks->len > 0)
    {
      uint32_t last = g_array_index (svc->ip_blocks, uint32_t,
                                     svc->ip_blocks->len - 1);
      if (svc->ip_held - last < need)
        break;
      g_array_set_size (svc->ip_blocks, svc->ip_blocks->len - 1);
      g_array_append_val (pool, last);
      svc->ip_held -= last;
      cloudrun_gauge_add (svc->ip_pool->held,
                          sim_world_now (svc->world->sim), -(int64_t) last);
    }
  return true;
}

/* Whether one more instance may start now: always, unless Direct VPC's
 * subnet has no block left for its addresses. */
static bool
service_may_start (CloudRunServiceNode *svc, SimTime now, uint32_t more)
{
  if (!svc->ip_pool)
    return true;
  if (service_ip_hold (svc, service_ip_users (svc, now) + more))
    return true;
  svc->ip_short = true;
  service_ip_hold (svc, service_ip_users (svc, now));
  return false;
}

/* inst, idle beyond min-instances long enough, retires. */
static void
instance_retires (CloudRunInstance *inst, SimTime now)
{
  CloudRunServiceNode *svc = inst->service;

  heap_remove (&svc->idle, inst);
  heap_remove (&svc->slots, inst);
  heap_add (&svc->stopped, inst);
  inst->started = false;
  inst->retirements++;
  inst->ip_held_until = now + CLOUDRUN_DIRECT_VPC_ADDRESS_HOLD;
  svc->running--;
  svc->retired++;
  cloudrun_gauge_add (svc->instances_gauge, now, -1);
  if (svc->ip_pool)
    {
      RetiredHold *h = g_new (RetiredHold, 1);
      *h = (RetiredHold) { inst, inst->ip_held_until };
      g_queue_push_tail (&svc->ip_retired, h);
      svc->ip_holding++;
    }
}

CloudRunInstance *
cloudrun_service_acquire (CloudRunServiceNode *svc, SimTime now, bool *cold)
{
  CloudRunInstance *best, *idle;

  *cold = false;
  svc->ip_short = false;
  /* Instances beyond min-instances idle long enough have retired. */
  while ((idle = heap_first (&svc->idle)) && now >= idle->retire_at)
    instance_retires (idle, now);
  /* The least loaded started instance with a free slot, else the first
   * not started. */
  best = heap_first (&svc->slots);
  if (!best)
    best = heap_first (&svc->stopped);
  /* An instance starting needs its addresses (a retired one may still
   * hold its own); then scale out, up to max-instances. */
  if (best && !best->started
      && !service_may_start (svc, now, now < best->ip_held_until ? 0 : 1))
    return NULL;
  if (!best && svc->instances->len < svc->max_instances)
    {
      if (!service_may_start (svc, now, 1))
        return NULL;
      best = cloudrun_service_add_instance (svc);
    }
  if (!best)
    return NULL;
  if (!best->started)
    {
      /* service_may_start counted holds at now: this one no longer is. */
      if (svc->ip_pool && now < best->ip_held_until)
        svc->ip_holding--;
      best->ip_held_until = 0;
      instance_starts (best, now + svc->cold_start);
      *cold = true;
      cloudrun_gauge_add (svc->instances_gauge, now, 1);
    }
  if (best->in_flight == 0 && best->heap_at[CLOUDRUN_HEAP_IDLE])
    heap_remove (&svc->idle, best);
  best->in_flight++;
  svc->requests++;
  cloudrun_gauge_add (svc->in_flight_gauge, now, 1);
  if (best->in_flight >= svc->concurrency)
    heap_remove (&svc->slots, best);
  else
    heap_fix (&svc->slots, best->heap_at[CLOUDRUN_HEAP_SLOTS] - 1);
  return best;
}

void
cloudrun_service_release (CloudRunInstance *inst)
{
  CloudRunServiceNode *svc = inst->service;
  SimTime now = sim_world_now (inst->base.node.world);

  g_assert (inst->in_flight > 0);
  cloudrun_gauge_add (inst->service->in_flight_gauge, now, -1);
  inst->in_flight--;
  if (inst->heap_at[CLOUDRUN_HEAP_SLOTS])
    heap_fix (&svc->slots, inst->heap_at[CLOUDRUN_HEAP_SLOTS] - 1);
  else
    heap_add (&svc->slots, inst);
  if (inst->in_flight == 0)
    {
      inst->idle_since = now;
      instance_idles (inst);
    }
}
