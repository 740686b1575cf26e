/* The builder, VPC side: a router and a DNS view per network, its Cloud
 * NAT gateways (one per region at most), VMs, connectors, PSC endpoints
 * and load balancers. Addresses of parts no scenario names: fabric
 * 100.127.0.N (the GFE at 100.127.255.254); automatic external addresses
 * (VMs, NAT given a count) from 35.192.0.10 upwards, a range of Google
 * Cloud's external addresses, skipping every address the scenario uses
 * (cloudrun_scenario_address_used). */
#include "models/assemble/build-private.h"

#include "models/world/connector.h"
#include "models/world/load-balancer.h"
#include "models/world/psc.h"
#include "models/world/region-latency.h"
#include "sim/link.h"
#include "sim/wire.h"

static void build_router_regions (Build *b, const CloudRunSpecNetwork *n,
                                  CloudRunVpcRouter *router);

uint32_t
build_fabric_addr (Build *b)
{
  return FABRIC_BASE + ++b->next_fabric;
}

/* Links peer to a new fabric port of the GFE. */
SimPort *
build_gfe_fabric (Build *b, SimPort *peer, const char *name)
{
  SimPort *port = cloudrun_gfe_add_fabric_port (b->gfe, name);

  sim_link_new (b->world->sim, peer, port, &cloudrun_google_link, NULL);
  return port;
}

static uint32_t
build_external_addr (Build *b, const char *label, SimPort *port)
{
  uint32_t addr;

  do
    addr = EXTERNAL_BASE + 10 + b->next_external++;
  while (cloudrun_scenario_address_used (b->sc, addr));
  g_assert (b->next_external < 65000);
  cloudrun_internet_add_route (b->internet, port, addr, 32, label);
  return addr;
}

SimPort *
build_metadata_port (Build *b, BuildNetwork *net, const char *name,
                     uint32_t addr)
{
  CloudRunDnsServer **server = net ? &net->metadata : &b->public_metadata;
  g_autofree char *node = g_strdup_printf ("metadata-%s", net
                                           ? net->network->base.name
                                           : "public");

  if (!*server)
    {
      *server = cloudrun_dns_server_new (b->world, node, METADATA_ADDR,
                                         net ? net->view
                                             : &b->world->public_view, name);
      sim_host_add_route (&(*server)->host, addr, 32,
                          (*server)->host.default_port);
      return (*server)->host.default_port;
    }
  return cloudrun_dns_server_attach (*server, name, addr);
}

/* The same for an IPv6-only VM at addr: the server answers on
 * CLOUDRUN_METADATA_ADDR6 over IPv6. */
static SimPort *
build_metadata_port6 (Build *b, BuildNetwork *net, const char *name,
                      const SimIp6 *addr)
{
  SimIp6 md6;

  sim_ipv6_parse (CLOUDRUN_METADATA_ADDR6, &md6);
  if (!net->metadata)
    {
      g_autofree char *node = g_strdup_printf ("metadata-%s",
                                               net->network->base.name);
      net->metadata = cloudrun_dns_server_new (b->world, node, METADATA_ADDR,
                                               net->view, name);
      return cloudrun_dns_server_attach6 (net->metadata, NULL, &md6, addr);
    }
  return cloudrun_dns_server_attach6 (net->metadata, name, &md6, addr);
}

/* Whether network is one of networks (CloudRunSpecNetwork *). */
static bool
build_bound (const GPtrArray *networks, const CloudRunSpecNetwork *network)
{
  for (guint k = 0; k < networks->len; k++)
    if (g_ptr_array_index (networks, k) == network)
      return true;
  return false;
}

/* The network's view: the response policies bound to it, its private and
 * peering zones, then public DNS. */
