/* Tests for models/world/gfe.c through small scenarios (docs/networking.md,
 * "Ingress at the Google Front End"): the GFE classifies a request from
 * what its packets carried
 * (no envelope from the internet; a Geneve envelope naming a network of
 * the service's project, a Shared VPC network its revision uses, a
 * network inside its VPC Service Controls perimeter, or none of these),
 * applies ingress (all, internal, none), default-url = false and IAM, and
 * answers refusals itself: the container never sees them.
 *
 * Probes: the ledger (verdict, status, classification, deciding hop), the
 * GFE's steps, the containers' served counters and the packet counters of
 * the GFE -> instance link.
 *
 * The connection-identity tests at the end use a tiny world instead
 * (tests/models/world/tiny-world.h): the GFE alone between a probe on its
 * internet port and a probe on a fabric port, so that one client address
 * and port can come first over the fabric, then from the internet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/gfe.h"
#include "models/world/google.h"
#include "models/world/iam.h"
#include "models/world/id-token.h"
#include "tests/models/world/tiny-world.h"
#include "tests/models/world/world-fixture.h"

/* The target is always [service backend] (instance backend-1), the
 * traffic always [traffic call]. */
static void
expect_call (WorldFixture *wf, const char *label, const char *verdict,
             const char *cls, int status)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  if (strcmp (world_fixture_verdict (wf, "call", 0), verdict) != 0
      || strcmp (world_fixture_class (wf, "call", 0), cls) != 0
      || r->status != status)
    {
      g_autofree char *steps = world_fixture_steps_text (wf, r);
      print_error ("%s", steps);
      fail_msg ("%s: expected %s, %s, %d; found %s, %s, %d", label, verdict,
                cls, status, world_fixture_verdict (wf, "call", 0),
                world_fixture_class (wf, "call", 0), r->status);
    }
}

/* A refused request: decided at the GFE, never seen by the container. */
static void
expect_refused_at_gfe (WorldFixture *wf)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  assert_string_equal (world_fixture_decided_at (wf, "call", 0), "gfe");
  assert_null (world_fixture_step (wf, r, "DELIVER", NULL));
  assert_int_equal (world_fixture_served (wf, "backend"), 0);
  assert_int_equal (world_fixture_service (wf, "backend")->requests, 0);
  assert_int_equal (world_fixture_packets (wf, "gfe", "backend-1"), 0);
}

static void
expect_served (WorldFixture *wf)
{
  CloudRunRequest *r = world_fixture_request (wf, "call", 0);

  assert_string_equal (world_fixture_decided_at (wf, "call", 0), "service");
  assert_non_null (world_fixture_step (wf, r, "DELIVER", "backend-1"));
  assert_int_equal (world_fixture_served (wf, "backend"), 1);
  assert_true (world_fixture_packets (wf, "gfe", "backend-1") > 0);
}

/* ---- Classification ----------------------------------------------- */

#define BACKEND(project, extra) \
  "[service backend]\nproject = " project "\nregion = us-central1\n" \
  "ingress = internal\n" extra "\n"

#define MAPPED \
  "[domain-mapping api]\ndomain = api.example.com\n" \
  "service = backend\n\n"

#define VM_CALLS \
  "[vm caller]\nsubnet = vms\n\n" \
  "[traffic call]\nfrom = caller\nurl = service:backend\n"

