/* Tests for models/world/requester-dual.c (a dual-stack caller) on tiny
 * worlds: an endpoint "client" on the internet router (IPv4) with a
 * second port "v6" for IPv6, a resolver (a DNS server node answering A
 * and AAAA for site.example, or a probe), a server endpoint "site" on the
 * internet, and behind the client's IPv6 port either site's own IPv6
 * side, a VM endpoint with no https listener (it resets), or a silent
 * probe (a blackhole).
 *
 * Probes: the queries the resolver probe received, the ledger, the
 * CHOOSE_ADDRESS steps, the frames a blackhole probe received. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/dns-server.h"
#include "models/world/endpoint.h"
#include "models/world/internet.h"
#include "sim/dns.h"
#include "tests/models/world/tiny-world.h"

#define CLIENT TW_IP (192, 0, 2, 10)
#define RESOLVER TW_IP (8, 8, 8, 8)
#define SITE TW_IP (203, 0, 113, 10)
#define SITE6 "2001:db8:1::10"

/* What stands behind the client's IPv6 port. */
typedef enum {
  BEHIND_SITE,                  /* site's IPv6 side: it answers */
  BEHIND_RESETTER,              /* a VM with nothing on 443: RST */
  BEHIND_BLACKHOLE,             /* a probe: never answers */
} Behind;

typedef struct {
  TinyWorld *tw;
  DnsView view;
  CloudRunTrafficPlan plan;
  CloudRunEndpoint *client, *site;
  TinyProbe *resolver, *hole;   /* NULL unless asked for */
} DualWorld;

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

/* client6: the client's IPv6 address (NULL: IPv4 only). https: port 443
 * with TLS, else http on 80. */
static DualWorld *
dual_world_at (const char *client6, const char *site6_text, Behind behind,
               bool probe_resolver, bool https, CloudRunAddressSelection sel)
{
  DualWorld *w = g_new0 (DualWorld, 1);
  DnsZone *zone = cloudrun_dns_zone_new ("example", "public DNS");
  CloudRunInternet *net;
  SimIp6 site6 = ip6 (site6_text), any = { { 0 } };
  SimPort *port, *v6;

  w->tw = tiny_world_new (1);
  cloudrun_dns_zone_add_a (zone, "site.example", SITE);
  cloudrun_dns_zone_add_aaaa (zone, "site.example", site6.b);
  g_ptr_array_add (w->tw->world->zones, zone);
  cloudrun_dns_view_init (&w->view);
  cloudrun_dns_view_add (&w->view, zone);
  w->plan = (CloudRunTrafficPlan) {
    .name = "t", .host = "site.example", .port = https ? 443 : 80,
    .tls = https, .path = "/", .method = "GET", .count = 1,
    .interval = 100 * SIM_MS, .timeout = 10 * SIM_S, .first_request = 1,
    .selection = sel,
  };
  net = cloudrun_internet_new (w->tw->world);
  w->client = cloudrun_endpoint_new (w->tw->world, "client",
                                     CLOUDRUN_HOP_CLIENT, "eth0", CLIENT,
                                     RESOLVER);
  cloudrun_requester_add_traffic (&w->client->requester, &w->plan);
  tiny_link (w->tw, w->client->host.default_port,
             cloudrun_internet_attach (net, "client", CLIENT, 32, "client"));
  v6 = sim_node_add_port (&w->client->base.node, "v6");
  if (client6)
    {
      SimIp6 a = ip6 (client6);

      sim_host_add_address6 (&w->client->host, &a);
    }
  sim_host_add_route6 (&w->client->host, &any, 0, v6);
  port = cloudrun_internet_attach (net, "dns", RESOLVER, 32, "resolver");
  if (probe_resolver)
    tiny_link (w->tw, (w->resolver = tiny_probe_new (w->tw, "dns"))->port,
               port);
  else
    tiny_link (w->tw, port,
               sim_node_port (&cloudrun_dns_server_new (
                 w->tw->world, "dns", RESOLVER, &w->view, "eth0")->base.node,
                 0));
  w->site = cloudrun_endpoint_new (w->tw->world, "site", CLOUDRUN_HOP_CLIENT,
                                   "eth0", SITE, RESOLVER);
  tiny_link (w->tw, cloudrun_internet_attach (net, "site", SITE, 32, "site"),
             w->site->host.default_port);
  if (behind == BEHIND_BLACKHOLE)
    tiny_link (w->tw, v6, (w->hole = tiny_probe_new (w->tw, "hole"))->port);
  else
    {
      CloudRunEndpoint *ep = behind == BEHIND_SITE
        ? w->site
        : cloudrun_endpoint_new (w->tw->world, "vm6", CLOUDRUN_HOP_VM,
                                 "eth0", TW_IP (10, 9, 9, 9), RESOLVER);
      SimPort *p = behind == BEHIND_SITE
        ? sim_node_add_port (&ep->base.node, "v6") : ep->host.default_port;

      sim_host_add_address6 (&ep->host, &site6);
      sim_host_add_route6 (&ep->host, &any, 0, p);
      tiny_link (w->tw, v6, p);
    }
  return w;
}

