/* report.html: the run's report as one self-contained page for a class
 * (a projector): the scenario's title and lesson, a table of contents, the
 * verdict table, the topology picture inline at its natural size (the SVG
 * dot drew, or a note why there is none), the load over time (small inline
 * SVG charts), each traffic in a closed <details> section with its own
 * picture and its first request step by step, the deciding step
 * highlighted, and what the caller lived through, the expectations, the
 * services' URLs and the run's outputs. It fits a page 1280 pixels wide
 * (the pictures scroll inside their frames). No network fetch
 * and no script: inline CSS only. Every text from the scenario is escaped. The
 * same run gives the same bytes. */
#ifndef TOOLS_REPORT_HTML_H
#define TOOLS_REPORT_HTML_H

#include <glib.h>

#include "tools/session/output.h"
#include "tools/report/report.h"

/* Formats the page into out. svg: what dot wrote (its XML prolog and
 * doctype are left out), or NULL when there is no picture; graph_note
 * then says why (NULL: Graphviz was not found). paths: per traffic, a
 * GString of what dot wrote for its own picture (empty: none), or NULL.
 * outputs: the names the run writes, sorted, NULL-terminated
 * ("pcap/x.pcap" for pcap/'s files). */
void tools_report_html (GString *out, const ToolsReport *report,
                        const GString *svg, const char *graph_note,
                        const GPtrArray *paths, const char *const *outputs);

/* The "Load over time" section (tools/report/report-series.c): a small chart
 * per service, Direct VPC subnet, Cloud NAT gateway and connector with a
 * gauge that changed after time 0; nothing when none did. Finishes
 * series. */
void tools_report_html_series (GString *out, CloudRunSeries *series);

/* Appends text escaped for the page (HTML and XML alike): invalid UTF-8
 * as U+FFFD, control characters but tab and line breaks as '?'. */
void tools_report_html_escape (GString *out, const char *text);

/* The parts of the page in tools/report/report-html-parts.c. The SVG
 * element of what dot wrote (from "<svg" on), its ids prefixed with
 * prefix (each picture's are its own); FALSE when there is none. */
gboolean tools_report_html_svg (GString *out, const GString *svg,
                                const char *prefix);
/* The frames' inner widths at a window 1280 pixels wide (its scroll bar
 * 15, the page's margins 64, a traffic's section's 28, a frame's
 * borders 4). */
#define HTML_PICTURE_PX 1197
#define HTML_PATH_PX 1169
/* Whether that picture may be scaled down to fit a frame frame_px wide
 * and keep its text at 12 pixels or more. */
gboolean tools_report_html_svg_fits (const GString *svg, int frame_px);
/* "The picture": svg at its natural size in a frame that scrolls, or a
 * note why there is none (graph_note, or Graphviz missing). */
void tools_report_html_picture (GString *out, const GString *svg,
                                const char *graph_note);
/* The table of contents; load: the page has "Load over time". */
void tools_report_html_toc (GString *out, const ToolsReport *report,
                            gboolean load);

/* A warning under the title when the run changed the file (--set,
 * --unset, --seed); nothing when p is NULL or the file ran as written. */
void tools_report_html_overrides (GString *out, const ToolsProvenance *p);
/* "How this report was made": program, file digest, seed, overrides and
 * the assumptions in force. */
void tools_report_html_provenance (GString *out, const ToolsProvenance *p);

/* Formats the page, its outputs list being what out's staging directory
 * holds plus report.html, and writes it there as report.html. */
gboolean tools_report_html_write (ToolsOutput *out, const ToolsReport *report,
                                  const GString *svg, const char *graph_note,
                                  const GPtrArray *paths, GError **error);

#endif
