/* Tests for sim/tcp.c through sim/host.c: handshake, data both ways with
 * the callbacks a user sees, MSS-sized segments, FIN close, RST from a
 * closed port, SYN retransmission with back-off and the connect timeout,
 * go-back-N after a lost segment, data retransmissions that give up after
 * SIM_TCP_MAX_RETRIES, a lost FIN sent again, a handshake ACK of the
 * wrong number ignored, wire validity (parse and checksums),
 * sequence/ack consistency, abort, sequence-number wrap, reuse of
 * connection records over many sequential connections, and streaming:
 * a producer bounded by the send buffer, a receiver's backlog narrowing
 * the window (at most half of it in flight), the persist probe after a
 * lost window update.
 *
 * Where tshark is installed, Wireshark's TCP analysis reads the captures
 * too: silent on a healthy flow, retransmissions where a segment was lost.
 *
 * Shape (ns-3): client -- tap -- server. Client and server are test nodes
 * embedding SimHost; the tap forwards between its two ports, records the
 * parsed TCP header of every frame that crosses it, and can drop. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/body.h"
#include "sim/capture.h"
#include "sim/link.h"
#include "sim/host.h"
#include "sim/tcp.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define CLIENT_ADDR 0x0A000001u /* 10.0.0.1 */
#define SERVER_ADDR 0x0A000002u /* 10.0.0.2 */
#define HTTP_PORT 80u
#define REQUEST_ID 77u
#define SEQ_DIFF(a, b) ((int32_t) ((uint32_t) (a) - (uint32_t) (b)))

/* ---- host nodes ------------------------------------------------------- */

typedef struct {
  SimNode node;
  SimHost host;
  uint64_t not_for_host;        /* frames sim_host_receive refused */
} HostNode;

static void
host_node_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  HostNode *h = (HostNode *) self;

  if (!sim_host_receive (&h->host, port, packet))
    h->not_for_host++;
}

static void
host_node_clear (SimNode *self)
{
  sim_host_clear (&((HostNode *) self)->host);
}

static const SimNodeClass host_node_class = {
  "test-host", sizeof (HostNode), host_node_receive, NULL, NULL,
  host_node_clear,
};

static HostNode *
host_node_new (SimWorld *world, const char *name, uint32_t addr)
{
  HostNode *h = (HostNode *) sim_node_new (world, &host_node_class, name);

  sim_host_init (&h->host, &h->node, addr, sim_node_add_port (&h->node, "eth0"));
  return h;
}

/* ---- the tap ---------------------------------------------------------- */

typedef enum {
  TAP_FORWARD,                  /* everything passes */
  TAP_DROP_ALL,                 /* a black hole */
  TAP_DROP_FIRST_DATA,          /* the first client segment with payload */
  TAP_DROP_FIRST_UPDATE,        /* the server's first window update */
  TAP_DROP_CLIENT_DATA,         /* every client segment with payload */
  TAP_DROP_FIRST_FIN,           /* the client's first FIN */
  TAP_SKEW_HANDSHAKE_ACK,       /* the client's first ACK acks one more */
} TapPolicy;

/* One frame as the tap saw it. dir 0: client to server. */
typedef struct {
  SimTime time;
  unsigned dir;
  bool parsed, checksums_ok, dropped;
  uint32_t src, dst;
  SimTcpHeader tcp;
  uint32_t payload_len;
  uint32_t request_id;
} Seen;

typedef struct {
  SimNode node;
  TapPolicy policy;
  uint32_t last_ack;            /* of the server's last segment */
  uint16_t last_window;
  SimTime dropped_update_at;    /* TAP_DROP_FIRST_UPDATE; 0 none yet */
  GArray *log;                  /* Seen, owned */
  unsigned bad;                 /* frames that failed parse or checksums */
  bool dropped_data, dropped_fin, skewed_ack;
} Tap;

/* Adds one to the acknowledgment number of the TCP segment in packet
 * (Ethernet, IPv4 without options) and writes its checksum again. */
static void
skew_ack (SimPacket *packet, const SimFrame *f)
{
  uint8_t *t = packet->data + SIM_ETH_HLEN + SIM_IPV4_HLEN;
  uint32_t ack = f->tcp.ack + 1;
  uint16_t check;

  t[8] = (uint8_t) (ack >> 24);
  t[9] = (uint8_t) (ack >> 16);
  t[10] = (uint8_t) (ack >> 8);
  t[11] = (uint8_t) ack;
  t[16] = t[17] = 0;
  check = sim_checksum_l4 (f->src, f->dst, SIM_IPPROTO_TCP, t,
                           packet->len - SIM_ETH_HLEN - SIM_IPV4_HLEN);
  t[16] = (uint8_t) (check >> 8);
  t[17] = (uint8_t) check;
}

static void
tap_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  Tap *tap = (Tap *) self;
  SimFrame f;
  Seen s = { .time = sim_world_now (self->world), .dir = port->index,
             .request_id = packet->request_id };

  s.parsed = sim_frame_parse (packet->data, packet->len, &f)
             && f.ip != NULL && f.proto == SIM_IPPROTO_TCP;
  if (s.parsed)
    {
      s.checksums_ok = sim_frame_checksums_ok (&f);
      s.src = f.src;
      s.dst = f.dst;
      s.tcp = f.tcp;
      s.payload_len = f.payload_len;
    }
  if (!s.parsed || !s.checksums_ok)
    tap->bad++;
  if (tap->policy == TAP_DROP_ALL)
    s.dropped = true;
  else if (tap->policy == TAP_DROP_FIRST_DATA && !tap->dropped_data
           && s.dir == 0 && s.payload_len > 0)
    s.dropped = tap->dropped_data = true;
  else if (tap->policy == TAP_DROP_CLIENT_DATA && s.dir == 0
           && s.payload_len > 0)
    s.dropped = true;
  else if (tap->policy == TAP_DROP_FIRST_FIN && !tap->dropped_fin
           && s.dir == 0 && (s.tcp.flags & SIM_TCP_FIN))
    s.dropped = tap->dropped_fin = true;
  else if (tap->policy == TAP_SKEW_HANDSHAKE_ACK && !tap->skewed_ack
           && s.dir == 0 && s.tcp.flags == SIM_TCP_ACK)
    {
      tap->skewed_ack = true;
      s.tcp.ack++;
      skew_ack (packet, &f);
    }
  else if (tap->policy == TAP_DROP_FIRST_UPDATE && !tap->dropped_update_at
           && s.dir == 1 && s.payload_len == 0 && s.tcp.ack == tap->last_ack
           && s.tcp.window > tap->last_window
           && !(s.tcp.flags & (SIM_TCP_SYN | SIM_TCP_FIN)))
    {
      s.dropped = true;
      tap->dropped_update_at = s.time;
    }
  if (s.dir == 1)
    {
      tap->last_ack = s.tcp.ack;
      tap->last_window = s.tcp.window;
    }
  g_array_append_val (tap->log, s);
  if (s.dropped)
    sim_packet_release (sim_world_pool (self->world), packet);
  else
    sim_port_send (sim_node_port (self, !port->index), packet);
}

static void
tap_clear (SimNode *self)
{
  g_array_free (((Tap *) self)->log, TRUE);
}

static const SimNodeClass tap_class = {
  "tap", sizeof (Tap), tap_receive, NULL, NULL, tap_clear,
};

static const Seen *
seen (const Tap *tap, guint i)
{
  assert_true (i < tap->log->len);
  return &g_array_index (tap->log, Seen, i);
}

/* ---- the network ------------------------------------------------------ */

typedef struct {
  SimWorld *world;
  HostNode *client, *server;
  Tap *tap;
  SimLink *client_link, *server_link;
} Net;

static void
net_init_seed (Net *net, TapPolicy policy, const SimLinkParams *lp,
               uint64_t seed)
{
  SimWorld *w = sim_world_new (seed);

  net->world = w;
  net->client = host_node_new (w, "client", CLIENT_ADDR);
  net->server = host_node_new (w, "server", SERVER_ADDR);
  net->tap = (Tap *) sim_node_new (w, &tap_class, "tap");
  net->tap->policy = policy;
  net->tap->log = g_array_new (FALSE, TRUE, sizeof (Seen));
  sim_node_add_port (&net->tap->node, "client-side");
  sim_node_add_port (&net->tap->node, "server-side");
  net->client_link = sim_link_new (w, sim_node_port (&net->client->node, 0),
                                   sim_node_port (&net->tap->node, 0), lp,
                                   NULL);
  net->server_link = sim_link_new (w, sim_node_port (&net->tap->node, 1),
                                   sim_node_port (&net->server->node, 0), lp,
                                   NULL);
}

