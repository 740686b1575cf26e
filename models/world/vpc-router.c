/* The VPC router (see models/world/vpc-router.h). Per packet: parse, look up,
 * rewrite or wrap, send; explanation steps are taken on the first packet
 * of a connection (a SYN) only, and their words (rule and route texts)
 * are written then only: `explain` says so, and text is NULL otherwise.
 * Stateful firewall semantics are approximated: rules are checked on
 * packets that open a connection. */
#include "models/world/vpc-router-private.h"

#include "models/world/region-latency.h"
#include "models/world/vpc-firewall.h"

#include <string.h>

#include "models/world/google.h"
#include "sim/wire.h"

/* Ports of a VM's external address open to translated flows. */
#define VPC_EXTERNAL_PORTS 64000u

uint32_t
vpc_step (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          CloudRunState state, const char *rule, const char *note)
{
  CloudRunWorld *world = r->base.world;
  CloudRunStep s = { .hop = CLOUDRUN_HOP_VPC_ROUTER, .state = state,
                     .rule = rule, .note = note };
  SimIp6 six[2];

  cloudrun_step_frame_addresses (&s, f, six);
  return cloudrun_request_step (&world->ledger, packet->request_id,
                                &r->base.node, &s);
}

void
vpc_drop (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          bool explain, CloudRunDropCause cause, const char *rule)
{
  CloudRunStep s = { .hop = CLOUDRUN_HOP_VPC_ROUTER,
                     .state = CLOUDRUN_STATE_DROP, .cause = cause, .rule = rule };
  SimIp6 six[2];

  cloudrun_step_frame_addresses (&s, f, six);
  cloudrun_node_drop (&r->base, packet, explain ? &s : NULL);
}

/* Opens a connection: a TCP SYN, or any UDP datagram. */
bool
vpc_new_flow (const SimFrame *f)
{
  return f->proto == SIM_IPPROTO_UDP
         || sim_frame_opens_tcp (f);
}

/* The one-way time between the regions of f's source and destination
 * (0 inside one region, or when either is not a range of the network). */
static SimTime
vpc_region_delay (const CloudRunVpcRouter *r, const SimFrame *f)
{
  const SimRoute *a = sim_route_table_lookup (r->regions, f->src);
  const SimRoute *b = sim_route_table_lookup (r->regions, f->dst);

  return a && b ? cloudrun_region_one_way (a->value, b->value) : 0;
}

/* May src use the PSC endpoint for Google APIs named endpoint? Google's
 * endpoint page: a VM without an external address must be on a subnet
 * with Private Google Access ([assumptions] psc-google-access). why, when
 * given, says which rule or assumption decided. */
static bool
vpc_psc_access (CloudRunVpcRouter *r, const CloudRunVpcSource *src,
                const char *endpoint, const char **why)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const char *pga;
  bool allowed;

  if (src->external_addr)
    {
      if (why)
        *why = sim_explain_internf (log, "%s has an external address: it "
                                    "needs no Private Google Access to use "
                                    "PSC endpoint %s", src->label, endpoint);
      return true;
    }
  if (!r->psc_needs_pga)
    {
      if (why)
        *why = sim_explain_internf (log, "[assumptions] psc-google-access = "
                                    "implicit: PSC endpoint %s is used from "
                                    "any subnet, Private Google Access or "
                                    "not", endpoint);
      return true;
    }
  allowed = vpc_private_google_access (r, src, why ? &pga : NULL);
  if (why)
    *why = sim_explain_internf (log, "PSC endpoint %s for Google APIs: %s; a "
                                "caller without an external address uses an "
                                "endpoint only with Private Google Access "
                                "(cloud.google.com/vpc/docs/"
                                "configure-private-service-connect-apis; "
                                "[assumptions] psc-google-access = "
                                "subnet-pga)", endpoint, pga);
  return allowed;
}

/* A firewall step's note: the verdict, the policy rule that handed the
 * packet on to the rule that decided, if one did, what Google's page
 * says of a regional or secure-tag rule among them, and a regional rule
 * that matched but applies in another region than region (the
 * instance's). */
const char *
vpc_firewall_note (SimExplainLog *log, const CloudRunFirewallVerdict *v,
                   const char *region)
{
  const char *note = v->allow ? "allowed" : "denied";
  const char *cite = cloudrun_vpc_firewall_rule_cite (v->rule);

  if (!cite)
    cite = cloudrun_vpc_firewall_rule_cite (v->passed);
  if (v->passed)
    note = sim_explain_internf (log, "%s, after %s handed it on "
                                "(goto-next)", note,
                                cloudrun_vpc_firewall_rule_text (v->passed,
                                                                 log));
  if (cite)
    note = sim_explain_internf (log, "%s; %s", note, cite);
  if (!v->elsewhere)
    return note;
  return sim_explain_internf (log, "%s; %s would have matched, but its "
                              "policy applies in %s only, not to an "
                              "instance of %s (cloud.google.com/firewall/"
                              "docs/regional-firewall-policies)", note,
                              cloudrun_vpc_firewall_rule_text (v->elsewhere,
                                                               log),
                              v->elsewhere->region,
                              region ? region : "no region");
}

