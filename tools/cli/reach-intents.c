/* Intents (reach --intents FILE): what must hold of the matrix, one per
 * line (docs/ci.md, "Intents"):
 *
 *   SUBJECT VERB SERVICE [internally | externally]
 *   SUBJECT  a caller's NAME | the internet | every caller
 *            | every caller in project PROJECT
 *   VERB     may call | can call | reaches | must reach      (delivered
 *            by at least one way in)
 *            must not reach | must not call | cannot reach | cannot call
 *            (delivered by none)
 *   SERVICE  a service's or managed instance's NAME | every service
 *            (the services: managed instances are named one by one)
 *
 * "#" starts a comment line; blank lines are skipped. With "every", a
 * service is not its own caller. */
#include "tools/cli/reach.h"

#include <stdio.h>
#include <string.h>

#define INTENTS_MAX_BYTES (1 << 20)
/* Violations explained step by step (each re-runs its pair). */
#define EXPLAIN_MAX 10

typedef enum { SUBJ_NAME, SUBJ_INTERNET, SUBJ_EVERY, SUBJ_PROJECT } Subject;

typedef struct {
  guint line;
  char *text;
  Subject subject;
  char *name;                   /* the caller or project */
  char *service;                /* NULL: every service */
  gboolean must_not;
  const char *classified;       /* "internal", "external" or NULL */
} Intent;

struct ReachIntents {
  char *file;
  GPtrArray *items;             /* Intent * */
};

static const struct { const char *words; gboolean must_not; } verbs[] = {
  { "must not reach", TRUE }, { "must not call", TRUE },
  { "cannot reach", TRUE }, { "cannot call", TRUE },
  { "may call", FALSE }, { "can call", FALSE }, { "must reach", FALSE },
  { "reaches", FALSE },
};

static void
intent_free (gpointer data)
{
  Intent *in = data;

  g_free (in->text);
  g_free (in->name);
  g_free (in->service);
  g_free (in);
}

void
reach_intents_free (ReachIntents *in)
{
  if (!in)
    return;
  g_free (in->file);
  g_ptr_array_unref (in->items);
  g_free (in);
}

/* The index in words of the verb's first word, and how many words. */
static gboolean
find_verb (char **words, guint *at, guint *n, gboolean *must_not)
{
  for (guint i = 0; words[i]; i++)
    for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
      {
        g_auto (GStrv) vw = g_strsplit (verbs[v].words, " ", -1);
        guint k = 0;

        while (vw[k] && words[i + k] && strcmp (vw[k], words[i + k]) == 0)
          k++;
        if (!vw[k])
          {
            *at = i;
            *n = k;
            *must_not = verbs[v].must_not;
            return TRUE;
          }
      }
  return FALSE;
}

static gboolean
fail (GError **error, const char *file, guint line, const char *fmt,
      const char *a, const char *b)
{
  g_autofree char *msg = g_strdup_printf (fmt, a, b);

  g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
               "%s:%u: %s", file, line, msg);
  return FALSE;
}

/* " (did you mean 'x'?)" or "". */
static char *
suggest (const char *word, GPtrArray *names)
{
  const char *near;

  g_ptr_array_add (names, NULL);
  near = cloudrun_suggest (word, (const char *const *) names->pdata);
  g_ptr_array_remove_index (names, names->len - 1);
  return near ? g_strdup_printf ("; did you mean '%s'?", near)
              : g_strdup ("");
}

