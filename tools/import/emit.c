/* From the model to the scenario: references resolved (a Shared VPC
 * inferred from a service in one project using another project's
 * network), names made valid for the format (the resources' own, project-
 * qualified only on collision), and the groups written sorted by name,
 * each under a comment naming the resource it came from. Deterministic:
 * the same input gives the same bytes. */
#include "tools/import/emit-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/session/cloudrun-netsim.h"


static gboolean
regional (ImportKind k)
{
  return k == IMPORT_SUBNET || k == IMPORT_ROUTER || k == IMPORT_NAT
         || k == IMPORT_CONNECTOR || k == IMPORT_SERVICE || k == IMPORT_JOB
         || k == IMPORT_WORKER_POOL || k == IMPORT_VM || k == IMPORT_ADDRESS
         || k == IMPORT_MANAGED || k == IMPORT_CLUSTER;
}


static char *
key (ImportKind k, const char *project, const char *region, const char *name)
{
  return g_strdup_printf ("%d|%s|%s|%s", k, project ? project : "",
                          regional (k) && region ? region : "", name);
}

static void
index_res (Emit *e, ImportRes *r)
{
  g_autofree char *nk = g_strdup_printf ("%d|%s", r->kind, r->name);
  GPtrArray *list = g_hash_table_lookup (e->by_name, nk);

  g_hash_table_insert (e->exact,
                       key (r->kind, r->project, r->region, r->name), r);
  if (!list)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (e->by_name, g_steal_pointer (&nk), list);
    }
  g_ptr_array_add (list, r);
}

/* Whether a project is written as its number (one the input did not
 * map to an id may be any project of the input). */
static gboolean
project_number (const char *project)
{
  return strspn (project, "0123456789") == strlen (project);
}

/* The resource of kind a reference names: by project, region and name,
 * else the only one of that name (in that region for regional kinds; in
 * that project unless one side is a number the input did not map). */
static ImportRes *
find (Emit *e, ImportKind k, const ImportRef *ref)
{
  g_autofree char *ek = NULL, *nk = NULL;
  ImportRes *r, *only = NULL;
  GPtrArray *list;

  if (!ref)
    return NULL;
  ek = key (k, ref->project, ref->region, ref->name);
  if ((r = g_hash_table_lookup (e->exact, ek)))
    return r;
  nk = g_strdup_printf ("%d|%s", k, ref->name);
  list = g_hash_table_lookup (e->by_name, nk);
  for (guint i = 0; list && i < list->len; i++)
    {
      ImportRes *c = list->pdata[i];
      if (ref->project && c->project && strcmp (ref->project, c->project)
          && project_number (ref->project) == project_number (c->project))
        continue;
      if (regional (k) && ref->region && c->region
          && strcmp (ref->region, c->region))
        continue;
      if (only)
        return NULL;
      only = c;
    }
  return only;
}

/* Whether policy p (IMPORT_POLICY) is associated with networks: a global
 * or regional network policy. */
static gboolean
on_networks (const ImportRes *p)
{
  return strcmp (p->type, "network") == 0
         || strcmp (p->type, "regional") == 0;
}

static void
vnote (Emit *e, ImportRes *r, const char *format, va_list ap)
  G_GNUC_PRINTF (3, 0);

static void
vnote (Emit *e, ImportRes *r, const char *format, va_list ap)
{
  g_autofree char *what = g_strdup_vprintf (format, ap);

  g_ptr_array_add (e->m->not_modelled, g_strdup_printf ("%s: %s", r->origin,
                                                        what));
}

static void
note (Emit *e, ImportRes *r, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
note (Emit *e, ImportRes *r, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  vnote (e, r, format, ap);
  va_end (ap);
}

void
import_emit_note (Emit *e, ImportRes *r, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  vnote (e, r, format, ap);
  va_end (ap);
}

static void
add_unique (GPtrArray **list, const char *v)
{
  if (!*list)
    *list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < (*list)->len; i++)
    if (strcmp ((*list)->pdata[i], v) == 0)
      return;
  g_ptr_array_add (*list, g_strdup (v));
}

/* The project id for a project number, when the input told it. */
static void
normalise_project (Emit *e, char **project)
{
  const char *id;

  if (*project && (id = g_hash_table_lookup (e->m->numbers, *project)))
    {
      g_free (*project);
      *project = g_strdup (id);
    }
}

static void
normalise (Emit *e, ImportRes *r)
{
  ImportRef *refs[] = { r->network, r->subnet, r->connector, r->target };

  normalise_project (e, &r->project);
  for (guint i = 0; i < G_N_ELEMENTS (refs); i++)
    if (refs[i])
      normalise_project (e, &refs[i]->project);
  for (guint i = 0; i < r->refs->len; i++)
    normalise_project (e, &((ImportRef *) r->refs->pdata[i])->project);
}

/* A network made for references to one the input lacks. */
static ImportRes *
network_for (Emit *e, ImportRes *from, const ImportRef *ref)
{
  ImportRes *n = find (e, IMPORT_NETWORK, ref);
  ImportSrc s = { "", 0, NULL, NULL, e->m, NULL };

  if (n)
    return n;
  s.origin = ref->text;
  n = import_res_new (&s, IMPORT_NETWORK, ref->project, NULL, ref->name);
  g_free (n->origin);
  n->origin = g_strdup_printf ("%s (network named by %s, not in the input)",
                               ref->text, from->origin);
  index_res (e, n);
  note (e, from, "network %s is not in the input: made with its defaults",
        ref->text);
  return n;
}

ImportRes *
import_emit_find (Emit *e, ImportKind k, const ImportRef *ref)
{
  return find (e, k, ref);
}

ImportRes *
import_emit_network_for (Emit *e, ImportRes *from, const ImportRef *ref)
{
  return network_for (e, from, ref);
}

void
import_emit_index (Emit *e, ImportRes *r)
{
  index_res (e, r);
}

static void
share (ImportRes *net, const char *project)
{
  if (net && project && net->project && strcmp (net->project, project) != 0)
    add_unique (&net->shared_with, project);
}

/* Resolves r's references; a resource whose reference cannot be resolved
 * is left out (or, for a service, left without VPC access), with a note. */
static void
resolve (Emit *e, ImportRes *r)
{
  ImportRes *t;

  switch (r->kind)
    {
    case IMPORT_SUBNET:
    case IMPORT_FIREWALL:
    case IMPORT_ROUTE:
    case IMPORT_PSC:
    case IMPORT_ROUTER:
      if (!r->network)
        {
          if (r->kind != IMPORT_ROUTER
              && !(r->kind == IMPORT_FIREWALL && r->target))
            r->skip = TRUE;     /* a policy's rule: resolve_policies */
          break;
        }
      t = network_for (e, r, r->network);
      r->network->name = (g_free (r->network->name), g_strdup (t->name));
      g_free (r->network->project);
      r->network->project = g_strdup (t->project);
      if (r->kind == IMPORT_ROUTE && r->type)
        g_hash_table_add (e->routes_seen, t);
      if (r->kind == IMPORT_ROUTE && !r->skip && r->range
          && strcmp (r->range, "0.0.0.0/0") == 0 && r->next_hop
          && strcmp (r->next_hop, "default-internet-gateway") == 0)
        {
          t->default_route = 1;
          r->skip = TRUE;       /* the simulator's own default route */
        }
      if (r->kind == IMPORT_PSC && !r->range)
        {
          ImportRes *a = find (e, IMPORT_ADDRESS, r->target);
          if (a && a->range)
            r->range = g_strdup (a->range);
          else
            {
              r->skip = TRUE;
              note (e, r, "address %s not known: endpoint left out",
                    r->target ? r->target->text : "?");
            }
        }
      break;
    case IMPORT_PEERING:
      if (r->type)
        {
          r->skip = TRUE;       /* private services access's, or routes */
          break;
        }
      network_for (e, r, r->network);
      if (!find (e, IMPORT_NETWORK, r->target))
        {
          r->skip = TRUE;
          note (e, r, "peer network %s is not in the input: peering left "
                "out", r->target->text);
        }
      break;
    default:
      break;
    }
}

