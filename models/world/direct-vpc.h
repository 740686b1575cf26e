/* Direct VPC egress of one service, job or worker pool: its instances'
 * (or tasks') network interfaces in a subnet, each with its own subnet
 * address (no SNAT), reserved in /28 blocks for bursts (about
 * direct-vpc-ip-factor addresses per instance).
 * VPC resources cannot open connections to the instances: a packet from
 * the VPC that is not a reply is dropped. When the subnet has no block
 * left an instance gets no address and its egress into the VPC aborts
 * (NO_SERVERLESS_IP_RANGES).
 *
 * On a dual-stack subnet whose IPv6 access is internal, an instance has
 * an IPv6 address of the subnet's /64 too, and the node passes IPv6 both
 * ways by the same rules (replies to flows the instances opened only).
 * https://cloud.google.com/run/docs/configuring/vpc-dual-stack-subnet
 *
 * Start-up: Google documents connection establishment delays on instance
 * startup with Direct VPC. An instance that starts cold gets its way into
 * the VPC start_delay later: until then the node holds what it sends
 * (each packet once: a retransmission of a held segment is dropped as a
 * duplicate) and lets it go, in order, when the way is up.
 * https://cloud.google.com/run/docs/configuring/vpc-direct-vpc
 * Scenario keys read: [service], [job], [worker-pool] subnet; [assumptions]
 * direct-vpc-ip-factor, direct-vpc-start-delay. */
#ifndef CLOUDRUN_DIRECT_VPC_H
#define CLOUDRUN_DIRECT_VPC_H

#include "models/world/egress.h"
#include "sim/route.h"
#include "sim/route6.h"

typedef struct {
  CloudRunNode base;
  SimPort *vpc;                 /* to the VPC router */
  const CloudRunRevisionEgress *cfg;
  SimRouteTable *instances;     /* instance address /32 -> port */
  GArray *sides;                /* CloudRunEgressSide by port index */
  GHashTable *flows;            /* flows the instances opened; lookups */
  SimRoute6Table *instances6;   /* instance IPv6 address /128 -> port
                                   (NULL: no instance has one) */
  GHashTable *flows6;           /* IPv6 flows the instances opened */
  SimTime start_delay;          /* [assumptions] direct-vpc-start-delay */
  GArray *up_at;                /* SimTime by port index: when the
                                   instance's way into the VPC is up (0:
                                   from the start) */
  GHashTable *held;             /* packet waiting for it -> its DirectHeld
                                   (lookups; walked only to free) */
  GHashTable *held_segments;    /* the held TCP segments, by their
                                   addresses, ports, sequence, flags and
                                   length; lookups only */
  uint64_t held_duplicates;     /* retransmissions of held packets dropped */
} CloudRunDirectVpc;

CloudRunDirectVpc *cloudrun_direct_vpc_new (CloudRunWorld *world,
                                            const char *service,
                                            const CloudRunRevisionEgress *cfg);
/* A port for an instance with address addr (0: none could be given),
 * whose stack is host. */
SimPort *cloudrun_direct_vpc_attach (CloudRunDirectVpc *d,
                                     const char *port_name, uint32_t addr,
                                     const SimHost *host);
/* The instance behind port has IPv6 address addr too. */
void cloudrun_direct_vpc_attach6 (CloudRunDirectVpc *d, SimPort *port,
                                  const SimIp6 *addr);
/* The instance behind port starts cold at time at: what it sends into the
 * VPC waits until at + d->start_delay. */
void cloudrun_direct_vpc_cold_start (CloudRunDirectVpc *d, SimPort *port,
                                     SimTime at);

#endif
