/* Cloud NAT (see models/world/nat.h). */
#include "models/world/nat.h"

#include "sim/nat64.h"
#include "sim/wire.h"

static const char nat64_page[] =
  "cloud.google.com/vpc/docs/ipv6-to-ipv4-overview: NAT64 translates an "
  "IPv6-only VM's packets to 64:ff9b::/96 into IPv4 from the gateway's "
  "addresses, toward the IPv4 address in the destination's last 32 bits";

/* The number an IPv6 source stands for in the gateway's SNAT table (see
 * nat.h), made at its first packet. */
static uint32_t
nat64_number (CloudRunNatNode *n, const SimIp6 *src)
{
  for (guint i = 0; i < n->sources6->len; i++)
    if (sim_ipv6_equal (&g_array_index (n->sources6, SimIp6, i), src))
      return i + 1;
  g_array_append_val (n->sources6, *src);
  return n->sources6->len;
}

/* The IPv6 source number stands for, or NULL (an IPv4 source). */
static const SimIp6 *
nat64_source (const CloudRunNatNode *n, uint32_t number)
{
  return number >= 1 && number <= n->sources6->len
         ? &g_array_index (n->sources6, SimIp6, number - 1) : NULL;
}

static void
nat_outbound (CloudRunNatNode *n, SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = n->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  /* Each source keeps to one address: the block holds its ports. */
  uint32_t addr = n->addrs[(f->src * 2654435761u >> 16) % n->n_addrs];
  bool created, syn = sim_frame_opens_tcp (f);
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&n->snat, f, addr, n->vpc,
                                                 &created);
  const SimIp6 *from6 = nat64_source (n, f->src);
  CloudRunStep s = { .hop = CLOUDRUN_HOP_NAT, .state = CLOUDRUN_STATE_NAT,
                     .src = from6 ? 0 : f->src, .dst = f->dst };

  if (!e)
    {
      if (syn)
        {
          s.state = CLOUDRUN_STATE_DROP;
          s.cause = CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED;
          s.rule = sim_explain_internf (log, "Cloud NAT %s: no port left in "
                                        "this VM's block (min-ports-per-vm = %u)",
                                        n->name,
                                        n->min_ports_per_vm);
          s.note = "the simulator's own cause: Connectivity Tests has none "
                   "for it";
        }
      cloudrun_node_drop (&n->base, packet, syn ? &s : NULL);
      return;
    }
  if (created && syn && from6)
    {
      char a[16], six[SIM_IPV6_STRLEN], d[16];
      SimIp6 to6 = sim_nat64_embed (&sim_nat64_well_known_prefix, f->dst);
      s.rule = sim_explain_internf (log, "Cloud NAT %s (NAT64) translates "
                                    "[%s]:%u to %s:%u toward %s, the IPv4 "
                                    "address inside 64:ff9b::/96", n->name,
                                    sim_ipv6_to_string (from6, six),
                                    f->sport,
                                    sim_ipv4_to_string (e->nat_addr, a),
                                    e->nat_port,
                                    sim_ipv4_to_string (f->dst, d));
      s.note = nat64_page;
      s.src6 = from6;
      s.dst6 = &to6;
      s.src_after = e->nat_addr;
      s.dst_after = f->dst;
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &n->base.node, &s);
    }
  else if (created && syn)
    {
      char a[16];
      s.rule = sim_explain_internf (log, "Cloud NAT %s translates the source "
                                    "to %s:%u", n->name,
                                    sim_ipv4_to_string (e->nat_addr, a),
                                    e->nat_port);
      s.src_after = e->nat_addr;
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &n->base.node, &s);
    }
  cloudrun_snat_translate_out (&n->snat, e, packet, f);
  sim_port_send (n->internet, packet);
}

/* An IPv6 packet from the VPC: to IPv4 with the source's number (the
 * router sends only 64:ff9b::/96 here), then as an IPv4 one. */
static bool
nat64_outbound (CloudRunNatNode *n, SimPacket *packet, const SimFrame *f)
{
  SimIp6 src = sim_frame_src6 (f), dst = sim_frame_dst6 (f);
  SimFrame g;
  uint32_t v4;

  if (!n->nat64 || !sim_nat64_extract (&sim_nat64_well_known_prefix, &dst,
                                       &v4)
      || !sim_nat64_to_ipv4 (packet, nat64_number (n, &src), f->sport, v4,
                             f->dport)
      || !sim_frame_parse (packet->data, packet->len, &g))
    return false;
  nat_outbound (n, packet, &g);
  return true;
}

static void
nat_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunNatNode *n = (CloudRunNatNode *) self;
  CloudRunSnatEntry *e;
  const SimIp6 *to6;
  SimFrame f;

  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port == n->vpc)
    {
      if (!f.ip6)
        nat_outbound (n, packet, &f);
      else if (!nat64_outbound (n, packet, &f))
        sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  e = f.ip6 ? NULL : cloudrun_snat_inbound (&n->snat, &f);
  if (!e)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  to6 = nat64_source (n, e->inside_addr);
  if (to6)
    {
      /* A reply to an IPv6 source: back to IPv6, from 64:ff9b::REMOTE. */
      SimIp6 from = sim_nat64_embed (&sim_nat64_well_known_prefix, f.src);
      SimIp6 to = *to6;
      uint16_t dport = e->inside_port;

      cloudrun_snat_translate_in (&n->snat, e, packet, &f);
      if (!sim_nat64_to_ipv6 (packet, &from, f.sport, &to, dport))
        {
          sim_packet_release (sim_world_pool (self->world), packet);
          return;
        }
    }
  else
    cloudrun_snat_translate_in (&n->snat, e, packet, &f);
  sim_port_send (n->vpc, packet);
}

static void
nat_clear (SimNode *self)
{
  CloudRunNatNode *n = (CloudRunNatNode *) self;

  cloudrun_snat_clear (&n->snat);
  g_array_free (n->sources6, TRUE);
  g_free (n->addrs);
  g_free (n->name);
}

static const SimNodeClass nat_class = {
  .name = "cloud-nat",
  .size = sizeof (CloudRunNatNode),
  .receive = nat_receive,
  .clear = nat_clear,
};

CloudRunNatNode *
cloudrun_nat_new (CloudRunWorld *world, const VpcNatConfig *config,
                  const uint32_t *addrs, unsigned n_addrs)
{
  g_autofree char *name = g_strdup_printf ("nat-%s", config->name);
  CloudRunNatNode *n = (CloudRunNatNode *) sim_node_new (world->sim,
                                                         &nat_class, name);

  g_assert (n_addrs > 0);
  n->base.world = world;
  n->name = g_strdup (config->name);
  n->min_ports_per_vm = config->min_ports_per_vm;
  n->vpc = sim_node_add_port (&n->base.node, "vpc");
  n->internet = sim_node_add_port (&n->base.node, "internet");
  n->addrs = g_memdup2 (addrs, n_addrs * sizeof *addrs);
  n->n_addrs = n_addrs;
  n->nat64 = config->nat64;
  n->sources6 = g_array_new (FALSE, FALSE, sizeof (SimIp6));
  cloudrun_snat_init (&n->snat, config->min_ports_per_vm);
  cloudrun_snat_hold_closed (&n->snat, world->sim, config->tcp_time_wait);
  cloudrun_snat_count_ports (&n->snat,
                             cloudrun_world_gauge (world, "nat", n->name,
                                                   "ports"), world->sim);
  return n;
}
