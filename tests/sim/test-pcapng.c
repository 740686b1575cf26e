/* Unit tests for sim/pcapng.c: the exact bytes of SHB, IDB, EPB and DSB blocks
 * (checked by hand against draft-ietf-opsawg-pcapng), tshark reading the
 * same blocks back, option truncation, and sticky write errors. */
#define _DEFAULT_SOURCE 1       /* open_memstream, fmemopen */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pcapng.h"

#define U16(x) ((x) & 0xFF), (((x) >> 8) & 0xFF)
#define U32(x) ((x) & 0xFF), (((x) >> 8) & 0xFF), (((x) >> 16) & 0xFF), \
  (((x) >> 24) & 0xFF)

static const uint8_t epb0_data[5] = { 0xDE, 0xAD, 0xBE, 0xEF, 0x01 };
static const uint8_t epb1_data[14] = {
  0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00
};

/* The sample: what write_sample() must produce, little-endian. */
static const uint8_t sample[] = {
  /* SHB, 68 bytes */
  U32 (0x0A0D0D0A),             /* block type */
  U32 (68),                     /* block total length */
  U32 (0x1A2B3C4D),             /* byte-order magic */
  U16 (1), U16 (0),             /* version 1.0 */
  U32 (0xFFFFFFFF), U32 (0xFFFFFFFF), /* section length -1 */
  U16 (1), U16 (2), 'h', 'i', 0, 0,   /* opt_comment "hi" + 2 pad */
  U16 (2), U16 (3), 's', 'i', 'm', 0, /* shb_hardware "sim" + 1 pad */
  U16 (3), U16 (5), 'l', 'i', 'n', 'u', 'x', 0, 0, 0, /* shb_os + 3 pad */
  U16 (4), U16 (4), 't', 'e', 's', 't', /* shb_userappl "test", no pad */
  U16 (0), U16 (0),             /* opt_endofopt */
  U32 (68),                     /* block total length */

  /* IDB 0, 64 bytes */
  U32 (1),                      /* block type */
  U32 (64),                     /* block total length */
  U16 (1), U16 (0),             /* LINKTYPE_ETHERNET, reserved */
  U32 (65535),                  /* snaplen */
  U16 (2), U16 (6), 'a', '/', 'e', 't', 'h', '0', 0, 0, /* if_name + 2 pad */
  U16 (3), U16 (16), 'l', 'i', 'n', 'k', ' ', 'L', ' ', 't', 'o', ' ',
  'b', '/', 'e', 't', 'h', '0', /* if_description, 16 bytes, no pad */
  U16 (9), U16 (1), 9, 0, 0, 0, /* if_tsresol = 9 (ns) + 3 pad */
  U16 (0), U16 (0),             /* opt_endofopt */
  U32 (64),                     /* block total length */

  /* IDB 1, 44 bytes: no description */
  U32 (1), U32 (44), U16 (1), U16 (0), U32 (65535),
  U16 (2), U16 (6), 'b', '/', 'e', 't', 'h', '0', 0, 0, /* if_name */
  U16 (9), U16 (1), 9, 0, 0, 0, /* if_tsresol */
  U16 (0), U16 (0),             /* opt_endofopt */
  U32 (44),

  /* EPB on interface 0 at 5.000000001 s, 5 bytes, two comments (one
   * option each); 64 bytes */
  U32 (6),                      /* block type */
  U32 (64),                     /* block total length */
  U32 (0),                      /* interface id */
  U32 (1),                      /* timestamp high: 5000000001 >> 32 */
  U32 (0x2A05F201),             /* timestamp low: 5000000001 & 0xFFFFFFFF */
  U32 (5), U32 (5),             /* captured, original length */
  0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0, 0, 0, /* data + 3 pad */
  U16 (1), U16 (6), 'd', 'e', 'n', 'y', ' ', '1', 0, 0, /* opt_comment */
  U16 (1), U16 (4), 'D', 'R', 'O', 'P', /* opt_comment, no pad */
  U16 (0), U16 (0),             /* opt_endofopt */
  U32 (64),                     /* block total length */

  /* EPB on interface 1 at 1000 ns, 14 of 60 bytes, no options; 48 bytes */
  U32 (6), U32 (48),
  U32 (1),                      /* interface id */
  U32 (0), U32 (1000),          /* timestamp high, low */
  U32 (14), U32 (60),           /* captured, original length */
  0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00, 0, 0,
  U32 (48),                     /* block total length; no opt_endofopt */
};

