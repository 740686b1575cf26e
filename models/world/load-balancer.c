/* Application Load Balancers (see models/world/load-balancer.h). */
#include "models/world/load-balancer.h"

#include <string.h>

#include "models/world/google.h"
#include "sim/http-forward.h"
#include "sim/wire.h"


/* The request goes on with the caller's own fields, Host included (the
 * serverless NEG, not the Host, names the service: the GFE reads it from
 * the envelope), less the hop-by-hop ones, plus the load balancer's
 * X-Forwarded-For (client, forwarding rule), Via and X-Forwarded-Proto
 * (sim/http-forward.h), and extra (IAP's credentials) when not NULL. */
static void
lb_forward_head (CloudRunProxySession *s, const char *extra)
{
  char client[16], rule[16], xff[40];
  SimHttpForward fw = {
    .xff_append = xff, .via = CLOUDRUN_LB_VIA,
    .proto = s->local_port == SIM_TLS_PORT ? "https" : "http",
  };

  g_snprintf (xff, sizeof xff, "%s,%s",
              sim_ipv4_to_string (s->client_addr, client),
              sim_ipv4_to_string (s->local_addr, rule));
  if (extra)
    {
      fw.drop = cloudrun_iap_replaced_fields;
      fw.extra = extra;
    }
  cloudrun_proxy_rewrite_head (s, &fw);
}

/* The load balancer answers status itself: step (its state and rule
 * set) is the request's decision. */
static void
lb_refuse (CloudRunLoadBalancer *lb, CloudRunProxySession *s,
           const CloudRunStep *step, CloudRunVerdict verdict,
           CloudRunDropCause cause, int status)
{
  CloudRunWorld *world = lb->base.world;

  cloudrun_request_step (&world->ledger, s->request_id, &lb->base.node, step);
  cloudrun_request_decide (&world->ledger, s->request_id, verdict, lb->hop,
                           &lb->base.node, cause);
  cloudrun_proxy_answer (s, status);
}

/* IAP on the backend service (models/world/iap.h): a refusal answers
 * (NULL); a pass is its own step and gives the lines IAP adds, written
 * into creds. */
static const char *
lb_iap (CloudRunLoadBalancer *lb, CloudRunProxySession *s, char *creds,
        size_t cap)
{
  CloudRunWorld *world = lb->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  SimTime now = sim_world_now (world->sim);
  char aud[300];
  CloudRunIapDecision d;
  CloudRunStep step = {
    .hop = lb->hop, .state = CLOUDRUN_STATE_APPLY_IAP,
    .src = s->client_addr, .dst = s->local_addr,
  };

  cloudrun_iap_check (&lb->iap, sim_explain_internf (log, "backend service "
                                                     "%s of the %s",
                                                     lb->backend, lb->label),
                      s->rx->data, (size_t) s->header_len, s->request.host,
                      now, log, &d);
  step.rule = d.rule;
  if (!d.admitted)
    {
      step.state = CLOUDRUN_STATE_IAP_DENIED;
      step.note = "IAP on a load balancer's backend service answers "
                  "before the request reaches Cloud Run "
                  "(iap/docs/enabling-cloud-run)";
      lb_refuse (lb, s, &step, CLOUDRUN_VERDICT_DENIED_BY_IAP,
                 CLOUDRUN_DROP_IAP_DENIED, d.status);
      return NULL;
    }
  g_snprintf (aud, sizeof aud, "https://%s", lb->backend_host);
  if (cloudrun_iap_credentials (&lb->iap, &d, aud, now, creds, cap) == 0)
    g_assert_not_reached ();
  step.note = sim_explain_internf (
      log, "IAP calls Cloud Run with its service agent's ID token "
      "(audience %s) in X-Serverless-Authorization%s; that agent needs "
      "the Invoker role on the service (iap/docs/enabling-cloud-run)", aud,
      d.email[0] ? " and the caller's identity in X-Goog-IAP-JWT-Assertion"
                 : "");
  cloudrun_request_step (&world->ledger, s->request_id, &lb->base.node, &step);
  return creds;
}

/* Cloud Armor: the load balancer's security policy reads the request as
 * it arrived (TCP peer, its region code, the header fields) before it
 * goes on. A deny is answered here with the rule's status; true then.
 * An allow adds its reason to *why. */
