/* Tests for the IPv6 side of sim/host.c and sim/host6.c, and IPv6 frames
 * through the capture: a tiny world, a dual-stack client whose eth0 leads
 * to a dual-stack server and whose eth1 leads to a sink, which an IPv6
 * route chooses. UDP over IPv6 reaches the bound port with its addresses,
 * payload and request id, and the answer comes back; a datagram for an
 * address the host lacks is refused. TCP connects over IPv6, carries
 * data in 1440-byte segments both ways and closes; a port without a
 * listener resets.
 * Captured, every frame reads back in tshark with good UDP and TCP
 * checksums and no expert warning, in the per-link pcaps and the pcapng
 * (skipped without tshark). */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/capture.h"
#include "sim/host.h"
#include "sim/link.h"
#include "sim/tcp.h"

#define REQUEST_ID 42u
#define UDP_PORT 9999u  /* no dissector of its own: plain UDP */

typedef struct {
  SimNode node;
  SimHost host;
  uint64_t refused;             /* frames sim_host_receive refused */
  GPtrArray *got;               /* GBytes of UDP payloads, owned */
  SimIp6 last_src, last_dst;
  uint32_t last_request;
  bool answer;                  /* echo each datagram to its sender */
} HostNode;

static void
host_node_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  HostNode *h = (HostNode *) self;

  if (!sim_host_receive (&h->host, port, packet))
    h->refused++;
}

static void
host_node_clear (SimNode *self)
{
  HostNode *h = (HostNode *) self;

  sim_host_clear (&h->host);
  g_ptr_array_unref (h->got);
}

static const SimNodeClass host_node_class = {
  "test-host6", sizeof (HostNode), host_node_receive, NULL, NULL,
  host_node_clear,
};

static void
on_udp (SimHost *host, void *user, const SimFrame *frame,
        const SimPacket *packet)
{
  HostNode *h = user;

  assert_non_null (frame->ip6);
  assert_null (frame->ip);
  h->last_src = sim_frame_src6 (frame);
  h->last_dst = sim_frame_dst6 (frame);
  h->last_request = packet->request_id;
  g_ptr_array_add (h->got, g_bytes_new (frame->payload, frame->payload_len));
  if (h->answer)
    sim_host_send_udp6 (host, &h->last_dst, &h->last_src, frame->dport,
                        frame->sport, (const uint8_t *) "answer", 6,
                        packet->request_id);
}

static SimIp6
ip6 (const char *text)
{
  SimIp6 a;

  assert_true (sim_ipv6_parse (text, &a));
  return a;
}

static HostNode *
host_node_new (SimWorld *world, const char *name, uint32_t addr4,
               const char *addr6, unsigned n_ports)
{
  HostNode *h = (HostNode *) sim_node_new (world, &host_node_class, name);
  SimIp6 a = ip6 (addr6);

  sim_host_init (&h->host, &h->node, addr4,
                 sim_node_add_port (&h->node, "eth0"));
  if (n_ports > 1)
    sim_node_add_port (&h->node, "eth1");
  sim_host_add_address6 (&h->host, &a);
  h->got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  sim_host_bind_udp (&h->host, 0, on_udp, h);
  return h;
}

typedef struct {
  SimWorld *world;
  HostNode *client, *server, *sink;
} Tiny;

static void
tiny_init (Tiny *t)
{
  SimLinkParams lp = { .delay = 100 * SIM_US, .rate_bps = 1000000000 };
  SimIp6 fd00 = ip6 ("fd00::");

  t->world = sim_world_new (1);
  t->client = host_node_new (t->world, "client", 0x0A000001,
                             "2600:2d00:2:2000::2", 2);
  t->server = host_node_new (t->world, "server", 0x0A000002,
                             "2600:2d00:2:2000::9", 1);
  t->sink = host_node_new (t->world, "sink", 0x0A000003, "fd00::1", 1);
  t->server->answer = true;
  sim_link_new (t->world, sim_node_port (&t->client->node, 0),
                sim_node_port (&t->server->node, 0), &lp, "cs");
  sim_link_new (t->world, sim_node_port (&t->client->node, 1),
                sim_node_port (&t->sink->node, 0), &lp, "cz");
  sim_host_add_route6 (&t->client->host, &fd00, 8,
                       sim_node_port (&t->client->node, 1));
}

