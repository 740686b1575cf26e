/* Tests for revisions, tags and traffic splits (models/world/service.c,
 * the GFE's choice in models/world/gfe.c; docs/networking.md,
 * "Revisions, tags and traffic splits") through small scenarios: the
 * service's URL splits requests among its revisions by percent, drawn
 * per request from the scenario's seed (the same seed, the same draws;
 * long runs converge to the percentages); a tag URL reaches its revision
 * alone, 0% or not, and obeys the service's ingress and IAM like the
 * run.app URLs; each revision has its own instances.
 *
 * Probes: the ledger's per-traffic tally of revisions, each revision
 * record's served counter, the verdicts and the GFE's steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/format/service-url.h"
#include "models/world/service.h"
#include "tests/models/world/world-fixture.h"

/* The record of revision NAME (or of a service without revisions). */
static CloudRunServiceNode *
revision_record (WorldFixture *wf, const char *name)
{
  for (guint i = 0; i < wf->world->services->len; i++)
    {
      CloudRunServiceNode *s = g_ptr_array_index (wf->world->services, i);
      if (s->revision && strcmp (s->revision, name) == 0)
        return s;
    }
  fail_msg ("no revision named '%s'", name);
  return NULL;
}

/* Requests the containers of revision NAME answered. */
static uint64_t
revision_served (WorldFixture *wf, const char *name)
{
  CloudRunServiceNode *s = revision_record (wf, name);
  uint64_t n = 0;

  for (guint i = 0; i < s->instances->len; i++)
    n += ((CloudRunInstance *) g_ptr_array_index (s->instances,
                                                  i))->http.requests;
  return n;
}

/* How many of traffic t's requests (0-based) the GFE sent to revision
 * NAME, from the ledger's tally. */
static uint32_t
tally_of (WorldFixture *wf, guint t, const char *name)
{
  const CloudRunTally *tally = cloudrun_ledger_tally (&wf->world->ledger, t);

  for (guint i = 0; tally->served && i < tally->served->len; i++)
    {
      const CloudRunServed *one = &g_array_index (tally->served,
                                                  CloudRunServed, i);
      if (strcmp (one->revision, name) == 0)
        return one->count;
    }
  return 0;
}

/* https://TAG---s-HASH-uc.a.run.app/ of service s in project default. */
static char *
tag_url (const char *tag, const char *service)
{
  g_autofree char *host = cloudrun_service_hash_host ("default", service,
                                                      "us-central1");
  return g_strdup_printf ("https://%s---%s/", tag, host);
}

#define SPLIT(a, b, c) \
  WF_HEAD \
  "[service s]\nregion = us-central1\n\n" \
  "[revision s-a]\nservice = s\npercent = " a "\n\n" \
  "[revision s-b]\nservice = s\npercent = " b "\n\n" \
  "[revision s-c]\nservice = s\npercent = " c "\ntag = beta\n\n" \
  "[client alice]\n\n"

/* n requests from alice to url, one every 5 ms. */
static char *
split_ini (const char *head, const char *url, unsigned n)
{
  return g_strdup_printf ("%s[traffic call]\nfrom = alice\nurl = %s\n"
                          "count = %u\ninterval = 5ms\n", head, url, n);
}

static void
test_revisions__split_converges_to_the_percentages (void **state)
{
  g_autofree char *ini = split_ini (SPLIT ("70", "30", "0"),
                                    "service:s", 2000);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  uint32_t a = tally_of (wf, 0, "s-a"), b = tally_of (wf, 0, "s-b");

  (void) state;
  assert_int_equal (world_fixture_count_verdict (wf, "call", CLOUDRUN_VERDICT_DELIVERED),
                    2000);
  assert_int_equal (a + b, 2000);
  /* 70% of 2000 is 1400, one standard deviation about 20. */
  assert_in_range (a, 1320, 1480);
  assert_in_range (b, 520, 680);
  /* The containers of each revision took what the GFE sent them; the
   * 0% revision took nothing. */
  assert_int_equal (revision_served (wf, "s-a"), a);
  assert_int_equal (revision_served (wf, "s-b"), b);
  assert_int_equal (revision_served (wf, "s-c"), 0);
  assert_int_equal (tally_of (wf, 0, "s-c"), 0);
}

