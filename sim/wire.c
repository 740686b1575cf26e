/* Wire formats: Internet checksums (RFC 1071), writers for Ethernet II,
 * IPv4 (RFC 791), UDP (RFC 768) and TCP (RFC 9293) headers, the one frame
 * parser (IPv4 first, then IPv6: RFC 8200), NAT rewrites and TTL or hop
 * limit decrement, and IPv4/CIDR text forms. The IPv6 writers are in
 * sim/wire6.c.
 *
 * Callers: every node that builds, reads or forwards a frame; the capture
 * code and tests read frames back with sim_frame_parse().
 *
 * Invariants:
 * - Writers prepend in front of packet->data, so a frame is built from
 *   the payload outwards; each length field is taken from packet->len.
 * - Nothing here allocates: these run once per packet.
 * - sim_frame_parse() never reads outside [data, data + len); every
 *   pointer it returns lies inside that range.
 * - Rewrites update checksums incrementally (RFC 1624), so a frame whose
 *   checksums were right stays right and one that was damaged stays
 *   damaged, as through a real NAT. */
#include "sim/wire.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/bytes.h"

/* ---- Checksums ---------------------------------------------------- */

/* Adds big-endian 16-bit words; an odd last byte is padded with zero, so
 * every call but the last of a running sum must have an even len. The
 * result is folded to 16 bits, so sums never overflow. */
uint32_t
sim_checksum_add (uint32_t sum, const void *data, size_t len)
{
  const uint8_t *p = data;
  uint64_t acc = sum;
  size_t i = 0;

  /* Big-endian 64- then 32-bit words: 2^16 = 1 modulo 0xffff, so their
   * one's complement sums (end-around carry) fold to the same sum as
   * 16-bit words, in a quarter of the steps. */
  uint64_t wide = 0;
  for (; i + 7 < len; i += 8)
    {
      uint64_t w;
      memcpy (&w, p + i, 8);
      w = GUINT64_FROM_BE (w);
      wide += w;
      wide += wide < w;         /* end-around carry */
    }
  acc += (wide >> 32) + (wide & 0xffffffffu);
  for (; i + 3 < len; i += 4)
    {
      uint32_t w;
      memcpy (&w, p + i, 4);
      acc += GUINT32_FROM_BE (w);
    }
  for (; i + 1 < len; i += 2)
    acc += sim_get16 (p + i);
  if (i < len)
    acc += (uint32_t) p[i] << 8;
  while (acc >> 16)
    acc = (acc & 0xffff) + (acc >> 16);
  return (uint32_t) acc;
}

/* Folds the carries back in and complements: the value to put on the
 * wire, or 0 when verifying a block that includes its checksum. */
uint16_t
sim_checksum_fold (uint32_t sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t) ~sum;
}

uint16_t
sim_checksum_l4 (uint32_t src, uint32_t dst, uint8_t proto,
                 const void *segment, size_t len)
{
  uint8_t pseudo[12];

  g_assert_cmpuint (len, <=, 0xffff);
  sim_put32 (pseudo, src);
  sim_put32 (pseudo + 4, dst);
  pseudo[8] = 0;
  pseudo[9] = proto;
  sim_put16 (pseudo + 10, (uint16_t) len);
  return sim_checksum_fold (
      sim_checksum_add (sim_checksum_add (0, pseudo, sizeof pseudo),
                        segment, len));
}

/* RFC 1624 eqn. 3: the checksum after one covered 16-bit word changed
 * from old to new, HC' = ~(~HC + ~m + m'). */
static uint16_t
checksum_replace16 (uint16_t check, uint16_t old, uint16_t new)
{
  return sim_checksum_fold ((uint32_t) (uint16_t) ~check
                            + (uint16_t) ~old + new);
}

static uint16_t
checksum_replace32 (uint16_t check, uint32_t old, uint32_t new)
{
  check = checksum_replace16 (check, (uint16_t) (old >> 16),
                              (uint16_t) (new >> 16));
  return checksum_replace16 (check, (uint16_t) old, (uint16_t) new);
}

/* ---- Writers ------------------------------------------------------ */

/*  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5   (Ethernet II, 14 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   destination MAC (6 bytes)   |
 * |     source MAC (6 bytes)      |
 * |           EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ */
