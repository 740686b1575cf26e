/* The seam between the scenario file and the running world: the plain
 * configuration structs the nodes are built from. Their enums, and the
 * vocabulary the nodes explain themselves in (hop kinds, drop causes),
 * are the one vocabulary the file format shares
 * (models/vocab/vocabulary.h).
 *
 * models/world/ depends on sim/, models/vocab/ and on this header, never
 * on models/format/; models/assemble/ is the only room that sees both
 * and turns a scenario record into these structs. Constructors copy what
 * they keep: a config may live on the caller's stack. */
#ifndef CLOUDRUN_WORLD_CONFIG_H
#define CLOUDRUN_WORLD_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/vocab/vocabulary.h"
#include "sim/ipv6.h"
#include "sim/time.h"

/* ---- Addresses ---------------------------------------------------- */

typedef struct {
  uint32_t prefix;              /* host order, host bits zero */
  uint8_t len;                  /* 0..32 */
} VpcCidr;

/* A range of a network and the region it lives in (a subnet, a
 * connector's /28): where a packet with a source inside it comes from. */
typedef struct {
  VpcCidr range;
  const char *region;
} VpcRegionRange;

/* Whether addr is inside c. */
bool vpc_cidr_contains (const VpcCidr *c, uint32_t addr);

/* An IPv6 range: a subnet's /64, a network's internal /48, a route's or
 * a firewall rule's range. */
typedef struct {
  SimIp6 prefix;                /* host bits zero */
  uint8_t len;                  /* 0..128 */
} VpcCidr6;

/* Whether addr is inside c. */
bool vpc_cidr6_contains (const VpcCidr6 *c, const SimIp6 *addr);

/* ---- The GFE's view of a service ------------------------------------ */

/* One principal holding the Cloud Run Invoker role on a service. */
typedef struct {
  IamPrincipalKind kind;
  const char *email;            /* SERVICE_ACCOUNT, USER: lower case;
                                   else NULL */
} IamPrincipal;

/* ---- The VPC router of one network ---------------------------------- */

typedef struct {
  uint8_t protocol;             /* 0 all, 1 icmp, 6 tcp, 17 udp */
  uint16_t port_min, port_max;  /* tcp/udp ports; 0..65535 when none */
} VpcProtocolMatch;

/* Who holds a firewall rule: the network itself, or a firewall policy.
 * A packet meets them in the order organization, folder, network policies
 * when the network puts them first, the network's VPC firewall rules,
 * network policies otherwise (firewall/docs/firewall-policies-overview,
 * evaluation order). VPC comes first here so that a zeroed rule is one
 * of the network's. */
typedef enum {
  VPC_FIREWALL_STAGE_VPC,
  VPC_FIREWALL_STAGE_ORGANIZATION,
  VPC_FIREWALL_STAGE_FOLDER,
  VPC_FIREWALL_STAGE_NETWORK_FIRST,
  VPC_FIREWALL_STAGE_NETWORK_LAST,
  /* A regional network policy, right after the global network policies
   * (firewall/docs/firewall-policies-rule-eval-order). */
  VPC_FIREWALL_STAGE_REGIONAL_FIRST,
  VPC_FIREWALL_STAGE_REGIONAL_LAST,
} VpcFirewallStage;

/* One firewall rule of the network or of a policy that applies to it. */
typedef struct {
  const char *name;             /* the rule's name, for explanations */
  VpcFirewallDirection direction;
  VpcFirewallAction action;
  const VpcCidr *ranges;        /* destinations (egress) or sources
                                   (ingress) */
  guint n_ranges;
  const VpcProtocolMatch *protocols; /* at least one; protocol 0 = all */
  guint n_protocols;
  uint32_t priority;            /* 0..65535, lower wins; deny wins a tie */
  /* NULL-terminated lists; NULL or empty when the rule does not use them
   * (https://cloud.google.com/firewall/docs/firewalls, targets and
   * sources). */
  const char *const *target_tags;     /* instances with one of these tags */
  const char *const *target_accounts; /* VMs running as one of these */
  const char *const *source_tags;     /* ingress: also sources with one */
  const char *const *source_accounts; /* ingress: also VMs running as one */
  bool hidden;                  /* a rule Google adds and does not list
                                   (Serverless VPC Access's) */
  VpcFirewallStage stage;       /* who holds it */
  const char *policy;           /* the policy's NAME, or NULL */
  const char *region;           /* a regional network policy's region: the
                                   rule applies to instances there only;
                                   NULL: every region */
  /* Secure tags (Resource Manager tag values with the firewall purpose),
   * NULL-terminated or NULL; policy rules only
   * (firewall/docs/tags-firewalls-overview). */
  const char *const *target_secure_tags; /* VMs bound to one of these */
  const char *const *source_secure_tags; /* ingress: also VMs bound to
                                   one */
  /* IPv6 destinations (egress) or sources (ingress). A rule holds one
   * family: ranges or ranges6 (firewall/docs/firewalls); a rule with
   * neither matches IPv4 packets only, as Google's 0.0.0.0/0 default. */
  const VpcCidr6 *ranges6;
  guint n_ranges6;
} VpcFirewallRule;

