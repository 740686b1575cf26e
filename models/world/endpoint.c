/* Internet clients and VMs (see models/world/endpoint.h). */
#include "models/world/endpoint.h"

#include "models/world/dns-server.h"

/* A whole request arrived, over IPv4 or IPv6 (the address it was sent
 * to, of that family, is the step's). */
static void
endpoint_served (CloudRunHttpServer *server, void *user,
                 const CloudRunProxySession *session)
{
  CloudRunEndpoint *ep = user;
  CloudRunWorld *world = ep->base.world;
  const SimHttpRequest *req = &session->request;
  uint32_t request = session->request_id;
  CloudRunStep s = {
    .hop = ep->hop, .state = CLOUDRUN_STATE_DELIVER,
    .rule = sim_explain_internf (sim_world_explain (world->sim),
                                 "%s %s answers 200 to %s %s", ep->kind,
                                 ep->base.node.name, req->method, req->path),
    .dst = ep->host.addrs[0],
    .dst6 = session->v6 ? &session->local6 : NULL,
  };
  (void) server;
  cloudrun_request_step (&world->ledger, request, &ep->base.node, &s);
  cloudrun_request_seen (&world->ledger, request, ep->hop,
                         session->client_addr,
                         session->v6 ? &session->client6 : NULL, req->host);
  cloudrun_request_decide (&world->ledger, request, CLOUDRUN_VERDICT_DELIVERED,
                           ep->hop, &ep->base.node, CLOUDRUN_DROP_NONE);
}

static void
endpoint_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunEndpoint *ep = (CloudRunEndpoint *) self;

  sim_host_receive (&ep->host, port, packet);
}

static void
endpoint_start (SimNode *self)
{
  cloudrun_requester_start (&((CloudRunEndpoint *) self)->requester);
}

static void
endpoint_clear (SimNode *self)
{
  CloudRunEndpoint *ep = (CloudRunEndpoint *) self;

  cloudrun_requester_clear (&ep->requester);
  cloudrun_http_server_clear (&ep->http);
  sim_host_clear (&ep->host);
}

static const SimNodeClass endpoint_class = {
  .name = "endpoint",
  .size = sizeof (CloudRunEndpoint),
  .receive = endpoint_receive,
  .start = endpoint_start,
  .clear = endpoint_clear,
};

CloudRunEndpoint *
cloudrun_endpoint_new (CloudRunWorld *world, const char *name,
                       CloudRunHopKind hop, const char *port_name,
                       uint32_t addr, uint32_t resolver)
{
  CloudRunEndpoint *ep = (CloudRunEndpoint *)
    sim_node_new (world->sim, &endpoint_class, name);
  SimPort *port = sim_node_add_port (&ep->base.node, port_name);
  bool vm = hop == CLOUDRUN_HOP_VM;

  ep->base.world = world;
  ep->hop = hop;
  ep->kind = vm ? "VM" : "internet host";
  sim_host_init (&ep->host, &ep->base.node, addr, port);
  cloudrun_requester_init (&ep->requester, &ep->base.node, &ep->host,
                           &world->ledger, hop,
                           vm ? CLOUDRUN_STATE_START_FROM_INSTANCE
                              : CLOUDRUN_STATE_START_FROM_INTERNET,
                           resolver);
  cloudrun_http_server_init (&ep->http, &ep->host, SIM_MS, 1024,
                             endpoint_served, ep);
  if (!vm)                      /* clients answer https too; VMs 80 only */
    cloudrun_proxy_listen_tls (&ep->http.proxy, SIM_TLS_PORT);
  return ep;
}

void
cloudrun_endpoint_on_premises (CloudRunEndpoint *ep)
{
  ep->kind = "on-premises host";
  ep->requester.start_state = CLOUDRUN_STATE_START_FROM_PRIVATE_NETWORK;
}

void
cloudrun_endpoint_cloud_run (CloudRunEndpoint *ep, CloudRunHopKind hop,
                             const char *kind)
{
  ep->hop = hop;
  ep->kind = kind;
  ep->requester.hop = hop;
  ep->requester.start_state = CLOUDRUN_STATE_START_FROM_CLOUD_RUN_REVISION;
}

static void
endpoint_on_dns (SimHost *host, void *user, const SimFrame *frame,
                 const SimPacket *packet)
{
  CloudRunEndpoint *ep = user;
  SimDnsMessage q;

  if (!sim_dns_parse (frame->payload, frame->payload_len, &q) || q.response)
    return;
  cloudrun_dns_answer (&ep->base, host, ep->dns, &q, frame, packet,
                       sim_explain_internf (
                         sim_world_explain (ep->base.world->sim),
                         "%s %s serves DNS from its network's view",
                         ep->kind, ep->base.node.name));
}

void
cloudrun_endpoint_serve_dns (CloudRunEndpoint *ep, const DnsView *view)
{
  ep->dns = view;
  sim_host_bind_udp (&ep->host, SIM_DNS_PORT, endpoint_on_dns, ep);
}
