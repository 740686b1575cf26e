/* REST resource shapes, as Cloud Asset Inventory carries them in
 * resource.data and gcloud prints them with --format=json: Cloud Run
 * services (v2, and v1 Knative with run.googleapis.com annotations),
 * networks, subnetworks, routers with their NATs, firewalls, routes,
 * Serverless VPC Access connectors, Cloud DNS zones and record sets,
 * forwarding rules, addresses, VM instances and projects. */
#include "tools/import/import-private.h"

#include <string.h>

/* The last segment of a URL or path. */
static const char *
last (const char *text)
{
  const char *slash = text ? strrchr (text, '/') : NULL;

  return slash ? slash + 1 : text;
}

const char *
import_member_str (ImportSrc *s, JsonObject *o, const char *rel,
                   const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (!n || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      g_autofree char *at = g_strdup_printf ("%s[\"%s\"]", rel, key);
      import_fail (s, at, "expected a string");
      return NULL;
    }
  return json_node_get_string (n);
}

/* The project of a compute object: its selfLink's, or hint. */
static char *
compute_project (ImportSrc *s, JsonNode *d, const char *hint)
{
  char *p = import_name_project (import_str (s, d, "selfLink"));

  return p ? p : g_strdup (hint);
}

static const char *
need_name (ImportSrc *s, JsonNode *d)
{
  const char *name = import_str (s, d, "name");

  if (!name && !import_failed (s))
    import_fail (s, "name", "expected the resource's name, found nothing");
  return name;
}

/* The name's region: projects/P/locations/REGION/KIND/NAME. */
static char *
name_location (const char *full)
{
  g_auto (GStrv) parts = g_strsplit (full, "/", -1);

  for (guint i = 0; parts[i]; i++)
    if (strcmp (parts[i], "locations") == 0 && parts[i + 1])
      return g_strdup (parts[i + 1]);
  return NULL;
}

/* A v2 revision or task template at prefix ("template" for a service or
 * worker pool, "template.template" for a job): its service account and
 * VPC access (connector, or the first Direct VPC interface, and egress). */
static void
template_v2 (ImportSrc *s, JsonNode *d, const char *prefix, ImportRes *r)
{
  g_autofree char *sa = g_strconcat (prefix, ".serviceAccount", NULL);
  g_autofree char *conn = g_strconcat (prefix, ".vpcAccess.connector", NULL);
  g_autofree char *nis_at = g_strconcat (prefix,
                                         ".vpcAccess.networkInterfaces", NULL);
  g_autofree char *net = g_strconcat (nis_at, "[0].network", NULL);
  g_autofree char *sub = g_strconcat (nis_at, "[0].subnetwork", NULL);
  g_autofree char *tags = g_strconcat (nis_at, "[0].tags", NULL);
  g_autofree char *egress = g_strconcat (prefix, ".vpcAccess.egress", NULL);
  const char *connector = import_str (s, d, conn);
  JsonArray *nis = import_arr (s, d, nis_at);

  import_set_token (s, sa, import_str (s, d, sa), &r->service_account);
  if (connector && *connector)
    {
      r->vpc_access = g_strdup ("connector");
      r->connector = import_ref_new (connector, r->project, r->region);
    }
  else if (nis && json_array_get_length (nis) > 0)
    {
      import_set_interface (r, import_str (s, d, net), import_str (s, d, sub));
      import_set_tags (s, d, tags, &r->tags);
      if (json_array_get_length (nis) > 1)
        import_not_modelled (s, "%s: interfaces after the first", nis_at);
    }
  if (r->vpc_access)
    import_set_egress (s, egress, import_str (s, d, egress), r);
}

/* A v2 resource of kind named projects/P/locations/REGION/.../NAME. */
static ImportRes *
res_v2 (ImportSrc *s, JsonNode *d, ImportKind kind, const char *what,
        const char *project, const char *region)
{
  const char *full = need_name (s, d);
  g_autofree char *p = NULL, *loc = NULL;
  ImportRes *r;

  if (!full)
    return NULL;
  p = import_name_project (full);
  loc = name_location (full);
  r = import_res_new (s, kind, p ? p : project, loc ? loc : region,
                      last (full));
  if (!r->region)
    {
      import_fail (s, "name", "expected projects/P/locations/REGION/"
                   "%s/NAME, found '%s'", what, full);
      return NULL;
    }
  return r;
}