bool
vpc_egress_allowed (CloudRunVpcRouter *r, SimPacket *packet,
                    const SimFrame *f, const CloudRunVpcSource *src,
                    bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  CloudRunFirewallVerdict v = cloudrun_vpc_firewall_egress (r->firewall, f,
                                                            src);
  const char *rule = !explain ? NULL
                     : v.rule ? cloudrun_vpc_firewall_rule_text (v.rule, log)
                              : "implied allow egress rule";

  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_EGRESS_FIREWALL_RULE, rule,
              vpc_firewall_note (log, &v, src->region));
  if (v.allow)
    return true;
  vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_FIREWALL_RULE, rule);
  return false;
}

bool
vpc_ingress_allowed (CloudRunVpcRouter *r, SimPacket *packet,
                     const SimFrame *f, const CloudRunVpcSource *src,
                     const CloudRunVpcSource *dst, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  CloudRunFirewallVerdict v = cloudrun_vpc_firewall_ingress (r->firewall, f,
                                                             src, dst);
  const char *rule = !explain ? NULL
                     : v.rule ? cloudrun_vpc_firewall_rule_text (v.rule, log)
                              : "implied deny ingress rule";

  if (explain)
    vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_INGRESS_FIREWALL_RULE, rule,
              vpc_firewall_note (log, &v, dst ? dst->region : NULL));
  if (v.allow)
    return true;
  if (v.unsupported)
    vpc_drop (r, packet, f, explain,
              CLOUDRUN_DROP_INGRESS_FIREWALL_TAGS_UNSUPPORTED_BY_DIRECT_VPC_EGRESS,
              explain ? sim_explain_internf (
                          log, "%s names %s among its sources by network "
                          "tag or service account, which Direct VPC egress "
                          "does not support in ingress rules "
                          "(cloud.google.com/run/docs/configuring/"
                          "vpc-direct-vpc): it does not match, and the "
                          "%s decides",
                          cloudrun_vpc_firewall_rule_text (v.unsupported,
                                                           log),
                          src->label, rule)
                      : NULL);
  else
    vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_FIREWALL_RULE, rule);
  return false;
}

/* "; why" when dst is in a range add_unreachable named, else "". */
static const char *
vpc_unreachable_note (const CloudRunVpcRouter *r, uint32_t dst)
{
  const SimRoute *near = sim_route_table_lookup (r->unreachable, dst);

  return near ? near->value : "";
}

/* Delivers inside the network to whatever holds dst. */
static void
vpc_deliver_local (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
                   const CloudRunVpcSource *src, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const SimRoute *dest = sim_route_table_lookup (r->local, f->dst);
  SimPort *port;
  const CloudRunVpcSource *dsrc;
  const char *psc, *note = NULL;

  if (!dest)
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                "no instance in the network has this address");
      return;
    }
  port = dest->value;
  dsrc = vpc_source (r, port);
  psc = port->index < r->psc_endpoints->len
        ? g_ptr_array_index (r->psc_endpoints, port->index) : NULL;
  if (psc && src && src->kind == CLOUDRUN_VPC_SOURCE_PEER && vpc_new_flow (f))
    {
      vpc_drop (r, packet, f, explain,
                CLOUDRUN_DROP_PSC_ENDPOINT_ACCESSED_FROM_PEERED_NETWORK,
                explain ? sim_explain_internf (
                            log, "PSC endpoint %s for Google APIs, from %s: "
                            "an endpoint is not reachable from a peered "
                            "network (cloud.google.com/vpc/docs/"
                            "configure-private-service-connect-apis)", psc,
                            src->label)
                        : NULL);
      return;
    }
  if (psc && src && vpc_new_flow (f)
      && !vpc_psc_access (r, src, psc, explain ? &note : NULL))
    {
      vpc_drop (r, packet, f, explain,
                CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_DISALLOWED, note);
      return;
    }
  if (dsrc && dsrc->kind == CLOUDRUN_VPC_SOURCE_VM && !r->on_premises
      && vpc_new_flow (f)
      && !vpc_ingress_allowed (r, packet, f, src, dsrc, explain))
    return;
  if (explain)
    {
      const char *label = g_ptr_array_index (r->local_labels, dest->order);
      vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE,
                sim_explain_internf (log, "subnet route: %s", label), note);
    }
  cloudrun_send_after (port, packet, vpc_region_delay (r, f));
}

CloudRunSubnetPga
cloudrun_subnet_pga (bool subnet_pga, bool nat_serves, bool nat_enables_pga)
{
  if (subnet_pga)
    return CLOUDRUN_SUBNET_PGA_ON;
  if (nat_serves)
    return nat_enables_pga ? CLOUDRUN_SUBNET_PGA_ON_BY_NAT
                           : CLOUDRUN_SUBNET_PGA_OFF_NAT;
  return CLOUDRUN_SUBNET_PGA_OFF;
}

