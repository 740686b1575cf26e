/* Tests for models/world/requester.c (the HTTP caller) and its host
 * models/world/endpoint.c on tiny worlds: an endpoint "client" on the
 * internet router, a resolver (a DNS server node, or a probe that never
 * answers), and a server endpoint "site" (or a probe that never answers).
 *
 * Probes: the ledger (verdict, status, deciding hop, latency), the steps,
 * the queries and SYNs the probes received. */
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

typedef struct {
  TinyWorld *tw;
  DnsView view;
  CloudRunTrafficPlan plan;
  CloudRunEndpoint *client, *site_server; /* site_server: NULL if probed */
  CloudRunInternet *net;
  TinyProbe *resolver, *site;   /* NULL when a real node stands there */
} CallWorld;

/* client -> internet -> {resolver, site}; a real resolver and site
 * unless asked for probes. host is the plan's URL host. */
static CallWorld *
call_world (const char *host, uint32_t count, bool probe_resolver,
            bool probe_site)
{
  CallWorld *w = g_new0 (CallWorld, 1);
  DnsZone *zone = cloudrun_dns_zone_new ("example", "public DNS");
  SimPort *port;

  w->tw = tiny_world_new (count);
  cloudrun_dns_zone_add_a (zone, "site.example", SITE);
  g_ptr_array_add (w->tw->world->zones, zone);
  cloudrun_dns_view_init (&w->view);
  cloudrun_dns_view_add (&w->view, zone);
  w->plan = (CloudRunTrafficPlan) {
    .name = "t", .host = host, .port = 80, .path = "/", .method = "GET",
    .count = count, .interval = 100 * SIM_MS, .timeout = 10 * SIM_S,
    .first_request = 1,
  };
  sim_ipv4_parse (host, &w->plan.host_addr);
  w->net = cloudrun_internet_new (w->tw->world);
  w->client = cloudrun_endpoint_new (w->tw->world, "client",
                                     CLOUDRUN_HOP_CLIENT, "eth0", CLIENT,
                                     RESOLVER);
  cloudrun_requester_add_traffic (&w->client->requester, &w->plan);
  tiny_link (w->tw, w->client->host.default_port,
             cloudrun_internet_attach (w->net, "client", CLIENT, 32,
                                       "client"));
  port = cloudrun_internet_attach (w->net, "dns", RESOLVER, 32, "resolver");
  if (probe_resolver)
    tiny_link (w->tw, (w->resolver = tiny_probe_new (w->tw, "dns"))->port,
               port);
  else
    tiny_link (w->tw, port,
               sim_node_port (&cloudrun_dns_server_new (
                 w->tw->world, "dns", RESOLVER, &w->view, "eth0")->base.node,
                 0));
  port = cloudrun_internet_attach (w->net, "site", SITE, 32, "site");
  if (probe_site)
    tiny_link (w->tw, (w->site = tiny_probe_new (w->tw, "site"))->port, port);
  else
    tiny_link (w->tw, port,
               (w->site_server = cloudrun_endpoint_new (
                  w->tw->world, "site", CLOUDRUN_HOP_CLIENT, "eth0", SITE,
                  RESOLVER))->host.default_port);
  return w;
}

static void
call_world_free (CallWorld *w)
{
  tiny_world_free (w->tw);
  cloudrun_dns_view_clear (&w->view);
  g_free (w);
}

static void
test_requester__resolves_connects_and_gets_200 (void **state)
{
  CallWorld *w = call_world ("site.example", 2, false, false);

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  for (uint32_t id = 1; id <= 2; id++)
    {
      CloudRunRequest *r = tiny_request (w->tw, id);
      assert_true (r->finished);
      assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
      assert_int_equal (r->status, 200);
      assert_string_equal (r->decided_node, "site");
      /* Paced by the plan's interval. */
      assert_int_equal (r->start, (id - 1) * 100 * SIM_MS);
      assert_true (r->end > r->start);
      assert_non_null (tiny_step (w->tw, id, "START_FROM_INTERNET",
                                  "client"));
      assert_string_equal (tiny_step (w->tw, id, "DNS_ANSWER", "dns")->rule,
                           "public DNS: site.example -> 203.0.113.10");
      assert_non_null (tiny_step (w->tw, id, "DELIVER", "site"));
      assert_null (tiny_step (w->tw, id, "ABORT", NULL));
    }
  call_world_free (w);
}

