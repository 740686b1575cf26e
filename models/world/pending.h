/* The pending queue of a Cloud Run service at the GFE: requests that find
 * every allowed instance at its concurrency wait here, first come first
 * served, for a slot an instance frees, at most a bounded time, then get
 * 429. Google: "requests wait for up to 3.5 times the average startup
 * time of container instances of this service, or 10 seconds, whichever
 * is greater" (cloud.google.com/run/docs/about-instance-autoscaling,
 * "Exceeding maximum instances"); [assumptions] pending-wait overrides
 * it. The queue holds sessions; the GFE (models/world/gfe.c) decides. */
#ifndef CLOUDRUN_PENDING_H
#define CLOUDRUN_PENDING_H

#include <glib.h>
#include <stdint.h>

#include "models/world/proxy.h"
#include "models/world/request.h"
#include "models/world/series.h"

typedef struct {
  CloudRunProxySession *session;  /* NULL once gone (caller left) */
  CloudRunClass cls;              /* the GFE's classification */
  const char *why;                /* its reason (interned) */
  bool no_addresses;              /* no instance could start for want of
                                   Direct VPC addresses */
  SimTime since;                  /* when it began to wait */
  uint64_t seq;                   /* its place, from 1 */
} CloudRunPendingEntry;

typedef struct {
  GArray *entries;              /* CloudRunPendingEntry, [head, len) live */
  guint head;
  uint64_t next_seq;            /* seq of the next entry */
  SimTime max_wait;             /* how long an entry may wait */
  uint32_t waiting, peak;       /* entries queued now, at most */
  uint64_t queued, expired;     /* entries ever queued; answered 429 */
  CloudRunGauge *depth;         /* waiting over time, or NULL */
  SimWorld *clock;              /* for the depth's times */
} CloudRunPendingQueue;

void cloudrun_pending_init (CloudRunPendingQueue *q, SimTime max_wait);
void cloudrun_pending_clear (CloudRunPendingQueue *q);
/* Records how many wait in depth (models/world/series.h), at clock's
 * time. */
void cloudrun_pending_record (CloudRunPendingQueue *q, CloudRunGauge *depth,
                              SimWorld *clock);
/* Google's bound for a service whose instances start in cold_start. */
SimTime cloudrun_pending_documented_wait (SimTime cold_start);
/* Queues s; returns its seq. */
uint64_t cloudrun_pending_push (CloudRunPendingQueue *q,
                                CloudRunProxySession *s, CloudRunClass cls,
                                const char *why, bool no_addresses,
                                SimTime now);
/* Takes the oldest entry still there into *out; FALSE when none. */
gboolean cloudrun_pending_pop (CloudRunPendingQueue *q,
                               CloudRunPendingEntry *out);
/* Takes the oldest entry when its seq is at most seq (its wait is over)
 * into *out; FALSE when none is. */
gboolean cloudrun_pending_pop_due (CloudRunPendingQueue *q, uint64_t seq,
                                   CloudRunPendingEntry *out);
/* s, queued as seq, went away while waiting: forgets it. FALSE when it
 * was not waiting there. O(1). */
gboolean cloudrun_pending_forget (CloudRunPendingQueue *q,
                                  const CloudRunProxySession *s,
                                  uint64_t seq);

#endif
