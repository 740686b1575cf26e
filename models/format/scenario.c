/* The scenario loader: bytes of a format 1 scenario file
 * (docs/scenario-format.md) into a CloudRunScenario.
 *
 * Steps, each stopping at the first problem with a message naming file,
 * group and key:
 *   1-3. raw text, GKeyFile, unsets and overrides, format
 *        (models/format/scenario-scan.c);
 *   4. one object per group, kinds and names checked, in file order
 *      ([sweep] makes none: it is cloudrun-netsim sweep's, tools/cli/sweep.c);
 *   5. fill every key through the kind's table (models/format/scenario-keys.c),
 *      then the table's defaults, then the required keys;
 *   6. references and cross checks (models/format/scenario-check.c, then
 *      models/format/scenario-check-traffic.c).
 *
 * Called by tools/ with the bytes it read; never opens files or prints. */
#include "models/format/scenario-private.h"
#include "models/format/service-url.h"

#include <string.h>

/* ---- 4. Objects --------------------------------------------------- */

static void
object_clear (const CloudRunKindInfo *info, CloudRunSpecObject *object)
{
  for (guint i = 0; i < info->n_keys; i++)
    cloudrun_key_clear (&info->keys[i], object);
  cloudrun_object_clear_derived (object);
  g_clear_pointer (&object->name, g_free);
  g_clear_pointer (&object->group, g_free);
}

static void
object_free (gpointer data)
{
  CloudRunSpecObject *object = data;

  object_clear (cloudrun_kind_info (object->kind), object);
  g_free (object);
}

static CloudRunScenario *
scenario_new (const char *path)
{
  CloudRunScenario *s = g_new0 (CloudRunScenario, 1);

  s->path = g_strdup (path);
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      if (info->singleton)
        continue;
      G_STRUCT_MEMBER (GPtrArray *, s, info->list_offset)
        = g_ptr_array_new_with_free_func (object_free);
      s->names[k] = g_hash_table_new (g_str_hash, g_str_equal);
    }
  return s;
}

/* The object of a group: the scenario itself, its assumptions, or a new
 * object appended to the kind's list. */
static CloudRunSpecObject *
object_new (CloudRunScenario *s, const CloudRunKindInfo *info,
            const char *name, const char *header, guint line)
{
  CloudRunSpecObject *o;

  if (info->kind == CLOUDRUN_KIND_SCENARIO)
    o = &s->base;
  else if (info->kind == CLOUDRUN_KIND_ASSUMPTIONS)
    o = &s->assumptions.base;
  else
    {
      o = g_malloc0 (info->size);
      g_ptr_array_add (cloudrun_scenario_objects (s, info->kind), o);
    }
  o->kind = info->kind;
  o->name = g_strdup (name);
  o->group = g_strdup (header);
  o->line = line;
  if (name != NULL)
    g_hash_table_insert (s->names[info->kind], o->name, o);
  return o;
}

static gboolean
fail_group (CloudRunLoader *ld, GError **error, const char *header,
            const char *expected, const char *found, const char *suggestion)
{
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                         header, NULL, expected, found, suggestion);
  return FALSE;
}

static gboolean
make_object (CloudRunLoader *ld, CloudRunScenario *s, CloudRunScanGroup *g,
             GError **error)
{
  const char *space = strchr (g->header, ' ');
  g_autofree char *kind = g_strndup (g->header, space ? (gsize) (space
                                                         - g->header)
                                                       : strlen (g->header));
  const char *name = space ? space + 1 : NULL;
  const CloudRunKindInfo *info = cloudrun_kind_lookup (kind);
  const char *kinds[CLOUDRUN_KIND_COUNT + 1] = { NULL };
  g_autofree char *found = cloudrun_quote (kind), *expected = NULL;

  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    kinds[k] = cloudrun_kind_info ((CloudRunKind) k)->name;
  /* [sweep] is for cloudrun-netsim sweep (tools/cli/sweep.c): no object. */
  if (strcmp (kind, CLOUDRUN_SWEEP_GROUP) == 0)
    return name == NULL || fail_group (ld, error, g->header, "[sweep] "
                                       "without a name", "a name", NULL);
  if (info == NULL)
    return fail_group (ld, error, g->header, "a group kind such as service, "
                       "network or traffic (cloudrun-netsim keys lists "
                       "them)", found, cloudrun_suggest (kind, kinds));
  expected = g_strdup_printf (info->singleton ? "[%s] without a name"
                                              : "[%s NAME]", kind);
  if (info->singleton != (name == NULL))
    return fail_group (ld, error, g->header, expected,
                       name ? "a name" : "no NAME", NULL);
  if (info->kind == CLOUDRUN_KIND_SERVICE
      && strlen (name) > CLOUDRUN_SERVICE_NAME_MAX)
    {
      g_autofree char *n = g_strdup_printf ("'%s' (%zu characters)", name,
                                            strlen (name));
      return fail_group (ld, error, g->header, "a service name of at most "
                         "49 characters (it becomes part of a host name)",
                         n, NULL);
    }
  g->object = object_new (s, info, name, g->header, g->line);
  return TRUE;
}