static void
write_sample (SimPcapng *w)
{
  assert_true (sim_pcapng_write_section (w, "sim", "linux", "test", "hi"));
  assert_true (sim_pcapng_write_interface (w, 1, 65535, "a/eth0",
                                           "link L to b/eth0"));
  assert_true (sim_pcapng_write_interface (w, 1, 65535, "b/eth0", NULL));
  assert_true (sim_pcapng_write_packet (w, 0, 5000000001ull, epb0_data,
                                        sizeof epb0_data, sizeof epb0_data,
                                        (const char *[]) { "deny 1", "DROP" }, 2));
  assert_true (sim_pcapng_write_packet (w, 1, 1000, epb1_data,
                                        sizeof epb1_data, 60, NULL, 0));
}

static void
test_pcapng__blocks_match_spec_bytes (void **state)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream (&buf, &size);
  SimPcapng w;

  (void) state;
  assert_non_null (f);
  sim_pcapng_init (&w, f);
  write_sample (&w);
  assert_int_equal (w.n_interfaces, 2);
  assert_int_equal (fclose (f), 0);
  assert_false (w.error != 0);
  assert_int_equal (w.bytes, sizeof sample);
  assert_int_equal (size, sizeof sample);
  for (size_t i = 0; i < sizeof sample; i++)
    if ((uint8_t) buf[i] != sample[i])
      fail_msg ("byte %zu: got 0x%02x, want 0x%02x", i, (uint8_t) buf[i],
                sample[i]);
  free (buf);
}

/* DSB: type 0x0000000A, total length, secrets type "TLSK", secrets
 * length, the secrets padded to 4, no options, total length again. */
static void
test_pcapng__secrets_block_bytes (void **state)
{
  static const uint8_t want[] = {
    U32 (0x0000000A), U32 (28), U32 (0x544c534b), U32 (6),
    'a', 'b', 'c', 'd', 'e', '\n', 0, 0, U32 (28),
  };
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream (&buf, &size);
  SimPcapng w;

  (void) state;
  assert_non_null (f);
  sim_pcapng_init (&w, f);
  assert_true (sim_pcapng_write_secrets (&w, SIM_PCAPNG_SECRETS_TLS,
                                         (const uint8_t *) "abcde\n", 6));
  assert_int_equal (fclose (f), 0);
  assert_int_equal (w.bytes, sizeof want);
  assert_int_equal (size, sizeof want);
  assert_memory_equal (buf, want, sizeof want);
  free (buf);
}

/* Runs tshark on path; returns its stdout, or NULL when it failed. */
static char *
run_tshark (const char *path)
{
  const char *argv[] = {
    "tshark", "-r", path, "-T", "fields", "-e", "frame.comment",
    "-e", "frame.interface_name", "-e", "frame.interface_description",
    "-e", "frame.time_epoch", NULL
  };
  char *out = NULL;
  int status = 0;
  GError *error = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                     NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      print_error ("tshark: %s\n", error->message);
      g_error_free (error);
      g_free (out);
      return NULL;
    }
  return out;
}

static void
test_pcapng__tshark_reads_names_and_comment (void **state)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  SimPcapng w;
  FILE *f;
  int fd;

  (void) state;
  if (tshark == NULL)
    skip ();
  fd = g_file_open_tmp ("test-pcapng-XXXXXX.pcapng", &path, NULL);
  assert_true (fd >= 0);
  f = fdopen (fd, "wb");
  assert_non_null (f);
  sim_pcapng_init (&w, f);
  write_sample (&w);
  assert_int_equal (fclose (f), 0);
  out = run_tshark (path);
  g_unlink (path);
  assert_non_null (out);
  assert_string_equal (out,
                       "deny 1,DROP\ta/eth0\tlink L to b/eth0\t5.000000001\n"
                       "\tb/eth0\t\t0.000001000\n");
}

static uint32_t
le32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16
         | (uint32_t) p[3] << 24;
}

/* An option longer than 65535 bytes is cut at a UTF-8 boundary; a section
 * without options has no opt_endofopt. */