typedef struct {
  SimHost *host;
  SimIp6 dst;
  const char *payload;
} UdpSend;

static void
udp_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  UdpSend *s = target;

  (void) k; (void) arg; (void) u;
  sim_host_send_udp6 (s->host, NULL, &s->dst, 40000, UDP_PORT,
                      (const uint8_t *) s->payload,
                      (uint32_t) strlen (s->payload), REQUEST_ID);
}

static void
assert_got (const HostNode *h, guint i, const char *text)
{
  GBytes *b;

  assert_true (i < h->got->len);
  b = g_ptr_array_index (h->got, i);
  assert_int_equal (g_bytes_get_size (b), strlen (text));
  assert_memory_equal (g_bytes_get_data (b, NULL), text, strlen (text));
}

/* The server's port gets the datagram, from the client's address, and
 * its answer comes back to the client's source port. */
static void
test_host6__udp_reaches_the_bound_port_and_back (void **state)
{
  Tiny t;
  UdpSend s;
  SimIp6 c = ip6 ("2600:2d00:2:2000::2"), srv = ip6 ("2600:2d00:2:2000::9");

  (void) state;
  tiny_init (&t);
  s = (UdpSend) { &t.client->host, srv, "question" };
  sim_kernel_schedule (sim_world_kernel (t.world), SIM_MS, udp_fire, &s,
                       NULL, 0);
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_int_equal (t.server->got->len, 1);
  assert_got (t.server, 0, "question");
  assert_true (sim_ipv6_equal (&t.server->last_src, &c));
  assert_true (sim_ipv6_equal (&t.server->last_dst, &srv));
  assert_int_equal (t.server->last_request, REQUEST_ID);
  assert_int_equal (t.client->got->len, 1);
  assert_got (t.client, 0, "answer");
  assert_true (sim_ipv6_equal (&t.client->last_src, &srv));
  assert_int_equal (t.sink->got->len, 0);
  sim_world_free (t.world);
}

/* The IPv6 route to fd00::/8 leaves by eth1; everything else by the
 * default port; the source is the first IPv6 address. */
static void
test_host6__routes_choose_the_port (void **state)
{
  Tiny t;
  UdpSend s;
  SimIp6 sink = ip6 ("fd00::1"), far = ip6 ("2001:db8::1"), src;

  (void) state;
  tiny_init (&t);
  assert_ptr_equal (sim_host_route6 (&t.client->host, &sink),
                    sim_node_port (&t.client->node, 1));
  assert_non_null (sim_host_route6_taken (&t.client->host, &sink));
  assert_int_equal (sim_host_route6_taken (&t.client->host, &sink)->len, 8);
  assert_ptr_equal (sim_host_route6 (&t.client->host, &far),
                    sim_node_port (&t.client->node, 0));
  assert_null (sim_host_route6_taken (&t.client->host, &far));
  src = sim_host_source6_for (&t.client->host, &sink);
  assert_true (sim_ipv6_equal (&src, &t.client->host.addrs6[0]));
  s = (UdpSend) { &t.client->host, sink, "to the sink" };
  sim_kernel_schedule (sim_world_kernel (t.world), SIM_MS, udp_fire, &s,
                       NULL, 0);
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_int_equal (t.sink->got->len, 1);
  assert_got (t.sink, 0, "to the sink");
  assert_int_equal (t.server->got->len, 0);
  sim_world_free (t.world);
}

/* A datagram for an address the server does not hold is refused. */
static void
test_host6__refuses_other_addresses (void **state)
{
  Tiny t;
  UdpSend s;

  (void) state;
  tiny_init (&t);
  s = (UdpSend) { &t.client->host, ip6 ("2600:2d00:2:2000::8"), "lost" };
  sim_kernel_schedule (sim_world_kernel (t.world), SIM_MS, udp_fire, &s,
                       NULL, 0);
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_int_equal (t.server->refused, 1);
  assert_int_equal (t.server->got->len, 0);
  assert_int_equal (t.server->host.rx_unmatched, 0);
  sim_world_free (t.world);
}

