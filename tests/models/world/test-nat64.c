/* Tests for IPv6-only VMs reaching IPv4 internet hosts through DNS64
 * (models/world/dns-server.c) and Cloud NAT's NAT64
 * (models/world/nat.c, the route in models/world/vpc-router6.c), on
 * small scenarios: the VM asks AAAA only, over IPv6, of fd20:ce::254;
 * under a DNS64 server policy a name with only an A record answers
 * 64:ff9b::A.B.C.D, without it NODATA; a dual-stack VM's query (over
 * IPv4) gets no synthesis; the connection leaves NAT64 as IPv4 from the
 * gateway's address and its replies come back as IPv6, checksums valid
 * on both sides; without NAT64 the router drops it (NO_EXTERNAL_ADDRESS),
 * and an internal IPv4 address inside 64:ff9b::/96 is not reachable.
 * https://cloud.google.com/vpc/docs/ipv6-to-ipv4-overview,
 * https://cloud.google.com/dns/docs/configure-dns64
 *
 * Probes: the ledger and steps, and every frame that arrives at the VM,
 * the NAT and the internet host (a tap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "sim/dns.h"
#include "sim/nat64.h"
#include "sim/tap.h"
#include "sim/world.h"
#include "tests/models/world/world-fixture.h"

#define NAT_ADDR WF_IP (198, 51, 100, 77)
#define PARTNER WF_IP (203, 0, 113, 10)
#define SYNTH "64:ff9b::cb00:710a"      /* 64:ff9b:: + 203.0.113.10 */

static const char base[] =
  WF_HEAD
  "[network net]\ninternal-ipv6-range = auto\n\n"
  "[subnet v6]\nnetwork = net\nregion = us-central1\n"
  "stack-type = ipv6-only\nipv6-access-type = internal\n\n"
  "[vm only6]\nsubnet = v6\n\n"
  "[client partner]\naddress = 203.0.113.10\n\n"
  "[dns-zone partner]\ndns-name = partner.example.\nvisibility = public\n"
  "records = api.partner.example. A 203.0.113.10;"
  "db.partner.example. A 10.1.0.5;"
  "both.partner.example. A 203.0.113.10;"
  "both.partner.example. AAAA 2001:db8::5\n\n";

static const char nat64[] =
  "[nat gw]\nnetwork = net\nregion = us-central1\n"
  "addresses = 198.51.100.77\nnat64 = true\n\n";
static const char dns64[] =
  "[dns-server-policy p]\nnetworks = net\ndns64 = true\n\n";

/* Every frame that arrived at one of three nodes, copied. */
typedef struct {
  SimTap tap;                   /* first: the world calls it */
  SimNode *nodes[3];
  GPtrArray *frames[3];         /* GByteArray* per node */
} Frames;

static void
frames_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  Frames *fr = (Frames *) tap;

  (void) t;
  for (guint i = 0; i < 3; i++)
    if (fr->nodes[i] == rx->node)
      {
        GByteArray *b = g_byte_array_new ();
        g_byte_array_append (b, packet->data, packet->len);
        g_ptr_array_add (fr->frames[i], b);
      }
}

static void
frames_handled (SimTap *tap, SimPort *rx, SimTime t, const uint32_t *steps,
                uint32_t n_steps)
{
  (void) tap; (void) rx; (void) t; (void) steps; (void) n_steps;
}

static const SimTapClass frames_class = {
  .arrived = frames_arrived,
  .handled = frames_handled,
};

static void
frames_free (Frames *fr)
{
  for (guint i = 0; i < 3; i++)
    g_ptr_array_free (fr->frames[i], TRUE);
  g_free (fr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Frames, frames_free)

/* Loads base + extra with a traffic of one request from only6 to url,
 * listens to the VM, the NAT (when there is one) and the partner, runs. */
static WorldFixture *
run64 (const char *extra, const char *url, Frames **out)
{
  g_autofree char *ini = g_strconcat (base, extra, "[traffic out]\n"
                                      "from = only6\nurl = ", url, "\n",
                                      NULL);
  WorldFixture *wf = world_fixture_load (ini, NULL);
  Frames *fr = g_new0 (Frames, 1);
  const char *names[3] = { "only6", "nat-gw", "partner" };

  fr->tap.klass = &frames_class;
  for (guint i = 0; i < 3; i++)
    {
      fr->frames[i] = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_byte_array_unref);
      fr->nodes[i] = strstr (extra, "[nat gw]") || i != 1
                     ? world_fixture_node (wf, names[i]) : NULL;
    }
  sim_world_set_tap (wf->world->sim, &fr->tap);
  world_fixture_run (wf);
  *out = fr;
  return wf;
}

