/* Tests for sim/ipv6.c: text in and out (RFC 5952's canonical form, the
 * examples of its section 4), prefixes with their host-bits check, and
 * prefix matching at every length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/ipv6.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

/* Text in, canonical text out. */
static const struct {
  const char *in, *out;
} canonical[] = {
  { "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
  { "2001:DB8::AAAA", "2001:db8::aaaa" },            /* 4.3: lower case */
  { "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },   /* 4.2.3: first run */
  { "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" }, /* 4.2.2: one 0 */
  { "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },          /* 4.2.3: longest */
  { "2600:2d00:0002:2000:0000:0000:0000:0000", "2600:2d00:2:2000::" },
  { "0:0:0:0:0:0:0:0", "::" },
  { "0:0:0:0:0:0:0:1", "::1" },
  { "::ffff:10.8.0.2", "::ffff:10.8.0.2" },          /* 5: IPv4-mapped */
  { "2001:4860:4860::8888", "2001:4860:4860::8888" },
};

static void
test_ipv6__text_round_trips_to_rfc5952_form (void **state)
{
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (canonical); i++)
    {
      char buf[SIM_IPV6_STRLEN];
      SimIp6 a;

      assert_true (sim_ipv6_parse (canonical[i].in, &a));
      assert_string_equal (sim_ipv6_to_string (&a, buf), canonical[i].out);
    }
}

static void
test_ipv6__parse_is_network_order (void **state)
{
  static const uint8_t want[16] = { 0x26, 0x00, 0x2d, 0x00, 0, 0x02, 0x20,
                                    0x00, 0, 0, 0, 0, 0, 0, 0xab, 0xcd };
  SimIp6 a;

  (void) state;
  assert_true (sim_ipv6_parse ("2600:2d00:2:2000::abcd", &a));
  assert_memory_equal (a.b, want, 16);
}

static void
test_ipv6__parse_refuses_non_addresses (void **state)
{
  static const char *bad[] = {
    "", "10.8.0.2", "2001:db8::1::2", "2001:db8:0:0:0:0:0:0:1",
    "2001:db8::12345", "2001:db8::g", "fe80::1%eth0", " ::1", "::1 ",
    "2001:db8::/64", ":", ":::",
  };
  SimIp6 a;

  (void) state;
  assert_false (sim_ipv6_parse (NULL, &a));
  for (size_t i = 0; i < N_ELEMENTS (bad); i++)
    assert_false (sim_ipv6_parse (bad[i], &a));
}

static void
test_ipv6__cidr_parse (void **state)
{
  static const struct {
    const char *text;
    bool ok;
    uint8_t len;
    const char *prefix;         /* its canonical text */
  } cases[] = {
    { "2600:2d00:2:2000::/64", true, 64, "2600:2d00:2:2000::" },
    { "::/0", true, 0, "::" },
    { "2001:DB8::1/128", true, 128, "2001:db8::1" },
    { "2600:2d00:2:2000::/56", true, 56, "2600:2d00:2:2000::" },
    { "2600:2d00:2:2001::/56", false, 0, NULL },     /* host bits set */
    { "2600:2d00:2:2000::1/64", false, 0, NULL },    /* host bits set */
    { "2001:db8::/129", false, 0, NULL },
    { "2001:db8::/064", false, 0, NULL },             /* leading zero */
    { "2001:db8::/", false, 0, NULL },
    { "2001:db8::", false, 0, NULL },
    { "2001:db8::/6x", false, 0, NULL },
    { "2001:db8::/-1", false, 0, NULL },
    { "10.0.0.0/8", false, 0, NULL },
    { "2001:db8::/99999999999", false, 0, NULL },
  };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      char buf[SIM_IPV6_STRLEN];
      SimIp6 prefix;
      uint8_t len = 200;

      assert_int_equal (sim_cidr6_parse (cases[i].text, &prefix, &len),
                        cases[i].ok);
      if (!cases[i].ok)
        continue;
      assert_int_equal (len, cases[i].len);
      assert_string_equal (sim_ipv6_to_string (&prefix, buf),
                           cases[i].prefix);
    }
}

/* An address is in a prefix exactly when it agrees on the first len
 * bits: flipping bit k leaves it inside for every len <= k. */
static void
test_ipv6__in_prefix_at_every_length (void **state)
{
  SimIp6 base;

  (void) state;
  assert_true (sim_ipv6_parse ("2600:2d00:2:2000:1234:5678:9abc:def0",
                               &base));
  for (unsigned k = 0; k < 128; k++)
    {
      SimIp6 other = base;

      other.b[k / 8] ^= (uint8_t) (0x80u >> (k % 8));
      for (unsigned len = 0; len <= 128; len++)
        assert_int_equal (sim_ipv6_in_prefix (&other, &base, (uint8_t) len),
                          len <= k);
    }
}

static void
test_ipv6__masked_clears_host_bits (void **state)
{
  SimIp6 a, m, want;

  (void) state;
  assert_true (sim_ipv6_parse ("2600:2d00:2:20ff:ffff::1", &a));
  assert_true (sim_ipv6_parse ("2600:2d00:2:2080::", &want));
  m = sim_ipv6_masked (&a, 57);
  assert_true (sim_ipv6_equal (&m, &want));
  m = sim_ipv6_masked (&a, 128);
  assert_true (sim_ipv6_equal (&m, &a));
  m = sim_ipv6_masked (&a, 0);
  assert_true (sim_ipv6_equal (&m, &(SimIp6) { { 0 } }));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_ipv6__text_round_trips_to_rfc5952_form),
    cmocka_unit_test (test_ipv6__parse_is_network_order),
    cmocka_unit_test (test_ipv6__parse_refuses_non_addresses),
    cmocka_unit_test (test_ipv6__cidr_parse),
    cmocka_unit_test (test_ipv6__in_prefix_at_every_length),
    cmocka_unit_test (test_ipv6__masked_clears_host_bits),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
