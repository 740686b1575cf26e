/* Parsers of the scalar value types of the key tables: strings, names,
 * integers, booleans, times, rates, bandwidths, sizes, fractions, enums,
 * IPv4 addresses, regions and project numbers; plus the dispatch to the
 * compound types of models/format/key-compound.c, and freeing a field by type.
 *
 * Called by models/format/scenario.c for every value written in a file, given by
 * --set, or taken from a table's default_text (so defaults go through the
 * very same code). A parser writes the field only on success and leaves a
 * CloudRunProblem otherwise; the caller adds file, group and key. */
#include "models/format/scenario-private.h"
#include "models/format/service-url.h"

#include <string.h>

#include "sim/units.h"
#include "sim/wire.h"

static gboolean
fail_expected (const CloudRunKey *key, const char *text,
               CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  return cloudrun_problem_set (problem, expected, text);
}

/* Text that reaches titles, reports, SVG and the terminal: no control
 * characters (C0, DEL, C1) but line feeds and tabs. text is UTF-8. */
static gboolean
text_is_printable (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) && c != '\n' && c != '\t')
        return FALSE;
    }
  return TRUE;
}

/* Decimal digits only, into *out; FALSE on anything else or overflow. */
static gboolean
parse_digits (const char *text, guint64 *out)
{
  guint64 v = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p) || v > (G_MAXUINT64 - (guint64) (*p - '0'))
                                         / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_int (const CloudRunKey *key, const char *text, void *object,
           CloudRunProblem *problem)
{
  gboolean negative = text[0] == '-';
  guint64 magnitude;
  gint64 v;

  if (!parse_digits (text + negative, &magnitude)
      || magnitude > (guint64) G_MAXINT64)
    return fail_expected (key, text, problem);
  v = negative ? -(gint64) magnitude : (gint64) magnitude;
  if (v < key->min || v > key->max)
    return fail_expected (key, text, problem);
  *FIELD (int64_t, object, key) = v;
  return TRUE;
}

static gboolean
parse_bool (const CloudRunKey *key, const char *text, void *object,
            CloudRunProblem *problem)
{
  static const char *const words[] = { "true", "false", NULL };

  if (strcmp (text, "true") == 0 || strcmp (text, "false") == 0)
    {
      *FIELD (gboolean, object, key) = text[0] == 't';
      return TRUE;
    }
  fail_expected (key, text, problem);
  problem->suggestion = g_strdup (cloudrun_suggest (text, words));
  return FALSE;
}

/* The unit part of a bad-unit value, and a suggestion "NUMBERUNIT". */
static void
suggest_unit (const char *text, CloudRunKeyType type,
              CloudRunProblem *problem)
{
  static const char *const time_u[] = { "ns", "us", "ms", "s", "m", NULL };
  static const char *const rate_u[] = { "/s", "/ms", "/m", NULL };
  static const char *const bw_u[] = { "bps", "kbps", "Mbps", "Gbps", NULL };
  static const char *const size_u[] = { "B", "KB", "KiB", "MB", "MiB", "GB",
                                        "GiB", "TB", "TiB", NULL };
  const char *const *units = type == CLOUDRUN_KEY_TIME ? time_u
                             : type == CLOUDRUN_KEY_RATE ? rate_u
                             : type == CLOUDRUN_KEY_BANDWIDTH ? bw_u : size_u;
  gsize n = strspn (text, "0123456789.");
  g_autofree char *unit = g_strstrip (g_strdup (text + n));
  const char *best = cloudrun_suggest (unit, units);

  for (const char *const *u = units; best == NULL && *u; u++)
    if (strcmp (*u, unit) == 0)
      best = *u;                /* "10 s": only the space is wrong */
  if (best != NULL && n > 0)
    problem->suggestion = g_strdup_printf ("%.*s%s", (int) n, text, best);
  if (strchr (text, ' ') != NULL)
    problem->hint = g_strdup ("write the unit right after the number, "
                              "without a space");
}

static gboolean
parse_units (const CloudRunKey *key, const char *text, void *object,
             CloudRunProblem *problem)
{
  SimUnitsError e;

  switch (key->type)
    {
    case CLOUDRUN_KEY_TIME:
      e = sim_units_parse_time (text, FIELD (SimTime, object, key));
      break;
    case CLOUDRUN_KEY_RATE:
      e = sim_units_parse_rate (text, FIELD (double, object, key));
      break;
    case CLOUDRUN_KEY_BANDWIDTH:
      e = sim_units_parse_bandwidth (text, FIELD (uint64_t, object, key));
      break;
    default:
      e = sim_units_parse_size (text, FIELD (uint64_t, object, key));
      break;
    }
  if (e == SIM_UNITS_OK && key->type == CLOUDRUN_KEY_SIZE && key->max > 0
      && *FIELD (uint64_t, object, key) > (uint64_t) key->max)
    return fail_expected (key, text, problem);
  if (e == SIM_UNITS_OK && key->type == CLOUDRUN_KEY_TIME
      && *FIELD (SimTime, object, key) > CLOUDRUN_TIME_KEY_MAX)
    return fail_expected (key, text, problem);
  if (e == SIM_UNITS_OK)
    return TRUE;
  fail_expected (key, text, problem);
  if (e == SIM_UNITS_BAD_UNIT)
    suggest_unit (text, key->type, problem);
  else if (e != SIM_UNITS_NO_UNIT && e != SIM_UNITS_EMPTY)
    {
      char *found = g_strdup_printf ("%s (%s)", problem->found,
                                     sim_units_error_string (e));
      g_free (problem->found);
      problem->found = found;
    }
  return FALSE;
}

