/* VPC Service Controls perimeters (models/world/perimeter.c, the GFE's
 * enforcement in models/world/gfe.c, Cloud Tasks' in
 * models/world/product-caller.c) on tiny worlds:
 * - a perimeter acts on Cloud Run only when run.googleapis.com is one of
 *   its restricted services; [project] perimeter alone restricts it;
 * - an access level admits an outsider by its public source address,
 *   never a caller of another perimeter, never by its identity;
 * - a network of another project in the perimeter is internal only when
 *   the perimeter restricts Cloud Run;
 * - Cloud Tasks in a perimeter restricting cloudtasks.googleapis.com
 *   sends only authenticated requests to run.app targets.
 * https://cloud.google.com/run/docs/securing/using-vpc-service-controls
 * https://cloud.google.com/tasks/docs/use-vpc-service-controls */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

#define SHOP(ingress) \
  "[project shop]\n\n[project other]\n\n" \
  "[service backend]\nproject = shop\nregion = us-central1\n" \
  "ingress = " ingress "\n\n"

#define ALICE \
  "[client alice]\naddress = 198.51.100.7\n" \
  "account = alice@example.com\n\n" \
  "[traffic call]\nfrom = alice\nurl = service:backend\n" \
  "identity = id-token\n\n"

static void
expect_verdict (WorldFixture *wf, const char *label, const char *verdict,
                const char *cause)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  if (strcmp (world_fixture_verdict (wf, "call", 0), verdict) != 0
      || strcmp (world_fixture_cause (wf, "call", 0), cause) != 0)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      fail_msg ("%s: %s (%s), expected %s (%s)\n%s", label,
                world_fixture_verdict (wf, "call", 0),
                world_fixture_cause (wf, "call", 0), verdict, cause, steps);
    }
}

/* The step of a refusal at the GFE carries its why in rule or note. */
static const char *
refusal_note (WorldFixture *wf)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "VPC_SC_DENIED",
                                                "gfe");
  assert_non_null (s);
  return s->note;
}

/* An internet client against perimeters with and without Cloud Run
 * restricted, with and without an access level holding its address. */
static void
test_perimeter__acts_by_restricted_services_and_access_levels (void **state)
{
  static const struct {
    const char *label, *perimeter, *verdict, *cause;
  } cases[] = {
    { "run.googleapis.com restricted",
      "restricted-services = run.googleapis.com\n", "denied-by-vpc-sc",
      "VPC_SC_DENIED" },
    { "only other services restricted",
      "restricted-services = storage.googleapis.com;"
      "cloudtasks.googleapis.com\n", "delivered", "none" },
    { "nothing restricted", "", "delivered", "none" },
    { "an access level holds the client's address",
      "restricted-services = run.googleapis.com\n"
      "access-level-ranges = 203.0.113.0/24;198.51.100.0/24\n",
      "delivered", "none" },
    { "an access level holds another range",
      "restricted-services = run.googleapis.com\n"
      "access-level-ranges = 203.0.113.0/24\n", "denied-by-vpc-sc",
      "VPC_SC_DENIED" },
    { "an access level names the client's identity",
      "restricted-services = run.googleapis.com\n"
      "access-level-identities = user:alice@example.com\n",
      "denied-by-vpc-sc", "VPC_SC_DENIED" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD SHOP ("all") "[perimeter fence]\nprojects = shop\n%s\n"
        ALICE, cases[i].perimeter);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_verdict (wf, cases[i].label, cases[i].verdict, cases[i].cause);
      if (strcmp (cases[i].verdict, "delivered") == 0)
        assert_int_equal (world_fixture_served (wf, "backend"), 1);
      else
        assert_int_equal (world_fixture_status (wf, "call", 0), 403);
    }
  /* The identity case says why the identity admitted nothing. */
  {
    g_autoptr (WorldFixture) wf = world_fixture_new (
      WF_HEAD SHOP ("all") "[perimeter fence]\nprojects = shop\n"
      "restricted-services = run.googleapis.com\n"
      "access-level-identities = user:alice@example.com\n\n" ALICE, NULL);
    assert_non_null (strstr (refusal_note (wf), "user:alice@example.com"));
    assert_non_null (strstr (refusal_note (wf), "does not use the caller's "
                                                "IAM identity"));
  }
}

/* [project] perimeter of format 1 restricts Cloud Run by itself, and joins
 * a [perimeter] group of its name that restricts it. */
static void
test_perimeter__project_key_restricts_cloud_run (void **state)
{
  static const char *const groups[] = {
    "",
    "[perimeter fence]\nrestricted-services = run.googleapis.com\n"
    "access-level-ranges = 203.0.113.0/24\n\n",
  };
  static const char *const verdicts[] = { "denied-by-vpc-sc", "delivered" };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD "[project shop]\nperimeter = fence\n\n%s"
        "[service backend]\nproject = shop\nregion = us-central1\n\n"
        "[client bob]\naddress = 203.0.113.9\n\n"
        "[traffic call]\nfrom = bob\nurl = service:backend\n", groups[i]);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_verdict (wf, groups[i], verdicts[i],
                      i == 0 ? "VPC_SC_DENIED" : "none");
    }
}

/* A Google product at a public address: an access level holding it admits
 * it from no perimeter, never from another perimeter. */
