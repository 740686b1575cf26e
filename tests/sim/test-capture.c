/* Tests for sim/capture.c: a tiny world (a -- b over link "ab", a -- c
 * over an unnamed link, c with an unconnected port) captured into a
 * temporary directory. After a run the files exist; libpcap reads every
 * per-link pcap and the pcapng back with nanosecond timestamps equal to
 * the arrival times the receivers saw, and as many packets as the link's
 * rx counters; the pcapng (parsed here block by block) has one IDB per
 * interface named NODE/PORT, EPBs on the receiving interface, and the
 * explanation text as comment on the frame a node decided on. Write
 * failures (a file that is a symlink to /dev/full) and open failures come
 * back from close/open as a GError naming the path. */
#define _DEFAULT_SOURCE 1       /* symlink; libpcap's u_char */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "sim/capture.h"
#include "sim/link.h"
#include "sim/node.h"
#include "sim/wire.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define LINK_AC "a-eth1--c-eth0"

/* ---- the world -------------------------------------------------------- */

/* One frame a node received. */
typedef struct {
  SimTime time;
  uint32_t if_id;               /* receiving port */
  GBytes *bytes;
} Got;

/* Records what arrives and releases it; echo sends it back the way it
 * came (so both directions of a link carry frames). A frame of
 * decide_len bytes makes the node take decisions: it appends its
 * n_decisions explanation steps while handling it. */
typedef struct {
  SimNode node;
  bool echo;
  uint32_t decide_len;
  const SimExplainStep *decisions;
  uint32_t n_decisions;
} Endpoint;

static GArray *received;        /* Got, in arrival order, every node */

static void
endpoint_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  Endpoint *ep = (Endpoint *) self;
  Got g = { sim_world_now (self->world), port->if_id,
            g_bytes_new (packet->data, packet->len) };

  g_array_append_val (received, g);
  if (ep->decide_len && packet->len == ep->decide_len)
    {
      SimExplainChain chain = { 0 };
      for (uint32_t i = 0; i < ep->n_decisions; i++)
        sim_explain_append (sim_world_explain (self->world), &chain,
                            &ep->decisions[i]);
    }
  if (((Endpoint *) self)->echo)
    sim_port_send (port, packet);
  else
    sim_packet_release (sim_world_pool (self->world), packet);
}

static const SimNodeClass endpoint_class = {
  "endpoint", sizeof (Endpoint), endpoint_receive, NULL, NULL, NULL,
};

/* A UDP datagram from a with a payload of len bytes of `fill`. */
typedef struct {
  SimPort *port;
  SimTime at;
  uint32_t len;
  uint8_t fill;
} Send;

static void
send_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  Send *s = target;
  SimWorld *world = s->port->node->world;
  SimPacket *p = sim_packet_new (sim_world_pool (world));
  static const uint8_t zero[6];

  (void) k; (void) arg; (void) u;
  memset (sim_packet_append (p, s->len), s->fill, s->len);
  sim_udp_push (p, 0x0A000001, 0x0A000002, 5000, 6000);
  sim_ipv4_push (p, 0x0A000001, 0x0A000002, SIM_IPPROTO_UDP, 64, s->fill);
  sim_eth_push (p, zero, zero, SIM_ETHERTYPE_IPV4);
  sim_port_send (s->port, p);
}

typedef struct {
  SimWorld *world;
  Endpoint *a, *b, *c;
  SimLink *ab, *ac;
  Send sends[6];
  SimExplainStep decisions[2]; /* what b decides on the 1400-byte frame */
  char *comment;                /* their texts, one comment each, joined
                                   by newlines as pcapng_read does */
} Tiny;

static void
tiny_init (Tiny *t)
{
  SimLinkParams lp = { .delay = 1500 * SIM_US, .rate_bps = 1000000000 };
  SimExplainStep step = {
    .time = SIM_S, .state = "APPLY_FIREWALL_RULE", .node = "b",
    .rule = "fw-allow", .note = "ingress", .src_before = 0x0A000001,
    .dst_before = 0x0A000002,
  };
  SimExplainStep drop = {
    .time = SIM_S, .state = "DROP", .cause = "NO_ROUTE", .node = "b",
    .rule = "no route",
  };
  SimExplainChain chain = { 0 };
  SimExplainLog *scratch = sim_explain_log_new ();
  GString *text = g_string_new (NULL);

  received = g_array_new (FALSE, TRUE, sizeof (Got));
  t->world = sim_world_new (1);
  t->a = (Endpoint *) sim_node_new (t->world, &endpoint_class, "a");
  t->b = (Endpoint *) sim_node_new (t->world, &endpoint_class, "b");
  t->c = (Endpoint *) sim_node_new (t->world, &endpoint_class, "c");
  sim_node_add_port (&t->a->node, "eth0");
  sim_node_add_port (&t->a->node, "eth1");
  sim_node_add_port (&t->b->node, "eth0");
  sim_node_add_port (&t->c->node, "eth0");
  sim_node_add_port (&t->c->node, "spare");     /* never connected */
  t->b->echo = true;
  t->ab = sim_link_new (t->world, sim_node_port (&t->a->node, 0),
                        sim_node_port (&t->b->node, 0), &lp, "ab");
  t->ac = sim_link_new (t->world, sim_node_port (&t->a->node, 1),
                        sim_node_port (&t->c->node, 0), &lp, NULL);
  /* b decides on the 1400-byte datagram (1442 bytes framed). */
  t->decisions[0] = step;
  t->decisions[1] = drop;
  t->b->decide_len = 1400 + 42;
  t->b->decisions = t->decisions;
  t->b->n_decisions = 2;
  sim_explain_format (scratch, sim_explain_append (scratch, &chain, &step),
                      text);
  g_string_append_c (text, '\n');
  sim_explain_format (scratch, sim_explain_append (scratch, &chain, &drop),
                      text);
  sim_explain_log_free (scratch);
  t->comment = g_string_free (text, FALSE);

  /* Times past 1 s so that seconds and nanoseconds both matter. */
  t->sends[0] = (Send) { sim_node_port (&t->a->node, 0), SIM_S + 7, 100, 1 };
  t->sends[1] = (Send) { sim_node_port (&t->a->node, 0), SIM_S + 7, 1400, 2 };
  t->sends[2] = (Send) { sim_node_port (&t->a->node, 1), 2 * SIM_S + 999999999,
                         33, 3 };
  t->sends[3] = (Send) { sim_node_port (&t->a->node, 1), 3 * SIM_S, 18, 4 };
  t->sends[4] = (Send) { sim_node_port (&t->c->node, 1), 0, 18, 5 };
  t->sends[5] = (Send) { sim_node_port (&t->a->node, 0), 5 * SIM_S, 1, 6 };
  for (size_t i = 0; i < N_ELEMENTS (t->sends); i++)
    sim_kernel_schedule (sim_world_kernel (t->world), t->sends[i].at,
                         send_fire, &t->sends[i], NULL, 0);
}