static const struct {
  const char *label;
  const char *ini;
  const char *cls;              /* the GFE's decision */
} class_cases[] = {
  { "an internet client",
    WF_HEAD
    "[project shop]\n\n" BACKEND ("shop", "")
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = service:backend\n",
    "external" },
  { "a VPC network of the service's project",
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\nproject = shop\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    BACKEND ("shop", "") VM_CALLS,
    "internal" },
  { "a VPC network of another project",
    WF_HEAD
    "[project shop]\n\n[project other]\n\n"
    "[network net]\nproject = other\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    BACKEND ("shop", "") VM_CALLS,
    "external" },
  { "a Shared VPC network the service's revision sends traffic to",
    WF_HEAD
    "[project host]\n\n[project shop]\n\n"
    "[network shared]\nproject = host\nshared-with = shop\n\n"
    "[subnet vms]\nnetwork = shared\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    "[subnet run]\nnetwork = shared\nregion = us-central1\n"
    "range = 10.2.0.0/24\n\n"
    BACKEND ("shop", "vpc-access = direct\nsubnet = run\n") VM_CALLS,
    "internal" },
  { "a Shared VPC network the service does not use",
    WF_HEAD
    "[project host]\n\n[project shop]\n\n"
    "[network shared]\nproject = host\nshared-with = shop\n\n"
    "[subnet vms]\nnetwork = shared\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    BACKEND ("shop", "") VM_CALLS,
    "external" },
  { "a Shared VPC network not shared with the service's project",
    WF_HEAD
    "[project host]\n\n[project shop]\n\n[project third]\n\n"
    "[network shared]\nproject = host\nshared-with = third\n\n"
    "[subnet vms]\nnetwork = shared\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    "[network own]\nproject = shop\n\n"
    "[subnet run]\nnetwork = own\nregion = us-central1\n"
    "range = 10.2.0.0/24\n\n"
    BACKEND ("shop", "vpc-access = direct\nsubnet = run\n") VM_CALLS,
    "external" },
  { "a network of a project in the service's perimeter",
    WF_HEAD
    "[project shop]\nperimeter = fence\n\n"
    "[project other]\nperimeter = fence\n\n"
    "[network net]\nproject = other\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    BACKEND ("shop", "") VM_CALLS,
    "internal" },
  /* A domain mapping is the same door (run/docs/securing/ingress). */
  { "an internet client at a mapped custom domain",
    WF_HEAD
    "[project shop]\n\n" BACKEND ("shop", "") MAPPED
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = https://api.example.com/\n",
    "external" },
  { "a VPC network of the service's project at a mapped custom domain",
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\nproject = shop\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    BACKEND ("shop", "") MAPPED
    "[vm caller]\nsubnet = vms\n\n"
    "[traffic call]\nfrom = caller\nurl = https://api.example.com/\n",
    "internal" },
  { "a Google product of the service's project at the run.app URL",
    WF_HEAD
    "[project shop]\n\n" BACKEND ("shop", "") MAPPED
    "[google-caller push]\nproduct = pubsub-push\n\n"
    "[traffic call]\nfrom = push\nurl = service:backend\n",
    "internal" },
  { "a Google product of the service's project at a mapped custom domain",
    WF_HEAD
    "[project shop]\n\n" BACKEND ("shop", "") MAPPED
    "[google-caller push]\nproduct = pubsub-push\n\n"
    "[traffic call]\nfrom = push\nurl = https://api.example.com/\n",
    "external" },
};

static void
test_gfe__classification (void **state)
{
  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (class_cases); i++)
    {
      g_autoptr (WorldFixture) wf = world_fixture_new (class_cases[i].ini,
                                                       NULL);
      CloudRunRequest *r = world_fixture_request (wf, "call", 0);
      bool internal = strcmp (class_cases[i].cls, "internal") == 0;
      const SimExplainStep *gfe = world_fixture_step (
        wf, r, internal ? "PROXY_CONNECTION" : "INGRESS_DENIED", "gfe");

      /* backend has ingress = internal: the class decides admission. */
      expect_call (wf, class_cases[i].label,
                   internal ? "delivered" : "denied-by-ingress",
                   class_cases[i].cls, internal ? 200 : 404);
      assert_non_null (gfe);
      /* The class is also the step's tag, for programs (issue 27). */
      assert_non_null (gfe->tag);
      assert_string_equal (gfe->tag, class_cases[i].cls);
      if (internal)
        expect_served (wf);
      else
        {
          assert_string_equal (world_fixture_cause (wf, "call", 0),
                               "INGRESS_DENIED");
          expect_refused_at_gfe (wf);
        }
    }
}

static void
test_gfe__internet_has_no_envelope (void **state)
{
  /* From the internet the request reaches the GFE on its internet port,
   * never on a fabric link; the step says why it is external. */
  static const char ini[] =
    WF_HEAD
    "[service backend]\nregion = us-central1\ningress = all\n\n"
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = service:backend\ncount = 3\n"
    "interval = 100ms\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  for (guint i = 0; i < 3; i++)
    {
      CloudRunRequest *r = world_fixture_request (wf, "call", i);
      const SimExplainStep *s = world_fixture_step (wf, r,
                                                    "PROXY_CONNECTION", "gfe");
      assert_string_equal (world_fixture_verdict (wf, "call", i),
                           "delivered");
      assert_string_equal (world_fixture_class (wf, "call", i), "external");
      assert_non_null (s);
      assert_non_null (strstr (s->note, "no Geneve envelope"));
      assert_false (world_fixture_passed (r, CLOUDRUN_HOP_VPC_ROUTER));
    }
  assert_true (world_fixture_packets (wf, "internet", "gfe") > 0);
  assert_int_equal (world_fixture_served (wf, "backend"), 3);
}

/* ---- Refusals ----------------------------------------------------- */

/* A client on the internet and a VM of the service's own project (PGA
 * on) both calling [service backend]; backend settings appended. */
static char *
two_callers (const char *backend_keys)
{
  return g_strconcat (
    WF_HEAD
    "[project shop]\n\n"
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
    "[vm caller]\nsubnet = vms\n\n"
    "[client alice]\n\n"
    "[traffic call]\nfrom = alice\nurl = service:backend\n\n"
    "[traffic from-vm]\nfrom = caller\nurl = service:backend\n\n"
    "[service backend]\nregion = us-central1\n", backend_keys, NULL);
}

