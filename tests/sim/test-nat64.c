/* Tests for sim/nat64.c: RFC 6052's address embedding (its own example,
 * 192.0.2.33 under 64:ff9b::/96), and RFC 7915's header translation both
 * ways for TCP and UDP: addresses, ports, lengths, TTL and hop limit,
 * traffic class, DF, and checksums valid in the new family. What cannot
 * be translated leaves the packet as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "sim/bytes.h"
#include "sim/nat64.h"
#include "sim/wire.h"

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static SimPacketPool *pool;

static int
setup (void **state)
{
  (void) state;
  pool = sim_packet_pool_new ();
  return 0;
}

static int
teardown (void **state)
{
  (void) state;
  sim_packet_pool_free (pool);
  return 0;
}

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

static void
test_embed_and_extract (void **state)
{
  SimIp6 a = sim_nat64_embed (&sim_nat64_well_known_prefix, 0xc0000221u);
  SimIp6 other = ip6 ("64:ff9b::1:c000:221");  /* bits 80-95 set */
  char buf[SIM_IPV6_STRLEN];
  uint32_t v4 = 0;

  (void) state;
  /* RFC 6052 section 2.4's example, in RFC 5952 text. */
  assert_string_equal (sim_ipv6_to_string (&a, buf), "64:ff9b::c000:221");
  assert_true (sim_nat64_extract (&sim_nat64_well_known_prefix, &a, &v4));
  assert_int_equal (v4, 0xc0000221u);
  assert_false (sim_nat64_extract (&sim_nat64_well_known_prefix, &other,
                                   &v4));
}

/* An Ethernet/IPv6/TCP frame with payload "GET /", flags, hop limit. */
static SimPacket *
tcp6_frame (const SimIp6 *src, const SimIp6 *dst, uint8_t hop)
{
  SimPacket *p = sim_packet_new (pool);
  SimTcpHeader h = { .sport = 40001, .dport = 80, .seq = 1000, .ack = 5000,
                     .flags = SIM_TCP_ACK | SIM_TCP_PSH, .window = 65535 };

  memcpy (sim_packet_append (p, 5), "GET /", 5);
  sim_tcp6_push (p, src, dst, &h);
  sim_ipv6_push (p, src, dst, SIM_IPPROTO_TCP, hop, 0x12345);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV6);
  return p;
}

static void
test_tcp_six_to_four_and_back (void **state)
{
  SimIp6 src = ip6 ("fd20:0:0:1::5"), dst = ip6 ("64:ff9b::cb00:7107");
  SimPacket *p = tcp6_frame (&src, &dst, 63);
  SimFrame f;
  SimIp6 back_src, back_dst;

  (void) state;
  assert_true (sim_nat64_to_ipv4 (p, 0x22450001u, 1024, 0xcb007107u, 80));
  assert_true (sim_frame_parse (p->data, p->len, &f));
  assert_non_null (f.ip);
  assert_null (f.ip6);
  assert_int_equal (f.ethertype, SIM_ETHERTYPE_IPV4);
  assert_memory_equal (p->data, MAC_B, 6);
  assert_memory_equal (p->data + 6, MAC_A, 6);
  assert_int_equal (f.src, 0x22450001u);
  assert_int_equal (f.dst, 0xcb007107u);
  assert_int_equal (f.sport, 1024);
  assert_int_equal (f.dport, 80);
  assert_int_equal (f.ttl, 63);           /* the hop limit, unchanged */
  assert_int_equal (f.ip_total, 20 + 20 + 5);
  assert_int_equal (p->len, 14 + 20 + 20 + 5);
  assert_int_equal (sim_get16 (f.ip + 6), 0x4000);  /* DF, no offset */
  assert_int_equal (f.tcp.seq, 1000);
  assert_int_equal (f.tcp.ack, 5000);
  assert_int_equal (f.payload_len, 5);
  assert_memory_equal (f.payload, "GET /", 5);
  assert_true (sim_frame_checksums_ok (&f));

  /* The reply's way: back into IPv6, as the gateway answers. */
  back_src = ip6 ("64:ff9b::cb00:7107");
  back_dst = ip6 ("fd20:0:0:1::5");
  assert_true (sim_nat64_to_ipv6 (p, &back_src, 80, &back_dst, 40001));
  assert_true (sim_frame_parse (p->data, p->len, &f));
  assert_non_null (f.ip6);
  assert_int_equal (f.ethertype, SIM_ETHERTYPE_IPV6);
  assert_int_equal (p->len, 14 + 40 + 20 + 5);
  assert_int_equal (f.ttl, 63);
  assert_int_equal (sim_get32 (f.ip6) & 0xfffff, 0); /* flow label 0 */
  assert_int_equal (f.sport, 80);
  assert_int_equal (f.dport, 40001);
  {
    SimIp6 s = sim_frame_src6 (&f), d = sim_frame_dst6 (&f);
    assert_true (sim_ipv6_equal (&s, &back_src));
    assert_true (sim_ipv6_equal (&d, &back_dst));
  }
  assert_memory_equal (f.payload, "GET /", 5);
  assert_true (sim_frame_checksums_ok (&f));
  sim_packet_release (pool, p);
}

