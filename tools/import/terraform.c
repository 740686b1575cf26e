/* `terraform show -json`: a plan (planned_values, the values after
 * apply as far as they are known) or a state (values). Each resource is
 * {address, mode, type, name, values}; modules nest in child_modules. A
 * value a plan cannot know yet (a name that comes from another resource)
 * is found through the configuration's references
 * (configuration.root_module...expressions.KEY.references). */
#include "tools/import/import-private.h"

#include <string.h>

typedef struct {
  ImportSrc *s;
  JsonNode *doc;
  GHashTable *names;            /* address -> the resource's name */
} Tf;

typedef struct {
  Tf *tf;
  ImportSrc src;                /* base: ...resources[i].values */
  JsonNode *v;                  /* values */
  JsonNode *config;             /* the module's configuration, or NULL */
  const char *address, *module; /* module: "module.a." or "" */
} TfRes;

/* The address without instance keys ("a.b[0]" -> "a.b"). */
static char *
plain_address (const char *address)
{
  GString *out = g_string_new (NULL);
  int depth = 0;

  for (const char *p = address; *p; p++)
    {
      if (*p == '[')
        depth++;
      else if (*p == ']')
        depth--;
      else if (!depth)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The configuration of module ("module.a.module.b."), or NULL. */
static JsonNode *
module_config (Tf *tf, const char *module)
{
  JsonNode *node = import_at (tf->s, tf->doc, "configuration.root_module");
  g_autofree char *plain = plain_address (module);
  g_auto (GStrv) parts = g_strsplit (plain, ".", -1);

  for (guint i = 0; node && parts[i] && parts[i + 1]; i += 2)
    {
      JsonObject *calls, *call;
      JsonNode *m;

      if (strcmp (parts[i], "module") != 0 || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      m = json_object_get_member (json_node_get_object (node), "module_calls");
      if (!m || !JSON_NODE_HOLDS_OBJECT (m))
        return NULL;
      calls = json_node_get_object (m);
      m = json_object_get_member (calls, parts[i + 1]);
      if (!m || !JSON_NODE_HOLDS_OBJECT (m))
        return NULL;
      call = json_node_get_object (m);
      node = json_object_get_member (call, "module");
    }
  return node;
}

/* The expressions of the resource at plain address (relative to its
 * module) in config, or NULL. */
static JsonNode *
config_expressions (JsonNode *config, const char *rel_address)
{
  JsonNode *rs;
  JsonArray *a;

  if (!config || !JSON_NODE_HOLDS_OBJECT (config))
    return NULL;
  rs = json_object_get_member (json_node_get_object (config), "resources");
  if (!rs || !JSON_NODE_HOLDS_ARRAY (rs))
    return NULL;
  a = json_node_get_array (rs);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i), *ad;
      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      ad = json_object_get_member (json_node_get_object (e), "address");
      if (ad && JSON_NODE_HOLDS_VALUE (ad)
          && json_node_get_value_type (ad) == G_TYPE_STRING
          && strcmp (json_node_get_string (ad), rel_address) == 0)
        return json_object_get_member (json_node_get_object (e),
                                       "expressions");
    }
  return NULL;
}

/* A string value at rel, or, when the plan does not know it yet, the name
 * of the resource its configuration refers to. */
static const char *
str (TfRes *r, const char *rel)
{
  const char *v = import_str (&r->src, r->v, rel);
  g_autofree char *plain = NULL, *refs_at = NULL;
  ImportSrc quiet = r->src;
  JsonNode *ex;
  JsonArray *refs;

  if (v || import_failed (&r->src))
    return v;
  plain = plain_address (r->address + strlen (r->module));
  ex = config_expressions (r->config, plain);
  if (!ex)
    return NULL;
  quiet.error = NULL;
  refs_at = g_strdup_printf ("%s.references", rel);
  refs = import_arr (&quiet, ex, refs_at);
  for (guint i = 0; refs && i < json_array_get_length (refs); i++)
    {
      JsonNode *e = json_array_get_element (refs, i);
      g_auto (GStrv) parts = NULL;
      g_autofree char *target = NULL;
      const char *name;
      guint skip = 0;

      if (!JSON_NODE_HOLDS_VALUE (e)
          || json_node_get_value_type (e) != G_TYPE_STRING)
        continue;
      parts = g_strsplit (json_node_get_string (e), ".", -1);
      if (parts[0] && strcmp (parts[0], "data") == 0)
        skip = 1;
      if (g_strv_length (parts) < skip + 2)
        continue;
      target = g_strdup_printf ("%s%s%s%s.%s", r->module, skip ? "data" : "",
                                skip ? "." : "", parts[skip],
                                parts[skip + 1]);
      name = g_hash_table_lookup (r->tf->names, target);
      if (name)
        return name;
    }
  return NULL;
}

static ImportRes *
res_new (TfRes *t, ImportKind kind, const char *region)
{
  const char *name = str (t, "name");

  if (!name)
    name = g_hash_table_lookup (t->tf->names, t->address);
  return import_res_new (&t->src, kind, import_str (&t->src, t->v, "project"),
                         region, name);
}

/* A v2 revision or task template at at ("template[0]" for a service or
 * worker pool, "template[0].template[0]" for a job): its service account
 * and VPC access (connector, or the first Direct VPC interface, and
 * egress). */
static void
template_v2 (TfRes *t, const char *at, ImportRes *r)
{
  ImportSrc *s = &t->src;
  g_autofree char *sa = g_strconcat (at, ".service_account", NULL);
  g_autofree char *vpc = g_strconcat (at, ".vpc_access[0]", NULL);
  g_autofree char *conn = g_strconcat (vpc, ".connector", NULL);
  g_autofree char *nis_at = g_strconcat (vpc, ".network_interfaces", NULL);
  g_autofree char *net = g_strconcat (nis_at, "[0].network", NULL);
  g_autofree char *sub = g_strconcat (nis_at, "[0].subnetwork", NULL);
  g_autofree char *tags = g_strconcat (nis_at, "[0].tags", NULL);
  g_autofree char *egress = g_strconcat (vpc, ".egress", NULL);
  JsonArray *nis = import_arr (s, t->v, nis_at);
  const char *connector = str (t, conn);

  import_set_token (s, sa, import_str (s, t->v, sa), &r->service_account);
  if (connector && *connector)
    {
      r->vpc_access = g_strdup ("connector");
      r->connector = import_ref_new (connector, r->project, r->region);
    }
  else if (nis && json_array_get_length (nis) > 0)
    {
      import_set_interface (r, str (t, net), str (t, sub));
      import_set_tags (s, t->v, tags, &r->tags);
      if (json_array_get_length (nis) > 1)
        import_not_modelled (s, "network_interfaces: interfaces after the "
                             "first");
    }
  if (r->vpc_access)
    import_set_egress (s, egress, import_str (s, t->v, egress), r);
}

static gboolean
cloud_run_v2 (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_SERVICE, import_str (s, t->v, "location"));

  if (!r->region)
    return import_fail (s, "location", "expected the service's region, "
                        "found nothing");
  import_set_ingress (s, "ingress", import_str (s, t->v, "ingress"), r);
  if (import_bool (s, t->v, "default_uri_disabled") == 1)
    r->default_url = 0;
  r->invoker_iam_disabled = import_bool (s, t->v, "invoker_iam_disabled");
  r->iap = import_bool (s, t->v, "iap_enabled");
  r->audiences = import_strs (s, t->v, "custom_audiences");
  r->min_instances = import_int (s, t->v, "template[0].scaling[0]."
                                 "min_instance_count", G_MAXINT32);
  if (r->min_instances <= 0)
    r->min_instances = import_int (s, t->v, "scaling[0].min_instance_count",
                                   G_MAXINT32);
  r->max_instances = import_int (s, t->v, "template[0].scaling[0]."
                                 "max_instance_count", G_MAXINT32);
  r->concurrency = import_int (s, t->v, "template[0]."
                               "max_instance_request_concurrency", G_MAXINT32);
  template_v2 (t, "template[0]", r);
  return !import_failed (s);
}

