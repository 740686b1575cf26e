/* The event kernel declared in sim/event.h: a radix heap of small inline
 * entries {time, record} whose lowest bucket is kept as a 4-ary min-heap
 * ordered by (time, seq), and event records drawn from a free list that
 * grows in slabs.
 *
 * Why a radix heap: simulated time never goes backwards, so the queue
 * only has to be monotone. A radix heap files an entry in the bucket of
 * the highest bit where its time differs from `last`, a base no later
 * than any queued time; a bucket is emptied into lower ones around its
 * least time (the new base) only when it is the lowest. Each move is a
 * step of a sequential pass over a bucket's chunks, so a large queue
 * costs memory bandwidth instead of a cache miss per level of a heap. A
 * calendar or ladder queue streams too, but its bucket widths must be
 * tuned to the spread of times, and retuned when that changes; the radix
 * heap has nothing to tune and a fixed bound (an entry moves at most 63
 * times).
 *
 * The front: splitting buckets down to single times would move every
 * entry about log2(spread) times and leave ties to sort. Instead, once
 * the lowest bucket holds at most SIM_EVENT_FRONT_MAX entries it becomes
 * the front, a small 4-ary heap in cache ordered by (time, seq), which
 * then also takes every newly scheduled time in its range (the times
 * sharing last's bits from front_bits up). Equal times thus fire in seq
 * order, and the run is the same as with one heap.
 *
 * Callers: sim/link.c, sim/world.c, every model,
 * tools/benchmarks/bench-kernel.c.
 *
 * Invariants (checked by sim_kernel_check_invariants):
 * - now and last are <= every queued time. The front holds exactly the
 *   queued times t with t >> front_bits == last >> front_bits, as a heap:
 *   front[(i - 1) / 4] orders strictly before front[i] for every i > 0
 *   (seqs are unique, so there are no ties). Every other entry sits in
 *   bucket bucket_index (t, last) > front_bits; a bucket's min is its
 *   least time; its chunks are all full but the newest; bit i of
 *   nonempty is set exactly when bucket i has entries. So every front
 *   entry orders before every bucket entry.
 * - every entry's record has a seq that is non-zero and below next_seq;
 *   len counts the entries, cancelled those whose record is cancelled.
 * - a record is either queued (seq != 0) or on the free list (seq == 0);
 *   len + free list length == allocated records. A record's seq is zeroed
 *   before its callback runs, so a SimTimer naming a fired, skipped or
 *   reused record no longer matches.
 *
 * Hot path: schedule (pop a free record, append to a bucket or sift up
 * the front) and run (pop the front, refilling it from the lowest bucket
 * when empty; free the record, call). Neither allocates in steady state:
 * the front doubles when full and keeps its size, and bucket chunks come
 * from a pool that keeps its peak. Moves and comparisons read only the
 * inline entries (the record's seq only between equal times). Records
 * are fetched ahead: all of a bucket's when it becomes the front, and
 * the top's children's at each pop, when the new top's target and arg
 * are fetched too, a firing before they are read. */
#include "sim/event.h"

#include <glib.h>
#include <stdalign.h>
#include <string.h>

#define SIM_EVENT_SLAB_RECORDS 1024
/* Times are >= 0, so two differ in bits 0..62 only: buckets 1..63 (0,
 * equal times, is always within the front). */
#define SIM_EVENT_BUCKETS 64
/* A bucket is a chain of 4 KiB chunks. */
#define SIM_EVENT_CHUNK_ENTRIES 255
/* The lowest bucket becomes the front once it has this many entries or
 * fewer: 2 KiB of entries and 8 KiB of records, in L1. Splitting further
 * moves entries more often; a larger front makes every pop deeper. In
 * the hold model of tools/benchmarks/bench-kernel.c, 64 to 256 ran fastest at
 * populations 1e3 to 1e6 (within the noise of each other), 4096 and
 * more up to a third slower. */
