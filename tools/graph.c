/* Topology pictures (see tools/graph.h). */
#include "tools/graph.h"

#include <gio/gio.h>
#include <string.h>

static void
dot_id (GString *out, const char *name)
{
  g_string_append_c (out, '"');
  for (const char *p = name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
graph_topology (GString *out, SimWorld *sim)
{
  for (guint i = 0; i < sim_world_n_nodes (sim); i++)
    {
      SimNode *n = sim_world_node (sim, i);
      g_string_append (out, "  ");
      dot_id (out, n->name);
      g_string_append_printf (out, " [label=\"%s\\n(%s)\"];\n", n->name,
                              n->klass->name);
    }
  for (guint i = 0; i < sim_world_n_links (sim); i++)
    {
      SimLink *l = sim_world_link (sim, i);
      g_string_append (out, "  ");
      dot_id (out, l->end[0]->node->name);
      g_string_append (out, " -> ");
      dot_id (out, l->end[1]->node->name);
      g_string_append (out, " [dir=none, color=gray60];\n");
    }
}

/* One traffic's first request: its steps' nodes in order. */
static void
graph_path (GString *out, CloudRunWorld *world,
            const CloudRunTrafficSummary *s)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, s->first);
  SimExplainLog *log = sim_world_explain (world->sim);
  const char *color = r->outcome == CLOUDRUN_VERDICT_DELIVERED
                      ? "forestgreen" : "red3";
  const char *prev = NULL;

  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *st = sim_explain_get (log, id);
      if (strcmp (st->state, "DNS_ANSWER") == 0)
        continue;
      if (prev && strcmp (prev, st->node) != 0)
        {
          g_string_append (out, "  ");
          dot_id (out, prev);
          g_string_append (out, " -> ");
          dot_id (out, st->node);
          g_string_append_printf (out, " [color=%s, penwidth=2, "
                                  "constraint=false, label=", color);
          dot_id (out, s->name);
          g_string_append_printf (out, ", fontcolor=%s];\n", color);
        }
      prev = st->node;
    }
  if (r->decided_node)
    {
      g_string_append (out, "  ");
      dot_id (out, r->decided_node);
      g_string_append_printf (out, " [penwidth=3, color=%s];\n", color);
    }
}

void
tools_graph_dot (GString *out, const CloudRunScenario *sc,
                 CloudRunWorld *world, const CloudRunTrafficSummary *summaries)
{
  g_string_append (out, "digraph topology {\n  graph [rankdir=LR, "
                   "fontname=\"Helvetica\", label=");
  dot_id (out, sc->title);
  g_string_append (out, "];\n  node [shape=box, style=rounded, "
                   "fontname=\"Helvetica\", fontsize=10];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=9];\n");
  graph_topology (out, world->sim);
  for (guint t = 0; t < world->n_plans; t++)
    if (summaries[t].count > 0)
      graph_path (out, world, &summaries[t]);
  g_string_append (out, "}\n");
}

gboolean
tools_graph_svg (const GString *dot, GString *svg)
{
  g_autofree char *path = g_find_program_in_path ("dot");
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GBytes) in = NULL, outb = NULL;
  const char *argv[] = { NULL, "-Tsvg", NULL };

  if (!path)
    return FALSE;
  argv[0] = path;
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                            | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  if (!proc)
    return FALSE;
  in = g_bytes_new (dot->str, dot->len);
  if (!g_subprocess_communicate (proc, in, NULL, &outb, NULL, NULL)
      || !g_subprocess_get_successful (proc) || !outb)
    return FALSE;
  g_string_append_len (svg, g_bytes_get_data (outb, NULL),
                       (gssize) g_bytes_get_size (outb));
  return TRUE;
}
