/* IPv6 wire formats (RFC 8200): the 40-byte header, UDP and TCP over it
 * with the section 8.1 pseudo-header checksum, the flow label hosts use,
 * and the parsed frame's addresses. The parser, checksum verification
 * and hop-limit decrement share sim/wire.c with IPv4.
 *
 * Callers: sim/host6.c, tests, and whoever builds IPv6 frames.
 *
 * Invariants: as sim/wire.c's: writers prepend in front of packet->data
 * and take each length from packet->len; nothing allocates. No extension
 * headers and no fragmentation are written (sim/wire.h says why). */
#include "sim/wire.h"

#include <string.h>

#include <glib.h>

#include "sim/bytes.h"

uint16_t
sim_checksum_l4_v6 (const SimIp6 *src, const SimIp6 *dst,
                    uint8_t next_header, const void *segment, size_t len)
{
  uint8_t pseudo[40];

  g_assert_cmpuint (len, <=, 0xffff);
  memcpy (pseudo, src->b, 16);
  memcpy (pseudo + 16, dst->b, 16);
  sim_put32 (pseudo + 32, (uint32_t) len);
  pseudo[36] = pseudo[37] = pseudo[38] = 0;
  pseudo[39] = next_header;
  return sim_checksum_fold (
      sim_checksum_add (sim_checksum_add (0, pseudo, sizeof pseudo),
                        segment, len));
}

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |
 * |        Payload Length         |  Next Header  |   Hop Limit   |
 * |                  Source Address (16 bytes)                    |
 * |               Destination Address (16 bytes)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Version 6, traffic class 0. */
void
sim_ipv6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
               uint8_t next_header, uint8_t hop_limit, uint32_t flow_label)
{
  uint32_t plen = packet->len;
  uint8_t *h;

  g_assert_cmpuint (plen, <=, 0xffff);
  h = sim_packet_prepend (packet, SIM_IPV6_HLEN);
  sim_put32 (h, 6u << 28 | (flow_label & 0xfffffu));
  sim_put16 (h + 4, (uint16_t) plen);
  h[6] = next_header;
  h[7] = hop_limit;
  memcpy (h + 8, src->b, 16);
  memcpy (h + 24, dst->b, 16);
}

/* The IPv4 writers lay out the headers (with zero addresses); the
 * checksum is then taken again with the IPv6 pseudo header. */
void
sim_udp6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
               uint16_t sport, uint16_t dport)
{
  uint16_t check;
  uint8_t *h;

  sim_udp_push (packet, 0, 0, sport, dport);
  h = packet->data;
  sim_put16 (h + 6, 0);
  check = sim_checksum_l4_v6 (src, dst, SIM_IPPROTO_UDP, h, packet->len);
  sim_put16 (h + 6, check ? check : 0xffff);
}

void
sim_tcp6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
               const SimTcpHeader *h)
{
  uint8_t *t;

  sim_tcp_push (packet, 0, 0, h);
  t = packet->data;
  sim_put16 (t + 16, 0);
  sim_put16 (t + 16, sim_checksum_l4_v6 (src, dst, SIM_IPPROTO_TCP, t,
                                     packet->len));
}

/* FNV-1a (32 bits) over the 5-tuple's bytes, the top 12 bits folded
 * into the low 20. */
uint32_t
sim_ipv6_flow_label (const SimIp6 *src, const SimIp6 *dst,
                     uint8_t next_header, uint16_t sport, uint16_t dport)
{
  uint8_t tuple[37];
  uint32_t h = 2166136261u;

  memcpy (tuple, src->b, 16);
  memcpy (tuple + 16, dst->b, 16);
  tuple[32] = next_header;
  sim_put16 (tuple + 33, sport);
  sim_put16 (tuple + 35, dport);
  for (size_t i = 0; i < sizeof tuple; i++)
    h = (h ^ tuple[i]) * 16777619u;
  h = (h ^ h >> 20) & 0xfffffu;
  return h ? h : 1;
}

/* The IPv6 address at offset in the frame's IPv6 header. */
static SimIp6
frame_addr6 (const SimFrame *frame, size_t offset)
{
  SimIp6 a;

  g_assert (frame->ip6 != NULL);
  memcpy (a.b, frame->ip6 + offset, 16);
  return a;
}

SimIp6
sim_frame_src6 (const SimFrame *frame)
{
  return frame_addr6 (frame, 8);
}

SimIp6
sim_frame_dst6 (const SimFrame *frame)
{
  return frame_addr6 (frame, 24);
}
