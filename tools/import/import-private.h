/* What the files of tools/import/ share: where a value was read (for
 * messages), JSON getters that name the path on error, and the neutral
 * model of the resources read. */
#ifndef TOOLS_IMPORT_PRIVATE_H
#define TOOLS_IMPORT_PRIVATE_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tools/import/import.h"

/* ---- Where a value comes from ---------------------------------------- */

typedef struct ImportModel ImportModel;

/* One JSON document being read: the file, its line (NDJSON; 0 for a
 * whole-file document), and the JSON path of the object being mapped
 * ("$.resource.data", "$.items[3]"). The first error is kept. */
typedef struct {
  const char *file;
  guint line;
  char *base;                   /* owned */
  const char *origin;           /* the resource's own name, for comments */
  ImportModel *model;
  GError **error;
} ImportSrc;

/* Sets the error "FILE[:LINE]: BASE.REL: MESSAGE" unless one is set;
 * returns FALSE. */
gboolean import_fail (ImportSrc *s, const char *rel, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
gboolean import_failed (const ImportSrc *s);
/* The JSON path BASE.REL (newly allocated). */
char *import_path (const ImportSrc *s, const char *rel);

/* The node at rel below root: rel is dot-separated member names, each
 * with optional [N] indices ("template.vpcAccess.networkInterfaces[0]");
 * NULL when absent or null; an error when an intermediate value is not an
 * object or array. */
JsonNode *import_at (ImportSrc *s, JsonNode *root, const char *rel);
/* Typed getters: NULL / dflt when absent; an error (and NULL / dflt)
 * when present with another type. */
const char *import_str (ImportSrc *s, JsonNode *root, const char *rel);
JsonObject *import_obj (ImportSrc *s, JsonNode *root, const char *rel);
JsonArray *import_arr (ImportSrc *s, JsonNode *root, const char *rel);
/* true/false, or "true"/"false" as text; -1 when absent. */
int import_bool (ImportSrc *s, JsonNode *root, const char *rel);
/* A whole number, or the same as text (int64 in REST JSON); -1 when
 * absent; an error when negative or above max. */
gint64 import_int (ImportSrc *s, JsonNode *root, const char *rel,
                   gint64 max);
/* The strings of an array (NULL when absent; an error for a non-string
 * element), newly allocated. */
GPtrArray *import_strs (ImportSrc *s, JsonNode *root, const char *rel);

/* ---- Values checked as the scenario format takes them ----------------- */

gboolean import_is_cidr (const char *text);
gboolean import_is_ipv4 (const char *text);
/* Letters, digits and "-" only (regions, zones). */
gboolean import_is_word (const char *text);
/* Printable, no space, ';', '#' or quote (emails, audiences, DNS data). */
gboolean import_is_token (const char *text);
/* A zone's region: "us-central1-a" -> "us-central1" (newly allocated). */
char *import_zone_region (const char *zone);

/* The principal written for "nobody may invoke" (the format needs one;
 * .invalid is a reserved name, RFC 2606). */
#define IMPORT_NOBODY "nobody@invoker.invalid"

/* ---- The model -------------------------------------------------------- */

typedef enum {
  IMPORT_PROJECT,
  IMPORT_NETWORK,
  IMPORT_SUBNET,
  IMPORT_ROUTE,
  IMPORT_FIREWALL,
  IMPORT_ROUTER,
  IMPORT_NAT,
  IMPORT_CONNECTOR,
  IMPORT_SERVICE,
  IMPORT_JOB,                   /* a Cloud Run job */
  IMPORT_WORKER_POOL,           /* a Cloud Run worker pool */
  IMPORT_VM,
  IMPORT_ZONE,
  IMPORT_RECORD,
  IMPORT_ADDRESS,
  IMPORT_PSC,
  IMPORT_IAM,
  IMPORT_XPN,                   /* a Shared VPC service project */
  IMPORT_LB,                    /* a forwarding rule to a target proxy */
  IMPORT_PROXY,                 /* a target HTTP(S) proxy */
  IMPORT_URL_MAP,
  IMPORT_BACKEND,               /* a backend service */
  IMPORT_NEG,                   /* a serverless network endpoint group */
  IMPORT_PERIMETER,             /* a VPC Service Controls perimeter */
  IMPORT_ACCESS_LEVEL,
  IMPORT_POLICY,                /* a firewall policy */
  IMPORT_ASSOCIATION,           /* a firewall policy's association */
  IMPORT_DOMAIN,                /* a Cloud Run domain mapping: name the
                                   domain, target the service */
  IMPORT_ARMOR,                 /* a Cloud Armor security policy */
  IMPORT_ARMOR_RULE,            /* one of its rules */
  IMPORT_DNS_POLICY,            /* a Cloud DNS server policy */
  IMPORT_PEERING,               /* one side of a VPC Network Peering:
                                   network, target the peer network,
                                   display its name, name NETWORK/NAME;
                                   type "servicenetworking" for private
                                   services access's, "routes" for a
                                   Terraform routes config */
  IMPORT_PSA,                   /* a private services access connection:
                                   network, members its reserved ranges'
                                   names (NULL: every VPC_PEERING range
                                   of the network) */
  IMPORT_MANAGED,               /* a Cloud SQL, Memorystore or AlloyDB
                                   instance: type its product, range its
                                   address, network its private network
                                   (AlloyDB: target its cluster), ranges
                                   its authorized networks */
  IMPORT_CLUSTER,               /* an AlloyDB cluster: its network */
  IMPORT_N_KINDS
} ImportKind;

/* A reference to another resource as written: a URL, a relative path
 * ("projects/P/regions/R/subnetworks/S") or a bare name. */
typedef struct {
  char *project, *region, *name;
  char *text;
} ImportRef;

typedef struct ImportRes ImportRes;
struct ImportRes {
  ImportKind kind;
  char *project, *region, *name;  /* identity; project, region may be NULL */
  char *origin;                 /* "FILE:LINE NAME", for the comment */
  char *group;                  /* the scenario NAME, when emitted */
  gboolean skip;                /* not emitted (said in not_modelled) */
  gboolean disabled;            /* a firewall rule not enforced */

  ImportRef *network, *subnet, *connector, *target; /* may be NULL */
  GPtrArray *refs;              /* ImportRef*: zone networks, NAT subnets */

  char *range;                  /* subnet, connector range; route and
                                   firewall... destination; PSC, VM,
                                   address: the address */
  char *purpose;                /* subnet: proxy-only; address: text */
  char *next_hop;               /* route */
  char *direction, *action;     /* firewall */
  char *ingress, *egress, *vpc_access; /* service */
  char *service_account, *machine_type;
  char *dns_name, *visibility, *bundle, *type;
  GPtrArray *ranges, *protocols, *audiences, *members, *shared_with;
  GPtrArray *tags;              /* VM, service: network tags; firewall:
                                   target tags */
  GPtrArray *target_sas, *source_tags, *source_sas; /* firewall */
  char *display;                /* the group's name, when not name's (a
                                   policy's short name; its unnamed rules'
                                   SHORTNAME-PRIORITY) */
  char *order;                  /* network: policy enforcement order */
  gint64 priority, min_instances, max_instances, concurrency;
  gint64 tasks, parallelism;    /* job: task count and parallelism; worker
                                   pool: tasks is its instance count */
  gint64 min_ports, tcp_time_wait, n_addresses;
  int pga, default_url, external_ip, default_route, invoker_iam_disabled;
  int iap;                      /* service: iapEnabled (1), -1 unknown */
  int global_access;            /* internal ALB: allowGlobalAccess */
  int public_dns;               /* domain mapping: 0 when a public zone of
                                   the input holds the domain's records */
  /* A firewall policy: type hierarchical, network or regional (with its
   * region); refs its networks;
   * default_route 1 when associated with the organization, members its
   * folders, visibility "folder" and shared_with the projects under them
   * when only folders; a rule's type "unnamed" (no ruleName). */
  char *scheme;                 /* load balancer: loadBalancingScheme */
  ImportRes *backend;           /* load balancer: the service, resolved */
  /* Cloud Armor: a backend service's policy (armor_ref), the external
   * ALB's once resolved (armor); a policy's default action is action, a
   * rule's policy target, its source ranges ranges, and: */
  ImportRef *armor_ref;
  ImportRes *armor;
  GPtrArray *codes;             /* rule: region codes */
  char *header;                 /* rule: NAME or NAME:VALUE */
  GPtrArray *forward;           /* zone: a forwarding zone's target
                                   addresses (char*), or NULL; DNS
                                   policy: its alternative name servers */
  int inbound;                  /* DNS policy: enableInboundForwarding
                                   (1), -1 unknown */
  int export_routes, import_routes; /* peering: custom routes, -1 unsaid */
  gint64 prefix_len;            /* address: prefixLength, -1 unsaid */
};

struct ImportModel {
  GPtrArray *res;               /* ImportRes*, in reading order */
  GPtrArray *not_modelled;      /* char*: what matters and is not modelled */
  GHashTable *numbers;          /* project number -> project id */
  GHashTable *unknown;          /* resource type -> count, not modelled */
  guint n_read;                 /* resources read, modelled or not */
  gboolean has_iam;             /* some Cloud Run IAM policy was read */
  GHashTable *ancestors;        /* project id -> its CAI ancestors,
                                   "folders/1;organizations/2" */
};

ImportRes *import_res_new (ImportSrc *s, ImportKind kind,
                           const char *project, const char *region,
                           const char *name);
ImportRef *import_ref_new (const char *text, const char *project,
                           const char *region);
void import_ref_free (ImportRef *ref);
/* Says that what (a resource type or field) of the resource being read is
 * not modelled: one line in the model's list, "ORIGIN: WHAT". */
void import_not_modelled (ImportSrc *s, const char *format, ...)
  G_GNUC_PRINTF (2, 3);
/* Records that project id has number (either may be NULL). */
void import_project_number (ImportModel *m, const char *id,
                            const char *number);

/* ---- The readers -------------------------------------------------------- */

/* REST resource shapes (CAI's resource.data, gcloud --format=json): one
 * object of the type named by type ("compute#subnetwork" kinds or CAI
 * asset types, normalised by the callers to a short name such as
 * "subnetwork"). FALSE on error; an unknown type is listed as not
 * modelled. */
gboolean import_rest (ImportSrc *s, const char *type, JsonNode *data,
                      const char *project, const char *region);
/* An IAM policy ({bindings: [{role, members}]}) of the resource named
 * resource (a full or relative name). */
gboolean import_rest_iam (ImportSrc *s, const char *resource,
                          JsonNode *policy);
/* The REST type of a gcloud object, from its kind, selfLink or fields,
 * or NULL. */
const char *import_rest_guess (JsonNode *node);
/* A CAI asset type ("compute.googleapis.com/Subnetwork") as a REST type,
 * or NULL. */
const char *import_rest_asset_type (const char *asset_type);

gboolean import_cai_line (ImportSrc *s, JsonNode *line);
gboolean import_terraform (ImportSrc *s, JsonNode *root);
gboolean import_gcloud (ImportSrc *s, JsonNode *root);

/* Reads one file into the model: detects its kind and parses it. */
gboolean import_detect_file (ImportModel *m, const char *path,
                             GError **error);

/* Resolves references, names the groups and writes the scenario. */
gboolean import_emit (ImportModel *m, const char *const *paths, guint n,
                      GString *out, GError **error);

#endif

/* ---- Mappings shared by the readers (mapping.c) ----------------------- */

/* Each sets the field of r from the value read at rel, or fails naming
 * rel and the values it expects. */
gboolean import_set_ingress (ImportSrc *s, const char *rel, const char *v,
                             ImportRes *r);
gboolean import_set_egress (ImportSrc *s, const char *rel, const char *v,
                            ImportRes *r);
/* A network's networkFirewallPolicyEnforcementOrder into r->order. */
gboolean import_set_order (ImportSrc *s, const char *rel, const char *v,
                           ImportRes *r);
/* A CIDR (the scenario takes IPv4 only: an IPv6 range is not modelled
 * and FALSE is returned without an error). */
gboolean import_set_cidr (ImportSrc *s, const char *rel, const char *v,
                          char **field);
gboolean import_set_ipv4 (ImportSrc *s, const char *rel, const char *v,
                          char **field);
/* A forwarding zone's target at rel: its IPv4 address v appended to
 * targets; an IPv6 target (v NULL) is said to be not modelled. FALSE on
 * a bad address. */
gboolean import_forward_target (ImportSrc *s, const char *rel,
                                const char *v, GPtrArray *targets);
gboolean import_set_token (ImportSrc *s, const char *rel, const char *v,
                           char **field);
/* The rules of a firewall's allowed/denied list (array at rel, entries
 * {proto_key, ports}) into r->protocols. */
gboolean import_set_protocols (ImportSrc *s, JsonNode *root, const char *rel,
                               const char *proto_key, ImportRes *r);
/* A rule's direction from INGRESS (or none) or EGRESS into r; an import
 * error naming the field otherwise (firewall.c). */
gboolean import_set_direction (ImportSrc *s, const char *dir, ImportRes *r);
/* A VPC firewall rule's fields but its name and network (firewall.c;
 * REST field names, or Terraform's when tf). */
gboolean import_firewall_rule (ImportSrc *s, JsonNode *d, gboolean tf,
                               ImportRes *r);
/* The IPv4 ranges at rkey into r->ranges (IPv6 ones said as not
 * modelled); returns how many ranges the input has. */
guint import_rule_ranges (ImportSrc *s, JsonNode *d, const char *rkey,
                          ImportRes *r);
/* The network tags, or service account emails (lower-cased), of the
 * array at rel into *field (left NULL when absent or empty); an error
 * names the element that is not one. */
gboolean import_set_tags (ImportSrc *s, JsonNode *root, const char *rel,
                          GPtrArray **field);
gboolean import_set_emails (ImportSrc *s, JsonNode *root, const char *rel,
                            GPtrArray **field);
/* Members of roles/run.invoker into r->members (others not modelled). */
gboolean import_add_members (ImportSrc *s, const char *rel, GPtrArray *members,
                             ImportRes *r);
/* A Direct VPC interface {network, subnetwork} into r. */
void import_set_interface (ImportRes *r, const char *network,
                           const char *subnetwork);
/* The project of a resource: the segment after "projects/" of name. */
char *import_name_project (const char *name);

/* A member of an object whose key holds dots ("run.googleapis.com/
 * ingress"), as a string; the path is written REL["KEY"]. */
const char *import_member_str (ImportSrc *s, JsonObject *o, const char *rel,
                               const char *key);
/* Counts a resource of a type no reader maps (listed as not modelled). */
void import_unknown_type (ImportModel *m, const char *type);
/* JSON text at most IMPORT_MAX_DEPTH deep (detect.c). */
gboolean import_depth_ok (const char *text, gsize len, guint *line);
/* A record set (keys: its name, type and rrdatas members) of zone (may be
 * NULL: the zone whose name is its longest suffix). */
gboolean import_rrset (ImportSrc *s, JsonNode *d, const char *project,
                       const char *zone, const char *const keys[3]);
/* Knative (v1) services (knative.c): a run.googleapis.com annotation as
 * a whole number ("5"), or -1; and every annotation the simulator models,
 * from the service's (ann, at path sa) and its template's (tann, ta). */
gint64 import_annotation_int (ImportSrc *s, JsonObject *o, const char *rel,
                              const char *key);
gboolean import_knative_annotations (ImportSrc *s, JsonObject *ann,
                                     const char *sa, JsonObject *tann,
                                     const char *ta, ImportRes *r);
/* Load balancers (lb.c): a forwarding rule to a proxy (REST field names
 * when tf is FALSE, Terraform's otherwise), proxies, URL maps, backend
 * services and serverless NEGs; each reads the names it refers to with
 * get (the value at a key, or through Terraform's references). */
typedef const char *(*ImportGet) (gpointer user, const char *rel);
gboolean import_lb_rule (ImportSrc *s, JsonNode *d, const char *project,
                         const char *name, gboolean tf, ImportGet get,
                         gpointer user);
gboolean import_lb_part (ImportSrc *s, ImportKind kind, JsonNode *d,
                         const char *project, const char *name, gboolean tf,
                         ImportGet get, gpointer user);
/* Firewall policies (policy.c): a REST policy with its rules and
 * associations; a Terraform policy, network policy, rule or association
 * (what: "policy", "network-policy", "rule", "association"), names read
 * with get. */
gboolean import_rest_policy (ImportSrc *s, JsonNode *d, const char *project);
gboolean import_tf_policy (ImportSrc *s, JsonNode *d, const char *what,
                           const char *name, ImportGet get, gpointer user);
/* Cloud Armor (armor.c): a security policy and its rules, REST field
 * names, or Terraform's when tf. */
gboolean import_armor (ImportSrc *s, JsonNode *d, const char *project,
                       const char *name, gboolean tf);
/* VPC Network Peering, private services access and managed instances
 * (managed.c): a REST network's peerings[]; REST objects of type
 * "service-connection", "sql-instance", "redis-instance",
 * "redis-cluster", "alloydb-instance", "alloydb-cluster"; Terraform
 * resources of type (google_compute_network_peering...), names read
 * with get. FALSE after an error; FALSE from import_tf_managed without
 * an error: not a type it reads. */
gboolean import_peerings (ImportSrc *s, JsonNode *d, ImportRes *network);
gboolean import_rest_managed (ImportSrc *s, const char *type, JsonNode *d,
                              const char *project, const char *region);
gboolean import_tf_managed (ImportSrc *s, const char *type, JsonNode *d,
                            const char *name, ImportGet get, gpointer user,
                            gboolean *done);
/* VPC Service Controls (access.c): a service perimeter or an access
 * level, in REST (camelCase) or CAI export (snake_case) spelling, or
 * Terraform's (tf). */
gboolean import_perimeter (ImportSrc *s, JsonNode *d, gboolean tf);
gboolean import_access_level (ImportSrc *s, JsonNode *d, gboolean tf);