static bool
lb_armor_denies (CloudRunLoadBalancer *lb, CloudRunProxySession *s,
                 const char **why)
{
  CloudRunWorld *world = lb->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  const char *code;
  CloudRunSecurityVerdict v;
  CloudRunStep step = {
    .hop = lb->hop, .state = CLOUDRUN_STATE_SECURITY_POLICY_DENIED,
    .src = s->client_addr, .dst = s->local_addr,
  };

  if (!lb->armor)
    return false;
  code = cloudrun_geo_region_code ((const CloudRunGeoRange *) (void *)
                                   lb->geo->data, lb->geo->len,
                                   s->client_addr);
  cloudrun_security_policy_evaluate (lb->armor, s->client_addr, code,
                                     s->rx->data, (size_t) s->header_len, &v);
  step.rule = cloudrun_security_verdict_text (lb->armor, &v, s->client_addr,
                                              code, log);
  if (v.status == 0)
    {
      *why = sim_explain_internf (log, "%s; %s", *why, step.rule);
      return false;
    }
  step.note = sim_explain_internf (log, "%s answers %d itself: Cloud Armor "
                                   "decides at Google's edge, before the "
                                   "request reaches the serverless NEG, "
                                   "ingress or IAM", lb->label, v.status);
  lb->armor_denied++;
  lb_refuse (lb, s, &step, CLOUDRUN_VERDICT_DENIED_BY_SECURITY_POLICY,
             CLOUDRUN_DROP_SECURITY_POLICY_DENIED, v.status);
  return true;
}

/* Whether IAP, when on, refused the request; *extra: the lines it adds
 * to one it lets through. */
static bool
lb_iap_refuses (CloudRunLoadBalancer *lb, CloudRunProxySession *s,
                char *creds, size_t cap, const char **extra)
{
  return lb->iap.enabled && !(*extra = lb_iap (lb, s, creds, cap));
}

static void
lb_request (CloudRunProxy *proxy, void *user, CloudRunProxySession *s)
{
  char creds[CLOUDRUN_IAP_CREDENTIALS_MAX];
  const char *extra = NULL;
  CloudRunLoadBalancer *lb = user;
  CloudRunWorld *world = lb->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  CloudRunStep step = {
    .hop = lb->hop, .state = CLOUDRUN_STATE_PROXY_CONNECTION,
    .rule = sim_explain_internf (log, "%s: serverless NEG to service %s",
                                 lb->label, lb->backend),
    .note = sim_explain_internf (log, "a new connection to the GFE, wrapped "
                                 "as coming from the %s (Geneve option "
                                 "type %d)",
                                 cloudrun_fabric_kind_name (lb->identity.kind),
                                 (int) lb->identity.kind),
    .src = s->client_addr, .dst = s->local_addr,
    .src_after = lb->proxy_addr, .dst_after = lb->gfe_addr,
  };

  (void) proxy;
  /* A global external ALB asks Cloud Armor, then IAP; a classic one
   * IAP first (armor/docs/integrating-cloud-armor). */
  if (lb->iap_first
      ? lb_iap_refuses (lb, s, creds, sizeof creds, &extra)
        || lb_armor_denies (lb, s, &step.note)
      : lb_armor_denies (lb, s, &step.note)
        || lb_iap_refuses (lb, s, creds, sizeof creds, &extra))
    return;
  cloudrun_request_step (&world->ledger, s->request_id, &lb->base.node, &step);
  lb_forward_head (s, extra);
  cloudrun_proxy_forward (s, lb->proxy_addr, lb->gfe_addr, 80,
                          sim_world_now (world->sim));
}

static SimSendResult
lb_output (SimHost *host, void *user, SimPort *port, SimPacket *packet)
{
  CloudRunLoadBalancer *lb = user;

  (void) host;
  if (port == lb->google)
    cloudrun_fabric_wrap (packet, lb->fabric_addr, lb->gfe_fabric_addr,
                          &lb->identity);
  return sim_port_send (port, packet);
}

/* The region of a source address of the network, or NULL. */
static const char *
lb_client_region (const CloudRunLoadBalancer *lb, uint32_t src)
{
  for (guint i = 0; lb->client_ranges && i < lb->client_ranges->len; i++)
    {
      const VpcRegionRange *r = &g_array_index (lb->client_ranges,
                                                VpcRegionRange, i);
      if (vpc_cidr_contains (&r->range, src))
        return r->region;
    }
  return NULL;
}

/* Why the load balancer refuses a connection opened by f, and the cause;
 * NULL when it takes it. A regional forwarding rule without global access
 * admits clients of its own region only; an internal ALB needs a
 * proxy-only subnet for its proxies. */
static const char *
lb_refusal (CloudRunLoadBalancer *lb, const SimFrame *f,
            CloudRunDropCause *cause)
{
  SimExplainLog *log = sim_world_explain (lb->base.world->sim);
  const char *region = lb->region && !lb->global_access
                       ? lb_client_region (lb, f->src) : NULL;

  if (region && strcmp (region, lb->region) != 0)
    {
      *cause = CLOUDRUN_DROP_FORWARDING_RULE_REGION_MISMATCH;
      return sim_explain_internf (log, "%s: its forwarding rule in %s admits "
                                  "clients of its own region only, and this "
                                  "client is in %s (global-access = false)",
                                  lb->label, lb->region, region);
    }
  if (!lb->has_proxy_subnet)
    {
      *cause = CLOUDRUN_DROP_LOAD_BALANCER_HAS_NO_PROXY_SUBNET;
      return sim_explain_internf (log, "%s: no proxy-only subnet in its "
                                  "region, so no proxy can take the "
                                  "connection", lb->label);
    }
  return NULL;
}