static void
tiny_clear (Tiny *t)
{
  for (guint i = 0; i < received->len; i++)
    g_bytes_unref (g_array_index (received, Got, i).bytes);
  g_array_free (received, TRUE);
  received = NULL;
  g_free (t->comment);
  sim_world_free (t->world);
}

static uint64_t
link_rx (const SimLink *link)
{
  return sim_link_counters (link, 0)->rx_packets
         + sim_link_counters (link, 1)->rx_packets;
}

static const SimCaptureOptions both = {
  .pcapng = true, .per_link_pcap = true,
  .application = "cloudrun-netsim test", .section_comment = "tiny world",
};

/* ---- temporary directories -------------------------------------------- */

static void
rm_rf (const char *path)
{
  GDir *dir;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      && g_file_test (path, G_FILE_TEST_IS_DIR)
      && (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static char *
temp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("test-capture-XXXXXX", &error);

  assert_non_null (dir);
  return dir;
}

/* ---- reading back ----------------------------------------------------- */

/* Arrivals on the interfaces of one link (both ends), in order. */
static GArray *
arrivals_on_link (const SimLink *link)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Got));

  for (guint i = 0; i < received->len; i++)
    {
      Got *g = &g_array_index (received, Got, i);

      if (g->if_id == sim_link_end (link, 0)->if_id
          || g->if_id == sim_link_end (link, 1)->if_id)
        g_array_append_val (out, *g);
    }
  return out;
}

/* Reads a capture through libpcap at nanosecond precision and compares it
 * with `expected` record by record: time, lengths and bytes. */
