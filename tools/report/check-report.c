/* TAP and JUnit XML for `cloudrun-netsim check` (see
 * tools/report/check-report.h).
 *
 * The JUnit shape, as Jenkins' junit step and GitLab's
 * artifacts:reports:junit read it:
 *
 *   <testsuites name="cloudrun-netsim check" tests= failures= errors= time=>
 *     <testsuite name="FILE" tests= failures= errors= skipped="0" time=>
 *       <properties><property name="program" value=.../>...</properties>
 *       <testcase classname="CLASS" name="[expect NAME] KEY" time=/>
 *       <testcase classname="CLASS" name="[expect NAME] KEY" time=>
 *         <failure message="expected X, found Y" type="expectation">...
 *       <testcase classname="CLASS" name="load" time=>  (did not load)
 *         <error message="MESSAGE" type="scenario">...
 *
 * CLASS is FILE without ".ini", directories joined by '.' and other dots
 * made '_': Jenkins splits a classname at its last dot into package and
 * class, so "scenarios/03-x.ini" shows as class 03-x of package
 * scenarios, not as class "ini". time is wall-clock seconds, the only
 * bytes that differ from one check to the next. */
#include "tools/report/check-report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/report/expect.h"

static void
item_clear (gpointer data)
{
  ToolsCheckItem *item = data;

  g_free (item->expect);
  g_free (item->key);
  g_free (item->expected);
  g_free (item->found);
}

ToolsCheckFile *
tools_check_file_new (const char *path, const GArray *checks,
                      const ToolsProvenance *provenance, double seconds,
                      const GError *error)
{
  ToolsCheckFile *file = g_new0 (ToolsCheckFile, 1);

  file->path = g_strdup (path);
  file->seconds = seconds;
  file->items = g_array_new (FALSE, TRUE, sizeof (ToolsCheckItem));
  g_array_set_clear_func (file->items, item_clear);
  if (error)
    {
      file->error = g_strdup (error->message);
      return file;
    }
  if (provenance)
    file->provenance = tools_provenance_copy (provenance);
  for (guint i = 0; checks && i < checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (checks,
                                                   CloudRunCheckItem, i);
      ToolsCheckItem item = {
        g_strdup (c->expect), g_strdup (c->key), g_strdup (c->expected),
        g_strdup (c->found), c->pass,
      };
      g_array_append_val (file->items, item);
    }
  return file;
}

void
tools_check_file_free (ToolsCheckFile *file)
{
  if (!file)
    return;
  g_free (file->path);
  g_free (file->error);
  g_array_unref (file->items);
  tools_provenance_free (file->provenance);
  g_free (file);
}

guint
tools_check_file_failures (const ToolsCheckFile *file)
{
  guint n = 0;

  for (guint i = 0; i < file->items->len; i++)
    n += !g_array_index (file->items, ToolsCheckItem, i).pass;
  return n;
}

/* ---- TAP ---------------------------------------------------------- */

/* A TAP description or directive text on one line: '#' escaped (it
 * would start a directive), line breaks and tabs as spaces, other control
 * characters as '?', invalid UTF-8 as U+FFFD. */
static void
tap_text (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (const char *p = valid; *p; p++)
    if (*p == '#' || *p == '\\')
      g_string_append_printf (out, "\\%c", *p);
    else if (*p == '\n' || *p == '\r' || *p == '\t')
      g_string_append_c (out, ' ');
    else if ((guchar) *p < 0x20 || *p == 0x7f)
      g_string_append_c (out, '?');
    else
      g_string_append_c (out, *p);
}

/* "# FILE: PROGRAM, SHA-256 X, seed N (SOURCE), overrides: ...,
 * assumptions: ...", then "# FILE: warning: ..." per load warning. */
static void
tap_provenance (GString *out, const ToolsCheckFile *file)
{
  const ToolsProvenance *p = file->provenance;
  g_autofree char *overrides = tools_provenance_overrides (p);
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s: %s, SHA-256 %s, seed %" G_GUINT64_FORMAT
                          " (%s), overrides: %s, assumptions: ", file->path,
                          p->program, p->sha256, p->seed, p->seed_source,
                          overrides ? overrides : "none");
  tools_provenance_assumptions (line, p);
  g_string_append (out, "# ");
  tap_text (out, line->str);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < p->warnings->len; i++)
    {
      g_string_append_printf (out, "# %s: warning: ", file->path);
      tap_text (out, p->warnings->pdata[i]);
      g_string_append_c (out, '\n');
    }
}

