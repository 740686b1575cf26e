/* Nodes: C structs that embed SimNode first and point to a const class
 * table (SQLite's io_methods, GStreamer's element). A node owns ports
 * (sim/port.h); packets reach it only through receive(), which takes
 * ownership, as a pad's chain function does.
 *
 * Nodes are made by set-up code (models/) with sim_node_new(); the world
 * owns them and calls clear() when it is freed. */
#ifndef SIM_NODE_H
#define SIM_NODE_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/packet.h"
#include "sim/port.h"
#include "sim/world.h"

typedef struct SimNode SimNode;

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
  const SimNodeClass *klass;    /* static, not owned */
  SimWorld *world;              /* the owner */
  char *name;                   /* owned; unique in the world */
  uint32_t id;                  /* index in the world, from 0 */
  GPtrArray *ports;             /* SimPort*, owned */
};

/* Life cycle: a zeroed klass->size bytes, owned by world. name must be
 * unique in the world. */
SimNode *sim_node_new (SimWorld *world, const SimNodeClass *klass,
                       const char *name);
/* A new unconnected port, owned by node, with the next if_id. */
SimPort *sim_node_add_port (SimNode *node, const char *name);
SimPort *sim_node_port (SimNode *node, guint index);

#endif
