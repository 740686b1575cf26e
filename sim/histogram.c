/* Duration histogram with four significant digits (see sim/histogram.h).
 *
 *   value < 10^4           exact[value]
 *   10^(e+3) <= v < 10^(e+4), e >= 1
 *                          decade[e - 1][v / 10^e - 1000]
 */
#include "sim/histogram.h"

#include <glib.h>
#include <math.h>

#define EXACT_BUCKETS 10000u
#define DECADE_BUCKETS 9000u

void
sim_histogram_init (SimHistogram *h)
{
  *h = (SimHistogram) { 0 };
}

void
sim_histogram_clear (SimHistogram *h)
{
  g_free (h->exact);
  for (int d = 0; d < SIM_HISTOGRAM_DECADES; d++)
    g_free (h->decade[d]);
  sim_histogram_init (h);
}

/* Where value goes: its decade (-1 for the exact range) and bucket. */
static void
histogram_place (uint64_t value, int *decade, uint32_t *bucket,
                 uint64_t *scale)
{
  uint64_t s = 1;
  int e = 0;

  while (value / s >= EXACT_BUCKETS)
    {
      s *= 10;
      e++;
    }
  *decade = e - 1;
  *bucket = (uint32_t) (e == 0 ? value : value / s - 1000);
  *scale = s;
}

SimTime
sim_histogram_bucket_value (SimTime value)
{
  int decade;
  uint32_t bucket;
  uint64_t scale;

  g_assert (value >= 0);
  histogram_place ((uint64_t) value, &decade, &bucket, &scale);
  return decade < 0 ? value : (SimTime) ((bucket + 1000) * scale);
}

void
sim_histogram_add (SimHistogram *h, SimTime value, uint64_t n)
{
  int decade;
  uint32_t bucket;
  uint64_t scale;
  uint32_t **slot;

  g_assert (value >= 0);
  if (n == 0)
    return;
  histogram_place ((uint64_t) value, &decade, &bucket, &scale);
  slot = decade < 0 ? &h->exact : &h->decade[decade];
  if (*slot == NULL)
    *slot = g_new0 (uint32_t, decade < 0 ? EXACT_BUCKETS : DECADE_BUCKETS);
  g_assert (n <= UINT32_MAX - (*slot)[bucket]);
  (*slot)[bucket] += (uint32_t) n;
  h->count += n;
  if (value > h->max)
    h->max = value;
}

SimTime
sim_histogram_percentile (const SimHistogram *h, double q)
{
  uint64_t rank, qm, seen = 0;
  uint64_t scale = 10;

  if (h->count == 0)
    return 0;
  if (q >= 100)
    return h->max;
  /* Nearest rank, ceil (q% of count), in whole numbers at q's 1/1000
   * resolution: q / 100.0 * count in doubles gives 1998.0000000000002
   * for 99.9% of 2000, one rank too far. */
  qm = (uint64_t) llround (MAX (q, 0.0) * 1000.0);
  rank = qm * (h->count / 100000) + (qm * (h->count % 100000) + 99999) / 100000;
  if (rank == 0)
    rank = 1;
  if (h->exact)
    for (uint32_t b = 0; b < EXACT_BUCKETS; b++)
      if ((seen += h->exact[b]) >= rank)
        return (SimTime) b;
  for (int d = 0; d < SIM_HISTOGRAM_DECADES; d++, scale *= 10)
    if (h->decade[d])
      for (uint32_t b = 0; b < DECADE_BUCKETS; b++)
        if ((seen += h->decade[d][b]) >= rank)
          return (SimTime) ((b + 1000) * scale);
  return h->max;
}
