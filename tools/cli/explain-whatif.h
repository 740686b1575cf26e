/* explain's "what would change it" (tools/cli/explain-whatif.c). */
#ifndef TOOLS_EXPLAIN_WHATIF_H
#define TOOLS_EXPLAIN_WHATIF_H

#include <glib.h>

#include "tools/session/run.h"

/* Appends, after a blank line, the single --set changes of the scenario
 * opt loads that change the fate (outcome, status, classification, cause)
 * of request index (0-based) of traffic from what seen showed, each with
 * the fate it gets, re-simulating once per candidate. */
void tools_explain_what_if (GString *out, const ToolsRunOptions *opt,
                            const ToolsRun *seen, guint traffic,
                            uint32_t index);

#endif
