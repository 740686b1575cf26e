/* Values the readers share: the enums of Cloud Run as the scenario
 * writes them, addresses, firewall protocols and invoker members, each
 * checked, with an error naming the JSON path when it cannot be mapped. */
#include "tools/import/import-private.h"

#include <string.h>

gboolean
import_set_ingress (ImportSrc *s, const char *rel, const char *v,
                    ImportRes *r)
{
  static const char *const map[][2] = {
    { "INGRESS_TRAFFIC_ALL", "all" },
    { "INGRESS_TRAFFIC_INTERNAL_ONLY", "internal" },
    { "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
      "internal-and-cloud-load-balancing" },
    { "INGRESS_TRAFFIC_NONE", "none" },
    { "all", "all" }, { "internal", "internal" },
    { "internal-and-cloud-load-balancing",
      "internal-and-cloud-load-balancing" },
    { "none", "none" },
  };

  if (!v || strcmp (v, "INGRESS_TRAFFIC_UNSPECIFIED") == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (strcmp (v, map[i][0]) == 0)
      {
        g_free (r->ingress);
        r->ingress = g_strdup (map[i][1]);
        return TRUE;
      }
  return import_fail (s, rel, "expected INGRESS_TRAFFIC_ALL, "
                      "INGRESS_TRAFFIC_INTERNAL_ONLY or "
                      "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER (or all, "
                      "internal, internal-and-cloud-load-balancing), "
                      "found '%s'", v);
}

gboolean
import_set_egress (ImportSrc *s, const char *rel, const char *v,
                   ImportRes *r)
{
  const char *e = NULL;

  if (!v || strcmp (v, "VPC_EGRESS_UNSPECIFIED") == 0)
    return TRUE;
  if (strcmp (v, "ALL_TRAFFIC") == 0 || strcmp (v, "all-traffic") == 0
      || strcmp (v, "all") == 0)
    e = "all-traffic";
  else if (strcmp (v, "PRIVATE_RANGES_ONLY") == 0
           || strcmp (v, "private-ranges-only") == 0)
    e = "private-ranges-only";
  else
    return import_fail (s, rel, "expected ALL_TRAFFIC or "
                        "PRIVATE_RANGES_ONLY (all-traffic or "
                        "private-ranges-only), found '%s'", v);
  g_free (r->egress);
  r->egress = g_strdup (e);
  return TRUE;
}

gboolean
import_set_cidr (ImportSrc *s, const char *rel, const char *v, char **field)
{
  if (!v)
    return FALSE;
  if (strchr (v, ':'))
    {
      g_autofree char *p = import_path (s, rel);
      import_not_modelled (s, "%s: IPv6 range %s", p, v);
      return FALSE;
    }
  if (!import_is_cidr (v))
    return import_fail (s, rel, "expected an IPv4 range such as "
                        "10.0.0.0/24, found '%s'", v);
  g_free (*field);
  *field = g_strdup (v);
  return TRUE;
}

gboolean
import_forward_target (ImportSrc *s, const char *rel, const char *v,
                       GPtrArray *targets)
{
  char *addr = NULL;

  if (!v)
    {
      g_autofree char *p = import_path (s, rel);
      import_not_modelled (s, "%s: a target that is not an IPv4 address", p);
      return TRUE;
    }
  if (!import_set_ipv4 (s, rel, v, &addr))
    return FALSE;
  g_ptr_array_add (targets, addr);
  return TRUE;
}

gboolean
import_set_ipv4 (ImportSrc *s, const char *rel, const char *v, char **field)
{
  if (!v)
    return FALSE;
  if (!import_is_ipv4 (v))
    return import_fail (s, rel, "expected an IPv4 address such as "
                        "10.0.0.2, found '%s'", v);
  g_free (*field);
  *field = g_strdup (v);
  return TRUE;
}

gboolean
import_set_token (ImportSrc *s, const char *rel, const char *v, char **field)
{
  if (!v)
    return FALSE;
  if (!import_is_token (v))
    return import_fail (s, rel, "expected a value without spaces, quotes, "
                        "';' or '#', found '%s'", v);
  g_free (*field);
  *field = g_strdup (v);
  return TRUE;
}

/* "6" -> "tcp": the protocol numbers the scenario has names for. */
static const char *
protocol_name (const char *p)
{
  if (strcmp (p, "6") == 0) return "tcp";
  if (strcmp (p, "17") == 0) return "udp";
  if (strcmp (p, "1") == 0) return "icmp";
  return p;
}

gboolean
import_set_protocols (ImportSrc *s, JsonNode *root, const char *rel,
                      const char *proto_key, ImportRes *r)
{
  JsonArray *a = import_arr (s, root, rel);

  if (!a)
    return !import_failed (s);
  if (!r->protocols)
    r->protocols = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", rel, i);
      g_autofree char *pk = g_strdup_printf ("%s.%s", at, proto_key);
      g_autofree char *portk = g_strdup_printf ("%s.ports", at);
      const char *proto = import_str (s, root, pk);
      g_autoptr (GPtrArray) ports = import_strs (s, root, portk);
      g_autofree char *lower = NULL;

      if (import_failed (s))
        return FALSE;
      if (!proto)
        return import_fail (s, pk, "expected a protocol, found nothing");
      lower = g_ascii_strdown (protocol_name (proto), -1);
      if (strcmp (lower, "all") == 0 || strcmp (lower, "icmp") == 0
          || ((strcmp (lower, "tcp") == 0 || strcmp (lower, "udp") == 0)
              && (!ports || ports->len == 0)))
        {
          g_ptr_array_add (r->protocols, g_strdup (lower));
          continue;
        }
      if (strcmp (lower, "tcp") != 0 && strcmp (lower, "udp") != 0)
        {
          import_not_modelled (s, "%s: protocol %s", pk, proto);
          continue;
        }
      for (guint j = 0; j < ports->len; j++)
        {
          const char *port = ports->pdata[j];
          g_autofree char *pa = g_strdup_printf ("%s[%u]", portk, j);

          if (!*port || strspn (port, "0123456789-") != strlen (port)
              || port[0] == '-' || strchr (port, '-') != strrchr (port, '-'))
            return import_fail (s, pa, "expected a port or a range such "
                                "as 443 or 8000-8080, found '%s'", port);
          g_ptr_array_add (r->protocols, g_strdup_printf ("%s:%s", lower,
                                                          port));
        }
    }
  return TRUE;
}

