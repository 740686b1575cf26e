/* Tests for report.html's layout (tools/report/report-html.c,
 * tools/report/report-series.c, issue 22 items 6 and 10): a load chart's
 * time axis spans where its gauges move, a tenth more each side, not the
 * whole run (the whole run when they move throughout); every traffic is
 * a closed <details> section named in the table of contents, with its own
 * picture, whose ids are its own, scaled to fit the page only when that
 * keeps its text readable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/world/series.h"
#include "tools/report/report-html.h"
#include "tools/report/report.h"
#include "tests/models/world/world-fixture.h"

/* Occurrences of needle in text. */
static guint
count (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)); p += strlen (needle))
    n++;
  return n;
}

/* A minute's run (200ms buckets) where api's requests in flight go to 5
 * at 1s and back to 0 at 2s: the chart shows 800ms to 2.4s (buckets 5 to
 * 10 moved, one bucket more each side), ticks every 500ms, and says so. */
static void
test_series__chart_spans_where_it_moves (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  CloudRunSeries *s = cloudrun_series_new (60 * SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "service", "api", "in_flight");

  (void) state;
  cloudrun_gauge_set (g, 1 * SIM_S, 5);
  cloudrun_gauge_set (g, 2 * SIM_S, 0);
  tools_report_html_series (out, s);
  assert_non_null (strstr (out->str, "simulated time, 800ms to 2.4s of the "
                                     "run's 1m (where it moves)"));
  assert_non_null (strstr (out->str, ">1s</text>"));
  assert_non_null (strstr (out->str, ">1.5s</text>"));
  assert_non_null (strstr (out->str, ">2s</text>"));
  assert_null (strstr (out->str, ">10s</text>"));
  assert_null (strstr (out->str, ">1m</text>"));
  /* The line (each bucket's largest value; 5 is the top of the axis)
   * rises at 1s and falls after the bucket of 2s: x 70 + (1s - 800ms) /
   * 1.6s x 786 = 168, and 70 + 1.4 / 1.6 x 786 = 758. */
  assert_non_null (strstr (out->str, "points=\"70,184 168,184 168,14 758,14 "
                                     "758,184 856,184\""));
  cloudrun_series_free (s);
}

/* Gauges that move at 1s and at 59s: the whole run, as before. */
static void
test_series__whole_run_when_it_moves_throughout (void **state)
{
  g_autoptr (GString) out = g_string_new (NULL);
  CloudRunSeries *s = cloudrun_series_new (60 * SIM_S);
  CloudRunGauge *g = cloudrun_series_gauge (s, "nat", "gw", "ports");

  (void) state;
  cloudrun_gauge_set (g, 1 * SIM_S, 64);
  cloudrun_gauge_set (g, 59 * SIM_S, 0);
  tools_report_html_series (out, s);
  assert_null (strstr (out->str, "where it moves"));
  assert_non_null (strstr (out->str, ">simulated time</text>"));
  assert_non_null (strstr (out->str, ">1m</text>"));
  cloudrun_series_free (s);
}

#define TWO_TRAFFICS \
  WF_HEAD \
  "[service api]\nregion = us-central1\n\n" \
  "[client alice]\n\n" \
  "[traffic first]\nfrom = alice\nurl = service:api\ncount = 1\n\n" \
  "[traffic second]\nfrom = alice\nurl = service:api\ncount = 1\n"

/* The page of a run of two traffics with the whole picture svg (or
 * NULL) and paths (one per traffic, or NULL). */
static char *
page (WorldFixture *wf, const char *svg, const GPtrArray *paths)
{
  g_autoptr (GString) picture = svg ? g_string_new (svg) : NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GArray) checks = g_array_new (FALSE, TRUE,
                                           sizeof (CloudRunCheckItem));
  g_autofree CloudRunTrafficSummary *sum = cloudrun_summary_new (wf->world);
  ToolsReport rep = { wf->scenario, wf->world, sum, checks, 0, NULL };

  tools_report_html (out, &rep, picture, NULL, paths, NULL);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
string_free (gpointer text)
{
  g_string_free (text, TRUE);
}

/* Two traffics: two closed sections, both in the contents; the narrow
 * picture (100pt) fits the page, the wide one (2000pt, 2667 pixels)
 * scrolls in its frame; each picture's ids are prefixed with its
 * traffic's number. */
