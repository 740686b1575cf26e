/* Cloud Armor backend security policies (REST: CAI's
 * compute.googleapis.com/SecurityPolicy, gcloud's compute#securityPolicy;
 * Terraform: google_compute_security_policy with its rule blocks) into
 * [security-policy] and [security-rule] groups; emit.c attaches a policy
 * to the external ALB whose backend service names it.
 *
 * A rule is kept when the format can say it: action allow or deny(403,
 * 404, 502); a basic match (srcIpRanges, "*" for every source) or an
 * expression made of terms joined by &&, each one of
 *   origin.region_code == 'FR' (|| more of them)
 *   inIpRange(origin.ip, 'CIDR') (|| more of them)
 *   has(request.headers['name'])
 *   request.headers['name'] == 'value'
 * Anything else (rate limits, redirects, preview rules, other attributes
 * or functions) is listed as not modelled and the rule left out. The rule
 * at priority 2147483647 is the policy's default-action. */
#include "tools/import/import-private.h"

#include <string.h>

#define ARMOR_DEFAULT_PRIORITY G_GINT64_CONSTANT (2147483647)

/* "allow", "deny(403)" ... as the format's word, or NULL. */
static const char *
armor_action (const char *a)
{
  if (!a)
    return NULL;
  if (strcmp (a, "allow") == 0)
    return "allow";
  if (strcmp (a, "deny(403)") == 0 || strcmp (a, "deny") == 0)
    return "deny-403";
  if (strcmp (a, "deny(404)") == 0)
    return "deny-404";
  if (strcmp (a, "deny(502)") == 0)
    return "deny-502";
  return NULL;
}

/* The text of a quoted CEL string at *p ('...' or "..."), advancing past
 * it; NULL when none. */
static char *
quoted (const char **p)
{
  char q = **p;
  const char *end;

  if (q != '\'' && q != '"')
    return NULL;
  end = strchr (*p + 1, q);
  if (!end)
    return NULL;
  {
    char *s = g_strndup (*p + 1, (gsize) (end - *p - 1));
    *p = end + 1;
    return s;
  }
}

/* Skips spaces; then whether the text at *p starts with lit (advanced
 * past it when it does). */
static gboolean
eat (const char **p, const char *lit)
{
  while (**p == ' ')
    (*p)++;
  if (strncmp (*p, lit, strlen (lit)) != 0)
    return FALSE;
  *p += strlen (lit);
  while (**p == ' ')
    (*p)++;
  return TRUE;
}

/* The kind of one alternative of a term (1 a region code, 2 a range, 3
 * a header condition), its value added to r; 0 when it is none. */
static int
alternative (const char *t, ImportRes *r)
{
  const char *p = t;
  g_autofree char *v = NULL, *name = NULL;

  if (eat (&p, "origin.region_code") && eat (&p, "==")
      && (v = quoted (&p)) && !*p && strlen (v) == 2
      && g_ascii_isupper (v[0]) && g_ascii_isupper (v[1]))
    {
      if (!r->codes)
        r->codes = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (r->codes, g_steal_pointer (&v));
      return 1;
    }
  g_clear_pointer (&v, g_free);
  p = t;
  if (eat (&p, "inIpRange(") && eat (&p, "origin.ip") && eat (&p, ",")
      && (v = quoted (&p)) && eat (&p, ")") && !*p && import_is_cidr (v))
    {
      if (!r->ranges)
        r->ranges = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (r->ranges, g_steal_pointer (&v));
      return 2;
    }
  g_clear_pointer (&v, g_free);
  p = t;
  if (eat (&p, "has(") && eat (&p, "request.headers[")
      && (name = quoted (&p)) && eat (&p, "]") && eat (&p, ")") && !*p
      && import_is_token (name) && !strchr (name, ':'))
    {
      r->header = g_steal_pointer (&name);
      return 3;
    }
  g_clear_pointer (&name, g_free);
  p = t;
  if (eat (&p, "request.headers[") && (name = quoted (&p))
      && eat (&p, "]") && eat (&p, "==") && (v = quoted (&p)) && !*p
      && import_is_token (name) && !strchr (name, ':')
      && (!*v || (v[0] != ' ' && v[strlen (v) - 1] != ' ')))
    {
      r->header = g_strdup_printf ("%s:%s", name, v);
      return 3;
    }
  return 0;
}

/* The expression into r's conditions: terms joined by &&, each one kind
 * of condition (a header alone; region codes or ranges joined by ||),
 * each kind in one term at most. FALSE when it is not in that subset. */
