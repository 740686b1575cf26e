/* Tests for sim/link.c and the parts of sim/world.c a link relies on:
 * serialization time at the extremes, arrival = queueing + serialization
 * + propagation, FIFO order, queue limits in packets and bytes with their
 * drop counters, tx/rx counters, the Ethernet addresses sim_port_send
 * writes, teardown with frames in flight, sim_world_hops, and the tap
 * the world calls around each arrival (sim/tap.h).
 *
 * Shape (ns-3): a tiny world of probe nodes that record every frame they
 * receive, sends scheduled on the kernel, a run, then assertions on what
 * the probes saw and on the link counters. */
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

#include "sim/link.h"
#include "sim/node.h"
#include "sim/tap.h"
#include "sim/world.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define ETHERTYPE_TEST 0x88B5u  /* IEEE local experimental */
#define GBPS 1000000000u

/* ---- probe nodes ------------------------------------------------------ */

/* What a probe saw of one frame. */
typedef struct {
  SimTime time;                 /* sim_world_now at receive */
  uint32_t port;                /* index of the receiving port */
  uint32_t len;
  uint32_t tag;                 /* 4 bytes after the Ethernet header */
  uint8_t dst[6], src[6];
  uint16_t ethertype;
} Arrival;

/* Records every frame and releases it; with forward set, sends it out of
 * the other port instead (ports 0 and 1). With explain set, it appends
 * tag % 3 explanation steps per frame first (as a model decides). */
typedef struct {
  SimNode node;
  GArray *log;                  /* Arrival, owned */
  bool forward;
  bool explain;
  SimExplainChain chain;        /* the steps it appended */
} Probe;

static void
probe_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  Probe *probe = (Probe *) self;
  Arrival a = {
    .time = sim_world_now (self->world), .port = port->index,
    .len = packet->len,
  };

  assert_true (packet->len >= 14);
  memcpy (a.dst, packet->data, 6);
  memcpy (a.src, packet->data + 6, 6);
  a.ethertype = (uint16_t) (packet->data[12] << 8 | packet->data[13]);
  if (packet->len >= 18)
    memcpy (&a.tag, packet->data + 14, 4);
  g_array_append_val (probe->log, a);
  for (uint32_t i = 0; probe->explain && i < a.tag % 3; i++)
    {
      SimExplainStep step = { .time = a.time, .state = "PROBED",
                              .node = self->name };

      sim_explain_append (sim_world_explain (self->world), &probe->chain,
                          &step);
    }
  if (probe->forward)
    sim_port_send (sim_node_port (self, !port->index), packet);
  else
    sim_packet_release (sim_world_pool (self->world), packet);
}

static void
probe_clear (SimNode *self)
{
  g_array_free (((Probe *) self)->log, TRUE);
}

static const SimNodeClass probe_class = {
  "probe", sizeof (Probe), probe_receive, NULL, NULL, probe_clear,
};

static Probe *
probe_new (SimWorld *world, const char *name, guint n_ports)
{
  Probe *probe = (Probe *) sim_node_new (world, &probe_class, name);

  probe->log = g_array_new (FALSE, TRUE, sizeof (Arrival));
  for (guint i = 0; i < n_ports; i++)
    {
      char port_name[16];

      g_snprintf (port_name, sizeof port_name, "eth%u", i);
      sim_node_add_port (&probe->node, port_name);
    }
  return probe;
}

static const Arrival *
arrival (const Probe *probe, guint i)
{
  assert_true (i < probe->log->len);
  return &g_array_index (probe->log, Arrival, i);
}

/* ---- scheduled sends -------------------------------------------------- */

/* A frame of size bytes (>= 18) with garbage MACs, the test ethertype and
 * tag in its first payload bytes. */
static SimPacket *
make_frame (SimWorld *world, uint32_t size, uint32_t tag)
{
  SimPacket *p = sim_packet_new (sim_world_pool (world));
  uint8_t *d;

  assert_true (size >= 18);
  d = sim_packet_append (p, size);
  memset (d, 0xEE, size);
  d[12] = ETHERTYPE_TEST >> 8;
  d[13] = ETHERTYPE_TEST & 0xFF;
  memcpy (d + 14, &tag, 4);
  return p;
}

/* One send the kernel performs at `at`; result is filled in then. */
typedef struct {
  SimPort *port;
  SimTime at;
  uint32_t size;
  uint32_t tag;
  SimSendResult result;
  bool done;
} SendJob;

static void
send_job_fire (SimKernel *kernel, void *target, void *arg, uint64_t u)
{
  SendJob *job = target;

  (void) kernel; (void) arg; (void) u;
  job->result = sim_port_send (job->port,
                               make_frame (job->port->node->world, job->size,
                                           job->tag));
  job->done = true;
}

static void
schedule_jobs (SimWorld *world, SendJob *jobs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    sim_kernel_schedule (sim_world_kernel (world), jobs[i].at, send_job_fire,
                         &jobs[i], NULL, 0);
}

/* Two probes a/eth0 -- b/eth0 over one link. */
typedef struct {
  SimWorld *world;
  Probe *a, *b;
  SimLink *link;
} Pair;

static void
pair_init (Pair *pair, const SimLinkParams *params)
{
  pair->world = sim_world_new (1);
  pair->a = probe_new (pair->world, "a", 1);
  pair->b = probe_new (pair->world, "b", 1);
  pair->link = sim_link_new (pair->world, sim_node_port (&pair->a->node, 0),
                             sim_node_port (&pair->b->node, 0), params, NULL);
}

