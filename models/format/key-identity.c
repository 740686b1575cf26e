/* Parsers of the identity value types of the key tables: email addresses
 * ([service] and [vm] service-account, [client] account), IAM principal
 * lists ([service] invokers), email lists ([firewall] target- and
 * source-service-accounts) and token audiences ([traffic] audience,
 * [service] custom-audiences).
 * Syntax only: which caller sends what is for
 * models/format/scenario-check*.c.
 *
 * Principals are written as Cloud Run IAM writes them
 * (https://cloud.google.com/run/docs/securing/managing-access):
 *
 *   allUsers | allAuthenticatedUsers | serviceAccount:EMAIL | user:EMAIL
 *
 * and the format's older words public and authenticated stay aliases of
 * allUsers and allAuthenticatedUsers, so older files keep their meaning.
 *
 * Called through cloudrun_key_compound_parse (models/format/key-compound.c).
 * Same contract: the field is written only on success; a CloudRunProblem
 * otherwise. */
#include "models/format/scenario-private.h"

#include <string.h>

#define EMAIL_EXAMPLE "runner@my-project.iam.gserviceaccount.com"

char *
cloudrun_key_identity_expected (CloudRunKeyType type)
{
  switch (type)
    {
    case CLOUDRUN_KEY_EMAIL:
      return g_strdup ("an email address such as " EMAIL_EXAMPLE);
    case CLOUDRUN_KEY_EMAIL_LIST:
      return g_strdup ("email addresses separated by ';', such as "
                       EMAIL_EXAMPLE);
    case CLOUDRUN_KEY_PRINCIPALS:
      return g_strdup ("principals separated by ';': allUsers, "
                       "allAuthenticatedUsers, serviceAccount:EMAIL or "
                       "user:EMAIL (public and authenticated are aliases "
                       "of the first two)");
    case CLOUDRUN_KEY_AUDIENCE:
      return g_strdup ("a URL such as https://backend-abc123-uc.a.run.app");
    case CLOUDRUN_KEY_AUDIENCE_LIST:
      return g_strdup ("audiences separated by ';', such as "
                       "https://api.example.com (no spaces, quotes or "
                       "backslashes, at most 512 bytes each)");
    default:
      return g_strdup ("a value");
    }
}

/* ---- Email addresses ---------------------------------------------- */

/* LOCAL@DOMAIN, lower-cased: LOCAL of letters, digits and ._%+-; DOMAIN
 * of at least two DNS labels. NULL when not an address. */
static char *
normalize_email (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *at = strchr (lower, '@');
  g_auto (GStrv) labels = NULL;
  gsize local;

  if (at == NULL || strchr (at + 1, '@') != NULL || strlen (lower) > 254)
    return NULL;
  local = (gsize) (at - lower);
  if (local == 0 || local > 64
      || strspn (lower, "abcdefghijklmnopqrstuvwxyz0123456789._%+-") != local
      || lower[0] == '.' || lower[local - 1] == '.')
    return NULL;
  labels = g_strsplit (at + 1, ".", -1);
  if (g_strv_length (labels) < 2)
    return NULL;
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);
      if (n == 0 || n > 63 || labels[i][0] == '-' || labels[i][n - 1] == '-'
          || strspn (labels[i], "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
        return NULL;
    }
  return g_steal_pointer (&lower);
}

static gboolean
parse_email (const CloudRunKey *key, const char *text, void *object,
             CloudRunProblem *problem)
{
  char *email = normalize_email (text);

  if (email == NULL)
    {
      g_autofree char *expected = cloudrun_key_expected (key);
      return cloudrun_problem_set (problem, expected, text);
    }
  *FIELD (char *, object, key) = email;
  return TRUE;
}

/* ---- Principals --------------------------------------------------- */

static void
principal_clear (gpointer data)
{
  g_clear_pointer (&((CloudRunSpecPrincipal *) data)->email, g_free);
}

static gboolean
principal_item (const char *item, void *out, const CloudRunKey *key,
                const char *expected, CloudRunProblem *problem)
{
  /* The vocabulary's words, then two aliases of its own. */
#define PRINCIPAL_WORD(ID, WORD) WORD,
#define PRINCIPAL_KIND(ID, WORD) IAM_PRINCIPAL_##ID,
  static const char *const words[] = {
    IAM_PRINCIPAL_LIST (PRINCIPAL_WORD) "public", "authenticated", NULL };
  static const IamPrincipalKind kinds[] = {
    IAM_PRINCIPAL_LIST (PRINCIPAL_KIND) IAM_PRINCIPAL_ALL_USERS,
    IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS };
#undef PRINCIPAL_WORD
#undef PRINCIPAL_KIND
  CloudRunSpecPrincipal *p = out;
  const char *colon = strchr (item, ':');
  g_autofree char *word = colon ? g_strndup (item, (gsize) (colon - item))
                                : g_strdup (item);
  const char *near;

  (void) key;
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean takes_email = kinds[i] >= IAM_PRINCIPAL_SERVICE_ACCOUNT;
      if (strcmp (word, words[i]) != 0 || takes_email != (colon != NULL))
        continue;
      p->kind = kinds[i];
      if (!takes_email)
        return TRUE;
      p->email = normalize_email (colon + 1);
      if (p->email != NULL)
        return TRUE;
      cloudrun_problem_set (problem, expected, item);
      problem->hint = g_strdup_printf ("'%s' is not an email address such "
                                       "as " EMAIL_EXAMPLE, colon + 1);
      return FALSE;
    }
  cloudrun_problem_set (problem, expected, item);
  near = cloudrun_suggest (word, words);
  if (near != NULL)
    problem->suggestion = colon ? g_strconcat (near, colon, NULL)
                                : g_strdup (near);
  return FALSE;
}

