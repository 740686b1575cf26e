/* The VPC router of one network: what happens to a packet between a
 * source in the VPC (a VM, a connector, Direct VPC instances, load
 * balancer proxies) and where it goes. Packets of a new connection pass
 * the egress firewall rules (by priority; deny wins a tie; an implied
 * allow), then the routes (longest prefix, then priority): subnet routes
 * deliver inside the network (through the ingress firewall rules to a VM;
 * to a PSC endpoint for Google APIs only from a source that may use
 * Private Google Access, or a VM with an external address, under
 * [assumptions] psc-google-access = subnet-pga); a route to the default
 * internet gateway sends a Google destination to the GFE over Google's
 * fabric in a Geneve envelope naming this network and its project when
 * the source may use Private Google Access or is a VM with an external
 * address (its packets then leave from that address, translated 1:1;
 * otherwise PRIVATE_GOOGLE_ACCESS_DISALLOWED), other public destinations
 * out by a VM's external address or else to the Cloud NAT that serves
 * the packet's source range (otherwise NO_EXTERNAL_ADDRESS); no route
 * drops (NO_ROUTE). IPv6 packets follow the same rules per family
 * (models/world/vpc-router6.c): the subnets' IPv6 /64s, IPv6 routes, ::/0,
 * firewall rules of IPv6 ranges; an internal (ULA) source reaches Google
 * by Private Google Access and nothing else public.
 * https://cloud.google.com/vpc/docs/routes,
 * https://cloud.google.com/vpc/docs/private-google-access,
 * https://cloud.google.com/firewall/docs/firewalls
 * Configured by VpcRouterConfig (models/world/config.h), from the
 * scenario keys: [network] default-route; [subnet] range,
 * private-google-access, stack-type, ipv6-access-type, ipv6-range;
 * [route] *; [firewall] *; [assumptions]
 * connector-google-access, nat-enables-pga, psc-google-access. */
#ifndef CLOUDRUN_VPC_ROUTER_H
#define CLOUDRUN_VPC_ROUTER_H

#include "models/world/fabric.h"
#include "models/world/config.h"
#include "models/world/snat.h"
#include "models/world/world.h"
#include "sim/route.h"

typedef enum {
  CLOUDRUN_VPC_SOURCE_VM,
  CLOUDRUN_VPC_SOURCE_CONNECTOR,
  CLOUDRUN_VPC_SOURCE_DIRECT_VPC,
  CLOUDRUN_VPC_SOURCE_PROXY,    /* load balancer proxies */
  CLOUDRUN_VPC_SOURCE_PEER,     /* a peered network's router */
  CLOUDRUN_VPC_SOURCE_TUNNEL,   /* the other end of Cloud VPN or
                                   Interconnect (a site, or the VPC) */
  CLOUDRUN_VPC_SOURCE_CLOUD_DNS, /* the network's resolver: forwarded
                                   queries, inbound forwarding */
} CloudRunVpcSourceKind;

/* What the router knows of the sources behind an attachment port. */
typedef struct {
  CloudRunVpcSourceKind kind;
  const char *label;            /* "vm web", "connector conn", ... */
  const char *subnet;           /* its subnet's NAME; NULL: a connector's
                                   hidden /28 */
  bool subnet_pga;              /* Private Google Access is on for it */
  uint32_t external_addr;       /* a VM's external address, or 0 */
  const char *nat;              /* NAME of the Cloud NAT serving it, or
                                   NULL */
  const char *const *tags;      /* its network tags, NULL-terminated, or
                                   NULL: a connector's two, a VM's, a Direct
                                   VPC revision's */
  const char *service_account;  /* a VM's or Direct VPC revision's
                                   identity, or NULL */
  bool custom_routes;           /* a peer that imports the custom routes
                                   this network exports: its packets may
                                   follow them */
  const char *region;           /* its region (a subnet's, a connector's),
                                   or NULL: not regional */
  const char *const *secure_tags; /* a VM's secure tags, NULL-terminated,
                                   or NULL */
} CloudRunVpcSource;

/* Whether sources on a subnet, without an external address, reach Google
 * front ends (Private Google Access), and what decides it. */
typedef enum {
  CLOUDRUN_SUBNET_PGA_OFF,      /* off, and no Cloud NAT serves the subnet */
  CLOUDRUN_SUBNET_PGA_OFF_NAT,  /* off; a Cloud NAT serves it, but
                                   [assumptions] nat-enables-pga = false */
  CLOUDRUN_SUBNET_PGA_ON,       /* on for the subnet */
  CLOUDRUN_SUBNET_PGA_ON_BY_NAT,/* off for the subnet, turned on by the
                                   Cloud NAT serving it ([assumptions]
                                   nat-enables-pga) */
} CloudRunSubnetPga;

/* The rule itself: the router decides a subnet source's Google-bound
 * packets by it, and the picture labels a subnet with it (through
 * cloudrun_build_subnet_pga). */
CloudRunSubnetPga cloudrun_subnet_pga (bool subnet_pga, bool nat_serves,
                                       bool nat_enables_pga);

typedef struct CloudRunVpcRouter CloudRunVpcRouter;

/* The router of config->network (config is copied). */
CloudRunVpcRouter *cloudrun_vpc_router_new (CloudRunWorld *world,
                                            const VpcRouterConfig *config);
