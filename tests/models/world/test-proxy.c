/* Tests for models/world/proxy.c (the HTTP front the GFE, the load
 * balancers and the tiny servers are built on) on a tiny world: a node
 * "front" whose proxy refuses /refuse, forwards /pass upstream now and
 * /late after 500 ms (also a POST /late with a 1 MiB body); an endpoint
 * "client" calls it, an endpoint "site" is upstream, all three on an
 * internet router.
 *
 * Probes: the ledger (status the caller got, latency, steps), the proxy's
 * answered/forwarded counters and its done callbacks, the upstream's
 * request counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/endpoint.h"
#include "models/world/internet.h"
#include "models/world/proxy.h"
#include "tests/models/world/tiny-world.h"

#define CLIENT TW_IP (192, 0, 2, 10)
#define FRONT TW_IP (198, 51, 100, 1)
#define SITE TW_IP (203, 0, 113, 10)
#define LATE (500 * SIM_MS)

typedef struct {
  SimNode node;
  SimHost host;
  CloudRunProxy proxy;
  guint done;                   /* sessions over */
  uint32_t last_request;        /* request id of the last session seen */
  CloudRunProxySession *post;   /* the POST's session, sampled */
  guint max_held;               /* the most body bytes it held in rx */
} FrontNode;

/* Every millisecond while the POST's session lives: how much of the body
 * the front holds for an upstream that is not open yet. */
static void
front_sample (SimKernel *k, void *target, void *arg, uint64_t u)
{
  FrontNode *f = target;

  (void) arg; (void) u;
  if (!f->post || !f->post->client)
    return;
  f->max_held = MAX (f->max_held, f->post->rx->len);
  sim_kernel_schedule_in (k, SIM_MS, front_sample, f, NULL, 0);
}

static void
front_request (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  FrontNode *f = user;
  SimTime now = sim_world_now (f->node.world);

  (void) proxy;
  f->last_request = s->request_id;
  if (strcmp (s->request.method, "POST") == 0)
    {
      f->post = s;
      sim_kernel_schedule_in (sim_world_kernel (f->node.world), SIM_MS,
                              front_sample, f, NULL, 0);
    }
  if (strcmp (s->request.path, "/refuse") == 0)
    cloudrun_proxy_answer (s, 403);
  else
    cloudrun_proxy_forward (s, FRONT, SITE, 80,
                            strcmp (s->request.path, "/late") == 0
                            ? now + LATE : now);
}

static void
front_done (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  (void) proxy; (void) s;
  ((FrontNode *) user)->done++;
}

static void
front_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  FrontNode *f = (FrontNode *) self;

  if (!sim_host_receive (&f->host, port, packet))
    sim_packet_release (sim_world_pool (self->world), packet);
}

static void
front_clear (SimNode *self)
{
  FrontNode *f = (FrontNode *) self;

  cloudrun_proxy_clear (&f->proxy);
  sim_host_clear (&f->host);
}

static const SimNodeClass front_class = {
  .name = "front", .size = sizeof (FrontNode),
  .receive = front_receive, .clear = front_clear,
};

typedef struct {
  TinyWorld *tw;
  FrontNode *front;
  CloudRunEndpoint *client, *site;
  CloudRunTrafficPlan plans[4];
} ProxyWorld;

static const char *const paths[] = { "/refuse", "/pass", "/late", "/late" };
#define POST_SIZE (1024u * 1024u)

/* front, client and site on an internet router; no traffic yet. */
static ProxyWorld *
proxy_world_new (uint32_t requests)
{
  ProxyWorld *w = g_new0 (ProxyWorld, 1);
  CloudRunInternet *net;
  SimPort *port;

  w->tw = tiny_world_new (requests);
  net = cloudrun_internet_new (w->tw->world);
  w->front = (FrontNode *) sim_node_new (w->tw->world->sim, &front_class,
                                         "front");
  port = sim_node_add_port (&w->front->node, "eth0");
  sim_host_init (&w->front->host, &w->front->node, FRONT, port);
  cloudrun_proxy_init (&w->front->proxy, &w->front->host, 80, front_request,
                       front_done, w->front);
  tiny_link (w->tw, port, cloudrun_internet_attach (net, "front", FRONT, 32,
                                                    "front"));
  w->client = cloudrun_endpoint_new (w->tw->world, "client",
                                     CLOUDRUN_HOP_CLIENT, "eth0", CLIENT, 0);
  tiny_link (w->tw, w->client->host.default_port,
             cloudrun_internet_attach (net, "client", CLIENT, 32, "client"));
  w->site = cloudrun_endpoint_new (w->tw->world, "site", CLOUDRUN_HOP_CLIENT,
                                   "eth0", SITE, 0);
  tiny_link (w->tw, w->site->host.default_port,
             cloudrun_internet_attach (net, "site", SITE, 32, "site"));
  return w;
}

