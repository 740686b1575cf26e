/* A reachability matrix written out (see tools/cli/reach.h): the
 * terminal's matrix, markdown, CSV and JUnit, and the JSON of
 * docs/reach-schema.json, which --shard writes and --merge reads back. */
#include "tools/cli/reach.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static const char *const format_names[] = { "text", "markdown", "json", "csv",
                                            "junit" };

gboolean
reach_format_parse (const char *command, const char *text,
                    gboolean table_only, ReachFormat *format)
{
  guint n = table_only ? 3 : G_N_ELEMENTS (format_names);

  for (guint i = 0; text && i < n; i++)
    if (strcmp (text, format_names[i]) == 0)
      {
        *format = (ReachFormat) i;
        return TRUE;
      }
  if (!text)
    {
      *format = REACH_FORMAT_TEXT;
      return TRUE;
    }
  fprintf (stderr, "cloudrun-netsim %s: --format: expected %s, found "
           "'%s'\n", command, table_only ? "text, markdown or json"
           : "text, markdown, json, csv or junit", text);
  return FALSE;
}

char *
reach_cell (const ReachPair *p)
{
  const char *cls;

  if (!p)
    return g_strdup ("?");
  cls = !p->classified ? NULL
        : strcmp (p->classified, "internal") == 0 ? "int" : "ext";
  if (p->status > 0)
    return cls ? g_strdup_printf ("%s %d", cls, p->status)
               : g_strdup_printf ("%d", p->status);
  if (strcmp (p->outcome, "dropped") == 0)
    return g_strdup ("drop");
  if (strcmp (p->outcome, "dns-failure") == 0)
    return g_strdup ("dns");
  if (strcmp (p->outcome, "denied-by-vpc-sc") == 0)
    return g_strdup ("vpc-sc");
  return g_strdup (p->outcome);
}

/* "web -> api (run.app): delivered 200 internal at service" */
void
reach_describe_fate (const ReachPair *p, GString *out)
{
  g_string_append (out, p->outcome);
  if (p->status > 0)
    g_string_append_printf (out, " %d", p->status);
  if (p->classified)
    g_string_append_printf (out, " %s", p->classified);
  if (p->decided_at)
    g_string_append_printf (out, " at %s", p->decided_at);
  if (p->cause)
    g_string_append_printf (out, " (%s)", p->cause);
}

void
reach_describe_pair (const ReachPair *p, GString *out)
{
  g_string_append_printf (out, "%s -> %s (%s): ", p->from, p->to, p->way);
  reach_describe_fate (p, out);
}

/* ---- JSON ---------------------------------------------------------- */

static void
add_str (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

void
reach_render_json (const ReachMatrix *m, GString *out)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_int (b, "schema_version", REACH_SCHEMA_VERSION);
  add_str (b, "scenario", m->scenario);
  add_str (b, "digest", m->digest);
  json_builder_set_member_name (b, "shard");
  json_builder_begin_object (b);
  add_int (b, "index", m->shard);
  add_int (b, "count", m->shards);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "callers");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->callers->len; i++)
    {
      const ReachCaller *c = m->callers->pdata[i];
      json_builder_begin_object (b);
      add_str (b, "name", c->name);
      add_str (b, "kind", c->kind);
      add_str (b, "project", c->project);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "targets");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->targets->len; i++)
    {
      const ReachTarget *t = m->targets->pdata[i];
      json_builder_begin_object (b);
      add_str (b, "service", t->service);
      add_str (b, "way", t->way);
      add_str (b, "url", t->url);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pairs");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->n_pairs; i++)
    {
      const ReachPair *p = m->pairs[i];

      if (!p)
        continue;
      json_builder_begin_object (b);
      add_int (b, "index", p->index);
      add_str (b, "from", p->from);
      add_str (b, "to", p->to);
      add_str (b, "way", p->way);
      add_str (b, "url", p->url);
      add_str (b, "outcome", p->outcome);
      json_builder_set_member_name (b, "status");
      if (p->status > 0)
        json_builder_add_int_value (b, p->status);
      else
        json_builder_add_null_value (b);
      add_str (b, "classified", p->classified);
      add_str (b, "cause", p->cause);
      add_str (b, "decided_at", p->decided_at);
      add_str (b, "step", p->step);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

/* Reading a slice back: every member checked, errors name the file. */
typedef struct {
  const char *file;
  GError **error;
  gboolean bad;
} Reader;

static void
bad (Reader *r, const char *what)
{
  if (!r->bad)
    g_set_error (r->error, CLOUDRUN_SESSION_ERROR,
                 CLOUDRUN_SESSION_ERROR_USAGE, "%s: not a reach JSON slice: "
                 "%s", r->file, what);
  r->bad = TRUE;
}

static JsonNode *
member (Reader *r, JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n)
    {
      g_autofree char *what = g_strdup_printf ("no member \"%s\"", name);
      bad (r, what);
    }
  return n;
}

/* A string member (nullable: null is NULL); "" on a wrong type. */
static char *
get_str (Reader *r, JsonObject *o, const char *name, gboolean nullable)
{
  JsonNode *n = member (r, o, name);

  if (n && nullable && JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" is not a string",
                                               name);
      if (n)
        bad (r, what);
      return nullable ? NULL : g_strdup ("");
    }
  return g_strdup (json_node_get_string (n));
}

