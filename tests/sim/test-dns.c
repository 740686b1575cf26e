/* Tests for sim/dns.c: messages written byte for byte as verified with
 * tshark, round trips (A, CNAME chain, NXDOMAIN, the root name), hand-
 * written compressed messages, pointer loops and bounds, every
 * truncation, and the names and buffers the writer must refuse.
 *
 * The three verified messages were written by sim/dns.c into UDP frames
 * (port 53) in a pcap and read back with tshark 4.0.17 -V: a standard
 * query, a response "A api.example.internal CNAME lb.example.internal
 * CNAME vip.example.internal A 10.10.0.5" and a "No such name" response,
 * with correct checksums and no malformed or expert warnings. So were
 * two AAAA messages (RFC 3596), in UDP frames beside their queries: a
 * response "AAAA api.example.internal CNAME vip.example.internal AAAA
 * 2600:2d00:2:2000::" and a NODATA response (no error, no answer) to
 * "AAAA db.example.internal". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim/dns.h"

#define IP4(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 | (d))
#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static const uint8_t DNS_QUERY[] = {
  0x42, 0x42, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x03, 0x61, 0x70, 0x69, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
  0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x01,
  0x00, 0x01,
};

static const uint8_t DNS_CNAME_CHAIN[] = {
  0x42, 0x42, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
  0x03, 0x61, 0x70, 0x69, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
  0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x03, 0x61, 0x70, 0x69, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
  0x6c, 0x65, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00,
  0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x15, 0x02, 0x6c,
  0x62, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x08, 0x69, 0x6e,
  0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x02, 0x6c, 0x62, 0x07, 0x65,
  0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72,
  0x6e, 0x61, 0x6c, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
  0x00, 0x16, 0x03, 0x76, 0x69, 0x70, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
  0x6c, 0x65, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00,
  0x03, 0x76, 0x69, 0x70, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
  0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04, 0x0a, 0x0a, 0x00, 0x05,
};

static const uint8_t DNS_NXDOMAIN[] = {
  0x43, 0x43, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x04, 0x6e, 0x6f, 0x70, 0x65, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c,
  0x65, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00,
  0x01, 0x00, 0x01,
};

static const uint8_t DNS_AAAA_CNAME[] = {
  0x44, 0x44, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
  0x03, 0x61, 0x70, 0x69, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
  0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x1c,
  0x00, 0x01, 0x03, 0x61, 0x70, 0x69, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
  0x6c, 0x65, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00,
  0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x16, 0x03, 0x76,
  0x69, 0x70, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x08, 0x69,
  0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x03, 0x76, 0x69, 0x70,
  0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x08, 0x69, 0x6e, 0x74,
  0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
  0x01, 0x2c, 0x00, 0x10, 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t DNS_AAAA_NODATA[] = {
  0x45, 0x45, 0x81, 0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x02, 0x64, 0x62, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x08,
  0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x1c, 0x00,
  0x01,
};

/* 2600:2d00:2:2000::, the first address of private.googleapis.com's
 * IPv6 range. */
static const uint8_t V6_PRIVATE[16] = { 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02,
                                        0x20, 0x00 };

/* Hand-written, compressed: www.example.com (question, mixed case) CNAME
 * cdn.example.com (a pointer into the question), an AAAA answer,
 * and an A answer whose owner is a pointer into the CNAME's RDATA. */
static const uint8_t COMPRESSED[] = {
  0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
  /* 12: question */
  0x03, 'W', 'w', 'W', 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
  0x03, 'c', 'o', 'm', 0x00, 0x00, 0x01, 0x00, 0x01,
  /* 33: CNAME, owner -> 12, target "cdn" + pointer -> 16 */
  0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06,
  /* 45: */ 0x03, 'c', 'd', 'n', 0xc0, 0x10,
  /* 51: AAAA, owner -> 45 */
  0xc0, 0x2d, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x10,
  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
  /* 79: A, owner -> 45 */
  0xc0, 0x2d, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04,
  0x5d, 0xb8, 0xd8, 0x22,
};

