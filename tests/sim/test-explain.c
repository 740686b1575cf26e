/* Tests for sim/explain.c: step ids start at 1, append copies the step
 * and links it into its request's chain (chains interleave in one log),
 * ids stay valid as the log grows, interning deduplicates (the same
 * pointer for the same text, internf included), and the one-line text
 * that feeds the capture comments and report.txt, with and without
 * addresses and translation. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, dup2 */

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <glib.h>

#include "sim/explain.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define IP(a, b, c, d) ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 \
                        | (uint32_t) (c) << 8 | (uint32_t) (d))

static SimExplainStep
step_at (SimTime t, const char *state, const char *node)
{
  SimExplainStep s = { .time = t, .state = state, .node = node };

  return s;
}

static void
test_explain__ids_start_at_one (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep s = step_at (5, "START", "client");

  (void) state;
  assert_int_equal (sim_explain_count (log), 0);
  assert_int_equal (sim_explain_append (log, &chain, &s), 1);
  assert_int_equal (sim_explain_append (log, &chain, &s), 2);
  assert_int_equal (sim_explain_append (log, &chain, &s), 3);
  assert_int_equal (sim_explain_count (log), 3);
  sim_explain_log_free (log);
}

/* The log keeps a copy: changing the caller's step afterwards changes
 * nothing; the caller's next is ignored. */
static void
test_explain__append_copies_step (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep s = {
    .time = 123456789, .state = "APPLY_FIREWALL_RULE", .node = "vpc-router",
    .rule = "allow-internal", .note = "ingress", .src_before = IP (10, 8, 0, 2),
    .dst_before = IP (10, 0, 0, 5), .src_after = IP (10, 0, 0, 9),
    .dst_after = IP (10, 0, 0, 6), .next = 999,
  };
  const SimExplainStep *got;
  uint32_t id;

  (void) state;
  id = sim_explain_append (log, &chain, &s);
  s.time = 0;
  s.state = "CHANGED";
  s.src_before = 0;
  got = sim_explain_get (log, id);
  assert_int_equal (got->time, 123456789);
  assert_string_equal (got->state, "APPLY_FIREWALL_RULE");
  assert_string_equal (got->node, "vpc-router");
  assert_string_equal (got->rule, "allow-internal");
  assert_string_equal (got->note, "ingress");
  assert_int_equal (got->src_before, IP (10, 8, 0, 2));
  assert_int_equal (got->dst_before, IP (10, 0, 0, 5));
  assert_int_equal (got->src_after, IP (10, 0, 0, 9));
  assert_int_equal (got->dst_after, IP (10, 0, 0, 6));
  assert_int_equal (got->next, 0);
  sim_explain_log_free (log);
}

/* Two requests' steps interleave in the log; each chain links only its
 * own, in order, and knows its first, last and count. */
static void
test_explain__chains_link_their_own_steps (void **state)
{
  static const struct {
    char chain;                 /* 'a' or 'b' */
    const char *node;
  } order[] = {
    { 'a', "a1" }, { 'b', "b1" }, { 'a', "a2" }, { 'a', "a3" }, { 'b', "b2" },
    { 'a', "a4" },
  };
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain a = { 0 }, b = { 0 }, empty = { 0 };
  uint32_t ids[N_ELEMENTS (order)];
  GString *walk = g_string_new (NULL);

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (order); i++)
    {
      SimExplainStep s = step_at ((SimTime) i, "STEP", order[i].node);

      ids[i] = sim_explain_append (log, order[i].chain == 'a' ? &a : &b, &s);
      assert_int_equal (ids[i], i + 1);
    }
  assert_int_equal (a.first, ids[0]);
  assert_int_equal (a.last, ids[5]);
  assert_int_equal (a.count, 4);
  assert_int_equal (b.first, ids[1]);
  assert_int_equal (b.last, ids[4]);
  assert_int_equal (b.count, 2);
  assert_int_equal (empty.first + empty.last + empty.count, 0);

  for (uint32_t id = a.first; id; id = sim_explain_get (log, id)->next)
    g_string_append_printf (walk, "%s ", sim_explain_get (log, id)->node);
  g_string_append (walk, "| ");
  for (uint32_t id = b.first; id; id = sim_explain_get (log, id)->next)
    g_string_append_printf (walk, "%s ", sim_explain_get (log, id)->node);
  assert_string_equal (walk->str, "a1 a2 a3 a4 | b1 b2 ");
  g_string_free (walk, TRUE);
  sim_explain_log_free (log);
}