static void
test_requester__two_dns_tries_then_dns_failure (void **state)
{
  CallWorld *w = call_world ("site.example", 1, true, false);
  CloudRunRequest *r;
  SimDnsMessage *q = g_new0 (SimDnsMessage, 1);
  const SimExplainStep *s;
  SimRng rng;
  uint16_t port, id;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  /* The id and port a stub resolver draws: from the caller's own "dns"
   * stream (seed 1, node "client"), port in Linux's ephemeral range. */
  sim_rng_init (&rng, 1, "client", "dns");
  port = (uint16_t) (32768 + sim_rng_below (&rng, 60999 - 32768 + 1));
  id = (uint16_t) sim_rng_below (&rng, 65536);
  /* The resolver never answers: the caller asks twice, 2 s apart, the
   * same query from the same port (a retransmission, as glibc's stub
   * resolver sends it), then gives up. */
  assert_int_equal (tiny_probe_count (w->resolver), 2);
  for (guint i = 0; i < 2; i++)
    {
      const TinyFrame *f = tiny_probe_frame (w->resolver, i);
      assert_int_equal (f->f.dst, RESOLVER);
      assert_int_equal (f->f.dport, SIM_DNS_PORT);
      assert_int_equal (f->f.sport, port);
      assert_true (sim_dns_parse (f->f.payload, f->f.payload_len, q));
      assert_false (q->response);
      assert_int_equal (q->id, id);
      assert_string_equal (q->qname, "site.example");
    }
  assert_int_equal (tiny_probe_frame (w->resolver, 1)->at
                    - tiny_probe_frame (w->resolver, 0)->at, 2 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DNS_FAILURE);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_CLIENT);
  assert_int_equal (r->end - r->start, 4 * SIM_S);
  s = tiny_step (w->tw, 1, "ABORT", "client");
  assert_non_null (s);
  assert_string_equal (s->rule, "no DNS answer after two tries");
  g_free (q);
  call_world_free (w);
}

/* The site answers (and decides DELIVER) but the caller's timeout ends
 * before the whole response is back: what the caller lived through is
 * the outcome, a timeout decided at the client, status 0. */
static void
test_requester__timeout_after_the_answer_is_a_timeout (void **state)
{
  CallWorld *w = call_world ("site.example", 1, false, false);
  const SimExplainStep *deliver;
  SimTime answered, done;
  CloudRunRequest *r;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  deliver = tiny_step (w->tw, 1, "DELIVER", "site");
  assert_non_null (deliver);
  answered = deliver->time - r->start;
  done = r->end - r->start;
  assert_true (answered < done);
  call_world_free (w);

  w = call_world ("site.example", 1, false, false);
  w->plan.timeout = (answered + done) / 2;
  tiny_world_run (w->tw, 30 * SIM_S);
  r = tiny_request (w->tw, 1);
  assert_non_null (tiny_step (w->tw, 1, "DELIVER", "site"));
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_TIMEOUT);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_CLIENT);
  assert_int_equal (r->status, 0);
  call_world_free (w);
}

static void
test_requester__answer_to_the_second_try_is_used (void **state)
{
  CallWorld *w = call_world ("site.example", 1, true, false);
  SimDnsMessage *a = g_new0 (SimDnsMessage, 1);
  const TinyFrame *retry;
  uint8_t buf[512];
  size_t n;

  (void) state;
  tiny_world_run (w->tw, 2500 * SIM_MS);
  retry = tiny_probe_frame (w->resolver, 1);
  assert_true (sim_dns_parse (retry->f.payload, retry->f.payload_len, a));
  a->response = true;
  a->n_answers = 1;
  g_strlcpy (a->answers[0].name, a->qname, sizeof a->answers[0].name);
  a->answers[0].type = SIM_DNS_TYPE_A;
  a->answers[0].ttl = 60;
  a->answers[0].a = SITE;
  n = sim_dns_write (a, buf, sizeof buf);
  assert_true (n > 0);
  tiny_probe_send_udp (w->resolver, 2700 * SIM_MS, RESOLVER, SIM_DNS_PORT,
                       CLIENT, retry->f.sport, buf, (uint32_t) n, 1);
  /* Before it, an answer to the right port with another id, pointing
   * where nothing listens: a stub resolver ignores it. */
  a->id ^= 0x5a5a;
  a->answers[0].a = RESOLVER;
  n = sim_dns_write (a, buf, sizeof buf);
  tiny_probe_send_udp (w->resolver, 2600 * SIM_MS, RESOLVER, SIM_DNS_PORT,
                       CLIENT, retry->f.sport, buf, (uint32_t) n, 1);
  tiny_world_run (w->tw, 30 * SIM_S);
  assert_int_equal (tiny_probe_count (w->resolver), 2);
  assert_int_equal (tiny_request (w->tw, 1)->outcome,
                    CLOUDRUN_VERDICT_DELIVERED);
  assert_int_equal (tiny_request (w->tw, 1)->status, 200);
  g_free (a);
  call_world_free (w);
}

static void
test_requester__literal_address_skips_dns (void **state)
{
  CallWorld *w = call_world ("203.0.113.10", 1, true, true);
  const TinyFrame *syn;

  (void) state;
  tiny_world_run (w->tw, SIM_S);
  assert_int_equal (tiny_probe_count (w->resolver), 0);
  syn = tiny_probe_frame (w->site, 0);
  assert_int_equal (syn->f.src, CLIENT);
  assert_int_equal (syn->f.dst, SITE);
  assert_int_equal (syn->f.dport, 80);
  assert_int_equal (syn->f.tcp.flags, SIM_TCP_SYN);
  assert_int_equal (syn->request_id, 1);
  call_world_free (w);
}

