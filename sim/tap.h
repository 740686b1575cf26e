/* A tap: an observer the world registers to see every link crossing, as a
 * pad probe sees the buffers crossing a GStreamer pad. The capture
 * (sim/capture.c) is one; tests register others. sim/ calls a tap, never
 * the other way round, and knows nothing of what it does.
 *
 * Per frame arrival the link calls arrived() before the receiving node's
 * receive() (the tap may copy the bytes: the node takes the packet and may
 * change or release it), then handled() after it, with the explanation
 * steps the node appended meanwhile. Both run on the per-packet path: a
 * tap must not allocate there. */
#ifndef SIM_TAP_H
#define SIM_TAP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/packet.h"
#include "sim/time.h"

typedef struct SimTap SimTap;
typedef struct SimPort SimPort;
typedef struct SimLink SimLink;

typedef struct {
  /* A link was made while the tap was registered; its two ports, and any
   * port added before it, are in the world now. Optional. */
  void (*link_added) (SimTap *tap, SimLink *link);
  /* packet arrived on rx at time t; borrowed, valid during the call. */
  void (*arrived) (SimTap *tap, SimPort *rx, SimTime t,
                   const SimPacket *packet);
  /* rx's node has handled it: it appended the explanation steps
   * steps[0 .. n_steps - 1] (ids; borrowed; n_steps may be 0). */
  void (*handled) (SimTap *tap, SimPort *rx, SimTime t,
                   const uint32_t *steps, uint32_t n_steps);
  /* packet, sent on tx at time t, was dropped before the wire (a full
   * queue); the world's drop explainer appended the steps
   * steps[0 .. n_steps - 1] about it. Borrowed. Optional. */
  void (*dropped) (SimTap *tap, SimPort *tx, SimTime t,
                   const SimPacket *packet, const uint32_t *steps,
                   uint32_t n_steps);
  /* Whether the tap records this frame (a capture filter). A frame it
   * does not keep is no frame of trace.pcapng: it gets no frame number,
   * and arrived, handled and dropped do not see it. Called before
   * arrived, on the per-packet path. Optional: without it every frame
   * is kept. */
  bool (*keeps) (SimTap *tap, const SimPacket *packet);
  /* A protocol picked session secrets before its first frame: one line
   * of an NSS key log ("CLIENT_RANDOM <hex> <hex>\n", sim/tls.h),
   * borrowed. Optional. */
  void (*secrets) (SimTap *tap, const char *keylog_line);
} SimTapClass;

/* Embedded first in the tap's own struct, like SimNode in a node. */
struct SimTap {
  const SimTapClass *klass;     /* static, not owned */
};

/* Whether tap (NULL: none) records packet. */
static inline bool
sim_tap_keeps (SimTap *tap, const SimPacket *packet)
{
  return tap && (!tap->klass->keeps || tap->klass->keeps (tap, packet));
}

#endif