static SimDnsMessage
cname_chain_message (void)
{
  SimDnsMessage m = { .id = 0x4242, .response = true,
                      .recursion_desired = true, .recursion_available = true,
                      .qname = "api.example.internal",
                      .qtype = SIM_DNS_TYPE_A, .n_answers = 3 };
  SimDnsRecord *r = m.answers;

  strcpy (r[0].name, "api.example.internal");
  r[0].type = SIM_DNS_TYPE_CNAME;
  r[0].ttl = 300;
  strcpy (r[0].cname, "lb.example.internal");
  strcpy (r[1].name, "lb.example.internal");
  r[1].type = SIM_DNS_TYPE_CNAME;
  r[1].ttl = 300;
  strcpy (r[1].cname, "vip.example.internal");
  strcpy (r[2].name, "vip.example.internal");
  r[2].type = SIM_DNS_TYPE_A;
  r[2].ttl = 60;
  r[2].a = IP4 (10, 10, 0, 5);
  return m;
}

static void
assert_messages_equal (const SimDnsMessage *a, const SimDnsMessage *b)
{
  assert_int_equal (a->id, b->id);
  assert_int_equal (a->response, b->response);
  assert_int_equal (a->recursion_desired, b->recursion_desired);
  assert_int_equal (a->recursion_available, b->recursion_available);
  assert_int_equal (a->authoritative, b->authoritative);
  assert_int_equal (a->rcode, b->rcode);
  assert_string_equal (a->qname, b->qname);
  assert_int_equal (a->qtype, b->qtype);
  assert_int_equal (a->n_answers, b->n_answers);
  for (uint32_t i = 0; i < a->n_answers; i++)
    {
      assert_string_equal (a->answers[i].name, b->answers[i].name);
      assert_int_equal (a->answers[i].type, b->answers[i].type);
      assert_int_equal (a->answers[i].ttl, b->answers[i].ttl);
      assert_int_equal (a->answers[i].a, b->answers[i].a);
      assert_string_equal (a->answers[i].cname, b->answers[i].cname);
      assert_memory_equal (a->answers[i].aaaa, b->answers[i].aaaa, 16);
    }
}

static void
test_dns__write_matches_verified_messages (void **state)
{
  SimDnsMessage m = cname_chain_message ();
  SimDnsMessage q = { .id = 0x4242, .recursion_desired = true,
                      .qname = "api.example.internal",
                      .qtype = SIM_DNS_TYPE_A };
  SimDnsMessage nx = { .id = 0x4343, .response = true,
                       .recursion_desired = true,
                       .recursion_available = true,
                       .rcode = SIM_DNS_RCODE_NXDOMAIN,
                       .qname = "nope.example.internal",
                       .qtype = SIM_DNS_TYPE_A };
  uint8_t buf[512];
  (void) state;
  assert_int_equal (sim_dns_write (&q, buf, sizeof buf), sizeof DNS_QUERY);
  assert_memory_equal (buf, DNS_QUERY, sizeof DNS_QUERY);
  assert_int_equal (sim_dns_write (&m, buf, sizeof buf),
                    sizeof DNS_CNAME_CHAIN);
  assert_memory_equal (buf, DNS_CNAME_CHAIN, sizeof DNS_CNAME_CHAIN);
  assert_int_equal (sim_dns_write (&nx, buf, sizeof buf), sizeof DNS_NXDOMAIN);
  assert_memory_equal (buf, DNS_NXDOMAIN, sizeof DNS_NXDOMAIN);
}