static void
test_udp_both_ways_and_traffic_class (void **state)
{
  SimIp6 src = ip6 ("fd20:0:0:1::5"), dst = ip6 ("64:ff9b::808:808");
  SimPacket *p = sim_packet_new (pool);
  SimFrame f;

  (void) state;
  memcpy (sim_packet_append (p, 3), "abc", 3);
  sim_udp6_push (p, &src, &dst, 5353, 53);
  sim_ipv6_push (p, &src, &dst, SIM_IPPROTO_UDP, 64, 1);
  p->data[0] = 0x6b;            /* traffic class 0xb8 (EF) */
  p->data[1] = 0x80 | (p->data[1] & 0x0f);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV6);

  assert_true (sim_nat64_to_ipv4 (p, 0x22450001u, 2000, 0x08080808u, 53));
  assert_true (sim_frame_parse (p->data, p->len, &f));
  assert_int_equal (f.ip[1], 0xb8);
  assert_int_equal (f.sport, 2000);
  assert_true (sim_frame_checksums_ok (&f));
  assert_int_not_equal (sim_get16 (f.l4 + 6), 0);

  assert_true (sim_nat64_to_ipv6 (p, &dst, 53, &src, 5353));
  assert_true (sim_frame_parse (p->data, p->len, &f));
  assert_int_equal (sim_get16 (f.ip6) >> 4 & 0xff, 0xb8);
  assert_int_equal (f.dport, 5353);
  assert_true (sim_frame_checksums_ok (&f));
  sim_packet_release (pool, p);
}

static void
test_untranslatable_left_alone (void **state)
{
  SimIp6 a = ip6 ("fd20::1"), b = ip6 ("64:ff9b::101:101");
  SimPacket *p = sim_packet_new (pool);
  uint8_t before[128];
  uint32_t len;

  (void) state;
  /* ICMPv6 (next header 58): not TCP or UDP. */
  memcpy (sim_packet_append (p, 8), "\x80\0\0\0\0\1\0\1", 8);
  sim_ipv6_push (p, &a, &b, 58, 64, 0);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV6);
  len = p->len;
  memcpy (before, p->data, len);
  assert_false (sim_nat64_to_ipv4 (p, 1, 1, 2, 2));
  assert_int_equal (p->len, len);
  assert_memory_equal (p->data, before, len);
  /* An IPv6 frame is not IPv4, and the other way round. */
  assert_false (sim_nat64_to_ipv6 (p, &a, 1, &b, 2));
  sim_packet_release (pool, p);

  /* An IPv4 fragment (more fragments set). */
  p = sim_packet_new (pool);
  memcpy (sim_packet_append (p, 3), "abc", 3);
  sim_udp_push (p, 0x0a000001u, 0x0a000002u, 1, 2);
  sim_ipv4_push (p, 0x0a000001u, 0x0a000002u, SIM_IPPROTO_UDP, 64, 7);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  p->data[14 + 6] |= 0x20;
  len = p->len;
  memcpy (before, p->data, len);
  assert_false (sim_nat64_to_ipv6 (p, &a, 1, &b, 2));
  assert_memory_equal (p->data, before, len);
  assert_false (sim_nat64_to_ipv4 (p, 1, 1, 2, 2));
  sim_packet_release (pool, p);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_embed_and_extract),
    cmocka_unit_test (test_tcp_six_to_four_and_back),
    cmocka_unit_test (test_udp_both_ways_and_traffic_class),
    cmocka_unit_test (test_untranslatable_left_alone),
  };

  return cmocka_run_group_tests (tests, setup, teardown);
}
