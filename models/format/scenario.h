/* The scenario: every group of a format 1 scenario file
 * (docs/scenario-format.md) as C structs, loaded, defaulted, cross-checked
 * and with every reference resolved to a pointer.
 *
 * Called by tools/ (run, check, explain, graph: the tool reads the file
 * and passes the bytes; models/ never opens files or prints) and by the
 * model builders in models/, which turn the objects into nodes.
 *
 * Invariants after a successful load:
 * - every object embeds CloudRunSpecObject first; objects of a kind sit in one
 *   GPtrArray in file order (owned by the scenario);
 * - every default of the key tables (models/format/scenario-keys.c) is applied;
 *   list fields are never NULL unless the key is CLOUDRUN_KEY_OPTIONAL and
 *   unset (cloudrun_object_has says whether a key was written);
 * - every name reference points to an object of the right kind; `project`
 *   is filled even where omitted (single-project scenarios), and there is
 *   always at least one project (an implicit "default" when none is
 *   written);
 * - enum fields hold the value of the C enum, this file's own below or
 *   the vocabulary's (models/vocab/vocabulary.h) that both the format
 *   and the world speak. */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <glib.h>
#include <stdint.h>

#include "models/format/keys.h"
#include "models/vocab/vocabulary.h"
#include "sim/delay.h"
#include "sim/ipv6.h"
#include "sim/time.h"

#define CLOUDRUN_SCENARIO_ERROR (cloudrun_scenario_error_quark ())
GQuark cloudrun_scenario_error_quark (void);

/* Error codes; every message is "FILE: [GROUP] KEY: expected X, found Y"
 * (group and key left out where they do not apply, "FILE: line N:" for
 * text that is not a key file), with "; did you mean 'Z'?" for typos. */
typedef enum {
  CLOUDRUN_SCENARIO_ERROR_SYNTAX,     /* empty, not UTF-8, not a key file */
  CLOUDRUN_SCENARIO_ERROR_FORMAT,     /* format missing or not 1 */
  CLOUDRUN_SCENARIO_ERROR_GROUP,      /* bad, unknown or repeated group */
  CLOUDRUN_SCENARIO_ERROR_KEY,        /* unknown, repeated or missing key */
  CLOUDRUN_SCENARIO_ERROR_VALUE,      /* wrong type, unit, choice, syntax */
  CLOUDRUN_SCENARIO_ERROR_REFERENCE,  /* a name no group of the kind has */
  CLOUDRUN_SCENARIO_ERROR_CONFLICT,   /* keys or groups contradict */
  CLOUDRUN_SCENARIO_ERROR_OVERRIDE,   /* a --set that is not GROUP.KEY=V */
  CLOUDRUN_SCENARIO_ERROR_KIND,       /* `keys KIND` of an unknown kind */
} CloudRunScenarioError;

/* The group of parameters for cloudrun-netsim sweep (tools/cli/sweep.c):
 * the loader accepts it (keys "seeds" and GROUP.KEY as --set takes them)
 * and makes no object of it; --set and --unset cannot name it. */
#define CLOUDRUN_SWEEP_GROUP "sweep"

/* ---- Values ------------------------------------------------------- */

/* The largest request-size and response-size (1 GiB). Bodies stream
 * through TCP, so memory does not follow them; the bound keeps a run's
 * simulated work (events, capture size) within reason. */
#define CLOUDRUN_BODY_MAX ((int64_t) 1 << 30)

/* The most requests of all [traffic] groups together (each has at most
 * 10,000,000): request ids are 32-bit and dense. */
#define CLOUDRUN_MAX_REQUESTS 100000000u

typedef struct {
  uint32_t prefix;              /* host order, host bits zero */
  uint8_t len;                  /* 0..32 */
} CloudRunSpecCidr;

typedef struct {
  SimIp6 prefix;                /* network order, host bits zero */
  uint8_t len;                  /* 0..128 */
} CloudRunSpecCidr6;

/* A range of either family ([route] destination). */
typedef struct {
  gboolean v6;                  /* which of the two holds it */
  CloudRunSpecCidr cidr;        /* !v6 */
  CloudRunSpecCidr6 cidr6;      /* v6 */
} CloudRunSpecCidrAny;

typedef enum {
  CLOUDRUN_DNS_A,
  CLOUDRUN_DNS_AAAA,
  CLOUDRUN_DNS_CNAME,
  CLOUDRUN_DNS_PASSTHRU,        /* a response policy rule without data */
} CloudRunDnsType;

typedef struct {
  char *owner;                  /* lower case, ends in '.'; may start "*." */
  CloudRunDnsType type;         /* A, AAAA or CNAME (PASSTHRU: rules) */
  char *data;                   /* as written; CNAME lower case with '.' */
  uint32_t address;             /* A: the address; 0 otherwise */
  uint8_t address6[16];         /* AAAA: the address, network order */
} CloudRunSpecDnsRecord;

typedef enum {
  CLOUDRUN_URL_HTTPS,
  CLOUDRUN_URL_HTTP,
  CLOUDRUN_URL_TCP,             /* a connection only: no bytes sent */
} CloudRunUrlScheme;

/* What a URL's host names, found at load time for reports; the
 * simulation itself resolves the host through DNS. */
typedef enum {
  CLOUDRUN_URL_HOST_ADDRESS,      /* an IPv4 literal */
  CLOUDRUN_URL_HOST_SERVICE,      /* one of a service's two run.app hosts,
                                     or a tag's two */
  CLOUDRUN_URL_HOST_INTERNAL_ALB, /* an internal ALB's hostname */
  CLOUDRUN_URL_HOST_EXTERNAL_ALB, /* an external ALB's hostname */
  CLOUDRUN_URL_HOST_DNS_RECORD,   /* an owner name of a dns-zone record */
  CLOUDRUN_URL_HOST_DOMAIN_MAPPING, /* a domain mapping's custom domain */
} CloudRunUrlHostKind;