static gboolean
service_v2 (ImportSrc *s, JsonNode *d, const char *project,
            const char *region)
{
  ImportRes *r = res_v2 (s, d, IMPORT_SERVICE, "services", project, region);

  if (!r)
    return FALSE;
  import_set_ingress (s, "ingress", import_str (s, d, "ingress"), r);
  if (import_bool (s, d, "defaultUriDisabled") == 1)
    r->default_url = 0;
  r->invoker_iam_disabled = import_bool (s, d, "invokerIamDisabled");
  r->iap = import_bool (s, d, "iapEnabled");
  r->audiences = import_strs (s, d, "customAudiences");
  r->min_instances = import_int (s, d, "template.scaling.minInstanceCount",
                                 G_MAXINT32);
  if (r->min_instances < 0)
    r->min_instances = import_int (s, d, "scaling.minInstanceCount",
                                   G_MAXINT32);
  r->max_instances = import_int (s, d, "template.scaling.maxInstanceCount",
                                 G_MAXINT32);
  r->concurrency = import_int (s, d, "template.maxInstanceRequestConcurrency",
                               G_MAXINT32);
  template_v2 (s, d, "template", r);
  return !import_failed (s);
}

/* A Cloud Run job (v2): its execution template's task count and
 * parallelism, its task template's identity and VPC access. */
static gboolean
job_v2 (ImportSrc *s, JsonNode *d, const char *project, const char *region)
{
  ImportRes *r = res_v2 (s, d, IMPORT_JOB, "jobs", project, region);

  if (!r)
    return FALSE;
  r->tasks = import_int (s, d, "template.taskCount", G_MAXINT32);
  r->parallelism = import_int (s, d, "template.parallelism", G_MAXINT32);
  template_v2 (s, d, "template.template", r);
  return !import_failed (s);
}

/* The resource of kind a Knative (v1) object names: metadata.name, in
 * the project its namespace names (else project) and the region its
 * label cloud.googleapis.com/location names (else region); NULL after
 * an error saying what (the service's, the job's) is missing. */
static ImportRes *
knative_res (ImportSrc *s, JsonNode *d, ImportKind kind, const char *what,
             const char *project, const char *region)
{
  const char *name = import_str (s, d, "metadata.name");
  const char *ns = import_str (s, d, "metadata.namespace");
  JsonObject *labels = import_obj (s, d, "metadata.labels");
  const char *loc;
  ImportRes *r;

  if (import_failed (s))
    return NULL;
  if (!name)
    {
      import_fail (s, "metadata.name", "expected the %s name, found "
                   "nothing", what);
      return NULL;
    }
  loc = import_member_str (s, labels, "metadata.labels",
                           "cloud.googleapis.com/location");
  r = import_res_new (s, kind, ns ? ns : project, loc ? loc : region, name);
  if (!r->region)
    {
      import_fail (s, "metadata.labels", "expected the label "
                   "cloud.googleapis.com/location, found nothing");
      return NULL;
    }
  return r;
}

/* A Cloud Run job in the v1 (Knative) shape Cloud Asset Inventory and
 * gcloud give: the execution template's annotations (VPC access), task
 * count and parallelism, the task template's service account. */
static gboolean
job_v1 (ImportSrc *s, JsonNode *d, const char *project, const char *region)
{
  JsonObject *ann = import_obj (s, d, "metadata.annotations");
  JsonObject *tann = import_obj (s, d, "spec.template.metadata.annotations");
  const char *sa = "metadata.annotations",
             *ta = "spec.template.metadata.annotations",
             *acct = "spec.template.spec.template.spec.serviceAccountName";
  ImportRes *r = knative_res (s, d, IMPORT_JOB, "job's", project, region);

  if (!r || !import_knative_annotations (s, ann, sa, tann, ta, r))
    return FALSE;
  import_set_token (s, acct, import_str (s, d, acct), &r->service_account);
  r->tasks = import_int (s, d, "spec.template.spec.taskCount", G_MAXINT32);
  r->parallelism = import_int (s, d, "spec.template.spec.parallelism",
                               G_MAXINT32);
  return !import_failed (s);
}

/* A Cloud Run worker pool (v2): its manual instance count, its revision
 * template's identity and VPC access. */
