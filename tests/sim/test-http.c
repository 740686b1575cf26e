/* Tests for sim/http.c: the exact header blocks written, round trips,
 * reason phrases, what the parsers accept (case, ports, whitespace) and
 * refuse (malformed start lines, missing Host, bad Content-Length), and
 * incomplete input.
 *
 * The request bytes below are what tshark 4.0.17 decoded, inside a TCP
 * segment in a pcap, as "GET /hello HTTP/1.1" with Host svc-b.a.run.app
 * and Content-Length 0, and the response as "HTTP/1.1 200 OK (text/plain)",
 * with no malformed or expert warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim/http.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define LIT(s) (const uint8_t *) (s), sizeof (s) - 1

static const char GET_HELLO[] = "GET /hello HTTP/1.1\r\n"
                                "Host: svc-b.a.run.app\r\n"
                                "User-Agent: cloudrun-netsim\r\n"
                                "Content-Length: 0\r\n\r\n";
static const char OK_TEXT[] = "HTTP/1.1 200 OK\r\n"
                              "Content-Type: text/plain\r\n"
                              "Content-Length: 3\r\n"
                              "Connection: close\r\n\r\n";

static SimHttpRequest
request (const char *method, const char *path, const char *host,
         uint64_t length)
{
  SimHttpRequest r = { .content_length = length };

  strcpy (r.method, method);
  strcpy (r.path, path);
  strcpy (r.host, host);
  return r;
}

static void
test_http__write_request_exact_bytes (void **state)
{
  SimHttpRequest r = request ("GET", "/hello", "svc-b.a.run.app", 0);
  SimHttpRequest p = request ("POST", "/v1/items?x=1", "10.8.0.9", 1234);
  static const char POST[] = "POST /v1/items?x=1 HTTP/1.1\r\n"
                             "Host: 10.8.0.9\r\n"
                             "User-Agent: cloudrun-netsim\r\n"
                             "Content-Length: 1234\r\n\r\n";
  uint8_t buf[512];
  (void) state;
  assert_int_equal (sim_http_write_request (buf, sizeof buf, &r),
                    sizeof GET_HELLO - 1);
  assert_memory_equal (buf, GET_HELLO, sizeof GET_HELLO - 1);
  assert_int_equal (sim_http_write_request (buf, sizeof buf, &p),
                    sizeof POST - 1);
  assert_memory_equal (buf, POST, sizeof POST - 1);
}

static void
test_http__write_response_exact_bytes (void **state)
{
  SimHttpResponse ok = { .status = 200, .content_length = 3 };
  SimHttpResponse custom = { .status = 403, .reason = "Nope" };
  static const char FORBIDDEN[] = "HTTP/1.1 403 Nope\r\n"
                                  "Content-Length: 0\r\n"
                                  "Connection: close\r\n\r\n";
  uint8_t buf[512];
  (void) state;
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &ok,
                                             "text/plain"),
                    sizeof OK_TEXT - 1);
  assert_memory_equal (buf, OK_TEXT, sizeof OK_TEXT - 1);
  /* No Content-Type line when it is NULL; resp->reason wins. */
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &custom, NULL),
                    sizeof FORBIDDEN - 1);
  assert_memory_equal (buf, FORBIDDEN, sizeof FORBIDDEN - 1);
}

static void
test_http__request_round_trips (void **state)
{
  static const struct {
    const char *method, *path, *host;
    uint64_t length;
  } cases[] = {
    { "GET", "/", "svc.a.run.app", 0 },
    { "POST", "/upload", "internal.example", 1048576 },
    { "DELETE", "/a/b/c?d=e&f=g#h", "10.0.0.1", 18446744073709551615u },
    { "OPTIONS", "*", "x", 1 },
    /* Issue 27: the longest method the format takes goes whole. */
    { "ABCDEFGHIJKLMNOP", "/", "x", 0 },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimHttpRequest r = request (cases[i].method, cases[i].path,
                                  cases[i].host, cases[i].length), out;
      uint8_t buf[1024];
      size_t n = sim_http_write_request (buf, sizeof buf, &r);

      assert_true (n > 0);
      memcpy (buf + n, "BODY", 4);  /* the body is not the parser's */
      assert_int_equal (sim_http_parse_request (buf, n + 4, &out), (int) n);
      assert_string_equal (out.method, cases[i].method);
      assert_string_equal (out.path, cases[i].path);
      assert_string_equal (out.host, cases[i].host);
      assert_true (out.content_length == cases[i].length);
    }
}

