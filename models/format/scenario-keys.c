/* The key tables of scenario format 1: one table per group kind, each row
 * naming a key of docs/scenario-format.md, its type, default text, help and
 * the field it fills. This file is the single source of keys and
 * defaults: the loader (models/format/scenario.c), `cloudrun-netsim keys` and
 * the suggestions all read these rows.
 *
 * Reads every key of every group of docs/scenario-format.md: scenario,
 * assumptions, project, perimeter, network, subnet, route, firewall, nat, connector,
 * service, job, worker-pool, vm, client, dns-zone, dns-response-policy, psc-endpoint,
 * internal-alb,
 * external-alb, domain-mapping, security-policy, security-rule, traffic,
 * expect.
 *
 * Invariant: each choices array of this file follows the order of its C
 * enum in models/format/scenario.h (checked by the static asserts at the
 * end); the vocabulary's word tables (models/vocab/vocabulary.h) are
 * generated with their enums. */
#include "models/format/scenario-private.h"

#include <stddef.h>
#include <string.h>

/* ---- Choices ------------------------------------------------------ */

static const char *const google_access_choices[] = {
  "implicit", "subnet-pga", NULL };
static const char *const ipv6_internal_choices[] = { "like-ipv4", "external",
                                                     NULL };
static const char *const purpose_choices[] = { "private", "proxy-only", NULL };
static const char *const machine_choices[] = {
  "f1-micro", "e2-micro", "e2-standard-4", NULL };
static const char *const visibility_choices[] = { "private", "public", NULL };
static const char *const policy_type_choices[] = { "hierarchical", "network",
                                                    "regional", NULL };
static const char *const policy_level_choices[] = { "organization", "folder",
                                                     NULL };
static const char *const hybrid_choices[] = { "vpn", "interconnect", NULL };
/* In CloudRunManagedProduct's order. */
static const char *const managed_product_choices[] = {
  "cloud-sql-postgres", "cloud-sql-mysql", "cloud-sql-sqlserver",
  "memorystore-redis", "alloydb", NULL };
static const char *const alb_kind_choices[] = { "global", "classic", NULL };
static const char *const enforcement_choices[] = {
  "after-classic-firewall", "before-classic-firewall", NULL };
static const char *const pattern_choices[] = { "constant", "poisson", "burst",
                                                NULL };
static const char *const identity_choices[] = { "none", "id-token", NULL };
static const char *const token_header_choices[] = {
  "authorization", "x-serverless-authorization", NULL };
static const char *const connections_choices[] = { "new", "reuse", NULL };
static const char *const run_external_ipv6_choices[] = { "refused", "allowed",
                                                          NULL };

/* ---- Row builders ------------------------------------------------- */

#define KEY(NAME, TYPE, S, F, DEFAULT, FLAGS, HELP)                        \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .default_text = DEFAULT,    \
    .flags = FLAGS, .offset = offsetof (S, F), .help = HELP }
#define KEY_INT(NAME, S, F, DEFAULT, FLAGS, MIN, MAX, HELP)                \
  { .name = NAME, .type = CLOUDRUN_KEY_INT, .default_text = DEFAULT,       \
    .flags = FLAGS, .offset = offsetof (S, F), .min = MIN, .max = MAX,     \
    .help = HELP }
/* A size of at most MAX bytes (a whole number of MiB). */
#define KEY_SIZE(NAME, S, F, DEFAULT, MAX, HELP)                           \
  { .name = NAME, .type = CLOUDRUN_KEY_SIZE, .default_text = DEFAULT,      \
    .offset = offsetof (S, F), .max = MAX, .help = HELP }
#define KEY_ENUM(NAME, TYPE, S, F, DEFAULT, FLAGS, CHOICES, HELP)          \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .default_text = DEFAULT,    \
    .flags = FLAGS, .offset = offsetof (S, F), .choices = CHOICES,         \
    .help = HELP }
/* An optional ENUM or ENUM_LIST of vocabulary words whose first value is
 * FIRST. */
#define KEY_WORDS(NAME, TYPE, S, F, FLAGS, WORDS, FIRST, HELP)            \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .flags = FLAGS,             \
    .offset = offsetof (S, F), .choices = WORDS, .first = FIRST,           \
    .help = HELP }
#define KEY_REF(NAME, TYPE, S, F, RF, KIND, DEFAULT, FLAGS, NOTE, HELP)    \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .default_text = DEFAULT,    \
    .flags = FLAGS, .offset = offsetof (S, F),                             \
    .ref_offset = offsetof (S, RF),                                        \
    .ref_kind = CLOUDRUN_KIND_##KIND, .default_note = NOTE, .help = HELP }
/* A value in two fields: F, and RF that the type names (CIDR6_OR_AUTO's
 * flag, CIDR_LIST_ANY's IPv6 list). */
#define KEY_PAIR(NAME, TYPE, S, F, RF, DEFAULT, FLAGS, NOTE, HELP)        \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .default_text = DEFAULT,    \
    .flags = FLAGS, .offset = offsetof (S, F),                             \
    .ref_offset = offsetof (S, RF), .default_note = NOTE, .help = HELP }
#define KEY_DERIVED(NAME, TYPE, S, F, NOTE, HELP)                          \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .flags = CLOUDRUN_KEY_DERIVED, \
    .offset = offsetof (S, F), .default_note = NOTE, .help = HELP }

#define REQ CLOUDRUN_KEY_REQUIRED
#define OPT CLOUDRUN_KEY_OPTIONAL
#define DER CLOUDRUN_KEY_DERIVED

#define ONLY_PROJECT "the scenario's only project"

/* ---- Tables ------------------------------------------------------- */

static const CloudRunKey scenario_keys[] = {
  KEY_INT ("format", CloudRunScenario, format, NULL, REQ, 1, 1,
           "Version of the file format. Any other number is refused with a "
           "message saying which format this version reads."),
  KEY ("title", STRING, CloudRunScenario, title, NULL, REQ,
       "One line saying what the scenario shows."),
  KEY ("description", STRING, CloudRunScenario, description, NULL, OPT,
       "Longer text for reports."),
  KEY ("seed", UINT64, CloudRunScenario, seed, "1", 0,
       "Seed of every random stream (DNS ids and ports, Poisson gaps, TLS "
       "randoms). Same file and seed: byte-identical outputs. `run --seed N` "
       "overrides it."),
  KEY ("duration", TIME, CloudRunScenario, duration, "60s", 0,
       "Simulated time limit. The run ends as soon as every request has "
       "ended; requests still open at the limit are counted as `pending`, "
       "and `run` and `check` say so."),
  KEY ("start-time", TIMESTAMP, CloudRunScenario, start_time,
       "2026-01-01T00:00:00Z", 0,
       "The wall-clock (UTC) time of the run's time 0: captures' absolute "
       "timestamps start there (report times stay relative to it). A "
       "fixed date, never the clock, so outputs stay byte-identical."),
};

static const CloudRunKey assumptions_keys[] = {
  KEY_ENUM ("connector-google-access", ENUM, CloudRunSpecAssumptions,
            connector_google_access, "implicit", 0, google_access_choices,
            "`implicit`: a connector on its own /28 range (a hidden subnet) "
            "reaches Google front ends without Private Google Access; a "
            "connector on a user subnet follows that subnet's PGA flag. "
            "`subnet-pga`: the hidden subnet counts as PGA off."),
  KEY ("nat-enables-pga", BOOL, CloudRunSpecAssumptions, nat_enables_pga,
       "true", 0, "A Cloud NAT gateway serving a subnet turns Private Google "
                  "Access on for it."),
  KEY_ENUM ("psc-google-access", ENUM, CloudRunSpecAssumptions,
            psc_google_access, "subnet-pga", 0, google_access_choices,
            "Whether a caller without an external address reaches a Private "
            "Service Connect endpoint for Google APIs only from a subnet with "
            "Private Google Access, as Google's endpoint page says "
            "(subnet-pga), or from any subnet, as field reports treat PSC as "
            "an alternative to PGA (implicit)."),
  KEY_INT ("ingress-denied-status", CloudRunSpecAssumptions,
           ingress_denied_status, "404", 0, 100, 599,
           "HTTP status the GFE answers to a request refused by ingress; "
           "Google documents 404 rather than 403 (Cloud Run release "
           "notes, 2023-08-03)."),
  KEY_INT ("direct-vpc-ip-factor", CloudRunSpecAssumptions,
           direct_vpc_ip_factor, "2", 0, 1, 16,
           "Subnet addresses held per Direct VPC instance."),
  KEY ("pending-wait", TIME, CloudRunSpecAssumptions, pending_wait, NULL, OPT,
       "How long a request that finds every allowed instance at its "
       "concurrency waits in the pending queue for a free slot before the "
       "GFE answers 429. Unset: Google's bound, 3.5 times the service's "
       "`cold-start` or 10s, whichever is greater."),
  KEY ("instance-idle-timeout", TIME, CloudRunSpecAssumptions,
       instance_idle_timeout, "15m", 0,
       "An instance beyond `min-instances` that has been idle this long "
       "retires, and its next request starts it cold again (Google keeps "
       "idle instances \"up to 15 minutes\"); `0s`: never."),
  KEY ("connector-start-time", TIME, CloudRunSpecAssumptions,
       connector_start_time, "60s", 0,
       "How long an instance a connector adds under load takes before it "
       "forwards traffic (a VM's boot; Google publishes no figure)."),
  KEY ("direct-vpc-start-delay", TIME, CloudRunSpecAssumptions,
       direct_vpc_start_delay, "0s", 0,
       "How long after a Direct VPC instance starts cold its packets into "
       "the VPC wait before they go (Google: connection establishment "
       "delays of a minute or more on instance startup; 0s keeps older "
       "scenarios' timing). Instances warm before the run "
       "(min-instances) do not wait."),
  KEY ("private-ranges", CIDR_LIST, CloudRunSpecAssumptions, private_ranges,
       "10.0.0.0/8;172.16.0.0/12;192.168.0.0/16;100.64.0.0/10;240.0.0.0/4;"
       "199.36.153.4/30;199.36.153.8/30", 0,
       "Destinations that `vpc-egress = private-ranges-only` sends into the "
       "VPC."),
  KEY_ENUM ("run-external-ipv6", ENUM, CloudRunSpecAssumptions,
            run_external_ipv6, "refused", 0, run_external_ipv6_choices,
            "Whether a Cloud Run service, job or worker pool on a subnet "
            "with an external IPv6 range sends IPv6 through it. Google's "
            "dual-stack page names internal IPv6 subnets only, while some "
            "versions let external ones be used: `refused` sends IPv4 only "
            "(with a load warning), `allowed` both families."),
  KEY_ENUM ("ipv6-internal", ENUM, CloudRunSpecAssumptions, ipv6_internal,
            "like-ipv4", 0, ipv6_internal_choices,
            "How the GFE classifies a request that reaches it over IPv6 in "
            "a VPC network's envelope: `like-ipv4` by the same rules as "
            "over IPv4, `external` never internal. Google's ingress page "
            "does not say whether IPv6 differs."),
};

