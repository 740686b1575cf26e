/* Tests for models/world/id-token.c and models/world/iam.c on their own:
 * the token a caller writes reads back with the same claims, its payload
 * is readable JSON once base64url-decoded (what a Wireshark user does),
 * its bytes depend only on email, audience and simulated time; and the
 * GFE's IAM check refuses what no scenario can send today: a malformed
 * token (401), an expired one (401), an Authorization that is not Bearer
 * (403); and admits what Google admits though no scenario sends it: an
 * email in another case, the scheme written "bearer", the project-number
 * URL with a final '/' as audience. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/iam.h"
#include "models/world/id-token.h"

#define SA "robot@shop.iam.gserviceaccount.com"
#define HOST "backend-abc-uc.a.run.app"
#define AUD "https://" HOST

static void
test_id_token__round_trip (void **state)
{
  char token[CLOUDRUN_ID_TOKEN_MAX], again[CLOUDRUN_ID_TOKEN_MAX];
  size_t n = cloudrun_id_token_write (token, sizeof token, SA, AUD,
                                      90 * SIM_S + 5);
  CloudRunIdTokenClaims c;
  const char *why = NULL;
  (void) state;

  assert_true (n > 0 && n == strlen (token));
  assert_true (cloudrun_id_token_read (token, n, &c, &why));
  assert_string_equal (c.iss, "https://accounts.google.com");
  assert_string_equal (c.aud, AUD);
  assert_string_equal (c.email, SA);
  assert_int_equal (c.iat, 90);
  assert_int_equal (c.exp, 90 + 3600);
  /* Deterministic: same inputs, same bytes; another time, other bytes. */
  assert_int_equal (cloudrun_id_token_write (again, sizeof again, SA, AUD,
                                             90 * SIM_S + 5), n);
  assert_memory_equal (token, again, n);
  cloudrun_id_token_write (again, sizeof again, SA, AUD, 91 * SIM_S);
  assert_string_not_equal (token, again);
  /* A short buffer gets nothing. */
  assert_int_equal (cloudrun_id_token_write (again, 40, SA, AUD, 0), 0);
}

/* What Wireshark shows after base64url-decoding the middle segment. */
static void
test_id_token__payload_is_readable_json (void **state)
{
  char token[CLOUDRUN_ID_TOKEN_MAX];
  size_t n = cloudrun_id_token_write (token, sizeof token, SA, AUD, 0);
  char *dot1 = strchr (token, '.'), *dot2 = strrchr (token, '.');
  g_autofree char *b64 = NULL;
  g_autofree guchar *json = NULL;
  gsize len;
  (void) state;

  assert_true (n > 0 && dot1 && dot2 && dot1 != dot2);
  b64 = g_strndup (dot1 + 1, (gsize) (dot2 - dot1 - 1));
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  while (strlen (b64) % 4)
    {
      char *padded = g_strconcat (b64, "=", NULL);
      g_free (b64);
      b64 = padded;
    }
  json = g_base64_decode (b64, &len);
  json = g_realloc (json, len + 1);
  json[len] = '\0';
  assert_non_null (strstr ((char *) json, "\"aud\":\"" AUD "\""));
  assert_non_null (strstr ((char *) json, "\"email\":\"" SA "\""));
  assert_non_null (strstr ((char *) json,
                           "\"iss\":\"https://accounts.google.com\""));
  assert_non_null (strstr ((char *) json, "\"iat\":0,"));
  assert_non_null (strstr ((char *) json, "\"exp\":3600,"));
  assert_non_null (strstr ((char *) json, "\"cloudrun_netsim\":\"simulated "
                                          "token, not signed\""));
}

