/* IPv4 addresses inside IPv6 ones (RFC 6052) and the header translation
 * between IPv6 and IPv4 that a NAT64 gateway applies to TCP and UDP
 * (RFC 7915, sections 4 and 5, without ICMP and fragments). The gateway's
 * state (which IPv4 address and port stand for which IPv6 flow, RFC
 * 6146) is the caller's: these functions only rewrite the bytes they are
 * told to. */
#ifndef SIM_NAT64_H
#define SIM_NAT64_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/ipv6.h"
#include "sim/packet.h"

/* 64:ff9b::/96, the well-known prefix (RFC 6052 section 2.1). */
extern const SimIp6 sim_nat64_well_known_prefix;

/* The IPv6 address that stands for v4 under a /96 prefix: the prefix's
 * first 96 bits, then v4 (host order). */
SimIp6 sim_nat64_embed (const SimIp6 *prefix96, uint32_t v4);
/* The IPv4 address addr carries under prefix96; false when addr is not
 * inside prefix96. */
bool sim_nat64_extract (const SimIp6 *prefix96, const SimIp6 *addr,
                        uint32_t *v4);

/* An Ethernet/IPv6/TCP|UDP frame becomes an Ethernet/IPv4 one with the
 * given addresses and ports (host order): type of service from the
 * traffic class, TTL from the hop limit (unchanged: decrementing is the
 * forwarder's), identification 0 and DF set (RFC 7915 5.1), the L4
 * checksum taken again over the IPv4 pseudo header. False, and the
 * packet unchanged, for anything else (extension headers, ICMPv6, a
 * truncated frame). */
bool sim_nat64_to_ipv4 (SimPacket *packet, uint32_t src, uint16_t sport,
                        uint32_t dst, uint16_t dport);
/* An Ethernet/IPv4/TCP|UDP frame becomes an Ethernet/IPv6 one with the
 * given addresses and ports: traffic class from the type of service,
 * flow label 0, hop limit from the TTL (RFC 7915 4.1), IPv4 options
 * dropped, the L4 checksum taken again over the IPv6 pseudo header (a
 * UDP checksum of 0 is computed, as IPv6 requires). False, and the
 * packet unchanged, for anything else (a fragment, ICMP, too little
 * headroom). */
bool sim_nat64_to_ipv6 (SimPacket *packet, const SimIp6 *src, uint16_t sport,
                        const SimIp6 *dst, uint16_t dport);

#endif
