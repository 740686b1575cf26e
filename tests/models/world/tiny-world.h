/* Tiny worlds for model tests, built directly from nodes (ns-3's shape):
 * a CloudRunWorld with no scenario behind it, the few nodes a test needs
 * made by their constructors, probe nodes that send hand-made frames at
 * given times and record every frame they receive, and readers for the
 * ledger's explanation steps.
 *
 * Every piece of configuration a node constructor takes (the plain
 * structs of models/world/config.h, never the scenario format) is made
 * here, in the "Configs" section, so a constructor change is adapted in
 * one place.
 *
 * A probe records a frame as it arrived, after taking off a Geneve
 * envelope of ours (the identity is kept beside it). Helpers that cannot
 * find what they are asked for fail the running cmocka test. */
#ifndef TESTS_MODELS_WORLD_TINY_WORLD_H
#define TESTS_MODELS_WORLD_TINY_WORLD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/world/config.h"
#include "models/world/egress.h"
#include "models/world/fabric.h"
#include "models/world/request.h"
#include "models/world/world.h"
#include "sim/node.h"
#include "sim/wire.h"

#define TW_IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

/* Every tiny link: 10 us one way, no serialization, no queue limit. */
#define TW_LINK_DELAY (10 * SIM_US)

typedef struct {
  CloudRunWorld *world;         /* owned */
  GPtrArray *owned;             /* configs made for the nodes, owned */
  GPtrArray *probes;            /* TinyProbe*, not owned (world's nodes) */
  bool started;                 /* the nodes' start() ran */
} TinyWorld;

/* One frame a probe received. */
typedef struct {
  uint8_t *bytes;               /* the frame (inner frame if wrapped) */
  uint32_t len;
  SimFrame f;                   /* parsed view into bytes */
  bool wrapped;                 /* it came in a Geneve envelope of ours */
  CloudRunFabricIdentity id;    /* the envelope's identity when wrapped */
  uint32_t request_id;          /* metadata it carried */
  SimTime at;                   /* when it arrived */
} TinyFrame;

typedef struct {
  SimNode node;
  SimPort *port;                /* its one port, "eth0" */
  GArray *frames;               /* TinyFrame, owned */
} TinyProbe;

/* ---- Life cycle --------------------------------------------------- */

/* A world with n_requests requests in its ledger (ids 1..n). */
TinyWorld *tiny_world_new (uint32_t n_requests);
void tiny_world_free (TinyWorld *tw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TinyWorld, tiny_world_free)
/* Runs the kernel until `until`; the first call starts the nodes, so a
 * test may run in slices and send between them. Nodes stop at free. */
void tiny_world_run (TinyWorld *tw, SimTime until);
/* Links two ports with the tiny link parameters. */
SimLink *tiny_link (TinyWorld *tw, SimPort *a, SimPort *b);

/* ---- Probes ------------------------------------------------------- */

TinyProbe *tiny_probe_new (TinyWorld *tw, const char *name);
/* Sends at time `at` (from the probe's port) a TCP segment with flags and
 * ttl and len payload bytes, marked as request request_id. */
void tiny_probe_send_tcp (TinyProbe *p, SimTime at, uint32_t src,
                          uint16_t sport, uint32_t dst, uint16_t dport,
                          uint8_t flags, uint8_t ttl, uint32_t len,
                          uint32_t request_id);
/* Sends a UDP datagram carrying payload. */
void tiny_probe_send_udp (TinyProbe *p, SimTime at, uint32_t src,
                          uint16_t sport, uint32_t dst, uint16_t dport,
                          const uint8_t *payload, uint32_t len,
                          uint32_t request_id);
/* The same TCP segment, already wrapped in a Geneve envelope of ours
 * (outer_src -> outer_dst) carrying id. */
void tiny_probe_send_wrapped_tcp (TinyProbe *p, SimTime at, uint32_t src,
                                  uint16_t sport, uint32_t dst,
                                  uint16_t dport, uint8_t flags,
                                  uint32_t outer_src, uint32_t outer_dst,
                                  const CloudRunFabricIdentity *id);
/* Sends at time `at` a whole frame the test built (Ethernet first: an
 * IPv6 one, say), marked as request request_id; takes packet. */
void tiny_probe_send_packet (TinyProbe *p, SimTime at, SimPacket *packet,
                             uint32_t request_id);
/* An IPv6 TCP segment (no payload, MSS 1440) with flags and hop_limit
 * from src to dst, marked as request request_id. */
void tiny_probe_send_tcp6 (TinyProbe *p, SimTime at, const SimIp6 *src,
                           uint16_t sport, const SimIp6 *dst,
                           uint16_t dport, uint8_t flags, uint8_t hop_limit,
                           uint32_t request_id);
guint tiny_probe_count (const TinyProbe *p);
/* Frame i (0-based) the probe received; fails the test when missing. */
const TinyFrame *tiny_probe_frame (const TinyProbe *p, guint i);

/* ---- The ledger --------------------------------------------------- */

CloudRunRequest *tiny_request (TinyWorld *tw, uint32_t id);
/* The first step of request id in that state (at node when not NULL),
 * or NULL. */
const SimExplainStep *tiny_step (TinyWorld *tw, uint32_t id,
                                 const char *state, const char *node);
guint tiny_count_steps (TinyWorld *tw, uint32_t id, const char *state,
                        const char *node);

/* ---- Configs (the one place that knows the constructors' inputs) -- */

/* A VPC router's configuration (models/world/config.h) for network NAME
 * of project_number: default route on, no subnets, routes or rules yet,
 * connector-google-access implicit, NAT turns PGA on; VNI 7, fabric
 * addresses 100.64.0.9 and 100.64.0.1. Owned by tw. */
typedef struct {
  VpcRouterConfig config;       /* what cloudrun_vpc_router_new takes */
  GArray *firewalls;            /* VpcFirewallRule behind config */
} TinyRouterConfig;

TinyRouterConfig *tiny_router_config (TinyWorld *tw, const char *network,
                                      uint64_t project_number);
/* Adds an ingress or egress rule over one range, all protocols. */
void tiny_router_firewall (TinyWorld *tw, TinyRouterConfig *rc,
                           const char *name, VpcFirewallDirection direction,
                           VpcFirewallAction action, uint32_t prefix,
                           uint8_t len, uint32_t priority);
/* A connector on the /28 at block with that many instances, not
 * scaling out, each at e2-micro's 100 Mbit/s. */
VpcConnectorConfig tiny_connector_config (const char *name, uint32_t block,
                                          unsigned instances);
/* A PSC endpoint (all-apis) of network at address. */
VpcPscConfig tiny_psc_config (const char *name, const char *network,
                              uint32_t address, uint32_t vni,
                              uint64_t project_number);
/* A revision's egress: vpc-access (connector or direct), all-traffic,
 * RFC 1918 as the private ranges. */
CloudRunRevisionEgress *tiny_egress_config (TinyWorld *tw,
                                            const char *service,
                                            VpcAccess access);

#endif
