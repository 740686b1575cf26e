/* A DNS resolver node answering queries on UDP port 53 from one view
 * (models/world/dns-view.h) with real DNS messages: A and AAAA records,
 * CNAME chains, NODATA for a type a name lacks. The internet's public
 * resolver is one; the metadata server's resolver for VPC callers is
 * another. It records the answer as the request's dns step; an NXDOMAIN
 * decides the request (dns-failure).
 * A network's resolver also forwards: an outbound server policy's
 * alternative name servers get every query, a forwarding zone's targets
 * the names under it; the query leaves through the network's router from
 * 35.199.192.0/19 and the target's answer is relayed to the caller; no
 * answer in CLOUDRUN_DNS_FORWARD_TIMEOUT: SERVFAIL. Queries to an inbound
 * server policy's addresses arrive through the router too.
 * A query over IPv6 (an IPv6-only VM's, to fd20:ce::254) is answered
 * over IPv6 from the view, with DNS64 under a DNS64 server policy: a
 * name with A records and no AAAA gets AAAA records under 64:ff9b::/96
 * (https://cloud.google.com/dns/docs/configure-dns64).
 * https://cloud.google.com/dns/docs/vpc-name-res-order,
 * https://cloud.google.com/dns/docs/zones/forwarding-zones,
 * https://cloud.google.com/dns/docs/server-policies-overview
 * Scenario keys behind it (models/assemble/build-dns.c): [dns-zone]
 * forward-to, [dns-server-policy] alternative-name-servers, inbound and
 * dns64. */
#include "models/world/dns-server.h"

#include <stddef.h>
#include <string.h>

#include "sim/nat64.h"
#include "sim/packet.h"
#include "sim/wire.h"

#define FORWARD_PORT_BASE 40000u  /* slot k sends from port base + k */

static const char forward_page[] =
  "cloud.google.com/dns/docs/zones/forwarding-zones: Cloud DNS sends the "
  "query from 35.199.192.0/19 through the network; the target must have a "
  "route back to that range";

/* The record type's name for explanations: "A", "AAAA", "CNAME", or
 * "type N" (in buf). */
static const char *
dns_type_word (uint16_t type, char *buf, size_t size)
{
  if (type == SIM_DNS_TYPE_A)
    return "A";
  if (type == SIM_DNS_TYPE_AAAA)
    return "AAAA";
  if (type == SIM_DNS_TYPE_CNAME)
    return "CNAME";
  g_snprintf (buf, size, "type %u", type);
  return buf;
}

/* "public DNS: NAME -> ADDR (through CNAME)" for an A question, "...: NAME
 * AAAA -> ADDR6" for another type, "...: NAME NXDOMAIN", or "...: NAME has
 * no AAAA record (NODATA)" when no record of the type asked came. What
 * answered may be a response policy's rule, or a zone reached through a
 * peering zone or after a passthru rule. */
static const char *
dns_server_describe (SimExplainLog *log, const DnsSource *src,
                     const SimDnsMessage *a)
{
  const char *zone = src->zone ? src->zone : "no zone";
  char data[SIM_DNS_NAME_MAX + 1], word[16];
  const char *type = dns_type_word (a->qtype, word, sizeof word);
  bool is_a = a->qtype == SIM_DNS_TYPE_A;

  if (src->peering || src->passthru)
    zone = sim_explain_internf (log, "%s%s%s%s%s", zone,
                                src->peering ? " through " : "",
                                src->peering ? src->peering : "",
                                src->passthru ? " after passthru by " : "",
                                src->passthru ? src->passthru : "");
  if (a->rcode == SIM_DNS_RCODE_NXDOMAIN)
    return sim_explain_internf (log, "%s: %s NXDOMAIN", zone, a->qname);
  if (a->rcode == SIM_DNS_RCODE_SERVFAIL)
    return sim_explain_internf (log, "%s: %s SERVFAIL", zone, a->qname);
  for (uint32_t i = 0; i < a->n_answers; i++)
    {
      const SimDnsRecord *r = &a->answers[i];
      if (r->type != a->qtype)
        continue;
      if (is_a)
        sim_ipv4_to_string (r->a, data);
      else if (r->type == SIM_DNS_TYPE_AAAA)
        sim_dns_aaaa_to_string (r->aaaa, data);
      else
        g_strlcpy (data, r->cname, sizeof data);
      return sim_explain_internf (log, "%s: %s%s%s -> %s%s", zone, a->qname,
                                  is_a ? "" : " ", is_a ? "" : type, data,
                                  i > 0 ? " (through CNAME)" : "");
    }
  return sim_explain_internf (log, "%s: %s has no %s record (NODATA)", zone,
                              a->qname, type);
}