void
sim_eth_push (SimPacket *packet, const uint8_t dst[6], const uint8_t src[6],
              uint16_t ethertype)
{
  uint8_t *h = sim_packet_prepend (packet, SIM_ETH_HLEN);

  memcpy (h, dst, 6);
  memcpy (h + 6, src, 6);
  sim_put16 (h + 12, ethertype);
}

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |  DSCP/ECN = 0 |         Total Length          |
 * |         Identification        |0|D|M|    Fragment Offset = 0  |
 * |  Time to Live |    Protocol   |        Header Checksum        |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Version 4, IHL 5 (no options), DF set. */
void
sim_ipv4_push (SimPacket *packet, uint32_t src, uint32_t dst, uint8_t proto,
               uint8_t ttl, uint16_t id)
{
  uint32_t total = packet->len + SIM_IPV4_HLEN;
  uint8_t *h;

  g_assert_cmpuint (total, <=, 0xffff);
  h = sim_packet_prepend (packet, SIM_IPV4_HLEN);
  h[0] = 0x45;
  h[1] = 0;
  sim_put16 (h + 2, (uint16_t) total);
  sim_put16 (h + 4, id);
  sim_put16 (h + 6, 0x4000);
  h[8] = ttl;
  h[9] = proto;
  sim_put16 (h + 10, 0);
  sim_put32 (h + 12, src);
  sim_put32 (h + 16, dst);
  sim_put16 (h + 10, sim_checksum_fold (sim_checksum_add (0, h, SIM_IPV4_HLEN)));
}

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * A computed checksum of 0 is sent as 0xffff (0 means "none"). */
void
sim_udp_push (SimPacket *packet, uint32_t src, uint32_t dst, uint16_t sport,
              uint16_t dport)
{
  uint32_t len = packet->len + SIM_UDP_HLEN;
  uint16_t check;
  uint8_t *h;

  g_assert_cmpuint (len, <=, 0xffff);
  h = sim_packet_prepend (packet, SIM_UDP_HLEN);
  sim_put16 (h, sport);
  sim_put16 (h + 2, dport);
  sim_put16 (h + 4, (uint16_t) len);
  sim_put16 (h + 6, 0);
  check = sim_checksum_l4 (src, dst, SIM_IPPROTO_UDP, h, len);
  sim_put16 (h + 6, check ? check : 0xffff);
}

/*  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * | Offset|  Rsvd |     Flags     |            Window             |
 * |           Checksum            |       Urgent Pointer = 0      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Kind = 2      | Length = 4    |     Maximum Segment Size      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * The MSS option row is present only when h->mss != 0 (offset 6, else 5). */
void
sim_tcp_push (SimPacket *packet, uint32_t src, uint32_t dst,
              const SimTcpHeader *h)
{
  uint32_t hlen = h->mss ? SIM_TCP_HLEN + 4 : SIM_TCP_HLEN;
  uint32_t len = packet->len + hlen;
  uint8_t *t;

  g_assert_cmpuint (len, <=, 0xffff);
  t = sim_packet_prepend (packet, hlen);
  sim_put16 (t, h->sport);
  sim_put16 (t + 2, h->dport);
  sim_put32 (t + 4, h->seq);
  sim_put32 (t + 8, h->ack);
  t[12] = (uint8_t) (hlen / 4 << 4);
  t[13] = h->flags;
  sim_put16 (t + 14, h->window);
  sim_put16 (t + 16, 0);
  sim_put16 (t + 18, 0);
  if (h->mss)
    {
      t[20] = 2;
      t[21] = 4;
      sim_put16 (t + 22, h->mss);
    }
  sim_put16 (t + 16, sim_checksum_l4 (src, dst, SIM_IPPROTO_TCP, t, len));
}

/* ---- Parser ------------------------------------------------------- */

/* The L4 parsers are inlined into both IP parsers, so the IPv4 path
 * costs what it cost before IPv6 shared them; parse_ipv6 stays out of
 * line for the same reason. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__ ((always_inline))
#define NOINLINE __attribute__ ((noinline))
#else
#define ALWAYS_INLINE inline
#define NOINLINE
#endif

/* Walks the option list of a TCP header; false when an option's length
 * is malformed. Fills *mss from a well-formed MSS option. */
