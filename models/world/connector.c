/* Serverless VPC Access connectors (see models/world/connector.h). */
#include "models/world/connector.h"

#include "sim/link.h"

/* Each caller instance gets this many ports of each connector instance. */
#define CONNECTOR_PORTS_PER_CALLER 2048u

static CloudRunConnectorInstance *
connector_instance_of (CloudRunConnectorNode *c, uint32_t addr)
{
  uint32_t i = addr - c->prefix - 2;

  g_assert (i < c->n_started);
  return &c->instances[i];
}

static void
connector_start_instance (CloudRunConnectorNode *c, SimTime ready_at)
{
  CloudRunConnectorInstance *inst = &c->instances[c->n_started++];

  inst->started = true;
  inst->ready_at = ready_at;
}

/* Ends the scale-out windows that are over: the first one over decides,
 * from what its instances carried, whether one more instance starts. */
static void
connector_scale (CloudRunConnectorNode *c, SimTime now)
{
  SimTime window = CLOUDRUN_CONNECTOR_WINDOW;
  SimTime busy[2] = { 0, 0 };
  unsigned ready = 0;

  if (now < c->window_start + window)
    return;
  for (unsigned i = 0; i < c->n_started; i++)
    {
      CloudRunConnectorInstance *inst = &c->instances[i];

      if (inst->ready_at <= c->window_start)
        ready++;
      for (int d = 0; d < 2; d++)
        {
          busy[d] += inst->busy[d];
          inst->busy[d] = 0;
        }
    }
  if (c->n_started < c->max_instances
      && c->instances[c->n_started - 1].ready_at <= now
      && (c->window_drops > 0
          || (ready > 0 && MAX (busy[0], busy[1]) * 100 > (SimTime) ready * window
                                           * CLOUDRUN_CONNECTOR_BUSY_PCT)))
    {
      connector_start_instance (c, now + c->start_time);
      cloudrun_gauge_set (c->instances_gauge, now, c->n_started);
    }
  c->window_drops = 0;
  c->window_start = now - (now - c->window_start) % window;
}

/* The running instance whose queues empty first; ties go round, from the
 * one after the instance given the last new flow. */
static uint32_t
connector_pick (CloudRunConnectorNode *c, SimTime now)
{
  CloudRunConnectorInstance *best = NULL;
  SimTime best_free = 0;

  for (unsigned k = 0; k < c->n_started; k++)
    {
      CloudRunConnectorInstance *inst =
        &c->instances[(c->next_pick + k) % c->n_started];
      SimTime free_at = MAX (inst->free_at[0], inst->free_at[1]);

      if (inst->ready_at > now)
        continue;
      free_at = MAX (free_at, now);
      if (!best || free_at < best_free)
        {
          best = inst;
          best_free = free_at;
        }
    }
  g_assert (best);
  return best->addr;
}

static void
connector_depart (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  CloudRunConnectorNode *c = target;
  CloudRunConnectorInstance *inst = &c->instances[u & 0xff];
  int dir = (int) (u >> 8) & 1;
  SimPort *port = g_ptr_array_index (c->base.node.ports, u >> 9);
  SimPacket *packet = inst->head[dir];

  (void) kernel;
  (void) arg;
  /* Departures of one queue fire in the order they were queued. */
  inst->head[dir] = packet->next;
  if (!inst->head[dir])
    inst->tail[dir] = NULL;
  packet->next = NULL;
  inst->queued[dir]--;
  sim_port_send (port, packet);
}

/* A packet the full queue of inst could not take: a DROP step of its
 * request, which TCP may still recover. */
static void
connector_drop (CloudRunConnectorNode *c, CloudRunConnectorInstance *inst,
                int dir, SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = c->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  char a[16];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_CONNECTOR, .state = CLOUDRUN_STATE_DROP,
    .cause = CLOUDRUN_DROP_VPC_CONNECTOR_QUEUE_FULL,
    .src = f->src, .dst = f->dst,
    .note = "the simulator's own cause: Connectivity Tests has none for it",
  };

  inst->dropped++;
  c->window_drops++;
  s.rule = sim_explain_internf (log, "connector %s: instance %s's queue %s "
                                "the VPC is full (%u packets)", c->name,
                                sim_ipv4_to_string (inst->addr, a),
                                dir == CONNECTOR_TO_VPC ? "into" : "from",
                                CLOUDRUN_CONNECTOR_QUEUE_PACKETS);
  cloudrun_request_step (&world->ledger, packet->request_id, &c->base.node,
                         &s);
  sim_packet_release (sim_world_pool (world->sim), packet);
}