static const CloudRunKey project_keys[] = {
  KEY_DERIVED ("number", PROJECT_NUMBER, CloudRunSpecProject, number,
               "12 digits derived from NAME",
               "Used in service URLs, default service accounts, and carried "
               "to the GFE as the network's identity. Two projects may not "
               "have the same number."),
  KEY ("perimeter", STRING, CloudRunSpecProject, perimeter, NULL, OPT,
       "VPC Service Controls perimeter that contains the project and "
       "restricts Cloud Run (run.googleapis.com); a [perimeter NAME] "
       "group of that name, if any, must restrict it too."),
};

static const CloudRunKey perimeter_keys[] = {
  KEY_REF ("projects", NAME_LIST, CloudRunSpecPerimeter, project_names,
           projects, PROJECT, "", 0, NULL,
           "Projects inside the perimeter (a project is in one perimeter "
           "at most); projects whose perimeter key names it join too."),
  KEY ("restricted-services", API_LIST, CloudRunSpecPerimeter,
       restricted_services, "", 0,
       "Google APIs the perimeter protects, such as run.googleapis.com "
       "(the GFE refuses outsiders at run.app and custom domains) and "
       "cloudtasks.googleapis.com (Cloud Tasks delivers only "
       "authenticated requests to run.app); none by default."),
  KEY ("access-level-ranges", CIDR_LIST, CloudRunSpecPerimeter, access_ranges,
       "", 0,
       "Public source ranges an access level admits from outside the "
       "perimeter (not private ranges; not from another perimeter)."),
  KEY ("access-level-identities", PRINCIPALS, CloudRunSpecPerimeter,
       access_identities, NULL, OPT,
       "serviceAccount:EMAIL or user:EMAIL an access level names; Cloud "
       "Run's enforcement ignores them when a service is invoked (Google: "
       "it does not use the caller's IAM identity)."),
};

static const CloudRunKey network_keys[] = {
  KEY_REF ("project", NAME, CloudRunSpecNetwork, project_name, project,
           PROJECT, NULL, DER, ONLY_PROJECT, "Host project of the network."),
  KEY ("default-route", BOOL, CloudRunSpecNetwork, default_route, "true", 0,
       "Keep the `0.0.0.0/0 -> default-internet-gateway` route."),
  KEY_REF ("shared-with", NAME_LIST, CloudRunSpecNetwork, shared_with_names,
           shared_with, PROJECT, "", 0, NULL,
           "Service projects of a Shared VPC: their services may attach to "
           "this network."),
  KEY_ENUM ("firewall-policy-enforcement-order", ENUM, CloudRunSpecNetwork,
            policies_first, "after-classic-firewall", 0, enforcement_choices,
            "Whether the network firewall policies associated with the "
            "network are evaluated after its VPC firewall rules (Google's "
            "default) or before them."),
  KEY ("on-premises", BOOL, CloudRunSpecNetwork, on_premises, "false", 0,
       "`true`: not a VPC network but a site outside Google Cloud reached "
       "by a `[hybrid-link]`: its subnets are the site's ranges, its VMs "
       "the site's hosts, which reach the internet (and Google's public "
       "addresses) by the site's own connection."),
  KEY_PAIR ("internal-ipv6-range", CIDR6_OR_AUTO, CloudRunSpecNetwork,
            internal_ipv6_range, internal_ipv6_auto, NULL, OPT, NULL,
            "The network's internal IPv6 range: a /48 inside Google's ULA "
            "range fd20::/20 that no other network of the scenario has, or "
            "`auto` for the first free fd20:0:N::/48 (N from 1, in file "
            "order). Its subnets with `ipv6-access-type = internal` take "
            "their /64s from it. Absent: the network has no internal IPv6 "
            "range."),
};

static const CloudRunKey subnet_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecSubnet, network_name, network, NETWORK,
           NULL, REQ, NULL, "Network of the subnet."),
  KEY ("region", REGION, CloudRunSpecSubnet, region, NULL, REQ,
       "Region of the subnet."),
  KEY ("range", CIDR, CloudRunSpecSubnet, range, NULL, OPT,
       "Primary IPv4 range; the first two and last two addresses are "
       "reserved. It may not overlap another subnet (or a connector range) "
       "of the same network. Required, except with `stack-type = "
       "ipv6-only`, which takes none."),
  KEY ("private-google-access", BOOL, CloudRunSpecSubnet,
       private_google_access, "false", 0,
       "Private Google Access for Google-bound traffic from this subnet."),
  KEY_ENUM ("purpose", ENUM, CloudRunSpecSubnet, purpose, "private", 0,
            purpose_choices,
            "`proxy-only`: the subnet of Envoy proxies that an internal ALB "
            "needs in its region. VMs, connectors, Direct VPC and load "
            "balancer addresses use `private` subnets."),
  KEY_ENUM ("stack-type", ENUM, CloudRunSpecSubnet, stack_type, "ipv4-only",
            0, vpc_stack_words,
            "The subnet's IP families (Google's IPV4_ONLY, IPV4_IPV6, "
            "IPV6_ONLY): `ipv4-ipv6` (dual-stack) gives it an IPv6 /64 as "
            "well, and each VM on it an IPv6 address. `ipv6-only` has no "
            "IPv4 `range`: its VMs have only their IPv6 address (they reach "
            "IPv4 internet hosts through DNS64 and Cloud NAT's NAT64); "
            "Cloud Run, connectors and load balancers refuse it."),
  KEY_ENUM ("ipv6-access-type", ENUM, CloudRunSpecSubnet, ipv6_access_type,
            NULL, OPT, vpc_ipv6_access_words,
            "Required unless `stack-type = ipv4-only`, and only then: "
            "`internal` takes the /64 from the network's "
            "`internal-ipv6-range` (ULA addresses, reachable inside the "
            "VPC only), `external` from Google's public IPv6 addresses "
            "(reachable from the internet)."),
  KEY_DERIVED ("ipv6-range", CIDR6, CloudRunSpecSubnet, ipv6_range,
               "internal: the next free /64 of the network's "
               "internal-ipv6-range; external: the next free /64 of "
               "2600:1900:4000::/44",
               "The subnet's IPv6 /64 (not with `stack-type = ipv4-only`): "
               "inside the network's internal range for `internal`, a "
               "global unicast range (2000::/3) for `external`; it may not "
               "overlap another subnet's."),
};

static const CloudRunKey route_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecRoute, network_name, network, NETWORK,
           NULL, REQ, NULL, "Network of the route."),
  KEY ("destination", CIDR_ANY, CloudRunSpecRoute, destination, NULL, REQ,
       "Destination range, IPv4 or IPv6 (such as `::/0`). An IPv6 route's "
       "next hop is `default-internet-gateway` or `blackhole`."),
  KEY ("next-hop", NEXT_HOP, CloudRunSpecRoute, next_hop, NULL, REQ,
       "Where matching packets go. `blackhole` drops them "
       "(`ROUTE_BLACKHOLE`); nobody creates a blackhole route: a route "
       "becomes one when its next hop (a VM, a tunnel) is gone "
       "(`NEXT_HOP_BLACKHOLE`), and `blackhole` stands for that. A route to "
       "an IP address loads, but a forwarding instance is not simulated: "
       "packets it matches are dropped with `NO_ROUTE` and a step that says "
       "so."),
  KEY_INT ("priority", CloudRunSpecRoute, priority, "1000", 0, 0, 65535,
           "Among routes of equal prefix length the lower number wins."),
};

static const CloudRunKey peering_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecPeering, network_name, network,
           NETWORK, NULL, REQ, NULL, "Network of this side of the peering."),
  KEY_REF ("peer-network", NAME, CloudRunSpecPeering, peer_name, peer,
           NETWORK, NULL, REQ, NULL,
           "The network it peers with. The peering is active, and the two "
           "networks exchange their subnet routes, only when that network "
           "has a `[peering]` back to this one."),
  KEY ("export-custom-routes", BOOL, CloudRunSpecPeering,
       export_custom_routes, "false", 0,
       "Offer this network's custom routes to the peer: static routes "
       "whose next hop is not the default internet gateway, and dynamic "
       "routes learned from `[hybrid-link]` sites. The peer uses them only "
       "when its side imports."),
  KEY ("import-custom-routes", BOOL, CloudRunSpecPeering,
       import_custom_routes, "false", 0,
       "Use the custom routes the peer exports, as peering routes "
       "(`PEERING_STATIC`, `PEERING_DYNAMIC`) whose next hop is the peer."),
};

