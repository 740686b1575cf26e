/* Tests for sim/tls-prf.c and sim/tls.c: the TLS 1.2 PRF against the
 * published SHA-256 vector, HMAC-SHA256 against RFC 4231, record framing
 * and its MAC, and a whole exchange client -- server over TCP: the key
 * log line reaches the tap before the first frame, the ClientHello
 * carries the SNI, application bytes sent in odd chunks arrive whole and
 * in records of at most 16 KiB, and the close is close_notify then FIN;
 * a third party with the key log (as Wireshark) finds the SNI extension
 * well formed and verifies every record's MAC and both Finished messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "sim/host.h"
#include "sim/link.h"
#include "sim/tls.h"
#include "sim/wire.h"
#include "sim/world.h"

#define CLIENT_ADDR 0x0A000001u /* 10.0.0.1 */
#define SERVER_ADDR 0x0A000002u /* 10.0.0.2 */

static void
unhex (const char *hex, uint8_t *out, size_t len)
{
  for (size_t i = 0; i < len; i++)
    {
      char byte[3] = { hex[2 * i], hex[2 * i + 1], 0 };
      out[i] = (uint8_t) g_ascii_strtoull (byte, NULL, 16);
    }
}

/* The TLS 1.2 PRF SHA-256 test vector posted to the IETF TLS list
 * (msg03416) and used by many implementations' tests. */
static void
test_prf__published_sha256_vector (void **state)
{
  static const char want_hex[] =
    "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
    "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
    "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
    "87347b66";
  uint8_t secret[16], seed[16], want[100], out[100];

  (void) state;
  unhex ("9bbe436ba940f017b17652849a71db35", secret, sizeof secret);
  unhex ("a0ba9f936cda311827a6f796ffd5198c", seed, sizeof seed);
  unhex (want_hex, want, sizeof want);
  sim_tls_prf (secret, sizeof secret, "test label", seed, sizeof seed, out,
               sizeof out);
  assert_memory_equal (out, want, sizeof want);
}

/* RFC 4231 test cases 2 (short key) and 6 (a key longer than a block),
 * with one SimTlsHmac reused for both. */
