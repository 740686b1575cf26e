/* Tests for models/world/dns-view.c: name resolution in one Cloud DNS view.
 * Zones and views are built by hand, then resolved: the zone with the
 * longest matching origin answers, an exact owner beats a wildcard, an
 * RFC 4592 wildcard matches several labels deep but not below a name
 * that exists (the closest-encloser rule), CNAMEs are chased across the
 * zones of the view (a private zone into public DNS, a private zone into
 * another), a CNAME loop stops, an NXDOMAIN of a private zone never falls
 * through to public DNS, and the rcode is that of the last name of a
 * chain (RFC 6604). Response policies answer first, the most specific
 * rule winning, and a passthru rule sends its name on to the zones; a
 * peering zone answers from its producer's view (response policies and
 * private zones, not its peering zones). A question of type AAAA gets
 * the AAAA records (through the same CNAME chains), a name that exists
 * without records of the type asked is NODATA (NOERROR, no answer;
 * RFC 2308), a CNAME question gets the CNAME itself. docs/networking.md,
 * "DNS". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/world/dns-view.h"
#include "sim/dns.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

/* A view over zones the test owns; freed by view_fixture_free. */
typedef struct {
  DnsView view;
  GPtrArray *zones;
  GPtrArray *policies;
} ViewFixture;

static ViewFixture *
view_fixture_new (void)
{
  ViewFixture *f = g_new0 (ViewFixture, 1);

  cloudrun_dns_view_init (&f->view);
  f->zones = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_zone_free);
  f->policies = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_policy_free);
  return f;
}

static DnsPolicy *
view_fixture_policy (ViewFixture *f, const char *label)
{
  DnsPolicy *p = cloudrun_dns_policy_new (label);

  g_ptr_array_add (f->policies, p);
  cloudrun_dns_view_add_policy (&f->view, p);
  return p;
}

static DnsZone *
view_fixture_zone (ViewFixture *f, const char *origin, const char *label)
{
  DnsZone *z = cloudrun_dns_zone_new (origin, label);

  g_ptr_array_add (f->zones, z);
  cloudrun_dns_view_add (&f->view, z);
  return z;
}

static DnsZone *
view_fixture_public (ViewFixture *f)
{
  DnsZone *z = cloudrun_dns_zone_google_public ();

  g_ptr_array_add (f->zones, z);
  cloudrun_dns_view_add (&f->view, z);
  return z;
}

static void
view_fixture_free (ViewFixture *f)
{
  cloudrun_dns_view_clear (&f->view);
  g_ptr_array_unref (f->zones);
  g_ptr_array_unref (f->policies);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViewFixture, view_fixture_free)

/* The answer and the label of the zone that answered last. */
typedef struct {
  SimDnsMessage m;
  const char *zone;
  DnsSource src;
} Answer;

static void
resolve_type (const ViewFixture *f, const char *qname, uint16_t qtype,
              Answer *a)
{
  memset (a, 0, sizeof *a);
  a->m.n_answers = 99;             /* must be reset by the resolver */
  a->m.rcode = 77;
  cloudrun_dns_view_resolve_source (&f->view, qname, qtype, &a->m, &a->src);
  a->zone = a->src.zone;
}

static void
resolve (const ViewFixture *f, const char *qname, Answer *a)
{
  resolve_type (f, qname, SIM_DNS_TYPE_A, a);
}

/* The text of the AAAA answer i (which must be one). */
static const char *
aaaa_text (const Answer *a, uint32_t i, char *text)
{
  assert_true (i < a->m.n_answers);
  assert_int_equal (a->m.answers[i].type, SIM_DNS_TYPE_AAAA);
  return sim_dns_aaaa_to_string (a->m.answers[i].aaaa, text);
}

/* The 16 bytes of the IPv6 address text. */
static const uint8_t *
v6 (const char *text, uint8_t *out)
{
  assert_true (sim_dns_aaaa_parse (text, out));
  return out;
}

/* The first A record of the answer, or 0. */
static uint32_t
first_a (const Answer *a)
{
  for (uint32_t i = 0; i < a->m.n_answers; i++)
    if (a->m.answers[i].type == SIM_DNS_TYPE_A)
      return a->m.answers[i].a;
  return 0;
}

static uint32_t
count_type (const Answer *a, uint16_t type)
{
  uint32_t n = 0;

  for (uint32_t i = 0; i < a->m.n_answers; i++)
    n += a->m.answers[i].type == type;
  return n;
}

/* ---- Zone choice -------------------------------------------------- */

