/* Links: point to point and full duplex. Per direction a link has a
 * propagation delay, a rate (serialization time; 0 means infinite), a
 * queue limit in packets and in bytes, and counters for every drop. A
 * frame waits behind those already queued, is serialized, propagates, and
 * is handed to the peer node's receive(), which takes ownership; a tap
 * registered with the world (sim/tap.h) sees it arrive.
 *
 * SimLink is opaque: its queues are link.c's business. Others read it
 * through the accessors below. The world owns every link. */
#ifndef SIM_LINK_H
#define SIM_LINK_H

#include <stdint.h>

#include "sim/packet.h"
#include "sim/port.h"
#include "sim/time.h"

typedef struct SimWorld SimWorld;
typedef struct SimLink SimLink;

typedef struct {
  SimTime delay;                /* propagation delay */
  uint64_t rate_bps;            /* bits per second; 0 = no serialization */
  uint32_t queue_packets;       /* 0 = unlimited */
  uint64_t queue_bytes;         /* 0 = unlimited */
} SimLinkParams;

typedef struct {
  uint64_t tx_packets, tx_bytes;        /* accepted for transmission */
  uint64_t rx_packets, rx_bytes;        /* delivered to the peer */
  uint64_t drop_queue_packets;          /* queue full: packet limit */
  uint64_t drop_queue_bytes;            /* queue full: byte limit */
} SimLinkCounters;

/* Life cycle. Connects a and b (both unconnected, a != b); the world owns
 * the link. name may be NULL: "NODEA-PORTA--NODEB-PORTB". */
SimLink *sim_link_new (SimWorld *world, SimPort *a, SimPort *b,
                       const SimLinkParams *params, const char *name);
/* Internal to sim/: the world frees its links, releasing frames in flight
 * to pool. */
void sim_link_free (SimLink *link, SimPacketPool *pool);

/* Accessors. end 0 transmits on direction 0, end 1 on direction 1. */
uint32_t sim_link_id (const SimLink *link);          /* index in the world */
const char *sim_link_name (const SimLink *link);     /* file-name safe */
SimPort *sim_link_end (const SimLink *link, unsigned end);
const SimLinkParams *sim_link_params (const SimLink *link);
const SimLinkCounters *sim_link_counters (const SimLink *link, unsigned dir);

/* Serialization time of bytes at rate_bps, rounded up; 0 when rate is 0.
 * Exact for every uint32 size and uint64 rate (no overflow), saturating at
 * SIM_TIME_MAX where the exact time does not fit. */
SimTime sim_link_serialization (uint64_t rate_bps, uint32_t bytes);

#endif
