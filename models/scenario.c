/* The scenario loader: bytes of a format 1 scenario file
 * (SCENARIO-FORMAT.md) into a CloudRunScenario.
 *
 * Steps, each stopping at the first problem with a message naming file,
 * group and key:
 *   1. scan the raw text: UTF-8, line shapes, group headers, repeated
 *      groups and keys, trailing comments (GKeyFile would silently merge
 *      repeated groups and keep " # ..." in values, so we look first);
 *   2. parse it with GKeyFile and apply the --set overrides;
 *   3. check [scenario] format = 1 before anything that a later format
 *      might change;
 *   4. one object per group, kinds and names checked, in file order;
 *   5. fill every key through the kind's table (models/scenario-keys.c),
 *      then the table's defaults, then the required keys;
 *   6. references and cross checks (models/scenario-check.c).
 *
 * Called by tools/ with the bytes it read; never opens files or prints. */
#include "models/scenario-private.h"
#include "models/service-url.h"

#include <string.h>

typedef struct {
  char *name;                   /* key as written */
  guint line;                   /* line in the file; 0 if only from --set */
} ScanKey;

typedef struct {
  char *header;                 /* text between the brackets */
  guint line;                   /* line of the header; 0 if from --set */
  GPtrArray *keys;              /* ScanKey *, file order */
  GHashTable *index;            /* name -> ScanKey * (not owning) */
  CloudRunObject *object;       /* made in step 4 */
} ScanGroup;

typedef struct {
  const char *path;             /* for messages */
  GPtrArray *groups;            /* ScanGroup *, file order */
  GHashTable *by_header;        /* header -> ScanGroup * (not owning) */
  GKeyFile *key_file;           /* the parsed text plus overrides */
  CloudRunLoadContext ctx;      /* message labels for step 6 */
} Loader;

static void
scan_key_free (gpointer data)
{
  ScanKey *k = data;
  g_free (k->name);
  g_free (k);
}

static void
scan_group_free (gpointer data)
{
  ScanGroup *g = data;
  g_free (g->header);
  g_ptr_array_unref (g->keys);
  g_hash_table_unref (g->index);
  g_free (g);
}

static ScanGroup *
scan_group_add (Loader *ld, const char *header, guint line)
{
  ScanGroup *g = g_new0 (ScanGroup, 1);

  g->header = g_strdup (header);
  g->line = line;
  g->keys = g_ptr_array_new_with_free_func (scan_key_free);
  g->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (ld->groups, g);
  g_hash_table_insert (ld->by_header, g->header, g);
  return g;
}

static ScanKey *
scan_key_add (ScanGroup *g, const char *name, guint line)
{
  ScanKey *k = g_new0 (ScanKey, 1);

  k->name = g_strdup (name);
  k->line = line;
  g_ptr_array_add (g->keys, k);
  g_hash_table_insert (g->index, k->name, k);
  return k;
}

const char *
cloudrun_load_file_label (const CloudRunLoadContext *ctx,
                          const CloudRunObject *object, const char *key)
{
  g_autofree char *id = NULL;

  if (object == NULL || key == NULL || object->group == NULL)
    return ctx->path;
  id = g_strconcat (object->group, "\n", key, NULL);
  return g_hash_table_contains (ctx->overridden, id) ? ctx->set_label
                                                     : ctx->path;
}

/* ---- 1. Raw text -------------------------------------------------- */

static gboolean
fail_line (Loader *ld, GError **error, guint line, const char *expected,
           const char *text)
{
  g_autofree char *where = g_strdup_printf ("%s: line %u", ld->path, line);
  g_autofree char *found = cloudrun_quote (text);

  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_SYNTAX, where, NULL,
                         NULL, expected, found, NULL);
  return FALSE;
}

static gboolean
check_utf8 (Loader *ld, const char *data, gsize len, GError **error)
{
  const char *end;
  g_autofree char *where = NULL, *found = NULL;
  guint line = 1;

  if (g_utf8_validate_len (data, len, &end))
    return TRUE;
  for (const char *p = data; p < end; p++)
    line += *p == '\n';
  where = g_strdup_printf ("%s: line %u", ld->path, line);
  found = *end == '\0' ? g_strdup ("a NUL byte (binary data?)")
                       : g_strdup_printf ("the byte 0x%02x",
                                          (guint) (guchar) *end);
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_SYNTAX, where, NULL,
                         NULL, "UTF-8 text (a GLib key file)", found, NULL);
  return FALSE;
}