#define SIM_EVENT_FRONT_MAX 128
#define SIM_EVENT_FRONT_INITIAL 1024
#define SIM_EVENT_ARITY 4
/* Spare entries past the front's cap: a full group of grandchildren. */
#define SIM_EVENT_FRONT_SLACK (SIM_EVENT_ARITY * SIM_EVENT_ARITY)
/* Below this many entries (256 KiB) the front stays in cache and
 * prefetching only costs instructions. It grows this large only when
 * many events crowd into a narrow span of time. */
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
  union {
    SimEvent *next_free;        /* free-list link, valid while free */
    const void *fetch;          /* while queued: its 64 bytes are
                                   fetched ahead; NULL none */
  };
  bool cancelled;               /* skip when popped */
};
G_STATIC_ASSERT (sizeof (SimEvent) == 64);

/* One queue slot: the time copied beside the record pointer. Equal times
 * are ordered by the record's seq, which does not change while queued. */
typedef struct {
  SimTime time;                 /* when it fires */
  SimEvent *ev;                 /* the record */
} SimQueueEntry;

/* Buckets hold their entries in chunks from one pool: a split hands the
 * chunks it has read to the buckets it fills, so a split writes into
 * memory it has just read, and the buckets together never hold much more
 * than the entries they have. */
typedef struct SimChunk SimChunk;
struct SimChunk {
  SimChunk *next;               /* the bucket's older chunk, or next free */
  size_t len;                   /* entries used */
  SimQueueEntry entries[SIM_EVENT_CHUNK_ENTRIES];
};
G_STATIC_ASSERT (sizeof (SimChunk) == 4096);

/* One radix bucket, emptied whole: a chain of chunks, all full but the
 * newest. */
typedef struct {
  SimChunk *chunks;             /* newest first, appended to; NULL if empty */
  size_t len;                   /* entries in all its chunks */
  SimTime min;                  /* least time in it; SIM_TIME_MAX if none */
} SimBucket;

struct SimKernel {
  SimQueueEntry *front;         /* 4-ary min-heap, front_len of front_cap */
  size_t front_len;
  size_t front_cap;             /* doubles when full */
  unsigned front_bits;          /* the front's span of times: see above */
  SimBucket buckets[SIM_EVENT_BUCKETS];
  uint64_t nonempty;            /* bit i set when bucket i has entries */
  SimChunk *free_chunks;        /* chunks ready for reuse */
  GPtrArray *all_chunks;        /* owned: every chunk allocated */
  SimTime last;                 /* the buckets' base */
  size_t len;                   /* entries queued (live + cancelled) */
  SimEvent *free_list;          /* records ready for reuse */
  GPtrArray *slabs;             /* owned arrays of SIM_EVENT_SLAB_RECORDS */
  SimTime now;                  /* time of the last event fired */
  uint64_t next_seq;            /* next sequence number; starts at 1 */
  uint64_t fired;               /* events fired since creation */
  size_t cancelled;             /* cancelled entries still queued */
  bool stop;                    /* set by sim_kernel_stop */
};

/* ---- the front: a 4-ary heap ---------------------------------------- */

static inline int
entry_cmp (const SimQueueEntry *a, const SimQueueEntry *b)
{
  int c = (a->time > b->time) - (a->time < b->time);

  if (c != 0)
    return c;
  return (a->ev->seq > b->ev->seq) - (a->ev->seq < b->ev->seq);
}

static inline bool
entry_less (const SimQueueEntry *a, const SimQueueEntry *b)
{
  return entry_cmp (a, b) < 0;
}

/* Places entry at hole i, moving parents down while it orders first. */
static inline void
heap_sift_up (SimQueueEntry *heap, size_t i, SimQueueEntry entry)
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
heap_sift_down (SimQueueEntry *heap, size_t len, size_t i,
                SimQueueEntry entry)
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
       * children are compared. The allocation has SIM_EVENT_FRONT_SLACK
       * spare entries, so the addresses stay inside it. (Written inline:
       * GCC drops a call to a helper that only prefetches.) */
      if (prefetch && grandchild < len)
        for (size_t k = 0; k < SIM_EVENT_FRONT_SLACK * sizeof *heap; k += 64)
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

/* Makes front[0, front_len) a heap bottom-up (Floyd), O(n). */
static void
front_heapify (SimKernel *kernel)
{
  size_t len = kernel->front_len;

  for (size_t i = len / SIM_EVENT_ARITY + 1; i-- > 0;)
    if (i < len)
      heap_sift_down (kernel->front, len, i, kernel->front[i]);
}

