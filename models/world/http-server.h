/* A tiny HTTP/1.1 server on TCP port 80, embedded in nodes that answer
 * requests (Cloud Run instances, VMs, internet clients): it reads one
 * request per connection (headers and Content-Length body), waits the
 * service time, answers 200 with a body of the configured size and closes.
 * It is a CloudRunProxy that always answers by itself. The embedding model
 * may watch each request to record its step. */
#ifndef CLOUDRUN_HTTP_SERVER_H
#define CLOUDRUN_HTTP_SERVER_H

#include "models/world/proxy.h"
#include "sim/delay.h"

typedef struct CloudRunHttpServer CloudRunHttpServer;

/* Called when a whole request arrived (head and body), before the
 * service time (a model records its DELIVER step and what it saw here):
 * s is its session, whose client_addr (or client6 when v6: servers take
 * IPv6 callers too) is the IP source its packets arrived with (the TCP
 * peer), local_addr (local6) the address they were sent to. */
typedef void (*CloudRunHttpServed) (CloudRunHttpServer *server, void *user,
                                    const CloudRunProxySession *s);

struct CloudRunHttpServer {
  CloudRunProxy proxy;          /* the connections and their requests */
  SimDelay service_time;        /* fixed, or drawn per request from rng */
  SimRng rng;                   /* the node's "service-time" stream */
  uint64_t response_size;       /* body bytes, made as they are sent */
  CloudRunHttpServed served;    /* optional */
  void *user;
  uint64_t requests;            /* requests answered */
  uint32_t in_flight;           /* requests being served now */
};

void cloudrun_http_server_init (CloudRunHttpServer *server, SimHost *host,
                                SimTime service_time, uint64_t response_size,
                                CloudRunHttpServed served, void *user);
/* Answers after a time drawn from service_time for each request (the
 * node's own "service-time" random stream). */
void cloudrun_http_server_set_service_time (CloudRunHttpServer *server,
                                            const SimDelay *service_time);
void cloudrun_http_server_clear (CloudRunHttpServer *server);

#endif