static DnsView *
build_view (Build *b, const CloudRunSpecNetwork *network)
{
  CloudRunWorld *w = b->world;
  DnsView *view = g_new0 (DnsView, 1);

  cloudrun_dns_view_init (view);
  for (guint i = 0; i < b->sc->dns_response_policies->len; i++)
    {
      const CloudRunSpecDnsResponsePolicy *cp
        = g_ptr_array_index (b->sc->dns_response_policies, i);
      if (build_bound (cp->networks, network))
        cloudrun_dns_view_add_policy (view, g_ptr_array_index (w->policies,
                                                               i));
    }
  for (guint i = 0; i < w->zones->len; i++)
    {
      DnsZone *z = g_ptr_array_index (w->zones, i);
      const CloudRunSpecDnsZone *cz = z->source;
      if (cz && cz->visibility == CLOUDRUN_DNS_PRIVATE
          && build_bound (cz->networks, network))
        cloudrun_dns_view_add (view, z);
    }
  for (guint i = 0; i < w->public_view.zones->len; i++)
    cloudrun_dns_view_add (view, g_ptr_array_index (w->public_view.zones, i));
  g_ptr_array_add (w->views, view);
  return view;
}

BuildNetwork *
build_network (Build *b, const CloudRunSpecNetwork *network)
{
  return g_hash_table_lookup (b->networks, network);
}

static void
build_gfe_network (Build *b, BuildNetwork *net)
{
  const CloudRunSpecNetwork *n = net->network;
  CloudRunGfeNetwork info = { net->vni, n->base.name, n->project->number,
                              build_perimeter (b, n->project),
                              g_array_new (FALSE, FALSE, sizeof (uint64_t)) };

  for (guint i = 0; i < n->shared_with->len; i++)
    {
      const CloudRunSpecProject *p = g_ptr_array_index (n->shared_with, i);
      g_array_append_val (info.shared_with, p->number);
    }
  cloudrun_gfe_add_network (b->gfe, &info);
}

/* A gateway serves its subnets (and, with subnets left to the default,
 * its region's hidden connector subnets): the router sends their
 * internet-bound packets to it by source address. */
static void
build_nat (Build *b, BuildNetwork *net, const CloudRunSpecNat *nat)
{
  uint32_t addrs[64];
  unsigned n = MIN (nat->addresses.count, G_N_ELEMENTS (addrs));
  SimPort *router_port, *inet;
  g_autofree char *label = g_strdup_printf ("Cloud NAT %s", nat->base.name);
  g_autofree char *port_name = g_strdup_printf ("nat-%s", nat->base.name);
  CloudRunNatNode *node;

  inet = cloudrun_internet_port (b->internet, nat->base.name);
  for (unsigned i = 0; i < n; i++)
    addrs[i] = i < nat->addresses.addresses->len
               ? g_array_index (nat->addresses.addresses, uint32_t, i)
               : build_external_addr (b, label, inet);
  for (unsigned i = 0; i < nat->addresses.addresses->len && i < n; i++)
    cloudrun_internet_add_route (b->internet, inet, addrs[i], 32, label);
  VpcNatConfig config = { nat->base.name, (uint32_t) nat->min_ports_per_vm,
                          nat->tcp_time_wait_timeout, nat->nat64 };
  node = cloudrun_nat_new (b->world, &config, addrs, n);
  router_port = cloudrun_vpc_router_attach (net->router, port_name, NULL);
  for (guint i = 0; i < nat->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sn = g_ptr_array_index (nat->subnets, i);
      if (sn->stack_type != VPC_STACK_IPV6_ONLY)
        cloudrun_vpc_router_add_nat (net->router, router_port,
                                     sn->range.prefix, sn->range.len);
      else if (nat->nat64)
        {
          SimIp6 prefix = build_cidr6 (&sn->ipv6_range).prefix;
          cloudrun_vpc_router_add_nat64 (net->router, router_port, &prefix,
                                         64);
        }
    }
  for (guint i = 0; i < b->sc->connectors->len; i++)
    {
      const CloudRunSpecConnector *c
        = g_ptr_array_index (b->sc->connectors, i);
      if (!c->subnet && build_nat_for (b, NULL, c->network, c->region) == nat)
        cloudrun_vpc_router_add_nat (net->router, router_port,
                                     c->block.prefix, c->block.len);
    }
  sim_link_new (b->world->sim, router_port, node->vpc, &cloudrun_vpc_link,
                NULL);
  sim_link_new (b->world->sim, node->internet, inet, &cloudrun_access_link,
                NULL);
}

