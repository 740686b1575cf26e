/* The internet router (see models/world/internet.h). It explains the route it
 * took for the first packet of each request's connection (the SYN) and
 * counts what it cannot route; a SYN or a UDP datagram (a DNS answer
 * to Cloud DNS's forwarders) it cannot route is a drop (NO_ROUTE) that
 * says why. */
#include "models/world/internet.h"

#include "models/world/google.h"
#include "sim/wire.h"

/* A connection's first packet for an address the internet does not
 * route: dropped, with the reason the address has none. */
static void
internet_no_route (CloudRunInternet *internet, SimPacket *packet,
                   const SimFrame *f)
{
  char dst[16];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_INTERNET, .state = CLOUDRUN_STATE_DROP,
    .cause = CLOUDRUN_DROP_NO_ROUTE, .src = f->src, .dst = f->dst,
    .rule = sim_explain_internf (
      sim_world_explain (internet->base.world->sim),
      "no internet route to %s%s", sim_ipv4_to_string (f->dst, dst),
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
      : ""),
  };

  cloudrun_node_drop (&internet->base, packet, &s);
}

static void
internet_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunInternet *internet = (CloudRunInternet *) self;
  CloudRunWorld *world = internet->base.world;
  const SimRoute *route;
  SimFrame f;

  (void) port;
  if (sim_frame_parse (packet->data, packet->len, &f) && f.ip
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
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_INTERNET, .state = CLOUDRUN_STATE_APPLY_ROUTE,
        .src = f.src, .dst = f.dst,
        .rule = sim_explain_internf (sim_world_explain (world->sim),
                                     "internet route %s/%u to %s",
                                     sim_ipv4_to_string (route->prefix, pfx),
                                     route->len,
                                     (const char *) g_ptr_array_index (
                                       internet->labels, route->order)),
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             self, &s);
    }
  sim_port_send (route->value, packet);
}

static void
internet_clear (SimNode *self)
{
  CloudRunInternet *internet = (CloudRunInternet *) self;

  sim_route_table_free (internet->routes);
  g_ptr_array_free (internet->labels, TRUE);
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
  return internet;
}

void
cloudrun_internet_add_route (CloudRunInternet *internet, SimPort *port,
                             uint32_t prefix, uint8_t len, const char *label)
{
  sim_route_table_add (internet->routes, prefix, len, 0, port);
  g_ptr_array_add (internet->labels, g_strdup (label));
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
