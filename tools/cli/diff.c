/* `cloudrun-netsim diff BEFORE AFTER`: what a change does. Both
 * scenarios' reachability matrices (as `reach` makes them), the pairs
 * whose verdict (outcome, status, classification, cause) differs, each
 * with both sides' deciding step, and the settings that differ, group by
 * group and key by key. Exit status: 0, 1 when --fail-on's condition
 * holds (default: a pair delivered before is not after), 2 a usage or
 * scenario error. */
#include "tools/cli/reach.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#define S05 "scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
#define S06 "scenarios/06-direct-vpc-all-traffic-with-pga.ini"
static const char examples[] =
  "Pairs are matched by caller, service and way in; a pair only one side\n"
  "has is listed as added or removed. A regression is a pair delivered\n"
  "before and not after.\n"
  "\n"
  "Examples:\n"
  "  cloudrun-netsim diff " S06 " \\\n"
  "      " S05 "\n"
  "  cloudrun-netsim diff applied.ini planned.ini --format markdown";

typedef enum { FAIL_REGRESSION, FAIL_ANY, FAIL_NONE } FailOn;

typedef struct {
  char *group, *key;            /* key NULL: the whole group */
  char *before, *after;         /* NULL: absent */
} Setting;

typedef struct {
  const ReachPair *before, *after; /* either may be NULL (only one side) */
  gboolean regression;
} Change;

static void
setting_free (gpointer data)
{
  Setting *s = data;

  g_free (s->group);
  g_free (s->key);
  g_free (s->before);
  g_free (s->after);
  g_free (s);
}

static void
add_setting (GPtrArray *out, const char *group, const char *key, char *before,
             char *after)
{
  Setting *s = g_new0 (Setting, 1);

  s->group = g_strdup (group);
  s->key = g_strdup (key);
  s->before = before ? g_strstrip (before) : NULL;
  s->after = after ? g_strstrip (after) : NULL;
  g_ptr_array_add (out, s);
}

static GKeyFile *
load_keys (const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  GError *local = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: %s", path, local->message);
      g_error_free (local);
      return NULL;
    }
  return g_steal_pointer (&kf);
}

/* The settings of a and b that differ: a's groups in order (removed, or
 * their keys removed, changed, added), then b's new groups. */
static GPtrArray *
diff_settings (GKeyFile *a, GKeyFile *b)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (setting_free);
  g_auto (GStrv) ga = g_key_file_get_groups (a, NULL);
  g_auto (GStrv) gb = g_key_file_get_groups (b, NULL);

  for (char **g = ga; *g; g++)
    {
      g_auto (GStrv) ka = NULL, kb = NULL;

      if (!g_key_file_has_group (b, *g))
        {
          add_setting (out, *g, NULL, g_strdup ("present"), NULL);
          continue;
        }
      ka = g_key_file_get_keys (a, *g, NULL, NULL);
      kb = g_key_file_get_keys (b, *g, NULL, NULL);
      for (char **k = ka; *k; k++)
        {
          g_autofree char *va = g_key_file_get_value (a, *g, *k, NULL);
          g_autofree char *vb = g_key_file_get_value (b, *g, *k, NULL);

          g_strstrip (va);
          if (vb)
            g_strstrip (vb);
          if (!vb || strcmp (va, vb) != 0)
            add_setting (out, *g, *k, g_steal_pointer (&va),
                         g_steal_pointer (&vb));
        }
      for (char **k = kb; *k; k++)
        if (!g_key_file_has_key (a, *g, *k, NULL))
          add_setting (out, *g, *k, NULL,
                       g_key_file_get_value (b, *g, *k, NULL));
    }
  for (char **g = gb; *g; g++)
    if (!g_key_file_has_group (a, *g))
      add_setting (out, *g, NULL, NULL, g_strdup ("present"));
  return out;
}

static gboolean
same (const char *a, const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static char *
pair_key (const ReachPair *p)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", p->from, p->to, p->way);
}

