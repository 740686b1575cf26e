/* Tests for the GFE over IPv6 (models/world/gfe.c; docs/networking.md,
 * "Classification over IPv6"): it listens on Google's IPv6 front ends and
 * VIPs, serves a request that came over IPv6 like one over IPv4 (TLS or
 * not, classification from the envelope, ingress, IAM, the backend over
 * IPv4), answers over IPv6 (in the envelope it came in), and classifies
 * one from a VPC by [assumptions] ipv6-internal. Its steps show the IPv6
 * addresses in RFC 5952 text.
 *
 * The world is a scenario's (a service, a network of its project) with a
 * caller of the test's own beside it: a node with one IPv6 address that
 * opens one HTTP connection at the start, linked straight to the GFE (not
 * through the internet router: test-internet6 goes through it) or to a
 * server, its frames bare or in a Geneve envelope of ours as a VPC router
 * sends them. Probes: the
 * ledger (status, classification), the GFE's steps and their text, the
 * captures through tshark (skipped without it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "models/world/endpoint.h"
#include "models/world/gfe.h"
#include "models/world/google.h"
#include "sim/capture.h"
#include "sim/tcp.h"
#include "tests/models/world/world-fixture.h"

/* ---- The IPv6 caller ---------------------------------------------- */

typedef struct {
  SimNode node;
  SimHost host;
  SimPort *port;
  CloudRunWorld *world;
  SimIp6 dst;                   /* where it connects, port 80 */
  const char *host_name;        /* its Host header */
  uint32_t request_id;
  bool wrap;                    /* its frames go in an envelope of ours */
  CloudRunFabricIdentity id;    /* then: the identity it carries */
  uint32_t outer_src, outer_dst;
  GByteArray *rx;               /* what came back */
  uint32_t frames_in;           /* frames it received */
  uint32_t bare_in;             /* of them, not in an envelope */
} Caller6;

static void
caller_connected (SimTcpConn *conn, void *user)
{
  Caller6 *c = user;
  g_autofree char *req = g_strdup_printf ("GET / HTTP/1.1\r\nHost: %s\r\n"
                                          "\r\n", c->host_name);

  sim_tcp_send (conn, (const uint8_t *) req, (uint32_t) strlen (req));
}

static void
caller_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  Caller6 *c = user;

  (void) conn;
  g_byte_array_append (c->rx, data, len);
}

static void
caller_peer_closed (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tcp_close (conn);
}

static void
caller_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  Caller6 *c = user;
  CloudRunRequest *r = cloudrun_ledger_get (&c->world->ledger,
                                            c->request_id);
  int status = 0;

  (void) conn; (void) reason;
  if (r && c->rx->len > 12
      && memcmp (c->rx->data, "HTTP/1.1 ", 9) == 0)
    status = atoi ((const char *) c->rx->data + 9);
  if (r)
    r->status = status;
}

static const SimTcpCallbacks caller_tcp = {
  .connected = caller_connected,
  .data = caller_data,
  .peer_closed = caller_peer_closed,
  .closed = caller_closed,
};

static SimSendResult
caller_output (SimHost *host, void *user, SimPort *port, SimPacket *packet)
{
  Caller6 *c = user;

  (void) host;
  if (c->wrap)
    cloudrun_fabric_wrap (packet, c->outer_src, c->outer_dst, &c->id);
  return sim_port_send (port, packet);
}

static void
caller_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  Caller6 *c = (Caller6 *) self;
  CloudRunFabricFrame ff;

  c->frames_in++;
  if (cloudrun_fabric_open (packet, &ff))
    {
      sim_host_receive_frame (&c->host, port, packet, &ff.inner);
      return;
    }
  c->bare_in++;
  sim_host_receive (&c->host, port, packet);
}

static void
caller_start (SimNode *self)
{
  Caller6 *c = (Caller6 *) self;

  cloudrun_ledger_begin (&c->world->ledger, c->request_id);
  assert_non_null (sim_tcp_connect6 (&c->host, 0, NULL, &c->dst, 80,
                                     10 * SIM_S, &caller_tcp, c,
                                     c->request_id));
}

static void
caller_clear (SimNode *self)
{
  Caller6 *c = (Caller6 *) self;

  sim_host_clear (&c->host);
  g_byte_array_free (c->rx, TRUE);
}

static const SimNodeClass caller_class = {
  .name = "caller6",
  .size = sizeof (Caller6),
  .receive = caller_receive,
  .start = caller_start,
  .clear = caller_clear,
};

