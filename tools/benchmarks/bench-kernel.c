/* bench-kernel: events per second of the event kernel (sim/event.c, a
 * radix heap with a small (time, seq) heap in front) in the hold model,
 * beside a reference: the same loop on a bare array-based 4-ary min-heap
 * of plain {time, seq} structs compiled in here, the structure the
 * kernel used before. The output calls the reference the "ceiling", its
 * name from when the kernel was such a heap too.
 *
 * Hold model: fill with POP events at now + an increment uniform in
 * [0, 1 ms) drawn from a PCG stream; then repeatedly fire the earliest,
 * which schedules one successor at now + a fresh increment. Both loops
 * draw the same increments, so they fire the same times; the sums of
 * fired times are compared as a check.
 *
 * The reference is deliberately bare: no records, no callbacks, no
 * cancellation, so at small populations, where a heap lives in cache, it
 * bounds what the kernel can do. At large ones a heap waits on memory at
 * every level while the kernel's radix buckets are passed over in order,
 * so the kernel runs faster than its "ceiling".
 *
 * The machine is shared, so each population runs BENCH_ROUNDS rounds of
 * iterations / BENCH_ROUNDS events, kernel and ceiling alternating, and
 * reports each side's best round.
 *
 * Usage: bench-kernel [--json] [--quick]. --json prints exactly one JSON
 * array on stdout; --quick divides the iteration counts by 10. The wall
 * clock is read here, in a tool, never in sim/. */
#define _POSIX_C_SOURCE 200809L

#include <glib.h>
#include <stdio.h>
#include <time.h>

#include "sim/event.h"
#include "sim/rng.h"

#define BENCH_INCREMENT_NS 1000000u
#define BENCH_SEED 2024
#define BENCH_ROUNDS 3

typedef struct {
  uint64_t population;
  uint64_t iterations;          /* events fired per side, all rounds */
} BenchCase;

static const BenchCase bench_cases[] = {
  { 1000, 6000000 },
  { 100000, 4500000 },
  { 1000000, 3000000 },
};

static double
bench_clock (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* ---- the kernel under test ------------------------------------------ */

typedef struct {
  SimRng rng;
  uint64_t left;                /* firings until stop */
  uint64_t time_sum;            /* sum of fired times, the check */
} KernelHold;

static void
kernel_hold_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  KernelHold *hold = target;
  SimTime now = sim_kernel_now (kernel);

  hold->time_sum += (uint64_t) now;
  sim_kernel_schedule (kernel, now + sim_rng_below (&hold->rng,
                                                     BENCH_INCREMENT_NS),
                       kernel_hold_fire, hold, arg, u);
  if (--hold->left == 0)
    sim_kernel_stop (kernel);
}

/* Returns events per second; *time_sum receives the check. */
static double
bench_kernel (const BenchCase *c, uint64_t *time_sum)
{
  SimKernel *kernel = sim_kernel_new ();
  KernelHold hold = { .left = c->iterations };
  double start, elapsed;

  sim_rng_init (&hold.rng, BENCH_SEED, "bench", "increments");
  for (uint64_t i = 0; i < c->population; i++)
    sim_kernel_schedule (kernel, sim_rng_below (&hold.rng,
                                                BENCH_INCREMENT_NS),
                         kernel_hold_fire, &hold, NULL, 0);
  start = bench_clock ();
  sim_kernel_run (kernel, SIM_TIME_MAX);
  elapsed = bench_clock () - start;
  g_assert (sim_kernel_fired (kernel) == c->iterations);
  *time_sum = hold.time_sum;
  sim_kernel_free (kernel);
  return (double) c->iterations / elapsed;
}

/* ---- the reference ("ceiling"): a bare 4-ary heap of plain structs -- */

typedef struct {
  int64_t time;
  uint64_t seq;
} BareEntry;

typedef struct {
  BareEntry *a;
  size_t len;
  size_t cap;
} BareHeap;

