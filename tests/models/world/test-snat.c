/* Tests for models/world/snat.c, the source NAT flow table behind Cloud Run's
 * default egress, connector instances and Cloud NAT: a mapping is made
 * once per flow and found again by the replies; each source keeps to its
 * own block of ports_per_source ports; a full block refuses new flows and
 * counts them; a mapping is released after FIN both ways and the last
 * ACK, or after a RST, and its port can then be used again; a new flow
 * takes the first free port after its slot however far it lies; translated
 * frames keep valid checksums. Frames are real Ethernet/IPv4/TCP|UDP
 * bytes built with sim/wire.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/world/snat.h"
#include "sim/wire.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

static const uint32_t INSIDE_A = IP (10, 0, 0, 2);
static const uint32_t INSIDE_B = IP (10, 0, 0, 3);
static const uint32_t REMOTE = IP (203, 0, 113, 10);
static const uint32_t REMOTE_2 = IP (203, 0, 113, 11);
static const uint32_t NAT_ADDR = IP (198, 51, 100, 77);
static const uint8_t MAC_1[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t MAC_2[6] = { 2, 0, 0, 0, 0, 2 };

typedef struct {
  SimPacketPool *pool;
  CloudRunSnat snat;
  SimPort inside;               /* only its address matters */
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->pool = sim_packet_pool_new ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  cloudrun_snat_clear (&f->snat);
  sim_packet_pool_free (f->pool);
  g_free (f);
  return 0;
}

/* A whole frame src:sport -> dst:dport; TCP with flags, or UDP when
 * proto is UDP. A few payload bytes so checksums cover data too. */
static uint32_t next_ack;       /* the next frame's ACK number; 0: 5000 */

static SimPacket *
frame_new (Fixture *f, uint8_t proto, uint32_t src, uint16_t sport,
           uint32_t dst, uint16_t dport, uint8_t flags)
{
  SimPacket *p = sim_packet_new (f->pool);
  static const char payload[] = "GET / HTTP/1.1\r\n";

  memcpy (sim_packet_append (p, sizeof payload - 1), payload,
          sizeof payload - 1);
  if (proto == SIM_IPPROTO_TCP)
    {
      SimTcpHeader h = { .sport = sport, .dport = dport, .seq = 1000,
                         .ack = !(flags & SIM_TCP_ACK) ? 0
                                : next_ack ? next_ack : 5000,
                         .flags = flags, .window = 65535 };
      sim_tcp_push (p, src, dst, &h);
    }
  else
    sim_udp_push (p, src, dst, sport, dport);
  sim_ipv4_push (p, src, dst, proto, 64, 1);
  sim_eth_push (p, MAC_2, MAC_1, SIM_ETHERTYPE_IPV4);
  return p;
}

static SimFrame
parse (const SimPacket *p)
{
  SimFrame fr;

  assert_true (sim_frame_parse (p->data, p->len, &fr));
  return fr;
}

/* An outbound frame through the table (translated); returns the entry as
 * it was before translation released it, copied. found: false when the
 * block was full. */
static bool
send_out (Fixture *f, uint8_t proto, uint32_t src, uint16_t sport,
          uint32_t dst, uint16_t dport, uint8_t flags, CloudRunSnatEntry *out,
          bool *created)
{
  SimPacket *p = frame_new (f, proto, src, sport, dst, dport, flags);
  SimFrame fr = parse (p);
  bool made;
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&f->snat, &fr, NAT_ADDR,
                                                 &f->inside, &made);

  if (created)
    *created = made;
  if (e)
    {
      if (out)
        *out = *e;
      cloudrun_snat_translate_out (&f->snat, e, p, &fr);
    }
  sim_packet_release (f->pool, p);
  return e != NULL;
}

/* A reply from remote to the NAT side; false when no mapping took it. */
static bool
send_in (Fixture *f, uint32_t remote, uint16_t rport, uint16_t nat_port,
         uint8_t flags)
{
  SimPacket *p = frame_new (f, SIM_IPPROTO_TCP, remote, rport, NAT_ADDR,
                            nat_port, flags);
  SimFrame fr = parse (p);
  CloudRunSnatEntry *e = cloudrun_snat_inbound (&f->snat, &fr);

  if (e)
    cloudrun_snat_translate_in (&f->snat, e, p, &fr);
  sim_packet_release (f->pool, p);
  return e != NULL;
}

