/* VPC Network Peering at load (https://cloud.google.com/vpc/docs/
 * vpc-peering): a network does not peer with itself, one peering per
 * pair and direction, and Google refuses a peering whose networks have
 * overlapping subnet ranges; a side without its other side loads, but
 * the peering is inactive (a warning). */
#include "models/format/scenario-private.h"

#include <string.h>

const CloudRunSpecPeering *
cloudrun_peering_active (const CloudRunScenario *s,
                         const CloudRunSpecNetwork *network,
                         const CloudRunSpecNetwork *peer)
{
  const CloudRunSpecPeering *there = NULL, *back = NULL;

  for (guint i = 0; i < s->peerings->len; i++)
    {
      const CloudRunSpecPeering *p = s->peerings->pdata[i];
      if (p->network == network && p->peer == peer)
        there = p;
      if (p->network == peer && p->peer == network)
        back = p;
    }
  return there && back ? there : NULL;
}

gboolean
cloudrun_subnets_overlap (const CloudRunSpecNetwork *a,
                          const CloudRunSpecNetwork *b,
                          const CloudRunSpecSubnet **x,
                          const CloudRunSpecSubnet **y)
{
  for (guint i = 0; i < a->subnets->len; i++)
    for (guint j = 0; j < b->subnets->len; j++)
      {
        *x = a->subnets->pdata[i];
        *y = b->subnets->pdata[j];
        if ((*x)->stack_type != VPC_STACK_IPV6_ONLY
            && (*y)->stack_type != VPC_STACK_IPV6_ONLY
            && cloudrun_cidr_overlap (&(*x)->range, &(*y)->range))
          return TRUE;
      }
  return FALSE;
}

static gboolean
check_peering (CloudRunCheck *c, CloudRunSpecPeering *p)
{
  const CloudRunSpecSubnet *x, *y;

  if (p->network == p->peer)
    {
      g_autofree char *found = g_strdup_printf ("'%s'", p->peer_name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &p->base, "peer-network", "another network "
                                  "than the peering's own", found, NULL,
                                  NULL);
    }
  for (guint i = 0; i < c->s->peerings->len; i++)
    {
      const CloudRunSpecPeering *o = c->s->peerings->pdata[i];
      if (o == p)
        break;
      if (o->network == p->network && o->peer == p->peer)
        {
          g_autofree char *found = g_strdup_printf ("'%s', as [%s]",
                                                    p->peer_name,
                                                    o->base.group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &p->base, "peer-network", "a network "
                                      "this network does not already peer "
                                      "with", found, NULL, NULL);
        }
    }
  if (cloudrun_subnets_overlap (p->network, p->peer, &x, &y))
    {
      g_autofree char *a = cloudrun_cidr_text (&x->range);
      g_autofree char *b = cloudrun_cidr_text (&y->range);
      g_autofree char *found = g_strdup_printf (
          "[subnet %s] %s of network '%s' overlapping [subnet %s] %s",
          x->base.name, a, p->network->base.name, y->base.name, b);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &p->base, "peer-network", "a network "
                                  "whose subnet ranges do not overlap this "
                                  "network's (Google refuses the peering)",
                                  found, NULL, NULL);
    }
  return TRUE;
}

gboolean
cloudrun_check_peerings (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->peerings->len; i++)
    if (!check_peering (c, c->s->peerings->pdata[i]))
      return FALSE;
  return TRUE;
}

void
cloudrun_peering_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->peerings->len; i++)
    {
      const CloudRunSpecPeering *p = s->peerings->pdata[i];
      if (!cloudrun_peering_active (s, p->network, p->peer))
        g_ptr_array_add (out, g_strdup_printf (
          "[%s] peer-network: network '%s' has no [peering] back to '%s': "
          "the peering is inactive and no routes are exchanged (both "
          "networks must create it)", p->base.group, p->peer_name,
          p->network->base.name));
    }
}
