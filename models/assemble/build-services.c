/* The builder: services (their instances behind the GFE and, for a service
 * that sends traffic, its egress: metadata resolver, default internet
 * egress, connector or Direct VPC, wired by build_caller_path and
 * build_caller_instance, which jobs and worker pools share:
 * models/assemble/build-workers.c), internet clients and the traffic. */
#include "models/assemble/build-private.h"

#include "models/world/connector.h"
#include "models/world/direct-vpc.h"
#include "models/world/gfe.h"
#include "models/world/product-caller.h"
#include "models/world/region-latency.h"
#include "models/world/service.h"
#include "sim/wire.h"

/* Whether the service sends any [traffic]. */
static bool
build_is_caller (Build *b, const CloudRunSpecService *s)
{
  for (guint i = 0; i < b->sc->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = g_ptr_array_index (b->sc->traffics, i);
      if (t->from.kind == CLOUDRUN_KIND_SERVICE && t->from.service == s)
        return true;
    }
  return false;
}

/* Direct VPC addresses: the subnet's /28 blocks that no other resource
 * uses are held until they cover direct-vpc-ip-factor addresses per
 * instance; each instance takes the next usable address of the held
 * blocks. Instances beyond what the held blocks cover get 0. svc (NULL:
 * a job or worker pool) counts the blocks as its own
 * (models/world/service.h, address pools). */
static void
build_direct_addresses (Build *b, const CloudRunSpecSubnet *subnet, uint32_t n,
                        uint32_t *out, CloudRunServiceNode *svc)
{
  uint32_t size = 1u << (32 - subnet->range.len);
  uint32_t first = subnet->range.prefix + 2;
  uint32_t last = subnet->range.prefix + size - 3;
  uint32_t factor = (uint32_t) MAX (1, b->sc->assumptions.direct_vpc_ip_factor);
  uint32_t held = 0, given = 0, usable;

  memset (out, 0, n * sizeof *out);
  for (uint32_t base = subnet->range.prefix;
       base < subnet->range.prefix + size && held < n * factor; base += 16)
    {
      bool free_block = true;
      for (uint32_t a = base; a < base + 16 && free_block; a++)
        free_block = !g_hash_table_contains (b->taken, GUINT_TO_POINTER (a));
      if (!free_block)
        continue;
      held += 16;
      usable = 0;
      for (uint32_t a = base; a < base + 16; a++)
        {
          /* The whole block is held, used or not. */
          g_hash_table_add (b->taken, GUINT_TO_POINTER (a));
          usable += a >= first && a <= last;
          if (given < n && a >= first && a <= last
              && (given + 1) * factor <= held)
            out[given++] = a;
        }
      if (svc)
        cloudrun_service_hold_block (svc, usable);
    }
}

static CloudRunServerlessEgress *
build_egress (Build *b)
{
  if (!b->egress)
    {
      b->egress = cloudrun_serverless_egress_new (b->world, EGRESS_POOL);
      sim_link_new (b->world->sim, b->egress->internet,
                    cloudrun_internet_attach (b->internet, "run-egress",
                                              EGRESS_POOL, 32,
                                              "Cloud Run's default internet "
                                              "egress (dynamic pool)"),
                    &cloudrun_google_link, NULL);
    }
  return b->egress;
}

static CloudRunRevisionEgress *
build_egress_config (Build *b, const BuildWorkload *wl)
{
  CloudRunRevisionEgress *cfg = g_new0 (CloudRunRevisionEgress, 1);

  cfg->kind = wl->kind;
  cfg->service = wl->name;
  cfg->access = wl->w->vpc_access;
  cfg->egress = wl->w->vpc_egress;
  cfg->private_ranges = b->world->private_ranges;
  g_ptr_array_add (b->world->egress, cfg);
  return cfg;
}

static const CloudRunSpecNetwork *
build_service_network (const CloudRunSpecWorkload *w)
{
  if (w->vpc_access == VPC_ACCESS_CONNECTOR)
    return w->connector->network;
  if (w->vpc_access == VPC_ACCESS_DIRECT)
    return w->subnet->network;
  return NULL;
}

/* Whether a Direct VPC workload's instances use the subnet's IPv6: a
 * dual-stack subnet with internal IPv6 (Google's dual-stack page), or an
 * external one when [assumptions] run-external-ipv6 = allowed. */
