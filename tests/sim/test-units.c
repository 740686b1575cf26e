/* Unit tests for sim/units.c: every unit of every kind, zero, exact
 * fractions, fractions finer than the smallest unit, overflow at each
 * kind's limit, wrong and missing units, signs, exponents and spaces, and
 * the shortest exact text form of a time (including a round trip). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/units.h"

typedef struct {
  const char *text;
  SimUnitsError want_error;
  uint64_t want;                /* when OK */
} ExactCase;

static const ExactCase time_cases[] = {
  { "0s", SIM_UNITS_OK, 0 },
  { "0ns", SIM_UNITS_OK, 0 },
  { "1ns", SIM_UNITS_OK, 1 },
  { "12us", SIM_UNITS_OK, 12000 },
  { "250ms", SIM_UNITS_OK, 250000000 },
  { "1.5s", SIM_UNITS_OK, 1500000000 },
  { "2m", SIM_UNITS_OK, 120000000000 },
  { "0.5m", SIM_UNITS_OK, 30000000000 },
  { "1.000000000000000000000000s", SIM_UNITS_OK, 1000000000 },
  { "0.000000001s", SIM_UNITS_OK, 1 },
  { "0.0000000001m", SIM_UNITS_OK, 6 },
  { "007ms", SIM_UNITS_OK, 7000000 },
  { "9223372036854775807ns", SIM_UNITS_OK, 9223372036854775807u },
  { "9223372036854775808ns", SIM_UNITS_OVERFLOW, 0 },
  { "9223372036.854775807s", SIM_UNITS_OK, 9223372036854775807u },
  { "9223372036.854775808s", SIM_UNITS_OVERFLOW, 0 },
  { "153722867.3m", SIM_UNITS_OVERFLOW, 0 },
  { "99999999999999999999999ns", SIM_UNITS_OVERFLOW, 0 },
  { "18446744073709551616s", SIM_UNITS_OVERFLOW, 0 },
  { "0.5ns", SIM_UNITS_FRACTION, 0 },
  { "0.0000000001s", SIM_UNITS_FRACTION, 0 },
  { "1.0005us", SIM_UNITS_FRACTION, 0 },
  { "", SIM_UNITS_EMPTY, 0 },
  { NULL, SIM_UNITS_EMPTY, 0 },
  { "10", SIM_UNITS_NO_UNIT, 0 },
  { "1.5", SIM_UNITS_NO_UNIT, 0 },
  { "10sec", SIM_UNITS_BAD_UNIT, 0 },
  { "10 s", SIM_UNITS_BAD_UNIT, 0 },
  { "10S", SIM_UNITS_BAD_UNIT, 0 },
  { "10h", SIM_UNITS_BAD_UNIT, 0 },
  { "10s ", SIM_UNITS_BAD_UNIT, 0 },
  { "10Mbps", SIM_UNITS_BAD_UNIT, 0 },
  { "-1s", SIM_UNITS_NEGATIVE, 0 },
  { "-.5s", SIM_UNITS_NEGATIVE, 0 },
  { "1e3s", SIM_UNITS_BAD_NUMBER, 0 },
  { "0x10s", SIM_UNITS_BAD_NUMBER, 0 },
  { "+1s", SIM_UNITS_BAD_NUMBER, 0 },
  { " 1s", SIM_UNITS_BAD_NUMBER, 0 },
  { ".5s", SIM_UNITS_BAD_NUMBER, 0 },
  { "1.s", SIM_UNITS_BAD_NUMBER, 0 },
  { "1.2.3s", SIM_UNITS_BAD_NUMBER, 0 },
  { "s", SIM_UNITS_BAD_NUMBER, 0 },
  { "-", SIM_UNITS_BAD_NUMBER, 0 },
};

