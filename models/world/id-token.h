/* Google-signed ID tokens as the simulator writes and reads them: what a
 * caller with identity = id-token puts in its request's Authorization (or
 * X-Serverless-Authorization) header, and what the GFE reads back from
 * the request bytes it received before it applies IAM.
 *
 * The token is JWT-shaped so that a Wireshark user can read it, and
 * clearly fake: nothing is signed.
 *
 *   Authorization: Bearer HHHH.PPPP.SSSS
 *   X-Serverless-Authorization: Bearer HHHH.PPPP.SSSS   (the same token)
 *     HHHH  base64url of {"alg":"RS256","kid":"cloudrun-netsim-simulated",
 *                         "typ":"JWT"}
 *     PPPP  base64url of {"aud":AUDIENCE,"azp":EMAIL,"email":EMAIL,
 *                         "email_verified":true,"exp":IAT+3600,"iat":IAT,
 *                         "iss":"https://accounts.google.com","sub":SUB,
 *                         "cloudrun_netsim":"simulated token, not signed"}
 *     SSSS  base64url of "cloudrun-netsim: simulated token, not signed"
 *
 * IAT is whole seconds of simulated time (the captures' clock starts at
 * the Unix epoch, so a decoded iat matches the frame times); SUB is a
 * 21-digit number derived from EMAIL, as Google gives every account one.
 * The bytes depend only on EMAIL, AUDIENCE and the simulated time.
 * https://cloud.google.com/run/docs/authenticating/service-to-service
 *
 * Called by models/world/requester.c (write) and models/world/iam.c
 * (find, read). Nothing here allocates. */
#ifndef CLOUDRUN_ID_TOKEN_H
#define CLOUDRUN_ID_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

#define CLOUDRUN_ID_TOKEN_ISSUER "https://accounts.google.com"
#define CLOUDRUN_ID_TOKEN_LIFETIME_S 3600  /* Google ID tokens: one hour */
#define CLOUDRUN_ID_TOKEN_MAX 2048u        /* longest token written or read */
#define CLOUDRUN_EMAIL_MAX 254u            /* an email address (RFC 5321) */
#define CLOUDRUN_AUDIENCE_MAX 512u         /* the format's bound */
/* The header fields a token travels in; Cloud Run's IAM check reads the
 * second when present, the first otherwise. */
#define CLOUDRUN_ID_TOKEN_FIELD "Authorization"
#define CLOUDRUN_ID_TOKEN_SERVERLESS_FIELD "X-Serverless-Authorization"

/* Claims the GFE reads. Strings are NUL-terminated copies. */
typedef struct {
  char iss[64];
  char aud[CLOUDRUN_AUDIENCE_MAX + 1];
  char email[CLOUDRUN_EMAIL_MAX + 1];
  int64_t iat, exp;             /* seconds of simulated time */
} CloudRunIdTokenClaims;

/* What a request's header block says about a bearer token in a field. */
typedef enum {
  CLOUDRUN_AUTH_NONE,           /* no such field */
  CLOUDRUN_AUTH_NOT_BEARER,     /* the field with another scheme */
  CLOUDRUN_AUTH_BEARER,         /* FIELD: Bearer TOKEN */
} CloudRunAuthHeader;

/* Writes the token for email and audience minted at now into out
 * (NUL-terminated); returns its length, 0 when cap is short. */
size_t cloudrun_id_token_write (char *out, size_t cap, const char *email,
                                const char *audience, SimTime now);

/* Finds the first header field named field (case-insensitive; at most
 * 40 bytes, such as CLOUDRUN_ID_TOKEN_FIELD) in the header block
 * head[0, len) (as sim_http_parse_request measured it); for a bearer
 * token sets *token and *token_len to the token's bytes inside head. */
CloudRunAuthHeader cloudrun_id_token_find (const uint8_t *head, size_t len,
                                           const char *field,
                                           const char **token,
                                           size_t *token_len);
/* The field Cloud Run's IAM check reads: X-Serverless-Authorization when
 * present, else Authorization (run/docs/authenticating/service-to-service);
 * sets *field to the one found (or Authorization), and the token as
 * cloudrun_id_token_find does. */
CloudRunAuthHeader cloudrun_id_token_find_iam (const uint8_t *head, size_t len,
                                               const char **field,
                                               const char **token,
                                               size_t *token_len);

/* Decodes token[0, len) into out. False when it is not a token of the
 * shape above (three base64url segments, a JSON object payload with
 * string iss, aud, email and numeric iat, exp); *why then says what was
 * wrong, a static string. */
bool cloudrun_id_token_read (const char *token, size_t len,
                             CloudRunIdTokenClaims *out, const char **why);

#endif
