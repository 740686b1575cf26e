/* Tests for the door (tools/session/cloudrun-netsim.h): loading text that
 * has no NUL after it, edits, traffic look-up, the order of the calls,
 * every report, requests.jsonl kept in memory, one request's steps, and
 * that where the caller's slices end changes no byte of any report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "tools/session/cloudrun-netsim.h"

static const char scenario[] =
  "[scenario]\nformat = 1\ntitle = door test\nduration = 5s\nseed = 7\n\n"
  "[service api]\nregion = us-central1\ningress = internal\n\n"
  "[service web]\nregion = us-central1\n\n"
  "[client alice]\n\n"
  "[traffic from-internet]\nfrom = alice\nurl = service:api\ncount = 3\n"
  "interval = 100ms\n\n"
  "[traffic also]\nfrom = alice\nurl = service:web\ncount = 2\n"
  "interval = 1s\n\n"
  "[expect from-internet]\noutcome = denied-by-ingress\n\n"
  "[expect also]\noutcome = delivered\n";

/* A session of text in a buffer of exactly its length (no NUL after it:
 * ASan sees a read past it). */
static CloudRunSession *
load (const CloudRunEdits *edits, GError **error)
{
  gsize len = strlen (scenario);
  g_autofree char *exact = g_malloc (len);

  memcpy (exact, scenario, len);
  return cloudrun_session_load ("door.ini", exact, len, edits, error);
}

/* Runs s to its end in slices of slice ns. */
static void
run (CloudRunSession *s, guint64 slice)
{
  g_autoptr (GError) error = NULL;

  assert_true (cloudrun_session_start (s, NULL, NULL, NULL, &error));
  while (cloudrun_session_advance (s, slice))
    ;
  assert_true (cloudrun_session_finish (s, TRUE, NULL, &error));
}

static char *
render (CloudRunSession *s, CloudRunReport report)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  if (!cloudrun_session_render (s, report, out, &error))
    fail_msg ("report %d: %s", (int) report, error->message);
  return g_string_free (out, FALSE);
}

static void
test_load_and_facts (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CloudRunSession) s = load (NULL, &error);
  const char *name, *url, *number_url;
  guint t = 99;

  (void) state;
  assert_non_null (s);
  assert_string_equal (cloudrun_session_path (s), "door.ini");
  assert_string_equal (cloudrun_session_title (s), "door test");
  assert_int_equal (cloudrun_session_seed (s), 7);
  assert_int_equal (cloudrun_session_duration (s), 5000000000u);
  assert_int_equal (cloudrun_session_n_traffics (s), 2);
  assert_string_equal (cloudrun_session_traffic_name (s, 1), "also");
  assert_int_equal (cloudrun_session_traffic_requests (s, 0), 3);
  assert_true (cloudrun_session_find_traffic (s, "also", &t, NULL));
  assert_int_equal (t, 1);
  assert_false (cloudrun_session_find_traffic (s, "from-internt", &t,
                                               &error));
  assert_non_null (strstr (error->message, "did you mean 'from-internet'"));
  assert_int_equal (cloudrun_session_n_services (s), 2);
  cloudrun_session_service (s, 0, &name, &url, &number_url);
  assert_string_equal (name, "api");
  assert_true (g_str_has_suffix (url, ".run.app"));
}

static void
test_edits_and_errors (void **state)
{
  const char *sets[] = { "traffic also.count=4", NULL };
  const char *bad[] = { "service api.ingress=everyone", NULL };
  CloudRunEdits edits = { sets, NULL, TRUE, 42 };
  g_autoptr (GError) error = NULL;
  const char *wrong[] = { "expect also.outcome=dropped", NULL };
  g_autoptr (CloudRunSession) s = load (&edits, &error);
  g_autoptr (CloudRunSession) failing = NULL;
  CloudRunSession *refused;
  CloudRunTrafficResult r;

  (void) state;
  assert_non_null (s);
  assert_int_equal (cloudrun_session_traffic_requests (s, 1), 4);
  assert_int_equal (cloudrun_session_seed (s), 42);
  /* A failed item counts against its own traffic only. */
  edits.sets = wrong;
  failing = load (&edits, &error);
  run (failing, G_MAXUINT64);
  assert_int_equal (cloudrun_session_failures (failing), 1);
  cloudrun_session_traffic_result (failing, 0, &r);
  assert_int_equal (r.failed_expectations, 0);
  cloudrun_session_traffic_result (failing, 1, &r);
  assert_int_equal (r.failed_expectations, 1);
  edits.sets = bad;
  refused = load (&edits, &error);
  assert_null (refused);
  assert_non_null (strstr (error->message, "ingress"));
}