typedef struct {
  char *text;                   /* as written */
  CloudRunUrlScheme scheme;     /* service:NAME is https */
  char *host;                   /* lower case; service:NAME expanded */
  uint16_t port;                /* the URL's PORT, else 443 for https
                                   (TLS), 80 for http */
  char *path;                   /* from the first '/'; "/" when none */
  char *service_name;           /* NAME of service:NAME, else NULL */
  CloudRunUrlHostKind host_kind;/* what host names */
  gpointer target;              /* the CloudRunSpecService,
                                   CloudRunSpecInternalAlb or
                                   CloudRunSpecExternalAlb named; else NULL */
  uint32_t address;             /* host_kind ADDRESS: the address */
} CloudRunSpecUrl;

typedef struct {
  VpcNextHopKind kind;          /* gateway, blackhole or an address */
  uint32_t address;             /* kind ADDRESS: the next hop */
} CloudRunSpecNextHop;

typedef struct {
  uint8_t protocol;             /* 0 all, 1 icmp, 6 tcp, 17 udp */
  uint16_t port_min, port_max;  /* tcp/udp ports; 0..65535 when none */
} CloudRunSpecProtocol;

typedef struct {
  guint count;                  /* number of addresses (>= 1) */
  GArray *addresses;            /* of uint32_t; empty when given a count */
} CloudRunSpecNatAddresses;

/* ---- Choices (indexes into the key tables' choices) --------------- */

typedef enum {
  CLOUDRUN_GOOGLE_ACCESS_IMPLICIT,
  CLOUDRUN_GOOGLE_ACCESS_SUBNET_PGA,
} CloudRunConnectorGoogleAccess;

/* [assumptions] run-external-ipv6: whether Cloud Run sends IPv6 through
 * a subnet with an external IPv6 range. */
typedef enum {
  CLOUDRUN_RUN_EXTERNAL_IPV6_REFUSED, /* IPv4 only, with a warning */
  CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED,
} CloudRunRunExternalIpv6;
/* [assumptions] ipv6-internal: whether a request over IPv6 from a VPC
 * can be internal. */
typedef enum {
  CLOUDRUN_IPV6_INTERNAL_LIKE_IPV4,
  CLOUDRUN_IPV6_INTERNAL_EXTERNAL,
} CloudRunIpv6Internal;

typedef enum {
  CLOUDRUN_SUBNET_PRIVATE,
  CLOUDRUN_SUBNET_PROXY_ONLY,
} CloudRunSubnetPurpose;

typedef enum {
  CLOUDRUN_MACHINE_F1_MICRO,
  CLOUDRUN_MACHINE_E2_MICRO,
  CLOUDRUN_MACHINE_E2_STANDARD_4,
} CloudRunMachineType;

typedef enum {
  CLOUDRUN_PRODUCT_PUBSUB_PUSH,
  CLOUDRUN_PRODUCT_CLOUD_TASKS,
  CLOUDRUN_PRODUCT_CLOUD_SCHEDULER,
  CLOUDRUN_PRODUCT_EVENTARC,
  CLOUDRUN_PRODUCT_WORKFLOWS,
  CLOUDRUN_PRODUCT_DIALOGFLOW_CX,
  CLOUDRUN_PRODUCT_BIGQUERY,
  CLOUDRUN_PRODUCT_SYNTHETIC_MONITOR,
  CLOUDRUN_PRODUCT_UPTIME_CHECK,
  CLOUDRUN_PRODUCT_FIREBASE_HOSTING, /* not on Google's list: external */
} CloudRunProduct;

typedef struct {
  IamPrincipalKind kind;        /* allUsers (alias: public), ... */
  char *email;                  /* SERVICE_ACCOUNT, USER: lower case; else
                                   NULL */
} CloudRunSpecPrincipal;

typedef enum {
  CLOUDRUN_DNS_PRIVATE,
  CLOUDRUN_DNS_PUBLIC,
} CloudRunDnsVisibility;

typedef enum {
  CLOUDRUN_PATTERN_CONSTANT,
  CLOUDRUN_PATTERN_POISSON,
  CLOUDRUN_PATTERN_BURST,       /* all at start, no gap */
} CloudRunPattern;

typedef enum {
  CLOUDRUN_IDENTITY_NONE,
  CLOUDRUN_IDENTITY_ID_TOKEN,
} CloudRunIdentity;

/* The header an ID token travels in. */
typedef enum {
  CLOUDRUN_TOKEN_HEADER_AUTHORIZATION,
  CLOUDRUN_TOKEN_HEADER_X_SERVERLESS,  /* X-Serverless-Authorization */
} CloudRunTokenHeader;

/* Whether a traffic's requests open connections of their own. */
typedef enum {
  CLOUDRUN_CONNECTIONS_NEW,     /* one connection a request */
  CLOUDRUN_CONNECTIONS_REUSE,   /* HTTP keep-alive: kept for the next */
} CloudRunConnections;

/* ---- Objects ------------------------------------------------------ */

/* The head of every group's struct. */
typedef struct {
  CloudRunKind kind;            /* what the group is */
  char *name;                   /* NAME of [KIND NAME]; NULL: singletons */
  char *group;                  /* header text: "service backend" */
  guint line;                   /* line of the header; 0 when implicit */
  guint64 set;                  /* bit i: key i of the kind's table was
                                   written in the file or by --set */
} CloudRunSpecObject;

typedef struct CloudRunSpecProject CloudRunSpecProject;
typedef struct CloudRunSpecPerimeter CloudRunSpecPerimeter;
typedef struct CloudRunSpecNetwork CloudRunSpecNetwork;
typedef struct CloudRunSpecSubnet CloudRunSpecSubnet;
typedef struct CloudRunSpecConnector CloudRunSpecConnector;
typedef struct CloudRunSpecService CloudRunSpecService;
typedef struct CloudRunSpecVm CloudRunSpecVm;
typedef struct CloudRunSpecClient CloudRunSpecClient;
typedef struct CloudRunSpecGoogleCaller CloudRunSpecGoogleCaller;
typedef struct CloudRunSpecTraffic CloudRunSpecTraffic;
typedef struct CloudRunSpecExpect CloudRunSpecExpect;