/* May this source reach Google front ends without an external address?
 * why, when given, says which rule or assumption decided. */
bool
vpc_private_google_access (CloudRunVpcRouter *r, const CloudRunVpcSource *src,
                           const char **why)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const char *subnet = src->subnet ? src->subnet : "?";
  CloudRunSubnetPga pga;

  if (src->kind == CLOUDRUN_VPC_SOURCE_TUNNEL)
    {
      if (why)
        *why = sim_explain_internf (log, "Private Google Access for "
                                    "on-premises hosts: %s reaches a Google "
                                    "API VIP across the link; no subnet "
                                    "setting applies", src->label);
      return true;
    }
  if (src->kind == CLOUDRUN_VPC_SOURCE_CONNECTOR && !src->subnet)
    {
      bool implicit = r->connector_google_access
                      == VPC_CONNECTOR_GOOGLE_IMPLICIT;
      /* The hidden subnet has no Private Google Access of its own. */
      pga = cloudrun_subnet_pga (false, src->nat != NULL,
                                 r->nat_enables_pga);
      if (!implicit && pga == CLOUDRUN_SUBNET_PGA_ON_BY_NAT)
        {
          if (why)
            *why = sim_explain_internf (log, "[assumptions] "
                                        "connector-google-access = "
                                        "subnet-pga, and Cloud NAT %s serves "
                                        "the connector's hidden subnet, which "
                                        "turns Private Google Access on "
                                        "([assumptions] nat-enables-pga)",
                                        src->nat);
          return true;
        }
      if (why)
        *why = implicit ? "[assumptions] connector-google-access = implicit: "
                          "a connector on its own /28 reaches Google front "
                          "ends (observed, see docs/networking.md, Inside "
                          "the VPC)"
                        : "[assumptions] connector-google-access = "
                          "subnet-pga: the connector's hidden subnet has no "
                          "Private Google Access";
      return implicit;
    }
  pga = cloudrun_subnet_pga (src->subnet && src->subnet_pga,
                             src->nat != NULL, r->nat_enables_pga);
  if (!why)
    return pga == CLOUDRUN_SUBNET_PGA_ON
           || pga == CLOUDRUN_SUBNET_PGA_ON_BY_NAT;
  switch (pga)
    {
    case CLOUDRUN_SUBNET_PGA_ON:
      *why = sim_explain_internf (log, "Private Google Access is on for "
                                  "subnet %s", src->subnet);
      return true;
    case CLOUDRUN_SUBNET_PGA_ON_BY_NAT:
      *why = sim_explain_internf (log, "Cloud NAT %s serves subnet %s, which "
                                  "turns Private Google Access on "
                                  "([assumptions] nat-enables-pga)",
                                  src->nat, subnet);
      return true;
    case CLOUDRUN_SUBNET_PGA_OFF_NAT:
      *why = sim_explain_internf (log, "Private Google Access is off for "
                                  "subnet %s; Cloud NAT %s serves it, but "
                                  "[assumptions] nat-enables-pga = false",
                                  subnet, src->nat);
      return false;
    case CLOUDRUN_SUBNET_PGA_OFF:
    default:
      *why = sim_explain_internf (log, "Private Google Access is off for "
                                  "subnet %s and no Cloud NAT serves it",
                                  subnet);
      return false;
    }
}

/* The 1:1 translation of a VM's flow to its external address; NULL (the
 * packet dropped) when no port is left on the address. */
static CloudRunSnatEntry *
vpc_external_flow (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
                   const CloudRunVpcSource *src, SimPort *in, bool explain)
{
  bool created;
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&r->external, f,
                                                 src->external_addr, in,
                                                 &created);

  if (!e)
    vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS,
              "no port left on the external address");
  return e;
}

/* A VM with an external address needs no Private Google Access: its
 * Google-bound packets leave from that address (translated 1:1) but stay
 * inside Google, with the network's identity. False when no port is left
 * on the address (the packet is dropped). */
static bool
vpc_external_to_google (CloudRunVpcRouter *r, SimPacket *packet,
                        const SimFrame *f, const CloudRunVpcSource *src,
                        SimPort *in, bool explain, const char **why)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  char ext[16];
  CloudRunSnatEntry *e = vpc_external_flow (r, packet, f, src, in, explain);

  if (!e)
    return false;
  if (explain)
    *why = sim_explain_internf (log, "%s has an external address %s: it "
                                "leaves from that address but stays inside "
                                "Google, and needs no Private Google Access "
                                "(cloud.google.com/vpc/docs/"
                                "private-google-access, "
                                "cloud.google.com/vpc/docs/"
                                "access-apis-external-ip)", src->label,
                                sim_ipv4_to_string (src->external_addr, ext));
  cloudrun_snat_translate_out (&r->external, e, packet, f);
  return true;
}