static bool
build_direct_ipv6 (Build *b, const CloudRunSpecSubnet *sn)
{
  return sn->stack_type == VPC_STACK_IPV4_IPV6
         && (sn->ipv6_access_type == VPC_IPV6_ACCESS_INTERNAL
             || b->sc->assumptions.run_external_ipv6
                == CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED);
}

/* A Direct VPC instance's IPv6 address: Google documents none of how it
 * picks it, so the model takes the subnet's /64, the /96 ffff:ffff (VMs
 * count theirs from 1 up) and the instance's IPv4 address as the last 32
 * bits: deterministic, and one per IPv4 address. */
static SimIp6
build_direct_address6 (const VpcCidr6 *subnet6, uint32_t addr)
{
  SimIp6 a = subnet6->prefix;

  memset (a.b + 8, 0xff, 4);
  a.b[12] = (uint8_t) (addr >> 24);
  a.b[13] = (uint8_t) (addr >> 16);
  a.b[14] = (uint8_t) (addr >> 8);
  a.b[15] = (uint8_t) addr;
  return a;
}

/* The VPC side of a Direct VPC workload: a node, and a router port whose
 * sources are the instances' subnet addresses. */
static CloudRunDirectVpc *
build_direct_vpc (Build *b, const BuildWorkload *wl,
                  const CloudRunRevisionEgress *cfg, const uint32_t *addrs,
                  guint n)
{
  const CloudRunSpecWorkload *w = wl->w;
  BuildNetwork *net = build_network (b, w->subnet->network);
  CloudRunDirectVpc *d = cloudrun_direct_vpc_new (b->world, wl->node, cfg);

  d->start_delay = b->sc->assumptions.direct_vpc_start_delay;
  g_autofree char *label = g_strdup_printf ("Direct VPC of %s %s", wl->kind,
                                            wl->name);
  g_autofree char *port_name = g_strdup_printf ("direct-%s", wl->node);
  CloudRunVpcSource src =
    build_vpc_source (CLOUDRUN_VPC_SOURCE_DIRECT_VPC, label, w->subnet,
                      build_nat_for (b, w->subnet, w->subnet->network,
                                     w->subnet->region));
  SimPort *rport;

  src.tags = (const char *const *) w->network_tags;
  src.service_account = w->service_account;
  rport = cloudrun_vpc_router_attach (net->router, port_name, &src);

  for (guint i = 0; i < n; i++)
    if (addrs[i])
      {
        cloudrun_vpc_router_deliver (net->router, rport, addrs[i], 32, label);
        if (cfg->subnet6.len)
          {
            SimIp6 a6 = build_direct_address6 (&cfg->subnet6, addrs[i]);

            cloudrun_vpc_router_deliver6 (net->router, rport, &a6, 128,
                                          label);
          }
      }
  sim_link_new (b->world->sim, d->vpc, rport, &cloudrun_vpc_link, NULL);
  return d;
}

void
build_caller_path (Build *b, const BuildWorkload *wl, uint32_t n,
                   uint32_t *addrs, CloudRunServiceNode *svc,
                   BuildCallerPath *out)
{
  const CloudRunSpecNetwork *network = build_service_network (wl->w);

  out->net = network ? build_network (b, network) : NULL;
  out->cfg = build_egress_config (b, wl);
  out->egress = build_egress (b);
  out->direct = NULL;
  out->conn = NULL;
  memset (addrs, 0, n * sizeof *addrs);
  if (wl->w->vpc_access == VPC_ACCESS_DIRECT)
    {
      build_direct_addresses (b, wl->w->subnet, n, addrs, svc);
      if (build_direct_ipv6 (b, wl->w->subnet))
        out->cfg->subnet6 = (VpcCidr6) {
          wl->w->subnet->ipv6_range.prefix, wl->w->subnet->ipv6_range.len };
      out->direct = build_direct_vpc (b, wl, out->cfg, addrs, n);
    }
  else if (wl->w->vpc_access == VPC_ACCESS_CONNECTOR)
    out->conn = g_hash_table_lookup (b->connectors, wl->w->connector);
}

