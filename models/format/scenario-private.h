/* Internals shared by the scenario loader's files: models/format/keys.c
 * (messages, suggestions, documentation), models/format/key-values.c and
 * models/format/key-compound.c (value parsers), models/format/scenario-keys.c (the
 * tables), models/format/scenario-scan.c (raw text, GKeyFile, overrides, format),
 * models/format/scenario.c (objects, keys, defaults) and models/scenario-check*.c
 * (references and cross checks). Not for use outside those files (tests
 * excepted). */
#ifndef MODELS_SCENARIO_PRIVATE_H
#define MODELS_SCENARIO_PRIVATE_H

#include "models/format/scenario.h"

/* What went wrong with one value, before the file, group and key are
 * known. All strings owned; NULL when not given. */
typedef struct {
  char *expected;               /* "a time with a unit, such as 250ms" */
  char *found;                  /* "'250'" (quoted by the producer) */
  char *suggestion;             /* for "; did you mean 'Z'?" */
  char *hint;                   /* a last "; ..." sentence */
} CloudRunProblem;

void cloudrun_problem_clear (CloudRunProblem *problem);
/* Sets expected and found = quoted text; always returns FALSE. */
gboolean cloudrun_problem_set (CloudRunProblem *problem,
                               const char *expected, const char *text);

/* 'text' with quotes, non-printable bytes escaped, cut at 60 bytes. */
char *cloudrun_quote (const char *text);

/* Sets error to "FILE: [GROUP] KEY: expected X, found Y[; HINT][; did
 * you mean 'Z'?]"; group and key may be NULL. */
void cloudrun_fail (GError **error, CloudRunScenarioError code,
                    const char *file, const char *group, const char *key,
                    const CloudRunProblem *problem);
/* The same with literal expected and found (found used as is). */
void cloudrun_fail_literal (GError **error, CloudRunScenarioError code,
                            const char *file, const char *group,
                            const char *key, const char *expected,
                            const char *found, const char *suggestion);

/* Parses text (already stripped; for STRING already unescaped) into the
 * field of key in object, freeing what was there. FALSE with problem set
 * on a bad value. */
gboolean cloudrun_key_parse (const CloudRunKey *key, const char *text,
                             void *object, CloudRunProblem *problem);
/* Frees the field of key in object (and the resolved list at ref_offset
 * for NAME_LIST) and zeroes it. */
void cloudrun_key_clear (const CloudRunKey *key, void *object);
/* A short description of what key takes, for messages and `keys`. */
char *cloudrun_key_expected (const CloudRunKey *key);

/* The compound types (models/format/key-compound.c): CIDR, CIDR_LIST, DNS_NAME,
 * HOSTNAME, METHOD, RECORDS, URL, NEXT_HOP, PROTOCOLS,
 * ADDRESSES_OR_COUNT. Same contracts as the three above. */
gboolean cloudrun_key_compound_parse (const CloudRunKey *key,
                                      const char *text, void *object,
                                      CloudRunProblem *problem);
void cloudrun_key_compound_clear (const CloudRunKey *key, void *object);
char *cloudrun_key_compound_expected (CloudRunKeyType type);
/* One IPv4 CIDR ("10.0.0.1/24" gets a suggestion); problem's expected is
 * expected. */
gboolean cloudrun_parse_cidr (const char *text, const char *expected,
                              CloudRunSpecCidr *out,
                              CloudRunProblem *problem);

/* The IPv6 types (models/format/key-ipv6.c): IPV6, CIDR6, CIDR6_OR_AUTO,
 * CIDR_ANY, CIDR_LIST_ANY. Same contracts. */
gboolean cloudrun_key_ipv6_parse (const CloudRunKey *key, const char *text,
                                  void *object, CloudRunProblem *problem);
void cloudrun_key_ipv6_clear (const CloudRunKey *key, void *object);
char *cloudrun_key_ipv6_expected (CloudRunKeyType type);
gboolean cloudrun_key_ipv6_format (const CloudRunKey *key,
                                   const void *object, GString *out);