static void
vpc_to_google (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
               const CloudRunVpcSource *src, SimPort *in, const char *route,
               bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const char *why = NULL;
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, r->vni,
                                r->project_number };

  if (src->external_addr)
    {
      if (!vpc_external_to_google (r, packet, f, src, in, explain, &why))
        return;
    }
  else if (!vpc_private_google_access (r, src, explain ? &why : NULL))
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_DISALLOWED,
                explain ? sim_explain_internf (log, "%s; the destination is "
                                               "a Google front end: %s",
                                               route, why)
                        : NULL);
      return;
    }
  if (explain)
    {
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_VPC_ROUTER, .state = CLOUDRUN_STATE_APPLY_ROUTE,
        .rule = route,
        .note = sim_explain_internf (log, "destination is a Google front end "
                                     "(GOOGLE_API); %s: carried to the GFE "
                                     "with this network's identity (Geneve "
                                     "VNI %u, project %" G_GUINT64_FORMAT ")",
                                     why, r->vni, r->project_number),
        .src = f->src, .dst = f->dst, .src_after = src->external_addr,
      };
      cloudrun_request_step (&r->base.world->ledger, packet->request_id,
                             &r->base.node, &s);
    }
  cloudrun_fabric_wrap (packet, r->fabric_addr, r->gfe_fabric_addr, &id);
  sim_port_send (r->google, packet);
}

/* Out by a VM's external address: the source becomes that address. */
static void
vpc_to_internet (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
                 const CloudRunVpcSource *src, SimPort *in, const char *route,
                 bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  CloudRunSnatEntry *e = vpc_external_flow (r, packet, f, src, in, explain);

  if (!e)
    return;
  if (explain)
    {
      CloudRunWorld *world = r->base.world;
      char ext[16];
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_VPC_ROUTER, .state = CLOUDRUN_STATE_APPLY_ROUTE,
        .rule = route,
        .note = r->on_premises
                ? sim_explain_internf (log, "by site %s's own internet "
                                       "connection, from its public address "
                                       "%s (Google's addresses too: only "
                                       "routes across Cloud VPN or "
                                       "Interconnect lead into Google "
                                       "Cloud)", r->network,
                                       sim_ipv4_to_string (src->external_addr,
                                                           ext))
                : sim_explain_internf (log, "%s has an external address %s: "
                                       "it leaves by it to the internet "
                                       "(Private Google Access does not "
                                       "apply)", src->label,
                                       sim_ipv4_to_string (src->external_addr,
                                                           ext)),
        .src = f->src, .dst = f->dst, .src_after = src->external_addr,
      };
      cloudrun_request_step (&world->ledger, packet->request_id,
                             &r->base.node, &s);
    }
  cloudrun_snat_translate_out (&r->external, e, packet, f);
  sim_port_send (r->internet, packet);
}

static void
vpc_to_gateway (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
                const CloudRunVpcSource *src, SimPort *in, const char *route,
                bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const SimRoute *nat;

  if (cloudrun_private_address (f->dst))
    {
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_PRIVATE_TRAFFIC_TO_INTERNET,
                explain ? sim_explain_internf (log, "%s; the destination is "
                                               "an internal address, which "
                                               "the internet gateway does "
                                               "not deliver%s",
                                               route, vpc_unreachable_note (
                                                        r, f->dst))
                        : NULL);
      return;
    }
  if (cloudrun_google_destination (f->dst) && !r->on_premises)
    {
      vpc_to_google (r, packet, f, src, in, route, explain);
      return;
    }
  if (src->external_addr)
    {
      vpc_to_internet (r, packet, f, src, in, route, explain);
      return;
    }
  /* The gateway of the source's subnet, by the packet's source. */
  nat = src->nat ? sim_route_table_lookup (r->nat_sources, f->src) : NULL;
  if (nat)
    {
      if (explain)
        vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, route,
                  sim_explain_internf (log, "to the internet through Cloud "
                                       "NAT %s", src->nat));
      sim_port_send (nat->value, packet);
      return;
    }
  vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS,
            explain ? sim_explain_internf (log, "%s; %s has no external "
                                           "address and no Cloud NAT serves "
                                           "it", route, src->label)
                    : NULL);
}

/* A custom route's next hop (rule is the route's text): across Cloud VPN
 * or Interconnect, or a drop for a blackhole or a forwarding instance. */
static void
vpc_follow_custom (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
                   const VpcRouteInfo *info, const char *rule, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);

  if (info->kind == ROUTE_TUNNEL)
    {
      if (explain)
        vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, rule, NULL);
      /* The link holds the tunnel's time; the far router adds the time
       * between regions on delivery. */
      sim_port_send (info->peer, packet);
      return;
    }
  if (info->kind == ROUTE_BLACKHOLE)
    vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_ROUTE_BLACKHOLE,
              explain ? sim_explain_internf (log, "%s: next hop blackhole "
                                             "(its next hop no longer "
                                             "exists)", rule)
                      : NULL);
  else
    vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
              explain ? sim_explain_internf (log, "%s: a next-hop "
                                             "instance that forwards is "
                                             "not simulated", rule)
                      : NULL);
}

/* A packet from a peered network (its egress rules already applied
 * there): delivered to this network's own ranges only, never on to the
 * internet, a NAT or another peering (vpc/docs/vpc-peering: peering is
 * not transitive, and a peer's default route is not shared). */