/* Ids stay valid (same contents) while the log grows well past its first
 * allocation. */
static void
test_explain__ids_stay_valid_as_log_grows (void **state)
{
  enum { N = 5000 };
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chains[3] = { { 0 } };

  (void) state;
  for (uint32_t i = 0; i < N; i++)
    {
      SimExplainStep s = step_at ((SimTime) i * 1000, "STEP", "n");

      s.src_before = i;
      assert_int_equal (sim_explain_append (log, &chains[i % 3], &s), i + 1);
    }
  assert_int_equal (sim_explain_count (log), N);
  for (uint32_t id = 1; id <= N; id++)
    {
      const SimExplainStep *s = sim_explain_get (log, id);

      assert_int_equal (s->time, (SimTime) (id - 1) * 1000);
      assert_int_equal (s->src_before, id - 1);
      assert_int_equal (s->next, id + 3 <= N ? id + 3 : 0);
    }
  for (int c = 0; c < 3; c++)
    assert_int_equal (chains[c].count, N / 3 + (c < N % 3));
  sim_explain_log_free (log);
}

/* Interned text is a copy that lives with the log; the same text gives
 * the same pointer. */
static void
test_explain__intern_deduplicates (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  char buf[32];
  const char *p, *q, *r;

  (void) state;
  g_strlcpy (buf, "fw-allow-internal", sizeof buf);
  p = sim_explain_intern (log, buf);
  assert_ptr_not_equal (p, buf);
  buf[0] = 'X';                       /* the caller's buffer is not kept */
  assert_string_equal (p, "fw-allow-internal");
  q = sim_explain_intern (log, "fw-allow-internal");
  assert_ptr_equal (p, q);
  r = sim_explain_intern (log, "fw-allow-internal2");
  assert_ptr_not_equal (p, r);
  assert_string_equal (r, "fw-allow-internal2");
  assert_ptr_equal (sim_explain_intern (log, ""), sim_explain_intern (log, ""));
  assert_null (sim_explain_intern (log, NULL));
  sim_explain_log_free (log);
}

static void
test_explain__internf_formats_and_deduplicates (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  g_autofree char *long_text = g_strnfill (10000, 'z');
  const char *p, *q, *l;

  (void) state;
  p = sim_explain_internf (log, "route %s/%u via %s", "10.0.0.0", 8u, "nat");
  assert_string_equal (p, "route 10.0.0.0/8 via nat");
  q = sim_explain_intern (log, "route 10.0.0.0/8 via nat");
  assert_ptr_equal (p, q);
  assert_ptr_equal (sim_explain_internf (log, "route %s/%d via nat",
                                         "10.0.0.0", 8), p);
  /* The scratch buffer is reused: an earlier result is not overwritten. */
  l = sim_explain_internf (log, "%s!", long_text);
  assert_int_equal (strlen (l), 10001);
  assert_string_equal (p, "route 10.0.0.0/8 via nat");
  assert_ptr_equal (sim_explain_internf (log, "%s", "route 10.0.0.0/8 via nat"),
                    p);
  sim_explain_log_free (log);
}

/* The one-line text: "STATE [CAUSE] at node: rule; note [addresses]", and
 * "[from A]" / "[to B]" when only one address is known. */
