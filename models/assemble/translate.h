/* The seam's crossing: the file format's choice indexes and values
 * (models/format/scenario.h) turned into the world's enums and plain
 * configuration structs (models/world/config.h). Every mapping is an
 * explicit table or switch, so adding a choice to the format without
 * saying what it means to the world fails to compile or asserts.
 *
 * Called by the builder (models/assemble/build*.c) and by expectations and
 * summaries (tools/report/expect.c, summary.c), which compare the world's
 * enums, never names. */
#ifndef CLOUDRUN_BUILD_TRANSLATE_H
#define CLOUDRUN_BUILD_TRANSLATE_H

#include "models/format/scenario.h"
#include "models/world/config.h"
#include "models/world/request.h"
#include "models/world/vpc-router.h"

VpcAccess build_vpc_access (CloudRunVpcAccess access);
VpcEgress build_vpc_egress (CloudRunVpcEgress egress);
GfeIngress build_ingress (CloudRunIngress ingress);
VpcPscBundle build_psc_bundle (CloudRunPscBundle bundle);
/* Throughput of one connector instance of the machine type, bits/s. */
uint64_t build_connector_rate (CloudRunMachineType type);

/* [expect] values: choice indexes of cloudrun_hop_kinds[] and
 * cloudrun_drop_causes[], and the outcome and classification choices. */
CloudRunHopKind build_hop_kind (int choice);
/* CLOUDRUN_DROP_UNPRODUCED for a cause the world never produces. Matched
 * by name on every call: translate once (tools/report/expect.c does, when
 * it starts counting). */
CloudRunDropCause build_drop_cause (int choice);
CloudRunVerdict build_verdict (CloudRunOutcome outcome);
CloudRunClass build_class (CloudRunClassification classified);

/* A new GArray of IamPrincipal for [service] invokers (a GArray of
 * CloudRunPrincipal); emails point into the scenario. */
GArray *build_invokers (const GArray *principals);
/* The account whose ID tokens a caller sends: a service's or VM's
 * service-account, a client's account (NULL when it has none). */
const char *build_caller_account (const CloudRunCaller *caller);

/* A new GArray of VpcCidr holding cidrs (a GArray of CloudRunCidr). */
GArray *build_cidrs (const GArray *cidrs);

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
                          const CloudRunNetwork *network,
                          VpcRouterConfig *config,
                          BuildRouterStorage *storage);
void build_router_config_clear (BuildRouterStorage *storage);

/* What a router knows of a source: subnet NULL for a connector's hidden
 * /28; nat NULL when no Cloud NAT serves it. Strings are the caller's
 * (the router copies them). */
CloudRunVpcSource build_vpc_source (CloudRunVpcSourceKind kind,
                                    const char *label,
                                    const CloudRunSubnet *subnet,
                                    const CloudRunNat *nat);

#endif