static void
test_id_token__malformed (void **state)
{
  static const struct {
    const char *token;
    const char *why;            /* fragment */
  } cases[] = {
    { "ya29.a0AfH6SMBx", "not three base64url segments" },
    { "a.b.c.d", "not three base64url segments" },
    { "", "not three base64url segments" },
    { "e30.e30.e30!", "not base64url" },
    { "e30.bm90IGpzb24.c2ln", "payload is not a JSON object" },
    /* {} : no claims */
    { "e30.e30.c2ln", "payload is not a JSON object" },
    /* {"iss":"https://evil.example","aud":"a","email":"e","iat":0,"exp":9} */
    { "e30.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSIsImF1ZCI6ImEiLCJlbWFpbCI6"
      "ImUiLCJpYXQiOjAsImV4cCI6OX0.c2ln", "issuer (iss) is not" },
  };
  (void) state;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CloudRunIdTokenClaims c;
      const char *why = NULL;
      if (cloudrun_id_token_read (cases[i].token, strlen (cases[i].token),
                                  &c, &why))
        fail_msg ("'%s' was read as a token", cases[i].token);
      if (why == NULL || strstr (why, cases[i].why) == NULL)
        fail_msg ("'%s': expected '%s', found '%s'", cases[i].token,
                  cases[i].why, why);
    }
}

/* ---- The GFE's IAM check on hand-written request heads -------------- */

static CloudRunIamDecision
iam_decide (const char *authorization, SimTime now, SimExplainLog *log)
{
  static const IamPrincipal invokers[] = {
    { IAM_PRINCIPAL_SERVICE_ACCOUNT, SA } };
  CloudRunServiceNode svc = {
    .name = (char *) "backend", .hash_host = (char *) HOST,
    .number_host = (char *) "backend-123456789012.us-central1.run.app",
    .invokers = invokers, .n_invokers = 1,
  };
  g_autofree char *head = g_strdup_printf (
      "GET / HTTP/1.1\r\nHost: " HOST "\r\n%s%s\r\n",
      authorization ? authorization : "", authorization ? "\r\n" : "");
  CloudRunIamDecision d;

  cloudrun_iam_check (&svc, (const uint8_t *) head, strlen (head), now, log,
                      &d);
  return d;
}

static void
test_iam__refusals_a_scenario_cannot_send (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  char token[CLOUDRUN_ID_TOKEN_MAX];
  g_autofree char *bearer = NULL;
  CloudRunIamDecision d;
  (void) state;

  cloudrun_id_token_write (token, sizeof token, SA, AUD, 0);
  bearer = g_strconcat ("Authorization: Bearer ", token, NULL);
  /* Fresh: admitted; an hour later: expired. */
  d = iam_decide (bearer, 3599 * SIM_S, log);
  assert_true (d.admitted);
  assert_non_null (strstr (d.note, "serviceAccount:" SA));
  d = iam_decide (bearer, 3600 * SIM_S, log);
  assert_false (d.admitted);
  assert_int_equal (d.status, 401);
  assert_non_null (strstr (d.rule, "expired"));
  /* An OAuth access token is not an ID token. */
  d = iam_decide ("Authorization: Bearer ya29.a0AfH6SMBx", 0, log);
  assert_int_equal (d.status, 401);
  assert_non_null (strstr (d.rule, "malformed"));
  /* Header names are case-insensitive; another scheme is no token. */
  d = iam_decide ("authorization: Basic dXNlcjpwYXNz", 0, log);
  assert_int_equal (d.status, 403);
  assert_non_null (strstr (d.rule, "Authorization is not Bearer"));
  d = iam_decide (NULL, 0, log);
  assert_int_equal (d.status, 403);
  /* Google compares emails without case, and the scheme's name has none
   * either: a token for Robot@Shop... sent as "bearer" is the invoker's. */
  cloudrun_id_token_write (token, sizeof token,
                           "Robot@Shop.iam.gserviceaccount.com", AUD, 0);
  g_free (bearer);
  bearer = g_strconcat ("Authorization: bearer ", token, NULL);
  d = iam_decide (bearer, 0, log);
  assert_true (d.admitted);
  /* The service's project-number URL is an audience too, with or without
   * a final '/'. */
  cloudrun_id_token_write (token, sizeof token, SA, "https://backend-"
                           "123456789012.us-central1.run.app/", 0);
  g_free (bearer);
  bearer = g_strconcat ("Authorization: Bearer ", token, NULL);
  d = iam_decide (bearer, 0, log);
  assert_true (d.admitted);
  sim_explain_log_free (log);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_id_token__round_trip),
    cmocka_unit_test (test_id_token__payload_is_readable_json),
    cmocka_unit_test (test_id_token__malformed),
    cmocka_unit_test (test_iam__refusals_a_scenario_cannot_send),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
