/* Private services access (https://cloud.google.com/vpc/docs/
 * private-services-access, /sql/docs/postgres/private-ip): for each
 * [private-services-access], the service producer network, a VPC network
 * of Google's, peered with the consumer network (the peering
 * servicenetworking-googleapis-com); each [managed-instance] of it in a
 * producer subnet of its own carved from the allocated ranges. The two
 * routers exchange subnet routes; the producer network imports the
 * consumer's custom routes when the consumer exports them, and exports
 * none. The producer network's firewall is Google's and admits what the
 * peering brings; each instance judges its connections
 * (models/world/managed-instance.h). A network peered with the consumer
 * does not reach the producer's subnets (peering is not transitive). */
#include "models/assemble/build-private.h"
#include "models/world/managed-instance.h"

#define PEERING_NAME "servicenetworking-googleapis-com"

static const char *const product_names[] = {
  "Cloud SQL for PostgreSQL", "Cloud SQL for MySQL",
  "Cloud SQL for SQL Server", "Memorystore for Redis", "AlloyDB",
};

/* The ports a product accepts: its engine's, and Cloud SQL's Auth Proxy
 * port 3307 (/sql/docs/postgres/sql-proxy). */
static guint
product_ports (CloudRunManagedProduct product, uint16_t ports[2])
{
  ports[0] = cloudrun_product_port (product);
  ports[1] = 3307;
  return cloudrun_product_is_cloud_sql (product) ? 2 : 1;
}

static VpcManagedKind
product_kind (CloudRunManagedProduct product)
{
  if (cloudrun_product_is_cloud_sql (product))
    return VPC_MANAGED_CLOUD_SQL;
  return product == CLOUDRUN_PRODUCT_MEMORYSTORE_REDIS ? VPC_MANAGED_REDIS
                                                       : VPC_MANAGED_ALLOYDB;
}

/* The producer network's router: its subnets, and Google's rule that
 * admits every connection the peering brings. */
static CloudRunVpcRouter *
build_producer_router (Build *b, const CloudRunSpecPrivateAccess *a,
                       uint32_t vni)
{
  g_autofree char *network = g_strdup_printf ("servicenetworking-%s",
                                              a->network->base.name);
  g_autoptr (GArray) subnets = g_array_new (FALSE, FALSE,
                                            sizeof (VpcSubnetConfig));
  static const VpcCidr any = { 0, 0 };
  static const VpcProtocolMatch all = { 0, 0, 65535 };
  VpcFirewallRule admit = {
    .name = "servicenetworking-admit (Google's rule of the producer "
            "network: ingress from the consumer network)",
    .direction = VPC_FIREWALL_INGRESS, .action = VPC_FIREWALL_ALLOW,
    .ranges = &any, .n_ranges = 1, .protocols = &all, .n_protocols = 1,
    .priority = 1000, .hidden = true,
  };
  VpcRouterConfig config = {
    .network = network, .vni = vni, .fabric_addr = build_fabric_addr (b),
    .gfe_fabric_addr = GFE_FABRIC, .firewalls = &admit, .n_firewalls = 1,
  };

  for (guint i = 0; i < b->sc->managed_instances->len; i++)
    {
      const CloudRunSpecManagedInstance *m
        = g_ptr_array_index (b->sc->managed_instances, i);
      VpcSubnetConfig sn = { .name = m->base.name,
                             .range = { m->subnet.prefix, m->subnet.len } };
      if (m->access == a)
        g_array_append_val (subnets, sn);
    }
  config.subnets = (const VpcSubnetConfig *) (void *) subnets->data;
  config.n_subnets = subnets->len;
  return cloudrun_vpc_router_new (b->world, &config);
}

/* One instance: its node behind the producer router. */
static void
build_instance (Build *b, CloudRunVpcRouter *producer,
                const CloudRunSpecManagedInstance *m)
{
  uint16_t ports[2];
  g_autoptr (GArray) authorized = g_array_new (FALSE, FALSE,
                                               sizeof (VpcCidr));
  g_autofree char *label = g_strdup_printf ("%s instance %s",
                                            product_names[m->product],
                                            m->base.name);
  g_autofree char *port_name = g_strdup_printf ("managed-%s", m->base.name);
  VpcManagedConfig config = {
    .name = m->base.name, .product = product_names[m->product],
    .kind = product_kind (m->product), .address = m->address,
    .ports = ports, .n_ports = product_ports (m->product, ports),
  };
  CloudRunVpcSource src = { .kind = CLOUDRUN_VPC_SOURCE_VM, .label = label,
                            .subnet = m->base.name };
  CloudRunManagedInstance *node;
  SimPort *port;

  for (guint i = 0; i < m->authorized_networks->len; i++)
    {
      const CloudRunSpecCidr *c = &g_array_index (m->authorized_networks,
                                                  CloudRunSpecCidr, i);
      VpcCidr v = { c->prefix, c->len };
      g_array_append_val (authorized, v);
    }
  config.authorized = (const VpcCidr *) (void *) authorized->data;
  config.n_authorized = authorized->len;
  node = cloudrun_managed_instance_new (b->world, &config);
  port = cloudrun_vpc_router_attach (producer, port_name, &src);
  cloudrun_vpc_router_deliver (producer, port, m->address, 32, label);
  cloudrun_vpc_router_add_region (producer, m->subnet.prefix, m->subnet.len,
                                  m->region);
  sim_link_new (b->world->sim, port, cloudrun_managed_instance_port (node),
                &cloudrun_vpc_link, NULL);
}

