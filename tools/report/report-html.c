/* report.html (see tools/report/report-html.h). The page is polyglot:
 * well-formed XML as well as HTML5 (every element closed, the CSS without '<',
 * '>' or '&'), so that both an HTML and an XML parser can check it. Colours:
 * red for what was refused or dropped, green for what was delivered, grey for
 * what never finished; text is near black on white. */
#include "tools/report/report-html.h"

#include <string.h>

#include "sim/wire.h"
#include "sim/world.h"

static const char style[] =
  "body{font-family:'DejaVu Sans',Verdana,sans-serif;font-size:22px;"
  "line-height:1.35;color:#111;background:#fff;margin:24px 32px}\n"
  "h1{font-size:40px;margin:0 0 8px}\n"
  "h2{font-size:32px;margin:40px 0 12px;border-bottom:4px solid #111}\n"
  "h3{font-size:27px;margin:28px 0 8px}\n"
  ".lesson{font-size:25px;white-space:pre-line;max-width:64em;"
  "background:#f2f2f2;border-left:8px solid #333;padding:8px 16px}\n"
  ".meta{color:#333}\n"
  "code.digest{overflow-wrap:anywhere}\n"
  "table.assumptions td:nth-child(2){overflow-wrap:anywhere}\n"
  "table{border-collapse:collapse;margin:8px 0;font-size:17px}\n"
  "th,td{border:2px solid #555;padding:4px 8px;text-align:left;"
  "vertical-align:top}\n"
  ".name,.hop{white-space:nowrap}\n"
  "th{background:#222;color:#fff}\n"
  "td.num{text-align:right;white-space:nowrap}\n"
  "tr.why td{border-top:0;font-size:17px;color:#333;"
  "overflow-wrap:anywhere}\n"
  "code,.mono{font-family:'DejaVu Sans Mono',monospace;font-size:0.92em}\n"
  ".bad{color:#a00000;font-weight:bold}\n"
  ".good{color:#00661a;font-weight:bold}\n"
  ".gone{color:#555;font-weight:bold}\n"
  "tr.decide-bad td{background:#ffd6d6;border:4px solid #a00000}\n"
  "tr.decide-good td{background:#d3f5dc;border:4px solid #00661a}\n"
  ".tag{display:inline-block;padding:0 8px;margin:2px 4px 2px 0;"
  "border-radius:6px;color:#fff;font-weight:bold;white-space:nowrap}\n"
  ".tag.bad{background:#a00000}\n"
  ".tag.good{background:#00661a}\n"
  ".tag.gone{background:#555}\n"
  ".caller{font-size:25px;margin:8px 0 4px}\n"
  ".picture,.path{overflow:auto;max-width:100%;max-height:88vh;"
  "border:2px solid #ccc;margin:8px 0}\n"
  ".picture svg,.path svg{display:block}\n"
  ".picture.fit svg,.path.fit svg{max-width:100%;height:auto}\n"
  "nav.toc{background:#f6f6f6;border:2px solid #ccc;padding:4px 16px;"
  "margin:16px 0}\n"
  "nav.toc ol{margin:4px 0}\n"
  "nav.toc ol ol{columns:2;font-size:19px}\n"
  "details.traffic{border:2px solid #888;border-radius:6px;"
  "padding:4px 12px;margin:10px 0}\n"
  "details.traffic summary{cursor:pointer}\n"
  "table.steps td:nth-child(6),table.steps td:nth-child(7)"
  "{overflow-wrap:anywhere;min-width:10em}\n"
  "details.traffic summary h3{display:inline;margin:0}\n"
  "details.traffic[open] summary{margin-bottom:8px}\n"
  ".note{background:#fff3cd;border-left:8px solid #a06000;padding:8px 16px}\n"
  "ul.files li{margin:2px 0}\n"
  ".load svg{display:block;max-width:100%;height:auto}\n"
  ".load text{font-size:16px;fill:#111}\n"
  ".c0{color:#1f4fbf}.c1{color:#00661a}.c2{color:#a00000}"
  ".c3{color:#6a3d9a}\n"
  ".legend span{font-weight:bold;white-space:nowrap}\n"
  "ul.pcaps{columns:2;font-size:17px;"
  "font-family:'DejaVu Sans Mono',monospace}\n";

