/* HTTP/1.1 header blocks (RFC 9112) in clear text: the writers used by the
 * simulated clients and servers, and the parsers used by whoever reads a
 * TCP stream (servers, the GFE, clients reading responses).
 *
 * Written forms:
 *
 *   METHOD PATH HTTP/1.1\r\n           HTTP/1.1 STATUS REASON\r\n
 *   Host: HOST\r\n                     Content-Type: T\r\n  (if T != NULL)
 *   User-Agent: cloudrun-netsim\r\n    Content-Length: N\r\n
 *   Content-Length: N\r\n              Connection: close\r\n
 *   [Connection: keep-alive\r\n]       \r\n
 *   \r\n
 *
 * A request written with keep_alive asks for a persistent connection;
 * a response written with keep_alive says Connection: keep-alive instead
 * of close.
 *
 * Invariants:
 * - Writers never write a field that would change the message's framing
 *   (CR, LF or controls anywhere; spaces in the method, path or host):
 *   they return 0 instead, as when the buffer is short.
 * - Parsers read nothing outside [data, data + len), accept only CRLF line
 *   ends, match header names case-insensitively, and give up (-1) on a
 *   header block longer than HTTP_HEADER_MAX.
 * - Nothing here allocates: these run once per packet. */
#include "sim/http.h"
#include "sim/http-private.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define HTTP_HEADER_MAX 8192u   /* longest header block accepted */

/* ---- Characters --------------------------------------------------- */

/* RFC 9110 tchar: the characters of a method or a header name. */
static bool
is_tchar (uint8_t c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
         || (c >= 'A' && c <= 'Z') || (c && strchr ("!#$%&'*+-.^_`|~", c));
}

static bool
is_vchar (uint8_t c)            /* visible: no space, no controls */
{
  return c > 0x20 && c != 0x7f;
}

static bool
is_text (uint8_t c)             /* a field value or reason phrase */
{
  return is_vchar (c) || c == ' ' || c == '\t';
}

static bool
all_of (const char *s, bool (*ok) (uint8_t), bool allow_empty)
{
  if (*s == '\0')
    return allow_empty;
  for (; *s; s++)
    if (!ok ((uint8_t) *s))
      return false;
  return true;
}

/* ---- Writers ------------------------------------------------------ */

void
sim_http_write_bytes (SimHttpWriter *w, const void *s, size_t n)
{
  if (!w->ok || n > w->cap - w->len)
    {
      w->ok = false;
      return;
    }
  memcpy (w->out + w->len, s, n);
  w->len += n;
}

void
sim_http_write_str (SimHttpWriter *w, const char *s)
{
  sim_http_write_bytes (w, s, strlen (s));
}

static void
w_u64 (SimHttpWriter *w, uint64_t v)
{
  char digits[24];

  snprintf (digits, sizeof digits, "%" PRIu64, v);
  sim_http_write_str (w, digits);
}

size_t
sim_http_write_request (uint8_t *out, size_t cap, const SimHttpRequest *req)
{
  SimHttpWriter w = { out, cap, 0, true };

  if (!all_of (req->method, is_tchar, false)
      || !all_of (req->path, is_vchar, false)
      || !all_of (req->host, is_vchar, false))
    return 0;
  sim_http_write_str (&w, req->method);
  sim_http_write_str (&w, " ");
  sim_http_write_str (&w, req->path);
  sim_http_write_str (&w, " HTTP/1.1\r\nHost: ");
  sim_http_write_str (&w, req->host);
  sim_http_write_str (&w, "\r\nUser-Agent: cloudrun-netsim\r\nContent-Length: ");
  w_u64 (&w, req->content_length);
  sim_http_write_str (&w, req->keep_alive ? "\r\nConnection: keep-alive"
                                           "\r\n\r\n" : "\r\n\r\n");
  return w.ok ? w.len : 0;
}

/* The reason is resp->reason, or the standard phrase when it is empty.
 * status must be 100 to 599, as the parser requires. */
