/* Packets: real wire bytes in a fixed buffer with headroom, so that
 * encapsulation (Geneve, an outer IPv4/UDP) prepends without copying.
 * Packets come from a pool with a free list; the hot path allocates
 * nothing once the pool has grown to the working set.
 *
 * Ownership: whoever holds a SimPacket owns it. A function that receives
 * a packet always takes it, whatever it returns (sim_port_send(), a node's
 * receive(), sim_host_receive()); a node that drops a packet releases it.
 * Callbacks that are handed a const packet (UDP handlers, taps) borrow it.
 * Metadata beside the bytes never goes on the wire. */
#ifndef SIM_PACKET_H
#define SIM_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_PACKET_SIZE 2048u     /* buffer bytes, headroom included */
#define SIM_PACKET_HEADROOM 256u  /* free bytes before data when new */

typedef struct SimPacket SimPacket;
typedef struct SimPacketPool SimPacketPool;

struct SimPacket {
  uint8_t *data;                /* first byte of the frame, inside buf */
  uint32_t len;                 /* frame length in bytes */
  uint32_t request_id;          /* the request this packet serves; 0 none */
  uint32_t flow_tag;            /* opaque, set by the node a packet arrived
                                   at (0 none): a TCP connection keeps its
                                   SYN's tag and puts it on every packet it
                                   sends; a reset carries the tag of the
                                   segment it answers */
  uint16_t origin;              /* opaque place the packet set out from (0
                                   unknown): the sending host's, or its
                                   TCP connection's (sim/tcp.h); kept as
                                   it is forwarded */
  uint32_t shown_step;          /* an explanation step (sim/explain.h)
                                   its sender took about it, such as a DNS
                                   server's answer: shown with the steps of
                                   its next arrival (sim/link.c), then
                                   cleared; 0 none */
  SimPacket *next;              /* free list and queue link */
  uint8_t buf[SIM_PACKET_SIZE];
};

/* Life cycle. */
SimPacketPool *sim_packet_pool_new (void);
/* Frees every packet; all must have been released (g_assert'ed). */
void sim_packet_pool_free (SimPacketPool *pool);

/* A packet with len 0 and data at buf + SIM_PACKET_HEADROOM, zeroed
 * metadata. Never returns NULL. */
SimPacket *sim_packet_new (SimPacketPool *pool);
/* A copy of bytes and metadata, with the same headroom left. */
SimPacket *sim_packet_copy (SimPacketPool *pool, const SimPacket *packet);
void sim_packet_release (SimPacketPool *pool, SimPacket *packet);

/* Byte operations; each g_asserts that the buffer has room. */
uint8_t *sim_packet_prepend (SimPacket *packet, uint32_t n); /* new front */
uint8_t *sim_packet_append (SimPacket *packet, uint32_t n);  /* new tail */
void sim_packet_strip (SimPacket *packet, uint32_t n);       /* drop front */
uint32_t sim_packet_headroom (const SimPacket *packet);
uint32_t sim_packet_tailroom (const SimPacket *packet);

/* Pool statistics. */
uint64_t sim_packet_pool_in_use (const SimPacketPool *pool);
uint64_t sim_packet_pool_allocated (const SimPacketPool *pool);

#endif
