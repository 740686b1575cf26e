/* IPv4 end host: address ownership, port choice by route, demultiplexing
 * to TCP and UDP, and framing of outgoing segments; IPv6 framing and UDP
 * delivery beside it (its addresses and routes: sim/host6.c). Per packet
 * it only parses, looks up and prepends; nothing is allocated. */
#include "sim/host.h"

#include <string.h>

#include "sim/tcp.h"

#define SIM_HOST_TTL 64u
#define SIM_HOST_HOP_LIMIT 64u

void
sim_host_init (SimHost *host, SimNode *node, uint32_t addr,
               SimPort *default_port)
{
  memset (host, 0, sizeof *host);
  host->node = node;
  host->addrs[0] = addr;
  host->n_addrs = 1;
  host->default_port = default_port;
  sim_rng_init (&host->rng, sim_world_seed (node->world), node->name, "host");
  host->next_port = (uint16_t) (49152 + sim_rng_below (&host->rng, 16384));
  host->ip_id = (uint16_t) sim_rng_u32 (&host->rng);
  host->tcp = sim_tcp_new (host);
}

void
sim_host_clear (SimHost *host)
{
  sim_tcp_free (host->tcp);
  host->tcp = NULL;
  if (host->routes)
    sim_route_table_free (host->routes);
  host->routes = NULL;
  sim_route6_table_free (host->routes6);
  host->routes6 = NULL;
}

void
sim_host_add_address (SimHost *host, uint32_t addr)
{
  g_assert (host->n_addrs < SIM_HOST_MAX_ADDRS);
  if (!sim_host_has_address (host, addr))
    host->addrs[host->n_addrs++] = addr;
}

bool
sim_host_has_address (const SimHost *host, uint32_t addr)
{
  for (unsigned i = 0; i < host->n_addrs; i++)
    if (host->addrs[i] == addr)
      return true;
  return false;
}

void
sim_host_add_route (SimHost *host, uint32_t prefix, uint8_t len,
                    SimPort *port)
{
  if (!host->routes)
    host->routes = sim_route_table_new ();
  sim_route_table_add (host->routes, prefix, len, 0, port);
}

void
sim_host_set_port_source (SimHost *host, SimPort *port, uint32_t addr)
{
  for (unsigned i = 0; i < host->n_sources; i++)
    if (host->sources[i].port == port)
      {
        host->sources[i].addr = addr;
        return;
      }
  g_assert (host->n_sources < SIM_HOST_MAX_ADDRS);
  host->sources[host->n_sources].port = port;
  host->sources[host->n_sources].addr = addr;
  host->n_sources++;
}

const SimRoute *
sim_host_route_taken (const SimHost *host, uint32_t dst)
{
  return host->routes ? sim_route_table_lookup (host->routes, dst) : NULL;
}

SimPort *
sim_host_route (const SimHost *host, uint32_t dst)
{
  const SimRoute *route = sim_host_route_taken (host, dst);

  return route ? route->value : host->default_port;
}

uint32_t
sim_host_source_for (const SimHost *host, uint32_t dst)
{
  SimPort *port = sim_host_route (host, dst);

  for (unsigned i = 0; i < host->n_sources; i++)
    if (host->sources[i].port == port)
      return host->sources[i].addr;
  return host->addrs[0];
}

static void
sim_host_udp_input (SimHost *host, const SimFrame *frame,
                    const SimPacket *packet)
{
  unsigned any = host->n_udp;

  /* A port bound by number first, then port 0 (every other port). */
  for (unsigned i = 0; i < host->n_udp; i++)
    if (host->udp[i].port == frame->dport)
      {
        host->udp[i].fn (host, host->udp[i].user, frame, packet);
        return;
      }
    else if (host->udp[i].port == 0 && any == host->n_udp)
      any = i;
  if (any < host->n_udp)
    {
      host->udp[any].fn (host, host->udp[any].user, frame, packet);
      return;
    }
  host->rx_unmatched++;
}

static bool
host_has_dst6 (const SimHost *host, const SimFrame *frame)
{
  SimIp6 dst = sim_frame_dst6 (frame);

  return sim_host_has_address6 (host, &dst);
}

bool
sim_host_receive_frame (SimHost *host, SimPort *port, SimPacket *packet,
                        const SimFrame *frame)
{
  (void) port;
  if (frame->ip ? !sim_host_has_address (host, frame->dst)
                : !frame->ip6 || !host_has_dst6 (host, frame))
    {
      sim_packet_release (sim_world_pool (host->node->world), packet);
      return false;
    }
  if (frame->proto == SIM_IPPROTO_TCP)
    sim_tcp_input (host->tcp, frame, packet->request_id, packet->flow_tag,
                   packet->origin);
  else if (frame->proto == SIM_IPPROTO_UDP)
    sim_host_udp_input (host, frame, packet);
  else
    host->rx_unmatched++;
  sim_packet_release (sim_world_pool (host->node->world), packet);
  return true;
}