static void
test_explain__format_table (void **state)
{
  static const struct {
    const char *rule, *note;
    uint32_t src_before, dst_before, src_after, dst_after;
    const char *expected;
    const char *cause;
    const char *tag;
  } cases[] = {
    { NULL, NULL, 0, 0, 0, 0, "DROP at vpc-router", NULL, NULL },
    /* The cause follows the state, so a comment opens with both. */
    { "r", NULL, IP (10, 8, 0, 2), IP (10, 0, 0, 5), 0, 0,
      "DROP NO_ROUTE at vpc-router: r [10.8.0.2 -> 10.0.0.5]", "NO_ROUTE", NULL },
    { "fw-deny-all", NULL, 0, 0, 0, 0, "DROP at vpc-router: fw-deny-all", NULL, NULL },
    { NULL, "no route", 0, 0, 0, 0, "DROP at vpc-router; no route", NULL, NULL },
    { "fw-deny-all", "priority 1000", 0, 0, 0, 0,
      "DROP at vpc-router: fw-deny-all; priority 1000", NULL, NULL },
    { NULL, NULL, IP (10, 8, 0, 2), IP (10, 0, 0, 5), 0, 0,
      "DROP at vpc-router [10.8.0.2 -> 10.0.0.5]", NULL, NULL },
    { "r", "n", IP (10, 8, 0, 2), IP (10, 0, 0, 5), 0, 0,
      "DROP at vpc-router: r; n [10.8.0.2 -> 10.0.0.5]", NULL, NULL },
    /* Translation: both, source only (SNAT), destination only (DNAT). */
    { "nat", NULL, IP (10, 8, 0, 2), IP (34, 1, 2, 3), IP (35, 9, 9, 9),
      IP (34, 1, 2, 4),
      "DROP at vpc-router: nat [10.8.0.2 -> 34.1.2.3 => 35.9.9.9 -> 34.1.2.4]", NULL, NULL },
    { NULL, NULL, IP (10, 8, 0, 2), IP (34, 1, 2, 3), IP (35, 9, 9, 9), 0,
      "DROP at vpc-router [10.8.0.2 -> 34.1.2.3 => 35.9.9.9 -> 34.1.2.3]", NULL, NULL },
    { NULL, NULL, IP (10, 8, 0, 2), IP (34, 1, 2, 3), 0, IP (10, 0, 0, 7),
      "DROP at vpc-router [10.8.0.2 -> 34.1.2.3 => 10.8.0.2 -> 10.0.0.7]", NULL, NULL },
    { NULL, NULL, IP (255, 255, 255, 255), IP (1, 0, 0, 1), 0, 0,
      "DROP at vpc-router [255.255.255.255 -> 1.0.0.1]", NULL, NULL },
    /* One address known: which side it is on. */
    { "r", NULL, IP (10, 8, 0, 2), 0, 0, 0,
      "DROP at vpc-router: r [from 10.8.0.2]", NULL, NULL },
    { NULL, "n", 0, IP (34, 1, 2, 3), 0, 0,
      "DROP at vpc-router; n [to 34.1.2.3]", NULL, NULL },
    /* A tag for programs: right after the node, before any free text. */
    { "r", "classified internal", 0, 0, 0, 0,
      "DROP CAUSE at vpc-router (external): r; classified internal",
      "CAUSE", "external" },
  };
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  GString *out = g_string_new (NULL);

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimExplainStep s = step_at (0, "DROP", "vpc-router");
      uint32_t id;

      s.rule = cases[i].rule;
      s.cause = cases[i].cause;
      s.tag = cases[i].tag;
      s.note = cases[i].note;
      s.src_before = cases[i].src_before;
      s.dst_before = cases[i].dst_before;
      s.src_after = cases[i].src_after;
      s.dst_after = cases[i].dst_after;
      id = sim_explain_append (log, &chain, &s);
      g_string_truncate (out, 0);
      sim_explain_format (log, id, out);
      if (strcmp (out->str, cases[i].expected) != 0)
        fail_msg ("case %zu: \"%s\", expected \"%s\"", i, out->str,
                  cases[i].expected);
    }
  g_string_free (out, TRUE);
  sim_explain_log_free (log);
}

/* IPv6 addresses: interned once each, numbers in the fields whose bit is
 * set, printed in RFC 5952 text; a step may mix the families (the GFE's:
 * a caller's IPv6 pair, then its own IPv4 pair towards the instance). */
