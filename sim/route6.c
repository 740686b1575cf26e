/* The IPv6 routing table (sim/route6.h), laid out as sim/route.c's.
 *
 * Called by routing nodes and hosts: add at set-up time, look up per
 * packet.
 *
 * Layout: the routes live in one array in insertion order (route->order
 * is their index). Beside it, one bucket per prefix length (0..128) holds
 * small keys (prefix as two host-order 64-bit halves, priority, order)
 * sorted by exactly that tuple, and a 129-bit mask says which lengths are
 * non-empty. A lookup walks the non-empty lengths from the longest down
 * and binary-searches each bucket for the first key whose prefix equals
 * the masked address: first in (prefix, priority, order) order, it is the
 * lowest priority and then the earliest added, so the first hit wins.
 *
 * Invariants: every bucket is sorted; every key's order indexes the route
 * array; bit L of `lengths` is set iff bucket L is non-empty. Lookups
 * allocate nothing. Pointers returned by lookup and entry stay valid
 * until the next add. */
#include "sim/route6.h"

#include <glib.h>

#define N_LENGTHS 129
#define N_WORDS 3               /* uint64_t words of the length mask */

typedef struct {
  uint64_t hi, lo;              /* the prefix, host order */
  uint32_t priority;
  uint32_t order;
} SimRoute6Key;

struct SimRoute6Table {
  GArray *routes;               /* SimRoute6, in insertion order */
  GArray *bucket[N_LENGTHS];    /* SimRoute6Key, sorted, by length */
  uint64_t lengths[N_WORDS];    /* bit L set: bucket[L] non-empty */
};

static uint64_t
half_of (const uint8_t b[8])
{
  uint64_t v = 0;

  for (int i = 0; i < 8; i++)
    v = v << 8 | b[i];
  return v;
}

/* The top len (0..64) bits of a 64-bit word set. */
static uint64_t
mask64 (unsigned len)
{
  return len == 0 ? 0 : UINT64_MAX << (64 - len);
}

/* addr masked to len bits, as a key's prefix. */
static void
key_prefix (const SimIp6 *addr, unsigned len, SimRoute6Key *key)
{
  key->hi = half_of (addr->b) & mask64 (len > 64 ? 64 : len);
  key->lo = half_of (addr->b + 8) & mask64 (len > 64 ? len - 64 : 0);
}

static int
cmp64 (uint64_t a, uint64_t b)
{
  return (a > b) - (a < b);
}

static int
key_compare (const SimRoute6Key *a, const SimRoute6Key *b)
{
  if (a->hi != b->hi)
    return cmp64 (a->hi, b->hi);
  if (a->lo != b->lo)
    return cmp64 (a->lo, b->lo);
  if (a->priority != b->priority)
    return (a->priority > b->priority) - (a->priority < b->priority);
  return (a->order > b->order) - (a->order < b->order);
}

SimRoute6Table *
sim_route6_table_new (void)
{
  SimRoute6Table *table = g_new0 (SimRoute6Table, 1);

  table->routes = g_array_new (FALSE, FALSE, sizeof (SimRoute6));
  for (int len = 0; len < N_LENGTHS; len++)
    table->bucket[len] = g_array_new (FALSE, FALSE, sizeof (SimRoute6Key));
  return table;
}

void
sim_route6_table_free (SimRoute6Table *table)
{
  if (table == NULL)
    return;
  for (int len = 0; len < N_LENGTHS; len++)
    g_array_unref (table->bucket[len]);
  g_array_unref (table->routes);
  g_free (table);
}

/* Index of the first key in bucket not less than key. */
static guint
bucket_lower_bound (const GArray *bucket, const SimRoute6Key *key)
{
  const SimRoute6Key *keys = (const SimRoute6Key *) bucket->data;
  guint lo = 0, hi = bucket->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (key_compare (&keys[mid], key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
sim_route6_table_add (SimRoute6Table *table, const SimIp6 *prefix,
                      uint8_t len, uint32_t priority, void *value)
{
  SimRoute6 route;
  SimRoute6Key key;
  GArray *bucket;

  g_assert (len <= 128);
  g_assert (table->routes->len < UINT32_MAX);
  key_prefix (prefix, len, &key);
  g_assert (key.hi == half_of (prefix->b)
            && key.lo == half_of (prefix->b + 8)); /* host bits zero */

  route.prefix = *prefix;
  route.len = len;
  route.priority = priority;
  route.order = table->routes->len;
  route.value = value;
  g_array_append_val (table->routes, route);

  /* The new key sorts after every existing one with the same prefix and
   * priority, since its order is the largest so far. */
  key.priority = priority;
  key.order = route.order;
  bucket = table->bucket[len];
  g_array_insert_val (bucket, bucket_lower_bound (bucket, &key), key);
  table->lengths[len / 64] |= (uint64_t) 1 << (len % 64);
}

/* The highest set bit of a non-zero word. */
static int
top_bit (uint64_t bits)
{
#if defined(__GNUC__)
  return 63 - __builtin_clzll (bits);
#else
  int bit = 63;

  while ((bits >> bit & 1) == 0)
    bit--;
  return bit;
#endif
}

/* The longest non-empty length at most max, or -1 when there is none. */
static int
highest_length (const uint64_t lengths[N_WORDS], int max)
{
  if (max < 0)
    return -1;
  for (int w = max / 64; w >= 0; w--)
    {
      uint64_t bits = lengths[w];

      if (w == max / 64 && max % 64 != 63)
        bits &= ((uint64_t) 1 << (max % 64 + 1)) - 1;
      if (bits != 0)
        return w * 64 + top_bit (bits);
    }
  return -1;
}

const SimRoute6 *
sim_route6_table_lookup (const SimRoute6Table *table, const SimIp6 *addr)
{
  for (int len = highest_length (table->lengths, N_LENGTHS - 1); len >= 0;
       len = highest_length (table->lengths, len - 1))
    {
      const GArray *bucket = table->bucket[len];
      const SimRoute6Key *keys = (const SimRoute6Key *) bucket->data;
      SimRoute6Key want = { 0, 0, 0, 0 };
      guint i;

      key_prefix (addr, (unsigned) len, &want);
      i = bucket_lower_bound (bucket, &want);
      if (i < bucket->len && keys[i].hi == want.hi && keys[i].lo == want.lo)
        return &g_array_index (table->routes, SimRoute6, keys[i].order);
    }
  return NULL;
}

unsigned
sim_route6_table_size (const SimRoute6Table *table)
{
  return table->routes->len;
}

const SimRoute6 *
sim_route6_table_entry (const SimRoute6Table *table, unsigned index)
{
  g_assert (index < table->routes->len);
  return &g_array_index (table->routes, SimRoute6, index);
}