static ALWAYS_INLINE bool
parse_tcp_options (const uint8_t *o, uint32_t n, uint16_t *mss)
{
  uint32_t i = 0;

  while (i < n)
    {
      uint8_t kind = o[i], olen;

      if (kind == 0)            /* end of option list */
        break;
      if (kind == 1)            /* no-operation */
        {
          i++;
          continue;
        }
      if (i + 1 >= n)
        return false;
      olen = o[i + 1];
      if (olen < 2 || olen > n - i)
        return false;
      if (kind == 2)
        {
          if (olen != 4)
            return false;
          *mss = sim_get16 (o + i + 2);
        }
      i += olen;
    }
  return true;
}

static ALWAYS_INLINE bool
parse_tcp (const uint8_t *l4, uint32_t l4len, SimFrame *out)
{
  uint32_t doff;

  if (l4len < SIM_TCP_HLEN)
    return false;
  doff = (uint32_t) (l4[12] >> 4) * 4;
  if (doff < SIM_TCP_HLEN || doff > l4len)
    return false;
  out->tcp.sport = sim_get16 (l4);
  out->tcp.dport = sim_get16 (l4 + 2);
  out->tcp.seq = sim_get32 (l4 + 4);
  out->tcp.ack = sim_get32 (l4 + 8);
  out->tcp.flags = l4[13];
  out->tcp.window = sim_get16 (l4 + 14);
  if (!parse_tcp_options (l4 + SIM_TCP_HLEN, doff - SIM_TCP_HLEN,
                          &out->tcp.mss))
    return false;
  out->sport = out->tcp.sport;
  out->dport = out->tcp.dport;
  out->l4 = l4;
  out->payload = l4 + doff;
  out->payload_len = l4len - doff;
  return true;
}

/* The UDP length must match the IP payload length exactly. */
static ALWAYS_INLINE bool
parse_udp (const uint8_t *l4, uint32_t l4len, SimFrame *out)
{
  if (l4len < SIM_UDP_HLEN || sim_get16 (l4 + 4) != l4len)
    return false;
  out->sport = sim_get16 (l4);
  out->dport = sim_get16 (l4 + 2);
  out->l4 = l4;
  out->payload = l4 + SIM_UDP_HLEN;
  out->payload_len = l4len - SIM_UDP_HLEN;
  return true;
}

/* ip points at avail bytes after the Ethernet header. Fragments are
 * rejected: nothing here sends them, and their L4 header may be absent. */
static bool
parse_ipv4 (const uint8_t *ip, uint32_t avail, SimFrame *out)
{
  uint32_t ihl, total;

  if (avail < SIM_IPV4_HLEN || ip[0] >> 4 != 4)
    return false;
  ihl = (uint32_t) (ip[0] & 0x0f) * 4;
  total = sim_get16 (ip + 2);
  if (ihl < SIM_IPV4_HLEN || total < ihl || total > avail)
    return false;
  if (sim_get16 (ip + 6) & 0x3fff)  /* MF or a fragment offset */
    return false;
  out->ip = ip;
  out->ip_total = (uint16_t) total;
  out->ip_id = sim_get16 (ip + 4);
  out->ttl = ip[8];
  out->proto = ip[9];
  out->src = sim_get32 (ip + 12);
  out->dst = sim_get32 (ip + 16);
  switch (out->proto)
    {
    case SIM_IPPROTO_TCP:
      return parse_tcp (ip + ihl, total - ihl, out);
    case SIM_IPPROTO_UDP:
      return parse_udp (ip + ihl, total - ihl, out);
    default:                    /* no L4 header: payload is the IP payload */
      out->payload = ip + ihl;
      out->payload_len = total - ihl;
      return true;
    }
}

/* ip points at avail bytes after the Ethernet header; the payload length
 * must fit in them. The next header is taken as the upper layer: no
 * extension headers are walked (nothing here sends them), so a frame
 * with one has no L4 view. Jumbograms (payload length 0) are not taken
 * apart either. */
static NOINLINE bool
parse_ipv6 (const uint8_t *ip, uint32_t avail, SimFrame *out)
{
  uint32_t plen;

  if (avail < SIM_IPV6_HLEN || ip[0] >> 4 != 6)
    return false;
  plen = sim_get16 (ip + 4);
  if (plen > avail - SIM_IPV6_HLEN)
    return false;
  out->ip6 = ip;
  out->proto = ip[6];
  out->ttl = ip[7];
  switch (out->proto)
    {
    case SIM_IPPROTO_TCP:
      return parse_tcp (ip + SIM_IPV6_HLEN, plen, out);
    case SIM_IPPROTO_UDP:
      return parse_udp (ip + SIM_IPV6_HLEN, plen, out);
    default:
      out->payload = ip + SIM_IPV6_HLEN;
      out->payload_len = plen;
      return true;
    }
}

