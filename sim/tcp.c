/* TCP for SimHost (see sim/tcp.h for what it does and does not do).
 * Connections are found by (local addr, remote addr, local port, remote
 * port, and for IPv6 the address pair's number: sim/tcp6.c) in an
 * open-addressing table (sim/tcp-table.h), and come
 * from a free list with their send buffers kept, so a steady stream of
 * connections allocates nothing. Invariants: snd_una <= snd_nxt (mod 2^32);
 * sndbuf holds the bytes from data_start, which is snd_una unless our SYN
 * is still unacknowledged. The send side is sim/tcp-send.c. */
#include "sim/tcp-private.h"

#include <string.h>

SimTcp *
sim_tcp_new (SimHost *host)
{
  SimTcp *tcp = g_new0 (SimTcp, 1);

  tcp->host = host;
  sim_tcp_table_init (&tcp->conns);
  sim_tcp_table_init (&tcp->toward);
  return tcp;
}

static void
sim_tcp_conn_destroy (SimTcpConn *conn)
{
  sim_tcp_ring_free (&conn->sndbuf);
  g_free (conn);
}

void
sim_tcp_free (SimTcp *tcp)
{
  if (!tcp)
    return;
  /* Teardown only: order does not matter here. */
  for (uint32_t i = 0; i <= tcp->conns.mask; i++)
    if (tcp->conns.slots[i].value)
      sim_tcp_conn_destroy (tcp->conns.slots[i].value);
  for (uint32_t i = 0; i <= tcp->toward.mask; i++)
    g_free (tcp->toward.slots[i].value);
  while (tcp->free_list)
    {
      SimTcpConn *next = tcp->free_list->next_free;
      sim_tcp_conn_destroy (tcp->free_list);
      tcp->free_list = next;
    }
  sim_tcp_table_clear (&tcp->conns);
  sim_tcp_table_clear (&tcp->toward);
  if (tcp->pairs6)
    g_array_unref (tcp->pairs6);
  g_free (tcp);
}

SimKernel *
sim_tcp_kernel (SimTcp *tcp)
{
  return sim_world_kernel (tcp->host->node->world);
}

/* A destination of SimTcp.toward: its key (lport 0) and count. */
typedef struct {
  SimTcpKey key;
  uint32_t n;
} SimTcpToward;

/* The connections connect opened toward key's remote address and port
 * (key's lport ignored); with delta, counts one more (1) or less (-1).
 * A destination's record is made at its first connection and kept. */
static uint32_t
sim_tcp_count_toward (SimTcp *tcp, const SimTcpKey *key, int delta)
{
  SimTcpKey dest = { key->laddr, key->raddr, 0, key->rport, key->pair6 };
  SimTcpToward *t = sim_tcp_table_lookup (&tcp->toward, &dest);

  if (delta == 0)
    return t ? t->n : 0;
  if (!t)
    {
      t = g_new0 (SimTcpToward, 1);
      t->key = dest;
      sim_tcp_table_insert (&tcp->toward, &t->key, t);
    }
  g_assert (delta > 0 || t->n > 0);
  t->n = (uint32_t) ((int64_t) t->n + delta);
  return t->n;
}

static SimTcpConn *
sim_tcp_conn_alloc (SimTcp *tcp, const SimTcpKey *key)
{
  SimTcpConn *conn = tcp->free_list;
  SimTcpRing ring;

  if (conn)
    {
      tcp->free_list = conn->next_free;
      ring = conn->sndbuf;
      ring.head = ring.len = 0;
    }
  else
    {
      conn = g_new (SimTcpConn, 1);
      sim_tcp_ring_init (&ring);
    }
  memset (conn, 0, sizeof *conn);
  conn->sndbuf = ring;
  conn->key = *key;
  conn->tcp = tcp;
  conn->mss = sim_tcp_own_mss (key);
  conn->peer_wnd = SIM_TCP_WINDOW;
  conn->rto = SIM_TCP_RTO_INITIAL;
  conn->iss = sim_rng_u32 (&tcp->host->rng);
  conn->snd_una = conn->iss;
  conn->snd_nxt = conn->iss + 1;
  conn->data_start = conn->iss + 1;
  sim_tcp_table_insert (&tcp->conns, &conn->key, conn);
  return conn;
}

/* Ends the connection: callbacks once, then back to the free list unless
 * input processing still holds it. */
