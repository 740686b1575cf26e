/* World-level test helpers (see tests/models/world/world-fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "sim/link.h"
#include "sim/tap.h"
#include "sim/wire.h"
#include "tests/models/world/world-fixture.h"

struct WorldFixtureSniff {
  SimTap tap;                   /* first: the world calls it */
  SimNode *node;                /* what it listens to */
  GByteArray *bytes;            /* TCP payloads that arrived there */
};

WorldFixture *
world_fixture_load (const char *ini, const char *const *overrides)
{
  g_autoptr (GError) error = NULL;
  WorldFixture *wf = g_new0 (WorldFixture, 1);

  CloudRunEdits edits = { overrides, NULL, FALSE, 0 };

  wf->session = cloudrun_session_load ("model-test.ini", ini, strlen (ini),
                                       &edits, &error);
  if (!wf->session)
    fail_msg ("scenario does not load or build: %s", error->message);
  wf->scenario = wf->session->run.scenario;
  wf->world = wf->session->run.world;
  /* The tests read any request after the run: keep them all. */
  for (guint t = 0; t < wf->world->n_plans; t++)
    for (uint32_t k = 0; k < wf->world->plans[t].count; k++)
      cloudrun_ledger_keep (&wf->world->ledger,
                            wf->world->plans[t].first_request + k);
  return wf;
}

void
world_fixture_run (WorldFixture *wf)
{
  g_autoptr (GError) error = NULL;

  assert_false (wf->ran);
  if (!cloudrun_session_start (wf->session, NULL, NULL, NULL, &error))
    fail_msg ("the run does not start: %s", error->message);
  while (cloudrun_session_advance (wf->session, G_MAXUINT64))
    ;
  if (!cloudrun_session_finish (wf->session, TRUE, NULL, &error))
    fail_msg ("the run does not finish: %s", error->message);
  wf->ran = true;
}

WorldFixture *
world_fixture_new (const char *ini, const char *const *overrides)
{
  WorldFixture *wf = world_fixture_load (ini, overrides);

  world_fixture_run (wf);
  return wf;
}

void
world_fixture_free (WorldFixture *wf)
{
  if (!wf)
    return;
  if (wf->sniff)
    {
      sim_world_set_tap (wf->world->sim, NULL);
      g_byte_array_free (wf->sniff->bytes, TRUE);
      g_free (wf->sniff);
    }
  cloudrun_session_free (wf->session);
  g_free (wf);
}

/* ---- The ledger --------------------------------------------------- */

static const CloudRunTrafficPlan *
world_fixture_plan (WorldFixture *wf, const char *traffic)
{
  for (guint i = 0; i < wf->world->n_plans; i++)
    if (strcmp (wf->world->plans[i].name, traffic) == 0)
      return &wf->world->plans[i];
  fail_msg ("no traffic named '%s'", traffic);
  return NULL;
}

guint
world_fixture_count (WorldFixture *wf, const char *traffic)
{
  return world_fixture_plan (wf, traffic)->count;
}

CloudRunRequest *
world_fixture_request (WorldFixture *wf, const char *traffic, guint index)
{
  const CloudRunTrafficPlan *p = world_fixture_plan (wf, traffic);
  CloudRunRequest *r;

  if (index >= p->count)
    fail_msg ("traffic '%s' has %u requests, not %u", traffic, p->count,
              index + 1);
  r = cloudrun_ledger_get (&wf->world->ledger, p->first_request + index);
  if (r == NULL && !wf->ran)    /* written by hand, as if it ran */
    r = cloudrun_ledger_begin (&wf->world->ledger, p->first_request + index);
  if (r == NULL)
    fail_msg ("request %u of traffic '%s' never began", index + 1, traffic);
  return r;
}

guint
world_fixture_count_verdict (WorldFixture *wf, const char *traffic,
                             CloudRunVerdict verdict)
{
  guint n = 0, count = world_fixture_count (wf, traffic);

  for (guint i = 0; i < count; i++)
    n += world_fixture_request (wf, traffic, i)->outcome == verdict;
  return n;
}