static void
test_hmac__rfc4231 (void **state)
{
  static const char data6[] =
    "Test Using Larger Than Block-Size Key - Hash Key First";
  uint8_t key6[131], want[32], out[32];
  SimTlsHmac h = { 0 };

  (void) state;
  sim_tls_hmac_init (&h, (const uint8_t *) "Jefe", 4);
  sim_tls_hmac_begin (&h);
  sim_tls_hmac_update (&h, (const uint8_t *) "what do ya want ", 16);
  sim_tls_hmac_update (&h, (const uint8_t *) "for nothing?", 12);
  sim_tls_hmac_end (&h, out);
  unhex ("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         want, sizeof want);
  assert_memory_equal (out, want, sizeof want);

  memset (key6, 0xaa, sizeof key6);
  sim_tls_hmac_init (&h, key6, sizeof key6);
  sim_tls_hmac_begin (&h);
  sim_tls_hmac_update (&h, (const uint8_t *) data6, strlen (data6));
  sim_tls_hmac_end (&h, out);
  unhex ("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         want, sizeof want);
  assert_memory_equal (out, want, sizeof want);
  sim_tls_hmac_clear (&h);
}

/* A record: type, version 3,3, length (fragment + MAC), fragment, then
 * HMAC-SHA256 (key, seq_num | type | version | length | fragment), the
 * length in the MAC being the fragment's; checked with glib's GHmac. */
static void
test_record__framing_and_mac (void **state)
{
  static const uint8_t frag[] = "GET / HTTP/1.1\r\n\r\n";
  static const uint8_t mac_in_head[13] = {
    0, 0, 0, 0, 0, 0, 1, 2,     /* seq 258 */
    23, 3, 3, 0, sizeof frag,
  };
  uint8_t key[32], out[5 + sizeof frag + 32], want[32];
  gsize want_len = sizeof want;
  SimTlsHmac h = { 0 };
  GHmac *ref;

  (void) state;
  assert_int_equal (sim_tls_record_seal (NULL, 0, SIM_TLS_HANDSHAKE, frag,
                                         sizeof frag, out), 5 + sizeof frag);
  assert_int_equal (out[0], 22);
  assert_int_equal (out[1], 3);
  assert_int_equal (out[2], 3);
  assert_int_equal (out[3] << 8 | out[4], sizeof frag);
  assert_memory_equal (out + 5, frag, sizeof frag);

  for (size_t i = 0; i < sizeof key; i++)
    key[i] = (uint8_t) (i * 7 + 1);
  sim_tls_hmac_init (&h, key, sizeof key);
  assert_int_equal (sim_tls_record_seal (&h, 258, SIM_TLS_APPLICATION_DATA,
                                         frag, sizeof frag, out),
                    sizeof out);
  assert_int_equal (out[0], 23);
  assert_int_equal (out[3] << 8 | out[4], sizeof frag + 32);
  assert_memory_equal (out + 5, frag, sizeof frag);
  ref = g_hmac_new (G_CHECKSUM_SHA256, key, sizeof key);
  g_hmac_update (ref, mac_in_head, sizeof mac_in_head);
  g_hmac_update (ref, frag, sizeof frag);
  g_hmac_get_digest (ref, want, &want_len);
  g_hmac_unref (ref);
  assert_memory_equal (out + 5 + sizeof frag, want, sizeof want);
  sim_tls_hmac_clear (&h);
}

/* ---- a whole exchange ------------------------------------------------- */

typedef struct {
  SimNode node;
  SimHost host;
} HostNode;

static void
host_node_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  HostNode *h = (HostNode *) self;

  assert_true (sim_host_receive (&h->host, port, packet));
}

static void
host_node_clear (SimNode *self)
{
  sim_host_clear (&((HostNode *) self)->host);
}

static const SimNodeClass host_node_class = {
  "test-host", sizeof (HostNode), host_node_receive, NULL, NULL,
  host_node_clear,
};

static HostNode *
host_node_new (SimWorld *world, const char *name, uint32_t addr)
{
  HostNode *h = (HostNode *) sim_node_new (world, &host_node_class, name);

  sim_host_init (&h->host, &h->node, addr,
                 sim_node_add_port (&h->node, "eth0"));
  return h;
}

/* The tap keeps the TCP payload of each direction and the secrets. */
typedef struct {
  SimTap tap;
  GByteArray *stream[2];        /* 0: to the server */
  guint frames;
  guint frames_before_secret;   /* frames seen when the secret came */
  GString *keylog;
} Watch;

static void
watch_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  Watch *w = (Watch *) tap;
  SimFrame f;

  (void) t;
  w->frames++;
  assert_true (sim_frame_parse (packet->data, packet->len, &f));
  g_byte_array_append (w->stream[strcmp (rx->node->name, "client") == 0],
                       f.payload, f.payload_len);
}

static void
watch_handled (SimTap *tap, SimPort *rx, SimTime t, const uint32_t *steps,
               uint32_t n)
{
  (void) tap; (void) rx; (void) t; (void) steps; (void) n;
}

static void
watch_secrets (SimTap *tap, const char *line)
{
  Watch *w = (Watch *) tap;

  w->frames_before_secret = w->frames;
  g_string_append (w->keylog, line);
}

static const SimTapClass watch_class = {
  .arrived = watch_arrived, .handled = watch_handled,
  .secrets = watch_secrets,
};

typedef struct {
  SimTls *tls;
  GByteArray *got;
  bool is_server;
  bool connected, peer_closed, closed;
  SimTcpCloseReason reason;
} App;

static void
app_connected (SimTcpConn *conn, void *user)
{
  App *app = user;
  uint8_t big[40000];
  static const uint32_t chunks[] = { 1, 7, 16385, 20000 };
  uint32_t at = 0;

  (void) conn;
  app->connected = true;
  if (app->is_server)
    return;
  for (uint32_t i = 0; i < sizeof big; i++)
    big[i] = (uint8_t) (i * 13);
  for (size_t c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      uint32_t n = MIN (chunks[c], (uint32_t) sizeof big - at);
      sim_tls_send (app->tls, big + at, n);
      at += n;
    }
  sim_tls_send (app->tls, big + at, (uint32_t) sizeof big - at);
}

