/* An IPv6 longest-prefix-match routing table with sim/route.h's rules:
 * entries are (prefix, length, priority, value); a lookup returns the
 * entry with the longest matching prefix, then the lowest priority
 * number, then the earliest added. ::/0 is the default route. Lookups
 * allocate nothing; adding is for set-up time. */
#ifndef SIM_ROUTE6_H
#define SIM_ROUTE6_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/ipv6.h"

typedef struct SimRoute6Table SimRoute6Table;

typedef struct {
  SimIp6 prefix;                /* host bits zero */
  uint8_t len;                  /* 0..128 */
  uint32_t priority;            /* lower wins among equal lengths */
  uint32_t order;               /* insertion order, set by the table */
  void *value;                  /* caller's next hop; not owned */
} SimRoute6;

SimRoute6Table *sim_route6_table_new (void);
void sim_route6_table_free (SimRoute6Table *table);
/* Adds a route; prefix host bits must be zero (g_assert'ed). */
void sim_route6_table_add (SimRoute6Table *table, const SimIp6 *prefix,
                           uint8_t len, uint32_t priority, void *value);
/* The best route for addr, or NULL. */
const SimRoute6 *sim_route6_table_lookup (const SimRoute6Table *table,
                                          const SimIp6 *addr);
unsigned sim_route6_table_size (const SimRoute6Table *table);
/* Routes in insertion order: entry(i)->order == i. */
const SimRoute6 *sim_route6_table_entry (const SimRoute6Table *table,
                                         unsigned index);

#endif
