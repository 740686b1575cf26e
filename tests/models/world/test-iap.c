/* Tests for models/world/iap.c (docs/networking.md, "Identity-Aware
 * Proxy"): the decision alone, from request heads written here with the
 * project's ID tokens; the credentials IAP adds; then, through small
 * scenarios, what Cloud Run's IAM and the container see behind it (IAP's
 * service agent, not the user) on a service and on an external ALB, and
 * a Google product pushing through it.
 *
 * Probes: the decision struct; the ledger and steps; the bytes that
 * reach the instance (world_fixture_sniff). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/iap.h"
#include "tests/models/world/world-fixture.h"

#define HOST "web-abc-ew.a.run.app"
#define ALICE "alice@example.com"
#define ROBOT "robot@shop.iam.gserviceaccount.com"
#define AGENT "service-123456789012@gcp-sa-iap.iam.gserviceaccount.com"

/* ---- The decision ------------------------------------------------- */

/* A request head to HOST with field: Bearer TOKEN(email, aud, minted at
 * 0) when email is not NULL (and "Bearer not-a-token" for email ""). */
static char *
head_with (const char *field, const char *email, const char *aud)
{
  char token[CLOUDRUN_ID_TOKEN_MAX + 1] = "not-a-token";

  if (email == NULL)
    return g_strdup ("GET / HTTP/1.1\r\nHost: " HOST "\r\n\r\n");
  if (email[0] != '\0')
    assert_true (cloudrun_id_token_write (token, sizeof token, email, aud, 0)
                 > 0);
  return g_strdup_printf ("GET / HTTP/1.1\r\nHost: " HOST "\r\n%s: Bearer "
                          "%s\r\n\r\n", field, token);
}

static const struct {
  const char *label;
  const char *access;           /* "KIND[:EMAIL]" ';'-separated, or "" */
  const char *field, *email, *aud;  /* the token; email NULL: none */
  SimTime now;
  bool admitted;
  int status;
  const char *text;             /* a fragment of the rule */
} cases[] = {
  { "no token: to the sign-in page", "user:" ALICE, NULL, NULL, NULL, 0,
    false, 302, "302 to Google sign-in" },
  { "an allowed user passes", "user:" ALICE, "Authorization", ALICE,
    "https://" HOST, 0, true, 0,
    "user:" ALICE " (ID token in Authorization) holds "
    "roles/iap.httpsResourceAccessor" },
  { "Proxy-Authorization is read", "user:" ALICE, "Proxy-Authorization",
    ALICE, "https://" HOST, 0, true, 0, "in Proxy-Authorization" },
  { "X-Serverless-Authorization is no credential for IAP", "user:" ALICE,
    "X-Serverless-Authorization", ALICE, "https://" HOST, 0, false, 302,
    "no credential" },
  { "a malformed token", "user:" ALICE, "Authorization", "", NULL, 0, false,
    401, "malformed" },
  { "an expired token", "user:" ALICE, "Authorization", ALICE,
    "https://" HOST, 3601 * SIM_S, false, 401, "expired" },
  { "a token for another audience", "user:" ALICE, "Authorization", ALICE,
    "https://other.example.com", 0, false, 401,
    "audience https://other.example.com is not the URL" },
  { "the URL with a final '/'", "user:" ALICE, "Authorization", ALICE,
    "https://" HOST "/", 0, true, 0, "holds" },
  { "a valid token, no access", "user:bob@example.com", "Authorization",
    ALICE, "https://" HOST, 0, false, 403,
    "403, user:" ALICE " has a valid ID token but not" },
  { "a service account in access", "serviceAccount:" ROBOT,
    "Authorization", ROBOT, "https://" HOST, 0, true, 0,
    "serviceAccount:" ROBOT },
  { "a user is not a serviceAccount: principal", "serviceAccount:" ALICE,
    "Authorization", ALICE, "https://" HOST, 0, false, 403, "403" },
  { "allAuthenticatedUsers takes any valid token",
    "allAuthenticatedUsers", "Authorization", ALICE, "https://" HOST, 0,
    true, 0, "holds" },
  { "allUsers lets everyone through unidentified", "allUsers", NULL, NULL,
    NULL, 0, true, 0, "anyone passes" },
  { "nobody in access", "", "Authorization", ALICE, "https://" HOST, 0,
    false, 403, "iap-access = nobody" },
};

/* IamPrincipal list from "user:a;allUsers" (emails borrowed from the
 * returned vector, kept in *keep). */