/* The answer a (id, question already set) as node's dns step with rule
 * and note (from src to dst, or over IPv6 src6 to dst6), in a
 * packet of its bytes, not yet with UDP; NULL when it does not fit.
 * NXDOMAIN and SERVFAIL decide the request (dns-failure). */
static SimPacket *
dns_answer_packet (CloudRunNode *node, SimDnsMessage *a, uint32_t src,
                   uint32_t dst, const SimIp6 *src6, const SimIp6 *dst6,
                   uint32_t request, const char *rule, const char *note)
{
  CloudRunWorld *world = node->world;
  CloudRunStep s = { .hop = CLOUDRUN_HOP_DNS,
                     .state = CLOUDRUN_STATE_DNS_ANSWER, .outbound = true,
                     .rule = rule, .note = note, .src = dst, .dst = src,
                     .src6 = dst6, .dst6 = src6 };
  uint8_t buf[1024];
  SimPacket *answer;
  uint32_t step;
  size_t n;

  a->response = true;
  a->recursion_available = true;
  /* The answer's step goes on the answer's frame, not the query's. */
  step = cloudrun_request_step (&world->ledger, request, &node->node, &s);
  if (a->rcode != SIM_DNS_RCODE_NOERROR)
    cloudrun_request_decide (&world->ledger, request,
                             CLOUDRUN_VERDICT_DNS_FAILURE, CLOUDRUN_HOP_DNS,
                             &node->node, CLOUDRUN_DROP_NONE);
  n = sim_dns_write (a, buf, sizeof buf);
  if (n == 0)
    return NULL;
  answer = sim_packet_new (sim_world_pool (world->sim));
  memcpy (sim_packet_append (answer, (uint32_t) n), buf, n);
  answer->request_id = request;
  answer->shown_step = step;
  return answer;
}

/* Sends answer a from src:53 to dst:dport (dns_answer_packet) on port
 * out (NULL: routed). */
static void
dns_send_answer_on (CloudRunNode *node, SimHost *host, SimPort *out,
                    SimDnsMessage *a, uint32_t src, uint32_t dst,
                    uint16_t dport, uint32_t request, const char *rule,
                    const char *note)
{
  SimPacket *answer = dns_answer_packet (node, a, src, dst, NULL, NULL,
                                         request, rule, note);

  if (!answer)
    return;
  sim_udp_push (answer, src, dst, SIM_DNS_PORT, dport);
  sim_host_output_on (host, out ? out : sim_host_route (host, dst), answer,
                      src, dst, SIM_IPPROTO_UDP);
}

static void
dns_send_answer (CloudRunNode *node, SimHost *host, SimDnsMessage *a,
                 uint32_t src, uint32_t dst, uint16_t dport,
                 uint32_t request, const char *rule, const char *note)
{
  dns_send_answer_on (node, host, NULL, a, src, dst, dport, request, rule,
                      note);
}

/* The port an answer from src leaves by: a query to an address of the
 * network (an inbound forwarder's) came through the router and is
 * answered that way; NULL: routed to the caller. */
static SimPort *
dns_server_out (const CloudRunDnsServer *server, uint32_t src)
{
  return server->vpc && src != server->host.addrs[0] ? server->vpc : NULL;
}

/* The header and question of the answer to q. */
static void
dns_answer_init (SimDnsMessage *a, const SimDnsMessage *q)
{
  memset (a, 0, offsetof (SimDnsMessage, answers));  /* 8 KiB: header only */
  a->id = q->id;
  a->recursion_desired = q->recursion_desired;
  g_strlcpy (a->qname, q->qname, sizeof a->qname);
  a->qtype = q->qtype;
}

void
cloudrun_dns_answer (CloudRunNode *node, SimHost *host, const DnsView *view,
                     const SimDnsMessage *q, const SimFrame *frame,
                     const SimPacket *packet, const char *note)
{
  SimDnsMessage a;
  DnsSource zone;

  dns_answer_init (&a, q);      /* then rcode and answers from the view */
  cloudrun_dns_view_resolve_source (view, q->qname, q->qtype, &a, &zone);
  dns_send_answer (node, host, &a, frame->dst, frame->src, frame->sport,
                   packet->request_id,
                   dns_server_describe (sim_world_explain (node->world->sim),
                                        &zone, &a), note);
}