/* A host with two IPv6 addresses answers both, once each. */
static void
test_host6__second_address (void **state)
{
  Tiny t;
  SimIp6 second = ip6 ("2600:2d00:2:2000::99");

  (void) state;
  tiny_init (&t);
  sim_host_add_address6 (&t.server->host, &second);
  sim_host_add_address6 (&t.server->host, &second);
  assert_int_equal (t.server->host.n_addrs6, 2);
  assert_true (sim_host_has_address6 (&t.server->host, &second));
  assert_false (sim_host_has_address6 (&t.client->host, &second));
  sim_world_free (t.world);
}

/* ---- TCP over IPv6 ---------------------------------------------------- */

#define REQUEST_LEN 3000u       /* three segments: 1440, 1440, 120 */

/* One end of a connection: the client sends REQUEST_LEN bytes once
 * connected; the server answers "ok" and closes when it has them all;
 * the client closes when the server has. */
typedef struct {
  bool server;
  SimTcpConn *conn;
  GByteArray *got;
  uint32_t largest;             /* the largest data() chunk: a segment */
  bool connected, closed;
  SimTcpCloseReason reason;
  SimIp6 local, remote;
  bool ipv6;
} End;

static uint8_t request[REQUEST_LEN];

static void
end_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  End *e = user;

  g_byte_array_append (e->got, data, len);
  e->largest = MAX (e->largest, len);
  if (e->server && e->got->len == REQUEST_LEN)
    {
      sim_tcp_send (conn, (const uint8_t *) "ok", 2);
      sim_tcp_close (conn);
    }
}

static void
end_peer_closed (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tcp_close (conn);
}

static void
end_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  End *e = user;

  (void) conn;
  e->closed = true;
  e->reason = reason;
}

static void
end_opened (End *e, SimTcpConn *conn)
{
  e->conn = conn;
  e->connected = true;
  e->ipv6 = sim_tcp_conn_ipv6 (conn, &e->local, &e->remote);
  if (!e->server)
    sim_tcp_send (conn, request, REQUEST_LEN);
}

static void
end_connected (SimTcpConn *conn, void *user)
{
  end_opened (user, conn);
}

static const SimTcpCallbacks end_callbacks = {
  end_connected, end_data, end_peer_closed, end_closed, NULL, NULL,
};

static void
end_accept (SimTcpConn *conn, void *user)
{
  sim_tcp_conn_set_callbacks (conn, &end_callbacks, user);
  end_opened (user, conn);
}

typedef struct {
  HostNode *client;
  SimIp6 dst;
  uint16_t port;
  End *end;
} Dial;

static void
dial_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Dial *d = target;

  (void) k; (void) arg; (void) u;
  for (uint32_t i = 0; i < REQUEST_LEN; i++)
    request[i] = (uint8_t) (i * 7u + 3u);
  assert_non_null (sim_tcp_connect6 (&d->client->host, 0, NULL, &d->dst,
                                     d->port,
                                     5 * SIM_S, &end_callbacks, d->end,
                                     REQUEST_ID));
}

static void
schedule_dial (Tiny *t, Dial *d, End ends[2], uint16_t port)
{
  ends[0] = (End) { .server = false, .got = g_byte_array_new () };
  ends[1] = (End) { .server = true, .got = g_byte_array_new () };
  sim_tcp_listen (&t->server->host, 80, end_accept, &ends[1]);
  *d = (Dial) { t->client, t->server->host.addrs6[0], port, &ends[0] };
  sim_kernel_schedule (sim_world_kernel (t->world), 2 * SIM_MS, dial_fire, d,
                       NULL, 0);
}

static void
ends_clear (End ends[2])
{
  g_byte_array_free (ends[0].got, TRUE);
  g_byte_array_free (ends[1].got, TRUE);
}

/* A whole exchange over IPv6: handshake, the request in MSS-sized
 * segments (1440 over IPv6), the answer, both FINs. */