static void
pair_clear (Pair *pair)
{
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (pair->world)), 0);
  sim_world_free (pair->world);
}

/* ---- serialization ---------------------------------------------------- */

static void
test_link__serialization_table (void **state)
{
  static const struct {
    uint64_t rate_bps;
    uint32_t bytes;
    SimTime expected;
  } cases[] = {
    { 0, 1500, 0 },                             /* rate 0: infinite */
    { 0, UINT32_MAX, 0 },
    { GBPS, 0, 0 },                             /* nothing to send */
    { GBPS, 1500, 12000 },
    { 10ull * GBPS, 64, 52 },                   /* 51.2 ns rounds up */
    { 3, 1, 2666666667 },                       /* 2666666666.67 rounds up */
    { 8ull * GBPS, 1, 1 },                      /* exactly 1 ns */
    { 8ull * GBPS + 1, 1, 1 },                  /* just under 1 ns: up */
    { 16ull * GBPS, 1, 1 },                     /* half a ns: up */
    { 1, 1, 8 * SIM_S },
    { 4, UINT32_MAX, INT64_C (8589934590000000000) }, /* near SIM_TIME_MAX */
    { UINT64_MAX, 1, 1 },
    { UINT64_MAX, UINT32_MAX, 2 },              /* 1.86 ns */
    { UINT64_MAX, 0, 0 },
  };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimTime got = sim_link_serialization (cases[i].rate_bps, cases[i].bytes);

      if (got != cases[i].expected)
        fail_msg ("case %zu: rate %" G_GUINT64_FORMAT " bytes %u: got %"
                  G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, i,
                  cases[i].rate_bps, cases[i].bytes, got, cases[i].expected);
    }
}

/* 4 GiB - 1 bytes at 1 bps take 34,359,738,360 s, more than SimTime can
 * hold (about 292 years): the time saturates at SIM_TIME_MAX instead of
 * wrapping to a negative value. */
static void
test_link__serialization_saturates_beyond_sim_time_max (void **state)
{
  (void) state;
  assert_true (sim_link_serialization (1, UINT32_MAX) > 0);
  assert_int_equal (sim_link_serialization (1, UINT32_MAX), SIM_TIME_MAX);
  assert_int_equal (sim_link_serialization (3, UINT32_MAX), SIM_TIME_MAX);
}

/* ---- arrival time ----------------------------------------------------- */

static void
test_link__arrival_is_send_plus_serialization_plus_delay (void **state)
{
  static const struct {
    uint64_t rate_bps;
    SimTime delay;
    uint32_t size;
    SimTime sent;
    SimTime expected;
  } cases[] = {
    { GBPS, 5 * SIM_US, 1500, 1000, 1000 + 12000 + 5000 },
    { 0, 5 * SIM_US, 1500, 1000, 1000 + 5000 },        /* no serialization */
    { GBPS, 0, 1500, 0, 12000 },                       /* no propagation */
    { 0, 0, 60, 7, 7 },                                /* same instant */
    { 3, SIM_MS, 18, SIM_S, SIM_S + 48 * SIM_S + SIM_MS },
    { 7, 1, 18, 0, 20571428572 + 1 },  /* 144e9 / 7 = ...571.43: up */
    { 100ull * GBPS, 2 * SIM_MS, 1514, 3, 3 + 122 + 2 * SIM_MS },
  };

  (void) state;
  for (size_t i = 0; i < N_ELEMENTS (cases); i++)
    {
      SimLinkParams lp = { .delay = cases[i].delay,
                           .rate_bps = cases[i].rate_bps };
      Pair pair;
      SendJob job;

      pair_init (&pair, &lp);
      job = (SendJob) { sim_node_port (&pair.a->node, 0), cases[i].sent,
                        cases[i].size, 42, 0, false };
      schedule_jobs (pair.world, &job, 1);
      sim_world_run (pair.world, SIM_TIME_MAX);
      assert_true (job.done);
      assert_int_equal (job.result, SIM_SEND_OK);
      assert_int_equal (pair.b->log->len, 1);
      if (arrival (pair.b, 0)->time != cases[i].expected)
        fail_msg ("case %zu: arrived at %" G_GINT64_FORMAT ", expected %"
                  G_GINT64_FORMAT, i, arrival (pair.b, 0)->time,
                  cases[i].expected);
      assert_int_equal (arrival (pair.b, 0)->len, cases[i].size);
      assert_int_equal (arrival (pair.b, 0)->tag, 42);
      assert_int_equal (pair.a->log->len, 0);
      pair_clear (&pair);
    }
}

/* Three 1000-byte frames at t = 0 on 1 Gb/s (8 us each) + 1 us delay: each
 * waits for the one before; a frame sent once the link is idle again
 * starts at once. */
static void
test_link__back_to_back_frames_queue_fifo (void **state)
{
  SimLinkParams lp = { .delay = SIM_US, .rate_bps = GBPS };
  Pair pair;
  SendJob jobs[4];
  static const SimTime expected[] = {
    9 * SIM_US, 17 * SIM_US, 25 * SIM_US, 100 * SIM_US + 9 * SIM_US,
  };

  (void) state;
  pair_init (&pair, &lp);
  for (uint32_t i = 0; i < 4; i++)
    jobs[i] = (SendJob) { sim_node_port (&pair.a->node, 0),
                          i < 3 ? 0 : 100 * SIM_US, 1000, i, 0, false };
  schedule_jobs (pair.world, jobs, 4);
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (pair.b->log->len, 4);
  for (uint32_t i = 0; i < 4; i++)
    {
      assert_int_equal (jobs[i].result, SIM_SEND_OK);
      assert_int_equal (arrival (pair.b, i)->tag, i);
      assert_int_equal (arrival (pair.b, i)->time, expected[i]);
    }
  pair_clear (&pair);
}

