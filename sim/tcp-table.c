/* The connection table (sim/tcp-table.h). */
#include "sim/tcp-table.h"

#include <glib.h>
#include <string.h>

#define TABLE_INITIAL 64u

/* A key is two 64-bit words with no padding: hashed and compared as
 * such (the words' order in memory only orders the table, which nobody
 * iterates but teardown). */
G_STATIC_ASSERT (sizeof (SimTcpKey) == 16);

static inline void
key_words (const SimTcpKey *k, uint64_t w[2])
{
  memcpy (w, k, sizeof *k);
}

static inline uint32_t
key_hash (const SimTcpKey *k)
{
  uint64_t w[2], h;

  key_words (k, w);
  h = w[0] * 0x9e3779b97f4a7c15u;
  h ^= w[1] * 0xc2b2ae3d27d4eb4fu;
  return (uint32_t) (h ^ (h >> 32));
}

static inline bool
key_equal (const SimTcpKey *a, const SimTcpKey *b)
{
  uint64_t x[2], y[2];

  key_words (a, x);
  key_words (b, y);
  return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

void
sim_tcp_table_init (SimTcpTable *t)
{
  t->slots = g_new0 (SimTcpSlot, TABLE_INITIAL);
  t->mask = TABLE_INITIAL - 1;
  t->len = 0;
}

void
sim_tcp_table_clear (SimTcpTable *t)
{
  g_free (t->slots);
  memset (t, 0, sizeof *t);
}

/* The slot holding key, or the empty slot ending its run. */
static inline SimTcpSlot *
table_find (const SimTcpTable *t, const SimTcpKey *key)
{
  uint32_t i = key_hash (key) & t->mask;

  while (t->slots[i].value != NULL && !key_equal (&t->slots[i].key, key))
    i = (i + 1) & t->mask;
  return &t->slots[i];
}

void *
sim_tcp_table_lookup (const SimTcpTable *t, const SimTcpKey *key)
{
  return table_find (t, key)->value;
}

static void
table_grow (SimTcpTable *t)
{
  SimTcpSlot *old = t->slots;
  uint32_t n = t->mask + 1;

  t->slots = g_new0 (SimTcpSlot, 2 * n);
  t->mask = 2 * n - 1;
  for (uint32_t i = 0; i < n; i++)
    if (old[i].value != NULL)
      *table_find (t, &old[i].key) = old[i];
  g_free (old);
}

void
sim_tcp_table_insert (SimTcpTable *t, const SimTcpKey *key, void *value)
{
  SimTcpSlot *slot;

  g_assert (value != NULL);
  if (2 * (t->len + 1) > t->mask + 1)
    table_grow (t);
  slot = table_find (t, key);
  g_assert (slot->value == NULL);
  slot->key = *key;
  slot->value = value;
  t->len++;
}

/* Backward-shift deletion: each later slot of the run moves into the
 * hole unless its home lies cyclically in (hole, itself]. */
void
sim_tcp_table_remove (SimTcpTable *t, const SimTcpKey *key)
{
  SimTcpSlot *slot = table_find (t, key);
  uint32_t hole, i;

  if (slot->value == NULL)
    return;
  t->len--;
  hole = (uint32_t) (slot - t->slots);
  i = hole;
  for (;;)
    {
      uint32_t home;

      i = (i + 1) & t->mask;
      if (t->slots[i].value == NULL)
        break;
      home = key_hash (&t->slots[i].key) & t->mask;
      if (((i - home) & t->mask) < ((i - hole) & t->mask))
        continue;
      t->slots[hole] = t->slots[i];
      hole = i;
    }
  t->slots[hole].value = NULL;
}
