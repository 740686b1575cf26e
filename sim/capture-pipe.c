/* The capture's chunk pipe (sim/capture-pipe.h).
 *
 * Invariants:
 * - CAPTURE_PIPE_CHUNKS chunks exist from new to free: the producer holds
 *   one (cur), the others are in full (waiting for the writer), with the
 *   writer, or in empty. The producer pops empty to replace cur, so it
 *   waits exactly when all the others are full or being consumed.
 * - handed counts the chunks the producer pushed to full; consumed, under
 *   lock, those the writer has finished. Sync waits until they are equal.
 * - The writer stops at the stop sentinel, pushed once by free after a
 *   sync, so no chunk is left unconsumed.
 * - Without a thread, cur is consumed in place when full: empty and full
 *   stay unused. */
#include "sim/capture-pipe.h"

#include <string.h>

/* Large enough that hand-offs are rare (some hundreds a second at full
 * speed), small enough that the pool stays a few MiB. */
#define CAPTURE_PIPE_CHUNK_SIZE ((size_t) 2 << 20)
#define CAPTURE_PIPE_CHUNKS 4

typedef struct {
  uint8_t *data;                /* owned; 8-aligned (g_malloc) */
  size_t len;                   /* bytes committed */
  size_t size;                  /* bytes allocated */
} CapturePipeChunk;

struct CapturePipe {
  CapturePipeConsume consume;   /* borrowed */
  gpointer data;                /* borrowed */
  CapturePipeChunk chunks[CAPTURE_PIPE_CHUNKS];
  CapturePipeChunk *cur;        /* the producer's */
  CapturePipeChunk stop;        /* sentinel: the writer returns */
  GThread *thread;              /* NULL: consume on the producer's thread */
  GAsyncQueue *full;            /* CapturePipeChunk*, to the writer */
  GAsyncQueue *empty;           /* CapturePipeChunk*, back to the producer */
  GMutex lock;                  /* guards consumed */
  GCond cond;                   /* consumed went up */
  uint64_t handed;              /* producer only */
  uint64_t consumed;            /* under lock */
};

static gpointer
capture_pipe_writer (gpointer data)
{
  CapturePipe *pipe = data;

  for (;;)
    {
      CapturePipeChunk *chunk = g_async_queue_pop (pipe->full);

      if (chunk == &pipe->stop)
        return NULL;
      pipe->consume (pipe->data, chunk->data, chunk->len);
      chunk->len = 0;
      g_mutex_lock (&pipe->lock);
      pipe->consumed++;
      g_cond_broadcast (&pipe->cond);
      g_mutex_unlock (&pipe->lock);
      g_async_queue_push (pipe->empty, chunk);
    }
}

CapturePipe *
capture_pipe_new (bool threaded, CapturePipeConsume consume, gpointer data)
{
  CapturePipe *pipe = g_new0 (CapturePipe, 1);
  guint n = threaded ? CAPTURE_PIPE_CHUNKS : 1;

  pipe->consume = consume;
  pipe->data = data;
  g_mutex_init (&pipe->lock);
  g_cond_init (&pipe->cond);
  pipe->full = g_async_queue_new ();
  pipe->empty = g_async_queue_new ();
  for (guint i = 0; i < n; i++)
    {
      pipe->chunks[i].size = CAPTURE_PIPE_CHUNK_SIZE;
      pipe->chunks[i].data = g_malloc (CAPTURE_PIPE_CHUNK_SIZE);
      if (i > 0)
        g_async_queue_push (pipe->empty, &pipe->chunks[i]);
    }
  pipe->cur = &pipe->chunks[0];
  /* No thread is no failure: the bytes are the same, consumed sooner. */
  if (threaded)
    pipe->thread = g_thread_try_new ("capture-writer", capture_pipe_writer,
                                     pipe, NULL);
  return pipe;
}

/* Passes cur on and takes an empty chunk in its place (waiting for one
 * when all are full), or consumes it in place without a thread. */
static void
capture_pipe_hand_off (CapturePipe *pipe)
{
  if (pipe->cur->len == 0)
    return;
  if (pipe->thread == NULL)
    {
      pipe->consume (pipe->data, pipe->cur->data, pipe->cur->len);
      pipe->cur->len = 0;
      return;
    }
  pipe->handed++;
  g_async_queue_push (pipe->full, pipe->cur);
  pipe->cur = g_async_queue_pop (pipe->empty);
}

uint8_t *
capture_pipe_reserve (CapturePipe *pipe, size_t n)
{
  CapturePipeChunk *chunk;

  g_assert (n % 8 == 0);
  if (pipe->cur->size - pipe->cur->len < n)
    capture_pipe_hand_off (pipe);
  chunk = pipe->cur;
  if (chunk->size < n)
    {
      /* One record larger than a chunk (a frame with very long
       * comments): this chunk grows for good. */
      chunk->data = g_realloc (chunk->data, n);
      chunk->size = n;
    }
  return chunk->data + chunk->len;
}

void
capture_pipe_commit (CapturePipe *pipe, size_t n)
{
  g_assert (pipe->cur->size - pipe->cur->len >= n);
  pipe->cur->len += n;
}

void
capture_pipe_sync (CapturePipe *pipe)
{
  capture_pipe_hand_off (pipe);
  if (pipe->thread == NULL)
    return;
  g_mutex_lock (&pipe->lock);
  while (pipe->consumed < pipe->handed)
    g_cond_wait (&pipe->cond, &pipe->lock);
  g_mutex_unlock (&pipe->lock);
}

void
capture_pipe_free (CapturePipe *pipe)
{
  if (pipe == NULL)
    return;
  capture_pipe_sync (pipe);
  if (pipe->thread)
    {
      g_async_queue_push (pipe->full, &pipe->stop);
      g_thread_join (pipe->thread);
    }
  for (guint i = 0; i < CAPTURE_PIPE_CHUNKS; i++)
    g_free (pipe->chunks[i].data);
  g_async_queue_unref (pipe->full);
  g_async_queue_unref (pipe->empty);
  g_mutex_clear (&pipe->lock);
  g_cond_clear (&pipe->cond);
  g_free (pipe);
}
