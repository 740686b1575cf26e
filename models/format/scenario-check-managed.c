/* Private services access and managed instances at load
 * (https://cloud.google.com/vpc/docs/private-services-access,
 * /sql/docs/postgres/private-ip, /sql/docs/postgres/authorize-networks):
 * one private connection per VPC network, its allocated ranges clear of
 * the network's subnets and of its peers'; each instance at an address
 * of those ranges, in a producer subnet of its own (a /24, a /29 for
 * Memorystore) that no other instance's overlaps; authorized networks
 * only on Cloud SQL. */
#include "models/format/scenario-private.h"

#include "sim/wire.h"

#include <string.h>

/* A producer subnet's prefix length for product. */
static uint8_t
producer_subnet_len (CloudRunManagedProduct product)
{
  return product == CLOUDRUN_PRODUCT_MEMORYSTORE_REDIS ? 29 : 24;
}

uint16_t
cloudrun_product_port (CloudRunManagedProduct product)
{
  static const uint16_t engine[] = { 5432, 3306, 1433, 6379, 5432 };

  return engine[product];
}

gboolean
cloudrun_product_is_cloud_sql (CloudRunManagedProduct product)
{
  return product <= CLOUDRUN_PRODUCT_CLOUD_SQL_SQLSERVER;
}

/* The first subnet of network n's ranges (or of the peers it is actively
 * peered with) that overlaps r, or NULL; *where names the network. */
static const CloudRunSpecSubnet *
overlapping_subnet (const CloudRunScenario *s, const CloudRunSpecNetwork *n,
                    const CloudRunSpecCidr *r)
{
  for (guint i = 0; i < s->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sn = s->subnets->pdata[i];
      if ((sn->network == n || cloudrun_peering_active (s, n, sn->network))
          && sn->stack_type != VPC_STACK_IPV6_ONLY
          && cloudrun_cidr_overlap (&sn->range, r))
        return sn;
    }
  return NULL;
}

static gboolean
check_access (CloudRunCheck *c, CloudRunSpecPrivateAccess *a)
{
  if (a->network->on_premises)
    {
      g_autofree char *found = g_strdup_printf ("'%s', an on-premises site",
                                                a->network_name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &a->base, "network", "a VPC network", found,
                                  NULL, NULL);
    }
  for (guint i = 0; i < c->s->private_accesses->len; i++)
    {
      const CloudRunSpecPrivateAccess *o = c->s->private_accesses->pdata[i];
      if (o == a)
        break;
      if (o->network == a->network)
        {
          g_autofree char *found = g_strdup_printf ("'%s', which [%s] "
                                                    "connects already",
                                                    a->network_name,
                                                    o->base.group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &a->base, "network", "a network with "
                                      "no other private connection (one "
                                      "per network: list every allocated "
                                      "range in `ranges`)", found, NULL,
                                      NULL);
        }
    }
  for (guint i = 0; i < a->ranges->len; i++)
    {
      const CloudRunSpecCidr *r = &g_array_index (a->ranges,
                                                  CloudRunSpecCidr, i);
      g_autofree char *text = cloudrun_cidr_text (r);
      const CloudRunSpecSubnet *sn;

      if (r->len < 8 || r->len > 24)
        {
          g_autofree char *found = g_strdup_printf ("'%s'", text);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                      &a->base, "ranges", "allocated ranges "
                                      "of /8 to /24 (Cloud SQL needs at "
                                      "least a /24)", found, NULL, NULL);
        }
      for (guint j = 0; j < i; j++)
        if (cloudrun_cidr_overlap (r, &g_array_index (a->ranges,
                                                      CloudRunSpecCidr, j)))
          {
            g_autofree char *found = g_strdup_printf ("'%s', overlapping "
                                                      "another of them",
                                                      text);
            return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                        &a->base, "ranges", "ranges that do "
                                        "not overlap", found, NULL, NULL);
          }
      sn = overlapping_subnet (c->s, a->network, r);
      if (sn)
        {
          g_autofree char *sub = cloudrun_cidr_text (&sn->range);
          g_autofree char *found = g_strdup_printf (
            "'%s', overlapping [subnet %s] %s of network '%s'", text,
            sn->base.name, sub, sn->network->base.name);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &a->base, "ranges", "ranges that "
                                      "overlap no subnet of the network or "
                                      "of its peers (the producer network "
                                      "is peered with it)", found, NULL,
                                      NULL);
        }
    }
  return TRUE;
}