static void
dns_forward_timeout (SimKernel *k, void *target, void *arg, uint64_t slot)
{
  CloudRunDnsServer *server = target;
  CloudRunDnsForward *f = &server->forwards[slot];
  SimExplainLog *log = sim_world_explain (server->base.world->sim);
  SimDnsMessage a;
  char ip[16];

  (void) k; (void) arg;
  if (!f->used)
    return;
  f->used = false;
  memset (&a, 0, offsetof (SimDnsMessage, answers));
  a.id = f->caller_id;
  a.recursion_desired = true;
  a.rcode = SIM_DNS_RCODE_SERVFAIL;
  g_strlcpy (a.qname, f->qname, sizeof a.qname);
  a.qtype = f->qtype;
  dns_send_answer_on (&server->base, &server->host,
                      dns_server_out (server, f->asked), &a, f->asked,
                      f->caller, f->caller_port, f->request,
                      sim_explain_internf (
                        log, "%s: no answer from %s within %u s: %s SERVFAIL",
                        f->label, sim_ipv4_to_string (f->target, ip),
                        (unsigned) (CLOUDRUN_DNS_FORWARD_TIMEOUT / SIM_S),
                        f->qname),
                      forward_page);
}

/* Sends forward f (its slot), the question of q, from the forwarder
 * address to its target through the router, as the request's
 * DNS_FORWARD step. */
static void
dns_forward_send (CloudRunDnsServer *server, CloudRunDnsForward *f,
                  uint32_t slot, const SimDnsMessage *q)
{
  CloudRunWorld *world = server->base.world;
  SimExplainLog *log = sim_world_explain (world->sim);
  char ip[16], from[16];
  CloudRunStep s = {
    .hop = CLOUDRUN_HOP_DNS, .state = CLOUDRUN_STATE_DNS_FORWARD,
    .outbound = true, .src = server->forward_addr, .dst = f->target,
    .rule = sim_explain_internf (log, "%s: %s asked of %s from %s", f->label,
                                 q->qname, sim_ipv4_to_string (f->target, ip),
                                 sim_ipv4_to_string (server->forward_addr,
                                                     from)),
    .note = forward_page,
  };
  SimDnsMessage out;
  uint8_t buf[512];
  SimPacket *p;
  size_t n;

  memset (&out, 0, offsetof (SimDnsMessage, answers));
  out.id = f->id;
  out.recursion_desired = true;
  out.qtype = q->qtype;
  g_strlcpy (out.qname, q->qname, sizeof out.qname);
  n = sim_dns_write (&out, buf, sizeof buf);
  g_assert (n > 0);
  p = sim_packet_new (sim_world_pool (world->sim));
  memcpy (sim_packet_append (p, (uint32_t) n), buf, n);
  sim_udp_push (p, server->forward_addr, f->target,
                (uint16_t) (FORWARD_PORT_BASE + slot), SIM_DNS_PORT);
  p->request_id = f->request;
  p->shown_step = cloudrun_request_step (&world->ledger, f->request,
                                         &server->base.node, &s);
  sim_host_output_on (&server->host, server->vpc, p, server->forward_addr,
                      f->target, SIM_IPPROTO_UDP);
  f->timer = sim_kernel_schedule_in (sim_world_kernel (world->sim),
                                     CLOUDRUN_DNS_FORWARD_TIMEOUT,
                                     dns_forward_timeout, server, NULL, slot);
}

/* Sends q on to target for the caller of frame; label names why. When
 * every slot is taken, the caller gets SERVFAIL at once. */
static void
dns_forward (CloudRunDnsServer *server, const SimDnsMessage *q,
             const SimFrame *frame, const SimPacket *packet, uint32_t target,
             const char *label)
{
  SimExplainLog *log = sim_world_explain (server->base.world->sim);
  CloudRunDnsForward *f;
  uint32_t slot = 0;

  while (slot < CLOUDRUN_DNS_FORWARDS && server->forwards[slot].used)
    slot++;
  if (slot == CLOUDRUN_DNS_FORWARDS)
    {
      SimDnsMessage a;
      dns_answer_init (&a, q);
      a.rcode = SIM_DNS_RCODE_SERVFAIL;
      dns_send_answer_on (&server->base, &server->host,
                          dns_server_out (server, frame->dst), &a,
                          frame->dst, frame->src, frame->sport,
                          packet->request_id,
                          sim_explain_internf (log, "%s: too many queries "
                                               "waiting: %s SERVFAIL", label,
                                               q->qname), NULL);
      return;
    }
  f = &server->forwards[slot];
  *f = (CloudRunDnsForward) {
    .used = true, .id = (uint16_t) (0x5000u + server->next_id++),
    .caller_id = q->id, .caller_port = frame->sport, .caller = frame->src,
    .asked = frame->dst, .target = target, .request = packet->request_id,
    .label = label,
  };
  f->qtype = q->qtype;
  g_strlcpy (f->qname, q->qname, sizeof f->qname);
  dns_forward_send (server, f, slot, q);
}

