/* VPC Service Controls: service perimeters (status.resources: the
 * projects by number; status.restrictedServices; status.accessLevels)
 * and basic access levels (conditions' ipSubnetworks and members). CAI's
 * access-policy export spells the keys in snake_case, the REST API and
 * gcloud in camelCase, Terraform in snake_case under status[0] and
 * basic[0]: each key is tried in both spellings. */
#include "tools/import/import-private.h"

#include <string.h>

/* The key in camelCase, else in snake_case (and with [0] for Terraform's
 * blocks). */
static JsonNode *
at2 (ImportSrc *s, JsonNode *d, const char *camel, const char *snake)
{
  JsonNode *n = import_at (s, d, camel);

  return n ? n : import_at (s, d, snake);
}

static GPtrArray *
strs2 (ImportSrc *s, JsonNode *d, const char *camel, const char *snake)
{
  return import_at (s, d, camel) ? import_strs (s, d, camel)
                                 : import_strs (s, d, snake);
}

static const char *
short_name (const char *name)
{
  const char *slash = strrchr (name, '/');

  return slash ? slash + 1 : name;
}

gboolean
import_perimeter (ImportSrc *s, JsonNode *d, gboolean tf)
{
  const char *name = import_str (s, d, "name");
  const char *type = import_str (s, d, "perimeterType");
  const char *st = tf ? "status[0]" : "status";
  g_autofree char *res_k = g_strdup_printf ("%s.resources", st);
  g_autofree char *rs_c = g_strdup_printf ("%s.restrictedServices", st);
  g_autofree char *rs_s = g_strdup_printf ("%s.restricted_services", st);
  g_autofree char *al_c = g_strdup_printf ("%s.accessLevels", st);
  g_autofree char *al_s = g_strdup_printf ("%s.access_levels", st);
  g_autofree char *ip_c = g_strdup_printf ("%s.ingressPolicies", st);
  g_autofree char *ip_s = g_strdup_printf ("%s.ingress_policies", st);
  g_autoptr (GPtrArray) projects = NULL;
  ImportRes *r;

  if (!type)
    type = import_str (s, d, "perimeter_type");
  s->model->n_read++;
  if (import_failed (s))
    return FALSE;
  if (!name)
    return import_fail (s, "name", "expected the perimeter's name, found "
                        "nothing");
  if (type && strstr (type, "BRIDGE"))
    {
      import_not_modelled (s, "a perimeter bridge: left out");
      return TRUE;
    }
  r = import_res_new (s, IMPORT_PERIMETER, NULL, NULL, short_name (name));
  projects = import_strs (s, d, res_k);
  r->ranges = strs2 (s, d, rs_c, rs_s);
  r->members = strs2 (s, d, al_c, al_s);
  for (guint i = 0; projects && i < projects->len; i++)
    {
      const char *p = projects->pdata[i];
      if (g_str_has_prefix (p, "projects/"))
        g_ptr_array_add (r->refs, import_ref_new (p, NULL, NULL));
      else
        import_not_modelled (s, "%s: resource %s (only projects are "
                             "modelled)", res_k, p);
    }
  for (guint i = 0; r->ranges && i < r->ranges->len; i++)
    if (!import_is_token (r->ranges->pdata[i]))
      {
        g_autofree char *at = g_strdup_printf ("%s[%u]", rs_c, i);
        return import_fail (s, at, "expected a service name such as "
                            "run.googleapis.com, found '%s'",
                            (char *) r->ranges->pdata[i]);
      }
  if (at2 (s, d, ip_c, ip_s) || at2 (s, d, tf ? "status[0].egress_policies"
                                         : "status.egressPolicies",
                                     "status.egress_policies"))
    import_not_modelled (s, "ingress and egress policies of the perimeter");
  if (import_at (s, d, "spec")
      || import_bool (s, d, "useExplicitDryRunSpec") == 1
      || import_bool (s, d, "use_explicit_dry_run_spec") == 1)
    import_not_modelled (s, "the dry-run spec (only the enforced status "
                         "is modelled)");
  return !import_failed (s);
}

gboolean
import_access_level (ImportSrc *s, JsonNode *d, gboolean tf)
{
  const char *name = import_str (s, d, "name");
  const char *b = tf ? "basic[0].conditions" : "basic.conditions";
  JsonArray *conds = import_arr (s, d, b);
  ImportRes *r;

  s->model->n_read++;
  if (import_failed (s))
    return FALSE;
  if (!name)
    return import_fail (s, "name", "expected the access level's name, found "
                        "nothing");
  r = import_res_new (s, IMPORT_ACCESS_LEVEL, NULL, NULL, name);
  r->skip = TRUE;               /* written into its perimeters */
  r->ranges = g_ptr_array_new_with_free_func (g_free);
  r->members = g_ptr_array_new_with_free_func (g_free);
  if (import_at (s, d, "custom"))
    import_not_modelled (s, "a custom (CEL) access level");
  for (guint i = 0; conds && i < json_array_get_length (conds); i++)
    {
      g_autofree char *ipc = g_strdup_printf ("%s[%u].ipSubnetworks", b, i);
      g_autofree char *ips = g_strdup_printf ("%s[%u].ip_subnetworks", b, i);
      g_autofree char *mem = g_strdup_printf ("%s[%u].members", b, i);
      g_autoptr (GPtrArray) nets = strs2 (s, d, ipc, ips);
      g_autoptr (GPtrArray) members = import_strs (s, d, mem);

      for (guint j = 0; nets && j < nets->len; j++)
        {
          g_autofree char *at = g_strdup_printf ("%s[%u]", ipc, j);
          char *c = NULL;
          if (import_set_cidr (s, at, nets->pdata[j], &c))
            g_ptr_array_add (r->ranges, c);
        }
      for (guint j = 0; members && j < members->len; j++)
        {
          const char *m = members->pdata[j];
          if ((g_str_has_prefix (m, "serviceAccount:")
               || g_str_has_prefix (m, "user:")) && import_is_token (m))
            g_ptr_array_add (r->members, g_strdup (m));
          else
            import_not_modelled (s, "%s[%u]: member %s", mem, j, m);
        }
      if (import_failed (s))
        return FALSE;
    }
  return TRUE;
}