void
build_caller_instance (Build *b, const BuildCallerPath *p, SimNode *node,
                       SimHost *host, const char *out_name, uint32_t addr,
                       bool cold, SimTime cold_at)
{
  SimPort *meta = sim_node_add_port (node, "metadata");
  SimPort *out = out_name ? sim_node_add_port (node, out_name)
                          : host->default_port;
  SimPort *vpc = NULL;

  sim_link_new (b->world->sim, meta,
                build_metadata_port (b, p->net, node->name, host->addrs[0]),
                &cloudrun_serving_link, NULL);
  sim_link_new (b->world->sim, out,
                cloudrun_serverless_egress_attach (p->egress, node->name,
                                                   p->cfg, host),
                &cloudrun_serving_link, NULL);
  if (p->direct || p->conn)
    {
      SimPort *side;

      vpc = sim_node_add_port (node, "vpc");
      side = p->direct ? cloudrun_direct_vpc_attach (p->direct, node->name,
                                                     addr, host)
                       : cloudrun_connector_attach (p->conn, node->name,
                                                    p->cfg, host);
      sim_link_new (b->world->sim, vpc, side,
                    p->direct ? &cloudrun_direct_vpc_link
                              : &cloudrun_serving_link, NULL);
      if (p->direct && cold)
        cloudrun_direct_vpc_cold_start (p->direct, side, cold_at);
      if (p->direct && addr && p->cfg->subnet6.len)
        {
          SimIp6 a6 = build_direct_address6 (&p->cfg->subnet6, addr);

          sim_host_add_address6 (host, &a6);
          cloudrun_direct_vpc_attach6 (p->direct, side, &a6);
        }
    }
  if (p->direct && addr)
    {
      sim_host_add_address (host, addr);
      sim_host_set_port_source (host, vpc, addr);
    }
  cloudrun_egress_configure (host, p->cfg, out, vpc);
  sim_host_add_route (host, METADATA_ADDR, 32, meta);
}

/* A calling service's instances get their egress: a metadata resolver,
 * the default internet egress, and the connector or Direct VPC. */
static void
build_caller (Build *b, const CloudRunSpecService *s, CloudRunServiceNode *svc)
{
  BuildWorkload wl = { "service", s->base.name, s->base.name, &s->workload };
  g_autofree uint32_t *addrs = g_new0 (uint32_t, svc->instances->len);
  BuildCallerPath path;

  build_caller_path (b, &wl, svc->instances->len, addrs, svc, &path);
  for (guint i = 0; i < svc->instances->len; i++)
    {
      CloudRunInstance *inst = g_ptr_array_index (svc->instances, i);

      /* The caller's first instance, unless warm before the run
       * (min-instances), starts cold at 0 (build_services). */
      build_caller_instance (b, &path, &inst->base.node, &inst->host,
                             "egress", addrs[i], i == 0 && !inst->started, 0);
      sim_host_add_route (&inst->host, GFE_SERVING, 32,
                          inst->host.default_port);
    }
}

/* Behind the GFE: a port and a link (at build time or when it scales). */
static void
build_attach_instance (CloudRunInstance *inst, void *user)
{
  CloudRunGfe *gfe = user;

  sim_link_new (inst->base.world->sim,
                cloudrun_gfe_add_instance_port (gfe, inst),
                inst->host.default_port, &cloudrun_serving_link, NULL);
}

/* Blocks a pool holds at most: 1000 instances x 16 addresses, in blocks
 * of at least 12 usable addresses. */
#define POOL_MAX_BLOCKS 1334u

/* Direct VPC's address pools: per subnet a Direct VPC service sends
 * from, its /28 blocks no address of the scenario or earlier reservation
 * touches, lowest taken first. Each such service holds at start the
 * blocks its running instances need (a caller's were reserved with its
 * first instances' addresses). */
