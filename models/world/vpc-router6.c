/* The VPC router's IPv6 path (see models/world/vpc-router.h): the same
 * rules as IPv4, per family (docs/networking.md, "IPv6").
 *
 * Routes: a subnet route for each subnet's IPv6 /64, the network's
 * custom IPv6 routes, and ::/0 to the default internet gateway when the
 * network keeps its default route and has an IPv6 subnet (vpc/docs/routes
 * lists an IPv6 system-generated default route; when it appears is
 * simplified to this [assumption]).
 * A packet of a new connection passes the egress rules first, then the
 * longest prefix decides: a subnet route delivers inside the network
 * (through the ingress rules to a VM); the gateway takes a Google
 * destination (the front ends' IPv6 range, the VIPs' /56s) over the
 * fabric to the GFE when the source is an internal IPv6 address of a
 * subnet with Private Google Access (vpc/docs/private-google-access:
 * PGA covers a VM interface's internal IPv6 address) or an external IPv6
 * address (which stays inside Google, as an IPv4 external address does);
 * any other public destination only from an external IPv6 address: an
 * internal (ULA) source has no way out, Cloud NAT translating IPv4 only
 * (NAT64 for IPv6-only VMs; no NAT66: nat/docs/overview). Peerings and
 * Cloud VPN or Interconnect carry IPv4 only here.
 *
 * The explanation's uint32 address fields stay 0 for an IPv6 packet (a
 * parsed IPv6 frame has src and dst 0); the texts name the route. */
#include "models/world/vpc-router-private.h"

#include "models/world/google.h"
#include "models/world/region-latency.h"
#include "sim/nat64.h"
#include "sim/wire.h"

/* "route NAME (PREFIX/LEN, priority N)" of the route that matched. */
static const char *
route6_text (CloudRunVpcRouter *r, const SimRoute6 *route)
{
  const VpcRouteInfo *info = route->value;
  char pfx[SIM_IPV6_STRLEN];

  return sim_explain_internf (sim_world_explain (r->base.world->sim),
                              "%s (%s/%u, priority %u)", info->name,
                              sim_ipv6_to_string (&route->prefix, pfx),
                              route->len, route->priority);
}

/* Whether addr is an external IPv6 address of the network (a subnet's
 * external /64). */
static bool
external6 (const CloudRunVpcRouter *r, const SimIp6 *addr)
{
  return sim_route6_table_lookup (r->external6, addr) != NULL;
}

/* The one-way time between the regions of f's source and destination
 * (0 inside one region, or when either is not a range of the network). */
static SimTime
region_delay6 (const CloudRunVpcRouter *r, const SimFrame *f)
{
  SimIp6 src = sim_frame_src6 (f), dst = sim_frame_dst6 (f);
  const SimRoute6 *a = sim_route6_table_lookup (r->regions6, &src);
  const SimRoute6 *b = sim_route6_table_lookup (r->regions6, &dst);

  return a && b ? cloudrun_region_one_way (a->value, b->value) : 0;
}

/* Delivers inside the network to whatever holds f's destination: through
 * the ingress rules when it is a VM and the packet opens a connection. */
static void
deliver6 (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          const CloudRunVpcSource *src, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  SimIp6 dst = sim_frame_dst6 (f);
  const SimRoute6 *dest = sim_route6_table_lookup (r->local6, &dst);
  const CloudRunVpcSource *dsrc;

  if (!dest)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                "no instance in the network has this IPv6 address");
      return;
    }
  dsrc = vpc_source (r, dest->value);
  if (dsrc && dsrc->kind == CLOUDRUN_VPC_SOURCE_VM && vpc_new_flow (f)
      && !vpc_ingress_allowed (r, packet, f, src, dsrc, explain))
    return;
  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE,
              sim_explain_internf (log, "subnet route: %s",
                                   (const char *) g_ptr_array_index (
                                     r->local6_labels, dest->order)),
              NULL);
  cloudrun_send_after (dest->value, packet, region_delay6 (r, f));
}

