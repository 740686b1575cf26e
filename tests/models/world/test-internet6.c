/* Tests for IPv6 across the internet (models/world/internet.c; the
 * builder's routes, models/assemble/build*.c; docs/networking.md, "IPv6
 * across the internet").
 *
 * A tiny world: probes "client" (2001:db8:1::10), "gfe" (Google's front
 * ends' 2001:4860:4802::/48) and "net" (an external /64 of a subnet)
 * around the internet router. Probes: the frames each side received
 * (addresses, hop limit), the router's no_route counter, its steps.
 *
 * Whole worlds from scenarios (world-fixture.h): a dual-stack [client]
 * to a public and an internal service, an IPv4-only one, a VM with an
 * external IPv6 address to a client and to run.app. Probes: the ledger
 * (verdict, class, status) and the internet's and GFE's steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/google.h"
#include "models/world/internet.h"
#include "tests/models/world/tiny-world.h"
#include "tests/models/world/world-fixture.h"

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

/* The text of step s's destination. */
static const char *
dst_text (CloudRunWorld *w, const SimExplainStep *s, char *buf)
{
  return sim_explain_addr_text (sim_world_explain (w->sim), s, s->dst_before,
                                SIM_EXPLAIN_V6_DST_BEFORE, buf);
}

static void
expect_in (const char *text, const char *part)
{
  if (!strstr (text, part))
    fail_msg ("no '%s' in '%s'", part, text);
}

/* ---- The internet router over IPv6 (tiny world) ------------------- */

typedef struct {
  TinyWorld *tw;
  CloudRunInternet *net;
  TinyProbe *client, *gfe, *vpc;
} Net6;

static Net6
net6 (void)
{
  Net6 n = { tiny_world_new (4), NULL, NULL, NULL, NULL };
  SimIp6 client = ip6 ("2001:db8:1::10"), ext = ip6 ("2600:1900:4000:5::");
  SimPort *port;

  n.net = cloudrun_internet_new (n.tw->world);
  n.client = tiny_probe_new (n.tw, "client");
  n.gfe = tiny_probe_new (n.tw, "gfe");
  n.vpc = tiny_probe_new (n.tw, "vpc");
  /* The client also has an IPv4 route: the families do not mix. */
  port = cloudrun_internet_attach (n.net, "client", TW_IP (192, 0, 2, 10),
                                   32, "the client");
  cloudrun_internet_add_route6 (n.net, port, &client, 128, "the client");
  tiny_link (n.tw, n.client->port, port);
  port = cloudrun_internet_port (n.net, "gfe");
  cloudrun_internet_add_route6 (n.net, port, &cloudrun_google_front_ends6,
                                CLOUDRUN_GOOGLE_FRONT_ENDS6_LEN,
                                "the Google front ends (gfe)");
  tiny_link (n.tw, n.gfe->port, port);
  port = cloudrun_internet_port (n.net, "vpc");
  cloudrun_internet_add_route6 (n.net, port, &ext, 64, "a subnet's range");
  tiny_link (n.tw, n.vpc->port, port);
  return n;
}

/* A SYN to the front ends reaches the GFE's port with its hop limit one
 * less, and the route is a step with both IPv6 addresses. */
static void
test_internet6__routes_to_the_front_ends (void **state)
{
  Net6 n = net6 ();
  SimIp6 src = ip6 ("2001:db8:1::10"), fe = ip6 ("2001:4860:4802:32::35");
  const TinyFrame *f;
  const SimExplainStep *s;
  SimIp6 got;
  char buf[SIM_IPV6_STRLEN];

  (void) state;
  tiny_probe_send_tcp6 (n.client, 0, &src, 40000, &fe, 443, SIM_TCP_SYN, 64,
                        1);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (n.gfe), 1);
  f = tiny_probe_frame (n.gfe, 0);
  assert_non_null (f->f.ip6);
  got = sim_frame_dst6 (&f->f);
  assert_true (sim_ipv6_equal (&got, &fe));
  assert_int_equal (f->f.ttl, 63);
  assert_true (sim_frame_checksums_ok (&f->f));
  assert_int_equal (tiny_probe_count (n.vpc), 0);
  s = tiny_step (n.tw, 1, "APPLY_ROUTE", "internet");
  assert_non_null (s);
  assert_string_equal (s->rule, "internet route 2001:4860:4802::/48 to the "
                                "Google front ends (gfe)");
  assert_string_equal (dst_text (n.tw->world, s, buf),
                       "2001:4860:4802:32::35");
  assert_int_equal (n.net->no_route, 0);
  tiny_world_free (n.tw);
}

/* An answer to the client's IPv6 address and a packet for a subnet's
 * external /64 each go to their own port (data: no step). */
