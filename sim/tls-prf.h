/* The TLS 1.2 pseudo-random function with SHA-256 (RFC 5246 section 5)
 * and the HMAC-SHA256 it is built on (RFC 2104), on nettle's HMAC and
 * SHA-256: the key's inner and outer hash states are computed once when
 * the key is set, and nettle uses the CPU's SHA instructions where there
 * are any. A record's MAC allocates nothing. */
#ifndef SIM_TLS_PRF_H
#define SIM_TLS_PRF_H

#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TLS_SHA256_LEN 32u

typedef struct {
  struct hmac_sha256_ctx ctx;   /* keyed; reset to the inner state per MAC */
} SimTlsHmac;

/* Sets the key; keys longer than a block are hashed first, as HMAC
 * says. */
void sim_tls_hmac_init (SimTlsHmac *h, const uint8_t *key, size_t key_len);
/* Forgets the key (holds no other resource). */
void sim_tls_hmac_clear (SimTlsHmac *h);
/* One MAC: begin, update as often as needed, end. */
void sim_tls_hmac_begin (SimTlsHmac *h);
void sim_tls_hmac_update (SimTlsHmac *h, const uint8_t *data, size_t len);
void sim_tls_hmac_end (SimTlsHmac *h, uint8_t out[SIM_TLS_SHA256_LEN]);

/* SHA-256 of len bytes. */
void sim_tls_sha256 (const uint8_t *data, size_t len,
                     uint8_t out[SIM_TLS_SHA256_LEN]);

/* PRF(secret, label, seed) truncated to out_len bytes: P_SHA256 over
 * label || seed. */
void sim_tls_prf (const uint8_t *secret, size_t secret_len, const char *label,
                  const uint8_t *seed, size_t seed_len, uint8_t *out,
                  size_t out_len);

#endif
