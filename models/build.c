/* The world builder (see models/build.h).
 *
 * Address plan and timing of the parts no scenario names:
 *   public resolver 8.8.8.8 on the internet; the Google front ends answer
 *   on 216.239.32.53, .34.53, .36.53, .38.53 (routed as 216.239.32.0/19);
 *   Cloud Run instances serve on 169.254.S.N behind the GFE, which speaks
 *   to them from 169.254.0.1.
 *   internet access links: 5 ms, 1 Gbit/s; internet to GFE: 1 ms,
 *   10 Gbit/s; GFE to instance: 100 us, 10 Gbit/s; queues 1000 packets. */
#include "models/build.h"

#include "models/client.h"
#include "models/dns-server.h"
#include "models/gfe.h"
#include "models/internet.h"
#include "models/service.h"
#include "sim/wire.h"

#define PUBLIC_RESOLVER 0x08080808u         /* 8.8.8.8 */
#define GFE_SERVING 0xa9fe0001u             /* 169.254.0.1 */
#define GOOGLE_FRONT_ENDS 0xd8ef2000u       /* 216.239.32.0/19 */
#define GFE_FABRIC 0x647ffffeu              /* 100.127.255.254 */

static const SimLinkParams access_link = { 5 * SIM_MS, 1000000000u, 1000, 0 };
static const SimLinkParams google_link = { SIM_MS, 10000000000u, 1000, 0 };
static const SimLinkParams serving_link = { 100 * SIM_US, 10000000000u,
                                            1000, 0 };

static gboolean
build_not_yet (const CloudRunScenario *sc, GPtrArray *objects, GError **error)
{
  const CloudRunObject *o;

  if (!objects || objects->len == 0)
    return TRUE;
  o = g_ptr_array_index (objects, 0);
  g_set_error (error, CLOUDRUN_SCENARIO_ERROR, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
               "%s: [%s]: expected a scenario this version can simulate "
               "(internet clients calling services), found a %s group; VPC "
               "resources are not simulated yet", sc->path, o->group,
               cloudrun_kind_info (o->kind)->name);
  return FALSE;
}

static gboolean
build_check_supported (const CloudRunScenario *sc, GError **error)
{
  GPtrArray *unsupported[] = {
    sc->networks, sc->subnets, sc->routes, sc->firewalls, sc->nats,
    sc->connectors, sc->vms, sc->dns_zones, sc->psc_endpoints,
    sc->internal_albs, sc->external_albs,
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (unsupported); i++)
    if (!build_not_yet (sc, unsupported[i], error))
      return FALSE;
  for (guint i = 0; i < sc->traffics->len; i++)
    {
      const CloudRunTraffic *t = g_ptr_array_index (sc->traffics, i);
      if (t->from.kind != CLOUDRUN_KIND_CLIENT)
        {
          g_set_error (error, CLOUDRUN_SCENARIO_ERROR,
                       CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                       "%s: [%s] from: expected an internet client (the only "
                       "caller this version simulates), found '%s'", sc->path,
                       t->base.group, t->from_name);
          return FALSE;
        }
    }
  return TRUE;
}

static void
build_services (CloudRunWorld *world, const CloudRunScenario *sc,
                CloudRunGfe *gfe)
{
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunService *s = g_ptr_array_index (sc->services, i);
      CloudRunServiceNode config = {
        .name = s->base.name, .project = s->project->base.name,
        .project_number = s->project->number, .region = s->region,
        .ingress = s->ingress, .default_url = s->default_url,
        .authenticated = s->invokers == CLOUDRUN_INVOKERS_AUTHENTICATED,
        .concurrency = (uint32_t) s->concurrency,
        .min_instances = (uint32_t) s->min_instances,
        .max_instances = (uint32_t) s->max_instances,
        .cold_start = s->cold_start, .hash_host = s->hash_host,
        .number_host = s->number_host,
      };
      uint32_t n = MAX (1u, config.min_instances);
      uint32_t base = 0xa9fe0000u | ((i + 1) << 8) | 10;
      CloudRunServiceNode *svc;

      n = MIN (n, MAX (1u, config.max_instances));
      n = MIN (n, 240u);
      svc = cloudrun_service_new (world, &config, n, base, s->service_time,
                                  s->response_size);
      for (guint k = 0; k < svc->instances->len; k++)
        {
          CloudRunInstance *inst = g_ptr_array_index (svc->instances, k);
          SimPort *gport = cloudrun_gfe_add_instance_port (gfe, inst);
          sim_link_new (world->sim, gport, inst->host.default_port,
                        &serving_link, NULL);
        }
    }
}