/* 1 ms each way per link, 1 Gb/s: one RTT is a little over 4 ms. */
static const SimLinkParams default_link = {
  .delay = SIM_MS, .rate_bps = 1000000000,
};

static void
net_init (Net *net, TapPolicy policy)
{
  net_init_seed (net, policy, &default_link, 1);
}

static void
net_clear (Net *net)
{
  assert_int_equal (net->client->not_for_host + net->server->not_for_host, 0);
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (net->world)), 0);
  sim_world_free (net->world);
}

/* ---- applications ----------------------------------------------------- */

/* One end's application: what it does, and a trace of what it saw. */
typedef struct {
  SimWorld *world;
  /* Behaviour. */
  const uint8_t *send_on_open;  /* sent when connected or accepted */
  uint32_t send_on_open_len;
  bool close_after_send;        /* close right after send_on_open */
  const uint8_t *reply;         /* sent once reply_after bytes arrived */
  uint32_t reply_len, reply_after;
  uint32_t close_after_bytes;   /* close once this many arrived; 0 never */
  uint32_t abort_after_bytes;   /* abort once this many arrived; 0 never */
  bool close_on_peer_closed;
  /* Observations. */
  GString *trace;               /* "connected;data N;...;closed OK;" */
  GByteArray *received;
  SimTcpConn *conn;             /* valid until closed() returns */
  uint32_t local_addr, remote_addr;
  uint16_t local_port, remote_port;
  uint32_t request_id;
  bool replied, closed;
  SimTcpCloseReason reason;
  SimTime opened_at, closed_at;
  uint32_t retransmits;         /* the connection's, at close */
} App;

static const char *const reason_names[] = {
  [SIM_TCP_CLOSED_OK] = "OK", [SIM_TCP_CLOSED_TIMEOUT] = "TIMEOUT",
  [SIM_TCP_CLOSED_RESET] = "RESET", [SIM_TCP_CLOSED_ABORTED] = "ABORTED",
};

static void
app_init (App *app, SimWorld *world)
{
  memset (app, 0, sizeof *app);
  app->world = world;
  app->trace = g_string_new (NULL);
  app->received = g_byte_array_new ();
}

static void
app_clear (App *app)
{
  g_string_free (app->trace, TRUE);
  g_byte_array_free (app->received, TRUE);
}

/* Connected (client) or accepted (server). */
static void
app_opened (App *app, SimTcpConn *conn)
{
  app->conn = conn;
  app->opened_at = sim_world_now (app->world);
  app->local_addr = sim_tcp_conn_local_addr (conn);
  app->remote_addr = sim_tcp_conn_remote_addr (conn);
  app->local_port = sim_tcp_conn_local_port (conn);
  app->remote_port = sim_tcp_conn_remote_port (conn);
  app->request_id = sim_tcp_conn_request (conn);
  if (app->send_on_open_len)
    sim_tcp_send (conn, app->send_on_open, app->send_on_open_len);
  if (app->close_after_send)
    sim_tcp_close (conn);
}

static void
app_connected (SimTcpConn *conn, void *user)
{
  App *app = user;

  g_string_append (app->trace, "connected;");
  app_opened (app, conn);
}

static void
app_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  App *app = user;

  assert_ptr_equal (conn, app->conn);
  g_string_append_printf (app->trace, "data %u;", len);
  g_byte_array_append (app->received, data, len);
  if (app->reply_len && !app->replied && app->received->len >= app->reply_after)
    {
      app->replied = true;
      sim_tcp_send (conn, app->reply, app->reply_len);
    }
  if (app->close_after_bytes && app->received->len >= app->close_after_bytes)
    sim_tcp_close (conn);
  if (app->abort_after_bytes && app->received->len >= app->abort_after_bytes)
    sim_tcp_abort (conn);
}

static void
app_peer_closed (SimTcpConn *conn, void *user)
{
  App *app = user;

  g_string_append (app->trace, "peer_closed;");
  if (app->close_on_peer_closed)
    sim_tcp_close (conn);
}

static void
app_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  App *app = user;

  assert_false (app->closed);
  g_string_append_printf (app->trace, "closed %s;", reason_names[reason]);
  app->closed = true;
  app->reason = reason;
  app->closed_at = sim_world_now (app->world);
  app->retransmits = sim_tcp_conn_retransmits (conn);
  app->conn = NULL;
}

static const SimTcpCallbacks app_callbacks = {
  app_connected, app_data, app_peer_closed, app_closed, NULL, NULL,
};

static void
app_accept (SimTcpConn *conn, void *user)
{
  App *app = user;

  g_string_append (app->trace, "accepted;");
  sim_tcp_conn_set_callbacks (conn, &app_callbacks, app);
  app_opened (app, conn);
}

/* Bytes i * 7 + 3 (mod 251): no period that a segment boundary could
 * hide. */
static uint8_t *
pattern_new (uint32_t len)
{
  uint8_t *p = g_malloc (len ? len : 1);

  for (uint32_t i = 0; i < len; i++)
    p[i] = (uint8_t) ((i * 7u + 3u) % 251u);
  return p;
}

/* ---- wire checks on the tap's log ------------------------------------- */

/* Every frame parsed as IPv4/TCP between the two hosts with good
 * checksums and the connection's request id. */
static void
check_wire (const Tap *tap, uint32_t request_id)
{
  assert_true (tap->log->len > 0);
  assert_int_equal (tap->bad, 0);
  for (guint i = 0; i < tap->log->len; i++)
    {
      const Seen *s = seen (tap, i);

      assert_true (s->parsed);
      assert_true (s->checksums_ok);
      assert_int_equal (s->src, s->dir == 0 ? CLIENT_ADDR : SERVER_ADDR);
      assert_int_equal (s->dst, s->dir == 0 ? SERVER_ADDR : CLIENT_ADDR);
      assert_int_equal (s->request_id, request_id);
      if (s->tcp.flags & SIM_TCP_SYN)
        assert_int_equal (s->tcp.mss, SIM_TCP_MSS);
      else
        assert_int_equal (s->tcp.mss, 0);
      assert_int_equal (s->tcp.window, SIM_TCP_WINDOW);
    }
}

/* Sequence space consumed by a segment. */
static uint32_t
seq_len (const Seen *s)
{
  return s->payload_len + !!(s->tcp.flags & SIM_TCP_SYN)
         + !!(s->tcp.flags & SIM_TCP_FIN);
}

/* A healthy flow, as Wireshark's TCP analysis wants it: per direction each
 * segment starts where the previous one ended (no gap, no retransmission);
 * every ACK is non-decreasing and never acknowledges what has not passed
 * the tap; at the end each side has acknowledged all of the other's
 * sequence space, FIN included. Returns the number of segments checked. */
static guint
check_sequence (const Tap *tap)
{
  uint32_t next[2] = { 0, 0 }, last_ack[2] = { 0, 0 };
  bool started[2] = { false, false }, acked[2] = { false, false };

  for (guint i = 0; i < tap->log->len; i++)
    {
      const Seen *s = seen (tap, i);
      unsigned d = s->dir;

      assert_false (s->dropped);
      assert_false (s->tcp.flags & SIM_TCP_RST);
      if (!started[d])
        {
          assert_true (s->tcp.flags & SIM_TCP_SYN);
          started[d] = true;
        }
      else if (s->tcp.seq != next[d])
        fail_msg ("frame %u (dir %u): seq %u, expected %u", i, d, s->tcp.seq,
                  next[d]);
      next[d] = s->tcp.seq + seq_len (s);
      if (s->tcp.flags & SIM_TCP_ACK)
        {
          assert_true (started[!d]);
          if (SEQ_DIFF (s->tcp.ack, next[!d]) > 0)
            fail_msg ("frame %u (dir %u): acks %u beyond %u", i, d,
                      s->tcp.ack, next[!d]);
          if (acked[d] && SEQ_DIFF (s->tcp.ack, last_ack[d]) < 0)
            fail_msg ("frame %u (dir %u): ack went back", i, d);
          last_ack[d] = s->tcp.ack;
          acked[d] = true;
        }
      else
        assert_true (i == 0 && (s->tcp.flags & SIM_TCP_SYN));
    }
  assert_true (acked[0] && acked[1]);
  assert_int_equal (last_ack[0], next[1]);
  assert_int_equal (last_ack[1], next[0]);
  return tap->log->len;
}