/* Drops the connection-opening packet, deciding its request. */
static void
lb_drop (CloudRunLoadBalancer *lb, SimPacket *packet, const SimFrame *f,
         const char *rule, CloudRunDropCause cause)
{
  CloudRunStep s = {
    .hop = lb->hop, .state = CLOUDRUN_STATE_DROP, .cause = cause, .rule = rule,
    .src = f->src, .dst = f->dst,
  };

  cloudrun_node_drop (&lb->base, packet, &s);
}

static void
lb_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunLoadBalancer *lb = (CloudRunLoadBalancer *) self;
  CloudRunFabricIdentity id;
  CloudRunDropCause cause;
  const char *rule;
  SimFrame f;

  if (port == lb->google && !cloudrun_fabric_unwrap (packet, &id))
    {
      sim_packet_release (sim_world_pool (self->world), packet);
      return;
    }
  if (port == lb->front && sim_frame_parse (packet->data, packet->len, &f)
      && sim_frame_opens_tcp (&f) && (rule = lb_refusal (lb, &f, &cause)))
    {
      lb_drop (lb, packet, &f, rule, cause);
      return;
    }
  sim_host_receive (&lb->host, port, packet);
}

static void
lb_clear (SimNode *self)
{
  CloudRunLoadBalancer *lb = (CloudRunLoadBalancer *) self;

  cloudrun_proxy_clear (&lb->proxy);
  sim_host_clear (&lb->host);
  for (guint i = 0; lb->client_ranges && i < lb->client_ranges->len; i++)
    g_free ((char *) g_array_index (lb->client_ranges, VpcRegionRange,
                                    i).region);
  g_clear_pointer (&lb->client_ranges, g_array_unref);
  for (guint i = 0; lb->geo && i < lb->geo->len; i++)
    g_free ((char *) g_array_index (lb->geo, CloudRunGeoRange,
                                    i).region_code);
  g_clear_pointer (&lb->geo, g_array_unref);
  g_clear_pointer (&lb->armor, cloudrun_security_policy_free);
  g_free (lb->region);
  cloudrun_iap_clear (&lb->iap);
}

static const SimNodeClass lb_class = {
  .name = "load-balancer",
  .size = sizeof (CloudRunLoadBalancer),
  .receive = lb_receive,
  .clear = lb_clear,
};

CloudRunLoadBalancer *
cloudrun_load_balancer_new (CloudRunWorld *world,
                            const CloudRunLoadBalancerConfig *c)
{
  CloudRunLoadBalancer *lb = (CloudRunLoadBalancer *)
    sim_node_new (world->sim, &lb_class, c->name);

  lb->base.world = world;
  lb->hop = c->hop;
  lb->label = c->label;
  lb->backend = c->backend;
  lb->backend_host = c->backend_host;
  lb->has_proxy_subnet = c->has_proxy_subnet;
  lb->region = g_strdup (c->region);
  lb->global_access = c->global_access;
  lb->client_ranges = g_array_new (FALSE, FALSE, sizeof (VpcRegionRange));
  for (guint i = 0; i < c->n_client_ranges; i++)
    {
      VpcRegionRange r = { c->client_ranges[i].range,
                           g_strdup (c->client_ranges[i].region) };
      g_array_append_val (lb->client_ranges, r);
    }
  if (c->security_policy)
    lb->armor = cloudrun_security_policy_new (c->security_policy);
  lb->geo = g_array_new (FALSE, FALSE, sizeof (CloudRunGeoRange));
  for (guint i = 0; i < c->n_geo; i++)
    {
      CloudRunGeoRange g = { c->geo[i].range,
                             g_strdup (c->geo[i].region_code) };
      g_array_append_val (lb->geo, g);
    }
  lb->proxy_addr = c->proxy_addr ? c->proxy_addr : c->address;
  lb->gfe_addr = c->gfe_addr;
  lb->identity = (CloudRunFabricIdentity) { c->kind, c->vni,
                                            c->project_number };
  lb->fabric_addr = c->fabric_addr;
  lb->gfe_fabric_addr = c->gfe_fabric_addr;
  cloudrun_iap_init (&lb->iap, &c->iap);
  lb->iap_first = c->iap_first;
  lb->front = sim_node_add_port (&lb->base.node, "front");
  lb->google = sim_node_add_port (&lb->base.node, "google");
  sim_host_init (&lb->host, &lb->base.node, c->address, lb->front);
  sim_host_add_address (&lb->host, lb->proxy_addr);
  sim_host_add_route (&lb->host, CLOUDRUN_GOOGLE_FRONT_ENDS,
                      CLOUDRUN_GOOGLE_FRONT_ENDS_LEN, lb->google);
  lb->host.output = lb_output;
  lb->host.output_user = lb;
  cloudrun_proxy_init (&lb->proxy, &lb->host, 80, lb_request, NULL, lb);
  cloudrun_proxy_listen_tls (&lb->proxy, SIM_TLS_PORT);
  return lb;
}