/* google_cloud_run_v2_job: template[0] is the execution template (task
 * count, parallelism), template[0].template[0] the task template. */
static gboolean
cloud_run_job (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_JOB, import_str (s, t->v, "location"));

  if (!r->region)
    return import_fail (s, "location", "expected the job's region, found "
                        "nothing");
  r->tasks = import_int (s, t->v, "template[0].task_count", G_MAXINT32);
  r->parallelism = import_int (s, t->v, "template[0].parallelism",
                               G_MAXINT32);
  template_v2 (t, "template[0].template[0]", r);
  return !import_failed (s);
}

/* google_cloud_run_v2_worker_pool: scaling[0].manual_instance_count and
 * its revision template. */
static gboolean
cloud_run_worker_pool (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_WORKER_POOL,
                          import_str (s, t->v, "location"));

  if (!r->region)
    return import_fail (s, "location", "expected the worker pool's region, "
                        "found nothing");
  r->tasks = import_int (s, t->v, "scaling[0].manual_instance_count",
                         G_MAXINT32);
  template_v2 (t, "template[0]", r);
  return !import_failed (s);
}

static gboolean
cloud_run_v1 (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_SERVICE, import_str (s, t->v, "location"));
  const char *sa = "metadata[0].annotations";
  const char *ta = "template[0].metadata[0].annotations";
  JsonObject *ann = import_obj (s, t->v, sa);
  JsonObject *tann = import_obj (s, t->v, ta);

  if (!r->region)
    return import_fail (s, "location", "expected the service's region, "
                        "found nothing");
  import_set_token (s, "template[0].spec[0].service_account_name",
                    import_str (s, t->v, "template[0].spec[0]."
                                "service_account_name"), &r->service_account);
  r->concurrency = import_int (s, t->v, "template[0].spec[0]."
                               "container_concurrency", G_MAXINT32);
  if (r->concurrency == 0)
    r->concurrency = -1;
  return import_knative_annotations (s, ann, sa, tann, ta, r);
}

