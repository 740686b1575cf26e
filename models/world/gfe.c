/* The Google Front End (see models/world/gfe.h). */
#include "models/world/gfe.h"

#include "sim/units.h"

#include <string.h>

#include "models/world/google.h"
#include "models/world/iam.h"
#include "models/world/iap.h"
#include "models/world/id-token.h"
#include "models/world/region-latency.h"
#include "sim/wire.h"

/* A sender on Google's fabric as the GFE met it: the identity its Geneve
 * envelope carried, the port and outer address it came from. A packet
 * from it arrives tagged with its index + 1 (SimPacket.flow_tag); the
 * TCP connection it opens keeps the tag and puts it on every reply, so
 * identity travels with the connection and nothing is looked up per
 * connection. */
typedef struct {
  CloudRunFabricIdentity identity;
  SimPort *port;                /* the fabric port it came in on */
  uint32_t outer_peer;          /* outer source of its envelope */
} CloudRunGfeFlow;


/* A session's IPv6 address field for a step, NULL over IPv4 (the step
 * then shows the IPv4 one). */
#define GFE_ADDR6(s, field) ((s)->v6 ? &(s)->field : NULL)

static const CloudRunGfeNetwork *
gfe_network (const CloudRunGfe *gfe, uint32_t vni)
{
  for (guint i = 0; i < gfe->networks->len; i++)
    {
      const CloudRunGfeNetwork *n = &g_array_index (gfe->networks,
                                                    CloudRunGfeNetwork, i);
      if (n->vni == vni)
        return n;
    }
  return NULL;
}

static bool
gfe_shares_with (const CloudRunGfeNetwork *net, uint64_t project)
{
  for (guint i = 0; net->shared_with && i < net->shared_with->len; i++)
    if (g_array_index (net->shared_with, uint64_t, i) == project)
      return true;
  return false;
}

/* The sender a tag names, or NULL (tag 0: from the internet). */
static const CloudRunGfeFlow *
gfe_tagged (const CloudRunGfe *gfe, uint32_t tag)
{
  if (tag == 0 || tag > gfe->flows->len)
    return NULL;
  return &g_array_index (gfe->flows, CloudRunGfeFlow, tag - 1);
}

/* The envelope the request's SYN carried, or NULL (from the internet). */
static const CloudRunGfeFlow *
gfe_flow (CloudRunGfe *gfe, const CloudRunProxySession *s)
{
  return s->client ? gfe_tagged (gfe, sim_tcp_conn_flow_tag (s->client))
                   : NULL;
}

/* The tag of a fabric sender, remembered on first meeting. */
static uint32_t
gfe_tag (CloudRunGfe *gfe, const CloudRunFabricIdentity *id, SimPort *port,
         uint32_t outer_peer)
{
  CloudRunGfeFlow flow = { *id, port, outer_peer };

  for (guint i = 0; i < gfe->flows->len; i++)
    {
      const CloudRunGfeFlow *f = &g_array_index (gfe->flows,
                                                 CloudRunGfeFlow, i);
      if (f->port == port && f->outer_peer == outer_peer
          && f->identity.kind == id->kind && f->identity.vni == id->vni
          && f->identity.project_number == id->project_number)
        return i + 1;
    }
  g_array_append_val (gfe->flows, flow);
  return gfe->flows->len;
}

/* The ID token's email, when the request carries a readable one. */
static bool
gfe_token_email (const CloudRunProxySession *s, CloudRunIdTokenClaims *claims)
{
  const char *token, *why, *field;
  size_t token_len;

  return cloudrun_id_token_find_iam (s->rx->data, (size_t) s->header_len,
                                     &field, &token, &token_len)
           == CLOUDRUN_AUTH_BEARER
         && cloudrun_id_token_read (token, token_len, claims, &why);
}

/* VPC Service Controls for a request to svc (models/world/perimeter.h),
 * from what its packets carry: the caller's network and project from the
 * Geneve envelope, the source address, the ID token. *why says where it
 * came from and what the perimeter made of it. */
static CloudRunPerimeterVerdict
gfe_perimeter (CloudRunGfe *gfe, const CloudRunProxySession *s,
               const CloudRunServiceNode *svc, const char **why)
{
  SimExplainLog *log = sim_world_explain (gfe->base.world->sim);
  const CloudRunGfeFlow *flow = gfe_flow (gfe, s);
  const CloudRunGfeNetwork *net = NULL;
  CloudRunPerimeterCaller caller = { .source = s->client_addr };
  CloudRunIdTokenClaims claims;
  CloudRunPerimeterVerdict v;
  const char *origin, *reason;

  *why = NULL;
  if (!svc->perimeter)
    return CLOUDRUN_PERIMETER_NOT_ENFORCED;
  /* The token matters only to say that an access level naming its
   * identity admits nothing here. */
  if (svc->perimeter->identities->len > 0 && gfe_token_email (s, &claims))
    caller.token_email = claims.email;
  if (!flow)
    origin = "it arrived from the internet";
  else if (flow->identity.kind == CLOUDRUN_FABRIC_EXTERNAL_ALB)
    origin = "it came through an external Application Load Balancer from "
             "a client on the internet";
  else if (flow->identity.kind == CLOUDRUN_FABRIC_INTERNAL_ALB)
    {
      /* The service's own internal load balancer is inside with it. */
      origin = "it came through an internal Application Load Balancer of "
               "the service's project";
      if (svc->project_number == flow->identity.project_number)
        caller.perimeter = svc->perimeter;
    }
  else
    {
      net = gfe_network (gfe, flow->identity.vni);
      caller.perimeter = net ? net->perimeter : NULL;
      origin = sim_explain_internf (log, "%s %s, of a project %s%s",
                                    flow->identity.kind
                                    == CLOUDRUN_FABRIC_GOOGLE_PRODUCT
                                    ? "it came from"
                                    : "its Geneve envelope names network",
                                    net ? net->name : "?",
                                    caller.perimeter ? "in perimeter "
                                                     : "in no perimeter",
                                    caller.perimeter ? caller.perimeter->name
                                                     : "");
    }
  v = cloudrun_perimeter_judge_run (svc->perimeter, &caller, log, &reason);
  *why = v == CLOUDRUN_PERIMETER_NOT_ENFORCED ? reason
         : sim_explain_internf (log, "%s; %s", origin, reason);
  return v;
}

