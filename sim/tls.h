/* TLS 1.2 between an application and a SimTcpConn, with no cryptography
 * that hides anything: the cipher suite is TLS_RSA_WITH_NULL_SHA256
 * (0x003B), so records carry the application's bytes in clear with an
 * HMAC-SHA256, and Wireshark decrypts them with the session's key log
 * line, which the client hands to the world's tap (SimTapClass.secrets)
 * before its SYN. Everything else is TLS as written: ClientHello with
 * the SNI, ServerHello, an empty Certificate, ServerHelloDone,
 * ClientKeyExchange, ChangeCipherSpec and Finished both ways (verify_data
 * from the PRF over the transcript's SHA-256), application data records
 * of at most 16 KiB, close_notify before FIN.
 *
 * The randoms and the master secret come from the caller's SimRng. There
 * is no server key: the ClientKeyExchange "encrypted premaster" is the
 * master secret followed by random bytes, which the server reads back.
 *
 * A SimTls is reused connection after connection (its buffers with it).
 * It presents the TCP callbacks (sim/tcp.h) to the application, with the
 * underlying SimTcpConn as conn: connected() once the handshake is over,
 * data() with plaintext, peer_closed() and closed() as TCP gives them;
 * after closed() the SimTls is free for another connection. */
#ifndef SIM_TLS_H
#define SIM_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/rng.h"
#include "sim/tcp.h"
#include "sim/tls-prf.h"

#define SIM_TLS_PORT 443u
#define SIM_TLS_RECORD_MAX 16384u       /* plaintext bytes per record */
#define SIM_TLS_RECORD_HEADER 5u
#define SIM_TLS_CIPHER_SUITE 0x003Bu    /* TLS_RSA_WITH_NULL_SHA256 */
#define SIM_TLS_RANDOM_LEN 32u
#define SIM_TLS_MASTER_LEN 48u
/* "CLIENT_RANDOM " 64 hex " " 96 hex "\n" */
#define SIM_TLS_KEYLOG_LINE_LEN (14u + 64u + 1u + 96u + 1u)

typedef enum {
  SIM_TLS_CHANGE_CIPHER_SPEC = 20,
  SIM_TLS_ALERT = 21,
  SIM_TLS_HANDSHAKE = 22,
  SIM_TLS_APPLICATION_DATA = 23,
} SimTlsContentType;

typedef struct SimTls SimTls;

SimTls *sim_tls_new (void);
void sim_tls_free (SimTls *tls);

/* A client: draws its random and master secret from rng, tells the
 * world's tap, then connects as sim_tcp_connect() does. server_name is
 * the SNI (NULL or an address literal: none). rng is borrowed for the
 * connection's life. NULL, and tls free again, when TCP has no port. */
SimTcpConn *sim_tls_connect (SimTls *tls, SimHost *host, uint32_t src,
                             uint32_t dst, uint16_t dport,
                             SimTime connect_timeout, const char *server_name,
                             SimRng *rng, const SimTcpCallbacks *callbacks,
                             void *user, uint32_t request_id);
/* The same over IPv6 (sim_tcp_connect6; src NULL: the host's choice). */
SimTcpConn *sim_tls_connect6 (SimTls *tls, SimHost *host, const SimIp6 *src,
                              const SimIp6 *dst, uint16_t dport,
                              SimTime connect_timeout,
                              const char *server_name, SimRng *rng,
                              const SimTcpCallbacks *callbacks, void *user,
                              uint32_t request_id);
/* A server on an accepted connection; rng gives its random. */
void sim_tls_accept (SimTls *tls, SimTcpConn *conn, SimRng *rng,
                     const SimTcpCallbacks *callbacks, void *user);

/* Application bytes, in any chunks: each call sends its bytes as records
 * at once (kept until the handshake is over when it is not). */
void sim_tls_send (SimTls *tls, const uint8_t *data, uint32_t len);
/* close_notify, then FIN; before the handshake is over, only FIN. */
void sim_tls_close (SimTls *tls);
/* The connection tls carries now; NULL when none. */
SimTcpConn *sim_tls_conn (const SimTls *tls);

/* For applications that speak both: through tls when it carries conn
 * (tls may be NULL), else in clear. */
void sim_tls_conn_send (SimTls *tls, SimTcpConn *conn, const uint8_t *data,
                        uint32_t len);
void sim_tls_conn_close (SimTls *tls, SimTcpConn *conn);
/* Streaming writes (sim/body.h): queue bytes without sending, the room
 * the send buffer has for more application bytes (records' framing
 * counted), and send what was queued, sealed into records of at most
 * 16 KiB. */
void sim_tls_conn_queue (SimTls *tls, SimTcpConn *conn, const uint8_t *data,
                         uint32_t len);
uint32_t sim_tls_conn_send_space (SimTls *tls, SimTcpConn *conn);
void sim_tls_conn_flush (SimTls *tls, SimTcpConn *conn);

/* One record into out (room for 5 + len + 32 bytes): header, fragment,
 * and with mac (NULL: none, before ChangeCipherSpec) the HMAC of seq,
 * header and fragment. Returns the bytes written. len <= 16 KiB. */
uint32_t sim_tls_record_seal (SimTlsHmac *mac, uint64_t seq, uint8_t type,
                              const uint8_t *fragment, uint32_t len,
                              uint8_t *out);
/* The NSS key log line of a session (SIM_TLS_KEYLOG_LINE_LEN chars and
 * a NUL into out). */
void sim_tls_keylog_line (const uint8_t client_random[SIM_TLS_RANDOM_LEN],
                          const uint8_t master[SIM_TLS_MASTER_LEN],
                          char *out);

#endif
