/* Helpers of the world's configuration (see models/world/config.h). */
#include "models/world/config.h"

#include "sim/wire.h"

bool
vpc_cidr_contains (const VpcCidr *c, uint32_t addr)
{
  return (addr & sim_cidr_mask (c->len)) == c->prefix;
}
