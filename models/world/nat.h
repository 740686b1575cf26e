/* Cloud NAT: translates the source of packets from the subnets it serves
 * to one of its addresses and a port from the VM's block of
 * min-ports-per-vm, and back for the replies. It never sees traffic to
 * Google front ends (the VPC router sends that by Private Google Access,
 * which NAT turns on: [assumptions] nat-enables-pga).
 * https://cloud.google.com/nat/docs/overview
 * A TCP connection that closed keeps its port for tcp-time-wait-timeout
 * (120 s by default), as Cloud NAT's TCP TIME_WAIT timeout does
 * (https://cloud.google.com/nat/docs/tune-nat-configuration#specify-timeouts):
 * a burst of short connections can run a VM's block out.
 * Scenario keys read: [nat] network, region, subnets, addresses,
 * min-ports-per-vm, tcp-time-wait-timeout. */
#ifndef CLOUDRUN_NAT_H
#define CLOUDRUN_NAT_H

#include "models/world/snat.h"
#include "models/world/world.h"

typedef struct {
  CloudRunNode base;
  char *name;                   /* the gateway's NAME, owned */
  uint32_t min_ports_per_vm;    /* ports reserved per VM */
  SimPort *vpc, *internet;
  uint32_t *addrs;              /* its public addresses, owned */
  unsigned n_addrs;
  CloudRunSnat snat;
} CloudRunNatNode;

CloudRunNatNode *cloudrun_nat_new (CloudRunWorld *world,
                                   const VpcNatConfig *config,
                                   const uint32_t *addrs, unsigned n_addrs);

#endif
