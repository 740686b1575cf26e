/* Scenario cross checks, part 1: resolving name references through the
 * key tables, derived defaults (project numbers, the only project, NAT
 * subnets, connector networks, service URL hosts) and the rules that tie
 * resources together (docs/scenario-format.md; docs/networking.md, "Egress"
 * and "Inside the VPC"):
 * - more than one project: every network and service names its project;
 * - subnets of a network do not overlap;
 * - a Cloud NAT serves subnets of its region, each served by one NAT;
 * - a connector has exactly one of range (a /28 outside the network's
 *   subnets) and subnet (an unused private /28 subnet in its region);
 * - a service, job or worker pool uses a connector only with vpc-access =
 *   connector (same region; never a worker pool) and a subnet only with
 *   vpc-access = direct (same region), and the VPC is its project's or
 *   shared with it; a job's parallelism is at most its tasks.
 * Addresses, DNS records, load balancers, traffic and expectations are
 * checked in models/format/scenario-check-traffic.c.
 *
 * Called once per load by models/format/scenario.c after every key is parsed. */
#include "models/format/scenario-private.h"
#include "models/format/service-url.h"

#include <string.h>

#include "sim/wire.h"

/* ---- Messages ----------------------------------------------------- */

gboolean
cloudrun_check_fail (CloudRunCheck *c, CloudRunScenarioError code,
                     const CloudRunSpecObject *o, const char *key,
                     const char *expected, const char *found,
                     const char *suggestion, const char *hint)
{
  CloudRunProblem p = { 0 };

  p.expected = g_strdup (expected);
  p.found = g_strdup (found);
  p.suggestion = g_strdup (suggestion);
  p.hint = g_strdup (hint);
  cloudrun_fail (c->error, code, cloudrun_load_file_label (c->ctx, o, key),
                 o->group, key, &p);
  cloudrun_problem_clear (&p);
  return FALSE;
}

const char **
cloudrun_check_names (const CloudRunScenario *s, CloudRunKind kind)
{
  GPtrArray *list = cloudrun_scenario_objects (s, kind);
  const char **names = g_new0 (const char *, list->len + 1);

  for (guint i = 0; i < list->len; i++)
    names[i] = ((CloudRunSpecObject *) list->pdata[i])->name;
  return names;
}

gboolean
cloudrun_check_fail_ref (CloudRunCheck *c, const CloudRunSpecObject *o,
                         const char *key, CloudRunKind kind,
                         const char *name)
{
  const char *kind_name = cloudrun_kind_info (kind)->name;
  g_autofree const char **names = cloudrun_check_names (c->s, kind);
  g_autofree char *expected = g_strdup_printf (
      "the name of a [%s NAME] group", kind_name);
  g_autofree char *found = cloudrun_quote (name);
  g_autofree char *hint = names[0] == NULL
      ? g_strdup_printf ("the scenario has no [%s NAME] group", kind_name)
      : NULL;

  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_REFERENCE, o, key,
                              expected, found,
                              cloudrun_suggest (name, names), hint);
}

char *
cloudrun_cidr_text (const CloudRunSpecCidr *cidr)
{
  char buf[16];
  return g_strdup_printf ("%s/%u", sim_ipv4_to_string (cidr->prefix, buf),
                          cidr->len);
}

gboolean
cloudrun_cidr_overlap (const CloudRunSpecCidr *a, const CloudRunSpecCidr *b)
{
  uint32_t mask = sim_cidr_mask (MIN (a->len, b->len));
  return (a->prefix & mask) == (b->prefix & mask);
}

/* ---- References through the tables -------------------------------- */

