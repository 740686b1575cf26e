/* Format values to world configuration (see models/assemble/translate.h). */
#include "models/assemble/translate.h"

#include <string.h>

VpcAccess
build_vpc_access (CloudRunVpcAccess access)
{
  switch (access)
    {
    case CLOUDRUN_VPC_ACCESS_NONE: return VPC_ACCESS_NONE;
    case CLOUDRUN_VPC_ACCESS_CONNECTOR: return VPC_ACCESS_CONNECTOR;
    case CLOUDRUN_VPC_ACCESS_DIRECT: return VPC_ACCESS_DIRECT;
    }
  g_assert_not_reached ();
}

VpcEgress
build_vpc_egress (CloudRunVpcEgress egress)
{
  switch (egress)
    {
    case CLOUDRUN_VPC_EGRESS_PRIVATE_RANGES_ONLY:
      return VPC_EGRESS_PRIVATE_RANGES_ONLY;
    case CLOUDRUN_VPC_EGRESS_ALL_TRAFFIC: return VPC_EGRESS_ALL_TRAFFIC;
    }
  g_assert_not_reached ();
}

GfeIngress
build_ingress (CloudRunIngress ingress)
{
  switch (ingress)
    {
    case CLOUDRUN_INGRESS_ALL: return GFE_INGRESS_ALL;
    case CLOUDRUN_INGRESS_INTERNAL: return GFE_INGRESS_INTERNAL;
    case CLOUDRUN_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING:
      return GFE_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING;
    case CLOUDRUN_INGRESS_NONE: return GFE_INGRESS_NONE;
    }
  g_assert_not_reached ();
}

VpcPscBundle
build_psc_bundle (CloudRunPscBundle bundle)
{
  switch (bundle)
    {
    case CLOUDRUN_PSC_ALL_APIS: return VPC_PSC_ALL_APIS;
    case CLOUDRUN_PSC_VPC_SC: return VPC_PSC_VPC_SC;
    }
  g_assert_not_reached ();
}

uint64_t
build_connector_rate (CloudRunMachineType type)
{
  switch (type)
    {
    case CLOUDRUN_MACHINE_F1_MICRO: return 50000000u;
    case CLOUDRUN_MACHINE_E2_MICRO: return 100000000u;
    case CLOUDRUN_MACHINE_E2_STANDARD_4: return 1600000000u;
    }
  g_assert_not_reached ();
}

/* cloudrun_hop_kinds[] and cloudrun_drop_causes[] of the format, in
 * their order. */
static const CloudRunHopKind hop_of_choice[] = {
  CLOUDRUN_HOP_DNS, CLOUDRUN_HOP_EGRESS, CLOUDRUN_HOP_CONNECTOR,
  CLOUDRUN_HOP_DIRECT_VPC, CLOUDRUN_HOP_VPC_ROUTER, CLOUDRUN_HOP_NAT,
  CLOUDRUN_HOP_INTERNET, CLOUDRUN_HOP_PSC_ENDPOINT, CLOUDRUN_HOP_ILB,
  CLOUDRUN_HOP_EXTERNAL_ALB, CLOUDRUN_HOP_GFE, CLOUDRUN_HOP_SERVICE,
  CLOUDRUN_HOP_VM, CLOUDRUN_HOP_CLIENT, CLOUDRUN_HOP_GOOGLE_PRODUCT,
};


CloudRunHopKind
build_hop_kind (int choice)
{
  g_assert (choice >= 0 && (size_t) choice < G_N_ELEMENTS (hop_of_choice));
  g_assert (g_strv_length ((char **) cloudrun_hop_kinds)
            == G_N_ELEMENTS (hop_of_choice));
  return hop_of_choice[choice];
}

CloudRunDropCause
build_drop_cause (int choice)
{
  const char *name;

  g_assert (choice >= 0
            && (guint) choice < g_strv_length ((char **) cloudrun_drop_causes));
  /* Matched by name: the format accepts every Connectivity Tests cause,
   * the world produces a few. */
  name = cloudrun_drop_causes[choice];
  for (int c = 1; c < CLOUDRUN_N_DROP_CAUSES; c++)
    if (strcmp (cloudrun_drop_cause_name (c), name) == 0)
      return c;
  return CLOUDRUN_DROP_UNPRODUCED;
}