static gboolean
parse_fraction (const CloudRunKey *key, const char *text, void *object,
                CloudRunProblem *problem)
{
  gsize n = strspn (text, "0123456789"), m = 0;
  double v;

  /* DIGITS [ "." DIGITS ], nothing else (no sign, exponent or space). */
  if (text[n] == '.')
    m = strspn (text + n + 1, "0123456789");
  if (n == 0 || (text[n] == '.' && m == 0)
      || text[n + (text[n] == '.' ? m + 1 : 0)] != '\0')
    return fail_expected (key, text, problem);
  v = g_ascii_strtod (text, NULL);
  if (v < 0 || v > 1)
    return fail_expected (key, text, problem);
  *FIELD (double, object, key) = v;
  return TRUE;
}

static int
choice_index (const char *const *choices, const char *text)
{
  for (int i = 0; choices[i] != NULL; i++)
    if (strcmp (choices[i], text) == 0)
      return i;
  return -1;
}

/* The value of choice i of key. */
static int
choice_value (const CloudRunKey *key, int i)
{
  return key->values ? key->values[i] : key->first + i;
}

static gboolean
parse_enum (const CloudRunKey *key, const char *text, void *object,
            CloudRunProblem *problem)
{
  int i = choice_index (key->choices, text);

  if (i < 0)
    {
      fail_expected (key, text, problem);
      problem->suggestion = g_strdup (cloudrun_suggest (text, key->choices));
      return FALSE;
    }
  *FIELD (int, object, key) = choice_value (key, i);
  return TRUE;
}

static gboolean
choice_item (const char *item, void *out, const CloudRunKey *key,
             const char *expected, CloudRunProblem *problem)
{
  int v = choice_index (key->choices, item);

  if (v >= 0)
    {
      *(int *) out = choice_value (key, v);
      return TRUE;
    }
  cloudrun_problem_set (problem, expected, item);
  problem->suggestion = g_strdup (cloudrun_suggest (item, key->choices));
  return FALSE;
}

static gboolean
parse_enum_list (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  GArray *values = cloudrun_parse_list (text, key, sizeof (int), choice_item,
                                        NULL, problem);

  *FIELD (GArray *, object, key) = values;
  return values != NULL;
}

static gboolean
parse_ipv4 (const CloudRunKey *key, const char *text, void *object,
            CloudRunProblem *problem)
{
  if (!sim_ipv4_parse (text, FIELD (uint32_t, object, key)))
    return fail_expected (key, text, problem);
  return TRUE;
}

static gboolean
parse_region (const CloudRunKey *key, const char *text, void *object,
              CloudRunProblem *problem)
{
  if (cloudrun_region_lookup (text) == NULL)
    {
      fail_expected (key, text, problem);
      problem->suggestion = g_strdup (cloudrun_suggest (
          text, cloudrun_region_names ()));
      return FALSE;
    }
  *FIELD (char *, object, key) = g_strdup (text);
  return TRUE;
}

static gboolean
parse_project_number (const CloudRunKey *key, const char *text, void *object,
                      CloudRunProblem *problem)
{
  guint64 v;

  if (strlen (text) != 12 || !parse_digits (text, &v))
    return fail_expected (key, text, problem);
  *FIELD (uint64_t, object, key) = v;
  return TRUE;
}

/* The n digits at p, as a number. */
static int
digits_at (const char *p, int n)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    v = v * 10 + (p[i] - '0');
  return v;
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ, a real calendar time (no leap second),
 * within CLOUDRUN_TIMESTAMP_KEY_MAX. */
static gboolean
parse_timestamp (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr (GDateTime) t = NULL;
  int64_t v;

  if (strlen (text) != sizeof shape - 1)
    return fail_expected (key, text, problem);
  for (size_t i = 0; shape[i] != '\0'; i++)
    if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
      return fail_expected (key, text, problem);
  /* GDateTime takes 60 seconds as the next minute: refused here. */
  if (digits_at (text + 17, 2) > 59
      || (t = g_date_time_new_utc (digits_at (text, 4), digits_at (text + 5, 2),
                                   digits_at (text + 8, 2),
                                   digits_at (text + 11, 2),
                                   digits_at (text + 14, 2),
                                   digits_at (text + 17, 2))) == NULL)
    return fail_expected (key, text, problem);
  v = g_date_time_to_unix (t);
  if (v < 0 || v > CLOUDRUN_TIMESTAMP_KEY_MAX)
    return fail_expected (key, text, problem);
  *FIELD (int64_t, object, key) = v;
  return TRUE;
}

