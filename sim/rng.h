/* Deterministic random streams: PCG32 (O'Neill), one named stream per node
 * and purpose. A stream's state derives from (scenario seed, node name,
 * purpose) through a string hash and splitmix64, so adding a node never
 * perturbs the draws of another. Never rand(), g_random_* or the clock. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include "sim/time.h"

typedef struct {
  uint64_t state;               /* PCG32 state */
  uint64_t inc;                 /* PCG32 stream selector, always odd */
} SimRng;

void sim_rng_init (SimRng *rng, uint64_t seed, const char *node,
                   const char *purpose);
uint32_t sim_rng_u32 (SimRng *rng);
uint64_t sim_rng_u64 (SimRng *rng);
/* Uniform in [0, bound) without modulo bias; bound > 0. */
uint32_t sim_rng_below (SimRng *rng, uint32_t bound);
/* Uniform double in [0, 1) with 53 random bits. */
double sim_rng_uniform (SimRng *rng);
/* Exponentially distributed time with the given mean (>= 1 ns result
 * unless mean is 0). */
SimTime sim_rng_exponential (SimRng *rng, SimTime mean);

#endif
