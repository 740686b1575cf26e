/* Source NAT flow tables (see models/world/snat.h). Keys are packed flow tuples;
 * the tables are used for lookups only, never iterated in the simulation. */
#include "models/world/snat.h"

#include <string.h>

#include "sim/free-index.h"
#include "sim/world.h"

#define SNAT_FIRST_PORT 1024u

typedef struct {
  uint32_t a, b;                /* local-side addr, remote addr */
  uint16_t pa, pb;
  uint32_t proto;
} SnatKey;

static guint
snat_key_hash (gconstpointer p)
{
  const SnatKey *k = p;
  uint64_t h = ((uint64_t) k->a << 32 | k->b) * 0x9e3779b97f4a7c15u;

  h ^= ((uint64_t) k->pa << 32 | (uint64_t) k->pb << 16 | k->proto)
       * 0xc2b2ae3d27d4eb4fu;
  return (guint) (h ^ (h >> 29));
}

static gboolean
snat_key_equal (gconstpointer x, gconstpointer y)
{
  return memcmp (x, y, sizeof (SnatKey)) == 0;
}

/* Ports tried one by one before a group counts its free ports. */
#define SNAT_SCAN_TRIES 32

/* The ports of one source's block toward one remote address and port:
 * how many a flow holds, and the TIME_WAIT holds of closed ones (in order
 * of their end: every hold lasts time_wait). While live plus the holds not
 * yet over fill the block, a new flow is refused without trying every
 * port; once a search has tried many, the group keeps which ports are
 * free, and finds the next free one in O(log ports). */
typedef struct {
  SimTime until;
  uint16_t port;
} SnatHold;

typedef struct {
  SnatKey key;                  /* nat addr, remote addr, block base,
                                   remote port, protocol */
  uint32_t live;
  GArray *holds;                /* SnatHold, from index head */
  guint head;
  SimFreeIndex taken;           /* port - base; made at a long search */
} SnatGroup;

typedef struct {
  SnatKey inside_key, nat_key;
  SnatGroup *group;
  CloudRunSnatEntry entry;
} SnatFlow;

static void
snat_group_free (gpointer p)
{
  SnatGroup *g = p;

  g_array_free (g->holds, TRUE);
  if (g->taken.n)
    sim_free_index_clear (&g->taken);
  g_free (g);
}

/* The group of a flow from base's block toward f's remote end, made at
 * its first flow; its holds over by now dropped. */
static SnatGroup *
snat_group (CloudRunSnat *snat, const SimFrame *f, uint32_t nat_addr,
            uint32_t base)
{
  SnatKey key = { nat_addr, f->dst, (uint16_t) base, f->dport, f->proto };
  SnatGroup *g = g_hash_table_lookup (snat->groups, &key);

  if (!g)
    {
      g = g_new0 (SnatGroup, 1);
      g->key = key;
      g->holds = g_array_new (FALSE, FALSE, sizeof (SnatHold));
      g_hash_table_insert (snat->groups, &g->key, g);
    }
  while (g->head < g->holds->len
         && sim_world_now (snat->clock)
            >= g_array_index (g->holds, SnatHold, g->head).until)
    {
      if (g->taken.n)
        sim_free_index_give (&g->taken, g_array_index (g->holds, SnatHold,
                                                       g->head).port
                                        - (uint32_t) base);
      g->head++;
    }
  if (g->head > 64 && g->head * 2 > g->holds->len)
    {
      g_array_remove_range (g->holds, 0, g->head);
      g->head = 0;
    }
  return g;
}

void
cloudrun_snat_init (CloudRunSnat *snat, uint32_t ports_per_source)
{
  memset (snat, 0, sizeof *snat);
  snat->by_inside = g_hash_table_new (snat_key_hash, snat_key_equal);
  snat->by_nat = g_hash_table_new_full (snat_key_hash, snat_key_equal, NULL,
                                        g_free);
  snat->blocks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        NULL);
  snat->next_block = g_hash_table_new (g_direct_hash, g_direct_equal);
  snat->groups = g_hash_table_new_full (snat_key_hash, snat_key_equal, NULL,
                                        snat_group_free);
  g_assert (ports_per_source >= 1 && ports_per_source <= 65536 - SNAT_FIRST_PORT);
  snat->ports_per_source = ports_per_source;
}

void
cloudrun_snat_hold_closed (CloudRunSnat *snat, SimWorld *world,
                           SimTime time_wait)
{
  snat->clock = world;
  snat->time_wait = time_wait;
}