size_t
sim_http_write_response (uint8_t *out, size_t cap,
                         const SimHttpResponse *resp, const char *content_type)
{
  SimHttpWriter w = { out, cap, 0, true };
  const char *reason = resp->reason[0] ? resp->reason
                                       : sim_http_reason (resp->status);

  if (resp->status < 100 || resp->status > 599
      || !all_of (reason, is_text, true)
      || (content_type && !all_of (content_type, is_text, false)))
    return 0;
  sim_http_write_str (&w, "HTTP/1.1 ");
  w_u64 (&w, (uint64_t) resp->status);
  sim_http_write_str (&w, " ");
  sim_http_write_str (&w, reason);
  if (content_type)
    {
      sim_http_write_str (&w, "\r\nContent-Type: ");
      sim_http_write_str (&w, content_type);
    }
  sim_http_write_str (&w, "\r\nContent-Length: ");
  w_u64 (&w, resp->content_length);
  sim_http_write_str (&w, resp->keep_alive
                          ? "\r\nConnection: keep-alive\r\n\r\n"
                          : "\r\nConnection: close\r\n\r\n");
  return w.ok ? w.len : 0;
}

void
sim_http_connection_names (SimHttpSpan value, SimHttpSpan *names, size_t *n,
                           size_t cap)
{
  size_t i = 0;

  while (i < value.n && *n < cap)
    {
      size_t start, stop;
      while (i < value.n && (value.p[i] == ',' || value.p[i] == ' '
                             || value.p[i] == '\t'))
        i++;
      start = i;
      while (i < value.n && value.p[i] != ',' && value.p[i] != ' '
             && value.p[i] != '\t')
        i++;
      stop = i;
      if (stop > start)
        names[(*n)++] = (SimHttpSpan) { value.p + start, stop - start };
    }
}

/* "Unknown" for a status without a registered phrase here. */
const char *
sim_http_reason (int status)
{
  static const struct {
    int status;
    const char *reason;
  } reasons[] = {
    { 100, "Continue" },           { 200, "OK" },
    { 201, "Created" },            { 202, "Accepted" },
    { 204, "No Content" },         { 301, "Moved Permanently" },
    { 302, "Found" },              { 304, "Not Modified" },
    { 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
    { 400, "Bad Request" },        { 401, "Unauthorized" },
    { 403, "Forbidden" },          { 404, "Not Found" },
    { 405, "Method Not Allowed" }, { 408, "Request Timeout" },
    { 413, "Content Too Large" },  { 429, "Too Many Requests" },
    { 500, "Internal Server Error" }, { 501, "Not Implemented" },
    { 502, "Bad Gateway" },        { 503, "Service Unavailable" },
    { 504, "Gateway Timeout" },
  };

  for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
    if (reasons[i].status == status)
      return reasons[i].reason;
  return "Unknown";
}

/* ---- Parsers ------------------------------------------------------ */

/* A span of the input, not NUL-terminated. */

/* The header block's length through "\r\n\r\n", 0 when incomplete, -1
 * when too long. */
static int
block_length (const uint8_t *d, size_t len)
{
  size_t limit = len < HTTP_HEADER_MAX ? len : HTTP_HEADER_MAX;

  for (size_t i = 3; i < limit; i++)
    if (d[i] == '\n' && d[i - 1] == '\r' && d[i - 2] == '\n'
        && d[i - 3] == '\r')
      return (int) (i + 1);
  return len < HTTP_HEADER_MAX ? 0 : -1;
}

/* The line at *pos (which must end with CRLF before end); advances *pos
 * past the CRLF. False when the line holds a control character. */
static bool
next_line (const uint8_t *d, size_t end, size_t *pos, SimHttpSpan *line)
{
  size_t i = *pos;

  while (i + 1 < end && d[i] != '\r')
    {
      if (!is_text (d[i]))
        return false;
      i++;
    }
  if (i + 1 >= end || d[i + 1] != '\n')
    return false;
  line->p = d + *pos;
  line->n = i - *pos;
  *pos = i + 2;
  return true;
}

bool
sim_http_span_ieq (SimHttpSpan s, const char *lit)
{
  size_t n = strlen (lit);

  if (s.n != n)
    return false;
  for (size_t i = 0; i < n; i++)
    {
      uint8_t c = s.p[i];
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (uint8_t) lit[i])
        return false;
    }
  return true;
}

