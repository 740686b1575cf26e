/* Fuzz target for scenario files (issue 11): one input is the bytes of a
 * scenario file. Through the door (tools/session/cloudrun-netsim.h) it is
 * loaded, built, simulated for at most FUZZ_MAX_TIME of simulated time
 * with every capture staged in an output directory in a scratch folder
 * (never committed), and every report the door renders (the verdict
 * table, report.txt, report.json, report.html, topology.dot, the check
 * lines, TAP, JUnit, requests.jsonl, one traffic's picture, one request's
 * steps) is made; then everything is freed. (The SVG picture is left
 * out: it is Graphviz's work, a process per input.)
 *
 * Built two ways from this one file:
 *  - with -DFUZZ_LIBFUZZER and clang -fsanitize=fuzzer: only
 *    LLVMFuzzerTestOneInput, libFuzzer supplies main();
 *  - otherwise (gcc, no extra packages): a standalone driver.
 *      fuzz-scenario [-n MUTATIONS] [-s SEED] [-x DICT] FILE|DIR...
 *    runs every file (a directory: its *.ini files, sorted) once, then
 *    MUTATIONS mutated inputs (byte flips, dictionary insertions, line
 *    duplications and deletions, splices of two inputs) drawn with a
 *    deterministic PRNG from the inputs, so a run is repeatable. A crash
 *    leaves the input that caused it in fuzz-crash.ini (the input is
 *    written there before it runs and removed after). Without arguments
 *    (make check) it runs the public scenarios (FUZZ_CORPUS) and the
 *    corpus a libFuzzer campaign kept (FUZZ_KEPT, tests/fuzz/corpus/)
 *    with the dictionary (FUZZ_DICT) and FUZZ_CHECK_MUTATIONS mutations,
 *    seed 1,
 *    and prints TAP. Exit status 0 when
 *    every input ran; GLib criticals and warnings abort (G_DEBUG is set
 *    fatal-warnings unless already set). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tools/session/cloudrun-netsim.h"

/* Simulated time limit of one input (ns); small enough for thousands a
 * minute; advanced in slices of FUZZ_SLICE. */
#define FUZZ_MAX_TIME G_GUINT64_CONSTANT (2000000000)
#define FUZZ_SLICE G_GUINT64_CONSTANT (100000000)
/* The largest input tried (the command line allows 4 MiB). */
#define FUZZ_MAX_INPUT (64 * 1024)
/* Mutations of the run without arguments (make check). */
#ifndef FUZZ_CHECK_MUTATIONS
#define FUZZ_CHECK_MUTATIONS 300
#endif

static char *scratch;           /* capture directory, made once */

static int
rm_one (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st; (void) flag; (void) ftw;
  return remove (path);
}

