/* The HTTP caller (see models/world/requester.h). One CloudRunCall per
 * request in flight, pooled: its buffers are reused, so a steady stream of
 * requests allocates nothing. A DNS query's id and source port are drawn
 * from the caller's own random stream, as a stub resolver does; its answer
 * is found by port and checked by id. */
#include "models/world/requester-private.h"

#include <stddef.h>
#include <string.h>

#include "models/world/id-token.h"
#include "sim/body.h"
#include "sim/dns.h"
#include "sim/http.h"
#include "sim/tcp.h"
#include "sim/tls.h"

#define CLOUDRUN_DNS_TIMEOUT (2 * SIM_S)
/* How long a kept connection waits for the next request before the
 * caller closes it: Go's net/http default (IdleConnTimeout), well under
 * the 600 s a Google front end keeps an idle connection. */
#define CLOUDRUN_IDLE_TIMEOUT (90 * SIM_S)
/* Room for the request's header block: the written head (at most 1024)
 * and an Authorization or X-Serverless-Authorization line. */
#define REQUESTER_HEAD_MAX (1024 + CLOUDRUN_ID_TOKEN_MAX + 48)
#define CLOUDRUN_DNS_TRIES 2
/* Linux's default ephemeral range (net.ipv4.ip_local_port_range). */
#define DNS_PORT_FIRST 32768u
#define DNS_PORT_COUNT (60999u - DNS_PORT_FIRST + 1u)
/* Random draws of a DNS source port before the free ones are counted
 * instead: with most ports taken, redrawing would cost count / free
 * draws each time. */
#define DNS_PORT_TRIES 32


static void cloudrun_call_release_if_idle (CloudRunCall *call);
static void call_dns_release (CloudRunCall *call);
static void call_park (CloudRunCall *call);

CloudRunRequest *
cloudrun_call_request (CloudRunCall *call)
{
  return cloudrun_ledger_get (call->caller->ledger, call->request);
}

static SimKernel *
caller_kernel (CloudRunRequester *caller)
{
  return sim_world_kernel (caller->node->world);
}

/* The caller's own verdicts: what only the caller can see. */
void
cloudrun_call_finish (CloudRunCall *call, int status, CloudRunVerdict seen,
                      const char *why)
{
  CloudRunRequester *caller = call->caller;
  CloudRunRequest *r = cloudrun_call_request (call);

  if (call->finished)
    return;
  call->finished = true;
  r->end = sim_world_now (caller->node->world);
  r->status = status;
  if (call->conn)
    r->retransmits = sim_tcp_conn_retransmits (call->conn) - call->retx_base;
  /* The caller decides when no hop did, and also when a request the
   * service answered never reached it whole (timed out, or cut): what the
   * caller lived through is the outcome. */
  if (call->dual)
    cloudrun_call_dual_tell (call);
  if ((r->outcome == CLOUDRUN_VERDICT_PENDING
       && seen != CLOUDRUN_VERDICT_PENDING)
      || (r->outcome == CLOUDRUN_VERDICT_DELIVERED
          && (seen == CLOUDRUN_VERDICT_TIMEOUT
              || seen == CLOUDRUN_VERDICT_UNAVAILABLE)))
    {
      CloudRunStep step = { .hop = caller->hop, .state = CLOUDRUN_STATE_ABORT,
                            .rule = why };
      cloudrun_request_step (caller->ledger, call->request, caller->node, &step);
      cloudrun_request_decide (caller->ledger, call->request, seen, caller->hop,
                               caller->node, CLOUDRUN_DROP_NONE);
    }
  cloudrun_ledger_finish (caller->ledger, r); /* no hop decides after */
  sim_kernel_cancel (caller_kernel (caller), &call->deadline);
  sim_kernel_cancel (caller_kernel (caller), &call->dns_timer);
  call->dns_pending = false;
  call_dns_release (call);
  cloudrun_call_attempts_drop (call);
  if (call->conn && call->reusable)
    call_park (call);
  else if (call->conn)
    sim_tls_conn_close (call->tls, call->conn);
  cloudrun_call_release_if_idle (call);
}

