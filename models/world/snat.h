/* Source NAT with a flow table, shared by the hops that rewrite source
 * addresses: Cloud Run's default internet egress, connector instances and
 * Cloud NAT. A mapping is made by the first outbound packet of a flow and
 * found again, both ways, by the flow's addresses and ports. A port block
 * per inside address (Cloud NAT's min-ports-per-vm) bounds how many flows
 * one source may hold at once; a mapping is released when both sides have
 * sent FIN and the other side has acknowledged the later one (then, for
 * Cloud NAT, its port stays taken for the TIME_WAIT timeout), or on RST. Blocks are carved from each translated address's
 * ports 1024..65535; a source that finds no block left is refused like a
 * full one.
 * https://cloud.google.com/nat/docs/ports-and-addresses */
#ifndef CLOUDRUN_SNAT_H
#define CLOUDRUN_SNAT_H

#include <glib.h>
#include <stdbool.h>

#include "models/world/series.h"
#include "sim/node.h"
#include "sim/wire.h"

typedef struct {
  uint32_t inside_addr;         /* original source */
  uint16_t inside_port;
  uint32_t nat_addr;            /* translated source */
  uint16_t nat_port;
  uint32_t remote_addr;         /* the other end */
  uint16_t remote_port;
  uint8_t proto;
  uint8_t fins;                 /* bit 0: inside sent FIN; bit 1: remote */
  uint8_t last_fin;             /* the side (1 or 2) whose FIN came last */
  uint32_t last_fin_end;        /* its sequence number + 1 */
  SimPort *inside;              /* where replies go back */
  SimTime held_until;           /* closed, its port held until then; 0 */
} CloudRunSnatEntry;

typedef struct {
  GHashTable *by_inside;        /* flow key -> entry; lookups only */
  GHashTable *by_nat;           /* flow key -> entry; lookups only */
  GHashTable *blocks;           /* (inside, nat) addr -> block base */
  GHashTable *next_block;       /* nat addr -> next free block base */
  GHashTable *groups;           /* a block's ports toward one remote end:
                                   how many are taken; lookups only */
  uint32_t ports_per_source;    /* size of each source's block */
  uint64_t exhausted;           /* flows refused: the block was full */
  SimWorld *clock;              /* for now(), when closed flows are held */
  SimTime time_wait;            /* how long; 0: released at once */
  CloudRunGauge *ports;         /* ports taken over time, or NULL */
} CloudRunSnat;

void cloudrun_snat_init (CloudRunSnat *snat, uint32_t ports_per_source);
void cloudrun_snat_clear (CloudRunSnat *snat);
/* A TCP flow that closed with FINs keeps its port taken for time_wait
 * (reading world's clock) before the port serves another flow; its
 * mapping still translates late segments meanwhile. RST releases at once. */
void cloudrun_snat_hold_closed (CloudRunSnat *snat, SimWorld *world,
                                SimTime time_wait);
/* Records the ports taken (flows, and closed flows' TIME_WAIT holds) in
 * ports (models/world/series.h), at world's time. */
void cloudrun_snat_count_ports (CloudRunSnat *snat, CloudRunGauge *ports,
                                SimWorld *world);
/* The mapping of an outbound frame, made if new (nat_addr is the address
 * to use). NULL when the source's port block is full. */
CloudRunSnatEntry *cloudrun_snat_outbound (CloudRunSnat *snat,
                                           const SimFrame *frame,
                                           uint32_t nat_addr, SimPort *inside,
                                           bool *created);
/* The mapping an inbound frame (to nat addr/port) belongs to, or NULL. */
CloudRunSnatEntry *cloudrun_snat_inbound (CloudRunSnat *snat,
                                          const SimFrame *frame);
/* Rewrites the frame for its direction; call after the lookups. Releases
 * the mapping once the flow has ended (entry is then gone). */
void cloudrun_snat_translate_out (CloudRunSnat *snat, CloudRunSnatEntry *e,
                                  SimPacket *packet, const SimFrame *frame);
void cloudrun_snat_translate_in (CloudRunSnat *snat, CloudRunSnatEntry *e,
                                 SimPacket *packet, const SimFrame *frame);

#endif