/* Appends text escaped for HTML; NULL or "" as dash. */
static void
esc (GString *out, const char *text)
{
  if (!text || !*text)
    {
      g_string_append (out, "&#8211;");
      return;
    }
  tools_report_html_escape (out, text);
}

/* Appends a vocabulary word (DROP, PRIVATE_GOOGLE_ACCESS_DISALLOWED)
 * escaped, with a place to break (a zero-width space) after each
 * underscore; NULL as dash. */
static void
esc_word (GString *out, const char *word)
{
  g_autofree char *e = NULL;

  if (!word || !*word)
    {
      esc (out, word);
      return;
    }
  e = g_markup_escape_text (word, -1);
  for (const char *p = e; *p; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '_')
        g_string_append (out, "&#8203;");
    }
}

/* The class of a verdict: good, bad, or gone (pending). */
static const char *
verdict_class (CloudRunVerdict v)
{
  return v == CLOUDRUN_VERDICT_DELIVERED ? "good"
         : v == CLOUDRUN_VERDICT_PENDING ? "gone" : "bad";
}

/* The class of a step's state: drops, aborts and every refusal (the
 * GFE's, IAM's, VPC Service Controls', a Google product's target type)
 * are bad. */
static const char *
state_class (const SimExplainStep *s)
{
  switch ((CloudRunState) s->code)
    {
    case CLOUDRUN_STATE_DELIVER:
      return "good";
    case CLOUDRUN_STATE_DROP: case CLOUDRUN_STATE_ABORT:
    case CLOUDRUN_STATE_INGRESS_DENIED: case CLOUDRUN_STATE_IAM_DENIED:
    case CLOUDRUN_STATE_VPC_SC_DENIED:
    case CLOUDRUN_STATE_SECURITY_POLICY_DENIED:
    case CLOUDRUN_STATE_IAP_DENIED:
    case CLOUDRUN_STATE_TARGET_TYPE_NOT_PERMITTED_FOR_VPC:
      return "bad";
    default:
      return "";
    }
}

static void
html_head (GString *out, const ToolsReport *rep)
{
  const CloudRunScenario *sc = rep->scenario;
  guint failed = cloudrun_expect_failures (rep->checks);
  g_autofree char *overrides = rep->provenance
    ? tools_provenance_overrides (rep->provenance) : NULL;
  char d[32];

  g_string_append (out, "<!DOCTYPE html>\n"
                   "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                   "lang=\"en\">\n"
                   "<head>\n<meta charset=\"utf-8\"/>\n<title>");
  esc (out, sc->title);
  if (overrides)
    g_string_append (out, " (changed by the command line)");
  g_string_append_printf (out, "</title>\n<style>\n%s</style>\n</head>\n"
                          "<body>\n<h1>", style);
  esc (out, sc->title);
  g_string_append (out, "</h1>\n");
  if (sc->description)
    {
      g_string_append (out, "<p class=\"lesson\">");
      esc (out, sc->description);
      g_string_append (out, "</p>\n");
    }
  tools_report_html_overrides (out, rep->provenance);
  g_string_append (out, "<p class=\"meta\">Scenario <code>");
  esc (out, sc->path);
  g_string_append_printf (out, "</code>, seed %" G_GUINT64_FORMAT
                          ", duration %s, %" G_GUINT64_FORMAT " events; "
                          "cloudrun-netsim %s.", sc->seed,
                          tools_report_duration (sc->duration, d), rep->events,
                          PACKAGE_VERSION);
  if (rep->checks->len)
    g_string_append_printf (out, " Expectations%s: <span class=\"%s\">%u "
                            "passed, %u failed</span>.",
                            overrides ? " of the changed scenario" : "",
                            failed ? "bad" : "good",
                            rep->checks->len - failed, failed);
  g_string_append (out, "</p>\n");
}