/* The service a request is for: the one a load balancer's serverless NEG
 * names when the envelope names a load balancer; otherwise the owner of
 * the Host. *neg tells which. NULL when none. */
static CloudRunServiceNode *
gfe_service (CloudRunGfe *gfe, const CloudRunProxySession *s, bool *neg)
{
  const CloudRunGfeFlow *flow = gfe_flow (gfe, s);
  GHashTable *hosts = gfe->base.world->hosts;

  *neg = false;
  if (flow && (flow->identity.kind == CLOUDRUN_FABRIC_INTERNAL_ALB
               || flow->identity.kind == CLOUDRUN_FABRIC_EXTERNAL_ALB))
    for (guint i = 0; i < gfe->negs->len; i++)
      {
        const CloudRunGfeNeg *n = &g_array_index (gfe->negs, CloudRunGfeNeg,
                                                  i);
        if (n->vni == flow->identity.vni)
          {
            *neg = true;
            return g_hash_table_lookup (hosts, n->service_host);
          }
      }
  return g_hash_table_lookup (hosts, s->request.host);
}

/* Whether the request came through a load balancer's serverless NEG. */
static bool
gfe_via_load_balancer (CloudRunGfe *gfe, const CloudRunProxySession *s)
{
  const CloudRunGfeFlow *flow = gfe_flow (gfe, s);

  return flow && (flow->identity.kind == CLOUDRUN_FABRIC_INTERNAL_ALB
                  || flow->identity.kind == CLOUDRUN_FABRIC_EXTERNAL_ALB);
}

/* Whether host is a run.app host (else a mapped custom domain). */
static bool
gfe_run_app (const char *host)
{
  return g_str_has_suffix (host, ".run.app");
}

/* Internal or external, from the envelope the request's SYN carried
 * (docs/networking.md, "Ingress at the Google Front End"). */
