/* The packet pool: fixed-size packets recycled through a free list.
 *
 * Callers: the world owns one pool (sim_world_pool()); nodes take packets
 * from it to build frames and give them back when they drop or consume
 * them; links release what is still in flight when they are freed.
 *
 * Packets are cut from 2 MiB slabs, aligned and advised as huge pages
 * where the kernel offers them (madvise MADV_HUGEPAGE): a packet is read
 * again when it arrives, long after it was sent, and with a page per two
 * packets each arrival cost a TLB miss as well as a cache miss.
 *
 * Invariants:
 * - A packet is cut from the current slab (a new slab once it is used
 *   up) when the free list is empty, and lives until
 *   sim_packet_pool_free(): the hot path allocates nothing once the pool
 *   has grown to the working set.
 * - allocated == in_use + length of the free list == packets cut.
 * - A released packet has data == NULL, so that releasing it twice trips
 *   an assertion instead of corrupting the free list.
 * - data always lies within buf, and data + len within buf's end. */
#include "sim/packet.h"

#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#define SIM_PACKET_SLAB_BYTES (2u << 20) /* one huge page on x86-64 */
#define SIM_PACKET_SLAB_PACKETS (SIM_PACKET_SLAB_BYTES / sizeof (SimPacket))

struct SimPacketPool {
  SimPacket *free_list;         /* released packets, linked by next */
  uint64_t in_use;              /* handed out, not yet released */
  uint64_t allocated;           /* ever cut; in_use + free */
  GPtrArray *slabs;             /* owned, g_aligned_free'd */
  uint32_t slab_cut;            /* packets cut from the newest slab */
};

SimPacketPool *
sim_packet_pool_new (void)
{
  SimPacketPool *pool = g_new0 (SimPacketPool, 1);

  pool->slabs = g_ptr_array_new_with_free_func (g_aligned_free);
  pool->slab_cut = SIM_PACKET_SLAB_PACKETS;
  return pool;
}

/* A packet never handed out, from the newest slab or a new one. */
static SimPacket *
sim_packet_cut (SimPacketPool *pool)
{
  SimPacket *slab;

  if (pool->slab_cut == SIM_PACKET_SLAB_PACKETS)
    {
      slab = g_aligned_alloc (1, SIM_PACKET_SLAB_BYTES, SIM_PACKET_SLAB_BYTES);
#ifdef MADV_HUGEPAGE
      /* Advice only: without huge pages the slab works the same. */
      (void) madvise (slab, SIM_PACKET_SLAB_BYTES, MADV_HUGEPAGE);
#endif
      g_ptr_array_add (pool->slabs, slab);
      pool->slab_cut = 0;
    }
  slab = g_ptr_array_index (pool->slabs, pool->slabs->len - 1);
  pool->allocated++;
  return &slab[pool->slab_cut++];
}

void
sim_packet_pool_free (SimPacketPool *pool)
{
  uint64_t freed = 0;

  if (pool == NULL)
    return;
  g_assert_cmpuint (pool->in_use, ==, 0);
  for (SimPacket *p = pool->free_list; p; p = p->next)
    freed++;
  g_assert_cmpuint (freed, ==, pool->allocated);
  (void) freed;
  g_ptr_array_free (pool->slabs, TRUE);
  g_free (pool);
}

SimPacket *
sim_packet_new (SimPacketPool *pool)
{
  SimPacket *p = pool->free_list;

  if (p)
    pool->free_list = p->next;
  else
    p = sim_packet_cut (pool);
  pool->in_use++;
  /* Only the metadata is cleared: the bytes are the caller's to write. */
  p->data = p->buf + SIM_PACKET_HEADROOM;
  p->len = 0;
  p->request_id = 0;
  p->flow_tag = 0;
  p->origin = 0;
  p->shown_step = 0;
  p->next = NULL;
  return p;
}

SimPacket *
sim_packet_copy (SimPacketPool *pool, const SimPacket *packet)
{
  SimPacket *p = sim_packet_new (pool);
  uint32_t offset = sim_packet_headroom (packet);

  p->data = p->buf + offset;
  p->len = packet->len;
  memcpy (p->data, packet->data, packet->len);
  p->request_id = packet->request_id;
  p->flow_tag = packet->flow_tag;
  p->origin = packet->origin;
  p->shown_step = packet->shown_step;
  return p;
}

void
sim_packet_release (SimPacketPool *pool, SimPacket *packet)
{
  g_assert (packet != NULL);
  g_assert (packet->data != NULL); /* released twice */
  g_assert_cmpuint (pool->in_use, >, 0);
  packet->data = NULL;
  packet->next = pool->free_list;
  pool->free_list = packet;
  pool->in_use--;
}

uint8_t *
sim_packet_prepend (SimPacket *packet, uint32_t n)
{
  g_assert_cmpuint (n, <=, sim_packet_headroom (packet));
  packet->data -= n;
  packet->len += n;
  return packet->data;
}

uint8_t *
sim_packet_append (SimPacket *packet, uint32_t n)
{
  uint8_t *tail;

  g_assert_cmpuint (n, <=, sim_packet_tailroom (packet));
  tail = packet->data + packet->len;
  packet->len += n;
  return tail;
}

void
sim_packet_strip (SimPacket *packet, uint32_t n)
{
  g_assert_cmpuint (n, <=, packet->len);
  packet->data += n;
  packet->len -= n;
}

uint32_t
sim_packet_headroom (const SimPacket *packet)
{
  g_assert (packet->data != NULL);
  return (uint32_t) (packet->data - packet->buf);
}

uint32_t
sim_packet_tailroom (const SimPacket *packet)
{
  return SIM_PACKET_SIZE - sim_packet_headroom (packet) - packet->len;
}

uint64_t
sim_packet_pool_in_use (const SimPacketPool *pool)
{
  return pool->in_use;
}

uint64_t
sim_packet_pool_allocated (const SimPacketPool *pool)
{
  return pool->allocated;
}