/* Queues packet on inst's queue in direction dir, to leave by port when
 * the instance has sent what is ahead of it and the packet itself; the
 * wait ahead of it, or -1 when the queue was full and it was dropped. */
static SimTime
connector_forward (CloudRunConnectorNode *c, CloudRunConnectorInstance *inst,
                   int dir, SimPort *port, SimPacket *packet,
                   const SimFrame *f)
{
  SimKernel *kernel = sim_world_kernel (c->base.world->sim);
  SimTime now = sim_kernel_now (kernel);
  SimTime start = MAX (now, inst->free_at[dir]);
  SimTime tx = sim_link_serialization (c->rate_bps, packet->len);

  if (inst->queued[dir] >= CLOUDRUN_CONNECTOR_QUEUE_PACKETS)
    {
      connector_drop (c, inst, dir, packet, f);
      return -1;
    }
  inst->free_at[dir] = start + tx;
  inst->busy[dir] += tx;
  inst->queued[dir]++;
  packet->next = NULL;
  if (inst->tail[dir])
    inst->tail[dir]->next = packet;
  else
    inst->head[dir] = packet;
  inst->tail[dir] = packet;
  sim_kernel_schedule (kernel, start + tx, connector_depart, c, NULL,
                       (uint64_t) port->index << 9 | (uint64_t) dir << 8
                       | (uint64_t) (inst - c->instances));
  return start - now;
}

/* A wait of a millisecond or more behind other traffic is a step of the
 * request (its first such wait; later ones reuse the step). */
static void
connector_note_wait (CloudRunConnectorNode *c,
                     const CloudRunConnectorInstance *inst, int dir,
                     uint32_t request_id, const SimFrame *f, SimTime wait)
{
  CloudRunWorld *world = c->base.world;
  char a[16];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_CONNECTOR, .state = CLOUDRUN_STATE_CONNECTOR_QUEUE,
    /* The request passed the connector at ARRIVE_AT_VPC_CONNECTOR; a
     * wait, in either direction and whenever it comes, adds no hop. */
    .aside = true,
    .src = f->src, .dst = f->dst,
    .note = "the simulator's own step: Connectivity Tests has none for it",
  };

  if (wait < CLOUDRUN_CONNECTOR_NOTED_WAIT)
    return;
  s.rule = sim_explain_internf (sim_world_explain (world->sim),
                                "connector %s: a packet waited %.3f ms in "
                                "instance %s's queue %s the VPC (%u packets "
                                "queued, %" G_GUINT64_FORMAT " bit/s)",
                                c->name, (double) wait / SIM_MS,
                                sim_ipv4_to_string (inst->addr, a),
                                dir == CONNECTOR_TO_VPC ? "into" : "from",
                                inst->queued[dir], c->rate_bps);
  cloudrun_request_step (&world->ledger, request_id, &c->base.node, &s);
}