static CloudRunClass
gfe_classify (CloudRunGfe *gfe, const CloudRunProxySession *s,
              const CloudRunServiceNode *svc, bool *via_external_lb,
              const char **why)
{
  SimExplainLog *log = sim_world_explain (gfe->base.world->sim);
  const CloudRunGfeFlow *flow = gfe_flow (gfe, s);
  const CloudRunGfeNetwork *net;

  *via_external_lb = false;
  if (!flow)
    {
      *why = "it arrived from the internet: no Geneve envelope, no VPC "
             "identity";
      return CLOUDRUN_CLASS_EXTERNAL;
    }
  if (flow->identity.kind == CLOUDRUN_FABRIC_INTERNAL_ALB)
    {
      *why = "it came through an internal Application Load Balancer "
             "(Geneve option type 2)";
      return CLOUDRUN_CLASS_INTERNAL;
    }
  if (flow->identity.kind == CLOUDRUN_FABRIC_EXTERNAL_ALB)
    {
      *via_external_lb = true;
      *why = "it came through an external Application Load Balancer "
             "(Geneve option type 3), which is not an internal source";
      return CLOUDRUN_CLASS_EXTERNAL;
    }
  net = gfe_network (gfe, flow->identity.vni);
  if (flow->identity.kind == CLOUDRUN_FABRIC_GOOGLE_PRODUCT
      && !gfe_run_app (s->request.host))
    {
      *why = sim_explain_internf (log, "its Geneve envelope (type 4) names "
                                  "a Google product, but it called the "
                                  "custom domain %s: Google products are "
                                  "internal only at the run.app URL, not "
                                  "at a custom domain "
                                  "(run/docs/securing/ingress)",
                                  s->request.host);
      return CLOUDRUN_CLASS_EXTERNAL;
    }
  if (flow->identity.kind == CLOUDRUN_FABRIC_GOOGLE_PRODUCT)
    {
      /* Google products of the same project or perimeter are internal,
       * at the run.app URL (through an external ALB they arrive as its
       * clients instead). */
      if (flow->identity.project_number == svc->project_number)
        {
          *why = sim_explain_internf (log, "its Geneve envelope (type 4) "
                                      "names %s, of the service's own "
                                      "project: Google products of the "
                                      "same project are internal at the "
                                      "run.app URL", net ? net->name : "?");
          return CLOUDRUN_CLASS_INTERNAL;
        }
      if (net && net->perimeter && net->perimeter == svc->perimeter)
        {
          *why = sim_explain_internf (log, "its Geneve envelope (type 4) "
                                      "names %s, of a project inside the "
                                      "service's perimeter %s", net->name,
                                      net->perimeter->name);
          return CLOUDRUN_CLASS_INTERNAL;
        }
      *why = sim_explain_internf (log, "its Geneve envelope (type 4) names "
                                  "%s, of project %" G_GUINT64_FORMAT
                                  ", not the service's project %"
                                  G_GUINT64_FORMAT " nor in its perimeter",
                                  net ? net->name : "?",
                                  flow->identity.project_number,
                                  svc->project_number);
      return CLOUDRUN_CLASS_EXTERNAL;
    }
  if (flow->identity.project_number == svc->project_number)
    {
      *why = sim_explain_internf (log, "its Geneve envelope names VPC network "
                                  "%s (VNI %u) of project %" G_GUINT64_FORMAT
                                  ", the service's own project",
                                  net ? net->name : "?", flow->identity.vni,
                                  flow->identity.project_number);
      return CLOUDRUN_CLASS_INTERNAL;
    }
  if (net && svc->egress_vni == net->vni
      && gfe_shares_with (net, svc->project_number))
    {
      *why = sim_explain_internf (log, "its Geneve envelope names the Shared "
                                  "VPC network %s (VNI %u), the network the "
                                  "service's own revision sends traffic to",
                                  net->name, net->vni);
      return CLOUDRUN_CLASS_INTERNAL;
    }
  /* Google: resources the service's perimeter allows are internal, when
   * that perimeter restricts Cloud Run (run/docs/securing/ingress). */
  if (net && net->perimeter && net->perimeter == svc->perimeter
      && svc->perimeter->restricts_run)
    {
      *why = sim_explain_internf (log, "its Geneve envelope names network %s "
                                  "of a project inside the service's VPC "
                                  "Service Controls perimeter %s, which "
                                  "restricts run.googleapis.com", net->name,
                                  net->perimeter->name);
      return CLOUDRUN_CLASS_INTERNAL;
    }
  if (net && gfe_shares_with (net, svc->project_number))
    *why = sim_explain_internf (log, "its Geneve envelope names the Shared "
                                "VPC network %s (VNI %u), shared with the "
                                "service's project, but the service's own "
                                "revision does not send traffic to it",
                                net->name, net->vni);
  else if (net && net->perimeter && net->perimeter == svc->perimeter)
    *why = sim_explain_internf (log, "its Geneve envelope names VPC network "
                                "%s of another project in the service's "
                                "perimeter %s, but that perimeter does not "
                                "restrict run.googleapis.com, so it makes "
                                "nothing internal", net->name,
                                net->perimeter->name);
  else
    *why = sim_explain_internf (log, "its Geneve envelope names VPC network "
                                "%s of project %" G_GUINT64_FORMAT ", another "
                                "project with no Shared VPC or perimeter tie "
                                "to the service's project %" G_GUINT64_FORMAT,
                                net ? net->name : "?",
                                flow->identity.project_number,
                                svc->project_number);
  return CLOUDRUN_CLASS_EXTERNAL;
}

/* A request over IPv6 in a fabric envelope (a VPC network's): Google's
 * ingress page names the internal sources without a word on the address
 * family, so [assumptions] ipv6-internal decides whether one the IPv4
 * rules make internal stays so (like-ipv4) or is external (external);
 * docs/networking.md, "Classification over IPv6". From the internet it is
 * external either way. */
static CloudRunClass
gfe_over_ipv6 (CloudRunGfe *gfe, const CloudRunProxySession *s,
               CloudRunClass cls, const char **why)
{
  SimExplainLog *log = sim_world_explain (gfe->base.world->sim);
  char src[SIM_IPV6_STRLEN];

  if (!s->v6 || !gfe_flow (gfe, s) || cls != CLOUDRUN_CLASS_INTERNAL)
    return cls;
  sim_ipv6_to_string (&s->client6, src);
  if (!gfe->ipv6_external)
    {
      *why = sim_explain_internf (log, "%s; it came over IPv6 (from %s), "
                                  "which changes nothing: [assumptions] "
                                  "ipv6-internal = like-ipv4 applies the "
                                  "IPv4 rules, as Google's ingress page "
                                  "does not say whether IPv6 differs",
                                  *why, src);
      return cls;
    }
  *why = sim_explain_internf (log, "it came over IPv6 (from %s): "
                              "[assumptions] ipv6-internal = external "
                              "counts no request over IPv6 internal, where "
                              "over IPv4 it would be (%s); Google's ingress "
                              "page does not say whether IPv6 differs",
                              src, *why);
  return CLOUDRUN_CLASS_EXTERNAL;
}

static bool
gfe_ingress_admits (GfeIngress ingress, CloudRunClass cls,
                    bool via_external_lb)
{
  switch (ingress)
    {
    case GFE_INGRESS_ALL:
      return true;
    case GFE_INGRESS_INTERNAL:
      return cls == CLOUDRUN_CLASS_INTERNAL;
    case GFE_INGRESS_INTERNAL_AND_CLOUD_LOAD_BALANCING:
      return cls == CLOUDRUN_CLASS_INTERNAL || via_external_lb;
    case GFE_INGRESS_NONE:
    default:
      return false;
    }
}

