/* explain's last part: the single setting changes that would change a
 * request's fate, found by re-simulating the scenario once per candidate
 * (the simulator can re-run the world, so it need not guess). Candidates
 * are the other values of every true/false and one-of key of the groups a
 * user sets up (services, subnets, routes, firewalls, NAT, connectors, VMs,
 * DNS zones, PSC endpoints, load balancers, Cloud Armor policies and
 * rules) and of the traffic explained,
 * and a service's invokers opened to allUsers; for a capacity failure
 * (unavailable, a timeout, a port or address or queue shortage) also the
 * capacity numbers, each tried at its next values (twice the instances,
 * concurrency, NAT ports per VM; a subnet one prefix bit bigger) until one
 * changes the fate. [assumptions] are not settings and stay as they are.
 * A candidate the loader refuses (it needs another key too) is skipped.
 *
 * The changes are ranked: those that deliver the request first (those
 * that widen access last among them, each marked with how), then those
 * that only change how it fails. The door's
 * cloudrun_session_render_what_if. */
#include "tools/session/session-private.h"

#include <string.h>

#include "models/format/keys.h"

/* At most this many re-runs: the tour has about a hundred candidates. */
#define WHAT_IF_MAX_RUNS 400u

static const CloudRunKind what_if_kinds[] = {
  CLOUDRUN_KIND_SERVICE, CLOUDRUN_KIND_JOB, CLOUDRUN_KIND_WORKER_POOL,
  CLOUDRUN_KIND_SUBNET, CLOUDRUN_KIND_ROUTE, CLOUDRUN_KIND_PEERING,
  CLOUDRUN_KIND_PRIVATE_ACCESS,
  CLOUDRUN_KIND_FIREWALL, CLOUDRUN_KIND_NAT, CLOUDRUN_KIND_CONNECTOR,
  CLOUDRUN_KIND_VM, CLOUDRUN_KIND_DNS_ZONE,
  CLOUDRUN_KIND_DNS_SERVER_POLICY, CLOUDRUN_KIND_PSC_ENDPOINT,
  CLOUDRUN_KIND_INTERNAL_ALB, CLOUDRUN_KIND_EXTERNAL_ALB,
  CLOUDRUN_KIND_SECURITY_POLICY, CLOUDRUN_KIND_SECURITY_RULE,
  CLOUDRUN_KIND_TRAFFIC,
};

/* What a request came to, as explain compares it. */
typedef struct {
  CloudRunVerdict outcome;
  CloudRunClass classified;
  int status;
  CloudRunDropCause cause;
} WhatIfFate;

static WhatIfFate
what_if_fate (const CloudRunRequest *r)
{
  WhatIfFate f = { CLOUDRUN_VERDICT_PENDING, CLOUDRUN_CLASS_NONE, 0,
                   CLOUDRUN_DROP_NONE };

  if (r)
    f = (WhatIfFate) { r->outcome, r->classified, r->status, r->drop_cause };
  return f;
}

static void
what_if_describe (GString *out, const WhatIfFate *f)
{
  g_string_append (out, cloudrun_verdict_name (f->outcome));
  if (f->status)
    g_string_append_printf (out, ", HTTP %d", f->status);
  if (f->classified)
    g_string_append_printf (out, ", classified %s",
                            cloudrun_class_name (f->classified));
  if (f->cause)
    g_string_append_printf (out, ", %s", cloudrun_drop_cause_name (f->cause));
}

/* Runs the scenario of base with one more --set; FALSE when it does not
 * load. */
static gboolean
what_if_run (const CloudRunSession *base, const char *set, guint traffic,
             uint32_t index, WhatIfFate *fate)
{
  g_autoptr (GPtrArray) sets = g_ptr_array_new ();
  CloudRunEdits edits = { NULL, (const char *const *) base->unsets,
                          base->has_seed, base->seed };
  g_autoptr (CloudRunSession) s = NULL;
  const CloudRunTrafficPlan *plan;

  for (char **p = base->sets; p && *p; p++)
    g_ptr_array_add (sets, *p);
  g_ptr_array_add (sets, (gpointer) set);
  g_ptr_array_add (sets, NULL);
  edits.sets = (const char *const *) sets->pdata;
  s = cloudrun_session_load (base->run.scenario->path, base->text, base->len,
                             &edits, NULL);
  if (!s || traffic >= s->run.world->n_plans
      || index >= s->run.world->plans[traffic].count)
    return FALSE;
  plan = &s->run.world->plans[traffic];
  cloudrun_session_keep_request (s, traffic, index);
  if (!cloudrun_session_start (s, NULL, NULL, NULL, NULL))
    return FALSE;
  while (cloudrun_session_advance (s, G_MAXUINT64))
    ;
  if (!cloudrun_session_finish (s, TRUE, NULL, NULL))
    return FALSE;
  *fate = what_if_fate (cloudrun_ledger_get (&s->run.world->ledger,
                                             plan->first_request + index));
  return TRUE;
}

