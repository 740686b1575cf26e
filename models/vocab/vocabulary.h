/* The one vocabulary of the scenario file and the simulated world: the
 * enums that models/format/ parses words into and models/world/ decides
 * and explains in, each with the words files, explanations and reports
 * write (Connectivity Tests names where it has them, docs/networking.md
 * "Vocabulary", plus the simulator's own).
 *
 * Each enum is one X-macro list, one line per value: X (ID, "word"), or
 * X (ID) where the word is the ID (drop causes, step states). The enum
 * (PREFIX_ID) and its word table are generated from the list, so a value
 * cannot lose its word nor a word its value. A word table holds the
 * listed values' words in order, NULL-terminated: it is what a scenario
 * key accepts (models/format/scenario-keys.c), the first listed value
 * being the key's first choice.
 *
 * Below models/format/ and models/world/: includes neither. */
#ifndef CLOUDRUN_VOCAB_VOCABULARY_H
#define CLOUDRUN_VOCAB_VOCABULARY_H

/* ---- Requests ----------------------------------------------------- */

/* The kind of hop that takes a step or decides a request. */
#define CLOUDRUN_HOP_LIST(X)                                               \
  X (DNS, "dns")                                                           \
  X (EGRESS, "egress")                                                     \
  X (CONNECTOR, "connector")                                               \
  X (DIRECT_VPC, "direct-vpc")                                             \
  X (VPC_ROUTER, "vpc-router")                                             \
  X (NAT, "nat")                                                           \
  X (INTERNET, "internet")                                                 \
  X (PSC_ENDPOINT, "psc-endpoint")                                         \
  X (ILB, "ilb")                                                           \
  X (EXTERNAL_ALB, "external-alb")                                         \
  X (GFE, "gfe")                                                           \
  X (SERVICE, "service")                                                   \
  X (VM, "vm")                                                             \
  X (CLIENT, "client")                                                     \
  X (GOOGLE_PRODUCT, "google-product") /* Pub/Sub push, Cloud Tasks, ... */ \
  X (JOB, "job")                /* a Cloud Run job's task */               \
  X (WORKER_POOL, "worker-pool") /* a Cloud Run worker pool's instance */ \
  X (MANAGED_INSTANCE, "managed-instance") /* Cloud SQL, Memorystore, ... */

/* Why a request was dropped, aborted or refused. The word is the ID.
 *
 * CLOUDRUN_DROP_LIST is every cause a scenario may expect: the drop causes
 * of the Connectivity Tests API (DropInfo.Cause, in the API's order), its
 * abort cause for Direct VPC, then the simulator's own; P marks a cause
 * some node produces, O one that loads but never matches. The produced
 * ones come first in the enum, in the order of
 * CLOUDRUN_DROP_PRODUCED_LIST (the order `keys expect` lists them), each
 * marked P in the full list (checked at compile time). */
#define CLOUDRUN_DROP_PRODUCED_LIST(X)                                     \
  X (NO_ROUTE)                                                             \
  X (PRIVATE_GOOGLE_ACCESS_DISALLOWED)                                     \
  X (NO_EXTERNAL_ADDRESS)                                                  \
  X (FIREWALL_RULE)                                                        \
  X (LOAD_BALANCER_HAS_NO_PROXY_SUBNET)                                    \
  X (FORWARDING_RULE_REGION_MISMATCH)                                      \
  X (NO_SERVERLESS_IP_RANGES)                                              \
  X (INGRESS_DENIED)                                                       \
  X (IAM_DENIED)                                                           \
  X (ROUTE_BLACKHOLE)                                                      \
  X (PRIVATE_TRAFFIC_TO_INTERNET)                                          \
  X (VPC_SC_DENIED)                                                        \
  X (CLOUD_NAT_PORTS_EXHAUSTED)                                            \
  X (LINK_QUEUE_FULL)                                                      \
  X (VPC_CONNECTOR_QUEUE_FULL)                                             \
  X (TARGET_TYPE_NOT_PERMITTED_FOR_VPC)                                    \
  X (NO_AVAILABLE_INSTANCE)                                                \
  X (INGRESS_FIREWALL_TAGS_UNSUPPORTED_BY_DIRECT_VPC_EGRESS)              \
  X (PSC_ENDPOINT_ACCESSED_FROM_PEERED_NETWORK)                            \
  X (PRIVATE_GOOGLE_ACCESS_VIA_VPN_TUNNEL_UNSUPPORTED)                      \
  X (SECURITY_POLICY_DENIED)                                               \
  X (IAP_DENIED)                                                           \
  X (CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS)                               \
  X (DROPPED_INSIDE_CLOUD_SQL_SERVICE)                                     \
  X (DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE)                                \
  X (REDIS_INSTANCE_UNSUPPORTED_PORT)                                      \
  X (REDIS_INSTANCE_CONNECTING_FROM_PUPI_ADDRESS)