static void
test_explain__ipv6_addresses_in_rfc5952_text (void **state)
{
  static const struct {
    const char *src, *dst, *src_after;  /* IPv6 text or NULL */
    uint32_t dst_after;                 /* IPv4, 0 none */
    const char *expected;
  } cases[] = {
    { "2001:db8:0:0:0:0:0:5", "2001:4860:4802:32:0:0:0:35", NULL, 0,
      "DROP at gfe [2001:db8::5 -> 2001:4860:4802:32::35]" },
    { "2001:db8::5", "2001:4860:4802:32::35", NULL, IP (169, 254, 1, 10),
      "DROP at gfe [2001:db8::5 -> 2001:4860:4802:32::35 => "
      "2001:db8::5 -> 169.254.1.10]" },
    { "FD20:0:1:0::2", NULL, "2600:2d00:2:2000::", 0,
      "DROP at gfe [from fd20:0:1::2]" },
    { NULL, "2600:2D00:2:1000::", NULL, 0,
      "DROP at gfe [to 2600:2d00:2:1000::]" },
  };
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  GString *out = g_string_new (NULL);
  SimIp6 a, b;

  (void) state;
  assert_true (sim_ipv6_parse ("2001:db8::5", &a));
  assert_true (sim_ipv6_parse ("2001:db8::6", &b));
  assert_int_equal (sim_explain_intern6 (log, NULL), 0);
  assert_int_equal (sim_explain_intern6 (log, &a), 1);
  assert_int_equal (sim_explain_intern6 (log, &b), 2);
  assert_int_equal (sim_explain_intern6 (log, &a), 1);
  assert_true (sim_ipv6_equal (sim_explain_addr6 (log, 2), &b));
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimExplainStep s = step_at (0, "DROP", "gfe");
      SimIp6 x;
      uint32_t id;

      if (cases[i].src && sim_ipv6_parse (cases[i].src, &x))
        {
          s.src_before = sim_explain_intern6 (log, &x);
          s.v6 |= SIM_EXPLAIN_V6_SRC_BEFORE;
        }
      if (cases[i].dst && sim_ipv6_parse (cases[i].dst, &x))
        {
          s.dst_before = sim_explain_intern6 (log, &x);
          s.v6 |= SIM_EXPLAIN_V6_DST_BEFORE;
        }
      if (cases[i].src_after && sim_ipv6_parse (cases[i].src_after, &x))
        {
          s.src_after = sim_explain_intern6 (log, &x);
          s.v6 |= SIM_EXPLAIN_V6_SRC_AFTER;
        }
      s.dst_after = cases[i].dst_after;
      id = sim_explain_append (log, &chain, &s);
      assert_int_equal (sim_explain_get (log, id)->v6, s.v6);
      g_string_truncate (out, 0);
      sim_explain_format (log, id, out);
      if (strcmp (out->str, cases[i].expected) != 0)
        fail_msg ("case %zu: \"%s\", expected \"%s\"", i, out->str,
                  cases[i].expected);
    }
  g_string_free (out, TRUE);
  sim_explain_log_free (log);
}

/* Format appends (report.txt prefixes a step number) and reads the step
 * by id, not the last one appended. */
static void
test_explain__format_appends_the_given_step (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep first = step_at (0, "START_FROM_INSTANCE", "svc-a");
  SimExplainStep second = step_at (1, "DELIVER", "svc-b");
  GString *out = g_string_new (" 1. ");
  uint32_t id;

  (void) state;
  first.note = sim_explain_internf (log, "request %d", 3);
  id = sim_explain_append (log, &chain, &first);
  sim_explain_append (log, &chain, &second);
  sim_explain_format (log, id, out);
  assert_string_equal (out->str, " 1. START_FROM_INSTANCE at svc-a; request 3");
  g_string_free (out, TRUE);
  sim_explain_log_free (log);
}

/* The capture's comment puts the subject last; the report's line has
 * none. */
static void
test_explain__comment_ends_with_the_subject (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep s = step_at (0, "INGRESS_DENIED", "gfe");
  SimExplainStep t = step_at (1, "DELIVER", "svc");
  GString *out = g_string_new (NULL);
  uint32_t a, b;

  (void) state;
  s.tag = "external";
  s.rule = "no";
  s.src_before = 0x0a000001;
  s.dst_before = 0x0a000002;
  s.subject = "traffic alice";
  s.subject_request = 12;
  t.subject = "traffic bob";
  a = sim_explain_append (log, &chain, &s);
  b = sim_explain_append (log, &chain, &t);
  sim_explain_format_comment (log, a, out);
  assert_string_equal (out->str, "INGRESS_DENIED at gfe (external): no "
                       "[10.0.0.1 -> 10.0.0.2] (traffic alice, request 12)");
  g_string_truncate (out, 0);
  sim_explain_format (log, a, out);
  assert_string_equal (out->str, "INGRESS_DENIED at gfe (external): no "
                       "[10.0.0.1 -> 10.0.0.2]");
  g_string_truncate (out, 0);
  sim_explain_format_comment (log, b, out);
  assert_string_equal (out->str, "DELIVER at svc (traffic bob)");
  g_string_free (out, TRUE);
  sim_explain_log_free (log);
}