static void
gfe_refuse (CloudRunGfe *gfe, CloudRunProxySession *s, CloudRunVerdict verdict,
            int status, CloudRunDropCause cause, const char *rule,
            const char *note)
{
  CloudRunWorld *world = gfe->base.world;
  const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                  s->request_id);
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE,
    /* The class, when the GFE had decided it, as a word programs read
     * (the Wireshark plugin), apart from the free text. */
    .tag = r && r->classified ? cloudrun_class_name (r->classified) : NULL,
    /* A refusal is named by its cause; a request the service cannot take
     * (429) is an ABORT, with the cause when there is one. */
    .state = cause && verdict != CLOUDRUN_VERDICT_UNAVAILABLE
             ? cloudrun_refusal_state (cause) : CLOUDRUN_STATE_ABORT,
    .cause = verdict == CLOUDRUN_VERDICT_UNAVAILABLE ? cause
                                                     : CLOUDRUN_DROP_NONE,
    .rule = rule, .note = note,
    .src = s->client_addr, .dst = s->local_addr,
    .src6 = GFE_ADDR6 (s, client6), .dst6 = GFE_ADDR6 (s, local6),
  };

  cloudrun_request_step (&world->ledger, s->request_id, &gfe->base.node,
                         &step);
  /* The simulator's own causes for a refusal (section 8) and a 429. */
  cloudrun_request_decide (&world->ledger, s->request_id, verdict,
                           CLOUDRUN_HOP_GFE, &gfe->base.node, cause);
  gfe->refused++;
  cloudrun_proxy_answer (s, status);
}

/* ---- The pending queue (models/world/pending.h) -------------------- */

/* Wait a time's text: "10s". */
static const char *
gfe_time (SimTime t, char *buf)
{
  return sim_units_format_time (t, buf);
}

/* Why no instance can take a request now, for the steps. */
static const char *
gfe_no_room (CloudRunServiceNode *svc, bool no_addresses, SimExplainLog *log)
{
  if (no_addresses)
    return sim_explain_internf (log, "service %s: no instance can start: "
                                "Direct VPC's subnet %s has no free /28 "
                                "block left (%u addresses held, %u per "
                                "instance, [assumptions] "
                                "direct-vpc-ip-factor)", svc->name,
                                svc->ip_pool->subnet, svc->ip_held,
                                svc->ip_factor);
  return sim_explain_internf (log, "service %s: every allowed instance is at "
                              "its concurrency (%u running, max-instances = "
                              "%u, concurrency %u)", svc->name,
                              svc->instances->len, svc->max_instances,
                              svc->concurrency);
}

/* The wait of requests queued up to seq is over: each still there gets
 * 429. */
static void
gfe_pending_due (SimKernel *kernel, void *target, void *arg, uint64_t seq)
{
  CloudRunServiceNode *svc = target;
  CloudRunGfe *gfe = arg;
  SimExplainLog *log = sim_world_explain (gfe->base.world->sim);
  CloudRunPendingEntry e;
  char waited[32];

  (void) kernel;
  while (cloudrun_pending_pop_due (&svc->pending, seq, &e))
    {
      e.session->queue = NULL;
      svc->pending.expired++;
      gfe_refuse (gfe, e.session, CLOUDRUN_VERDICT_UNAVAILABLE, 429,
                  e.no_addresses ? CLOUDRUN_DROP_NO_SERVERLESS_IP_RANGES
                                 : CLOUDRUN_DROP_NO_AVAILABLE_INSTANCE,
                  sim_explain_internf (log, "%s; it waited %s in the "
                                       "pending queue and no instance freed "
                                       "a slot", gfe_no_room (svc,
                                                             e.no_addresses,
                                                             log),
                                       gfe_time (svc->pending.max_wait,
                                                 waited)),
                  "Google: a request waits for a free instance up to 3.5 "
                  "times the average startup time or 10s, whichever is "
                  "greater, then gets 429 ([assumptions] pending-wait)");
    }
}

/* No instance can take s now: it waits for a slot. */
static void
gfe_queue (CloudRunGfe *gfe, CloudRunProxySession *s,
           CloudRunServiceNode *svc, CloudRunClass cls, const char *why)
{
  CloudRunWorld *world = gfe->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  SimKernel *kernel = sim_world_kernel (world->sim);
  SimTime now = sim_kernel_now (kernel);
  char wait[32];
  uint64_t seq = cloudrun_pending_push (&svc->pending, s, cls, why,
                                        svc->ip_short, now);
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE, .state = CLOUDRUN_STATE_PENDING_QUEUE,
    .rule = sim_explain_internf (log, "%s: the request waits for a free "
                                 "slot, at most %s",
                                 gfe_no_room (svc, svc->ip_short, log),
                                 gfe_time (svc->pending.max_wait, wait)),
    .note = "the simulator's own step: Connectivity Tests has none for it",
    .src = s->client_addr, .dst = s->local_addr,
    .src6 = GFE_ADDR6 (s, client6), .dst6 = GFE_ADDR6 (s, local6),
  };

  gfe->queued++;
  s->queue = svc;
  s->queue_seq = seq;
  cloudrun_request_step (&world->ledger, s->request_id, &gfe->base.node,
                         &step);
  sim_kernel_schedule (kernel, now + svc->pending.max_wait, gfe_pending_due,
                       svc, gfe, seq);
}