static void
test_dns__round_trips (void **state)
{
  SimDnsMessage cases[8];
  (void) state;
  memset (cases, 0, sizeof cases);
  /* A query; the CNAME chain; NXDOMAIN, authoritative; the root name;
   * the most answers; SERVFAIL with an AAAA question; rcode 9; A and
   * AAAA answers mixed. */
  cases[0] = (SimDnsMessage) { .id = 1, .recursion_desired = true,
                               .qname = "svc.a.run.app", .qtype = 1 };
  cases[1] = cname_chain_message ();
  cases[2] = (SimDnsMessage) { .id = 0xffff, .response = true,
                               .authoritative = true,
                               .rcode = SIM_DNS_RCODE_NXDOMAIN,
                               .qname = "nope.internal", .qtype = 1 };
  cases[3] = (SimDnsMessage) { .id = 3, .response = true, .qname = "",
                               .qtype = 2, .n_answers = 1 };
  strcpy (cases[3].answers[0].name, "");
  cases[3].answers[0].type = SIM_DNS_TYPE_A;
  cases[3].answers[0].a = 0x01020304;
  cases[4] = (SimDnsMessage) { .id = 4, .response = true, .qname = "many",
                               .qtype = 1, .n_answers = SIM_DNS_MAX_ANSWERS };
  for (uint32_t i = 0; i < SIM_DNS_MAX_ANSWERS; i++)
    {
      strcpy (cases[4].answers[i].name, "many");
      cases[4].answers[i].type = SIM_DNS_TYPE_A;
      cases[4].answers[i].ttl = 0xfffffff0 + i;
      cases[4].answers[i].a = IP4 (10, 0, 0, i);
    }
  cases[5] = (SimDnsMessage) { .id = 5, .response = true,
                               .rcode = SIM_DNS_RCODE_SERVFAIL,
                               .qname = "v6.example", .qtype = 28 };
  cases[6] = (SimDnsMessage) { .id = 6, .response = true,
                               .rcode = 9, /* NOTAUTH: all four bits */
                               .qname = "zone.example", .qtype = 6 };
  cases[7] = (SimDnsMessage) { .id = 7, .response = true, .qname = "v6.x",
                               .qtype = 255, .n_answers = 3 };
  for (uint32_t i = 0; i < 3; i++)
    {
      strcpy (cases[7].answers[i].name, "v6.x");
      cases[7].answers[i].type = i == 1 ? SIM_DNS_TYPE_A : SIM_DNS_TYPE_AAAA;
      cases[7].answers[i].ttl = i;
    }
  cases[7].answers[1].a = IP4 (10, 0, 0, 1);
  memset (cases[7].answers[0].aaaa, 0xff, 16);
  memcpy (cases[7].answers[2].aaaa, V6_PRIVATE, 16);
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t buf[1024];
      SimDnsMessage out;
      size_t n = sim_dns_write (&cases[i], buf, sizeof buf);

      assert_true (n > 0);
      assert_true (sim_dns_parse (buf, n, &out));
      assert_messages_equal (&out, &cases[i]);
    }
}

static void
test_dns__root_name_is_one_zero_byte (void **state)
{
  static const char *roots[] = { "", "." };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (roots); i++)
    {
      SimDnsMessage m = { .qtype = 2 }, out;
      uint8_t buf[64];

      strcpy (m.qname, roots[i]);
      assert_int_equal (sim_dns_write (&m, buf, sizeof buf), 12 + 1 + 4);
      assert_int_equal (buf[12], 0);
      assert_true (sim_dns_parse (buf, 17, &out));
      assert_string_equal (out.qname, "");
    }
}

static void
test_dns__names_are_lower_cased_without_trailing_dot (void **state)
{
  SimDnsMessage m = { .qname = "API.Example.Internal.", .qtype = 1 }, out;
  uint8_t buf[64];
  size_t n;
  (void) state;
  n = sim_dns_write (&m, buf, sizeof buf);
  assert_int_equal (n, sizeof DNS_QUERY);
  assert_memory_equal (buf + 12, DNS_QUERY + 12, sizeof DNS_QUERY - 12);
  buf[13] = 'A';                /* as another writer might send it */
  assert_true (sim_dns_parse (buf, n, &out));
  assert_string_equal (out.qname, "api.example.internal");
}

static void
test_dns__parse_follows_compression_pointers (void **state)
{
  SimDnsMessage m;
  (void) state;
  assert_true (sim_dns_parse (COMPRESSED, sizeof COMPRESSED, &m));
  assert_int_equal (m.id, 0x1234);
  assert_true (m.response);
  assert_string_equal (m.qname, "www.example.com");
  assert_int_equal (m.n_answers, 3);
  assert_string_equal (m.answers[0].name, "www.example.com");
  assert_int_equal (m.answers[0].type, SIM_DNS_TYPE_CNAME);
  assert_int_equal (m.answers[0].ttl, 3600);
  assert_string_equal (m.answers[0].cname, "cdn.example.com");
  assert_string_equal (m.answers[1].name, "cdn.example.com");
  assert_int_equal (m.answers[1].type, SIM_DNS_TYPE_AAAA);
  assert_int_equal (m.answers[1].ttl, 60);
  assert_int_equal (m.answers[1].aaaa[0], 0x20);
  assert_int_equal (m.answers[1].aaaa[3], 0xb8);
  assert_int_equal (m.answers[1].aaaa[15], 0x01);
  assert_int_equal (m.answers[1].a, 0);
  assert_string_equal (m.answers[2].name, "cdn.example.com");
  assert_int_equal (m.answers[2].type, SIM_DNS_TYPE_A);
  assert_int_equal (m.answers[2].ttl, 60);
  assert_int_equal (m.answers[2].a, IP4 (93, 184, 216, 34));
}