static const CloudRunKey private_access_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecPrivateAccess, network_name, network,
           NETWORK, NULL, REQ, NULL,
           "The consumer VPC network the private connection belongs to."),
  KEY ("ranges", CIDR_LIST, CloudRunSpecPrivateAccess, ranges, NULL, REQ,
       "Allocated ranges (purpose VPC_PEERING), each /8 to /24, overlapping "
       "no subnet of the network: the producer network carves the subnets "
       "of its instances from them."),
  KEY ("export-custom-routes", BOOL, CloudRunSpecPrivateAccess,
       export_custom_routes, "false", 0,
       "The consumer network exports its custom routes (static ones not to "
       "the internet gateway, dynamic ones from `[hybrid-link]` sites) to "
       "the producer network, which imports them: what an on-premises host "
       "needs to reach an instance."),
  KEY ("import-custom-routes", BOOL, CloudRunSpecPrivateAccess,
       import_custom_routes, "false", 0,
       "The consumer imports the producer's custom routes. The producer "
       "network has none, so this changes nothing; it loads so that an "
       "imported configuration keeps its setting."),
};

static const CloudRunKey managed_instance_keys[] = {
  KEY_ENUM ("product", ENUM, CloudRunSpecManagedInstance, product, NULL, REQ,
            managed_product_choices,
            "What the instance is, which sets the ports it accepts TCP "
            "connections on: Cloud SQL for PostgreSQL 5432, MySQL 3306, SQL "
            "Server 1433 (each also 3307, the Cloud SQL Auth Proxy's), "
            "Memorystore for Redis 6379, AlloyDB 5432."),
  KEY_REF ("private-services-access", NAME, CloudRunSpecManagedInstance,
           access_name, access, PRIVATE_ACCESS, NULL, OPT,
           "the scenario's only `[private-services-access]`",
           "The private connection whose allocated ranges hold the "
           "instance's address."),
  KEY ("region", REGION, CloudRunSpecManagedInstance, region, NULL, REQ,
       "Region of the instance."),
  KEY_DERIVED ("address", IPV4, CloudRunSpecManagedInstance, address,
               "the first usable address of the next free producer subnet",
               "Private address of the instance, inside an allocated range. "
               "Each instance has a producer subnet of its own, a /24 (a /29 "
               "for Memorystore) of the ranges: the one holding `address`, "
               "or the next free one."),
  KEY ("authorized-networks", CIDR_LIST, CloudRunSpecManagedInstance,
       authorized_networks, "", 0,
       "Cloud SQL only: the source ranges outside RFC 1918 that may connect "
       "to the private address (a Direct VPC subnet in 100.64.0.0/10, say). "
       "RFC 1918 sources never need listing."),
};

static const CloudRunKey hybrid_link_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecHybridLink, network_name, network,
           NETWORK, NULL, REQ, NULL, "The VPC network the site attaches to."),
  KEY_REF ("site", NAME, CloudRunSpecHybridLink, site_name, site, NETWORK,
           NULL, REQ, NULL, "The site: a network with `on-premises = true`."),
  KEY ("region", REGION, CloudRunSpecHybridLink, region, NULL, REQ,
       "Region of the Cloud Router, the tunnels or VLAN attachments."),
  KEY_ENUM ("kind", ENUM, CloudRunSpecHybridLink, kind, "vpn", 0,
            hybrid_choices, "HA VPN tunnels or Cloud Interconnect VLAN "
                            "attachments."),
  KEY ("latency", TIME, CloudRunSpecHybridLink, latency, "5ms", 0,
       "One-way time across the link, between the site and the region."),
  KEY ("bandwidth", BANDWIDTH, CloudRunSpecHybridLink, bandwidth, "10Gbps",
       0, "Rate of the link each way, frames queued behind it (1000 "
          "packets at most): an HA VPN tunnel carries up to 3 Gbps "
          "(250,000 packets a second), a VLAN attachment its capacity "
          "(50 Mbps to 50 Gbps)."),
  KEY ("advertised-ranges", CIDR_LIST, CloudRunSpecHybridLink,
       advertised_ranges, "", 0,
       "Custom advertisements of the Cloud Router besides the subnets of "
       "its region (regional dynamic routing), such as 199.36.153.8/30 so "
       "that the site reaches Google APIs privately."),
};

static const CloudRunKey firewall_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecFirewall, network_name, network,
           NETWORK, NULL, OPT, NULL,
           "Network of a VPC firewall rule; required unless `policy` is "
           "written, and not with it."),
  KEY_ENUM ("direction", ENUM, CloudRunSpecFirewall, direction, NULL, REQ,
            vpc_firewall_direction_words, "Traffic the rule applies to."),
  KEY_ENUM ("action", ENUM, CloudRunSpecFirewall, action, NULL, REQ,
            vpc_firewall_action_words,
            "What the rule does to matching traffic. `goto-next` (firewall "
            "policy rules only) hands the packet to the next stage of "
            "evaluation."),
  KEY_PAIR ("ranges", CIDR_LIST_ANY, CloudRunSpecFirewall, ranges, ranges6,
            NULL, DER, "0.0.0.0/0, unless source-tags or "
            "source-service-accounts name the sources",
            "Destinations for egress rules, sources for ingress rules. "
            "An ingress rule with `source-tags` or "
            "`source-service-accounts` matches a packet from these ranges "
            "or from those instances. A rule holds IPv4 ranges or IPv6 "
            "ranges, not both; the default is IPv4 only, so IPv6 packets "
            "need a rule of their own (such as `::/0`)."),
  KEY ("protocols", PROTOCOLS, CloudRunSpecFirewall, protocols, "all", 0,
       "Protocols and ports the rule matches, such as `tcp:443` or "
       "`udp:53-54`."),
  KEY_INT ("priority", CloudRunSpecFirewall, priority, "1000", 0, 0, 65535,
           "Lower wins; deny wins a tie. Implicit rules: allow all egress "
           "and deny all ingress at the lowest priority."),
  KEY ("target-tags", TAG_LIST, CloudRunSpecFirewall, target_tags, "", 0,
       "The rule applies only to instances with one of these network tags: "
       "VMs (`[vm] network-tags`), connectors (each has `vpc-connector` and "
       "`vpc-connector-REGION-NAME`) and, for egress rules, Direct VPC "
       "revisions (`[service] network-tags`). Empty: every instance of the "
       "network."),
  KEY ("target-service-accounts", EMAIL_LIST, CloudRunSpecFirewall,
       target_service_accounts, "", 0,
       "The rule applies only to VMs running as one of these service "
       "accounts. Not together with `target-tags`."),
  KEY ("source-tags", TAG_LIST, CloudRunSpecFirewall, source_tags, "", 0,
       "Ingress rules only: the rule also matches packets from the primary "
       "address of a VM or connector of the network with one of these "
       "tags. Direct VPC traffic never matches a source tag (Google: not "
       "supported); when such a tag would have admitted it, the drop cause "
       "is `INGRESS_FIREWALL_TAGS_UNSUPPORTED_BY_DIRECT_VPC_EGRESS`. Not "
       "with `target-service-accounts`."),
  KEY ("source-service-accounts", EMAIL_LIST, CloudRunSpecFirewall,
       source_service_accounts, "", 0,
       "Ingress rules only: the rule also matches packets from VMs of the "
       "network running as one of these service accounts. Not with "
       "`source-tags` or `target-tags`."),
  KEY ("disabled", BOOL, CloudRunSpecFirewall, disabled, "false", 0,
       "`true`: the rule is not enforced, as if it did not exist (it "
       "still loads and is checked)."),
  KEY_REF ("policy", NAME, CloudRunSpecFirewall, policy_name, policy,
           FIREWALL_POLICY, NULL, OPT, NULL,
           "The `[firewall-policy]` this rule belongs to, instead of a "
           "network. Its priority is unique within the policy; it cannot "
           "name network tags (policies use secure tags)."),
  KEY_REF ("target-secure-tags", NAME_LIST, CloudRunSpecFirewall,
           target_secure_tag_names, target_secure_tags, SECURE_TAG, "", 0,
           NULL,
           "Rules of a firewall policy only: the rule applies only to VMs "
           "bound to one of these `[secure-tag]`s (`[vm] secure-tags`). In "
           "a network or regional policy each tag's network is one the "
           "policy is associated with. Not with `target-service-accounts`."),
  KEY_REF ("source-secure-tags", NAME_LIST, CloudRunSpecFirewall,
           source_secure_tag_names, source_secure_tags, SECURE_TAG, "", 0,
           NULL,
           "Ingress rules of a firewall policy only: the rule also matches "
           "packets from the primary address of a VM bound to one of these "
           "`[secure-tag]`s. In a network or regional policy each tag's "
           "network is one the policy is associated with."),
};

static const CloudRunKey secure_tag_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecSecureTag, network_name, network,
           NETWORK, NULL, REQ, NULL,
           "The network of the tag key's purpose data (`purpose = "
           "GCE_FIREWALL`, `purpose-data = network=...`): the tag binds "
           "only to VMs of that network."),
};