static void
test_dns_view__longest_suffix_zone_wins (void **state)
{
  /* The same zones added in both orders: the longer origin answers
   * whatever the order; a name outside it goes to the shorter one. */
  static const bool long_first[] = { false, true };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (long_first); i++)
    {
      g_autoptr (ViewFixture) f = view_fixture_new ();
      DnsZone *app, *run_app;
      Answer a;

      if (long_first[i])
        {
          run_app = view_fixture_zone (f, "run.app.", "zone run-app");
          app = view_fixture_zone (f, "app.", "zone app");
        }
      else
        {
          app = view_fixture_zone (f, "app.", "zone app");
          run_app = view_fixture_zone (f, "run.app.", "zone run-app");
        }
      cloudrun_dns_zone_add_a (app, "svc.run.app.", IP (1, 1, 1, 1));
      cloudrun_dns_zone_add_a (app, "www.other.app.", IP (3, 3, 3, 3));
      cloudrun_dns_zone_add_a (run_app, "svc.run.app.", IP (2, 2, 2, 2));

      resolve (f, "svc.run.app", &a);
      assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
      assert_int_equal (first_a (&a), IP (2, 2, 2, 2));
      assert_string_equal (a.zone, "zone run-app");

      resolve (f, "www.other.app", &a);
      assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
      assert_int_equal (first_a (&a), IP (3, 3, 3, 3));
      assert_string_equal (a.zone, "zone app");
    }
}

static void
test_dns_view__label_boundary_is_respected (void **state)
{
  /* "notrun.app" ends in "run.app" as a string but is not in the zone. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *app = view_fixture_zone (f, "app", "zone app");
  DnsZone *run_app = view_fixture_zone (f, "run.app", "zone run-app");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_a (app, "notrun.app", IP (1, 1, 1, 1));
  cloudrun_dns_zone_add_a (run_app, "*.run.app", IP (2, 2, 2, 2));
  resolve (f, "notrun.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (first_a (&a), IP (1, 1, 1, 1));
  assert_string_equal (a.zone, "zone app");
}

static void
test_dns_view__earlier_zone_wins_a_tie (void **state)
{
  /* A private zone is added before public ones with the same origin. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app", "private zone run-app");
  DnsZone *pub = view_fixture_zone (f, "run.app", "public zone run-app");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_a (priv, "*.run.app", IP (10, 0, 0, 100));
  cloudrun_dns_zone_add_a (pub, "*.run.app", IP (216, 239, 32, 53));
  resolve (f, "svc-abc-uc.a.run.app", &a);
  assert_int_equal (first_a (&a), IP (10, 0, 0, 100));
  assert_string_equal (a.zone, "private zone run-app");
}

static void
test_dns_view__names_are_case_insensitive (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "Run.App.", "zone run-app");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_a (z, "SVC.run.app.", IP (10, 1, 2, 3));
  resolve (f, "svc.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (first_a (&a), IP (10, 1, 2, 3));
}

/* ---- Owners and wildcards ----------------------------------------- */

typedef struct {
  const char *qname;
  uint8_t rcode;
  uint32_t a;                   /* expected first A; 0 none */
} WildCase;

static void
check_wild_cases (const ViewFixture *f, const WildCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      Answer a;
      resolve (f, cases[i].qname, &a);
      if (a.m.rcode != cases[i].rcode || first_a (&a) != cases[i].a)
        fail_msg ("%s: rcode %u A %08x, expected rcode %u A %08x",
                  cases[i].qname, a.m.rcode, first_a (&a), cases[i].rcode,
                  cases[i].a);
      if (cases[i].a)
        /* A synthesized answer is owned by the name asked, not "*". */
        assert_string_equal (a.m.answers[0].name, cases[i].qname);
    }
}

