/* A host's IPv6 addresses and routes (sim/host.h). Sending and receiving
 * over IPv6 share sim/host.c with IPv4. Lookups allocate nothing. */
#include "sim/host.h"

void
sim_host_add_address6 (SimHost *host, const SimIp6 *addr)
{
  g_assert (host->n_addrs6 < SIM_HOST_MAX_ADDRS6);
  if (!sim_host_has_address6 (host, addr))
    host->addrs6[host->n_addrs6++] = *addr;
}

void
sim_host_drop_ipv4 (SimHost *host)
{
  host->n_addrs = 0;
  host->addrs[0] = 0;
}

void
sim_host_add_prefix6 (SimHost *host, const SimIp6 *prefix, uint8_t len)
{
  g_assert (host->n_prefixes6 < SIM_HOST_MAX_PREFIXES6);
  host->prefixes6[host->n_prefixes6].prefix = sim_ipv6_masked (prefix, len);
  host->prefixes6[host->n_prefixes6++].len = len;
}

bool
sim_host_has_address6 (const SimHost *host, const SimIp6 *addr)
{
  for (unsigned i = 0; i < host->n_addrs6; i++)
    if (sim_ipv6_equal (&host->addrs6[i], addr))
      return true;
  for (unsigned i = 0; i < host->n_prefixes6; i++)
    if (sim_ipv6_in_prefix (addr, &host->prefixes6[i].prefix,
                            host->prefixes6[i].len))
      return true;
  return false;
}

void
sim_host_add_route6 (SimHost *host, const SimIp6 *prefix, uint8_t len,
                     SimPort *port)
{
  if (!host->routes6)
    host->routes6 = sim_route6_table_new ();
  sim_route6_table_add (host->routes6, prefix, len, 0, port);
}

const SimRoute6 *
sim_host_route6_taken (const SimHost *host, const SimIp6 *dst)
{
  return host->routes6 ? sim_route6_table_lookup (host->routes6, dst) : NULL;
}

SimPort *
sim_host_route6 (const SimHost *host, const SimIp6 *dst)
{
  const SimRoute6 *route = sim_host_route6_taken (host, dst);

  return route ? route->value : host->default_port;
}

SimIp6
sim_host_source6_for (const SimHost *host, const SimIp6 *dst)
{
  (void) dst;
  g_assert (host->n_addrs6 > 0);
  return host->addrs6[0];
}
