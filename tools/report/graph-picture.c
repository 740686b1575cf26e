/* The topology picture's nodes and boxes (see tools/report/graph-picture.h):
 * every simulated node is read by its class name and its name, the
 * scenario object behind it gives its settings. */
#include "tools/report/graph-picture.h"

#include <string.h>

#include "models/assemble/build.h"
#include "models/world/service.h"
#include "sim/link.h"

/* Columns, left to right. */
enum {
  COL_CALLER, COL_SUBNET, COL_ROUTER, COL_OUTSIDE, COL_EDGE, COL_GFE, COL_CALLED
};

#define FILL_RUN "#dbe8fb"
#define FILL_VPC "#ffffff"
#define FILL_GOOGLE "#fdf1d0"
#define FILL_NET "#eeeeee"

typedef struct {
  GraphPicture *pic;
  const CloudRunScenario *sc;
  GHashTable *callers;          /* service NAME -> itself; lookups only */
  gboolean projects;            /* more than one project: name them */
  GHashTable *seen;             /* "a b" of the links drawn; lookups only */
} Picture;

static char *
address_text (uint32_t a)
{
  return g_strdup_printf ("%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
                          (a >> 8) & 255, a & 255);
}

static char *
cidr_text (CloudRunSpecCidr c)
{
  g_autofree char *a = address_text (c.prefix);
  return g_strdup_printf ("%s/%u", a, c.len);
}

static int
box_get (Picture *p, const char *key, const char *label, int parent,
         const char *color)
{
  gpointer at = g_hash_table_lookup (p->pic->box_by_key, key);
  GraphBox *box;

  if (at)
    return GPOINTER_TO_INT (at) - 1;
  box = g_new0 (GraphBox, 1);
  box->label = g_strdup (label);
  box->parent = parent;
  box->color = color;
  g_ptr_array_add (p->pic->boxes, box);
  g_hash_table_insert (p->pic->box_by_key, g_strdup (key),
                       GINT_TO_POINTER (p->pic->boxes->len));
  return (int) p->pic->boxes->len - 1;
}

/* The box of a network (inside its project's). */
static int
box_network (Picture *p, const CloudRunSpecNetwork *net)
{
  g_autofree char *pkey = g_strconcat ("project ", net->project->base.name,
                                       NULL);
  g_autofree char *plabel = cloudrun_project_perimeter (net->project)
    ? g_strdup_printf ("project %s (VPC-SC perimeter %s)",
                       net->project->base.name,
                       cloudrun_project_perimeter (net->project))
    : g_strdup (pkey);
  int project = box_get (p, pkey, plabel, -1, "gray55");
  g_autofree char *key = g_strconcat ("network ", net->base.name, NULL);
  g_autofree char *label = net->on_premises
    ? g_strdup_printf ("site %s (on premises)", net->base.name)
    : net->shared_with && net->shared_with->len
    ? g_strdup_printf ("network %s (Shared VPC)", net->base.name)
    : g_strdup (key);

  return box_get (p, key, label, project, "steelblue");
}

/* The box of a region of a network; its label names its Cloud NAT. */
static int
box_region (Picture *p, const CloudRunSpecNetwork *net, const char *region)
{
  int parent = box_network (p, net);
  g_autofree char *key = g_strdup_printf ("region %s %s", net->base.name,
                                          region);
  g_autoptr (GString) label = g_string_new ("region ");

  g_string_append (label, region);
  for (guint i = 0; i < p->sc->nats->len; i++)
    {
      const CloudRunSpecNat *nat = g_ptr_array_index (p->sc->nats, i);
      if (nat->network == net && strcmp (nat->region, region) == 0)
        g_string_append_printf (label, ", Cloud NAT %s", nat->base.name);
    }
  return box_get (p, key, label->str, parent, "gray70");
}

static int
box_run (Picture *p, const char *region, gboolean calling)
{
  g_autofree char *key = g_strdup_printf ("run %s %d", region, calling);
  g_autofree char *label = g_strdup_printf (
    calling ? "Cloud Run %s: calling services" : "Cloud Run %s", region);

  return box_get (p, key, label, -1, "royalblue");
}

