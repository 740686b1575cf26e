/* The send side of TCP (see sim/tcp.h): the bounded send buffer, segment
 * output within the peer's window, the window we advertise, ACK
 * processing and retransmission by timer. */
#include "sim/tcp-private.h"

#include <string.h>

/* ---- The send buffer ---------------------------------------------- */

/* A new ring's bytes, a power of two: most connections send a request or
 * an answer of a few hundred bytes, so it starts small and doubles as a
 * writer needs (sim_tcp_send_space still allows SIM_TCP_SNDBUF). With
 * 10,000 requests in flight a run's peak memory halves. */
#define TCP_RING_INITIAL 512u

void
sim_tcp_ring_init (SimTcpRing *ring)
{
  ring->cap = TCP_RING_INITIAL;
  ring->data = g_malloc (ring->cap);
  ring->head = ring->len = 0;
}

void
sim_tcp_ring_free (SimTcpRing *ring)
{
  g_free (ring->data);
  ring->data = NULL;
}

/* Copies n bytes from offset (< len) of the buffered bytes to out. */
static void
ring_read (const SimTcpRing *ring, uint32_t offset, uint8_t *out, uint32_t n)
{
  uint32_t at = (ring->head + offset) & (ring->cap - 1);
  uint32_t first = MIN (n, ring->cap - at);

  memcpy (out, ring->data + at, first);
  memcpy (out + first, ring->data, n - first);
}

/* Doubles the ring until n more bytes fit (a writer past the space). */
static void
ring_grow (SimTcpRing *ring, uint32_t n)
{
  uint32_t cap = ring->cap;
  uint8_t *data;

  g_assert (n <= UINT32_MAX / 2 - ring->len);
  while (cap - ring->len < n)
    cap *= 2;
  data = g_malloc (cap);
  ring_read (ring, 0, data, ring->len);
  g_free (ring->data);
  ring->data = data;
  ring->cap = cap;
  ring->head = 0;
}

static void
ring_append (SimTcpRing *ring, const uint8_t *in, uint32_t n)
{
  uint32_t at, first;

  if (ring->cap - ring->len < n)
    ring_grow (ring, n);
  at = (ring->head + ring->len) & (ring->cap - 1);
  first = MIN (n, ring->cap - at);
  memcpy (ring->data + at, in, first);
  memcpy (ring->data, in + first, n - first);
  ring->len += n;
}

static void
ring_consume (SimTcpRing *ring, uint32_t n)
{
  ring->head = (ring->head + n) & (ring->cap - 1);
  ring->len -= n;
}

/* ---- Segments ----------------------------------------------------- */

/* The receive window: what the application has not passed on yet
 * (callbacks.backlog) is taken from it. */
uint32_t
sim_tcp_rcv_window (SimTcpConn *conn)
{
  uint32_t held = conn->cb.backlog ? conn->cb.backlog (conn, conn->user) : 0;

  return held < SIM_TCP_WINDOW ? SIM_TCP_WINDOW - held : 0;
}

void
sim_tcp_emit (SimTcpConn *conn, uint8_t flags, uint32_t seq,
              uint32_t offset, uint32_t len)
{
  SimHost *host = conn->tcp->host;
  SimPacket *packet = sim_packet_new (sim_world_pool (host->node->world));
  SimTcpHeader h = {
    .sport = conn->key.lport, .dport = conn->key.rport, .seq = seq,
    .flags = flags, .window = (uint16_t) sim_tcp_rcv_window (conn),
  };

  conn->last_wnd_sent = h.window;
  if (flags & SIM_TCP_ACK)
    {
      h.ack = conn->rcv_nxt;
      conn->last_ack_sent = conn->rcv_nxt;
    }
  if (flags & SIM_TCP_SYN)
    h.mss = sim_tcp_own_mss (&conn->key);
  if (len)
    ring_read (&conn->sndbuf, offset, sim_packet_append (packet, len), len);
  packet->request_id = conn->request_id;
  packet->flow_tag = conn->flow_tag;
  packet->origin = conn->origin;
  sim_tcp_segment_out (conn->tcp, &conn->key, packet, &h);
}

static void sim_tcp_rto_fire (SimKernel *k, void *target, void *arg,
                              uint64_t u);

void
sim_tcp_arm_rto (SimTcpConn *conn)
{
  SimKernel *kernel = sim_tcp_kernel (conn->tcp);

  sim_kernel_cancel (kernel, &conn->rto_timer);
  conn->rto_timer = sim_kernel_schedule_in (kernel, conn->rto,
                                            sim_tcp_rto_fire, conn, NULL, 0);
}

void
sim_tcp_send_syn (SimTcpConn *conn)
{
  uint8_t flags = SIM_TCP_SYN;

  if (conn->state == TCP_SYN_RCVD)
    flags |= SIM_TCP_ACK;
  sim_tcp_emit (conn, flags, conn->iss, 0, 0);
  sim_tcp_arm_rto (conn);
}

static void sim_tcp_persist_fire (SimKernel *k, void *target, void *arg,
                                  uint64_t u);

