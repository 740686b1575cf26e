/* VPC Network Peering, private services access and the managed instances
 * that live behind it (https://cloud.google.com/vpc/docs/vpc-peering,
 * /vpc/docs/private-services-access): each network's side of a peering
 * (a network's peerings[], google_compute_network_peering), Service
 * Networking connections (gcloud services vpc-peerings list,
 * google_service_networking_connection), Cloud SQL instances with a
 * private IP, Memorystore for Redis instances in PRIVATE_SERVICE_ACCESS
 * mode and AlloyDB instances with their clusters. What reaches them
 * otherwise (public IP, Private Service Connect, direct peering) is
 * said and left out. */
#include "tools/import/import-private.h"

#include <string.h>

/* Service Networking's side of private services access. */
#define SN_PEERING "servicenetworking-googleapis-com"

static const char *
last (const char *text)
{
  const char *slash = text ? strrchr (text, '/') : NULL;

  return slash ? slash + 1 : text;
}

/* One side of a peering of network (its project) to peer. */
static ImportRes *
peering_new (ImportSrc *s, const char *net, const char *project,
             const char *name, const char *peer)
{
  ImportRef *n = import_ref_new (net, project, NULL);
  g_autofree char *id = g_strdup_printf ("%s/%s", n->name, name);
  ImportRes *r = import_res_new (s, IMPORT_PEERING, n->project, NULL, id);

  r->network = n;
  r->display = g_strdup (name);
  if (peer)
    r->target = import_ref_new (peer, n->project, NULL);
  if (strcmp (name, SN_PEERING) == 0
      || (peer && strstr (peer, "/networks/servicenetworking")))
    r->type = g_strdup ("servicenetworking");
  return r;
}

gboolean
import_peerings (ImportSrc *s, JsonNode *d, ImportRes *network)
{
  JsonArray *peerings = import_arr (s, d, "peerings");

  for (guint i = 0; peerings && i < json_array_get_length (peerings); i++)
    {
      g_autofree char *nk = g_strdup_printf ("peerings[%u].name", i);
      g_autofree char *pk = g_strdup_printf ("peerings[%u].network", i);
      g_autofree char *ek = g_strdup_printf ("peerings[%u]."
                                             "exportCustomRoutes", i);
      g_autofree char *ik = g_strdup_printf ("peerings[%u]."
                                             "importCustomRoutes", i);
      const char *name = import_str (s, d, nk);
      const char *peer = import_str (s, d, pk);
      ImportRes *r;

      if (import_failed (s))
        return FALSE;
      if (!name || !peer)
        return import_fail (s, name ? pk : nk, "expected the peering's name "
                            "and peer network, found nothing");
      r = peering_new (s, network->name, network->project, name, peer);
      r->export_routes = import_bool (s, d, ek);
      r->import_routes = import_bool (s, d, ik);
    }
  return !import_failed (s);
}

/* A Service Networking connection: {network, reservedPeeringRanges,
 * peering, service}. */
static gboolean
connection (ImportSrc *s, JsonNode *d, const char *project,
            const char *net, const char *service, GPtrArray *ranges)
{
  ImportRef *n;
  ImportRes *r;

  if (!net)
    return import_fail (s, "network", "expected the connection's network, "
                        "found nothing");
  if (service && strcmp (last (service), "servicenetworking.googleapis.com"))
    {
      import_not_modelled (s, "a private connection to %s (only Google's "
                           "servicenetworking.googleapis.com is modelled): "
                           "left out", service);
      return TRUE;
    }
  (void) d;
  n = import_ref_new (net, project, NULL);
  r = import_res_new (s, IMPORT_PSA, n->project, NULL, n->name);
  r->network = n;
  if (ranges && ranges->len)
    r->members = g_ptr_array_ref (ranges);
  return TRUE;
}

/* The product of a Cloud SQL databaseVersion, or NULL. */
static const char *
sql_product (const char *version)
{
  if (!version)
    return NULL;
  if (g_str_has_prefix (version, "POSTGRES"))
    return "cloud-sql-postgres";
  if (g_str_has_prefix (version, "MYSQL"))
    return "cloud-sql-mysql";
  if (g_str_has_prefix (version, "SQLSERVER"))
    return "cloud-sql-sqlserver";
  return NULL;
}

