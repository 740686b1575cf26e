/* Capture of every link crossing: a classic pcap per link written through
 * libpcap (nanosecond timestamps, DLT_EN10MB) and one merged trace.pcapng
 * (sim/pcapng.h) with an interface description block per port named
 * "NODE/PORT" and comments on packets where a decision was taken.
 *
 * Write errors are sticky: the first one is kept and reported by
 * sim_capture_close(), which also checks errors at close. */
#ifndef SIM_CAPTURE_H
#define SIM_CAPTURE_H

#include <glib.h>
#include <stdbool.h>

#include "sim/node.h"

GQuark sim_capture_error_quark (void);
#define SIM_CAPTURE_ERROR (sim_capture_error_quark ())
enum
{
  SIM_CAPTURE_ERROR_OPEN,       /* a file or directory could not be made */
  SIM_CAPTURE_ERROR_WRITE,      /* a write, flush or close failed */
};

typedef struct {
  bool pcapng;                  /* write DIR/trace.pcapng */
  bool per_link_pcap;           /* write DIR/pcap/LINK.pcap */
  const char *application;      /* shb_userappl, e.g. "cloudrun-netsim 0.1" */
  const char *section_comment;  /* optional SHB comment */
} SimCaptureOptions;

/* Opens the files in dir (which must exist; pcap/ is created when per-link
 * files are asked for) for every port and link the world has now; writes
 * the pcapng header blocks. */
SimCapture *sim_capture_open (SimWorld *world, const char *dir,
                              const SimCaptureOptions *options,
                              GError **error);
/* Picks up the interfaces and links added to the world since open (or
 * the last call): their interface blocks and per-link files. The world
 * calls it when a link is made while a capture is set. A failure is kept
 * for sim_capture_close(). */
void sim_capture_grow (SimCapture *capture);
/* Records one crossing: frame (len bytes) as it arrived on rx_port at
 * time t. Its comment is the explanation steps first_step ..
 * first_step + n_steps - 1, the decisions the receiving node took on it,
 * joined by " | "; no comment when n_steps is 0. */
void sim_capture_frame (SimCapture *capture, SimPort *rx_port, SimTime t,
                        const uint8_t *frame, uint32_t len,
                        uint32_t first_step, uint32_t n_steps);
/* Flushes and closes everything; false with error on any write or close
 * failure seen since open. Frees the capture either way. */
bool sim_capture_close (SimCapture *capture, GError **error);
uint64_t sim_capture_bytes_written (const SimCapture *capture);

#endif