/* The same with site's IPv6 address SITE6. */
static DualWorld *
dual_world (const char *client6, Behind behind, bool probe_resolver,
            bool https, CloudRunAddressSelection sel)
{
  return dual_world_at (client6, SITE6, behind, probe_resolver, https, sel);
}

static void
dual_world_free (DualWorld *w)
{
  tiny_world_free (w->tw);
  cloudrun_dns_view_clear (&w->view);
  g_free (w);
}

/* The qtype of the resolver probe's query i. */
static uint16_t
query_type (DualWorld *w, guint i)
{
  const TinyFrame *f = tiny_probe_frame (w->resolver, i);
  g_autofree SimDnsMessage *m = g_new0 (SimDnsMessage, 1);

  assert_true (sim_dns_parse (f->f.payload, f->f.payload_len, m));
  return m->qtype;
}

static void
test_dual__aaaa_asked_only_with_an_ipv6_address (void **state)
{
  static const char *const hosts[] = { NULL, "fe80::10", "fd20:0:1::10" };

  (void) state;
  for (unsigned h = 0; h < G_N_ELEMENTS (hosts); h++)
    {
      DualWorld *w = dual_world (hosts[h], BEHIND_SITE, true, false,
                                 CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO);
      bool dual = h == 2;

      tiny_world_run (w->tw, 1 * SIM_S);
      /* One try so far: A alone, or A then AAAA (glibc's order). */
      assert_int_equal (tiny_probe_count (w->resolver), dual ? 2 : 1);
      assert_int_equal (query_type (w, 0), SIM_DNS_TYPE_A);
      if (dual)
        assert_int_equal (query_type (w, 1), SIM_DNS_TYPE_AAAA);
      dual_world_free (w);
    }
}

static void
test_dual__happy_eyeballs_asks_aaaa_first (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_SITE, true, false,
                             CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS);

  (void) state;
  tiny_world_run (w->tw, 1 * SIM_S);
  assert_int_equal (tiny_probe_count (w->resolver), 2);
  assert_int_equal (query_type (w, 0), SIM_DNS_TYPE_AAAA);
  assert_int_equal (query_type (w, 1), SIM_DNS_TYPE_A);
  dual_world_free (w);
}

static void
test_dual__ula_host_prefers_ipv4_for_a_global_address (void **state)
{
  DualWorld *w = dual_world ("fd20:0:1::10", BEHIND_SITE, false, false,
                             CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO);
  CloudRunRequest *r;
  const SimExplainStep *s;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->seen_src, CLIENT);        /* over IPv4 */
  s = tiny_step (w->tw, 1, "CHOOSE_ADDRESS", "client");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "203.0.113.10, 2001:db8:1::10"));
  assert_non_null (strstr (s->note, "rule 5"));
  assert_non_null (strstr (s->note, "source fd20:0:1::10 has label 6, "
                                    "destination 2001:db8:1::10 label 1"));
  dual_world_free (w);
}

/* A unique local destination: glibc's table ranks it over IPv4 (40 over
 * 10); happy eyeballs connects on the AAAA answer before A is in (RFC
 * 8305 section 3), whatever RFC 6724's table would say of the order. */
static void
test_dual__ula_destination_by_each_table (void **state)
{
  static const struct {
    CloudRunAddressSelection sel;
    uint32_t seen;              /* the source the site saw: 0 over IPv6 */
    const char *order;
  } cases[] = {
    { CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO, 0,
      "fd20:0:2::10, 203.0.113.10" },
    { CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS, 0,
      "connects: fd20:0:2::10; the A answer came later" },
  };

  (void) state;
  for (unsigned i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DualWorld *w = dual_world_at ("fd20:0:1::10", "fd20:0:2::10",
                                    BEHIND_SITE, false, false, cases[i].sel);
      CloudRunRequest *r;
      const SimExplainStep *s;

      tiny_world_run (w->tw, 30 * SIM_S);
      r = tiny_request (w->tw, 1);
      assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
      assert_int_equal (r->seen_src, cases[i].seen);
      s = tiny_step (w->tw, 1, "CHOOSE_ADDRESS", "client");
      assert_non_null (strstr (s->rule, cases[i].order));
      if (i == 0)
        assert_non_null (strstr (s->note, "rule 6 (higher precedence): "
                                          "fd20:0:2::10 has precedence 40, "
                                          "203.0.113.10 10"));
      dual_world_free (w);
    }
}

