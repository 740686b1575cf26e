/* A Serverless VPC Access connector: instances with addresses from its
 * /28 (a custom range makes a hidden subnet; or an existing /28 subnet),
 * each a hop that rewrites the source to its own address (SNAT) and keeps
 * the flow table for the replies. Only the serverless side opens
 * connections: a packet from the VPC that belongs to no flow is dropped.
 * https://cloud.google.com/vpc/docs/serverless-vpc-access
 * Scenario keys read: [connector] range, subnet, machine-type,
 * min-instances, max-instances. */
#ifndef CLOUDRUN_CONNECTOR_H
#define CLOUDRUN_CONNECTOR_H

#include "models/world/egress.h"
#include "models/world/snat.h"

typedef struct {
  CloudRunNode base;
  char *name;                   /* the connector's NAME, owned */
  SimPort *vpc;                 /* to the VPC router */
  uint32_t addrs[12];           /* its instances' addresses */
  unsigned n_addrs;
  unsigned next;                /* the instance for the next flow */
  CloudRunSnat snat;
  GPtrArray *attached;          /* CloudRunRevisionEgress* by port index */
} CloudRunConnectorNode;

/* config->instances: how many connector instances run (at most 12 fit
 * in a /28 with its four reserved addresses). */
CloudRunConnectorNode *cloudrun_connector_new (CloudRunWorld *world,
                                               const VpcConnectorConfig *config);
SimPort *cloudrun_connector_attach (CloudRunConnectorNode *c,
                                    const char *port_name,
                                    const CloudRunRevisionEgress *cfg);

#endif
