/* summary.csv of a sweep (see tools/cli/sweep.h): a header, then one row per
 * run and traffic. Columns: run, seed, one per [sweep] key (headed by the
 * key as written), traffic, requests, one per outcome (delivered ...
 * timeout, then pending), internal, external, decided_at, cause, p50_ns,
 * p90_ns, p99_ns, p999_ns, max_ns (empty when no request got a response)
 * and failed_expectations (the [expect] items of that traffic that
 * failed). Fields are quoted as RFC 4180 says when they hold a comma, a
 * quote or a line break; lines end with LF.
 *
 * collect merges the DIR/run-N/summary.csv files that `sweep --run N`
 * wrote, after checking that each is there, has the header of this sweep
 * and, row by row, the run, seed, values and traffic names of run N. It
 * reads only what such a run writes: DIR/run-N a directory and its
 * summary.csv a regular file, neither reached through a symbolic link,
 * and no larger than SUMMARY_MAX; its errors say where a file differs,
 * never what it holds. */
#include "tools/cli/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* The largest summary.csv a run writes is a few hundred bytes a traffic. */
#define SUMMARY_MAX (16u << 20)

/* The outcome columns: every verdict, pending last. */

/* The columns after traffic: requests, the outcomes, then these. */
static const char *const tail_columns[] = {
  "internal", "external", "decided_at", "cause", "p50_ns", "p90_ns",
  "p99_ns", "p999_ns", "max_ns", "failed_expectations", NULL
};

/* Appends field, quoted when it holds ',', '"', CR or LF. */
static void
csv_field (GString *out, const char *field)
{
  if (!strpbrk (field, ",\"\r\n"))
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
tools_sweep_csv_header (GString *out, const ToolsSweep *sw)
{
  g_string_append (out, "run,seed");
  for (guint i = 0; i < sw->params->len; i++)
    {
      g_string_append_c (out, ',');
      csv_field (out, ((ToolsSweepParam *) sw->params->pdata[i])->target);
    }
  g_string_append (out, ",traffic,requests");
  for (guint v = 0; v < CLOUDRUN_N_OUTCOMES; v++)
    g_string_append_printf (out, ",%s", cloudrun_outcome_name (v));
  for (guint i = 0; tail_columns[i]; i++)
    g_string_append_printf (out, ",%s", tail_columns[i]);
  g_string_append_c (out, '\n');
}

/* The fields every row of run n starts with: run, seed, the values and
 * the traffic NAME, each followed by a comma. */
static void
row_prefix (GString *out, const ToolsSweep *sw, guint n, const char *traffic)
{
  g_autofree guint *choices = g_new0 (guint, sw->params->len + 1);

  tools_sweep_decompose (sw, n, choices, NULL);
  g_string_append_printf (out, "%u,%" G_GUINT64_FORMAT ",", n,
                          tools_sweep_seed (sw, n));
  for (guint i = 0; i < sw->params->len; i++)
    {
      const ToolsSweepParam *p = sw->params->pdata[i];
      csv_field (out, p->values[choices[i]]);
      g_string_append_c (out, ',');
    }
  csv_field (out, traffic);
  g_string_append_c (out, ',');
}

/* Fields after the traffic NAME (and their separating commas). */
#define TAIL_FIELDS (1 + CLOUDRUN_N_OUTCOMES + 10)
G_STATIC_ASSERT (G_N_ELEMENTS (tail_columns) == 10 + 1);

void
tools_sweep_csv_rows (GString *out, const ToolsSweep *sw, guint n,
                      const CloudRunSession *session)
{
  for (guint t = 0; t < cloudrun_session_n_traffics (session); t++)
    {
      CloudRunTrafficResult r;

      cloudrun_session_traffic_result (session, t, &r);
      row_prefix (out, sw, n, r.name);
      g_string_append_printf (out, "%u", r.requests);
      for (guint v = 0; v < CLOUDRUN_N_OUTCOMES; v++)
        g_string_append_printf (out, ",%u", r.outcomes[v]);
      g_string_append_printf (out, ",%u,%u,%s,%s", r.internal, r.external,
                              r.decided_at ? r.decided_at : "",
                              r.cause ? r.cause : "");
      if (r.has_latency)
        g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%"
                                G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%"
                                G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, r.p50,
                                r.p90, r.p99, r.p999, r.max);
      else
        g_string_append (out, ",,,,,");
      g_string_append_printf (out, ",%u\n", r.failed_expectations);
    }
}

static gboolean
fail_run (GError **error, const char *file, const char *expected,
          const char *found)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: expected %s, found %s", file, expected, found);
  return FALSE;
}

/* Checks DIR/run-N/summary.csv (text) against run n and appends its rows
 * to all; counts the run in failed when a row has failed expectations. */