/* Sends len bytes at snd_nxt; the first one in flight is timed. */
static void
sim_tcp_send_segment (SimTcpConn *conn, uint32_t offset, uint32_t n,
                      uint32_t avail)
{
  if (conn->rtt_seq == 0 && conn->retries == 0)
    {
      conn->rtt_seq = conn->snd_nxt + n;
      conn->rtt_sent = sim_kernel_now (sim_tcp_kernel (conn->tcp));
    }
  sim_tcp_emit (conn, SIM_TCP_ACK | (n == avail ? SIM_TCP_PSH : 0),
                conn->snd_nxt, offset, n);
  conn->snd_nxt += n;
}

/* Sends what the flight allows (at most half the peer's window, so a
 * segment never fills it), then FIN when everything queued is out. A
 * segment is a full MSS or the tail of the queued bytes, never a sliver
 * of a small window (sender-side silly window avoidance); data held back
 * with nothing in flight waits for a window update, or the persist timer
 * when that update is lost. */
void
sim_tcp_output (SimTcpConn *conn)
{
  uint32_t limit = MIN (conn->peer_wnd / 2, SIM_TCP_FLIGHT_MAX);
  uint32_t queued = conn->sndbuf.len;
  SimKernel *kernel = sim_tcp_kernel (conn->tcp);
  bool sent = false;

  if (conn->state != TCP_ESTABLISHED)
    return;
  sim_kernel_cancel (kernel, &conn->persist_timer);
  for (;;)
    {
      uint32_t offset = conn->snd_nxt - conn->data_start;
      uint32_t avail = queued - MIN (offset, queued);
      uint32_t flight = conn->snd_nxt - conn->snd_una;
      uint32_t n = MIN (avail, conn->mss);

      if (avail > 0 && flight + n <= limit)
        {
          sim_tcp_send_segment (conn, offset, n, avail);
          sent = true;
          continue;
        }
      if (avail > 0 && flight == 0)
        conn->persist_timer = sim_kernel_schedule_in (kernel, conn->rto,
                                                      sim_tcp_persist_fire,
                                                      conn, NULL, 0);
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

/* The window stayed too small for a segment: one byte probes it, and the
 * ACK it draws carries the window (RFC 9293 3.8.6.1). */
static void
sim_tcp_persist_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  SimTcpConn *conn = target;
  uint32_t offset = conn->snd_nxt - conn->data_start;

  (void) k; (void) arg; (void) u;
  if (conn->snd_nxt != conn->snd_una || offset >= conn->sndbuf.len)
    return;
  sim_tcp_send_segment (conn, offset, 1, conn->sndbuf.len - offset);
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

/* ---- Acknowledgements --------------------------------------------- */

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

uint32_t
sim_tcp_process_ack (SimTcpConn *conn, const SimFrame *f)
{
  uint32_t ack = f->tcp.ack;
  uint32_t fin_seq = conn->data_start + conn->sndbuf.len;
  uint32_t data_acked;

  conn->peer_wnd = f->tcp.window;
  if (!(f->tcp.flags & SIM_TCP_ACK) || !SEQ_LT (conn->snd_una, ack)
      || SEQ_LT (conn->snd_nxt, ack))
    return 0;
  data_acked = (SEQ_LT (ack, fin_seq) ? ack : fin_seq) - conn->snd_una;
  if (conn->fin_sent && ack == fin_seq + 1)
    conn->fin_acked = true;
  ring_consume (&conn->sndbuf, data_acked);
  conn->data_start += data_acked;
  conn->snd_una = ack;
  conn->retries = 0;
  if (conn->rtt_seq && SEQ_LEQ (conn->rtt_seq, ack))
    sim_tcp_rtt_sample (conn);
  if (conn->snd_una == conn->snd_nxt)
    sim_kernel_cancel (sim_tcp_kernel (conn->tcp), &conn->rto_timer);
  else
    sim_tcp_arm_rto (conn);
  return data_acked;
}

/* ---- The application's side --------------------------------------- */

void
sim_tcp_queue (SimTcpConn *conn, const uint8_t *data, uint32_t len)
{
  g_assert (!conn->fin_queued && !conn->dead);
  if (len)
    ring_append (&conn->sndbuf, data, len);
}

void
sim_tcp_send (SimTcpConn *conn, const uint8_t *data, uint32_t len)
{
  sim_tcp_queue (conn, data, len);
  sim_tcp_output (conn);
}

uint32_t
sim_tcp_send_space (const SimTcpConn *conn)
{
  uint32_t len = conn->sndbuf.len;

  return len < SIM_TCP_SNDBUF ? SIM_TCP_SNDBUF - len : 0;
}

uint32_t
sim_tcp_send_buffered (const SimTcpConn *conn)
{
  return conn->sndbuf.len;
}

void
sim_tcp_window_update (SimTcpConn *conn)
{
  if (conn->state != TCP_ESTABLISHED || conn->dead || conn->peer_fin)
    return;
  if (sim_tcp_rcv_window (conn) >= conn->last_wnd_sent + 2 * SIM_TCP_MSS)
    sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
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
