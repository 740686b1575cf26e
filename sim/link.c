/* Point-to-point full-duplex links. Per direction a frame waits behind the
 * frames already queued (FIFO), is serialized at the link rate, then
 * propagates for the link delay. Since both are FIFO, frames arrive in the
 * order they were sent: the direction keeps its in-flight frames in a list
 * and one arrival event per frame pops the head. Queue occupancy counts the
 * frames whose serialization has not finished; a ring of finish times
 * retires them lazily at the next send, so accounting costs no event.
 *
 * Callers: nodes through sim_port_send(); the world frees links. At each
 * arrival the world's tap, if any, sees the frame before and after the
 * receiving node handles it (sim/tap.h). */
#include "sim/link.h"

#include <stdbool.h>
#include <string.h>

#include "sim/node.h"
#include "sim/world.h"

#define SIM_LINK_RING_MIN 16u

/* One direction of a link: a ring of serialization finish times of the
 * frames still queued or being serialized, for queue accounting without
 * extra events. */
typedef struct {
  SimTime busy_until;           /* when the last queued frame is sent */
  uint32_t queued_packets;      /* frames not yet fully serialized */
  uint64_t queued_bytes;        /* and their bytes */
  SimTime *finish;              /* ring of finish times, owned */
  uint32_t *sizes;              /* ring of frame sizes, owned */
  uint32_t ring_cap;            /* slots in both rings */
  uint32_t ring_head;           /* oldest queued frame's slot */
  SimPacket *flight_head;       /* frames sent, not yet arrived (FIFO) */
  SimPacket *flight_tail;       /* last of them; NULL when none */
  SimLinkCounters counters;     /* this direction's counters */
} SimLinkDir;

struct SimLink {
  char *name;                   /* owned; file-name safe, unique */
  uint32_t id;                  /* index in the world */
  SimPort *end[2];              /* end[0] transmits on dir 0 */
  SimLinkParams params;         /* the same both ways */
  SimLinkDir dir[2];            /* per direction of transmission */
};

static void
sim_link_dir_init (SimLinkDir *d, const SimLinkParams *params)
{
  d->ring_cap = params->queue_packets ? params->queue_packets
                                      : SIM_LINK_RING_MIN;
  d->finish = g_new (SimTime, d->ring_cap);
  d->sizes = g_new (uint32_t, d->ring_cap);
}

SimLink *
sim_link_new (SimWorld *world, SimPort *a, SimPort *b,
              const SimLinkParams *params, const char *name)
{
  SimLink *link = g_new0 (SimLink, 1);

  g_assert (a->link == NULL && b->link == NULL && a != b);
  link->params = *params;
  link->end[0] = a;
  link->end[1] = b;
  a->link = link;
  a->dir = 0;
  b->link = link;
  b->dir = 1;
  link->name = name ? g_strdup (name)
                    : g_strdup_printf ("%s-%s--%s-%s", a->node->name, a->name,
                                       b->node->name, b->name);
  sim_link_dir_init (&link->dir[0], params);
  sim_link_dir_init (&link->dir[1], params);
  link->id = sim_world_add_link (world, link);
  if (sim_world_tap (world) && sim_world_tap (world)->klass->link_added)
    sim_world_tap (world)->klass->link_added (sim_world_tap (world), link);
  return link;
}

void
sim_link_free (SimLink *link, SimPacketPool *pool)
{
  for (int d = 0; d < 2; d++)
    {
      SimPacket *p = link->dir[d].flight_head;
      while (p)
        {
          SimPacket *next = p->next;
          sim_packet_release (pool, p);
          p = next;
        }
      g_free (link->dir[d].finish);
      g_free (link->dir[d].sizes);
    }
  g_free (link->name);
  g_free (link);
}

uint32_t sim_link_id (const SimLink *link) { return link->id; }
const char *sim_link_name (const SimLink *link) { return link->name; }

SimPort *
sim_link_end (const SimLink *link, unsigned end)
{
  g_assert (end < 2);
  return link->end[end];
}

const SimLinkParams *
sim_link_params (const SimLink *link)
{
  return &link->params;
}

const SimLinkCounters *
sim_link_counters (const SimLink *link, unsigned dir)
{
  g_assert (dir < 2);
  return &link->dir[dir].counters;
}

SimPort *
sim_port_peer (const SimPort *port)
{
  return port->link ? port->link->end[!port->dir] : NULL;
}

/* bytes * 8e9 needs 68 bits: GCC's and Clang's 128-bit integer, which
 * ISO C lacks (__extension__ says we know). */
__extension__ typedef unsigned __int128 LinkU128;

SimTime
sim_link_serialization (uint64_t rate_bps, uint32_t bytes)
{
  LinkU128 bits, ns;

  if (rate_bps == 0)
    return 0;
  bits = (LinkU128) bytes * 8u * 1000000000u;
  ns = (bits + rate_bps - 1) / rate_bps;
  /* Below 4 bit/s the largest sizes outlast SimTime: saturate. */
  return ns > (LinkU128) SIM_TIME_MAX ? SIM_TIME_MAX : (SimTime) ns;
}

/* The ring slot i places after the head (i <= ring_cap): a subtraction,
 * not a division, on every send. */
static inline uint32_t
sim_link_dir_slot (const SimLinkDir *d, uint32_t i)
{
  uint32_t slot = d->ring_head + i;

  return slot >= d->ring_cap ? slot - d->ring_cap : slot;
}

