/* Tests for models/world/http-server.c (the tiny HTTP server of
 * instances, VMs and clients) on a tiny world: an endpoint "client"
 * linked straight to a node "server" that embeds the server with a given
 * service time and response size.
 *
 * Probes: the ledger (status, latency, verdict), the server's served
 * callback, its requests and in_flight counters, the bytes on the link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/endpoint.h"
#include "models/world/http-server.h"
#include "sim/link.h"
#include "tests/models/world/tiny-world.h"

#define CLIENT TW_IP (192, 0, 2, 10)
#define SERVER TW_IP (203, 0, 113, 10)

typedef struct {
  SimNode node;
  SimHost host;
  CloudRunHttpServer http;
  uint32_t served_request;      /* what the served callback saw */
  char served_path[64];
  uint32_t served_source;       /* the IP source it arrived with */
  SimTime served_at;
  SimLink *link;                /* to the client; direction 0 is its way */
  uint64_t bytes_in_at_served;  /* client bytes the link had carried */
} ServerNode;

static void
server_served (CloudRunHttpServer *http, void *user,
               const CloudRunProxySession *session)
{
  uint32_t request = session->request_id, source = session->client_addr;
  const SimHttpRequest *req = &session->request;
  ServerNode *s = user;

  (void) http;
  s->served_request = request;
  g_strlcpy (s->served_path, req->path, sizeof s->served_path);
  s->served_source = source;
  s->served_at = sim_world_now (s->node.world);
  s->bytes_in_at_served = sim_link_counters (s->link, 0)->rx_bytes;
}

static void
server_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  if (!sim_host_receive (&((ServerNode *) self)->host, port, packet))
    sim_packet_release (sim_world_pool (self->world), packet);
}

static void
server_clear (SimNode *self)
{
  ServerNode *s = (ServerNode *) self;

  cloudrun_http_server_clear (&s->http);
  sim_host_clear (&s->host);
}

static const SimNodeClass server_class = {
  .name = "server", .size = sizeof (ServerNode),
  .receive = server_receive, .clear = server_clear,
};

typedef struct {
  TinyWorld *tw;
  ServerNode *server;
  SimLink *link;
  CloudRunTrafficPlan plan;
} HttpWorld;

/* One request for /item with a body of request_size bytes (POST when
 * not empty, else GET) from client to server, run for 30 s. */
static HttpWorld *
http_world_sized (SimTime service_time, uint64_t request_size,
                  uint64_t response_size, SimTime timeout)
{
  HttpWorld *w = g_new0 (HttpWorld, 1);
  CloudRunEndpoint *client;
  SimPort *port;

  w->tw = tiny_world_new (1);
  w->server = (ServerNode *) sim_node_new (w->tw->world->sim, &server_class,
                                           "server");
  port = sim_node_add_port (&w->server->node, "eth0");
  sim_host_init (&w->server->host, &w->server->node, SERVER, port);
  cloudrun_http_server_init (&w->server->http, &w->server->host,
                             service_time, response_size, server_served,
                             w->server);
  client = cloudrun_endpoint_new (w->tw->world, "client", CLOUDRUN_HOP_CLIENT,
                                  "eth0", CLIENT, 0);
  w->link = tiny_link (w->tw, client->host.default_port, port);
  w->server->link = w->link;
  w->plan = (CloudRunTrafficPlan) {
    .name = "t", .host = "203.0.113.10", .host_addr = SERVER, .port = 80,
    .path = "/item", .method = request_size ? "POST" : "GET", .count = 1,
    .timeout = timeout, .first_request = 1, .request_size = request_size,
  };
  cloudrun_requester_add_traffic (&client->requester, &w->plan);
  tiny_world_run (w->tw, 30 * SIM_S);
  return w;
}

static HttpWorld *
http_world (SimTime service_time, uint64_t response_size, SimTime timeout)
{
  return http_world_sized (service_time, 0, response_size, timeout);
}

static void
http_world_free (HttpWorld *w)
{
  tiny_world_free (w->tw);
  g_free (w);
}

