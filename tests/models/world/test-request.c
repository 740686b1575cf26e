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
#include "sim/event.h"
#include "sim/world.h"
#include "tests/models/world/tiny-world.h"

static void
step (TinyWorld *tw, uint32_t id, TinyProbe *at, CloudRunHopKind hop,
      CloudRunState state)
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
  CloudRunStep s = { .hop = CLOUDRUN_HOP_NAT, .state = CLOUDRUN_STATE_NAT,
                     .rule = "r", .note = "n", .src = TW_IP (10, 0, 0, 1),
                     .dst = TW_IP (8, 8, 8, 8),
                     .src_after = TW_IP (198, 51, 100, 1) };
  SimExplainLog *log = sim_world_explain (tw->world->sim);
  const SimExplainStep *first, *second;

  (void) state;
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, CLOUDRUN_STATE_START_FROM_INTERNET);
  cloudrun_request_step (&tw->world->ledger, 1, &b->node, &s);
  assert_int_equal (tiny_request (tw, 1)->chain.count, 2);
  first = sim_explain_get (log, tiny_request (tw, 1)->chain.first);
  second = sim_explain_get (log, first->next);
  assert_string_equal (first->state, "START_FROM_INTERNET");
  assert_string_equal (first->node, "a");
  assert_string_equal (second->state, "NAT");
  assert_int_equal (second->code, CLOUDRUN_STATE_NAT);
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
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, CLOUDRUN_STATE_APPLY_ROUTE);
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, CLOUDRUN_STATE_APPLY_ROUTE);
  assert_int_equal (tiny_request (tw, 1)->chain.count, 1);
  /* Another state at the same node, or the same state at another node,
   * is another step. */
  step (tw, 1, a, CLOUDRUN_HOP_VPC_ROUTER, CLOUDRUN_STATE_DROP);
  step (tw, 1, b, CLOUDRUN_HOP_VPC_ROUTER, CLOUDRUN_STATE_APPLY_ROUTE);
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
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, CLOUDRUN_STATE_START_FROM_INTERNET);
  step (tw, 1, b, CLOUDRUN_HOP_GFE, CLOUDRUN_STATE_PROXY_CONNECTION);
  step (tw, 1, b, CLOUDRUN_HOP_GFE, CLOUDRUN_STATE_INGRESS_DENIED);
  step (tw, 1, a, CLOUDRUN_HOP_CLIENT, CLOUDRUN_STATE_ABORT);
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
  assert_string_equal (cloudrun_verdict_name (CLOUDRUN_VERDICT_PENDING),
                       "pending");
  assert_null (cloudrun_drop_cause_name (CLOUDRUN_DROP_NONE));
  assert_string_equal (cloudrun_drop_cause_name (CLOUDRUN_DROP_NO_ROUTE),
                       "NO_ROUTE");
  assert_string_equal (cloudrun_state_name (CLOUDRUN_STATE_APPLY_ROUTE),
                       "APPLY_ROUTE");
  assert_null (cloudrun_state_name (CLOUDRUN_STATE_NONE));
  /* A refusal's state is named by its cause. */
  static const CloudRunDropCause refusals[] = {
    CLOUDRUN_DROP_INGRESS_DENIED, CLOUDRUN_DROP_IAM_DENIED,
    CLOUDRUN_DROP_VPC_SC_DENIED,
    CLOUDRUN_DROP_TARGET_TYPE_NOT_PERMITTED_FOR_VPC };
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    assert_string_equal (cloudrun_state_name (cloudrun_refusal_state (
                           refusals[i])),
                         cloudrun_drop_cause_name (refusals[i]));
  assert_string_equal (vpc_egress_name (VPC_EGRESS_ALL_TRAFFIC),
                       "all-traffic");
  assert_string_equal (gfe_ingress_name (GFE_INGRESS_NONE), "none");
  assert_string_equal (iam_principal_kind_name (IAM_PRINCIPAL_USER), "user");
}

/* ---- Memory follows the requests in flight ------------------------ */

typedef struct {
  TinyWorld *tw;
  TinyProbe *at;
  guint peak_live, peak_steps;  /* records and steps alive, at most */
  uint32_t settled, settle_calls;
} Churn;

static void
churn_settled (void *user, const CloudRunRequest *r, uint32_t times)
{
  Churn *c = user;

  (void) r;
  c->settled += times;
  c->settle_calls++;
}

/* Request u begins now with three steps. */
static void
churn_begin (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Churn *c = target;

  (void) k; (void) arg;
  cloudrun_ledger_begin (&c->tw->world->ledger, (uint32_t) u);
  step (c->tw, (uint32_t) u, c->at, CLOUDRUN_HOP_CLIENT,
        CLOUDRUN_STATE_START_FROM_INTERNET);
  step (c->tw, (uint32_t) u, c->at, CLOUDRUN_HOP_GFE,
        CLOUDRUN_STATE_PROXY_CONNECTION);
  step (c->tw, (uint32_t) u, c->at, CLOUDRUN_HOP_SERVICE,
        CLOUDRUN_STATE_DELIVER);
}

/* Request u ends: odd ids delivered with 200, even ones dropped. */
static void
churn_finish (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Churn *c = target;
  CloudRunLedger *ledger = &c->tw->world->ledger;
  CloudRunRequest *r = cloudrun_ledger_get (ledger, (uint32_t) u);

  (void) arg;
  cloudrun_request_decide (ledger, r->id, u % 2 ? CLOUDRUN_VERDICT_DELIVERED
                                                : CLOUDRUN_VERDICT_DROPPED,
                           u % 2 ? CLOUDRUN_HOP_SERVICE
                                 : CLOUDRUN_HOP_VPC_ROUTER,
                           &c->at->node, u % 2 ? CLOUDRUN_DROP_NONE
                                               : CLOUDRUN_DROP_NO_ROUTE);
  r->status = u % 2 ? 200 : 0;
  r->end = sim_kernel_now (k);
  cloudrun_ledger_finish (ledger, r);
  c->peak_live = MAX (c->peak_live, g_hash_table_size (ledger->live));
  c->peak_steps = MAX (c->peak_steps,
                       sim_explain_count (sim_world_explain (
                         c->tw->world->sim)));
}