/* The internet routes each external IPv6 /64 of network n's dual-stack
 * subnets to the network's router (port inet), as it routes VMs'
 * external IPv4 addresses. */
static void
build_external_ranges6 (Build *b, const CloudRunSpecNetwork *n, SimPort *inet)
{
  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (n->subnets, i);
      g_autofree char *label = NULL;

      if (s->stack_type == VPC_STACK_IPV4_ONLY
          || s->ipv6_access_type != VPC_IPV6_ACCESS_EXTERNAL)
        continue;
      label = g_strdup_printf ("the external IPv6 range of subnet %s "
                               "(network %s)", s->base.name, n->base.name);
      cloudrun_internet_add_route6 (b->internet, inet, &s->ipv6_range.prefix,
                                    s->ipv6_range.len, label);
    }
}

void
build_networks (Build *b)
{
  const CloudRunScenario *sc = b->sc;

  for (guint i = 0; i < sc->networks->len; i++)
    {
      const CloudRunSpecNetwork *n = g_ptr_array_index (sc->networks, i);
      BuildNetwork *net = g_new0 (BuildNetwork, 1);
      g_autofree char *gname = g_strdup_printf ("vpc-%s", n->base.name);
      VpcRouterConfig config = { 0 };
      BuildRouterStorage storage;
      SimPort *inet;

      net->network = n;
      net->vni = 100 + i;
      build_router_config (sc, n, &config, &storage);
      config.on_premises = n->on_premises;
      config.vni = net->vni;
      config.fabric_addr = build_fabric_addr (b);
      config.gfe_fabric_addr = GFE_FABRIC;
      net->router = cloudrun_vpc_router_new (b->world, &config);
      build_router_config_clear (&storage);
      build_router_regions (b, n, net->router);
      net->view = build_view (b, n);
      build_gfe_fabric (b, cloudrun_vpc_router_google_port (net->router), gname);
      inet = cloudrun_internet_port (b->internet, gname);
      sim_link_new (b->world->sim,
                    cloudrun_vpc_router_internet_port (net->router), inet,
                    &cloudrun_access_link, NULL);
      build_external_ranges6 (b, n, inet);
      build_gfe_network (b, net);
      g_hash_table_insert (b->networks, (gpointer) n, net);
    }
  /* A peering zone answers from its producer network's view. */
  for (guint i = 0; i < b->world->zones->len; i++)
    {
      DnsZone *z = g_ptr_array_index (b->world->zones, i);
      const CloudRunSpecDnsZone *cz = z->source;
      if (cz && cz->peer_network)
        z->peer = build_network (b, cz->peer_network)->view;
    }
  for (guint i = 0; i < sc->nats->len; i++)
    {
      const CloudRunSpecNat *nat = g_ptr_array_index (sc->nats, i);
      build_nat (b, build_network (b, nat->network), nat);
    }
}

/* The Cloud NAT of sc serving subnet (NULL: a connector's hidden subnet)
 * in network and region, or NULL. */
static const CloudRunSpecNat *
nat_for (const CloudRunScenario *sc, const CloudRunSpecSubnet *subnet,
         const CloudRunSpecNetwork *network, const char *region)
{
  for (guint i = 0; i < sc->nats->len; i++)
    {
      const CloudRunSpecNat *nat = g_ptr_array_index (sc->nats, i);
      if (nat->network != network || g_strcmp0 (nat->region, region) != 0)
        continue;
      /* A hidden connector subnet is served when no list was written. */
      if (!subnet)
        {
          if (!nat->subnet_names)
            return nat;
          continue;
        }
      for (guint k = 0; k < nat->subnets->len; k++)
        if (g_ptr_array_index (nat->subnets, k) == subnet)
          return nat;
    }
  return NULL;
}