/* Makes room for at least need entries. */
static void
front_reserve (SimKernel *kernel, size_t need)
{
  if (need <= kernel->front_cap)
    return;
  while (kernel->front_cap < need)
    kernel->front_cap *= 2;
  kernel->front = g_renew (SimQueueEntry, kernel->front,
                           kernel->front_cap + SIM_EVENT_FRONT_SLACK);
}

static inline void
front_push (SimKernel *kernel, SimQueueEntry entry)
{
  if (G_UNLIKELY (kernel->front_len == kernel->front_cap))
    front_reserve (kernel, kernel->front_len + 1);
  heap_sift_up (kernel->front, kernel->front_len++, entry);
}

/* Removes and returns the top entry; the front is not empty. Fetches
 * ahead for the firings after it: the new top's target and arg (its
 * record is mostly in cache: it was a child of the old top, fetched here
 * at the last pop, or was scheduled since) and the place it names to fetch
 * (sim_kernel_schedule_fetch), and the records of the top's
 * children, one of which fires next but one. The next event then finds
 * what it reads first in cache, as a link's arrival its frame
 * (sim/link.c). (Written inline: GCC drops a call to a helper that only
 * prefetches.) */
static inline SimQueueEntry
front_pop (SimKernel *kernel)
{
  SimQueueEntry top = kernel->front[0];
  SimQueueEntry last = kernel->front[--kernel->front_len];
  const SimQueueEntry *front = kernel->front;

  if (kernel->front_len > 0)
    {
      heap_sift_down (kernel->front, kernel->front_len, 0, last);
      __builtin_prefetch (front[0].ev->target);
      __builtin_prefetch (front[0].ev->arg);
      if (front[0].ev->fetch)
        {
          __builtin_prefetch (front[0].ev->fetch);
          __builtin_prefetch ((const char *) front[0].ev->fetch + 63);
        }
      for (size_t i = 1; i <= SIM_EVENT_ARITY && i < kernel->front_len; i++)
        __builtin_prefetch (front[i].ev);
    }
  return top;
}

/* ---- the radix buckets ---------------------------------------------- */

/* 0 when time == last, else 1 + the highest bit where they differ. */
static inline unsigned
bucket_index (SimTime time, SimTime last)
{
  uint64_t diff = (uint64_t) time ^ (uint64_t) last;

  return diff == 0 ? 0 : 64 - (unsigned) __builtin_clzll (diff);
}

/* A free chunk, or a new one: the pool grows to the queue's peak only. */
static SimChunk *
chunk_take (SimKernel *kernel)
{
  SimChunk *chunk = kernel->free_chunks;

  if (G_UNLIKELY (chunk == NULL))
    {
      chunk = g_new (SimChunk, 1);
      g_ptr_array_add (kernel->all_chunks, chunk);
    }
  else
    kernel->free_chunks = chunk->next;
  chunk->len = 0;
  return chunk;
}

static inline void
chunk_release (SimKernel *kernel, SimChunk *chunk)
{
  chunk->next = kernel->free_chunks;
  kernel->free_chunks = chunk;
}

static inline void
bucket_append (SimKernel *kernel, unsigned i, SimQueueEntry entry)
{
  SimBucket *bucket = &kernel->buckets[i];
  SimChunk *chunk = bucket->chunks;

  if (G_UNLIKELY (chunk == NULL || chunk->len == SIM_EVENT_CHUNK_ENTRIES))
    {
      chunk = chunk_take (kernel);
      chunk->next = bucket->chunks;
      bucket->chunks = chunk;
    }
  chunk->entries[chunk->len++] = entry;
  bucket->len++;
  if (entry.time < bucket->min)
    bucket->min = entry.time;
  kernel->nonempty |= (uint64_t) 1 << i;
}

/* Empties bucket i and returns its chain of chunks, which the caller
 * reads and then releases. */
static inline SimChunk *
bucket_detach (SimKernel *kernel, unsigned i)
{
  SimBucket *bucket = &kernel->buckets[i];
  SimChunk *chain = bucket->chunks;

  bucket->chunks = NULL;
  bucket->len = 0;
  bucket->min = SIM_TIME_MAX;
  kernel->nonempty &= ~((uint64_t) 1 << i);
  return chain;
}

/* ---- the queue ------------------------------------------------------- */