static void
check_pcap_file (const char *path, const GArray *expected)
{
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline_with_tstamp_precision (
    path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  struct pcap_pkthdr *h;
  const u_char *data;
  guint n = 0;
  int r;

  if (p == NULL)
    fail_msg ("%s: %s", path, errbuf);
  assert_int_equal (pcap_datalink (p), DLT_EN10MB);
  assert_int_equal (pcap_get_tstamp_precision (p), PCAP_TSTAMP_PRECISION_NANO);
  while ((r = pcap_next_ex (p, &h, &data)) == 1)
    {
      const Got *g;
      size_t len;
      const uint8_t *bytes;
      SimTime t = (SimTime) h->ts.tv_sec * SIM_S + h->ts.tv_usec;

      if (n >= expected->len)
        fail_msg ("%s: more than %u records", path, expected->len);
      g = &g_array_index (expected, Got, n);
      bytes = g_bytes_get_data (g->bytes, &len);
      if (t != g->time)
        fail_msg ("%s: record %u at %" G_GINT64_FORMAT " ns, arrived at %"
                  G_GINT64_FORMAT, path, n, t, g->time);
      assert_int_equal (h->caplen, len);
      assert_int_equal (h->len, len);
      assert_memory_equal (data, bytes, len);
      n++;
    }
  assert_int_equal (r, PCAP_ERROR_BREAK);       /* clean end of file */
  assert_int_equal (n, expected->len);
  pcap_close (p);
}

/* A pcapng option walk: code, length and value of each option until
 * opt_endofopt. */
typedef struct {
  const uint8_t *p, *end;
} Options;

static uint32_t
le32 (const uint8_t *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16
         | (uint32_t) p[3] << 24;
}

static uint16_t
le16 (const uint8_t *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

/* The value of option `code` as a string (NULL when absent). */
/* Every option of that code, in order, joined by newlines; NULL none. */
static char *
option_string (const uint8_t *opts, const uint8_t *end, uint16_t code)
{
  GString *all = NULL;

  while (opts + 4 <= end)
    {
      uint16_t c = le16 (opts), len = le16 (opts + 2);

      if (c == 0)
        break;
      assert_true (opts + 4 + len <= end);
      if (c == code)
        {
          if (all)
            g_string_append_c (all, '\n');
          else
            all = g_string_new (NULL);
          g_string_append_len (all, (const char *) opts + 4, len);
        }
      opts += 4 + ((len + 3u) & ~3u);
    }
  return all ? g_string_free (all, FALSE) : NULL;
}

/* What the pcapng holds, parsed by hand. */
typedef struct {
  char *application, *section_comment;
  GPtrArray *if_names;          /* char*, by interface id */
  GArray *if_tsresol;           /* uint8_t */
  GArray *packets;              /* Got (if_id, time, bytes) */
  GPtrArray *comments;          /* char* or NULL, per packet */
  char *secrets;                /* the TLS key log of the DSB, or NULL */
  guint packets_before_secrets; /* EPBs written before it */
} Pcapng;

static void
pcapng_read (const char *path, Pcapng *out)
{
  g_autofree char *contents = NULL;
  gsize size;
  const uint8_t *p, *end;

  assert_true (g_file_get_contents (path, &contents, &size, NULL));
  memset (out, 0, sizeof *out);
  out->if_names = g_ptr_array_new_with_free_func (g_free);
  out->if_tsresol = g_array_new (FALSE, FALSE, 1);
  out->packets = g_array_new (FALSE, FALSE, sizeof (Got));
  out->comments = g_ptr_array_new_with_free_func (g_free);
  p = (const uint8_t *) contents;
  end = p + size;
  assert_true (size >= 28);
  assert_int_equal (le32 (p), 0x0A0D0D0A);             /* SHB first */
  while (p < end)
    {
      uint32_t type, len;
      const uint8_t *body;

      assert_true (p + 12 <= end);
      type = le32 (p);
      len = le32 (p + 4);
      assert_true (len >= 12 && len % 4 == 0 && p + len <= end);
      assert_int_equal (le32 (p + len - 4), len);    /* trailing length */
      body = p + 8;
      if (type == 0x0A0D0D0A)
        {
          assert_int_equal (le32 (body), 0x1A2B3C4D);
          out->section_comment = option_string (body + 16, p + len - 4, 1);
          out->application = option_string (body + 16, p + len - 4, 4);
        }
      else if (type == 1)
        {
          char *tsresol;

          assert_int_equal (le16 (body), 1);         /* LINKTYPE_ETHERNET */
          g_ptr_array_add (out->if_names,
                           option_string (body + 8, p + len - 4, 2));
          tsresol = option_string (body + 8, p + len - 4, 9);
          assert_non_null (tsresol);
          g_array_append_val (out->if_tsresol, tsresol[0]);
          g_free (tsresol);
        }
      else if (type == 6)
        {
          Got g;
          uint32_t caplen = le32 (body + 12);
          const uint8_t *opts = body + 20 + ((caplen + 3u) & ~3u);

          g.if_id = le32 (body);
          g.time = (SimTime) ((uint64_t) le32 (body + 4) << 32 | le32 (body + 8));
          assert_int_equal (le32 (body + 16), caplen);
          g.bytes = g_bytes_new (body + 20, caplen);
          g_array_append_val (out->packets, g);
          g_ptr_array_add (out->comments,
                           option_string (opts, p + len - 4, 1));
        }
      else if (type == 0x0A)
        {
          assert_null (out->secrets);                /* one in the test */
          assert_int_equal (le32 (body), 0x544c534b);  /* "TLSK" */
          assert_true (le32 (body + 4) <= len - 20);
          out->secrets = g_strndup ((const char *) body + 8,
                                    le32 (body + 4));
          out->packets_before_secrets = out->packets->len;
        }
      else
        fail_msg ("unexpected block type %u", type);
      p += len;
    }
}

static void
pcapng_clear (Pcapng *png)
{
  for (guint i = 0; i < png->packets->len; i++)
    g_bytes_unref (g_array_index (png->packets, Got, i).bytes);
  g_array_free (png->packets, TRUE);
  g_ptr_array_unref (png->comments);
  g_ptr_array_unref (png->if_names);
  g_array_free (png->if_tsresol, TRUE);
  g_free (png->application);
  g_free (png->section_comment);
  g_free (png->secrets);
}

/* Runs the tiny world captured into dir; returns close's result. */
static bool
run_captured (Tiny *t, const char *dir, const SimCaptureOptions *options,
              uint64_t *bytes_written, GError **error)
{
  SimCapture *capture = sim_capture_open (t->world, dir, options, error);

  assert_non_null (capture);
  sim_world_set_tap (t->world, sim_capture_tap (capture));
  sim_world_run (t->world, SIM_TIME_MAX);
  sim_world_set_tap (t->world, NULL);
  if (bytes_written)
    *bytes_written = sim_capture_bytes_written (capture);
  return sim_capture_close (capture, error);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_capture__files_exist_after_run (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  g_autofree char *ab = g_build_filename (dir, "pcap", "ab.pcap", NULL);
  g_autofree char *ac = g_build_filename (dir, "pcap", LINK_AC ".pcap", NULL);
  g_autofree char *tsv = g_build_filename (dir, "pcap",
                                           SIM_CAPTURE_COMMENTS_NAME, NULL);
  GError *error = NULL;
  uint64_t written = 0;
  GStatBuf st;
  uint64_t on_disk = 0;
  const char *paths[4];
  Tiny t;

  (void) state;
  tiny_init (&t);
  assert_string_equal (sim_link_name (t.ac), LINK_AC);
  assert_true (run_captured (&t, dir, &both, &written, &error));
  assert_null (error);
  paths[0] = png;
  paths[1] = ab;
  paths[2] = ac;
  paths[3] = tsv;
  for (size_t i = 0; i < N_ELEMENTS (paths); i++)
    {
      if (g_stat (paths[i], &st) != 0)
        fail_msg ("%s is missing", paths[i]);
      assert_true (st.st_size > 24);
      on_disk += (uint64_t) st.st_size;
    }
  /* Exactly those: one pcap per link and their comments, nothing for the
   * spare port. */
  {
    g_autofree char *pcap_dir = g_build_filename (dir, "pcap", NULL);
    GDir *d = g_dir_open (pcap_dir, 0, NULL);
    guint n = 0;

    assert_non_null (d);
    while (g_dir_read_name (d))
      n++;
    g_dir_close (d);
    assert_int_equal (n, 3);
  }
  assert_int_equal (written, on_disk);
  tiny_clear (&t);
  rm_rf (dir);
}

/* Each link's pcap holds its crossings (both directions), as many as the
 * link's rx counters, stamped with the arrival time to the nanosecond. */
static void
test_capture__link_pcaps_match_arrivals (void **state)
{
  g_autofree char *dir = temp_dir ();
  GError *error = NULL;
  Tiny t;
  SimLink *links[2];

  (void) state;
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &both, NULL, &error));
  links[0] = t.ab;
  links[1] = t.ac;
  /* a -> b: 3, echoed b -> a: 3; a -> c: 2. */
  assert_int_equal (link_rx (t.ab), 6);
  assert_int_equal (link_rx (t.ac), 2);
  for (size_t i = 0; i < N_ELEMENTS (links); i++)
    {
      g_autofree char *name = g_strconcat (sim_link_name (links[i]), ".pcap",
                                            NULL);
      g_autofree char *path = g_build_filename (dir, "pcap", name, NULL);
      GArray *expected = arrivals_on_link (links[i]);

      assert_int_equal (expected->len, link_rx (links[i]));
      check_pcap_file (path, expected);
      g_array_free (expected, TRUE);
    }
  tiny_clear (&t);
  rm_rf (dir);
}

/* libpcap reads the merged pcapng too: every crossing of every link, in
 * arrival order, at nanosecond precision. */
static void
test_capture__pcapng_readable_by_libpcap (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  GError *error = NULL;
  Tiny t;

  (void) state;
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &both, NULL, &error));
  assert_int_equal (received->len, link_rx (t.ab) + link_rx (t.ac));
  check_pcap_file (png, received);
  tiny_clear (&t);
  rm_rf (dir);
}

