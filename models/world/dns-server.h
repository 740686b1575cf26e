/* A DNS resolver node (see models/world/dns-server.c). */
#ifndef CLOUDRUN_DNS_SERVER_H
#define CLOUDRUN_DNS_SERVER_H

#include "models/world/world.h"
#include "sim/host.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* a port per caller (or one) */
  const DnsView *view;  /* not owned */
} CloudRunDnsServer;

/* The first port is named port_name and serves every caller without a
 * port of its own. */
CloudRunDnsServer *cloudrun_dns_server_new (CloudRunWorld *world,
                                            const char *name, uint32_t addr,
                                            const DnsView *view,
                                            const char *port_name);
/* Another port, for the caller at caller_addr. */
SimPort *cloudrun_dns_server_attach (CloudRunDnsServer *server,
                                     const char *port_name,
                                     uint32_t caller_addr);

#endif