/* ---- Kept connections (connections = reuse) ------------------------ */

/* Takes call out of its traffic's idle connections, keeping their order
 * (the last kept is the next taken). */
static void
call_unpark (CloudRunCall *call)
{
  GPtrArray *idle;

  if (!call->kept)
    return;                     /* (a new call has no cursor yet) */
  idle = call->cursor->idle;
  call->kept = false;
  sim_kernel_cancel (caller_kernel (call->caller), &call->idle_timer);
  if (g_ptr_array_index (idle, idle->len - 1) == call)
    g_ptr_array_set_size (idle, (gint) idle->len - 1);
  else
    g_ptr_array_remove (idle, call);
}

/* The caller closes a connection it keeps or was about to keep. */
static void
call_drop_kept (CloudRunCall *call)
{
  call_unpark (call);
  call->reusable = false;
  if (call->conn)
    sim_tls_conn_close (call->tls, call->conn);
}

static void
call_idle_timeout (SimKernel *k, void *target, void *arg, uint64_t u)
{
  (void) k; (void) arg; (void) u;
  call_drop_kept (target);
}

/* The exchange is over and both ends keep the connection: it waits for
 * the traffic's next request, closed after CLOUDRUN_IDLE_TIMEOUT, or at
 * once when the traffic has sent its last (the program is done). */
static void
call_park (CloudRunCall *call)
{
  if (call->cursor->next >= call->plan->count)
    {
      call_drop_kept (call);
      return;
    }
  call->kept = true;
  g_ptr_array_add (call->cursor->idle, call);
  call->idle_timer = sim_kernel_schedule_in (caller_kernel (call->caller),
                                             CLOUDRUN_IDLE_TIMEOUT,
                                             call_idle_timeout, call, NULL, 0);
}

static void
cloudrun_call_release_if_idle (CloudRunCall *call)
{
  if (!call->finished || call->conn || call->request == 0)
    return;
  call->request = 0;
  g_array_append_val (call->caller->free_calls, call->slot);
}

static void
call_on_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  CloudRunCall *call = user;

  (void) conn;
  if (call->kept)
    {
      call_drop_kept (call);    /* bytes nobody asked for: not reusable */
      return;
    }
  if (call->finished)
    return;
  if (call->header_len == 0)
    {
      g_byte_array_append (call->rx, data, len);
      call->header_len = sim_http_parse_response (call->rx->data, call->rx->len,
                                                  &call->response);
      if (call->header_len < 0)
        {
          cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                                "malformed HTTP response");
          return;
        }
      if (call->header_len == 0)
        return;
      call->body = call->rx->len - (uint32_t) call->header_len;
    }
  else
    call->body += len;
  if (call->body >= call->response.content_length)
    {
      /* The plan's word too: a server that kept every connection would
       * not make a `new` caller keep it (ours keep only when asked). */
      call->reusable = call->plan->reuse && call->response.keep_alive
                       && call->request_body.sent >= call->request_body.size;
      cloudrun_call_finish (call, call->response.status,
                          call->response.status >= 500
                          || call->response.status == 429
                          ? CLOUDRUN_VERDICT_UNAVAILABLE
                          : CLOUDRUN_VERDICT_DELIVERED,
                          "response received; no hop on the path decided");
    }
}

/* identity = id-token: an Authorization (or X-Serverless-Authorization)
 * header before the blank line, holding an ID token minted now for the
 * caller's account (models/world/id-token.h). head has room for
 * REQUESTER_HEAD_MAX. */