/* The service producer network of a consumer network's private
 * services access, inside Google's edge. */
static int
box_producer (Picture *p, const CloudRunSpecNetwork *consumer)
{
  g_autofree char *key = g_strconcat ("producer ", consumer->base.name,
                                      NULL);
  g_autofree char *label = g_strdup_printf (
    "service producer network (private services access of %s)",
    consumer->base.name);

  return box_get (p, key, label, box_get (p, "edge", "Google's edge", -1,
                                          "darkgoldenrod"), "goldenrod");
}

static int
box_named (Picture *p, const char *key)
{
  if (strcmp (key, "edge") == 0)
    return box_get (p, key, "Google's edge", -1, "darkgoldenrod");
  if (strcmp (key, "products") == 0)
    return box_get (p, key, "Google products", -1, "darkgoldenrod");
  return box_get (p, key, "the internet", -1, "gray55");
}

static int
node_add (Picture *p, const char *id, const char *label, int box, int column,
          const char *fill)
{
  gpointer at = g_hash_table_lookup (p->pic->by_id, id);
  GraphNode *n;

  if (at)
    return GPOINTER_TO_INT (at) - 1;
  n = g_new0 (GraphNode, 1);
  n->id = g_strdup (id);
  n->label = g_strdup (label);
  n->box = box;
  n->column = column;
  n->fill = fill;
  g_ptr_array_add (p->pic->nodes, n);
  g_hash_table_insert (p->pic->by_id, n->id,
                       GINT_TO_POINTER (p->pic->nodes->len));
  return (int) p->pic->nodes->len - 1;
}

/* A service's one node: its name with its instance count, its ingress and
 * how it reaches a VPC. */
/* A workload's way into the VPC, a line of its label. */
static void
label_vpc_access (GString *l, VpcAccess access,
                  const CloudRunSpecConnector *connector, VpcEgress egress)
{
  if (access == VPC_ACCESS_NONE)
    g_string_append (l, "\nno VPC access");
  else if (access == VPC_ACCESS_DIRECT)
    g_string_append_printf (l, "\nDirect VPC, %s", vpc_egress_name (egress));
  else
    g_string_append_printf (l, "\nconnector %s, %s", connector->base.name,
                            vpc_egress_name (egress));
}

static int
node_service (Picture *p, const CloudRunServiceNode *svc)
{
  const CloudRunSpecService *s = cloudrun_scenario_find (
    p->sc, CLOUDRUN_KIND_SERVICE, svc->name);
  gboolean calling = g_hash_table_contains (p->callers, svc->name);
  g_autofree char *id = g_strconcat ("service ", svc->name, NULL);
  g_autoptr (GString) l = g_string_new (svc->name);
  const GPtrArray *revs = svc->lead ? svc->lead->revisions : NULL;
  guint n = revs ? 0 : svc->instances->len;

  /* With revisions: every revision's instances, and their shares. */
  for (guint i = 0; revs && i < revs->len; i++)
    n += ((const CloudRunServiceNode *) revs->pdata[i])->instances->len;
  if (n > 1)
    g_string_append_printf (l, " \u00d7%u", n);
  for (guint i = 0; revs && i < revs->len; i++)
    {
      const CloudRunServiceNode *r = revs->pdata[i];
      g_string_append_printf (l, "%s %s %u%%", i ? "," : "\nrevisions",
                              r->revision, r->percent);
    }
  if (!s)
    return node_add (p, id, l->str, box_run (p, svc->region, calling),
                     calling ? COL_CALLER : COL_CALLED, FILL_RUN);
  if (p->projects)
    g_string_append_printf (l, "\nproject %s", s->project->base.name);
  g_string_append_printf (l, "\ningress: %s", gfe_ingress_name (s->ingress));
  if (!s->default_url)
    g_string_append (l, "\nrun.app URLs off");
  for (guint i = 0; svc->domains && svc->domains[i]; i++)
    g_string_append_printf (l, "\ndomain %s", svc->domains[i]);
  label_vpc_access (l, s->vpc_access, s->connector, s->vpc_egress);
  if (s->network_tags && s->network_tags[0])
    {
      g_autofree char *tags = g_strjoinv (", ", s->network_tags);
      g_string_append_printf (l, "\ntags: %s", tags);
    }
  return node_add (p, id, l->str, box_run (p, s->region, calling),
                   calling ? COL_CALLER : COL_CALLED, FILL_RUN);
}