static gboolean
resolve_project_default (CloudRunCheck *c, CloudRunSpecObject *o,
                         const CloudRunKey *key)
{
  GPtrArray *projects = c->s->projects;
  g_autofree const char **names = NULL;
  g_autofree char *joined = NULL, *expected = NULL;

  if (projects->len == 1)
    {
      G_STRUCT_MEMBER (gpointer, o, key->ref_offset) = projects->pdata[0];
      return TRUE;
    }
  names = cloudrun_check_names (c->s, CLOUDRUN_KIND_PROJECT);
  joined = g_strjoinv (", ", (char **) names);
  expected = g_strdup_printf ("the name of a [project NAME] group (the "
                              "scenario has %u projects: %s)", projects->len,
                              joined);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, o, key->name,
                              expected, "nothing", NULL, NULL);
}

static gboolean
resolve_name (CloudRunCheck *c, CloudRunSpecObject *o, const CloudRunKey *key)
{
  const char *name = G_STRUCT_MEMBER (char *, o, key->offset);
  gpointer target;

  if (name == NULL)
    {
      if (key->ref_kind == CLOUDRUN_KIND_PROJECT)
        return resolve_project_default (c, o, key);
      return TRUE;              /* optional, or derived below */
    }
  target = cloudrun_scenario_find (c->s, key->ref_kind, name);
  if (target == NULL)
    return cloudrun_check_fail_ref (c, o, key->name, key->ref_kind, name);
  G_STRUCT_MEMBER (gpointer, o, key->ref_offset) = target;
  return TRUE;
}

static gboolean
resolve_name_list (CloudRunCheck *c, CloudRunSpecObject *o,
                   const CloudRunKey *key)
{
  char **names = G_STRUCT_MEMBER (char **, o, key->offset);
  GPtrArray *targets = g_ptr_array_new ();

  G_STRUCT_MEMBER (GPtrArray *, o, key->ref_offset) = targets;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gpointer target = cloudrun_scenario_find (c->s, key->ref_kind,
                                                names[i]);
      if (target == NULL)
        return cloudrun_check_fail_ref (c, o, key->name, key->ref_kind,
                                        names[i]);
      g_ptr_array_add (targets, target);
    }
  return TRUE;
}

static gboolean
resolve_references (CloudRunCheck *c)
{
  for (int k = CLOUDRUN_KIND_PROJECT; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      GPtrArray *list = cloudrun_scenario_objects (c->s, info->kind);
      for (guint i = 0; i < list->len; i++)
        for (guint j = 0; j < info->n_keys; j++)
          {
            const CloudRunKey *key = &info->keys[j];
            if (key->type == CLOUDRUN_KEY_NAME
                && !resolve_name (c, list->pdata[i], key))
              return FALSE;
            if (key->type == CLOUDRUN_KEY_NAME_LIST
                && !resolve_name_list (c, list->pdata[i], key))
              return FALSE;
          }
    }
  return TRUE;
}

/* ---- Projects, networks, subnets ---------------------------------- */

static gboolean
check_projects (CloudRunCheck *c)
{
  GPtrArray *list = c->s->projects;

  for (guint i = 0; i < list->len; i++)
    {
      CloudRunSpecProject *p = list->pdata[i];
      if (!cloudrun_object_has (&p->base, "number"))
        p->number = cloudrun_project_number_default (p->base.name);
      for (guint j = 0; j < i; j++)
        {
          CloudRunSpecProject *q = list->pdata[j];
          g_autofree char *found = NULL;
          if (q->number != p->number)
            continue;
          found = g_strdup_printf ("'%012" G_GUINT64_FORMAT "', the number "
                                   "of [%s] too", p->number, q->base.group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &p->base, "number", "a project number "
                                      "no other project has", found, NULL,
                                      NULL);
        }
    }
  return TRUE;
}

