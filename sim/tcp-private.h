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
  struct {
    uint16_t port;
    SimTcpAcceptFn fn;
    void *user;
  } listeners[SIM_TCP_MAX_LISTENERS];
  unsigned n_listeners;
};

SimKernel *sim_tcp_kernel (SimTcp *tcp);
void sim_tcp_finish (SimTcpConn *conn, SimTcpCloseReason reason);

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
