/* Requests and their fate. A request's record is made when its caller
 * starts it (ids are dense, 1-based, in traffic order, given out per
 * traffic at build time), so nodes refer to it by the id that travels in
 * packet metadata. Models append explanation steps as packets pass and the
 * node that decides a request's fate records the decision; the caller
 * records what it saw (status, latency). The verdict is assembled from
 * those, never from the scenario's settings.
 *
 * Memory follows the requests in flight, not the run's count: when the
 * caller finishes a request, its outcome is settled into its traffic's
 * tally (and shown to a watcher, the [expect] evaluation); the record and
 * its steps linger CLOUDRUN_LEDGER_LINGER more (late frames of the request
 * still get their comments), then are freed. The first request of each
 * traffic, and any request kept on purpose, stay to the end.
 * Vocabulary: docs/networking.md, "Vocabulary" (Connectivity Tests names)
 * plus the simulator's own INGRESS_DENIED and IAM_DENIED. */
#ifndef CLOUDRUN_REQUEST_H
#define CLOUDRUN_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/explain.h"
#include "sim/histogram.h"
#include "models/world/config.h"
#include "sim/node.h"
#include "sim/wire.h"

#define CLOUDRUN_MAX_VIA 24u

typedef struct {
  uint32_t id;                    /* 1-based */
  uint32_t traffic;               /* index of its [traffic] group */
  uint32_t index;                 /* 0-based within its traffic */
  SimTime start, end;             /* end: when the caller got its answer */
  bool finished;                  /* the caller is done with it */
  CloudRunVerdict outcome;
  int status;                     /* HTTP status the caller got; 0 none */
  CloudRunClass classified;       /* the GFE's decision */
  CloudRunDropCause drop_cause;   /* why, when dropped or refused */
  CloudRunHopKind decided_at;         /* hop kind that decided the outcome */
  const char *decided_node;       /* node name that decided */
  uint8_t via[CLOUDRUN_MAX_VIA];  /* hop kinds passed, in order */
  uint8_t n_via;
  uint32_t retransmits;           /* segments the caller's TCP sent again */
  /* What the destination's HTTP server took, from the packets (see
   * cloudrun_request_seen): seen_at is NONE until it took the request. */
  CloudRunHopKind seen_at;        /* service, vm or client */
  uint32_t seen_src;              /* IP source of the request's packets as
                                     they arrived there (0 over IPv6) */
  const SimIp6 *seen_src6;        /* over IPv6: that source (interned in
                                     the explain log); NULL over IPv4 */
  const char *seen_host;          /* its Host header, interned in the
                                     explain log */
  const char *revision;           /* the [revision NAME] the GFE sent it
                                     to (owned by the service record);
                                     NULL: none, or a service without
                                     [revision] groups */
  SimExplainChain chain;          /* the steps */
} CloudRunRequest;

/* One explanation step, as models describe it. */
typedef struct {
  CloudRunHopKind hop;                /* the kind of hop taking the step */
  CloudRunState state;            /* what the step is */
  CloudRunDropCause cause;        /* why, for DROP and ABORT; NONE else */
  const char *rule;               /* what decided it (may be NULL) */
  const char *note;               /* more words (may be NULL) */
  const char *tag;                /* a static word after the node for
                                     programs (the GFE's classification);
                                     may be NULL */
  bool outbound;                  /* about a packet the node sends: shown
                                     on that packet (its shown_step), not
                                     on the frame being handled */
  bool aside;                     /* an observation at a hop the request
                                     passed already (a queue wait, on the
                                     way in or back): explained, but not a
                                     hop of its path (via) */
  uint32_t src, dst;              /* addresses as the packet arrived */
  uint32_t src_after, dst_after;  /* after translation; 0 unchanged */
  /* IPv6 addresses: each, when not NULL, stands in place of its IPv4
   * field above (borrowed for the call; the log keeps a copy). */
  const SimIp6 *src6, *dst6, *src6_after, *dst6_after;
} CloudRunStep;

/* Sets step's addresses (src, dst) to f's: its IPv4 ones, or for an IPv6
 * frame its IPv6 ones, copied into six[0] and six[1] (which must live
 * until cloudrun_request_step has taken the step). */
