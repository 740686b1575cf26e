/* The event kernel declared in sim/event.h: one flat 4-ary min-heap of
 * small inline entries {time, seq, record}, ordered by (time, seq), and
 * event records drawn from a free list that grows in slabs.
 *
 * Callers: sim/link.c, sim/world.c, every model, tools/bench-kernel.c.
 *
 * Invariants (checked by sim_kernel_check_invariants):
 * - heap[(i - 1) / 4] orders strictly before heap[i] for every i > 0;
 *   seqs are unique, so there are no ties between entries.
 * - every heap entry's seq equals its record's seq, which is non-zero and
 *   below next_seq; no pending entry is earlier than now.
 * - a record is either in the heap (seq != 0) or on the free list
 *   (seq == 0); heap length + free list length == allocated records.
 *   A record's seq is zeroed before its callback runs, so a SimTimer
 *   naming a fired, skipped or reused record no longer matches.
 *
 * Hot path: schedule (pop a free record, sift up) and run (pop the top,
 * sift down, free the record, call). Neither allocates in steady state;
 * comparisons read only the inline entries, never the records. A large
 * heap is bound by memory latency, not instructions, so the sift-down
 * prefetches each level's grandchildren once the heap outgrows the
 * caches, and the pop prefetches the next top's record
 * (tools/bench-kernel.c measures the effect). */
#include "sim/event.h"

#include <glib.h>
#include <stdalign.h>

#define SIM_EVENT_SLAB_RECORDS 1024
#define SIM_EVENT_HEAP_INITIAL 1024
#define SIM_EVENT_ARITY 4
/* Spare entries past cap: a full group of grandchildren. */
#define SIM_EVENT_HEAP_SLACK (SIM_EVENT_ARITY * SIM_EVENT_ARITY)
/* Below this many entries (384 KiB) the heap stays in cache and
 * prefetching only costs instructions. */
#define SIM_EVENT_PREFETCH_MIN 16384

/* One cache line per record (slabs come from g_aligned_alloc0, glib >=
 * 2.72): firing reads it with one miss, which the previous pop has
 * already started to fetch. */
struct SimEvent {
  alignas (64) SimEventFn fn;   /* the action */
  void *target;                 /* caller's pointer, not owned */
  void *arg;                    /* caller's pointer, not owned */
  uint64_t u;                   /* caller's small value */
  uint64_t seq;                 /* seq while scheduled; 0 when free */
  SimEvent *next_free;          /* free-list link, valid while free */
  bool cancelled;               /* skip when popped */
};
G_STATIC_ASSERT (sizeof (SimEvent) == 64);

/* One heap slot: the ordering key copied beside the record pointer. */
typedef struct {
  SimTime time;                 /* when it fires */
  uint64_t seq;                 /* tie-breaker: scheduling order */
  SimEvent *ev;                 /* the record */
} SimHeapEntry;

struct SimKernel {
  SimHeapEntry *heap;           /* 4-ary min-heap, len used of cap */
  size_t len;                   /* entries in the heap (live + cancelled) */
  size_t cap;                   /* allocated entries; doubles when full */
  SimEvent *free_list;          /* records ready for reuse */
  GPtrArray *slabs;             /* owned arrays of SIM_EVENT_SLAB_RECORDS */
  SimTime now;                  /* time of the last event fired */
  uint64_t next_seq;            /* next sequence number; starts at 1 */
  uint64_t fired;               /* events fired since creation */
  size_t cancelled;             /* cancelled entries still in the heap */
  bool stop;                    /* set by sim_kernel_stop */
};

/* ---- heap ------------------------------------------------------------ */

static inline int
entry_cmp (const SimHeapEntry *a, const SimHeapEntry *b)
{
  int c = (a->time > b->time) - (a->time < b->time);

  if (c != 0)
    return c;
  return (a->seq > b->seq) - (a->seq < b->seq);
}

static inline bool
entry_less (const SimHeapEntry *a, const SimHeapEntry *b)
{
  return entry_cmp (a, b) < 0;
}

/* Places entry at hole i, moving parents down while it orders first. */
static inline void
heap_sift_up (SimHeapEntry *heap, size_t i, SimHeapEntry entry)
{
  while (i > 0)
    {
      size_t parent = (i - 1) / SIM_EVENT_ARITY;

      if (!entry_less (&entry, &heap[parent]))
        break;
      heap[i] = heap[parent];
      i = parent;
    }
  heap[i] = entry;
}

/* Places entry at hole i, moving the least child up while it orders
 * before entry. */
