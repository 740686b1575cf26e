/* A Private Service Connect endpoint for Google APIs: an internal address
 * in the VPC whose traffic reaches Google's front ends with the VPC's
 * identity (no Private Google Access needed), bundle all-apis or vpc-sc.
 * https://cloud.google.com/vpc/docs/configure-private-service-connect-apis
 * Scenario keys read: [psc-endpoint] network, address, bundle. */
#ifndef CLOUDRUN_PSC_H
#define CLOUDRUN_PSC_H

#include "models/world/fabric.h"
#include "models/world/world.h"

typedef struct {
  CloudRunNode base;
  char *name;                   /* the endpoint's NAME, owned */
  char *network;                /* its network's NAME, owned */
  VpcPscBundle bundle;
  SimPort *vpc, *google;
  CloudRunFabricIdentity identity;
  uint32_t fabric_addr, gfe_fabric_addr;
} CloudRunPscNode;

CloudRunPscNode *cloudrun_psc_new (CloudRunWorld *world,
                                   const VpcPscConfig *config,
                                   uint32_t fabric_addr,
                                   uint32_t gfe_fabric_addr);

#endif