/* Frames in one direction carrying the given flag (0: any). */
static guint
count_frames (const Tap *tap, unsigned dir, uint8_t flag)
{
  guint n = 0;

  for (guint i = 0; i < tap->log->len; i++)
    if (seen (tap, i)->dir == dir && (flag == 0 || seen (tap, i)->tcp.flags & flag))
      n++;
  return n;
}

/* ---- one request/response exchange ------------------------------------ */

typedef struct {
  Net net;
  App client, server;
  uint8_t *request, *response;
} Exchange;

/* Client sends request_len bytes on connect; the server replies with
 * response_len bytes once the whole request is in and closes when the
 * client has; the client closes once the whole response is in. */
static void
exchange_init_seed (Exchange *x, TapPolicy policy, uint32_t request_len,
                    uint32_t response_len, uint64_t seed)
{
  net_init_seed (&x->net, policy, &default_link, seed);
  app_init (&x->client, x->net.world);
  app_init (&x->server, x->net.world);
  x->request = pattern_new (request_len);
  x->response = pattern_new (response_len);
  for (uint32_t i = 0; i < response_len; i++)
    x->response[i] ^= 0x5A;
  x->client.send_on_open = x->request;
  x->client.send_on_open_len = request_len;
  x->client.close_after_bytes = response_len;
  x->server.reply = x->response;
  x->server.reply_len = response_len;
  x->server.reply_after = request_len;
  x->server.close_on_peer_closed = true;
}

static void
exchange_init (Exchange *x, TapPolicy policy, uint32_t request_len,
               uint32_t response_len)
{
  exchange_init_seed (x, policy, request_len, response_len, 1);
}

static void
exchange_start (Exchange *x, uint16_t port)
{
  sim_tcp_listen (&x->net.server->host, HTTP_PORT, app_accept, &x->server);
  sim_tcp_connect (&x->net.client->host, 0, SERVER_ADDR, port, 10 * SIM_S,
                   &app_callbacks, &x->client, REQUEST_ID);
}

static void
exchange_clear (Exchange *x)
{
  app_clear (&x->client);
  app_clear (&x->server);
  g_free (x->request);
  g_free (x->response);
  net_clear (&x->net);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_tcp__handshake_then_data_both_ways (void **state)
{
  Exchange x;
  const Seen *syn, *synack, *ack;

  (void) state;
  exchange_init (&x, TAP_FORWARD, 6, 9);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, 60 * SIM_S);

  /* The callbacks each side saw, in order. */
  assert_string_equal (x.client.trace->str,
                       "connected;data 9;peer_closed;closed OK;");
  assert_string_equal (x.server.trace->str,
                       "accepted;data 6;peer_closed;closed OK;");
  assert_memory_equal (x.server.received->data, x.request, 6);
  assert_int_equal (x.server.received->len, 6);
  assert_memory_equal (x.client.received->data, x.response, 9);
  assert_int_equal (x.client.received->len, 9);
  /* Both ends name the same connection; the server took the request id. */
  assert_int_equal (x.client.local_addr, CLIENT_ADDR);
  assert_int_equal (x.client.remote_addr, SERVER_ADDR);
  assert_int_equal (x.client.remote_port, HTTP_PORT);
  assert_true (x.client.local_port >= 49152);
  assert_int_equal (x.server.local_addr, SERVER_ADDR);
  assert_int_equal (x.server.remote_addr, CLIENT_ADDR);
  assert_int_equal (x.server.local_port, HTTP_PORT);
  assert_int_equal (x.server.remote_port, x.client.local_port);
  assert_int_equal (x.client.request_id, REQUEST_ID);
  assert_int_equal (x.server.request_id, REQUEST_ID);
  assert_int_equal (x.client.retransmits + x.server.retransmits, 0);

  /* The three-way handshake on the wire. */
  syn = seen (x.net.tap, 0);
  synack = seen (x.net.tap, 1);
  ack = seen (x.net.tap, 2);
  assert_int_equal (syn->dir, 0);
  assert_int_equal (syn->tcp.flags, SIM_TCP_SYN);
  assert_int_equal (syn->tcp.sport, x.client.local_port);
  assert_int_equal (syn->tcp.dport, HTTP_PORT);
  assert_int_equal (synack->dir, 1);
  assert_int_equal (synack->tcp.flags, SIM_TCP_SYN | SIM_TCP_ACK);
  assert_int_equal (synack->tcp.ack, syn->tcp.seq + 1);
  assert_int_equal (ack->dir, 0);
  assert_true (ack->tcp.flags & SIM_TCP_ACK);
  assert_int_equal (ack->tcp.seq, syn->tcp.seq + 1);
  assert_int_equal (ack->tcp.ack, synack->tcp.seq + 1);
  /* The client was connected one RTT after its SYN left. */
  assert_int_equal (x.client.opened_at, 2 * (synack->time - syn->time));
  check_wire (x.net.tap, REQUEST_ID);
  check_sequence (x.net.tap);
  assert_int_equal (count_frames (x.net.tap, 0, SIM_TCP_FIN), 1);
  assert_int_equal (count_frames (x.net.tap, 1, SIM_TCP_FIN), 1);
  exchange_clear (&x);
}

/* Payload sizes around the MSS (odd lengths exercise the checksum's odd
 * byte): each arrives intact in ceil(n / MSS) segments of at most MSS
 * bytes, full ones first, PSH on the last; every frame is valid. */
static void
test_tcp__payload_arrives_intact_in_mss_segments (void **state)
{
  static const uint32_t sizes[] = { 1, 2, 1459, 1460, 1461, 2921, 10000,
                                    23360, 40000 };

  (void) state;
  for (size_t c = 0; c < N_ELEMENTS (sizes); c++)
    {
      uint32_t n = sizes[c], segments = (n + SIM_TCP_MSS - 1) / SIM_TCP_MSS;
      uint32_t data_seen = 0, bytes_seen = 0;
      Exchange x;

      exchange_init (&x, TAP_FORWARD, n, 3);
      exchange_start (&x, HTTP_PORT);
      sim_world_run (x.net.world, 60 * SIM_S);
      assert_int_equal (x.server.received->len, n);
      assert_memory_equal (x.server.received->data, x.request, n);
      assert_true (x.client.closed && x.client.reason == SIM_TCP_CLOSED_OK);
      assert_true (x.server.closed && x.server.reason == SIM_TCP_CLOSED_OK);
      for (guint i = 0; i < x.net.tap->log->len; i++)
        {
          const Seen *s = seen (x.net.tap, i);

          if (s->dir != 0 || s->payload_len == 0)
            continue;
          data_seen++;
          bytes_seen += s->payload_len;
          if (bytes_seen < n)
            {
              assert_int_equal (s->payload_len, SIM_TCP_MSS);
              assert_false (s->tcp.flags & SIM_TCP_PSH);
            }
          else
            assert_true (s->tcp.flags & SIM_TCP_PSH);
        }
      if (data_seen != segments)
        fail_msg ("%u bytes: %u data segments, expected %u", n, data_seen,
                  segments);
      assert_int_equal (bytes_seen, n);
      /* The link agrees with the tap. */
      assert_int_equal (sim_link_counters (x.net.client_link, 0)->rx_packets,
                        count_frames (x.net.tap, 0, 0));
      check_wire (x.net.tap, REQUEST_ID);
      check_sequence (x.net.tap);
      exchange_clear (&x);
    }
}

/* The client closes first: FIN, the server's FIN, the last ACK; both get
 * closed(OK), the server after the client; no timer outlives the
 * connection (the run ends with the last frame). */
static void
test_tcp__fin_close_from_client (void **state)
{
  Exchange x;
  const Seen *last;
  guint n, fin0 = 0, fin1 = 0;

  (void) state;
  exchange_init (&x, TAP_FORWARD, 100, 0);
  x.client.close_after_send = true;
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, SIM_TIME_MAX);

  assert_string_equal (x.client.trace->str, "connected;peer_closed;closed OK;");
  assert_string_equal (x.server.trace->str,
                       "accepted;data 100;peer_closed;closed OK;");
  n = x.net.tap->log->len;
  for (guint i = 0; i < n; i++)
    if (seen (x.net.tap, i)->tcp.flags & SIM_TCP_FIN)
      {
        if (seen (x.net.tap, i)->dir == 0)
          fin0 = i;
        else
          fin1 = i;
      }
  assert_true (fin0 > 0 && fin1 > fin0);   /* the client's FIN first */
  last = seen (x.net.tap, n - 1);
  assert_int_equal (last->dir, 0);
  assert_int_equal (last->tcp.flags, SIM_TCP_ACK);
  assert_int_equal (last->tcp.ack, seen (x.net.tap, fin1)->tcp.seq + 1);
  assert_true (x.client.closed_at < x.server.closed_at);
  assert_int_equal (x.server.closed_at, last->time + SIM_MS
                    + sim_link_serialization (default_link.rate_bps, 54));
  assert_int_equal (sim_world_now (x.net.world), x.server.closed_at);
  check_wire (x.net.tap, REQUEST_ID);
  check_sequence (x.net.tap);
  exchange_clear (&x);
}