/* The split is drawn per request from the seed: the same seed gives the
 * same revision to every request, another seed another sequence. */
static void
test_revisions__split_is_deterministic_by_seed (void **state)
{
  g_autofree char *ini = split_ini (SPLIT ("50", "50", "0"),
                                    "service:s", 200);
  static const char *const seed_7[] = { "scenario.seed=7", NULL };
  static const char *const seed_8[] = { "scenario.seed=8", NULL };
  g_autoptr (WorldFixture) one = world_fixture_new (ini, seed_7);
  g_autoptr (WorldFixture) two = world_fixture_new (ini, seed_7);
  g_autoptr (WorldFixture) other = world_fixture_new (ini, seed_8);
  guint differ = 0;

  (void) state;
  for (guint i = 0; i < 200; i++)
    {
      CloudRunRequest *r1 = world_fixture_request (one, "call", i);
      CloudRunRequest *r2 = world_fixture_request (two, "call", i);
      CloudRunRequest *r3 = world_fixture_request (other, "call", i);
      assert_non_null (r1->revision);
      assert_string_equal (r1->revision, r2->revision);
      differ += strcmp (r1->revision, r3->revision) != 0;
    }
  /* Two independent fair sequences of 200 agree everywhere with
   * probability 2^-200. */
  assert_true (differ > 50);
}

/* A tag URL, in either form, reaches its revision alone, even at 0%. */
static void
test_revisions__tag_url_reaches_only_its_revision (void **state)
{
  g_autofree char *url = tag_url ("beta", "s");
  g_autofree char *number_url = NULL;
  g_autofree char *ini = NULL;
  g_autoptr (WorldFixture) wf = NULL;
  CloudRunRequest *r;
  const SimExplainStep *step;

  (void) state;
  number_url = g_strdup_printf ("https://beta---s-%012" G_GUINT64_FORMAT
                                ".us-central1.run.app/",
                                cloudrun_project_number_default ("default"));
  ini = g_strdup_printf ("%s[traffic call]\nfrom = alice\nurl = %s\n"
                         "count = 50\ninterval = 5ms\n\n"
                         "[traffic other]\nfrom = alice\nurl = %s\n"
                         "count = 50\ninterval = 5ms\n",
                         SPLIT ("50", "50", "0"), url, number_url);
  wf = world_fixture_new (ini, NULL);
  assert_int_equal (world_fixture_count_verdict (wf, "call", CLOUDRUN_VERDICT_DELIVERED),
                    50);
  assert_int_equal (world_fixture_count_verdict (wf, "other", CLOUDRUN_VERDICT_DELIVERED),
                    50);
  assert_int_equal (tally_of (wf, 0, "s-c"), 50);
  assert_int_equal (tally_of (wf, 1, "s-c"), 50);
  assert_int_equal (revision_served (wf, "s-c"), 100);
  assert_int_equal (revision_served (wf, "s-a") + revision_served (wf, "s-b"),
                    0);
  /* Its own instance, named after it; the GFE's step names it. */
  assert_non_null (world_fixture_node (wf, "s-c-1"));
  r = world_fixture_request (wf, "call", 0);
  step = world_fixture_step (wf, r, "PROXY_CONNECTION", "gfe");
  assert_non_null (step);
  assert_non_null (strstr (step->note, "revision s-c: its tag URL reaches "
                                       "it alone"));
  assert_non_null (strstr (step->note, "to instance s-c-1"));
}

/* The service URL never reaches a 0% revision, and a tagged revision
 * with a share takes its share of the service URL too. */
static void
test_revisions__tagged_revision_keeps_its_share (void **state)
{
  static const char head[] =
    WF_HEAD
    "[service s]\nregion = us-central1\n\n"
    "[revision s-a]\nservice = s\npercent = 0\n\n"
    "[revision s-b]\nservice = s\npercent = 100\ntag = beta\n\n"
    "[client alice]\n\n";
  g_autofree char *ini = split_ini (head, "service:s", 1000);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  assert_int_equal (tally_of (wf, 0, "s-b"), 1000);
  assert_int_equal (revision_served (wf, "s-a"), 0);
}

