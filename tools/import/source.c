/* JSON getters that name the file, line and JSON path of what they
 * refuse, and checks of the values the scenario format takes. */
#include "tools/import/import-private.h"

#include <stdarg.h>
#include <string.h>

char *
import_path (const ImportSrc *s, const char *rel)
{
  if (!rel || !*rel)
    return g_strdup (s->base);
  return g_strdup_printf ("%s%s%s", s->base, rel[0] == '[' ? "" : ".", rel);
}

gboolean
import_fail (ImportSrc *s, const char *rel, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL, *path = NULL;

  if (!s->error || *s->error)
    return FALSE;
  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  /* A value quoted from the input stays on one line. */
  for (char *p = msg; *p; p++)
    if ((unsigned char) *p < ' ' || *p == 0x7f)
      *p = '?';
  path = import_path (s, rel);
  if (s->line)
    g_set_error (s->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: %s: %s",
                 s->file, s->line, path, msg);
  else
    g_set_error (s->error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s: %s",
                 s->file, path, msg);
  return FALSE;
}

gboolean
import_failed (const ImportSrc *s)
{
  return s->error && *s->error;
}

static const char *
type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    default: break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "a string";
    case G_TYPE_BOOLEAN: return "a boolean";
    default: return "a number";
    }
}

JsonNode *
import_at (ImportSrc *s, JsonNode *root, const char *rel)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) done = g_string_new (NULL);
  JsonNode *node = root;

  if (!rel || !*rel)
    return root && !JSON_NODE_HOLDS_NULL (root) ? root : NULL;
  parts = g_strsplit (rel, ".", -1);
  for (guint i = 0; parts[i] && node; i++)
    {
      char *p = parts[i], *br = strchr (p, '[');
      g_autofree char *member
        = g_strndup (p, br ? (gsize) (br - p) : strlen (p));

      if (*member)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              if (JSON_NODE_HOLDS_NULL (node))
                return NULL;
              import_fail (s, done->str, "expected an object, found %s",
                           type_name (node));
              return NULL;
            }
          node = json_object_get_member (json_node_get_object (node), member);
          g_string_append_printf (done, "%s%s", done->len ? "." : "", member);
        }
      while (node && br)
        {
          guint64 idx = g_ascii_strtoull (br + 1, NULL, 10);
          JsonArray *a;

          if (JSON_NODE_HOLDS_NULL (node))
            return NULL;
          if (!JSON_NODE_HOLDS_ARRAY (node))
            {
              import_fail (s, done->str, "expected an array, found %s",
                           type_name (node));
              return NULL;
            }
          a = json_node_get_array (node);
          node = idx < json_array_get_length (a)
                 ? json_array_get_element (a, (guint) idx) : NULL;
          g_string_append_printf (done, "[%" G_GUINT64_FORMAT "]", idx);
          br = strchr (br + 1, '[');
        }
    }
  if (node && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

const char *
import_str (ImportSrc *s, JsonNode *root, const char *rel)
{
  JsonNode *n = import_at (s, root, rel);

  if (!n)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      import_fail (s, rel, "expected a string, found %s", type_name (n));
      return NULL;
    }
  return json_node_get_string (n);
}

JsonObject *
import_obj (ImportSrc *s, JsonNode *root, const char *rel)
{
  JsonNode *n = import_at (s, root, rel);

  if (!n)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      import_fail (s, rel, "expected an object, found %s", type_name (n));
      return NULL;
    }
  return json_node_get_object (n);
}

JsonArray *
import_arr (ImportSrc *s, JsonNode *root, const char *rel)
{
  JsonNode *n = import_at (s, root, rel);

  if (!n)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      import_fail (s, rel, "expected an array, found %s", type_name (n));
      return NULL;
    }
  return json_node_get_array (n);
}

