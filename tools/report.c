/* Report formatting (see tools/report.h). */
#include "tools/report.h"

#include <string.h>

#include "sim/link.h"
#include "sim/units.h"
#include "sim/wire.h"
#include "sim/world.h"

/* A duration for people, three significant figures: "854ms", "1.05s",
 * "120us". (The scenario format's exact form is sim_units_format_time.) */
static const char *
fmt_time (SimTime t, char *buf)
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

void
tools_report_table (GString *out, const ToolsReport *rep)
{
  guint n = rep->world->n_plans;
  g_autofree char **outcomes = g_new0 (char *, n + 1);
  int w = 7, wo = 7;            /* strlen ("traffic"), ("outcome") */

  for (guint t = 0; t < n; t++)
    {
      outcomes[t] = table_outcomes (&rep->summaries[t]);
      w = MAX (w, (int) strlen (rep->summaries[t].name));
      wo = MAX (wo, (int) strlen (outcomes[t]));
    }
  g_string_append_printf (out, "%-*s %8s  %-*s %-10s %-12s %-32s %8s %8s\n",
                          w, "traffic", "requests", wo, "outcome",
                          "classified", "decided at", "cause", "p50", "p99");
  for (guint t = 0; t < n; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      char p50[32] = "-", p99[32] = "-";
      const char *cls = s->internal && s->external ? "mixed"
                        : s->internal ? "internal"
                        : s->external ? "external" : "-";

      if (s->responses)
        {
          fmt_time (s->p50, p50);
          fmt_time (s->p99, p99);
        }
      g_string_append_printf (out, "%-*s %8u  %-*s %-10s %-12s %-32s %8s %8s\n",
                              w, s->name, s->count, wo, outcomes[t], cls,
                              cloudrun_hop_name (s->decided_at),
                              s->cause ? cloudrun_drop_cause_name (s->cause)
                                       : "-", p50, p99);
      g_free (outcomes[t]);
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
                              fmt_time (s->time - r->start, t));
      sim_explain_format (log, id, out);
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
                            indent, r->status, fmt_time (r->end - r->start, t));
  else
    g_string_append_printf (out, "%s    the caller: no HTTP answer; it gave "
                            "up after %s\n", indent,
                            fmt_time (r->end - r->start, t));
}

void
tools_report_checks (GString *out, const char *path, const GArray *checks)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (checks, CloudRunCheckItem, i);
      g_string_append_printf (out, "%s %s [expect %s] %s: expected %s, found %s\n",
                              c->pass ? "PASS" : "FAIL", path, c->expect,
                              c->key, c->expected, c->found);
    }
}

