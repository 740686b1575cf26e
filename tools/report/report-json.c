/* report.json, the report for programs (see tools/report/report.h): built as a
 * tree with json-glib's JsonBuilder and written by its JsonGenerator
 * (pretty, two-space indent), so escaping and number formatting are the
 * library's. Called by tools/session/run.c (the run's outputs) and the fuzz
 * driver. The shape is docs/report-schema.json, versioned by
 * schema_version (REPORT_SCHEMA_VERSION): an absent value is null, never
 * a 0 standing for "none"; numbers are numbers, except the seed (below).
 * Deterministic: members in a fixed order, nothing from the wall clock. */
#include "tools/report/report.h"

#include <json-glib/json-glib.h>

#include "sim/link.h"
#include "sim/wire.h"
#include "sim/world.h"

/* Bumped when a field is removed or changes meaning; new fields do not. */
#define REPORT_SCHEMA_VERSION 1

/* A member holding a string; NULL becomes null. Text from outside (the
 * scenario path) may not be UTF-8: invalid bytes become U+FFFD. */
/* value as a JSON string (invalid UTF-8 replaced by U+FFFD), or null. */
static void
add_value (JsonBuilder *b, const char *value)
{
  if (!value)
    json_builder_add_null_value (b);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (b, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      json_builder_add_string_value (b, valid);
    }
}

static void
add_str (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  add_value (b, value);
}