static void
expect (WorldFixture *wf, const char *verdict, const char *cause,
        const char *decided_at)
{
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);

  if (strcmp (world_fixture_verdict (wf, "out", 0), verdict) != 0
      || strcmp (world_fixture_cause (wf, "out", 0), cause) != 0
      || strcmp (world_fixture_decided_at (wf, "out", 0), decided_at) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("expected %s (%s) at %s", verdict, cause, decided_at);
    }
}

static const char *
step_rule (WorldFixture *wf, const char *state, const char *node)
{
  const SimExplainStep *s = world_fixture_step (
    wf, world_fixture_request (wf, "out", 0), state, node);

  assert_non_null (s);
  assert_non_null (s->rule);
  return s->rule;
}

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

/* The first DNS answer that arrived at the VM: over IPv6, checksums
 * valid; its AAAA records (n of them). */
static guint
vm_aaaa (const Frames *fr, SimIp6 *first)
{
  for (guint i = 0; i < fr->frames[0]->len; i++)
    {
      const GByteArray *b = fr->frames[0]->pdata[i];
      SimDnsMessage m;
      SimFrame f;
      guint n = 0;

      assert_true (sim_frame_parse (b->data, b->len, &f));
      if (f.proto != SIM_IPPROTO_UDP || f.sport != SIM_DNS_PORT)
        continue;
      assert_non_null (f.ip6);
      assert_true (sim_frame_checksums_ok (&f));
      assert_true (sim_dns_parse (f.payload, f.payload_len, &m));
      assert_int_equal (m.qtype, SIM_DNS_TYPE_AAAA);
      for (uint32_t k = 0; k < m.n_answers; k++)
        if (m.answers[k].type == SIM_DNS_TYPE_AAAA && n++ == 0)
          memcpy (first->b, m.answers[k].aaaa, 16);
      return n;
    }
  fail_msg ("no DNS answer reached the VM");
  return 0;
}

static void
test_nat64__dns64_synthesizes_from_a (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra,
                                       "http://api.partner.example/", &fr);
  SimIp6 got = { { 0 } }, want = ip6 (SYNTH);
  (void) state;

  expect (wf, "delivered", "none", "client");
  assert_int_equal (vm_aaaa (fr, &got), 1);
  assert_true (sim_ipv6_equal (&got, &want));
  assert_non_null (strstr (step_rule (wf, "DNS_ANSWER", "metadata-net"),
                           "DNS64 server policy p: api.partner.example has "
                           "no AAAA: DNS64 synthesizes " SYNTH " from A "
                           "203.0.113.10"));
}

static void
test_nat64__without_dns64_nodata (void **state)
{
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (nat64, "http://api.partner.example/",
                                       &fr);
  SimIp6 got;
  (void) state;

  expect (wf, "dns-failure", "none", "vm");
  assert_int_equal (vm_aaaa (fr, &got), 0);
  assert_non_null (strstr (step_rule (wf, "DNS_ANSWER", "metadata-net"),
                           "api.partner.example has no AAAA record "
                           "(NODATA)"));
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "nat-gw"), 0);
}

/* A name with an AAAA record keeps it under DNS64 (and the ULA source
 * has no way to a public IPv6 address: no NAT66). */
static void
test_nat64__aaaa_is_kept (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra,
                                       "http://both.partner.example/", &fr);
  SimIp6 got = { { 0 } }, want = ip6 ("2001:db8::5");
  (void) state;

  assert_int_equal (vm_aaaa (fr, &got), 1);
  assert_true (sim_ipv6_equal (&got, &want));
  assert_null (strstr (step_rule (wf, "DNS_ANSWER", "metadata-net"),
                       "DNS64"));
  expect (wf, "dropped", "NO_EXTERNAL_ADDRESS", "vpc-router");
}

