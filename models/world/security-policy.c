/* Cloud Armor backend security policies (see
 * models/world/security-policy.h). */
#include "models/world/security-policy.h"

#include <string.h>

#include "sim/http.h"
#include "sim/wire.h"

static int
rule_compare (gconstpointer a, gconstpointer b)
{
  uint32_t x = ((const CloudRunSecurityRule *) a)->priority;
  uint32_t y = ((const CloudRunSecurityRule *) b)->priority;

  return (x > y) - (x < y);
}

static void
rule_clear (CloudRunSecurityRule *r)
{
  g_free (r->name);
  g_clear_pointer (&r->ranges, g_array_unref);
  g_strfreev (r->region_codes);
  g_free (r->header_name);
  g_free (r->header_value);
}

CloudRunSecurityPolicy *
cloudrun_security_policy_new (const CloudRunSecurityPolicyConfig *c)
{
  CloudRunSecurityPolicy *p = g_new0 (CloudRunSecurityPolicy, 1);

  p->name = g_strdup (c->name);
  p->default_action = c->default_action;
  p->rules = g_array_sized_new (FALSE, TRUE, sizeof (CloudRunSecurityRule),
                                c->n_rules);
  for (guint i = 0; i < c->n_rules; i++)
    {
      const CloudRunSecurityRuleConfig *rc = &c->rules[i];
      const char *colon = rc->header ? strchr (rc->header, ':') : NULL;
      CloudRunSecurityRule r = {
        .name = g_strdup (rc->name), .priority = rc->priority,
        .action = rc->action,
        .ranges = g_array_new (FALSE, FALSE, sizeof (VpcCidr)),
        .region_codes = rc->region_codes
                        ? g_strdupv ((char **) rc->region_codes) : NULL,
      };

      g_array_append_vals (r.ranges, rc->ranges, rc->n_ranges);
      if (rc->header)
        {
          r.header_name = g_ascii_strdown (rc->header, colon
                                           ? colon - rc->header : -1);
          r.header_value = colon ? g_strdup (colon + 1) : NULL;
        }
      g_array_append_val (p->rules, r);
    }
  /* Priorities are unique in a policy (checked at load). */
  g_array_sort (p->rules, rule_compare);
  return p;
}

void
cloudrun_security_policy_free (CloudRunSecurityPolicy *p)
{
  if (!p)
    return;
  for (guint i = 0; i < p->rules->len; i++)
    rule_clear (&g_array_index (p->rules, CloudRunSecurityRule, i));
  g_array_unref (p->rules);
  g_free (p->name);
  g_free (p);
}

int
cloudrun_security_action_status (ArmorAction action)
{
  switch (action)
    {
    case ARMOR_ACTION_DENY_403: return 403;
    case ARMOR_ACTION_DENY_404: return 404;
    case ARMOR_ACTION_DENY_502: return 502;
    case ARMOR_ACTION_ALLOW: default: return 0;
    }
}

const char *
cloudrun_geo_region_code (const CloudRunGeoRange *geo, guint n, uint32_t addr)
{
  for (guint i = 0; i < n; i++)
    if (vpc_cidr_contains (&geo[i].range, addr))
      return geo[i].region_code;
  return NULL;
}

/* The index of the range of r holding src; -1 when none. */
static int
rule_range (const CloudRunSecurityRule *r, uint32_t src)
{
  for (guint i = 0; i < r->ranges->len; i++)
    if (vpc_cidr_contains (&g_array_index (r->ranges, VpcCidr, i), src))
      return (int) i;
  return -1;
}

static bool
rule_region (const CloudRunSecurityRule *r, const char *region_code)
{
  for (guint i = 0; region_code && r->region_codes[i]; i++)
    if (strcmp (r->region_codes[i], region_code) == 0)
      return true;
  return false;
}

/* request.headers['name'] is there (and equals the value, when the rule
 * gives one): the first field of that name counts. */
static bool
rule_header (const CloudRunSecurityRule *r, const uint8_t *head, size_t len)
{
  const uint8_t *v;
  size_t n;

  if (!sim_http_find_field (head, len, r->header_name, &v, &n))
    return false;
  return !r->header_value || (strlen (r->header_value) == n
                              && memcmp (r->header_value, v, n) == 0);
}

/* Whether every condition r writes holds; *range: the matching source
 * range, or -1. */
static bool
rule_matches (const CloudRunSecurityRule *r, uint32_t src,
              const char *region_code, const uint8_t *head, size_t len,
              int *range)
{
  *range = -1;
  if (r->ranges->len > 0 && (*range = rule_range (r, src)) < 0)
    return false;
  if (r->region_codes && !rule_region (r, region_code))
    return false;
  if (r->header_name && !rule_header (r, head, len))
    return false;
  return true;
}

void
cloudrun_security_policy_evaluate (const CloudRunSecurityPolicy *p,
                                   uint32_t src, const char *region_code,
                                   const uint8_t *head, size_t len,
                                   CloudRunSecurityVerdict *out)
{
  *out = (CloudRunSecurityVerdict) {
    NULL, p->default_action,
    cloudrun_security_action_status (p->default_action), -1,
  };
  for (guint i = 0; i < p->rules->len; i++)
    {
      const CloudRunSecurityRule *r = &g_array_index (p->rules,
                                                      CloudRunSecurityRule, i);
      int range;
      if (!rule_matches (r, src, region_code, head, len, &range))
        continue;
      *out = (CloudRunSecurityVerdict) {
        r, r->action, cloudrun_security_action_status (r->action), range,
      };
      return;
    }
}

/* The conditions of v's rule, as Cloud Armor's expressions write them. */
static void
verdict_conditions (const CloudRunSecurityVerdict *v, uint32_t src,
                    const char *region_code, GString *out)
{
  const CloudRunSecurityRule *r = v->rule;
  char a[16], b[16];

  if (v->range >= 0)
    {
      const VpcCidr *c = &g_array_index (r->ranges, VpcCidr, v->range);
      g_string_append_printf (out, "origin.ip %s in %s/%u",
                              sim_ipv4_to_string (src, a),
                              sim_ipv4_to_string (c->prefix, b),
                              (unsigned) c->len);
    }
  if (r->region_codes)
    g_string_append_printf (out, "%sorigin.region_code '%s'",
                            out->len ? " && " : "", region_code);
  if (r->header_name && r->header_value)
    g_string_append_printf (out, "%srequest.headers['%s'] == '%s'",
                            out->len ? " && " : "", r->header_name,
                            r->header_value);
  else if (r->header_name)
    g_string_append_printf (out, "%shas(request.headers['%s'])",
                            out->len ? " && " : "", r->header_name);
}

const char *
cloudrun_security_verdict_text (const CloudRunSecurityPolicy *p,
                                const CloudRunSecurityVerdict *v,
                                uint32_t src, const char *region_code,
                                SimExplainLog *log)
{
  g_autoptr (GString) cond = g_string_new (NULL);
  char a[16];

  if (!v->rule)
    return sim_explain_internf (log, "security policy %s: no rule matched "
                                "origin.ip %s (region code %s), so the "
                                "default rule (priority %u) decides: %s",
                                p->name, sim_ipv4_to_string (src, a),
                                region_code ? region_code : "unknown",
                                CLOUDRUN_SECURITY_DEFAULT_PRIORITY,
                                armor_action_name (v->action));
  verdict_conditions (v, src, region_code, cond);
  return sim_explain_internf (log, "security policy %s: rule %s (priority "
                              "%u) matched %s: %s", p->name, v->rule->name,
                              v->rule->priority, cond->str,
                              armor_action_name (v->action));
}
