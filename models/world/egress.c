/* Revision egress and the default internet egress (see models/world/egress.h). */
#include "models/world/egress.h"

#include "models/world/google.h"

/* Each instance gets this many ports of the pool address. */
#define EGRESS_PORTS_PER_INSTANCE 2048u

/* The IPv6 routes of a Direct VPC instance with IPv6 addresses; with
 * private-ranges-only no IPv6 default route (the internet egress carries
 * IPv4 only). */
static void
egress_configure6 (SimHost *host, const CloudRunRevisionEgress *cfg,
                   SimPort *vpc_port)
{
  static const SimIp6 any = { { 0 } }, ula = { { 0xfc } };

  if (host->n_addrs6 == 0 || cfg->access != VPC_ACCESS_DIRECT || !vpc_port)
    return;
  if (cfg->egress == VPC_EGRESS_ALL_TRAFFIC)
    {
      sim_host_add_route6 (host, &any, 0, vpc_port);
      return;
    }
  sim_host_add_route6 (host, &ula, 7, vpc_port);
  if (cfg->subnet6.len)
    sim_host_add_route6 (host, &cfg->subnet6.prefix, cfg->subnet6.len,
                         vpc_port);
}

void
cloudrun_egress_configure (SimHost *host, const CloudRunRevisionEgress *cfg,
                           SimPort *egress_port, SimPort *vpc_port)
{
  egress_configure6 (host, cfg, vpc_port);
  if (cfg->access == VPC_ACCESS_NONE || !vpc_port)
    {
      sim_host_add_route (host, 0, 0, egress_port);
      return;
    }
  if (cfg->egress == VPC_EGRESS_ALL_TRAFFIC)
    {
      sim_host_add_route (host, 0, 0, vpc_port);
      return;
    }
  sim_host_add_route (host, 0, 0, egress_port);
  for (guint i = 0; i < cfg->private_ranges->len; i++)
    {
      const VpcCidr *c = &g_array_index (cfg->private_ranges, VpcCidr, i);
      sim_host_add_route (host, c->prefix, c->len, vpc_port);
    }
}

const char *
cloudrun_egress_why (const CloudRunEgressSide *side, uint32_t dst,
                     SimExplainLog *log)
{
  const CloudRunRevisionEgress *cfg = side->cfg;
  const SimRoute *route = side->host
                          ? sim_host_route_taken (side->host, dst) : NULL;
  char d[16], p[16];

  sim_ipv4_to_string (dst, d);
  if (cfg->access == VPC_ACCESS_NONE)
    return sim_explain_internf (log, "%s %s: vpc-access = none, so every "
                                "destination leaves by the default internet "
                                "egress", cfg->kind, cfg->service);
  if (cfg->egress == VPC_EGRESS_ALL_TRAFFIC)
    return sim_explain_internf (log, "%s %s: vpc-egress = all-traffic "
                                "sends %s into the VPC", cfg->kind,
                                cfg->service, d);
  /* private-ranges-only routes the private ranges, and only them, by
   * prefix (cloudrun_egress_configure): the rest takes 0.0.0.0/0. */
  if (route && route->len > 0)
    return sim_explain_internf (log, "%s %s: vpc-egress = "
                                "private-ranges-only, and %s is in the private "
                                "range %s/%u, so it enters the VPC",
                                cfg->kind, cfg->service, d,
                                sim_ipv4_to_string (route->prefix, p),
                                route->len);
  return sim_explain_internf (log, "%s %s: vpc-egress = "
                              "private-ranges-only, and %s is in no private "
                              "range ([assumptions] private-ranges), so it "
                              "leaves by the default internet egress",
                              cfg->kind, cfg->service, d);
}

const char *
cloudrun_egress_why6 (const CloudRunEgressSide *side, const SimIp6 *dst,
                      SimExplainLog *log)
{
  const CloudRunRevisionEgress *cfg = side->cfg;
  const SimRoute6 *route = side->host
                           ? sim_host_route6_taken (side->host, dst) : NULL;
  char d[SIM_IPV6_STRLEN], p[SIM_IPV6_STRLEN];

  sim_ipv6_to_string (dst, d);
  if (cfg->egress == VPC_EGRESS_ALL_TRAFFIC)
    return sim_explain_internf (log, "%s %s: vpc-egress = all-traffic "
                                "sends %s into the VPC (::/0)", cfg->kind,
                                cfg->service, d);
  if (route && route->len > 0)
    return sim_explain_internf (log, "%s %s: vpc-egress = "
                                "private-ranges-only, and %s is in %s/%u "
                                "(unique local addresses, or the subnet's "
                                "own range), so it enters the VPC",
                                cfg->kind, cfg->service, d,
                                sim_ipv6_to_string (&route->prefix, p),
                                route->len);
  return sim_explain_internf (log, "%s %s: vpc-egress = "
                              "private-ranges-only, and %s is no unique "
                              "local address: no IPv6 route", cfg->kind,
                              cfg->service, d);
}