static inline void
heap_sift_down (SimHeapEntry *heap, size_t len, size_t i, SimHeapEntry entry)
{
  bool prefetch = len >= SIM_EVENT_PREFETCH_MIN;

  for (;;)
    {
      size_t child = i * SIM_EVENT_ARITY + 1;
      size_t grandchild = child * SIM_EVENT_ARITY + 1;
      size_t end = child + SIM_EVENT_ARITY;
      size_t best = child;

      if (child >= len)
        break;
      if (end > len)
        end = len;
      /* The 16 grandchildren are contiguous: fetch them while the
       * children are compared, so the next level does not wait on memory.
       * The allocation has SIM_EVENT_HEAP_SLACK spare entries, so the
       * addresses stay inside it. (Written inline: GCC drops a call to a
       * helper that only prefetches, having deemed it pure.) */
      if (prefetch && grandchild < len)
        for (size_t k = 0; k < SIM_EVENT_HEAP_SLACK * sizeof *heap; k += 64)
          __builtin_prefetch ((const char *) &heap[grandchild] + k);
      for (size_t j = child + 1; j < end; j++)
        if (entry_less (&heap[j], &heap[best]))
          best = j;
      if (!entry_less (&heap[best], &entry))
        break;
      heap[i] = heap[best];
      i = best;
    }
  heap[i] = entry;
}

static void
heap_grow (SimKernel *kernel)
{
  kernel->cap *= 2;
  kernel->heap = g_renew (SimHeapEntry, kernel->heap,
                          kernel->cap + SIM_EVENT_HEAP_SLACK);
}

static inline void
heap_push (SimKernel *kernel, SimHeapEntry entry)
{
  if (G_UNLIKELY (kernel->len == kernel->cap))
    heap_grow (kernel);
  heap_sift_up (kernel->heap, kernel->len++, entry);
}

/* Removes and returns the top entry; the heap is not empty. Starts
 * fetching the new top's record, which the next firing will read. */
static inline SimHeapEntry
heap_pop (SimKernel *kernel)
{
  SimHeapEntry top = kernel->heap[0];
  SimHeapEntry last = kernel->heap[--kernel->len];

  if (kernel->len > 0)
    {
      heap_sift_down (kernel->heap, kernel->len, 0, last);
      __builtin_prefetch (kernel->heap[0].ev);
    }
  return top;
}

/* ---- records --------------------------------------------------------- */

/* Adds one slab to the free list, first record first. */
static void
records_grow (SimKernel *kernel)
{
  SimEvent *slab = g_aligned_alloc0 (SIM_EVENT_SLAB_RECORDS,
                                     sizeof (SimEvent), alignof (SimEvent));

  for (size_t i = 0; i + 1 < SIM_EVENT_SLAB_RECORDS; i++)
    slab[i].next_free = &slab[i + 1];
  slab[SIM_EVENT_SLAB_RECORDS - 1].next_free = kernel->free_list;
  kernel->free_list = slab;
  g_ptr_array_add (kernel->slabs, slab);
}

static inline SimEvent *
record_take (SimKernel *kernel)
{
  SimEvent *ev;

  if (G_UNLIKELY (kernel->free_list == NULL))
    records_grow (kernel);
  ev = kernel->free_list;
  kernel->free_list = ev->next_free;
  return ev;
}

/* Returns a record to the free list; stale timers stop matching it. */
static inline void
record_release (SimKernel *kernel, SimEvent *ev)
{
  ev->seq = 0;
  ev->next_free = kernel->free_list;
  kernel->free_list = ev;
}

/* ---- life cycle ------------------------------------------------------ */

SimKernel *
sim_kernel_new (void)
{
  SimKernel *kernel = g_new0 (SimKernel, 1);

  kernel->cap = SIM_EVENT_HEAP_INITIAL;
  kernel->heap = g_new (SimHeapEntry, kernel->cap + SIM_EVENT_HEAP_SLACK);
  kernel->slabs = g_ptr_array_new_with_free_func (g_aligned_free);
  kernel->next_seq = 1;
  return kernel;
}

void
sim_kernel_free (SimKernel *kernel)
{
  if (!kernel)
    return;
  g_free (kernel->heap);
  g_ptr_array_free (kernel->slabs, TRUE);
  g_free (kernel);
}

/* ---- scheduling ------------------------------------------------------ */

SimTimer
sim_kernel_schedule (SimKernel *kernel, SimTime at, SimEventFn fn,
                     void *target, void *arg, uint64_t u)
{
  SimEvent *ev;
  SimHeapEntry entry;

  g_assert (at >= kernel->now);
  g_assert (fn != NULL);
  ev = record_take (kernel);
  ev->fn = fn;
  ev->target = target;
  ev->arg = arg;
  ev->u = u;
  ev->seq = kernel->next_seq++;
  ev->cancelled = false;
  entry.time = at;
  entry.seq = ev->seq;
  entry.ev = ev;
  heap_push (kernel, entry);
  return (SimTimer) { .event = ev, .seq = entry.seq };
}

SimTimer
sim_kernel_schedule_in (SimKernel *kernel, SimTime delay, SimEventFn fn,
                        void *target, void *arg, uint64_t u)
{
  g_assert (delay >= 0);
  g_assert (delay <= SIM_TIME_MAX - kernel->now);
  return sim_kernel_schedule (kernel, kernel->now + delay, fn, target, arg,
                              u);
}