static GArray *
access_list (const char *text, char ***keep)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (IamPrincipal));

  *keep = text[0] ? g_strsplit (text, ";", -1) : g_new0 (char *, 1);
  for (guint i = 0; (*keep)[i]; i++)
    {
      char *colon = strchr ((*keep)[i], ':');
      IamPrincipal p = { IAM_PRINCIPAL_ALL_USERS, NULL };
      if (colon)
        *colon = '\0';
      p.kind = strcmp ((*keep)[i], "user") == 0 ? IAM_PRINCIPAL_USER
               : strcmp ((*keep)[i], "serviceAccount") == 0
               ? IAM_PRINCIPAL_SERVICE_ACCOUNT
               : strcmp ((*keep)[i], "allAuthenticatedUsers") == 0
               ? IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS
               : IAM_PRINCIPAL_ALL_USERS;
      p.email = colon ? colon + 1 : NULL;
      g_array_append_val (out, p);
    }
  return out;
}

static void
test_iap__decision (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) keep = NULL;
      g_autoptr (GArray) access = access_list (cases[i].access, &keep);
      CloudRunIapConfig c = {
        .enabled = true, .access = (const IamPrincipal *) (void *) access->data,
        .n_access = access->len, .project_number = 123456789012u,
        .resource = "/projects/123456789012/locations/europe-west1/"
                    "services/web",
      };
      CloudRunIap iap;
      CloudRunIapDecision d;
      g_autofree char *head = head_with (cases[i].field, cases[i].email,
                                         cases[i].aud);

      cloudrun_iap_init (&iap, &c);
      cloudrun_iap_check (&iap, "service web", (const uint8_t *) head,
                          strlen (head), HOST, cases[i].now, log, &d);
      if (d.admitted != cases[i].admitted
          || (!d.admitted && d.status != cases[i].status)
          || !strstr (d.rule, cases[i].text))
        fail_msg ("%s: expected %s %d '%s', found %s %d '%s'",
                  cases[i].label, cases[i].admitted ? "pass" : "refused",
                  cases[i].status, cases[i].text,
                  d.admitted ? "pass" : "refused", d.status, d.rule);
      if (d.admitted)
        assert_string_equal (d.email, cases[i].email ? cases[i].email : "");
      cloudrun_iap_clear (&iap);
    }
  sim_explain_log_free (log);
}

/* The value of the header line "NAME: VALUE\r\n" in lines, decoded as a
 * token (after "Bearer " when bearer). */
static void
token_in (const char *lines, const char *name, bool bearer,
          CloudRunIdTokenClaims *claims)
{
  g_autofree char *prefix = g_strdup_printf ("%s: %s", name,
                                             bearer ? "Bearer " : "");
  const char *at = strstr (lines, prefix), *end, *why;

  if (at == NULL)
    fail_msg ("no %s line in '%s'", name, lines);
  at += strlen (prefix);
  end = strstr (at, "\r\n");
  if (end == NULL)
    end = at + strlen (at);
  if (!cloudrun_id_token_read (at, (size_t) (end - at), claims, &why))
    fail_msg ("%s: %s", name, why);
}

static void
test_iap__credentials_name_the_agent_and_the_caller (void **state)
{
  static const IamPrincipal alice = { IAM_PRINCIPAL_USER, ALICE };
  CloudRunIapConfig c = {
    .enabled = true, .access = &alice, .n_access = 1,
    .project_number = 123456789012u, .resource = "/projects/123456789012/x",
  };
  CloudRunIap iap;
  CloudRunIapDecision d = { .admitted = true };
  CloudRunIdTokenClaims claims;
  char lines[CLOUDRUN_IAP_CREDENTIALS_MAX];
  size_t n;

  (void) state;
  cloudrun_iap_init (&iap, &c);
  assert_string_equal (iap.agent, AGENT);
  g_strlcpy (d.email, ALICE, sizeof d.email);
  n = cloudrun_iap_credentials (&iap, &d, "https://" HOST, 5 * SIM_S, lines,
                                sizeof lines);
  assert_int_equal (n, strlen (lines));
  token_in (lines, "X-Serverless-Authorization", true, &claims);
  assert_string_equal (claims.email, AGENT);
  assert_string_equal (claims.aud, "https://" HOST);
  assert_int_equal (claims.iat, 5);
  token_in (lines, CLOUDRUN_IAP_ASSERTION_FIELD, false, &claims);
  assert_string_equal (claims.email, ALICE);
  assert_string_equal (claims.aud, "/projects/123456789012/x");
  /* Too little room: nothing. */
  assert_int_equal (cloudrun_iap_credentials (&iap, &d, "https://" HOST, 0,
                                              lines, n), 0);
  /* Nobody identified (allUsers): the agent's token only. */
  d.email[0] = '\0';
  n = cloudrun_iap_credentials (&iap, &d, "https://" HOST, 0, lines,
                                sizeof lines);
  assert_true (n > 0);
  assert_null (strstr (lines, CLOUDRUN_IAP_ASSERTION_FIELD));
  cloudrun_iap_clear (&iap);
}

/* ---- Behind IAP: what IAM and the container see ------------------- */