#define CALLER6 "2001:db8:1::5"
#define VPC_FABRIC WF_IP (100, 64, 0, 9)

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

static SimIp6
ip6_bytes (const uint8_t b[16])
{
  SimIp6 a;

  memcpy (a.b, b, sizeof a.b);
  return a;
}

/* The GFE's VNI of network NAME. */
static uint32_t
gfe_vni (const CloudRunGfe *gfe, const char *name)
{
  for (guint i = 0; i < gfe->networks->len; i++)
    {
      const CloudRunGfeNetwork *n = &g_array_index (gfe->networks,
                                                    CloudRunGfeNetwork, i);
      if (strcmp (n->name, name) == 0)
        return n->vni;
    }
  fail_msg ("the GFE knows no network %s", name);
  return 0;
}

/* A port of host's node named name, where host sends the /64 of
 * caller. */
static SimPort *
route_back (SimHost *host, const SimIp6 *caller, const char *name)
{
  SimIp6 net = sim_ipv6_masked (caller, 64);
  SimPort *port = sim_node_add_port (host->node, name);

  sim_host_add_route6 (host, &net, 64, port);
  return port;
}

/* A caller from CALLER6 to dst (Host: [service backend]'s run.app host),
 * linked to the GFE: from the internet or, with vpc, over the fabric from
 * network net; or, with server, bare to that host instead. */
static Caller6 *
caller_new (WorldFixture *wf, const SimIp6 *dst, bool vpc, SimHost *server)
{
  CloudRunGfe *gfe = (CloudRunGfe *) world_fixture_node (wf, "gfe");
  CloudRunWorld *w = wf->world;
  Caller6 *c = (Caller6 *) sim_node_new (w->sim, &caller_class, "caller6");
  SimIp6 self = ip6 (CALLER6);
  SimPort *gfe_port;

  c->port = sim_node_add_port (&c->node, "eth0");
  c->world = w;
  c->dst = *dst;
  c->host_name = world_fixture_service (wf, "backend")->hash_host;
  c->request_id = cloudrun_ledger_add_traffic (&w->ledger, 1, "v6");
  c->rx = g_byte_array_new ();
  sim_host_init (&c->host, &c->node, VPC_FABRIC, c->port);
  sim_host_add_address6 (&c->host, &self);
  c->host.output = caller_output;
  c->host.output_user = c;
  if (server)
    gfe_port = route_back (server, &self, "v6");
  else if (vpc)
    {
      c->wrap = true;
      c->id = (CloudRunFabricIdentity) { CLOUDRUN_FABRIC_VPC,
                                         gfe_vni (gfe, "net"),
                                         123456789012u };
      c->outer_src = VPC_FABRIC;
      c->outer_dst = gfe->fabric_addr;
      gfe_port = cloudrun_gfe_add_fabric_port (gfe, "vpc-net6");
    }
  else
    gfe_port = route_back (&gfe->host, &self, "internet6");
  sim_link_new (w->sim, c->port, gfe_port,
                &(SimLinkParams) { 10 * SIM_US, 0, 0, 0 }, NULL);
  return c;
}

/* Runs 5 s of the world; with dir, writes its per-link captures there. */
static void
run (WorldFixture *wf, const char *dir)
{
  SimCaptureOptions o = { .per_link_pcap = true, .synchronous = true };
  SimCapture *capture = NULL;
  g_autoptr (GError) error = NULL;

  if (dir)
    {
      capture = sim_capture_open (wf->world->sim, dir, &o, &error);
      assert_non_null (capture);
      sim_world_set_tap (wf->world->sim, sim_capture_tap (capture));
    }
  sim_world_start (wf->world->sim);
  sim_world_advance (wf->world->sim, 5 * SIM_S);
  if (capture)
    {
      sim_world_set_tap (wf->world->sim, NULL);
      assert_true (sim_capture_close (capture, &error));
    }
}

/* The text of r's first step in state at the GFE (sim_explain_format);
 * free with g_free. Fails when there is none. */
static char *
gfe_step_text (WorldFixture *wf, const CloudRunRequest *r, const char *state)
{
  SimExplainLog *log = sim_world_explain (wf->world->sim);

  for (uint32_t id = r->chain.first; id; id = sim_explain_get (log, id)->next)
    {
      const SimExplainStep *s = sim_explain_get (log, id);
      if (strcmp (s->state, state) == 0 && strcmp (s->node, "gfe") == 0)
        {
          GString *out = g_string_new (NULL);
          sim_explain_format (log, id, out);
          return g_string_free (out, FALSE);
        }
    }
  {
    g_autofree char *steps = world_fixture_steps_text (wf, r);
    print_error ("%s", steps);
  }
  fail_msg ("no %s step at the GFE", state);
  return NULL;
}

