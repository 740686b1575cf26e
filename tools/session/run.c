/* Scenario runs for the command line (see tools/session/run.h). The wall clock is
 * read here only, for the progress line; the simulation never sees it. */
#include "tools/session/run.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "models/assemble/build.h"
#include "sim/capture.h"
#include "sim/units.h"
#include "tools/report/graph.h"
#include "tools/cli/interrupt.h"
#include "tools/report/report.h"
#include "tools/report/requests.h"
#include "tools/report/report-html.h"

#define TLS_NOTE "https is TLS 1.2 on port 443 with a NULL cipher "     \
                 "(TLS_RSA_WITH_NULL_SHA256); its keys are in this file "    \
                 "(decryption secrets blocks) and in pcap/tls-keys.log, so "  \
                 "Wireshark shows the HTTP/1.1 inside"

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a directory";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "something that is not a regular file";
}

/* Reads the scenario: a regular file of at most TOOLS_RUN_MAX_SCENARIO
 * bytes. Opened non-blocking so that a FIFO is refused, not waited on;
 * read to one byte past the limit in case it grew since fstat. */
static gboolean
read_scenario (const char *path, char **data, gsize *len, GError **error)
{
  int fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  g_autofree char *buf = NULL;
  g_autofree char *found = NULL;
  gsize got = 0;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot read the scenario: %s", path, g_strerror (e));
      return FALSE;
    }
  if (S_ISREG (st.st_mode) && st.st_size <= TOOLS_RUN_MAX_SCENARIO)
    {
      buf = g_malloc (TOOLS_RUN_MAX_SCENARIO + 2);
      while (got <= TOOLS_RUN_MAX_SCENARIO)
        {
          ssize_t n = read (fd, buf + got, TOOLS_RUN_MAX_SCENARIO + 1 - got);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              int e = errno;
              close (fd);
              g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                           "%s: cannot read the scenario: %s", path,
                           g_strerror (e));
              return FALSE;
            }
          if (n == 0)
            break;
          got += (gsize) n;
        }
    }
  close (fd);
  if (!S_ISREG (st.st_mode))
    found = g_strdup (file_kind (st.st_mode));
  else if (st.st_size > TOOLS_RUN_MAX_SCENARIO || got > TOOLS_RUN_MAX_SCENARIO)
    found = g_strdup_printf ("a file of %" G_GINT64_FORMAT " bytes",
                             (gint64) MAX ((goffset) got, st.st_size));
  if (found)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected a regular file of at most %d MiB, found %s",
                   path, TOOLS_RUN_MAX_SCENARIO >> 20, found);
      return FALSE;
    }
  buf[got] = '\0';
  *data = g_steal_pointer (&buf);
  *len = got;
  return TRUE;
}

gboolean
tools_run_load (ToolsRun *run, const ToolsRunOptions *opt, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);
  gsize len;

  memset (run, 0, sizeof *run);
  if (!read_scenario (opt->path, &data, &len, error))
    return FALSE;
  for (char **s = opt->sets; s && *s; s++)
    g_ptr_array_add (sets, g_strdup (*s));
  if (opt->has_seed)
    g_ptr_array_add (sets, g_strdup_printf ("scenario.seed=%" G_GUINT64_FORMAT,
                                            opt->seed));
  g_ptr_array_add (sets, NULL);
  run->scenario = cloudrun_scenario_load_full (
      opt->path, data, len, (const char *const *) sets->pdata,
      (const char *const *) opt->unsets, error);
  if (!run->scenario)
    return FALSE;
  run->world = cloudrun_world_build (run->scenario, error);
  if (run->world)
    cloudrun_expect_watch (run->scenario, run->world);
  return run->world != NULL;
}

/* Wall time a slice of simulated time should take: short enough that an
 * interruption is seen at once, long enough that slicing costs nothing. */
#define SLICE_WALL_MIN_US 10000
#define SLICE_WALL_MAX_US 50000
#define PROGRESS_EVERY_US 100000

/* One progress line: how far (the larger of simulated time over duration
 * and requests ended over requests planned), the ETA from the wall time
 * so far, the requests ended, the event rate. */
static void
progress_line (const ToolsRun *run, SimTime t, double wall)
{
  const CloudRunLedger *ledger = &run->world->ledger;
  uint64_t ended = 0, planned = 0;
  double done = (double) t / (double) run->scenario->duration;
  char now[32], eta[32] = "-";

  for (guint i = 0; i < run->world->n_plans; i++)
    {
      const CloudRunTally *tally = cloudrun_ledger_tally (ledger, i);
      planned += tally->count;
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        ended += tally->verdicts[v];
    }
  if (planned)
    done = MAX (done, (double) ended / (double) planned);
  done = MIN (done, 1.0);
  if (done > 0 && wall > 0)
    sim_units_format_time ((SimTime) (wall * (1 - done) / done + 0.5) * SIM_S,
                           eta);
  fprintf (stderr, "\r  %5.1f%%  ETA %-6s  simulated %-8s  %" G_GUINT64_FORMAT
           "/%" G_GUINT64_FORMAT " requests ended  %5.1fM events/s ",
           100 * done, eta, sim_units_format_time (t, now), ended, planned,
           wall > 0 ? (double) run->events / wall / 1e6 : 0.0);
}