/* A frame that is neither IPv4 nor IPv6 parses with ip and ip6 NULL.
 * Trailing bytes past the IP length (Ethernet padding) are not part of
 * the payload. IPv4 is tried first: it is nearly every frame. On false,
 * *out holds no meaningful data. */
bool
sim_frame_parse (const uint8_t *data, uint32_t len, SimFrame *out)
{
  memset (out, 0, sizeof *out);
  if (len < SIM_ETH_HLEN)
    return false;
  out->ethertype = sim_get16 (data + 12);
  if (out->ethertype == SIM_ETHERTYPE_IPV4)
    return parse_ipv4 (data + SIM_ETH_HLEN, len - SIM_ETH_HLEN, out);
  if (out->ethertype == SIM_ETHERTYPE_IPV6)
    return parse_ipv6 (data + SIM_ETH_HLEN, len - SIM_ETH_HLEN, out);
  return true;
}

bool
sim_frame_opens_tcp (const SimFrame *f)
{
  return f->proto == SIM_IPPROTO_TCP
         && (f->tcp.flags & (SIM_TCP_SYN | SIM_TCP_ACK)) == SIM_TCP_SYN;
}

/* IPv6 has no header checksum; its UDP checksum is mandatory. */
static bool
checksums_ok6 (const SimFrame *frame)
{
  const uint8_t *l4 = frame->l4;
  SimIp6 src, dst;
  uint32_t seglen;

  if (l4 == NULL)
    return true;
  if (frame->proto == SIM_IPPROTO_UDP && (l4[6] | l4[7]) == 0)
    return false;               /* mandatory over IPv6 */
  src = sim_frame_src6 (frame);
  dst = sim_frame_dst6 (frame);
  seglen = (uint32_t) (frame->payload - l4) + frame->payload_len;
  return sim_checksum_l4_v6 (&src, &dst, frame->proto, l4, seglen) == 0;
}

/* True when the IPv4 header checksum and the UDP/TCP checksum verify. A
 * UDP checksum of 0 (none sent) verifies over IPv4, not over IPv6; a
 * frame that is neither has nothing to verify. */
bool
sim_frame_checksums_ok (const SimFrame *frame)
{
  uint32_t ihl, seglen;
  const uint8_t *l4 = frame->l4;

  if (frame->ip == NULL)
    return frame->ip6 == NULL || checksums_ok6 (frame);
  ihl = (uint32_t) (frame->ip[0] & 0x0f) * 4;
  if (sim_checksum_fold (sim_checksum_add (0, frame->ip, ihl)) != 0)
    return false;
  if (l4 == NULL)
    return true;
  if (frame->proto == SIM_IPPROTO_UDP && sim_get16 (l4 + 6) == 0)
    return true;
  seglen = (uint32_t) (frame->payload - l4) + frame->payload_len;
  return sim_checksum_l4 (frame->src, frame->dst, frame->proto, l4,
                          seglen) == 0;
}

/* ---- Rewrites ----------------------------------------------------- */

/* The frame must parse as Ethernet/IPv4/TCP|UDP (g_assert'ed; an IPv6
 * frame is refused so): callers rewrite only frames they have parsed. */
void
sim_frame_rewrite (uint8_t *frame, uint32_t len, uint32_t src, uint16_t sport,
                   uint32_t dst, uint16_t dport)
{
  SimFrame f;
  bool ok = sim_frame_parse (frame, len, &f) && f.ip && f.l4 != NULL;
  uint8_t *ip = frame + SIM_ETH_HLEN;
  uint8_t *l4;
  uint32_t coff;
  uint16_t check;

  g_assert (ok);
  if (!ok)                      /* when built with G_DISABLE_ASSERT */
    return;
  l4 = frame + (f.l4 - frame);
  check = sim_get16 (ip + 10);
  check = checksum_replace32 (check, f.src, src);
  sim_put16 (ip + 10, checksum_replace32 (check, f.dst, dst));
  sim_put32 (ip + 12, src);
  sim_put32 (ip + 16, dst);

  coff = f.proto == SIM_IPPROTO_TCP ? 16 : 6;
  check = sim_get16 (l4 + coff);
  if (f.proto == SIM_IPPROTO_TCP || check != 0)
    {
      check = checksum_replace32 (check, f.src, src);
      check = checksum_replace32 (check, f.dst, dst);
      check = checksum_replace16 (check, f.sport, sport);
      check = checksum_replace16 (check, f.dport, dport);
      if (f.proto == SIM_IPPROTO_UDP && check == 0)
        check = 0xffff;
      sim_put16 (l4 + coff, check);
    }
  sim_put16 (l4, sport);
  sim_put16 (l4 + 2, dport);
}

