/* requests.jsonl: one JSON object per line per request, written as the
 * requests settle (a ledger watcher, models/world/request.h), through a
 * buffered file in the run's staging directory; nothing is kept per request, so
 * memory does not grow with the count. Called by tools/session/run.c: begin
 * before the run, end after the ledger closed (cloudrun_summary_new).
 *
 * Order: the requests that finished, in the order they finished; then
 * those unfinished when the run ended, by id; then, per traffic in
 * traffic order, one line for its run of requests never begun: the first
 * of them, with never_begun = how many. Each line holds traffic, index
 * (1-based), id, start_ns, end_ns, outcome, status, classified, cause,
 * decided_at, decided_node, latency_ns and via, then revision for a
 * request the GFE sent to a [revision] (absent otherwise), and never_begun
 * on that last kind of line; an absent value is null (docs/outputs.md). */
#ifndef TOOLS_REQUESTS_H
#define TOOLS_REQUESTS_H

#include <glib.h>
#include <stdio.h>

#include "models/world/world.h"
#include "tools/session/output.h"

/* The name of the file in the output directory. */
#define TOOLS_REQUESTS_NAME "requests.jsonl"

/* Creates staging/requests.jsonl and watches world's ledger (the ledger
 * owns the watcher; it closes the file if end is never called). */
/* The same onto f (owned: end closes it); name is for messages. */
void tools_requests_begin_stream (CloudRunWorld *world, FILE *f,
                                  const char *name);
gboolean tools_requests_begin (CloudRunWorld *world, ToolsOutput *out,
                               GError **error);
/* After the ledger closed: flushes and closes the file. FALSE, with an
 * error naming the file, when any write or the close failed. */
gboolean tools_requests_end (CloudRunWorld *world, GError **error);
/* Bytes written to requests.jsonl so far; 0 when it is not written. */
guint64 tools_requests_bytes (CloudRunWorld *world);

#endif
