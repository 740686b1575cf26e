/* The Google Front End (see models/gfe.h). One session per client
 * connection, pooled. The classification reads only what arrived: a
 * request with no VPC identity on its packets came from the internet and
 * is external. */
#include "models/gfe.h"

#include <string.h>

#include "sim/http.h"
#include "sim/tcp.h"

typedef struct {
  CloudRunGfe *gfe;
  SimTcpConn *client;           /* NULL once closed */
  SimTcpConn *upstream;         /* NULL when none */
  CloudRunInstance *instance;   /* holds a concurrency slot when set */
  GByteArray *rx;               /* the request bytes */
  SimHttpRequest request;
  int header_len;
  bool dispatched;
  uint32_t request_id;
  SimTimer ready;               /* waiting for a cold start */
} CloudRunGfeSession;

static CloudRunWorld *
gfe_world (CloudRunGfe *gfe)
{
  return gfe->base.world;
}

static void
gfe_session_done_with_instance (CloudRunGfeSession *s)
{
  if (s->instance)
    cloudrun_service_release (s->instance);
  s->instance = NULL;
}

static void
gfe_session_maybe_idle (CloudRunGfeSession *s)
{
  if (!s->client && !s->upstream && !sim_timer_pending (&s->ready))
    g_ptr_array_add (s->gfe->idle, s);
}

/* The GFE answers by itself (a refusal) and closes. */
static void
gfe_answer (CloudRunGfeSession *s, int status, uint32_t step)
{
  static const char body_fmt[] =
    "<!DOCTYPE html>\n<html lang=en><title>Error %d (%s)</title>"
    "<p><b>%d.</b> <ins>That's an error.</ins>\n";
  char body[256];
  uint8_t head[512];
  SimHttpResponse resp = { .status = status };
  int blen = g_snprintf (body, sizeof body, body_fmt, status,
                         sim_http_reason (status), status);
  size_t n;

  g_strlcpy (resp.reason, sim_http_reason (status), sizeof resp.reason);
  resp.content_length = (uint64_t) blen;
  n = sim_http_write_response (head, sizeof head - sizeof body, &resp,
                               "text/html; charset=UTF-8");
  memcpy (head + n, body, (size_t) blen);   /* one segment */
  sim_tcp_conn_set_comment (s->client, step);
  sim_tcp_send (s->client, head, (uint32_t) (n + (size_t) blen));
  sim_tcp_close (s->client);
  s->gfe->refused++;
}

static void
upstream_connected (SimTcpConn *conn, void *user)
{
  CloudRunGfeSession *s = user;

  sim_tcp_send (conn, s->rx->data, s->rx->len);
}

static void
upstream_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunGfeSession *s = user;

  (void) conn;
  if (s->client)
    sim_tcp_send (s->client, data, len);
}

static void
upstream_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunGfeSession *s = user;

  sim_tcp_close (conn);
  if (s->client)
    sim_tcp_close (s->client);
}

static void
upstream_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunGfeSession *s = user;

  (void) conn;
  s->upstream = NULL;
  gfe_session_done_with_instance (s);
  if (reason != SIM_TCP_CLOSED_OK && s->client)
    sim_tcp_abort (s->client);
  gfe_session_maybe_idle (s);
}

static const SimTcpCallbacks upstream_tcp = {
  .connected = upstream_connected,
  .data = upstream_data,
  .peer_closed = upstream_peer_closed,
  .closed = upstream_closed,
};

static void
gfe_connect_upstream (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunGfeSession *s = target;
  CloudRunGfe *gfe = s->gfe;

  (void) k; (void) arg; (void) u;
  if (!s->client)
    {
      gfe_session_done_with_instance (s);
      gfe_session_maybe_idle (s);
      return;
    }
  s->upstream = sim_tcp_connect (&gfe->host, gfe->serving_addr,
                                 s->instance->host.addrs[0], 80, 10 * SIM_S,
                                 &upstream_tcp, s, s->request_id);
  gfe->forwarded++;
}

/* What the request's packets carried decides internal or external. Only
 * a VPC identity (a Geneve envelope from a VPC router or PSC endpoint) or
 * an internal load balancer makes a request internal; a request that came
 * in from the internet port carries neither. */
static CloudRunClass
gfe_classify (CloudRunGfeSession *s, const char **why)
{
  (void) s;
  *why = "no VPC identity on its packets: it arrived from the internet "
         "without a Geneve envelope";
  return CLOUDRUN_CLASS_EXTERNAL;
}