/* [assumptions]: switches for behaviour the docs leave open. */
typedef struct {
  CloudRunSpecObject base;      /* [assumptions] (line 0 when absent) */
  CloudRunConnectorGoogleAccess connector_google_access; /* how a
                                   connector reaches Google front ends */
  gboolean nat_enables_pga;     /* Cloud NAT turns on PGA for a subnet */
  CloudRunConnectorGoogleAccess psc_google_access; /* whether a caller
                                   needs PGA to use a PSC endpoint */
  int64_t ingress_denied_status;/* HTTP status of an ingress refusal */
  int64_t direct_vpc_ip_factor; /* subnet addresses held per instance */
  SimTime pending_wait;         /* how long a request waits for a slot
                                   before 429; 0: Google's bound */
  SimTime instance_idle_timeout; /* an idle instance beyond min-instances
                                   retires after this; 0 never */
  SimTime connector_start_time; /* a connector's added instance forwards
                                   after this */
  SimTime direct_vpc_start_delay; /* a Direct VPC instance's connections
                                   wait this long after its cold start */
  GArray *private_ranges;       /* of CloudRunSpecCidr: what private-ranges-
                                   only sends into the VPC */
  CloudRunRunExternalIpv6 run_external_ipv6; /* Cloud Run on an external-
                                   IPv6 subnet: IPv6 too, or IPv4 only */
  CloudRunIpv6Internal ipv6_internal; /* how the GFE classifies a request
                                   over IPv6 from a VPC */
} CloudRunSpecAssumptions;

/* [project NAME] */
struct CloudRunSpecProject {
  CloudRunSpecObject base;
  uint64_t number;              /* 12 digits; derived from NAME unless
                                   written (cloudrun_project_number_default) */
  char *perimeter;              /* perimeter, as written: a VPC-SC
                                   perimeter restricting Cloud Run; NULL */
  gboolean implicit;            /* made by the loader: no [project] group */
  CloudRunSpecPerimeter *in_perimeter; /* the [perimeter NAME] group that lists
                                   it or that perimeter names; NULL: none
                                   (perimeter alone is then an implicit
                                   one restricting run.googleapis.com) */
};

/* [perimeter NAME]: a VPC Service Controls service perimeter. */
struct CloudRunSpecPerimeter {
  CloudRunSpecObject base;
  char **project_names;         /* projects, as written */
  GPtrArray *projects;          /* CloudRunSpecProject *: members; not
                                   owning */
  char **restricted_services;   /* restricted-services: API names */
  GArray *access_ranges;        /* access-level-ranges: CloudRunSpecCidr,
                                   public source ranges an access level
                                   admits */
  GArray *access_identities;    /* access-level-identities:
                                   CloudRunSpecPrincipal (serviceAccount:,
                                   user:) */
};

/* [network NAME] */
struct CloudRunSpecNetwork {
  CloudRunSpecObject base;
  char *project_name;           /* project, as written; NULL if omitted */
  CloudRunSpecProject *project; /* the host project */
  gboolean default_route;       /* 0.0.0.0/0 -> default-internet-gateway */
  char **shared_with_names;     /* shared-with, as written */
  gboolean policies_first;      /* network firewall policies before its
                                   VPC firewall rules */
  gboolean on_premises;         /* a site outside Google Cloud: its subnets
                                   are the site's ranges, its VMs the
                                   site's hosts */
  GPtrArray *shared_with;       /* CloudRunSpecProject *: Shared VPC service
                                   projects; not owning */
  GPtrArray *subnets;           /* CloudRunSpecSubnet * of this network in
                                   file order; not owning */
  CloudRunSpecCidr6 internal_ipv6_range; /* its ULA /48 inside fd20::/20;
                                   len 0: none */
  gboolean internal_ipv6_auto;  /* written as `auto`: the range is the
                                   first free fd20:0:N::/48 */
};

/* [subnet NAME] */
struct CloudRunSpecSubnet {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* its network */
  char *region;                 /* a known region */
  CloudRunSpecCidr range;       /* primary range */
  gboolean private_google_access; /* PGA flag as written (NAT may add it,
                                   see assumptions.nat_enables_pga) */
  CloudRunSubnetPurpose purpose;/* private or proxy-only */
  VpcStackType stack_type;      /* ipv4-only, ipv4-ipv6 or ipv6-only */
  VpcIpv6Access ipv6_access_type; /* unless ipv4-only: internal or
                                   external */
  CloudRunSpecCidr6 ipv6_range; /* unless ipv4-only: its /64, written or
                                   the next free one */
};

/* [route NAME]: a custom static route. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* its network */
  CloudRunSpecCidrAny destination; /* destination range, IPv4 or IPv6 */
  CloudRunSpecNextHop next_hop; /* gateway, blackhole or an address */
  int64_t priority;             /* 0..65535, lower wins */
} CloudRunSpecRoute;

/* How a [hybrid-link] reaches the site. */
typedef enum {
  CLOUDRUN_HYBRID_VPN,          /* HA VPN tunnels */
  CLOUDRUN_HYBRID_INTERCONNECT, /* VLAN attachments */
} CloudRunHybridKind;

/* [external-alb] kind: which external Application Load Balancer. */
typedef enum {
  CLOUDRUN_ALB_GLOBAL,          /* global external: Cloud Armor, then IAP */
  CLOUDRUN_ALB_CLASSIC,         /* classic: IAP, then Cloud Armor */
} CloudRunAlbKind;

/* [hybrid-link NAME]: Cloud VPN or Cloud Interconnect between a VPC
 * network and an on-premises site, with its Cloud Router. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* the VPC network */
  char *site_name;              /* site, as written */
  CloudRunSpecNetwork *site;    /* the on-premises network */
  char *region;                 /* the Cloud Router's region */
  CloudRunHybridKind kind;      /* vpn or interconnect */
  SimTime latency;              /* one way across the link */
  uint64_t bandwidth;           /* bits per second, each way */
  GArray *advertised_ranges;    /* CloudRunSpecCidr: custom advertisements
                                   beyond the region's subnets */
} CloudRunSpecHybridLink;

/* [peering NAME]: one side of a VPC Network Peering. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* the network this side belongs to */
  char *peer_name;              /* peer-network, as written */
  CloudRunSpecNetwork *peer;    /* the network it peers with */
  gboolean export_custom_routes;/* this side offers its custom routes */
  gboolean import_custom_routes;/* this side takes the peer's offered */
} CloudRunSpecPeering;

