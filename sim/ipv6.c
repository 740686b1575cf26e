/* IPv6 addresses and prefixes (sim/ipv6.h).
 *
 * Callers: sim/wire6.c, sim/route6.c, sim/host6.c and whoever reads
 * addresses from text. Text forms are libc's (inet_pton, inet_ntop);
 * only the prefix length is parsed here. Nothing allocates. */
#define _POSIX_C_SOURCE 200809L /* inet_pton, inet_ntop */

#include "sim/ipv6.h"

#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

char *
sim_ipv6_to_string (const SimIp6 *addr, char *buf)
{
  const char *ok = inet_ntop (AF_INET6, addr->b, buf, SIM_IPV6_STRLEN);

  g_assert (ok != NULL);        /* fails only on a short buffer */
  return buf;
}

bool
sim_ipv6_parse (const char *text, SimIp6 *out)
{
  SimIp6 addr;

  if (text == NULL || inet_pton (AF_INET6, text, addr.b) != 1)
    return false;
  *out = addr;
  return true;
}

/* The address before the '/', copied out: inet_pton takes whole strings. */
bool
sim_cidr6_parse (const char *text, SimIp6 *prefix, uint8_t *len)
{
  char head[SIM_IPV6_STRLEN];
  const char *slash, *p;
  unsigned bits = 0;
  SimIp6 addr, masked;

  if (text == NULL || (slash = strchr (text, '/')) == NULL
      || (size_t) (slash - text) >= sizeof head)
    return false;
  memcpy (head, text, (size_t) (slash - text));
  head[slash - text] = '\0';
  if (!sim_ipv6_parse (head, &addr))
    return false;
  p = slash + 1;
  if (p[0] < '0' || p[0] > '9' || (p[0] == '0' && p[1] != '\0'))
    return false;
  for (; *p >= '0' && *p <= '9'; p++)
    if ((bits = bits * 10 + (unsigned) (*p - '0')) > 128)
      return false;
  if (*p != '\0')
    return false;
  masked = sim_ipv6_masked (&addr, (uint8_t) bits);
  if (!sim_ipv6_equal (&masked, &addr))
    return false;
  *prefix = addr;
  *len = (uint8_t) bits;
  return true;
}

bool
sim_ipv6_equal (const SimIp6 *a, const SimIp6 *b)
{
  return memcmp (a->b, b->b, sizeof a->b) == 0;
}

SimIp6
sim_ipv6_masked (const SimIp6 *addr, uint8_t len)
{
  SimIp6 out = *addr;
  unsigned whole = len / 8u, rest = len % 8u;

  g_assert_cmpuint (len, <=, 128);
  if (whole < 16)
    {
      out.b[whole] &= (uint8_t) (0xffu << (8 - rest));
      memset (out.b + whole + 1, 0, 16 - whole - 1);
    }
  return out;
}

bool
sim_ipv6_in_prefix (const SimIp6 *addr, const SimIp6 *prefix, uint8_t len)
{
  SimIp6 a = sim_ipv6_masked (addr, len), p = sim_ipv6_masked (prefix, len);

  return sim_ipv6_equal (&a, &p);
}