static void
test_http__response_round_trips (void **state)
{
  static const struct {
    int status;
    const char *content_type;
    uint64_t length;
    const char *reason;
  } cases[] = {
    { 200, "text/plain", 3, "OK" },
    { 204, NULL, 0, "No Content" },
    { 404, "text/html; charset=utf-8", 9, "Not Found" },
    { 503, NULL, 19, "Service Unavailable" },
    { 299, NULL, 0, "Unknown" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimHttpResponse r = { .status = cases[i].status,
                            .content_length = cases[i].length }, out;
      uint8_t buf[512];
      size_t n = sim_http_write_response (buf, sizeof buf, &r,
                                          cases[i].content_type);

      assert_true (n > 0);
      assert_int_equal (sim_http_parse_response (buf, n, &out), (int) n);
      assert_int_equal (out.status, cases[i].status);
      assert_string_equal (out.reason, cases[i].reason);
      assert_true (out.content_length == cases[i].length);
    }
}

/* Keep-alive: written on request, read from the Connection field's
 * names (any case, among others); close wins; a response keeps the
 * connection unless it says close. */
static void
test_http__keep_alive (void **state)
{
  static const char req_head[] = "GET / HTTP/1.1\r\nHost: a\r\n";
  static const struct {
    const char *fields;
    bool request_keeps, response_keeps;
  } cases[] = {
    { "", false, true },
    { "Connection: keep-alive\r\n", true, true },
    { "Connection: Upgrade,  Keep-Alive\r\n", true, true },
    { "Connection: close\r\n", false, false },
    { "Connection: keep-alive\r\nConnection: close\r\n", false, false },
    { "Connection: upgrade\r\n", false, true },
    { "Keep-Alive: timeout=5\r\n", false, true },
  };
  SimHttpRequest req = { .method = "GET", .path = "/", .host = "a",
                         .keep_alive = true }, rin;
  SimHttpResponse resp = { .status = 200, .keep_alive = true }, rout;
  uint8_t buf[512];
  char q[256], a[256];
  size_t n;

  (void) state;
  n = sim_http_write_request (buf, sizeof buf - 1, &req);
  assert_true (n > 0);
  buf[n] = 0;
  assert_non_null (strstr ((const char *) buf, "Content-Length: 0\r\n"
                           "Connection: keep-alive\r\n\r\n"));
  assert_int_equal (sim_http_parse_request (buf, n, &rin), (int) n);
  assert_true (rin.keep_alive);
  n = sim_http_write_response (buf, sizeof buf - 1, &resp, NULL);
  buf[n] = 0;
  assert_non_null (strstr ((const char *) buf,
                           "\r\nConnection: keep-alive\r\n\r\n"));
  assert_null (strstr ((const char *) buf, "close"));
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      snprintf (q, sizeof q, "%s%s\r\n", req_head, cases[i].fields);
      snprintf (a, sizeof a, "HTTP/1.1 200 OK\r\n%s\r\n",
                cases[i].fields);
      assert_true (sim_http_parse_request ((const uint8_t *) q, strlen (q),
                                           &rin) > 0);
      assert_true (rin.keep_alive == cases[i].request_keeps);
      assert_true (sim_http_parse_response ((const uint8_t *) a, strlen (a),
                                            &rout) > 0);
      assert_true (rout.keep_alive == cases[i].response_keeps);
    }
}