/* A target's answer to a forwarded query: relayed to the caller. */
static void
dns_server_on_answer (SimHost *host, void *user, const SimFrame *frame,
                      const SimPacket *packet)
{
  CloudRunDnsServer *server = user;
  SimExplainLog *log = sim_world_explain (server->base.world->sim);
  uint32_t slot = (uint32_t) frame->dport - FORWARD_PORT_BASE;
  CloudRunDnsForward *f;
  DnsSource src = { 0 };
  SimDnsMessage a;
  char ip[16];

  (void) packet;
  if (frame->dport < FORWARD_PORT_BASE || slot >= CLOUDRUN_DNS_FORWARDS
      || frame->sport != SIM_DNS_PORT)
    return;
  f = &server->forwards[slot];
  if (!f->used || frame->src != f->target
      || !sim_dns_parse (frame->payload, frame->payload_len, &a)
      || !a.response || a.id != f->id)
    return;
  f->used = false;
  sim_kernel_cancel (sim_world_kernel (server->base.world->sim), &f->timer);
  a.id = f->caller_id;
  src.zone = sim_explain_internf (log, "%s, answered by %s", f->label,
                                  sim_ipv4_to_string (f->target, ip));
  dns_send_answer_on (&server->base, host, dns_server_out (server, f->asked),
                      &a, f->asked, f->caller, f->caller_port, f->request,
                      dns_server_describe (log, &src, &a), forward_page);
}

static const char dns64_page[] =
  "cloud.google.com/dns/docs/configure-dns64: under a DNS64 server policy "
  "a name without AAAA records gets AAAA records made from its A records "
  "under 64:ff9b::/96, for IPv6-only VMs only (here: the query came over "
  "IPv6, as only a VM without IPv4 asks)";

/* DNS64: a is the view's answer to an AAAA question; when the name has
 * no AAAA record but A records, a becomes their AAAA records under
 * 64:ff9b::/96 (RFC 6052; the CNAMEs on the way kept). Returns the rule
 * text, or NULL when nothing was synthesized. */
static const char *
dns64_synthesize (const DnsView *view, SimExplainLog *log, SimDnsMessage *a)
{
  SimDnsMessage four;
  DnsSource zone;
  char six[SIM_IPV6_STRLEN], v4[16];
  uint32_t first = 0;

  if (a->rcode != SIM_DNS_RCODE_NOERROR || a->qtype != SIM_DNS_TYPE_AAAA)
    return NULL;
  for (uint32_t i = 0; i < a->n_answers; i++)
    if (a->answers[i].type == SIM_DNS_TYPE_AAAA)
      return NULL;
  dns_answer_init (&four, a);
  four.qtype = SIM_DNS_TYPE_A;
  cloudrun_dns_view_resolve_source (view, a->qname, SIM_DNS_TYPE_A, &four,
                                    &zone);
  for (uint32_t i = 0; i < four.n_answers && !first; i++)
    if (four.answers[i].type == SIM_DNS_TYPE_A)
      first = four.answers[i].a;
  if (four.rcode != SIM_DNS_RCODE_NOERROR || !first)
    return NULL;
  a->n_answers = four.n_answers;
  for (uint32_t i = 0; i < four.n_answers; i++)
    {
      SimDnsRecord *r = &a->answers[i];
      *r = four.answers[i];
      if (r->type == SIM_DNS_TYPE_A)
        {
          SimIp6 s = sim_nat64_embed (&sim_nat64_well_known_prefix, r->a);
          memcpy (r->aaaa, s.b, sizeof r->aaaa);
          r->type = SIM_DNS_TYPE_AAAA;
        }
    }
  {
    SimIp6 s = sim_nat64_embed (&sim_nat64_well_known_prefix, first);
    return sim_explain_internf (log, "%s: %s has no AAAA: DNS64 synthesizes "
                                "%s from A %s (%s)", view->dns64_label,
                                a->qname, sim_ipv6_to_string (&s, six),
                                sim_ipv4_to_string (first, v4),
                                zone.zone ? zone.zone : "no zone");
  }
}

