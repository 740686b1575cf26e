/* The HTTP proxy (see models/world/proxy.h). */
#include "models/world/proxy.h"

#include <string.h>

static SimKernel *
proxy_kernel (CloudRunProxy *proxy)
{
  return sim_world_kernel (proxy->host->node->world);
}

static void
session_maybe_done (CloudRunProxySession *s)
{
  CloudRunProxy *proxy = s->proxy;

  /* Once: a client's reset aborts the upstream, whose close ends the
   * session before the client's close returns here. */
  if (s->idle || s->client || s->upstream || sim_timer_pending (&s->pending))
    return;
  s->idle = true;
  if (proxy->done && s->decided)   /* a kept connection's last is done */
    proxy->done (proxy, proxy->user, s);
  s->slot = NULL;
  g_ptr_array_add (proxy->idle, s);
}

static const SimTcpCallbacks detached_tcp = { 0 };

/* Ready to read a request: nothing of one read, none going upstream. */
static void
session_clear_request (CloudRunProxySession *s)
{
  s->upstream = NULL;
  g_byte_array_set_size (s->rx, 0);
  s->header_len = 0;
  s->decided = s->forwarding = s->upstream_open = s->responding = false;
  s->keep_alive = s->relay_head_done = false;
  s->body_left = 0;
  s->body_done = NULL;
  s->slot = s->queue = NULL;
}

/* Whether the connection is kept after the response whose head is being
 * written: asked for, the request read whole (after an early answer the
 * rest of its body must not be taken for a request: the proxy closes, as
 * without keep-alive), and the caller's side still open. */
static bool
session_decide_keep (CloudRunProxySession *s)
{
  s->keep_alive = s->keep_alive && s->body_left == 0 && !s->client_fin;
  return s->keep_alive;
}

/* The response is written whole: on a persistent connection the session
 * reads the next request (the owner's per-request state released as at
 * the end of a session, a finishing upstream left to close by itself);
 * otherwise the proxy closes, as it announced. */
static void
response_sent (CloudRunProxySession *s)
{
  CloudRunProxy *proxy = s->proxy;

  if (!s->client)
    return;
  if (!s->keep_alive || s->client_fin)
    {
      sim_tls_conn_close (s->tls, s->client);
      return;
    }
  if (s->upstream)
    {
      sim_tcp_conn_set_callbacks (s->upstream, &detached_tcp, NULL);
      sim_tcp_close (s->upstream);  /* one request an upstream connection */
    }
  if (proxy->done)
    proxy->done (proxy, proxy->user, s);
  session_clear_request (s);
}

void
cloudrun_proxy_respond (CloudRunProxySession *s, int status,
                        const char *content_type, const uint8_t *body,
                        uint32_t body_len)
{
  GByteArray *out = s->proxy->scratch;
  SimHttpResponse resp = { .status = status, .content_length = body_len };
  size_t n;

  if (!s->client)
    return;
  resp.keep_alive = session_decide_keep (s);
  g_strlcpy (resp.reason, sim_http_reason (status), sizeof resp.reason);
  g_byte_array_set_size (out, 512 + body_len);
  n = sim_http_write_response (out->data, 512, &resp, content_type);
  g_assert (n > 0);
  /* Head and body in one send: a small answer is one segment. */
  memcpy (out->data + n, body, body_len);
  sim_tls_conn_send (s->tls, s->client, out->data, (uint32_t) (n + body_len));
  response_sent (s);
}

void
cloudrun_proxy_respond_pattern (CloudRunProxySession *s, int status,
                                const char *content_type,
                                const char *pattern, uint64_t size)
{
  SimHttpResponse resp = { .status = status, .content_length = size,
                           .keep_alive = s->keep_alive };
  uint8_t head[512];
  size_t n;

  if (!s->client)
    return;
  g_strlcpy (resp.reason, sim_http_reason (status), sizeof resp.reason);
  n = sim_http_write_response (head, sizeof head, &resp, content_type);
  g_assert (n > 0);
  /* Queued with the first of the body: a small answer is one segment. */
  sim_tls_conn_queue (s->tls, s->client, head, (uint32_t) n);
  sim_body_init (&s->response, pattern, size);
  s->responding = !sim_body_pump (&s->response, s->tls, s->client);
  if (!s->responding)
    response_sent (s);
}

void
cloudrun_proxy_answer (CloudRunProxySession *s, int status)
{
  static const char body_fmt[] =
    "<!DOCTYPE html>\n<html lang=en><title>Error %d (%s)</title>"
    "<p><b>%d.</b> <ins>That's an error.</ins>\n";
  char body[256];
  int blen = g_snprintf (body, sizeof body, body_fmt, status,
                         sim_http_reason (status), status);

  cloudrun_proxy_respond (s, status, "text/html; charset=UTF-8",
                          (const uint8_t *) body, (uint32_t) blen);
  s->proxy->answered++;
}