static int
node_subnet (Picture *p, const CloudRunSpecSubnet *sub)
{
  g_autofree char *id = g_strconcat ("subnet ", sub->base.name, NULL);
  g_autofree char *range = cidr_text (sub->range);
  g_autofree char *label = NULL;
  const char *pga;

  if (sub->purpose == CLOUDRUN_SUBNET_PROXY_ONLY)
    pga = "proxy-only";
  else if (sub->network->on_premises)
    pga = "on premises";
  else
    switch (cloudrun_build_subnet_pga (p->sc, sub))
      {
      case CLOUDRUN_SUBNET_PGA_ON:
        pga = "PGA on";
        break;
      case CLOUDRUN_SUBNET_PGA_ON_BY_NAT:
        pga = "PGA off, on by Cloud NAT";
        break;
      case CLOUDRUN_SUBNET_PGA_OFF_NAT:
        pga = "PGA off, Cloud NAT";
        break;
      case CLOUDRUN_SUBNET_PGA_OFF:
      default:
        pga = "PGA off";
        break;
      }
  label = g_strdup_printf ("%s\n%s\n%s", id, range, pga);
  return node_add (p, id, label, box_region (p, sub->network, sub->region),
                   COL_SUBNET, FILL_VPC);
}

static int
node_router (Picture *p, const CloudRunSpecNetwork *net)
{
  g_autofree char *id = g_strconcat ("router ", net->base.name, NULL);
  g_autoptr (GString) l = g_string_new (net->on_premises ? "site router"
                                                         : "VPC router");
  guint routes = 0, rules = 0;

  for (guint i = 0; i < p->sc->routes->len; i++)
    routes += ((CloudRunSpecRoute *) g_ptr_array_index (p->sc->routes, i))
                ->network == net;
  for (guint i = 0; i < p->sc->firewalls->len; i++)
    rules += ((CloudRunSpecFirewall *) g_ptr_array_index (p->sc->firewalls, i))
               ->network == net;
  if (!net->default_route)
    g_string_append (l, "\nno default route");
  if (routes)
    g_string_append_printf (l, "\n%u custom route%s", routes,
                            routes > 1 ? "s" : "");
  if (rules)
    g_string_append_printf (l, "\n%u firewall rule%s", rules,
                            rules > 1 ? "s" : "");
  return node_add (p, id, l->str, box_network (p, net), COL_ROUTER,
                   FILL_VPC);
}

/* A network's private zones, or -1 when it has none. */
static int
node_private_dns (Picture *p, const CloudRunSpecNetwork *net)
{
  g_autofree char *id = g_strconcat ("private DNS ", net->base.name, NULL);
  g_autoptr (GString) l = g_string_new ("private DNS zones");
  gboolean any = FALSE;

  for (guint i = 0; i < p->sc->dns_zones->len; i++)
    {
      const CloudRunSpecDnsZone *z = g_ptr_array_index (p->sc->dns_zones, i);
      const CloudRunSpecDnsRecord *r;
      if (z->visibility != CLOUDRUN_DNS_PRIVATE || !z->networks
          || !g_ptr_array_find (z->networks, net, NULL))
        continue;
      any = TRUE;
      g_string_append_printf (l, "\n%s", z->dns_name);
      if (z->peer_network)
        g_string_append_printf (l, " \u2192 peering, %s's view",
                                z->peer_network->base.name);
      if (z->forward_to && z->forward_to->len)
        {
          char ip[16];
          g_string_append_printf (l, " \u2192 forwarded to %s",
                                  sim_ipv4_to_string (
                                    g_array_index (z->forward_to, uint32_t, 0),
                                    ip));
        }
      if (z->records->len == 0)
        continue;
      r = &g_array_index (z->records, CloudRunSpecDnsRecord, 0);
      g_string_append_printf (l, " \u2192 %s", r->data);
      if (z->records->len > 1)
        g_string_append_printf (l, " +%u", z->records->len - 1);
    }
  if (!any)
    return -1;
  return node_add (p, id, l->str, box_network (p, net), COL_ROUTER,
                   FILL_NET);
}