static void
scratch_remove (void)
{
  if (scratch)
    nftw (scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
scratch_make (void)
{
  GError *error = NULL;
  if (scratch)
    return;
  scratch = g_dir_make_tmp ("netsim-fuzz-XXXXXX", &error);
  if (!scratch)
    g_error ("fuzz: %s", error->message);
  atexit (scratch_remove);
}

static void
ignore_log (const gchar *domain, GLogLevelFlags level, const gchar *msg,
            gpointer data)
{
  (void) domain; (void) level; (void) msg; (void) data;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Every report the door renders for a finished session. */
static const CloudRunReport reports[] = {
  CLOUDRUN_REPORT_TABLE, CLOUDRUN_REPORT_TEXT, CLOUDRUN_REPORT_JSON,
  CLOUDRUN_REPORT_HTML, CLOUDRUN_REPORT_DOT, CLOUDRUN_REPORT_CHECKS,
  CLOUDRUN_REPORT_TAP, CLOUDRUN_REPORT_JUNIT, CLOUDRUN_REPORT_REQUESTS,
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  g_autoptr (CloudRunSession) s = NULL;
  g_autoptr (CloudRunOutputDir) dir = NULL;
  CloudRunOutputOptions opt = { .capture = CLOUDRUN_CAPTURE_ALL };
  CloudRunProgress p;
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean kept;

  if (size > FUZZ_MAX_INPUT)
    return 0;
  scratch_make ();
  s = cloudrun_session_load ("fuzz.ini", (const char *) data, size, NULL,
                             &error);
  if (!s)
    {
      /* A refusal must say something. */
      g_assert (error && error->message && *error->message);
      g_error_free (error);
      return 0;
    }
  /* The first request of the first traffic, to render its steps. */
  kept = cloudrun_session_n_traffics (s) > 0
         && cloudrun_session_traffic_requests (s, 0) > 0;
  if (kept)
    cloudrun_session_keep_request (s, 0, 0);
  cloudrun_session_keep_requests (s);
  dir = cloudrun_output_dir_begin (scratch, &error);
  if (!dir)
    g_clear_error (&error);
  if (!cloudrun_session_start (s, dir, &opt, out, &error))
    {
      g_assert (error && error->message && *error->message);
      g_error_free (error);
      return 0;
    }
  do
    cloudrun_session_progress (s, &p);
  while (p.now < FUZZ_MAX_TIME && cloudrun_session_advance (s, FUZZ_SLICE));
  if (!cloudrun_session_finish (s, TRUE, out, &error))
    {
      g_clear_error (&error);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    if (!cloudrun_session_render (s, reports[i], out, &error))
      g_error ("fuzz: report %d: %s", (int) reports[i], error->message);
  cloudrun_session_render_dot_traffic (s, NULL, out);
  if (kept)
    {
      cloudrun_session_render_dot_traffic (
        s, cloudrun_session_traffic_name (s, 0), out);
      cloudrun_session_render_steps (s, 0, 0, out);
    }
  return 0;
}

int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc; (void) argv;
  g_setenv ("G_DEBUG", "fatal-warnings", FALSE);
  /* Messages (g_message/g_info/g_debug) are noise here; criticals and
   * warnings still abort through G_DEBUG. */
  g_log_set_handler (NULL, G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO
                     | G_LOG_LEVEL_DEBUG, ignore_log, NULL);
  return 0;
}

#ifndef FUZZ_LIBFUZZER

static guint64 rng_state;

static guint64
rnd (void)                      /* splitmix64 */
{
  guint64 z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static guint
below (guint n)
{
  return n ? (guint) (rnd () % n) : 0;
}

/* Reads an AFL/libFuzzer dictionary: lines name="value" or "value", with
 * \\, \" and \xNN escapes; # comments. */
static GPtrArray *
dict_read (const char *path)
{
  GPtrArray *words
    = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  char *text = NULL;
  char **lines;
  GError *error = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      fprintf (stderr, "fuzz-scenario: %s\n", error->message);
      exit (2);
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char *q = strchr (*l, '"'), *e;
      GByteArray *w;
      if (**l == '#' || !q || !(e = strrchr (*l, '"')) || e == q)
        continue;
      w = g_byte_array_new ();
      for (char *p = q + 1; p < e; p++)
        {
          guint8 c = (guint8) *p;
          if (*p == '\\' && p + 1 < e && p[1] == 'x' && p + 3 < e)
            {
              char hex[3] = { p[2], p[3], 0 };
              c = (guint8) strtoul (hex, NULL, 16);
              p += 3;
            }
          else if (*p == '\\' && p + 1 < e)
            c = (guint8) *++p;
          g_byte_array_append (w, &c, 1);
        }
      g_ptr_array_add (words, g_byte_array_free_to_bytes (w));
    }
  g_strfreev (lines);
  g_free (text);
  return words;
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
add_input (GPtrArray *inputs, const char *path)
{
  char *data;
  gsize len;
  GError *error = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, &error);
      GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
      const char *n;
      if (!dir)
        {
          fprintf (stderr, "fuzz-scenario: %s\n", error->message);
          exit (2);
        }
      while ((n = g_dir_read_name (dir)))
        if (g_str_has_suffix (n, ".ini"))
          g_ptr_array_add (names, g_build_filename (path, n, NULL));
      g_dir_close (dir);
      g_ptr_array_sort (names, by_name);
      for (guint i = 0; i < names->len; i++)
        add_input (inputs, names->pdata[i]);
      g_ptr_array_unref (names);
      return;
    }
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "fuzz-scenario: %s\n", error->message);
      exit (2);
    }
  g_ptr_array_add (inputs, g_bytes_new_take (data, len));
}

static void
bytes_insert (GByteArray *buf, guint at, const guint8 *w, guint wl)
{
  guint old = buf->len;
  g_byte_array_set_size (buf, old + wl);
  memmove (buf->data + at + wl, buf->data + at, old - at);
  memcpy (buf->data + at, w, wl);
}

static const char *const plain_words[] = {
  "\n", "=", "[", "]", " ", "0", "-1", "2147483648", "4294967296",
  "18446744073709551616", "99999999TiB", "1e9", "0s", "1ns", "0.0.0.0/0",
  "\xff", "\0",
};

