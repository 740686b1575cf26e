/* What the topology picture draws (tools/report/graph.c writes it as DOT): the
 * simulated nodes folded into the things a reader knows, each with its
 * settings, placed in nested boxes.
 *
 * - Boxes: the internet (clients, external hosts), Google products, each
 *   project > network > region (subnets, connectors, VMs, NAT, internal
 *   load balancers; the router, PSC endpoints and private DNS zones at the
 *   network level), Google's edge (GFE, public DNS, external load
 *   balancers, Cloud Run's internet egress), and Cloud Run per region, its
 *   calling services apart from the services only called.
 * - Folding: a service's instances are one node with their count; a
 *   Direct VPC egress is drawn as the subnet it sends from; the metadata
 *   resolvers are left out (a network's private zones are a node of their
 *   own).
 * - Links: every simulated link between two different drawn nodes, once,
 *   from the left column to the right (callers, their subnets and
 *   connectors, routers, the internet and the edge, the GFE, the called
 *   services).
 * Everything is kept in the order of the scenario and the simulated
 * world, so that the DOT text is the same from run to run. */
#ifndef TOOLS_GRAPH_PICTURE_H
#define TOOLS_GRAPH_PICTURE_H

#include <glib.h>

#include "models/format/scenario.h"
#include "models/world/world.h"

typedef struct {
  char *id;                     /* DOT id: "service backend" */
  char *label;                  /* lines joined by '\n' */
  int box;                      /* index into GraphPicture.boxes */
  int column;                   /* 0 (callers) .. 5 (called services) */
  const char *fill;             /* fill colour */
} GraphNode;

typedef struct {
  char *label;
  int parent;                   /* index of the enclosing box, or -1 */
  const char *color;            /* the frame's colour */
} GraphBox;

typedef struct {
  GPtrArray *nodes;             /* GraphNode*, owned */
  GPtrArray *boxes;             /* GraphBox*, owned; a parent comes first */
  int *of_sim;                  /* per simulated node id: drawn index, or
                                   -1 when left out */
  guint n_sim;
  GArray *links;                /* int pairs (tail, head) into nodes */
  GHashTable *by_id;            /* id -> index + 1; lookups only */
  GHashTable *box_by_key;       /* key -> index + 1; lookups only */
} GraphPicture;

GraphPicture *graph_picture_new (const CloudRunScenario *sc,
                                 CloudRunWorld *world);
void graph_picture_free (GraphPicture *pic);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GraphPicture, graph_picture_free)

/* The drawn node of a simulated node's name, or -1 (left out, unknown). */
int graph_picture_of_name (const GraphPicture *pic, SimWorld *sim,
                           const char *name);

#endif