static gint64
get_int (Reader *r, JsonObject *o, const char *name, gint64 min, gint64 max,
         gboolean nullable)
{
  JsonNode *n = member (r, o, name);
  gint64 v;

  if (n && nullable && JSON_NODE_HOLDS_NULL (n))
    return -1;
  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_INT64
      || (v = json_node_get_int (n)) < min || v > max)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" is not a whole number "
                                               "from %" G_GINT64_FORMAT
                                               " to %" G_GINT64_FORMAT, name,
                                               min, max);
      if (n)
        bad (r, what);
      return min;
    }
  return v;
}

static JsonArray *
get_array (Reader *r, JsonObject *o, const char *name)
{
  JsonNode *n = member (r, o, name);

  if (n && JSON_NODE_HOLDS_ARRAY (n))
    return json_node_get_array (n);
  if (n)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" is not an array",
                                               name);
      bad (r, what);
    }
  return NULL;
}

static JsonObject *
element (Reader *r, JsonArray *a, guint i, const char *what)
{
  JsonNode *n = json_array_get_element (a, i);

  if (n && JSON_NODE_HOLDS_OBJECT (n))
    return json_node_get_object (n);
  bad (r, what);
  return NULL;
}

ReachMatrix *
reach_matrix_from_json (const char *file, const char *data, gsize len,
                        GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (ReachMatrix) m = reach_matrix_new ();
  Reader r = { file, error, FALSE };
  GError *local = NULL;
  JsonNode *root;
  JsonObject *o, *shard;
  JsonArray *callers, *targets, *pairs;

  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: not JSON: %s", file, local->message);
      g_error_free (local);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad (&r, "not an object");
      return NULL;
    }
  o = json_node_get_object (root);
  if (get_int (&r, o, "schema_version", 1, 1000, FALSE)
      != REACH_SCHEMA_VERSION && !r.bad)
    bad (&r, "schema_version is not 1");
  m->scenario = get_str (&r, o, "scenario", FALSE);
  m->digest = get_str (&r, o, "digest", FALSE);
  {
    JsonNode *sn = member (&r, o, "shard");
    shard = sn && JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn)
                                             : NULL;
    if (sn && !shard)
      bad (&r, "\"shard\" is not an object");
  }
  m->shards = (guint) get_int (&r, shard, "count", 1, G_MAXINT, FALSE);
  m->shard = (guint) get_int (&r, shard, "index", 1, m->shards, FALSE);
  callers = get_array (&r, o, "callers");
  targets = get_array (&r, o, "targets");
  pairs = get_array (&r, o, "pairs");
  if (r.bad)
    return NULL;
  for (guint i = 0; i < json_array_get_length (callers) && !r.bad; i++)
    {
      JsonObject *c = element (&r, callers, i, "a caller is not an object");
      g_autofree char *name = get_str (&r, c, "name", FALSE);
      g_autofree char *kind = get_str (&r, c, "kind", FALSE);
      g_autofree char *project = get_str (&r, c, "project", TRUE);

      reach_matrix_add_caller (m, name, kind, project);
    }
  for (guint i = 0; i < json_array_get_length (targets) && !r.bad; i++)
    {
      JsonObject *t = element (&r, targets, i, "a target is not an object");
      g_autofree char *service = get_str (&r, t, "service", FALSE);
      g_autofree char *way = get_str (&r, t, "way", FALSE);
      g_autofree char *url = get_str (&r, t, "url", FALSE);

      reach_matrix_add_target (m, service, way, url);
    }
  if (r.bad)
    return NULL;
  if ((guint64) m->callers->len * m->targets->len > REACH_MAX_PAIRS)
    {
      bad (&r, "too many pairs");
      return NULL;
    }
  reach_matrix_size (m);
  for (guint i = 0; i < json_array_get_length (pairs) && !r.bad; i++)
    {
      JsonObject *po = element (&r, pairs, i, "a pair is not an object");
      guint index = (guint) get_int (&r, po, "index", 0,
                                     MAX (m->n_pairs, 1) - 1, FALSE);
      ReachPair *p = g_new0 (ReachPair, 1);
      const ReachCaller *c;
      const ReachTarget *t;

      p->index = index;
      p->from = get_str (&r, po, "from", FALSE);
      p->to = get_str (&r, po, "to", FALSE);
      p->way = get_str (&r, po, "way", FALSE);
      p->url = get_str (&r, po, "url", FALSE);
      p->outcome = get_str (&r, po, "outcome", FALSE);
      p->status = (gint) get_int (&r, po, "status", 100, 599, TRUE);
      p->classified = get_str (&r, po, "classified", TRUE);
      p->cause = get_str (&r, po, "cause", TRUE);
      p->decided_at = get_str (&r, po, "decided_at", TRUE);
      p->step = get_str (&r, po, "step", TRUE);
      if (r.bad || m->n_pairs == 0)
        {
          reach_pair_free (p);
          bad (&r, "a pair outside the matrix");
          break;
        }
      c = m->callers->pdata[index / m->targets->len];
      t = m->targets->pdata[index % m->targets->len];
      if (m->pairs[index] || strcmp (c->name, p->from) != 0
          || strcmp (t->service, p->to) != 0 || strcmp (t->way, p->way) != 0)
        {
          g_autofree char *what = g_strdup_printf (
              "pair %u is not the matrix's %s -> %s (%s), or comes twice",
              index, c->name, t->service, t->way);
          reach_pair_free (p);
          bad (&r, what);
          break;
        }
      m->pairs[index] = p;
    }
  return r.bad ? NULL : g_steal_pointer (&m);
}

