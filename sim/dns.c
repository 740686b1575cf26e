/* DNS messages (RFC 1035): one question and A, AAAA (RFC 3596) and
 * CNAME answers, written uncompressed, parsed with compression pointers.
 *
 * Callers: the resolver models write responses and callers' stub
 * resolvers write queries; both parse what arrives in a UDP payload.
 *
 * Invariants:
 * - Names in SimDnsMessage are presentation form: lower case, labels
 *   joined by '.', no trailing dot; the root is "". A label holds printable
 *   ASCII other than '.' and '\\', so every name has one spelling and a
 *   written message parses back to the same struct.
 * - A name is at most 255 bytes on the wire (so at most 253 characters).
 * - Parsing reads nothing outside [data, data + len). Each compression
 *   pointer must point before the labels read since the last jump (and
 *   past the header), so pointer chains end; hops are also bounded.
 * - Nothing here allocates: these run once per packet. */
#define _POSIX_C_SOURCE 200809L /* inet_ntop, inet_pton */

#include "sim/dns.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "sim/bytes.h"

#define DNS_HLEN 12u
#define DNS_LABEL_MAX 63u
#define DNS_WIRE_NAME_MAX 255u
#define DNS_MAX_HOPS 64u

#define DNS_FLAG_QR 0x8000u
#define DNS_FLAG_AA 0x0400u
#define DNS_FLAG_RD 0x0100u
#define DNS_FLAG_RA 0x0080u

static bool
label_char_ok (uint8_t c)
{
  return c > 0x20 && c < 0x7f && c != '.' && c != '\\';
}