static const char *
group_of (Emit *e, ImportKind k, const ImportRef *ref)
{
  ImportRes *r = find (e, k, ref);

  return r && !r->skip ? r->group : NULL;
}

/* ---- Names ------------------------------------------------------------ */

static char *
valid_name (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p && out->len < 63; p++)
    {
      char c = g_ascii_tolower (*p);
      if (g_ascii_isalnum (c) || c == '-')
        g_string_append_c (out, c);
      else if (out->len && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  if (!out->len || !g_ascii_islower (out->str[0]))
    g_string_prepend (out, "r-");
  g_string_truncate (out, MIN (out->len, 63));
  while (out->len > 1 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static int
cmp_identity (gconstpointer a, gconstpointer b)
{
  const ImportRes *x = *(ImportRes *const *) a, *y = *(ImportRes *const *) b;
  int c;

  if (x->kind != y->kind)
    return (int) x->kind - (int) y->kind;
  if ((c = g_strcmp0 (x->name, y->name)))
    return c;
  if ((c = g_strcmp0 (x->project, y->project)))
    return c;
  return g_strcmp0 (x->region, y->region);
}

static int
cmp_group (gconstpointer a, gconstpointer b)
{
  const ImportRes *x = *(ImportRes *const *) a, *y = *(ImportRes *const *) b;

  if (x->kind != y->kind)
    return (int) x->kind - (int) y->kind;
  return g_strcmp0 (x->group, y->group);
}

/* Candidate level: 0 the name, 1 PROJECT-NAME, 2 NAME-REGION (one
 * project's auto-mode subnets; a peering's network stands for its
 * region), 3 PROJECT-NAME-REGION. */
static char *
candidate (const ImportRes *r, guint level)
{
  g_autofree char *text = NULL;
  const char *name = r->display ? r->display : r->name;
  const char *region = r->kind == IMPORT_PEERING && r->network
                       ? r->network->name : r->region;

  if (r->kind == IMPORT_PROJECT
      && strspn (r->name, "0123456789") == strlen (r->name))
    text = g_strdup_printf ("project-%s", r->name);
  else if (level == 0 || (level == 1 && !r->project)
           || (level == 2 && !region))
    text = g_strdup (name);
  else if (level == 1 || (level == 3 && !region))
    text = g_strdup_printf ("%s-%s", r->project, name);
  else if (level == 2 || !r->project)
    text = g_strdup_printf ("%s-%s", name, region);
  else
    text = g_strdup_printf ("%s-%s-%s", r->project, name, region);
  return valid_name (text);
}

/* Names every emitted resource of kind k (res sorted by identity). */
static void
name_kind (GPtrArray *res, ImportKind k)
{
  g_autoptr (GHashTable) count = g_hash_table_new_full (g_str_hash,
                                                        g_str_equal, g_free,
                                                        NULL);
  g_autoptr (GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint level = 0; level < 4; level++)
    {
      g_hash_table_remove_all (count);
      for (guint i = 0; i < res->len; i++)
        {
          ImportRes *r = res->pdata[i];
          char *c;
          if (r->kind != k || r->skip || r->group)
            continue;
          c = candidate (r, level);
          g_hash_table_replace (count, c, GUINT_TO_POINTER (
            GPOINTER_TO_UINT (g_hash_table_lookup (count, c)) + 1));
        }
      for (guint i = 0; i < res->len; i++)
        {
          ImportRes *r = res->pdata[i];
          g_autofree char *c = NULL;
          if (r->kind != k || r->skip || r->group)
            continue;
          c = candidate (r, level);
          if (GPOINTER_TO_UINT (g_hash_table_lookup (count, c)) == 1
              && !g_hash_table_contains (taken, c))
            {
              r->group = g_steal_pointer (&c);
              g_hash_table_add (taken, r->group);
            }
        }
    }
  for (guint i = 0, n = 2; i < res->len; i++)
    {
      ImportRes *r = res->pdata[i];
      g_autofree char *base = NULL;
      if (r->kind != k || r->skip || r->group)
        continue;
      base = candidate (r, 3);
      do
        {
          g_autofree char *num = g_strdup_printf ("-%u", n++);
          g_free (r->group);
          r->group = g_strdup_printf ("%.*s%s", (int) (63 - strlen (num)),
                                      base, num);
        }
      while (g_hash_table_contains (taken, r->group));
      g_hash_table_add (taken, r->group);
    }
}

/* ---- Writing ------------------------------------------------------------ */

static void
comment (GString *out, const char *prefix, const char *text)
{
  g_string_append_printf (out, "# %s", prefix);
  for (const char *p = text; *p; p++)
    g_string_append_c (out, (unsigned char) *p < ' ' ? '?' : *p);
  g_string_append_c (out, '\n');
}

static void
list_sorted (GString *out, const char *k, GPtrArray *items)
{
  g_autoptr (GPtrArray) copy = g_ptr_array_new ();

  for (guint i = 0; items && i < items->len; i++)
    g_ptr_array_add (copy, items->pdata[i]);
  g_string_append_printf (out, "%s =", k);
  for (guint i = 0; i < copy->len; i++)
    g_string_append_printf (out, "%s%s", i ? ";" : " ",
                            (const char *) copy->pdata[i]);
  g_string_append_c (out, '\n');
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
sort_unique (GPtrArray *a)
{
  if (!a)
    return;
  g_ptr_array_sort (a, cmp_str);
  for (guint i = 1; i < a->len;)
    if (strcmp (a->pdata[i], a->pdata[i - 1]) == 0)
      g_ptr_array_remove_index (a, i);
    else
      i++;
}

/* "KEY = A;B" sorted, when items has some. */
static void
list_if (GString *out, const char *k, GPtrArray *items)
{
  if (!items || !items->len)
    return;
  sort_unique (items);
  list_sorted (out, k, items);
}

/* "KEY = A;B": the groups of kind that refs (ImportRef *) name, sorted,
 * each once; "KEY =" when none resolves. */
static void
list_refs (Emit *e, GString *out, const char *k, ImportKind kind,
           GPtrArray *refs)
{
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  const char *g;

  for (guint i = 0; i < refs->len; i++)
    if ((g = group_of (e, kind, refs->pdata[i])))
      g_ptr_array_add (groups, g_strdup (g));
  sort_unique (groups);
  list_sorted (out, k, groups);
}

/* What a service, job and worker pool write alike: service account and
 * VPC access. */
static void
write_workload (Emit *e, GString *out, ImportRes *r)
{
  if (r->service_account)
    g_string_append_printf (out, "service-account = %s\n",
                            r->service_account);
  if (r->vpc_access)
    {
      g_string_append_printf (out, "vpc-access = %s\n", r->vpc_access);
      if (r->connector)
        g_string_append_printf (out, "connector = %s\n",
                                group_of (e, IMPORT_CONNECTOR, r->connector));
      else
        g_string_append_printf (out, "subnet = %s\n",
                                group_of (e, IMPORT_SUBNET, r->subnet));
      if (r->egress)
        g_string_append_printf (out, "vpc-egress = %s\n", r->egress);
      if (strcmp (r->vpc_access, "direct") == 0)
        list_if (out, "network-tags", r->tags);
    }
}

/* A peering's or private connection's custom route exchange. */
static void
write_routes (GString *out, const ImportRes *r)
{
  if (r->export_routes == 1)
    g_string_append (out, "export-custom-routes = true\n");
  if (r->import_routes == 1)
    g_string_append (out, "import-custom-routes = true\n");
}

static void
write_project (Emit *e, GString *out, const char *project)
{
  (void) e;
  if (project)
    g_string_append_printf (out, "project = %s\n", project);
}

static void
write_res (Emit *e, GString *out, ImportRes *r)
{
  const char *g;

  if (r->kind != IMPORT_ZONE)
    comment (out, "from ", r->origin);
  switch (r->kind)
    {
    case IMPORT_PROJECT:
      g_string_append_printf (out, "[project %s]\n", r->group);
      {
        GHashTableIter it;
        gpointer num, id;
        g_hash_table_iter_init (&it, e->m->numbers);
        const char *best = NULL;
        while (g_hash_table_iter_next (&it, &num, &id))
          if (strcmp (id, r->name) == 0 && strlen (num) == 12
              && (!best || strcmp (num, best) < 0))
            best = num;
        if (!best && strlen (r->name) == 12
            && strspn (r->name, "0123456789") == 12)
          best = r->name;
        if (best)
          g_string_append_printf (out, "number = %s\n", best);
      }
      break;
    case IMPORT_NETWORK:
      g_string_append_printf (out, "[network %s]\n", r->group);
      write_project (e, out, r->project ? group_of (e, IMPORT_PROJECT,
                     &(ImportRef) { r->project, NULL, r->project, NULL })
                     : NULL);
      if (r->default_route == 0)
        g_string_append (out, "default-route = false\n");
      if (r->order)
        g_string_append_printf (out, "firewall-policy-enforcement-order = "
                                "%s\n", r->order);
      if (r->shared_with && r->shared_with->len)
        {
          g_autoptr (GPtrArray) groups
            = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < r->shared_with->len; i++)
            {
              const char *p = group_of (e, IMPORT_PROJECT, &(ImportRef) {
                r->shared_with->pdata[i], NULL,
                r->shared_with->pdata[i], NULL });
              if (p)
                g_ptr_array_add (groups, g_strdup (p));
            }
          sort_unique (groups);
          if (groups->len)
            list_sorted (out, "shared-with", groups);
        }
      break;
    case IMPORT_SUBNET:
      g_string_append_printf (out, "[subnet %s]\nnetwork = %s\nregion = %s\n"
                              "range = %s\n", r->group,
                              group_of (e, IMPORT_NETWORK, r->network),
                              r->region, r->range);
      if (r->pga >= 0)
        g_string_append_printf (out, "private-google-access = %s\n",
                                r->pga ? "true" : "false");
      if (r->purpose && strcmp (r->purpose, "private"))
        g_string_append_printf (out, "purpose = %s\n", r->purpose);
      break;
    case IMPORT_ROUTE:
      g_string_append_printf (out,
                              "[route %s]\nnetwork = %s\ndestination = %s\n"
                              "next-hop = %s\n", r->group,
                              group_of (e, IMPORT_NETWORK, r->network),
                              r->range, r->next_hop);
      if (r->priority >= 0)
        g_string_append_printf (out, "priority = %" G_GINT64_FORMAT "\n",
                                r->priority);
      break;
    case IMPORT_FIREWALL:
      g_string_append_printf (out, "[firewall %s]\n%s = %s\n"
                              "direction = %s\naction = %s\n", r->group,
                              r->network ? "network" : "policy",
                              r->network ? group_of (e, IMPORT_NETWORK,
                                                     r->network)
                                         : group_of (e, IMPORT_POLICY,
                                                     r->target),
                              r->direction, r->action);
      if (r->ranges->len)
        {
          sort_unique (r->ranges);
          list_sorted (out, "ranges", r->ranges);
        }
      if (r->protocols && r->protocols->len)
        {
          sort_unique (r->protocols);
          list_sorted (out, "protocols", r->protocols);
        }
      if (r->priority >= 0)
        g_string_append_printf (out, "priority = %" G_GINT64_FORMAT "\n",
                                r->priority);
      list_if (out, "target-tags", r->tags);
      list_if (out, "target-service-accounts", r->target_sas);
      list_if (out, "source-tags", r->source_tags);
      list_if (out, "source-service-accounts", r->source_sas);
      if (r->disabled)
        g_string_append (out, "disabled = true\n");
      break;
    case IMPORT_NAT:
      g_string_append_printf (out, "[nat %s]\nnetwork = %s\nregion = %s\n",
                              r->group,
                              group_of (e, IMPORT_NETWORK, r->network),
                              r->region);
      if (r->refs->len)
        list_refs (e, out, "subnets", IMPORT_SUBNET, r->refs);
      if (r->n_addresses > 0)
        g_string_append_printf (out, "addresses = %" G_GINT64_FORMAT "\n",
                                r->n_addresses);
      if (r->min_ports > 0)
        g_string_append_printf (out, "min-ports-per-vm = %" G_GINT64_FORMAT
                                "\n", r->min_ports);
      if (r->tcp_time_wait > 0)
        g_string_append_printf (out, "tcp-time-wait-timeout = %" G_GINT64_FORMAT
                                "s\n", r->tcp_time_wait);
      break;
    case IMPORT_CONNECTOR:
      g_string_append_printf (out, "[connector %s]\nregion = %s\n", r->group,
                              r->region);
      if (r->subnet)
        g_string_append_printf (out, "subnet = %s\n",
                                group_of (e, IMPORT_SUBNET, r->subnet));
      else
        g_string_append_printf (out, "network = %s\nrange = %s\n",
                                group_of (e, IMPORT_NETWORK, r->network),
                                r->range);
      if (r->machine_type)
        g_string_append_printf (out, "machine-type = %s\n", r->machine_type);
      if (r->min_instances > 0)
        g_string_append_printf (out, "min-instances = %" G_GINT64_FORMAT "\n",
                                r->min_instances);
      if (r->max_instances > 0)
        g_string_append_printf (out, "max-instances = %" G_GINT64_FORMAT "\n",
                                r->max_instances);
      break;
    case IMPORT_SERVICE:
      g_string_append_printf (out, "[service %s]\n", r->group);
      write_project (e, out, r->project ? group_of (e, IMPORT_PROJECT,
                     &(ImportRef) { r->project, NULL, r->project, NULL })
                     : NULL);
      g_string_append_printf (out, "region = %s\n", r->region);
      if (r->ingress)
        g_string_append_printf (out, "ingress = %s\n", r->ingress);
      if (r->default_url == 0)
        g_string_append (out, "default-url = false\n");
      if (r->invoker_iam_disabled == 1)
        g_string_append (out, "invokers = allUsers\n");
      else if (r->members && r->members->len)
        {
          sort_unique (r->members);
          list_sorted (out, "invokers", r->members);
        }
      else if (r->members || e->m->has_iam)
        g_string_append (out, "# invokers: nobody the simulator models holds "
                         "roles/run.invoker here;\n# the address below "
                         "stands for nobody.\n"
                         "invokers = user:" IMPORT_NOBODY "\n");
      if (r->audiences && r->audiences->len)
        {
          sort_unique (r->audiences);
          list_sorted (out, "custom-audiences", r->audiences);
        }
      if (r->iap == 1)
        g_string_append (out, "# iap-access: who holds "
                         "roles/iap.httpsResourceAccessor is not imported;\n"
                         "# until it is written, IAP lets nobody pass.\n"
                         "iap = true\n");
      write_workload (e, out, r);
      if (r->min_instances > 0)
        g_string_append_printf (out, "min-instances = %" G_GINT64_FORMAT "\n",
                                r->min_instances);
      if (r->max_instances > 0)
        g_string_append_printf (out, "max-instances = %" G_GINT64_FORMAT "\n",
                                r->max_instances);
      if (r->concurrency > 0)
        g_string_append_printf (out, "concurrency = %" G_GINT64_FORMAT "\n",
                                r->concurrency);
      break;
    case IMPORT_JOB:
    case IMPORT_WORKER_POOL:
      g_string_append_printf (out, "[%s %s]\n", r->kind == IMPORT_JOB
                              ? "job" : "worker-pool", r->group);
      write_project (e, out, r->project ? group_of (e, IMPORT_PROJECT,
                     &(ImportRef) { r->project, NULL, r->project, NULL })
                     : NULL);
      g_string_append_printf (out, "region = %s\n", r->region);
      write_workload (e, out, r);
      if (r->tasks > 0)
        g_string_append_printf (out, "%s = %" G_GINT64_FORMAT "\n",
                                r->kind == IMPORT_JOB ? "tasks" : "instances",
                                r->tasks);
      if (r->kind == IMPORT_JOB && r->parallelism > 0)
        g_string_append_printf (out, "parallelism = %" G_GINT64_FORMAT "\n",
                                r->parallelism);
      break;
    case IMPORT_VM:
      g_string_append_printf (out, "[vm %s]\nsubnet = %s\n", r->group,
                              group_of (e, IMPORT_SUBNET, r->subnet));
      if (r->range)
        g_string_append_printf (out, "address = %s\n", r->range);
      if (r->external_ip == 1)
        g_string_append (out, "external-ip = true\n");
      if (r->service_account)
        g_string_append_printf (out, "service-account = %s\n",
                                r->service_account);
      list_if (out, "network-tags", r->tags);
      break;
    case IMPORT_ZONE:
      comment (out, "from ", r->origin);
      for (guint i = 0; r->members && i < r->members->len; i++)
        comment (out, "record from ", r->members->pdata[i]);
      g_string_append_printf (out, "[dns-zone %s]\ndns-name = %s\n"
                              "visibility = %s\n", r->group, r->dns_name,
                              r->visibility);
      if (strcmp (r->visibility, "private") == 0)
        list_refs (e, out, "networks", IMPORT_NETWORK, r->refs);
      if (r->ranges && r->ranges->len)
        {
          sort_unique (r->ranges);
          list_sorted (out, "records", r->ranges);
        }
      if (r->forward && r->forward->len)
        list_sorted (out, "forward-to", r->forward);
      break;
    case IMPORT_LB:
      if (strcmp (r->scheme, "INTERNAL_MANAGED") == 0)
        {
          g_string_append_printf (out, "[internal-alb %s]\nnetwork = %s\n"
                                  "region = %s\naddress = %s\nbackend = %s\n",
                                  r->group, group_of (e, IMPORT_NETWORK,
                                                      r->network),
                                  r->region, r->range, r->backend->group);
          if (r->global_access == 1)
            g_string_append (out, "global-access = true\n");
        }
      else
        {
          g_string_append_printf (out, "[external-alb %s]\naddress = %s\n"
                                  "backend = %s\n", r->group, r->range,
                                  r->backend->group);
          if (r->armor && !r->armor->skip)
            g_string_append_printf (out, "security-policy = %s\n",
                                    r->armor->group);
          if (r->iap == 1)
            g_string_append (out, "# iap-access: who holds "
                             "roles/iap.httpsResourceAccessor is not "
                             "imported;\n# until it is written, IAP lets "
                             "nobody pass.\niap = true\n");
        }
      break;
    case IMPORT_DOMAIN:
      g_string_append_printf (out, "[domain-mapping %s]\ndomain = %s\n"
                              "service = %s\n", r->group, r->name,
                              r->backend->group);
      if (!r->public_dns)
        g_string_append (out, "public-dns = false\n");
      break;
    case IMPORT_PERIMETER:
      g_string_append_printf (out, "[perimeter %s]\n", r->group);
      {
        g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; r->shared_with && i < r->shared_with->len; i++)
          if ((g = group_of (e, IMPORT_PROJECT, &(ImportRef) {
                 r->shared_with->pdata[i], NULL,
                 r->shared_with->pdata[i], NULL })))
            g_ptr_array_add (groups, g_strdup (g));
        sort_unique (groups);
        list_sorted (out, "projects", groups);
      }
      if (r->ranges && r->ranges->len)
        {
          sort_unique (r->ranges);
          list_sorted (out, "restricted-services", r->ranges);
        }
      if (r->audiences && r->audiences->len)
        {
          sort_unique (r->audiences);
          list_sorted (out, "access-level-ranges", r->audiences);
        }
      if (r->protocols && r->protocols->len)
        {
          sort_unique (r->protocols);
          list_sorted (out, "access-level-identities", r->protocols);
        }
      break;
    case IMPORT_POLICY:
      g_string_append_printf (out, "[firewall-policy %s]\ntype = %s\n",
                              r->group, r->type);
      if (strcmp (r->type, "regional") == 0)
        g_string_append_printf (out, "region = %s\n", r->region);
      if (on_networks (r) || r->visibility)
        {
          g_autoptr (GPtrArray) groups
            = g_ptr_array_new_with_free_func (g_free);
          gboolean nets = on_networks (r);
          if (!nets)
            g_string_append (out, "level = folder\n");
          for (guint i = 0; nets && i < r->refs->len; i++)
            if ((g = group_of (e, IMPORT_NETWORK, r->refs->pdata[i])))
              g_ptr_array_add (groups, g_strdup (g));
          for (guint i = 0; !nets && r->shared_with
                            && i < r->shared_with->len; i++)
            if ((g = group_of (e, IMPORT_PROJECT, &(ImportRef) {
                   r->shared_with->pdata[i], NULL,
                   r->shared_with->pdata[i], NULL })))
              g_ptr_array_add (groups, g_strdup (g));
          list_if (out, nets ? "networks" : "projects", groups);
        }
      break;
    case IMPORT_ARMOR:
      g_string_append_printf (out, "[security-policy %s]\n"
                              "default-action = %s\n", r->group, r->action);
      break;
    case IMPORT_ARMOR_RULE:
      g_string_append_printf (out, "[security-rule %s]\npolicy = %s\n"
                              "priority = %" G_GINT64_FORMAT "\n"
                              "action = %s\n", r->group,
                              group_of (e, IMPORT_ARMOR, r->target),
                              r->priority, r->action);
      list_if (out, "source-ranges", r->ranges);
      list_if (out, "region-codes", r->codes);
      if (r->header)
        g_string_append_printf (out, "header = %s\n", r->header);
      break;
    case IMPORT_DNS_POLICY:
      g_string_append_printf (out, "[dns-server-policy %s]\n", r->group);
      list_refs (e, out, "networks", IMPORT_NETWORK, r->refs);
      if (r->forward->len)
        list_sorted (out, "alternative-name-servers", r->forward);
      if (r->inbound == 1)
        g_string_append (out, "inbound = true\n");
      break;
    case IMPORT_PEERING:
      g_string_append_printf (out, "[peering %s]\nnetwork = %s\n"
                              "peer-network = %s\n", r->group,
                              group_of (e, IMPORT_NETWORK, r->network),
                              group_of (e, IMPORT_NETWORK, r->target));
      write_routes (out, r);
      break;
    case IMPORT_PSA:
      g_string_append_printf (out, "[private-services-access %s]\n"
                              "network = %s\n", r->group,
                              group_of (e, IMPORT_NETWORK, r->network));
      list_if (out, "ranges", r->ranges);
      write_routes (out, r);
      break;
    case IMPORT_MANAGED:
      g_string_append_printf (out, "[managed-instance %s]\nproduct = %s\n"
                              "private-services-access = %s\n"
                              "region = %s\naddress = %s\n", r->group,
                              r->type, r->backend->group, r->region,
                              r->range);
      if (g_str_has_prefix (r->type, "cloud-sql-"))
        list_if (out, "authorized-networks", r->ranges);
      break;
    case IMPORT_PSC:
      g_string_append_printf (out, "[psc-endpoint %s]\nnetwork = %s\n"
                              "address = %s\nbundle = %s\n", r->group,
                              group_of (e, IMPORT_NETWORK, r->network),
                              r->range, r->bundle);
      break;
    default:
      return;
    }
  g_string_append_c (out, '\n');
}

/* The regions the scenario format knows, from the door's description of
 * [subnet] (the list after "regions:"). */
static GHashTable *
known_regions (void)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  gboolean in = FALSE;

  if (!cloudrun_describe_keys (text, "subnet", NULL))
    return set;
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) words = NULL;
      char *l = g_strstrip (lines[i]);

      if (g_str_has_prefix (l, "regions:"))
        {
          in = TRUE;
          continue;
        }
      if (!in)
        continue;
      if (!*l || (!strchr (l, ',') && strchr (l, ' ')))
        break;
      words = g_strsplit_set (l, ", ", -1);
      for (guint j = 0; words[j]; j++)
        if (*words[j] && import_is_word (words[j]))
          g_hash_table_add (set, g_strdup (words[j]));
    }
  return set;
}

