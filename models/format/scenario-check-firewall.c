/* Firewall rules at load: what Google refuses in a rule (sources on an
 * egress rule, tags and service accounts mixed), the default of ranges,
 * network tags only where they exist; and the warnings for what loads but
 * cannot take effect: a tag or service account nothing in the rule's
 * network has (https://cloud.google.com/firewall/docs/firewalls,
 * "Filtering by service account versus network tag";
 * run/docs/configuring/vpc-direct-vpc for Direct VPC's tags). */
#include "models/format/scenario-private.h"

#include <string.h>

static gboolean
has_items (char *const *list)
{
  return list != NULL && list[0] != NULL;
}

static gboolean
fail_with (CloudRunCheck *c, CloudRunSpecFirewall *fw, const char *key,
           const char *expected, const char *found_fmt, const char *arg)
{
  g_autofree char *found = g_strdup_printf (found_fmt, arg);

  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &fw->base,
                              key, expected, found, NULL, NULL);
}

/* A rule of a firewall policy: Google's policy rules name no network
 * tags, and their priorities are unique within the policy
 * (firewall/docs/firewall-policies-rule-details). */
static gboolean
check_policy_rule (CloudRunCheck *c, CloudRunSpecFirewall *fw)
{
  if (has_items (fw->target_tags) || has_items (fw->source_tags))
    return fail_with (c, fw, has_items (fw->target_tags) ? "target-tags"
                                                         : "source-tags",
                      "network tags only in VPC firewall rules (firewall "
                      "policies select by secure tags or by service "
                      "account)",
                      "'%s' in a rule of a firewall policy",
                      has_items (fw->target_tags) ? fw->target_tags[0]
                                                  : fw->source_tags[0]);
  return cloudrun_check_unique_priority (
      c, c->s->firewalls, &fw->base,
      G_STRUCT_OFFSET (CloudRunSpecFirewall, policy),
      G_STRUCT_OFFSET (CloudRunSpecFirewall, priority));
}

/* Pairs of keys Google refuses together in one rule ("Filtering by
 * service account versus network tag"): the second is blamed. */
static const struct {
  size_t first, second;         /* offsets of two char ** lists */
  const char *first_key, *second_key, *expected;
} mixes[] = {
  { G_STRUCT_OFFSET (CloudRunSpecFirewall, target_tags),
    G_STRUCT_OFFSET (CloudRunSpecFirewall, target_service_accounts),
    "target-tags", "target-service-accounts",
    "target-tags or target-service-accounts, not both" },
  { G_STRUCT_OFFSET (CloudRunSpecFirewall, source_tags),
    G_STRUCT_OFFSET (CloudRunSpecFirewall, source_service_accounts),
    "source-tags", "source-service-accounts",
    "source-tags or source-service-accounts, not both" },
  { G_STRUCT_OFFSET (CloudRunSpecFirewall, target_tags),
    G_STRUCT_OFFSET (CloudRunSpecFirewall, source_service_accounts),
    "target-tags", "source-service-accounts",
    "no source service accounts in a rule that targets network tags (use "
    "source-tags)" },
  { G_STRUCT_OFFSET (CloudRunSpecFirewall, target_service_accounts),
    G_STRUCT_OFFSET (CloudRunSpecFirewall, source_tags),
    "target-service-accounts", "source-tags",
    "no source tags in a rule that targets service accounts (use "
    "source-service-accounts)" },
  /* A policy rule's targets are secure tags or service accounts
   * (firewall/docs/firewall-policies-rule-details, targets). */
  { G_STRUCT_OFFSET (CloudRunSpecFirewall, target_service_accounts),
    G_STRUCT_OFFSET (CloudRunSpecFirewall, target_secure_tag_names),
    "target-service-accounts", "target-secure-tags",
    "target-secure-tags or target-service-accounts, not both" },
};

