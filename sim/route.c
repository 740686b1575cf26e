/* A longest-prefix-match routing table.
 *
 * Called by routing nodes: add at set-up time, look up per packet.
 *
 * Layout: the routes themselves live in one array in insertion order
 * (route->order is their index). Beside it, one bucket per prefix length
 * (0..32) holds small keys (prefix, priority, order) sorted by exactly that
 * triple, and a bitmask says which lengths are non-empty. A lookup walks
 * the non-empty lengths from the longest down and binary-searches each
 * bucket for the first key whose prefix equals addr & mask: being first in
 * (prefix, priority, order) order, it is the lowest priority and then the
 * earliest added, so the first hit is the answer.
 *
 * Invariants: every bucket is sorted; every key's order indexes the route
 * array; bit L of `lengths` is set iff bucket L is non-empty. Lookups
 * allocate nothing. Pointers returned by lookup and entry stay valid
 * until the next add. */
#include "sim/route.h"

#include <glib.h>

#define N_LENGTHS 33

typedef struct {
  uint32_t prefix;
  uint32_t priority;
  uint32_t order;
} SimRouteKey;

struct SimRouteTable {
  GArray *routes;               /* SimRoute, in insertion order */
  GArray *bucket[N_LENGTHS];    /* SimRouteKey, sorted, by prefix length */
  uint64_t lengths;             /* bit L set: bucket[L] non-empty */
};

static uint32_t
mask_of (uint8_t len)
{
  return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

static int
key_compare (const SimRouteKey *a, const SimRouteKey *b)
{
  if (a->prefix != b->prefix)
    return (a->prefix > b->prefix) - (a->prefix < b->prefix);
  if (a->priority != b->priority)
    return (a->priority > b->priority) - (a->priority < b->priority);
  return (a->order > b->order) - (a->order < b->order);
}

SimRouteTable *
sim_route_table_new (void)
{
  SimRouteTable *table = g_new0 (SimRouteTable, 1);

  table->routes = g_array_new (FALSE, FALSE, sizeof (SimRoute));
  for (int len = 0; len < N_LENGTHS; len++)
    table->bucket[len] = g_array_new (FALSE, FALSE, sizeof (SimRouteKey));
  return table;
}

void
sim_route_table_free (SimRouteTable *table)
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
bucket_lower_bound (const GArray *bucket, const SimRouteKey *key)
{
  const SimRouteKey *keys = (const SimRouteKey *) bucket->data;
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
sim_route_table_add (SimRouteTable *table, uint32_t prefix, uint8_t len,
                     uint32_t priority, void *value)
{
  SimRoute route;
  SimRouteKey key;
  GArray *bucket;

  g_assert (len <= 32);
  g_assert ((prefix & ~mask_of (len)) == 0);
  g_assert (table->routes->len < UINT32_MAX);

  route.prefix = prefix;
  route.len = len;
  route.priority = priority;
  route.order = table->routes->len;
  route.value = value;
  g_array_append_val (table->routes, route);

  /* The new key sorts after every existing one with the same prefix and
   * priority, since its order is the largest so far. */
  key.prefix = prefix;
  key.priority = priority;
  key.order = route.order;
  bucket = table->bucket[len];
  g_array_insert_val (bucket, bucket_lower_bound (bucket, &key), key);
  table->lengths |= (uint64_t) 1 << len;
}

/* The longest non-empty length in mask, which must be non-zero. */
static int
highest_length (uint64_t mask)
{
#if defined(__GNUC__)
  return 63 - __builtin_clzll (mask);
#else
  int len = 63;

  while ((mask >> len & 1) == 0)
    len--;
  return len;
#endif
}

const SimRoute *
sim_route_table_lookup (const SimRouteTable *table, uint32_t addr)
{
  uint64_t pending = table->lengths;

  while (pending != 0)
    {
      int len = highest_length (pending);
      const GArray *bucket = table->bucket[len];
      const SimRouteKey *keys = (const SimRouteKey *) bucket->data;
      SimRouteKey want = { addr & mask_of ((uint8_t) len), 0, 0 };
      guint i = bucket_lower_bound (bucket, &want);

      if (i < bucket->len && keys[i].prefix == want.prefix)
        return &g_array_index (table->routes, SimRoute, keys[i].order);
      pending &= ~((uint64_t) 1 << len);
    }
  return NULL;
}

unsigned
sim_route_table_size (const SimRouteTable *table)
{
  return table->routes->len;
}

/* Routes in insertion order: entry(i)->order == i. */
const SimRoute *
sim_route_table_entry (const SimRouteTable *table, unsigned index)
{
  g_assert (index < table->routes->len);
  return &g_array_index (table->routes, SimRoute, index);
}