static void
test_dns_view__exact_owner_beats_wildcard (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "run.app", "zone run-app");
  static const WildCase cases[] = {
    { "svc.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 7) },
    { "other.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 1) },
  };

  (void) state;
  cloudrun_dns_zone_add_a (z, "*.run.app", IP (10, 0, 0, 1));
  cloudrun_dns_zone_add_a (z, "svc.run.app", IP (10, 0, 0, 7));
  check_wild_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_dns_view__wildcard_matches_several_labels_deep (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "run.app", "zone run-app");
  static const WildCase cases[] = {
    { "a.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 1) },
    { "svc-abc-uc.a.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 1) },
    { "svc-123.us-central1.run.app", SIM_DNS_RCODE_NOERROR,
      IP (10, 0, 0, 1) },
    { "x.y.z.w.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 1) },
  };

  (void) state;
  cloudrun_dns_zone_add_a (z, "*.run.app", IP (10, 0, 0, 1));
  check_wild_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_dns_view__closest_encloser_blocks_parent_wildcard (void **state)
{
  /* RFC 4592 section 2.2: x.run.app exists, so it is the closest encloser
   * of anything below it; only *.x.run.app could match there. Names under
   * a name that does not exist still take *.run.app. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "run.app", "zone run-app");
  static const WildCase cases[] = {
    { "x.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 2) },
    { "y.x.run.app", SIM_DNS_RCODE_NXDOMAIN, 0 },
    { "z.y.x.run.app", SIM_DNS_RCODE_NXDOMAIN, 0 },
    { "y.deep.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 1) },
    { "y.w.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 3) },
    { "z.y.w.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 3) },
  };

  (void) state;
  cloudrun_dns_zone_add_a (z, "*.run.app", IP (10, 0, 0, 1));
  cloudrun_dns_zone_add_a (z, "x.run.app", IP (10, 0, 0, 2));
  /* w.run.app exists and has a wildcard of its own. */
  cloudrun_dns_zone_add_a (z, "w.run.app", IP (10, 0, 0, 4));
  cloudrun_dns_zone_add_a (z, "*.w.run.app", IP (10, 0, 0, 3));
  check_wild_cases (f, cases, G_N_ELEMENTS (cases));
}

/* An empty non-terminal (b.run.app below, which exists because
 * c.b.run.app does) is the closest encloser of q.b.run.app, so *.run.app
 * does not apply: NXDOMAIN (RFC 4592 section 2.2.2). */
static void
test_dns_view__empty_non_terminal_is_a_closest_encloser (void **state)
{
  /* RFC 4592 section 2.2.2: b.run.app owns nothing, but c.b.run.app
   * exists, so b.run.app exists (an empty non-terminal) and is the
   * closest encloser of q.b.run.app, which *.run.app must not match. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "run.app", "zone run-app");
  static const WildCase cases[] = {
    { "c.b.run.app", SIM_DNS_RCODE_NOERROR, IP (10, 0, 0, 5) },
    { "q.b.run.app", SIM_DNS_RCODE_NXDOMAIN, 0 },
  };

  (void) state;
  cloudrun_dns_zone_add_a (z, "*.run.app", IP (10, 0, 0, 1));
  cloudrun_dns_zone_add_a (z, "c.b.run.app", IP (10, 0, 0, 5));
  check_wild_cases (f, cases, G_N_ELEMENTS (cases));
}

static void
test_dns_view__every_a_record_of_the_owner_is_answered (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  Answer a;

  (void) state;
  view_fixture_public (f);
  resolve (f, "backend-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 4);
  assert_int_equal (a.m.answers[0].a, IP (216, 239, 32, 53));
  assert_int_equal (a.m.answers[3].a, IP (216, 239, 38, 53));
  assert_string_equal (a.zone, "public DNS");
  resolve (f, "restricted.googleapis.com", &a);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), 4);
  assert_int_equal (first_a (&a), IP (199, 36, 153, 4));
}

/* ---- CNAMEs ------------------------------------------------------- */

static void
test_dns_view__cname_chased_from_private_into_public (void **state)
{
  /* The seed's recipe: *.run.app CNAME private.googleapis.com in a
   * private zone; the target is answered by public DNS. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app.", "private zone run-app");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_cname (priv, "*.run.app.", "private.googleapis.com.");
  resolve (f, "backend-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 5);
  /* CNAME first, owned by the name asked, then the target's addresses. */
  assert_int_equal (a.m.answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_string_equal (a.m.answers[0].name, "backend-abc-uc.a.run.app");
  assert_string_equal (a.m.answers[0].cname, "private.googleapis.com");
  assert_int_equal (a.m.answers[1].type, SIM_DNS_TYPE_A);
  assert_string_equal (a.m.answers[1].name, "private.googleapis.com");
  assert_int_equal (a.m.answers[1].a, IP (199, 36, 153, 8));
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), 4);
  assert_string_equal (a.zone, "public DNS");
}

static void
test_dns_view__cname_chased_between_private_zones (void **state)
{
  /* run.app points at a PSC endpoint named in another private zone. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *run = view_fixture_zone (f, "run.app", "private zone run-app");
  DnsZone *psc = view_fixture_zone (f, "p.googleapis.com",
                                    "private zone psc");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_cname (run, "*.run.app", "run-psc.p.googleapis.com");
  cloudrun_dns_zone_add_a (psc, "run-psc.p.googleapis.com",
                           IP (10, 0, 0, 100));
  resolve (f, "backend-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 2);
  assert_int_equal (a.m.answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_int_equal (first_a (&a), IP (10, 0, 0, 100));
  assert_string_equal (a.zone, "private zone psc");
}

static void
test_dns_view__cname_chain_of_several_hops (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "example", "zone example");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_cname (z, "a.example", "b.example");
  cloudrun_dns_zone_add_cname (z, "b.example", "c.example");
  cloudrun_dns_zone_add_cname (z, "c.example", "d.example");
  cloudrun_dns_zone_add_a (z, "d.example", IP (10, 9, 8, 7));
  resolve (f, "a.example", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), 3);
  assert_int_equal (a.m.answers[3].type, SIM_DNS_TYPE_A);
  assert_string_equal (a.m.answers[2].name, "c.example");
  assert_int_equal (first_a (&a), IP (10, 9, 8, 7));
}

static void
test_dns_view__cname_loop_is_bounded (void **state)
{
  /* A loop and a self loop: resolution stops with no address. */
  static const char *const qnames[] = { "a.example", "self.example" };
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "example", "zone example");

  (void) state;
  cloudrun_dns_zone_add_cname (z, "a.example", "b.example");
  cloudrun_dns_zone_add_cname (z, "b.example", "a.example");
  cloudrun_dns_zone_add_cname (z, "self.example", "self.example");
  for (guint i = 0; i < G_N_ELEMENTS (qnames); i++)
    {
      Answer a;
      resolve (f, qnames[i], &a);
      assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), 0);
      /* At most 8 hops are chased: at most 9 CNAMEs are answered. */
      assert_in_range (a.m.n_answers, 1, 9);
      assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), a.m.n_answers);
    }
}

