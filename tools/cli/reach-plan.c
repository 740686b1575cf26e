/* The plan of a reachability matrix (see tools/cli/reach.h): the
 * scenario read with GKeyFile, its callers and the ways into each
 * service, and the scenario text each pair runs. */
#include "tools/cli/reach.h"

#include <string.h>

/* The client reach adds when the scenario has none. */
#define REACH_INTERNET_CLIENT "internet-user"

static const char *const caller_kinds[] = { "service", "vm", "client",
                                            "google-caller", "job",
                                            "worker-pool" };

void
reach_pair_free (ReachPair *p)
{
  if (!p)
    return;
  g_free (p->from);
  g_free (p->to);
  g_free (p->way);
  g_free (p->url);
  g_free (p->outcome);
  g_free (p->classified);
  g_free (p->cause);
  g_free (p->decided_at);
  g_free (p->step);
  g_free (p);
}

static void
caller_free (gpointer data)
{
  ReachCaller *c = data;

  g_free (c->name);
  g_free (c->kind);
  g_free (c->project);
  g_free (c);
}

gboolean
reach_target_is_tcp (const ReachTarget *t)
{
  return g_str_has_prefix (t->url, "tcp://");
}

static void
target_free (gpointer data)
{
  ReachTarget *t = data;

  g_free (t->service);
  g_free (t->way);
  g_free (t->url);
  g_free (t);
}

ReachMatrix *
reach_matrix_new (void)
{
  ReachMatrix *m = g_new0 (ReachMatrix, 1);

  m->callers = g_ptr_array_new_with_free_func (caller_free);
  m->targets = g_ptr_array_new_with_free_func (target_free);
  m->shard = m->shards = 1;
  return m;
}

void
reach_matrix_add_caller (ReachMatrix *m, const char *name, const char *kind,
                         const char *project)
{
  ReachCaller *c = g_new0 (ReachCaller, 1);

  c->name = g_strdup (name);
  c->kind = g_strdup (kind);
  c->project = g_strdup (project);
  g_ptr_array_add (m->callers, c);
}

void
reach_matrix_add_target (ReachMatrix *m, const char *service,
                         const char *way, const char *url)
{
  ReachTarget *t = g_new0 (ReachTarget, 1);

  t->service = g_strdup (service);
  t->way = g_strdup (way);
  t->url = g_strdup (url);
  g_ptr_array_add (m->targets, t);
}

void
reach_matrix_size (ReachMatrix *m)
{
  m->n_pairs = m->callers->len * m->targets->len;
  m->pairs = g_new0 (ReachPair *, MAX (m->n_pairs, 1));
}

void
reach_matrix_free (ReachMatrix *m)
{
  if (!m)
    return;
  for (guint i = 0; m->pairs && i < m->n_pairs; i++)
    reach_pair_free (m->pairs[i]);
  g_free (m->pairs);
  g_ptr_array_unref (m->callers);
  g_ptr_array_unref (m->targets);
  g_free (m->scenario);
  g_free (m->digest);
  g_free (m);
}

const ReachPair *
reach_matrix_find (const ReachMatrix *m, const char *from, const char *to,
                   const char *way)
{
  for (guint i = 0; i < m->n_pairs; i++)
    {
      const ReachPair *p = m->pairs[i];

      if (p && strcmp (p->from, from) == 0 && strcmp (p->to, to) == 0
          && strcmp (p->way, way) == 0)
        return p;
    }
  return NULL;
}

/* The kind of group (service, vm, ...) and its NAME, or FALSE. */
static gboolean
group_is (const char *group, const char *kind, const char **name)
{
  gsize n = strlen (kind);

  if (strncmp (group, kind, n) != 0 || group[n] != ' ' || !group[n + 1])
    return FALSE;
  *name = group + n + 1;
  return TRUE;
}

/* --unset and --set applied to kf, so that the plan sees what the pairs
 * will load (the door applies them again, and checks them). */
static void
apply_edits (GKeyFile *kf, const CloudRunEdits *ed)
{
  for (const char *const *u = ed->unsets; u && *u; u++)
    {
      const char *dot = strrchr (*u, '.');
      g_autofree char *group = dot ? g_strndup (*u, (gsize) (dot - *u)) : NULL;

      if (group)
        g_key_file_remove_key (kf, group, dot + 1, NULL);
    }
  for (const char *const *s = ed->sets; s && *s; s++)
    {
      const char *eq = strchr (*s, '=');
      g_autofree char *lhs = eq ? g_strndup (*s, (gsize) (eq - *s)) : NULL;
      char *dot = lhs ? strrchr (lhs, '.') : NULL;

      if (!dot)
        continue;
      *dot = '\0';
      if (g_key_file_has_group (kf, lhs))
        g_key_file_set_value (kf, lhs, dot + 1, eq + 1);
    }
}

