/* A forwarding proxy's request head (see sim/http-forward.h). Three
 * passes over the received head, none allocating: the Connection
 * header's names, the fields that go through, then the values of the
 * fields the proxy appends to. */
#include "sim/http-forward.h"
#include "sim/http-private.h"

#include <string.h>

#define FORWARD_CONNECTION_NAMES 16u  /* names one Connection may list */

/* ASCII lower case of c. */
static uint8_t
lower (uint8_t c)
{
  return c >= 'A' && c <= 'Z' ? (uint8_t) (c + 32) : c;
}

static bool
iprefix (SimHttpSpan s, const char *lit)
{
  size_t n = strlen (lit);
  SimHttpSpan head = { s.p, n };

  return s.n >= n && sim_http_span_ieq (head, lit);
}

bool
sim_http_is_hop_by_hop (const char *name, size_t n)
{
  static const char *const names[] = {
    "connection", "keep-alive", "te", "trailer", "transfer-encoding",
    "upgrade" };
  SimHttpSpan s = { (const uint8_t *) name, n };

  if (iprefix (s, "proxy-"))
    return true;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (sim_http_span_ieq (s, names[i]))
      return true;
  return false;
}

/* The header lines of a block: *pos at a line start; fills the whole
 * line (without CRLF), its name and its trimmed value. False at the
 * blank line or on a line without a colon. */
static bool
next_field (const uint8_t *d, size_t end, size_t *pos, SimHttpSpan *line,
            SimHttpSpan *name, SimHttpSpan *value)
{
  const uint8_t *cr = *pos < end ? memchr (d + *pos, '\r', end - *pos) : NULL;

  if (cr == NULL || cr == d + *pos)
    return false;
  line->p = d + *pos;
  line->n = (size_t) (cr - line->p);
  *pos += line->n + 2;
  return sim_http_split_field (*line, name, value);
}

static bool
named_in (SimHttpSpan name, const char *const *list)
{
  for (size_t i = 0; list && list[i]; i++)
    if (sim_http_span_ieq (name, list[i]))
      return true;
  return false;
}

static bool
named_by_connection (SimHttpSpan name, const SimHttpSpan *names, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t k = 0;
      while (k < name.n && names[i].n == name.n
             && lower (name.p[k]) == lower (names[i].p[k]))
        k++;
      if (names[i].n == name.n && k == name.n)
        return true;
    }
  return false;
}

/* The proxy's own line "NAME: OLD<sep>MINE": OLD is every received value
 * of NAME in order, joined by sep. */
static void
append_field (SimHttpWriter *w, const uint8_t *d, size_t first, size_t end,
              const char *name, const char *sep, const char *mine)
{
  size_t pos = first;
  SimHttpSpan line, fname, value;

  sim_http_write_str (w, name);
  sim_http_write_str (w, ": ");
  while (next_field (d, end, &pos, &line, &fname, &value))
    if (sim_http_span_ieq (fname, name[0] == 'V' ? "via" : "x-forwarded-for")
        && value.n > 0)
      {
        sim_http_write_bytes (w, value.p, value.n);
        sim_http_write_str (w, sep);
      }
  sim_http_write_str (w, mine);
  sim_http_write_str (w, "\r\n");
}

size_t
sim_http_forward_request (const uint8_t *head, size_t len, uint8_t *out,
                          size_t cap, const SimHttpForward *fw)
{
  SimHttpWriter w = { out, cap, 0, true };
  const uint8_t *eol = memchr (head, '\r', len);
  SimHttpSpan names[FORWARD_CONNECTION_NAMES], line, name, value;
  size_t n_names = 0, first, pos;

  if (eol == NULL || len < 4 || memcmp (head + len - 4, "\r\n\r\n", 4) != 0)
    return 0;
  first = (size_t) (eol - head) + 2;
  pos = first;
  while (next_field (head, len, &pos, &line, &name, &value))
    if (sim_http_span_ieq (name, "connection"))
      sim_http_connection_names (value, names, &n_names,
                                 FORWARD_CONNECTION_NAMES);
  sim_http_write_bytes (&w, head, first);
  pos = first;
  while (next_field (head, len, &pos, &line, &name, &value))
    {
      if (sim_http_is_hop_by_hop ((const char *) name.p, name.n)
          || named_by_connection (name, names, n_names)
          || named_in (name, fw->drop)
          || (fw->xff_append && sim_http_span_ieq (name, "x-forwarded-for"))
          || (fw->via && sim_http_span_ieq (name, "via"))
          || (fw->proto && sim_http_span_ieq (name, "x-forwarded-proto")))
        continue;
      sim_http_write_bytes (&w, line.p, line.n);
      sim_http_write_str (&w, "\r\n");
    }
  if (fw->xff_append)
    append_field (&w, head, first, len, "X-Forwarded-For", ",",
                  fw->xff_append);
  if (fw->via)
    append_field (&w, head, first, len, "Via", ", ", fw->via);
  if (fw->proto)
    {
      sim_http_write_str (&w, "X-Forwarded-Proto: ");
      sim_http_write_str (&w, fw->proto);
      sim_http_write_str (&w, "\r\n");
    }
  if (fw->extra)
    sim_http_write_str (&w, fw->extra);
  sim_http_write_str (&w, "\r\n");
  return w.ok ? w.len : 0;
}
