/* The Fenwick tree of sim/free-index.h. */
#include "sim/free-index.h"

#include <glib.h>

void
sim_free_index_init (SimFreeIndex *fi, uint32_t n)
{
  g_assert (n > 0 && n < UINT32_MAX);
  fi->n = n;
  fi->taken = 0;
  fi->tree = g_new0 (uint32_t, (gsize) n + 1);
  fi->is_taken = g_new0 (uint8_t, n);
}

void
sim_free_index_clear (SimFreeIndex *fi)
{
  g_free (fi->tree);
  g_free (fi->is_taken);
  fi->tree = NULL;
  fi->is_taken = NULL;
  fi->n = fi->taken = 0;
}

static void
add (SimFreeIndex *fi, uint32_t i, int delta)
{
  for (uint32_t j = i + 1; j <= fi->n; j += j & -j)
    fi->tree[j] = (uint32_t) ((int64_t) fi->tree[j] + delta);
}

void
sim_free_index_take (SimFreeIndex *fi, uint32_t i)
{
  g_assert (i < fi->n);
  if (fi->is_taken[i])
    return;
  fi->is_taken[i] = 1;
  fi->taken++;
  add (fi, i, 1);
}

void
sim_free_index_give (SimFreeIndex *fi, uint32_t i)
{
  g_assert (i < fi->n);
  if (!fi->is_taken[i])
    return;
  fi->is_taken[i] = 0;
  fi->taken--;
  add (fi, i, -1);
}

bool
sim_free_index_taken (const SimFreeIndex *fi, uint32_t i)
{
  return i < fi->n && fi->is_taken[i];
}

uint32_t
sim_free_index_n_free (const SimFreeIndex *fi)
{
  return fi->n - fi->taken;
}

uint32_t
sim_free_index_taken_below (const SimFreeIndex *fi, uint32_t i)
{
  uint32_t sum = 0;

  g_assert (i <= fi->n);
  for (uint32_t j = i; j > 0; j -= j & -j)
    sum += fi->tree[j];
  return sum;
}

/* Binary lifting: tree[pos + step] covers slots pos .. pos + step - 1
 * whenever pos is a multiple of 2 * step, so step - tree[pos + step] of
 * them are free. */
uint32_t
sim_free_index_nth_free (const SimFreeIndex *fi, uint32_t k)
{
  uint32_t pos = 0, rem = k + 1, step = 1;

  g_assert (k < sim_free_index_n_free (fi));
  while (step * 2 <= fi->n)
    step *= 2;
  for (; step; step /= 2)
    if (pos + step <= fi->n && step - fi->tree[pos + step] < rem)
      {
        pos += step;
        rem -= step - fi->tree[pos];
      }
  return pos;
}
