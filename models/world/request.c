/* Request records and their explanation steps (see models/world/request.h). */
#include "models/world/request.h"

#include <string.h>

#include "sim/link.h"
#include "sim/wire.h"
#include "sim/world.h"

/* The world's drop explainer: a frame a full link queue dropped is a DROP
 * step of its request, at the node that could not send it. The request is
 * not decided here: TCP may recover the segment; if the request times out
 * instead, its steps say which packets were lost where. */
static void
ledger_explain_drop (void *user, SimPort *tx, const SimPacket *packet,
                     SimSendResult why)
{
  CloudRunLedger *ledger = user;
  const SimLink *link = tx->link;
  const SimLinkParams *params = sim_link_params (link);
  SimFrame f;
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_NONE, .state = CLOUDRUN_STATE_DROP,
    .cause = CLOUDRUN_DROP_LINK_QUEUE_FULL,
    .note = "the simulator's own cause: Connectivity Tests has none for it",
  };
  char limits[64];

  g_assert (why == SIM_SEND_DROP_QUEUE);
  if (cloudrun_ledger_get (ledger, packet->request_id) == NULL)
    return;
  if (params->queue_packets && params->queue_bytes)
    g_snprintf (limits, sizeof limits, "%u packets or %" G_GUINT64_FORMAT
                " bytes", params->queue_packets, params->queue_bytes);
  else if (params->queue_packets)
    g_snprintf (limits, sizeof limits, "%u packets", params->queue_packets);
  else
    g_snprintf (limits, sizeof limits, "%" G_GUINT64_FORMAT " bytes",
                params->queue_bytes);
  step.rule = sim_explain_internf (sim_world_explain (ledger->world),
                                   "the queue of %s/%s toward %s is full "
                                   "(it holds %s at most)", tx->node->name,
                                   tx->name, sim_port_peer (tx)->node->name,
                                   limits);
  if (sim_frame_parse (packet->data, packet->len, &f))
    {
      step.src = f.src;
      step.dst = f.dst;
    }
  cloudrun_request_step (ledger, packet->request_id, tx->node, &step);
}

void
cloudrun_ledger_init (CloudRunLedger *ledger, SimWorld *world)
{
  sim_world_set_drop_explainer (world, ledger_explain_drop, ledger);
  *ledger = (CloudRunLedger) {
    .world = world,
    .live = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .spare = g_ptr_array_new_with_free_func (g_free),
    .lingering = g_array_new (FALSE, FALSE, sizeof (uint32_t)),
    .keep = g_hash_table_new (NULL, NULL),
    .tallies = g_array_new (FALSE, TRUE, sizeof (CloudRunTally)),
    .watchers = g_array_new (FALSE, FALSE, sizeof (CloudRunWatcher)),
  };
}

void
cloudrun_ledger_clear (CloudRunLedger *ledger)
{
  if (!ledger->tallies)
    return;
  for (guint t = 0; t < ledger->tallies->len; t++)
    {
      CloudRunTally *tally = &g_array_index (ledger->tallies, CloudRunTally,
                                             t);
      sim_histogram_clear (&tally->latency);
      g_clear_pointer (&tally->served, g_array_unref);
      g_free (tally->sender_started);
    }
  g_hash_table_destroy (ledger->live);
  g_ptr_array_free (ledger->spare, TRUE);
  g_array_free (ledger->lingering, TRUE);
  g_hash_table_destroy (ledger->keep);
  g_array_free (ledger->tallies, TRUE);
  ledger->tallies = NULL;
  for (guint i = 0; i < ledger->watchers->len; i++)
    {
      CloudRunWatcher *w = &g_array_index (ledger->watchers, CloudRunWatcher,
                                           i);
      if (w->free_user)
        w->free_user (w->user);
    }
  g_array_free (ledger->watchers, TRUE);
}