/* [private-services-access NAME]: the private connection between a VPC
 * network and the service producer network of Google's managed services
 * (a VPC Network Peering over allocated ranges). */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* the consumer network */
  GArray *ranges;               /* CloudRunSpecCidr: allocated ranges */
  gboolean export_custom_routes;/* the consumer's custom routes reach the
                                   producer network */
  gboolean import_custom_routes;/* unused by the producer (it exports
                                   none); kept as written */
} CloudRunSpecPrivateAccess;

/* [managed-instance] product. */
typedef enum {
  CLOUDRUN_PRODUCT_CLOUD_SQL_POSTGRES,
  CLOUDRUN_PRODUCT_CLOUD_SQL_MYSQL,
  CLOUDRUN_PRODUCT_CLOUD_SQL_SQLSERVER,
  CLOUDRUN_PRODUCT_MEMORYSTORE_REDIS,
  CLOUDRUN_PRODUCT_ALLOYDB,
} CloudRunManagedProduct;

/* [managed-instance NAME]: a Cloud SQL, Memorystore for Redis or AlloyDB
 * instance at a private address of a private services access range. */
typedef struct {
  CloudRunSpecObject base;
  CloudRunManagedProduct product;
  char *access_name;            /* private-services-access, as written */
  CloudRunSpecPrivateAccess *access; /* its private connection */
  char *region;                 /* a known region */
  uint32_t address;             /* its private address (0: allocated) */
  CloudRunSpecCidr subnet;      /* the producer subnet holding it */
  GArray *authorized_networks;  /* CloudRunSpecCidr (Cloud SQL only) */
} CloudRunSpecManagedInstance;

/* What a [firewall-policy] is: associated with the organization or a
 * folder above projects, or with networks. */
typedef enum {
  CLOUDRUN_FIREWALL_POLICY_HIERARCHICAL,
  CLOUDRUN_FIREWALL_POLICY_NETWORK,
  CLOUDRUN_FIREWALL_POLICY_REGIONAL, /* a regional network policy */
} CloudRunFirewallPolicyType;

typedef enum {
  CLOUDRUN_FIREWALL_POLICY_ORGANIZATION,
  CLOUDRUN_FIREWALL_POLICY_FOLDER,
} CloudRunFirewallPolicyLevel;

/* [firewall-policy NAME] */
typedef struct {
  CloudRunSpecObject base;
  CloudRunFirewallPolicyType type;
  CloudRunFirewallPolicyLevel level; /* hierarchical: where it is
                                   associated */
  char **project_names;         /* projects, as written; NULL if omitted */
  GPtrArray *projects;          /* hierarchical: CloudRunSpecProject * under
                                   its node; default every project */
  char **network_names;         /* networks, as written */
  GPtrArray *networks;          /* network: CloudRunSpecNetwork * it is
                                   associated with */
  char *region;                 /* regional: the region its rules apply
                                   in; else NULL */
} CloudRunSpecFirewallPolicy;

/* [firewall NAME] */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written; NULL with policy */
  CloudRunSpecNetwork *network; /* its network (a VPC firewall rule) */
  char *policy_name;            /* policy, as written, or NULL */
  CloudRunSpecFirewallPolicy *policy; /* the policy it is a rule of */
  VpcFirewallDirection direction; /* egress or ingress */
  VpcFirewallAction action;     /* allow or deny */
  GArray *ranges;               /* of CloudRunSpecCidr: destinations (egress)
                                   or sources (ingress) */
  GArray *ranges6;              /* of CloudRunSpecCidr6: IPv6 ones (a rule
                                   holds one family); NULL or empty */
  GArray *protocols;            /* of CloudRunSpecProtocol; one "all" entry by
                                   default */
  int64_t priority;             /* 0..65535, lower wins; deny wins a tie */
  char **target_tags;           /* network tags of the instances it applies
                                   to; empty: every instance */
  char **target_service_accounts; /* service accounts of the VMs it applies
                                   to; empty: every instance */
  char **source_tags;           /* ingress: network tags of sources it also
                                   matches */
  char **source_service_accounts; /* ingress: service accounts of source
                                   VMs it also matches */
  gboolean disabled;            /* not enforced: as if it did not exist */
  char **target_secure_tag_names; /* policy rules: target-secure-tags, as
                                   written; NULL if omitted */
  GPtrArray *target_secure_tags; /* CloudRunSpecSecureTag *: the VMs bound
                                   to one are its targets */
  char **source_secure_tag_names; /* ingress policy rules:
                                   source-secure-tags, as written */
  GPtrArray *source_secure_tags; /* CloudRunSpecSecureTag *: it also
                                   matches packets from VMs bound to one */
} CloudRunSpecFirewall;

/* [secure-tag NAME]: a secure tag value, a Resource Manager tag whose key
 * has the firewall purpose (GCE_FIREWALL) and names one network as its
 * purpose data (firewall/docs/tags-firewalls-overview). */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* the network of its purpose data */
} CloudRunSpecSecureTag;

/* [nat NAME]: a Cloud NAT gateway. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* its network */
  char *region;                 /* its region */
  char **subnet_names;          /* subnets, as written; NULL if omitted */
  GPtrArray *subnets;           /* CloudRunSpecSubnet * served; default: every
                                   private subnet of the network in the
                                   region; not owning */
  CloudRunSpecNatAddresses addresses; /* public addresses, or their count */
  int64_t min_ports_per_vm;     /* ports reserved per VM */
  SimTime tcp_time_wait_timeout; /* a closed TCP flow holds its port */
  gboolean nat64;               /* translates its ipv6-only subnets'
                                   packets to 64:ff9b::/96 into IPv4 */
} CloudRunSpecNat;

/* [connector NAME]: a Serverless VPC Access connector. */
struct CloudRunSpecConnector {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written; NULL if omitted */
  CloudRunSpecNetwork *network; /* its network (from subnet if omitted) */
  char *region;                 /* its region */
  CloudRunSpecCidr range;       /* range (hidden /28 subnet), if written */
  char *subnet_name;            /* subnet, as written; NULL if omitted */
  CloudRunSpecSubnet *subnet;   /* the existing /28 subnet, or NULL */
  CloudRunMachineType machine_type; /* instance machine type */
  int64_t min_instances;        /* instances at start (2..10) */
  int64_t max_instances;        /* scale-out limit (min..10) */
  CloudRunSpecCidr block;       /* the /28 in use: range or subnet's */
};