void cloudrun_step_frame_addresses (CloudRunStep *step, const SimFrame *f,
                                    SimIp6 six[2]);

/* How long a finished request's record stays for its late frames. */
#define CLOUDRUN_LEDGER_LINGER (10 * SIM_S)

/* A revision that served some of a traffic's requests. */
typedef struct {
  const char *revision;         /* its NAME (the service record's) */
  uint32_t count;               /* settled requests sent to it */
} CloudRunServed;

/* What one traffic's settled requests add up to. */
typedef struct {
  const char *subject;          /* "traffic NAME", interned in the explain
                                   log: its steps' subject (frame
                                   comments); NULL when unnamed */
  uint32_t first_id;            /* id of its request 0 */
  uint32_t count;               /* requests it plans */
  uint32_t started;             /* requests begun (each sender begins its
                                   own in order) */
  uint32_t senders;             /* instances sending count / senders each
                                   (a job's tasks); 1 otherwise */
  uint32_t *sender_started;     /* senders > 1: requests begun per sender,
                                   sender k's ids from first_id + k x
                                   count / senders; owned; else NULL */
  uint32_t verdicts[CLOUDRUN_N_VERDICTS]; /* settled requests per verdict */
  uint32_t internal, external;  /* the GFE's classifications */
  uint32_t responses;           /* requests that got an HTTP status */
  struct {
    uint32_t index;             /* lowest index with the verdict; UINT32_MAX
                                   when none */
    CloudRunHopKind decided_at; /* where it was decided */
    CloudRunDropCause cause;    /* its drop cause */
    const char *node, *why;     /* its cloudrun_request_why, interned in
                                   the explain log; NULL when none */
  } first[CLOUDRUN_N_VERDICTS];
  /* settled requests per verdict and drop cause (NONE included) */
  uint32_t causes[CLOUDRUN_N_VERDICTS][CLOUDRUN_N_DROP_CAUSES];
  uint32_t seen;                /* settled requests their destination's
                                   server took */
  struct {
    uint32_t index;             /* lowest index taken; UINT32_MAX none */
    CloudRunHopKind at;         /* its seen_at, seen_src, seen_src6,
                                   seen_host */
    uint32_t src;
    const SimIp6 *src6;
    const char *host;
  } first_seen;
  GArray *served;               /* CloudRunServed, in the order first met:
                                   the revisions its requests were sent to;
                                   NULL until one was */
  SimHistogram latency;         /* of the requests with a response */
  SimTime last_end;             /* latest end of a finished request; 0 */
} CloudRunTally;

/* Shown each request as it settles: times > 1 for the requests that never
 * began (r is then a blank record with the first such index). */
typedef void (*CloudRunSettleFunc) (void *user, const CloudRunRequest *r,
                                    uint32_t times);

typedef struct {
  CloudRunSettleFunc fn;
  void *user;                   /* owned through free_user (may be NULL) */
  GDestroyNotify free_user;
} CloudRunWatcher;

typedef struct {
  SimWorld *world;              /* not owned */
  GHashTable *live;             /* id -> CloudRunRequest*, owned: begun and
                                   not yet freed (looked up, never walked) */
  GPtrArray *spare;             /* freed records for reuse, owned */
  GArray *lingering;            /* uint32_t ids finished, in end order */
  guint linger_head;            /* first entry of lingering still held */
  GHashTable *keep;             /* ids kept to the end besides index 0 */
  GArray *tallies;              /* CloudRunTally, one per traffic */
  GArray *watchers;             /* CloudRunWatcher, in watch order */
  uint32_t in_flight, peak_in_flight; /* begun, not finished */
  bool closed;                  /* cloudrun_ledger_close ran */
} CloudRunLedger;

void cloudrun_ledger_init (CloudRunLedger *ledger, SimWorld *world);
void cloudrun_ledger_clear (CloudRunLedger *ledger);
/* Plans a traffic of count requests; returns the id of its request 0.
 * Traffics are numbered in the order they are added, from 0. */
uint32_t cloudrun_ledger_add_traffic (CloudRunLedger *ledger, uint32_t count,
                                      const char *name);