uint32_t
cloudrun_ledger_add_traffic (CloudRunLedger *ledger, uint32_t count,
                             const char *name)
{
  CloudRunTally t = { .count = count, .first_id = 1, .senders = 1 };
  guint n = ledger->tallies->len;

  if (name != NULL)
    t.subject = sim_explain_internf (sim_world_explain (ledger->world),
                                     "traffic %s", name);

  if (n > 0)
    {
      const CloudRunTally *last = &g_array_index (ledger->tallies,
                                                  CloudRunTally, n - 1);
      t.first_id = last->first_id + last->count;
    }
  g_assert ((uint64_t) t.first_id + count <= UINT32_MAX);
  for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
    t.first[v].index = UINT32_MAX;
  t.first_seen.index = UINT32_MAX;
  t.first_seen.at = CLOUDRUN_HOP_NONE;
  sim_histogram_init (&t.latency);
  g_array_append_val (ledger->tallies, t);
  return t.first_id;
}

void
cloudrun_ledger_keep (CloudRunLedger *ledger, uint32_t id)
{
  g_hash_table_add (ledger->keep, GUINT_TO_POINTER (id));
}

void
cloudrun_ledger_watch (CloudRunLedger *ledger, CloudRunSettleFunc fn,
                       void *user, GDestroyNotify free_user)
{
  CloudRunWatcher w = { fn, user, free_user };

  g_array_append_val (ledger->watchers, w);
}

void *
cloudrun_ledger_watcher (const CloudRunLedger *ledger, CloudRunSettleFunc fn)
{
  for (guint i = 0; i < ledger->watchers->len; i++)
    if (g_array_index (ledger->watchers, CloudRunWatcher, i).fn == fn)
      return g_array_index (ledger->watchers, CloudRunWatcher, i).user;
  return NULL;
}

const CloudRunTally *
cloudrun_ledger_tally (const CloudRunLedger *ledger, uint32_t traffic)
{
  g_assert (traffic < ledger->tallies->len);
  return &g_array_index (ledger->tallies, CloudRunTally, traffic);
}

CloudRunRequest *
cloudrun_ledger_get (CloudRunLedger *ledger, uint32_t id)
{
  return id ? g_hash_table_lookup (ledger->live, GUINT_TO_POINTER (id)) : NULL;
}

/* Frees the records that finished CLOUDRUN_LEDGER_LINGER ago or more. */
static void
ledger_free_lingering (CloudRunLedger *ledger)
{
  SimTime now = sim_world_now (ledger->world);
  SimExplainLog *log = sim_world_explain (ledger->world);

  while (ledger->linger_head < ledger->lingering->len)
    {
      uint32_t id = g_array_index (ledger->lingering, uint32_t,
                                   ledger->linger_head);
      CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

      if (now - r->end < CLOUDRUN_LEDGER_LINGER)
        break;
      sim_explain_release (log, &r->chain);
      sim_explain_undefer (log, id);
      g_hash_table_steal (ledger->live, GUINT_TO_POINTER (id));
      g_ptr_array_add (ledger->spare, r);
      ledger->linger_head++;
    }
  /* Drop the consumed prefix once it is the larger part. */
  if (ledger->linger_head > 1024
      && ledger->linger_head * 2 > ledger->lingering->len)
    {
      g_array_remove_range (ledger->lingering, 0, ledger->linger_head);
      ledger->linger_head = 0;
    }
}

