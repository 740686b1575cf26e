/* Shared by the builder's files (models/assemble*.c), nobody else. */
#ifndef CLOUDRUN_BUILD_PRIVATE_H
#define CLOUDRUN_BUILD_PRIVATE_H

#include "models/assemble/build.h"
#include "models/assemble/translate.h"
#include "models/world/connector.h"
#include "models/world/direct-vpc.h"
#include "models/world/dns-server.h"
#include "models/world/egress.h"
#include "models/world/endpoint.h"
#include "models/world/gfe.h"
#include "models/world/google.h"
#include "models/world/internet.h"
#include "models/world/nat.h"
#include "models/world/security-policy.h"
#include "models/world/vpc-router.h"

#define METADATA_ADDR CLOUDRUN_METADATA_ADDR
#define PUBLIC_RESOLVER 0x08080808u         /* 8.8.8.8 */
#define GFE_SERVING 0xa9fe0001u             /* 169.254.0.1 */
#define GFE_FABRIC 0x647ffffeu              /* 100.127.255.254 */
#define FABRIC_BASE 0x647f0000u             /* 100.127.0.0/16 */
#define GFE_FRONT_END 0xd8ef2035u           /* 216.239.32.53, where load
                                               balancers' proxies go */
#define EGRESS_POOL 0x22620010u             /* 34.98.0.16 */
#define EXTERNAL_BASE 0x23c00000u           /* 35.192.0.0/16, Google Cloud
                                               external addresses */

extern const SimLinkParams cloudrun_access_link, cloudrun_google_link,
  cloudrun_serving_link, cloudrun_vpc_link,
  cloudrun_direct_vpc_link;

/* What the builder keeps per network. */
typedef struct {
  const CloudRunSpecNetwork *network;
  CloudRunVpcRouter *router;
  uint32_t vni;
  DnsView *view;                /* owned by world->views */
  CloudRunDnsServer *metadata;  /* made at the first caller */
} BuildNetwork;

/* An inbound server policy's address in a subnet (build-dns.c). */
typedef struct {
  const CloudRunSpecNetwork *network;
  uint32_t addr;
  const char *label;            /* the policy's NAME */
} BuildInbound;

typedef struct {
  CloudRunWorld *world;
  const CloudRunScenario *sc;
  CloudRunInternet *internet;
  CloudRunGfe *gfe;
  CloudRunServerlessEgress *egress;  /* made at the first service caller */
  CloudRunDnsServer *public_metadata;/* idem, for services without VPC */
  GHashTable *networks;         /* CloudRunSpecNetwork* -> BuildNetwork* */
  GHashTable *callers;          /* caller NAME -> CloudRunRequester* */
  GHashTable *connectors;       /* CloudRunSpecConnector* -> node */
  GHashTable *workers;          /* CloudRunSpecWorker* -> BuildWorker*,
                                   owned (models/assemble/build-workers.c) */
  GHashTable *taken;            /* addresses in use inside networks */
  unsigned next_fabric;         /* fabric addresses handed out */
  unsigned next_external;       /* external addresses tried */
  unsigned next_site;           /* site public addresses tried */
  unsigned next_lb;             /* load balancer identities */
  GArray *inbound;              /* BuildInbound, owned */
} Build;

BuildNetwork *build_network (Build *b, const CloudRunSpecNetwork *network);

/* A Cloud Run workload that sends requests, as its instances' egress is
 * wired: a service's revision, a job, a worker pool. */
typedef struct {
  const char *kind;             /* "service", "job", "worker pool" */
  const char *name;             /* its NAME */
  const char *node;             /* stem of its Direct VPC node's name: a
                                   service's NAME, "job-NAME", ... */
  const CloudRunSpecWorkload *w;
} BuildWorkload;

/* The hops a workload's instances leave by. */
typedef struct {
  BuildNetwork *net;            /* the VPC it enters, or NULL */
  CloudRunRevisionEgress *cfg;  /* its egress settings (the world's) */
  CloudRunServerlessEgress *egress; /* the default internet egress */
  CloudRunDirectVpc *direct;    /* vpc-access direct, else NULL */
  CloudRunConnectorNode *conn;  /* vpc-access connector, else NULL */
} BuildCallerPath;

/* The egress of workload wl for its first n instances
 * (models/assemble/build-services.c): with Direct VPC, each gets an
 * address of the subnet's free /28 blocks in addrs (0: none left); svc,
 * a service, counts the blocks as held (NULL: a job or worker pool). */
void build_caller_path (Build *b, const BuildWorkload *wl, uint32_t n,
                        uint32_t *addrs, CloudRunServiceNode *svc,
                        BuildCallerPath *out);
