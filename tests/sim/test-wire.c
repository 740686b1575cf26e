/* Tests for sim/wire.c: checksums against published and tshark-verified
 * vectors, writer output byte for byte, parser validation (every
 * truncation, every inconsistent length), NAT rewrites, TTL, and the text
 * forms of addresses and prefixes.
 *
 * The frame vectors were produced by sim/wire.c, written to a pcap and
 * read back with tshark 4.0.17 -o ip.check_checksum:TRUE
 * -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -V, which
 * reported every IPv4, UDP and TCP checksum "correct" (status Good). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/wire.h"

#define IP4(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 | (d))
#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint32_t CLIENT = IP4 (10, 8, 0, 2);
static const uint32_t SERVER = IP4 (10, 8, 0, 9);
static const char HTTP_GET[] = "GET /hello HTTP/1.1\r\n"
                               "Host: svc-b.a.run.app\r\n"
                               "User-Agent: cloudrun-netsim\r\n"
                               "Content-Length: 0\r\n\r\n";

/* UDP 5-byte payload (47 bytes) */
static const uint8_t UDP_HELLO[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x21, 0x00, 0x07, 0x40, 0x00, 0x40, 0x11,
  0x26, 0xab, 0x0a, 0x08, 0x00, 0x02, 0x0a, 0x08, 0x00, 0x09, 0x9c, 0x40,
  0x27, 0x0f, 0x00, 0x0d, 0xe4, 0x97, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* TCP SYN MSS 1460 (58 bytes) */
static const uint8_t TCP_SYN[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
  0x14, 0x7e, 0x0a, 0x08, 0x00, 0x02, 0x0a, 0x08, 0x00, 0x09, 0x9c, 0x41,
  0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x60, 0x02,
  0xff, 0xff, 0xe3, 0x92, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

/* TCP HTTP request (148 bytes) */
static const uint8_t TCP_HTTP[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x86, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
  0x14, 0x24, 0x0a, 0x08, 0x00, 0x02, 0x0a, 0x08, 0x00, 0x09, 0x9c, 0x41,
  0x00, 0x50, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x13, 0x89, 0x50, 0x18,
  0xff, 0xff, 0xe1, 0xdd, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x68,
  0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e,
  0x31, 0x0d, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x3a, 0x20, 0x73, 0x76, 0x63,
  0x2d, 0x62, 0x2e, 0x61, 0x2e, 0x72, 0x75, 0x6e, 0x2e, 0x61, 0x70, 0x70,
  0x0d, 0x0a, 0x55, 0x73, 0x65, 0x72, 0x2d, 0x41, 0x67, 0x65, 0x6e, 0x74,
  0x3a, 0x20, 0x63, 0x6c, 0x6f, 0x75, 0x64, 0x72, 0x75, 0x6e, 0x2d, 0x6e,
  0x65, 0x74, 0x73, 0x69, 0x6d, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65,
  0x6e, 0x74, 0x2d, 0x4c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x3a, 0x20, 0x30,
  0x0d, 0x0a, 0x0d, 0x0a,
};

/* UDP checksum 0xffff (44 bytes) */
static const uint8_t UDP_FFFF[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x1e, 0x00, 0x0b, 0x40, 0x00, 0x40, 0x11,
  0x26, 0xaa, 0x0a, 0x08, 0x00, 0x02, 0x0a, 0x08, 0x00, 0x09, 0x9c, 0x40,
  0x27, 0x0f, 0x00, 0x0a, 0xff, 0xff, 0x28, 0x70,
};

/* UDP after rewrite (47 bytes) */
static const uint8_t UDP_HELLO_SNAT[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x21, 0x00, 0x07, 0x40, 0x00, 0x40, 0x11,
  0x09, 0xb6, 0x23, 0x01, 0x02, 0x03, 0x08, 0x08, 0x04, 0x04, 0x04, 0x01,
  0x27, 0x0f, 0x00, 0x0d, 0x5f, 0xe2, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* TCP HTTP request after SNAT + TTL (148 bytes) */
static const uint8_t TCP_HTTP_SNAT_TTL[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0x86, 0x12, 0x34, 0x40, 0x00, 0x3f, 0x06,
  0xe3, 0x25, 0xcb, 0x00, 0x71, 0x07, 0x0a, 0x08, 0x00, 0x09, 0xee, 0x48,
  0x00, 0x50, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x13, 0x89, 0x50, 0x18,
  0xff, 0xff, 0x5d, 0xd8, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20, 0x2f, 0x68,
  0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e,
  0x31, 0x0d, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x3a, 0x20, 0x73, 0x76, 0x63,
  0x2d, 0x62, 0x2e, 0x61, 0x2e, 0x72, 0x75, 0x6e, 0x2e, 0x61, 0x70, 0x70,
  0x0d, 0x0a, 0x55, 0x73, 0x65, 0x72, 0x2d, 0x41, 0x67, 0x65, 0x6e, 0x74,
  0x3a, 0x20, 0x63, 0x6c, 0x6f, 0x75, 0x64, 0x72, 0x75, 0x6e, 0x2d, 0x6e,
  0x65, 0x74, 0x73, 0x69, 0x6d, 0x0d, 0x0a, 0x43, 0x6f, 0x6e, 0x74, 0x65,
  0x6e, 0x74, 0x2d, 0x4c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x3a, 0x20, 0x30,
  0x0d, 0x0a, 0x0d, 0x0a,
};

static SimPacketPool *pool;

static int
group_setup (void **state)
{
  (void) state;
  pool = sim_packet_pool_new ();
  return 0;
}

static int
group_teardown (void **state)
{
  (void) state;
  sim_packet_pool_free (pool);  /* asserts every packet came back */
  return 0;
}

/* ---- Builders for the vectors -------------------------------------- */

static SimPacket *
build_udp (uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
           const void *payload, uint32_t n, uint16_t id)
{
  SimPacket *p = sim_packet_new (pool);

  memcpy (sim_packet_append (p, n), payload, n);
  sim_udp_push (p, src, dst, sport, dport);
  sim_ipv4_push (p, src, dst, SIM_IPPROTO_UDP, 64, id);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  return p;
}

static SimPacket *
build_tcp (uint32_t src, uint32_t dst, const SimTcpHeader *h,
           const void *payload, uint32_t n)
{
  SimPacket *p = sim_packet_new (pool);

  if (n > 0)
    memcpy (sim_packet_append (p, n), payload, n);
  sim_tcp_push (p, src, dst, h);
  sim_ipv4_push (p, src, dst, SIM_IPPROTO_TCP, 64, 0x1234);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  return p;
}

static SimPacket *
make_udp_hello (void)
{
  return build_udp (CLIENT, 40000, SERVER, 9999, "hello", 5, 7);
}

static SimPacket *
make_udp_ffff (void)
{
  /* This payload makes the computed checksum 0, sent as 0xffff. */
  return build_udp (CLIENT, 40000, SERVER, 9999, "\x28\x70", 2, 11);
}

static SimPacket *
make_tcp_syn (void)
{
  SimTcpHeader h = { .sport = 40001, .dport = 80, .seq = 1000,
                     .flags = SIM_TCP_SYN, .window = 65535, .mss = 1460 };
  return build_tcp (CLIENT, SERVER, &h, NULL, 0);
}

static SimPacket *
make_tcp_http (void)
{
  SimTcpHeader h = { .sport = 40001, .dport = 80, .seq = 1001, .ack = 5001,
                     .flags = SIM_TCP_ACK | SIM_TCP_PSH, .window = 65535 };
  return build_tcp (CLIENT, SERVER, &h, HTTP_GET, sizeof HTTP_GET - 1);
}

typedef struct {
  const char *name;
  const uint8_t *bytes;
  size_t len;
  SimPacket *(*make) (void);
} Vector;

static const Vector vectors[] = {
  { "udp hello", UDP_HELLO, sizeof UDP_HELLO, make_udp_hello },
  { "udp checksum 0xffff", UDP_FFFF, sizeof UDP_FFFF, make_udp_ffff },
  { "tcp syn mss", TCP_SYN, sizeof TCP_SYN, make_tcp_syn },
  { "tcp http", TCP_HTTP, sizeof TCP_HTTP, make_tcp_http },
};

/* ---- Checksums ------------------------------------------------------ */

static void
test_wire__ipv4_header_checksum_matches_published_vector (void **state)
{
  /* The classic example header: 192.168.0.1 -> 192.168.0.199, UDP. */
  uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
                    0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
                    0xc0, 0xa8, 0x00, 0xc7 };
  (void) state;
  assert_int_equal (sim_checksum_fold (sim_checksum_add (0, h, 20)), 0xb861);
  h[10] = 0xb8;
  h[11] = 0x61;
  assert_int_equal (sim_checksum_fold (sim_checksum_add (0, h, 20)), 0);
}

static void
test_wire__checksum_add_follows_rfc1071 (void **state)
{
  /* RFC 1071 section 3 example: the folded sum is 0xddf2. */
  static const uint8_t rfc[8] = { 0x00, 0x01, 0xf2, 0x03,
                                  0xf4, 0xf5, 0xf6, 0xf7 };
  static const uint8_t odd[3] = { 0x12, 0x34, 0x56 };
  static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };
  (void) state;
  assert_int_equal (sim_checksum_add (0, rfc, 8), 0xddf2);
  assert_int_equal (sim_checksum_fold (sim_checksum_add (0, rfc, 8)), 0x220d);
  /* A running sum over two even halves equals the sum over the whole. */
  assert_int_equal (sim_checksum_add (sim_checksum_add (0, rfc, 4), rfc + 4, 4),
                    0xddf2);
  /* An odd last byte is padded with zero on the right. */
  assert_int_equal (sim_checksum_add (0, odd, 3), 0x1234 + 0x5600);
  assert_int_equal (sim_checksum_fold (sim_checksum_add (0, ones, 4)), 0);
}

static void
test_wire__l4_checksums_match_tshark_verified_bytes (void **state)
{
  static const struct {
    const uint8_t *frame;
    size_t len;
    uint8_t proto;
    size_t check_at;            /* offset of the L4 checksum field */
  } cases[] = {
    { UDP_HELLO, sizeof UDP_HELLO, SIM_IPPROTO_UDP, 40 },
    { TCP_SYN, sizeof TCP_SYN, SIM_IPPROTO_TCP, 50 },
    { TCP_HTTP, sizeof TCP_HTTP, SIM_IPPROTO_TCP, 50 },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t seg[256];
      size_t n = cases[i].len - 34;
      uint16_t want = (uint16_t) (cases[i].frame[cases[i].check_at] << 8
                                  | cases[i].frame[cases[i].check_at + 1]);

      memcpy (seg, cases[i].frame + 34, n);
      seg[cases[i].check_at - 34] = 0;
      seg[cases[i].check_at - 33] = 0;
      assert_int_equal (sim_checksum_l4 (CLIENT, SERVER, cases[i].proto, seg,
                                         n),
                        want);
    }
}

/* ---- Writers -------------------------------------------------------- */

static void
test_wire__writers_reproduce_verified_frames (void **state)
{
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (vectors); i++)
    {
      SimPacket *p = vectors[i].make ();

      assert_int_equal (p->len, vectors[i].len);
      assert_memory_equal (p->data, vectors[i].bytes, vectors[i].len);
      sim_packet_release (pool, p);
    }
}