static inline int
bare_cmp (const BareEntry *x, const BareEntry *y)
{
  int c = (x->time > y->time) - (x->time < y->time);

  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static inline void
bare_push (BareHeap *h, BareEntry e)
{
  size_t i;

  if (h->len == h->cap)
    {
      h->cap = h->cap ? h->cap * 2 : 1024;
      h->a = g_renew (BareEntry, h->a, h->cap);
    }
  for (i = h->len++; i > 0; i = (i - 1) / 4)
    {
      if (bare_cmp (&e, &h->a[(i - 1) / 4]) >= 0)
        break;
      h->a[i] = h->a[(i - 1) / 4];
    }
  h->a[i] = e;
}

static inline BareEntry
bare_pop (BareHeap *h)
{
  BareEntry top = h->a[0], e = h->a[--h->len];
  size_t i = 0, n = h->len;

  if (n == 0)
    return top;
  for (;;)
    {
      size_t c = 4 * i + 1, end = c + 4 < n ? c + 4 : n, best = c;

      if (c >= n)
        break;
      for (size_t j = c + 1; j < end; j++)
        if (bare_cmp (&h->a[j], &h->a[best]) < 0)
          best = j;
      if (bare_cmp (&h->a[best], &e) >= 0)
        break;
      h->a[i] = h->a[best];
      i = best;
    }
  h->a[i] = e;
  return top;
}

static double
bench_ceiling (const BenchCase *c, uint64_t *time_sum)
{
  BareHeap heap = { NULL, 0, 0 };
  uint64_t seq = 0, sum = 0;
  SimRng rng;
  double start, elapsed;

  sim_rng_init (&rng, BENCH_SEED, "bench", "increments");
  for (uint64_t i = 0; i < c->population; i++)
    bare_push (&heap, (BareEntry) {
               sim_rng_below (&rng, BENCH_INCREMENT_NS), seq++});
  start = bench_clock ();
  for (uint64_t i = 0; i < c->iterations; i++)
    {
      BareEntry top = bare_pop (&heap);

      sum += (uint64_t) top.time;
      bare_push (&heap, (BareEntry) {
                 top.time + sim_rng_below (&rng, BENCH_INCREMENT_NS), seq++});
    }
  elapsed = bench_clock () - start;
  *time_sum = sum;
  g_free (heap.a);
  return (double) c->iterations / elapsed;
}

/* ---- main ------------------------------------------------------------ */

/* Runs the rounds of one case; false when the two sides fired different
 * times (a kernel ordering bug). */
static gboolean
bench_case (const BenchCase *c, double *kernel_best, double *ceiling_best)
{
  BenchCase round = { c->population, c->iterations / BENCH_ROUNDS };

  *kernel_best = *ceiling_best = 0;
  for (int r = 0; r < BENCH_ROUNDS; r++)
    {
      uint64_t kernel_sum, ceiling_sum;
      double kernel_rate = bench_kernel (&round, &kernel_sum);
      double ceiling_rate = bench_ceiling (&round, &ceiling_sum);

      if (kernel_sum != ceiling_sum)
        return FALSE;
      *kernel_best = MAX (*kernel_best, kernel_rate);
      *ceiling_best = MAX (*ceiling_best, ceiling_rate);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE, quick = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON array", NULL },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Iterations / 10", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (context, "Event kernel (radix heap) "
                                "hold-model benchmark against a bare 4-ary "
                                "heap.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-kernel: %s\n", error->message);
      return 2;
    }
  if (json)
    printf ("[");
  else
    printf ("%10s %12s %14s %14s %7s\n", "population", "events",
            "kernel/s", "ceiling/s", "ratio");
  for (size_t i = 0; i < G_N_ELEMENTS (bench_cases); i++)
    {
      BenchCase c = bench_cases[i];
      double kernel_rate, ceiling_rate;

      if (quick)
        c.iterations /= 10;
      if (!bench_case (&c, &kernel_rate, &ceiling_rate))
        {
          fprintf (stderr, "bench-kernel: kernel and ceiling fired "
                   "different times at population %" G_GUINT64_FORMAT "\n",
                   c.population);
          return 1;
        }
      if (json)
        printf ("%s{\"population\": %" G_GUINT64_FORMAT ", \"events_per_s\": "
                "%.0f, \"ceiling_events_per_s\": %.0f}", i ? ", " : "",
                c.population, kernel_rate, ceiling_rate);
      else
        printf ("%10" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT
                " %14.0f %14.0f %6.1f%%\n", c.population, c.iterations,
                kernel_rate, ceiling_rate, 100.0 * kernel_rate / ceiling_rate);
    }
  if (json)
    printf ("]\n");
  return 0;
}
