/* The tiny HTTP server (see models/http-server.h). Sessions are pooled;
 * the response body is built once per server. */
#include "models/http-server.h"

#include <string.h>

typedef struct {
  CloudRunHttpServer *server;
  SimTcpConn *conn;             /* NULL once closed */
  GByteArray *rx;               /* request bytes */
  SimHttpRequest request;
  int header_len;
  bool answered;
  uint32_t comment;             /* step id for the response */
  SimTimer timer;               /* the service time */
} CloudRunHttpSession;

static void
session_release (CloudRunHttpSession *s)
{
  g_ptr_array_add (s->server->idle, s);
}

static void
session_respond (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunHttpSession *s = target;
  CloudRunHttpServer *server = s->server;
  SimHttpResponse resp = { .status = 200,
                           .content_length = server->response_size };
  size_t n;

  (void) k; (void) arg; (void) u;
  server->in_flight--;
  if (!s->conn)
    return;
  g_strlcpy (resp.reason, sim_http_reason (200), sizeof resp.reason);
  /* Headers and body in one send, so a small answer is one segment. */
  g_byte_array_set_size (server->scratch, 512 + server->response_size);
  n = sim_http_write_response (server->scratch->data, 512, &resp, "text/plain");
  g_assert (n > 0);
  memcpy (server->scratch->data + n, server->body, server->response_size);
  sim_tcp_conn_set_comment (s->conn, s->comment);
  sim_tcp_send (s->conn, server->scratch->data,
                (uint32_t) (n + server->response_size));
  server->requests++;
  sim_tcp_close (s->conn);
}

static void
session_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunHttpSession *s = user;
  CloudRunHttpServer *server = s->server;

  if (s->answered)
    return;
  g_byte_array_append (s->rx, data, len);
  if (s->header_len == 0)
    s->header_len = sim_http_parse_request (s->rx->data, s->rx->len,
                                            &s->request);
  if (s->header_len < 0)
    {
      s->answered = true;
      sim_tcp_abort (conn);
      return;
    }
  if (s->header_len == 0
      || s->rx->len - (guint) s->header_len < s->request.content_length)
    return;
  s->answered = true;
  s->comment = server->served
               ? server->served (server, server->user,
                                 sim_tcp_conn_request (conn), &s->request)
               : 0;
  server->in_flight++;
  s->timer = sim_kernel_schedule_in (sim_world_kernel (server->host->node->world),
                                     server->service_time, session_respond,
                                     s, NULL, 0);
}

static void
session_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunHttpSession *s = user;

  (void) conn; (void) reason;
  s->conn = NULL;
  if (!sim_timer_pending (&s->timer))
    session_release (s);
  else
    {
      sim_kernel_cancel (sim_world_kernel (s->server->host->node->world),
                         &s->timer);
      s->server->in_flight--;
      session_release (s);
    }
}

static void
session_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunHttpSession *s = user;

  if (!s->answered)
    sim_tcp_close (conn);
}

static const SimTcpCallbacks session_tcp = {
  .data = session_data,
  .peer_closed = session_peer_closed,
  .closed = session_closed,
};

static void
server_accept (SimTcpConn *conn, void *user)
{
  CloudRunHttpServer *server = user;
  CloudRunHttpSession *s;

  if (server->idle->len > 0)
    s = g_ptr_array_steal_index_fast (server->idle, server->idle->len - 1);
  else
    {
      s = g_new0 (CloudRunHttpSession, 1);
      s->server = server;
      s->rx = g_byte_array_new ();
      g_ptr_array_add (server->sessions, s);
    }
  s->conn = conn;
  g_byte_array_set_size (s->rx, 0);
  s->header_len = 0;
  s->answered = false;
  s->comment = 0;
  s->timer = (SimTimer) { 0 };
  sim_tcp_conn_set_callbacks (conn, &session_tcp, s);
}

void
cloudrun_http_server_init (CloudRunHttpServer *server, SimHost *host,
                           SimTime service_time, uint64_t response_size,
                           CloudRunHttpServed served, void *user)
{
  static const char filler[] = "cloudrun-netsim response body\n";

  memset (server, 0, sizeof *server);
  server->host = host;
  server->service_time = service_time;
  server->response_size = response_size;
  server->body = g_malloc (response_size ? response_size : 1);
  for (uint64_t i = 0; i < response_size; i++)
    server->body[i] = filler[i % (sizeof filler - 1)];
  server->served = served;
  server->user = user;
  server->scratch = g_byte_array_new ();
  server->sessions = g_ptr_array_new ();
  server->idle = g_ptr_array_new ();
  sim_tcp_listen (host, 80, server_accept, server);
}

void
cloudrun_http_server_clear (CloudRunHttpServer *server)
{
  if (!server->sessions)
    return;
  for (guint i = 0; i < server->sessions->len; i++)
    {
      CloudRunHttpSession *s = g_ptr_array_index (server->sessions, i);
      g_byte_array_free (s->rx, TRUE);
      g_free (s);
    }
  g_ptr_array_free (server->sessions, TRUE);
  g_ptr_array_free (server->idle, TRUE);
  g_free (server->body);
  g_byte_array_free (server->scratch, TRUE);
  server->sessions = NULL;
}