static inline bool
queue_in_front (const SimKernel *kernel, SimTime time)
{
  return ((uint64_t) time ^ (uint64_t) kernel->last) >> kernel->front_bits
    == 0;
}

/* Files an entry at or after last in the front or its bucket. */
static inline void
queue_file (SimKernel *kernel, SimQueueEntry entry)
{
  if (queue_in_front (kernel, entry.time))
    front_push (kernel, entry);
  else
    bucket_append (kernel, bucket_index (entry.time, kernel->last), entry);
}

/* Files every entry again around a new, lower base; O(n). Needed only
 * when a run stopped at until after skipping cancelled entries, so last
 * ran ahead of now, and the caller then schedules between the two. */
static void
queue_rebase (SimKernel *kernel, SimTime base)
{
  size_t n = kernel->front_len;
  SimQueueEntry *all = g_new (SimQueueEntry, kernel->len);

  memcpy (all, kernel->front, n * sizeof *all);
  for (unsigned i = 1; i < SIM_EVENT_BUCKETS; i++)
    {
      SimChunk *chunk = bucket_detach (kernel, i);

      while (chunk)
        {
          SimChunk *next = chunk->next;

          memcpy (all + n, chunk->entries, chunk->len * sizeof *all);
          n += chunk->len;
          chunk_release (kernel, chunk);
          chunk = next;
        }
    }
  kernel->front_len = 0;
  kernel->front_bits = 0;
  kernel->last = base;
  for (size_t j = 0; j < n; j++)
    queue_file (kernel, all[j]);
  g_free (all);
}

static inline void
queue_push (SimKernel *kernel, SimQueueEntry entry)
{
  if (G_UNLIKELY (entry.time < kernel->last))
    queue_rebase (kernel, entry.time);
  queue_file (kernel, entry);
  kernel->len++;
}

/* The lowest non-empty bucket; there is one. */
static inline unsigned
queue_lowest (const SimKernel *kernel)
{
  return (unsigned) __builtin_ctzll (kernel->nonempty);
}

/* The least time queued; the queue is not empty. */
static inline SimTime
queue_min_time (const SimKernel *kernel)
{
  if (kernel->front_len > 0)
    return kernel->front[0].time;
  return kernel->buckets[queue_lowest (kernel)].min;
}

/* Makes the small bucket i the whole front. Its times share their bits
 * from i - 1 up with last, its least time. Their records are fetched
 * now, in parallel, rather than one miss per firing. */
static void
queue_take_bucket (SimKernel *kernel, unsigned i)
{
  SimChunk *chunk;

  front_reserve (kernel, kernel->buckets[i].len);
  chunk = bucket_detach (kernel, i);
  kernel->front_bits = i - 1;
  while (chunk)
    {
      SimChunk *next = chunk->next;

      for (size_t j = 0; j < chunk->len; j++)
        {
          kernel->front[kernel->front_len++] = chunk->entries[j];
          __builtin_prefetch (chunk->entries[j].ev);
        }
      chunk_release (kernel, chunk);
      chunk = next;
    }
  front_heapify (kernel);
}

/* Splits the large bucket i into lower buckets around last, its least
 * time; its entries at last go to the front. Each chunk read is free for
 * the next ones written. */
static void
queue_split_bucket (SimKernel *kernel, unsigned i)
{
  SimChunk *chunk = bucket_detach (kernel, i);
  SimTime last = kernel->last;

  kernel->front_bits = 0;
  while (chunk)
    {
      SimChunk *next = chunk->next;

      for (size_t j = 0; j < chunk->len; j++)
        {
          SimQueueEntry entry = chunk->entries[j];

          if (entry.time == last)
            front_push (kernel, entry);
          else
            bucket_append (kernel, bucket_index (entry.time, last), entry);
        }
      chunk_release (kernel, chunk);
      chunk = next;
    }
}

/* Refills the empty front from the lowest bucket, whose least time
 * becomes last. */
static void
queue_refill_front (SimKernel *kernel)
{
  unsigned i = queue_lowest (kernel);

  kernel->last = kernel->buckets[i].min;
  if (kernel->buckets[i].len <= SIM_EVENT_FRONT_MAX)
    queue_take_bucket (kernel, i);
  else
    queue_split_bucket (kernel, i);
}

