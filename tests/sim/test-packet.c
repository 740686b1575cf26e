/* Tests for sim/packet.c: the pool recycles packets without allocating,
 * cuts new ones side by side from aligned slabs, keeps honest counters,
 * hands out clean metadata, and the byte
 * operations move data within the buffer and refuse to leave it. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, dup2 */

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/packet.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

/* Runs fn in a child process; true when it died on a signal (a failed
 * g_assert aborts). The child's stdout and stderr are discarded: glib
 * prints "Bail out!" on stdout, which must not reach the TAP stream. */
static bool
aborts (void (*fn) (void))
{
  pid_t pid = fork ();
  int status;

  assert_true (pid >= 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);
      if (null >= 0)
        {
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
        }
      fn ();
      _exit (0);
    }
  assert_int_equal (waitpid (pid, &status, 0), pid);
  return WIFSIGNALED (status);
}

static void
test_packet__new_has_headroom_and_no_data (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool);
  (void) state;
  assert_non_null (p);
  assert_ptr_equal (p->data, p->buf + SIM_PACKET_HEADROOM);
  assert_int_equal (p->len, 0);
  assert_int_equal (p->request_id, 0);
  assert_null (p->next);
  assert_int_equal (sim_packet_headroom (p), SIM_PACKET_HEADROOM);
  assert_int_equal (sim_packet_tailroom (p),
                    SIM_PACKET_SIZE - SIM_PACKET_HEADROOM);
  sim_packet_release (pool, p);
  sim_packet_pool_free (pool);
}

static void
test_packet__recycled_packet_comes_back_clean (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *other = sim_packet_new (pool);
  SimPacket *p = sim_packet_new (pool), *q;
  (void) state;
  sim_packet_release (pool, other);     /* p->next will point at it */
  sim_packet_prepend (p, 40);
  sim_packet_append (p, 100);
  p->request_id = 7;
  sim_packet_release (pool, p);
  q = sim_packet_new (pool);
  assert_ptr_equal (q, p);      /* reused, not a new allocation */
  assert_ptr_equal (q->data, q->buf + SIM_PACKET_HEADROOM);
  assert_int_equal (q->len, 0);
  assert_int_equal (q->request_id, 0);
  assert_null (q->next);
  sim_packet_release (pool, q);
  assert_int_equal (sim_packet_pool_allocated (pool), 2);
  sim_packet_pool_free (pool);
}

static void
test_packet__pool_grows_to_working_set_only (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *held[32];
  (void) state;
  assert_int_equal (sim_packet_pool_allocated (pool), 0);
  for (int round = 0; round < 100; round++)
    {
      for (size_t i = 0; i < N_ELEMENTS (held); i++)
        held[i] = sim_packet_new (pool);
      assert_int_equal (sim_packet_pool_in_use (pool), N_ELEMENTS (held));
      for (size_t i = 0; i < N_ELEMENTS (held); i++)
        sim_packet_release (pool, held[i]);
      assert_int_equal (sim_packet_pool_in_use (pool), 0);
    }
  assert_int_equal (sim_packet_pool_allocated (pool), N_ELEMENTS (held));
  sim_packet_pool_free (pool);
}

/* Fresh packets are cut side by side from slabs aligned to 2 MiB (huge
 * pages): a run's packets in flight share few pages. */
static void
test_packet__fresh_packets_share_aligned_slabs (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  static SimPacket *held[3000];
  size_t adjacent = 0, aligned = 0;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (held); i++)
    held[i] = sim_packet_new (pool);
  for (size_t i = 0; i < N_ELEMENTS (held); i++)
    {
      adjacent += i > 0 && held[i] == held[i - 1] + 1;
      aligned += (uintptr_t) held[i] % ((uintptr_t) 2 << 20) == 0;
    }
  assert_ptr_equal ((uintptr_t) held[0] % ((uintptr_t) 2 << 20), 0);
  /* Two slab boundaries at most among 3000 packets of 2 KiB. */
  assert_true (adjacent >= N_ELEMENTS (held) - 3);
  /* Each packet that does not follow the one before starts a slab. */
  assert_int_equal (aligned, N_ELEMENTS (held) - adjacent);
  for (size_t i = 0; i < N_ELEMENTS (held); i++)
    sim_packet_release (pool, held[i]);
  assert_int_equal (sim_packet_pool_allocated (pool), N_ELEMENTS (held));
  sim_packet_pool_free (pool);
}

static void
test_packet__counters_follow_new_copy_release (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *a = sim_packet_new (pool);
  SimPacket *b = sim_packet_copy (pool, a);
  SimPacket *c;
  (void) state;
  assert_int_equal (sim_packet_pool_in_use (pool), 2);
  assert_int_equal (sim_packet_pool_allocated (pool), 2);
  sim_packet_release (pool, a);
  assert_int_equal (sim_packet_pool_in_use (pool), 1);
  c = sim_packet_new (pool);
  assert_int_equal (sim_packet_pool_in_use (pool), 2);
  assert_int_equal (sim_packet_pool_allocated (pool), 2);
  sim_packet_release (pool, b);
  sim_packet_release (pool, c);
  assert_int_equal (sim_packet_pool_in_use (pool), 0);
  sim_packet_pool_free (pool);
}