#define CLOUDRUN_DROP_LIST(X)                                              \
  X (UNKNOWN_EXTERNAL_ADDRESS, O)                                          \
  X (FOREIGN_IP_DISALLOWED, O)                                             \
  X (FIREWALL_RULE, P)                                                     \
  X (NO_ROUTE, P)                                                          \
  X (ROUTE_BLACKHOLE, P)                                                   \
  X (ROUTE_WRONG_NETWORK, O)                                               \
  X (ROUTE_NEXT_HOP_IP_ADDRESS_NOT_RESOLVED, O)                            \
  X (ROUTE_NEXT_HOP_RESOURCE_NOT_FOUND, O)                                 \
  X (ROUTE_NEXT_HOP_INSTANCE_WRONG_NETWORK, O)                             \
  X (ROUTE_NEXT_HOP_INSTANCE_NON_PRIMARY_IP, O)                            \
  X (ROUTE_NEXT_HOP_FORWARDING_RULE_IP_MISMATCH, O)                        \
  X (ROUTE_NEXT_HOP_VPN_TUNNEL_NOT_ESTABLISHED, O)                         \
  X (ROUTE_NEXT_HOP_FORWARDING_RULE_TYPE_INVALID, O)                       \
  X (NO_ROUTE_FROM_INTERNET_TO_PRIVATE_IPV6_ADDRESS, O)                    \
  X (VPN_TUNNEL_LOCAL_SELECTOR_MISMATCH, O)                                \
  X (VPN_TUNNEL_REMOTE_SELECTOR_MISMATCH, O)                               \
  X (PRIVATE_TRAFFIC_TO_INTERNET, P)                                       \
  X (PRIVATE_GOOGLE_ACCESS_DISALLOWED, P)                                  \
  X (PRIVATE_GOOGLE_ACCESS_VIA_VPN_TUNNEL_UNSUPPORTED, P)                  \
  X (NO_EXTERNAL_ADDRESS, P)                                               \
  X (UNKNOWN_INTERNAL_ADDRESS, O)                                          \
  X (FORWARDING_RULE_MISMATCH, O)                                          \
  X (FORWARDING_RULE_NO_INSTANCES, O)                                      \
  X (FIREWALL_BLOCKING_LOAD_BALANCER_BACKEND_HEALTH_CHECK, O)              \
  X (INSTANCE_NOT_RUNNING, O)                                              \
  X (GKE_CLUSTER_NOT_RUNNING, O)                                           \
  X (CLOUD_SQL_INSTANCE_NOT_RUNNING, O)                                    \
  X (TRAFFIC_TYPE_BLOCKED, O)                                              \
  X (GKE_MASTER_UNAUTHORIZED_ACCESS, O)                                    \
  X (CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS, P)                            \
  X (DROPPED_INSIDE_GKE_SERVICE, O)                                        \
  X (DROPPED_INSIDE_CLOUD_SQL_SERVICE, P)                                  \
  X (GOOGLE_MANAGED_SERVICE_NO_PEERING, O)                                 \
  X (GOOGLE_MANAGED_SERVICE_NO_PSC_ENDPOINT, O)                            \
  X (GKE_PSC_ENDPOINT_MISSING, O)                                          \
  X (CLOUD_SQL_INSTANCE_NO_IP_ADDRESS, O)                                  \
  X (GKE_CONTROL_PLANE_REGION_MISMATCH, O)                                 \
  X (PUBLIC_GKE_CONTROL_PLANE_TO_PRIVATE_DESTINATION, O)                   \
  X (GKE_CONTROL_PLANE_NO_ROUTE, O)                                        \
  X (CLOUD_SQL_INSTANCE_NOT_CONFIGURED_FOR_EXTERNAL_TRAFFIC, O)            \
  X (PUBLIC_CLOUD_SQL_INSTANCE_TO_PRIVATE_DESTINATION, O)                  \
  X (CLOUD_SQL_INSTANCE_NO_ROUTE, O)                                       \
  X (CLOUD_FUNCTION_NOT_ACTIVE, O)                                         \
  X (VPC_CONNECTOR_NOT_SET, O)                                             \
  X (VPC_CONNECTOR_NOT_RUNNING, O)                                         \
  X (FORWARDING_RULE_REGION_MISMATCH, P)                                   \
  X (PSC_CONNECTION_NOT_ACCEPTED, O)                                       \
  X (PSC_ENDPOINT_ACCESSED_FROM_PEERED_NETWORK, P)                         \
  X (PSC_NEG_PRODUCER_ENDPOINT_NO_GLOBAL_ACCESS, O)                        \
  X (PSC_NEG_PRODUCER_FORWARDING_RULE_MULTIPLE_PORTS, O)                   \
  X (CLOUD_SQL_PSC_NEG_UNSUPPORTED, O)                                     \
  X (NO_NAT_SUBNETS_FOR_PSC_SERVICE_ATTACHMENT, O)                         \
  X (HYBRID_NEG_NON_DYNAMIC_ROUTE_MATCHED, O)                              \
  X (HYBRID_NEG_NON_LOCAL_DYNAMIC_ROUTE_MATCHED, O)                        \
  X (CLOUD_RUN_REVISION_NOT_READY, O)                                      \
  X (DROPPED_INSIDE_PSC_SERVICE_PRODUCER, O)                               \
  X (LOAD_BALANCER_HAS_NO_PROXY_SUBNET, P)                                 \
  X (CLOUD_NAT_NO_ADDRESSES, O)                                            \
  X (ROUTING_LOOP, O)                                                      \
  X (DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE, P)                             \
  X (DROPPED_INSIDE_REDIS_INSTANCE_SERVICE, O)                             \
  X (REDIS_INSTANCE_UNSUPPORTED_PORT, P)                                   \
  X (REDIS_INSTANCE_CONNECTING_FROM_PUPI_ADDRESS, P)                       \
  X (INGRESS_FIREWALL_TAGS_UNSUPPORTED_BY_DIRECT_VPC_EGRESS, P)            \
  X (NO_SERVERLESS_IP_RANGES, P) /* Direct VPC's abort cause */            \
  /* the simulator's own: */                                               \
  X (INGRESS_DENIED, P)                                                    \
  X (IAM_DENIED, P)                                                        \
  X (VPC_SC_DENIED, P)                                                     \
  X (IAP_DENIED, P) /* Identity-Aware Proxy refused the caller */          \
  X (CLOUD_NAT_PORTS_EXHAUSTED, P)                                         \
  X (LINK_QUEUE_FULL, P) /* a link's queue */                              \
  X (VPC_CONNECTOR_QUEUE_FULL, P)                                          \
  /* Cloud Tasks' error code in a VPC-SC perimeter: */                     \
  X (TARGET_TYPE_NOT_PERMITTED_FOR_VPC, P)                                 \
  /* a 429: every instance the service may have is busy */                 \
  X (NO_AVAILABLE_INSTANCE, P)                                             \
  /* a Cloud Armor rule of the load balancer's security policy denied */   \
  X (SECURITY_POLICY_DENIED, P)