/* Removes and returns the first entry; the queue is not empty. */
static inline SimQueueEntry
queue_pop (SimKernel *kernel)
{
  if (kernel->front_len == 0)
    queue_refill_front (kernel);
  kernel->len--;
  return front_pop (kernel);
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
  /* The next take reads and writes it: a record released when a
   * cancelled entry was skipped has long left the cache. */
  __builtin_prefetch (kernel->free_list, 1);
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

  kernel->front_cap = SIM_EVENT_FRONT_INITIAL;
  kernel->front = g_new (SimQueueEntry,
                         kernel->front_cap + SIM_EVENT_FRONT_SLACK);
  for (unsigned i = 0; i < SIM_EVENT_BUCKETS; i++)
    kernel->buckets[i].min = SIM_TIME_MAX;
  kernel->all_chunks = g_ptr_array_new_with_free_func (g_free);
  kernel->slabs = g_ptr_array_new_with_free_func (g_aligned_free);
  kernel->next_seq = 1;
  return kernel;
}

void
sim_kernel_free (SimKernel *kernel)
{
  if (!kernel)
    return;
  g_free (kernel->front);
  g_ptr_array_free (kernel->all_chunks, TRUE);
  g_ptr_array_free (kernel->slabs, TRUE);
  g_free (kernel);
}

void
sim_kernel_foreach_pending (SimKernel *kernel, SimEventFn fn,
                            void (*visit) (void *arg, void *user), void *user)
{
  for (guint i = 0; i < kernel->slabs->len; i++)
    {
      SimEvent *slab = g_ptr_array_index (kernel->slabs, i);
      for (guint j = 0; j < SIM_EVENT_SLAB_RECORDS; j++)
        if (slab[j].seq != 0 && !slab[j].cancelled && slab[j].fn == fn)
          visit (slab[j].arg, user);
    }
}

/* ---- scheduling ------------------------------------------------------ */

SimTimer
sim_kernel_schedule_fetch (SimKernel *kernel, SimTime at, SimEventFn fn,
                           void *target, void *arg, uint64_t u,
                           const void *fetch)
{
  SimEvent *ev;

  g_assert (at >= kernel->now);
  g_assert (fn != NULL);
  ev = record_take (kernel);
  ev->fn = fn;
  ev->target = target;
  ev->arg = arg;
  ev->u = u;
  ev->seq = kernel->next_seq++;
  ev->fetch = fetch;
  ev->cancelled = false;
  queue_push (kernel, (SimQueueEntry) { .time = at, .ev = ev });
  return (SimTimer) { .event = ev, .seq = ev->seq };
}