/* [scenario], [assumptions] or [KIND NAME] with one space. */
static gboolean
header_shape_ok (const char *header)
{
  const char *space = strchr (header, ' ');
  g_autofree char *kind = NULL;

  if (space == NULL)
    return cloudrun_name_is_valid (header);
  kind = g_strndup (header, (gsize) (space - header));
  return cloudrun_name_is_valid (kind) && cloudrun_name_is_valid (space + 1);
}

static gboolean
scan_header (Loader *ld, const char *line_text, guint line, ScanGroup **group,
             GError **error)
{
  g_autofree char *text = g_strchomp (g_strdup (line_text));
  gsize len = strlen (text);
  g_autofree char *header = NULL;
  ScanGroup *seen;

  if (len < 2 || text[len - 1] != ']' || strpbrk (text + 1, "[") != NULL
      || strchr (text, ']') != text + len - 1)
    return fail_line (ld, error, line, "a group header such as "
                      "[service NAME]", text);
  header = g_strndup (text + 1, len - 2);
  if (!header_shape_ok (header))
    {
      g_autofree char *found = cloudrun_quote (text);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                             header, NULL, "a header [KIND NAME] with NAME "
                             "matching [a-z][a-z0-9-]{0,62}, or [scenario] "
                             "or [assumptions]", found, NULL);
      return FALSE;
    }
  seen = g_hash_table_lookup (ld->by_header, header);
  if (seen != NULL)
    {
      g_autofree char *found = g_strdup_printf (
          "it again on line %u (first on line %u)", line, seen->line);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                             header, NULL, "each group once", found, NULL);
      return FALSE;
    }
  *group = scan_group_add (ld, header, line);
  return TRUE;
}