static size_t
requester_add_token (uint8_t *head, size_t n,
                     const CloudRunTrafficPlan *plan, SimTime now)
{
  const char *name = plan->serverless_header
                     ? CLOUDRUN_ID_TOKEN_SERVERLESS_FIELD ": Bearer "
                     : CLOUDRUN_ID_TOKEN_FIELD ": Bearer ";
  size_t name_len = strlen (name);
  char token[CLOUDRUN_ID_TOKEN_MAX];
  size_t k = cloudrun_id_token_write (token, sizeof token, plan->token_email,
                                      plan->audience, now);
  size_t line = name_len + k + 2;

  g_assert (n >= 2 && k > 0 && n + line <= REQUESTER_HEAD_MAX);
  memmove (head + n - 2 + line, head + n - 2, 2);
  memcpy (head + n - 2, name, name_len);
  memcpy (head + n - 2 + name_len, token, k);
  memcpy (head + n - 2 + line - 2, "\r\n", 2);
  return n + line;
}

/* Sends the request on conn (new, or kept from an earlier one). */
static void
call_send (CloudRunCall *call, SimTcpConn *conn)
{
  const CloudRunTrafficPlan *plan = call->plan;
  uint8_t *head = call->caller->scratch->data;
  SimHttpRequest req = { .content_length = plan->request_size,
                         .keep_alive = plan->reuse };
  size_t n;

  call->reusable = false;
  if (plan->connect_only)
    {
      cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_DELIVERED,
                            "TCP connection established (tcp://: nothing "
                            "is sent; the caller closes)");
      return;
    }
  g_strlcpy (req.method, plan->method, sizeof req.method);
  g_strlcpy (req.path, plan->path, sizeof req.path);
  g_strlcpy (req.host, plan->host, sizeof req.host);
  n = sim_http_write_request (head, 1024, &req);
  g_assert (n > 0);
  if (plan->id_token)
    n = requester_add_token (head, n, plan,
                             sim_world_now (call->caller->node->world));
  /* The head, then the body streamed through the window. */
  sim_tls_conn_queue (call->tls, conn, head, (uint32_t) n);
  sim_body_init (&call->request_body, "cloudrun-netsim\n", plan->request_size);
  sim_body_pump (&call->request_body, call->tls, conn);
}

static void
call_on_connected (SimTcpConn *conn, void *user)
{
  CloudRunCall *call = user;
  CloudRunRequest *r = cloudrun_call_request (call);

  if (call->racing && !cloudrun_call_attempt_connected (call, conn))
    return;
  call->opened_by = r->index + 1;
  call->n_path = 0;
  for (uint8_t i = 0; i < r->n_via; i++)  /* the DNS query is not conn's */
    if (r->via[i] != CLOUDRUN_HOP_DNS)
      call->path[call->n_path++] = r->via[i];
  call_send (call, conn);
}

static void
call_on_writable (SimTcpConn *conn, void *user)
{
  CloudRunCall *call = user;

  if (!call->finished && call->request_body.sent < call->request_body.size)
    sim_body_pump (&call->request_body, call->tls, conn);
}

static void
call_on_peer_closed (SimTcpConn *conn, void *user)
{
  CloudRunCall *call = user;

  (void) conn;
  if (call->kept)
    {
      call_drop_kept (call);    /* the server closed it while it waited */
      return;
    }
  if (!call->finished)
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                          "connection closed before a whole response");
}

static void
call_on_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  CloudRunCall *call = user;

  if (cloudrun_call_attempt_closed (call, conn, reason))
    return;
  call->conn = NULL;
  call->reusable = false;
  call_unpark (call);
  if (!call->finished)
    {
      if (reason == SIM_TCP_CLOSED_TIMEOUT)
        cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_TIMEOUT,
                              "TCP connection timed out (no SYN-ACK)");
      else
        cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                              "connection reset");
    }
  cloudrun_call_release_if_idle (call);
}

const SimTcpCallbacks cloudrun_call_tcp = {
  .connected = call_on_connected,
  .data = call_on_data,
  .peer_closed = call_on_peer_closed,
  .closed = call_on_closed,
  .writable = call_on_writable,
};