/* Bytes held for the other side beyond the relay's own SIM_TCP_SNDBUF:
 * to their sender they are still unread (sim/tcp.h, backlog). */
static uint32_t
relay_backlog (uint64_t held)
{
  return held > SIM_TCP_SNDBUF ? (uint32_t) (held - SIM_TCP_SNDBUF) : 0;
}

static uint32_t
client_backlog (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;
  uint64_t held = s->forwarding && !s->upstream_open ? s->rx->len : 0;

  (void) conn;
  if (s->upstream)
    held += sim_tcp_send_buffered (s->upstream);
  return relay_backlog (held);
}

static uint32_t
upstream_backlog (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  (void) conn;
  return s->client ? relay_backlog (sim_tcp_send_buffered (s->client)) : 0;
}

static void
upstream_connected (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  s->upstream_open = true;
  sim_tcp_send (conn, s->rx->data, s->rx->len);
  g_byte_array_set_size (s->rx, 0);
}

/* Keep-alive toward the client: the response is framed by its
 * Content-Length, so its end is known without the upstream's FIN; a
 * Connection value in its head (the upstream's own: close, or keep-alive
 * when it was asked) is rewritten to what the proxy does (keep-alive, or
 * close after an early answer), and the head is held until whole. A head
 * that does not parse is relayed as it is and the connection closes
 * after it, as without keep-alive. */
static void
relay_head (CloudRunProxySession *s, const uint8_t *data, uint32_t len)
{
  GByteArray *rx = s->rx;
  SimHttpResponse resp;
  const uint8_t *value;
  const char *mine;
  size_t value_len, at;
  int head;

  g_byte_array_append (rx, data, len);
  head = sim_http_parse_response (rx->data, rx->len, &resp);
  if (head == 0)
    return;
  s->relay_head_done = true;
  if (head < 0)
    {
      s->keep_alive = false;
      sim_tls_conn_send (s->tls, s->client, rx->data, rx->len);
      g_byte_array_set_size (rx, 0);
      return;
    }
  s->relay_left = resp.content_length
                  - MIN (resp.content_length, rx->len - (guint) head);
  mine = session_decide_keep (s) ? "keep-alive" : "close";
  if (sim_http_find_field (rx->data, (size_t) head, "connection", &value,
                           &value_len))
    {
      at = (size_t) (value - rx->data);
      sim_tls_conn_queue (s->tls, s->client, rx->data, (uint32_t) at);
      sim_tls_conn_queue (s->tls, s->client, (const uint8_t *) mine,
                          (uint32_t) strlen (mine));
      sim_tls_conn_send (s->tls, s->client, rx->data + at + value_len,
                         (uint32_t) (rx->len - at - value_len));
    }
  else
    sim_tls_conn_send (s->tls, s->client, rx->data, rx->len);
  g_byte_array_set_size (rx, 0);
  if (s->relay_left == 0)
    response_sent (s);
}

static void
upstream_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunProxySession *s = user;

  (void) conn;
  if (!s->client)
    return;
  if (s->keep_alive && !s->relay_head_done)
    relay_head (s, data, len);
  else if (s->keep_alive)
    {
      sim_tls_conn_send (s->tls, s->client, data, len);
      s->relay_left -= MIN (s->relay_left, len);
      if (s->relay_left == 0)
        response_sent (s);
    }
  else
    sim_tls_conn_send (s->tls, s->client, data, len);
}

/* Upstream took request bytes: the client's window may reopen. */
static void
upstream_writable (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  (void) conn;
  if (s->client)
    sim_tcp_window_update (s->client);
}

static void
upstream_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  s->forwarding = s->upstream_open = false;  /* the rest is not relayed */
  sim_tcp_close (conn);
  /* Before the whole response (a kept connection's ends on its length):
   * the client learns it by the close, whatever it asked. */
  s->keep_alive = false;
  response_sent (s);
}

static void
upstream_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunProxySession *s = user;

  (void) conn;
  s->upstream = NULL;
  s->forwarding = s->upstream_open = false;
  if (reason != SIM_TCP_CLOSED_OK && s->client)
    {
      if (reason == SIM_TCP_CLOSED_TIMEOUT)
        cloudrun_proxy_answer (s, 502);   /* the backend never answered */
      else
        sim_tcp_abort (s->client);
    }
  session_maybe_done (s);
}

