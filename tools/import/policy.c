/* Firewall policies: hierarchical ones (parent organizations/N or
 * folders/N), global and regional network ones, their rules and
 * associations, as REST (CAI's compute.googleapis.com/FirewallPolicy and
 * RegionNetworkFirewallPolicy, gcloud) embeds them in the policy and as
 * Terraform's google_compute_[region_][network_]firewall_policy[_rule|
 * _association] resources write them. Secure tags in rules are not
 * imported (the rule is left out or narrowed to its ranges, and said). A rule is an
 * IMPORT_FIREWALL whose target is its policy; an association an
 * IMPORT_ASSOCIATION (emit.c folds them into the policies). */
#include "tools/import/import-private.h"

#include <string.h>

typedef struct {
  const char *match, *src, *dst, *l4, *proto, *tsa;
  const char *targets[2];       /* rule left out when set */
  const char *sources[9];       /* rule narrowed to its ranges, or left
                                   out without them */
} RuleKeys;

static const RuleKeys rest_keys = {
  "match", "match.srcIpRanges", "match.destIpRanges", "match.layer4Configs",
  "ipProtocol", "targetServiceAccounts",
  { "targetSecureTags", "targetResources" },
  { "match.srcSecureTags", "match.srcFqdns", "match.destFqdns",
    "match.srcRegionCodes", "match.destRegionCodes", "match.srcAddressGroups",
    "match.destAddressGroups", "match.srcThreatIntelligences",
    "match.destThreatIntelligences" },
};

static const RuleKeys tf_keys = {
  "match", "match[0].src_ip_ranges", "match[0].dest_ip_ranges",
  "match[0].layer4_configs", "ip_protocol", "target_service_accounts",
  { "target_secure_tags", "target_resources" },
  { "match[0].src_secure_tags", "match[0].src_fqdns", "match[0].dest_fqdns",
    "match[0].src_region_codes", "match[0].dest_region_codes",
    "match[0].src_address_groups", "match[0].dest_address_groups",
    "match[0].src_threat_intelligences",
    "match[0].dest_threat_intelligences" },
};

static gboolean
has (ImportSrc *s, JsonNode *d, const char *rel)
{
  JsonNode *n = import_at (s, d, rel);

  if (!n)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (n))
    return json_array_get_length (json_node_get_array (n)) > 0;
  return !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n)
                                       != G_TYPE_STRING
         || *json_node_get_string (n);
}

/* The fields of a policy rule into r (its policy and name set). */
static gboolean
rule (ImportSrc *s, JsonNode *d, gboolean tf, ImportRes *r)
{
  const RuleKeys *k = tf ? &tf_keys : &rest_keys;
  const char *dir = import_str (s, d, "direction");
  const char *action = import_str (s, d, "action");
  gboolean others = FALSE;
  JsonArray *l4;
  guint n;

  r->priority = import_int (s, d, "priority", G_MAXINT32);
  if (!action || (strcmp (action, "allow") && strcmp (action, "deny")
                  && strcmp (action, "goto_next")))
    {
      if (!action)
        return import_fail (s, "action", "expected allow, deny or goto_next, "
                            "found nothing");
      import_not_modelled (s, "%s: action %s: rule left out", r->name, action);
      r->skip = TRUE;
      return !import_failed (s);
    }
  r->action = g_strdup (strcmp (action, "goto_next") == 0 ? "goto-next"
                        : action);
  if (!import_set_direction (s, dir, r))
    return FALSE;
  /* Google's own rules at the lowest priorities hand everything on (what
   * no rule does too); another rule there is beyond the format's bound. */
  if (r->priority > 65535)
    {
      if (strcmp (r->action, "goto-next"))
        import_not_modelled (s, "%s: priority %" G_GINT64_FORMAT " (above "
                             "65535): rule left out", r->name, r->priority);
      r->skip = TRUE;
      return !import_failed (s);
    }
  r->disabled = import_bool (s, d, "disabled") == 1;
  for (guint i = 0; i < G_N_ELEMENTS (k->targets); i++)
    if (has (s, d, k->targets[i]))
      {
        import_not_modelled (s, "%s: %s: rule left out", r->name,
                             k->targets[i]);
        r->skip = TRUE;
      }
  l4 = import_arr (s, d, k->l4);
  if (l4 && json_array_get_length (l4) > 0)
    import_set_protocols (s, d, k->l4, k->proto, r);
  if (!import_set_emails (s, d, k->tsa, &r->target_sas))
    return FALSE;
  n = import_rule_ranges (s, d, strcmp (r->direction, "ingress") == 0
                                ? k->src : k->dst, r);
  for (guint i = 0; i < G_N_ELEMENTS (k->sources); i++)
    if (has (s, d, k->sources[i]))
      {
        others = TRUE;
        import_not_modelled (s, "%s: %s: %s", r->name, k->sources[i],
                             r->ranges->len ? "rule narrowed to its ranges"
                                            : "rule left out");
      }
  if (import_failed (s))
    return FALSE;
  if (!r->ranges->len && (others || n))
    r->skip = TRUE;             /* nothing modelled left to match */
  else if (!r->ranges->len)
    g_ptr_array_add (r->ranges, g_strdup ("0.0.0.0/0"));
  if (r->protocols && !r->protocols->len)
    {
      r->skip = TRUE;
      import_not_modelled (s, "%s: no protocol the simulator models: rule "
                           "left out", r->name);
    }
  return !import_failed (s);
}