/* Either side may close first, or both at once (the FINs cross); with
 * or without data still coming the other way, both get closed(OK), every
 * byte arrives, and the flow stays consistent. */
static void
test_tcp__close_orders (void **state)
{
  static const struct {
    const char *what;
    uint32_t request, response;
    bool client_closes_after_send;      /* half-close, then read */
    bool server_closes_after_reply;
    bool client_closes_on_peer_closed;
    bool server_closes_on_peer_closed;
    const char *client_trace, *server_trace;
  } cases[] = {
    { "client first, reply after its FIN", 300, 2000, true, false, false,
      true, "connected;data 1460;data 540;peer_closed;closed OK;",
      "accepted;data 300;peer_closed;closed OK;" },
    { "server first", 300, 2000, false, true, true, false,
      "connected;data 1460;data 540;peer_closed;closed OK;",
      "accepted;data 300;peer_closed;closed OK;" },
    /* The FIN waits behind what the flight limit holds back. */
    { "client first, more than a flight queued", 40000, 0, true, false,
      false, true, "connected;peer_closed;closed OK;", NULL },
    { "FINs cross", 0, 0, true, false, false, false,
      "connected;peer_closed;closed OK;", "accepted;peer_closed;closed OK;" },
  };

  (void) state;
  for (size_t c = 0; c < N_ELEMENTS (cases); c++)
    {
      Exchange x;

      exchange_init (&x, TAP_FORWARD, cases[c].request, cases[c].response);
      x.client.close_after_send = cases[c].client_closes_after_send;
      x.client.close_after_bytes = 0;
      x.client.close_on_peer_closed = cases[c].client_closes_on_peer_closed;
      x.server.close_after_bytes = cases[c].server_closes_after_reply
                                   ? cases[c].request : 0;
      x.server.close_on_peer_closed = cases[c].server_closes_on_peer_closed;
      if (cases[c].request == 0)
        x.server.close_after_send = true;
      exchange_start (&x, HTTP_PORT);
      sim_world_run (x.net.world, SIM_TIME_MAX);
      if (strcmp (x.client.trace->str, cases[c].client_trace) != 0
          || (cases[c].server_trace != NULL
              && strcmp (x.server.trace->str, cases[c].server_trace) != 0))
        fail_msg ("%s: client \"%s\", server \"%s\"", cases[c].what,
                  x.client.trace->str, x.server.trace->str);
      assert_int_equal (x.server.received->len, cases[c].request);
      assert_memory_equal (x.server.received->data, x.request,
                           cases[c].request);
      assert_int_equal (x.client.received->len, cases[c].response);
      assert_memory_equal (x.client.received->data, x.response,
                           cases[c].response);
      assert_int_equal (count_frames (x.net.tap, 0, SIM_TCP_FIN), 1);
      assert_int_equal (count_frames (x.net.tap, 1, SIM_TCP_FIN), 1);
      assert_int_equal (x.client.retransmits + x.server.retransmits, 0);
      check_wire (x.net.tap, REQUEST_ID);
      check_sequence (x.net.tap);
      exchange_clear (&x);
    }
}

/* Nobody listens on port 81: the server's host answers the SYN with
 * RST/ACK and the client gets closed(RESET) one RTT later. */
static void
test_tcp__connect_to_closed_port_is_reset (void **state)
{
  Exchange x;
  const Seen *syn, *rst;

  (void) state;
  exchange_init (&x, TAP_FORWARD, 10, 10);
  exchange_start (&x, 81);
  sim_world_run (x.net.world, SIM_TIME_MAX);

  assert_string_equal (x.client.trace->str, "closed RESET;");
  assert_string_equal (x.server.trace->str, "");
  assert_int_equal (x.net.tap->log->len, 2);
  syn = seen (x.net.tap, 0);
  rst = seen (x.net.tap, 1);
  assert_int_equal (syn->tcp.flags, SIM_TCP_SYN);
  assert_int_equal (syn->tcp.dport, 81);
  assert_int_equal (rst->dir, 1);
  assert_int_equal (rst->tcp.flags, SIM_TCP_RST | SIM_TCP_ACK);
  assert_int_equal (rst->tcp.ack, syn->tcp.seq + 1);
  assert_int_equal (rst->tcp.sport, 81);
  assert_int_equal (rst->tcp.dport, syn->tcp.sport);
  assert_true (rst->parsed && rst->checksums_ok);
  assert_int_equal (x.client.closed_at, 2 * (rst->time - syn->time));
  /* No SYN retransmission and no connect timeout afterwards. */
  assert_int_equal (sim_world_now (x.net.world), x.client.closed_at);
  assert_int_equal (x.client.retransmits, 0);
  exchange_clear (&x);
}

/* The path drops everything: the SYN goes out at 0, 1 s, 3 s, 7 s ...
 * (RTO 1 s, doubled each time), always with the same sequence number,
 * until closed(TIMEOUT) exactly at the connect timeout; nothing after. */
static void
test_tcp__syn_backoff_then_timeout (void **state)
{
  static const struct {
    SimTime timeout;
    SimTime syn_at[8];
    unsigned n_syn;
  } cases[] = {
    { 10 * SIM_S, { 0, 1 * SIM_S, 3 * SIM_S, 7 * SIM_S }, 4 },
    { 2 * SIM_S, { 0, 1 * SIM_S }, 2 },
    { 500 * SIM_MS, { 0 }, 1 },
    /* The deadline was scheduled first: at 7 s it wins over the RTO. */
    { 7 * SIM_S, { 0, 1 * SIM_S, 3 * SIM_S }, 3 },
    { 7 * SIM_S + 1, { 0, 1 * SIM_S, 3 * SIM_S, 7 * SIM_S }, 4 },
    { 60 * SIM_S, { 0, 1 * SIM_S, 3 * SIM_S, 7 * SIM_S, 15 * SIM_S,
                    31 * SIM_S }, 6 },
  };
  SimLinkParams instant = { 0 };

  (void) state;
  for (size_t c = 0; c < N_ELEMENTS (cases); c++)
    {
      Net net;
      App client;

      net_init_seed (&net, TAP_DROP_ALL, &instant, 1);
      app_init (&client, net.world);
      sim_tcp_connect (&net.client->host, 0, SERVER_ADDR, HTTP_PORT,
                       cases[c].timeout, &app_callbacks, &client, 5);
      sim_world_run (net.world, SIM_TIME_MAX);

      assert_string_equal (client.trace->str, "closed TIMEOUT;");
      if (client.closed_at != cases[c].timeout)
        fail_msg ("timeout %" G_GINT64_FORMAT ": closed at %" G_GINT64_FORMAT,
                  cases[c].timeout, client.closed_at);
      if (net.tap->log->len != cases[c].n_syn)
        fail_msg ("timeout %" G_GINT64_FORMAT ": %u SYNs, expected %u",
                  cases[c].timeout, net.tap->log->len, cases[c].n_syn);
      for (unsigned i = 0; i < cases[c].n_syn; i++)
        {
          const Seen *s = seen (net.tap, i);

          assert_int_equal (s->time, cases[c].syn_at[i]);
          assert_int_equal (s->tcp.flags, SIM_TCP_SYN);
          assert_int_equal (s->tcp.seq, seen (net.tap, 0)->tcp.seq);
          assert_int_equal (s->tcp.sport, seen (net.tap, 0)->tcp.sport);
          assert_true (s->parsed && s->checksums_ok);
        }
      assert_int_equal (client.retransmits, cases[c].n_syn - 1);
      assert_int_equal (sim_world_now (net.world), cases[c].timeout);
      assert_int_equal (sim_link_counters (net.server_link, 0)->tx_packets, 0);
      app_clear (&client);
      net_clear (&net);
    }
}

/* A host has SIM_TCP_EPHEMERAL_PORTS ports toward one address and port:
 * with all of them in connections (SYNs lost, so none ends), one more
 * connect returns NULL at once instead of searching for ever; another
 * port of the same server is still open to it. */
