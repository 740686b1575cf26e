/* bench-e2e: end-to-end throughput of the whole simulator on one of the
 * worlds of tools/benchmarks/bench-world.h: `simple` (the default: scenario 01
 * scaled, CLIENTS internet clients to one public service) or `mixed`
 * (one traffic per way out of Cloud Run: default egress, a connector,
 * Direct VPC all-traffic and private-ranges-only, a private zone to the
 * VIPs, a PSC endpoint, an internal ALB, Cloud NAT to the internet).
 *
 * The scenario text is generated in memory and loaded, built and run like
 * `cloudrun-netsim run` does, through the door
 * (tools/session/cloudrun-netsim.h), twice on fresh sessions: once with
 * full capture (trace.pcapng and the per-link pcaps, into an output
 * directory in a temporary folder, never committed and removed
 * afterwards) and once without. Only the run itself (advancing to the
 * end) is timed, with the capture's writer thread catching up at the end;
 * loading, building, finishing and closing are not.
 *
 * Figures per run: events, packet-hops (sim_world_hops: frames delivered
 * over links) and delivered requests per second, capture bytes per
 * second; per traffic: requests, delivered and requests per second;
 * the process's peak RSS.
 *
 * Usage: bench-e2e [--json] [--world simple|mixed] [--requests N]
 * [--clients N] [--print-scenario] (the text, to run with `cloudrun-netsim
 * run`). --json prints exactly one JSON object on stdout (fields
 * in tools/bench). Exit 0 when both runs delivered every request of every
 * traffic, 1 when a run failed or delivered fewer, 2 on bad options.
 * The wall clock is read here, in a tool, never in sim/ or models/. */
#define _GNU_SOURCE 1           /* RUSAGE_THREAD */

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tools/benchmarks/bench-world.h"
#include "tools/session/cloudrun-netsim.h"

#define BENCH_DEFAULT_REQUESTS 100000
#define BENCH_DEFAULT_CLIENTS 20

/* One traffic of a run. */
typedef struct {
  char *name;                   /* owned */
  uint64_t requests;            /* planned */
  uint64_t delivered;           /* finished with DELIVERED */
} BenchPath;

typedef struct {
  double wall_s;                /* wall time of the run */
  double cpu_s;                 /* user + system CPU time of the same */
  double sim_cpu_s;             /* of the simulation thread alone */
  uint64_t events;              /* events fired */
  uint64_t hops;                /* packet-hops delivered over links */
  uint64_t requests;            /* requests planned */
  uint64_t delivered;           /* requests finished with DELIVERED */
  uint64_t capture_bytes;       /* bytes written to the captures; 0 off */
  GArray *paths;                /* BenchPath, one per traffic, owned */
} BenchRun;

