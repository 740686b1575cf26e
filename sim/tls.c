/* TLS 1.2 with a NULL cipher over SimTcpConn (see sim/tls.h).
 *
 * Invariants: tls->conn is the connection carried, NULL when idle; a
 * callback into the application may close or abort it, so the record loop
 * checks tls->conn again after each record. Records to send are written
 * into tls->out and handed to TCP in one send per flight or per
 * sim_tls_send() call. */
#include "sim/tls.h"

#include <string.h>

#include "sim/node.h"
#include "sim/tap.h"
#include "sim/world.h"

#define TLS_MAC_LEN SIM_TLS_SHA256_LEN
#define TLS_VERIFY_LEN 12u
#define TLS_PREMASTER_BLOCK 256u        /* an RSA-2048 block's size */
#define TLS_FLUSH_AT (1u << 20)         /* bytes of records kept at most */
#define TLS_HANDSHAKE_MAX 1024u         /* our own messages are smaller */

enum {
  HS_CLIENT_HELLO = 1,
  HS_SERVER_HELLO = 2,
  HS_CERTIFICATE = 11,
  HS_SERVER_HELLO_DONE = 14,
  HS_CLIENT_KEY_EXCHANGE = 16,
  HS_FINISHED = 20,
};

struct SimTls {
  SimTcpConn *conn;             /* NULL when idle */
  const SimTcpCallbacks *app;
  void *user;
  SimRng *rng;                  /* borrowed */
  bool client, keys, open, closing;
  bool rx_protected, tx_protected;
  uint64_t rx_seq, tx_seq;
  char server_name[256];        /* client: the SNI; "" none */
  uint8_t client_random[SIM_TLS_RANDOM_LEN];
  uint8_t server_random[SIM_TLS_RANDOM_LEN];
  uint8_t master[SIM_TLS_MASTER_LEN];
  SimTlsHmac rx_mac, tx_mac;
  GByteArray *rx;               /* bytes from TCP short of a record */
  GByteArray *hs;               /* handshake bytes short of a message */
  GByteArray *transcript;       /* handshake messages so far */
  GByteArray *out;              /* records not yet given to TCP */
  GByteArray *pending;          /* application bytes before open */
  GByteArray *plain;            /* application bytes queued, not yet
                                   sealed into records */
};

SimTls *
sim_tls_new (void)
{
  SimTls *tls = g_new0 (SimTls, 1);

  tls->rx = g_byte_array_new ();
  tls->hs = g_byte_array_new ();
  tls->transcript = g_byte_array_new ();
  tls->out = g_byte_array_new ();
  tls->pending = g_byte_array_new ();
  tls->plain = g_byte_array_new ();
  return tls;
}

void
sim_tls_free (SimTls *tls)
{
  if (tls == NULL)
    return;
  sim_tls_hmac_clear (&tls->rx_mac);
  sim_tls_hmac_clear (&tls->tx_mac);
  g_byte_array_free (tls->plain, TRUE);
  g_byte_array_free (tls->rx, TRUE);
  g_byte_array_free (tls->hs, TRUE);
  g_byte_array_free (tls->transcript, TRUE);
  g_byte_array_free (tls->out, TRUE);
  g_byte_array_free (tls->pending, TRUE);
  g_free (tls);
}

SimTcpConn *
sim_tls_conn (const SimTls *tls)
{
  return tls ? tls->conn : NULL;
}

static void
tls_reset (SimTls *tls, bool client, SimRng *rng,
           const SimTcpCallbacks *callbacks, void *user)
{
  tls->conn = NULL;
  tls->app = callbacks;
  tls->user = user;
  tls->rng = rng;
  tls->client = client;
  tls->keys = tls->open = tls->closing = false;
  tls->rx_protected = tls->tx_protected = false;
  tls->rx_seq = tls->tx_seq = 0;
  tls->server_name[0] = '\0';
  g_byte_array_set_size (tls->rx, 0);
  g_byte_array_set_size (tls->hs, 0);
  g_byte_array_set_size (tls->transcript, 0);
  g_byte_array_set_size (tls->out, 0);
  g_byte_array_set_size (tls->pending, 0);
  g_byte_array_set_size (tls->plain, 0);
}