/* ---- 5. Keys ------------------------------------------------------ */

static gboolean
apply_defaults (const CloudRunLoadContext *ctx, const CloudRunKindInfo *info,
                CloudRunSpecObject *o, GError **error)
{
  for (guint i = 0; i < info->n_keys; i++)
    {
      const CloudRunKey *key = &info->keys[i];
      CloudRunProblem p = { 0 };
      if (o->set & (G_GUINT64_CONSTANT (1) << i))
        continue;
      if (key->flags & CLOUDRUN_KEY_REQUIRED)
        {
          g_autofree char *expected = cloudrun_key_expected (key);
          cloudrun_problem_set (&p, expected, NULL);
          p.hint = g_strdup ("the key is required");
          cloudrun_fail (error, CLOUDRUN_SCENARIO_ERROR_KEY,
                         cloudrun_load_file_label (ctx, o, key->name),
                         o->group,
                         key->name, &p);
          cloudrun_problem_clear (&p);
          return FALSE;
        }
      if (key->default_text != NULL
          && !cloudrun_key_parse (key, key->default_text, o, &p))
        g_error ("default of %s.%s does not parse: %s", info->name,
                 key->name, p.expected);
    }
  return TRUE;
}

/* The text of a key, unescaped for STRING keys; NULL with error set on a
 * bad escape. */
static char *
key_text (CloudRunLoader *ld, CloudRunScanGroup *g, const CloudRunKey *key,
          GError **error)
{
  g_autoptr (GError) local = NULL;
  char *text;

  if (key->type != CLOUDRUN_KEY_STRING)
    text = g_key_file_get_value (ld->key_file, g->header, key->name, NULL);
  else
    text = g_key_file_get_string (ld->key_file, g->header, key->name,
                                  &local);
  if (local != NULL)
    {
      g_free (text);
      g_autofree char *raw = g_key_file_get_value (ld->key_file, g->header,
                                                   key->name, NULL);
      g_autofree char *found = cloudrun_quote (raw ? raw : "");
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_VALUE,
                             cloudrun_load_file_label (&ld->ctx, g->object,
                                                       key->name),
                             g->header, key->name, "text whose only "
                             "escapes are \\s \\n \\t \\r \\\\", found, NULL);
      return NULL;
    }
  return g_strstrip (text != NULL ? text : g_strdup (""));
}

static gboolean
fill_key (CloudRunLoader *ld, CloudRunScanGroup *g,
          const CloudRunKindInfo *info, CloudRunScanKey *k, GError **error)
{
  guint index;
  const CloudRunKey *key = cloudrun_kind_key (info, k->name, &index);
  g_autofree char *text = NULL;
  const char *label = cloudrun_load_file_label (&ld->ctx, g->object,
                                                k->name);
  CloudRunProblem p = { 0 };

  if (key == NULL)
    {
      g_autofree const char **names = g_new0 (const char *, info->n_keys + 1);
      g_autofree char *expected = g_strdup_printf (
          info->singleton ? "a key of [%s] (cloudrun-netsim keys %s)%s"
                          : "a key of [%s NAME] (cloudrun-netsim keys %s)%s",
          info->name, info->name,
          /* Cloud Armor's backend policies: external ALBs only. */
          strcmp (k->name, "security-policy") == 0
          ? "; a Cloud Armor security-policy attaches to an [external-alb] "
            "only" : "");
      g_autofree char *found = cloudrun_quote (k->name);
      for (guint i = 0; i < info->n_keys; i++)
        names[i] = info->keys[i].name;
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_KEY, label,
                             g->header, k->name, expected, found,
                             cloudrun_suggest (k->name, names));
      return FALSE;
    }
  text = key_text (ld, g, key, error);
  if (text == NULL)
    return FALSE;
  if (!cloudrun_key_parse (key, text, g->object, &p))
    {
      cloudrun_fail (error, CLOUDRUN_SCENARIO_ERROR_VALUE, label, g->header,
                     k->name, &p);
      cloudrun_problem_clear (&p);
      return FALSE;
    }
  g->object->set |= G_GUINT64_CONSTANT (1) << index;
  return TRUE;
}