static gboolean
network (TfRes *t)
{
  ImportRes *r = res_new (t, IMPORT_NETWORK, NULL);

  if (import_bool (&t->src, t->v, "delete_default_routes_on_create") == 1)
    r->default_route = 0;
  import_set_order (&t->src, "network_firewall_policy_enforcement_order",
                    import_str (&t->src, t->v, "network_firewall_policy_"
                                "enforcement_order"), r);
  return !import_failed (&t->src);
}

static gboolean
subnetwork (TfRes *t)
{
  ImportSrc *s = &t->src;
  const char *purpose = import_str (s, t->v, "purpose");
  const char *net = str (t, "network");
  ImportRes *r;
  JsonArray *sec;

  if (purpose && strcmp (purpose, "PRIVATE")
      && strcmp (purpose, "PRIVATE_RFC_1918")
      && strcmp (purpose, "REGIONAL_MANAGED_PROXY")
      && strcmp (purpose, "INTERNAL_HTTPS_LOAD_BALANCER"))
    {
      import_not_modelled (s, "purpose %s: subnet left out", purpose);
      return TRUE;
    }
  r = res_new (t, IMPORT_SUBNET, import_str (s, t->v, "region"));
  if (!r->region || !net)
    return import_fail (s, r->region ? "network" : "region", "expected the "
                        "subnet's region and network, found nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (!import_set_cidr (s, "ip_cidr_range", import_str (s, t->v,
                        "ip_cidr_range"), &r->range) && !import_failed (s))
    return import_fail (s, "ip_cidr_range", "expected the subnet's range, "
                        "found nothing");
  r->pga = import_bool (s, t->v, "private_ip_google_access");
  r->purpose = g_strdup (purpose
                         && (strcmp (purpose, "REGIONAL_MANAGED_PROXY") == 0
                             || strcmp (purpose,
                                        "INTERNAL_HTTPS_LOAD_BALANCER") == 0)
                         ? "proxy-only" : "private");
  sec = import_arr (s, t->v, "secondary_ip_range");
  if (sec && json_array_get_length (sec) > 0)
    import_not_modelled (s, "secondary_ip_range");
  return !import_failed (s);
}

static gboolean
router (TfRes *t)
{
  ImportRes *r = res_new (t, IMPORT_ROUTER,
                          import_str (&t->src, t->v, "region"));
  const char *net = str (t, "network");

  if (net)
    r->network = import_ref_new (net, r->project, NULL);
  return !import_failed (&t->src);
}

