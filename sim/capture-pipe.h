/* A one-way pipe of bytes from the simulation thread to one consumer,
 * for the capture (sim/capture.c): the producer appends records into a
 * large chunk; full chunks go to a writer thread that hands them to the
 * consumer, then back to a small pool. No allocation once the pool is
 * made, unless one record is larger than a chunk (the chunk grows).
 *
 * Backpressure: a fixed number of chunks exists; when all are full or
 * being consumed, the producer waits for the writer to give one back. The
 * writer gives every chunk back whatever the consumer did with it, so the
 * producer never waits forever.
 *
 * Without a thread (synchronous, or when none can be started) a full
 * chunk is consumed at once on the producer's thread: the same bytes
 * reach the consumer in the same order, only sooner.
 *
 * Nothing here depends on timing but when the consumer runs. */
#ifndef SIM_CAPTURE_PIPE_H
#define SIM_CAPTURE_PIPE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CapturePipe CapturePipe;

/* Called with a run of whole records, in the order they were committed;
 * on the writer thread when there is one. */
typedef void (*CapturePipeConsume) (gpointer data, const uint8_t *bytes,
                                    size_t len);

/* consume and data are borrowed until capture_pipe_free(). */
CapturePipe *capture_pipe_new (bool threaded, CapturePipeConsume consume,
                               gpointer data);
/* n contiguous bytes (n a multiple of 8; the result 8-aligned) for one
 * record, valid until capture_pipe_commit(). */
uint8_t *capture_pipe_reserve (CapturePipe *pipe, size_t n);
/* The reserved record is complete. */
void capture_pipe_commit (CapturePipe *pipe, size_t n);
/* Returns when everything committed so far has been consumed. */
void capture_pipe_sync (CapturePipe *pipe);
/* Syncs, stops the writer thread and frees the pipe. */
void capture_pipe_free (CapturePipe *pipe);

#endif
