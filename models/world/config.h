/* The seam between the scenario file and the running world: the plain
 * configuration structs and enums the nodes are built from, and the
 * vocabulary they explain themselves in (hop kinds, drop causes).
 *
 * models/world/ depends on sim/ and on this header, never on
 * models/format/; models/assemble/ is the only room that sees both and
 * translates a scenario record into these structs. Constructors copy
 * what they keep: a config may live on the caller's stack.
 *
 * Enum names here are the world's own; the file format has its own
 * choice indexes (models/format/scenario.h), translated in
 * models/assemble/translate.c. */
#ifndef CLOUDRUN_WORLD_CONFIG_H
#define CLOUDRUN_WORLD_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

/* ---- Vocabulary (Connectivity Tests names, docs/networking.md
 * "Vocabulary", plus the simulator's own) -------------------------- */

/* The kind of hop that takes a step or decides a request. */
typedef enum {
  CLOUDRUN_HOP_NONE = -1,       /* no hop (nothing decided) */
  CLOUDRUN_HOP_DNS,
  CLOUDRUN_HOP_EGRESS,
  CLOUDRUN_HOP_CONNECTOR,
  CLOUDRUN_HOP_DIRECT_VPC,
  CLOUDRUN_HOP_VPC_ROUTER,
  CLOUDRUN_HOP_NAT,
  CLOUDRUN_HOP_INTERNET,
  CLOUDRUN_HOP_PSC_ENDPOINT,
  CLOUDRUN_HOP_ILB,
  CLOUDRUN_HOP_EXTERNAL_ALB,
  CLOUDRUN_HOP_GFE,
  CLOUDRUN_HOP_SERVICE,
  CLOUDRUN_HOP_VM,
  CLOUDRUN_HOP_CLIENT,
  CLOUDRUN_HOP_GOOGLE_PRODUCT,  /* Pub/Sub push, Cloud Tasks, ... */
  CLOUDRUN_N_HOPS
} CloudRunHopKind;

/* Why a request was dropped, aborted or refused: the causes some node
 * produces (the format accepts every Connectivity Tests cause). */
typedef enum {
  CLOUDRUN_DROP_NONE = 0,       /* not dropped */
  CLOUDRUN_DROP_NO_ROUTE,
  CLOUDRUN_DROP_PRIVATE_GOOGLE_ACCESS_DISALLOWED,
  CLOUDRUN_DROP_NO_EXTERNAL_ADDRESS,
  CLOUDRUN_DROP_FIREWALL_RULE,
  CLOUDRUN_DROP_LOAD_BALANCER_HAS_NO_PROXY_SUBNET,
  CLOUDRUN_DROP_FORWARDING_RULE_REGION_MISMATCH,
  CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES,
  CLOUDRUN_DROP_INGRESS_DENIED,
  CLOUDRUN_DROP_IAM_DENIED,
  CLOUDRUN_DROP_ROUTE_BLACKHOLE,
  CLOUDRUN_DROP_PRIVATE_TRAFFIC_TO_INTERNET,
  CLOUDRUN_DROP_VPC_SC_DENIED,
  CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED,  /* the simulator's own */
  CLOUDRUN_DROP_LINK_QUEUE_FULL,  /* the simulator's own: a link's queue */
  CLOUDRUN_DROP_VPC_CONNECTOR_QUEUE_FULL,  /* the simulator's own */
  CLOUDRUN_DROP_TARGET_TYPE_NOT_PERMITTED_FOR_VPC,  /* Cloud Tasks' error
                                   code in a VPC-SC perimeter */
  CLOUDRUN_N_DROP_CAUSES,
  CLOUDRUN_DROP_UNPRODUCED = CLOUDRUN_N_DROP_CAUSES  /* a cause of the
                                   format's vocabulary that no node produces:
                                   no request has it */
} CloudRunDropCause;

/* "dns", "vpc-router", ...; "none" for CLOUDRUN_HOP_NONE. */
const char *cloudrun_hop_name (CloudRunHopKind hop);
/* "NO_ROUTE", ...; NULL for CLOUDRUN_DROP_NONE. */
const char *cloudrun_drop_cause_name (CloudRunDropCause cause);

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

/* ---- A revision's egress (docs/networking.md, "Egress") ------------ */