static void
test_wire__tcp_push_without_mss_has_offset_5 (void **state)
{
  SimTcpHeader h = { .sport = 1, .dport = 2, .flags = SIM_TCP_ACK };
  SimPacket *p = sim_packet_new (pool);
  SimFrame f;
  (void) state;
  sim_tcp_push (p, CLIENT, SERVER, &h);
  assert_int_equal (p->len, SIM_TCP_HLEN);
  assert_int_equal (p->data[12], 0x50);
  sim_ipv4_push (p, CLIENT, SERVER, SIM_IPPROTO_TCP, 64, 1);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  assert_true (sim_frame_parse (p->data, p->len, &f));
  assert_int_equal (f.tcp.mss, 0);
  assert_true (sim_frame_checksums_ok (&f));
  sim_packet_release (pool, p);
}

/* ---- Parser --------------------------------------------------------- */

static void
test_wire__parse_reads_every_field (void **state)
{
  SimFrame f;
  (void) state;
  assert_true (sim_frame_parse (TCP_SYN, sizeof TCP_SYN, &f));
  assert_int_equal (f.ethertype, SIM_ETHERTYPE_IPV4);
  assert_ptr_equal (f.ip, TCP_SYN + 14);
  assert_int_equal (f.src, CLIENT);
  assert_int_equal (f.dst, SERVER);
  assert_int_equal (f.proto, SIM_IPPROTO_TCP);
  assert_int_equal (f.ttl, 64);
  assert_int_equal (f.ip_id, 0x1234);
  assert_int_equal (f.ip_total, 44);
  assert_int_equal (f.sport, 40001);
  assert_int_equal (f.dport, 80);
  assert_int_equal (f.tcp.seq, 1000);
  assert_int_equal (f.tcp.ack, 0);
  assert_int_equal (f.tcp.flags, SIM_TCP_SYN);
  assert_int_equal (f.tcp.window, 65535);
  assert_int_equal (f.tcp.mss, 1460);
  assert_ptr_equal (f.l4, TCP_SYN + 34);
  assert_ptr_equal (f.payload, TCP_SYN + sizeof TCP_SYN);
  assert_int_equal (f.payload_len, 0);

  assert_true (sim_frame_parse (TCP_HTTP, sizeof TCP_HTTP, &f));
  assert_int_equal (f.tcp.flags, SIM_TCP_ACK | SIM_TCP_PSH);
  assert_int_equal (f.tcp.ack, 5001);
  assert_int_equal (f.payload_len, sizeof HTTP_GET - 1);
  assert_memory_equal (f.payload, HTTP_GET, sizeof HTTP_GET - 1);
  assert_true (sim_frame_parse (UDP_HELLO, sizeof UDP_HELLO, &f));
  assert_int_equal (f.proto, SIM_IPPROTO_UDP);
  assert_int_equal (f.sport, 40000);
  assert_int_equal (f.dport, 9999);
  assert_int_equal (f.payload_len, 5);
  assert_memory_equal (f.payload, "hello", 5);
}

