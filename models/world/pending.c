/* The pending queue of a Cloud Run service (see models/world/pending.h):
 * a FIFO in a GArray, entries [head, len); a forgotten entry stays as a
 * hole (session NULL) that pops skip. Allocation-free once grown. */
#include "models/world/pending.h"

#include "sim/world.h"

void
cloudrun_pending_init (CloudRunPendingQueue *q, SimTime max_wait)
{
  *q = (CloudRunPendingQueue) {
    .entries = g_array_new (FALSE, FALSE, sizeof (CloudRunPendingEntry)),
    .next_seq = 1, .max_wait = max_wait,
  };
}

void
cloudrun_pending_clear (CloudRunPendingQueue *q)
{
  g_clear_pointer (&q->entries, g_array_unref);
}

void
cloudrun_pending_record (CloudRunPendingQueue *q, CloudRunGauge *depth,
                         SimWorld *clock)
{
  q->depth = depth;
  q->clock = clock;
}

/* waiting changed. */
static void
pending_count (CloudRunPendingQueue *q)
{
  if (q->depth)
    cloudrun_gauge_set (q->depth, sim_world_now (q->clock), q->waiting);
}

SimTime
cloudrun_pending_documented_wait (SimTime cold_start)
{
  return MAX (10 * SIM_S, cold_start * 7 / 2);
}

uint64_t
cloudrun_pending_push (CloudRunPendingQueue *q, CloudRunProxySession *s,
                       CloudRunClass cls, const char *why, bool no_addresses,
                       SimTime now)
{
  CloudRunPendingEntry e = { s, cls, why, no_addresses, now, q->next_seq++ };

  /* Reuse the consumed prefix once it is the larger part. */
  if (q->head > 64 && q->head * 2 > q->entries->len)
    {
      g_array_remove_range (q->entries, 0, q->head);
      q->head = 0;
    }
  g_array_append_val (q->entries, e);
  q->queued++;
  if (++q->waiting > q->peak)
    q->peak = q->waiting;
  pending_count (q);
  return e.seq;
}

static gboolean
pending_take (CloudRunPendingQueue *q, uint64_t max_seq,
              CloudRunPendingEntry *out)
{
  while (q->head < q->entries->len)
    {
      CloudRunPendingEntry *e = &g_array_index (q->entries,
                                                CloudRunPendingEntry, q->head);
      if (e->seq > max_seq)
        return FALSE;
      q->head++;
      if (e->session == NULL)
        continue;
      *out = *e;
      q->waiting--;
      pending_count (q);
      return TRUE;
    }
  return FALSE;
}

gboolean
cloudrun_pending_pop (CloudRunPendingQueue *q, CloudRunPendingEntry *out)
{
  return pending_take (q, UINT64_MAX, out);
}

gboolean
cloudrun_pending_pop_due (CloudRunPendingQueue *q, uint64_t seq,
                          CloudRunPendingEntry *out)
{
  return pending_take (q, seq, out);
}

gboolean
cloudrun_pending_forget (CloudRunPendingQueue *q,
                         const CloudRunProxySession *s, uint64_t seq)
{
  CloudRunPendingEntry *e;
  uint64_t first;

  if (q->head >= q->entries->len)
    return FALSE;
  /* Entries hold consecutive seqs from the first kept. */
  first = g_array_index (q->entries, CloudRunPendingEntry, 0).seq;
  if (seq < first + q->head || seq - first >= q->entries->len)
    return FALSE;
  e = &g_array_index (q->entries, CloudRunPendingEntry, seq - first);
  if (e->session != s)
    return FALSE;
  e->session = NULL;
  q->waiting--;
  pending_count (q);
  return TRUE;
}
