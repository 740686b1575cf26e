/* NAT64 translation (see sim/nat64.h).
 *
 * Both directions take the L4 segment out from under its IP header,
 * write the new ports and checksum, and push the other family's header
 * and the same Ethernet addresses in front of it: the segment's bytes
 * never move, only the headers in front of them. */
#include "sim/nat64.h"

#include <string.h>

#include "sim/bytes.h"
#include "sim/wire.h"

const SimIp6 sim_nat64_well_known_prefix = {
  { 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
};

SimIp6
sim_nat64_embed (const SimIp6 *prefix96, uint32_t v4)
{
  SimIp6 a = *prefix96;

  sim_put32 (a.b + 12, v4);
  return a;
}

bool
sim_nat64_extract (const SimIp6 *prefix96, const SimIp6 *addr, uint32_t *v4)
{
  if (!sim_ipv6_in_prefix (addr, prefix96, 96))
    return false;
  *v4 = sim_get32 (addr->b + 12);
  return true;
}

/* The L4 header of a parsed TCP or UDP frame, with new ports and a
 * zeroed checksum; returns the checksum's offset in it. */
static uint32_t
nat64_reset_l4 (uint8_t *l4, uint8_t proto, uint16_t sport, uint16_t dport)
{
  uint32_t coff = proto == SIM_IPPROTO_TCP ? 16 : 6;

  sim_put16 (l4, sport);
  sim_put16 (l4 + 2, dport);
  sim_put16 (l4 + coff, 0);
  return coff;
}

static bool
nat64_translatable (const SimFrame *f)
{
  return f->l4 != NULL
         && (f->proto == SIM_IPPROTO_TCP || f->proto == SIM_IPPROTO_UDP);
}

bool
sim_nat64_to_ipv4 (SimPacket *packet, uint32_t src, uint16_t sport,
                   uint32_t dst, uint16_t dport)
{
  SimFrame f;
  uint8_t eth[SIM_ETH_HLEN];
  uint8_t tclass, hop, proto;
  uint32_t seg_len, coff;
  uint16_t check;
  uint8_t *seg, *ip;

  if (!sim_frame_parse (packet->data, packet->len, &f) || f.ip6 == NULL
      || !nat64_translatable (&f) || f.l4 != f.ip6 + SIM_IPV6_HLEN)
    return false;
  memcpy (eth, packet->data, sizeof eth);
  tclass = (uint8_t) (sim_get16 (f.ip6) >> 4);
  hop = f.ip6[7];
  proto = f.proto;
  seg_len = sim_get16 (f.ip6 + 4);

  sim_packet_strip (packet, SIM_ETH_HLEN + SIM_IPV6_HLEN);
  packet->len = seg_len;
  seg = packet->data;
  coff = nat64_reset_l4 (seg, proto, sport, dport);
  check = sim_checksum_l4 (src, dst, proto, seg, seg_len);
  if (proto == SIM_IPPROTO_UDP && check == 0)
    check = 0xffff;
  sim_put16 (seg + coff, check);

  sim_ipv4_push (packet, src, dst, proto, hop, 0);
  ip = packet->data;
  if (tclass != 0)
    {
      ip[1] = tclass;
      sim_put16 (ip + 10, 0);
      sim_put16 (ip + 10, sim_checksum_fold (
                              sim_checksum_add (0, ip, SIM_IPV4_HLEN)));
    }
  sim_eth_push (packet, eth, eth + 6, SIM_ETHERTYPE_IPV4);
  return true;
}

bool
sim_nat64_to_ipv6 (SimPacket *packet, const SimIp6 *src, uint16_t sport,
                   const SimIp6 *dst, uint16_t dport)
{
  SimFrame f;
  uint8_t eth[SIM_ETH_HLEN];
  uint8_t tos, ttl, proto;
  uint32_t ihl, seg_len, coff;
  uint16_t check;
  uint8_t *seg, *ip6;

  /* The parser refuses an IPv4 fragment: no L4 view to translate. */
  if (!sim_frame_parse (packet->data, packet->len, &f) || f.ip == NULL
      || !nat64_translatable (&f)
      || sim_packet_headroom (packet) + SIM_IPV4_HLEN < SIM_IPV6_HLEN)
    return false;
  memcpy (eth, packet->data, sizeof eth);
  tos = f.ip[1];
  ttl = f.ttl;
  proto = f.proto;
  ihl = (uint32_t) (f.ip[0] & 0x0f) * 4;
  seg_len = f.ip_total - ihl;

  sim_packet_strip (packet, SIM_ETH_HLEN + ihl);
  packet->len = seg_len;
  seg = packet->data;
  coff = nat64_reset_l4 (seg, proto, sport, dport);
  check = sim_checksum_l4_v6 (src, dst, proto, seg, seg_len);
  if (proto == SIM_IPPROTO_UDP && check == 0)
    check = 0xffff;
  sim_put16 (seg + coff, check);

  sim_ipv6_push (packet, src, dst, proto, ttl, 0);
  ip6 = packet->data;
  ip6[0] = (uint8_t) (0x60 | tos >> 4);
  ip6[1] = (uint8_t) ((tos & 0x0f) << 4 | (ip6[1] & 0x0f));
  sim_eth_push (packet, eth, eth + 6, SIM_ETHERTYPE_IPV6);
  return true;
}