static void
app_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  App *app = user;

  (void) conn;
  g_byte_array_append (app->got, data, len);
  if (app->got->len == 40000)   /* the server got the whole request */
    {
      sim_tls_send (app->tls, (const uint8_t *) "ok", 2);
      sim_tls_close (app->tls);
    }
}

static void
app_peer_closed (SimTcpConn *conn, void *user)
{
  App *app = user;

  (void) conn;
  app->peer_closed = true;
  sim_tls_close (app->tls);
}

static void
app_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  App *app = user;

  (void) conn;
  app->closed = true;
  app->reason = reason;
}

static const SimTcpCallbacks app_callbacks = {
  .connected = app_connected, .data = app_data,
  .peer_closed = app_peer_closed, .closed = app_closed,
};

static App server_app;
static SimRng server_rng;

static void
server_accept (SimTcpConn *conn, void *user)
{
  (void) user;
  sim_tls_accept (server_app.tls, conn, &server_rng, &app_callbacks,
                  &server_app);
}

static bool
contains (const GByteArray *s, const char *text)
{
  size_t n = strlen (text);

  for (guint i = 0; i + n <= s->len; i++)
    if (memcmp (s->data + i, text, n) == 0)
      return true;
  return false;
}

/* Record types of a TCP byte stream, in order, as a string ("22 22 ..."),
 * each record's fragment length checked against the 16 KiB + MAC limit. */
static char *
record_types (const GByteArray *s)
{
  GString *out = g_string_new (NULL);

  for (guint at = 0; at + 5 <= s->len;)
    {
      uint32_t n = (uint32_t) s->data[at + 3] << 8 | s->data[at + 4];

      assert_true (n <= SIM_TLS_RECORD_MAX + 32);
      g_string_append_printf (out, "%s%u", out->len ? " " : "",
                              s->data[at]);
      at += 5 + n;
    }
  return g_string_free (out, FALSE);
}

/* ---- what a third party reads with the key log ------------------------ */

/* One record of a TCP byte stream. */
typedef struct {
  uint8_t type;
  const uint8_t *fragment;      /* MAC included when protected */
  uint32_t len;
} Record;

static guint
split_records (const GByteArray *s, Record *out, guint max)
{
  guint n = 0;

  for (guint at = 0; at + 5 <= s->len && n < max;)
    {
      uint32_t len = (uint32_t) s->data[at + 3] << 8 | s->data[at + 4];

      assert_true (at + 5 + len <= s->len);
      out[n++] = (Record) { s->data[at], s->data + at + 5, len };
      at += 5 + len;
    }
  return n;
}

static uint32_t
be16 (const uint8_t *p)
{
  return (uint32_t) p[0] << 8 | p[1];
}

/* The ClientHello's server_name extension, field by field (RFC 6066
 * section 3): the lengths must nest exactly, or Wireshark finds no name. */
static void
check_client_hello_sni (const Record *r, const char *sni)
{
  const uint8_t *m = r->fragment, *b = m + 4, *ext;
  uint32_t body = (uint32_t) m[1] << 16 | be16 (m + 2), at;
  uint32_t n = (uint32_t) strlen (sni);

  assert_int_equal (m[0], 1);
  assert_int_equal (body + 4, r->len);
  at = 2 + 32;                          /* version, random */
  at += 1 + b[at];                      /* session id */
  at += 2 + be16 (b + at);              /* cipher suites */
  at += 1 + b[at];                      /* compression methods */
  assert_int_equal (be16 (b + at), body - at - 2);      /* extensions */
  ext = b + at + 2;
  assert_int_equal (be16 (ext), 0);                     /* server_name */
  assert_int_equal (be16 (ext + 2), body - at - 2 - 4);
  assert_int_equal (be16 (ext + 4), be16 (ext + 2) - 2);        /* list */
  assert_int_equal (ext[6], 0);                         /* host_name */
  assert_int_equal (be16 (ext + 7), n);
  assert_int_equal (be16 (ext + 4), 3 + n);
  assert_memory_equal (ext + 9, sni, n);
}

