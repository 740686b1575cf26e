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

#endif