/* One IDB per interface, in if_id order, named NODE/PORT (the unconnected
 * port too), nanosecond resolution; each EPB on the receiving interface;
 * the frame on which the receiving node took decisions has each step's
 * text as its own comment, in order, the others none; the SHB names the application. */
static void
test_capture__pcapng_interfaces_and_comments (void **state)
{
  static const char *const names[] = {
    "a/eth0", "a/eth1", "b/eth0", "c/eth0", "c/spare",
  };
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  GError *error = NULL;
  guint commented = 0;
  Pcapng r;
  Tiny t;

  (void) state;
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &both, NULL, &error));
  pcapng_read (png, &r);
  assert_string_equal (r.application, "cloudrun-netsim test");
  assert_string_equal (r.section_comment, "tiny world");
  assert_int_equal (sim_world_n_interfaces (t.world), N_ELEMENTS (names));
  assert_int_equal (r.if_names->len, N_ELEMENTS (names));
  for (guint i = 0; i < N_ELEMENTS (names); i++)
    {
      assert_non_null (g_ptr_array_index (r.if_names, i));
      assert_string_equal (g_ptr_array_index (r.if_names, i), names[i]);
      assert_int_equal (g_array_index (r.if_tsresol, uint8_t, i), 9);
    }
  assert_int_equal (r.packets->len, received->len);
  for (guint i = 0; i < r.packets->len; i++)
    {
      const Got *g = &g_array_index (r.packets, Got, i);
      const Got *want = &g_array_index (received, Got, i);
      const char *comment = g_ptr_array_index (r.comments, i);

      assert_int_equal (g->if_id, want->if_id);
      assert_int_equal (g->time, want->time);
      assert_true (g_bytes_equal (g->bytes, want->bytes));
      if (comment)
        {
          commented++;
          assert_string_equal (comment, t.comment);
          assert_int_equal (g_bytes_get_size (g->bytes), 1400 + 42);
          assert_int_equal (g->if_id, 2);                 /* b/eth0 */
        }
    }
  /* The decision is on the frame it was taken on, once: b's echo of it
   * arrives at a, which decides nothing. */
  assert_int_equal (commented, 1);
  pcapng_clear (&r);
  tiny_clear (&t);
  rm_rf (dir);
}

/* Wireshark agrees: tshark names each packet's interface NODE/PORT and
 * shows the comment. Skipped when tshark is not installed ($TSHARK or
 * the PATH). */