/* Whether slices a and b list the same callers and targets. */
static gboolean
same_shape (const ReachMatrix *a, const ReachMatrix *b)
{
  if (a->callers->len != b->callers->len
      || a->targets->len != b->targets->len)
    return FALSE;
  for (guint i = 0; i < a->callers->len; i++)
    if (strcmp (((ReachCaller *) a->callers->pdata[i])->name,
                ((ReachCaller *) b->callers->pdata[i])->name) != 0)
      return FALSE;
  for (guint i = 0; i < a->targets->len; i++)
    if (strcmp (((ReachTarget *) a->targets->pdata[i])->url,
                ((ReachTarget *) b->targets->pdata[i])->url) != 0)
      return FALSE;
  return TRUE;
}

ReachMatrix *
reach_matrix_merge (GPtrArray *slices, GPtrArray *names, GError **error)
{
  ReachMatrix *first = slices->pdata[0];
  g_autofree const char **seen = g_new0 (const char *, first->shards + 1);
  ReachMatrix *m;

  for (guint i = 0; i < slices->len; i++)
    {
      ReachMatrix *s = slices->pdata[i];
      const char *name = names->pdata[i];

      if (strcmp (s->digest, first->digest) != 0 || s->shards != first->shards
          || !same_shape (s, first))
        {
          g_set_error (error, CLOUDRUN_SESSION_ERROR,
                       CLOUDRUN_SESSION_ERROR_USAGE, "%s: a slice of another "
                       "matrix than %s (scenario %s, %u slices, digest %.12s; "
                       "this one: %s, %u slices, %.12s)", name,
                       (char *) names->pdata[0], first->scenario,
                       first->shards, first->digest, s->scenario, s->shards,
                       s->digest);
          return NULL;
        }
      if (seen[s->shard])
        {
          g_set_error (error, CLOUDRUN_SESSION_ERROR,
                       CLOUDRUN_SESSION_ERROR_USAGE, "%s: slice %u/%u again "
                       "(also in %s)", name, s->shard, s->shards,
                       seen[s->shard]);
          return NULL;
        }
      seen[s->shard] = name;
    }
  for (guint k = 1; k <= first->shards; k++)
    if (!seen[k])
      {
        g_set_error (error, CLOUDRUN_SESSION_ERROR,
                     CLOUDRUN_SESSION_ERROR_USAGE, "slice %u/%u is missing "
                     "(merge every --shard I/%u of %s)", k, first->shards,
                     first->shards, first->scenario);
        return NULL;
      }
  m = reach_matrix_new ();
  m->scenario = g_strdup (first->scenario);
  m->digest = g_strdup (first->digest);
  for (guint i = 0; i < first->callers->len; i++)
    {
      const ReachCaller *c = first->callers->pdata[i];
      reach_matrix_add_caller (m, c->name, c->kind, c->project);
    }
  for (guint i = 0; i < first->targets->len; i++)
    {
      const ReachTarget *t = first->targets->pdata[i];
      reach_matrix_add_target (m, t->service, t->way, t->url);
    }
  reach_matrix_size (m);
  for (guint i = 0; i < slices->len; i++)
    {
      ReachMatrix *s = slices->pdata[i];

      for (guint k = 0; k < s->n_pairs; k++)
        if (s->pairs[k])
          {
            if (k % s->shards != s->shard - 1 || m->pairs[k])
              {
                g_set_error (error, CLOUDRUN_SESSION_ERROR,
                             CLOUDRUN_SESSION_ERROR_USAGE, "%s: pair %u is "
                             "not one of slice %u/%u", (char *)
                             names->pdata[i], k, s->shard, s->shards);
                reach_matrix_free (m);
                return NULL;
              }
            m->pairs[k] = s->pairs[k];
            s->pairs[k] = NULL;
          }
    }
  for (guint k = 0; k < m->n_pairs; k++)
    if (!m->pairs[k])
      {
        g_set_error (error, CLOUDRUN_SESSION_ERROR,
                     CLOUDRUN_SESSION_ERROR_USAGE, "pair %u (slice %u/%u) is "
                     "missing from %s", k, k % first->shards + 1,
                     first->shards, (char *) names->pdata[0]);
        reach_matrix_free (m);
        return NULL;
      }
  return m;
}

