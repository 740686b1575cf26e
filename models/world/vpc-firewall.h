/* A VPC network's firewall rules as Google Cloud evaluates them
 * (https://cloud.google.com/firewall/docs/firewalls): per direction, the
 * rules that apply to the instance concerned (their targets: every
 * instance, or those with one of the target network tags, or VMs running
 * as one of the target service accounts) and match the packet's protocol
 * and port and the other end (egress: the destination ranges; ingress:
 * the source ranges, or a source instance of the network with one of the
 * source tags or running as one of the source service accounts) decide:
 * the lowest priority number first, deny before allow at equal priority;
 * when none matches, the implied rules allow egress and deny ingress.
 *
 * Firewall policies come in stages around the network's own rules: an
 * organization's hierarchical policy, a folder's, then the network
 * policies and the VPC firewall rules in the order the network sets
 * (after the VPC's rules by default); a matching allow or deny decides,
 * goto-next (and no match) hands the packet to the next stage
 * (firewall/docs/firewall-policies-overview, rule evaluation order).
 * A regional network policy's rules come right after the global network
 * policies' and apply to instances in the policy's region only; rules of
 * policies may select VMs by secure tag, as targets and, on ingress, as
 * sources (firewall/docs/firewall-policies-rule-eval-order,
 * firewall/docs/regional-firewall-policies,
 * firewall/docs/tags-firewalls-overview).
 *
 * Serverless VPC Access adds a hidden ingress rule to a network with a
 * connector: allow tcp, udp and icmp from source tag vpc-connector at
 * priority 1000 (run/docs/configuring/vpc-connectors, "Restrict connector
 * VM access"). Direct VPC egress does not support network tags or
 * service identity in ingress rules (run/docs/configuring/vpc-direct-vpc):
 * its packets never match a source tag or source service account, and a
 * verdict says when such a rule would have admitted them
 * (Connectivity Tests: INGRESS_FIREWALL_TAGS_UNSUPPORTED_BY_DIRECT_VPC_EGRESS).
 *
 * Used by models/world/vpc-router.c on the packets that open a
 * connection. */
#ifndef CLOUDRUN_VPC_FIREWALL_H
#define CLOUDRUN_VPC_FIREWALL_H

#include "models/world/vpc-router.h"
#include "sim/explain.h"
#include "sim/wire.h"

typedef struct CloudRunVpcFirewall CloudRunVpcFirewall;

typedef struct {
  const VpcFirewallRule *rule;  /* the deciding rule; NULL: the implied
                                   one */
  bool allow;
  const VpcFirewallRule *unsupported; /* ingress from Direct VPC, denied: a
                                   rule whose source tags or service
                                   accounts name the revision and would
                                   have admitted it; else NULL */
  const VpcFirewallRule *passed; /* the last goto-next rule of a policy
                                   that handed the packet on, or NULL */
  const VpcFirewallRule *elsewhere; /* the first rule of a regional policy
                                   that matched the packet before the
                                   decision but applies in another region
                                   than the instance's, or NULL */
} CloudRunFirewallVerdict;

/* The rules of a network (copied); with_connector_rule adds Serverless
 * VPC Access's implicit ingress rule. */
CloudRunVpcFirewall *cloudrun_vpc_firewall_new (const VpcFirewallRule *rules,
                                                guint n_rules,
                                                bool with_connector_rule);
void cloudrun_vpc_firewall_free (CloudRunVpcFirewall *fw);

/* f leaving instance src (NULL: a source the rules cannot target). */
CloudRunFirewallVerdict
cloudrun_vpc_firewall_egress (const CloudRunVpcFirewall *fw,
                              const SimFrame *f,
                              const CloudRunVpcSource *src);
/* f from src (NULL: from outside the network) entering instance dst. */
CloudRunFirewallVerdict
cloudrun_vpc_firewall_ingress (const CloudRunVpcFirewall *fw,
                               const SimFrame *f,
                               const CloudRunVpcSource *src,
                               const CloudRunVpcSource *dst);

/* What a note adds about rule, citing Google's page: for a rule of a
 * regional network policy or one that selects by secure tag; else NULL
 * (a static string). */
const char *cloudrun_vpc_firewall_rule_cite (const VpcFirewallRule *rule);

/* How explanations name rule: "firewall NAME (ingress, priority N)", or
 * the implicit connector rule's words. */
const char *cloudrun_vpc_firewall_rule_text (const VpcFirewallRule *rule,
                                             SimExplainLog *log);

#endif