/* One request of each path, a second apart. */
static ProxyWorld *
proxy_world (void)
{
  ProxyWorld *w = proxy_world_new (4);

  for (guint i = 0; i < 4; i++)
    {
      w->plans[i] = (CloudRunTrafficPlan) {
        .traffic = i, .name = paths[i], .host = "198.51.100.1",
        .host_addr = FRONT, .port = 80, .path = paths[i], .method = "GET",
        .count = 1, .start = i * SIM_S, .timeout = 10 * SIM_S,
        .first_request = i + 1,
      };
      if (i == 3)
        {
          w->plans[i].method = "POST";
          w->plans[i].request_size = POST_SIZE;
          w->plans[i].timeout = 20 * SIM_S;
        }
      cloudrun_requester_add_traffic (&w->client->requester, &w->plans[i]);
    }
  tiny_world_run (w->tw, 30 * SIM_S);
  return w;
}

static void
proxy_world_free (ProxyWorld *w)
{
  tiny_world_free (w->tw);
  g_free (w);
}

static void
test_proxy__answers_by_itself (void **state)
{
  ProxyWorld *w = proxy_world ();
  CloudRunRequest *r = tiny_request (w->tw, 1);

  (void) state;
  assert_true (r->finished);
  assert_int_equal (r->status, 403);
  /* Upstream never saw it. */
  assert_null (tiny_step (w->tw, 1, "DELIVER", "site"));
  assert_int_equal (w->front->proxy.answered, 1);
  proxy_world_free (w);
}

static void
test_proxy__forwards_and_relays_the_response (void **state)
{
  ProxyWorld *w = proxy_world ();
  CloudRunRequest *r = tiny_request (w->tw, 2);

  (void) state;
  assert_true (r->finished);
  assert_int_equal (r->status, 200);
  /* The request id travelled with the upstream connection. */
  assert_non_null (tiny_step (w->tw, 2, "DELIVER", "site"));
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_string_equal (r->decided_node, "site");
  assert_int_equal (w->front->proxy.forwarded, 3);
  assert_int_equal (w->site->http.requests, 3);
  proxy_world_free (w);
}

static void
test_proxy__forwards_later_when_asked (void **state)
{
  ProxyWorld *w = proxy_world ();
  SimTime now_latency = tiny_request (w->tw, 2)->end
                        - tiny_request (w->tw, 2)->start;
  SimTime late_latency = tiny_request (w->tw, 3)->end
                         - tiny_request (w->tw, 3)->start;

  (void) state;
  assert_int_equal (tiny_request (w->tw, 3)->status, 200);
  assert_int_equal (late_latency - now_latency, LATE);
  proxy_world_free (w);
}

static void
test_proxy__every_session_ends (void **state)
{
  ProxyWorld *w = proxy_world ();

  (void) state;
  /* Both connections of each session closed: done once per request, and
   * the sessions are back in the pool. */
  assert_int_equal (w->front->done, 4);
  assert_int_equal (w->front->proxy.idle->len, w->front->proxy.sessions->len);
  assert_int_equal (w->front->last_request, 4);
  assert_int_equal (w->site->http.in_flight, 0);
  proxy_world_free (w);
}

/* The front decides on the head and holds the POST's body while the
 * upstream is not open: its window narrows, so it holds about one
 * window, not the 1 MiB body; then the body is relayed and delivered. */
static void
test_proxy__holds_a_window_not_the_body (void **state)
{
  ProxyWorld *w = proxy_world ();
  CloudRunRequest *r = tiny_request (w->tw, 4);

  (void) state;
  assert_int_equal (r->status, 200);
  assert_non_null (tiny_step (w->tw, 4, "DELIVER", "site"));
  assert_true (w->front->max_held > SIM_TCP_WINDOW / 2);
  assert_true (w->front->max_held <= SIM_TCP_SNDBUF + SIM_TCP_WINDOW);
  proxy_world_free (w);
}