typedef enum {
  VPC_ACCESS_NONE,              /* no VPC access: internet egress only */
  VPC_ACCESS_CONNECTOR,         /* a Serverless VPC Access connector */
  VPC_ACCESS_DIRECT,            /* Direct VPC egress */
} VpcAccess;

typedef enum {
  VPC_EGRESS_PRIVATE_RANGES_ONLY,
  VPC_EGRESS_ALL_TRAFFIC,
} VpcEgress;

/* ---- The GFE's view of a service ------------------------------------ */

typedef enum {
  GFE_INGRESS_ALL,
  GFE_INGRESS_INTERNAL,
  GFE_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING,
  GFE_INGRESS_NONE,
} GfeIngress;

const char *gfe_ingress_name (GfeIngress ingress); /* "internal", ... */

/* Who holds the Cloud Run Invoker role on a service (its IAM policy), as
 * Cloud Run IAM writes principals. */
typedef enum {
  IAM_PRINCIPAL_ALL_USERS,      /* allUsers: anyone, token or not */
  IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS, /* any valid ID token */
  IAM_PRINCIPAL_SERVICE_ACCOUNT,/* serviceAccount:EMAIL */
  IAM_PRINCIPAL_USER,           /* user:EMAIL */
} IamPrincipalKind;

typedef struct {
  IamPrincipalKind kind;
  const char *email;            /* SERVICE_ACCOUNT, USER: lower case;
                                   else NULL */
} IamPrincipal;

/* "allUsers", "allAuthenticatedUsers", "serviceAccount", "user". */
const char *iam_principal_kind_name (IamPrincipalKind kind);

/* ---- The VPC router of one network ---------------------------------- */

typedef enum {
  VPC_FIREWALL_EGRESS,
  VPC_FIREWALL_INGRESS,
} VpcFirewallDirection;

typedef enum {
  VPC_FIREWALL_ALLOW,
  VPC_FIREWALL_DENY,
} VpcFirewallAction;

typedef struct {
  uint8_t protocol;             /* 0 all, 1 icmp, 6 tcp, 17 udp */
  uint16_t port_min, port_max;  /* tcp/udp ports; 0..65535 when none */
} VpcProtocolMatch;

/* One firewall rule of the network. */
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
} VpcFirewallRule;

typedef enum {
  VPC_NEXT_HOP_GATEWAY,         /* default-internet-gateway */
  VPC_NEXT_HOP_BLACKHOLE,
  VPC_NEXT_HOP_ADDRESS,
} VpcNextHopKind;

/* One custom static route of the network. */
typedef struct {
  const char *name;             /* the route's name */
  VpcCidr destination;
  VpcNextHopKind next_hop;
  uint32_t next_hop_address;    /* VPC_NEXT_HOP_ADDRESS: the address */
  uint32_t priority;            /* 0..65535, lower wins */
} VpcRouteConfig;

/* One subnet of the network: a subnet route. */
typedef struct {
  const char *name;
  VpcCidr range;                /* primary range */
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
  const VpcSubnetConfig *subnets;
  guint n_subnets;
  const VpcRouteConfig *routes; /* custom static routes */
  guint n_routes;
  const VpcFirewallRule *firewalls; /* in file order (ties break by it) */
  guint n_firewalls;
  VpcConnectorGoogleAccess connector_google_access;
  bool nat_enables_pga;         /* Cloud NAT turns PGA on where it serves */
  bool psc_needs_pga;           /* a caller without an external address
                                   uses a PSC endpoint for Google APIs only
                                   with Private Google Access */
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
} VpcNatConfig;

typedef enum {
  VPC_PSC_ALL_APIS,
  VPC_PSC_VPC_SC,
} VpcPscBundle;

const char *vpc_psc_bundle_name (VpcPscBundle bundle); /* "all-apis", ... */

/* A Private Service Connect endpoint for Google APIs. */
typedef struct {
  const char *name;             /* the node is psc-NAME */
  const char *network;          /* its network's NAME */
  uint32_t address;             /* internal address */
  VpcPscBundle bundle;
  uint32_t vni;                 /* its network's VNI */
  uint64_t project_number;      /* its network's host project */
} VpcPscConfig;

#endif
