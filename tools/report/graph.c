/* Topology pictures (see tools/report/graph.h): the nodes and boxes of
 * tools/report/graph-picture.c written as DOT with the traffics' paths, the
 * columns and the legend; and dot run to make the SVG. Labels are cut to
 * GRAPH_LABEL_MAX bytes: Graphviz refuses a quoted string of more than
 * 16384 and a picture has no use for a longer one. */
#include "tools/report/graph.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GRAPH_LABEL_MAX 200
#define GRAPH_MESSAGE_MAX 200

#include "tools/report/graph-picture.h"

static void
dot_id (GString *out, const char *name)
{
  g_string_append_c (out, '"');
  for (const char *p = name; *p; p++)
    {
      if (*p == '\n')
        {
          g_string_append (out, "\\n");
          continue;
        }
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

/* One drawn edge of the traffics' paths: the traffics that crossed tail
 * to head with one outcome (named when the edge is the first of their
 * paths or the last, into the hop that decided), or one refused or
 * dropped traffic into the hop that decided it, with the cause. */
typedef struct {
  int tail, head;
  gboolean delivered;
  gboolean named;               /* the label shows the names */
  gboolean cause;               /* one traffic and its cause */
  GString *names;               /* '\n' between */
  guint n_names;
  char *why;                    /* the cause alone, or NULL */
} PathEdge;

#define PATH_NAMES_MAX 6        /* names on one edge; then "..." */

static void
path_edge_free (gpointer data)
{
  PathEdge *e = data;
  g_string_free (e->names, TRUE);
  g_free (e->why);
  g_free (e);
}

static void
path_edge_add (GPtrArray *edges, int tail, int head, gboolean delivered,
               gboolean named, const char *name, const char *cause)
{
  PathEdge *e = NULL;

  for (guint i = 0; !cause && i < edges->len; i++)
    {
      PathEdge *x = g_ptr_array_index (edges, i);
      if (x->tail == tail && x->head == head && x->delivered == delivered
          && x->named == named && !x->cause)
        e = x;
    }
  if (!e)
    {
      e = g_new0 (PathEdge, 1);
      e->tail = tail;
      e->head = head;
      e->delivered = delivered;
      e->named = named || cause;
      e->names = g_string_new (NULL);
      e->cause = cause != NULL;
      g_ptr_array_add (edges, e);
    }
  if (e->n_names < PATH_NAMES_MAX)
    g_string_append_printf (e->names, "%s%s", e->n_names ? "\n" : "", name);
  else if (e->n_names == PATH_NAMES_MAX)
    g_string_append (e->names, "\n...");
  e->n_names++;
  if (cause)
    {
      g_string_append_printf (e->names, "\n%s", cause);
      e->why = g_strdup (cause);
    }
}

/* Why a request that was not delivered ended, in the ledger's words:
 * "DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED", "INGRESS_DENIED, HTTP 404". */
static char *
path_cause (const CloudRunRequest *r)
{
  const char *cause = cloudrun_drop_cause_name (r->drop_cause);
  g_autofree char *status = r->status
    ? g_strdup_printf (", HTTP %d", r->status) : g_strdup ("");

  if (r->outcome == CLOUDRUN_VERDICT_DROPPED)
    return g_strdup_printf ("DROP %s", cause ? cause : "");
  if (r->drop_cause != CLOUDRUN_DROP_NONE && cause)
    return g_strdup_printf ("%s%s", cause, status);
  return g_strdup_printf ("%s%s", cloudrun_verdict_name (r->outcome), status);
}

/* One traffic's first request: the drawn nodes its steps passed, DNS
 * answers aside, as edges; shown[] marks them; decided[] the node that
 * decided (1 delivered, 2 not). */
static void
path_edges (GPtrArray *edges, const GraphPicture *pic, CloudRunWorld *world,
            const CloudRunTrafficSummary *s, gboolean *shown, int *decided)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, s->first);
  SimExplainLog *log = sim_world_explain (world->sim);
  g_autoptr (GArray) seq = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *cause = NULL;
  gboolean ok;
  int d, last = -1;

  if (r == NULL)                /* it never began: no path to draw */
    return;
  ok = r->outcome == CLOUDRUN_VERDICT_DELIVERED;
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *st = sim_explain_get (log, id);
      int n = graph_picture_of_name (pic, world->sim, st->node);
      if (st->code == CLOUDRUN_STATE_DNS_ANSWER || st->aside || n < 0
          || (seq->len && g_array_index (seq, int, seq->len - 1) == n))
        continue;
      g_array_append_val (seq, n);
      shown[n] = TRUE;
    }
  d = graph_picture_of_name (pic, world->sim, r->decided_node);
  if (d >= 0)
    {
      decided[d] = MAX (decided[d], ok ? 1 : 2);
      shown[d] = TRUE;
    }
  if (!ok)
    cause = path_cause (r);
  for (guint i = 1; i < seq->len; i++)
    if (g_array_index (seq, int, i) == d)
      last = (int) i;
  if (cause && d < 0 && seq->len >= 2)  /* decided where the picture does
                                           not draw (a metadata resolver):
                                           the cause on its last edge */
    last = (int) seq->len - 1;
  for (guint i = 1; i < seq->len; i++)
    path_edge_add (edges, g_array_index (seq, int, i - 1),
                   g_array_index (seq, int, i), ok,
                   i == 1 || (int) i == last, s->name,
                   (int) i == last ? cause : NULL);
  if (cause && last < 0)                /* decided where it began */
    {
      int at = d >= 0 ? d
        : seq->len ? g_array_index (seq, int, seq->len - 1) : -1;
      if (at >= 0)
        path_edge_add (edges, at, at, ok, TRUE, s->name, cause);
    }
}