static void
test_internet6__routes_to_clients_and_subnets (void **state)
{
  Net6 n = net6 ();
  SimIp6 fe = ip6 ("2001:4860:4802:32::35"), client = ip6 ("2001:db8:1::10");
  SimIp6 vm = ip6 ("2600:1900:4000:5::1:0:0");

  (void) state;
  tiny_probe_send_tcp6 (n.gfe, 0, &fe, 443, &client, 40000,
                        SIM_TCP_SYN | SIM_TCP_ACK, 64, 1);
  tiny_probe_send_tcp6 (n.client, 0, &client, 40001, &vm, 80, SIM_TCP_SYN,
                        64, 2);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (n.client), 1);
  assert_int_equal (tiny_probe_count (n.vpc), 1);
  assert_int_equal (tiny_count_steps (n.tw, 1, "APPLY_ROUTE", "internet"), 0);
  assert_int_equal (tiny_count_steps (n.tw, 2, "APPLY_ROUTE", "internet"), 1);
  tiny_world_free (n.tw);
}

/* No route: counted and dropped (NO_ROUTE), the step saying why for the
 * VIPs' IPv6 ranges and a ULA; an expired hop limit is counted too. */
static void
test_internet6__no_route_is_counted_and_explained (void **state)
{
  Net6 n = net6 ();
  SimIp6 src = ip6 ("2001:db8:1::10"), vip = ip6 ("2600:2d00:2:2000::");
  SimIp6 ula = ip6 ("fd20:0:1::1:0:0"), other = ip6 ("2001:db8:9::1");
  SimIp6 fe = ip6 ("2001:4860:4802:32::35");
  const SimExplainStep *s;

  (void) state;
  tiny_probe_send_tcp6 (n.client, 0, &src, 40000, &vip, 443, SIM_TCP_SYN, 64,
                        1);
  tiny_probe_send_tcp6 (n.client, 0, &src, 40001, &ula, 80, SIM_TCP_SYN, 64,
                        2);
  tiny_probe_send_tcp6 (n.client, 0, &src, 40002, &other, 80, SIM_TCP_SYN,
                        64, 3);
  tiny_probe_send_tcp6 (n.client, 0, &src, 40003, &fe, 443, SIM_TCP_SYN, 1,
                        4);
  tiny_world_run (n.tw, SIM_MS);
  assert_int_equal (n.net->no_route, 4);
  assert_int_equal (tiny_probe_count (n.gfe), 0);
  assert_int_equal (tiny_probe_count (n.vpc), 0);
  s = tiny_step (n.tw, 1, "DROP", "internet");
  assert_non_null (s);
  assert_string_equal (s->cause, "NO_ROUTE");
  expect_in (s->rule, "no internet route to 2600:2d00:2:2000::: the Google "
                      "API VIPs' IPv6 ranges");
  s = tiny_step (n.tw, 2, "DROP", "internet");
  assert_non_null (s);
  expect_in (s->rule, "no internet route to fd20:0:1::1:0:0: a unique local "
                      "address");
  s = tiny_step (n.tw, 3, "DROP", "internet");
  assert_non_null (s);
  assert_string_equal (s->rule, "no internet route to 2001:db8:9::1");
  assert_null (tiny_step (n.tw, 4, "DROP", "internet"));
  tiny_world_free (n.tw);
}

/* ---- Whole worlds ------------------------------------------------- */

#define CLIENT6 "2001:db8:1::10"

#define DUAL_CLIENT \
  WF_HEAD "[project shop]\n\n" \
  "[service public]\nregion = us-central1\ningress = all\n\n" \
  "[service inside]\nregion = us-central1\ningress = internal\n\n" \
  "[client alice]\nipv6-address = " CLIENT6 "\n\n" \
  "[client bob]\n\n" \
  "[traffic to-public]\nfrom = alice\nurl = service:public\ncount = 1\n\n" \
  "[traffic to-inside]\nfrom = alice\nurl = service:inside\ncount = 1\n\n" \
  "[traffic v4]\nfrom = bob\nurl = service:public\ncount = 1\n"

/* The internet's step of traffic's first request (its text and the
 * destination's text). */
static const SimExplainStep *
internet_step (WorldFixture *wf, const char *traffic, char dst[64])
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "APPLY_ROUTE",
                                                "internet");

  dst_text (wf->world, s, dst);
  return s;
}

/* A dual-stack client reaches run.app over IPv6: the internet routes it
 * to the front ends' /48; external, delivered by ingress = all. */
static void
test_internet6__dual_stack_client_reaches_a_public_service (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (DUAL_CLIENT, NULL);
  char dst[64];
  const SimExplainStep *s = internet_step (wf, "to-public", dst);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "to-public", 0),
                       "delivered");
  assert_string_equal (world_fixture_class (wf, "to-public", 0), "external");
  assert_string_equal (s->rule, "internet route 2001:4860:4802::/48 to the "
                                "Google front ends (gfe)");
  assert_string_equal (dst, "2001:4860:4802:32::35");
}