/* Every protected record of one direction carries HMAC-SHA256 (key,
 * seq | type | 3,3 | length | fragment), seq counting from 0 after its
 * ChangeCipherSpec; glib's GHmac checks it. Returns the records seen. */
static guint
check_record_macs (const Record *rec, guint n, const uint8_t key[32])
{
  bool protected = false;
  uint64_t seq = 0;
  guint checked = 0;

  for (guint i = 0; i < n; i++)
    {
      uint8_t head[13], want[32];
      gsize want_len = sizeof want;
      uint32_t len;
      GHmac *h;

      if (!protected)
        {
          protected = rec[i].type == SIM_TLS_CHANGE_CIPHER_SPEC;
          continue;
        }
      assert_true (rec[i].len >= 32);
      len = rec[i].len - 32;
      for (int k = 0; k < 8; k++)
        head[k] = (uint8_t) (seq >> (56 - 8 * k));
      head[8] = rec[i].type;
      head[9] = 3;
      head[10] = 3;
      head[11] = (uint8_t) (len >> 8);
      head[12] = (uint8_t) len;
      h = g_hmac_new (G_CHECKSUM_SHA256, key, 32);
      g_hmac_update (h, head, sizeof head);
      g_hmac_update (h, rec[i].fragment, len);
      g_hmac_get_digest (h, want, &want_len);
      g_hmac_unref (h);
      assert_memory_equal (rec[i].fragment + len, want, sizeof want);
      seq++;
      checked++;
    }
  return checked;
}

/* verify_data = PRF (master, label, SHA-256 (handshake messages))[0..11]. */
static void
check_finished (const uint8_t master[48], const char *label,
                const GByteArray *transcript, const Record *finished)
{
  uint8_t hash[32], want[12];
  gsize hash_len = sizeof hash;
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, transcript->data, transcript->len);
  g_checksum_get_digest (sum, hash, &hash_len);
  g_checksum_free (sum);
  sim_tls_prf (master, 48, label, hash, sizeof hash, want, sizeof want);
  assert_int_equal (finished->type, SIM_TLS_HANDSHAKE);
  assert_int_equal (finished->fragment[0], 20);
  assert_memory_equal (finished->fragment + 4, want, sizeof want);
}

/* What Wireshark does with the key log line: the client random and the
 * master secret from the line, the server random from the ServerHello,
 * key_block = PRF (master, "key expansion", server_random +
 * client_random) whose first 32 bytes are the client's write MAC key and
 * next 32 the server's; with them every protected record's MAC and both
 * Finished messages verify. */
static void
check_as_a_third_party (const Watch *watch, const char *sni)
{
  Record c[16], s[16];
  guint nc = split_records (watch->stream[0], c, G_N_ELEMENTS (c));
  guint ns = split_records (watch->stream[1], s, G_N_ELEMENTS (s));
  uint8_t client_random[32], master[48], seed[64], block[64];
  g_autoptr (GByteArray) transcript = g_byte_array_new ();

  assert_int_equal (watch->keylog->len, SIM_TLS_KEYLOG_LINE_LEN);
  unhex (watch->keylog->str + 14, client_random, sizeof client_random);
  unhex (watch->keylog->str + 14 + 64 + 1, master, sizeof master);
  /* client: ClientHello, ClientKeyExchange, CCS, Finished, ...;
   * server: ServerHello, Certificate, ServerHelloDone, CCS, Finished. */
  assert_true (nc >= 4 && ns >= 5);
  check_client_hello_sni (&c[0], sni);
  assert_memory_equal (c[0].fragment + 6, client_random, 32);
  assert_int_equal (s[0].fragment[0], 2);
  memcpy (seed, s[0].fragment + 6, 32);
  memcpy (seed + 32, client_random, 32);
  sim_tls_prf (master, sizeof master, "key expansion", seed, sizeof seed,
               block, sizeof block);
  assert_int_equal (check_record_macs (c, nc, block), nc - 3);
  assert_int_equal (check_record_macs (s, ns, block + 32), ns - 4);

  g_byte_array_append (transcript, c[0].fragment, c[0].len);
  for (guint i = 0; i < 3; i++)
    g_byte_array_append (transcript, s[i].fragment, s[i].len);
  g_byte_array_append (transcript, c[1].fragment, c[1].len);
  check_finished (master, "client finished", transcript, &c[3]);
  g_byte_array_append (transcript, c[3].fragment, 16);
  check_finished (master, "server finished", transcript, &s[4]);
}