static void
test_dns__parse_rejects_pointer_loops_and_bad_pointers (void **state)
{
  /* Each name is the question's, followed by QTYPE and QCLASS and
   * nothing else, so only the name can make the message malformed. */
  static const struct {
    const char *name;
    uint8_t qname[8];
    size_t n;
  } cases[] = {
    { "pointer to itself", { 0xc0, 0x0c }, 2 },
    { "pointer back to its own name", { 0x01, 'a', 0xc0, 0x0c }, 4 },
    { "pointer into its own name", { 0x01, 'a', 0x01, 'b', 0xc0, 0x0e }, 6 },
    { "two pointers at each other", { 0xc0, 0x0e, 0xc0, 0x0c }, 4 },
    { "forward pointer", { 0x01, 'a', 0xc0, 0x12 }, 4 },
    { "pointer into the header", { 0xc0, 0x04 }, 2 },
    { "pointer past the end", { 0xc1, 0x00 }, 2 },
    { "label type 0x40", { 0x41, 'a', 0x00 }, 3 },
    { "label type 0x80", { 0x81, 'a', 0x00 }, 3 },
  };
  /* The control: an answer whose owner points back at the question. */
  static const uint8_t backwards[] = {
    0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
    0x01, 'a', 0x00, 0x00, 0x01, 0x00, 0x01,
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 1, 0x00, 0x04, 1, 2, 3, 4,
  };
  SimDnsMessage out;
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t msg[32] = { 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0 };

      memcpy (msg + 12, cases[i].qname, cases[i].n);
      memcpy (msg + 12 + cases[i].n, "\x00\x01\x00\x01", 4);
      if (sim_dns_parse (msg, 12 + cases[i].n + 4, &out))
        fail_msg ("accepted: %s", cases[i].name);
    }
  assert_true (sim_dns_parse (backwards, sizeof backwards, &out));
  assert_string_equal (out.answers[0].name, "a");
}

/* Builds a question name from labels of 'a' (lengths up to a 0) in wire
 * form, written uncompressed by hand, so that the parser's own limits
 * are what is tested. */
static size_t
question_of_labels (uint8_t *msg, const unsigned *labels)
{
  static const uint8_t head[12] = { 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0,
                                    0 };
  size_t n = sizeof head;

  memcpy (msg, head, n);
  for (int l = 0; labels[l]; l++)
    {
      msg[n++] = (uint8_t) labels[l];
      memset (msg + n, 'a', labels[l]);
      n += labels[l];
    }
  msg[n++] = 0;
  memcpy (msg + n, "\x00\x01\x00\x01", 4);
  return n + 4;
}

static void
test_dns__parse_checks_label_and_name_lengths (void **state)
{
  static const struct {
    unsigned labels[6];
    bool ok;
  } cases[] = {
    { { 63 }, true },
    { { 64 }, false },                   /* a 0x40 label type */
    { { 63, 63, 63, 61 }, true },        /* 255 bytes on the wire */
    { { 63, 63, 63, 62 }, false },       /* 256 */
    { { 63, 63, 63, 63, 63 }, false },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t msg[512];
      size_t n = question_of_labels (msg, cases[i].labels);
      SimDnsMessage out;

      if (sim_dns_parse (msg, n, &out) != cases[i].ok)
        fail_msg ("case %zu: expected %s", i,
                  cases[i].ok ? "accepted" : "rejected");
    }
}

/* A question "x", a TXT record whose RDATA is a chain of `chain` pointers,
 * each to the one before (the first to the question's name), and an A
 * record whose owner points at the last: chain + 1 hops. */
