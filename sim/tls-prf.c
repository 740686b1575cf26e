/* TLS 1.2 PRF and HMAC-SHA256 (see sim/tls-prf.h). */
#include "sim/tls-prf.h"

#include <glib.h>
#include <string.h>

void
sim_tls_hmac_init (SimTlsHmac *h, const uint8_t *key, size_t key_len)
{
  hmac_sha256_set_key (&h->ctx, key_len, key);
}

void
sim_tls_hmac_clear (SimTlsHmac *h)
{
  memset (h, 0, sizeof *h);
}

/* Drops any partial message: the running state restarts from the key's
 * inner state (nettle's digest does the same after each MAC). */
void
sim_tls_hmac_begin (SimTlsHmac *h)
{
  h->ctx.state = h->ctx.inner;
}

void
sim_tls_hmac_update (SimTlsHmac *h, const uint8_t *data, size_t len)
{
  hmac_sha256_update (&h->ctx, len, data);
}

void
sim_tls_hmac_end (SimTlsHmac *h, uint8_t out[SIM_TLS_SHA256_LEN])
{
  hmac_sha256_digest (&h->ctx, SIM_TLS_SHA256_LEN, out);
}

void
sim_tls_sha256 (const uint8_t *data, size_t len,
                uint8_t out[SIM_TLS_SHA256_LEN])
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, len, data);
  sha256_digest (&ctx, SIM_TLS_SHA256_LEN, out);
}

/* P_SHA256: A(0) = label || seed, A(i) = HMAC(A(i-1)), output
 * HMAC(A(1) || label || seed) || HMAC(A(2) || label || seed) ... */
void
sim_tls_prf (const uint8_t *secret, size_t secret_len, const char *label,
             const uint8_t *seed, size_t seed_len, uint8_t *out,
             size_t out_len)
{
  size_t label_len = strlen (label);
  uint8_t a[SIM_TLS_SHA256_LEN], block[SIM_TLS_SHA256_LEN];
  SimTlsHmac h;

  sim_tls_hmac_init (&h, secret, secret_len);
  sim_tls_hmac_update (&h, (const uint8_t *) label, label_len);
  sim_tls_hmac_update (&h, seed, seed_len);
  sim_tls_hmac_end (&h, a);
  for (size_t done = 0; done < out_len; done += sizeof block)
    {
      sim_tls_hmac_update (&h, a, sizeof a);
      sim_tls_hmac_update (&h, (const uint8_t *) label, label_len);
      sim_tls_hmac_update (&h, seed, seed_len);
      sim_tls_hmac_end (&h, block);
      memcpy (out + done, block, MIN (sizeof block, out_len - done));
      sim_tls_hmac_update (&h, a, sizeof a);
      sim_tls_hmac_end (&h, a);
    }
}