/* No report before the run finished; requests.jsonl only when kept. */
static void
test_call_order (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CloudRunSession) s = load (NULL, NULL);
  g_autoptr (GString) out = g_string_new (NULL);

  (void) state;
  assert_false (cloudrun_session_render (s, CLOUDRUN_REPORT_TEXT, out,
                                         &error));
  assert_non_null (strstr (error->message, "not finished"));
  g_clear_error (&error);
  run (s, G_MAXUINT64);
  assert_false (cloudrun_session_render (s, CLOUDRUN_REPORT_REQUESTS, out,
                                         &error));
  assert_int_equal (out->len, 0);
}

/* Every report renders; the verdicts are the run's. */
static void
test_reports (void **state)
{
  g_autoptr (CloudRunSession) s = load (NULL, NULL);
  g_autofree char *table = NULL, *json = NULL, *tap = NULL, *junit = NULL;
  g_autofree char *requests = NULL, *checks = NULL, *html = NULL;
  g_autofree char *dot = NULL, *text = NULL;
  g_auto (GStrv) lines = NULL;
  CloudRunTrafficResult r;

  (void) state;
  cloudrun_session_keep_requests (s);
  run (s, G_MAXUINT64);
  table = render (s, CLOUDRUN_REPORT_TABLE);
  text = render (s, CLOUDRUN_REPORT_TEXT);
  json = render (s, CLOUDRUN_REPORT_JSON);
  html = render (s, CLOUDRUN_REPORT_HTML);
  dot = render (s, CLOUDRUN_REPORT_DOT);
  checks = render (s, CLOUDRUN_REPORT_CHECKS);
  tap = render (s, CLOUDRUN_REPORT_TAP);
  junit = render (s, CLOUDRUN_REPORT_JUNIT);
  requests = render (s, CLOUDRUN_REPORT_REQUESTS);
  assert_non_null (strstr (table, "denied-by-ingress"));
  assert_non_null (strstr (text, "door test"));
  assert_true (g_str_has_prefix (json, "{"));
  assert_non_null (strstr (html, "<html"));
  assert_true (g_str_has_prefix (dot, "digraph"));
  assert_non_null (strstr (checks, "PASS door.ini [expect from-internet] "
                                   "outcome"));
  assert_non_null (strstr (tap, "1..2"));
  assert_non_null (strstr (junit, "<testsuite"));
  lines = g_strsplit (requests, "\n", -1);
  assert_int_equal (g_strv_length (lines), 5 + 1);
  assert_non_null (strstr (lines[0], "\"traffic\":\"from-internet\""));
  assert_int_equal (cloudrun_session_failures (s), 0);
  cloudrun_session_traffic_result (s, 0, &r);
  assert_string_equal (r.name, "from-internet");
  assert_int_equal (r.requests, 3);
  assert_string_equal (cloudrun_outcome_name (1), "denied-by-ingress");
  assert_int_equal (r.outcomes[1], 3);
  assert_int_equal (r.external, 3);
  assert_string_equal (r.decided_at, "gfe");
  cloudrun_session_traffic_result (s, 1, &r);
  assert_string_equal (cloudrun_outcome_name (0), "delivered");
  assert_int_equal (r.outcomes[0], 2);
  assert_true (r.has_latency);
  assert_true (r.p50 > 0 && r.p50 <= r.max);
}

/* One traffic's whole run, in slices of 1 ms or in one go: the same
 * bytes in every report. */
static void
test_slices_change_nothing (void **state)
{
  static const CloudRunReport reports[] = {
    CLOUDRUN_REPORT_TEXT, CLOUDRUN_REPORT_JSON, CLOUDRUN_REPORT_REQUESTS,
  };
  g_autoptr (CloudRunSession) a = load (NULL, NULL);
  g_autoptr (CloudRunSession) b = load (NULL, NULL);
  CloudRunProgress pa, pb;

  (void) state;
  cloudrun_session_keep_requests (a);
  cloudrun_session_keep_requests (b);
  run (a, G_MAXUINT64);
  run (b, 1000000);
  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    {
      g_autofree char *ra = render (a, reports[i]);
      g_autofree char *rb = render (b, reports[i]);
      assert_string_equal (ra, rb);
    }
  cloudrun_session_progress (a, &pa);
  cloudrun_session_progress (b, &pb);
  assert_int_equal (pa.events, pb.events);
  assert_int_equal (pa.requests_ended, 5);
  assert_int_equal (pa.requests_planned, 5);
}