static void
test_tcp__ephemeral_ports_run_out_with_null (void **state)
{
  static const SimTcpCallbacks silent = { .connected = NULL };
  SimLinkParams instant = { 0 };
  Net net;

  (void) state;
  net_init_seed (&net, TAP_DROP_ALL, &instant, 1);
  for (uint32_t i = 0; i < SIM_TCP_EPHEMERAL_PORTS; i++)
    assert_non_null (sim_tcp_connect (&net.client->host, 0, SERVER_ADDR,
                                      HTTP_PORT, SIM_S, &silent,
                                      NULL, 5));
  assert_null (sim_tcp_connect (&net.client->host, 0, SERVER_ADDR, HTTP_PORT,
                                SIM_S, &silent, NULL, 5));
  assert_non_null (sim_tcp_connect (&net.client->host, 0, SERVER_ADDR,
                                    HTTP_PORT + 1, SIM_S, &silent,
                                    NULL, 5));
  sim_world_run (net.world, SIM_TIME_MAX);
  net_clear (&net);
}

/* The tap drops the first data segment once: the receiver keeps nothing
 * out of order, the sender resends from it one RTO (1 s) later, and the
 * 10,000 bytes arrive intact; the connection then closes normally. */
static void
test_tcp__lost_data_segment_is_retransmitted (void **state)
{
  Exchange x;
  const Seen *lost = NULL, *again = NULL;
  guint i;

  (void) state;
  exchange_init (&x, TAP_DROP_FIRST_DATA, 10000, 20);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, 60 * SIM_S);

  assert_int_equal (x.server.received->len, 10000);
  assert_memory_equal (x.server.received->data, x.request, 10000);
  assert_int_equal (x.client.received->len, 20);
  assert_string_equal (x.client.trace->str,
                       "connected;data 20;peer_closed;closed OK;");
  assert_string_equal (x.server.trace->str,
                       "accepted;data 1460;data 1460;data 1460;data 1460;"
                       "data 1460;data 1460;data 1240;peer_closed;closed OK;");
  assert_int_equal (x.client.retransmits, 1);
  for (i = 0; i < x.net.tap->log->len && !lost; i++)
    if (seen (x.net.tap, i)->dropped)
      lost = seen (x.net.tap, i);
  assert_non_null (lost);
  assert_int_equal (lost->payload_len, SIM_TCP_MSS);
  assert_int_equal (lost->tcp.seq, seen (x.net.tap, 0)->tcp.seq + 1);
  for (; i < x.net.tap->log->len && !again; i++)
    if (seen (x.net.tap, i)->dir == 0 && seen (x.net.tap, i)->tcp.seq == lost->tcp.seq
        && seen (x.net.tap, i)->payload_len > 0)
      again = seen (x.net.tap, i);
  assert_non_null (again);
  assert_int_equal (again->payload_len, SIM_TCP_MSS);
  /* One RTO after it was sent; the original had waited on the link behind
   * the handshake's last ACK (54 bytes), the copy did not. */
  assert_int_equal (again->time - lost->time,
                    SIM_S - sim_link_serialization (default_link.rate_bps, 54));
  check_wire (x.net.tap, REQUEST_ID);
  exchange_clear (&x);
}

/* The path loses every data segment: the sender resends the first one
 * SIM_TCP_MAX_RETRIES times, from the same sequence number, the RTO
 * doubling from 1 s up to SIM_TCP_RTO_MAX, then gives up with
 * closed(TIMEOUT) at the next timeout. */
static void
test_tcp__data_retransmissions_give_up (void **state)
{
  Exchange x;
  const Seen *first = NULL, *last = NULL;
  guint sent = 0;

  (void) state;
  exchange_init (&x, TAP_DROP_CLIENT_DATA, 100, 10);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, SIM_TIME_MAX);

  for (guint i = 0; i < x.net.tap->log->len; i++)
    {
      const Seen *s = seen (x.net.tap, i);
      SimTime gap;

      if (s->dir != 0 || s->payload_len == 0)
        continue;
      assert_true (s->dropped);
      if (!first)
        first = s;
      else
        {
          gap = MIN ((SimTime) SIM_S << (sent - 1), 60 * SIM_S);
          if (sent == 1)        /* the original waited behind the ACK */
            gap -= sim_link_serialization (default_link.rate_bps, 54);
          assert_int_equal (s->tcp.seq, first->tcp.seq);
          assert_int_equal (s->payload_len, 100);
          if (s->time - last->time != gap)
            fail_msg ("copy %u: %" G_GINT64_FORMAT " ns after the last, "
                      "expected %" G_GINT64_FORMAT, sent, s->time - last->time,
                      gap);
        }
      last = s;
      sent++;
    }
  assert_int_equal (sent, 1 + 8);       /* SIM_TCP_MAX_RETRIES copies */
  assert_string_equal (x.client.trace->str, "connected;closed TIMEOUT;");
  /* 60 s after the last copy left (the tap saw it one link later). */
  assert_true (x.client.closed_at - last->time > 59 * SIM_S);
  assert_true (x.client.closed_at - last->time < 60 * SIM_S);
  assert_int_equal (x.client.retransmits, 8 + 1);
  assert_string_equal (x.server.trace->str, "accepted;");
  exchange_clear (&x);
}

/* The client's FIN is lost: one RTO later (the 200 ms floor, after the
 * exchange's round trips were timed) the client sends it again, at the
 * same sequence number, and both ends close normally. */
static void
test_tcp__lost_fin_is_sent_again (void **state)
{
  Exchange x;
  const Seen *fin[2] = { NULL, NULL };
  guint n_fin = 0;

  (void) state;
  exchange_init (&x, TAP_DROP_FIRST_FIN, 100, 100);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, 60 * SIM_S);

  assert_true (x.net.tap->dropped_fin);
  assert_string_equal (x.client.trace->str,
                       "connected;data 100;peer_closed;closed OK;");
  assert_string_equal (x.server.trace->str,
                       "accepted;data 100;peer_closed;closed OK;");
  for (guint i = 0; i < x.net.tap->log->len; i++)
    {
      const Seen *s = seen (x.net.tap, i);

      if (s->dir == 0 && (s->tcp.flags & SIM_TCP_FIN) && n_fin < 2)
        fin[n_fin++] = s;
    }
  assert_int_equal (n_fin, 2);
  assert_true (fin[0]->dropped && !fin[1]->dropped);
  assert_int_equal (fin[1]->tcp.seq, fin[0]->tcp.seq);
  assert_int_equal (fin[1]->time - fin[0]->time, 200 * SIM_MS);
  assert_int_equal (x.client.retransmits, 1);
  exchange_clear (&x);
}

/* The client's ACK of the SYN-ACK acknowledges one byte too many: the
 * listener does not take it for the end of the handshake (RFC 9293
 * 3.10.7.4), but the one its SYN-ACK retransmission draws, one RTO
 * later; only then is the connection accepted. */
static void
test_tcp__handshake_needs_the_ack_of_our_syn (void **state)
{
  Exchange x;

  (void) state;
  exchange_init (&x, TAP_SKEW_HANDSHAKE_ACK, 0, 0);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, SIM_TIME_MAX);

  assert_true (x.net.tap->skewed_ack);
  assert_string_equal (x.client.trace->str, "connected;");
  assert_string_equal (x.server.trace->str, "accepted;");
  assert_int_equal (count_frames (x.net.tap, 1, SIM_TCP_SYN), 2);
  assert_true (x.server.opened_at > SIM_S);
  assert_true (x.server.opened_at < SIM_S + 10 * SIM_MS);
  exchange_clear (&x);
}

/* The client aborts from its data callback: it sends RST and gets
 * closed(ABORTED); the server gets closed(RESET). */
static void
test_tcp__abort_resets_the_peer (void **state)
{
  Exchange x;
  const Seen *rst;

  (void) state;
  exchange_init (&x, TAP_FORWARD, 5, 5);
  x.client.close_after_bytes = 0;
  x.client.abort_after_bytes = 5;
  x.server.close_on_peer_closed = false;
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, SIM_TIME_MAX);

  assert_string_equal (x.client.trace->str, "connected;data 5;closed ABORTED;");
  assert_string_equal (x.server.trace->str, "accepted;data 5;closed RESET;");
  rst = seen (x.net.tap, x.net.tap->log->len - 1);
  assert_int_equal (rst->dir, 0);
  assert_true (rst->tcp.flags & SIM_TCP_RST);
  assert_int_equal (count_frames (x.net.tap, 0, SIM_TCP_RST), 1);
  assert_int_equal (count_frames (x.net.tap, 1, SIM_TCP_RST), 0);
  assert_int_equal (sim_world_now (x.net.world), x.server.closed_at);
  check_wire (x.net.tap, REQUEST_ID);
  exchange_clear (&x);
}