/* Whether a reply to nat_port from remote still finds a mapping, without
 * changing anything (a pure ACK would not end a flow). */
static bool
mapped (Fixture *f, uint32_t remote, uint16_t rport, uint16_t nat_port)
{
  SimPacket *p = frame_new (f, SIM_IPPROTO_TCP, remote, rport, NAT_ADDR,
                            nat_port, SIM_TCP_ACK);
  SimFrame fr = parse (p);
  bool found = cloudrun_snat_inbound (&f->snat, &fr) != NULL;

  sim_packet_release (f->pool, p);
  return found;
}

/* ---- Mappings ----------------------------------------------------- */

static void
test_snat__mapping_made_once_per_flow (void **state)
{
  Fixture *f = *state;
  CloudRunSnatEntry first, again, other;
  bool created;

  cloudrun_snat_init (&f->snat, 64);
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                         SIM_TCP_SYN, &first, &created));
  assert_true (created);
  assert_int_equal (first.inside_addr, INSIDE_A);
  assert_int_equal (first.inside_port, 50000);
  assert_int_equal (first.nat_addr, NAT_ADDR);
  assert_int_equal (first.remote_addr, REMOTE);
  assert_int_equal (first.remote_port, 80);
  assert_ptr_equal (first.inside, &f->inside);
  /* The rest of the flow reuses it. */
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                         SIM_TCP_ACK, &again, &created));
  assert_false (created);
  assert_int_equal (again.nat_port, first.nat_port);
  /* Another flow of the same source gets its own port. */
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50001, REMOTE, 80,
                         SIM_TCP_SYN, &other, &created));
  assert_true (created);
  assert_int_not_equal (other.nat_port, first.nat_port);
  assert_int_equal (f->snat.exhausted, 0);
}

static void
test_snat__inbound_finds_the_mapping (void **state)
{
  Fixture *f = *state;
  CloudRunSnatEntry e;
  SimPacket *p;
  SimFrame fr;
  CloudRunSnatEntry *in;

  cloudrun_snat_init (&f->snat, 64);
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                         SIM_TCP_SYN, &e, NULL));
  p = frame_new (f, SIM_IPPROTO_TCP, REMOTE, 80, NAT_ADDR, e.nat_port,
                 SIM_TCP_SYN | SIM_TCP_ACK);
  fr = parse (p);
  in = cloudrun_snat_inbound (&f->snat, &fr);
  assert_non_null (in);
  assert_int_equal (in->inside_addr, INSIDE_A);
  assert_int_equal (in->inside_port, 50000);
  sim_packet_release (f->pool, p);
  /* Not from another remote, another remote port, or to another port. */
  assert_false (mapped (f, REMOTE_2, 80, e.nat_port));
  assert_false (mapped (f, REMOTE, 8080, e.nat_port));
  assert_false (mapped (f, REMOTE, 80, (uint16_t) (e.nat_port + 1)));
}

static void
test_snat__ports_stay_in_the_source_block (void **state)
{
  /* Two sources, interleaved: each source's ports lie in one window of
   * ports_per_source ports, the windows do not overlap, and no port is
   * below 1024. */
  enum { PPS = 8 };
  Fixture *f = *state;
  uint32_t lo[2] = { G_MAXUINT32, G_MAXUINT32 }, hi[2] = { 0, 0 };
  const uint32_t src[2] = { INSIDE_A, INSIDE_B };

  cloudrun_snat_init (&f->snat, PPS);
  for (unsigned i = 0; i < PPS; i++)
    for (unsigned s = 0; s < 2; s++)
      {
        CloudRunSnatEntry e;
        /* Source ports chosen to collide modulo the block size. */
        assert_true (send_out (f, SIM_IPPROTO_TCP, src[s],
                               (uint16_t) (40000 + i * PPS), REMOTE, 80,
                               SIM_TCP_SYN, &e, NULL));
        assert_true (e.nat_port >= 1024);
        lo[s] = MIN (lo[s], e.nat_port);
        hi[s] = MAX (hi[s], e.nat_port);
      }
  for (unsigned s = 0; s < 2; s++)
    assert_int_equal (hi[s] - lo[s], PPS - 1);   /* PPS distinct ports */
  assert_true (hi[0] < lo[1] || hi[1] < lo[0]);
  assert_int_equal (f->snat.exhausted, 0);
}