/* ---- NXDOMAIN ----------------------------------------------------- */

static void
test_dns_view__private_nxdomain_does_not_fall_through (void **state)
{
  /* A private run.app zone that knows one service hides public run.app:
   * any other run.app name is NXDOMAIN, although public DNS has
   * *.run.app. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app", "private zone run-app");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_a (priv, "known.run.app", IP (10, 0, 0, 9));
  resolve (f, "known.run.app", &a);
  assert_int_equal (first_a (&a), IP (10, 0, 0, 9));
  resolve (f, "other-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_int_equal (a.m.n_answers, 0);
}

/* An NXDOMAIN from a private zone names that zone, so the explanation
 * says which zone hid public DNS (dns-view.h: "names the zone that
 * answered last"). */
static void
test_dns_view__nxdomain_names_the_zone_that_said_it (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app", "private zone run-app");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_a (priv, "known.run.app", IP (10, 0, 0, 9));
  resolve (f, "other-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_non_null (a.zone);
  assert_string_equal (a.zone, "private zone run-app");
}

static void
test_dns_view__name_in_no_zone_is_nxdomain (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "run.app", "zone run-app");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_a (z, "*.run.app", IP (10, 0, 0, 1));
  resolve (f, "example.com", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_int_equal (a.m.n_answers, 0);
  assert_null (a.zone);
}

static void
test_dns_view__rcode_is_the_last_name_of_the_chain (void **state)
{
  /* RFC 6604: a CNAME to a name that does not exist is NXDOMAIN, with the
   * CNAME in the answer; a CNAME to a name that exists is NOERROR. */
  static const struct {
    const char *qname;
    uint8_t rcode;
    uint32_t cnames, as;
  } cases[] = {
    { "dangling.run.app", SIM_DNS_RCODE_NXDOMAIN, 1, 0 },
    { "two-hops.run.app", SIM_DNS_RCODE_NXDOMAIN, 2, 0 },
    { "good.run.app", SIM_DNS_RCODE_NOERROR, 1, 4 },
  };
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app", "private zone run-app");

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_cname (priv, "dangling.run.app", "nowhere.example");
  cloudrun_dns_zone_add_cname (priv, "two-hops.run.app", "mid.run.app");
  cloudrun_dns_zone_add_cname (priv, "mid.run.app", "missing.run.app");
  cloudrun_dns_zone_add_cname (priv, "good.run.app",
                               "restricted.googleapis.com");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Answer a;
      resolve (f, cases[i].qname, &a);
      if (a.m.rcode != cases[i].rcode)
        fail_msg ("%s: rcode %u, expected %u", cases[i].qname, a.m.rcode,
                  cases[i].rcode);
      assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), cases[i].cnames);
      assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), cases[i].as);
      assert_string_equal (a.m.answers[0].name, cases[i].qname);
    }
}


/* ---- Response policies -------------------------------------------- */

