/* The worlds bench-e2e runs (tools/benchmarks/bench-e2e.c), as scenario text in
 * the format of docs/scenario-format.md:
 *
 * - simple: scenario 01 scaled: CLIENTS internet clients send their share
 *   of REQUESTS GETs to one public service.
 * - mixed: one traffic per way out of Cloud Run that the scenarios show
 *   (see bench_world_text), REQUESTS split among them.
 *
 * Both have enough instances, concurrency, connector instances and NAT
 * ports that every request is delivered. */
#ifndef TOOLS_BENCH_WORLD_H
#define TOOLS_BENCH_WORLD_H

#include <glib.h>

typedef enum {
  BENCH_WORLD_SIMPLE,
  BENCH_WORLD_MIXED,
} BenchWorld;

/* "simple" or "mixed"; FALSE for anything else. */
gboolean bench_world_parse (const char *name, BenchWorld *out);
const char *bench_world_name (BenchWorld world);
/* The fewest requests the world takes (one per traffic). */
guint bench_world_min_requests (BenchWorld world, guint clients);
/* The scenario text; clients only counts in the simple world. */
GString *bench_world_text (BenchWorld world, guint requests, guint clients);

#endif