/* A node named PREFIX + the name of an object of kind, or NULL. */
static gpointer
named (Picture *p, const char *name, const char *prefix, CloudRunKind kind)
{
  if (!g_str_has_prefix (name, prefix))
    return NULL;
  return cloudrun_scenario_find (p->sc, kind, name + strlen (prefix));
}

/* The job or worker pool whose task or instance is named name
 * (job-NAME-task-K, worker-pool-NAME-instance-K), or NULL. */
static const CloudRunSpecWorker *
worker_of (Picture *p, const char *name)
{
  GPtrArray *lists[] = { p->sc->jobs, p->sc->worker_pools };

  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    for (guint i = 0; i < lists[k]->len; i++)
      {
        const CloudRunSpecWorker *w = lists[k]->pdata[i];
        g_autofree char *stem = g_strdup_printf (
          k == 0 ? "job-%s-task-" : "worker-pool-%s-instance-",
          w->base.name);
        if (g_str_has_prefix (name, stem))
          return w;
      }
  return NULL;
}

/* One drawn node per job or worker pool, in Cloud Run's calling box. */
static int
node_worker (Picture *p, const CloudRunSpecWorker *w)
{
  bool job = w->base.kind == CLOUDRUN_KIND_JOB;
  g_autofree char *id = g_strconcat (job ? "job " : "worker pool ",
                                     w->base.name, NULL);
  g_autoptr (GString) l = g_string_new (id);

  if (job)
    g_string_append_printf (l, "\n%" G_GINT64_FORMAT " tasks, %s%"
                            G_GINT64_FORMAT " at once", w->instances,
                            w->parallelism ? "" : "all ",
                            w->parallelism ? w->parallelism : w->instances);
  else
    g_string_append_printf (l, " \u00d7%" G_GINT64_FORMAT, w->instances);
  if (p->projects)
    g_string_append_printf (l, "\nproject %s", w->project->base.name);
  label_vpc_access (l, w->vpc_access, w->connector, w->vpc_egress);
  return node_add (p, id, l->str, box_run (p, w->region, TRUE), COL_CALLER,
                   FILL_RUN);
}

static int
node_endpoint (Picture *p, const char *name)
{
  const CloudRunSpecWorker *w = worker_of (p, name);
  const CloudRunSpecVm *vm = cloudrun_scenario_find (p->sc, CLOUDRUN_KIND_VM,
                                                     name);
  const CloudRunSpecClient *c = cloudrun_scenario_find (p->sc,
                                                        CLOUDRUN_KIND_CLIENT,
                                                        name);
  g_autofree char *id = NULL, *label = NULL, *addr = NULL;

  if (w)
    return node_worker (p, w);
  if (vm)
    {
      addr = address_text (vm->address);
      id = g_strconcat ("VM ", name, NULL);
      g_autofree char *tags = vm->network_tags && vm->network_tags[0]
                              ? g_strjoinv (", ", vm->network_tags) : NULL;
      label = g_strdup_printf ("%s\n%s\n%s%s%s", id, addr,
                               vm->subnet->network->on_premises
                               ? "the site's internet" : vm->external_ip
                               ? "external IP" : "no external IP",
                               tags ? "\ntags: " : "", tags ? tags : "");
      return node_add (p, id, label,
                       box_region (p, vm->subnet->network, vm->subnet->region),
                       COL_CALLER, FILL_VPC);
    }
  id = g_strconcat (c ? "client " : "host ", name, NULL);
  if (c)
    addr = address_text (c->address);
  label = c ? g_strdup_printf ("%s\n%s", id, addr) : g_strdup (id);
  return node_add (p, id, label, box_named (p, "internet"), COL_OUTSIDE,
                   FILL_NET);
}

