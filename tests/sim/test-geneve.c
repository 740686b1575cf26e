/* Tests for sim/geneve.c: the header and option bytes, round trips over
 * the whole option range, every truncation, and malformed headers.
 *
 * GENEVE_FRAME was written by sim/wire.c and sim/geneve.c into a pcap and
 * read back with tshark 4.0.17 -V: it decodes as Geneve (version 0, VNI
 * 0x00abcd, protocol 0x6558, one option of class 0xfff0 type 1 with 8
 * data bytes) carrying Ethernet/IPv4/TCP and an HTTP GET, with every
 * checksum "correct" and no malformed or expert warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/geneve.h"
#include "sim/wire.h"

#define IP4(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 | (d))
#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const char HTTP_GET[] = "GET /hello HTTP/1.1\r\n"
                               "Host: svc-b.a.run.app\r\n"
                               "User-Agent: cloudrun-netsim\r\n"
                               "Content-Length: 0\r\n\r\n";
static const uint8_t PROJECT[8] = { 0, 0, 0, 0x0b, 0xad, 0xbe, 0xef, 0x01 };

/* Ethernet/IPv4/UDP 6081/Geneve/Ethernet/IPv4/TCP/HTTP (210 bytes). */
static const uint8_t GENEVE_FRAME[] = {
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00, 0x45, 0x00, 0x00, 0xc4, 0x00, 0x63, 0x40, 0x00, 0x40, 0x11,
  0x24, 0x7d, 0x0a, 0x80, 0x00, 0x01, 0x0a, 0xc8, 0x00, 0x01, 0xc3, 0x50,
  0x17, 0xc1, 0x00, 0xb0, 0x99, 0x1c, 0x03, 0x00, 0x65, 0x58, 0x00, 0xab,
  0xcd, 0x00, 0xff, 0xf0, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0b, 0xad, 0xbe,
  0xef, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00,
  0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x86, 0x12, 0x34, 0x40, 0x00,
  0x40, 0x06, 0xbe, 0x07, 0x0a, 0x08, 0x00, 0x02, 0xc7, 0x24, 0x99, 0x08,
  0x9c, 0x42, 0x00, 0x50, 0x00, 0x00, 0x00, 0x4d, 0x00, 0x00, 0x00, 0x58,
  0x50, 0x18, 0xff, 0xff, 0xa2, 0x8d, 0x00, 0x00, 0x47, 0x45, 0x54, 0x20,
  0x2f, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f,
  0x31, 0x2e, 0x31, 0x0d, 0x0a, 0x48, 0x6f, 0x73, 0x74, 0x3a, 0x20, 0x73,
  0x76, 0x63, 0x2d, 0x62, 0x2e, 0x61, 0x2e, 0x72, 0x75, 0x6e, 0x2e, 0x61,
  0x70, 0x70, 0x0d, 0x0a, 0x55, 0x73, 0x65, 0x72, 0x2d, 0x41, 0x67, 0x65,
  0x6e, 0x74, 0x3a, 0x20, 0x63, 0x6c, 0x6f, 0x75, 0x64, 0x72, 0x75, 0x6e,
  0x2d, 0x6e, 0x65, 0x74, 0x73, 0x69, 0x6d, 0x0d, 0x0a, 0x43, 0x6f, 0x6e,
  0x74, 0x65, 0x6e, 0x74, 0x2d, 0x4c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x3a,
  0x20, 0x30, 0x0d, 0x0a, 0x0d, 0x0a,
};
#define GENEVE_AT 42u           /* the Geneve header within GENEVE_FRAME */

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
  sim_packet_pool_free (pool);
  return 0;
}

/* An inner Ethernet frame of n bytes of pattern, as the payload. */
static SimPacket *
inner_frame (uint32_t n)
{
  SimPacket *p = sim_packet_new (pool);
  uint8_t *b = sim_packet_append (p, n);

  for (uint32_t i = 0; i < n; i++)
    b[i] = (uint8_t) (i * 7 + 1);
  return p;
}