static void
test_requester__silent_server_times_out (void **state)
{
  CallWorld *w = call_world ("site.example", 1, false, true);
  CloudRunRequest *r;

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  /* SYN retransmitted with back-off until the traffic's timeout. */
  assert_true (tiny_probe_count (w->site) >= 3);
  for (guint i = 0; i < tiny_probe_count (w->site); i++)
    assert_int_equal (tiny_probe_frame (w->site, i)->f.tcp.flags & SIM_TCP_SYN,
                      SIM_TCP_SYN);
  r = tiny_request (w->tw, 1);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_TIMEOUT);
  assert_int_equal (r->decided_at, CLOUDRUN_HOP_CLIENT);
  assert_int_equal (r->status, 0);
  assert_int_equal (r->end - r->start, 10 * SIM_S);
  call_world_free (w);
}

static bool
passed (const CloudRunRequest *r, CloudRunHopKind hop)
{
  for (uint8_t i = 0; i < r->n_via; i++)
    if (r->via[i] == hop)
      return true;
  return false;
}

/* connections = reuse: the first request resolves and connects; the
 * next ones go on its connection (no DNS query, no new connection at the
 * site), passing the path it took; the traffic's end closes it. */
static void
test_requester__reuse_sends_on_the_kept_connection (void **state)
{
  CallWorld *w = call_world ("site.example", 3, false, false);

  (void) state;
  w->plan.reuse = true;
  tiny_world_run (w->tw, 30 * SIM_S);
  for (uint32_t id = 1; id <= 3; id++)
    {
      CloudRunRequest *r = tiny_request (w->tw, id);
      assert_int_equal (r->status, 200);
      assert_true (passed (r, CLOUDRUN_HOP_INTERNET));
      assert_true (passed (r, CLOUDRUN_HOP_DNS) == (id == 1));
      assert_non_null (tiny_step (w->tw, id, "DELIVER", "site"));
      assert_true ((tiny_step (w->tw, id, "DNS_ANSWER", "dns") != NULL)
                   == (id == 1));
      assert_true ((tiny_step (w->tw, id, "REUSE_CONNECTION", "client")
                    != NULL) == (id > 1));
    }
  assert_non_null (strstr (tiny_step (w->tw, 3, "REUSE_CONNECTION",
                                      "client")->rule, "request 1 opened"));
  assert_int_equal (w->site_server->http.proxy.sessions->len, 1);
  assert_int_equal (w->site_server->http.proxy.idle->len, 1);
  assert_true (sim_world_now (w->tw->world->sim) < 2 * SIM_S);
  call_world_free (w);
}

/* The default opens a connection per request. */
static void
test_requester__new_connections_by_default (void **state)
{
  CallWorld *w = call_world ("site.example", 2, false, false);

  (void) state;
  tiny_world_run (w->tw, 30 * SIM_S);
  assert_non_null (tiny_step (w->tw, 2, "DNS_ANSWER", "dns"));
  assert_null (tiny_step (w->tw, 2, "REUSE_CONNECTION", NULL));
  call_world_free (w);
}

/* A kept connection waits 90 s for the next request, then is closed. */
static void
test_requester__kept_connection_idles_out_after_90_s (void **state)
{
  for (int late = 0; late <= 1; late++)
    {
      CallWorld *w = call_world ("site.example", 2, false, false);

      w->plan.reuse = true;
      w->plan.interval = late ? 91 * SIM_S : 89 * SIM_S;
      tiny_world_run (w->tw, 300 * SIM_S);
      assert_int_equal (tiny_request (w->tw, 2)->status, 200);
      assert_true ((tiny_step (w->tw, 2, "REUSE_CONNECTION", "client")
                    != NULL) == !late);
      assert_true ((tiny_step (w->tw, 2, "DNS_ANSWER", "dns") != NULL)
                   == late);
      call_world_free (w);
    }
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_requester__resolves_connects_and_gets_200),
    cmocka_unit_test (test_requester__two_dns_tries_then_dns_failure),
    cmocka_unit_test (test_requester__answer_to_the_second_try_is_used),
    cmocka_unit_test (test_requester__timeout_after_the_answer_is_a_timeout),
    cmocka_unit_test (test_requester__literal_address_skips_dns),
    cmocka_unit_test (test_requester__silent_server_times_out),
    cmocka_unit_test (test_requester__reuse_sends_on_the_kept_connection),
    cmocka_unit_test (test_requester__new_connections_by_default),
    cmocka_unit_test (test_requester__kept_connection_idles_out_after_90_s),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
