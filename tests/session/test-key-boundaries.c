/* Property test of the key tables' bounds (issue 27): on every public
 * scenario, every key of every group is set (as --set "GROUP.KEY=VALUE")
 * to each of its documented boundaries and one past them
 * (cloudrun_key_boundaries), in process through the door. Each load
 * either is refused with a message that names the key (or, for a value
 * documented as valid, the key of another group it conflicts with), or
 * gives a session that runs for at most RUN_NS of simulated time,
 * finishes (early: requests still open are pending) and renders
 * report.txt and report.json. A value past a documented bound must be
 * refused. GLib criticals abort (make check sets G_DEBUG), and the
 * sanitizer build (tools/test) runs this too.
 *
 * Bounded time (about 45 s on the normal build): at most GROUPS_PER_KIND
 * groups of each kind in each scenario (the first in file order;
 * KEY_BOUNDARY_GROUPS=N changes it), and runs stop at RUN_NS. Prints
 * TAP: one line per KIND.KEY, and the number of loads as a comment;
 * KEY_BOUNDARY_VERBOSE=1 names each load on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "tools/session/cloudrun-netsim.h"

#ifndef SCENARIOS_DIR
#error "SCENARIOS_DIR: the directory of the public scenarios"
#endif

#define GROUPS_PER_KIND 1u
#define RUN_NS ((guint64) 200 * 1000 * 1000)
#define SLICE_NS ((guint64) 50 * 1000 * 1000)
/* Failures told per KIND.KEY; the rest are counted. */
#define DIAGS_PER_KEY 3u

typedef struct {
  char *kind, *key, *value;
  gboolean refused;
} Boundary;

typedef struct {
  char *name;                   /* KIND.KEY */
  guint loads, failures;
  GString *diag;
} KeyResult;

typedef struct {
  GArray *boundaries;           /* Boundary */
  GPtrArray *keys;              /* KeyResult *, table order */
  GHashTable *by_name;          /* KIND.KEY -> KeyResult * */
  guint loads, refused, ran, inside_refused;
} Test;

static void
collect (const char *kind, const char *key, const char *value,
         gboolean refused, gpointer user)
{
  Test *t = user;
  Boundary b = { g_strdup (kind), g_strdup (key), g_strdup (value),
                 refused };
  char *name = g_strdup_printf ("%s.%s", kind, key);

  g_array_append_val (t->boundaries, b);
  if (g_hash_table_lookup (t->by_name, name) == NULL)
    {
      KeyResult *r = g_new0 (KeyResult, 1);
      r->name = name;
      r->diag = g_string_new (NULL);
      g_ptr_array_add (t->keys, r);
      g_hash_table_insert (t->by_name, r->name, r);
    }
  else
    g_free (name);
}

static void
fail (KeyResult *r, const char *file, const char *group, const char *value,
      const char *why)
{
  if (r->failures++ < DIAGS_PER_KEY)
    g_string_append_printf (r->diag, "# %s: [%s] %s = \"%.40s%s\": %s\n",
                            file, group, r->name, value,
                            strlen (value) > 40 ? "..." : "", why);
}

/* Runs s for at most RUN_NS and renders two reports; NULL or why not. */
static char *
run (CloudRunSession *s)
{
  g_autoptr (GString) warnings = g_string_new (NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  CloudRunProgress p;

  if (!cloudrun_session_start (s, NULL, NULL, warnings, &error))
    return error->message[0] ? NULL : g_strdup ("start: empty error");
  do
    cloudrun_session_progress (s, &p);
  while (p.now < RUN_NS && cloudrun_session_advance (s, SLICE_NS));
  if (!cloudrun_session_finish (s, TRUE, warnings, &error))
    return g_strdup_printf ("finish: %s", error ? error->message : "?");
  if (!cloudrun_session_render (s, CLOUDRUN_REPORT_TEXT, out, &error)
      || !cloudrun_session_render (s, CLOUDRUN_REPORT_JSON, out, &error))
    return g_strdup_printf ("render: %s", error->message);
  if (out->len == 0)
    return g_strdup ("empty reports");
  return NULL;
}

static void
try_one (Test *t, const char *file, const char *text, gsize len,
         const char *group, const Boundary *b)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", b->kind, b->key);
  KeyResult *r = g_hash_table_lookup (t->by_name, name);
  g_autofree char *set = g_strdup_printf ("%s.%s=%s", group, b->key,
                                          b->value);
  const char *sets[] = { set, NULL };
  CloudRunEdits edits = { sets, NULL, FALSE, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CloudRunSession) s = NULL;

  t->loads++;
  r->loads++;
  if (g_getenv ("KEY_BOUNDARY_VERBOSE"))
    fprintf (stderr, "%s --set '%s'\n", file, set);
  s = cloudrun_session_load (file, text, len, &edits, &error);
  if (s == NULL)
    {
      t->refused++;
      if (error == NULL || error->message[0] == '\0')
        fail (r, file, group, b->value, "refused with no message");
      else if (b->refused && strstr (error->message, b->key) == NULL)
        fail (r, file, group, b->value, error->message);
      /* A valid value another group does not agree with: the message
       * names the file and that group's key instead. */
      else if (!b->refused && !g_str_has_prefix (error->message, file))
        fail (r, file, group, b->value, error->message);
      if (!b->refused)
        t->inside_refused++;
      return;
    }
  if (b->refused)
    {
      fail (r, file, group, b->value, "accepted a value past its bound");
      return;
    }
  t->ran++;
  g_autofree char *why = run (s);
  if (why != NULL)
    fail (r, file, group, b->value, why);
}

