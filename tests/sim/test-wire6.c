/* Tests for sim/wire6.c and the IPv6 side of sim/wire.c: the writers'
 * bytes against frames checked independently, the pseudo-header checksum
 * (by hand below, and by tshark), UDP's mandatory checksum, the parser
 * on IPv6 frames (fields, padding, truncation, lengths), checksum
 * verification, hop-limit decrement and the flow label.
 *
 * The frame vectors were produced by sim/wire6.c, written to a pcap and
 * read back with tshark 4.0.17 -o tcp.check_checksum:TRUE
 * -o udp.check_checksum:TRUE, which reported udp.checksum.status and
 * tcp.checksum.status 1 (Good) for each, and no expert warning.
 *
 * UDP6_HELLO's checksum by hand (RFC 1071 sums of 16-bit words):
 *   source 2600:2d00:2:2000::2       2600+2d00+0002+2000+0002 = 7304
 *   destination 2600:2d00:2:2000::9  2600+2d00+0002+2000+0009 = 730b
 *   upper-layer length 13, next header 17          000d+0011 = 001e
 *   UDP header 9c40 270f 000d (checksum 0)              = c35c
 *   data "hello" 6865 6c6c 6f00                          = 143d1
 *   total 2ed5a -> folded ed5c -> complement 12a3, on the wire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "sim/wire.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/* UDP 5-byte payload, flow label 0x12345 (67 bytes) */
static const uint8_t UDP6_HELLO[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x86, 0xdd, 0x60, 0x01, 0x23, 0x45, 0x00, 0x0d, 0x11, 0x40, 0x26, 0x00,
  0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x02, 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0d,
  0x12, 0xa3, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* TCP SYN MSS 1440, the hosts' flow label (78 bytes) */
static const uint8_t TCP6_SYN[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x86, 0xdd, 0x60, 0x06, 0x3c, 0x6a, 0x00, 0x18, 0x06, 0x40, 0x26, 0x00,
  0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x02, 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x9c, 0x41, 0x00, 0x50, 0x00, 0x00,
  0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x60, 0x02, 0xff, 0xff, 0x11, 0xb2,
  0x00, 0x00, 0x02, 0x04, 0x05, 0xa0,
};

/* TCP data "GET / HTTP/1.1\r\n\r\n" (92 bytes) */
static const uint8_t TCP6_DATA[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x86, 0xdd, 0x60, 0x06, 0x3c, 0x6a, 0x00, 0x26, 0x06, 0x40, 0x26, 0x00,
  0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x02, 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x9c, 0x41, 0x00, 0x50, 0x00, 0x00,
  0x03, 0xe9, 0x00, 0x00, 0x13, 0x89, 0x50, 0x18, 0xff, 0xff, 0x37, 0x07,
  0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x20, 0x48, 0x54, 0x54, 0x50,
  0x2f, 0x31, 0x2e, 0x31, 0x0d, 0x0a, 0x0d, 0x0a,
};

/* UDP whose checksum computes to 0: the payload 567b completes the sum
 * to ffff, so 0xffff goes out (tshark: Good) (64 bytes) */
static const uint8_t UDP6_FFFF[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x86, 0xdd, 0x60, 0x01, 0x23, 0x45, 0x00, 0x0a, 0x11, 0x40, 0x26, 0x00,
  0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x02, 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x9c, 0x40, 0x27, 0x0f, 0x00, 0x0a,
  0xff, 0xff, 0x56, 0x7b,
};

static const struct {
  const uint8_t *bytes;
  size_t len;
} vectors[] = {
  { UDP6_HELLO, sizeof UDP6_HELLO },
  { TCP6_SYN, sizeof TCP6_SYN },
  { TCP6_DATA, sizeof TCP6_DATA },
  { UDP6_FFFF, sizeof UDP6_FFFF },
};

static SimPacketPool *pool;
static SimIp6 client, server;

static int
setup (void **state)
{
  (void) state;
  pool = sim_packet_pool_new ();
  assert_true (sim_ipv6_parse ("2600:2d00:2:2000::2", &client));
  assert_true (sim_ipv6_parse ("2600:2d00:2:2000::9", &server));
  return 0;
}

static int
teardown (void **state)
{
  (void) state;
  sim_packet_pool_free (pool);
  return 0;
}

static uint32_t
syn_label (void)
{
  return sim_ipv6_flow_label (&client, &server, SIM_IPPROTO_TCP, 40001, 80);
}

static void
finish (SimPacket *p, uint8_t next, uint32_t label)
{
  sim_ipv6_push (p, &client, &server, next, 64, label);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV6);
}