/* The traffic whose ids hold id (their first ids ascend). */
static uint32_t
ledger_traffic_of (const CloudRunLedger *ledger, uint32_t id)
{
  guint lo = 0, hi = ledger->tallies->len;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      if (cloudrun_ledger_tally (ledger, mid)->first_id <= id)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

void
cloudrun_ledger_split_traffic (CloudRunLedger *ledger, uint32_t senders)
{
  CloudRunTally *t;

  g_assert (ledger->tallies->len > 0 && senders > 0);
  t = &g_array_index (ledger->tallies, CloudRunTally,
                      ledger->tallies->len - 1);
  g_assert (t->count % senders == 0 && t->started == 0);
  if (senders == 1)
    return;
  t->senders = senders;
  t->sender_started = g_new0 (uint32_t, senders);
}

/* Counts index of t as begun. */
static void
tally_begin (CloudRunTally *t, uint32_t index)
{
  uint32_t per, *s;

  if (t->senders <= 1)
    {
      t->started = MAX (t->started, index + 1);
      return;
    }
  per = t->count / t->senders;
  s = &t->sender_started[index / per];
  if (index % per + 1 > *s)
    {
      t->started += index % per + 1 - *s;
      *s = index % per + 1;
    }
}

/* The lowest index of t no request has begun at (count when all have). */
static uint32_t
tally_first_unbegun (const CloudRunTally *t)
{
  uint32_t per, first = t->count;

  if (t->senders <= 1)
    return t->started;
  per = t->count / t->senders;
  for (uint32_t k = 0; k < t->senders; k++)
    if (t->sender_started[k] < per)
      first = MIN (first, k * per + t->sender_started[k]);
  return first;
}

CloudRunRequest *
cloudrun_ledger_begin (CloudRunLedger *ledger, uint32_t id)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);
  uint32_t traffic, index;
  CloudRunTally *t;

  g_assert (!ledger->closed && ledger->tallies->len > 0);
  if (r != NULL)
    {
      r->start = sim_world_now (ledger->world);
      return r;
    }
  traffic = ledger_traffic_of (ledger, id);
  t = &g_array_index (ledger->tallies, CloudRunTally, traffic);
  g_assert (id >= t->first_id && id - t->first_id < t->count);
  index = id - t->first_id;
  ledger_free_lingering (ledger);
  r = ledger->spare->len > 0
      ? g_ptr_array_steal_index_fast (ledger->spare, ledger->spare->len - 1)
      : g_new (CloudRunRequest, 1);
  *r = (CloudRunRequest) {
    .id = id, .traffic = traffic, .index = index,
    .start = sim_world_now (ledger->world), .decided_at = CLOUDRUN_HOP_NONE,
    .seen_at = CLOUDRUN_HOP_NONE,
  };
  g_hash_table_insert (ledger->live, GUINT_TO_POINTER (id), r);
  tally_begin (t, index);
  if (++ledger->in_flight > ledger->peak_in_flight)
    ledger->peak_in_flight = ledger->in_flight;
  return r;
}

uint32_t
cloudrun_request_deciding_step (SimExplainLog *log, const CloudRunRequest *r)
{
  uint32_t found = 0;

  if ((int) r->decided_at < 0 || !r->decided_node)
    return 0;
  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const char *node = sim_explain_get (log, id)->node;
      if (node && strcmp (node, r->decided_node) == 0)
        found = id;
    }
  return found;
}

/* Whether a note's clause only says what happens next (the instance a
 * request is handed to) or which status a refusal answers: words the
 * verdict table already has, left out of a why. */
static gboolean
clause_is_aside (const char *c)
{
  return g_str_has_prefix (c, "to instance ") || g_str_has_prefix (c, "status ");
}

/* A step's rule and its note's clauses but the asides: "firewall x
 * (egress, priority 1000); denied", "...; classified external: it arrived
 * from the internet: ...". */
static void
append_step (GString *out, const SimExplainStep *step)
{
  const char *c = step->note;

  g_string_append (out, step->rule);
  while (c && *c)
    {
      const char *end = strstr (c, "; ");
      size_t len = end ? (size_t) (end - c) : strlen (c);

      if (!clause_is_aside (c))
        g_string_append_printf (out, "; %.*s", (int) len, c);
      c = end ? end + 2 : NULL;
    }
}