void
cloudrun_snat_count_ports (CloudRunSnat *snat, CloudRunGauge *ports,
                           SimWorld *world)
{
  snat->ports = ports;
  snat->clock = world;
}

/* A port was taken (1) or given back (-1) now. */
static void
snat_count (CloudRunSnat *snat, int64_t delta)
{
  if (snat->ports)
    cloudrun_gauge_add (snat->ports, sim_world_now (snat->clock), delta);
}

void
cloudrun_snat_clear (CloudRunSnat *snat)
{
  g_clear_pointer (&snat->by_inside, g_hash_table_destroy);
  g_clear_pointer (&snat->by_nat, g_hash_table_destroy);
  g_clear_pointer (&snat->blocks, g_hash_table_destroy);
  g_clear_pointer (&snat->next_block, g_hash_table_destroy);
  g_clear_pointer (&snat->groups, g_hash_table_destroy);
}

/* The first port of the source's block on nat_addr, given at its first
 * flow there; 0 when that address has no block left. */
static uint32_t
snat_block (CloudRunSnat *snat, uint32_t inside_addr, uint32_t nat_addr)
{
  uint64_t key = (uint64_t) inside_addr << 32 | nat_addr;
  gpointer base = g_hash_table_lookup (snat->blocks, &key);
  uint32_t next;

  if (base)
    return GPOINTER_TO_UINT (base);
  next = GPOINTER_TO_UINT (g_hash_table_lookup (snat->next_block,
                                                GUINT_TO_POINTER (nat_addr)));
  if (next == 0)
    next = SNAT_FIRST_PORT;
  if (next + snat->ports_per_source > 65536)
    return 0;
  g_hash_table_insert (snat->next_block, GUINT_TO_POINTER (nat_addr),
                       GUINT_TO_POINTER (next + snat->ports_per_source));
  g_hash_table_insert (snat->blocks, g_memdup2 (&key, sizeof key),
                       GUINT_TO_POINTER (next));
  return next;
}

/* The first free slot of g's block at or after slot, cyclically, found
 * in its free index (made now from the flow table if it has none): the
 * slot the one-by-one search would reach. The block has a free port. */
static uint32_t
snat_next_free (CloudRunSnat *snat, SnatGroup *g, uint32_t slot)
{
  SimFreeIndex *fi = &g->taken;
  uint32_t before;

  if (!fi->n)
    {
      sim_free_index_init (fi, snat->ports_per_source);
      for (uint32_t i = 0; i < snat->ports_per_source; i++)
        {
          SnatKey k = { g->key.a, g->key.b, (uint16_t) (g->key.pa + i),
                        g->key.pb, g->key.proto };
          SnatFlow *held = g_hash_table_lookup (snat->by_nat, &k);
          if (held && !(held->entry.held_until
                        && sim_world_now (snat->clock)
                           >= held->entry.held_until))
            sim_free_index_take (fi, i);
        }
    }
  before = slot - sim_free_index_taken_below (fi, slot);
  return sim_free_index_nth_free (fi, before < sim_free_index_n_free (fi)
                                      ? before : 0);
}

CloudRunSnatEntry *
cloudrun_snat_outbound (CloudRunSnat *snat, const SimFrame *f,
                        uint32_t nat_addr, SimPort *inside, bool *created)
{
  SnatKey key = { f->src, f->dst, f->sport, f->dport, f->proto };
  SnatFlow *flow = g_hash_table_lookup (snat->by_inside, &key);
  SnatGroup *group;
  uint32_t base;

  *created = false;
  if (flow)
    return &flow->entry;
  base = snat_block (snat, f->src, nat_addr);
  group = base ? snat_group (snat, f, nat_addr, base) : NULL;
  if (group && group->live + (group->holds->len - group->head)
               >= snat->ports_per_source)
    base = 0;                   /* every port of the block is taken */
  for (uint32_t i = 0; base && i < snat->ports_per_source; i++)
    {
      /* Ports are tried from the one after the source's port, so flows
       * spread over the block deterministically. */
      uint32_t slot = (f->sport + i) % snat->ports_per_source;
      uint16_t port;
      SnatKey nat_key;
      SnatFlow *held;

      if (i == SNAT_SCAN_TRIES)
        slot = snat_next_free (snat, group, slot);
      port = (uint16_t) (base + slot);
      nat_key = (SnatKey) { nat_addr, f->dst, port, f->dport, f->proto };
      held = g_hash_table_lookup (snat->by_nat, &nat_key);
      if (held && !(held->entry.held_until
                    && sim_world_now (snat->clock) >= held->entry.held_until))
        continue;
      if (held)                 /* its TIME_WAIT is over */
        g_hash_table_remove (snat->by_nat, &held->nat_key);
      flow = g_new0 (SnatFlow, 1);
      flow->inside_key = key;
      flow->nat_key = nat_key;
      flow->group = group;
      group->live++;
      if (group->taken.n)
        sim_free_index_take (&group->taken, slot);
      flow->entry = (CloudRunSnatEntry) {
        .inside_addr = f->src, .inside_port = f->sport, .nat_addr = nat_addr,
        .nat_port = port, .remote_addr = f->dst, .remote_port = f->dport,
        .proto = f->proto, .inside = inside,
      };
      g_hash_table_insert (snat->by_nat, &flow->nat_key, flow);
      g_hash_table_insert (snat->by_inside, &flow->inside_key, flow);
      snat_count (snat, 1);
      *created = true;
      return &flow->entry;
    }
  snat->exhausted++;
  return NULL;
}