/* The VM asks AAAA only, and over IPv6: nothing it sends or receives is
 * IPv4. */
static void
test_nat64__vm_speaks_ipv6_only (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra,
                                       "http://api.partner.example/", &fr);
  guint queries = 0;
  (void) state;

  assert_true (fr->frames[0]->len > 0);
  for (guint i = 0; i < fr->frames[0]->len; i++)
    {
      const GByteArray *b = fr->frames[0]->pdata[i];
      SimFrame f;
      assert_true (sim_frame_parse (b->data, b->len, &f));
      assert_non_null (f.ip6);
      queries += f.proto == SIM_IPPROTO_UDP;
    }
  assert_int_equal (queries, 1);        /* one answer: AAAA, no A */
}

static void
test_nat64__translates_both_ways (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra,
                                       "http://api.partner.example/", &fr);
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);
  const SimExplainStep *nat = world_fixture_step (wf, r, "NAT", "nat-gw");
  g_autofree char *steps = world_fixture_steps_text (wf, r);
  SimIp6 synth = ip6 (SYNTH), vm6;
  guint v4_in = 0, v6_back = 0, syns = 0;
  (void) state;

  expect (wf, "delivered", "none", "client");
  assert_non_null (nat);
  assert_int_equal (nat->src_after, NAT_ADDR);
  assert_int_equal (nat->dst_after, PARTNER);  /* before: IPv6 */
  assert_non_null (strstr (step_rule (wf, "NAT", "nat-gw"),
                           "Cloud NAT gw (NAT64) translates ["));
  assert_non_null (strstr (steps, "through the NAT64 of Cloud NAT gw"));
  /* The NAT64 step's addresses: IPv6 before, IPv4 after. */
  if (!strstr (steps, "[fd20:0:1::1:0:0 -> " SYNTH " => 198.51.100.77 -> "
               "203.0.113.10]"))
    fail_msg ("%s", steps);
  /* The partner sees IPv4 from the NAT's address. */
  for (guint i = 0; i < fr->frames[2]->len; i++)
    {
      const GByteArray *b = fr->frames[2]->pdata[i];
      SimFrame f;
      assert_true (sim_frame_parse (b->data, b->len, &f));
      assert_null (f.ip6);
      assert_int_equal (f.proto, SIM_IPPROTO_TCP);
      assert_int_equal (f.src, NAT_ADDR);
      assert_int_equal (f.dst, PARTNER);
      assert_true (sim_frame_checksums_ok (&f));
      v4_in++;
    }
  assert_true (v4_in >= 3);
  /* The NAT's IPv6 side: the VM's SYN to 64:ff9b::203.0.113.10. */
  for (guint i = 0; i < fr->frames[1]->len; i++)
    {
      const GByteArray *b = fr->frames[1]->pdata[i];
      SimFrame f;
      assert_true (sim_frame_parse (b->data, b->len, &f));
      if (f.ip6)
        {
          SimIp6 d = sim_frame_dst6 (&f);
          assert_true (sim_ipv6_equal (&d, &synth));
          syns += sim_frame_opens_tcp (&f);
        }
    }
  assert_int_equal (syns, 1);
  /* Back at the VM: IPv6 from 64:ff9b::203.0.113.10, checksums valid. */
  vm6 = ip6 ("fd20:0:1::1:0:0");      /* the first address of its /96 */
  for (guint i = 0; i < fr->frames[0]->len; i++)
    {
      const GByteArray *b = fr->frames[0]->pdata[i];
      SimFrame f;
      SimIp6 s, d;
      assert_true (sim_frame_parse (b->data, b->len, &f));
      if (f.proto != SIM_IPPROTO_TCP)
        continue;
      s = sim_frame_src6 (&f);
      d = sim_frame_dst6 (&f);
      assert_true (sim_ipv6_equal (&s, &synth));
      assert_true (sim_ipv6_equal (&d, &vm6));
      assert_int_equal (f.sport, 80);
      assert_true (sim_frame_checksums_ok (&f));
      v6_back++;
    }
  assert_true (v6_back >= 3);
}

