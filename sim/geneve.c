/* Geneve encapsulation (RFC 8926): the fixed header and one option TLV in
 * front of an inner Ethernet frame, carried in UDP to port 6081.
 *
 * Callers: the node that hands packets across Google's fabric pushes the
 * header (VNI = source network, option = project identity) before the
 * outer UDP/IPv4/Ethernet headers; the receiving node parses the UDP
 * payload and strips the envelope.
 *
 * Invariants: the writer always writes exactly one option, version 0, the
 * O and C bits clear and protocol 0x6558; the parser reads nothing outside
 * [data, data + len) and records the first option of the option area. */
#include "sim/geneve.h"

#include <string.h>

#include <glib.h>

#include "sim/wire.h"

#define GENEVE_HLEN 8u          /* fixed header */
#define GENEVE_OPT_HLEN 4u      /* option header */

/* Fixed header (RFC 8926 section 3.4):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Ver = 0; Opt Len = option area in 4-byte words (6 bits); O (control
 * message) = 0; C (critical options present) = 0; Protocol Type = 0x6558
 * (an Ethernet frame follows).
 *
 * One option (section 3.5):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Option Class         |C|    Type     |R|R|R| Length  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Variable-Length Option Data                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Length = option data in 4-byte words (5 bits, so at most 124 bytes);
 * the type's high bit is the critical bit, written clear. */
void
sim_geneve_push (SimPacket *packet, const SimGeneve *g)
{
  uint32_t opt_words = (GENEVE_OPT_HLEN + g->opt_len) / 4;
  uint8_t *h;

  g_assert (g->vni <= 0xffffff);
  g_assert (g->opt_len % 4 == 0 && g->opt_len <= sizeof g->opt_data);
  g_assert ((g->opt_type & 0x80) == 0);
  h = sim_packet_prepend (packet, GENEVE_HLEN + opt_words * 4);
  h[0] = (uint8_t) opt_words;   /* version 0 in the top two bits */
  h[1] = 0;                     /* O, C, reserved */
  h[2] = SIM_ETHERTYPE_TEB >> 8;
  h[3] = SIM_ETHERTYPE_TEB & 0xff;
  h[4] = (uint8_t) (g->vni >> 16);
  h[5] = (uint8_t) (g->vni >> 8);
  h[6] = (uint8_t) g->vni;
  h[7] = 0;
  h[8] = (uint8_t) (g->opt_class >> 8);
  h[9] = (uint8_t) g->opt_class;
  h[10] = g->opt_type;
  h[11] = (uint8_t) (g->opt_len / 4); /* reserved bits 0 */
  memcpy (h + 12, g->opt_data, g->opt_len);
}

/* Checks that the option area is a whole sequence of TLVs and records the
 * first in *out (all zero when the area is empty). The area and every
 * option are whole 4-byte words, so an option header always fits. */
static bool
parse_options (const uint8_t *o, uint32_t n, SimGeneve *out)
{
  uint32_t i = 0;

  while (i < n)
    {
      uint32_t dlen;

      dlen = (uint32_t) (o[i + 3] & 0x1f) * 4;
      if (dlen > n - i - GENEVE_OPT_HLEN)
        return false;
      if (i == 0)
        {
          out->opt_class = (uint16_t) (o[0] << 8 | o[1]);
          out->opt_type = o[2];
          out->opt_len = (uint8_t) dlen;
          memcpy (out->opt_data, o + GENEVE_OPT_HLEN, dlen);
        }
      i += GENEVE_OPT_HLEN + dlen;
    }
  return true;
}

/* False unless: version 0, the option area fits and is well formed, the
 * protocol is 0x6558, and a whole Ethernet header follows. Reserved bits
 * and the O and C bits are ignored on receipt (RFC 8926 section 3.4). */
bool
sim_geneve_parse (const uint8_t *data, uint32_t len, SimGeneve *out)
{
  uint32_t opt_bytes;

  memset (out, 0, sizeof *out);
  if (len < GENEVE_HLEN || data[0] >> 6 != 0)
    return false;
  opt_bytes = (uint32_t) (data[0] & 0x3f) * 4;
  if (opt_bytes > len - GENEVE_HLEN)
    return false;
  if ((data[2] << 8 | data[3]) != SIM_ETHERTYPE_TEB)
    return false;
  if (!parse_options (data + GENEVE_HLEN, opt_bytes, out))
    return false;
  out->vni = (uint32_t) data[4] << 16 | (uint32_t) data[5] << 8 | data[6];
  out->inner = data + GENEVE_HLEN + opt_bytes;
  out->inner_len = len - GENEVE_HLEN - opt_bytes;
  return out->inner_len >= SIM_ETH_HLEN;
}
