/* Tests for models/assemble/build-dns.c (Cloud DNS forwarding through
 * the network's router) through small scenarios: an outbound server
 * policy sends a VM's every query to a DNS server VM of the network,
 * which the VPC's ingress rules must let 35.199.192.0/19 reach; an
 * inbound server policy's address is the first free usable address of
 * each subnet.
 * https://cloud.google.com/dns/docs/server-policies-overview,
 * https://cloud.google.com/dns/docs/zones/forwarding-zones
 *
 * AAAA records of zones, response policies and public zones reach the
 * views the resolvers answer from.
 *
 * Probes: the ledger (verdict, deciding node), the steps (the DNS server
 * VM's answer, the router's ingress rule), the views' answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/dns-view.h"
#include "sim/dns.h"
#include "tests/models/world/world-fixture.h"

/* VM client resolves db.corp.example, which only the private zone corp
 * holds, through the outbound server policy's name server ns (a VM of
 * the network); rule: more groups. */
static WorldFixture *
run_outbound (const char *more)
{
  g_autofree char *ini = g_strdup_printf (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm ns]\nsubnet = vms\naddress = 10.1.0.53\ndns-server = true\n\n"
    "[vm db]\nsubnet = vms\naddress = 10.1.0.9\n\n"
    "[vm client]\nsubnet = vms\naddress = 10.1.0.5\n\n"
    "[dns-zone corp]\ndns-name = corp.example.\nnetworks = net\n"
    "records = db.corp.example. A 10.1.0.9\n\n"
    "[dns-server-policy out]\nnetworks = net\n"
    "alternative-name-servers = 10.1.0.53\n\n"
    "[firewall allow-http]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 10.1.0.0/24\nprotocols = tcp:80\n\n"
    "[traffic to-db]\nfrom = client\nurl = http://db.corp.example/\n"
    "count = 1\ntimeout = 5s\n\n%s", more);

  return world_fixture_new (ini, NULL);
}

/* Without an ingress rule for 35.199.192.0/19 the implied deny drops the
 * forwarded query: no answer, SERVFAIL. */
static void
test_build_dns__forwarded_query_needs_an_ingress_rule (void **state)
{
  g_autoptr (WorldFixture) wf = run_outbound ("");
  const CloudRunRequest *r = world_fixture_request (wf, "to-db", 0);
  const SimExplainStep *s;
  (void) state;

  assert_string_equal (world_fixture_verdict (wf, "to-db", 0),
                       "dns-failure");
  s = world_fixture_step (wf, r, "DROP", "vpc-net");
  assert_non_null (s);
  assert_string_equal (s->rule, "implied deny ingress rule");
  assert_null (world_fixture_step (wf, r, "DNS_ANSWER", "ns"));
  s = world_fixture_step (wf, r, "DNS_ANSWER", "metadata-net");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "outbound server policy out: no "
                                    "answer from 10.1.0.53"));
}

/* With one, the name server VM answers from the network's view (the
 * private zone), before which the resolver did not look. */
static void
test_build_dns__outbound_policy_reaches_a_vm_name_server (void **state)
{
  g_autoptr (WorldFixture) wf = run_outbound (
    "[firewall allow-cloud-dns]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 35.199.192.0/19\nprotocols = udp:53\n");
  const CloudRunRequest *r = world_fixture_request (wf, "to-db", 0);
  const SimExplainStep *s;
  (void) state;

  assert_string_equal (world_fixture_verdict (wf, "to-db", 0), "delivered");
  assert_string_equal (world_fixture_request (wf, "to-db", 0)->decided_node,
                       "db");
  s = world_fixture_step (wf, r, "DNS_FORWARD", "metadata-net");
  assert_non_null (s);
  assert_string_equal (s->rule, "outbound server policy out: "
                                "db.corp.example asked of 10.1.0.53 from "
                                "35.199.192.1");
  s = world_fixture_step (wf, r, "APPLY_INGRESS_FIREWALL_RULE", "vpc-net");
  assert_non_null (s);
  assert_non_null (strstr (s->rule, "allow-cloud-dns"));
  assert_non_null (world_fixture_step (wf, r, "DNS_ANSWER", "ns"));
}

/* The inbound address of a subnet is its first usable address nothing
 * else holds: 10.1.0.2 and 10.1.0.3 are VMs', so 10.1.0.4; a site host
 * whose resolver it is gets the network's answer across the link. */
