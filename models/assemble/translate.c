/* Scenario records to world configuration (see
 * models/assemble/translate.h). */
#include "models/assemble/translate.h"

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

GArray *
build_cidrs (const GArray *cidrs)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (VpcCidr),
                                    cidrs ? cidrs->len : 0);

  for (guint i = 0; cidrs && i < cidrs->len; i++)
    {
      const CloudRunSpecCidr *c = &g_array_index (cidrs, CloudRunSpecCidr, i);
      VpcCidr v = { c->prefix, c->len };
      g_array_append_val (out, v);
    }
  return out;
}

VpcCidr6
build_cidr6 (const CloudRunSpecCidr6 *c)
{
  return (VpcCidr6) { c->prefix, c->len };
}

static VpcFirewallRule
build_firewall (const CloudRunSpecFirewall *fw, BuildRouterStorage *storage)
{
  GArray *ranges = build_cidrs (fw->ranges);
  guint n6 = fw->ranges6 ? fw->ranges6->len : 0;
  VpcCidr6 *ranges6 = g_new (VpcCidr6, n6);
  VpcProtocolMatch *protocols = g_new (VpcProtocolMatch, fw->protocols->len);
  VpcFirewallRule rule = {
    .name = fw->base.name,
    .direction = fw->direction,
    .action = fw->action,
    .ranges = (const VpcCidr *) (void *) ranges->data,
    .n_ranges = ranges->len,
    .protocols = protocols,
    .n_protocols = fw->protocols->len,
    .priority = (uint32_t) fw->priority,
    .target_tags = (const char *const *) fw->target_tags,
    .target_accounts = (const char *const *) fw->target_service_accounts,
    .source_tags = (const char *const *) fw->source_tags,
    .source_accounts = (const char *const *) fw->source_service_accounts,
    .policy = fw->policy ? fw->policy->base.name : NULL,
    .region = fw->policy ? fw->policy->region : NULL,
    .target_secure_tags = (const char *const *) fw->target_secure_tag_names,
    .source_secure_tags = (const char *const *) fw->source_secure_tag_names,
    .ranges6 = ranges6,
    .n_ranges6 = n6,
  };

  for (guint i = 0; i < n6; i++)
    ranges6[i] = build_cidr6 (&g_array_index (fw->ranges6, CloudRunSpecCidr6,
                                              i));
  for (guint i = 0; i < fw->protocols->len; i++)
    {
      const CloudRunSpecProtocol *p = &g_array_index (fw->protocols,
                                                      CloudRunSpecProtocol, i);
      protocols[i] = (VpcProtocolMatch) { p->protocol, p->port_min,
                                          p->port_max };
    }
  g_ptr_array_add (storage->blocks, g_array_free (ranges, FALSE));
  g_ptr_array_add (storage->blocks, protocols);
  g_ptr_array_add (storage->blocks, ranges6);
  return rule;
}

/* Whether fw applies to network n, and from which stage: a rule of n, of
 * a hierarchical policy above n's project, or of a global or regional
 * network policy associated with n (the regional one right after the
 * global ones: firewall/docs/firewall-policies-rule-eval-order). */
static gboolean
build_firewall_stage (const CloudRunSpecFirewall *fw,
                      const CloudRunSpecNetwork *n, VpcFirewallStage *stage)
{
  const CloudRunSpecFirewallPolicy *pol = fw->policy;

  if (!pol)
    {
      *stage = VPC_FIREWALL_STAGE_VPC;
      return fw->network == n;
    }
  if (pol->type == CLOUDRUN_FIREWALL_POLICY_HIERARCHICAL)
    {
      *stage = pol->level == CLOUDRUN_FIREWALL_POLICY_ORGANIZATION
               ? VPC_FIREWALL_STAGE_ORGANIZATION : VPC_FIREWALL_STAGE_FOLDER;
      return pol->projects != NULL
             && g_ptr_array_find (pol->projects, n->project, NULL);
    }
  if (pol->type == CLOUDRUN_FIREWALL_POLICY_REGIONAL)
    *stage = n->policies_first ? VPC_FIREWALL_STAGE_REGIONAL_FIRST
                               : VPC_FIREWALL_STAGE_REGIONAL_LAST;
  else
    *stage = n->policies_first ? VPC_FIREWALL_STAGE_NETWORK_FIRST
                               : VPC_FIREWALL_STAGE_NETWORK_LAST;
  return pol->networks != NULL
         && g_ptr_array_find (pol->networks, n, NULL);
}