static const CloudRunKey firewall_policy_keys[] = {
  KEY_ENUM ("type", ENUM, CloudRunSpecFirewallPolicy, type, NULL, REQ,
            policy_type_choices,
            "`hierarchical`: associated with the organization or a folder, "
            "so with every network of the projects under it; `network`: a "
            "global network firewall policy associated with networks; "
            "`regional`: a regional network firewall policy associated with "
            "networks, whose rules apply to their instances in its `region` "
            "only, evaluated right after the global network policies."),
  KEY_ENUM ("level", ENUM, CloudRunSpecFirewallPolicy, level, "organization",
            0, policy_level_choices,
            "Hierarchical policies only: the organization's policy is "
            "evaluated before a folder's."),
  KEY_REF ("projects", NAME_LIST, CloudRunSpecFirewallPolicy, project_names,
           projects, PROJECT, NULL, DER, "every project of the scenario",
           "Hierarchical policies only: the projects under the node the "
           "policy is associated with; it applies to their networks."),
  KEY_REF ("networks", NAME_LIST, CloudRunSpecFirewallPolicy, network_names,
           networks, NETWORK, "", 0, NULL,
           "Network and regional policies only, and required there: the "
           "networks the policy is associated with."),
  KEY ("region", REGION, CloudRunSpecFirewallPolicy, region, NULL, OPT,
       "Regional policies only, and required there: the region whose VMs, "
       "connectors and Direct VPC revisions its rules apply to. A network "
       "has at most one regional policy per region."),
};

static const CloudRunKey nat_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecNat, network_name, network, NETWORK,
           NULL, REQ, NULL, "Network the gateway serves."),
  KEY ("region", REGION, CloudRunSpecNat, region, NULL, REQ,
       "Region of the gateway."),
  KEY_REF ("subnets", NAME_LIST, CloudRunSpecNat, subnet_names, subnets,
           SUBNET, NULL, DER,
           "every private subnet of the network in the region",
           "Subnets whose traffic the gateway translates: subnets of its own "
           "region, none of them served by another gateway."),
  KEY ("addresses", ADDRESSES_OR_COUNT, CloudRunSpecNat, addresses, "1", 0,
       "The gateway's public addresses. A count is filled with automatic "
       "external addresses (see [Addresses](#addresses)); listed addresses "
       "must be public, outside Google's ranges, and each written once in "
       "the scenario."),
  /* At most 65536 - 1024: the NAT hands out ports 1024..65535 (snat.c,
   * SNAT_FIRST_PORT), and one VM cannot be given more than there are. */
  KEY_INT ("min-ports-per-vm", CloudRunSpecNat, min_ports_per_vm, "64", 0, 2,
           64512, "Source ports reserved per VM; when a VM's ports run out, "
                  "its new connections are dropped "
                  "(`CLOUD_NAT_PORTS_EXHAUSTED`)."),
  KEY ("tcp-time-wait-timeout", TIME, CloudRunSpecNat, tcp_time_wait_timeout,
       "120s", 0, "How long the port of a TCP connection that closed stays "
                  "taken before another connection to the same destination "
                  "may use it (Cloud NAT's TCP TIME_WAIT timeout); a burst "
                  "of short connections to one host can run a VM's block of "
                  "ports out."),
  KEY ("nat64", BOOL, CloudRunSpecNat, nat64, "false", 0,
       "NAT64 (Google's `sourceSubnetworkIpRangesToNat64 = "
       "ALL_IPV6_SUBNETWORKS`): the gateway also translates the IPv6 "
       "packets of its `ipv6-only` subnets' VMs to 64:ff9b::/96 into IPv4 "
       "from its addresses, and the replies back. Without it such a packet "
       "has no way out."),
};

static const CloudRunKey connector_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecConnector, network_name, network,
           NETWORK, NULL, DER, "the network of subnet (required with range)",
           "Network the connector enters."),
  KEY ("region", REGION, CloudRunSpecConnector, region, NULL, REQ,
       "Region of the connector; the services that use it must be in the "
       "same region."),
  KEY ("range", CIDR, CloudRunSpecConnector, range, NULL, OPT,
       "A hidden subnet of its own; must not overlap the network's subnets."),
  KEY_REF ("subnet", NAME, CloudRunSpecConnector, subnet_name, subnet, SUBNET,
           NULL, OPT, NULL, "An existing private /28 subnet in the "
                            "connector's region, used by no other connector."),
  KEY_ENUM ("machine-type", ENUM, CloudRunSpecConnector, machine_type,
            "e2-micro", 0, machine_choices,
            "Instance type; sets the throughput per instance."),
  KEY_INT ("min-instances", CloudRunSpecConnector, min_instances, "2", 0, 2, 9,
           "Instances at start; Google allows 2 to 9."),
  KEY_INT ("max-instances", CloudRunSpecConnector, max_instances, "10", 0, 3,
           10, "Scale-out limit: the connector adds instances under load up "
               "to this many and never removes them (see "
               "[networking.md](networking.md#capacity-and-timing))."),
};

/* The rows a service, a job and a worker pool share (their structs begin
 * with CLOUDRUN_SPEC_WORKLOAD_FIELDS): where it runs, then who it is and
 * how it reaches a VPC (a worker pool has no connector). WHO names the
 * kind in the help ("service"), SELF what runs ("revision"). */
#define WORKLOAD_PLACE_KEYS(S, WHO)                                        \
  KEY_REF ("project", NAME, S, project_name, project, PROJECT, NULL, DER,  \
           ONLY_PROJECT, "Project of the " WHO "."),                       \
  KEY ("region", REGION, S, region, NULL, REQ, "Region of the " WHO ".")
#define WORKLOAD_EGRESS_KEYS(S, WHO, SELF)                                 \
  WORKLOAD_ACCESS_KEYS (S, SELF),                                          \
  WORKLOAD_CONNECTOR_KEY (S, WHO),                                         \
  WORKLOAD_DIRECT_KEYS (S, WHO)
#define WORKLOAD_ACCESS_KEYS(S, SELF)                                      \
  KEY_DERIVED ("service-account", EMAIL, S, service_account,               \
               "PROJECTNUMBER-compute@developer.gserviceaccount.com, the " \
               "project's default compute service account",                \
               "Identity of the " SELF ": the email its ID tokens name."), \
  KEY_ENUM ("vpc-access", ENUM, S, vpc_access, "none", 0,                  \
            vpc_access_words, "How the " SELF " reaches a VPC.")
#define WORKLOAD_CONNECTOR_KEY(S, WHO)                                     \
  KEY_REF ("connector", NAME, S, connector_name, connector, CONNECTOR,     \
           NULL, OPT, NULL, "The connector; only with, and required by, "  \
                            "`vpc-access = connector`; same region as "    \
                            "the " WHO ".")
#define WORKLOAD_DIRECT_KEYS(S, WHO)                                       \
  KEY_REF ("subnet", NAME, S, subnet_name, subnet, SUBNET, NULL, OPT,      \
           NULL, "The subnet for Direct VPC egress; only with, and "       \
                 "required by, `vpc-access = direct`; a private subnet "   \
                 "in the " WHO "'s region."),                              \
  KEY_ENUM ("vpc-egress", ENUM, S, vpc_egress, "private-ranges-only", 0,   \
            vpc_egress_words,                                              \
            "What goes into the VPC: destinations in `[assumptions] "      \
            "private-ranges` only, or everything. Only with `vpc-access = " \
            "connector` or `direct`."),                                    \
  KEY ("network-tags", TAG_LIST, S, network_tags, "", 0,                   \
       "Network tags of the Direct VPC interface (gcloud `--network-tags`); " \
       "only with `vpc-access = direct`. Egress firewall rules' "          \
       "`target-tags` match them; ingress rules' `source-tags` never do "  \
       "(Google: not supported for Direct VPC egress).")

static const CloudRunKey service_keys[] = {
  WORKLOAD_PLACE_KEYS (CloudRunSpecService, "service"),
  KEY_ENUM ("ingress", ENUM, CloudRunSpecService, ingress, "all", 0,
            gfe_ingress_words, "Which requests the GFE lets in."),
  KEY ("default-url", BOOL, CloudRunSpecService, default_url, "true", 0,
       "`false`: the run.app hosts answer 404 to direct callers; a load "
       "balancer's serverless NEG still reaches the service."),
  KEY ("invokers", PRINCIPALS, CloudRunSpecService, invokers, "allUsers", 0,
       "Who holds the Cloud Run Invoker role: `allUsers` (anyone, no token "
       "needed), `allAuthenticatedUsers` (any valid ID token), "
       "`serviceAccount:EMAIL`, `user:EMAIL`. `public` and `authenticated` "
       "are accepted as aliases of the first two."),
  KEY ("custom-audiences", AUDIENCE_LIST, CloudRunSpecService,
       custom_audiences, "", 0,
       "Audiences its IAM check accepts in an ID token besides its two "
       "run.app URLs (gcloud --add-custom-audiences), such as the URL "
       "callers use through a load balancer; each matches with or without "
       "a final '/'."),
  KEY ("iap", BOOL, CloudRunSpecService, iap, "false", 0,
       "`true`: Identity-Aware Proxy on the service (every path, run.app "
       "URLs and load balancers): after ingress it refuses callers not in "
       "`iap-access`, then calls IAM as its service agent "
       "service-PROJECTNUMBER@gcp-sa-iap.iam.gserviceaccount.com, which "
       "`invokers` must hold."),
  KEY ("iap-access", PRINCIPALS, CloudRunSpecService, iap_access, NULL, OPT,
       "Who holds roles/iap.httpsResourceAccessor (IAP-secured Web App "
       "User), as `invokers` writes principals; only with `iap = true`; "
       "nobody by default."),
  WORKLOAD_EGRESS_KEYS (CloudRunSpecService, "service", "revision"),
  KEY_INT ("min-instances", CloudRunSpecService, min_instances, "0", 0, 0,
           1000, "Instances kept warm from time 0."),
  KEY_INT ("max-instances", CloudRunSpecService, max_instances, "100", 0, 1,
           1000, "Scale-out limit; with every instance busy, requests get "
                 "429. Each service's instances take the /24s of "
                 "169.254.0.0/16 their number needs (one up to 246, four for "
                 "1000); all services together have 253."),
  KEY_INT ("concurrency", CloudRunSpecService, concurrency, "80", 0, 1, 1000,
           "Requests one instance serves at once."),
  KEY ("cold-start", TIME, CloudRunSpecService, cold_start, "1s", 0,
       "Delay before a new instance serves."),
  KEY ("service-time", DELAY, CloudRunSpecService, service_time, "10ms", 0,
       "Time to answer one request: a time, or a distribution each instance "
       "draws from for every request, from its own random stream (the same "
       "seed gives the same draws): `exp:MEAN` (exponential), "
       "`lognormal:MEDIAN,P99` (log-normal with that median and 99th "
       "percentile; P99 above MEDIAN above 0s), `normal:MEAN,SD` (normal; a "
       "draw below 0 counts as 0). Example: `lognormal:20ms,200ms`."),
  KEY_SIZE ("response-size", CloudRunSpecService, response_size, "1KiB",
            CLOUDRUN_BODY_MAX, "Response body size."),
  KEY_REF ("secure-tags", NAME_LIST, CloudRunSpecService, secure_tag_names,
           secure_tags, SECURE_TAG, "", 0, NULL,
           "Refused: firewall rules cannot use the Resource Manager tags of "
           "a Cloud Run workload (run/docs/configuring/vpc-direct-vpc, "
           "limitations), so no `[secure-tag]` binds to a service."),
};

