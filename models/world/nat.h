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
 * With NAT64 (nat/docs/public-nat, NAT64; vpc/docs/ipv6-to-ipv4-overview)
 * it takes IPv6 packets of IPv6-only VMs to 64:ff9b::/96 too: each IPv6
 * source stands for a small number inside the gateway (1, 2, ... in
 * file order of first packets, never on the wire), so the same mappings
 * and port blocks as IPv4 (snat.c) serve it; the packet is translated to
 * IPv4 (sim/nat64.h, RFC 7915) toward the IPv4 address the destination
 * carries (RFC 6052), then its source to the gateway's address and port;
 * a reply is translated back to IPv6 from 64:ff9b::REMOTE.
 * Scenario keys read: [nat] network, region, subnets, addresses,
 * min-ports-per-vm, tcp-time-wait-timeout, nat64. */
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
  bool nat64;                   /* takes IPv6 to 64:ff9b::/96 */
  GArray *sources6;             /* SimIp6: the IPv6 source that number
                                   i + 1 stands for in snat */
} CloudRunNatNode;

CloudRunNatNode *cloudrun_nat_new (CloudRunWorld *world,
                                   const VpcNatConfig *config,
                                   const uint32_t *addrs, unsigned n_addrs);

#endif
