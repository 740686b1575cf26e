/* The door's reports (see tools/session/cloudrun-netsim.h): each report of
 * a finished session into a GString or a stream, the output directory's
 * files, the check results of several files, the vocabulary. */
#include "tools/session/session-private.h"

#include <errno.h>
#include <string.h>

#include "models/format/keys.h"
#include "sim/units.h"
#include "tools/report/check-report.h"
#include "tools/report/graph.h"
#include "tools/report/report-html.h"
#include "tools/report/report.h"

static ToolsReport
session_report (const CloudRunSession *s)
{
  return (ToolsReport) { s->run.scenario, s->run.world, s->run.summaries,
                         s->run.checks, s->run.events, s->provenance };
}

static gboolean
session_finished (const CloudRunSession *s, GError **error)
{
  if (s->run.summaries)
    return TRUE;
  g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
               "%s: the run has not finished: no report yet",
               s->run.scenario->path);
  return FALSE;
}

gboolean
cloudrun_session_render (CloudRunSession *s, CloudRunReport report,
                         GString *out, GError **error)
{
  ToolsReport rep = session_report (s);
  g_autoptr (CloudRunCheckFile) file = NULL;
  g_autoptr (GPtrArray) files = NULL;

  if (!session_finished (s, error))
    return FALSE;
  switch (report)
    {
    case CLOUDRUN_REPORT_TABLE:
      tools_report_table (out, &rep);
      return TRUE;
    case CLOUDRUN_REPORT_TEXT:
      tools_report_text (out, &rep);
      return TRUE;
    case CLOUDRUN_REPORT_JSON:
      tools_report_json (out, &rep);
      return TRUE;
    case CLOUDRUN_REPORT_HTML:
      tools_report_html (out, &rep, NULL, NULL, NULL, NULL);
      return TRUE;
    case CLOUDRUN_REPORT_DOT:
      tools_graph_dot (out, s->run.scenario, s->run.world, s->run.summaries);
      return TRUE;
    case CLOUDRUN_REPORT_CHECKS:
    case CLOUDRUN_REPORT_TAP:
    case CLOUDRUN_REPORT_JUNIT:
      file = cloudrun_check_file_new (s->run.scenario->path, s, NULL);
      files = g_ptr_array_new ();
      g_ptr_array_add (files, file);
      return cloudrun_check_render (out, files, report, FALSE, error);
    case CLOUDRUN_REPORT_REQUESTS:
      if (!s->keep_requests)
        break;
      g_string_append_len (out, s->requests_mem, (gssize) s->requests_mem_len);
      return TRUE;
    }
  g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
               "%s: report %d: expected a report this session keeps "
               "(requests.jsonl needs cloudrun_session_keep_requests)",
               s->run.scenario->path, (int) report);
  return FALSE;
}