static void
build_traffic (CloudRunWorld *world, const CloudRunScenario *sc,
               GHashTable *clients)
{
  uint32_t next_id = 1;

  world->n_plans = sc->traffics->len;
  world->plans = g_new0 (CloudRunTrafficPlan, MAX (1u, world->n_plans));
  for (guint i = 0; i < sc->traffics->len; i++)
    {
      const CloudRunTraffic *t = g_ptr_array_index (sc->traffics, i);
      CloudRunTrafficPlan *p = &world->plans[i];
      CloudRunClientNode *from = g_hash_table_lookup (clients,
                                                      t->from.object->name);

      p->traffic = i;
      p->name = t->base.name;
      p->host = t->url.host;
      p->host_addr = t->url.host_kind == CLOUDRUN_URL_HOST_ADDRESS
                     ? t->url.address : 0;
      p->port = t->url.port;
      p->path = t->url.path;
      p->method = t->method;
      p->request_size = t->request_size;
      p->count = (uint32_t) t->count;
      p->interval = t->gap;
      p->mean_interval = t->gap;
      p->poisson = t->pattern == CLOUDRUN_PATTERN_POISSON;
      p->start = t->start;
      p->timeout = t->timeout;
      p->id_token = t->identity == CLOUDRUN_IDENTITY_ID_TOKEN;
      p->first_request = next_id;
      for (uint32_t k = 0; k < p->count; k++)
        {
          CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                    next_id + k);
          r->traffic = i;
          r->index = k;
        }
      next_id += p->count;
      cloudrun_requester_add_traffic (&from->requester, p);
    }
}

static uint32_t
build_count_requests (const CloudRunScenario *sc)
{
  uint64_t n = 0;

  for (guint i = 0; i < sc->traffics->len; i++)
    n += (uint64_t) ((const CloudRunTraffic *)
                     g_ptr_array_index (sc->traffics, i))->count;
  g_assert (n < UINT32_MAX);
  return (uint32_t) n;
}

CloudRunWorld *
cloudrun_world_build (const CloudRunScenario *sc, GError **error)
{
  static const uint32_t front_ends[] = {
    0xd8ef2035u, 0xd8ef2235u, 0xd8ef2435u, 0xd8ef2635u,
  };
  g_autoptr (CloudRunWorld) world = NULL;
  g_autoptr (GHashTable) clients = NULL;
  CloudRunInternet *internet;
  CloudRunDnsServer *dns;
  CloudRunGfe *gfe;

  if (!build_check_supported (sc, error))
    return NULL;
  world = g_new0 (CloudRunWorld, 1);
  world->sim = sim_world_new (sc->seed);
  world->hosts = g_hash_table_new (g_str_hash, g_str_equal);
  world->services = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_service_free);
  world->zones = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_zone_free);
  world->ingress_denied_status = (int) sc->assumptions.ingress_denied_status;
  cloudrun_ledger_init (&world->ledger, world->sim, build_count_requests (sc));
  cloudrun_dns_view_init (&world->public_view);
  g_ptr_array_add (world->zones, cloudrun_dns_zone_google_public ());
  cloudrun_dns_view_add (&world->public_view, g_ptr_array_index (world->zones, 0));

  internet = cloudrun_internet_new (world);
  dns = cloudrun_dns_server_new (world, "public-dns", PUBLIC_RESOLVER,
                                 &world->public_view);
  sim_link_new (world->sim,
                cloudrun_internet_attach (internet, "public-dns",
                                          PUBLIC_RESOLVER, 32,
                                          "the public resolver public-dns"),
                dns->host.default_port, &access_link, NULL);
  gfe = cloudrun_gfe_new (world, front_ends, G_N_ELEMENTS (front_ends),
                          GFE_SERVING, GFE_FABRIC);
  sim_link_new (world->sim,
                cloudrun_internet_attach (internet, "gfe", GOOGLE_FRONT_ENDS,
                                          19, "the Google front ends (gfe)"),
                gfe->internet, &google_link, NULL);
  build_services (world, sc, gfe);

  clients = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->clients->len; i++)
    {
      const CloudRunClient *c = g_ptr_array_index (sc->clients, i);
      CloudRunClientNode *node = cloudrun_client_new (world, c->base.name,
                                                      c->address,
                                                      PUBLIC_RESOLVER);
      g_autofree char *label = g_strdup_printf ("the client %s", c->base.name);
      sim_link_new (world->sim,
                    cloudrun_internet_attach (internet, c->base.name,
                                              c->address, 32, label),
                    node->host.default_port, &access_link, NULL);
      g_hash_table_insert (clients, c->base.name, node);
    }
  build_traffic (world, sc, clients);
  return g_steal_pointer (&world);
}

void
cloudrun_world_free (CloudRunWorld *world)
{
  if (!world)
    return;
  sim_world_free (world->sim);
  cloudrun_ledger_clear (&world->ledger);
  g_free (world->plans);
  g_clear_pointer (&world->hosts, g_hash_table_destroy);
  g_clear_pointer (&world->services, g_ptr_array_unref);
  cloudrun_dns_view_clear (&world->public_view);
  g_clear_pointer (&world->zones, g_ptr_array_unref);
  g_free (world);
}

uint64_t
cloudrun_world_run (CloudRunWorld *world, SimTime duration)
{
  return sim_world_run (world->sim, duration);
}