const char *
cloudrun_request_why (SimExplainLog *log, const CloudRunRequest *r,
                      const char **node)
{
  uint32_t id = 0, elsewhere = 0;
  const SimExplainStep *step;
  g_autoptr (GString) why = g_string_new (NULL);

  if (r->outcome == CLOUDRUN_VERDICT_DELIVERED && r->classified)
    for (uint32_t s = r->chain.first; s; s = sim_explain_get (log, s)->next)
      if (sim_explain_get (log, s)->tag && sim_explain_get (log, s)->rule)
        id = s;
  if (!id)
    id = cloudrun_request_deciding_step (log, r);
  step = id ? sim_explain_get (log, id) : NULL;
  if (!step || !step->rule)
    return NULL;
  *node = step->node;
  /* A failure is named as explain names it: DROP FIREWALL_RULE: ... */
  if (r->outcome != CLOUDRUN_VERDICT_DELIVERED)
    g_string_append_printf (why, "%s%s%s: ", step->state,
                            step->cause ? " " : "",
                            step->cause ? step->cause : "");
  append_step (why, step);
  /* A caller that gave up: where the request was last seen. */
  if (r->outcome == CLOUDRUN_VERDICT_TIMEOUT)
    for (uint32_t s = r->chain.first; s; s = sim_explain_get (log, s)->next)
      if (sim_explain_get (log, s)->node != step->node
          && sim_explain_get (log, s)->rule)
        elsewhere = s;
  if (elsewhere)
    {
      const SimExplainStep *last = sim_explain_get (log, elsewhere);

      g_string_append_printf (why, "; last seen at %s, %s: ", last->node,
                              last->state);
      append_step (why, last);
    }
  return sim_explain_intern (log, why->str);
}

/* Counts times requests sent to revision (few per traffic: a walk). */
static void
tally_served (CloudRunTally *t, const char *revision, uint32_t times)
{
  CloudRunServed one = { revision, times };

  if (!t->served)
    t->served = g_array_new (FALSE, FALSE, sizeof (CloudRunServed));
  for (guint i = 0; i < t->served->len; i++)
    if (g_array_index (t->served, CloudRunServed, i).revision == revision)
      {
        g_array_index (t->served, CloudRunServed, i).count += times;
        return;
      }
  g_array_append_val (t->served, one);
}

/* Adds r (times requests like it) to its traffic's tally. */
static void
ledger_settle (CloudRunLedger *ledger, const CloudRunRequest *r,
               uint32_t times)
{
  CloudRunTally *t = &g_array_index (ledger->tallies, CloudRunTally,
                                     r->traffic);

  t->verdicts[r->outcome] += times;
  g_assert (r->drop_cause < CLOUDRUN_N_DROP_CAUSES);
  t->causes[r->outcome][r->drop_cause] += times;
  t->internal += r->classified == CLOUDRUN_CLASS_INTERNAL ? times : 0;
  t->external += r->classified == CLOUDRUN_CLASS_EXTERNAL ? times : 0;
  if (r->index < t->first[r->outcome].index)
    {
      t->first[r->outcome].index = r->index;
      t->first[r->outcome].decided_at = r->decided_at;
      t->first[r->outcome].cause = r->drop_cause;
      t->first[r->outcome].node = NULL;
      t->first[r->outcome].why = cloudrun_request_why (
          sim_world_explain (ledger->world), r, &t->first[r->outcome].node);
    }
  if (r->seen_at != CLOUDRUN_HOP_NONE)
    {
      t->seen += times;
      if (r->index < t->first_seen.index)
        {
          t->first_seen.index = r->index;
          t->first_seen.at = r->seen_at;
          t->first_seen.src = r->seen_src;
          t->first_seen.src6 = r->seen_src6;
          t->first_seen.host = r->seen_host;
        }
    }
  if (r->revision)
    tally_served (t, r->revision, times);
  /* A response; for tcp://, the connection the destination took. */
  if (r->status > 0
      || (r->finished && r->outcome == CLOUDRUN_VERDICT_DELIVERED))
    {
      t->responses += times;
      sim_histogram_add (&t->latency, r->end - r->start, times);
    }
  if (r->finished && r->end > t->last_end)
    t->last_end = r->end;
  for (guint i = 0; i < ledger->watchers->len; i++)
    {
      const CloudRunWatcher *w = &g_array_index (ledger->watchers,
                                                 CloudRunWatcher, i);
      w->fn (w->user, r, times);
    }
}

void
cloudrun_ledger_finish (CloudRunLedger *ledger, CloudRunRequest *r)
{
  g_assert (!r->finished && !ledger->closed);
  r->finished = true;
  ledger->in_flight--;
  ledger_settle (ledger, r, 1);
  if (r->index != 0
      && !g_hash_table_contains (ledger->keep, GUINT_TO_POINTER (r->id)))
    g_array_append_val (ledger->lingering, r->id);
}