/* Wires one instance (node with stack host) to p: a metadata resolver
 * port, the default egress on a new port out_name (NULL: the host's
 * first port), the VPC side with Direct VPC address addr, and the egress
 * routes; cold: its Direct VPC way starts cold at cold_at. */
void build_caller_instance (Build *b, const BuildCallerPath *p,
                            SimNode *node, SimHost *host,
                            const char *out_name, uint32_t addr, bool cold,
                            SimTime cold_at);
uint32_t build_fabric_addr (Build *b);
SimPort *build_gfe_fabric (Build *b, SimPort *peer, const char *name);
/* A port of the network's metadata resolver for a caller at addr. */
SimPort *build_metadata_port (Build *b, BuildNetwork *net, const char *name,
                              uint32_t addr);
/* The Cloud NAT serving subnet (NULL: a connector's hidden subnet, served
 * when the NAT lists no subnets) in network and region; NULL when none. */
const CloudRunSpecNat *build_nat_for (Build *b,
                                      const CloudRunSpecSubnet *subnet,
                                      const CloudRunSpecNetwork *network,
                                      const char *region);

/* The perimeters (models/assemble/build-perimeter.c), before anything that
 * points at them; the perimeter a project is in, or NULL. */
void build_perimeters (Build *b);
const CloudRunPerimeterPolicy *build_perimeter (
  Build *b, const CloudRunSpecProject *project);
void build_networks (Build *b);
/* Every range of network n with its region (subnets, connectors' hidden
 * /28s), newly allocated: VpcRegionRange. */
GArray *build_region_ranges (Build *b, const CloudRunSpecNetwork *n);
/* Routes on to the custom routes of network from (static routes not to
 * the internet gateway, dynamic routes learned from its sites) as
 * imported peering routes through port (models/assemble/build-peering.c);
 * peering names the peering in their text. */
void build_import_custom_routes (Build *b, CloudRunVpcRouter *to,
                                 SimPort *port,
                                 const CloudRunSpecNetwork *from,
                                 const char *peering);
/* Tells to's router that the ranges of the sites behind network's Cloud
 * Routers are out of its reach, why saying why after "site NAME"
 * (models/assemble/build-peering.c). */
void build_sites_unreachable (Build *b, const CloudRunSpecNetwork *network,
                              CloudRunVpcRouter *to, const char *why);
/* The producer networks of private services access and their managed
 * instances (models/assemble/build-managed.c), after the peerings. */
void build_private_access (Build *b);
/* The active VPC Network Peerings (models/assemble/build-peering.c): a link
 * between the two routers, each side's ranges routed to the other. After
 * build_networks. */
void build_peerings (Build *b);
/* Cloud VPN and Interconnect links to on-premises sites
 * (models/assemble/build-hybrid.c), after build_networks; and the public
 * address a site's host reaches the internet from (198.51.100.200
 * upwards, skipping every address the scenario uses). */
void build_hybrid_links (Build *b);
uint32_t build_site_addr (Build *b, const char *label, SimPort *port);
void build_vms (Build *b);
/* Cloud DNS forwarding (models/assemble/build-dns.c): the inbound
 * forwarder addresses, after the taken addresses and before anything
 * that picks free ones; then, once every caller has its resolver, each
 * forwarding network's resolver joined to its router. */
void build_dns_inbound_addresses (Build *b);
void build_dns_forwarding (Build *b);
void build_connectors (Build *b);
void build_psc_and_load_balancers (Build *b);
/* An external ALB's Cloud Armor policy p (NULL: none) and the clients'
 * geolocation, as world configs (models/assemble/build-armor.c); the
 * arrays live until build_armor_clear. */
typedef struct {
  CloudRunSecurityPolicyConfig policy;
  GArray *rules;                /* CloudRunSecurityRuleConfig */
  GPtrArray *ranges;            /* GArray of VpcCidr per rule */
  GArray *geo;                  /* CloudRunGeoRange */
} BuildArmor;
void build_armor_init (BuildArmor *a, const CloudRunScenario *sc,
                       const CloudRunSpecSecurityPolicy *p);
void build_armor_clear (BuildArmor *a);
void build_services (Build *b);
/* Jobs' tasks and worker pools' instances (models/assemble/
 * build-workers.c), after the services' callers, before their address
 * pools; their requesters in Build.workers for build_traffic. */
void build_workers (Build *b);
void build_worker_free (gpointer worker);
/* The plans of a [traffic] from a job or worker pool: one per instance,
 * from plans (room for each). */
void build_worker_plans (Build *b, const CloudRunSpecTraffic *t,
                         const CloudRunTrafficPlan *whole,
                         CloudRunTrafficPlan *plans);
void build_clients (Build *b);
void build_google_callers (Build *b);
void build_traffic (Build *b);

#endif
