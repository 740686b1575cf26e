/* Pattern bodies (see sim/body.h). */
#include "sim/body.h"

#include <string.h>

#define BODY_CHUNK 4096u        /* bytes made at a time, on the stack */

void
sim_body_init (SimBody *body, const char *pattern, uint64_t size)
{
  body->pattern = pattern;
  body->period = (uint32_t) strlen (pattern);
  body->size = size;
  body->sent = 0;
  g_assert (body->period > 0);
}

void
sim_body_read (SimBody *body, uint8_t *out, uint32_t n)
{
  uint32_t at = (uint32_t) (body->sent % body->period);

  g_assert (n <= body->size - body->sent);
  body->sent += n;
  while (n > 0)
    {
      uint32_t k = MIN (n, body->period - at);
      memcpy (out, body->pattern + at, k);
      out += k;
      n -= k;
      at = 0;
    }
}

bool
sim_body_pump (SimBody *body, SimTls *tls, SimTcpConn *conn)
{
  uint8_t chunk[BODY_CHUNK];
  uint32_t space = sim_tls_conn_send_space (tls, conn);

  /* Queued first and sent once, so chunks do not cut short segments. */
  while (space > 0 && body->sent < body->size)
    {
      uint32_t n = (uint32_t) MIN ((uint64_t) MIN (space, BODY_CHUNK),
                                   body->size - body->sent);
      sim_body_read (body, chunk, n);
      sim_tls_conn_queue (tls, conn, chunk, n);
      space -= n;
    }
  sim_tls_conn_flush (tls, conn);
  return body->sent == body->size;
}