static void gfe_forward (CloudRunGfe *gfe, CloudRunProxySession *s,
                         CloudRunServiceNode *svc, CloudRunClass cls,
                         const char *why);

/* A slot of svc is free: the oldest waiting request takes it. */
static void
gfe_serve_pending (CloudRunGfe *gfe, CloudRunServiceNode *svc)
{
  CloudRunPendingEntry e;

  if (cloudrun_pending_pop (&svc->pending, &e))
    {
      e.session->queue = NULL;
      gfe_forward (gfe, e.session, svc, e.cls, e.why);
    }
}

/* Whether s hit restricted.googleapis.com (either family). */
static bool
gfe_restricted_vip (const CloudRunProxySession *s)
{
  SimIp6 vip6;

  if (!s->v6)
    return (s->local_addr & sim_cidr_mask (CLOUDRUN_VIPS_LEN))
           == CLOUDRUN_RESTRICTED_VIPS;
  memcpy (vip6.b, cloudrun_restricted_vip6, sizeof vip6.b);
  return sim_ipv6_in_prefix (&s->local6, &vip6, CLOUDRUN_VIPS6_LEN);
}

/* Ingress and IAM passed: to an instance, after its cold start if any. */
static void
gfe_forward (CloudRunGfe *gfe, CloudRunProxySession *s,
             CloudRunServiceNode *svc, CloudRunClass cls, const char *why)
{
  CloudRunWorld *world = gfe->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  bool cold;
  CloudRunInstance *inst = cloudrun_service_acquire (svc,
                                                     sim_world_now (world->sim),
                                                     &cold);
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE, .state = CLOUDRUN_STATE_PROXY_CONNECTION,
    .tag = cloudrun_class_name (cls),
    .src = s->client_addr, .dst = s->local_addr,
    .src6 = GFE_ADDR6 (s, client6), .dst6 = GFE_ADDR6 (s, local6),
  };

  if (!inst)
    {
      gfe_queue (gfe, s, svc, cls, why);
      return;
    }
  s->slot = inst;
  if (svc->revision)
    cloudrun_request_served_by (&world->ledger, s->request_id,
                                svc->revision);
  step.rule = sim_explain_internf (log, "service %s: ingress = %s admits "
                                   "%s requests", svc->name,
                                   gfe_ingress_name (svc->ingress),
                                   cloudrun_class_name (cls));
  step.note = sim_explain_internf (log, "classified %s: %s; to instance %s%s%s",
                                   cloudrun_class_name (cls), why,
                                   inst->base.node.name,
                                   !cold ? ""
                                   : inst->retirements
                                   ? " (cold start: it had retired after "
                                     "[assumptions] instance-idle-timeout "
                                     "idle)"
                                   : " (cold start)",
                                   gfe_restricted_vip (s)
                                   ? "; restricted.googleapis.com serves "
                                     "only services VPC Service Controls "
                                     "supports, and Cloud Run is one" : "");
  step.note = cloudrun_backbone_note (log, s->client ? sim_tcp_conn_origin (
                                         s->client) : 0, svc->region,
                                       step.note);
  step.src_after = gfe->serving_addr;
  step.dst_after = inst->host.addrs[0];
  cloudrun_request_step (&world->ledger, s->request_id, &gfe->base.node, &step);
  cloudrun_proxy_forward (s, gfe->serving_addr, inst->host.addrs[0], 80,
                          inst->ready_at);
}

/* The revision that takes an admitted request (models/world/service.h):
 * at a tag URL the tagged one alone, else one drawn by the split
 * (run/docs/rollouts-rollbacks-traffic-migration); *why says which. */
static CloudRunServiceNode *
gfe_revision (CloudRunGfe *gfe, const CloudRunProxySession *s,
              CloudRunServiceNode *svc, const char **why)
{
  SimExplainLog *log = sim_world_explain (gfe->base.world->sim);
  bool tagged;
  CloudRunServiceNode *rev = cloudrun_service_pick_revision (
    svc, s->request.host, &tagged);

  if (rev->revision)
    *why = sim_explain_internf (log, tagged
                                ? "%s; revision %s: its tag URL reaches it "
                                  "alone, whatever its share (%u%%)"
                                : "%s; revision %s: the traffic split gives "
                                  "it %u%% of the service's requests, drawn "
                                  "per request", *why, rev->revision,
                                rev->percent);
  return rev;
}

/* IAP on the service (models/world/iap.h), after ingress and before IAM:
 * a refusal answers (false); a pass is its own step, and the request
 * goes on with IAP's credentials in place of the caller's, so that IAM
 * decides for IAP's service agent. note says what ingress made of it. */