bool
sim_host_receive (SimHost *host, SimPort *port, SimPacket *packet)
{
  SimFrame frame;

  if (!sim_frame_parse (packet->data, packet->len, &frame))
    {
      sim_packet_release (sim_world_pool (host->node->world), packet);
      return false;
    }
  return sim_host_receive_frame (host, port, packet, &frame);
}

SimSendResult
sim_host_output (SimHost *host, SimPacket *packet, uint32_t src, uint32_t dst,
                 uint8_t proto)
{
  return sim_host_output_on (host, sim_host_route (host, dst), packet, src,
                             dst, proto);
}

/* The frame is whole: the output override, or the port. */
static SimSendResult
host_send (SimHost *host, SimPort *port, SimPacket *packet)
{
  if (host->output)
    return host->output (host, host->output_user, port, packet);
  return sim_port_send (port, packet);
}

SimSendResult
sim_host_output_on (SimHost *host, SimPort *port, SimPacket *packet,
                    uint32_t src, uint32_t dst, uint8_t proto)
{
  static const uint8_t zero_mac[6];

  if (!packet->origin)
    packet->origin = host->origin;
  sim_ipv4_push (packet, src, dst, proto, SIM_HOST_TTL, host->ip_id++);
  /* The link writes the real addresses (point to point). */
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV4);
  return host_send (host, port, packet);
}

SimSendResult
sim_host_output6 (SimHost *host, SimPacket *packet, const SimIp6 *src,
                  const SimIp6 *dst, uint8_t proto)
{
  return sim_host_output6_on (host, sim_host_route6 (host, dst), packet, src,
                              dst, proto);
}

/* The flow label hashes the ports the segment starts with (TCP, UDP). */
SimSendResult
sim_host_output6_on (SimHost *host, SimPort *port, SimPacket *packet,
                     const SimIp6 *src, const SimIp6 *dst, uint8_t proto)
{
  static const uint8_t zero_mac[6];
  const uint8_t *l4 = packet->data;
  uint16_t sport = 0, dport = 0;

  if ((proto == SIM_IPPROTO_TCP || proto == SIM_IPPROTO_UDP)
      && packet->len >= 4)
    {
      sport = (uint16_t) (l4[0] << 8 | l4[1]);
      dport = (uint16_t) (l4[2] << 8 | l4[3]);
    }
  if (!packet->origin)
    packet->origin = host->origin;
  sim_ipv6_push (packet, src, dst, proto, SIM_HOST_HOP_LIMIT,
                 sim_ipv6_flow_label (src, dst, proto, sport, dport));
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV6);
  return host_send (host, port, packet);
}

void
sim_host_bind_udp (SimHost *host, uint16_t port, SimUdpHandler fn, void *user)
{
  g_assert (host->n_udp < SIM_HOST_MAX_UDP);
  host->udp[host->n_udp].port = port;
  host->udp[host->n_udp].fn = fn;
  host->udp[host->n_udp].user = user;
  host->n_udp++;
}

SimSendResult
sim_host_send_udp (SimHost *host, uint32_t src, uint32_t dst, uint16_t sport,
                   uint16_t dport, const uint8_t *payload, uint32_t len,
                   uint32_t request_id)
{
  SimPacket *packet = sim_packet_new (sim_world_pool (host->node->world));

  if (!src)
    src = sim_host_source_for (host, dst);
  memcpy (sim_packet_append (packet, len), payload, len);
  sim_udp_push (packet, src, dst, sport, dport);
  packet->request_id = request_id;
  return sim_host_output (host, packet, src, dst, SIM_IPPROTO_UDP);
}

SimSendResult
sim_host_send_udp6 (SimHost *host, const SimIp6 *src, const SimIp6 *dst,
                    uint16_t sport, uint16_t dport, const uint8_t *payload,
                    uint32_t len, uint32_t request_id)
{
  SimPacket *packet = sim_packet_new (sim_world_pool (host->node->world));
  SimIp6 from = src ? *src : sim_host_source6_for (host, dst);

  memcpy (sim_packet_append (packet, len), payload, len);
  sim_udp6_push (packet, &from, dst, sport, dport);
  packet->request_id = request_id;
  return sim_host_output6 (host, packet, &from, dst, SIM_IPPROTO_UDP);
}

uint16_t
sim_host_ephemeral_port (SimHost *host)
{
  uint16_t port = host->next_port;

  host->next_port = port == 65535 ? 49152 : port + 1;
  return port;
}