/* Drops every cancelled entry and rebuilds the heap bottom-up (Floyd),
 * O(n). The order of the live entries is their (time, seq) order as
 * before, so runs stay deterministic. */
static void
kernel_compact (SimKernel *kernel)
{
  size_t kept = 0;

  for (size_t i = 0; i < kernel->len; i++)
    {
      if (kernel->heap[i].ev->cancelled)
        record_release (kernel, kernel->heap[i].ev);
      else
        kernel->heap[kept++] = kernel->heap[i];
    }
  kernel->len = kept;
  kernel->cancelled = 0;
  for (size_t i = kept / 4 + 1; i-- > 0;)
    if (i < kept)
      heap_sift_down (kernel->heap, kept, i, kernel->heap[i]);
}

/* The timer is left as is; it simply stops matching. When cancelled
 * entries make up most of the heap, they are swept out at once, so that
 * long timeouts cancelled early (the usual case) do not bloat it. */
bool
sim_kernel_cancel (SimKernel *kernel, SimTimer *timer)
{
  if (!sim_timer_pending (timer))
    return false;
  timer->event->cancelled = true;
  if (++kernel->cancelled > 4096 && kernel->cancelled > kernel->len / 2)
    kernel_compact (kernel);
  return true;
}

bool
sim_timer_pending (const SimTimer *timer)
{
  const SimEvent *ev = timer->event;

  return ev != NULL && timer->seq != 0 && ev->seq == timer->seq
    && !ev->cancelled;
}

/* ---- running --------------------------------------------------------- */

SimTime
sim_kernel_now (const SimKernel *kernel)
{
  return kernel->now;
}

/* Pops entries due by until, freeing cancelled ones, and returns the
 * first live one in *out; false when none is due. */
static inline bool
kernel_pop_due (SimKernel *kernel, SimTime until, SimHeapEntry *out)
{
  while (kernel->len > 0 && kernel->heap[0].time <= until)
    {
      SimHeapEntry top = heap_pop (kernel);

      if (G_LIKELY (!top.ev->cancelled))
        {
          *out = top;
          return true;
        }
      kernel->cancelled--;
      record_release (kernel, top.ev);
    }
  return false;
}

/* Frees the record first, so the callback may reuse it and a timer for
 * the firing event no longer matches, then calls it. */
static inline void
kernel_fire (SimKernel *kernel, const SimHeapEntry *entry)
{
  SimEvent *ev = entry->ev;
  SimEventFn fn = ev->fn;
  void *target = ev->target;
  void *arg = ev->arg;
  uint64_t u = ev->u;

  record_release (kernel, ev);
  kernel->now = entry->time;
  kernel->fired++;
  fn (kernel, target, arg, u);
}

uint64_t
sim_kernel_run (SimKernel *kernel, SimTime until)
{
  SimHeapEntry entry;
  uint64_t count = 0;

  kernel->stop = false;
  while (!kernel->stop && kernel_pop_due (kernel, until, &entry))
    {
      kernel_fire (kernel, &entry);
      count++;
    }
  return count;
}

bool
sim_kernel_step (SimKernel *kernel)
{
  SimHeapEntry entry;

  if (!kernel_pop_due (kernel, SIM_TIME_MAX, &entry))
    return false;
  kernel_fire (kernel, &entry);
  return true;
}

void
sim_kernel_stop (SimKernel *kernel)
{
  kernel->stop = true;
}

/* ---- introspection --------------------------------------------------- */

uint64_t
sim_kernel_pending (const SimKernel *kernel)
{
  return kernel->len;
}

uint64_t
sim_kernel_fired (const SimKernel *kernel)
{
  return kernel->fired;
}

uint64_t
sim_kernel_allocated_records (const SimKernel *kernel)
{
  return (uint64_t) kernel->slabs->len * SIM_EVENT_SLAB_RECORDS;
}

void
sim_kernel_check_invariants (const SimKernel *kernel)
{
  uint64_t allocated = sim_kernel_allocated_records (kernel);
  uint64_t free_count = 0;

  g_assert (kernel->len <= kernel->cap);
  g_assert (kernel->next_seq >= 1);
  for (size_t i = 0; i < kernel->len; i++)
    {
      const SimHeapEntry *e = &kernel->heap[i];

      g_assert (e->ev != NULL);
      g_assert (e->seq != 0 && e->seq < kernel->next_seq);
      g_assert (e->ev->seq == e->seq);
      g_assert (e->time >= kernel->now);
      if (i > 0)
        g_assert (entry_cmp (&kernel->heap[(i - 1) / SIM_EVENT_ARITY], e)
                  < 0);
    }
  for (const SimEvent *ev = kernel->free_list; ev; ev = ev->next_free)
    {
      g_assert (ev->seq == 0);
      free_count++;
      g_assert (free_count <= allocated);
    }
  g_assert (free_count + kernel->len == allocated);
}
