/* Unit tests for sim/route.c: longest prefix match, priority and
 * insertion-order tie breaks, default and host routes, no match, and a
 * randomized comparison against a naive linear scan. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>

#include "sim/route.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

typedef struct {
  uint32_t prefix;
  uint8_t len;
  uint32_t priority;
} RouteSpec;

typedef struct {
  const char *name;
  RouteSpec routes[6];
  unsigned n_routes;
  uint32_t addr;
  int want;                     /* index into routes, -1 for no match */
} LookupCase;

static const LookupCase lookup_cases[] = {
  { "longest prefix wins over shorter",
    { { IP (10, 0, 0, 0), 8, 0 }, { IP (10, 1, 0, 0), 16, 5 },
      { IP (10, 1, 2, 0), 24, 9 }, { IP (10, 1, 0, 0), 17, 0 } },
    4, IP (10, 1, 2, 3), 2 },
  { "longest prefix wins, added first",
    { { IP (10, 1, 2, 0), 24, 9 }, { IP (10, 1, 0, 0), 16, 0 },
      { IP (10, 0, 0, 0), 8, 0 } },
    3, IP (10, 1, 2, 200), 0 },
  { "shorter prefix when the longer does not match",
    { { IP (10, 0, 0, 0), 8, 0 }, { IP (10, 1, 2, 0), 24, 0 } },
    2, IP (10, 1, 3, 1), 0 },
  { "lower priority wins among equal lengths",
    { { IP (10, 0, 0, 0), 8, 1000 }, { IP (10, 0, 0, 0), 8, 100 },
      { IP (10, 0, 0, 0), 8, 500 } },
    3, IP (10, 9, 9, 9), 1 },
  { "priority does not beat a longer prefix",
    { { IP (10, 0, 0, 0), 8, 0 }, { IP (10, 5, 0, 0), 16, 4000000000u } },
    2, IP (10, 5, 1, 1), 1 },
  { "insertion order breaks full ties",
    { { IP (192, 168, 0, 0), 16, 7 }, { IP (192, 168, 0, 0), 16, 7 },
      { IP (192, 168, 0, 0), 16, 7 } },
    3, IP (192, 168, 44, 1), 0 },
  { "default route catches everything",
    { { IP (10, 0, 0, 0), 8, 0 }, { 0, 0, 1000 } },
    2, IP (8, 8, 8, 8), 1 },
  { "default route matches 255.255.255.255",
    { { 0, 0, 0 } }, 1, IP (255, 255, 255, 255), 0 },
  { "host route /32 wins",
    { { 0, 0, 0 }, { IP (10, 0, 0, 0), 8, 0 },
      { IP (10, 0, 0, 7), 32, 50 }, { IP (10, 0, 0, 0), 24, 0 } },
    4, IP (10, 0, 0, 7), 2 },
  { "host route /32 misses its neighbour",
    { { IP (10, 0, 0, 7), 32, 0 }, { IP (10, 0, 0, 4), 30, 0 } },
    2, IP (10, 0, 0, 6), 1 },
  { "no match gives NULL",
    { { IP (10, 0, 0, 0), 8, 0 }, { IP (172, 16, 0, 0), 12, 0 },
      { IP (172, 32, 0, 0), 32, 0 } },
    3, IP (172, 32, 0, 1), -1 },
  { "empty table gives NULL", { { 0, 0, 0 } }, 0, IP (1, 2, 3, 4), -1 },
};

static void
test_route__lookup_table (void **state)
{
  (void) state;
  for (size_t c = 0; c < G_N_ELEMENTS (lookup_cases); c++)
    {
      const LookupCase *tc = &lookup_cases[c];
      SimRouteTable *table = sim_route_table_new ();
      int values[6];
      const SimRoute *got;

      for (unsigned i = 0; i < tc->n_routes; i++)
        sim_route_table_add (table, tc->routes[i].prefix, tc->routes[i].len,
                             tc->routes[i].priority, &values[i]);
      got = sim_route_table_lookup (table, tc->addr);
      if (tc->want < 0 ? got != NULL
                       : got == NULL || got->value != &values[tc->want])
        fail_msg ("%s: got route %d", tc->name,
                  got == NULL ? -1 : (int) got->order);
      sim_route_table_free (table);
    }
}

