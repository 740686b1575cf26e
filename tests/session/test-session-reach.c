/* Tests for cloudrun_session_first_request (tools/session/session-reach.c):
 * a refused request's status, classification and deciding step, a
 * delivered one's, a drop without a status, and a request that never
 * began. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "tools/session/cloudrun-netsim.h"

static const char scenario[] =
  "[scenario]\nformat = 1\ntitle = first request\nduration = 5s\n\n"
  "[network vpc]\n\n"
  "[subnet no-pga]\nnetwork = vpc\nregion = us-central1\n"
  "range = 10.0.0.0/24\n\n"
  "[service api]\nregion = us-central1\ningress = internal\n\n"
  "[service web]\nregion = us-central1\n\n"
  "[service direct]\nregion = us-central1\nvpc-access = direct\n"
  "subnet = no-pga\nvpc-egress = all-traffic\n\n"
  "[client alice]\n\n"
  "[traffic refused]\nfrom = alice\nurl = service:api\n\n"
  "[traffic delivered]\nfrom = alice\nurl = service:web\n\n"
  "[traffic dropped]\nfrom = direct\nurl = service:web\ntimeout = 2s\n\n"
  "[traffic late]\nfrom = alice\nurl = service:web\nstart = 10s\n";

static CloudRunSession *
run (void)
{
  g_autoptr (GError) error = NULL;
  CloudRunSession *s = cloudrun_session_load ("first.ini", scenario,
                                              strlen (scenario), NULL,
                                              &error);

  if (!s)
    fail_msg ("%s", error->message);
  assert_true (cloudrun_session_start (s, NULL, NULL, NULL, &error));
  while (cloudrun_session_advance (s, 1000000000u))
    ;
  assert_true (cloudrun_session_finish (s, TRUE, NULL, &error));
  return s;
}

static void
test_refused_and_delivered (void **state)
{
  g_autoptr (CloudRunSession) s = run ();
  g_autoptr (GString) step = g_string_new (NULL);
  CloudRunFirstRequest r;

  (void) state;
  assert_true (cloudrun_session_first_request (s, 0, &r, step));
  assert_int_equal (r.status, 404);
  assert_string_equal (r.classified, "external");
  assert_string_equal (r.decided_node, "gfe");
  assert_non_null (strstr (step->str, "gfe INGRESS_DENIED"));
  g_string_truncate (step, 0);
  assert_true (cloudrun_session_first_request (s, 1, &r, step));
  assert_int_equal (r.status, 200);
  assert_string_equal (r.classified, "external");
  assert_non_null (strstr (step->str, "DELIVER"));
}

static void
test_dropped_and_never_began (void **state)
{
  g_autoptr (CloudRunSession) s = run ();
  g_autoptr (GString) step = g_string_new (NULL);
  CloudRunFirstRequest r;

  (void) state;
  assert_true (cloudrun_session_first_request (s, 2, &r, step));
  assert_int_equal (r.status, 0);
  assert_null (r.classified);
  assert_string_equal (r.decided_node, "vpc-vpc");
  assert_non_null (strstr (step->str,
                           "vpc-vpc DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED"));
  /* Without a step to write, the same verdict. */
  assert_true (cloudrun_session_first_request (s, 2, &r, NULL));
  assert_int_equal (r.status, 0);
  g_string_truncate (step, 0);
  assert_false (cloudrun_session_first_request (s, 3, &r, step));
  assert_int_equal (step->len, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_refused_and_delivered),
    cmocka_unit_test (test_dropped_and_never_began),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