/* Runs in slices of simulated time, printing progress on a terminal and
 * stopping early when a signal was caught (FALSE then). A slice halves
 * when it took too long in wall time and doubles when it was quick: the
 * events fired do not depend on where the slices end. */
/* "143.3 KiB", "2.0 GiB": plain ASCII (g_format_size puts a no-break
 * space in, which grep and C-locale terminals do not expect). */
static char *
format_size (guint64 bytes)
{
  static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                       "PiB", "EiB" };
  double v = (double) bytes;
  guint u = 0;

  while (v >= 1024.0 && u + 1 < G_N_ELEMENTS (units))
    {
      v /= 1024.0;
      u++;
    }
  return u == 0 ? g_strdup_printf ("%" G_GUINT64_FORMAT " B", bytes)
                : g_strdup_printf ("%.1f %s", v, units[u]);
}

/* Bytes the run's files hold so far: the captures (waiting for the
 * writer thread) and requests.jsonl. */
static guint64
output_bytes (ToolsRun *run, SimCapture *capture)
{
  return (capture ? sim_capture_bytes_written (capture) : 0)
         + tools_requests_bytes (run->world);
}

static gboolean
run_with_progress (ToolsRun *run, const ToolsRunOptions *opt,
                   SimCapture *capture, guint64 limit)
{
  SimWorld *sim = run->world->sim;
  SimTime end = run->scenario->duration;
  SimTime max_slice = MAX (end / 100, SIM_MS), slice = max_slice;
  gboolean show = !opt->quiet && isatty (STDERR_FILENO);
  gint64 t0 = g_get_monotonic_time (), shown = 0;
  gboolean done = TRUE;

  sim_world_start (sim);
  for (SimTime t = 0;;)
    {
      gint64 w0 = g_get_monotonic_time (), w1;

      t = t + MIN (slice, end - t);
      run->events += sim_world_advance (sim, t);
      w1 = g_get_monotonic_time ();
      if (w1 - w0 > SLICE_WALL_MAX_US && slice > SIM_US)
        slice /= 2;
      else if (w1 - w0 < SLICE_WALL_MIN_US && slice < max_slice)
        slice = MIN (slice * 2, max_slice);
      if (tools_interrupt_caught ())
        {
          done = FALSE;
          break;
        }
      /* The estimate may fall short (a path longer than it assumes): the
       * bound holds all the same. */
      if (limit && output_bytes (run, capture) > limit)
        {
          run->over_limit_at = t;
          done = FALSE;
          break;
        }
      if (show && (w1 - shown >= PROGRESS_EVERY_US || t >= end))
        {
          shown = w1;
          progress_line (run, t, (double) (w1 - t0) / 1e6);
        }
      if (t >= end || sim_kernel_pending (sim_world_kernel (sim)) == 0)
        break;
    }
  if (show)
    fprintf (stderr, "\r%100s\r", "");
  sim_world_finish (sim);
  return done;
}

guint64
tools_run_capture_estimate (const ToolsRun *run, const ToolsRunOptions *opt)
{
  const CloudRunWorld *world = run->world;
  const GPtrArray *services = run->scenario->services;
  guint64 response = 1024, total = 0;   /* VMs and clients answer 1 KiB */
  unsigned kinds = (opt->capture == TOOLS_CAPTURE_ALL) ? 2
                   : (opt->capture == TOOLS_CAPTURE_NONE) ? 0 : 1;

  for (guint i = 0; i < services->len; i++)
    response = MAX (response, ((const CloudRunService *)
                               g_ptr_array_index (services, i))->response_size);
  for (guint t = 0; t < world->n_plans; t++)
    {
      const CloudRunTrafficPlan *p = &world->plans[t];
      SimTime pace = p->poisson ? p->mean_interval : p->interval;
      double n = p->count, per, bytes;

      /* Requests due after duration never start. */
      if (p->start >= run->scenario->duration)
        n = 0;
      else if (pace > 0)
        n = MIN (n, (double) ((run->scenario->duration - p->start) / pace)
                    + 1.0);
      per = ((double) p->request_size + (double) response) * 1.05 + 3000.0;
      bytes = per * n * TOOLS_RUN_ESTIMATE_LINKS * kinds;
      total = bytes >= (double) (G_MAXUINT64 - total) ? G_MAXUINT64
              : total + (guint64) bytes;
    }
  return total;
}

gboolean
tools_run_check_capture_size (const ToolsRun *run, const ToolsRunOptions *opt,
                              GError **error)
{
  guint64 limit = opt->max_output ? opt->max_output : TOOLS_RUN_MAX_OUTPUT;
  guint64 estimate = tools_run_capture_estimate (run, opt);
  g_autofree char *est = format_size (estimate);
  g_autofree char *lim = format_size (limit);

  if (estimate <= limit)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
               "%s: the capture would take about %s (every request's bytes "
               "over about %u links, in each capture file kind), more than "
               "the %s allowed; pass --max-output SIZE to allow it, or "
               "--capture=none (or pcapng, or pcap) to write less",
               opt->path, est, TOOLS_RUN_ESTIMATE_LINKS, lim);
  return FALSE;
}

