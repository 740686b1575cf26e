/* Load checks, part 5: Cloud DNS (docs/scenario-format.md, [dns-zone] and
 * [dns-response-policy]; docs/networking.md, "DNS"):
 * - dns-zone: records owned inside the zone; networks only when private;
 *   a peering zone (peer-network) is private, has no records and peers
 *   with a network other than its own;
 * - dns-response-policy: a rule name has local data or passthru, not
 *   both, and passthru once;
 * - a forwarding zone (forward-to) is private, has no records and is not
 *   a peering zone;
 * - dns-server-policy: bound to VPC networks, at most one per network
 *   (/dns/docs/server-policies-overview).
 * Called from cloudrun_check_traffic_part, before the traffic, whose URL
 * hosts may be a record's or a rule's name. */
#include "models/format/scenario-private.h"

#include <string.h>

/* Whether owner (lower case, final '.') is name or below it. */
static gboolean
dns_owner_inside (const char *owner, const char *name)
{
  gsize o = strlen (owner), n = strlen (name);

  if (strcmp (name, ".") == 0 || strcmp (owner, name) == 0)
    return TRUE;
  return o > n && owner[o - n - 1] == '.' && strcmp (owner + o - n, name) == 0;
}

/* Cloud DNS keeps a peering zone's answers in the producer's view. */
static gboolean
check_peering_zone (CloudRunCheck *c, CloudRunSpecDnsZone *zone)
{
  if (zone->visibility == CLOUDRUN_DNS_PUBLIC)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &zone->base, "peer-network", "a private "
                                "zone (peering zones are private)",
                                "'visibility = public'", NULL, NULL);
  if (zone->records->len > 0)
    {
      g_autofree char *found = cloudrun_quote (
        g_array_index (zone->records, CloudRunSpecDnsRecord, 0).owner);
      g_autofree char *hint = g_strdup_printf (
        "a peering zone's names are answered by network %s's view: put "
        "the records in a private zone bound to %s",
        zone->peer_network->base.name, zone->peer_network->base.name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &zone->base, "records", "no records in a "
                                  "peering zone (peer-network is set)",
                                  found, NULL, hint);
    }
  for (guint i = 0; i < zone->networks->len; i++)
    if (g_ptr_array_index (zone->networks, i) == zone->peer_network)
      {
        g_autofree char *found = cloudrun_quote (
          zone->peer_network->base.name);
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &zone->base, "peer-network", "a network "
                                    "other than those the zone is bound to",
                                    found, NULL, NULL);
      }
  return TRUE;
}

/* A forwarding zone's names are answered by its targets only. */
static gboolean
check_forwarding_zone (CloudRunCheck *c, CloudRunSpecDnsZone *zone)
{
  if (zone->visibility == CLOUDRUN_DNS_PUBLIC)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &zone->base, "forward-to", "a private "
                                "zone (forwarding zones are private)",
                                "'visibility = public'", NULL, NULL);
  if (zone->peer_network)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &zone->base, "forward-to", "a zone that "
                                "is not also a peering zone",
                                "'peer-network' set too", NULL, NULL);
  if (zone->records->len != 0)
    {
      g_autofree char *found = cloudrun_quote (
        g_array_index (zone->records, CloudRunSpecDnsRecord, 0).owner);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &zone->base, "records", "no records in a "
                                  "forwarding zone (forward-to is set)",
                                  found, NULL, "its names are answered by "
                                  "the target name servers: put the records "
                                  "on a `dns-server = true` VM's network");
    }
  return TRUE;
}