static void
test_capture__tshark_sees_interfaces_and_comment (void **state)
{
  const char *env = g_getenv ("TSHARK");
  g_autofree char *tshark = env && *env ? g_strdup (env)
                                        : g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  GString *expected = g_string_new (NULL);
  GError *error = NULL;
  int status = -1;
  Tiny t;

  (void) state;
  if (tshark == NULL || !g_file_test (tshark, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_string_free (expected, TRUE);
      skip ();
    }
  dir = temp_dir ();
  png = g_build_filename (dir, "trace.pcapng", NULL);
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &both, NULL, &error));
  for (guint i = 0; i < received->len; i++)
    {
      const Got *g = &g_array_index (received, Got, i);
      const SimPort *port = sim_world_interface (t.world, g->if_id);

      g_string_append_printf (expected, "%s/%s\t%s\n", port->node->name,
                              port->name,
                              g_bytes_get_size (g->bytes) == 1442
                              && g->if_id == 2 ? t.comment : "");
    }
  {
    const char *argv[] = { tshark, "-r", png, "-T", "fields",
                           "-E", "aggregator=\n",
                           "-e", "frame.interface_name",
                           "-e", "frame.comment", NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                               NULL, &status, &error));
  }
  assert_true (g_spawn_check_wait_status (status, NULL));
  assert_string_equal (out, expected->str);
  g_string_free (expected, TRUE);
  tiny_clear (&t);
  rm_rf (dir);
}

/* The options choose the files. */
static void
test_capture__options_choose_files (void **state)
{
  static const struct {
    bool pcapng, per_link;
  } cases[] = { { true, false }, { false, true }, { false, false } };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimCaptureOptions o = both;
      g_autofree char *dir = temp_dir ();
      g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
      g_autofree char *ab = g_build_filename (dir, "pcap", "ab.pcap", NULL);
      GError *error = NULL;
      Tiny t;

      o.pcapng = cases[i].pcapng;
      o.per_link_pcap = cases[i].per_link;
      tiny_init (&t);
      assert_true (run_captured (&t, dir, &o, NULL, &error));
      assert_int_equal (g_file_test (png, G_FILE_TEST_EXISTS), cases[i].pcapng);
      assert_int_equal (g_file_test (ab, G_FILE_TEST_EXISTS),
                        cases[i].per_link);
      if (cases[i].per_link)
        {
          GArray *expected = arrivals_on_link (t.ab);

          check_pcap_file (ab, expected);
          g_array_free (expected, TRUE);
        }
      tiny_clear (&t);
      rm_rf (dir);
    }
}

/* Secrets given to the tap before the first frame go into trace.pcapng
 * as a decryption secrets block ahead of every packet, and into
 * pcap/tls-keys.log; without per-link files there is no key log. */
static void
test_capture__secrets_in_pcapng_and_key_log (void **state)
{
  static const char line[] = "CLIENT_RANDOM 0102 0304\n";

  (void) state;
  for (int per_link = 1; per_link >= 0; per_link--)
    {
      SimCaptureOptions o = both;
      g_autofree char *dir = temp_dir ();
      g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
      g_autofree char *log = g_build_filename (dir, "pcap", "tls-keys.log",
                                               NULL);
      g_autofree char *logged = NULL;
      SimCapture *capture;
      GError *error = NULL;
      Pcapng got;
      Tiny t;

      o.per_link_pcap = per_link;
      tiny_init (&t);
      capture = sim_capture_open (t.world, dir, &o, &error);
      assert_non_null (capture);
      sim_capture_tap (capture)->klass->secrets (sim_capture_tap (capture),
                                                 line);
      sim_world_set_tap (t.world, sim_capture_tap (capture));
      sim_world_run (t.world, SIM_TIME_MAX);
      sim_world_set_tap (t.world, NULL);
      assert_true (sim_capture_close (capture, &error));
      pcapng_read (png, &got);
      assert_string_equal (got.secrets, line);
      assert_int_equal (got.packets_before_secrets, 0);
      assert_true (got.packets->len > 0);
      assert_int_equal (g_file_get_contents (log, &logged, NULL, NULL),
                        per_link);
      if (per_link)
        assert_string_equal (logged, line);
      pcapng_clear (&got);
      tiny_clear (&t);
      rm_rf (dir);
    }
}

/* A file that cannot be written (a symlink to /dev/full made before open)
 * fails at close with a GError naming its path; the run itself is not
 * disturbed. */
static void
test_capture__write_failure_names_the_path (void **state)
{
  static const char *const victims[] = { "trace.pcapng", "pcap/ab.pcap",
                                         "pcap/" LINK_AC ".pcap" };

  (void) state;
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    skip ();
  for (size_t i = 0; i < N_ELEMENTS (victims); i++)
    {
      g_autofree char *dir = temp_dir ();
      g_autofree char *pcap_dir = g_build_filename (dir, "pcap", NULL);
      g_autofree char *victim = g_build_filename (dir, victims[i], NULL);
      GError *error = NULL;
      Tiny t;

      assert_int_equal (g_mkdir (pcap_dir, 0700), 0);
      assert_int_equal (symlink ("/dev/full", victim), 0);
      tiny_init (&t);
      assert_false (run_captured (&t, dir, &both, NULL, &error));
      assert_non_null (error);
      assert_true (g_error_matches (error, SIM_CAPTURE_ERROR,
                                    SIM_CAPTURE_ERROR_WRITE));
      if (strstr (error->message, victim) == NULL)
        fail_msg ("\"%s\" does not name %s", error->message, victim);
      assert_int_equal (received->len, link_rx (t.ab) + link_rx (t.ac));
      assert_int_equal (received->len, 8);
      g_error_free (error);
      tiny_clear (&t);
      rm_rf (dir);
    }
}