static gboolean
worker_pool_v2 (ImportSrc *s, JsonNode *d, const char *project,
                const char *region)
{
  ImportRes *r = res_v2 (s, d, IMPORT_WORKER_POOL, "workerPools", project,
                         region);

  if (!r)
    return FALSE;
  r->tasks = import_int (s, d, "scaling.manualInstanceCount", G_MAXINT32);
  template_v2 (s, d, "template", r);
  return !import_failed (s);
}

static gboolean
service_v1 (ImportSrc *s, JsonNode *d, const char *project,
            const char *region)
{
  JsonObject *ann = import_obj (s, d, "metadata.annotations");
  JsonObject *tann = import_obj (s, d, "spec.template.metadata.annotations");
  const char *sa = "metadata.annotations",
             *ta = "spec.template.metadata.annotations";
  ImportRes *r = knative_res (s, d, IMPORT_SERVICE, "service's", project,
                              region);

  if (!r || !import_knative_annotations (s, ann, sa, tann, ta, r))
    return FALSE;
  import_set_token (s, "spec.template.spec.serviceAccountName",
                    import_str (s, d, "spec.template.spec.serviceAccountName"),
                    &r->service_account);
  r->concurrency = import_int (s, d, "spec.template.spec.containerConcurrency",
                               G_MAXINT32);
  return !import_failed (s);
}

/* A domain mapping (Cloud Run Admin API v1, domains.cloudrun.com/v1):
 * metadata.name the domain, spec.routeName the service. */
static gboolean
domain_mapping (ImportSrc *s, JsonNode *d, const char *project,
                const char *region)
{
  const char *name = import_str (s, d, "metadata.name");
  const char *ns = import_str (s, d, "metadata.namespace");
  const char *route = import_str (s, d, "spec.routeName");
  JsonObject *labels = import_obj (s, d, "metadata.labels");
  const char *loc;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  if (!name || !route)
    return import_fail (s, name ? "spec.routeName" : "metadata.name",
                        "expected the %s, found nothing",
                        name ? "service it maps to" : "mapped domain");
  loc = import_member_str (s, labels, "metadata.labels",
                           "cloud.googleapis.com/location");
  r = import_res_new (s, IMPORT_DOMAIN, ns ? ns : project,
                      loc ? loc : region, name);
  r->target = import_ref_new (route, r->project, r->region);
  return !import_failed (s);
}

static gboolean
network (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  g_autofree char *p = compute_project (s, d, project);
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_NETWORK, p, NULL, name);
  if (!import_set_order (s, "networkFirewallPolicyEnforcementOrder",
                         import_str (s, d,
                                     "networkFirewallPolicyEnforcementOrder"),
                         r))
    return FALSE;
  return import_peerings (s, d, r);
}

/* A subnetwork's purpose: private, proxy-only, or NULL (not modelled). */
static const char *
subnet_purpose (const char *purpose)
{
  if (!purpose || strcmp (purpose, "PRIVATE") == 0
      || strcmp (purpose, "PRIVATE_RFC_1918") == 0)
    return "private";
  if (strcmp (purpose, "REGIONAL_MANAGED_PROXY") == 0
      || strcmp (purpose, "INTERNAL_HTTPS_LOAD_BALANCER") == 0)
    return "proxy-only";
  return NULL;
}

static gboolean
subnetwork (ImportSrc *s, JsonNode *d, const char *project,
            const char *region)
{
  const char *name = need_name (s, d);
  const char *reg = import_str (s, d, "region");
  const char *net = import_str (s, d, "network");
  const char *purpose = import_str (s, d, "purpose");
  g_autofree char *p = compute_project (s, d, project);
  JsonArray *secondary;
  ImportRes *r;

  if (!name)
    return FALSE;
  if (!subnet_purpose (purpose))
    {
      import_not_modelled (s, "purpose %s: subnet left out", purpose);
      return TRUE;
    }
  r = import_res_new (s, IMPORT_SUBNET, p, reg ? last (reg) : region, name);
  if (!r->region)
    return import_fail (s, "region", "expected the subnet's region, found "
                        "nothing");
  if (!net)
    return import_fail (s, "network", "expected the subnet's network, "
                        "found nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (!import_set_cidr (s, "ipCidrRange", import_str (s, d, "ipCidrRange"),
                        &r->range) && !import_failed (s))
    {
      r->skip = TRUE;
      import_not_modelled (s, "ipCidrRange: no IPv4 range: subnet left out");
    }
  r->pga = import_bool (s, d, "privateIpGoogleAccess");
  r->purpose = g_strdup (subnet_purpose (purpose));
  secondary = import_arr (s, d, "secondaryIpRanges");
  if (secondary && json_array_get_length (secondary) > 0)
    import_not_modelled (s, "secondaryIpRanges");
  return !import_failed (s);
}

