/* Simulated Google ID tokens (see models/world/id-token.h): base64url
 * (RFC 4648 section 5, no padding), a JSON object of flat claims, and the
 * header field around them. */
#include "models/world/id-token.h"

#include <glib.h>
#include <inttypes.h>
#include <string.h>

static const char b64url[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const char token_header[] =
  "{\"alg\":\"RS256\",\"kid\":\"cloudrun-netsim-simulated\",\"typ\":\"JWT\"}";
static const char token_signature[] =
  "cloudrun-netsim: simulated token, not signed";

/* ---- base64url ---------------------------------------------------- */

/* Appends the encoding of in[0, n) at out + *at; false when cap is
 * short. */
static bool
b64url_encode (const uint8_t *in, size_t n, char *out, size_t cap,
               size_t *at)
{
  size_t need = n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);

  if (need > cap - *at)
    return false;
  for (size_t i = 0; i < n; i += 3)
    {
      uint32_t v = (uint32_t) in[i] << 16
                   | (i + 1 < n ? (uint32_t) in[i + 1] << 8 : 0)
                   | (i + 2 < n ? in[i + 2] : 0);
      size_t chars = i + 2 < n ? 4 : n - i + 1;
      for (size_t k = 0; k < chars; k++)
        out[(*at)++] = b64url[(v >> (18 - 6 * k)) & 63];
    }
  return true;
}

static int
b64url_value (char c)
{
  const char *p = c ? strchr (b64url, c) : NULL;

  return p ? (int) (p - b64url) : -1;
}

/* Decodes in[0, n) into out; returns the length, -1 when in is not
 * unpadded base64url or out is short. */
static long
b64url_decode (const char *in, size_t n, uint8_t *out, size_t cap)
{
  uint32_t acc = 0;
  int bits = 0;
  size_t len = 0;

  if (n % 4 == 1)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      int v = b64url_value (in[i]);
      if (v < 0)
        return -1;
      acc = acc << 6 | (uint32_t) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          if (len == cap)
            return -1;
          out[len++] = (uint8_t) (acc >> bits);
        }
    }
  return (long) len;
}

/* ---- Writing ------------------------------------------------------ */

/* A stable 21-digit account id: FNV-1a of the email. */
static uint64_t
token_subject (const char *email)
{
  uint64_t h = 0xcbf29ce484222325u;

  for (const char *p = email; *p; p++)
    h = (h ^ (uint8_t) *p) * 0x100000001b3u;
  return h % 10000000000000000000u;
}

size_t
cloudrun_id_token_write (char *out, size_t cap, const char *email,
                         const char *audience, SimTime now)
{
  char payload[CLOUDRUN_AUDIENCE_MAX + 2 * CLOUDRUN_EMAIL_MAX + 320];
  int64_t iat = now / SIM_S;
  size_t at = 0;
  int n;

  g_assert (strlen (email) <= CLOUDRUN_EMAIL_MAX
            && strlen (audience) <= CLOUDRUN_AUDIENCE_MAX);
  n = g_snprintf (payload, sizeof payload,
                  "{\"aud\":\"%s\",\"azp\":\"%s\",\"email\":\"%s\","
                  "\"email_verified\":true,\"exp\":%" PRId64 ",\"iat\":%"
                  PRId64 ",\"iss\":\"" CLOUDRUN_ID_TOKEN_ISSUER "\","
                  "\"sub\":\"1%020" PRIu64 "\",\"cloudrun_netsim\":"
                  "\"simulated token, not signed\"}", audience, email, email,
                  iat + CLOUDRUN_ID_TOKEN_LIFETIME_S, iat, token_subject (email));
  g_assert (n > 0 && (size_t) n < sizeof payload);
  if (cap == 0
      || !b64url_encode ((const uint8_t *) token_header,
                         sizeof token_header - 1, out, cap - 1, &at)
      || at + 1 >= cap)
    return 0;
  out[at++] = '.';
  if (!b64url_encode ((const uint8_t *) payload, (size_t) n, out, cap - 1,
                      &at) || at + 1 >= cap)
    return 0;
  out[at++] = '.';
  if (!b64url_encode ((const uint8_t *) token_signature,
                      sizeof token_signature - 1, out, cap - 1, &at))
    return 0;
  out[at] = '\0';
  return at;
}