static void
test_dns_view__response_policy_answers_before_zones (void **state)
{
  /* vpc-name-res-order: response policies, then private zones. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *priv = view_fixture_zone (f, "run.app", "private zone run-app");
  DnsPolicy *p = view_fixture_policy (f, "response policy org");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_a (priv, "*.run.app", IP (10, 0, 0, 1));
  cloudrun_dns_policy_add_a (p, "*.run.app.", IP (199, 36, 153, 8));
  resolve (f, "svc-abc-an.a.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 1);
  assert_int_equal (first_a (&a), IP (199, 36, 153, 8));
  assert_string_equal (a.m.answers[0].name, "svc-abc-an.a.run.app");
  assert_string_equal (a.zone, "response policy org rule *.run.app");
  assert_null (a.src.passthru);
  /* A name no rule matches goes on to the zones: the wildcard rule does
   * not match run.app itself. */
  cloudrun_dns_zone_add_a (priv, "run.app", IP (10, 0, 0, 2));
  resolve (f, "run.app", &a);
  assert_int_equal (first_a (&a), IP (10, 0, 0, 2));
  assert_string_equal (a.zone, "private zone run-app");
}

static void
test_dns_view__most_specific_rule_wins (void **state)
{
  static const struct {
    const char *qname;
    uint32_t a;
  } cases[] = {
    { "x.run.app", IP (1, 1, 1, 1) },
    { "api.run.app", IP (2, 2, 2, 2) },        /* exact beats *.run.app */
    { "x.api.run.app", IP (1, 1, 1, 1) },      /* an exact name only */
    { "x.a.run.app", IP (3, 3, 3, 3) },        /* longer wildcard */
    { "x.y.a.run.app", IP (3, 3, 3, 3) },
    { "a.run.app", IP (1, 1, 1, 1) },
  };
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsPolicy *first = view_fixture_policy (f, "response policy first");
  DnsPolicy *second = view_fixture_policy (f, "response policy second");

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_policy_add_a (first, "*.run.app", IP (1, 1, 1, 1));
  cloudrun_dns_policy_add_a (second, "*.a.run.app", IP (3, 3, 3, 3));
  cloudrun_dns_policy_add_a (second, "api.run.app", IP (2, 2, 2, 2));
  /* A tie goes to the earlier policy. */
  cloudrun_dns_policy_add_a (second, "*.run.app", IP (9, 9, 9, 9));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Answer a;
      resolve (f, cases[i].qname, &a);
      if (first_a (&a) != cases[i].a)
        fail_msg ("%s: %08x, expected %08x", cases[i].qname, first_a (&a),
                  cases[i].a);
    }
}

static void
test_dns_view__passthru_goes_on_to_the_zones (void **state)
{
  /* A passthru rule beats the wildcard rule that would give local data,
   * and the name resolves as if the policy did not exist: public DNS
   * here, the private zone's NXDOMAIN there. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *corp = view_fixture_zone (f, "corp.example", "private zone corp");
  DnsPolicy *p = view_fixture_policy (f, "response policy org");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_policy_add_a (p, "*.run.app", IP (199, 36, 153, 8));
  cloudrun_dns_policy_add_rule (p, "reports.run.app.", true);
  cloudrun_dns_policy_add_a (p, "*.corp.example", IP (10, 9, 9, 9));
  cloudrun_dns_policy_add_rule (p, "gone.corp.example", true);
  cloudrun_dns_zone_add_a (corp, "db.corp.example", IP (10, 1, 0, 5));
  resolve (f, "reports.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (first_a (&a), IP (216, 239, 32, 53));
  assert_string_equal (a.zone, "public DNS");
  assert_string_equal (a.src.passthru,
                       "response policy org rule reports.run.app");
  resolve (f, "gone.corp.example", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_string_equal (a.zone, "private zone corp");
  resolve (f, "db.corp.example", &a);
  assert_int_equal (first_a (&a), IP (10, 9, 9, 9));
}

static void
test_dns_view__local_data_cname_is_chased_in_the_view (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsPolicy *p = view_fixture_policy (f, "response policy org");
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_policy_add_cname (p, "*.run.app", "restricted.googleapis.com.");
  resolve (f, "svc.run.app", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), 1);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), 4);
  assert_string_equal (a.m.answers[0].name, "svc.run.app");
  assert_int_equal (first_a (&a), IP (199, 36, 153, 4));
  assert_string_equal (a.zone, "public DNS");
}

/* ---- Peering zones ------------------------------------------------ */

static void
test_dns_view__peering_zone_answers_from_the_producer (void **state)
{
  g_autoptr (ViewFixture) prod = view_fixture_new ();
  g_autoptr (ViewFixture) cons = view_fixture_new ();
  DnsZone *corp = view_fixture_zone (prod, "corp.example",
                                     "private zone corp");
  DnsPolicy *p = view_fixture_policy (prod, "response policy hub");
  DnsZone *ex = view_fixture_zone (cons, "example", "private zone ex");
  DnsZone *peer = view_fixture_zone (cons, "corp.example",
                                     "peering zone to-hub");
  Answer a;

  (void) state;
  view_fixture_public (prod);
  view_fixture_public (cons);
  peer->peer = &prod->view;
  cloudrun_dns_zone_add_a (corp, "db.corp.example", IP (10, 1, 0, 5));
  cloudrun_dns_zone_add_cname (corp, "www.corp.example", "db.corp.example");
  cloudrun_dns_policy_add_a (p, "vip.corp.example", IP (10, 1, 0, 9));
  cloudrun_dns_zone_add_a (ex, "*.example", IP (10, 0, 0, 1));
  resolve (cons, "db.corp.example", &a);
  assert_int_equal (first_a (&a), IP (10, 1, 0, 5));
  assert_string_equal (a.zone, "private zone corp");
  assert_string_equal (a.src.peering, "peering zone to-hub");
  /* The producer's CNAMEs and response policies apply... */
  resolve (cons, "www.corp.example", &a);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), 1);
  assert_int_equal (first_a (&a), IP (10, 1, 0, 5));
  resolve (cons, "vip.corp.example", &a);
  assert_int_equal (first_a (&a), IP (10, 1, 0, 9));
  assert_string_equal (a.zone, "response policy hub rule vip.corp.example");
  /* ...its zone's NXDOMAIN does not fall back to the consumer's zone
   * example (the peering zone is the longer suffix)... */
  resolve (cons, "nope.corp.example", &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_string_equal (a.src.peering, "peering zone to-hub");
  /* ...and the consumer's other names stay its own. */
  resolve (cons, "app.example", &a);
  assert_int_equal (first_a (&a), IP (10, 0, 0, 1));
  assert_null (a.src.peering);
}