static void
html_verdicts (GString *out, const ToolsReport *rep)
{
  g_string_append (out, "<h2 id=\"verdicts\">Verdicts</h2>\n<table>\n"
                   "<tr><th>traffic</th><th>requests</th><th>outcomes</th>"
                   "<th>classified</th>"
                   "<th class=\"hop\">decided at</th><th>cause</th>"
                   "<th>p50</th><th>p90</th><th>p99</th></tr>\n");
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      const char *cls = s->internal && s->external ? "mixed"
                        : s->internal ? "internal"
                        : s->external ? "external" : NULL;
      char p[3][32] = { "&#8211;", "&#8211;", "&#8211;" };
      g_autofree char *causes = cloudrun_summary_causes (s);
      const char *node, *why;

      if (s->responses)
        {
          tools_report_duration (s->p50, p[0]);
          tools_report_duration (s->p90, p[1]);
          tools_report_duration (s->p99, p[2]);
        }
      g_string_append (out, "<tr><td class=\"name\"><b>");
      esc (out, s->name);
      g_string_append_printf (out, "</b></td><td class=\"num\">%u</td><td>",
                              s->count);
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        if (s->verdicts[v])
          g_string_append_printf (out, "<span class=\"tag %s\">%s %u</span>",
                                  verdict_class (v), cloudrun_verdict_name (v),
                                  s->verdicts[v]);
      g_string_append (out, "</td><td>");
      esc (out, cls);
      g_string_append (out, "</td><td class=\"hop\">");
      esc (out, s->count ? cloudrun_hop_name (s->decided_at) : NULL);
      g_string_append_printf (out, "</td><td class=\"%s\">",
                              causes ? "bad" : "");
      esc_word (out, causes);
      g_string_append_printf (out, "</td><td class=\"num\">%s</td>"
                              "<td class=\"num\">%s</td>"
                              "<td class=\"num\">%s</td></tr>\n",
                              p[0], p[1], p[2]);
      if ((why = cloudrun_summary_why (s, &node)))
        {
          g_string_append (out, "<tr class=\"why\"><td colspan=\"9\">Why: ");
          if (node)
            {
              g_string_append (out, "at <b>");
              esc (out, node);
              g_string_append (out, "</b>: ");
            }
          esc (out, why);
          g_string_append (out, "</td></tr>\n");
        }
    }
  g_string_append (out, "</table>\n");
}