static void
test_geneve__push_matches_verified_frame (void **state)
{
  SimTcpHeader h = { .sport = 40002, .dport = 80, .seq = 77, .ack = 88,
                     .flags = SIM_TCP_ACK | SIM_TCP_PSH, .window = 65535 };
  SimGeneve g = { .vni = 0x00abcd, .opt_class = 0xfff0, .opt_type = 0x01,
                  .opt_len = 8 };
  uint32_t client = IP4 (10, 8, 0, 2), vip = IP4 (199, 36, 153, 8);
  uint32_t router = IP4 (10, 128, 0, 1), gfe = IP4 (10, 200, 0, 1);
  SimPacket *p = sim_packet_new (pool);
  (void) state;
  memcpy (g.opt_data, PROJECT, sizeof PROJECT);
  memcpy (sim_packet_append (p, sizeof HTTP_GET - 1), HTTP_GET,
          sizeof HTTP_GET - 1);
  sim_tcp_push (p, client, vip, &h);
  sim_ipv4_push (p, client, vip, SIM_IPPROTO_TCP, 64, 0x1234);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  sim_geneve_push (p, &g);
  assert_int_equal (p->len, sizeof GENEVE_FRAME - GENEVE_AT);
  sim_udp_push (p, router, gfe, 50000, SIM_GENEVE_PORT);
  sim_ipv4_push (p, router, gfe, SIM_IPPROTO_UDP, 64, 99);
  sim_eth_push (p, MAC_B, MAC_A, SIM_ETHERTYPE_IPV4);
  assert_int_equal (p->len, sizeof GENEVE_FRAME);
  assert_memory_equal (p->data, GENEVE_FRAME, sizeof GENEVE_FRAME);
  sim_packet_release (pool, p);
}

static void
test_geneve__verified_frame_decodes_to_inner_request (void **state)
{
  SimFrame outer, inner;
  SimGeneve g;
  (void) state;
  assert_true (sim_frame_parse (GENEVE_FRAME, sizeof GENEVE_FRAME, &outer));
  assert_true (sim_frame_checksums_ok (&outer));
  assert_int_equal (outer.dport, SIM_GENEVE_PORT);
  assert_ptr_equal (outer.payload, GENEVE_FRAME + GENEVE_AT);
  assert_true (sim_geneve_parse (outer.payload, outer.payload_len, &g));
  assert_int_equal (g.vni, 0xabcd);
  assert_int_equal (g.opt_class, 0xfff0);
  assert_int_equal (g.opt_type, 1);
  assert_int_equal (g.opt_len, 8);
  assert_memory_equal (g.opt_data, PROJECT, 8);
  assert_ptr_equal (g.inner, GENEVE_FRAME + GENEVE_AT + 20);
  assert_true (sim_frame_parse (g.inner, g.inner_len, &inner));
  assert_true (sim_frame_checksums_ok (&inner));
  assert_int_equal (inner.dst, IP4 (199, 36, 153, 8));
  assert_int_equal (inner.dport, 80);
  assert_int_equal (inner.payload_len, sizeof HTTP_GET - 1);
  assert_memory_equal (inner.payload, HTTP_GET, sizeof HTTP_GET - 1);
}

static void
test_geneve__round_trips (void **state)
{
  static const struct {
    uint32_t vni;
    uint16_t opt_class;
    uint8_t opt_type, opt_len;
    uint32_t inner_len;
  } cases[] = {
    { 0, 0, 0, 0, 14 },
    { 1, 0x0100, 0x01, 4, 60 },
    { 0xabcdef, 0xfff0, 0x7f, 8, 1514 },
    { 0xffffff, 0xffff, 0x42, 124, 100 },  /* the largest option */
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimGeneve g = { .vni = cases[i].vni, .opt_class = cases[i].opt_class,
                      .opt_type = cases[i].opt_type,
                      .opt_len = cases[i].opt_len };
      SimPacket *p = inner_frame (cases[i].inner_len);
      SimGeneve out;

      for (int k = 0; k < cases[i].opt_len; k++)
        g.opt_data[k] = (uint8_t) (0xa0 + k);
      sim_geneve_push (p, &g);
      assert_int_equal (p->len, 8 + 4 + cases[i].opt_len
                                  + cases[i].inner_len);
      assert_int_equal (p->data[0], (4 + cases[i].opt_len) / 4);
      assert_true (sim_geneve_parse (p->data, p->len, &out));
      assert_int_equal (out.vni, cases[i].vni);
      assert_int_equal (out.opt_class, cases[i].opt_class);
      assert_int_equal (out.opt_type, cases[i].opt_type);
      assert_int_equal (out.opt_len, cases[i].opt_len);
      assert_memory_equal (out.opt_data, g.opt_data, cases[i].opt_len);
      assert_int_equal (out.inner_len, cases[i].inner_len);
      assert_ptr_equal (out.inner, p->data + 12 + cases[i].opt_len);
      sim_packet_release (pool, p);
    }
}