/* The drawn node of a simulated node, made on first sight; -1 when the
 * picture leaves it out. */
static int
node_of (Picture *p, SimNode *n)
{
  const char *k = n->klass->name;
  const char *name = n->name;
  gpointer o;

  if (strcmp (k, "cloud-run-instance") == 0)
    return node_service (p, ((CloudRunInstance *) n)->service);
  if (strcmp (k, "direct-vpc") == 0
      && (o = named (p, name, "direct-vpc-", CLOUDRUN_KIND_SERVICE))
      && ((CloudRunSpecService *) o)->subnet)
    return node_subnet (p, ((CloudRunSpecService *) o)->subnet);
  if (strcmp (k, "direct-vpc") == 0
      && ((o = named (p, name, "direct-vpc-job-", CLOUDRUN_KIND_JOB))
          || (o = named (p, name, "direct-vpc-worker-pool-",
                         CLOUDRUN_KIND_WORKER_POOL))))
    return node_subnet (p, ((CloudRunSpecWorker *) o)->subnet);
  if (strcmp (k, "vpc-router") == 0
      && ((o = named (p, name, "vpc-", CLOUDRUN_KIND_NETWORK))
          || (o = named (p, name, "site-", CLOUDRUN_KIND_NETWORK))))
    return node_router (p, o);
  if (strcmp (k, "dns-server") == 0 && strcmp (name, "public-dns") == 0)
    return node_add (p, "public DNS", "public DNS", box_named (p, "edge"),
                     COL_EDGE, FILL_GOOGLE);
  if (strcmp (k, "dns-server") == 0)
    return (o = named (p, name, "metadata-", CLOUDRUN_KIND_NETWORK))
      ? node_private_dns (p, o) : -1;
  if (strcmp (k, "gfe") == 0)
    return node_add (p, "GFE", "Google Front End\nrun.app, API VIPs",
                     box_named (p, "edge"), COL_GFE, FILL_GOOGLE);
  if (strcmp (k, "internet") == 0)
    return node_add (p, "internet", "internet", box_named (p, "internet"),
                     COL_EDGE, FILL_NET);
  if (strcmp (k, "serverless-egress") == 0)
    return node_add (p, "Cloud Run egress", "Cloud Run\ninternet egress",
                     box_named (p, "edge"), COL_OUTSIDE, FILL_GOOGLE);
  if (strcmp (k, "endpoint") == 0)
    return node_endpoint (p, name);
  if ((o = named (p, name, "connector-", CLOUDRUN_KIND_CONNECTOR)))
    {
      const CloudRunSpecConnector *c = o;
      g_autofree char *id = g_strconcat ("connector ", c->base.name, NULL);
      g_autofree char *block = cidr_text (c->block);
      g_autofree char *label = g_strdup_printf ("%s\n%s", id, block);
      return node_add (p, id, label, box_region (p, c->network, c->region),
                       COL_SUBNET, FILL_VPC);
    }
  if ((o = named (p, name, "ilb-", CLOUDRUN_KIND_INTERNAL_ALB)))
    {
      const CloudRunSpecInternalAlb *a = o;
      g_autofree char *id = g_strconcat ("internal ALB ", a->base.name, NULL);
      g_autofree char *addr = address_text (a->address);
      g_autofree char *label = g_strdup_printf (
        "%s\n%s%s", id, addr, a->global_access ? "\nglobal access" : "");
      return node_add (p, id, label, box_region (p, a->network, a->region),
                       COL_ROUTER, FILL_VPC);
    }
  if ((o = named (p, name, "alb-", CLOUDRUN_KIND_EXTERNAL_ALB)))
    {
      const CloudRunSpecExternalAlb *a = o;
      g_autofree char *id = g_strconcat ("external ALB ", a->base.name, NULL);
      g_autofree char *addr = address_text (a->address);
      g_autofree char *label = g_strdup_printf ("%s\n%s", id, addr);
      return node_add (p, id, label, box_named (p, "edge"), COL_EDGE,
                       FILL_GOOGLE);
    }
  if ((o = named (p, name, "psc-", CLOUDRUN_KIND_PSC_ENDPOINT)))
    {
      const CloudRunSpecPscEndpoint *e = o;
      g_autofree char *id = g_strconcat ("PSC endpoint ", e->base.name, NULL);
      g_autofree char *addr = address_text (e->address);
      g_autofree char *label = g_strdup_printf (
        "%s\n%s, %s", id, addr,
        vpc_psc_bundle_name (e->bundle));
      return node_add (p, id, label, box_network (p, e->network), COL_ROUTER,
                       FILL_VPC);
    }
  if (strcmp (k, "vpc-router") == 0
      && (o = named (p, name, "vpc-servicenetworking-",
                     CLOUDRUN_KIND_NETWORK)))
    return node_add (p, name, "producer network\nservicenetworking",
                     box_producer (p, o), COL_ROUTER, FILL_GOOGLE);
  if ((o = named (p, name, "managed-", CLOUDRUN_KIND_MANAGED_INSTANCE)))
    {
      const CloudRunSpecManagedInstance *m = o;
      g_autofree char *addr = address_text (m->address);
      g_autofree char *label = g_strdup_printf (
        "%s %s\n%s", cloudrun_enum_name (CLOUDRUN_KIND_MANAGED_INSTANCE,
                                          "product", m->product),
        m->base.name, addr);
      return node_add (p, name, label, box_producer (p, m->access->network),
                       COL_SUBNET, FILL_GOOGLE);
    }
  if ((o = named (p, name, "nat-", CLOUDRUN_KIND_NAT)))
    {
      const CloudRunSpecNat *nat = o;
      g_autofree char *id = g_strconcat ("Cloud NAT ", nat->base.name, NULL);
      return node_add (p, id, id, box_region (p, nat->network, nat->region),
                       COL_ROUTER, FILL_VPC);
    }
  if ((o = cloudrun_scenario_find (p->sc, CLOUDRUN_KIND_GOOGLE_CALLER, name)))
    {
      const CloudRunSpecGoogleCaller *g = o;
      g_autofree char *label = g_strdup_printf (
        "%s\n%s", name, cloudrun_enum_name (CLOUDRUN_KIND_GOOGLE_CALLER,
                                            "product", g->product));
      return node_add (p, name, label, box_named (p, "products"), COL_EDGE,
                       FILL_GOOGLE);
    }
  return node_add (p, name, name, box_named (p, "edge"), COL_EDGE,
                   FILL_GOOGLE);
}

