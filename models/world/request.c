/* Request records and their explanation steps (see models/world/request.h). */
#include "models/world/request.h"

#include "sim/link.h"
#include "sim/wire.h"
#include "sim/world.h"

static const char *const outcome_names[CLOUDRUN_N_VERDICTS] = {
  "pending", "delivered", "denied-by-ingress", "denied-by-iam",
  "denied-by-vpc-sc", "dropped",
  "dns-failure", "unavailable", "timeout",
};

const char *
cloudrun_verdict_name (CloudRunVerdict outcome)
{
  g_assert (outcome < CLOUDRUN_N_VERDICTS);
  return outcome_names[outcome];
}

const char *
cloudrun_class_name (CloudRunClass classified)
{
  switch (classified)
    {
    case CLOUDRUN_CLASS_INTERNAL: return "internal";
    case CLOUDRUN_CLASS_EXTERNAL: return "external";
    default: return "-";
    }
}

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
    .hop = CLOUDRUN_HOP_NONE, .state = "DROP",
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
cloudrun_ledger_init (CloudRunLedger *ledger, SimWorld *world, uint32_t n)
{
  sim_world_set_drop_explainer (world, ledger_explain_drop, ledger);
  ledger->world = world;
  ledger->n = n;
  ledger->requests = g_new0 (CloudRunRequest, n);
  for (uint32_t i = 0; i < n; i++)
    {
      ledger->requests[i].id = i + 1;
      ledger->requests[i].decided_at = CLOUDRUN_HOP_NONE;
    }
}

void
cloudrun_ledger_clear (CloudRunLedger *ledger)
{
  g_clear_pointer (&ledger->requests, g_free);
  ledger->n = 0;
}

CloudRunRequest *
cloudrun_ledger_get (CloudRunLedger *ledger, uint32_t id)
{
  return id >= 1 && id <= ledger->n ? &ledger->requests[id - 1] : NULL;
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

uint32_t
cloudrun_request_step (CloudRunLedger *ledger, uint32_t id,
                       const SimNode *node, const CloudRunStep *step)
{
  CloudRunRequest *r = cloudrun_ledger_get (ledger, id);
  SimExplainStep s = {
    .time = sim_world_now (ledger->world), .state = step->state,
    .cause = cloudrun_drop_cause_name (step->cause),
    .node = node->name, .rule = step->rule, .note = step->note,
    .src_before = step->src, .dst_before = step->dst,
    .src_after = step->src_after, .dst_after = step->dst_after,
  };

  if (!r)
    return 0;
  /* A retransmission meets the same decision: reuse the step. */
  for (uint32_t sid = r->chain.first; sid != 0;)
    {
      const SimExplainStep *old = sim_explain_get (sim_world_explain (ledger->world), sid);
      if (old->node == node->name && g_strcmp0 (old->state, step->state) == 0
          && g_strcmp0 (old->cause, s.cause) == 0)
        return sid;
      sid = old->next;
    }
  cloudrun_request_pass (r, step->hop);
  return sim_explain_append (sim_world_explain (ledger->world), &r->chain, &s);
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

  if (r && r->classified == CLOUDRUN_CLASS_NONE)
    r->classified = classified;
}