static void
put16 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 8);
  p[1] = (uint8_t) v;
}

static void
put24 (uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t) (v >> 16);
  put16 (p + 1, v);
}

static uint32_t
get16 (const uint8_t *p)
{
  return (uint32_t) p[0] << 8 | p[1];
}

static void
fill_random (SimRng *rng, uint8_t *out, size_t len)
{
  for (size_t i = 0; i < len; i += 4)
    {
      uint32_t r = sim_rng_u32 (rng);

      for (size_t k = 0; k < 4 && i + k < len; k++)
        out[i + k] = (uint8_t) (r >> (8 * k));
    }
}

/* ---- records ------------------------------------------------------ */

/* The MAC of a record: seq_num, type, version, length, fragment. */
static void
record_mac (SimTlsHmac *mac, uint64_t seq, uint8_t type,
            const uint8_t *fragment, uint32_t len, uint8_t *out)
{
  uint8_t head[13];

  for (int i = 0; i < 8; i++)
    head[i] = (uint8_t) (seq >> (56 - 8 * i));
  head[8] = type;
  head[9] = 3;
  head[10] = 3;
  put16 (head + 11, len);
  sim_tls_hmac_begin (mac);
  sim_tls_hmac_update (mac, head, sizeof head);
  sim_tls_hmac_update (mac, fragment, len);
  sim_tls_hmac_end (mac, out);
}

uint32_t
sim_tls_record_seal (SimTlsHmac *mac, uint64_t seq, uint8_t type,
                     const uint8_t *fragment, uint32_t len, uint8_t *out)
{
  uint32_t mac_len = mac ? TLS_MAC_LEN : 0;

  g_assert (len <= SIM_TLS_RECORD_MAX);
  out[0] = type;
  out[1] = 3;                   /* TLS 1.2 */
  out[2] = 3;
  put16 (out + 3, len + mac_len);
  memmove (out + SIM_TLS_RECORD_HEADER, fragment, len);
  if (mac)
    record_mac (mac, seq, type, out + SIM_TLS_RECORD_HEADER, len,
                out + SIM_TLS_RECORD_HEADER + len);
  return SIM_TLS_RECORD_HEADER + len + mac_len;
}

static void
tls_put_record (SimTls *tls, uint8_t type, const uint8_t *fragment,
                uint32_t len)
{
  guint at = tls->out->len;

  g_byte_array_set_size (tls->out, at + SIM_TLS_RECORD_HEADER + len
                                   + TLS_MAC_LEN);
  at += sim_tls_record_seal (tls->tx_protected ? &tls->tx_mac : NULL,
                             tls->tx_seq, type, fragment, len,
                             tls->out->data + at);
  g_byte_array_set_size (tls->out, at);
  if (tls->tx_protected)
    tls->tx_seq++;
}

static void
tls_flush (SimTls *tls)
{
  if (tls->out->len > 0 && tls->conn)
    sim_tcp_send (tls->conn, tls->out->data, tls->out->len);
  g_byte_array_set_size (tls->out, 0);
}

/* ---- handshake messages ------------------------------------------- */

/* The message (4-byte header included) joins the transcript and a
 * record. */
static void
tls_put_handshake (SimTls *tls, uint8_t *msg, uint32_t body_len)
{
  put24 (msg + 1, body_len);
  g_byte_array_append (tls->transcript, msg, body_len + 4);
  tls_put_record (tls, SIM_TLS_HANDSHAKE, msg, body_len + 4);
}