/* Digits only, no sign, no overflow. */
static bool
span_u64 (SimHttpSpan s, uint64_t *out)
{
  uint64_t v = 0;

  if (s.n == 0)
    return false;
  for (size_t i = 0; i < s.n; i++)
    {
      if (s.p[i] < '0' || s.p[i] > '9')
        return false;
      if (v > (UINT64_MAX - (uint64_t) (s.p[i] - '0')) / 10)
        return false;
      v = v * 10 + (uint64_t) (s.p[i] - '0');
    }
  *out = v;
  return true;
}

/* Copies s into a buffer of cap bytes as a C string; false if too long. */
static bool
span_copy (SimHttpSpan s, char *out, size_t cap)
{
  if (s.n >= cap)
    return false;
  memcpy (out, s.p, s.n);
  out[s.n] = '\0';
  return true;
}

bool
sim_http_split_field (SimHttpSpan line, SimHttpSpan *name, SimHttpSpan *value)
{
  size_t i = 0;

  while (i < line.n && line.p[i] != ':')
    if (!is_tchar (line.p[i++]))
      return false;             /* also rejects folded continuation lines */
  if (i == 0 || i == line.n)
    return false;
  name->p = line.p;
  name->n = i;
  value->p = line.p + i + 1;
  value->n = line.n - i - 1;
  while (value->n && (value->p[0] == ' ' || value->p[0] == '\t'))
    value->p++, value->n--;
  while (value->n && (value->p[value->n - 1] == ' '
                      || value->p[value->n - 1] == '\t'))
    value->n--;
  return true;
}

/* The Host value without ":port" ("[v6]:port" keeps the brackets); the
 * port, when present, is digits only (possibly none, RFC 3986). */
static bool
host_strip_port (SimHttpSpan value, SimHttpSpan *host)
{
  const uint8_t *mark;
  size_t colon;

  if (value.n && value.p[0] == '[')
    {
      mark = memchr (value.p, ']', value.n);
      if (mark == NULL)
        return false;
      colon = (size_t) (mark - value.p) + 1;
      if (colon < value.n && value.p[colon] != ':')
        return false;
    }
  else
    {
      mark = memchr (value.p, ':', value.n);
      colon = mark ? (size_t) (mark - value.p) : value.n;
    }
  for (size_t k = 0; k < colon; k++)
    if (!is_vchar (value.p[k]))
      return false;
  for (size_t k = colon + 1; k < value.n; k++)
    if (value.p[k] < '0' || value.p[k] > '9')
      return false;
  host->p = value.p;
  host->n = colon;
  return colon > 0;
}

#define HTTP_CONNECTION_NAMES 16u /* names of Connection fields read */

/* Whether a Connection field of the head named name. */
static bool
connection_says (const SimHttpSpan *names, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (sim_http_span_ieq (names[i], name))
      return true;
  return false;
}

/* Reads header lines from pos to end (the final empty line excluded).
 * Content-Length goes to *length (0 when absent; repeated with another
 * value is an error); Host goes to host when host is not NULL (repeated
 * is an error). *have_host tells whether it was seen. The names of the
 * Connection fields (the first HTTP_CONNECTION_NAMES) set *keep_alive
 * and *close. */
static bool
parse_fields (const uint8_t *d, size_t pos, size_t end, uint64_t *length,
              char *host, size_t host_cap, bool *have_host,
              bool *keep_alive, bool *close)
{
  bool have_length = false;
  SimHttpSpan names[HTTP_CONNECTION_NAMES];
  size_t n_names = 0;

  *length = 0;
  *have_host = false;
  while (pos < end)
    {
      SimHttpSpan line, name, value, h;
      uint64_t v;

      if (!next_line (d, end + 2, &pos, &line)
          || !sim_http_split_field (line, &name, &value))
        return false;
      if (sim_http_span_ieq (name, "content-length"))
        {
          if (!span_u64 (value, &v) || (have_length && v != *length))
            return false;
          *length = v;
          have_length = true;
        }
      else if (host && sim_http_span_ieq (name, "host"))
        {
          if (*have_host || !host_strip_port (value, &h)
              || !span_copy (h, host, host_cap))
            return false;
          *have_host = true;
        }
      else if (sim_http_span_ieq (name, "connection"))
        sim_http_connection_names (value, names, &n_names,
                                   HTTP_CONNECTION_NAMES);
    }
  *keep_alive = connection_says (names, n_names, "keep-alive");
  *close = connection_says (names, n_names, "close");
  return true;
}

