/* The GFE's IAM check (see models/world/iam.h). */
#include "models/world/iam.h"

#include <string.h>

#include "models/world/id-token.h"

bool
cloudrun_iam_list_has (const IamPrincipal *list, guint n, IamPrincipalKind kind,
                       const char *email)
{
  for (guint i = 0; i < n; i++)
    if (list[i].kind == kind
        && (!email || g_ascii_strcasecmp (list[i].email, email) == 0))
      return true;
  return false;
}

IamPrincipalKind
cloudrun_iam_kind_of (const char *email)
{
  return g_str_has_suffix (email, ".gserviceaccount.com")
         ? IAM_PRINCIPAL_SERVICE_ACCOUNT : IAM_PRINCIPAL_USER;
}

bool
cloudrun_iam_list_admits (const IamPrincipal *list, guint n, const char *email)
{
  return cloudrun_iam_list_has (list, n, IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS,
                                NULL)
         || cloudrun_iam_list_has (list, n, cloudrun_iam_kind_of (email),
                                   email);
}

static bool
iam_has (const CloudRunServiceNode *svc, IamPrincipalKind kind,
         const char *email)
{
  return cloudrun_iam_list_has (svc->invokers, svc->n_invokers, kind, email);
}

/* "serviceAccount:a@x;allAuthenticatedUsers", cut to fit out. */
const char *
cloudrun_iam_list_text (const IamPrincipal *list, guint n, char *out,
                        size_t cap)
{
  out[0] = '\0';
  for (guint i = 0; i < n; i++)
    {
      const IamPrincipal *p = &list[i];
      if (i > 0)
        g_strlcat (out, ";", cap);
      g_strlcat (out, iam_principal_kind_name (p->kind), cap);
      if (p->email)
        {
          g_strlcat (out, ":", cap);
          g_strlcat (out, p->email, cap);
        }
    }
  return out;
}

static const char *
iam_invokers_text (const CloudRunServiceNode *svc, char *out, size_t cap)
{
  return cloudrun_iam_list_text (svc->invokers, svc->n_invokers, out, cap);
}

bool
cloudrun_iam_audience_is (const char *aud, const char *prefix, const char *want)
{
  size_t n = strlen (aud), p = prefix ? strlen (prefix) : 0;
  size_t w = strlen (want);

  if (n > 0 && aud[n - 1] == '/')
    n--;
  if (w > 0 && want[w - 1] == '/')
    w--;
  return n == p + w && (p == 0 || memcmp (aud, prefix, p) == 0)
         && memcmp (aud + p, want, w) == 0;
}

/* The audience as the service accepts it: "URL" for one of its run.app
 * URLs, "tag URL" for one of its revisions' tag URLs, "custom" for one
 * of its custom audiences; NULL: refused. */
static const char *
iam_audience_kind (const CloudRunServiceNode *svc, const char *aud)
{
  const GPtrArray *revs = svc->lead ? svc->lead->revisions : NULL;

  if (cloudrun_iam_audience_is (aud, "https://", svc->hash_host)
      || cloudrun_iam_audience_is (aud, "https://", svc->number_host))
    return "URL";
  /* A tag URL is one of the service's run.app URLs too. */
  for (guint i = 0; revs && i < revs->len; i++)
    {
      const CloudRunServiceNode *r = g_ptr_array_index (revs, i);
      if (r->tag_hash_host
          && (cloudrun_iam_audience_is (aud, "https://", r->tag_hash_host)
              || cloudrun_iam_audience_is (aud, "https://",
                                           r->tag_number_host)))
        return "tag URL";
    }
  for (guint i = 0; svc->custom_audiences && svc->custom_audiences[i]; i++)
    if (cloudrun_iam_audience_is (aud, NULL, svc->custom_audiences[i]))
      return "custom";
  return NULL;
}

/* Whether aud is https://DOMAIN of a domain mapped to svc. */
static bool
iam_mapped_domain (const CloudRunServiceNode *svc, const char *aud)
{
  for (guint i = 0; svc->domains && svc->domains[i]; i++)
    if (cloudrun_iam_audience_is (aud, "https://", svc->domains[i]))
      return true;
  return false;
}

/* "https://a.example;https://b.example", cut to fit out; "none". */
static const char *
iam_custom_text (const CloudRunServiceNode *svc, char *out, size_t cap)
{
  g_strlcpy (out, "none", cap);
  for (guint i = 0; svc->custom_audiences && svc->custom_audiences[i]; i++)
    {
      if (i == 0)
        out[0] = '\0';
      else
        g_strlcat (out, ";", cap);
      g_strlcat (out, svc->custom_audiences[i], cap);
    }
  return out;
}