static void
test_wire__parse_excludes_ethernet_padding (void **state)
{
  uint8_t padded[60] = { 0 };   /* minimum Ethernet frame */
  SimFrame f;
  (void) state;
  memcpy (padded, UDP_HELLO, sizeof UDP_HELLO);
  assert_true (sim_frame_parse (padded, sizeof padded, &f));
  assert_int_equal (f.payload_len, 5);
  assert_int_equal (f.ip_total, 33);
  assert_true (sim_frame_checksums_ok (&f));
}

static void
test_wire__parse_rejects_every_truncation (void **state)
{
  SimFrame f;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (vectors); i++)
    {
      assert_true (sim_frame_parse (vectors[i].bytes, (uint32_t) vectors[i].len, &f));
      for (uint32_t cut = 0; cut < vectors[i].len; cut++)
        if (sim_frame_parse (vectors[i].bytes, cut, &f))
          fail_msg ("%s: accepted a frame cut to %u bytes", vectors[i].name,
                    cut);
    }
}

static void
test_wire__parse_rejects_inconsistent_lengths (void **state)
{
  static const struct {
    const char *name;
    const uint8_t *frame;
    size_t len;
    size_t at;                  /* offset of the bytes to overwrite */
    int n;                      /* how many bytes of b */
    uint8_t b[4];
  } cases[] = {
    { "IP version 6", TCP_SYN, sizeof TCP_SYN, 14, 1, { 0x65 } },
    { "IHL 4", TCP_SYN, sizeof TCP_SYN, 14, 1, { 0x44 } },
    { "IHL 15 > total", TCP_SYN, sizeof TCP_SYN, 14, 1, { 0x4f } },
    { "total < IHL", TCP_SYN, sizeof TCP_SYN, 16, 2, { 0x00, 0x13 } },
    { "total > frame", TCP_SYN, sizeof TCP_SYN, 16, 2, { 0x00, 0x2d } },
    { "more fragments", TCP_SYN, sizeof TCP_SYN, 20, 2, { 0x60, 0x00 } },
    { "fragment offset", TCP_SYN, sizeof TCP_SYN, 20, 2, { 0x40, 0x01 } },
    { "TCP offset 4", TCP_SYN, sizeof TCP_SYN, 46, 1, { 0x40 } },
    { "TCP offset past segment", TCP_SYN, sizeof TCP_SYN, 46, 1, { 0x70 } },
    { "TCP offset 15", TCP_SYN, sizeof TCP_SYN, 46, 1, { 0xf0 } },
    { "UDP length short", UDP_HELLO, sizeof UDP_HELLO, 38, 2, { 0x00, 0x0c } },
    { "UDP length long", UDP_HELLO, sizeof UDP_HELLO, 38, 2, { 0x00, 0x0e } },
    { "UDP length < 8", UDP_HELLO, sizeof UDP_HELLO, 38, 2, { 0x00, 0x07 } },
  };
  SimFrame f;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t frame[256];

      memcpy (frame, cases[i].frame, cases[i].len);
      memcpy (frame + cases[i].at, cases[i].b, (size_t) cases[i].n);
      if (sim_frame_parse (frame, (uint32_t) cases[i].len, &f))
        fail_msg ("accepted: %s", cases[i].name);
    }
}

