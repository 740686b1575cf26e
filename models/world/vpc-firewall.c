/* A network's firewall rules (see models/world/vpc-firewall.h). */
#include "models/world/vpc-firewall.h"

#include <string.h>

/* Serverless VPC Access's hidden ingress rule: allow tcp, udp and icmp
 * from the connectors' universal tag, priority 1000. */
#define CONNECTOR_RULE_PRIORITY 1000u

struct CloudRunVpcFirewall {
  GPtrArray *egress;            /* VpcFirewallRule*, evaluation order */
  GPtrArray *ingress;           /* likewise */
};

static const char *const connector_tags[] = { "vpc-connector", NULL };
static const VpcProtocolMatch connector_protocols[] = {
  { SIM_IPPROTO_TCP, 0, 65535 }, { SIM_IPPROTO_UDP, 0, 65535 },
  { SIM_IPPROTO_ICMP, 0, 65535 },
};
static const VpcFirewallRule connector_rule = {
  .name = "vpc-connector (implicit)",
  .direction = VPC_FIREWALL_INGRESS,
  .action = VPC_FIREWALL_ALLOW,
  .protocols = connector_protocols,
  .n_protocols = G_N_ELEMENTS (connector_protocols),
  .priority = CONNECTOR_RULE_PRIORITY,
  .source_tags = connector_tags,
  .hidden = true,
};

/* ---- Lists of tags and accounts ------------------------------------ */

static bool
list_empty (const char *const *list)
{
  return list == NULL || list[0] == NULL;
}

static bool
list_has (const char *const *list, const char *item)
{
  for (guint i = 0; item && list && list[i]; i++)
    if (strcmp (list[i], item) == 0)
      return true;
  return false;
}

/* Whether the two lists share an item. */
static bool
lists_meet (const char *const *a, const char *const *b)
{
  for (guint i = 0; a && a[i]; i++)
    if (list_has (b, a[i]))
      return true;
  return false;
}

/* ---- Matching ------------------------------------------------------ */

/* Whether rule applies to instance inst. Target service accounts select
 * VMs only: Google documents network tags, not identities, for
 * connectors and Direct VPC (docs/networking.md, [assumption]). */
static bool
rule_targets (const VpcFirewallRule *rule, const CloudRunVpcSource *inst)
{
  if (!list_empty (rule->target_secure_tags))
    return inst && lists_meet (rule->target_secure_tags, inst->secure_tags);
  if (!list_empty (rule->target_tags))
    return inst && lists_meet (rule->target_tags, inst->tags);
  if (!list_empty (rule->target_accounts))
    return inst && inst->kind == CLOUDRUN_VPC_SOURCE_VM
           && list_has (rule->target_accounts, inst->service_account);
  return true;
}

/* A regional network policy's rules: instances of its region only. */
static bool
rule_in_region (const VpcFirewallRule *rule, const CloudRunVpcSource *inst)
{
  return !rule->region
         || (inst && g_strcmp0 (inst->region, rule->region) == 0);
}

static bool
rule_protocols (const VpcFirewallRule *rule, const SimFrame *f)
{
  for (guint i = 0; i < rule->n_protocols; i++)
    {
      const VpcProtocolMatch *p = &rule->protocols[i];
      if (p->protocol == 0
          || (p->protocol == f->proto && f->dport >= p->port_min
              && f->dport <= p->port_max))
        return true;
    }
  return false;
}

/* Whether the packet's other end (the destination of an egress packet,
 * the source of an ingress one) is in the rule's ranges of the packet's
 * family: a rule holds IPv4 ranges or IPv6 ones, and the other family's
 * packets pass it by (firewall/docs/firewalls). */
static bool
rule_ranges (const VpcFirewallRule *rule, const SimFrame *f, bool egress)
{
  if (f->ip6)
    {
      SimIp6 addr = egress ? sim_frame_dst6 (f) : sim_frame_src6 (f);
      for (guint i = 0; i < rule->n_ranges6; i++)
        if (vpc_cidr6_contains (&rule->ranges6[i], &addr))
          return true;
      return false;
    }
  for (guint i = 0; i < rule->n_ranges; i++)
    if (vpc_cidr_contains (&rule->ranges[i], egress ? f->dst : f->src))
      return true;
  return false;
}

/* Whether the packet's other end matches: by the rule's ranges, or, when
 * identity counts, the source instance peer by its tags or its service
 * account (a VM's only; a connector has no identity a rule can name
 * [assumption]). Identities stand for an instance's primary internal
 * IPv4 address: an IPv6 packet matches by range only [assumption]. */
static bool
rule_other_end (const VpcFirewallRule *rule, const SimFrame *f, bool egress,
                const CloudRunVpcSource *peer, bool identity)
{
  if (rule_ranges (rule, f, egress))
    return true;
  if (!peer || !identity || f->ip6)
    return false;
  if (lists_meet (rule->source_tags, peer->tags)
      || lists_meet (rule->source_secure_tags, peer->secure_tags))
    return true;
  return peer->kind != CLOUDRUN_VPC_SOURCE_CONNECTOR
         && list_has (rule->source_accounts, peer->service_account);
}