/* What every Cloud Run workload that sends requests has, a service, a job
 * or a worker pool: its place, its identity and its egress. The three
 * structs begin with these fields (CLOUDRUN_SPEC_WORKLOAD_FIELDS) inside
 * a union with a CloudRunSpecWorkload, so that one key table row, one
 * check and one builder serve them all. */
#define CLOUDRUN_SPEC_WORKLOAD_FIELDS                                      \
  char *project_name;           /* project, as written; NULL if omitted */ \
  CloudRunSpecProject *project; /* its project */                          \
  char *region;                 /* its region */                           \
  char *service_account;        /* EMAIL its instances' tokens name;       \
                                   default PROJECTNUMBER-compute@          \
                                   developer.gserviceaccount.com */        \
  VpcAccess vpc_access;         /* none, connector or direct */            \
  char *connector_name;         /* connector, as written, or NULL */       \
  CloudRunSpecConnector *connector; /* vpc-access connector: the           \
                                   connector */                            \
  char *subnet_name;            /* subnet, as written, or NULL */          \
  CloudRunSpecSubnet *subnet;   /* vpc-access direct: the subnet */        \
  VpcEgress vpc_egress;         /* what enters the VPC */                  \
  char **network_tags;          /* vpc-access direct: the interface's      \
                                   network tags (egress firewall           \
                                   targets) */

typedef struct {
  CLOUDRUN_SPEC_WORKLOAD_FIELDS
} CloudRunSpecWorkload;

/* [service NAME]: a Cloud Run service. */
struct CloudRunSpecService {
  CloudRunSpecObject base;
  union {
    CloudRunSpecWorkload workload; /* the fields below, as one */
    struct { CLOUDRUN_SPEC_WORKLOAD_FIELDS };
  };
  GfeIngress ingress;           /* who may reach it (decided at the GFE) */
  gboolean default_url;         /* the run.app hosts answer */
  GArray *invokers;             /* CloudRunSpecPrincipal, file order (at
                                   least one); default allUsers */
  char **custom_audiences;      /* audiences its IAM check accepts besides
                                   its URLs (NULL-terminated, may be
                                   empty) */
  gboolean iap;                 /* Identity-Aware Proxy on the service */
  GArray *iap_access;           /* CloudRunSpecPrincipal holding
                                   roles/iap.httpsResourceAccessor, or
                                   NULL (nobody) */
  int64_t min_instances;        /* instances kept warm */
  int64_t max_instances;        /* scale-out limit */
  int64_t concurrency;          /* requests per instance */
  SimTime cold_start;           /* delay before a new instance serves */
  SimDelay service_time;        /* time to answer one request, fixed or
                                   drawn per request */
  uint64_t response_size;       /* response body bytes */
  char *hash_host;              /* NAME-HASH-REGIONCODE.a.run.app */
  char *number_host;            /* NAME-PROJECTNUMBER.REGION.run.app */
  char *url;                    /* "https://" hash_host */
  char *number_url;             /* "https://" number_host */
  uint32_t serving_base;        /* its first instance's serving address
                                   (169.254.0.0/16, see
                                   scenario-check-address.c); unused when
                                   it has revisions */
  GPtrArray *revisions;         /* CloudRunSpecRevision * naming it, in file
                                   order, not owning; empty: none (its own
                                   settings are its only revision) */
  char **secure_tag_names;      /* secure-tags, as written: refused (Cloud
                                   Run's tags are not for firewalls) */
  GPtrArray *secure_tags;       /* resolved, unused */
};

/* The longest traffic tag plus service NAME: TAG---NAME-HASH-CODE fits
 * one DNS label of 63 (gcloud: "Combined traffic tag and service name
 * cannot exceed 46 characters"). */
#define CLOUDRUN_TAG_AND_SERVICE_MAX 46

/* [revision NAME]: one revision of a service, its share of the traffic
 * to the service's URLs and its traffic tag. The keys it leaves out
 * take the service's values. */
typedef struct {
  CloudRunSpecObject base;
  char *service_name;           /* service, as written */
  CloudRunSpecService *service; /* the service it belongs to */
  int64_t percent;              /* share of the service URLs' requests,
                                   0..100; a service's revisions sum to
                                   100 */
  char *tag;                    /* traffic tag, or NULL */
  int64_t min_instances;        /* these six: the service's when unset */
  int64_t max_instances;
  int64_t concurrency;
  SimTime cold_start;
  SimDelay service_time;
  uint64_t response_size;
  char *tag_hash_host;          /* TAG---NAME-HASH-CODE.a.run.app; NULL
                                   without a tag */
  char *tag_number_host;        /* TAG---NAME-PROJECTNUMBER.REGION.run.app;
                                   NULL without a tag */
  uint32_t serving_base;        /* its first instance's serving address */
} CloudRunSpecRevision;

/* [job NAME] and [worker-pool NAME]: Cloud Run workloads without an
 * ingress that call services, a job's tasks or a worker pool's
 * instances, each from its own instance (docs/networking.md, "Jobs and
 * worker pools"). */
typedef struct {
  CloudRunSpecObject base;      /* kind JOB or WORKER_POOL */
  union {
    CloudRunSpecWorkload workload; /* the fields below, as one */
    struct { CLOUDRUN_SPEC_WORKLOAD_FIELDS };
  };
  int64_t instances;            /* a job's tasks, a worker pool's
                                   instances */
  int64_t parallelism;          /* job: tasks running at once; 0: all of
                                   them. Worker pool: 0 */
  uint32_t sandbox_base;        /* its first instance's address in Cloud
                                   Run's sandbox (169.254.0.0/16, after
                                   the services', see
                                   scenario-check-address.c) */
} CloudRunSpecWorker;