static bool
gfe_iap (CloudRunGfe *gfe, CloudRunProxySession *s, CloudRunServiceNode *svc,
         const char *note)
{
  CloudRunWorld *world = gfe->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  SimTime now = sim_world_now (world->sim);
  char creds[CLOUDRUN_IAP_CREDENTIALS_MAX], aud[300];
  SimHttpForward fw = { .drop = cloudrun_iap_replaced_fields, .extra = creds };
  CloudRunIapDecision d;
  CloudRunStep step = {
    .hop = CLOUDRUN_HOP_GFE, .state = CLOUDRUN_STATE_APPLY_IAP,
    .src = s->client_addr, .dst = s->local_addr,
    .src6 = GFE_ADDR6 (s, client6), .dst6 = GFE_ADDR6 (s, local6),
  };

  cloudrun_iap_check (&svc->iap, sim_explain_internf (log, "service %s",
                                                      svc->name),
                      s->rx->data, (size_t) s->header_len, s->request.host,
                      now, log, &d);
  if (!d.admitted)
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_DENIED_BY_IAP, d.status,
                  CLOUDRUN_DROP_IAP_DENIED, d.rule, note);
      return false;
    }
  g_snprintf (aud, sizeof aud, "https://%s", svc->hash_host);
  if (cloudrun_iap_credentials (&svc->iap, &d, aud, now, creds,
                                sizeof creds) == 0)
    g_assert_not_reached ();
  cloudrun_proxy_rewrite_head (s, &fw);
  step.rule = d.rule;
  step.note = sim_explain_internf (
      log, "IAP checks first, then calls Cloud Run's IAM check with its "
      "own identity: it puts its service agent's ID token (audience %s) "
      "in X-Serverless-Authorization%s "
      "(run/docs/securing/identity-aware-proxy-cloud-run, "
      "iap/docs/enabling-cloud-run)", aud,
      d.email[0] ? " and the caller's identity in X-Goog-IAP-JWT-Assertion"
                 : "");
  cloudrun_request_step (&world->ledger, s->request_id, &gfe->base.node,
                         &step);
  return true;
}

static void
gfe_request (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  CloudRunGfe *gfe = user;
  CloudRunWorld *world = gfe->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  bool neg;
  CloudRunServiceNode *svc = gfe_service (gfe, s, &neg);
  const char *why, *ingress, *sc_why;
  CloudRunPerimeterVerdict sc;
  bool via_elb;
  CloudRunClass cls;
  CloudRunIamDecision iam;

  (void) proxy;
  if (!svc)
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_UNAVAILABLE, 404,
                  CLOUDRUN_DROP_NONE,
                  sim_explain_internf (log, "no service owns host %s",
                                       s->request.host), NULL);
      return;
    }
  cls = gfe_over_ipv6 (gfe, s, gfe_classify (gfe, s, svc, &via_elb, &why),
                       &why);
  if (neg)
    why = sim_explain_internf (log, "%s; its serverless NEG sends it to "
                               "service %s whatever its Host (%s)", why,
                               svc->name, s->request.host);
  else if (!gfe_run_app (s->request.host))
    why = sim_explain_internf (log, "%s; Host %s is a domain mapping of "
                               "service %s", why, s->request.host,
                               svc->name);
  cloudrun_request_classify (&world->ledger, s->request_id, cls);
  ingress = gfe_ingress_name (svc->ingress);
  sc = gfe_perimeter (gfe, s, svc, &sc_why);
  if (sc == CLOUDRUN_PERIMETER_REFUSED)
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_DENIED_BY_VPC_SC, 403,
                  CLOUDRUN_DROP_VPC_SC_DENIED,
                  sim_explain_internf (log, "service %s is in VPC Service "
                                       "Controls perimeter %s, which "
                                       "restricts run.googleapis.com and "
                                       "refuses requests from outside it "
                                       "whatever the ingress setting "
                                       "(\"Request is prohibited by "
                                       "organization's policy\")", svc->name,
                                       svc->perimeter->name),
                  sc_why);
      return;
    }
  if (sc != CLOUDRUN_PERIMETER_INSIDE && sc_why)
    why = sim_explain_internf (log, "%s; VPC Service Controls: %s", why,
                               sc_why);
  /* default-url = false exists to force traffic through a load balancer,
   * whose serverless NEG still reaches the service whatever Host its
   * client sent (a run.app host included). */
  if (!svc->default_url && gfe_run_app (s->request.host)
      && !gfe_via_load_balancer (gfe, s))
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_DENIED_BY_INGRESS, 404,
                  CLOUDRUN_DROP_INGRESS_DENIED,
                  sim_explain_internf (log, "service %s: default-url = "
                                       "false disables its run.app URLs",
                                       svc->name), NULL);
      return;
    }
  if (!gfe_ingress_admits (svc->ingress, cls, via_elb))
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_DENIED_BY_INGRESS,
                  world->ingress_denied_status,
                  CLOUDRUN_DROP_INGRESS_DENIED,
                  sim_explain_internf (log, "service %s: ingress = %s "
                                       "refuses this %s request",
                                       svc->name, ingress,
                                       cloudrun_class_name (cls)),
                  sim_explain_internf (log, "classified %s: %s; status "
                                       "%d is [assumptions] "
                                       "ingress-denied-status (Google "
                                       "documents 404: Cloud Run release "
                                       "notes, 2023-08-03)",
                                       cloudrun_class_name (cls), why,
                                       world->ingress_denied_status));
      return;
    }
  if (svc->iap.enabled
      && !gfe_iap (gfe, s, svc, sim_explain_internf (
                       log, "ingress = %s admitted it (classified %s: %s)",
                       ingress, cloudrun_class_name (cls), why)))
    return;
  cloudrun_iam_check (svc, s->rx->data, (size_t) s->header_len,
                      sim_world_now (world->sim), log, &iam);
  if (!iam.admitted)
    {
      gfe_refuse (gfe, s, CLOUDRUN_VERDICT_DENIED_BY_IAM, iam.status,
                  CLOUDRUN_DROP_IAM_DENIED, iam.rule,
                  sim_explain_internf (log, "ingress = %s admitted it "
                                       "(classified %s: %s)%s%s%s", ingress,
                                       cloudrun_class_name (cls), why,
                                       svc->iap.enabled ? "; IAP let it "
                                       "pass and called IAM as its service "
                                       "agent " : "",
                                       svc->iap.enabled ? svc->iap.agent : "",
                                       svc->iap.enabled ? ", which needs the "
                                       "Invoker role (iap/docs/enabling-"
                                       "cloud-run)" : ""));
      return;
    }
  if (iam.note)
    why = sim_explain_internf (log, "%s; %s", why, iam.note);
  svc = gfe_revision (gfe, s, svc, &why);
  gfe_forward (gfe, s, svc, cls, why);
}