/* A link's pcap is made at its first frame: a link that carried nothing
 * leaves no file; one whose file cannot be made (a directory is in the
 * way) fails at close naming it, and the run is not disturbed. */
static void
test_capture__link_files_at_first_frame (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *idle = g_build_filename (dir, "pcap", "idle.pcap", NULL);
  g_autofree char *ab = g_build_filename (dir, "pcap", "ab.pcap", NULL);
  g_autofree char *ac = g_build_filename (dir, "pcap", LINK_AC ".pcap", NULL);
  SimLinkParams lp = { .delay = SIM_US, .rate_bps = 1000000000 };
  GError *error = NULL;
  Endpoint *d;
  Tiny t;

  (void) state;
  tiny_init (&t);
  d = (Endpoint *) sim_node_new (t.world, &endpoint_class, "d");
  sim_node_add_port (&d->node, "eth0");
  sim_link_new (t.world, sim_node_add_port (&t.b->node, "eth1"),
                sim_node_port (&d->node, 0), &lp, "idle");
  assert_true (run_captured (&t, dir, &both, NULL, &error));
  assert_true (g_file_test (ab, G_FILE_TEST_IS_REGULAR));
  assert_false (g_file_test (idle, G_FILE_TEST_EXISTS));
  tiny_clear (&t);
  rm_rf (dir);

  g_free (dir);
  dir = temp_dir ();
  g_free (ac);
  ac = g_build_filename (dir, "pcap", LINK_AC ".pcap", NULL);
  assert_int_equal (g_mkdir_with_parents (ac, 0700), 0);
  tiny_init (&t);
  assert_false (run_captured (&t, dir, &both, NULL, &error));
  assert_true (g_error_matches (error, SIM_CAPTURE_ERROR,
                                SIM_CAPTURE_ERROR_WRITE));
  if (strstr (error->message, ac) == NULL)
    fail_msg ("\"%s\" does not name %s", error->message, ac);
  assert_int_equal (received->len, 8);
  g_error_free (error);
  tiny_clear (&t);
  rm_rf (dir);
}

/* A directory that does not exist (under a regular file, so that it
 * cannot be made either), or whose pcap/ cannot be made, fails at open
 * with a GError naming the path; nothing is left attached to the world.
 * (A merely missing DIR is created by g_mkdir_with_parents when per-link
 * pcaps are on, so it is not a failure case.) */
/* A capture filter (libpcap's BPF compiler) keeps only the frames it
 * matches: they are the files' frames and the only ones numbered, so the
 * steps a node took on a kept frame name its number in the filtered
 * trace; a link none of whose frames matched leaves no file. */
static void
test_capture__filter_keeps_matching_frames_only (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  g_autofree char *ab = g_build_filename (dir, "pcap", "ab.pcap", NULL);
  g_autofree char *ac = g_build_filename (dir, "pcap", LINK_AC ".pcap", NULL);
  SimCaptureOptions opt = both;
  GError *error = NULL;
  GArray *big = g_array_new (FALSE, FALSE, sizeof (Got));
  Pcapng r;
  Tiny t;

  (void) state;
  opt.filter = "udp and len > 500";
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &opt, NULL, &error));
  for (guint i = 0; i < received->len; i++)
    if (g_bytes_get_size (g_array_index (received, Got, i).bytes) > 500)
      g_array_append_val (big, g_array_index (received, Got, i));
  assert_int_equal (big->len, 2);       /* 1442 bytes a -> b, and back */
  check_pcap_file (png, big);
  check_pcap_file (ab, big);
  assert_false (g_file_test (ac, G_FILE_TEST_EXISTS));
  pcapng_read (png, &r);
  assert_int_equal (r.packets->len, 2);
  assert_string_equal (g_ptr_array_index (r.comments, 0), t.comment);
  pcapng_clear (&r);
  /* b's decisions were shown first by the first frame kept. */
  assert_int_equal (sim_explain_get (sim_world_explain (t.world), 1)->frame,
                    1);
  g_array_free (big, TRUE);
  tiny_clear (&t);
  rm_rf (dir);
}

/* A filter libpcap cannot compile fails open with its message, and no
 * file is made. */
static void
test_capture__bad_filter_fails_open (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  SimCaptureOptions opt = both;
  GError *error = NULL;
  Tiny t;

  (void) state;
  opt.filter = "tcp port 99999";
  assert_false (sim_capture_check_filter (opt.filter, &error));
  g_clear_error (&error);
  assert_true (sim_capture_check_filter ("tcp port 443", NULL));
  tiny_init (&t);
  assert_null (sim_capture_open (t.world, dir, &opt, &error));
  assert_true (g_error_matches (error, SIM_CAPTURE_ERROR,
                                SIM_CAPTURE_ERROR_FILTER));
  assert_non_null (strstr (error->message, "tcp port 99999"));
  assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_error_free (error);
  tiny_clear (&t);
  rm_rf (dir);
}

/* A snapshot length keeps each frame's first bytes and its length on the
 * wire, in both file kinds, and is the files' snapshot length. */