const char *
world_fixture_verdict (WorldFixture *wf, const char *traffic, guint index)
{
  return cloudrun_verdict_name (world_fixture_request (wf, traffic,
                                                       index)->outcome);
}

const char *
world_fixture_class (WorldFixture *wf, const char *traffic, guint index)
{
  return cloudrun_class_name (world_fixture_request (wf, traffic,
                                                     index)->classified);
}

const char *
world_fixture_cause (WorldFixture *wf, const char *traffic, guint index)
{
  const char *cause = cloudrun_drop_cause_name (
    world_fixture_request (wf, traffic, index)->drop_cause);

  return cause ? cause : "none";
}

const char *
world_fixture_decided_at (WorldFixture *wf, const char *traffic, guint index)
{
  return cloudrun_hop_name (world_fixture_request (wf, traffic,
                                                   index)->decided_at);
}

int
world_fixture_status (WorldFixture *wf, const char *traffic, guint index)
{
  return world_fixture_request (wf, traffic, index)->status;
}

char *
world_fixture_via (WorldFixture *wf, const char *traffic, guint index)
{
  const CloudRunRequest *r = world_fixture_request (wf, traffic, index);
  GString *s = g_string_new (NULL);

  for (uint8_t i = 0; i < r->n_via; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "",
                            cloudrun_hop_name ((CloudRunHopKind) r->via[i]));
  return g_string_free (s, FALSE);
}

bool
world_fixture_passed (const CloudRunRequest *r, CloudRunHopKind hop)
{
  for (uint8_t i = 0; i < r->n_via; i++)
    if (r->via[i] == (uint8_t) hop)
      return true;
  return false;
}

SimTime
world_fixture_latency (const CloudRunRequest *r)
{
  assert_true (r->finished);
  return r->end - r->start;
}

/* ---- Steps -------------------------------------------------------- */

static bool
world_fixture_step_is (const SimExplainStep *s, const char *state,
                       const char *node)
{
  return g_strcmp0 (s->state, state) == 0
         && (node == NULL || g_strcmp0 (s->node, node) == 0);
}

const SimExplainStep *
world_fixture_step (WorldFixture *wf, const CloudRunRequest *r,
                    const char *state, const char *node)
{
  SimExplainLog *log = sim_world_explain (wf->world->sim);

  for (uint32_t id = r->chain.first; id != 0;)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      if (world_fixture_step_is (s, state, node))
        return s;
      id = s->next;
    }
  return NULL;
}

guint
world_fixture_count_steps (WorldFixture *wf, const CloudRunRequest *r,
                           const char *state, const char *node)
{
  SimExplainLog *log = sim_world_explain (wf->world->sim);
  guint n = 0;

  for (uint32_t id = r->chain.first; id != 0;)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      n += world_fixture_step_is (s, state, node);
      id = s->next;
    }
  return n;
}

char *
world_fixture_steps_text (WorldFixture *wf, const CloudRunRequest *r)
{
  SimExplainLog *log = sim_world_explain (wf->world->sim);
  GString *out = g_string_new (NULL);

  for (uint32_t id = r->chain.first; id != 0;)
    {
      sim_explain_format (log, id, out);
      g_string_append_c (out, '\n');
      id = sim_explain_get (log, id)->next;
    }
  g_string_append_printf (out, "verdict %s, status %d, classified %s, "
                          "cause %s, decided at %s\n",
                          cloudrun_verdict_name (r->outcome), r->status,
                          cloudrun_class_name (r->classified),
                          r->drop_cause ? cloudrun_drop_cause_name (r->drop_cause)
                                        : "none",
                          cloudrun_hop_name (r->decided_at));
  return g_string_free (out, FALSE);
}

/* ---- Nodes and links ---------------------------------------------- */