static void
test_pcapng__long_comment_cut_at_character (void **state)
{
  static const uint8_t bare_shb[] = {
    U32 (0x0A0D0D0A), U32 (28), U32 (0x1A2B3C4D), U16 (1), U16 (0),
    U32 (0xFFFFFFFF), U32 (0xFFFFFFFF), U32 (28),
  };
  g_autofree char *comment = g_malloc (65534 + 3);
  char *buf = NULL;
  size_t size = 0;
  FILE *f = open_memstream (&buf, &size);
  const uint8_t *epb;
  SimPcapng w;

  (void) state;
  memset (comment, 'a', 65534);
  memcpy (comment + 65534, "\xC3\xA9", 3);      /* U+00E9, 2 bytes + NUL */
  sim_pcapng_init (&w, f);
  assert_true (sim_pcapng_write_section (&w, NULL, NULL, NULL, NULL));
  assert_true (sim_pcapng_write_interface (&w, 1, 65535, NULL, NULL));
  assert_true (sim_pcapng_write_packet (&w, 0, 0, NULL, 0, 0,
                                         (const char *[]) { comment }, 1));
  assert_int_equal (fclose (f), 0);
  assert_memory_equal (buf, bare_shb, sizeof bare_shb);
  epb = (const uint8_t *) buf + 28 + 32;        /* after SHB, bare IDB */
  /* 32 fixed + 4 + 65534 + 2 pad + 4 endofopt = 65576 */
  assert_int_equal (size, 28 + 32 + 65576);
  assert_int_equal (le32 (epb + 4), 65576);
  assert_int_equal (epb[28] | epb[29] << 8, 1);           /* opt_comment */
  assert_int_equal (epb[30] | epb[31] << 8, 65534);       /* cut before é */
  assert_int_equal (le32 (epb + 65576 - 4), 65576);
  free (buf);
}

typedef enum { SINK_DEV_FULL, SINK_SMALL_MEMORY } Sink;

typedef struct {
  const char *name;
  Sink sink;
  uint32_t packet_bytes;        /* one EPB of this size after the header */
  bool fails_in_write;          /* too big for stdio's buffer */
} WriteErrorCase;

static const WriteErrorCase write_error_cases[] = {
  { "/dev/full, buffered until fflush", SINK_DEV_FULL, 64, false },
  { "/dev/full, larger than the buffer", SINK_DEV_FULL, 1 << 16, true },
  { "16-byte memory buffer", SINK_SMALL_MEMORY, 64, false },
};

static void
test_pcapng__write_errors_are_sticky (void **state)
{
  static uint8_t packet[1 << 16];
  char small[16];

  (void) state;
  for (size_t c = 0; c < G_N_ELEMENTS (write_error_cases); c++)
    {
      const WriteErrorCase *tc = &write_error_cases[c];
      FILE *f = tc->sink == SINK_DEV_FULL ? fopen ("/dev/full", "wb")
                                          : fmemopen (small, sizeof small,
                                                      "wb");
      SimPcapng w;
      bool ok;
      uint64_t bytes;

      assert_non_null (f);
      sim_pcapng_init (&w, f);
      ok = sim_pcapng_write_section (&w, "sim", "linux", "test", NULL)
           && sim_pcapng_write_interface (&w, 1, 65535, "a/eth0", NULL)
           && sim_pcapng_write_packet (&w, 0, 1, packet, tc->packet_bytes,
                                       tc->packet_bytes, NULL, 0);
      if (ok == tc->fails_in_write)
        fail_msg ("%s: write returned %d", tc->name, ok);
      fflush (f);
      if (!sim_pcapng_failed (&w))
        fail_msg ("%s: failure not seen after fflush", tc->name);
      if (tc->fails_in_write)
        {
          assert_int_equal (w.error, ENOSPC);
          bytes = w.bytes;
          assert_false (sim_pcapng_write_packet (&w, 0, 2, packet, 4, 4,
                                                 NULL, 0));
          assert_int_equal (w.bytes, bytes);
          assert_int_equal (w.error, ENOSPC);
        }
      fclose (f);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pcapng__blocks_match_spec_bytes),
    cmocka_unit_test (test_pcapng__secrets_block_bytes),
    cmocka_unit_test (test_pcapng__tshark_reads_names_and_comment),
    cmocka_unit_test (test_pcapng__long_comment_cut_at_character),
    cmocka_unit_test (test_pcapng__write_errors_are_sticky),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