/* A query over IPv6 (an IPv6-only VM's, to its metadata server's IPv6
 * address): answered from the view, with DNS64 when the network has a
 * DNS64 server policy. Forwarding is not simulated for such queries. */
static void
dns_server_on_query6 (CloudRunDnsServer *server, SimHost *host,
                      const SimFrame *frame, const SimPacket *packet,
                      const SimDnsMessage *q)
{
  SimExplainLog *log = sim_world_explain (server->base.world->sim);
  SimIp6 src = sim_frame_dst6 (frame), dst = sim_frame_src6 (frame);
  const char *rule = NULL, *note = NULL;
  SimPacket *answer;
  SimDnsMessage a;
  DnsSource zone;

  dns_answer_init (&a, q);
  cloudrun_dns_view_resolve_source (server->view, q->qname, q->qtype, &a,
                                    &zone);
  if (server->view->dns64_label)
    rule = dns64_synthesize (server->view, log, &a);
  if (rule)
    note = dns64_page;
  else
    rule = dns_server_describe (log, &zone, &a);
  answer = dns_answer_packet (&server->base, &a, 0, 0, &src, &dst,
                              packet->request_id, rule, note);
  if (!answer)
    return;
  sim_udp6_push (answer, &src, &dst, SIM_DNS_PORT, frame->sport);
  sim_host_output6 (host, answer, &src, &dst, SIM_IPPROTO_UDP);
}

static void
dns_server_on_query (SimHost *host, void *user, const SimFrame *frame,
                     const SimPacket *packet)
{
  CloudRunDnsServer *server = user;
  SimExplainLog *log = sim_world_explain (server->base.world->sim);
  const DnsView *view = server->view;
  const char *note = NULL;
  SimDnsMessage q, a;
  DnsSource zone;

  if (!sim_dns_parse (frame->payload, frame->payload_len, &q) || q.response)
    return;
  if (frame->ip6)
    {
      dns_server_on_query6 (server, host, frame, packet, &q);
      return;
    }
  if (server->inbound_label && frame->dst != host->addrs[0])
    note = sim_explain_internf (log, "%s: a query to the network's inbound "
                                "forwarder address is answered in the "
                                "network's name resolution order "
                                "(cloud.google.com/dns/docs/"
                                "server-policies-overview)",
                                server->inbound_label);
  if (server->vpc && view->alternative && view->alternative->len)
    {
      dns_forward (server, &q, frame, packet,
                   g_array_index (view->alternative, uint32_t, 0),
                   view->alternative_label);
      return;
    }
  dns_answer_init (&a, &q);     /* then rcode and answers from the view */
  cloudrun_dns_view_resolve_source (view, q.qname, q.qtype, &a, &zone);
  if (server->vpc && zone.forward)
    {
      dns_forward (server, &q, frame, packet,
                   g_array_index (zone.forward->forward, uint32_t, 0),
                   zone.forward->label);
      return;
    }
  dns_send_answer_on (&server->base, host, dns_server_out (server, frame->dst),
                      &a, frame->dst, frame->src, frame->sport,
                      packet->request_id, dns_server_describe (log, &zone, &a),
                      note);
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

SimPort *
cloudrun_dns_server_attach6 (CloudRunDnsServer *server, const char *port_name,
                             const SimIp6 *addr, const SimIp6 *caller_addr)
{
  SimPort *port = port_name ? sim_node_add_port (&server->base.node,
                                                 port_name)
                            : server->host.default_port;

  sim_host_add_address6 (&server->host, addr);
  sim_host_add_route6 (&server->host, caller_addr, 128, port);
  return port;
}

void
cloudrun_dns_server_forwarder (CloudRunDnsServer *server, SimPort *port,
                               uint32_t forward_addr)
{
  g_assert (!server->vpc);
  server->vpc = port;
  server->forward_addr = forward_addr;
  sim_host_add_address (&server->host, forward_addr);
  sim_host_bind_udp (&server->host, 0, dns_server_on_answer, server);
}

void
cloudrun_dns_server_add_inbound (CloudRunDnsServer *server, uint32_t addr,
                                 const char *label)
{
  sim_host_add_address (&server->host, addr);
  server->inbound_label = label;
}