static void
expect_in (const char *text, const char *part)
{
  if (!strstr (text, part))
    fail_msg ("no '%s' in '%s'", part, text);
}

#define SCENARIO(ingress) \
  WF_HEAD "[project shop]\nnumber = 123456789012\n\n" \
  "[network net]\nproject = shop\n\n" \
  "[subnet vms]\nnetwork = net\nregion = us-central1\n" \
  "range = 10.1.0.0/24\n\n" \
  "[service backend]\nregion = us-central1\ningress = " ingress "\n"

/* ---- From the internet -------------------------------------------- */

/* An IPv6 client on the internet reaches the run.app front end
 * 2001:4860:4802:32::35: external, served, answered over IPv6 bare; the
 * GFE's step shows both families, the caller's IPv6 pair and the
 * backend's IPv4 one. */
static void
test_gfe6__internet_client_is_served_and_external (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (SCENARIO ("all"), NULL);
  SimIp6 fe = ip6_bytes (cloudrun_run_app_front_ends6[0]);
  Caller6 *c = caller_new (wf, &fe, false, NULL);
  const CloudRunRequest *r;
  g_autofree char *text = NULL;

  (void) state;
  run (wf, NULL);
  r = cloudrun_ledger_get (&wf->world->ledger, c->request_id);
  assert_non_null (r);
  assert_int_equal (r->status, 200);
  assert_int_equal (r->classified, CLOUDRUN_CLASS_EXTERNAL);
  assert_int_equal (r->outcome, CLOUDRUN_VERDICT_DELIVERED);
  assert_true (c->frames_in > 0);
  assert_int_equal (c->bare_in, c->frames_in);
  text = gfe_step_text (wf, r, "PROXY_CONNECTION");
  expect_in (text, "[" CALLER6 " -> 2001:4860:4802:32::35 => 169.254.");
  expect_in (text, "classified external: it arrived from the internet");
}

/* The restricted VIP's IPv6 range is restricted.googleapis.com too, any
 * address of its /56 (the GFE answers the range whole). */
static void
test_gfe6__restricted_vip6_is_restricted (void **state)
{
  static const char *const vips[] = { "2600:2d00:2:1000::",
                                       "2600:2d00:2:10ff::7" };

  (void) state;
  for (unsigned i = 0; i < G_N_ELEMENTS (vips); i++)
    {
      g_autoptr (WorldFixture) wf = world_fixture_load (SCENARIO ("all"),
                                                        NULL);
      SimIp6 vip;
      Caller6 *c;
      const CloudRunRequest *r;
      g_autofree char *text = NULL, *want = NULL;

      assert_true (sim_ipv6_parse (vips[i], &vip));
      c = caller_new (wf, &vip, false, NULL);
      run (wf, NULL);
      r = cloudrun_ledger_get (&wf->world->ledger, c->request_id);
      assert_int_equal (r->status, 200);
      text = gfe_step_text (wf, r, "PROXY_CONNECTION");
      want = g_strdup_printf ("-> %s =>", vips[i]);
      expect_in (text, want);
      expect_in (text, "restricted.googleapis.com serves only");
    }
}

/* ---- From a VPC network, in an envelope ---------------------------- */

/* Tshark finds nothing to warn about in any per-link capture of dir
 * (Geneve with an inner IPv6 frame included); skipped without tshark. */
static void
expect_captures_clean (const char *dir)
{
  const char *env = g_getenv ("TSHARK");
  g_autofree char *tshark = env && *env ? g_strdup (env)
                                        : g_find_program_in_path ("tshark");
  g_autofree char *pcaps = g_build_filename (dir, "pcap", NULL);
  GDir *d;
  const char *name;
  guint n = 0;

  if (tshark == NULL)
    return;
  d = g_dir_open (pcaps, 0, NULL);
  assert_non_null (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *f = g_build_filename (pcaps, name, NULL);
      g_autofree char *out = NULL;
      const char *argv[] = { tshark, "-r", f, "-Y",
                             "_ws.expert.severity >= warning", NULL };
      int status;

      if (!g_str_has_suffix (name, ".pcap"))
        continue;
      assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, NULL));
      assert_true (g_spawn_check_wait_status (status, NULL));
      if (out[0])
        fail_msg ("tshark warns about %s:\n%s", name, out);
      n++;
    }
  g_dir_close (d);
  assert_true (n > 0);
}