static void
iam_refuse (CloudRunIamDecision *out, int status, const char *rule)
{
  *out = (CloudRunIamDecision) { false, status, rule, NULL };
}

/* Reads the token: false (and *out refused with 401) when it cannot be
 * trusted for this service now. */
static bool
iam_read_token (const CloudRunServiceNode *svc, const char *token,
                size_t token_len, SimTime now, SimExplainLog *log,
                CloudRunIdTokenClaims *claims, CloudRunIamDecision *out)
{
  const char *why;
  int64_t now_s = now / SIM_S;

  if (!cloudrun_id_token_read (token, token_len, claims, &why))
    {
      iam_refuse (out, 401, sim_explain_internf (
          log, "service %s: 401, the bearer token is malformed: %s",
          svc->name, why));
      return false;
    }
  if (claims->exp <= now_s)
    {
      iam_refuse (out, 401, sim_explain_internf (
          log, "service %s: 401, the ID token of %s expired: exp %" G_GINT64_FORMAT
          " is not after now (%" G_GINT64_FORMAT " s of simulated time)",
          svc->name, claims->email, claims->exp, now_s));
      return false;
    }
  if (iam_audience_kind (svc, claims->aud) == NULL)
    {
      char custom[512];
      iam_refuse (out, 401, sim_explain_internf (
          log, "service %s: 401, the ID token's audience (aud) %s is not "
          "the service's URL https://%s or https://%s, nor one of its "
          "custom-audiences (%s), with or without a final '/'%s", svc->name,
          claims->aud, svc->hash_host, svc->number_host,
          iam_custom_text (svc, custom, sizeof custom),
          iam_mapped_domain (svc, claims->aud)
          ? "; a mapped custom domain is no audience by itself: Google "
            "asks for it in custom-audiences "
            "(run/docs/configuring/custom-audiences)" : ""));
      return false;
    }
  return true;
}

void
cloudrun_iam_check (const CloudRunServiceNode *svc, const uint8_t *head,
                    size_t len, SimTime now, SimExplainLog *log,
                    CloudRunIamDecision *out)
{
  char invokers[512];
  const char *token = NULL, *kind, *field, *aud_kind;
  size_t token_len = 0;
  CloudRunIdTokenClaims claims;
  CloudRunAuthHeader auth;

  if (iam_has (svc, IAM_PRINCIPAL_ALL_USERS, NULL))
    {
      *out = (CloudRunIamDecision) { true, 0, NULL, NULL };
      return;
    }
  iam_invokers_text (svc, invokers, sizeof invokers);
  /* X-Serverless-Authorization, when present, is the one read: the
   * application keeps Authorization for itself. */
  auth = cloudrun_id_token_find_iam (head, len, &field, &token, &token_len);
  if (auth != CLOUDRUN_AUTH_BEARER)
    {
      iam_refuse (out, 403, sim_explain_internf (
          log, "service %s: 403, invokers = %s does not include allUsers, "
          "and the request carries no %s%s%s", svc->name, invokers,
          auth == CLOUDRUN_AUTH_NONE ? "identity token (no Authorization "
                                       "header)"
                                     : "bearer token (",
          auth == CLOUDRUN_AUTH_NONE ? "" : field,
          auth == CLOUDRUN_AUTH_NONE ? "" : " is not Bearer)"));
      return;
    }
  if (!iam_read_token (svc, token, token_len, now, log, &claims, out))
    return;
  kind = iam_principal_kind_name (cloudrun_iam_kind_of (claims.email));
  if (cloudrun_iam_list_admits (svc->invokers, svc->n_invokers, claims.email))
    {
      aud_kind = iam_audience_kind (svc, claims.aud);
      *out = (CloudRunIamDecision) {
        true, 0, NULL,
        sim_explain_internf (log, "IAM: the ID token of %s:%s (audience %s%s"
                             "%s) holds the invoker role (invokers = %s)",
                             kind, claims.email, claims.aud,
                             g_str_equal (aud_kind, "custom")
                             ? ", a custom audience"
                             : g_str_equal (aud_kind, "tag URL")
                             ? ", a tag URL" : "",
                             g_str_equal (field, CLOUDRUN_ID_TOKEN_FIELD)
                             ? "" : ", in X-Serverless-Authorization",
                             invokers) };
      return;
    }
  iam_refuse (out, 403, sim_explain_internf (
      log, "service %s: 403, %s:%s has a valid ID token but not the "
      "invoker role (invokers = %s)", svc->name, kind, claims.email,
      invokers));
}
