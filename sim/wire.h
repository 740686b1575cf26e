/* Wire formats: writers that prepend a header in front of the packet's
 * current data (so a frame is built from the payload outwards), and one
 * parser that reads a whole Ethernet/IPv4|IPv6/UDP|TCP frame into a view.
 * IPv4 addresses and ports are host byte order in every API here; IPv6
 * addresses are SimIp6 (sim/ipv6.h, network order); the bytes on the wire
 * are network order.
 *
 * IPv6 (RFC 8200), written by sim/wire6.c: a fixed 40-byte header with
 * traffic class 0 and the flow label the caller gives (sim_ipv6_flow_label
 * computes the one hosts use), UDP and TCP right after it with the RFC 8200
 * section 8.1 pseudo-header checksum. No extension headers and no
 * fragmentation: a sender whose packet exceeds the link MTU has its own
 * problem to solve (path MTU discovery), as with IPv4 and DF. Google's
 * VPC networks carry 1460-byte packets by default and 1300 to 8896 when
 * set (cloud.google.com/vpc/docs/mtu), all above IPv6's 1280-byte
 * minimum link MTU (RFC 8200 section 5). The parser
 * takes the first next header as the upper layer: a frame with extension
 * headers parses with no L4 view, its payload the IPv6 payload. NAT
 * rewrites are IPv4 only; translation between the families is
 * sim/nat64.h's.
 *
 * Protocol bodies (DNS, HTTP) live in sim/dns.h and sim/http.h; the Geneve
 * envelope in sim/geneve.h. */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/ipv6.h"
#include "sim/packet.h"

#define SIM_ETH_HLEN 14u
#define SIM_ETHERTYPE_IPV4 0x0800u
#define SIM_ETHERTYPE_TEB 0x6558u  /* transparent Ethernet bridging */
#define SIM_ETHERTYPE_IPV6 0x86DDu
#define SIM_IPV4_HLEN 20u
#define SIM_IPV6_HLEN 40u
#define SIM_UDP_HLEN 8u
#define SIM_TCP_HLEN 20u            /* without options */
#define SIM_IPPROTO_ICMP 1u
#define SIM_IPPROTO_TCP 6u
#define SIM_IPPROTO_UDP 17u

#define SIM_TCP_FIN 0x01u
#define SIM_TCP_SYN 0x02u
#define SIM_TCP_RST 0x04u
#define SIM_TCP_PSH 0x08u
#define SIM_TCP_ACK 0x10u

/* Internet checksum (RFC 1071) helpers. sum is a running 32-bit sum. */
uint32_t sim_checksum_add (uint32_t sum, const void *data, size_t len);
uint16_t sim_checksum_fold (uint32_t sum);
/* Checksum of an L4 segment with the IPv4 pseudo header. */
uint16_t sim_checksum_l4 (uint32_t src, uint32_t dst, uint8_t proto,
                          const void *segment, size_t len);

/* Writers: each prepends its header before packet->data. */
void sim_eth_push (SimPacket *packet, const uint8_t dst[6],
                   const uint8_t src[6], uint16_t ethertype);
/* Total length from the current packet length; header checksum computed;
 * DF set, no options. */
void sim_ipv4_push (SimPacket *packet, uint32_t src, uint32_t dst,
                    uint8_t proto, uint8_t ttl, uint16_t id);
/* UDP length from the current packet length; checksum with pseudo header. */
void sim_udp_push (SimPacket *packet, uint32_t src, uint32_t dst,
                   uint16_t sport, uint16_t dport);

typedef struct {
  uint16_t sport, dport;
  uint32_t seq, ack;
  uint8_t flags;                /* SIM_TCP_* */
  uint16_t window;
  uint16_t mss;                 /* MSS option when non-zero (SYN only) */
} SimTcpHeader;
/* TCP header (20 bytes, 24 with MSS) in front of the current payload;
 * checksum with pseudo header. */
void sim_tcp_push (SimPacket *packet, uint32_t src, uint32_t dst,
                   const SimTcpHeader *h);

/* IPv6 writers (sim/wire6.c). */
/* Checksum of an L4 segment with the IPv6 pseudo header (RFC 8200 8.1:
 * source, destination, 32-bit upper-layer length, 3 zero bytes, next
 * header). */