static void
test_snat__full_block_refuses_and_counts (void **state)
{
  enum { PPS = 4 };
  Fixture *f = *state;
  bool created = true;

  cloudrun_snat_init (&f->snat, PPS);
  for (unsigned i = 0; i < PPS; i++)
    assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A,
                           (uint16_t) (50000 + i), REMOTE, 80, SIM_TCP_SYN,
                           NULL, NULL));
  assert_false (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50100, REMOTE, 80,
                          SIM_TCP_SYN, NULL, &created));
  assert_false (created);
  assert_int_equal (f->snat.exhausted, 1);
  assert_false (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50101, REMOTE, 80,
                          SIM_TCP_SYN, NULL, NULL));
  assert_int_equal (f->snat.exhausted, 2);
  /* A flow already mapped still passes; another source is not hurt. */
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                         SIM_TCP_ACK, NULL, NULL));
  assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_B, 50100, REMOTE, 80,
                         SIM_TCP_SYN, NULL, NULL));
  assert_int_equal (f->snat.exhausted, 2);
}

static void
test_snat__blocks_are_carved_per_translated_address (void **state)
{
  /* Ports 1024..65535 of an address hold two blocks of 32256: a third
   * source finds none left there and is refused like a full block, but
   * gets a block on another translated address. */
  enum { PPS = 32256 };
  Fixture *f = *state;
  const uint32_t other_nat = IP (198, 51, 100, 78);
  const uint32_t src[3] = { INSIDE_A, INSIDE_B, IP (10, 0, 0, 4) };
  SimPacket *p;
  SimFrame fr;
  bool created;
  CloudRunSnatEntry *e;

  cloudrun_snat_init (&f->snat, PPS);
  for (unsigned i = 0; i < 2; i++)
    assert_true (send_out (f, SIM_IPPROTO_TCP, src[i], 50000, REMOTE, 80,
                           SIM_TCP_SYN, NULL, NULL));
  assert_false (send_out (f, SIM_IPPROTO_TCP, src[2], 50000, REMOTE, 80,
                          SIM_TCP_SYN, NULL, NULL));
  assert_int_equal (f->snat.exhausted, 1);
  p = frame_new (f, SIM_IPPROTO_TCP, src[2], 50000, REMOTE, 80, SIM_TCP_SYN);
  fr = parse (p);
  e = cloudrun_snat_outbound (&f->snat, &fr, other_nat, &f->inside, &created);
  assert_non_null (e);
  assert_true (created);
  assert_int_equal (e->nat_addr, other_nat);
  assert_true (e->nat_port >= 1024);
  sim_packet_release (f->pool, p);
  assert_int_equal (f->snat.exhausted, 1);
}

/* ---- Release ------------------------------------------------------ */

typedef enum { BY_INSIDE, BY_REMOTE } Side;

/* One step of a TCP ending: who sends which flags. */
typedef struct {
  Side side;
  uint8_t flags;
  bool mapped_after;            /* the mapping still exists after it */
  uint32_t ack;                 /* its ACK number; 0: 5000, past every FIN */
} EndStep;