/* One change to try: the --set texts of its values, tried in order until
 * one changes the fate (one for a true/false or one-of key; a number's
 * next values), and how it widens access (NULL when it does not). */
typedef struct {
  GPtrArray *rungs;             /* char *, owned */
  const char *widens;
} WhatIfCandidate;

static void
what_if_candidate_free (gpointer p)
{
  WhatIfCandidate *c = p;

  g_ptr_array_unref (c->rungs);
  g_free (c);
}

static WhatIfCandidate *
what_if_candidate_add (GPtrArray *cands, const char *widens)
{
  WhatIfCandidate *c = g_new0 (WhatIfCandidate, 1);

  c->rungs = g_ptr_array_new_with_free_func (g_free);
  c->widens = widens;
  g_ptr_array_add (cands, c);
  return c;
}

/* How far an ingress setting lets callers in: none < internal < internal
 * and load balancers < all. */
static int
what_if_ingress_reach (const char *word)
{
  static const char *const order[] = {
    "none", "internal", "internal-and-cloud-load-balancing", "all",
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (word, order[i]) == 0)
      return (int) i;
  return -1;
}

/* How setting key of a kind from was to value widens access, or NULL. */
static const char *
what_if_widens (CloudRunKind kind, const char *key, const char *was,
                const char *value)
{
  if (kind == CLOUDRUN_KIND_SERVICE && g_str_equal (key, "ingress")
      && what_if_ingress_reach (value) > what_if_ingress_reach (was))
    return g_str_equal (value, "all")
           ? "opens the service to the internet"
           : g_str_equal (value, "internal")
           ? "opens the service to callers in VPC networks"
           : "opens the service to external load balancers";
  if (kind == CLOUDRUN_KIND_SERVICE && g_str_equal (key, "default-url")
      && g_str_equal (value, "true"))
    return "opens the service's run.app URLs to direct callers";
  if (kind == CLOUDRUN_KIND_FIREWALL && g_str_equal (key, "action")
      && g_str_equal (value, "allow"))
    return "lets through what the rule denied";
  if ((kind == CLOUDRUN_KIND_SECURITY_RULE && g_str_equal (key, "action"))
      || (kind == CLOUDRUN_KIND_SECURITY_POLICY
          && g_str_equal (key, "default-action")))
    return g_str_equal (value, "allow")
           ? "lets through what the Cloud Armor rule denied" : NULL;
  if (kind == CLOUDRUN_KIND_VM && g_str_equal (key, "external-ip")
      && g_str_equal (value, "true"))
    return "gives the VM an address on the internet";
  return NULL;
}

/* Making a VM a DNS server changes nothing unless something already
 * asks it (a forwarding target, a resolver), and then the scenario has
 * it on; a traffic's address-selection changes nothing for a caller
 * without an IPv6 address (it asks A alone), and DNS64 and NAT64
 * nothing in a network without an ipv6-only subnet: not candidates. */
static gboolean
what_if_pointless (const CloudRunScenario *sc, CloudRunKind kind,
                   const CloudRunSpecObject *obj, const char *key,
                   const char *value)
{
  if (kind == CLOUDRUN_KIND_TRAFFIC && g_str_equal (key, "address-selection"))
    return !cloudrun_traffic_caller_dual (sc,
                                          (const CloudRunSpecTraffic *) obj);
  if (kind == CLOUDRUN_KIND_NAT && g_str_equal (key, "nat64"))
    return !cloudrun_network_has_ipv6_only (
      ((const CloudRunSpecNat *) obj)->network);
  if (kind == CLOUDRUN_KIND_DNS_SERVER_POLICY && g_str_equal (key, "dns64"))
    {
      const GPtrArray *nets = ((const CloudRunSpecDnsServerPolicy *) obj)
                                ->networks;
      for (guint i = 0; i < nets->len; i++)
        if (cloudrun_network_has_ipv6_only (nets->pdata[i]))
          return FALSE;
      return TRUE;
    }
  return kind == CLOUDRUN_KIND_VM && g_str_equal (key, "dns-server")
         && g_str_equal (value, "true");
}

/* The other values of obj's true/false and one-of keys (but the
 * pointless ones), and for a service not open to allUsers, invokers =
 * allUsers. */