static gboolean
check_dns_zone (CloudRunCheck *c, CloudRunSpecDnsZone *zone)
{
  if (zone->forward_to && zone->forward_to->len > 0
      && !check_forwarding_zone (c, zone))
    return FALSE;
  if (zone->visibility == CLOUDRUN_DNS_PUBLIC && zone->networks->len > 0)
    {
      g_autofree char *found = cloudrun_quote (zone->network_names[0]);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &zone->base, "networks", "no networks "
                                  "for a public zone", found, NULL, NULL);
    }
  if (zone->peer_network && !check_peering_zone (c, zone))
    return FALSE;
  /* Cloud DNS refuses a record outside the zone's name. */
  for (guint i = 0; zone->records && i < zone->records->len; i++)
    {
      const char *owner = g_array_index (zone->records, CloudRunSpecDnsRecord,
                                         i).owner;
      if (!dns_owner_inside (owner, zone->dns_name))
        {
          g_autofree char *expected = g_strdup_printf (
            "owner names inside %s", zone->dns_name);
          g_autofree char *found = cloudrun_quote (owner);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &zone->base, "records", expected, found,
                                      NULL, "Cloud DNS refuses a record "
                                      "outside its zone: give it a zone of "
                                      "its own");
        }
    }
  return TRUE;
}

/* One rule per name: local data (any number of records) or passthru. */
static gboolean
check_dns_response_policy (CloudRunCheck *c,
                           CloudRunSpecDnsResponsePolicy *policy)
{
  GArray *rules = policy->rules;

  for (guint i = 0; rules && i < rules->len; i++)
    {
      const CloudRunSpecDnsRecord *r
        = &g_array_index (rules, CloudRunSpecDnsRecord, i);
      for (guint j = 0; j < i; j++)
        {
          const CloudRunSpecDnsRecord *q
            = &g_array_index (rules, CloudRunSpecDnsRecord, j);
          g_autofree char *found = NULL;
          if (strcmp (q->owner, r->owner) != 0
              || (q->type != CLOUDRUN_DNS_PASSTHRU
                  && r->type != CLOUDRUN_DNS_PASSTHRU))
            continue;
          found = g_strdup_printf ("'%s' twice, %s", r->owner,
                                   q->type == r->type ? "passthru both times"
                                   : "with passthru and local data");
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &policy->base, "rules", "one rule per "
                                      "name: local data or passthru",
                                      found, NULL, NULL);
        }
    }
  return TRUE;
}

/* Server policies live in VPC networks, one per network. */
static gboolean
check_dns_server_policy (CloudRunCheck *c, CloudRunSpecDnsServerPolicy *p,
                         guint index)
{
  for (guint i = 0; i < p->networks->len; i++)
    {
      const CloudRunSpecNetwork *n = g_ptr_array_index (p->networks, i);
      if (n->on_premises)
        {
          g_autofree char *found = g_strdup_printf (
            "'%s', an on-premises site", n->base.name);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &p->base, "networks", "VPC networks "
                                      "(a site's DNS is its own hosts')",
                                      found, NULL, NULL);
        }
      for (guint k = 0; k < index; k++)
        {
          const CloudRunSpecDnsServerPolicy *o
            = c->s->dns_server_policies->pdata[k];
          for (guint j = 0; j < o->networks->len; j++)
            if (g_ptr_array_index (o->networks, j) == n)
              {
                g_autofree char *found = g_strdup_printf (
                  "'%s', bound to [dns-server-policy %s] already",
                  n->base.name, o->base.name);
                return cloudrun_check_fail (c,
                                            CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                            &p->base, "networks", "networks "
                                            "without another server policy "
                                            "(one per network)", found, NULL,
                                            NULL);
              }
        }
    }
  return TRUE;
}

gboolean
cloudrun_check_dns (CloudRunCheck *c)
{
  CloudRunScenario *s = c->s;

  for (guint i = 0; i < s->dns_server_policies->len; i++)
    if (!check_dns_server_policy (c, s->dns_server_policies->pdata[i], i))
      return FALSE;
  for (guint i = 0; i < s->dns_zones->len; i++)
    if (!check_dns_zone (c, s->dns_zones->pdata[i]))
      return FALSE;
  for (guint i = 0; i < s->dns_response_policies->len; i++)
    if (!check_dns_response_policy (c, s->dns_response_policies->pdata[i]))
      return FALSE;
  return TRUE;
}