/* TCP_SYN with its option area grown to 8 bytes holding opt. */
static void
syn_with_options (uint8_t frame[sizeof TCP_SYN + 4], const uint8_t opt[8])
{
  memcpy (frame, TCP_SYN, sizeof TCP_SYN);
  frame[17] = 44 + 4;           /* IPv4 total length */
  frame[46] = 0x70;             /* data offset 7 */
  memcpy (frame + 54, opt, 8);
}

static void
test_wire__parse_walks_tcp_options (void **state)
{
  static const struct {
    const char *name;
    uint8_t opt[8];
    bool ok;
    uint16_t mss;
  } cases[] = {
    { "MSS", { 0x02, 0x04, 0x05, 0xb4, 0, 0, 0, 0 }, true, 1460 },
    { "NOPs then MSS", { 0x01, 0x01, 0x02, 0x04, 0x02, 0x18, 0, 0 }, true,
      536 },
    { "NOPs only", { 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 }, true,
      0 },
    { "end of list, rest ignored", { 0x00, 0x02, 0x04, 0x05, 0, 0, 0, 0 },
      true, 0 },
    { "SACK-permitted, MSS", { 0x04, 0x02, 0x02, 0x04, 0x01, 0x00, 0, 0 },
      true, 256 },
    { "unknown kind", { 0x1e, 0x06, 1, 2, 3, 4, 0x01, 0x00 }, true, 0 },
    { "MSS length 3", { 0x02, 0x03, 0x05, 0xb4, 0, 0, 0, 0 }, false, 0 },
    { "MSS length 6", { 0x02, 0x06, 0x05, 0xb4, 0, 0, 0, 0 }, false, 0 },
    { "option length 0", { 0x08, 0x00, 0, 0, 0, 0, 0, 0 }, false, 0 },
    { "option length 1", { 0x08, 0x01, 0x00, 0, 0, 0, 0, 0 }, false, 0 },
    { "option past header", { 0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 0 }, false,
      0 },
    { "kind without length", { 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
                               0x03 }, false, 0 },
  };
  SimFrame f;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t frame[sizeof TCP_SYN + 4];

      syn_with_options (frame, cases[i].opt);
      if (sim_frame_parse (frame, sizeof frame, &f) != cases[i].ok)
        fail_msg ("%s: expected %s", cases[i].name,
                  cases[i].ok ? "accepted" : "rejected");
      if (cases[i].ok)
        {
          assert_int_equal (f.tcp.mss, cases[i].mss);
          assert_int_equal (f.payload_len, 0);
        }
    }
}

