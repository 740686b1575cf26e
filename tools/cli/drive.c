/* Driving a session to its end for the command (see tools/cli/cli.h): in
 * slices of simulated time sized by the wall clock, with a progress line
 * (redrawn on a terminal, one line every few seconds of wall time in a
 * log), stopping at a signal or when the outputs pass their limit. The
 * wall clock is read here only; the simulation never sees it, and where
 * the slices end or when a progress line is printed changes nothing it
 * writes. */
#include "tools/cli/cli.h"

#include <gio/gio.h>
#include <stdio.h>
#include <unistd.h>

#include "tools/cli/interrupt.h"

/* Wall time a slice of simulated time should take: short enough that an
 * interruption is seen at once, long enough that slicing costs nothing. */
#define SLICE_WALL_MIN_US 10000
#define SLICE_WALL_MAX_US 50000
#define PROGRESS_EVERY_US 100000
/* When stderr is not a terminal (a CI log): a line this often, or every
 * CLOUDRUN_NETSIM_PROGRESS_SECONDS seconds. */
#define PROGRESS_LOG_EVERY_US 5000000
/* Simulated time units: nanoseconds. */
#define NS_US G_GUINT64_CONSTANT (1000)
#define NS_MS G_GUINT64_CONSTANT (1000000)
#define NS_S G_GUINT64_CONSTANT (1000000000)

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

/* How the progress is shown: not at all, redrawn in place on a
 * terminal, or as whole lines now and then in a log. */
typedef enum { PROGRESS_NONE, PROGRESS_TERMINAL, PROGRESS_LOG } ProgressMode;

/* A time to three significant digits ("1.23s", "45.7s", "62m"), not the
 * exact nanoseconds: the progress line is read at a glance. */
static const char *
readable_time (guint64 ns, char *buf)
{
  guint64 unit = 1;

  while (ns / unit >= 1000)
    unit *= 10;
  if (unit > 1)
    ns = (ns / unit + (ns % unit >= unit / 2)) * unit;
  return cloudrun_format_time (ns, buf);
}

/* Wall time between two progress lines in mode. */
static gint64
progress_every_us (ProgressMode mode)
{
  const char *env = g_getenv ("CLOUDRUN_NETSIM_PROGRESS_SECONDS");
  char *end;
  double seconds;

  if (mode != PROGRESS_LOG)
    return PROGRESS_EVERY_US;
  if (!env || !*env)
    return PROGRESS_LOG_EVERY_US;
  seconds = g_ascii_strtod (env, &end);
  if (*end || !(seconds >= 0 && seconds <= 86400))
    return PROGRESS_LOG_EVERY_US;
  return (gint64) (seconds * 1e6);
}

/* One progress line: how far (the larger of simulated time over duration
 * and requests ended over requests planned), the ETA from the wall time
 * so far, the requests ended, the event rate. */
static void
progress_line (const CloudRunProgress *p, double wall, ProgressMode mode)
{
  double done = p->duration ? (double) p->now / (double) p->duration : 1.0;
  char now[32], eta[32] = "-";

  if (p->requests_planned)
    done = MAX (done, (double) p->requests_ended
                      / (double) p->requests_planned);
  done = MIN (done, 1.0);
  if (done > 0 && wall > 0)
    readable_time ((guint64) (wall * (1 - done) / done + 0.5) * NS_S, eta);
  fprintf (stderr, "%s  %5.1f%%  ETA %-6s  simulated %-8s  %" G_GUINT64_FORMAT
           "/%" G_GUINT64_FORMAT " requests ended  %5.1fM events/s%s",
           mode == PROGRESS_TERMINAL ? "\r" : "",
           100 * done, eta, readable_time (p->now, now),
           p->requests_ended, p->requests_planned,
           wall > 0 ? (double) p->events / wall / 1e6 : 0.0,
           mode == PROGRESS_TERMINAL ? " " : "\n");
  fflush (stderr);
}

CloudRunSession *
tools_cli_load (const char *path, const CloudRunEdits *edits, GError **error)
{
  return cloudrun_session_load_file (path, edits, error);
}

gboolean
tools_cli_check_output_size (const CloudRunSession *s,
                             const CloudRunOutputOptions *options,
                             guint64 max_output, GError **error)
{
  guint64 estimate = cloudrun_session_output_estimate (s, options);
  g_autofree char *est = format_size (estimate);
  g_autofree char *lim = format_size (max_output);

  if (estimate <= max_output)
    return TRUE;
  g_set_error (error, CLOUDRUN_SESSION_ERROR,
               CLOUDRUN_SESSION_ERROR_OUTPUT_LIMIT,
               "%s: the capture would take about %s (every request's bytes "
               "over about %u links, in each capture file kind), more than "
               "the %s allowed; pass --max-output SIZE to allow it, or "
               "--capture=none (or pcapng, or pcap) to write less",
               cloudrun_session_path (s), est, CLOUDRUN_ESTIMATE_LINKS, lim);
  return FALSE;
}

/* Advances s to its end in slices: a slice halves when it took too long
 * in wall time and doubles when it was quick. FALSE when a signal was
 * caught or the outputs passed limit (over_at: when). */