static gboolean
router (ImportSrc *s, JsonNode *d, const char *project, const char *region)
{
  const char *name = need_name (s, d);
  const char *reg = import_str (s, d, "region");
  const char *net = import_str (s, d, "network");
  g_autofree char *p = compute_project (s, d, project);
  JsonArray *nats;
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_ROUTER, p, reg ? last (reg) : region, name);
  if (net)
    r->network = import_ref_new (net, r->project, NULL);
  if (import_arr (s, d, "bgpPeers")
      && json_array_get_length (import_arr (s, d, "bgpPeers")) > 0)
    import_not_modelled (s, "bgpPeers: Cloud Router dynamic routes");
  nats = import_arr (s, d, "nats");
  for (guint i = 0; nats && i < json_array_get_length (nats); i++)
    {
      g_autofree char *at = g_strdup_printf ("nats[%u]", i);
      ImportSrc ns = *s;
      g_autofree char *nbase = import_path (s, at);
      ImportRes *nat;
      const char *nname, *src, *alloc, *type;
      JsonArray *subs, *ips;

      ns.base = nbase;
      {
        JsonNode *n = import_at (s, d, at);
        nname = import_str (&ns, n, "name");
        if (!nname)
          return import_fail (&ns, "name", "expected the NAT's name, found "
                              "nothing");
        type = import_str (&ns, n, "type");
        if (type && strcmp (type, "PUBLIC") != 0)
          {
            import_not_modelled (s, "%s: NAT type %s: left out", at, type);
            continue;
          }
        nat = import_res_new (s, IMPORT_NAT, r->project, r->region, nname);
        nat->target = import_ref_new (name, r->project, r->region);
        if (net)
          nat->network = import_ref_new (net, r->project, NULL);
        src = import_str (&ns, n, "sourceSubnetworkIpRangesToNat");
        if (src && strcmp (src, "LIST_OF_SUBNETWORKS") == 0)
          {
            subs = import_arr (&ns, n, "subnetworks");
            for (guint j = 0; subs && j < json_array_get_length (subs); j++)
              {
                g_autofree char *sk
                  = g_strdup_printf ("subnetworks[%u].name", j);
                const char *sub = import_str (&ns, n, sk);
                if (sub)
                  g_ptr_array_add (nat->refs, import_ref_new (sub, r->project,
                                                              r->region));
              }
            if (!nat->refs->len)
              nat->skip = TRUE;
          }
        else if (src && strcmp (src, "ALL_SUBNETWORKS_ALL_IP_RANGES")
                 && strcmp (src, "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES"))
          return import_fail (&ns, "sourceSubnetworkIpRangesToNat",
                              "expected ALL_SUBNETWORKS_ALL_IP_RANGES, "
                              "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES or "
                              "LIST_OF_SUBNETWORKS, found '%s'", src);
        alloc = import_str (&ns, n, "natIpAllocateOption");
        ips = import_arr (&ns, n, "natIps");
        if (alloc && strcmp (alloc, "MANUAL_ONLY") == 0 && ips
            && json_array_get_length (ips) > 0)
          nat->n_addresses = MIN (json_array_get_length (ips), 16);
        nat->min_ports = import_int (&ns, n, "minPortsPerVm", 65536);
        nat->tcp_time_wait = import_int (&ns, n, "tcpTimeWaitTimeoutSec",
                                         G_MAXINT32);
        if (import_bool (&ns, n, "enableDynamicPortAllocation") == 1)
          import_not_modelled (s, "%s.enableDynamicPortAllocation", at);
        if (import_arr (&ns, n, "rules")
            && json_array_get_length (import_arr (&ns, n, "rules")) > 0)
          import_not_modelled (s, "%s.rules: NAT rules", at);
      }
      if (import_failed (s))
        return FALSE;
    }
  return !import_failed (s);
}