static const ExactCase bandwidth_cases[] = {
  { "0bps", SIM_UNITS_OK, 0 },
  { "1bps", SIM_UNITS_OK, 1 },
  { "56kbps", SIM_UNITS_OK, 56000 },
  { "100Mbps", SIM_UNITS_OK, 100000000 },
  { "1.6Gbps", SIM_UNITS_OK, 1600000000 },
  { "18446744073709551615bps", SIM_UNITS_OK, UINT64_MAX },
  { "18446744073709551616bps", SIM_UNITS_OVERFLOW, 0 },
  { "18446744073.709551616Gbps", SIM_UNITS_OVERFLOW, 0 },
  { "18446744073.709551615Gbps", SIM_UNITS_OK, UINT64_MAX },
  { "1.5bps", SIM_UNITS_FRACTION, 0 },
  { "100mbps", SIM_UNITS_BAD_UNIT, 0 },
  { "100Kbps", SIM_UNITS_BAD_UNIT, 0 },
  { "100MB", SIM_UNITS_BAD_UNIT, 0 },
  { "100", SIM_UNITS_NO_UNIT, 0 },
  { "-5Mbps", SIM_UNITS_NEGATIVE, 0 },
};

static const ExactCase size_cases[] = {
  { "0B", SIM_UNITS_OK, 0 },
  { "512B", SIM_UNITS_OK, 512 },
  { "1KB", SIM_UNITS_OK, 1000 },
  { "1KiB", SIM_UNITS_OK, 1024 },
  { "1.5MB", SIM_UNITS_OK, 1500000 },
  { "1MiB", SIM_UNITS_OK, 1048576 },
  { "0.5KiB", SIM_UNITS_OK, 512 },
  { "0.00000095367431640625MiB", SIM_UNITS_OK, 1 },
  { "0.000000953674316406251MiB", SIM_UNITS_FRACTION, 0 },
  { "0.1KiB", SIM_UNITS_FRACTION, 0 },
  { "17592186044415.99999904632568359375MiB", SIM_UNITS_OK,
    UINT64_MAX },
  { "17592186044416MiB", SIM_UNITS_OVERFLOW, 0 },
  { "1GiB", SIM_UNITS_OK, 1073741824 },
  { "2TB", SIM_UNITS_OK, 2000000000000 },
  { "1TiB", SIM_UNITS_OK, 1099511627776 },
  { "1PiB", SIM_UNITS_BAD_UNIT, 0 },
  { "1kb", SIM_UNITS_BAD_UNIT, 0 },
  { "1", SIM_UNITS_NO_UNIT, 0 },
  { "-1B", SIM_UNITS_NEGATIVE, 0 },
  { "1e3B", SIM_UNITS_BAD_NUMBER, 0 },
};

static void
run_exact (const ExactCase *cases, size_t n,
           SimUnitsError (*parse) (const char *, uint64_t *))
{
  for (size_t i = 0; i < n; i++)
    {
      uint64_t got = 12345;
      SimUnitsError e = parse (cases[i].text, &got);
      if (e != cases[i].want_error)
        fail_msg ("'%s': error %s, want %s", cases[i].text,
                  sim_units_error_string (e),
                  sim_units_error_string (cases[i].want_error));
      if (e == SIM_UNITS_OK && got != cases[i].want)
        fail_msg ("'%s': %" G_GUINT64_FORMAT ", want %" G_GUINT64_FORMAT,
                  cases[i].text, got, cases[i].want);
      if (e != SIM_UNITS_OK && got != 12345)
        fail_msg ("'%s': output written on error", cases[i].text);
    }
}

static SimUnitsError
parse_time_u64 (const char *text, uint64_t *out)
{
  SimTime t = 12345;
  SimUnitsError e = sim_units_parse_time (text, &t);
  *out = (uint64_t) t;
  return e;
}

static void
test_units__time (void **state)
{
  (void) state;
  run_exact (time_cases, G_N_ELEMENTS (time_cases), parse_time_u64);
}

static void
test_units__bandwidth (void **state)
{
  (void) state;
  run_exact (bandwidth_cases, G_N_ELEMENTS (bandwidth_cases),
             sim_units_parse_bandwidth);
}

static void
test_units__size (void **state)
{
  (void) state;
  run_exact (size_cases, G_N_ELEMENTS (size_cases), sim_units_parse_size);
}

