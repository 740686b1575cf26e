/* The sweep command (see tools/cli/sweep.h):
 *   sweep FILE --list-runs            one line per run
 *   sweep FILE --run N [-o DIR]       run N into DIR/run-N/, as `run` with
 *                                     its --set and --seed, plus the run's
 *                                     rows of summary.csv there
 *   sweep FILE --jobs N [-o DIR]      every run, at most N processes of
 *                                     this program at once (each is
 *                                     `sweep FILE --run K`), then --collect
 *   sweep FILE --collect DIR          every DIR/run-N/summary.csv into
 *                                     DIR/summary.csv, in run order
 * Captures default to none (--capture passes through). Every command first
 * checks the sweep: every value alone, then every combination, loads.
 * Exit status: 0 every run ran and met its [expect] items, 1 some run
 * failed an expectation, 2 a usage, scenario or write error, or a run
 * that did not finish. */
#include "tools/cli/sweep.h"

#include <errno.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tools/cli/cli.h"
#include "tools/cli/interrupt.h"

#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
static const char examples[] =
  "A scenario's [sweep] group names --set targets with ';'-separated\n"
  "values and, with seeds = N, the seeds 1 to N; the runs are their cross\n"
  "product (keys in file order, the last varying fastest, seeds innermost),\n"
  "numbered from 0. Give exactly one of --list-runs, --run, --jobs and\n"
  "--collect.\n"
  "\n"
  "Examples:\n"
  "  cloudrun-netsim sweep study.ini --list-runs\n"
  "  cloudrun-netsim sweep study.ini --jobs 4 -o out/study\n"
  "  cloudrun-netsim sweep study.ini --list-runs | cut -f1 \\\n"
  "      | parallel cloudrun-netsim sweep study.ini --run {} -o out/study\n"
  "  cloudrun-netsim sweep study.ini --collect out/study\n"
  "  cloudrun-netsim run " S05 "   # ignores [sweep]";

/* The most processes --jobs runs at once. */
#define MAX_JOBS 1024

typedef struct {
  const char *capture;          /* --capture as given, or "none" */
  const char *max_output;       /* --max-output as given, or NULL */
  gboolean quiet;
} SweepPassOn;

static int
usage (const char *fmt, const char *a, const char *b)
{
  fputs ("cloudrun-netsim sweep: ", stderr);
  fprintf (stderr, fmt, a, b);
  fputc ('\n', stderr);
  return TOOLS_EXIT_USAGE;
}

