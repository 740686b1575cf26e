/* A histogram of durations kept to four significant decimal digits, the
 * way HdrHistogram keeps latencies: memory follows the range of values,
 * never their number, and a percentile is read in one pass. Values below
 * 10,000 ns are exact; a larger value is kept as itself truncated to four
 * significant digits (12,345,678 ns counts as 12,340,000 ns, so
 * "12.34ms"), an error under 0.1% that always errs low. The maximum is
 * kept exactly. Decades are allocated when first touched. Deterministic;
 * not for negative values. */
#ifndef SIM_HISTOGRAM_H
#define SIM_HISTOGRAM_H

#include <stdint.h>

#include "sim/time.h"

/* Decades 10^4 .. 10^19 ns hold 9,000 buckets each; below 10^4 one
 * bucket per nanosecond. */
#define SIM_HISTOGRAM_DECADES 16

typedef struct {
  uint32_t *exact;                          /* 10,000 buckets or NULL */
  uint32_t *decade[SIM_HISTOGRAM_DECADES];  /* 9,000 buckets or NULL */
  uint64_t count;                           /* values recorded */
  SimTime max;                              /* largest value, exact */
} SimHistogram;

void sim_histogram_init (SimHistogram *h);
void sim_histogram_clear (SimHistogram *h);
/* Records value (>= 0) n times. */
void sim_histogram_add (SimHistogram *h, SimTime value, uint64_t n);
/* The nearest-rank q-th percentile (q in 0..100] of the recorded values,
 * as kept (see above); q = 100 gives the exact maximum. 0 when empty. */
SimTime sim_histogram_percentile (const SimHistogram *h, double q);
/* The value a bucket keeps for value: value truncated to four
 * significant digits (exact below 10,000). */
SimTime sim_histogram_bucket_value (SimTime value);

#endif