static size_t
pointer_chain (uint8_t *msg, unsigned chain)
{
  static const uint8_t head[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
                                  0x01, 'x', 0x00, 0, 1, 0, 1,
                                  0x00, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 0 };
  size_t n = sizeof head, rdata, last;

  memcpy (msg, head, n);
  msg[n++] = (uint8_t) (chain * 2 >> 8);
  msg[n++] = (uint8_t) (chain * 2);
  rdata = n;
  for (unsigned k = 0; k < chain; k++)
    {
      size_t target = k == 0 ? 12 : rdata + 2 * (k - 1);
      msg[n++] = (uint8_t) (0xc0 | target >> 8);
      msg[n++] = (uint8_t) target;
    }
  last = rdata + 2 * (chain - 1);
  msg[n++] = (uint8_t) (0xc0 | last >> 8);
  msg[n++] = (uint8_t) last;
  memcpy (msg + n, "\x00\x01\x00\x01\x00\x00\x00\x05\x00\x04\x0a\x00\x00\x01",
          14);
  return n + 14;
}

static void
test_dns__parse_bounds_pointer_hops (void **state)
{
  static const struct {
    unsigned chain;
    bool ok;
  } cases[] = { { 1, true }, { 10, true }, { 63, true }, { 64, false },
                { 200, false } };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t msg[1024];
      size_t n = pointer_chain (msg, cases[i].chain);
      SimDnsMessage out;

      assert_int_equal (sim_dns_parse (msg, n, &out), cases[i].ok);
      if (cases[i].ok)
        {
          assert_int_equal (out.n_answers, 1);
          assert_string_equal (out.answers[0].name, "x");
          assert_int_equal (out.answers[0].a, IP4 (10, 0, 0, 1));
        }
    }
}

static void
test_dns__parse_rejects_every_truncation (void **state)
{
  static const struct {
    const uint8_t *msg;
    size_t len;
  } cases[] = {
    { DNS_QUERY, sizeof DNS_QUERY },
    { DNS_CNAME_CHAIN, sizeof DNS_CNAME_CHAIN },
    { DNS_NXDOMAIN, sizeof DNS_NXDOMAIN },
    { COMPRESSED, sizeof COMPRESSED },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimDnsMessage out;

      assert_true (sim_dns_parse (cases[i].msg, cases[i].len, &out));
      for (size_t cut = 0; cut < cases[i].len; cut++)
        if (sim_dns_parse (cases[i].msg, cut, &out))
          fail_msg ("message %zu accepted cut to %zu bytes", i, cut);
    }
}

static void
test_dns__parse_rejects_inconsistent_messages (void **state)
{
  /* Offsets into DNS_CNAME_CHAIN: question name at 12, first CNAME's
   * RDLENGTH at 68, the A record's RDLENGTH at 174. */
  static const struct {
    const char *name;
    size_t at;
    uint8_t value;
    bool extra;                 /* one byte appended to the message */
  } cases[] = {
    { "QDCOUNT 0", 5, 0, false },
    { "QDCOUNT 2", 5, 2, false },
    { "opcode IQUERY", 2, 0x89, false },
    { "ANCOUNT 4, 3 present", 7, 4, false },
    { "ANCOUNT 2, a record left over", 7, 2, false },
    { "ARCOUNT 1, none present", 11, 1, false },
    { "CNAME RDLENGTH past its name", 69, 0x16, false },
    { "CNAME name past RDLENGTH", 69, 0x14, false },
    { "A RDLENGTH 3", 175, 3, false },
    { "A RDLENGTH 5, 5 bytes present", 175, 5, true },
    { "A RDLENGTH past the end", 175, 5, false },
    { "label past the end", 12, 0x3f, false },
    { "dot inside a label", 13, '.', false },
    { "space inside a label", 13, ' ', false },
    { "control byte inside a label", 13, 0x01, false },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      uint8_t msg[sizeof DNS_CNAME_CHAIN + 1];
      SimDnsMessage out;

      memcpy (msg, DNS_CNAME_CHAIN, sizeof DNS_CNAME_CHAIN);
      msg[sizeof DNS_CNAME_CHAIN] = 0;
      msg[cases[i].at] = cases[i].value;
      if (sim_dns_parse (msg, sizeof DNS_CNAME_CHAIN + cases[i].extra, &out))
        fail_msg ("accepted: %s", cases[i].name);
    }
}