static void
test_host6__tcp_connects_and_carries_data (void **state)
{
  SimIp6 c = ip6 ("2600:2d00:2:2000::2"), srv = ip6 ("2600:2d00:2:2000::9");
  End ends[2];
  Dial d;
  Tiny t;

  (void) state;
  tiny_init (&t);
  schedule_dial (&t, &d, ends, 80);
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_true (ends[0].connected);
  assert_true (ends[1].connected);
  assert_true (ends[0].ipv6);
  assert_true (ends[1].ipv6);
  assert_true (sim_ipv6_equal (&ends[0].local, &c));
  assert_true (sim_ipv6_equal (&ends[0].remote, &srv));
  assert_true (sim_ipv6_equal (&ends[1].local, &srv));
  assert_true (sim_ipv6_equal (&ends[1].remote, &c));
  assert_int_equal (ends[1].got->len, REQUEST_LEN);
  assert_memory_equal (ends[1].got->data, request, REQUEST_LEN);
  assert_int_equal (ends[1].largest, SIM_TCP_MSS6);
  assert_int_equal (ends[0].got->len, 2);
  assert_memory_equal (ends[0].got->data, "ok", 2);
  assert_true (ends[0].closed);
  assert_true (ends[1].closed);
  assert_int_equal (ends[0].reason, SIM_TCP_CLOSED_OK);
  assert_int_equal (ends[1].reason, SIM_TCP_CLOSED_OK);
  assert_int_equal (t.server->host.rx_unmatched, 0);
  assert_int_equal (t.client->host.rx_unmatched, 0);
  ends_clear (ends);
  sim_world_free (t.world);
}

/* Connections to two addresses of one host from one client: the server
 * answers each from the address it was asked at. */
typedef struct {
  End ends[2];
  unsigned n;
} Accepted;

static void
accept_next (SimTcpConn *conn, void *user)
{
  Accepted *a = user;
  End *e;

  assert_true (a->n < 2);
  e = &a->ends[a->n++];
  sim_tcp_conn_set_callbacks (conn, &end_callbacks, e);
  end_opened (e, conn);
}

static void
test_host6__tcp_to_two_addresses_of_one_host (void **state)
{
  SimIp6 srv = ip6 ("2600:2d00:2:2000::9");
  SimIp6 srv2 = ip6 ("2600:2d00:2:2000::99");
  Accepted acc = { 0 };
  End clients[2];
  Dial d[2];
  Tiny t;

  (void) state;
  tiny_init (&t);
  sim_host_add_address6 (&t.server->host, &srv2);
  sim_tcp_listen (&t.server->host, 80, accept_next, &acc);
  for (int i = 0; i < 2; i++)
    {
      clients[i] = (End) { .server = false, .got = g_byte_array_new () };
      acc.ends[i] = (End) { .server = true, .got = g_byte_array_new () };
      d[i] = (Dial) { t.client, i ? srv2 : srv, 80, &clients[i] };
      sim_kernel_schedule (sim_world_kernel (t.world),
                           (SimTime) (i + 1) * SIM_MS, dial_fire, &d[i],
                           NULL, 0);
    }
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_int_equal (acc.n, 2);
  for (int i = 0; i < 2; i++)
    {
      assert_int_equal (clients[i].got->len, 2);
      assert_int_equal (clients[i].reason, SIM_TCP_CLOSED_OK);
      assert_true (sim_ipv6_equal (&clients[i].remote, i ? &srv2 : &srv));
      assert_true (sim_ipv6_equal (&acc.ends[i].local, i ? &srv2 : &srv));
      assert_int_equal (acc.ends[i].got->len, REQUEST_LEN);
      g_byte_array_free (clients[i].got, TRUE);
      g_byte_array_free (acc.ends[i].got, TRUE);
    }
  sim_world_free (t.world);
}

/* No listener on the port: the server resets, over IPv6. */
static void
test_host6__tcp_reset_without_listener (void **state)
{
  End ends[2];
  Dial d;
  Tiny t;

  (void) state;
  tiny_init (&t);
  schedule_dial (&t, &d, ends, 81);
  sim_world_run (t.world, SIM_TIME_MAX);
  assert_false (ends[0].connected);
  assert_true (ends[0].closed);
  assert_int_equal (ends[0].reason, SIM_TCP_CLOSED_RESET);
  assert_false (ends[1].connected);
  ends_clear (ends);
  sim_world_free (t.world);
}

/* ---- captured, read by tshark ----------------------------------------- */