/* A revision's key that takes the service's value when unset. */
#define KEY_REV(NAME, TYPE, F, HELP)                                       \
  { .name = NAME, .type = CLOUDRUN_KEY_##TYPE, .flags = DER,               \
    .offset = offsetof (CloudRunSpecRevision, F),                          \
    .default_note = "the service's", .help = HELP }
#define SERVICE_S "the service's"

static const CloudRunKey revision_keys[] = {
  KEY_REF ("service", NAME, CloudRunSpecRevision, service_name, service,
           SERVICE, NULL, REQ, NULL, "The service the revision belongs to. "
           "NAME must start with the service's NAME and a hyphen "
           "(`shop-canary` for service `shop`), as gcloud names revisions "
           "(SERVICE-SUFFIX)."),
  KEY_INT ("percent", CloudRunSpecRevision, percent, NULL, REQ, 0, 100,
           "Share of the requests to the service's URLs (and to "
           "`service:NAME`) it serves; the revisions of a service sum to "
           "100. At 0 it is reached only at its tag URL."),
  KEY ("tag", STRING, CloudRunSpecRevision, tag, NULL, OPT,
       "Traffic tag: the revision also answers at "
       "`https://TAG---NAME-HASH-REGIONCODE.a.run.app` and "
       "`https://TAG---NAME-PROJECTNUMBER.REGION.run.app`, which reach it "
       "alone. Lowercase letters, digits and hyphens, starting with a "
       "letter, not ending with a hyphen, no `---`; tag and service NAME "
       "together at most 46 characters; one tag per revision, unique in "
       "the service."),
  { .name = "min-instances", .type = CLOUDRUN_KEY_INT, .flags = DER,
    .offset = offsetof (CloudRunSpecRevision, min_instances), .min = 0,
    .max = 1000, .default_note = SERVICE_S,
    .help = "Instances of this revision kept warm from time 0." },
  { .name = "max-instances", .type = CLOUDRUN_KEY_INT, .flags = DER,
    .offset = offsetof (CloudRunSpecRevision, max_instances), .min = 1,
    .max = 1000, .default_note = SERVICE_S,
    .help = "Scale-out limit of this revision's own instances." },
  { .name = "concurrency", .type = CLOUDRUN_KEY_INT, .flags = DER,
    .offset = offsetof (CloudRunSpecRevision, concurrency), .min = 1,
    .max = 1000, .default_note = SERVICE_S,
    .help = "Requests one instance of the revision serves at once." },
  KEY_REV ("cold-start", TIME, cold_start,
           "Delay before a new instance of the revision serves."),
  KEY_REV ("service-time", DELAY, service_time,
           "Time to answer one request, as `[service] service-time`."),
  { .name = "response-size", .type = CLOUDRUN_KEY_SIZE, .flags = DER,
    .offset = offsetof (CloudRunSpecRevision, response_size),
    .max = CLOUDRUN_BODY_MAX, .default_note = SERVICE_S,
    .help = "Response body size of the revision's answers." },
};

/* A job and a worker pool: the shared rows, then how many instances. */
static const CloudRunKey job_keys[] = {
  WORKLOAD_PLACE_KEYS (CloudRunSpecWorker, "job"),
  WORKLOAD_EGRESS_KEYS (CloudRunSpecWorker, "job", "job"),
  KEY_INT ("tasks", CloudRunSpecWorker, instances, "1", 0, 1, 1000,
           "Tasks of one execution, each an instance of its own that sends "
           "the traffic from the job (its own Direct VPC address, its own "
           "source ports)."),
  KEY_INT ("parallelism", CloudRunSpecWorker, parallelism, "0", 0, 0, 1000,
           "Tasks running at once, at most `tasks`; 0: all of them. The "
           "tasks start in waves of this many (see "
           "[networking.md](networking.md#jobs-and-worker-pools))."),
};

static const CloudRunKey worker_pool_keys[] = {
  WORKLOAD_PLACE_KEYS (CloudRunSpecWorker, "worker pool"),
  WORKLOAD_ACCESS_KEYS (CloudRunSpecWorker, "worker pool"),
  WORKLOAD_DIRECT_KEYS (CloudRunSpecWorker, "worker pool"),
  KEY_INT ("instances", CloudRunSpecWorker, instances, "1", 0, 1, 1000,
           "Instances (manual scaling), all running from time 0; each "
           "sends the traffic from the worker pool."),
};

static const CloudRunKey vm_keys[] = {
  KEY_REF ("subnet", NAME, CloudRunSpecVm, subnet_name, subnet, SUBNET, NULL,
           REQ, NULL, "Subnet of the VM's interface (a private subnet)."),
  KEY_DERIVED ("address", IPV4, CloudRunSpecVm, address,
               "the next free usable address of the subnet",
               "Internal address: a usable address of the subnet, used by "
               "nothing else in the network."),
  KEY_DERIVED ("ipv6-address", IPV6, CloudRunSpecVm, ipv6_address,
               "the first address of the subnet's next free /96",
               "On a subnet with an IPv6 range only: the VM interface's IPv6 "
               "address. Google gives each interface a /96 of the subnet's "
               "/64; the address is inside the subnet's /64 and in no other "
               "VM's /96."),
  KEY ("external-ip", BOOL, CloudRunSpecVm, external_ip, "false", 0,
       "Give the VM an external address (automatic, see "
       "[Addresses](#addresses)): its internet-bound traffic leaves by it; "
       "its Google-bound traffic leaves from it but stays inside Google "
       "with the network's identity (no Private Google Access needed)."),
  KEY_DERIVED ("service-account", EMAIL, CloudRunSpecVm, service_account,
               "PROJECTNUMBER-compute@developer.gserviceaccount.com of the "
               "project of its subnet's network",
               "Identity of the VM: the email its ID tokens name, and what "
               "firewall rules' service accounts match."),
  KEY ("network-tags", TAG_LIST, CloudRunSpecVm, network_tags, "", 0,
       "Network tags of the VM: firewall rules' `target-tags` and "
       "`source-tags` match them."),
  KEY_REF ("secure-tags", NAME_LIST, CloudRunSpecVm, secure_tag_names,
           secure_tags, SECURE_TAG, "", 0, NULL,
           "`[secure-tag]`s bound to the VM, each of the VM's network: "
           "firewall policy rules' `target-secure-tags` and "
           "`source-secure-tags` match them."),
  KEY ("dns-server", BOOL, CloudRunSpecVm, dns_server, "false", 0,
       "The VM is a DNS server: it answers A queries on UDP port 53 from "
       "its network's view (an on-premises site's: the private zones bound "
       "to the site), such as the target of a forwarding zone."),
  KEY ("resolver", IPV4, CloudRunSpecVm, resolver, NULL, OPT,
       "Address the VM sends its DNS queries to, through its network: a "
       "DNS server VM, or an inbound server policy's address in a VPC "
       "subnet (for a site's host). Default: the metadata server "
       "169.254.169.254, which answers in the network's view."),
};

static const CloudRunKey client_keys[] = {
  KEY_DERIVED ("address", IPV4, CloudRunSpecClient, address,
               "the next address of 203.0.113.0/24 from .10 that no "
               "group writes and no A record holds",
               "Public address of the host; anywhere outside Google's "
               "ranges, written once in the scenario."),
  KEY ("ipv6-address", IPV6, CloudRunSpecClient, ipv6_address, NULL, OPT,
       "A public IPv6 address too (a global unicast address, 2000::/3, "
       "outside Google's ranges, written once): the client is dual-stack, "
       "asks AAAA as well as A and connects over IPv6 where RFC 6724 "
       "prefers it (a public IPv6 destination). Default: none, IPv4 only."),
  KEY_DERIVED ("account", EMAIL, CloudRunSpecClient, account,
               "NAME@example.com, a Google user named after the client",
               "Google account (user or service account) whose ID token the "
               "client sends with `identity = id-token`."),
  KEY ("location", REGION, CloudRunSpecClient, location, NULL, OPT,
       "Region the client is in or near: Google's front end meets its "
       "requests there and carries them over Google's backbone to the "
       "service's region (the inter-region table). Default: the region of "
       "each service it calls (no backbone delay)."),
  KEY ("country", REGION_CODE, CloudRunSpecClient, country, NULL, OPT,
       "Where geolocation places the client's address, as a region code "
       "(ISO 3166-1 alpha-2, such as FR): what a Cloud Armor rule's "
       "`region-codes` read as origin.region_code. Default: none known, "
       "which matches no `region-codes`."),
};

