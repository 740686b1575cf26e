/* Tests for models/world/fabric.c, the Geneve envelope that carries a request's
 * origin across Google's fabric to the GFE: wrapping then unwrapping
 * gives back the inner frame byte for byte and the identity of each kind
 * (VPC network, internal ALB, external ALB); the outer frame is a valid
 * UDP datagram to port 6081 (checksums included) whose Geneve header
 * shows the VNI and the option a student reads in Wireshark; opening an
 * envelope also gives its sender and the inner frame parsed; a frame that
 * is not one of our envelopes is left untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/world/fabric.h"
#include "sim/geneve.h"
#include "sim/wire.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

static const uint32_t OUTER_SRC = IP (100, 127, 0, 1);
static const uint32_t OUTER_DST = IP (100, 127, 255, 254);
static const uint8_t MAC_1[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t MAC_2[6] = { 2, 0, 0, 0, 0, 2 };

static int
setup (void **state)
{
  *state = sim_packet_pool_new ();
  return 0;
}

static int
teardown (void **state)
{
  sim_packet_pool_free (*state);
  return 0;
}

/* Inner frames: a TCP SYN to a front end, an HTTP request, a DNS query. */
typedef enum { INNER_SYN, INNER_HTTP, INNER_UDP, N_INNER } InnerKind;

static SimPacket *
inner_new (SimPacketPool *pool, InnerKind kind)
{
  SimPacket *p = sim_packet_new (pool);
  static const char http[] = "GET / HTTP/1.1\r\nHost: backend-x-uc.a.run.app"
                             "\r\n\r\n";
  uint32_t src = IP (10, 0, 0, 2), dst = IP (216, 239, 32, 53);

  if (kind == INNER_UDP)
    {
      memcpy (sim_packet_append (p, 12), "\x12\x34\x01\x00\0\1\0\0\0\0\0\0",
              12);
      sim_udp_push (p, src, IP (169, 254, 169, 254), 50123, 53);
      sim_ipv4_push (p, src, IP (169, 254, 169, 254), SIM_IPPROTO_UDP, 64, 9);
    }
  else
    {
      SimTcpHeader h = { .sport = 49200, .dport = 80, .seq = 77,
                         .flags = SIM_TCP_SYN, .window = 65535,
                         .mss = 1460 };
      if (kind == INNER_HTTP)
        {
          memcpy (sim_packet_append (p, sizeof http - 1), http,
                  sizeof http - 1);
          h.flags = SIM_TCP_PSH | SIM_TCP_ACK;
          h.ack = 1;
          h.mss = 0;
        }
      sim_tcp_push (p, src, dst, &h);
      sim_ipv4_push (p, src, dst, SIM_IPPROTO_TCP, 64, 7);
    }
  sim_eth_push (p, MAC_2, MAC_1, SIM_ETHERTYPE_IPV4);
  return p;
}

static const CloudRunFabricIdentity identities[] = {
  { CLOUDRUN_FABRIC_VPC, 100, 538504492041u },
  { CLOUDRUN_FABRIC_VPC, 0xffffff, 999999999999u },
  { CLOUDRUN_FABRIC_INTERNAL_ALB, 0x800001, 123456789012u },
  { CLOUDRUN_FABRIC_EXTERNAL_ALB, 0x800002, 100000000001u },
};

static void
test_fabric__round_trip_of_each_identity (void **state)
{
  SimPacketPool *pool = *state;

  for (guint i = 0; i < G_N_ELEMENTS (identities); i++)
    for (int k = 0; k < N_INNER; k++)
      {
        SimPacket *p = inner_new (pool, (InnerKind) k);
        g_autofree uint8_t *before = g_memdup2 (p->data, p->len);
        uint32_t len = p->len;
        CloudRunFabricIdentity got = { CLOUDRUN_FABRIC_NONE, 0, 0 };

        p->request_id = 42;
        cloudrun_fabric_wrap (p, OUTER_SRC, OUTER_DST, &identities[i]);
        assert_true (p->len > len);
        assert_true (cloudrun_fabric_unwrap (p, &got));
        assert_int_equal (got.kind, identities[i].kind);
        assert_int_equal (got.vni, identities[i].vni);
        assert_int_equal (got.project_number, identities[i].project_number);
        assert_int_equal (p->len, len);
        assert_memory_equal (p->data, before, len);
        assert_int_equal (p->request_id, 42);     /* metadata travels on */
        sim_packet_release (pool, p);
      }
}