CloudRunVerdict
build_verdict (CloudRunOutcome outcome)
{
  switch (outcome)
    {
    case CLOUDRUN_OUTCOME_DELIVERED: return CLOUDRUN_VERDICT_DELIVERED;
    case CLOUDRUN_OUTCOME_DENIED_BY_INGRESS:
      return CLOUDRUN_VERDICT_DENIED_BY_INGRESS;
    case CLOUDRUN_OUTCOME_DENIED_BY_IAM: return CLOUDRUN_VERDICT_DENIED_BY_IAM;
    case CLOUDRUN_OUTCOME_DENIED_BY_VPC_SC:
      return CLOUDRUN_VERDICT_DENIED_BY_VPC_SC;
    case CLOUDRUN_OUTCOME_DROPPED: return CLOUDRUN_VERDICT_DROPPED;
    case CLOUDRUN_OUTCOME_DNS_FAILURE: return CLOUDRUN_VERDICT_DNS_FAILURE;
    case CLOUDRUN_OUTCOME_UNAVAILABLE: return CLOUDRUN_VERDICT_UNAVAILABLE;
    case CLOUDRUN_OUTCOME_TIMEOUT: return CLOUDRUN_VERDICT_TIMEOUT;
    }
  g_assert_not_reached ();
}

CloudRunClass
build_class (CloudRunClassification classified)
{
  switch (classified)
    {
    case CLOUDRUN_CLASSIFIED_INTERNAL: return CLOUDRUN_CLASS_INTERNAL;
    case CLOUDRUN_CLASSIFIED_EXTERNAL: return CLOUDRUN_CLASS_EXTERNAL;
    }
  g_assert_not_reached ();
}

GArray *
build_cidrs (const GArray *cidrs)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (VpcCidr),
                                    cidrs ? cidrs->len : 0);

  for (guint i = 0; cidrs && i < cidrs->len; i++)
    {
      const CloudRunCidr *c = &g_array_index (cidrs, CloudRunCidr, i);
      VpcCidr v = { c->prefix, c->len };
      g_array_append_val (out, v);
    }
  return out;
}

static VpcNextHopKind
build_next_hop (CloudRunNextHopKind kind)
{
  switch (kind)
    {
    case CLOUDRUN_NEXT_HOP_DEFAULT_INTERNET_GATEWAY:
      return VPC_NEXT_HOP_GATEWAY;
    case CLOUDRUN_NEXT_HOP_BLACKHOLE: return VPC_NEXT_HOP_BLACKHOLE;
    case CLOUDRUN_NEXT_HOP_ADDRESS: return VPC_NEXT_HOP_ADDRESS;
    }
  g_assert_not_reached ();
}

static VpcFirewallRule
build_firewall (const CloudRunFirewall *fw, BuildRouterStorage *storage)
{
  GArray *ranges = build_cidrs (fw->ranges);
  VpcProtocolMatch *protocols = g_new (VpcProtocolMatch, fw->protocols->len);
  VpcFirewallRule rule = {
    .name = fw->base.name,
    .direction = fw->direction == CLOUDRUN_FIREWALL_EGRESS
                 ? VPC_FIREWALL_EGRESS : VPC_FIREWALL_INGRESS,
    .action = fw->action == CLOUDRUN_FIREWALL_DENY ? VPC_FIREWALL_DENY
                                                   : VPC_FIREWALL_ALLOW,
    .ranges = (const VpcCidr *) (void *) ranges->data,
    .n_ranges = ranges->len,
    .protocols = protocols,
    .n_protocols = fw->protocols->len,
    .priority = (uint32_t) fw->priority,
  };

  for (guint i = 0; i < fw->protocols->len; i++)
    {
      const CloudRunProtocol *p = &g_array_index (fw->protocols,
                                                  CloudRunProtocol, i);
      protocols[i] = (VpcProtocolMatch) { p->protocol, p->port_min,
                                          p->port_max };
    }
  g_ptr_array_add (storage->blocks, g_array_free (ranges, FALSE));
  g_ptr_array_add (storage->blocks, protocols);
  return rule;
}

