/* Tests for models/world/endpoint.c (internet clients and VMs: a caller
 * and a tiny HTTP server on one address) on a tiny world: endpoint "app"
 * (a VM) calls endpoint "db" (a VM) and endpoint "web" (an internet
 * host), linked through an internet router.
 *
 * Probes: the ledger (verdict, deciding hop and node), the START and
 * DELIVER steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/endpoint.h"
#include "models/world/internet.h"
#include "tests/models/world/tiny-world.h"

#define APP TW_IP (10, 1, 0, 5)
#define DB TW_IP (10, 1, 0, 9)
#define WEB TW_IP (203, 0, 113, 10)

typedef struct {
  TinyWorld *tw;
  CloudRunTrafficPlan plans[2];
} EndpointWorld;

static CloudRunEndpoint *
endpoint (EndpointWorld *w, CloudRunInternet *net, const char *name,
          CloudRunHopKind hop, uint32_t addr)
{
  CloudRunEndpoint *ep = cloudrun_endpoint_new (w->tw->world, name, hop,
                                                "nic0", addr, 0);

  tiny_link (w->tw, ep->host.default_port,
             cloudrun_internet_attach (net, name, addr, 32, name));
  return ep;
}

static EndpointWorld *
endpoint_world (void)
{
  EndpointWorld *w = g_new0 (EndpointWorld, 1);
  CloudRunInternet *net;
  CloudRunEndpoint *app;

  w->tw = tiny_world_new (2);
  net = cloudrun_internet_new (w->tw->world);
  app = endpoint (w, net, "app", CLOUDRUN_HOP_VM, APP);
  endpoint (w, net, "db", CLOUDRUN_HOP_VM, DB);
  endpoint (w, net, "web", CLOUDRUN_HOP_CLIENT, WEB);
  w->plans[0] = (CloudRunTrafficPlan) {
    .name = "to-db", .host = "10.1.0.9", .host_addr = DB, .port = 80,
    .path = "/orders", .method = "POST", .request_size = 300, .count = 1,
    .timeout = 10 * SIM_S, .first_request = 1,
  };
  w->plans[1] = (CloudRunTrafficPlan) {
    .traffic = 1, .name = "to-web", .host = "203.0.113.10",
    .host_addr = WEB, .port = 80, .path = "/", .method = "GET", .count = 1,
    .timeout = 10 * SIM_S, .first_request = 2,
  };
  cloudrun_requester_add_traffic (&app->requester, &w->plans[0]);
  cloudrun_requester_add_traffic (&app->requester, &w->plans[1]);
  tiny_world_run (w->tw, 30 * SIM_S);
  return w;
}

static void
endpoint_world_free (EndpointWorld *w)
{
  tiny_world_free (w->tw);
  g_free (w);
}

static void
test_endpoint__vm_answers_and_decides_delivered (void **state)
{
  EndpointWorld *w = endpoint_world ();
  CloudRunRequest *r = tiny_request (w->tw, 1);
  const SimExplainStep *s = tiny_step (w->tw, 1, "DELIVER", "db");

  (void) state;
  assert_int_equal (r->status, 200);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_VM);
  assert_string_equal (r->decided_node, "db");
  assert_non_null (s);
  assert_string_equal (s->rule, "VM db answers 200 to POST /orders");
  assert_int_equal (s->dst_before, DB);
  /* What db's server took: app's address and the Host app wrote. */
  assert_int_equal (r->seen_at, CLOUDRUN_HOP_VM);
  assert_int_equal (r->seen_src, APP);
  assert_string_equal (r->seen_host, "10.1.0.9");
  endpoint_world_free (w);
}

static void
test_endpoint__internet_host_answers_as_one (void **state)
{
  EndpointWorld *w = endpoint_world ();
  CloudRunRequest *r = tiny_request (w->tw, 2);

  (void) state;
  assert_int_equal (r->status, 200);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_CLIENT);
  assert_string_equal (tiny_step (w->tw, 2, "DELIVER", "web")->rule,
                       "internet host web answers 200 to GET /");
  endpoint_world_free (w);
}

static void
test_endpoint__vm_calls_start_from_an_instance (void **state)
{
  EndpointWorld *w = endpoint_world ();
  const SimExplainStep *s = tiny_step (w->tw, 1, "START_FROM_INSTANCE", "app");

  (void) state;
  assert_non_null (s);
  assert_int_equal (s->src_before, APP);
  assert_string_equal (s->rule, "POST http://10.1.0.9/orders (traffic to-db)");
  assert_null (tiny_step (w->tw, 1, "START_FROM_INTERNET", NULL));
  endpoint_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_endpoint__vm_answers_and_decides_delivered),
    cmocka_unit_test (test_endpoint__internet_host_answers_as_one),
    cmocka_unit_test (test_endpoint__vm_calls_start_from_an_instance),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
