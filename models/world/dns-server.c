/* A DNS resolver node answering A queries on UDP port 53 from one view
 * (models/world/dns-view.h) with real DNS messages. The internet's public
 * resolver is one; the metadata server's resolver for VPC callers is
 * another. It records the answer as the request's dns step; an NXDOMAIN
 * decides the request (dns-failure).
 * https://cloud.google.com/dns/docs/vpc-name-res-order */
#include "models/world/dns-server.h"

#include <stddef.h>
#include <string.h>

#include "sim/packet.h"
#include "sim/wire.h"

/* "public DNS: NAME -> ADDR (via CNAME)" or "...: NAME NXDOMAIN"; what
 * answered may be a response policy's rule, or a zone reached through a
 * peering zone or after a passthru rule. */
static const char *
dns_server_describe (CloudRunWorld *world, const DnsSource *src,
                     const SimDnsMessage *a)
{
  SimExplainLog *log = sim_world_explain (world->sim);
  const char *zone = src->zone ? src->zone : "no zone";
  char ip[16];

  if (src->peering || src->passthru)
    zone = sim_explain_internf (log, "%s%s%s%s%s", zone,
                                src->peering ? " through " : "",
                                src->peering ? src->peering : "",
                                src->passthru ? " after passthru by " : "",
                                src->passthru ? src->passthru : "");
  if (a->rcode == SIM_DNS_RCODE_NXDOMAIN)
    return sim_explain_internf (log, "%s: %s NXDOMAIN", zone, a->qname);
  for (uint32_t i = 0; i < a->n_answers; i++)
    if (a->answers[i].type == SIM_DNS_TYPE_A)
      return sim_explain_internf (log, "%s: %s -> %s%s", zone, a->qname,
                                  sim_ipv4_to_string (a->answers[i].a, ip),
                                  i > 0 ? " (through CNAME)" : "");
  return sim_explain_internf (log, "%s: %s has no address", zone, a->qname);
}

static void
dns_server_on_query (SimHost *host, void *user, const SimFrame *frame,
                     const SimPacket *packet)
{
  CloudRunDnsServer *server = user;
  CloudRunWorld *world = server->base.world;
  SimDnsMessage q, a;
  DnsSource zone;
  uint8_t buf[1024];
  size_t n;
  CloudRunStep s = { .hop = CLOUDRUN_HOP_DNS,
                     .state = CLOUDRUN_STATE_DNS_ANSWER, .outbound = true,
                     .src = frame->src, .dst = frame->dst };
  SimPacket *answer;
  uint32_t step;

  if (!sim_dns_parse (frame->payload, frame->payload_len, &q) || q.response)
    return;
  memset (&a, 0, offsetof (SimDnsMessage, answers));  /* 8 KiB: header only */
  cloudrun_dns_view_resolve_source (server->view, q.qname, &a, &zone);
  a.id = q.id;
  a.response = true;
  a.recursion_desired = q.recursion_desired;
  a.recursion_available = true;
  g_strlcpy (a.qname, q.qname, sizeof a.qname);
  a.qtype = q.qtype;
  s.rule = dns_server_describe (world, &zone, &a);
  /* The answer's step goes on the answer's frame, not the query's. */
  step = cloudrun_request_step (&world->ledger, packet->request_id,
                                &server->base.node, &s);
  if (a.rcode == SIM_DNS_RCODE_NXDOMAIN)
    cloudrun_request_decide (&world->ledger, packet->request_id,
                             CLOUDRUN_VERDICT_DNS_FAILURE, CLOUDRUN_HOP_DNS,
                             &server->base.node, CLOUDRUN_DROP_NONE);
  n = sim_dns_write (&a, buf, sizeof buf);
  if (n == 0)
    return;
  answer = sim_packet_new (sim_world_pool (world->sim));
  memcpy (sim_packet_append (answer, (uint32_t) n), buf, n);
  sim_udp_push (answer, frame->dst, frame->src, SIM_DNS_PORT, frame->sport);
  answer->request_id = packet->request_id;
  answer->shown_step = step;
  sim_host_output (host, answer, frame->dst, frame->src, SIM_IPPROTO_UDP);
}

static void
dns_server_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  CloudRunDnsServer *server = (CloudRunDnsServer *) self;

  sim_host_receive (&server->host, port, packet);
}

static void
dns_server_clear (SimNode *self)
{
  sim_host_clear (&((CloudRunDnsServer *) self)->host);
}

static const SimNodeClass dns_server_class = {
  .name = "dns-server",
  .size = sizeof (CloudRunDnsServer),
  .receive = dns_server_receive,
  .clear = dns_server_clear,
};

CloudRunDnsServer *
cloudrun_dns_server_new (CloudRunWorld *world, const char *name,
                         uint32_t addr, const DnsView *view,
                         const char *port_name)
{
  CloudRunDnsServer *server =
    (CloudRunDnsServer *) sim_node_new (world->sim, &dns_server_class, name);
  SimPort *port = sim_node_add_port (&server->base.node, port_name);

  server->base.world = world;
  server->view = view;
  sim_host_init (&server->host, &server->base.node, addr, port);
  sim_host_bind_udp (&server->host, SIM_DNS_PORT, dns_server_on_query, server);
  return server;
}

SimPort *
cloudrun_dns_server_attach (CloudRunDnsServer *server, const char *port_name,
                            uint32_t caller_addr)
{
  SimPort *port = sim_node_add_port (&server->base.node, port_name);

  sim_host_add_route (&server->host, caller_addr, 32, port);
  return port;
}