void
build_router_config (const CloudRunScenario *sc, const CloudRunNetwork *n,
                     VpcRouterConfig *config, BuildRouterStorage *storage)
{
  storage->subnets = g_array_new (FALSE, FALSE, sizeof (VpcSubnetConfig));
  storage->routes = g_array_new (FALSE, FALSE, sizeof (VpcRouteConfig));
  storage->firewalls = g_array_new (FALSE, FALSE, sizeof (VpcFirewallRule));
  storage->blocks = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSubnet *s = g_ptr_array_index (n->subnets, i);
      VpcSubnetConfig v = { s->base.name, { s->range.prefix, s->range.len } };
      g_array_append_val (storage->subnets, v);
    }
  for (guint i = 0; i < sc->routes->len; i++)
    {
      const CloudRunRoute *rt = g_ptr_array_index (sc->routes, i);
      VpcRouteConfig v = {
        rt->base.name, { rt->destination.prefix, rt->destination.len },
        build_next_hop (rt->next_hop.kind), rt->next_hop.address,
        (uint32_t) rt->priority,
      };
      if (rt->network == n)
        g_array_append_val (storage->routes, v);
    }
  for (guint i = 0; i < sc->firewalls->len; i++)
    {
      const CloudRunFirewall *fw = g_ptr_array_index (sc->firewalls, i);
      if (fw->network != n)
        continue;
      VpcFirewallRule rule = build_firewall (fw, storage);
      g_array_append_val (storage->firewalls, rule);
    }
  config->network = n->base.name;
  config->project_number = n->project->number;
  config->default_route = n->default_route;
  config->subnets = (const VpcSubnetConfig *) (void *) storage->subnets->data;
  config->n_subnets = storage->subnets->len;
  config->routes = (const VpcRouteConfig *) (void *) storage->routes->data;
  config->n_routes = storage->routes->len;
  config->firewalls = (const VpcFirewallRule *) (void *)
                      storage->firewalls->data;
  config->n_firewalls = storage->firewalls->len;
  config->connector_google_access =
    sc->assumptions.connector_google_access == CLOUDRUN_GOOGLE_ACCESS_IMPLICIT
    ? VPC_CONNECTOR_GOOGLE_IMPLICIT : VPC_CONNECTOR_GOOGLE_SUBNET_PGA;
  config->nat_enables_pga = sc->assumptions.nat_enables_pga;
  config->psc_needs_pga =
    sc->assumptions.psc_google_access == CLOUDRUN_GOOGLE_ACCESS_SUBNET_PGA;
}

void
build_router_config_clear (BuildRouterStorage *storage)
{
  g_array_free (storage->subnets, TRUE);
  g_array_free (storage->routes, TRUE);
  g_array_free (storage->firewalls, TRUE);
  g_ptr_array_free (storage->blocks, TRUE);
}

CloudRunVpcSource
build_vpc_source (CloudRunVpcSourceKind kind, const char *label,
                  const CloudRunSubnet *subnet, const CloudRunNat *nat)
{
  return (CloudRunVpcSource) {
    .kind = kind, .label = label,
    .subnet = subnet ? subnet->base.name : NULL,
    .subnet_pga = subnet && subnet->private_google_access,
    .nat = nat ? nat->base.name : NULL,
  };
}

GArray *
build_invokers (const GArray *principals)
{
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (IamPrincipal),
                                   principals->len);

  for (guint i = 0; i < principals->len; i++)
    {
      const CloudRunPrincipal *p = &g_array_index (principals,
                                                   CloudRunPrincipal, i);
      IamPrincipal q = { .email = p->email };
      switch (p->kind)
        {
        case CLOUDRUN_PRINCIPAL_ALL_USERS:
          q.kind = IAM_PRINCIPAL_ALL_USERS;
          break;
        case CLOUDRUN_PRINCIPAL_ALL_AUTHENTICATED_USERS:
          q.kind = IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS;
          break;
        case CLOUDRUN_PRINCIPAL_SERVICE_ACCOUNT:
          q.kind = IAM_PRINCIPAL_SERVICE_ACCOUNT;
          break;
        case CLOUDRUN_PRINCIPAL_USER:
          q.kind = IAM_PRINCIPAL_USER;
          break;
        default:
          g_assert_not_reached ();
        }
      g_array_append_val (out, q);
    }
  return out;
}

const char *
build_caller_account (const CloudRunCaller *caller)
{
  switch (caller->kind)
    {
    case CLOUDRUN_KIND_SERVICE: return caller->service->service_account;
    case CLOUDRUN_KIND_VM: return caller->vm->service_account;
    case CLOUDRUN_KIND_CLIENT: return caller->client->account;
    case CLOUDRUN_KIND_GOOGLE_CALLER:
      return caller->google_caller->service_account;
    default: g_assert_not_reached ();
    }
}
