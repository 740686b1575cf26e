/* A minimal pcapng writer: section header, interface description,
 * enhanced packet and decryption secrets blocks
 * (draft-ietf-opsawg-pcapng).
 *
 * Called by sim/capture.c for trace.pcapng, and by tests.
 *
 * Invariants:
 * - Every block is written as: type, total length, body, options, total
 *   length; the total length is computed before the first byte is written
 *   and is a multiple of 4 (every variable field is padded with zeros).
 * - Integers are written little-endian whatever the host, so the output is
 *   byte-identical everywhere (the byte-order magic tells readers so).
 * - The first failure is sticky: w->error keeps its errno and every later
 *   write is skipped. w->bytes counts the bytes handed to stdio.
 * - Nothing here allocates. */
#include "sim/pcapng.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BT_DSB 0x0000000Au
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define OPT_SHB_HARDWARE 2
#define OPT_SHB_OS 3
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_DESCRIPTION 3
#define OPT_IF_TSRESOL 9

#define TSRESOL_NANOSECONDS 9   /* 10^-9 s */

/* Type, total length, ..., total length. */
#define BLOCK_FRAME 12u

static uint32_t
pad4 (uint64_t n)
{
  return (uint32_t) ((4 - (n & 3)) & 3);
}

/* Length an option value will have: a string is cut to what fits the
 * 16-bit option length, at a UTF-8 character boundary. */
static uint16_t
option_string_len (const char *s)
{
  size_t n = strlen (s);

  if (n <= UINT16_MAX)
    return (uint16_t) n;
  n = UINT16_MAX;
  while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
    n--;
  return (uint16_t) n;
}

/* Bytes of one option (code, length, value, padding); 0 for a NULL one. */
static uint32_t
option_size (const char *s)
{
  uint16_t n;

  if (s == NULL)
    return 0;
  n = option_string_len (s);
  return 4u + n + pad4 (n);
}

#define EPB_FAST_MAX 8192u   /* a whole simulated frame (2048) and its
                                 usual comments fit */

static bool
emit (SimPcapng *w, const void *data, size_t n)
{
  if (w->error != 0)
    return false;
  if (n == 0)
    return true;
  if (w->block)
    {
      if (!sim_block_out_write (w->block, data, n))
        {
          w->error = w->block->error;
          return false;
        }
      w->bytes += n;
      return true;
    }
  errno = 0;
  /* One writer per stream (the capture's thread): no stdio locking. */
  if (fwrite_unlocked (data, 1, n, w->out) != n)
    {
      w->error = errno != 0 ? errno : EIO;
      return false;
    }
  w->bytes += n;
  return true;
}

static bool
emit_u16 (SimPcapng *w, uint16_t v)
{
  uint8_t b[2] = { (uint8_t) v, (uint8_t) (v >> 8) };

  return emit (w, b, sizeof b);
}

static bool
emit_u32 (SimPcapng *w, uint32_t v)
{
  uint8_t b[4] = { (uint8_t) v, (uint8_t) (v >> 8), (uint8_t) (v >> 16),
                   (uint8_t) (v >> 24) };

  return emit (w, b, sizeof b);
}

static bool
emit_pad (SimPcapng *w, uint64_t n)
{
  static const uint8_t zeros[4];

  return emit (w, zeros, pad4 (n));
}

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |         Option Code           |         Option Length         |
 * +-------------------------------+-------------------------------+
 * /      Option Value (Option Length bytes, zero-padded to 4)     /
 * +---------------------------------------------------------------+
 * A NULL string writes nothing. */
static bool
emit_option_string (SimPcapng *w, uint16_t code, const char *s)
{
  uint16_t n;

  if (s == NULL)
    return w->error == 0;
  n = option_string_len (s);
  return emit_u16 (w, code) && emit_u16 (w, n) && emit (w, s, n)
         && emit_pad (w, n);
}

static bool
emit_endofopt (SimPcapng *w)
{
  return emit_u16 (w, OPT_ENDOFOPT) && emit_u16 (w, 0);
}

void
sim_pcapng_init (SimPcapng *w, FILE *out)
{
  g_assert (out != NULL);
  memset (w, 0, sizeof *w);
  w->out = out;
}

void
sim_pcapng_init_block (SimPcapng *w, SimBlockOut *block)
{
  sim_pcapng_init (w, block->file);
  w->block = block;
}