static gboolean
check_firewall (CloudRunCheck *c, CloudRunSpecFirewall *fw)
{
  gboolean sources = has_items (fw->source_tags)
                     || has_items (fw->source_service_accounts)
                     || has_items (fw->source_secure_tag_names);

  if ((fw->network == NULL) == (fw->policy == NULL))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &fw->base, fw->policy ? "policy" : "network",
                                "exactly one of network (a VPC firewall "
                                "rule) and policy (a rule of a firewall "
                                "policy)", fw->policy ? "both" : "neither",
                                NULL, NULL);
  if (fw->action == VPC_FIREWALL_GOTO_NEXT && !fw->policy)
    return fail_with (c, fw, "action", "allow or deny (goto-next only in a "
                      "rule of a firewall policy)", "'%s'", "goto-next");
  if (fw->policy && !check_policy_rule (c, fw))
    return FALSE;
  if (!cloudrun_check_rule_secure_tags (c, fw))
    return FALSE;

  if (fw->direction == VPC_FIREWALL_EGRESS && sources)
    return fail_with (c, fw, has_items (fw->source_tags)
                             ? "source-tags" : "source-service-accounts",
                      "sources by tag or service account only on an ingress "
                      "rule (an egress rule's sources are its targets)",
                      "'%s' on an egress rule",
                      has_items (fw->source_tags)
                      ? fw->source_tags[0] : fw->source_service_accounts[0]);
  for (guint i = 0; i < G_N_ELEMENTS (mixes); i++)
    {
      char *const *first = G_STRUCT_MEMBER (char **, fw, mixes[i].first);
      char *const *second = G_STRUCT_MEMBER (char **, fw, mixes[i].second);
      g_autofree char *found_fmt = NULL;

      if (!has_items (first) || !has_items (second))
        continue;
      found_fmt = g_strdup_printf ("'%%s' with %s", mixes[i].first_key);
      return fail_with (c, fw, mixes[i].second_key, mixes[i].expected,
                        found_fmt, second[0]);
    }
  if (fw->ranges6 == NULL)
    fw->ranges6 = g_array_new (FALSE, FALSE, sizeof (CloudRunSpecCidr6));
  if (!cloudrun_object_has (&fw->base, "ranges"))
    {
      CloudRunSpecCidr all = { 0, 0 };
      fw->ranges = g_array_new (FALSE, FALSE, sizeof (CloudRunSpecCidr));
      if (!sources)
        g_array_append_val (fw->ranges, all);
    }
  else if (fw->ranges->len == 0 && fw->ranges6->len == 0 && !sources)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &fw->base,
                                "ranges", "at least one range (or, on an "
                                "ingress rule, source-tags or "
                                "source-service-accounts)", "nothing", NULL,
                                NULL);
  return TRUE;
}

static gboolean
check_service_tags (CloudRunCheck *c, CloudRunSpecService *svc)
{
  if (has_items (svc->network_tags) && svc->vpc_access != VPC_ACCESS_DIRECT)
    {
      g_autofree char *found = g_strdup_printf (
          "'%s' with vpc-access = %s", svc->network_tags[0],
          cloudrun_enum_name (CLOUDRUN_KIND_SERVICE, "vpc-access",
                              svc->vpc_access));
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &svc->base, "network-tags", "network tags "
                                  "only with vpc-access = direct (a "
                                  "connector has its own tags)", found,
                                  NULL, NULL);
    }
  return TRUE;
}

/* A regional network policy: a region, and no other regional policy of
 * that region on any of its networks (firewall/docs/
 * regional-firewall-policies: one per network and region). */
static gboolean
check_regional (CloudRunCheck *c, CloudRunSpecFirewallPolicy *pol)
{
  if (pol->type != CLOUDRUN_FIREWALL_POLICY_REGIONAL)
    return pol->region == NULL
           || cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                   &pol->base, "region", "a region only "
                                   "with type = regional", pol->region,
                                   NULL, NULL);
  if (pol->region == NULL)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &pol->base,
                                "region", "the region of the regional "
                                "policy", "nothing", NULL, NULL);
  for (guint i = 0; i < c->s->firewall_policies->len; i++)
    {
      const CloudRunSpecFirewallPolicy *q = c->s->firewall_policies->pdata[i];
      if (q == pol)
        break;
      if (q->type != CLOUDRUN_FIREWALL_POLICY_REGIONAL
          || strcmp (q->region, pol->region) != 0)
        continue;
      for (guint j = 0; pol->networks && j < pol->networks->len; j++)
        if (q->networks && g_ptr_array_find (q->networks,
                                             pol->networks->pdata[j], NULL))
          {
            g_autofree char *found = g_strdup_printf (
                "[%s] on network %s in %s too", q->base.group,
                ((CloudRunSpecNetwork *) pol->networks->pdata[j])->base.name,
                pol->region);
            return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                        &pol->base, "networks", "at most "
                                        "one regional network firewall "
                                        "policy per network and region",
                                        found, NULL, NULL);
          }
    }
  return TRUE;
}

static gboolean
check_policy (CloudRunCheck *c, CloudRunSpecFirewallPolicy *pol)
{
  gboolean hierarchical = pol->type == CLOUDRUN_FIREWALL_POLICY_HIERARCHICAL;
  const char *key = NULL;

  if (hierarchical && has_items (pol->network_names))
    key = "networks";
  else if (!hierarchical && pol->project_names != NULL)
    key = "projects";
  else if (!hierarchical && cloudrun_object_has (&pol->base, "level"))
    key = "level";
  if (key)
    {
      g_autofree char *found = g_strdup_printf (
          "%s with type = %s", key, cloudrun_enum_name (
              CLOUDRUN_KIND_FIREWALL_POLICY, "type", pol->type));
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &pol->base, key, hierarchical
                                  ? "projects and level (a hierarchical "
                                    "policy is associated with a node "
                                    "above projects, not with networks)"
                                  : "networks (a network policy is "
                                    "associated with networks)",
                                  found, NULL, NULL);
    }
  if (!hierarchical && !has_items (pol->network_names))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &pol->base,
                                "networks", "the networks the policy is "
                                "associated with", "nothing", NULL, NULL);
  if (!check_regional (c, pol))
    return FALSE;
  if (hierarchical && pol->project_names == NULL)
    {
      g_clear_pointer (&pol->projects, g_ptr_array_unref);
      /* Not g_ptr_array_copy: it would copy the owner's free function. */
      pol->projects = g_ptr_array_new ();
      for (guint i = 0; i < c->s->projects->len; i++)
        g_ptr_array_add (pol->projects, c->s->projects->pdata[i]);
    }
  return TRUE;
}