/* 1,000 requests, one a second, each 50 ms long, of a traffic of 1,002:
 * records and steps alive stay a handful (in flight, lingering 10 s, the
 * first and a kept one), yet every request is counted: the tally, the
 * watcher, the latency, the first of each verdict, the two never begun. */
static void
test_request__memory_follows_requests_in_flight (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (0);
  CloudRunLedger *ledger = &tw->world->ledger;
  SimKernel *k = sim_world_kernel (tw->world->sim);
  Churn c = { tw, tiny_probe_new (tw, "n"), 0, 0, 0, 0 };
  const CloudRunTally *t;
  uint32_t first = cloudrun_ledger_add_traffic (ledger, 1002, NULL);

  (void) state;
  assert_int_equal (first, 1);
  cloudrun_ledger_keep (ledger, 501);
  cloudrun_ledger_watch (ledger, churn_settled, &c, NULL);
  for (uint32_t i = 0; i < 1000; i++)
    {
      sim_kernel_schedule (k, i * SIM_S, churn_begin, &c, NULL, first + i);
      sim_kernel_schedule (k, i * SIM_S + 50 * SIM_MS, churn_finish, &c,
                           NULL, first + i);
    }
  tiny_world_run (tw, 2000 * SIM_S);
  cloudrun_ledger_close (ledger);
  cloudrun_ledger_close (ledger);               /* once */

  assert_true (c.peak_live <= 14);
  assert_true (c.peak_steps <= 14 * 3);
  assert_int_equal (ledger->peak_in_flight, 1);
  t = cloudrun_ledger_tally (ledger, 1);
  assert_int_equal (t->started, 1000);
  assert_int_equal (t->verdicts[CLOUDRUN_VERDICT_DELIVERED], 500);
  assert_int_equal (t->verdicts[CLOUDRUN_VERDICT_DROPPED], 500);
  assert_int_equal (t->verdicts[CLOUDRUN_VERDICT_PENDING], 2);
  assert_int_equal (t->responses, 500);
  assert_int_equal (t->first[CLOUDRUN_VERDICT_DROPPED].index, 1);
  assert_int_equal (t->first[CLOUDRUN_VERDICT_DROPPED].cause,
                    CLOUDRUN_DROP_NO_ROUTE);
  assert_int_equal (t->first[CLOUDRUN_VERDICT_DELIVERED].index, 0);
  assert_int_equal (t->first[CLOUDRUN_VERDICT_PENDING].index, 1000);
  assert_int_equal (sim_histogram_percentile (&t->latency, 50), 50 * SIM_MS);
  assert_int_equal (t->last_end, 999 * SIM_S + 50 * SIM_MS);
  assert_int_equal (c.settled, 1002);
  assert_int_equal (c.settle_calls, 1001);
  /* The first and the kept one stay, with their steps; others went. */
  assert_int_equal (cloudrun_ledger_get (ledger, 1)->chain.count, 3);
  assert_int_equal (cloudrun_ledger_get (ledger, 501)->chain.count, 3);
  assert_null (cloudrun_ledger_get (ledger, 2));
  assert_null (cloudrun_ledger_get (ledger, 1001));
}

/* Records the last settle of several requests at once (the never begun). */
static void
split_settled (void *user, const CloudRunRequest *r, uint32_t times)
{
  uint32_t *seen = user;

  if (times > 1)
    {
      seen[0] = r->index;
      seen[1] = times;
    }
}

/* A traffic of 6 sent by 3 senders (a job's tasks), 2 each: sender k's
 * ids are first + 2k and first + 2k + 1, each sender begins its own in
 * order but the senders interleave. Cut after both of sender 0's and the
 * first of the others: 4 begun, 2 never begun, the lowest of those
 * index 3 (not 5, the old "in order" rule's, nor sender 0's block). */
static void
test_request__split_traffic_counts_what_each_sender_began (void **state)
{
  g_autoptr (TinyWorld) tw = tiny_world_new (0);
  CloudRunLedger *ledger = &tw->world->ledger;
  uint32_t first = cloudrun_ledger_add_traffic (ledger, 6, NULL);
  uint32_t seen[2] = { 0, 0 };
  const CloudRunTally *t;

  (void) state;
  cloudrun_ledger_split_traffic (ledger, 3);
  cloudrun_ledger_watch (ledger, split_settled, seen, NULL);
  cloudrun_ledger_begin (ledger, first + 4);
  cloudrun_ledger_begin (ledger, first + 2);
  cloudrun_ledger_begin (ledger, first);
  cloudrun_ledger_begin (ledger, first + 1);
  cloudrun_ledger_close (ledger);
  t = cloudrun_ledger_tally (ledger, ledger->tallies->len - 1);
  assert_int_equal (t->started, 4);
  assert_int_equal (t->verdicts[CLOUDRUN_VERDICT_PENDING], 6);
  assert_int_equal (seen[0], 3);
  assert_int_equal (seen[1], 2);
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
    cmocka_unit_test (test_request__memory_follows_requests_in_flight),
    cmocka_unit_test (
      test_request__split_traffic_counts_what_each_sender_began),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
