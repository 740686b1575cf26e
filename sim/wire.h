/* Wire formats: writers that prepend a header in front of the packet's
 * current data (so a frame is built from the payload outwards), and one
 * parser that reads a whole Ethernet/IPv4/UDP|TCP frame into a view.
 * Addresses and ports are host byte order in every API here; the bytes on
 * the wire are network order.
 *
 * Protocol bodies (DNS, HTTP) live in sim/dns.h and sim/http.h; the Geneve
 * envelope in sim/geneve.h. */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/packet.h"

#define SIM_ETH_HLEN 14u
#define SIM_ETHERTYPE_IPV4 0x0800u
#define SIM_ETHERTYPE_TEB 0x6558u  /* transparent Ethernet bridging */
#define SIM_IPV4_HLEN 20u
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

/* A parsed Ethernet/IPv4 frame. Pointers point into the frame. */
typedef struct {
  uint16_t ethertype;
  const uint8_t *ip;            /* IPv4 header; NULL if not IPv4 */
  uint32_t src, dst;
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
bool sim_frame_checksums_ok (const SimFrame *frame);
/* A TCP SYN without ACK: the packet that opens a connection. */
bool sim_frame_opens_tcp (const SimFrame *frame);

/* In-place rewrites for NAT/SNAT: update addresses and/or ports of an
 * Ethernet/IPv4/TCP|UDP frame and fix the IPv4 and L4 checksums. */
void sim_frame_rewrite (uint8_t *frame, uint32_t len, uint32_t src,
                        uint16_t sport, uint32_t dst, uint16_t dport);
/* Decrements the TTL and fixes the header checksum; false when it hit 0. */
bool sim_frame_decrement_ttl (uint8_t *frame, uint32_t len);

/* Dotted quad into buf (at least 16 bytes); returns buf. */
char *sim_ipv4_to_string (uint32_t addr, char *buf);
/* Parses a dotted quad; false on anything else. */
bool sim_ipv4_parse (const char *text, uint32_t *out);
/* "a.b.c.d/len" (len 0..32, host bits must be zero); false otherwise. */
bool sim_cidr_parse (const char *text, uint32_t *prefix, uint8_t *len);
uint32_t sim_cidr_mask (uint8_t len);

#endif
