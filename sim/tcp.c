/* TCP for SimHost (see sim/tcp.h for what it does and does not do).
 * Connections are found by (local addr, remote addr, local port, remote
 * port) in a hash table used for lookup only, never iterated, and come
 * from a free list with their send buffers kept, so a steady stream of
 * connections allocates nothing. Invariants: snd_una <= snd_nxt (mod 2^32);
 * sndbuf holds the bytes from data_start, which is snd_una unless our SYN
 * is still unacknowledged. */
#include "sim/tcp.h"

#include <string.h>

#define SEQ_LT(a, b) ((int32_t) ((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t) ((a) - (b)) <= 0)
#define SIM_TCP_FLIGHT_MAX (16u * SIM_TCP_MSS)
#define SIM_TCP_RTO_INITIAL SIM_S
#define SIM_TCP_RTO_MIN (200 * SIM_MS)
#define SIM_TCP_RTO_MAX (60 * SIM_S)
#define SIM_TCP_MAX_RETRIES 8u
#define SIM_TCP_MAX_LISTENERS 8u

typedef enum {
  TCP_SYN_SENT, TCP_SYN_RCVD, TCP_ESTABLISHED, TCP_DONE,
} SimTcpState;

typedef struct {
  uint32_t laddr, raddr;
  uint16_t lport, rport;
} SimTcpKey;

struct SimTcpConn {
  SimTcpKey key;                /* hash key; first so &conn->key == conn */
  SimTcp *tcp;                  /* owner */
  SimTcpState state;
  uint32_t iss, snd_una, snd_nxt, data_start;
  uint32_t rcv_nxt, last_ack_sent;
  uint32_t peer_wnd;
  uint16_t mss;                 /* min(ours, the peer's option) */
  GByteArray *sndbuf;           /* unacknowledged and unsent bytes */
  bool fin_queued, fin_sent, fin_acked, peer_fin;
  SimTimer rto_timer, deadline_timer;
  SimTime rto, srtt, rttvar;
  uint32_t rtt_seq;             /* segment timed for an RTT sample; 0 none */
  SimTime rtt_sent;
  uint32_t retransmits, retries;
  SimTcpCallbacks cb;
  void *user;
  uint32_t request_id;
  uint32_t flow_tag;            /* the opening SYN's packet->flow_tag */
  int busy;                     /* >0 while input runs; defers the free */
  bool dead;                    /* closed; freed when not busy */
  SimTcpConn *next_free;
};

struct SimTcp {
  SimHost *host;
  GHashTable *conns;            /* SimTcpKey* -> SimTcpConn*; lookup only */
  SimTcpConn *free_list;
  struct {
    uint16_t port;
    SimTcpAcceptFn fn;
    void *user;
  } listeners[SIM_TCP_MAX_LISTENERS];
  unsigned n_listeners;
};

static guint
sim_tcp_key_hash (gconstpointer p)
{
  const SimTcpKey *k = p;
  uint64_t h = ((uint64_t) k->laddr << 32 | k->raddr) * 0x9e3779b97f4a7c15u;

  h ^= ((uint64_t) k->lport << 16 | k->rport) * 0xc2b2ae3d27d4eb4fu;
  return (guint) (h ^ (h >> 32));
}

static gboolean
sim_tcp_key_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (SimTcpKey)) == 0;
}

SimTcp *
sim_tcp_new (SimHost *host)
{
  SimTcp *tcp = g_new0 (SimTcp, 1);

  tcp->host = host;
  tcp->conns = g_hash_table_new (sim_tcp_key_hash, sim_tcp_key_equal);
  return tcp;
}

static void
sim_tcp_conn_destroy (SimTcpConn *conn)
{
  g_byte_array_free (conn->sndbuf, TRUE);
  g_free (conn);
}