/* A rule of policy (a name or path) read from d, named ruleName or, in
 * the scenario, by the policy's short name and its priority. */
static gboolean
add_rule (ImportSrc *s, JsonNode *d, gboolean tf, const char *project,
          const char *policy, const char *rule_name)
{
  ImportRef *ref = import_ref_new (policy, project, NULL);
  gint64 prio;
  g_autofree char *name = NULL;
  ImportRes *r;

  prio = import_int (s, d, "priority", G_MAXINT32);
  if (import_failed (s))
    return (import_ref_free (ref), FALSE);
  if (prio < 0)
    {
      import_ref_free (ref);
      return import_fail (s, "priority", "expected the rule's priority, "
                          "found nothing");
    }
  name = rule_name && *rule_name
         ? g_strdup (rule_name)
         : g_strdup_printf ("%s-%" G_GINT64_FORMAT, ref->name, prio);
  r = import_res_new (s, IMPORT_FIREWALL, ref->project, NULL, name);
  r->target = ref;
  if (!rule_name || !*rule_name)
    r->type = g_strdup ("unnamed");  /* named POLICY-PRIORITY by emit.c */
  return rule (s, d, tf, r);
}

static void
add_association (ImportSrc *s, const char *project, const char *policy,
                 const char *target)
{
  ImportRes *a = import_res_new (s, IMPORT_ASSOCIATION, project, NULL,
                                 target);

  a->target = import_ref_new (policy, project, NULL);
  a->range = g_strdup (target);
}

/* The policy itself: hierarchical when its parent is an organization or
 * folder, a regional network policy when it has a region, a global
 * network policy otherwise. */
static ImportRes *
policy_new (ImportSrc *s, const char *project, const char *name,
            const char *short_name, const char *parent, const char *region)
{
  gboolean h = parent && (g_str_has_prefix (parent, "organizations/")
                          || g_str_has_prefix (parent, "folders/"));
  ImportRes *r = import_res_new (s, IMPORT_POLICY, h ? NULL : project,
                                 h ? NULL : region, name);

  r->type = g_strdup (h ? "hierarchical" : region ? "regional" : "network");
  r->display = g_strdup (short_name && *short_name ? short_name : name);
  return r;
}

gboolean
import_rest_policy (ImportSrc *s, JsonNode *d, const char *project)
{
  const char *name = import_str (s, d, "name");
  const char *link = import_str (s, d, "selfLink");
  g_autofree char *p = import_name_project (link);
  JsonArray *rules = import_arr (s, d, "rules");
  JsonArray *assocs = import_arr (s, d, "associations");
  ImportRes *r;
  ImportRef *where;

  if (import_failed (s))
    return FALSE;
  if (!name)
    return import_fail (s, "name", "expected the policy's name, found "
                        "nothing");
  /* A regional network policy's self link names its region. */
  where = link && strstr (link, "/regions/") ? import_ref_new (link, NULL,
                                                                NULL)
                                             : NULL;
  r = policy_new (s, p ? p : project, name, import_str (s, d, "shortName"),
                  import_str (s, d, "parent"), where ? where->region : NULL);
  import_ref_free (where);
  for (guint i = 0; rules && i < json_array_get_length (rules); i++)
    {
      g_autofree char *at = g_strdup_printf ("rules[%u]", i);
      ImportSrc rs = *s;
      gboolean ok;

      rs.base = import_path (s, at);
      ok = add_rule (&rs, import_at (s, d, at), FALSE, r->project, name,
                     import_str (&rs, import_at (s, d, at), "ruleName"));
      g_free (rs.base);
      if (!ok)
        return FALSE;
    }
  for (guint i = 0; assocs && i < json_array_get_length (assocs); i++)
    {
      g_autofree char *at = g_strdup_printf ("associations[%u]."
                                             "attachmentTarget", i);
      const char *target = import_str (s, d, at);
      if (!target)
        return import_fail (s, at, "expected what the policy is associated "
                            "with, found nothing");
      add_association (s, r->project, name, target);
    }
  return !import_failed (s);
}

gboolean
import_tf_policy (ImportSrc *s, JsonNode *d, const char *what,
                  const char *name, ImportGet get, gpointer user)
{
  const char *project = import_str (s, d, "project");
  const char *policy = get (user, "firewall_policy");

  if (strcmp (what, "policy") == 0 || strcmp (what, "network-policy") == 0
      || strcmp (what, "regional-policy") == 0)
    {
      const char *region = import_str (s, d, "region");
      if (strcmp (what, "regional-policy") == 0 && !region)
        return import_fail (s, "region", "expected the regional policy's "
                            "region, found nothing");
      policy_new (s, project, name, import_str (s, d, "short_name"),
                  strcmp (what, "policy") == 0 ? "organizations/" : "",
                  strcmp (what, "regional-policy") == 0 ? region : NULL);
      return !import_failed (s);
    }
  if (!policy)
    return import_fail (s, "firewall_policy", "expected the rule's or "
                        "association's policy, found nothing");
  if (strcmp (what, "rule") == 0)
    return add_rule (s, d, TRUE, project, policy,
                     import_str (s, d, "rule_name"));
  if (!get (user, "attachment_target"))
    return import_fail (s, "attachment_target", "expected what the policy "
                        "is associated with, found nothing");
  add_association (s, project, policy, get (user, "attachment_target"));
  return !import_failed (s);
}
