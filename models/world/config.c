/* Helpers of the world's configuration (see models/world/config.h). */
#include "models/world/config.h"

#include "sim/wire.h"

bool
vpc_cidr_contains (const VpcCidr *c, uint32_t addr)
{
  return (addr & sim_cidr_mask (c->len)) == c->prefix;
}

bool
vpc_cidr6_contains (const VpcCidr6 *c, const SimIp6 *addr)
{
  return sim_ipv6_in_prefix (addr, &c->prefix, c->len);
}