static SimTime
latency (HttpWorld *w)
{
  CloudRunRequest *r = tiny_request (w->tw, 1);

  assert_true (r->finished);
  return r->end - r->start;
}

static void
test_http_server__answers_200_after_the_service_time (void **state)
{
  HttpWorld *fast = http_world (0, 100, 10 * SIM_S);
  HttpWorld *slow = http_world (50 * SIM_MS, 100, 10 * SIM_S);

  (void) state;
  assert_int_equal (tiny_request (fast->tw, 1)->status, 200);
  assert_int_equal (tiny_request (slow->tw, 1)->status, 200);
  assert_int_equal (latency (slow) - latency (fast), 50 * SIM_MS);
  assert_int_equal (slow->server->http.requests, 1);
  assert_int_equal (slow->server->http.in_flight, 0);
  http_world_free (fast);
  http_world_free (slow);
}

static void
test_http_server__served_sees_the_request_before_answering (void **state)
{
  HttpWorld *w = http_world (50 * SIM_MS, 100, 10 * SIM_S);
  CloudRunRequest *r = tiny_request (w->tw, 1);

  (void) state;
  assert_int_equal (w->server->served_request, 1);
  assert_string_equal (w->server->served_path, "/item");
  assert_int_equal (w->server->served_source, CLIENT);
  assert_true (r->end - w->server->served_at >= 50 * SIM_MS);
  http_world_free (w);
}

static void
test_http_server__body_of_the_configured_size (void **state)
{
  HttpWorld *small = http_world (0, 0, 10 * SIM_S);
  HttpWorld *big = http_world (0, 10000, 10 * SIM_S);
  /* Direction 1 carries what the server sends. */
  uint64_t extra = sim_link_counters (big->link, 1)->rx_bytes
                   - sim_link_counters (small->link, 1)->rx_bytes;

  (void) state;
  assert_int_equal (tiny_request (big->tw, 1)->status, 200);
  /* The body, plus the headers of the segments it takes. */
  assert_in_range (extra, 10000, 10000 + 8 * 64);
  http_world_free (small);
  http_world_free (big);
}

static void
test_http_server__caller_gone_gets_no_answer (void **state)
{
  HttpWorld *w = http_world (SIM_S, 100, 100 * SIM_MS);

  (void) state;
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_TIMEOUT);
  assert_int_equal (w->server->served_request, 1);
  assert_int_equal (w->server->http.requests, 0);
  assert_int_equal (w->server->http.in_flight, 0);
  http_world_free (w);
}

/* The request is served once its whole body is in, not on its head: by
 * then the link has carried the 200 KiB body to the server. */
static void
test_http_server__served_once_the_body_is_in (void **state)
{
  HttpWorld *w = http_world_sized (0, 200 * 1024, 100, 10 * SIM_S);

  (void) state;
  assert_int_equal (tiny_request (w->tw, 1)->status, 200);
  assert_int_equal (w->server->served_request, 1);
  assert_true (w->server->bytes_in_at_served >= 200 * 1024);
  http_world_free (w);
}

/* A 4 MiB answer streams: it arrives whole (the caller counts its
 * Content-Length) over a link that carried about that much. */
static void
test_http_server__multi_megabyte_body_streams (void **state)
{
  HttpWorld *w = http_world_sized (0, 0, 4 * 1024 * 1024, 20 * SIM_S);
  uint64_t sent = sim_link_counters (w->link, 1)->rx_bytes;

  (void) state;
  assert_int_equal (tiny_request (w->tw, 1)->status, 200);
  assert_int_equal (w->server->http.requests, 1);
  assert_in_range (sent, 4 * 1024 * 1024, 4 * 1024 * 1024 + 3000 * 64);
  http_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_http_server__answers_200_after_the_service_time),
    cmocka_unit_test (test_http_server__served_sees_the_request_before_answering),
    cmocka_unit_test (test_http_server__body_of_the_configured_size),
    cmocka_unit_test (test_http_server__caller_gone_gets_no_answer),
    cmocka_unit_test (test_http_server__served_once_the_body_is_in),
    cmocka_unit_test (test_http_server__multi_megabyte_body_streams),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
