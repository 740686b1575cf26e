/* What a forwarding HTTP/1.1 proxy does to a request head before it sends
 * it on (RFC 9110 section 7.6): the request line and the end-to-end
 * fields go through as they came, Host included; the hop-by-hop fields
 * stay behind; the proxy appends itself to X-Forwarded-For and Via and
 * sets X-Forwarded-Proto.
 *
 * Hop-by-hop fields: Connection, Keep-Alive, Proxy-* (Proxy-Connection,
 * Proxy-Authorization, ...), TE, Trailer, Transfer-Encoding, Upgrade, and
 * any field a Connection header names.
 *
 * Written head, the fields in the order they came, then:
 *
 *   METHOD PATH HTTP/1.1\r\n            (as received)
 *   Host: ...\r\n                       (as received)
 *   ...end-to-end fields...\r\n
 *   X-Forwarded-For: OLD,APPEND\r\n     (OLD: the values received, if any)
 *   Via: OLD, VIA\r\n
 *   X-Forwarded-Proto: PROTO\r\n        (replaces one received)
 *   EXTRA                               (the proxy's own lines, if any)
 *   \r\n
 *
 * Called by the load balancers (models/world/load-balancer.c) and, to
 * put Identity-Aware Proxy's credentials in, the GFE
 * (models/world/proxy.c). Nothing here allocates. */
#ifndef SIM_HTTP_FORWARD_H
#define SIM_HTTP_FORWARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  const char *xff_append;       /* appended to X-Forwarded-For, or NULL */
  const char *via;              /* this proxy's Via entry, or NULL */
  const char *proto;            /* X-Forwarded-Proto value, or NULL */
  const char *const *drop;      /* more field names left behind (any
                                   case), NULL-terminated; or NULL */
  const char *extra;            /* whole lines "Name: value\r\n" the proxy
                                   adds last, or NULL */
} SimHttpForward;

/* Writes the forwarded form of the request head head[0, len) (a whole
 * header block as sim_http_parse_request measured it) into out; returns
 * its length, 0 when cap is short or head is not a header block. */
size_t sim_http_forward_request (const uint8_t *head, size_t len,
                                 uint8_t *out, size_t cap,
                                 const SimHttpForward *fw);

/* Whether a field of that name is hop-by-hop by itself (not counting
 * names a Connection header lists). */
bool sim_http_is_hop_by_hop (const char *name, size_t n);

#endif