/* What became of a request ([expect] outcome), after PENDING. */
#define CLOUDRUN_VERDICT_LIST(X)                                           \
  X (DELIVERED, "delivered")                                               \
  X (DENIED_BY_INGRESS, "denied-by-ingress")                               \
  X (DENIED_BY_IAM, "denied-by-iam")                                       \
  X (DENIED_BY_VPC_SC, "denied-by-vpc-sc")                                 \
  X (DENIED_BY_SECURITY_POLICY, "denied-by-security-policy")               \
  X (DENIED_BY_IAP, "denied-by-iap")                                       \
  X (DROPPED, "dropped")                                                   \
  X (DNS_FAILURE, "dns-failure")                                           \
  X (UNAVAILABLE, "unavailable")                                           \
  X (TIMEOUT, "timeout")

/* How the GFE classified a request ([expect] classified-as), after
 * NONE. */
#define CLOUDRUN_CLASS_LIST(X)                                             \
  X (INTERNAL, "internal")                                                 \
  X (EXTERNAL, "external")

/* The state of an explanation step (Connectivity Tests Step.State where
 * it has one). The word is the ID. A refusal is a state named by its
 * cause. */
#define CLOUDRUN_STATE_LIST(X)                                             \
  X (START_FROM_INTERNET)                                                  \
  X (START_FROM_INSTANCE)                                                  \
  X (START_FROM_PRIVATE_NETWORK)                                           \
  X (START_FROM_CLOUD_RUN_REVISION)                                        \
  X (START_FROM_GOOGLE_SERVICE)                                            \
  X (DNS_ANSWER)                                                           \
  X (SERVERLESS_EXTERNAL_CONNECTION)                                       \
  X (ARRIVE_AT_VPC_CONNECTOR)                                              \
  X (CONNECTOR_QUEUE)                                                      \
  X (DIRECT_VPC_STARTING)                                                  \
  X (DIRECT_VPC_EGRESS_CONNECTION)                                         \
  X (APPLY_EGRESS_FIREWALL_RULE)                                           \
  X (APPLY_INGRESS_FIREWALL_RULE)                                          \
  X (APPLY_ROUTE)                                                          \
  X (NAT)                                                                  \
  X (PROXY_CONNECTION)                                                     \
  X (PENDING_QUEUE)                                                        \
  X (DELIVER)                                                              \
  X (DROP)                                                                 \
  X (ABORT)                                                                \
  X (INGRESS_DENIED)                                                       \
  X (IAM_DENIED)                                                           \
  X (VPC_SC_DENIED)                                                        \
  X (TARGET_TYPE_NOT_PERMITTED_FOR_VPC)                                    \
  X (SECURITY_POLICY_DENIED)                                               \
  /* the simulator's own: Identity-Aware Proxy let the caller pass, or    \
   * refused it */                                                         \
  X (APPLY_IAP)                                                            \
  X (IAP_DENIED)                                                           \
  /* a resolver sends the query on to another name server (a forwarding  \
   * zone, an outbound server policy) */                                   \
  X (DNS_FORWARD)                                                          \
  /* a request sent on a connection an earlier one opened (keep-alive) */ \
  X (REUSE_CONNECTION)                                                     \
  /* a dual-stack caller orders a name's addresses (RFC 6724) and tries   \
   * them (getaddrinfo's order, or Happy Eyeballs) */                      \
  X (CHOOSE_ADDRESS)

