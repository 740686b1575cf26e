/* Tests for models/world/nat.c (Cloud NAT) through small scenarios,
 * docs/networking.md, "Inside the VPC": a VM without an external address
 * cannot reach the internet (NO_EXTERNAL_ADDRESS) unless Cloud NAT serves
 * its subnet; with NAT the internet sees the NAT address as the source;
 * a VM with its own external address does not use NAT; min-ports-per-vm
 * bounds the connections one VM holds at once, and ports come back when
 * connections end; a NAT with several addresses spreads its VMs over them.
 *
 * Probes: the ledger, the steps of the router, NAT and internet hops
 * (addresses before and after), the NAT node's exhausted counter and the
 * packet counters of its links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/nat.h"
#include "tests/models/world/world-fixture.h"

#define NAT_ADDR WF_IP (198, 51, 100, 77)
#define SITE WF_IP (203, 0, 113, 10)

/* VM app (10.1.0.5, subnet vms of net) calls the internet client site. */
static const char base[] =
  WF_HEAD
  "[network net]\n\n"
  "[subnet vms]\nnetwork = net\nregion = us-central1\n"
  "range = 10.1.0.0/24\n\n"
  "[subnet others]\nnetwork = net\nregion = us-central1\n"
  "range = 10.2.0.0/24\n\n"
  "[vm app]\nsubnet = vms\naddress = 10.1.0.5\n\n"
  "[client site]\naddress = 203.0.113.10\n\n";

static WorldFixture *
run_nat (const char *extra, const char *traffic_keys,
         const char *const *overrides)
{
  g_autofree char *ini = g_strconcat (
    base, extra, "\n[traffic out]\nfrom = app\nurl = http://203.0.113.10/\n",
    traffic_keys, NULL);

  return world_fixture_new (ini, overrides);
}

static const char nat_gw[] =
  "[nat gw]\nnetwork = net\nregion = us-central1\n"
  "addresses = 198.51.100.77\n";

static void
expect_out (WorldFixture *wf, guint index, const char *label,
            const char *verdict, const char *cause, const char *decided_at)
{
  CloudRunRequest *r = world_fixture_request (wf, "out", index);

  if (strcmp (world_fixture_verdict (wf, "out", index), verdict) != 0
      || strcmp (world_fixture_cause (wf, "out", index), cause) != 0
      || strcmp (world_fixture_decided_at (wf, "out", index), decided_at)
         != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("%s, request %u: expected %s (%s) at %s", label, index + 1,
                verdict, cause, decided_at);
    }
}

static void
test_nat__no_nat_no_external_address (void **state)
{
  static const struct {
    const char *label;
    const char *extra;
  } cases[] = {
    { "no NAT", "" },
    { "a NAT serving only another subnet",
      "[nat gw]\nnetwork = net\nregion = us-central1\nsubnets = others\n" },
    { "a NAT of another region",
      "[nat gw]\nnetwork = net\nregion = europe-west1\n" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_nat (cases[i].extra, "", NULL);
      CloudRunRequest *r = world_fixture_request (wf, "out", 0);

      expect_out (wf, 0, cases[i].label, "dropped", "NO_EXTERNAL_ADDRESS",
                  "vpc-router");
      assert_int_equal (r->status, 0);
      assert_non_null (world_fixture_step (wf, r, "DROP", "vpc-net"));
      assert_null (world_fixture_step (wf, r, "DELIVER", "site"));
      assert_int_equal (world_fixture_packets (wf, "internet", "site"), 0);
    }
}

static void
test_nat__translates_to_the_nat_address (void **state)
{
  g_autoptr (WorldFixture) wf = run_nat (nat_gw, "", NULL);
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);
  const SimExplainStep *nat = world_fixture_step (wf, r, "NAT", "nat-gw");
  const SimExplainStep *inet = world_fixture_step (wf, r, "APPLY_ROUTE",
                                                   "internet");

  (void) state;
  expect_out (wf, 0, "NAT", "delivered", "none", "client");
  assert_int_equal (r->status, 200);
  assert_non_null (nat);
  assert_int_equal (nat->src_before, WF_IP (10, 1, 0, 5));
  assert_int_equal (nat->src_after, NAT_ADDR);
  assert_int_equal (nat->dst_before, SITE);
  /* What the internet, and so the client, saw as the source. */
  assert_non_null (inet);
  assert_int_equal (inet->src_before, NAT_ADDR);
  assert_non_null (world_fixture_step (wf, r, "DELIVER", "site"));
  assert_true (world_fixture_passed (r, CLOUDRUN_HOP_NAT));
  assert_true (world_fixture_packets (wf, "vpc-net", "nat-gw") > 0);
  assert_true (world_fixture_packets (wf, "nat-gw", "internet") > 0);
  assert_true (world_fixture_packets (wf, "internet", "nat-gw") > 0);
  assert_true (world_fixture_packets (wf, "nat-gw", "vpc-net") > 0);
}

