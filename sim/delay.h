/* Random delays: a duration that is either fixed or drawn, for each use,
 * from a distribution (exponential, log-normal, normal) with a caller's
 * random stream (sim/rng.h), so the same seed gives the same draws.
 * Models use it for service times; the format parses it
 * (models/format/key-compound.c). */
#ifndef SIM_DELAY_H
#define SIM_DELAY_H

#include "sim/rng.h"
#include "sim/time.h"

typedef enum {
  SIM_DELAY_FIXED = 0,          /* a */
  SIM_DELAY_EXPONENTIAL,        /* mean a */
  SIM_DELAY_LOGNORMAL,          /* median a, 99th percentile b (b > a > 0) */
  SIM_DELAY_NORMAL,             /* mean a, standard deviation b; a draw
                                   below 0 counts as 0 */
} SimDelayKind;

typedef struct {
  SimDelayKind kind;
  SimTime a, b;                 /* as the kind says; b unused when fixed or
                                   exponential */
} SimDelay;

/* One delay: a for fixed, else a draw from rng, clamped to
 * [0, SIM_TIME_MAX / 4]. */
SimTime sim_delay_draw (const SimDelay *delay, SimRng *rng);
/* The distribution's mean (for estimates). */
SimTime sim_delay_mean (const SimDelay *delay);

#endif
