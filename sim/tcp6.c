/* TCP over IPv6 (sim/tcp.h): a connection's key holds no 16-byte
 * addresses but the number of its (local, remote) pair in the SimTcp's
 * pair list, so IPv4 keys stay small and IPv4 lookups as fast; only IPv6
 * segments look a pair up (a scan of the pairs this host has spoken
 * with: few, and only on the IPv6 path). Segments go out through
 * sim/wire6.c and the host's IPv6 output (sim/host.c).
 *
 * Invariants: a pair's number never changes and pairs are never removed
 * (a pair is 32 bytes; a host meets few peers), so a key stays valid for
 * the host's life. Adding a pair is the only allocation, once per pair. */
#include "sim/tcp-private.h"

uint32_t
sim_tcp_pair6 (SimTcp *tcp, const SimIp6 *local, const SimIp6 *remote)
{
  SimTcpPair6 pair = { *local, *remote };

  if (!tcp->pairs6)
    tcp->pairs6 = g_array_new (FALSE, FALSE, sizeof (SimTcpPair6));
  for (guint i = 0; i < tcp->pairs6->len; i++)
    {
      const SimTcpPair6 *p = &g_array_index (tcp->pairs6, SimTcpPair6, i);

      if (sim_ipv6_equal (&p->local, local)
          && sim_ipv6_equal (&p->remote, remote))
        return i + 1;
    }
  g_assert (tcp->pairs6->len < UINT32_MAX);
  g_array_append_val (tcp->pairs6, pair);
  return tcp->pairs6->len;
}

const SimTcpPair6 *
sim_tcp_pair6_get (const SimTcp *tcp, uint32_t pair6)
{
  g_assert (pair6 >= 1 && tcp->pairs6 && pair6 <= tcp->pairs6->len);
  return &g_array_index (tcp->pairs6, SimTcpPair6, pair6 - 1);
}

void
sim_tcp_send6 (SimTcp *tcp, const SimTcpKey *key, SimPacket *packet,
               const SimTcpHeader *h)
{
  const SimTcpPair6 *pair = sim_tcp_pair6_get (tcp, key->pair6);

  sim_tcp6_push (packet, &pair->local, &pair->remote, h);
  sim_host_output6 (tcp->host, packet, &pair->local, &pair->remote,
                    SIM_IPPROTO_TCP);
}