static void
cloudrun_call_connect (CloudRunCall *call, uint32_t addr)
{
  CloudRunRequester *caller = call->caller;
  CloudRunRequest *r = cloudrun_call_request (call);
  SimTime left = call->plan->timeout - (sim_world_now (caller->node->world)
                                        - r->start);

  call->retx_base = 0;          /* a new connection: all its own */
  if (call->plan->tls)
    call->conn = sim_tls_connect (call->tls, caller->host, 0, addr,
                                  call->plan->port, left > 0 ? left : 1,
                                  call->plan->host, &caller->tls_rng,
                                  &cloudrun_call_tcp, call, call->request);
  else
    call->conn = sim_tcp_connect (caller->host, 0, addr, call->plan->port,
                                  left > 0 ? left : 1, &cloudrun_call_tcp, call,
                                  call->request);
  if (call->conn == NULL)
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                          "no free ephemeral TCP port: 16,384 connections "
                          "of this caller to that address and port are "
                          "open");
}

static void cloudrun_call_query (CloudRunCall *call);

static void
call_dns_timeout (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunCall *call = target;

  (void) k; (void) arg; (void) u;
  if (!call->dns_pending || call->finished)
    return;
  if (call->dns_tries < CLOUDRUN_DNS_TRIES
      && !(call->dual && call->connecting))
    cloudrun_call_query (call);
  else if (!call->dual || !cloudrun_call_dual_dns_timeout (call))
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_DNS_FAILURE,
                          "no DNS answer after two tries");
}

/* Frees the call's DNS source port, if it holds one. */
static void
call_dns_release (CloudRunCall *call)
{
  CloudRunRequester *caller = call->caller;

  if (call->dns_port == 0)
    return;
  g_hash_table_remove (caller->dns_ports, GUINT_TO_POINTER (call->dns_port));
  if (caller->dns_free.n)
    sim_free_index_give (&caller->dns_free, call->dns_port - DNS_PORT_FIRST);
  call->dns_port = 0;
}

/* A free DNS source port of caller, at random: a few draws among all
 * ports, then (most are taken) one among the free ones counted. */
static uint16_t
dns_free_port (CloudRunRequester *caller)
{
  SimFreeIndex *fi = &caller->dns_free;
  GHashTableIter it;
  gpointer port;

  for (guint i = 0; i < DNS_PORT_TRIES; i++)
    {
      uint16_t p = (uint16_t) (DNS_PORT_FIRST
                               + sim_rng_below (&caller->dns_rng,
                                                DNS_PORT_COUNT));
      if (!g_hash_table_contains (caller->dns_ports, GUINT_TO_POINTER (p)))
        return p;
    }
  if (!fi->n)
    {
      sim_free_index_init (fi, DNS_PORT_COUNT);
      g_hash_table_iter_init (&it, caller->dns_ports);
      while (g_hash_table_iter_next (&it, &port, NULL))
        sim_free_index_take (fi, GPOINTER_TO_UINT (port) - DNS_PORT_FIRST);
    }
  return (uint16_t) (DNS_PORT_FIRST
                     + sim_free_index_nth_free (
                         fi, (uint32_t) sim_rng_below (
                               &caller->dns_rng, sim_free_index_n_free (fi))));
}

/* Draws a fresh id and a source port no other pending query of this
 * caller holds; false when every port is taken. */
static bool
call_dns_draw (CloudRunCall *call)
{
  CloudRunRequester *caller = call->caller;
  uint16_t port;

  if (g_hash_table_size (caller->dns_ports) >= DNS_PORT_COUNT)
    return false;
  port = dns_free_port (caller);
  call->dns_id = (uint16_t) sim_rng_below (&caller->dns_rng, 65536);
  call->dns_port = port;
  g_hash_table_insert (caller->dns_ports, GUINT_TO_POINTER (port), call);
  if (caller->dns_free.n)
    sim_free_index_take (&caller->dns_free, port - DNS_PORT_FIRST);
  return true;
}

