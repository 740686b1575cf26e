/* TLS 1.2 PRF and HMAC-SHA256 (see sim/tls-prf.h). */
#include "sim/tls-prf.h"

#include <string.h>

#define HMAC_BLOCK 64u

void
sim_tls_hmac_init (SimTlsHmac *h, const uint8_t *key, size_t key_len)
{
  uint8_t k[HMAC_BLOCK] = { 0 };

  if (h->sum == NULL)
    h->sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_reset (h->sum);
  if (key_len > HMAC_BLOCK)
    {
      gsize n = SIM_TLS_SHA256_LEN;

      g_checksum_update (h->sum, key, (gssize) key_len);
      g_checksum_get_digest (h->sum, k, &n);
      g_checksum_reset (h->sum);
    }
  else
    memcpy (k, key, key_len);
  for (size_t i = 0; i < HMAC_BLOCK; i++)
    {
      h->ipad[i] = k[i] ^ 0x36;
      h->opad[i] = k[i] ^ 0x5c;
    }
}

void
sim_tls_hmac_clear (SimTlsHmac *h)
{
  g_clear_pointer (&h->sum, g_checksum_free);
}

void
sim_tls_hmac_begin (SimTlsHmac *h)
{
  g_checksum_reset (h->sum);
  g_checksum_update (h->sum, h->ipad, HMAC_BLOCK);
}

void
sim_tls_hmac_update (SimTlsHmac *h, const uint8_t *data, size_t len)
{
  g_checksum_update (h->sum, data, (gssize) len);
}

void
sim_tls_hmac_end (SimTlsHmac *h, uint8_t out[SIM_TLS_SHA256_LEN])
{
  uint8_t inner[SIM_TLS_SHA256_LEN];
  gsize n = sizeof inner;

  g_checksum_get_digest (h->sum, inner, &n);
  g_checksum_reset (h->sum);
  g_checksum_update (h->sum, h->opad, HMAC_BLOCK);
  g_checksum_update (h->sum, inner, sizeof inner);
  n = SIM_TLS_SHA256_LEN;
  g_checksum_get_digest (h->sum, out, &n);
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
  SimTlsHmac h = { 0 };

  sim_tls_hmac_init (&h, secret, secret_len);
  sim_tls_hmac_begin (&h);
  sim_tls_hmac_update (&h, (const uint8_t *) label, label_len);
  sim_tls_hmac_update (&h, seed, seed_len);
  sim_tls_hmac_end (&h, a);
  for (size_t done = 0; done < out_len; done += sizeof block)
    {
      sim_tls_hmac_begin (&h);
      sim_tls_hmac_update (&h, a, sizeof a);
      sim_tls_hmac_update (&h, (const uint8_t *) label, label_len);
      sim_tls_hmac_update (&h, seed, seed_len);
      sim_tls_hmac_end (&h, block);
      memcpy (out + done, block, MIN (sizeof block, out_len - done));
      sim_tls_hmac_begin (&h);
      sim_tls_hmac_update (&h, a, sizeof a);
      sim_tls_hmac_end (&h, a);
    }
  sim_tls_hmac_clear (&h);
}