static void
test_dns__cname_must_fill_its_rdata (void **state)
{
  SimDnsMessage m = { .response = true, .qname = "a", .qtype = 1,
                      .n_answers = 1 }, out;
  uint8_t buf[128];
  size_t n;
  (void) state;
  strcpy (m.answers[0].name, "a");
  m.answers[0].type = SIM_DNS_TYPE_CNAME;
  strcpy (m.answers[0].cname, "b.c");
  n = sim_dns_write (&m, buf, sizeof buf);
  assert_true (sim_dns_parse (buf, n, &out));
  /* The CNAME is the last record: grow its RDATA by one stray byte. */
  assert_int_equal (buf[n - 6], 5);   /* RDLENGTH low byte: 1b 1c 0 */
  buf[n - 6] = 6;
  buf[n] = 0;
  assert_false (sim_dns_parse (buf, n + 1, &out));
}

static void
test_dns__parse_skips_other_records_and_sections (void **state)
{
  /* A response with a class CH A answer, a class IN A answer, an NS
   * record in authority and an EDNS OPT record in additional: only the
   * IN A answer is kept. */
  static const uint8_t msg[] = {
    0x00, 0x07, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00, 0x01,
    0x01, 'a', 0x00, 0x00, 0x01, 0x00, 0x01,
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x03, 0, 0, 0, 9, 0x00, 0x04, 9, 9, 9, 9,
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 9, 0x00, 0x04, 1, 2, 3, 4,
    0xc0, 0x0c, 0x00, 0x02, 0x00, 0x01, 0, 0, 0, 9, 0x00, 0x02, 0xc0, 0x0c,
    0x00, 0x00, 0x29, 0x04, 0xd0, 0, 0, 0, 0, 0x00, 0x00,
  };
  SimDnsMessage out;
  (void) state;
  assert_true (sim_dns_parse (msg, sizeof msg, &out));
  assert_int_equal (out.n_answers, 1);
  assert_string_equal (out.answers[0].name, "a");
  assert_int_equal (out.answers[0].a, 0x01020304);
}

static void
test_dns__parse_rejects_more_answers_than_fit (void **state)
{
  uint8_t buf[2048];
  SimDnsMessage m = { .response = true, .qname = "a", .qtype = 1,
                      .n_answers = SIM_DNS_MAX_ANSWERS }, out;
  size_t n, one = 1 + 2 + 10 + 4;   /* "a" A record: 17 bytes */
  (void) state;
  for (uint32_t i = 0; i < m.n_answers; i++)
    {
      strcpy (m.answers[i].name, "a");
      m.answers[i].type = SIM_DNS_TYPE_A;
    }
  n = sim_dns_write (&m, buf, sizeof buf);
  assert_true (sim_dns_parse (buf, n, &out));
  /* Append a copy of the last record and count it. */
  memcpy (buf + n, buf + n - one, one);
  buf[7] = SIM_DNS_MAX_ANSWERS + 1;
  assert_false (sim_dns_parse (buf, n + one, &out));
}

/* Writes "a" labels of the given lengths (a 0 ends the list) joined by
 * dots into name. */
static void
name_of_labels (char *name, const unsigned *labels)
{
  size_t at = 0;

  for (int l = 0; labels[l]; l++)
    {
      if (l > 0)
        name[at++] = '.';
      memset (name + at, 'a', labels[l]);
      at += labels[l];
    }
  name[at] = '\0';
}

static void
test_dns__write_checks_names (void **state)
{
  static const struct {
    const char *name;           /* NULL: built from labels */
    unsigned labels[5];
    bool ok;
  } cases[] = {
    { NULL, { 63 }, true },
    { NULL, { 64 }, false },
    { NULL, { 63, 63, 63, 61 }, true },   /* 253 characters, 255 on wire */
    { NULL, { 63, 63, 63, 62 }, false },  /* 256 on the wire */
    { "a..b", { 0 }, false },
    { ".a", { 0 }, false },
    { "a.b..", { 0 }, false },
    { "a.b.", { 0 }, true },              /* one trailing dot is the root */
    { "run.app", { 0 }, true },
    { "_dns-sd._udp.x", { 0 }, true },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimDnsMessage m = { .qtype = 1 }, out;
      uint8_t buf[600];
      size_t n, len;

      if (cases[i].name)
        strcpy (m.qname, cases[i].name);
      else
        name_of_labels (m.qname, cases[i].labels);
      n = sim_dns_write (&m, buf, sizeof buf);
      if ((n > 0) != cases[i].ok)
        fail_msg ("\"%s\": expected %s", m.qname,
                  cases[i].ok ? "written" : "refused");
      if (n == 0)
        continue;
      assert_true (sim_dns_parse (buf, n, &out));
      len = strlen (m.qname);
      if (m.qname[len - 1] == '.')
        m.qname[len - 1] = '\0';
      assert_string_equal (out.qname, m.qname);
    }
}

