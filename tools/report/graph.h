/* The world as a Graphviz digraph, left to right: the simulated topology
 * folded and boxed as tools/report/graph-picture.h says (a service's instances
 * one node with their count, settings on the nodes), and over it each
 * traffic's path (the nodes its first request's steps passed, DNS aside)
 * in green when delivered or red and dashed otherwise (so that colour is
 * not the only difference), named on its edges; the hop that decided a
 * refused or dropped traffic has its cause on the edge into it, which
 * ends in a bar, and a bold frame; a legend box explains the colours and
 * the lines. Labels longer than 200 bytes are cut. */
#ifndef TOOLS_GRAPH_H
#define TOOLS_GRAPH_H

#include <glib.h>

#include "models/format/scenario.h"
#include "tools/report/summary.h"
#include "models/world/world.h"

void tools_graph_dot (GString *out, const CloudRunScenario *scenario,
                      CloudRunWorld *world,
                      const CloudRunTrafficSummary *summaries);
/* The same for one traffic (traffic not NULL): only the nodes its first
 * request passed and their boxes, and its path alone. */
void tools_graph_dot_traffic (GString *out, const CloudRunScenario *scenario,
                              CloudRunWorld *world,
                              const CloudRunTrafficSummary *summaries,
                              const char *traffic);
/* The same without the title, the legend and the traffic's name on its
 * edges, only the cause (report.html shows it under the traffic's name,
 * the whole picture above has the legend). */
void tools_graph_dot_path (GString *out, const CloudRunScenario *scenario,
                           CloudRunWorld *world,
                           const CloudRunTrafficSummary *summaries,
                           const char *traffic);
/* Renders dot text to SVG with Graphviz's dot (SIGPIPE ignored while it
 * runs); natural: at its natural size, the graph's size attribute
 * ignored (text at its point size; a page scrolls what is wider). FALSE
 * and nothing in svg when dot is not installed (error left unset: the
 * picture is optional) or when it fails or exits early (error says how,
 * with the first line dot wrote on stderr). */
gboolean tools_graph_svg (const GString *dot, gboolean natural, GString *svg,
                          GError **error);

#endif
