/* The tiny HTTP server (see models/world/http-server.h). */
#include "models/world/http-server.h"

#include <string.h>

static const char server_filler[] = "cloudrun-netsim response body\n";

static void
server_respond (CloudRunProxySession *s)
{
  CloudRunHttpServer *server = s->proxy->user;

  server->in_flight--;
  if (!s->client)
    return;                     /* the caller gave up meanwhile */
  cloudrun_proxy_respond_pattern (s, 200, "text/plain", server_filler,
                                  server->response_size);
  server->requests++;
}

/* The whole request is in: it is served, answered after the service
 * time. */
static void
server_body_in (CloudRunProxySession *s)
{
  CloudRunHttpServer *server = s->proxy->user;
  SimKernel *kernel = sim_world_kernel (s->proxy->host->node->world);

  if (server->served)
    server->served (server, server->user, s);
  server->in_flight++;
  cloudrun_proxy_later (s, sim_kernel_now (kernel)
                           + sim_delay_draw (&server->service_time,
                                             &server->rng),
                        server_respond);
}

static void
server_request (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  (void) proxy; (void) user;
  cloudrun_proxy_after_body (s, server_body_in);
}

void
cloudrun_http_server_init (CloudRunHttpServer *server, SimHost *host,
                           SimTime service_time, uint64_t response_size,
                           CloudRunHttpServed served, void *user)
{
  memset (server, 0, sizeof *server);
  server->service_time = (SimDelay) { SIM_DELAY_FIXED, service_time, 0 };
  sim_rng_init (&server->rng, sim_world_seed (host->node->world),
                host->node->name, "service-time");
  server->response_size = response_size;
  server->served = served;
  server->user = user;
  cloudrun_proxy_init (&server->proxy, host, 80, server_request, NULL, server);
}

void
cloudrun_http_server_set_service_time (CloudRunHttpServer *server,
                                       const SimDelay *service_time)
{
  server->service_time = *service_time;
}

void
cloudrun_http_server_clear (CloudRunHttpServer *server)
{
  cloudrun_proxy_clear (&server->proxy);
}
