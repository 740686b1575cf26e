/* Reading an input file and telling its kind by content: newline-
 * delimited JSON of Cloud Asset Inventory, `terraform show -json` (a plan
 * or a state), or a gcloud --format=json output. Bounded: at most
 * IMPORT_MAX_BYTES, valid UTF-8, nesting at most IMPORT_MAX_DEPTH deep
 * (checked before json-glib, whose parser recurses, sees the text). */
#include "tools/import/import-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
import_depth_ok (const char *text, gsize len, guint *line)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  *line = 1;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\n')
        (*line)++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > IMPORT_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* The whole file, at most IMPORT_MAX_BYTES (a FIFO is read to that bound
 * too). */
static char *
read_bounded (const char *path, gsize *len, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  GByteArray *buf;
  struct stat st;
  guint8 chunk[65536];

  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot read: %s", path, g_strerror (e));
      return NULL;
    }
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   "%s: expected a JSON file, found a directory", path);
      return NULL;
    }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode)
      && (guint64) st.st_size > IMPORT_MAX_BYTES)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                   "%s: expected at most %u MiB of JSON, found %"
                   G_GUINT64_FORMAT " bytes", path,
                   (guint) (IMPORT_MAX_BYTES >> 20),
                   (guint64) st.st_size);
      return NULL;
    }
  buf = g_byte_array_new ();
  for (;;)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          close (fd);
          g_byte_array_free (buf, TRUE);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                       "%s: cannot read: %s", path, g_strerror (e));
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (buf, chunk, (guint) n);
      if (buf->len > IMPORT_MAX_BYTES)
        {
          close (fd);
          g_byte_array_free (buf, TRUE);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                       "%s: expected at most %u MiB of JSON, found more",
                       path, (guint) (IMPORT_MAX_BYTES >> 20));
          return NULL;
        }
    }
  close (fd);
  *len = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (buf, FALSE);
}

/* Parses text (len bytes, NUL after) as one JSON value; NULL with an
 * error naming the file and line. */
static JsonNode *
parse (const char *file, guint line0, const char *text, gsize len,
       GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) e = NULL;
  guint line;

  if (!import_depth_ok (text, len, &line))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s:%u: expected JSON at most %d levels deep, found "
                   "deeper nesting", file, line0 + line - 1, IMPORT_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) len, &e))
    {
      /* json-glib says "<data>:LINE:COLUMN: Parse error: ...". */
      const char *msg = e->message;
      guint64 l = 1, col = 0;
      char *end;

      if (g_str_has_prefix (msg, "<data>:"))
        {
          l = g_ascii_strtoull (msg + 7, &end, 10);
          if (*end == ':')
            col = g_ascii_strtoull (end + 1, &end, 10);
          if (*end == ':')
            msg = end + 1 + (end[1] == ' ');
          if (!l)
            l = 1;
        }
      if (col)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     "%s:%u: column %u: expected JSON: %s", file,
                     line0 + (guint) l - 1, (guint) col, msg);
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     "%s:%u: expected JSON: %s", file, line0 + (guint) l - 1,
                     msg);
      return NULL;
    }
  if (!json_parser_get_root (parser))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s:%u: expected JSON, found nothing", file, line0);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* An NDJSON line that is a CAI asset. */
static gboolean
is_asset (JsonNode *n)
{
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    return FALSE;
  o = json_node_get_object (n);
  return json_object_has_member (o, "name")
         && (json_object_has_member (o, "asset_type")
             || json_object_has_member (o, "assetType"));
}

/* Each line of text as a CAI asset (blank lines skipped). */
static gboolean
read_ndjson (ImportModel *m, const char *path, char *text, gsize len,
             GError **error)
{
  guint line = 0;
  char *p = text, *end = text + len;

  while (p < end)
    {
      char *nl = memchr (p, '\n', (gsize) (end - p));
      gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);
      g_autoptr (JsonNode) node = NULL;
      ImportSrc s = { path, ++line, NULL, NULL, m, error };
      gboolean ok;
      char saved;

      if (strspn (p, " \t\r") >= n)
        {
          p += n + 1;
          continue;
        }
      saved = p[n];
      p[n] = '\0';
      node = parse (path, line, p, n, error);
      p[n] = saved;
      if (!node)
        return FALSE;
      s.base = g_strdup ("$");
      if (!is_asset (node))
        ok = import_fail (&s, "", "expected a Cloud Asset Inventory asset "
                          "(an object with name and asset_type) on every "
                          "line");
      else
        ok = import_cai_line (&s, node);
      g_free (s.base);
      if (!ok)
        return FALSE;
      p += n + 1;
    }
  return TRUE;
}

gboolean
import_detect_file (ImportModel *m, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = NULL;
  const char *bad = NULL, *first;
  gsize len = 0;
  GError *e = NULL;
  ImportSrc s = { path, 0, NULL, NULL, m, error };
  gboolean ok;

  if (!(text = read_bounded (path, &len, error)))
    return FALSE;
  if (!g_utf8_validate (text, (gssize) len, &bad))
    {
      guint line = 1;
      for (const char *p = text; p < bad; p++)
        line += *p == '\n';
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s:%u: expected UTF-8 text, found byte 0x%02x", path,
                   line, (guint) (guint8) *bad);
      return FALSE;
    }
  if (strlen (text) != len)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected JSON text, found a NUL byte", path);
      return FALSE;
    }
  first = text + strspn (text, " \t\r\n");
  if (!*first)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected a Cloud Asset Inventory export, terraform "
                   "show -json or gcloud --format=json output, found an "
                   "empty file", path);
      return FALSE;
    }
  /* NDJSON: a first line that is a whole asset. */
  if (*first == '{')
    {
      const char *nl = strchr (first, '\n');
      if (nl && strspn (nl, " \t\r\n") < strlen (nl))
        {
          g_autofree char *line1 = g_strndup (first, (gsize) (nl - first));
          g_autoptr (JsonNode) one = parse (path, 1, line1, strlen (line1), &e);
          g_clear_error (&e);
          if (one && is_asset (one))
            return read_ndjson (m, path, text, len, error);
        }
    }
  if (!(root = parse (path, 1, text, len, error)))
    return FALSE;
  s.base = g_strdup ("$");
  if (is_asset (root))
    ok = import_cai_line (&s, root);
  else if (JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root),
                                      "format_version")
           && (json_object_has_member (json_node_get_object (root),
                                       "planned_values")
               || json_object_has_member (json_node_get_object (root), "values")
               || json_object_has_member (json_node_get_object (root),
                                          "terraform_version")))
    ok = import_terraform (&s, root);
  else if (JSON_NODE_HOLDS_ARRAY (root)
           && json_array_get_length (json_node_get_array (root)) > 0
           && is_asset (json_array_get_element (json_node_get_array (root), 0)))
    {
      /* gcloud asset list --format=json: an array of assets. */
      JsonArray *a = json_node_get_array (root);
      ok = TRUE;
      for (guint i = 0; ok && i < json_array_get_length (a); i++)
        {
          ImportSrc one = s;
          one.base = g_strdup_printf ("$[%u]", i);
          ok = import_cai_line (&one, json_array_get_element (a, i));
          g_free (one.base);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (root) || JSON_NODE_HOLDS_OBJECT (root))
    ok = import_gcloud (&s, root);
  else
    ok = import_fail (&s, "", "expected a Cloud Asset Inventory export, "
                      "terraform show -json or gcloud --format=json output, "
                      "found a bare value");
  g_free (s.base);
  return ok;
}
