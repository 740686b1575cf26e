/* Topology pictures (see tools/graph.h). */
#include "tools/graph.h"

#include <gio/gio.h>
#include <string.h>

#include "sim/link.h"

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

/* The box a node is drawn in, read from the topology alone (class names
 * and links): 0 the internet, 1 Google (the GFE, Cloud Run instances and
 * their egress), 2 + k the VPC network of the k-th router. */
static int
graph_cluster (SimWorld *sim, SimNode *n, const int *router_of)
{
  const char *k = n->klass->name;

  if (router_of[n->id] >= 0)
    return 2 + router_of[n->id];
  if (strcmp (k, "internet") == 0 || strcmp (n->name, "public-dns") == 0)
    return 0;
  if (strcmp (k, "gfe") == 0 || strcmp (k, "cloud-run-instance") == 0
      || strcmp (k, "serverless-egress") == 0
      || strcmp (n->name, "metadata-public") == 0)
    return 1;
  if (g_str_has_prefix (n->name, "metadata-"))
    {
      g_autofree char *router = g_strconcat ("vpc-", n->name + 9, NULL);
      SimNode *r = sim_world_find_node (sim, router);
      if (r && router_of[r->id] >= 0)
        return 2 + router_of[r->id];
    }
  /* Whatever hangs off a router is in its network; else off the internet. */
  for (guint i = 0; i < n->ports->len; i++)
    {
      SimPort *peer = sim_port_peer (g_ptr_array_index (n->ports, i));
      if (peer && router_of[peer->node->id] >= 0)
        return 2 + router_of[peer->node->id];
    }
  return 0;
}

static void
graph_topology (GString *out, SimWorld *sim)
{
  guint n = sim_world_n_nodes (sim);
  g_autofree int *router_of = g_new (int, n);
  g_autofree int *cluster = g_new (int, n);
  int routers = 0;

  for (guint i = 0; i < n; i++)
    router_of[i] = strcmp (sim_world_node (sim, i)->klass->name,
                           "vpc-router") == 0 ? routers++ : -1;
  for (guint i = 0; i < n; i++)
    cluster[i] = graph_cluster (sim, sim_world_node (sim, i), router_of);
  for (int c = 0; c < 2 + routers; c++)
    {
      g_string_append_printf (out, "  subgraph cluster_%d {\n    label=", c);
      if (c >= 2)
        for (guint i = 0; i < n; i++)
          if (router_of[i] == c - 2)
            {
              g_autofree char *label = g_strdup_printf (
                "VPC network %s", sim_world_node (sim, i)->name + 4);
              dot_id (out, label);
            }
      if (c < 2)
        dot_id (out, c == 0 ? "internet" : "Google (GFE, Cloud Run)");
      g_string_append (out, "; style=rounded; color=gray70; "
                       "fontcolor=gray40;\n");
      for (guint i = 0; i < n; i++)
        if (cluster[i] == c)
          {
            SimNode *node = sim_world_node (sim, i);
            g_string_append (out, "    ");
            dot_id (out, node->name);
            g_string_append_printf (out, " [label=\"%s\\n(%s)\"];\n",
                                    node->name, node->klass->name);
          }
      g_string_append (out, "  }\n");
    }
  for (guint i = 0; i < sim_world_n_links (sim); i++)
    {
      SimLink *l = sim_world_link (sim, i);
      g_string_append (out, "  ");
      dot_id (out, sim_link_end (l, 0)->node->name);
      g_string_append (out, " -> ");
      dot_id (out, sim_link_end (l, 1)->node->name);
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