static void
test_http__reason_phrases (void **state)
{
  static const struct {
    int status;
    const char *reason;
  } cases[] = {
    { 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
    { 301, "Moved Permanently" }, { 302, "Found" },
    { 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
    { 404, "Not Found" }, { 408, "Request Timeout" },
    { 429, "Too Many Requests" }, { 500, "Internal Server Error" },
    { 502, "Bad Gateway" }, { 503, "Service Unavailable" },
    { 504, "Gateway Timeout" }, { 299, "Unknown" }, { 0, "Unknown" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    assert_string_equal (sim_http_reason (cases[i].status), cases[i].reason);
}

static void
test_http__parse_request_accepts_variants (void **state)
{
  static const struct {
    const char *text;
    const char *host;
    uint64_t length;
  } cases[] = {
    { "GET / HTTP/1.1\r\nhost: a.example\r\n\r\n", "a.example", 0 },
    { "GET / HTTP/1.1\r\nHOST: a.example:8080\r\n\r\n", "a.example", 0 },
    { "GET / HTTP/1.1\r\nHost:a.example:\r\n\r\n", "a.example", 0 },
    { "GET / HTTP/1.1\r\nHost: \t10.0.0.1:80 \t\r\n\r\n", "10.0.0.1", 0 },
    { "GET / HTTP/1.1\r\nHost: [fd00::1]:8443\r\n\r\n", "[fd00::1]", 0 },
    { "GET / HTTP/1.1\r\nHost: [fd00::1]\r\n\r\n", "[fd00::1]", 0 },
    { "PUT /x HTTP/1.0\r\nX-Other: y\r\nHost: h\r\n"
      "content-LENGTH: 42\r\n\r\n", "h", 42 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
      "Content-Length: 5\r\n\r\n", "h", 5 },
    { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: "
      "18446744073709551615\r\n\r\n", "h", 18446744073709551615u },
    { "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\n\r\n", "h", 0 },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimHttpRequest out;
      int n = sim_http_parse_request ((const uint8_t *) cases[i].text,
                                      strlen (cases[i].text), &out);

      if (n != (int) strlen (cases[i].text))
        fail_msg ("case %zu: returned %d", i, n);
      assert_string_equal (out.host, cases[i].host);
      assert_true (out.content_length == cases[i].length);
    }
}

static void
test_http__parse_request_rejects_malformed (void **state)
{
  static const char *cases[] = {
    "GET / HTTP/1.1\r\n\r\n",                         /* no Host */
    "GET / HTTP/1.1\r\nHost:\r\n\r\n",                /* empty Host */
    "GET / HTTP/1.1\r\nHost: :80\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: [fd00::1\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: [fd00::1]x\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1 2\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: "
    "18446744073709551616\r\n\r\n",                    /* 2^64 */
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
    "Content-Length: 2\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
    "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n",        /* bare LF */
    "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",        /* bare CR */
    "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r-B: 2\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",
    "GET  HTTP/1.1\r\nHost: h\r\n\r\n",                /* no path */
    "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: \x01\r\n\r\n",
    "GET /  HTTP/1.1\r\nHost: h\r\n\r\n",
    " GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
    "GET /\r\nHost: h\r\n\r\n",
    "GET\r\nHost: h\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "GET / http/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.11\r\nHost: h\r\n\r\n",
    "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
    "VERYLONGMETHODNAME / HTTP/1.1\r\nHost: h\r\n\r\n",
    "\r\n\r\n",
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimHttpRequest out;

      if (sim_http_parse_request ((const uint8_t *) cases[i],
                                  strlen (cases[i]), &out) != -1)
        fail_msg ("accepted: %s", cases[i]);
    }
}

static void
test_http__parse_request_rejects_long_fields (void **state)
{
  char text[1024];
  SimHttpRequest out;
  char path[300];
  (void) state;
  memset (path, 'p', sizeof path);
  path[0] = '/';
  /* A path of 255 characters fits out->path; 256 does not. */
  for (int len = 255; len <= 256; len++)
    {
      int n = snprintf (text, sizeof text, "GET %.*s HTTP/1.1\r\nHost: h"
                        "\r\n\r\n", len, path);
      assert_int_equal (sim_http_parse_request ((const uint8_t *) text,
                                                (size_t) n, &out),
                        len == 255 ? n : -1);
    }
}

static void
test_http__incomplete_input_needs_more (void **state)
{
  SimHttpRequest req;
  SimHttpResponse resp;
  (void) state;
  for (size_t cut = 0; cut < sizeof GET_HELLO - 1; cut++)
    assert_int_equal (sim_http_parse_request ((const uint8_t *) GET_HELLO,
                                              cut, &req), 0);
  for (size_t cut = 0; cut < sizeof OK_TEXT - 1; cut++)
    assert_int_equal (sim_http_parse_response ((const uint8_t *) OK_TEXT, cut,
                                               &resp), 0);
  assert_int_equal (sim_http_parse_request (LIT (GET_HELLO), &req),
                    sizeof GET_HELLO - 1);
  assert_string_equal (req.host, "svc-b.a.run.app");
}

/* A header block longer than 8 KiB is refused, ended or not. */
static void
test_http__oversized_header_block_is_malformed (void **state)
{
  static uint8_t big[10000];
  SimHttpRequest out;
  static const char head[] = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
  (void) state;
  memset (big, 'x', sizeof big);
  memcpy (big, head, sizeof head - 1);
  assert_int_equal (sim_http_parse_request (big, 4000, &out), 0);
  assert_int_equal (sim_http_parse_request (big, sizeof big, &out), -1);
  memcpy (big + 4000, "\r\n\r\n", 4);
  assert_int_equal (sim_http_parse_request (big, sizeof big, &out), 4004);
  memcpy (big + 4000, "xxxx", 4);
  memcpy (big + sizeof big - 4, "\r\n\r\n", 4);
  assert_int_equal (sim_http_parse_request (big, sizeof big, &out), -1);
}

static void
test_http__parse_response_variants (void **state)
{
  static const struct {
    const char *text;
    int result;                 /* -1, or the status */
    const char *reason;
  } cases[] = {
    { "HTTP/1.1 200 OK\r\n\r\n", 200, "OK" },
    { "HTTP/1.0 404 Not Found\r\ncontent-length: 9\r\n\r\n", 404,
      "Not Found" },
    { "HTTP/1.1 204 \r\n\r\n", 204, "" },
    { "HTTP/1.1 204\r\n\r\n", 204, "" },
    { "HTTP/1.1 503 Service  Unavailable\r\n\r\n", 503,
      "Service  Unavailable" },
    { "HTTP/1.1 20 OK\r\n\r\n", -1, NULL },
    { "HTTP/1.1 2000 OK\r\n\r\n", -1, NULL },
    { "HTTP/1.1 600 Odd\r\n\r\n", -1, NULL },
    { "HTTP/1.1 099 Low\r\n\r\n", -1, NULL },
    { "HTTP/1.1 1x0 Odd\r\n\r\n", -1, NULL },
    { "HTTP/1.1 10x Odd\r\n\r\n", -1, NULL },
    { "HTTP/1.1 200 OK\r\nX: a\rB: 2\r\n\r\n", -1, NULL },
    { "HTTP/1.1 2x0 OK\r\n\r\n", -1, NULL },
    { "HTTP/1.1  200 OK\r\n\r\n", -1, NULL },
    { "HTTP/2 200 OK\r\n\r\n", -1, NULL },
    { "ICY 200 OK\r\n\r\n", -1, NULL },
    { "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", -1, NULL },
    { "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
      -1, NULL },
    { "HTTP/1.1 200 OK\r\nBroken\r\n\r\n", -1, NULL },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimHttpResponse out;
      int n = sim_http_parse_response ((const uint8_t *) cases[i].text,
                                       strlen (cases[i].text), &out);

      if (cases[i].result == -1)
        {
          if (n != -1)
            fail_msg ("accepted: %s", cases[i].text);
          continue;
        }
      assert_int_equal (n, (int) strlen (cases[i].text));
      assert_int_equal (out.status, cases[i].result);
      assert_string_equal (out.reason, cases[i].reason);
    }
}

static void
test_http__long_reason_is_cut_to_fit (void **state)
{
  char text[256];
  SimHttpResponse out;
  int n;
  (void) state;
  n = snprintf (text, sizeof text, "HTTP/1.1 499 %0100d\r\n\r\n", 0);
  assert_int_equal (sim_http_parse_response ((const uint8_t *) text,
                                             (size_t) n, &out), n);
  assert_int_equal (strlen (out.reason), sizeof out.reason - 1);
}

static void
test_http__writers_refuse_short_buffers (void **state)
{
  SimHttpRequest r = request ("GET", "/hello", "svc-b.a.run.app", 0);
  SimHttpResponse ok = { .status = 200, .content_length = 3 };
  uint8_t buf[sizeof GET_HELLO + 8];
  (void) state;
  for (size_t cap = 0; cap < sizeof GET_HELLO - 1; cap++)
    {
      memset (buf, 0xee, sizeof buf);
      assert_int_equal (sim_http_write_request (buf, cap, &r), 0);
      assert_int_equal (buf[cap], 0xee);
    }
  assert_int_equal (sim_http_write_request (buf, sizeof GET_HELLO - 1, &r),
                    sizeof GET_HELLO - 1);
  for (size_t cap = 0; cap < sizeof OK_TEXT - 1; cap++)
    assert_int_equal (sim_http_write_response (buf, cap, &ok, "text/plain"),
                      0);
  assert_int_equal (sim_http_write_response (buf, sizeof OK_TEXT - 1, &ok,
                                             "text/plain"),
                    sizeof OK_TEXT - 1);
}

static void
test_http__writers_refuse_fields_that_break_framing (void **state)
{
  static const struct {
    const char *method, *path, *host;
  } requests[] = {
    { "", "/", "h" },          { "GE T", "/", "h" },
    { "GET", "", "h" },        { "GET", "/a b", "h" },
    { "GET", "/\r\nX: y", "h" }, { "GET", "/", "" },
    { "GET", "/", "h\r\nX: y" }, { "GET", "/", "h h" },
  };
  SimHttpResponse bad_reason = { .status = 200, .reason = "OK\r\nX: y" };
  SimHttpResponse bad_status = { .status = 42 };
  SimHttpResponse ok = { .status = 200 };
  uint8_t buf[512];
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (requests); i++)
    {
      SimHttpRequest r = request (requests[i].method, requests[i].path,
                                  requests[i].host, 0);
      if (sim_http_write_request (buf, sizeof buf, &r) != 0)
        fail_msg ("wrote request %zu", i);
    }
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &bad_reason,
                                             NULL), 0);
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &bad_status,
                                             NULL), 0);
  bad_status.status = 600;
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &bad_status,
                                             NULL), 0);
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &ok,
                                             "text/plain\r\nX: y"), 0);
  assert_int_equal (sim_http_write_response (buf, sizeof buf, &ok, ""), 0);
}