static void
test_capture__snaplen_cuts_frames (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *png = g_build_filename (dir, "trace.pcapng", NULL);
  g_autofree char *ab = g_build_filename (dir, "pcap", "ab.pcap", NULL);
  const char *paths[] = { png, ab };
  SimCaptureOptions opt = both;
  GError *error = NULL;
  Tiny t;

  (void) state;
  opt.snaplen = 64;
  tiny_init (&t);
  assert_true (run_captured (&t, dir, &opt, NULL, &error));
  for (size_t i = 0; i < N_ELEMENTS (paths); i++)
    {
      char errbuf[PCAP_ERRBUF_SIZE];
      pcap_t *p = pcap_open_offline (paths[i], errbuf);
      struct pcap_pkthdr *h;
      const u_char *data;
      guint n = 0, cut = 0;

      assert_non_null (p);
      assert_int_equal (pcap_snapshot (p), 64);
      while (pcap_next_ex (p, &h, &data) == 1)
        {
          assert_int_equal (h->caplen, MIN (h->len, 64u));
          cut += h->len > 64;
          n++;
        }
      /* Every frame is there; a -> b's 142- and 1442-byte ones (and
       * their echoes) were cut. */
      assert_int_equal (n, i == 0 ? received->len : link_rx (t.ab));
      assert_true (cut >= 4);
      pcap_close (p);
    }
  tiny_clear (&t);
  rm_rf (dir);
}