static gboolean
check_subnet (CloudRunCheck *c, CloudRunSpecSubnet *sn)
{
  GPtrArray *same = sn->network->subnets;
  g_autofree char *text = cloudrun_cidr_text (&sn->range);
  gboolean has = cloudrun_object_has (&sn->base, "range");

  if (sn->stack_type == VPC_STACK_IPV6_ONLY)
    {
      g_autofree char *found = cloudrun_quote (text);
      if (has)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &sn->base, "range", "no IPv4 range with "
                                    "stack-type = ipv6-only", found, NULL,
                                    NULL);
      g_ptr_array_add (same, sn);
      return TRUE;
    }
  if (!has)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &sn->base,
                                "range", "an IPv4 CIDR range (required "
                                "unless stack-type = ipv6-only)", "nothing",
                                NULL, NULL);
  if (sn->range.len > 29 || sn->range.len < 4)
    {
      g_autofree char *found = cloudrun_quote (text);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                  &sn->base, "range", "a prefix length from "
                                  "/4 to /29 (Google Cloud's largest and "
                                  "smallest subnet)", found, NULL, NULL);
    }
  for (guint j = 0; j < same->len; j++)
    {
      CloudRunSpecSubnet *other = same->pdata[j];
      g_autofree char *found = NULL, *expected = NULL, *other_text = NULL;
      if (other->stack_type == VPC_STACK_IPV6_ONLY
          || !cloudrun_cidr_overlap (&sn->range, &other->range))
        continue;
      other_text = cloudrun_cidr_text (&other->range);
      expected = g_strdup_printf ("a range that overlaps no other subnet of "
                                  "network '%s'", sn->network->base.name);
      found = g_strdup_printf ("'%s', which overlaps [%s] %s", text,
                               other->base.group, other_text);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &sn->base, "range", expected, found, NULL,
                                  NULL);
    }
  g_ptr_array_add (same, sn);
  return TRUE;
}

static gboolean
check_networks_and_subnets (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->networks->len; i++)
    ((CloudRunSpecNetwork *) c->s->networks->pdata[i])->subnets
      = g_ptr_array_new ();
  for (guint i = 0; i < c->s->subnets->len; i++)
    if (!check_subnet (c, c->s->subnets->pdata[i]))
      return FALSE;
  return TRUE;
}

/* Whether project may attach to network: its own, or shared with it. */
gboolean
cloudrun_network_usable_by (const CloudRunSpecNetwork *network,
                            const CloudRunSpecProject *project)
{
  if (network->project == project)
    return TRUE;
  for (guint i = 0; i < network->shared_with->len; i++)
    if (network->shared_with->pdata[i] == project)
      return TRUE;
  return FALSE;
}

/* ---- NAT ---------------------------------------------------------- */

/* A subnet has one Cloud NAT at most; two gateways of one region that
 * both take the default also share its connectors' hidden subnets. */
static gboolean
check_nat_alone (CloudRunCheck *c, CloudRunSpecNat *nat)
{
  for (guint i = 0; i < c->s->nats->len && c->s->nats->pdata[i] != nat; i++)
    {
      CloudRunSpecNat *other = c->s->nats->pdata[i];
      g_autofree char *found = NULL;
      if (other->network != nat->network)
        continue;
      for (guint k = 0; !found && k < nat->subnets->len; k++)
        if (g_ptr_array_find (other->subnets, nat->subnets->pdata[k], NULL))
          found = g_strdup_printf ("'%s', which [%s] serves too",
                                   ((CloudRunSpecSubnet *)
                                    nat->subnets->pdata[k])->base.name,
                                   other->base.group);
      if (!found && !nat->subnet_names && !other->subnet_names
          && strcmp (nat->region, other->region) == 0)
        found = g_strdup_printf ("every subnet of %s, which [%s] serves "
                                 "too", nat->region, other->base.group);
      if (found)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &nat->base, "subnets", "subnets no "
                                    "other Cloud NAT serves", found, NULL,
                                    nat->subnet_names ? NULL
                                    : "subnets defaults to every private "
                                      "subnet of the network in the "
                                      "region");
    }
  return TRUE;
}