void
sim_tcp_free (SimTcp *tcp)
{
  GHashTableIter iter;
  gpointer value;

  if (!tcp)
    return;
  /* Teardown only: order does not matter here. */
  g_hash_table_iter_init (&iter, tcp->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sim_tcp_conn_destroy (value);
  while (tcp->free_list)
    {
      SimTcpConn *next = tcp->free_list->next_free;
      sim_tcp_conn_destroy (tcp->free_list);
      tcp->free_list = next;
    }
  g_hash_table_destroy (tcp->conns);
  g_free (tcp);
}

static SimKernel *
sim_tcp_kernel (SimTcp *tcp)
{
  return sim_world_kernel (tcp->host->node->world);
}

static SimTcpConn *
sim_tcp_conn_alloc (SimTcp *tcp, const SimTcpKey *key)
{
  SimTcpConn *conn = tcp->free_list;
  GByteArray *buf;

  if (conn)
    {
      tcp->free_list = conn->next_free;
      buf = conn->sndbuf;
      g_byte_array_set_size (buf, 0);
    }
  else
    {
      conn = g_new (SimTcpConn, 1);
      buf = g_byte_array_new ();
    }
  memset (conn, 0, sizeof *conn);
  conn->sndbuf = buf;
  conn->key = *key;
  conn->tcp = tcp;
  conn->mss = SIM_TCP_MSS;
  conn->peer_wnd = SIM_TCP_WINDOW;
  conn->rto = SIM_TCP_RTO_INITIAL;
  conn->iss = sim_rng_u32 (&tcp->host->rng);
  conn->snd_una = conn->iss;
  conn->snd_nxt = conn->iss + 1;
  conn->data_start = conn->iss + 1;
  g_hash_table_insert (tcp->conns, &conn->key, conn);
  return conn;
}

/* Ends the connection: callbacks once, then back to the free list unless
 * input processing still holds it. */
static void
sim_tcp_finish (SimTcpConn *conn, SimTcpCloseReason reason)
{
  SimTcp *tcp = conn->tcp;

  if (conn->dead)
    return;
  conn->dead = true;
  conn->state = TCP_DONE;
  sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->rto_timer);
  sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->deadline_timer);
  g_hash_table_remove (tcp->conns, &conn->key);
  if (conn->cb.closed)
    conn->cb.closed (conn, conn->user, reason);
  if (conn->busy == 0)
    {
      conn->next_free = tcp->free_list;
      tcp->free_list = conn;
    }
}

static void
sim_tcp_release_if_dead (SimTcpConn *conn)
{
  if (--conn->busy == 0 && conn->dead)
    {
      conn->next_free = conn->tcp->free_list;
      conn->tcp->free_list = conn;
    }
}

/* Builds and sends one segment with the given flags, sequence number and
 * payload taken from the send buffer at offset (len bytes). */
static void
sim_tcp_emit (SimTcpConn *conn, uint8_t flags, uint32_t seq,
              uint32_t offset, uint32_t len)
{
  SimHost *host = conn->tcp->host;
  SimPacket *packet = sim_packet_new (sim_world_pool (host->node->world));
  SimTcpHeader h = {
    .sport = conn->key.lport, .dport = conn->key.rport, .seq = seq,
    .flags = flags, .window = SIM_TCP_WINDOW,
  };

  if (flags & SIM_TCP_ACK)
    {
      h.ack = conn->rcv_nxt;
      conn->last_ack_sent = conn->rcv_nxt;
    }
  if (flags & SIM_TCP_SYN)
    h.mss = SIM_TCP_MSS;
  if (len)
    memcpy (sim_packet_append (packet, len), conn->sndbuf->data + offset, len);
  sim_tcp_push (packet, conn->key.laddr, conn->key.raddr, &h);
  packet->request_id = conn->request_id;
  packet->flow_tag = conn->flow_tag;
  sim_host_output (host, packet, conn->key.laddr, conn->key.raddr,
                   SIM_IPPROTO_TCP);
}

