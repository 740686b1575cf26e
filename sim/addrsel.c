/* RFC 6724 default address selection (sim/addrsel.h).
 *
 * Callers: a stub resolver's caller ordering a DNS answer's addresses
 * (models/world/requester.c). Pure functions over addresses. */
#include "sim/addrsel.h"

#include <string.h>

#include <glib.h>

typedef struct {
  uint8_t prefix[16];
  uint8_t len;
  uint8_t precedence;
  uint8_t label;
} PolicyRow;

/* RFC 6724 section 2.1, the default policy table; ::/0 second. */
static const PolicyRow rfc6724[] = {
  { { [15] = 1 }, 128, 50, 0 },                           /* ::1/128 */
  { { 0 }, 0, 40, 1 },                                    /* ::/0 */
  { { [10] = 0xff, [11] = 0xff }, 96, 35, 4 },            /* ::ffff:0:0/96 */
  { { 0x20, 0x02 }, 16, 30, 2 },                          /* 2002::/16 */
  { { 0x20, 0x01 }, 32, 5, 5 },                           /* 2001::/32 */
  { { 0xfc }, 7, 3, 13 },                                 /* fc00::/7 */
  { { 0 }, 96, 1, 3 },                                    /* ::/96 */
  { { 0xfe, 0xc0 }, 10, 1, 11 },                          /* fec0::/10 */
  { { 0x3f, 0xfe }, 16, 1, 12 },                          /* 3ffe::/16 */
};

/* glibc's getaddrinfo without /etc/gai.conf: RFC 3484's precedences
 * (IPv4-mapped 10 under ::/0's 40, so unique local addresses rank as
 * global IPv6) with its own labels (fc00::/7 6, 2001::/32 7). Rows
 * without a precedence of their own take ::/0's. */
static const PolicyRow glibc[] = {
  { { [15] = 1 }, 128, 50, 0 },                           /* ::1/128 */
  { { 0 }, 0, 40, 1 },                                    /* ::/0 */
  { { [10] = 0xff, [11] = 0xff }, 96, 10, 4 },            /* ::ffff:0:0/96 */
  { { 0x20, 0x02 }, 16, 30, 2 },                          /* 2002::/16 */
  { { 0x20, 0x01 }, 32, 40, 7 },                          /* 2001::/32 */
  { { 0xfc }, 7, 40, 6 },                                 /* fc00::/7 */
  { { 0 }, 96, 20, 3 },                                   /* ::/96 */
  { { 0xfe, 0xc0 }, 10, 40, 5 },                          /* fec0::/10 */
};

/* The longest row of table addr matches (::/0 matches every one). */
static const PolicyRow *
policy_row (SimAddrselTable table, const SimIp6 *addr)
{
  const PolicyRow *rows = table == SIM_ADDRSEL_GLIBC ? glibc : rfc6724;
  unsigned n = table == SIM_ADDRSEL_GLIBC ? G_N_ELEMENTS (glibc)
                                          : G_N_ELEMENTS (rfc6724);
  unsigned best = 1;

  for (unsigned i = 0; i < n; i++)
    {
      SimIp6 p;

      memcpy (p.b, rows[i].prefix, sizeof p.b);
      if (sim_ipv6_in_prefix (addr, &p, rows[i].len)
          && rows[i].len > rows[best].len)
        best = i;
    }
  return &rows[best];
}

SimIp6
sim_addrsel_mapped (uint32_t ipv4)
{
  SimIp6 a = { { [10] = 0xff, [11] = 0xff } };

  a.b[12] = (uint8_t) (ipv4 >> 24);
  a.b[13] = (uint8_t) (ipv4 >> 16);
  a.b[14] = (uint8_t) (ipv4 >> 8);
  a.b[15] = (uint8_t) ipv4;
  return a;
}

bool
sim_addrsel_is_mapped (const SimIp6 *addr, uint32_t *ipv4)
{
  static const uint8_t head[12] = { [10] = 0xff, [11] = 0xff };

  if (memcmp (addr->b, head, sizeof head) != 0)
    return false;
  if (ipv4)
    *ipv4 = (uint32_t) addr->b[12] << 24 | (uint32_t) addr->b[13] << 16
            | (uint32_t) addr->b[14] << 8 | addr->b[15];
  return true;
}

unsigned
sim_addrsel_precedence (SimAddrselTable table, const SimIp6 *addr)
{
  return policy_row (table, addr)->precedence;
}

unsigned
sim_addrsel_label (SimAddrselTable table, const SimIp6 *addr)
{
  return policy_row (table, addr)->label;
}

/* Section 3.2: IPv4 loopback and auto-configuration addresses are
 * link-local, every other IPv4 address (private ones too) global. */
unsigned
sim_addrsel_scope (const SimIp6 *addr)
{
  static const SimIp6 loopback = { { [15] = 1 } };
  uint32_t v4;

  if (sim_addrsel_is_mapped (addr, &v4))
    return (v4 >> 24) == 127 || (v4 >> 16) == 0xa9fe
           ? SIM_ADDRSEL_SCOPE_LINK : SIM_ADDRSEL_SCOPE_GLOBAL;
  if (addr->b[0] == 0xff)
    return addr->b[1] & 0x0fu;  /* multicast: its scope field */
  if (sim_ipv6_equal (addr, &loopback)
      || (addr->b[0] == 0xfe && (addr->b[1] & 0xc0) == 0x80))
    return SIM_ADDRSEL_SCOPE_LINK;
  if (addr->b[0] == 0xfe && (addr->b[1] & 0xc0) == 0xc0)
    return SIM_ADDRSEL_SCOPE_SITE;
  return SIM_ADDRSEL_SCOPE_GLOBAL;
}