static void
tls_verify_data (SimTls *tls, const char *label, uint8_t *out)
{
  uint8_t hash[SIM_TLS_SHA256_LEN];

  sim_tls_sha256 (tls->transcript->data, tls->transcript->len, hash);
  sim_tls_prf (tls->master, sizeof tls->master, label, hash, sizeof hash, out,
               TLS_VERIFY_LEN);
}

/* key_block = PRF (master, "key expansion", server_random +
 * client_random): with a NULL cipher, only the two MAC keys. */
static void
tls_derive_keys (SimTls *tls)
{
  uint8_t seed[2 * SIM_TLS_RANDOM_LEN], block[2 * TLS_MAC_LEN];

  memcpy (seed, tls->server_random, SIM_TLS_RANDOM_LEN);
  memcpy (seed + SIM_TLS_RANDOM_LEN, tls->client_random, SIM_TLS_RANDOM_LEN);
  sim_tls_prf (tls->master, sizeof tls->master, "key expansion", seed,
               sizeof seed, block, sizeof block);
  sim_tls_hmac_init (tls->client ? &tls->tx_mac : &tls->rx_mac, block,
                     TLS_MAC_LEN);
  sim_tls_hmac_init (tls->client ? &tls->rx_mac : &tls->tx_mac,
                     block + TLS_MAC_LEN, TLS_MAC_LEN);
  tls->keys = true;
}

static void
tls_send_client_hello (SimTls *tls)
{
  uint8_t msg[TLS_HANDSHAKE_MAX];
  uint32_t n = 4, name_len = (uint32_t) strlen (tls->server_name);

  msg[0] = HS_CLIENT_HELLO;
  put16 (msg + n, 0x0303);
  memcpy (msg + n + 2, tls->client_random, SIM_TLS_RANDOM_LEN);
  n += 2 + SIM_TLS_RANDOM_LEN;
  msg[n++] = 0;                 /* no session id */
  put16 (msg + n, 2);
  put16 (msg + n + 2, SIM_TLS_CIPHER_SUITE);
  n += 4;
  msg[n++] = 1;                 /* compression: null only */
  msg[n++] = 0;
  if (name_len > 0)
    {
      put16 (msg + n, name_len + 9);            /* extensions */
      put16 (msg + n + 2, 0);                   /* server_name */
      put16 (msg + n + 4, name_len + 5);
      put16 (msg + n + 6, name_len + 3);        /* server_name_list */
      msg[n + 8] = 0;                           /* host_name */
      put16 (msg + n + 9, name_len);
      memcpy (msg + n + 11, tls->server_name, name_len);
      n += 11 + name_len;
    }
  tls_put_handshake (tls, msg, n - 4);
  tls_flush (tls);
}

/* ServerHello, an empty Certificate and ServerHelloDone in one flight. */
static void
tls_send_server_flight (SimTls *tls)
{
  uint8_t msg[64];
  uint32_t n = 4;

  fill_random (tls->rng, tls->server_random, SIM_TLS_RANDOM_LEN);
  msg[0] = HS_SERVER_HELLO;
  put16 (msg + n, 0x0303);
  memcpy (msg + n + 2, tls->server_random, SIM_TLS_RANDOM_LEN);
  n += 2 + SIM_TLS_RANDOM_LEN;
  msg[n++] = 0;                 /* no session id */
  put16 (msg + n, SIM_TLS_CIPHER_SUITE);
  n += 2;
  msg[n++] = 0;                 /* compression: null */
  tls_put_handshake (tls, msg, n - 4);
  msg[0] = HS_CERTIFICATE;
  put24 (msg + 4, 0);           /* no certificate */
  tls_put_handshake (tls, msg, 3);
  msg[0] = HS_SERVER_HELLO_DONE;
  tls_put_handshake (tls, msg, 0);
  tls_flush (tls);
}

static void
tls_put_change_cipher_spec (SimTls *tls)
{
  static const uint8_t one = 1;

  tls_put_record (tls, SIM_TLS_CHANGE_CIPHER_SPEC, &one, 1);
  tls->tx_protected = true;
  tls->tx_seq = 0;
}

