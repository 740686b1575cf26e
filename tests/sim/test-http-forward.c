/* Tests for sim/http-forward.c: the head a forwarding proxy sends on.
 * End-to-end fields (Host, Authorization, User-Agent, Content-Length) go
 * through as they came and in order; hop-by-hop ones (Connection,
 * Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade, and what
 * Connection names) stay behind; X-Forwarded-For and Via are appended to,
 * X-Forwarded-Proto replaced; a short buffer or a head that is not a
 * header block gives 0. Table-driven: each case is a received head and
 * the exact head sent on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim/http-forward.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static const SimHttpForward LB = {
  .xff_append = "203.0.113.10,192.0.2.20", .via = "1.1 google",
  .proto = "https" };

static const struct {
  const char *label;
  const char *in, *out;
} cases[] = {
  { "end-to-end fields go through in order, the proxy's own last",
    "GET /a HTTP/1.1\r\nHost: shop.example.com\r\n"
    "Authorization: Bearer t.o.k\r\nUser-Agent: x\r\n"
    "Content-Length: 0\r\n\r\n",
    "GET /a HTTP/1.1\r\nHost: shop.example.com\r\n"
    "Authorization: Bearer t.o.k\r\nUser-Agent: x\r\n"
    "Content-Length: 0\r\n"
    "X-Forwarded-For: 203.0.113.10,192.0.2.20\r\nVia: 1.1 google\r\n"
    "X-Forwarded-Proto: https\r\n\r\n" },
  { "hop-by-hop fields stay behind, whatever their case",
    "POST / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n"
    "keep-alive: timeout=5\r\nProxy-Authorization: Basic x\r\n"
    "Proxy-Connection: close\r\nTE: trailers\r\nTrailer: X-Sum\r\n"
    "Transfer-Encoding: identity\r\nUPGRADE: h2c\r\n"
    "Content-Length: 3\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
    "X-Forwarded-For: 203.0.113.10,192.0.2.20\r\nVia: 1.1 google\r\n"
    "X-Forwarded-Proto: https\r\n\r\n" },
  { "fields that Connection names are hop-by-hop too",
    "GET / HTTP/1.1\r\nHost: h\r\nConnection: close, X-Secret\r\n"
    "x-secret: 1\r\nX-Kept: 2\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX-Kept: 2\r\n"
    "X-Forwarded-For: 203.0.113.10,192.0.2.20\r\nVia: 1.1 google\r\n"
    "X-Forwarded-Proto: https\r\n\r\n" },
  { "X-Forwarded-For and Via are appended to, X-Forwarded-Proto replaced",
    "GET / HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\r\nHost: h\r\n"
    "Via: 1.0 corp\r\nx-forwarded-for: 5.6.7.8\r\n"
    "X-Forwarded-Proto: ftp\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n"
    "X-Forwarded-For: 1.2.3.4,5.6.7.8,203.0.113.10,192.0.2.20\r\n"
    "Via: 1.0 corp, 1.1 google\r\nX-Forwarded-Proto: https\r\n\r\n" },
};

static void
test_http_forward__cases (void **state)
{
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t out[1024];
      size_t n = sim_http_forward_request ((const uint8_t *) cases[i].in,
                                           strlen (cases[i].in), out,
                                           sizeof out, &LB);
      if (n != strlen (cases[i].out) || memcmp (out, cases[i].out, n) != 0)
        fail_msg ("%s:\nexpected\n%s\nfound (%zu bytes)\n%.*s",
                  cases[i].label, cases[i].out, n, (int) n, (char *) out);
    }
}

static void
test_http_forward__nothing_added_when_not_asked (void **state)
{
  static const char in[] = "GET / HTTP/1.1\r\nHost: h\r\nVia: 1.0 a\r\n"
                           "Connection: close\r\n\r\n";
  static const char want[] = "GET / HTTP/1.1\r\nHost: h\r\nVia: 1.0 a\r\n"
                             "\r\n";
  SimHttpForward none = { .xff_append = NULL };
  uint8_t out[256];
  size_t n = sim_http_forward_request ((const uint8_t *) in, strlen (in),
                                       out, sizeof out, &none);

  (void) state;
  assert_int_equal (n, strlen (want));
  assert_memory_equal (out, want, n);
}

/* An identity-aware proxy's own credentials: the fields it replaces
 * stay behind whatever their case, its lines come last. */
static void
test_http_forward__drop_and_extra (void **state)
{
  static const char *const drop[] = { "x-serverless-authorization",
                                      "x-goog-iap-jwt-assertion", NULL };
  static const char in[] =
    "GET / HTTP/1.1\r\nHost: h\r\nX-Serverless-Authorization: Bearer u\r\n"
    "Authorization: Bearer u\r\nx-goog-iap-jwt-assertion: forged\r\n\r\n";
  static const char want[] =
    "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer u\r\n"
    "X-Serverless-Authorization: Bearer agent\r\n\r\n";
  SimHttpForward fw = { .drop = drop,
                        .extra = "X-Serverless-Authorization: Bearer agent\r\n" };
  uint8_t out[256];
  size_t n = sim_http_forward_request ((const uint8_t *) in, strlen (in),
                                       out, sizeof out, &fw);

  (void) state;
  assert_int_equal (n, strlen (want));
  assert_memory_equal (out, want, n);
  /* No room for the extra lines: nothing written. */
  assert_int_equal (sim_http_forward_request ((const uint8_t *) in,
                                              strlen (in), out,
                                              strlen (want) - 1, &fw), 0);
}

static void
test_http_forward__short_buffer_and_bad_head (void **state)
{
  const char *in = cases[0].in;
  size_t need = strlen (cases[0].out);
  uint8_t out[1024];

  (void) state;
  assert_int_equal (sim_http_forward_request ((const uint8_t *) in,
                                              strlen (in), out, need - 1,
                                              &LB), 0);
  assert_int_equal (sim_http_forward_request ((const uint8_t *) in,
                                              strlen (in), out, need, &LB),
                    need);
  /* Not a whole header block: no blank line at the end. */
  assert_int_equal (sim_http_forward_request ((const uint8_t *) in,
                                              strlen (in) - 2, out,
                                              sizeof out, &LB), 0);
}

static void
test_http_forward__hop_by_hop_names (void **state)
{
  static const char *const hop[] = {
    "Connection", "keep-alive", "Proxy-Authenticate", "proxy-authorization",
    "TE", "Trailer", "Transfer-Encoding", "Upgrade" };
  static const char *const end[] = {
    "Host", "Authorization", "X-Serverless-Authorization", "Content-Length",
    "Trailers", "Proxy", "Via" };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (hop); i++)
    assert_true (sim_http_is_hop_by_hop (hop[i], strlen (hop[i])));
  for (size_t i = 0; i < N_ELEMENTS (end); i++)
    if (sim_http_is_hop_by_hop (end[i], strlen (end[i])))
      fail_msg ("%s is end-to-end", end[i]);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_http_forward__cases),
    cmocka_unit_test (test_http_forward__nothing_added_when_not_asked),
    cmocka_unit_test (test_http_forward__drop_and_extra),
    cmocka_unit_test (test_http_forward__short_buffer_and_bad_head),
    cmocka_unit_test (test_http_forward__hop_by_hop_names),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