static int
id_cmp (const void *a, const void *b)
{
  uint32_t x = GPOINTER_TO_UINT (*(const gpointer *) a);
  uint32_t y = GPOINTER_TO_UINT (*(const gpointer *) b);

  return (x > y) - (x < y);
}

void
cloudrun_ledger_close (CloudRunLedger *ledger)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;

  if (ledger->closed)
    return;
  ledger->closed = true;
  /* In id order: the walk's own order never shows. */
  g_hash_table_iter_init (&it, ledger->live);
  while (g_hash_table_iter_next (&it, &key, &value))
    if (!((CloudRunRequest *) value)->finished)
      g_ptr_array_add (ids, key);
  g_ptr_array_sort (ids, id_cmp);
  for (guint i = 0; i < ids->len; i++)
    ledger_settle (ledger, cloudrun_ledger_get (ledger, GPOINTER_TO_UINT (
                                                  ids->pdata[i])), 1);
  for (guint t = 0; t < ledger->tallies->len; t++)
    {
      const CloudRunTally *tally = cloudrun_ledger_tally (ledger, t);
      uint32_t first = tally_first_unbegun (tally);
      CloudRunRequest blank = {
        .id = tally->first_id + first, .traffic = t,
        .index = first, .decided_at = CLOUDRUN_HOP_NONE,
        .seen_at = CLOUDRUN_HOP_NONE,
      };
      if (tally->started < tally->count)
        ledger_settle (ledger, &blank, tally->count - tally->started);
    }
}

static void
cloudrun_request_pass (CloudRunRequest *r, CloudRunHopKind hop)
{
  if ((int) hop < 0)
    return;
  if (r->n_via > 0 && r->via[r->n_via - 1] == hop)
    return;
  if (r->n_via < CLOUDRUN_MAX_VIA)
    r->via[r->n_via++] = hop;
}

void
cloudrun_request_pass_path (CloudRunLedger *ledger, uint32_t id,
                            const uint8_t *via, uint8_t n_via)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

  for (uint8_t i = 0; r && i < n_via; i++)
    cloudrun_request_pass (r, (CloudRunHopKind) via[i]);
}

void
cloudrun_step_frame_addresses (CloudRunStep *step, const SimFrame *f,
                               SimIp6 six[2])
{
  step->src = f->src;
  step->dst = f->dst;
  if (!f->ip6)
    return;
  six[0] = sim_frame_src6 (f);
  six[1] = sim_frame_dst6 (f);
  step->src6 = &six[0];
  step->dst6 = &six[1];
}

/* The step's IPv6 addresses, interned, in place of their IPv4 fields. */
static void
step_addresses6 (SimExplainLog *log, const CloudRunStep *step,
                 SimExplainStep *s)
{
  const struct {
    const SimIp6 *addr;
    uint32_t *field;
    uint8_t bit;
  } six[] = {
    { step->src6, &s->src_before, SIM_EXPLAIN_V6_SRC_BEFORE },
    { step->dst6, &s->dst_before, SIM_EXPLAIN_V6_DST_BEFORE },
    { step->src6_after, &s->src_after, SIM_EXPLAIN_V6_SRC_AFTER },
    { step->dst6_after, &s->dst_after, SIM_EXPLAIN_V6_DST_AFTER },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (six); i++)
    if (six[i].addr)
      {
        *six[i].field = sim_explain_intern6 (log, six[i].addr);
        s->v6 |= six[i].bit;
      }
}

/* Whether two steps may be one decision by their destinations: either
 * names none, or both name the same IPv6 address, or both IPv4 ones. A
 * dual-stack caller's attempts over the two families, or to two IPv6
 * addresses, are told apart; two IPv4 destinations stay one step, as
 * every IPv4 explanation has always been written (a caller's second A
 * address is the one case that folds). */
