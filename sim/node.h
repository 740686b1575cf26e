/* Nodes, ports, links and the world that owns them.
 *
 * A node is a C struct that embeds SimNode first and points to a const
 * class table. A node owns ports; packets move only port -> link -> port.
 * A link is point to point and full duplex: per direction it has a
 * propagation delay, a rate (serialization time; 0 means infinite), a
 * queue limit in packets and in bytes, and counters for every drop.
 *
 * sim_port_send() writes the Ethernet addresses (every link is point to
 * point, so there is no ARP), queues the frame behind what the direction
 * is already serializing, and schedules its arrival; at arrival the frame
 * is handed to the peer node's receive(), which takes ownership, and
 * captured once as it arrived (timestamp: last bit in, interface: the
 * receiving port) with the explanation steps the node appended while
 * handling it as its comment: the decisions taken on that frame.
 *
 * The world owns the kernel, the packet pool, the explanation log, every
 * node and link, and (optionally) the capture. */
#ifndef SIM_NODE_H
#define SIM_NODE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/event.h"
#include "sim/explain.h"
#include "sim/packet.h"
#include "sim/time.h"

typedef struct SimWorld SimWorld;
typedef struct SimNode SimNode;
typedef struct SimPort SimPort;
typedef struct SimLink SimLink;
typedef struct SimCapture SimCapture;

typedef struct {
  const char *name;             /* class name, for messages */
  size_t size;                  /* bytes of the embedding struct */
  /* Takes ownership of packet, which arrived on port. */
  void (*receive) (SimNode *self, SimPort *port, SimPacket *packet);
  void (*start) (SimNode *self);   /* optional: at time 0 of the run */
  void (*stop) (SimNode *self);    /* optional: when the run ends */
  void (*clear) (SimNode *self);   /* optional: free what the node owns */
} SimNodeClass;

struct SimNode {
  const SimNodeClass *klass;
  SimWorld *world;
  char *name;                   /* owned; unique in the world */
  uint32_t id;                  /* index in the world, from 0 */
  GPtrArray *ports;             /* SimPort*, owned */
};

struct SimPort {
  SimNode *node;                /* owner */
  char *name;                   /* owned, e.g. "eth0" */
  uint32_t index;               /* in node->ports */
  uint32_t if_id;               /* world-wide interface number (capture) */
  uint8_t mac[6];               /* 02:NN:NN:NN:PP:PP from node id and index */
  SimLink *link;                /* NULL until connected */
  uint8_t dir;                  /* direction this port transmits on link */
};

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

/* One direction of a link: a ring of serialization finish times of the
 * frames still queued or being serialized, for queue accounting without
 * extra events. */
typedef struct {
  SimTime busy_until;           /* when the last queued frame is sent */
  uint32_t queued_packets;
  uint64_t queued_bytes;
  SimTime *finish;              /* ring of finish times, owned */
  uint32_t *sizes;              /* ring of frame sizes, owned */
  uint32_t ring_cap, ring_head;
  SimPacket *flight_head;       /* frames sent, not yet arrived (FIFO) */
  SimPacket *flight_tail;
  SimLinkCounters counters;
} SimLinkDir;

struct SimLink {
  char *name;                   /* owned; file-name safe, unique */
  uint32_t id;                  /* index in the world */
  SimPort *end[2];              /* end[0] transmits on dir 0 */
  SimLinkParams params;
  SimLinkDir dir[2];
  void *capture_data;           /* the capture's per-link state */
};

typedef enum {
  SIM_SEND_OK = 0,
  SIM_SEND_DROP_QUEUE,          /* queue limit reached; packet released */
  SIM_SEND_NO_LINK,             /* port unconnected; packet released */
} SimSendResult;

/* World life cycle. */
SimWorld *sim_world_new (uint64_t seed);
void sim_world_free (SimWorld *world);   /* frees nodes (clear) and links */

SimKernel *sim_world_kernel (SimWorld *world);
SimPacketPool *sim_world_pool (SimWorld *world);
SimExplainLog *sim_world_explain (SimWorld *world);
uint64_t sim_world_seed (const SimWorld *world);
SimTime sim_world_now (const SimWorld *world);
guint sim_world_n_nodes (const SimWorld *world);
SimNode *sim_world_node (const SimWorld *world, guint index);
guint sim_world_n_links (const SimWorld *world);
SimLink *sim_world_link (const SimWorld *world, guint index);
SimNode *sim_world_find_node (const SimWorld *world, const char *name);
/* Total interfaces (ports) in the world; if_ids run 0..n-1. */
guint sim_world_n_interfaces (const SimWorld *world);
SimPort *sim_world_interface (const SimWorld *world, guint if_id);
/* Capture is optional; the world does not own it. */
void sim_world_set_capture (SimWorld *world, SimCapture *capture);
/* Calls every node's start(), runs the kernel until `until`, then every
 * node's stop(). Returns events fired. The three steps are also callable
 * one by one, to run in slices (start, advance..., finish). */
uint64_t sim_world_run (SimWorld *world, SimTime until);
void sim_world_start (SimWorld *world);
uint64_t sim_world_advance (SimWorld *world, SimTime until);
void sim_world_finish (SimWorld *world);
/* Packet-hops delivered over all links. */
uint64_t sim_world_hops (const SimWorld *world);

/* Nodes. */
SimNode *sim_node_new (SimWorld *world, const SimNodeClass *klass,
                       const char *name);
SimPort *sim_node_add_port (SimNode *node, const char *name);
SimPort *sim_node_port (SimNode *node, guint index);

/* Links. name may be NULL: "NODEA-PORT--NODEB-PORT". */
SimLink *sim_link_new (SimWorld *world, SimPort *a, SimPort *b,
                       const SimLinkParams *params, const char *name);
SimSendResult sim_port_send (SimPort *port, SimPacket *packet);
SimPort *sim_port_peer (const SimPort *port);
/* Internal to sim/: the world keeps links and the capture. */
void sim_world_add_link (SimWorld *world, SimLink *link);
SimCapture *sim_world_capture (const SimWorld *world);
/* A buffer of SIM_PACKET_SIZE bytes for the frame being captured. */
uint8_t *sim_world_frame_scratch (SimWorld *world);
void sim_link_free (SimLink *link, SimPacketPool *pool);

/* Serialization time of bytes at rate_bps, rounded up; 0 when rate is 0.
 * Exact for every uint32 size and uint64 rate (no overflow), saturating at
 * SIM_TIME_MAX where the exact time does not fit. */
SimTime sim_link_serialization (uint64_t rate_bps, uint32_t bytes);

#endif