/* Seed whose client host draws an initial sequence number in [lo, hi],
 * replaying sim/host.c's draws from the "client"/"host" stream: the
 * ephemeral port, the IPv4 id, then the first connection's ISS. The test
 * checks the SYN on the wire, so a change in that order fails loudly. */
static uint64_t
seed_with_client_iss (uint32_t lo, uint32_t hi)
{
  for (uint64_t seed = 1; seed < 100000000; seed++)
    {
      SimRng rng;
      uint32_t iss;

      sim_rng_init (&rng, seed, "client", "host");
      (void) sim_rng_below (&rng, 16384);
      (void) sim_rng_u32 (&rng);
      iss = sim_rng_u32 (&rng);
      if (iss >= lo && iss <= hi)
        return seed;
    }
  fail_msg ("no seed found");
  return 0;
}

/* Sequence numbers wrap at 2^32 and any ISS is legal: with the client's
 * ISS just below 2^32 (seed 79482: ISS 4294949718), the first ACK comes
 * before the wrap and fin_seq after it, so the ACK arithmetic must be
 * modular. 40,000 bytes arrive intact and both sides close cleanly. */
static void
test_tcp__sequence_wrap_keeps_transfer_intact (void **state)
{
  enum { N = 40000 };  /* more than one flight (16 MSS) */
  uint64_t seed = seed_with_client_iss (UINT32_MAX - 20000, UINT32_MAX - 3000);
  uint32_t iss, got;
  bool intact, client_ok, server_ok, wire_ok;
  Exchange x;

  (void) state;
  exchange_init_seed (&x, TAP_FORWARD, N, 3, seed);
  exchange_start (&x, HTTP_PORT);
  sim_world_run (x.net.world, 60 * SIM_S);

  /* Observe, then free, then assert: a failure leaks nothing. */
  iss = seen (x.net.tap, 0)->tcp.seq;
  got = x.server.received->len;
  intact = got == N && memcmp (x.server.received->data, x.request, N) == 0;
  client_ok = x.client.closed && x.client.reason == SIM_TCP_CLOSED_OK;
  server_ok = x.server.closed && x.server.reason == SIM_TCP_CLOSED_OK;
  wire_ok = x.net.tap->bad == 0;
  exchange_clear (&x);

  /* The premise: the client's sequence numbers wrap during the transfer. */
  assert_true (iss >= UINT32_MAX - 20000);
  if (!intact)
    fail_msg ("ISS %u: the server got %u of %u bytes", iss, got, (unsigned) N);
  assert_true (client_ok);
  assert_true (server_ok);
  assert_true (wire_ok);
}

/* ---- what Wireshark says ----------------------------------------------- */

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* Frames of a capture file that match a display filter. */
static guint
tshark_count (const char *tshark, const char *file, const char *filter)
{
  const char *argv[] = { tshark, "-r", file, "-Y", filter, "-T", "fields",
                         "-e", "frame.number", NULL };
  g_autofree char *out = NULL;
  int status = -1;
  guint n = 0;

  assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                             G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                             NULL, &status, NULL));
  assert_true (g_spawn_check_wait_status (status, NULL));
  for (const char *p = out; *p; p++)
    n += *p == '\n';
  return n;
}

/* Per-link pcaps (one copy of each frame per file, unlike the merged
 * pcapng where the tap's two links show every frame twice). */
static void
test_tcp__wireshark_analysis (void **state)
{
  static const struct {
    TapPolicy policy;
    uint32_t request, response;
    const char *link;           /* per-link pcap to read */
    const char *filter;
    guint expected;
  } cases[] = {
    { TAP_FORWARD, 30000, 20000, "client-eth0--tap-client-side",
      "tcp.analysis.flags", 0 },
    { TAP_FORWARD, 30000, 20000, "tap-server-side--server-eth0",
      "tcp.analysis.flags", 0 },
    /* Go-back-N resends all seven segments of the 10,000 bytes. */
    { TAP_DROP_FIRST_DATA, 10000, 20, "client-eth0--tap-client-side",
      "tcp.analysis.retransmission", 7 },
    { TAP_DROP_FIRST_DATA, 10000, 20, "tap-server-side--server-eth0",
      "tcp.analysis.lost_segment", 1 },
  };
  const char *env = g_getenv ("TSHARK");
  g_autofree char *tshark = env && *env ? g_strdup (env)
                                        : g_find_program_in_path ("tshark");
  SimCaptureOptions options = { .per_link_pcap = true };

  (void) state;
  if (tshark == NULL || !g_file_test (tshark, G_FILE_TEST_IS_EXECUTABLE))
    skip ();
  for (size_t c = 0; c < N_ELEMENTS (cases); c++)
    {
      g_autofree char *dir = g_dir_make_tmp ("test-tcp-XXXXXX", NULL);
      g_autofree char *name = g_strconcat (cases[c].link, ".pcap", NULL);
      g_autofree char *file = g_build_filename (dir, "pcap", name, NULL);
      SimCapture *capture;
      Exchange x;
      guint n;

      assert_non_null (dir);
      exchange_init (&x, cases[c].policy, cases[c].request, cases[c].response);
      capture = sim_capture_open (x.net.world, dir, &options, NULL);
      assert_non_null (capture);
      sim_world_set_tap (x.net.world, sim_capture_tap (capture));
      exchange_start (&x, HTTP_PORT);
      sim_world_run (x.net.world, 60 * SIM_S);
      sim_world_set_tap (x.net.world, NULL);
      assert_true (sim_capture_close (capture, NULL));
      assert_true (x.client.closed && x.client.reason == SIM_TCP_CLOSED_OK);
      exchange_clear (&x);
      n = tshark_count (tshark, file, cases[c].filter);
      rm_rf (dir);
      if (n != cases[c].expected)
        fail_msg ("%s: %u frames match %s, expected %u", cases[c].link, n,
                  cases[c].filter, cases[c].expected);
    }
}

/* ---- many sequential connections -------------------------------------- */

/* Opens a connection, exchanges 100 bytes each way, closes; 10 ms after
 * the client's closed() opens the next one, n times. */
typedef struct {
  Net net;
  App client, server;
  uint8_t payload[100];
  unsigned started, done, ok;
  GHashTable *client_conns, *server_conns;  /* distinct records seen */
  uint64_t pool_allocated, kernel_records;  /* after warm-up */
  unsigned n;
} Loop;

static void loop_connect (SimKernel *k, void *target, void *arg, uint64_t u);

static void
loop_client_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  Loop *loop = user;

  (void) conn;
  loop->done++;
  loop->ok += reason == SIM_TCP_CLOSED_OK;
  if (loop->done == 10)
    {
      loop->pool_allocated = sim_packet_pool_allocated (
        sim_world_pool (loop->net.world));
      loop->kernel_records = sim_kernel_allocated_records (
        sim_world_kernel (loop->net.world));
    }
  if (loop->started < loop->n)
    sim_kernel_schedule_in (sim_world_kernel (loop->net.world), 10 * SIM_MS,
                            loop_connect, loop, NULL, 0);
}

static void
loop_client_connected (SimTcpConn *conn, void *user)
{
  Loop *loop = user;

  sim_tcp_send (conn, loop->payload, sizeof loop->payload);
}

static void
loop_client_data (SimTcpConn *conn, void *user, const uint8_t *d, uint32_t n)
{
  (void) user; (void) d; (void) n;
  sim_tcp_close (conn);
}

static const SimTcpCallbacks loop_client_callbacks = {
  loop_client_connected, loop_client_data, NULL, loop_client_closed, NULL,
  NULL,
};

static void
loop_server_data (SimTcpConn *conn, void *user, const uint8_t *d, uint32_t n)
{
  (void) user;
  sim_tcp_send (conn, d, n);
}

static void
loop_server_peer_closed (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tcp_close (conn);
}

static const SimTcpCallbacks loop_server_callbacks = {
  NULL, loop_server_data, loop_server_peer_closed, NULL, NULL, NULL,
};

static void
loop_accept (SimTcpConn *conn, void *user)
{
  Loop *loop = user;

  g_hash_table_add (loop->server_conns, conn);
  sim_tcp_conn_set_callbacks (conn, &loop_server_callbacks, loop);
}