static void
html_addresses (GString *out, const SimExplainLog *log,
                const SimExplainStep *s)
{
  char a[SIM_IPV6_STRLEN], b[SIM_IPV6_STRLEN];
  bool src_after = s->src_after != 0, dst_after = s->dst_after != 0;
  uint32_t src = src_after ? s->src_after : s->src_before;
  uint32_t dst = dst_after ? s->dst_after : s->dst_before;

#define ADDR(field, bit, buf) \
  sim_explain_addr_text (log, s, field, SIM_EXPLAIN_V6_##bit, buf)
  if (s->src_before && s->dst_before)
    g_string_append_printf (out, "%s &#8594; %s",
                            ADDR (s->src_before, SRC_BEFORE, a),
                            ADDR (s->dst_before, DST_BEFORE, b));
  else if (s->src_before)
    g_string_append_printf (out, "from %s",
                            ADDR (s->src_before, SRC_BEFORE, a));
  else if (s->dst_before)
    g_string_append_printf (out, "to %s", ADDR (s->dst_before, DST_BEFORE, b));
  if ((src_after || dst_after) && src && dst)
    g_string_append_printf (out, "<br/>&#8658; %s &#8594; %s",
                            src_after ? ADDR (src, SRC_AFTER, a)
                                      : ADDR (src, SRC_BEFORE, a),
                            dst_after ? ADDR (dst, DST_AFTER, b)
                                      : ADDR (dst, DST_BEFORE, b));
#undef ADDR
}

/* What the caller of r lived through. */
static void
html_caller (GString *out, const CloudRunRequest *r, bool connect_only)
{
  char t[32];

  g_string_append (out, "<p class=\"caller\">The caller: ");
  if (!r->finished)
    g_string_append (out, "<span class=\"gone\">still waiting when the run "
                     "ended</span>");
  else if (r->status)
    g_string_append_printf (out, "<span class=\"%s\">HTTP %d</span> after %s",
                            r->status < 400 ? "good" : "bad", r->status,
                            tools_report_duration (r->end - r->start, t));
  else if (connect_only && r->outcome == CLOUDRUN_VERDICT_DELIVERED)
    g_string_append_printf (out, "<span class=\"good\">TCP connection "
                            "established</span> after %s; nothing sent "
                            "(tcp://)",
                            tools_report_duration (r->end - r->start, t));
  else if (r->decided_at == CLOUDRUN_HOP_GOOGLE_PRODUCT)
    g_string_append (out, "<span class=\"bad\">no HTTP request</span>: the "
                     "product refused it before any packet left");
  else
    g_string_append_printf (out, "<span class=\"bad\">no %s</span>; "
                            "it gave up after %s",
                            connect_only ? "connection" : "HTTP answer",
                            tools_report_duration (r->end - r->start, t));
  g_string_append_printf (out, " (verdict <span class=\"%s\">%s</span>",
                          verdict_class (r->outcome),
                          cloudrun_verdict_name (r->outcome));
  if (r->classified)
    g_string_append_printf (out, ", classified %s",
                            cloudrun_class_name (r->classified));
  g_string_append (out, ").</p>\n");
}

static void
html_steps (GString *out, CloudRunWorld *world, uint32_t request_id)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, request_id);
  SimExplainLog *log = sim_world_explain (world->sim);
  uint32_t decided;
  unsigned n = 1;
  char t[32];

  if (r == NULL)
    {
      g_string_append (out, "<p class=\"caller\"><span class=\"gone\">It "
                       "never began</span>: the run's duration ended "
                       "first.</p>\n");
      return;
    }
  decided = cloudrun_request_deciding_step (log, r);
  g_string_append (out, "<table class=\"steps\">\n<tr><th>#</th>"
                   "<th>time</th><th>state</th>"
                   "<th>cause</th><th>node</th><th>rule</th><th>note</th>"
                   "<th>addresses</th><th>frame</th></tr>\n");
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      const char *cls = state_class (s);

      if (id == decided)
        g_string_append_printf (out, "<tr class=\"decide-%s\">",
                                verdict_class (r->outcome));
      else
        g_string_append (out, "<tr>");
      g_string_append_printf (out, "<td class=\"num\">%u%s</td>"
                              "<td class=\"num\">+%s</td><td class=\"%s\">",
                              n++, id == decided ? " &#9654;" : "",
                              tools_report_duration (s->time - r->start, t), cls);
      esc_word (out, s->state);
      g_string_append_printf (out, "</td><td class=\"%s\">", cls);
      esc_word (out, s->cause);
      g_string_append (out, "</td><td><b>");
      esc (out, s->node);
      g_string_append (out, "</b></td><td>");
      esc (out, s->rule);
      g_string_append (out, "</td><td>");
      esc (out, s->note);
      g_string_append (out, "</td><td class=\"mono\">");
      html_addresses (out, log, s);
      g_string_append (out, "</td><td class=\"num\">");
      if (s->frame)                 /* trace.pcapng's frame number */
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, s->frame);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n");
  html_caller (out, r, world->plans[r->traffic].connect_only);
}

/* Each traffic's section, closed (a click opens it): its request, its
 * own picture (paths: a GString of SVG per traffic, or NULL) and its
 * first request's steps. */
