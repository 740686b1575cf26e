/* The VPC router's insides, shared by its IPv4 path
 * (models/world/vpc-router.c) and its IPv6 path
 * (models/world/vpc-router6.c): the node, its routes, and the helpers
 * both families decide with (explanation steps, drops, Private Google
 * Access, firewall notes). Not for other nodes: they use
 * models/world/vpc-router.h. */
#ifndef CLOUDRUN_VPC_ROUTER_PRIVATE_H
#define CLOUDRUN_VPC_ROUTER_PRIVATE_H

#include "models/world/vpc-firewall.h"
#include "models/world/vpc-router.h"
#include "sim/route6.h"

/* The priority Google Cloud gives a network's default route. */
#define VPC_DEFAULT_ROUTE_PRIORITY 1000u

typedef enum {
  ROUTE_SUBNET,                 /* deliver inside the network */
  ROUTE_GATEWAY,                /* default-internet-gateway */
  ROUTE_BLACKHOLE,
  ROUTE_NEXT_HOP_ADDRESS,
  ROUTE_PEERING,                /* a peered network's subnet */
  ROUTE_TUNNEL,                 /* across Cloud VPN or Interconnect */
} VpcRouteKind;

typedef struct {
  VpcRouteKind kind;
  char *name;                   /* "subnet-route run-subnet", "route X" */
  uint32_t next_hop;            /* ROUTE_NEXT_HOP_ADDRESS */
  SimPort *peer;                /* ROUTE_PEERING, ROUTE_TUNNEL: the port
                                   to the other router */
} VpcRouteInfo;

struct CloudRunVpcRouter {
  CloudRunNode base;
  char *network;                /* the network's NAME, owned */
  bool default_route;           /* has 0.0.0.0/0 to the gateway */
  bool on_premises;             /* a site's router */
  VpcConnectorGoogleAccess connector_google_access;
  bool nat_enables_pga;
  bool psc_needs_pga;           /* [assumptions] psc-google-access */
  uint32_t vni;
  uint64_t project_number;
  uint32_t fabric_addr, gfe_fabric_addr;
  SimPort *google;              /* fabric to the GFE */
  SimPort *internet;            /* external addresses of VMs */
  SimRouteTable *nat_sources;   /* source range -> SimPort* to the Cloud
                                   NAT serving it (one per region) */
  GPtrArray *sources;           /* CloudRunVpcSource* by port index */
  GPtrArray *psc_endpoints;     /* char* NAME of the PSC endpoint behind a
                                   port, by port index, or NULL; owned */
  SimRouteTable *routes;        /* value: VpcRouteInfo* */
  GPtrArray *route_info;        /* VpcRouteInfo*, owned */
  SimRouteTable *local;         /* value: SimPort* of the destination */
  GPtrArray *local_labels;      /* char*, by local route order, owned */
  CloudRunVpcFirewall *firewall; /* the network's rules */
  CloudRunSnat external;        /* VMs' external addresses, 1:1 */
  SimRouteTable *regions;       /* value: the range's region (interned in
                                   the explanation log) */
  SimRouteTable *unreachable;   /* value: why a range near this network is
                                   not reachable (interned) */
  /* IPv6 (models/world/vpc-router6.c). */
  SimRoute6Table *routes6;      /* value: VpcRouteInfo* (in route_info) */
  SimRoute6Table *local6;       /* value: SimPort* of the destination */
  GPtrArray *local6_labels;     /* char*, by local6 route order, owned */
  SimRoute6Table *external6;    /* the external IPv6 /64s of the network's
                                   subnets; value unused */
  SimRoute6Table *nat64_sources; /* an ipv6-only subnet's /64 -> SimPort*
                                   to the Cloud NAT with NAT64 serving it */
  SimRoute6Table *regions6;     /* value: the range's region (interned) */
};

/* An explanation step of the router about f; returns its index. */
uint32_t vpc_step (CloudRunVpcRouter *r, SimPacket *packet,
                            const SimFrame *f, CloudRunState state,
                            const char *rule, const char *note);
/* Drops packet for cause, a step when explain. */
void vpc_drop (CloudRunVpcRouter *r, SimPacket *packet,
                        const SimFrame *f, bool explain,
                        CloudRunDropCause cause, const char *rule);
/* Opens a connection: a TCP SYN, or any UDP datagram. */
bool vpc_new_flow (const SimFrame *f);
/* A firewall step's note for verdict v at an instance of region. */
const char *vpc_firewall_note (SimExplainLog *log,
                                        const CloudRunFirewallVerdict *v,
                                        const char *region);
/* May src reach Google front ends without an external address (Private
 * Google Access)? why, when given, says which rule decided. */
bool vpc_private_google_access (CloudRunVpcRouter *r,
                                         const CloudRunVpcSource *src,
                                         const char **why);
/* The egress rules for f from src; drops f and returns false when they
 * deny it. */
bool vpc_egress_allowed (CloudRunVpcRouter *r, SimPacket *packet,
                         const SimFrame *f, const CloudRunVpcSource *src,
                         bool explain);
/* The ingress rules for f from src (NULL: from outside the network) into
 * VM dst; drops f and returns false when they deny it. */
bool vpc_ingress_allowed (CloudRunVpcRouter *r, SimPacket *packet,
                                   const SimFrame *f,
                                   const CloudRunVpcSource *src,
                                   const CloudRunVpcSource *dst,
                                   bool explain);
/* The source behind port, or NULL (a destination-only attachment). */
const CloudRunVpcSource *vpc_source (const CloudRunVpcRouter *r,
                                              const SimPort *port);
/* Adds a route (name owned) to the IPv4 or the IPv6 table. */
VpcRouteInfo *vpc_add_route_info (CloudRunVpcRouter *r,
                                           VpcRouteKind kind, char *name,
                                           uint32_t next_hop);

/* The IPv6 path (models/world/vpc-router6.c): the routes of config's
 * IPv6 ranges; a packet of an IPv6 frame f from port (its source, or
 * NULL: the fabric, the internet, a destination-only attachment); its
 * tables' end. */
void cloudrun_vpc_router6_init (CloudRunVpcRouter *r,
                                const VpcRouterConfig *config);
void cloudrun_vpc_router6_receive (CloudRunVpcRouter *r, SimPort *port,
                                   SimPacket *packet, const SimFrame *f);
void cloudrun_vpc_router6_clear (CloudRunVpcRouter *r);

#endif