static gboolean
parse_line (Intent *in, char **w, const ReachMatrix *m, const char *file,
            GError **error)
{
  guint at, nv, end, ns;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  static const char grammar[] =
    "expected 'CALLER may call|reaches|must not reach SERVICE "
    "[internally|externally]' (CALLER: a name, the internet, every caller, "
    "every caller in project P; SERVICE: a name or every service), "
    "found '%s'%s";

  if (!find_verb (w, &at, &nv, &in->must_not) || at == 0)
    return fail (error, file, in->line, grammar, in->text, "");
  end = g_strv_length (w);
  if (end > at + nv && (strcmp (w[end - 1], "internally") == 0
                        || strcmp (w[end - 1], "externally") == 0))
    {
      if (in->must_not)
        return fail (error, file, in->line, "'%s': %s applies to may call "
                     "and reaches, not to must not", in->text, w[end - 1]);
      in->classified = w[end - 1][0] == 'i' ? "internal" : "external";
      end--;
    }
  /* The subject. */
  if (at == 2 && strcmp (w[0], "the") == 0 && strcmp (w[1], "internet") == 0)
    in->subject = SUBJ_INTERNET;
  else if (at == 2 && strcmp (w[0], "every") == 0
           && strcmp (w[1], "caller") == 0)
    in->subject = SUBJ_EVERY;
  else if (at == 5 && strcmp (w[0], "every") == 0
           && strcmp (w[1], "caller") == 0 && strcmp (w[2], "in") == 0
           && strcmp (w[3], "project") == 0)
    {
      gboolean known = FALSE;

      in->subject = SUBJ_PROJECT;
      in->name = g_strdup (w[4]);
      for (guint i = 0; i < m->callers->len; i++)
        {
          const ReachCaller *c = m->callers->pdata[i];
          if (c->project && strcmp (c->project, in->name) == 0)
            known = TRUE;
          if (c->project)
            g_ptr_array_add (names, c->project);
        }
      if (!known)
        {
          g_autofree char *near = suggest (in->name, names);
          return fail (error, file, in->line, "no caller is in project "
                       "'%s'%s", in->name, near);
        }
    }
  else if (at == 1)
    {
      gboolean known = FALSE;

      in->subject = SUBJ_NAME;
      in->name = g_strdup (w[0]);
      for (guint i = 0; i < m->callers->len; i++)
        {
          const ReachCaller *c = m->callers->pdata[i];
          known |= strcmp (c->name, in->name) == 0;
          g_ptr_array_add (names, c->name);
        }
      if (!known)
        {
          g_autofree char *near = suggest (in->name, names);
          return fail (error, file, in->line, "no caller named '%s' (a "
                       "[service], [job], [worker-pool], [vm], [client] or "
                       "[google-caller])%s",
                       in->name, near);
        }
    }
  else
    return fail (error, file, in->line, grammar, in->text, "");
  /* The object. */
  ns = end - (at + nv);
  if (ns == 2 && strcmp (w[at + nv], "every") == 0
      && strcmp (w[at + nv + 1], "service") == 0)
    in->service = NULL;
  else if (ns == 1)
    {
      gboolean known = FALSE;

      g_ptr_array_set_size (names, 0);
      in->service = g_strdup (w[at + nv]);
      for (guint j = 0; j < m->targets->len; j++)
        {
          const ReachTarget *t = m->targets->pdata[j];
          known |= strcmp (t->service, in->service) == 0;
          g_ptr_array_add (names, t->service);
        }
      if (!known)
        {
          g_autofree char *near = suggest (in->service, names);
          return fail (error, file, in->line, "no [service %s]%s",
                       in->service, near);
        }
    }
  else
    return fail (error, file, in->line, grammar, in->text, "");
  return TRUE;
}

ReachIntents *
reach_intents_load (const char *file, const ReachMatrix *m, GError **error)
{
  g_autoptr (ReachIntents) in = g_new0 (ReachIntents, 1);
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  GError *local = NULL;
  gsize len;

  in->file = g_strdup (file);
  in->items = g_ptr_array_new_with_free_func (intent_free);
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: --intents: not a regular file", file);
      return NULL;
    }
  if (!g_file_get_contents (file, &data, &len, &local))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "--intents: %s", local->message);
      g_error_free (local);
      return NULL;
    }
  if (len > INTENTS_MAX_BYTES || strlen (data) != len
      || !g_utf8_validate (data, (gssize) len, NULL))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "%s: --intents: expected UTF-8 text of at most %u bytes "
                   "without NUL", file, INTENTS_MAX_BYTES);
      return NULL;
    }
  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto (GStrv) words = NULL;
      Intent *it;

      if (!*line || line[0] == '#')
        continue;
      for (char *p = line; *p; p++)
        if (*p == '\t' || *p == '\r')
          *p = ' ';
      words = g_strsplit (line, " ", -1);
      {
        /* Drop the empty words of repeated blanks. */
        guint k = 0;
        for (guint j = 0; words[j]; j++)
          if (*words[j])
            words[k++] = words[j];
          else
            g_free (words[j]);
        words[k] = NULL;
      }
      it = g_new0 (Intent, 1);
      it->line = i + 1;
      it->text = g_strjoinv (" ", words);
      g_ptr_array_add (in->items, it);
      if (!parse_line (it, words, m, file, error))
        return NULL;
    }
  return g_steal_pointer (&in);
}