static CloudRunFirewallVerdict
decide (GPtrArray *rules, const SimFrame *f, bool egress,
        const CloudRunVpcSource *target, const CloudRunVpcSource *peer,
        bool identity, bool implied_allow)
{
  const VpcFirewallRule *passed = NULL, *elsewhere = NULL;

  for (guint i = 0; i < rules->len; i++)
    {
      const VpcFirewallRule *rule = g_ptr_array_index (rules, i);
      if (!rule_targets (rule, target) || !rule_protocols (rule, f)
          || !rule_other_end (rule, f, egress, peer, identity))
        continue;
      if (!rule_in_region (rule, target))
        {
          elsewhere = elsewhere ? elsewhere : rule;
          continue;
        }
      if (rule->action != VPC_FIREWALL_GOTO_NEXT)
        return (CloudRunFirewallVerdict) {
          rule, rule->action == VPC_FIREWALL_ALLOW, NULL, passed,
          elsewhere };
      passed = rule;
      /* goto-next: the rest of this stage is skipped. */
      while (i + 1 < rules->len
             && ((const VpcFirewallRule *) g_ptr_array_index (rules, i + 1))
                ->stage == rule->stage)
        i++;
    }
  return (CloudRunFirewallVerdict) { NULL, implied_allow, NULL, passed,
                                     elsewhere };
}

CloudRunFirewallVerdict
cloudrun_vpc_firewall_egress (const CloudRunVpcFirewall *fw,
                              const SimFrame *f,
                              const CloudRunVpcSource *src)
{
  return decide (fw->egress, f, true, src, NULL, false, true);
}

CloudRunFirewallVerdict
cloudrun_vpc_firewall_ingress (const CloudRunVpcFirewall *fw,
                               const SimFrame *f,
                               const CloudRunVpcSource *src,
                               const CloudRunVpcSource *dst)
{
  bool direct = src && src->kind == CLOUDRUN_VPC_SOURCE_DIRECT_VPC;
  CloudRunFirewallVerdict v = decide (fw->ingress, f, false, dst, src,
                                      !direct, false);

  if (direct && !v.allow)
    {
      CloudRunFirewallVerdict w = decide (fw->ingress, f, false, dst, src,
                                          true, false);
      if (w.allow)
        v.unsupported = w.rule;
    }
  return v;
}

static const char *const stage_words[] = {
  [VPC_FIREWALL_STAGE_VPC] = "VPC firewall rules",
  [VPC_FIREWALL_STAGE_ORGANIZATION] = "hierarchical, organization",
  [VPC_FIREWALL_STAGE_FOLDER] = "hierarchical, folder",
  [VPC_FIREWALL_STAGE_NETWORK_FIRST] = "network policy, before the VPC's "
                                       "rules",
  [VPC_FIREWALL_STAGE_NETWORK_LAST] = "network policy",
  [VPC_FIREWALL_STAGE_REGIONAL_FIRST] = "regional network policy, before "
                                        "the VPC's rules",
  [VPC_FIREWALL_STAGE_REGIONAL_LAST] = "regional network policy",
};

const char *
cloudrun_vpc_firewall_rule_cite (const VpcFirewallRule *rule)
{
  if (!rule)
    return NULL;
  if (!list_empty (rule->target_secure_tags)
      || !list_empty (rule->source_secure_tags))
    return "its secure tags select the VMs bound to them "
           "(cloud.google.com/firewall/docs/tags-firewalls-overview)";
  if (rule->region)
    return "a regional network firewall policy applies to instances in "
           "its region only, after the global network policies "
           "(cloud.google.com/firewall/docs/regional-firewall-policies, "
           "firewall/docs/firewall-policies-rule-eval-order)";
  return NULL;
}

const char *
cloudrun_vpc_firewall_rule_text (const VpcFirewallRule *rule,
                                 SimExplainLog *log)
{
  const char *dir = rule->direction == VPC_FIREWALL_EGRESS ? "egress"
                                                           : "ingress";

  if (rule->hidden)
    return sim_explain_internf (log, "Serverless VPC Access's implicit "
                                "ingress rule (allow tcp, udp, icmp from "
                                "source tag vpc-connector, priority %u)",
                                rule->priority);
  if (rule->policy && rule->region)
    return sim_explain_internf (log, "firewall policy %s, rule %s (regional "
                                "network policy of %s%s, %s, priority %u)",
                                rule->policy, rule->name, rule->region,
                                rule->stage == VPC_FIREWALL_STAGE_REGIONAL_FIRST
                                ? ", before the VPC's rules" : "", dir,
                                rule->priority);
  if (rule->policy)
    return sim_explain_internf (log, "firewall policy %s, rule %s (%s, %s, "
                                "priority %u)", rule->policy, rule->name,
                                stage_words[rule->stage], dir,
                                rule->priority);
  return sim_explain_internf (log, "firewall %s (%s, priority %u)",
                              rule->name, dir, rule->priority);
}

