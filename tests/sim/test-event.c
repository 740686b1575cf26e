/* Unit tests for sim/event.c: firing order (random times, ties, a
 * randomized comparison with a reference sort at 10^6 events), the radix
 * queue's edges (time 0, jumps to 2^62 and the end of time, many events
 * at now while firing, cancelling the current minimum, scheduling behind
 * a skipped cancelled event, compaction), cancellation and stale timers,
 * scheduling from callbacks, run(until), run_at_most, stop, the past-time
 * assertion, and no record allocation in steady state. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/event.h"
#include "sim/rng.h"

/* What a callback saw: the kernel time and the caller's u. */
typedef struct {
  SimTime time;
  uint64_t u;
} Fired;

static void
record_fired (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  GArray *log = target;
  Fired f = { sim_kernel_now (kernel), u };

  (void) arg;
  g_array_append_val (log, f);
}

static GArray *
fired_log_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Fired));
}

static uint64_t
fired_u (GArray *log, guint i)
{
  return g_array_index (log, Fired, i).u;
}

static void
test_event__random_times_fire_in_order (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 1, "test", "heap-order");
  for (uint64_t i = 0; i < 10000; i++)
    sim_kernel_schedule (k, sim_rng_below (&rng, 1u << 30), record_fired,
                         log, NULL, i);
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 10000);
  assert_int_equal (log->len, 10000);
  for (guint i = 1; i < log->len; i++)
    assert_true (g_array_index (log, Fired, i - 1).time
                 <= g_array_index (log, Fired, i).time);
  assert_int_equal (sim_kernel_pending (k), 0);
  sim_kernel_check_invariants (k);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__ties_fire_in_scheduling_order (void **state)
{
  /* Interleave two times so heap moves mix the tied entries. */
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();

  (void) state;
  for (uint64_t i = 0; i < 200; i++)
    sim_kernel_schedule (k, (i % 2) ? 50 : 70, record_fired, log, NULL, i);
  sim_kernel_run (k, SIM_TIME_MAX);
  assert_int_equal (log->len, 200);
  for (guint i = 0; i < 100; i++)
    {
      assert_int_equal (fired_u (log, i), 2 * i + 1);
      assert_int_equal (fired_u (log, 100 + i), 2 * i);
    }
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__cancel_pending_does_not_fire (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer a, b, none = { 0 };

  (void) state;
  a = sim_kernel_schedule (k, 10, record_fired, log, NULL, 1);
  b = sim_kernel_schedule (k, 20, record_fired, log, NULL, 2);
  assert_true (sim_timer_pending (&a));
  assert_true (sim_kernel_cancel (k, &a));
  assert_false (sim_timer_pending (&a));
  assert_false (sim_kernel_cancel (k, &a));
  assert_false (sim_kernel_cancel (k, &none));
  assert_false (sim_timer_pending (&none));
  assert_int_equal (sim_kernel_pending (k), 2);   /* skipped lazily */
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 1);
  assert_int_equal (log->len, 1);
  assert_int_equal (fired_u (log, 0), 2);
  assert_false (sim_timer_pending (&b));
  assert_int_equal (sim_kernel_pending (k), 0);
  sim_kernel_check_invariants (k);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__cancel_after_fire_spares_reused_record (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer old, fresh;

  (void) state;
  old = sim_kernel_schedule (k, 10, record_fired, log, NULL, 1);
  sim_kernel_run (k, SIM_TIME_MAX);
  assert_false (sim_timer_pending (&old));
  fresh = sim_kernel_schedule (k, 20, record_fired, log, NULL, 2);
  assert_ptr_equal (fresh.event, old.event);       /* the record reused */
  assert_false (sim_kernel_cancel (k, &old));
  assert_true (sim_timer_pending (&fresh));
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 1);
  assert_int_equal (log->len, 2);
  assert_int_equal (fired_u (log, 1), 2);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* Chains: u counts down; each firing schedules one at +5 and one now. */
static void
chain_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  record_fired (kernel, target, arg, u);
  if (u >= 10)
    sim_kernel_schedule (kernel, sim_kernel_now (kernel), record_fired,
                         target, arg, 1000 + u);
  if (u > 10)
    sim_kernel_schedule_in (kernel, 5, chain_fire, target, arg, u - 1);
}