static const char *const product_choices[] = {
  "pubsub-push", "cloud-tasks", "cloud-scheduler", "eventarc", "workflows",
  "dialogflow-cx", "bigquery", "synthetic-monitor", "uptime-check",
  "firebase-hosting", NULL };

static const CloudRunKey google_caller_keys[] = {
  KEY_ENUM ("product", ENUM, CloudRunSpecGoogleCaller, product, NULL, REQ,
            product_choices, "The Google product that sends the requests. "
            "Those on Google's list of internal sources (all but "
            "`firebase-hosting`) reach the GFE inside Google, named as "
            "themselves: internal at the run.app URL from the service's "
            "project or perimeter. A Firebase Hosting rewrite reaches it "
            "from the internet: external."),
  KEY_REF ("project", NAME, CloudRunSpecGoogleCaller, project_name, project,
           PROJECT, NULL, DER, ONLY_PROJECT,
           "Project of the subscription, queue, job, trigger or workflow."),
  KEY_DERIVED ("service-account", EMAIL, CloudRunSpecGoogleCaller,
               service_account,
               "PROJECTNUMBER-compute@developer.gserviceaccount.com of its "
               "project",
               "Identity it signs ID tokens as (`identity = id-token`)."),
  KEY ("region", REGION, CloudRunSpecGoogleCaller, region, NULL, OPT,
       "Region of its queue, job, trigger or workflow: its requests cross "
       "Google's backbone from there to the service's region (the "
       "inter-region table). Default: none (no backbone delay)."),
};

static const CloudRunKey dns_zone_keys[] = {
  KEY ("dns-name", DNS_NAME, CloudRunSpecDnsZone, dns_name, NULL, REQ,
       "Zone suffix, such as `run.app.`."),
  KEY_ENUM ("visibility", ENUM, CloudRunSpecDnsZone, visibility, "private", 0,
            visibility_choices, "`private`: only the listed networks see it."),
  KEY_REF ("networks", NAME_LIST, CloudRunSpecDnsZone, network_names, networks,
           NETWORK, "", 0, NULL, "Networks a private zone is bound to; a "
                                 "public zone may not list any."),
  KEY ("records", RECORDS, CloudRunSpecDnsZone, records, "", 0,
       "Records `OWNER TYPE DATA` separated by `;`, of types `A`, `AAAA`, "
       "`CNAME`; an owner may start with the wildcard `*.`"),
  KEY_REF ("peer-network", NAME, CloudRunSpecDnsZone, peer_network_name,
           peer_network, NETWORK, NULL, OPT, NULL,
           "Makes a private zone a peering zone: its names are resolved in "
           "this producer network's view (its response policies, private "
           "zones, then public DNS). No records."),
  KEY ("forward-to", ADDRESS_LIST, CloudRunSpecDnsZone, forward_to, "", 0,
       "Makes a private zone a forwarding zone: the network's resolver "
       "sends the queries for its names to the first of these name "
       "servers, from 35.199.192.0/19 through the network (to a VM of "
       "the network, or across a `[hybrid-link]` to a site's host), and "
       "relays the answer; no answer in 1 s: SERVFAIL. No records."),
};

static const CloudRunKey dns_server_policy_keys[] = {
  KEY_REF ("networks", NAME_LIST, CloudRunSpecDnsServerPolicy,
           network_names, networks, NETWORK, NULL, REQ, NULL,
           "VPC networks the policy is bound to (at most one policy per "
           "network)."),
  KEY ("alternative-name-servers", ADDRESS_LIST, CloudRunSpecDnsServerPolicy,
       alternative, "", 0,
       "Outbound forwarding: the network's resolver sends every query to "
       "the first of these name servers (as a forwarding zone does), "
       "before its response policies and zones."),
  KEY ("inbound", BOOL, CloudRunSpecDnsServerPolicy, inbound, "false", 0,
       "Inbound forwarding: the network's resolver takes queries at an "
       "address in each subnet (the first usable address from the "
       "subnet's third that nothing else uses) and answers them in the "
       "network's view; a site's host reaches it across a "
       "`[hybrid-link]` with `resolver`."),
  KEY ("dns64", BOOL, CloudRunSpecDnsServerPolicy, dns64, "false", 0,
       "DNS64 (Google's `dns64Config`): an AAAA query from an IPv6-only "
       "VM (one that asks over IPv6) for a name with no AAAA record gets "
       "AAAA records synthesized from its A records under 64:ff9b::/96. "
       "Dual-stack and IPv4-only VMs, Cloud Run and queries to inbound "
       "addresses are answered as without it."),
};

static const CloudRunKey dns_response_policy_keys[] = {
  KEY_REF ("networks", NAME_LIST, CloudRunSpecDnsResponsePolicy,
           network_names, networks, NETWORK, NULL, REQ, NULL,
           "Networks the policy is bound to: their resolvers consult it "
           "before any zone."),
  KEY ("rules", DNS_RULES, CloudRunSpecDnsResponsePolicy, rules, "", 0,
       "Rules separated by `;`: `NAME TYPE DATA` answers NAME with local "
       "data (types `A`, `AAAA`, `CNAME`; one item per record), `NAME "
       "passthru` sends NAME on to the zones; NAME may start with the "
       "wildcard `*.`, and the most specific rule wins."),
};

static const CloudRunKey psc_endpoint_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecPscEndpoint, network_name, network,
           NETWORK, NULL, REQ, NULL, "Network of the endpoint."),
  KEY ("address", IPV4, CloudRunSpecPscEndpoint, address, NULL, REQ,
       "Internal address of the endpoint: in RFC 1918 space or in a subnet "
       "range of its network, used by nothing else in the network."),
  KEY_ENUM ("bundle", ENUM, CloudRunSpecPscEndpoint, bundle, "all-apis", 0,
            vpc_psc_bundle_words, "Google APIs bundle behind the endpoint."),
};

static const CloudRunKey internal_alb_keys[] = {
  KEY_REF ("network", NAME, CloudRunSpecInternalAlb, network_name, network,
           NETWORK, NULL, REQ, NULL, "Network of the load balancer."),
  KEY ("region", REGION, CloudRunSpecInternalAlb, region, NULL, REQ,
       "Region; it needs a `proxy-only` subnet there."),
  KEY ("address", IPV4, CloudRunSpecInternalAlb, address, NULL, REQ,
       "Forwarding rule address, in a private subnet of the network and "
       "region."),
  KEY_REF ("backend", NAME, CloudRunSpecInternalAlb, backend_name, backend,
           SERVICE, NULL, REQ, NULL, "Service behind the serverless NEG; "
           "same region."),
  KEY ("hostname", HOSTNAME, CloudRunSpecInternalAlb, hostname, NULL, OPT,
       "Custom host name callers may use; it resolves in the network's DNS "
       "view."),
  KEY ("global-access", BOOL, CloudRunSpecInternalAlb, global_access, "false",
       0, "`true`: clients of every region may use the regional forwarding "
          "rule; `false`: only clients of its own region."),
};

static const CloudRunKey external_alb_keys[] = {
  KEY ("address", IPV4, CloudRunSpecExternalAlb, address, NULL, REQ,
       "Public address of the load balancer, outside Google's front ends and "
       "VIPs, written once in the scenario."),
  KEY_REF ("backend", NAME, CloudRunSpecExternalAlb, backend_name, backend,
           SERVICE, NULL, REQ, NULL, "Service behind the serverless NEG."),
  KEY ("hostname", HOSTNAME, CloudRunSpecExternalAlb, hostname, NULL, OPT,
       "Custom host name callers may use; it resolves in public DNS."),
  KEY_REF ("security-policy", NAME, CloudRunSpecExternalAlb,
           security_policy_name, security_policy, SECURITY_POLICY, NULL, OPT,
           NULL,
           "Cloud Armor backend security policy of its backend service: "
           "the load balancer decides each request by its rules before "
           "forwarding it, and answers a deny itself."),
  KEY ("iap", BOOL, CloudRunSpecExternalAlb, iap, "false", 0,
       "`true`: Identity-Aware Proxy on its backend service: it refuses "
       "callers not in `iap-access` before proxying, then calls the "
       "service as its service agent, which the service's `invokers` must "
       "hold. Not with `iap = true` on the backend service itself."),
  KEY ("iap-access", PRINCIPALS, CloudRunSpecExternalAlb, iap_access, NULL,
       OPT, "As [service] `iap-access`; only with `iap = true`."),
  KEY_ENUM ("kind", ENUM, CloudRunSpecExternalAlb, kind, "global", 0,
            alb_kind_choices,
            "`global`: a global external Application Load Balancer, whose "
            "Cloud Armor policy decides before IAP; `classic`: a classic "
            "Application Load Balancer, where IAP decides first."),
};

static const CloudRunKey security_policy_keys[] = {
  KEY_ENUM ("default-action", ENUM, CloudRunSpecSecurityPolicy,
            default_action, "allow", 0, armor_action_words,
            "What the default rule (priority 2147483647, matching every "
            "request) does when no `[security-rule]` of the policy "
            "matches: `allow`, or deny with status 403, 404 or 502."),
};

