/* The world: owns the kernel, the packet pool, the explanation log, the
 * nodes, their ports and the links between them, and keeps the tap the
 * set-up code registered (not owned). Set-up code (models/) creates nodes
 * and links; sim_world_run() starts the nodes, runs the kernel and stops
 * them. Invariant: node, interface and link ids are dense indexes in
 * creation order, so captures and reports are deterministic. */
#include "sim/world.h"

#include <string.h>

#include "sim/node.h"

struct SimWorld {
  SimKernel *kernel;
  SimPacketPool *pool;
  SimExplainLog *explain;
  uint64_t seed;
  GPtrArray *nodes;             /* SimNode*, owned */
  GPtrArray *links;             /* SimLink*, owned */
  GPtrArray *interfaces;        /* SimPort*, by if_id, not owned */
  GHashTable *by_name;          /* node name -> SimNode*, set-up only */
  SimTap *tap;                  /* optional, not owned */
  SimDropExplainFn drop_explain;  /* optional */
  void *drop_explain_user;      /* not owned */
  uint64_t trace_frames;        /* frames trace.pcapng has (or would have) */
};

SimWorld *
sim_world_new (uint64_t seed)
{
  SimWorld *world = g_new0 (SimWorld, 1);

  world->kernel = sim_kernel_new ();
  world->pool = sim_packet_pool_new ();
  world->explain = sim_explain_log_new ();
  world->seed = seed;
  world->nodes = g_ptr_array_new ();
  world->links = g_ptr_array_new ();
  world->interfaces = g_ptr_array_new ();
  world->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return world;
}

static void
sim_world_free_node (SimNode *node)
{
  if (node->klass->clear)
    node->klass->clear (node);
  for (guint i = 0; i < node->ports->len; i++)
    {
      SimPort *port = g_ptr_array_index (node->ports, i);
      g_free (port->name);
      g_free (port);
    }
  g_ptr_array_free (node->ports, TRUE);
  g_free (node->name);
  g_free (node);
}

void
sim_world_free (SimWorld *world)
{
  if (!world)
    return;
  /* Nodes first: they may release packets they still hold. */
  for (guint i = 0; i < world->nodes->len; i++)
    sim_world_free_node (g_ptr_array_index (world->nodes, i));
  for (guint i = 0; i < world->links->len; i++)
    sim_link_free (g_ptr_array_index (world->links, i), world->pool);
  g_ptr_array_free (world->nodes, TRUE);
  g_ptr_array_free (world->links, TRUE);
  g_ptr_array_free (world->interfaces, TRUE);
  g_hash_table_destroy (world->by_name);
  /* No event owns a packet (frames in flight sit in the links' lists,
   * released above; nodes that hold one in an event released it with
   * sim_world_release_pending), so the kernel can go once the links are
   * gone. */
  sim_kernel_free (world->kernel);
  sim_explain_log_free (world->explain);
  sim_packet_pool_free (world->pool);
  g_free (world);
}

static void
release_pending (void *packet, void *pool)
{
  sim_packet_release (pool, packet);
}

void
sim_world_release_pending (SimWorld *world, SimEventFn fn)
{
  sim_kernel_foreach_pending (world->kernel, fn, release_pending,
                              world->pool);
}

SimKernel *sim_world_kernel (SimWorld *world) { return world->kernel; }
SimPacketPool *sim_world_pool (SimWorld *world) { return world->pool; }
SimExplainLog *sim_world_explain (SimWorld *world) { return world->explain; }
uint64_t sim_world_seed (const SimWorld *world) { return world->seed; }
guint sim_world_n_nodes (const SimWorld *world) { return world->nodes->len; }
guint sim_world_n_links (const SimWorld *world) { return world->links->len; }

SimTime
sim_world_now (const SimWorld *world)
{
  return sim_kernel_now (world->kernel);
}

SimNode *
sim_world_node (const SimWorld *world, guint index)
{
  return g_ptr_array_index (world->nodes, index);
}

SimLink *
sim_world_link (const SimWorld *world, guint index)
{
  return g_ptr_array_index (world->links, index);
}

SimNode *
sim_world_find_node (const SimWorld *world, const char *name)
{
  return g_hash_table_lookup (world->by_name, name);
}

guint
sim_world_n_interfaces (const SimWorld *world)
{
  return world->interfaces->len;
}

SimPort *
sim_world_interface (const SimWorld *world, guint if_id)
{
  return g_ptr_array_index (world->interfaces, if_id);
}