void
cloudrun_call_send_query (CloudRunCall *call, uint16_t qtype, uint16_t id)
{
  CloudRunRequester *caller = call->caller;
  SimDnsMessage q;
  uint8_t buf[512];
  size_t n;

  memset (&q, 0, offsetof (SimDnsMessage, answers));  /* no answers */
  q.id = id;
  q.recursion_desired = true;
  q.qtype = qtype;

  g_strlcpy (q.qname, call->plan->host, sizeof q.qname);
  n = sim_dns_write (&q, buf, sizeof buf);
  g_assert (n > 0);
  sim_host_send_udp (caller->host, 0, caller->resolver, call->dns_port,
                     SIM_DNS_PORT, buf, (uint32_t) n, call->request);
}

/* Sends the query; a retry resends the same id from the same port, as a
 * stub resolver does, so the capture shows it as the retransmission it
 * is. */
static void
cloudrun_call_query (CloudRunCall *call)
{
  CloudRunRequester *caller = call->caller;

  if (call->dns_port == 0 && !call_dns_draw (call))
    {
      cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_DNS_FAILURE,
                            "no free UDP source port for the DNS query");
      return;
    }
  call->dns_pending = true;
  call->dns_tries++;
  if (call->dual)
    cloudrun_call_dual_query (call);
  else
    cloudrun_call_send_query (call, SIM_DNS_TYPE_A, call->dns_id);
  call->dns_timer = sim_kernel_schedule_in (caller_kernel (caller),
                                            CLOUDRUN_DNS_TIMEOUT,
                                            call_dns_timeout, call, NULL, 0);
}

void
cloudrun_call_dns_done (CloudRunCall *call)
{
  call->dns_pending = false;
  call_dns_release (call);
  sim_kernel_cancel (caller_kernel (call->caller), &call->dns_timer);
}

/* A DNS answer: to the port of a pending query, with its id. */
static void
caller_on_udp (SimHost *host, void *user, const SimFrame *frame,
               const SimPacket *packet)
{
  CloudRunRequester *caller = user;
  SimDnsMessage m;
  CloudRunCall *call;

  (void) host;
  (void) packet;
  if (frame->sport != SIM_DNS_PORT
      || !sim_dns_parse (frame->payload, frame->payload_len, &m)
      || !m.response)
    return;
  call = g_hash_table_lookup (caller->dns_ports,
                              GUINT_TO_POINTER (frame->dport));
  if (call == NULL || !call->dns_pending || call->finished)
    return;
  if (call->dual)
    {
      cloudrun_call_dual_answer (call, &m);
      return;
    }
  if (m.id != call->dns_id)
    return;
  cloudrun_call_dns_done (call);
  for (uint32_t i = 0; i < m.n_answers; i++)
    if (m.answers[i].type == SIM_DNS_TYPE_A)
      {
        cloudrun_call_connect (call, m.answers[i].a);
        return;
      }
  cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_DNS_FAILURE,
                        m.rcode == SIM_DNS_RCODE_NXDOMAIN
                        ? "DNS answered NXDOMAIN"
                        : "DNS answer has no address");
}

static void
call_deadline (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunCall *call = target;
  SimTcpConn *conn = call->conn;

  (void) k; (void) arg; (void) u;
  cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_TIMEOUT,
                        "no response before the traffic's timeout");
  /* finish asked for a FIN; a connection still there is reset. */
  if (conn && call->conn == conn)
    sim_tcp_abort (conn);
}

static CloudRunCall *
caller_take_call (CloudRunRequester *caller)
{
  CloudRunCall *call;

  if (caller->free_calls->len > 0)
    {
      guint last = caller->free_calls->len - 1;
      uint32_t slot = g_array_index (caller->free_calls, uint32_t, last);
      g_array_set_size (caller->free_calls, last);
      call = g_ptr_array_index (caller->calls, slot);
    }
  else
    {
      call = g_new0 (CloudRunCall, 1);
      call->caller = caller;
      call->slot = caller->calls->len;
      call->rx = g_byte_array_new ();
      call->tls = sim_tls_new ();
      g_ptr_array_add (caller->calls, call);
    }
  return call;
}

