/* Unit tests for sim/addrsel.c: RFC 6724 section 10.2's destination
 * examples that need no interface state (matching scope, precedence,
 * smaller scope), the policy table's labels and precedences, the
 * ULA-source cases a Google Cloud dual-stack VM or Direct VPC instance
 * meets (a global IPv6 destination after IPv4 by rule 5; a ULA one
 * after it too under RFC 6724's precedences, before it under glibc's), rule 1 (no IPv6 source), rule 9 and rule 10's stability. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

#include "sim/addrsel.h"

/* Text to an address: a dotted quad as IPv4-mapped. */
static SimIp6
addr_of (const char *text)
{
  struct in_addr v4;
  SimIp6 a;

  if (inet_pton (AF_INET, text, &v4) == 1)
    return sim_addrsel_mapped (ntohl (v4.s_addr));
  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

typedef struct {
  const char *name;
  SimAddrselTable table;
  const char *sources[4];
  const char *dests[4];
  const char *want[4];          /* destinations in the sorted order */
  const char *want_src[4];      /* Source(D) of each (NULL: unusable) */
  unsigned rule;                /* the rule that put want[0] first */
} SortCase;

static const SortCase cases[] = {
  { "10.2: prefer matching scope (IPv6 global source)",
    SIM_ADDRSEL_RFC6724,
    { "2001:db8:1::2", "fe80::1", "169.254.13.78" },
    { "2001:db8:1::1", "198.51.100.121" },
    { "2001:db8:1::1", "198.51.100.121" },
    { "2001:db8:1::2", "169.254.13.78" }, 2 },
  { "10.2: prefer matching scope (IPv6 link-local source only)",
    SIM_ADDRSEL_RFC6724,
    { "fe80::1", "198.51.100.117" },
    { "2001:db8:1::1", "198.51.100.121" },
    { "198.51.100.121", "2001:db8:1::1" },
    { "198.51.100.117", "fe80::1" }, 2 },
  { "10.2: prefer higher precedence",
    SIM_ADDRSEL_RFC6724,
    { "2001:db8:1::2", "fe80::1", "10.1.2.4" },
    { "10.1.2.3", "2001:db8:1::1" },
    { "2001:db8:1::1", "10.1.2.3" },
    { "2001:db8:1::2", "10.1.2.4" }, 6 },
  { "10.2: prefer smaller scope",
    SIM_ADDRSEL_RFC6724,
    { "2001:db8:1::2", "fe80::2" },
    { "2001:db8:1::1", "fe80::1" },
    { "fe80::1", "2001:db8:1::1" },
    { "fe80::2", "2001:db8:1::2" }, 8 },
  { "ULA source: IPv4 before a global IPv6 destination (rule 5)",
    SIM_ADDRSEL_RFC6724,
    { "10.8.0.2", "fd20:0:1:0:0:1::" },
    { "2600:1901:0:38d7::", "34.143.72.2" },
    { "34.143.72.2", "2600:1901:0:38d7::" },
    { "10.8.0.2", "fd20:0:1:0:0:1::" }, 5 },
  { "ULA source: IPv4 before a ULA destination too (rule 6: 35 over 3)",
    SIM_ADDRSEL_RFC6724,
    { "10.8.0.2", "fd20:0:1:0:0:1::" },
    { "fd20:0:1:0:0:2::", "10.8.0.9" },
    { "10.8.0.9", "fd20:0:1:0:0:2::" },
    { "10.8.0.2", "fd20:0:1:0:0:1::" }, 6 },
  { "no IPv6 source: IPv6 destinations last (rule 1)",
    SIM_ADDRSEL_RFC6724,
    { "10.8.0.2" },
    { "2600:1901:0:38d7::", "34.143.72.2" },
    { "34.143.72.2", "2600:1901:0:38d7::" },
    { "10.8.0.2", NULL }, 1 },
  { "rule 9: the longer common prefix with its source",
    SIM_ADDRSEL_RFC6724,
    { "2001:db8:1::2", "2001:db8:2::2" },
    { "2001:db8:3::1", "2001:db8:1::1" },
    { "2001:db8:1::1", "2001:db8:3::1" },
    { "2001:db8:1::2", "2001:db8:2::2" }, 9 },
  { "rule 10: equal addresses keep the answer's order",
    SIM_ADDRSEL_RFC6724,
    { "10.8.0.2" },
    { "34.143.72.2", "34.143.72.1", "34.143.72.3" },
    { "34.143.72.2", "34.143.72.1", "34.143.72.3" },
    { "10.8.0.2", "10.8.0.2", "10.8.0.2" }, 10 },
  { "glibc: ULA source, a ULA destination before IPv4 (rule 6: 40 over 10)",
    SIM_ADDRSEL_GLIBC,
    { "10.8.0.2", "fd20:0:1:0:0:1::" },
    { "10.8.0.9", "fd20:0:1:0:0:2::" },
    { "fd20:0:1:0:0:2::", "10.8.0.9" },
    { "fd20:0:1:0:0:1::", "10.8.0.2" }, 6 },
  { "glibc: ULA source, IPv4 before a global IPv6 destination (rule 5)",
    SIM_ADDRSEL_GLIBC,
    { "10.8.0.2", "fd20:0:1:0:0:1::" },
    { "2600:1901:0:38d7::", "34.143.72.2" },
    { "34.143.72.2", "2600:1901:0:38d7::" },
    { "10.8.0.2", "fd20:0:1:0:0:1::" }, 5 },
  { "glibc: 10.2's precedence example holds too",
    SIM_ADDRSEL_GLIBC,
    { "2001:db8:1::2", "fe80::1", "10.1.2.4" },
    { "10.1.2.3", "2001:db8:1::1" },
    { "2001:db8:1::1", "10.1.2.3" },
    { "2001:db8:1::2", "10.1.2.4" }, 6 },
};

static unsigned
count (const char *const *list)
{
  unsigned n = 0;

  while (n < 4 && list[n])
    n++;
  return n;
}

static void
test_addrsel__sort_cases (void **state)
{
  (void) state;
  for (unsigned c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const SortCase *k = &cases[c];
      SimIp6 srcs[4];
      SimAddrselDest d[4];
      SimAddrselSources s = { srcs, count (k->sources), k->table };
      unsigned n = count (k->dests);

      for (unsigned i = 0; i < s.n; i++)
        srcs[i] = addr_of (k->sources[i]);
      memset (d, 0, sizeof d);
      for (unsigned i = 0; i < n; i++)
        d[i].addr = addr_of (k->dests[i]);
      sim_addrsel_sort (d, n, &s);
      for (unsigned i = 0; i < n; i++)
        {
          SimIp6 want = addr_of (k->want[i]);

          if (!sim_ipv6_equal (&d[i].addr, &want))
            fail_msg ("%s: position %u is not %s", k->name, i, k->want[i]);
          if (k->want_src[i] == NULL)
            assert_false (d[i].usable);
          else
            {
              SimIp6 ws = addr_of (k->want_src[i]);

              assert_true (d[i].usable);
              if (!sim_ipv6_equal (&d[i].source, &ws))
                fail_msg ("%s: source %u is not %s", k->name, i,
                          k->want_src[i]);
            }
        }
      if (d[0].rule != k->rule)
        fail_msg ("%s: rule %u, want %u", k->name, d[0].rule, k->rule);
      assert_int_equal (d[n - 1].rule, 0);
    }
}

static void
test_addrsel__policy_table (void **state)
{
  static const struct {
    const char *addr;
    unsigned precedence, label, scope;
    unsigned glibc_precedence, glibc_label;
  } rows[] = {
    { "::1", 50, 0, 2, 50, 0 },
    { "2600:1901::1", 40, 1, 14, 40, 1 },
    { "10.0.0.1", 35, 4, 14, 10, 4 },
    { "127.0.0.1", 35, 4, 2, 10, 4 },
    { "169.254.1.1", 35, 4, 2, 10, 4 },
    { "2002:c633:6401::1", 30, 2, 14, 30, 2 },
    { "2001:0:1::1", 5, 5, 14, 40, 7 },
    { "2001:db8::1", 40, 1, 14, 40, 1 },
    { "fd20::1", 3, 13, 14, 40, 6 },
    { "fc00::1", 3, 13, 14, 40, 6 },
    { "::10.0.0.1", 1, 3, 14, 20, 3 },
    { "fec0::1", 1, 11, 5, 40, 5 },
    { "3ffe::1", 1, 12, 14, 40, 1 },
    { "fe80::1", 40, 1, 2, 40, 1 },
    { "ff05::1", 40, 1, 5, 40, 1 },
  };

  (void) state;
  for (unsigned i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      SimIp6 a = addr_of (rows[i].addr);

      if (sim_addrsel_precedence (SIM_ADDRSEL_RFC6724, &a)
          != rows[i].precedence
          || sim_addrsel_label (SIM_ADDRSEL_RFC6724, &a) != rows[i].label
          || sim_addrsel_scope (&a) != rows[i].scope
          || sim_addrsel_precedence (SIM_ADDRSEL_GLIBC, &a)
             != rows[i].glibc_precedence
          || sim_addrsel_label (SIM_ADDRSEL_GLIBC, &a) != rows[i].glibc_label)
        fail_msg ("%s: %u/%u/%u glibc %u/%u", rows[i].addr,
                  sim_addrsel_precedence (SIM_ADDRSEL_RFC6724, &a),
                  sim_addrsel_label (SIM_ADDRSEL_RFC6724, &a),
                  sim_addrsel_scope (&a),
                  sim_addrsel_precedence (SIM_ADDRSEL_GLIBC, &a),
                  sim_addrsel_label (SIM_ADDRSEL_GLIBC, &a));
    }
}

static void
test_addrsel__mapped_round_trip (void **state)
{
  SimIp6 m = sim_addrsel_mapped (0x0a080002u), v6 = addr_of ("fd20::1");
  uint32_t v4 = 0;

  (void) state;
  assert_true (sim_addrsel_is_mapped (&m, &v4));
  assert_int_equal (v4, 0x0a080002u);
  assert_false (sim_addrsel_is_mapped (&v6, NULL));
  assert_int_equal (sim_addrsel_common_prefix (&v6, &v6), 64);
}

/* A destination the caller knows unreachable (no route) is unusable:
 * last by rule 1, though a global source would put it first. */
static void
test_addrsel__unreachable_goes_last (void **state)
{
  SimIp6 srcs[2] = { addr_of ("2001:db8:1::2"), addr_of ("10.1.2.4") };
  SimAddrselSources s = { srcs, 2, SIM_ADDRSEL_GLIBC };
  SimAddrselDest d[2];
  SimIp6 v4 = addr_of ("10.1.2.3");

  (void) state;
  memset (d, 0, sizeof d);
  d[0].addr = addr_of ("2001:db8:1::1");
  d[0].unreachable = true;
  d[1].addr = v4;
  sim_addrsel_sort (d, 2, &s);
  assert_true (sim_ipv6_equal (&d[0].addr, &v4));
  assert_int_equal (d[0].rule, 1);
  assert_false (d[1].usable);
}

static void
test_addrsel__interleave_takes_turns (void **state)
{
  static const char *const in[] = { "2001:db8::1", "2001:db8::2",
                                     "2001:db8::3", "10.0.0.1", "10.0.0.2" };
  static const char *const want6[] = { "2001:db8::1", "10.0.0.1",
                                       "2001:db8::2", "10.0.0.2",
                                       "2001:db8::3" };
  static const char *const want4[] = { "10.0.0.1", "2001:db8::1",
                                       "10.0.0.2", "2001:db8::2",
                                       "2001:db8::3" };
  SimAddrselDest d[5];

  (void) state;
  for (int first6 = 0; first6 < 2; first6++)
    {
      memset (d, 0, sizeof d);
      for (unsigned i = 0; i < 5; i++)
        d[i].addr = addr_of (in[i]);
      sim_addrsel_interleave (d, 5, first6);
      for (unsigned i = 0; i < 5; i++)
        {
          SimIp6 w = addr_of (first6 ? want6[i] : want4[i]);

          if (!sim_ipv6_equal (&d[i].addr, &w))
            fail_msg ("v6_first %d: position %u is not %s", first6, i,
                      first6 ? want6[i] : want4[i]);
        }
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_addrsel__sort_cases),
    cmocka_unit_test (test_addrsel__policy_table),
    cmocka_unit_test (test_addrsel__mapped_round_trip),
    cmocka_unit_test (test_addrsel__unreachable_goes_last),
    cmocka_unit_test (test_addrsel__interleave_takes_turns),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
