/* What `reach` reads of a pair's run (see tools/session/cloudrun-netsim.h,
 * "One traffic's first request"): the verdict of a traffic's first
 * request without rendering and parsing report.json, whose cost would
 * outweigh the pair's simulation. */
#include "tools/session/session-private.h"

#include "sim/world.h"

gboolean
cloudrun_session_first_request (const CloudRunSession *s, guint traffic,
                                CloudRunFirstRequest *out, GString *step)
{
  const CloudRunTrafficSummary *sum;
  const CloudRunRequest *r;
  const SimExplainStep *pick = NULL;
  SimExplainLog *log;

  g_return_val_if_fail (s->run.summaries
                        && traffic < s->run.world->n_plans, FALSE);
  memset (out, 0, sizeof *out);
  sum = &s->run.summaries[traffic];
  if (!sum->count
      || !(r = cloudrun_ledger_get (&s->run.world->ledger, sum->first)))
    return FALSE;
  out->status = r->status > 0 ? r->status : 0;
  out->classified = r->classified ? cloudrun_class_name (r->classified)
                                  : NULL;
  out->decided_node = (int) r->decided_at >= 0 ? r->decided_node : NULL;
  if (!step)
    return TRUE;
  /* The last step of the node that decided it (or the last step). */
  log = sim_world_explain (s->run.world->sim);
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *st = sim_explain_get (log, id);

      if (!out->decided_node || g_strcmp0 (st->node, out->decided_node) == 0)
        pick = st;
    }
  if (!pick)
    return TRUE;
  g_string_append_printf (step, "%s %s", pick->node ? pick->node : "?",
                          pick->state ? pick->state : "?");
  if (pick->cause)
    g_string_append_printf (step, " %s", pick->cause);
  if (pick->rule)
    g_string_append_printf (step, " (%s)", pick->rule);
  if (pick->note)
    g_string_append_printf (step, ": %s", pick->note);
  return TRUE;
}