static void
rm_rf (const char *path)
{
  GDir *dir;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* A request over IPv6 in the envelope of a network of the service's own
 * project: internal by the IPv4 rules under ipv6-internal = like-ipv4
 * (the default), so ingress = internal admits it; under external it is
 * refused. Either way the answer goes back over IPv6 in the envelope. */
static void
test_gfe6__vpc_request_follows_ipv6_internal (void **state)
{
  static const char *const external[] = {
    "assumptions.ipv6-internal=external", NULL };
  static const struct {
    const char *const *overrides;
    CloudRunClass cls;
    int status;
    const char *gfe_state, *why;
  } cases[] = {
    { NULL, CLOUDRUN_CLASS_INTERNAL, 200, "PROXY_CONNECTION",
      "of project 123456789012, the service's own project; it came over "
      "IPv6 (from " CALLER6 "), which changes nothing: [assumptions] "
      "ipv6-internal = like-ipv4" },
    { external, CLOUDRUN_CLASS_EXTERNAL, 404, "INGRESS_DENIED",
      "classified external: it came over IPv6 (from " CALLER6 "): "
      "[assumptions] ipv6-internal = external" },
  };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (WorldFixture) wf = world_fixture_load (SCENARIO ("internal"),
                                                        cases[i].overrides);
      SimIp6 fe = ip6_bytes (cloudrun_run_app_front_ends6[1]);
      Caller6 *c = caller_new (wf, &fe, true, NULL);
      g_autofree char *dir = g_dir_make_tmp ("test-gfe6-XXXXXX", NULL);
      const CloudRunRequest *r;
      g_autofree char *text = NULL;

      run (wf, dir);
      r = cloudrun_ledger_get (&wf->world->ledger, c->request_id);
      assert_int_equal (r->classified, cases[i].cls);
      assert_int_equal (r->status, cases[i].status);
      assert_true (c->frames_in > 0);
      assert_int_equal (c->bare_in, 0);
      text = gfe_step_text (wf, r, cases[i].gfe_state);
      expect_in (text, "[" CALLER6 " -> 2001:4860:4802:34::35");
      expect_in (text, cases[i].why);
      expect_captures_clean (dir);
      rm_rf (dir);
    }
}

/* ---- Servers take IPv6 callers ------------------------------------- */

/* An internet host's server with an IPv6 address answers a caller over
 * IPv6: it saw the caller's IPv6 source (what source-seen reports), and
 * its DELIVER step shows the address the request was sent to. */
static void
test_gfe6__a_server_sees_an_ipv6_caller (void **state)
{
  g_autoptr (WorldFixture) wf = world_fixture_load (
    SCENARIO ("all") "\n[client alice]\n", NULL);
  CloudRunEndpoint *alice = (CloudRunEndpoint *) world_fixture_node (wf,
                                                                     "alice");
  SimIp6 addr = ip6 ("2001:db8:2::7"), self = ip6 (CALLER6);
  Caller6 *c;
  const CloudRunRequest *r;
  const SimExplainStep *deliver;
  SimExplainLog *log = sim_world_explain (wf->world->sim);
  char text[SIM_IPV6_STRLEN];

  (void) state;
  sim_host_add_address6 (&alice->host, &addr);
  c = caller_new (wf, &addr, false, &alice->host);
  run (wf, NULL);
  r = cloudrun_ledger_get (&wf->world->ledger, c->request_id);
  assert_int_equal (r->status, 200);
  assert_int_equal (r->seen_at, CLOUDRUN_HOP_CLIENT);
  assert_non_null (r->seen_src6);
  assert_true (sim_ipv6_equal (r->seen_src6, &self));
  assert_int_equal (r->seen_src, 0);
  deliver = world_fixture_step (wf, r, "DELIVER", "alice");
  assert_non_null (deliver);
  assert_int_equal (deliver->v6, SIM_EXPLAIN_V6_DST_BEFORE);
  assert_string_equal (sim_explain_addr_text (log, deliver,
                                              deliver->dst_before,
                                              SIM_EXPLAIN_V6_DST_BEFORE,
                                              text), "2001:db8:2::7");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_gfe6__internet_client_is_served_and_external),
    cmocka_unit_test (test_gfe6__restricted_vip6_is_restricted),
    cmocka_unit_test (test_gfe6__vpc_request_follows_ipv6_internal),
    cmocka_unit_test (test_gfe6__a_server_sees_an_ipv6_caller),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