/* An outbound step stays out of the frame's journal; journal_add puts it
 * in another's (its packet's arrival), but not a released one. */
static void
test_explain__outbound_step_joins_a_later_journal (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep q = step_at (0, "DNS_ANSWER", "dns");
  const uint32_t *ids;
  uint32_t mark, n, id;

  (void) state;
  q.outbound = true;
  mark = sim_explain_journal_begin (log);
  id = sim_explain_append (log, &chain, &q);
  sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 0);
  sim_explain_journal_end (log, mark);
  mark = sim_explain_journal_begin (log);
  sim_explain_journal_add (log, id);
  ids = sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 1);
  assert_int_equal (ids[0], id);
  sim_explain_journal_end (log, mark);
  sim_explain_release (log, &chain);
  mark = sim_explain_journal_begin (log);
  sim_explain_journal_add (log, id);
  sim_explain_journal_add (log, 0);
  sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 0);
  sim_explain_journal_end (log, mark);
  sim_explain_log_free (log);
}

/* Id 0 means "none", an id past the end was never given and a released
 * id is no step: all are programming errors and abort. */
static void
get_zero (void)
{
  SimExplainLog *log = sim_explain_log_new ();

  (void) sim_explain_get (log, 0);
}

static void
get_past_end (void)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep s = step_at (0, "S", "n");

  sim_explain_append (log, &chain, &s);
  (void) sim_explain_get (log, 2);
}

static void
get_released (void)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain chain = { 0 };
  SimExplainStep s = step_at (0, "S", "n");

  sim_explain_append (log, &chain, &s);
  sim_explain_release (log, &chain);
  (void) sim_explain_get (log, 1);
}

static void
test_explain__get_invalid_id_aborts (void **state)
{
  void (*fns[]) (void) = { get_zero, get_past_end, get_released };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (fns); i++)
    {
      pid_t pid = fork ();
      int status;

      assert_true (pid >= 0);
      if (pid == 0)
        {
          int null = open ("/dev/null", O_WRONLY);

          if (null >= 0)
            {
              dup2 (null, STDOUT_FILENO);
              dup2 (null, STDERR_FILENO);
            }
          fns[i] ();
          _exit (0);
        }
      assert_int_equal (waitpid (pid, &status, 0), pid);
      if (!WIFSIGNALED (status))
        fail_msg ("case %zu: did not abort", i);
    }
}

/* A released chain gives its slots back: the count follows the steps
 * alive, the next appends reuse the freed ids (last freed first), and the
 * other chains are untouched. */
static void
test_explain__release_reuses_slots (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain a = { 0 }, b = { 0 }, c = { 0 };
  SimExplainStep s = step_at (1, "STEP", "n");

  (void) state;
  sim_explain_append (log, &a, &s);             /* 1 */
  sim_explain_append (log, &b, &s);             /* 2 */
  sim_explain_append (log, &a, &s);             /* 3 */
  sim_explain_release (log, &a);
  assert_int_equal (a.first, 0);
  assert_int_equal (a.count, 0);
  assert_int_equal (sim_explain_count (log), 1);
  assert_int_equal (sim_explain_append (log, &c, &s), 3);
  assert_int_equal (sim_explain_append (log, &c, &s), 1);
  assert_int_equal (sim_explain_append (log, &c, &s), 4);
  assert_int_equal (sim_explain_count (log), 4);
  assert_int_equal (sim_explain_get (log, 3)->next, 1);
  assert_int_equal (sim_explain_get (log, 1)->next, 4);
  assert_int_equal (b.first, 2);
  assert_int_equal (sim_explain_get (log, 2)->next, 0);
  sim_explain_log_free (log);
}

/* The journal holds the ids appended under a watch, reused ids included,
 * nested watches see their own part, and it empties when the outermost
 * watch ends; appends outside any watch are not journaled. */