/* ---- Text, markdown, CSV, JUnit ------------------------------------ */

/* A column's header: the service, and the load balancer's name. */
static char *
column_name (const ReachTarget *t)
{
  const char *sp = strchr (t->way, ' ');

  return strcmp (t->way, "run.app") == 0 ? g_strdup (t->service)
         : g_strdup_printf ("%s@%s", t->service, sp ? sp + 1 : t->way);
}

static char *
row_name (const ReachCaller *c)
{
  return g_strdup_printf ("%s (%s)", c->name, c->kind);
}

/* Ends a line without trailing blanks. */
static void
trim_line (GString *out)
{
  while (out->len && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static void
render_table (const ReachMatrix *m, gboolean markdown, GString *out)
{
  guint nt = m->targets->len;
  g_autofree guint *width = g_new0 (guint, nt + 1);
  g_autoptr (GPtrArray) heads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  width[0] = (guint) strlen ("caller");
  for (guint j = 0; j < nt; j++)
    {
      char *h = column_name (m->targets->pdata[j]);
      g_ptr_array_add (heads, h);
      width[j + 1] = (guint) strlen (h);
    }
  for (guint i = 0; i < m->callers->len; i++)
    {
      char *r = row_name (m->callers->pdata[i]);
      g_ptr_array_add (rows, r);
      width[0] = MAX (width[0], (guint) strlen (r));
      for (guint j = 0; j < nt; j++)
        {
          const ReachPair *p = m->pairs[i * nt + j];
          char *c = p ? reach_cell (p) : g_strdup ("-");
          g_ptr_array_add (cells, c);
          width[j + 1] = MAX (width[j + 1], (guint) strlen (c));
        }
    }
  /* Header. */
  if (markdown)
    g_string_append (out, "| ");
  g_string_append_printf (out, "%-*s", (int) width[0], "caller");
  for (guint j = 0; j < nt; j++)
    g_string_append_printf (out, markdown ? " | %-*s" : "  %-*s",
                            (int) width[j + 1], (char *) heads->pdata[j]);
  if (markdown)
    g_string_append (out, " |");
  trim_line (out);
  if (markdown)
    {
      g_string_append (out, "| ---");
      for (guint j = 0; j < nt; j++)
        g_string_append (out, " | ---");
      g_string_append (out, " |\n");
    }
  for (guint i = 0; i < m->callers->len; i++)
    {
      if (markdown)
        g_string_append (out, "| ");
      g_string_append_printf (out, "%-*s", (int) width[0],
                              (char *) rows->pdata[i]);
      for (guint j = 0; j < nt; j++)
        g_string_append_printf (out, markdown ? " | %-*s" : "  %-*s",
                                (int) width[j + 1],
                                (char *) cells->pdata[i * nt + j]);
      if (markdown)
        g_string_append (out, " |");
      trim_line (out);
    }
  g_string_append_printf (out, "%s%u caller(s) x %u way(s) in: int/ext the "
                          "GFE's classification and the HTTP status; drop, "
                          "dns, timeout, vpc-sc: no status (--format json "
                          "for causes and deciding steps)\n",
                          markdown ? "\n" : "", m->callers->len, nt);
}

/* A CSV field, quoted when it needs to be. */
static void
csv_field (GString *out, const char *v, gboolean last)
{
  if (v && strpbrk (v, ",\"\n\r"))
    {
      g_string_append_c (out, '"');
      for (const char *p = v; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (v)
    g_string_append (out, v);
  g_string_append_c (out, last ? '\n' : ',');
}

static void
render_csv (const ReachMatrix *m, GString *out)
{
  g_string_append (out, "from,to,way,url,outcome,status,classified,cause,"
                   "decided_at\n");
  for (guint i = 0; i < m->n_pairs; i++)
    {
      const ReachPair *p = m->pairs[i];
      g_autofree char *status = NULL;

      if (!p)
        continue;
      status = p->status > 0 ? g_strdup_printf ("%d", p->status) : NULL;
      csv_field (out, p->from, FALSE);
      csv_field (out, p->to, FALSE);
      csv_field (out, p->way, FALSE);
      csv_field (out, p->url, FALSE);
      csv_field (out, p->outcome, FALSE);
      csv_field (out, status, FALSE);
      csv_field (out, p->classified, FALSE);
      csv_field (out, p->cause, FALSE);
      csv_field (out, p->decided_at, TRUE);
    }
}

static void
xml_text (GString *out, const char *v)
{
  g_autofree char *e = g_markup_escape_text (v ? v : "", -1);
  g_string_append (out, e);
}

static void
render_junit (const ReachMatrix *m, char ***failed, GString *out)
{
  guint failures = 0, tests = 0;
  g_autoptr (GString) body = g_string_new (NULL);

  for (guint i = 0; i < m->n_pairs; i++)
    {
      const ReachPair *p = m->pairs[i];
      g_autoptr (GString) d = g_string_new (NULL);

      if (!p)
        continue;
      tests++;
      reach_describe_pair (p, d);
      g_string_append (body, "    <testcase classname=\"");
      xml_text (body, p->from);
      g_string_append (body, "\" name=\"");
      xml_text (body, p->from);
      g_string_append (body, " -&gt; ");
      xml_text (body, p->to);
      g_string_append (body, " (");
      xml_text (body, p->way);
      g_string_append (body, ")\">\n");
      if (failed && failed[i])
        {
          failures++;
          for (char **f = failed[i]; *f; f++)
            {
              g_string_append (body, "      <failure message=\"");
              xml_text (body, *f);
              g_string_append (body, "\">");
              xml_text (body, d->str);
              g_string_append (body, "</failure>\n");
            }
        }
      g_string_append (body, "      <system-out>");
      xml_text (body, d->str);
      g_string_append (body, "</system-out>\n    </testcase>\n");
    }
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<testsuites>\n  <testsuite name=\"reach ");
  xml_text (out, m->scenario);
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" "
                          "errors=\"0\">\n", tests, failures);
  g_string_append (out, body->str);
  g_string_append (out, "  </testsuite>\n</testsuites>\n");
}

void
reach_render (const ReachMatrix *m, ReachFormat format, char ***failed,
              GString *out)
{
  switch (format)
    {
    case REACH_FORMAT_TEXT:
    case REACH_FORMAT_MARKDOWN:
      render_table (m, format == REACH_FORMAT_MARKDOWN, out);
      break;
    case REACH_FORMAT_JSON:
      reach_render_json (m, out);
      break;
    case REACH_FORMAT_CSV:
      render_csv (m, out);
      break;
    case REACH_FORMAT_JUNIT:
      render_junit (m, failed, out);
      break;
    }
}
