/* Distance between Google Cloud regions, as time on the wire. Google
 * publishes no matrix of inter-region round-trip times in its
 * documentation, so the simulator derives one [assumption]: the
 * great-circle distance between the regions' cities, times a route factor
 * of 1.4 for fibre that does not run straight, at the speed of light in
 * fibre (about 204,000 km/s, two thirds of c). Inside one region the
 * delay is zero here (the VPC links already take 50 us; Google gives
 * "under 1 ms" within a region). The result is within about 20% of the
 * round trips commonly measured between regions (e.g. us-east1 to
 * europe-west1 about 90 ms, asia-northeast1 to us-west1 about 90 ms).
 *
 * A packet between two regions of one VPC network is held by the VPC
 * router for the one-way time before it goes on (FIFO per path, as the
 * delay is the same for every packet of it). A request that reached a
 * Google front end from another region than its service's crosses
 * Google's backbone: the GFE holds its packets to and from the instance
 * for the same table's one-way time (models/world/gfe.h).
 *
 * Where a packet set out from travels with it as SimPacket.origin: the
 * region of the host that sent it (a Cloud Run instance's service, a VM's
 * subnet, an internet client's [client] location), in this file's
 * numbering. */
#ifndef CLOUDRUN_REGION_LATENCY_H
#define CLOUDRUN_REGION_LATENCY_H

#include <stdbool.h>

#include "sim/explain.h"
#include "sim/packet.h"
#include "sim/port.h"
#include "sim/time.h"
#include "sim/world.h"

/* Whether the table knows region (a Cloud Run location name). */
bool cloudrun_region_known (const char *region);
/* A region as a packet's origin (SimPacket.origin): its place in the
 * table + 1; 0 for NULL or an unknown name. */
uint16_t cloudrun_region_origin (const char *region);
/* The region an origin names, or NULL (0, or not a region's). */
const char *cloudrun_region_of_origin (uint16_t origin);
/* One-way time between two regions: 0 for the same region or when either
 * is NULL or unknown. */
SimTime cloudrun_region_one_way (const char *a, const char *b);
/* How long packet, between the GFE and an instance in region, crosses
 * Google's backbone: the one-way time from the region it set out from
 * (packet->origin); 0 when either is unknown, for the same region, and
 * for the handshake's SYN and SYN-ACK. */
SimTime cloudrun_backbone_delay (const SimPacket *packet, const char *region);
/* note, followed by the crossing (the region pair, the one-way time, the
 * table) when origin is another region than region's; note alone
 * otherwise. */
const char *cloudrun_backbone_note (SimExplainLog *log, uint16_t origin,
                                    const char *region, const char *note);
/* Sends packet on port after delay (now when delay is 0); the packet is
 * held by the kernel meanwhile. */
void cloudrun_send_after (SimPort *port, SimPacket *packet, SimTime delay);
/* Releases the packets still held by cloudrun_send_after when a run ends
 * before they are sent (before the world is freed). */
void cloudrun_release_held (SimWorld *world);

#endif
