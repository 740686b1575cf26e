/* The Cloud Run world at run time: the simulated nodes built from a
 * scenario, the request ledger, the traffic plans, and the lookups the
 * nodes need (which service owns a URL host). models/assemble/build.c makes it;
 * tools/ runs it and reads the ledger to report. */
#ifndef CLOUDRUN_WORLD_H
#define CLOUDRUN_WORLD_H

#include <glib.h>

#include "models/world/dns-view.h"
#include "models/world/request.h"
#include "models/world/requester.h"
#include "models/world/series.h"
#include "sim/node.h"

typedef struct CloudRunServiceNode CloudRunServiceNode;

typedef struct {
  SimWorld *sim;                /* owned */
  CloudRunLedger ledger;        /* every request of the run */
  CloudRunTrafficPlan *plans;   /* one per [traffic], owned */
  guint n_plans;
  CloudRunTrafficPlan *worker_plans; /* a traffic from a job or worker
                                   pool: one plan per task or instance,
                                   owned */
  GHashTable *hosts;            /* URL host -> CloudRunServiceNode*;
                                   lookups only, never iterated */
  GPtrArray *services;          /* CloudRunServiceNode*, not owned */
  GPtrArray *zones;             /* DnsZone*, owned */
  GPtrArray *policies;          /* DnsPolicy*, owned: response policies */
  DnsView public_view;          /* what internet clients resolve with */
  GPtrArray *views;             /* DnsView* of the networks, owned */
  GPtrArray *egress;            /* CloudRunRevisionEgress*, owned */
  GPtrArray *ip_pools;          /* CloudRunAddressPool*, owned */
  GPtrArray *perimeters;        /* CloudRunPerimeterPolicy*, owned
                                   (models/world/perimeter.h) */
  int ingress_denied_status;    /* [assumptions] ingress-denied-status */
  GArray *private_ranges;       /* VpcCidr: what private-ranges-only sends
                                   into the VPC; owned */
  CloudRunSeries *series;       /* load over time, owned; NULL: none */
} CloudRunWorld;

/* Each model node embeds SimNode first, then this pointer. */
typedef struct {
  SimNode node;
  CloudRunWorld *world;
} CloudRunNode;

/* Drops packet at node, releasing it. With a step (on the packet that
 * decides: a connection's first), the drop is explained by it (state DROP
 * or ABORT, its cause) and the request is decided DROPPED there, at
 * step->hop for step->cause; without one it goes silently. */
void cloudrun_node_drop (CloudRunNode *node, SimPacket *packet,
                         const CloudRunStep *step);

void cloudrun_world_free (CloudRunWorld *world);
/* A UDP datagram to or from port 53: nodes that explain a connection's
 * first packet explain each of these too. */
bool cloudrun_dns_datagram (const SimFrame *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloudRunWorld, cloudrun_world_free)

/* The world's gauge (kind, name, metric) of its series (see
 * models/world/series.h), made on first call; NULL when it keeps none. */
CloudRunGauge *cloudrun_world_gauge (CloudRunWorld *world, const char *kind,
                                     const char *name, const char *metric);

/* Runs the world for the scenario's duration; returns events fired. */
uint64_t cloudrun_world_run (CloudRunWorld *world, SimTime duration);

#endif
