/* The HTTP caller inside every node that sends synthetic requests (an
 * internet client, a VM, a Cloud Run instance). For each request of its
 * traffic it resolves the URL host with a real DNS query to its resolver,
 * opens TCP to the first address of the answer (with TLS for https),
 * or, when its host has an IPv6 address, asks AAAA too and tries the
 * addresses in RFC 6724's order (models/world/requester-dual.c),
 * sends one HTTP/1.1 request and reads the response (Content-Length), or
 * with connections = reuse sends it on a connection an earlier request of
 * the traffic kept (keep-alive; no DNS query then), or
 * for tcp:// only opens the connection and closes it,
 * then records the status and latency it saw. It decides only what it alone can see: a DNS answer
 * that never came, a timeout, an unusable answer. Everything else is
 * decided by the hops on the path (models/world/request.h).
 *
 * Scenario keys read (through CloudRunTrafficPlan): [traffic] url, count,
 * rate, interval, pattern, start, method, request-size, timeout,
 * identity, audience, token-header, address-selection; the caller's
 * service-account (or client account). */
#ifndef CLOUDRUN_REQUESTER_H
#define CLOUDRUN_REQUESTER_H

#include "models/world/request.h"
#include "sim/host.h"
#include "sim/free-index.h"
#include "sim/rng.h"

/* What one [traffic] group asks of its caller. */
typedef struct {
  uint32_t traffic;             /* index of the [traffic] group */
  const char *name;             /* the group's NAME */
  const char *host;             /* URL host (a name, or a dotted quad) */
  uint32_t host_addr;           /* the host when it is a literal; else 0 */
  uint16_t port;                /* the URL's port */
  bool tls;                     /* https: TLS (sim/tls.h), SNI = host */
  bool connect_only;            /* tcp://: the connection, nothing sent */
  bool reuse;                   /* connections = reuse: HTTP keep-alive,
                                   a connection kept for the next request
                                   of the traffic */
  const char *path;
  const char *method;
  uint64_t request_size;        /* body bytes */
  uint32_t count;
  SimTime interval;             /* constant pattern: time between requests */
  SimTime mean_interval;        /* poisson pattern: mean time between */
  bool poisson;
  SimTime start;
  SimTime timeout;              /* for the whole request */
  bool id_token;                /* sends an ID token (Authorization:
                                   Bearer, models/world/id-token.h) */
  const char *token_email;      /* id_token: the caller's account */
  const char *audience;         /* id_token: its aud claim */
  bool serverless_header;       /* id_token: sent in X-Serverless-
                                   Authorization, not Authorization */
  uint32_t first_request;       /* id of its first request in the ledger */
  uint32_t senders;             /* a job's or worker pool's whole plan:
                                   its instances, each sending count /
                                   senders from a plan of its own; 0 or 1
                                   otherwise */
  uint32_t per_wave;            /* senders > 1: instances starting together */
  SimTime wave;                 /* senders > 1: time between their waves */
  CloudRunAddressSelection selection; /* a dual-stack caller's way through
                                   a name's addresses (zero: getaddrinfo) */
} CloudRunTrafficPlan;

typedef struct CloudRunCall CloudRunCall;
typedef struct CloudRunRequester CloudRunRequester;

/* A sender's own refusal of a request before it leaves (a Google
 * product's rule about what it may send). */
typedef struct {
  CloudRunVerdict verdict;      /* the outcome */
  CloudRunDropCause cause;      /* its cause; the step is named by it */
  const char *rule;             /* why (interned) */
  const char *note;             /* its source (may be NULL) */
} CloudRunRefusal;

/* Whether the sender sends plan's next request; false fills *out. */
typedef bool (*CloudRunRequesterGate) (void *user,
                                       const CloudRunTrafficPlan *plan,
                                       CloudRunRefusal *out);

/* Where a traffic's schedule stands. */
typedef struct {
  CloudRunRequester *requester;
  const CloudRunTrafficPlan *plan;
  uint32_t next;                /* index of the next request */
  SimTime at;                   /* its start time */
  SimRng rng;                   /* the traffic's own stream (poisson) */
  GPtrArray *idle;              /* CloudRunCall* with a kept connection,
                                   the last kept last (reused first) */
} CloudRunPlanCursor;

struct CloudRunRequester {
  SimNode *node;                /* the caller's node */
  SimHost *host;                /* its IP stack */
  CloudRunLedger *ledger;
  CloudRunHopKind hop;              /* client, vm or service */
  CloudRunState start_state;    /* START_FROM_INTERNET, ... */
  uint32_t resolver;            /* DNS server address */
  GPtrArray *plans;             /* CloudRunTrafficPlan*, not owned */
  GPtrArray *calls;             /* CloudRunCall*, owned */
  SimRng dns_rng;               /* DNS query ids and source ports */
  GHashTable *dns_ports;        /* source port -> its pending CloudRunCall
                                   (looked up; walked only to fill
                                   dns_free, where order is moot) */
  SimFreeIndex dns_free;        /* the same ports, for a draw when most
                                   are taken; made at the first such */
  GArray *free_calls;           /* indexes of idle calls */
  GByteArray *scratch;          /* a request head being written */
  GArray *cursors;              /* CloudRunPlanCursor, one per plan */
  SimRng tls_rng;               /* the TLS clients' randoms and secrets */
  CloudRunRequesterGate gate;   /* NULL: every request leaves */
  void *gate_user;
};

/* Binds the caller's DNS replies on host (a wildcard UDP port). */
void cloudrun_requester_init (CloudRunRequester *caller, SimNode *node,
                           SimHost *host, CloudRunLedger *ledger,
                           CloudRunHopKind hop, CloudRunState start_state,
                           uint32_t resolver);
void cloudrun_requester_clear (CloudRunRequester *caller);
void cloudrun_requester_add_traffic (CloudRunRequester *caller,
                                  const CloudRunTrafficPlan *plan);
/* Schedules every request of every plan (call from the node's start). */
void cloudrun_requester_start (CloudRunRequester *caller);

#endif