static const SimTcpCallbacks upstream_tcp = {
  .connected = upstream_connected,
  .data = upstream_data,
  .peer_closed = upstream_peer_closed,
  .closed = upstream_closed,
  .writable = upstream_writable,
  .backlog = upstream_backlog,
};

static void
proxy_connect (CloudRunProxySession *s)
{
  if (!s->client)
    return;                     /* the caller has gone meanwhile */
  /* A proxy with no place of its own (the GFE, a global load balancer)
   * sends on the place the request set out from. */
  s->upstream = sim_tcp_connect_from (s->proxy->host,
                                      s->proxy->host->origin ? 0
                                      : sim_tcp_conn_origin (s->client),
                                      s->up_src, s->up_dst, s->up_port,
                                      10 * SIM_S, &upstream_tcp, s,
                                      s->request_id);
  if (s->upstream == NULL)
    {
      cloudrun_proxy_answer (s, 502);   /* no port left toward the backend */
      return;
    }
  s->proxy->forwarded++;
}

static void
proxy_later_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunProxySession *s = target;
  CloudRunProxyLaterFn fn = s->later;

  (void) k; (void) arg; (void) u;
  s->later = NULL;
  fn (s);
  session_maybe_done (s);
}

void
cloudrun_proxy_later (CloudRunProxySession *s, SimTime at,
                      CloudRunProxyLaterFn fn)
{
  SimKernel *kernel = proxy_kernel (s->proxy);

  g_assert (s->later == NULL);
  s->later = fn;
  s->pending = sim_kernel_schedule (kernel, MAX (at, sim_kernel_now (kernel)),
                                    proxy_later_fire, s, NULL, 0);
}

/* Room for the proxy's own fields besides fw->extra. */
#define PROXY_ADDED_FIELDS 160u

void
cloudrun_proxy_rewrite_head (CloudRunProxySession *s, const SimHttpForward *fw)
{
  GByteArray *out = s->proxy->scratch;
  guint head = (guint) s->header_len, body = s->rx->len - head;
  guint cap = head + PROXY_ADDED_FIELDS
              + (fw->extra ? (guint) strlen (fw->extra) : 0u);
  size_t n;

  g_byte_array_set_size (out, cap + body);
  n = sim_http_forward_request (s->rx->data, head, out->data, cap, fw);
  g_assert (n > 0);
  memcpy (out->data + n, s->rx->data + head, body);
  g_byte_array_set_size (s->rx, 0);
  g_byte_array_append (s->rx, out->data, (guint) (n + body));
  s->header_len = (int) n;
}

void
cloudrun_proxy_forward (CloudRunProxySession *s, uint32_t src, uint32_t dst,
                        uint16_t port, SimTime at)
{
  s->up_src = src;
  s->up_dst = dst;
  s->up_port = port;
  s->forwarding = true;
  cloudrun_proxy_later (s, at, proxy_connect);
}

void
cloudrun_proxy_after_body (CloudRunProxySession *s, CloudRunProxyLaterFn fn)
{
  if (s->body_left > 0)
    s->body_done = fn;
  else
    fn (s);
}

static void
body_complete (CloudRunProxySession *s)
{
  CloudRunProxyLaterFn fn = s->body_done;

  s->body_done = NULL;
  if (fn)
    fn (s);
}

/* Reads the head; once whole, hands it to the owner. Bytes past the
 * body are not read: a client asks the next request of a persistent
 * connection only once it has the whole response. */
static void
client_head (CloudRunProxySession *s, const uint8_t *data, uint32_t len)
{
  uint64_t have;

  if (s->rx->len == 0)          /* the first bytes of a request */
    s->request_id = sim_tcp_conn_request (s->client);
  g_byte_array_append (s->rx, data, len);
  s->header_len = sim_http_parse_request (s->rx->data, s->rx->len,
                                          &s->request);
  if (s->header_len < 0)
    {
      s->decided = true;
      cloudrun_proxy_answer (s, 400);
      return;
    }
  if (s->header_len == 0)
    return;
  s->decided = true;
  s->keep_alive = s->request.keep_alive;
  have = s->rx->len - (guint) s->header_len;
  if (have > s->request.content_length)
    {
      g_byte_array_set_size (s->rx, (guint) s->header_len
                                    + (guint) s->request.content_length);
      have = s->request.content_length;
    }
  s->body_left = s->request.content_length - have;
  s->proxy->request (s->proxy, s->proxy->user, s);
  if (s->body_left == 0)
    body_complete (s);
}

/* Body bytes: relayed upstream, held until it opens, or read and dropped
 * (answered here). */