void
sim_world_set_tap (SimWorld *world, SimTap *tap)
{
  world->tap = tap;
}

SimTap *
sim_world_tap (const SimWorld *world)
{
  return world->tap;
}

void
sim_world_set_drop_explainer (SimWorld *world, SimDropExplainFn fn,
                              void *user)
{
  world->drop_explain = fn;
  world->drop_explain_user = user;
}

uint64_t
sim_world_next_trace_frame (SimWorld *world)
{
  return ++world->trace_frames;
}

void
sim_world_explain_drop (SimWorld *world, SimPort *tx, const SimPacket *packet,
                        SimSendResult why)
{
  uint32_t mark = sim_explain_journal_begin (world->explain);
  const uint32_t *steps;
  uint32_t n_steps;
  bool keep;

  sim_explain_journal_add (world->explain, packet->shown_step);
  if (world->drop_explain)
    world->drop_explain (world->drop_explain_user, tx, packet, why);
  steps = sim_explain_journal_since (world->explain, mark, &n_steps);
  keep = !world->tap || sim_tap_keeps (world->tap, packet);
  /* The capture shows such a frame only with its explanation, and only
   * when its filter keeps it. */
  if (n_steps > 0 && keep)
    sim_explain_stamp_frame (world->explain, steps, n_steps,
                             sim_world_next_trace_frame (world));
  if (keep && world->tap && world->tap->klass->dropped)
    world->tap->klass->dropped (world->tap, tx,
                                sim_kernel_now (world->kernel), packet,
                                steps, n_steps);
  sim_explain_journal_end (world->explain, mark);
}

uint32_t
sim_world_add_link (SimWorld *world, SimLink *link)
{
  g_ptr_array_add (world->links, link);
  return world->links->len - 1;
}

void
sim_world_start (SimWorld *world)
{
  for (guint i = 0; i < world->nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (world->nodes, i);
      if (node->klass->start)
        node->klass->start (node);
    }
}

uint64_t
sim_world_advance (SimWorld *world, SimTime until)
{
  return sim_kernel_run (world->kernel, until);
}

void
sim_world_finish (SimWorld *world)
{
  for (guint i = 0; i < world->nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (world->nodes, i);
      if (node->klass->stop)
        node->klass->stop (node);
    }
}

uint64_t
sim_world_run (SimWorld *world, SimTime until)
{
  uint64_t fired;

  sim_world_start (world);
  fired = sim_world_advance (world, until);
  sim_world_finish (world);
  return fired;
}

uint64_t
sim_world_hops (const SimWorld *world)
{
  uint64_t hops = 0;

  for (guint i = 0; i < world->links->len; i++)
    {
      const SimLink *link = g_ptr_array_index (world->links, i);
      hops += sim_link_counters (link, 0)->rx_packets
              + sim_link_counters (link, 1)->rx_packets;
    }
  return hops;
}

SimNode *
sim_node_new (SimWorld *world, const SimNodeClass *klass, const char *name)
{
  SimNode *node;

  g_assert (klass->size >= sizeof (SimNode));
  g_assert (!g_hash_table_contains (world->by_name, name));
  node = g_malloc0 (klass->size);
  node->klass = klass;
  node->world = world;
  node->name = g_strdup (name);
  node->id = world->nodes->len;
  node->ports = g_ptr_array_new ();
  g_ptr_array_add (world->nodes, node);
  g_hash_table_insert (world->by_name, node->name, node);
  return node;
}

SimPort *
sim_node_add_port (SimNode *node, const char *name)
{
  SimPort *port = g_new0 (SimPort, 1);
  SimWorld *world = node->world;

  port->node = node;
  port->name = g_strdup (name);
  port->index = node->ports->len;
  port->if_id = world->interfaces->len;
  /* Locally administered unicast: 02:NN:NN:NN:PP:PP. */
  port->mac[0] = 0x02;
  port->mac[1] = (node->id >> 16) & 0xff;
  port->mac[2] = (node->id >> 8) & 0xff;
  port->mac[3] = node->id & 0xff;
  port->mac[4] = (port->index >> 8) & 0xff;
  port->mac[5] = port->index & 0xff;
  g_ptr_array_add (node->ports, port);
  g_ptr_array_add (world->interfaces, port);
  return port;
}

SimPort *
sim_node_port (SimNode *node, guint index)
{
  return g_ptr_array_index (node->ports, index);
}