static void
tls_put_finished (SimTls *tls)
{
  uint8_t msg[4 + TLS_VERIFY_LEN];

  msg[0] = HS_FINISHED;
  tls_verify_data (tls, tls->client ? "client finished" : "server finished",
                   msg + 4);
  tls_put_handshake (tls, msg, TLS_VERIFY_LEN);
}

/* ClientKeyExchange, ChangeCipherSpec, Finished. */
static void
tls_send_client_flight (SimTls *tls)
{
  uint8_t msg[4 + 2 + TLS_PREMASTER_BLOCK];

  msg[0] = HS_CLIENT_KEY_EXCHANGE;
  put16 (msg + 4, TLS_PREMASTER_BLOCK);
  memcpy (msg + 6, tls->master, SIM_TLS_MASTER_LEN);
  fill_random (tls->rng, msg + 6 + SIM_TLS_MASTER_LEN,
               TLS_PREMASTER_BLOCK - SIM_TLS_MASTER_LEN);
  tls_put_handshake (tls, msg, 2 + TLS_PREMASTER_BLOCK);
  tls_put_change_cipher_spec (tls);
  tls_put_finished (tls);
  tls_flush (tls);
}

/* The handshake is over: what the application sent meanwhile goes. */
static void
tls_open (SimTls *tls)
{
  SimTcpConn *conn = tls->conn;

  tls->open = true;
  g_byte_array_set_size (tls->transcript, 0);
  if (tls->pending->len > 0)
    sim_tls_send (tls, tls->pending->data, tls->pending->len);
  g_byte_array_set_size (tls->pending, 0);
  if (tls->conn == conn && tls->app->connected)
    tls->app->connected (conn, tls->user);
}

/* One whole handshake message (header included); false when it breaks
 * the protocol. */
static bool
tls_handshake (SimTls *tls, const uint8_t *msg, uint32_t len)
{
  const uint8_t *body = msg + 4;
  uint32_t n = len - 4;

  if (msg[0] == HS_FINISHED)
    {
      uint8_t want[TLS_VERIFY_LEN];

      if (!tls->rx_protected || n != TLS_VERIFY_LEN)
        return false;
      tls_verify_data (tls, tls->client ? "server finished"
                                        : "client finished", want);
      if (memcmp (want, body, TLS_VERIFY_LEN) != 0)
        return false;
      g_byte_array_append (tls->transcript, msg, len);
      if (!tls->client)
        {
          tls_put_change_cipher_spec (tls);
          tls_put_finished (tls);
          tls_flush (tls);
        }
      tls_open (tls);
      return true;
    }
  g_byte_array_append (tls->transcript, msg, len);
  switch (msg[0])
    {
    case HS_CLIENT_HELLO:
      if (tls->client || n < 2 + SIM_TLS_RANDOM_LEN)
        return false;
      memcpy (tls->client_random, body + 2, SIM_TLS_RANDOM_LEN);
      tls_send_server_flight (tls);
      return true;
    case HS_SERVER_HELLO:
      if (!tls->client || n < 2 + SIM_TLS_RANDOM_LEN + 1
          || n < 2 + SIM_TLS_RANDOM_LEN + 1 + body[34] + 2u
          || get16 (body + 35 + body[34]) != SIM_TLS_CIPHER_SUITE)
        return false;
      memcpy (tls->server_random, body + 2, SIM_TLS_RANDOM_LEN);
      tls_derive_keys (tls);
      return true;
    case HS_CERTIFICATE:
      return tls->client;
    case HS_SERVER_HELLO_DONE:
      if (!tls->client || !tls->keys)
        return false;
      tls_send_client_flight (tls);
      return true;
    case HS_CLIENT_KEY_EXCHANGE:
      if (tls->client || n < 2 + SIM_TLS_MASTER_LEN)
        return false;
      memcpy (tls->master, body + 2, SIM_TLS_MASTER_LEN);
      tls_derive_keys (tls);
      return true;
    default:
      return false;
    }
}