static void
gfe_done (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  CloudRunGfe *gfe = user;
  CloudRunInstance *inst = s->slot;

  (void) proxy;
  if (inst)
    {
      s->slot = NULL;
      cloudrun_service_release (inst);
      gfe_serve_pending (gfe, inst->service);
      return;
    }
  /* A caller that left while it waited leaves the queue. */
  if (s->queue)
    {
      CloudRunServiceNode *svc = s->queue;
      s->queue = NULL;
      cloudrun_pending_forget (&svc->pending, s, s->queue_seq);
    }
}

/* How long packet, to or from the instance behind port, crosses Google's
 * backbone (0 on other ports). */
static SimTime
gfe_backbone (const CloudRunGfe *gfe, const SimPort *port,
              const SimPacket *packet)
{
  return port->index < gfe->port_region->len
         ? cloudrun_backbone_delay (packet, g_ptr_array_index (
                                      gfe->port_region, port->index))
         : 0;
}

static void
gfe_receive_later (SimKernel *k, void *target, void *arg, uint64_t u)
{
  SimPort *port = target;
  CloudRunGfe *gfe = (CloudRunGfe *) port->node;

  (void) k; (void) u;
  sim_host_receive (&gfe->host, port, arg);
}

/* Replies to a connection that came over the fabric go back wrapped. */
static SimSendResult
gfe_output (SimHost *host, void *user, SimPort *port, SimPacket *packet)
{
  CloudRunGfe *gfe = user;
  const CloudRunGfeFlow *flow = gfe_tagged (gfe, packet->flow_tag);
  SimTime delay;

  (void) host;
  if (flow)
    {
      cloudrun_fabric_wrap (packet, gfe->fabric_addr, flow->outer_peer,
                            &flow->identity);
      return sim_port_send (flow->port, packet);
    }
  delay = gfe_backbone (gfe, port, packet);
  if (delay > 0)
    {
      cloudrun_send_after (port, packet, delay);
      return SIM_SEND_OK;
    }
  return sim_port_send (port, packet);
}

/* A packet from the fabric: unwrap, tag it with its sender, hand the
 * inner packet to the stack (the frame read once, on the way). */
static void
gfe_fabric_input (CloudRunGfe *gfe, SimPort *port, SimPacket *packet)
{
  CloudRunFabricFrame ff;

  if (!cloudrun_fabric_open (packet, &ff) || !ff.inner.l4)
    {
      sim_packet_release (sim_world_pool (gfe->base.node.world), packet);
      return;
    }
  packet->flow_tag = gfe_tag (gfe, &ff.identity, port, ff.outer_src);
  sim_host_receive_frame (&gfe->host, port, packet, &ff.inner);
}

static void
gfe_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunGfe *gfe = (CloudRunGfe *) self;
  SimTime delay;

  if (port->index < gfe->fabric->len
      && g_array_index (gfe->fabric, gboolean, port->index))
    {
      gfe_fabric_input (gfe, port, packet);
      return;
    }
  /* From the internet: no envelope, no identity, whatever an earlier
   * connection with the same addresses carried. */
  packet->flow_tag = 0;
  delay = gfe_backbone (gfe, port, packet);
  if (delay > 0)
    {
      SimKernel *kernel = sim_world_kernel (self->world);
      sim_kernel_schedule (kernel, sim_kernel_now (kernel) + delay,
                           gfe_receive_later, port, packet, 0);
      return;
    }
  sim_host_receive (&gfe->host, port, packet);
}

static void
gfe_clear (SimNode *self)
{
  CloudRunGfe *gfe = (CloudRunGfe *) self;

  /* Packets from the internet still crossing the backbone. */
  sim_world_release_pending (self->world, gfe_receive_later);
  cloudrun_proxy_clear (&gfe->proxy);
  sim_host_clear (&gfe->host);
  g_array_free (gfe->flows, TRUE);
  for (guint i = 0; i < gfe->networks->len; i++)
    {
      CloudRunGfeNetwork *n = &g_array_index (gfe->networks,
                                              CloudRunGfeNetwork, i);
      if (n->shared_with)
        g_array_unref (n->shared_with);
    }
  g_array_free (gfe->networks, TRUE);
  for (guint i = 0; i < gfe->negs->len; i++)
    g_free (g_array_index (gfe->negs, CloudRunGfeNeg, i).service_host);
  g_array_free (gfe->negs, TRUE);
  g_array_free (gfe->fabric, TRUE);
  g_ptr_array_free (gfe->port_region, TRUE);
}