static gboolean
subject_has (const Intent *in, const ReachCaller *c)
{
  switch (in->subject)
    {
    case SUBJ_NAME:
      return strcmp (c->name, in->name) == 0;
    case SUBJ_INTERNET:
      return strcmp (c->kind, "client") == 0;
    case SUBJ_EVERY:
      return TRUE;
    case SUBJ_PROJECT:
      return c->project && strcmp (c->project, in->name) == 0;
    }
  return FALSE;
}

static void
mark (char ***failed, guint index, const char *what)
{
  guint n = failed[index] ? g_strv_length (failed[index]) : 0;

  failed[index] = g_renew (char *, failed[index], n + 2);
  failed[index][n] = g_strdup (what);
  failed[index][n + 1] = NULL;
}

guint
reach_intents_check (const ReachIntents *intents, const ReachMatrix *m,
                     ReachPlan *plan, gboolean what_if, GString *report,
                     char ****failed_out)
{
  guint nt = m->targets->len, violated = 0, explained = 0, unexplained = 0;
  char ***failed = g_new0 (char **, MAX (m->n_pairs, 1));

  for (guint k = 0; k < intents->items->len; k++)
    {
      const Intent *in = intents->items->pdata[k];
      g_autofree char *where = g_strdup_printf ("%s:%u", intents->file,
                                                in->line);
      g_autoptr (GString) bad = g_string_new (NULL);
      guint pairs = 0;

      for (guint i = 0; i < m->callers->len; i++)
        {
          const ReachCaller *c = m->callers->pdata[i];
          const char *last = NULL;

          if (!subject_has (in, c))
            continue;
          for (guint j = 0; j < nt; j++)
            {
              const ReachTarget *t = m->targets->pdata[j];
              gboolean any = FALSE;
              guint show = i * nt + j;

              if ((in->service && strcmp (t->service, in->service) != 0)
                  || (!in->service && reach_target_is_tcp (t))
                  || (last && strcmp (last, t->service) == 0))
                continue;
              last = t->service;
              if ((in->subject != SUBJ_NAME || !in->service)
                  && strcmp (c->name, t->service) == 0
                  && strcmp (c->kind, "service") == 0)
                continue;
              /* Every way into this service. */
              for (guint jj = j; jj < nt; jj++)
                {
                  const ReachTarget *tt = m->targets->pdata[jj];
                  const ReachPair *p = m->pairs[i * nt + jj];
                  gboolean ok;

                  if (strcmp (tt->service, t->service) != 0)
                    break;
                  ok = p && strcmp (p->outcome, "delivered") == 0
                       && (!in->classified || (p->classified
                           && strcmp (p->classified, in->classified) == 0));
                  if (ok && !any)
                    show = i * nt + jj;
                  any |= ok;
                  if (ok && in->must_not)
                    mark (failed, i * nt + jj, in->text);
                }
              pairs++;
              if (any == in->must_not)
                {
                  const ReachPair *p = m->pairs[show];

                  if (!in->must_not)
                    mark (failed, show, in->text);
                  g_string_append (bad, "  ");
                  if (p)
                    reach_describe_pair (p, bad);
                  g_string_append_c (bad, '\n');
                  if (plan && p && explained < EXPLAIN_MAX)
                    {
                      g_autoptr (GString) ex = g_string_new (NULL);
                      GError *error = NULL;
                      g_auto (GStrv) lines = NULL;

                      explained++;
                      if (!reach_explain_pair (plan, show, what_if, ex,
                                               &error))
                        {
                          g_string_append_printf (ex, "(not explained: %s)\n",
                                                  error->message);
                          g_error_free (error);
                        }
                      lines = g_strsplit (ex->str, "\n", -1);
                      for (guint l = 0; lines[l]; l++)
                        if (*lines[l])
                          g_string_append_printf (bad, "    %s\n", lines[l]);
                    }
                  else if (plan)
                    unexplained++;
                }
            }
        }
      if (bad->len)
        {
          violated++;
          g_string_append_printf (report, "%s: violated: %s\n%s", where,
                                  in->text, bad->str);
        }
      else
        g_string_append_printf (report, "%s: holds: %s (%u pair(s))\n", where,
                                in->text, pairs);
    }
  if (unexplained)
    g_string_append_printf (report, "(%u more violation(s) not explained; "
                            "`cloudrun-netsim explain` one with a [traffic] "
                            "of its own)\n", unexplained);
  g_string_append_printf (report, "%u of %u intent(s) violated\n", violated,
                          intents->items->len);
  if (failed_out)
    *failed_out = failed;
  else
    {
      for (guint i = 0; i < m->n_pairs; i++)
        g_strfreev (failed[i]);
      g_free (failed);
    }
  return violated;
}
