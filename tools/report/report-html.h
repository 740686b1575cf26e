/* report.html: the run's report as one self-contained page for a class
 * (a projector): the scenario's title and lesson, the verdict table, the
 * topology picture inline (the SVG dot drew, or a note why there is none), the
 * load over time (small inline SVG charts), each traffic's first request step
 * by step with the deciding step highlighted and what the caller lived through,
 * the expectations, the services' URLs and the run's outputs. No network fetch
 * and no script: inline CSS only. Every text from the scenario is escaped. The
 * same run gives the same bytes. */
#ifndef TOOLS_REPORT_HTML_H
#define TOOLS_REPORT_HTML_H

#include <glib.h>

#include "tools/session/output.h"
#include "tools/report/report.h"

/* Formats the page into out. svg: what dot wrote (its XML prolog and
 * doctype are left out), or NULL when there is no picture; graph_note
 * then says why (NULL: Graphviz was not found). outputs: the names the
 * run writes, sorted, NULL-terminated ("pcap/x.pcap" for pcap/'s files). */
void tools_report_html (GString *out, const ToolsReport *report,
                        const GString *svg, const char *graph_note,
                        const char *const *outputs);

/* The "Load over time" section (tools/report/report-series.c): a small chart
 * per service, Direct VPC subnet, Cloud NAT gateway and connector with a
 * gauge that changed after time 0; nothing when none did. Finishes
 * series. */
void tools_report_html_series (GString *out, CloudRunSeries *series);

/* Formats the page, its outputs list being what out's staging directory
 * holds plus report.html, and writes it there as report.html. */
gboolean tools_report_html_write (ToolsOutput *out, const ToolsReport *report,
                                  const GString *svg, const char *graph_note,
                                  GError **error);

#endif
