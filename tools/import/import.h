/* tools/import/: configurations in, a scenario out (`cloudrun-netsim
 * import`). Reads Cloud Asset Inventory exports, `terraform show -json`
 * of a plan or a state and per-resource `gcloud ... --format=json`
 * outputs, detected by content, into a neutral model of the cloud
 * resources (resources.c), and writes a scenario (emit.c) that loads
 * through the door. The room includes glib, json-glib, itself and the
 * door, nothing else of the project. */
#ifndef TOOLS_IMPORT_H
#define TOOLS_IMPORT_H

#include <glib.h>

G_BEGIN_DECLS

/* The largest input file read, and the deepest JSON nesting accepted. */
#define IMPORT_MAX_BYTES ((gsize) 256 << 20)
#define IMPORT_MAX_DEPTH 64

/* Reads paths (n of them), writes the scenario text to out and one line
 * per resource type or field that matters and is not modelled to
 * not_modelled (without the "not modelled: " prefix; the same lines are
 * in the comment block at the top of out). FALSE with error (naming the
 * file, its line for NDJSON and the JSON path) when an input cannot be
 * read or mapped, or when the scenario made does not load. */
gboolean import_files (const char *const *paths, guint n, GString *out,
                       GPtrArray *not_modelled, GError **error);

G_END_DECLS

#endif