/* connections = reuse: a client sends count requests of path one after
 * another on one kept connection to the front. */
static ProxyWorld *
keep_alive_world (const char *path, uint32_t count, uint64_t body)
{
  ProxyWorld *w = proxy_world_new (count);

  /* A response of many segments: its end is found by its length. */
  w->site->http.response_size = 100000;
  w->plans[0] = (CloudRunTrafficPlan) {
    .name = path, .host = "198.51.100.1", .host_addr = FRONT, .port = 80,
    .path = path, .count = count, .interval = SIM_S,
    .timeout = 10 * SIM_S, .first_request = 1, .reuse = true,
    .method = body ? "POST" : "GET", .request_size = body,
  };
  cloudrun_requester_add_traffic (&w->client->requester, &w->plans[0]);
  tiny_world_run (w->tw, 30 * SIM_S);
  return w;
}

/* Relayed responses end by their length, not the upstream's close: each
 * request is answered on the one client connection, the upstream opened
 * anew for each; done once per request; the connection closed at the
 * end (the session back in the pool). */
static void
test_proxy__keep_alive_relays_one_request_after_another (void **state)
{
  ProxyWorld *w = keep_alive_world ("/pass", 3, 0);

  (void) state;
  for (uint32_t id = 1; id <= 3; id++)
    {
      assert_int_equal (tiny_request (w->tw, id)->status, 200);
      assert_non_null (tiny_step (w->tw, id, "DELIVER", "site"));
    }
  assert_null (tiny_step (w->tw, 1, "REUSE_CONNECTION", "client"));
  assert_non_null (tiny_step (w->tw, 2, "REUSE_CONNECTION", "client"));
  assert_non_null (tiny_step (w->tw, 3, "REUSE_CONNECTION", "client"));
  assert_int_equal (w->front->proxy.sessions->len, 1);
  assert_int_equal (w->front->proxy.forwarded, 3);
  assert_int_equal (w->site->http.requests, 3);
  assert_int_equal (w->front->done, 3);
  assert_int_equal (w->front->last_request, 3);
  assert_int_equal (w->front->proxy.idle->len, 1);
  assert_int_equal (w->site->http.in_flight, 0);
  proxy_world_free (w);
}

/* The front's own answers keep the connection too. */
static void
test_proxy__keep_alive_answers_by_itself (void **state)
{
  ProxyWorld *w = keep_alive_world ("/refuse", 2, 0);

  (void) state;
  assert_int_equal (tiny_request (w->tw, 1)->status, 403);
  assert_int_equal (tiny_request (w->tw, 2)->status, 403);
  assert_non_null (tiny_step (w->tw, 2, "REUSE_CONNECTION", "client"));
  assert_int_equal (w->front->proxy.sessions->len, 1);
  assert_int_equal (w->front->proxy.answered, 2);
  assert_int_equal (w->front->done, 2);
  proxy_world_free (w);
}

/* An answer before the request's body is in: the rest of the body must
 * not be read as a request, so the front says close and closes, and the
 * next request opens a connection of its own. */
static void
test_proxy__early_answer_closes_a_kept_connection (void **state)
{
  ProxyWorld *w = keep_alive_world ("/refuse", 2, 200000);

  (void) state;
  for (uint32_t id = 1; id <= 2; id++)
    assert_int_equal (tiny_request (w->tw, id)->status, 403);
  assert_null (tiny_step (w->tw, 2, "REUSE_CONNECTION", NULL));
  assert_int_equal (w->front->proxy.answered, 2);
  assert_int_equal (w->front->done, 2);
  proxy_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_proxy__answers_by_itself),
    cmocka_unit_test (test_proxy__forwards_and_relays_the_response),
    cmocka_unit_test (test_proxy__forwards_later_when_asked),
    cmocka_unit_test (test_proxy__every_session_ends),
    cmocka_unit_test (test_proxy__holds_a_window_not_the_body),
    cmocka_unit_test (test_proxy__keep_alive_relays_one_request_after_another),
    cmocka_unit_test (test_proxy__keep_alive_answers_by_itself),
    cmocka_unit_test (test_proxy__early_answer_closes_a_kept_connection),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
