/* Cloud Asset Inventory: one asset per line, {"name", "asset_type" (or
 * "assetType" from gcloud asset list and the API), "resource": {"data":
 * REST resource, "location"}, "ancestors"}, or an IAM policy export's
 * {"name", "asset_type", "iam_policy"}. */
#include "tools/import/import-private.h"

#include <string.h>

static const struct { const char *asset, *type; } types[] = {
  { "run.googleapis.com/Service", "run-service" },
  { "run.googleapis.com/DomainMapping", "domain-mapping" },
  { "run.googleapis.com/Job", "run-job" },
  { "run.googleapis.com/WorkerPool", "run-worker-pool" },
  { "compute.googleapis.com/Network", "network" },
  { "compute.googleapis.com/Subnetwork", "subnetwork" },
  { "compute.googleapis.com/Router", "router" },
  { "compute.googleapis.com/Firewall", "firewall" },
  { "compute.googleapis.com/Route", "route" },
  { "vpcaccess.googleapis.com/Connector", "connector" },
  { "dns.googleapis.com/ManagedZone", "managed-zone" },
  { "dns.googleapis.com/ResourceRecordSet", "rrset" },
  { "dns.googleapis.com/Policy", "dns-policy" },
  { "compute.googleapis.com/ForwardingRule", "forwarding-rule" },
  { "compute.googleapis.com/GlobalForwardingRule", "forwarding-rule" },
  { "compute.googleapis.com/Address", "address" },
  { "compute.googleapis.com/GlobalAddress", "address" },
  { "compute.googleapis.com/Instance", "instance" },
  { "compute.googleapis.com/Project", "project" },
  { "cloudresourcemanager.googleapis.com/Project", "project" },
  { "compute.googleapis.com/TargetHttpProxy", "target-proxy" },
  { "compute.googleapis.com/TargetHttpsProxy", "target-proxy" },
  { "compute.googleapis.com/RegionTargetHttpProxy", "target-proxy" },
  { "compute.googleapis.com/RegionTargetHttpsProxy", "target-proxy" },
  { "compute.googleapis.com/UrlMap", "url-map" },
  { "compute.googleapis.com/RegionUrlMap", "url-map" },
  { "compute.googleapis.com/BackendService", "backend-service" },
  { "compute.googleapis.com/RegionBackendService", "backend-service" },
  { "compute.googleapis.com/NetworkEndpointGroup", "neg" },
  { "compute.googleapis.com/RegionNetworkEndpointGroup", "neg" },
  { "compute.googleapis.com/FirewallPolicy", "firewall-policy" },
  { "compute.googleapis.com/RegionNetworkFirewallPolicy", "firewall-policy" },
  { "compute.googleapis.com/SecurityPolicy", "security-policy" },
  { "sqladmin.googleapis.com/Instance", "sql-instance" },
  { "redis.googleapis.com/Instance", "redis-instance" },
  { "redis.googleapis.com/Cluster", "redis-cluster" },
  { "alloydb.googleapis.com/Instance", "alloydb-instance" },
  { "alloydb.googleapis.com/Cluster", "alloydb-cluster" },
};

const char *
import_rest_asset_type (const char *asset_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (asset_type, types[i].asset) == 0)
      return types[i].type;
  return NULL;
}

/* The zone of a record set's asset name
 * (//dns.googleapis.com/projects/P/managedZones/Z/rrsets/NAME/TYPE). */
static char *
rrset_zone (const char *name)
{
  const char *z = strstr (name, "/managedZones/");
  const char *end;

  if (!z)
    return NULL;
  z += strlen ("/managedZones/");
  end = strchr (z, '/');
  return end ? g_strndup (z, (gsize) (end - z)) : g_strdup (z);
}

/* rest (a member of line) read with the JSON path BASE.rest. */
static gboolean
below (ImportSrc *s, const char *rest, const char *type, const char *name,
       JsonNode *node, const char *project, const char *loc)
{
  ImportSrc sub = *s;
  gboolean ok;

  sub.base = g_strconcat (s->base, ".", rest, NULL);
  if (!type)
    ok = import_rest_iam (&sub, name, node);
  else if (strcmp (type, "rrset") == 0)
    {
      static const char *const keys[3] = { "name", "type", "rrdatas" };
      g_autofree char *zone = rrset_zone (name);
      s->model->n_read++;
      ok = import_rrset (&sub, node, project, zone, keys);
    }
  else
    ok = import_rest (&sub, type, node, project,
                      loc && strcmp (loc, "global") ? loc : NULL);
  g_free (sub.base);
  return ok;
}

gboolean
import_cai_line (ImportSrc *s, JsonNode *line)
{
  const char *name = import_str (s, line, "name");
  const char *at = import_str (s, line, "asset_type");
  const char *loc = import_str (s, line, "resource.location");
  g_autofree char *project = NULL, *number = NULL;
  JsonNode *data;
  JsonArray *anc;
  const char *type;

  if (!at)
    at = import_str (s, line, "assetType");
  if (import_failed (s))
    return FALSE;
  if (!name || !at)
    return import_fail (s, name ? "asset_type" : "name", "expected a Cloud "
                        "Asset Inventory asset with name and asset_type, "
                        "found nothing");
  s->origin = name;
  project = import_name_project (name);
  anc = import_arr (s, line, "ancestors");
  if (anc && json_array_get_length (anc) > 0)
    {
      const char *a0 = import_str (s, line, "ancestors[0]");
      if (a0 && g_str_has_prefix (a0, "projects/"))
        number = g_strdup (a0 + strlen ("projects/"));
      import_project_number (s->model, project, number);
      if (project && !g_hash_table_contains (s->model->ancestors, project))
        {
          g_autoptr (GPtrArray) a = import_strs (s, line, "ancestors");
          g_autoptr (GString) all = g_string_new (NULL);
          for (guint i = 0; a && i < a->len; i++)
            g_string_append_printf (all, "%s;", (char *) a->pdata[i]);
          g_hash_table_insert (s->model->ancestors, g_strdup (project),
                               g_strdup (all->str));
        }
    }
  if (import_at (s, line, "iam_policy"))
    return below (s, "iam_policy", NULL, name,
                  import_at (s, line, "iam_policy"), project, loc);
  if (import_at (s, line, "iamPolicy"))
    return below (s, "iamPolicy", NULL, name,
                  import_at (s, line, "iamPolicy"), project, loc);
  {
    static const char *const keys[] = { "service_perimeter", "servicePerimeter",
                                        "access_level", "accessLevel" };
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      if (import_at (s, line, keys[i]))
        {
          ImportSrc sub = *s;
          gboolean ok;
          sub.base = g_strconcat (s->base, ".", keys[i], NULL);
          ok = i < 2
               ? import_perimeter (&sub, import_at (s, line, keys[i]), FALSE)
               : import_access_level (&sub, import_at (s, line, keys[i]),
                                      FALSE);
          g_free (sub.base);
          return ok;
        }
  }
  if (import_at (s, line, "access_policy")
      || import_at (s, line, "accessPolicy"))
    return TRUE;                /* the policy itself: its parts follow */
  data = import_at (s, line, "resource.data");
  if (import_failed (s))
    return FALSE;
  type = import_rest_asset_type (at);
  if (!type)
    {
      s->model->n_read++;
      import_unknown_type (s->model, at);
      return TRUE;
    }
  if (!data)
    {
      import_not_modelled (s, "no resource.data (exported without "
                           "--content-type=resource)");
      return TRUE;
    }
  return below (s, "resource.data", type, name, data, project, loc);
}
