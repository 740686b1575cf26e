/* The seam's crossing: scenario records (models/format/scenario.h) turned
 * into the world's plain configuration structs (models/world/config.h),
 * and the few values that mean something only once in the world (a
 * machine type's throughput, the account a caller's tokens name). Enums
 * need no crossing: both sides speak models/vocab/vocabulary.h.
 *
 * Called by the builder (models/assemble/build*.c). */
#ifndef CLOUDRUN_BUILD_TRANSLATE_H
#define CLOUDRUN_BUILD_TRANSLATE_H

#include "models/format/scenario.h"
#include "models/world/config.h"
#include "models/world/request.h"
#include "models/world/vpc-router.h"

/* Throughput of one connector instance of the machine type, bits/s. */
uint64_t build_connector_rate (CloudRunMachineType type);

/* A new GArray of IamPrincipal for [service] invokers or iap-access (a
 * GArray of CloudRunSpecPrincipal, or NULL: empty); emails point into the
 * scenario. */
GArray *build_invokers (const GArray *principals);
/* The account whose ID tokens a caller sends: a service's or VM's
 * service-account, a client's account (NULL when it has none). */
const char *build_caller_account (const CloudRunSpecCaller *caller);

/* A new GArray of VpcCidr holding cidrs (a GArray of CloudRunSpecCidr). */
GArray *build_cidrs (const GArray *cidrs);
/* A scenario IPv6 range as the world's. */
VpcCidr6 build_cidr6 (const CloudRunSpecCidr6 *c);

/* The router configuration of network: its subnets, routes and firewall
 * rules in file order, and the assumptions that change routing. The
 * arrays it points to live in *storage until build_router_config_clear. */
typedef struct {
  GArray *subnets;              /* VpcSubnetConfig */
  GArray *routes;               /* VpcRouteConfig */
  GArray *firewalls;            /* VpcFirewallRule */
  GPtrArray *blocks;            /* what the rules' arrays point into */
} BuildRouterStorage;

void build_router_config (const CloudRunScenario *sc,
                          const CloudRunSpecNetwork *network,
                          VpcRouterConfig *config,
                          BuildRouterStorage *storage);
void build_router_config_clear (BuildRouterStorage *storage);

/* What a router knows of a source: subnet NULL for a connector's hidden
 * /28; nat NULL when no Cloud NAT serves it. Strings are the caller's
 * (the router copies them). */
CloudRunVpcSource build_vpc_source (CloudRunVpcSourceKind kind,
                                    const char *label,
                                    const CloudRunSpecSubnet *subnet,
                                    const CloudRunSpecNat *nat);

#endif