static void
test_nat__counted_addresses_are_public (void **state)
{
  g_autoptr (WorldFixture) wf = run_nat (
    "[nat gw]\nnetwork = net\nregion = us-central1\naddresses = 2\n", "",
    NULL);
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);
  const SimExplainStep *nat = world_fixture_step (wf, r, "NAT", "nat-gw");

  (void) state;
  expect_out (wf, 0, "NAT with 2 addresses", "delivered", "none", "client");
  assert_non_null (nat);
  /* Automatic NAT addresses are Google Cloud external ones. */
  assert_int_equal (nat->src_after & 0xffff0000u, WF_IP (35, 192, 0, 0));
}

/* A NAT with two addresses spreads its VMs over them: 10.1.0.5 and
 * 10.1.0.6 leave from different ones, each from one of the NAT's. */
static void
test_nat__vms_spread_over_the_addresses (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm a]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[vm b]\nsubnet = vms\naddress = 10.1.0.6\n\n"
    "[client site]\naddress = 203.0.113.10\n\n"
    "[nat gw]\nnetwork = net\nregion = us-central1\n"
    "addresses = 198.51.100.77;198.51.100.78\n\n"
    "[traffic from-a]\nfrom = a\nurl = http://203.0.113.10/\n\n"
    "[traffic from-b]\nfrom = b\nurl = http://203.0.113.10/\n", NULL);
  static const char *const traffics[] = { "from-a", "from-b" };
  uint32_t used[2];

  (void) state;
  for (guint t = 0; t < 2; t++)
    {
      CloudRunRequest *r = world_fixture_request (wf, traffics[t], 0);
      const SimExplainStep *nat = world_fixture_step (wf, r, "NAT", "nat-gw");

      assert_string_equal (world_fixture_verdict (wf, traffics[t], 0),
                           "delivered");
      assert_non_null (nat);
      used[t] = nat->src_after;
      assert_true (used[t] == NAT_ADDR || used[t] == NAT_ADDR + 1);
    }
  assert_true (used[0] != used[1]);
}

static void
test_nat__external_ip_does_not_use_nat (void **state)
{
  static const char *const external[] = { "vm app.external-ip=true", NULL };
  g_autoptr (WorldFixture) wf = run_nat (nat_gw, "", external);
  CloudRunRequest *r = world_fixture_request (wf, "out", 0);
  const SimExplainStep *route = world_fixture_step (wf, r, "APPLY_ROUTE",
                                                    "vpc-net");

  (void) state;
  expect_out (wf, 0, "external IP", "delivered", "none", "client");
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_NAT));
  assert_non_null (route);
  assert_int_not_equal (route->src_after, 0);
  assert_int_not_equal (route->src_after, NAT_ADDR);
  assert_int_equal (world_fixture_packets (wf, "vpc-net", "nat-gw"), 0);
}

static CloudRunNatNode *
nat_node (WorldFixture *wf)
{
  return (CloudRunNatNode *) world_fixture_node (wf, "nat-gw");
}

static void
test_nat__min_ports_per_vm_exhaustion (void **state)
{
  /* Six requests at once (each with a 64 KiB body, so they last) and two
   * ports per VM: two get through, four are dropped at NAT. The timeout
   * is shorter than TCP's first SYN retransmission (1 s), so a dropped
   * connection is not retried. */
  static const char nat2[] =
    "[nat gw]\nnetwork = net\nregion = us-central1\n"
    "addresses = 198.51.100.77\nmin-ports-per-vm = 2\n";
  g_autoptr (WorldFixture) wf = run_nat (
    nat2, "count = 6\ninterval = 1ms\nrequest-size = 64KiB\ntimeout = 800ms\n",
    NULL);
  guint delivered = 0, dropped = 0;

  (void) state;
  for (guint i = 0; i < 6; i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "out", i);
      if (r->outcome == CLOUDRUN_VERDICT_DELIVERED)
        {
          delivered++;
          assert_int_equal (r->status, 200);
          assert_int_equal (world_fixture_step (wf, r, "NAT", "nat-gw")
                            ->src_after, NAT_ADDR);
        }
      else
        {
          dropped++;
          expect_out (wf, i, "port exhausted", "dropped",
                      "CLOUD_NAT_PORTS_EXHAUSTED", "nat");
          assert_int_equal (r->status, 0);
          assert_non_null (world_fixture_step (wf, r, "DROP", "nat-gw"));
          assert_null (world_fixture_step (wf, r, "DELIVER", "site"));
        }
    }
  assert_int_equal (delivered, 2);
  assert_int_equal (dropped, 4);
  assert_true (nat_node (wf)->snat.exhausted >= 4);
}

