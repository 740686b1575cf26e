/* IPv6 addresses and prefixes: the 16-byte address type every IPv6 API
 * of sim/ takes, its text forms and prefix matching.
 *
 * An address is its 16 bytes in network order, so it is copied onto and
 * compared with the wire as it is. Text goes through libc's inet_pton and
 * inet_ntop (RFC 4291 section 2.2 in; out, glibc writes the RFC 5952
 * canonical form: lower-case hex, no leading zeros, the longest run of
 * two or more zero groups compressed, the first one on a tie, and the
 * mixed ::ffff:a.b.c.d form for IPv4-mapped addresses). Zone indexes
 * ("%eth0") are not addresses and are refused. */
#ifndef SIM_IPV6_H
#define SIM_IPV6_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint8_t b[16];                /* network order */
} SimIp6;

/* Room for any address's text with its NUL (INET6_ADDRSTRLEN). */
#define SIM_IPV6_STRLEN 46u

/* Text into buf (at least SIM_IPV6_STRLEN bytes); returns buf. */
char *sim_ipv6_to_string (const SimIp6 *addr, char *buf);
/* Any RFC 4291 text form; false on anything else. */
bool sim_ipv6_parse (const char *text, SimIp6 *out);
/* "addr/len" with len 0..128 (decimal, no leading zero) and the host
 * bits zero; false otherwise. */
bool sim_cidr6_parse (const char *text, SimIp6 *prefix, uint8_t *len);

bool sim_ipv6_equal (const SimIp6 *a, const SimIp6 *b);
/* addr with every bit past the first len (0..128) cleared. */
SimIp6 sim_ipv6_masked (const SimIp6 *addr, uint8_t len);
/* True when the first len bits of addr and prefix agree. */
bool sim_ipv6_in_prefix (const SimIp6 *addr, const SimIp6 *prefix,
                         uint8_t len);

#endif
