/* Tests for the geography of calls through Google's front end
 * (docs/networking.md, "Geography"): a request that set out from another
 * region than its service's crosses Google's backbone, and the GFE holds
 * its packets to and from the instance for the inter-region one-way time
 * (models/world/region-latency.h); one round trip, the upstream handshake
 * aside. Callers: an internet client with [client] location (none: no
 * backbone), a VM of a subnet in another region, a Cloud Run service of
 * another region, a client behind an external Application Load Balancer,
 * a Google product with a region; an internal ALB's proxies are in its
 * region.
 *
 * Probes: the latency the caller saw, the GFE's PROXY_CONNECTION step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/region-latency.h"
#include "tests/models/world/world-fixture.h"

/* A warm backend in us-central1 answering in 10 ms; a caller added by each
 * test; traffic "call" from it and "near" from a client with no location. */
#define GEO_HEAD WF_HEAD \
  "[project shop]\n\n" \
  "[service backend]\nregion = us-central1\nmin-instances = 1\n" \
  "service-time = 10ms\n\n" \
  "[client here]\n\n" \
  "[traffic near]\nfrom = here\nurl = http://backend-538504492041" \
  ".us-central1.run.app/\n\n"

#define GEO_CALL(FROM, URL) \
  "[traffic call]\nfrom = " FROM "\nurl = " URL "\n"

#define BACKEND_URL "http://backend-538504492041.us-central1.run.app/"

static SimTime
latency_of (WorldFixture *wf, const char *traffic)
{
  CloudRunRequest *r = world_fixture_request (wf, traffic, 0);

  if (r->outcome != CLOUDRUN_VERDICT_DELIVERED)
    fail_msg ("%s: %s", traffic, world_fixture_steps_text (wf, r));
  return world_fixture_latency (r);
}

/* The caller's latency exceeds the same path inside one region by one
 * backbone round trip (2 one-ways), not two (the handshake is not held). */
static void
assert_one_round_trip (SimTime far, SimTime near, const char *from)
{
  SimTime one_way = cloudrun_region_one_way (from, "us-central1");

  assert_true (one_way > 20 * SIM_MS);
  if (far < near + 2 * one_way - SIM_MS || far > near + 2 * one_way + 5 * SIM_MS)
    fail_msg ("latency %lld ns, expected %lld + 2 x %lld ns", (long long) far,
              (long long) near, (long long) one_way);
}

static void
test_geography__internet_client_location_pays_the_backbone (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[client far]\nlocation = europe-west1\n\n"
    GEO_CALL ("far", BACKEND_URL), NULL);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "PROXY_CONNECTION",
                                                "gfe");

  (void) state;
  assert_one_round_trip (latency_of (wf, "call"), latency_of (wf, "near"),
                         "europe-west1");
  assert_non_null (s);
  assert_non_null (strstr (s->note, "europe-west1"));
  assert_non_null (strstr (s->note, "us-central1"));
  assert_non_null (strstr (s->note, "inter-region table"));
}

static void
test_geography__no_location_no_backbone (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[client also-here]\nlocation = us-central1\n\n"
    GEO_CALL ("also-here", BACKEND_URL), NULL);
  g_autoptr (WorldFixture) unset = world_fixture_new (
    GEO_HEAD "[client also-here]\n\n" GEO_CALL ("also-here", BACKEND_URL),
    NULL);
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);
  const SimExplainStep *s = world_fixture_step (wf, r, "PROXY_CONNECTION",
                                                "gfe");

  (void) state;
  /* The default (the service's region) and the same region written out
   * take the same time; the step speaks of no backbone. */
  assert_true (latency_of (wf, "call") == latency_of (unset, "call"));
  assert_non_null (s);
  assert_null (strstr (s->note, "backbone"));
}

static void
test_geography__vm_in_another_region (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[network default]\n\n"
    "[subnet eu]\nnetwork = default\nregion = europe-west4\n"
    "range = 10.0.0.0/24\nprivate-google-access = true\n\n"
    "[vm eu-vm]\nsubnet = eu\n\n"
    GEO_CALL ("eu-vm", BACKEND_URL), NULL);

  (void) state;
  /* The VM's access link is the VPC's, not the internet's: compare with
   * the same VM in the service's region. */
  {
    g_autoptr (WorldFixture) same = world_fixture_new (
      GEO_HEAD "[network default]\n\n"
      "[subnet eu]\nnetwork = default\nregion = us-central1\n"
      "range = 10.0.0.0/24\nprivate-google-access = true\n\n"
      "[vm eu-vm]\nsubnet = eu\n\n"
      GEO_CALL ("eu-vm", BACKEND_URL), NULL);
    assert_one_round_trip (latency_of (wf, "call"), latency_of (same, "call"),
                           "europe-west4");
  }
}