static void
test_event__schedule_from_callback (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();

  (void) state;
  sim_kernel_schedule (k, 100, chain_fire, log, NULL, 12);
  sim_kernel_schedule (k, 105, record_fired, log, NULL, 7);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 7);
  /* 12@100, 1012@100, then at 105 the older 7 before 11 and 1011. */
  static const Fired want[] = {
    { 100, 12 }, { 100, 1012 }, { 105, 7 }, { 105, 11 }, { 105, 1011 },
    { 110, 10 }, { 110, 1010 },
  };
  assert_int_equal (log->len, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      assert_int_equal (g_array_index (log, Fired, i).time, want[i].time);
      assert_int_equal (fired_u (log, i), want[i].u);
    }
  assert_int_equal (sim_kernel_now (k), 110);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__run_until_leaves_later_pending (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();

  (void) state;
  for (uint64_t t = 10; t <= 30; t += 10)
    sim_kernel_schedule (k, (SimTime) t, record_fired, log, NULL, t);
  assert_int_equal (sim_kernel_run (k, 5), 0);
  assert_int_equal (sim_kernel_now (k), 0);
  assert_int_equal (sim_kernel_run (k, 20), 2);
  assert_int_equal (sim_kernel_now (k), 20);
  assert_int_equal (sim_kernel_pending (k), 1);
  assert_int_equal (sim_kernel_run (k, 29), 0);
  assert_int_equal (sim_kernel_now (k), 20);
  assert_int_equal (sim_kernel_run (k, 100), 1);
  assert_int_equal (sim_kernel_now (k), 30);
  assert_int_equal (sim_kernel_fired (k), 3);
  sim_kernel_schedule_in (k, 7, record_fired, log, NULL, 99);
  assert_true (sim_kernel_step (k));
  assert_int_equal (sim_kernel_now (k), 37);
  assert_false (sim_kernel_step (k));
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* A run cut at max_events fires the same events in the same order as one
 * whole run, ties at the time it stopped included. */
static void
test_event__run_at_most_resumes_in_order (void **state)
{
  SimKernel *whole = sim_kernel_new (), *cut = sim_kernel_new ();
  GArray *a = fired_log_new (), *b = fired_log_new ();
  uint64_t n = 0, fired;

  (void) state;
  for (uint64_t i = 0; i < 100; i++)
    {
      sim_kernel_schedule (whole, (SimTime) (i / 10), record_fired, a, NULL, i);
      sim_kernel_schedule (cut, (SimTime) (i / 10), record_fired, b, NULL, i);
    }
  assert_int_equal (sim_kernel_run (whole, SIM_TIME_MAX), 100);
  while ((fired = sim_kernel_run_at_most (cut, SIM_TIME_MAX, 7)) != 0)
    {
      assert_true (fired <= 7);
      n++;
    }
  assert_int_equal (n, 15);                      /* 14 calls of 7, one of 2 */
  assert_int_equal (b->len, 100);
  for (guint i = 0; i < 100; i++)
    {
      assert_int_equal (fired_u (a, i), fired_u (b, i));
      assert_int_equal (g_array_index (a, Fired, i).time,
                        g_array_index (b, Fired, i).time);
    }
  g_array_free (a, TRUE);
  g_array_free (b, TRUE);
  sim_kernel_free (whole);
  sim_kernel_free (cut);
}

static void
stop_on_two (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  record_fired (kernel, target, arg, u);
  if (u == 2)
    sim_kernel_stop (kernel);
}

static void
test_event__stop_ends_run_until_next_run (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();

  (void) state;
  for (uint64_t i = 1; i <= 5; i++)
    sim_kernel_schedule (k, (SimTime) i * 10, stop_on_two, log, NULL, i);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 2);
  assert_int_equal (sim_kernel_now (k), 20);
  assert_int_equal (sim_kernel_pending (k), 3);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 3);
  assert_int_equal (log->len, 5);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__step_skips_cancelled (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer a;

  (void) state;
  a = sim_kernel_schedule (k, 10, record_fired, log, NULL, 1);
  sim_kernel_schedule (k, 20, record_fired, log, NULL, 2);
  sim_kernel_cancel (k, &a);
  assert_true (sim_kernel_step (k));
  assert_int_equal (fired_u (log, 0), 2);
  a = sim_kernel_schedule (k, 30, record_fired, log, NULL, 3);
  sim_kernel_cancel (k, &a);
  assert_false (sim_kernel_step (k));
  assert_int_equal (sim_kernel_pending (k), 0);
  assert_int_equal (log->len, 1);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

static void
test_event__schedule_in_past_aborts (void **state)
{
  pid_t pid;
  int status;

  (void) state;
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      SimKernel *k = sim_kernel_new ();
      GArray *log = fired_log_new ();
      int devnull = open ("/dev/null", O_WRONLY);

      dup2 (devnull, STDOUT_FILENO);      /* glib's "Bail out!" and */
      dup2 (devnull, STDERR_FILENO);      /* message must not reach TAP */
      sim_kernel_schedule (k, 100, record_fired, log, NULL, 1);
      sim_kernel_run (k, SIM_TIME_MAX);
      sim_kernel_schedule (k, 99, record_fired, log, NULL, 2);
      _exit (0);
    }
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFSIGNALED (status));
  assert_int_equal (WTERMSIG (status), SIGABRT);
}

