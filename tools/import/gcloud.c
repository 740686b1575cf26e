/* Per-resource `gcloud ... --format=json` outputs: a bare array, a REST
 * list ({"items": [...]}) or one object, each of a REST shape told by its
 * kind ("compute#subnetwork"), its selfLink or its fields; and IAM
 * policies, which CAI carries beside the resources. */
#include "tools/import/import-private.h"

#include <string.h>

static const struct { const char *key, *type; } kinds[] = {
  { "compute#network", "network" },
  { "compute#subnetwork", "subnetwork" },
  { "compute#router", "router" },
  { "compute#firewall", "firewall" },
  { "compute#firewallPolicy", "firewall-policy" },
  { "compute#route", "route" },
  { "compute#forwardingRule", "forwarding-rule" },
  { "compute#address", "address" },
  { "compute#instance", "instance" },
  { "compute#project", "project" },
  { "dns#managedZone", "managed-zone" },
  { "dns#resourceRecordSet", "rrset" },
  { "dns#policy", "dns-policy" },
  { "compute#targetHttpProxy", "target-proxy" },
  { "compute#targetHttpsProxy", "target-proxy" },
  { "compute#urlMap", "url-map" },
  { "compute#backendService", "backend-service" },
  { "compute#securityPolicy", "security-policy" },
  { "compute#networkEndpointGroup", "neg" },
  { "sql#instance", "sql-instance" },
};

/* Path segments of a selfLink or name and the types they name. */
static const struct { const char *key, *type; } segments[] = {
  { "/subnetworks/", "subnetwork" },
  { "/targetHttpProxies/", "target-proxy" },
  { "/targetHttpsProxies/", "target-proxy" },
  { "/urlMaps/", "url-map" },
  { "/backendServices/", "backend-service" },
  { "/securityPolicies/", "security-policy" },
  { "/networkEndpointGroups/", "neg" },
  { "/networks/", "network" },
  { "/routers/", "router" },
  { "/firewalls/", "firewall" },
  { "/routes/", "route" },
  { "/forwardingRules/", "forwarding-rule" },
  { "/addresses/", "address" },
  { "/instances/", "instance" },
  { "/connectors/", "connector" },
  { "/services/", "run-service" },
  { "/domainmappings/", "domain-mapping" },
  { "/jobs/", "run-job" },
  { "/workerPools/", "run-worker-pool" },
  { "/managedZones/", "managed-zone" },
  { "/servicePerimeters/", "perimeter" },
  { "/accessLevels/", "access-level" },
};

