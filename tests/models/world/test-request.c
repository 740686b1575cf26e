/* Tests for models/world/request.c (the request ledger and explanation
 * steps) on a tiny world: nodes are probes that only lend their names; an
 * internet router shows the de-duplication of a retransmitted SYN.
 *
 * Probes: the ledger record (verdict, deciding hop and node, cause,
 * classification, hops passed) and its chain of steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/internet.h"
#include "tests/models/world/tiny-world.h"

static void
step (TinyWorld *tw, uint32_t id, TinyProbe *at, CloudRunHopKind hop,
      const char *state)
{
  CloudRunStep s = { .hop = hop, .state = state, .rule = "rule",
                     .src = TW_IP (10, 0, 0, 1), .dst = TW_IP (10, 0, 0, 2) };

  assert_int_not_equal (cloudrun_request_step (&tw->world->ledger, id,
                                               &at->node, &s), 0);
}

static void
test_request__steps_chain_in_order_with_addresses (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  TinyProbe *a = tiny_probe_new (tw, "a"), *b = tiny_probe_new (tw, "b");
  CloudRunStep s = { .hop = CLOUDRUN_HOP_NAT, .state = "NAT", .rule = "r",
                     .note = "n", .src = TW_IP (10, 0, 0, 1),
                     .dst = TW_IP (8, 8, 8, 8),
                     .src_after = TW_IP (198, 51, 100, 1) };
  SimExplainLog *log = sim_world_explain (tw->world->sim);
  const SimExplainStep *first, *second;

  (void) state;
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, "START_FROM_INTERNET");
  cloudrun_request_step (&tw->world->ledger, 1, &b->node, &s);
  assert_int_equal (tiny_request (tw, 1)->chain.count, 2);
  first = sim_explain_get (log, tiny_request (tw, 1)->chain.first);
  second = sim_explain_get (log, first->next);
  assert_string_equal (first->state, "START_FROM_INTERNET");
  assert_string_equal (first->node, "a");
  assert_string_equal (second->state, "NAT");
  assert_string_equal (second->node, "b");
  assert_string_equal (second->note, "n");
  assert_int_equal (second->src_before, TW_IP (10, 0, 0, 1));
  assert_int_equal (second->dst_before, TW_IP (8, 8, 8, 8));
  assert_int_equal (second->src_after, TW_IP (198, 51, 100, 1));
  assert_int_equal (second->next, 0);
}

static void
test_request__same_decision_again_is_one_step (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  TinyProbe *a = tiny_probe_new (tw, "a"), *b = tiny_probe_new (tw, "b");

  (void) state;
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, "APPLY_ROUTE");
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, "APPLY_ROUTE");
  assert_int_equal (tiny_request (tw, 1)->chain.count, 1);
  /* Another state at the same node, or the same state at another node,
   * is another step. */
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, "DROP");
  step (tw, 1, b, CLOUDRUN_HOP_VPC_ROUTER, "APPLY_ROUTE");
  assert_int_equal (tiny_request (tw, 1)->chain.count, 3);
  assert_int_equal (tiny_count_steps (tw, 1, "APPLY_ROUTE", "a"), 1);
}

static void
test_request__retransmitted_syn_is_explained_once (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  CloudRunInternet *net = cloudrun_internet_new (tw->world);
  TinyProbe *client = tiny_probe_new (tw, "client");
  TinyProbe *site = tiny_probe_new (tw, "site");

  (void) state;
  tiny_link (tw, client->port, cloudrun_internet_port (net, "client"));
  tiny_link (tw, site->port,
             cloudrun_internet_attach (net, "site", TW_IP (203, 0, 113, 0),
                                       24, "site"));
  for (int i = 0; i < 3; i++)
    tiny_probe_send_tcp (client, i * SIM_S, TW_IP (192, 0, 2, 1), 40000,
                         TW_IP (203, 0, 113, 10), 80, SIM_TCP_SYN, 64, 0, 1);
  tiny_world_run (tw, 3 * SIM_S);
  assert_int_equal (tiny_probe_count (site), 3);
  assert_int_equal (tiny_count_steps (tw, 1, "APPLY_ROUTE", "internet"), 1);
  assert_int_equal (tiny_request (tw, 1)->chain.count, 1);
}