static gboolean
firewall (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *net = import_str (s, d, "network");
  g_autofree char *p = compute_project (s, d, project);
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_FIREWALL, p, NULL, name);
  if (!net)
    return import_fail (s, "network", "expected the rule's network, found "
                        "nothing");
  r->network = import_ref_new (net, r->project, NULL);
  return import_firewall_rule (s, d, FALSE, r);
}

/* A route's next hop: default-internet-gateway, an IPv4 address, or
 * NULL after listing it as not modelled. skip: a subnet or peering route,
 * the simulator's own. */
static gboolean
route (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *net = import_str (s, d, "network");
  const char *gw = import_str (s, d, "nextHopGateway");
  const char *ip = import_str (s, d, "nextHopIp");
  g_autofree char *p = compute_project (s, d, project);
  static const char *const others[] = { "nextHopInstance", "nextHopIlb",
    "nextHopVpnTunnel", "nextHopPeering", "nextHopHub",
    "nextHopInterconnectAttachment" };
  ImportRes *r;

  if (!name)
    return FALSE;
  if (import_str (s, d, "nextHopNetwork"))
    return TRUE;                /* a subnet route: the simulator's own */
  r = import_res_new (s, IMPORT_ROUTE, p, NULL, name);
  if (!net)
    return import_fail (s, "network", "expected the route's network, found "
                        "nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (!import_set_cidr (s, "destRange", import_str (s, d, "destRange"),
                        &r->range))
    {
      if (!import_failed (s) && !import_str (s, d, "destRange"))
        return import_fail (s, "destRange", "expected a destination range, "
                            "found nothing");
      r->skip = TRUE;
      return !import_failed (s);
    }
  r->priority = import_int (s, d, "priority", 65535);
  if (gw)
    {
      if (strcmp (last (gw), "default-internet-gateway") != 0)
        return import_fail (s, "nextHopGateway", "expected "
                            "default-internet-gateway, found '%s'", gw);
      r->next_hop = g_strdup ("default-internet-gateway");
    }
  else if (ip)
    import_set_ipv4 (s, "nextHopIp", ip, &r->next_hop);
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        if (import_str (s, d, others[i]))
          {
            import_not_modelled (s, "%s: route left out", others[i]);
            r->skip = TRUE;
            return !import_failed (s);
          }
      return import_fail (s, "nextHopGateway", "expected a next hop, found "
                          "nothing");
    }
  return !import_failed (s);
}

static gboolean
connector (ImportSrc *s, JsonNode *d, const char *project,
           const char *region)
{
  const char *full = need_name (s, d);
  const char *net = import_str (s, d, "network");
  const char *sub = import_str (s, d, "subnet.name");
  const char *subp = import_str (s, d, "subnet.projectId");
  const char *mt = import_str (s, d, "machineType");
  g_autofree char *p = NULL;
  ImportRef *loc;
  ImportRes *r;

  if (!full)
    return FALSE;
  p = import_name_project (full);
  loc = import_ref_new (full, p ? p : project, region);
  r = import_res_new (s, IMPORT_CONNECTOR, loc->project, loc->region,
                      loc->name);
  import_ref_free (loc);
  if (!r->region)
    return import_fail (s, "name", "expected projects/P/locations/REGION/"
                        "connectors/NAME, found '%s'", full);
  if (sub && *sub)
    r->subnet = import_ref_new (sub, subp && *subp ? subp : r->project,
                                r->region);
  else if (!import_set_cidr (s, "ipCidrRange", import_str (s, d, "ipCidrRange"),
                             &r->range) && !import_failed (s))
    return import_fail (s, "ipCidrRange", "expected a /28 range or a "
                        "subnet, found neither");
  if (net && *net)
    r->network = import_ref_new (net, r->project, NULL);
  if (mt && strcmp (mt, "f1-micro") && strcmp (mt, "e2-micro")
      && strcmp (mt, "e2-standard-4"))
    return import_fail (s, "machineType", "expected f1-micro, e2-micro or "
                        "e2-standard-4, found '%s'", mt);
  r->machine_type = g_strdup (mt);
  r->min_instances = import_int (s, d, "minInstances", 1000);
  r->max_instances = import_int (s, d, "maxInstances", 1000);
  return !import_failed (s);
}