/* The identity types (models/format/key-identity.c): EMAIL, PRINCIPALS,
 * AUDIENCE. Same contracts. */
gboolean cloudrun_key_identity_parse (const CloudRunKey *key,
                                      const char *text, void *object,
                                      CloudRunProblem *problem);
void cloudrun_key_identity_clear (const CloudRunKey *key, void *object);
char *cloudrun_key_identity_expected (CloudRunKeyType type);

/* Name syntax of [KIND NAME]: [a-z][a-z0-9-]{0,62}. */
gboolean cloudrun_name_is_valid (const char *name);

/* Splits a list value on ';', strips items, drops a trailing empty item;
 * FALSE (problem set) on an empty item in the middle. */
gboolean cloudrun_split_list (const char *text, const char *expected,
                              char ***items, CloudRunProblem *problem);

/* A ';' list of words kept as written (a NULL-terminated char ** at key's
 * field), each item passed through check, which may rewrite it in place
 * (never longer); the first item check refuses is the problem's found. */
gboolean cloudrun_parse_checked_list (const CloudRunKey *key, const char *text,
                                      void *object, CloudRunProblem *problem,
                                      gboolean (*check) (char *item));

/* Parses one item of a list into out (an element of the list's array);
 * on failure sets problem (found: the item) and returns FALSE. */
typedef gboolean (*CloudRunItemParser) (const char *item, void *out,
                                        const CloudRunKey *key,
                                        const char *expected,
                                        CloudRunProblem *problem);

/* A ';' list (cloudrun_split_list) parsed item by item into a new GArray
 * of elements of size bytes (clear: the array's clear function, or NULL);
 * NULL with problem set on the first bad item. */
GArray *cloudrun_parse_list (const char *text, const CloudRunKey *key,
                             guint size, CloudRunItemParser parse,
                             GDestroyNotify clear, CloudRunProblem *problem);

/* Where a message for object/key points: the file, "FILE (--set)" for a
 * value given by an override, or "FILE (--unset)" for a key an unset
 * removed. Filled by models/format/scenario-scan.c. */
typedef struct {
  const char *path;             /* file name for messages */
  char *set_label;              /* "PATH (--set)" */
  char *unset_label;            /* "PATH (--unset)" */
  GHashTable *overridden;       /* "GROUP\nKEY" of values from --set */
  GHashTable *unset;            /* "GROUP\nKEY" of keys --unset removed */
} CloudRunLoadContext;

const char *cloudrun_load_file_label (const CloudRunLoadContext *ctx,
                                      const CloudRunSpecObject *object,
                                      const char *key);

/* The raw text of a scenario (models/format/scenario-scan.c). */
typedef struct {
  char *name;                   /* key as written */
  guint line;                   /* line in the file; 0 if only from --set */
} CloudRunScanKey;

typedef struct {
  char *header;                 /* text between the brackets */
  guint line;                   /* line of the header; 0 if from --set */
  GPtrArray *keys;              /* CloudRunScanKey *, file order */
  GHashTable *index;            /* name -> CloudRunScanKey * (not owning) */
  CloudRunSpecObject *object;   /* made in step 4 */
} CloudRunScanGroup;

typedef struct {
  const char *path;             /* for messages */
  GPtrArray *groups;            /* CloudRunScanGroup *, file order */
  GHashTable *by_header;        /* header -> CloudRunScanGroup *, not
                                   owning */
  GKeyFile *key_file;           /* the parsed text plus overrides */
  CloudRunLoadContext ctx;      /* message labels for steps 4-6 */
} CloudRunLoader;

void cloudrun_loader_init (CloudRunLoader *loader, const char *path);
void cloudrun_loader_clear (CloudRunLoader *loader);
/* Steps 1-3 of the load: scan, GKeyFile, unsets then overrides, format.
 * unsets: "GROUP.KEY" as given to --unset (NULL-terminated, may be NULL). */
gboolean cloudrun_loader_read (CloudRunLoader *loader, const char *data,
                               gsize len, const char *const *overrides,
                               const char *const *unsets, GError **error);