/* ---- randomized comparison with a reference sort -------------------- */

/* Every event scheduled, by index: the index is its scheduling order, so
 * the kernel must fire the live ones sorted by (time, index). */
typedef struct {
  SimTime time;
  uint64_t index;
  SimTimer timer;
  bool cancelled;
  bool fired;
} RefEvent;

typedef struct {
  RefEvent *ref;                /* max entries, n used */
  uint64_t n;
  uint64_t max;
  SimRng rng;
  GArray *log;                  /* Fired, in firing order */
} RefRun;

static int
ref_cmp (const void *pa, const void *pb)
{
  const RefEvent *a = pa, *b = pb;
  int c = (a->time > b->time) - (a->time < b->time);

  return c ? c : (a->index > b->index) - (a->index < b->index);
}

static void ref_fire (SimKernel *kernel, void *target, void *arg,
                      uint64_t u);

static void
ref_schedule (SimKernel *kernel, RefRun *run, SimTime at)
{
  RefEvent *r;

  if (run->n == run->max)
    return;
  r = &run->ref[run->n];
  r->time = at;
  r->index = run->n;
  r->cancelled = r->fired = false;
  r->timer = sim_kernel_schedule (kernel, at, ref_fire, run, NULL, run->n);
  run->n++;
}

/* Cancels a random event scheduled so far, checking the kernel's answer
 * against the record of what fired and what was cancelled. */
static void
ref_cancel_some (SimKernel *kernel, RefRun *run)
{
  RefEvent *r = &run->ref[sim_rng_below (&run->rng, (uint32_t) run->n)];
  bool was_pending = !r->cancelled && !r->fired;

  assert_int_equal (sim_timer_pending (&r->timer), was_pending);
  assert_int_equal (sim_kernel_cancel (kernel, &r->timer), was_pending);
  r->cancelled = r->cancelled || was_pending;
}

/* Logs the firing, then may schedule at now (a tie behind the events
 * already there), a little later (ties with older events), much later,
 * or cancel some event (possibly the current minimum). */
static void
ref_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  RefRun *run = target;
  SimTime now = sim_kernel_now (kernel);
  Fired f = { now, u };

  (void) arg;
  assert_false (run->ref[u].fired || run->ref[u].cancelled);
  run->ref[u].fired = true;
  g_array_append_val (run->log, f);
  switch (sim_rng_below (&run->rng, 8))
    {
    case 0:
    case 1:
      ref_schedule (kernel, run, now);
      break;
    case 2:
    case 3:
      ref_schedule (kernel, run, now + sim_rng_below (&run->rng, 50));
      break;
    case 4:
      ref_schedule (kernel, run, now + sim_rng_below (&run->rng, 1u << 20));
      break;
    case 5:
      ref_cancel_some (kernel, run);
      break;
    default:
      break;
    }
}

