/* How a run's outputs were made (see tools/report/provenance.h). */
#include "tools/report/provenance.h"

#include <string.h>

#include "models/format/keys.h"

/* Whether one of sets ("GROUP.KEY=VALUE") sets key of the singleton
 * group (assumptions, scenario). */
static gboolean
set_by_option (const char *const *sets, const char *group, const char *key)
{
  size_t group_len = strlen (group);

  for (guint i = 0; sets && sets[i]; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *target = NULL;

      if (!eq)
        continue;
      target = g_strstrip (g_strndup (sets[i], (gsize) (eq - sets[i])));
      if (strncmp (target, group, group_len) == 0
          && target[group_len] == '.'
          && strcmp (target + group_len + 1, key) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
assumption_clear (gpointer data)
{
  ToolsAssumption *a = data;

  g_free (a->key);
  g_free (a->value);
}

static GArray *
assumptions_new (void)
{
  GArray *list = g_array_new (FALSE, TRUE, sizeof (ToolsAssumption));

  g_array_set_clear_func (list, assumption_clear);
  return list;
}

static void
add_assumption (GArray *list, const char *key, const char *value,
                const char *source)
{
  ToolsAssumption a = { g_strdup (key), g_strdup (value), source };

  g_array_append_val (list, a);
}

static void
add_override (GPtrArray *overrides, const char *option, const char *arg)
{
  g_autofree char *valid = g_utf8_make_valid (arg, -1);

  g_ptr_array_add (overrides, g_strconcat (option, valid, NULL));
}

ToolsProvenance *
tools_provenance_new (const CloudRunScenario *sc, const char *text, gsize len,
                      const char *const *sets, const char *const *unsets,
                      gboolean seed_given)
{
  const CloudRunKindInfo *info = cloudrun_kind_info (CLOUDRUN_KIND_ASSUMPTIONS);
  const CloudRunSpecAssumptions *as = &sc->assumptions;
  ToolsProvenance *p = g_new0 (ToolsProvenance, 1);

  p->program = g_strdup ("cloudrun-netsim " PACKAGE_VERSION);
  /* Valid UTF-8 for report.json and pcapng (U+FFFD for a bad byte). */
  p->file = g_utf8_make_valid (sc->path, -1);
  p->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                           (const guchar *) text, len);
  p->seed = sc->seed;
  p->seed_source = seed_given ? "--seed"
    : set_by_option (sets, "scenario", "seed") ? "--set"
    : cloudrun_object_has (&sc->base, "seed") ? "file" : "default";
  p->overrides = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; sets && sets[i]; i++)
    add_override (p->overrides, "--set ", sets[i]);
  for (guint i = 0; unsets && unsets[i]; i++)
    add_override (p->overrides, "--unset ", unsets[i]);
  if (seed_given)
    g_ptr_array_add (p->overrides,
                     g_strdup_printf ("--seed %" G_GUINT64_FORMAT, sc->seed));
  p->assumptions = assumptions_new ();
  for (guint k = 0; k < info->n_keys; k++)
    {
      const CloudRunKey *key = &info->keys[k];
      g_autoptr (GString) value = g_string_new (NULL);
      const char *source = "default";

      if (cloudrun_object_has (&as->base, key->name))
        source = set_by_option (sets, "assumptions", key->name)
                 ? "--set" : "file";
      if (!cloudrun_key_format (key, as, value))
        g_string_assign (value, "?");
      else if (value->len == 0 || strcmp (value->str, "0s") == 0)
        {
          /* An optional key left unset: its help says what stands in. */
          if ((key->flags & CLOUDRUN_KEY_OPTIONAL)
              && strcmp (source, "default") == 0)
            g_string_assign (value, "unset");
        }
      add_assumption (p->assumptions, key->name, value->str, source);
    }
  p->warnings = cloudrun_scenario_warnings (sc);
  return p;
}

ToolsProvenance *
tools_provenance_copy (const ToolsProvenance *p)
{
  ToolsProvenance *c = g_new0 (ToolsProvenance, 1);

  c->program = g_strdup (p->program);
  c->file = g_strdup (p->file);
  c->sha256 = g_strdup (p->sha256);
  c->seed = p->seed;
  c->seed_source = p->seed_source;
  c->overrides = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < p->overrides->len; i++)
    g_ptr_array_add (c->overrides, g_strdup (p->overrides->pdata[i]));
  c->assumptions = assumptions_new ();
  for (guint i = 0; i < p->assumptions->len; i++)
    {
      const ToolsAssumption *a = &g_array_index (p->assumptions,
                                                 ToolsAssumption, i);
      add_assumption (c->assumptions, a->key, a->value, a->source);
    }
  c->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < p->warnings->len; i++)
    g_ptr_array_add (c->warnings, g_strdup (p->warnings->pdata[i]));
  return c;
}

void
tools_provenance_free (ToolsProvenance *p)
{
  if (!p)
    return;
  g_free (p->program);
  g_free (p->file);
  g_free (p->sha256);
  g_ptr_array_unref (p->overrides);
  g_array_unref (p->assumptions);
  g_ptr_array_unref (p->warnings);
  g_free (p);
}

const char *
tools_provenance_seed_source (const ToolsProvenance *p)
{
  return g_str_equal (p->seed_source, "file") ? "the file's"
         : g_str_equal (p->seed_source, "default") ? "the format's default"
         : g_str_equal (p->seed_source, "--seed") ? "given by --seed"
         : "given by --set";
}

char *
tools_provenance_overrides (const ToolsProvenance *p)
{
  GString *line;

  if (p->overrides->len == 0)
    return NULL;
  line = g_string_new (NULL);
  for (guint i = 0; i < p->overrides->len; i++)
    {
      const char *o = p->overrides->pdata[i];
      const char *arg = strchr (o, ' ') + 1;
      g_autofree char *quoted = NULL;

      if (i)
        g_string_append_c (line, ' ');
      g_string_append_len (line, o, arg - o);
      /* Quoted for a shell only when it needs it, as a user types it. */
      if (strpbrk (arg, " \t'\"\\$`;&|<>()*?[]#~!{}") == NULL)
        g_string_append (line, arg);
      else
        {
          quoted = g_shell_quote (arg);
          g_string_append (line, quoted);
        }
    }
  return g_string_free (line, FALSE);
}

void
tools_provenance_assumptions (GString *out, const ToolsProvenance *p)
{
  for (guint i = 0; i < p->assumptions->len; i++)
    {
      const ToolsAssumption *a = &g_array_index (p->assumptions,
                                                 ToolsAssumption, i);

      g_string_append_printf (out, "%s%s = %s", i ? ", " : "", a->key,
                              a->value);
      if (strcmp (a->source, "default") != 0)
        g_string_append_printf (out, " (%s)", a->source);
    }
}

void
tools_provenance_text (GString *out, const ToolsProvenance *p)
{
  g_autofree char *overrides = tools_provenance_overrides (p);

  g_string_append_printf (out, "made by: %s from the file's bytes with "
                          "SHA-256 %s, seed %" G_GUINT64_FORMAT " (%s)\n",
                          p->program, p->sha256, p->seed,
                          tools_provenance_seed_source (p));
  if (overrides)
    g_string_append_printf (out, "overrides: %s (not the file as "
                            "written)\n", overrides);
  else
    g_string_append (out, "overrides: none: the file as written\n");
  g_string_append (out, "assumptions in force: ");
  tools_provenance_assumptions (out, p);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < p->warnings->len; i++)
    g_string_append_printf (out, "warning: %s\n",
                            (const char *) p->warnings->pdata[i]);
}