uint16_t sim_checksum_l4_v6 (const SimIp6 *src, const SimIp6 *dst,
                             uint8_t next_header, const void *segment,
                             size_t len);
/* Payload length from the current packet length; traffic class 0; only
 * the low 20 bits of flow_label are used. */
void sim_ipv6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
                    uint8_t next_header, uint8_t hop_limit,
                    uint32_t flow_label);
/* UDP over IPv6: the checksum is mandatory (RFC 8200 8.1), so a computed
 * 0 goes out as 0xffff. */
void sim_udp6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
                    uint16_t sport, uint16_t dport);
void sim_tcp6_push (SimPacket *packet, const SimIp6 *src, const SimIp6 *dst,
                    const SimTcpHeader *h);
/* The flow label a host puts on a flow's packets (RFC 6437 section 3: a
 * stateless hash of the 5-tuple): FNV-1a over source, destination, next
 * header and both ports, folded to 20 bits; never 0 (unlabelled). The
 * same for every packet of one direction of a flow, and free of any
 * secret or seed, so runs repeat. */
uint32_t sim_ipv6_flow_label (const SimIp6 *src, const SimIp6 *dst,
                              uint8_t next_header, uint16_t sport,
                              uint16_t dport);

/* A parsed Ethernet/IPv4 or Ethernet/IPv6 frame. Pointers point into the
 * frame. For IPv6, ip is NULL (so IPv4-only code passes it by), proto is
 * the next header and ttl the hop limit; src, dst, ip_id and ip_total
 * are 0: the addresses are read with sim_frame_src6/dst6. */
typedef struct {
  const uint8_t *ip;            /* IPv4 header; NULL if not IPv4 */
  const uint8_t *ip6;           /* IPv6 header; NULL if not IPv6 */
  uint32_t src, dst;
  uint16_t ethertype;           /* (after the pointers: 80 bytes in all,
                                   as small as before ip6 came) */
  uint8_t proto, ttl;
  uint16_t ip_id;
  uint16_t ip_total;            /* IPv4 total length */
  uint16_t sport, dport;        /* UDP or TCP */
  SimTcpHeader tcp;             /* when proto is TCP */
  const uint8_t *l4;            /* UDP/TCP header */
  const uint8_t *payload;       /* after the L4 header */
  uint32_t payload_len;
} SimFrame;

/* False when the frame is truncated or inconsistent (lengths, header
 * lengths); checksums are not verified here (see sim_frame_checksums_ok). */
bool sim_frame_parse (const uint8_t *data, uint32_t len, SimFrame *out);
/* IPv4: the header and L4 checksums; IPv6: the L4 checksum, where a UDP
 * checksum of 0 fails (RFC 8200 8.1: receivers discard it). */
bool sim_frame_checksums_ok (const SimFrame *frame);
/* The source and destination of an IPv6 frame (ip6 not NULL). */
SimIp6 sim_frame_src6 (const SimFrame *frame);
SimIp6 sim_frame_dst6 (const SimFrame *frame);
/* A TCP SYN without ACK: the packet that opens a connection. */
bool sim_frame_opens_tcp (const SimFrame *frame);

/* In-place rewrites for NAT/SNAT: update addresses and/or ports of an
 * Ethernet/IPv4/TCP|UDP frame and fix the IPv4 and L4 checksums. IPv4
 * only (g_assert'ed): sim/nat64.h translates between families. */
void sim_frame_rewrite (uint8_t *frame, uint32_t len, uint32_t src,
                        uint16_t sport, uint32_t dst, uint16_t dport);
/* Decrements the IPv4 TTL and fixes the header checksum, or the IPv6 hop
 * limit (no header checksum there); false when it hit 0. */
bool sim_frame_decrement_ttl (uint8_t *frame, uint32_t len);

/* Dotted quad into buf (at least 16 bytes); returns buf. */
char *sim_ipv4_to_string (uint32_t addr, char *buf);
/* Parses a dotted quad; false on anything else. */
bool sim_ipv4_parse (const char *text, uint32_t *out);
/* "a.b.c.d/len" (len 0..32, host bits must be zero); false otherwise. */
bool sim_cidr_parse (const char *text, uint32_t *prefix, uint8_t *len);
uint32_t sim_cidr_mask (uint8_t len);

#endif
