/* report.html's pictures and its table of contents (see
 * tools/report/report-html.h): dot's SVG inline with its ids made the
 * page's own, at its natural size, scaled to fit the page only where its
 * text stays readable; the contents, linking each section and each
 * traffic's. */
#include "tools/report/report-html.h"

#include <string.h>

void
tools_report_html_escape (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *e = NULL;

  /* XML 1.0 has no place for control characters, not even as
   * references (g_markup_escape_text writes them as such). */
  for (char *p = valid; *p; p++)
    if (((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
        || *p == 0x7f)
      *p = '?';
  e = g_markup_escape_text (valid, -1);
  g_string_append (out, e);
}

#define esc tools_report_html_escape

/* A traffic's class in the contents: as its verdict in the table. */
static const char *
verdict_class (CloudRunVerdict v)
{
  return v == CLOUDRUN_VERDICT_DELIVERED ? "good"
         : v == CLOUDRUN_VERDICT_PENDING ? "gone" : "bad";
}

/* The SVG element of what dot wrote, from "<svg" on, its ids prefixed
 * (several pictures on one page each have dot's "graph0", "node1"):
 * FALSE when there is none. */
gboolean
tools_report_html_svg (GString *out, const GString *svg, const char *prefix)
{
  const char *start = svg ? strstr (svg->str, "<svg") : NULL;
  const char *p, *id;

  if (!start)
    return FALSE;
  for (p = start; (id = strstr (p, " id=\"")); p = id + 5)
    {
      g_string_append_len (out, p, id + 5 - p);
      g_string_append (out, prefix);
    }
  g_string_append (out, p);
  return TRUE;
}

/* Whether a picture dot drew may be scaled to fit a frame frame_px
 * wide (at a window 1280 pixels wide): it is drawn at 0.9 of its natural
 * width (pt, 4/3 pixel each) or more, its smallest text (10 pt, 13.3
 * pixels) at 12 pixels or more. Wider ones scroll. */
gboolean
tools_report_html_svg_fits (const GString *svg, int frame_px)
{
  const char *w = strstr (svg->str, "<svg width=\"");

  return w && g_ascii_strtod (w + 12, NULL) * 4 / 3 * 0.9 <= frame_px;
}

void
tools_report_html_picture (GString *out, const GString *svg,
                           const char *graph_note)
{
  g_string_append (out, "<h2 id=\"picture\">The picture</h2>\n");
  if (svg && strstr (svg->str, "<svg"))
    {
      g_string_append (out, "<p>Where it is wider than the page, scroll "
                       "it (or open <a href=\"topology.svg\">topology.svg"
                       "</a>); each traffic's own picture is with its "
                       "steps below.</p>\n");
      g_string_append_printf (out, "<div class=\"picture%s\">\n",
                              tools_report_html_svg_fits (svg, HTML_PICTURE_PX)
                              ? " fit" : "");
      tools_report_html_svg (out, svg, "all-");
      g_string_append (out, "</div>\n");
      return;
    }
  g_string_append (out, "<p class=\"note\">");
  if (graph_note)
    {
      g_string_append (out, "Graphviz could not draw the picture: ");
      esc (out, graph_note);
    }
  else
    g_string_append (out, "No picture: Graphviz (<code>dot</code>) was not "
                     "found.");
  g_string_append (out, " <a href=\"topology.dot\">topology.dot</a> has it "
                   "for <code>dot -Tsvg</code>.</p>\n");
}

/* The table of contents: the sections, and each traffic's. */
void
tools_report_html_toc (GString *out, const ToolsReport *rep, gboolean load)
{
  g_string_append (out, "<nav class=\"toc\"><b>Contents</b>\n<ol>\n"
                   "<li><a href=\"#verdicts\">Verdicts</a></li>\n"
                   "<li><a href=\"#picture\">The picture</a></li>\n");
  if (load)
    g_string_append (out, "<li><a href=\"#load\">Load over time</a></li>\n");
  g_string_append (out, "<li><a href=\"#requests\">Each traffic, step by "
                   "step</a>\n<ol>\n");
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      g_string_append_printf (out, "<li><a href=\"#traffic-%u\" "
                              "class=\"%s\">", t,
                              verdict_class (s->main_verdict));
      esc (out, s->name);
      g_string_append (out, "</a></li>\n");
    }
  g_string_append (out, "</ol></li>\n");
  if (rep->checks->len)
    g_string_append (out, "<li><a href=\"#expectations\">Expectations</a>"
                     "</li>\n");
  if (rep->scenario->services->len)
    g_string_append (out, "<li><a href=\"#services\">Services</a></li>\n");
  g_string_append (out, "<li><a href=\"#outputs\">Outputs</a></li>\n");
  if (rep->provenance)
    g_string_append (out, "<li><a href=\"#made\">How this report was "
                     "made</a></li>\n");
  g_string_append (out, "</ol></nav>\n");
}

void
tools_report_html_overrides (GString *out, const ToolsProvenance *p)
{
  g_autofree char *overrides = p ? tools_provenance_overrides (p) : NULL;

  if (p && p->warnings->len)
    {
      g_string_append (out, "<div class=\"note overrides\"><b>Settings "
                       "that cannot take effect:</b><ul>\n");
      for (guint i = 0; i < p->warnings->len; i++)
        {
          g_string_append (out, "<li>");
          esc (out, p->warnings->pdata[i]);
          g_string_append (out, "</li>\n");
        }
      g_string_append (out, "</ul></div>\n");
    }
  if (!overrides)
    return;
  g_string_append (out, "<p class=\"note overrides\"><b>Not the file as "
                   "written:</b> this run changed it with <code>");
  esc (out, overrides);
  g_string_append (out, "</code>. Every verdict and expectation below is "
                   "the changed scenario's.</p>\n");
}

void
tools_report_html_provenance (GString *out, const ToolsProvenance *p)
{
  g_autofree char *overrides = tools_provenance_overrides (p);

  g_string_append (out, "<h2 id=\"made\">How this report was made</h2>\n"
                   "<p>By ");
  esc (out, p->program);
  g_string_append (out, " from <code>");
  esc (out, p->file);
  g_string_append (out, "</code>, whose bytes have the SHA-256 <code "
                   "class=\"digest\">");
  esc (out, p->sha256);
  g_string_append_printf (out, "</code>; seed %" G_GUINT64_FORMAT " (%s); ",
                          p->seed, tools_provenance_seed_source (p));
  if (overrides)
    {
      g_string_append (out, "overrides <code>");
      esc (out, overrides);
      g_string_append (out, "</code>.");
    }
  else
    g_string_append (out, "no overrides: the file as written.");
  g_string_append (out, "</p>\n<table class=\"assumptions\">\n<tr><th>"
                   "assumption</th><th>in force</th><th>from</th></tr>\n");
  for (guint i = 0; i < p->assumptions->len; i++)
    {
      const ToolsAssumption *a = &g_array_index (p->assumptions,
                                                 ToolsAssumption, i);

      g_string_append (out, "<tr><td class=\"name\">");
      esc (out, a->key);
      g_string_append (out, "</td><td><code>");
      esc (out, a->value);
      g_string_append_printf (out, "</code></td><td%s>%s</td></tr>\n",
                              g_str_equal (a->source, "default")
                              ? "" : " class=\"bad\"",
                              g_str_equal (a->source, "default")
                              ? "default" : g_str_equal (a->source, "file")
                              ? "the file" : "--set");
    }
  g_string_append (out, "</table>\n");
}