static gboolean
router_nat (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_NAT, import_str (s, t->v, "region"));
  const char *router = str (t, "router");
  const char *src = import_str (s, t->v, "source_subnetwork_ip_ranges_to_nat");
  const char *alloc = import_str (s, t->v, "nat_ip_allocate_option");
  JsonArray *subs = import_arr (s, t->v, "subnetwork");
  JsonArray *ips = import_arr (s, t->v, "nat_ips");

  if (!router)
    return import_fail (s, "router", "expected the NAT's router, found "
                        "nothing");
  r->target = import_ref_new (router, r->project, r->region);
  if (src && strcmp (src, "LIST_OF_SUBNETWORKS") == 0)
    for (guint i = 0; subs && i < json_array_get_length (subs); i++)
      {
        g_autofree char *at = g_strdup_printf ("subnetwork[%u].name", i);
        const char *sub = str (t, at);
        if (sub)
          g_ptr_array_add (r->refs,
                           import_ref_new (sub, r->project, r->region));
      }
  else if (src && strcmp (src, "ALL_SUBNETWORKS_ALL_IP_RANGES")
           && strcmp (src, "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES"))
    return import_fail (s, "source_subnetwork_ip_ranges_to_nat", "expected "
                        "ALL_SUBNETWORKS_ALL_IP_RANGES, "
                        "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES or "
                        "LIST_OF_SUBNETWORKS, found '%s'", src);
  if (alloc && strcmp (alloc, "MANUAL_ONLY") == 0 && ips
      && json_array_get_length (ips) > 0)
    r->n_addresses = MIN (json_array_get_length (ips), 16);
  r->min_ports = import_int (s, t->v, "min_ports_per_vm", 65536);
  r->tcp_time_wait = import_int (s, t->v, "tcp_time_wait_timeout_sec",
                                 G_MAXINT32);
  if (import_bool (s, t->v, "enable_dynamic_port_allocation") == 1)
    import_not_modelled (s, "enable_dynamic_port_allocation");
  return !import_failed (s);
}

static gboolean
firewall (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_FIREWALL, NULL);
  const char *net = str (t, "network");

  if (!net)
    return import_fail (s, "network", "expected the rule's network, found "
                        "nothing");
  r->network = import_ref_new (net, r->project, NULL);
  return import_firewall_rule (s, t->v, TRUE, r);
}

static gboolean
route (TfRes *t)
{
  static const char *const others[] = { "next_hop_instance", "next_hop_ilb",
                                        "next_hop_vpn_tunnel" };
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_ROUTE, NULL);
  const char *net = str (t, "network");
  const char *gw = import_str (s, t->v, "next_hop_gateway");
  const char *ip = import_str (s, t->v, "next_hop_ip");

  if (!net)
    return import_fail (s, "network", "expected the route's network, found "
                        "nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (!import_set_cidr (s, "dest_range", import_str (s, t->v, "dest_range"),
                        &r->range))
    {
      r->skip = TRUE;
      return import_failed (s) ? FALSE
             : import_fail (s, "dest_range", "expected a destination range, "
                            "found nothing");
    }
  r->priority = import_int (s, t->v, "priority", 65535);
  if (gw)
    {
      const char *l = strrchr (gw, '/') ? strrchr (gw, '/') + 1 : gw;
      if (strcmp (l, "default-internet-gateway") != 0)
        return import_fail (s, "next_hop_gateway", "expected "
                            "default-internet-gateway, found '%s'", gw);
      r->next_hop = g_strdup ("default-internet-gateway");
      return TRUE;
    }
  if (ip)
    return import_set_ipv4 (s, "next_hop_ip", ip, &r->next_hop);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (import_at (s, t->v, others[i]) || str (t, others[i]))
      {
        import_not_modelled (s, "%s: route left out", others[i]);
        r->skip = TRUE;
        return !import_failed (s);
      }
  r->skip = TRUE;
  import_not_modelled (s, "a next hop not known at plan time: route left "
                       "out");
  return !import_failed (s);
}

static gboolean
domain_mapping (TfRes *t)
{
  ImportSrc *s = &t->src;
  const char *ns = import_str (s, t->v, "metadata[0].namespace");
  const char *route = str (t, "spec[0].route_name");
  const char *name = str (t, "name");
  ImportRes *r;

  if (!name || !route)
    return import_fail (s, name ? "spec[0].route_name" : "name",
                        "expected the %s, found nothing",
                        name ? "service it maps to" : "mapped domain");
  r = import_res_new (s, IMPORT_DOMAIN, ns && *ns ? ns
                      : import_str (s, t->v, "project"),
                      import_str (s, t->v, "location"), name);
  r->target = import_ref_new (route, r->project, r->region);
  return !import_failed (s);
}

static gboolean
connector (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_CONNECTOR, import_str (s, t->v, "region"));
  const char *net = str (t, "network");
  const char *sub = str (t, "subnet[0].name");
  const char *subp = import_str (s, t->v, "subnet[0].project_id");
  const char *mt = import_str (s, t->v, "machine_type");

  if (!r->region)
    return import_fail (s, "region", "expected the connector's region, "
                        "found nothing");
  if (sub && *sub)
    r->subnet = import_ref_new (sub, subp && *subp ? subp : r->project,
                                r->region);
  else if (!import_set_cidr (s, "ip_cidr_range", import_str (s, t->v,
                             "ip_cidr_range"), &r->range) && !import_failed (s))
    return import_fail (s, "ip_cidr_range", "expected a /28 range or a "
                        "subnet, found neither");
  if (net && *net)
    r->network = import_ref_new (net, r->project, NULL);
  if (mt && strcmp (mt, "f1-micro") && strcmp (mt, "e2-micro")
      && strcmp (mt, "e2-standard-4"))
    return import_fail (s, "machine_type", "expected f1-micro, e2-micro or "
                        "e2-standard-4, found '%s'", mt);
  r->machine_type = g_strdup (mt);
  r->min_instances = import_int (s, t->v, "min_instances", 1000);
  r->max_instances = import_int (s, t->v, "max_instances", 1000);
  return !import_failed (s);
}