/* A small frame sent right behind a big one never overtakes it, whatever
 * the sizes; frames sent at the same instant keep their sending order. */
static void
test_link__frames_arrive_in_sending_order (void **state)
{
  static const uint32_t sizes[] = { 1514, 64, 1514, 18, 18, 900, 64, 1514 };
  SimLinkParams lp = { .delay = 3 * SIM_US, .rate_bps = 100000000 };
  SendJob jobs[N_ELEMENTS (sizes)];
  Pair pair;

  (void) state;
  pair_init (&pair, &lp);
  for (uint32_t i = 0; i < N_ELEMENTS (sizes); i++)
    jobs[i] = (SendJob) { sim_node_port (&pair.a->node, 0), (SimTime) i / 4,
                          sizes[i], 100 + i, 0, false };
  schedule_jobs (pair.world, jobs, N_ELEMENTS (sizes));
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (pair.b->log->len, N_ELEMENTS (sizes));
  for (uint32_t i = 0; i < N_ELEMENTS (sizes); i++)
    {
      assert_int_equal (arrival (pair.b, i)->tag, 100 + i);
      assert_int_equal (arrival (pair.b, i)->len, sizes[i]);
      if (i > 0)
        assert_true (arrival (pair.b, i)->time > arrival (pair.b, i - 1)->time);
    }
  pair_clear (&pair);
}

/* ---- queue limits ----------------------------------------------------- */

/* Every case sends its frames at t = 0 on a 1 Mb/s link (1000 bytes take
 * 8 ms), so all of them are still queued when the next comes. */
static void
test_link__queue_limits_drop_and_count (void **state)
{
  static const struct {
    const char *what;
    uint32_t queue_packets;
    uint64_t queue_bytes;
    uint32_t sizes[6];          /* 0 ends the list */
    const char *accepted;       /* one char per frame: y accepted, n drop */
    uint64_t drop_packets, drop_bytes;
  } cases[] = {
    { "3 packets", 3, 0, { 1000, 1000, 1000, 1000, 1000 }, "yyynn", 2, 0 },
    { "1 packet", 1, 0, { 100, 100, 100 }, "ynn", 2, 0 },
    { "2500 bytes", 0, 2500, { 1000, 1000, 1000, 500 }, "yyny", 0, 1 },
    { "exact fit", 0, 2000, { 1000, 1000, 18 }, "yyn", 0, 1 },
    { "big first", 0, 1500, { 1501, 1000, 500, 18 }, "nyyn", 0, 2 },
    { "both", 2, 1500, { 1000, 1000, 400, 400, 100 }, "ynynn", 2, 1 },
    { "unlimited", 0, 0, { 1000, 1000, 1000, 1000, 1000, 1000 }, "yyyyyy",
      0, 0 },
  };

  (void) state;
  for (size_t c = 0; c < N_ELEMENTS (cases); c++)
    {
      SimLinkParams lp = { .delay = SIM_US, .rate_bps = 1000000,
                           .queue_packets = cases[c].queue_packets,
                           .queue_bytes = cases[c].queue_bytes };
      SendJob jobs[6];
      size_t n = 0;
      uint64_t ok_packets = 0, ok_bytes = 0;
      const SimLinkCounters *cnt;
      guint got = 0;
      Pair pair;

      pair_init (&pair, &lp);
      while (n < 6 && cases[c].sizes[n])
        {
          jobs[n] = (SendJob) { sim_node_port (&pair.a->node, 0), 0,
                                cases[c].sizes[n], (uint32_t) n, 0, false };
          n++;
        }
      schedule_jobs (pair.world, jobs, n);
      sim_world_run (pair.world, SIM_TIME_MAX);
      for (size_t i = 0; i < n; i++)
        {
          bool want = cases[c].accepted[i] == 'y';

          if ((jobs[i].result == SIM_SEND_OK) != want)
            fail_msg ("%s: frame %zu: result %d", cases[c].what, i,
                      (int) jobs[i].result);
          if (!want)
            {
              assert_int_equal (jobs[i].result, SIM_SEND_DROP_QUEUE);
              continue;
            }
          ok_packets++;
          ok_bytes += cases[c].sizes[i];
          assert_true (got < pair.b->log->len);
          assert_int_equal (arrival (pair.b, got)->tag, i);
          got++;
        }
      cnt = sim_link_counters (pair.link, 0);
      assert_int_equal (pair.b->log->len, got);
      assert_int_equal (cnt->drop_queue_packets, cases[c].drop_packets);
      assert_int_equal (cnt->drop_queue_bytes, cases[c].drop_bytes);
      assert_int_equal (cnt->tx_packets, ok_packets);
      assert_int_equal (cnt->tx_bytes, ok_bytes);
      assert_int_equal (cnt->rx_packets, ok_packets);
      assert_int_equal (cnt->rx_bytes, ok_bytes);
      assert_int_equal (sim_link_counters (pair.link, 1)->tx_packets, 0);
      pair_clear (&pair);        /* dropped frames were released */
    }
}