static void
test_gfe__ingress_none_refuses_everyone (void **state)
{
  g_autofree char *ini = two_callers ("ingress = none\n");
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  static const char *const traffics[] = { "call", "from-vm" };
  static const char *const classes[] = { "external", "internal" };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (traffics); i++)
    {
      assert_string_equal (world_fixture_verdict (wf, traffics[i], 0),
                           "denied-by-ingress");
      assert_int_equal (world_fixture_status (wf, traffics[i], 0), 404);
      assert_string_equal (world_fixture_class (wf, traffics[i], 0),
                           classes[i]);
      assert_string_equal (world_fixture_decided_at (wf, traffics[i], 0),
                           "gfe");
    }
  assert_int_equal (world_fixture_served (wf, "backend"), 0);
  assert_int_equal (world_fixture_packets (wf, "gfe", "backend-1"), 0);
}

static void
test_gfe__default_url_false_answers_404 (void **state)
{
  /* The run.app hosts are off for everyone, internal callers included,
   * and the answer is 404 whatever ingress-denied-status says. */
  static const char *const status_403[] = {
    "assumptions.ingress-denied-status=403", NULL };
  const char *const *overrides[] = { NULL, status_403 };
  g_autofree char *ini = two_callers ("ingress = all\ndefault-url = false\n");

  (void) state;
  for (guint k = 0; k < G_N_ELEMENTS (overrides); k++)
    {
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides[k]);
      static const char *const traffics[] = { "call", "from-vm" };
      for (guint i = 0; i < G_N_ELEMENTS (traffics); i++)
        {
          CloudRunRequest *r = world_fixture_request (wf, traffics[i], 0);
          const SimExplainStep *s = world_fixture_step (wf, r,
                                                        "INGRESS_DENIED",
                                                        "gfe");
          assert_string_equal (world_fixture_verdict (wf, traffics[i], 0),
                               "denied-by-ingress");
          assert_int_equal (world_fixture_status (wf, traffics[i], 0), 404);
          assert_non_null (s);
          assert_non_null (strstr (s->rule, "default-url = false"));
        }
      assert_int_equal (world_fixture_served (wf, "backend"), 0);
      assert_int_equal (world_fixture_packets (wf, "gfe", "backend-1"), 0);
    }
}

static void
test_gfe__ingress_denied_status_assumption (void **state)
{
  static const struct {
    const char *override;       /* NULL: the default */
    int status;
  } cases[] = {
    { NULL, 404 },
    { "assumptions.ingress-denied-status=403", 403 },
    { "assumptions.ingress-denied-status=451", 451 },
  };
  g_autofree char *ini = two_callers ("ingress = internal\n");

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const overrides[] = { cases[i].override, NULL };
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, overrides);
      const SimExplainStep *step;

      /* The client is refused with the assumed status; it is still an
       * ingress refusal (not IAM), and the VM still passes. */
      expect_call (wf, "internet client", "denied-by-ingress", "external",
                   cases[i].status);
      assert_string_equal (world_fixture_cause (wf, "call", 0),
                           "INGRESS_DENIED");
      /* The step names the source of the status: Google documents 404. */
      step = world_fixture_step (wf, world_fixture_request (wf, "call", 0),
                                 "INGRESS_DENIED", "gfe");
      assert_non_null (step);
      assert_non_null (strstr (step->note, "Google documents 404: Cloud "
                                           "Run release notes, 2023-08-03"));
      assert_string_equal (world_fixture_verdict (wf, "from-vm", 0),
                           "delivered");
      assert_int_equal (world_fixture_served (wf, "backend"), 1);
    }
}

static void
test_gfe__iam_after_ingress (void **state)
{
  static const struct {
    const char *label;
    const char *backend_keys;
    const char *identity;
    const char *verdict;
    int status;
  } cases[] = {
    { "authenticated, no token", "invokers = authenticated\n", "none",
      "denied-by-iam", 403 },
    { "authenticated, id-token", "invokers = authenticated\n", "id-token",
      "delivered", 200 },
    { "public, no token", "invokers = public\n", "none", "delivered", 200 },
    { "ingress refuses before IAM looks",
      "invokers = authenticated\ningress = internal\n", "id-token",
      "denied-by-ingress", 404 },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD
        "[client alice]\naccount = alice@example.com\n\n"
        "[traffic call]\nfrom = alice\nurl = service:backend\nidentity = ",
        cases[i].identity, "\n\n"
        "[service backend]\nregion = us-central1\n", cases[i].backend_keys,
        NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

      expect_call (wf, cases[i].label, cases[i].verdict, "external",
                   cases[i].status);
      if (cases[i].status == 200)
        expect_served (wf);
      else
        expect_refused_at_gfe (wf);
    }
}