static void
report_text_services (GString *out, const CloudRunScenario *sc)
{
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunService *s = g_ptr_array_index (sc->services, i);
      g_string_append_printf (out, "service %s: https://%s  https://%s\n",
                              s->base.name, s->hash_host, s->number_host);
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

void
tools_report_text (GString *out, const ToolsReport *rep)
{
  const CloudRunScenario *sc = rep->scenario;
  char d[32];

  g_string_append_printf (out, "cloudrun-netsim %s report\n", PACKAGE_VERSION);
  g_string_append_printf (out, "scenario: %s: %s\nseed: %" G_GUINT64_FORMAT
                          ", duration: %s, events: %" G_GUINT64_FORMAT "\n\n",
                          sc->path, sc->title, sc->seed,
                          fmt_time (sc->duration, d), rep->events);
  report_text_services (out, sc);
  g_string_append_c (out, '\n');
  tools_report_table (out, rep);
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      const CloudRunTrafficSummary *s = &rep->summaries[t];
      const CloudRunTrafficPlan *p = &rep->world->plans[t];
      g_string_append_printf (out, "\ntraffic %s: %s http://%s%s, %u "
                              "request(s)\n", s->name, p->method, p->host,
                              p->path, s->count);
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
  if (rep->checks->len)
    {
      g_string_append (out, "\nexpectations:\n");
      tools_report_checks (out, sc->path, rep->checks);
    }
}

/* A JSON string literal (RFC 8259 escapes); NULL becomes null. */
static void
json_str (GString *out, const char *s)
{
  if (!s)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

static void
json_addr (GString *out, const char *key, uint32_t addr)
{
  char ip[16];

  g_string_append_printf (out, ", \"%s\": ", key);
  json_str (out, addr ? sim_ipv4_to_string (addr, ip) : NULL);
}

static void
json_request (GString *out, CloudRunWorld *world, uint32_t id)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, id);
  SimExplainLog *log = sim_world_explain (world->sim);
  const char *sep = "";

  if (r == NULL)                /* it never began */
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, "{\"verdict\": ");
  json_str (out, cloudrun_verdict_name (r->outcome));
  g_string_append_printf (out, ", \"status\": %d, \"classified\": ", r->status);
  json_str (out, r->classified ? cloudrun_class_name (r->classified) : NULL);
  g_string_append (out, ", \"drop_cause\": ");
  json_str (out, cloudrun_drop_cause_name (r->drop_cause));
  g_string_append (out, ", \"decided_at\": ");
  json_str (out, (int) r->decided_at >= 0 ? cloudrun_hop_name (r->decided_at)
                                          : NULL);
  g_string_append (out, ", \"via\": [");
  for (uint8_t i = 0; i < r->n_via; i++)
    {
      g_string_append (out, i ? ", " : "");
      json_str (out, cloudrun_hop_name (r->via[i]));
    }
  g_string_append (out, "], \"steps\": [");
  for (uint32_t sid = r->chain.first; sid; sid = sim_explain_get (log, sid)->next)
    {
      const SimExplainStep *s = sim_explain_get (log, sid);
      g_string_append_printf (out, "%s\n        {\"t_ns\": %" G_GINT64_FORMAT
                              ", \"state\": ", sep, s->time - r->start);
      json_str (out, s->state);
      g_string_append (out, ", \"cause\": ");
      json_str (out, s->cause);
      g_string_append (out, ", \"node\": ");
      json_str (out, s->node);
      g_string_append (out, ", \"rule\": ");
      json_str (out, s->rule);
      g_string_append (out, ", \"note\": ");
      json_str (out, s->note);
      json_addr (out, "src", s->src_before);
      json_addr (out, "dst", s->dst_before);
      json_addr (out, "src_after", s->src_after);
      json_addr (out, "dst_after", s->dst_after);
      g_string_append_c (out, '}');
      sep = ",";
    }
  g_string_append (out, "]}");
}

static void
json_traffic (GString *out, const ToolsReport *rep, guint t)
{
  const CloudRunTrafficSummary *s = &rep->summaries[t];
  const char *sep = "";

  g_string_append (out, "    {\"name\": ");
  json_str (out, s->name);
  g_string_append_printf (out, ", \"requests\": %u, \"outcomes\": {", s->count);
  for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
    if (s->verdicts[v])
      {
        g_string_append_printf (out, "%s\"%s\": %u", sep,
                                cloudrun_verdict_name (v), s->verdicts[v]);
        sep = ", ";
      }
  g_string_append_printf (out, "}, \"classified\": {\"internal\": %u, "
                          "\"external\": %u}, \"decided_at\": ",
                          s->internal, s->external);
  json_str (out, cloudrun_hop_name (s->decided_at));
  g_string_append (out, ", \"cause\": ");
  json_str (out, cloudrun_drop_cause_name (s->cause));
  g_string_append_printf (out, ", \"responses\": %u, \"latency_ns\": "
                          "{\"p50\": %" G_GINT64_FORMAT ", \"p90\": %"
                          G_GINT64_FORMAT ", \"p99\": %" G_GINT64_FORMAT
                          ", \"p99.9\": %" G_GINT64_FORMAT ", \"max\": %"
                          G_GINT64_FORMAT "}",
                          s->responses, s->p50, s->p90, s->p99, s->p999,
                          s->max);
  if (s->count)
    {
      g_string_append (out, ",\n      \"first_request\": ");
      json_request (out, rep->world, s->first);
    }
  g_string_append_c (out, '}');
}