int
import_bool (ImportSrc *s, JsonNode *root, const char *rel)
{
  JsonNode *n = import_at (s, root, rel);

  if (!n)
    return -1;
  if (JSON_NODE_HOLDS_VALUE (n))
    {
      if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (n) ? 1 : 0;
      if (json_node_get_value_type (n) == G_TYPE_STRING)
        {
          const char *t = json_node_get_string (n);
          if (strcmp (t, "true") == 0)
            return 1;
          if (strcmp (t, "false") == 0)
            return 0;
          import_fail (s, rel, "expected true or false, found '%s'", t);
          return -1;
        }
    }
  import_fail (s, rel, "expected a boolean, found %s", type_name (n));
  return -1;
}

gint64
import_int (ImportSrc *s, JsonNode *root, const char *rel, gint64 max)
{
  JsonNode *n = import_at (s, root, rel);
  gint64 v;

  if (!n)
    return -1;
  if (JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_INT64)
    v = json_node_get_int (n);
  else if (JSON_NODE_HOLDS_VALUE (n)
           && json_node_get_value_type (n) == G_TYPE_DOUBLE
           && json_node_get_double (n)
              == (double) (gint64) json_node_get_double (n)
           && json_node_get_double (n) >= 0 && json_node_get_double (n) < 1e15)
    v = (gint64) json_node_get_double (n);
  else if (JSON_NODE_HOLDS_VALUE (n)
           && json_node_get_value_type (n) == G_TYPE_STRING)
    {
      const char *t = json_node_get_string (n);
      guint64 u;

      if (!*t || strspn (t, "0123456789") != strlen (t)
          || !g_ascii_string_to_unsigned (t, 10, 0, (guint64) max, &u, NULL))
        {
          import_fail (s, rel, "expected a whole number from 0 to %"
                       G_GINT64_FORMAT ", found '%s'", max, t);
          return -1;
        }
      return (gint64) u;
    }
  else
    {
      import_fail (s, rel, "expected a whole number, found %s",
                   type_name (n));
      return -1;
    }
  if (v < 0 || v > max)
    {
      import_fail (s, rel, "expected a whole number from 0 to %"
                   G_GINT64_FORMAT ", found %" G_GINT64_FORMAT, max, v);
      return -1;
    }
  return v;
}

GPtrArray *
import_strs (ImportSrc *s, JsonNode *root, const char *rel)
{
  JsonArray *a = import_arr (s, root, rel);
  GPtrArray *out;

  if (!a)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      g_autofree char *at = g_strdup_printf ("%s[%u]", rel, i);

      if (!JSON_NODE_HOLDS_VALUE (e)
          || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          import_fail (s, at, "expected a string, found %s", type_name (e));
          g_ptr_array_free (out, TRUE);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (json_node_get_string (e)));
    }
  return out;
}

/* ---- Values ----------------------------------------------------------- */

gboolean
import_is_ipv4 (const char *text)
{
  guint parts = 0;
  const char *p = text;

  while (*p)
    {
      guint v = 0, digits = 0;

      while (*p >= '0' && *p <= '9' && digits < 4)
        v = v * 10 + (guint) (*p++ - '0'), digits++;
      if (!digits || digits > 3 || v > 255)
        return FALSE;
      parts++;
      if (*p == '.' && parts < 4)
        p++;
      else if (*p)
        return FALSE;
    }
  return parts == 4;
}

gboolean
import_is_cidr (const char *text)
{
  const char *slash = strchr (text, '/');
  g_autofree char *ip = NULL;
  guint64 len;

  if (!slash || !slash[1]
      || strspn (slash + 1, "0123456789") != strlen (slash + 1)
      || !g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, &len, NULL))
    return FALSE;
  ip = g_strndup (text, (gsize) (slash - text));
  return import_is_ipv4 (ip);
}

gboolean
import_is_word (const char *text)
{
  if (!*text)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

gboolean
import_is_token (const char *text)
{
  if (!*text || strlen (text) > 512)
    return FALSE;
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    if (*p <= ' ' || *p == ';' || *p == '#' || *p == '"' || *p == '\''
        || *p == '\\' || *p == 0x7f)
      return FALSE;
  return TRUE;
}

char *
import_zone_region (const char *zone)
{
  const char *dash = strrchr (zone, '-');

  if (dash && strlen (dash) == 2 && g_ascii_islower (dash[1]))
    return g_strndup (zone, (gsize) (dash - zone));
  return g_strdup (zone);
}