/* A whole number from min to max, no sign, no spaces. */
static gboolean
parse_count (const char *text, guint64 min, guint64 max, guint *out)
{
  guint64 v;

  if (!text || !*text || strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* --capture and --max-output, as `run` takes them. */
static gboolean
parse_capture (const SweepPassOn *pass, CloudRunOutputOptions *opt,
               guint64 *max_output)
{
  return tools_cli_capture ("sweep", pass->capture, pass->max_output, opt,
                            max_output);
}

/* DIR/run-N is the sweep's own: nothing there yet, or a real directory
 * (an earlier run's); a link or any other file is refused, so that a run
 * never writes through it. */
static gboolean
run_dir_is_own (const char *run_dir, GError **error)
{
  struct stat st;

  if (lstat (run_dir, &st) != 0 || S_ISDIR (st.st_mode))
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, "%s: expected a "
               "directory of this sweep's run or nothing, found %s", run_dir,
               S_ISLNK (st.st_mode) ? "a symbolic link" : "another file");
  return FALSE;
}

/* summary.csv of run n (user: SweepRun) into the run's directory. */
typedef struct {
  const ToolsSweep *sweep;
  guint n;
} SweepRun;

static gboolean
write_summary (CloudRunSession *s, CloudRunOutputDir *o, gpointer user,
               GError **error)
{
  const SweepRun *run = user;
  g_autoptr (GString) csv = g_string_new (NULL);

  tools_sweep_csv_header (csv, run->sweep);
  tools_sweep_csv_rows (csv, run->sweep, run->n, s);
  return cloudrun_output_dir_write (o, "summary.csv", csv, error);
}

/* Run n into DIR/run-N/; the exit status. */
static int
run_one (const ToolsSweep *sw, guint n, const char *dir,
         const SweepPassOn *pass)
{
  g_autofree char *name = g_strdup_printf ("run-%u", n);
  g_autofree char *run_dir = g_build_filename (dir, name, NULL);
  CloudRunOutputOptions opt = { .capture = CLOUDRUN_CAPTURE_ALL };
  g_autoptr (CloudRunSession) s = NULL;
  GError *error = NULL;
  guint64 max_output;
  guint failed;
  g_auto (GStrv) sets = tools_sweep_sets (sw, n);
  CloudRunEdits edits = { (const char *const *) sets, NULL, TRUE,
                          tools_sweep_seed (sw, n) };
  SweepRun run = { sw, n };

  if (!parse_capture (pass, &opt, &max_output))
    return TOOLS_EXIT_USAGE;
  tools_interrupt_install ();
  if (!run_dir_is_own (run_dir, &error)
      || !tools_cli_run_into (sw->path, &edits, run_dir, &opt, max_output,
                              TRUE, write_summary, &run, &s, &error))
    {
      if (tools_interrupt_caught ())
        {
          g_clear_error (&error);
          fprintf (stderr, "cloudrun-netsim sweep: %s: interrupted; nothing "
                   "of this run was kept\n", run_dir);
          tools_interrupt_reraise ();
        }
      return tools_cli_fail (error);
    }
  tools_cli_warn_graph (s, run_dir);
  failed = cloudrun_session_failures (s);
  if (!pass->quiet)
    {
      g_autoptr (GString) line = g_string_new (NULL);
      tools_sweep_list_line (line, sw, n);
      printf ("%s/: %s", run_dir, line->str);
      if (failed)
        printf ("%s/: %u expectation item(s) failed: see report.txt\n",
                run_dir, failed);
    }
  return failed ? TOOLS_EXIT_EXPECT : 0;
}

/* After a collect: the summary line, and when runs failed their
 * expectations, the line saying that this is why the exit status is 1
 * (even with --quiet: it explains the status). The exit status. */
static int
collected (const ToolsSweep *sw, const char *dir, guint failed,
           gboolean quiet)
{
  if (!quiet)
    printf ("%s/summary.csv: %u run(s), %u with a failed expectation\n",
            dir, sw->n_runs, failed);
  if (failed)
    fprintf (stderr, "cloudrun-netsim sweep: %u of %u run(s) failed their "
             "expectations (the scenario's [expect] groups, checked in "
             "every run; the failed_expectations column of %s/summary.csv "
             "says where): that is why the exit status is 1\n", failed,
             sw->n_runs, dir);
  return failed ? TOOLS_EXIT_EXPECT : 0;
}

/* This program, to run the runs with. */
static char *
self_path (void)
{
  char *self = g_file_read_link ("/proc/self/exe", NULL);

  return self ? self : g_find_program_in_path ("cloudrun-netsim");
}

static gboolean
spawn_run (const ToolsSweep *sw, guint n, const char *self, const char *dir,
           const SweepPassOn *pass, GPid *pid, GError **error)
{
  g_autofree char *number = g_strdup_printf ("%u", n);
  const char *argv[16] = { self, "sweep", sw->path, "--run", number, "-o",
                           dir, "--quiet", "--capture", pass->capture };
  guint argc = 10;

  if (pass->max_output)
    {
      argv[argc++] = "--max-output";
      argv[argc++] = pass->max_output;
    }
  argv[argc] = NULL;
  return g_spawn_async (NULL, (char **) argv, NULL,
                        G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, pid, error);
}

/* Passes a signal the sweep caught on to the runs still going (once),
 * so that each removes what it staged. */
static void
forward_signal (const GPid *pids, guint next, gboolean *forwarded)
{
  int signo = tools_interrupt_caught ();

  if (!signo || *forwarded)
    return;
  *forwarded = TRUE;
  for (guint n = 0; n < next; n++)
    if (pids[n] > 0)
      kill (pids[n], signo);
}

/* Every run, at most jobs at once; stops starting runs after one fails
 * or a signal came (passed on to the runs going, then raised again).
 * Then collects. The exit status. */
static int
run_all (const ToolsSweep *sw, guint jobs, const char *dir,
         const SweepPassOn *pass)
{
  g_autofree char *self = self_path ();
  g_autofree GPid *pids = g_new0 (GPid, sw->n_runs);
  guint next = 0, running = 0, broken = 0, failed = 0, done = 0;
  gboolean forwarded = FALSE;
  GError *error = NULL;

  if (!self)
    return usage ("cannot find this program to run the runs with%s%s", "",
                  "");
  tools_interrupt_install ();
  while (next < sw->n_runs || running > 0)
    {
      int status;
      pid_t pid;
      guint n;

      forward_signal (pids, next, &forwarded);
      if (next < sw->n_runs && running < jobs && !broken && !forwarded)
        {
          if (!spawn_run (sw, next, self, dir, pass, &pids[next], &error))
            {
              fprintf (stderr, "cloudrun-netsim sweep: run %u: %s\n", next,
                       error->message);
              g_clear_error (&error);
              broken++;
              continue;
            }
          next++;
          running++;
          continue;
        }
      if (running == 0)
        break;
      /* Polled, so that a signal is passed on at once. */
      pid = waitpid (-1, &status, WNOHANG);
      if (pid == 0 || (pid < 0 && errno == EINTR))
        {
          g_usleep (20000);
          continue;
        }
      if (pid < 0)
        break;
      for (n = 0; n < next && pids[n] != pid; n++)
        ;
      if (n == next)
        continue;
      pids[n] = 0;
      running--;
      if (WIFEXITED (status) && WEXITSTATUS (status) <= TOOLS_EXIT_EXPECT)
        {
          if (!pass->quiet)
            fprintf (stderr, "run %u done (%u of %u)%s\n", n, ++done,
                     sw->n_runs, WEXITSTATUS (status)
                     ? ": an expectation failed" : "");
          continue;
        }
      broken++;
      if (forwarded)
        continue;
      if (WIFEXITED (status))
        fprintf (stderr, "cloudrun-netsim sweep: run %u failed (exit "
                 "status %d)\n", n, WEXITSTATUS (status));
      else
        fprintf (stderr, "cloudrun-netsim sweep: run %u was killed by "
                 "signal %d\n", n, WTERMSIG (status));
    }
  if (tools_interrupt_caught ())
    {
      fprintf (stderr, "cloudrun-netsim sweep: %s: interrupted; the runs "
               "that finished are kept, %s/summary.csv is not written\n",
               dir, dir);
      tools_interrupt_reraise ();
    }
  if (broken)
    {
      fprintf (stderr, "cloudrun-netsim sweep: %u run(s) did not finish; "
               "%s/summary.csv not written\n", broken, dir);
      return TOOLS_EXIT_USAGE;
    }
  if (!tools_sweep_collect (sw, dir, &failed, &error))
    return tools_cli_fail (error);
  return collected (sw, dir, failed, pass->quiet);
}

int
tools_cmd_sweep (int argc, char **argv)
{
  g_autofree char *out_dir = NULL, *run = NULL, *jobs = NULL;
  g_autofree char *collect = NULL, *capture = NULL, *max_output = NULL;
  gboolean list = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "list-runs", 0, 0, G_OPTION_ARG_NONE, &list,
      "Print one line per run: N, seed=S and its GROUP.KEY=VALUE edits, "
      "tab-separated", NULL },
    { "run", 0, 0, G_OPTION_ARG_STRING, &run,
      "Run run N into DIR/run-N/", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs,
      "Run every run, N processes at once, then collect", "N" },
    { "collect", 0, 0, G_OPTION_ARG_FILENAME, &collect,
      "Merge DIR/run-*/summary.csv into DIR/summary.csv", "DIR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "With --run or --jobs: write into DIR (default out/SCENARIO)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors",
      NULL },
    { "capture", 0, 0, G_OPTION_ARG_STRING, &capture,
      "Which captures each run writes: all, trace, links or none "
      "(default)", "WHAT" },
    { "max-output", 0, 0, G_OPTION_ARG_STRING, &max_output,
      "Refuse a run's capture estimated past SIZE (default 2GiB)", "SIZE" },
    { NULL },
  };
  CloudRunOutputOptions base = { .capture = CLOUDRUN_CAPTURE_NONE };
  guint64 max_bytes;
  g_autoptr (CloudRunSession) loaded = NULL;
  g_auto (ToolsSweep) sw = { 0 };
  SweepPassOn pass;
  GError *error = NULL;
  guint n = 0, n_jobs = 0, failed = 0;

  if (!tools_cli_parse ("sweep", "FILE", examples, entries, NULL, &argc,
                        &argv))
    return TOOLS_EXIT_USAGE;
  if (argc != 2)
    return usage ("expected one scenario FILE, found %s%s",
                  argc < 2 ? "none" : "more", "");
  if (list + (run != NULL) + (jobs != NULL) + (collect != NULL) != 1)
    return usage ("expected one of --list-runs, --run N, --jobs N and "
                  "--collect DIR%s%s", "", "");
  if (out_dir && (list || collect))
    return usage ("-o DIR: expected it with --run or --jobs only, found it "
                  "with %s%s", list ? "--list-runs" : "--collect", "");
  if (jobs && !parse_count (jobs, 1, MAX_JOBS, &n_jobs))
    return usage ("--jobs: expected a number of processes from 1 to "
                  G_STRINGIFY (MAX_JOBS) ", found '%s'%s", jobs, "");
  pass = (SweepPassOn) { capture ? capture : "none", max_output, quiet };
  if (!parse_capture (&pass, &base, &max_bytes))
    return TOOLS_EXIT_USAGE;
  /* The file's own errors first, as `run` would give them. */
  if (!(loaded = tools_cli_load (argv[1], NULL, &error)))
    return tools_cli_fail (error);
  g_clear_pointer (&loaded, cloudrun_session_free);
  if (!tools_sweep_parse (&sw, argv[1], &error))
    return tools_cli_fail (error);
  if (run && !parse_count (run, 0, sw.n_runs - 1, &n))
    {
      g_autofree char *range = g_strdup_printf ("%u", sw.n_runs - 1);
      return usage ("--run: expected a run number from 0 to %s, found '%s'",
                    range, run);
    }
  if (run ? !tools_sweep_validate_values (&sw, &error)
            || !tools_sweep_validate_combo (&sw, tools_sweep_combo (&sw, n),
                                            &error)
          : !tools_sweep_validate (&sw, &error))
    return tools_cli_fail (error);
  if (!out_dir && !collect)
    out_dir = tools_cli_default_out_dir (argv[1]);
  if (list)
    {
      g_autoptr (GString) lines = g_string_new (NULL);
      for (guint k = 0; k < sw.n_runs; k++)
        tools_sweep_list_line (lines, &sw, k);
      fputs (lines->str, stdout);
      return 0;
    }
  if (run)
    return run_one (&sw, n, out_dir, &pass);
  if (jobs)
    return run_all (&sw, n_jobs, out_dir, &pass);
  if (!tools_sweep_collect (&sw, collect, &failed, &error))
    return tools_cli_fail (error);
  return collected (&sw, collect, failed, quiet);
}
