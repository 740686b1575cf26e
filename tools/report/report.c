/* Reports for people (see tools/report/report.h): the verdict table,
 * report.txt, one request's steps, the PASS/FAIL lines. report.json is
 * tools/report/report-json.c. */
#include "tools/report/report.h"

#include <string.h>

#include "sim/link.h"
#include "sim/units.h"
#include "sim/wire.h"
#include "sim/world.h"

const char *
tools_report_duration (SimTime t, char *buf)
{
  static const struct { SimTime unit; const char *name; } units[] = {
    { SIM_S, "s" }, { SIM_MS, "ms" }, { SIM_US, "us" },
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (units); i++)
    if (t >= units[i].unit)
      {
        double v = (double) t / (double) units[i].unit;
        g_snprintf (buf, 32, v >= 100 ? "%.0f%s" : v >= 10 ? "%.1f%s"
                                                           : "%.2f%s",
                    v, units[i].name);
        return buf;
      }
  g_snprintf (buf, 32, "%" G_GINT64_FORMAT "ns", t);
  return buf;
}

/* Every outcome a traffic's requests had, the most frequent first:
 * "unavailable 150/200, delivered 50". */
static char *
table_outcomes (const CloudRunTrafficSummary *s)
{
  GString *o = g_string_new (NULL);

  g_string_append_printf (o, "%s %u/%u",
                          cloudrun_verdict_name (s->main_verdict),
                          s->verdicts[s->main_verdict], s->count);
  for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
    if (v != (int) s->main_verdict && s->verdicts[v])
      g_string_append_printf (o, ", %s %u", cloudrun_verdict_name (v),
                              s->verdicts[v]);
  return g_string_free (o, FALSE);
}

/* After the table and a blank line (the table's rows end there), for
 * the traffics that met [revision] groups: which revisions the GFE sent
 * their requests to, and how many. */
static void
table_served (GString *out, const ToolsReport *rep)
{
  bool first = true;

  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];

      if (!s->served)
        continue;
      if (first)
        g_string_append_c (out, '\n');
      first = false;
      g_string_append_printf (out, "%s: revisions", s->name);
      for (guint i = 0; i < s->served->len; i++)
        {
          const CloudRunServed *one = &g_array_index (s->served,
                                                      CloudRunServed, i);
          g_string_append_printf (out, "%s %s %u", i ? "," : "",
                                  one->revision, one->count);
        }
      g_string_append_c (out, '\n');
    }
}

void
tools_report_table (GString *out, const ToolsReport *rep)
{
  guint n = rep->world->n_plans;
  g_autofree char **outcomes = g_new0 (char *, n + 1);
  g_autofree char **causes = g_new0 (char *, n + 1);
  int w = 7, wo = 7, wc = 32;   /* strlen ("traffic"), ("outcome"); cause */
  int wd = 12;                  /* strlen ("external-alb"): decided at */

  for (guint t = 0; t < n; t++)
    {
      outcomes[t] = table_outcomes (&rep->summaries[t]);
      causes[t] = cloudrun_summary_causes (&rep->summaries[t]);
      w = MAX (w, (int) strlen (rep->summaries[t].name));
      wo = MAX (wo, (int) strlen (outcomes[t]));
      wc = MAX (wc, causes[t] ? (int) strlen (causes[t]) : 0);
      wd = MAX (wd, (int) strlen (cloudrun_hop_name (
                                    rep->summaries[t].decided_at)));
    }
  g_string_append_printf (out, "%-*s %8s  %-*s %-10s %-*s %-*s %8s %8s\n",
                          w, "traffic", "requests", wo, "outcome",
                          "classified", wd, "decided at", wc, "cause", "p50",
                          "p99");
  for (guint t = 0; t < n; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      char p50[32] = "-", p99[32] = "-";
      const char *cls = s->internal && s->external ? "mixed"
                        : s->internal ? "internal"
                        : s->external ? "external" : "-";

      if (s->responses)
        {
          tools_report_duration (s->p50, p50);
          tools_report_duration (s->p99, p99);
        }
      g_string_append_printf (out, "%-*s %8u  %-*s %-10s %-*s %-*s %8s %8s\n",
                              w, s->name, s->count, wo, outcomes[t], cls,
                              wd, cloudrun_hop_name (s->decided_at), wc,
                              causes[t] ? causes[t] : "-", p50, p99);
      g_free (outcomes[t]);
      g_free (causes[t]);
    }
  table_served (out, rep);
}

void
tools_report_whys (GString *out, const ToolsReport *rep)
{
  g_string_append (out, "\nwhy, row by row (the first request with the "
                   "row's main outcome, in its own steps' words):\n");
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      const char *node, *why = cloudrun_summary_why (s, &node);

      g_string_append_printf (out, "  %s: ", s->name);
      if (node)
        g_string_append_printf (out, "at %s: ", node);
      g_string_append_printf (out, "%s\n", why ? why : "no step says");
    }
}