/* Splits the start line at its first two spaces into three parts; the
 * first two must not be empty. The third may be empty or missing, with
 * its space, only when third_optional (a reason phrase); it keeps any
 * further spaces. */
static bool
split_start (SimHttpSpan line, SimHttpSpan part[3], bool third_optional)
{
  size_t i = 0;

  for (int k = 0; k < 2; k++)
    {
      part[k].p = line.p + i;
      while (i < line.n && line.p[i] != ' ')
        i++;
      part[k].n = (size_t) (line.p + i - part[k].p);
      if (part[k].n == 0 || (i == line.n && !(k == 1 && third_optional)))
        return false;
      i += i < line.n;
    }
  part[2].p = line.p + i;
  part[2].n = line.n - i;
  return true;
}

static bool
is_http1_version (SimHttpSpan v)
{
  return v.n == 8 && memcmp (v.p, "HTTP/1.", 7) == 0 && v.p[7] >= '0'
         && v.p[7] <= '9';
}

/* Three digits, 100 to 599. */
static bool
span_status (SimHttpSpan s, int *status)
{
  if (s.n != 3 || s.p[0] < '1' || s.p[0] > '5')
    return false;
  *status = 0;
  for (size_t i = 0; i < 3; i++)
    {
      if (s.p[i] < '0' || s.p[i] > '9')
        return false;
      *status = *status * 10 + (s.p[i] - '0');
    }
  return true;
}

int
sim_http_parse_request (const uint8_t *data, size_t len, SimHttpRequest *out)
{
  int block = block_length (data, len);
  size_t pos = 0, end;
  SimHttpSpan line, part[3];
  bool have_host, close;

  memset (out, 0, sizeof *out);
  if (block <= 0)
    return block;
  end = (size_t) block - 2;     /* before the empty line's CRLF */
  if (!next_line (data, end + 2, &pos, &line)
      || !split_start (line, part, false))
    return -1;
  for (size_t i = 0; i < part[0].n; i++)
    if (!is_tchar (part[0].p[i]))
      return -1;
  for (size_t i = 0; i < part[1].n; i++)
    if (!is_vchar (part[1].p[i]))   /* a tab is not a separator here */
      return -1;
  if (!is_http1_version (part[2])
      || !span_copy (part[0], out->method, sizeof out->method)
      || !span_copy (part[1], out->path, sizeof out->path))
    return -1;
  if (!parse_fields (data, pos, end, &out->content_length, out->host,
                     sizeof out->host, &have_host, &out->keep_alive, &close)
      || !have_host)
    return -1;
  out->keep_alive = out->keep_alive && !close;
  return block;
}

/* The reason phrase may be empty, or missing with its space; it is cut
 * to fit out->reason. */
int
sim_http_parse_response (const uint8_t *data, size_t len,
                         SimHttpResponse *out)
{
  int block = block_length (data, len);
  size_t pos = 0, end;
  SimHttpSpan line, part[3];
  bool have_host, keep_alive, close;

  memset (out, 0, sizeof *out);
  if (block <= 0)
    return block;
  end = (size_t) block - 2;
  if (!next_line (data, end + 2, &pos, &line)
      || !split_start (line, part, true))
    return -1;
  if (!is_http1_version (part[0]) || !span_status (part[1], &out->status))
    return -1;
  if (part[2].n >= sizeof out->reason)
    part[2].n = sizeof out->reason - 1;
  span_copy (part[2], out->reason, sizeof out->reason);
  if (!parse_fields (data, pos, end, &out->content_length, NULL, 0,
                     &have_host, &keep_alive, &close))
    return -1;
  out->keep_alive = !close;
  return block;
}

bool
sim_http_find_field (const uint8_t *head, size_t len, const char *name,
                     const uint8_t **value, size_t *value_len)
{
  size_t pos = 0;
  SimHttpSpan line, n, v;

  /* The request or status line first, then one field a line up to the
   * blank line; a line that is no field is skipped. */
  if (!next_line (head, len, &pos, &line))
    return false;
  while (next_line (head, len, &pos, &line) && line.n > 0)
    if (sim_http_split_field (line, &n, &v) && sim_http_span_ieq (n, name))
      {
        *value = v.p;
        *value_len = v.n;
        return true;
      }
  return false;
}
