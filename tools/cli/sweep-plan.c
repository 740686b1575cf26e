/* The runs of a sweep (see tools/cli/sweep.h): [sweep] read with GKeyFile
 * (the scenario loader accepts the group and makes nothing of it), the
 * values of each key checked by loading the scenario with each of them,
 * then with each combination, and the runs numbered.
 *
 * Run n, with S = MAX (seeds, 1): its seed index is n % S, and n / S
 * counts the combinations like an odometer whose last wheel is the last
 * key of the file. */
#include "tools/cli/sweep.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "tools/cli/cli.h"

static void
param_free (gpointer data)
{
  ToolsSweepParam *p = data;

  g_free (p->target);
  g_strfreev (p->values);
  g_free (p);
}

static gboolean
fail (GError **error, const char *path, const char *key, const char *expected,
      const char *found)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: [" CLOUDRUN_SWEEP_GROUP "]%s%s: expected %s, found %s",
               path, key ? " " : "", key ? key : "", expected, found);
  return FALSE;
}

/* seeds = N: a whole number from 1 to TOOLS_SWEEP_MAX_RUNS. */
static gboolean
parse_seeds (ToolsSweep *sw, const char *text, GError **error)
{
  guint64 n;
  g_autofree char *found = g_strdup_printf ("'%s'", text);
  g_autofree char *expected = g_strdup_printf ("a whole number of seeds "
                                               "from 1 to %u",
                                               TOOLS_SWEEP_MAX_RUNS);

  if (!*text || strspn (text, "0123456789") != strlen (text)
      || !g_ascii_string_to_unsigned (text, 10, 1, TOOLS_SWEEP_MAX_RUNS, &n,
                                      NULL))
    return fail (error, sw->path, "seeds", expected, found);
  sw->seeds = (guint) n;
  return TRUE;
}

/* TARGET = V1;V2;...: values stripped, none empty, none twice, no tab (a
 * --list-runs field separator). A trailing ';' is allowed, as in the
 * scenario's lists. */
static gboolean
parse_param (ToolsSweep *sw, const char *target, const char *text,
             GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ";", -1);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  ToolsSweepParam *p;
  guint n = g_strv_length (items);

  if (n > 1 && *g_strstrip (items[n - 1]) == '\0')
    n--;
  for (guint i = 0; i < n; i++)
    {
      const char *v = g_strstrip (items[i]);
      g_autofree char *found = g_strdup_printf ("'%s'", text);
      if (*v == '\0')
        return fail (error, sw->path, target, "values separated by ';', "
                     "none empty", found);
      if (strchr (v, '\t'))
        return fail (error, sw->path, target, "values without a tab", found);
      for (guint j = 0; j < values->len; j++)
        if (strcmp (values->pdata[j], v) == 0)
          {
            g_autofree char *twice = g_strdup_printf ("'%s' twice", v);
            return fail (error, sw->path, target, "each value once", twice);
          }
      g_ptr_array_add (values, g_strdup (v));
    }
  if (strcmp (target, "scenario.seed") == 0 && sw->seeds)
    return fail (error, sw->path, target, "either seeds = N or a "
                 "scenario.seed key, not both", "both");
  p = g_new0 (ToolsSweepParam, 1);
  p->target = g_strdup (target);
  p->n_values = values->len;
  g_ptr_array_add (values, NULL);
  p->values = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  g_ptr_array_add (sw->params, p);
  return TRUE;
}

gboolean
tools_sweep_parse (ToolsSweep *sw, const char *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) keys = NULL;
  g_autofree char *seeds = NULL;
  guint64 combos = 1;

  memset (sw, 0, sizeof *sw);
  sw->path = g_strdup (path);
  sw->params = g_ptr_array_new_with_free_func (param_free);
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot read "
                   "the scenario: %s", path, local->message);
      return FALSE;
    }
  if (!g_key_file_has_group (kf, CLOUDRUN_SWEEP_GROUP))
    return fail (error, path, NULL, "a [sweep] group naming the keys to "
                 "vary (see docs/scenario-format.md)", "none");
  keys = g_key_file_get_keys (kf, CLOUDRUN_SWEEP_GROUP, NULL, NULL);
  seeds = g_key_file_get_value (kf, CLOUDRUN_SWEEP_GROUP, "seeds", NULL);
  if (seeds && !parse_seeds (sw, g_strstrip (seeds), error))
    return FALSE;
  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *value = NULL;
      if (strcmp (keys[i], "seeds") == 0)
        continue;
      value = g_key_file_get_value (kf, CLOUDRUN_SWEEP_GROUP, keys[i], NULL);
      if (!parse_param (sw, keys[i], value ? value : "", error))
        return FALSE;
    }
  for (guint i = 0; i < sw->params->len; i++)
    {
      combos *= ((ToolsSweepParam *) sw->params->pdata[i])->n_values;
      if (combos * MAX (sw->seeds, 1) > TOOLS_SWEEP_MAX_RUNS)
        {
          g_autofree char *found = g_strdup_printf (
              "more (at [sweep] %s)",
              ((ToolsSweepParam *) sw->params->pdata[i])->target);
          g_autofree char *expected = g_strdup_printf (
              "at most %u runs", TOOLS_SWEEP_MAX_RUNS);
          return fail (error, path, NULL, expected, found);
        }
    }
  sw->n_combos = (guint) combos;
  sw->n_runs = sw->n_combos * MAX (sw->seeds, 1);
  return TRUE;
}