static void
html_requests (GString *out, const ToolsReport *rep, const GPtrArray *paths)
{
  g_string_append (out, "<h2 id=\"requests\">Each traffic's first "
                   "request, step by step</h2>\n"
                   "<p>Click a traffic to open it. The highlighted step "
                   "(&#9654;) is the one that decided; in its picture a "
                   "refused or dropped path is red and dashed, and ends "
                   "in a bar at the hop that decided.</p>\n");
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      const CloudRunTrafficPlan *p = &rep->world->plans[t];
      g_autofree char *prefix = g_strdup_printf ("t%u-", t);

      g_string_append_printf (out, "<details class=\"traffic\" "
                              "id=\"traffic-%u\"><summary><h3 "
                              "class=\"%s\">", t,
                              verdict_class (s->main_verdict));
      esc (out, s->name);
      g_string_append (out, "</h3> ");
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        if (s->verdicts[v])
          g_string_append_printf (out, "<span class=\"tag %s\">%s %u"
                                  "</span>", verdict_class (v),
                                  cloudrun_verdict_name (v), s->verdicts[v]);
      g_string_append (out, "</summary>\n<p><code>");
      esc (out, p->method);
      g_string_append_printf (out, " %s://", p->tls ? "https" : "http");
      esc (out, p->host);
      esc (out, p->path);
      g_string_append_printf (out, "</code>, %u request(s)</p>\n", s->count);
      if (paths && t < paths->len
          && strstr (((GString *) g_ptr_array_index (paths, t))->str, "<svg"))
        {
          g_string_append_printf (out, "<div class=\"path%s\">\n",
                                  tools_report_html_svg_fits (
                                    g_ptr_array_index (paths, t), HTML_PATH_PX)
                                  ? " fit" : "");
          tools_report_html_svg (out, g_ptr_array_index (paths, t), prefix);
          g_string_append (out, "</div>\n");
        }
      if (s->count)
        html_steps (out, rep->world, s->first);
      g_string_append (out, "</details>\n");
    }
}

