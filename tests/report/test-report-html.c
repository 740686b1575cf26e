/* Tests for report.html's layout (tools/report/report-series.c, issue 22
 * item 10): a load chart's time axis spans where its gauges move, a tenth
 * more each side, not the whole run (the whole run when they move
 * throughout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/world/series.h"
#include "tools/report/report-html.h"
#include "sim/time.h"

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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_series__chart_spans_where_it_moves),
    cmocka_unit_test (test_series__whole_run_when_it_moves_throughout),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