/* Whether a link is one every calling service has (to the GFE that would
 * serve it, to Cloud Run's internet egress): the picture leaves those to
 * the paths. */
static gboolean
link_is_everywhere (const GraphNode *a, const GraphNode *b)
{
  if (!g_str_has_prefix (a->id, "service "))
    return FALSE;
  return strcmp (b->id, "Cloud Run egress") == 0
    || (strcmp (b->id, "GFE") == 0 && a->column == COL_CALLER);
}

/* One link, once, from the left column to the right. */
static void
link_add (GraphPicture *pic, GHashTable *seen, int a, int b)
{
  GraphNode *na, *nb;
  g_autofree char *key = NULL;
  int pair[2];

  if (a < 0 || b < 0 || a == b)
    return;
  na = g_ptr_array_index (pic->nodes, a);
  nb = g_ptr_array_index (pic->nodes, b);
  if (link_is_everywhere (na, nb) || link_is_everywhere (nb, na))
    return;
  pair[0] = nb->column < na->column ? b : a;
  pair[1] = pair[0] == a ? b : a;
  key = g_strdup_printf ("%d %d", MIN (a, b), MAX (a, b));
  if (g_hash_table_contains (seen, key))
    return;
  g_hash_table_add (seen, g_steal_pointer (&key));
  g_array_append_vals (pic->links, pair, 2);
}

/* A VM hangs off its subnet, not off the router: the end of a link at
 * node, whose other end is other, with the VM's link to its subnet. */