/* False, and the frame unchanged, when it is not a valid IPv4 or IPv6
 * frame or its TTL (hop limit) is already 0; false after decrementing
 * when it reached 0 (the caller drops it). */
bool
sim_frame_decrement_ttl (uint8_t *frame, uint32_t len)
{
  SimFrame f;
  uint8_t *ip = frame + SIM_ETH_HLEN;
  uint16_t old;

  if (!sim_frame_parse (frame, len, &f) || f.ttl == 0)
    return false;
  if (f.ip == NULL)             /* IPv6: no IP at all has ttl 0 */
    {
      g_assert (f.ip6 != NULL);
      ip[7]--;
      return ip[7] != 0;
    }
  old = sim_get16 (ip + 8);         /* TTL and protocol share a word */
  ip[8]--;
  sim_put16 (ip + 10, checksum_replace16 (sim_get16 (ip + 10), old, sim_get16 (ip + 8)));
  return ip[8] != 0;
}

/* ---- Text forms --------------------------------------------------- */

char *
sim_ipv4_to_string (uint32_t addr, char *buf)
{
  char *p = buf;

  /* By hand: explanations and captures format addresses per step, and
   * snprintf costs some thirty times more. */
  for (int shift = 24; shift >= 0; shift -= 8)
    {
      unsigned octet = addr >> shift & 0xff;
      if (octet >= 100)
        *p++ = (char) ('0' + octet / 100);
      if (octet >= 10)
        *p++ = (char) ('0' + octet / 10 % 10);
      *p++ = (char) ('0' + octet % 10);
      *p++ = shift ? '.' : '\0';
    }
  return buf;
}

/* One decimal number of 1 to max_digits digits, no leading zero unless it
 * is "0", at most max; advances *p past it. */
static bool
parse_decimal (const char **p, unsigned max_digits, uint32_t max,
               uint32_t *out)
{
  const char *s = *p;
  uint32_t v = 0;
  unsigned n = 0;

  while (s[n] >= '0' && s[n] <= '9')
    {
      if (n == max_digits)
        return false;
      v = v * 10 + (uint32_t) (s[n] - '0');
      n++;
    }
  if (n == 0 || v > max || (n > 1 && s[0] == '0'))
    return false;
  *out = v;
  *p = s + n;
  return true;
}

/* Four octets separated by dots; *end is left after the last one. */
static bool
parse_quad (const char *text, const char **end, uint32_t *out)
{
  const char *p = text;
  uint32_t addr = 0, octet;

  for (int i = 0; i < 4; i++)
    {
      if (i > 0 && *p++ != '.')
        return false;
      if (!parse_decimal (&p, 3, 255, &octet))
        return false;
      addr = addr << 8 | octet;
    }
  *end = p;
  *out = addr;
  return true;
}

bool
sim_ipv4_parse (const char *text, uint32_t *out)
{
  const char *end;
  uint32_t addr;

  if (text == NULL || !parse_quad (text, &end, &addr) || *end != '\0')
    return false;
  *out = addr;
  return true;
}

bool
sim_cidr_parse (const char *text, uint32_t *prefix, uint8_t *len)
{
  const char *p;
  uint32_t addr, bits;

  if (text == NULL || !parse_quad (text, &p, &addr) || *p++ != '/')
    return false;
  if (!parse_decimal (&p, 2, 32, &bits) || *p != '\0')
    return false;
  if (addr & ~sim_cidr_mask ((uint8_t) bits))
    return false;
  *prefix = addr;
  *len = (uint8_t) bits;
  return true;
}

uint32_t
sim_cidr_mask (uint8_t len)
{
  g_assert_cmpuint (len, <=, 32);
  return len == 0 ? 0 : 0xffffffffu << (32 - len);
}
