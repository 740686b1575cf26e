/* Tests for the forwarding side of models/world/dns-server.c on a tiny
 * world: a resolver with a private zone corp.internal and a forwarding
 * zone lab.internal (target 10.2.0.53), probe "vm" asking it at
 * 169.254.169.254 and probe "router" on its forwarder port, standing for
 * the network's router: it sees the forwarded queries and sends the
 * targets' answers and the inbound queries.
 * https://cloud.google.com/dns/docs/zones/forwarding-zones,
 * https://cloud.google.com/dns/docs/server-policies-overview,
 * https://cloud.google.com/dns/docs/vpc-name-res-order */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/dns-server.h"
#include "sim/dns.h"
#include "tests/models/world/tiny-world.h"

#define RESOLVER TW_IP (169, 254, 169, 254)
#define FORWARDER TW_IP (35, 199, 192, 1)
#define VM TW_IP (10, 1, 0, 5)
#define DB TW_IP (10, 1, 0, 9)
#define TARGET TW_IP (10, 2, 0, 53)
#define LAB_HOST TW_IP (10, 2, 0, 7)
#define ALT TW_IP (192, 168, 1, 53)
#define INBOUND TW_IP (10, 1, 0, 2)
#define LAPTOP TW_IP (192, 168, 10, 5)

typedef struct {
  TinyWorld *tw;
  DnsView view;
  CloudRunDnsServer *server;
  TinyProbe *vm, *router;
} FwdWorld;

static FwdWorld *
fwd_world (void)
{
  FwdWorld *w = g_new0 (FwdWorld, 1);
  DnsZone *corp = cloudrun_dns_zone_new ("corp.internal", "private zone corp");
  DnsZone *lab = cloudrun_dns_zone_new ("lab.internal",
                                        "forwarding zone lab");
  SimPort *port;

  w->tw = tiny_world_new (4);
  cloudrun_dns_zone_add_a (corp, "db.corp.internal", DB);
  cloudrun_dns_zone_add_cname (corp, "alias.corp.internal",
                               "web.lab.internal");
  cloudrun_dns_zone_add_forward (lab, TARGET);
  g_ptr_array_add (w->tw->world->zones, corp);
  g_ptr_array_add (w->tw->world->zones, lab);
  cloudrun_dns_view_init (&w->view);
  cloudrun_dns_view_add (&w->view, corp);
  cloudrun_dns_view_add (&w->view, lab);
  w->server = cloudrun_dns_server_new (w->tw->world, "metadata", RESOLVER,
                                       &w->view, "vm");
  w->vm = tiny_probe_new (w->tw, "vm");
  w->router = tiny_probe_new (w->tw, "router");
  tiny_link (w->tw, w->vm->port, sim_node_port (&w->server->base.node, 0));
  sim_host_add_route (&w->server->host, VM, 32,
                      sim_node_port (&w->server->base.node, 0));
  port = sim_node_add_port (&w->server->base.node, "router");
  cloudrun_dns_server_forwarder (w->server, port, FORWARDER);
  tiny_link (w->tw, w->router->port, port);
  return w;
}

static void
fwd_world_free (FwdWorld *w)
{
  tiny_world_free (w->tw);
  cloudrun_dns_view_clear (&w->view);
  g_free (w);
}

static void
send_dns (TinyProbe *p, SimTime at, uint32_t src, uint16_t sport,
          uint32_t dst, uint16_t dport, const SimDnsMessage *m,
          uint32_t request)
{
  uint8_t buf[512];
  size_t n = sim_dns_write (m, buf, sizeof buf);

  assert_true (n > 0);
  tiny_probe_send_udp (p, at, src, sport, dst, dport, buf, (uint32_t) n,
                       request);
}

static void
ask_type (TinyProbe *p, SimTime at, uint32_t src, uint32_t dst, uint16_t id,
          const char *name, uint16_t qtype, uint32_t request)
{
  SimDnsMessage *q = g_new0 (SimDnsMessage, 1);

  q->id = id;
  q->recursion_desired = true;
  q->qtype = qtype;
  g_strlcpy (q->qname, name, sizeof q->qname);
  send_dns (p, at, src, 50000, dst, SIM_DNS_PORT, q, request);
  g_free (q);
}