/* ---- receiving ---------------------------------------------------- */

static bool
tls_record (SimTls *tls, uint8_t type, const uint8_t *fragment, uint32_t len)
{
  if (tls->rx_protected)
    {
      uint8_t mac[TLS_MAC_LEN];

      if (len < TLS_MAC_LEN)
        return false;
      len -= TLS_MAC_LEN;
      record_mac (&tls->rx_mac, tls->rx_seq++, type, fragment, len, mac);
      if (memcmp (mac, fragment + len, TLS_MAC_LEN) != 0)
        return false;
    }
  switch (type)
    {
    case SIM_TLS_CHANGE_CIPHER_SPEC:
      if (len != 1 || fragment[0] != 1 || !tls->keys || tls->rx_protected)
        return false;
      tls->rx_protected = true;
      tls->rx_seq = 0;
      return true;
    case SIM_TLS_ALERT:
      return len == 2;          /* close_notify: TCP's FIN follows */
    case SIM_TLS_APPLICATION_DATA:
      if (!tls->open)
        return false;
      if (len > 0)
        tls->app->data (tls->conn, tls->user, fragment, len);
      return true;
    case SIM_TLS_HANDSHAKE:
      g_byte_array_append (tls->hs, fragment, len);
      while (tls->hs->len >= 4 && tls->conn)
        {
          uint32_t n = 4 + ((uint32_t) tls->hs->data[1] << 16
                            | get16 (tls->hs->data + 2));
          uint8_t msg[TLS_HANDSHAKE_MAX];

          if (n > sizeof msg)
            return false;
          if (tls->hs->len < n)
            break;
          memcpy (msg, tls->hs->data, n);
          g_byte_array_remove_range (tls->hs, 0, n);
          if (!tls_handshake (tls, msg, n))
            return false;
        }
      return true;
    default:
      return false;
    }
}

static void
tls_tcp_data (SimTcpConn *conn, void *user, const uint8_t *data, uint32_t len)
{
  SimTls *tls = user;
  guint at = 0;

  g_byte_array_append (tls->rx, data, len);
  while (tls->conn == conn && tls->rx->len - at >= SIM_TLS_RECORD_HEADER)
    {
      const uint8_t *h = tls->rx->data + at;
      uint32_t n = get16 (h + 3);

      if (tls->rx->len - at < SIM_TLS_RECORD_HEADER + n)
        break;
      at += SIM_TLS_RECORD_HEADER + n;
      if (!tls_record (tls, h[0], h + SIM_TLS_RECORD_HEADER, n))
        {
          if (tls->conn == conn)
            sim_tcp_abort (conn);
          return;
        }
    }
  if (tls->conn != conn)
    return;
  if (at == tls->rx->len)
    g_byte_array_set_size (tls->rx, 0);
  else if (at > 0)
    g_byte_array_remove_range (tls->rx, 0, at);
}

static void
tls_tcp_connected (SimTcpConn *conn, void *user)
{
  SimTls *tls = user;

  (void) conn;
  tls_send_client_hello (tls);
}

static void
tls_tcp_peer_closed (SimTcpConn *conn, void *user)
{
  SimTls *tls = user;

  if (tls->app->peer_closed)
    tls->app->peer_closed (conn, tls->user);
}

static void
tls_tcp_closed (SimTcpConn *conn, void *user, SimTcpCloseReason reason)
{
  SimTls *tls = user;
  const SimTcpCallbacks *app = tls->app;
  void *app_user = tls->user;

  tls_reset (tls, tls->client, NULL, NULL, NULL);
  if (app->closed)
    app->closed (conn, app_user, reason);
}