static gboolean
check_nat (CloudRunCheck *c, CloudRunSpecNat *nat)
{
  GPtrArray *all = nat->network->subnets;

  if (nat->subnet_names == NULL)
    {
      for (guint i = 0; i < all->len; i++)
        {
          CloudRunSpecSubnet *sn = all->pdata[i];
          if (strcmp (sn->region, nat->region) == 0
              && sn->purpose == CLOUDRUN_SUBNET_PRIVATE)
            g_ptr_array_add (nat->subnets, sn);
        }
      return check_nat_alone (c, nat);
    }
  for (guint i = 0; i < nat->subnets->len; i++)
    {
      CloudRunSpecSubnet *sn = nat->subnets->pdata[i];
      g_autofree char *expected = NULL, *found = NULL;
      if (sn->network == nat->network && strcmp (sn->region, nat->region)
                                         == 0)
        continue;
      expected = g_strdup_printf ("subnets of network '%s' in %s",
                                  nat->network->base.name, nat->region);
      found = g_strdup_printf ("'%s' (network '%s', %s)", sn->base.name,
                               sn->network->base.name, sn->region);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &nat->base, "subnets", expected, found,
                                  NULL, NULL);
    }
  return check_nat_alone (c, nat);
}

/* ---- Connectors --------------------------------------------------- */

static gboolean
check_connector_range (CloudRunCheck *c, CloudRunSpecConnector *cn)
{
  g_autofree char *text = cloudrun_cidr_text (&cn->range);
  g_autofree char *quoted = cloudrun_quote (text);
  GPtrArray *subnets;

  if (cn->range.len != 28)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &cn->base,
                                "range", "a /28 CIDR range such as "
                                "10.8.0.0/28", quoted, NULL, NULL);
  if (cn->network == NULL)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &cn->base,
                                "network", "the name of a [network NAME] "
                                "group (a connector with range needs one)",
                                "nothing", NULL, NULL);
  subnets = cn->network->subnets;
  for (guint i = 0; i < subnets->len; i++)
    {
      CloudRunSpecSubnet *sn = subnets->pdata[i];
      g_autofree char *expected = NULL, *found = NULL, *other = NULL;
      if (sn->stack_type == VPC_STACK_IPV6_ONLY
          || !cloudrun_cidr_overlap (&cn->range, &sn->range))
        continue;
      other = cloudrun_cidr_text (&sn->range);
      expected = g_strdup_printf ("a /28 outside the subnets of network "
                                  "'%s'", cn->network->base.name);
      found = g_strdup_printf ("%s, which overlaps [%s] %s", quoted,
                               sn->base.group, other);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &cn->base, "range", expected, found, NULL,
                                  NULL);
    }
  cn->block = cn->range;
  return TRUE;
}

static gboolean
check_connector_subnet (CloudRunCheck *c, CloudRunSpecConnector *cn)
{
  CloudRunSpecSubnet *sn = cn->subnet;
  g_autofree char *text = cloudrun_cidr_text (&sn->range);
  g_autofree char *found = g_strdup_printf ("'%s' (%s, %s, %s)",
                                            sn->base.name, text, sn->region,
                                            sn->network->base.name);
  g_autofree char *expected = NULL;

  if (sn->range.len != 28 || sn->purpose != CLOUDRUN_SUBNET_PRIVATE)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &cn->base,
                                "subnet", "a private /28 subnet", found, NULL,
                                NULL);
  if (strcmp (sn->region, cn->region) != 0
      || (cn->network != NULL && cn->network != sn->network))
    {
      expected = g_strdup_printf ("a subnet in %s%s%s", cn->region,
                                  cn->network ? " of network " : "",
                                  cn->network ? cn->network->base.name : "");
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &cn->base, "subnet", expected, found, NULL,
                                  NULL);
    }
  for (guint i = 0; i < c->s->connectors->len; i++)
    {
      CloudRunSpecConnector *other = c->s->connectors->pdata[i];
      if (other == cn)
        break;
      if (other->subnet == sn)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &cn->base, "subnet", "a subnet no other "
                                    "connector uses", found, NULL, NULL);
    }
  cn->network = sn->network;
  cn->block = sn->range;
  return TRUE;
}

