/* Staged output directories (see tools/output.h). */
#include "tools/output.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

gboolean
tools_output_begin (ToolsOutput *out, const char *dir, GError **error)
{
  memset (out, 0, sizeof *out);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot create the output directory: %s", dir,
                   g_strerror (e));
      return FALSE;
    }
  out->dir = g_strdup (dir);
  out->staging = g_build_filename (dir, ".partial-XXXXXX", NULL);
  if (!g_mkdtemp (out->staging))
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot create a staging directory: %s", dir,
                   g_strerror (e));
      g_clear_pointer (&out->staging, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
tools_output_write (ToolsOutput *out, const char *name,
                    const GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (out->staging, name, NULL);

  return g_file_set_contents (path, contents->str, (gssize) contents->len,
                              error);
}

/* Removes a directory with the files (and one level of directories) in it. */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (!dir)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static gboolean
move_into_place (const char *from, const char *to, GError **error)
{
  if (g_rename (from, to) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot move into place: %s", to, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static gint
name_order (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Before anything moves: every staged entry must be able to replace what
 * stands at its place (a file over a file, pcap/ over a directory). */
static gboolean
check_places (ToolsOutput *out, GPtrArray *names, GError **error)
{
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *from = g_build_filename (out->staging, n, NULL);
      g_autofree char *to = g_build_filename (out->dir, n, NULL);
      gboolean from_dir = g_file_test (from, G_FILE_TEST_IS_DIR);

      if (!g_file_test (to, G_FILE_TEST_EXISTS)
          || from_dir == g_file_test (to, G_FILE_TEST_IS_DIR))
        continue;
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s: cannot replace it: expected %s, found %s", to,
                   from_dir ? "a directory" : "a file",
                   from_dir ? "something else" : "a directory");
      return FALSE;
    }
  return TRUE;
}

gboolean
tools_output_commit (ToolsOutput *out, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (out->staging, 0, error);
  const char *name;

  if (!dir)
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, name_order);
  if (!check_places (out, names, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *from = g_build_filename (out->staging, n, NULL);
      g_autofree char *to = g_build_filename (out->dir, n, NULL);
      if (g_file_test (from, G_FILE_TEST_IS_DIR))
        remove_tree (to);       /* a directory is replaced whole */
      if (!move_into_place (from, to, error))
        return FALSE;
    }
  g_rmdir (out->staging);
  g_clear_pointer (&out->staging, g_free);
  return TRUE;
}

void
tools_output_abort (ToolsOutput *out)
{
  if (out->staging)
    remove_tree (out->staging);
  g_clear_pointer (&out->staging, g_free);
}

void
tools_output_clear (ToolsOutput *out)
{
  tools_output_abort (out);
  g_clear_pointer (&out->dir, g_free);
}
