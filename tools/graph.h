/* The world as a Graphviz digraph: every node and link of the simulated
 * topology, and over it each traffic's path (the nodes its first request's
 * steps passed, DNS aside) in green when delivered or red otherwise, with
 * the deciding node drawn bold. Labels longer than 200 bytes are cut. */
#ifndef TOOLS_GRAPH_H
#define TOOLS_GRAPH_H

#include <glib.h>

#include "models/format/scenario.h"
#include "models/build/summary.h"
#include "models/world/world.h"

void tools_graph_dot (GString *out, const CloudRunScenario *scenario,
                      CloudRunWorld *world,
                      const CloudRunTrafficSummary *summaries);
/* Renders dot text to SVG with Graphviz's dot (SIGPIPE ignored while it
 * runs). FALSE and nothing in svg when dot is not installed (error left
 * unset: the picture is optional) or when it fails or exits early (error
 * says how, with the first line dot wrote on stderr). */
gboolean tools_graph_svg (const GString *dot, GString *svg, GError **error);

#endif