/* The frame being serialized counts against the limit until its last bit
 * is out: with room for one, a frame sent 1 ns before the first finishes
 * is dropped, one sent exactly when it finishes is accepted. */
static void
test_link__queue_frees_when_serialization_ends (void **state)
{
  SimLinkParams lp = { .delay = 5 * SIM_MS, .rate_bps = 1000000,
                       .queue_packets = 1 };
  SimTime ser = sim_link_serialization (1000000, 1000);
  Pair pair;
  SendJob jobs[3];

  (void) state;
  assert_int_equal (ser, 8 * SIM_MS);
  pair_init (&pair, &lp);
  jobs[0] = (SendJob) { sim_node_port (&pair.a->node, 0), 0, 1000, 0, 0, 0 };
  jobs[1] = (SendJob) { sim_node_port (&pair.a->node, 0), ser - 1, 1000, 1,
                        0, 0 };
  jobs[2] = (SendJob) { sim_node_port (&pair.a->node, 0), ser, 1000, 2, 0, 0 };
  schedule_jobs (pair.world, jobs, 3);
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (jobs[0].result, SIM_SEND_OK);
  assert_int_equal (jobs[1].result, SIM_SEND_DROP_QUEUE);
  assert_int_equal (jobs[2].result, SIM_SEND_OK);
  assert_int_equal (sim_link_counters (pair.link, 0)->drop_queue_packets, 1);
  assert_int_equal (pair.b->log->len, 2);
  assert_int_equal (arrival (pair.b, 0)->time, ser + 5 * SIM_MS);
  assert_int_equal (arrival (pair.b, 1)->tag, 2);
  assert_int_equal (arrival (pair.b, 1)->time, 2 * ser + 5 * SIM_MS);
  pair_clear (&pair);
}

/* A queue of 3 frames fed one frame every 5 ms while each takes 8 ms to
 * serialize: its ring of finish times wraps again and again, from every
 * slot, and each send is accepted or dropped, and each frame arrives,
 * exactly as a plain FIFO of finish times says. */
static void
test_link__queue_ring_wraps_exactly (void **state)
{
  SimLinkParams lp = { .delay = 5 * SIM_MS, .rate_bps = 1000000,
                       .queue_packets = 3 };
  SimTime ser = sim_link_serialization (1000000, 1000);
  SimTime fifo[64], busy = 0;
  size_t head = 0, tail = 0, accepted = 0;
  SendJob jobs[60];
  Pair pair;

  (void) state;
  pair_init (&pair, &lp);
  for (uint32_t k = 0; k < G_N_ELEMENTS (jobs); k++)
    jobs[k] = (SendJob) { sim_node_port (&pair.a->node, 0),
                          (SimTime) k * 5 * SIM_MS, 1000, k, 0, 0 };
  schedule_jobs (pair.world, jobs, G_N_ELEMENTS (jobs));
  sim_world_run (pair.world, SIM_TIME_MAX);
  for (uint32_t k = 0; k < G_N_ELEMENTS (jobs); k++)
    {
      SimTime now = jobs[k].at;

      while (head < tail && fifo[head] <= now)
        head++;
      if (tail - head == lp.queue_packets)
        {
          assert_int_equal (jobs[k].result, SIM_SEND_DROP_QUEUE);
          continue;
        }
      assert_int_equal (jobs[k].result, SIM_SEND_OK);
      busy = MAX (busy, now) + ser;
      fifo[tail++] = busy;
      assert_int_equal (arrival (pair.b, (guint) accepted)->tag, k);
      assert_int_equal (arrival (pair.b, (guint) accepted)->time,
                        busy + lp.delay);
      accepted++;
    }
  assert_int_equal (pair.b->log->len, accepted);
  assert_true (accepted > 30 && accepted < G_N_ELEMENTS (jobs));
  pair_clear (&pair);
}

/* A drop explainer that appends one step per dropped frame, and a tap
 * that records what dropped() was given. */
typedef struct {
  SimTap tap;
  SimWorld *world;
  SimExplainChain chain;
  uint32_t explained, dropped_seen, tag;
  uint32_t first_step, n_steps;
  SimPort *tx;
} DropWatch;

static void
watch_explain (void *user, SimPort *tx, const SimPacket *packet,
               SimSendResult why)
{
  DropWatch *w = user;
  SimExplainStep s = { .state = "DROP", .cause = "QUEUE", .node = "a" };

  assert_int_equal (why, SIM_SEND_DROP_QUEUE);
  assert_ptr_equal (tx, w->tx);
  assert_true (packet->len >= 18);
  w->explained++;
  sim_explain_append (sim_world_explain (w->world), &w->chain, &s);
}

static void
watch_dropped (SimTap *tap, SimPort *tx, SimTime t, const SimPacket *packet,
               const uint32_t *steps, uint32_t n_steps)
{
  DropWatch *w = (DropWatch *) tap;

  (void) t;
  assert_ptr_equal (tx, w->tx);
  /* The frame as it would have gone out: addresses written. */
  assert_memory_equal (packet->data + 6, tx->mac, 6);
  memcpy (&w->tag, packet->data + 14, 4);
  w->dropped_seen++;
  w->first_step = n_steps ? steps[0] : 0;
  w->n_steps = n_steps;
}

static void
watch_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  (void) tap; (void) rx; (void) t; (void) packet;
}