/* Opening reads the envelope once: the same inner frame and identity as
 * unwrapping, the envelope's source, and the inner frame parsed. */
static void
test_fabric__open_gives_sender_and_parsed_inner (void **state)
{
  SimPacketPool *pool = *state;

  for (int k = 0; k < N_INNER; k++)
    {
      SimPacket *p = inner_new (pool, (InnerKind) k);
      g_autofree uint8_t *before = g_memdup2 (p->data, p->len);
      uint32_t len = p->len;
      CloudRunFabricFrame ff;
      SimFrame want;

      assert_true (sim_frame_parse (p->data, p->len, &want));
      cloudrun_fabric_wrap (p, OUTER_SRC, OUTER_DST, &identities[1]);
      assert_true (cloudrun_fabric_open (p, &ff));
      assert_int_equal (ff.outer_src, OUTER_SRC);
      assert_int_equal (ff.identity.kind, identities[1].kind);
      assert_int_equal (ff.identity.vni, identities[1].vni);
      assert_int_equal (ff.identity.project_number,
                        identities[1].project_number);
      assert_int_equal (p->len, len);
      assert_memory_equal (p->data, before, len);
      assert_ptr_equal (ff.inner.ip, p->data + SIM_ETH_HLEN);
      assert_int_equal (ff.inner.src, want.src);
      assert_int_equal (ff.inner.dst, want.dst);
      assert_int_equal (ff.inner.proto, want.proto);
      assert_int_equal (ff.inner.dport, want.dport);
      assert_int_equal (ff.inner.payload_len, want.payload_len);
      sim_packet_release (pool, p);
    }
}

static void
test_fabric__outer_frame_is_geneve_on_udp_6081 (void **state)
{
  SimPacketPool *pool = *state;

  for (guint i = 0; i < G_N_ELEMENTS (identities); i++)
    {
      SimPacket *p = inner_new (pool, INNER_HTTP);
      g_autofree uint8_t *inner = g_memdup2 (p->data, p->len);
      uint32_t inner_len = p->len;
      SimFrame outer;
      SimGeneve g;
      uint64_t project = 0;

      cloudrun_fabric_wrap (p, OUTER_SRC, OUTER_DST, &identities[i]);
      assert_true (sim_frame_parse (p->data, p->len, &outer));
      assert_true (sim_frame_checksums_ok (&outer));
      assert_int_equal (outer.ethertype, SIM_ETHERTYPE_IPV4);
      assert_int_equal (outer.proto, SIM_IPPROTO_UDP);
      assert_int_equal (outer.src, OUTER_SRC);
      assert_int_equal (outer.dst, OUTER_DST);
      assert_int_equal (outer.dport, SIM_GENEVE_PORT);
      /* Flow entropy in the source port, from the dynamic range. */
      assert_true (outer.sport >= 49152);
      assert_true (outer.ttl > 0);
      assert_true (sim_geneve_parse (outer.payload, outer.payload_len, &g));
      assert_int_equal (g.vni, identities[i].vni);
      assert_int_equal (g.opt_class, CLOUDRUN_FABRIC_OPT_CLASS);
      assert_int_equal (g.opt_type, identities[i].kind);
      assert_int_equal (g.opt_len, 8);
      for (int b = 0; b < 8; b++)
        project = project << 8 | g.opt_data[b];
      assert_int_equal (project, identities[i].project_number);
      assert_int_equal (g.inner_len, inner_len);
      assert_memory_equal (g.inner, inner, inner_len);
      sim_packet_release (pool, p);
    }
}