static gboolean
parse_name_list (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  return cloudrun_split_list (text, expected, FIELD (char **, object, key),
                              problem);
}

gboolean
cloudrun_parse_checked_list (const CloudRunKey *key, const char *text,
                             void *object, CloudRunProblem *problem,
                             gboolean (*check) (char *item))
{
  g_autofree char *expected = cloudrun_key_expected (key);
  g_auto (GStrv) items = NULL;

  if (!cloudrun_split_list (text, expected, &items, problem))
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    if (!check (items[i]))
      return cloudrun_problem_set (problem, expected, items[i]);
  *FIELD (char **, object, key) = g_steal_pointer (&items);
  return TRUE;
}

gboolean
cloudrun_key_type_takes_empty (CloudRunKeyType type)
{
  switch (type)
    {
    case CLOUDRUN_KEY_STRING: case CLOUDRUN_KEY_NAME_LIST:
    case CLOUDRUN_KEY_CIDR_LIST: case CLOUDRUN_KEY_AUDIENCE_LIST:
    case CLOUDRUN_KEY_API_LIST: case CLOUDRUN_KEY_RECORDS:
    case CLOUDRUN_KEY_TAG_LIST: case CLOUDRUN_KEY_EMAIL_LIST:
    case CLOUDRUN_KEY_DNS_RULES: case CLOUDRUN_KEY_REGION_CODE_LIST:
    case CLOUDRUN_KEY_ADDRESS_LIST: case CLOUDRUN_KEY_CIDR_LIST_ANY:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
cloudrun_key_parse (const CloudRunKey *key, const char *text, void *object,
                    CloudRunProblem *problem)
{
  cloudrun_key_clear (key, object);
  /* An empty list is a value, except where the key is required. */
  if (text[0] == '\0' && ((key->flags & CLOUDRUN_KEY_REQUIRED)
                           || !cloudrun_key_type_takes_empty (key->type)))
    return fail_expected (key, text, problem);
  switch (key->type)
    {
    case CLOUDRUN_KEY_STRING:
      if (!text_is_printable (text))
        return cloudrun_problem_set (problem, "text without control "
                                     "characters (\\n and \\t aside)", text);
      *FIELD (char *, object, key) = g_strdup (text);
      return TRUE;
    case CLOUDRUN_KEY_NAME: case CLOUDRUN_KEY_CALLER:
      *FIELD (char *, object, key) = g_strdup (text);
      return TRUE;
    case CLOUDRUN_KEY_NAME_LIST:
      return parse_name_list (key, text, object, problem);
    case CLOUDRUN_KEY_INT: return parse_int (key, text, object, problem);
    case CLOUDRUN_KEY_UINT64:
      if (!parse_digits (text, FIELD (guint64, object, key)))
        return fail_expected (key, text, problem);
      return TRUE;
    case CLOUDRUN_KEY_BOOL: return parse_bool (key, text, object, problem);
    case CLOUDRUN_KEY_TIME: case CLOUDRUN_KEY_RATE:
    case CLOUDRUN_KEY_BANDWIDTH: case CLOUDRUN_KEY_SIZE:
      return parse_units (key, text, object, problem);
    case CLOUDRUN_KEY_FRACTION:
      return parse_fraction (key, text, object, problem);
    case CLOUDRUN_KEY_ENUM: return parse_enum (key, text, object, problem);
    case CLOUDRUN_KEY_ENUM_LIST:
      return parse_enum_list (key, text, object, problem);
    case CLOUDRUN_KEY_IPV4: return parse_ipv4 (key, text, object, problem);
    case CLOUDRUN_KEY_REGION:
      return parse_region (key, text, object, problem);
    case CLOUDRUN_KEY_PROJECT_NUMBER:
      return parse_project_number (key, text, object, problem);
    case CLOUDRUN_KEY_TIMESTAMP:
      return parse_timestamp (key, text, object, problem);
    default:
      return cloudrun_key_compound_parse (key, text, object, problem);
    }
}

void
cloudrun_key_clear (const CloudRunKey *key, void *object)
{
  switch (key->type)
    {
    case CLOUDRUN_KEY_STRING: case CLOUDRUN_KEY_NAME:
    case CLOUDRUN_KEY_CALLER: case CLOUDRUN_KEY_REGION:
    case CLOUDRUN_KEY_DNS_NAME: case CLOUDRUN_KEY_HOSTNAME:
    case CLOUDRUN_KEY_METHOD:
      g_clear_pointer (FIELD (char *, object, key), g_free);
      break;
    case CLOUDRUN_KEY_NAME_LIST:
      g_clear_pointer (FIELD (char **, object, key), g_strfreev);
      g_clear_pointer ((GPtrArray **) G_STRUCT_MEMBER_P (object,
                                                         key->ref_offset),
                       g_ptr_array_unref);
      break;
    case CLOUDRUN_KEY_ENUM_LIST:
      g_clear_pointer (FIELD (GArray *, object, key), g_array_unref);
      break;
    default:
      cloudrun_key_compound_clear (key, object);
      break;
    }
}