static void
ask (TinyProbe *p, SimTime at, uint32_t src, uint32_t dst, uint16_t id,
     const char *name, uint32_t request)
{
  ask_type (p, at, src, dst, id, name, SIM_DNS_TYPE_A, request);
}

/* Message i the probe received, parsed. */
static void
message_of (const TinyProbe *p, guint i, SimDnsMessage *m)
{
  const TinyFrame *f = tiny_probe_frame (p, i);

  assert_int_equal (f->f.proto, SIM_IPPROTO_UDP);
  assert_true (sim_dns_parse (f->f.payload, f->f.payload_len, m));
}

/* The target answers forwarded query i that the router saw, with one A
 * record addr. */
static void
target_answers (FwdWorld *w, guint i, SimTime at, uint32_t addr)
{
  const TinyFrame *f = tiny_probe_frame (w->router, i);
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);

  message_of (w->router, i, a);
  a->response = true;
  a->recursion_available = true;
  a->n_answers = 1;
  g_strlcpy (a->answers[0].name, a->qname, sizeof a->answers[0].name);
  a->answers[0].type = SIM_DNS_TYPE_A;
  a->answers[0].ttl = 60;
  a->answers[0].a = addr;
  send_dns (w->router, at, f->f.dst, SIM_DNS_PORT, f->f.src, f->f.sport, a,
            f->request_id);
  g_free (a);
}

/* A name under the forwarding zone is asked of its target from
 * 35.199.192.0/19, and the target's answer reaches the caller under the
 * caller's own id and port. */