SimNode *
world_fixture_node (WorldFixture *wf, const char *name)
{
  SimNode *node = sim_world_find_node (wf->world->sim, name);

  if (!node)
    fail_msg ("no node named '%s'", name);
  return node;
}

SimLink *
world_fixture_link (WorldFixture *wf, const char *a, const char *b)
{
  SimNode *na = world_fixture_node (wf, a), *nb = world_fixture_node (wf, b);

  for (guint i = 0; i < sim_world_n_links (wf->world->sim); i++)
    {
      SimLink *l = sim_world_link (wf->world->sim, i);
      SimNode *n0 = sim_link_end (l, 0)->node, *n1 = sim_link_end (l, 1)->node;

      if ((n0 == na && n1 == nb) || (n0 == nb && n1 == na))
        return l;
    }
  return NULL;
}

uint64_t
world_fixture_link_packets (const SimLink *link)
{
  return sim_link_counters (link, 0)->rx_packets
         + sim_link_counters (link, 1)->rx_packets;
}

uint64_t
world_fixture_packets (WorldFixture *wf, const char *a, const char *b)
{
  SimLink *l = world_fixture_link (wf, a, b);

  if (!l)
    fail_msg ("nodes '%s' and '%s' are not linked", a, b);
  /* end[0] transmits on dir 0. */
  return sim_link_counters (
           l, sim_link_end (l, 0)->node == world_fixture_node (wf, a) ? 0 : 1)
    ->rx_packets;
}

CloudRunServiceNode *
world_fixture_service (WorldFixture *wf, const char *name)
{
  for (guint i = 0; i < wf->world->services->len; i++)
    {
      CloudRunServiceNode *s = g_ptr_array_index (wf->world->services, i);
      if (strcmp (s->name, name) == 0)
        return s;
    }
  fail_msg ("no service named '%s'", name);
  return NULL;
}

uint64_t
world_fixture_served (WorldFixture *wf, const char *service)
{
  CloudRunServiceNode *s = world_fixture_service (wf, service);
  uint64_t n = 0;

  for (guint i = 0; i < s->instances->len; i++)
    n += ((CloudRunInstance *) g_ptr_array_index (s->instances,
                                                  i))->http.requests;
  return n;
}

/* ---- Listening to a node ------------------------------------------ */

static void
sniff_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  WorldFixtureSniff *sniff = (WorldFixtureSniff *) tap;
  SimFrame f;

  (void) t;
  if (rx->node == sniff->node
      && sim_frame_parse (packet->data, packet->len, &f)
      && f.proto == 6 && f.payload_len > 0)
    g_byte_array_append (sniff->bytes, f.payload, f.payload_len);
}

static void
sniff_handled (SimTap *tap, SimPort *rx, SimTime t, const uint32_t *steps,
               uint32_t n_steps)
{
  (void) tap; (void) rx; (void) t; (void) steps; (void) n_steps;
}

static const SimTapClass sniff_class = {
  .arrived = sniff_arrived,
  .handled = sniff_handled,
};

GByteArray *
world_fixture_sniff (WorldFixture *wf, const char *node)
{
  assert_false (wf->ran);
  assert_null (wf->sniff);
  wf->sniff = g_new0 (WorldFixtureSniff, 1);
  wf->sniff->tap.klass = &sniff_class;
  wf->sniff->node = world_fixture_node (wf, node);
  wf->sniff->bytes = g_byte_array_new ();
  sim_world_set_tap (wf->world->sim, &wf->sniff->tap);
  return wf->sniff->bytes;
}

char *
world_fixture_line (const GByteArray *bytes, const char *prefix)
{
  size_t n = strlen (prefix);

  for (guint i = 0; i + n <= bytes->len; i++)
    if ((i == 0 || bytes->data[i - 1] == '\n')
        && memcmp (bytes->data + i, prefix, n) == 0)
      {
        guint end = i;
        while (end < bytes->len && bytes->data[end] != '\r')
          end++;
        return g_strndup ((const char *) bytes->data + i, end - i);
      }
  return NULL;
}