/* Leaves out what lies in a region the format does not know. */
static void
drop_unknown_regions (Emit *e)
{
  g_autoptr (GHashTable) regions = known_regions ();

  if (!g_hash_table_size (regions))
    return;
  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *r = e->m->res->pdata[i];
      gboolean regional_kind = r->kind == IMPORT_SUBNET || r->kind == IMPORT_NAT
        || r->kind == IMPORT_CONNECTOR || r->kind == IMPORT_SERVICE
        || r->kind == IMPORT_JOB || r->kind == IMPORT_WORKER_POOL
        || r->kind == IMPORT_VM || r->kind == IMPORT_LB
        || r->kind == IMPORT_MANAGED;

      if (regional_kind && !r->skip && r->region
          && !g_hash_table_contains (regions, r->region))
        {
          r->skip = TRUE;
          note (e, r, "region %s is not one the simulator knows "
                "(cloudrun-netsim keys subnet): left out", r->region);
        }
    }
}

/* ---- The whole ---------------------------------------------------------- */

static void
fill_project (char **project, const char *fill)
{
  if (!*project && fill)
    *project = g_strdup (fill);
}

/* Resources without a project (a plan whose provider sets it, a gcloud
 * DNS zone) join the only project; with several, a network or service
 * without one is put in a project named default, and references without
 * one match by name. */