/* [vm NAME]: a Compute Engine VM. */
struct CloudRunSpecVm {
  CloudRunSpecObject base;
  char *subnet_name;            /* subnet, as written */
  CloudRunSpecSubnet *subnet;   /* its subnet */
  uint32_t address;             /* internal address; default the next free
                                   usable address of the subnet */
  SimIp6 ipv6_address;          /* on a subnet with an IPv6 range: its
                                   address there (the first of its /96);
                                   zero otherwise */
  gboolean external_ip;         /* has an external address */
  char *service_account;        /* EMAIL its tokens name; default the
                                   default compute service account of its
                                   subnet's network's project */
  char **network_tags;          /* its network tags (firewall targets and
                                   sources) */
  char **secure_tag_names;      /* secure-tags, as written; NULL if
                                   omitted */
  GPtrArray *secure_tags;       /* CloudRunSpecSecureTag * bound to it */
  gboolean dns_server;          /* answers DNS on UDP 53 from its
                                   network's view */
  uint32_t resolver;            /* where it sends its DNS queries; 0: the
                                   metadata server (169.254.169.254) */
};

/* [client NAME]: a host on the internet. */
struct CloudRunSpecClient {
  CloudRunSpecObject base;
  uint32_t address;             /* public address; default the next one
                                   of 203.0.113.0/24 from .10 that no
                                   group writes and no A record holds */
  SimIp6 ipv6_address;          /* a global unicast address (2000::/3),
                                   or all zeros: none (IPv4 only) */
  char *account;                /* EMAIL whose ID token it sends; default
                                   NAME@example.com, a user named after
                                   the client */
  char *location;               /* the region it is in or near, or NULL:
                                   wherever each target service is */
  char *country;                /* the region code geolocation gives its
                                   address ("FR"), or NULL: none known */
};

/* [google-caller NAME]: a Google product that calls services (Pub/Sub
 * push, Cloud Tasks, ...), from inside Google. */
struct CloudRunSpecGoogleCaller {
  CloudRunSpecObject base;
  CloudRunProduct product;
  char *project_name;           /* project, as written (NULL: derived) */
  CloudRunSpecProject *project; /* the project it belongs to */
  char *service_account;        /* EMAIL its tokens name; default the
                                   default compute service account of its
                                   project */
  char *region;                 /* where its queue, job, trigger or
                                   workflow is, or NULL: no backbone */
};

/* [dns-zone NAME]: a Cloud DNS zone. */
typedef struct {
  CloudRunSpecObject base;
  char *dns_name;               /* lower case, ends in '.': "run.app." */
  CloudRunDnsVisibility visibility; /* private or public */
  char **network_names;         /* networks, as written */
  GPtrArray *networks;          /* CloudRunSpecNetwork * (private zones); not
                                   owning */
  GArray *records;              /* of CloudRunSpecDnsRecord, file order; every
                                   owner is inside dns_name */
  char *peer_network_name;      /* a peering zone: the producer network, as
                                   written; NULL */
  CloudRunSpecNetwork *peer_network; /* its producer network, or NULL */
  GArray *forward_to;           /* a forwarding zone: uint32_t target name
                                   servers; NULL or empty: none */
} CloudRunSpecDnsZone;

/* [dns-server-policy NAME]: a Cloud DNS server policy. */
typedef struct {
  CloudRunSpecObject base;
  char **network_names;         /* networks, as written */
  GPtrArray *networks;          /* CloudRunSpecNetwork *; not owning */
  GArray *alternative;          /* uint32_t alternative name servers
                                   (outbound forwarding); empty: none */
  gboolean inbound;             /* an inbound forwarder address in each
                                   subnet of its networks */
  gboolean dns64;               /* AAAA synthesized from A for IPv6-only
                                   VMs (Google's dns64Config) */
} CloudRunSpecDnsServerPolicy;

/* [dns-response-policy NAME]: a Cloud DNS response policy. */
typedef struct {
  CloudRunSpecObject base;
  char **network_names;         /* networks, as written */
  GPtrArray *networks;          /* CloudRunSpecNetwork *; not owning */
  GArray *rules;                /* of CloudRunSpecDnsRecord, file order:
                                   local data (A, AAAA, CNAME owned by the
                                   rule's name) or PASSTHRU */
} CloudRunSpecDnsResponsePolicy;

/* [psc-endpoint NAME]: a Private Service Connect endpoint for Google
 * APIs. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* its network */
  uint32_t address;             /* internal address */
  VpcPscBundle bundle;          /* all-apis or vpc-sc */
} CloudRunSpecPscEndpoint;

/* [internal-alb NAME]: an internal Application Load Balancer with a
 * serverless NEG. */
typedef struct {
  CloudRunSpecObject base;
  char *network_name;           /* network, as written */
  CloudRunSpecNetwork *network; /* its network */
  char *region;                 /* its region (= the backend's) */
  uint32_t address;             /* forwarding rule address, inside a
                                   private subnet of network and region */
  char *backend_name;           /* backend, as written */
  CloudRunSpecService *backend; /* the service behind it */
  char *hostname;               /* custom host, or NULL */
  gboolean global_access;       /* clients of every region may use it */
} CloudRunSpecInternalAlb;

/* [security-policy NAME]: a Cloud Armor backend security policy; its
 * rules are the [security-rule] groups that name it. */
typedef struct {
  CloudRunSpecObject base;
  ArmorAction default_action;   /* the default rule's action */
} CloudRunSpecSecurityPolicy;

/* [security-rule NAME]: a rule of a security policy. A request matches
 * it when every condition it writes holds; it writes at least one. */
typedef struct {
  CloudRunSpecObject base;
  char *policy_name;            /* policy, as written */
  CloudRunSpecSecurityPolicy *policy; /* the policy it is a rule of */
  int64_t priority;             /* 0..2147483646, unique in the policy */
  ArmorAction action;           /* allow or deny-STATUS */
  GArray *source_ranges;        /* of CloudRunSpecCidr (at most 10); NULL
                                   when not written */
  char **region_codes;          /* ISO 3166-1 alpha-2; NULL when not
                                   written */
  char *header;                 /* "name" (present) or "name:value"
                                   (equal); NULL when not written */
} CloudRunSpecSecurityRule;