CloudRunSnatEntry *
cloudrun_snat_inbound (CloudRunSnat *snat, const SimFrame *f)
{
  SnatKey key = { f->dst, f->src, f->dport, f->sport, f->proto };
  SnatFlow *flow = g_hash_table_lookup (snat->by_nat, &key);

  return flow ? &flow->entry : NULL;
}

static void
snat_release (CloudRunSnat *snat, CloudRunSnatEntry *e)
{
  SnatFlow *flow = (SnatFlow *) ((char *) e - G_STRUCT_OFFSET (SnatFlow, entry));

  g_hash_table_remove (snat->by_inside, &flow->inside_key);
  flow->group->live--;
  if (flow->group->taken.n)
    sim_free_index_give (&flow->group->taken,
                         e->nat_port - (uint32_t) flow->group->key.pa);
  g_hash_table_remove (snat->by_nat, &flow->nat_key);   /* frees flow */
  snat_count (snat, -1);
}

/* A flow that closed with FINs: its port stays taken for TIME_WAIT; the
 * inside tuple may start a new flow at once (it gets another port). */
static void
snat_close (CloudRunSnat *snat, CloudRunSnatEntry *e)
{
  SnatFlow *flow = (SnatFlow *) ((char *) e - G_STRUCT_OFFSET (SnatFlow, entry));

  if (snat->time_wait <= 0)
    {
      snat_release (snat, e);
      return;
    }
  g_hash_table_remove (snat->by_inside, &flow->inside_key);
  e->held_until = sim_world_now (snat->clock) + snat->time_wait;
  flow->group->live--;
  g_array_append_val (flow->group->holds,
                      ((SnatHold) { e->held_until, e->nat_port }));
  cloudrun_gauge_add_later (snat->ports, e->held_until, -1);
}

static void
snat_track_end (CloudRunSnat *snat, CloudRunSnatEntry *e, const SimFrame *f,
                uint8_t side)
{
  if (f->proto != SIM_IPPROTO_TCP || e->held_until)
    return;
  if (f->tcp.flags & SIM_TCP_RST)
    {
      snat_release (snat, e);
      return;
    }
  if (f->tcp.flags & SIM_TCP_FIN)
    {
      if (!(e->fins & side))
        {
          e->last_fin = side;
          e->last_fin_end = f->tcp.seq + f->payload_len + 1;
        }
      e->fins |= side;
      return;
    }
  /* Released at the last ACK: after both FINs, the one that acknowledges
   * the later FIN, from the side that did not send it (a side may also
   * ACK the earlier FIN, or data sent before the later FIN such as a TLS
   * close_notify, after sending its own; the mapping must outlive that,
   * or the other side's last ACK finds no mapping and a retransmitted
   * FIN makes a new one). */
  if (e->fins == 3 && side != e->last_fin && !(f->tcp.flags & SIM_TCP_SYN)
      && (f->tcp.flags & SIM_TCP_ACK)
      && (int32_t) (f->tcp.ack - e->last_fin_end) >= 0)
    snat_close (snat, e);
}

void
cloudrun_snat_translate_out (CloudRunSnat *snat, CloudRunSnatEntry *e,
                             SimPacket *packet, const SimFrame *f)
{
  sim_frame_rewrite (packet->data, packet->len, e->nat_addr, e->nat_port,
                     f->dst, f->dport);
  snat_track_end (snat, e, f, 1);
}

void
cloudrun_snat_translate_in (CloudRunSnat *snat, CloudRunSnatEntry *e,
                            SimPacket *packet, const SimFrame *f)
{
  sim_frame_rewrite (packet->data, packet->len, f->src, f->sport,
                     e->inside_addr, e->inside_port);
  snat_track_end (snat, e, f, 2);
}