/* ---- Finding ------------------------------------------------------ */

CloudRunAuthHeader
cloudrun_id_token_find (const uint8_t *head, size_t len, const char *field,
                        const char **token, size_t *token_len)
{
  char name[48];
  size_t n = (size_t) g_snprintf (name, sizeof name, "\r\n%s:", field);

  g_assert (n < sizeof name);

  for (size_t i = 0; i + n <= len; i++)
    {
      const char *v;
      size_t end;
      if (g_ascii_strncasecmp ((const char *) head + i, name, n) != 0)
        continue;
      end = i + n;
      while (end < len && (head[end] == ' ' || head[end] == '\t'))
        end++;
      v = (const char *) head + end;
      while (end < len && head[end] != '\r')
        end++;
      if ((size_t) ((const char *) head + end - v) < 7
          || g_ascii_strncasecmp (v, "bearer ", 7) != 0)
        return CLOUDRUN_AUTH_NOT_BEARER;
      v += 7;
      while (*v == ' ' && v < (const char *) head + end)
        v++;
      *token = v;
      *token_len = (size_t) ((const char *) head + end - v);
      while (*token_len > 0 && (v[*token_len - 1] == ' '
                                || v[*token_len - 1] == '\t'))
        (*token_len)--;
      return CLOUDRUN_AUTH_BEARER;
    }
  return CLOUDRUN_AUTH_NONE;
}

/* ---- Reading ------------------------------------------------------ */

typedef struct {
  const char *p, *end;
} JsonCursor;

static void
json_space (JsonCursor *c)
{
  while (c->p < c->end && *c->p && strchr (" \t\r\n", *c->p))
    c->p++;
}

/* A JSON string into out (cap bytes with the NUL); false when malformed
 * or too long. Escapes keep the escaped character (\uXXXX is refused). */
static bool
json_string (JsonCursor *c, char *out, size_t cap)
{
  size_t n = 0;

  if (c->p >= c->end || *c->p != '"')
    return false;
  for (c->p++; c->p < c->end && *c->p != '"'; c->p++)
    {
      if (*c->p == '\\' && (++c->p >= c->end || *c->p == 'u'))
        return false;
      if ((uint8_t) *c->p < 0x20 || n + 1 >= cap)
        return false;
      out[n++] = *c->p;
    }
  if (c->p >= c->end)
    return false;
  c->p++;
  out[n] = '\0';
  return true;
}

/* An integer, true/false/null, or a string whose text is not kept. */
static bool
json_value (JsonCursor *c, int64_t *number, bool *is_number)
{
  char skip[CLOUDRUN_ID_TOKEN_MAX];
  static const char *const words[] = { "true", "false", "null" };

  *is_number = false;
  if (c->p < c->end && *c->p == '"')
    return json_string (c, skip, sizeof skip);
  for (size_t i = 0; i < G_N_ELEMENTS (words); i++)
    {
      size_t n = strlen (words[i]);
      if ((size_t) (c->end - c->p) >= n && memcmp (c->p, words[i], n) == 0)
        {
          c->p += n;
          return true;
        }
    }
  {
    bool negative = c->p < c->end && *c->p == '-';
    const char *start = c->p += negative;
    int64_t v = 0;
    while (c->p < c->end && g_ascii_isdigit (*c->p) && c->p - start < 18)
      v = v * 10 + (*c->p++ - '0');
    if (c->p == start || (c->p < c->end && g_ascii_isdigit (*c->p)))
      return false;
    *number = negative ? -v : v;
    *is_number = true;
    return true;
  }
}

/* One member of the claims object: the claims the GFE reads are kept,
 * others skipped. *seen gets a bit per claim kept. */