static void
build_direct_pools (Build *b, GPtrArray *svcs)
{
  g_autoptr (GHashTable) pools = g_hash_table_new (NULL, NULL);

  b->world->ip_pools = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_address_pool_free);
  for (guint i = 0; i < b->sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (b->sc->services, i);
      CloudRunServiceNode *svc = g_ptr_array_index (svcs, i);
      const CloudRunSpecSubnet *sn = s->subnet;
      CloudRunAddressPool *pool;

      if (s->vpc_access != VPC_ACCESS_DIRECT)
        continue;
      pool = g_hash_table_lookup (pools, sn);
      if (!pool)
        {
          uint32_t size = 1u << (32 - sn->range.len);
          uint32_t bs = MIN (16u, size);  /* a /29 is one block of 8 */
          pool = g_new0 (CloudRunAddressPool, 1);
          pool->subnet = g_strdup (sn->base.name);
          pool->free_blocks = g_array_new (FALSE, FALSE, sizeof (uint32_t));
          /* The lowest blocks, enough for any service's instances (1000
           * at most, 16 addresses each at most); reversed below, so that
           * taking from the end takes the lowest. */
          for (uint32_t k = 0; k < size / bs
                               && pool->free_blocks->len < POOL_MAX_BLOCKS;
               k++)
            {
              uint32_t base = sn->range.prefix + k * bs, usable = 0;
              bool free_block = true;
              for (uint32_t a = base; a < base + bs && free_block; a++)
                {
                  free_block = !g_hash_table_contains (b->taken,
                                                       GUINT_TO_POINTER (a));
                  usable += a >= sn->range.prefix + 2
                            && a <= sn->range.prefix + size - 3;
                }
              if (free_block && usable > 0)
                g_array_append_val (pool->free_blocks, usable);
            }
          for (guint lo = 0, hi = pool->free_blocks->len; lo + 1 < hi;
               lo++, hi--)
            {
              uint32_t *v = (uint32_t *) (gpointer) pool->free_blocks->data;
              uint32_t t = v[lo];
              v[lo] = v[hi - 1];
              v[hi - 1] = t;
            }
          g_hash_table_insert (pools, (gpointer) sn, pool);
          g_ptr_array_add (b->world->ip_pools, pool);
        }
      cloudrun_service_use_addresses (
        svc, pool, (uint32_t) MAX (1, b->sc->assumptions.direct_vpc_ip_factor));
    }
}

/* The custom domains mapped to s, NULL-terminated (strings borrowed). */
static GPtrArray *
build_domains (const CloudRunScenario *sc, const CloudRunSpecService *s)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < sc->domain_mappings->len; i++)
    {
      const CloudRunSpecDomainMapping *m = sc->domain_mappings->pdata[i];
      if (m->service == s)
        g_ptr_array_add (out, m->domain);
    }
  g_ptr_array_add (out, NULL);
  return out;
}

/* The service's record, or with [revision] groups one per revision, each
 * config's revision-level settings its own; returns the lead (the first
 * revision), whose first instance sends the service's own traffic. */
static CloudRunServiceNode *
build_revisions (Build *b, const CloudRunSpecService *s,
                 CloudRunServiceNode *config)
{
  CloudRunServiceNode *lead = NULL;

  if (s->revisions->len == 0)
    return cloudrun_service_new (b->world, config);
  for (guint i = 0; i < s->revisions->len; i++)
    {
      const CloudRunSpecRevision *r = g_ptr_array_index (s->revisions, i);
      CloudRunServiceNode *rev;

      config->revision = r->base.name;
      config->percent = (uint32_t) r->percent;
      config->tag_hash_host = r->tag_hash_host;
      config->tag_number_host = r->tag_number_host;
      config->min_instances = (uint32_t) r->min_instances;
      config->max_instances = (uint32_t) r->max_instances;
      config->concurrency = (uint32_t) r->concurrency;
      config->cold_start = r->cold_start;
      config->service_time = r->service_time;
      config->response_size = r->response_size;
      config->base_addr = r->serving_base;
      config->lead = lead;
      rev = cloudrun_service_new (b->world, config);
      if (!lead)
        lead = rev;
    }
  return lead;
}

void
build_services (Build *b)
{
  g_autoptr (GPtrArray) svcs = g_ptr_array_new ();

  for (guint i = 0; i < b->sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (b->sc->services, i);
      const CloudRunSpecNetwork *network
        = build_service_network (&s->workload);
      g_autoptr (GArray) invokers = build_invokers (s->invokers);
      g_autoptr (GPtrArray) domains = build_domains (b->sc, s);
      g_autoptr (GArray) iap_access = build_invokers (s->iap_access);
      g_autofree char *iap_resource = g_strdup_printf (
        "/projects/%" G_GUINT64_FORMAT "/locations/%s/services/%s",
        s->project->number, s->region, s->base.name);
      CloudRunServiceNode config = {
        .name = s->base.name, .project = s->project->base.name,
        .project_number = s->project->number,
        .perimeter = build_perimeter (b, s->project),
        .egress_vni = network ? build_network (b, network)->vni : 0,
        .region = s->region, .ingress = s->ingress,
        .default_url = s->default_url,
        .invokers = (const IamPrincipal *) (gpointer) invokers->data,
        .n_invokers = invokers->len,
        .service_account = s->service_account,
        .custom_audiences = (const char *const *) s->custom_audiences,
        .domains = (const char *const *) domains->pdata,
        .iap_config = {
          .enabled = s->iap,
          .access = (const IamPrincipal *) (gpointer) iap_access->data,
          .n_access = iap_access->len,
          .project_number = s->project->number, .resource = iap_resource,
        },
        .concurrency = (uint32_t) s->concurrency,
        .min_instances = (uint32_t) s->min_instances,
        .max_instances = (uint32_t) s->max_instances,
        .cold_start = s->cold_start, .hash_host = s->hash_host,
        .number_host = s->number_host, .service_time = s->service_time,
        .response_size = s->response_size,
        .pending_wait = b->sc->assumptions.pending_wait,
        .idle_timeout = b->sc->assumptions.instance_idle_timeout,
        .base_addr = s->serving_base,
        .attach = build_attach_instance, .attach_user = b->gfe,
      };
      CloudRunServiceNode *svc = build_revisions (b, s, &config);

      g_ptr_array_add (svcs, svc);
      if (build_is_caller (b, s))
        {
          CloudRunInstance *first = g_ptr_array_index (svc->instances, 0);
          build_caller (b, s, svc);
          /* Its traffic is sent by its first instance, running from 0. */
          cloudrun_service_start_early (first);
          g_hash_table_insert (b->callers, s->base.name, &first->requester);
        }
    }
  /* Jobs' and worker pools' blocks before the services' scaling pools. */
  build_workers (b);
  build_direct_pools (b, svcs);
}