static void
test_event__matches_reference_sort (void **state)
{
  enum { N = 1000000, FILL = 500000, SPAN = 20000 };
  SimKernel *k = sim_kernel_new ();
  RefRun run = { .ref = g_new (RefEvent, N), .max = N,
                 .log = fired_log_new () };
  guint got = 0;
  int slice = 0;

  (void) state;
  sim_rng_init (&run.rng, 7, "test", "reference");
  for (uint64_t i = 0; i < FILL; i++)            /* ~20 per time */
    ref_schedule (k, &run, sim_rng_below (&run.rng, SPAN));
  for (uint64_t i = 0; i < FILL / 10; i++)
    ref_cancel_some (k, &run);
  sim_kernel_check_invariants (k);
  /* Slices: each run stops at until, possibly just after skipping a
   * cancelled event; then schedule from outside, at now and later. */
  for (SimTime until = 0; until < 2 * SPAN; until += 97, slice++)
    {
      sim_kernel_run (k, until);
      ref_schedule (k, &run, sim_kernel_now (k));
      ref_schedule (k, &run, until + 1);
      if (slice % 64 == 0)
        sim_kernel_check_invariants (k);
    }
  sim_kernel_run (k, SIM_TIME_MAX);
  sim_kernel_check_invariants (k);
  assert_int_equal (run.n, N);
  assert_int_equal (sim_kernel_pending (k), 0);
  qsort (run.ref, run.n, sizeof *run.ref, ref_cmp);
  for (guint i = 0; i < run.n; i++)
    {
      if (run.ref[i].cancelled)
        continue;
      assert_true (got < run.log->len);
      assert_int_equal (fired_u (run.log, got), run.ref[i].index);
      assert_int_equal (g_array_index (run.log, Fired, got).time,
                        run.ref[i].time);
      got++;
    }
  assert_int_equal (run.log->len, got);
  g_free (run.ref);
  g_array_free (run.log, TRUE);
  sim_kernel_free (k);
}

/* ---- the radix queue's edges ---------------------------------------- */

/* Checks log against want, time and u. */
static void
assert_fired (GArray *log, const Fired *want, guint n)
{
  assert_int_equal (log->len, n);
  for (guint i = 0; i < n; i++)
    {
      assert_int_equal (g_array_index (log, Fired, i).time, want[i].time);
      assert_int_equal (fired_u (log, i), want[i].u);
    }
}

#define T62 ((SimTime) 1 << 62)

/* u 1 at time 0 schedules 3 at 0; u 10 at 2^62 schedules 11 at now, 12
 * at the end of time and 13 at now + 1. */
static void
jump_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  SimTime now = sim_kernel_now (kernel);

  record_fired (kernel, target, arg, u);
  if (u == 1)
    sim_kernel_schedule (kernel, 0, record_fired, target, arg, 3);
  if (u == 10)
    {
      sim_kernel_schedule (kernel, now, record_fired, target, arg, 11);
      sim_kernel_schedule (kernel, SIM_TIME_MAX, record_fired, target, arg,
                           12);
      sim_kernel_schedule_in (kernel, 1, record_fired, target, arg, 13);
    }
}

static void
test_event__time_zero_and_huge_jumps (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  static const Fired want[] = {
    { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 4 }, { T62 - 1, 5 }, { T62, 10 },
    { T62, 14 }, { T62, 11 }, { T62 + 1, 15 }, { T62 + 1, 13 },
    { SIM_TIME_MAX - 1, 16 }, { SIM_TIME_MAX, 17 }, { SIM_TIME_MAX, 12 },
  };

  (void) state;
  sim_kernel_schedule (k, SIM_TIME_MAX, record_fired, log, NULL, 17);
  sim_kernel_schedule (k, T62 + 1, record_fired, log, NULL, 15);
  sim_kernel_schedule (k, 0, jump_fire, log, NULL, 1);
  sim_kernel_schedule (k, T62, jump_fire, log, NULL, 10);
  sim_kernel_schedule (k, SIM_TIME_MAX - 1, record_fired, log, NULL, 16);
  sim_kernel_schedule (k, 1, record_fired, log, NULL, 4);
  sim_kernel_schedule (k, 0, record_fired, log, NULL, 2);
  sim_kernel_schedule (k, T62, record_fired, log, NULL, 14);
  sim_kernel_schedule (k, T62 - 1, record_fired, log, NULL, 5);
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, 0), 3);
  assert_int_equal (sim_kernel_run (k, T62 - 1), 2);
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, T62), 3);
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 5);
  assert_fired (log, want, G_N_ELEMENTS (want));
  assert_int_equal (sim_kernel_now (k), SIM_TIME_MAX);
  sim_kernel_check_invariants (k);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* A burst: the first event at its time schedules BURST more at now, and
 * every 100th of those one more at now. u is the scheduling order, so
 * the log must come out sorted by (time, u). */