static gboolean
collect_run (const ToolsSweep *sw, guint n, const char *file,
             const char *header, const char *text, GString *all,
             guint *failed, GError **error)
{
  const ToolsSweepCombo *combo = &sw->combos[tools_sweep_combo (sw, n)];
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_traffic = g_strv_length (combo->traffic), len = g_strv_length (lines);
  gboolean any_failed = FALSE;

  if (len == 0 || strlen (text) == 0 || text[strlen (text) - 1] != '\n')
    return fail_run (error, file, "lines that end with a line feed",
                     "a file cut short");
  if (strcmp (lines[0], header) != 0)
    {
      g_autofree char *expected = g_strdup_printf (
          "the header of this sweep '%s' on line 1", header);
      return fail_run (error, file, expected, "another first line");
    }
  if (len - 2 != n_traffic)
    {
      g_autofree char *expected = g_strdup_printf ("%u rows (one per "
                                                   "traffic)", n_traffic);
      g_autofree char *found = g_strdup_printf ("%u", len - 2);
      return fail_run (error, file, expected, found);
    }
  for (guint t = 0; t < n_traffic; t++)
    {
      const char *row = lines[t + 1];
      g_autoptr (GString) prefix = g_string_new (NULL);
      const char *rest, *last;
      guint commas = 0;

      row_prefix (prefix, sw, n, combo->traffic[t]);
      if (!g_str_has_prefix (row, prefix->str))
        {
          g_autofree char *expected = g_strdup_printf (
              "on line %u a row starting '%s' (run %u, its seed, its "
              "values, traffic %s)", t + 2, prefix->str, n,
              combo->traffic[t]);
          return fail_run (error, file, expected, "a row that does not");
        }
      rest = row + prefix->len;
      for (const char *p = rest; *p; p++)
        commas += *p == ',';
      if (commas != TAIL_FIELDS - 1 || strpbrk (rest, "\"\r"))
        {
          g_autofree char *expected = g_strdup_printf (
              "on line %u %u fields after the traffic NAME", t + 2,
              TAIL_FIELDS);
          g_autofree char *found = g_strdup_printf (
              "%u fields%s", commas + 1, strpbrk (rest, "\"\r")
                                         ? " with a quote or a carriage return"
                                         : "");
          return fail_run (error, file, expected, found);
        }
      last = strrchr (rest, ',') + 1;
      any_failed |= strcmp (last, "0") != 0;
      g_string_append (all, row);
      g_string_append_c (all, '\n');
    }
  *failed += any_failed ? 1 : 0;
  return TRUE;
}

/* What stands at path, for an error: "a symbolic link", "a FIFO", ... */
static const char *
file_kind (mode_t mode)
{
  return S_ISLNK (mode) ? "a symbolic link" : S_ISDIR (mode) ? "a directory"
         : S_ISFIFO (mode) ? "a FIFO" : S_ISSOCK (mode) ? "a socket"
         : S_ISCHR (mode) || S_ISBLK (mode) ? "a device"
         : "a regular file";
}

/* DIR/run-N/summary.csv into *text, as sweep --run wrote it: run-N a real
 * directory, summary.csv a regular file of at most SUMMARY_MAX bytes,
 * neither a link; opened without blocking (a FIFO never stalls it). */
static gboolean
read_summary (const char *dir, const char *file, char **text,
              const char *expected, GError **error)
{
  struct stat st;
  int fd;
  ssize_t got;
  gsize len = 0;
  g_autofree char *buf = NULL;

  if (lstat (dir, &st) != 0)
    return fail_run (error, file, expected, g_strerror (errno));
  if (!S_ISDIR (st.st_mode))
    return fail_run (error, dir, "a directory sweep --run wrote",
                     file_kind (st.st_mode));
  fd = open (file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return fail_run (error, file, expected, errno == ENOENT
                     ? "no such file" : errno == ELOOP ? "a symbolic link"
                     : g_strerror (errno));
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)
      || st.st_size > (off_t) SUMMARY_MAX)
    {
      g_autofree char *found = !S_ISREG (st.st_mode)
          ? g_strdup (file_kind (st.st_mode))
          : g_strdup_printf ("%jd bytes", (intmax_t) st.st_size);
      close (fd);
      return fail_run (error, file, "a regular file of at most 16 MiB",
                       found);
    }
  buf = g_malloc ((gsize) st.st_size + 1);
  while ((got = read (fd, buf + len, (gsize) st.st_size - len)) > 0)
    len += (gsize) got;
  close (fd);
  if (got < 0)
    return fail_run (error, file, "a file it can read", g_strerror (errno));
  buf[len] = '\0';
  if (memchr (buf, '\0', len) != NULL || !g_utf8_validate (buf, -1, NULL))
    return fail_run (error, file, expected, "bytes that are not UTF-8 text");
  *text = g_steal_pointer (&buf);
  return TRUE;
}

gboolean
tools_sweep_collect (const ToolsSweep *sw, const char *dir, guint *failed,
                     GError **error)
{
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GString) header = g_string_new (NULL);
  g_autofree char *out = g_build_filename (dir, "summary.csv", NULL);
  g_autoptr (GError) local = NULL;

  *failed = 0;
  tools_sweep_csv_header (header, sw);
  g_string_append (all, header->str);
  g_string_truncate (header, header->len - 1);
  for (guint n = 0; n < sw->n_runs; n++)
    {
      g_autofree char *name = g_strdup_printf ("run-%u", n);
      g_autofree char *run_dir = g_build_filename (dir, name, NULL);
      g_autofree char *file = g_build_filename (run_dir, "summary.csv",
                                                NULL);
      g_autofree char *text = NULL;
      g_autofree char *expected = g_strdup_printf (
          "the summary of run %u of %u (cloudrun-netsim sweep %s --run "
          "%u -o %s writes it)", n, sw->n_runs, sw->path, n, dir);

      if (!read_summary (run_dir, file, &text, expected, error))
        return FALSE;
      if (!collect_run (sw, n, file, header->str, text, all, failed, error))
        return FALSE;
    }
  if (!g_file_set_contents (out, all->str, (gssize) all->len, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write "
                   "the summary: %s", out, local->message);
      return FALSE;
    }
  return TRUE;
}
