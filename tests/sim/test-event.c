/* Unit tests for sim/event.c: firing order (random times, ties, a
 * randomized comparison with a reference sort), cancellation and stale
 * timers, scheduling from callbacks, run(until), stop, the past-time
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

typedef struct {
  SimTime time;
  uint64_t index;
  SimTimer timer;
  bool cancelled;
} RefEvent;

static int
ref_cmp (const void *pa, const void *pb)
{
  const RefEvent *a = pa, *b = pb;
  int c = (a->time > b->time) - (a->time < b->time);

  return c ? c : (a->index > b->index) - (a->index < b->index);
}

static void
test_event__matches_reference_sort (void **state)
{
  enum { N = 100000 };
  SimKernel *k = sim_kernel_new ();
  GArray *log = fired_log_new ();
  RefEvent *ref = g_new (RefEvent, N);
  SimRng rng;
  guint want = 0, got = 0;

  (void) state;
  sim_rng_init (&rng, 7, "test", "reference");
  for (uint64_t i = 0; i < N; i++)
    {
      ref[i].time = sim_rng_below (&rng, 5000);    /* ~20 per time */
      ref[i].index = i;
      ref[i].timer = sim_kernel_schedule (k, ref[i].time, record_fired, log,
                                          NULL, i);
      ref[i].cancelled = false;
    }
  for (uint64_t i = 0; i < N / 10; i++)
    {
      RefEvent *r = &ref[sim_rng_below (&rng, N)];
      bool was = !r->cancelled;

      assert_int_equal (sim_kernel_cancel (k, &r->timer), was);
      r->cancelled = true;
    }
  sim_kernel_check_invariants (k);
  for (SimTime until = 0; until < 5000; until += 97)
    {
      sim_kernel_run (k, until);
      sim_kernel_check_invariants (k);
    }
  sim_kernel_run (k, SIM_TIME_MAX);
  qsort (ref, N, sizeof *ref, ref_cmp);
  for (guint i = 0; i < N; i++)
    {
      if (ref[i].cancelled)
        continue;
      assert_true (got < log->len);
      assert_int_equal (fired_u (log, got), ref[i].index);
      assert_int_equal (g_array_index (log, Fired, got).time, ref[i].time);
      got++;
      want++;
    }
  assert_int_equal (log->len, want);
  assert_int_equal (sim_kernel_pending (k), 0);
  g_free (ref);
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
    cmocka_unit_test (test_event__step_skips_cancelled),
    cmocka_unit_test (test_event__schedule_in_past_aborts),
    cmocka_unit_test (test_event__matches_reference_sort),
    cmocka_unit_test (test_event__steady_state_allocates_no_records),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