static void
what_if_flips (const CloudRunScenario *sc, const CloudRunKindInfo *info,
               const CloudRunSpecObject *obj, GPtrArray *cands)
{
  for (guint k = 0; k < info->n_keys; k++)
    {
      const CloudRunKey *key = &info->keys[k];
      const char *at = (const char *) obj + key->offset;

      if (key->type == CLOUDRUN_KEY_BOOL)
        {
          const char *value = *(const gboolean *) at ? "false" : "true";
          WhatIfCandidate *c;

          if (what_if_pointless (sc, info->kind, obj, key->name, value))
            continue;
          c = what_if_candidate_add (
            cands, what_if_widens (info->kind, key->name, NULL, value));
          g_ptr_array_add (c->rungs, g_strdup_printf (
            "%s %s.%s=%s", info->name, obj->name, key->name, value));
        }
      else if (key->type == CLOUDRUN_KEY_ENUM)
        {
          for (int v = 0; key->choices[v]; v++)
            if (v != *(const int *) at
                && !what_if_pointless (sc, info->kind, obj, key->name,
                                       key->choices[v]))
              {
                WhatIfCandidate *c = what_if_candidate_add (
                  cands, what_if_widens (info->kind, key->name,
                                         key->choices[*(const int *) at],
                                         key->choices[v]));
                g_ptr_array_add (c->rungs, g_strdup_printf (
                  "%s %s.%s=%s", info->name, obj->name, key->name,
                  key->choices[v]));
              }
        }
      else if (key->type == CLOUDRUN_KEY_PRINCIPALS
               && info->kind == CLOUDRUN_KIND_SERVICE)
        {
          const GArray *who = *(GArray *const *) at;
          gboolean open = FALSE;

          for (guint i = 0; who && i < who->len; i++)
            open |= g_array_index (who, CloudRunSpecPrincipal, i).kind
                    == IAM_PRINCIPAL_ALL_USERS;
          if (!open)
            g_ptr_array_add (what_if_candidate_add (
                               cands, "lets anyone call it without an ID "
                                      "token")->rungs,
                             g_strdup_printf ("%s %s.%s=allUsers", info->name,
                                              obj->name, key->name));
        }
    }
}

/* The capacity numbers and how each grows (see the top). */
static const struct {
  CloudRunKind kind;
  const char *key;
} what_if_numbers[] = {
  { CLOUDRUN_KIND_SERVICE, "max-instances" },
  { CLOUDRUN_KIND_SERVICE, "concurrency" },
  { CLOUDRUN_KIND_NAT, "min-ports-per-vm" },
  { CLOUDRUN_KIND_CONNECTOR, "max-instances" },
  { CLOUDRUN_KIND_SUBNET, "range" },
};

/* Next values tried of one capacity number: at most this many. */
#define WHAT_IF_RUNGS 4

/* obj's capacity numbers at their next values. */
static void
what_if_numbers_of (const CloudRunKindInfo *info,
                    const CloudRunSpecObject *obj, GPtrArray *cands)
{
  for (guint n = 0; n < G_N_ELEMENTS (what_if_numbers); n++)
    {
      const CloudRunKey *key;
      const char *at;
      WhatIfCandidate *c;

      if (what_if_numbers[n].kind != info->kind
          || !(key = cloudrun_kind_key (info, what_if_numbers[n].key, NULL)))
        continue;
      at = (const char *) obj + key->offset;
      c = what_if_candidate_add (cands, NULL);
      if (key->type == CLOUDRUN_KEY_INT)
        for (int64_t v = *(const int64_t *) at, i = 0;
             i < WHAT_IF_RUNGS && v < key->max; i++)
          {
            v = MIN (MAX (v, 1) * 2, key->max);
            g_ptr_array_add (c->rungs, g_strdup_printf (
              "%s %s.%s=%" G_GINT64_FORMAT, info->name, obj->name,
              key->name, v));
          }
      else if (key->type == CLOUDRUN_KEY_CIDR)
        {
          const CloudRunSpecCidr *r = (const CloudRunSpecCidr *) at;

          for (int len = r->len - 1; len >= 8 && len > r->len - 1
                                                       - WHAT_IF_RUNGS; len--)
            {
              uint32_t base = r->prefix & (0xffffffffu << (32 - len));
              g_ptr_array_add (c->rungs, g_strdup_printf (
                "%s %s.%s=%u.%u.%u.%u/%d", info->name, obj->name, key->name,
                base >> 24, (base >> 16) & 0xff, (base >> 8) & 0xff,
                base & 0xff, len));
            }
        }
    }
}

