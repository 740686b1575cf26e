/* The capture's files (sim/capture.c's writer side): trace.pcapng through
 * sim/pcapng.c, one classic pcap per link, pcap/tls-keys.log. It reads
 * the records sim/capture.c makes on the simulation thread and carries
 * them out in stream order, on the writer thread (sim/capture-pipe.h).
 *
 * Records are 8-aligned, in host byte order, each a CaptureRec head and a
 * body; strings are NUL-terminated. They carry everything the world knew
 * when they were made: the writer never looks at the world. */
#ifndef SIM_CAPTURE_WRITER_H
#define SIM_CAPTURE_WRITER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/block-out.h"
#include "sim/pcapng.h"
#include "sim/time.h"

typedef enum {
  CAPTURE_REC_INTERFACE = 1,    /* an IDB: name, description */
  CAPTURE_REC_LINK,             /* the next link id: its name */
  CAPTURE_REC_FRAME,            /* a frame, to its link's pcap and/or
                                   trace.pcapng with its comments */
  CAPTURE_REC_SECRETS,          /* a key log line */
} CaptureRecType;

typedef struct {
  uint32_t type;                /* CaptureRecType */
  uint32_t size;                /* the record's bytes, a multiple of 8 */
} CaptureRec;

#define CAPTURE_NO_LINK UINT32_MAX
#define CAPTURE_NO_INTERFACE UINT32_MAX

/* Followed by caplen bytes of frame (its first ones: len was on the
 * wire), then n_comments strings (comments_len bytes with their NULs),
 * for trace.pcapng and the link's comments.tsv lines. */
typedef struct {
  CaptureRec head;
  uint32_t if_id;               /* trace.pcapng interface, or
                                   CAPTURE_NO_INTERFACE: not in it */
  uint32_t link_id;             /* pcap/LINK.pcap, or CAPTURE_NO_LINK */
  SimTime t;
  uint32_t len;
  uint32_t n_comments;
  uint32_t comments_len;
  uint32_t caplen;              /* bytes kept: at most len and the
                                   writer's snaplen */
} CaptureRecFrame;

/* CAPTURE_REC_INTERFACE: a name and a description string follow the
 * head; CAPTURE_REC_LINK: the link's name; CAPTURE_REC_SECRETS: the key
 * log line. */

typedef struct {
  GPtrArray *links;             /* CaptureWriterLink*, owned, by link id */
  char *pcap_dir;               /* owned; NULL: no per-link files */
  char *pcapng_path;            /* owned; NULL: no trace.pcapng */
  FILE *pcapng_file;            /* owned */
  SimBlockOut pcapng_block;     /* its bytes, written in blocks */
  SimPcapng pcapng;
  char *keylog_path;            /* owned: made at the first secret */
  FILE *keylog_file;            /* owned */
  char *comments_path;          /* owned: made at the first link comment */
  FILE *comments_file;          /* owned */
  uint64_t pcap_bytes;          /* bytes written to pcap/, headers too */
  GPtrArray *comments;          /* const char*, reused per frame */
  int64_t epoch_ns;             /* added to every frame's time */
  uint32_t snaplen;             /* the files' snapshot length: no frame
                                   keeps more bytes */
  const char *failed_path;      /* first failure: a path owned above */
  int failed_errno;             /* and its errno; 0 when none */
} CaptureWriter;

void capture_writer_init (CaptureWriter *w);
/* Makes DIR/pcap/ for the per-link files; false with a GError
 * (SIM_CAPTURE_ERROR_OPEN) naming it. */
bool capture_writer_open_pcap_dir (CaptureWriter *w, const char *dir,
                                   GError **error);
/* Opens DIR/trace.pcapng and writes its section header block. */
bool capture_writer_open_pcapng (CaptureWriter *w, const char *dir,
                                 const char *application,
                                 const char *section_comment,
                                 GError **error);
/* Carries out len bytes of whole records (a CapturePipeConsume). */
void capture_writer_consume (gpointer data, const uint8_t *bytes,
                             size_t len);
/* Flushes and closes every file, keeping the first failure. */
void capture_writer_close (CaptureWriter *w);
/* After close: frees everything (failed_path with it). */
void capture_writer_clear (CaptureWriter *w);

#endif
