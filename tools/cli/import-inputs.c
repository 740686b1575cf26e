/* Configurations where a scenario is expected (see tools/cli/cli.h): reach
 * and diff take a scenario file, or the files `import` reads (a JSON file,
 * or a directory of them), imported into a scenario in a temporary
 * directory first. */
#include "tools/cli/cli.h"
#include "tools/import/import.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* Whether path holds configurations: a directory, a *.json file, or a
 * file whose text opens a JSON object, or an array of objects, strings or
 * arrays. A scenario opens with a comment or a group ("[scenario]"). */
static gboolean
is_configuration (const char *path)
{
  FILE *f;
  int c;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      || g_str_has_suffix (path, ".json"))
    return TRUE;
  if (!(f = fopen (path, "rb")))
    return FALSE;
  while ((c = getc (f)) != EOF && g_ascii_isspace (c))
    ;
  if (c == '[')
    while ((c = getc (f)) != EOF && g_ascii_isspace (c))
      ;
  fclose (f);
  return c == '{' || c == '"' || c == '[' || c == ']';
}

/* The inputs: each file as given, each directory's *.json in name order. */
static GPtrArray *
inputs_of (const char *const *paths, guint n, GError **error)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDir) dir = NULL;
      g_autoptr (GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (paths[i], G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (files, g_strdup (paths[i]));
          continue;
        }
      if (!(dir = g_dir_open (paths[i], 0, error)))
        {
          g_ptr_array_unref (files);
          return NULL;
        }
      names = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)))
        if (g_str_has_suffix (name, ".json"))
          g_ptr_array_add (names, g_build_filename (paths[i], name, NULL));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      if (names->len == 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "%s: expected a scenario file, configuration files "
                       "or a directory of *.json configurations, found a "
                       "directory without any", paths[i]);
          g_ptr_array_unref (files);
          return NULL;
        }
      for (guint k = 0; k < names->len; k++)
        g_ptr_array_add (files, g_strdup (names->pdata[k]));
    }
  return files;
}

gboolean
tools_cli_scenario_of (const char *const *paths, guint n,
                       ToolsCliScenario *sc, GError **error)
{
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GPtrArray) not_modelled = NULL;
  g_autoptr (GString) text = NULL;
  g_autofree char *base = NULL;
  char *dot;
  gboolean any = FALSE;

  memset (sc, 0, sizeof *sc);
  for (guint i = 0; i < n; i++)
    any = any || is_configuration (paths[i]);
  if (n == 1 && !any)
    {
      sc->path = g_strdup (paths[0]);
      return TRUE;
    }
  if (!(files = inputs_of (paths, n, error)))
    return FALSE;
  text = g_string_new (NULL);
  not_modelled = g_ptr_array_new_with_free_func (g_free);
  if (!import_files ((const char *const *) files->pdata, files->len, text,
                     not_modelled, error))
    return FALSE;
  for (guint i = 0; i < not_modelled->len; i++)
    fprintf (stderr, "cloudrun-netsim: %s: not modelled: %s\n", paths[0],
             (const char *) not_modelled->pdata[i]);
  if (!(sc->tmp_dir = g_dir_make_tmp ("cloudrun-netsim-import-XXXXXX",
                                      error)))
    return FALSE;
  base = g_path_get_basename (paths[0]);
  if ((dot = strrchr (base, '.')) && dot != base)
    *dot = '\0';
  sc->path = g_strdup_printf ("%s/%s.ini", sc->tmp_dir, base);
  return g_file_set_contents (sc->path, text->str, (gssize) text->len,
                              error);
}

void
tools_cli_scenario_clear (ToolsCliScenario *sc)
{
  if (sc->tmp_dir)
    {
      g_unlink (sc->path);
      g_rmdir (sc->tmp_dir);
    }
  g_clear_pointer (&sc->path, g_free);
  g_clear_pointer (&sc->tmp_dir, g_free);
}