static void
fill_projects (Emit *e)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *only = NULL;

  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *r = e->m->res->pdata[i];
      if (r->project)
        g_hash_table_add (seen, r->project);
    }
  if (g_hash_table_size (seen) == 1)
    {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init (&it, seen);
      g_hash_table_iter_next (&it, &k, NULL);
      only = g_strdup (k);
    }
  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *r = e->m->res->pdata[i];
      ImportRef *refs[] = { r->network, r->subnet, r->connector, r->target };
      if (!only)
        {
          if (!r->project && g_hash_table_size (seen) > 1
              && (r->kind == IMPORT_NETWORK || r->kind == IMPORT_SERVICE
                  || r->kind == IMPORT_JOB || r->kind == IMPORT_WORKER_POOL))
            {
              r->project = g_strdup ("default");
              note (e, r, "no project: put in a project named default");
            }
          continue;
        }
      fill_project (&r->project, only);
      for (guint j = 0; j < G_N_ELEMENTS (refs); j++)
        if (refs[j])
          fill_project (&refs[j]->project, only);
      for (guint j = 0; j < r->refs->len; j++)
        fill_project (&((ImportRef *) r->refs->pdata[j])->project, only);
    }
}

static gboolean
emitted (ImportKind k)
{
  return k == IMPORT_PROJECT || k == IMPORT_NETWORK || k == IMPORT_SUBNET
         || k == IMPORT_ROUTE || k == IMPORT_FIREWALL || k == IMPORT_NAT
         || k == IMPORT_CONNECTOR || k == IMPORT_SERVICE || k == IMPORT_JOB
         || k == IMPORT_WORKER_POOL || k == IMPORT_VM || k == IMPORT_ZONE
         || k == IMPORT_PSC || k == IMPORT_LB || k == IMPORT_PERIMETER
         || k == IMPORT_POLICY || k == IMPORT_DOMAIN || k == IMPORT_ARMOR
         || k == IMPORT_ARMOR_RULE || k == IMPORT_DNS_POLICY
         || k == IMPORT_PEERING || k == IMPORT_PSA || k == IMPORT_MANAGED;
}