static void
client_body (CloudRunProxySession *s, const uint8_t *data, uint32_t len)
{
  uint32_t n = (uint32_t) MIN ((uint64_t) len, s->body_left);

  if (n == 0)
    return;
  s->body_left -= n;
  if (s->forwarding && s->upstream_open)
    sim_tcp_send (s->upstream, data, n);
  else if (s->forwarding)
    g_byte_array_append (s->rx, data, n);
  if (s->body_left == 0)
    body_complete (s);
}

static void
client_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunProxySession *s = user;

  (void) conn;
  if (s->decided)
    client_body (s, data, len);
  else
    client_head (s, data, len);
}

/* The client took response bytes: more of a streamed answer, or a
 * reopened window for the upstream. */
static void
client_writable (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  if (s->responding && sim_body_pump (&s->response, s->tls, conn))
    {
      s->responding = false;
      response_sent (s);
    }
  if (s->upstream)
    sim_tcp_window_update (s->upstream);
}

static void
client_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunProxySession *s = user;

  s->client_fin = true;         /* a kept connection closes after this */
  if (!s->decided)
    sim_tls_conn_close (s->tls, conn);
}

static void
client_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunProxySession *s = user;

  (void) conn;
  s->client = NULL;
  if (reason != SIM_TCP_CLOSED_OK && s->upstream)
    sim_tcp_abort (s->upstream);
  session_maybe_done (s);
}

static const SimTcpCallbacks client_tcp = {
  .data = client_data,
  .peer_closed = client_peer_closed,
  .closed = client_closed,
  .writable = client_writable,
  .backlog = client_backlog,
};

static CloudRunProxySession *
proxy_accept (SimTcpConn *conn, void *user)
{
  CloudRunProxy *proxy = user;
  CloudRunProxySession *s;

  if (proxy->idle->len > 0)
    s = g_ptr_array_steal_index_fast (proxy->idle, proxy->idle->len - 1);
  else
    {
      s = g_new0 (CloudRunProxySession, 1);
      s->proxy = proxy;
      s->rx = g_byte_array_new ();
      s->tls = sim_tls_new ();
      g_ptr_array_add (proxy->sessions, s);
    }
  s->client = conn;
  s->idle = false;
  s->client_fin = false;
  session_clear_request (s);
  s->pending = (SimTimer) { 0 };
  s->later = NULL;
  s->request_id = sim_tcp_conn_request (conn);
  s->client_addr = sim_tcp_conn_remote_addr (conn);
  s->client_port = sim_tcp_conn_remote_port (conn);
  s->local_addr = sim_tcp_conn_local_addr (conn);
  s->local_port = sim_tcp_conn_local_port (conn);
  s->client6 = s->local6 = (SimIp6) { { 0 } };
  s->v6 = sim_tcp_conn_ipv6 (conn, &s->local6, &s->client6);
  sim_tcp_conn_set_callbacks (conn, &client_tcp, s);
  return s;
}

static void
proxy_accept_clear (SimTcpConn *conn, void *user)
{
  proxy_accept (conn, user);
}

static void
proxy_accept_tls (SimTcpConn *conn, void *user)
{
  CloudRunProxy *proxy = user;
  CloudRunProxySession *s = proxy_accept (conn, user);

  sim_tls_accept (s->tls, conn, &proxy->tls_rng, &client_tcp, s);
}

void
cloudrun_proxy_listen_tls (CloudRunProxy *proxy, uint16_t port)
{
  sim_rng_init (&proxy->tls_rng, sim_world_seed (proxy->host->node->world),
                proxy->host->node->name, "tls-server");
  sim_tcp_listen (proxy->host, port, proxy_accept_tls, proxy);
}

void
cloudrun_proxy_init (CloudRunProxy *proxy, SimHost *host, uint16_t port,
                     CloudRunProxyRequestFn request, CloudRunProxyDoneFn done,
                     void *user)
{
  memset (proxy, 0, sizeof *proxy);
  proxy->host = host;
  proxy->request = request;
  proxy->done = done;
  proxy->user = user;
  proxy->sessions = g_ptr_array_new ();
  proxy->idle = g_ptr_array_new ();
  proxy->scratch = g_byte_array_new ();
  sim_tcp_listen (host, port, proxy_accept_clear, proxy);
}

void
cloudrun_proxy_clear (CloudRunProxy *proxy)
{
  if (!proxy->sessions)
    return;
  for (guint i = 0; i < proxy->sessions->len; i++)
    {
      CloudRunProxySession *s = g_ptr_array_index (proxy->sessions, i);
      g_byte_array_free (s->rx, TRUE);
      sim_tls_free (s->tls);
      g_free (s);
    }
  g_ptr_array_free (proxy->sessions, TRUE);
  g_ptr_array_free (proxy->idle, TRUE);
  g_byte_array_free (proxy->scratch, TRUE);
  proxy->sessions = NULL;
}