/* A port to sources (src non-NULL, copied with its strings) and/or
 * destinations. */
SimPort *cloudrun_vpc_router_attach (CloudRunVpcRouter *router,
                                     const char *port_name,
                                     const CloudRunVpcSource *src);
/* A port to the PSC endpoint for Google APIs named endpoint: a source
 * reaches it as VpcRouterConfig.psc_needs_pga says. */
SimPort *cloudrun_vpc_router_attach_psc (CloudRunVpcRouter *router,
                                         const char *port_name,
                                         const char *endpoint);
/* Addresses prefix/len are behind port (subnet-local delivery). */
void cloudrun_vpc_router_deliver (CloudRunVpcRouter *router, SimPort *port,
                                  uint32_t prefix, uint8_t len,
                                  const char *label);
/* IPv6 addresses prefix/len are behind port (a VM's address, a Direct VPC
 * instance's). */
void cloudrun_vpc_router_deliver6 (CloudRunVpcRouter *router, SimPort *port,
                                   const SimIp6 *prefix, uint8_t len,
                                   const char *label);
/* A range of the network (a hidden connector subnet, a proxy-only
 * subnet) that gets a subnet route like the subnets do. */
void cloudrun_vpc_router_add_local_range (CloudRunVpcRouter *router,
                                          uint32_t prefix, uint8_t len,
                                          const char *label);
/* Addresses prefix/len are in region: a packet delivered inside the
 * network between two regions is held for the one-way time between them
 * (models/world/region-latency.h). */
void cloudrun_vpc_router_add_region (CloudRunVpcRouter *router,
                                     uint32_t prefix, uint8_t len,
                                     const char *region);
/* The same for an IPv6 range (a subnet's /64). */
void cloudrun_vpc_router_add_region6 (CloudRunVpcRouter *router,
                                      const SimIp6 *prefix, uint8_t len,
                                      const char *region);
/* A port to the router of a peered network (VPC Network Peering, active):
 * what arrives there is delivered inside this network only (peering is
 * not transitive), after the ingress rules, or, when the peer imports the
 * custom routes this network exports (custom_routes), also along them
 * (across Cloud VPN or Interconnect); label names the peering for
 * explanations ("peering a-to-b (network b)"). */
SimPort *cloudrun_vpc_router_attach_peer (CloudRunVpcRouter *router,
                                          const char *port_name,
                                          const char *label,
                                          bool custom_routes);
/* A peering subnet route: prefix/len, a subnet range of the peer behind
 * port (from cloudrun_vpc_router_attach_peer); label names it. */
void cloudrun_vpc_router_add_peering_route (CloudRunVpcRouter *router,
                                            SimPort *port, uint32_t prefix,
                                            uint8_t len, const char *label);
/* A custom route the peer behind port exports and this network imports
 * (PEERING_STATIC, PEERING_DYNAMIC); name is its whole text. */
void cloudrun_vpc_router_add_imported_route (CloudRunVpcRouter *router,
                                             SimPort *port, uint32_t prefix,
                                             uint8_t len, const char *name);
/* A port to the other end of Cloud VPN or Cloud Interconnect: on a VPC
 * router, what arrives there (from the site) is delivered to the
 * network's own ranges or along a peering subnet route to a peer's, or
 * carried to the GFE when it is for a Google API VIP (Private Google
 * Access for on-premises hosts); on a site's router,
 * delivered to the site's own ranges. */
SimPort *cloudrun_vpc_router_attach_tunnel (CloudRunVpcRouter *router,
                                            const char *port_name,
                                            const char *label);
/* A route over port (from cloudrun_vpc_router_attach_tunnel) to
 * prefix/len; name is the route's whole text for explanations
 * ("dynamic route ... next hop NEXT_HOP_VPN_TUNNEL"). */
void cloudrun_vpc_router_add_tunnel_route (CloudRunVpcRouter *router,
                                           SimPort *port, uint32_t prefix,
                                           uint8_t len, const char *name);
/* Addresses prefix/len belong to a network this one is not peered with
 * though it might seem so (a peer's peer, a peering created on one side
 * only): why says which, for the explanation of a packet that finds no
 * way there. */
void cloudrun_vpc_router_add_unreachable (CloudRunVpcRouter *router,
                                          uint32_t prefix, uint8_t len,
                                          const char *why);
SimPort *cloudrun_vpc_router_google_port (CloudRunVpcRouter *router);
SimPort *cloudrun_vpc_router_internet_port (CloudRunVpcRouter *router);
/* Sources in prefix/len reach the internet through the Cloud NAT behind
 * port (a network has one per region, each for its region's subnets). */
void cloudrun_vpc_router_add_nat (CloudRunVpcRouter *router, SimPort *port,
                                  uint32_t prefix, uint8_t len);
/* The Cloud NAT with NAT64 behind port serves the IPv6 sources in
 * prefix/len (an ipv6-only subnet's /64): their packets to 64:ff9b::/96
 * go there (models/world/vpc-router6.c). */
void cloudrun_vpc_router_add_nat64 (CloudRunVpcRouter *router, SimPort *port,
                                    const SimIp6 *prefix, uint8_t len);
uint32_t cloudrun_vpc_router_vni (const CloudRunVpcRouter *router);

#endif
