/* A small, honest TCP for SimHost, over IPv4 or IPv6 (sim_tcp_connect6;
 * a listener takes both): three-way handshake with the MSS
 * option, sequence and acknowledgement numbers, MSS-sized segments, a
 * bounded flight, cumulative ACKs (piggy-backed on data the application
 * sends from its callback), FIN close from either side, and retransmission
 * by timer with exponential back-off (SYN: 1 s, 2 s, 4 s ... until the
 * caller's connect timeout; data: go-back-N from the first unacknowledged
 * byte; the timer is capped at 60 s and a connection gives up, closed with
 * TIMEOUT, after 8 retransmissions in a row). Out-of-order segments are not kept. No TIME_WAIT: a connection is
 * freed once both FINs are acknowledged.
 *
 * Streaming: the send buffer holds SIM_TCP_SNDBUF bytes; a producer
 * writes at most sim_tcp_send_space and writes more from writable(). The
 * window we advertise is SIM_TCP_WINDOW less the application's backlog
 * (bytes it was given and still holds), so a relay that cannot pass bytes
 * on slows its sender; when the backlog shrinks it calls
 * sim_tcp_window_update. A sender keeps its flight within half the
 * peer's window, so the window is never filled nor closed by its own
 * data.
 *
 * Connections belong to their host; the callbacks' user pointer is not
 * owned. After closed() returns the connection is freed. */
#ifndef SIM_TCP_H
#define SIM_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/host.h"

#define SIM_TCP_MSS 1460u
#define SIM_TCP_MSS6 1440u      /* the same frames over IPv6: its header
                                   is 20 bytes longer than IPv4's */
#define SIM_TCP_WINDOW 65535u
#define SIM_TCP_SNDBUF 65536u   /* a power of two */

typedef struct SimTcpConn SimTcpConn;

typedef enum {
  SIM_TCP_CLOSED_OK = 0,        /* both sides closed cleanly */
  SIM_TCP_CLOSED_TIMEOUT,       /* handshake never completed in time */
  SIM_TCP_CLOSED_RESET,         /* the peer reset the connection */
  SIM_TCP_CLOSED_ABORTED,       /* the local application aborted */
} SimTcpCloseReason;

typedef struct {
  void (*connected) (SimTcpConn *conn, void *user);
  /* In-order bytes from the peer. */
  void (*data) (SimTcpConn *conn, void *user, const uint8_t *data,
                uint32_t len);
  /* The peer sent FIN: no more data will come. */
  void (*peer_closed) (SimTcpConn *conn, void *user);
  /* The connection is over; it is freed when this returns. */
  void (*closed) (SimTcpConn *conn, void *user, SimTcpCloseReason reason);
  /* Optional: the peer acknowledged data, so sim_tcp_send_space grew. */
  void (*writable) (SimTcpConn *conn, void *user);
  /* Optional: bytes data() delivered that the application still holds;
   * the advertised window shrinks by them. Called for every segment sent. */
  uint32_t (*backlog) (SimTcpConn *conn, void *user);
} SimTcpCallbacks;

/* A listener got a new connection (after the handshake completed); it sets
 * the callbacks with sim_tcp_conn_set_callbacks. */
typedef void (*SimTcpAcceptFn) (SimTcpConn *conn, void *user);

/* Ephemeral ports a host draws from (49152-65535, as IANA suggests). */
#define SIM_TCP_EPHEMERAL_PORTS 16384u

/* Opens a connection from src (0: the host's primary address) to dst:dport;
 * connect_timeout bounds the handshake. request_id tags every packet.
 * NULL when every ephemeral port toward dst:dport is in use. */
SimTcpConn *sim_tcp_connect (SimHost *host, uint32_t src, uint32_t dst,
                             uint16_t dport, SimTime connect_timeout,
                             const SimTcpCallbacks *callbacks, void *user,
                             uint32_t request_id);
/* The same, every packet of it carrying origin (SimPacket.origin; 0: the
 * host's). */