static void
test_build_dns__inbound_address_is_the_first_free (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_new (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm a]\nsubnet = vms\naddress = 10.1.0.2\n\n"
    "[vm b]\nsubnet = vms\naddress = 10.1.0.3\n\n"
    "[network site]\non-premises = true\n\n"
    "[subnet lan]\nnetwork = site\nregion = us-central1\n"
    "range = 192.168.10.0/24\n\n"
    "[vm laptop]\nsubnet = lan\nresolver = 10.1.0.4\n\n"
    "[hybrid-link vpn]\nnetwork = net\nsite = site\nregion = us-central1\n"
    "kind = vpn\n\n"
    "[dns-zone corp]\ndns-name = corp.example.\nnetworks = net\n"
    "records = a.corp.example. A 10.1.0.2\n\n"
    "[dns-server-policy in]\nnetworks = net\ninbound = true\n\n"
    "[firewall allow-site]\nnetwork = net\ndirection = ingress\n"
    "action = allow\nranges = 192.168.10.0/24\nprotocols = tcp:80\n\n"
    "[traffic to-a]\nfrom = laptop\nurl = http://a.corp.example/\n"
    "count = 1\n", NULL);
  const CloudRunRequest *r = world_fixture_request (wf, "to-a", 0);
  const SimExplainStep *s;
  (void) state;

  assert_string_equal (world_fixture_verdict (wf, "to-a", 0), "delivered");
  assert_string_equal (r->decided_node, "a");
  s = world_fixture_step (wf, r, "DNS_ANSWER", "metadata-net");
  assert_non_null (s);
  assert_int_equal (s->dst_before, WF_IP (10, 1, 0, 4));
  assert_non_null (strstr (s->note, "inbound server policy in"));
}

/* The text of the first AAAA answer to an AAAA question of qname in
 * view, or "none" (NODATA; rcode must be NOERROR). */
static const char *
first_aaaa (const DnsView *view, const char *qname, char *text)
{
  g_autofree SimDnsMessage *m = g_new0 (SimDnsMessage, 1);
  DnsSource src;

  cloudrun_dns_view_resolve_source (view, qname, SIM_DNS_TYPE_AAAA, m, &src);
  if (m->rcode != SIM_DNS_RCODE_NOERROR)
    fail_msg ("%s: rcode %u from %s", qname, m->rcode,
              src.zone ? src.zone : "no zone");
  for (uint32_t i = 0; i < m->n_answers; i++)
    if (m->answers[i].type == SIM_DNS_TYPE_AAAA)
      return sim_dns_aaaa_to_string (m->answers[i].aaaa, text);
  return "none";
}

/* [dns-zone] records and [dns-response-policy] rules of type AAAA are
 * answered in the network's view; a public zone's in the public view. */
static void
test_build_dns__aaaa_records_reach_the_views (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (
    WF_HEAD
    "[network net]\n\n"
    "[subnet vms]\nnetwork = net\nregion = us-central1\n"
    "range = 10.1.0.0/24\n\n"
    "[vm a]\nsubnet = vms\naddress = 10.1.0.2\n\n"
    "[dns-zone corp]\ndns-name = corp.example.\nnetworks = net\n"
    "records = db.corp.example. A 10.1.0.9;v4.corp.example. A 10.1.0.4;"
    "db.corp.example. AAAA FD20:0:0:0:0:0:0:9;"
    "www.corp.example. CNAME db.corp.example.\n\n"
    "[dns-zone apis]\ndns-name = googleapis.com.\nnetworks = net\n"
    "records = *.googleapis.com. CNAME private.googleapis.com.;"
    "private.googleapis.com. AAAA 2600:2d00:0002:2000::\n\n"
    "[dns-response-policy org]\nnetworks = net\n"
    "rules = vip.corp.example. AAAA fd20::99\n\n"
    "[dns-zone pub]\ndns-name = example.com.\nvisibility = public\n"
    "records = www.example.com. AAAA 2001:db8::5\n\n"
    "[traffic t]\nfrom = a\nurl = http://db.corp.example/\ncount = 1\n",
    NULL);
  const DnsView *net;
  char text[SIM_DNS_AAAA_STRLEN];
  (void) state;

  assert_int_equal (wf->world->views->len, 1);
  net = g_ptr_array_index (wf->world->views, 0);
  assert_string_equal (first_aaaa (net, "db.corp.example", text), "fd20::9");
  assert_string_equal (first_aaaa (net, "www.corp.example", text), "fd20::9");
  assert_string_equal (first_aaaa (net, "v4.corp.example", text), "none");
  assert_string_equal (first_aaaa (net, "vip.corp.example", text),
                       "fd20::99");
  assert_string_equal (first_aaaa (net, "storage.googleapis.com", text),
                       "2600:2d00:2:2000::");
  assert_string_equal (first_aaaa (&wf->world->public_view,
                                   "www.example.com", text), "2001:db8::5");
  /* Public DNS's own: the run.app front ends. */
  assert_string_equal (first_aaaa (&wf->world->public_view, "x.a.run.app",
                                   text), "2001:4860:4802:32::35");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_build_dns__forwarded_query_needs_an_ingress_rule),
    cmocka_unit_test (test_build_dns__outbound_policy_reaches_a_vm_name_server),
    cmocka_unit_test (test_build_dns__inbound_address_is_the_first_free),
    cmocka_unit_test (test_build_dns__aaaa_records_reach_the_views),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