static void
test_route__entries_keep_insertion_order (void **state)
{
  SimRouteTable *table = sim_route_table_new ();
  int a, b, c;

  (void) state;
  sim_route_table_add (table, IP (10, 1, 0, 0), 16, 3, &a);
  sim_route_table_add (table, 0, 0, 9, &b);
  sim_route_table_add (table, IP (10, 1, 2, 3), 32, 1, &c);
  assert_int_equal (sim_route_table_size (table), 3);
  assert_int_equal (sim_route_table_entry (table, 0)->prefix,
                    IP (10, 1, 0, 0));
  assert_int_equal (sim_route_table_entry (table, 0)->len, 16);
  assert_int_equal (sim_route_table_entry (table, 0)->priority, 3);
  assert_ptr_equal (sim_route_table_entry (table, 1)->value, &b);
  assert_int_equal (sim_route_table_entry (table, 2)->len, 32);
  for (unsigned i = 0; i < 3; i++)
    assert_int_equal (sim_route_table_entry (table, i)->order, i);
  /* The lookup result is the table's entry itself. */
  assert_ptr_equal (sim_route_table_lookup (table, IP (10, 1, 9, 9)),
                    sim_route_table_entry (table, 0));
  sim_route_table_free (table);
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

static uint32_t
mask_of (unsigned len)
{
  return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

/* The reference: scan every route, keep the strictly better one. */
static const SimRoute *
naive_lookup (const SimRouteTable *table, uint32_t addr)
{
  const SimRoute *best = NULL;

  for (unsigned i = 0; i < sim_route_table_size (table); i++)
    {
      const SimRoute *r = sim_route_table_entry (table, i);

      if ((addr & mask_of (r->len)) != r->prefix)
        continue;
      if (best == NULL || r->len > best->len
          || (r->len == best->len && r->priority < best->priority))
        best = r;
    }
  return best;
}

static void
test_route__random_matches_linear_scan (void **state)
{
  SimRouteTable *table = sim_route_table_new ();
  uint64_t seed = 20240611;
  unsigned matched = 0;

  (void) state;
  /* Prefixes drawn under 10.0.0.0/14 so that they nest and tie often;
   * lengths 1..32, so addresses from 128.0.0.0 up never match (the
   * default route has its own case above). */
  for (unsigned i = 0; i < 200; i++)
    {
      uint64_t r = next_random (&seed);
      unsigned len = 1 + (unsigned) (r % 32);
      uint32_t addr = (uint32_t) (r >> 32);

      addr = (addr & 0x0300FFFFu) | (10u << 24)
             | ((uint32_t) ((r >> 8) & 3) << 16);
      sim_route_table_add (table, addr & mask_of (len), (uint8_t) len,
                           (uint32_t) ((r >> 12) % 4), GUINT_TO_POINTER (i));
    }
  for (unsigned i = 0; i < 10000; i++)
    {
      uint64_t r = next_random (&seed);
      uint32_t addr = (uint32_t) r;
      const SimRoute *want, *got;

      if (r >> 63)   /* half near the routes, half anywhere */
        addr = (addr & 0x0300FFFFu) | (10u << 24)
               | ((uint32_t) ((r >> 40) & 3) << 16);
      want = naive_lookup (table, addr);
      got = sim_route_table_lookup (table, addr);
      if (want != got)
        fail_msg ("lookup %u of %08x: got %d, want %d", i, addr,
                  got == NULL ? -1 : (int) got->order,
                  want == NULL ? -1 : (int) want->order);
      matched += want != NULL;
    }
  /* The comparison means something only if both outcomes occur. */
  assert_true (matched > 1000);
  assert_true (matched < 10000);
  sim_route_table_free (table);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_route__lookup_table),
    cmocka_unit_test (test_route__entries_keep_insertion_order),
    cmocka_unit_test (test_route__random_matches_linear_scan),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
