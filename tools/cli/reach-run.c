/* Running the pairs of a reachability matrix (see tools/cli/reach.h):
 * each pair is its own world, the scenario with one [traffic reach]
 * group, loaded and run through the door; its verdict is the traffic's
 * result and its first request's. Many pairs fan out over processes of this
 * program, each running one --shard into a JSON slice, merged in pair order. */
#include "tools/cli/reach.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "tools/cli/interrupt.h"

/* Loads and readies pair index's world (keeping its first request when
 * keep), runs it to its end. */
static CloudRunSession *
run_pair (ReachPlan *plan, guint index, gboolean keep, GError **error)
{
  gsize len;
  g_autofree char *text = reach_plan_pair_text (plan, index, &len);
  g_autoptr (CloudRunSession) s = NULL;
  g_autoptr (GString) warnings = g_string_new (NULL);

  if (!(s = cloudrun_session_load (plan->matrix->scenario, text, len,
                                   &plan->edits, error)))
    return NULL;
  if (keep)
    cloudrun_session_keep_request (s, 0, 0);
  if (!cloudrun_session_start (s, NULL, NULL, warnings, error))
    return NULL;
  /* Warnings (a request open at the end) show in the verdict: pending. */
  while (cloudrun_session_advance (s, cloudrun_session_duration (s)))
    if (tools_interrupt_caught ())
      {
        cloudrun_session_finish (s, FALSE, warnings, NULL);
        g_set_error (error, CLOUDRUN_SESSION_ERROR,
                     CLOUDRUN_SESSION_ERROR_USAGE, "interrupted by signal %d",
                     tools_interrupt_caught ());
        return NULL;
      }
  if (!cloudrun_session_finish (s, TRUE, warnings, error))
    return NULL;
  return g_steal_pointer (&s);
}

static gboolean
run_one (ReachPlan *plan, guint index, GError **error)
{
  ReachMatrix *m = plan->matrix;
  const ReachCaller *c = m->callers->pdata[index / m->targets->len];
  const ReachTarget *t = m->targets->pdata[index % m->targets->len];
  g_autoptr (CloudRunSession) s = run_pair (plan, index, FALSE, error);
  g_autoptr (GString) step = g_string_new (NULL);
  CloudRunTrafficResult r;
  CloudRunFirstRequest first;
  ReachPair *p;
  guint main = 0;

  if (!s)
    return FALSE;
  cloudrun_session_traffic_result (s, 0, &r);
  /* The main outcome: the most requests (the first in report order on
   * a tie), as the verdict table has it. */
  for (guint o = 1; o < CLOUDRUN_N_OUTCOMES; o++)
    if (r.outcomes[o] > r.outcomes[main])
      main = o;
  p = g_new0 (ReachPair, 1);
  p->index = index;
  p->from = g_strdup (c->name);
  p->to = g_strdup (t->service);
  p->way = g_strdup (t->way);
  p->url = g_strdup (t->url);
  p->outcome = g_strdup (r.outcomes[main] ? cloudrun_outcome_name (main)
                                          : "pending");
  p->decided_at = g_strdup (r.decided_at);
  p->cause = g_strdup (r.cause);
  p->status = -1;
  if (cloudrun_session_first_request (s, 0, &first, step))
    {
      p->status = first.status > 0 ? first.status : -1;
      p->classified = g_strdup (first.classified);
      p->step = step->len ? g_strdup (step->str) : NULL;
    }
  m->pairs[index] = p;
  return TRUE;
}

gboolean
reach_run_shard (ReachPlan *plan, guint shard, guint shards, GError **error)
{
  plan->matrix->shard = shard;
  plan->matrix->shards = shards;
  /* Pairs dealt round-robin: neighbours (one caller's row) spread. */
  for (guint i = shard - 1; i < plan->matrix->n_pairs; i += shards)
    if (!run_one (plan, i, error))
      return FALSE;
  return TRUE;
}

gboolean
reach_explain_pair (ReachPlan *plan, guint index, gboolean what_if,
                    GString *out, GError **error)
{
  g_autoptr (CloudRunSession) s = run_pair (plan, index, TRUE, error);

  if (!s)
    return FALSE;
  cloudrun_session_render_steps (s, 0, 0, out);
  if (what_if)
    cloudrun_session_render_what_if (s, 0, 0, out);
  return TRUE;
}

/* This program, to run the slices with. */
static char *
self_path (void)
{
  char *self = g_file_read_link ("/proc/self/exe", NULL);

  return self ? self : g_find_program_in_path ("cloudrun-netsim");
}

