/* The internet router (see models/world/internet.h). It explains the route it
 * took for the first packet of each request's connection (the SYN) and
 * counts what it cannot route; a SYN or a UDP datagram (a DNS answer
 * to Cloud DNS's forwarders) it cannot route is a drop (NO_ROUTE) that
 * says why. IPv6 goes by the same rules through its own table: the
 * front ends' 2001:4860:4802::/48, clients' addresses and the external
 * IPv6 /64s of VPC subnets (docs/networking.md, "IPv6 across the
 * internet"). */
#include "models/world/internet.h"

#include "models/world/google.h"
#include "sim/wire.h"

/* Why the internet has no route to an IPv6 destination ("" when it is
 * just nobody's). */
static const char *
internet_why6 (const SimIp6 *dst)
{
  if (cloudrun_google_vip6 (dst))
    return ": the Google API VIPs' IPv6 ranges 2600:2d00:2:2000::/56 and "
           "2600:2d00:2:1000::/56 are routed only inside Google Cloud (and "
           "to on-premises sites that route them across Cloud VPN or "
           "Interconnect), as their IPv4 ranges are";
  if (cloudrun_private_address6 (dst))
    return ": a unique local address (fc00::/7, Google's internal IPv6 "
           "ranges) is not routed on the internet";
  return "";
}

/* A connection's first packet for an address the internet does not
 * route: dropped, with the reason the address has none. */
static void
internet_no_route (CloudRunInternet *internet, SimPacket *packet,
                   const SimFrame *f)
{
  char dst[SIM_IPV6_STRLEN];
  SimIp6 six[2], dst6;
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_INTERNET, .state = CLOUDRUN_STATE_DROP,
    .cause = CLOUDRUN_DROP_NO_ROUTE,
  };
  SimExplainLog *log = sim_world_explain (internet->base.world->sim);

  cloudrun_step_frame_addresses (&s, f, six);
  if (f->ip6)
    {
      dst6 = sim_frame_dst6 (f);
      s.rule = sim_explain_internf (log, "no internet route to %s%s",
                                    sim_ipv6_to_string (&dst6, dst),
                                    internet_why6 (&dst6));
    }
  else
    s.rule = sim_explain_internf (
      log, "no internet route to %s%s", sim_ipv4_to_string (f->dst, dst),
      cloudrun_google_vip (f->dst)
      ? ": the Google API VIPs 199.36.153.8/30 and 199.36.153.4/30 are "
        "routed only inside Google Cloud (and to on-premises sites that "
        "advertise them across Cloud VPN or Interconnect)"
      : cloudrun_private_address (f->dst)
      ? ": an internal address is not routed on the internet"
      : cloudrun_dns_forwarder (f->dst)
      ? ": Cloud DNS sends forwarded queries from 35.199.192.0/19, which "
        "is routed only inside Google Cloud; a site must route it back "
        "across Cloud VPN or Interconnect, which needs the Cloud Router to "
        "advertise it (cloud.google.com/dns/docs/zones/forwarding-zones)"
      : "");
  cloudrun_node_drop (&internet->base, packet, &s);
}

/* The route a connection's first packet took, as a step. */
static void
internet_route_step (CloudRunInternet *internet, SimPacket *packet,
                     const SimFrame *f, const char *prefix, uint8_t len,
                     const char *label)
{
  CloudRunWorld *world = internet->base.world;
  SimIp6 six[2];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_INTERNET, .state = CLOUDRUN_STATE_APPLY_ROUTE,
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "internet route %s/%u to %s", prefix, len,
                                 label),
  };

  cloudrun_step_frame_addresses (&s, f, six);
  cloudrun_request_step (&world->ledger, packet->request_id,
                         &internet->base.node, &s);
}

