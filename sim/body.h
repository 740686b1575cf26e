/* A message body made on demand: size bytes of a repeating pattern,
 * written into a TCP connection (in TLS records when a SimTls carries it)
 * as its send buffer makes room, so a body of any size costs the same
 * memory. */
#ifndef SIM_BODY_H
#define SIM_BODY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/tcp.h"
#include "sim/tls.h"

typedef struct {
  const char *pattern;          /* repeated; not owned; not empty */
  uint32_t period;              /* strlen (pattern) */
  uint64_t size, sent;          /* body bytes; bytes written so far */
} SimBody;

void sim_body_init (SimBody *body, const char *pattern, uint64_t size);
/* Writes the next n bytes (at most what is left) to out. */
void sim_body_read (SimBody *body, uint8_t *out, uint32_t n);
/* Queues as much of the rest as conn's send space allows and sends,
 * through tls when it carries conn (tls may be NULL); true once the whole
 * body is queued. */
bool sim_body_pump (SimBody *body, SimTls *tls, SimTcpConn *conn);

#endif
