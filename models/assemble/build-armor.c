/* Cloud Armor for the builder: a [security-policy] and its
 * [security-rule] groups as the world's CloudRunSecurityPolicyConfig,
 * and the geolocation the load balancer reads region codes from: each
 * [client] with a country, its address as a /32
 * (models/world/security-policy.h). Called by build_external_alb
 * (models/assemble/build-vpc.c). */
#include "models/assemble/build-private.h"

void
build_armor_init (BuildArmor *a, const CloudRunScenario *sc,
                  const CloudRunSpecSecurityPolicy *p)
{
  a->rules = g_array_new (FALSE, TRUE, sizeof (CloudRunSecurityRuleConfig));
  a->ranges = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  a->geo = g_array_new (FALSE, TRUE, sizeof (CloudRunGeoRange));
  for (guint i = 0; p && i < sc->security_rules->len; i++)
    {
      const CloudRunSpecSecurityRule *r = sc->security_rules->pdata[i];
      GArray *ranges;
      CloudRunSecurityRuleConfig rc = {
        .name = r->base.name, .priority = (uint32_t) r->priority,
        .action = r->action,
        .region_codes = (const char *const *) r->region_codes,
        .header = r->header,
      };
      if (r->policy != p)
        continue;
      if (r->source_ranges)
        {
          ranges = build_cidrs (r->source_ranges);
          g_ptr_array_add (a->ranges, ranges);
          rc.ranges = (const VpcCidr *) (void *) ranges->data;
          rc.n_ranges = ranges->len;
        }
      g_array_append_val (a->rules, rc);
    }
  for (guint i = 0; i < sc->clients->len; i++)
    {
      const CloudRunSpecClient *c = sc->clients->pdata[i];
      CloudRunGeoRange g = { { c->address, 32 }, c->country };
      if (c->country)
        g_array_append_val (a->geo, g);
    }
  a->policy = (CloudRunSecurityPolicyConfig) {
    .name = p ? p->base.name : NULL,
    .default_action = p ? p->default_action : ARMOR_ACTION_ALLOW,
    .rules = (const CloudRunSecurityRuleConfig *) (void *) a->rules->data,
    .n_rules = a->rules->len,
  };
}

void
build_armor_clear (BuildArmor *a)
{
  g_clear_pointer (&a->rules, g_array_unref);
  g_clear_pointer (&a->ranges, g_ptr_array_unref);
  g_clear_pointer (&a->geo, g_array_unref);
}
