/* Source NAT flow tables (see models/world/snat.h). Keys are packed flow tuples;
 * the tables are used for lookups only, never iterated in the simulation. */
#include "models/world/snat.h"

#include <string.h>

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

typedef struct {
  SnatKey inside_key, nat_key;
  CloudRunSnatEntry entry;
} SnatFlow;

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

CloudRunSnatEntry *
cloudrun_snat_outbound (CloudRunSnat *snat, const SimFrame *f,
                        uint32_t nat_addr, SimPort *inside, bool *created)
{
  SnatKey key = { f->src, f->dst, f->sport, f->dport, f->proto };
  SnatFlow *flow = g_hash_table_lookup (snat->by_inside, &key);
  uint32_t base;

  *created = false;
  if (flow)
    return &flow->entry;
  base = snat_block (snat, f->src, nat_addr);
  for (uint32_t i = 0; base && i < snat->ports_per_source; i++)
    {
      /* Ports are tried from the one after the source's port, so flows
       * spread over the block deterministically. */
      uint16_t port = (uint16_t) (base + (f->sport + i) % snat->ports_per_source);
      SnatKey nat_key = { nat_addr, f->dst, port, f->dport, f->proto };
      SnatFlow *held = g_hash_table_lookup (snat->by_nat, &nat_key);
      if (held && !(held->entry.held_until
                    && sim_world_now (snat->clock) >= held->entry.held_until))
        continue;
      if (held)                 /* its TIME_WAIT is over */
        g_hash_table_remove (snat->by_nat, &held->nat_key);
      flow = g_new0 (SnatFlow, 1);
      flow->inside_key = key;
      flow->nat_key = nat_key;
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