const CloudRunSpecNat *
build_nat_for (Build *b, const CloudRunSpecSubnet *subnet,
               const CloudRunSpecNetwork *network, const char *region)
{
  return nat_for (b->sc, subnet, network, region);
}

CloudRunSubnetPga
cloudrun_build_subnet_pga (const CloudRunScenario *sc,
                           const CloudRunSpecSubnet *subnet)
{
  return cloudrun_subnet_pga (subnet->private_google_access,
                              nat_for (sc, subnet, subnet->network,
                                       subnet->region) != NULL,
                              sc->assumptions.nat_enables_pga);
}

void
build_vms (Build *b)
{
  for (guint i = 0; i < b->sc->vms->len; i++)
    {
      const CloudRunSpecVm *vm = g_ptr_array_index (b->sc->vms, i);
      const CloudRunSpecSubnet *subnet = vm->subnet;
      BuildNetwork *net = build_network (b, subnet->network);
      CloudRunEndpoint *ep = cloudrun_endpoint_new (b->world, vm->base.name,
                                                    CLOUDRUN_HOP_VM, "nic0",
                                                    vm->address,
                                                    vm->resolver
                                                    ? vm->resolver
                                                    : METADATA_ADDR);
      g_autofree char *label = g_strdup_printf ("vm %s", vm->base.name);
      g_autofree char *port_name = g_strdup_printf ("vm-%s", vm->base.name);
      CloudRunVpcSource src =
        build_vpc_source (CLOUDRUN_VPC_SOURCE_VM, label, subnet,
                          build_nat_for (b, subnet, subnet->network,
                                         subnet->region));
      SimPort *rport, *meta = sim_node_add_port (&ep->base.node, "metadata");
      bool v6only = subnet->stack_type == VPC_STACK_IPV6_ONLY;
      SimIp6 metadata6;

      sim_ipv6_parse (CLOUDRUN_METADATA_ADDR6, &metadata6);

      if (subnet->network->on_premises)
        cloudrun_endpoint_on_premises (ep);
      if (vm->dns_server)
        cloudrun_endpoint_serve_dns (ep, net->view);
      src.tags = (const char *const *) vm->network_tags;
      src.service_account = vm->service_account;
      src.secure_tags = (const char *const *) vm->secure_tag_names;
      ep->host.origin = cloudrun_region_origin (subnet->region);

      if (vm->external_ip || subnet->network->on_premises)
        src.external_addr = (subnet->network->on_premises
                             ? build_site_addr : build_external_addr) (
          b, label,
          sim_link_end (cloudrun_vpc_router_internet_port (net->router)->link,
                        1));
      rport = cloudrun_vpc_router_attach (net->router, port_name, &src);
      if (!v6only)
        cloudrun_vpc_router_deliver (net->router, rport, vm->address, 32,
                                     label);
      /* On a dual-stack subnet the interface has its IPv6 address too
       * (its /96's first); the VM's servers listen on both families. */
      if (subnet->stack_type != VPC_STACK_IPV4_ONLY)
        {
          sim_host_add_address6 (&ep->host, &vm->ipv6_address);
          cloudrun_vpc_router_deliver6 (net->router, rport,
                                        &vm->ipv6_address, 128, label);
        }
      sim_link_new (b->world->sim, ep->host.default_port, rport,
                    &cloudrun_vpc_link, NULL);
      if (v6only)
        {
          /* An IPv6-only VM has no IPv4 address; it asks its metadata
           * server at fd20:ce::254 over IPv6, and sends everything else
           * to its network (its default IPv6 route). */
          static const SimIp6 any;
          sim_host_drop_ipv4 (&ep->host);
          sim_host_add_route6 (&ep->host, &metadata6, 128, meta);
          sim_host_add_route6 (&ep->host, &any, 0, ep->host.default_port);
          ep->requester.resolver6 = metadata6;
          sim_link_new (b->world->sim, meta,
                        build_metadata_port6 (b, net, vm->base.name,
                                              &vm->ipv6_address),
                        &cloudrun_serving_link, NULL);
        }
      else
        {
          sim_host_add_route (&ep->host, METADATA_ADDR, 32, meta);
          sim_link_new (b->world->sim, meta,
                        build_metadata_port (b, net, vm->base.name,
                                             vm->address),
                        &cloudrun_serving_link, NULL);
        }
      g_hash_table_insert (b->callers, vm->base.name, &ep->requester);
    }
}

