/* Tests for models/world/dns-server.c (a resolver answering from one DNS
 * view) on a tiny world: probes "vm" and "other" ask the resolver at
 * 169.254.169.254 with real DNS queries.
 * https://cloud.google.com/dns/docs/vpc-name-res-order
 *
 * Probes: the answers each caller received (id, rcode, addresses, ports),
 * the DNS_ANSWER step, the verdict an NXDOMAIN decides; AAAA answers and
 * NODATA, which decides nothing. */
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
#define VM TW_IP (10, 1, 0, 5)
#define OTHER TW_IP (10, 1, 0, 6)
#define DB TW_IP (10, 1, 0, 9)

/* fd20::9 */
static const uint8_t DB6[16] = { 0xfd, 0x20, [15] = 9 };

typedef struct {
  TinyWorld *tw;
  DnsView view;
  TinyProbe *vm, *other;
} DnsWorld;

static DnsWorld *
dns_world (void)
{
  DnsWorld *w = g_new0 (DnsWorld, 1);
  DnsZone *zone = cloudrun_dns_zone_new ("corp.internal", "private zone corp");
  CloudRunDnsServer *server;

  w->tw = tiny_world_new (4);
  cloudrun_dns_zone_add_a (zone, "db.corp.internal", DB);
  cloudrun_dns_zone_add_cname (zone, "www.corp.internal", "db.corp.internal");
  cloudrun_dns_zone_add_aaaa (zone, "v6.corp.internal", DB6);
  g_ptr_array_add (w->tw->world->zones, zone);
  cloudrun_dns_view_init (&w->view);
  cloudrun_dns_view_add (&w->view, zone);
  server = cloudrun_dns_server_new (w->tw->world, "metadata", RESOLVER,
                                    &w->view, "vm");
  w->vm = tiny_probe_new (w->tw, "vm");
  w->other = tiny_probe_new (w->tw, "other");
  tiny_link (w->tw, w->vm->port, sim_node_port (&server->base.node, 0));
  tiny_link (w->tw, w->other->port,
             cloudrun_dns_server_attach (server, "other", OTHER));
  return w;
}

static void
dns_world_free (DnsWorld *w)
{
  tiny_world_free (w->tw);
  cloudrun_dns_view_clear (&w->view);
  g_free (w);
}

static void
ask_type (TinyProbe *p, SimTime at, uint32_t src, uint16_t sport,
          uint16_t id, const char *name, uint16_t qtype, uint32_t request)
{
  SimDnsMessage q;
  uint8_t buf[512];
  size_t n;

  memset (&q, 0, sizeof q);
  q.id = id;
  q.recursion_desired = true;
  q.qtype = qtype;
  g_strlcpy (q.qname, name, sizeof q.qname);
  n = sim_dns_write (&q, buf, sizeof buf);
  assert_true (n > 0);
  tiny_probe_send_udp (p, at, src, sport, RESOLVER, SIM_DNS_PORT, buf,
                       (uint32_t) n, request);
}

static void
ask (TinyProbe *p, SimTime at, uint32_t src, uint16_t sport, uint16_t id,
     const char *name, uint32_t request)
{
  ask_type (p, at, src, sport, id, name, SIM_DNS_TYPE_A, request);
}

static void
answer_of (const TinyProbe *p, guint i, SimDnsMessage *a)
{
  const TinyFrame *f = tiny_probe_frame (p, i);

  assert_int_equal (f->f.proto, SIM_IPPROTO_UDP);
  assert_int_equal (f->f.sport, SIM_DNS_PORT);
  assert_true (sim_dns_parse (f->f.payload, f->f.payload_len, a));
  assert_true (a->response);
}

static void
test_dns_server__answers_from_its_view (void **state)
{
  DnsWorld *w = dns_world ();
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);
  const TinyFrame *f;
  const SimExplainStep *s;

  (void) state;
  ask (w->vm, 0, VM, 50000, 7, "db.corp.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  f = tiny_probe_frame (w->vm, 0);
  assert_int_equal (f->f.src, RESOLVER);
  assert_int_equal (f->f.dst, VM);
  assert_int_equal (f->f.dport, 50000);
  assert_int_equal (f->request_id, 1);
  answer_of (w->vm, 0, a);
  assert_int_equal (a->id, 7);
  assert_int_equal (a->rcode, SIM_DNS_RCODE_NOERROR);
  assert_string_equal (a->qname, "db.corp.internal");
  assert_int_equal (a->n_answers, 1);
  assert_int_equal (a->answers[0].a, DB);
  s = tiny_step (w->tw, 1, "DNS_ANSWER", "metadata");
  assert_non_null (s);
  assert_string_equal (s->rule,
                       "private zone corp: db.corp.internal -> 10.1.0.9");
  /* An answer decides nothing: the request goes on. */
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_PENDING);
  g_free (a);
  dns_world_free (w);
}

static void
test_dns_server__cname_is_chased (void **state)
{
  DnsWorld *w = dns_world ();
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);

  (void) state;
  ask (w->vm, 0, VM, 50000, 8, "www.corp.internal", 1);
  tiny_world_run (w->tw, SIM_MS);
  answer_of (w->vm, 0, a);
  assert_int_equal (a->n_answers, 2);
  assert_int_equal (a->answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_int_equal (a->answers[1].type, SIM_DNS_TYPE_A);
  assert_int_equal (a->answers[1].a, DB);
  assert_non_null (strstr (tiny_step (w->tw, 1, "DNS_ANSWER", NULL)->rule,
                           "(through CNAME)"));
  g_free (a);
  dns_world_free (w);
}