static gboolean
run_slices (CloudRunSession *s, ProgressMode show, guint64 limit,
            guint64 *over_at)
{
  guint64 end = cloudrun_session_duration (s);
  guint64 max_slice = MAX (end / 100, NS_MS), slice = max_slice;
  gint64 t0 = g_get_monotonic_time (), every = progress_every_us (show);
  /* A log gets its first line after one interval: a short run says
   * nothing there. */
  gint64 shown = show == PROGRESS_LOG ? t0 : 0;
  CloudRunProgress p;

  for (;;)
    {
      gint64 w0 = g_get_monotonic_time (), w1;
      gboolean more = cloudrun_session_advance (s, slice);

      w1 = g_get_monotonic_time ();
      if (w1 - w0 > SLICE_WALL_MAX_US && slice > NS_US)
        slice /= 2;
      else if (w1 - w0 < SLICE_WALL_MIN_US && slice < max_slice)
        slice = MIN (slice * 2, max_slice);
      if (tools_interrupt_caught ())
        return FALSE;
      cloudrun_session_progress (s, &p);
      /* The estimate may fall short (a path longer than it assumes): the
       * bound holds all the same. */
      if (limit && p.output_bytes > limit)
        {
          *over_at = p.now;
          return FALSE;
        }
      if (show == PROGRESS_TERMINAL
          ? w1 - shown >= every || !more
          : show == PROGRESS_LOG && more && w1 - shown >= every)
        {
          shown = w1;
          progress_line (&p, (double) (w1 - t0) / 1e6, show);
        }
      if (!more)
        return TRUE;
    }
}

gboolean
tools_cli_run (CloudRunSession *s, CloudRunOutputDir *dir,
               const CloudRunOutputOptions *options, guint64 max_output,
               gboolean quiet, GError **error)
{
  g_autoptr (GString) warnings = g_string_new (NULL);
  ProgressMode show = quiet ? PROGRESS_NONE
                     : isatty (STDERR_FILENO) ? PROGRESS_TERMINAL
                     : PROGRESS_LOG;
  guint64 over_at = 0;
  gboolean done;

  if (!cloudrun_session_start (s, dir, options, warnings, error))
    {
      fputs (warnings->str, stderr);
      return FALSE;
    }
  fputs (warnings->str, stderr);
  g_string_truncate (warnings, 0);
  done = run_slices (s, show, dir ? max_output : 0, &over_at);
  if (show == PROGRESS_TERMINAL)
    fprintf (stderr, "\r%100s\r", "");
  if (!cloudrun_session_finish (s, done, warnings, done ? error : NULL)
      && done)
    {
      fputs (warnings->str, stderr);
      return FALSE;
    }
  fputs (warnings->str, stderr);
  if (!done && over_at)
    {
      char at[32];
      g_autofree char *lim = format_size (max_output);
      g_set_error (error, CLOUDRUN_SESSION_ERROR,
                   CLOUDRUN_SESSION_ERROR_OUTPUT_LIMIT,
                   "%s: the outputs passed the %s allowed at simulated time "
                   "%s, so the run stopped and kept nothing; pass "
                   "--max-output SIZE to allow more, or write less with "
                   "--capture=none (or pcapng, or pcap) or --no-requests",
                   cloudrun_session_path (s), lim,
                   cloudrun_format_time (over_at, at));
      return FALSE;
    }
  if (!done)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "interrupted by signal %d", tools_interrupt_caught ());
      return FALSE;
    }
  return TRUE;
}

/* Says which staging directories of killed runs begin removed, and which
 * it could not remove. */
static void
note_stale (const CloudRunOutputDir *o)
{
  const char *dir = cloudrun_output_dir_path (o);

  for (guint i = 0; i < cloudrun_output_dir_n_stale (o, FALSE); i++)
    fprintf (stderr, "cloudrun-netsim: %s/%s: removed the staging directory "
             "of an interrupted run\n", dir,
             cloudrun_output_dir_stale (o, FALSE, i));
  for (guint i = 0; i < cloudrun_output_dir_n_stale (o, TRUE); i++)
    fprintf (stderr, "cloudrun-netsim: %s/%s: could not remove the staging "
             "directory of an interrupted run (remove it by hand)\n",
             dir, cloudrun_output_dir_stale (o, TRUE, i));
}

gboolean
tools_cli_run_into (const char *path, const CloudRunEdits *edits,
                    const char *dir, const CloudRunOutputOptions *options,
                    guint64 max_output, gboolean quiet, ToolsCliExtra extra,
                    gpointer user, CloudRunSession **session, GError **error)
{
  g_autoptr (CloudRunSession) s = NULL;
  g_autoptr (CloudRunOutputDir) o = NULL;

  if (!(s = tools_cli_load (path, edits, error))
      || !tools_cli_check_output_size (s, options, max_output, error)
      || !(o = cloudrun_output_dir_begin (dir, error)))
    return FALSE;
  note_stale (o);
  if (!tools_cli_run (s, o, options, max_output, quiet, error)
      || !cloudrun_session_write_reports (s, o, error)
      || (extra && !extra (s, o, user, error)))
    return FALSE;
  if (tools_interrupt_caught ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted by "
                   "signal %d", tools_interrupt_caught ());
      return FALSE;
    }
  if (!cloudrun_output_dir_commit (o, error))
    return FALSE;
  *session = g_steal_pointer (&s);
  return TRUE;
}

void
tools_cli_warn_graph (const CloudRunSession *s, const char *dir)
{
  if (cloudrun_session_graph_warning (s))
    fprintf (stderr, "cloudrun-netsim: warning: %s/topology.svg not drawn: "
             "%s; the other outputs are written\n", dir,
             cloudrun_session_graph_warning (s));
}
