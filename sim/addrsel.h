/* Default destination address selection (RFC 6724): the order in which a
 * dual-stack stub (glibc's getaddrinfo) hands a name's addresses to its
 * caller, from the host's own source addresses and a policy table: RFC
 * 6724 section 2.1's default, or glibc's (getaddrinfo without
 * /etc/gai.conf: RFC 3484's precedences, under which IPv4 ranks below
 * every IPv6 address and unique local addresses rank as global ones).
 * IPv4 addresses take part as IPv4-mapped IPv6 addresses
 * (::ffff:a.b.c.d), as the RFC says.
 *
 * Rules kept (section 6): 1 avoid unusable destinations (known
 * unreachable, or no source of that family), 2 prefer matching scope, 5 prefer matching label, 6
 * prefer higher precedence, 8 prefer smaller scope, 9 longest matching
 * prefix (IPv6 destinations only, as glibc does; a source's prefix is
 * taken as /64), 10 otherwise keep the order. Rules 3, 4 and 7 need an
 * interface's state (deprecated, home, encapsulating) that sim/ hosts
 * do not have, so they never decide. Source(D) follows section 5's rules
 * 1 (same address), 2 (appropriate scope), 6 (matching label) and 8
 * (longest matching prefix) among the sources of D's family.
 *
 * Nothing allocates; sorting is a stable insertion sort (lists are a
 * DNS answer's few addresses). */
#ifndef SIM_ADDRSEL_H
#define SIM_ADDRSEL_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/ipv6.h"

/* The most addresses sim_addrsel_interleave takes. */
#define SIM_ADDRSEL_MAX 32u

/* RFC 4007 scope values used by the rules. */
#define SIM_ADDRSEL_SCOPE_LINK 2u
#define SIM_ADDRSEL_SCOPE_SITE 5u
#define SIM_ADDRSEL_SCOPE_GLOBAL 14u

/* Which default policy table the rules read. */
typedef enum {
  SIM_ADDRSEL_RFC6724,          /* RFC 6724 section 2.1 */
  SIM_ADDRSEL_GLIBC,            /* glibc's built-in table (RFC 3484's) */
} SimAddrselTable;

/* One destination address and what the sort learnt about it. */
typedef struct {
  SimIp6 addr;                  /* IPv6, or IPv4-mapped */
  bool unreachable;             /* set by the caller: known unreachable
                                   (no route), so unusable (rule 1) */
  bool usable;                  /* reachable, and a source of its family
                                   exists */
  SimIp6 source;                /* Source(D) when usable */
  uint8_t rule;                 /* set by sim_addrsel_sort: the rule that
                                   put it ahead of the next one (1..10; 0
                                   for the last) */
} SimAddrselDest;

/* The host's source addresses (IPv4 as mapped), not owned, and the
 * policy table it sorts by. */
typedef struct {
  const SimIp6 *addrs;
  unsigned n;
  SimAddrselTable table;
} SimAddrselSources;

/* a.b.c.d (host order) as ::ffff:a.b.c.d, and back (false: not mapped). */
SimIp6 sim_addrsel_mapped (uint32_t ipv4);
bool sim_addrsel_is_mapped (const SimIp6 *addr, uint32_t *ipv4);

/* The table's precedence and label for addr; addr's scope. */
unsigned sim_addrsel_precedence (SimAddrselTable table, const SimIp6 *addr);
unsigned sim_addrsel_label (SimAddrselTable table, const SimIp6 *addr);
unsigned sim_addrsel_scope (const SimIp6 *addr);
/* Leading bits a and b share, at most 64 (a source's prefix). */
unsigned sim_addrsel_common_prefix (const SimIp6 *a, const SimIp6 *b);

/* Fills d->usable and d->source from srcs (section 5). */
void sim_addrsel_source (SimAddrselDest *d, const SimAddrselSources *srcs);
/* The first rule that tells a and b apart (both with their sources
 * filled), and in *a_first whether it puts a first; 10 when none does
 * (*a_first true: the order stays). */
unsigned sim_addrsel_compare (SimAddrselTable table, const SimAddrselDest *a,
                              const SimAddrselDest *b, bool *a_first);
/* Fills every source and sorts dests[0..n) in place (stable), each
 * dest's rule saying why it precedes the next. */
void sim_addrsel_sort (SimAddrselDest *dests, unsigned n,
                       const SimAddrselSources *srcs);

/* RFC 8305 section 4 (Happy Eyeballs): dests[0..n), sorted, with the
 * families taking turns, IPv6 first when v6_first; each family keeps its
 * order, and the longer one's rest goes last. */
void sim_addrsel_interleave (SimAddrselDest *dests, unsigned n,
                             bool v6_first);

#endif