static gboolean
check_connector (CloudRunCheck *c, CloudRunSpecConnector *cn)
{
  gboolean has_range = cloudrun_object_has (&cn->base, "range");

  if (has_range == (cn->subnet != NULL))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &cn->base, has_range ? "subnet" : "range",
                                "exactly one of range and subnet",
                                has_range ? "both" : "neither", NULL, NULL);
  if (!(has_range ? check_connector_range (c, cn)
                  : check_connector_subnet (c, cn)))
    return FALSE;
  /* Google: max-instances above min-instances (gcloud compute networks
   * vpc-access connectors create). */
  if (cn->min_instances >= cn->max_instances)
    {
      g_autofree char *expected = g_strdup_printf (
          "a number above min-instances (%" G_GINT64_FORMAT ") and at most "
          "10", cn->min_instances);
      g_autofree char *found = g_strdup_printf ("'%" G_GINT64_FORMAT "'",
                                                cn->max_instances);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &cn->base, "max-instances", expected,
                                  found, NULL, NULL);
    }
  return TRUE;
}

/* ---- Services, jobs and worker pools: their shared keys ------------ */

static gboolean
fail_vpc_key (CloudRunCheck *c, CloudRunSpecObject *o,
              const CloudRunSpecWorkload *w, const char *key,
              const char *expected, const char *written)
{
  const char *access = vpc_access_name (w->vpc_access);
  g_autofree char *found = written
      ? g_strdup_printf ("'%s' with vpc-access = %s", written, access)
      : g_strdup_printf ("nothing with vpc-access = %s", access);

  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o, key,
                              expected, found, NULL, NULL);
}

static gboolean
check_vpc_keys (CloudRunCheck *c, CloudRunSpecObject *o,
                const CloudRunSpecWorkload *w)
{
  VpcAccess a = w->vpc_access;

  if (w->connector_name != NULL && a != VPC_ACCESS_CONNECTOR)
    return fail_vpc_key (c, o, w, "connector", "a connector only with "
                         "vpc-access = connector", w->connector_name);
  if (w->subnet_name != NULL && a != VPC_ACCESS_DIRECT)
    return fail_vpc_key (c, o, w, "subnet", "a subnet only with vpc-access "
                         "= direct", w->subnet_name);
  if (a == VPC_ACCESS_CONNECTOR && w->connector == NULL)
    return fail_vpc_key (c, o, w, "connector", "the name of a [connector "
                         "NAME] group", NULL);
  if (a == VPC_ACCESS_DIRECT && w->subnet == NULL)
    return fail_vpc_key (c, o, w, "subnet", "the name of a [subnet NAME] "
                         "group for Direct VPC egress", NULL);
  if (a == VPC_ACCESS_NONE && cloudrun_object_has (o, "vpc-egress"))
    return fail_vpc_key (c, o, w, "vpc-egress", "vpc-egress only with "
                         "vpc-access = connector or direct",
                         vpc_egress_name (w->vpc_egress));
  return TRUE;
}

/* The connector or subnet: same region, a network of the workload's
 * project or shared with it. who names its kind ("service"). */