static void
test_tls__exchange (void **state)
{
  static const SimLinkParams lp = { .delay = SIM_MS, .rate_bps = 1000000000 };
  SimWorld *world = sim_world_new (7);
  HostNode *client = host_node_new (world, "client", CLIENT_ADDR);
  HostNode *server = host_node_new (world, "server", SERVER_ADDR);
  Watch watch = { { &watch_class }, { g_byte_array_new (),
                                      g_byte_array_new () }, 0, 99,
                  g_string_new (NULL) };
  App client_app = { sim_tls_new (), g_byte_array_new (), 0, 0, 0, 0, 0 };
  SimRng client_rng;
  g_autofree char *to_server = NULL, *to_client = NULL;
  const char *sni = "hello-abc-uc.a.run.app";

  (void) state;
  server_app = (App) { sim_tls_new (), g_byte_array_new (), 1, 0, 0, 0, 0 };
  sim_link_new (world, sim_node_port (&client->node, 0),
                sim_node_port (&server->node, 0), &lp, NULL);
  sim_world_set_tap (world, &watch.tap);
  sim_rng_init (&client_rng, 7, "client", "tls");
  sim_rng_init (&server_rng, 7, "server", "tls");
  sim_tcp_listen (&server->host, SIM_TLS_PORT, server_accept, NULL);
  assert_non_null (sim_tls_connect (client_app.tls, &client->host, 0,
                                    SERVER_ADDR, SIM_TLS_PORT, SIM_S, sni,
                                    &client_rng, &app_callbacks,
                                    &client_app, 1));
  sim_world_run (world, 10 * SIM_S);

  /* The secret before any frame, in key log form. */
  assert_int_equal (watch.frames_before_secret, 0);
  assert_int_equal (watch.keylog->len, SIM_TLS_KEYLOG_LINE_LEN);
  assert_true (g_str_has_prefix (watch.keylog->str, "CLIENT_RANDOM "));
  /* The request arrived whole, the answer too, both sides closed. */
  assert_int_equal (server_app.got->len, 40000);
  for (guint i = 0; i < 40000; i++)
    assert_int_equal (server_app.got->data[i], (uint8_t) (i * 13));
  assert_int_equal (client_app.got->len, 2);
  assert_memory_equal (client_app.got->data, "ok", 2);
  assert_true (client_app.connected && server_app.connected);
  assert_true (client_app.closed && server_app.closed);
  assert_int_equal (client_app.reason, SIM_TCP_CLOSED_OK);
  assert_int_equal (server_app.reason, SIM_TCP_CLOSED_OK);
  assert_null (sim_tls_conn (client_app.tls));
  /* ClientHello with the SNI; then ClientKeyExchange, CCS, Finished;
   * seven records for 40000 bytes sent in chunks of 1, 7, 16385, 20000
   * and 3607 (a chunk over 16 KiB is split); close_notify. */
  assert_true (contains (watch.stream[0], sni));
  to_server = record_types (watch.stream[0]);
  to_client = record_types (watch.stream[1]);
  assert_string_equal (to_server, "22 22 20 22 23 23 23 23 23 23 23 21");
  assert_string_equal (to_client, "22 22 22 20 22 23 21");
  /* And a third party with the key log reads and checks it all. */
  check_as_a_third_party (&watch, sni);

  sim_world_set_tap (world, NULL);
  sim_world_free (world);
  sim_tls_free (client_app.tls);
  sim_tls_free (server_app.tls);
  g_byte_array_free (client_app.got, TRUE);
  g_byte_array_free (server_app.got, TRUE);
  g_byte_array_free (watch.stream[0], TRUE);
  g_byte_array_free (watch.stream[1], TRUE);
  g_string_free (watch.keylog, TRUE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_prf__published_sha256_vector),
    cmocka_unit_test (test_hmac__rfc4231),
    cmocka_unit_test (test_record__framing_and_mac),
    cmocka_unit_test (test_tls__exchange),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
