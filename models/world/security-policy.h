/* Cloud Armor backend security policies, as the external Application Load
 * Balancer enforces them at Google's edge before a request goes on to the
 * serverless NEG (so before Cloud Run's ingress and IAM checks): a list of
 * rules, each with a priority (lower first, unique in the policy), a
 * match condition and an action (allow, or deny with 403, 404 or 502),
 * and the default rule at the lowest priority that matches everything.
 * The first rule that matches decides; the rules after it are not read.
 *
 * A rule's condition is the conjunction of what it writes, a small subset
 * of Google's basic and advanced match conditions:
 *   source ranges   origin.ip inside one of them (--src-ip-ranges)
 *   region codes    origin.region_code is one of them (ISO 3166-1 alpha-2)
 *   header          request.headers['name'] present, or equal to a value
 * The source is the TCP peer the proxy saw; the region code is that
 * address's geolocation (the load balancer's table, CloudRunGeoRange; an
 * address it does not hold has none and matches no region code); the
 * headers are the request head as it arrived.
 * https://cloud.google.com/armor/docs/security-policy-overview,
 * https://cloud.google.com/armor/docs/rules-language-reference,
 * https://cloud.google.com/armor/docs/configure-security-policies
 * Scenario keys read (through models/assemble/): [security-policy]
 * default-action, [security-rule] policy, priority, action, source-ranges,
 * region-codes, header; [client] country; [external-alb] security-policy.
 *
 * Evaluation is a pure function of the policy and what arrived; it
 * allocates nothing. */
#ifndef CLOUDRUN_SECURITY_POLICY_H
#define CLOUDRUN_SECURITY_POLICY_H

#include "models/world/config.h"
#include "sim/explain.h"

/* Where an address is: the geolocation Cloud Armor reads as
 * origin.region_code. */
typedef struct {
  VpcCidr range;
  const char *region_code;      /* two upper-case letters, "FR" */
} CloudRunGeoRange;

/* One rule, as configured (copied by cloudrun_security_policy_new). */
typedef struct {
  const char *name;             /* [security-rule NAME] */
  uint32_t priority;            /* 0..2147483646; unique in the policy */
  ArmorAction action;
  const VpcCidr *ranges;        /* source ranges; n_ranges 0: none */
  guint n_ranges;
  const char *const *region_codes; /* NULL-terminated; NULL: none */
  const char *header;           /* "name" (present) or "name:value"
                                   (equal); NULL: none */
} CloudRunSecurityRuleConfig;

typedef struct {
  const char *name;             /* [security-policy NAME] */
  ArmorAction default_action;   /* the default rule's */
  const CloudRunSecurityRuleConfig *rules; /* any order */
  guint n_rules;
} CloudRunSecurityPolicyConfig;

/* A rule, owned by its policy. */
typedef struct {
  char *name;
  uint32_t priority;
  ArmorAction action;
  GArray *ranges;               /* VpcCidr */
  char **region_codes;          /* NULL-terminated; NULL: none */
  char *header_name;            /* lower case; NULL: no header condition */
  char *header_value;           /* NULL: the field need only be present */
} CloudRunSecurityRule;

typedef struct {
  char *name;
  ArmorAction default_action;
  GArray *rules;                /* CloudRunSecurityRule, by priority */
} CloudRunSecurityPolicy;

/* What the policy does with one request. */
typedef struct {
  const CloudRunSecurityRule *rule; /* the matching rule; NULL: the
                                   default rule */
  ArmorAction action;
  int status;                   /* 0 allow; else the deny status */
  int range;                    /* index of the source range that matched,
                                   -1 when the rule has none */
} CloudRunSecurityVerdict;

/* The priority Google gives the default rule. */
#define CLOUDRUN_SECURITY_DEFAULT_PRIORITY 2147483647u

CloudRunSecurityPolicy *cloudrun_security_policy_new (
  const CloudRunSecurityPolicyConfig *config);
void cloudrun_security_policy_free (CloudRunSecurityPolicy *policy);

/* The HTTP status of action: 0 for allow, 403, 404 or 502. */
int cloudrun_security_action_status (ArmorAction action);
/* The region code geolocation gives addr, or NULL when it has none. */
const char *cloudrun_geo_region_code (const CloudRunGeoRange *geo, guint n,
                                      uint32_t addr);
/* Decides a request from source src (the TCP peer), its region code (may
 * be NULL) and its head head[0, len). */
void cloudrun_security_policy_evaluate (const CloudRunSecurityPolicy *policy,
                                        uint32_t src, const char *region_code,
                                        const uint8_t *head, size_t len,
                                        CloudRunSecurityVerdict *out);
/* "security policy P: rule R (priority N) matched ...: deny-403", or the
 * default rule's; interned in log. */
const char *cloudrun_security_verdict_text (
  const CloudRunSecurityPolicy *policy, const CloudRunSecurityVerdict *v,
  uint32_t src, const char *region_code, SimExplainLog *log);

#endif