typedef struct {
  GArray *log;
  uint64_t next_u;
} Burst;

enum { BURST = 20000 };

static void
burst_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  Burst *burst = target;
  SimTime now = sim_kernel_now (kernel);

  record_fired (kernel, burst->log, arg, u);
  if (u == 0)
    for (int i = 0; i < BURST; i++)
      sim_kernel_schedule (kernel, now, burst_fire, burst, arg,
                           burst->next_u++);
  else if (u % 100 == 0)
    sim_kernel_schedule (kernel, now, burst_fire, burst, arg,
                         burst->next_u++);
}

static void
test_event__many_events_at_now_while_firing (void **state)
{
  SimKernel *k = sim_kernel_new ();
  Burst burst = { fired_log_new (), 0 };
  uint64_t scheduled, fired;

  (void) state;
  for (int i = 0; i < 300; i++)         /* at 1000, then 1001 and later */
    sim_kernel_schedule (k, 1000 + (i % 3 ? 0 : i), burst_fire, &burst,
                         NULL, burst.next_u++);
  scheduled = burst.next_u;
  fired = sim_kernel_run (k, 1000);
  assert_int_equal (fired, burst.log->len);
  assert_true (burst.log->len > 200 + BURST + BURST / 100);
  assert_int_equal (g_array_index (burst.log, Fired, burst.log->len - 1).time,
                    1000);
  sim_kernel_check_invariants (k);
  sim_kernel_run (k, SIM_TIME_MAX);
  assert_true (burst.next_u > scheduled + BURST);
  assert_int_equal (burst.log->len, burst.next_u);
  for (guint i = 1; i < burst.log->len; i++)
    {
      const Fired *a = &g_array_index (burst.log, Fired, i - 1);
      const Fired *b = &g_array_index (burst.log, Fired, i);

      assert_true (a->time < b->time || (a->time == b->time && a->u < b->u));
    }
  g_array_free (burst.log, TRUE);
  sim_kernel_free (k);
}

/* u 1 cancels the timer in arg, the next event at the same time. */
static void
cancel_next_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  record_fired (kernel, target, NULL, u);
  assert_true (sim_kernel_cancel (kernel, arg));
}

static void
test_event__cancel_current_minimum (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer a, d, y;
  static const Fired want[] = { { 10, 2 }, { 30, 5 }, { 40, 6 }, { 40, 9 } };

  (void) state;
  /* Before anything ran. */
  a = sim_kernel_schedule (k, 10, record_fired, log, NULL, 1);
  sim_kernel_schedule (k, 10, record_fired, log, NULL, 2);
  assert_true (sim_kernel_cancel (k, &a));
  assert_int_equal (sim_kernel_run (k, 10), 1);
  /* After a run(until) that stopped in front of it. */
  d = sim_kernel_schedule (k, 30, record_fired, log, NULL, 4);
  sim_kernel_schedule (k, 30, record_fired, log, NULL, 5);
  for (int i = 0; i < 500; i++)         /* a bucket too big to be the front */
    sim_kernel_schedule (k, 1000 + i, record_fired, log, NULL, 100);
  assert_int_equal (sim_kernel_run (k, 29), 0);
  assert_true (sim_kernel_cancel (k, &d));
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, 30), 1);
  /* From a callback: the next event at the same time. */
  sim_kernel_schedule (k, 40, cancel_next_fire, log, &y, 6);
  y = sim_kernel_schedule (k, 40, record_fired, log, NULL, 8);
  sim_kernel_schedule (k, 40, record_fired, log, NULL, 9);
  assert_int_equal (sim_kernel_run (k, 39), 0);
  assert_int_equal (sim_kernel_run (k, 40), 2);
  assert_false (sim_timer_pending (&y));
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 500);
  for (guint i = 0; i < 500; i++)
    assert_int_equal (g_array_index (log, Fired, 4 + i).time, 1000 + i);
  g_array_set_size (log, 4);
  assert_fired (log, want, G_N_ELEMENTS (want));
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* A run that stops at until just after skipping a cancelled event has
 * looked past now; the caller may still schedule between the two, also
 * in an earlier power-of-two block of time (40 against 64). */