/* The private connection an instance without the key uses: the only one. */
static gboolean
default_access (CloudRunCheck *c, CloudRunSpecManagedInstance *m)
{
  GPtrArray *list = c->s->private_accesses;
  g_autofree char *found = NULL;

  if (m->access)
    return TRUE;
  if (list->len == 1)
    {
      m->access = list->pdata[0];
      return TRUE;
    }
  found = list->len == 0 ? g_strdup ("no [private-services-access] group")
                         : g_strdup_printf ("%u of them, and no "
                                            "private-services-access key",
                                            list->len);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &m->base,
                              "private-services-access", "the "
                              "[private-services-access] whose ranges hold "
                              "the instance", found, NULL, NULL);
}

static gboolean
in_ranges (const GArray *ranges, const CloudRunSpecCidr *sub)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      const CloudRunSpecCidr *r = &g_array_index (ranges, CloudRunSpecCidr,
                                                  i);
      if (r->len <= sub->len
          && (sub->prefix & sim_cidr_mask (r->len)) == r->prefix)
        return TRUE;
    }
  return FALSE;
}

static gboolean
subnet_taken (const CloudRunScenario *s,
              const CloudRunSpecManagedInstance *m,
              const CloudRunSpecCidr *sub)
{
  for (guint i = 0; i < s->managed_instances->len; i++)
    {
      const CloudRunSpecManagedInstance *o = s->managed_instances->pdata[i];
      if (o == m)
        break;
      if (o->access == m->access && cloudrun_cidr_overlap (&o->subnet, sub))
        return TRUE;
    }
  return FALSE;
}

/* The next producer subnet of m's ranges that no earlier instance's
 * overlaps; FALSE when the ranges are full. */
static gboolean
allocate_subnet (const CloudRunScenario *s, CloudRunSpecManagedInstance *m)
{
  const GArray *ranges = m->access->ranges;
  uint8_t len = producer_subnet_len (m->product);

  for (guint i = 0; i < ranges->len; i++)
    {
      const CloudRunSpecCidr *r = &g_array_index (ranges, CloudRunSpecCidr,
                                                  i);
      uint64_t n = (uint64_t) 1 << (len - r->len);

      for (uint64_t k = 0; k < n; k++)
        {
          CloudRunSpecCidr sub = { r->prefix + (uint32_t) (k << (32 - len)),
                                   len };
          if (!subnet_taken (s, m, &sub))
            {
              m->subnet = sub;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
check_instance (CloudRunCheck *c, CloudRunSpecManagedInstance *m)
{
  uint8_t len = producer_subnet_len (m->product);
  g_autofree char *ranges = NULL;

  if (!default_access (c, m))
    return FALSE;
  if (m->authorized_networks->len
      && !cloudrun_product_is_cloud_sql (m->product))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &m->base,
                                "authorized-networks", "no authorized "
                                "networks: only Cloud SQL has them for its "
                                "private address", "a list", NULL, NULL);
  if (cloudrun_object_has (&m->base, "address"))
    {
      CloudRunSpecCidr sub = { m->address & sim_cidr_mask (len), len };
      char a[16];
      g_autofree char *found = NULL;

      sim_ipv4_to_string (m->address, a);
      if (!in_ranges (m->access->ranges, &sub))
        found = g_strdup_printf ("'%s', outside the ranges of [%s]", a,
                                 m->access->base.group);
      else if (subnet_taken (c->s, m, &sub))
        found = g_strdup_printf ("'%s', in the producer subnet of an "
                                 "earlier instance", a);
      else if (m->address == sub.prefix
               || m->address == (sub.prefix | ~sim_cidr_mask (len)))
        found = g_strdup_printf ("'%s', the first or last address of its "
                                 "subnet", a);
      if (found)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &m->base, "address", "a usable address "
                                    "of the private connection's ranges, in "
                                    "a producer subnet (a /24, a /29 for "
                                    "Memorystore) no earlier instance has",
                                    found, NULL, NULL);
      m->subnet = sub;
      return TRUE;
    }
  if (allocate_subnet (c->s, m))
    {
      m->address = m->subnet.prefix + 1;
      return TRUE;
    }
  ranges = g_strdup_printf ("no free /%u left in the ranges of [%s]", len,
                            m->access->base.group);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &m->base,
                              "private-services-access", "a private "
                              "connection with room for the instance's "
                              "producer subnet", ranges, NULL, NULL);
}

gboolean
cloudrun_check_managed (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->private_accesses->len; i++)
    if (!check_access (c, c->s->private_accesses->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->managed_instances->len; i++)
    if (!check_instance (c, c->s->managed_instances->pdata[i]))
      return FALSE;
  return TRUE;
}