static void
test_snat__release_after_fins_and_last_ack (void **state)
{
  /* Both orders of closing; the mapping lives through the half-closed
   * state and goes with the last ACK. With one port per source, the
   * next flow gets a port only once the first is released. */
  static const struct {
    const char *name;
    EndStep steps[4];
    guint n;
  } cases[] = {
    { "inside closes first", {
        { BY_INSIDE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_INSIDE, SIM_TCP_ACK, false, 0 } }, 3 },
    { "remote closes first", {
        { BY_REMOTE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_INSIDE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_ACK, false, 0 } }, 3 },
    /* The inside's FIN goes before its ACK of the remote's FIN: that ACK
     * is not the last one, the remote's ACK of the inside's FIN is. */
    { "inside acks the remote's FIN after its own", {
        { BY_REMOTE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_INSIDE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_INSIDE, SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_ACK, false, 0 } }, 4 },
    /* Every frame carries 16 bytes at seq 1000: a FIN ends at 1017. An
     * ACK of the bytes before the later FIN (a TLS close_notify sent
     * just before it) is not the last ACK. */
    { "the remote acks the data before the inside's later FIN", {
        { BY_REMOTE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_INSIDE, SIM_TCP_PSH | SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_ACK, true, 1016 },
        { BY_REMOTE, SIM_TCP_ACK, false, 1017 } }, 4 },
    { "data after a half close", {
        { BY_INSIDE, SIM_TCP_FIN | SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_PSH | SIM_TCP_ACK, true, 0 },
        { BY_REMOTE, SIM_TCP_ACK, true, 0 } }, 3 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      Fixture *f = *state;
      CloudRunSnatEntry e, next;
      bool released;

      cloudrun_snat_init (&f->snat, 1);
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                             SIM_TCP_SYN, &e, NULL));
      assert_true (send_in (f, REMOTE, 80, e.nat_port,
                            SIM_TCP_SYN | SIM_TCP_ACK));
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                             SIM_TCP_ACK, NULL, NULL));
      for (guint s = 0; s < cases[c].n; s++)
        {
          const EndStep *st = &cases[c].steps[s];
          next_ack = st->ack;
          if (st->side == BY_INSIDE)
            assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000,
                                   REMOTE, 80, st->flags, NULL, NULL));
          else
            assert_true (send_in (f, REMOTE, 80, e.nat_port, st->flags));
          next_ack = 0;
          if (mapped (f, REMOTE, 80, e.nat_port) != st->mapped_after)
            fail_msg ("%s, step %u: mapping %s", cases[c].name, s + 1,
                      st->mapped_after ? "released too early"
                                       : "not released");
        }
      released = !cases[c].steps[cases[c].n - 1].mapped_after;
      /* The only port of the block: free again exactly when released. */
      if (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50001, REMOTE, 80,
                    SIM_TCP_SYN, &next, NULL) != released)
        fail_msg ("%s: a new flow %s", cases[c].name,
                  released ? "got no port" : "got a port held by a flow");
      if (released)
        assert_int_equal (next.nat_port, e.nat_port);
      cloudrun_snat_clear (&f->snat);
    }
}

static void
test_snat__release_after_rst (void **state)
{
  static const Side senders[] = { BY_INSIDE, BY_REMOTE };

  for (guint c = 0; c < G_N_ELEMENTS (senders); c++)
    {
      Fixture *f = *state;
      CloudRunSnatEntry e, next;

      cloudrun_snat_init (&f->snat, 1);
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE, 80,
                             SIM_TCP_SYN, &e, NULL));
      assert_false (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50001, REMOTE, 80,
                              SIM_TCP_SYN, NULL, NULL));
      if (senders[c] == BY_INSIDE)
        assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50000, REMOTE,
                               80, SIM_TCP_RST | SIM_TCP_ACK, NULL, NULL));
      else
        assert_true (send_in (f, REMOTE, 80, e.nat_port, SIM_TCP_RST));
      assert_false (mapped (f, REMOTE, 80, e.nat_port));
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 50001, REMOTE, 80,
                             SIM_TCP_SYN, &next, NULL));
      assert_int_equal (next.nat_port, e.nat_port);
      cloudrun_snat_clear (&f->snat);
    }
}

/* A block of 300 with a free port every 50: a new flow gets the first
 * free port at or after its own port's slot, cyclically, however many
 * taken ports lie between (past 32, the free ports are counted instead
 * of tried one by one). */
