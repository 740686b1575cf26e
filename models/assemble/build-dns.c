/* Cloud DNS forwarding and server policies
 * (https://cloud.google.com/dns/docs/zones/forwarding-zones,
 * /dns/docs/server-policies-overview, /dns/docs/best-practices): a VPC
 * network whose view forwards (a forwarding zone bound to it, an outbound
 * server policy's alternative name servers) or takes inbound queries (an
 * inbound server policy) gets its resolver joined to its router. The
 * resolver sends forwarded queries from 35.199.192.N (N the network's
 * order among such networks, from 1), and the router delivers
 * 35.199.192.0/19 and the inbound addresses to it. An inbound address is
 * the first usable address of each subnet of the network (Google keeps
 * the first two and the last two) that nothing else uses. */
#include "models/assemble/build-private.h"

#include "sim/link.h"

#define FORWARDER_RANGE 0x23c7c000u   /* 35.199.192.0/19 */
#define FORWARDER_LEN 19u

/* The server policy bound to network, or NULL (one at most). */
static const CloudRunSpecDnsServerPolicy *
dns_policy_of (Build *b, const CloudRunSpecNetwork *network)
{
  for (guint i = 0; i < b->sc->dns_server_policies->len; i++)
    {
      const CloudRunSpecDnsServerPolicy *p
        = b->sc->dns_server_policies->pdata[i];
      for (guint k = 0; k < p->networks->len; k++)
        if (g_ptr_array_index (p->networks, k) == network)
          return p;
    }
  return NULL;
}

static bool
dns_forwards (Build *b, const CloudRunSpecNetwork *network)
{
  const CloudRunSpecDnsServerPolicy *p = dns_policy_of (b, network);

  if (p && (p->inbound || p->alternative->len > 0))
    return true;
  for (guint i = 0; i < b->sc->dns_zones->len; i++)
    {
      const CloudRunSpecDnsZone *z = b->sc->dns_zones->pdata[i];
      if (z->forward_to && z->forward_to->len > 0)
        for (guint k = 0; k < z->networks->len; k++)
          if (g_ptr_array_index (z->networks, k) == network)
            return true;
    }
  return false;
}

void
build_dns_inbound_addresses (Build *b)
{
  b->inbound = g_array_new (FALSE, TRUE, sizeof (BuildInbound));
  for (guint i = 0; i < b->sc->subnets->len; i++)
    {
      const CloudRunSpecSubnet *s = b->sc->subnets->pdata[i];
      const CloudRunSpecDnsServerPolicy *p = dns_policy_of (b, s->network);
      uint32_t last = s->range.prefix + (uint32_t) ((1ull << (32 - s->range.len))
                                                    - 3);
      BuildInbound in = { s->network, 0, NULL };

      if (!p || !p->inbound || s->purpose != CLOUDRUN_SUBNET_PRIVATE
          || s->stack_type == VPC_STACK_IPV6_ONLY)
        continue;
      for (uint32_t a = s->range.prefix + 2; a <= last && !in.addr; a++)
        if (!cloudrun_scenario_address_used (b->sc, a)
            && !g_hash_table_contains (b->taken, GUINT_TO_POINTER (a)))
          in.addr = a;
      if (!in.addr)
        continue;
      in.label = p->base.name;
      g_hash_table_add (b->taken, GUINT_TO_POINTER (in.addr));
      g_array_append_val (b->inbound, in);
    }
}

void
build_dns_forwarding (Build *b)
{
  SimExplainLog *log = sim_world_explain (b->world->sim);
  unsigned n = 0;

  for (guint i = 0; i < b->sc->networks->len; i++)
    {
      const CloudRunSpecNetwork *network = b->sc->networks->pdata[i];
      const CloudRunSpecDnsServerPolicy *p = dns_policy_of (b, network);
      BuildNetwork *net = build_network (b, network);
      CloudRunVpcSource src = { .kind = CLOUDRUN_VPC_SOURCE_CLOUD_DNS,
                                .label = "Cloud DNS (35.199.192.0/19)" };
      g_autofree char *node = g_strdup_printf ("metadata-%s",
                                               network->base.name);
      SimPort *port, *rport;

      if (p && p->dns64)
        net->view->dns64_label = sim_explain_internf (
          log, "DNS64 server policy %s", p->base.name);
      if (network->on_premises || !dns_forwards (b, network))
        continue;
      if (!net->metadata)
        {
          net->metadata = cloudrun_dns_server_new (b->world, node,
                                                   METADATA_ADDR, net->view,
                                                   "router");
          port = net->metadata->host.default_port;
        }
      else
        port = sim_node_add_port (&net->metadata->base.node, "router");
      cloudrun_dns_server_forwarder (net->metadata, port,
                                     FORWARDER_RANGE + ++n);
      rport = cloudrun_vpc_router_attach (net->router, "cloud-dns", &src);
      cloudrun_vpc_router_add_local_range (net->router, FORWARDER_RANGE,
                                           FORWARDER_LEN,
                                           "Cloud DNS forwarders");
      cloudrun_vpc_router_deliver (net->router, rport, FORWARDER_RANGE,
                                   FORWARDER_LEN, "Cloud DNS forwarders");
      for (guint k = 0; k < b->inbound->len; k++)
        {
          const BuildInbound *in = &g_array_index (b->inbound, BuildInbound,
                                                   k);
          if (in->network != network)
            continue;
          cloudrun_dns_server_add_inbound (
            net->metadata, in->addr,
            sim_explain_internf (log, "inbound server policy %s",
                                 in->label));
          cloudrun_vpc_router_deliver (net->router, rport, in->addr, 32,
                                       "Cloud DNS inbound forwarder");
        }
      sim_link_new (b->world->sim, port, rport, &cloudrun_serving_link,
                    NULL);
      if (p && p->alternative->len > 0)
        {
          net->view->alternative = g_array_copy (p->alternative);
          net->view->alternative_label
            = sim_explain_internf (log, "outbound server policy %s",
                                   p->base.name);
        }
    }
}