/* Resolves references, fills derived defaults and runs the cross checks
 * of models/format/scenario-check.c. */
gboolean cloudrun_scenario_check (CloudRunScenario *scenario,
                                  const CloudRunLoadContext *ctx,
                                  GError **error);

/* State of one run of the checks (models/scenario-check*.c). */
typedef struct {
  CloudRunScenario *s;          /* being checked */
  const CloudRunLoadContext *ctx; /* message labels */
  GError **error;               /* where the first problem goes */
} CloudRunCheck;

/* Sets the error "FILE: [GROUP] KEY: expected ..., found ..." for o and
 * key (found used as is); returns FALSE. */
gboolean cloudrun_check_fail (CloudRunCheck *check, CloudRunScenarioError code,
                              const CloudRunSpecObject *o, const char *key,
                              const char *expected, const char *found,
                              const char *suggestion, const char *hint);
/* "expected the name of a [KIND NAME] group, found 'name'; did you mean";
 * returns FALSE. */
gboolean cloudrun_check_fail_ref (CloudRunCheck *check,
                                  const CloudRunSpecObject *o, const char *key,
                                  CloudRunKind kind, const char *name);
/* NAMEs of the objects of kind, NULL-terminated; free the array only. */
const char **cloudrun_check_names (const CloudRunScenario *s,
                                   CloudRunKind kind);
/* Whether rule (an object of list, whose fields at policy_off and
 * priority_off are its policy pointer and int64 priority) has a priority
 * no earlier rule of the same policy has; the error names that rule. */
gboolean cloudrun_check_unique_priority (CloudRunCheck *check,
                                         const GPtrArray *list,
                                         const CloudRunSpecObject *rule,
                                         gsize policy_off, gsize priority_off);
/* "10.0.0.0/24", newly allocated. */
char *cloudrun_cidr_text (const CloudRunSpecCidr *cidr);
/* "fd20:0:1::/64", newly allocated; whether two IPv6 ranges overlap. */
char *cloudrun_cidr6_text (const CloudRunSpecCidr6 *cidr);
gboolean cloudrun_cidr6_overlap (const CloudRunSpecCidr6 *a,
                                 const CloudRunSpecCidr6 *b);
gboolean cloudrun_cidr_overlap (const CloudRunSpecCidr *a,
                                const CloudRunSpecCidr *b);
/* Whether project may attach to network: its own or shared with it. */
gboolean cloudrun_network_usable_by (const CloudRunSpecNetwork *network,
                                     const CloudRunSpecProject *project);
/* PROJECTNUMBER-compute@developer.gserviceaccount.com, newly allocated:
 * the default identity of the project's services and VMs. */
char *cloudrun_default_service_account (const CloudRunSpecProject *project);
/* VPC Service Controls (models/format/scenario-check-perimeter.c):
 * perimeter membership, the perimeter key, access levels. */
gboolean cloudrun_check_perimeters (CloudRunCheck *check);
/* Cloud VPN and Interconnect, on-premises sites
 * (models/format/scenario-check-hybrid.c). */
gboolean cloudrun_check_hybrid (CloudRunCheck *check);
/* IPv6 ranges of networks and subnets, IPv6 routes and VMs' IPv6
 * addresses (models/format/scenario-check-ipv6.c); and the warning of a
 * Cloud Run workload on an external-IPv6 subnet. */
gboolean cloudrun_check_ipv6 (CloudRunCheck *check);
void cloudrun_ipv6_warnings (const CloudRunScenario *s, GPtrArray *out);
/* [traffic] address-selection written for a caller with IPv4 only
 * (models/format/scenario-check-traffic.c). */
void cloudrun_traffic_warnings (const CloudRunScenario *s, GPtrArray *out);
/* Private services access and managed instances
 * (models/format/scenario-check-managed.c). */
gboolean cloudrun_check_managed (CloudRunCheck *check);
/* Revisions, traffic splits and tags
 * (models/format/scenario-check-revisions.c). */