/* ---- Connection identity on a tiny world -------------------------- */

#define GFE_SERVING TW_IP (169, 254, 1, 1)
#define GFE_FABRIC TW_IP (100, 64, 0, 1)
#define VPC_FABRIC TW_IP (100, 64, 0, 9)
#define CALLER TW_IP (10, 1, 0, 5)

typedef struct {
  TinyWorld *tw;
  TinyProbe *inet, *fabric;
} GfeWorld;

static GfeWorld
gfe_world (void)
{
  GfeWorld w = { tiny_world_new (2), NULL, NULL };
  CloudRunGfe *gfe = cloudrun_gfe_new (w.tw->world,
                                       cloudrun_run_app_front_ends,
                                       CLOUDRUN_N_RUN_APP_FRONT_ENDS,
                                       GFE_SERVING, GFE_FABRIC);

  w.inet = tiny_probe_new (w.tw, "inet");
  w.fabric = tiny_probe_new (w.tw, "fabric");
  tiny_link (w.tw, w.inet->port, gfe->internet);
  tiny_link (w.tw, w.fabric->port,
             cloudrun_gfe_add_fabric_port (gfe, "vpc-net"));
  return w;
}

static void
test_gfe__fabric_connection_is_answered_over_the_fabric (void **state)
{
  GfeWorld w = gfe_world ();
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, 7, 123456789012u };
  const TinyFrame *f;

  (void) state;
  tiny_probe_send_wrapped_tcp (w.fabric, 0, CALLER, 40000,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_SYN, VPC_FABRIC, GFE_FABRIC, &id);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.inet), 0);
  assert_int_equal (tiny_probe_count (w.fabric), 1);
  f = tiny_probe_frame (w.fabric, 0);
  /* The SYN-ACK goes back in the envelope the SYN came in. */
  assert_true (f->wrapped);
  assert_int_equal (f->id.kind, CLOUDRUN_FABRIC_VPC);
  assert_int_equal (f->id.vni, 7);
  assert_int_equal (f->id.project_number, 123456789012u);
  assert_int_equal (f->f.tcp.flags, SIM_TCP_SYN | SIM_TCP_ACK);
  assert_int_equal (f->f.src, cloudrun_run_app_front_ends[0]);
  assert_int_equal (f->f.dst, CALLER);
  assert_int_equal (f->f.dport, 40000);
  tiny_world_free (w.tw);
}

static void
test_gfe__internet_connection_forgets_an_earlier_identity (void **state)
{
  GfeWorld w = gfe_world ();
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, 7, 123456789012u };
  const TinyFrame *f;

  (void) state;
  /* A connection over the fabric, reset; then a new connection from the
   * internet with the same addresses and ports. */
  tiny_probe_send_wrapped_tcp (w.fabric, 0, CALLER, 40000,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_SYN, VPC_FABRIC, GFE_FABRIC, &id);
  tiny_probe_send_wrapped_tcp (w.fabric, SIM_MS, CALLER, 40000,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_RST, VPC_FABRIC, GFE_FABRIC, &id);
  tiny_probe_send_tcp (w.inet, 2 * SIM_MS, CALLER, 40000,
                       cloudrun_run_app_front_ends[0], 80, SIM_TCP_SYN, 64,
                       0, 0);
  tiny_world_run (w.tw, 3 * SIM_MS);
  /* Its SYN-ACK goes to the internet, bare: nothing of the VPC's identity
   * carries over to it. */
  assert_int_equal (tiny_probe_count (w.fabric), 1);
  assert_int_equal (tiny_probe_count (w.inet), 1);
  f = tiny_probe_frame (w.inet, 0);
  assert_false (f->wrapped);
  assert_int_equal (f->f.tcp.flags, SIM_TCP_SYN | SIM_TCP_ACK);
  assert_int_equal (f->f.dst, CALLER);
  assert_int_equal (f->f.dport, 40000);
  tiny_world_free (w.tw);
}

/* Two senders on the same fabric port with different identities (say a
 * network and a PSC endpoint of another project): each connection is
 * answered in the envelope its own SYN came in, never another's. */