static void sim_tcp_rto_fire (SimKernel *k, void *target, void *arg,
                              uint64_t u);

static void
sim_tcp_arm_rto (SimTcpConn *conn)
{
  SimKernel *kernel = sim_tcp_kernel (conn->tcp);

  sim_kernel_cancel (kernel, &conn->rto_timer);
  conn->rto_timer = sim_kernel_schedule_in (kernel, conn->rto,
                                            sim_tcp_rto_fire, conn, NULL, 0);
}

static void
sim_tcp_send_syn (SimTcpConn *conn)
{
  uint8_t flags = SIM_TCP_SYN;

  if (conn->state == TCP_SYN_RCVD)
    flags |= SIM_TCP_ACK;
  sim_tcp_emit (conn, flags, conn->iss, 0, 0);
  sim_tcp_arm_rto (conn);
}

/* Sends what the flight allows, then FIN when everything queued is out. */
static void
sim_tcp_output (SimTcpConn *conn)
{
  uint32_t limit = MIN (conn->peer_wnd / 2, SIM_TCP_FLIGHT_MAX);
  bool sent = false;

  if (conn->state != TCP_ESTABLISHED)
    return;
  for (;;)
    {
      uint32_t offset = conn->snd_nxt - conn->data_start;
      uint32_t avail = conn->sndbuf->len - MIN (offset, conn->sndbuf->len);
      uint32_t flight = conn->snd_nxt - conn->snd_una;

      if (avail > 0 && flight < limit)
        {
          uint32_t n = MIN (MIN (avail, conn->mss), limit - flight);
          uint8_t flags = SIM_TCP_ACK | (n == avail ? SIM_TCP_PSH : 0);
          if (conn->rtt_seq == 0 && conn->retries == 0)
            {
              conn->rtt_seq = conn->snd_nxt + n;
              conn->rtt_sent = sim_kernel_now (sim_tcp_kernel (conn->tcp));
            }
          sim_tcp_emit (conn, flags, conn->snd_nxt, offset, n);
          conn->snd_nxt += n;
          sent = true;
          continue;
        }
      if (avail == 0 && conn->fin_queued && !conn->fin_sent)
        {
          sim_tcp_emit (conn, SIM_TCP_FIN | SIM_TCP_ACK, conn->snd_nxt, 0, 0);
          conn->snd_nxt++;
          conn->fin_sent = true;
          sent = true;
        }
      break;
    }
  if (sent && !sim_timer_pending (&conn->rto_timer))
    sim_tcp_arm_rto (conn);
}

static void
sim_tcp_rto_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  SimTcpConn *conn = target;

  (void) k; (void) arg; (void) u;
  conn->retransmits++;
  if (++conn->retries > SIM_TCP_MAX_RETRIES)
    {
      sim_tcp_finish (conn, SIM_TCP_CLOSED_TIMEOUT);
      return;
    }
  conn->rto = MIN (conn->rto * 2, SIM_TCP_RTO_MAX);
  conn->rtt_seq = 0;            /* Karn: no sample from a retransmission */
  if (conn->state == TCP_SYN_SENT || conn->state == TCP_SYN_RCVD)
    {
      sim_tcp_send_syn (conn);
      return;
    }
  /* Go back N: resend from the first unacknowledged byte. */
  conn->snd_nxt = conn->snd_una;
  if (conn->fin_sent && !conn->fin_acked)
    conn->fin_sent = false;
  sim_tcp_output (conn);
  if (!sim_timer_pending (&conn->rto_timer))
    sim_tcp_arm_rto (conn);
}

static void
sim_tcp_deadline_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  SimTcpConn *conn = target;

  (void) k; (void) arg; (void) u;
  if (conn->state == TCP_SYN_SENT)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_TIMEOUT);
}