static void
vpc_from_peer (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
               const CloudRunVpcSource *src, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const SimRoute *route = sim_route_table_lookup (r->routes, f->dst);
  const VpcRouteInfo *info = route ? route->value : NULL;

  if (info && info->kind == ROUTE_SUBNET) /* the network's own ranges */
    {
      vpc_deliver_local (r, packet, f, src, explain);
      return;
    }
  /* A custom route exported to a peer that imports it carries the peer's
   * packets on (vpc/docs/vpc-peering, importing and exporting routes). */
  if (info && src->custom_routes
      && (info->kind == ROUTE_TUNNEL || info->kind == ROUTE_BLACKHOLE
          || info->kind == ROUTE_NEXT_HOP_ADDRESS))
    {
      vpc_follow_custom (r, packet, f, info,
                         explain ? sim_explain_internf (log, "%s, exported "
                                                        "to %s", info->name,
                                                        src->label)
                                 : NULL, explain);
      return;
    }
  vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
            explain ? sim_explain_internf (
                        log, "from %s to an address outside network %s: a "
                        "peered network's traffic is delivered only to "
                        "this network's own subnets (peering is not "
                        "transitive)%s", src->label, r->network,
                        info && info->kind == ROUTE_TUNNEL
                        ? ", and this network's dynamic routes are not "
                          "exported to that peer, or it does not import "
                          "them" : "")
                    : NULL);
}

/* A packet from the other end of Cloud VPN or Interconnect. A site's
 * router delivers it to the site's ranges. A VPC router delivers it to
 * the network's ranges (through their ingress rules), or, for a Google API
 * VIP, to the GFE with the network's identity: Private Google Access for
 * on-premises hosts needs no subnet setting, only the routes
 * (vpc/docs/configure-private-google-access-hybrid); Google's public
 * addresses are not reached through a tunnel. Nothing goes on to the
 * internet or another link. */
static void
vpc_from_tunnel (CloudRunVpcRouter *r, SimPort *in, SimPacket *packet,
                 const SimFrame *f, const CloudRunVpcSource *src,
                 bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const SimRoute *route = sim_route_table_lookup (r->routes, f->dst);
  const VpcRouteInfo *info = route ? route->value : NULL;

  if (info && info->kind == ROUTE_SUBNET)
    {
      vpc_deliver_local (r, packet, f, src, explain);
      return;
    }
  /* A peered network's subnet is reached from the site, as from the
   * network's own sources (the site must have the range advertised). */
  if (!r->on_premises && info && info->kind == ROUTE_PEERING)
    {
      if (explain)
        vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE,
                  sim_explain_internf (log, "%s, from %s", info->name,
                                       src->label),
                  "next hop NEXT_HOP_PEERING: to the peered network");
      sim_port_send (info->peer, packet);
      return;
    }
  if (!r->on_premises && info && info->kind == ROUTE_GATEWAY
      && cloudrun_google_vip (f->dst))
    {
      vpc_to_google (r, packet, f, src, in,
                     explain ? sim_explain_internf (
                                 log, "%s (a Google API VIP, from %s)",
                                 info->name, src->label)
                             : NULL, explain);
      return;
    }
  if (!r->on_premises && cloudrun_google_destination (f->dst))
    {
      vpc_drop (r, packet, f, explain,
                CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_VIA_VPN_TUNNEL_UNSUPPORTED,
                explain ? sim_explain_internf (
                            log, "from %s to a public Google address: "
                            "on-premises hosts reach Google APIs privately "
                            "only at the VIPs 199.36.153.8/30 and "
                            "199.36.153.4/30 (cloud.google.com/vpc/docs/"
                            "configure-private-google-access-hybrid)",
                            src->label)
                        : NULL);
      return;
    }
  vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
            explain ? sim_explain_internf (
                        log, "from %s to an address outside %s %s: what "
                        "crosses the link is delivered to the %s's own "
                        "ranges%s only", src->label,
                        r->on_premises ? "site" : "network", r->network,
                        r->on_premises ? "site" : "network",
                        r->on_premises ? "" : " and the Google API VIPs")
                    : NULL);
}

