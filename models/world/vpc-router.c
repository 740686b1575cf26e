/* The VPC router (see models/world/vpc-router.h). Per packet: parse, look up,
 * rewrite or wrap, send; explanation steps are taken on the first packet
 * of a connection (a SYN) only. Stateful firewall semantics are
 * approximated: rules are checked on packets that open a connection. */
#include "models/world/vpc-router.h"

#include <string.h>

#include "models/world/google.h"
#include "sim/wire.h"

typedef enum {
  ROUTE_SUBNET,                 /* deliver inside the network */
  ROUTE_GATEWAY,                /* default-internet-gateway */
  ROUTE_BLACKHOLE,
  ROUTE_NEXT_HOP_ADDRESS,
} VpcRouteKind;

typedef struct {
  VpcRouteKind kind;
  char *name;                   /* "subnet-route run-subnet", "route X" */
  uint32_t next_hop;            /* ROUTE_NEXT_HOP_ADDRESS */
} VpcRouteInfo;

struct CloudRunVpcRouter {
  CloudRunNode base;
  const CloudRunNetwork *network;
  const CloudRunScenario *scenario;
  uint32_t vni;
  uint64_t project_number;
  uint32_t fabric_addr, gfe_fabric_addr;
  SimPort *google;              /* fabric to the GFE */
  SimPort *internet;            /* external addresses of VMs */
  SimPort *nat;                 /* to Cloud NAT, or NULL */
  GPtrArray *sources;           /* CloudRunVpcSource* by port index */
  SimRouteTable *routes;        /* value: VpcRouteInfo* */
  GPtrArray *route_info;        /* VpcRouteInfo*, owned */
  SimRouteTable *local;         /* value: SimPort* of the destination */
  GPtrArray *local_labels;      /* char*, by local route order, owned */
  GPtrArray *egress_rules;      /* CloudRunFirewall*, priority order */
  GPtrArray *ingress_rules;
  CloudRunSnat external;        /* VMs' external addresses, 1:1 */
};

static uint32_t
vpc_step (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          const char *state, const char *rule, const char *note)
{
  CloudRunWorld *world = r->base.world;
  CloudRunStep s = { .hop = CLOUDRUN_HOP_VPC_ROUTER, .state = state,
                     .rule = rule, .note = note, .src = f->src, .dst = f->dst };
  return cloudrun_request_step (&world->ledger, packet->request_id,
                                &r->base.node, &s);
}

static void
vpc_drop (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
          bool explain, const char *cause, const char *rule)
{
  CloudRunWorld *world = r->base.world;

  if (explain)
    {
      vpc_step (r, packet, f, "DROP", rule, cause);
      cloudrun_request_decide (&world->ledger, packet->request_id,
                               CLOUDRUN_VERDICT_DROPPED,
                               CLOUDRUN_HOP_VPC_ROUTER, &r->base.node, cause);
    }
  sim_packet_release (sim_world_pool (world->sim), packet);
}

static bool
vpc_rule_matches (const CloudRunFirewall *fw, uint32_t addr, const SimFrame *f)
{
  bool in_range = false, proto_ok = false;

  for (guint i = 0; i < fw->ranges->len && !in_range; i++)
    {
      const CloudRunCidr *c = &g_array_index (fw->ranges, CloudRunCidr, i);
      in_range = (addr & sim_cidr_mask (c->len)) == c->prefix;
    }
  for (guint i = 0; i < fw->protocols->len && !proto_ok; i++)
    {
      const CloudRunProtocol *p = &g_array_index (fw->protocols,
                                                  CloudRunProtocol, i);
      proto_ok = p->protocol == 0
                 || (p->protocol == f->proto && f->dport >= p->port_min
                     && f->dport <= p->port_max);
    }
  return in_range && proto_ok;
}

/* The deciding rule (NULL: the implied rule) and whether it allows. */
static const CloudRunFirewall *
vpc_firewall (GPtrArray *rules, uint32_t addr, const SimFrame *f, bool *allow,
              bool implied_allow)
{
  for (guint i = 0; i < rules->len; i++)
    {
      const CloudRunFirewall *fw = g_ptr_array_index (rules, i);
      if (vpc_rule_matches (fw, addr, f))
        {
          *allow = fw->action == CLOUDRUN_FIREWALL_ALLOW;
          return fw;
        }
    }
  *allow = implied_allow;
  return NULL;
}