static void
test_gfe__each_connection_keeps_its_own_identity (void **state)
{
  GfeWorld w = gfe_world ();
  CloudRunFabricIdentity a = { CLOUDRUN_FABRIC_VPC, 7, 123456789012u };
  CloudRunFabricIdentity b = { CLOUDRUN_FABRIC_VPC, 8, 210987654321u };

  (void) state;
  tiny_probe_send_wrapped_tcp (w.fabric, 0, CALLER, 40000,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_SYN, VPC_FABRIC, GFE_FABRIC, &a);
  tiny_probe_send_wrapped_tcp (w.fabric, SIM_US, CALLER + 1, 40001,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_SYN, VPC_FABRIC + 1, GFE_FABRIC, &b);
  tiny_probe_send_wrapped_tcp (w.fabric, 2 * SIM_US, CALLER + 2, 40002,
                               cloudrun_run_app_front_ends[0], 80,
                               SIM_TCP_SYN, VPC_FABRIC, GFE_FABRIC, &a);
  tiny_world_run (w.tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w.fabric), 3);
  for (guint i = 0; i < 3; i++)
    {
      const TinyFrame *f = tiny_probe_frame (w.fabric, i);
      const CloudRunFabricIdentity *want = f->f.dst == CALLER + 1 ? &b : &a;
      assert_true (f->wrapped);
      assert_int_equal (f->id.vni, want->vni);
      assert_int_equal (f->id.project_number, want->project_number);
    }
  tiny_world_free (w.tw);
}


/* Issue 8: a service whose project is in a VPC Service Controls perimeter
 * refuses every request from outside it with 403, whatever its ingress
 * setting; the container never sees it. */
static void
test_gfe__vpc_sc_refuses_outside_the_perimeter (void **state)
{
#define OTHER_NET(perimeter) \
  "[project shop]\nperimeter = fence\n\n" \
  "[project other]\n" perimeter "\n\n" \
  "[network net]\nproject = other\n\n" \
  "[subnet vms]\nnetwork = net\nregion = us-central1\n" \
  "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
  static const char *const ingress_all[] = {
    "service backend.ingress=all", NULL };
  static const struct {
    const char *label, *ini;
    bool inside;
  } cases[] = {
    { "a network of a project in another perimeter",
      WF_HEAD OTHER_NET ("perimeter = wall") BACKEND ("shop", "") VM_CALLS,
      false },
    { "a network of a project in no perimeter",
      WF_HEAD OTHER_NET ("") BACKEND ("shop", "") VM_CALLS, false },
    { "an internet client",
      WF_HEAD "[project shop]\nperimeter = fence\n\n" BACKEND ("shop", "")
      "[client alice]\n\n"
      "[traffic call]\nfrom = alice\nurl = service:backend\n", false },
    { "a network of a project in the same perimeter",
      WF_HEAD OTHER_NET ("perimeter = fence") BACKEND ("shop", "") VM_CALLS,
      true },
  };
#undef OTHER_NET

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* ingress = all: only the perimeter can refuse. */
      g_autoptr (WorldFixture) wf = world_fixture_new (cases[i].ini,
                                                       ingress_all);
      CloudRunRequest *r = world_fixture_request (wf, "call", 0);

      if (cases[i].inside)
        {
          assert_string_equal (world_fixture_verdict (wf, "call", 0),
                               "delivered");
          continue;
        }
      expect_call (wf, cases[i].label, "denied-by-vpc-sc", "external", 403);
      assert_string_equal (world_fixture_cause (wf, "call", 0),
                           "VPC_SC_DENIED");
      assert_non_null (world_fixture_step (wf, r, "VPC_SC_DENIED", "gfe"));
      expect_refused_at_gfe (wf);
    }
}


/* Issue 8: default-url = false closes the run.app URLs to direct callers,
 * but a load balancer's serverless NEG still reaches the service: that is
 * what the option is for. It does so whatever Host the client used, the
 * run.app host included (a private zone pointing run.app at the internal
 * ALB: "via-zone"). */
static void
test_gfe__default_url_false_keeps_load_balancers (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[subnet proxies]\nnetwork = net\nregion = us-central1\n"
    "range = 10.9.0.0/24\npurpose = proxy-only\n\n"
    "[service backend]\nregion = us-central1\n"
    "ingress = internal-and-cloud-load-balancing\ndefault-url = false\n\n"
    "[internal-alb ilb]\nnetwork = net\nregion = us-central1\n"
    "address = 10.1.0.100\nbackend = backend\n\n"
    "[external-alb elb]\naddress = 203.0.113.80\nbackend = backend\n\n"
    "[vm caller]\nsubnet = vms\n\n"
    "[client alice]\n\n"
    "[dns-zone run-app]\ndns-name = run.app.\nnetworks = net\n"
    "records = *.run.app. A 10.1.0.100\n\n"
    "[traffic call]\nfrom = caller\nurl = http://10.1.0.100/\n\n"
    "[traffic via-zone]\nfrom = caller\nurl = service:backend\n\n"
    "[traffic from-internet]\nfrom = alice\nurl = http://203.0.113.80/\n\n"
    "[traffic direct]\nfrom = alice\nurl = service:backend\n\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);

  (void) state;
  assert_string_equal (world_fixture_verdict (wf, "call", 0), "delivered");
  assert_string_equal (world_fixture_verdict (wf, "via-zone", 0),
                       "delivered");
  assert_true (world_fixture_passed (world_fixture_request (wf, "via-zone", 0),
                                     CLOUDRUN_HOP_ILB));
  assert_string_equal (world_fixture_verdict (wf, "from-internet", 0),
                       "delivered");
  assert_string_equal (world_fixture_verdict (wf, "direct", 0),
                       "denied-by-ingress");
  assert_int_equal (world_fixture_status (wf, "direct", 0), 404);
}