static gboolean
check_attachment (CloudRunCheck *c, CloudRunSpecObject *o,
                  const CloudRunSpecWorkload *w, const char *who)
{
  const char *key = w->connector ? "connector" : "subnet";
  const char *region = w->connector ? w->connector->region
                                    : w->subnet->region;
  CloudRunSpecNetwork *net = w->connector ? w->connector->network
                                          : w->subnet->network;
  const char *name = w->connector ? w->connector->base.name
                                  : w->subnet->base.name;
  g_autofree char *expected = NULL, *found = NULL;

  if (strcmp (region, w->region) != 0)
    {
      expected = g_strdup_printf ("a %s in %s (the %s's region)", key,
                                  w->region, who);
      found = g_strdup_printf ("'%s' in %s", name, region);
    }
  else if (!cloudrun_network_usable_by (net, w->project))
    {
      expected = g_strdup_printf ("a %s in a network of project '%s' or "
                                  "shared with it", key,
                                  w->project->base.name);
      found = g_strdup_printf ("'%s' (network '%s' of project '%s')", name,
                               net->base.name, net->project->base.name);
    }
  else if (w->subnet != NULL && w->subnet->purpose != CLOUDRUN_SUBNET_PRIVATE)
    {
      expected = g_strdup ("a private subnet");
      found = g_strdup_printf ("'%s' (proxy-only)", name);
    }
  else if (w->subnet != NULL && w->subnet->stack_type == VPC_STACK_IPV6_ONLY)
    {
      /* run/docs/configuring/vpc-dual-stack-subnet: IPv4-only and
       * dual-stack subnets; NAT64 is not supported for Cloud Run. */
      expected = g_strdup ("an ipv4-only or ipv4-ipv6 subnet (Cloud Run "
                           "sends IPv4 and needs the subnet's IPv4 range)");
      found = g_strdup_printf ("'%s' (ipv6-only)", name);
    }
  else
    return TRUE;
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o, key,
                              expected, found, NULL, NULL);
}

/* The keys every workload shares: VPC access and its attachment; fills
 * the default service account. */
static gboolean
check_workload (CloudRunCheck *c, CloudRunSpecObject *o,
                CloudRunSpecWorkload *w, const char *who)
{
  if (!check_vpc_keys (c, o, w))
    return FALSE;
  if ((w->connector != NULL || w->subnet != NULL)
      && !check_attachment (c, o, w, who))
    return FALSE;
  if (w->service_account == NULL)
    w->service_account = cloudrun_default_service_account (w->project);
  return TRUE;
}

/* ---- Jobs and worker pools ---------------------------------------- */

/* Worker pools have no connector: gcloud run worker-pools deploy takes
 * --network, --subnet, --network-tags and --vpc-egress but no
 * --vpc-connector (run/docs/configuring/vpc-direct-vpc). */
static gboolean
check_worker (CloudRunCheck *c, CloudRunSpecWorker *wk)
{
  bool job = wk->base.kind == CLOUDRUN_KIND_JOB;

  if (!job && wk->vpc_access == VPC_ACCESS_CONNECTOR)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &wk->base,
                                "vpc-access", "none or direct (a worker "
                                "pool reaches a VPC through Direct VPC "
                                "egress only, no connector)", "'connector'",
                                NULL, NULL);
  if (!check_workload (c, &wk->base, &wk->workload,
                       job ? "job" : "worker pool"))
    return FALSE;
  if (job && wk->parallelism > wk->instances)
    {
      g_autofree char *found = g_strdup_printf (
        "'%" G_GINT64_FORMAT "' with tasks = %" G_GINT64_FORMAT,
        wk->parallelism, wk->instances);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &wk->base, "parallelism", "at most tasks "
                                  "(or 0: all of them)", found, NULL, NULL);
    }
  return TRUE;
}

static gboolean
check_service (CloudRunCheck *c, CloudRunSpecService *svc)
{
  if (!check_workload (c, &svc->base, &svc->workload, "service"))
    return FALSE;
  if (svc->min_instances > svc->max_instances)
    {
      g_autofree char *found = g_strdup_printf ("'%" G_GINT64_FORMAT "'",
                                                svc->min_instances);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &svc->base, "min-instances", "at most "
                                  "max-instances", found, NULL, NULL);
    }
  svc->hash_host = cloudrun_service_hash_host (svc->project->base.name,
                                               svc->base.name, svc->region);
  svc->number_host = cloudrun_service_number_host (svc->project->number,
                                                   svc->base.name,
                                                   svc->region);
  svc->url = g_strconcat ("https://", svc->hash_host, NULL);
  svc->number_url = g_strconcat ("https://", svc->number_host, NULL);
  return TRUE;
}

/* ---- Identities --------------------------------------------------- */