/* IPv4 carrying neither TCP nor UDP: no L4 header, the payload is the
 * IPv4 payload, Ethernet padding excluded. */
static void
test_wire__parse_other_protocols_give_ip_payload (void **state)
{
  static const uint8_t echo[8] = { 8, 0, 0xf7, 0xfe, 0, 1, 0, 0 };
  SimPacket *p = sim_packet_new (pool);
  uint8_t frame[64] = { 0 };
  SimFrame f;
  (void) state;
  memcpy (sim_packet_append (p, sizeof echo), echo, sizeof echo);
  sim_ipv4_push (p, CLIENT, SERVER, 1, 64, 5);   /* ICMP */
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  memcpy (frame, p->data, p->len);               /* padded to 64 */
  sim_packet_release (pool, p);
  assert_true (sim_frame_parse (frame, sizeof frame, &f));
  assert_true (sim_frame_checksums_ok (&f));
  assert_int_equal (f.proto, 1);
  assert_null (f.l4);
  assert_ptr_equal (f.payload, frame + 34);
  assert_int_equal (f.payload_len, sizeof echo);
  assert_int_equal (f.sport, 0);
  /* Header lengths below 20 bytes are refused here too. */
  for (uint8_t ihl = 0; ihl < 5; ihl++)
    {
      frame[14] = (uint8_t) (0x40 | ihl);
      assert_false (sim_frame_parse (frame, sizeof frame, &f));
    }
}

static void
test_wire__parse_gives_non_ipv4_frames_no_ip (void **state)
{
  uint8_t arp[42] = { 0 };
  SimFrame f;
  (void) state;
  arp[12] = 0x08;
  arp[13] = 0x06;
  assert_true (sim_frame_parse (arp, sizeof arp, &f));
  assert_int_equal (f.ethertype, 0x0806);
  assert_null (f.ip);
  assert_null (f.l4);
  assert_true (sim_frame_checksums_ok (&f));
}

static void
test_wire__checksums_ok_detects_any_flipped_bit (void **state)
{
  SimFrame f;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (vectors); i++)
    {
      uint8_t frame[256];
      size_t len = vectors[i].len;

      assert_true (sim_frame_parse (vectors[i].bytes, (uint32_t) len, &f));
      assert_true (sim_frame_checksums_ok (&f));
      /* Every bit after the Ethernet header that leaves the frame
       * parseable must break a checksum. */
      for (size_t at = 14; at < len; at++)
        for (int bit = 0; bit < 8; bit++)
          {
            memcpy (frame, vectors[i].bytes, len);
            frame[at] ^= (uint8_t) (1u << bit);
            if (sim_frame_parse (frame, (uint32_t) len, &f)
                && sim_frame_checksums_ok (&f))
              fail_msg ("%s: flip at %zu bit %d not detected",
                        vectors[i].name, at, bit);
          }
    }
}