/* Opens a connection: a TCP SYN, or any UDP datagram. */
static bool
vpc_new_flow (const SimFrame *f)
{
  return f->proto == SIM_IPPROTO_UDP
         || sim_frame_opens_tcp (f);
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

  if (!dest)
    return vpc_drop (r, packet, f, explain, "NO_ROUTE",
                     "no instance in the network has this address");
  port = dest->value;
  dsrc = port->index < r->sources->len
         ? g_ptr_array_index (r->sources, port->index) : NULL;
  if (dsrc && dsrc->kind == CLOUDRUN_VPC_SOURCE_VM && vpc_new_flow (f))
    {
      bool allow;
      const CloudRunFirewall *fw = vpc_firewall (r->ingress_rules, f->src, f,
                                                 &allow, false);
      /* A connector brings implicit rules admitting its traffic. */
      bool implicit = !fw && src && src->kind == CLOUDRUN_VPC_SOURCE_CONNECTOR;
      const char *rule = fw ? sim_explain_internf (log, "firewall %s (ingress, "
                                                   "priority %" G_GINT64_FORMAT
                                                   ")", fw->base.name,
                                                   fw->priority)
                       : implicit ? "the connector's implicit ingress rule"
                                  : "implied deny ingress rule";
      if (explain)
        vpc_step (r, packet, f, "APPLY_INGRESS_FIREWALL_RULE", rule,
                  allow || implicit ? "allowed" : "denied");
      if (!allow && !implicit)
        return vpc_drop (r, packet, f, explain, "FIREWALL_RULE", rule);
    }
  if (explain)
    {
      const char *label = g_ptr_array_index (r->local_labels, dest->order);
      vpc_step (r, packet, f, "APPLY_ROUTE",
                sim_explain_internf (log, "subnet route: %s", label), NULL);
    }
  sim_port_send (port, packet);
}

/* May this source reach Google front ends without an external address?
 * why says which rule or assumption decided. */
static bool
vpc_private_google_access (CloudRunVpcRouter *r, const CloudRunVpcSource *src,
                           const char **why)
{
  const CloudRunAssumptions *as = &r->scenario->assumptions;
  SimExplainLog *log = sim_world_explain (r->base.world->sim);

  if (src->kind == CLOUDRUN_VPC_SOURCE_CONNECTOR && !src->subnet)
    {
      bool implicit = as->connector_google_access
                      == CLOUDRUN_GOOGLE_ACCESS_IMPLICIT;
      *why = implicit ? "[assumptions] connector-google-access = implicit: "
                        "a connector on its own /28 reaches Google front ends "
                        "(observed, see CLOUDRUN-NETWORKING.md section 4)"
                      : "[assumptions] connector-google-access = subnet-pga: "
                        "the connector's hidden subnet has no Private Google "
                        "Access";
      return implicit;
    }
  if (src->subnet && src->subnet->private_google_access)
    {
      *why = sim_explain_internf (log, "Private Google Access is on for "
                                  "subnet %s", src->subnet->base.name);
      return true;
    }
  if (src->nat && as->nat_enables_pga)
    {
      *why = sim_explain_internf (log, "Cloud NAT %s serves subnet %s, which "
                                  "turns Private Google Access on "
                                  "([assumptions] nat-enables-pga)",
                                  src->nat->base.name,
                                  src->subnet ? src->subnet->base.name : "?");
      return true;
    }
  if (src->nat)
    *why = sim_explain_internf (log, "Private Google Access is off for subnet "
                                "%s; Cloud NAT %s serves it, but "
                                "[assumptions] nat-enables-pga = false",
                                src->subnet ? src->subnet->base.name : "?",
                                src->nat->base.name);
  else
    *why = sim_explain_internf (log, "Private Google Access is off for subnet "
                                "%s and no Cloud NAT serves it",
                                src->subnet ? src->subnet->base.name : "?");
  return false;
}