/* The last traffic added is sent by senders instances (a job's tasks), a
 * block of count / senders ids each, which each begins in order while the
 * blocks interleave in time. Before the run. */
void cloudrun_ledger_split_traffic (CloudRunLedger *ledger, uint32_t senders);
/* The step of r that decided it: the last of its chain at the node that
 * decided; 0 when none. */
uint32_t cloudrun_request_deciding_step (SimExplainLog *log,
                                         const CloudRunRequest *r);
/* Why r ended as it did, in the words of its own steps: the rule and
 * note of the step where the GFE classified it when it was delivered
 * through the GFE, else of its deciding step (less the clauses that only
 * name the instance or the status); for a caller's timeout, also the
 * last step at another node. Interned in log; NULL when no step says.
 * *node: that step's node. */
const char *cloudrun_request_why (SimExplainLog *log,
                                  const CloudRunRequest *r,
                                  const char **node);
/* Keeps request id to the end (explain shows it). Before the run. */
void cloudrun_ledger_keep (CloudRunLedger *ledger, uint32_t id);
/* Shows each settling request to fn, after the watchers before it; the
 * ledger owns user (freed with free_user). */
void cloudrun_ledger_watch (CloudRunLedger *ledger, CloudRunSettleFunc fn,
                            void *user, GDestroyNotify free_user);
/* The user of the watcher fn was given with; NULL when none. */
void *cloudrun_ledger_watcher (const CloudRunLedger *ledger,
                               CloudRunSettleFunc fn);

/* The caller begins request id: its record, made now (or the live one
 * when it exists), start = now. Frees what has lingered long enough; call
 * it from an event, never while a frame is being handled. */
CloudRunRequest *cloudrun_ledger_begin (CloudRunLedger *ledger, uint32_t id);
/* The caller is done with r (end and status set): settles it. */
void cloudrun_ledger_finish (CloudRunLedger *ledger, CloudRunRequest *r);
/* The run ended: settles the requests still in flight as they stand and
 * the ones never begun as pending. Once; later calls do nothing. */
void cloudrun_ledger_close (CloudRunLedger *ledger);

/* The live record of id; NULL for id 0, an id never begun or one freed. */
CloudRunRequest *cloudrun_ledger_get (CloudRunLedger *ledger, uint32_t id);
const CloudRunTally *cloudrun_ledger_tally (const CloudRunLedger *ledger,
                                            uint32_t traffic);

/* Appends a step taken at node now; records the hop in via. Returns the
 * step id, to put on the packet that carries the decision. */
uint32_t cloudrun_request_step (CloudRunLedger *ledger, uint32_t id,
                                const SimNode *node, const CloudRunStep *step);
/* Records hops the request passes without steps of its own: the path of
 * a kept connection it is sent on (via of the request that opened it,
 * as far as the handshake went). */
void cloudrun_request_pass_path (CloudRunLedger *ledger, uint32_t id,
                                 const uint8_t *via, uint8_t n_via);
/* Records a hop's decision. A later decision replaces an earlier one (a
 * SYN dropped once may get through on its retransmission); nothing is
 * recorded once the caller has finished with the request. */
void cloudrun_request_decide (CloudRunLedger *ledger, uint32_t id,
                              CloudRunVerdict outcome, CloudRunHopKind hop,
                              const SimNode *node, CloudRunDropCause cause);
void cloudrun_request_classify (CloudRunLedger *ledger, uint32_t id,
                                CloudRunClass classified);
/* The GFE sent request id to an instance of revision (a NAME that lives
 * as long as the world). */
void cloudrun_request_served_by (CloudRunLedger *ledger, uint32_t id,
                                 const char *revision);
/* The destination's HTTP server (hop: service, vm or client) took request
 * id: src (IPv4) or src6 (IPv6, when not NULL) is the IP source its
 * packets arrived with (the server's TCP peer), host the Host header it
 * parsed. The first call counts (one server takes a request once);
 * nothing once the caller has finished. */
void cloudrun_request_seen (CloudRunLedger *ledger, uint32_t id,
                            CloudRunHopKind hop, uint32_t src,
                            const SimIp6 *src6, const char *host);

#endif