void
build_connectors (Build *b)
{
  for (guint i = 0; i < b->sc->connectors->len; i++)
    {
      const CloudRunSpecConnector *c
        = g_ptr_array_index (b->sc->connectors, i);
      BuildNetwork *net = build_network (b, c->network);
      VpcConnectorConfig config = {
        .name = c->base.name,
        .block = { c->block.prefix, c->block.len },
        .min_instances = (unsigned) c->min_instances,
        .max_instances = (unsigned) c->max_instances,
        .rate_bps = build_connector_rate (c->machine_type),
        .start_time = b->sc->assumptions.connector_start_time,
      };
      CloudRunConnectorNode *node = cloudrun_connector_new (b->world, &config);
      g_autofree char *label = g_strdup_printf ("connector %s", c->base.name);
      g_autofree char *port_name = g_strdup_printf ("connector-%s",
                                                    c->base.name);
      CloudRunVpcSource src =
        build_vpc_source (CLOUDRUN_VPC_SOURCE_CONNECTOR, label, c->subnet,
                          build_nat_for (b, c->subnet, c->network,
                                         c->region));
      /* Every connector's two network tags: the universal one and its own
       * (vpc/docs/serverless-vpc-access, network tags). */
      g_autofree char *own_tag = g_strdup_printf ("vpc-connector-%s-%s",
                                                  c->region, c->base.name);
      const char *tags[] = { "vpc-connector", own_tag, NULL };

      src.tags = tags;
      src.region = c->region;
      SimLinkParams link = cloudrun_vpc_link;
      SimPort *rport = cloudrun_vpc_router_attach (net->router, port_name,
                                                   &src);

      if (!c->subnet)
        cloudrun_vpc_router_add_local_range (net->router, c->block.prefix,
                                             c->block.len, label);
      cloudrun_vpc_router_deliver (net->router, rport, c->block.prefix,
                                   c->block.len, label);
      /* The instances' own queues set the pace: the link has none. */
      link.rate_bps = 0;
      sim_link_new (b->world->sim, node->vpc, rport, &link, NULL);
      g_hash_table_insert (b->connectors, (gpointer) c, node);
    }
}

static void
build_psc (Build *b, const CloudRunSpecPscEndpoint *e)
{
  BuildNetwork *net = build_network (b, e->network);
  VpcPscConfig config = {
    e->base.name, e->network->base.name, e->address,
    e->bundle, net->vni, e->network->project->number,
  };
  CloudRunPscNode *node = cloudrun_psc_new (b->world, &config,
                                            build_fabric_addr (b), GFE_FABRIC);
  g_autofree char *label = g_strdup_printf ("PSC endpoint %s", e->base.name);
  g_autofree char *port_name = g_strdup_printf ("psc-%s", e->base.name);
  SimPort *rport = cloudrun_vpc_router_attach_psc (net->router, port_name,
                                                   e->base.name);

  /* Its address is an internal address of the network, usually outside
   * every subnet: it gets a route of its own. */
  cloudrun_vpc_router_add_local_range (net->router, e->address, 32, label);
  cloudrun_vpc_router_deliver (net->router, rport, e->address, 32, label);
  sim_link_new (b->world->sim, rport, node->vpc, &cloudrun_vpc_link, NULL);
  build_gfe_fabric (b, node->google, port_name);
  sim_host_add_address (&b->gfe->host, e->address);
}

