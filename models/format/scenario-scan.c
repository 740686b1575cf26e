/* The first half of the scenario loader: raw text to checked key file.
 *   1. scan the raw text: UTF-8, line shapes, group headers, repeated
 *      groups and keys, trailing comments (GKeyFile would silently merge
 *      repeated groups and keep " # ..." in values, so we look first);
 *   2. parse it with GKeyFile, remove the keys --unset names ("GROUP.KEY",
 *      written in the file: its default applies then), and apply the
 *      --set overrides ("GROUP.KEY=VALUE"; a missing [assumptions] group
 *      may be made);
 *   3. check [scenario] format = 1 before anything that a later format
 *      might change.
 * Messages: "FILE: line N: expected X, found Y" for text that is not a key
 * file, "FILE: [GROUP] KEY: expected X, found Y" otherwise, and
 * "FILE (--set): ..." for a bad override, "FILE (--unset): ..." for a bad
 * unset.
 *
 * Called by models/format/scenario.c (cloudrun_scenario_load), which goes on with
 * objects, keys and checks. Never opens files or prints. */
#include "models/format/scenario-private.h"

#include <string.h>

static void
scan_key_free (gpointer data)
{
  CloudRunScanKey *k = data;
  g_free (k->name);
  g_free (k);
}

static void
scan_group_free (gpointer data)
{
  CloudRunScanGroup *g = data;
  g_free (g->header);
  g_ptr_array_unref (g->keys);
  g_hash_table_unref (g->index);
  g_free (g);
}

static CloudRunScanGroup *
scan_group_add (CloudRunLoader *ld, const char *header, guint line)
{
  CloudRunScanGroup *g = g_new0 (CloudRunScanGroup, 1);

  g->header = g_strdup (header);
  g->line = line;
  g->keys = g_ptr_array_new_with_free_func (scan_key_free);
  g->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (ld->groups, g);
  g_hash_table_insert (ld->by_header, g->header, g);
  return g;
}

static CloudRunScanKey *
scan_key_add (CloudRunScanGroup *g, const char *name, guint line)
{
  CloudRunScanKey *k = g_new0 (CloudRunScanKey, 1);

  k->name = g_strdup (name);
  k->line = line;
  g_ptr_array_add (g->keys, k);
  g_hash_table_insert (g->index, k->name, k);
  return k;
}

const char *
cloudrun_load_file_label (const CloudRunLoadContext *ctx,
                          const CloudRunSpecObject *object, const char *key)
{
  g_autofree char *id = NULL;

  if (object == NULL || key == NULL || object->group == NULL)
    return ctx->path;
  id = g_strconcat (object->group, "\n", key, NULL);
  if (g_hash_table_contains (ctx->overridden, id))
    return ctx->set_label;
  return g_hash_table_contains (ctx->unset, id) ? ctx->unset_label
                                                : ctx->path;
}

/* ---- 1. Raw text -------------------------------------------------- */

static gboolean
fail_line (CloudRunLoader *ld, GError **error, guint line,
           const char *expected, const char *text)
{
  g_autofree char *where = g_strdup_printf ("%s: line %u", ld->path, line);
  g_autofree char *found = cloudrun_quote (text);

  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_SYNTAX, where, NULL,
                         NULL, expected, found, NULL);
  return FALSE;
}

