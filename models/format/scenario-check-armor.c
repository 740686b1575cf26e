/* Cloud Armor security policies at load
 * (https://cloud.google.com/armor/docs/security-policy-overview,
 * https://cloud.google.com/armor/docs/rules-language-reference): a rule's
 * priority is unique within its policy, a rule lists at most 10 source
 * ranges and writes at least one condition, a header condition is
 * NAME or NAME:VALUE with NAME an HTTP field name. A policy that no
 * external ALB uses loads, with a warning: it decides nothing. */
#include "models/format/scenario-private.h"

#include <string.h>

/* Google's bound on a rule's source ranges (src_ip_ranges). */
#define ARMOR_MAX_SOURCE_RANGES 10u

/* RFC 9110 token characters. */
static gboolean
is_tchar (char ch)
{
  return g_ascii_isalnum (ch) || (ch != '\0'
                                  && strchr ("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* NAME or NAME:VALUE; the value printable ASCII, spaces inside only
 * (the proxy reads a field's value without the spaces around it). */
static gboolean
header_valid (const char *h)
{
  const char *colon = strchr (h, ':');
  size_t n = colon ? (size_t) (colon - h) : strlen (h), m;

  if (n == 0)
    return FALSE;
  for (size_t i = 0; i < n; i++)
    if (!is_tchar (h[i]))
      return FALSE;
  if (!colon)
    return TRUE;
  for (const char *v = colon + 1; *v; v++)
    if (*v < 0x20 || *v > 0x7e)
      return FALSE;
  m = strlen (colon + 1);
  return m == 0 || (colon[1] != ' ' && colon[m] != ' ');
}


static gboolean
check_rule (CloudRunCheck *c, const CloudRunSpecSecurityRule *r)
{
  if (!r->source_ranges && !r->region_codes && !r->header)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &r->base,
                                "source-ranges", "at least one condition: "
                                "source-ranges, region-codes or header "
                                "(source-ranges = 0.0.0.0/0 matches every "
                                "request)", "none", NULL, NULL);
  if (r->source_ranges && r->source_ranges->len == 0)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                "source-ranges", "1 to 10 CIDR ranges",
                                "an empty list", NULL, NULL);
  if (r->source_ranges && r->source_ranges->len > ARMOR_MAX_SOURCE_RANGES)
    {
      g_autofree char *found = g_strdup_printf ("%u ranges",
                                                r->source_ranges->len);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                  "source-ranges", "at most 10 ranges in one "
                                  "rule (Google's limit; write another rule "
                                  "for more)", found, NULL, NULL);
    }
  if (r->region_codes && !r->region_codes[0])
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                "region-codes", "one region code or more",
                                "an empty list", NULL, NULL);
  if (r->header && !header_valid (r->header))
    {
      g_autofree char *found = g_strdup_printf ("'%s'", r->header);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                  "header", "NAME or NAME:VALUE, NAME a "
                                  "header field name such as x-canary, "
                                  "VALUE printable text", found, NULL, NULL);
    }
  return cloudrun_check_unique_priority (
      c, c->s->security_rules, &r->base,
      G_STRUCT_OFFSET (CloudRunSpecSecurityRule, policy),
      G_STRUCT_OFFSET (CloudRunSpecSecurityRule, priority));
}

gboolean
cloudrun_check_security_policies (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->security_rules->len; i++)
    if (!check_rule (c, c->s->security_rules->pdata[i]))
      return FALSE;
  return TRUE;
}

void
cloudrun_security_policy_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->security_policies->len; i++)
    {
      const CloudRunSpecSecurityPolicy *p = s->security_policies->pdata[i];
      gboolean used = FALSE;
      for (guint j = 0; j < s->external_albs->len && !used; j++)
        used = ((const CloudRunSpecExternalAlb *)
                s->external_albs->pdata[j])->security_policy == p;
      if (!used)
        g_ptr_array_add (out, g_strdup_printf (
          "[%s]: no [external-alb] names it in security-policy: it "
          "decides no request", p->base.group));
    }
}