/* A managed instance of product, or NULL after saying why it is left
 * out: no private network (public IP or PSC only). */
static ImportRes *
managed_new (ImportSrc *s, const char *product, const char *project,
             const char *region, const char *name, const char *net,
             gboolean psc)
{
  ImportRes *r;

  if (!net || !*net)
    {
      import_not_modelled (s, "%s without a private services access "
                           "address (%s): left out", product,
                           psc ? "Private Service Connect only"
                               : "public IP only");
      return NULL;
    }
  if (!region)
    {
      import_fail (s, "region", "expected the instance's region, found "
                   "nothing");
      return NULL;
    }
  r = import_res_new (s, IMPORT_MANAGED, project, region, name);
  r->type = g_strdup (product);
  r->network = import_ref_new (net, r->project, NULL);
  if (psc)
    import_not_modelled (s, "its Private Service Connect endpoint is not "
                         "modelled (its private services access address "
                         "is)");
  return r;
}

/* The authorized networks' values at arr[i].key (IPv4 CIDRs; a bare
 * address is a /32) into r->ranges. */
static void
authorized (ImportSrc *s, JsonNode *d, const char *arr, const char *key,
            ImportRes *r)
{
  JsonArray *a = import_arr (s, d, arr);

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u].%s", arr, i, key);
      const char *v = import_str (s, d, at);
      g_autofree char *cidr = v && !strchr (v, '/') && import_is_ipv4 (v)
                              ? g_strdup_printf ("%s/32", v) : g_strdup (v);
      char *field = NULL;

      if (import_set_cidr (s, at, cidr, &field))
        {
          if (!r->ranges)
            r->ranges = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (r->ranges, field);
        }
    }
}

/* Where a Cloud SQL instance's fields are: the REST names, or
 * Terraform's. */
typedef struct {
  const char *version, *ipc, *net, *pub, *psc, *auth;
} SqlKeys;

static const SqlKeys rest_sql = { "databaseVersion",
                                  "settings.ipConfiguration",
                                  "privateNetwork", "ipv4Enabled",
                                  "pscConfig.pscEnabled",
                                  "authorizedNetworks" };
static const SqlKeys tf_sql_keys = { "database_version",
                                     "settings[0].ip_configuration[0]",
                                     "private_network", "ipv4_enabled",
                                     "psc_config[0].psc_enabled",
                                     "authorized_networks" };

/* A Cloud SQL instance named name (its private network read with get
 * when given): the managed instance, or NULL (an error, or left out and
 * said). */
static ImportRes *
sql_common (ImportSrc *s, JsonNode *d, const SqlKeys *k, const char *project,
            const char *region, const char *name, ImportGet get,
            gpointer user)
{
  g_autofree char *netk = g_strconcat (k->ipc, ".", k->net, NULL);
  g_autofree char *pub = g_strconcat (k->ipc, ".", k->pub, NULL);
  g_autofree char *psck = g_strconcat (k->ipc, ".", k->psc, NULL);
  g_autofree char *authk = g_strconcat (k->ipc, ".", k->auth, NULL);
  const char *version = import_str (s, d, k->version);
  const char *product = sql_product (version);
  ImportRes *r;

  if (import_failed (s))
    return NULL;
  if (!name)
    {
      import_fail (s, "name", "expected the instance's name, found nothing");
      return NULL;
    }
  if (!product)
    {
      import_fail (s, k->version, "expected POSTGRES_*, MYSQL_* or "
                   "SQLSERVER_*, found '%s'", version ? version : "nothing");
      return NULL;
    }
  r = managed_new (s, product, project, region, name,
                   get ? get (user, netk) : import_str (s, d, netk),
                   import_bool (s, d, psck) == 1);
  if (!r)
    return NULL;
  authorized (s, d, authk, "value", r);
  if (import_bool (s, d, pub) == 1)
    import_not_modelled (s, "%s: its public IP address is not modelled",
                         pub);
  return r;
}