static const SimNodeClass gfe_class = {
  .name = "gfe",
  .size = sizeof (CloudRunGfe),
  .receive = gfe_receive,
  .clear = gfe_clear,
};

static void
gfe_mark_port (CloudRunGfe *gfe, SimPort *port, gboolean fabric)
{
  if (gfe->fabric->len <= port->index)
    g_array_set_size (gfe->fabric, port->index + 1);
  g_array_index (gfe->fabric, gboolean, port->index) = fabric;
}

/* The IPv6 addresses public DNS answers AAAA with (models/world/google.h):
 * the front ends of run.app and of mapped domains; and both googleapis.com
 * VIP ranges whole, as the routers send them (a private zone may name any
 * address of a /56, as one names any of a /30's four over IPv4). */
static void
gfe_add_addresses6 (CloudRunGfe *gfe)
{
  SimIp6 a;

  for (unsigned i = 0; i < CLOUDRUN_N_RUN_APP_FRONT_ENDS; i++)
    {
      memcpy (a.b, cloudrun_run_app_front_ends6[i], sizeof a.b);
      sim_host_add_address6 (&gfe->host, &a);
      memcpy (a.b, cloudrun_mapping_front_ends6[i], sizeof a.b);
      sim_host_add_address6 (&gfe->host, &a);
    }
  memcpy (a.b, cloudrun_private_vip6, sizeof a.b);
  sim_host_add_address6 (&gfe->host, &a);
  sim_host_add_prefix6 (&gfe->host, &a, CLOUDRUN_VIPS6_LEN);
  memcpy (a.b, cloudrun_restricted_vip6, sizeof a.b);
  sim_host_add_address6 (&gfe->host, &a);
  sim_host_add_prefix6 (&gfe->host, &a, CLOUDRUN_VIPS6_LEN);
}

CloudRunGfe *
cloudrun_gfe_new (CloudRunWorld *world, const uint32_t *front_ends,
                  unsigned n_front_ends, uint32_t serving_addr,
                  uint32_t fabric_addr)
{
  CloudRunGfe *gfe = (CloudRunGfe *) sim_node_new (world->sim, &gfe_class,
                                                   "gfe");

  gfe->base.world = world;
  gfe->internet = sim_node_add_port (&gfe->base.node, "internet");
  gfe->serving_addr = serving_addr;
  gfe->fabric_addr = fabric_addr;
  gfe->flows = g_array_new (FALSE, FALSE, sizeof (CloudRunGfeFlow));
  gfe->networks = g_array_new (FALSE, TRUE, sizeof (CloudRunGfeNetwork));
  gfe->negs = g_array_new (FALSE, FALSE, sizeof (CloudRunGfeNeg));
  gfe->fabric = g_array_new (FALSE, TRUE, sizeof (gboolean));
  gfe->port_region = g_ptr_array_new ();
  gfe_mark_port (gfe, gfe->internet, FALSE);
  sim_host_init (&gfe->host, &gfe->base.node, front_ends[0], gfe->internet);
  for (unsigned i = 1; i < n_front_ends; i++)
    sim_host_add_address (&gfe->host, front_ends[i]);
  sim_host_add_address (&gfe->host, serving_addr);
  gfe_add_addresses6 (gfe);
  gfe->host.output = gfe_output;
  gfe->host.output_user = gfe;
  cloudrun_proxy_init (&gfe->proxy, &gfe->host, 80, gfe_request, gfe_done, gfe);
  cloudrun_proxy_listen_tls (&gfe->proxy, SIM_TLS_PORT);
  return gfe;
}

SimPort *
cloudrun_gfe_add_instance_port (CloudRunGfe *gfe, CloudRunInstance *instance)
{
  SimPort *port = sim_node_add_port (&gfe->base.node,
                                     instance->base.node.name);

  gfe_mark_port (gfe, port, FALSE);
  if (gfe->port_region->len <= port->index)
    g_ptr_array_set_size (gfe->port_region, (gint) port->index + 1);
  g_ptr_array_index (gfe->port_region, port->index) = instance->service->region;
  sim_host_add_route (&gfe->host, instance->host.addrs[0], 32, port);
  instance->service_peer = gfe->serving_addr;
  return port;
}

SimPort *
cloudrun_gfe_add_fabric_port (CloudRunGfe *gfe, const char *name)
{
  SimPort *port = sim_node_add_port (&gfe->base.node, name);

  gfe_mark_port (gfe, port, TRUE);
  return port;
}

void
cloudrun_gfe_add_network (CloudRunGfe *gfe, const CloudRunGfeNetwork *net)
{
  g_array_append_val (gfe->networks, *net);
}

void
cloudrun_gfe_add_serverless_neg (CloudRunGfe *gfe, uint32_t vni,
                                 const char *service_host)
{
  CloudRunGfeNeg neg = { vni, g_strdup (service_host) };

  g_array_append_val (gfe->negs, neg);
}