SimTimer
sim_kernel_schedule (SimKernel *kernel, SimTime at, SimEventFn fn,
                     void *target, void *arg, uint64_t u)
{
  return sim_kernel_schedule_fetch (kernel, at, fn, target, arg, u, NULL);
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

/* Keeps the live entries of entries[0, *len), in their order, and frees
 * the cancelled ones' records; returns the least time kept. */
static SimTime
entries_sweep (SimKernel *kernel, SimQueueEntry *entries, size_t *len)
{
  SimTime min = SIM_TIME_MAX;
  size_t kept = 0;

  for (size_t j = 0; j < *len; j++)
    {
      if (entries[j].ev->cancelled)
        {
          record_release (kernel, entries[j].ev);
          kernel->len--;
          continue;
        }
      min = MIN (min, entries[j].time);
      entries[kept++] = entries[j];
    }
  *len = kept;
  return min;
}

/* Drops every cancelled entry, O(n): files each bucket's live entries
 * into it again and sweeps the front, then rebuilds the front's heap.
 * Where each live entry is filed does not change, so the queue fires as
 * it would have. */
static void
kernel_compact (SimKernel *kernel)
{
  for (unsigned i = 1; i < SIM_EVENT_BUCKETS; i++)
    {
      SimChunk *chunk = bucket_detach (kernel, i);

      while (chunk)
        {
          SimChunk *next = chunk->next;

          entries_sweep (kernel, chunk->entries, &chunk->len);
          for (size_t j = 0; j < chunk->len; j++)
            bucket_append (kernel, i, chunk->entries[j]);
          chunk_release (kernel, chunk);
          chunk = next;
        }
    }
  entries_sweep (kernel, kernel->front, &kernel->front_len);
  front_heapify (kernel);
  kernel->cancelled = 0;
}

/* The timer is left as is; it simply stops matching. When cancelled
 * entries make up most of the queue, they are swept out at once, so that
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
kernel_pop_due (SimKernel *kernel, SimTime until, SimQueueEntry *out)
{
  while (kernel->len > 0 && queue_min_time (kernel) <= until)
    {
      SimQueueEntry top = queue_pop (kernel);

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
kernel_fire (SimKernel *kernel, const SimQueueEntry *entry)
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
sim_kernel_run_at_most (SimKernel *kernel, SimTime until, uint64_t max_events)
{
  SimQueueEntry entry;
  uint64_t count = 0;

  kernel->stop = false;
  while (count < max_events && !kernel->stop
         && kernel_pop_due (kernel, until, &entry))
    {
      kernel_fire (kernel, &entry);
      count++;
    }
  return count;
}

uint64_t
sim_kernel_run (SimKernel *kernel, SimTime until)
{
  return sim_kernel_run_at_most (kernel, until, UINT64_MAX);
}

bool
sim_kernel_step (SimKernel *kernel)
{
  SimQueueEntry entry;

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

/* Checks one entry; counts it in *count and *cancelled. */
static void
check_entry (const SimKernel *kernel, const SimQueueEntry *e, size_t *count,
             size_t *cancelled)
{
  g_assert (e->ev != NULL);
  g_assert (e->ev->seq != 0 && e->ev->seq < kernel->next_seq);
  g_assert (e->time >= kernel->last && e->time >= kernel->now);
  (*count)++;
  *cancelled += e->ev->cancelled;
}

/* Checks bucket i: its chunks, its entries' places, its min and its bit
 * in nonempty. */
static void
check_bucket (const SimKernel *kernel, unsigned i, size_t *count,
              size_t *cancelled)
{
  const SimBucket *bucket = &kernel->buckets[i];
  SimTime min = SIM_TIME_MAX;
  size_t len = 0;

  g_assert (((kernel->nonempty >> i) & 1) == (bucket->len > 0));
  g_assert ((bucket->chunks == NULL) == (bucket->len == 0));
  g_assert (bucket->len == 0 || i > kernel->front_bits);
  for (const SimChunk *c = bucket->chunks; c; c = c->next)
    {
      g_assert (c->len > 0 && c->len <= SIM_EVENT_CHUNK_ENTRIES);
      g_assert (c == bucket->chunks || c->len == SIM_EVENT_CHUNK_ENTRIES);
      for (size_t j = 0; j < c->len; j++)
        {
          const SimQueueEntry *e = &c->entries[j];

          check_entry (kernel, e, count, cancelled);
          g_assert (bucket_index (e->time, kernel->last) == i);
          min = MIN (min, e->time);
        }
      len += c->len;
    }
  g_assert (len == bucket->len);
  g_assert (bucket->min == min);
}

void
sim_kernel_check_invariants (const SimKernel *kernel)
{
  uint64_t allocated = sim_kernel_allocated_records (kernel);
  uint64_t free_count = 0;
  size_t count = 0, cancelled = 0;

  g_assert (kernel->next_seq >= 1);
  g_assert (kernel->front_len <= kernel->front_cap);
  for (size_t i = 0; i < kernel->front_len; i++)
    {
      const SimQueueEntry *e = &kernel->front[i];

      check_entry (kernel, e, &count, &cancelled);
      g_assert (queue_in_front (kernel, e->time));
      if (i > 0)
        g_assert (entry_cmp (&kernel->front[(i - 1) / SIM_EVENT_ARITY], e)
                  < 0);
    }
  for (unsigned i = 0; i < SIM_EVENT_BUCKETS; i++)
    check_bucket (kernel, i, &count, &cancelled);
  g_assert (count == kernel->len);
  g_assert (cancelled == kernel->cancelled);
  for (const SimEvent *ev = kernel->free_list; ev; ev = ev->next_free)
    {
      g_assert (ev->seq == 0);
      free_count++;
      g_assert (free_count <= allocated);
    }
  g_assert (free_count + kernel->len == allocated);
}
