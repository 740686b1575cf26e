/* bench-e2e: end-to-end throughput of the whole simulator on a scaled
 * scenario 01 (scenarios/01-internet-to-public-service.ini): CLIENTS
 * internet clients, each sending its share of REQUESTS GETs at a constant
 * rate to the one public service `hello` (ingress all), with enough warm
 * instances and concurrency that nothing is refused.
 *
 * The scenario text is generated in memory and loaded, built and run like
 * `cloudrun-netsim run` does (tools/run.c), twice on fresh worlds: once
 * with full capture (trace.pcapng and the per-link pcaps, into a temporary
 * directory removed afterwards) and once without. Only the run itself
 * (cloudrun_world_run) is timed; loading, building and closing the
 * capture are not.
 *
 * Figures: packet-hops per second (sim_world_hops: frames delivered over
 * links) with and without capture, delivered requests per second and
 * capture bytes per second with capture, and the process's peak RSS.
 *
 * Usage: bench-e2e [--json] [--requests N] [--clients N]. --json prints
 * exactly one JSON object on stdout. Exit 0 when both runs delivered
 * every request, 1 when a run failed or delivered fewer, 2 on bad options.
 * The wall clock is read here, in a tool, never in sim/ or models/. */
#define _POSIX_C_SOURCE 200809L

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "models/build/build.h"
#include "models/build/summary.h"
#include "models/world/request.h"
#include "models/format/scenario.h"
#include "models/world/world.h"
#include "sim/capture.h"

#define BENCH_DEFAULT_REQUESTS 100000
#define BENCH_DEFAULT_CLIENTS 20
/* Each client sends one request per interval; the clients' first
 * requests are spread evenly over one interval. */
#define BENCH_INTERVAL_US 1000
/* Aggregate load is CLIENTS / interval (20,000 requests/s by default),
 * each held about 40 ms: some 800 in flight, far below the capacity of
 * BENCH_INSTANCES x BENCH_CONCURRENCY. */
#define BENCH_INSTANCES 10
#define BENCH_CONCURRENCY 1000
/* Simulated time after the last request is sent: more than the caller's
 * 10 s default timeout, so every request ends before the run does. */
#define BENCH_TAIL_S 12

typedef struct {
  double wall_s;                /* wall time of cloudrun_world_run */
  double cpu_s;                 /* user + system CPU time of the same */
  uint64_t events;              /* events fired */
  uint64_t hops;                /* packet-hops delivered over links */
  uint64_t delivered;           /* requests finished with DELIVERED */
  uint64_t capture_bytes;       /* bytes written to the captures; 0 off */
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
bench_cpu (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0.0;
  return (double) ru.ru_utime.tv_sec + (double) ru.ru_stime.tv_sec
         + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* The scaled scenario 01: requests split as evenly as possible. */
static GString *
bench_scenario_text (guint requests, guint clients)
{
  GString *s = g_string_new (NULL);
  guint per = requests / clients, extra = requests % clients;
  guint longest = per + (extra ? 1 : 0);
  guint64 last_us = (guint64) (longest - 1) * BENCH_INTERVAL_US
                    + BENCH_INTERVAL_US;

  g_string_append_printf (s,
      "[scenario]\nformat = 1\n"
      "title = bench-e2e: %u internet clients to a public service\n"
      "seed = 1\nduration = %" G_GUINT64_FORMAT "ms\n\n"
      "[project shop]\n\n"
      "[service hello]\nregion = asia-northeast1\ningress = all\n"
      "min-instances = %u\nmax-instances = %u\nconcurrency = %u\n\n",
      clients, last_us / 1000 + 1 + BENCH_TAIL_S * 1000,
      BENCH_INSTANCES, BENCH_INSTANCES, BENCH_CONCURRENCY);
  for (guint i = 0; i < clients; i++)
    g_string_append_printf (s, "[client c%u]\n\n", i);
  for (guint i = 0; i < clients; i++)
    g_string_append_printf (s,
        "[traffic t%u]\nfrom = c%u\nurl = service:hello\ncount = %u\n"
        "interval = %uus\nstart = %uus\n\n",
        i, i, per + (i < extra ? 1 : 0), BENCH_INTERVAL_US,
        i * BENCH_INTERVAL_US / clients);
  return s;
}

/* Removes what sim_capture_open made in dir (files and pcap/), then dir. */
static void
bench_remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR)
          && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        bench_remove_tree (path);
      else if (g_unlink (path) != 0)
        fprintf (stderr, "bench-e2e: cannot remove %s\n", path);
    }
  if (g_rmdir (dir) != 0)
    fprintf (stderr, "bench-e2e: cannot remove %s\n", dir);
}

static uint64_t
bench_count_delivered (CloudRunWorld *world)
{
  g_autofree CloudRunTrafficSummary *sums = cloudrun_summary_new (world);
  uint64_t n = 0;

  for (guint t = 0; t < world->n_plans; t++)
    n += sums[t].verdicts[CLOUDRUN_VERDICT_DELIVERED];
  return n;
}

