/* The generic half of the key tables: messages in the scenario error
 * format ("FILE: [GROUP] KEY: expected X, found Y; did you mean 'Z'?"),
 * did-you-mean by edit distance, list splitting, the text each key type
 * expects, and the `cloudrun-netsim keys [KIND]` documentation.
 * Value parsers live in models/format/key-values.c (scalars) and
 * models/format/key-compound.c (URLs, records, ranges, protocols).
 *
 * Called by models/scenario*.c and models/key-*.c for every message, and
 * by tools/ through cloudrun_keys_describe. Never prints. */
#include "models/format/scenario-private.h"
#include "models/format/service-url.h"

#include <string.h>

#include "sim/units.h"

G_DEFINE_QUARK (cloudrun-scenario-error-quark, cloudrun_scenario_error)

/* ---- Messages ----------------------------------------------------- */

void
cloudrun_problem_clear (CloudRunProblem *problem)
{
  g_clear_pointer (&problem->expected, g_free);
  g_clear_pointer (&problem->found, g_free);
  g_clear_pointer (&problem->suggestion, g_free);
  g_clear_pointer (&problem->hint, g_free);
}

gboolean
cloudrun_problem_set (CloudRunProblem *problem, const char *expected,
                      const char *text)
{
  cloudrun_problem_clear (problem);
  problem->expected = g_strdup (expected);
  problem->found = text == NULL || text[0] == '\0' ? g_strdup ("nothing")
                                                    : cloudrun_quote (text);
  return FALSE;
}

char *
cloudrun_quote (const char *text)
{
  GString *out = g_string_new ("'");
  gsize n = 0;

  for (const unsigned char *p = (const unsigned char *) text; *p; p++, n++)
    {
      if (n == 60)
        {
          g_string_append (out, "...");
          break;
        }
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

static void
fail_full (GError **error, CloudRunScenarioError code, const char *file,
           const char *group, const char *key, const char *expected,
           const char *found, const char *suggestion, const char *hint)
{
  GString *m = g_string_new (file);

  if (group != NULL)
    g_string_append_printf (m, ": [%s]", group);
  if (key != NULL)
    g_string_append_printf (m, " %s", key);
  g_string_append_printf (m, ": expected %s, found %s", expected, found);
  if (hint != NULL)
    g_string_append_printf (m, "; %s", hint);
  if (suggestion != NULL)
    g_string_append_printf (m, "; did you mean '%s'?", suggestion);
  g_set_error_literal (error, CLOUDRUN_SCENARIO_ERROR, (gint) code, m->str);
  g_string_free (m, TRUE);
}

void
cloudrun_fail_literal (GError **error, CloudRunScenarioError code,
                       const char *file, const char *group, const char *key,
                       const char *expected, const char *found,
                       const char *suggestion)
{
  fail_full (error, code, file, group, key, expected, found, suggestion,
             NULL);
}

void
cloudrun_fail (GError **error, CloudRunScenarioError code, const char *file,
               const char *group, const char *key,
               const CloudRunProblem *problem)
{
  fail_full (error, code, file, group, key, problem->expected,
             problem->found, problem->suggestion, problem->hint);
}

/* ---- Did you mean ------------------------------------------------- */

guint
cloudrun_edit_distance (const char *a, const char *b)
{
  gsize n = strlen (a), m = strlen (b);
  guint *d = g_new (guint, (n + 1) * (m + 1)), result;

#define D(i, j) d[(i) * (m + 1) + (j)]
  for (gsize i = 0; i <= n; i++)
    D (i, 0) = (guint) i;
  for (gsize j = 0; j <= m; j++)
    D (0, j) = (guint) j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1]);
        guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);
        best = MIN (best, D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1
            && g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2])
            && g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  result = D (n, m);
#undef D
  g_free (d);
  return result;
}

