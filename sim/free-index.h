/* A set of n slots (ports, addresses) with the k-th free one found in
 * O(log n): a Fenwick tree of taken counts. For drawing a free port at
 * random when most are taken, where redrawing until a free one comes up
 * would cost n / free draws each time. */
#ifndef SIM_FREE_INDEX_H
#define SIM_FREE_INDEX_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint32_t n;
  uint32_t taken;
  uint32_t *tree;               /* tree[1..n]: Fenwick sums of taken */
  uint8_t *is_taken;            /* is_taken[0..n-1] */
} SimFreeIndex;

void sim_free_index_init (SimFreeIndex *fi, uint32_t n);
void sim_free_index_clear (SimFreeIndex *fi);
/* Marks slot i (< n) taken or free; a no-op when it already is. */
void sim_free_index_take (SimFreeIndex *fi, uint32_t i);
void sim_free_index_give (SimFreeIndex *fi, uint32_t i);
bool sim_free_index_taken (const SimFreeIndex *fi, uint32_t i);
uint32_t sim_free_index_n_free (const SimFreeIndex *fi);
/* How many of the slots below i (<= n) are taken. */
uint32_t sim_free_index_taken_below (const SimFreeIndex *fi, uint32_t i);
/* The k-th free slot in increasing order (k < n_free). */
uint32_t sim_free_index_nth_free (const SimFreeIndex *fi, uint32_t k);

#endif
