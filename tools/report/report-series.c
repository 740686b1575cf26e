/* report.html's load over time (see tools/report/report-html.h): one small step
 * chart per service, Direct VPC subnet, Cloud NAT gateway and connector
 * with a gauge that changed after time 0 (models/world/series.h,
 * report.json's series), each line the largest value of each bucket;
 * inline SVG with integer coordinates, so the bytes do not depend on the
 * locale. Each chart's time axis spans the buckets where its gauges move
 * (a tenth more each side), not the whole run: a burst in the first
 * seconds of a minute is not a spike at the left edge. */
#include "tools/report/report-html.h"

#include <string.h>

#include "sim/units.h"

/* The chart, in SVG units (CSS pixels at its natural size). */
#define PLOT_W 900
#define PLOT_H 230
#define PLOT_LEFT 70            /* room for the counts */
#define PLOT_RIGHT 44
#define PLOT_TOP 14
#define PLOT_BOTTOM 46          /* room for the times */

/* Line colours by place in the chart (report.html's CSS .c0 .. .c3). */
static const char *const plot_colours[] = {
  "#1f4fbf", "#00661a", "#a00000", "#6a3d9a",
};
static const char *const plot_dashes[] = { "none", "9 5", "3 4", "12 3 3 3" };

static const char *
metric_words (const char *metric)
{
  static const char *const words[][2] = {
    { "in_flight", "requests in flight" },
    { "instances", "instances" },
    { "queue", "waiting in the queue" },
    { "addresses", "addresses held" },
    { "ports", "ports taken" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (metric, words[i][0]) == 0)
      return words[i][1];
  return metric;
}

static const char *
kind_words (const char *kind)
{
  static const char *const words[][2] = {
    { "service", "Service" },
    { "subnet", "Direct VPC subnet" },
    { "nat", "Cloud NAT" },
    { "connector", "Connector" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (kind, words[i][0]) == 0)
      return words[i][1];
  return kind;
}

/* The smallest of steps x 10^k that is at least v. */
static int64_t
round_up (int64_t v, const int64_t *steps, guint n_steps)
{

  for (int64_t d = 1;; d *= 10)
    for (guint i = 0; i < n_steps; i++)
      if (steps[i] * d >= v || d > G_MAXINT64 / 50)
        return steps[i] * d;
}

/* A time step, 1, 2 or 5 x 10^k ns: at most 7 ticks. */
static SimTime
time_step (SimTime extent)
{
  static const int64_t steps[] = { 1, 2, 5 };

  return round_up ((extent + 5) / 6, steps, G_N_ELEMENTS (steps));
}

/* The top of the count axis: its half a round number too, mostly. */
static int64_t
count_top (int64_t peak)
{
  static const int64_t steps[] = { 1, 2, 3, 4, 5, 6, 8 };

  return round_up (MAX (peak, 1), steps, G_N_ELEMENTS (steps));
}

/* The part of the run a chart shows: buckets [b0, b1), times [t0, t1). */
typedef struct {
  guint b0, b1;
  SimTime t0, t1;
} PlotSpan;

/* Whether gauge g moves in bucket b: its largest value, or its value at
 * the bucket's end, differs from its value as the bucket began (0 before
 * the first). */
static bool
bucket_moves (const CloudRunGauge *g, guint b)
{
  int64_t before = b ? g->end[b - 1] : 0;

  return g->max[b] != before || g->end[b] != before;
}

/* The span of the gauges in shown that moved: from their first moving
 * bucket to their last, widened by a tenth (one bucket at least) each
 * side, within the run. */
static PlotSpan
plot_span (const CloudRunSeries *s, const GPtrArray *shown)
{
  PlotSpan span = { s->n_buckets, 0, 0, 0 };
  guint pad;

  for (guint i = 0; i < shown->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (shown, i);
      if (!cloudrun_gauge_moved (g))
        continue;
      for (guint b = 0; b < s->n_buckets; b++)
        if (bucket_moves (g, b))
          {
            span.b0 = MIN (span.b0, b);
            span.b1 = MAX (span.b1, b + 1);
          }
    }
  if (span.b1 <= span.b0)
    {
      span.b0 = 0;
      span.b1 = s->n_buckets;
    }
  pad = MAX (1u, (span.b1 - span.b0) / 10);
  span.b0 = span.b0 > pad ? span.b0 - pad : 0;
  span.b1 = MIN (s->n_buckets, span.b1 + pad);
  span.t0 = (SimTime) span.b0 * s->period;
  span.t1 = (SimTime) span.b1 * s->period;
  return span;
}

static int
plot_x (SimTime t, const PlotSpan *span)
{
  return PLOT_LEFT + (int) ((double) (t - span->t0)
                            / (double) (span->t1 - span->t0)
                            * (PLOT_W - PLOT_LEFT - PLOT_RIGHT) + 0.5);
}

static int
plot_y (int64_t v, int64_t top)
{
  int h = PLOT_H - PLOT_TOP - PLOT_BOTTOM;

  return PLOT_TOP + h - (int) ((double) v / (double) top * h + 0.5);
}

/* Grid, counts and times: a tick at each round time in the span. */
static void
plot_axes (GString *out, const CloudRunSeries *s, const PlotSpan *span,
           int64_t top)
{
  SimTime step = time_step (span->t1 - span->t0);
  SimTime first = (span->t0 + step - 1) / step * step;
  char t[32], from[32], to[32], all[32];

  g_string_append_printf (out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
                          "height=\"%d\" fill=\"#fafafa\" stroke=\"#555\"/>\n",
                          PLOT_LEFT, PLOT_TOP,
                          PLOT_W - PLOT_LEFT - PLOT_RIGHT,
                          PLOT_H - PLOT_TOP - PLOT_BOTTOM);
  for (int64_t v = 0; v <= top; v += top % 2 == 0 && top > 1 ? top / 2 : top)
    g_string_append_printf (out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                            "y2=\"%d\" stroke=\"#ccc\"/>"
                            "<text x=\"%d\" y=\"%d\" "
                            "text-anchor=\"end\">%" G_GINT64_FORMAT
                            "</text>\n", PLOT_LEFT, plot_y (v, top),
                            PLOT_W - PLOT_RIGHT, plot_y (v, top),
                            PLOT_LEFT - 8, plot_y (v, top) + 5, v);
  for (SimTime at = first; at <= span->t1; at += step)
    g_string_append_printf (out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                            "y2=\"%d\" stroke=\"#555\"/>"
                            "<text x=\"%d\" y=\"%d\" "
                            "text-anchor=\"middle\">%s</text>\n",
                            plot_x (at, span), PLOT_H - PLOT_BOTTOM,
                            plot_x (at, span), PLOT_H - PLOT_BOTTOM + 6,
                            plot_x (at, span), PLOT_H - PLOT_BOTTOM + 24,
                            at ? sim_units_format_time (at, t) : "0");
  if (span->b0 == 0 && span->b1 == s->n_buckets)
    {
      g_string_append_printf (out, "<text x=\"%d\" y=\"%d\" "
                              "text-anchor=\"middle\">simulated time"
                              "</text>\n",
                              (PLOT_W + PLOT_LEFT - PLOT_RIGHT) / 2,
                              PLOT_H - 4);
      return;
    }
  g_string_append_printf (out, "<text x=\"%d\" y=\"%d\" "
                          "text-anchor=\"middle\">simulated time, %s to %s "
                          "of the run's %s (where it moves)</text>\n",
                          (PLOT_W + PLOT_LEFT - PLOT_RIGHT) / 2, PLOT_H - 4,
                          span->t0 ? sim_units_format_time (span->t0, from)
                                   : "0",
                          sim_units_format_time (span->t1, to),
                          sim_units_format_time (s->horizon, all));
}

/* A step line through the buckets' largest values. */
static void
plot_line (GString *out, const CloudRunSeries *s, const PlotSpan *span,
           const CloudRunGauge *g, int64_t top, guint nth)
{
  guint k = nth % G_N_ELEMENTS (plot_colours);

  g_string_append_printf (out, "<polyline fill=\"none\" stroke=\"%s\" "
                          "stroke-width=\"3\" stroke-dasharray=\"%s\" "
                          "points=\"%d,%d", plot_colours[k], plot_dashes[k],
                          plot_x (span->t0, span),
                          plot_y (g->max[span->b0], top));
  for (guint b = span->b0 + 1; b < span->b1; b++)
    if (g->max[b] != g->max[b - 1])
      {
        int x = plot_x ((SimTime) b * s->period, span);
        g_string_append_printf (out, " %d,%d %d,%d", x,
                                plot_y (g->max[b - 1], top), x,
                                plot_y (g->max[b], top));
      }
  g_string_append_printf (out, " %d,%d\"/>\n", plot_x (span->t1, span),
                          plot_y (g->max[span->b1 - 1], top));
}

static void
esc_text (GString *out, const char *text)
{
  g_autofree char *e = g_markup_escape_text (text, -1);

  g_string_append (out, e);
}

/* The chart of the gauges of (kind, name), the first at first, when one
 * of them moved: those that were ever above 0. */
static void
plot_group (GString *out, const CloudRunSeries *s, guint first)
{
  const CloudRunGauge *f = g_ptr_array_index (s->gauges, first);
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();
  int64_t top = 0;
  bool moved = false;
  PlotSpan span;
  char t[32];

  for (guint i = first; i < s->gauges->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (s->gauges, i);
      if (strcmp (g->kind, f->kind) != 0 || strcmp (g->name, f->name) != 0)
        continue;
      moved = moved || cloudrun_gauge_moved (g);
      if (cloudrun_gauge_used (g))
        {
          g_ptr_array_add (shown, (gpointer) g);
          top = MAX (top, g->peak);
        }
    }
  if (!moved)
    return;
  top = count_top (top);
  span = plot_span (s, shown);
  g_string_append_printf (out, "<h3>%s <b>", kind_words (f->kind));
  esc_text (out, f->name);
  g_string_append (out, "</b></h3>\n<p class=\"legend\">");
  for (guint i = 0; i < shown->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (shown, i);
      guint k = i % G_N_ELEMENTS (plot_colours);
      g_string_append_printf (out, "%s<span class=\"c%u\"><svg "
                              "xmlns=\"http://www.w3.org/2000/svg\" "
                              "width=\"36\" height=\"12\"><line x1=\"0\" "
                              "y1=\"6\" x2=\"36\" y2=\"6\" stroke=\"%s\" "
                              "stroke-width=\"3\" stroke-dasharray=\"%s\"/>"
                              "</svg> %s</span>: peak %" G_GINT64_FORMAT
                              " at %s", i ? "; " : "", k, plot_colours[k],
                              plot_dashes[k],
                              metric_words (g->metric), g->peak, g->peak_at
                              ? tools_report_duration (g->peak_at, t) : "0");
    }
  g_string_append_printf (out, "</p>\n<div class=\"load\"><svg "
                          "xmlns=\"http://www.w3.org/2000/svg\" "
                          "viewBox=\"0 0 %d %d\" width=\"%d\" "
                          "height=\"%d\" role=\"img\"><title>",
                          PLOT_W, PLOT_H, PLOT_W, PLOT_H);
  g_string_append_printf (out, "%s ", kind_words (f->kind));
  esc_text (out, f->name);
  g_string_append (out, " over simulated time</title>\n");
  plot_axes (out, s, &span, top);
  for (guint i = 0; i < shown->len; i++)
    plot_line (out, s, &span, g_ptr_array_index (shown, i), top, i);
  g_string_append (out, "</svg></div>\n");
}

void
tools_report_html_series (GString *out, CloudRunSeries *s)
{
  bool any = false;
  char p[32];

  if (!s)
    return;
  cloudrun_series_finish (s);
  for (guint i = 0; i < s->gauges->len && !any; i++)
    any = cloudrun_gauge_moved (g_ptr_array_index (s->gauges, i));
  if (!any)
    return;
  g_string_append_printf (out, "<h2 id=\"load\">Load over time</h2>\n"
                          "<p>Each line is the highest value in each %s "
                          "of simulated time (report.json's "
                          "<code>series</code>); what never changed after "
                          "the start, and counts that stayed at 0, are left "
                          "out.</p>\n",
                          tools_report_duration (s->period, p));
  for (guint i = 0; i < s->gauges->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (s->gauges, i);
      bool seen = false;
      for (guint j = 0; j < i && !seen; j++)
        {
          const CloudRunGauge *h = g_ptr_array_index (s->gauges, j);
          seen = strcmp (g->kind, h->kind) == 0
                 && strcmp (g->name, h->name) == 0;
        }
      if (!seen)
        plot_group (out, s, i);
    }
}