/* Section Header Block:
 *  0                   1                   2                   3
 * +---------------------------------------------------------------+
 * |                   Block Type = 0x0A0D0D0A                     |
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+
 * |                 Byte-Order Magic = 0x1A2B3C4D                 |
 * +-------------------------------+-------------------------------+
 * |      Major Version = 1        |      Minor Version = 0        |
 * +-------------------------------+-------------------------------+
 * |              Section Length = -1 (64 bits, unknown)           |
 * +---------------------------------------------------------------+
 * /  opt_comment (1), shb_hardware (2), shb_os (3),               /
 * /  shb_userappl (4), opt_endofopt: each only when given         /
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+ */
bool
sim_pcapng_write_section (SimPcapng *w, const char *hardware,
                          const char *os, const char *application,
                          const char *comment)
{
  uint32_t opts = option_size (comment) + option_size (hardware)
                  + option_size (os) + option_size (application);
  uint32_t total;

  if (opts > 0)
    opts += 4;                  /* opt_endofopt */
  total = BLOCK_FRAME + 16 + opts;
  return emit_u32 (w, BT_SHB) && emit_u32 (w, total)
         && emit_u32 (w, BYTE_ORDER_MAGIC) && emit_u16 (w, 1)
         && emit_u16 (w, 0) && emit_u32 (w, UINT32_MAX)
         && emit_u32 (w, UINT32_MAX)
         && emit_option_string (w, OPT_COMMENT, comment)
         && emit_option_string (w, OPT_SHB_HARDWARE, hardware)
         && emit_option_string (w, OPT_SHB_OS, os)
         && emit_option_string (w, OPT_SHB_USERAPPL, application)
         && (opts == 0 || emit_endofopt (w)) && emit_u32 (w, total);
}

/* Interface Description Block:
 *  0                   1                   2                   3
 * +---------------------------------------------------------------+
 * |                    Block Type = 0x00000001                    |
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +-------------------------------+-------------------------------+
 * |           LinkType            |        Reserved = 0           |
 * +-------------------------------+-------------------------------+
 * |                            SnapLen                            |
 * +---------------------------------------------------------------+
 * /  if_name (2), if_description (3) when given;                  /
 * /  if_tsresol (9) = 9, 1 byte + 3 padding; opt_endofopt         /
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+ */
bool
sim_pcapng_write_interface (SimPcapng *w, uint16_t linktype,
                            uint32_t snaplen, const char *name,
                            const char *description)
{
  static const uint8_t tsresol[4] = { TSRESOL_NANOSECONDS, 0, 0, 0 };
  uint32_t opts = option_size (name) + option_size (description) + 8 + 4;
  uint32_t total = BLOCK_FRAME + 8 + opts;

  /* The id is taken even if the write fails, so that the caller's
   * numbering and ours never drift apart. */
  w->n_interfaces++;
  return emit_u32 (w, BT_IDB) && emit_u32 (w, total)
         && emit_u16 (w, linktype) && emit_u16 (w, 0)
         && emit_u32 (w, snaplen)
         && emit_option_string (w, OPT_IF_NAME, name)
         && emit_option_string (w, OPT_IF_DESCRIPTION, description)
         && emit_u16 (w, OPT_IF_TSRESOL) && emit_u16 (w, 1)
         && emit (w, tsresol, sizeof tsresol) && emit_endofopt (w)
         && emit_u32 (w, total);
}

/* Enhanced Packet Block:
 *  0                   1                   2                   3
 * +---------------------------------------------------------------+
 * |                    Block Type = 0x00000006                    |
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+
 * |                         Interface ID                          |
 * +---------------------------------------------------------------+
 * |        Timestamp (High): nanoseconds >> 32 (if_tsresol 9)     |
 * +---------------------------------------------------------------+
 * |        Timestamp (Low): nanoseconds & 0xFFFFFFFF              |
 * +---------------------------------------------------------------+
 * |                    Captured Packet Length                     |
 * +---------------------------------------------------------------+
 * |                    Original Packet Length                     |
 * +---------------------------------------------------------------+
 * /          Packet Data (captured length, zero-padded to 4)      /
 * +---------------------------------------------------------------+
 * /  opt_comment (1), opt_endofopt: only when a comment is given  /
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+ */
static void
put_u32 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
  p[2] = (uint8_t) (v >> 16);
  p[3] = (uint8_t) (v >> 24);
}

/* The common case, a block that fits EPB_FAST_MAX, made in place (in
 * the caller's block when there is one) and written at once: the same
 * bytes as the field-by-field path below. */