guint
tools_sweep_decompose (const ToolsSweep *sw, guint n, guint *choices,
                       guint *seed_index)
{
  guint s = MAX (sw->seeds, 1);
  guint combo = n / s, rest = combo;

  if (seed_index)
    *seed_index = n % s;
  for (guint i = sw->params->len; i-- > 0;)
    {
      const ToolsSweepParam *p = sw->params->pdata[i];
      if (choices)
        choices[i] = rest % p->n_values;
      rest /= p->n_values;
    }
  return combo;
}

guint
tools_sweep_combo (const ToolsSweep *sw, guint n)
{
  return n / MAX (sw->seeds, 1);
}

guint64
tools_sweep_seed (const ToolsSweep *sw, guint n)
{
  if (sw->seeds)
    return (guint64) (n % sw->seeds) + 1;
  return sw->combos[tools_sweep_combo (sw, n)].seed;
}

char **
tools_sweep_sets (const ToolsSweep *sw, guint n)
{
  g_autofree guint *choices = g_new0 (guint, sw->params->len + 1);
  char **sets = g_new0 (char *, sw->params->len + 1);

  tools_sweep_decompose (sw, n, choices, NULL);
  for (guint i = 0; i < sw->params->len; i++)
    {
      const ToolsSweepParam *p = sw->params->pdata[i];
      sets[i] = g_strdup_printf ("%s=%s", p->target, p->values[choices[i]]);
    }
  return sets;
}

void
tools_sweep_list_line (GString *out, const ToolsSweep *sw, guint n)
{
  g_auto (GStrv) sets = tools_sweep_sets (sw, n);

  g_string_append_printf (out, "%u\tseed=%" G_GUINT64_FORMAT, n,
                          tools_sweep_seed (sw, n));
  for (guint i = 0; sets[i]; i++)
    g_string_append_printf (out, "\t%s", sets[i]);
  g_string_append_c (out, '\n');
}

/* Loads the scenario with sets (and no seed). */
static CloudRunSession *
load_with (const ToolsSweep *sw, char **sets, GError **error)
{
  CloudRunEdits edits = { (const char *const *) sets, NULL, FALSE, 0 };

  return tools_cli_load (sw->path, &edits, error);
}

gboolean
tools_sweep_validate_values (ToolsSweep *sw, GError **error)
{
  for (guint i = 0; i < sw->params->len; i++)
    {
      const ToolsSweepParam *p = sw->params->pdata[i];
      for (guint v = 0; v < p->n_values; v++)
        {
          g_autofree char *set = g_strdup_printf ("%s=%s", p->target,
                                                  p->values[v]);
          char *sets[] = { set, NULL };
          g_autoptr (GError) local = NULL;
          g_autoptr (CloudRunSession) s = load_with (sw, sets, &local);
          if (!s)
            {
              g_autofree char *found = g_strdup_printf (
                  "value '%s' (%s)", p->values[v], local->message);
              return fail (error, sw->path, p->target, "a --set target "
                           "and values it takes", found);
            }
        }
    }
  if (!sw->combos)
    sw->combos = g_new0 (ToolsSweepCombo, sw->n_combos);
  return TRUE;
}

gboolean
tools_sweep_validate_combo (ToolsSweep *sw, guint c, GError **error)
{
  guint n = c * MAX (sw->seeds, 1);
  g_auto (GStrv) sets = tools_sweep_sets (sw, n);
  g_autoptr (GError) local = NULL;
  g_autoptr (CloudRunSession) s = NULL;
  guint n_traffics;

  if (sw->combos[c].traffic)
    return TRUE;
  if (!(s = load_with (sw, sets, &local)))
    {
      g_autoptr (GString) line = g_string_new (NULL);
      g_autofree char *found = NULL;
      for (guint i = 0; sets[i]; i++)
        g_string_append_printf (line, "%s'%s'", i ? ", " : "", sets[i]);
      found = g_strdup_printf ("run %u (%s) does not load: %s", n, line->str,
                               local->message);
      return fail (error, sw->path, NULL, "values that load together",
                   found);
    }
  n_traffics = cloudrun_session_n_traffics (s);
  sw->combos[c].seed = cloudrun_session_seed (s);
  sw->combos[c].traffic = g_new0 (char *, n_traffics + 1);
  for (guint t = 0; t < n_traffics; t++)
    sw->combos[c].traffic[t] = g_strdup (cloudrun_session_traffic_name (s, t));
  return TRUE;
}

gboolean
tools_sweep_validate (ToolsSweep *sw, GError **error)
{
  if (!tools_sweep_validate_values (sw, error))
    return FALSE;
  for (guint c = 0; c < sw->n_combos; c++)
    if (!tools_sweep_validate_combo (sw, c, error))
      return FALSE;
  return TRUE;
}

void
tools_sweep_clear (ToolsSweep *sw)
{
  for (guint c = 0; sw->combos && c < sw->n_combos; c++)
    g_strfreev (sw->combos[c].traffic);
  g_free (sw->combos);
  g_clear_pointer (&sw->params, g_ptr_array_unref);
  g_free (sw->path);
  memset (sw, 0, sizeof *sw);
}