void
build_router_config (const CloudRunScenario *sc, const CloudRunSpecNetwork *n,
                     VpcRouterConfig *config, BuildRouterStorage *storage)
{
  storage->subnets = g_array_new (FALSE, FALSE, sizeof (VpcSubnetConfig));
  storage->routes = g_array_new (FALSE, FALSE, sizeof (VpcRouteConfig));
  storage->firewalls = g_array_new (FALSE, FALSE, sizeof (VpcFirewallRule));
  storage->blocks = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (n->subnets, i);
      VpcSubnetConfig v = { .name = s->base.name,
                            .range = { s->range.prefix, s->range.len },
                            .stack = s->stack_type,
                            .ipv6_access = s->ipv6_access_type,
                            .ipv6_range = build_cidr6 (&s->ipv6_range) };
      g_array_append_val (storage->subnets, v);
    }
  for (guint i = 0; i < sc->routes->len; i++)
    {
      const CloudRunSpecRoute *rt = g_ptr_array_index (sc->routes, i);
      VpcRouteConfig v = {
        .name = rt->base.name,
        .destination = { rt->destination.cidr.prefix,
                         rt->destination.cidr.len },
        .v6 = rt->destination.v6,
        .destination6 = build_cidr6 (&rt->destination.cidr6),
        .next_hop = rt->next_hop.kind,
        .next_hop_address = rt->next_hop.address,
        .priority = (uint32_t) rt->priority,
      };
      if (rt->network == n)
        g_array_append_val (storage->routes, v);
    }
  for (guint i = 0; i < sc->firewalls->len; i++)
    {
      const CloudRunSpecFirewall *fw = g_ptr_array_index (sc->firewalls, i);
      VpcFirewallStage stage;
      if (fw->disabled || !build_firewall_stage (fw, n, &stage))
        continue;
      VpcFirewallRule rule = build_firewall (fw, storage);
      rule.stage = stage;
      g_array_append_val (storage->firewalls, rule);
    }
  for (guint i = 0; i < sc->connectors->len; i++)
    {
      const CloudRunSpecConnector *c = g_ptr_array_index (sc->connectors, i);
      config->connector_rule |= c->network == n;
    }
  config->network = n->base.name;
  config->project_number = n->project->number;
  config->default_route = n->default_route;
  config->internal_ipv6_range = build_cidr6 (&n->internal_ipv6_range);
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
                  const CloudRunSpecSubnet *subnet, const CloudRunSpecNat *nat)
{
  return (CloudRunVpcSource) {
    .kind = kind, .label = label,
    .subnet = subnet ? subnet->base.name : NULL,
    .subnet_pga = subnet && subnet->private_google_access,
    .region = subnet ? subnet->region : NULL,
    .nat = nat ? nat->base.name : NULL,
  };
}

GArray *
build_invokers (const GArray *principals)
{
  guint n = principals ? principals->len : 0;
  GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (IamPrincipal), n);

  for (guint i = 0; i < n; i++)
    {
      const CloudRunSpecPrincipal *p
        = &g_array_index (principals, CloudRunSpecPrincipal, i);
      IamPrincipal q = { .kind = p->kind, .email = p->email };
      g_array_append_val (out, q);
    }
  return out;
}

const char *
build_caller_account (const CloudRunSpecCaller *caller)
{
  switch (caller->kind)
    {
    case CLOUDRUN_KIND_SERVICE: return caller->service->service_account;
    case CLOUDRUN_KIND_JOB:
    case CLOUDRUN_KIND_WORKER_POOL: return caller->worker->service_account;
    case CLOUDRUN_KIND_VM: return caller->vm->service_account;
    case CLOUDRUN_KIND_CLIENT: return caller->client->account;
    case CLOUDRUN_KIND_GOOGLE_CALLER:
      return caller->google_caller->service_account;
    default: g_assert_not_reached ();
    }
}