static void
test_event__schedule_behind_skipped_cancelled (void **state)
{
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer c;
  static const Fired want[] = { { 5, 1 }, { 40, 4 }, { 55, 5 }, { 64, 6 },
                                { 80, 3 }, { 1 << 20, 7 } };

  (void) state;
  sim_kernel_schedule (k, 5, record_fired, log, NULL, 1);
  c = sim_kernel_schedule (k, 64, record_fired, log, NULL, 2);
  sim_kernel_schedule (k, 80, record_fired, log, NULL, 3);
  assert_int_equal (sim_kernel_run (k, 5), 1);
  assert_true (sim_kernel_cancel (k, &c));
  assert_int_equal (sim_kernel_run (k, 70), 0);    /* skips 64 */
  assert_int_equal (sim_kernel_now (k), 5);
  assert_int_equal (sim_kernel_pending (k), 1);
  sim_kernel_schedule (k, 40, record_fired, log, NULL, 4);
  sim_kernel_schedule (k, 55, record_fired, log, NULL, 5);
  sim_kernel_schedule (k, 64, record_fired, log, NULL, 6);
  sim_kernel_schedule (k, 1 << 20, record_fired, log, NULL, 7);
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), 5);
  assert_fired (log, want, G_N_ELEMENTS (want));
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* Cancelling most of a large queue sweeps the cancelled entries out, in
 * the middle of a run, and the rest still fire in (time, seq) order. */
static void
test_event__compaction_keeps_order (void **state)
{
  enum { N = 40000 };
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer *timers = g_new (SimTimer, N);
  SimTime *times = g_new (SimTime, N);
  SimRng rng;
  uint64_t cancelled = 0, pending;

  (void) state;
  sim_rng_init (&rng, 5, "test", "compaction");
  for (uint64_t i = 0; i < N; i++)
    {
      times[i] = sim_rng_below (&rng, 4000);      /* ~10 per time */
      timers[i] = sim_kernel_schedule (k, times[i], record_fired, log, NULL,
                                       i);
    }
  sim_kernel_run (k, 1000);             /* the front is in use */
  pending = sim_kernel_pending (k);
  for (uint64_t i = 0; i < N; i++)
    if (i % 4 != 0 && sim_kernel_cancel (k, &timers[i]))
      cancelled++;
  assert_true (cancelled > pending / 2);
  assert_true (sim_kernel_pending (k) < pending);  /* swept */
  sim_kernel_check_invariants (k);
  sim_kernel_run (k, SIM_TIME_MAX);
  for (guint i = 1; i < log->len; i++)
    {
      const Fired *a = &g_array_index (log, Fired, i - 1);
      const Fired *b = &g_array_index (log, Fired, i);

      assert_true (a->time < b->time || (a->time == b->time && a->u < b->u));
      assert_int_equal (b->time, times[b->u]);
    }
  assert_int_equal (log->len, N - cancelled);
  assert_int_equal (sim_kernel_pending (k), 0);
  sim_kernel_check_invariants (k);
  g_free (times);
  g_free (timers);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* Handles to fired, cancelled and swept events stay dead once their
 * records are reused by new events. */
static void
test_event__stale_handles_after_reuse (void **state)
{
  enum { N = 10000, FRESH = 5000 };
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  SimTimer *old = g_new (SimTimer, N);
  SimTimer *fresh = g_new (SimTimer, FRESH);
  uint64_t records;
  guint early = 0;

  (void) state;
  for (uint64_t i = 0; i < N; i++)
    old[i] = sim_kernel_schedule (k, (SimTime) (i % 100), record_fired, log,
                                  NULL, i);
  for (uint64_t i = 0; i < N; i++)      /* 7500: the sweep runs once */
    if (i % 4 != 3)
      assert_true (sim_kernel_cancel (k, &old[i]));
  assert_true (sim_kernel_pending (k) < N);
  for (uint64_t i = 3; i < N; i += 4)
    early += i % 100 < 50;
  assert_int_equal (sim_kernel_run (k, 49), early);
  records = sim_kernel_allocated_records (k);
  for (uint64_t i = 0; i < FRESH; i++)
    fresh[i] = sim_kernel_schedule (k, 100 + (SimTime) i, record_fired, log,
                                    NULL, N + i);
  assert_int_equal (sim_kernel_allocated_records (k), records);
  for (uint64_t i = 0; i < N; i++)
    {
      bool live = i % 4 == 3 && i % 100 >= 50;

      assert_int_equal (sim_timer_pending (&old[i]), live);
      assert_int_equal (sim_kernel_cancel (k, &old[i]), live);
    }
  for (uint64_t i = 0; i < FRESH; i++)
    assert_true (sim_timer_pending (&fresh[i]));
  sim_kernel_check_invariants (k);
  assert_int_equal (sim_kernel_run (k, SIM_TIME_MAX), FRESH);
  for (guint i = 0; i < FRESH; i++)
    assert_int_equal (fired_u (log, early + i), N + i);
  g_free (old);
  g_free (fresh);
  g_array_free (log, TRUE);
  sim_kernel_free (k);
}

/* ---- steady state --------------------------------------------------- */

static void
spare_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  (void) kernel, (void) target, (void) arg, (void) u;
}