static bool
json_member (JsonCursor *c, CloudRunIdTokenClaims *out, unsigned *seen)
{
  char name[32];
  char *strings[] = { out->iss, out->aud, out->email };
  size_t caps[] = { sizeof out->iss, sizeof out->aud, sizeof out->email };
  static const char *const string_names[] = { "iss", "aud", "email" };
  int64_t number = 0;
  bool is_number;

  if (!json_string (c, name, sizeof name))
    return false;
  json_space (c);
  if (c->p >= c->end || *c->p++ != ':')
    return false;
  json_space (c);
  for (unsigned i = 0; i < 3; i++)
    if (strcmp (name, string_names[i]) == 0)
      {
        *seen |= 1u << i;
        return json_string (c, strings[i], caps[i]);
      }
  if (!json_value (c, &number, &is_number))
    return false;
  if (strcmp (name, "iat") == 0 || strcmp (name, "exp") == 0)
    {
      if (!is_number)
        return false;
      *(name[0] == 'i' ? &out->iat : &out->exp) = number;
      *seen |= name[0] == 'i' ? 8u : 16u;
    }
  return true;
}

static bool
json_claims (const char *json, size_t len, CloudRunIdTokenClaims *out)
{
  JsonCursor c = { json, json + len };
  unsigned seen = 0;

  json_space (&c);
  if (c.p >= c.end || *c.p++ != '{')
    return false;
  json_space (&c);
  while (c.p < c.end && *c.p != '}')
    {
      if (!json_member (&c, out, &seen))
        return false;
      json_space (&c);
      if (c.p < c.end && *c.p == ',')
        {
          c.p++;
          json_space (&c);
        }
      else if (c.p >= c.end || *c.p != '}')
        return false;
    }
  if (c.p >= c.end)
    return false;
  c.p++;
  json_space (&c);
  return c.p == c.end && seen == 31u;
}

bool
cloudrun_id_token_read (const char *token, size_t len,
                        CloudRunIdTokenClaims *out, const char **why)
{
  const char *dot1 = len ? memchr (token, '.', len) : NULL;
  const char *dot2 = dot1 ? memchr (dot1 + 1, '.', len - (size_t) (dot1 + 1
                                                                   - token))
                          : NULL;
  uint8_t json[CLOUDRUN_ID_TOKEN_MAX], header[CLOUDRUN_ID_TOKEN_MAX];
  long n;

  memset (out, 0, sizeof *out);
  if (len > CLOUDRUN_ID_TOKEN_MAX || dot2 == NULL
      || memchr (dot2 + 1, '.', len - (size_t) (dot2 + 1 - token)))
    {
      *why = "it is not three base64url segments HEADER.PAYLOAD.SIGNATURE "
             "(an ID token is a JWT)";
      return false;
    }
  n = b64url_decode (dot1 + 1, (size_t) (dot2 - dot1 - 1), json, sizeof json);
  if (n < 0 || b64url_decode (token, (size_t) (dot1 - token), header,
                              sizeof header) < 0
      || b64url_decode (dot2 + 1, len - (size_t) (dot2 + 1 - token), header,
                        sizeof header) < 0)
    {
      *why = "a segment is not base64url";
      return false;
    }
  if (!json_claims ((const char *) json, (size_t) n, out))
    {
      *why = "its payload is not a JSON object with the claims iss, aud, "
             "email, iat and exp";
      return false;
    }
  if (strcmp (out->iss, CLOUDRUN_ID_TOKEN_ISSUER) != 0)
    {
      *why = "its issuer (iss) is not " CLOUDRUN_ID_TOKEN_ISSUER;
      return false;
    }
  return true;
}

CloudRunAuthHeader
cloudrun_id_token_find_iam (const uint8_t *head, size_t len,
                            const char **field, const char **token,
                            size_t *token_len)
{
  CloudRunAuthHeader auth;

  *field = CLOUDRUN_ID_TOKEN_SERVERLESS_FIELD;
  auth = cloudrun_id_token_find (head, len, *field, token, token_len);
  if (auth != CLOUDRUN_AUTH_NONE)
    return auth;
  *field = CLOUDRUN_ID_TOKEN_FIELD;
  return cloudrun_id_token_find (head, len, *field, token, token_len);
}