/* Cloud SQL (sqladmin DatabaseInstance): the private address is the
 * ipAddresses[] entry of type PRIVATE. */
static gboolean
sql_instance (ImportSrc *s, JsonNode *d, const char *project,
              const char *region)
{
  const char *reg = import_str (s, d, "region");
  const char *p = import_str (s, d, "project");
  JsonArray *ips = import_arr (s, d, "ipAddresses");
  ImportRes *r = sql_common (s, d, &rest_sql, p ? p : project,
                             reg ? reg : region, import_str (s, d, "name"),
                             NULL, NULL);

  for (guint i = 0; r && ips && i < json_array_get_length (ips); i++)
    {
      g_autofree char *tk = g_strdup_printf ("ipAddresses[%u].type", i);
      g_autofree char *ak = g_strdup_printf ("ipAddresses[%u].ipAddress", i);
      const char *type = import_str (s, d, tk);
      if (type && strcmp (type, "PRIVATE") == 0)
        import_set_ipv4 (s, ak, import_str (s, d, ak), &r->range);
    }
  return !import_failed (s);
}

/* Memorystore for Redis: PRIVATE_SERVICE_ACCESS mode only. */
static gboolean
redis_instance (ImportSrc *s, JsonNode *d, const char *project,
                const char *region)
{
  const char *full = import_str (s, d, "name");
  const char *mode = import_str (s, d, "connectMode");
  const char *net = import_str (s, d, "authorizedNetwork");
  g_autofree char *p = full ? import_name_project (full) : NULL;
  ImportRef *loc;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  if (!full)
    return import_fail (s, "name", "expected the instance's name, found "
                        "nothing");
  if (!mode || strcmp (mode, "PRIVATE_SERVICE_ACCESS") != 0)
    {
      import_not_modelled (s, "connectMode %s (a peering of its own to "
                           "Google's network): left out",
                           mode ? mode : "DIRECT_PEERING");
      return TRUE;
    }
  loc = import_ref_new (full, p ? p : project, region);
  r = managed_new (s, "memorystore-redis", loc->project, loc->region,
                   loc->name, net, FALSE);
  import_ref_free (loc);
  if (r)
    import_set_ipv4 (s, "host", import_str (s, d, "host"), &r->range);
  return !import_failed (s);
}

/* An AlloyDB cluster (projects/P/locations/R/clusters/C): its network. */
static gboolean
alloydb_cluster (ImportSrc *s, JsonNode *d, const char *project,
                 const char *region, const char *full, const char *net,
                 gboolean psc)
{
  ImportRef *loc;
  ImportRes *r;

  if (!full)
    return import_fail (s, "name", "expected the cluster's name, found "
                        "nothing");
  loc = import_ref_new (full, project, region);
  r = import_res_new (s, IMPORT_CLUSTER, loc->project, loc->region,
                      loc->name);
  import_ref_free (loc);
  r->skip = TRUE;               /* read by its instances */
  if (net && *net && !psc)
    r->network = import_ref_new (net, r->project, NULL);
  (void) d;
  return !import_failed (s);
}

/* An AlloyDB instance (projects/P/locations/R/clusters/C/instances/I). */
static gboolean
alloydb_instance (ImportSrc *s, const char *project, const char *region,
                  const char *full, const char *cluster, const char *ip,
                  gboolean psc)
{
  g_autofree char *p = full ? import_name_project (full) : NULL;
  ImportRef *loc;
  ImportRes *r;

  if (!full)
    return import_fail (s, "name", "expected the instance's name, found "
                        "nothing");
  if (psc)
    {
      import_not_modelled (s, "an AlloyDB instance reached through Private "
                           "Service Connect: left out");
      return TRUE;
    }
  loc = import_ref_new (full, p ? p : project, region);
  r = import_res_new (s, IMPORT_MANAGED, loc->project, loc->region,
                      loc->name);
  import_ref_free (loc);
  r->type = g_strdup ("alloydb");
  if (!r->region)
    return import_fail (s, "name", "expected projects/P/locations/REGION/"
                        "clusters/C/instances/NAME, found '%s'", full);
  if (cluster)
    r->target = import_ref_new (cluster, r->project, r->region);
  if (ip && import_is_ipv4 (ip))
    r->range = g_strdup (ip);
  return !import_failed (s);
}