/* A private range, which an access level may not admit in the format. */
static gboolean
private_range (const char *cidr)
{
  static const char *const prefixes[] = { "10.", "192.168.", "127.",
                                          "169.254.", "0." };
  guint a = 0, b = 0;

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (cidr, prefixes[i]))
      return TRUE;
  if (sscanf (cidr, "%u.%u.", &a, &b) == 2)
    return (a == 172 && b >= 16 && b < 32) || (a == 100 && b >= 64 && b < 128);
  return FALSE;
}

static void add_project (Emit *e, const char *project);

/* A perimeter's projects (by number, as VPC-SC names them) as project
 * ids into shared_with, and its access levels' public ranges and
 * identities into audiences and protocols. */
static void
resolve_perimeter (Emit *e, ImportRes *r)
{
  for (guint i = 0; i < r->refs->len; i++)
    {
      ImportRef *ref = r->refs->pdata[i];
      const char *id = g_hash_table_lookup (e->m->numbers, ref->name);
      g_autofree char *made = NULL;

      if (!id && strspn (ref->name, "0123456789") == strlen (ref->name))
        {
          made = g_strdup_printf ("project-%s", ref->name);
          import_project_number (e->m, made, ref->name);
          id = made;
        }
      else if (!id)
        id = ref->name;
      add_unique (&r->shared_with, id);
      add_project (e, id);
    }
  for (guint i = 0; r->members && i < r->members->len; i++)
    {
      ImportRef ref = { NULL, NULL, r->members->pdata[i],
                        r->members->pdata[i] };
      ImportRes *lvl = find (e, IMPORT_ACCESS_LEVEL, &ref);

      if (!lvl)
        {
          note (e, r, "access level %s not in the input",
                (char *) r->members->pdata[i]);
          continue;
        }
      for (guint j = 0; j < lvl->ranges->len; j++)
        if (private_range (lvl->ranges->pdata[j]))
          note (e, lvl, "private range %s (the format's access levels admit "
                "public ranges only)", (char *) lvl->ranges->pdata[j]);
        else
          add_unique (&r->audiences, lvl->ranges->pdata[j]);
      for (guint j = 0; j < lvl->members->len; j++)
        add_unique (&r->protocols, lvl->members->pdata[j]);
    }
}

/* Follows a load balancer's chain to its service; FALSE with a note
 * when a link is missing or the kind of load balancer is not modelled. */
static gboolean
resolve_lb (Emit *e, ImportRes *r)
{
  ImportRes *proxy, *map = NULL, *be = NULL, *neg = NULL, *svc = NULL, *sub;
  gboolean internal = strcmp (r->scheme, "INTERNAL_MANAGED") == 0;

  if (!internal && (strcmp (r->scheme, "EXTERNAL_MANAGED") != 0
                    && strcmp (r->scheme, "EXTERNAL") != 0))
    {
      note (e, r, "load balancing scheme %s: left out", r->scheme);
      return FALSE;
    }
  if (!internal && r->region)
    {
      note (e, r, "a regional external Application Load Balancer: left out");
      return FALSE;
    }
  proxy = find (e, IMPORT_PROXY, r->target);
  if (proxy)
    map = find (e, IMPORT_URL_MAP, proxy->target);
  if (map)
    be = find (e, IMPORT_BACKEND, map->target);
  if (be && be->refs->len)
    neg = find (e, IMPORT_NEG, be->refs->pdata[0]);
  if (neg && !neg->skip)
    svc = find (e, IMPORT_SERVICE, neg->target);
  if (!svc || svc->skip)
    {
      note (e, r, "the chain to a Cloud Run service breaks at the %s: load "
            "balancer left out", !proxy ? "target proxy" : !map ? "URL map"
            : !be ? "backend service" : !neg || neg->skip ? "serverless NEG"
            : "service");
      return FALSE;
    }
  r->backend = svc;
  if (be->armor_ref && internal)
    note (e, r, "security policy %s: a regional internal ALB's policy is "
          "not modelled", be->armor_ref->text);
  else if (be->armor_ref
           && !(r->armor = find (e, IMPORT_ARMOR, be->armor_ref)))
    note (e, r, "security policy %s not in the input: the load balancer "
          "is written without it", be->armor_ref->text);
  r->iap = be->iap;
  if (r->iap == 1 && (internal || svc->iap == 1))
    {
      note (e, r, "IAP on the backend service %s", internal
            ? "of an internal load balancer" : "and on its Cloud Run service "
            "too (Google allows one of the two; the service's is kept)");
      r->iap = -1;
    }
  if (!r->range)
    {
      ImportRes *a = find (e, IMPORT_ADDRESS, r->connector);
      if (!a || !a->range)
        {
          note (e, r, "address not known: load balancer left out");
          return FALSE;
        }
      r->range = g_strdup (a->range);
    }
  if (!internal)
    return TRUE;
  if (!r->network && r->subnet && (sub = find (e, IMPORT_SUBNET, r->subnet))
      && sub->network)
    {
      r->network = import_ref_new (sub->network->text, sub->network->project,
                                   NULL);
      g_free (r->network->name);
      r->network->name = g_strdup (sub->network->name);
    }
  if (!r->network || !find (e, IMPORT_NETWORK, r->network) || !r->region)
    {
      note (e, r, "no network or region: internal load balancer left out");
      return FALSE;
    }
  return TRUE;
}

