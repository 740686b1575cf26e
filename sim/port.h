/* Ports: a node's network interfaces, each the end of at most one link.
 * Packets move only port -> link -> port: sim_port_send() writes the
 * Ethernet addresses (every link is point to point, so there is no ARP)
 * and hands the frame to the link (sim/link.h), which takes ownership.
 *
 * Ports are made by sim_node_add_port() (sim/node.h) and owned by their
 * node; the world indexes them by if_id for captures and reports. */
#ifndef SIM_PORT_H
#define SIM_PORT_H

#include <stdint.h>

#include "sim/packet.h"

typedef struct SimNode SimNode;
typedef struct SimPort SimPort;
typedef struct SimLink SimLink;

struct SimPort {
  SimNode *node;                /* owner */
  char *name;                   /* owned, e.g. "eth0" */
  uint32_t index;               /* in node->ports */
  uint32_t if_id;               /* world-wide interface number (capture) */
  uint8_t mac[6];               /* 02:NN:NN:NN:PP:PP from node id and index */
  SimLink *link;                /* NULL until connected; opaque */
  uint8_t dir;                  /* direction this port transmits on link */
};

typedef enum {
  SIM_SEND_OK = 0,
  SIM_SEND_DROP_QUEUE,          /* queue limit reached; packet released */
  SIM_SEND_NO_LINK,             /* port unconnected; packet released */
} SimSendResult;

/* Sends packet (a whole Ethernet frame) on port's link; always takes
 * ownership, releasing it on any drop. */
SimSendResult sim_port_send (SimPort *port, SimPacket *packet);
/* The port at the other end of port's link; NULL when unconnected. */
SimPort *sim_port_peer (const SimPort *port);

#endif
