/* Unit tests for sim/route6.c: the same rules as sim/route.c's table
 * (longest prefix, then the lowest priority, then the earliest added),
 * ::/0 and /128 routes, lengths on both sides of the 64-bit halves, no
 * match, and a randomized comparison against a naive linear scan. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>

#include "sim/route6.h"

typedef struct {
  const char *prefix;           /* "addr/len" */
  uint32_t priority;
} RouteSpec;

typedef struct {
  const char *name;
  RouteSpec routes[6];
  unsigned n_routes;
  const char *addr;
  int want;                     /* index into routes, -1 for no match */
} LookupCase;

static const LookupCase lookup_cases[] = {
  { "longest prefix wins over shorter",
    { { "2600:2d00::/32", 0 }, { "2600:2d00:2::/48", 5 },
      { "2600:2d00:2:2000::/64", 9 }, { "2600:2d00:2::/49", 0 } },
    4, "2600:2d00:2:2000::5", 2 },
  { "longest prefix wins, added first",
    { { "2600:2d00:2:2000::/64", 9 }, { "2600:2d00::/32", 0 } },
    2, "2600:2d00:2:2000:ffff::1", 0 },
  { "shorter prefix when the longer does not match",
    { { "2600:2d00::/32", 0 }, { "2600:2d00:2:2000::/64", 0 } },
    2, "2600:2d00:2:2001::1", 0 },
  { "lower priority wins among equal lengths",
    { { "2001:db8::/32", 1000 }, { "2001:db8::/32", 100 },
      { "2001:db8::/32", 500 } },
    3, "2001:db8:9::9", 1 },
  { "priority does not beat a longer prefix",
    { { "2001:db8::/32", 0 }, { "2001:db8:5::/48", 4000000000u } },
    2, "2001:db8:5::1", 1 },
  { "insertion order breaks full ties",
    { { "fd00::/8", 7 }, { "fd00::/8", 7 }, { "fd00::/8", 7 } },
    3, "fd12::1", 0 },
  { "::/0 catches everything",
    { { "2001:db8::/32", 0 }, { "::/0", 1000 } },
    2, "2607:f8b0:4004:c1b::64", 1 },
  { "::/0 matches the last address",
    { { "::/0", 0 } }, 1, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
  { "host route /128 wins",
    { { "::/0", 0 }, { "2001:db8::/32", 0 }, { "2001:db8::7/128", 50 },
      { "2001:db8::/64", 0 } },
    4, "2001:db8::7", 2 },
  { "host route /128 misses its neighbour",
    { { "2001:db8::7/128", 0 }, { "2001:db8::4/126", 0 } },
    2, "2001:db8::6", 1 },
  { "a /65 looks at the low half",
    { { "2001:db8:0:1::/64", 0 }, { "2001:db8:0:1:8000::/65", 0 } },
    2, "2001:db8:0:1:7fff::1", 0 },
  { "a /65 matches in the low half",
    { { "2001:db8:0:1::/64", 0 }, { "2001:db8:0:1:8000::/65", 0 } },
    2, "2001:db8:0:1:8000::1", 1 },
  { "a /63 ignores the low half",
    { { "2001:db8:0:2::/63", 0 } }, 1, "2001:db8:0:3:ffff::1", 0 },
  { "no match gives NULL",
    { { "2001:db8::/32", 0 }, { "fd00::/8", 0 }, { "2600::1/128", 0 } },
    3, "2600::2", -1 },
  { "empty table gives NULL", { { NULL, 0 } }, 0, "::1", -1 },
};

static SimIp6
addr_of (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

static void
test_route6__lookup_table (void **state)
{
  (void) state;
  for (size_t c = 0; c < G_N_ELEMENTS (lookup_cases); c++)
    {
      const LookupCase *tc = &lookup_cases[c];
      SimRoute6Table *table = sim_route6_table_new ();
      SimIp6 addr = addr_of (tc->addr);
      int values[6];
      const SimRoute6 *got;

      for (unsigned i = 0; i < tc->n_routes; i++)
        {
          SimIp6 prefix;
          uint8_t len;

          assert_true (sim_cidr6_parse (tc->routes[i].prefix, &prefix, &len));
          sim_route6_table_add (table, &prefix, len, tc->routes[i].priority,
                                &values[i]);
        }
      got = sim_route6_table_lookup (table, &addr);
      if (tc->want < 0 ? got != NULL
                       : got == NULL || got->value != &values[tc->want])
        fail_msg ("%s: got route %d", tc->name,
                  got == NULL ? -1 : (int) got->order);
      sim_route6_table_free (table);
    }
}

static void
test_route6__entries_keep_insertion_order (void **state)
{
  SimRoute6Table *table = sim_route6_table_new ();
  SimIp6 p0 = addr_of ("2600:2d00:2::"), zero = addr_of ("::");
  SimIp6 host = addr_of ("2600:2d00:2::9");
  int a, b, c;

  (void) state;
  sim_route6_table_add (table, &p0, 48, 3, &a);
  sim_route6_table_add (table, &zero, 0, 9, &b);
  sim_route6_table_add (table, &host, 128, 1, &c);
  assert_int_equal (sim_route6_table_size (table), 3);
  assert_true (sim_ipv6_equal (&sim_route6_table_entry (table, 0)->prefix,
                               &p0));
  assert_int_equal (sim_route6_table_entry (table, 0)->len, 48);
  assert_int_equal (sim_route6_table_entry (table, 0)->priority, 3);
  assert_ptr_equal (sim_route6_table_entry (table, 1)->value, &b);
  assert_int_equal (sim_route6_table_entry (table, 2)->len, 128);
  for (unsigned i = 0; i < 3; i++)
    assert_int_equal (sim_route6_table_entry (table, i)->order, i);
  assert_ptr_equal (sim_route6_table_lookup (table, &host),
                    sim_route6_table_entry (table, 2));
  sim_route6_table_free (table);
}

/* splitmix64: a fixed, seeded stream, so failures reproduce. */
static uint64_t
next_random (uint64_t *s)
{
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* The reference: scan every route, keep the strictly better one. */
static const SimRoute6 *
naive_lookup (const SimRoute6Table *table, const SimIp6 *addr)
{
  const SimRoute6 *best = NULL;

  for (unsigned i = 0; i < sim_route6_table_size (table); i++)
    {
      const SimRoute6 *r = sim_route6_table_entry (table, i);

      if (!sim_ipv6_in_prefix (addr, &r->prefix, r->len))
        continue;
      if (best == NULL || r->len > best->len
          || (r->len == best->len && r->priority < best->priority))
        best = r;
    }
  return best;
}

/* Addresses under 2600:2d00::/32 whose bits 48..71 and 120..127 vary
 * little, so prefixes nest and tie on both halves. */
static SimIp6
random_near (uint64_t r)
{
  SimIp6 a = addr_of ("2600:2d00::");

  a.b[6] = (uint8_t) (r & 1);
  a.b[7] = (uint8_t) (r >> 1 & 3);
  a.b[8] = (uint8_t) (r >> 3 & 0x81);
  a.b[15] = (uint8_t) (r >> 11 & 3);
  return a;
}

static void
test_route6__random_matches_linear_scan (void **state)
{
  SimRoute6Table *table = sim_route6_table_new ();
  uint64_t seed = 20261207;
  unsigned matched = 0;

  (void) state;
  for (unsigned i = 0; i < 300; i++)
    {
      uint64_t r = next_random (&seed);
      unsigned len = 33 + (unsigned) (r >> 20) % 96;     /* 33..128 */
      SimIp6 near = random_near (r);
      SimIp6 prefix = sim_ipv6_masked (&near, (uint8_t) len);

      sim_route6_table_add (table, &prefix, (uint8_t) len,
                            (uint32_t) ((r >> 40) % 4), GUINT_TO_POINTER (i));
    }
  for (unsigned i = 0; i < 10000; i++)
    {
      uint64_t r = next_random (&seed);
      SimIp6 addr = random_near (r);
      const SimRoute6 *want, *got;

      if (r >> 63)              /* half anywhere */
        for (int b = 0; b < 16; b++)
          addr.b[b] = (uint8_t) (next_random (&seed) >> 24);
      want = naive_lookup (table, &addr);
      got = sim_route6_table_lookup (table, &addr);
      if (want != got)
        fail_msg ("lookup %u: got %d, want %d", i,
                  got == NULL ? -1 : (int) got->order,
                  want == NULL ? -1 : (int) want->order);
      matched += want != NULL;
    }
  assert_true (matched > 1000);
  assert_true (matched < 10000);
  sim_route6_table_free (table);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_route6__lookup_table),
    cmocka_unit_test (test_route6__entries_keep_insertion_order),
    cmocka_unit_test (test_route6__random_matches_linear_scan),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
