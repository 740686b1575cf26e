/* The packet pool: fixed-size packets recycled through a free list.
 *
 * Callers: the world owns one pool (sim_world_pool()); nodes take packets
 * from it to build frames and give them back when they drop or consume
 * them; links release what is still in flight when they are freed.
 *
 * Invariants:
 * - A packet is malloc'ed once, with g_new, when the free list is empty,
 *   and lives until sim_packet_pool_free(): the hot path allocates
 *   nothing once the pool has grown to the working set.
 * - allocated == in_use + length of the free list.
 * - A released packet has data == NULL, so that releasing it twice trips
 *   an assertion instead of corrupting the free list.
 * - data always lies within buf, and data + len within buf's end. */
#include "sim/packet.h"

#include <string.h>

#include <glib.h>

struct SimPacketPool {
  SimPacket *free_list;         /* released packets, linked by next */
  uint64_t in_use;              /* handed out, not yet released */
  uint64_t allocated;           /* ever malloc'ed; in_use + free */
};

SimPacketPool *
sim_packet_pool_new (void)
{
  return g_new0 (SimPacketPool, 1);
}

void
sim_packet_pool_free (SimPacketPool *pool)
{
  uint64_t freed = 0;

  if (pool == NULL)
    return;
  g_assert_cmpuint (pool->in_use, ==, 0);
  while (pool->free_list)
    {
      SimPacket *p = pool->free_list;
      pool->free_list = p->next;
      g_free (p);
      freed++;
    }
  g_assert_cmpuint (freed, ==, pool->allocated);
  (void) freed;
  g_free (pool);
}

SimPacket *
sim_packet_new (SimPacketPool *pool)
{
  SimPacket *p = pool->free_list;

  if (p)
    pool->free_list = p->next;
  else
    {
      p = g_new (SimPacket, 1);
      pool->allocated++;
    }
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
