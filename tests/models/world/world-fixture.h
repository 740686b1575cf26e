/* Helpers shared by the world-level model tests (tests/models/test-*.c
 * that go through a whole scenario): load a scenario from a string and build
 * its world, run it for the scenario's duration (both through the door,
 * tools/session/cloudrun-netsim.h, as every program does; the tests then look
 * inside, tools/session/session-private.h), and read what happened the way a
 * probe would: the ledger (verdict, status, classification, drop cause,
 * deciding hop, hops passed), the explanation steps of a request, the counters
 * of the link between two nodes, a node or a service by name.
 *
 * Every helper that cannot find what it is asked for fails the running
 * cmocka test with a message naming it, so a test never reads garbage.
 * Strings returned are owned by the world (or static) unless said. */
#ifndef TESTS_MODELS_WORLD_FIXTURE_H
#define TESTS_MODELS_WORLD_FIXTURE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "tools/session/session-private.h"
#include "models/world/request.h"
#include "models/format/scenario.h"
#include "models/world/service.h"
#include "models/world/world.h"
#include "sim/node.h"

/* The head every test scenario starts with; duration 30s leaves room for
 * a dropped SYN to be retransmitted until the default 10s timeout. */
#define WF_HEAD \
  "[scenario]\nformat = 1\ntitle = model test\nduration = 30s\n\n"

#define WF_IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

typedef struct WorldFixtureSniff WorldFixtureSniff;

typedef struct {
  CloudRunSession *session;     /* owned: loaded, built and run through
                                   the door (tools/session/) */
  CloudRunScenario *scenario;   /* the session's */
  CloudRunWorld *world;         /* the session's, built from scenario */
  bool ran;                     /* world_fixture_run was called */
  WorldFixtureSniff *sniff;     /* owned; NULL when nothing listens */
} WorldFixture;

/* ---- Life cycle --------------------------------------------------- */

/* Loads ini (a whole scenario file; overrides as for --set, NULL-
 * terminated, may be NULL) and builds its world without running it. */
WorldFixture *world_fixture_load (const char *ini,
                                  const char *const *overrides);
/* Runs the built world for the scenario's duration. */
void world_fixture_run (WorldFixture *wf);
/* Load, build and run in one go. */
WorldFixture *world_fixture_new (const char *ini,
                                 const char *const *overrides);
void world_fixture_free (WorldFixture *wf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WorldFixture, world_fixture_free)

/* ---- The ledger --------------------------------------------------- */

/* Number of requests of the traffic NAME. */
guint world_fixture_count (WorldFixture *wf, const char *traffic);
/* Request index (0-based) of the traffic NAME. */
CloudRunRequest *world_fixture_request (WorldFixture *wf, const char *traffic,
                                        guint index);
/* Requests of the traffic with that verdict. */
guint world_fixture_count_verdict (WorldFixture *wf, const char *traffic,
                                   CloudRunVerdict verdict);

/* Names as the reports print them: "delivered", "internal" (or "-"),
 * the drop cause (or "none"), the deciding hop kind (or "none"). */
const char *world_fixture_verdict (WorldFixture *wf, const char *traffic,
                                   guint index);
const char *world_fixture_class (WorldFixture *wf, const char *traffic,
                                 guint index);
const char *world_fixture_cause (WorldFixture *wf, const char *traffic,
                                 guint index);
const char *world_fixture_decided_at (WorldFixture *wf, const char *traffic,
                                      guint index);
int world_fixture_status (WorldFixture *wf, const char *traffic, guint index);
/* The hops passed, "client;internet;gfe;service"; free with g_free. */
char *world_fixture_via (WorldFixture *wf, const char *traffic, guint index);
/* Whether the request passed a hop of that kind. */
bool world_fixture_passed (const CloudRunRequest *r, CloudRunHopKind hop);
/* Latency the caller saw (end - start); the request must be finished. */
SimTime world_fixture_latency (const CloudRunRequest *r);

/* ---- Steps -------------------------------------------------------- */

/* The first step of the request in that state (and taken at the node
 * named node when not NULL), or NULL. */
const SimExplainStep *world_fixture_step (WorldFixture *wf,
                                          const CloudRunRequest *r,
                                          const char *state,
                                          const char *node);
/* Steps of the request in that state (at node when not NULL). */
guint world_fixture_count_steps (WorldFixture *wf, const CloudRunRequest *r,
                                 const char *state, const char *node);
/* Every step, one per line, for failure messages; free with g_free. */
char *world_fixture_steps_text (WorldFixture *wf, const CloudRunRequest *r);

/* ---- Nodes and links ---------------------------------------------- */

SimNode *world_fixture_node (WorldFixture *wf, const char *name);
/* The link whose ends are on the nodes named a and b (either way), or
 * NULL when they are not linked. */
SimLink *world_fixture_link (WorldFixture *wf, const char *a, const char *b);
/* Packets delivered over the link, both directions. */
uint64_t world_fixture_link_packets (const SimLink *link);
/* Packets delivered from node a to node b (fails the test when they are
 * not linked). */
uint64_t world_fixture_packets (WorldFixture *wf, const char *a,
                                const char *b);
/* Listens, during the run to come, to the node named node: the TCP
 * payload bytes of every frame that arrives there, in arrival order (a
 * tap on the world; one node per fixture). Call between
 * world_fixture_load and world_fixture_run; the array is owned by wf. */
GByteArray *world_fixture_sniff (WorldFixture *wf, const char *node);
/* The first line of bytes (as world_fixture_sniff gathered them) that
 * starts with prefix, without its CRLF, or NULL; free with g_free. */
char *world_fixture_line (const GByteArray *bytes, const char *prefix);
/* The service record of the [service NAME]. */
CloudRunServiceNode *world_fixture_service (WorldFixture *wf,
                                            const char *name);
/* Requests the containers of the service answered, over its instances. */
uint64_t world_fixture_served (WorldFixture *wf, const char *service);

#endif