/* The project a group's NAME belongs to: its own key, or the scenario's
 * only project. */
static char *
project_of (GKeyFile *kf, const char *group, const char *only)
{
  char *p = g_key_file_get_value (kf, group, "project", NULL);

  return p ? g_strstrip (p) : g_strdup (only);
}

static char *
value (GKeyFile *kf, const char *group, const char *key)
{
  char *v = g_key_file_get_value (kf, group, key, NULL);

  return v ? g_strstrip (v) : NULL;
}

/* The callers, kind by kind in file order, and the internet client. */
static void
plan_callers (ReachMatrix *m, GKeyFile *kf, char **groups, const char *only,
              GString *base)
{
  gboolean has_client = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (caller_kinds); k++)
    for (char **g = groups; *g; g++)
      {
        const char *name;
        g_autofree char *project = NULL;

        if (!group_is (*g, caller_kinds[k], &name))
          continue;
        if (k == 0 || k >= 3)   /* service, google-caller, job, pool */
          project = project_of (kf, *g, only);
        else if (k == 1)
          {
            /* A VM's project: that of its subnet's network. */
            g_autofree char *subnet = value (kf, *g, "subnet");
            g_autofree char *sg = g_strdup_printf ("subnet %s", subnet);
            g_autofree char *net = subnet ? value (kf, sg, "network") : NULL;
            g_autofree char *ng = g_strdup_printf ("network %s", net);

            project = net ? project_of (kf, ng, only) : g_strdup (only);
          }
        else
          has_client = TRUE;
        reach_matrix_add_caller (m, name, caller_kinds[k], project);
      }
  if (!has_client)
    {
      g_autofree char *name = g_strdup (REACH_INTERNET_CLIENT);

      for (guint n = 2; ; n++)
        {
          gboolean taken = FALSE;
          const char *other;

          for (char **g = groups; *g && !taken; g++)
            for (guint k = 0; k < G_N_ELEMENTS (caller_kinds); k++)
              if (group_is (*g, caller_kinds[k], &other)
                  && strcmp (other, name) == 0)
                taken = TRUE;
          if (!taken)
            break;
          g_free (name);
          name = g_strdup_printf ("%s-%u", REACH_INTERNET_CLIENT, n);
        }
      g_string_append_printf (base, "\n# added by reach: a client on the "
                              "internet\n[client %s]\n", name);
      reach_matrix_add_caller (m, name, "client", NULL);
    }
}

/* Each service's ways in: its run.app URL, then each load balancer whose
 * backend it is (by hostname when it has one). */
static void
plan_targets (ReachMatrix *m, GKeyFile *kf, char **groups)
{
  static const char *const lbs[] = { "internal-alb", "external-alb" };

  for (char **g = groups; *g; g++)
    {
      const char *service;
      g_autofree char *url = NULL;

      if (!group_is (*g, "service", &service))
        continue;
      url = g_strdup_printf ("service:%s", service);
      reach_matrix_add_target (m, service, "run.app", url);
      for (guint k = 0; k < G_N_ELEMENTS (lbs); k++)
        for (char **l = groups; *l; l++)
          {
            const char *lb;
            g_autofree char *backend = NULL, *host = NULL, *way = NULL;
            g_autofree char *lb_url = NULL;

            if (!group_is (*l, lbs[k], &lb)
                || !(backend = value (kf, *l, "backend"))
                || strcmp (backend, service) != 0)
              continue;
            if (!(host = value (kf, *l, "hostname")))
              host = value (kf, *l, "address");
            if (!host)
              continue;
            way = g_strdup_printf ("%s %s", lbs[k], lb);
            lb_url = g_strdup_printf ("https://%s/", host);
            reach_matrix_add_target (m, service, way, lb_url);
          }
    }
}

/* Each managed instance's way in: a connection check to its private
 * address and its engine's port (way "tcp PORT"). */
static void
plan_managed_targets (ReachMatrix *m, const CloudRunSession *s)
{
  for (guint i = 0; i < cloudrun_session_n_managed (s); i++)
    {
      const char *name;
      g_autofree char *url = NULL, *way = NULL;

      cloudrun_session_managed (s, i, &name, &url);
      way = g_strdup_printf ("tcp %s", strrchr (url, ':') + 1);
      reach_matrix_add_target (m, name, way, url);
    }
}