static void
html_expectations (GString *out, const ToolsReport *rep)
{
  if (!rep->checks->len)
    return;
  g_string_append (out, "<h2 id=\"expectations\">Expectations</h2>\n"
                   "<table>\n<tr><th></th><th>expect</th><th>key</th>"
                   "<th>expected</th>"
                   "<th>found</th></tr>\n");
  for (guint i = 0; i < rep->checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (rep->checks,
                                                   CloudRunCheckItem, i);
      g_string_append_printf (out, "<tr><td class=\"%s\">%s</td><td>",
                              c->pass ? "good" : "bad",
                              c->pass ? "PASS" : "FAIL");
      esc (out, c->expect);
      g_string_append (out, "</td><td>");
      esc (out, c->key);
      g_string_append (out, "</td><td>");
      esc (out, c->expected);
      g_string_append_printf (out, "</td><td class=\"%s\">",
                              c->pass ? "" : "bad");
      esc (out, c->found);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n");
}

static void
html_services (GString *out, const CloudRunScenario *sc)
{
  if (!sc->services->len)
    return;
  g_string_append (out, "<h2 id=\"services\">Services</h2>\n<table>\n"
                   "<tr><th>service</th><th>URLs</th></tr>\n");
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (sc->services, i);
      g_string_append (out, "<tr><td><b>");
      esc (out, s->base.name);
      g_string_append (out, "</b></td><td class=\"mono\">");
      esc (out, s->url);
      g_string_append (out, "<br/>");
      esc (out, s->number_url);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table>\n");
}

/* What an output is, for the list; NULL for a name not known here. */
static const char *
output_about (const char *name)
{
  static const char *const about[][2] = {
    { "report.html", "this page" },
    { "report.json", "the same for programs" },
    { "report.txt", "the same as text" },
    { "requests.jsonl", "every request, one JSON object a line" },
    { "summary.csv", "the sweep's rows of this run" },
    { "topology.dot", "the picture for Graphviz" },
    { "topology.svg", "the picture" },
    { "trace.pcapng", "every hop of every packet, with the decisions as "
      "frame comments (Wireshark)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (about); i++)
    if (strcmp (name, about[i][0]) == 0)
      return about[i][1];
  return NULL;
}

static void
html_outputs (GString *out, const char *const *outputs)
{
  guint pcaps = 0;

  g_string_append (out, "<h2 id=\"outputs\">Outputs</h2>\n"
                   "<ul class=\"files\">\n");
  for (const char *const *n = outputs; n && *n; n++)
    {
      const char *about = output_about (*n);

      if (g_str_has_prefix (*n, "pcap/"))
        {
          pcaps++;
          continue;
        }
      g_string_append (out, "<li><a href=\"");
      esc (out, *n);
      g_string_append (out, "\">");
      esc (out, *n);
      g_string_append (out, "</a>");
      if (about)
        g_string_append_printf (out, ": %s", about);
      g_string_append (out, "</li>\n");
    }
  if (pcaps)
    {
      g_string_append_printf (out, "<li><details><summary>pcap/: one "
                              "capture per link, for Wireshark's TCP "
                              "analysis (%u files)</summary>\n"
                              "<ul class=\"pcaps\">\n", pcaps);
      for (const char *const *n = outputs; *n; n++)
        if (g_str_has_prefix (*n, "pcap/"))
          {
            g_string_append (out, "<li><a href=\"");
            esc (out, *n);
            g_string_append (out, "\">");
            esc (out, *n + 5);
            g_string_append (out, "</a></li>\n");
          }
      g_string_append (out, "</ul></details></li>\n");
    }
  g_string_append (out, "</ul>\n");
}

void
tools_report_html (GString *out, const ToolsReport *rep, const GString *svg,
                   const char *graph_note, const GPtrArray *paths,
                   const char *const *outputs)
{
  g_autoptr (GString) load = g_string_new (NULL);

  tools_report_html_series (load, rep->world->series);
  html_head (out, rep);
  tools_report_html_toc (out, rep, load->len > 0);
  html_verdicts (out, rep);
  tools_report_html_picture (out, svg, graph_note);
  g_string_append_len (out, load->str, (gssize) load->len);
  html_requests (out, rep, paths);
  html_expectations (out, rep);
  html_services (out, rep->scenario);
  html_outputs (out, outputs);
  if (rep->provenance)
    tools_report_html_provenance (out, rep->provenance);
  g_string_append (out, "</body>\n</html>\n");
}

/* Adds the names in dir (under prefix) to names. */
static gboolean
list_names (GPtrArray *names, const char *dir, const char *prefix,
            GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  const char *n;

  if (!d)
    return FALSE;
  while ((n = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strconcat (prefix, n, NULL));
  return TRUE;
}

static gint
name_order (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
tools_report_html_write (ToolsOutput *out, const ToolsReport *rep,
                         const GString *svg, const char *graph_note,
                         const GPtrArray *paths, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) html = g_string_new (NULL);
  g_autofree char *pcap = g_build_filename (out->staging, "pcap", NULL);

  if (!list_names (names, out->staging, "", error))
    return FALSE;
  if (g_file_test (pcap, G_FILE_TEST_IS_DIR)
      && !list_names (names, pcap, "pcap/", error))
    return FALSE;
  for (guint i = names->len; i-- > 0;)
    if (strcmp (g_ptr_array_index (names, i), "pcap") == 0
        || strcmp (g_ptr_array_index (names, i), "report.html") == 0)
      g_ptr_array_remove_index (names, i);
  g_ptr_array_add (names, g_strdup ("report.html"));
  g_ptr_array_sort (names, name_order);
  g_ptr_array_add (names, NULL);
  tools_report_html (html, rep, svg, graph_note, paths,
                     (const char *const *) names->pdata);
  return tools_output_write (out, "report.html", html, error);
}