static void
watch_handled (SimTap *tap, SimPort *rx, SimTime t, const uint32_t *steps,
               uint32_t n_steps)
{
  (void) tap; (void) rx; (void) t; (void) steps; (void) n_steps;
}

static const SimTapClass watch_tap_class = {
  .arrived = watch_arrived, .handled = watch_handled,
  .dropped = watch_dropped,
};

/* A frame a full queue drops is explained where it happened: the world's
 * drop explainer is called with it, then the tap's dropped() with the
 * steps the explainer appended; a frame that goes out calls neither. */
static void
test_link__queue_drop_is_explained_and_shown (void **state)
{
  SimLinkParams lp = { .delay = SIM_MS, .rate_bps = 1000000,
                       .queue_packets = 1 };
  DropWatch w = { .tap = { &watch_tap_class } };
  Pair pair;
  SendJob jobs[2];

  (void) state;
  pair_init (&pair, &lp);
  w.world = pair.world;
  w.tx = sim_node_port (&pair.a->node, 0);
  sim_world_set_drop_explainer (pair.world, watch_explain, &w);
  sim_world_set_tap (pair.world, &w.tap);
  jobs[0] = (SendJob) { w.tx, 0, 1000, 7, 0, 0 };
  jobs[1] = (SendJob) { w.tx, 0, 1000, 8, 0, 0 };
  schedule_jobs (pair.world, jobs, 2);
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (jobs[1].result, SIM_SEND_DROP_QUEUE);
  assert_int_equal (w.explained, 1);
  assert_int_equal (w.dropped_seen, 1);
  assert_int_equal (w.tag, 8);
  assert_int_equal (w.n_steps, 1);
  assert_int_equal (w.first_step, w.chain.first);
  sim_world_set_tap (pair.world, NULL);
  pair_clear (&pair);
}

/* An unlimited queue grows past its initial ring without losing order or
 * frames. */
static void
test_link__unlimited_queue_keeps_every_frame (void **state)
{
  SimLinkParams lp = { .delay = 0, .rate_bps = GBPS };
  enum { N = 1000 };
  SendJob *jobs = g_new0 (SendJob, N);
  Pair pair;

  (void) state;
  pair_init (&pair, &lp);
  for (uint32_t i = 0; i < N; i++)
    jobs[i] = (SendJob) { sim_node_port (&pair.a->node, 0),
                          (SimTime) i * 100, 1250, i, 0, false };
  schedule_jobs (pair.world, jobs, N);
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (pair.b->log->len, N);
  for (uint32_t i = 0; i < N; i++)
    {
      assert_int_equal (jobs[i].result, SIM_SEND_OK);
      assert_int_equal (arrival (pair.b, i)->tag, i);
      assert_int_equal (arrival (pair.b, i)->time, (SimTime) (i + 1) * 10000);
    }
  g_free (jobs);
  pair_clear (&pair);
}

/* A queue limited in bytes only keeps a growing ring of frames: the ring
 * grows (here while it wraps) and the byte accounting stays exact. 1250
 * bytes take 10 us at 1 Gb/s; the limit is 25 such frames.
 *   t = 0:      10 frames, finishing at 10, 20 .. 100 us;
 *   t = 55 us:  5 have finished; 21 more: 20 fit, 1 is dropped;
 *   t = 105 us: 5 more have finished; 6 more: 5 fit, 1 is dropped. */
static void
test_link__byte_limited_queue_grows_and_keeps_count (void **state)
{
  SimLinkParams lp = { .delay = 0, .rate_bps = GBPS,
                       .queue_bytes = 25 * 1250 };
  enum { N = 10 + 21 + 6 };
  SendJob jobs[N];
  uint32_t accepted = 0;
  Pair pair;

  (void) state;
  pair_init (&pair, &lp);
  for (uint32_t i = 0; i < N; i++)
    jobs[i] = (SendJob) { sim_node_port (&pair.a->node, 0),
                          i < 10 ? 0 : i < 31 ? 55 * SIM_US : 105 * SIM_US,
                          1250, i, 0, false };
  schedule_jobs (pair.world, jobs, N);
  sim_world_run (pair.world, SIM_TIME_MAX);
  for (uint32_t i = 0; i < N; i++)
    {
      bool dropped = i == 30 || i == 36;

      if (jobs[i].result != (dropped ? SIM_SEND_DROP_QUEUE : SIM_SEND_OK))
        fail_msg ("frame %u: result %d", i, (int) jobs[i].result);
      if (dropped)
        continue;
      assert_int_equal (arrival (pair.b, accepted)->tag, i);
      assert_int_equal (arrival (pair.b, accepted)->time,
                        (SimTime) (accepted + 1) * 10 * SIM_US);
      accepted++;
    }
  assert_int_equal (pair.b->log->len, 35);
  assert_int_equal (sim_link_counters (pair.link, 0)->drop_queue_bytes, 2);
  assert_int_equal (sim_link_counters (pair.link, 0)->drop_queue_packets, 0);
  pair_clear (&pair);
}

/* ---- counters --------------------------------------------------------- */

