/* HTTP/1.1 messages in clear text: request line and response status line,
 * Host, Content-Length, Content-Type, Connection headers. Bodies are the
 * caller's bytes; these functions write and parse the header block only. */
#ifndef SIM_HTTP_H
#define SIM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  char method[17];              /* up to 16 characters */
  char path[256];
  char host[256];               /* Host header, without port */
  uint64_t content_length;
  bool keep_alive;              /* Connection: keep-alive (written when
                                   set; parsed from the field's names) */
} SimHttpRequest;

typedef struct {
  int status;
  char reason[64];
  uint64_t content_length;
  bool keep_alive;              /* written: Connection: keep-alive instead
                                   of close; parsed: the response does not
                                   say Connection: close (HTTP/1.1's
                                   persistence) */
} SimHttpResponse;

/* Each writer returns the header block length, or 0 when cap is short. */
size_t sim_http_write_request (uint8_t *out, size_t cap,
                               const SimHttpRequest *req);
size_t sim_http_write_response (uint8_t *out, size_t cap,
                                const SimHttpResponse *resp,
                                const char *content_type);
/* Standard reason phrase for a status ("OK", "Not Found", ...). */
const char *sim_http_reason (int status);

/* Parsers return the header block length (through the blank line) when it
 * is complete, 0 when more bytes are needed, -1 when malformed. */
int sim_http_parse_request (const uint8_t *data, size_t len,
                            SimHttpRequest *out);
int sim_http_parse_response (const uint8_t *data, size_t len,
                             SimHttpResponse *out);

/* The value of the first header field named name (lower case; matched
 * ignoring ASCII case) in the head head[0, len), whitespace around it
 * left out: *value points into head (not NUL-terminated). False when no
 * such field. */
bool sim_http_find_field (const uint8_t *head, size_t len, const char *name,
                          const uint8_t **value, size_t *value_len);

#endif