/* Every subnet and connector range of network n with its region. */
GArray *
build_region_ranges (Build *b, const CloudRunSpecNetwork *n)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (VpcRegionRange));

  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (n->subnets, i);
      VpcRegionRange r = { { s->range.prefix, s->range.len }, s->region };
      if (s->stack_type != VPC_STACK_IPV6_ONLY)  /* no IPv4 range */
        g_array_append_val (out, r);
    }
  for (guint i = 0; i < b->sc->connectors->len; i++)
    {
      const CloudRunSpecConnector *c
        = g_ptr_array_index (b->sc->connectors, i);
      VpcRegionRange r = { { c->block.prefix, c->block.len }, c->region };
      if (c->network == n && !c->subnet)
        g_array_append_val (out, r);
    }
  return out;
}

/* Tells the router the region of every range of network n. */
static void
build_router_regions (Build *b, const CloudRunSpecNetwork *n,
                      CloudRunVpcRouter *router)
{
  g_autoptr (GArray) ranges = build_region_ranges (b, n);

  for (guint i = 0; i < ranges->len; i++)
    {
      const VpcRegionRange *r = &g_array_index (ranges, VpcRegionRange, i);
      cloudrun_vpc_router_add_region (router, r->range.prefix, r->range.len,
                                      r->region);
    }
  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (n->subnets, i);
      if (s->stack_type != VPC_STACK_IPV4_ONLY)
        cloudrun_vpc_router_add_region6 (router, &s->ipv6_range.prefix,
                                         s->ipv6_range.len, s->region);
    }
}

static const CloudRunSpecSubnet *
build_proxy_subnet (const CloudRunSpecNetwork *n, const char *region)
{
  for (guint i = 0; i < n->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (n->subnets, i);
      if (s->purpose == CLOUDRUN_SUBNET_PROXY_ONLY
          && g_strcmp0 (s->region, region) == 0)
        return s;
    }
  return NULL;
}

static void
build_internal_alb (Build *b, const CloudRunSpecInternalAlb *alb)
{
  BuildNetwork *net = build_network (b, alb->network);
  const CloudRunSpecSubnet *proxies = build_proxy_subnet (alb->network,
                                                          alb->region);
  g_autofree char *name = g_strdup_printf ("ilb-%s", alb->base.name);
  g_autofree char *label = g_strdup_printf ("internal ALB %s", alb->base.name);
  CloudRunLoadBalancerConfig cfg = {
    .name = name, .hop = CLOUDRUN_HOP_ILB,
    .kind = CLOUDRUN_FABRIC_INTERNAL_ALB, .vni = 0x800000u + ++b->next_lb,
    .project_number = alb->backend->project->number,
    .address = alb->address,
    .proxy_addr = proxies ? proxies->range.prefix + 2 : 0,
    .has_proxy_subnet = proxies != NULL,
    .backend = alb->backend->base.name,
    .backend_host = alb->backend->hash_host, .gfe_addr = GFE_FRONT_END,
    .fabric_addr = build_fabric_addr (b), .gfe_fabric_addr = GFE_FABRIC,
  };
  CloudRunVpcSource src = build_vpc_source (CLOUDRUN_VPC_SOURCE_PROXY, label,
                                            proxies, NULL);
  g_autoptr (GArray) ranges = build_region_ranges (b, alb->network);
  CloudRunLoadBalancer *lb;
  SimPort *rport;

  cfg.label = sim_explain_intern (sim_world_explain (b->world->sim), label);
  cfg.region = alb->region;
  cfg.global_access = alb->global_access;
  cfg.client_ranges = (const VpcRegionRange *) (void *) ranges->data;
  cfg.n_client_ranges = ranges->len;
  lb = cloudrun_load_balancer_new (b->world, &cfg);
  /* Its proxies are in its region; an external ALB's are at Google's
   * edge, where each client is met (no origin of their own). */
  lb->host.origin = cloudrun_region_origin (alb->region);
  rport = cloudrun_vpc_router_attach (net->router, name, &src);
  cloudrun_vpc_router_deliver (net->router, rport, alb->address, 32, label);
  if (proxies)
    cloudrun_vpc_router_deliver (net->router, rport, proxies->range.prefix + 2,
                                 32, label);
  sim_link_new (b->world->sim, lb->front, rport, &cloudrun_vpc_link, NULL);
  build_gfe_fabric (b, lb->google, name);
  cloudrun_gfe_add_serverless_neg (b->gfe, cfg.vni, alb->backend->hash_host);
  if (alb->hostname)
    {
      /* As if a private zone of the network had the record. */
      DnsZone *z = cloudrun_dns_zone_new (alb->hostname, label);
      cloudrun_dns_zone_add_a (z, alb->hostname, alb->address);
      g_ptr_array_add (b->world->zones, z);
      g_ptr_array_insert (net->view->zones, 0, z);
    }
}