/* A domain mapping keeps answering with default-url = false; its host is
 * what the container sees; its URL is no audience until written in
 * custom-audiences (run/docs/configuring/custom-audiences). Public DNS
 * answers a subdomain through ghs.googlehosted.com. */
static void
test_gfe__domain_mapping_is_its_own_door (void **state)
{
  static const char ini[] =
    WF_HEAD
    "[service backend]\nregion = us-central1\ndefault-url = false\n"
    "invokers = user:alice@example.com\n\n"
    MAPPED
    "[client alice]\naccount = alice@example.com\n\n"
    "[traffic call]\nfrom = alice\nurl = https://api.example.com/\n\n"
    "[traffic token]\nfrom = alice\nurl = https://api.example.com/\n"
    "identity = id-token\n\n"
    "[traffic run-app]\nfrom = alice\nurl = service:backend\n"
    "identity = id-token\n\n";
  g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
  g_autoptr (WorldFixture) aud = world_fixture_new (
    ini, (const char *const[]) {
      "service backend.custom-audiences=https://api.example.com", NULL });
  CloudRunRequest *r = world_fixture_request (wf, "token", 0);
  const SimExplainStep *dns = world_fixture_step (wf, r, "DNS_ANSWER", NULL);
  const SimExplainStep *iam = world_fixture_step (wf, r, "IAM_DENIED", "gfe");

  (void) state;
  /* No token: IAM, not the missing default URL, refuses it. */
  assert_string_equal (world_fixture_verdict (wf, "call", 0),
                       "denied-by-iam");
  assert_int_equal (world_fixture_status (wf, "call", 0), 403);
  assert_int_equal (world_fixture_status (wf, "token", 0), 401);
  assert_non_null (dns);
  assert_non_null (strstr (dns->rule, "api.example.com -> 216.239.32.21 "
                                      "(through CNAME)"));
  assert_non_null (iam);
  assert_non_null (strstr (iam->rule, "a mapped custom domain is no "
                                      "audience by itself"));
  assert_string_equal (world_fixture_verdict (wf, "run-app", 0),
                       "denied-by-ingress");
  assert_int_equal (world_fixture_status (wf, "run-app", 0), 404);
  assert_string_equal (world_fixture_verdict (aud, "token", 0), "delivered");
  assert_string_equal (world_fixture_request (aud, "token", 0)->seen_host,
                       "api.example.com");
}

/* ---- IAM: who holds the invoker role ---------------------------------
 * The caller is a service (robot@shop.iam.gserviceaccount.com, or the
 * project's default compute account) or a client with an account; the
 * GFE reads the ID token from the request bytes. */

#define SA "robot@shop.iam.gserviceaccount.com"
#define DEFAULT_SA "123456789012-compute@developer.gserviceaccount.com"

