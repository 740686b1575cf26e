/* Topology pictures (see tools/graph.h). Labels are cut to
 * GRAPH_LABEL_MAX bytes: Graphviz refuses a quoted string of more than
 * 16384 and a picture has no use for a longer one. */
#include "tools/graph.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GRAPH_LABEL_MAX 200
#define GRAPH_MESSAGE_MAX 200

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

/* A label: text as a DOT string, cut at a character boundary to
 * GRAPH_LABEL_MAX bytes and marked "..." when it was longer. */
static void
dot_label (GString *out, const char *text)
{
  gsize cut = GRAPH_LABEL_MAX;
  g_autofree char *shorter = NULL;

  if (strlen (text) <= GRAPH_LABEL_MAX)
    {
      dot_id (out, text);
      return;
    }
  while (cut > 0 && ((guchar) text[cut] & 0xC0) == 0x80)
    cut--;
  shorter = g_strdup_printf ("%.*s...", (int) cut, text);
  dot_id (out, shorter);
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
              dot_label (out, label);
            }
      if (c < 2)
        dot_label (out, c == 0 ? "internet" : "Google (GFE, Cloud Run)");
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
  const char *color;
  const char *prev = NULL;

  if (r == NULL)                /* it never began: no path to draw */
    return;
  color = r->outcome == CLOUDRUN_VERDICT_DELIVERED ? "forestgreen" : "red3";

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
          dot_label (out, s->name);
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
  dot_label (out, sc->title);
  g_string_append (out, "];\n  node [shape=box, style=rounded, "
                   "fontname=\"Helvetica\", fontsize=10];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=9];\n");
  graph_topology (out, world->sim);
  for (guint t = 0; t < world->n_plans; t++)
    if (summaries[t].count > 0)
      graph_path (out, world, &summaries[t]);
  g_string_append (out, "}\n");
}

/* The first line of what dot wrote on stderr (held in a memory file,
 * which nothing on disk backs and which a pipe-breaking early exit does
 * not lose), or NULL. */
static char *
graph_stderr_line (int fd)
{
  char buf[GRAPH_MESSAGE_MAX + 1];
  ssize_t n = fd >= 0 ? pread (fd, buf, GRAPH_MESSAGE_MAX, 0) : -1;

  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  buf[strcspn (buf, "\r\n")] = '\0';
  return buf[0] ? g_strdup (buf) : NULL;
}

/* Why dot made no picture, in one line: its exit and its first line. */
static void
graph_failure (GError **error, GSubprocess *proc, int err_fd,
               const GError *io_error)
{
  g_autofree char *first = graph_stderr_line (err_fd);
  g_autofree char *how = NULL;

  if (g_subprocess_get_if_signaled (proc))
    how = g_strdup_printf ("dot was killed by signal %d",
                           g_subprocess_get_term_sig (proc));
  else if (g_subprocess_get_exit_status (proc) != 0)
    how = g_strdup_printf ("dot exited with status %d",
                           g_subprocess_get_exit_status (proc));
  else if (io_error)
    how = g_strdup_printf ("dot stopped reading its input (%s)",
                           io_error->message);
  else
    how = g_strdup ("dot wrote no picture");
  g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s%s%s", how,
               first ? ": " : "", first ? first : "");
}

/* Starts dot -Tsvg with its stderr into a memory file (*err_fd, or -1
 * and stderr discarded where there is none). */
static GSubprocess *
graph_spawn (const char *path, int *err_fd, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  const char *argv[] = { path, "-Tsvg", NULL };
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE
                           | G_SUBPROCESS_FLAGS_STDOUT_PIPE;

  *err_fd = memfd_create ("dot-stderr", MFD_CLOEXEC);
  if (*err_fd < 0)
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  launcher = g_subprocess_launcher_new (flags);
  if (*err_fd >= 0)
    g_subprocess_launcher_take_stderr_fd (launcher, dup (*err_fd));
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

gboolean
tools_graph_svg (const GString *dot, GString *svg, GError **error)
{
  g_autofree char *path = g_find_program_in_path ("dot");
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GBytes) in = NULL, outb = NULL;
  g_autoptr (GError) io_error = NULL;
  struct sigaction ignore = { 0 }, old;
  gboolean talked;
  int err_fd;

  if (!path)
    return FALSE;
  proc = graph_spawn (path, &err_fd, &io_error);
  if (!proc)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "cannot start %s: %s", path, io_error->message);
      if (err_fd >= 0)
        close (err_fd);
      return FALSE;
    }
  in = g_bytes_new (dot->str, dot->len);
  /* dot may exit before it read everything: a write to its closed pipe
   * must be an error here, not SIGPIPE for the whole run. */
  ignore.sa_handler = SIG_IGN;
  sigemptyset (&ignore.sa_mask);
  sigaction (SIGPIPE, &ignore, &old);
  talked = g_subprocess_communicate (proc, in, NULL, &outb, NULL, &io_error);
  sigaction (SIGPIPE, &old, NULL);
  if (!talked)
    g_subprocess_wait (proc, NULL, NULL);
  if (!talked || !g_subprocess_get_successful (proc) || !outb
      || g_bytes_get_size (outb) == 0)
    graph_failure (error, proc, err_fd, io_error);
  else
    g_string_append_len (svg, g_bytes_get_data (outb, NULL),
                         (gssize) g_bytes_get_size (outb));
  if (err_fd >= 0)
    close (err_fd);
  return svg->len > 0;
}