static void
try_scenario (Test *t, const char *path, guint per_kind)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_auto (GStrv) groups = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal,
                                                       g_free, NULL);
  g_autoptr (GPtrArray) todo = g_ptr_array_new_with_free_func (g_free);
  const char *file = strrchr (path, '/') + 1;

  if (!g_file_get_contents (path, &text, &len, NULL)
      || !g_key_file_load_from_data (kf, text, len, G_KEY_FILE_NONE, NULL))
    {
      printf ("Bail out! cannot read %s\n", path);
      exit (1);
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    g_ptr_array_add (todo, g_strdup (groups[i]));
  /* --set makes [assumptions] when the file has none. */
  if (!g_key_file_has_group (kf, "assumptions"))
    g_ptr_array_add (todo, g_strdup ("assumptions"));
  for (guint i = 0; i < todo->len; i++)
    {
      const char *group = todo->pdata[i];
      g_autofree char *kind = g_strndup (group, strcspn (group, " "));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, kind));

      if (n >= per_kind)
        continue;
      g_hash_table_replace (seen, g_strdup (kind), GUINT_TO_POINTER (n + 1));
      for (guint j = 0; j < t->boundaries->len; j++)
        {
          const Boundary *b = &g_array_index (t->boundaries, Boundary, j);
          if (strcmp (b->kind, kind) == 0)
            try_one (t, file, text, len, group, b);
        }
    }
}

static int
by_path (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (void)
{
  Test t = { g_array_new (FALSE, FALSE, sizeof (Boundary)),
             g_ptr_array_new (), g_hash_table_new (g_str_hash, g_str_equal),
             0, 0, 0, 0 };
  const char *env = g_getenv ("KEY_BOUNDARY_GROUPS");
  guint per_kind = env ? (guint) g_ascii_strtoull (env, NULL, 10)
                       : GROUPS_PER_KIND;
  g_autoptr (GDir) dir = g_dir_open (SCENARIOS_DIR, 0, NULL);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gint64 t0 = g_get_monotonic_time ();
  guint failed = 0;

  if (dir == NULL)
    {
      printf ("Bail out! cannot open %s\n", SCENARIOS_DIR);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".ini"))
      g_ptr_array_add (paths, g_build_filename (SCENARIOS_DIR, name, NULL));
  g_ptr_array_sort (paths, by_path);
  cloudrun_key_boundaries (collect, &t);

  for (guint i = 0; i < paths->len; i++)
    try_scenario (&t, paths->pdata[i], per_kind);

  printf ("1..%u\n", t.keys->len);
  for (guint i = 0; i < t.keys->len; i++)
    {
      KeyResult *r = t.keys->pdata[i];
      if (r->loads == 0)
        printf ("ok %u - %s # SKIP no public scenario has its group\n",
                i + 1, r->name);
      else if (r->failures == 0)
        printf ("ok %u - %s (%u loads)\n", i + 1, r->name, r->loads);
      else
        {
          failed++;
          printf ("not ok %u - %s: %u of %u loads failed\n%s", i + 1,
                  r->name, r->failures, r->loads, r->diag->str);
        }
    }
  printf ("# %u boundaries of %u keys; %u scenarios, at most %u groups of "
          "a kind each; %u loads: %u refused (%u of them documented as "
          "valid, refused for another reason), %u ran; %.1f s\n",
          t.boundaries->len, t.keys->len, paths->len, per_kind, t.loads,
          t.refused, t.inside_refused, t.ran,
          (double) (g_get_monotonic_time () - t0) / 1e6);
  for (guint i = 0; i < t.boundaries->len; i++)
    {
      Boundary *b = &g_array_index (t.boundaries, Boundary, i);
      g_free (b->kind);
      g_free (b->key);
      g_free (b->value);
    }
  for (guint i = 0; i < t.keys->len; i++)
    {
      KeyResult *r = t.keys->pdata[i];
      g_string_free (r->diag, TRUE);
      g_free (r->name);
      g_free (r);
    }
  g_array_unref (t.boundaries);
  g_ptr_array_unref (t.keys);
  g_hash_table_unref (t.by_name);
  return failed ? 1 : 0;
}
