/* Tests for sim/tcp.c through sim/host.c: handshake, data both ways with
 * the callbacks a user sees, MSS-sized segments, FIN close, RST from a
 * closed port, SYN retransmission with back-off and the connect timeout,
 * go-back-N after a lost segment, wire validity (parse and checksums),
 * sequence/ack consistency, abort, sequence-number wrap, and reuse of
 * connection records over many sequential connections.
 *
 * Shape (ns-3): client -- tap -- server. Client and server are test nodes
 * embedding SimHost; the tap forwards between its two ports, records the
 * parsed TCP header of every frame that crosses it, and can drop. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "sim/host.h"
#include "sim/tcp.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])
#define CLIENT_ADDR 0x0A000001u /* 10.0.0.1 */
#define SERVER_ADDR 0x0A000002u /* 10.0.0.2 */
#define HTTP_PORT 80u
#define REQUEST_ID 77u
#define SEQ_DIFF(a, b) ((int32_t) ((uint32_t) (a) - (uint32_t) (b)))

/* ---- host nodes ------------------------------------------------------- */

typedef struct {
  SimNode node;
  SimHost host;
  uint64_t not_for_host;        /* frames sim_host_receive refused */
} HostNode;

static void
host_node_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  HostNode *h = (HostNode *) self;

  if (!sim_host_receive (&h->host, port, packet))
    {
      h->not_for_host++;
      sim_packet_release (sim_world_pool (self->world), packet);
    }
}

static void
host_node_clear (SimNode *self)
{
  sim_host_clear (&((HostNode *) self)->host);
}

static const SimNodeClass host_node_class = {
  "test-host", sizeof (HostNode), host_node_receive, NULL, NULL,
  host_node_clear,
};

static HostNode *
host_node_new (SimWorld *world, const char *name, uint32_t addr)
{
  HostNode *h = (HostNode *) sim_node_new (world, &host_node_class, name);

  sim_host_init (&h->host, &h->node, addr, sim_node_add_port (&h->node, "eth0"));
  return h;
}

/* ---- the tap ---------------------------------------------------------- */

typedef enum {
  TAP_FORWARD,                  /* everything passes */
  TAP_DROP_ALL,                 /* a black hole */
  TAP_DROP_FIRST_DATA,          /* the first client segment with payload */
} TapPolicy;

/* One frame as the tap saw it. dir 0: client to server. */
typedef struct {
  SimTime time;
  unsigned dir;
  bool parsed, checksums_ok, dropped;
  uint32_t src, dst;
  SimTcpHeader tcp;
  uint32_t payload_len;
  uint32_t request_id;
} Seen;

typedef struct {
  SimNode node;
  TapPolicy policy;
  GArray *log;                  /* Seen, owned */
  unsigned bad;                 /* frames that failed parse or checksums */
  bool dropped_data;
} Tap;

static void
tap_receive (SimNode *self, SimPort *port, SimPacket *packet)
{
  Tap *tap = (Tap *) self;
  SimFrame f;
  Seen s = { .time = sim_world_now (self->world), .dir = port->index,
             .request_id = packet->request_id };

  s.parsed = sim_frame_parse (packet->data, packet->len, &f)
             && f.ip != NULL && f.proto == SIM_IPPROTO_TCP;
  if (s.parsed)
    {
      s.checksums_ok = sim_frame_checksums_ok (&f);
      s.src = f.src;
      s.dst = f.dst;
      s.tcp = f.tcp;
      s.payload_len = f.payload_len;
    }
  if (!s.parsed || !s.checksums_ok)
    tap->bad++;
  if (tap->policy == TAP_DROP_ALL)
    s.dropped = true;
  else if (tap->policy == TAP_DROP_FIRST_DATA && !tap->dropped_data
           && s.dir == 0 && s.payload_len > 0)
    s.dropped = tap->dropped_data = true;
  g_array_append_val (tap->log, s);
  if (s.dropped)
    sim_packet_release (sim_world_pool (self->world), packet);
  else
    sim_port_send (sim_node_port (self, !port->index), packet);
}

static void
tap_clear (SimNode *self)
{
  g_array_free (((Tap *) self)->log, TRUE);
}

static const SimNodeClass tap_class = {
  "tap", sizeof (Tap), tap_receive, NULL, NULL, tap_clear,
};

static const Seen *
seen (const Tap *tap, guint i)
{
  assert_true (i < tap->log->len);
  return &g_array_index (tap->log, Seen, i);
}

/* ---- the network ------------------------------------------------------ */

typedef struct {
  SimWorld *world;
  HostNode *client, *server;
  Tap *tap;
  SimLink *client_link, *server_link;
} Net;

static void
net_init_seed (Net *net, TapPolicy policy, const SimLinkParams *lp,
               uint64_t seed)
{
  SimWorld *w = sim_world_new (seed);

  net->world = w;
  net->client = host_node_new (w, "client", CLIENT_ADDR);
  net->server = host_node_new (w, "server", SERVER_ADDR);
  net->tap = (Tap *) sim_node_new (w, &tap_class, "tap");
  net->tap->policy = policy;
  net->tap->log = g_array_new (FALSE, TRUE, sizeof (Seen));
  sim_node_add_port (&net->tap->node, "client-side");
  sim_node_add_port (&net->tap->node, "server-side");
  net->client_link = sim_link_new (w, sim_node_port (&net->client->node, 0),
                                   sim_node_port (&net->tap->node, 0), lp,
                                   NULL);
  net->server_link = sim_link_new (w, sim_node_port (&net->tap->node, 1),
                                   sim_node_port (&net->server->node, 0), lp,
                                   NULL);
}

/* 1 ms each way per link, 1 Gb/s: one RTT is a little over 4 ms. */
static const SimLinkParams default_link = {
  .delay = SIM_MS, .rate_bps = 1000000000,
};

static void
net_init (Net *net, TapPolicy policy)
{
  net_init_seed (net, policy, &default_link, 1);
}

static void
net_clear (Net *net)
{
  assert_int_equal (net->client->not_for_host + net->server->not_for_host, 0);
  assert_int_equal (sim_packet_pool_in_use (sim_world_pool (net->world)), 0);
  sim_world_free (net->world);
}

/* ---- applications ----------------------------------------------------- */

