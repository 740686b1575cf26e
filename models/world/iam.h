/* The GFE's IAM check, after ingress admitted a request: does the caller
 * hold the Cloud Run Invoker role on the service? Decided from the
 * request bytes the GFE received (the token's header field and the ID
 * token in it, models/world/id-token.h) and the service's invokers and
 * custom audiences. The field read is X-Serverless-Authorization when the
 * request has one, else Authorization.
 *
 *   invokers has allUsers                      -> admitted, token unread
 *   no FIELD: Bearer header                    -> 403
 *   token malformed, expired, or its audience
 *   is none of the service's two URLs and its
 *   custom audiences (each with or without a
 *   final '/')                                 -> 401
 *   invokers has allAuthenticatedUsers         -> admitted
 *   the token's principal (serviceAccount:EMAIL
 *   for *.gserviceaccount.com, else user:EMAIL)
 *   is an invoker                              -> admitted
 *   otherwise                                  -> 403
 *
 * https://cloud.google.com/run/docs/authenticating/service-to-service
 * https://cloud.google.com/run/docs/configuring/custom-audiences
 * https://cloud.google.com/run/docs/securing/managing-access
 * Scenario keys read (through the service record): [service] invokers,
 * custom-audiences. */
#ifndef CLOUDRUN_IAM_H
#define CLOUDRUN_IAM_H

#include "models/world/service.h"
#include "sim/explain.h"

typedef struct {
  bool admitted;
  int status;                   /* refused: 401 or 403 */
  const char *rule;             /* refused: which check failed and why */
  const char *note;             /* admitted with a token: whose; NULL when
                                   allUsers admitted it unread */
} CloudRunIamDecision;

/* Decides for the request whose header block is head[0, len), at now.
 * Texts are interned in log. */
void cloudrun_iam_check (const CloudRunServiceNode *svc, const uint8_t *head,
                         size_t len, SimTime now, SimExplainLog *log,
                         CloudRunIamDecision *out);

/* Helpers IAP (models/world/iap.c) shares. */
/* Whether list[0, n) holds kind (and email, any case, when not NULL). */
bool cloudrun_iam_list_has (const IamPrincipal *list, guint n,
                            IamPrincipalKind kind, const char *email);
/* Whether list[0, n) grants the holder of a valid ID token for email:
 * allAuthenticatedUsers, or its own principal. */
bool cloudrun_iam_list_admits (const IamPrincipal *list, guint n,
                               const char *email);
/* SERVICE_ACCOUNT for an email ending .gserviceaccount.com, else USER. */
IamPrincipalKind cloudrun_iam_kind_of (const char *email);
/* "serviceAccount:a@x;allAuthenticatedUsers" into out (cut to cap). */
const char *cloudrun_iam_list_text (const IamPrincipal *list, guint n,
                                    char *out, size_t cap);
/* Whether aud, less one final '/', is want, less one final '/' (prefix
 * written before want when not NULL). */
bool cloudrun_iam_audience_is (const char *aud, const char *prefix,
                               const char *want);

#endif