/* ---- Settings ----------------------------------------------------- */

/* How a revision reaches a VPC ([service] vpc-access). */
#define VPC_ACCESS_LIST(X)                                                 \
  X (NONE, "none")            /* internet egress only */                   \
  X (CONNECTOR, "connector")  /* a Serverless VPC Access connector */      \
  X (DIRECT, "direct")        /* Direct VPC egress */

/* What a revision sends into the VPC ([service] vpc-egress). */
#define VPC_EGRESS_LIST(X)                                                 \
  X (PRIVATE_RANGES_ONLY, "private-ranges-only")                           \
  X (ALL_TRAFFIC, "all-traffic")

/* Who the GFE lets reach a service ([service] ingress). */
#define GFE_INGRESS_LIST(X)                                                \
  X (ALL, "all")                                                           \
  X (INTERNAL, "internal")                                                 \
  X (INTERNAL_AND_CLOUD_LOAD_BALANCING, "internal-and-cloud-load-balancing") \
  X (NONE, "none")

/* The Google APIs bundle behind a PSC endpoint ([psc-endpoint] bundle). */
#define VPC_PSC_LIST(X)                                                    \
  X (ALL_APIS, "all-apis")                                                 \
  X (VPC_SC, "vpc-sc")

/* A principal holding the Cloud Run Invoker role, as Cloud Run IAM writes
 * it ([service] invokers). */