/* A domain mapping's service; whether a public zone of the input holds
 * the domain (then that zone's records answer it, not Cloud Run's). */
static void
resolve_domain (Emit *e, ImportRes *r)
{
  ImportRes *svc = find (e, IMPORT_SERVICE, r->target);

  if (!svc || svc->skip)
    {
      r->skip = TRUE;
      note (e, r, "service %s not in the input: domain mapping left out",
            r->target ? r->target->text : "?");
      return;
    }
  r->backend = svc;
  r->public_dns = 1;
  for (guint i = 0; i < e->m->res->len; i++)
    {
      const ImportRes *z = e->m->res->pdata[i];
      g_autofree char *host = NULL;
      if (z->kind != IMPORT_ZONE || z->skip || !z->dns_name
          || g_strcmp0 (z->visibility, "public") != 0)
        continue;
      host = g_strdup_printf ("%s.", r->name);
      if (g_str_has_suffix (host, z->dns_name)
          && (strlen (host) == strlen (z->dns_name)
              || host[strlen (host) - strlen (z->dns_name) - 1] == '.'))
        r->public_dns = 0;
    }
}

static void
resolve_vpc (Emit *e, ImportRes *r)
{
  ImportRes *t, *router;

  switch (r->kind)
    {
    case IMPORT_NAT:
      router = find (e, IMPORT_ROUTER, r->target);
      if (!r->network && router && router->network)
        {
          r->network = import_ref_new (router->network->text,
                                       router->network->project, NULL);
          g_free (r->network->name);
          r->network->name = g_strdup (router->network->name);
        }
      if (!r->network)
        {
          r->skip = TRUE;
          note (e, r, "router %s not in the input: NAT left out",
                r->target ? r->target->text : "?");
          break;
        }
      t = network_for (e, r, r->network);
      g_free (r->network->name);
      r->network->name = g_strdup (t->name);
      g_free (r->network->project);
      r->network->project = g_strdup (t->project);
      for (guint i = 0; i < r->refs->len;)
        if (!find (e, IMPORT_SUBNET, r->refs->pdata[i]))
          {
            note (e, r, "subnet %s not in the input",
                  ((ImportRef *) r->refs->pdata[i])->text);
            g_ptr_array_remove_index (r->refs, i);
          }
        else
          i++;
      break;
    case IMPORT_CONNECTOR:
      if (r->subnet)
        {
          t = find (e, IMPORT_SUBNET, r->subnet);
          if (!t || t->skip)
            {
              r->skip = TRUE;
              note (e, r, "subnet %s not in the input: connector left out",
                    r->subnet->text);
            }
        }
      else if (r->network)
        {
          t = network_for (e, r, r->network);
          g_free (r->network->name);
          r->network->name = g_strdup (t->name);
          g_free (r->network->project);
          r->network->project = g_strdup (t->project);
        }
      else
        {
          r->skip = TRUE;
          note (e, r, "no network: connector left out");
        }
      break;
    case IMPORT_LB:
      if (!resolve_lb (e, r))
        r->skip = TRUE;
      break;
    case IMPORT_ARMOR_RULE:
      t = find (e, IMPORT_ARMOR, r->target);
      if (!r->skip && (!t || t->skip))
        {
          r->skip = TRUE;
          note (e, r, "security policy %s not in the input: rule left out",
                r->target->text);
        }
      else if (!r->skip && r->ranges && r->ranges->len > 10)
        {
          r->skip = TRUE;
          note (e, r, "%u source ranges (the format takes 10 a rule, as "
                "Google does): rule left out", r->ranges->len);
        }
      break;
    case IMPORT_PERIMETER:
      resolve_perimeter (e, r);
      break;
    case IMPORT_DOMAIN:
      resolve_domain (e, r);
      break;
    case IMPORT_VM:
      t = find (e, IMPORT_SUBNET, r->subnet);
      if (!r->skip && (!t || t->skip))
        {
          r->skip = TRUE;
          note (e, r, "subnet %s not in the input: VM left out",
                r->subnet ? r->subnet->text : "?");
        }
      break;
    default:
      break;
    }
}

/* Firewall policies: associations folded into their policies (the
 * organization, folders, or networks), a policy associated with nothing
 * left out with its rules. A folder's projects are those whose CAI
 * ancestors name it; without ancestors in the input, every project. */
static void
resolve_policies (Emit *e)
{
  GPtrArray *res = e->m->res;

  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *a = res->pdata[i], *p;
      if (a->kind != IMPORT_ASSOCIATION)
        continue;
      p = find (e, IMPORT_POLICY, a->target);
      if (!p)
        note (e, a, "firewall policy %s not in the input", a->target->text);
      else if (on_networks (p))
        {
          ImportRef *ref = import_ref_new (a->range, p->project, NULL);
          ImportRes *n = find (e, IMPORT_NETWORK, ref);
          if (!n)
            {
              note (e, a, "network %s not in the input", a->range);
              import_ref_free (ref);
            }
          else
            g_ptr_array_add (p->refs, ref);
        }
      else if (g_str_has_prefix (a->range, "organizations/"))
        p->default_route = 1;   /* associated with the organization */
      else if (g_str_has_prefix (a->range, "folders/"))
        add_unique (&p->members, a->range);
      else
        note (e, a, "association with %s: not modelled", a->range);
    }
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *p = res->pdata[i];
      if (p->kind != IMPORT_POLICY || p->skip)
        continue;
      if (on_networks (p) ? !p->refs->len
          : p->default_route != 1 && !p->members)
        {
          p->skip = TRUE;
          note (e, p, "associated with nothing the input holds: left out");
          continue;
        }
      if (on_networks (p) || p->default_route == 1)
        {
          if (p->members)
            note (e, p, "associated with the organization and folders: "
                  "evaluated as the organization's");
          continue;
        }
      p->visibility = g_strdup ("folder");
      if (!g_hash_table_size (e->m->ancestors))
        {
          note (e, p, "the input does not tell which projects %s holds: "
                "applied to every project", (char *) p->members->pdata[0]);
          continue;
        }
      for (guint j = 0; j < res->len; j++)
        {
          ImportRes *pr = res->pdata[j];
          const char *anc;
          if (pr->kind != IMPORT_PROJECT || pr->skip)
            continue;
          anc = g_hash_table_lookup (e->m->ancestors, pr->name);
          for (guint k = 0; anc && k < p->members->len; k++)
            {
              g_autofree char *f = g_strdup_printf ("%s;", (char *)
                                                    p->members->pdata[k]);
              if (strstr (anc, f))
                add_unique (&p->shared_with, pr->name);
            }
        }
      if (!p->shared_with)
        {
          p->skip = TRUE;
          note (e, p, "no project of the input is under its folders: left "
                "out");
        }
    }
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *r = res->pdata[i], *p;
      if (r->kind != IMPORT_FIREWALL || r->network || r->skip)
        continue;
      p = find (e, IMPORT_POLICY, r->target);
      if (p && r->type)
        r->display = g_strdup_printf ("%s-%" G_GINT64_FORMAT, p->display,
                                      r->priority);
      if (!p || p->skip)
        {
          r->skip = TRUE;
          if (!p)
            note (e, r, "firewall policy %s not in the input: rule left out",
                  r->target->text);
        }
    }
}