void
tools_report_steps (GString *out, CloudRunWorld *world, uint32_t request_id,
                    const char *indent)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, request_id);
  SimExplainLog *log = sim_world_explain (world->sim);
  unsigned n = 1;
  char t[32];

  if (r == NULL)
    {
      g_string_append_printf (out, "%s    verdict: pending (it never began: "
                              "the run's duration ended first)\n", indent);
      return;
    }
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      g_string_append_printf (out, "%s%2u. +%-9s ", indent, n++,
                              tools_report_duration (s->time - r->start, t));
      sim_explain_format (log, id, out);
      if (s->frame)
        g_string_append_printf (out, " (trace.pcapng frame %" G_GUINT64_FORMAT
                                ")", s->frame);
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "%s    verdict: %s", indent,
                          cloudrun_verdict_name (r->outcome));
  if (r->status)
    g_string_append_printf (out, ", HTTP %d", r->status);
  if (r->classified)
    g_string_append_printf (out, ", classified %s",
                            cloudrun_class_name (r->classified));
  if (r->drop_cause)
    g_string_append_printf (out, ", cause %s",
                            cloudrun_drop_cause_name (r->drop_cause));
  if ((int) r->decided_at >= 0)
    g_string_append_printf (out, ", decided at %s (%s)",
                            cloudrun_hop_name (r->decided_at),
                            r->decided_node);
  g_string_append_c (out, '\n');
  /* What the caller lived through, after the deciding step. */
  if (!r->finished)
    g_string_append_printf (out, "%s    the caller: still waiting when the "
                            "run ended\n", indent);
  else if (r->status)
    g_string_append_printf (out, "%s    the caller: HTTP %d after %s\n",
                            indent, r->status,
                            tools_report_duration (r->end - r->start, t));
  else if (world->plans[r->traffic].connect_only
           && r->outcome == CLOUDRUN_VERDICT_DELIVERED)
    g_string_append_printf (out, "%s    the caller: TCP connection "
                            "established after %s; nothing sent (tcp://)\n",
                            indent,
                            tools_report_duration (r->end - r->start, t));
  else if (r->decided_at == CLOUDRUN_HOP_GOOGLE_PRODUCT)
    g_string_append_printf (out, "%s    the caller: no HTTP request; the "
                            "product refused it before any packet left\n",
                            indent);
  else
    g_string_append_printf (out, "%s    the caller: no %s; it gave up "
                            "after %s\n", indent,
                            world->plans[r->traffic].connect_only
                            ? "connection" : "HTTP answer",
                            tools_report_duration (r->end - r->start, t));
  if (r->finished && r->retransmits)
    g_string_append_printf (out, "%s    its TCP sent %u segment(s) again on "
                            "the way\n", indent, r->retransmits);
}

void
tools_report_checks (GString *out, const char *path, const GArray *checks)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (checks, CloudRunCheckItem,
                                                   i);
      g_string_append_printf (out,
                              "%s %s [expect %s] %s: expected %s, found %s\n",
                              c->pass ? "PASS" : "FAIL", path, c->expect,
                              c->key, c->expected, c->found);
    }
}

static void
report_text_services (GString *out, const CloudRunScenario *sc)
{
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (sc->services, i);
      g_string_append_printf (out, "service %s: https://%s  https://%s\n",
                              s->base.name, s->hash_host, s->number_host);
      for (guint k = 0; k < s->revisions->len; k++)
        {
          const CloudRunSpecRevision *r = g_ptr_array_index (s->revisions, k);
          g_string_append_printf (out, "  revision %s: %" G_GINT64_FORMAT
                                  "%%", r->base.name, r->percent);
          if (r->tag)
            g_string_append_printf (out, ", tag %s: https://%s  https://%s",
                                    r->tag, r->tag_hash_host,
                                    r->tag_number_host);
          g_string_append_c (out, '\n');
        }
    }
}

/* The peaks of the load over time (report.json's series), one line per
 * service, subnet, NAT gateway or connector with a gauge that changed
 * after time 0:
 * "  service cold: in_flight 50, instances 5, queue 0". */
static void
report_text_load (GString *out, CloudRunSeries *s)
{
  bool header = false;

  if (!s)
    return;
  cloudrun_series_finish (s);
  for (guint i = 0; i < s->gauges->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (s->gauges, i);
      bool seen = false, moved = false;

      for (guint j = 0; j < s->gauges->len && !seen; j++)
        {
          const CloudRunGauge *h = g_ptr_array_index (s->gauges, j);
          bool same = strcmp (g->kind, h->kind) == 0
                      && strcmp (g->name, h->name) == 0;
          seen = same && j < i;
          moved = moved || (same && cloudrun_gauge_moved (h));
        }
      if (seen || !moved)
        continue;
      if (!header)
        g_string_append (out, "\npeak load (report.json's series):\n");
      header = true;
      g_string_append_printf (out, "  %s %s:", g->kind, g->name);
      for (guint j = i; j < s->gauges->len; j++)
        {
          const CloudRunGauge *h = g_ptr_array_index (s->gauges, j);
          if (strcmp (g->kind, h->kind) == 0 && strcmp (g->name, h->name) == 0)
            g_string_append_printf (out, "%s %s %" G_GINT64_FORMAT,
                                    j > i ? "," : "", h->metric, h->peak);
        }
      g_string_append_c (out, '\n');
    }
}