unsigned
sim_addrsel_common_prefix (const SimIp6 *a, const SimIp6 *b)
{
  unsigned bits = 0;

  for (unsigned i = 0; i < 8; i++)
    {
      uint8_t x = a->b[i] ^ b->b[i];

      if (x == 0)
        {
          bits += 8;
          continue;
        }
      while (!(x & 0x80))
        {
          bits++;
          x = (uint8_t) (x << 1);
        }
      break;
    }
  return bits;
}

/* Whether source a beats source b for dst (section 5 rules 1, 2, 6, 8);
 * ties keep the first. */
static bool
source_better (SimAddrselTable t, const SimIp6 *a, const SimIp6 *b,
               const SimIp6 *dst)
{
  unsigned sa = sim_addrsel_scope (a), sb = sim_addrsel_scope (b);
  unsigned sd = sim_addrsel_scope (dst);
  bool la, lb;
  unsigned ca, cb;

  if (sim_ipv6_equal (a, dst) != sim_ipv6_equal (b, dst))
    return sim_ipv6_equal (a, dst);
  if (sa != sb)
    return sa < sb ? sa >= sd : sb < sd;
  la = sim_addrsel_label (t, a) == sim_addrsel_label (t, dst);
  lb = sim_addrsel_label (t, b) == sim_addrsel_label (t, dst);
  if (la != lb)
    return la;
  ca = sim_addrsel_common_prefix (a, dst);
  cb = sim_addrsel_common_prefix (b, dst);
  return ca > cb;
}

void
sim_addrsel_source (SimAddrselDest *d, const SimAddrselSources *srcs)
{
  bool mapped = sim_addrsel_is_mapped (&d->addr, NULL);

  d->usable = false;
  for (unsigned i = 0; i < srcs->n; i++)
    {
      const SimIp6 *s = &srcs->addrs[i];

      if (sim_addrsel_is_mapped (s, NULL) != mapped)
        continue;
      if (!d->usable
          || source_better (srcs->table, s, &d->source, &d->addr))
        d->source = *s;
      d->usable = true;
    }
  d->usable &= !d->unreachable;
}

/* A rule that prefers whichever side has the property alone. */
static bool
rule_differs (bool pa, bool pb, bool *a_first)
{
  if (pa == pb)
    return false;
  *a_first = pa;
  return true;
}

unsigned
sim_addrsel_compare (SimAddrselTable t, const SimAddrselDest *a,
                     const SimAddrselDest *b, bool *a_first)
{
  unsigned pa, pb, sa, sb;

  *a_first = true;
  if (rule_differs (a->usable, b->usable, a_first))
    return 1;
  if (!a->usable)
    return 10;                  /* neither has a source */
  sa = sim_addrsel_scope (&a->addr);
  sb = sim_addrsel_scope (&b->addr);
  if (rule_differs (sa == sim_addrsel_scope (&a->source),
                    sb == sim_addrsel_scope (&b->source), a_first))
    return 2;
  if (rule_differs (sim_addrsel_label (t, &a->addr)
                    == sim_addrsel_label (t, &a->source),
                    sim_addrsel_label (t, &b->addr)
                    == sim_addrsel_label (t, &b->source), a_first))
    return 5;
  pa = sim_addrsel_precedence (t, &a->addr);
  pb = sim_addrsel_precedence (t, &b->addr);
  if (pa != pb)
    {
      *a_first = pa > pb;
      return 6;
    }
  if (sa != sb)
    {
      *a_first = sa < sb;
      return 8;
    }
  if (!sim_addrsel_is_mapped (&a->addr, NULL)
      && !sim_addrsel_is_mapped (&b->addr, NULL))
    {
      unsigned ca = sim_addrsel_common_prefix (&a->source, &a->addr);
      unsigned cb = sim_addrsel_common_prefix (&b->source, &b->addr);

      if (ca != cb)
        {
          *a_first = ca > cb;
          return 9;
        }
    }
  return 10;
}

void
sim_addrsel_sort (SimAddrselDest *dests, unsigned n,
                  const SimAddrselSources *srcs)
{
  for (unsigned i = 0; i < n; i++)
    sim_addrsel_source (&dests[i], srcs);
  /* Stable insertion: an element moves before another only when a rule
   * puts it first (rule 10 keeps the answer's order). */
  for (unsigned i = 1; i < n; i++)
    {
      SimAddrselDest d = dests[i];
      unsigned j = i;
      bool first;

      while (j > 0
             && sim_addrsel_compare (srcs->table, &d, &dests[j - 1], &first)
                < 10
             && first)
        {
          dests[j] = dests[j - 1];
          j--;
        }
      dests[j] = d;
    }
  for (unsigned i = 0; i < n; i++)
    {
      bool first;

      dests[i].rule = i + 1 < n
        ? (uint8_t) sim_addrsel_compare (srcs->table, &dests[i],
                                         &dests[i + 1], &first)
        : 0;
    }
}

void
sim_addrsel_interleave (SimAddrselDest *dests, unsigned n, bool v6_first)
{
  SimAddrselDest v6[SIM_ADDRSEL_MAX], v4[SIM_ADDRSEL_MAX];
  unsigned n6 = 0, n4 = 0, i6 = 0, i4 = 0;
  bool six = v6_first;

  g_assert (n <= SIM_ADDRSEL_MAX);
  for (unsigned i = 0; i < n; i++)
    if (sim_addrsel_is_mapped (&dests[i].addr, NULL))
      v4[n4++] = dests[i];
    else
      v6[n6++] = dests[i];
  for (unsigned i = 0; i < n; i++, six = !six)
    if ((six && i6 < n6) || i4 >= n4)
      dests[i] = v6[i6++];
    else
      dests[i] = v4[i4++];
}