static void
test_dns_view__peering_is_one_hop (void **state)
{
  /* The producer's own peering zone is not followed: its other zones
   * (public DNS here) answer. */
  g_autoptr (ViewFixture) third = view_fixture_new ();
  g_autoptr (ViewFixture) prod = view_fixture_new ();
  g_autoptr (ViewFixture) cons = view_fixture_new ();
  DnsZone *far = view_fixture_zone (third, "run.app", "private zone far");
  DnsZone *onward = view_fixture_zone (prod, "run.app",
                                       "peering zone onward");
  DnsZone *peer = view_fixture_zone (cons, "run.app", "peering zone hub");
  Answer a;

  (void) state;
  view_fixture_public (prod);
  view_fixture_public (cons);
  cloudrun_dns_zone_add_a (far, "*.run.app", IP (10, 7, 7, 7));
  onward->peer = &third->view;
  peer->peer = &prod->view;
  resolve (cons, "svc.run.app", &a);
  assert_int_equal (first_a (&a), IP (216, 239, 32, 53));
  assert_string_equal (a.zone, "public DNS");
  /* The producer's own callers do follow it. */
  resolve (prod, "svc.run.app", &a);
  assert_int_equal (first_a (&a), IP (10, 7, 7, 7));
}

/* ---- Record types: AAAA, NODATA, CNAME questions ------------------- */

static void
test_dns_view__aaaa_question_gets_aaaa_records (void **state)
{
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "corp.example", "private zone corp");
  char text[SIM_DNS_AAAA_STRLEN];
  uint8_t b[16];
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_a (z, "db.corp.example", IP (10, 1, 0, 5));
  cloudrun_dns_zone_add_aaaa (z, "db.corp.example", v6 ("fd20::5", b));
  cloudrun_dns_zone_add_aaaa (z, "db.corp.example", v6 ("fd20::6", b));
  resolve_type (f, "db.corp.example", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 2);
  assert_string_equal (aaaa_text (&a, 0, text), "fd20::5");
  assert_string_equal (aaaa_text (&a, 1, text), "fd20::6");
  assert_string_equal (a.m.answers[0].name, "db.corp.example");
  assert_string_equal (a.zone, "private zone corp");
  /* The A question of the same name gets the A record only. */
  resolve (f, "db.corp.example", &a);
  assert_int_equal (a.m.n_answers, 1);
  assert_int_equal (first_a (&a), IP (10, 1, 0, 5));
}

