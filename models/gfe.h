/* The Google Front End: terminates the caller's TCP on the run.app front
 * end addresses, reads the Host header, finds the service, classifies the
 * request internal or external from what its packets carried, applies the
 * service's ingress setting and either proxies the request to an instance
 * or answers the refusal itself; the container never sees a refused
 * request. https://cloud.google.com/run/docs/securing/ingress
 * Scenario keys read: [service] ingress, default-url (through the service
 * record); [assumptions] ingress-denied-status. */
#ifndef CLOUDRUN_GFE_H
#define CLOUDRUN_GFE_H

#include "models/service.h"
#include "sim/host.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* front end addresses; serving address */
  SimPort *internet;            /* port to the internet */
  uint32_t serving_addr;        /* source address towards instances */
  GPtrArray *sessions;          /* CloudRunGfeSession*, owned */
  GPtrArray *idle;              /* sessions free for reuse */
  uint64_t refused;             /* requests answered by the GFE itself */
  uint64_t forwarded;           /* requests proxied to an instance */
} CloudRunGfe;

/* front_ends: the anycast addresses; the internet port is "internet". */
CloudRunGfe *cloudrun_gfe_new (CloudRunWorld *world, const uint32_t *front_ends,
                               unsigned n_front_ends, uint32_t serving_addr);
/* Connects an instance: a port towards it and a host route. */
SimPort *cloudrun_gfe_add_instance_port (CloudRunGfe *gfe,
                                         CloudRunInstance *instance);

#endif