/* The request goes on a kept connection: said in its explanation, with
 * the request that opened it (whose steps show the path). */
static void
call_reuse (CloudRunCall *call)
{
  CloudRunRequester *caller = call->caller;
  CloudRunStep step = {
    .hop = caller->hop, .state = CLOUDRUN_STATE_REUSE_CONNECTION,
    .src = sim_tcp_conn_local_addr (call->conn),
    .dst = sim_tcp_conn_remote_addr (call->conn),
    .rule = sim_explain_internf (
      sim_world_explain (caller->node->world),
      "sent on the connection request %u opened (HTTP keep-alive: no DNS "
      "query, TCP or TLS handshake; its path is that request's)",
      call->opened_by),
  };

  sim_tcp_conn_set_request (call->conn, call->request);
  call->retx_base = sim_tcp_conn_retransmits (call->conn);
  cloudrun_request_step (caller->ledger, call->request, caller->node, &step);
  cloudrun_request_pass_path (caller->ledger, call->request, call->path,
                              call->n_path);
  call_send (call, call->conn);
}

static void
call_begin (CloudRunPlanCursor *cursor, uint64_t request)
{
  CloudRunRequester *caller = cursor->requester;
  SimKernel *k = caller_kernel (caller);
  const CloudRunTrafficPlan *plan = cursor->plan;
  CloudRunCall *call = cursor->idle->len > 0
                       ? g_ptr_array_index (cursor->idle, cursor->idle->len - 1)
                       : caller_take_call (caller);
  CloudRunStep step = { .hop = caller->hop, .state = caller->start_state };
  CloudRunRefusal refusal;

  call_unpark (call);
  call->cursor = cursor;
  call->plan = plan;
  call->request = (uint32_t) request;
  call->dns_tries = 0;
  call->dns_pending = call->finished = false;
  call->dual = cloudrun_call_host_dual (caller->host);
  call->connecting = call->told = false;  /* no order told yet */
  call->header_len = 0;
  call->body = 0;
  g_byte_array_set_size (call->rx, 0);
  cloudrun_ledger_begin (caller->ledger, (uint32_t) request);
  step.rule = plan->connect_only
    ? sim_explain_internf (sim_world_explain (caller->node->world),
                           "connect tcp://%s:%u (traffic %s)", plan->host,
                           plan->port, plan->name)
    : sim_explain_internf (sim_world_explain (caller->node->world),
                           "%s %s://%s%s (traffic %s)", plan->method,
                           plan->tls ? "https" : "http", plan->host,
                           plan->path, plan->name);
  step.src = caller->host->addrs[0];
  cloudrun_request_step (caller->ledger, call->request, caller->node, &step);
  call->deadline = sim_kernel_schedule_in (k, plan->timeout, call_deadline,
                                           call, NULL, 0);
  if (caller->gate && !caller->gate (caller->gate_user, plan, &refusal))
    {
      CloudRunStep no = { .hop = caller->hop,
                          .state = cloudrun_refusal_state (refusal.cause),
                          .rule = refusal.rule, .note = refusal.note,
                          .src = caller->host->addrs[0] };
      cloudrun_request_step (caller->ledger, call->request, caller->node, &no);
      cloudrun_request_decide (caller->ledger, call->request, refusal.verdict,
                               caller->hop, caller->node, refusal.cause);
      cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_PENDING, NULL);
      return;
    }
  if (call->conn)
    call_reuse (call);
  else if (plan->host_addr)
    cloudrun_call_connect (call, plan->host_addr);
  else
    cloudrun_call_query (call);
}