gboolean
cloudrun_check_firewalls (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->firewall_policies->len; i++)
    if (!check_policy (c, c->s->firewall_policies->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->firewalls->len; i++)
    if (!check_firewall (c, c->s->firewalls->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->services->len; i++)
    if (!check_service_tags (c, c->s->services->pdata[i]))
      return FALSE;
  return cloudrun_check_secure_tag_bindings (c);
}

/* ---- Warnings ------------------------------------------------------ */

static gboolean
strv_has (char *const *list, const char *item)
{
  return list != NULL && g_strv_contains ((const char *const *) list, item);
}

/* Who in network carries tag: 'v' a VM, 'c' a connector, 'd' only
 * Direct VPC revisions, 0 nothing. */
static char
tag_holder (const CloudRunScenario *s, const CloudRunSpecNetwork *net,
            const char *tag)
{
  gboolean direct = FALSE;

  for (guint i = 0; i < s->vms->len; i++)
    {
      const CloudRunSpecVm *vm = s->vms->pdata[i];
      if (vm->subnet->network == net && strv_has (vm->network_tags, tag))
        return 'v';
    }
  for (guint i = 0; i < s->connectors->len; i++)
    {
      const CloudRunSpecConnector *cn = s->connectors->pdata[i];
      g_autofree char *own = g_strdup_printf ("vpc-connector-%s-%s",
                                              cn->region, cn->base.name);
      if (cn->network == net
          && (strcmp (tag, "vpc-connector") == 0 || strcmp (tag, own) == 0))
        return 'c';
    }
  for (guint i = 0; i < s->services->len; i++)
    {
      const CloudRunSpecService *svc = s->services->pdata[i];
      direct |= svc->vpc_access == VPC_ACCESS_DIRECT
                && svc->subnet->network == net
                && strv_has (svc->network_tags, tag);
    }
  return direct ? 'd' : 0;
}

static gboolean
vm_runs_as (const CloudRunScenario *s, const CloudRunSpecNetwork *net,
            const char *account)
{
  for (guint i = 0; i < s->vms->len; i++)
    {
      const CloudRunSpecVm *vm = s->vms->pdata[i];
      if (vm->subnet->network == net
          && g_strcmp0 (vm->service_account, account) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
warn (GPtrArray *out, const CloudRunSpecFirewall *fw, const char *key,
      const char *item, const char *why)
{
  g_ptr_array_add (out, g_strdup_printf ("[%s] %s: '%s' %s", fw->base.group,
                                         key, item, why));
}

static void
warn_tags (GPtrArray *out, const CloudRunScenario *s,
           const CloudRunSpecFirewall *fw, gboolean source)
{
  char *const *tags = source ? fw->source_tags : fw->target_tags;
  const char *key = source ? "source-tags" : "target-tags";
  gboolean ingress = fw->direction == VPC_FIREWALL_INGRESS;

  for (guint i = 0; tags && tags[i]; i++)
    switch (tag_holder (s, fw->network, tags[i]))
      {
      case 0:
        warn (out, fw, key, tags[i], "is the tag of no VM, connector or "
              "Direct VPC revision of the rule's network: the rule never "
              "matches it");
        break;
      case 'd':
        if (source)
          warn (out, fw, key, tags[i], "is only a Direct VPC revision's "
                "tag, which ingress rules cannot match (Google: not "
                "supported): its packets are judged as if the tag were "
                "absent");
        else if (ingress)
          warn (out, fw, key, tags[i], "is only a Direct VPC revision's "
                "tag, and Direct VPC takes no ingress: the rule applies to "
                "nothing");
        break;
      default:
        break;
      }
}

static void
warn_accounts (GPtrArray *out, const CloudRunScenario *s,
               const CloudRunSpecFirewall *fw, gboolean source)
{
  char *const *accounts = source ? fw->source_service_accounts
                                 : fw->target_service_accounts;

  for (guint i = 0; accounts && accounts[i]; i++)
    if (!vm_runs_as (s, fw->network, accounts[i]))
      warn (out, fw, source ? "source-service-accounts"
                            : "target-service-accounts", accounts[i],
            "is the service account of no VM of the rule's network: the "
            "rule never matches it");
}

void
cloudrun_firewall_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->firewalls->len; i++)
    {
      const CloudRunSpecFirewall *fw = s->firewalls->pdata[i];
      if (fw->network == NULL)
        {
          /* a policy's rule: secure tags, no network tags */
          cloudrun_secure_tag_warnings (s, fw, out);
          continue;
        }
      warn_tags (out, s, fw, FALSE);
      warn_tags (out, s, fw, TRUE);
      warn_accounts (out, s, fw, FALSE);
      warn_accounts (out, s, fw, TRUE);
    }
}