static void
test_capture__open_failure_names_the_path (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *file = g_build_filename (dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (file, "x", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", NULL);
  g_autofree char *blocked = g_build_filename (dir, "blocked", NULL);
  g_autofree char *blocked_pcap = g_build_filename (blocked, "pcap", NULL);
  struct {
    const char *dir;
    SimCaptureOptions options;
    const char *path;           /* expected in the message */
  } cases[] = {
    { missing, { .pcapng = true }, missing },
    { under_file, { .pcapng = true }, under_file },
    { under_file, both, under_file },
    { blocked, both, blocked_pcap },
  };

  (void) state;
  assert_int_equal (g_mkdir (blocked, 0700), 0);
  assert_true (g_file_set_contents (blocked_pcap, "not a dir", -1, NULL));
  assert_true (g_file_set_contents (file, "not a dir", -1, NULL));
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      SimCapture *capture;
      Tiny t;

      tiny_init (&t);
      capture = sim_capture_open (t.world, cases[i].dir, &cases[i].options,
                                  &error);
      assert_null (capture);
      assert_non_null (error);
      assert_true (g_error_matches (error, SIM_CAPTURE_ERROR,
                                    SIM_CAPTURE_ERROR_OPEN));
      if (strstr (error->message, cases[i].path) == NULL)
        fail_msg ("case %zu: \"%s\" does not name %s", i, error->message,
                  cases[i].path);
      /* The world runs on uncaptured. */
      sim_world_run (t.world, SIM_TIME_MAX);
      assert_int_equal (received->len, 8);
      g_error_free (error);
      tiny_clear (&t);
    }
  rm_rf (dir);
}

/* ---- the writer thread ------------------------------------------------ */

/* Drives the capture's tap by hand with far more than the writer's
 * chunks hold: frames of every size on the tiny world's links and on
 * links made mid-stream (new interfaces and files), frames with comments,
 * one frame whose comments are larger than a chunk, drops and secrets,
 * then the tiny world's own run. */
static bool
run_stream (const char *dir, bool synchronous, uint64_t *bytes_written,
            GError **error)
{
  SimCaptureOptions o = both;
  SimLinkParams lp = { .delay = SIM_US, .rate_bps = 1000000000 };
  g_autofree char *long_note = g_strnfill (60000, 'n');
  SimExplainStep step = { .time = SIM_S, .state = "APPLY_ROUTE",
                          .node = "a", .rule = "r", .note = "x" };
  SimExplainStep big = step;
  GArray *ports = g_array_new (FALSE, FALSE, sizeof (SimPort *));
  uint32_t steps[40];
  SimCapture *capture;
  SimTap *tap;
  Tiny t;
  bool ok;

  o.synchronous = synchronous;
  big.note = long_note;
  tiny_init (&t);
  capture = sim_capture_open (t.world, dir, &o, error);
  assert_non_null (capture);
  tap = sim_capture_tap (capture);
  sim_world_set_tap (t.world, tap);
  for (guint i = 0; i < sim_world_n_interfaces (t.world); i++)
    {
      SimPort *port = sim_world_interface (t.world, i);

      if (port->link)
        g_array_append_val (ports, port);
    }
  for (uint32_t i = 0; i < 30000; i++)
    {
      SimPort *rx = g_array_index (ports, SimPort *, i % ports->len);
      SimPacket *p = sim_packet_new (sim_world_pool (t.world));
      uint32_t len = 14 + (i * 37) % 1500, n_steps = 0;
      SimTime at = (SimTime) i * 333333;

      memset (sim_packet_append (p, len), (int) i, len);
      if (i % 7000 == 6999)
        {
          /* A new node and link: its IDBs and file come mid-stream. */
          g_autofree char *name = g_strdup_printf ("n%u", i);
          SimNode *n = sim_node_new (t.world, &endpoint_class, name);

          sim_node_add_port (n, "eth0");
          sim_link_new (t.world, sim_node_add_port (&t.c->node, name),
                        sim_node_port (n, 0), &lp, name);
          for (guint k = 0; k < 2; k++)
            {
              SimPort *port = sim_node_port (n, 0);

              if (k == 1)
                port = (SimPort *) sim_port_peer (port);
              g_array_append_val (ports, port);
            }
        }
      if (i % 5 == 0)
        {
          SimExplainChain chain = { 0 };

          n_steps = 1 + i % 3;
          for (uint32_t k = 0; k < n_steps; k++)
            steps[k] = sim_explain_append (sim_world_explain (t.world),
                                           &chain, &step);
        }
      if (i == 12345)
        {
          SimExplainChain chain = { 0 };

          n_steps = 40;
          for (uint32_t k = 0; k < n_steps; k++)
            steps[k] = sim_explain_append (sim_world_explain (t.world),
                                           &chain, &big);
        }
      if (i % 3000 == 0)
        {
          g_autofree char *line = g_strdup_printf (
            "CLIENT_RANDOM %064u %096u\n", i, i);

          tap->klass->secrets (tap, line);
        }
      if (i % 1000 == 999)
        tap->klass->dropped (tap, rx, at, p, steps, n_steps);
      else
        {
          tap->klass->arrived (tap, rx, at, p);
          tap->klass->handled (tap, rx, at, steps, n_steps);
        }
      sim_packet_release (sim_world_pool (t.world), p);
    }
  sim_world_run (t.world, SIM_TIME_MAX);
  sim_world_set_tap (t.world, NULL);
  *bytes_written = sim_capture_bytes_written (capture);
  ok = sim_capture_close (capture, error);
  g_array_free (ports, TRUE);
  tiny_clear (&t);
  return ok;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names of the files under dir, relative, sorted. */
static GPtrArray *
list_files (const char *dir, const char *prefix, GPtrArray *out)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  assert_non_null (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *rel = prefix ? g_build_filename (prefix, name, NULL)
                                    : g_strdup (name);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (path, rel, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
  g_ptr_array_sort (out, compare_names);
  return out;
}

/* The writer thread writes the same bytes as the caller's thread: every
 * file, and the count of bytes written. */
static void
test_capture__writer_thread_writes_the_same_bytes (void **state)
{
  g_autofree char *sync_dir = temp_dir ();
  g_autofree char *thread_dir = temp_dir ();
  g_autoptr (GPtrArray) sync_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) thread_files = g_ptr_array_new_with_free_func (g_free);
  uint64_t sync_bytes = 0, thread_bytes = 0, total = 0;
  GError *error = NULL;

  (void) state;
  assert_true (run_stream (sync_dir, true, &sync_bytes, &error));
  assert_true (run_stream (thread_dir, false, &thread_bytes, &error));
  assert_int_equal (sync_bytes, thread_bytes);
  list_files (sync_dir, NULL, sync_files);
  list_files (thread_dir, NULL, thread_files);
  assert_int_equal (sync_files->len, thread_files->len);
  /* trace.pcapng, tls-keys.log, comments.tsv, the tiny world's 2 pcaps,
   * 4 new links. */
  assert_int_equal (sync_files->len, 9);
  for (guint i = 0; i < sync_files->len; i++)
    {
      const char *name = g_ptr_array_index (sync_files, i);
      g_autofree char *a = g_build_filename (sync_dir, name, NULL);
      g_autofree char *b = g_build_filename (thread_dir, name, NULL);
      g_autofree char *da = NULL, *db = NULL;
      gsize la = 0, lb = 0;

      assert_string_equal (name, g_ptr_array_index (thread_files, i));
      assert_true (g_file_get_contents (a, &da, &la, NULL));
      assert_true (g_file_get_contents (b, &db, &lb, NULL));
      if (la != lb || memcmp (da, db, la) != 0)
        fail_msg ("%s differs: %zu and %zu bytes", name, la, lb);
      total += la;
    }
  /* More than the writer's chunks (4 x 2 MiB) hold at once. */
  assert_true (total > 16u << 20);
  assert_int_equal (total, sync_bytes);
  rm_rf (sync_dir);
  rm_rf (thread_dir);
}

/* A write failure met by the writer thread comes back at close, and the
 * simulation went on to the end without waiting for good. */
static void
test_capture__writer_thread_failure_at_close (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *victim = g_build_filename (dir, "trace.pcapng", NULL);
  GError *error = NULL;
  uint64_t bytes = 0;

  (void) state;
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    skip ();
  assert_int_equal (symlink ("/dev/full", victim), 0);
  assert_false (run_stream (dir, false, &bytes, &error));
  assert_true (g_error_matches (error, SIM_CAPTURE_ERROR,
                                SIM_CAPTURE_ERROR_WRITE));
  if (strstr (error->message, victim) == NULL)
    fail_msg ("\"%s\" does not name %s", error->message, victim);
  g_error_free (error);
  rm_rf (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_capture__files_exist_after_run),
    cmocka_unit_test (test_capture__link_pcaps_match_arrivals),
    cmocka_unit_test (test_capture__pcapng_readable_by_libpcap),
    cmocka_unit_test (test_capture__pcapng_interfaces_and_comments),
    cmocka_unit_test (test_capture__tshark_sees_interfaces_and_comment),
    cmocka_unit_test (test_capture__options_choose_files),
    cmocka_unit_test (test_capture__secrets_in_pcapng_and_key_log),
    cmocka_unit_test (test_capture__write_failure_names_the_path),
    cmocka_unit_test (test_capture__filter_keeps_matching_frames_only),
    cmocka_unit_test (test_capture__bad_filter_fails_open),
    cmocka_unit_test (test_capture__snaplen_cuts_frames),
    cmocka_unit_test (test_capture__open_failure_names_the_path),
    cmocka_unit_test (test_capture__link_files_at_first_frame),
    cmocka_unit_test (test_capture__writer_thread_writes_the_same_bytes),
    cmocka_unit_test (test_capture__writer_thread_failure_at_close),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
