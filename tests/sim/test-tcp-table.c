/* Unit tests for sim/tcp-table.c: random inserts and removes against a
 * plain array, with keys crowded into a few addresses and ports so runs
 * collide and wrap, through growth and back down to empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include "sim/rng.h"
#include "sim/tcp-table.h"

#define KEYS 3000

static SimTcpKey
key_of (uint32_t i)
{
  /* Few addresses and ports: many keys share most of their bits. */
  return (SimTcpKey) { 0x0a000001u + i % 3, 0x0a000101u + i % 7,
                       (uint16_t) (32768 + i / 21), (uint16_t) (443 + i % 2),
                       0 };
}

/* Every key's value is what the reference says, and len counts them. */
static void
check_all (const SimTcpTable *t, void *const *ref)
{
  uint32_t n = 0;

  for (uint32_t i = 0; i < KEYS; i++)
    {
      SimTcpKey k = key_of (i);

      assert_ptr_equal (sim_tcp_table_lookup (t, &k), ref[i]);
      n += ref[i] != NULL;
    }
  assert_int_equal (t->len, n);
}

static void
test_tcp_table__matches_reference (void **state)
{
  static int values[KEYS];
  void *ref[KEYS] = { 0 };
  SimTcpTable t;
  SimRng rng;

  (void) state;
  sim_rng_init (&rng, 1, "test", "tcp-table");
  sim_tcp_table_init (&t);
  for (int round = 0; round < 3; round++)
    {
      /* Grow to most keys, then churn, then drain. */
      for (int n = 0; n < 40000; n++)
        {
          uint32_t i = sim_rng_below (&rng, KEYS);
          SimTcpKey k = key_of (i);
          bool add = n < 20000 ? sim_rng_below (&rng, 4) != 0
                               : sim_rng_below (&rng, 2) == 0;

          if (add && ref[i] == NULL)
            {
              sim_tcp_table_insert (&t, &k, &values[i]);
              ref[i] = &values[i];
            }
          else if (!add)
            {
              sim_tcp_table_remove (&t, &k);
              ref[i] = NULL;
            }
          if (n % 4000 == 0)
            check_all (&t, ref);
        }
      check_all (&t, ref);
      for (uint32_t i = 0; i < KEYS; i++)
        {
          SimTcpKey k = key_of (i);

          sim_tcp_table_remove (&t, &k);
          ref[i] = NULL;
        }
      check_all (&t, ref);
    }
  assert_int_equal (t.len, 0);
  sim_tcp_table_clear (&t);
}

/* IPv6 keys differ from each other and from IPv4 keys by their pair
 * number alone (sim/tcp6.c: their addresses are 0): enough of them that
 * their probe runs meet, each is found with its own value, and removing
 * one leaves the others. */
#define PAIRS 1000

static void
test_tcp_table__pair6_tells_keys_apart (void **state)
{
  static int values[PAIRS];
  SimTcpTable t;

  (void) state;
  sim_tcp_table_init (&t);
  for (uint32_t i = 0; i < PAIRS; i++)
    {
      SimTcpKey k = { 0, 0, 49152, 80, i };

      assert_null (sim_tcp_table_lookup (&t, &k));
      sim_tcp_table_insert (&t, &k, &values[i]);
    }
  assert_int_equal (t.len, PAIRS);
  sim_tcp_table_remove (&t, &(SimTcpKey) { 0, 0, 49152, 80, 2 });
  for (uint32_t i = 0; i < PAIRS; i++)
    {
      SimTcpKey k = { 0, 0, 49152, 80, i };

      assert_ptr_equal (sim_tcp_table_lookup (&t, &k),
                        i == 2 ? NULL : &values[i]);
    }
  assert_int_equal (t.len, PAIRS - 1);
  sim_tcp_table_clear (&t);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_tcp_table__matches_reference),
    cmocka_unit_test (test_tcp_table__pair6_tells_keys_apart),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