static void
test_dual__global_host_prefers_ipv6 (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_SITE, false, false,
                             CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO);
  CloudRunRequest *r;
  const SimExplainStep *s;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->status, 200);
  assert_int_equal (r->seen_src, 0);             /* not over IPv4 */
  s = tiny_step (w->tw, 1, "CHOOSE_ADDRESS", "client");
  assert_non_null (strstr (s->rule, "2001:db8:1::10, 203.0.113.10"));
  assert_non_null (strstr (s->note, "rule 6"));
  assert_int_equal (tiny_count_steps (w->tw, 1, "CHOOSE_ADDRESS", "client"),
                    1);
  assert_non_null (strstr (s->rule, "203.0.113.10; 2001:db8:1::10 "
                                    "connected"));
  /* The step's addresses: the winner's source and address, IPv6. */
  {
    SimExplainLog *log = sim_world_explain (w->tw->world->sim);
    char buf[SIM_IPV6_STRLEN];

    assert_string_equal (sim_explain_addr_text (log, s, s->dst_before,
                                                SIM_EXPLAIN_V6_DST_BEFORE,
                                                buf), SITE6);
    assert_string_equal (sim_explain_addr_text (log, s, s->src_before,
                                                SIM_EXPLAIN_V6_SRC_BEFORE,
                                                buf), "2001:db8::10");
  }
  dual_world_free (w);
}

static void
test_dual__next_address_after_a_reset (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_RESETTER, false, true,
                             CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO);
  const SimExplainStep *s = NULL;
  CloudRunRequest *r;
  bool failed = false, tried4 = false;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->status, 200);
  assert_int_equal (r->seen_src, CLIENT);
  for (uint32_t sid = r->chain.first; sid != 0; sid = s->next)
    {
      s = sim_explain_get (sim_world_explain (w->tw->world->sim), sid);
        if (s->rule && strstr (s->rule, "; 2001:db8:1::10 failed (connection "
                                      "reset); then 203.0.113.10; "
                                      "203.0.113.10 connected"))
        failed = true;
      tried4 |= s->code == CLOUDRUN_STATE_CHOOSE_ADDRESS && s->dst_before == SITE;
    }
  assert_true (failed);
  assert_true (tried4);
  dual_world_free (w);
}

static void
test_dual__happy_eyeballs_ipv4_wins_after_250_ms (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_BLACKHOLE, false, false,
                             CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS);
  const TinyFrame *syn;
  CloudRunRequest *r;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (r->seen_src, CLIENT);
  /* One IPv6 SYN into the hole and no retransmission: the attempt was
   * given up (without a segment, as a socket in SYN-SENT closes) when
   * IPv4, started 250 ms after it, connected. */
  assert_int_equal (tiny_probe_count (w->hole), 1);
  syn = tiny_probe_frame (w->hole, 0);
  assert_non_null (syn->f.ip6);
  assert_true (syn->f.tcp.flags & SIM_TCP_SYN);
  assert_true (r->end - syn->at >= 250 * SIM_MS);
  assert_true (r->end - syn->at < 260 * SIM_MS); /* + 1 ms to serve */
  assert_non_null (strstr (tiny_step (w->tw, 1, "CHOOSE_ADDRESS",
                                      "client")->rule,
                           "2001:db8:1::10; the A answer came later, its "
                           "addresses join the untried; then 203.0.113.10 "
                           "(the earlier attempts have no answer yet; they "
                           "go on); 203.0.113.10 connected, the other "
                           "attempts are reset"));
  dual_world_free (w);
}

/* The probe resolver answers query i (as received) with one record of
 * its type at time at, under the id of query id_of (i itself, or another
 * to stand for two queries whose ids were drawn equal). */
static void
answer_query_as (DualWorld *w, guint i, guint id_of, SimTime at)
{
  const TinyFrame *f = tiny_probe_frame (w->resolver, i);
  const TinyFrame *g = tiny_probe_frame (w->resolver, id_of);
  g_autofree SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  g_autofree SimDnsMessage *other = g_new0 (SimDnsMessage, 1);
  SimIp6 site6 = ip6 (SITE6);
  uint8_t buf[512];
  size_t n;

  assert_true (sim_dns_parse (f->f.payload, f->f.payload_len, m));
  assert_true (sim_dns_parse (g->f.payload, g->f.payload_len, other));
  m->id = other->id;
  m->response = true;
  m->n_answers = 1;
  g_strlcpy (m->answers[0].name, m->qname, sizeof m->answers[0].name);
  m->answers[0].type = m->qtype;
  m->answers[0].ttl = 60;
  m->answers[0].a = SITE;
  memcpy (m->answers[0].aaaa, site6.b, 16);
  n = sim_dns_write (m, buf, sizeof buf);
  assert_true (n > 0);
  tiny_probe_send_udp (w->resolver, at, RESOLVER, SIM_DNS_PORT, CLIENT,
                       f->f.sport, buf, (uint32_t) n, 1);
}

