/* The TLS 1.2 pseudo-random function with SHA-256 (RFC 5246 section 5)
 * and the HMAC-SHA256 it is built on (RFC 2104). The HMAC keeps one
 * GChecksum and the padded key, so a record's MAC allocates nothing. */
#ifndef SIM_TLS_PRF_H
#define SIM_TLS_PRF_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_TLS_SHA256_LEN 32u

typedef struct {
  GChecksum *sum;               /* owned; reset for every MAC */
  uint8_t ipad[64], opad[64];   /* the key XOR 0x36, XOR 0x5c */
} SimTlsHmac;

/* Sets the key; keys longer than a block are hashed first, as HMAC
 * says. h is zeroed or was set before: its GChecksum is kept. */
void sim_tls_hmac_init (SimTlsHmac *h, const uint8_t *key, size_t key_len);
void sim_tls_hmac_clear (SimTlsHmac *h);
/* One MAC: begin, update as often as needed, end. */
void sim_tls_hmac_begin (SimTlsHmac *h);
void sim_tls_hmac_update (SimTlsHmac *h, const uint8_t *data, size_t len);
void sim_tls_hmac_end (SimTlsHmac *h, uint8_t out[SIM_TLS_SHA256_LEN]);

/* PRF(secret, label, seed) truncated to out_len bytes: P_SHA256 over
 * label || seed. */
void sim_tls_prf (const uint8_t *secret, size_t secret_len, const char *label,
                  const uint8_t *seed, size_t seed_len, uint8_t *out,
                  size_t out_len);

#endif