static gboolean
expression (const char *expr, ImportRes *r)
{
  g_auto (GStrv) terms = g_strsplit (expr, "&&", -1);
  gboolean seen[4] = { FALSE, FALSE, FALSE, FALSE };

  for (guint i = 0; terms[i]; i++)
    {
      g_auto (GStrv) alts = g_strsplit (terms[i], "||", -1);
      int kind = 0;

      for (guint j = 0; alts[j]; j++)
        {
          int k = alternative (g_strstrip (alts[j]), r);
          if (k == 0 || (kind && k != kind) || (k == 3 && j > 0))
            return FALSE;
          kind = k;
        }
      if (kind == 0 || seen[kind] || (kind == 3 && alts[1]))
        return FALSE;
      seen[kind] = TRUE;
    }
  return TRUE;
}

/* One rule of policy (its name) at path at of d. */
static gboolean
rule (ImportSrc *s, JsonNode *d, gboolean tf, ImportRes *policy)
{
  const char *action = armor_action (import_str (s, d, "action"));
  gint64 prio = import_int (s, d, "priority", ARMOR_DEFAULT_PRIORITY);
  const char *expr = import_str (s, d, tf ? "match[0].expr[0].expression"
                                          : "match.expr.expression");
  g_autoptr (GPtrArray) src = import_strs (s, d, tf
                                           ? "match[0].config[0].src_ip_ranges"
                                           : "match.config.srcIpRanges");
  g_autofree char *rname = NULL;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  if (prio < 0)
    return import_fail (s, "priority", "expected the rule's priority, found "
                        "nothing");
  if (!action)
    {
      import_not_modelled (s, "rule %" G_GINT64_FORMAT ": action %s (only "
                           "allow and deny(403|404|502)): rule left out",
                           prio, import_str (s, d, "action"));
      return TRUE;
    }
  if (import_bool (s, d, "preview") == 1)
    {
      import_not_modelled (s, "rule %" G_GINT64_FORMAT ": preview (not "
                           "enforced): rule left out", prio);
      return TRUE;
    }
  if (prio == ARMOR_DEFAULT_PRIORITY)
    {
      g_free (policy->action);
      policy->action = g_strdup (action);
      return TRUE;
    }
  rname = g_strdup_printf ("%s-%" G_GINT64_FORMAT, policy->name, prio);
  r = import_res_new (s, IMPORT_ARMOR_RULE, policy->project, NULL, rname);
  r->target = import_ref_new (policy->name, policy->project, NULL);
  r->priority = prio;
  r->action = g_strdup (action);
  for (guint i = 0; src && i < src->len; i++)
    {
      const char *c = src->pdata[i];
      if (!r->ranges)
        r->ranges = g_ptr_array_new_with_free_func (g_free);
      if (strcmp (c, "*") == 0)
        g_ptr_array_add (r->ranges, g_strdup ("0.0.0.0/0"));
      else if (import_is_cidr (c))
        g_ptr_array_add (r->ranges, g_strdup (c));
      else if (import_is_ipv4 (c))
        g_ptr_array_add (r->ranges, g_strdup_printf ("%s/32", c));
      else
        import_not_modelled (s, "rule %" G_GINT64_FORMAT ": source range "
                             "%s (IPv4 only): left out of the rule", prio, c);
    }
  if ((expr && !expression (expr, r))
      || (!r->ranges && !r->codes && !r->header))
    {
      r->skip = TRUE;
      import_not_modelled (s, "rule %" G_GINT64_FORMAT ": match %s (the "
                           "simulator reads source ranges, "
                           "origin.region_code, inIpRange(origin.ip, ...) "
                           "and request.headers): rule left out", prio,
                           expr ? expr : "without an IPv4 range");
    }
  return TRUE;
}

gboolean
import_armor (ImportSrc *s, JsonNode *d, const char *project,
              const char *name, gboolean tf)
{
  const char *rel = tf ? "rule" : "rules";
  JsonArray *rules = import_arr (s, d, rel);
  const char *type = import_str (s, d, "type");
  ImportRes *p;

  if (import_failed (s))
    return FALSE;
  if (type && strcmp (type, "CLOUD_ARMOR") != 0)
    {
      import_not_modelled (s, "a security policy of type %s (backend "
                           "policies, CLOUD_ARMOR, only): left out", type);
      return TRUE;
    }
  p = import_res_new (s, IMPORT_ARMOR, project, NULL, name);
  p->action = g_strdup ("allow");
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", rel, i);
      ImportSrc rs = *s;
      gboolean ok;

      rs.base = import_path (s, at);
      ok = rule (&rs, import_at (s, d, at), tf, p);
      g_free (rs.base);
      if (!ok)
        return FALSE;
    }
  return !import_failed (s);
}