static const char *
member_string (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

const char *
import_rest_guess (JsonNode *node)
{
  JsonObject *o;
  const char *kind, *link;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  kind = member_string (o, "kind");
  if (kind)
    {
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (strcmp (kind, kinds[i].key) == 0)
          return kinds[i].type;
      if (strcmp (kind, "Service") == 0)
        return "run-service";
      if (strcmp (kind, "DomainMapping") == 0)
        return "domain-mapping";
      if (strcmp (kind, "Job") == 0)
        return "run-job";
      if (strchr (kind, '#'))
        return kind;
    }
  if (json_object_has_member (o, "bindings"))
    return "iam-policy";
  if (json_object_has_member (o, "projectId")
      && json_object_has_member (o, "projectNumber"))
    return "project";
  if (json_object_has_member (o, "reservedPeeringRanges"))
    return "service-connection";
  link = member_string (o, "name");
  if (link && strstr (link, "/locations/") && strstr (link, "/clusters/"))
    return strstr (link, "/instances/") ? "alloydb-instance"
           : json_object_has_member (o, "shardCount") ? "redis-cluster"
           : json_object_has_member (o, "networkConfig")
             || json_object_has_member (o, "clusterType")
           ? "alloydb-cluster" : NULL;
  if (link && strstr (link, "/locations/") && strstr (link, "/instances/")
      && (json_object_has_member (o, "redisVersion")
          || json_object_has_member (o, "connectMode")))
    return "redis-instance";
  link = member_string (o, "selfLink");
  if (!link)
    link = member_string (o, "name");
  if (link)
    for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
      if (strstr (link, segments[i].key))
        return segments[i].type;
  if (json_object_has_member (o, "rrdatas"))
    return "rrset";
  if (json_object_has_member (o, "dnsName"))
    return "managed-zone";
  if (json_object_has_member (o, "ipCidrRange")
      && json_object_has_member (o, "network"))
    return "subnetwork";
  return NULL;
}

gboolean
import_rest_iam (ImportSrc *s, const char *resource, JsonNode *policy)
{
  JsonArray *b = import_arr (s, policy, "bindings");
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  gboolean service = strstr (resource, "/services/") != NULL;
  gboolean project
    = !service
      && g_str_has_prefix (resource,
                           "//cloudresourcemanager.googleapis.com/projects/");
  g_autofree char *proj = import_name_project (resource);
  ImportRes *r = NULL;

  s->model->n_read++;
  if (import_failed (s))
    return FALSE;
  if (!service && !project)
    return TRUE;                /* the IAM policy of another resource */
  s->model->has_iam = TRUE;
  for (guint i = 0; b && i < json_array_get_length (b); i++)
    {
      g_autofree char *rk = g_strdup_printf ("bindings[%u].role", i);
      g_autofree char *mk = g_strdup_printf ("bindings[%u].members", i);
      g_autofree char *ck = g_strdup_printf ("bindings[%u].condition", i);
      const char *role = import_str (s, policy, rk);
      g_autoptr (GPtrArray) members = import_strs (s, policy, mk);

      if (import_failed (s))
        return FALSE;
      if (!role || strcmp (role, "roles/run.invoker") != 0)
        continue;
      if (!r)
        {
          ImportRef *ref = import_ref_new (resource, proj, NULL);
          r = import_res_new (s, IMPORT_IAM, ref->project, ref->region,
                              service ? ref->name : "");
          r->type = g_strdup (service ? "service" : "project");
          import_ref_free (ref);
        }
      if (import_at (s, policy, ck))
        {
          import_not_modelled (s, "%s: a conditional binding is left out",
                               ck);
          continue;
        }
      import_add_members (s, mk, members, r);
    }
  /* A service's policy without invokers: nobody may invoke it. */
  if (!r && service)
    {
      ImportRef *ref = import_ref_new (resource, proj, NULL);
      r = import_res_new (s, IMPORT_IAM, ref->project, ref->region, ref->name);
      r->type = g_strdup ("service");
      r->members = g_ptr_array_new_with_free_func (g_free);
      import_ref_free (ref);
    }
  return !import_failed (s);
}

static gboolean
one (ImportSrc *s, JsonNode *node, const char *rel)
{
  ImportSrc sub = *s;
  const char *type = import_rest_guess (node);
  gboolean ok;

  sub.base = import_path (s, rel);
  if (!type)
    {
      JsonNode *nm = JSON_NODE_HOLDS_OBJECT (node)
                     ? json_object_get_member (json_node_get_object (node),
                                               "name")
                     : NULL;
      ok = import_fail (&sub, "", "expected a Google Cloud resource (a kind, "
                        "a selfLink or a name that says its type), found %s",
                        nm ? "an object of unknown type" : "no resource");
    }
  else if (strcmp (type, "iam-policy") == 0)
    {
      import_not_modelled (&sub, "an IAM policy without the resource it "
                           "belongs to (gcloud get-iam-policy): use the "
                           "CAI iam-policy export");
      ok = TRUE;
    }
  else
    {
      JsonObject *o = json_node_get_object (node);
      const char *name = member_string (o, "selfLink");
      sub.origin = name ? name : member_string (o, "name");
      if (strcmp (type, "perimeter") == 0)
        ok = import_perimeter (&sub, node, FALSE);
      else if (strcmp (type, "access-level") == 0)
        ok = import_access_level (&sub, node, FALSE);
      else
        ok = import_rest (&sub, type, node, NULL, NULL);
    }
  g_free (sub.base);
  return ok;
}

gboolean
import_gcloud (ImportSrc *s, JsonNode *root)
{
  JsonArray *a = NULL;
  const char *prefix = "";

  if (JSON_NODE_HOLDS_ARRAY (root))
    a = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root), "items")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (
                json_node_get_object (root), "items")))
    {
      a = import_arr (s, root, "items");
      prefix = "items";
      if (!a)
        return import_fail (s, "items", "expected an array");
    }
  else
    return one (s, root, "");
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *rel = g_strdup_printf ("%s[%u]", prefix, i);
      if (!one (s, json_array_get_element (a, i), rel))
        return FALSE;
    }
  return TRUE;
}