void
sim_tcp_finish (SimTcpConn *conn, SimTcpCloseReason reason)
{
  SimTcp *tcp = conn->tcp;

  if (conn->dead)
    return;
  conn->dead = true;
  conn->state = TCP_DONE;
  sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->rto_timer);
  sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->deadline_timer);
  sim_kernel_cancel (sim_tcp_kernel (tcp), &conn->persist_timer);
  sim_tcp_table_remove (&tcp->conns, &conn->key);
  if (conn->outbound)
    sim_tcp_count_toward (tcp, &conn->key, -1);
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

static void
sim_tcp_deadline_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  SimTcpConn *conn = target;

  (void) k; (void) arg; (void) u;
  if (conn->state == TCP_SYN_SENT)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_TIMEOUT);
}

/* Opens a connection with key's addresses and remote port, from the next
 * free ephemeral port. */
static SimTcpConn *
sim_tcp_connect_key (SimHost *host, uint16_t origin, SimTcpKey key,
                     SimTime connect_timeout,
                     const SimTcpCallbacks *callbacks, void *user,
                     uint32_t request_id)
{
  SimTcpConn *conn;
  uint32_t tries = 0;

  /* Every port toward dst:dport taken: said at once, not found by
   * trying all of them (a burst past the ports would be quadratic). */
  if (sim_tcp_count_toward (host->tcp, &key, 0) >= SIM_TCP_EPHEMERAL_PORTS)
    return NULL;
  do
    {
      if (tries++ == SIM_TCP_EPHEMERAL_PORTS)
        return NULL;            /* every port toward dst:dport is taken */
      key.lport = sim_host_ephemeral_port (host);
    }
  while (sim_tcp_table_lookup (&host->tcp->conns, &key));
  conn = sim_tcp_conn_alloc (host->tcp, &key);
  conn->outbound = true;
  sim_tcp_count_toward (host->tcp, &key, 1);
  conn->state = TCP_SYN_SENT;
  conn->cb = *callbacks;
  conn->user = user;
  conn->request_id = request_id;
  conn->origin = origin;
  conn->deadline_timer =
    sim_kernel_schedule_in (sim_tcp_kernel (host->tcp), connect_timeout,
                            sim_tcp_deadline_fire, conn, NULL, 0);
  sim_tcp_send_syn (conn);
  return conn;
}

SimTcpConn *
sim_tcp_connect (SimHost *host, uint32_t src, uint32_t dst, uint16_t dport,
                 SimTime connect_timeout, const SimTcpCallbacks *callbacks,
                 void *user, uint32_t request_id)
{
  return sim_tcp_connect_from (host, 0, src, dst, dport, connect_timeout,
                               callbacks, user, request_id);
}

SimTcpConn *
sim_tcp_connect_from (SimHost *host, uint16_t origin, uint32_t src,
                      uint32_t dst, uint16_t dport, SimTime connect_timeout,
                      const SimTcpCallbacks *callbacks, void *user,
                      uint32_t request_id)
{
  SimTcpKey key = { src ? src : sim_host_source_for (host, dst), dst, 0,
                    dport, 0 };

  return sim_tcp_connect_key (host, origin, key, connect_timeout, callbacks,
                              user, request_id);
}

SimTcpConn *
sim_tcp_connect6 (SimHost *host, uint16_t origin, const SimIp6 *src,
                  const SimIp6 *dst, uint16_t dport, SimTime connect_timeout,
                  const SimTcpCallbacks *callbacks, void *user,
                  uint32_t request_id)
{
  SimIp6 from = src ? *src : sim_host_source6_for (host, dst);
  SimTcpKey key = { 0, 0, 0, dport, sim_tcp_pair6 (host->tcp, &from, dst) };

  return sim_tcp_connect_key (host, origin, key, connect_timeout, callbacks,
                              user, request_id);
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

void sim_tcp_conn_set_request (SimTcpConn *c, uint32_t r) { c->request_id = r; }
uint32_t sim_tcp_conn_flow_tag (const SimTcpConn *c) { return c->flow_tag; }
uint16_t sim_tcp_conn_origin (const SimTcpConn *c) { return c->origin; }
uint32_t sim_tcp_conn_request (const SimTcpConn *c) { return c->request_id; }
uint32_t sim_tcp_conn_local_addr (const SimTcpConn *c) { return c->key.laddr; }
uint32_t sim_tcp_conn_remote_addr (const SimTcpConn *c) { return c->key.raddr; }
uint16_t sim_tcp_conn_local_port (const SimTcpConn *c) { return c->key.lport; }
uint16_t sim_tcp_conn_remote_port (const SimTcpConn *c) { return c->key.rport; }
uint32_t sim_tcp_conn_retransmits (const SimTcpConn *c) { return c->retransmits; }

bool
sim_tcp_conn_ipv6 (const SimTcpConn *conn, SimIp6 *local, SimIp6 *remote)
{
  const SimTcpPair6 *pair;

  if (!conn->key.pair6)
    return false;
  pair = sim_tcp_pair6_get (conn->tcp, conn->key.pair6);
  if (local)
    *local = pair->local;
  if (remote)
    *remote = pair->remote;
  return true;
}

/* Replies to a segment that belongs to no connection (RFC 793 reset). */
static void
sim_tcp_reset_unknown (SimTcp *tcp, const SimFrame *f, const SimTcpKey *key,
                       uint32_t flow_tag)
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
  sim_tcp_segment_out (tcp, key, packet, &h);
}