/* [external-alb NAME]: an external Application Load Balancer. */
typedef struct {
  CloudRunSpecObject base;
  uint32_t address;             /* public address */
  char *backend_name;           /* backend, as written */
  CloudRunSpecService *backend; /* the service behind it */
  char *hostname;               /* custom host, or NULL */
  char *security_policy_name;   /* security-policy, as written, or NULL */
  CloudRunSpecSecurityPolicy *security_policy; /* its backend service's
                                   Cloud Armor policy, or NULL */
  gboolean iap;                 /* Identity-Aware Proxy on its backend
                                   service */
  GArray *iap_access;           /* as [service] iap-access */
  CloudRunAlbKind kind;         /* global external or classic */
} CloudRunSpecExternalAlb;

/* [domain-mapping NAME]: a Cloud Run domain mapping, a custom domain the
 * GFE serves the service at. */
typedef struct {
  CloudRunSpecObject base;
  char *domain;                 /* the custom domain, lower case */
  char *service_name;           /* service, as written */
  CloudRunSpecService *service; /* the service it maps to */
  gboolean public_dns;          /* public DNS holds Cloud Run's records */
} CloudRunSpecDomainMapping;

/* Who sends a traffic: a service, a job, a worker pool, a VM, an internet
 * client or a Google product. */
typedef struct {
  CloudRunKind kind;            /* SERVICE, JOB, WORKER_POOL, VM, CLIENT or
                                   GOOGLE_CALLER */
  union {
    CloudRunSpecObject *object; /* any of the three */
    CloudRunSpecService *service; /* kind SERVICE */
    CloudRunSpecVm *vm;         /* kind VM */
    CloudRunSpecClient *client; /* kind CLIENT */
    CloudRunSpecGoogleCaller *google_caller; /* kind GOOGLE_CALLER */
    CloudRunSpecWorker *worker; /* kind JOB or WORKER_POOL */
  };
} CloudRunSpecCaller;

/* [traffic NAME]: synthetic requests. */
struct CloudRunSpecTraffic {
  CloudRunSpecObject base;
  char *from_name;              /* from, as written */
  CloudRunSpecCaller from;      /* the caller */
  CloudRunSpecUrl url;          /* the target */
  int64_t count;                /* number of requests (>= 1) */
  double rate;                  /* per second; 0 when not written */
  SimTime interval;             /* 0 when not written */
  SimTime gap;                  /* mean time between requests: interval,
                                   or 1s / rate rounded; 0 when neither
                                   is written */
  CloudRunPattern pattern;      /* constant or poisson gaps */
  SimTime start;                /* first request */
  char *method;                 /* HTTP method */
  uint64_t request_size;        /* request body bytes */
  SimTime timeout;              /* caller gives up after */
  CloudRunIdentity identity;    /* none or id-token */
  char *audience;               /* aud of its ID tokens; default
                                   "https://" url.host */
  CloudRunTokenHeader token_header; /* where its ID tokens go */
  CloudRunConnections connections; /* new, or reuse (keep-alive) */
  CloudRunAddressSelection address_selection; /* a dual-stack caller's
                                   way through the name's addresses */
  CloudRunSpecExpect *expect;   /* [expect NAME] of the same NAME, or NULL */
};

/* [expect NAME]: each written key is one pass/fail item (see
 * cloudrun_object_has). */
struct CloudRunSpecExpect {
  CloudRunSpecObject base;
  CloudRunSpecTraffic *traffic; /* the traffic of the same NAME */
  CloudRunVerdict outcome;      /* expected outcome */
  int64_t status;               /* HTTP status the caller got */
  CloudRunClass classified_as;  /* the GFE's decision */
  CloudRunDropCause drop_cause; /* expected drop cause */
  CloudRunHopKind decided_at;   /* hop kind that decided */
  GArray *via;                  /* of int (CloudRunHopKind), in order;
                                   NULL when not written */
  double ratio;                 /* fraction that must meet outcome */
  SimTime latency_p50_below;    /* p50 latency bound */
  SimTime latency_p90_below;    /* p90 latency bound */
  SimTime latency_p99_below;    /* p99 latency bound */
  SimTime latency_p50_above;    /* p50 latency floor */
  CloudRunSpecCidr source_seen; /* the IP source the destination saw */
  char *host_seen;              /* the Host header it saw, lower case */
  char *revision_name;          /* revision, as written, or NULL */
  CloudRunSpecRevision *revision; /* the revision every request (or ratio
                                   of them) was sent to */
};

/* The whole scenario; its first member is the [scenario] group. */
typedef struct {
  CloudRunSpecObject base;      /* [scenario] */
  char *path;                   /* the file name given to load */
  int64_t format;               /* 1 */
  char *title;                  /* title */
  char *description;            /* description, or NULL */
  uint64_t seed;                /* seed of every random stream */
  SimTime duration;             /* simulated time limit */
  int64_t start_time;           /* the wall time of simulated time 0, in
                                   seconds since 1970 (UTC): captures'
                                   absolute timestamps */
  CloudRunSpecAssumptions assumptions; /* [assumptions], defaults if absent */
  GPtrArray *projects;          /* CloudRunSpecProject *, file order, owned */
  GPtrArray *perimeters;        /* CloudRunSpecPerimeter * */
  GPtrArray *networks;          /* CloudRunSpecNetwork * */
  GPtrArray *subnets;           /* CloudRunSpecSubnet * */
  GPtrArray *routes;            /* CloudRunSpecRoute * */
  GPtrArray *peerings;          /* CloudRunSpecPeering * */
  GPtrArray *hybrid_links;      /* CloudRunSpecHybridLink * */
  GPtrArray *private_accesses;  /* CloudRunSpecPrivateAccess * */
  GPtrArray *managed_instances; /* CloudRunSpecManagedInstance * */
  GPtrArray *firewalls;         /* CloudRunSpecFirewall * */
  GPtrArray *firewall_policies; /* CloudRunSpecFirewallPolicy * */
  GPtrArray *nats;              /* CloudRunSpecNat * */
  GPtrArray *connectors;        /* CloudRunSpecConnector * */
  GPtrArray *services;          /* CloudRunSpecService * */
  GPtrArray *revisions;         /* CloudRunSpecRevision * */
  GPtrArray *jobs;              /* CloudRunSpecWorker *, kind JOB */
  GPtrArray *worker_pools;      /* CloudRunSpecWorker *, kind WORKER_POOL */
  GPtrArray *vms;               /* CloudRunSpecVm * */
  GPtrArray *clients;           /* CloudRunSpecClient * */
  GPtrArray *google_callers;    /* CloudRunSpecGoogleCaller * */
  GPtrArray *dns_zones;         /* CloudRunSpecDnsZone * */
  GPtrArray *dns_response_policies; /* CloudRunSpecDnsResponsePolicy * */
  GPtrArray *psc_endpoints;     /* CloudRunSpecPscEndpoint * */
  GPtrArray *internal_albs;     /* CloudRunSpecInternalAlb * */
  GPtrArray *external_albs;     /* CloudRunSpecExternalAlb * */
  GPtrArray *domain_mappings;   /* CloudRunSpecDomainMapping * */
  GPtrArray *security_policies; /* CloudRunSpecSecurityPolicy * */
  GPtrArray *security_rules;    /* CloudRunSpecSecurityRule * */
  GPtrArray *traffics;          /* CloudRunSpecTraffic * */
  GPtrArray *expects;           /* CloudRunSpecExpect * */
  GPtrArray *secure_tags;       /* CloudRunSpecSecureTag * */
  GPtrArray *dns_server_policies; /* CloudRunSpecDnsServerPolicy * */
  GHashTable *names[CLOUDRUN_KIND_COUNT]; /* per kind: NAME -> object;
                                   load-time lookups only */
} CloudRunScenario;

