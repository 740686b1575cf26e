/* The tiny HTTP server (see models/world/http-server.h). */
#include "models/world/http-server.h"

#include <string.h>

static void
server_respond (CloudRunProxySession *s)
{
  CloudRunHttpServer *server = s->proxy->user;

  server->in_flight--;
  if (!s->client)
    return;                     /* the caller gave up meanwhile */
  cloudrun_proxy_respond (s, 200, "text/plain", server->body,
                          (uint32_t) server->response_size);
  server->requests++;
}

static void
server_request (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  CloudRunHttpServer *server = user;
  if (server->served)
    server->served (server, server->user, s->request_id, &s->request);
  server->in_flight++;
  cloudrun_proxy_later (s, sim_kernel_now (sim_world_kernel (
                             proxy->host->node->world)) + server->service_time,
                        server_respond);
}

void
cloudrun_http_server_init (CloudRunHttpServer *server, SimHost *host,
                           SimTime service_time, uint64_t response_size,
                           CloudRunHttpServed served, void *user)
{
  static const char filler[] = "cloudrun-netsim response body\n";

  memset (server, 0, sizeof *server);
  g_assert (response_size <= UINT32_MAX);
  server->service_time = service_time;
  server->response_size = response_size;
  server->body = g_malloc (response_size ? response_size : 1);
  for (uint64_t i = 0; i < response_size; i++)
    server->body[i] = (uint8_t) filler[i % (sizeof filler - 1)];
  server->served = served;
  server->user = user;
  cloudrun_proxy_init (&server->proxy, host, 80, server_request, NULL, server);
}

void
cloudrun_http_server_clear (CloudRunHttpServer *server)
{
  cloudrun_proxy_clear (&server->proxy);
  g_clear_pointer (&server->body, g_free);
}
