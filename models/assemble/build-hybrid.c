/* Cloud VPN and Cloud Interconnect to on-premises sites
 * (https://cloud.google.com/network-connectivity/docs/router/concepts/
 * overview, /vpc/docs/configure-private-google-access-hybrid): a link
 * between the VPC network's router and the site's, with the link's
 * one-way time; the Cloud Router learns every range of the site (dynamic
 * routes, next hop the tunnel or the VLAN attachment) and advertises to
 * the site the subnets of its region (regional dynamic routing) and the
 * link's custom ranges. */
#include "models/assemble/build-private.h"

#define SITE_BASE 0xc63364c8u   /* 198.51.100.200 */

uint32_t
build_site_addr (Build *b, const char *label, SimPort *port)
{
  uint32_t addr;

  do
    addr = SITE_BASE + b->next_site++;
  while (cloudrun_scenario_address_used (b->sc, addr));
  g_assert (b->next_site < 56);
  cloudrun_internet_add_route (b->internet, port, addr, 32, label);
  return addr;
}

static const char *
hop_word (const CloudRunSpecHybridLink *l)
{
  return l->kind == CLOUDRUN_HYBRID_VPN ? "NEXT_HOP_VPN_TUNNEL"
                                        : "NEXT_HOP_INTERCONNECT";
}

static const char *
link_word (const CloudRunSpecHybridLink *l)
{
  return l->kind == CLOUDRUN_HYBRID_VPN ? "HA VPN tunnel"
                                        : "Interconnect VLAN attachment";
}

/* The VPC side: a dynamic route, a delivery and the link's region for
 * every range of the site. */
static void
build_learned (const CloudRunSpecHybridLink *l, BuildNetwork *vpc,
               SimPort *port)
{
  g_autofree char *name = g_strdup_printf (
    "dynamic route (DYNAMIC) learned by the Cloud Router of %s from site %s, "
    "next hop %s %s", l->base.name, l->site->base.name, hop_word (l),
    l->base.name);
  g_autofree char *label = g_strdup_printf ("site %s", l->site->base.name);

  for (guint i = 0; i < l->site->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = g_ptr_array_index (l->site->subnets, i);

      cloudrun_vpc_router_add_tunnel_route (vpc->router, port, s->range.prefix,
                                            s->range.len, name);
      cloudrun_vpc_router_deliver (vpc->router, port, s->range.prefix,
                                   s->range.len, label);
      cloudrun_vpc_router_add_region (vpc->router, s->range.prefix,
                                      s->range.len, l->region);
    }
}

/* The site side: what the Cloud Router advertises. */
static void
build_advertised (Build *b, const CloudRunSpecHybridLink *l,
                  BuildNetwork *site, SimPort *port)
{
  g_autofree char *name = g_strdup_printf (
    "route advertised by the Cloud Router of %s (network %s), across the %s",
    l->base.name, l->network->base.name, link_word (l));
  g_autofree char *custom = g_strdup_printf ("custom %s", name);
  g_autoptr (GArray) ranges = build_region_ranges (b, l->network);

  for (guint i = 0; i < ranges->len; i++)
    {
      const VpcRegionRange *r = &g_array_index (ranges, VpcRegionRange, i);
      if (g_strcmp0 (r->region, l->region) == 0)
        cloudrun_vpc_router_add_tunnel_route (site->router, port,
                                              r->range.prefix, r->range.len,
                                              name);
    }
  for (guint i = 0; l->advertised_ranges && i < l->advertised_ranges->len;
       i++)
    {
      const CloudRunSpecCidr *c = &g_array_index (l->advertised_ranges,
                                                  CloudRunSpecCidr, i);
      cloudrun_vpc_router_add_tunnel_route (site->router, port, c->prefix,
                                            c->len, custom);
    }
}

void
build_hybrid_links (Build *b)
{
  for (guint i = 0; i < b->sc->hybrid_links->len; i++)
    {
      const CloudRunSpecHybridLink *l = g_ptr_array_index (b->sc->hybrid_links,
                                                           i);
      BuildNetwork *vpc = build_network (b, l->network);
      BuildNetwork *site = build_network (b, l->site);
      g_autofree char *port_name = g_strdup_printf ("link-%s", l->base.name);
      g_autofree char *vpc_label = g_strdup_printf ("site %s (%s %s)",
                                                    l->site->base.name,
                                                    link_word (l),
                                                    l->base.name);
      g_autofree char *site_label = g_strdup_printf ("network %s (%s %s)",
                                                     l->network->base.name,
                                                     link_word (l),
                                                     l->base.name);
      SimPort *pv = cloudrun_vpc_router_attach_tunnel (vpc->router, port_name,
                                                       vpc_label);
      SimPort *ps = cloudrun_vpc_router_attach_tunnel (site->router,
                                                       port_name, site_label);
      SimLinkParams params = cloudrun_vpc_link;

      params.delay = l->latency;
      params.rate_bps = l->bandwidth;
      sim_link_new (b->world->sim, pv, ps, &params, NULL);
      build_learned (l, vpc, pv);
      build_advertised (b, l, site, ps);
    }
}