/* A private destination on the way to the internet: dropped, with the
 * Connectivity Tests cause, on the connection's first packet. */
static void
egress_drop_private (CloudRunServerlessEgress *eg,
                     const CloudRunEgressSide *side, SimPacket *packet,
                     const SimFrame *f)
{
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_EGRESS, .state = CLOUDRUN_STATE_DROP,
    .cause = CLOUDRUN_DROP_PRIVATE_TRAFFIC_TO_INTERNET,
    .note = "the destination is an internal address, which the "
            "internet never delivers; give the revision VPC access to "
            "reach it",
    .src = f->src, .dst = f->dst,
  };
  bool opens = sim_frame_opens_tcp (f);

  if (opens)
    s.rule = cloudrun_egress_why (side, f->dst,
                                  sim_world_explain (eg->base.world->sim));
  cloudrun_node_drop (&eg->base, packet, opens ? &s : NULL);
}

static void
egress_outbound (CloudRunServerlessEgress *eg, SimPort *port,
                 SimPacket *packet, const SimFrame *f)
{
  CloudRunWorld *world = eg->base.world;
  const CloudRunEgressSide *side = &g_array_index (eg->attached,
                                                   CloudRunEgressSide,
                                                   port->index);
  bool created;
  CloudRunSnatEntry *e;

  /* The internet never delivers an internal address: say so instead of
   * leaving the caller an unexplained timeout. */
  if (cloudrun_private_address (f->dst))
    {
      egress_drop_private (eg, side, packet, f);
      return;
    }
  e = cloudrun_snat_outbound (&eg->snat, f, eg->pool_addr, port, &created);
  if (!e)
    {
      sim_packet_release (sim_world_pool (world->sim), packet);
      return;
    }
  if (created && f->proto == SIM_IPPROTO_TCP)
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_EGRESS, .state = CLOUDRUN_STATE_SERVERLESS_EXTERNAL_CONNECTION,
        .rule = cloudrun_egress_why (side, f->dst,
                                     sim_world_explain (world->sim)),
        .note = "source translated to an address of Google's dynamic pool; "
                "no VPC identity travels on",
        .src = f->src, .dst = f->dst, .src_after = eg->pool_addr,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &eg->base.node, &s);
    }
  cloudrun_snat_translate_out (&eg->snat, e, packet, f);
  sim_port_send (eg->internet, packet);
}

static void
egress_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunServerlessEgress *eg = (CloudRunServerlessEgress *) self;
  CloudRunSnatEntry *e;
  SimFrame f;

  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.ip || !f.l4)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port != eg->internet)
    {
      egress_outbound (eg, port, packet, &f);
      return;
    }
  e = cloudrun_snat_inbound (&eg->snat, &f);
  if (!e)
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  port = e->inside;
  cloudrun_snat_translate_in (&eg->snat, e, packet, &f);
  sim_port_send (port, packet);
}

static void
egress_clear (SimNode *self)
{
  CloudRunServerlessEgress *eg = (CloudRunServerlessEgress *) self;

  cloudrun_snat_clear (&eg->snat);
  g_array_free (eg->attached, TRUE);
}

static const SimNodeClass egress_class = {
  .name = "serverless-egress",
  .size = sizeof (CloudRunServerlessEgress),
  .receive = egress_receive,
  .clear = egress_clear,
};

CloudRunServerlessEgress *
cloudrun_serverless_egress_new (CloudRunWorld *world, uint32_t pool_addr)
{
  CloudRunServerlessEgress *eg = (CloudRunServerlessEgress *)
    sim_node_new (world->sim, &egress_class, "run-egress");

  eg->base.world = world;
  eg->pool_addr = pool_addr;
  eg->internet = sim_node_add_port (&eg->base.node, "internet");
  eg->attached = g_array_new (FALSE, TRUE, sizeof (CloudRunEgressSide));
  g_array_set_size (eg->attached, 1);     /* port 0: the internet */
  cloudrun_snat_init (&eg->snat, EGRESS_PORTS_PER_INSTANCE);
  return eg;
}

SimPort *
cloudrun_serverless_egress_attach (CloudRunServerlessEgress *eg,
                                   const char *port_name,
                                   const CloudRunRevisionEgress *cfg,
                                   const SimHost *host)
{
  SimPort *port = sim_node_add_port (&eg->base.node, port_name);
  CloudRunEgressSide side = { cfg, host };

  g_assert (port->index == eg->attached->len);
  g_array_append_val (eg->attached, side);
  return port;
}