gboolean
cloudrun_session_render_file (CloudRunSession *s, CloudRunReport report,
                              FILE *out, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (!cloudrun_session_render (s, report, text, error))
    return FALSE;
  errno = 0;
  if (fwrite (text->str, 1, text->len, out) != text->len || fflush (out) != 0)
    {
      int e = errno ? errno : EIO;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot write the report: %s", s->run.scenario->path,
                   g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static void
string_free (gpointer text)
{
  g_string_free (text, TRUE);
}

/* report.html's pictures at their natural size: the whole one (dot: its
 * dot text) into svg, and each traffic's own (report.html draws it beside
 * its steps) into paths, a GString per traffic, empty when it made no
 * request. One dot each: dot given several graphs at once lays them out
 * differently from run to run. FALSE when dot drew none. */
static gboolean
session_pictures (const CloudRunSession *s, const GString *dot, GString *svg,
                  GPtrArray *paths)
{
  const CloudRunWorld *w = s->run.world;

  if (!tools_graph_svg (dot, TRUE, svg, NULL))
    return FALSE;
  for (guint t = 0; t < w->n_plans; t++)
    {
      g_autoptr (GString) one = g_string_new (NULL);
      GString *drawn = g_string_new (NULL);

      if (s->run.summaries[t].count)
        {
          tools_graph_dot_path (one, s->run.scenario, s->run.world,
                                s->run.summaries, s->run.summaries[t].name);
          tools_graph_svg (one, TRUE, drawn, NULL);
        }
      g_ptr_array_add (paths, drawn);
    }
  return TRUE;
}

gboolean
cloudrun_session_write_reports (CloudRunSession *s, CloudRunOutputDir *dir,
                                GError **error)
{
  ToolsReport rep = session_report (s);
  ToolsOutput *out = &dir->out;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (GString) dot = g_string_new (NULL);
  g_autoptr (GString) svg = g_string_new (NULL);
  g_autoptr (GError) graph_error = NULL;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (string_free);
  gboolean drawn;

  if (!session_finished (s, error))
    return FALSE;
  tools_report_text (text, &rep);
  tools_report_json (json, &rep);
  tools_graph_dot (dot, s->run.scenario, s->run.world, s->run.summaries);
  if (!tools_output_write (out, "report.txt", text, error)
      || !tools_output_write (out, "report.json", json, error)
      || !tools_output_write (out, "topology.dot", dot, error))
    return FALSE;
  drawn = tools_graph_svg (dot, FALSE, svg, &graph_error);
  if (drawn && !tools_output_write (out, "topology.svg", svg, error))
    return FALSE;
  g_clear_pointer (&s->run.graph_warning, g_free);
  if (!drawn && graph_error)
    s->run.graph_warning = g_strdup (graph_error->message);
  g_string_truncate (svg, 0);
  drawn = drawn && session_pictures (s, dot, svg, paths);
  return tools_report_html_write (out, &rep, drawn ? svg : NULL,
                                  s->run.graph_warning, paths, error);
}

const char *
cloudrun_session_graph_warning (const CloudRunSession *s)
{
  return s->run.graph_warning;
}

void
cloudrun_session_render_dot_traffic (CloudRunSession *s, const char *traffic,
                                     GString *out)
{
  g_return_if_fail (s->run.summaries != NULL);
  tools_graph_dot_traffic (out, s->run.scenario, s->run.world,
                           s->run.summaries, traffic);
}

void
cloudrun_session_render_steps (CloudRunSession *s, guint traffic, guint index,
                               GString *out)
{
  const CloudRunWorld *w = s->run.world;

  g_return_if_fail (traffic < w->n_plans && index < w->plans[traffic].count);
  tools_report_steps (out, s->run.world,
                      w->plans[traffic].first_request + index, "");
}

/* ---- Check results across files ------------------------------------- */

struct CloudRunCheckFile {
  ToolsCheckFile *file;
};

CloudRunCheckFile *
cloudrun_check_file_new (const char *path, const CloudRunSession *s,
                         const GError *error)
{
  CloudRunCheckFile *f = g_new0 (CloudRunCheckFile, 1);

  f->file = tools_check_file_new (
      path, s ? s->run.checks : NULL, s ? s->provenance : NULL,
      s ? (double) (g_get_monotonic_time () - s->loaded_us) / G_USEC_PER_SEC
        : 0, error);
  return f;
}

void
cloudrun_check_file_free (CloudRunCheckFile *f)
{
  if (!f)
    return;
  tools_check_file_free (f->file);
  g_free (f);
}

guint
cloudrun_check_file_failures (const CloudRunCheckFile *f)
{
  return tools_check_file_failures (f->file);
}

guint
cloudrun_check_file_items (const CloudRunCheckFile *f)
{
  return f->file->error ? 0 : f->file->items->len;
}

const char *
cloudrun_check_file_error (const CloudRunCheckFile *f)
{
  return f->file->error;
}

gboolean
cloudrun_check_render (GString *out, const GPtrArray *files,
                       CloudRunReport report, gboolean quiet, GError **error)
{
  g_autoptr (GPtrArray) inner = g_ptr_array_sized_new (files->len);

  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (inner, ((CloudRunCheckFile *) files->pdata[i])->file);
  switch (report)
    {
    case CLOUDRUN_REPORT_CHECKS:
      for (guint i = 0; i < inner->len; i++)
        tools_check_report_lines (out, inner->pdata[i], quiet);
      return TRUE;
    case CLOUDRUN_REPORT_TAP:
      tools_check_report_tap (out, inner);
      return TRUE;
    case CLOUDRUN_REPORT_JUNIT:
      tools_check_report_junit (out, inner);
      return TRUE;
    default:
      g_set_error (error, CLOUDRUN_SESSION_ERROR,
                   CLOUDRUN_SESSION_ERROR_USAGE, "report %d: expected "
                   "CHECKS, TAP or JUNIT for check results", (int) report);
      return FALSE;
    }
}

gboolean
cloudrun_write_file (const char *path, const GString *contents,
                     GError **error)
{
  return tools_check_report_write (path, contents, error);
}

/* ---- The output directory ------------------------------------------- */

CloudRunOutputDir *
cloudrun_output_dir_begin (const char *dir, GError **error)
{
  g_autoptr (CloudRunOutputDir) o = g_new0 (CloudRunOutputDir, 1);

  if (!tools_output_begin (&o->out, dir, error))
    return NULL;
  return g_steal_pointer (&o);
}

const char *
cloudrun_output_dir_path (const CloudRunOutputDir *o)
{
  return o->out.dir;
}

guint
cloudrun_output_dir_n_stale (const CloudRunOutputDir *o, gboolean kept)
{
  const GPtrArray *a = kept ? o->out.stale_kept : o->out.stale;

  return a ? a->len : 0;
}

const char *
cloudrun_output_dir_stale (const CloudRunOutputDir *o, gboolean kept, guint i)
{
  const GPtrArray *a = kept ? o->out.stale_kept : o->out.stale;

  g_return_val_if_fail (a && i < a->len, NULL);
  return g_ptr_array_index (a, i);
}

gboolean
cloudrun_output_dir_write (CloudRunOutputDir *o, const char *name,
                           const GString *contents, GError **error)
{
  return tools_output_write (&o->out, name, contents, error);
}

gboolean
cloudrun_output_dir_commit (CloudRunOutputDir *o, GError **error)
{
  return tools_output_commit (&o->out, error);
}

void
cloudrun_output_dir_free (CloudRunOutputDir *o)
{
  if (!o)
    return;
  tools_output_clear (&o->out);
  g_free (o);
}

/* ---- The vocabulary ------------------------------------------------- */

/* Which drop-cause values a run can show; the others load so that
 * expectations copied from Connectivity Tests results stay valid. */
static void
keys_produced_causes (GString *out)
{
  size_t col = 6;

  g_string_append (out, "\n  drop-cause values this simulator produces (the "
                   "others never match):\n     ");
  for (int c = 1; c < CLOUDRUN_N_DROP_CAUSES; c++)
    {
      const char *name = cloudrun_drop_cause_name (c);
      if (col + strlen (name) + 2 > 78)
        {
          g_string_append (out, "\n     ");
          col = 6;
        }
      g_string_append_printf (out, " %s%s", name,
                              c + 1 < CLOUDRUN_N_DROP_CAUSES ? "," : "\n");
      col += strlen (name) + 2;
    }
}

const char *const *
cloudrun_words (CloudRunWords which)
{
  switch (which)
    {
    case CLOUDRUN_WORDS_OUTCOMES: return cloudrun_verdict_words;
    case CLOUDRUN_WORDS_CLASSIFICATIONS: return cloudrun_class_words;
    case CLOUDRUN_WORDS_HOPS: return cloudrun_hop_words;
    case CLOUDRUN_WORDS_DROP_CAUSES: return cloudrun_drop_cause_words;
    }
  g_return_val_if_reached (NULL);
}

gboolean
cloudrun_describe_keys (GString *out, const char *kind, GError **error)
{
  if (!cloudrun_keys_describe (out, kind, error))
    return FALSE;
  if (kind && strcmp (kind, "expect") == 0)
    keys_produced_causes (out);
  return TRUE;
}

const char *
cloudrun_format_time (guint64 ns, char *buf)
{
  return sim_units_format_time ((SimTime) ns, buf);
}

gboolean
cloudrun_parse_size (const char *text, guint64 *bytes)
{
  uint64_t v;

  if (sim_units_parse_size (text, &v) != SIM_UNITS_OK)
    return FALSE;
  *bytes = v;
  return TRUE;
}
