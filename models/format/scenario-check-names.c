/* Load checks, part 4: the NAMEs of callers stay apart from the node names
 * the simulator makes (docs/scenario-format.md, "Names").
 *
 * A [vm], [client] or [google-caller] becomes a node named by its own
 * NAME. The builder (models/assemble/) names every other node itself: the
 * built-in ones (internet, gfe, public-dns, run-egress), one per resource
 * with a prefix (vpc-NETWORK, metadata-NETWORK, connector-NAME,
 * direct-vpc-SERVICE, direct-vpc-job-NAME, direct-vpc-worker-pool-NAME,
 * nat-NAME, psc-NAME, ilb-NAME, alb-NAME), a service's instances
 * SERVICE-1 .. SERVICE-MAX as its autoscaler starts them, perhaps late in
 * a run (a service with [revision] groups: REVISION-1 .. REVISION-MAX
 * instead), and a job's tasks job-NAME-task-0 .. and a worker pool's
 * instances worker-pool-NAME-instance-0 ... A caller whose NAME is one of those would
 * meet its namesake in the world; it is refused here, at load, naming
 * the group and the node it would meet. Called from
 * cloudrun_scenario_check after the services are checked. */
#include "models/format/scenario-private.h"

#include <stdlib.h>
#include <string.h>

/* Nodes the builder makes whatever the scenario says. */
static const char *const builtin_nodes[] = {
  "internet", "gfe", "public-dns", "run-egress", NULL };

/* Nodes named PREFIX + the NAME of a group of kind. */
static const struct {
  const char *prefix;
  CloudRunKind kind;
} prefixed_nodes[] = {
  { "vpc-", CLOUDRUN_KIND_NETWORK },
  { "metadata-", CLOUDRUN_KIND_NETWORK },
  { "connector-", CLOUDRUN_KIND_CONNECTOR },
  { "direct-vpc-", CLOUDRUN_KIND_SERVICE },
  { "direct-vpc-job-", CLOUDRUN_KIND_JOB },
  { "direct-vpc-worker-pool-", CLOUDRUN_KIND_WORKER_POOL },
  { "nat-", CLOUDRUN_KIND_NAT },
  { "psc-", CLOUDRUN_KIND_PSC_ENDPOINT },
  { "ilb-", CLOUDRUN_KIND_INTERNAL_ALB },
  { "alb-", CLOUDRUN_KIND_EXTERNAL_ALB },
};

/* Whether name is one of the instance nodes OWNER-N with N from 1 to
 * max (a service's, or a revision's). */
static gboolean
names_an_instance (const char *name, const char *owner, int64_t max)
{
  size_t len = strlen (owner);
  const char *digits = name + len + 1;
  char *end;
  unsigned long n;

  if (strncmp (name, owner, len) != 0 || name[len] != '-'
      || digits[0] < '1' || digits[0] > '9')
    return FALSE;
  n = strtoul (digits, &end, 10);
  return *end == '\0' && n >= 1 && (int64_t) n <= max;
}

/* The job or worker pool one of whose nodes (STEM-K, K from 0 below its
 * instances; STEM job-NAME-task or worker-pool-NAME-instance) is named
 * name, or NULL. */
static const CloudRunSpecWorker *
worker_node (const CloudRunScenario *s, const char *name)
{
  GPtrArray *lists[] = { s->jobs, s->worker_pools };

  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    for (guint i = 0; i < lists[k]->len; i++)
      {
        const CloudRunSpecWorker *w = lists[k]->pdata[i];
        g_autofree char *stem = g_strdup_printf (
          k == 0 ? "job-%s-task-" : "worker-pool-%s-instance-", w->base.name);
        size_t len = strlen (stem);
        char *end;
        unsigned long n;

        if (strncmp (name, stem, len) != 0 || name[len] < '0'
            || name[len] > '9' || (name[len] == '0' && name[len + 1]))
          continue;
        n = strtoul (name + len, &end, 10);
        if (*end == '\0' && (int64_t) n < w->instances)
          return w;
      }
  return NULL;
}