static const CloudRunKey security_rule_keys[] = {
  KEY_REF ("policy", NAME, CloudRunSpecSecurityRule, policy_name, policy,
           SECURITY_POLICY, NULL, REQ, NULL,
           "The `[security-policy]` this rule belongs to."),
  KEY_INT ("priority", CloudRunSpecSecurityRule, priority, NULL, REQ, 0,
           2147483646,
           "Lower is read first; the first rule that matches decides. "
           "Unique within the policy (2147483647 is the default rule's)."),
  KEY_ENUM ("action", ENUM, CloudRunSpecSecurityRule, action, NULL, REQ,
            armor_action_words,
            "What the rule does to a request it matches: `allow`, or deny "
            "with status 403, 404 or 502, answered by the load balancer."),
  KEY ("source-ranges", CIDR_LIST, CloudRunSpecSecurityRule, source_ranges,
       NULL, OPT,
       "The rule matches requests whose source (the client address the "
       "load balancer's proxy saw) is in one of these ranges; at most 10."),
  KEY ("region-codes", REGION_CODE_LIST, CloudRunSpecSecurityRule,
       region_codes, NULL, OPT,
       "The rule matches requests whose source address geolocation places "
       "in one of these regions (`[client] country`); an address of no "
       "known region matches none."),
  KEY ("header", STRING, CloudRunSpecSecurityRule, header, NULL, OPT,
       "`NAME`: the rule matches requests carrying that header field; "
       "`NAME:VALUE`: whose first such field has exactly that value."),
};

static const CloudRunKey domain_mapping_keys[] = {
  KEY ("domain", HOSTNAME, CloudRunSpecDomainMapping, domain, NULL, REQ,
       "The custom domain (a domain verified by the project, or a subdomain "
       "of one) the service answers at; one mapping per domain, not a "
       "run.app name."),
  KEY_REF ("service", NAME, CloudRunSpecDomainMapping, service_name, service,
           SERVICE, NULL, REQ, NULL, "The service the domain maps to."),
  KEY ("public-dns", BOOL, CloudRunSpecDomainMapping, public_dns, "true", 0,
       "`true`: public DNS holds the records Cloud Run asks for: for a "
       "domain of two labels the A records 216.239.32.21, 216.239.34.21, "
       "216.239.36.21 and 216.239.38.21, for a subdomain a CNAME to "
       "ghs.googlehosted.com. `false`: none; the domain resolves only where "
       "a `[dns-zone]` puts it."),
};

static const CloudRunKey traffic_keys[] = {
  { .name = "from", .type = CLOUDRUN_KEY_CALLER, .flags = REQ,
    .offset = offsetof (CloudRunSpecTraffic, from_name),
    .ref_offset = offsetof (CloudRunSpecTraffic, from),
    .help = "The caller. A service's traffic is sent by its first instance, "
            "a job's or worker pool's by each of its instances (`count` "
            "each). "
            "The name must belong to only one of these kinds." },
  KEY ("url", URL, CloudRunSpecTraffic, url, NULL, REQ,
       "What to call: `https://HOST[:PORT]/PATH`, `http://HOST[:PORT]/PATH`, "
       "`tcp://HOST:PORT` or `service:NAME` (below); https is TLS on port "
       "443 (keys in the capture), http is clear on 80, tcp opens a "
       "connection and closes it (a connection check)."),
  KEY_INT ("count", CloudRunSpecTraffic, count, "1", 0, 1, 10000000,
           "Number of requests; all [traffic] groups together may have at "
           "most 100000000."),
  KEY ("rate", RATE, CloudRunSpecTraffic, rate, NULL, OPT,
       "Requests per time; rate or interval when count > 1."),
  KEY ("interval", TIME, CloudRunSpecTraffic, interval, NULL, OPT,
       "Time between requests; rate or interval when count > 1."),
  KEY_ENUM ("pattern", ENUM, CloudRunSpecTraffic, pattern, "constant", 0,
            pattern_choices, "Gaps between requests: constant, exponentially "
                             "distributed with the same mean (Poisson "
                             "arrivals), or none: with `burst` every request "
                             "starts at `start` (then neither `rate` nor "
                             "`interval` is written)."),
  KEY ("start", TIME, CloudRunSpecTraffic, start, "0s", 0,
       "Time of the first request."),
  KEY ("method", METHOD, CloudRunSpecTraffic, method, "GET", 0,
       "HTTP method, such as `GET` or `POST`."),
  KEY_SIZE ("request-size", CloudRunSpecTraffic, request_size, "0B",
            CLOUDRUN_BODY_MAX, "Request body size."),
  KEY ("timeout", TIME, CloudRunSpecTraffic, timeout, "10s", 0,
       "The caller gives up after this long."),
  KEY_ENUM ("identity", ENUM, CloudRunSpecTraffic, identity, "none", 0,
            identity_choices,
            "`id-token` sends `Authorization: Bearer` with an ID token for "
            "the caller's identity (a service's or VM's service account, a "
            "client's `account`, by default `NAME@example.com`)."),
  KEY_DERIVED ("audience", AUDIENCE, CloudRunSpecTraffic, audience,
               "https://HOST of url",
               "`aud` claim of the ID token; only with `identity = "
               "id-token`. The service's two run.app URLs and its "
               "`custom-audiences` pass IAM, each with or without a final "
               "`/`; anything else gets 401."),
  KEY_ENUM ("token-header", ENUM, CloudRunSpecTraffic, token_header,
            "authorization", 0, token_header_choices,
            "Header the ID token travels in (identity = id-token): "
            "Authorization: Bearer, or X-Serverless-Authorization: Bearer, "
            "which Cloud Run's IAM check reads first and which leaves "
            "Authorization to the application."),
  KEY_ENUM ("connections", ENUM, CloudRunSpecTraffic, connections, "new", 0,
            connections_choices,
            "`new`: every request opens its own connection (TCP, and TLS "
            "for https) and closes it. `reuse`: HTTP keep-alive, as real "
            "clients pool connections: the request asks `Connection: "
            "keep-alive`, and the next request of the traffic from the same "
            "caller goes on a connection kept idle (no DNS query, no "
            "handshake); one request at a time a connection, a new one "
            "when none is idle, an idle one closed after 90 s. Not on a "
            "tcp:// traffic."),
  KEY_ENUM ("address-selection", ENUM, CloudRunSpecTraffic,
            address_selection, "getaddrinfo", 0,
            cloudrun_address_selection_words,
            "How a caller whose host has an IPv6 address (a Direct VPC "
            "instance on a dual-stack subnet, a VM or a client with an "
            "IPv6 address) goes through the name's "
            "addresses: it asks AAAA as well as A and orders the answers "
            "by RFC 6724's rules. `getaddrinfo` (glibc's built-in policy "
            "table): one address after another, the next when a connection "
            "is reset or gets no SYN-ACK. "
            "`happy-eyeballs` (RFC 8305): AAAA asked first, the families "
            "taking turns, a new attempt every 250 ms, the first to "
            "connect wins. A caller with IPv4 only asks A alone either "
            "way."),
};

static const CloudRunKey expect_keys[] = {
  KEY_WORDS ("outcome", ENUM, CloudRunSpecExpect, outcome, OPT,
             cloudrun_verdict_words, CLOUDRUN_VERDICT_DELIVERED,
             "What happens to every request (or to `ratio` of them)."),
  KEY_INT ("status", CloudRunSpecExpect, status, NULL, OPT, 100, 599,
           "HTTP status the caller got."),
  KEY_WORDS ("classified-as", ENUM, CloudRunSpecExpect, classified_as, OPT,
             cloudrun_class_words, CLOUDRUN_CLASS_INTERNAL,
             "How the GFE classified the request; a request that never "
             "reached the GFE is neither."),
  { .name = "drop-cause", .type = CLOUDRUN_KEY_ENUM, .flags = OPT,
    .offset = offsetof (CloudRunSpecExpect, drop_cause),
    .choices = cloudrun_drop_cause_words,
    .values = cloudrun_drop_cause_values,
    .help = "Connectivity Tests cause of the drop, or the simulator's own." },
  KEY_WORDS ("decided-at", ENUM, CloudRunSpecExpect, decided_at, OPT,
             cloudrun_hop_words, 0,
             "The kind of hop that decided the outcome."),
  KEY_WORDS ("via", ENUM_LIST, CloudRunSpecExpect, via, OPT,
             cloudrun_hop_words, 0,
             "Hop kinds the request passed, in this order; other hops may "
             "come between. Example: `direct-vpc;vpc-router;gfe`."),
  { .name = "ratio", .type = CLOUDRUN_KEY_FRACTION, .default_text = "1",
    .offset = offsetof (CloudRunSpecExpect, ratio),
    .help = "An item holds when at least this fraction of the traffic's "
            "requests meets it. Only together with `outcome` or "
            "`revision`." },
  KEY_REF ("revision", NAME, CloudRunSpecExpect, revision_name, revision,
           REVISION, NULL, OPT, NULL,
           "The `[revision NAME]` the GFE sent every request (or `ratio` of "
           "them) to: a revision of the service the traffic's URL names."),
  KEY ("latency-p50-below", TIME, CloudRunSpecExpect, latency_p50_below, NULL,
       OPT, "The median latency of the requests that got a response is below "
            "this."),
  KEY ("latency-p90-below", TIME, CloudRunSpecExpect, latency_p90_below, NULL,
       OPT, "The 90th percentile latency of the requests that got a response "
            "is below this."),
  KEY ("latency-p99-below", TIME, CloudRunSpecExpect, latency_p99_below, NULL,
       OPT, "The 99th percentile latency of the requests that got a response "
            "is below this."),
  KEY ("latency-p50-above", TIME, CloudRunSpecExpect, latency_p50_above, NULL,
       OPT, "Median latency floor: the median is at least this long (a "
       "delay the path must pay, such as a backbone crossing)."),
  KEY ("source-seen", ADDRESS_OR_CIDR, CloudRunSpecExpect, source_seen, NULL,
       OPT, "The IP source address (or one inside the range) the request's "
            "packets had when they reached their destination, a VM, a "
            "client or a managed instance: after Cloud NAT, a connector or "
            "Direct VPC. Every request that reached it must show it."),
  KEY ("host-seen", HOSTNAME, CloudRunSpecExpect, host_seen, NULL, OPT,
       "The Host header the destination's HTTP server (a Cloud Run "
       "container, a VM, a client) received. Every request that reached it "
       "must show it."),
};