gboolean
import_add_members (ImportSrc *s, const char *rel, GPtrArray *members,
                    ImportRes *r)
{
  if (!r->members)
    r->members = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; members && i < members->len; i++)
    {
      const char *m = members->pdata[i];
      g_autofree char *at = g_strdup_printf ("%s[%u]", rel, i);

      if (strcmp (m, "allUsers") == 0
          || strcmp (m, "allAuthenticatedUsers") == 0
          || ((g_str_has_prefix (m, "serviceAccount:")
               || g_str_has_prefix (m, "user:")) && strchr (m, '@')))
        {
          if (!import_is_token (m))
            return import_fail (s, at, "expected a member such as "
                                "user:EMAIL, found '%s'", m);
          g_ptr_array_add (r->members, g_strdup (m));
        }
      else
        import_not_modelled (s, "%s: invoker %s (groups, domains, "
                             "principal sets and deleted members are not "
                             "modelled)", at, m);
    }
  return TRUE;
}

void
import_set_interface (ImportRes *r, const char *network,
                      const char *subnetwork)
{
  const char *project = r->project;

  g_free (r->vpc_access);
  r->vpc_access = g_strdup ("direct");
  import_ref_free (r->network);
  import_ref_free (r->subnet);
  r->network = network ? import_ref_new (network, r->project, NULL) : NULL;
  if (r->network)
    project = r->network->project;
  /* Without a subnetwork, Cloud Run uses the one named as the network. */
  if (!subnetwork)
    subnetwork = r->network ? r->network->name : "default";
  r->subnet = import_ref_new (subnetwork, project, r->region);
}

char *
import_name_project (const char *name)
{
  const char *p = name ? strstr (name, "projects/") : NULL;
  const char *end;

  if (!p)
    return NULL;
  p += strlen ("projects/");
  end = strchr (p, '/');
  return end ? g_strndup (p, (gsize) (end - p)) : g_strdup (p);
}

gboolean
import_set_order (ImportSrc *s, const char *rel, const char *v, ImportRes *r)
{
  if (!v || !*v)
    return TRUE;
  if (strcmp (v, "AFTER_CLASSIC_FIREWALL") && strcmp (v,
                                                   "BEFORE_CLASSIC_FIREWALL"))
    return import_fail (s, rel, "expected AFTER_CLASSIC_FIREWALL or "
                        "BEFORE_CLASSIC_FIREWALL, found '%s'", v);
  g_free (r->order);
  r->order = g_strdup (v[0] == 'A' ? "after-classic-firewall"
                                   : "before-classic-firewall");
  return TRUE;
}