/* The pairs that differ: a's in order, then those only b has. */
static GArray *
diff_pairs (const ReachMatrix *a, const ReachMatrix *b)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr (GHashTable) in_b = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
  g_autoptr (GHashTable) in_a = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);

  for (guint i = 0; i < b->n_pairs; i++)
    g_hash_table_insert (in_b, pair_key (b->pairs[i]), b->pairs[i]);
  for (guint i = 0; i < a->n_pairs; i++)
    {
      const ReachPair *p = a->pairs[i];
      g_autofree char *k = pair_key (p);
      const ReachPair *q = g_hash_table_lookup (in_b, k);
      Change c = { p, q, FALSE };

      g_hash_table_add (in_a, g_steal_pointer (&k));
      if (q && same (p->outcome, q->outcome) && p->status == q->status
          && same (p->classified, q->classified) && same (p->cause, q->cause))
        continue;
      c.regression = q && strcmp (p->outcome, "delivered") == 0
                     && strcmp (q->outcome, "delivered") != 0;
      g_array_append_val (out, c);
    }
  for (guint i = 0; i < b->n_pairs; i++)
    {
      g_autofree char *k = pair_key (b->pairs[i]);
      Change c = { NULL, b->pairs[i], FALSE };

      if (!g_hash_table_contains (in_a, k))
        g_array_append_val (out, c);
    }
  return out;
}

/* "delivered 200 internal at service (CAUSE); step: ..." */
static void
side (GString *out, const ReachPair *p)
{
  if (!p)
    {
      g_string_append (out, "no such pair");
      return;
    }
  reach_describe_fate (p, out);
  if (p->step)
    g_string_append_printf (out, "; step: %s", p->step);
}

static void
setting_line (GString *out, const Setting *s)
{
  if (!s->key)
    g_string_append_printf (out, "[%s] %s", s->group,
                            s->after ? "added" : "removed");
  else if (!s->before)
    g_string_append_printf (out, "[%s] %s = %s (added)", s->group, s->key,
                            s->after);
  else if (!s->after)
    g_string_append_printf (out, "[%s] %s = %s (removed)", s->group, s->key,
                            s->before);
  else
    g_string_append_printf (out, "[%s] %s: %s -> %s", s->group, s->key,
                            s->before, s->after);
}

static const ReachPair *
either (const Change *c)
{
  return c->before ? c->before : c->after;
}

/* text with '|' escaped for a markdown table cell. */
static void
md_cell (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '|')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p == '\n' ? ' ' : *p);
    }
}

static void
render_text (GString *out, const char *pa, const char *pb, GPtrArray *set,
             GArray *ch, guint n_pairs, guint n_after, guint regressions,
             gboolean md)
{
  const char *h = md ? "### " : "";

  g_string_append_printf (out, "%s%s%s -> %s%s\n\n", md ? "## " : "",
                          md ? "`" : "", pa, pb, md ? "`" : "");
  g_string_append_printf (out, "%sSettings changed: %u\n", h, set->len);
  if (md && set->len)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < set->len; i++)
    {
      g_string_append (out, md ? "- `" : "  ");
      setting_line (out, set->pdata[i]);
      g_string_append (out, md ? "`\n" : "\n");
    }
  g_string_append_printf (out, "\n%sVerdicts changed: %u pair(s) changed, "
                          "added or removed (%u before, %u after), %u "
                          "regression(s)\n", h, ch->len, n_pairs, n_after,
                          regressions);
  if (md && ch->len)
    g_string_append (out, "\n| | caller | service | way | before | after "
                     "|\n| --- | --- | --- | --- | --- | --- |\n");
  for (guint i = 0; i < ch->len; i++)
    {
      const Change *c = &g_array_index (ch, Change, i);
      const ReachPair *p = either (c);
      g_autofree char *cb = c->before ? reach_cell (c->before)
                                      : g_strdup ("-");
      g_autofree char *ca = c->after ? reach_cell (c->after) : g_strdup ("-");
      g_autoptr (GString) sb = g_string_new (NULL);
      g_autoptr (GString) sa = g_string_new (NULL);
      const char *mark = c->regression ? "REGRESSION" : !c->before ? "added"
                         : !c->after ? "removed" : "changed";

      side (sb, c->before);
      side (sa, c->after);
      if (md)
        {
          g_string_append_printf (out, "| %s | %s | %s | %s | %s: ",
                                  c->regression ? "**regression**" : mark,
                                  p->from, p->to, p->way, cb);
          md_cell (out, sb->str);
          g_string_append_printf (out, " | %s: ", ca);
          md_cell (out, sa->str);
          g_string_append (out, " |\n");
        }
      else
        g_string_append_printf (out, "  %-10s %s -> %s (%s): %s -> %s\n"
                                "    before: %s\n    after:  %s\n", mark,
                                p->from, p->to, p->way, cb, ca, sb->str,
                                sa->str);
    }
}