/* Runs world, timed; with capture_dir, captures everything into it. */
static gboolean
bench_run_world (CloudRunWorld *world, SimTime duration,
                 const char *capture_dir, BenchRun *out, GError **error)
{
  SimCaptureOptions copt = { true, true, "cloudrun-netsim bench-e2e", NULL,
                             false };
  SimCapture *capture = NULL;
  double t0, c0;

  if (capture_dir)
    {
      capture = sim_capture_open (world->sim, capture_dir, &copt, error);
      if (!capture)
        return FALSE;
      sim_world_set_tap (world->sim, sim_capture_tap (capture));
    }
  c0 = bench_cpu ();
  t0 = bench_clock ();
  out->events = cloudrun_world_run (world, duration);
  out->wall_s = bench_clock () - t0;
  out->cpu_s = bench_cpu () - c0;
  out->hops = sim_world_hops (world->sim);
  out->delivered = bench_count_delivered (world);
  if (capture)
    {
      sim_world_set_tap (world->sim, NULL);
      out->capture_bytes = sim_capture_bytes_written (capture);
      if (!sim_capture_close (capture, error))
        return FALSE;
    }
  return TRUE;
}

/* Loads and builds text afresh, then runs it (see bench_run_world). */
static gboolean
bench_run (const GString *text, gboolean capture, BenchRun *out,
           GError **error)
{
  g_autoptr (CloudRunScenario) sc = NULL;
  g_autoptr (CloudRunWorld) world = NULL;
  g_autofree char *dir = NULL;
  gboolean ok;

  memset (out, 0, sizeof *out);
  sc = cloudrun_scenario_load ("bench-e2e.ini", text->str, text->len, NULL,
                               error);
  if (!sc || !(world = cloudrun_world_build (sc, error)))
    return FALSE;
  if (capture && !(dir = g_dir_make_tmp ("cloudrun-bench-e2e-XXXXXX", error)))
    return FALSE;
  ok = bench_run_world (world, sc->duration, dir, out, error);
  if (dir)
    bench_remove_tree (dir);
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
bench_print_json (const BenchRun *cap, const BenchRun *nocap, long rss)
{
  printf ("{\"requests\": %" G_GUINT64_FORMAT ", "
          "\"packet_hops_per_s_capture\": %.0f, "
          "\"packet_hops_per_s_nocapture\": %.0f, "
          "\"requests_per_s_capture\": %.0f, "
          "\"capture_bytes_per_s\": %.0f, \"peak_rss_kib\": %ld}\n",
          cap->delivered, bench_rate (cap->hops, cap->wall_s),
          bench_rate (nocap->hops, nocap->wall_s),
          bench_rate (cap->delivered, cap->wall_s),
          bench_rate (cap->capture_bytes, cap->wall_s), rss);
}

static void
bench_print_row (const char *label, const BenchRun *r)
{
  printf ("%-10s %8.3f %7.3f %10" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT
          " %12.0f %9" G_GUINT64_FORMAT " %10.0f %12.1f\n", label, r->wall_s,
          r->cpu_s, r->events, r->hops, bench_rate (r->hops, r->wall_s),
          r->delivered, bench_rate (r->delivered, r->wall_s),
          bench_rate (r->capture_bytes, r->wall_s) / 1e6);
}

static void
bench_print_table (guint requests, guint clients, const BenchRun *cap,
                   const BenchRun *nocap, long rss)
{
  printf ("scaled scenario 01: %u requests from %u internet clients to "
          "service hello\n\n", requests, clients);
  printf ("%-10s %8s %7s %10s %11s %12s %9s %10s %12s\n", "run", "wall s",
          "cpu s", "events", "pkt-hops", "pkt-hops/s", "delivered", "req/s",
          "capture MB/s");
  bench_print_row ("capture", cap);
  bench_print_row ("no capture", nocap);
  printf ("\ncapture: %.1f MB written, %.0f bytes per request; "
          "packet-hops/s %.0f%% below the run without capture\n",
          (double) cap->capture_bytes / 1e6,
          cap->delivered
          ? (double) cap->capture_bytes / (double) cap->delivered : 0.0,
          100.0 * (1.0 - bench_rate (cap->hops, cap->wall_s)
                   / MAX (bench_rate (nocap->hops, nocap->wall_s), 1.0)));
  printf ("peak RSS: %ld KiB\n", rss);
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE;
  gint requests = BENCH_DEFAULT_REQUESTS, clients = BENCH_DEFAULT_CLIENTS;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { "requests", 0, 0, G_OPTION_ARG_INT, &requests,
      "Requests in all (default 100000)", "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients,
      "Internet clients (default 20)", "N" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = NULL;
  BenchRun cap, nocap;

  g_option_context_set_summary (context, "End-to-end benchmark: a scaled "
                                "scenario 01, run with and without capture.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-e2e: %s\n", error->message);
      return 2;
    }
  if (requests < 1 || clients < 1 || clients > 240)
    {
      fprintf (stderr, "bench-e2e: expected --requests >= 1 and --clients "
               "1..240\n");
      return 2;
    }
  clients = MIN (clients, requests);
  text = bench_scenario_text ((guint) requests, (guint) clients);
  if (!bench_run (text, TRUE, &cap, &error)
      || !bench_run (text, FALSE, &nocap, &error))
    {
      fprintf (stderr, "bench-e2e: %s\n", error->message);
      return 1;
    }
  if (json)
    bench_print_json (&cap, &nocap, bench_peak_rss_kib ());
  else
    bench_print_table ((guint) requests, (guint) clients, &cap, &nocap,
                       bench_peak_rss_kib ());
  if (cap.delivered != (uint64_t) requests
      || nocap.delivered != (uint64_t) requests)
    {
      fprintf (stderr, "bench-e2e: delivered %" G_GUINT64_FORMAT " and %"
               G_GUINT64_FORMAT " of %d requests (capture, no capture)\n",
               cap.delivered, nocap.delivered, requests);
      return 1;
    }
  return 0;
}
