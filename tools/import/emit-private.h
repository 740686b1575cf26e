/* What emit.c shares with the files that resolve parts of the model for
 * it (emit-managed.c): the emit state and its lookups. */
#ifndef TOOLS_IMPORT_EMIT_PRIVATE_H
#define TOOLS_IMPORT_EMIT_PRIVATE_H

#include "tools/import/import-private.h"

typedef struct {
  ImportModel *m;
  GHashTable *exact;            /* "kind|project|region|name" -> res */
  GHashTable *by_name;          /* "kind|name" -> GPtrArray of res */
  GHashTable *routes_seen;      /* network res -> 1: a REST route names it */
  gboolean multi_project;
} Emit;

/* The resource of kind a reference names (by project, region and name,
 * else the only one of that name), or NULL; borrowed. */
ImportRes *import_emit_find (Emit *e, ImportKind k, const ImportRef *ref);
/* The network ref names, made with its defaults (and said) when the
 * input lacks it; borrowed. */
ImportRes *import_emit_network_for (Emit *e, ImportRes *from,
                                    const ImportRef *ref);
/* Makes r (owned by the model) findable. */
void import_emit_index (Emit *e, ImportRes *r);
/* Says, in the not-modelled list, something about r. */
void import_emit_note (Emit *e, ImportRes *r, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* emit-managed.c: the private connections and each managed instance's
 * (into its backend), after references are resolved; then, once groups
 * are named (sorted in the order written), the addresses of p's
 * instances. */
void import_emit_psa (Emit *e);
void import_emit_place (Emit *e, GPtrArray *sorted, ImportRes *p);

#endif
