/* Google products as callers (models/world/product-caller.c, the GFE's
 * type-4 rule, models/assemble/build-services.c): a product in the service's
 * project or VPC-SC perimeter is internal at the run.app URL; from another
 * project outside the perimeter it is external; at a custom domain behind
 * an external ALB it is the ALB's client, external; it signs ID tokens as
 * its service account. Every product on Google's list (Dialogflow CX,
 * BigQuery, synthetic monitors and uptime checks too) is internal from
 * the service's project; Firebase Hosting, not on it, is external even
 * from there, coming from the internet.
 * https://cloud.google.com/run/docs/securing/ingress (internal sources) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/models/world/world-fixture.h"

/* One product of project `from` (perimeter keys given) calls backend of
 * project shop (ingress internal), at url. */
static WorldFixture *
run_product (const char *from, const char *perimeters, const char *url,
             const char *extra)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[project shop]\nnumber = 538504492041\n%s\n\n"
    "[project ops]\nnumber = 112233445566\n%s\n\n"
    "[service backend]\nproject = shop\nregion = asia-northeast1\n"
    "ingress = internal\n%s\n\n"
    "[external-alb lb]\naddress = 192.0.2.20\nbackend = backend\n"
    "hostname = shop.example.com\n\n"
    "[google-caller push]\nproduct = pubsub-push\nproject = %s\n\n"
    "[traffic t]\nfrom = push\nurl = %s\n",
    perimeters, perimeters, extra, from, url);

  return world_fixture_new (ini, NULL);
}

static void
test_product_caller__classified_by_project_and_url (void **state)
{
  static const struct {
    const char *from, *perimeter, *url, *verdict, *cls, *via;
  } cases[] = {
    { "shop", "", "service:backend", "delivered", "internal",
      "google-product;dns;gfe;service" },
    { "ops", "", "service:backend", "denied-by-ingress", "external",
      "google-product;dns;gfe" },
    /* Both projects in one perimeter: internal from the other project. */
    { "ops", "perimeter = p1", "service:backend", "delivered", "internal",
      "google-product;dns;gfe;service" },
    /* A custom domain at an external ALB: the ALB's client. */
    { "shop", "", "https://shop.example.com/", "denied-by-ingress",
      "external", "google-product;dns;internet;external-alb;gfe" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = run_product (cases[i].from,
                                                 cases[i].perimeter,
                                                 cases[i].url, "");
      g_autofree char *via = world_fixture_via (wf, "t", 0);

      if (strcmp (world_fixture_verdict (wf, "t", 0), cases[i].verdict) != 0
          || strcmp (world_fixture_class (wf, "t", 0), cases[i].cls) != 0
          || strcmp (via, cases[i].via) != 0)
        fail_msg ("case %u: %s, %s, via %s", i,
                  world_fixture_verdict (wf, "t", 0),
                  world_fixture_class (wf, "t", 0), via);
    }
}

static void
test_product_caller__googles_list (void **state)
{
  static const struct {
    const char *product, *verdict, *cls, *via;
  } cases[] = {
    { "dialogflow-cx", "delivered", "internal",
      "google-product;dns;gfe;service" },
    { "bigquery", "delivered", "internal", "google-product;dns;gfe;service" },
    { "synthetic-monitor", "delivered", "internal",
      "google-product;dns;gfe;service" },
    { "uptime-check", "delivered", "internal",
      "google-product;dns;gfe;service" },
    { "firebase-hosting", "denied-by-ingress", "external",
      "google-product;dns;internet;gfe" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strdup_printf (
        WF_HEAD "[project shop]\n\n"
        "[service backend]\nregion = asia-northeast1\ningress = internal\n\n"
        "[google-caller p]\nproduct = %s\n\n"
        "[traffic t]\nfrom = p\nurl = service:backend\n", cases[i].product);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      g_autofree char *via = world_fixture_via (wf, "t", 0);

      if (strcmp (world_fixture_verdict (wf, "t", 0), cases[i].verdict) != 0
          || strcmp (world_fixture_class (wf, "t", 0), cases[i].cls) != 0
          || strcmp (via, cases[i].via) != 0)
        fail_msg ("%s: %s, %s, via %s", cases[i].product,
                  world_fixture_verdict (wf, "t", 0),
                  world_fixture_class (wf, "t", 0), via);
    }
}

/* identity = id-token: the token names the product's service account
 * (default: its project's default compute account), and the service's
 * IAM decides on it. */
static void
test_product_caller__signs_as_its_service_account (void **state)
{
  g_autoptr (WorldFixture) ok = run_product (
    "shop", "", "service:backend\nidentity = id-token",
    "invokers = serviceAccount:538504492041-compute@developer.gserviceaccount.com");
  g_autoptr (WorldFixture) other = run_product (
    "shop", "", "service:backend\nidentity = id-token",
    "invokers = serviceAccount:someone@shop.iam.gserviceaccount.com");

  (void) state;
  assert_string_equal (world_fixture_verdict (ok, "t", 0), "delivered");
  assert_string_equal (world_fixture_verdict (other, "t", 0), "denied-by-iam");
  assert_int_equal (world_fixture_status (other, "t", 0), 403);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_product_caller__classified_by_project_and_url),
    cmocka_unit_test (test_product_caller__signs_as_its_service_account),
    cmocka_unit_test (test_product_caller__googles_list),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