/* The AlloyDB cluster of an instance's name: up to /instances/. */
static char *
cluster_of (const char *full)
{
  const char *i = full ? strstr (full, "/instances/") : NULL;

  return i ? g_strndup (full, (gsize) (i - full)) : NULL;
}

gboolean
import_rest_managed (ImportSrc *s, const char *type, JsonNode *d,
                     const char *project, const char *region)
{
  if (strcmp (type, "service-connection") == 0)
    {
      g_autoptr (GPtrArray) ranges = import_strs (s, d,
                                                  "reservedPeeringRanges");
      return !import_failed (s)
             && connection (s, d, project, import_str (s, d, "network"),
                            import_str (s, d, "service"), ranges);
    }
  if (strcmp (type, "sql-instance") == 0)
    return sql_instance (s, d, project, region);
  if (strcmp (type, "redis-instance") == 0)
    return redis_instance (s, d, project, region);
  if (strcmp (type, "redis-cluster") == 0)
    {
      import_not_modelled (s, "a Memorystore for Redis Cluster (reached "
                           "through Private Service Connect): left out");
      return TRUE;
    }
  if (strcmp (type, "alloydb-cluster") == 0)
    {
      const char *net = import_str (s, d, "networkConfig.network");
      if (!net)
        net = import_str (s, d, "network");
      return alloydb_cluster (s, d, project, region,
                              import_str (s, d, "name"), net,
                              import_bool (s, d, "pscConfig.pscEnabled")
                              == 1);
    }
  if (strcmp (type, "alloydb-instance") == 0)
    {
      const char *full = import_str (s, d, "name");
      g_autofree char *cluster = cluster_of (full);
      return alloydb_instance (s, project, region, full, cluster,
                               import_str (s, d, "ipAddress"),
                               import_bool (s, d, "pscInstanceConfig."
                                            "pscEnabled") == 1
                               || (import_at (s, d, "pscInstanceConfig")
                                   && !import_str (s, d, "ipAddress")));
    }
  import_unknown_type (s->model, type);
  return TRUE;
}

/* ---- Terraform ---------------------------------------------------------- */

static gboolean
tf_peering (ImportSrc *s, JsonNode *d, const char *name, ImportGet get,
            gpointer user, gboolean routes)
{
  const char *net = get (user, "network");
  const char *peer = routes ? NULL : get (user, "peer_network");
  const char *pname = routes ? get (user, "peering") : name;
  ImportRes *r;

  if (!net || !pname || (!routes && !peer))
    return import_fail (s, !net ? "network" : routes ? "peering"
                        : "peer_network", "expected the peering's network "
                        "and peer, found nothing");
  r = peering_new (s, net, import_str (s, d, "project"), pname, peer);
  if (routes)
    {
      g_autofree char *id = g_strdup_printf ("%s#routes", r->name);
      g_free (r->name);
      r->name = g_steal_pointer (&id);
      if (!r->type)
        r->type = g_strdup ("routes");
    }
  r->export_routes = import_bool (s, d, "export_custom_routes");
  r->import_routes = import_bool (s, d, "import_custom_routes");
  return !import_failed (s);
}

/* google_sql_database_instance: private_ip_address. */
static gboolean
tf_sql (ImportSrc *s, JsonNode *d, const char *name, ImportGet get,
        gpointer user)
{
  ImportRes *r = sql_common (s, d, &tf_sql_keys,
                             import_str (s, d, "project"),
                             import_str (s, d, "region"), name, get, user);

  if (r)
    import_set_ipv4 (s, "private_ip_address",
                     import_str (s, d, "private_ip_address"), &r->range);
  return !import_failed (s);
}