/* 0 in the UDP checksum field means "none sent"; TCP has no such value. */
static void
test_wire__zero_checksum_means_none_only_for_udp (void **state)
{
  uint8_t frame[sizeof TCP_SYN];
  SimFrame f;
  (void) state;
  memcpy (frame, UDP_HELLO, sizeof UDP_HELLO);
  frame[40] = frame[41] = 0;
  assert_true (sim_frame_parse (frame, sizeof UDP_HELLO, &f));
  assert_true (sim_frame_checksums_ok (&f));
  memcpy (frame, TCP_SYN, sizeof TCP_SYN);
  frame[40] = frame[41] = 0;    /* seq, where UDP keeps its checksum */
  frame[50] = frame[51] = 0;
  assert_true (sim_frame_parse (frame, sizeof TCP_SYN, &f));
  assert_false (sim_frame_checksums_ok (&f));
}

/* ---- Rewrites and TTL ----------------------------------------------- */

static void
test_wire__rewrite_matches_verified_frames (void **state)
{
  uint8_t frame[256];
  SimFrame f;
  (void) state;
  memcpy (frame, UDP_HELLO, sizeof UDP_HELLO);
  sim_frame_rewrite (frame, sizeof UDP_HELLO, IP4 (35, 1, 2, 3), 1025,
                     IP4 (8, 8, 4, 4), 9999);
  assert_memory_equal (frame, UDP_HELLO_SNAT, sizeof UDP_HELLO_SNAT);

  memcpy (frame, TCP_HTTP, sizeof TCP_HTTP);
  sim_frame_rewrite (frame, sizeof TCP_HTTP, IP4 (203, 0, 113, 7), 61000,
                     SERVER, 80);
  assert_true (sim_frame_decrement_ttl (frame, sizeof TCP_HTTP));
  assert_memory_equal (frame, TCP_HTTP_SNAT_TTL, sizeof TCP_HTTP_SNAT_TTL);
  assert_true (sim_frame_parse (frame, sizeof TCP_HTTP, &f));
  assert_int_equal (f.src, IP4 (203, 0, 113, 7));
  assert_int_equal (f.sport, 61000);
  assert_int_equal (f.tcp.sport, 61000);
}

/* A rewritten frame must be byte for byte the frame built directly with
 * the new addresses: the incremental update equals a full recompute. */
static void
test_wire__rewrite_equals_building_afresh (void **state)
{
  uint32_t x = 12345;
  (void) state;
  for (int i = 0; i < 2000; i++)
    {
      uint32_t a[4], b[4];
      SimPacket *orig, *fresh;
      SimTcpHeader h = { .seq = 7, .ack = 9, .flags = SIM_TCP_ACK,
                         .window = 512 };

      for (int k = 0; k < 4; k++)
        {
          x = x * 1103515245u + 12345u;
          a[k] = x;
          x = x * 1103515245u + 12345u;
          b[k] = x;
        }
      if (i % 2)
        {
          orig = build_udp (a[0], (uint16_t) a[1], a[2], (uint16_t) a[3],
                            "hello", 5, 7);
          fresh = build_udp (b[0], (uint16_t) b[1], b[2], (uint16_t) b[3],
                             "hello", 5, 7);
        }
      else
        {
          h.sport = (uint16_t) a[1];
          h.dport = (uint16_t) a[3];
          orig = build_tcp (a[0], a[2], &h, "hi", 2);
          h.sport = (uint16_t) b[1];
          h.dport = (uint16_t) b[3];
          fresh = build_tcp (b[0], b[2], &h, "hi", 2);
        }
      sim_frame_rewrite (orig->data, orig->len, b[0], (uint16_t) b[1], b[2],
                         (uint16_t) b[3]);
      assert_memory_equal (orig->data, fresh->data, fresh->len);
      sim_packet_release (pool, orig);
      sim_packet_release (pool, fresh);
    }
}

static void
test_wire__rewrite_there_and_back_restores_udp_ffff (void **state)
{
  uint8_t frame[sizeof UDP_FFFF];
  SimFrame f;
  (void) state;
  memcpy (frame, UDP_FFFF, sizeof frame);
  sim_frame_rewrite (frame, sizeof frame, IP4 (1, 2, 3, 4), 5, SERVER, 9999);
  assert_true (sim_frame_parse (frame, sizeof frame, &f));
  assert_true (sim_frame_checksums_ok (&f));
  sim_frame_rewrite (frame, sizeof frame, CLIENT, 40000, SERVER, 9999);
  assert_memory_equal (frame, UDP_FFFF, sizeof frame);
}