ReachPlan *
reach_plan_new (const char *path, const ReachOptions *options,
                GError **error)
{
  g_autoptr (ReachPlan) plan = g_new0 (ReachPlan, 1);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GString) base = g_string_new (NULL);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *text = NULL, *data = NULL;
  g_auto (GStrv) groups = NULL;
  g_autofree char *only = NULL;
  gsize len = 0;
  guint projects = 0;
  GError *local = NULL;
  g_autoptr (CloudRunSession) probe = NULL;

  plan->options = *options;
  plan->matrix = reach_matrix_new ();
  plan->matrix->scenario = g_strdup (path);
  /* The caller checked the edits (tools_cli_edits said what is wrong). */
  if (options->edits
      && !tools_cli_edits ("reach", options->edits, &plan->edits))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: --seed: not a whole number", path);
      return NULL;
    }
  /* The door reads the file first: its messages for a file that is not
   * a scenario (too big, not a regular file, a syntax error). */
  {
    if (!g_file_get_contents (path, &text, &len, &local))
      {
        g_set_error (error, CLOUDRUN_SESSION_ERROR,
                     CLOUDRUN_SESSION_ERROR_USAGE, "%s: %s", path,
                     local->message);
        g_error_free (local);
        return NULL;
      }
    if (!(probe = cloudrun_session_load_file (path, &plan->edits, error)))
      return NULL;
  }
  if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: %s", path, local->message);
      g_error_free (local);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (char **g = groups; *g; g++)
    {
      const char *name;

      if (group_is (*g, "traffic", &name) || group_is (*g, "expect", &name)
          || strcmp (*g, CLOUDRUN_SWEEP_GROUP) == 0)
        g_key_file_remove_group (kf, *g, NULL);
      else if (group_is (*g, "project", &name) && projects++ == 0)
        only = g_strdup (name);
    }
  if (projects > 1)
    g_clear_pointer (&only, g_free);
  else if (projects == 0)
    only = g_strdup ("default");
  g_strfreev (groups);
  data = g_key_file_to_data (kf, NULL, NULL);
  g_string_append (base, data);
  apply_edits (kf, &plan->edits);
  groups = g_key_file_get_groups (kf, NULL);
  plan_callers (plan->matrix, kf, groups, only, base);
  plan_targets (plan->matrix, kf, groups);
  plan_managed_targets (plan->matrix, probe);
  if ((guint64) plan->matrix->callers->len * plan->matrix->targets->len
      > REACH_MAX_PAIRS)
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: %u callers x %u ways in is more than the %u pairs "
                   "one matrix holds", path, plan->matrix->callers->len,
                   plan->matrix->targets->len, REACH_MAX_PAIRS);
      return NULL;
    }
  reach_matrix_size (plan->matrix);
  plan->base = g_string_free (g_steal_pointer (&base), FALSE);
  /* What decides the pairs: the text, the edits, the options. */
  g_checksum_update (sum, (const guchar *) plan->base, -1);
  for (const char *const *s = plan->edits.unsets; s && *s; s++)
    g_checksum_update (sum, (const guchar *) *s, (gssize) strlen (*s) + 1);
  g_checksum_update (sum, (const guchar *) "\n--set\n", -1);
  for (const char *const *s = plan->edits.sets; s && *s; s++)
    g_checksum_update (sum, (const guchar *) *s, (gssize) strlen (*s) + 1);
  {
    g_autofree char *opts = g_strdup_printf (
        "\n%u %d %d %" G_GUINT64_FORMAT, options->count, options->id_token,
        plan->edits.has_seed, plan->edits.seed);
    g_checksum_update (sum, (const guchar *) opts, -1);
  }
  plan->matrix->digest = g_strdup (g_checksum_get_string (sum));
  return g_steal_pointer (&plan);
}

void
reach_plan_free (ReachPlan *plan)
{
  if (!plan)
    return;
  reach_matrix_free (plan->matrix);
  g_free (plan->base);
  g_free (plan);
}

char *
reach_plan_pair_text (const ReachPlan *plan, guint index, gsize *len)
{
  const ReachMatrix *m = plan->matrix;
  const ReachCaller *c = m->callers->pdata[index / m->targets->len];
  const ReachTarget *t = m->targets->pdata[index % m->targets->len];
  GString *s = g_string_new (plan->base);

  g_string_append_printf (s, "\n[traffic reach]\nfrom = %s\nurl = %s\n"
                          "count = %u\n", c->name, t->url,
                          plan->options.count);
  if (plan->options.count > 1)
    g_string_append (s, "interval = 100ms\n");
  if (plan->options.id_token && !reach_target_is_tcp (t))
    g_string_append (s, "identity = id-token\n");
  *len = s->len;
  return g_string_free (s, FALSE);
}