/* google_redis_instance: PRIVATE_SERVICE_ACCESS mode only. */
static gboolean
tf_redis (ImportSrc *s, JsonNode *d, const char *name, ImportGet get,
          gpointer user)
{
  const char *mode = import_str (s, d, "connect_mode");
  ImportRes *r;

  if (!mode || strcmp (mode, "PRIVATE_SERVICE_ACCESS") != 0)
    {
      import_not_modelled (s, "connect_mode %s (a peering of its own to "
                           "Google's network): left out",
                           mode ? mode : "DIRECT_PEERING");
      return !import_failed (s);
    }
  r = managed_new (s, "memorystore-redis", import_str (s, d, "project"),
                   import_str (s, d, "region"), name,
                   get (user, "authorized_network"), FALSE);
  if (r)
    import_set_ipv4 (s, "host", import_str (s, d, "host"), &r->range);
  return !import_failed (s);
}

/* google_alloydb_cluster: its name (or one made of location and
 * cluster_id) and network_config's network. */
static gboolean
tf_alloydb_cluster (ImportSrc *s, JsonNode *d, ImportGet get, gpointer user)
{
  const char *project = import_str (s, d, "project");
  const char *loc = import_str (s, d, "location");
  const char *full = import_str (s, d, "name");
  const char *net = get (user, "network_config[0].network");
  g_autofree char *made = NULL;

  if (!full || !strchr (full, '/'))
    full = made = g_strdup_printf ("projects/%s/locations/%s/clusters/%s",
                                   project ? project : "-", loc,
                                   import_str (s, d, "cluster_id"));
  if (!net)
    net = get (user, "network");
  return alloydb_cluster (s, d, project, loc, full, net,
                          import_bool (s, d, "psc_config[0].psc_enabled")
                          == 1);
}

/* google_alloydb_instance: its name, or its cluster's and instance_id. */
static gboolean
tf_alloydb_instance (ImportSrc *s, JsonNode *d, ImportGet get,
                     gpointer user)
{
  const char *cluster = get (user, "cluster");
  const char *full = import_str (s, d, "name");
  const char *id = import_str (s, d, "instance_id");
  g_autofree char *made = NULL, *cl = NULL;

  if (cluster && !strchr (cluster, '/'))
    cluster = NULL;             /* a plan's reference: only its name */
  if ((!full || !strchr (full, '/')) && cluster && id)
    full = made = g_strdup_printf ("%s/instances/%s", cluster, id);
  if (!full || !strchr (full, '/'))
    {
      import_not_modelled (s, "cluster: its cluster's name is not known (a "
                           "plan's reference): left out");
      return !import_failed (s);
    }
  cl = cluster ? g_strdup (cluster) : cluster_of (full);
  return alloydb_instance (s, import_str (s, d, "project"), NULL, full, cl,
                           import_str (s, d, "ip_address"), FALSE);
}

gboolean
import_tf_managed (ImportSrc *s, const char *type, JsonNode *d,
                   const char *name, ImportGet get, gpointer user,
                   gboolean *done)
{
  *done = TRUE;
  if (strcmp (type, "google_compute_network_peering") == 0)
    return tf_peering (s, d, name, get, user, FALSE);
  if (strcmp (type, "google_compute_network_peering_routes_config") == 0)
    return tf_peering (s, d, name, get, user, TRUE);
  if (strcmp (type, "google_service_networking_connection") == 0)
    {
      g_autoptr (GPtrArray) ranges = import_strs (s, d,
                                                  "reserved_peering_ranges");
      return !import_failed (s)
             && connection (s, d, import_str (s, d, "project"),
                            get (user, "network"),
                            import_str (s, d, "service"), ranges);
    }
  if (strcmp (type, "google_sql_database_instance") == 0)
    return tf_sql (s, d, name, get, user);
  if (strcmp (type, "google_redis_instance") == 0)
    return tf_redis (s, d, name, get, user);
  if (strcmp (type, "google_redis_cluster") == 0)
    {
      import_not_modelled (s, "a Memorystore for Redis Cluster (reached "
                           "through Private Service Connect): left out");
      return TRUE;
    }
  if (strcmp (type, "google_alloydb_cluster") == 0)
    return tf_alloydb_cluster (s, d, get, user);
  if (strcmp (type, "google_alloydb_instance") == 0)
    return tf_alloydb_instance (s, d, get, user);
  *done = FALSE;
  return TRUE;
}