static void
test_packet__byte_operations_move_data (void **state)
{
  static const struct {
    const char *op;             /* "prepend", "append" or "strip" */
    uint32_t n;
    uint32_t headroom, len;     /* after the operation */
  } steps[] = {
    { "append", 100, SIM_PACKET_HEADROOM, 100 },
    { "prepend", 20, SIM_PACKET_HEADROOM - 20, 120 },
    { "prepend", 14, SIM_PACKET_HEADROOM - 34, 134 },
    { "strip", 14, SIM_PACKET_HEADROOM - 20, 120 },
    { "append", 0, SIM_PACKET_HEADROOM - 20, 120 },
    { "prepend", SIM_PACKET_HEADROOM - 20, 0, SIM_PACKET_HEADROOM + 100 },
    { "strip", SIM_PACKET_HEADROOM + 100, SIM_PACKET_HEADROOM + 100, 0 },
  };
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool);
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (steps); i++)
    {
      uint8_t *old_data = p->data, *r;
      uint32_t old_len = p->len;

      if (strcmp (steps[i].op, "append") == 0)
        {
          r = sim_packet_append (p, steps[i].n);
          assert_ptr_equal (r, old_data + old_len);
          memset (r, 0xab, steps[i].n);
        }
      else if (strcmp (steps[i].op, "prepend") == 0)
        {
          r = sim_packet_prepend (p, steps[i].n);
          assert_ptr_equal (r, p->data);
          assert_ptr_equal (r, old_data - steps[i].n);
        }
      else
        sim_packet_strip (p, steps[i].n);
      assert_int_equal (sim_packet_headroom (p), steps[i].headroom);
      assert_int_equal (p->len, steps[i].len);
      assert_int_equal (sim_packet_headroom (p) + p->len
                        + sim_packet_tailroom (p), SIM_PACKET_SIZE);
    }
  sim_packet_release (pool, p);
  sim_packet_pool_free (pool);
}

static void
test_packet__copy_keeps_bytes_offset_and_metadata (void **state)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool), *q;
  uint8_t *bytes;
  (void) state;
  bytes = sim_packet_append (p, 64);
  for (int i = 0; i < 64; i++)
    bytes[i] = (uint8_t) i;
  sim_packet_prepend (p, 42)[0] = 0x5a;
  p->request_id = 99;
  q = sim_packet_copy (pool, p);
  assert_ptr_not_equal (q, p);
  assert_int_equal (sim_packet_headroom (q), sim_packet_headroom (p));
  assert_int_equal (q->len, p->len);
  assert_memory_equal (q->data, p->data, p->len);
  assert_int_equal (q->request_id, 99);
  assert_null (q->next);
  /* The copy owns its bytes. */
  q->data[0] = 0;
  assert_int_equal (p->data[0], 0x5a);
  sim_packet_release (pool, p);
  sim_packet_release (pool, q);
  sim_packet_pool_free (pool);
}

static void
prepend_past_headroom (void)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  sim_packet_prepend (sim_packet_new (pool), SIM_PACKET_HEADROOM + 1);
}

static void
append_past_tailroom (void)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  sim_packet_append (sim_packet_new (pool),
                     SIM_PACKET_SIZE - SIM_PACKET_HEADROOM + 1);
}

static void
strip_past_length (void)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool);
  sim_packet_append (p, 10);
  sim_packet_strip (p, 11);
}

static void
release_twice (void)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool);
  sim_packet_new (pool);        /* so in_use stays above 0 */
  sim_packet_release (pool, p);
  sim_packet_release (pool, p);
}

static void
free_pool_in_use (void)
{
  SimPacketPool *pool = sim_packet_pool_new ();
  sim_packet_new (pool);
  sim_packet_pool_free (pool);
}

static void
exact_fits (void)               /* the control: must not abort */
{
  SimPacketPool *pool = sim_packet_pool_new ();
  SimPacket *p = sim_packet_new (pool);
  sim_packet_prepend (p, SIM_PACKET_HEADROOM);
  sim_packet_append (p, SIM_PACKET_SIZE - SIM_PACKET_HEADROOM);
  sim_packet_strip (p, SIM_PACKET_SIZE);
  sim_packet_release (pool, p);
  sim_packet_pool_free (pool);
}

static void
test_packet__misuse_aborts (void **state)
{
  static const struct {
    const char *name;
    void (*fn) (void);
    bool aborts;
  } cases[] = {
    { "prepend past headroom", prepend_past_headroom, true },
    { "append past tailroom", append_past_tailroom, true },
    { "strip past length", strip_past_length, true },
    { "release twice", release_twice, true },
    { "free pool with packets in use", free_pool_in_use, true },
    { "exact fits", exact_fits, false },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    if (aborts (cases[i].fn) != cases[i].aborts)
      fail_msg ("%s: expected %s", cases[i].name,
                cases[i].aborts ? "an abort" : "no abort");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_packet__new_has_headroom_and_no_data),
    cmocka_unit_test (test_packet__recycled_packet_comes_back_clean),
    cmocka_unit_test (test_packet__pool_grows_to_working_set_only),
    cmocka_unit_test (test_packet__fresh_packets_share_aligned_slabs),
    cmocka_unit_test (test_packet__counters_follow_new_copy_release),
    cmocka_unit_test (test_packet__byte_operations_move_data),
    cmocka_unit_test (test_packet__copy_keeps_bytes_offset_and_metadata),
    cmocka_unit_test (test_packet__misuse_aborts),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
