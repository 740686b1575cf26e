/* bench-load: wall time, CPU time, peak RSS and bytes written of one
 * `cloudrun-netsim run` of a load scenario (a file of tests/load/), run as a
 * child process so that its peak RSS is its own (wait4's rusage).
 *
 * Usage: bench-load NETSIM FILE CAPTURE [ARG...]
 *   NETSIM   the cloudrun-netsim binary
 *   FILE     the scenario
 *   CAPTURE  none or all (passed as --capture)
 *   ARG...   more arguments for run, e.g. --set 'traffic t.count=1000'
 * The run writes into a temporary directory, removed afterwards, with
 * -q, --no-requests and no --max-output limit. Prints exactly one JSON
 * object on stdout:
 *   {"file": "...", "capture": "none", "exit": 0, "wall_s": 12.3,
 *    "cpu_s": 12.1, "peak_rss_kib": 90000, "output_bytes": 123456}
 * Exit 0 when the run exited 0 or 1 (an [expect] failed: the figures
 * still stand), 1 when it could not run or failed otherwise, 2 on bad
 * arguments. The wall clock is read here, in a tool, never in the
 * simulator. */

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
bench_clock (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* Bytes of the regular files under dir, recursively. */
static guint64
tree_bytes (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 sum = 0;

  if (!d)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        sum += tree_bytes (path);
      else if (S_ISREG (st.st_mode))
        sum += (guint64) st.st_size;
    }
  return sum;
}

static void
tree_remove (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (g_file_test (path, G_FILE_TEST_IS_DIR))
          tree_remove (path);
        else
          g_unlink (path);
      }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL, *out = NULL, *capture = NULL;
  g_autofree char *file_json = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  struct rusage ru;
  double start, wall, cpu;
  int status, code;
  pid_t pid;

  if (argc < 4 || (strcmp (argv[3], "none") != 0
                   && strcmp (argv[3], "all") != 0))
    {
      fprintf (stderr, "usage: bench-load NETSIM FILE none|all [ARG...]\n");
      return 2;
    }
  tmp = g_dir_make_tmp ("bench-load-XXXXXX", &error);
  if (!tmp)
    {
      fprintf (stderr, "bench-load: %s\n", error->message);
      return 1;
    }
  out = g_build_filename (tmp, "out", NULL);
  file_json = g_strescape (argv[2], NULL);
  capture = g_strdup_printf ("--capture=%s", argv[3]);
  g_ptr_array_add (args, argv[1]);
  g_ptr_array_add (args, (gpointer) "run");
  g_ptr_array_add (args, argv[2]);
  g_ptr_array_add (args, (gpointer) "-o");
  g_ptr_array_add (args, out);
  g_ptr_array_add (args, (gpointer) "-q");
  g_ptr_array_add (args, (gpointer) "--no-requests");
  g_ptr_array_add (args, capture);
  g_ptr_array_add (args, (gpointer) "--max-output=1024TiB");
  for (int i = 4; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  start = bench_clock ();
  pid = fork ();
  if (pid < 0)
    {
      perror ("bench-load: fork");
      return 1;
    }
  if (pid == 0)
    {
      execv (argv[1], (char **) args->pdata);
      perror ("bench-load: exec");
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &ru) != pid)
    {
      perror ("bench-load: wait4");
      return 1;
    }
  wall = bench_clock () - start;
  cpu = (double) ru.ru_utime.tv_sec + (double) ru.ru_stime.tv_sec
        + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  printf ("{\"file\": \"%s\", \"capture\": \"%s\", \"exit\": %d, "
          "\"wall_s\": %.3f, \"cpu_s\": %.3f, \"peak_rss_kib\": %ld, "
          "\"output_bytes\": %" G_GUINT64_FORMAT "}\n",
          file_json, argv[3], code, wall, cpu, ru.ru_maxrss, tree_bytes (out));
  tree_remove (tmp);
  return code == 0 || code == 1 ? 0 : 1;
}
