/* Tests for the IPv6 side of the builder (models/assemble/translate.c,
 * build-vpc.c): a network's subnets of either stack, IPv6 routes and a
 * firewall rule of IPv6 ranges turn into the router's configuration; a
 * VM on a dual-stack subnet holds its IPv6 address and the router
 * delivers to it, so that a TCP connection over IPv6 between two VMs
 * opens when an ingress rule of IPv6 ranges admits it, and not when the
 * only rule holds IPv4 ranges.
 *
 * Probes: the router configuration build_router_config makes, the VMs'
 * hosts, a connection opened from one VM's host (sim_tcp_connect6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/assemble/translate.h"
#include "models/world/endpoint.h"
#include "sim/tcp.h"
#include "tests/models/world/world-fixture.h"

static const char dual_stack[] =
  WF_HEAD
  "[network net]\ninternal-ipv6-range = fd20:0:5::/48\n\n"
  "[subnet vms]\nnetwork = net\nregion = us-central1\n"
  "range = 10.1.0.0/24\nstack-type = ipv4-ipv6\n"
  "ipv6-access-type = internal\n\n"
  "[subnet old]\nnetwork = net\nregion = us-central1\n"
  "range = 10.2.0.0/24\n\n"
  "[vm app]\nsubnet = vms\n\n"
  "[vm db]\nsubnet = vms\n\n"
  "[vm legacy]\nsubnet = old\n\n"
  "[route v6-out]\nnetwork = net\ndestination = 2001:db8::/32\n"
  "next-hop = blackhole\npriority = 800\n\n"
  "[firewall allow-v4]\nnetwork = net\ndirection = ingress\n"
  "action = allow\nranges = 10.0.0.0/8\n\n"
  "[firewall allow-v6]\nnetwork = net\ndirection = ingress\n"
  "action = allow\nranges = fd20::/20\n";

static const SimIp6 app6 = { { 0xfd, 0x20, 0, 0, 0, 5, [11] = 1 } };
static const SimIp6 db6 = { { 0xfd, 0x20, 0, 0, 0, 5, [11] = 2 } };

static void
test_build_vpc6__router_config (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (dual_stack, NULL);
  const CloudRunSpecNetwork *n = cloudrun_scenario_find (
    wf->scenario, CLOUDRUN_KIND_NETWORK, "net");
  VpcRouterConfig config = { 0 };
  BuildRouterStorage storage;
  const VpcFirewallRule *v6 = NULL;
  SimIp6 prefix;

  (void) state;
  build_router_config (wf->scenario, n, &config, &storage);
  assert_int_equal (config.internal_ipv6_range.len, 48);
  assert_int_equal (config.n_subnets, 2);
  assert_int_equal (config.subnets[0].stack, VPC_STACK_IPV4_IPV6);
  assert_int_equal (config.subnets[0].ipv6_access, VPC_IPV6_ACCESS_INTERNAL);
  assert_true (sim_ipv6_parse ("fd20:0:5::", &prefix));
  assert_true (sim_ipv6_equal (&config.subnets[0].ipv6_range.prefix,
                               &prefix));
  assert_int_equal (config.subnets[0].ipv6_range.len, 64);
  assert_int_equal (config.subnets[1].stack, VPC_STACK_IPV4_ONLY);
  assert_int_equal (config.n_routes, 1);
  assert_true (config.routes[0].v6);
  assert_int_equal (config.routes[0].destination6.len, 32);
  assert_int_equal (config.routes[0].next_hop, VPC_NEXT_HOP_BLACKHOLE);
  for (guint i = 0; i < config.n_firewalls; i++)
    if (strcmp (config.firewalls[i].name, "allow-v6") == 0)
      v6 = &config.firewalls[i];
  assert_non_null (v6);
  assert_int_equal (v6->n_ranges, 0);
  assert_int_equal (v6->n_ranges6, 1);
  assert_int_equal (v6->ranges6[0].len, 20);
  build_router_config_clear (&storage);
}

static void
on_connected (SimTcpConn *conn, void *user)
{
  (void) conn;
  *(bool *) user = true;
}

static void
on_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  (void) conn; (void) user; (void) reason;
}

/* VM app opens a connection to VM db's IPv6 address, port 80, with the
 * IPv6 rule enabled or disabled. */
static bool
connect_over_ipv6 (bool v6_rule)
{
  const char *const off[] = { "firewall allow-v6.disabled=true", NULL };
  static const SimTcpCallbacks cb = { .connected = on_connected,
                                      .closed = on_closed };
  g_autoptr (WorldFixture) wf = world_fixture_load (dual_stack,
                                                    v6_rule ? NULL : off);
  CloudRunEndpoint *app = (CloudRunEndpoint *) world_fixture_node (wf, "app");
  CloudRunEndpoint *db = (CloudRunEndpoint *) world_fixture_node (wf, "db");
  CloudRunEndpoint *legacy = (CloudRunEndpoint *) world_fixture_node (
    wf, "legacy");
  bool connected = false;

  assert_true (sim_host_has_address6 (&app->host, &app6));
  assert_true (sim_host_has_address6 (&db->host, &db6));
  assert_int_equal (legacy->host.n_addrs6, 0);
  sim_tcp_connect6 (&app->host, 0, &app6, &db6, 80, 5 * SIM_S, &cb,
                    &connected, 0);
  world_fixture_run (wf);
  return connected;
}

static void
test_build_vpc6__vm_to_vm_over_ipv6 (void **state)
{
  (void) state;
  assert_true (connect_over_ipv6 (true));
  /* allow-v4's 10.0.0.0/8 does not admit IPv6: the implied deny does. */
  assert_false (connect_over_ipv6 (false));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_build_vpc6__router_config),
    cmocka_unit_test (test_build_vpc6__vm_to_vm_over_ipv6),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