static gboolean
check_utf8 (CloudRunLoader *ld, const char *data, gsize len, GError **error)
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
scan_header (CloudRunLoader *ld, const char *line_text, guint line,
             CloudRunScanGroup **group, GError **error)
{
  g_autofree char *text = g_strchomp (g_strdup (line_text));
  gsize len = strlen (text);
  g_autofree char *header = NULL;
  CloudRunScanGroup *seen;

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

/* [sweep], or [sweep NAME] (which step 4 refuses with its own message). */
static gboolean
is_sweep (const char *header)
{
  return strcmp (header, CLOUDRUN_SWEEP_GROUP) == 0
         || g_str_has_prefix (header, CLOUDRUN_SWEEP_GROUP " ");
}

/* A [sweep] key: seeds, or the GROUP.KEY of a --set ("service
 * backend.vpc-egress"); tools/cli/sweep.c checks that it names a key. */
static gboolean
sweep_key_shape_ok (const char *key)
{
  const char *dot = strrchr (key, '.');
  g_autofree char *header = NULL;

  if (strcmp (key, "seeds") == 0)
    return TRUE;
  if (dot == NULL || dot == key || !key_shape_ok (dot + 1))
    return FALSE;
  header = g_strndup (key, (gsize) (dot - key));
  return header_shape_ok (header);
}

static gboolean
scan_key_line (CloudRunLoader *ld, const char *text, guint line,
               CloudRunScanGroup *group, GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *key = NULL;
  const char *value;
  CloudRunScanKey *seen;

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
  if (is_sweep (group->header) ? !sweep_key_shape_ok (key)
                                : !key_shape_ok (key))
    return fail_line (ld, error, line, is_sweep (group->header)
                      ? "a [sweep] key: seeds, or GROUP.KEY as --set takes "
                        "it such as 'service backend.vpc-egress'"
                      : "a key of letters, digits and '-' before '='", text);
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
scan_text (CloudRunLoader *ld, const char *text, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  CloudRunScanGroup *group = NULL;

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
load_key_file (CloudRunLoader *ld, const char *text, gsize len, GError **error)
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
fail_override (CloudRunLoader *ld, GError **error, const char *text)
{
  g_autofree char *found = cloudrun_quote (text);

  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE,
                         ld->ctx.set_label, NULL, NULL, "GROUP.KEY=VALUE "
                         "such as 'service backend.ingress=internal'", found,
                         NULL);
  return FALSE;
}

/* The group an override or unset names (label: the message's file), or
 * NULL with an error suggesting the nearest header. An override may make
 * [assumptions]. */
static CloudRunScanGroup *
override_group (CloudRunLoader *ld, const char *label, const char *header,
                gboolean make_assumptions, GError **error)
{
  CloudRunScanGroup *g = g_hash_table_lookup (ld->by_header, header);
  g_autofree const char **headers = NULL;
  g_autofree char *found = NULL;

  if (g != NULL && strcmp (header, CLOUDRUN_SWEEP_GROUP) == 0)
    {
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE, label,
                             header, NULL, "a group that describes the "
                             "network or its traffic ([sweep] is read by "
                             "cloudrun-netsim sweep only)", "[sweep]", NULL);
      return NULL;
    }
  if (g != NULL)
    return g;
  if (make_assumptions && strcmp (header, "assumptions") == 0)
    return scan_group_add (ld, header, 0);
  headers = (const char **) g_new0 (char *, ld->groups->len + 1);
  for (guint i = 0; i < ld->groups->len; i++)
    headers[i] = ((CloudRunScanGroup *) ld->groups->pdata[i])->header;
  found = cloudrun_quote (header);
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE, label,
                         header, NULL, "a group that the file defines", found,
                         cloudrun_suggest (header, headers));
  return NULL;
}

static gboolean
apply_override (CloudRunLoader *ld, const char *text, GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *lhs = NULL, *value = NULL;
  char *dot;
  CloudRunScanGroup *g;

  if (eq == NULL)
    return fail_override (ld, error, text);
  lhs = g_strstrip (g_strndup (text, (gsize) (eq - text)));
  value = g_strstrip (g_strdup (eq + 1));
  dot = strrchr (lhs, '.');
  if (dot == NULL || dot == lhs || !key_shape_ok (dot + 1))
    return fail_override (ld, error, text);
  *dot = '\0';
  g = override_group (ld, ld->ctx.set_label, lhs, TRUE, error);
  if (g == NULL)
    return FALSE;
  if (!g_hash_table_contains (g->index, dot + 1))
    scan_key_add (g, dot + 1, 0);
  g_key_file_set_value (ld->key_file, g->header, dot + 1, value);
  g_hash_table_add (ld->ctx.overridden,
                    g_strconcat (g->header, "\n", dot + 1, NULL));
  return TRUE;
}

/* --unset GROUP.KEY: the key leaves the file as if never written, so the
 * table's default applies (and a required key fails as missing). Only a
 * key the file writes can be unset; the message suggests the nearest. */