/* The network a service's revision sends into, or NULL. */
static ImportRes *
service_network (Emit *e, ImportRes *r)
{
  ImportRes *t = NULL, *sub;

  if (r->vpc_access && strcmp (r->vpc_access, "connector") == 0)
    {
      t = find (e, IMPORT_CONNECTOR, r->connector);
      if (!t || t->skip)
        {
          note (e, r, "connector %s not in the input: written without VPC "
                "access", r->connector->text);
          g_clear_pointer (&r->vpc_access, g_free);
          return NULL;
        }
      if (t->subnet)
        {
          sub = find (e, IMPORT_SUBNET, t->subnet);
          return sub ? find (e, IMPORT_NETWORK, sub->network) : NULL;
        }
      return find (e, IMPORT_NETWORK, t->network);
    }
  if (r->vpc_access)
    {
      sub = find (e, IMPORT_SUBNET, r->subnet);
      if (!sub || sub->skip)
        {
          note (e, r, "subnet %s not in the input: written without VPC "
                "access", r->subnet->text);
          g_clear_pointer (&r->vpc_access, g_free);
          return NULL;
        }
      return find (e, IMPORT_NETWORK, sub->network);
    }
  return NULL;
}

static ImportRes *
zone_for (Emit *e, ImportRes *rec)
{
  ImportRes *best = NULL;

  if (rec->target)
    {
      ImportRes *z = find (e, IMPORT_ZONE, rec->target);
      if (z)
        return z;
    }
  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *z = e->m->res->pdata[i];
      gsize zl, rl;
      if (z->kind != IMPORT_ZONE || z->skip || !z->dns_name)
        continue;
      if (rec->target && strcmp (rec->target->name, z->name) != 0)
        continue;
      zl = strlen (z->dns_name);
      rl = strlen (rec->dns_name);
      if (!(rl == zl ? strcmp (rec->dns_name, z->dns_name) == 0
            : rl > zl && rec->dns_name[rl - zl - 1] == '.'
              && strcmp (rec->dns_name + rl - zl, z->dns_name) == 0))
        continue;
      if (!best || strlen (best->dns_name) < zl
          || (strlen (best->dns_name) == zl
              && g_strcmp0 (z->project, rec->project) == 0))
        best = z;
    }
  return best;
}

static void
add_project (Emit *e, const char *project)
{
  ImportRef ref = { (char *) project, NULL, (char *) project, NULL };
  ImportSrc s = { "", 0, NULL, NULL, e->m, NULL };
  ImportRes *p;

  if (!project || find (e, IMPORT_PROJECT, &ref))
    return;
  s.origin = project;
  p = import_res_new (&s, IMPORT_PROJECT, project, NULL, project);
  g_free (p->origin);
  p->origin = g_strdup_printf ("project %s (named by the resources)", project);
  index_res (e, p);
}

static void
clamp (Emit *e, ImportRes *r, gint64 *v, gint64 max, const char *what)
{
  if (*v > max)
    {
      note (e, r, "%s %" G_GINT64_FORMAT " is above the simulator's bound: "
            "%" G_GINT64_FORMAT " written", what, *v, max);
      *v = max;
    }
}