static void
test_wire__rewrite_keeps_no_checksum_and_bad_checksums (void **state)
{
  uint8_t frame[sizeof TCP_HTTP];
  SimFrame f;
  (void) state;
  memcpy (frame, UDP_HELLO, sizeof UDP_HELLO);
  frame[40] = frame[41] = 0;
  sim_frame_rewrite (frame, sizeof UDP_HELLO, IP4 (1, 1, 1, 1), 1,
                     IP4 (2, 2, 2, 2), 2);
  assert_int_equal (frame[40] | frame[41], 0);
  assert_true (sim_frame_parse (frame, sizeof UDP_HELLO, &f));
  assert_true (sim_frame_checksums_ok (&f));

  /* A damaged payload stays detectably damaged through a NAT. */
  memcpy (frame, TCP_HTTP, sizeof TCP_HTTP);
  frame[sizeof TCP_HTTP - 5] ^= 0x20;
  sim_frame_rewrite (frame, sizeof TCP_HTTP, IP4 (1, 1, 1, 1), 1, SERVER, 80);
  assert_true (sim_frame_parse (frame, sizeof TCP_HTTP, &f));
  assert_false (sim_frame_checksums_ok (&f));
}

static void
fix_ip_checksum (uint8_t *frame)
{
  uint16_t check;

  frame[24] = frame[25] = 0;
  check = sim_checksum_fold (sim_checksum_add (0, frame + 14, 20));
  frame[24] = (uint8_t) (check >> 8);
  frame[25] = (uint8_t) check;
}

static void
test_wire__decrement_ttl (void **state)
{
  static const struct {
    uint8_t ttl_in;
    bool result;
    uint8_t ttl_out;
  } cases[] = {
    { 64, true, 63 }, { 255, true, 254 }, { 2, true, 1 },
    { 1, false, 0 },  /* reached 0: the caller drops it */
    { 0, false, 0 },  /* already 0: left alone */
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t frame[sizeof TCP_SYN];
      SimFrame f;

      /* Start from a frame with a correct checksum for ttl_in. */
      memcpy (frame, TCP_SYN, sizeof frame);
      frame[22] = cases[i].ttl_in;
      fix_ip_checksum (frame);
      assert_int_equal (sim_frame_decrement_ttl (frame, sizeof frame),
                        cases[i].result);
      assert_true (sim_frame_parse (frame, sizeof frame, &f));
      assert_int_equal (f.ttl, cases[i].ttl_out);
      assert_true (sim_frame_checksums_ok (&f));
    }
}

static void
test_wire__decrement_ttl_rejects_malformed_frames (void **state)
{
  uint8_t frame[sizeof TCP_SYN];
  (void) state;
  memcpy (frame, TCP_SYN, sizeof frame);
  assert_false (sim_frame_decrement_ttl (frame, 30));
  assert_memory_equal (frame, TCP_SYN, sizeof frame);
}

/* ---- Text forms ------------------------------------------------------ */

static void
test_wire__ipv4_parse (void **state)
{
  static const struct {
    const char *text;
    bool ok;
    uint32_t addr;
  } cases[] = {
    { "0.0.0.0", true, 0 },
    { "255.255.255.255", true, 0xffffffff },
    { "10.8.0.2", true, IP4 (10, 8, 0, 2) },
    { "192.168.0.199", true, IP4 (192, 168, 0, 199) },
    { "256.1.1.1", false, 0 },
    { "1.2.3.256", false, 0 },
    { "1.2.3", false, 0 },
    { "1.2.3.4.5", false, 0 },
    { "01.2.3.4", false, 0 },
    { "1.2.3.00", false, 0 },
    { "1.2.3.4 ", false, 0 },
    { " 1.2.3.4", false, 0 },
    { "+1.2.3.4", false, 0 },
    { "1.-2.3.4", false, 0 },
    { "1..3.4", false, 0 },
    { "1.2.3.", false, 0 },
    { ".1.2.3", false, 0 },
    { "1.2.3.4/32", false, 0 },
    { "1000.1.1.1", false, 0 },
    { "0x1.2.3.4", false, 0 },
    { "", false, 0 },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint32_t out = 0xdeadbeef;

      if (sim_ipv4_parse (cases[i].text, &out) != cases[i].ok)
        fail_msg ("\"%s\": expected %s", cases[i].text,
                  cases[i].ok ? "accepted" : "rejected");
      assert_int_equal (out, cases[i].ok ? cases[i].addr : 0xdeadbeef);
    }
  assert_false (sim_ipv4_parse (NULL, NULL));
}