/* ---- Life cycle --------------------------------------------------- */

/* Parses data (len bytes, need not be NUL-terminated) read from path (used
 * in messages only), applies overrides ("GROUP.KEY=VALUE" as given to
 * --set, e.g. "service backend.ingress=internal"; NULL-terminated; may be
 * NULL), defaults, references and checks. NULL with error set
 * (CLOUDRUN_SCENARIO_ERROR) on the first problem. The caller owns the
 * result. */
CloudRunScenario *cloudrun_scenario_load (const char *path, const char *data,
                                          gsize len,
                                          const char *const *overrides,
                                          GError **error);
/* The same, first removing the keys unsets names ("GROUP.KEY" as given to
 * --unset, e.g. "service backend.ingress"; NULL-terminated; may be NULL)
 * so that their defaults apply: each must be written in the file. Unsets
 * apply before overrides. */
CloudRunScenario *cloudrun_scenario_load_full (const char *path,
                                               const char *data, gsize len,
                                               const char *const *overrides,
                                               const char *const *unsets,
                                               GError **error);
void cloudrun_scenario_free (CloudRunScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloudRunScenario, cloudrun_scenario_free)

/* ---- Queries ------------------------------------------------------ */

/* The objects of a non-singleton kind (not owned by the caller). */
GPtrArray *cloudrun_scenario_objects (const CloudRunScenario *scenario,
                                      CloudRunKind kind);
/* The object of kind named name, or NULL. */
gpointer cloudrun_scenario_find (const CloudRunScenario *scenario,
                                 CloudRunKind kind, const char *name);
/* Whether key was written for object (in the file or by --set). */
gboolean cloudrun_object_has (const CloudRunSpecObject *object,
                              const char *key);
/* How many instances send each of t's count requests: a job's tasks, a
 * worker pool's instances; 1 for every other caller. */
guint cloudrun_traffic_senders (const CloudRunSpecTraffic *t);
/* Whether t's caller has an IPv6 address, so that it asks AAAA and its
 * address-selection matters: a Direct VPC workload on a dual-stack
 * subnet whose IPv6 it uses, or a VM with an IPv6 address. */
gboolean cloudrun_traffic_caller_dual (const CloudRunScenario *s,
                                       const CloudRunSpecTraffic *t);
/* Whether network n has an ipv6-only subnet (whose VMs DNS64 and NAT64
 * serve). */
gboolean cloudrun_network_has_ipv6_only (const CloudRunSpecNetwork *n);
/* The text of an ENUM value: cloudrun_enum_name (CLOUDRUN_KIND_SERVICE,
 * "ingress", s->ingress) is "internal". NULL when out of range. */
const char *cloudrun_enum_name (CloudRunKind kind, const char *key,
                                int value);
/* The VPC-SC perimeter project is in: its [perimeter] group's NAME, or
 * its perimeter key (an implicit perimeter); NULL when none. */
const char *cloudrun_project_perimeter (const CloudRunSpecProject *project);
/* Load warnings: what the scenario writes that cannot take effect (a
 * firewall rule naming a tag or service account that nothing in its
 * network has, a peering created on one side only, a domain mapping in a
 * region without them, a security policy no load balancer uses), one
 * line each ("[GROUP NAME] KEY: ..."): firewall rules, then peerings,
 * then domain mappings, then security policies, each in file order;
 * empty when none. The caller owns the array (strings freed with
 * it). */
GPtrArray *cloudrun_scenario_warnings (const CloudRunScenario *scenario);
/* The [peering] from network to peer when both sides exist (the peering
 * is ACTIVE), else NULL. */
const CloudRunSpecPeering *cloudrun_peering_active (
  const CloudRunScenario *scenario, const CloudRunSpecNetwork *network,
  const CloudRunSpecNetwork *peer);
/* The port of product's engine: PostgreSQL 5432, MySQL 3306, SQL Server
 * 1433, Redis 6379, AlloyDB 5432. */
uint16_t cloudrun_product_port (CloudRunManagedProduct product);
/* Whether product is a Cloud SQL engine (it has authorized networks). */
gboolean cloudrun_product_is_cloud_sql (CloudRunManagedProduct product);
/* Whether project's perimeter restricts the API service (such as
 * "run.googleapis.com"); an implicit perimeter restricts Cloud Run only.
 * FALSE when the project is in no perimeter. */
gboolean cloudrun_project_restricts (const CloudRunSpecProject *project,
                                     const char *api);

/* Whether a host of the scenario has addr (a client, VM, NAT address, PSC
 * endpoint or load balancer, written or derived), or an A record holds
 * it: addresses the simulator picks by itself avoid these. */
gboolean cloudrun_scenario_address_used (const CloudRunScenario *scenario,
                                         uint32_t addr);
/* Whether an A record of the scenario's DNS zones or response policies
 * holds addr. */
gboolean cloudrun_scenario_address_in_records (
  const CloudRunScenario *scenario, uint32_t addr);

#endif