/* A member holding the strings of list (char *) as an array. */
static void
add_str_array (JsonBuilder *b, const char *name, const GPtrArray *list)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    add_value (b, list->pdata[i]);
  json_builder_end_array (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* A member holding value, or null when has is FALSE. */
static void
add_int_or_null (JsonBuilder *b, const char *name, gboolean has, gint64 value)
{
  json_builder_set_member_name (b, name);
  if (has)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* An address field of step s (bit: its SIM_EXPLAIN_V6_* bit), or null. */
static void
add_addr (JsonBuilder *b, const char *name, const SimExplainLog *log,
          const SimExplainStep *s, uint32_t addr, uint8_t bit)
{
  char ip[SIM_IPV6_STRLEN];

  add_str (b, name, addr ? sim_explain_addr_text (log, s, addr, bit, ip)
                         : NULL);
}

static const char *
hop_or_null (CloudRunHopKind hop)
{
  return (int) hop >= 0 ? cloudrun_hop_name (hop) : NULL;
}

static const char *
cause_or_null (CloudRunDropCause cause)
{
  return cause != CLOUDRUN_DROP_NONE ? cloudrun_drop_cause_name (cause)
                                     : NULL;
}

static void
json_steps (JsonBuilder *b, CloudRunWorld *world, const CloudRunRequest *r)
{
  SimExplainLog *log = sim_world_explain (world->sim);

  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      json_builder_begin_object (b);
      add_int (b, "t_ns", s->time - r->start);
      add_int_or_null (b, "frame", s->frame != 0, (gint64) s->frame);
      add_str (b, "state", s->state);
      add_str (b, "cause", s->cause);
      add_str (b, "node", s->node);
      add_str (b, "rule", s->rule);
      add_str (b, "note", s->note);
      add_addr (b, "src", log, s, s->src_before, SIM_EXPLAIN_V6_SRC_BEFORE);
      add_addr (b, "dst", log, s, s->dst_before, SIM_EXPLAIN_V6_DST_BEFORE);
      add_addr (b, "src_after", log, s, s->src_after,
                SIM_EXPLAIN_V6_SRC_AFTER);
      add_addr (b, "dst_after", log, s, s->dst_after,
                SIM_EXPLAIN_V6_DST_AFTER);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* A traffic's first request, or null when it never began. */
static void
json_first_request (JsonBuilder *b, CloudRunWorld *world, uint32_t id)
{
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger, id);

  json_builder_set_member_name (b, "first_request");
  if (r == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_str (b, "verdict", cloudrun_verdict_name (r->outcome));
  add_int_or_null (b, "status", r->status > 0, r->status);
  add_str (b, "classified", r->classified ? cloudrun_class_name (r->classified)
                                          : NULL);
  add_str (b, "drop_cause", cause_or_null (r->drop_cause));
  add_str (b, "decided_at", hop_or_null (r->decided_at));
  add_str (b, "decided_node", (int) r->decided_at >= 0 ? r->decided_node
                                                       : NULL);
  if (r->revision)
    add_str (b, "revision", r->revision);
  add_int (b, "start_ns", r->start);
  add_int_or_null (b, "end_ns", r->finished, r->end);
  add_int_or_null (b, "latency_ns", r->status > 0, r->end - r->start);
  json_builder_set_member_name (b, "via");
  json_builder_begin_array (b);
  for (uint8_t i = 0; i < r->n_via; i++)
    json_builder_add_string_value (b, cloudrun_hop_name (r->via[i]));
  json_builder_end_array (b);
  json_steps (b, world, r);
  json_builder_end_object (b);
}

/* What the destination's server took: the first request that reached it
 * ([expect] source-seen, host-seen); null when none did. */
static void
json_seen (JsonBuilder *b, const CloudRunTrafficSummary *s)
{
  char src[SIM_IPV6_STRLEN];

  json_builder_set_member_name (b, "seen");
  if (s->seen == 0)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_int (b, "requests", s->seen);
  add_str (b, "at", cloudrun_hop_name (s->seen_at));
  add_str (b, "source", s->seen_src6 ? sim_ipv6_to_string (s->seen_src6, src)
                                     : sim_ipv4_to_string (s->seen_src, src));
  add_str (b, "host", s->seen_host);
  json_builder_end_object (b);
}

/* "revisions": requests per revision the GFE sent them to, only for a
 * traffic that met a service with [revision] groups. */
static void
json_served (JsonBuilder *b, const CloudRunTrafficSummary *s)
{
  if (!s->served)
    return;
  json_builder_set_member_name (b, "revisions");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->served->len; i++)
    {
      const CloudRunServed *one = &g_array_index (s->served, CloudRunServed,
                                                  i);
      add_int (b, one->revision, one->count);
    }
  json_builder_end_object (b);
}

static void
json_traffic (JsonBuilder *b, const ToolsReport *rep, guint t)
{
  const CloudRunTrafficSummary *s = &rep->summaries[t];
  gboolean lat = s->responses > 0;

  json_builder_begin_object (b);
  add_str (b, "name", s->name);
  add_int (b, "requests", s->count);
  json_builder_set_member_name (b, "outcomes");
  json_builder_begin_object (b);
  for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
    add_int (b, cloudrun_verdict_name (v), s->verdicts[v]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "classified");
  json_builder_begin_object (b);
  add_int (b, "internal", s->internal);
  add_int (b, "external", s->external);
  json_builder_end_object (b);
  add_str (b, "main_outcome", s->count ? cloudrun_verdict_name (s->main_verdict)
                                       : NULL);
  add_str (b, "decided_at", hop_or_null (s->decided_at));
  add_str (b, "cause", cause_or_null (s->cause));
  add_str (b, "why_node", s->why_node);
  add_str (b, "why", s->why);
  add_int (b, "responses", s->responses);
  json_builder_set_member_name (b, "latency_ns");
  json_builder_begin_object (b);
  add_int_or_null (b, "p50", lat, s->p50);
  add_int_or_null (b, "p90", lat, s->p90);
  add_int_or_null (b, "p99", lat, s->p99);
  add_int_or_null (b, "p99.9", lat, s->p999);
  add_int_or_null (b, "max", lat, s->max);
  json_builder_end_object (b);
  add_int_or_null (b, "last_end_ns", s->last_end > 0, s->last_end);
  json_seen (b, s);
  json_served (b, s);
  if (s->count)
    json_first_request (b, rep->world, s->first);
  else
    add_str (b, "first_request", NULL);
  json_builder_end_object (b);
}

static void
json_link_drops (JsonBuilder *b, const ToolsReport *rep)
{
  SimWorld *sim = rep->world->sim;

  json_builder_set_member_name (b, "link_drops");
  json_builder_begin_array (b);
  for (guint i = 0; i < sim_world_n_links (sim); i++)
    for (unsigned dir = 0; dir < 2; dir++)
      {
        const SimLink *link = sim_world_link (sim, i);
        const SimLinkCounters *c = sim_link_counters (link, dir);
        const SimPort *tx = sim_link_end (link, dir);

        if (c->drop_queue_packets + c->drop_queue_bytes == 0)
          continue;
        json_builder_begin_object (b);
        add_str (b, "link", sim_link_name (link));
        add_str (b, "from", tx->node->name);
        add_str (b, "to", sim_port_peer (tx)->node->name);
        add_int (b, "queue_full_packets", (gint64) c->drop_queue_packets);
        add_int (b, "queue_full_bytes", (gint64) c->drop_queue_bytes);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
}

static void
json_expectations (JsonBuilder *b, const GArray *checks)
{
  json_builder_set_member_name (b, "expectations");
  json_builder_begin_array (b);
  for (guint i = 0; i < checks->len; i++)
    {
      const CloudRunCheckItem *c = &g_array_index (checks, CloudRunCheckItem,
                                                   i);
      json_builder_begin_object (b);
      add_str (b, "expect", c->expect);
      add_str (b, "key", c->key);
      add_str (b, "expected", c->expected);
      add_str (b, "found", c->found);
      if (c->is_latency)
        {
          add_int_or_null (b, "value_ns", c->of > 0, c->value);
          add_int (b, "responses", c->of);
        }
      else
        {
          add_int (b, "met", c->met);
          add_int (b, "of", c->of);
        }
      json_builder_set_member_name (b, "pass");
      json_builder_add_boolean_value (b, c->pass);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
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

static void
json_scenario (JsonBuilder *b, const CloudRunScenario *sc)
{
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, sc->seed);

  json_builder_set_member_name (b, "scenario");
  json_builder_begin_object (b);
  add_str (b, "file", sc->path);
  add_str (b, "title", sc->title);
  if (sc->description)
    add_str (b, "description", sc->description);
  /* A string: seeds go to 2^64-1, past the integers json-glib writes
   * (gint64) and those many readers keep exactly (doubles). */
  add_str (b, "seed", seed);
  add_int (b, "duration_ns", sc->duration);
  json_builder_end_object (b);
}

/* "provenance": how the report was made (tools/report/provenance.h). */
static void
json_provenance (JsonBuilder *b, const ToolsProvenance *p)
{
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, p->seed);

  json_builder_set_member_name (b, "provenance");
  json_builder_begin_object (b);
  add_str (b, "program", p->program);
  add_str (b, "scenario_file", p->file);
  add_str (b, "scenario_sha256", p->sha256);
  add_str (b, "seed", seed);
  add_str (b, "seed_source", p->seed_source);
  add_str_array (b, "overrides", p->overrides);
  json_builder_set_member_name (b, "assumptions");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->assumptions->len; i++)
    {
      const ToolsAssumption *a = &g_array_index (p->assumptions,
                                                 ToolsAssumption, i);

      json_builder_begin_object (b);
      add_str (b, "key", a->key);
      add_str (b, "value", a->value);
      add_str (b, "source", a->source);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_str_array (b, "warnings", p->warnings);
  json_builder_end_object (b);
}

static void
json_services (JsonBuilder *b, const CloudRunScenario *sc)
{
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (guint i = 0; i < sc->services->len; i++)
    {
      const CloudRunSpecService *s = g_ptr_array_index (sc->services, i);
      json_builder_begin_object (b);
      add_str (b, "name", s->base.name);
      json_builder_set_member_name (b, "urls");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, s->url);
      json_builder_add_string_value (b, s->number_url);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_bucket_array (JsonBuilder *b, const char *name, const int64_t *v,
                   guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, v[i]);
  json_builder_end_array (b);
}

/* Load over time (models/world/series.h): every gauge, in the order the
 * world made them; null when the world keeps none. */
static void
json_series (JsonBuilder *b, CloudRunSeries *series)
{
  json_builder_set_member_name (b, "series");
  if (!series)
    {
      json_builder_add_null_value (b);
      return;
    }
  cloudrun_series_finish (series);
  json_builder_begin_object (b);
  add_int (b, "period_ns", series->period);
  add_int (b, "buckets", series->n_buckets);
  json_builder_set_member_name (b, "gauges");
  json_builder_begin_array (b);
  for (guint i = 0; i < series->gauges->len; i++)
    {
      const CloudRunGauge *g = g_ptr_array_index (series->gauges, i);
      json_builder_begin_object (b);
      add_str (b, "kind", g->kind);
      add_str (b, "name", g->name);
      add_str (b, "metric", g->metric);
      add_int (b, "peak", g->peak);
      add_int_or_null (b, "peak_ns", g->peak > 0, g->peak_at);
      add_int (b, "last", g->value);
      json_bucket_array (b, "max", g->max, series->n_buckets);
      json_bucket_array (b, "end", g->end, series->n_buckets);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
tools_report_json (GString *out, const ToolsReport *rep)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  guint failed = cloudrun_expect_failures (rep->checks);
  SimTime last = report_last_request_end (rep);

  json_builder_begin_object (b);
  add_int (b, "schema_version", REPORT_SCHEMA_VERSION);
  add_str (b, "tool", "cloudrun-netsim");
  add_str (b, "version", PACKAGE_VERSION);
  json_scenario (b, rep->scenario);
  if (rep->provenance)
    json_provenance (b, rep->provenance);
  add_int (b, "events", (gint64) rep->events);
  add_int (b, "ended_ns", sim_world_now (rep->world->sim));
  add_int_or_null (b, "last_request_end_ns", last > 0, last);
  json_services (b, rep->scenario);
  json_builder_set_member_name (b, "traffic");
  json_builder_begin_array (b);
  for (guint t = 0; t < rep->world->n_plans; t++)
    json_traffic (b, rep, t);
  json_builder_end_array (b);
  json_link_drops (b, rep);
  json_expectations (b, rep->checks);
  add_int (b, "passed", rep->checks->len - failed);
  add_int (b, "failed", failed);
  json_series (b, rep->world->series);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_to_gstring (gen, out);
  g_string_append_c (out, '\n');
}