/* A box with its shown nodes and boxes inside. */
static void
graph_box (GString *out, const GraphPicture *pic, int b, const gboolean *shown,
           const gboolean *used, const int *decided, int depth)
{
  const GraphBox *box = g_ptr_array_index (pic->boxes, b);
  g_autofree char *pad = g_strnfill ((gsize) (2 * depth), ' ');

  g_string_append_printf (out, "%ssubgraph cluster_%d {\n%s  label=", pad, b,
                          pad);
  dot_label (out, box->label);
  g_string_append_printf (out, "; color=\"%s\"; fontcolor=\"%s\"; "
                          "fontsize=12;\n", box->color, box->color);
  for (guint i = 0; i < pic->nodes->len; i++)
    {
      const GraphNode *n = g_ptr_array_index (pic->nodes, i);
      if (n->box != b || !shown[i])
        continue;
      g_string_append_printf (out, "%s  ", pad);
      dot_id (out, n->id);
      g_string_append (out, " [label=");
      dot_label (out, n->label);
      g_string_append_printf (out, ", fillcolor=\"%s\"", n->fill);
      if (decided[i])
        g_string_append_printf (out, ", penwidth=2.5, color=%s",
                                decided[i] == 2 ? "red3" : "forestgreen");
      g_string_append (out, "];\n");
    }
  for (guint c = (guint) b + 1; c < pic->boxes->len; c++)
    if (used[c] && ((GraphBox *) g_ptr_array_index (pic->boxes, c))->parent
                     == b)
      graph_box (out, pic, (int) c, shown, used, decided, depth + 1);
  g_string_append_printf (out, "%s}\n", pad);
}

/* An edge drawn from the left column to the right (the arrow where it
 * belongs), so that every edge helps the layout; arrow: its head's shape
 * (NULL: dot's own). */
static void
graph_edge (GString *out, const GraphPicture *pic, int tail, int head,
            const char *attrs, const char *arrow)
{
  const GraphNode *t = g_ptr_array_index (pic->nodes, tail);
  const GraphNode *h = g_ptr_array_index (pic->nodes, head);
  gboolean back = h->column < t->column;

  g_string_append (out, "  ");
  dot_id (out, back ? h->id : t->id);
  g_string_append (out, " -> ");
  dot_id (out, back ? t->id : h->id);
  g_string_append_printf (out, " [%s%s", attrs, back ? ", dir=back" : "");
  if (arrow)
    g_string_append_printf (out, ", %s=%s", back ? "arrowtail" : "arrowhead",
                            arrow);
  g_string_append (out, "];\n");
}

