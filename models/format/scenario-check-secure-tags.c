/* Secure tags at load (firewall/docs/tags-firewalls-overview): a
 * [secure-tag] is a tag value whose key has the firewall purpose and one
 * network as purpose data; it binds to VMs of that network
 * ([vm] secure-tags, at most 10 per interface) and never to a Cloud Run
 * service (run/docs/configuring/vpc-direct-vpc: firewall rules cannot use
 * a Cloud Run workload's Resource Manager tags). Rules of firewall
 * policies name them as targets and, on ingress, as sources; a network
 * or regional policy only the tags of its networks. The warnings say
 * when a rule names a tag that no VM it could see is bound to.
 * Called by models/format/scenario-check-firewall.c. */
#include "models/format/scenario-private.h"

#include <stdarg.h>
#include <string.h>

/* Google: at most 10 secure tags per network interface. */
#define SECURE_TAGS_PER_NIC 10u

static const CloudRunSpecSecureTag *
tag_at (const GPtrArray *tags, guint i)
{
  return g_ptr_array_index (tags, i);
}

static gboolean fail_tag (CloudRunCheck *c, const CloudRunSpecObject *o,
                          const char *key, const char *expected,
                          const char *found_fmt, ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail_tag (CloudRunCheck *c, const CloudRunSpecObject *o, const char *key,
          const char *expected, const char *found_fmt, ...)
{
  g_autofree char *found = NULL;
  va_list ap;

  va_start (ap, found_fmt);
  found = g_strdup_vprintf (found_fmt, ap);
  va_end (ap);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o, key,
                              expected, found, NULL, NULL);
}

/* The tags of one list of fw (key) against its policy. */
static gboolean
check_rule_list (CloudRunCheck *c, const CloudRunSpecFirewall *fw,
                 const GPtrArray *tags, const char *key, gboolean source)
{
  const CloudRunSpecFirewallPolicy *pol = fw->policy;

  if (!tags || tags->len == 0)
    return TRUE;
  if (!pol)
    return fail_tag (c, &fw->base, key, "secure tags only in a rule of a "
                     "firewall policy (VPC firewall rules select by network "
                     "tag or service account)", "'%s' in a VPC firewall "
                     "rule", tag_at (tags, 0)->base.name);
  if (source && fw->direction == VPC_FIREWALL_EGRESS)
    return fail_tag (c, &fw->base, key, "source secure tags only on an "
                     "ingress rule (an egress rule's sources are its "
                     "targets)", "'%s' on an egress rule",
                     tag_at (tags, 0)->base.name);
  if (pol->type == CLOUDRUN_FIREWALL_POLICY_HIERARCHICAL)
    return TRUE;
  for (guint i = 0; i < tags->len; i++)
    if (!g_ptr_array_find (pol->networks, tag_at (tags, i)->network, NULL))
      return fail_tag (c, &fw->base, key, "secure tags of a network the "
                       "policy is associated with (a tag's purpose data "
                       "names its network)", "'%s' of network %s",
                       tag_at (tags, i)->base.name,
                       tag_at (tags, i)->network->base.name);
  return TRUE;
}

gboolean
cloudrun_check_rule_secure_tags (CloudRunCheck *c, CloudRunSpecFirewall *fw)
{
  return check_rule_list (c, fw, fw->target_secure_tags,
                          "target-secure-tags", FALSE)
         && check_rule_list (c, fw, fw->source_secure_tags,
                             "source-secure-tags", TRUE);
}

static gboolean
check_vm (CloudRunCheck *c, const CloudRunSpecVm *vm)
{
  const GPtrArray *tags = vm->secure_tags;
  const CloudRunSpecNetwork *net = vm->subnet->network;

  if (!tags)
    return TRUE;
  if (tags->len > SECURE_TAGS_PER_NIC)
    {
      g_autofree char *found = g_strdup_printf ("%u tags", tags->len);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                  &vm->base, "secure-tags", "at most 10 "
                                  "secure tags on a network interface",
                                  found, NULL, NULL);
    }
  for (guint i = 0; i < tags->len; i++)
    if (tag_at (tags, i)->network != net)
      return fail_tag (c, &vm->base, "secure-tags", "secure tags of the "
                       "VM's network (a tag binds to an interface in the "
                       "network of its purpose data)", "'%s' of network %s",
                       tag_at (tags, i)->base.name,
                       tag_at (tags, i)->network->base.name);
  return TRUE;
}

gboolean
cloudrun_check_secure_tag_bindings (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->secure_tags->len; i++)
    {
      const CloudRunSpecSecureTag *tag = c->s->secure_tags->pdata[i];
      if (tag->network->on_premises)
        return fail_tag (c, &tag->base, "network", "a VPC network (a "
                         "tag's purpose data names a VPC network)",
                         "%s, an on-premises site", tag->network->base.name);
    }
  for (guint i = 0; i < c->s->vms->len; i++)
    if (!check_vm (c, c->s->vms->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->services->len; i++)
    {
      const CloudRunSpecService *svc = c->s->services->pdata[i];
      if (svc->secure_tags && svc->secure_tags->len > 0)
        return fail_tag (c, &svc->base, "secure-tags", "no secure tags on "
                         "a Cloud Run service (firewall rules cannot use "
                         "the Resource Manager tags of a Cloud Run "
                         "workload: cloud.google.com/run/docs/configuring/"
                         "vpc-direct-vpc; use network-tags with vpc-access "
                         "= direct for egress rules)", "'%s'",
                         tag_at (svc->secure_tags, 0)->base.name);
    }
  return TRUE;
}

/* ---- Warnings ------------------------------------------------------ */

/* Whether a VM of network net (any when NULL) in region (any when NULL)
 * is bound to tag. */
static gboolean
tag_bound (const CloudRunScenario *s, const CloudRunSpecSecureTag *tag,
           const char *region)
{
  for (guint i = 0; i < s->vms->len; i++)
    {
      const CloudRunSpecVm *vm = s->vms->pdata[i];
      if (vm->secure_tags && g_ptr_array_find (vm->secure_tags, tag, NULL)
          && (!region || strcmp (vm->subnet->region, region) == 0))
        return TRUE;
    }
  return FALSE;
}

/* A regional policy's targets are in its region; its sources anywhere. */
static void
warn_list (const CloudRunScenario *s, const CloudRunSpecFirewall *fw,
           const GPtrArray *tags, const char *key, const char *region,
           GPtrArray *out)
{
  for (guint i = 0; tags && i < tags->len; i++)
    {
      const CloudRunSpecSecureTag *tag = tag_at (tags, i);
      if (tag_bound (s, tag, region))
        continue;
      if (region && tag_bound (s, tag, NULL))
        g_ptr_array_add (out, g_strdup_printf (
            "[%s] %s: '%s' is bound to no VM in %s, the region of [%s]: "
            "the rule never matches it", fw->base.group, key,
            tag->base.name, region, fw->policy->base.group));
      else
        g_ptr_array_add (out, g_strdup_printf (
            "[%s] %s: '%s' is bound to no VM: the rule never matches it",
            fw->base.group, key, tag->base.name));
    }
}

void
cloudrun_secure_tag_warnings (const CloudRunScenario *s,
                              const CloudRunSpecFirewall *fw, GPtrArray *out)
{
  warn_list (s, fw, fw->target_secure_tags, "target-secure-tags",
             fw->policy->region, out);
  warn_list (s, fw, fw->source_secure_tags, "source-secure-tags", NULL,
             out);
}