/* A Google destination: to the GFE over the fabric with the network's
 * identity, from an external IPv6 address or with Private Google
 * Access. */
static void
to_google6 (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
            const CloudRunVpcSource *src, const char *route, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  SimIp6 from = sim_frame_src6 (f);
  const char *why = NULL;
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, r->vni,
                                r->project_number };

  if (external6 (r, &from))
    why = explain ? sim_explain_intern (log, "the source is an external "
                                        "IPv6 address: it stays inside "
                                        "Google, and needs no Private "
                                        "Google Access (cloud.google.com/"
                                        "vpc/docs/private-google-access)")
                  : NULL;
  else if (vpc_private_google_access (r, src, explain ? &why : NULL))
    why = explain ? sim_explain_internf (log, "%s; Private Google Access "
                                         "covers a VM interface's internal "
                                         "IPv6 address (cloud.google.com/"
                                         "vpc/docs/configure-private-google-"
                                         "access)", why)
                  : NULL;
  else
    {
      vpc_drop (r, packet, f, explain,
                CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_DISALLOWED,
                explain ? sim_explain_internf (log, "%s; the destination is "
                                               "a Google front end over "
                                               "IPv6: %s", route, why)
                        : NULL);
      return;
    }
  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, route,
              sim_explain_internf (log, "destination is a Google front end "
                                   "over IPv6 (GOOGLE_API); %s: carried "
                                   "to the GFE with this "
                                   "network's identity (Geneve VNI %u, "
                                   "project %" G_GUINT64_FORMAT ", the "
                                   "inner frame IPv6)", why, r->vni,
                                   r->project_number));
  cloudrun_fabric_wrap (packet, r->fabric_addr, r->gfe_fabric_addr, &id);
  sim_port_send (r->google, packet);
}

/* A destination in 64:ff9b::/96 (DNS64's answers): to the Cloud NAT
 * whose NAT64 serves the source's subnet, when the IPv4 address inside
 * is on the internet (vpc/docs/ipv6-to-ipv4-overview: NAT64 reaches IPv4
 * destinations on the internet, not in VPC networks or on-premises). */
static void
to_nat64 (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          const CloudRunVpcSource *src, const char *route, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  SimIp6 dst = sim_frame_dst6 (f), from = sim_frame_src6 (f);
  const SimRoute6 *nat = sim_route6_table_lookup (r->nat64_sources, &from);
  char v4text[16];
  uint32_t v4 = 0;

  sim_nat64_extract (&sim_nat64_well_known_prefix, &dst, &v4);
  if (cloudrun_private_address (v4)
      || sim_route_table_lookup (r->local, v4) != NULL)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                explain ? sim_explain_internf (
                            log, "%s; 64:ff9b::/96 carries %s, an internal "
                            "IPv4 address: NAT64 reaches IPv4 destinations "
                            "on the internet only, not in VPC networks or "
                            "on-premises (cloud.google.com/vpc/docs/"
                            "ipv6-to-ipv4-overview)", route,
                            sim_ipv4_to_string (v4, v4text))
                        : NULL);
      return;
    }
  if (!nat)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS,
                explain ? sim_explain_internf (
                            log, "%s; %s sends to 64:ff9b::/96 (IPv4 %s) "
                            "and no Cloud NAT with NAT64 serves its subnet: "
                            "an internal IPv6 source has no way to an IPv4 "
                            "destination (cloud.google.com/vpc/docs/"
                            "ipv6-to-ipv4-overview)", route, src->label,
                            sim_ipv4_to_string (v4, v4text))
                        : NULL);
      return;
    }
  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, route,
              sim_explain_internf (log, "64:ff9b::/96 (IPv4 %s) from an "
                                   "IPv6-only subnet: to the internet "
                                   "through the NAT64 of Cloud NAT %s",
                                   sim_ipv4_to_string (v4, v4text),
                                   src->nat ? src->nat : "?"));
  sim_port_send (nat->value, packet);
}