static void
test_request__via_lists_hop_kinds_once_in_a_row (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  TinyProbe *a = tiny_probe_new (tw, "a"), *b = tiny_probe_new (tw, "b");
  CloudRunRequest *r;

  (void) state;
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, "START_FROM_INTERNET");
  step (tw, 1, b, CLOUDRUN_HOP_GFE, "PROXY_CONNECTION");
  step (tw, 1, b, CLOUDRUN_HOP_GFE, "INGRESS_DENIED");
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, "ABORT");
  r = tiny_request (tw, 1);
  assert_int_equal (r->n_via, 3);
  assert_int_equal (r->via[0], CLOUDRUN_HOP_CLIENT);
  assert_int_equal (r->via[1], CLOUDRUN_HOP_GFE);
  assert_int_equal (r->via[2], CLOUDRUN_HOP_CLIENT);
}

static void
test_request__last_decision_wins_until_finished (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (1);
  TinyProbe *router = tiny_probe_new (tw, "router");
  TinyProbe *site = tiny_probe_new (tw, "site");
  CloudRunLedger *ledger = &tw->world->ledger;
  CloudRunRequest *r = tiny_request (tw, 1);

  (void) state;
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_PENDING);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_NONE);
  /* A SYN dropped once, delivered on its retransmission. */
  cloudrun_request_decide (ledger, 1, CLOUDRUN_VERDICT_DROPPED,
                           CLOUDRUN_HOP_NAT, &router->node,
                           CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS);
  assert_int_equal (r->drop_cause, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS);
  cloudrun_request_decide (ledger, 1, CLOUDRUN_VERDICT_DELIVERED,
                           CLOUDRUN_HOP_VM, &site->node, CLOUDRUN_DROP_NONE);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_VM);
  assert_string_equal (r->decided_node, "site");
  assert_int_equal (r->drop_cause, CLOUDRUN_DROP_NONE);
  /* Once the caller is done, nothing changes it. */
  r->finished = true;
  cloudrun_request_decide (ledger, 1, CLOUDRUN_VERDICT_TIMEOUT,
                           CLOUDRUN_HOP_NAT, &router->node, CLOUDRUN_DROP_NONE);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
}

static void
test_request__first_classification_sticks (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (2);

  (void) state;
  cloudrun_request_classify (&tw->world->ledger, 1, CLOUDRUN_CLASS_INTERNAL);
  cloudrun_request_classify (&tw->world->ledger, 1, CLOUDRUN_CLASS_EXTERNAL);
  assert_int_equal (tiny_request (tw, 1)->classified, CLOUDRUN_CLASS_INTERNAL);
  assert_int_equal (tiny_request (tw, 2)->classified, CLOUDRUN_CLASS_NONE);
  /* Request 0 and ids past the ledger are no request. */
  assert_null (cloudrun_ledger_get (&tw->world->ledger, 0));
  assert_null (cloudrun_ledger_get (&tw->world->ledger, 3));
}

static void
test_request__names_as_reports_print_them (void **state)
{
  (void) state;
  assert_string_equal (cloudrun_hop_name (CLOUDRUN_HOP_DIRECT_VPC),
                       "direct-vpc");
  assert_string_equal (cloudrun_hop_name (CLOUDRUN_HOP_PSC_ENDPOINT),
                       "psc-endpoint");
  assert_string_equal (cloudrun_hop_name (CLOUDRUN_HOP_NONE), "none");
  assert_string_equal (cloudrun_verdict_name (CLOUDRUN_VERDICT_DNS_FAILURE),
                       "dns-failure");
  assert_string_equal (cloudrun_class_name (CLOUDRUN_CLASS_NONE), "-");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_request__steps_chain_in_order_with_addresses),
    cmocka_unit_test (test_request__same_decision_again_is_one_step),
    cmocka_unit_test (test_request__retransmitted_syn_is_explained_once),
    cmocka_unit_test (test_request__via_lists_hop_kinds_once_in_a_row),
    cmocka_unit_test (test_request__last_decision_wins_until_finished),
    cmocka_unit_test (test_request__first_classification_sticks),
    cmocka_unit_test (test_request__names_as_reports_print_them),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