const char *
cloudrun_suggest (const char *found, const char *const *candidates)
{
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  gboolean tie = FALSE;
  gsize len = found != NULL ? strlen (found) : 0;

  if (len == 0 || candidates == NULL)
    return NULL;
  for (const char *const *c = candidates; *c != NULL; c++)
    {
      guint d = cloudrun_edit_distance (found, *c);
      if (len >= 3 && g_ascii_strncasecmp (*c, found, len) == 0)
        d = MIN (d, 2);
      if (d < best_d)
        {
          best = *c;
          best_d = d;
          tie = FALSE;
        }
      else if (d == best_d && strcmp (best, *c) != 0)
        tie = TRUE;
    }
  if (best == NULL || tie || best_d > 2 || best_d >= len)
    return NULL;
  return best;
}

/* ---- Lists -------------------------------------------------------- */

gboolean
cloudrun_split_list (const char *text, const char *expected, char ***items,
                     CloudRunProblem *problem)
{
  char **parts = g_strsplit (text, ";", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    g_strstrip (parts[i]);
  /* "a;b;" is "a;b" (GKeyFile's own list syntax); "" is the empty list. */
  if (n > 0 && parts[n - 1][0] == '\0')
    {
      g_free (parts[n - 1]);
      parts[--n] = NULL;
    }
  for (guint i = 0; i < n; i++)
    if (parts[i][0] == '\0')
      {
        g_strfreev (parts);
        cloudrun_problem_set (problem, expected, text);
        problem->hint = g_strdup ("an item between two ';' is empty");
        return FALSE;
      }
  *items = parts;
  return TRUE;
}

GArray *
cloudrun_parse_list (const char *text, const CloudRunKey *key, guint size,
                     CloudRunItemParser parse, GDestroyNotify clear,
                     CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  g_auto (GStrv) items = NULL;
  GArray *list;

  if (!cloudrun_split_list (text, expected, &items, problem))
    return NULL;
  list = g_array_sized_new (FALSE, TRUE, size, g_strv_length (items));
  if (clear)
    g_array_set_clear_func (list, clear);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_array_set_size (list, i + 1);
      if (!parse (items[i], list->data + (gsize) i * size, key, expected,
                  problem))
        {
          g_array_unref (list);
          return NULL;
        }
    }
  return list;
}

gboolean
cloudrun_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 63 || !g_ascii_islower (name[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i])
        && name[i] != '-')
      return FALSE;
  return TRUE;
}

/* ---- Expected texts ----------------------------------------------- */

/* Choices a message lists in full; longer lists are named by `keys`. */
#define CHOICES_IN_MESSAGE 20u

static char *
choices_text (const char *const *choices)
{
  guint n = g_strv_length ((char **) choices);

  /* A vocabulary too long for one message: point to `keys`. */
  if (n > CHOICES_IN_MESSAGE)
    return g_strdup_printf ("the %u names that `cloudrun-netsim keys` lists, "
                            "such as %s, %s or %s", n, choices[0], choices[1],
                            choices[2]);
  return g_strjoinv (", ", (char **) choices);
}

static const char *
units_kind (CloudRunKeyType type)
{
  switch (type)
    {
    case CLOUDRUN_KEY_TIME: return "time";
    case CLOUDRUN_KEY_RATE: return "rate";
    case CLOUDRUN_KEY_BANDWIDTH: return "bandwidth";
    case CLOUDRUN_KEY_SIZE: return "size";
    default: return NULL;
    }
}