/* A packet from a source in the network. */
static void
vpc_from_source (CloudRunVpcRouter *r, SimPort *in, SimPacket *packet,
                 const SimFrame *f, const CloudRunVpcSource *src)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  /* A DNS datagram is a request's step too (a forwarded query, its
   * answer, an inbound query). */
  bool explain = sim_frame_opens_tcp (f) || cloudrun_dns_datagram (f);
  const SimRoute *route;
  const VpcRouteInfo *info;
  const char *rule;
  char pfx[16];

  if (src->kind == CLOUDRUN_VPC_SOURCE_PEER)
    {
      vpc_from_peer (r, packet, f, src, explain);
      return;
    }
  if (src->kind == CLOUDRUN_VPC_SOURCE_TUNNEL)
    {
      vpc_from_tunnel (r, in, packet, f, src, explain);
      return;
    }
  if (vpc_new_flow (f) && !r->on_premises
      && !vpc_egress_allowed (r, packet, f, src, explain))
    return;
  route = sim_route_table_lookup (r->routes, f->dst);
  if (!route)
    {
      /* A connection's answer lost on its way back is told too. */
      bool answer = f->proto == SIM_IPPROTO_TCP
                    && (f->tcp.flags & (SIM_TCP_SYN | SIM_TCP_ACK))
                       == (SIM_TCP_SYN | SIM_TCP_ACK);
      explain = explain || answer;
      vpc_drop (r, packet, f, explain, CLOUDRUN_DROP_NO_ROUTE,
                !explain ? NULL
                : sim_explain_internf (log, "%s%s%s", answer
                                       ? "the answer (SYN-ACK) finds no "
                                         "route back: " : "",
                                       r->default_route
                                       ? "no route matches the destination"
                                       : "no route matches: the network's "
                                         "default route is removed "
                                         "(default-route = false)",
                                       vpc_unreachable_note (r, f->dst)));
      return;
    }
  info = route->value;
  rule = !explain ? NULL
         : sim_explain_internf (log, "%s (%s/%u, priority %u)", info->name,
                                sim_ipv4_to_string (route->prefix, pfx),
                                route->len, route->priority);
  switch (info->kind)
    {
    case ROUTE_SUBNET:
      vpc_deliver_local (r, packet, f, src, explain);
      return;
    case ROUTE_GATEWAY:
      vpc_to_gateway (r, packet, f, src, in, rule, explain);
      return;
    case ROUTE_PEERING:
      if (explain)
        vpc_step (r, packet, f, CLOUDRUN_STATE_APPLY_ROUTE, rule,
                  "next hop NEXT_HOP_PEERING: to the peered network");
      /* The peer's router adds the time between regions on delivery. */
      sim_port_send (info->peer, packet);
      return;
    case ROUTE_BLACKHOLE:
    case ROUTE_TUNNEL:
    case ROUTE_NEXT_HOP_ADDRESS:
    default:
      vpc_follow_custom (r, packet, f, info, rule, explain);
      return;
    }
}

static void
vpc_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunVpcRouter *r = (CloudRunVpcRouter *) self;
  CloudRunFabricIdentity id;
  CloudRunSnatEntry *e;
  const CloudRunVpcSource *src;
  SimFrame f;

  if (port == r->google && !cloudrun_fabric_unwrap (packet, &id))
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (!sim_frame_parse (packet->data, packet->len, &f) || !(f.ip || f.ip6)
      || !sim_frame_decrement_ttl (packet->data, packet->len))
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (f.ip6)
    {
      cloudrun_vpc_router6_receive (r, port, packet, &f);
      return;
    }
  if (port == r->google)
    {
      /* A reply to a VM that reached Google by its external address. */
      if (f.l4 && (e = cloudrun_snat_inbound (&r->external, &f)))
        {
          port = e->inside;
          cloudrun_snat_translate_in (&r->external, e, packet, &f);
          sim_port_send (port, packet);
          return;
        }
      vpc_deliver_local (r, packet, &f, NULL, false);
      return;
    }
  if (port == r->internet)
    {
      if (!f.l4 || !(e = cloudrun_snat_inbound (&r->external, &f)))
        {
          sim_packet_release (sim_world_pool (self->world), packet);
          return;
        }
      port = e->inside;
      cloudrun_snat_translate_in (&r->external, e, packet, &f);
      sim_port_send (port, packet);
      return;
    }
  if ((src = vpc_source (r, port)) != NULL)
    {
      vpc_from_source (r, port, packet, &f, src);
      return;
    }
  /* From a destination-only attachment (a reply): deliver inside. */
  vpc_deliver_local (r, packet, &f, NULL, false);
}

static void
vpc_clear (SimNode *self)
{
  CloudRunVpcRouter *r = (CloudRunVpcRouter *) self;

  sim_route_table_free (r->routes);
  sim_route_table_free (r->local);
  sim_route_table_free (r->regions);
  sim_route_table_free (r->unreachable);
  sim_route_table_free (r->nat_sources);
  g_ptr_array_free (r->route_info, TRUE);
  g_ptr_array_free (r->local_labels, TRUE);
  g_ptr_array_free (r->sources, TRUE);
  g_ptr_array_free (r->psc_endpoints, TRUE);
  cloudrun_vpc_firewall_free (r->firewall);
  cloudrun_snat_clear (&r->external);
  cloudrun_vpc_router6_clear (r);
  g_free (r->network);
}

static const SimNodeClass vpc_router_class = {
  .name = "vpc-router",
  .size = sizeof (CloudRunVpcRouter),
  .receive = vpc_receive,
  .clear = vpc_clear,
};

static void
vpc_route_info_free (gpointer p)
{
  VpcRouteInfo *info = p;

  g_free (info->name);
  g_free (info);
}

