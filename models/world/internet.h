/* The public internet as one router node: a port per attached thing (an
 * internet client, the public resolver, the Google front ends), routes by
 * longest prefix per family (IPv4 and IPv6 tables), TTL or hop limit
 * decremented at each crossing. */
#ifndef CLOUDRUN_INTERNET_H
#define CLOUDRUN_INTERNET_H

#include "models/world/world.h"
#include "sim/route.h"
#include "sim/route6.h"

typedef struct {
  CloudRunNode base;
  SimRouteTable *routes;        /* value: SimPort* */
  GPtrArray *labels;            /* char*, one per route, owned */
  SimRoute6Table *routes6;      /* value: SimPort* */
  GPtrArray *labels6;           /* char*, one per IPv6 route, owned */
  uint64_t no_route;            /* packets dropped for want of a route */
} CloudRunInternet;

CloudRunInternet *cloudrun_internet_new (CloudRunWorld *world);
/* Adds a port and routes prefix/len to it; label names what is behind. */
SimPort *cloudrun_internet_attach (CloudRunInternet *internet,
                                   const char *port_name, uint32_t prefix,
                                   uint8_t len, const char *label);
/* A port with no route yet. */
SimPort *cloudrun_internet_port (CloudRunInternet *internet,
                                 const char *port_name);
void cloudrun_internet_add_route (CloudRunInternet *internet, SimPort *port,
                                  uint32_t prefix, uint8_t len,
                                  const char *label);
/* Routes the IPv6 prefix/len to port. */
void cloudrun_internet_add_route6 (CloudRunInternet *internet, SimPort *port,
                                   const SimIp6 *prefix, uint8_t len,
                                   const char *label);

#endif
