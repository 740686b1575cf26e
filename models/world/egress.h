/* Egress from a Cloud Run revision (docs/networking.md, "Egress"):
 * the routes an instance's IP stack gets from its service's vpc-access
 * and vpc-egress settings, which decide packet by packet whether a
 * destination leaves by the default internet egress or into the VPC; and
 * the default internet egress itself, a hop that translates the source to
 * an address of Google's dynamic pool (Connectivity Tests state
 * SERVERLESS_EXTERNAL_CONNECTION). The hop is external by nature: nothing
 * it sends carries a VPC identity.
 * https://cloud.google.com/run/docs/configuring/vpc-direct-vpc
 * Scenario keys read: [service], [job], [worker-pool] vpc-access,
 * vpc-egress; [assumptions]
 * private-ranges. */
#ifndef CLOUDRUN_EGRESS_H
#define CLOUDRUN_EGRESS_H

#include "models/world/config.h"
#include "models/world/snat.h"
#include "models/world/world.h"
#include "sim/host.h"

/* A revision's egress settings, as its instances and the egress hops see
 * them (the hops only quote them in explanations). */
typedef struct {
  const char *kind;             /* what sends: "service", "job", "worker
                                   pool" */
  const char *service;          /* its NAME */
  VpcAccess access;
  VpcEgress egress;
  const GArray *private_ranges; /* VpcCidr, not owned (the world's) */
  VpcCidr6 subnet6;             /* Direct VPC on a subnet whose IPv6 the
                                   instances use: its range; len 0: none
                                   (the instances have IPv4 only) */
} CloudRunRevisionEgress;

/* Installs the egress routes on an instance's host: with no VPC access
 * everything goes to egress_port; private-ranges-only sends the private
 * ranges to vpc_port and the rest to egress_port; all-traffic sends
 * everything to vpc_port. A host with IPv6 addresses (Direct VPC on a
 * dual-stack subnet) gets IPv6 routes the same way: all-traffic ::/0
 * into the VPC; private-ranges-only the unique local range fc00::/7 and
 * the subnet's own range into the VPC, and no IPv6 default route (the
 * internet egress carries IPv4 only): another IPv6 destination is
 * unreachable for the instance. */
void cloudrun_egress_configure (SimHost *host, const CloudRunRevisionEgress *cfg,
                                SimPort *egress_port, SimPort *vpc_port);
/* An instance on a port of an egress hop (the default internet egress,
 * a connector, Direct VPC): its revision's settings and its IP stack,
 * whose route for a destination is the decision the hop explains. */
typedef struct {
  const CloudRunRevisionEgress *cfg;
  const SimHost *host;          /* NULL: no stack (a test's probe) */
} CloudRunEgressSide;

/* Why dst left the way it did, for explanations: the settings and the
 * route the sending instance's stack took for dst
 * (sim_host_route_taken), never a second look at the ranges. */
const char *cloudrun_egress_why (const CloudRunEgressSide *side,
                                 uint32_t dst, SimExplainLog *log);
/* The same for an IPv6 destination (sim_host_route6_taken). */
const char *cloudrun_egress_why6 (const CloudRunEgressSide *side,
                                  const SimIp6 *dst, SimExplainLog *log);

typedef struct {
  CloudRunNode base;
  SimPort *internet;            /* towards the internet */
  uint32_t pool_addr;           /* the dynamic pool address used */
  CloudRunSnat snat;
  GArray *attached;             /* CloudRunEgressSide by port index */
} CloudRunServerlessEgress;

CloudRunServerlessEgress *cloudrun_serverless_egress_new (CloudRunWorld *world,
                                                          uint32_t pool_addr);
/* A port for one instance of a revision, whose stack is host. */
SimPort *cloudrun_serverless_egress_attach (CloudRunServerlessEgress *egress,
                                            const char *port_name,
                                            const CloudRunRevisionEgress *cfg,
                                            const SimHost *host);

#endif