static void
test_dns_forward__zone_asks_its_target (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;
  const SimExplainStep *s;

  (void) state;
  ask (w->vm, 0, VM, RESOLVER, 7, "web.lab.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 0);
  assert_int_equal (tiny_probe_count (w->router), 1);
  f = tiny_probe_frame (w->router, 0);
  assert_int_equal (f->f.src, FORWARDER);
  assert_int_equal (f->f.dst, TARGET);
  assert_int_equal (f->f.dport, SIM_DNS_PORT);
  assert_int_equal (f->request_id, 1);
  message_of (w->router, 0, m);
  assert_false (m->response);
  assert_string_equal (m->qname, "web.lab.internal");
  s = tiny_step (w->tw, 1, "DNS_FORWARD", "metadata");
  assert_non_null (s);
  assert_string_equal (s->rule, "forwarding zone lab: web.lab.internal "
                                "asked of 10.2.0.53 from 35.199.192.1");
  target_answers (w, 0, 2 * SIM_MS, LAB_HOST);
  tiny_world_run (w->tw, 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  f = tiny_probe_frame (w->vm, 0);
  assert_int_equal (f->f.src, RESOLVER);
  assert_int_equal (f->f.dport, 50000);
  message_of (w->vm, 0, m);
  assert_true (m->response);
  assert_int_equal (m->id, 7);
  assert_int_equal (m->rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (m->n_answers, 1);
  assert_int_equal (m->answers[0].a, LAB_HOST);
  s = tiny_step (w->tw, 1, "DNS_ANSWER", "metadata");
  assert_non_null (s);
  assert_string_equal (s->rule, "forwarding zone lab, answered by "
                                "10.2.0.53: web.lab.internal -> 10.2.0.7");
  /* A name of the private zone is still answered at once. */
  ask (w->vm, 4 * SIM_MS, VM, RESOLVER, 8, "db.corp.internal", 2);
  tiny_world_run (w->tw, 5 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->router), 1);
  message_of (w->vm, 1, m);
  assert_int_equal (m->answers[0].a, DB);
  g_free (m);
  fwd_world_free (w);
}

/* No answer comes back (no route to 35.199.192.0/19 at the target): the
 * caller gets SERVFAIL after the timeout, and the request fails its
 * DNS. */
static void
test_dns_forward__no_answer_is_servfail (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const SimExplainStep *s;

  (void) state;
  ask (w->vm, 0, VM, RESOLVER, 9, "web.lab.internal", 1);
  tiny_world_run (w->tw, CLOUDRUN_DNS_FORWARD_TIMEOUT - SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 0);
  tiny_world_run (w->tw, CLOUDRUN_DNS_FORWARD_TIMEOUT + SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  message_of (w->vm, 0, m);
  assert_int_equal (m->id, 9);
  assert_int_equal (m->rcode, SIM_DNS_RCODE_SERVFAIL);
  assert_int_equal (m->n_answers, 0);
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_DNS_FAILURE);
  s = tiny_step (w->tw, 1, "DNS_ANSWER", "metadata");
  assert_non_null (s);
  assert_string_equal (s->rule, "forwarding zone lab: no answer from "
                                "10.2.0.53 within 1 s: web.lab.internal "
                                "SERVFAIL");
  /* A late answer finds nothing waiting. */
  target_answers (w, 0, CLOUDRUN_DNS_FORWARD_TIMEOUT + 2 * SIM_MS, LAB_HOST);
  tiny_world_run (w->tw, CLOUDRUN_DNS_FORWARD_TIMEOUT + 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  g_free (m);
  fwd_world_free (w);
}

/* An answer from another address than the target, or with another id,
 * is not taken. */
static void
test_dns_forward__only_the_target_answers (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;

  (void) state;
  ask (w->vm, 0, VM, RESOLVER, 9, "web.lab.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  f = tiny_probe_frame (w->router, 0);
  message_of (w->router, 0, m);
  m->response = true;
  send_dns (w->router, 2 * SIM_MS, ALT, SIM_DNS_PORT, f->f.src, f->f.sport,
            m, 1);
  m->id++;
  send_dns (w->router, 2 * SIM_MS, TARGET, SIM_DNS_PORT, f->f.src,
            f->f.sport, m, 1);
  tiny_world_run (w->tw, 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 0);
  g_free (m);
  fwd_world_free (w);
}

/* Only the question itself is forwarded: a CNAME that leads under the
 * forwarding zone gets SERVFAIL at once, and nothing is sent on. */
static void
test_dns_forward__cname_into_the_zone_is_servfail (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);

  (void) state;
  ask (w->vm, 0, VM, RESOLVER, 4, "alias.corp.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->router), 0);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  message_of (w->vm, 0, m);
  assert_int_equal (m->rcode, SIM_DNS_RCODE_SERVFAIL);
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_DNS_FAILURE);
  g_free (m);
  fwd_world_free (w);
}

/* An outbound server policy's alternative name server gets every query
 * first, even a name of a private zone. */
static void
test_dns_forward__outbound_policy_before_private_zones (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;
  uint32_t alt = ALT;

  (void) state;
  w->view.alternative = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  g_array_append_val (w->view.alternative, alt);
  w->view.alternative_label = "outbound server policy p";
  ask (w->vm, 0, VM, RESOLVER, 3, "db.corp.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 0);
  assert_int_equal (tiny_probe_count (w->router), 1);
  f = tiny_probe_frame (w->router, 0);
  assert_int_equal (f->f.dst, ALT);
  assert_int_equal (f->f.src, FORWARDER);
  message_of (w->router, 0, m);
  assert_string_equal (m->qname, "db.corp.internal");
  assert_non_null (tiny_step (w->tw, 1, "DNS_FORWARD", "metadata"));
  target_answers (w, 0, 4 * SIM_MS, LAB_HOST);
  tiny_world_run (w->tw, 5 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  message_of (w->vm, 0, m);
  assert_int_equal (m->id, 3);
  assert_int_equal (m->answers[0].a, LAB_HOST);
  g_free (m);
  fwd_world_free (w);
}

/* A query to an inbound forwarder address, from beyond the router, is
 * answered from the view by that address. */
static void
test_dns_forward__inbound_address_answers (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;
  const SimExplainStep *s;

  (void) state;
  cloudrun_dns_server_add_inbound (w->server, INBOUND,
                                   "inbound server policy p");
  ask (w->router, 0, LAPTOP, INBOUND, 5, "db.corp.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->router), 1);
  f = tiny_probe_frame (w->router, 0);
  assert_int_equal (f->f.src, INBOUND);
  assert_int_equal (f->f.dst, LAPTOP);
  assert_int_equal (f->f.sport, SIM_DNS_PORT);
  message_of (w->router, 0, m);
  assert_true (m->response);
  assert_int_equal (m->id, 5);
  assert_int_equal (m->answers[0].a, DB);
  s = tiny_step (w->tw, 1, "DNS_ANSWER", "metadata");
  assert_non_null (s);
  assert_non_null (strstr (s->note, "inbound server policy p"));
  g_free (m);
  fwd_world_free (w);
}

/* An AAAA question goes to the target as AAAA, and the target's answer
 * (a CNAME, then an AAAA record) reaches the caller unchanged; with no
 * answer, the SERVFAIL still names the AAAA question. */
static void
test_dns_forward__aaaa_goes_through_unchanged (void **state)
{
  FwdWorld *w = fwd_world ();
  SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;
  char text[SIM_DNS_AAAA_STRLEN];

  (void) state;
  ask_type (w->vm, 0, VM, RESOLVER, 7, "web.lab.internal", SIM_DNS_TYPE_AAAA,
            1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->router), 1);
  message_of (w->router, 0, m);
  assert_int_equal (m->qtype, SIM_DNS_TYPE_AAAA);
  /* The target answers: web CNAME www, www AAAA fd20::7. */
  f = tiny_probe_frame (w->router, 0);
  m->response = true;
  m->recursion_available = true;
  m->n_answers = 2;
  g_strlcpy (m->answers[0].name, "web.lab.internal", SIM_DNS_NAME_MAX + 1);
  m->answers[0].type = SIM_DNS_TYPE_CNAME;
  m->answers[0].ttl = 60;
  g_strlcpy (m->answers[0].cname, "www.lab.internal", SIM_DNS_NAME_MAX + 1);
  g_strlcpy (m->answers[1].name, "www.lab.internal", SIM_DNS_NAME_MAX + 1);
  m->answers[1].type = SIM_DNS_TYPE_AAAA;
  m->answers[1].ttl = 60;
  assert_true (sim_dns_aaaa_parse ("fd20::7", m->answers[1].aaaa));
  send_dns (w->router, 2 * SIM_MS, f->f.dst, SIM_DNS_PORT, f->f.src,
            f->f.sport, m, f->request_id);
  tiny_world_run (w->tw, 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  memset (m, 0, sizeof *m);
  message_of (w->vm, 0, m);
  assert_int_equal (m->id, 7);
  assert_int_equal (m->qtype, SIM_DNS_TYPE_AAAA);
  assert_int_equal (m->rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (m->n_answers, 2);
  assert_int_equal (m->answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_string_equal (m->answers[0].cname, "www.lab.internal");
  assert_int_equal (m->answers[1].type, SIM_DNS_TYPE_AAAA);
  assert_string_equal (sim_dns_aaaa_to_string (m->answers[1].aaaa, text),
                       "fd20::7");
  assert_string_equal (tiny_step (w->tw, 1, "DNS_ANSWER", "metadata")->rule,
                       "forwarding zone lab, answered by 10.2.0.53: "
                       "web.lab.internal AAAA -> fd20::7 (through CNAME)");
  /* No answer to the next one: SERVFAIL to the AAAA question. */
  ask_type (w->vm, 4 * SIM_MS, VM, RESOLVER, 8, "web.lab.internal",
            SIM_DNS_TYPE_AAAA, 2);
  tiny_world_run (w->tw, 5 * SIM_MS + CLOUDRUN_DNS_FORWARD_TIMEOUT);
  assert_int_equal (tiny_probe_count (w->vm), 2);
  message_of (w->vm, 1, m);
  assert_int_equal (m->id, 8);
  assert_int_equal (m->rcode, SIM_DNS_RCODE_SERVFAIL);
  assert_int_equal (m->qtype, SIM_DNS_TYPE_AAAA);
  g_free (m);
  fwd_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_dns_forward__zone_asks_its_target),
    cmocka_unit_test (test_dns_forward__no_answer_is_servfail),
    cmocka_unit_test (test_dns_forward__only_the_target_answers),
    cmocka_unit_test (test_dns_forward__cname_into_the_zone_is_servfail),
    cmocka_unit_test (test_dns_forward__outbound_policy_before_private_zones),
    cmocka_unit_test (test_dns_forward__inbound_address_answers),
    cmocka_unit_test (test_dns_forward__aaaa_goes_through_unchanged),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
