/* Cloud VPN and Cloud Interconnect at load
 * (https://cloud.google.com/network-connectivity/docs/vpn/concepts/overview,
 * /network-connectivity/docs/router/concepts/overview): a link joins a VPC
 * network to an on-premises site whose ranges do not overlap the
 * network's; an on-premises network is a site, so Google Cloud parts that
 * live in a VPC network (firewall rules, Cloud NAT, connectors, Direct
 * VPC, PSC endpoints, internal load balancers, peerings, Private Google
 * Access, external IPs) are refused there. */
#include "models/format/scenario-private.h"

#include <string.h>

static gboolean
fail_on_site (CloudRunCheck *c, const CloudRunSpecObject *o, const char *key,
              const char *network)
{
  g_autofree char *found = g_strdup_printf ("'%s', an on-premises site",
                                            network);

  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o, key,
                              "a VPC network (Google Cloud parts do not live "
                              "on premises)", found, NULL, NULL);
}

/* Each kind whose groups name a network, and where. */
static gboolean
check_not_on_site (CloudRunCheck *c)
{
  static const struct {
    CloudRunKind kind;
    size_t network;             /* offset of its CloudRunSpecNetwork * */
    const char *key;
  } parts[] = {
    { CLOUDRUN_KIND_FIREWALL, G_STRUCT_OFFSET (CloudRunSpecFirewall, network),
      "network" },
    { CLOUDRUN_KIND_NAT, G_STRUCT_OFFSET (CloudRunSpecNat, network),
      "network" },
    { CLOUDRUN_KIND_CONNECTOR,
      G_STRUCT_OFFSET (CloudRunSpecConnector, network), "network" },
    { CLOUDRUN_KIND_PSC_ENDPOINT,
      G_STRUCT_OFFSET (CloudRunSpecPscEndpoint, network), "network" },
    { CLOUDRUN_KIND_INTERNAL_ALB,
      G_STRUCT_OFFSET (CloudRunSpecInternalAlb, network), "network" },
    { CLOUDRUN_KIND_PEERING, G_STRUCT_OFFSET (CloudRunSpecPeering, network),
      "network" },
    { CLOUDRUN_KIND_PEERING, G_STRUCT_OFFSET (CloudRunSpecPeering, peer),
      "peer-network" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    {
      GPtrArray *list = cloudrun_scenario_objects (c->s, parts[k].kind);
      for (guint i = 0; i < list->len; i++)
        {
          const CloudRunSpecObject *o = list->pdata[i];
          const CloudRunSpecNetwork *n = G_STRUCT_MEMBER (
            CloudRunSpecNetwork *, o, parts[k].network);
          if (n && n->on_premises)
            return fail_on_site (c, o, parts[k].key, n->base.name);
        }
    }
  for (guint i = 0; i < c->s->services->len; i++)
    {
      const CloudRunSpecService *svc = c->s->services->pdata[i];
      if (svc->subnet && svc->subnet->network->on_premises)
        return fail_on_site (c, &svc->base, "subnet",
                             svc->subnet->network->base.name);
    }
  for (guint i = 0; i < c->s->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sn = c->s->subnets->pdata[i];
      if (sn->network->on_premises && sn->private_google_access)
        return fail_on_site (c, &sn->base, "private-google-access",
                             sn->network->base.name);
    }
  for (guint i = 0; i < c->s->vms->len; i++)
    {
      const CloudRunSpecVm *vm = c->s->vms->pdata[i];
      if (vm->subnet->network->on_premises && vm->external_ip)
        return fail_on_site (c, &vm->base, "external-ip",
                             vm->subnet->network->base.name);
    }
  return TRUE;
}

static gboolean
check_link (CloudRunCheck *c, CloudRunSpecHybridLink *l)
{
  const CloudRunSpecSubnet *x, *y;

  if (l->bandwidth == 0 || l->bandwidth > 100 * (uint64_t) 1000000000)
    {
      g_autofree char *found = g_strdup_printf ("%" G_GUINT64_FORMAT " bps",
                                                l->bandwidth);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &l->base,
                                  "bandwidth", "a bandwidth above 0 and at "
                                  "most 100Gbps", found, NULL, NULL);
    }

  if (l->network->on_premises)
    return fail_on_site (c, &l->base, "network", l->network_name);
  if (!l->site->on_premises)
    {
      g_autofree char *found = g_strdup_printf ("'%s', a VPC network",
                                                l->site_name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &l->base, "site", "a network with "
                                  "on-premises = true", found, NULL, NULL);
    }
  if (cloudrun_subnets_overlap (l->network, l->site, &x, &y))
    {
      g_autofree char *a = cloudrun_cidr_text (&x->range);
      g_autofree char *b = cloudrun_cidr_text (&y->range);
      g_autofree char *found = g_strdup_printf (
          "[subnet %s] %s of the site overlapping [subnet %s] %s",
          y->base.name, b, x->base.name, a);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &l->base, "site", "a site whose ranges do "
                                  "not overlap the network's subnets", found,
                                  NULL, NULL);
    }
  return TRUE;
}

gboolean
cloudrun_check_hybrid (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->hybrid_links->len; i++)
    if (!check_link (c, c->s->hybrid_links->pdata[i]))
      return FALSE;
  return check_not_on_site (c);
}