void
build_clients (Build *b)
{
  for (guint i = 0; i < b->sc->clients->len; i++)
    {
      const CloudRunSpecClient *c = g_ptr_array_index (b->sc->clients, i);
      CloudRunEndpoint *ep = cloudrun_endpoint_new (b->world, c->base.name,
                                                    CLOUDRUN_HOP_CLIENT, "eth0",
                                                    c->address,
                                                    PUBLIC_RESOLVER);
      g_autofree char *label = g_strdup_printf ("the client %s", c->base.name);

      SimPort *port = cloudrun_internet_attach (b->internet, c->base.name,
                                                c->address, 32, label);

      /* Where it is; none: wherever its target is (no backbone). */
      ep->host.origin = cloudrun_region_origin (c->location);
      /* A dual-stack client: its IPv6 address makes its requester ask
       * AAAA too (AI_ADDRCONFIG); the internet routes it back here. */
      if (cloudrun_object_has (&c->base, "ipv6-address"))
        {
          sim_host_add_address6 (&ep->host, &c->ipv6_address);
          cloudrun_internet_add_route6 (b->internet, port, &c->ipv6_address,
                                        128, label);
        }
      sim_link_new (b->world->sim, port, ep->host.default_port,
                    &cloudrun_access_link, NULL);
      g_hash_table_insert (b->callers, c->base.name, &ep->requester);
    }
}

/* Google products' source addresses: 34.98.1.10 upwards, beside Cloud
 * Run's default egress (34.98.0.16) [assumption: Google does not document
 * which of its addresses these products call from]. */
#define GOOGLE_CALLER_FIRST 0x2262010au
/* Their VNIs on the fabric, apart from networks' and load balancers'. */
#define GOOGLE_CALLER_VNI 0x900000u

static const char *const product_labels[] = {
  [CLOUDRUN_PRODUCT_PUBSUB_PUSH] = "Pub/Sub push",
  [CLOUDRUN_PRODUCT_CLOUD_TASKS] = "Cloud Tasks",
  [CLOUDRUN_PRODUCT_CLOUD_SCHEDULER] = "Cloud Scheduler",
  [CLOUDRUN_PRODUCT_EVENTARC] = "Eventarc",
  [CLOUDRUN_PRODUCT_WORKFLOWS] = "Workflows",
  [CLOUDRUN_PRODUCT_DIALOGFLOW_CX] = "Dialogflow CX",
  [CLOUDRUN_PRODUCT_BIGQUERY] = "BigQuery",
  [CLOUDRUN_PRODUCT_SYNTHETIC_MONITOR] = "Synthetic monitor",
  [CLOUDRUN_PRODUCT_UPTIME_CHECK] = "Uptime check",
  [CLOUDRUN_PRODUCT_FIREBASE_HOSTING] = "Firebase Hosting",
};
G_STATIC_ASSERT (G_N_ELEMENTS (product_labels)
                 == CLOUDRUN_PRODUCT_FIREBASE_HOSTING + 1);