static void
test_dns_view__name_without_the_type_is_nodata (void **state)
{
  /* RFC 2308: the name exists, the type does not: NOERROR, no answer.
   * Only a name that does not exist is NXDOMAIN. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "corp.example", "private zone corp");
  static const struct {
    const char *qname;
    uint16_t qtype;
    uint8_t rcode;
  } cases[] = {
    { "v4.corp.example", SIM_DNS_TYPE_AAAA, SIM_DNS_RCODE_NOERROR },
    { "v6.corp.example", SIM_DNS_TYPE_A, SIM_DNS_RCODE_NOERROR },
    { "v4.corp.example", 15 /* MX */, SIM_DNS_RCODE_NOERROR },
    { "v4.corp.example", 16 /* TXT */, SIM_DNS_RCODE_NOERROR },
    { "app.w.corp.example", SIM_DNS_TYPE_AAAA, SIM_DNS_RCODE_NOERROR },
    { "nope.corp.example", SIM_DNS_TYPE_AAAA, SIM_DNS_RCODE_NXDOMAIN },
    { "nope.corp.example", 15, SIM_DNS_RCODE_NXDOMAIN },
  };
  uint8_t b[16];

  (void) state;
  cloudrun_dns_zone_add_a (z, "v4.corp.example", IP (10, 1, 0, 4));
  cloudrun_dns_zone_add_aaaa (z, "v6.corp.example", v6 ("fd20::6", b));
  cloudrun_dns_zone_add_a (z, "*.w.corp.example", IP (10, 1, 0, 7));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Answer a;

      resolve_type (f, cases[i].qname, cases[i].qtype, &a);
      if (a.m.rcode != cases[i].rcode || a.m.n_answers != 0)
        fail_msg ("%s type %u: rcode %u with %u answers, expected rcode %u "
                  "and none", cases[i].qname, cases[i].qtype, a.m.rcode,
                  a.m.n_answers, cases[i].rcode);
      assert_string_equal (a.zone, "private zone corp");
    }
}