char *
cloudrun_key_expected (const CloudRunKey *key)
{
  const char *ref = key->ref_kind < CLOUDRUN_KIND_COUNT
                    ? cloudrun_kind_info (key->ref_kind)->name : "?";
  g_autofree char *choices = key->choices ? choices_text (key->choices)
                                          : NULL;

  switch (key->type)
    {
    case CLOUDRUN_KEY_STRING: return g_strdup ("text");
    case CLOUDRUN_KEY_NAME:
      return g_strdup_printf ("the name of a [%s NAME] group", ref);
    case CLOUDRUN_KEY_NAME_LIST:
      return g_strdup_printf ("names of [%s NAME] groups separated by ';'",
                              ref);
    case CLOUDRUN_KEY_INT:
      if (key->min == key->max)
        return g_strdup_printf ("%" G_GINT64_FORMAT, key->min);
      return g_strdup_printf ("a whole number from %" G_GINT64_FORMAT
                              " to %" G_GINT64_FORMAT, key->min, key->max);
    case CLOUDRUN_KEY_UINT64:
      return g_strdup ("a whole number from 0 to 18446744073709551615");
    case CLOUDRUN_KEY_BOOL: return g_strdup ("true or false");
    case CLOUDRUN_KEY_SIZE:
      if (key->max > 0)   /* bounds are whole MiB */
        return g_strdup_printf ("%s, at most %" G_GINT64_FORMAT "MiB",
                                sim_units_expected (units_kind (key->type)),
                                key->max >> 20);
      return g_strdup (sim_units_expected (units_kind (key->type)));
    case CLOUDRUN_KEY_TIME:
      return g_strdup_printf ("%s, at most 43200m (30 days)",
                              sim_units_expected (units_kind (key->type)));
    case CLOUDRUN_KEY_RATE: case CLOUDRUN_KEY_BANDWIDTH:
      return g_strdup (sim_units_expected (units_kind (key->type)));
    case CLOUDRUN_KEY_FRACTION:
      return g_strdup ("a number from 0 to 1, such as 0.9");
    case CLOUDRUN_KEY_TIMESTAMP:
      return g_strdup ("a UTC time YYYY-MM-DDTHH:MM:SSZ (RFC 3339) from "
                       "1970-01-01T00:00:00Z to 2099-12-31T23:59:59Z, such "
                       "as 2026-01-01T00:00:00Z");
    case CLOUDRUN_KEY_ENUM: return g_strdup_printf ("one of %s", choices);
    case CLOUDRUN_KEY_ENUM_LIST:
      return g_strdup_printf ("a list of %s separated by ';'", choices);
    case CLOUDRUN_KEY_IPV4:
      return g_strdup ("an IPv4 address such as 10.0.0.2");
    case CLOUDRUN_KEY_CIDR:
      return g_strdup ("a CIDR range such as 10.0.0.0/24");
    case CLOUDRUN_KEY_CIDR_LIST:
      return g_strdup ("CIDR ranges separated by ';', such as "
                       "10.0.0.0/8;192.168.0.0/16");
    case CLOUDRUN_KEY_ADDRESS_OR_CIDR:
      return g_strdup ("an IPv4 address such as 35.192.0.10 or a CIDR range "
                       "such as 10.8.0.0/28");
    case CLOUDRUN_KEY_REGION:
      return g_strdup ("a Google Cloud region such as us-central1");
    case CLOUDRUN_KEY_PROJECT_NUMBER:
      return g_strdup ("a project number of 12 digits, such as "
                       "123456789012");
    case CLOUDRUN_KEY_CALLER:
      return g_strdup ("the name of a [service NAME], [vm NAME] or "
                       "[client NAME] group");
    default:
      return cloudrun_key_compound_expected (key->type);
    }
}


/* ---- Documentation ------------------------------------------------ */

/* "[KIND]" or "[KIND NAME]", newly allocated. */
static char *
kind_header (const CloudRunKindInfo *info)
{
  return g_strdup_printf (info->singleton ? "[%s]" : "[%s NAME]",
                          info->name);
}

static void
describe_kinds (GString *out)
{
  int width = 0;

  g_string_append (out, "Scenario groups, format 1 (cloudrun-netsim keys "
                        "KIND shows the keys of one):\n\n");
  /* One column for the headers, as wide as the widest. */
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      g_autofree char *header = kind_header (cloudrun_kind_info (
                                               (CloudRunKind) k));
      width = MAX (width, (int) strlen (header));
    }
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      g_autofree char *header = kind_header (info);
      g_string_append_printf (out, "  %-*s %s\n", width, header,
                              info->summary);
    }
}