#define IAM_PRINCIPAL_LIST(X)                                              \
  X (ALL_USERS, "allUsers")   /* anyone, token or not */                   \
  X (ALL_AUTHENTICATED_USERS, "allAuthenticatedUsers") /* any valid token */ \
  X (SERVICE_ACCOUNT, "serviceAccount") /* serviceAccount:EMAIL */         \
  X (USER, "user")            /* user:EMAIL */

/* A firewall rule's direction and action ([firewall]). */
#define VPC_FIREWALL_DIRECTION_LIST(X)                                     \
  X (EGRESS, "egress")                                                     \
  X (INGRESS, "ingress")
#define VPC_FIREWALL_ACTION_LIST(X)                                        \
  X (ALLOW, "allow")                                                       \
  X (DENY, "deny")                                                         \
  X (GOTO_NEXT, "goto-next")    /* firewall policies only */

/* A route's next hop ([route] next-hop): a word, or an address. */
#define VPC_NEXT_HOP_LIST(X)                                               \
  X (GATEWAY, "default-internet-gateway")                                  \
  X (BLACKHOLE, "blackhole")

/* A subnet's IP stack type ([subnet] stack-type): Google's IPV4_ONLY,
 * IPV4_IPV6 and IPV6_ONLY, lower-cased (vpc/docs/subnets, types of
 * subnets). */
#define VPC_STACK_LIST(X)                                                  \
  X (IPV4_ONLY, "ipv4-only")                                               \
  X (IPV4_IPV6, "ipv4-ipv6")    /* dual-stack */                           \
  X (IPV6_ONLY, "ipv6-only")

/* Where a subnet's IPv6 range comes from ([subnet] ipv6-access-type):
 * the network's internal ULA range, or Google's external addresses. */
#define VPC_IPV6_ACCESS_LIST(X)                                            \
  X (INTERNAL, "internal")                                                 \
  X (EXTERNAL, "external")

/* How a caller orders and tries a name's addresses ([traffic]
 * address-selection): one after another in getaddrinfo's order, or
 * Happy Eyeballs (RFC 8305). */
#define CLOUDRUN_ADDRESS_SELECTION_LIST(X)                                 \
  X (GETADDRINFO, "getaddrinfo")                                           \
  X (HAPPY_EYEBALLS, "happy-eyeballs")

/* What a Cloud Armor security policy rule does to a request it matches
 * ([security-policy] default-action, [security-rule] action): allow, or
 * deny with one of the statuses Google allows. */
#define ARMOR_ACTION_LIST(X)                                               \
  X (ALLOW, "allow")                                                       \
  X (DENY_403, "deny-403")                                                 \
  X (DENY_404, "deny-404")                                                 \
  X (DENY_502, "deny-502")

/* ---- The enums ---------------------------------------------------- */

/* Each list's generator, named after its prefix: X (ID, ...) -> PREFIX_ID. */
#define CLOUDRUN_HOP_(ID, WORD) CLOUDRUN_HOP_##ID,
typedef enum {
  CLOUDRUN_HOP_NONE = -1,       /* no hop (nothing decided) */
  CLOUDRUN_HOP_LIST (CLOUDRUN_HOP_)
  CLOUDRUN_N_HOPS
} CloudRunHopKind;

