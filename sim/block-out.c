/* Block writes (sim/block-out.h). */
#include "sim/block-out.h"

#include <errno.h>
#include <glib.h>
#include <string.h>

void
sim_block_out_init (SimBlockOut *b, FILE *file, size_t cap)
{
  g_assert (file != NULL && cap > 0);
  *b = (SimBlockOut) { .file = file, .buf = g_malloc (cap), .cap = cap };
  setvbuf (file, NULL, _IONBF, 0);
}

void
sim_block_out_clear (SimBlockOut *b)
{
  g_free (b->buf);
  *b = (SimBlockOut) { 0 };
}

/* Writes data[0, n) to the file itself (it is unbuffered: one write). */
static bool
block_put (SimBlockOut *b, const void *data, size_t n)
{
  if (b->error != 0)
    return false;
  errno = 0;
  /* One writer per file: no stdio locking. */
  if (n > 0 && fwrite_unlocked (data, 1, n, b->file) != n)
    {
      b->error = errno != 0 ? errno : EIO;
      return false;
    }
  return true;
}

bool
sim_block_out_flush (SimBlockOut *b)
{
  bool ok = block_put (b, b->buf, b->len);

  b->len = 0;
  return ok;
}

uint8_t *
sim_block_out_reserve (SimBlockOut *b, size_t n)
{
  uint8_t *p;

  g_assert (n <= b->cap);
  if (G_UNLIKELY (b->len + n > b->cap) && !sim_block_out_flush (b))
    return NULL;
  if (G_UNLIKELY (b->error != 0))
    return NULL;
  p = b->buf + b->len;
  b->len += n;
  return p;
}

bool
sim_block_out_write (SimBlockOut *b, const void *data, size_t n)
{
  uint8_t *p;

  if (n > b->cap)
    return sim_block_out_flush (b) && block_put (b, data, n);
  p = sim_block_out_reserve (b, n);
  if (p == NULL)
    return false;
  memcpy (p, data, n);
  return true;
}
