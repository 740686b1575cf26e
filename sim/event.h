/* The event kernel: a monotone priority queue (a radix heap) of events
 * ordered by (time, sequence). The sequence number is given at
 * scheduling, so events at the same time fire in the order they were
 * scheduled and runs are deterministic.
 *
 * Event records come from a free list grown in slabs; in steady state
 * scheduling allocates nothing. Cancellation is O(1): the record is marked
 * and the loop skips it when it reaches the front of the queue.
 *
 * Callers: every node and link in sim/ and models/. */
#ifndef SIM_EVENT_H
#define SIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

typedef struct SimKernel SimKernel;
typedef struct SimEvent SimEvent;

/* An event's action. target/arg are the caller's pointers, u a small value
 * (a direction, an index); the kernel owns none of them. It fetches what
 * target and arg point at (their first cache line) into cache while the
 * event before fires, so an action should get there what it reads first
 * (a link's arrival: the link and the frame). */
typedef void (*SimEventFn) (SimKernel *kernel, void *target, void *arg,
                            uint64_t u);

/* A handle to a scheduled event. Cancelling a handle whose event already
 * fired or was cancelled is a no-op: the record's sequence number no longer
 * matches. A zeroed SimTimer is "no event". */
typedef struct {
  SimEvent *event;              /* the record, possibly reused since */
  uint64_t seq;                 /* sequence number it had when scheduled */
} SimTimer;

/* Life cycle. */
SimKernel *sim_kernel_new (void);
void sim_kernel_free (SimKernel *kernel);

/* Schedules fn at absolute time at (>= now; g_assert'ed). */
SimTimer sim_kernel_schedule (SimKernel *kernel, SimTime at, SimEventFn fn,
                              void *target, void *arg, uint64_t u);
/* The same, naming one more place the action reads first, such as a
 * frame's headers (NULL: none): the 64 bytes from fetch are fetched
 * ahead as well. */
SimTimer sim_kernel_schedule_fetch (SimKernel *kernel, SimTime at,
                                    SimEventFn fn, void *target, void *arg,
                                    uint64_t u, const void *fetch);
/* Schedules fn after delay (>= 0). */
SimTimer sim_kernel_schedule_in (SimKernel *kernel, SimTime delay,
                                 SimEventFn fn, void *target, void *arg,
                                 uint64_t u);
/* Cancels if still pending; returns true when it was. */
bool sim_kernel_cancel (SimKernel *kernel, SimTimer *timer);
bool sim_timer_pending (const SimTimer *timer);

/* Running. */
SimTime sim_kernel_now (const SimKernel *kernel);
/* Runs events with time <= until; returns the number of events fired.
 * Stops early when sim_kernel_stop was called. Now becomes the time of the
 * last event fired (never beyond until). */
uint64_t sim_kernel_run (SimKernel *kernel, SimTime until);
/* The same, firing at most max_events events: a caller that must notice a
 * signal bounds the wall time of a call. Events left at the time reached
 * fire on the next call, in the same order as in one call. */
uint64_t sim_kernel_run_at_most (SimKernel *kernel, SimTime until,
                                 uint64_t max_events);
/* Fires the next live event if any; false when the queue is empty. */
bool sim_kernel_step (SimKernel *kernel);
void sim_kernel_stop (SimKernel *kernel);

/* Calls visit (arg, user) for each event still pending (not cancelled)
 * whose action is fn: how the owner of such events frees what their args
 * hold when a run is cut before they fire. Order unspecified. */
void sim_kernel_foreach_pending (SimKernel *kernel, SimEventFn fn,
                                 void (*visit) (void *arg, void *user),
                                 void *user);

/* Introspection. */
uint64_t sim_kernel_pending (const SimKernel *kernel); /* live + cancelled */
uint64_t sim_kernel_fired (const SimKernel *kernel);
uint64_t sim_kernel_allocated_records (const SimKernel *kernel);
/* Debug: asserts the queue's bucket, order and record invariants. */
void sim_kernel_check_invariants (const SimKernel *kernel);

#endif
