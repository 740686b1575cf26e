/* What sim/http.c lends sim/http-forward.c: a byte span and a bounded
 * writer over a header block, and the field splitting the parser uses.
 * Not part of sim/'s public contract; nothing here allocates. */
#ifndef SIM_HTTP_PRIVATE_H
#define SIM_HTTP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes p[0, n) inside a received buffer (not NUL-terminated). */
typedef struct {
  const uint8_t *p;
  size_t n;
} SimHttpSpan;

/* Appends into out[0, cap); ok turns false (and stays so) once anything
 * did not fit, and nothing more is written. */
typedef struct {
  uint8_t *out;
  size_t cap, len;
  bool ok;
} SimHttpWriter;

void sim_http_write_bytes (SimHttpWriter *w, const void *s, size_t n);
void sim_http_write_str (SimHttpWriter *w, const char *s);
/* Whether s equals lit (lower case) ignoring ASCII case. */
bool sim_http_span_ieq (SimHttpSpan s, const char *lit);
/* Splits a header line "name: value" (the name made of RFC 9110 tchars,
 * optional whitespace around the value); false on anything else. */
bool sim_http_split_field (SimHttpSpan line, SimHttpSpan *name,
                           SimHttpSpan *value);
/* Splits a Connection value's comma-separated names into names, at most
 * cap in all counting *n already there. */
void sim_http_connection_names (SimHttpSpan value, SimHttpSpan *names,
                                size_t *n, size_t cap);

#endif