static gboolean
managed_zone (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_ZONE, NULL);
  const char *dns = import_str (s, t->v, "dns_name");
  const char *vis = import_str (s, t->v, "visibility");
  JsonArray *nets = import_arr (s, t->v,
                                "private_visibility_config[0].networks");
  JsonArray *fwd = import_arr (s, t->v, "forwarding_config");
  JsonArray *peer = import_arr (s, t->v, "peering_config");

  if (!dns || !import_is_token (dns) || !g_str_has_suffix (dns, "."))
    return import_fail (s, "dns_name", "expected a DNS name ending in '.', "
                        "found '%s'", dns ? dns : "nothing");
  r->dns_name = g_ascii_strdown (dns, -1);
  if (vis && strcmp (vis, "private") && strcmp (vis, "public"))
    return import_fail (s, "visibility", "expected private or public, found "
                        "'%s'", vis);
  r->visibility = g_strdup (vis ? vis : "public");
  if (fwd && json_array_get_length (fwd))
    {
      JsonArray *targets = import_arr (s, t->v, "forwarding_config[0]."
                                       "target_name_servers");
      r->forward = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; targets && i < json_array_get_length (targets); i++)
        {
          g_autofree char *at = g_strdup_printf (
            "forwarding_config[0].target_name_servers[%u].ipv4_address", i);
          if (!import_forward_target (s, at, str (t, at), r->forward))
            return FALSE;
        }
    }
  if ((peer && json_array_get_length (peer))
      || (r->forward && r->forward->len == 0))
    {
      import_not_modelled (s, "peering_config, or a forwarding zone without "
                           "an IPv4 target: the zone is left out");
      r->skip = TRUE;
    }
  for (guint i = 0; nets && i < json_array_get_length (nets); i++)
    {
      g_autofree char *at = g_strdup_printf ("private_visibility_config[0]."
                                             "networks[%u].network_url", i);
      const char *url = str (t, at);
      if (url)
        g_ptr_array_add (r->refs, import_ref_new (url, r->project, NULL));
    }
  return !import_failed (s);
}

/* google_dns_policy: as the REST reader's dns_policy. */
static gboolean
dns_policy (TfRes *t)
{
  ImportSrc *s = &t->src;
  ImportRes *r = res_new (t, IMPORT_DNS_POLICY, NULL);
  JsonArray *nets = import_arr (s, t->v, "networks");
  JsonArray *alt = import_arr (s, t->v, "alternative_name_server_config[0]."
                               "target_name_servers");

  r->inbound = import_bool (s, t->v, "enable_inbound_forwarding");
  r->forward = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; alt && i < json_array_get_length (alt); i++)
    {
      g_autofree char *at = g_strdup_printf (
        "alternative_name_server_config[0].target_name_servers[%u]."
        "ipv4_address", i);
      if (!import_forward_target (s, at, str (t, at), r->forward))
        return FALSE;
    }
  for (guint i = 0; nets && i < json_array_get_length (nets); i++)
    {
      g_autofree char *at = g_strdup_printf ("networks[%u].network_url", i);
      const char *url = str (t, at);
      if (url)
        g_ptr_array_add (r->refs, import_ref_new (url, r->project, NULL));
    }
  return !import_failed (s);
}

static const char *
tf_get (gpointer user, const char *rel)
{
  return str (user, rel);
}

static const char *
tf_name (TfRes *t)
{
  const char *name = str (t, "name");

  return name ? name : g_hash_table_lookup (t->tf->names, t->address);
}

static gboolean
lb_part (TfRes *t, ImportKind kind)
{
  return import_lb_part (&t->src, kind, t->v,
                         import_str (&t->src, t->v, "project"), tf_name (t),
                         TRUE, tf_get, t);
}