static void
test_dns__write_refuses_what_it_cannot_write (void **state)
{
  SimDnsMessage base = cname_chain_message ();
  static const char *bad_names[] = { "a b", "a\\b", "a\tb", "a\x7f" };
  uint8_t buf[1024];
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (bad_names); i++)
    {
      SimDnsMessage m = base;
      strcpy (m.answers[1].cname, bad_names[i]);
      assert_int_equal (sim_dns_write (&m, buf, sizeof buf), 0);
    }
  {
    SimDnsMessage m = base;
    m.answers[2].type = 16;   /* TXT: not a type it writes */
    assert_int_equal (sim_dns_write (&m, buf, sizeof buf), 0);
    m = base;
    m.n_answers = SIM_DNS_MAX_ANSWERS + 1;
    assert_int_equal (sim_dns_write (&m, buf, sizeof buf), 0);
    m = base;
    m.rcode = 16;
    assert_int_equal (sim_dns_write (&m, buf, sizeof buf), 0);
  }
}

static void
test_dns__write_refuses_short_buffers (void **state)
{
  SimDnsMessage m = cname_chain_message ();
  uint8_t buf[sizeof DNS_CNAME_CHAIN + 8];
  (void) state;
  for (size_t cap = 0; cap < sizeof DNS_CNAME_CHAIN; cap++)
    {
      memset (buf, 0xee, sizeof buf);
      if (sim_dns_write (&m, buf, cap) != 0)
        fail_msg ("wrote into %zu bytes", cap);
      assert_int_equal (buf[cap], 0xee);   /* nothing past cap */
    }
  assert_int_equal (sim_dns_write (&m, buf, sizeof DNS_CNAME_CHAIN),
                    sizeof DNS_CNAME_CHAIN);
}

static SimDnsMessage
aaaa_cname_message (void)
{
  SimDnsMessage m = { .id = 0x4444, .response = true,
                      .recursion_desired = true, .recursion_available = true,
                      .qname = "api.example.internal",
                      .qtype = SIM_DNS_TYPE_AAAA, .n_answers = 2 };

  strcpy (m.answers[0].name, "api.example.internal");
  m.answers[0].type = SIM_DNS_TYPE_CNAME;
  m.answers[0].ttl = 300;
  strcpy (m.answers[0].cname, "vip.example.internal");
  strcpy (m.answers[1].name, "vip.example.internal");
  m.answers[1].type = SIM_DNS_TYPE_AAAA;
  m.answers[1].ttl = 300;
  memcpy (m.answers[1].aaaa, V6_PRIVATE, 16);
  return m;
}

static void
test_dns__aaaa_matches_verified_messages (void **state)
{
  SimDnsMessage m = aaaa_cname_message (), out;
  SimDnsMessage nodata = { .id = 0x4545, .response = true,
                           .recursion_desired = true,
                           .recursion_available = true,
                           .qname = "db.example.internal",
                           .qtype = SIM_DNS_TYPE_AAAA };
  uint8_t buf[512];
  (void) state;
  assert_int_equal (sim_dns_write (&m, buf, sizeof buf),
                    sizeof DNS_AAAA_CNAME);
  assert_memory_equal (buf, DNS_AAAA_CNAME, sizeof DNS_AAAA_CNAME);
  assert_true (sim_dns_parse (DNS_AAAA_CNAME, sizeof DNS_AAAA_CNAME, &out));
  assert_messages_equal (&out, &m);
  assert_int_equal (sim_dns_write (&nodata, buf, sizeof buf),
                    sizeof DNS_AAAA_NODATA);
  assert_memory_equal (buf, DNS_AAAA_NODATA, sizeof DNS_AAAA_NODATA);
  assert_true (sim_dns_parse (DNS_AAAA_NODATA, sizeof DNS_AAAA_NODATA, &out));
  assert_int_equal (out.rcode, SIM_DNS_RCODE_NOERROR);
  assert_int_equal (out.n_answers, 0);
  assert_int_equal (out.qtype, SIM_DNS_TYPE_AAAA);
}