/* The columns in order, left to right: an invisible edge from each
 * column's first node to the next's (the edges drawn from the left column
 * to the right do the rest); the legend where dot puts it. Ranks are
 * not forced with rank=same: across boxes, dot then loses edges or the
 * boxes themselves. */
static void
graph_columns (GString *out, const GraphPicture *pic, const gboolean *shown)
{
  int prev = -1;

  for (int c = 0; c <= 6; c++)
    for (guint i = 0; i < pic->nodes->len; i++)
      {
        const GraphNode *n = g_ptr_array_index (pic->nodes, i);
        if (!shown[i] || n->column != c)
          continue;
        if (prev >= 0)
          {
            g_string_append (out, "  ");
            dot_id (out, ((GraphNode *) g_ptr_array_index (pic->nodes,
                                                           prev))->id);
            g_string_append (out, " -> ");
            dot_id (out, n->id);
            g_string_append (out, " [style=invis];\n");
          }
        prev = (int) i;
        break;
      }
}

static const char legend[] =
  "  subgraph cluster_legend {\n"
  "    label=\"legend\"; color=gray55; fontcolor=gray40; fontsize=12;\n"
  "    legend [shape=plaintext, style=\"\", fontsize=10, label=<"
  "<TABLE BORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\">"
  "<TR><TD WIDTH=\"24\" HEIGHT=\"4\" BGCOLOR=\"forestgreen\"></TD>"
  "<TD ALIGN=\"LEFT\">a traffic, delivered</TD></TR>"
  "<TR><TD><FONT COLOR=\"red3\"><B>- - -</B></FONT></TD>"
  "<TD ALIGN=\"LEFT\">a traffic, refused or dropped (dashed)</TD></TR>"
  "<TR><TD><FONT COLOR=\"red3\"><B>- -|</B></FONT></TD>"
  "<TD ALIGN=\"LEFT\">where it ended: a bar</TD></TR>"
  "<TR><TD WIDTH=\"24\" HEIGHT=\"1\" BGCOLOR=\"gray60\"></TD>"
  "<TD ALIGN=\"LEFT\">a link no traffic took</TD></TR>"
  "<TR><TD BORDER=\"2\" COLOR=\"red3\"> </TD>"
  "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">the hop that decided;<BR/>"
  "bold text: the cause</TD></TR>"
  "<TR><TD BGCOLOR=\"#dbe8fb\" BORDER=\"1\"> </TD>"
  "<TD ALIGN=\"LEFT\">a service; \u00d7N instances</TD></TR>"
  "<TR><TD>PGA</TD><TD ALIGN=\"LEFT\">Private Google Access</TD></TR>"
  "</TABLE>>];\n"
  "  }\n";

/* The picture of every traffic (traffic NULL) or of one; bare: without
 * the title, the legend and the traffic's name on its edges (only the
 * cause where it ended). */