static void
test_geography__cloud_run_caller_in_another_region (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[service eu-app]\nregion = asia-northeast1\n\n"
    GEO_CALL ("eu-app", BACKEND_URL), NULL);
  g_autoptr (WorldFixture) same = world_fixture_new (
    GEO_HEAD "[service eu-app]\nregion = us-central1\n\n"
    GEO_CALL ("eu-app", BACKEND_URL), NULL);

  (void) state;
  assert_one_round_trip (latency_of (wf, "call"), latency_of (same, "call"),
                         "asia-northeast1");
}

static void
test_geography__external_alb_client_is_met_where_it_is (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[client far]\nlocation = europe-west1\n\n"
    "[external-alb web]\naddress = 198.51.100.10\nbackend = backend\n\n"
    "[traffic call]\nfrom = far\nurl = http://198.51.100.10/\n\n"
    "[traffic near-alb]\nfrom = here\nurl = http://198.51.100.10/\n", NULL);

  (void) state;
  assert_one_round_trip (latency_of (wf, "call"), latency_of (wf, "near-alb"),
                         "europe-west1");
}

/* A Google product with a region pays from there; without one, nothing. */
static void
test_geography__google_product_region (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[google-caller job]\nproduct = cloud-scheduler\n"
    "region = asia-southeast1\n\n" GEO_CALL ("job", BACKEND_URL), NULL);
  g_autoptr (WorldFixture) none = world_fixture_new (
    GEO_HEAD "[google-caller job]\nproduct = cloud-scheduler\n\n"
    GEO_CALL ("job", BACKEND_URL), NULL);

  (void) state;
  assert_one_round_trip (latency_of (wf, "call"), latency_of (none, "call"),
                         "asia-southeast1");
}

/* A VM of another region through an internal ALB with global access pays
 * the VPC's inter-region delay to the load balancer, and no backbone after
 * it: the proxies are in the service's region. */
static void
test_geography__internal_alb_proxies_are_in_their_region (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    GEO_HEAD "[network default]\n\n"
    "[subnet us]\nnetwork = default\nregion = us-central1\n"
    "range = 10.0.0.0/24\n\n"
    "[subnet eu]\nnetwork = default\nregion = europe-west1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet proxies]\nnetwork = default\nregion = us-central1\n"
    "range = 10.129.0.0/23\npurpose = proxy-only\n\n"
    "[internal-alb ilb]\nnetwork = default\nregion = us-central1\n"
    "address = 10.0.0.100\nbackend = backend\nglobal-access = true\n\n"
    "[vm us-vm]\nsubnet = us\n\n[vm eu-vm]\nsubnet = eu\n\n"
    GEO_CALL ("eu-vm", "http://10.0.0.100/")
    "\n[traffic us-call]\nfrom = us-vm\nurl = http://10.0.0.100/\n", NULL);
  SimTime one_way = cloudrun_region_one_way ("europe-west1", "us-central1");
  SimTime far = latency_of (wf, "call"), near = latency_of (wf, "us-call");

  (void) state;
  /* The VPC holds every packet, the handshake too: two round trips. */
  if (far < near + 4 * one_way - SIM_MS || far > near + 4 * one_way + 5 * SIM_MS)
    fail_msg ("latency %lld ns, expected %lld + 4 x %lld ns", (long long) far,
              (long long) near, (long long) one_way);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_geography__internet_client_location_pays_the_backbone),
    cmocka_unit_test (test_geography__no_location_no_backbone),
    cmocka_unit_test (test_geography__vm_in_another_region),
    cmocka_unit_test (test_geography__cloud_run_caller_in_another_region),
    cmocka_unit_test (test_geography__external_alb_client_is_met_where_it_is),
    cmocka_unit_test (test_geography__internal_alb_proxies_are_in_their_region),
    cmocka_unit_test (test_geography__google_product_region),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