/* Room again in TCP's send buffer: the application may write more. */
static void
tls_tcp_writable (SimTcpConn *conn, void *user)
{
  SimTls *tls = user;

  if (tls->open && !tls->closing && tls->app->writable)
    tls->app->writable (conn, tls->user);
}

/* The application's unread plaintext narrows the window as ciphertext
 * would (a record's 37 bytes of framing aside). */
static uint32_t
tls_tcp_backlog (SimTcpConn *conn, void *user)
{
  SimTls *tls = user;

  return tls->app && tls->app->backlog ? tls->app->backlog (conn, tls->user)
                                       : 0;
}

static const SimTcpCallbacks tls_tcp = {
  .connected = tls_tcp_connected,
  .data = tls_tcp_data,
  .peer_closed = tls_tcp_peer_closed,
  .closed = tls_tcp_closed,
  .writable = tls_tcp_writable,
  .backlog = tls_tcp_backlog,
};

/* ---- the application's side --------------------------------------- */

void
sim_tls_keylog_line (const uint8_t client_random[SIM_TLS_RANDOM_LEN],
                     const uint8_t master[SIM_TLS_MASTER_LEN], char *out)
{
  static const char hex[] = "0123456789abcdef";
  char *p = out + g_snprintf (out, 16, "CLIENT_RANDOM ");

  for (uint32_t i = 0; i < SIM_TLS_RANDOM_LEN; i++)
    {
      *p++ = hex[client_random[i] >> 4];
      *p++ = hex[client_random[i] & 15];
    }
  *p++ = ' ';
  for (uint32_t i = 0; i < SIM_TLS_MASTER_LEN; i++)
    {
      *p++ = hex[master[i] >> 4];
      *p++ = hex[master[i] & 15];
    }
  *p++ = '\n';
  *p = '\0';
}

/* A client's start: its random and master secret, told to the tap. */
static void
tls_client_start (SimTls *tls, SimHost *host, const char *server_name,
                  SimRng *rng, const SimTcpCallbacks *callbacks, void *user)
{
  SimTap *tap = sim_world_tap (host->node->world);

  g_assert (tls->conn == NULL);
  tls_reset (tls, true, rng, callbacks, user);
  if (server_name && !g_hostname_is_ip_address (server_name))
    g_strlcpy (tls->server_name, server_name, sizeof tls->server_name);
  fill_random (rng, tls->client_random, SIM_TLS_RANDOM_LEN);
  fill_random (rng, tls->master, SIM_TLS_MASTER_LEN);
  if (tap && tap->klass->secrets)
    {
      char line[SIM_TLS_KEYLOG_LINE_LEN + 1];

      sim_tls_keylog_line (tls->client_random, tls->master, line);
      tap->klass->secrets (tap, line);
    }
}

SimTcpConn *
sim_tls_connect (SimTls *tls, SimHost *host, uint32_t src, uint32_t dst,
                 uint16_t dport, SimTime connect_timeout,
                 const char *server_name, SimRng *rng,
                 const SimTcpCallbacks *callbacks, void *user,
                 uint32_t request_id)
{
  tls_client_start (tls, host, server_name, rng, callbacks, user);
  tls->conn = sim_tcp_connect (host, src, dst, dport, connect_timeout,
                               &tls_tcp, tls, request_id);
  if (tls->conn == NULL)
    tls_reset (tls, true, NULL, NULL, NULL);   /* free for another try */
  return tls->conn;
}

SimTcpConn *
sim_tls_connect6 (SimTls *tls, SimHost *host, const SimIp6 *src,
                  const SimIp6 *dst, uint16_t dport, SimTime connect_timeout,
                  const char *server_name, SimRng *rng,
                  const SimTcpCallbacks *callbacks, void *user,
                  uint32_t request_id)
{
  tls_client_start (tls, host, server_name, rng, callbacks, user);
  tls->conn = sim_tcp_connect6 (host, 0, src, dst, dport, connect_timeout,
                                &tls_tcp, tls, request_id);
  if (tls->conn == NULL)
    tls_reset (tls, true, NULL, NULL, NULL);
  return tls->conn;
}