static void
test_dns_view__aaaa_follows_the_cname_chain (void **state)
{
  /* The run.app recipe for IPv6: *.run.app CNAME private.googleapis.com
   * in a private zone, and a googleapis.com zone the user wrote with the
   * VIP's IPv6 address. The chain ends where a name has AAAA records. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *run = view_fixture_zone (f, "run.app", "private zone run-app");
  DnsZone *apis = view_fixture_zone (f, "googleapis.com",
                                     "private zone googleapis");
  char text[SIM_DNS_AAAA_STRLEN];
  uint8_t b[16];
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_zone_add_cname (run, "*.run.app", "private.googleapis.com");
  cloudrun_dns_zone_add_a (apis, "private.googleapis.com",
                           IP (199, 36, 153, 8));
  cloudrun_dns_zone_add_aaaa (apis, "private.googleapis.com",
                              v6 ("2600:2d00:2:2000::", b));
  cloudrun_dns_zone_add_cname (apis, "*.googleapis.com",
                               "private.googleapis.com");
  resolve_type (f, "svc-abc-uc.a.run.app", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 2);
  assert_int_equal (a.m.answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_string_equal (a.m.answers[0].name, "svc-abc-uc.a.run.app");
  assert_string_equal (a.m.answers[1].name, "private.googleapis.com");
  assert_string_equal (aaaa_text (&a, 1, text), "2600:2d00:2:2000::");
  assert_string_equal (a.zone, "private zone googleapis");
  /* Two hops: storage.googleapis.com -> private -> its AAAA. */
  resolve_type (f, "storage.googleapis.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_CNAME), 1);
  assert_string_equal (aaaa_text (&a, 1, text), "2600:2d00:2:2000::");
  /* A chain whose last name has no AAAA is NODATA after the CNAMEs. */
  cloudrun_dns_zone_add_cname (apis, "v4only.googleapis.com",
                               "restricted.googleapis.com");
  cloudrun_dns_zone_add_a (apis, "restricted.googleapis.com",
                           IP (199, 36, 153, 4));
  resolve_type (f, "v4only.googleapis.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 1);
  assert_int_equal (a.m.answers[0].type, SIM_DNS_TYPE_CNAME);
}

static void
test_dns_view__cname_question_gets_the_cname (void **state)
{
  /* A question of type CNAME is answered by the CNAME, not chased. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsZone *z = view_fixture_zone (f, "example", "zone example");
  Answer a;

  (void) state;
  cloudrun_dns_zone_add_cname (z, "a.example", "b.example");
  cloudrun_dns_zone_add_a (z, "b.example", IP (10, 9, 8, 7));
  resolve_type (f, "a.example", SIM_DNS_TYPE_CNAME, &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 1);
  assert_int_equal (a.m.answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_string_equal (a.m.answers[0].cname, "b.example");
}

static void
test_dns_view__public_dns_answers_aaaa (void **state)
{
  /* docs/networking.md, "DNS": run.app, ghs.googlehosted.com and the
   * VIPs' names have AAAA records in public DNS. */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  char text[SIM_DNS_AAAA_STRLEN];
  Answer a;

  (void) state;
  view_fixture_public (f);
  resolve_type (f, "svc-abc-uc.a.run.app", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.n_answers, 4);
  assert_string_equal (aaaa_text (&a, 0, text), "2001:4860:4802:32::35");
  assert_string_equal (aaaa_text (&a, 3, text), "2001:4860:4802:38::35");
  resolve_type (f, "ghs.googlehosted.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.n_answers, 4);
  assert_string_equal (aaaa_text (&a, 1, text), "2001:4860:4802:34::15");
  resolve_type (f, "private.googleapis.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.n_answers, 1);
  assert_string_equal (aaaa_text (&a, 0, text), "2600:2d00:2:2000::");
  resolve_type (f, "restricted.googleapis.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.n_answers, 1);
  assert_string_equal (aaaa_text (&a, 0, text), "2600:2d00:2:1000::");
  /* The A answers are what they were. */
  resolve (f, "svc-abc-uc.a.run.app", &a);
  assert_int_equal (a.m.n_answers, 4);
  assert_int_equal (count_type (&a, SIM_DNS_TYPE_A), 4);
}

static void
test_dns_view__response_policy_local_data_aaaa (void **state)
{
  /* Local data holds AAAA too; a rule with only A data is NODATA for
   * AAAA (it still overrides the zones). */
  g_autoptr (ViewFixture) f = view_fixture_new ();
  DnsPolicy *p = view_fixture_policy (f, "response policy org");
  char text[SIM_DNS_AAAA_STRLEN];
  uint8_t b[16];
  Answer a;

  (void) state;
  view_fixture_public (f);
  cloudrun_dns_policy_add_aaaa (p, "private.googleapis.com",
                                v6 ("2600:2d00:2:2000::1", b));
  cloudrun_dns_policy_add_a (p, "*.run.app", IP (199, 36, 153, 8));
  resolve_type (f, "private.googleapis.com", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.n_answers, 1);
  assert_string_equal (aaaa_text (&a, 0, text), "2600:2d00:2:2000::1");
  assert_string_equal (a.zone,
                       "response policy org rule private.googleapis.com");
  resolve_type (f, "svc.run.app", SIM_DNS_TYPE_AAAA, &a);
  assert_int_equal (a.m.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a.m.n_answers, 0);
  assert_string_equal (a.zone, "response policy org rule *.run.app");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_dns_view__longest_suffix_zone_wins),
    cmocka_unit_test (test_dns_view__label_boundary_is_respected),
    cmocka_unit_test (test_dns_view__earlier_zone_wins_a_tie),
    cmocka_unit_test (test_dns_view__names_are_case_insensitive),
    cmocka_unit_test (test_dns_view__exact_owner_beats_wildcard),
    cmocka_unit_test (test_dns_view__wildcard_matches_several_labels_deep),
    cmocka_unit_test (test_dns_view__closest_encloser_blocks_parent_wildcard),
    cmocka_unit_test (test_dns_view__empty_non_terminal_is_a_closest_encloser),
    cmocka_unit_test (test_dns_view__every_a_record_of_the_owner_is_answered),
    cmocka_unit_test (test_dns_view__cname_chased_from_private_into_public),
    cmocka_unit_test (test_dns_view__cname_chased_between_private_zones),
    cmocka_unit_test (test_dns_view__cname_chain_of_several_hops),
    cmocka_unit_test (test_dns_view__cname_loop_is_bounded),
    cmocka_unit_test (test_dns_view__private_nxdomain_does_not_fall_through),
    cmocka_unit_test (test_dns_view__nxdomain_names_the_zone_that_said_it),
    cmocka_unit_test (test_dns_view__name_in_no_zone_is_nxdomain),
    cmocka_unit_test (test_dns_view__rcode_is_the_last_name_of_the_chain),
    cmocka_unit_test (test_dns_view__response_policy_answers_before_zones),
    cmocka_unit_test (test_dns_view__most_specific_rule_wins),
    cmocka_unit_test (test_dns_view__passthru_goes_on_to_the_zones),
    cmocka_unit_test (test_dns_view__local_data_cname_is_chased_in_the_view),
    cmocka_unit_test (test_dns_view__peering_zone_answers_from_the_producer),
    cmocka_unit_test (test_dns_view__peering_is_one_hop),
    cmocka_unit_test (test_dns_view__aaaa_question_gets_aaaa_records),
    cmocka_unit_test (test_dns_view__name_without_the_type_is_nodata),
    cmocka_unit_test (test_dns_view__aaaa_follows_the_cname_chain),
    cmocka_unit_test (test_dns_view__cname_question_gets_the_cname),
    cmocka_unit_test (test_dns_view__public_dns_answers_aaaa),
    cmocka_unit_test (test_dns_view__response_policy_local_data_aaaa),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