static void
graph_dot (GString *out, const CloudRunScenario *sc, CloudRunWorld *world,
           const CloudRunTrafficSummary *summaries, const char *traffic,
           gboolean bare)
{
  g_autoptr (GraphPicture) pic = graph_picture_new (sc, world);
  g_autoptr (GPtrArray) edges = g_ptr_array_new_with_free_func (
    path_edge_free);
  guint n = pic->nodes->len;
  g_autofree gboolean *shown = g_new0 (gboolean, n);
  g_autofree gboolean *used = g_new0 (gboolean, pic->boxes->len);
  g_autofree int *decided = g_new0 (int, n);
  g_autoptr (GHashTable) taken = g_hash_table_new_full (g_str_hash,
                                                        g_str_equal, g_free,
                                                        NULL);
  g_autofree char *title = traffic
    ? g_strdup_printf ("%s\ntraffic %s", sc->title, traffic)
    : g_strdup (sc->title);

  for (guint t = 0; t < world->n_plans; t++)
    if (summaries[t].count > 0
        && (!traffic || strcmp (summaries[t].name, traffic) == 0))
      path_edges (edges, pic, world, &summaries[t], shown, decided);
  for (guint i = 0; !traffic && i < n; i++)
    shown[i] = TRUE;
  for (guint i = 0; i < n; i++)
    for (int b = shown[i] ? ((GraphNode *) g_ptr_array_index (pic->nodes, i))
                              ->box : -1;
         b >= 0; b = ((GraphBox *) g_ptr_array_index (pic->boxes, b))->parent)
      used[b] = TRUE;

  g_string_append (out, "digraph topology {\n  graph [rankdir=LR, "
                   "fontname=\"Helvetica\", fontsize=16, labelloc=t, "
                   "nodesep=0.1, ranksep=0.25, "
                   "size=\"22,12.4\"");
  if (!bare)
    {
      g_string_append (out, ", label=");
      dot_label (out, title);
    }
  g_string_append (out, "];\n  node [shape=box, style=\"rounded,filled\", "
                   "fontname=\"Helvetica\", fontsize=10, margin=\"0.08,0.03\"];\n"
                   "  edge [fontname=\"Helvetica\", fontsize=10, "
                   "arrowsize=0.6];\n");
  for (guint b = 0; b < pic->boxes->len; b++)
    if (used[b] && ((GraphBox *) g_ptr_array_index (pic->boxes, b))->parent
                     < 0)
      graph_box (out, pic, (int) b, shown, used, decided, 1);
  if (!bare)
    g_string_append (out, legend);
  graph_columns (out, pic, shown);
  for (guint i = 0; i < edges->len; i++)
    {
      const PathEdge *e = g_ptr_array_index (edges, i);
      const char *color = e->delivered ? "forestgreen" : "red3";
      g_autoptr (GString) attrs = g_string_new (NULL);

      g_string_append_printf (attrs, "color=%s, fontcolor=%s, penwidth=2.2, "
                              "%stooltip=", color, color,
                              e->delivered ? "" : "style=dashed, ");
      dot_label (attrs, e->names->str);
      if (e->named && (!bare || e->why))
        {
          g_string_append (attrs, ", label=");
          dot_label (attrs, bare ? e->why : e->names->str);
        }
      if (e->cause)
        g_string_append (attrs, ", fontname=\"Helvetica-Bold\", "
                         "arrowsize=1.3");
      graph_edge (out, pic, e->tail, e->head, attrs->str,
                  e->cause ? "tee" : NULL);
      g_hash_table_add (taken, g_strdup_printf ("%d %d", MIN (e->tail, e->head),
                                                MAX (e->tail, e->head)));
    }
  for (guint i = 0; i + 1 < pic->links->len; i += 2)
    {
      int a = g_array_index (pic->links, int, i);
      int b = g_array_index (pic->links, int, i + 1);
      g_autofree char *key = g_strdup_printf ("%d %d", MIN (a, b), MAX (a, b));
      if (shown[a] && shown[b] && !g_hash_table_contains (taken, key))
        graph_edge (out, pic, a, b, "dir=none, color=gray60", NULL);
    }
  g_string_append (out, "}\n");
}

void
tools_graph_dot_traffic (GString *out, const CloudRunScenario *sc,
                         CloudRunWorld *world,
                         const CloudRunTrafficSummary *summaries,
                         const char *traffic)
{
  graph_dot (out, sc, world, summaries, traffic, FALSE);
}

void
tools_graph_dot_path (GString *out, const CloudRunScenario *sc,
                      CloudRunWorld *world,
                      const CloudRunTrafficSummary *summaries,
                      const char *traffic)
{
  graph_dot (out, sc, world, summaries, traffic, TRUE);
}

void
tools_graph_dot (GString *out, const CloudRunScenario *sc,
                 CloudRunWorld *world, const CloudRunTrafficSummary *summaries)
{
  tools_graph_dot_traffic (out, sc, world, summaries, NULL);
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
graph_spawn (const char *path, gboolean natural, int *err_fd, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  const char *argv[] = { path, "-Tsvg", natural ? "-Gsize=" : NULL, NULL };
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
tools_graph_svg (const GString *dot, gboolean natural, GString *svg,
                 GError **error)
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
  proc = graph_spawn (path, natural, &err_fd, &io_error);
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