gboolean cloudrun_check_revisions (CloudRunCheck *check);
/* VPC Network Peering (models/format/scenario-check-peering.c). */
gboolean cloudrun_check_peerings (CloudRunCheck *check);
/* models/format/scenario-check-iap.c */
gboolean cloudrun_check_iap (CloudRunCheck *check);
void cloudrun_iap_warnings (const CloudRunScenario *s, GPtrArray *out);
/* The first pair of overlapping subnets of networks a and b, through *x
 * (a's) and *y (b's); FALSE when none overlap. */
gboolean cloudrun_subnets_overlap (const CloudRunSpecNetwork *a,
                                   const CloudRunSpecNetwork *b,
                                   const CloudRunSpecSubnet **x,
                                   const CloudRunSpecSubnet **y);
void cloudrun_peering_warnings (const CloudRunScenario *s, GPtrArray *out);
/* Firewall rules and network tags (models/format/scenario-check-firewall.c):
 * Google's refusals, the default of ranges. */
gboolean cloudrun_check_firewalls (CloudRunCheck *check);
/* models/format/scenario-check-secure-tags.c: a rule's secure tags (policy
 * rules only, sources on ingress only, of the policy's networks), and
 * the tags bound to VMs (of the VM's network) and services (refused). */
gboolean cloudrun_check_rule_secure_tags (CloudRunCheck *check,
                                          CloudRunSpecFirewall *fw);
gboolean cloudrun_check_secure_tag_bindings (CloudRunCheck *check);
/* Warnings for fw's secure tags that no VM it could see is bound to. */
void cloudrun_secure_tag_warnings (const CloudRunScenario *s,
                                   const CloudRunSpecFirewall *fw,
                                   GPtrArray *out);
/* Appends a warning per firewall tag or service account that nothing in
 * the rule's network has. */
void cloudrun_firewall_warnings (const CloudRunScenario *s, GPtrArray *out);
/* Domain mappings (models/format/scenario-check-domain.c): Google's
 * names, one mapping per domain, no load balancer's hostname. */
gboolean cloudrun_check_domain_mappings (CloudRunCheck *check);
/* Appends a warning per mapping of a service in a region without domain
 * mappings. */
void cloudrun_domain_mapping_warnings (const CloudRunScenario *s,
                                       GPtrArray *out);
/* Cloud Armor security policies and rules
 * (models/format/scenario-check-armor.c). */
gboolean cloudrun_check_security_policies (CloudRunCheck *check);
/* Appends a warning per security policy no external ALB uses. */
void cloudrun_security_policy_warnings (const CloudRunScenario *s,
                                        GPtrArray *out);
/* Part 2 (models/format/scenario-check-traffic.c): addresses, DNS zones, load
 * balancers, traffic and expectations. */
gboolean cloudrun_check_traffic_part (CloudRunCheck *check);
/* Part 3 (models/format/scenario-check-address.c): written addresses
 * (Google's refused, each written once), then default client addresses. */
gboolean cloudrun_check_addresses (CloudRunCheck *check);
/* [client] ipv6-address (scenario-check-client6.c). */
gboolean cloudrun_check_client_addresses6 (CloudRunCheck *check);
/* Part 4 (models/format/scenario-check-names.c): a [vm], [client] or
 * [google-caller] NAME is no node name the simulator makes, and no other
 * caller's. */
gboolean cloudrun_check_caller_names (CloudRunCheck *check);
/* Part 5 (models/format/scenario-check-dns.c): DNS zones, peering zones
 * and response policies. */
gboolean cloudrun_check_dns (CloudRunCheck *check);
/* Whether a client, NAT or external ALB writes addr or an A record holds
 * it: what a VM's default address avoids beyond its own network's. */
gboolean cloudrun_check_address_reserved (const CloudRunScenario *scenario,
                                          uint32_t addr);

/* Frees what the check added beyond the key fields (service hosts,
 * network subnet lists, URL targets). */
void cloudrun_object_clear_derived (CloudRunSpecObject *object);

/* The field a key table row describes in object. */
#define FIELD(type, object, key) \
  ((type *) G_STRUCT_MEMBER_P ((object), (key)->offset))

#endif