/* ---- Life ---------------------------------------------------------- */

/* The place of a stage in evaluation order. */
static int
stage_rank (VpcFirewallStage stage)
{
  static const int rank[] = {
    [VPC_FIREWALL_STAGE_ORGANIZATION] = 0, [VPC_FIREWALL_STAGE_FOLDER] = 1,
    [VPC_FIREWALL_STAGE_NETWORK_FIRST] = 2,
    [VPC_FIREWALL_STAGE_REGIONAL_FIRST] = 3, [VPC_FIREWALL_STAGE_VPC] = 4,
    [VPC_FIREWALL_STAGE_NETWORK_LAST] = 5,
    [VPC_FIREWALL_STAGE_REGIONAL_LAST] = 6,
  };

  return rank[stage];
}

/* Stage by stage; in a stage, lower priority first, a deny before an
 * allow of the same priority. */
static gint
rule_order (gconstpointer a, gconstpointer b)
{
  const VpcFirewallRule *x = *(VpcFirewallRule *const *) a;
  const VpcFirewallRule *y = *(VpcFirewallRule *const *) b;
  int px = x->action == VPC_FIREWALL_DENY ? 0 : 1;
  int py = y->action == VPC_FIREWALL_DENY ? 0 : 1;
  int sx = stage_rank (x->stage), sy = stage_rank (y->stage);

  if (sx != sy)
    return (sx > sy) - (sx < sy);
  if (x->priority != y->priority)
    return (x->priority > y->priority) - (x->priority < y->priority);
  return (px > py) - (px < py);
}

static void
rule_free (gpointer p)
{
  VpcFirewallRule *rule = p;

  if (rule->hidden)
    return;
  g_free ((char *) rule->name);
  g_free ((char *) rule->policy);
  g_free ((VpcCidr *) rule->ranges);
  g_free ((VpcCidr6 *) rule->ranges6);
  g_free ((VpcProtocolMatch *) rule->protocols);
  g_strfreev ((char **) rule->target_tags);
  g_strfreev ((char **) rule->target_accounts);
  g_strfreev ((char **) rule->source_tags);
  g_strfreev ((char **) rule->source_accounts);
  g_free ((char *) rule->region);
  g_strfreev ((char **) rule->target_secure_tags);
  g_strfreev ((char **) rule->source_secure_tags);
  g_free (rule);
}

static VpcFirewallRule *
rule_copy (const VpcFirewallRule *rule)
{
  VpcFirewallRule *copy = g_memdup2 (rule, sizeof *rule);

  copy->name = g_strdup (rule->name);
  copy->policy = g_strdup (rule->policy);
  copy->ranges = g_memdup2 (rule->ranges,
                            rule->n_ranges * sizeof *rule->ranges);
  copy->ranges6 = g_memdup2 (rule->ranges6,
                             rule->n_ranges6 * sizeof *rule->ranges6);
  copy->protocols = g_memdup2 (rule->protocols,
                               rule->n_protocols * sizeof *rule->protocols);
  copy->target_tags = (const char *const *)
                      g_strdupv ((char **) rule->target_tags);
  copy->target_accounts = (const char *const *)
                          g_strdupv ((char **) rule->target_accounts);
  copy->source_tags = (const char *const *)
                      g_strdupv ((char **) rule->source_tags);
  copy->source_accounts = (const char *const *)
                          g_strdupv ((char **) rule->source_accounts);
  copy->region = g_strdup (rule->region);
  copy->target_secure_tags = (const char *const *)
                             g_strdupv ((char **) rule->target_secure_tags);
  copy->source_secure_tags = (const char *const *)
                             g_strdupv ((char **) rule->source_secure_tags);
  copy->hidden = false;
  return copy;
}

CloudRunVpcFirewall *
cloudrun_vpc_firewall_new (const VpcFirewallRule *rules, guint n_rules,
                           bool with_connector_rule)
{
  CloudRunVpcFirewall *fw = g_new0 (CloudRunVpcFirewall, 1);

  fw->egress = g_ptr_array_new_with_free_func (rule_free);
  fw->ingress = g_ptr_array_new_with_free_func (rule_free);
  for (guint i = 0; i < n_rules; i++)
    g_ptr_array_add (rules[i].direction == VPC_FIREWALL_EGRESS
                     ? fw->egress : fw->ingress, rule_copy (&rules[i]));
  /* After the file's rules: at equal priority and action a listed rule
   * names the decision. */
  if (with_connector_rule)
    g_ptr_array_add (fw->ingress, (gpointer) &connector_rule);
  /* g_ptr_array_sort is a stable merge sort: file order breaks full ties. */
  g_ptr_array_sort (fw->egress, rule_order);
  g_ptr_array_sort (fw->ingress, rule_order);
  return fw;
}

void
cloudrun_vpc_firewall_free (CloudRunVpcFirewall *fw)
{
  if (!fw)
    return;
  g_ptr_array_unref (fw->egress);
  g_ptr_array_unref (fw->ingress);
  g_free (fw);
}