/* The default internet gateway for IPv6. */
static void
to_gateway6 (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
             const CloudRunVpcSource *src, const char *route, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  SimIp6 dst = sim_frame_dst6 (f), from = sim_frame_src6 (f);
  char text[SIM_IPV6_STRLEN];

  if (cloudrun_private_address6 (&dst))
    {
      vpc_drop (r, packet, f, explain,
                CLOUDRUN_DROP_PRIVATE_TRAFFIC_TO_INTERNET,
                explain ? sim_explain_internf (log, "%s; the destination is "
                                               "an internal (ULA) IPv6 "
                                               "address, which the internet "
                                               "gateway does not deliver",
                                               route)
                        : NULL);
      return;
    }
  if (cloudrun_google_destination6 (&dst))
    {
      to_google6 (r, packet, f, src, route, explain);
      return;
    }
  if (sim_ipv6_in_prefix (&dst, &sim_nat64_well_known_prefix, 96))
    {
      to_nat64 (r, packet, f, src, route, explain);
      return;
    }
  if (!external6 (r, &from))
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS,
                explain ? sim_explain_internf (
                            log, "%s; the source %s is an internal IPv6 "
                            "address, which the internet gateway does not "
                            "carry, and Cloud NAT translates no IPv6 to "
                            "IPv6 (no NAT66; its NAT64 serves IPv6-only VMs: "
                            "cloud.google.com/nat/docs/overview): %s has no "
                            "way to a public IPv6 address", route,
                            sim_ipv6_to_string (&from, text), src->label)
                        : NULL);
      return;
    }
  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, route,
              sim_explain_internf (log, "%s has an external IPv6 address "
                                   "%s: it leaves to the internet as it is "
                                   "(no translation in IPv6)", src->label,
                                   sim_ipv6_to_string (&from, text)));
  sim_port_send (r->internet, packet);
}

/* A packet from a source in the network. */
static void
from_source6 (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
              const CloudRunVpcSource *src)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  bool explain = sim_frame_opens_tcp (f) || cloudrun_dns_datagram (f);
  SimIp6 dst = sim_frame_dst6 (f);
  const SimRoute6 *route;
  const VpcRouteInfo *info;
  const char *rule;

  if (src->kind == CLOUDRUN_VPC_SOURCE_PEER
      || src->kind == CLOUDRUN_VPC_SOURCE_TUNNEL || r->on_premises)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                explain ? sim_explain_internf (log, "from %s: IPv6 across "
                                               "a peering, Cloud VPN or "
                                               "Interconnect is not "
                                               "simulated", src->label)
                        : NULL);
      return;
    }
  if (vpc_new_flow (f) && !vpc_egress_allowed (r, packet, f, src, explain))
    return;
  route = sim_route6_table_lookup (r->routes6, &dst);
  if (!route)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                !explain ? NULL
                : r->default_route
                ? "no IPv6 route matches the destination (the network has "
                  "no ::/0 route: it has no IPv6 subnet)"
                : "no IPv6 route matches the destination: the network's "
                  "default routes are removed (default-route = false), "
                  "::/0 with them");
      return;
    }
  info = route->value;
  rule = explain ? route6_text (r, route) : NULL;
  switch (info->kind)
    {
    case ROUTE_SUBNET:
      deliver6 (r, packet, f, src, explain);
      return;
    case ROUTE_GATEWAY:
      to_gateway6 (r, packet, f, src, rule, explain);
      return;
    case ROUTE_BLACKHOLE:
    default:
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_ROUTE_BLACKHOLE,
                explain ? sim_explain_internf (log, "%s: next hop blackhole "
                                               "(its next hop no longer "
                                               "exists)", rule)
                        : NULL);
      return;
    }
}