static void
assert_packet_is (SimPacket *p, const uint8_t *want, size_t len)
{
  assert_int_equal (p->len, len);
  assert_memory_equal (p->data, want, len);
  sim_packet_release (pool, p);
}

static void
test_wire6__writers_reproduce_verified_frames (void **state)
{
  static const SimTcpHeader syn = { 40001, 80, 1000, 0, SIM_TCP_SYN,
                                    65535, 1440 };
  static const SimTcpHeader data = { 40001, 80, 1001, 5001,
                                     SIM_TCP_ACK | SIM_TCP_PSH, 65535, 0 };
  SimPacket *p;

  (void) state;
  p = sim_packet_new (pool);
  memcpy (sim_packet_append (p, 5), "hello", 5);
  sim_udp6_push (p, &client, &server, 40000, 9999);
  finish (p, SIM_IPPROTO_UDP, 0x12345);
  assert_packet_is (p, UDP6_HELLO, sizeof UDP6_HELLO);

  p = sim_packet_new (pool);
  sim_tcp6_push (p, &client, &server, &syn);
  finish (p, SIM_IPPROTO_TCP, syn_label ());
  assert_packet_is (p, TCP6_SYN, sizeof TCP6_SYN);

  p = sim_packet_new (pool);
  memcpy (sim_packet_append (p, 18), "GET / HTTP/1.1\r\n\r\n", 18);
  sim_tcp6_push (p, &client, &server, &data);
  finish (p, SIM_IPPROTO_TCP, syn_label ());
  assert_packet_is (p, TCP6_DATA, sizeof TCP6_DATA);

  /* A computed 0 goes out as 0xffff: IPv6 has no "no checksum". */
  p = sim_packet_new (pool);
  memcpy (sim_packet_append (p, 2), "\x56\x7b", 2);
  sim_udp6_push (p, &client, &server, 40000, 9999);
  finish (p, SIM_IPPROTO_UDP, 0x12345);
  assert_packet_is (p, UDP6_FFFF, sizeof UDP6_FFFF);
}

/* The pseudo header holds both addresses, the length and the next header:
 * changing any one changes the checksum. */
static void
test_wire6__pseudo_header_covers_every_field (void **state)
{
  const uint8_t *seg = UDP6_HELLO + SIM_ETH_HLEN + SIM_IPV6_HLEN;
  SimIp6 other = server;

  (void) state;
  assert_int_equal (sim_checksum_l4_v6 (&client, &server, SIM_IPPROTO_UDP,
                                        seg, 13), 0);
  other.b[0] ^= 0x01;
  assert_int_not_equal (sim_checksum_l4_v6 (&client, &other,
                                            SIM_IPPROTO_UDP, seg, 13), 0);
  assert_int_not_equal (sim_checksum_l4_v6 (&other, &server,
                                            SIM_IPPROTO_UDP, seg, 13), 0);
  other = server;
  other.b[15] ^= 0x80;          /* the last byte of the destination */
  assert_int_not_equal (sim_checksum_l4_v6 (&client, &other,
                                            SIM_IPPROTO_UDP, seg, 13), 0);
  assert_int_not_equal (sim_checksum_l4_v6 (&client, &server,
                                            SIM_IPPROTO_TCP, seg, 13), 0);
}

static void
test_wire6__parse_reads_every_field (void **state)
{
  SimFrame f;
  SimIp6 src, dst;

  (void) state;
  assert_true (sim_frame_parse (TCP6_SYN, sizeof TCP6_SYN, &f));
  assert_int_equal (f.ethertype, SIM_ETHERTYPE_IPV6);
  assert_null (f.ip);
  assert_ptr_equal (f.ip6, TCP6_SYN + SIM_ETH_HLEN);
  src = sim_frame_src6 (&f);
  dst = sim_frame_dst6 (&f);
  assert_true (sim_ipv6_equal (&src, &client));
  assert_true (sim_ipv6_equal (&dst, &server));
  assert_int_equal (f.src, 0);
  assert_int_equal (f.dst, 0);
  assert_int_equal (f.proto, SIM_IPPROTO_TCP);
  assert_int_equal (f.ttl, 64);
  assert_int_equal (f.sport, 40001);
  assert_int_equal (f.dport, 80);
  assert_int_equal (f.tcp.seq, 1000);
  assert_int_equal (f.tcp.flags, SIM_TCP_SYN);
  assert_int_equal (f.tcp.mss, 1440);
  assert_true (sim_frame_opens_tcp (&f));
  assert_int_equal (f.payload_len, 0);

  assert_true (sim_frame_parse (TCP6_DATA, sizeof TCP6_DATA, &f));
  assert_int_equal (f.payload_len, 18);
  assert_memory_equal (f.payload, "GET / HTTP/1.1\r\n\r\n", 18);

  assert_true (sim_frame_parse (UDP6_HELLO, sizeof UDP6_HELLO, &f));
  assert_int_equal (f.proto, SIM_IPPROTO_UDP);
  assert_int_equal (f.sport, 40000);
  assert_int_equal (f.dport, 9999);
  assert_int_equal (f.payload_len, 5);
  assert_memory_equal (f.payload, "hello", 5);
}