static gboolean
managed_zone (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *dns = import_str (s, d, "dnsName");
  const char *vis = import_str (s, d, "visibility");
  JsonArray *nets;
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_ZONE, project, NULL, name);
  if (!dns || !import_is_token (dns) || !g_str_has_suffix (dns, "."))
    return import_fail (s, "dnsName", "expected a DNS name ending in '.', "
                        "found '%s'", dns ? dns : "nothing");
  r->dns_name = g_ascii_strdown (dns, -1);
  if (vis && strcmp (vis, "private") && strcmp (vis, "public"))
    return import_fail (s, "visibility", "expected private or public, found "
                        "'%s'", vis);
  r->visibility = g_strdup (vis ? vis : "public");
  if (import_obj (s, d, "forwardingConfig"))
    {
      JsonArray *t = import_arr (s, d, "forwardingConfig.targetNameServers");
      r->forward = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; t && i < json_array_get_length (t); i++)
        {
          g_autofree char *at = g_strdup_printf (
            "forwardingConfig.targetNameServers[%u].ipv4Address", i);
          if (!import_forward_target (s, at, import_str (s, d, at),
                                      r->forward))
            return FALSE;
        }
    }
  if (import_obj (s, d, "peeringConfig")
      || (r->forward && r->forward->len == 0))
    {
      import_not_modelled (s, "peeringConfig, or a forwarding zone without "
                           "an IPv4 target: the zone is left out");
      r->skip = TRUE;
    }
  nets = import_arr (s, d, "privateVisibilityConfig.networks");
  for (guint i = 0; nets && i < json_array_get_length (nets); i++)
    {
      g_autofree char *at = g_strdup_printf ("privateVisibilityConfig."
                                             "networks[%u].networkUrl", i);
      const char *url = import_str (s, d, at);
      if (url)
        g_ptr_array_add (r->refs, import_ref_new (url, r->project, NULL));
    }
  return !import_failed (s);
}

/* A Cloud DNS server policy: its networks, inbound forwarding and
 * alternative name servers (IPv4 ones). */
static gboolean
dns_policy (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  JsonArray *nets = import_arr (s, d, "networks");
  JsonArray *alt = import_arr (s, d, "alternativeNameServerConfig."
                               "targetNameServers");
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_DNS_POLICY, project, NULL, name);
  r->inbound = import_bool (s, d, "enableInboundForwarding");
  r->forward = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; alt && i < json_array_get_length (alt); i++)
    {
      g_autofree char *at = g_strdup_printf (
        "alternativeNameServerConfig.targetNameServers[%u].ipv4Address", i);
      if (!import_forward_target (s, at, import_str (s, d, at), r->forward))
        return FALSE;
    }
  for (guint i = 0; nets && i < json_array_get_length (nets); i++)
    {
      g_autofree char *at = g_strdup_printf ("networks[%u].networkUrl", i);
      const char *url = import_str (s, d, at);
      if (url)
        g_ptr_array_add (r->refs, import_ref_new (url, r->project, NULL));
    }
  return !import_failed (s);
}

gboolean
import_rrset (ImportSrc *s, JsonNode *d, const char *project,
              const char *zone, const char *const keys[3])
{
  const char *name = import_str (s, d, keys[0]);
  const char *type = import_str (s, d, keys[1]);
  g_autoptr (GPtrArray) datas = import_strs (s, d, keys[2]);
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  if (!name || !type)
    return import_fail (s, name ? keys[1] : keys[0], "expected the record's "
                        "name and type, found nothing");
  if (strcmp (type, "A") && strcmp (type, "AAAA") && strcmp (type, "CNAME"))
    {
      if (strcmp (type, "SOA") && strcmp (type, "NS"))
        import_not_modelled (s, "record type %s", type);
      return TRUE;
    }
  if (!import_is_token (name))
    return import_fail (s, keys[0], "expected a DNS name, found '%s'", name);
  r = import_res_new (s, IMPORT_RECORD, project, NULL, name);
  r->type = g_strdup (type);
  r->dns_name = g_ascii_strdown (name, -1);
  if (zone)
    r->target = import_ref_new (zone, project, NULL);
  r->ranges = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; datas && i < datas->len; i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", keys[2], i);
      const char *v = datas->pdata[i];
      if (!import_is_token (v)
          || (strcmp (type, "A") == 0 && !import_is_ipv4 (v)))
        return import_fail (s, at, "expected %s data, found '%s'", type, v);
      g_ptr_array_add (r->ranges, g_strdup (v));
    }
  return TRUE;
}

