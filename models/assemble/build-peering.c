/* VPC Network Peering (https://cloud.google.com/vpc/docs/vpc-peering):
 * for each pair of networks whose [peering] groups both exist, a link
 * between their routers named after the peering, and on each router a
 * peering subnet route for every range of the other network (subnets,
 * connectors' hidden /28s) with that range's region, so the delivering
 * router adds the time between regions. Subnet routes are always
 * exchanged; custom routes (static ones not to the internet gateway,
 * dynamic ones learned from sites) when one side exports and the other
 * imports (vpc/docs/vpc-peering, route exchange options). The ranges a network might
 * expect to reach but cannot (a peer's peer; a peering created on one
 * side only) are told to its router, for the explanation of the drop. */
#include "models/assemble/build-private.h"

/* Routes every range of from's network on to's router, through port. */
static void
build_peer_routes (Build *b, BuildNetwork *to, SimPort *port,
                   const CloudRunSpecNetwork *from, const char *peering)
{
  g_autoptr (GArray) ranges = build_region_ranges (b, from);
  g_autofree char *label = g_strdup_printf ("network %s (peering %s)",
                                            from->base.name, peering);

  for (guint i = 0; i < ranges->len; i++)
    {
      const VpcRegionRange *r = &g_array_index (ranges, VpcRegionRange, i);
      cloudrun_vpc_router_add_peering_route (to->router, port,
                                             r->range.prefix, r->range.len,
                                             label);
      cloudrun_vpc_router_add_region (to->router, r->range.prefix,
                                      r->range.len, r->region);
    }
}

void
build_import_custom_routes (Build *b, CloudRunVpcRouter *to, SimPort *port,
                            const CloudRunSpecNetwork *from,
                            const char *peering)
{
  const CloudRunScenario *sc = b->sc;

  for (guint i = 0; i < sc->routes->len; i++)
    {
      const CloudRunSpecRoute *r = g_ptr_array_index (sc->routes, i);
      g_autofree char *name = NULL;

      /* IPv6 routes are not exchanged over peering here (not built). */
      if (r->network != from || r->next_hop.kind == VPC_NEXT_HOP_GATEWAY
          || r->destination.v6)
        continue;
      name = g_strdup_printf ("peering static route (PEERING_STATIC) %s of "
                              "network %s, imported over peering %s, next "
                              "hop NEXT_HOP_PEERING", r->base.name,
                              from->base.name, peering);
      cloudrun_vpc_router_add_imported_route (to, port,
                                              r->destination.cidr.prefix,
                                              r->destination.cidr.len, name);
    }
  for (guint i = 0; i < sc->hybrid_links->len; i++)
    {
      const CloudRunSpecHybridLink *l = g_ptr_array_index (sc->hybrid_links,
                                                           i);
      g_autofree char *name = NULL;

      if (l->network != from)
        continue;
      name = g_strdup_printf ("peering dynamic route (PEERING_DYNAMIC) to "
                              "site %s, learned by the Cloud Router of %s "
                              "in network %s, imported over peering %s, "
                              "next hop NEXT_HOP_PEERING", l->site->base.name,
                              l->base.name, from->base.name, peering);
      for (guint j = 0; j < l->site->subnets->len; j++)
        {
          const CloudRunSpecSubnet *sn = g_ptr_array_index (l->site->subnets,
                                                            j);
          cloudrun_vpc_router_add_imported_route (to, port, sn->range.prefix,
                                                  sn->range.len, name);
          cloudrun_vpc_router_add_region (to, sn->range.prefix, sn->range.len,
                                          l->region);
        }
    }
}

/* Tells to's router why from's ranges are out of reach. */
static void
build_unreachable (Build *b, const CloudRunSpecNetwork *to,
                   const CloudRunSpecNetwork *from, const char *why)
{
  BuildNetwork *net = build_network (b, to);
  g_autoptr (GArray) ranges = build_region_ranges (b, from);

  for (guint i = 0; i < ranges->len; i++)
    {
      const VpcRegionRange *r = &g_array_index (ranges, VpcRegionRange, i);
      cloudrun_vpc_router_add_unreachable (net->router, r->range.prefix,
                                           r->range.len, why);
    }
}

void
build_sites_unreachable (Build *b, const CloudRunSpecNetwork *network,
                         CloudRunVpcRouter *to, const char *why)
{
  for (guint i = 0; i < b->sc->hybrid_links->len; i++)
    {
      const CloudRunSpecHybridLink *l = g_ptr_array_index (b->sc->hybrid_links,
                                                           i);
      g_autofree char *text = NULL;

      if (l->network != network)
        continue;
      text = g_strdup_printf ("site %s%s", l->site->base.name, why);
      for (guint j = 0; j < l->site->subnets->len; j++)
        {
          const CloudRunSpecSubnet *sn = g_ptr_array_index (l->site->subnets,
                                                            j);
          cloudrun_vpc_router_add_unreachable (to, sn->range.prefix,
                                               sn->range.len, text);
        }
    }
}