static void
test_nat64__no_nat64_no_way_out (void **state)
{
  static const char *const nats[] = {
    "",
    "[nat gw]\nnetwork = net\nregion = us-central1\n"
    "addresses = 198.51.100.77\n\n",
  };
  (void) state;

  for (guint i = 0; i < G_N_ELEMENTS (nats); i++)
    {
      g_autofree char *extra = g_strconcat (nats[i], dns64, NULL);
      g_autoptr (Frames) fr = NULL;
      g_autoptr (WorldFixture) wf = run64 (
        extra, "http://api.partner.example/", &fr);

      expect (wf, "dropped", "NO_EXTERNAL_ADDRESS", "vpc-router");
      assert_non_null (strstr (step_rule (wf, "DROP", "vpc-net"),
                               "no Cloud NAT with NAT64 serves its "
                               "subnet"));
      assert_int_equal (fr->frames[2]->len, 0);
    }
}

/* 64:ff9b::10.1.0.5: NAT64 reaches the internet only. */
static void
test_nat64__internal_ipv4_not_reachable (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra, "http://db.partner.example/",
                                       &fr);
  (void) state;

  expect (wf, "dropped", "NO_ROUTE", "vpc-router");
  assert_non_null (strstr (step_rule (wf, "DROP", "vpc-net"),
                           "64:ff9b::/96 carries 10.1.0.5, an internal "
                           "IPv4 address"));
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "nat-gw"), 0);
}

/* An IPv4 literal from a host without IPv4: connect fails at once. */
static void
test_nat64__ipv4_literal_fails_at_the_vm (void **state)
{
  g_autofree char *extra = g_strconcat (nat64, dns64, NULL);
  g_autoptr (Frames) fr = NULL;
  g_autoptr (WorldFixture) wf = run64 (extra, "http://203.0.113.10/", &fr);
  g_autofree char *steps = world_fixture_steps_text (
    wf, world_fixture_request (wf, "out", 0));
  (void) state;

  expect (wf, "unavailable", "none", "vm");
  assert_non_null (strstr (steps, "the host has no IPv4 address"));
  assert_int_equal (world_fixture_packets (wf, "only6", "vpc-net"), 0);
}

/* A dual-stack VM asks over IPv4: DNS64 does not apply to it. */
static void
test_nat64__dual_stack_vm_gets_no_synthesis (void **state)
{
  g_autofree char *ini = g_strconcat (
    base, nat64, dns64,
    "[subnet ds]\nnetwork = net\nregion = us-central1\n"
    "range = 10.2.0.0/24\nstack-type = ipv4-ipv6\n"
    "ipv6-access-type = internal\n\n"
    "[vm dual]\nsubnet = ds\n\n"
    "[traffic out]\nfrom = dual\nurl = http://api.partner.example/\n",
    NULL);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);
  g_autofree char *steps = world_fixture_steps_text (wf, r);
  (void) state;

  expect (wf, "delivered", "none", "client");
  assert_null (strstr (steps, "DNS64"));
  /* Its AAAA question got NODATA, not 64:ff9b::: the only address it
   * tried is the IPv4 one. */
  assert_null (strstr (steps, "64:ff9b"));
  assert_non_null (strstr (steps, "tried one after another: "
                           "203.0.113.10; 203.0.113.10 connected"));
  /* It left through the NAT's IPv4 side, from its IPv4 address. */
  assert_non_null (strstr (steps, "Cloud NAT gw translates the source"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_nat64__dns64_synthesizes_from_a),
    cmocka_unit_test (test_nat64__without_dns64_nodata),
    cmocka_unit_test (test_nat64__aaaa_is_kept),
    cmocka_unit_test (test_nat64__vm_speaks_ipv6_only),
    cmocka_unit_test (test_nat64__translates_both_ways),
    cmocka_unit_test (test_nat64__no_nat64_no_way_out),
    cmocka_unit_test (test_nat64__internal_ipv4_not_reachable),
    cmocka_unit_test (test_nat64__ipv4_literal_fails_at_the_vm),
    cmocka_unit_test (test_nat64__dual_stack_vm_gets_no_synthesis),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