static int
link_end (Picture *p, int node, int other)
{
  GraphNode *n, *o;
  const CloudRunSpecVm *vm;
  int sub;

  if (node < 0 || other < 0)
    return node;
  n = g_ptr_array_index (p->pic->nodes, node);
  o = g_ptr_array_index (p->pic->nodes, other);
  if (!g_str_has_prefix (o->id, "router ") || !g_str_has_prefix (n->id, "VM ")
      || !(vm = cloudrun_scenario_find (p->sc, CLOUDRUN_KIND_VM, n->id + 3)))
    return node;
  sub = node_subnet (p, vm->subnet);
  link_add (p->pic, p->seen, node, sub);
  return sub;
}

GraphPicture *
graph_picture_new (const CloudRunScenario *sc, CloudRunWorld *world)
{
  SimWorld *sim = world->sim;
  GraphPicture *pic = g_new0 (GraphPicture, 1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
  Picture p = { .pic = pic, .sc = sc, .seen = seen };
  guint written = 0;

  pic->nodes = g_ptr_array_new ();
  pic->boxes = g_ptr_array_new ();
  pic->links = g_array_new (FALSE, FALSE, sizeof (int));
  pic->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  pic->box_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           NULL);
  pic->n_sim = sim_world_n_nodes (sim);
  pic->of_sim = g_new (int, pic->n_sim);
  p.callers = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->projects->len; i++)
    written += !((CloudRunSpecProject *) g_ptr_array_index (sc->projects, i))
                  ->implicit;
  p.projects = written > 1;
  for (guint i = 0; i < sc->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = g_ptr_array_index (sc->traffics, i);
      if (t->from.kind == CLOUDRUN_KIND_SERVICE)
        g_hash_table_add (p.callers, t->from.service->base.name);
    }
  /* The boxes' order, top to bottom. */
  box_named (&p, "internet");
  box_named (&p, "products");
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (sc->services, i);
      if (g_hash_table_contains (p.callers, s->base.name))
        box_run (&p, s->region, TRUE);
    }
  for (guint i = 0; i < sc->subnets->len; i++)
    node_subnet (&p, g_ptr_array_index (sc->subnets, i));
  box_named (&p, "edge");
  for (guint i = 0; i < pic->n_sim; i++)
    pic->of_sim[i] = node_of (&p, sim_world_node (sim, i));
  for (guint i = 0; i < sim_world_n_links (sim); i++)
    {
      SimLink *l = sim_world_link (sim, i);
      int a = pic->of_sim[sim_link_end (l, 0)->node->id];
      int b = pic->of_sim[sim_link_end (l, 1)->node->id];
      int a2 = link_end (&p, a, b), b2 = link_end (&p, b, a);

      link_add (pic, seen, a2, b2);
    }
  for (guint i = 0; i < sc->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sub = g_ptr_array_index (sc->subnets, i);
      link_add (pic, seen, node_subnet (&p, sub),
                node_router (&p, sub->network));
    }
  g_hash_table_unref (p.callers);
  return pic;
}

int
graph_picture_of_name (const GraphPicture *pic, SimWorld *sim,
                       const char *name)
{
  SimNode *n = name ? sim_world_find_node (sim, name) : NULL;

  return n && n->id < pic->n_sim ? pic->of_sim[n->id] : -1;
}

void
graph_picture_free (GraphPicture *pic)
{
  if (!pic)
    return;
  for (guint i = 0; i < pic->nodes->len; i++)
    {
      GraphNode *n = g_ptr_array_index (pic->nodes, i);
      g_free (n->id);
      g_free (n->label);
      g_free (n);
    }
  for (guint i = 0; i < pic->boxes->len; i++)
    {
      GraphBox *b = g_ptr_array_index (pic->boxes, i);
      g_free (b->label);
      g_free (b);
    }
  g_ptr_array_unref (pic->nodes);
  g_ptr_array_unref (pic->boxes);
  g_array_unref (pic->links);
  g_hash_table_unref (pic->by_id);
  g_hash_table_unref (pic->box_by_key);
  g_free (pic->of_sim);
  g_free (pic);
}