/* tx counts at send, rx at arrival; the two directions are independent. */
static void
test_link__tx_rx_counters_per_direction (void **state)
{
  SimLinkParams lp = { .delay = SIM_MS, .rate_bps = 0 };
  Pair pair;
  SendJob jobs[5];
  const SimLinkCounters *ab, *ba;

  (void) state;
  pair_init (&pair, &lp);
  ab = sim_link_counters (pair.link, 0);
  ba = sim_link_counters (pair.link, 1);
  assert_ptr_equal (sim_link_end (pair.link, 0),
                    sim_node_port (&pair.a->node, 0));
  jobs[0] = (SendJob) { sim_node_port (&pair.a->node, 0), 0, 100, 0, 0, 0 };
  jobs[1] = (SendJob) { sim_node_port (&pair.a->node, 0), 0, 200, 1, 0, 0 };
  jobs[2] = (SendJob) { sim_node_port (&pair.a->node, 0), 0, 300, 2, 0, 0 };
  jobs[3] = (SendJob) { sim_node_port (&pair.b->node, 0), 0, 1000, 3, 0, 0 };
  jobs[4] = (SendJob) { sim_node_port (&pair.b->node, 0), 0, 24, 4, 0, 0 };
  schedule_jobs (pair.world, jobs, 5);

  sim_world_start (pair.world);
  sim_world_advance (pair.world, SIM_MS - 1);     /* all still in flight */
  assert_int_equal (ab->tx_packets, 3);
  assert_int_equal (ab->tx_bytes, 600);
  assert_int_equal (ab->rx_packets, 0);
  assert_int_equal (ab->rx_bytes, 0);
  assert_int_equal (ba->tx_packets, 2);
  assert_int_equal (ba->tx_bytes, 1024);
  assert_int_equal (ba->rx_packets, 0);
  assert_int_equal (pair.b->log->len, 0);

  sim_world_advance (pair.world, SIM_TIME_MAX);
  sim_world_finish (pair.world);
  assert_int_equal (ab->rx_packets, 3);
  assert_int_equal (ab->rx_bytes, 600);
  assert_int_equal (ba->rx_packets, 2);
  assert_int_equal (ba->rx_bytes, 1024);
  assert_int_equal (ab->drop_queue_packets + ab->drop_queue_bytes
                    + ba->drop_queue_packets + ba->drop_queue_bytes, 0);
  assert_int_equal (pair.b->log->len, 3);
  assert_int_equal (pair.a->log->len, 2);
  assert_int_equal (arrival (pair.a, 0)->tag, 3);
  assert_int_equal (arrival (pair.a, 1)->len, 24);
  pair_clear (&pair);
}

/* ---- Ethernet addresses ----------------------------------------------- */

/* Node ids and port indexes wider than a byte, so every MAC byte shows:
 * sender "s" is node 300 and sends on port 258; receiver "r" is node 301
 * and listens on port 1. */
static void
test_link__send_writes_peer_and_own_mac (void **state)
{
  static const uint8_t s_mac[6] = { 0x02, 0x00, 0x01, 0x2C, 0x01, 0x02 };
  static const uint8_t r_mac[6] = { 0x02, 0x00, 0x01, 0x2D, 0x00, 0x01 };
  SimWorld *world = sim_world_new (1);
  SimLinkParams lp = { .delay = 10, .rate_bps = 0 };
  Probe *s, *r;
  SendJob jobs[2];

  (void) state;
  for (int i = 0; i < 300; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "filler%d", i);
      probe_new (world, name, 0);
    }
  s = probe_new (world, "s", 259);
  r = probe_new (world, "r", 2);
  assert_int_equal (s->node.id, 300);
  assert_memory_equal (sim_node_port (&s->node, 258)->mac, s_mac, 6);
  assert_memory_equal (sim_node_port (&r->node, 1)->mac, r_mac, 6);
  sim_link_new (world, sim_node_port (&s->node, 258),
                sim_node_port (&r->node, 1), &lp, "s-r");
  jobs[0] = (SendJob) { sim_node_port (&s->node, 258), 0, 60, 0xA5A5, 0, 0 };
  jobs[1] = (SendJob) { sim_node_port (&r->node, 1), 0, 60, 0x5A5A, 0, 0 };
  schedule_jobs (world, jobs, 2);
  sim_world_run (world, SIM_TIME_MAX);

  assert_int_equal (r->log->len, 1);
  assert_memory_equal (arrival (r, 0)->dst, r_mac, 6);
  assert_memory_equal (arrival (r, 0)->src, s_mac, 6);
  assert_int_equal (arrival (r, 0)->ethertype, ETHERTYPE_TEST);
  assert_int_equal (arrival (r, 0)->tag, 0xA5A5);     /* payload untouched */
  assert_int_equal (arrival (r, 0)->port, 1);
  assert_int_equal (s->log->len, 1);
  assert_memory_equal (arrival (s, 0)->dst, s_mac, 6);
  assert_memory_equal (arrival (s, 0)->src, r_mac, 6);
  assert_int_equal (arrival (s, 0)->port, 258);
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (world)), 0);
  sim_world_free (world);
}

static void
test_link__unconnected_port_releases_frame (void **state)
{
  SimWorld *world = sim_world_new (1);
  Probe *lone = probe_new (world, "lone", 1);
  SimPacket *p = make_frame (world, 60, 1);

  (void) state;
  assert_null (sim_port_peer (sim_node_port (&lone->node, 0)));
  assert_int_equal (sim_port_send (sim_node_port (&lone->node, 0), p),
                    SIM_SEND_NO_LINK);
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (world)), 0);
  sim_world_run (world, SIM_S);
  assert_int_equal (lone->log->len, 0);
  sim_world_free (world);
}

/* ---- teardown and hops ------------------------------------------------ */