void
cloudrun_requester_init (CloudRunRequester *caller, SimNode *node, SimHost *host,
                      CloudRunLedger *ledger, CloudRunHopKind hop,
                      CloudRunState start_state, uint32_t resolver)
{
  memset (caller, 0, sizeof *caller);
  caller->node = node;
  caller->host = host;
  caller->ledger = ledger;
  caller->hop = hop;
  caller->start_state = start_state;
  caller->resolver = resolver;
  caller->plans = g_ptr_array_new ();
  caller->calls = g_ptr_array_new ();
  caller->free_calls = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  caller->scratch = g_byte_array_sized_new (REQUESTER_HEAD_MAX);
  g_byte_array_set_size (caller->scratch, REQUESTER_HEAD_MAX);
  caller->cursors = g_array_new (FALSE, TRUE, sizeof (CloudRunPlanCursor));
  caller->dns_ports = g_hash_table_new (NULL, NULL);
  sim_host_bind_udp (host, 0, caller_on_udp, caller);
  sim_rng_init (&caller->tls_rng, sim_world_seed (node->world), node->name,
                "tls");
}

void
cloudrun_requester_clear (CloudRunRequester *caller)
{
  if (!caller->calls)
    return;
  for (guint i = 0; i < caller->calls->len; i++)
    {
      CloudRunCall *call = g_ptr_array_index (caller->calls, i);
      g_byte_array_free (call->rx, TRUE);
      sim_tls_free (call->tls);
      cloudrun_call_attempts_free (call);
      g_free (call);
    }
  g_ptr_array_free (caller->calls, TRUE);
  g_ptr_array_free (caller->plans, TRUE);
  g_array_free (caller->free_calls, TRUE);
  g_byte_array_free (caller->scratch, TRUE);
  for (guint p = 0; p < caller->cursors->len; p++)
    {
      CloudRunPlanCursor *c = &g_array_index (caller->cursors,
                                              CloudRunPlanCursor, p);
      if (c->idle)
        g_ptr_array_free (c->idle, TRUE);
    }
  g_array_free (caller->cursors, TRUE);
  g_hash_table_destroy (caller->dns_ports);
  if (caller->dns_free.n)
    sim_free_index_clear (&caller->dns_free);
  caller->calls = NULL;
}

void
cloudrun_requester_add_traffic (CloudRunRequester *caller,
                             const CloudRunTrafficPlan *plan)
{
  g_ptr_array_add (caller->plans, (gpointer) plan);
}

/* Requests are scheduled one at a time: each start schedules the next
 * of its traffic, so the kernel holds one pending start per traffic. */
static void
plan_tick (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunPlanCursor *c = target;
  const CloudRunTrafficPlan *plan = c->plan;

  (void) arg; (void) u;
  call_begin (c, plan->first_request + c->next);
  if (++c->next >= plan->count)
    {
      while (c->idle->len > 0)  /* no request will take them */
        call_idle_timeout (k, g_ptr_array_index (c->idle, 0), NULL, 0);
      return;
    }
  c->at += plan->poisson ? sim_rng_exponential (&c->rng, plan->mean_interval)
                         : plan->interval;
  sim_kernel_schedule (k, c->at, plan_tick, c, NULL, 0);
}

void
cloudrun_requester_start (CloudRunRequester *caller)
{
  SimKernel *kernel = caller_kernel (caller);

  sim_rng_init (&caller->dns_rng, sim_world_seed (caller->node->world),
                caller->node->name, "dns");
  g_array_set_size (caller->cursors, caller->plans->len);
  for (guint p = 0; p < caller->plans->len; p++)
    {
      CloudRunPlanCursor *c = &g_array_index (caller->cursors,
                                              CloudRunPlanCursor, p);
      c->requester = caller;
      c->plan = g_ptr_array_index (caller->plans, p);
      if (!c->idle)
        c->idle = g_ptr_array_new ();
      c->next = 0;
      c->at = c->plan->start;
      /* One stream per traffic: adding one never moves another's draws. */
      sim_rng_init (&c->rng, sim_world_seed (caller->node->world),
                    caller->node->name, c->plan->name);
      if (c->plan->count > 0)
        sim_kernel_schedule (kernel, c->at, plan_tick, c, NULL, 0);
    }
}