static char
lower (uint8_t c)
{
  return (char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

/* ---- Writer ------------------------------------------------------- */

typedef struct {
  uint8_t *out;
  size_t cap, len;
  bool ok;                      /* false once anything did not fit */
} DnsWriter;

static void
w_bytes (DnsWriter *w, const void *p, size_t n)
{
  if (!w->ok || n > w->cap - w->len)
    {
      w->ok = false;
      return;
    }
  memcpy (w->out + w->len, p, n);
  w->len += n;
}

static void
w_u16 (DnsWriter *w, uint32_t v)
{
  uint8_t b[2] = { (uint8_t) (v >> 8), (uint8_t) v };
  w_bytes (w, b, 2);
}

static void
w_u32 (DnsWriter *w, uint32_t v)
{
  w_u16 (w, v >> 16);
  w_u16 (w, v & 0xffff);
}

/* Writes name as labels, lower-cased; "" and "." are the root, one
 * trailing dot is allowed. Invalid names (empty or long labels, bad
 * characters, over 255 bytes on the wire) clear w->ok. */
static void
w_name (DnsWriter *w, const char *name)
{
  size_t wire = 1;              /* the root label */
  const char *p = strcmp (name, ".") == 0 ? "" : name;

  while (*p && w->ok)
    {
      uint8_t label[1 + DNS_LABEL_MAX];
      size_t n = 0;

      while (p[n] && p[n] != '.')
        {
          if (n == DNS_LABEL_MAX || !label_char_ok ((uint8_t) p[n]))
            {
              w->ok = false;
              return;
            }
          label[1 + n] = (uint8_t) lower ((uint8_t) p[n]);
          n++;
        }
      wire += 1 + n;
      if (n == 0 || wire > DNS_WIRE_NAME_MAX)
        {
          w->ok = false;
          return;
        }
      label[0] = (uint8_t) n;
      w_bytes (w, label, 1 + n);
      p += n + (p[n] == '.');
    }
  w_bytes (w, "", 1);
}

/* Header (RFC 1035 section 4.1.1), then the question and the answers:
 *
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                QDCOUNT = 1                    |
 * |                ANCOUNT = n_answers            |
 * |                NSCOUNT = 0                    |
 * |                ARCOUNT = 0                    |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * Question: QNAME, QTYPE, QCLASS = IN.
 * Answer:   NAME, TYPE, CLASS = IN, TTL (32 bits), RDLENGTH, RDATA
 *           (A: 4 address bytes; AAAA: 16 address bytes, RFC 3596;
 *           CNAME: the target name, uncompressed).
 * Opcode is QUERY (0); TC and Z are 0. */
size_t
sim_dns_write (const SimDnsMessage *msg, uint8_t *out, size_t cap)
{
  DnsWriter w = { out, cap, 0, true };
  uint32_t flags = msg->rcode & 0x0f;

  if (msg->n_answers > SIM_DNS_MAX_ANSWERS || msg->rcode > 0x0f)
    return 0;
  flags |= msg->response ? DNS_FLAG_QR : 0;
  flags |= msg->authoritative ? DNS_FLAG_AA : 0;
  flags |= msg->recursion_desired ? DNS_FLAG_RD : 0;
  flags |= msg->recursion_available ? DNS_FLAG_RA : 0;
  w_u16 (&w, msg->id);
  w_u16 (&w, flags);
  w_u16 (&w, 1);
  w_u16 (&w, msg->n_answers);
  w_u32 (&w, 0);                /* NSCOUNT, ARCOUNT */
  w_name (&w, msg->qname);
  w_u16 (&w, msg->qtype);
  w_u16 (&w, SIM_DNS_CLASS_IN);
  for (uint32_t i = 0; i < msg->n_answers && w.ok; i++)
    {
      const SimDnsRecord *r = &msg->answers[i];
      size_t rdlength_at;

      w_name (&w, r->name);
      w_u16 (&w, r->type);
      w_u16 (&w, SIM_DNS_CLASS_IN);
      w_u32 (&w, r->ttl);
      rdlength_at = w.len;
      w_u16 (&w, 0);            /* RDLENGTH, filled in below */
      if (r->type == SIM_DNS_TYPE_A)
        w_u32 (&w, r->a);
      else if (r->type == SIM_DNS_TYPE_AAAA)
        w_bytes (&w, r->aaaa, sizeof r->aaaa);
      else if (r->type == SIM_DNS_TYPE_CNAME)
        w_name (&w, r->cname);
      else
        return 0;
      if (w.ok)
        {
          size_t rdlength = w.len - rdlength_at - 2;
          out[rdlength_at] = (uint8_t) (rdlength >> 8);
          out[rdlength_at + 1] = (uint8_t) rdlength;
        }
    }
  return w.ok ? w.len : 0;
}

/* ---- Parser ------------------------------------------------------- */

/* Reads the name at *pos into out (SIM_DNS_NAME_MAX + 1 bytes) and
 * leaves *pos after it in the record (after the first pointer, if any). */
static bool
read_name (const uint8_t *msg, size_t len, size_t *pos, char *out)
{
  size_t p = *pos, limit = *pos, after = 0, o = 0, wire = 1;
  unsigned hops = 0;

  for (;;)
    {
      uint8_t c;

      if (p >= len)
        return false;
      c = msg[p];
      if (c == 0)
        break;
      if ((c & 0xc0) == 0xc0)
        {
          size_t target;

          if (p + 1 >= len)
            return false;
          target = (size_t) (c & 0x3f) << 8 | msg[p + 1];
          if (after == 0)
            after = p + 2;
          /* Strictly backwards from where this run of labels began:
           * a loop, or a pointer into the header, is rejected. */
          if (++hops > DNS_MAX_HOPS || target >= limit || target < DNS_HLEN)
            return false;
          p = limit = target;
          continue;
        }
      if (c > DNS_LABEL_MAX || c >= len - p)
        return false;           /* 0x40/0x80 label types, or truncated */
      wire += 1u + c;
      if (wire > DNS_WIRE_NAME_MAX)
        return false;
      if (o > 0)
        out[o++] = '.';
      for (size_t i = 1; i <= c; i++)
        {
          if (!label_char_ok (msg[p + i]))
            return false;
          out[o++] = lower (msg[p + i]);
        }
      p += 1u + c;
    }
  out[o] = '\0';
  *pos = after ? after : p + 1;
  return true;
}

/* Reads one resource record at *pos. Answers of class IN and type A,
 * AAAA or CNAME are appended to out->answers; anything else is skipped. */
static bool
read_record (const uint8_t *msg, size_t len, size_t *pos, bool answer,
             SimDnsMessage *out)
{
  char owner[SIM_DNS_NAME_MAX + 1];
  uint16_t type, klass, rdlength;
  size_t rdata;
  SimDnsRecord *r;

  if (!read_name (msg, len, pos, owner) || len - *pos < 10)
    return false;
  type = sim_get16 (msg + *pos);
  klass = sim_get16 (msg + *pos + 2);
  rdlength = sim_get16 (msg + *pos + 8);
  rdata = *pos + 10;
  if (rdlength > len - rdata)
    return false;
  *pos = rdata + rdlength;
  if (!answer || klass != SIM_DNS_CLASS_IN
      || (type != SIM_DNS_TYPE_A && type != SIM_DNS_TYPE_AAAA
          && type != SIM_DNS_TYPE_CNAME))
    return true;
  if (out->n_answers == SIM_DNS_MAX_ANSWERS)
    return false;
  r = &out->answers[out->n_answers++];
  memcpy (r->name, owner, strlen (owner) + 1);
  r->type = type;
  r->a = 0;
  r->cname[0] = '\0';
  memset (r->aaaa, 0, sizeof r->aaaa);
  r->ttl = (uint32_t) sim_get16 (msg + rdata - 6) << 16 | sim_get16 (msg + rdata - 4);
  if (type == SIM_DNS_TYPE_A)
    {
      if (rdlength != 4)
        return false;
      r->a = (uint32_t) sim_get16 (msg + rdata) << 16 | sim_get16 (msg + rdata + 2);
      return true;
    }
  if (type == SIM_DNS_TYPE_AAAA)
    {
      if (rdlength != sizeof r->aaaa)
        return false;
      memcpy (r->aaaa, msg + rdata, sizeof r->aaaa);
      return true;
    }
  /* CNAME: the name must fill the RDATA exactly. */
  return read_name (msg, rdata + rdlength, &rdata, r->cname)
         && rdata == *pos;
}

/* False when: shorter than a header, opcode not QUERY, QDCOUNT not 1, a
 * name or record runs past the end or is malformed, more than
 * SIM_DNS_MAX_ANSWERS A/AAAA/CNAME answers, or bytes follow the last record.
 * Authority and additional records are validated and skipped. */
bool
sim_dns_parse (const uint8_t *data, size_t len, SimDnsMessage *out)
{
  uint16_t flags;
  uint32_t records;
  size_t pos = DNS_HLEN;

  /* The header fields only: answers are filled as they are read (the
   * whole message is 8 KiB, and this runs per query). */
  memset (out, 0, offsetof (SimDnsMessage, answers));
  if (len < DNS_HLEN)
    return false;
  flags = sim_get16 (data + 2);
  if ((flags >> 11 & 0x0f) != 0 || sim_get16 (data + 4) != 1)
    return false;
  out->id = sim_get16 (data);
  out->response = flags & DNS_FLAG_QR;
  out->authoritative = flags & DNS_FLAG_AA;
  out->recursion_desired = flags & DNS_FLAG_RD;
  out->recursion_available = flags & DNS_FLAG_RA;
  out->rcode = flags & 0x0f;
  if (!read_name (data, len, &pos, out->qname) || len - pos < 4)
    return false;
  out->qtype = sim_get16 (data + pos);
  pos += 4;                     /* QTYPE, QCLASS */
  records = (uint32_t) sim_get16 (data + 6) + sim_get16 (data + 8)
            + sim_get16 (data + 10);
  for (uint32_t i = 0; i < records; i++)
    if (!read_record (data, len, &pos, i < sim_get16 (data + 6), out))
      return false;
  return pos == len;
}

/* ---- AAAA addresses as text ------------------------------------- */

const char *
sim_dns_aaaa_to_string (const uint8_t aaaa[16], char *out)
{
  /* glibc's inet_ntop writes RFC 5952's form; it cannot fail here. */
  if (!inet_ntop (AF_INET6, aaaa, out, SIM_DNS_AAAA_STRLEN))
    out[0] = '\0';
  return out;
}

bool
sim_dns_aaaa_parse (const char *text, uint8_t aaaa[16])
{
  return inet_pton (AF_INET6, text, aaaa) == 1;
}