SimTcpConn *sim_tcp_connect_from (SimHost *host, uint16_t origin,
                                  uint32_t src, uint32_t dst, uint16_t dport,
                                  SimTime connect_timeout,
                                  const SimTcpCallbacks *callbacks,
                                  void *user, uint32_t request_id);
/* The same over IPv6 from src (NULL: sim_host_source6_for) to dst. The
 * connection's segments carry MSS SIM_TCP_MSS6. */
SimTcpConn *sim_tcp_connect6 (SimHost *host, uint16_t origin,
                              const SimIp6 *src, const SimIp6 *dst,
                              uint16_t dport, SimTime connect_timeout,
                              const SimTcpCallbacks *callbacks, void *user,
                              uint32_t request_id);
/* A listener takes connections over either family. */
void sim_tcp_listen (SimHost *host, uint16_t port, SimTcpAcceptFn accept,
                     void *user);
void sim_tcp_conn_set_callbacks (SimTcpConn *conn,
                                 const SimTcpCallbacks *callbacks, void *user);

/* Queues bytes (copied) and sends what the flight allows. Writing more
 * than sim_tcp_send_space grows the buffer (small answers do). */
void sim_tcp_send (SimTcpConn *conn, const uint8_t *data, uint32_t len);
/* Queues bytes without sending: more follow at once, then sim_tcp_send
 * (so a message written in pieces is cut into the same segments). */
void sim_tcp_queue (SimTcpConn *conn, const uint8_t *data, uint32_t len);
/* Room left in the send buffer; 0 when full. */
uint32_t sim_tcp_send_space (const SimTcpConn *conn);
/* Bytes queued and not yet acknowledged. */
uint32_t sim_tcp_send_buffered (const SimTcpConn *conn);
/* The backlog shrank: sends a window update (a bare ACK) when the window
 * grew by two segments or more since the last one advertised. */
void sim_tcp_window_update (SimTcpConn *conn);
/* Sends FIN once every queued byte is sent. */
void sim_tcp_close (SimTcpConn *conn);
/* Sends RST and frees the connection (closed() is called with ABORTED). */
void sim_tcp_abort (SimTcpConn *conn);

/* The request the connection's packets serve from now on. */
void sim_tcp_conn_set_request (SimTcpConn *conn, uint32_t request_id);
/* The flow_tag of the packet that opened the connection (0 none). */
uint32_t sim_tcp_conn_flow_tag (const SimTcpConn *conn);
/* The origin of the packet that opened an accepted connection, or the one
 * an opened one was given (0 none); every packet it sends carries it, so
 * a connection's replies keep the place its opener set out from. */
uint16_t sim_tcp_conn_origin (const SimTcpConn *conn);
uint32_t sim_tcp_conn_request (const SimTcpConn *conn);
/* IPv4 addresses (0 for an IPv6 connection). */
uint32_t sim_tcp_conn_local_addr (const SimTcpConn *conn);
uint32_t sim_tcp_conn_remote_addr (const SimTcpConn *conn);
uint16_t sim_tcp_conn_local_port (const SimTcpConn *conn);
uint16_t sim_tcp_conn_remote_port (const SimTcpConn *conn);
uint32_t sim_tcp_conn_retransmits (const SimTcpConn *conn);
/* True for an IPv6 connection, with its addresses (either may be NULL). */
bool sim_tcp_conn_ipv6 (const SimTcpConn *conn, SimIp6 *local,
                        SimIp6 *remote);

/* Internal to sim/host.c. */
SimTcp *sim_tcp_new (SimHost *host);
void sim_tcp_free (SimTcp *tcp);
/* request_id, flow_tag, origin: the arriving packet's; a new connection
 * takes them (see SimPacket.flow_tag and .origin), and a segment with new
 * data in order moves the connection to its request (a persistent
 * connection serves one request after another). */
void sim_tcp_input (SimTcp *tcp, const SimFrame *frame, uint32_t request_id,
                    uint32_t flow_tag, uint16_t origin);

#endif
