/* What sim/tcp.c (connections, input) and sim/tcp-send.c (the send side)
 * share; nothing outside sim/tcp*.c includes this. */
#ifndef SIM_TCP_PRIVATE_H
#define SIM_TCP_PRIVATE_H

#include "sim/tcp.h"
#include "sim/tcp-table.h"

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

/* The send buffer: a ring of cap bytes (a power of two) holding len bytes
 * from head; the first is the byte at data_start. It grows only when a
 * sender writes past sim_tcp_send_space, and is kept with the record. */
typedef struct {
  uint8_t *data;
  uint32_t cap, head, len;
} SimTcpRing;

struct SimTcpConn {
  SimTcpKey key;                /* its key in SimTcp.conns */
  SimTcp *tcp;                  /* owner */
  SimTcpState state;
  uint32_t iss, snd_una, snd_nxt, data_start;
  uint32_t rcv_nxt, last_ack_sent;
  uint32_t last_wnd_sent;       /* the window field of our last segment */
  uint32_t peer_wnd;
  uint16_t mss;                 /* min(ours, the peer's option) */
  SimTcpRing sndbuf;            /* unacknowledged and unsent bytes */
  bool fin_queued, fin_sent, fin_acked, peer_fin;
  SimTimer rto_timer, deadline_timer;
  SimTimer persist_timer;       /* data held back by a small window */
  SimTime rto, srtt, rttvar;
  uint32_t rtt_seq;             /* segment timed for an RTT sample; 0 none */
  SimTime rtt_sent;
  uint32_t retransmits, retries;
  SimTcpCallbacks cb;
  void *user;
  uint32_t request_id;
  uint32_t flow_tag;            /* the opening SYN's packet->flow_tag */
  uint16_t origin;              /* the opening SYN's packet->origin, or set */
  int busy;                     /* >0 while input runs; defers the free */
  bool dead;                    /* closed; freed when not busy */
  bool outbound;                /* opened by connect: counted in
                                   SimTcp.toward */
  SimTcpConn *next_free;
};

struct SimTcp {
  SimHost *host;
  SimTcpTable conns;            /* SimTcpKey -> SimTcpConn* */
  SimTcpTable toward;           /* SimTcpKey with lport 0 -> SimTcpToward*
                                   (owned): the number of connections
                                   connect opened toward that address and
                                   port */
  SimTcpConn *free_list;
  GArray *pairs6;               /* SimTcpPair6, owned: the IPv6 address
                                   pairs keys name (pair6 - 1); a pair is
                                   added at its first segment and kept */
  struct {
    uint16_t port;
    SimTcpAcceptFn fn;
    void *user;
  } listeners[SIM_TCP_MAX_LISTENERS];
  unsigned n_listeners;
};

/* An IPv6 connection's addresses. */
typedef struct {
  SimIp6 local, remote;
} SimTcpPair6;

SimKernel *sim_tcp_kernel (SimTcp *tcp);
void sim_tcp_finish (SimTcpConn *conn, SimTcpCloseReason reason);

/* sim/tcp6.c */
/* The pair's key number (index + 1), added when new. */
uint32_t sim_tcp_pair6 (SimTcp *tcp, const SimIp6 *local,
                        const SimIp6 *remote);
const SimTcpPair6 *sim_tcp_pair6_get (const SimTcp *tcp, uint32_t pair6);
/* Pushes the TCP header and sends over IPv6 by key's pair; takes packet. */
void sim_tcp_send6 (SimTcp *tcp, const SimTcpKey *key, SimPacket *packet,
                    const SimTcpHeader *h);

/* Pushes the TCP header in front of the payload in packet and sends it
 * from key's local to its remote address; takes packet. */
static inline void
sim_tcp_segment_out (SimTcp *tcp, const SimTcpKey *key, SimPacket *packet,
                     const SimTcpHeader *h)
{
  if (key->pair6)
    {
      sim_tcp_send6 (tcp, key, packet, h);
      return;
    }
  sim_tcp_push (packet, key->laddr, key->raddr, h);
  sim_host_output (tcp->host, packet, key->laddr, key->raddr,
                   SIM_IPPROTO_TCP);
}

/* The MSS a connection starts from and offers. */
static inline uint16_t
sim_tcp_own_mss (const SimTcpKey *key)
{
  return key->pair6 ? SIM_TCP_MSS6 : SIM_TCP_MSS;
}

/* sim/tcp-send.c */
void sim_tcp_ring_init (SimTcpRing *ring);
void sim_tcp_ring_free (SimTcpRing *ring);
/* Builds and sends one segment: flags, seq, and len payload bytes from
 * the send buffer at offset. */
void sim_tcp_emit (SimTcpConn *conn, uint8_t flags, uint32_t seq,
                   uint32_t offset, uint32_t len);
void sim_tcp_arm_rto (SimTcpConn *conn);
void sim_tcp_send_syn (SimTcpConn *conn);
void sim_tcp_output (SimTcpConn *conn);
/* Returns the data bytes the segment acknowledged. */
uint32_t sim_tcp_process_ack (SimTcpConn *conn, const SimFrame *f);
/* The window we advertise now. */
uint32_t sim_tcp_rcv_window (SimTcpConn *conn);

#endif