VpcRouteInfo *
vpc_add_route_info (CloudRunVpcRouter *r, VpcRouteKind kind,
                             char *name, uint32_t next_hop)
{
  VpcRouteInfo *info = g_new0 (VpcRouteInfo, 1);

  info->kind = kind;
  info->name = name;
  info->next_hop = next_hop;
  g_ptr_array_add (r->route_info, info);
  return info;
}

static void
vpc_add_route (CloudRunVpcRouter *r, uint32_t prefix, uint8_t len,
               uint32_t priority, VpcRouteKind kind, char *name,
               uint32_t next_hop)
{
  sim_route_table_add (r->routes, prefix, len, priority,
                       vpc_add_route_info (r, kind, name, next_hop));
}

static void
vpc_load_routes (CloudRunVpcRouter *r, const VpcRouterConfig *config)
{
  static const VpcRouteKind kinds[] = {
    [VPC_NEXT_HOP_GATEWAY] = ROUTE_GATEWAY,
    [VPC_NEXT_HOP_BLACKHOLE] = ROUTE_BLACKHOLE,
    [VPC_NEXT_HOP_ADDRESS] = ROUTE_NEXT_HOP_ADDRESS,
  };

  for (guint i = 0; i < config->n_subnets; i++)
    {
      const VpcSubnetConfig *s = &config->subnets[i];
      if (s->stack == VPC_STACK_IPV6_ONLY)
        continue;               /* no IPv4 range */
      vpc_add_route (r, s->range.prefix, s->range.len, 0, ROUTE_SUBNET,
                     g_strdup_printf ("subnet route of %s", s->name), 0);
    }
  for (guint i = 0; i < config->n_routes; i++)
    {
      const VpcRouteConfig *rt = &config->routes[i];
      if (rt->v6)
        continue;               /* not an IPv4 route */
      vpc_add_route (r, rt->destination.prefix, rt->destination.len,
                     rt->priority, kinds[rt->next_hop],
                     g_strdup_printf ("route %s", rt->name),
                     rt->next_hop_address);
    }
  if (config->default_route)
    vpc_add_route (r, 0, 0, VPC_DEFAULT_ROUTE_PRIORITY, ROUTE_GATEWAY,
                   g_strdup ("default route to default-internet-gateway"), 0);
}

static void
vpc_source_free (gpointer p)
{
  CloudRunVpcSource *src = p;

  if (!src)
    return;
  g_free ((char *) src->label);
  g_free ((char *) src->subnet);
  g_free ((char *) src->nat);
  g_strfreev ((char **) src->tags);
  g_free ((char *) src->service_account);
  g_free ((char *) src->region);
  g_strfreev ((char **) src->secure_tags);
  g_free (src);
}

CloudRunVpcRouter *
cloudrun_vpc_router_new (CloudRunWorld *world, const VpcRouterConfig *config)
{
  g_autofree char *name = g_strdup_printf (config->on_premises ? "site-%s"
                                                                : "vpc-%s",
                                           config->network);
  CloudRunVpcRouter *r = (CloudRunVpcRouter *)
    sim_node_new (world->sim, &vpc_router_class, name);

  r->base.world = world;
  r->network = g_strdup (config->network);
  r->default_route = config->default_route;
  r->on_premises = config->on_premises;
  r->connector_google_access = config->connector_google_access;
  r->nat_enables_pga = config->nat_enables_pga;
  r->psc_needs_pga = config->psc_needs_pga;
  r->vni = config->vni;
  r->project_number = config->project_number;
  r->fabric_addr = config->fabric_addr;
  r->gfe_fabric_addr = config->gfe_fabric_addr;
  r->sources = g_ptr_array_new_with_free_func (vpc_source_free);
  r->psc_endpoints = g_ptr_array_new_with_free_func (g_free);
  r->routes = sim_route_table_new ();
  r->route_info = g_ptr_array_new_with_free_func (vpc_route_info_free);
  r->local = sim_route_table_new ();
  r->regions = sim_route_table_new ();
  r->unreachable = sim_route_table_new ();
  r->nat_sources = sim_route_table_new ();
  r->local_labels = g_ptr_array_new_with_free_func (g_free);
  r->firewall = cloudrun_vpc_firewall_new (config->firewalls,
                                           config->n_firewalls,
                                           config->connector_rule);
  cloudrun_snat_init (&r->external, VPC_EXTERNAL_PORTS);
  r->google = cloudrun_vpc_router_attach (r, "google", NULL);
  r->internet = cloudrun_vpc_router_attach (r, "internet", NULL);
  vpc_load_routes (r, config);
  cloudrun_vpc_router6_init (r, config);
  return r;
}

