/* The world owns the kernel, the packet pool, the explanation log, every
 * node (sim/node.h) with its ports (sim/port.h) and every link
 * (sim/link.h). Set-up code creates nodes and links; sim_world_run()
 * starts the nodes, runs the kernel and stops them. An optional tap
 * (sim/tap.h), such as the capture, sees every frame arrival.
 *
 * Invariant: node ids, interface ids and link ids are dense indexes in
 * creation order, so captures and reports are deterministic. */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <glib.h>
#include <stdint.h>

#include "sim/event.h"
#include "sim/explain.h"
#include "sim/link.h"
#include "sim/packet.h"
#include "sim/port.h"
#include "sim/tap.h"
#include "sim/time.h"

typedef struct SimWorld SimWorld;
typedef struct SimNode SimNode;

/* Life cycle. */
SimWorld *sim_world_new (uint64_t seed);
void sim_world_free (SimWorld *world);   /* frees nodes (clear) and links */
/* Releases the packet that each event of action fn still pending holds
 * as its arg: a node that delays packets with such events calls it from
 * its clear, for a run cut before they fire. */
void sim_world_release_pending (SimWorld *world, SimEventFn fn);

/* What the world owns, borrowed. */
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

/* The tap is optional (NULL removes it) and not owned: remove it before
 * freeing it if the world runs on. */
void sim_world_set_tap (SimWorld *world, SimTap *tap);
SimTap *sim_world_tap (const SimWorld *world);

/* Who explains a frame a link dropped before the wire (the world's models
 * know which request it served and in what words to say it): called with
 * the packet, borrowed, before the tap sees it and before it is released.
 * Optional; NULL removes it. */
typedef void (*SimDropExplainFn) (void *user, SimPort *tx,
                                  const SimPacket *packet,
                                  SimSendResult why);
void sim_world_set_drop_explainer (SimWorld *world, SimDropExplainFn fn,
                                   void *user);
/* The number of the next frame of trace.pcapng, whether a capture writes
 * it or not: every link arrival, and every frame a full queue dropped
 * that has an explanation, in order from 1 (the capture writes exactly
 * these, sim/capture.c). Internal to sim/link.c and sim/world.c. */
uint64_t sim_world_next_trace_frame (SimWorld *world);
/* Internal to sim/link.c: explains the drop, shows it to the tap. */
void sim_world_explain_drop (SimWorld *world, SimPort *tx,
                             const SimPacket *packet, SimSendResult why);

/* Calls every node's start(), runs the kernel until `until`, then every
 * node's stop(). Returns events fired. The three steps are also callable
 * one by one, to run in slices (start, advance..., finish). */
uint64_t sim_world_run (SimWorld *world, SimTime until);
void sim_world_start (SimWorld *world);
uint64_t sim_world_advance (SimWorld *world, SimTime until);
void sim_world_finish (SimWorld *world);
/* Packet-hops delivered over all links. */
uint64_t sim_world_hops (const SimWorld *world);

/* Internal to sim/: sim_link_new() hands the world its link, which gets
 * the next link id. */
uint32_t sim_world_add_link (SimWorld *world, SimLink *link);

#endif
