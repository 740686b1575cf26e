/* A file written in large blocks: records are appended to one buffer,
 * which goes to the FILE (made unbuffered: one write(2) per block) when
 * the next record does not fit and at flush, so a record costs no stdio
 * call. The first failure (an errno) is sticky: later writes are
 * dropped and reported as failed.
 *
 * Callers: sim/capture-writer.c (per-link pcaps), sim/pcapng.c. */
#ifndef SIM_BLOCK_OUT_H
#define SIM_BLOCK_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
  FILE *file;                   /* not owned */
  uint8_t *buf;                 /* owned: cap bytes */
  size_t len;                   /* bytes waiting in buf */
  size_t cap;
  int error;                    /* errno of the first failure; 0 none */
} SimBlockOut;

/* Makes file unbuffered (call before anything is written through it) and
 * gives it a block of cap bytes. */
void sim_block_out_init (SimBlockOut *b, FILE *file, size_t cap);
/* Frees the block; what it still holds is lost (flush first). */
void sim_block_out_clear (SimBlockOut *b);
/* n bytes (n <= cap) at the end of the block, for the caller to fill
 * whole; NULL once a write failed. */
uint8_t *sim_block_out_reserve (SimBlockOut *b, size_t n);
/* Appends n bytes (any n); false once a write failed. */
bool sim_block_out_write (SimBlockOut *b, const void *data, size_t n);
/* Writes out what the block holds; false once a write failed. */
bool sim_block_out_flush (SimBlockOut *b);

#endif