static gboolean
apply_unset (CloudRunLoader *ld, const char *text, GError **error)
{
  g_autofree char *lhs = g_strstrip (g_strdup (text));
  g_autofree const char **names = NULL;
  g_autofree char *found = NULL;
  char *dot = strrchr (lhs, '.');
  CloudRunScanGroup *g;
  CloudRunScanKey *k;

  if (dot == NULL || dot == lhs || !key_shape_ok (dot + 1))
    {
      found = cloudrun_quote (text);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE,
                             ld->ctx.unset_label, NULL, NULL, "GROUP.KEY "
                             "such as 'service backend.ingress'", found,
                             NULL);
      return FALSE;
    }
  *dot = '\0';
  g = override_group (ld, ld->ctx.unset_label, lhs, FALSE, error);
  if (g == NULL)
    return FALSE;
  k = g_hash_table_lookup (g->index, dot + 1);
  if (k == NULL)
    {
      g_autofree char *expected = g_strdup_printf ("a key that [%s] writes",
                                                   g->header);
      names = (const char **) g_new0 (char *, g->keys->len + 1);
      for (guint i = 0; i < g->keys->len; i++)
        names[i] = ((CloudRunScanKey *) g->keys->pdata[i])->name;
      found = cloudrun_quote (dot + 1);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_OVERRIDE,
                             ld->ctx.unset_label, g->header, dot + 1,
                             expected, found, cloudrun_suggest (dot + 1,
                                                                names));
      return FALSE;
    }
  g_key_file_remove_key (ld->key_file, g->header, k->name, NULL);
  g_hash_table_add (ld->ctx.unset, g_strconcat (g->header, "\n", k->name,
                                                NULL));
  g_hash_table_remove (g->index, k->name);
  g_ptr_array_remove (g->keys, k);
  return TRUE;
}

static gboolean
fail_group_literal (CloudRunLoader *ld, GError **error, const char *header,
                    const char *expected, const char *found)
{
  cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_GROUP, ld->path,
                         header, NULL, expected, found, NULL);
  return FALSE;
}

/* ---- 3. Format ---------------------------------------------------- */

static gboolean
check_format (CloudRunLoader *ld, GError **error)
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
          CloudRunScanGroup *g = ld->groups->pdata[i];
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
                 cloudrun_load_file_label (&ld->ctx, &(CloudRunSpecObject) {
                   .group = "scenario" }, "format"), "scenario", "format",
                 &p);
  cloudrun_problem_clear (&p);
  return FALSE;
}

/* ---- Life cycle --------------------------------------------------- */

void
cloudrun_loader_init (CloudRunLoader *ld, const char *path)
{
  memset (ld, 0, sizeof *ld);
  ld->path = path;
  ld->groups = g_ptr_array_new_with_free_func (scan_group_free);
  ld->by_header = g_hash_table_new (g_str_hash, g_str_equal);
  ld->ctx.path = path;
  ld->ctx.set_label = g_strdup_printf ("%s (--set)", path);
  ld->ctx.unset_label = g_strdup_printf ("%s (--unset)", path);
  ld->ctx.overridden = g_hash_table_new_full (g_str_hash, g_str_equal,
                                              g_free, NULL);
  ld->ctx.unset = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         NULL);
}

void
cloudrun_loader_clear (CloudRunLoader *ld)
{
  g_clear_pointer (&ld->groups, g_ptr_array_unref);
  g_clear_pointer (&ld->by_header, g_hash_table_unref);
  g_clear_pointer (&ld->key_file, g_key_file_free);
  g_clear_pointer (&ld->ctx.overridden, g_hash_table_unref);
  g_clear_pointer (&ld->ctx.unset, g_hash_table_unref);
  g_clear_pointer (&ld->ctx.set_label, g_free);
  g_clear_pointer (&ld->ctx.unset_label, g_free);
}

gboolean
cloudrun_loader_read (CloudRunLoader *ld, const char *data, gsize len,
                      const char *const *overrides,
                      const char *const *unsets, GError **error)
{
  g_autofree char *text = NULL;

  if (!check_utf8 (ld, data, len, error))
    return FALSE;
  text = g_strndup (data, len);
  if (!scan_text (ld, text, error) || !load_key_file (ld, text, len, error))
    return FALSE;
  for (guint i = 0; unsets != NULL && unsets[i] != NULL; i++)
    if (!apply_unset (ld, unsets[i], error))
      return FALSE;
  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!apply_override (ld, overrides[i], error))
      return FALSE;
  return check_format (ld, error);
}