void
tools_check_report_tap (GString *out, const GPtrArray *files)
{
  guint n = 0, k = 0, passed = 0, failed = 0, errors = 0;

  for (guint f = 0; f < files->len; f++)
    {
      const ToolsCheckFile *file = g_ptr_array_index (files, f);
      n += file->error ? 1 : file->items->len;
    }
  g_string_append_printf (out, "TAP version 13\n1..%u\n", n);
  for (guint f = 0; f < files->len; f++)
    {
      const ToolsCheckFile *file = g_ptr_array_index (files, f);
      if (file->error)
        {
          g_string_append_printf (out, "not ok %u - ", ++k);
          tap_text (out, file->path);
          g_string_append (out, " # load error: ");
          tap_text (out, file->error);
          g_string_append_c (out, '\n');
          errors++;
          continue;
        }
      if (file->provenance)
        tap_provenance (out, file);
      if (file->items->len == 0)
        {
          g_string_append (out, "# ");
          tap_text (out, file->path);
          g_string_append (out, ": no [expect] groups\n");
        }
      for (guint i = 0; i < file->items->len; i++)
        {
          const ToolsCheckItem *it = &g_array_index (file->items,
                                                     ToolsCheckItem, i);
          g_string_append_printf (out, "%s %u - ", it->pass ? "ok" : "not ok",
                                  ++k);
          tap_text (out, file->path);
          g_string_append (out, " [expect ");
          tap_text (out, it->expect);
          g_string_append (out, "] ");
          tap_text (out, it->key);
          if (!it->pass)
            {
              g_string_append (out, " # expected ");
              tap_text (out, it->expected);
              g_string_append (out, ", found ");
              tap_text (out, it->found);
            }
          g_string_append_c (out, '\n');
          if (it->pass)
            passed++;
          else
            failed++;
        }
    }
  g_string_append_printf (out, "# %u passed, %u failed", passed, failed);
  if (errors)
    g_string_append_printf (out, ", %u file(s) not checked", errors);
  g_string_append_c (out, '\n');
}

/* ---- JUnit XML ---------------------------------------------------- */

/* text escaped for XML 1.0 attributes and content, invalid UTF-8 as
 * U+FFFD. g_markup_escape_text
 * turns control characters into character references that XML 1.0 does
 * not allow, so those (other than tab and line breaks) become '?'. */
static void
xml_text (GString *out, const char *text)
{
  g_autofree char *clean = g_utf8_make_valid (text, -1);
  g_autofree char *escaped = NULL;

  for (char *p = clean; *p; p++)
    if (((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
        || *p == 0x7f)
      *p = '?';
  escaped = g_markup_escape_text (clean, -1);
  g_string_append (out, escaped);
}

/* Seconds as "1.234" whatever the locale. */
static const char *
junit_seconds (double seconds, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.3f", seconds);
}

/* The classname of path's cases (see the top of this file). */
static char *
junit_classname (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  GString *name = g_string_new (NULL);
  guint n = g_strv_length (parts);

  if (n && g_str_has_suffix (parts[n - 1], ".ini")
      && strlen (parts[n - 1]) > strlen (".ini"))
    parts[n - 1][strlen (parts[n - 1]) - strlen (".ini")] = '\0';
  for (guint i = 0; i < n; i++)
    {
      if (!*parts[i] || strcmp (parts[i], ".") == 0
          || strcmp (parts[i], "..") == 0)
        continue;
      if (name->len)
        g_string_append_c (name, '.');
      for (const char *p = parts[i]; *p; p++)
        g_string_append_c (name, *p == '.' ? '_' : *p);
    }
  return g_string_free (name, FALSE);
}

/* <testcase classname="CLASS" name="NAME" time="T"> with an optional
 * <failure> or <error> (tag) whose message and text are message. */
static void
junit_case (GString *out, const char *classname, const char *name,
            double seconds, const char *tag, const char *type,
            const char *message)
{
  char t[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "    <testcase classname=\"");
  xml_text (out, classname);
  g_string_append (out, "\" name=\"");
  xml_text (out, name);
  g_string_append_printf (out, "\" time=\"%s", junit_seconds (seconds, t));
  if (!tag)
    {
      g_string_append (out, "\"/>\n");
      return;
    }
  g_string_append_printf (out, "\">\n      <%s message=\"", tag);
  xml_text (out, message);
  g_string_append_printf (out, "\" type=\"%s\">", type);
  xml_text (out, message);
  g_string_append_printf (out, "</%s>\n    </testcase>\n", tag);
}

static void
junit_property (GString *out, const char *name, const char *value)
{
  g_string_append_printf (out, "      <property name=\"%s\" value=\"", name);
  xml_text (out, value);
  g_string_append (out, "\"/>\n");
}

/* How the file ran: program, file digest, seed, one "override" each,
 * the assumptions in force, one "warning" each. */
static void
junit_properties (GString *out, const ToolsProvenance *p)
{
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, p->seed);
  g_autoptr (GString) assumptions = g_string_new (NULL);

  g_string_append (out, "    <properties>\n");
  junit_property (out, "program", p->program);
  junit_property (out, "scenario_sha256", p->sha256);
  junit_property (out, "seed", seed);
  junit_property (out, "seed_source", p->seed_source);
  for (guint i = 0; i < p->overrides->len; i++)
    junit_property (out, "override", p->overrides->pdata[i]);
  tools_provenance_assumptions (assumptions, p);
  junit_property (out, "assumptions", assumptions->str);
  for (guint i = 0; i < p->warnings->len; i++)
    junit_property (out, "warning", p->warnings->pdata[i]);
  g_string_append (out, "    </properties>\n");
}

static void
junit_suite (GString *out, const ToolsCheckFile *file)
{
  guint failures = tools_check_file_failures (file);
  guint cases = file->error ? 1 : file->items->len;
  g_autofree char *classname = junit_classname (file->path);
  char t[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "  <testsuite name=\"");
  xml_text (out, file->path);
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" errors=\"%u\""
                          " skipped=\"0\" time=\"%s\">\n", cases, failures,
                          file->error ? 1 : 0, junit_seconds (file->seconds, t));
  if (file->provenance)
    junit_properties (out, file->provenance);
  if (file->error)
    junit_case (out, classname, "load", file->seconds, "error", "scenario",
                file->error);
  for (guint i = 0; i < file->items->len; i++)
    {
      const ToolsCheckItem *it = &g_array_index (file->items, ToolsCheckItem,
                                                 i);
      g_autofree char *name = g_strdup_printf ("[expect %s] %s", it->expect,
                                               it->key);
      g_autofree char *message = g_strdup_printf ("expected %s, found %s",
                                                  it->expected, it->found);
      junit_case (out, classname, name, file->seconds / cases,
                  it->pass ? NULL : "failure", "expectation", message);
    }
  g_string_append (out, "  </testsuite>\n");
}