#define CLOUDRUN_DROP_(ID) CLOUDRUN_DROP_##ID,
#define CLOUDRUN_DROP_OTHER_P(ID)
#define CLOUDRUN_DROP_OTHER_O(ID) CLOUDRUN_DROP_##ID,
#define CLOUDRUN_DROP_OTHER_(ID, WHO) CLOUDRUN_DROP_OTHER_##WHO (ID)
typedef enum {
  CLOUDRUN_DROP_NONE = 0,       /* not dropped */
  CLOUDRUN_DROP_PRODUCED_LIST (CLOUDRUN_DROP_)
  CLOUDRUN_N_DROP_CAUSES,       /* 1 + the causes some node produces */
  CLOUDRUN_DROP_LIST (CLOUDRUN_DROP_OTHER_)
  CLOUDRUN_DROP_END             /* past every cause */
} CloudRunDropCause;

#define CLOUDRUN_VERDICT_(ID, WORD) CLOUDRUN_VERDICT_##ID,
typedef enum {
  CLOUDRUN_VERDICT_PENDING = 0, /* not finished when the run ended */
  CLOUDRUN_VERDICT_LIST (CLOUDRUN_VERDICT_)
  CLOUDRUN_N_VERDICTS
} CloudRunVerdict;

#define CLOUDRUN_CLASS_(ID, WORD) CLOUDRUN_CLASS_##ID,
typedef enum {
  CLOUDRUN_CLASS_NONE = 0,      /* never reached the GFE */
  CLOUDRUN_CLASS_LIST (CLOUDRUN_CLASS_)
} CloudRunClass;

#define CLOUDRUN_STATE_(ID) CLOUDRUN_STATE_##ID,
typedef enum {
  CLOUDRUN_STATE_NONE = 0,      /* a step no model took (engine tests) */
  CLOUDRUN_STATE_LIST (CLOUDRUN_STATE_)
  CLOUDRUN_N_STATES
} CloudRunState;

#define VPC_ACCESS_(ID, WORD) VPC_ACCESS_##ID,
typedef enum { VPC_ACCESS_LIST (VPC_ACCESS_) } VpcAccess;

#define VPC_EGRESS_(ID, WORD) VPC_EGRESS_##ID,
typedef enum { VPC_EGRESS_LIST (VPC_EGRESS_) } VpcEgress;

#define GFE_INGRESS_(ID, WORD) GFE_INGRESS_##ID,
typedef enum { GFE_INGRESS_LIST (GFE_INGRESS_) } GfeIngress;

#define VPC_PSC_(ID, WORD) VPC_PSC_##ID,
typedef enum { VPC_PSC_LIST (VPC_PSC_) } VpcPscBundle;

#define IAM_PRINCIPAL_(ID, WORD) IAM_PRINCIPAL_##ID,
typedef enum { IAM_PRINCIPAL_LIST (IAM_PRINCIPAL_) } IamPrincipalKind;

#define VPC_FIREWALL_(ID, WORD) VPC_FIREWALL_##ID,
typedef enum {
  VPC_FIREWALL_DIRECTION_LIST (VPC_FIREWALL_)
} VpcFirewallDirection;
typedef enum { VPC_FIREWALL_ACTION_LIST (VPC_FIREWALL_) } VpcFirewallAction;

#define VPC_NEXT_HOP_(ID, WORD) VPC_NEXT_HOP_##ID,
typedef enum {
  VPC_NEXT_HOP_LIST (VPC_NEXT_HOP_)
  VPC_NEXT_HOP_ADDRESS,         /* an address, written as one */
} VpcNextHopKind;

#define VPC_STACK_(ID, WORD) VPC_STACK_##ID,
typedef enum { VPC_STACK_LIST (VPC_STACK_) } VpcStackType;