static void
test_perimeter__access_level_never_admits_another_perimeter (void **state)
{
  static const struct {
    const char *ops, *verdict;
  } cases[] = {
    { "", "delivered" },
    { "[perimeter wall]\nprojects = other\n", "denied-by-vpc-sc" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD SHOP ("all") "[perimeter fence]\nprojects = shop\n"
        "restricted-services = run.googleapis.com\n"
        "access-level-ranges = 34.98.1.0/24\n\n%s\n"
        "[google-caller push]\nproduct = pubsub-push\nproject = other\n\n"
        "[traffic call]\nfrom = push\nurl = service:backend\n",
        cases[i].ops);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_verdict (wf, cases[i].ops, cases[i].verdict,
                      i == 0 ? "none" : "VPC_SC_DENIED");
      if (i == 1)
        assert_non_null (strstr (refusal_note (wf), "another perimeter"));
    }
}

/* A VM of another project in the service's perimeter: inside and internal
 * when the perimeter restricts Cloud Run; otherwise the perimeter makes
 * it nothing, and ingress = internal refuses it. */
static void
test_perimeter__members_internal_only_when_run_restricted (void **state)
{
  static const struct {
    const char *services, *verdict, *cls;
  } cases[] = {
    { "run.googleapis.com", "delivered", "internal" },
    { "storage.googleapis.com", "denied-by-ingress", "external" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD SHOP ("internal")
        "[perimeter fence]\nprojects = shop;other\n"
        "restricted-services = %s\n\n"
        "[network net]\nproject = other\n\n"
        "[subnet vms]\nnetwork = net\nregion = us-central1\n"
        "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
        "[vm caller]\nsubnet = vms\n\n"
        "[traffic call]\nfrom = caller\nurl = service:backend\n",
        cases[i].services);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_verdict (wf, cases[i].services, cases[i].verdict,
                      i == 0 ? "none" : "INGRESS_DENIED");
      assert_string_equal (world_fixture_class (wf, "call", 0),
                           cases[i].cls);
    }
}

/* Cloud Tasks in a perimeter restricting cloudtasks.googleapis.com: only
 * an authenticated request to a run.app URL leaves. */
static void
test_perimeter__cloud_tasks_sends_only_tokens_to_run_app (void **state)
{
  static const struct {
    const char *label, *product, *services, *url, *identity, *verdict,
      *cause;
  } cases[] = {
    { "no token", "cloud-tasks", "cloudtasks.googleapis.com",
      "service:backend", "none", "denied-by-vpc-sc",
      "TARGET_TYPE_NOT_PERMITTED_FOR_VPC" },
    { "a token", "cloud-tasks", "cloudtasks.googleapis.com",
      "service:backend", "id-token", "delivered", "none" },
    { "a custom domain", "cloud-tasks", "cloudtasks.googleapis.com",
      "https://shop.example.com/", "id-token", "denied-by-vpc-sc",
      "TARGET_TYPE_NOT_PERMITTED_FOR_VPC" },
    { "Cloud Tasks not restricted", "cloud-tasks", "storage.googleapis.com",
      "service:backend", "none", "delivered", "none" },
    { "Pub/Sub push is not Cloud Tasks", "pubsub-push",
      "cloudtasks.googleapis.com", "service:backend", "none", "delivered",
      "none" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD SHOP ("all") "[perimeter fence]\nprojects = shop\n"
        "restricted-services = %s\n\n"
        "[external-alb lb]\naddress = 192.0.2.20\nbackend = backend\n"
        "hostname = shop.example.com\n\n"
        "[google-caller queue]\nproduct = %s\nproject = shop\n\n"
        "[traffic call]\nfrom = queue\nurl = %s\nidentity = %s\n",
        cases[i].services, cases[i].product, cases[i].url,
        cases[i].identity);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_verdict (wf, cases[i].label, cases[i].verdict, cases[i].cause);
      if (strcmp (cases[i].verdict, "delivered") == 0)
        continue;
      assert_string_equal (world_fixture_decided_at (wf, "call", 0),
                           "google-product");
      /* Refused before it left: nothing reached the GFE. */
      assert_int_equal (world_fixture_served (wf, "backend"), 0);
      assert_non_null (world_fixture_step (
        wf, world_fixture_request (wf, "call", 0),
        "TARGET_TYPE_NOT_PERMITTED_FOR_VPC", "queue"));
    }
}

/* The service's own internal ALB (its serverless NEG lives in the
 * service's project) is inside the perimeter, though the caller's VM is
 * in a network of a project outside it and its proxies' private
 * addresses match no access level. */
static void
test_perimeter__own_internal_alb_is_inside (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD SHOP ("all") "[perimeter fence]\nprojects = shop\n"
    "restricted-services = run.googleapis.com\n\n"
    "[network net]\nproject = other\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet proxies]\nnetwork = net\nregion = us-central1\n"
    "range = 10.9.0.0/24\npurpose = proxy-only\n\n"
    "[internal-alb ilb]\nnetwork = net\nregion = us-central1\n"
    "address = 10.1.0.100\nbackend = backend\n\n"
    "[vm caller]\nsubnet = vms\n\n"
    "[traffic call]\nfrom = caller\nurl = http://10.1.0.100/\n", NULL);

  (void) state;
  expect_verdict (wf, "own internal ALB", "delivered", "none");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (
      test_perimeter__acts_by_restricted_services_and_access_levels),
    cmocka_unit_test (test_perimeter__project_key_restricts_cloud_run),
    cmocka_unit_test (
      test_perimeter__access_level_never_admits_another_perimeter),
    cmocka_unit_test (
      test_perimeter__members_internal_only_when_run_restricted),
    cmocka_unit_test (
      test_perimeter__cloud_tasks_sends_only_tokens_to_run_app),
    cmocka_unit_test (test_perimeter__own_internal_alb_is_inside),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