/* A world stopped with frames queued and propagating in both directions;
 * sim_world_free must hand them back to the pool, whose free g_asserts
 * that none is still in use. Runs in a child so a failed assertion fails
 * this test only. */
static void
teardown_with_frames_in_flight (void)
{
  SimLinkParams lp = { .delay = SIM_S, .rate_bps = 1000000 };
  Pair pair;
  SendJob jobs[6];

  pair_init (&pair, &lp);
  for (uint32_t i = 0; i < 6; i++)
    jobs[i] = (SendJob) { sim_node_port (i < 4 ? &pair.a->node
                                               : &pair.b->node, 0),
                          (SimTime) i * SIM_MS, 1000, i, 0, false };
  schedule_jobs (pair.world, jobs, 6);
  sim_world_run (pair.world, 100 * SIM_MS);
  if (sim_packet_pool_in_use (sim_world_pool (pair.world)) != 6
      || pair.b->log->len != 0)
    _exit (2);
  sim_world_free (pair.world);    /* aborts if a frame leaked */
  _exit (0);
}

static void
test_link__world_free_releases_frames_in_flight (void **state)
{
  pid_t pid;
  int status;

  (void) state;
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      if (null >= 0)
        {
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
        }
      teardown_with_frames_in_flight ();
    }
  assert_int_equal (waitpid (pid, &status, 0), pid);
  if (!WIFEXITED (status))
    fail_msg ("teardown died on signal %d (a frame still in use?)",
              WTERMSIG (status));
  assert_int_equal (WEXITSTATUS (status), 0);
}

/* a -- f -- b with f forwarding: each delivered frame is two hops; frames
 * dropped at a queue or still in flight are none. */
static void
test_link__hops_count_delivered_crossings (void **state)
{
  SimWorld *world = sim_world_new (1);
  SimLinkParams fast = { .delay = SIM_MS, .rate_bps = 0 };
  SimLinkParams one = { .delay = SIM_MS, .rate_bps = 1000000,
                        .queue_packets = 1 };
  Probe *a = probe_new (world, "a", 1), *f = probe_new (world, "f", 2);
  Probe *b = probe_new (world, "b", 1);
  SendJob jobs[4];

  (void) state;
  f->forward = true;
  sim_link_new (world, sim_node_port (&a->node, 0), sim_node_port (&f->node, 0),
                &fast, "a-f");
  sim_link_new (world, sim_node_port (&f->node, 1), sim_node_port (&b->node, 0),
                &one, "f-b");
  /* Frames 0 and 1 reach f together: f-b takes 0 and drops 1. */
  jobs[0] = (SendJob) { sim_node_port (&a->node, 0), 0, 125, 0, 0, 0 };
  jobs[1] = (SendJob) { sim_node_port (&a->node, 0), 0, 125, 1, 0, 0 };
  jobs[2] = (SendJob) { sim_node_port (&a->node, 0), 10 * SIM_MS, 125, 2, 0, 0 };
  jobs[3] = (SendJob) { sim_node_port (&b->node, 0), 20 * SIM_MS, 125, 3, 0, 0 };
  schedule_jobs (world, jobs, 4);

  sim_world_start (world);
  assert_int_equal (sim_world_hops (world), 0);
  sim_world_advance (world, SIM_MS);              /* 0, 1 reach f */
  assert_int_equal (sim_world_hops (world), 2);
  sim_world_advance (world, 5 * SIM_MS);          /* 0 reaches b */
  assert_int_equal (sim_world_hops (world), 3);
  sim_world_advance (world, SIM_TIME_MAX);
  sim_world_finish (world);
  /* 0: 2 hops, 1: 1 (dropped at f), 2: 2, 3: 2 (b -> f -> a). */
  assert_int_equal (sim_world_hops (world), 7);
  assert_int_equal (
    sim_link_counters (sim_world_link (world, 1), 0)->drop_queue_packets,
    1);
  assert_int_equal (b->log->len, 2);
  assert_int_equal (a->log->len, 1);
  assert_int_equal (arrival (a, 0)->tag, 3);
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (world)), 0);
  sim_world_free (world);
}

/* ---- the tap ---------------------------------------------------------- */

/* What a test tap saw of one arrival, from both of its calls. */
typedef struct {
  SimTime time;
  uint32_t if_id;               /* receiving interface */
  uint32_t tag;                 /* read from the packet in arrived() */
  uint32_t first_step, n_steps; /* from handled(): first id, count */
} TapSeen;

typedef struct {
  SimTap tap;
  GArray *seen;                 /* TapSeen, owned */
  bool open;                    /* arrived() called, handled() not yet */
  SimPort *rx;                  /* of the open arrival */
  guint links_added;
  SimLink *last_link;
} CountingTap;

static void
counting_link_added (SimTap *tap, SimLink *link)
{
  CountingTap *ct = (CountingTap *) tap;

  ct->links_added++;
  ct->last_link = link;
}

static void
counting_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  CountingTap *ct = (CountingTap *) tap;
  TapSeen s = { .time = t, .if_id = rx->if_id };

  assert_false (ct->open);
  memcpy (&s.tag, packet->data + 14, 4);
  g_array_append_val (ct->seen, s);
  ct->open = true;
  ct->rx = rx;
}