static void
test_dns_server__nxdomain_decides_dns_failure (void **state)
{
  DnsWorld *w = dns_world ();
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);
  CloudRunRequest *r;

  (void) state;
  ask (w->vm, 0, VM, 50000, 9, "nope.corp.internal", 2);
  tiny_world_run (w->tw, SIM_MS);
  answer_of (w->vm, 0, a);
  assert_int_equal (a->rcode, SIM_DNS_RCODE_NXDOMAIN);
  assert_int_equal (a->n_answers, 0);
  r = tiny_request (w->tw, 2);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DNS_FAILURE);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_DNS);
  assert_string_equal (r->decided_node, "metadata");
  assert_string_equal (tiny_step (w->tw, 2, "DNS_ANSWER", NULL)->rule,
                       "private zone corp: nope.corp.internal NXDOMAIN");
  g_free (a);
  dns_world_free (w);
}

static void
test_dns_server__answers_each_caller_on_its_port (void **state)
{
  DnsWorld *w = dns_world ();
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);

  (void) state;
  ask (w->other, 0, OTHER, 50001, 11, "db.corp.internal", 0);
  ask (w->vm, 0, VM, 50002, 12, "db.corp.internal", 0);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->other), 1);
  assert_int_equal (tiny_probe_count (w->vm), 1);
  answer_of (w->other, 0, a);
  assert_int_equal (a->id, 11);
  assert_int_equal (tiny_probe_frame (w->other, 0)->f.dst, OTHER);
  answer_of (w->vm, 0, a);
  assert_int_equal (a->id, 12);
  g_free (a);
  dns_world_free (w);
}

static void
test_dns_server__ignores_what_is_not_a_query (void **state)
{
  DnsWorld *w = dns_world ();
  static const uint8_t junk[] = { 1, 2, 3 };

  (void) state;
  tiny_probe_send_udp (w->vm, 0, VM, 50000, RESOLVER, SIM_DNS_PORT, junk,
                       sizeof junk, 1);
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 0);
  assert_int_equal (tiny_request (w->tw, 1)->chain.count, 0);
  dns_world_free (w);
}

static void
test_dns_server__aaaa_answer_and_nodata (void **state)
{
  /* v6.corp.internal has an AAAA record, db.corp.internal only an A: the
   * AAAA question of db is NODATA, which fails nothing here (the caller
   * decides what no address means), unlike NXDOMAIN. */
  DnsWorld *w = dns_world ();
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);

  (void) state;
  ask_type (w->vm, 0, VM, 50000, 21, "v6.corp.internal", SIM_DNS_TYPE_AAAA,
            1);
  ask_type (w->vm, SIM_MS, VM, 50001, 22, "db.corp.internal",
            SIM_DNS_TYPE_AAAA, 2);
  ask_type (w->vm, 2 * SIM_MS, VM, 50002, 23, "v6.corp.internal",
            SIM_DNS_TYPE_A, 3);
  tiny_world_run (w->tw, 3 * SIM_MS);
  assert_int_equal (tiny_probe_count (w->vm), 3);
  answer_of (w->vm, 0, a);
  assert_int_equal (a->id, 21);
  assert_int_equal (a->qtype, SIM_DNS_TYPE_AAAA);
  assert_int_equal (a->n_answers, 1);
  assert_int_equal (a->answers[0].type, SIM_DNS_TYPE_AAAA);
  assert_memory_equal (a->answers[0].aaaa, DB6, 16);
  assert_string_equal (tiny_step (w->tw, 1, "DNS_ANSWER", NULL)->rule,
                       "private zone corp: v6.corp.internal AAAA -> fd20::9");
  answer_of (w->vm, 1, a);
  assert_int_equal (a->rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a->n_answers, 0);
  assert_string_equal (tiny_step (w->tw, 2, "DNS_ANSWER", NULL)->rule,
                       "private zone corp: db.corp.internal has no AAAA "
                       "record (NODATA)");
  assert_int_equal (tiny_request (w->tw, 2)->outcome,
                    CLOUDRUN_VERDICT_PENDING);
  /* The A question of the AAAA-only name: NODATA as well. */
  answer_of (w->vm, 2, a);
  assert_int_equal (a->rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (a->n_answers, 0);
  assert_string_equal (tiny_step (w->tw, 3, "DNS_ANSWER", NULL)->rule,
                       "private zone corp: v6.corp.internal has no A record "
                       "(NODATA)");
  assert_int_equal (tiny_request (w->tw, 3)->outcome,
                    CLOUDRUN_VERDICT_PENDING);
  g_free (a);
  dns_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_dns_server__answers_from_its_view),
    cmocka_unit_test (test_dns_server__cname_is_chased),
    cmocka_unit_test (test_dns_server__nxdomain_decides_dns_failure),
    cmocka_unit_test (test_dns_server__answers_each_caller_on_its_port),
    cmocka_unit_test (test_dns_server__ignores_what_is_not_a_query),
    cmocka_unit_test (test_dns_server__aaaa_answer_and_nodata),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