static void
sim_tcp_accept_syn (SimTcp *tcp, const SimFrame *f, const SimTcpKey *key,
                    uint32_t request_id, uint32_t flow_tag, uint16_t origin)
{
  for (unsigned i = 0; i < tcp->n_listeners; i++)
    if (tcp->listeners[i].port == f->dport)
      {
        SimTcpConn *conn = sim_tcp_conn_alloc (tcp, key);
        conn->state = TCP_SYN_RCVD;
        conn->request_id = request_id;
        conn->flow_tag = flow_tag;
        conn->origin = origin;
        conn->rcv_nxt = f->tcp.seq + 1;
        if (f->tcp.mss && f->tcp.mss < conn->mss)
          conn->mss = f->tcp.mss;
        conn->peer_wnd = f->tcp.window;
        conn->user = tcp->listeners[i].user; /* until accept sets its own */
        sim_tcp_send_syn (conn);
        return;
      }
  sim_tcp_reset_unknown (tcp, f, key, flow_tag);
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
sim_tcp_established_input (SimTcpConn *conn, const SimFrame *f,
                           uint32_t request_id)
{
  uint8_t fl = f->tcp.flags;
  bool unaccepted = false;      /* out of order or duplicate: dup ACK */
  uint32_t acked;

  if (fl & SIM_TCP_SYN)
    {
      /* A retransmitted SYN-ACK: our ACK was lost. */
      sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
      return;
    }
  acked = sim_tcp_process_ack (conn, f);
  if (f->payload_len > 0)
    {
      if (f->tcp.seq == conn->rcv_nxt && !conn->peer_fin)
        {
          conn->rcv_nxt += f->payload_len;
          /* A persistent connection carries one request after another:
           * what it sends from now on serves the request whose new bytes
           * came (a stale copy of older ones moves nothing). */
          if (request_id != 0)
            conn->request_id = request_id;
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
  if (acked && conn->cb.writable)
    {
      conn->cb.writable (conn, conn->user);
      if (conn->dead)
        return;
    }
  sim_tcp_output (conn);
  if (conn->last_ack_sent != conn->rcv_nxt || unaccepted)
    sim_tcp_emit (conn, SIM_TCP_ACK, conn->snd_nxt, 0, 0);
  if (conn->fin_acked && conn->peer_fin)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_OK);
}

void
sim_tcp_input (SimTcp *tcp, const SimFrame *f, uint32_t request_id,
               uint32_t flow_tag, uint16_t origin)
{
  SimTcpKey key = { f->dst, f->src, f->dport, f->sport, 0 };
  SimTcpConn *conn;

  if (f->ip == NULL)            /* IPv6: the host took nothing else */
    {
      SimIp6 local = sim_frame_dst6 (f), remote = sim_frame_src6 (f);

      key.pair6 = sim_tcp_pair6 (tcp, &local, &remote);
    }
  conn = sim_tcp_table_lookup (&tcp->conns, &key);
  if (!conn)
    {
      if ((f->tcp.flags & (SIM_TCP_SYN | SIM_TCP_ACK | SIM_TCP_RST))
          == SIM_TCP_SYN)
        sim_tcp_accept_syn (tcp, f, &key, request_id, flow_tag, origin);
      else
        sim_tcp_reset_unknown (tcp, f, &key, flow_tag);
      return;
    }
  conn->busy++;
  if (f->tcp.flags & SIM_TCP_RST)
    sim_tcp_finish (conn, SIM_TCP_CLOSED_RESET);
  else if (!sim_tcp_handshake (tcp, conn, f) && !conn->dead)
    sim_tcp_established_input (conn, f, request_id);
  sim_tcp_release_if_dead (conn);
}