static gboolean
forwarding_rule (TfRes *t)
{
  ImportSrc *s = &t->src;
  const char *target = str (t, "target");

  /* A target that is not a Google APIs bundle is a proxy (its URL, or
   * the name a reference gives). */
  if (target && strcmp (target, "all-apis") && strcmp (target, "vpc-sc"))
    return import_lb_rule (s, t->v, import_str (s, t->v, "project"),
                           tf_name (t), TRUE, tf_get, t);
  const char *ip = str (t, "ip_address");
  const char *net = str (t, "network");
  ImportRes *r;

  if (!target || (strcmp (target, "all-apis") && strcmp (target, "vpc-sc")))
    {
      import_not_modelled (s, "forwarding rule to %s (load balancers are "
                           "not imported yet)", target ? target : "a backend");
      return !import_failed (s);
    }
  r = res_new (t, IMPORT_PSC, NULL);
  r->bundle = g_strdup (target);
  if (!net || !ip)
    return import_fail (s, net ? "ip_address" : "network", "expected the "
                        "endpoint's network and address, found nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (import_is_ipv4 (ip))
    r->range = g_strdup (ip);
  else
    r->target = import_ref_new (ip, r->project, NULL);
  return !import_failed (s);
}

static gboolean
address (TfRes *t)
{
  ImportRes *r = res_new (t, IMPORT_ADDRESS,
                          import_str (&t->src, t->v, "region"));
  const char *net = str (t, "network");

  r->skip = TRUE;
  import_set_ipv4 (&t->src, "address", import_str (&t->src, t->v, "address"),
                   &r->range);
  import_set_token (&t->src, "purpose", import_str (&t->src, t->v, "purpose"),
                    &r->purpose);
  r->prefix_len = import_int (&t->src, t->v, "prefix_length", 32);
  if (net)
    r->network = import_ref_new (net, r->project, NULL);
  return !import_failed (&t->src);
}

static gboolean
instance (TfRes *t)
{
  ImportSrc *s = &t->src;
  const char *zone = import_str (s, t->v, "zone");
  g_autofree char *region = zone ? import_zone_region (zone) : NULL;
  ImportRes *r = res_new (t, IMPORT_VM, region);
  const char *sub = str (t, "network_interface[0].subnetwork");
  const char *subp = import_str (s, t->v,
                                 "network_interface[0].subnetwork_project");
  JsonArray *acs = import_arr (s, t->v, "network_interface[0].access_config");
  JsonArray *nics = import_arr (s, t->v, "network_interface");

  if (!sub)
    {
      r->skip = TRUE;
      import_not_modelled (s, "network_interface[0].subnetwork: no subnet: "
                           "VM left out");
      return !import_failed (s);
    }
  r->subnet = import_ref_new (sub, subp ? subp : r->project, r->region);
  import_set_ipv4 (s, "network_interface[0].network_ip",
                   import_str (s, t->v, "network_interface[0].network_ip"),
                   &r->range);
  r->external_ip = acs && json_array_get_length (acs) > 0;
  import_set_token (s, "service_account[0].email",
                    import_str (s, t->v, "service_account[0].email"),
                    &r->service_account);
  import_set_tags (s, t->v, "tags", &r->tags);
  if (nics && json_array_get_length (nics) > 1)
    import_not_modelled (s, "network_interface: interfaces after the first");
  return !import_failed (s);
}

static gboolean
record_set (TfRes *t)
{
  static const char *const keys[3] = { "name", "type", "rrdatas" };
  const char *zone = str (t, "managed_zone");

  return import_rrset (&t->src, t->v, import_str (&t->src, t->v, "project"),
                       zone, keys);
}

/* An invoker binding of a service (name_key: its name) or a project. */
static gboolean
iam (TfRes *t, const char *name_key)
{
  ImportSrc *s = &t->src;
  const char *role = import_str (s, t->v, "role");
  const char *member = import_str (s, t->v, "member");
  const char *service = name_key ? str (t, name_key) : NULL;
  g_autoptr (GPtrArray) members = import_strs (s, t->v, "members");
  g_autofree char *sp = service ? import_name_project (service) : NULL;
  ImportRef *ref;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  if (name_key || (role && strcmp (role, "roles/run.invoker") == 0))
    t->tf->s->model->has_iam = TRUE;
  if (!role || strcmp (role, "roles/run.invoker") != 0)
    return TRUE;
  if (name_key && !service)
    return import_fail (s, name_key, "expected the service's name, found "
                        "nothing");
  if (import_at (s, t->v, "condition"))
    {
      import_not_modelled (s, "condition: a conditional binding is left out");
      return TRUE;
    }
  ref = import_ref_new (service ? service : "",
                        sp ? sp : import_str (s, t->v, "project"),
                        import_str (s, t->v, "location"));
  r = import_res_new (s, IMPORT_IAM, ref->project, ref->region,
                      service ? ref->name : "");
  import_ref_free (ref);
  r->type = g_strdup (service ? "service" : "project");
  if (member)
    {
      if (!members)
        members = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (members, g_strdup (member));
    }
  return import_add_members (s, member ? "member" : "members", members, r);
}

static gboolean
shared_vpc (TfRes *t)
{
  const char *host = str (t, "host_project");
  const char *service = str (t, "service_project");
  ImportRes *r;

  if (!host || !service)
    return import_fail (&t->src, host ? "service_project" : "host_project",
                        "expected the host and service projects, found "
                        "nothing");
  r = import_res_new (&t->src, IMPORT_XPN, host, NULL, service);
  (void) r;
  return TRUE;
}

static gboolean
resource (TfRes *t, const char *type)
{
  t->tf->s->model->n_read++;
  if (strcmp (type, "google_cloud_run_v2_service") == 0)
    return cloud_run_v2 (t);
  if (strcmp (type, "google_cloud_run_service") == 0)
    return cloud_run_v1 (t);
  if (strcmp (type, "google_cloud_run_domain_mapping") == 0)
    return domain_mapping (t);
  if (strcmp (type, "google_cloud_run_v2_job") == 0)
    return cloud_run_job (t);
  if (strcmp (type, "google_cloud_run_v2_worker_pool") == 0)
    return cloud_run_worker_pool (t);
  if (strcmp (type, "google_compute_network") == 0)
    return network (t);
  if (strcmp (type, "google_compute_subnetwork") == 0)
    return subnetwork (t);
  if (strcmp (type, "google_compute_router") == 0)
    return router (t);
  if (strcmp (type, "google_compute_router_nat") == 0)
    return router_nat (t);
  if (strcmp (type, "google_compute_firewall") == 0)
    return firewall (t);
  if (strcmp (type, "google_compute_route") == 0)
    return route (t);
  if (strcmp (type, "google_vpc_access_connector") == 0)
    return connector (t);
  if (strcmp (type, "google_dns_managed_zone") == 0)
    return managed_zone (t);
  if (strcmp (type, "google_dns_policy") == 0)
    return dns_policy (t);
  if (strcmp (type, "google_dns_record_set") == 0)
    return record_set (t);
  if (strcmp (type, "google_compute_global_forwarding_rule") == 0
      || strcmp (type, "google_compute_forwarding_rule") == 0)
    return forwarding_rule (t);
  if (g_str_has_prefix (type, "google_compute_")
      && (g_str_has_suffix (type, "target_http_proxy")
          || g_str_has_suffix (type, "target_https_proxy")))
    return lb_part (t, IMPORT_PROXY);
  if (strcmp (type, "google_compute_url_map") == 0
      || strcmp (type, "google_compute_region_url_map") == 0)
    return lb_part (t, IMPORT_URL_MAP);
  if (strcmp (type, "google_compute_backend_service") == 0
      || strcmp (type, "google_compute_region_backend_service") == 0)
    return lb_part (t, IMPORT_BACKEND);
  if (strcmp (type, "google_compute_region_network_endpoint_group") == 0)
    return lb_part (t, IMPORT_NEG);
  if (strcmp (type, "google_compute_security_policy") == 0)
    return import_armor (&t->src, t->v, import_str (&t->src, t->v, "project"),
                         tf_name (t), TRUE);
  if (strcmp (type, "google_compute_global_address") == 0
      || strcmp (type, "google_compute_address") == 0)
    return address (t);
  if (strcmp (type, "google_compute_instance") == 0)
    return instance (t);
  if (strcmp (type, "google_cloud_run_v2_service_iam_member") == 0
      || strcmp (type, "google_cloud_run_v2_service_iam_binding") == 0)
    return iam (t, "name");
  if (strcmp (type, "google_cloud_run_service_iam_member") == 0
      || strcmp (type, "google_cloud_run_service_iam_binding") == 0)
    return iam (t, "service");
  if (strcmp (type, "google_project_iam_member") == 0
      || strcmp (type, "google_project_iam_binding") == 0)
    return iam (t, NULL);
  if (g_str_has_prefix (type, "google_compute_firewall_policy")
      || g_str_has_prefix (type, "google_compute_network_firewall_policy")
      || g_str_has_prefix (type,
                           "google_compute_region_network_firewall_policy"))
    {
      const char *what = g_str_has_suffix (type, "_rule") ? "rule"
        : g_str_has_suffix (type, "_association") ? "association"
        : strstr (type, "_region_") ? "regional-policy"
        : strstr (type, "_network_") ? "network-policy" : "policy";
      if (strcmp (what, "rule") && strcmp (what, "association")
          && !g_str_has_suffix (type, "_policy"))
        {
          import_unknown_type (t->tf->s->model, type);
          return TRUE;
        }
      return import_tf_policy (&t->src, t->v, what, tf_name (t), tf_get, t);
    }
  if (strcmp (type, "google_compute_shared_vpc_service_project") == 0)
    return shared_vpc (t);
  {
    gboolean done;
    gboolean ok = import_tf_managed (&t->src, type, t->v, tf_name (t),
                                     tf_get, t, &done);
    if (done)
      return ok;
  }
  if (strcmp (type, "google_access_context_manager_service_perimeter") == 0)
    {
      t->tf->s->model->n_read--;
      return import_perimeter (&t->src, t->v, TRUE);
    }
  if (strcmp (type, "google_access_context_manager_access_level") == 0)
    {
      t->tf->s->model->n_read--;
      return import_access_level (&t->src, t->v, TRUE);
    }
  if (g_str_has_prefix (type, "google_"))
    import_unknown_type (t->tf->s->model, type);
  else
    t->tf->s->model->n_read--;
  return TRUE;
}

/* Calls each of module's resources (names first pass: records names). */
static gboolean
walk (Tf *tf, JsonNode *module, const char *rel, gboolean names)
{
  g_autofree char *rk = g_strdup_printf ("%s.resources", rel);
  g_autofree char *ck = g_strdup_printf ("%s.child_modules", rel);
  JsonArray *rs = import_arr (tf->s, tf->doc, rk);
  JsonArray *cs = import_arr (tf->s, tf->doc, ck);

  (void) module;
  for (guint i = 0; rs && i < json_array_get_length (rs); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", rk, i);
      g_autofree char *vk = g_strdup_printf ("%s.values", at);
      g_autofree char *ak = g_strdup_printf ("%s.address", at);
      g_autofree char *tk = g_strdup_printf ("%s.type", at);
      g_autofree char *nk = g_strdup_printf ("%s.name", at);
      g_autofree char *mk = g_strdup_printf ("%s.mode", at);
      const char *address = import_str (tf->s, tf->doc, ak);
      const char *type = import_str (tf->s, tf->doc, tk);
      const char *label = import_str (tf->s, tf->doc, nk);
      const char *mode = import_str (tf->s, tf->doc, mk);
      JsonNode *values = import_at (tf->s, tf->doc, vk);
      g_autofree char *module_prefix = NULL;
      const char *dot;

      if (import_failed (tf->s))
        return FALSE;
      if (!address || !type || !label)
        return import_fail (tf->s, at, "expected a resource with address, "
                            "type and name");
      if (!values || !JSON_NODE_HOLDS_OBJECT (values))
        continue;
      if (names)
        {
          g_autofree char *plain = plain_address (address);
          ImportSrc quiet = *tf->s;
          const char *name;

          quiet.error = NULL;
          name = import_str (&quiet, values, "name");
          g_hash_table_insert (tf->names, g_strdup (plain),
                               (gpointer) (name ? name : label));
          continue;
        }
      if (mode && strcmp (mode, "managed") != 0)
        continue;
      /* module prefix: the address up to "TYPE." */
      dot = strstr (address, type);
      module_prefix = dot ? g_strndup (address, (gsize) (dot - address))
                          : g_strdup ("");
      {
        TfRes t = { tf, *tf->s, values, module_config (tf, module_prefix),
                    address, module_prefix };
        t.src.base = g_strdup_printf ("%s.%s", tf->s->base, vk);
        t.src.origin = address;
        gboolean ok = resource (&t, type);
        g_free (t.src.base);
        if (!ok)
          return FALSE;
      }
    }
  for (guint i = 0; cs && i < json_array_get_length (cs); i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", ck, i);
      if (!walk (tf, NULL, at, names))
        return FALSE;
    }
  return TRUE;
}

gboolean
import_terraform (ImportSrc *s, JsonNode *root)
{
  Tf tf = { s, root, g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            NULL) };
  const char *rel = import_at (s, root, "planned_values")
                    ? "planned_values.root_module" : "values.root_module";
  gboolean ok;

  ok = walk (&tf, NULL, rel, TRUE) && walk (&tf, NULL, rel, FALSE);
  g_hash_table_destroy (tf.names);
  return ok;
}
