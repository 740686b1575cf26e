/* Names of the world's vocabulary and settings (see
 * models/world/config.h). The names are the ones explanations, reports
 * and the scenario format use. */
#include "models/world/config.h"

#include "sim/wire.h"

static const char *const hop_names[CLOUDRUN_N_HOPS] = {
  "dns", "egress", "connector", "direct-vpc", "vpc-router", "nat",
  "internet", "psc-endpoint", "ilb", "external-alb", "gfe", "service", "vm",
  "client", "google-product",
};

#define CAUSE(X) [CLOUDRUN_DROP_##X] = #X
static const char *const drop_cause_names[CLOUDRUN_N_DROP_CAUSES] = {
  CAUSE (NO_ROUTE),
  CAUSE (PRIVATE_GOOGLE_ACCESS_DISALLOWED),
  CAUSE (NO_EXTERNAL_ADDRESS),
  CAUSE (FIREWALL_RULE),
  CAUSE (LOAD_BALANCER_HAS_NO_PROXY_SUBNET),
  CAUSE (FORWARDING_RULE_REGION_MISMATCH),
  CAUSE (NO_SERVERLESS_IP_RANGES),
  CAUSE (INGRESS_DENIED),
  CAUSE (IAM_DENIED),
  CAUSE (ROUTE_BLACKHOLE),
  CAUSE (PRIVATE_TRAFFIC_TO_INTERNET),
  CAUSE (VPC_SC_DENIED),
  CAUSE (CLOUD_NAT_PORTS_EXHAUSTED),
  CAUSE (LINK_QUEUE_FULL),
  CAUSE (VPC_CONNECTOR_QUEUE_FULL),
  CAUSE (TARGET_TYPE_NOT_PERMITTED_FOR_VPC),
};
#undef CAUSE

const char *
cloudrun_hop_name (CloudRunHopKind hop)
{
  if (hop < 0 || hop >= CLOUDRUN_N_HOPS)
    return "none";
  return hop_names[hop];
}

const char *
cloudrun_drop_cause_name (CloudRunDropCause cause)
{
  g_assert (cause < CLOUDRUN_N_DROP_CAUSES);
  return drop_cause_names[cause];
}

bool
vpc_cidr_contains (const VpcCidr *c, uint32_t addr)
{
  return (addr & sim_cidr_mask (c->len)) == c->prefix;
}

const char *
gfe_ingress_name (GfeIngress ingress)
{
  switch (ingress)
    {
    case GFE_INGRESS_ALL: return "all";
    case GFE_INGRESS_INTERNAL: return "internal";
    case GFE_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING:
      return "internal-and-cloud-load-balancing";
    case GFE_INGRESS_NONE: default: return "none";
    }
}

const char *
iam_principal_kind_name (IamPrincipalKind kind)
{
  switch (kind)
    {
    case IAM_PRINCIPAL_ALL_USERS: return "allUsers";
    case IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS:
      return "allAuthenticatedUsers";
    case IAM_PRINCIPAL_SERVICE_ACCOUNT: return "serviceAccount";
    case IAM_PRINCIPAL_USER: default: return "user";
    }
}

const char *
vpc_psc_bundle_name (VpcPscBundle bundle)
{
  return bundle == VPC_PSC_VPC_SC ? "vpc-sc" : "all-apis";
}