static gboolean
spawn_slice (ReachPlan *plan, const char *self, const char *path,
             guint shard, guint shards, const char *out, GPid *pid,
             GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const ToolsCliEdits *ed = plan->options.edits;

  g_ptr_array_add (argv, g_strdup (self));
  g_ptr_array_add (argv, g_strdup ("reach"));
  g_ptr_array_add (argv, g_strdup (path));
  g_ptr_array_add (argv, g_strdup_printf ("--shard=%u/%u", shard, shards));
  g_ptr_array_add (argv, g_strdup ("--format=json"));
  g_ptr_array_add (argv, g_strdup_printf ("--output=%s", out));
  g_ptr_array_add (argv, g_strdup_printf ("--count=%u", plan->options.count));
  g_ptr_array_add (argv, g_strdup_printf ("--identity=%s",
                                          plan->options.id_token
                                          ? "id-token" : "none"));
  for (char **s = ed ? ed->unsets : NULL; s && *s; s++)
    g_ptr_array_add (argv, g_strdup_printf ("--unset=%s", *s));
  for (char **s = ed ? ed->sets : NULL; s && *s; s++)
    g_ptr_array_add (argv, g_strdup_printf ("--set=%s", *s));
  if (ed && ed->seed)
    g_ptr_array_add (argv, g_strdup_printf ("--seed=%s", ed->seed));
  g_ptr_array_add (argv, NULL);
  return g_spawn_async (NULL, (char **) argv->pdata, NULL,
                        G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, pid, error);
}

/* Waits for every slice; FALSE when one failed (it said why on
 * stderr). A signal is passed on to the slices. */
static gboolean
wait_slices (GPid *pids, guint n, GError **error)
{
  guint running = n, broken = 0;
  gboolean forwarded = FALSE;

  while (running > 0)
    {
      int status;
      pid_t pid;

      if (tools_interrupt_caught () && !forwarded)
        {
          forwarded = TRUE;
          for (guint i = 0; i < n; i++)
            if (pids[i] > 0)
              kill (pids[i], tools_interrupt_caught ());
        }
      pid = waitpid (-1, &status, WNOHANG);
      if (pid == 0 || (pid < 0 && errno == EINTR))
        {
          g_usleep (5000);
          continue;
        }
      if (pid < 0)
        break;
      for (guint i = 0; i < n; i++)
        if (pids[i] == pid)
          {
            pids[i] = 0;
            running--;
            if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
              broken++;
          }
    }
  if (broken || forwarded)
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   forwarded ? "interrupted by signal %d"
                   : "%u slice(s) of the matrix did not finish",
                   forwarded ? tools_interrupt_caught () : (int) broken);
      return FALSE;
    }
  return TRUE;
}

/* Removes dir and the slices in it. */
static void
remove_dir (const char *dir, guint n)
{
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *f = g_strdup_printf ("%s/slice-%u.json", dir, i);
      g_remove (f);
    }
  g_rmdir (dir);
}

gboolean
reach_run_all (ReachPlan *plan, const char *path, guint jobs, GError **error)
{
  ReachMatrix *m = plan->matrix;
  g_autofree char *self = NULL, *dir = NULL;
  g_autofree GPid *pids = NULL;
  g_autoptr (GPtrArray) slices = NULL, names = NULL;
  g_autoptr (ReachMatrix) whole = NULL;
  gboolean ok = TRUE;

  jobs = MIN (jobs, m->n_pairs);
  if (jobs <= 1)
    return reach_run_shard (plan, 1, 1, error);
  if (!(self = self_path ()))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "cannot find this program to run the slices with");
      return FALSE;
    }
  if (!(dir = g_dir_make_tmp ("cloudrun-netsim-reach-XXXXXX", error)))
    return FALSE;
  tools_interrupt_install ();
  pids = g_new0 (GPid, jobs);
  for (guint i = 0; i < jobs && ok; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/slice-%u.json", dir, i + 1);
      ok = spawn_slice (plan, self, path, i + 1, jobs, out, &pids[i], error);
    }
  if (!ok)
    {
      for (guint i = 0; i < jobs; i++)
        if (pids[i] > 0)
          kill (pids[i], SIGTERM);
      wait_slices (pids, jobs, NULL);
      remove_dir (dir, jobs);
      return FALSE;
    }
  ok = wait_slices (pids, jobs, error);
  slices = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                           reach_matrix_free);
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; i <= jobs && ok; i++)
    {
      g_autofree char *f = g_strdup_printf ("%s/slice-%u.json", dir, i);
      g_autofree char *data = NULL;
      gsize len;
      ReachMatrix *slice;

      ok = g_file_get_contents (f, &data, &len, error)
           && (slice = reach_matrix_from_json (f, data, len, error));
      if (ok)
        {
          g_ptr_array_add (slices, slice);
          g_ptr_array_add (names, g_steal_pointer (&f));
        }
    }
  remove_dir (dir, jobs);
  if (!ok || !(whole = reach_matrix_merge (slices, names, error)))
    return FALSE;
  if (strcmp (whole->digest, m->digest) != 0 || whole->n_pairs != m->n_pairs)
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: the slices ran another matrix (did the file change?)",
                   path);
      return FALSE;
    }
  for (guint i = 0; i < m->n_pairs; i++)
    {
      m->pairs[i] = whole->pairs[i];
      whole->pairs[i] = NULL;
    }
  return TRUE;
}