typedef struct { ImportSrc *s; JsonNode *d; } RestGet;

static const char *
rest_get (gpointer user, const char *rel)
{
  RestGet *g = user;

  return import_str (g->s, g->d, rel);
}

/* A target proxy, URL map, backend service or NEG. */
static gboolean
lb_part (ImportSrc *s, ImportKind kind, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  g_autofree char *p = compute_project (s, d, project);
  RestGet g = { s, d };

  if (!name)
    return FALSE;
  return import_lb_part (s, kind, d, p, name, FALSE, rest_get, &g);
}

/* A Cloud Armor security policy (armor.c); a regional one is left out. */
static gboolean
security_policy (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *region = import_str (s, d, "region");
  g_autofree char *p = compute_project (s, d, project);

  if (!name)
    return FALSE;
  if (region)
    {
      import_not_modelled (s, "a regional security policy: left out");
      return !import_failed (s);
    }
  return import_armor (s, d, p, name, FALSE);
}

static gboolean
forwarding_rule (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *target = import_str (s, d, "target");
  const char *ip = import_str (s, d, "IPAddress");
  const char *net = import_str (s, d, "network");
  g_autofree char *p = compute_project (s, d, project);
  ImportRes *r;

  if (!name)
    return FALSE;
  if (target && (strstr (target, "/targetHttpProxies/")
                 || strstr (target, "/targetHttpsProxies/")))
    {
      RestGet g = { s, d };
      return import_lb_rule (s, d, p, name, FALSE, rest_get, &g);
    }
  if (!target || (strcmp (target, "all-apis") && strcmp (target, "vpc-sc")))
    {
      import_not_modelled (s, "forwarding rule to %s (only PSC endpoints "
                           "for Google APIs and Application Load Balancers "
                           "are modelled)",
                           target ? target : "a backend service");
      return !import_failed (s);
    }
  r = import_res_new (s, IMPORT_PSC, p, NULL, name);
  r->bundle = g_strdup (target);
  if (!net)
    return import_fail (s, "network", "expected the endpoint's network, "
                        "found nothing");
  r->network = import_ref_new (net, r->project, NULL);
  if (!ip)
    return import_fail (s, "IPAddress", "expected the endpoint's address, "
                        "found nothing");
  if (import_is_ipv4 (ip))
    r->range = g_strdup (ip);
  else
    r->target = import_ref_new (ip, r->project, NULL);
  return !import_failed (s);
}

static gboolean
address (ImportSrc *s, JsonNode *d, const char *project, const char *region)
{
  const char *name = need_name (s, d);
  const char *reg = import_str (s, d, "region");
  g_autofree char *p = compute_project (s, d, project);
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_ADDRESS, p, reg ? last (reg) : NULL, name);
  r->skip = TRUE;       /* read by PSC endpoints and private connections */
  (void) region;
  import_set_ipv4 (s, "address", import_str (s, d, "address"), &r->range);
  import_set_token (s, "purpose", import_str (s, d, "purpose"), &r->purpose);
  r->prefix_len = import_int (s, d, "prefixLength", 32);
  if (import_str (s, d, "network"))
    r->network = import_ref_new (import_str (s, d, "network"), r->project,
                                 NULL);
  return !import_failed (s);
}

static gboolean
instance (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = need_name (s, d);
  const char *zone = import_str (s, d, "zone");
  const char *sub = import_str (s, d, "networkInterfaces[0].subnetwork");
  JsonArray *nics = import_arr (s, d, "networkInterfaces");
  JsonArray *acs = import_arr (s, d, "networkInterfaces[0].accessConfigs");
  g_autofree char *p = compute_project (s, d, project);
  g_autofree char *region = zone ? import_zone_region (strrchr (zone, '/')
                                                       ? strrchr (zone, '/') + 1
                                                       : zone) : NULL;
  ImportRes *r;

  if (!name)
    return FALSE;
  r = import_res_new (s, IMPORT_VM, p, region, name);
  if (!sub)
    {
      if (!import_failed (s))
        import_not_modelled (s, "networkInterfaces[0].subnetwork: no subnet "
                             "(a legacy network): VM left out");
      r->skip = TRUE;
      return !import_failed (s);
    }
  r->subnet = import_ref_new (sub, r->project, r->region);
  import_set_ipv4 (s, "networkInterfaces[0].networkIP",
                   import_str (s, d, "networkInterfaces[0].networkIP"),
                   &r->range);
  r->external_ip = acs && json_array_get_length (acs) > 0;
  import_set_token (s, "serviceAccounts[0].email",
                    import_str (s, d, "serviceAccounts[0].email"),
                    &r->service_account);
  import_set_tags (s, d, "tags.items", &r->tags);
  if (nics && json_array_get_length (nics) > 1)
    import_not_modelled (s, "networkInterfaces: interfaces after the first");
  return !import_failed (s);
}