static void
loop_connect (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Loop *loop = target;
  SimTcpConn *conn;

  (void) k; (void) arg; (void) u;
  loop->started++;
  conn = sim_tcp_connect (&loop->net.client->host, 0, SERVER_ADDR, HTTP_PORT,
                          10 * SIM_S, &loop_client_callbacks, loop,
                          loop->started);
  g_hash_table_add (loop->client_conns, conn);
}

static void
test_tcp__sequential_connections_reuse_records (void **state)
{
  Loop loop;

  (void) state;
  memset (&loop, 0, sizeof loop);
  loop.n = 1000;
  net_init (&loop.net, TAP_FORWARD);
  loop.client_conns = g_hash_table_new (NULL, NULL);
  loop.server_conns = g_hash_table_new (NULL, NULL);
  sim_tcp_listen (&loop.net.server->host, HTTP_PORT, loop_accept, &loop);
  sim_kernel_schedule (sim_world_kernel (loop.net.world), 0, loop_connect,
                       &loop, NULL, 0);
  sim_world_run (loop.net.world, SIM_TIME_MAX);

  assert_int_equal (loop.started, 1000);
  assert_int_equal (loop.done, 1000);
  assert_int_equal (loop.ok, 1000);
  /* Each connection took the record the previous one gave back. */
  assert_int_equal (g_hash_table_size (loop.client_conns), 1);
  assert_int_equal (g_hash_table_size (loop.server_conns), 1);
  /* And nothing else grew after the first ten. */
  assert_int_equal (sim_packet_pool_allocated (sim_world_pool (loop.net.world)),
                    loop.pool_allocated);
  assert_int_equal (sim_kernel_allocated_records (
                      sim_world_kernel (loop.net.world)),
                    loop.kernel_records);
  assert_int_equal (loop.net.tap->bad, 0);
  g_hash_table_destroy (loop.client_conns);
  g_hash_table_destroy (loop.server_conns);
  net_clear (&loop.net);
}

/* ---- ownership -------------------------------------------------------- */

/* What the UDP handler saw: the request id beside the datagram. */
typedef struct {
  guint calls;
  uint32_t request_id;
  uint16_t dport;
} UdpSeen;

static void
udp_record (SimHost *host, void *user, const SimFrame *frame,
            const SimPacket *packet)
{
  UdpSeen *seen = user;

  (void) host;
  seen->calls++;
  seen->request_id = packet->request_id;
  seen->dport = frame->dport;
}

/* A whole frame: UDP from CLIENT_ADDR to dst:dport, or with ethertype not
 * IPv4, a bare Ethernet frame the host cannot parse as IPv4. */
static SimPacket *
udp_frame (SimWorld *world, uint16_t ethertype, uint32_t dst, uint16_t dport,
           uint32_t request_id)
{
  static const uint8_t mac[6];
  SimPacket *p = sim_packet_new (sim_world_pool (world));

  memcpy (sim_packet_append (p, 4), "ping", 4);
  sim_udp_push (p, CLIENT_ADDR, dst, 5353, dport);
  sim_ipv4_push (p, CLIENT_ADDR, dst, SIM_IPPROTO_UDP, 64, 1);
  sim_eth_push (p, mac, mac, ethertype);
  p->request_id = request_id;
  return p;
}

/* sim_host_receive takes every packet, consumed by its stack or not: the
 * pool is empty after each call (and ASan sees no leak or double free).
 * Its result says whether the stack consumed it; a bound UDP handler sees
 * the packet's request id. */
static void
test_tcp__host_receive_always_takes_the_packet (void **state)
{
  static const struct {
    uint16_t ethertype;
    uint32_t dst;
    uint16_t dport;
    bool consumed;
    guint handled;              /* UDP handler calls expected */
    uint64_t unmatched;         /* rx_unmatched expected */
  } cases[] = {
    { 0x88B5, SERVER_ADDR, 53, false, 0, 0 },   /* not IPv4 */
    { SIM_ETHERTYPE_IPV4, 0x0A000009, 53, false, 0, 0 }, /* not its address */
    { SIM_ETHERTYPE_IPV4, SERVER_ADDR, 53, true, 1, 0 }, /* bound port */
    { SIM_ETHERTYPE_IPV4, SERVER_ADDR, 54, true, 0, 1 }, /* unbound port */
  };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimWorld *w = sim_world_new (1);
      HostNode *h = host_node_new (w, "server", SERVER_ADDR);
      SimPacketPool *pool = sim_world_pool (w);
      UdpSeen seen = { 0 };
      SimPacket *p;

      sim_host_bind_udp (&h->host, 53, udp_record, &seen);
      p = udp_frame (w, cases[i].ethertype, cases[i].dst, cases[i].dport,
                     REQUEST_ID + (uint32_t) i);
      assert_int_equal (sim_packet_pool_in_use (pool), 1);
      if (sim_host_receive (&h->host, sim_node_port (&h->node, 0), p)
          != cases[i].consumed)
        fail_msg ("case %zu: consumed should be %d", i, cases[i].consumed);
      assert_int_equal (sim_packet_pool_in_use (pool), 0);
      assert_int_equal (seen.calls, cases[i].handled);
      if (cases[i].handled)
        {
          assert_int_equal (seen.request_id, REQUEST_ID + i);
          assert_int_equal (seen.dport, 53);
        }
      assert_int_equal (h->host.rx_unmatched, cases[i].unmatched);
      sim_world_free (w);
    }
}

/* ---- streaming -------------------------------------------------------- */

#define STREAM_SIZE (4u * 1024u * 1024u)
#define STREAM_PATTERN "streamed through the window\n"

/* A client that writes a pattern body only as the send buffer makes room,
 * and closes once all of it is queued. */
typedef struct {
  SimBody body;
  uint32_t max_buffered;        /* the most ever queued and unacked */
  bool closed;
} Producer;

static void
producer_pump (SimTcpConn *conn, Producer *p)
{
  if (p->body.sent == p->body.size)
    return;
  if (sim_body_pump (&p->body, NULL, conn))
    sim_tcp_close (conn);
  p->max_buffered = MAX (p->max_buffered, sim_tcp_send_buffered (conn));
}

static void
producer_connected (SimTcpConn *conn, void *user)
{
  producer_pump (conn, user);
}

static void
producer_writable (SimTcpConn *conn, void *user)
{
  producer_pump (conn, user);
}

static void
producer_peer_closed (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tcp_close (conn);
}

static void
producer_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  Producer *p = user;

  (void) conn;
  assert_int_equal (reason, SIM_TCP_CLOSED_OK);
  p->closed = true;
}

static const SimTcpCallbacks producer_callbacks = {
  producer_connected, NULL, producer_peer_closed, producer_closed,
  producer_writable, NULL,
};

/* A receiver that holds what it got (its backlog) and passes 8 KiB on
 * every 20 ms, telling TCP each time. */
typedef struct {
  SimWorld *world;
  SimTcpConn *conn;
  GByteArray *received;
  uint32_t held, max_held;
  uint32_t release_bytes;       /* passed on at a time (0: 8 KiB) */
  SimTime release_every;        /* (0: 20 ms) */
  bool peer_closed;
} Holder;

static SimTime
holder_period (const Holder *h)
{
  return h->release_every ? h->release_every : 20 * SIM_MS;
}

static void
holder_release (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Holder *h = target;

  (void) arg; (void) u;
  h->held -= MIN (h->held, h->release_bytes ? h->release_bytes : 8192u);
  if (h->conn)
    sim_tcp_window_update (h->conn);
  if (h->held > 0 || !h->peer_closed)
    sim_kernel_schedule_in (k, holder_period (h), holder_release, h, NULL, 0);
  else if (h->conn)
    sim_tcp_close (h->conn);
}

static void
holder_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  Holder *h = user;

  (void) conn;
  g_byte_array_append (h->received, data, len);
  h->held += len;
  h->max_held = MAX (h->max_held, h->held);
}

static void
holder_peer_closed (SimTcpConn *conn, void *user)
{
  Holder *h = user;

  (void) conn;
  h->peer_closed = true;
}

static void
holder_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  Holder *h = user;

  (void) conn;
  assert_int_equal (reason, SIM_TCP_CLOSED_OK);
  h->conn = NULL;
}

static uint32_t
holder_backlog (SimTcpConn *conn, void *user)
{
  (void) conn;
  return ((Holder *) user)->held;
}

static const SimTcpCallbacks holder_callbacks = {
  NULL, holder_data, holder_peer_closed, holder_closed, NULL, holder_backlog,
};

