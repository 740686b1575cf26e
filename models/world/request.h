/* Requests and their fate. Every synthetic request has a record made at
 * build time (ids are dense, 1-based, in traffic order), so nodes refer to
 * it by the id that travels in packet metadata. Models append explanation
 * steps as packets pass and the node that decides a request's fate records
 * the decision; the caller records what it saw (status, latency). The
 * verdict is assembled from those, never from the scenario's settings.
 * Vocabulary: docs/networking.md, "Vocabulary" (Connectivity Tests names)
 * plus the simulator's own INGRESS_DENIED and IAM_DENIED. */
#ifndef CLOUDRUN_REQUEST_H
#define CLOUDRUN_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/explain.h"
#include "models/world/config.h"
#include "sim/node.h"

typedef enum {
  CLOUDRUN_VERDICT_PENDING = 0,   /* not finished when the run ended */
  CLOUDRUN_VERDICT_DELIVERED,
  CLOUDRUN_VERDICT_DENIED_BY_INGRESS,
  CLOUDRUN_VERDICT_DENIED_BY_IAM,
  CLOUDRUN_VERDICT_DENIED_BY_VPC_SC,
  CLOUDRUN_VERDICT_DROPPED,
  CLOUDRUN_VERDICT_DNS_FAILURE,
  CLOUDRUN_VERDICT_UNAVAILABLE,
  CLOUDRUN_VERDICT_TIMEOUT,
  CLOUDRUN_N_VERDICTS
} CloudRunVerdict;

typedef enum {
  CLOUDRUN_CLASS_NONE = 0,        /* never reached the GFE */
  CLOUDRUN_CLASS_INTERNAL,
  CLOUDRUN_CLASS_EXTERNAL,
} CloudRunClass;

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
  SimExplainChain chain;          /* the steps */
} CloudRunRequest;

/* One explanation step, as models describe it. */
typedef struct {
  CloudRunHopKind hop;                /* the kind of hop taking the step */
  const char *state;              /* vocabulary word */
  CloudRunDropCause cause;        /* why, for DROP and ABORT; NONE else */
  const char *rule;               /* what decided it (may be NULL) */
  const char *note;               /* more words (may be NULL) */
  uint32_t src, dst;              /* addresses as the packet arrived */
  uint32_t src_after, dst_after;  /* after translation; 0 unchanged */
} CloudRunStep;

typedef struct {
  SimWorld *world;                /* not owned */
  CloudRunRequest *requests;      /* n, owned */
  uint32_t n;
} CloudRunLedger;

void cloudrun_ledger_init (CloudRunLedger *ledger, SimWorld *world,
                           uint32_t n);
void cloudrun_ledger_clear (CloudRunLedger *ledger);
/* NULL for id 0 or out of range. */
CloudRunRequest *cloudrun_ledger_get (CloudRunLedger *ledger, uint32_t id);

/* Appends a step taken at node now; records the hop in via. Returns the
 * step id, to put on the packet that carries the decision. */
uint32_t cloudrun_request_step (CloudRunLedger *ledger, uint32_t id,
                                const SimNode *node, const CloudRunStep *step);
/* Records a hop's decision. A later decision replaces an earlier one (a
 * SYN dropped once may get through on its retransmission); nothing is
 * recorded once the caller has finished with the request. */
void cloudrun_request_decide (CloudRunLedger *ledger, uint32_t id,
                              CloudRunVerdict outcome, CloudRunHopKind hop,
                              const SimNode *node, CloudRunDropCause cause);
void cloudrun_request_classify (CloudRunLedger *ledger, uint32_t id,
                                CloudRunClass classified);

const char *cloudrun_verdict_name (CloudRunVerdict outcome);
const char *cloudrun_class_name (CloudRunClass classified);

#endif