/* Over IPv6 as over IPv4, ingress = internal refuses it: 404. */
static void
test_internet6__dual_stack_client_is_refused_by_internal (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (DUAL_CLIENT, NULL);
  char dst[64];

  (void) state;
  internet_step (wf, "to-inside", dst);
  assert_string_equal (dst, "2001:4860:4802:32::35");
  assert_string_equal (world_fixture_verdict (wf, "to-inside", 0),
                       "denied-by-ingress");
  assert_string_equal (world_fixture_class (wf, "to-inside", 0), "external");
  assert_int_equal (world_fixture_status (wf, "to-inside", 0), 404);
}

/* A client without ipv6-address stays on IPv4 as before. */
static void
test_internet6__ipv4_client_stays_ipv4 (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (DUAL_CLIENT, NULL);
  char dst[64];
  const SimExplainStep *s = internet_step (wf, "v4", dst);

  (void) state;
  assert_string_equal (s->rule, "internet route 216.239.32.0/19 to the "
                                "Google front ends (gfe)");
  assert_string_equal (dst, "216.239.32.53");
  assert_string_equal (world_fixture_verdict (wf, "v4", 0), "delivered");
}

#define EXTERNAL_VM \
  WF_HEAD "[project shop]\n\n[project partner]\n\n" \
  "[network net]\nproject = shop\n\n" \
  "[network other]\nproject = partner\n\n" \
  "[subnet pub]\nnetwork = net\nregion = us-central1\n" \
  "range = 10.2.0.0/24\nstack-type = ipv4-ipv6\n" \
  "ipv6-access-type = external\nprivate-google-access = false\n\n" \
  "[subnet pub2]\nnetwork = other\nregion = us-central1\n" \
  "range = 10.3.0.0/24\nstack-type = ipv4-ipv6\n" \
  "ipv6-access-type = external\n\n" \
  "[vm web]\nsubnet = pub\n\n[vm stranger]\nsubnet = pub2\n\n" \
  "[service backend]\nproject = shop\nregion = us-central1\n" \
  "ingress = internal\n\n" \
  "[client alice]\nipv6-address = " CLIENT6 "\n\n" \
  "[dns-zone example]\ndns-name = example.com.\nvisibility = public\n" \
  "records = alice.example.com. AAAA " CLIENT6 "\n\n" \
  "[traffic to-alice]\nfrom = web\nurl = http://alice.example.com/\n" \
  "count = 1\n\n" \
  "[traffic to-run]\nfrom = web\nurl = service:backend\ncount = 1\n\n" \
  "[traffic stranger-to-run]\nfrom = stranger\nurl = service:backend\n" \
  "count = 1\n"

/* A VM with an external IPv6 address reaches an internet client over
 * IPv6: the internet routes it to the client's address, and the answer
 * back to the subnet's /64. */
static void
test_internet6__external_vm_reaches_an_internet_client (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (EXTERNAL_VM, NULL);
  char dst[64];
  const SimExplainStep *s = internet_step (wf, "to-alice", dst);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "to-alice", 0),
                       "delivered");
  assert_string_equal (s->rule, "internet route " CLIENT6 "/128 to the "
                                "client alice");
  assert_string_equal (dst, CLIENT6);
}

/* From its external IPv6 address a VM reaches run.app inside Google
 * without Private Google Access; the GFE classifies it by the network's
 * project as for an external IPv4 address: internal from the service's
 * project, external from another. */
static void
test_internet6__external_vm_reaches_run_app (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (EXTERNAL_VM, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "to-run", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "PROXY_CONNECTION",
                                                "gfe");
  char src[64];

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "to-run", 0), "delivered");
  assert_string_equal (world_fixture_class (wf, "to-run", 0), "internal");
  sim_explain_addr_text (sim_world_explain (wf->world->sim), s,
                         s->src_before, SIM_EXPLAIN_V6_SRC_BEFORE, src);
  assert_string_equal (src, "2600:1900:4000::1:0:0");
  assert_int_equal (world_fixture_count_steps (wf, r, "APPLY_ROUTE",
                                               "internet"), 0);
  assert_string_equal (world_fixture_verdict (wf, "stranger-to-run", 0),
                       "denied-by-ingress");
  assert_string_equal (world_fixture_class (wf, "stranger-to-run", 0),
                       "external");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_internet6__routes_to_the_front_ends),
    cmocka_unit_test (test_internet6__routes_to_clients_and_subnets),
    cmocka_unit_test (test_internet6__no_route_is_counted_and_explained),
    cmocka_unit_test (
      test_internet6__dual_stack_client_reaches_a_public_service),
    cmocka_unit_test (
      test_internet6__dual_stack_client_is_refused_by_internal),
    cmocka_unit_test (test_internet6__ipv4_client_stays_ipv4),
    cmocka_unit_test (test_internet6__external_vm_reaches_an_internet_client),
    cmocka_unit_test (test_internet6__external_vm_reaches_run_app),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