/* One mutation of buf, in place. */
static void
mutate (GByteArray *buf, GPtrArray *inputs, GPtrArray *dict)
{
  guint len = buf->len;
  switch (below (7))
    {
    case 0:                     /* flip a bit */
      if (len)
        buf->data[below (len)] ^= (guint8) (1u << below (8));
      break;
    case 1:                     /* a random byte */
      if (len)
        buf->data[below (len)] = (guint8) rnd ();
      break;
    case 2:                     /* insert a dictionary word */
    case 3:
      {
        const guint8 *w;
        gsize wl;
        if (dict && dict->len && below (4))
          w = g_bytes_get_data (dict->pdata[below (dict->len)], &wl);
        else
          {
            guint k = below (G_N_ELEMENTS (plain_words));
            w = (const guint8 *) plain_words[k];
            wl = k == G_N_ELEMENTS (plain_words) - 1
                 ? 1 : strlen (plain_words[k]);
          }
        bytes_insert (buf, below (len + 1), w, (guint) wl);
        break;
      }
    case 4:                     /* duplicate a line */
    case 5:                     /* delete a line */
      {
        guint a = below (len + 1), b;
        while (a > 0 && buf->data[a - 1] != '\n')
          a--;
        for (b = a; b < len && buf->data[b] != '\n'; b++)
          ;
        if (b < len)
          b++;
        if (b == a)
          break;
        if (below (2) == 0 || len == 0)
          {
            GByteArray *line = g_byte_array_new ();
            g_byte_array_append (line, buf->data + a, b - a);
            bytes_insert (buf, below (len + 1), line->data, line->len);
            g_byte_array_unref (line);
          }
        else
          g_byte_array_remove_range (buf, a, b - a);
        break;
      }
    default:                   /* splice: replace a tail with another input's */
      {
        gsize ol;
        const guint8 *o = g_bytes_get_data (inputs->pdata[below (inputs->len)],
                                            &ol);
        guint at = below (len + 1), from = below ((guint) ol + 1);
        g_byte_array_set_size (buf, at);
        g_byte_array_append (buf, o + from, (guint) (ol - from));
      }
    }
}

static void
run_one (const guint8 *data, gsize len)
{
  /* Keep the input where a crash leaves it. */
  FILE *f = fopen ("fuzz-crash.ini", "wb");
  if (!f || fwrite (data, 1, len, f) != len || fclose (f) != 0)
    fprintf (stderr, "fuzz-scenario: cannot write fuzz-crash.ini\n");
  LLVMFuzzerTestOneInput (data, len);
}

int
main (int argc, char **argv)
{
  GPtrArray *inputs
    = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GPtrArray *dict = NULL;
  guint64 mutations = 0, seed = 1;
  gboolean tap = FALSE;
  int opt;

  LLVMFuzzerInitialize (&argc, &argv);
  while ((opt = getopt (argc, argv, "n:s:x:")) != -1)
    switch (opt)
      {
      case 'n': mutations = g_ascii_strtoull (optarg, NULL, 10); break;
      case 's': seed = g_ascii_strtoull (optarg, NULL, 10); break;
      case 'x': dict = dict_read (optarg); break;
      default:
        fprintf (stderr, "usage: %s [-n MUTATIONS] [-s SEED] [-x DICT] "
                 "FILE|DIR...\n", argv[0]);
        return 2;
      }
  for (int i = optind; i < argc; i++)
    add_input (inputs, argv[i]);
#if defined(FUZZ_CORPUS) && defined(FUZZ_DICT)
  if (argc == 1)
    {
      /* make check: the public scenarios, the dictionary, a fixed number
       * of mutations; TAP on stdout. */
      tap = TRUE;
      add_input (inputs, FUZZ_CORPUS);
#ifdef FUZZ_KEPT
      add_input (inputs, FUZZ_KEPT);
#endif
      dict = dict_read (FUZZ_DICT);
      mutations = FUZZ_CHECK_MUTATIONS;
      printf ("1..1\n");
      fflush (stdout);
    }
#endif
  if (inputs->len == 0)
    {
      fprintf (stderr, "fuzz-scenario: no inputs\n");
      return 2;
    }
  rng_state = seed;
  for (guint i = 0; i < inputs->len; i++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (inputs->pdata[i], &len);
      run_one (d, len);
    }
  for (guint64 m = 0; m < mutations; m++)
    {
      gsize len;
      const guint8 *d = g_bytes_get_data (inputs->pdata[below (inputs->len)],
                                          &len);
      GByteArray *buf = g_byte_array_new ();
      guint n = 1 + below (8);
      g_byte_array_append (buf, d, (guint) len);
      for (guint k = 0; k < n; k++)
        mutate (buf, inputs, dict);
      if (buf->len > FUZZ_MAX_INPUT)
        g_byte_array_set_size (buf, FUZZ_MAX_INPUT);
      run_one (buf->data, buf->len);
      g_byte_array_unref (buf);
    }
  g_unlink ("fuzz-crash.ini");
  printf ("%sfuzz-scenario: %u inputs, %" G_GUINT64_FORMAT " mutations "
          "(seed %" G_GUINT64_FORMAT "), no crash\n", tap ? "ok 1 - " : "",
          inputs->len, mutations, seed);
  g_ptr_array_unref (inputs);
  if (dict)
    g_ptr_array_unref (dict);
  return 0;
}
#endif