static void
test_nat__ports_come_back (void **state)
{
  /* The same six requests one after the other, 300 ms apart: each
   * connection ends (FIN both ways) before the next starts. A closed
   * connection's port stays taken for the TCP TIME_WAIT timeout: with it
   * at 0 s two ports are enough for all six; at 200 ms too (each port is
   * free again before its next turn); at the default 120 s only the first
   * two get a port. */
  static const struct {
    const char *time_wait;
    guint delivered;
  } cases[] = {
    { "0s", 6 }, { "200ms", 6 }, { NULL, 2 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *nat2 = g_strconcat (
        "[nat gw]\nnetwork = net\nregion = us-central1\n"
        "addresses = 198.51.100.77\nmin-ports-per-vm = 2\n",
        cases[i].time_wait ? "tcp-time-wait-timeout = " : "",
        cases[i].time_wait ? cases[i].time_wait : "", "\n", NULL);
      g_autoptr (WorldFixture) wf = run_nat (
        nat2, "count = 6\ninterval = 300ms\nrequest-size = 64KiB\n"
        "timeout = 800ms\n", NULL);
      guint n = world_fixture_count_verdict (wf, "out",
                                             CLOUDRUN_VERDICT_DELIVERED);

      if (n != cases[i].delivered)
        fail_msg ("TIME_WAIT %s: %u delivered, not %u",
                  cases[i].time_wait ? cases[i].time_wait : "(120s)", n,
                  cases[i].delivered);
      assert_int_equal (nat_node (wf)->snat.exhausted == 0,
                        cases[i].delivered == 6);
    }
}

/* A connection whose first SYN was dropped at NAT (no port left) is
 * retried by TCP after 1 s; by then a port is free (TIME_WAIT at 500 ms
 * here), the retried SYN passes and the request gets its 200: it is delivered (the drop was
 * transient and only added latency), whatever the first decision was. */
static void
test_nat__retried_syn_that_gets_a_port_is_delivered (void **state)
{
  static const char nat2[] =
    "[nat gw]\nnetwork = net\nregion = us-central1\n"
    "addresses = 198.51.100.77\nmin-ports-per-vm = 2\n"
    "tcp-time-wait-timeout = 500ms\n";
  g_autoptr (WorldFixture) wf = run_nat (nat2, "count = 6\ninterval = 1ms\n",
                                         NULL);

  (void) state;
  assert_true (nat_node (wf)->snat.exhausted >= 1);
  for (guint i = 0; i < 6; i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "out", i);
      /* Every request is eventually answered (the default 10 s timeout
       * leaves room for the retries). */
      assert_int_equal (r->status, 200);
      assert_non_null (world_fixture_step (wf, r, "DELIVER", "site"));
      if (r->outcome != CLOUDRUN_VERDICT_DELIVERED)
        fail_msg ("request %u got HTTP 200 but reads %s, decided at %s", i + 1,
                  cloudrun_verdict_name (r->outcome),
                  cloudrun_hop_name (r->decided_at));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_nat__no_nat_no_external_address),
    cmocka_unit_test (test_nat__translates_to_the_nat_address),
    cmocka_unit_test (test_nat__counted_addresses_are_public),
    cmocka_unit_test (test_nat__vms_spread_over_the_addresses),
    cmocka_unit_test (test_nat__external_ip_does_not_use_nat),
    cmocka_unit_test (test_nat__min_ports_per_vm_exhaustion),
    cmocka_unit_test (test_nat__ports_come_back),
    cmocka_unit_test (test_nat__retried_syn_that_gets_a_port_is_delivered),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