/* Bytes past the payload length are Ethernet padding. */
static void
test_wire6__parse_excludes_padding (void **state)
{
  uint8_t padded[sizeof UDP6_HELLO + 7];
  SimFrame f;

  (void) state;
  memcpy (padded, UDP6_HELLO, sizeof UDP6_HELLO);
  memset (padded + sizeof UDP6_HELLO, 0xee, 7);
  assert_true (sim_frame_parse (padded, sizeof padded, &f));
  assert_int_equal (f.payload_len, 5);
  assert_true (sim_frame_checksums_ok (&f));
}

static void
test_wire6__parse_rejects_every_truncation (void **state)
{
  SimFrame f;

  (void) state;
  for (size_t v = 0; v < N_ELEMENTS (vectors); v++)
    for (size_t len = 0; len < vectors[v].len; len++)
      assert_false (sim_frame_parse (vectors[v].bytes, (uint32_t) len, &f));
}

/* The payload length must fit the frame and agree with UDP's length;
 * the version must be 6. */
static void
test_wire6__parse_rejects_inconsistent_lengths (void **state)
{
  uint8_t frame[sizeof UDP6_HELLO];
  SimFrame f;

  (void) state;
  memcpy (frame, UDP6_HELLO, sizeof frame);
  frame[SIM_ETH_HLEN + 5] = 14;                 /* payload length 14 */
  assert_false (sim_frame_parse (frame, sizeof frame, &f));
  frame[SIM_ETH_HLEN + 5] = 12;                 /* UDP says 13 */
  assert_false (sim_frame_parse (frame, sizeof frame, &f));
  memcpy (frame, UDP6_HELLO, sizeof frame);
  frame[SIM_ETH_HLEN] = 0x40;                   /* version 4 */
  assert_false (sim_frame_parse (frame, sizeof frame, &f));
}

/* A next header that is neither TCP nor UDP (here hop-by-hop options,
 * which are not walked) leaves the IPv6 payload as the payload. */
static void
test_wire6__parse_other_next_header_gives_ip_payload (void **state)
{
  uint8_t frame[sizeof UDP6_HELLO];
  SimFrame f;

  (void) state;
  memcpy (frame, UDP6_HELLO, sizeof frame);
  frame[SIM_ETH_HLEN + 6] = 0;
  assert_true (sim_frame_parse (frame, sizeof frame, &f));
  assert_non_null (f.ip6);
  assert_null (f.l4);
  assert_int_equal (f.proto, 0);
  assert_ptr_equal (f.payload, frame + SIM_ETH_HLEN + SIM_IPV6_HLEN);
  assert_int_equal (f.payload_len, 13);
  assert_true (sim_frame_checksums_ok (&f));
}

/* Every bit of the L4 segment and the addresses is covered; the IPv6
 * header's other fields are not (there is no header checksum). */
static void
test_wire6__checksums_ok_detects_any_flipped_bit (void **state)
{
  SimFrame f;

  (void) state;
  for (size_t v = 0; v < N_ELEMENTS (vectors); v++)
    {
      uint8_t frame[128];
      size_t len = vectors[v].len;

      assert_true (sim_frame_parse (vectors[v].bytes, (uint32_t) len, &f));
      assert_true (sim_frame_checksums_ok (&f));
      for (size_t byte = SIM_ETH_HLEN + 8; byte < len; byte++)
        for (int bit = 0; bit < 8; bit++)
          {
            memcpy (frame, vectors[v].bytes, len);
            frame[byte] ^= (uint8_t) (1u << bit);
            if (!sim_frame_parse (frame, (uint32_t) len, &f))
              continue;         /* a length or an offset broke */
            assert_false (sim_frame_checksums_ok (&f));
          }
    }
}

/* RFC 8200 8.1: a UDP checksum of 0 over IPv6 is discarded. */
static void
test_wire6__zero_udp_checksum_fails (void **state)
{
  uint8_t frame[sizeof UDP6_HELLO];
  SimFrame f;

  (void) state;
  memcpy (frame, UDP6_HELLO, sizeof frame);
  frame[SIM_ETH_HLEN + SIM_IPV6_HLEN + 6] = 0;
  frame[SIM_ETH_HLEN + SIM_IPV6_HLEN + 7] = 0;
  assert_true (sim_frame_parse (frame, sizeof frame, &f));
  assert_false (sim_frame_checksums_ok (&f));
}