static void
json_drop (GString *out, const SimLink *link, unsigned dir,
           const SimLinkCounters *c, guint nth)
{
  const SimPort *tx = sim_link_end (link, dir);

  g_string_append (out, nth ? ",\n    {\"link\": " : "\n    {\"link\": ");
  json_str (out, sim_link_name (link));
  g_string_append (out, ", \"from\": ");
  json_str (out, tx->node->name);
  g_string_append (out, ", \"to\": ");
  json_str (out, sim_port_peer (tx)->node->name);
  g_string_append_printf (out, ", \"queue_full_packets\": %" G_GUINT64_FORMAT
                          ", \"queue_full_bytes\": %" G_GUINT64_FORMAT "}",
                          c->drop_queue_packets, c->drop_queue_bytes);
}

/* When the last request ended (0 when none did). */
static SimTime
report_last_request_end (const ToolsReport *rep)
{
  SimTime last = 0;

  for (guint t = 0; t < rep->world->n_plans; t++)
    last = MAX (last, rep->summaries[t].last_end);
  return last;
}

void
tools_report_json (GString *out, const ToolsReport *rep)
{
  const CloudRunScenario *sc = rep->scenario;
  guint failed = cloudrun_expect_failures (rep->checks);

  g_string_append (out, "{\n  \"tool\": \"cloudrun-netsim\", \"version\": ");
  json_str (out, PACKAGE_VERSION);
  g_string_append (out, ",\n  \"scenario\": {\"file\": ");
  json_str (out, sc->path);
  g_string_append (out, ", \"title\": ");
  json_str (out, sc->title);
  g_string_append_printf (out, ", \"seed\": %" G_GUINT64_FORMAT
                          ", \"duration_ns\": %" G_GINT64_FORMAT "},\n"
                          "  \"events\": %" G_GUINT64_FORMAT ",\n"
                          "  \"ended_ns\": %" G_GINT64_FORMAT
                          ", \"last_request_end_ns\": %" G_GINT64_FORMAT ",\n"
                          "  \"services\": [", sc->seed, sc->duration,
                          rep->events, sim_world_now (rep->world->sim),
                          report_last_request_end (rep));
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunService *s = g_ptr_array_index (sc->services, i);
      g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
      json_str (out, s->base.name);
      g_string_append (out, ", \"urls\": [");
      json_str (out, s->url);
      g_string_append (out, ", ");
      json_str (out, s->number_url);
      g_string_append (out, "]}");
    }
  g_string_append (out, "],\n  \"traffic\": [\n");
  for (guint t = 0; t < rep->world->n_plans; t++)
    {
      json_traffic (out, rep, t);
      g_string_append (out, t + 1 < rep->world->n_plans ? ",\n" : "\n");
    }
  g_string_append (out, "  ],\n  \"link_drops\": [");
  report_each_drop (rep, json_drop, out);
  g_string_append (out, "],\n  \"expectations\": [");
  for (guint i = 0; i < rep->checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (rep->checks,
                                                   CloudRunCheckItem, i);
      g_string_append (out, i ? ",\n    {\"expect\": " : "\n    {\"expect\": ");
      json_str (out, c->expect);
      g_string_append (out, ", \"key\": ");
      json_str (out, c->key);
      g_string_append (out, ", \"expected\": ");
      json_str (out, c->expected);
      g_string_append (out, ", \"found\": ");
      json_str (out, c->found);
      g_string_append_printf (out, ", \"pass\": %s}", c->pass ? "true" : "false");
    }
  g_string_append_printf (out, "],\n  \"passed\": %u, \"failed\": %u\n}\n",
                          rep->checks->len - failed, failed);
}