/* A capture keeps each link's pcap open from its first frame on: a
 * thousand instances pass the usual soft limit of 1024 open files, so the
 * soft limit goes up to the hard one. */
static void
run_raise_file_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      (void) setrlimit (RLIMIT_NOFILE, &rl);
    }
}

gboolean
tools_run_execute (ToolsRun *run, const ToolsRunOptions *opt, ToolsOutput *out,
                   GError **error)
{
  SimCapture *capture = NULL;
  g_autoptr (GString) warnings = g_string_new (NULL);
  gboolean done;

  tools_run_warn_duration (run, warnings);
  if (!opt->silent)
    fputs (warnings->str, stderr);
  /* requests.jsonl is a report, not a capture: written whatever
   * --capture says, as the requests settle. */
  if (out && !opt->no_requests
      && !tools_requests_begin (run->world, out, error))
    return FALSE;
  if (out && opt->capture != TOOLS_CAPTURE_NONE)
    {
      SimCaptureOptions copt = {
        opt->capture != TOOLS_CAPTURE_PCAP, opt->capture != TOOLS_CAPTURE_PCAPNG,
        "cloudrun-netsim " PACKAGE_VERSION, TLS_NOTE,
        /* Tests compare the files written with and without the capture's
         * writer thread (tests/scenarios/capture-thread.sh). */
        g_strcmp0 (g_getenv ("CLOUDRUN_NETSIM_CAPTURE_WRITER"), "sync") == 0 };

      if (copt.per_link_pcap)
        run_raise_file_limit ();
      capture = sim_capture_open (run->world->sim, out->staging, &copt, error);
      if (!capture)
        return FALSE;
      sim_world_set_tap (run->world->sim, sim_capture_tap (capture));
    }
  done = run_with_progress (run, opt, capture,
                            out ? (opt->max_output ? opt->max_output
                                                   : TOOLS_RUN_MAX_OUTPUT)
                                : 0);
  if (capture)
    {
      sim_world_set_tap (run->world->sim, NULL);
      run->capture_bytes = sim_capture_bytes_written (capture);
      if (!sim_capture_close (capture, done ? error : NULL) && done)
        return FALSE;
    }
  if (!done && run->over_limit_at)
    {
      char at[32];
      g_autofree char *lim = format_size (opt->max_output ? opt->max_output
                                                          : TOOLS_RUN_MAX_OUTPUT);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "%s: the outputs passed the %s allowed at simulated time "
                   "%s, so the run stopped and kept nothing; pass "
                   "--max-output SIZE to allow more, or write less with "
                   "--capture=none (or pcapng, or pcap) or --no-requests",
                   opt->path, lim,
                   sim_units_format_time (run->over_limit_at, at));
      return FALSE;
    }
  if (!done)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "interrupted by signal %d", tools_interrupt_caught ());
      return FALSE;
    }
  run->summaries = cloudrun_summary_new (run->world);
  g_string_truncate (warnings, 0);
  tools_run_warn_pending (run, warnings);
  if (!opt->silent)
    fputs (warnings->str, stderr);
  if (out && !opt->no_requests && !tools_requests_end (run->world, error))
    return FALSE;
  run->checks = cloudrun_expect_evaluate (run->scenario, run->world,
                                          run->summaries);
  return TRUE;
}

gboolean
tools_run_write_reports (ToolsRun *run, ToolsOutput *out, GError **error)
{
  ToolsReport rep = { run->scenario, run->world, run->summaries, run->checks,
                      run->events };
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (GString) dot = g_string_new (NULL);
  g_autoptr (GString) svg = g_string_new (NULL);
  g_autoptr (GError) graph_error = NULL;
  gboolean drawn;

  tools_report_text (text, &rep);
  tools_report_json (json, &rep);
  tools_graph_dot (dot, run->scenario, run->world, run->summaries);
  if (!tools_output_write (out, "report.txt", text, error)
      || !tools_output_write (out, "report.json", json, error)
      || !tools_output_write (out, "topology.dot", dot, error))
    return FALSE;
  drawn = tools_graph_svg (dot, svg, &graph_error);
  if (drawn && !tools_output_write (out, "topology.svg", svg, error))
    return FALSE;
  if (!drawn && graph_error)
    run->graph_warning = g_strdup (graph_error->message);
  return tools_report_html_write (out, &rep, drawn ? svg : NULL,
                                  run->graph_warning, error);
}

void
tools_run_clear (ToolsRun *run)
{
  if (run->checks)
    g_array_unref (run->checks);
  g_free (run->summaries);
  g_free (run->graph_warning);
  cloudrun_world_free (run->world);
  cloudrun_scenario_free (run->scenario);
  memset (run, 0, sizeof *run);
}