static void
rm_rf (const char *path)
{
  GDir *dir;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      && g_file_test (path, G_FILE_TEST_IS_DIR)
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

/* tshark's fields for every frame of file, checksums validated. */
static char *
tshark_fields (const char *tshark, const char *file, const char *filter)
{
  const char *argv[] = { tshark, "-r", file,
                         "-o", "tcp.check_checksum:TRUE",
                         "-o", "udp.check_checksum:TRUE",
                         "-T", "fields", "-e", "ipv6.src",
                         "-e", "udp.checksum.status",
                         "-e", "tcp.checksum.status",
                         filter ? "-Y" : NULL, filter, NULL };
  GError *error = NULL;
  char *out = NULL;
  int status = -1;

  assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                             G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                             NULL, &status, &error));
  assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* Every frame is IPv6 from one of the two hosts with a good checksum:
 * the UDP question and answer, then the connection's segments (at least
 * the handshake, three request segments, the answer and both FINs). */
static void
check_fields (const char *all)
{
  g_auto (GStrv) lines = g_strsplit (all, "\n", -1);
  guint n = g_strv_length (lines);

  assert_true (n >= 2 + 9 + 1);
  assert_string_equal (lines[n - 1], "");
  for (guint i = 0; i + 1 < n; i++)
    {
      const char *want = i < 2 ? "\t1\t" : "\t\t1";
      const char *tab = strchr (lines[i], '\t');

      assert_non_null (tab);
      assert_string_equal (tab, want);
      assert_true (g_str_has_prefix (lines[i], "2600:2d00:2:2000::2\t")
                   || g_str_has_prefix (lines[i], "2600:2d00:2:2000::9\t"));
    }
}

static void
test_host6__capture_reads_clean_in_tshark (void **state)
{
  const char *env = g_getenv ("TSHARK");
  g_autofree char *tshark = env && *env ? g_strdup (env)
                                        : g_find_program_in_path ("tshark");
  static const SimCaptureOptions options = {
    .pcapng = true, .per_link_pcap = true, .synchronous = true,
    .application = "cloudrun-netsim test",
  };
  static const char *files[] = { "trace.pcapng", "pcap/cs.pcap",
                                 "pcap/cz.pcap" };
  GError *error = NULL;
  g_autofree char *dir = NULL;
  SimCapture *capture;
  End ends[2];
  Dial d;
  UdpSend s;
  Tiny t;

  (void) state;
  if (tshark == NULL || !g_file_test (tshark, G_FILE_TEST_IS_EXECUTABLE))
    skip ();
  dir = g_dir_make_tmp ("test-host6-XXXXXX", &error);
  assert_non_null (dir);
  tiny_init (&t);
  s = (UdpSend) { &t.client->host, ip6 ("2600:2d00:2:2000::9"), "q" };
  sim_kernel_schedule (sim_world_kernel (t.world), SIM_MS, udp_fire, &s,
                       NULL, 0);
  schedule_dial (&t, &d, ends, 80);
  capture = sim_capture_open (t.world, dir, &options, &error);
  assert_non_null (capture);
  sim_world_set_tap (t.world, sim_capture_tap (capture));
  sim_world_run (t.world, SIM_TIME_MAX);
  sim_world_set_tap (t.world, NULL);
  assert_true (sim_capture_close (capture, &error));
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *all = NULL, *warnings = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          assert_string_equal (files[i], "pcap/cz.pcap"); /* no frame */
          continue;
        }
      all = tshark_fields (tshark, path, NULL);
      warnings = tshark_fields (tshark, path,
                                "_ws.expert.severity >= warning");
      assert_string_equal (warnings, "");
      check_fields (all);
    }
  assert_true (ends[0].closed && ends[0].reason == SIM_TCP_CLOSED_OK);
  ends_clear (ends);
  sim_world_free (t.world);
  rm_rf (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_host6__udp_reaches_the_bound_port_and_back),
    cmocka_unit_test (test_host6__routes_choose_the_port),
    cmocka_unit_test (test_host6__refuses_other_addresses),
    cmocka_unit_test (test_host6__second_address),
    cmocka_unit_test (test_host6__tcp_connects_and_carries_data),
    cmocka_unit_test (test_host6__tcp_reset_without_listener),
    cmocka_unit_test (test_host6__tcp_to_two_addresses_of_one_host),
    cmocka_unit_test (test_host6__capture_reads_clean_in_tshark),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