/* An IPv6 packet: the IPv6 table, the hop limit, the same drops. */
static void
internet_receive6 (CloudRunInternet *internet, SimPacket *packet,
                   const SimFrame *f)
{
  SimIp6 dst = sim_frame_dst6 (f);
  const SimRoute6 *route = sim_route6_table_lookup (internet->routes6, &dst);
  char pfx[SIM_IPV6_STRLEN];

  if (!route && (sim_frame_opens_tcp (f) || f->proto == SIM_IPPROTO_UDP))
    {
      internet->no_route++;
      internet_no_route (internet, packet, f);
      return;
    }
  if (!route || !sim_frame_decrement_ttl (packet->data, packet->len))
    {
      internet->no_route++;
      sim_packet_release (sim_world_pool (internet->base.world->sim), packet);
      return;
    }
  if (sim_frame_opens_tcp (f))
    internet_route_step (internet, packet, f,
                         sim_ipv6_to_string (&route->prefix, pfx), route->len,
                         g_ptr_array_index (internet->labels6, route->order));
  sim_port_send (route->value, packet);
}

static void
internet_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunInternet *internet = (CloudRunInternet *) self;
  const SimRoute *route;
  SimFrame f;
  bool parsed = sim_frame_parse (packet->data, packet->len, &f);

  (void) port;
  if (parsed && f.ip6)
    {
      internet_receive6 (internet, packet, &f);
      return;
    }
  if (parsed && f.ip
      && (sim_frame_opens_tcp (&f) || f.proto == SIM_IPPROTO_UDP)
      && !sim_route_table_lookup (internet->routes, f.dst))
    {
      internet->no_route++;
      internet_no_route (internet, packet, &f);
      return;
    }
  if (!f.ip || !(route = sim_route_table_lookup (internet->routes, f.dst))
      || !sim_frame_decrement_ttl (packet->data, packet->len))
    {
      internet->no_route++;
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (sim_frame_opens_tcp (&f))
    {
      char pfx[16];

      internet_route_step (internet, packet, &f,
                           sim_ipv4_to_string (route->prefix, pfx), route->len,
                           g_ptr_array_index (internet->labels, route->order));
    }
  sim_port_send (route->value, packet);
}

static void
internet_clear (SimNode *self)
{
  CloudRunInternet *internet = (CloudRunInternet *) self;

  sim_route_table_free (internet->routes);
  g_ptr_array_free (internet->labels, TRUE);
  sim_route6_table_free (internet->routes6);
  g_ptr_array_free (internet->labels6, TRUE);
}

static const SimNodeClass internet_class = {
  .name = "internet",
  .size = sizeof (CloudRunInternet),
  .receive = internet_receive,
  .clear = internet_clear,
};

CloudRunInternet *
cloudrun_internet_new (CloudRunWorld *world)
{
  CloudRunInternet *internet =
    (CloudRunInternet *) sim_node_new (world->sim, &internet_class, "internet");

  internet->base.world = world;
  internet->routes = sim_route_table_new ();
  internet->labels = g_ptr_array_new_with_free_func (g_free);
  internet->routes6 = sim_route6_table_new ();
  internet->labels6 = g_ptr_array_new_with_free_func (g_free);
  return internet;
}

void
cloudrun_internet_add_route (CloudRunInternet *internet, SimPort *port,
                             uint32_t prefix, uint8_t len, const char *label)
{
  sim_route_table_add (internet->routes, prefix, len, 0, port);
  g_ptr_array_add (internet->labels, g_strdup (label));
}

void
cloudrun_internet_add_route6 (CloudRunInternet *internet, SimPort *port,
                              const SimIp6 *prefix, uint8_t len,
                              const char *label)
{
  sim_route6_table_add (internet->routes6, prefix, len, 0, port);
  g_ptr_array_add (internet->labels6, g_strdup (label));
}

SimPort *
cloudrun_internet_attach (CloudRunInternet *internet, const char *port_name,
                          uint32_t prefix, uint8_t len, const char *label)
{
  SimPort *port = sim_node_add_port (&internet->base.node, port_name);

  cloudrun_internet_add_route (internet, port, prefix, len, label);
  return port;
}

SimPort *
cloudrun_internet_port (CloudRunInternet *internet, const char *port_name)
{
  return sim_node_add_port (&internet->base.node, port_name);
}
