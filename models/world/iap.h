/* Identity-Aware Proxy (IAP) in front of a Cloud Run service: enabled on
 * the service itself (the GFE asks it after ingress, before IAM) or on an
 * external Application Load Balancer's backend service (the load
 * balancer asks it before it proxies). A pure decision from the request
 * head that arrived and the IAP settings, then the credentials IAP puts
 * on the request it lets through.
 *
 * Decision (iap/docs/authentication-howto, iap/docs/sessions-howto):
 *
 *   access has allUsers                           -> passes, no identity
 *   no Bearer token in Proxy-Authorization (read
 *   first) nor Authorization                      -> 302 to Google sign-in
 *   token malformed, expired, or its audience is
 *   not https://HOST (the URL the caller reached;
 *   with or without a final '/')                  -> 401
 *   the token's principal (user:EMAIL, or
 *   serviceAccount:EMAIL for *.gserviceaccount.com)
 *   or allAuthenticatedUsers is in access         -> passes
 *   otherwise                                     -> 403
 *
 * What passes goes on with IAP's own credential (iap/docs/enabling-cloud-
 * run, run/docs/securing/identity-aware-proxy-cloud-run): the fields
 * X-Serverless-Authorization and X-Goog-IAP-JWT-Assertion the caller sent
 * are left behind and IAP adds
 *
 *   X-Serverless-Authorization: Bearer TOKEN(service-N@gcp-sa-iap.iam.
 *       gserviceaccount.com, audience: the service's run.app URL)
 *   X-Goog-IAP-JWT-Assertion: TOKEN(caller's email, audience RESOURCE)
 *
 * (TOKEN as models/world/id-token.h writes them), so Cloud Run's IAM
 * check (models/world/iam.h), which reads X-Serverless-Authorization
 * first, sees IAP's service agent, never the caller; the caller's
 * Authorization goes on untouched for the application.
 * Scenario keys read (through the configs): [service] iap, iap-access;
 * [external-alb] iap, iap-access. Nothing here allocates per request. */
#ifndef CLOUDRUN_IAP_H
#define CLOUDRUN_IAP_H

#include "models/world/config.h"
#include "models/world/id-token.h"
#include "sim/explain.h"

#define CLOUDRUN_IAP_ASSERTION_FIELD "X-Goog-IAP-JWT-Assertion"
/* Room the lines IAP adds take at most. */
#define CLOUDRUN_IAP_CREDENTIALS_MAX (2 * CLOUDRUN_ID_TOKEN_MAX + 96)
#define CLOUDRUN_IAP_AGENT_MAX 96u

/* The fields IAP replaces (lower case, NULL-terminated), for
 * SimHttpForward.drop. */
extern const char *const cloudrun_iap_replaced_fields[];

/* How a node is told about its IAP; strings are copied. */
typedef struct {
  bool enabled;
  const IamPrincipal *access;   /* who holds roles/iap.httpsResourceAccessor */
  guint n_access;
  uint64_t project_number;      /* whose IAP service agent calls on */
  const char *resource;         /* the assertion's audience, such as
                                   /projects/N/locations/R/services/S */
} CloudRunIapConfig;

/* The IAP of one service or backend service (embedded in its node). */
typedef struct {
  bool enabled;
  IamPrincipal *access;         /* owned copies */
  guint n_access;
  char agent[CLOUDRUN_IAP_AGENT_MAX]; /* service-N@gcp-sa-iap.iam.g... */
  char *resource;               /* owned */
} CloudRunIap;

typedef struct {
  bool admitted;
  int status;                   /* refused: 302, 401 or 403 */
  const char *rule;             /* why (interned) */
  char email[CLOUDRUN_EMAIL_MAX + 1]; /* the caller's token's, or "" */
} CloudRunIapDecision;

void cloudrun_iap_init (CloudRunIap *iap, const CloudRunIapConfig *config);
void cloudrun_iap_clear (CloudRunIap *iap);

/* Decides for the request head head[0, len) to host at now; what names
 * the resource in the texts ("service web"). Texts interned in log. */
void cloudrun_iap_check (const CloudRunIap *iap, const char *what,
                         const uint8_t *head, size_t len, const char *host,
                         SimTime now, SimExplainLog *log,
                         CloudRunIapDecision *out);

/* Writes the lines IAP adds to a request d admitted (see above), its
 * service agent's token for audience; returns their length, 0 when cap
 * is short. */
size_t cloudrun_iap_credentials (const CloudRunIap *iap,
                                 const CloudRunIapDecision *d,
                                 const char *audience, SimTime now,
                                 char *out, size_t cap);

#endif