SimTcpConn *
sim_tcp_connect (SimHost *host, uint32_t src, uint32_t dst, uint16_t dport,
                 SimTime connect_timeout, const SimTcpCallbacks *callbacks,
                 void *user, uint32_t request_id)
{
  SimTcpKey key = { src ? src : sim_host_source_for (host, dst), dst, 0,
                    dport };
  SimTcpConn *conn;

  do
    key.lport = sim_host_ephemeral_port (host);
  while (g_hash_table_contains (host->tcp->conns, &key));
  conn = sim_tcp_conn_alloc (host->tcp, &key);
  conn->state = TCP_SYN_SENT;
  conn->cb = *callbacks;
  conn->user = user;
  conn->request_id = request_id;
  conn->deadline_timer =
    sim_kernel_schedule_in (sim_tcp_kernel (host->tcp), connect_timeout,
                            sim_tcp_deadline_fire, conn, NULL, 0);
  sim_tcp_send_syn (conn);
  return conn;
}

void
sim_tcp_listen (SimHost *host, uint16_t port, SimTcpAcceptFn accept,
                void *user)
{
  SimTcp *tcp = host->tcp;

  g_assert (tcp->n_listeners < SIM_TCP_MAX_LISTENERS);
  tcp->listeners[tcp->n_listeners].port = port;
  tcp->listeners[tcp->n_listeners].fn = accept;
  tcp->listeners[tcp->n_listeners].user = user;
  tcp->n_listeners++;
}

void
sim_tcp_conn_set_callbacks (SimTcpConn *conn, const SimTcpCallbacks *cb,
                            void *user)
{
  conn->cb = *cb;
  conn->user = user;
}

void
sim_tcp_send (SimTcpConn *conn, const uint8_t *data, uint32_t len)
{
  g_assert (!conn->fin_queued && !conn->dead);
  g_byte_array_append (conn->sndbuf, data, len);
  sim_tcp_output (conn);
}

void
sim_tcp_close (SimTcpConn *conn)
{
  if (conn->dead || conn->fin_queued)
    return;
  conn->fin_queued = true;
  sim_tcp_output (conn);
}

void
sim_tcp_abort (SimTcpConn *conn)
{
  if (conn->dead)
    return;
  if (conn->state != TCP_SYN_SENT)
    sim_tcp_emit (conn, SIM_TCP_RST | SIM_TCP_ACK, conn->snd_nxt, 0, 0);
  sim_tcp_finish (conn, SIM_TCP_CLOSED_ABORTED);
}

void sim_tcp_conn_set_request (SimTcpConn *c, uint32_t r) { c->request_id = r; }
uint32_t sim_tcp_conn_flow_tag (const SimTcpConn *c) { return c->flow_tag; }
uint32_t sim_tcp_conn_request (const SimTcpConn *c) { return c->request_id; }
uint32_t sim_tcp_conn_local_addr (const SimTcpConn *c) { return c->key.laddr; }
uint32_t sim_tcp_conn_remote_addr (const SimTcpConn *c) { return c->key.raddr; }
uint16_t sim_tcp_conn_local_port (const SimTcpConn *c) { return c->key.lport; }
uint16_t sim_tcp_conn_remote_port (const SimTcpConn *c) { return c->key.rport; }
uint32_t sim_tcp_conn_retransmits (const SimTcpConn *c) { return c->retransmits; }

/* Replies to a segment that belongs to no connection (RFC 793 reset). */
static void
sim_tcp_reset_unknown (SimTcp *tcp, const SimFrame *f, uint32_t flow_tag)
{
  SimHost *host = tcp->host;
  SimPacket *packet;
  SimTcpHeader h = { .sport = f->dport, .dport = f->sport, .window = 0 };

  if (f->tcp.flags & SIM_TCP_RST)
    return;
  if (f->tcp.flags & SIM_TCP_ACK)
    {
      h.seq = f->tcp.ack;
      h.flags = SIM_TCP_RST;
    }
  else
    {
      h.ack = f->tcp.seq + f->payload_len
              + !!(f->tcp.flags & SIM_TCP_SYN) + !!(f->tcp.flags & SIM_TCP_FIN);
      h.flags = SIM_TCP_RST | SIM_TCP_ACK;
    }
  packet = sim_packet_new (sim_world_pool (host->node->world));
  packet->flow_tag = flow_tag;
  sim_tcp_push (packet, f->dst, f->src, &h);
  sim_host_output (host, packet, f->dst, f->src, SIM_IPPROTO_TCP);
}

