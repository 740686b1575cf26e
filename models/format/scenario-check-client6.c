/* Scenario cross checks: a client's IPv6 address ([client] ipv6-address;
 * docs/scenario-format.md, "[client NAME]"). It is a global unicast
 * address (2000::/3), outside what the simulated Google holds on the
 * internet (2001:4860::/32 with the front ends and Google Public DNS, the
 * Google API VIPs' 2600:2d00:2::/48, the pool of subnets' external IPv6
 * ranges 2600:1900:4000::/44) and outside any external IPv6 range a
 * subnet writes, and no other client holds it.
 *
 * Called by cloudrun_check_addresses (scenario-check-address.c). */
#include "models/format/scenario-private.h"

#include "sim/wire.h"

static const CloudRunSpecCidr6 global_unicast = { { { 0x20 } }, 3 };

static const struct {
  CloudRunSpecCidr6 range;
  const char *what;
} google_owned6[] = {
  { { { { 0x20, 0x01, 0x48, 0x60 } }, 32 },
    "Google's 2001:4860::/32 (the front ends, Google Public DNS)" },
  { { { { 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02 } }, 48 },
    "the Google API VIPs' 2600:2d00:2::/48" },
  { { { { 0x26, 0x00, 0x19, 0x00, 0x40 } }, 44 },
    "2600:1900:4000::/44, where subnets' external IPv6 ranges come from" },
};

/* What of the scenario's already holds a: a subnet's external range or
 * an earlier client; NULL when nothing. Newly allocated. */
static char *
holder (const CloudRunScenario *s, guint client, const CloudRunSpecCidr6 *a)
{
  for (guint i = 0; i < G_N_ELEMENTS (google_owned6); i++)
    if (cloudrun_cidr6_overlap (a, &google_owned6[i].range))
      return g_strdup_printf ("in %s", google_owned6[i].what);
  for (guint i = 0; i < s->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sn = s->subnets->pdata[i];
      if (sn->stack_type != VPC_STACK_IPV4_ONLY
          && sn->ipv6_access_type == VPC_IPV6_ACCESS_EXTERNAL
          && cloudrun_object_has (&sn->base, "ipv6-range")
          && cloudrun_cidr6_overlap (a, &sn->ipv6_range))
        return g_strdup_printf ("in the external IPv6 range of [%s]",
                                sn->base.group);
    }
  for (guint i = 0; i < client; i++)
    {
      const CloudRunSpecClient *o = s->clients->pdata[i];
      if (cloudrun_object_has (&o->base, "ipv6-address")
          && sim_ipv6_equal (&o->ipv6_address, &a->prefix))
        return g_strdup_printf ("[%s] holds it too", o->base.group);
    }
  return NULL;
}

gboolean
cloudrun_check_client_addresses6 (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->clients->len; i++)
    {
      const CloudRunSpecClient *cl = c->s->clients->pdata[i];
      CloudRunSpecCidr6 a = { cl->ipv6_address, 128 };
      char buf[SIM_IPV6_STRLEN];
      g_autofree char *found = NULL, *why = NULL;

      if (!cloudrun_object_has (&cl->base, "ipv6-address"))
        continue;
      sim_ipv6_to_string (&a.prefix, buf);
      if (!cloudrun_cidr6_overlap (&a, &global_unicast))
        {
          found = g_strdup_printf ("'%s'", buf);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                      &cl->base, "ipv6-address",
                                      "a global unicast IPv6 address "
                                      "(2000::/3)", found, NULL, NULL);
        }
      if ((why = holder (c->s, i, &a)) != NULL)
        {
          found = g_strdup_printf ("'%s', %s", buf, why);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &cl->base, "ipv6-address",
                                      "a public IPv6 address nothing else "
                                      "in the scenario holds", found, NULL,
                                      NULL);
        }
    }
  return TRUE;
}