static void
vpc_to_google (CloudRunVpcRouter *r, SimPacket *packet, const SimFrame *f,
               const CloudRunVpcSource *src, const char *route, bool explain)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  const char *why;
  CloudRunFabricIdentity id = { CLOUDRUN_FABRIC_VPC, r->vni,
                                r->project_number };

  if (!vpc_private_google_access (r, src, &why))
    return vpc_drop (r, packet, f, explain, "PRIVATE_GOOGLE_ACCESS_DISALLOWED",
                     sim_explain_internf (log, "%s; the destination is a "
                                          "Google front end: %s", route, why));
  if (explain)
    vpc_step (r, packet, f, "APPLY_ROUTE", route,
              sim_explain_internf (log, "destination is a Google front end "
                                   "(GOOGLE_API); %s: carried to the GFE with "
                                   "this network's identity (Geneve VNI %u, "
                                   "project %" G_GUINT64_FORMAT ")", why,
                                   r->vni, r->project_number));
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
  bool created;
  CloudRunSnatEntry *e = cloudrun_snat_outbound (&r->external, f,
                                                 src->external_addr, in,
                                                 &created);

  if (!e)
    return vpc_drop (r, packet, f, explain, "NO_EXTERNAL_ADDRESS",
                     "no port left on the external address");
  if (explain)
    {
      CloudRunWorld *world = r->base.world;
      char ext[16];
      CloudRunStep s = {
        .hop = CLOUDRUN_HOP_VPC_ROUTER, .state = "APPLY_ROUTE", .rule = route,
        .note = sim_explain_internf (log, "%s has an external address %s: it "
                                     "leaves by it to the internet (Private "
                                     "Google Access does not apply)",
                                     src->label,
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

  if (src->external_addr)
    return vpc_to_internet (r, packet, f, src, in, route, explain);
  if (cloudrun_google_destination (f->dst))
    return vpc_to_google (r, packet, f, src, route, explain);
  if (src->nat && r->nat)
    {
      if (explain)
        vpc_step (r, packet, f, "APPLY_ROUTE", route,
                  sim_explain_internf (log, "to the internet through Cloud "
                                       "NAT %s", src->nat->base.name));
      sim_port_send (r->nat, packet);
      return;
    }
  vpc_drop (r, packet, f, explain, "NO_EXTERNAL_ADDRESS",
            sim_explain_internf (log, "%s; %s has no external address and no "
                                 "Cloud NAT serves it", route, src->label));
}

/* A packet from a source in the network. */
static void
vpc_from_source (CloudRunVpcRouter *r, SimPort *in, SimPacket *packet,
                 const SimFrame *f, const CloudRunVpcSource *src)
{
  SimExplainLog *log = sim_world_explain (r->base.world->sim);
  bool explain = sim_frame_opens_tcp (f);
  const SimRoute *route;
  const VpcRouteInfo *info;
  const char *rule;
  char pfx[16];

  if (vpc_new_flow (f))
    {
      bool allow;
      const CloudRunFirewall *fw = vpc_firewall (r->egress_rules, f->dst, f,
                                                 &allow, true);
      rule = fw ? sim_explain_internf (log, "firewall %s (egress, priority %"
                                       G_GINT64_FORMAT ")", fw->base.name,
                                       fw->priority)
                : "implied allow egress rule";
      if (explain)
        vpc_step (r, packet, f, "APPLY_EGRESS_FIREWALL_RULE", rule,
                  allow ? "allowed" : "denied");
      if (!allow)
        return vpc_drop (r, packet, f, explain, "FIREWALL_RULE", rule);
    }
  route = sim_route_table_lookup (r->routes, f->dst);
  if (!route)
    return vpc_drop (r, packet, f, explain, "NO_ROUTE",
                     r->network->default_route
                     ? "no route matches the destination"
                     : "no route matches: the network's default route is "
                       "removed (default-route = false)");
  info = route->value;
  rule = sim_explain_internf (log, "%s (%s/%u, priority %u)", info->name,
                              sim_ipv4_to_string (route->prefix, pfx),
                              route->len, route->priority);
  switch (info->kind)
    {
    case ROUTE_SUBNET:
      return vpc_deliver_local (r, packet, f, src, explain);
    case ROUTE_GATEWAY:
      return vpc_to_gateway (r, packet, f, src, in, rule, explain);
    case ROUTE_BLACKHOLE:
      return vpc_drop (r, packet, f, explain, "NO_ROUTE",
                       sim_explain_internf (log, "%s: next hop blackhole",
                                            rule));
    case ROUTE_NEXT_HOP_ADDRESS:
    default:
      return vpc_drop (r, packet, f, explain, "NO_ROUTE",
                       sim_explain_internf (log, "%s: a next-hop instance "
                                            "that forwards is not simulated",
                                            rule));
    }
}

static void
vpc_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunVpcRouter *r = (CloudRunVpcRouter *) self;
  CloudRunFabricIdentity id;
  CloudRunSnatEntry *e;
  SimFrame f;

  if (port == r->google && !cloudrun_fabric_unwrap (packet, &id))
    return sim_packet_release (sim_world_pool (self->world), packet);
  if (!sim_frame_parse (packet->data, packet->len, &f) || !f.ip
      || !sim_frame_decrement_ttl (packet->data, packet->len))
    return sim_packet_release (sim_world_pool (self->world), packet);
  if (port == r->google || port == r->nat)
    return vpc_deliver_local (r, packet, &f, NULL, false);
  if (port == r->internet)
    {
      if (!f.l4 || !(e = cloudrun_snat_inbound (&r->external, &f)))
        return sim_packet_release (sim_world_pool (self->world), packet);
      port = e->inside;
      cloudrun_snat_translate_in (&r->external, e, packet, &f);
      sim_port_send (port, packet);
      return;
    }
  if (port->index < r->sources->len && g_ptr_array_index (r->sources,
                                                          port->index))
    return vpc_from_source (r, port, packet, &f,
                            g_ptr_array_index (r->sources, port->index));
  /* From a destination-only attachment (a reply): deliver inside. */
  vpc_deliver_local (r, packet, &f, NULL, false);
}

static void
vpc_clear (SimNode *self)
{
  CloudRunVpcRouter *r = (CloudRunVpcRouter *) self;

  sim_route_table_free (r->routes);
  sim_route_table_free (r->local);
  g_ptr_array_free (r->route_info, TRUE);
  g_ptr_array_free (r->local_labels, TRUE);
  g_ptr_array_free (r->sources, TRUE);
  g_ptr_array_free (r->egress_rules, TRUE);
  g_ptr_array_free (r->ingress_rules, TRUE);
  cloudrun_snat_clear (&r->external);
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

static void
vpc_add_route (CloudRunVpcRouter *r, uint32_t prefix, uint8_t len,
               uint32_t priority, VpcRouteKind kind, char *name,
               uint32_t next_hop)
{
  VpcRouteInfo *info = g_new0 (VpcRouteInfo, 1);

  info->kind = kind;
  info->name = name;
  info->next_hop = next_hop;
  g_ptr_array_add (r->route_info, info);
  sim_route_table_add (r->routes, prefix, len, priority, info);
}

/* Lower priority first; a deny before an allow of the same priority. */
static gint
vpc_rule_order (gconstpointer a, gconstpointer b)
{
  const CloudRunFirewall *x = *(CloudRunFirewall *const *) a;
  const CloudRunFirewall *y = *(CloudRunFirewall *const *) b;
  int px = x->action == CLOUDRUN_FIREWALL_DENY ? 0 : 1;
  int py = y->action == CLOUDRUN_FIREWALL_DENY ? 0 : 1;

  if (x->priority != y->priority)
    return (x->priority > y->priority) - (x->priority < y->priority);
  return (px > py) - (px < py);
}

static void
vpc_load_rules (CloudRunVpcRouter *r)
{
  const CloudRunScenario *sc = r->scenario;

  for (guint i = 0; i < sc->firewalls->len; i++)
    {
      CloudRunFirewall *fw = g_ptr_array_index (sc->firewalls, i);
      if (fw->network != r->network)
        continue;
      g_ptr_array_add (fw->direction == CLOUDRUN_FIREWALL_EGRESS
                       ? r->egress_rules : r->ingress_rules, fw);
    }
  /* g_ptr_array_sort is a stable merge sort: file order breaks full ties. */
  g_ptr_array_sort (r->egress_rules, vpc_rule_order);
  g_ptr_array_sort (r->ingress_rules, vpc_rule_order);
}

static void
vpc_load_routes (CloudRunVpcRouter *r)
{
  const CloudRunScenario *sc = r->scenario;

  for (guint i = 0; i < r->network->subnets->len; i++)
    {
      const CloudRunSubnet *s = g_ptr_array_index (r->network->subnets, i);
      vpc_add_route (r, s->range.prefix, s->range.len, 0, ROUTE_SUBNET,
                     g_strdup_printf ("subnet route of %s", s->base.name), 0);
    }
  for (guint i = 0; i < sc->routes->len; i++)
    {
      const CloudRunRoute *rt = g_ptr_array_index (sc->routes, i);
      VpcRouteKind kind = ROUTE_NEXT_HOP_ADDRESS;
      if (rt->network != r->network)
        continue;
      if (rt->next_hop.kind == CLOUDRUN_NEXT_HOP_DEFAULT_INTERNET_GATEWAY)
        kind = ROUTE_GATEWAY;
      else if (rt->next_hop.kind == CLOUDRUN_NEXT_HOP_BLACKHOLE)
        kind = ROUTE_BLACKHOLE;
      vpc_add_route (r, rt->destination.prefix, rt->destination.len,
                     (uint32_t) rt->priority, kind,
                     g_strdup_printf ("route %s", rt->base.name),
                     rt->next_hop.address);
    }
  if (r->network->default_route)
    vpc_add_route (r, 0, 0, 1000, ROUTE_GATEWAY,
                   g_strdup ("default route to default-internet-gateway"), 0);
}

CloudRunVpcRouter *
cloudrun_vpc_router_new (CloudRunWorld *world, const CloudRunScenario *sc,
                         const CloudRunNetwork *network, uint32_t vni,
                         uint32_t fabric_addr, uint32_t gfe_fabric_addr)
{
  g_autofree char *name = g_strdup_printf ("vpc-%s", network->base.name);
  CloudRunVpcRouter *r = (CloudRunVpcRouter *)
    sim_node_new (world->sim, &vpc_router_class, name);

  r->base.world = world;
  r->network = network;
  r->scenario = sc;
  r->vni = vni;
  r->project_number = network->project->number;
  r->fabric_addr = fabric_addr;
  r->gfe_fabric_addr = gfe_fabric_addr;
  r->sources = g_ptr_array_new_with_free_func (g_free);
  r->routes = sim_route_table_new ();
  r->route_info = g_ptr_array_new_with_free_func (vpc_route_info_free);
  r->local = sim_route_table_new ();
  r->local_labels = g_ptr_array_new_with_free_func (g_free);
  r->egress_rules = g_ptr_array_new ();
  r->ingress_rules = g_ptr_array_new ();
  cloudrun_snat_init (&r->external, 64000);
  r->google = cloudrun_vpc_router_attach (r, "google", NULL);
  r->internet = cloudrun_vpc_router_attach (r, "internet", NULL);
  vpc_load_rules (r);
  vpc_load_routes (r);
  return r;
}

SimPort *
cloudrun_vpc_router_attach (CloudRunVpcRouter *r, const char *port_name,
                            const CloudRunVpcSource *src)
{
  SimPort *port = sim_node_add_port (&r->base.node, port_name);

  g_assert (port->index == r->sources->len);
  g_ptr_array_add (r->sources, src ? g_memdup2 (src, sizeof *src) : NULL);
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

SimPort *cloudrun_vpc_router_google_port (CloudRunVpcRouter *r) { return r->google; }
SimPort *cloudrun_vpc_router_internet_port (CloudRunVpcRouter *r) { return r->internet; }
uint32_t cloudrun_vpc_router_vni (const CloudRunVpcRouter *r) { return r->vni; }

void
cloudrun_vpc_router_set_nat_port (CloudRunVpcRouter *r, SimPort *port)
{
  r->nat = port;
}