#define IAP_WORLD(invokers) \
  WF_HEAD "[project shop]\nnumber = 123456789012\n\n" \
  "[service web]\nregion = europe-west1\niap = true\n" \
  "iap-access = user:" ALICE "\ninvokers = " invokers "\n\n" \
  "[client alice]\naddress = 203.0.113.10\naccount = " ALICE "\n\n" \
  "[traffic call]\nfrom = alice\nurl = service:web\nidentity = id-token\n"

/* Fails unless the request's step in state (at node) says text. */
static void
expect_step (WorldFixture *wf, const char *state, const char *node,
             const char *text)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, state, node);

  if (s == NULL || (!strstr (s->rule ? s->rule : "", text)
                    && !strstr (s->note ? s->note : "", text)))
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      fail_msg ("no %s step at %s saying '%s' in:\n%s", state, node, text,
                steps);
    }
}

static void
test_iap__iam_sees_the_service_agent (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (
    IAP_WORLD ("serviceAccount:" AGENT), NULL);
  GByteArray *seen = world_fixture_sniff (wf, "web-1");
  g_autofree char *auth = NULL;
  CloudRunIdTokenClaims claims;
  char *line;

  (void) state;
  world_fixture_run (wf);
  assert_string_equal (world_fixture_verdict (wf, "call", 0), "delivered");
  expect_step (wf, "APPLY_IAP", "gfe", "user:" ALICE " (ID token in "
               "Authorization) holds roles/iap.httpsResourceAccessor");
  expect_step (wf, "PROXY_CONNECTION", "gfe", "the ID token of "
               "serviceAccount:" AGENT);
  /* The container gets IAP's token, the user's assertion and the
   * user's own Authorization. */
  line = world_fixture_line (seen, "X-Serverless-Authorization: Bearer ");
  assert_non_null (line);
  token_in (line, "X-Serverless-Authorization", true, &claims);
  g_free (line);
  assert_string_equal (claims.email, AGENT);
  line = world_fixture_line (seen, CLOUDRUN_IAP_ASSERTION_FIELD ": ");
  assert_non_null (line);
  token_in (line, CLOUDRUN_IAP_ASSERTION_FIELD, false, &claims);
  g_free (line);
  assert_string_equal (claims.email, ALICE);
  assert_string_equal (claims.aud, "/projects/123456789012/locations/"
                       "europe-west1/services/web");
  auth = world_fixture_line (seen, "Authorization: Bearer ");
  assert_non_null (auth);
}

static void
test_iap__the_users_invoker_role_does_not_count (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    IAP_WORLD ("user:" ALICE), NULL);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "call", 0),
                       "denied-by-iam");
  assert_int_equal (world_fixture_status (wf, "call", 0), 403);
  expect_step (wf, "IAM_DENIED", "gfe", "serviceAccount:" AGENT " has a "
               "valid ID token but not the invoker role");
  expect_step (wf, "IAM_DENIED", "gfe", "IAP let it pass and called IAM");
  assert_int_equal (world_fixture_served (wf, "web"), 0);
}

#define ALB_WORLD(account) \
  WF_HEAD "[project shop]\nnumber = 123456789012\n\n" \
  "[service web]\nregion = europe-west1\n" \
  "invokers = serviceAccount:" AGENT "\n\n" \
  "[external-alb lb]\naddress = 192.0.2.20\nbackend = web\n" \
  "hostname = shop.example.com\niap = true\niap-access = user:" ALICE "\n\n" \
  "[client me]\naddress = 203.0.113.10\naccount = " account "\n\n" \
  "[traffic call]\nfrom = me\nurl = https://shop.example.com/\n" \
  "identity = id-token\n\n" \
  "[traffic direct]\nfrom = me\nurl = service:web\nidentity = id-token\n"

static void
test_iap__on_the_load_balancer (void **state)
{
  g_autoptr (WorldFixture) ok = world_fixture_new (ALB_WORLD (ALICE), NULL);
  g_autoptr (WorldFixture) no = world_fixture_new (
    ALB_WORLD ("bob@example.com"), NULL);
  CloudRunRequest *r = world_fixture_request (no, "call", 0);

  (void) state;
  /* Alice passes at the load balancer; IAM sees IAP's agent. */
  assert_string_equal (world_fixture_verdict (ok, "call", 0), "delivered");
  expect_step (ok, "APPLY_IAP", "alb-lb", "IAP of backend service web of "
               "the external ALB lb: user:" ALICE);
  /* Bob is refused by the load balancer: the GFE never sees it. */
  assert_string_equal (world_fixture_verdict (no, "call", 0),
                       "denied-by-iap");
  assert_int_equal (world_fixture_status (no, "call", 0), 403);
  assert_string_equal (world_fixture_decided_at (no, "call", 0),
                       "external-alb");
  assert_string_equal (world_fixture_cause (no, "call", 0), "IAP_DENIED");
  assert_non_null (world_fixture_step (no, r, "IAP_DENIED", "alb-lb"));
  assert_false (world_fixture_passed (r, CLOUDRUN_HOP_GFE));
  /* The run.app URL is not behind the load balancer's IAP: IAM decides,
   * for the caller itself. */
  assert_string_equal (world_fixture_verdict (ok, "direct", 0),
                       "denied-by-iam");
  assert_string_equal (world_fixture_verdict (no, "direct", 0),
                       "denied-by-iam");
}