/* sim_http_find_field: the first field of a name, whatever its case,
 * its value without the spaces around it; never the request line, never
 * past the blank line. */
static void
test_http__find_field (void **state)
{
  static const char head[] =
    "GET /x-canary:no HTTP/1.1\r\nHost: a\r\nX-Canary:  yes \r\n"
    "x-canary: second\r\nEmpty:\r\n\r\nAfter: body\r\n";
  const uint8_t *v;
  size_t n;
  (void) state;

  assert_true (sim_http_find_field ((const uint8_t *) head, strlen (head),
                                    "x-canary", &v, &n));
  assert_int_equal (n, 3);
  assert_memory_equal (v, "yes", 3);
  assert_true (sim_http_find_field ((const uint8_t *) head, strlen (head),
                                    "empty", &v, &n));
  assert_int_equal (n, 0);
  assert_false (sim_http_find_field ((const uint8_t *) head, strlen (head),
                                     "after", &v, &n));
  assert_false (sim_http_find_field ((const uint8_t *) head, strlen (head),
                                     "get /x-canary", &v, &n));
  assert_false (sim_http_find_field ((const uint8_t *) head, strlen (head),
                                     "x-can", &v, &n));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_http__write_request_exact_bytes),
    cmocka_unit_test (test_http__write_response_exact_bytes),
    cmocka_unit_test (test_http__request_round_trips),
    cmocka_unit_test (test_http__response_round_trips),
    cmocka_unit_test (test_http__keep_alive),
    cmocka_unit_test (test_http__reason_phrases),
    cmocka_unit_test (test_http__parse_request_accepts_variants),
    cmocka_unit_test (test_http__parse_request_rejects_malformed),
    cmocka_unit_test (test_http__parse_request_rejects_long_fields),
    cmocka_unit_test (test_http__incomplete_input_needs_more),
    cmocka_unit_test (test_http__oversized_header_block_is_malformed),
    cmocka_unit_test (test_http__parse_response_variants),
    cmocka_unit_test (test_http__long_reason_is_cut_to_fit),
    cmocka_unit_test (test_http__writers_refuse_short_buffers),
    cmocka_unit_test (test_http__writers_refuse_fields_that_break_framing),
    cmocka_unit_test (test_http__find_field),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
