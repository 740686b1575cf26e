/* Deterministic random streams declared in sim/rng.h: PCG32 XSH RR with
 * 64-bit state (M. O'Neill, https://www.pcg-random.org/), one stream per
 * (scenario seed, node, purpose).
 *
 * Callers: models (traffic arrivals, instance choice, back-off jitter),
 * tools/benchmarks/bench-kernel.c.
 *
 * Seeding: FNV-1a 64 over node, a 0 byte, then purpose (so "ab"+"c" and
 * "a"+"bc" differ); that hash and the seed go through splitmix64 to give
 * (initstate, initseq), which seed the generator exactly as the reference
 * pcg32_srandom_r does. Invariant: inc is odd. No libc or glib randomness,
 * no clock. */
#include "sim/rng.h"

#include <math.h>
#include <stddef.h>

#define PCG32_MULT 6364136223846793005ULL
#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

static uint64_t
fnv1a64_byte (uint64_t h, unsigned char byte)
{
  return (h ^ byte) * FNV64_PRIME;
}

/* A NULL string hashes like "". */
static uint64_t
fnv1a64_string (uint64_t h, const char *s)
{
  for (const unsigned char *p = (const unsigned char *) s; p && *p; p++)
    h = fnv1a64_byte (h, *p);
  return h;
}

/* splitmix64 (Steele, Lea, Flood): advances *x and returns its output. */
static uint64_t
splitmix64_next (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
sim_rng_init (SimRng *rng, uint64_t seed, const char *node,
              const char *purpose)
{
  uint64_t h = FNV64_OFFSET, x = seed, initstate, initseq;

  h = fnv1a64_string (h, node);
  h = fnv1a64_byte (h, 0);
  h = fnv1a64_string (h, purpose);
  x = splitmix64_next (&x) ^ h;
  initstate = splitmix64_next (&x);
  initseq = splitmix64_next (&x);

  /* pcg32_srandom_r */
  rng->state = 0;
  rng->inc = (initseq << 1) | 1;
  sim_rng_u32 (rng);
  rng->state += initstate;
  sim_rng_u32 (rng);
}

uint32_t
sim_rng_u32 (SimRng *rng)
{
  uint64_t old = rng->state;
  uint32_t xorshifted = (uint32_t) (((old >> 18) ^ old) >> 27);
  uint32_t rot = (uint32_t) (old >> 59);

  rng->state = old * PCG32_MULT + rng->inc;
  return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

uint64_t
sim_rng_u64 (SimRng *rng)
{
  uint64_t hi = sim_rng_u32 (rng);

  return (hi << 32) | sim_rng_u32 (rng);
}

/* Lemire, "Fast Random Integer Generation in an Interval" (2019): the high
 * word of u32 * bound, rejecting the few low words that would bias it.
 * bound == 0 (outside the contract) returns 0. */
uint32_t
sim_rng_below (SimRng *rng, uint32_t bound)
{
  uint64_t m = (uint64_t) sim_rng_u32 (rng) * bound;
  uint32_t low = (uint32_t) m;

  if (low < bound)
    {
      uint32_t threshold = (uint32_t) -bound % bound;

      while (low < threshold)
        {
          m = (uint64_t) sim_rng_u32 (rng) * bound;
          low = (uint32_t) m;
        }
    }
  return (uint32_t) (m >> 32);
}

double
sim_rng_uniform (SimRng *rng)
{
  return (double) (sim_rng_u64 (rng) >> 11) * 0x1.0p-53;
}

SimTime
sim_rng_exponential (SimRng *rng, SimTime mean)
{
  double t;

  if (mean <= 0)
    return 0;
  t = -(double) mean * log1p (-sim_rng_uniform (rng));
  if (t >= 0x1.0p63)
    return SIM_TIME_MAX;
  if (t < 1.0)
    return 1;
  return (SimTime) (t + 0.5);
}