static bool
gfe_ingress_admits (CloudRunIngress ingress, CloudRunClass cls)
{
  switch (ingress)
    {
    case CLOUDRUN_INGRESS_ALL:
      return true;
    case CLOUDRUN_INGRESS_INTERNAL:
    case CLOUDRUN_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING:
      return cls == CLOUDRUN_CLASS_INTERNAL;
    case CLOUDRUN_INGRESS_NONE:
    default:
      return false;
    }
}

static void
gfe_refuse (CloudRunGfeSession *s, CloudRunVerdict outcome, int status,
            const char *state, const char *rule, const char *note)
{
  CloudRunGfe *gfe = s->gfe;
  CloudRunWorld *world = gfe_world (gfe);
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE, .state = state, .rule = rule, .note = note,
    .src = sim_tcp_conn_remote_addr (s->client),
    .dst = sim_tcp_conn_local_addr (s->client),
  };
  uint32_t id = cloudrun_request_step (&world->ledger, s->request_id,
                                       &gfe->base.node, &step);

  cloudrun_request_decide (&world->ledger, s->request_id, outcome,
                           CLOUDRUN_HOP_GFE, &gfe->base.node, NULL);
  gfe_answer (s, status, id);
}

static void
gfe_dispatch (CloudRunGfeSession *s)
{
  CloudRunGfe *gfe = s->gfe;
  CloudRunWorld *world = gfe_world (gfe);
  SimExplainLog *log = sim_world_explain (world->sim);
  CloudRunServiceNode *svc = g_hash_table_lookup (world->hosts,
                                                  s->request.host);
  const char *why;
  CloudRunClass cls = gfe_classify (s, &why);
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE, .state = "PROXY_CONNECTION",
    .src = sim_tcp_conn_remote_addr (s->client),
    .dst = sim_tcp_conn_local_addr (s->client),
  };
  bool cold;

  cloudrun_request_classify (&world->ledger, s->request_id, cls);
  if (!svc)
    return gfe_refuse (s, CLOUDRUN_VERDICT_UNAVAILABLE, 404, "ABORT",
                       sim_explain_internf (log, "no service owns host %s",
                                            s->request.host), NULL);
  if (!svc->default_url)
    return gfe_refuse (s, CLOUDRUN_VERDICT_DENIED_BY_INGRESS, 404,
                       "INGRESS_DENIED",
                       sim_explain_internf (log, "service %s: default-url = "
                                            "false disables its run.app URLs",
                                            svc->name), NULL);
  if (!gfe_ingress_admits (svc->ingress, cls))
    return gfe_refuse (s, CLOUDRUN_VERDICT_DENIED_BY_INGRESS,
                       world->ingress_denied_status, "INGRESS_DENIED",
                       sim_explain_internf (log, "service %s: ingress = %s "
                                            "refuses %s requests", svc->name,
                                            cloudrun_ingress_name (svc->ingress),
                                            cloudrun_class_name (cls)),
                       sim_explain_internf (log, "classified %s: %s; status %d "
                                            "is [assumptions] "
                                            "ingress-denied-status (observed, "
                                            "not documented)",
                                            cloudrun_class_name (cls), why,
                                            world->ingress_denied_status));
  s->instance = cloudrun_service_acquire (svc, sim_world_now (world->sim),
                                          &cold);
  if (!s->instance)
    return gfe_refuse (s, CLOUDRUN_VERDICT_UNAVAILABLE, 429, "ABORT",
                       sim_explain_internf (log, "service %s: every instance "
                                            "is at its concurrency and "
                                            "max-instances is reached",
                                            svc->name), NULL);
  step.rule = sim_explain_internf (log, "service %s: ingress = %s admits "
                                   "%s requests", svc->name,
                                   cloudrun_ingress_name (svc->ingress),
                                   cloudrun_class_name (cls));
  step.note = sim_explain_internf (log, "classified %s: %s; to instance %s%s",
                                   cloudrun_class_name (cls), why,
                                   s->instance->base.node.name,
                                   cold ? " (cold start)" : "");
  step.dst_after = s->instance->host.addrs[0];
  step.src_after = gfe->serving_addr;
  cloudrun_request_step (&world->ledger, s->request_id, &gfe->base.node, &step);
  s->ready = sim_kernel_schedule (sim_world_kernel (world->sim),
                                  MAX (s->instance->ready_at,
                                       sim_world_now (world->sim)),
                                  gfe_connect_upstream, s, NULL, 0);
}

