/* TCP's connection table: open addressing with linear probing, keyed by
 * the 4-tuple stored in the slot, so a lookup reads one run of slots and
 * no connection record until it hits. Removal shifts the run back (no
 * tombstones). It grows (doubling) past half full; lookup, insert and
 * remove allocate nothing otherwise. Never iterated by the simulation:
 * its order is nobody's business but teardown's.
 *
 * Callers: sim/tcp.c (connections, and destinations' counts). */
#ifndef SIM_TCP_TABLE_H
#define SIM_TCP_TABLE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint32_t laddr, raddr;        /* IPv4; 0 for IPv6 */
  uint16_t lport, rport;
  uint32_t pair6;               /* 0: IPv4; else IPv6, the index + 1 of
                                   the (local, remote) address pair in
                                   its SimTcp (sim/tcp-private.h) */
} SimTcpKey;

typedef struct {
  SimTcpKey key;
  void *value;                  /* NULL: the slot is empty */
} SimTcpSlot;

typedef struct {
  SimTcpSlot *slots;            /* owned: mask + 1 of them */
  uint32_t mask;
  uint32_t len;                 /* slots in use */
} SimTcpTable;

void sim_tcp_table_init (SimTcpTable *t);
/* Frees the slots (not the values). */
void sim_tcp_table_clear (SimTcpTable *t);
/* key's value, or NULL. */
void *sim_tcp_table_lookup (const SimTcpTable *t, const SimTcpKey *key);
/* Adds key (absent) with value (not NULL). */
void sim_tcp_table_insert (SimTcpTable *t, const SimTcpKey *key,
                           void *value);
/* Removes key if present. */
void sim_tcp_table_remove (SimTcpTable *t, const SimTcpKey *key);

#endif