/* ---- Kinds -------------------------------------------------------- */

#define KIND(NAME, ID, SINGLE, S, TABLE, LIST, SUMMARY)                    \
  { .name = NAME, .kind = CLOUDRUN_KIND_##ID, .singleton = SINGLE,         \
    .summary = SUMMARY, .size = sizeof (S), .keys = TABLE,                 \
    .n_keys = G_N_ELEMENTS (TABLE), .list_offset = LIST }
#define LIST(F) offsetof (CloudRunScenario, F)

static const CloudRunKindInfo kinds[CLOUDRUN_KIND_COUNT] = {
  KIND ("scenario", SCENARIO, TRUE, CloudRunScenario, scenario_keys, 0,
        "Format, title, seed and duration (required, once)."),
  KIND ("assumptions", ASSUMPTIONS, TRUE, CloudRunSpecAssumptions,
        assumptions_keys, 0,
        "Switches for behaviour the docs leave open (optional, once)."),
  KIND ("project", PROJECT, FALSE, CloudRunSpecProject, project_keys,
        LIST (projects), "A project: number and VPC-SC perimeter."),
  KIND ("perimeter", PERIMETER, FALSE, CloudRunSpecPerimeter, perimeter_keys,
        LIST (perimeters), "A VPC Service Controls perimeter: projects, "
        "restricted services, access levels."),
  KIND ("network", NETWORK, FALSE, CloudRunSpecNetwork, network_keys,
        LIST (networks), "A VPC network, or an on-premises site "
                         "(on-premises = true)."),
  KIND ("subnet", SUBNET, FALSE, CloudRunSpecSubnet, subnet_keys,
        LIST (subnets), "A subnet of a network in a region."),
  KIND ("route", ROUTE, FALSE, CloudRunSpecRoute, route_keys, LIST (routes),
        "A custom static route."),
  KIND ("peering", PEERING, FALSE, CloudRunSpecPeering, peering_keys,
        LIST (peerings), "One side of a VPC Network Peering."),
  KIND ("hybrid-link", HYBRID_LINK, FALSE, CloudRunSpecHybridLink,
        hybrid_link_keys, LIST (hybrid_links),
        "Cloud VPN or Cloud Interconnect to an on-premises site."),
  KIND ("private-services-access", PRIVATE_ACCESS, FALSE,
        CloudRunSpecPrivateAccess, private_access_keys,
        LIST (private_accesses), "The private connection (private services "
        "access) of a network to Google's managed service producers."),
  KIND ("managed-instance", MANAGED_INSTANCE, FALSE,
        CloudRunSpecManagedInstance, managed_instance_keys,
        LIST (managed_instances), "A Cloud SQL, Memorystore for Redis or "
        "AlloyDB instance at a private address."),
  KIND ("firewall", FIREWALL, FALSE, CloudRunSpecFirewall, firewall_keys,
        LIST (firewalls), "A VPC firewall rule, or a rule of a firewall "
                          "policy."),
  KIND ("firewall-policy", FIREWALL_POLICY, FALSE, CloudRunSpecFirewallPolicy,
        firewall_policy_keys, LIST (firewall_policies),
        "A hierarchical, global network or regional network firewall "
        "policy."),
  KIND ("nat", NAT, FALSE, CloudRunSpecNat, nat_keys, LIST (nats),
        "A Cloud NAT gateway."),
  KIND ("connector", CONNECTOR, FALSE, CloudRunSpecConnector, connector_keys,
        LIST (connectors), "A Serverless VPC Access connector."),
  KIND ("service", SERVICE, FALSE, CloudRunSpecService, service_keys,
        LIST (services), "A Cloud Run service."),
  KIND ("revision", REVISION, FALSE, CloudRunSpecRevision, revision_keys,
        LIST (revisions), "A revision of a service: its share of the "
                          "service's traffic and its tag."),
  KIND ("job", JOB, FALSE, CloudRunSpecWorker, job_keys, LIST (jobs),
        "A Cloud Run job: tasks that call services, no ingress."),
  KIND ("worker-pool", WORKER_POOL, FALSE, CloudRunSpecWorker,
        worker_pool_keys, LIST (worker_pools),
        "A Cloud Run worker pool: instances that call services, no "
        "ingress."),
  KIND ("vm", VM, FALSE, CloudRunSpecVm, vm_keys, LIST (vms),
        "A Compute Engine VM that calls and answers HTTP on port 80."),
  KIND ("client", CLIENT, FALSE, CloudRunSpecClient, client_keys,
        LIST (clients), "A host on the internet."),
  KIND ("google-caller", GOOGLE_CALLER, FALSE, CloudRunSpecGoogleCaller,
        google_caller_keys, LIST (google_callers),
        "A Google product calling services: Pub/Sub push, Cloud Tasks, "
        "Cloud Scheduler, Eventarc, Workflows, Dialogflow CX, BigQuery, a "
        "synthetic monitor or uptime check, or Firebase Hosting."),
  KIND ("dns-zone", DNS_ZONE, FALSE, CloudRunSpecDnsZone, dns_zone_keys,
        LIST (dns_zones), "A Cloud DNS zone with its records."),
  KIND ("dns-response-policy", DNS_RESPONSE_POLICY, FALSE,
        CloudRunSpecDnsResponsePolicy, dns_response_policy_keys,
        LIST (dns_response_policies), "A Cloud DNS response policy: rules "
        "that answer before the zones."),
  KIND ("psc-endpoint", PSC_ENDPOINT, FALSE, CloudRunSpecPscEndpoint,
        psc_endpoint_keys, LIST (psc_endpoints),
        "A Private Service Connect endpoint for Google APIs."),
  KIND ("internal-alb", INTERNAL_ALB, FALSE, CloudRunSpecInternalAlb,
        internal_alb_keys, LIST (internal_albs),
        "An internal Application Load Balancer in front of a service."),
  KIND ("external-alb", EXTERNAL_ALB, FALSE, CloudRunSpecExternalAlb,
        external_alb_keys, LIST (external_albs),
        "An external Application Load Balancer in front of a service."),
  KIND ("domain-mapping", DOMAIN_MAPPING, FALSE, CloudRunSpecDomainMapping,
        domain_mapping_keys, LIST (domain_mappings),
        "A Cloud Run domain mapping: a custom domain of a service."),
  KIND ("security-policy", SECURITY_POLICY, FALSE,
        CloudRunSpecSecurityPolicy, security_policy_keys,
        LIST (security_policies),
        "A Cloud Armor backend security policy: its default rule."),
  KIND ("security-rule", SECURITY_RULE, FALSE, CloudRunSpecSecurityRule,
        security_rule_keys, LIST (security_rules),
        "A rule of a Cloud Armor security policy."),
  KIND ("traffic", TRAFFIC, FALSE, CloudRunSpecTraffic, traffic_keys,
        LIST (traffics), "Synthetic requests from a caller to a URL."),
  KIND ("expect", EXPECT, FALSE, CloudRunSpecExpect, expect_keys,
        LIST (expects), "Pass/fail items for the traffic of the same NAME."),
  KIND ("secure-tag", SECURE_TAG, FALSE, CloudRunSpecSecureTag,
        secure_tag_keys, LIST (secure_tags),
        "A secure tag for firewall policy rules, for one network."),
  KIND ("dns-server-policy", DNS_SERVER_POLICY, FALSE,
        CloudRunSpecDnsServerPolicy, dns_server_policy_keys,
        LIST (dns_server_policies), "A Cloud DNS server policy: inbound "
        "forwarding, alternative name servers."),
};

/* Enum fields are written through int *. */
G_STATIC_ASSERT (sizeof (GfeIngress) == sizeof (int));
G_STATIC_ASSERT (sizeof (CloudRunHopKind) == sizeof (int));
G_STATIC_ASSERT (G_N_ELEMENTS (machine_choices) - 1
                 == CLOUDRUN_MACHINE_E2_STANDARD_4 + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (service_keys) <= 64);
G_STATIC_ASSERT (G_N_ELEMENTS (token_header_choices) - 1
                 == CLOUDRUN_TOKEN_HEADER_X_SERVERLESS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (alb_kind_choices) - 1
                 == CLOUDRUN_ALB_CLASSIC + 1);
G_STATIC_ASSERT (sizeof (CloudRunAlbKind) == sizeof (int));
G_STATIC_ASSERT (sizeof (VpcStackType) == sizeof (int));
G_STATIC_ASSERT (sizeof (VpcIpv6Access) == sizeof (int));
G_STATIC_ASSERT (G_N_ELEMENTS (run_external_ipv6_choices) - 1
                 == CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED + 1);

const CloudRunKindInfo *
cloudrun_kind_info (CloudRunKind kind)
{
  g_return_val_if_fail (kind < CLOUDRUN_KIND_COUNT, NULL);
  return &kinds[kind];
}

const CloudRunKindInfo *
cloudrun_kind_lookup (const char *name)
{
  for (int i = 0; i < CLOUDRUN_KIND_COUNT; i++)
    if (name != NULL && strcmp (kinds[i].name, name) == 0)
      return &kinds[i];
  return NULL;
}

const CloudRunKey *
cloudrun_kind_key (const CloudRunKindInfo *info, const char *key,
                   guint *index)
{
  for (guint i = 0; i < info->n_keys; i++)
    if (strcmp (info->keys[i].name, key) == 0)
      {
        if (index != NULL)
          *index = i;
        return &info->keys[i];
      }
  return NULL;
}