void
cloudrun_vpc_router6_receive (CloudRunVpcRouter *r, SimPort *port,
                              SimPacket *packet, const SimFrame *f)
{
  const CloudRunVpcSource *src = vpc_source (r, port);

  /* From a source in the network; otherwise an answer from the GFE or
   * the internet, or a packet for an external IPv6 address: delivered
   * inside (the ingress rules judge one that opens a connection). */
  if (src)
    from_source6 (r, packet, f, src);
  else
    deliver6 (r, packet, f, NULL, port == r->internet
                                  && sim_frame_opens_tcp (f));
}

void
cloudrun_vpc_router_add_region6 (CloudRunVpcRouter *r, const SimIp6 *prefix,
                                 uint8_t len, const char *region)
{
  sim_route6_table_add (r->regions6, prefix, len, 0,
                        (void *) sim_explain_intern (sim_world_explain (
                                                       r->base.world->sim),
                                                     region));
}

void
cloudrun_vpc_router_deliver6 (CloudRunVpcRouter *r, SimPort *port,
                              const SimIp6 *prefix, uint8_t len,
                              const char *label)
{
  sim_route6_table_add (r->local6, prefix, len, 0, port);
  g_ptr_array_add (r->local6_labels, g_strdup (label));
}

void
cloudrun_vpc_router_add_nat64 (CloudRunVpcRouter *r, SimPort *port,
                               const SimIp6 *prefix, uint8_t len)
{
  sim_route6_table_add (r->nat64_sources, prefix, len, 0, port);
}

static void
add_route6 (CloudRunVpcRouter *r, const VpcCidr6 *c, uint32_t priority,
            VpcRouteKind kind, char *name)
{
  sim_route6_table_add (r->routes6, &c->prefix, c->len, priority,
                        vpc_add_route_info (r, kind, name, 0));
}

void
cloudrun_vpc_router6_init (CloudRunVpcRouter *r,
                           const VpcRouterConfig *config)
{
  static const VpcCidr6 any = { { { 0 } }, 0 };
  bool ipv6_subnet = false;

  r->routes6 = sim_route6_table_new ();
  r->local6 = sim_route6_table_new ();
  r->local6_labels = g_ptr_array_new_with_free_func (g_free);
  r->external6 = sim_route6_table_new ();
  r->nat64_sources = sim_route6_table_new ();
  r->regions6 = sim_route6_table_new ();
  for (guint i = 0; i < config->n_subnets; i++)
    {
      const VpcSubnetConfig *s = &config->subnets[i];
      if (s->stack == VPC_STACK_IPV4_ONLY)
        continue;
      ipv6_subnet = true;
      add_route6 (r, &s->ipv6_range, 0, ROUTE_SUBNET,
                  g_strdup_printf ("IPv6 subnet route of %s", s->name));
      if (s->ipv6_access == VPC_IPV6_ACCESS_EXTERNAL)
        sim_route6_table_add (r->external6, &s->ipv6_range.prefix,
                              s->ipv6_range.len, 0, NULL);
    }
  for (guint i = 0; i < config->n_routes; i++)
    {
      const VpcRouteConfig *rt = &config->routes[i];
      if (rt->v6)
        add_route6 (r, &rt->destination6, rt->priority,
                    rt->next_hop == VPC_NEXT_HOP_GATEWAY ? ROUTE_GATEWAY
                                                          : ROUTE_BLACKHOLE,
                    g_strdup_printf ("route %s", rt->name));
    }
  if (config->default_route && ipv6_subnet)
    add_route6 (r, &any, VPC_DEFAULT_ROUTE_PRIORITY, ROUTE_GATEWAY,
                g_strdup ("IPv6 default route to default-internet-gateway"));
}

void
cloudrun_vpc_router6_clear (CloudRunVpcRouter *r)
{
  sim_route6_table_free (r->routes6);
  sim_route6_table_free (r->local6);
  sim_route6_table_free (r->external6);
  sim_route6_table_free (r->nat64_sources);
  sim_route6_table_free (r->regions6);
  g_ptr_array_free (r->local6_labels, TRUE);
}