static void
json_str (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
json_side (JsonBuilder *b, const char *name, const ReachPair *p)
{
  json_builder_set_member_name (b, name);
  if (!p)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_str (b, "url", p->url);
  json_str (b, "outcome", p->outcome);
  json_builder_set_member_name (b, "status");
  if (p->status > 0)
    json_builder_add_int_value (b, p->status);
  else
    json_builder_add_null_value (b);
  json_str (b, "classified", p->classified);
  json_str (b, "cause", p->cause);
  json_str (b, "decided_at", p->decided_at);
  json_str (b, "step", p->step);
  json_builder_end_object (b);
}

static void
render_json (GString *out, const char *pa, const char *pb, GPtrArray *set,
             GArray *ch, guint n_pairs, guint regressions)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema_version");
  json_builder_add_int_value (b, REACH_SCHEMA_VERSION);
  json_str (b, "before", pa);
  json_str (b, "after", pb);
  json_builder_set_member_name (b, "pairs_compared");
  json_builder_add_int_value (b, n_pairs);
  json_builder_set_member_name (b, "regressions");
  json_builder_add_int_value (b, regressions);
  json_builder_set_member_name (b, "settings");
  json_builder_begin_array (b);
  for (guint i = 0; i < set->len; i++)
    {
      const Setting *s = set->pdata[i];

      json_builder_begin_object (b);
      json_str (b, "group", s->group);
      json_str (b, "key", s->key);
      json_str (b, "change", !s->before ? "added" : !s->after ? "removed"
                             : "changed");
      json_str (b, "before", s->key ? s->before : NULL);
      json_str (b, "after", s->key ? s->after : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pairs");
  json_builder_begin_array (b);
  for (guint i = 0; i < ch->len; i++)
    {
      const Change *c = &g_array_index (ch, Change, i);
      const ReachPair *p = either (c);

      json_builder_begin_object (b);
      json_str (b, "from", p->from);
      json_str (b, "to", p->to);
      json_str (b, "way", p->way);
      json_builder_set_member_name (b, "regression");
      json_builder_add_boolean_value (b, c->regression);
      json_side (b, "before", c->before);
      json_side (b, "after", c->after);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  g_string_append_printf (out, "%s\n", text);
}

static int
usage (const char *fmt, const char *a)
{
  fputs ("cloudrun-netsim diff: ", stderr);
  fprintf (stderr, fmt, a);
  fputc ('\n', stderr);
  return TOOLS_EXIT_USAGE;
}

int
tools_cmd_diff (int argc, char **argv)
{
  g_autofree char *format_text = NULL, *fail_text = NULL, *output = NULL;
  g_autofree char *identity = NULL;
  gint64 count = 1, jobs = g_get_num_processors ();
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      "text (default), markdown or json", "FORMAT" },
    { "fail-on", 0, 0, G_OPTION_ARG_STRING, &fail_text,
      "Exit 1 on: regression (default: a pair delivered before is not "
      "after), any (any verdict changed) or none", "WHAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write to FILE instead of standard output", "FILE" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count,
      "Requests per pair (default 1)", "N" },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &identity,
      "id-token (default) or none, as reach", "WHAT" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT64, &jobs,
      "Processes to run the pairs in (default: the core count)", "N" },
    { NULL },
  };
  ReachFormat format;
  FailOn fail_on = FAIL_REGRESSION;
  ReachOptions options = { 1, TRUE, NULL };
  g_autoptr (ReachPlan) pa = NULL, pb = NULL;
  g_auto (ToolsCliScenario) before = { 0 };
  g_auto (ToolsCliScenario) after = { 0 };
  g_autoptr (GKeyFile) ka = NULL, kb = NULL;
  g_autoptr (GPtrArray) settings = NULL;
  g_autoptr (GArray) changes = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  guint regressions = 0;
  GError *error = NULL;

  if (!tools_cli_parse ("diff", "BEFORE AFTER", examples, entries, NULL,
                        &argc, &argv))
    return TOOLS_EXIT_USAGE;
  if (!reach_format_parse ("diff", format_text, TRUE, &format))
    return TOOLS_EXIT_USAGE;
  if (fail_text && strcmp (fail_text, "regression") != 0)
    {
      if (strcmp (fail_text, "any") == 0)
        fail_on = FAIL_ANY;
      else if (strcmp (fail_text, "none") == 0)
        fail_on = FAIL_NONE;
      else
        return usage ("--fail-on: expected regression, any or none, found "
                      "'%s'", fail_text);
    }
  if (count < 1 || count > 1000)
    return usage ("--count: expected a number from 1 to 1000%s", "");
  if (jobs < 1 || jobs > 1024)
    return usage ("--jobs: expected a number from 1 to 1024%s", "");
  if (identity && strcmp (identity, "none") != 0
      && strcmp (identity, "id-token") != 0)
    return usage ("--identity: expected id-token or none, found '%s'",
                  identity);
  if (argc != 3)
    return usage ("expected BEFORE and AFTER: two scenario files, or two "
                  "configurations to import (a JSON file or a directory of "
                  "them each)%s", "");
  options.count = (guint) count;
  options.id_token = !identity || strcmp (identity, "id-token") == 0;
  if (!tools_cli_scenario_of ((const char *const *) argv + 1, 1, &before,
                              &error)
      || !tools_cli_scenario_of ((const char *const *) argv + 2, 1, &after,
                                 &error)
      || !(pa = reach_plan_new (before.path, &options, &error))
      || !(pb = reach_plan_new (after.path, &options, &error))
      || !(ka = load_keys (before.path, &error))
      || !(kb = load_keys (after.path, &error))
      || !reach_run_all (pa, before.path, (guint) jobs, &error)
      || !reach_run_all (pb, after.path, (guint) jobs, &error))
    return tools_cli_fail (error);
  settings = diff_settings (ka, kb);
  changes = diff_pairs (pa->matrix, pb->matrix);
  for (guint i = 0; i < changes->len; i++)
    if (g_array_index (changes, Change, i).regression)
      regressions++;
  if (format == REACH_FORMAT_JSON)
    render_json (out, argv[1], argv[2], settings, changes,
                 pa->matrix->n_pairs, regressions);
  else
    render_text (out, argv[1], argv[2], settings, changes,
                 pa->matrix->n_pairs, pb->matrix->n_pairs, regressions,
                 format == REACH_FORMAT_MARKDOWN);
  if (output)
    {
      if (!cloudrun_write_file (output, out, &error))
        return tools_cli_fail (error);
    }
  else
    fwrite (out->str, 1, out->len, stdout);
  if (fail_on == FAIL_REGRESSION)
    return regressions ? TOOLS_EXIT_EXPECT : 0;
  if (fail_on == FAIL_ANY)
    return changes->len ? TOOLS_EXIT_EXPECT : 0;
  return 0;
}