static gboolean
key_shape_ok (const char *key)
{
  gsize n = strlen (key);
  return n > 0 && strspn (key, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static gboolean
scan_key_line (Loader *ld, const char *text, guint line, ScanGroup *group,
               GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *key = NULL;
  const char *value;
  ScanKey *seen;

  if (eq == NULL)
    return fail_line (ld, error, line, "a group header, a key = value line "
                      "or a # comment", text);
  if (group == NULL)
    return fail_line (ld, error, line, "a group header such as [scenario] "
                      "before the first key", text);
  key = g_strchomp (g_strndup (text, (gsize) (eq - text)));
  value = eq + 1;
  while (g_ascii_isspace (*value))
    value++;
  if (!key_shape_ok (key))
    return fail_line (ld, error, line, "a key of letters, digits and '-' "
                      "before '='", text);
  seen = g_hash_table_lookup (group->index, key);
  if (seen != NULL)
    {
      g_autofree char *found = g_strdup_printf (
          "it again on line %u (first on line %u)", line, seen->line);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_KEY, ld->path,
                             group->header, key, "each key once per group",
                             found, NULL);
      return FALSE;
    }
  if (value[0] == '#' || strstr (value, " #") || strstr (value, "\t#"))
    {
      CloudRunProblem p = { 0 };
      cloudrun_problem_set (&p, "a value without a trailing comment", value);
      p.hint = g_strdup ("move the comment to its own line");
      cloudrun_fail (error, CLOUDRUN_SCENARIO_ERROR_VALUE, ld->path,
                     group->header, key, &p);
      cloudrun_problem_clear (&p);
      return FALSE;
    }
  scan_key_add (group, key, line);
  return TRUE;
}

static gboolean
scan_text (Loader *ld, const char *text, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  ScanGroup *group = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *p = lines[i];
      gsize len = strlen (p);
      if (len > 0 && p[len - 1] == '\r')
        p[len - 1] = '\0';
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0' || *p == '#')
        continue;
      if (*p == '[' ? !scan_header (ld, p, i + 1, &group, error)
                    : !scan_key_line (ld, p, i + 1, group, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- 2. GKeyFile and overrides ------------------------------------ */

static gboolean
load_key_file (Loader *ld, const char *text, gsize len, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *found = NULL;

  ld->key_file = g_key_file_new ();
  if (g_key_file_load_from_data (ld->key_file, text, len, G_KEY_FILE_NONE,
                                 &local))
    return TRUE;
  found = g_strdup_printf ("text it cannot read (%s)", local->message);
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_SYNTAX, ld->path,
                         NULL, NULL, "a GLib key file", found, NULL);
  return FALSE;
}

static gboolean
fail_override (Loader *ld, GError **error, const char *text)
{
  g_autofree char *found = cloudrun_quote (text);

  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE,
                         ld->ctx.set_label, NULL, NULL, "GROUP.KEY=VALUE "
                         "such as 'service backend.ingress=internal'", found,
                         NULL);
  return FALSE;
}

static ScanGroup *
override_group (Loader *ld, const char *header, GError **error)
{
  ScanGroup *g = g_hash_table_lookup (ld->by_header, header);
  g_autofree const char **headers = NULL;
  g_autofree char *found = NULL;

  if (g != NULL)
    return g;
  if (strcmp (header, "assumptions") == 0)
    return scan_group_add (ld, header, 0);
  headers = (const char **) g_new0 (char *, ld->groups->len + 1);
  for (guint i = 0; i < ld->groups->len; i++)
    headers[i] = ((ScanGroup *) ld->groups->pdata[i])->header;
  found = cloudrun_quote (header);
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE,
                         ld->ctx.set_label, header, NULL,
                         "a group that the file defines", found,
                         cloudrun_suggest (header, headers));
  return NULL;
}

static gboolean
apply_override (Loader *ld, const char *text, GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *lhs = NULL, *value = NULL;
  char *dot;
  ScanGroup *g;

  if (eq == NULL)
    return fail_override (ld, error, text);
  lhs = g_strstrip (g_strndup (text, (gsize) (eq - text)));
  value = g_strstrip (g_strdup (eq + 1));
  dot = strrchr (lhs, '.');
  if (dot == NULL || dot == lhs || !key_shape_ok (dot + 1))
    return fail_override (ld, error, text);
  *dot = '\0';
  g = override_group (ld, lhs, error);
  if (g == NULL)
    return FALSE;
  if (!g_hash_table_contains (g->index, dot + 1))
    scan_key_add (g, dot + 1, 0);
  g_key_file_set_value (ld->key_file, g->header, dot + 1, value);
  g_hash_table_add (ld->ctx.overridden,
                    g_strconcat (g->header, "\n", dot + 1, NULL));
  return TRUE;
}

static gboolean
fail_group_literal (Loader *ld, GError **error, const char *header,
                    const char *expected, const char *found)
{
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                         header, NULL, expected, found, NULL);
  return FALSE;
}

/* ---- 3. Format ---------------------------------------------------- */

static gboolean
check_format (Loader *ld, GError **error)
{
  g_autofree char *value = NULL;
  CloudRunProblem p = { 0 };
  guint64 n;

  if (ld->groups->len == 0)
    {
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_SYNTAX, ld->path,
                             "scenario", NULL, "a [scenario] group with "
                             "format = 1", "an empty file", NULL);
      return FALSE;
    }
  if (!g_hash_table_contains (ld->by_header, "scenario"))
    {
      for (guint i = 0; i < ld->groups->len; i++)
        {
          ScanGroup *g = ld->groups->pdata[i];
          if (g_str_has_prefix (g->header, "scenario "))
            return fail_group_literal (ld, error, g->header, "[scenario] "
                                       "without a name", "a name");
        }
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_FORMAT, ld->path,
                             "scenario", NULL, "a [scenario] group with "
                             "format = 1", "none", NULL);
      return FALSE;
    }
  value = g_key_file_get_value (ld->key_file, "scenario", "format", NULL);
  if (value != NULL && strcmp (g_strstrip (value), "1") == 0)
    return TRUE;
  cloudrun_problem_set (&p, "1", value);
  if (value == NULL)
    p.hint = g_strdup ("add 'format = 1' to [scenario]");
  else if (g_ascii_string_to_unsigned (value, 10, 2, G_MAXUINT32, &n, NULL))
    p.hint = g_strdup_printf ("format %s is not supported by this version; "
                              "this version reads format 1", value);
  cloudrun_fail (error, CLOUDRUN_SCENARIO_ERROR_FORMAT,
                 cloudrun_load_file_label (&ld->ctx, &(CloudRunObject) {
                   .group = "scenario" }, "format"), "scenario", "format",
                 &p);
  cloudrun_problem_clear (&p);
  return FALSE;
}

