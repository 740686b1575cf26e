/* A longest-prefix-match routing table. Entries are (prefix, length,
 * priority, value); a lookup returns the entry with the longest matching
 * prefix, then the lowest priority number, then the earliest added.
 * Lookups allocate nothing; adding is for set-up time. */
#ifndef SIM_ROUTE_H
#define SIM_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct SimRouteTable SimRouteTable;

typedef struct {
  uint32_t prefix;              /* host order, host bits zero */
  uint8_t len;                  /* 0..32 */
  uint32_t priority;            /* lower wins among equal lengths */
  uint32_t order;               /* insertion order, set by the table */
  void *value;                  /* caller's next hop; not owned */
} SimRoute;

SimRouteTable *sim_route_table_new (void);
void sim_route_table_free (SimRouteTable *table);
/* Adds a route; prefix host bits must be zero (g_assert'ed). */
void sim_route_table_add (SimRouteTable *table, uint32_t prefix, uint8_t len,
                          uint32_t priority, void *value);
/* The best route for addr, or NULL. */
const SimRoute *sim_route_table_lookup (const SimRouteTable *table,
                                        uint32_t addr);
unsigned sim_route_table_size (const SimRouteTable *table);
const SimRoute *sim_route_table_entry (const SimRouteTable *table,
                                       unsigned index);

#endif