static bool
write_whole_epb (SimPcapng *w, uint32_t if_id, uint64_t timestamp_ns,
                 const uint8_t *data, uint32_t caplen, uint32_t origlen,
                 const char *const *comments, uint32_t n_comments,
                 uint32_t total)
{
  uint8_t stack[EPB_FAST_MAX];
  uint8_t *block = stack;
  uint32_t at;

  if (w->block && w->error == 0)
    {
      block = sim_block_out_reserve (w->block, total);
      if (block == NULL)
        {
          w->error = w->block->error;
          return false;
        }
    }
  put_u32 (block, BT_EPB);
  put_u32 (block + 4, total);
  put_u32 (block + 8, if_id);
  put_u32 (block + 12, (uint32_t) (timestamp_ns >> 32));
  put_u32 (block + 16, (uint32_t) timestamp_ns);
  put_u32 (block + 20, caplen);
  put_u32 (block + 24, origlen);
  memcpy (block + 28, data, caplen);
  memset (block + 28 + caplen, 0, pad4 (caplen));
  at = 28 + caplen + pad4 (caplen);
  for (uint32_t i = 0; i < n_comments; i++)
    {
      uint16_t n = option_string_len (comments[i]);

      block[at] = OPT_COMMENT;
      block[at + 1] = 0;
      block[at + 2] = (uint8_t) n;
      block[at + 3] = (uint8_t) (n >> 8);
      memcpy (block + at + 4, comments[i], n);
      memset (block + at + 4 + n, 0, pad4 (n));
      at += 4 + n + pad4 (n);
    }
  if (n_comments > 0)
    {
      memset (block + at, 0, 4);        /* opt_endofopt */
      at += 4;
    }
  g_assert (at + 4 == total);
  put_u32 (block + at, total);
  if (block == stack)
    return emit (w, block, total);
  w->bytes += total;
  return true;
}

bool
sim_pcapng_write_packet (SimPcapng *w, uint32_t if_id,
                         uint64_t timestamp_ns, const uint8_t *data,
                         uint32_t caplen, uint32_t origlen,
                         const char *const *comments, uint32_t n_comments)
{
  uint64_t opts = n_comments > 0 ? 4 : 0;   /* opt_endofopt */
  uint64_t total;
  bool ok;

  for (uint32_t i = 0; i < n_comments; i++)
    opts += option_size (comments[i]);
  total = (uint64_t) BLOCK_FRAME + 20 + caplen + pad4 (caplen) + opts;

  g_assert (if_id < w->n_interfaces);
  g_assert (caplen <= origlen);
  g_assert (data != NULL || caplen == 0);
  if (w->error == 0 && total > UINT32_MAX)
    w->error = EFBIG;
  if (total <= EPB_FAST_MAX)
    return write_whole_epb (w, if_id, timestamp_ns, data, caplen, origlen,
                            comments, n_comments, (uint32_t) total);
  ok = emit_u32 (w, BT_EPB) && emit_u32 (w, (uint32_t) total)
       && emit_u32 (w, if_id)
       && emit_u32 (w, (uint32_t) (timestamp_ns >> 32))
       && emit_u32 (w, (uint32_t) timestamp_ns) && emit_u32 (w, caplen)
       && emit_u32 (w, origlen) && emit (w, data, caplen)
       && emit_pad (w, caplen);
  for (uint32_t i = 0; ok && i < n_comments; i++)
    ok = emit_option_string (w, OPT_COMMENT, comments[i]);
  return ok && (n_comments == 0 || emit_endofopt (w))
         && emit_u32 (w, (uint32_t) total);
}

/* DSB: secrets type, secrets length, the secrets padded, no options. */
bool
sim_pcapng_write_secrets (SimPcapng *w, uint32_t secrets_type,
                          const uint8_t *data, uint32_t len)
{
  uint64_t total = (uint64_t) BLOCK_FRAME + 8 + len + pad4 (len);

  if (w->error == 0 && total > UINT32_MAX)
    w->error = EFBIG;
  return emit_u32 (w, BT_DSB) && emit_u32 (w, (uint32_t) total)
         && emit_u32 (w, secrets_type) && emit_u32 (w, len)
         && emit (w, data, len) && emit_pad (w, len)
         && emit_u32 (w, (uint32_t) total);
}

/* Also true once stdio has seen an error on the stream, e.g. a buffered
 * write that failed only at fflush(). */
bool
sim_pcapng_failed (const SimPcapng *w)
{
  return w->error != 0 || (w->block && w->block->error != 0)
         || ferror (w->out);
}