static void
test_geneve__parse_rejects_every_truncation (void **state)
{
  const uint8_t *g = GENEVE_FRAME + GENEVE_AT;
  uint32_t len = sizeof GENEVE_FRAME - GENEVE_AT;
  SimGeneve out;
  SimFrame inner;
  (void) state;
  for (uint32_t cut = 0; cut < len; cut++)
    {
      bool ok = sim_geneve_parse (g, cut, &out);

      /* Up to a whole inner Ethernet header the envelope itself refuses;
       * past it, the inner frame's own lengths catch the cut. */
      if (cut < 20 + SIM_ETH_HLEN)
        assert_false (ok);
      else
        {
          assert_true (ok);
          assert_int_equal (out.inner_len, cut - 20);
          assert_false (sim_frame_parse (out.inner, out.inner_len, &inner));
        }
    }
  assert_true (sim_geneve_parse (g, len, &out));
}

/* A header, one option with 4 data bytes, and a 14-byte inner header. */
static const uint8_t SMALL[30] = {
  0x02, 0x00, 0x65, 0x58, 0x12, 0x34, 0x56, 0x00,
  0x01, 0x02, 0x03, 0x01, 0xaa, 0xbb, 0xcc, 0xdd,
  0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
};

static void
test_geneve__parse_checks_header_fields (void **state)
{
  static const struct {
    const char *name;
    size_t at;
    uint8_t value;
    bool ok;
  } cases[] = {
    { "unchanged", 0, 0x02, true },
    { "version 1", 0, 0x42, false },
    { "version 2", 0, 0x82, false },
    { "option area past the end", 0, 0x3f, false },
    { "option area leaves no inner header", 0, 0x04, false },
    { "protocol IPv4", 2, 0x08, false },
    { "option data past the option area", 11, 0x02, false },
    { "option length in reserved bits only", 11, 0xe1, true },
    { "O bit ignored on receipt", 1, 0x80, true },
    { "C bit ignored on receipt", 1, 0x40, true },
    { "reserved byte ignored", 7, 0xff, true },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t b[sizeof SMALL];
      SimGeneve out;

      memcpy (b, SMALL, sizeof b);
      b[cases[i].at] = cases[i].value;
      if (sim_geneve_parse (b, sizeof b, &out) != cases[i].ok)
        fail_msg ("%s: expected %s", cases[i].name,
                  cases[i].ok ? "accepted" : "rejected");
      if (cases[i].ok)
        {
          assert_int_equal (out.vni, 0x123456);
          assert_int_equal (out.opt_class, 0x0102);
          assert_int_equal (out.opt_len, 4);
          assert_int_equal (out.inner_len, 14);
        }
    }
}

static void
test_geneve__parse_records_first_option (void **state)
{
  /* Two options (class 1 type 2 with 4 bytes, then class 3 type 4
   * empty), and then an option area with none. */
  static const uint8_t two[] = {
    0x03, 0x00, 0x65, 0x58, 0x00, 0x00, 0x07, 0x00,
    0x00, 0x01, 0x02, 0x01, 0x11, 0x22, 0x33, 0x44,
    0x00, 0x03, 0x04, 0x00,
    0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
  };
  static const uint8_t none[] = {
    0x00, 0x00, 0x65, 0x58, 0x00, 0x00, 0x09, 0x00,
    0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
  };
  SimGeneve out;
  (void) state;
  assert_true (sim_geneve_parse (two, sizeof two, &out));
  assert_int_equal (out.vni, 7);
  assert_int_equal (out.opt_class, 1);
  assert_int_equal (out.opt_type, 2);
  assert_int_equal (out.opt_len, 4);
  assert_memory_equal (out.opt_data, two + 12, 4);
  assert_ptr_equal (out.inner, two + 20);
  assert_true (sim_geneve_parse (none, sizeof none, &out));
  assert_int_equal (out.vni, 9);
  assert_int_equal (out.opt_class, 0);
  assert_int_equal (out.opt_len, 0);
  assert_ptr_equal (out.inner, none + 8);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_geneve__push_matches_verified_frame),
    cmocka_unit_test (test_geneve__verified_frame_decodes_to_inner_request),
    cmocka_unit_test (test_geneve__round_trips),
    cmocka_unit_test (test_geneve__parse_rejects_every_truncation),
    cmocka_unit_test (test_geneve__parse_checks_header_fields),
    cmocka_unit_test (test_geneve__parse_records_first_option),
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