static void
holder_accept (SimTcpConn *conn, void *user)
{
  Holder *h = user;

  h->conn = conn;
  sim_tcp_conn_set_callbacks (conn, &holder_callbacks, h);
  sim_kernel_schedule_in (sim_world_kernel (h->world), holder_period (h),
                          holder_release, h, NULL, 0);
}

static void
check_stream (const GByteArray *received, uint32_t size)
{
  SimBody want;
  uint8_t *expected = g_malloc (size);

  sim_body_init (&want, STREAM_PATTERN, size);
  sim_body_read (&want, expected, size);
  assert_int_equal (received->len, size);
  assert_memory_equal (received->data, expected, size);
  g_free (expected);
}

/* Data segments from the client: all full size but the last. */
static void
check_full_segments (const Tap *tap, uint32_t size)
{
  uint32_t bytes = 0;

  for (guint i = 0; i < tap->log->len; i++)
    {
      const Seen *s = seen (tap, i);

      if (s->dir != 0 || s->payload_len == 0)
        continue;
      bytes += s->payload_len;
      if (bytes < size && s->payload_len != SIM_TCP_MSS)
        fail_msg ("frame %u: %u bytes at offset %u", i, s->payload_len,
                  bytes - s->payload_len);
    }
  assert_int_equal (bytes, size);
}

/* A 4 MiB body written from writable() never has more than
 * SIM_TCP_SNDBUF bytes queued, arrives intact in full segments, and the
 * ring a connection record keeps did not grow for it. */
static void
test_tcp__producer_streams_within_the_send_buffer (void **state)
{
  Net net;
  App server;
  Producer p = { .max_buffered = 0 };

  (void) state;
  net_init (&net, TAP_FORWARD);
  app_init (&server, net.world);
  server.close_on_peer_closed = true;
  sim_body_init (&p.body, STREAM_PATTERN, STREAM_SIZE);
  sim_tcp_listen (&net.server->host, HTTP_PORT, app_accept, &server);
  sim_tcp_connect (&net.client->host, 0, SERVER_ADDR, HTTP_PORT, 10 * SIM_S,
                   &producer_callbacks, &p, REQUEST_ID);
  sim_world_run (net.world, 600 * SIM_S);
  assert_true (p.closed);
  check_stream (server.received, STREAM_SIZE);
  assert_true (p.max_buffered > 0 && p.max_buffered <= SIM_TCP_SNDBUF);
  check_full_segments (net.tap, STREAM_SIZE);
  check_sequence (net.tap);
  app_clear (&server);
  net_clear (&net);
}

/* A receiver that holds bytes advertises SIM_TCP_WINDOW less what it
 * holds: the sender never sends past it, the window narrows but never
 * closes, window updates reopen it, and segments stay full size. */
static void
test_tcp__backlog_narrows_the_window (void **state)
{
  Net net;
  Holder h = { .held = 0 };
  Producer p = { .max_buffered = 0 };
  uint16_t min_window = SIM_TCP_WINDOW;
  guint updates = 0;
  uint32_t last_ack = 0, wnd_ack = 0;
  uint16_t wnd = 0;

  (void) state;
  net_init (&net, TAP_FORWARD);
  h.world = net.world;
  h.received = g_byte_array_new ();
  sim_body_init (&p.body, STREAM_PATTERN, 1024u * 1024u);
  sim_tcp_listen (&net.server->host, HTTP_PORT, holder_accept, &h);
  sim_tcp_connect (&net.client->host, 0, SERVER_ADDR, HTTP_PORT, 10 * SIM_S,
                   &producer_callbacks, &p, REQUEST_ID);
  sim_world_run (net.world, 600 * SIM_S);
  assert_true (p.closed);
  assert_null (h.conn);
  check_stream (h.received, 1024u * 1024u);
  assert_true (h.max_held <= SIM_TCP_WINDOW);
  assert_true (h.max_held > SIM_TCP_WINDOW / 2);
  for (guint i = 0; i < net.tap->log->len; i++)
    {
      const Seen *s = seen (net.tap, i);

      /* At most half the window in flight (past the last ACK the tap
       * passed), so a full segment always fits in what is left. */
      if (s->dir == 0 && s->payload_len > 1 && wnd_ack
          && SEQ_DIFF (s->tcp.seq + s->payload_len, wnd_ack) > wnd / 2)
        fail_msg ("frame %u: %d bytes in flight, window %u", i,
                  SEQ_DIFF (s->tcp.seq + s->payload_len, wnd_ack), wnd);
      if (s->dir != 1 || (s->tcp.flags & SIM_TCP_SYN))
        continue;
      wnd_ack = s->tcp.ack;
      wnd = s->tcp.window;
      min_window = MIN (min_window, s->tcp.window);
      if (s->payload_len == 0 && !(s->tcp.flags & SIM_TCP_FIN)
          && s->tcp.ack == last_ack)
        updates++;
      last_ack = s->tcp.ack;
    }
  assert_true (min_window > 0 && min_window < 2 * SIM_TCP_MSS);
  assert_true (updates > 0);
  check_full_segments (net.tap, 1024u * 1024u);
  check_sequence (net.tap);
  g_byte_array_free (h.received, TRUE);
  net_clear (&net);
}

/* A window update is lost while the sender waits on a narrow window: its
 * persist timer probes with one byte, the ACK carries the open window,
 * and data flows again long before the receiver's next update (3 s). */
static void
test_tcp__persist_probe_recovers_a_lost_window_update (void **state)
{
  Net net;
  Holder h = { .release_bytes = UINT32_MAX, .release_every = 3 * SIM_S };
  Producer p = { .max_buffered = 0 };
  const Seen *probe = NULL, *resumed = NULL;

  (void) state;
  net_init (&net, TAP_DROP_FIRST_UPDATE);
  h.world = net.world;
  h.received = g_byte_array_new ();
  sim_body_init (&p.body, STREAM_PATTERN, 256u * 1024u);
  sim_tcp_listen (&net.server->host, HTTP_PORT, holder_accept, &h);
  sim_tcp_connect (&net.client->host, 0, SERVER_ADDR, HTTP_PORT, 10 * SIM_S,
                   &producer_callbacks, &p, REQUEST_ID);
  sim_world_run (net.world, 600 * SIM_S);
  assert_true (p.closed);
  check_stream (h.received, 256u * 1024u);
  assert_true (net.tap->dropped_update_at > 0);
  for (guint i = 0; i < net.tap->log->len && !resumed; i++)
    {
      const Seen *s = seen (net.tap, i);

      if (s->dir != 0 || s->time <= net.tap->dropped_update_at)
        continue;
      if (s->payload_len == 1 && !probe)
        probe = s;
      else if (s->payload_len == SIM_TCP_MSS)
        resumed = s;
    }
  assert_non_null (probe);
  assert_non_null (resumed);
  assert_true (resumed->time - net.tap->dropped_update_at < 3 * SIM_S / 2);
  g_byte_array_free (h.received, TRUE);
  net_clear (&net);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_tcp__handshake_then_data_both_ways),
    cmocka_unit_test (test_tcp__payload_arrives_intact_in_mss_segments),
    cmocka_unit_test (test_tcp__fin_close_from_client),
    cmocka_unit_test (test_tcp__close_orders),
    cmocka_unit_test (test_tcp__connect_to_closed_port_is_reset),
    cmocka_unit_test (test_tcp__syn_backoff_then_timeout),
    cmocka_unit_test (test_tcp__ephemeral_ports_run_out_with_null),
    cmocka_unit_test (test_tcp__lost_data_segment_is_retransmitted),
    cmocka_unit_test (test_tcp__data_retransmissions_give_up),
    cmocka_unit_test (test_tcp__lost_fin_is_sent_again),
    cmocka_unit_test (test_tcp__handshake_needs_the_ack_of_our_syn),
    cmocka_unit_test (test_tcp__abort_resets_the_peer),
    cmocka_unit_test (test_tcp__sequence_wrap_keeps_transfer_intact),
    cmocka_unit_test (test_tcp__wireshark_analysis),
    cmocka_unit_test (test_tcp__sequential_connections_reuse_records),
    cmocka_unit_test (test_tcp__host_receive_always_takes_the_packet),
    cmocka_unit_test (test_tcp__producer_streams_within_the_send_buffer),
    cmocka_unit_test (test_tcp__backlog_narrows_the_window),
    cmocka_unit_test (test_tcp__persist_probe_recovers_a_lost_window_update),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