/* Tag URLs obey the service's ingress (run/docs/securing/ingress: every
 * ingress path, the run.app URLs included) and its IAM. */
static void
test_revisions__tag_url_obeys_ingress_and_iam (void **state)
{
  g_autofree char *url = tag_url ("beta", "s");
  g_autofree char *url_u = tag_url ("beta", "u");
  g_autofree char *ini = NULL;
  g_autoptr (WorldFixture) wf = NULL;

  (void) state;
  ini = g_strdup_printf (
    WF_HEAD
    "[service s]\nregion = us-central1\ningress = internal\n\n"
    "[revision s-a]\nservice = s\npercent = 100\n\n"
    "[revision s-b]\nservice = s\npercent = 0\ntag = beta\n\n"
    "[service u]\nregion = us-central1\ninvokers = allAuthenticatedUsers\n\n"
    "[revision u-a]\nservice = u\npercent = 100\n\n"
    "[revision u-b]\nservice = u\npercent = 0\ntag = beta\n\n"
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = %s\n\n"
    "[traffic anonymous]\nfrom = alice\nurl = %s\n\n"
    "[traffic token]\nfrom = alice\nurl = %s\nidentity = id-token\n",
    url, url_u, url_u);
  wf = world_fixture_new (ini, NULL);
  assert_string_equal (world_fixture_verdict (wf, "call", 0),
                       "denied-by-ingress");
  assert_int_equal (world_fixture_status (wf, "call", 0), 404);
  assert_string_equal (world_fixture_class (wf, "call", 0), "external");
  assert_int_equal (revision_served (wf, "s-b"), 0);
  assert_string_equal (world_fixture_verdict (wf, "anonymous", 0),
                       "denied-by-iam");
  /* The token's audience is the tag URL: one of the service's URLs. */
  assert_string_equal (world_fixture_verdict (wf, "token", 0), "delivered");
  assert_int_equal (revision_served (wf, "u-b"), 1);
}

/* Each revision scales on its own: its own instances, its own cold
 * starts and concurrency. */
static void
test_revisions__each_revision_has_its_own_instances (void **state)
{
  static const char head[] =
    WF_HEAD
    "[service s]\nregion = us-central1\nconcurrency = 1\n"
    "service-time = 200ms\n\n"
    "[revision s-a]\nservice = s\npercent = 50\nmin-instances = 2\n\n"
    "[revision s-b]\nservice = s\npercent = 50\ncold-start = 3s\n\n"
    "[client alice]\n\n";
  g_autofree char *ini = split_ini (head, "service:s", 40);
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  CloudRunServiceNode *a = revision_record (wf, "s-a");
  CloudRunServiceNode *b = revision_record (wf, "s-b");

  (void) state;
  assert_ptr_equal (a->lead, a);
  assert_ptr_equal (b->lead, a);
  assert_int_equal (a->min_instances, 2);
  assert_int_equal (b->min_instances, 0);
  assert_true (b->cold_start == 3 * SIM_S);
  assert_true (a->cold_start == 1 * SIM_S);
  assert_non_null (world_fixture_node (wf, "s-a-2"));
  assert_non_null (world_fixture_node (wf, "s-b-1"));
  /* The service's own instance names are not made. */
  assert_int_equal (world_fixture_count_verdict (wf, "call", CLOUDRUN_VERDICT_DELIVERED),
                    40);
  assert_int_equal (revision_served (wf, "s-a") + revision_served (wf, "s-b"),
                    40);
  assert_true (a->base_addr != b->base_addr);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_revisions__split_converges_to_the_percentages),
    cmocka_unit_test (test_revisions__split_is_deterministic_by_seed),
    cmocka_unit_test (test_revisions__tag_url_reaches_only_its_revision),
    cmocka_unit_test (test_revisions__tagged_revision_keeps_its_share),
    cmocka_unit_test (test_revisions__tag_url_obeys_ingress_and_iam),
    cmocka_unit_test (test_revisions__each_revision_has_its_own_instances),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