static void
test_wire__cidr_parse (void **state)
{
  static const struct {
    const char *text;
    bool ok;
    uint32_t prefix;
    uint8_t len;
  } cases[] = {
    { "0.0.0.0/0", true, 0, 0 },
    { "10.0.0.0/8", true, IP4 (10, 0, 0, 0), 8 },
    { "10.8.0.0/28", true, IP4 (10, 8, 0, 0), 28 },
    { "10.0.0.1/32", true, IP4 (10, 0, 0, 1), 32 },
    { "255.255.255.255/32", true, 0xffffffff, 32 },
    { "10.0.0.1/24", false, 0, 0 },    /* host bits set */
    { "1.0.0.0/0", false, 0, 0 },
    { "10.0.0.0/33", false, 0, 0 },
    { "10.0.0.0/08", false, 0, 0 },
    { "10.0.0.0/", false, 0, 0 },
    { "10.0.0.0", false, 0, 0 },
    { "10.0.0.0/-1", false, 0, 0 },
    { "10.0.0.0/8 ", false, 0, 0 },
    { "10.0.0.0/8/8", false, 0, 0 },
    { "256.0.0.0/8", false, 0, 0 },
    { "10.0.0/8", false, 0, 0 },
    { "10.0.0.0/100", false, 0, 0 },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint32_t prefix = 0xdeadbeef;
      uint8_t len = 99;

      if (sim_cidr_parse (cases[i].text, &prefix, &len) != cases[i].ok)
        fail_msg ("\"%s\": expected %s", cases[i].text,
                  cases[i].ok ? "accepted" : "rejected");
      if (cases[i].ok)
        {
          assert_int_equal (prefix, cases[i].prefix);
          assert_int_equal (len, cases[i].len);
        }
    }
}

static void
test_wire__cidr_mask (void **state)
{
  static const struct {
    uint8_t len;
    uint32_t mask;
  } cases[] = {
    { 0, 0 }, { 1, 0x80000000 }, { 8, 0xff000000 }, { 24, 0xffffff00 },
    { 31, 0xfffffffe }, { 32, 0xffffffff },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    assert_int_equal (sim_cidr_mask (cases[i].len), cases[i].mask);
}

static void
test_wire__ipv4_to_string_round_trips (void **state)
{
  static const char *texts[] = { "0.0.0.0", "255.255.255.255", "10.8.0.2",
                                 "169.254.169.254", "1.22.203.4" };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (texts); i++)
    {
      char buf[16];
      uint32_t addr;

      assert_true (sim_ipv4_parse (texts[i], &addr));
      assert_ptr_equal (sim_ipv4_to_string (addr, buf), buf);
      assert_string_equal (buf, texts[i]);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_wire__ipv4_header_checksum_matches_published_vector),
    cmocka_unit_test (test_wire__checksum_add_follows_rfc1071),
    cmocka_unit_test (test_wire__l4_checksums_match_tshark_verified_bytes),
    cmocka_unit_test (test_wire__writers_reproduce_verified_frames),
    cmocka_unit_test (test_wire__tcp_push_without_mss_has_offset_5),
    cmocka_unit_test (test_wire__parse_reads_every_field),
    cmocka_unit_test (test_wire__parse_excludes_ethernet_padding),
    cmocka_unit_test (test_wire__parse_rejects_every_truncation),
    cmocka_unit_test (test_wire__parse_rejects_inconsistent_lengths),
    cmocka_unit_test (test_wire__parse_walks_tcp_options),
    cmocka_unit_test (test_wire__parse_other_protocols_give_ip_payload),
    cmocka_unit_test (test_wire__parse_gives_non_ipv4_frames_no_ip),
    cmocka_unit_test (test_wire__checksums_ok_detects_any_flipped_bit),
    cmocka_unit_test (test_wire__zero_checksum_means_none_only_for_udp),
    cmocka_unit_test (test_wire__rewrite_matches_verified_frames),
    cmocka_unit_test (test_wire__rewrite_equals_building_afresh),
    cmocka_unit_test (test_wire__rewrite_there_and_back_restores_udp_ffff),
    cmocka_unit_test (test_wire__rewrite_keeps_no_checksum_and_bad_checksums),
    cmocka_unit_test (test_wire__decrement_ttl),
    cmocka_unit_test (test_wire__decrement_ttl_rejects_malformed_frames),
    cmocka_unit_test (test_wire__ipv4_parse),
    cmocka_unit_test (test_wire__cidr_parse),
    cmocka_unit_test (test_wire__cidr_mask),
    cmocka_unit_test (test_wire__ipv4_to_string_round_trips),
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
