/* Simulated time: signed 64-bit nanoseconds since the start of a run.
 * No floating point time anywhere in the engine. */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>

typedef int64_t SimTime;

#define SIM_NS ((SimTime) 1)
#define SIM_US ((SimTime) 1000)
#define SIM_MS ((SimTime) 1000000)
#define SIM_S ((SimTime) 1000000000)
#define SIM_TIME_MAX INT64_MAX

/* a + b for times >= 0, SIM_TIME_MAX when the sum would not fit. */
static inline SimTime
sim_time_add_sat (SimTime a, SimTime b)
{
  return b > SIM_TIME_MAX - a ? SIM_TIME_MAX : a + b;
}

/* t * n for t >= 0, SIM_TIME_MAX when the product would not fit. */
static inline SimTime
sim_time_mul_sat (SimTime t, uint64_t n)
{
  return n != 0 && (uint64_t) t > (uint64_t) SIM_TIME_MAX / n
         ? SIM_TIME_MAX : (SimTime) ((uint64_t) t * n);
}

#endif