static void
test_dns__aaaa_rdata_must_be_sixteen_bytes (void **state)
{
  /* The AAAA record's RDLENGTH is at 122 (its RDATA at 124, the last 16
   * bytes): 4 (an A's length) or 17 is malformed, even with the bytes
   * there. */
  uint8_t buf[sizeof DNS_AAAA_CNAME + 1];
  SimDnsMessage out;
  (void) state;
  memcpy (buf, DNS_AAAA_CNAME, sizeof DNS_AAAA_CNAME);
  assert_int_equal (buf[123], 16);
  buf[123] = 4;
  assert_false (sim_dns_parse (buf, sizeof DNS_AAAA_CNAME - 12, &out));
  buf[123] = 17;
  buf[sizeof DNS_AAAA_CNAME] = 0;
  assert_false (sim_dns_parse (buf, sizeof buf, &out));
}

static void
test_dns__aaaa_text (void **state)
{
  static const struct {
    const char *text;
    uint8_t bytes[16];
  } cases[] = {
    { "2600:2d00:2:2000::", { 0x26, 0x00, 0x2d, 0x00, 0x00, 0x02,
                              0x20, 0x00 } },
    { "2001:4860:4802:32::35", { 0x20, 0x01, 0x48, 0x60, 0x48, 0x02,
                                 0x00, 0x32, 0, 0, 0, 0, 0, 0, 0, 0x35 } },
    { "::1", { [15] = 1 } },
    { "::", { 0 } },
  };
  static const char *bad[] = { "", "1.2.3.4", "2600::2d00::1", "fe80::1%eth0",
                               "2600:2d00:2:2000::/64", "g::1" };
  char text[SIM_DNS_AAAA_STRLEN];
  uint8_t b[16];
  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      assert_true (sim_dns_aaaa_parse (cases[i].text, b));
      assert_memory_equal (b, cases[i].bytes, 16);
      assert_string_equal (sim_dns_aaaa_to_string (b, text), cases[i].text);
    }
  /* Upper case and uncompressed zeros read the same; text is RFC 5952's. */
  assert_true (sim_dns_aaaa_parse ("2600:2D00:0002:2000:0:0:0:0", b));
  assert_string_equal (sim_dns_aaaa_to_string (b, text), "2600:2d00:2:2000::");
  for (size_t i = 0; i < N_ELEMENTS (bad); i++)
    if (sim_dns_aaaa_parse (bad[i], b))
      fail_msg ("\"%s\" read as an IPv6 address", bad[i]);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_dns__write_matches_verified_messages),
    cmocka_unit_test (test_dns__round_trips),
    cmocka_unit_test (test_dns__root_name_is_one_zero_byte),
    cmocka_unit_test (test_dns__names_are_lower_cased_without_trailing_dot),
    cmocka_unit_test (test_dns__parse_follows_compression_pointers),
    cmocka_unit_test (test_dns__parse_rejects_pointer_loops_and_bad_pointers),
    cmocka_unit_test (test_dns__parse_checks_label_and_name_lengths),
    cmocka_unit_test (test_dns__parse_bounds_pointer_hops),
    cmocka_unit_test (test_dns__parse_rejects_every_truncation),
    cmocka_unit_test (test_dns__parse_rejects_inconsistent_messages),
    cmocka_unit_test (test_dns__cname_must_fill_its_rdata),
    cmocka_unit_test (test_dns__parse_skips_other_records_and_sections),
    cmocka_unit_test (test_dns__parse_rejects_more_answers_than_fit),
    cmocka_unit_test (test_dns__write_checks_names),
    cmocka_unit_test (test_dns__write_refuses_what_it_cannot_write),
    cmocka_unit_test (test_dns__write_refuses_short_buffers),
    cmocka_unit_test (test_dns__aaaa_matches_verified_messages),
    cmocka_unit_test (test_dns__aaaa_rdata_must_be_sixteen_bytes),
    cmocka_unit_test (test_dns__aaaa_text),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
