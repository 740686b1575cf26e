/* An HTTP front: terminates the caller's TCP (or TLS on a TLS listener;
 * upstream is always clear), reads one request head, lets its owner
 * decide, then either answers by itself (now or later) or opens a
 * connection upstream, sends the request and relays the response back.
 * The GFE, the load balancers' proxies and the tiny HTTP servers of
 * instances, VMs and clients are built on it. Sessions are pooled.
 *
 * Bodies stream: the request body is relayed upstream as it arrives (held
 * in rx only until the upstream connection opens), the response as it
 * comes back. A relay holds at most SIM_TCP_SNDBUF bytes of its own; past
 * that the bytes count as unread and shrink the window it advertises to
 * their sender (sim/tcp.h), so memory does not follow body sizes. */
#ifndef CLOUDRUN_PROXY_H
#define CLOUDRUN_PROXY_H

#include "sim/body.h"
#include "sim/host.h"
#include "sim/http.h"
#include "sim/http-forward.h"
#include "sim/tcp.h"
#include "sim/tls.h"

typedef struct CloudRunProxy CloudRunProxy;
typedef struct CloudRunProxySession CloudRunProxySession;

/* Work to do for a session later (the session is kept until it ran). */
typedef void (*CloudRunProxyLaterFn) (CloudRunProxySession *s);

struct CloudRunProxySession {
  CloudRunProxy *proxy;
  SimTcpConn *client;           /* NULL once closed */
  SimTls *tls;                  /* carries client when it came on TLS */
  SimTcpConn *upstream;         /* NULL when none */
  GByteArray *rx;               /* the head, then body bytes not yet sent
                                   upstream (until it connects) */
  SimHttpRequest request;       /* parsed head */
  int header_len;
  bool decided;                 /* the head was read and handed over */
  bool idle;                    /* done: back in the proxy's free list */
  bool forwarding;              /* body bytes go upstream */
  bool upstream_open;           /* upstream connected: rx was sent */
  uint64_t body_left;           /* request body bytes still to come */
  CloudRunProxyLaterFn body_done;  /* run once the body is in, or NULL */
  SimBody response;             /* a streamed answer's body */
  bool responding;              /* response is being written */
  bool keep_alive;              /* the request asked Connection:
                                   keep-alive: answered so, and the
                                   connection kept for the next one */
  bool relay_head_done;         /* keep_alive: the upstream's response
                                   head was rewritten and sent on */
  uint64_t relay_left;          /* then: its body bytes still to relay */
  bool client_fin;              /* the caller closed its side */
  uint32_t request_id;
  uint32_t client_addr, local_addr;  /* the caller and the address it hit
                                        (IPv4; 0 over IPv6) */
  uint16_t client_port, local_port;
  bool v6;                      /* the caller came over IPv6: */
  SimIp6 client6, local6;       /* its addresses then (zero over IPv4) */
  void *slot;                   /* the owner's per-request state */
  void *queue;                  /* the owner's: what it waits in, if any */
  uint64_t queue_seq;           /* and its place there */
  SimTimer pending;             /* the later work, when any */
  CloudRunProxyLaterFn later;   /* what it will do */
  uint32_t up_src, up_dst;      /* upstream addresses */
  uint16_t up_port;
};

/* A request head arrived on s (its body may still be coming): the owner
 * calls answer, respond, forward or after_body. */
typedef void (*CloudRunProxyRequestFn) (CloudRunProxy *proxy, void *user,
                                        CloudRunProxySession *s);
/* The request is over (both connections closed, or on a persistent
 * connection its response written): release s->slot and s->queue. */
typedef void (*CloudRunProxyDoneFn) (CloudRunProxy *proxy, void *user,
                                     CloudRunProxySession *s);

struct CloudRunProxy {
  SimHost *host;                /* not owned */
  CloudRunProxyRequestFn request;
  CloudRunProxyDoneFn done;     /* optional */
  void *user;
  GPtrArray *sessions;          /* owned */
  GPtrArray *idle;
  GByteArray *scratch;          /* an answer being written */
  SimRng tls_rng;               /* server randoms of the TLS listener */
  uint64_t answered, forwarded;
};

/* Listens on TCP port on host. */
void cloudrun_proxy_init (CloudRunProxy *proxy, SimHost *host, uint16_t port,
                          CloudRunProxyRequestFn request,
                          CloudRunProxyDoneFn done, void *user);
/* Also listens on TCP port with TLS (sim/tls.h) in front: requests come
 * and answers go through it, the owner sees no difference. */
void cloudrun_proxy_listen_tls (CloudRunProxy *proxy, uint16_t port);
void cloudrun_proxy_clear (CloudRunProxy *proxy);

/* Answers with status, content type and body, and closes (on a
 * persistent connection: waits for the next request). Nothing when the
 * caller has gone. */
void cloudrun_proxy_respond (CloudRunProxySession *s, int status,
                             const char *content_type, const uint8_t *body,
                             uint32_t body_len);
/* Answers status with a body of size bytes of pattern (not owned),
 * written as the connection makes room, then closes. */
void cloudrun_proxy_respond_pattern (CloudRunProxySession *s, int status,
                                     const char *content_type,
                                     const char *pattern, uint64_t size);
/* Runs fn for s once the whole request body has arrived (now if it has). */
void cloudrun_proxy_after_body (CloudRunProxySession *s,
                                CloudRunProxyLaterFn fn);
/* Runs fn for s at time at (>= now). One at a time per session. */
void cloudrun_proxy_later (CloudRunProxySession *s, SimTime at,
                           CloudRunProxyLaterFn fn);
/* Answers status with a small HTML body and closes. */
void cloudrun_proxy_answer (CloudRunProxySession *s, int status);
/* Rewrites the request head in s->rx as a forwarding proxy does
 * (sim/http-forward.h), before forward; s->header_len follows. The body
 * bytes already read stay behind it. */
void cloudrun_proxy_rewrite_head (CloudRunProxySession *s,
                                  const SimHttpForward *fw);
/* Connects src -> dst:port at time at (>= now) and sends the request. */
void cloudrun_proxy_forward (CloudRunProxySession *s, uint32_t src,
                             uint32_t dst, uint16_t port, SimTime at);

#endif