static gboolean
project_res (ImportSrc *s, JsonNode *d)
{
  const char *id = import_str (s, d, "projectId");
  const char *number = import_str (s, d, "projectNumber");

  if (!id)
    id = import_str (s, d, "name");
  if (!number)
    number = import_str (s, d, "id");
  import_project_number (s->model, id, number);
  if (id && !import_failed (s))
    import_res_new (s, IMPORT_PROJECT, id, NULL, id);
  return !import_failed (s);
}

gboolean
import_rest (ImportSrc *s, const char *type, JsonNode *d,
             const char *project, const char *region)
{
  static const char *const rrkeys[3] = { "name", "type", "rrdatas" };

  if (!JSON_NODE_HOLDS_OBJECT (d))
    return import_fail (s, "", "expected an object");
  s->model->n_read++;
  if (strcmp (type, "run-service") == 0)
    return import_at (s, d, "apiVersion") || import_at (s, d, "spec")
           ? service_v1 (s, d, project, region)
           : service_v2 (s, d, project, region);
  if (strcmp (type, "domain-mapping") == 0)
    return domain_mapping (s, d, project, region);
  if (strcmp (type, "run-job") == 0)
    return import_at (s, d, "apiVersion") || import_at (s, d, "spec")
           ? job_v1 (s, d, project, region)
           : job_v2 (s, d, project, region);
  if (strcmp (type, "run-worker-pool") == 0)
    return worker_pool_v2 (s, d, project, region);
  if (strcmp (type, "network") == 0)
    return network (s, d, project);
  if (strcmp (type, "subnetwork") == 0)
    return subnetwork (s, d, project, region);
  if (strcmp (type, "router") == 0)
    return router (s, d, project, region);
  if (strcmp (type, "firewall") == 0)
    return firewall (s, d, project);
  if (strcmp (type, "route") == 0)
    return route (s, d, project);
  if (strcmp (type, "firewall-policy") == 0)
    return import_rest_policy (s, d, project);
  if (strcmp (type, "security-policy") == 0)
    return security_policy (s, d, project);
  if (strcmp (type, "connector") == 0)
    return connector (s, d, project, region);
  if (strcmp (type, "managed-zone") == 0)
    return managed_zone (s, d, project);
  if (strcmp (type, "dns-policy") == 0)
    return dns_policy (s, d, project);
  if (strcmp (type, "rrset") == 0)
    return import_rrset (s, d, project, NULL, rrkeys);
  if (strcmp (type, "forwarding-rule") == 0)
    return forwarding_rule (s, d, project);
  if (strcmp (type, "address") == 0)
    return address (s, d, project, region);
  if (strcmp (type, "instance") == 0)
    return instance (s, d, project);
  if (strcmp (type, "project") == 0)
    return project_res (s, d);
  if (strcmp (type, "target-proxy") == 0)
    return lb_part (s, IMPORT_PROXY, d, project);
  if (strcmp (type, "url-map") == 0)
    return lb_part (s, IMPORT_URL_MAP, d, project);
  if (strcmp (type, "backend-service") == 0)
    return lb_part (s, IMPORT_BACKEND, d, project);
  if (strcmp (type, "neg") == 0)
    return lb_part (s, IMPORT_NEG, d, project);
  if (strcmp (type, "service-connection") == 0
      || g_str_has_prefix (type, "sql-") || g_str_has_prefix (type, "redis-")
      || g_str_has_prefix (type, "alloydb-"))
    return import_rest_managed (s, type, d, project, region);
  import_unknown_type (s->model, type);
  return TRUE;
}
