/* A DNS resolver node (see models/world/dns-server.c). */
#ifndef CLOUDRUN_DNS_SERVER_H
#define CLOUDRUN_DNS_SERVER_H

#include "models/world/world.h"
#include "sim/event.h"
#include "sim/host.h"

/* Queries a resolver may have out to other name servers at once. */
#define CLOUDRUN_DNS_FORWARDS 64u
/* How long a resolver waits for a forwarded query's answer. */
#define CLOUDRUN_DNS_FORWARD_TIMEOUT (1 * SIM_S)

/* A query sent on to a target name server, waiting for its answer. */
typedef struct {
  bool used;
  uint16_t id;                  /* of the query sent on */
  uint16_t caller_id;           /* of the caller's query */
  uint16_t caller_port;
  uint32_t caller;              /* the caller's address */
  uint32_t asked;               /* the address the caller asked */
  uint32_t target;              /* the name server asked */
  uint32_t request;
  const char *label;            /* what sent it on: the forwarding zone's
                                   or the server policy's label */
  char qname[SIM_DNS_NAME_MAX + 1];
  uint16_t qtype;               /* of the caller's question, A or AAAA */
  SimTimer timer;
} CloudRunDnsForward;

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* a port per caller (or one) */
  const DnsView *view;  /* not owned */
  /* A network's resolver that forwards (cloudrun_dns_server_forwarder). */
  SimPort *vpc;                 /* to the network's router, or NULL */
  uint32_t forward_addr;        /* its source address in 35.199.192.0/19 */
  const char *inbound_label;    /* "inbound server policy P", or NULL */
  uint16_t next_id;
  CloudRunDnsForward forwards[CLOUDRUN_DNS_FORWARDS];
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
/* The server answers on addr over IPv6 too (sim_host_add_address6);
 * the caller at caller_addr (IPv6) is reached by a new port named
 * port_name (NULL: the first port), which is returned. */
SimPort *cloudrun_dns_server_attach6 (CloudRunDnsServer *server,
                                      const char *port_name,
                                      const SimIp6 *addr,
                                      const SimIp6 *caller_addr);
/* port (one of the server's) leads to the network's router: queries
 * sent on to forwarding zones' targets and alternative name servers
 * leave by it from forward_addr (35.199.192.0/19), and so do the
 * answers to queries that came by it (to an inbound address). */
void cloudrun_dns_server_forwarder (CloudRunDnsServer *server, SimPort *port,
                                    uint32_t forward_addr);
/* An inbound forwarder address (an inbound server policy, named by
 * label): queries to it arrive through the router and are answered
 * from the view. */
void cloudrun_dns_server_add_inbound (CloudRunDnsServer *server,
                                      uint32_t addr, const char *label);

/* Answers query q (which arrived as frame, packet) from view as host's
 * node: the dns step, the decision on NXDOMAIN, the answer packet. Used
 * by a VM that serves DNS too; note may add words to the step. */
void cloudrun_dns_answer (CloudRunNode *node, SimHost *host,
                          const DnsView *view, const SimDnsMessage *q,
                          const SimFrame *frame, const SimPacket *packet,
                          const char *note);

#endif