static void
connector_outbound (CloudRunConnectorNode *c, SimPort *port,
                    SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = c->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  SimTime now = sim_world_now (world->sim);
  const CloudRunEgressSide *side = &g_array_index (c->attached,
                                                   CloudRunEgressSide,
                                                   port->index);
  CloudRunConnectorInstance *inst;
  bool created;
  CloudRunSnatEntry *e;
  uint32_t request_id = packet->request_id;
  SimTime wait;

  connector_scale (c, now);
  e = cloudrun_snat_outbound (&c->snat, f, connector_pick (c, now), port,
                              &created);
  if (!e)
    {
      sim_packet_release (sim_world_pool (world->sim), packet);
      return;
    }
  inst = connector_instance_of (c, e->nat_addr);
  if (created)
    {
      inst->flows++;
      c->next_pick = (unsigned) (inst - c->instances) + 1;
    }
  cloudrun_snat_translate_out (&c->snat, e, packet, f);
  wait = connector_forward (c, inst, CONNECTOR_TO_VPC, c->vpc, packet, f);
  if (!created)
    connector_note_wait (c, inst, CONNECTOR_TO_VPC, request_id, f, wait);
  if (created && f->proto == SIM_IPPROTO_TCP && wait >= 0)
    {
      char a[16];
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_CONNECTOR,
        .state = CLOUDRUN_STATE_ARRIVE_AT_VPC_CONNECTOR,
        .rule = cloudrun_egress_why (side, f->dst, log),
        .src = f->src, .dst = f->dst, .src_after = inst->addr,
      };

      sim_ipv4_to_string (inst->addr, a);
      s.note = wait > 0
        ? sim_explain_internf (log, "connector %s: source translated to its "
                               "instance %s (SERVERLESS_VPC_ACCESS), which "
                               "sends it after %.3f ms in its queue",
                               c->name, a, (double) wait / SIM_MS)
        : sim_explain_internf (log, "connector %s: source translated to its "
                               "instance %s (SERVERLESS_VPC_ACCESS)",
                               c->name, a);
      cloudrun_request_step (&world->ledger, request_id, &c->base.node, &s);
    }
}

static void
connector_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunConnectorNode *c = (CloudRunConnectorNode *) self;
  CloudRunConnectorInstance *inst;
  CloudRunSnatEntry *e;
  uint32_t request_id;
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
  connector_scale (c, sim_world_now (self->world));
  port = e->inside;
  inst = connector_instance_of (c, e->nat_addr);
  request_id = packet->request_id;
  cloudrun_snat_translate_in (&c->snat, e, packet, &f);
  connector_note_wait (c, inst, CONNECTOR_FROM_VPC, request_id, &f,
                       connector_forward (c, inst, CONNECTOR_FROM_VPC, port,
                                          packet, &f));
}

static void
connector_clear (SimNode *self)
{
  CloudRunConnectorNode *c = (CloudRunConnectorNode *) self;

  /* Packets still queued when the run ended. */
  for (unsigned i = 0; i < c->n_started; i++)
    for (int d = 0; d < 2; d++)
      while (c->instances[i].head[d])
        {
          SimPacket *p = c->instances[i].head[d];

          c->instances[i].head[d] = p->next;
          p->next = NULL;
          sim_packet_release (sim_world_pool (self->world), p);
        }
  cloudrun_snat_clear (&c->snat);
  g_array_free (c->attached, TRUE);
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
  unsigned max = CLOUDRUN_CONNECTOR_MAX_INSTANCES;

  c->base.world = world;
  c->name = g_strdup (config->name);
  c->vpc = sim_node_add_port (&c->base.node, "vpc");
  c->attached = g_array_new (FALSE, TRUE, sizeof (CloudRunEgressSide));
  g_array_set_size (c->attached, 1);
  c->prefix = config->block.prefix;
  c->rate_bps = config->rate_bps;
  c->start_time = config->start_time;
  c->max_instances = CLAMP (config->max_instances, 1u, max);
  for (unsigned i = 0; i < max; i++)
    c->instances[i].addr = config->block.prefix + 2 + i;
  for (unsigned i = 0; i < CLAMP (config->min_instances, 1u,
                                  c->max_instances); i++)
    connector_start_instance (c, 0);
  cloudrun_snat_init (&c->snat, CONNECTOR_PORTS_PER_CALLER);
  c->instances_gauge = cloudrun_world_gauge (world, "connector", c->name,
                                             "instances");
  cloudrun_gauge_set (c->instances_gauge, 0, c->n_started);
  return c;
}

SimPort *
cloudrun_connector_attach (CloudRunConnectorNode *c, const char *port_name,
                           const CloudRunRevisionEgress *cfg,
                           const SimHost *host)
{
  SimPort *port = sim_node_add_port (&c->base.node, port_name);
  CloudRunEgressSide side = { cfg, host };

  g_assert (port->index == c->attached->len);
  g_array_append_val (c->attached, side);
  return port;
}

unsigned
cloudrun_connector_instances (const CloudRunConnectorNode *c)
{
  return c->n_started;
}