/* Words joined by ", " and wrapped at about 72 columns, each line
 * indented. */
static void
append_wrapped (GString *out, const char *indent, const char *const *words)
{
  gsize column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (column == 0 || column + strlen (words[i]) > 72)
        {
          g_string_append_printf (out, "%s%s", column ? ",\n" : "", indent);
          column = strlen (indent);
        }
      else
        {
          g_string_append (out, ", ");
          column += 2;
        }
      g_string_append (out, words[i]);
      column += strlen (words[i]);
    }
  g_string_append_c (out, '\n');
}

static void
describe_key (GString *out, const CloudRunKey *key)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  gboolean long_list = key->choices != NULL
                       && g_strv_length ((char **) key->choices) > 6;

  g_string_append_printf (out, "  %s", key->name);
  if (key->flags & CLOUDRUN_KEY_REQUIRED)
    g_string_append (out, " (required)");
  else if (key->default_text != NULL)
    g_string_append_printf (out, " = %s", key->default_text[0]
                                          ? key->default_text : "(empty)");
  else if (key->flags & CLOUDRUN_KEY_OPTIONAL)
    g_string_append (out, " (optional)");
  if (long_list)
    {
      g_string_append_printf (out, "\n      %s:\n",
                              key->type == CLOUDRUN_KEY_ENUM_LIST
                              ? "a list separated by ';' of" : "one of");
      append_wrapped (out, "        ", key->choices);
    }
  else
    g_string_append_printf (out, "\n      %s\n", expected);
  if (key->default_note != NULL)
    g_string_append_printf (out, "      default: %s\n", key->default_note);
  if (key->type == CLOUDRUN_KEY_REGION)
    {
      g_string_append (out, "      regions:\n");
      append_wrapped (out, "        ", cloudrun_region_names ());
    }
  g_string_append_printf (out, "      %s\n", key->help);
}

gboolean
cloudrun_keys_describe (GString *out, const char *kind, GError **error)
{
  const CloudRunKindInfo *info;

  if (kind == NULL)
    {
      describe_kinds (out);
      return TRUE;
    }
  info = cloudrun_kind_lookup (kind);
  if (info == NULL)
    {
      const char *names[CLOUDRUN_KIND_COUNT + 1];
      g_autofree char *expected = NULL, *found = cloudrun_quote (kind);
      for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
        names[k] = cloudrun_kind_info ((CloudRunKind) k)->name;
      names[CLOUDRUN_KIND_COUNT] = NULL;
      g_autofree char *joined = g_strjoinv (", ", (char **) names);
      expected = g_strconcat ("one of ", joined, NULL);
      cloudrun_fail_literal (error, CLOUDRUN_SCENARIO_ERROR_KIND, "keys",
                             NULL, NULL, expected, found,
                             cloudrun_suggest (kind, names));
      return FALSE;
    }
  g_string_append_printf (out, info->singleton ? "[%s]: %s\n\n"
                                               : "[%s NAME]: %s\n\n",
                          info->name, info->summary);
  for (guint i = 0; i < info->n_keys; i++)
    describe_key (out, &info->keys[i]);
  return TRUE;
}

const char *
cloudrun_enum_name (CloudRunKind kind, const char *key, int value)
{
  const CloudRunKindInfo *info = cloudrun_kind_info (kind);
  const CloudRunKey *row = info ? cloudrun_kind_key (info, key, NULL) : NULL;

  if (row == NULL || row->choices == NULL)
    return NULL;
  for (guint i = 0; row->choices[i] != NULL; i++)
    if ((row->values ? row->values[i] : row->first + (int) i) == value)
      return row->choices[i];
  return NULL;
}
