/* explain's last part: the single setting changes that would change a
 * request's fate, found by re-simulating the scenario once per candidate
 * (the simulator can re-run the world, so it need not guess). Candidates
 * are the other values of every true/false and one-of key of the groups a
 * user sets up (services, subnets, routes, firewalls, NAT, connectors, VMs,
 * DNS zones, PSC endpoints, load balancers) and of the traffic explained;
 * [assumptions] are not settings and stay as they are. A candidate the
 * loader refuses (it needs another key too) is skipped. The door's
 * cloudrun_session_render_what_if. */
#include "tools/session/session-private.h"

#include <string.h>

#include "models/format/keys.h"

/* At most this many re-runs: the tour has about a hundred candidates. */
#define WHAT_IF_MAX_RUNS 400u

static const CloudRunKind what_if_kinds[] = {
  CLOUDRUN_KIND_SERVICE, CLOUDRUN_KIND_SUBNET, CLOUDRUN_KIND_ROUTE,
  CLOUDRUN_KIND_FIREWALL, CLOUDRUN_KIND_NAT, CLOUDRUN_KIND_CONNECTOR,
  CLOUDRUN_KIND_VM, CLOUDRUN_KIND_DNS_ZONE, CLOUDRUN_KIND_PSC_ENDPOINT,
  CLOUDRUN_KIND_INTERNAL_ALB, CLOUDRUN_KIND_EXTERNAL_ALB,
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

/* The --set texts of the other values of obj's true/false and one-of
 * keys, appended to sets. */
static void
what_if_candidates (const CloudRunKindInfo *info, const CloudRunSpecObject *obj,
                    GPtrArray *sets)
{
  for (guint k = 0; k < info->n_keys; k++)
    {
      const CloudRunKey *key = &info->keys[k];
      const char *at = (const char *) obj + key->offset;

      if (key->type == CLOUDRUN_KEY_BOOL)
        g_ptr_array_add (sets, g_strdup_printf (
          "%s %s.%s=%s", info->name, obj->name, key->name,
          *(const gboolean *) at ? "false" : "true"));
      else if (key->type == CLOUDRUN_KEY_ENUM)
        for (int v = 0; key->choices[v]; v++)
          if (v != *(const int *) at)
            g_ptr_array_add (sets, g_strdup_printf (
              "%s %s.%s=%s", info->name, obj->name, key->name,
              key->choices[v]));
    }
}

void
cloudrun_session_render_what_if (CloudRunSession *s, guint traffic,
                                 guint index, GString *out)
{
  const ToolsRun *seen = &s->run;
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);
  const CloudRunTrafficPlan *plan = &seen->world->plans[traffic];
  WhatIfFate was = what_if_fate (cloudrun_ledger_get (
    &seen->world->ledger, plan->first_request + index));
  guint tried = 0, changed = 0, width = 0;
  g_autoptr (GString) lines = g_string_new (NULL);

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
          what_if_candidates (info, obj, sets);
        }
    }
  for (guint i = 0; i < sets->len; i++)
    width = MAX (width, (guint) strlen (g_ptr_array_index (sets, i)));
  for (guint i = 0; i < sets->len && tried < WHAT_IF_MAX_RUNS; i++)
    {
      const char *set = g_ptr_array_index (sets, i);
      WhatIfFate now;

      if (!what_if_run (s, set, traffic, index, &now))
        continue;
      tried++;
      if (now.outcome == was.outcome && now.classified == was.classified
          && now.status == was.status && now.cause == was.cause)
        continue;
      changed++;
      g_string_append_printf (lines, "  --set '%s'%*s -> ", set,
                              (int) (width - strlen (set)), "");
      what_if_describe (lines, &now);
      g_string_append_c (lines, '\n');
    }
  g_string_append_printf (out, "\nwhat would change it, one setting at a "
                          "time (%u re-simulated%s):\n", tried,
                          tried == WHAT_IF_MAX_RUNS ? ", the first ones" : "");
  if (changed)
    g_string_append (out, lines->str);
  else
    g_string_append (out, "  no single true/false or one-of setting "
                          "changes its outcome, status, classification or "
                          "cause\n");
}