void
sim_tls_accept (SimTls *tls, SimTcpConn *conn, SimRng *rng,
                const SimTcpCallbacks *callbacks, void *user)
{
  g_assert (tls->conn == NULL);
  tls_reset (tls, false, rng, callbacks, user);
  tls->conn = conn;
  sim_tcp_conn_set_callbacks (conn, &tls_tcp, tls);
}

/* Seals what was queued into records of at most SIM_TLS_RECORD_MAX. */
static void
tls_seal_queued (SimTls *tls)
{
  for (guint done = 0; done < tls->plain->len;)
    {
      uint32_t n = MIN (tls->plain->len - done, SIM_TLS_RECORD_MAX);

      tls_put_record (tls, SIM_TLS_APPLICATION_DATA, tls->plain->data + done,
                      n);
      done += n;
    }
  g_byte_array_set_size (tls->plain, 0);
}

void
sim_tls_send (SimTls *tls, const uint8_t *data, uint32_t len)
{
  if (tls->conn == NULL || tls->closing)
    return;
  if (!tls->open)
    {
      g_byte_array_append (tls->pending, data, len);
      return;
    }
  tls_seal_queued (tls);
  for (uint32_t done = 0; done < len;)
    {
      uint32_t n = MIN (len - done, SIM_TLS_RECORD_MAX);

      tls_put_record (tls, SIM_TLS_APPLICATION_DATA, data + done, n);
      done += n;
      if (tls->out->len >= TLS_FLUSH_AT)
        tls_flush (tls);
    }
  tls_flush (tls);
}

void
sim_tls_close (SimTls *tls)
{
  static const uint8_t close_notify[2] = { 1, 0 };    /* warning, 0 */

  if (tls->conn == NULL || tls->closing)
    return;
  tls->closing = true;
  if (tls->open)
    {
      tls_seal_queued (tls);
      tls_put_record (tls, SIM_TLS_ALERT, close_notify, 2);
      tls_flush (tls);
    }
  sim_tcp_close (tls->conn);
}

void
sim_tls_conn_send (SimTls *tls, SimTcpConn *conn, const uint8_t *data,
                   uint32_t len)
{
  if (tls && tls->conn == conn)
    sim_tls_send (tls, data, len);
  else
    sim_tcp_send (conn, data, len);
}

void
sim_tls_conn_queue (SimTls *tls, SimTcpConn *conn, const uint8_t *data,
                    uint32_t len)
{
  if (!(tls && tls->conn == conn))
    sim_tcp_queue (conn, data, len);
  else if (!tls->closing)
    g_byte_array_append (tls->open ? tls->plain : tls->pending, data, len);
}

uint32_t
sim_tls_conn_send_space (SimTls *tls, SimTcpConn *conn)
{
  uint32_t space = sim_tcp_send_space (conn), framing;

  if (!(tls && tls->conn == conn))
    return space;
  /* What is queued, and a record's framing per 16 KiB, take room too. */
  framing = (SIM_TLS_RECORD_HEADER + SIM_TLS_SHA256_LEN)
            * (space / SIM_TLS_RECORD_MAX + 1);
  return space > framing + tls->plain->len
         ? space - framing - tls->plain->len : 0;
}

void
sim_tls_conn_flush (SimTls *tls, SimTcpConn *conn)
{
  if (!(tls && tls->conn == conn))
    {
      sim_tcp_send (conn, NULL, 0);
      return;
    }
  if (!tls->open || tls->closing)
    return;
  tls_seal_queued (tls);
  tls_flush (tls);
}

void
sim_tls_conn_close (SimTls *tls, SimTcpConn *conn)
{
  if (tls && tls->conn == conn)
    sim_tls_close (tls);
  else
    sim_tcp_close (conn);
}