static void
answer_query (DualWorld *w, guint i, SimTime at)
{
  answer_query_as (w, i, i, at);
}

/* An answer is the A answer only if its question asks A: an AAAA answer
 * under the A query's id (their ids drawn equal) does not stand for it. */
static void
test_dual__answers_matched_by_question_too (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_SITE, true, false,
                             CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS);

  (void) state;
  tiny_world_run (w->tw, SIM_MS);
  assert_int_equal (query_type (w, 0), SIM_DNS_TYPE_AAAA);
  assert_int_equal (query_type (w, 1), SIM_DNS_TYPE_A);
  answer_query_as (w, 0, 1, 2 * SIM_MS);   /* AAAA under A's id */
  answer_query (w, 1, 3 * SIM_MS);          /* the A answer */
  answer_query (w, 0, 4 * SIM_MS);          /* the AAAA answer */
  tiny_world_run (w->tw, 30 * SIM_S);
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_DELIVERED);
  assert_non_null (strstr (tiny_step (w->tw, 1, "CHOOSE_ADDRESS",
                                      "client")->rule,
                           "connects: 2001:db8:1::10, 203.0.113.10"));
  dual_world_free (w);
}

/* RFC 8305 section 3: an A answer first waits 50 ms for AAAA; an AAAA
 * answer within them joins the sort (IPv6 first for a global host), one
 * after them finds IPv4 connected already. */
static void
test_dual__happy_eyeballs_resolution_delay (void **state)
{
  static const struct {
    SimTime aaaa_at;
    uint32_t seen;
    const char *order;
  } cases[] = {
    { 30 * SIM_MS, 0, "connects: 2001:db8:1::10, 203.0.113.10; "
                      "2001:db8:1::10 connected" },
    { 80 * SIM_MS, CLIENT, "connects: 203.0.113.10; 203.0.113.10 "
                           "connected" },
  };

  (void) state;
  for (unsigned c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      DualWorld *w = dual_world ("2001:db8::10", BEHIND_SITE, true, false,
                                 CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS);
      CloudRunRequest *r;

      tiny_world_run (w->tw, SIM_MS);
      assert_int_equal (query_type (w, 1), SIM_DNS_TYPE_A);
      answer_query (w, 1, 2 * SIM_MS);             /* A first */
      answer_query (w, 0, cases[c].aaaa_at);
      tiny_world_run (w->tw, 30 * SIM_S);
      r = tiny_request (w->tw, 1);
      assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
      assert_int_equal (r->seen_src, cases[c].seen);
      assert_non_null (strstr (tiny_step (w->tw, 1, "CHOOSE_ADDRESS",
                                          "client")->rule, cases[c].order));
      dual_world_free (w);
    }
}

static void
test_dual__getaddrinfo_waits_on_the_blackhole (void **state)
{
  DualWorld *w = dual_world ("2001:db8::10", BEHIND_BLACKHOLE, false, false,
                             CLOUDRUN_ADDRESS_SELECTION_GETADDRINFO);
  CloudRunRequest *r;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  /* IPv6 first, and its SYNs go unanswered until the request's 10 s. */
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_TIMEOUT);
  assert_true (tiny_probe_count (w->hole) >= 2);
  dual_world_free (w);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_dual__aaaa_asked_only_with_an_ipv6_address),
    cmocka_unit_test (test_dual__happy_eyeballs_asks_aaaa_first),
    cmocka_unit_test (test_dual__ula_host_prefers_ipv4_for_a_global_address),
    cmocka_unit_test (test_dual__ula_destination_by_each_table),
    cmocka_unit_test (test_dual__global_host_prefers_ipv6),
    cmocka_unit_test (test_dual__next_address_after_a_reset),
    cmocka_unit_test (test_dual__answers_matched_by_question_too),
    cmocka_unit_test (test_dual__happy_eyeballs_ipv4_wins_after_250_ms),
    cmocka_unit_test (test_dual__happy_eyeballs_resolution_delay),
    cmocka_unit_test (test_dual__getaddrinfo_waits_on_the_blackhole),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