static void
test_html__a_section_per_traffic (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (TWO_TRAFFICS, NULL);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (string_free);
  g_autofree char *with = NULL, *without = NULL;

  (void) state;
  g_ptr_array_add (paths, g_string_new ("<svg width=\"100pt\" height=\"20pt\""
                                        "><g id=\"graph0\"></g></svg>"));
  g_ptr_array_add (paths, g_string_new ("<svg width=\"2000pt\" height=\"20pt\""
                                        "><g id=\"graph0\"></g></svg>"));
  with = page (wf, NULL, paths);
  assert_int_equal (count (with, "<details class=\"traffic\""), 2);
  assert_non_null (strstr (with, "<details class=\"traffic\" "
                                 "id=\"traffic-0\"><summary>"));
  assert_non_null (strstr (with, "<details class=\"traffic\" "
                                 "id=\"traffic-1\"><summary>"));
  assert_non_null (strstr (with, "<nav class=\"toc\">"));
  assert_non_null (strstr (with, "<a href=\"#traffic-0\" class=\"good\">"
                                 "first</a>"));
  assert_non_null (strstr (with, "<a href=\"#traffic-1\" class=\"good\">"
                                 "second</a>"));
  assert_int_equal (count (with, "<div class=\"path fit\">"), 1);
  assert_int_equal (count (with, "<div class=\"path\">"), 1);
  assert_non_null (strstr (with, "id=\"t0-graph0\""));
  assert_non_null (strstr (with, "id=\"t1-graph0\""));
  assert_null (strstr (with, "id=\"graph0\""));
  /* Each picture inside its own section. */
  assert_true (strstr (with, "id=\"t0-graph0\"")
               < strstr (with, "id=\"traffic-1\""));
  assert_true (strstr (with, "id=\"t1-graph0\"")
               > strstr (with, "id=\"traffic-1\""));
  without = page (wf, NULL, NULL);
  assert_int_equal (count (without, "<details class=\"traffic\""), 2);
  assert_null (strstr (without, "class=\"path"));
}

/* A step's IPv6 addresses are shown in RFC 5952 text, beside IPv4 ones
 * of the same step (the GFE's: the caller's IPv6 pair, then its own
 * IPv4 source; an address not translated shows as it arrived). */
static void
test_html__ipv6_addresses_of_a_step (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (TWO_TRAFFICS, NULL);
  CloudRunRequest *r = world_fixture_request (wf, "first", 0);
  SimIp6 src, dst;
  CloudRunStep step = {
    /* A state the GFE took no step in yet (one again would be reused). */
    .hop = CLOUDRUN_HOP_GFE, .state = CLOUDRUN_STATE_PENDING_QUEUE,
    .rule = "over IPv6", .aside = true, .src6 = &src, .dst6 = &dst,
    .src_after = 0xa9fe0001u,
  };
  g_autofree char *html = NULL;

  (void) state;
  assert_true (sim_ipv6_parse ("2001:DB8:0:0::5", &src));
  assert_true (sim_ipv6_parse ("2001:4860:4802:32::35", &dst));
  cloudrun_request_step (&wf->world->ledger, r->id,
                         world_fixture_node (wf, "gfe"), &step);
  html = page (wf, NULL, NULL);
  if (!strstr (html, "2001:db8::5 &#8594; 2001:4860:4802:32::35<br/>"
                     "&#8658; 169.254.0.1 &#8594; 2001:4860:4802:32::35"))
    fail_msg ("no IPv6 addresses in the page");
  /* report.json's step (tools/report/report-json.c) says the same. */
  {
    g_autofree CloudRunTrafficSummary *sum = cloudrun_summary_new (wf->world);
    g_autoptr (GArray) checks = g_array_new (FALSE, TRUE,
                                             sizeof (CloudRunCheckItem));
    ToolsReport rep = { wf->scenario, wf->world, sum, checks, 0, NULL };
    g_autoptr (GString) json = g_string_new (NULL);

    tools_report_json (json, &rep);
    if (!strstr (json->str, "\"src\" : \"2001:db8::5\",\n"
                 "            \"dst\" : \"2001:4860:4802:32::35\",\n"
                 "            \"src_after\" : \"169.254.0.1\",\n"
                 "            \"dst_after\" : null"))
      fail_msg ("no IPv6 addresses in report.json:\n%s", json->str);
  }
}

/* The whole picture fits the page when 0.9 of its natural width does
 * (1197 pixels at a window of 1280): 897pt (1196 x 0.9 = 1076 pixels) and
 * 997pt (1196 pixels) fit, 998pt does not and scrolls. */
static void
test_html__the_whole_picture_fits_when_its_text_stays_readable (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (TWO_TRAFFICS, NULL);
  static const struct {
    const char *svg;
    const char *div;
  } cases[] = {
    { "<svg width=\"897pt\" height=\"9pt\"></svg>",
      "<div class=\"picture fit\">" },
    { "<svg width=\"997pt\" height=\"9pt\"></svg>",
      "<div class=\"picture fit\">" },
    { "<svg width=\"998pt\" height=\"9pt\"></svg>",
      "<div class=\"picture\">" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *html = page (wf, cases[i].svg, NULL);
      assert_non_null (strstr (html, cases[i].div));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_series__chart_spans_where_it_moves),
    cmocka_unit_test (test_series__whole_run_when_it_moves_throughout),
    cmocka_unit_test (test_html__a_section_per_traffic),
    cmocka_unit_test (test_html__ipv6_addresses_of_a_step),
    cmocka_unit_test (
      test_html__the_whole_picture_fits_when_its_text_stays_readable),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
