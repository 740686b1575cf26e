/* A DNS resolver node (see models/dns-server.c). */
#ifndef CLOUDRUN_DNS_SERVER_H
#define CLOUDRUN_DNS_SERVER_H

#include "models/world.h"
#include "sim/host.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* one port, eth0 */
  const DnsView *view;  /* not owned */
  uint32_t pending_request;     /* request id of the packet being handled */
} CloudRunDnsServer;

CloudRunDnsServer *cloudrun_dns_server_new (CloudRunWorld *world,
                                            const char *name, uint32_t addr,
                                            const DnsView *view);

#endif