/* Calls fn for every link direction that dropped frames. */
static void
report_each_drop (const ToolsReport *rep,
                  void (*fn) (GString *out, const SimLink *link, unsigned dir,
                              const SimLinkCounters *c, guint nth),
                  GString *out)
{
  SimWorld *sim = rep->world->sim;
  guint nth = 0;

  for (guint i = 0; i < sim_world_n_links (sim); i++)
    for (unsigned dir = 0; dir < 2; dir++)
      {
        const SimLink *link = sim_world_link (sim, i);
        const SimLinkCounters *c = sim_link_counters (link, dir);
        if (c->drop_queue_packets + c->drop_queue_bytes > 0)
          fn (out, link, dir, c, nth++);
      }
}

static void
text_drop (GString *out, const SimLink *link, unsigned dir,
           const SimLinkCounters *c, guint nth)
{
  const SimPort *tx = sim_link_end (link, dir);

  if (nth == 0)
    g_string_append (out, "\nframes dropped by full link queues "
                     "(LINK_QUEUE_FULL):\n");
  g_string_append_printf (out, "  %s/%s -> %s: %" G_GUINT64_FORMAT
                          " (packet limit), %" G_GUINT64_FORMAT
                          " (byte limit)\n", tx->node->name, tx->name,
                          sim_port_peer (tx)->node->name,
                          c->drop_queue_packets, c->drop_queue_bytes);
}

/* text as lines of at most width columns (a longer word stands alone),
 * each after indent; the file's own line breaks are kept. */
static void
append_wrapped (GString *out, const char *text, const char *indent,
                guint width)
{
  g_auto (GStrv) paragraphs = g_strsplit (text, "\n", -1);

  for (guint p = 0; paragraphs[p]; p++)
    {
      g_auto (GStrv) words = g_strsplit_set (paragraphs[p], " \t", -1);
      guint col = 0;

      g_string_append (out, indent);
      for (guint w = 0; words[w]; w++)
        {
          gsize len = (gsize) g_utf8_strlen (words[w], -1);

          if (len == 0)
            continue;
          if (col && col + 1 + len > width)
            {
              g_string_append_printf (out, "\n%s", indent);
              col = 0;
            }
          else if (col)
            {
              g_string_append_c (out, ' ');
              col++;
            }
          g_string_append (out, words[w]);
          col += (guint) len;
        }
      g_string_append_c (out, '\n');
    }
}

void
tools_report_text (GString *out, const ToolsReport *rep)
{
  const CloudRunScenario *sc = rep->scenario;
  char d[32];

  g_string_append_printf (out, "cloudrun-netsim %s report\n", PACKAGE_VERSION);
  g_string_append_printf (out, "scenario: %s: %s\n", sc->path, sc->title);
  if (sc->description)
    append_wrapped (out, sc->description, "  ", 76);
  g_string_append_printf (out, "seed: %" G_GUINT64_FORMAT ", duration: %s, "
                          "events: %" G_GUINT64_FORMAT "\n", sc->seed,
                          tools_report_duration (sc->duration, d), rep->events);
  if (rep->provenance)
    tools_provenance_text (out, rep->provenance);
  g_string_append_c (out, '\n');
  report_text_services (out, sc);
  g_string_append_c (out, '\n');
  tools_report_table (out, rep);
  tools_report_whys (out, rep);
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      const CloudRunTrafficPlan *p = &rep->world->plans[t];
      g_string_append_printf (out, "\ntraffic %s: %s %s://%s%s, %u "
                              "request(s)\n", s->name, p->method,
                              p->tls ? "https" : "http", p->host, p->path,
                              s->count);
      for (int v = 1; v < CLOUDRUN_N_VERDICTS; v++)
        if (s->verdicts[v])
          g_string_append_printf (out, "  %-18s %u\n",
                                  cloudrun_verdict_name (v), s->verdicts[v]);
      if (s->verdicts[0])
        g_string_append_printf (out, "  %-18s %u (not finished when the "
                                "run ended)\n", "pending", s->verdicts[0]);
      if (s->count == 0)
        continue;
      g_string_append (out, "  first request, step by step:\n");
      tools_report_steps (out, rep->world, s->first, "  ");
    }
  report_each_drop (rep, text_drop, out);
  report_text_load (out, rep->world->series);
  if (rep->checks->len)
    {
      g_string_append (out, "\nexpectations:\n");
      tools_report_checks (out, sc->path, rep->checks);
    }
}