static bool
step_same_destination (const SimExplainStep *a, const SimExplainStep *b)
{
  bool a6 = a->v6 & SIM_EXPLAIN_V6_DST_BEFORE;
  bool b6 = b->v6 & SIM_EXPLAIN_V6_DST_BEFORE;

  if (a->dst_before == 0 || b->dst_before == 0)
    return true;
  if (a6 || b6)
    return a6 == b6 && a->dst_before == b->dst_before;
  return true;
}

uint32_t
cloudrun_request_step (CloudRunLedger *ledger, uint32_t id,
                       const SimNode *node, const CloudRunStep *step)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);
  SimExplainStep s = {
    .time = sim_world_now (ledger->world),
    .state = cloudrun_state_name (step->state), .code = (int) step->state,
    .cause = cloudrun_drop_cause_name (step->cause),
    .node = node->name, .tag = step->tag, .aside = step->aside,
    .outbound = step->outbound,
    .rule = step->rule,
    .note = step->note, .src_before = step->src, .dst_before = step->dst,
    .src_after = step->src_after, .dst_after = step->dst_after,
  };

  SimExplainLog *log;
  uint32_t sid;

  if (!r)
    return 0;
  log = sim_world_explain (ledger->world);
  step_addresses6 (log, step, &s);
  s.subject = cloudrun_ledger_tally (ledger, r->traffic)->subject;
  s.subject_request = r->index + 1;
  /* A retransmission meets the same decision: reuse the step. A
   * dual-stack caller's A and AAAA answers are two decisions (their
   * interned texts differ), and so are its attempts to two addresses
   * (the destinations differ); a retransmitted query's answer, or a
   * segment sent again, is not. */
  for (sid = r->chain.first; sid != 0;)
    {
      const SimExplainStep *old = sim_explain_get (sim_world_explain (ledger->world), sid);
      if (old->node == node->name && old->code == (int) step->state
          && g_strcmp0 (old->cause, s.cause) == 0
          && (step->state != CLOUDRUN_STATE_DNS_ANSWER || old->rule == s.rule)
          && step_same_destination (old, &s))
        return sid;
      sid = old->next;
    }
  if (!step->aside)
    cloudrun_request_pass (r, step->hop);
  sid = sim_explain_append (log, &r->chain, &s);
  /* A decision no frame brought (a timer's: a 429 after the pending
   * queue, the caller giving up) is shown by the request's next frame,
   * the answer or the reset it sends. */
  if (!sim_explain_watching (log)
      && (step->state == CLOUDRUN_STATE_ABORT
          || step->state == CLOUDRUN_STATE_DROP || step->cause))
    sim_explain_defer (log, id, sid);
  return sid;
}

void
cloudrun_request_decide (CloudRunLedger *ledger, uint32_t id,
                         CloudRunVerdict outcome, CloudRunHopKind hop,
                         const SimNode *node, CloudRunDropCause drop_cause)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

  if (!r || r->finished)
    return;
  /* The last hop to decide is what finally happened: a SYN dropped once
   * and delivered on its retransmission was delivered. */
  r->outcome = outcome;
  r->decided_at = hop;
  r->decided_node = node ? node->name : NULL;
  r->drop_cause = drop_cause;
}

void
cloudrun_request_classify (CloudRunLedger *ledger, uint32_t id,
                           CloudRunClass classified)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

  if (r && !r->finished && r->classified == CLOUDRUN_CLASS_NONE)
    r->classified = classified;
}

void
cloudrun_request_served_by (CloudRunLedger *ledger, uint32_t id,
                            const char *revision)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

  if (r && !r->finished)
    r->revision = revision;
}

void
cloudrun_request_seen (CloudRunLedger *ledger, uint32_t id,
                       CloudRunHopKind hop, uint32_t src,
                       const SimIp6 *src6, const char *host)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);

  if (!r || r->finished || r->seen_at != CLOUDRUN_HOP_NONE)
    return;
  r->seen_at = hop;
  r->seen_src = src6 ? 0 : src;
  if (src6)
    {
      SimExplainLog *log = sim_world_explain (ledger->world);
      r->seen_src6 = sim_explain_addr6 (log, sim_explain_intern6 (log, src6));
    }
  r->seen_host = sim_explain_intern (sim_world_explain (ledger->world), host);
}