/* A dense burst: one call with no slice bound stops after
 * CLOUDRUN_ADVANCE_EVENTS events (a signal is seen in time), and the run
 * it resumes gives the same reports as many small slices. */
static void
test_advance_is_bounded_in_events (void **state)
{
  const char *sets[] = { "traffic also.count=200000",
                         "traffic also.interval=0ms", NULL };
  CloudRunEdits edits = { sets, NULL, FALSE, 0 };
  g_autoptr (CloudRunSession) a = load (&edits, NULL);
  g_autoptr (CloudRunSession) b = load (&edits, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *ra = NULL, *rb = NULL;
  CloudRunProgress p;

  (void) state;
  assert_true (cloudrun_session_start (a, NULL, NULL, NULL, &error));
  assert_true (cloudrun_session_advance (a, G_MAXUINT64));
  cloudrun_session_progress (a, &p);
  assert_int_equal (p.events, CLOUDRUN_ADVANCE_EVENTS);
  assert_true (p.now < cloudrun_session_duration (a));
  assert_true (p.requests_ended < p.requests_planned);
  while (cloudrun_session_advance (a, G_MAXUINT64))
    ;
  assert_true (cloudrun_session_finish (a, TRUE, NULL, &error));
  run (b, 1000000);
  ra = render (a, CLOUDRUN_REPORT_JSON);
  rb = render (b, CLOUDRUN_REPORT_JSON);
  assert_string_equal (ra, rb);
}

/* A kept request's steps; an early finish leaves the rest pending. */
static void
test_steps_and_early_finish (void **state)
{
  g_autoptr (CloudRunSession) s = load (NULL, NULL);
  g_autoptr (GString) steps = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  CloudRunTrafficResult r;

  (void) state;
  cloudrun_session_keep_request (s, 0, 0);
  assert_true (cloudrun_session_start (s, NULL, NULL, NULL, &error));
  /* Stop at 150 ms: the first request (at 0) is refused, the second (at
   * 100 ms) is still on its way, the third (at 200 ms) never began. */
  assert_true (cloudrun_session_advance (s, 150000000));
  assert_true (cloudrun_session_finish (s, TRUE, NULL, &error));
  cloudrun_session_traffic_result (s, 0, &r);
  assert_int_equal (r.outcomes[1], 1);
  assert_int_equal (r.outcomes[CLOUDRUN_N_OUTCOMES - 1], 2);
  assert_string_equal (cloudrun_outcome_name (CLOUDRUN_N_OUTCOMES - 1),
                       "pending");
  cloudrun_session_render_steps (s, 0, 0, steps);
  assert_non_null (strstr (steps->str, "gfe"));
  assert_non_null (strstr (steps->str, "ingress"));
}

static void
test_vocabulary (void **state)
{
  g_autoptr (GString) keys = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *const names[] = { "run", "check", "explain", NULL };
  char buf[32];
  guint64 bytes = 0;

  (void) state;
  assert_true (cloudrun_describe_keys (keys, "expect", &error));
  assert_non_null (strstr (keys->str, "drop-cause values this simulator "
                                      "produces"));
  assert_false (cloudrun_describe_keys (keys, "servce", &error));
  assert_string_equal (cloudrun_format_time (1500000000, buf), "1.5s");
  assert_true (cloudrun_parse_size ("2KiB", &bytes));
  assert_int_equal (bytes, 2048);
  assert_false (cloudrun_parse_size ("2 parsecs", &bytes));
  assert_string_equal (cloudrun_suggest ("chekc", names), "check");
  assert_string_equal (cloudrun_words (CLOUDRUN_WORDS_OUTCOMES)[0],
                       "delivered");
  assert_string_equal (cloudrun_words (CLOUDRUN_WORDS_CLASSIFICATIONS)[1],
                       "external");
  assert_true (g_strv_contains (cloudrun_words (CLOUDRUN_WORDS_HOPS), "gfe"));
  assert_true (g_strv_contains (cloudrun_words (CLOUDRUN_WORDS_DROP_CAUSES),
                                "PRIVATE_GOOGLE_ACCESS_DISALLOWED"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_load_and_facts),
    cmocka_unit_test (test_edits_and_errors),
    cmocka_unit_test (test_call_order),
    cmocka_unit_test (test_reports),
    cmocka_unit_test (test_slices_change_nothing),
    cmocka_unit_test (test_advance_is_bounded_in_events),
    cmocka_unit_test (test_steps_and_early_finish),
    cmocka_unit_test (test_vocabulary),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