static gboolean
build_objects (CloudRunLoader *ld, CloudRunScenario *s, GError **error)
{
  const CloudRunKindInfo *info;

  for (guint i = 0; i < ld->groups->len; i++)
    if (!make_object (ld, s, ld->groups->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < ld->groups->len; i++)
    {
      CloudRunScanGroup *g = ld->groups->pdata[i];
      if (g->object == NULL)
        continue;               /* [sweep] */
      info = cloudrun_kind_info (g->object->kind);
      for (guint j = 0; j < g->keys->len; j++)
        if (!fill_key (ld, g, info, g->keys->pdata[j], error))
          return FALSE;
      if (!apply_defaults (&ld->ctx, info, g->object, error))
        return FALSE;
    }
  if (s->assumptions.base.group == NULL)
    {
      info = cloudrun_kind_info (CLOUDRUN_KIND_ASSUMPTIONS);
      object_new (s, info, NULL, "assumptions", 0);
      apply_defaults (&ld->ctx, info, &s->assumptions.base, error);
    }
  if (s->projects->len == 0)
    {
      info = cloudrun_kind_info (CLOUDRUN_KIND_PROJECT);
      CloudRunSpecProject *p = (CloudRunSpecProject *) object_new (
          s, info, "default", "project default", 0);
      p->implicit = TRUE;
      apply_defaults (&ld->ctx, info, &p->base, error);
    }
  return TRUE;
}

/* ---- Life cycle --------------------------------------------------- */

CloudRunScenario *
cloudrun_scenario_load (const char *path, const char *data, gsize len,
                        const char *const *overrides, GError **error)
{
  return cloudrun_scenario_load_full (path, data, len, overrides, NULL,
                                      error);
}

CloudRunScenario *
cloudrun_scenario_load_full (const char *path, const char *data, gsize len,
                             const char *const *overrides,
                             const char *const *unsets, GError **error)
{
  CloudRunLoader ld;
  CloudRunScenario *s = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  cloudrun_loader_init (&ld, path);
  ok = cloudrun_loader_read (&ld, data != NULL ? data : "", len, overrides,
                             unsets, error);
  if (ok)
    {
      s = scenario_new (path);
      ok = build_objects (&ld, s, error)
           && cloudrun_scenario_check (s, &ld.ctx, error);
    }
  cloudrun_loader_clear (&ld);
  if (!ok)
    g_clear_pointer (&s, cloudrun_scenario_free);
  return s;
}

void
cloudrun_scenario_free (CloudRunScenario *s)
{
  if (s == NULL)
    return;
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      if (!info->singleton)
        g_ptr_array_unref (G_STRUCT_MEMBER (GPtrArray *, s,
                                            info->list_offset));
      g_clear_pointer (&s->names[k], g_hash_table_unref);
    }
  object_clear (cloudrun_kind_info (CLOUDRUN_KIND_ASSUMPTIONS),
                &s->assumptions.base);
  object_clear (cloudrun_kind_info (CLOUDRUN_KIND_SCENARIO), &s->base);
  g_free (s->path);
  g_free (s);
}

/* ---- Queries ------------------------------------------------------ */

GPtrArray *
cloudrun_scenario_objects (const CloudRunScenario *s, CloudRunKind kind)
{
  const CloudRunKindInfo *info = cloudrun_kind_info (kind);

  g_return_val_if_fail (info != NULL && !info->singleton, NULL);
  return G_STRUCT_MEMBER (GPtrArray *, s, info->list_offset);
}

gpointer
cloudrun_scenario_find (const CloudRunScenario *s, CloudRunKind kind,
                        const char *name)
{
  g_return_val_if_fail (kind < CLOUDRUN_KIND_COUNT, NULL);
  if (s->names[kind] == NULL || name == NULL)
    return NULL;
  return g_hash_table_lookup (s->names[kind], name);
}

gboolean
cloudrun_object_has (const CloudRunSpecObject *object, const char *key)
{
  guint index;

  if (cloudrun_kind_key (cloudrun_kind_info (object->kind), key, &index)
      == NULL)
    return FALSE;
  return (object->set >> index) & 1;
}

guint
cloudrun_traffic_senders (const CloudRunSpecTraffic *t)
{
  if (t->from.kind == CLOUDRUN_KIND_JOB
      || t->from.kind == CLOUDRUN_KIND_WORKER_POOL)
    return (guint) t->from.worker->instances;
  return 1;
}