/* The hold model's state: the increment stream, a spare timer and a
 * firing count. */
typedef struct {
  SimRng rng;
  SimTimer spare;
  uint64_t count;
} Hold;

/* Each firing schedules one successor. Every 16th also cancels the spare
 * timer and re-arms it, so cancelled records pass through the heap and
 * back to the free list as well. */
static void
hold_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  Hold *hold = target;

  if (++hold->count % 16 == 0)
    {
      sim_kernel_cancel (kernel, &hold->spare);
      hold->spare = sim_kernel_schedule_in (kernel, 500000, spare_fire,
                                            NULL, NULL, 0);
    }
  sim_kernel_schedule_in (kernel, sim_rng_below (&hold->rng, 1000000),
                          hold_fire, hold, arg, u);
}

static void
test_event__steady_state_allocates_no_records (void **state)
{
  SimKernel *k = sim_kernel_new ();
  Hold hold = { .count = 0 };
  uint64_t records;

  (void) state;
  sim_rng_init (&hold.rng, 3, "test", "hold");
  for (uint64_t i = 0; i < 10000; i++)
    sim_kernel_schedule (k, sim_rng_below (&hold.rng, 1000000), hold_fire,
                         &hold, NULL, 0);
  for (int i = 0; i < 100000; i++)      /* warm up: the fill is denser */
    assert_true (sim_kernel_step (k));
  records = sim_kernel_allocated_records (k);
  assert_true (records >= 10000);
  for (int i = 0; i < 1000000; i++)
    assert_true (sim_kernel_step (k));
  assert_int_equal (sim_kernel_allocated_records (k), records);
  assert_true (sim_kernel_fired (k) >= 1100000);
  sim_kernel_check_invariants (k);
  sim_kernel_free (k);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_event__random_times_fire_in_order),
    cmocka_unit_test (test_event__ties_fire_in_scheduling_order),
    cmocka_unit_test (test_event__cancel_pending_does_not_fire),
    cmocka_unit_test (test_event__cancel_after_fire_spares_reused_record),
    cmocka_unit_test (test_event__schedule_from_callback),
    cmocka_unit_test (test_event__run_until_leaves_later_pending),
    cmocka_unit_test (test_event__stop_ends_run_until_next_run),
    cmocka_unit_test (test_event__run_at_most_resumes_in_order),
    cmocka_unit_test (test_event__step_skips_cancelled),
    cmocka_unit_test (test_event__schedule_in_past_aborts),
    cmocka_unit_test (test_event__matches_reference_sort),
    cmocka_unit_test (test_event__time_zero_and_huge_jumps),
    cmocka_unit_test (test_event__many_events_at_now_while_firing),
    cmocka_unit_test (test_event__cancel_current_minimum),
    cmocka_unit_test (test_event__schedule_behind_skipped_cancelled),
    cmocka_unit_test (test_event__compaction_keeps_order),
    cmocka_unit_test (test_event__stale_handles_after_reuse),
    cmocka_unit_test (test_event__steady_state_allocates_no_records),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
