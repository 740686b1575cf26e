/* The HTTP caller's insides, shared by models/world/requester.c (the
 * request's life) and models/world/requester-dual.c (a dual-stack
 * caller's AAAA query, address order and connection attempts). Not for
 * other files. */
#ifndef CLOUDRUN_REQUESTER_PRIVATE_H
#define CLOUDRUN_REQUESTER_PRIVATE_H

#include "models/world/requester.h"
#include "sim/addrsel.h"
#include "sim/body.h"
#include "sim/dns.h"
#include "sim/http.h"
#include "sim/tcp.h"
#include "sim/tls.h"

/* Addresses a dual-stack caller keeps from its two answers. */
#define CLOUDRUN_CALL_MAX_ADDRS 16u
/* Connection attempts open at once (Happy Eyeballs races, and RFC 8305
 * caps them at no number: every address may be tried while the others
 * still wait; getaddrinfo's order has one). */
#define CLOUDRUN_CALL_MAX_ATTEMPTS CLOUDRUN_CALL_MAX_ADDRS
/* Room for the addresses' order and what each attempt met. */
#define CLOUDRUN_CALL_STORY_MAX 1024u

/* One connection attempt of a dual-stack caller. */
typedef struct {
  SimTls *tls;                  /* owned by the call, reused */
  SimTcpConn *conn;             /* NULL: the slot is free */
  uint8_t dest;                 /* its address: an index in dests */
} CloudRunAttempt;

struct CloudRunCall {
  CloudRunRequester *caller;
  uint32_t slot;                /* index in caller->calls */
  CloudRunPlanCursor *cursor;   /* the traffic it serves */
  const CloudRunTrafficPlan *plan;
  uint32_t request;             /* ledger id; 0 when idle */
  uint16_t dns_id;              /* id of the pending query */
  uint16_t dns_port;            /* its source port (0: none held) */
  int dns_tries;
  bool dns_pending, finished;
  SimTimer dns_timer, deadline;
  SimTcpConn *conn;             /* NULL when none is open */
  SimTls *tls;                  /* carries conn when the plan is https */
  GByteArray *rx;               /* response bytes until the headers end */
  int header_len;               /* 0 until the headers are complete */
  SimHttpResponse response;
  uint64_t body;                /* body bytes received */
  SimBody request_body;         /* made as the send buffer makes room */
  bool reusable;                /* conn is idle between whole exchanges
                                   and both ends keep it (keep-alive) */
  bool kept;                    /* parked in cursor->idle */
  uint32_t opened_by;           /* the request that opened conn (its
                                   number in its traffic, from 1) */
  uint8_t path[CLOUDRUN_MAX_VIA]; /* that request's via once connected:
                                   the hops conn's packets pass */
  uint8_t n_path;
  SimTimer idle_timer;          /* kept: when the caller closes it */
  uint32_t retx_base;           /* conn's retransmissions before this
                                   request was sent on it */
  /* A dual-stack caller (requester-dual.c); all zero for another. */
  bool dual;                    /* its host has a non-link-local IPv6
                                   address: AAAA is asked too */
  uint16_t dns_id6;             /* the AAAA query's id */
  bool want_a, want_aaaa;       /* answers still awaited */
  bool answered;                /* an answer came (A or AAAA) */
  bool nxdomain;                /* an answer said NXDOMAIN */
  bool connecting;              /* the addresses are sorted, attempts
                                   began */
  bool racing;                  /* attempts open, none connected yet */
  bool aborting;                /* losers being reset: their closed()
                                   is no failure */
  SimAddrselDest dests[CLOUDRUN_CALL_MAX_ADDRS]; /* in the order tried */
  uint8_t n_dests, n_tried;     /* addresses; attempts started */
  CloudRunAttempt attempts[CLOUDRUN_CALL_MAX_ATTEMPTS];
  SimTimer attempt_timer;       /* happy eyeballs: the resolution delay,
                                   then the next attempt's start */
  uint8_t failed;               /* how the last attempt failed: a
                                   DualFailure of requester-dual.c */
  char story[CLOUDRUN_CALL_STORY_MAX]; /* the order and the attempts, told
                                   in one CHOOSE_ADDRESS step (a request
                                   keeps one step per node and state) */
  const char *why;              /* the RFC 6724 rule behind the order */
  bool told;                    /* the step is in the explanation */
  uint8_t winner;               /* 1 + the index in dests of the attempt
                                   that connected; 0: none */
};

/* requester.c */
extern const SimTcpCallbacks cloudrun_call_tcp;
CloudRunRequest *cloudrun_call_request (CloudRunCall *call);
void cloudrun_call_finish (CloudRunCall *call, int status,
                           CloudRunVerdict seen, const char *why);
/* The query of qtype with id from the call's DNS port. */
void cloudrun_call_send_query (CloudRunCall *call, uint16_t qtype,
                               uint16_t id);
/* Stops waiting for DNS: frees the port, cancels the retry. */
void cloudrun_call_dns_done (CloudRunCall *call);

/* requester-dual.c */
/* Whether host asks AAAA too (getaddrinfo's AI_ADDRCONFIG: it has an
 * IPv6 address other than loopback and link-local). */
bool cloudrun_call_host_dual (const SimHost *host);
/* The queries of the call's try (first or again): A and AAAA. */
void cloudrun_call_dual_query (CloudRunCall *call);
/* An answer to one of them (m's id checked here). */
void cloudrun_call_dual_answer (CloudRunCall *call, const SimDnsMessage *m);
/* The DNS retry timer fired: true when the call goes on without the
 * answers still missing (Happy Eyeballs already connecting). */
bool cloudrun_call_dual_dns_timeout (CloudRunCall *call);
/* An attempt connected: it becomes call->conn (true), the others are
 * reset. False: conn is no attempt's. */
bool cloudrun_call_attempt_connected (CloudRunCall *call, SimTcpConn *conn);
/* An attempt closed before it connected: the next address is tried, or
 * the call fails when none is left (true). False: conn is no attempt's. */
bool cloudrun_call_attempt_closed (CloudRunCall *call, SimTcpConn *conn,
                                   SimTcpCloseReason reason);
/* The CHOOSE_ADDRESS step, once, before the call's outcome. */
void cloudrun_call_dual_tell (CloudRunCall *call);
/* Resets every open attempt and stops the attempt timer. */
void cloudrun_call_attempts_drop (CloudRunCall *call);
/* Frees the attempts' SimTls objects. */
void cloudrun_call_attempts_free (CloudRunCall *call);

#endif