/* One custom static route of the network. */
typedef struct {
  const char *name;             /* the route's name */
  VpcCidr destination;
  VpcNextHopKind next_hop;
  uint32_t next_hop_address;    /* VPC_NEXT_HOP_ADDRESS: the address */
  uint32_t priority;            /* 0..65535, lower wins */
  bool v6;                      /* an IPv6 route: destination6 holds its
                                   range, destination is unused */
  VpcCidr6 destination6;
} VpcRouteConfig;

/* One subnet of the network: a subnet route. */
typedef struct {
  const char *name;
  VpcCidr range;                /* primary range (unused for
                                   IPV6_ONLY) */
  VpcStackType stack;           /* zero: IPV4_ONLY */
  VpcIpv6Access ipv6_access;    /* unless IPV4_ONLY: where ipv6_range
                                   comes from */
  VpcCidr6 ipv6_range;          /* unless IPV4_ONLY: its /64 */
} VpcSubnetConfig;

/* How a connector on its own hidden /28 reaches Google front ends. */
typedef enum {
  VPC_CONNECTOR_GOOGLE_IMPLICIT,    /* always (observed) */
  VPC_CONNECTOR_GOOGLE_SUBNET_PGA,  /* like a subnet without PGA */
} VpcConnectorGoogleAccess;

/* Everything a VPC router is built from. Arrays are copied. */
typedef struct {
  const char *network;          /* network NAME; the node is vpc-NAME */
  uint32_t vni;                 /* Geneve VNI naming the network */
  uint64_t project_number;      /* the host project's number */
  uint32_t fabric_addr;         /* its address on Google's fabric */
  uint32_t gfe_fabric_addr;     /* the GFE's address on the fabric */
  bool default_route;           /* 0.0.0.0/0 -> default-internet-gateway */
  bool on_premises;             /* a site's router: no firewall rules, no
                                   Private Google Access; public
                                   destinations, Google's included, by the
                                   site's internet connection; the node is
                                   site-NAME */
  const VpcSubnetConfig *subnets;
  guint n_subnets;
  const VpcRouteConfig *routes; /* custom static routes */
  guint n_routes;
  const VpcFirewallRule *firewalls; /* in file order (ties break by it) */
  guint n_firewalls;
  bool connector_rule;          /* a connector serves the network: Serverless
                                   VPC Access's implicit ingress rule (allow
                                   from source tag vpc-connector, priority
                                   1000) is in force */
  VpcConnectorGoogleAccess connector_google_access;
  bool nat_enables_pga;         /* Cloud NAT turns PGA on where it serves */
  bool psc_needs_pga;           /* a caller without an external address
                                   uses a PSC endpoint for Google APIs only
                                   with Private Google Access */
  VpcCidr6 internal_ipv6_range; /* the network's ULA /48; len 0: none */
} VpcRouterConfig;

/* ---- Hops with a name and a few numbers ----------------------------- */

/* A Serverless VPC Access connector. */
typedef struct {
  const char *name;             /* the node is connector-NAME */
  VpcCidr block;                /* its /28 (hidden or a user subnet) */
  unsigned min_instances;       /* running from time 0 (1..12) */
  unsigned max_instances;       /* scale-out limit (min..12) */
  uint64_t rate_bps;            /* each instance's throughput */
  SimTime start_time;           /* a new instance serves after this */
} VpcConnectorConfig;

/* A Cloud NAT gateway. */
typedef struct {
  const char *name;             /* the node is nat-NAME */
  uint32_t min_ports_per_vm;    /* ports reserved per VM (1..64512) */
  SimTime tcp_time_wait;        /* a closed flow's port is held this long */
  bool nat64;                   /* translates IPv6 to 64:ff9b::/96 into
                                   IPv4 (its ipv6-only subnets) */
} VpcNatConfig;

/* A Private Service Connect endpoint for Google APIs. */
typedef struct {
  const char *name;             /* the node is psc-NAME */
  const char *network;          /* its network's NAME */
  uint32_t address;             /* internal address */
  VpcPscBundle bundle;
  uint32_t vni;                 /* its network's VNI */
  uint64_t project_number;      /* its network's host project */
} VpcPscConfig;

/* What a managed instance is, as its node judges connections. */
typedef enum {
  VPC_MANAGED_CLOUD_SQL,        /* RFC 1918 sources, or authorized ones */
  VPC_MANAGED_REDIS,            /* no privately used public sources */
  VPC_MANAGED_ALLOYDB,
} VpcManagedKind;

/* A Cloud SQL, Memorystore for Redis or AlloyDB instance reached over
 * private services access. */
typedef struct {
  const char *name;             /* the node is managed-NAME */
  const char *product;          /* "Cloud SQL for PostgreSQL", ... */
  VpcManagedKind kind;
  uint32_t address;             /* its private address */
  const uint16_t *ports;        /* the ports it accepts */
  guint n_ports;
  const VpcCidr *authorized;    /* Cloud SQL: authorized networks */
  guint n_authorized;
} VpcManagedConfig;

#endif