/* Tells to's router why the sites behind the network of there (the
 * peering's side there; back, to's side) are out of reach: their dynamic
 * routes are not exchanged. */
static void
build_sites_out_of_reach (Build *b, BuildNetwork *to,
                          const CloudRunSpecPeering *there,
                          const CloudRunSpecPeering *back)
{
  g_autofree char *why = g_strdup_printf (
    " is behind network %s's Cloud Router, whose dynamic routes reach "
    "network %s only with export-custom-routes on [peering %s] and "
    "import-custom-routes on [peering %s]: the %s is off",
    there->network->base.name, back->network->base.name, there->base.name,
    back->base.name, there->export_custom_routes ? "import" : "export");

  build_sites_unreachable (b, there->network, to->router, why);
}

/* For each side: the peer's ranges when the peering is inactive, and the
 * ranges of each of the peer's other peers (peering is not transitive). */
static void
build_out_of_reach (Build *b, const CloudRunSpecPeering *p)
{
  const CloudRunScenario *sc = b->sc;

  if (!cloudrun_peering_active (sc, p->network, p->peer))
    {
      g_autofree char *why = g_strdup_printf (
        "network %s: peering %s is inactive (%s has no peering back)",
        p->peer->base.name, p->base.name, p->peer->base.name);
      build_unreachable (b, p->network, p->peer, why);
      return;
    }
  for (guint j = 0; j < sc->peerings->len; j++)
    {
      const CloudRunSpecPeering *q = g_ptr_array_index (sc->peerings, j);
      g_autofree char *why = NULL;

      if (q->network != p->peer || q->peer == p->network
          || !cloudrun_peering_active (sc, q->network, q->peer)
          || cloudrun_peering_active (sc, p->network, q->peer))
        continue;
      why = g_strdup_printf ("network %s is a peer of network %s, not of %s: "
                             "peering is not transitive", q->peer->base.name,
                             p->peer->base.name, p->network->base.name);
      build_unreachable (b, p->network, q->peer, why);
    }
}

void
build_peerings (Build *b)
{
  const CloudRunScenario *sc = b->sc;

  for (guint i = 0; i < sc->peerings->len; i++)
    {
      const CloudRunSpecPeering *p = g_ptr_array_index (sc->peerings, i);
      const CloudRunSpecPeering *back = cloudrun_peering_active (sc, p->peer,
                                                                 p->network);
      BuildNetwork *a = build_network (b, p->network);
      BuildNetwork *z = build_network (b, p->peer);
      g_autofree char *a_port = NULL, *z_port = NULL;
      g_autofree char *a_label = NULL, *z_label = NULL;
      SimPort *pa, *pz;
      bool a_exports, z_exports;
      guint back_at;

      build_out_of_reach (b, p);
      /* One link per active pair, made at the pair's first side. */
      if (!back || !g_ptr_array_find (sc->peerings, back, &back_at)
          || back_at < i)
        continue;
      a_port = g_strdup_printf ("peering-%s", p->base.name);
      z_port = g_strdup_printf ("peering-%s", back->base.name);
      a_label = g_strdup_printf ("peering %s (network %s)", p->base.name,
                                 p->peer->base.name);
      z_label = g_strdup_printf ("peering %s (network %s)", back->base.name,
                                 p->network->base.name);
      a_exports = p->export_custom_routes && back->import_custom_routes;
      z_exports = back->export_custom_routes && p->import_custom_routes;
      pa = cloudrun_vpc_router_attach_peer (a->router, a_port, a_label,
                                            a_exports);
      pz = cloudrun_vpc_router_attach_peer (z->router, z_port, z_label,
                                            z_exports);
      sim_link_new (b->world->sim, pa, pz, &cloudrun_vpc_link, NULL);
      build_peer_routes (b, a, pa, p->peer, p->base.name);
      build_peer_routes (b, z, pz, p->network, back->base.name);
      if (a_exports)
        build_import_custom_routes (b, z->router, pz, p->network,
                                    back->base.name);
      else
        build_sites_out_of_reach (b, z, p, back);
      if (z_exports)
        build_import_custom_routes (b, a->router, pa, p->peer, p->base.name);
      else
        build_sites_out_of_reach (b, a, back, p);
    }
}