void
build_google_callers (Build *b)
{
  for (guint i = 0; i < b->sc->google_callers->len; i++)
    {
      const CloudRunSpecGoogleCaller *g
        = g_ptr_array_index (b->sc->google_callers, i);
      uint32_t addr = GOOGLE_CALLER_FIRST + i;
      CloudRunFabricIdentity id = {
        .kind = CLOUDRUN_FABRIC_GOOGLE_PRODUCT, .vni = GOOGLE_CALLER_VNI + i,
        .project_number = g->project->number,
      };
      g_autofree char *label = g_strdup_printf (
          "%s %s of project %s", product_labels[g->product], g->base.name,
          g->project->base.name);
      CloudRunGfeNetwork info = {
        id.vni, sim_explain_intern (sim_world_explain (b->world->sim), label),
        g->project->number, build_perimeter (b, g->project),
        g_array_new (FALSE, FALSE, sizeof (uint64_t)),
      };
      /* Google's list of internal sources leaves Firebase Hosting out:
       * its rewrites come from the internet. */
      gboolean inside = g->product != CLOUDRUN_PRODUCT_FIREBASE_HOSTING;
      CloudRunProductCaller *gc = cloudrun_product_caller_new (
          b->world, g->base.name, addr, PUBLIC_RESOLVER,
          inside ? build_fabric_addr (b) : 0, GFE_FABRIC,
          inside ? &id : NULL);

      gc->host.origin = cloudrun_region_origin (g->region);
      sim_link_new (b->world->sim,
                    cloudrun_internet_attach (b->internet, g->base.name, addr,
                                              32, label),
                    gc->host.default_port, &cloudrun_access_link, NULL);
      if (g->product == CLOUDRUN_PRODUCT_CLOUD_TASKS)
        cloudrun_product_caller_be_tasks (gc, build_perimeter (b, g->project));
      if (inside)
        {
          build_gfe_fabric (b, gc->fabric, g->base.name);
          cloudrun_gfe_add_network (b->gfe, &info);
        }
      else
        g_array_unref (info.shared_with);
      g_hash_table_insert (b->callers, g->base.name, &gc->requester);
    }
}

void
build_traffic (Build *b)
{
  CloudRunWorld *w = b->world;
  guint n_worker = 0, used = 0;

  w->n_plans = b->sc->traffics->len;
  w->plans = g_new0 (CloudRunTrafficPlan, MAX (1u, w->n_plans));
  for (guint i = 0; i < b->sc->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = g_ptr_array_index (b->sc->traffics, i);
      if (g_hash_table_contains (b->workers, t->from.object))
        n_worker += cloudrun_traffic_senders (t);
    }
  w->worker_plans = g_new0 (CloudRunTrafficPlan, MAX (1u, n_worker));
  for (guint i = 0; i < b->sc->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = g_ptr_array_index (b->sc->traffics, i);
      CloudRunTrafficPlan *p = &w->plans[i];
      CloudRunRequester *from;
      uint32_t total = (uint32_t) t->count * cloudrun_traffic_senders (t);

      *p = (CloudRunTrafficPlan) {
        .traffic = i, .name = t->base.name, .host = t->url.host,
        .host_addr = t->url.host_kind == CLOUDRUN_URL_HOST_ADDRESS
                     ? t->url.address : 0,
        .port = t->url.port, .tls = t->url.scheme == CLOUDRUN_URL_HTTPS,
        .connect_only = t->url.scheme == CLOUDRUN_URL_TCP,
        .reuse = t->connections == CLOUDRUN_CONNECTIONS_REUSE,
        .selection = t->address_selection,
        .path = t->url.path, .method = t->method,
        .request_size = t->request_size, .count = total,
        .interval = t->gap, .mean_interval = t->gap,
        .poisson = t->pattern == CLOUDRUN_PATTERN_POISSON, .start = t->start,
        .timeout = t->timeout,
        .id_token = t->identity == CLOUDRUN_IDENTITY_ID_TOKEN,
        .token_email = build_caller_account (&t->from),
        .audience = t->audience,
        .serverless_header
          = t->token_header == CLOUDRUN_TOKEN_HEADER_X_SERVERLESS,
        .first_request = cloudrun_ledger_add_traffic (&w->ledger, total,
                                                      t->base.name),
      };
      if (g_hash_table_contains (b->workers, t->from.object))
        {
          cloudrun_ledger_split_traffic (&w->ledger,
                                         cloudrun_traffic_senders (t));
          build_worker_plans (b, t, p, w->worker_plans + used);
          used += cloudrun_traffic_senders (t);
          continue;
        }
      from = g_hash_table_lookup (b->callers, t->from.object->name);
      g_assert (from != NULL);
      cloudrun_requester_add_traffic (from, p);
    }
}