/* Node names a [vm] may not take (docs/scenario-format.md, Names). */
static gboolean
node_taken (GPtrArray *res, const char *name)
{
  static const char *const fixed[] = { "internet", "gfe", "public-dns",
                                       "run-egress" };
  static const struct { const char *prefix; ImportKind kind; } pre[] = {
    { "vpc-", IMPORT_NETWORK }, { "metadata-", IMPORT_NETWORK },
    { "connector-", IMPORT_CONNECTOR }, { "nat-", IMPORT_NAT },
    { "psc-", IMPORT_PSC }, { "direct-vpc-", IMPORT_SERVICE },
    { "ilb-", IMPORT_LB }, { "alb-", IMPORT_LB },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (strcmp (name, fixed[i]) == 0)
      return TRUE;
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *r = res->pdata[i];
      if (r->skip || !r->group)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (pre); j++)
        if (r->kind == pre[j].kind && g_str_has_prefix (name, pre[j].prefix)
            && strcmp (name + strlen (pre[j].prefix), r->group) == 0)
          return TRUE;
      if (r->kind == IMPORT_SERVICE && g_str_has_prefix (name, r->group)
          && name[strlen (r->group)] == '-'
          && strspn (name + strlen (r->group) + 1, "0123456789")
             == strlen (name + strlen (r->group) + 1))
        return TRUE;
      if (r->kind == IMPORT_VM && strcmp (r->group, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
title_files (const char *const *paths, guint n)
{
  GString *t = g_string_new ("Imported from ");

  for (guint i = 0; i < n; i++)
    {
      if (t->len > 120)
        {
          g_string_append_printf (t, " and %u more file%s", n - i,
                                  n - i > 1 ? "s" : "");
          break;
        }
      g_autofree char *b = g_path_get_basename (paths[i]);
      if (i)
        g_string_append (t, ", ");
      for (const char *p = b; *p; p++)
        g_string_append_c (t, *p > ' ' && *p < 0x7f && *p != '\\' ? *p : '?');
    }
  if (t->len > 200)
    g_string_truncate (t, 200);
  return g_string_free (t, FALSE);
}

gboolean
import_emit (ImportModel *m, const char *const *paths, guint n, GString *out,
             GError **error)
{
  Emit e = { m, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
             g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_ptr_array_unref),
             g_hash_table_new (NULL, NULL), FALSE };
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr (GPtrArray) no_iam = g_ptr_array_new ();
  g_autofree char *title = title_files (paths, n);
  guint dups = 0, groups = 0, n_res;

  (void) error;
  for (guint i = 0; i < m->res->len; i++)
    normalise (&e, m->res->pdata[i]);
  fill_projects (&e);
  for (guint i = 0; i < m->res->len; i++)
    {
      ImportRes *r = m->res->pdata[i];
      g_autofree char *k = NULL;
      if (r->kind == IMPORT_IAM || r->kind == IMPORT_RECORD
          || r->kind == IMPORT_XPN || r->kind == IMPORT_ASSOCIATION)
        continue;
      k = key (r->kind, r->project, r->region, r->name);
      if (g_hash_table_contains (e.exact, k))
        {
          ImportRes *first = g_hash_table_lookup (e.exact, k);
          if (!first->skip && r->kind != IMPORT_PROJECT)
            dups++;
          r->skip = TRUE;
          r->kind = IMPORT_N_KINDS;     /* a duplicate: never written */
          continue;
        }
      index_res (&e, r);
    }
  drop_unknown_regions (&e);
  n_res = m->res->len;
  for (guint i = 0; i < n_res; i++)
    resolve (&e, m->res->pdata[i]);
  for (guint i = 0; i < m->res->len; i++)
    {
      ImportRes *r = m->res->pdata[i];
      if (r->kind == IMPORT_NETWORK && r->default_route < 0
          && g_hash_table_contains (e.routes_seen, r))
        r->default_route = 0;
    }
  n_res = m->res->len;
  for (guint i = 0; i < n_res; i++)
    resolve_vpc (&e, m->res->pdata[i]);
  resolve_policies (&e);
  import_emit_psa (&e);
  n_res = m->res->len;
  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = m->res->pdata[i], *net, *t;
      switch (r->kind)
        {
        case IMPORT_SERVICE:
          net = service_network (&e, r);
          share (net, r->project);
          clamp (&e, r, &r->max_instances, 1000, "max instances");
          clamp (&e, r, &r->min_instances, 1000, "min instances");
          clamp (&e, r, &r->concurrency, 1000, "concurrency");
          break;
        case IMPORT_WORKER_POOL:
          if (r->vpc_access && strcmp (r->vpc_access, "connector") == 0)
            {
              note (&e, r, "a worker pool with a connector (the simulator's "
                    "worker pools use Direct VPC only): written without VPC "
                    "access");
              g_clear_pointer (&r->vpc_access, g_free);
            }
          /* fall through */
        case IMPORT_JOB:
          net = service_network (&e, r);
          share (net, r->project);
          clamp (&e, r, &r->tasks, 1000, r->kind == IMPORT_JOB
                 ? "task count" : "instance count");
          clamp (&e, r, &r->parallelism, MAX (r->tasks, 1), "parallelism");
          break;
        case IMPORT_ZONE:
        case IMPORT_DNS_POLICY:
          for (guint j = 0; j < r->refs->len;)
            if (!find (&e, IMPORT_NETWORK, r->refs->pdata[j]))
              {
                note (&e, r, "network %s not in the input",
                      ((ImportRef *) r->refs->pdata[j])->text);
                g_ptr_array_remove_index (r->refs, j);
              }
            else
              j++;
          if (r->kind == IMPORT_DNS_POLICY && r->refs->len == 0)
            {
              r->skip = TRUE;
              note (&e, r, "no network of the input: DNS server policy "
                    "left out");
            }
          break;
        case IMPORT_RECORD:
          t = zone_for (&e, r);
          if (!t)
            {
              note (&e, r, "no zone of the input holds this record: left "
                    "out");
              break;
            }
          if (!t->ranges)
            t->ranges = g_ptr_array_new_with_free_func (g_free);
          if (!t->members)
            t->members = g_ptr_array_new_with_free_func (g_free);
          for (guint j = 0; r->ranges && j < r->ranges->len; j++)
            g_ptr_array_add (t->ranges,
                             g_strdup_printf ("%s %s %s", r->dns_name,
                                              r->type,
                                              (char *) r->ranges->pdata[j]));
          g_ptr_array_add (t->members, g_strdup (r->origin));
          break;
        case IMPORT_IAM:
          if (strcmp (r->type, "project") == 0)
            {
              for (guint j = 0; j < m->res->len; j++)
                {
                  ImportRes *svc = m->res->pdata[j];
                  if (svc->kind != IMPORT_SERVICE
                      || g_strcmp0 (svc->project, r->project) != 0)
                    continue;
                  for (guint k = 0; r->members && k < r->members->len; k++)
                    add_unique (&svc->members, r->members->pdata[k]);
                }
              break;
            }
          {
            ImportRef ref = { r->project, r->region, r->name, r->name };
            ImportRes *svc = find (&e, IMPORT_SERVICE, &ref);
            if (!svc)
              {
                note (&e, r, "the service of this IAM policy is not in the "
                      "input");
                break;
              }
            if (!svc->members)
              svc->members = g_ptr_array_new_with_free_func (g_free);
            for (guint k = 0; r->members && k < r->members->len; k++)
              add_unique (&svc->members, r->members->pdata[k]);
          }
          break;
        case IMPORT_XPN:
          for (guint j = 0; j < m->res->len; j++)
            {
              ImportRes *net2 = m->res->pdata[j];
              if (net2->kind == IMPORT_NETWORK
                  && g_strcmp0 (net2->project, r->project) == 0)
                share (net2, r->name);
            }
          add_project (&e, r->name);
          break;
        default:
          break;
        }
    }
  /* Every project a written resource names. */
  n_res = m->res->len;
  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = m->res->pdata[i];
      if (!r->skip && emitted (r->kind) && r->project)
        add_project (&e, r->project);
    }
  /* A project known only by its number (a v1 service's namespace) beside
   * projects known by id may be one of them. */
  for (guint i = 0; i < m->res->len; i++)
    {
      ImportRes *r = m->res->pdata[i];
      if (r->kind == IMPORT_PROJECT && r->name
          && strspn (r->name, "0123456789") == strlen (r->name)
          && g_hash_table_size (e.exact) > 0)
        note (&e, r, "known by its number only: add the project's CAI "
              "export or gcloud projects list --format=json to join it "
              "with its id");
    }
  for (guint i = 0; i < m->res->len; i++)
    {
      ImportRes *r = m->res->pdata[i];
      if (r->kind == IMPORT_SERVICE && !r->skip && !r->members
          && r->invoker_iam_disabled != 1)
        {
          if (m->has_iam)
            note (&e, r, "no roles/run.invoker binding in the input's IAM "
                  "policies: nobody may invoke it");
          else
            g_ptr_array_add (no_iam, r);
        }
      if (r->kind < IMPORT_N_KINDS && emitted (r->kind) && !r->skip)
        g_ptr_array_add (sorted, r);
    }
  g_ptr_array_sort (sorted, cmp_identity);
  for (guint k = 0; k < IMPORT_N_KINDS; k++)
    name_kind (sorted, (ImportKind) k);
  for (guint i = 0; i < sorted->len; i++)
    {
      ImportRes *r = sorted->pdata[i];
      if (r->kind == IMPORT_VM)
        {
          g_free (r->group);
          r->group = NULL;
          {
            g_autofree char *c = valid_name (r->name);
            if (node_taken (sorted, c))
              {
                g_autofree char *v = g_strdup_printf ("vm-%s", c);
                g_free (c);
                c = valid_name (v);
              }
            while (node_taken (sorted, c))
              {
                g_autofree char *v = g_strdup_printf ("%.58s-vm", c);
                g_free (c);
                c = valid_name (v);
              }
            r->group = g_steal_pointer (&c);
          }
        }
    }
  g_ptr_array_sort (sorted, cmp_group);
  for (guint i = 0; i < sorted->len; i++)
    if (((ImportRes *) sorted->pdata[i])->kind == IMPORT_PSA)
      import_emit_place (&e, sorted, sorted->pdata[i]);
  if (no_iam->len)
    g_ptr_array_add (m->not_modelled, g_strdup_printf (
      "%u service%s without an IAM policy in the input: invokers left to "
      "the format's default (allUsers)", no_iam->len,
      no_iam->len > 1 ? "s" : ""));
  {
    g_autoptr (GPtrArray) types = g_ptr_array_new ();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, m->unknown);
    while (g_hash_table_iter_next (&it, &k, &v))
      g_ptr_array_add (types, k);
    g_ptr_array_sort (types, cmp_str);
    for (guint i = 0; i < types->len; i++)
      g_ptr_array_add (m->not_modelled, g_strdup_printf (
        "resource type %s: %u resource%s", (char *) types->pdata[i],
        GPOINTER_TO_UINT (g_hash_table_lookup (m->unknown, types->pdata[i])),
        GPOINTER_TO_UINT (g_hash_table_lookup (m->unknown, types->pdata[i])) > 1
        ? "s" : ""));
  }
  if (dups)
    g_ptr_array_add (m->not_modelled, g_strdup_printf (
      "%u resource%s read twice (the same project, region and name): the "
      "first kept", dups, dups > 1 ? "s" : ""));
  groups = sorted->len;

  /* The file. */
  g_string_append (out,
                   "# A scenario made by `cloudrun-netsim import` from:\n");
  for (guint i = 0; i < n; i++)
    comment (out, "  ", paths[i]);
  g_string_append_printf (out, "# %u resources read, %u groups written.\n",
                          m->n_read, groups);
  g_string_append (out, "#\n");
  if (m->not_modelled->len)
    {
      g_string_append (out, "# Not modelled (the simulator does not see "
                       "these):\n");
      for (guint i = 0; i < m->not_modelled->len; i++)
        comment (out, "  ", m->not_modelled->pdata[i]);
    }
  else
    g_string_append (out, "# Not modelled: nothing.\n");
  g_string_append (out,
    "#\n"
    "# No traffic is written: add [traffic] groups (and [expect] groups)\n"
    "# to send requests through this world, for example\n"
    "#   [traffic web-to-api]\n"
    "#   from = web\n"
    "#   url = service:api\n"
    "\n[scenario]\nformat = 1\n");
  g_string_append_printf (out, "title = %s\n\n", title);
  for (guint i = 0; i < sorted->len; i++)
    write_res (&e, out, sorted->pdata[i]);
  g_hash_table_destroy (e.exact);
  g_hash_table_destroy (e.by_name);
  g_hash_table_destroy (e.routes_seen);
  return TRUE;
}