static void
test_explain__journal_holds_watched_appends (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain a = { 0 }, b = { 0 };
  SimExplainStep s = step_at (1, "STEP", "n");
  const uint32_t *ids;
  uint32_t outer, inner, n;

  (void) state;
  sim_explain_append (log, &a, &s);             /* 1, unwatched */
  sim_explain_append (log, &a, &s);             /* 2 */
  sim_explain_release (log, &a);                /* frees 1, 2 */
  outer = sim_explain_journal_begin (log);
  sim_explain_append (log, &b, &s);             /* 2 */
  inner = sim_explain_journal_begin (log);
  sim_explain_append (log, &b, &s);             /* 1 */
  sim_explain_append (log, &b, &s);             /* 3 */
  ids = sim_explain_journal_since (log, inner, &n);
  assert_int_equal (n, 2);
  assert_int_equal (ids[0], 1);
  assert_int_equal (ids[1], 3);
  sim_explain_journal_end (log, inner);
  ids = sim_explain_journal_since (log, outer, &n);
  assert_int_equal (n, 3);
  assert_int_equal (ids[0], 2);
  sim_explain_journal_end (log, outer);
  outer = sim_explain_journal_begin (log);
  assert_int_equal (outer, 0);
  sim_explain_journal_since (log, outer, &n);
  assert_int_equal (n, 0);
  sim_explain_journal_end (log, outer);
  sim_explain_log_free (log);
}

/* A step deferred to a tag outside any watch joins the journal of the
 * first watch that claims that tag, once; a second defer of the tag keeps
 * the first step; another tag claims nothing; an undeferred tag is never
 * claimed. */
static void
test_explain__deferred_step_joins_the_claiming_frame (void **state)
{
  SimExplainLog *log = sim_explain_log_new ();
  SimExplainChain a = { 0 };
  SimExplainStep s = step_at (1, "ABORT", "gfe");
  const uint32_t *ids;
  uint32_t mark, n, first, second;

  (void) state;
  assert_false (sim_explain_watching (log));
  first = sim_explain_append (log, &a, &s);
  second = sim_explain_append (log, &a, &s);
  sim_explain_defer (log, 7, first);
  sim_explain_defer (log, 7, second);           /* the first stays */
  sim_explain_defer (log, 9, second);
  sim_explain_undefer (log, 9);
  mark = sim_explain_journal_begin (log);
  assert_true (sim_explain_watching (log));
  sim_explain_claim (log, 8);
  sim_explain_claim (log, 9);
  sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 0);
  sim_explain_claim (log, 7);
  ids = sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 1);
  assert_int_equal (ids[0], first);
  sim_explain_stamp_frame (log, ids, n, 42);
  sim_explain_journal_end (log, mark);
  assert_int_equal (sim_explain_get (log, first)->frame, 42);
  mark = sim_explain_journal_begin (log);
  sim_explain_claim (log, 7);                   /* claimed already */
  sim_explain_journal_since (log, mark, &n);
  assert_int_equal (n, 0);
  sim_explain_journal_end (log, mark);
  sim_explain_log_free (log);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_explain__ids_start_at_one),
    cmocka_unit_test (test_explain__append_copies_step),
    cmocka_unit_test (test_explain__chains_link_their_own_steps),
    cmocka_unit_test (test_explain__ids_stay_valid_as_log_grows),
    cmocka_unit_test (test_explain__intern_deduplicates),
    cmocka_unit_test (test_explain__internf_formats_and_deduplicates),
    cmocka_unit_test (test_explain__format_table),
    cmocka_unit_test (test_explain__ipv6_addresses_in_rfc5952_text),
    cmocka_unit_test (test_explain__format_appends_the_given_step),
    cmocka_unit_test (test_explain__comment_ends_with_the_subject),
    cmocka_unit_test (test_explain__outbound_step_joins_a_later_journal),
    cmocka_unit_test (test_explain__get_invalid_id_aborts),
    cmocka_unit_test (test_explain__release_reuses_slots),
    cmocka_unit_test (test_explain__journal_holds_watched_appends),
    cmocka_unit_test (test_explain__deferred_step_joins_the_claiming_frame),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