/* The node a caller named name would meet, or NULL. */
static char *
node_taken (const CloudRunScenario *s, const char *name)
{
  for (guint i = 0; builtin_nodes[i]; i++)
    if (strcmp (name, builtin_nodes[i]) == 0)
      return g_strdup_printf ("the simulator's own node '%s'", name);
  for (guint i = 0; i < G_N_ELEMENTS (prefixed_nodes); i++)
    {
      size_t plen = strlen (prefixed_nodes[i].prefix);
      GPtrArray *list;

      if (strncmp (name, prefixed_nodes[i].prefix, plen) != 0)
        continue;
      list = cloudrun_scenario_objects (s, prefixed_nodes[i].kind);
      for (guint k = 0; k < list->len; k++)
        {
          const CloudRunSpecObject *o = list->pdata[k];
          if (strcmp (name + plen, o->name) == 0)
            return g_strdup_printf ("the node of %s", o->group);
        }
    }
  for (guint i = 0; i < s->services->len; i++)
    {
      const CloudRunSpecService *svc = s->services->pdata[i];
      if (names_an_instance (name, svc->base.name, svc->max_instances))
        return g_strdup_printf ("an instance of %s (1 to max-instances "
                                "%" G_GINT64_FORMAT ")", svc->base.group,
                                svc->max_instances);
    }
  for (guint i = 0; i < s->revisions->len; i++)
    {
      const CloudRunSpecRevision *r = s->revisions->pdata[i];
      if (names_an_instance (name, r->base.name, r->max_instances))
        return g_strdup_printf ("an instance of %s (1 to max-instances "
                                "%" G_GINT64_FORMAT ")", r->base.group,
                                r->max_instances);
    }
  {
    const CloudRunSpecWorker *w = worker_node (s, name);
    if (w)
      return g_strdup_printf ("a %s of [%s]", w->base.kind == CLOUDRUN_KIND_JOB
                              ? "task" : "instance", w->base.group);
  }
  return NULL;
}

static gboolean
check_caller_name (CloudRunCheck *c, const CloudRunSpecObject *o)
{
  g_autofree char *taken = node_taken (c->s, o->name);
  g_autofree char *found = NULL;

  if (!taken)
    return TRUE;
  found = g_strdup_printf ("'%s', the name of %s", o->name, taken);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, o, NULL,
                              "a NAME that no node of the simulator has",
                              found, NULL, "rename the group (see "
                              "docs/scenario-format.md, Names)");
}

static const CloudRunKind caller_kinds[] = {
  CLOUDRUN_KIND_VM, CLOUDRUN_KIND_CLIENT, CLOUDRUN_KIND_GOOGLE_CALLER };

/* A caller of an earlier kind of caller_kinds than kind named name. */
static const CloudRunSpecObject *
earlier_caller (const CloudRunScenario *s, guint kind, const char *name)
{
  for (guint i = 0; i < kind; i++)
    {
      GPtrArray *list = cloudrun_scenario_objects (s, caller_kinds[i]);
      for (guint k = 0; k < list->len; k++)
        {
          const CloudRunSpecObject *o = list->pdata[k];
          if (strcmp (o->name, name) == 0)
            return o;
        }
    }
  return NULL;
}

/* A service named as a job's or worker pool's node stem (job-NAME-task)
 * would name its instances STEM-1 ... as the job's tasks. */
static gboolean
check_worker_stems (CloudRunCheck *c)
{
  GPtrArray *lists[] = { c->s->jobs, c->s->worker_pools };

  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    for (guint i = 0; i < lists[k]->len; i++)
      {
        const CloudRunSpecWorker *w = lists[k]->pdata[i];
        g_autofree char *stem = g_strdup_printf (
          k == 0 ? "job-%s-task" : "worker-pool-%s-instance", w->base.name);
        const CloudRunSpecService *svc = cloudrun_scenario_find (
          c->s, CLOUDRUN_KIND_SERVICE, stem);
        g_autofree char *found = NULL;

        if (!svc || w->instances < 2)
          continue;
        found = g_strdup_printf ("'%s', whose instances %s-1 ... are named "
                                 "as the %s of [%s]", stem, stem,
                                 k == 0 ? "tasks" : "instances",
                                 w->base.group);
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                    &svc->base, NULL, "a NAME that no node "
                                    "of the simulator has", found, NULL,
                                    "rename the group (see "
                                    "docs/scenario-format.md, Names)");
      }
  return TRUE;
}

gboolean
cloudrun_check_caller_names (CloudRunCheck *c)
{
  for (guint i = 0; i < G_N_ELEMENTS (caller_kinds); i++)
    {
      GPtrArray *list = cloudrun_scenario_objects (c->s, caller_kinds[i]);
      for (guint k = 0; k < list->len; k++)
        {
          const CloudRunSpecObject *o = list->pdata[k];
          const CloudRunSpecObject *twin = earlier_caller (c->s, i, o->name);
          g_autofree char *found = NULL;

          if (!check_caller_name (c, o))
            return FALSE;
          if (!twin)
            continue;
          found = g_strdup_printf ("'%s', the name of %s too", o->name,
                                   twin->group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, o,
                                      NULL, "a caller NAME used once "
                                      "across [vm], [client] and "
                                      "[google-caller]", found, NULL, NULL);
        }
    }
  return check_worker_stems (c);
}