/* The consumer's routes to the producer subnets, and the reason its
 * peers have none. */
static void
build_consumer_routes (Build *b, const CloudRunSpecPrivateAccess *a,
                       BuildNetwork *consumer, SimPort *port)
{
  const CloudRunScenario *sc = b->sc;
  g_autofree char *label = g_strdup_printf (
    "the service producer network (private services access %s)",
    a->base.name);

  for (guint i = 0; i < sc->managed_instances->len; i++)
    {
      const CloudRunSpecManagedInstance *m
        = g_ptr_array_index (sc->managed_instances, i);
      if (m->access != a)
        continue;
      cloudrun_vpc_router_add_peering_route (consumer->router, port,
                                             m->subnet.prefix, m->subnet.len,
                                             label);
      cloudrun_vpc_router_add_region (consumer->router, m->subnet.prefix,
                                      m->subnet.len, m->region);
      for (guint j = 0; j < sc->peerings->len; j++)
        {
          const CloudRunSpecPeering *p = g_ptr_array_index (sc->peerings, j);
          g_autofree char *why = NULL;
          if (p->peer != a->network
              || !cloudrun_peering_active (sc, p->network, p->peer))
            continue;
          why = g_strdup_printf ("%s instance %s is in the service producer "
                                 "network, peered with network %s, not with "
                                 "%s: peering is not transitive",
                                 product_names[m->product], m->base.name,
                                 a->network->base.name,
                                 p->network->base.name);
          cloudrun_vpc_router_add_unreachable (
            build_network (b, p->network)->router, m->subnet.prefix,
            m->subnet.len, why);
        }
    }
}

void
build_private_access (Build *b)
{
  const CloudRunScenario *sc = b->sc;

  for (guint i = 0; i < sc->private_accesses->len; i++)
    {
      const CloudRunSpecPrivateAccess *a
        = g_ptr_array_index (sc->private_accesses, i);
      BuildNetwork *consumer = build_network (b, a->network);
      CloudRunVpcRouter *producer = build_producer_router (
        b, a, 100 + sc->networks->len + i);
      g_autoptr (GArray) ranges = build_region_ranges (b, a->network);
      g_autofree char *consumer_label = g_strdup_printf (
        "peering " PEERING_NAME " (the service producer network of private "
        "services access %s)", a->base.name);
      g_autofree char *producer_label = g_strdup_printf (
        "peering " PEERING_NAME " (network %s)", a->network->base.name);
      SimPort *pc = cloudrun_vpc_router_attach_peer (
        consumer->router, "peering-" PEERING_NAME, consumer_label,
        a->export_custom_routes);
      SimPort *pp = cloudrun_vpc_router_attach_peer (
        producer, "peering-" PEERING_NAME, producer_label, false);

      sim_link_new (b->world->sim, pc, pp, &cloudrun_vpc_link, NULL);
      for (guint j = 0; j < sc->managed_instances->len; j++)
        {
          const CloudRunSpecManagedInstance *m
            = g_ptr_array_index (sc->managed_instances, j);
          if (m->access == a)
            build_instance (b, producer, m);
        }
      build_consumer_routes (b, a, consumer, pc);
      g_autofree char *peer_label = g_strdup_printf (
        "network %s (peering " PEERING_NAME ")", a->network->base.name);

      for (guint j = 0; j < ranges->len; j++)
        {
          const VpcRegionRange *r = &g_array_index (ranges, VpcRegionRange,
                                                    j);
          cloudrun_vpc_router_add_peering_route (
            producer, pp, r->range.prefix, r->range.len, peer_label);
          cloudrun_vpc_router_add_region (producer, r->range.prefix,
                                          r->range.len, r->region);
        }
      if (a->export_custom_routes)
        build_import_custom_routes (b, producer, pp, a->network,
                                    PEERING_NAME);
      else
        {
          g_autofree char *why = g_strdup_printf (
            " is reached by the service producer network only when network "
            "%s exports its custom routes ([private-services-access %s] "
            "export-custom-routes)", a->network->base.name, a->base.name);
          build_sites_unreachable (b, a->network, producer, why);
        }
    }
}