static void
counting_handled (SimTap *tap, SimPort *rx, SimTime t,
                  const uint32_t *steps, uint32_t n_steps)
{
  CountingTap *ct = (CountingTap *) tap;
  TapSeen *s = &g_array_index (ct->seen, TapSeen, ct->seen->len - 1);

  assert_true (ct->open);
  assert_ptr_equal (rx, ct->rx);
  assert_int_equal (t, s->time);
  /* Nothing is released here: the steps are consecutive ids. */
  for (uint32_t k = 1; k < n_steps; k++)
    assert_int_equal (steps[k], steps[0] + k);
  s->first_step = n_steps ? steps[0] : 0;
  s->n_steps = n_steps;
  ct->open = false;
}

static const SimTapClass counting_tap_class = {
  .link_added = counting_link_added, .arrived = counting_arrived,
  .handled = counting_handled,
};

/* Frames a -> b with tags 0..4 (b appends tag % 3 steps each) and one
 * b -> a: the tap sees every arrival once, at its time, on the receiving
 * interface, with the bytes as they came and exactly the steps the node
 * appended while handling it; a link made while it is set is announced;
 * once removed it sees nothing. */
static void
test_link__tap_sees_each_arrival_with_its_steps (void **state)
{
  SimLinkParams lp = { .delay = SIM_US, .rate_bps = GBPS };
  CountingTap ct = { { &counting_tap_class }, NULL, false, NULL, 0, NULL };
  SimExplainLog *log;
  SendJob jobs[6];
  Probe *c;
  Pair pair;
  SimLink *ac;

  (void) state;
  ct.seen = g_array_new (FALSE, TRUE, sizeof (TapSeen));
  pair_init (&pair, &lp);
  log = sim_world_explain (pair.world);
  pair.b->explain = true;
  sim_world_set_tap (pair.world, &ct.tap);
  assert_ptr_equal (sim_world_tap (pair.world), &ct.tap);
  for (uint32_t i = 0; i < 5; i++)
    jobs[i] = (SendJob) { sim_node_port (&pair.a->node, 0), i * SIM_MS, 100,
                          i, 0, false };
  jobs[5] = (SendJob) { sim_node_port (&pair.b->node, 0), 0, 100, 7, 0,
                        false };
  schedule_jobs (pair.world, jobs, N_ELEMENTS (jobs));
  sim_world_run (pair.world, SIM_TIME_MAX);

  assert_int_equal (ct.seen->len, 6);
  assert_false (ct.open);
  assert_int_equal (sim_explain_count (log), 0 + 1 + 2 + 0 + 1);
  for (guint i = 0, rx_b = 0; i < ct.seen->len; i++)
    {
      const TapSeen *s = &g_array_index (ct.seen, TapSeen, i);

      if (s->if_id == sim_node_port (&pair.a->node, 0)->if_id)
        {
          assert_int_equal (s->tag, 7);
          assert_int_equal (s->n_steps, 0);
          assert_int_equal (s->time, arrival (pair.a, 0)->time);
          continue;
        }
      assert_int_equal (s->if_id, sim_node_port (&pair.b->node, 0)->if_id);
      assert_int_equal (s->tag, rx_b);
      assert_int_equal (s->time, arrival (pair.b, rx_b)->time);
      assert_int_equal (s->n_steps, rx_b % 3);
      for (uint32_t k = 0; k < s->n_steps; k++)
        {
          const SimExplainStep *step = sim_explain_get (log,
                                                        s->first_step + k);
          assert_string_equal (step->node, "b");
          assert_int_equal (step->time, s->time);
        }
      rx_b++;
    }

  c = probe_new (pair.world, "c", 1);
  ac = sim_link_new (pair.world, sim_node_add_port (&pair.a->node, "eth1"),
                     sim_node_port (&c->node, 0), &lp, NULL);
  assert_int_equal (ct.links_added, 1);
  assert_ptr_equal (ct.last_link, ac);

  sim_world_set_tap (pair.world, NULL);
  jobs[0] = (SendJob) { sim_node_port (&pair.a->node, 0), SIM_S, 100, 0, 0,
                        false };
  schedule_jobs (pair.world, jobs, 1);
  sim_world_run (pair.world, SIM_TIME_MAX);
  assert_int_equal (pair.b->log->len, 6);
  assert_int_equal (ct.seen->len, 6);
  g_array_free (ct.seen, TRUE);
  pair_clear (&pair);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_link__serialization_table),
    cmocka_unit_test (test_link__serialization_saturates_beyond_sim_time_max),
    cmocka_unit_test (test_link__arrival_is_send_plus_serialization_plus_delay),
    cmocka_unit_test (test_link__back_to_back_frames_queue_fifo),
    cmocka_unit_test (test_link__frames_arrive_in_sending_order),
    cmocka_unit_test (test_link__queue_limits_drop_and_count),
    cmocka_unit_test (test_link__queue_frees_when_serialization_ends),
    cmocka_unit_test (test_link__queue_ring_wraps_exactly),
    cmocka_unit_test (test_link__queue_drop_is_explained_and_shown),
    cmocka_unit_test (test_link__unlimited_queue_keeps_every_frame),
    cmocka_unit_test (test_link__byte_limited_queue_grows_and_keeps_count),
    cmocka_unit_test (test_link__tx_rx_counters_per_direction),
    cmocka_unit_test (test_link__send_writes_peer_and_own_mac),
    cmocka_unit_test (test_link__unconnected_port_releases_frame),
    cmocka_unit_test (test_link__world_free_releases_frames_in_flight),
    cmocka_unit_test (test_link__hops_count_delivered_crossings),
    cmocka_unit_test (test_link__tap_sees_each_arrival_with_its_steps),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