static void
test_fabric__same_flow_same_outer_port (void **state)
{
  /* Entropy follows the inner flow: one flow keeps one outer port. */
  SimPacketPool *pool = *state;
  SimPacket *a = inner_new (pool, INNER_SYN), *b = inner_new (pool,
                                                              INNER_HTTP);
  SimFrame fa, fb;

  cloudrun_fabric_wrap (a, OUTER_SRC, OUTER_DST, &identities[0]);
  cloudrun_fabric_wrap (b, OUTER_SRC, OUTER_DST, &identities[0]);
  assert_true (sim_frame_parse (a->data, a->len, &fa));
  assert_true (sim_frame_parse (b->data, b->len, &fb));
  assert_int_equal (fa.sport, fb.sport);
  sim_packet_release (pool, a);
  sim_packet_release (pool, b);
}

/* Frames that are not our envelope. */
typedef enum {
  PLAIN_TCP,                    /* an ordinary TCP segment */
  PLAIN_DNS,                    /* UDP to port 53 */
  NOT_GENEVE_6081,              /* UDP to 6081 whose payload is not Geneve */
  FOREIGN_OPTION,               /* Geneve with another option class */
  N_PLAIN
} PlainKind;

static SimPacket *
plain_new (SimPacketPool *pool, PlainKind kind)
{
  SimPacket *p;
  SimGeneve g = { .vni = 100, .opt_class = 0x0101, .opt_type = 1,
                  .opt_len = 8 };

  switch (kind)
    {
    case PLAIN_TCP:
      return inner_new (pool, INNER_HTTP);
    case PLAIN_DNS:
      return inner_new (pool, INNER_UDP);
    case NOT_GENEVE_6081:
      p = sim_packet_new (pool);
      memcpy (sim_packet_append (p, 5), "hello", 5);
      break;
    case FOREIGN_OPTION:
    default:
      p = inner_new (pool, INNER_SYN);
      sim_geneve_push (p, &g);
      break;
    }
  sim_udp_push (p, OUTER_SRC, OUTER_DST, 49152, SIM_GENEVE_PORT);
  sim_ipv4_push (p, OUTER_SRC, OUTER_DST, SIM_IPPROTO_UDP, 64, 1);
  sim_eth_push (p, MAC_2, MAC_1, SIM_ETHERTYPE_IPV4);
  return p;
}

static void
test_fabric__plain_frame_is_left_intact (void **state)
{
  SimPacketPool *pool = *state;

  for (int k = 0; k < N_PLAIN; k++)
    {
      SimPacket *p = plain_new (pool, (PlainKind) k);
      g_autofree uint8_t *before = g_memdup2 (p->data, p->len);
      const uint8_t *data = p->data;
      uint32_t len = p->len;
      CloudRunFabricIdentity id;

      if (cloudrun_fabric_unwrap (p, &id))
        fail_msg ("plain frame kind %d was unwrapped", k);
      assert_ptr_equal (p->data, data);
      assert_int_equal (p->len, len);
      assert_memory_equal (p->data, before, len);
      sim_packet_release (pool, p);
    }
}

static void
test_fabric__kind_names (void **state)
{
  (void) state;
  assert_string_equal (cloudrun_fabric_kind_name (CLOUDRUN_FABRIC_NONE),
                       "internet");
  assert_string_equal (cloudrun_fabric_kind_name (CLOUDRUN_FABRIC_VPC),
                       "VPC network");
  assert_non_null (strstr (cloudrun_fabric_kind_name (
                             CLOUDRUN_FABRIC_INTERNAL_ALB), "internal"));
  assert_non_null (strstr (cloudrun_fabric_kind_name (
                             CLOUDRUN_FABRIC_EXTERNAL_ALB), "external"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_fabric__round_trip_of_each_identity,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (
      test_fabric__open_gives_sender_and_parsed_inner, setup, teardown),
    cmocka_unit_test_setup_teardown (
      test_fabric__outer_frame_is_geneve_on_udp_6081, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fabric__same_flow_same_outer_port,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_fabric__plain_frame_is_left_intact,
                                     setup, teardown),
    cmocka_unit_test (test_fabric__kind_names),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