static const struct {
  const char *label;
  const char *caller;           /* group(s) defining the caller "me" */
  const char *traffic;          /* keys added to [traffic call] */
  const char *invokers;
  const char *verdict;
  int status;
  const char *state;            /* the GFE step holding the text */
  const char *text;             /* a fragment of that step's rule or note */
  const char *backend;          /* more keys of [service backend], or NULL */
} iam_cases[] = {
  { "no token where allUsers is not an invoker",
    "[service me]\nregion = us-central1\nservice-account = " SA "\n",
    "identity = none\n", "serviceAccount:" SA,
    "denied-by-iam", 403, "IAM_DENIED",
    "invokers = serviceAccount:" SA " does not include allUsers, and the "
    "request carries no identity token (no Authorization header)", NULL },
  { "wrong audience",
    "[service me]\nregion = us-central1\nservice-account = " SA "\n",
    "identity = id-token\naudience = https://other.example.com\n",
    "serviceAccount:" SA, "denied-by-iam", 401, "IAM_DENIED",
    "401, the ID token's audience (aud) https://other.example.com is not "
    "the service's URL", NULL },
  { "serviceAccount principal matches",
    "[service me]\nregion = us-central1\nservice-account = " SA "\n",
    "identity = id-token\n", "serviceAccount:" SA, "delivered", 200,
    "PROXY_CONNECTION", "IAM: the ID token of serviceAccount:" SA, NULL },
  { "principal mismatch",
    "[service me]\nregion = us-central1\nservice-account = " SA "\n",
    "identity = id-token\n",
    "serviceAccount:other@shop.iam.gserviceaccount.com", "denied-by-iam",
    403, "IAM_DENIED", "403, serviceAccount:" SA " has a valid ID token "
    "but not the invoker role", NULL },
  { "allAuthenticatedUsers admits any valid token",
    "[service me]\nregion = us-central1\nservice-account = " SA "\n",
    "identity = id-token\n", "allAuthenticatedUsers", "delivered", 200,
    "PROXY_CONNECTION", "holds the invoker role (invokers = "
    "allAuthenticatedUsers)", NULL },
  { "allAuthenticatedUsers still checks the audience",
    "[service me]\nregion = us-central1\n",
    "identity = id-token\naudience = https://backend.example.com\n",
    "allAuthenticatedUsers", "denied-by-iam", 401, "IAM_DENIED",
    "audience (aud) https://backend.example.com", NULL },
  { "the default compute service account signs by default",
    "[service me]\nregion = us-central1\n", "identity = id-token\n",
    "serviceAccount:" DEFAULT_SA, "delivered", 200, "PROXY_CONNECTION",
    "serviceAccount:" DEFAULT_SA, NULL },
  { "public is allUsers: no token needed",
    "[service me]\nregion = us-central1\n", "identity = none\n",
    "public", "delivered", 200, NULL, NULL, NULL },
  { "authenticated is allAuthenticatedUsers",
    "[service me]\nregion = us-central1\n", "identity = none\n",
    "authenticated", "denied-by-iam", 403, "IAM_DENIED",
    "invokers = allAuthenticatedUsers does not include allUsers", NULL },
  /* Format 1 files sent a token from a client without account (issue 19,
   * item 7): the client signs as NAME@example.com, a user. */
  { "a client without account signs as a user named after it",
    "[client me]\n", "identity = id-token\n", "allAuthenticatedUsers",
    "delivered", 200, "PROXY_CONNECTION",
    "the ID token of user:me@example.com", NULL },
  { "a client without account holds no role it was not given",
    "[client me]\n", "identity = id-token\n", "serviceAccount:" SA,
    "denied-by-iam", 403, "IAM_DENIED",
    "403, user:me@example.com has a valid ID token but not the invoker",
    NULL },
  { "a user account from a client matches user:",
    "[client me]\naccount = Dev@Example.com\n", "identity = id-token\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "the ID token of user:dev@example.com", NULL },
  { "a user account is not a serviceAccount: principal",
    "[client me]\naccount = dev@example.com\n", "identity = id-token\n",
    "serviceAccount:dev@example.com", "denied-by-iam", 403, "IAM_DENIED",
    "user:dev@example.com has a valid ID token but not the invoker role", NULL },
  { "a custom audience passes",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\naudience = https://api.example.com\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "(audience https://api.example.com, a custom audience)",
    "custom-audiences = https://other.example;https://api.example.com\n" },
  { "a custom audience passes with a final '/'",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\naudience = https://api.example.com/\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "a custom audience", "custom-audiences = https://api.example.com\n" },
  { "a custom audience written with a final '/' passes without",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\naudience = https://api.example.com\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "a custom audience", "custom-audiences = https://api.example.com/\n" },
  { "a path below a custom audience does not pass",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\naudience = https://api.example.com/x\n",
    "user:dev@example.com", "denied-by-iam", 401, "IAM_DENIED",
    "nor one of its custom-audiences (https://api.example.com)",
    "custom-audiences = https://api.example.com\n" },
  { "the run.app URL passes with a final '/'",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\n"
    "audience = https://backend-123456789012.us-central1.run.app/\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "(audience https://backend-123456789012.us-central1.run.app/)", NULL },
  { "a token in X-Serverless-Authorization is read",
    "[client me]\naccount = dev@example.com\n",
    "identity = id-token\ntoken-header = x-serverless-authorization\n",
    "user:dev@example.com", "delivered", 200, "PROXY_CONNECTION",
    "in X-Serverless-Authorization", NULL },
};

static void
test_gfe__iam_principals (void **state)
{
  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (iam_cases); i++)
    {
      g_autofree char *ini = g_strconcat (
        WF_HEAD "[project shop]\nnumber = 123456789012\n\n",
        iam_cases[i].caller, "\n"
        "[traffic call]\nfrom = me\nurl = service:backend\n",
        iam_cases[i].traffic, "\n"
        "[service backend]\nregion = us-central1\ninvokers = ",
        iam_cases[i].invokers, "\n",
        iam_cases[i].backend ? iam_cases[i].backend : "", NULL);
      g_autoptr (WorldFixture) wf = world_fixture_new (ini, NULL);
      CloudRunRequest *r = world_fixture_request (wf, "call", 0);
      const SimExplainStep *step;

      expect_call (wf, iam_cases[i].label, iam_cases[i].verdict, "external",
                   iam_cases[i].status);
      if (iam_cases[i].status == 200)
        expect_served (wf);
      else
        {
          expect_refused_at_gfe (wf);
          assert_string_equal (world_fixture_cause (wf, "call", 0),
                               "IAM_DENIED");
        }
      if (iam_cases[i].state == NULL)
        continue;
      step = world_fixture_step (wf, r, iam_cases[i].state, "gfe");
      assert_non_null (step);
      if (!strstr (step->rule ? step->rule : "", iam_cases[i].text)
          && !strstr (step->note ? step->note : "", iam_cases[i].text))
        fail_msg ("%s: no '%s' in rule '%s' note '%s'", iam_cases[i].label,
                  iam_cases[i].text, step->rule, step->note);
    }
}

/* Both headers in one request: X-Serverless-Authorization is the one
 * read, whatever Authorization holds (the application's). */
static void
test_gfe__iam_reads_x_serverless_authorization_first (void **state)
{
  static const char ini[] =
    WF_HEAD "[project shop]\nnumber = 123456789012\n\n"
    "[service backend]\nregion = us-central1\n"
    "invokers = serviceAccount:" SA "\n";
  static const struct {
    const char *label;
    const char *authorization, *serverless;  /* "good", "bad" or a value */
    bool admitted;
    int status;
  } cases[] = {
    { "a good X-Serverless-Authorization wins over a bad Authorization",
      "bad", "good", true, 0 },
    { "a bad X-Serverless-Authorization loses whatever Authorization holds",
      "good", "bad", false, 401 },
    { "X-Serverless-Authorization not Bearer: Authorization is not read",
      "good", "Basic dXNlcjpwdw==", false, 403 },
    { "Authorization alone is read", "good", NULL, true, 0 },
  };
  g_autoptr (WorldFixture) wf = world_fixture_load (ini, NULL);
  const CloudRunServiceNode *svc = world_fixture_service (wf, "backend");
  SimExplainLog *log = sim_world_explain (wf->world->sim);
  char good[CLOUDRUN_ID_TOKEN_MAX], bad[CLOUDRUN_ID_TOKEN_MAX];
  g_autofree char *good_aud = g_strconcat ("https://", svc->hash_host, NULL);

  (void) state;
  assert_true (cloudrun_id_token_write (good, sizeof good, SA, good_aud, 0));
  assert_true (cloudrun_id_token_write (bad, sizeof bad, SA,
                                        "https://other.example.com", 0));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *a = cases[i].authorization, *x = cases[i].serverless;
      g_autofree char *head = g_strdup_printf (
        "GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
        "%s%s%s%s\r\n", svc->hash_host,
        g_str_equal (a, "good") ? good : bad,
        x ? "X-Serverless-Authorization: " : "",
        x && (g_str_equal (x, "good") || g_str_equal (x, "bad"))
        ? "Bearer " : "",
        x ? (g_str_equal (x, "good") ? good : g_str_equal (x, "bad") ? bad
             : x) : "", x ? "\r\n" : "");
      CloudRunIamDecision d;

      cloudrun_iam_check (svc, (const uint8_t *) head, strlen (head), 0, log,
                          &d);
      if (d.admitted != cases[i].admitted
          || (!d.admitted && d.status != cases[i].status))
        fail_msg ("%s: admitted %d status %d (%s)", cases[i].label,
                  d.admitted, d.status, d.rule ? d.rule : "-");
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_gfe__classification),
    cmocka_unit_test (test_gfe__internet_has_no_envelope),
    cmocka_unit_test (test_gfe__ingress_none_refuses_everyone),
    cmocka_unit_test (test_gfe__default_url_false_answers_404),
    cmocka_unit_test (test_gfe__ingress_denied_status_assumption),
    cmocka_unit_test (test_gfe__iam_after_ingress),
    cmocka_unit_test (test_gfe__vpc_sc_refuses_outside_the_perimeter),
    cmocka_unit_test (test_gfe__default_url_false_keeps_load_balancers),
    cmocka_unit_test (test_gfe__domain_mapping_is_its_own_door),
    cmocka_unit_test (test_gfe__fabric_connection_is_answered_over_the_fabric),
    cmocka_unit_test (test_gfe__internet_connection_forgets_an_earlier_identity),
    cmocka_unit_test (test_gfe__each_connection_keeps_its_own_identity),
    cmocka_unit_test (test_gfe__iam_principals),
    cmocka_unit_test (test_gfe__iam_reads_x_serverless_authorization_first),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
