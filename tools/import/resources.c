/* The neutral model of the resources read: one ImportRes per resource,
 * references as written (resolved by emit.c), and the list of what is
 * not modelled. */
#include "tools/import/import-private.h"

#include <stdarg.h>
#include <string.h>

/* A printable one-line copy: control characters become '?'. */
static char *
one_line (const char *text)
{
  char *out = g_strdup (text ? text : "");

  for (char *p = out; *p; p++)
    if ((unsigned char) *p < ' ' || *p == 0x7f)
      *p = '?';
  return out;
}

ImportRes *
import_res_new (ImportSrc *s, ImportKind kind, const char *project,
                const char *region, const char *name)
{
  ImportRes *r = g_new0 (ImportRes, 1);
  g_autofree char *origin = one_line (s->origin ? s->origin : name);

  r->kind = kind;
  r->project = project && *project ? g_strdup (project) : NULL;
  r->region = region && *region ? g_strdup (region) : NULL;
  r->name = g_strdup (name);
  if (s->line)
    r->origin = g_strdup_printf ("%s:%u %s", s->file, s->line, origin);
  else
    r->origin = g_strdup_printf ("%s %s", s->file, origin);
  r->priority = r->min_instances = r->max_instances = r->concurrency = -1;
  r->min_ports = r->tcp_time_wait = r->n_addresses = -1;
  r->tasks = r->parallelism = -1;
  r->pga = r->default_url = r->external_ip = r->default_route = -1;
  r->invoker_iam_disabled = -1;
  r->iap = -1;
  r->export_routes = r->import_routes = -1;
  r->prefix_len = -1;
  r->refs = g_ptr_array_new_with_free_func ((GDestroyNotify) import_ref_free);
  g_ptr_array_add (s->model->res, r);
  return r;
}

/* The segment after key in a path split on '/', or NULL. */
static const char *
after (char **parts, const char *key)
{
  for (guint i = 0; parts[i]; i++)
    if (strcmp (parts[i], key) == 0 && parts[i + 1] && *parts[i + 1])
      return parts[i + 1];
  return NULL;
}

ImportRef *
import_ref_new (const char *text, const char *project, const char *region)
{
  ImportRef *ref = g_new0 (ImportRef, 1);
  g_auto (GStrv) parts = g_strsplit (text, "/", -1);
  guint n = g_strv_length (parts);
  const char *p, *r, *z;

  ref->text = g_strdup (text);
  ref->name = g_strdup (n ? parts[n - 1] : text);
  p = after (parts, "projects");
  ref->project = g_strdup (p ? p : project);
  r = after (parts, "regions");
  if (!r)
    r = after (parts, "locations");
  z = after (parts, "zones");
  if (r)
    ref->region = g_strdup (r);
  else if (z)
    ref->region = import_zone_region (z);
  else if (!strchr (text, '/'))
    ref->region = g_strdup (region);
  return ref;
}

void
import_ref_free (ImportRef *ref)
{
  if (!ref)
    return;
  g_free (ref->project);
  g_free (ref->region);
  g_free (ref->name);
  g_free (ref->text);
  g_free (ref);
}

void
import_not_modelled (ImportSrc *s, const char *format, ...)
{
  va_list ap;
  g_autofree char *what = NULL, *origin = NULL;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  origin = one_line (s->origin ? s->origin : "");
  if (s->line)
    g_ptr_array_add (s->model->not_modelled,
                     g_strdup_printf ("%s:%u %s: %s", s->file, s->line,
                                      origin, what));
  else
    g_ptr_array_add (s->model->not_modelled,
                     g_strdup_printf ("%s %s: %s", s->file, origin, what));
}

void
import_project_number (ImportModel *m, const char *id, const char *number)
{
  if (!id || !number || !*id || !*number
      || strspn (number, "0123456789") != strlen (number)
      || strspn (id, "0123456789") == strlen (id))
    return;
  if (!g_hash_table_contains (m->numbers, number))
    g_hash_table_insert (m->numbers, g_strdup (number), g_strdup (id));
}

void
import_unknown_type (ImportModel *m, const char *type)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (m->unknown, type));

  g_hash_table_replace (m->unknown, g_strdup (type), GUINT_TO_POINTER (n + 1));
}