static void
test_units__rate (void **state)
{
  static const struct {
    const char *text;
    SimUnitsError want_error;
    double want;
  } cases[] = {
    { "100/s", SIM_UNITS_OK, 100.0 },
    { "0/s", SIM_UNITS_OK, 0.0 },
    { "5/ms", SIM_UNITS_OK, 5000.0 },
    { "30/m", SIM_UNITS_OK, 0.5 },
    { "0.5/s", SIM_UNITS_OK, 0.5 },
    { "100", SIM_UNITS_NO_UNIT, 0 },
    { "100/h", SIM_UNITS_BAD_UNIT, 0 },
    { "100 /s", SIM_UNITS_BAD_UNIT, 0 },
    { "100s", SIM_UNITS_BAD_UNIT, 0 },
    { "-1/s", SIM_UNITS_NEGATIVE, 0 },
    { "1e3/s", SIM_UNITS_BAD_NUMBER, 0 },
    { "/s", SIM_UNITS_BAD_NUMBER, 0 },
    { "", SIM_UNITS_EMPTY, 0 },
    { "0.000000000000000000000000000000000000000000000000000000000000000001"
      "/s", SIM_UNITS_OK, 1e-66 },
    { "1", SIM_UNITS_NO_UNIT, 0 },
  };
  char huge[512];
  double ignored;
  (void) state;
  memset (huge, '9', 400);
  strcpy (huge + 400, "/s");
  assert_int_equal (sim_units_parse_rate (huge, &ignored),
                    SIM_UNITS_OVERFLOW);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got = -1;
      SimUnitsError e = sim_units_parse_rate (cases[i].text, &got);
      if (e != cases[i].want_error)
        fail_msg ("'%s': error %s", cases[i].text,
                  sim_units_error_string (e));
      if (e == SIM_UNITS_OK
          && fabs (got - cases[i].want) > 1e-12 * fabs (cases[i].want))
        fail_msg ("'%s': %g, want %g", cases[i].text, got, cases[i].want);
    }
}

static void
test_units__format_time_shortest (void **state)
{
  static const struct { SimTime t; const char *want; } cases[] = {
    { 0, "0s" },
    { 1, "1ns" },
    { 12000, "12us" },
    { 1500, "1.5us" },
    { 250000000, "250ms" },
    { 1500000000, "1.5s" },
    { 1250000, "1250us" },
    { 12500000, "12.5ms" },
    { 60000000000, "1m" },
    { 90000000000, "90s" },
    { 150000000000, "150s" },
    { 1000000001, "1000000001ns" },
    { -250000000, "-250ms" },
    { SIM_TIME_MAX, "9223372036854775807ns" },
    { INT64_MIN, "-9223372036854775808ns" },
  };
  char buf[32];
  (void) state;
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_string_equal (sim_units_format_time (cases[i].t, buf),
                         cases[i].want);
}

static void
test_units__format_time_round_trips (void **state)
{
  static const SimTime samples[] = {
    1, 999, 1000, 1001, 123456789, 60000000000, 61000000000,
    3600000000000, 1000000000000000000, SIM_TIME_MAX,
  };
  char buf[32];
  (void) state;
  for (size_t i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      SimTime back = -1;
      sim_units_format_time (samples[i], buf);
      assert_int_equal (sim_units_parse_time (buf, &back), SIM_UNITS_OK);
      assert_true (back == samples[i]);
    }
}

static void
test_units__messages (void **state)
{
  (void) state;
  assert_string_equal (sim_units_expected ("time"),
                       "a time with a unit, such as 250ms or 1.5s");
  assert_non_null (strstr (sim_units_expected ("rate"), "/s"));
  assert_non_null (strstr (sim_units_expected ("bandwidth"), "Mbps"));
  assert_non_null (strstr (sim_units_expected ("size"), "KiB"));
  for (int e = SIM_UNITS_OK; e <= SIM_UNITS_FRACTION; e++)
    assert_true (strlen (sim_units_error_string ((SimUnitsError) e)) > 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_units__time),
    cmocka_unit_test (test_units__bandwidth),
    cmocka_unit_test (test_units__size),
    cmocka_unit_test (test_units__rate),
    cmocka_unit_test (test_units__format_time_shortest),
    cmocka_unit_test (test_units__format_time_round_trips),
    cmocka_unit_test (test_units__messages),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