static void
sim_tcp_accept_syn (SimTcp *tcp, const SimFrame *f, const SimTcpKey *key,
                    uint32_t request_id, uint32_t flow_tag)
{
  for (unsigned i = 0; i < tcp->n_listeners; i++)
    if (tcp->listeners[i].port == f->dport)
      {
        SimTcpConn *conn = sim_tcp_conn_alloc (tcp, key);
        conn->state = TCP_SYN_RCVD;
        conn->request_id = request_id;
        conn->flow_tag = flow_tag;
        conn->rcv_nxt = f->tcp.seq + 1;
        if (f->tcp.mss && f->tcp.mss < conn->mss)
          conn->mss = f->tcp.mss;
        conn->peer_wnd = f->tcp.window;
        conn->user = tcp->listeners[i].user; /* until accept sets its own */
        sim_tcp_send_syn (conn);
        return;
      }
  sim_tcp_reset_unknown (tcp, f, flow_tag);
}

static void
sim_tcp_rtt_sample (SimTcpConn *conn)
{
  SimTime r = sim_kernel_now (sim_tcp_kernel (conn->tcp)) - conn->rtt_sent;

  if (conn->srtt == 0)
    {
      conn->srtt = r;
      conn->rttvar = r / 2;
    }
  else
    {
      SimTime err = conn->srtt > r ? conn->srtt - r : r - conn->srtt;
      conn->rttvar = (3 * conn->rttvar + err) / 4;
      conn->srtt = (7 * conn->srtt + r) / 8;
    }
  conn->rto = MAX (SIM_TCP_RTO_MIN, conn->srtt + 4 * conn->rttvar);
  conn->rtt_seq = 0;
}

/* Processes the acknowledgement field of a segment on an open connection. */
static void
sim_tcp_process_ack (SimTcpConn *conn, const SimFrame *f)
{
  uint32_t ack = f->tcp.ack;
  uint32_t fin_seq = conn->data_start + conn->sndbuf->len;
  uint32_t data_acked;

  conn->peer_wnd = f->tcp.window;
  if (!(f->tcp.flags & SIM_TCP_ACK) || !SEQ_LT (conn->snd_una, ack)
      || SEQ_LT (conn->snd_nxt, ack))
    return;
  data_acked = (SEQ_LT (ack, fin_seq) ? ack : fin_seq) - conn->snd_una;
  if (conn->fin_sent && ack == fin_seq + 1)
    conn->fin_acked = true;
  g_byte_array_remove_range (conn->sndbuf, 0, data_acked);
  conn->data_start += data_acked;
  conn->snd_una = ack;
  conn->retries = 0;
  if (conn->rtt_seq && SEQ_LEQ (conn->rtt_seq, ack))
    sim_tcp_rtt_sample (conn);
  if (conn->snd_una == conn->snd_nxt)
    sim_kernel_cancel (sim_tcp_kernel (conn->tcp), &conn->rto_timer);
  else
    sim_tcp_arm_rto (conn);
}