/* The hop limit drops by one; nothing else changes (no header checksum),
 * so the L4 checksum still verifies. */
static void
test_wire6__decrement_hop_limit (void **state)
{
  uint8_t frame[sizeof TCP6_DATA];
  SimFrame f;

  (void) state;
  memcpy (frame, TCP6_DATA, sizeof frame);
  assert_true (sim_frame_decrement_ttl (frame, sizeof frame));
  assert_int_equal (frame[SIM_ETH_HLEN + 7], 63);
  frame[SIM_ETH_HLEN + 7] = 64;
  assert_memory_equal (frame, TCP6_DATA, sizeof frame);
  frame[SIM_ETH_HLEN + 7] = 2;
  assert_true (sim_frame_decrement_ttl (frame, sizeof frame));
  assert_false (sim_frame_decrement_ttl (frame, sizeof frame));
  assert_int_equal (frame[SIM_ETH_HLEN + 7], 0);
  assert_false (sim_frame_decrement_ttl (frame, sizeof frame));
  assert_int_equal (frame[SIM_ETH_HLEN + 7], 0);
  assert_true (sim_frame_parse (frame, sizeof frame, &f));
  assert_true (sim_frame_checksums_ok (&f));
}

/* 20 bits, never 0, the same for the same 5-tuple, different when any
 * part of it differs. */
static void
test_wire6__flow_label_hashes_the_five_tuple (void **state)
{
  uint32_t label = syn_label ();
  SimIp6 other = server;

  (void) state;
  other.b[15]++;
  assert_int_equal (label, 0x63c6a);
  assert_int_equal (label, syn_label ());
  assert_int_not_equal (label, sim_ipv6_flow_label (
      &server, &client, SIM_IPPROTO_TCP, 40001, 80));
  assert_int_not_equal (label, sim_ipv6_flow_label (
      &client, &other, SIM_IPPROTO_TCP, 40001, 80));
  assert_int_not_equal (label, sim_ipv6_flow_label (
      &client, &server, SIM_IPPROTO_UDP, 40001, 80));
  assert_int_not_equal (label, sim_ipv6_flow_label (
      &client, &server, SIM_IPPROTO_TCP, 40002, 80));
  assert_int_not_equal (label, sim_ipv6_flow_label (
      &client, &server, SIM_IPPROTO_TCP, 40001, 81));
  for (uint16_t port = 1; port < 2000; port++)
    {
      uint32_t l = sim_ipv6_flow_label (&client, &server, SIM_IPPROTO_UDP,
                                        port, 53);
      assert_in_range (l, 1, 0xfffff);
    }
}

/* The writer keeps the label's 20 bits and the version. */
static void
test_wire6__ipv6_push_masks_the_flow_label (void **state)
{
  SimPacket *p = sim_packet_new (pool);

  (void) state;
  sim_ipv6_push (p, &client, &server, 59, 255, 0xfff12345u);
  assert_int_equal (p->len, SIM_IPV6_HLEN);
  assert_int_equal (p->data[0], 0x60);
  assert_int_equal (p->data[1], 0x01);
  assert_int_equal (p->data[2], 0x23);
  assert_int_equal (p->data[3], 0x45);
  assert_int_equal (p->data[4], 0);
  assert_int_equal (p->data[5], 0);
  assert_int_equal (p->data[6], 59);
  assert_int_equal (p->data[7], 255);
  sim_packet_release (pool, p);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_wire6__writers_reproduce_verified_frames),
    cmocka_unit_test (test_wire6__pseudo_header_covers_every_field),
    cmocka_unit_test (test_wire6__parse_reads_every_field),
    cmocka_unit_test (test_wire6__parse_excludes_padding),
    cmocka_unit_test (test_wire6__parse_rejects_every_truncation),
    cmocka_unit_test (test_wire6__parse_rejects_inconsistent_lengths),
    cmocka_unit_test (test_wire6__parse_other_next_header_gives_ip_payload),
    cmocka_unit_test (test_wire6__checksums_ok_detects_any_flipped_bit),
    cmocka_unit_test (test_wire6__zero_udp_checksum_fails),
    cmocka_unit_test (test_wire6__decrement_hop_limit),
    cmocka_unit_test (test_wire6__flow_label_hashes_the_five_tuple),
    cmocka_unit_test (test_wire6__ipv6_push_masks_the_flow_label),
  };

  return cmocka_run_group_tests (tests, setup, teardown);
}
