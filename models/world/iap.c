/* Identity-Aware Proxy's decision and credentials (see
 * models/world/iap.h). */
#include "models/world/iap.h"

#include <inttypes.h>
#include <string.h>

#include "models/world/iam.h"

const char *const cloudrun_iap_replaced_fields[] = {
  "x-serverless-authorization", "x-goog-iap-jwt-assertion", NULL };

void
cloudrun_iap_init (CloudRunIap *iap, const CloudRunIapConfig *c)
{
  *iap = (CloudRunIap) { .enabled = c->enabled };
  if (!c->enabled)
    return;
  iap->access = g_new0 (IamPrincipal, MAX (c->n_access, 1));
  iap->n_access = c->n_access;
  for (guint i = 0; i < c->n_access; i++)
    iap->access[i] = (IamPrincipal) { c->access[i].kind,
                                      g_strdup (c->access[i].email) };
  g_snprintf (iap->agent, sizeof iap->agent,
              "service-%" G_GUINT64_FORMAT
              "@gcp-sa-iap.iam.gserviceaccount.com", c->project_number);
  iap->resource = g_strdup (c->resource);
}

void
cloudrun_iap_clear (CloudRunIap *iap)
{
  for (guint i = 0; i < iap->n_access; i++)
    g_free ((char *) iap->access[i].email);
  g_free (iap->access);
  g_free (iap->resource);
  *iap = (CloudRunIap) { 0 };
}

static void
iap_refuse (CloudRunIapDecision *out, int status, const char *rule)
{
  out->admitted = false;
  out->status = status;
  out->rule = rule;
}

/* The bearer token IAP reads: Proxy-Authorization first, then
 * Authorization (iap/docs/authentication-howto). */
static bool
iap_find_token (const uint8_t *head, size_t len, const char **field,
                const char **token, size_t *token_len)
{
  *field = "Proxy-Authorization";
  if (cloudrun_id_token_find (head, len, *field, token, token_len)
      == CLOUDRUN_AUTH_BEARER)
    return true;
  *field = CLOUDRUN_ID_TOKEN_FIELD;
  return cloudrun_id_token_find (head, len, *field, token, token_len)
         == CLOUDRUN_AUTH_BEARER;
}

/* Reads and checks the token; false (and *out refused with 401) when IAP
 * cannot take it. */
static bool
iap_read_token (const char *what, const char *token, size_t token_len,
                const char *host, SimTime now, SimExplainLog *log,
                CloudRunIdTokenClaims *claims, CloudRunIapDecision *out)
{
  const char *why;
  int64_t now_s = now / SIM_S;

  if (!cloudrun_id_token_read (token, token_len, claims, &why))
    iap_refuse (out, 401, sim_explain_internf (
        log, "IAP of %s: 401, the bearer token is malformed: %s", what, why));
  else if (claims->exp <= now_s)
    iap_refuse (out, 401, sim_explain_internf (
        log, "IAP of %s: 401, the ID token of %s expired (exp %" PRId64
        " is not after now, %" PRId64 " s): programmatic access honours "
        "exp", what, claims->email, claims->exp, now_s));
  else if (!cloudrun_iam_audience_is (claims->aud, "https://", host))
    iap_refuse (out, 401, sim_explain_internf (
        log, "IAP of %s: 401, the ID token's audience %s is not the URL "
        "of the resource it protects, https://%s", what, claims->aud,
        host));
  else
    return true;
  return false;
}

void
cloudrun_iap_check (const CloudRunIap *iap, const char *what,
                    const uint8_t *head, size_t len, const char *host,
                    SimTime now, SimExplainLog *log, CloudRunIapDecision *out)
{
  char access[512];
  const char *field, *token, *kind;
  size_t token_len;
  CloudRunIdTokenClaims claims;

  *out = (CloudRunIapDecision) { .admitted = false };
  cloudrun_iam_list_text (iap->access, iap->n_access, access, sizeof access);
  if (cloudrun_iam_list_has (iap->access, iap->n_access,
                             IAM_PRINCIPAL_ALL_USERS, NULL))
    {
      out->admitted = true;
      out->rule = sim_explain_internf (log, "IAP of %s: iap-access = %s "
                                       "includes allUsers: anyone passes, "
                                       "unidentified", what, access);
      return;
    }
  if (!iap_find_token (head, len, &field, &token, &token_len))
    {
      iap_refuse (out, 302, sim_explain_internf (
          log, "IAP of %s: 302 to Google sign-in, the request carries no "
          "credential (no Bearer token in Proxy-Authorization or "
          "Authorization)", what));
      return;
    }
  if (!iap_read_token (what, token, token_len, host, now, log, &claims, out))
    return;
  g_strlcpy (out->email, claims.email, sizeof out->email);
  kind = iam_principal_kind_name (cloudrun_iam_kind_of (claims.email));
  if (cloudrun_iam_list_admits (iap->access, iap->n_access, claims.email))
    {
      out->admitted = true;
      out->rule = sim_explain_internf (
          log, "IAP of %s: %s:%s (ID token in %s) holds "
          "roles/iap.httpsResourceAccessor (iap-access = %s); IAP calls "
          "on as its service agent %s", what, kind, claims.email, field,
          access, iap->agent);
      return;
    }
  iap_refuse (out, 403, sim_explain_internf (
      log, "IAP of %s: 403, %s:%s has a valid ID token but not "
      "roles/iap.httpsResourceAccessor (iap-access = %s%s)", what, kind,
      claims.email, iap->n_access ? access : "nobody",
      iap->n_access ? "" : ": nobody may pass"));
}

size_t
cloudrun_iap_credentials (const CloudRunIap *iap, const CloudRunIapDecision *d,
                          const char *audience, SimTime now, char *out,
                          size_t cap)
{
  size_t n, t;

  g_assert (d->admitted);
  n = (size_t) g_snprintf (out, cap, "%s: Bearer ",
                           CLOUDRUN_ID_TOKEN_SERVERLESS_FIELD);
  if (n >= cap)
    return 0;
  t = cloudrun_id_token_write (out + n, cap - n, iap->agent, audience, now);
  if (t == 0 || cap - n - t < 3)
    return 0;
  n += t;
  memcpy (out + n, "\r\n", 3);
  n += 2;
  if (d->email[0] == '\0')
    return n;
  t = (size_t) g_snprintf (out + n, cap - n, "%s: ",
                           CLOUDRUN_IAP_ASSERTION_FIELD);
  if (t >= cap - n)
    return 0;
  n += t;
  t = cloudrun_id_token_write (out + n, cap - n, d->email, iap->resource,
                               now);
  if (t == 0 || cap - n - t < 3)
    return 0;
  n += t;
  memcpy (out + n, "\r\n", 3);
  return n + 2;
}