/* Handshake states; returns true when the segment needs no more work. */
static bool
sim_tcp_handshake (SimTcp *tcp, SimTcpConn *conn, const SimFrame *f)
{
  uint8_t fl = f->tcp.flags;

  if (conn->state == TCP_SYN_SENT)
    {
      if ((fl & (SIM_TCP_SYN | SIM_TCP_ACK)) != (SIM_TCP_SYN | SIM_TCP_ACK)
          || f->tcp.ack != conn->iss + 1)
        return true;
      conn->rcv_nxt = f->tcp.seq + 1;
      if (f->tcp.mss && f->tcp.mss < conn->mss)
        conn->mss = f->tcp.mss;
      conn->peer_wnd = f->tcp.window;
      conn->snd_una = conn->iss + 1;
      conn->state = TCP_ESTABLISHED;
      conn->retries = 0;
      conn->rto = SIM_TCP_RTO_INITIAL;
      sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->rto_timer);
      sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->deadline_timer);
      sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
      if (conn->cb.connected)
        conn->cb.connected (conn, conn->user);
      sim_tcp_output (conn);
      return true;
    }
  if (conn->state == TCP_SYN_RCVD)
    {
      if (fl & SIM_TCP_SYN)
        {
          sim_tcp_send_syn (conn);   /* our SYN-ACK was lost */
          return true;
        }
      if (!(fl & SIM_TCP_ACK) || f->tcp.ack != conn->iss + 1)
        return true;
      conn->snd_una = conn->iss + 1;
      conn->state = TCP_ESTABLISHED;
      conn->retries = 0;
      conn->rto = SIM_TCP_RTO_INITIAL;
      sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->rto_timer);
      for (unsigned i = 0; i < tcp->n_listeners; i++)
        if (tcp->listeners[i].port == conn->key.lport)
          tcp->listeners[i].fn (conn, tcp->listeners[i].user);
    }
  return false;
}

static void
sim_tcp_established_input (SimTcpConn *conn, const SimFrame *f)
{
  uint8_t fl = f->tcp.flags;
  bool unaccepted = false;      /* out of order or duplicate: dup ACK */

  if (fl & SIM_TCP_SYN)
    {
      /* A retransmitted SYN-ACK: our ACK was lost. */
      sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
      return;
    }
  sim_tcp_process_ack (conn, f);
  if (f->payload_len > 0)
    {
      if (f->tcp.seq == conn->rcv_nxt && !conn->peer_fin)
        {
          conn->rcv_nxt += f->payload_len;
          if (conn->cb.data)
            conn->cb.data (conn, conn->user, f->payload, f->payload_len);
          if (conn->dead)
            return;
        }
      else
        unaccepted = true;
    }
  if ((fl & SIM_TCP_FIN) && !unaccepted)
    {
      if (!conn->peer_fin && f->tcp.seq + f->payload_len == conn->rcv_nxt)
        {
          conn->rcv_nxt++;
          conn->peer_fin = true;
          if (conn->cb.peer_closed)
            conn->cb.peer_closed (conn, conn->user);
          if (conn->dead)
            return;
        }
      else
        unaccepted = true;
    }
  sim_tcp_output (conn);
  if (conn->last_ack_sent != conn->rcv_nxt || unaccepted)
    sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
  if (conn->fin_acked && conn->peer_fin)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_OK);
}

void
sim_tcp_input (SimTcp *tcp, const SimFrame *f, uint32_t request_id,
               uint32_t flow_tag)
{
  SimTcpKey key = { f->dst, f->src, f->dport, f->sport };
  SimTcpConn *conn = g_hash_table_lookup (tcp->conns, &key);

  if (!conn)
    {
      if ((f->tcp.flags & (SIM_TCP_SYN | SIM_TCP_ACK | SIM_TCP_RST))
          == SIM_TCP_SYN)
        sim_tcp_accept_syn (tcp, f, &key, request_id, flow_tag);
      else
        sim_tcp_reset_unknown (tcp, f, flow_tag);
      return;
    }
  conn->busy++;
  if (f->tcp.flags & SIM_TCP_RST)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_RESET);
  else if (!sim_tcp_handshake (tcp, conn, f) && !conn->dead)
    sim_tcp_established_input (conn, f);
  sim_tcp_release_if_dead (conn);
}