#define VPC_IPV6_ACCESS_(ID, WORD) VPC_IPV6_ACCESS_##ID,
typedef enum { VPC_IPV6_ACCESS_LIST (VPC_IPV6_ACCESS_) } VpcIpv6Access;

#define CLOUDRUN_ADDRESS_SELECTION_(ID, WORD) CLOUDRUN_ADDRESS_SELECTION_##ID,
typedef enum {
  CLOUDRUN_ADDRESS_SELECTION_LIST (CLOUDRUN_ADDRESS_SELECTION_)
} CloudRunAddressSelection;

#define ARMOR_ACTION_(ID, WORD) ARMOR_ACTION_##ID,
typedef enum { ARMOR_ACTION_LIST (ARMOR_ACTION_) } ArmorAction;

/* ---- Words -------------------------------------------------------- */

/* The listed values' words, NULL-terminated (see the top). */
extern const char *const cloudrun_hop_words[];
/* Drop causes in CLOUDRUN_DROP_LIST's order, and their values. */
extern const char *const cloudrun_drop_cause_words[];
extern const int cloudrun_drop_cause_values[];
extern const char *const cloudrun_verdict_words[];
extern const char *const cloudrun_class_words[];
extern const char *const vpc_access_words[];
extern const char *const vpc_egress_words[];
extern const char *const gfe_ingress_words[];
extern const char *const vpc_psc_bundle_words[];
extern const char *const iam_principal_kind_words[];
extern const char *const vpc_firewall_direction_words[];
extern const char *const vpc_firewall_action_words[];
extern const char *const vpc_next_hop_words[];
extern const char *const armor_action_words[];
extern const char *const vpc_stack_words[];
extern const char *const vpc_ipv6_access_words[];
extern const char *const cloudrun_address_selection_words[];

/* "dns", "vpc-router", ...; "none" for CLOUDRUN_HOP_NONE. */
const char *cloudrun_hop_name (CloudRunHopKind hop);
/* "NO_ROUTE", ...; NULL for CLOUDRUN_DROP_NONE. */
const char *cloudrun_drop_cause_name (CloudRunDropCause cause);
/* "delivered", ...; "pending" for CLOUDRUN_VERDICT_PENDING. */
const char *cloudrun_verdict_name (CloudRunVerdict outcome);
/* "internal", "external"; "-" for CLOUDRUN_CLASS_NONE. */
const char *cloudrun_class_name (CloudRunClass classified);
/* "DROP", "APPLY_ROUTE", ...; NULL for CLOUDRUN_STATE_NONE. */
const char *cloudrun_state_name (CloudRunState state);
/* The state of a refusal for cause: INGRESS_DENIED, IAM_DENIED,
 * VPC_SC_DENIED, TARGET_TYPE_NOT_PERMITTED_FOR_VPC,
 * SECURITY_POLICY_DENIED or IAP_DENIED. */
CloudRunState cloudrun_refusal_state (CloudRunDropCause cause);

const char *vpc_access_name (VpcAccess access);   /* "connector", ... */
const char *vpc_egress_name (VpcEgress egress);   /* "all-traffic", ... */
const char *gfe_ingress_name (GfeIngress ingress); /* "internal", ... */
const char *vpc_psc_bundle_name (VpcPscBundle bundle); /* "all-apis", ... */
/* "allUsers", "allAuthenticatedUsers", "serviceAccount", "user". */
const char *iam_principal_kind_name (IamPrincipalKind kind);
/* "ipv4-only", "ipv4-ipv6", "ipv6-only". */
const char *vpc_stack_name (VpcStackType stack);
/* "internal", "external". */
const char *vpc_ipv6_access_name (VpcIpv6Access access);
/* "getaddrinfo", "happy-eyeballs". */
const char *cloudrun_address_selection_name (CloudRunAddressSelection sel);
/* "allow", "deny-403", "deny-404", "deny-502". */
const char *armor_action_name (ArmorAction action);

#endif