static void
build_external_alb (Build *b, const CloudRunSpecExternalAlb *alb)
{
  g_autofree char *name = g_strdup_printf ("alb-%s", alb->base.name);
  g_autofree char *label = g_strdup_printf ("external ALB %s", alb->base.name);
  g_autoptr (GArray) iap_access = build_invokers (alb->iap_access);
  g_autofree char *iap_resource = g_strdup_printf (
    "/projects/%" G_GUINT64_FORMAT "/global/backendServices/%s",
    alb->backend->project->number, alb->base.name);
  CloudRunLoadBalancerConfig cfg = {
    .name = name, .hop = CLOUDRUN_HOP_EXTERNAL_ALB,
    .kind = CLOUDRUN_FABRIC_EXTERNAL_ALB, .vni = 0x800000u + ++b->next_lb,
    .project_number = alb->backend->project->number,
    .address = alb->address, .has_proxy_subnet = true,
    .backend = alb->backend->base.name,
    .backend_host = alb->backend->hash_host, .gfe_addr = GFE_FRONT_END,
    .fabric_addr = build_fabric_addr (b), .gfe_fabric_addr = GFE_FABRIC,
    .iap = {
      .enabled = alb->iap,
      .access = (const IamPrincipal *) (gpointer) iap_access->data,
      .n_access = iap_access->len,
      .project_number = alb->backend->project->number,
      .resource = iap_resource,
    },
    .iap_first = alb->kind == CLOUDRUN_ALB_CLASSIC,
  };
  CloudRunLoadBalancer *lb;
  BuildArmor armor;

  cfg.label = sim_explain_intern (sim_world_explain (b->world->sim), label);
  build_armor_init (&armor, b->sc, alb->security_policy);
  if (alb->security_policy)
    {
      cfg.security_policy = &armor.policy;
      cfg.geo = (const CloudRunGeoRange *) (void *) armor.geo->data;
      cfg.n_geo = armor.geo->len;
    }
  lb = cloudrun_load_balancer_new (b->world, &cfg);
  build_armor_clear (&armor);
  sim_link_new (b->world->sim, lb->front,
                cloudrun_internet_attach (b->internet, name, alb->address, 32,
                                          label),
                &cloudrun_access_link, NULL);
  build_gfe_fabric (b, lb->google, name);
  cloudrun_gfe_add_serverless_neg (b->gfe, cfg.vni, alb->backend->hash_host);
}

void
build_psc_and_load_balancers (Build *b)
{
  for (guint i = 0; i < b->sc->psc_endpoints->len; i++)
    build_psc (b, g_ptr_array_index (b->sc->psc_endpoints, i));
  for (guint i = 0; i < b->sc->internal_albs->len; i++)
    build_internal_alb (b, g_ptr_array_index (b->sc->internal_albs, i));
  for (guint i = 0; i < b->sc->external_albs->len; i++)
    build_external_alb (b, g_ptr_array_index (b->sc->external_albs, i));
}