/* Was the request short of capacity rather than refused or misrouted? */
static gboolean
what_if_capacity (const WhatIfFate *f)
{
  switch (f->cause)
    {
    case CLOUDRUN_DROP_NO_AVAILABLE_INSTANCE:
    case CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES:
    case CLOUDRUN_DROP_CLOUD_NAT_PORTS_EXHAUSTED:
    case CLOUDRUN_DROP_LINK_QUEUE_FULL:
    case CLOUDRUN_DROP_VPC_CONNECTOR_QUEUE_FULL:
      return TRUE;
    default:
      return f->outcome == CLOUDRUN_VERDICT_UNAVAILABLE
             || f->outcome == CLOUDRUN_VERDICT_TIMEOUT;
    }
}

static gboolean
what_if_same (const WhatIfFate *a, const WhatIfFate *b)
{
  return a->outcome == b->outcome && a->classified == b->classified
         && a->status == b->status && a->cause == b->cause;
}

/* A change that changed the fate. */
typedef struct {
  const char *set;              /* borrowed from its candidate */
  const char *widens;
  WhatIfFate now;
} WhatIfFound;

/* Rank: 0 delivers, 1 delivers but widens access, 2 changes the failure
 * (or, for a request that was delivered, breaks it). */
static int
what_if_rank (const WhatIfFound *f)
{
  if (f->now.outcome != CLOUDRUN_VERDICT_DELIVERED)
    return 2;
  return f->widens ? 1 : 0;
}

void
cloudrun_session_render_what_if (CloudRunSession *s, guint traffic,
                                 guint index, GString *out)
{
  /* Group heads by rank (1 is shown under 0), for a request that failed
   * and for one that was delivered (it has no fixes). */
  static const char *const heads[2][3] = {
    { "fixes (it is delivered):", NULL,
      "not fixes (it still fails, differently):" },
    { "changes (still delivered, differently):", NULL,
      "changes (it is no longer delivered):" },
  };
  const ToolsRun *seen = &s->run;
  g_autoptr (GPtrArray) cands = g_ptr_array_new_with_free_func (
    what_if_candidate_free);
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (WhatIfFound));
  const CloudRunTrafficPlan *plan = &seen->world->plans[traffic];
  WhatIfFate was = what_if_fate (cloudrun_ledger_get (
    &seen->world->ledger, plan->first_request + index));
  gboolean capacity = what_if_capacity (&was);
  guint tried = 0, width = 0;
  int shown = -1;

  for (guint i = 0; i < G_N_ELEMENTS (what_if_kinds); i++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info (what_if_kinds[i]);
      GPtrArray *objs = cloudrun_scenario_objects (seen->scenario,
                                                   what_if_kinds[i]);
      for (guint o = 0; o < objs->len; o++)
        {
          const CloudRunSpecObject *obj = g_ptr_array_index (objs, o);
          if (what_if_kinds[i] == CLOUDRUN_KIND_TRAFFIC
              && g_strcmp0 (obj->name, plan->name) != 0)
            continue;
          what_if_flips (seen->scenario, info, obj, cands);
          if (capacity)
            what_if_numbers_of (info, obj, cands);
        }
    }
  for (guint i = 0; i < cands->len && tried < WHAT_IF_MAX_RUNS; i++)
    {
      const WhatIfCandidate *c = g_ptr_array_index (cands, i);

      for (guint r = 0; r < c->rungs->len && tried < WHAT_IF_MAX_RUNS; r++)
        {
          WhatIfFound f = { g_ptr_array_index (c->rungs, r), c->widens,
                            { 0 } };

          if (!what_if_run (s, f.set, traffic, index, &f.now))
            break;              /* a bigger value will not load either */
          tried++;
          if (what_if_same (&f.now, &was))
            continue;
          g_array_append_val (found, f);
          width = MAX (width, (guint) strlen (f.set));
          break;
        }
    }
  g_string_append_printf (out, "\nwhat would change it, one setting at a "
                          "time (%u re-simulated%s):\n", tried,
                          tried == WHAT_IF_MAX_RUNS ? ", the first ones" : "");
  if (found->len == 0)
    g_string_append (out, "  no single setting tried changes its outcome, "
                          "status, classification or cause\n");
  for (int rank = 0; rank <= 2; rank++)
    for (guint i = 0; i < found->len; i++)
      {
        const WhatIfFound *f = &g_array_index (found, WhatIfFound, i);

        if (what_if_rank (f) != rank)
          continue;
        if (shown != (rank == 1 ? 0 : rank))
          {
            shown = rank == 1 ? 0 : rank;
            g_string_append_printf (out, "%s\n", heads[was.outcome
                                                        == CLOUDRUN_VERDICT_DELIVERED]
                                                       [shown]);
          }
        g_string_append_printf (out, "  --set '%s'%*s -> ", f->set,
                                (int) (width - strlen (f->set)), "");
        what_if_describe (out, &f->now);
        if (f->widens)
          g_string_append_printf (out, " (widens access: %s)", f->widens);
        g_string_append_c (out, '\n');
      }
}