/* ---- 4. Objects --------------------------------------------------- */

static void
object_clear (const CloudRunKindInfo *info, CloudRunObject *object)
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
  CloudRunObject *object = data;

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
static CloudRunObject *
object_new (CloudRunScenario *s, const CloudRunKindInfo *info,
            const char *name, const char *header, guint line)
{
  CloudRunObject *o;

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
fail_group (Loader *ld, GError **error, const char *header,
            const char *expected, const char *found, const char *suggestion)
{
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                         header, NULL, expected, found, suggestion);
  return FALSE;
}

static gboolean
make_object (Loader *ld, CloudRunScenario *s, ScanGroup *g, GError **error)
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
                CloudRunObject *o, GError **error)
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
                         cloudrun_load_file_label (ctx, o, NULL), o->group,
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
key_text (Loader *ld, ScanGroup *g, const CloudRunKey *key, GError **error)
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
fill_key (Loader *ld, ScanGroup *g, const CloudRunKindInfo *info,
          ScanKey *k, GError **error)
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
          info->singleton ? "a key of [%s] (cloudrun-netsim keys %s)"
                          : "a key of [%s NAME] (cloudrun-netsim keys %s)",
          info->name, info->name);
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
build_objects (Loader *ld, CloudRunScenario *s, GError **error)
{
  const CloudRunKindInfo *info;

  for (guint i = 0; i < ld->groups->len; i++)
    if (!make_object (ld, s, ld->groups->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < ld->groups->len; i++)
    {
      ScanGroup *g = ld->groups->pdata[i];
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
      CloudRunProject *p = (CloudRunProject *) object_new (
          s, info, "default", "project default", 0);
      p->implicit = TRUE;
      apply_defaults (&ld->ctx, info, &p->base, error);
    }
  return TRUE;
}

/* ---- Life cycle --------------------------------------------------- */

static void
loader_clear (Loader *ld)
{
  g_clear_pointer (&ld->groups, g_ptr_array_unref);
  g_clear_pointer (&ld->by_header, g_hash_table_unref);
  g_clear_pointer (&ld->key_file, g_key_file_free);
  g_clear_pointer (&ld->ctx.overridden, g_hash_table_unref);
  g_clear_pointer (&ld->ctx.set_label, g_free);
}

static gboolean
read_text (Loader *ld, const char *data, gsize len,
           const char *const *overrides, GError **error)
{
  g_autofree char *text = NULL;

  if (!check_utf8 (ld, data, len, error))
    return FALSE;
  text = g_strndup (data, len);
  if (!scan_text (ld, text, error) || !load_key_file (ld, text, len, error))
    return FALSE;
  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!apply_override (ld, overrides[i], error))
      return FALSE;
  return check_format (ld, error);
}

CloudRunScenario *
cloudrun_scenario_load (const char *path, const char *data, gsize len,
                        const char *const *overrides, GError **error)
{
  Loader ld = { 0 };
  CloudRunScenario *s = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  ld.path = path;
  ld.groups = g_ptr_array_new_with_free_func (scan_group_free);
  ld.by_header = g_hash_table_new (g_str_hash, g_str_equal);
  ld.ctx.path = path;
  ld.ctx.set_label = g_strdup_printf ("%s (--set)", path);
  ld.ctx.overridden = g_hash_table_new_full (g_str_hash, g_str_equal,
                                             g_free, NULL);
  ok = read_text (&ld, data != NULL ? data : "", len, overrides, error);
  if (ok)
    {
      s = scenario_new (path);
      ok = build_objects (&ld, s, error)
           && cloudrun_scenario_check (s, &ld.ctx, error);
    }
  loader_clear (&ld);
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
cloudrun_object_has (const CloudRunObject *object, const char *key)
{
  guint index;

  if (cloudrun_kind_key (cloudrun_kind_info (object->kind), key, &index)
      == NULL)
    return FALSE;
  return (object->set >> index) & 1;
}