static gboolean
parse_principals (const CloudRunKey *key, const char *text, void *object,
                  CloudRunProblem *problem)
{
  GArray *list = cloudrun_parse_list (text, key,
                                      sizeof (CloudRunSpecPrincipal),
                                      principal_item, principal_clear,
                                      problem);

  if (list != NULL && list->len == 0)
    {
      g_autofree char *expected = cloudrun_key_expected (key);
      g_array_unref (list);
      return cloudrun_problem_set (problem, expected, text);
    }
  *FIELD (GArray *, object, key) = list;
  return list != NULL;
}

/* ---- Audiences ---------------------------------------------------- */

/* https://HOST or http://HOST, then optionally /PATH; no spaces, quotes
 * or backslashes (it goes into the token's JSON as is), at most 512
 * bytes (CLOUDRUN_AUDIENCE_MAX). Kept as written: an audience is compared
 * byte for byte. */
static gboolean
parse_audience (const CloudRunKey *key, const char *text, void *object,
                CloudRunProblem *problem)
{
  const char *rest = g_str_has_prefix (text, "https://") ? text + 8
                     : g_str_has_prefix (text, "http://") ? text + 7 : NULL;

  if (rest == NULL || *rest == '\0' || *rest == '/' || strlen (text) > 512
      || strpbrk (text, " \t\"\\") != NULL)
    {
      g_autofree char *expected = cloudrun_key_expected (key);
      return cloudrun_problem_set (problem, expected, text);
    }
  *FIELD (char *, object, key) = g_strdup (text);
  return TRUE;
}

/* Custom audiences: Cloud Run takes any string, so any run of visible
 * characters but quotes and backslashes (they go into a token's JSON as
 * they are), at most CLOUDRUN_AUDIENCE_MAX bytes each. Kept as written. */
static gboolean
audience_item (char *item)
{
  gboolean ok = strlen (item) <= 512;

  for (const char *p = item; ok && *p; p++)
    ok = (guchar) *p > 0x20 && (guchar) *p < 0x7f && *p != '"' && *p != '\\';
  return ok;
}

/* An email address of a list, lower-cased in place. */
static gboolean
email_item (char *item)
{
  g_autofree char *normal = normalize_email (item);

  if (normal == NULL)
    return FALSE;
  memcpy (item, normal, strlen (normal));
  return TRUE;
}

static gboolean
parse_audience_list (const CloudRunKey *key, const char *text, void *object,
                     CloudRunProblem *problem)
{
  return cloudrun_parse_checked_list (key, text, object, problem,
                                      audience_item);
}

/* ---- Dispatch ----------------------------------------------------- */

gboolean
cloudrun_key_identity_parse (const CloudRunKey *key, const char *text,
                             void *object, CloudRunProblem *problem)
{
  switch (key->type)
    {
    case CLOUDRUN_KEY_EMAIL: return parse_email (key, text, object, problem);
    case CLOUDRUN_KEY_PRINCIPALS:
      return parse_principals (key, text, object, problem);
    case CLOUDRUN_KEY_AUDIENCE:
      return parse_audience (key, text, object, problem);
    case CLOUDRUN_KEY_AUDIENCE_LIST:
      return parse_audience_list (key, text, object, problem);
    case CLOUDRUN_KEY_EMAIL_LIST:
      return cloudrun_parse_checked_list (key, text, object, problem,
                                          email_item);
    default:
      g_assert_not_reached ();
    }
}

void
cloudrun_key_identity_clear (const CloudRunKey *key, void *object)
{
  if (key->type == CLOUDRUN_KEY_PRINCIPALS)
    g_clear_pointer (FIELD (GArray *, object, key), g_array_unref);
  else if (key->type == CLOUDRUN_KEY_AUDIENCE_LIST
           || key->type == CLOUDRUN_KEY_EMAIL_LIST)
    g_clear_pointer (FIELD (char **, object, key), g_strfreev);
  else
    g_clear_pointer (FIELD (char *, object, key), g_free);
}