/* Cloud Armor and IAP on one external ALB: a global external ALB asks
 * Cloud Armor first, a classic one IAP first
 * (armor/docs/integrating-cloud-armor). A caller without a token whom
 * the policy denies is refused by whichever comes first. */
#define ARMOR_AND_IAP(kind) \
  WF_HEAD "[project shop]\nnumber = 123456789012\n\n" \
  "[service web]\nregion = europe-west1\n" \
  "invokers = serviceAccount:" AGENT "\n\n" \
  "[external-alb lb]\naddress = 192.0.2.20\nbackend = web\n" \
  "iap = true\niap-access = user:" ALICE "\n" \
  "security-policy = edge\nkind = " kind "\n\n" \
  "[security-policy edge]\ndefault-action = deny-404\n\n" \
  "[security-rule office]\npolicy = edge\npriority = 10\n" \
  "action = allow\nsource-ranges = 198.51.100.0/24\n\n" \
  "[client me]\naddress = 203.0.113.10\n\n" \
  "[client office]\naddress = 198.51.100.7\naccount = " ALICE "\n\n" \
  "[traffic call]\nfrom = me\nurl = http://192.0.2.20/\n\n" \
  "[traffic staff]\nfrom = office\nurl = http://192.0.2.20/\n" \
  "identity = id-token\n"

static void
test_iap__order_with_cloud_armor (void **state)
{
  g_autoptr (WorldFixture) global = world_fixture_new (
    ARMOR_AND_IAP ("global"), NULL);
  g_autoptr (WorldFixture) classic = world_fixture_new (
    ARMOR_AND_IAP ("classic"), NULL);

  (void) state;
  assert_string_equal (world_fixture_verdict (global, "call", 0),
                       "denied-by-security-policy");
  assert_int_equal (world_fixture_status (global, "call", 0), 404);
  assert_null (world_fixture_step (global,
                                   world_fixture_request (global, "call", 0),
                                   "IAP_DENIED", NULL));
  assert_string_equal (world_fixture_verdict (classic, "call", 0),
                       "denied-by-iap");
  assert_int_equal (world_fixture_status (classic, "call", 0), 302);
  assert_null (world_fixture_step (classic,
                                   world_fixture_request (classic, "call", 0),
                                   "SECURITY_POLICY_DENIED", NULL));
  /* Past both, either way. */
  assert_string_equal (world_fixture_verdict (global, "staff", 0),
                       "delivered");
  assert_string_equal (world_fixture_verdict (classic, "staff", 0),
                       "delivered");
}

/* Pub/Sub push presents its own token (authenticated push): IAP takes
 * it as any caller's; unauthenticated push has none to show. */
static void
test_iap__a_google_product_needs_iap_access (void **state)
{
  static const struct {
    const char *account, *identity, *verdict;
    int status;
  } pushes[] = {
    { "push", "id-token", "delivered", 200 },
    { "other", "id-token", "denied-by-iap", 403 },
    { "push", "none", "denied-by-iap", 302 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (pushes); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD "[project shop]\nnumber = 123456789012\n\n"
        "[service web]\nregion = europe-west1\niap = true\n"
        "iap-access = serviceAccount:push@shop.iam.gserviceaccount.com\n"
        "invokers = serviceAccount:" AGENT "\n\n"
        "[google-caller orders]\nproduct = pubsub-push\n"
        "service-account = %s@shop.iam.gserviceaccount.com\n\n"
        "[traffic call]\nfrom = orders\nurl = service:web\n"
        "identity = %s\n", pushes[i].account, pushes[i].identity);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      assert_string_equal (world_fixture_verdict (wf, "call", 0),
                           pushes[i].verdict);
      assert_int_equal (world_fixture_status (wf, "call", 0),
                        pushes[i].status);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_iap__decision),
    cmocka_unit_test (test_iap__credentials_name_the_agent_and_the_caller),
    cmocka_unit_test (test_iap__iam_sees_the_service_agent),
    cmocka_unit_test (test_iap__the_users_invoker_role_does_not_count),
    cmocka_unit_test (test_iap__on_the_load_balancer),
    cmocka_unit_test (test_iap__order_with_cloud_armor),
    cmocka_unit_test (test_iap__a_google_product_needs_iap_access),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