static void
client_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunGfeSession *s = user;

  (void) conn;
  if (s->dispatched)
    return;
  g_byte_array_append (s->rx, data, len);
  if (s->header_len == 0)
    s->header_len = sim_http_parse_request (s->rx->data, s->rx->len,
                                            &s->request);
  if (s->header_len < 0)
    {
      s->dispatched = true;
      gfe_answer (s, 400, 0);
      return;
    }
  if (s->header_len == 0
      || s->rx->len - (guint) s->header_len < s->request.content_length)
    return;
  s->dispatched = true;
  gfe_dispatch (s);
}

static void
client_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunGfeSession *s = user;

  if (!s->dispatched)
    sim_tcp_close (conn);
}

static void
client_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunGfeSession *s = user;

  (void) conn;
  s->client = NULL;
  if (reason != SIM_TCP_CLOSED_OK && s->upstream)
    sim_tcp_abort (s->upstream);
  gfe_session_maybe_idle (s);
}

static const SimTcpCallbacks client_tcp = {
  .data = client_data,
  .peer_closed = client_peer_closed,
  .closed = client_closed,
};

static void
gfe_accept (SimTcpConn *conn, void *user)
{
  CloudRunGfe *gfe = user;
  CloudRunGfeSession *s;

  if (gfe->idle->len > 0)
    s = g_ptr_array_steal_index_fast (gfe->idle, gfe->idle->len - 1);
  else
    {
      s = g_new0 (CloudRunGfeSession, 1);
      s->gfe = gfe;
      s->rx = g_byte_array_new ();
      g_ptr_array_add (gfe->sessions, s);
    }
  s->client = conn;
  s->upstream = NULL;
  s->instance = NULL;
  g_byte_array_set_size (s->rx, 0);
  s->header_len = 0;
  s->dispatched = false;
  s->request_id = sim_tcp_conn_request (conn);
  s->ready = (SimTimer) { 0 };
  sim_tcp_conn_set_callbacks (conn, &client_tcp, s);
}

static void
gfe_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunGfe *gfe = (CloudRunGfe *) self;

  if (!sim_host_receive (&gfe->host, port, packet))
    sim_packet_release (sim_world_pool (self->world), packet);
}

static void
gfe_clear (SimNode *self)
{
  CloudRunGfe *gfe = (CloudRunGfe *) self;

  for (guint i = 0; i < gfe->sessions->len; i++)
    {
      CloudRunGfeSession *s = g_ptr_array_index (gfe->sessions, i);
      g_byte_array_free (s->rx, TRUE);
      g_free (s);
    }
  g_ptr_array_free (gfe->sessions, TRUE);
  g_ptr_array_free (gfe->idle, TRUE);
  sim_host_clear (&gfe->host);
}

static const SimNodeClass gfe_class = {
  .name = "gfe",
  .size = sizeof (CloudRunGfe),
  .receive = gfe_receive,
  .clear = gfe_clear,
};

CloudRunGfe *
cloudrun_gfe_new (CloudRunWorld *world, const uint32_t *front_ends,
                  unsigned n_front_ends, uint32_t serving_addr)
{
  CloudRunGfe *gfe = (CloudRunGfe *) sim_node_new (world->sim, &gfe_class,
                                                   "gfe");

  gfe->base.world = world;
  gfe->internet = sim_node_add_port (&gfe->base.node, "internet");
  gfe->serving_addr = serving_addr;
  gfe->sessions = g_ptr_array_new ();
  gfe->idle = g_ptr_array_new ();
  sim_host_init (&gfe->host, &gfe->base.node, front_ends[0], gfe->internet);
  for (unsigned i = 1; i < n_front_ends; i++)
    sim_host_add_address (&gfe->host, front_ends[i]);
  sim_host_add_address (&gfe->host, serving_addr);
  sim_tcp_listen (&gfe->host, 80, gfe_accept, gfe);
  return gfe;
}

SimPort *
cloudrun_gfe_add_instance_port (CloudRunGfe *gfe, CloudRunInstance *instance)
{
  SimPort *port = sim_node_add_port (&gfe->base.node,
                                     instance->base.node.name);

  sim_host_add_route (&gfe->host, instance->host.addrs[0], 32, port);
  instance->service_peer = gfe->serving_addr;
  return port;
}
