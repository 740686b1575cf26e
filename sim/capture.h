/* Capture of every link crossing: a classic pcap per link that carried a
 * frame, written through libpcap (nanosecond timestamps, DLT_EN10MB), with
 * its frames' comments in pcap/comments.tsv, and one merged trace.pcapng
 * (sim/pcapng.h) with an interface description block per port named
 * "NODE/PORT" and comments on packets where a decision was taken. TLS
 * session secrets (SimTapClass.secrets) go into trace.pcapng as
 * decryption secrets blocks and, beside the per-link files, into
 * pcap/tls-keys.log (made at the first secret).
 *
 * The capture is a tap (sim/tap.h): registered with the world, it sees
 * every frame arrival; the world and the links do not know it. On the
 * simulation thread it only copies what the files need; one writer
 * thread of its own formats and writes them, behind a bounded number of
 * large buffers (the simulation waits when they are all full). The files
 * are the same bytes with or without the thread.
 *
 * Write errors are sticky: the first one is kept (by the writer thread)
 * and reported by sim_capture_close(), which also checks errors at close;
 * after one, writing goes on and the simulation never waits for good. */
#ifndef SIM_CAPTURE_H
#define SIM_CAPTURE_H

#include <glib.h>
#include <stdbool.h>

#include "sim/node.h"
#include "sim/tap.h"
#include "sim/world.h"

typedef struct SimCapture SimCapture;

#define SIM_CAPTURE_KEYLOG_NAME "tls-keys.log"
/* Beside the per-link files, the comments classic pcap cannot hold: one
 * line "LINK.pcap<TAB>FRAME<TAB>COMMENT" per comment of a frame the link
 * carried (FRAME counts from 1 in that file), after a header line; made
 * at the first comment. */
#define SIM_CAPTURE_COMMENTS_NAME "comments.tsv"
/* The files' snapshot length: frames are at most this long, and
 * SimCaptureOptions.snaplen may lower it (not below an Ethernet
 * header). */
#define SIM_CAPTURE_SNAPLEN_MAX 65535u
#define SIM_CAPTURE_SNAPLEN_MIN 14u

GQuark sim_capture_error_quark (void);
#define SIM_CAPTURE_ERROR (sim_capture_error_quark ())
enum
{
  SIM_CAPTURE_ERROR_OPEN,       /* a file or directory could not be made */
  SIM_CAPTURE_ERROR_WRITE,      /* a write, flush or close failed */
  SIM_CAPTURE_ERROR_FILTER,     /* the capture filter does not compile */
};

typedef struct {
  bool pcapng;                  /* write DIR/trace.pcapng */
  bool per_link_pcap;           /* write DIR/pcap/LINK.pcap */
  const char *application;      /* shb_userappl, e.g. "cloudrun-netsim 0.1" */
  const char *section_comment;  /* optional SHB comment */
  bool synchronous;             /* write on the caller's thread, no writer
                                   thread: the same files, for tests that
                                   compare the two */
  int64_t epoch_ns;             /* the files' timestamp of simulated time
                                   0, in ns since 1970-01-01T00:00:00Z
                                   (0: 1970); at most 2^32 s minus the
                                   run, for the per-link files' 32-bit
                                   seconds */
  const char *filter;           /* a capture filter in tcpdump's syntax
                                   (pcap-filter(7)), compiled by libpcap
                                   for Ethernet: only the frames it
                                   matches are frames of the files (and
                                   get trace frame numbers); NULL or ""
                                   keeps every frame */
  uint32_t snaplen;             /* bytes kept of each frame, from
                                   SIM_CAPTURE_SNAPLEN_MIN up; 0: all */
} SimCaptureOptions;

/* Opens the files in dir (which must exist; pcap/ is created when per-link
 * files are asked for) for every port and link the world has now; writes
 * the pcapng header blocks. A filter that does not compile is
 * SIM_CAPTURE_ERROR_FILTER with libpcap's message, before any file is
 * made. */
SimCapture *sim_capture_open (SimWorld *world, const char *dir,
                              const SimCaptureOptions *options,
                              GError **error);
/* Whether filter (NULL or "": none) compiles; false with
 * SIM_CAPTURE_ERROR_FILTER and libpcap's message. */
bool sim_capture_check_filter (const char *filter, GError **error);
/* The capture's tap, to register with sim_world_set_tap(); borrowed, as
 * long as the capture is open. As a tap it picks up the interfaces and
 * links added to the world since open (interface blocks, per-link files;
 * a failure is kept for sim_capture_close()), and records each frame as
 * it arrived, with the explanation steps the receiving node appended
 * while handling it, joined by " | ", as its pcapng comment. */
SimTap *sim_capture_tap (SimCapture *capture);
/* (Register it with sim_world_set_tap (world, sim_capture_tap (c)); a
 * world holds one tap at a time.) */
/* Flushes and closes everything; false with error on any write or close
 * failure seen since open. Frees the capture either way. */
bool sim_capture_close (SimCapture *capture, GError **error);
/* Bytes handed to the files so far, headers too; waits for the writer
 * thread to have written everything recorded until now. */
uint64_t sim_capture_bytes_written (SimCapture *capture);

#endif