/* Retires frames whose serialization finished by now. */
static void
sim_link_dir_retire (SimLinkDir *d, SimTime now)
{
  while (d->queued_packets > 0 && d->finish[d->ring_head] <= now)
    {
      d->queued_bytes -= d->sizes[d->ring_head];
      d->queued_packets--;
      d->ring_head = sim_link_dir_slot (d, 1);
    }
}

/* Doubles the ring of an unlimited queue, keeping FIFO order. */
static void
sim_link_dir_grow (SimLinkDir *d)
{
  uint32_t cap = d->ring_cap * 2;
  SimTime *finish = g_new (SimTime, cap);
  uint32_t *sizes = g_new (uint32_t, cap);

  for (uint32_t i = 0; i < d->queued_packets; i++)
    {
      uint32_t j = sim_link_dir_slot (d, i);
      finish[i] = d->finish[j];
      sizes[i] = d->sizes[j];
    }
  g_free (d->finish);
  g_free (d->sizes);
  d->finish = finish;
  d->sizes = sizes;
  d->ring_cap = cap;
  d->ring_head = 0;
}

static void
sim_link_arrive (SimKernel *kernel, void *target, void *arg, uint64_t dir)
{
  SimLink *link = target;
  SimLinkDir *d = &link->dir[dir];
  SimPacket *packet = d->flight_head;
  SimPort *rx = link->end[!dir];
  SimWorld *world = rx->node->world;
  SimTap *tap = sim_world_tap (world);
  SimExplainLog *log;
  SimTime now = sim_kernel_now (kernel);
  const uint32_t *steps;
  uint32_t mark, n_steps;
  uint64_t frame;
  bool kept;

  g_assert (packet != NULL && packet == arg);
  d->flight_head = packet->next;
  if (!d->flight_head)
    d->flight_tail = NULL;
  packet->next = NULL;
  d->counters.rx_packets++;
  d->counters.rx_bytes += packet->len;
  /* Every arrival is a frame of trace.pcapng, captured or not (unless
   * the capture's filter leaves it out): the steps the node appended
   * while it handled it, and a step deferred to the frame's request
   * (sim/explain.h), are stamped with its number. The tap sees the frame
   * as it arrived, then those steps. */
  log = sim_world_explain (world);
  kept = !tap || sim_tap_keeps (tap, packet);
  if (!kept)
    tap = NULL;
  frame = kept ? sim_world_next_trace_frame (world) : 0;
  mark = sim_explain_journal_begin (log);
  /* What the sender said about the packet comes first, on its first
   * arrival only. */
  sim_explain_journal_add (log, packet->shown_step);
  packet->shown_step = 0;
  sim_explain_claim (log, packet->request_id);
  if (tap)
    tap->klass->arrived (tap, rx, now, packet);
  rx->node->klass->receive (rx->node, rx, packet);
  steps = sim_explain_journal_since (log, mark, &n_steps);
  if (frame)
    sim_explain_stamp_frame (log, steps, n_steps, frame);
  if (tap)
    tap->klass->handled (tap, rx, now, steps, n_steps);
  sim_explain_journal_end (log, mark);
}

SimSendResult
sim_port_send (SimPort *port, SimPacket *packet)
{
  SimLink *link = port->link;
  SimWorld *world = port->node->world;
  SimKernel *kernel = sim_world_kernel (world);
  SimLinkDir *d;
  SimTime now = sim_kernel_now (kernel), start, finish;
  bool full_packets, full_bytes;
  uint32_t slot;

  if (!link)
    {
      sim_packet_release (sim_world_pool (world), packet);
      return SIM_SEND_NO_LINK;
    }
  g_assert (packet->len >= 14);
  /* Point to point: no ARP, the addresses are the two ends. */
  memcpy (packet->data, sim_port_peer (port)->mac, 6);
  memcpy (packet->data + 6, port->mac, 6);
  d = &link->dir[port->dir];
  sim_link_dir_retire (d, now);
  full_packets = link->params.queue_packets
                 && d->queued_packets >= link->params.queue_packets;
  full_bytes = link->params.queue_bytes
               && d->queued_bytes + packet->len > link->params.queue_bytes;
  if (full_packets || full_bytes)
    {
      if (full_packets)
        d->counters.drop_queue_packets++;
      else
        d->counters.drop_queue_bytes++;
      /* Said where it happened: a step and a frame comment. */
      sim_world_explain_drop (world, port, packet, SIM_SEND_DROP_QUEUE);
      sim_packet_release (sim_world_pool (world), packet);
      return SIM_SEND_DROP_QUEUE;
    }
  if (d->queued_packets == d->ring_cap)
    sim_link_dir_grow (d);

  start = d->busy_until > now ? d->busy_until : now;
  finish = start + sim_link_serialization (link->params.rate_bps, packet->len);
  d->busy_until = finish;
  slot = sim_link_dir_slot (d, d->queued_packets);
  d->finish[slot] = finish;
  d->sizes[slot] = packet->len;
  d->queued_packets++;
  d->queued_bytes += packet->len;
  d->counters.tx_packets++;
  d->counters.tx_bytes += packet->len;

  packet->next = NULL;
  if (d->flight_tail)
    d->flight_tail->next = packet;
  else
    d->flight_head = packet;
  d->flight_tail = packet;
  /* The packet as arg and its headers are for the kernel to fetch ahead
   * (sim/event.h): the arrival takes the head of the flight list, which
   * is it, and the node parses the headers first. */
  sim_kernel_schedule_fetch (kernel, finish + link->params.delay,
                             sim_link_arrive, link, packet, port->dir,
                             packet->data);
  return SIM_SEND_OK;
}