char *
cloudrun_default_service_account (const CloudRunSpecProject *project)
{
  return g_strdup_printf ("%012" G_GUINT64_FORMAT
                          "-compute@developer.gserviceaccount.com",
                          project->number);
}

/* ---- Entry -------------------------------------------------------- */

void
cloudrun_object_clear_derived (CloudRunSpecObject *o)
{
  if (o->kind == CLOUDRUN_KIND_NETWORK)
    g_clear_pointer (&((CloudRunSpecNetwork *) o)->subnets, g_ptr_array_unref);
  if (o->kind == CLOUDRUN_KIND_SERVICE)
    {
      CloudRunSpecService *svc = (CloudRunSpecService *) o;
      g_clear_pointer (&svc->hash_host, g_free);
      g_clear_pointer (&svc->number_host, g_free);
      g_clear_pointer (&svc->url, g_free);
      g_clear_pointer (&svc->number_url, g_free);
      g_clear_pointer (&svc->revisions, g_ptr_array_unref);
    }
  if (o->kind == CLOUDRUN_KIND_REVISION)
    {
      CloudRunSpecRevision *r = (CloudRunSpecRevision *) o;
      g_clear_pointer (&r->tag_hash_host, g_free);
      g_clear_pointer (&r->tag_number_host, g_free);
    }
}

gboolean
cloudrun_check_unique_priority (CloudRunCheck *c, const GPtrArray *list,
                                const CloudRunSpecObject *rule,
                                gsize policy_off, gsize priority_off)
{
  gconstpointer policy = G_STRUCT_MEMBER (gconstpointer, rule, policy_off);
  int64_t priority = G_STRUCT_MEMBER (int64_t, rule, priority_off);

  for (guint i = 0; i < list->len; i++)
    {
      const CloudRunSpecObject *other = list->pdata[i];
      if (other == rule)
        break;
      if (G_STRUCT_MEMBER (gconstpointer, other, policy_off) == policy
          && G_STRUCT_MEMBER (int64_t, other, priority_off) == priority)
        {
          g_autofree char *found = g_strdup_printf (
              "'%" G_GINT64_FORMAT "', as [%s]", priority, other->group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      rule, "priority", "a priority no "
                                      "other rule of the policy has", found,
                                      NULL, NULL);
        }
    }
  return TRUE;
}

#define EACH(list, fn)                                   \
  for (guint i_ = 0; i_ < (list)->len; i_++)             \
    if (!fn (&c, (list)->pdata[i_]))                     \
      return FALSE

gboolean
cloudrun_scenario_check (CloudRunScenario *s, const CloudRunLoadContext *ctx,
                         GError **error)
{
  CloudRunCheck c = { s, ctx, error };

  if (s->duration <= 0)
    return cloudrun_check_fail (&c, CLOUDRUN_SCENARIO_ERROR_VALUE, &s->base,
                                "duration", "a time above 0s", "'0s'", NULL,
                                NULL);
  if (!resolve_references (&c) || !check_projects (&c)
      || !cloudrun_check_perimeters (&c) || !check_networks_and_subnets (&c)
      || !cloudrun_check_ipv6 (&c))
    return FALSE;
  if (!cloudrun_check_peerings (&c) || !cloudrun_check_firewalls (&c)
      || !cloudrun_check_security_policies (&c))
    return FALSE;
  EACH (s->nats, check_nat);
  EACH (s->connectors, check_connector);
  EACH (s->services, check_service);
  EACH (s->jobs, check_worker);
  EACH (s->worker_pools, check_worker);
  if (!cloudrun_check_revisions (&c) || !cloudrun_check_iap (&c)
      || !cloudrun_check_hybrid (&c) || !cloudrun_check_managed (&c))
    return FALSE;
  if (!cloudrun_check_caller_names (&c)
      || !cloudrun_check_domain_mappings (&c))
    return FALSE;
  return cloudrun_check_traffic_part (&c);
}
