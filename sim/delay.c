/* Random delays (see sim/delay.h). The normal draw is Box-Muller with two
 * uniforms per draw (one result kept: the sequence of draws depends on
 * nothing but the stream). A log-normal with median m and 99th percentile
 * p has mu = ln m and sigma = ln (p / m) / z99, z99 the standard normal's
 * 99th percentile. */
#include "sim/delay.h"

#include <glib.h>
#include <math.h>

#define Z99 2.3263478740408408    /* standard normal's 99th percentile */
#define DELAY_MAX ((double) (SIM_TIME_MAX / 4))

static double
standard_normal (SimRng *rng)
{
  double u1 = 1.0 - sim_rng_uniform (rng);      /* (0, 1] */
  double u2 = sim_rng_uniform (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static SimTime
clamp_time (double t)
{
  if (!(t > 0))
    return 0;
  if (t >= DELAY_MAX)
    return (SimTime) DELAY_MAX;
  return (SimTime) (t + 0.5);
}

SimTime
sim_delay_draw (const SimDelay *d, SimRng *rng)
{
  switch (d->kind)
    {
    case SIM_DELAY_FIXED:
      return d->a;
    case SIM_DELAY_EXPONENTIAL:
      return MIN (sim_rng_exponential (rng, d->a), (SimTime) DELAY_MAX);
    case SIM_DELAY_LOGNORMAL:
      return clamp_time (exp (log ((double) d->a)
                              + log ((double) d->b / (double) d->a) / Z99
                                * standard_normal (rng)));
    case SIM_DELAY_NORMAL:
      return clamp_time ((double) d->a + (double) d->b * standard_normal (rng));
    default:
      g_assert_not_reached ();
    }
}

SimTime
sim_delay_mean (const SimDelay *d)
{
  double sigma;

  switch (d->kind)
    {
    case SIM_DELAY_LOGNORMAL:
      sigma = log ((double) d->b / (double) d->a) / Z99;
      return clamp_time ((double) d->a * exp (sigma * sigma / 2));
    default:
      return d->a;              /* fixed, exponential; normal before the
                                   cut at 0 */
    }
}