static double
bench_clock (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* User + system CPU time of the process: beside the wall time, it shows
 * how much a busy shared machine took from the run. */
static double
bench_cpu_of (int who)
{
  struct rusage ru;

  if (getrusage (who, &ru) != 0)
    return 0.0;
  return (double) ru.ru_utime.tv_sec + (double) ru.ru_stime.tv_sec
         + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

static double
bench_cpu (void)
{
  return bench_cpu_of (RUSAGE_SELF);
}

/* The calling thread's CPU time: the simulation's, without the capture's
 * writer thread; it shows what capture costs the critical path on a
 * machine whose other cores are busy. */
static double
bench_thread_cpu (void)
{
  return bench_cpu_of (RUSAGE_THREAD);
}

static void
bench_path_clear (gpointer data)
{
  g_free (((BenchPath *) data)->name);
}

/* Per traffic and in all: requests planned and delivered (the first
 * outcome is delivered). */
static void
bench_count_delivered (const CloudRunSession *s, BenchRun *out)
{
  out->paths = g_array_new (FALSE, TRUE, sizeof (BenchPath));
  g_array_set_clear_func (out->paths, bench_path_clear);
  for (guint t = 0; t < cloudrun_session_n_traffics (s); t++)
    {
      CloudRunTrafficResult r;
      BenchPath p;

      cloudrun_session_traffic_result (s, t, &r);
      p = (BenchPath) { g_strdup (r.name), r.requests, r.outcomes[0] };
      g_array_append_val (out->paths, p);
      out->requests += p.requests;
      out->delivered += p.delivered;
    }
}

/* Runs s, timed; with dir, captures everything into its staging
 * directory (removed with dir, never committed). */
static gboolean
bench_run_session (CloudRunSession *s, CloudRunOutputDir *dir, BenchRun *out,
                   GError **error)
{
  CloudRunOutputOptions opt = { .capture = CLOUDRUN_CAPTURE_ALL,
                                .no_requests = TRUE };
  CloudRunProgress p;
  double t0, c0, s0;

  if (!cloudrun_session_start (s, dir, &opt, NULL, error))
    return FALSE;
  c0 = bench_cpu ();
  s0 = bench_thread_cpu ();
  t0 = bench_clock ();
  while (cloudrun_session_advance (s, G_MAXUINT64))
    ;
  /* The writer thread's backlog counts: progress waits for it. */
  cloudrun_session_progress (s, &p);
  out->wall_s = bench_clock () - t0;
  out->cpu_s = bench_cpu () - c0;
  out->sim_cpu_s = bench_thread_cpu () - s0;
  out->events = p.events;
  out->hops = p.hops;
  if (!cloudrun_session_finish (s, TRUE, NULL, error))
    return FALSE;
  out->capture_bytes = cloudrun_session_capture_bytes (s);
  bench_count_delivered (s, out);
  return TRUE;
}

/* Loads and builds text afresh, then runs it (see bench_run_session). */
static gboolean
bench_run (const GString *text, gboolean capture, BenchRun *out,
           GError **error)
{
  g_autoptr (CloudRunSession) s = NULL;
  g_autoptr (CloudRunOutputDir) dir = NULL;
  g_autofree char *tmp = NULL;
  gboolean ok;

  memset (out, 0, sizeof *out);
  s = cloudrun_session_load ("bench-e2e.ini", text->str, text->len, NULL,
                             error);
  if (!s)
    return FALSE;
  if (capture
      && (!(tmp = g_dir_make_tmp ("cloudrun-bench-e2e-XXXXXX", error))
          || !(dir = cloudrun_output_dir_begin (tmp, error))))
    return FALSE;
  ok = bench_run_session (s, dir, out, error);
  g_clear_pointer (&dir, cloudrun_output_dir_free);
  if (tmp && g_rmdir (tmp) != 0)
    fprintf (stderr, "bench-e2e: cannot remove %s\n", tmp);
  return ok;
}

static double
bench_rate (uint64_t count, double wall_s)
{
  return wall_s > 0 ? (double) count / wall_s : 0.0;
}

static long
bench_peak_rss_kib (void)
{
  struct rusage ru;

  return getrusage (RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static void
bench_print_json (BenchWorld world, const BenchRun *cap,
                  const BenchRun *nocap, long rss)
{
  printf ("{\"world\": \"%s\", \"requests\": %" G_GUINT64_FORMAT ", "
          "\"events_per_s_capture\": %.0f, "
          "\"events_per_s_nocapture\": %.0f, "
          "\"packet_hops_per_s_capture\": %.0f, "
          "\"packet_hops_per_s_nocapture\": %.0f, "
          "\"requests_per_s_capture\": %.0f, "
          "\"requests_per_s_nocapture\": %.0f, "
          "\"capture_bytes_per_s\": %.0f, \"capture_bytes\": %"
          G_GUINT64_FORMAT ", \"cpu_s_capture\": %.3f, "
          "\"cpu_s_nocapture\": %.3f, \"sim_cpu_s_capture\": %.3f, "
          "\"sim_cpu_s_nocapture\": %.3f, \"peak_rss_kib\": %ld, "
          "\"paths\": [", bench_world_name (world), cap->delivered,
          bench_rate (cap->events, cap->wall_s),
          bench_rate (nocap->events, nocap->wall_s),
          bench_rate (cap->hops, cap->wall_s),
          bench_rate (nocap->hops, nocap->wall_s),
          bench_rate (cap->delivered, cap->wall_s),
          bench_rate (nocap->delivered, nocap->wall_s),
          bench_rate (cap->capture_bytes, cap->wall_s), cap->capture_bytes,
          cap->cpu_s, nocap->cpu_s, cap->sim_cpu_s, nocap->sim_cpu_s, rss);
  for (guint i = 0; i < cap->paths->len; i++)
    {
      const BenchPath *p = &g_array_index (cap->paths, BenchPath, i);
      const BenchPath *q = &g_array_index (nocap->paths, BenchPath, i);

      printf ("%s{\"path\": \"%s\", \"path_requests\": %" G_GUINT64_FORMAT
              ", \"path_delivered_capture\": %" G_GUINT64_FORMAT
              ", \"path_delivered_nocapture\": %" G_GUINT64_FORMAT
              ", \"path_requests_per_s_capture\": %.0f"
              ", \"path_requests_per_s_nocapture\": %.0f}",
              i ? ", " : "", p->name, p->requests, p->delivered,
              q->delivered, bench_rate (p->delivered, cap->wall_s),
              bench_rate (q->delivered, nocap->wall_s));
    }
  printf ("]}\n");
}

static void
bench_print_row (const char *label, const BenchRun *r)
{
  printf ("%-10s %8.3f %7.3f %10" G_GUINT64_FORMAT " %11.0f %12.0f %9"
          G_GUINT64_FORMAT " %10.0f %12.1f\n", label, r->wall_s,
          r->cpu_s, r->events, bench_rate (r->events, r->wall_s),
          bench_rate (r->hops, r->wall_s), r->delivered,
          bench_rate (r->delivered, r->wall_s),
          bench_rate (r->capture_bytes, r->wall_s) / 1e6);
}

static void
bench_print_table (BenchWorld world, guint clients, const BenchRun *cap,
                   const BenchRun *nocap, long rss)
{
  if (world == BENCH_WORLD_SIMPLE)
    printf ("simple world (scaled scenario 01): %" G_GUINT64_FORMAT
            " requests from %u internet clients to service hello\n\n",
            cap->requests, clients);
  else
    printf ("mixed world: %" G_GUINT64_FORMAT " requests over %u paths "
            "out of Cloud Run\n\n", cap->requests, cap->paths->len);
  printf ("%-10s %8s %7s %10s %11s %12s %9s %10s %12s\n", "run", "wall s",
          "cpu s", "events", "events/s", "pkt-hops/s", "delivered", "req/s",
          "capture MB/s");
  bench_print_row ("capture", cap);
  bench_print_row ("no capture", nocap);
  if (world == BENCH_WORLD_MIXED)
    {
      printf ("\n%-24s %9s %9s %10s %7s %10s\n", "path (capture run)",
              "requests", "delivered", "req/s", "share", "no-cap req/s");
      for (guint i = 0; i < cap->paths->len; i++)
        {
          const BenchPath *p = &g_array_index (cap->paths, BenchPath, i);
          const BenchPath *q = &g_array_index (nocap->paths, BenchPath, i);

          printf ("%-24s %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT
                  " %10.0f %6.1f%% %10.0f\n", p->name, p->requests,
                  p->delivered, bench_rate (p->delivered, cap->wall_s),
                  cap->delivered ? 100.0 * (double) p->delivered
                                   / (double) cap->delivered : 0.0,
                  bench_rate (q->delivered, nocap->wall_s));
        }
    }
  printf ("\ncapture: %.1f MB written, %.0f bytes per request; "
          "packet-hops/s %.0f%% below the run without capture\n",
          (double) cap->capture_bytes / 1e6,
          cap->delivered
          ? (double) cap->capture_bytes / (double) cap->delivered : 0.0,
          100.0 * (1.0 - bench_rate (cap->hops, cap->wall_s)
                   / MAX (bench_rate (nocap->hops, nocap->wall_s), 1.0)));
  printf ("simulation thread CPU: %.3f s with capture, %.3f s without "
          "(%.0f and %.0f packet-hops per CPU second)\n", cap->sim_cpu_s,
          nocap->sim_cpu_s, bench_rate (cap->hops, cap->sim_cpu_s),
          bench_rate (nocap->hops, nocap->sim_cpu_s));
  printf ("peak RSS: %ld KiB\n", rss);
}

/* Every traffic delivered every request; says which did not. */
static gboolean
bench_all_delivered (const char *label, const BenchRun *r)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < r->paths->len; i++)
    {
      const BenchPath *p = &g_array_index (r->paths, BenchPath, i);

      if (p->delivered != p->requests)
        {
          fprintf (stderr, "bench-e2e: %s: traffic %s delivered %"
                   G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " requests\n",
                   label, p->name, p->delivered, p->requests);
          ok = FALSE;
        }
    }
  return ok;
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE, print = FALSE;
  gint requests = BENCH_DEFAULT_REQUESTS, clients = BENCH_DEFAULT_CLIENTS;
  g_autofree char *world_name = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { "world", 0, 0, G_OPTION_ARG_STRING, &world_name,
      "simple (default) or mixed", "WORLD" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests,
      "Requests in all (default 100000)", "N" },
    { "print-scenario", 0, 0, G_OPTION_ARG_NONE, &print,
      "Print the world's scenario text and exit", NULL },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients,
      "Internet clients of the simple world (default 20)", "N" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = NULL;
  BenchWorld world = BENCH_WORLD_SIMPLE;
  BenchRun cap, nocap;
  gboolean ok;

  g_option_context_set_summary (context, "End-to-end benchmark: a world "
                                "(scaled scenario 01, or mixed paths out "
                                "of Cloud Run), run with and without "
                                "capture.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-e2e: %s\n", error->message);
      return 2;
    }
  if (world_name && !bench_world_parse (world_name, &world))
    {
      fprintf (stderr, "bench-e2e: --world: expected simple or mixed, "
               "found '%s'\n", world_name);
      return 2;
    }
  if (requests < 1 || clients < 1 || clients > 240)
    {
      fprintf (stderr, "bench-e2e: expected --requests >= 1 and --clients "
               "1..240\n");
      return 2;
    }
  clients = MIN (clients, requests);
  if ((guint) requests < bench_world_min_requests (world, (guint) clients))
    {
      fprintf (stderr, "bench-e2e: the %s world needs --requests >= %u\n",
               bench_world_name (world),
               bench_world_min_requests (world, (guint) clients));
      return 2;
    }
  text = bench_world_text (world, (guint) requests, (guint) clients);
  if (print)
    {
      fputs (text->str, stdout);
      return 0;
    }
  if (!bench_run (text, TRUE, &cap, &error)
      || !bench_run (text, FALSE, &nocap, &error))
    {
      fprintf (stderr, "bench-e2e: %s\n", error->message);
      return 1;
    }
  if (json)
    bench_print_json (world, &cap, &nocap, bench_peak_rss_kib ());
  else
    bench_print_table (world, (guint) clients, &cap, &nocap,
                       bench_peak_rss_kib ());
  ok = bench_all_delivered ("capture", &cap)
       && bench_all_delivered ("no capture", &nocap)
       && cap.requests == (uint64_t) requests;
  g_array_unref (cap.paths);
  g_array_unref (nocap.paths);
  return ok ? 0 : 1;
}