void
tools_check_report_junit (GString *out, const GPtrArray *files)
{
  guint tests = 0, failures = 0, errors = 0;
  double seconds = 0;
  char t[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint f = 0; f < files->len; f++)
    {
      const ToolsCheckFile *file = g_ptr_array_index (files, f);
      seconds += file->seconds;
      tests += file->error ? 1 : file->items->len;
      failures += tools_check_file_failures (file);
      errors += file->error != NULL;
    }
  g_string_append_printf (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<testsuites name=\"cloudrun-netsim check\" "
                          "tests=\"%u\" failures=\"%u\" errors=\"%u\" "
                          "time=\"%s\">\n", tests, failures, errors,
                          junit_seconds (seconds, t));
  for (guint f = 0; f < files->len; f++)
    junit_suite (out, g_ptr_array_index (files, f));
  g_string_append (out, "</testsuites>\n");
}

/* ---- Writing ------------------------------------------------------ */

static gboolean
write_error (GError **error, const char *path, int e)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
               "%s: cannot write the report: %s", path, g_strerror (e));
  return FALSE;
}

/* All of contents to fd, then close; on failure the errno. */
static int
write_all_close (int fd, const GString *contents)
{
  gsize done = 0;
  int e = 0;

  while (done < contents->len && e == 0)
    {
      ssize_t n = write (fd, contents->str + done, contents->len - done);
      if (n < 0 && errno != EINTR)
        e = errno;
      else if (n > 0)
        done += (gsize) n;
    }
  if (close (fd) != 0 && e == 0)
    e = errno;
  return e;
}

/* Writes in place what is not a plain file: a device, a FIFO, or a
 * symbolic link (followed, never replaced: /dev/stdout is one). A link
 * to a plain file is truncated first; a dangling one makes its target. */
static gboolean
write_in_place (const char *path, const GString *contents, GError **error)
{
  struct stat st;
  int flags = O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, fd, e;

  if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
    flags |= O_TRUNC;
  fd = open (path, flags, 0666);
  e = fd < 0 ? errno : write_all_close (fd, contents);
  return e == 0 || write_error (error, path, e);
}

gboolean
tools_check_report_write (const char *path, const GString *contents,
                          GError **error)
{
  struct stat st;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = NULL;
  int fd, e;

  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: expected a "
                   "file for the report, found a directory", path);
      return FALSE;
    }
  if (lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
    return write_in_place (path, contents, error);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return write_error (error, path, errno);
  e = write_all_close (fd, contents);
  if (e == 0 && rename (tmp, path) != 0)
    e = errno;
  if (e != 0)
    {
      unlink (tmp);
      return write_error (error, path, e);
    }
  return TRUE;
}

void
tools_check_report_lines (GString *out, const ToolsCheckFile *file,
                          gboolean quiet)
{
  if (file->error)
    return;
  for (guint k = 0; k < file->items->len; k++)
    {
      const ToolsCheckItem *c = &g_array_index (file->items, ToolsCheckItem,
                                                k);
      if (!quiet || !c->pass)
        g_string_append_printf (out, "%s %s [expect %s] %s: expected %s, "
                                "found %s\n", c->pass ? "PASS" : "FAIL",
                                file->path, c->expect, c->key, c->expected,
                                c->found);
    }
  if (file->items->len == 0)
    g_string_append_printf (out, "NOTE %s: no [expect] groups\n",
                            file->path);
}