static void
test_snat__next_free_port_is_the_first_after_the_slot (void **state)
{
  enum { P = 300 };
  Fixture *f = *state;
  gboolean taken[P];
  uint16_t sport_of[P];
  CloudRunSnatEntry e;
  uint32_t base = 0;

  cloudrun_snat_init (&f->snat, P);
  for (uint16_t i = 0; i < P; i++)
    {
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 1000 + i, REMOTE,
                             443, SIM_TCP_SYN, &e, NULL));
      if (i == 0)
        base = e.nat_port - (1000 % P);
      sport_of[e.nat_port - base] = 1000 + i;
      taken[e.nat_port - base] = TRUE;
    }
  for (uint32_t slot = 7; slot < P; slot += 50)
    {
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, sport_of[slot],
                             REMOTE, 443, SIM_TCP_RST | SIM_TCP_ACK, NULL,
                             NULL));
      taken[slot] = FALSE;
    }
  for (uint16_t n = 0; n < 6; n++)
    {
      static const uint16_t slots[] = { 8, 60, 110, 170, 260, 208 };
      uint16_t sport = (uint16_t) (P * 100 + slots[n]);
      uint32_t want = slots[n];

      while (taken[want])
        want = (want + 1) % P;
      assert_true (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, sport, REMOTE, 443,
                             SIM_TCP_SYN, &e, NULL));
      assert_int_equal (e.nat_port - base, want);
      taken[want] = TRUE;
    }
  assert_false (send_out (f, SIM_IPPROTO_TCP, INSIDE_A, 30000, REMOTE, 443,
                          SIM_TCP_SYN, NULL, NULL));
}

/* ---- Translation -------------------------------------------------- */

static void
test_snat__translated_frames_keep_valid_checksums (void **state)
{
  static const uint8_t protos[] = { SIM_IPPROTO_TCP, SIM_IPPROTO_UDP };
  Fixture *f = *state;

  cloudrun_snat_init (&f->snat, 64);
  for (guint i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      uint8_t flags = protos[i] == SIM_IPPROTO_TCP ? SIM_TCP_SYN : 0;
      SimPacket *p = frame_new (f, protos[i], INSIDE_A, 50000, REMOTE, 53,
                                flags);
      SimFrame fr = parse (p), out;
      bool created;
      CloudRunSnatEntry *e = cloudrun_snat_outbound (&f->snat, &fr, NAT_ADDR,
                                                     &f->inside, &created);
      uint16_t nat_port;

      assert_non_null (e);
      nat_port = e->nat_port;
      cloudrun_snat_translate_out (&f->snat, e, p, &fr);
      out = parse (p);
      assert_true (sim_frame_checksums_ok (&out));
      assert_int_equal (out.src, NAT_ADDR);
      assert_int_equal (out.sport, nat_port);
      assert_int_equal (out.dst, REMOTE);
      assert_int_equal (out.dport, 53);
      assert_int_equal (out.proto, protos[i]);
      sim_packet_release (f->pool, p);

      /* The reply, back to the inside address and port. */
      p = frame_new (f, protos[i], REMOTE, 53, NAT_ADDR, nat_port,
                     protos[i] == SIM_IPPROTO_TCP
                     ? SIM_TCP_SYN | SIM_TCP_ACK : 0);
      fr = parse (p);
      e = cloudrun_snat_inbound (&f->snat, &fr);
      assert_non_null (e);
      cloudrun_snat_translate_in (&f->snat, e, p, &fr);
      out = parse (p);
      assert_true (sim_frame_checksums_ok (&out));
      assert_int_equal (out.src, REMOTE);
      assert_int_equal (out.sport, 53);
      assert_int_equal (out.dst, INSIDE_A);
      assert_int_equal (out.dport, 50000);
      sim_packet_release (f->pool, p);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_snat__mapping_made_once_per_flow,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_snat__inbound_finds_the_mapping,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_snat__ports_stay_in_the_source_block,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_snat__full_block_refuses_and_counts,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (
      test_snat__blocks_are_carved_per_translated_address, setup, teardown),
    cmocka_unit_test_setup_teardown (
      test_snat__release_after_fins_and_last_ack, setup, teardown),
    cmocka_unit_test_setup_teardown (test_snat__release_after_rst, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (
      test_snat__next_free_port_is_the_first_after_the_slot, setup, teardown),
    cmocka_unit_test_setup_teardown (
      test_snat__translated_frames_keep_valid_checksums, setup, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