SimPort *
cloudrun_vpc_router_attach (CloudRunVpcRouter *r, const char *port_name,
                            const CloudRunVpcSource *src)
{
  SimPort *port = sim_node_add_port (&r->base.node, port_name);

  g_assert (port->index == r->sources->len);
  CloudRunVpcSource *copy = NULL;

  if (src)
    {
      copy = g_memdup2 (src, sizeof *src);
      copy->label = g_strdup (src->label);
      copy->subnet = g_strdup (src->subnet);
      copy->nat = g_strdup (src->nat);
      copy->tags = (const char *const *) g_strdupv ((char **) src->tags);
      copy->service_account = g_strdup (src->service_account);
      copy->region = g_strdup (src->region);
      copy->secure_tags = (const char *const *)
                          g_strdupv ((char **) src->secure_tags);
    }
  g_ptr_array_add (r->sources, copy);
  g_ptr_array_add (r->psc_endpoints, NULL);
  return port;
}

SimPort *
cloudrun_vpc_router_attach_psc (CloudRunVpcRouter *r, const char *port_name,
                                const char *endpoint)
{
  SimPort *port = cloudrun_vpc_router_attach (r, port_name, NULL);

  g_ptr_array_index (r->psc_endpoints, port->index) = g_strdup (endpoint);
  return port;
}

void
cloudrun_vpc_router_deliver (CloudRunVpcRouter *r, SimPort *port,
                             uint32_t prefix, uint8_t len, const char *label)
{
  sim_route_table_add (r->local, prefix, len, 0, port);
  g_ptr_array_add (r->local_labels, g_strdup (label));
}

void
cloudrun_vpc_router_add_local_range (CloudRunVpcRouter *r, uint32_t prefix,
                                     uint8_t len, const char *label)
{
  vpc_add_route (r, prefix, len, 0, ROUTE_SUBNET,
                 g_strdup_printf ("subnet route of %s", label), 0);
}

void
cloudrun_vpc_router_add_region (CloudRunVpcRouter *r, uint32_t prefix,
                                uint8_t len, const char *region)
{
  sim_route_table_add (r->regions, prefix, len, 0,
                       (void *) sim_explain_intern (sim_world_explain (
                                                      r->base.world->sim),
                                                    region));
}

SimPort *
cloudrun_vpc_router_attach_peer (CloudRunVpcRouter *r, const char *port_name,
                                 const char *label, bool custom_routes)
{
  CloudRunVpcSource src = { .kind = CLOUDRUN_VPC_SOURCE_PEER,
                            .label = label, .custom_routes = custom_routes };

  return cloudrun_vpc_router_attach (r, port_name, &src);
}

SimPort *
cloudrun_vpc_router_attach_tunnel (CloudRunVpcRouter *r,
                                   const char *port_name, const char *label)
{
  CloudRunVpcSource src = { .kind = CLOUDRUN_VPC_SOURCE_TUNNEL,
                            .label = label };

  return cloudrun_vpc_router_attach (r, port_name, &src);
}

/* A route of kind to prefix/len through the link at port. */
static void
vpc_add_link_route (CloudRunVpcRouter *r, SimPort *port, uint32_t prefix,
                    uint8_t len, VpcRouteKind kind, char *name)
{
  vpc_add_route (r, prefix, len, 0, kind, name, 0);
  ((VpcRouteInfo *) g_ptr_array_index (r->route_info,
                                       r->route_info->len - 1))->peer = port;
}

void
cloudrun_vpc_router_add_peering_route (CloudRunVpcRouter *r, SimPort *port,
                                       uint32_t prefix, uint8_t len,
                                       const char *label)
{
  vpc_add_link_route (r, port, prefix, len, ROUTE_PEERING,
                      g_strdup_printf ("peering subnet route (PEERING_SUBNET)"
                                       " of %s", label));
}

void
cloudrun_vpc_router_add_imported_route (CloudRunVpcRouter *r, SimPort *port,
                                        uint32_t prefix, uint8_t len,
                                        const char *name)
{
  vpc_add_link_route (r, port, prefix, len, ROUTE_PEERING, g_strdup (name));
}

void
cloudrun_vpc_router_add_tunnel_route (CloudRunVpcRouter *r, SimPort *port,
                                      uint32_t prefix, uint8_t len,
                                      const char *name)
{
  vpc_add_link_route (r, port, prefix, len, ROUTE_TUNNEL, g_strdup (name));
}

void
cloudrun_vpc_router_add_unreachable (CloudRunVpcRouter *r, uint32_t prefix,
                                     uint8_t len, const char *why)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);

  sim_route_table_add (r->unreachable, prefix, len, 0,
                       (void *) sim_explain_internf (log, "; %s", why));
}

const CloudRunVpcSource *
vpc_source (const CloudRunVpcRouter *r, const SimPort *port)
{
  return port->index < r->sources->len
         ? g_ptr_array_index (r->sources, port->index) : NULL;
}

SimPort *cloudrun_vpc_router_google_port (CloudRunVpcRouter *r) { return r->google; }
SimPort *cloudrun_vpc_router_internet_port (CloudRunVpcRouter *r) { return r->internet; }
uint32_t cloudrun_vpc_router_vni (const CloudRunVpcRouter *r) { return r->vni; }

void
cloudrun_vpc_router_add_nat (CloudRunVpcRouter *r, SimPort *port,
                             uint32_t prefix, uint8_t len)
{
  sim_route_table_add (r->nat_sources, prefix, len, 0, port);
}
