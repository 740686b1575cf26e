/* Capture of every link crossing: DIR/pcap/LINK.pcap per link (made at
 * the link's first frame: a link that carried nothing leaves no file), and
 * one merged DIR/trace.pcapng.
 *
 * Called by the tools when they set up a run (open, close) and, as the
 * world's tap (sim/tap.h), by the links at each frame arrival.
 *
 * Two halves: this file, on the simulation thread, copies what the files
 * need (the frame, its time, interface and link, its comments formatted
 * from the explanation steps; new interfaces and links; key log lines)
 * as records into a chunk pipe (sim/capture-pipe.h); the writer thread
 * formats and writes them (sim/capture-writer.c). The files are the same
 * bytes as if written at once, threaded or not.
 *
 * Invariants:
 * - pcapng interface ids are the world's if_ids: the IDB records are made
 *   in if_id order, so the n-th IDB describes sim_world_interface (world,
 *   n). Link records are made in link id order.
 * - Everything a record says is read from the world when it is made; the
 *   writer never touches the world, so close may run after the world is
 *   freed (a world that runs on must be given sim_world_set_tap (world,
 *   NULL) first).
 * - The writer's state (CaptureWriter) is touched here only before the
 *   pipe starts and after a sync or the pipe's end.
 * - The per-packet path allocates nothing once the pipe's chunks exist:
 *   arrived() copies the frame into one buffer of the capture, handled()
 *   formats the comments into one reused GString and copies both into the
 *   pipe. */
#include "sim/capture.h"

#include <pcap/pcap.h>
#include <string.h>

#include "sim/capture-pipe.h"
#include "sim/capture-writer.h"
#include "sim/link.h"

static void capture_link_added (SimTap *tap, SimLink *link);
static void capture_arrived (SimTap *tap, SimPort *rx, SimTime t,
                             const SimPacket *packet);
static void capture_handled (SimTap *tap, SimPort *rx_port, SimTime t,
                             const uint32_t *steps, uint32_t n_steps);
static void capture_dropped (SimTap *tap, SimPort *tx_port, SimTime t,
                             const SimPacket *packet, const uint32_t *steps,
                             uint32_t n_steps);
static void capture_secrets (SimTap *tap, const char *keylog_line);
static bool capture_keeps (SimTap *tap, const SimPacket *packet);

#define CAPTURE_TAP_CLASS                                                  \
  .link_added = capture_link_added, .arrived = capture_arrived,            \
  .handled = capture_handled, .dropped = capture_dropped,                  \
  .secrets = capture_secrets

/* Without a filter the links ask nothing per frame. */
static const SimTapClass capture_tap_class = { CAPTURE_TAP_CLASS };
static const SimTapClass capture_filter_tap_class = {
  CAPTURE_TAP_CLASS, .keeps = capture_keeps,
};

/* The error domain declared in sim/capture.h. */
G_DEFINE_QUARK (sim-capture-error-quark, sim_capture_error)

struct SimCapture {
  SimTap tap;                   /* first: the links call it */
  SimWorld *world;              /* not owned */
  CaptureWriter writer;         /* the files: see the invariants */
  CapturePipe *pipe;            /* owned; NULL until open succeeded */
  bool pcapng;                  /* trace.pcapng is written */
  bool per_link;                /* pcap/LINK.pcap are written */
  GString *scratch;             /* reused for packet comments, each
                                   ending in NUL */
  GString *name;                /* reused for interface names */
  guint n_links_open;           /* links given a link record */
  guint n_ifaces_written;       /* interfaces given an IDB record */
  bool filtered;                /* filter holds a compiled program */
  struct bpf_program filter;    /* the capture filter, when filtered */
  uint32_t snaplen;             /* bytes kept of a frame */
  uint32_t frame_len;           /* bytes of the frame on the wire */
  uint8_t frame[SIM_PACKET_SIZE]; /* the frame being handled, as it came
                                   (its first snaplen bytes) */
};

static size_t
round8 (size_t n)
{
  return (n + 7) & ~(size_t) 7;
}

/* A record of type with body bytes of strings a then b (b may be NULL),
 * each with its NUL. */
static void
capture_put_strings (SimCapture *capture, CaptureRecType type,
                     const char *a, const char *b)
{
  size_t la = strlen (a) + 1, lb = b ? strlen (b) + 1 : 0;
  size_t size = round8 (sizeof (CaptureRec) + la + lb);
  uint8_t *p = capture_pipe_reserve (capture->pipe, size);
  CaptureRec head = { type, (uint32_t) size };

  memset (p, 0, size);
  memcpy (p, &head, sizeof head);
  memcpy (p + sizeof head, a, la);
  if (b)
    memcpy (p + sizeof head + la, b, lb);
  capture_pipe_commit (capture->pipe, size);
}

/* "link LINK to PEERNODE/PEERPORT", or "not connected". */
static void
describe_port (const SimPort *port, GString *out)
{
  const SimPort *peer = port->link != NULL ? sim_port_peer (port) : NULL;

  g_string_truncate (out, 0);
  if (peer == NULL)
    g_string_append (out, "not connected");
  else
    g_string_append_printf (out, "link %s to %s/%s",
                            sim_link_name (port->link),
                            peer->node->name, peer->name);
}

/* IDB records for the interfaces that have none yet, in if_id order, and
 * link records for the links that have none. */
static void
capture_add_ports (SimCapture *capture)
{
  SimWorld *world = capture->world;

  for (guint id = capture->n_ifaces_written;
       capture->pcapng && id < sim_world_n_interfaces (world); id++)
    {
      const SimPort *port = sim_world_interface (world, id);

      g_assert (port->if_id == id);
      describe_port (port, capture->scratch);
      g_string_printf (capture->name, "%s/%s", port->node->name, port->name);
      capture_put_strings (capture, CAPTURE_REC_INTERFACE,
                           capture->name->str, capture->scratch->str);
      capture->n_ifaces_written = id + 1;
    }
  for (guint i = capture->n_links_open;
       capture->per_link && i < sim_world_n_links (world); i++)
    {
      capture_put_strings (capture, CAPTURE_REC_LINK,
                           sim_link_name (sim_world_link (world, i)), NULL);
      capture->n_links_open = i + 1;
    }
}

static void
capture_free (SimCapture *capture)
{
  if (capture->filtered)
    pcap_freecode (&capture->filter);
  capture_writer_clear (&capture->writer);
  g_string_free (capture->scratch, TRUE);
  g_string_free (capture->name, TRUE);
  g_free (capture);
}

/* Compiles filter into *program for Ethernet frames (libpcap's BPF
 * compiler, on a handle that captures nothing). */
static bool
capture_compile (const char *filter, struct bpf_program *program,
                 GError **error)
{
  pcap_t *dead = pcap_open_dead (DLT_EN10MB, (int) SIM_CAPTURE_SNAPLEN_MAX);
  bool ok;

  if (dead == NULL)
    g_error ("pcap_open_dead failed");
  ok = pcap_compile (dead, program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0;
  if (!ok)
    g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_FILTER,
                 "capture filter '%s': %s", filter, pcap_geterr (dead));
  pcap_close (dead);
  return ok;
}

bool
sim_capture_check_filter (const char *filter, GError **error)
{
  struct bpf_program program;

  if (filter == NULL || *filter == '\0')
    return true;
  if (!capture_compile (filter, &program, error))
    return false;
  pcap_freecode (&program);
  return true;
}

SimCapture *
sim_capture_open (SimWorld *world, const char *dir,
                  const SimCaptureOptions *options, GError **error)
{
  SimCapture *capture;
  CaptureWriter *w;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (options->snaplen == 0
                        || (options->snaplen >= SIM_CAPTURE_SNAPLEN_MIN
                            && options->snaplen <= SIM_CAPTURE_SNAPLEN_MAX),
                        NULL);
  capture = g_new0 (SimCapture, 1);
  capture->tap.klass = &capture_tap_class;
  capture->world = world;
  capture->pcapng = options->pcapng;
  capture->per_link = options->per_link_pcap;
  capture->scratch = g_string_sized_new (256);
  capture->name = g_string_sized_new (64);
  w = &capture->writer;
  capture_writer_init (w);
  if (options->snaplen)
    w->snaplen = options->snaplen;
  capture->snaplen = w->snaplen;
  if (options->filter && *options->filter)
    {
      capture->filtered = capture_compile (options->filter, &capture->filter,
                                           error);
      if (!capture->filtered)
        {
          capture_free (capture);
          return NULL;
        }
      capture->tap.klass = &capture_filter_tap_class;
    }
  g_assert (options->epoch_ns >= 0);
  w->epoch_ns = options->epoch_ns;
  if ((options->per_link_pcap
       && !capture_writer_open_pcap_dir (w, dir, error))
      || (options->pcapng
          && !capture_writer_open_pcapng (w, dir, options->application,
                                          options->section_comment, error)))
    {
      capture_writer_close (w);
      capture_free (capture);
      return NULL;
    }
  capture->pipe = capture_pipe_new (!options->synchronous,
                                    capture_writer_consume, w);
  capture_add_ports (capture);
  return capture;
}

/* Tap: a link was made; its ports and files join the capture. */
static void
capture_link_added (SimTap *tap, SimLink *link)
{
  (void) link;
  capture_add_ports ((SimCapture *) tap);
}

/* Tap (with a filter only): whether the capture filter matches the frame
 * as it is now (the whole frame, whatever the snapshot length). */
static bool
capture_keeps (SimTap *tap, const SimPacket *packet)
{
  SimCapture *capture = (SimCapture *) tap;
  struct pcap_pkthdr h = { .caplen = packet->len, .len = packet->len };

  return pcap_offline_filter (&capture->filter, &h, packet->data) != 0;
}

/* Tap: keeps the frame as it arrived; the node may change or release it. */
static void
capture_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  SimCapture *capture = (SimCapture *) tap;

  (void) rx;
  (void) t;
  g_assert (packet->len <= sizeof capture->frame);
  memcpy (capture->frame, packet->data, MIN (packet->len, capture->snaplen));
  capture->frame_len = packet->len;
}

/* A frame record: to link_id's pcap unless CAPTURE_NO_LINK, and to
 * trace.pcapng on interface if_id when there is a trace.pcapng, with
 * steps[0 .. n_steps - 1] formatted as its comments, one per step (for
 * trace.pcapng and the link's lines of pcap/comments.tsv). */
static void
capture_put_frame (SimCapture *capture, uint32_t if_id, uint32_t link_id,
                   SimTime t, const uint8_t *data, uint32_t len,
                   const uint32_t *steps, uint32_t n_steps)
{
  CaptureRecFrame f = { { CAPTURE_REC_FRAME, 0 }, CAPTURE_NO_INTERFACE,
                        link_id, t, len, 0, 0, MIN (len, capture->snaplen) };
  size_t size;
  uint8_t *p;

  g_string_truncate (capture->scratch, 0);
  if (capture->pcapng)
    f.if_id = if_id;
  else if (link_id == CAPTURE_NO_LINK)
    return;
  f.n_comments = n_steps;
  for (uint32_t i = 0; i < n_steps; i++)
    {
      sim_explain_format_comment (sim_world_explain (capture->world),
                                  steps[i], capture->scratch);
      g_string_append_c (capture->scratch, '\0');
    }
  f.comments_len = (uint32_t) capture->scratch->len;
  size = round8 (sizeof f + f.caplen + f.comments_len);
  f.head.size = (uint32_t) size;
  p = capture_pipe_reserve (capture->pipe, size);
  memcpy (p, &f, sizeof f);
  memcpy (p + sizeof f, data, f.caplen);
  memcpy (p + sizeof f + f.caplen, capture->scratch->str, f.comments_len);
  memset (p + sizeof f + f.caplen + f.comments_len, 0,
          size - sizeof f - f.caplen - f.comments_len);
  capture_pipe_commit (capture->pipe, size);
}

/* Tap: the kept frame goes to its link's pcap and to trace.pcapng. */
static void
capture_handled (SimTap *tap, SimPort *rx_port, SimTime t,
                 const uint32_t *steps, uint32_t n_steps)
{
  SimCapture *capture = (SimCapture *) tap;
  uint32_t link_id;

  g_assert (t >= 0);
  g_assert (rx_port->link != NULL);
  link_id = sim_link_id (rx_port->link);
  capture_put_frame (capture, rx_port->if_id,
                     link_id < capture->n_links_open ? link_id
                                                     : CAPTURE_NO_LINK,
                     t, capture->frame, capture->frame_len, steps, n_steps);
}

/* Tap: a frame dropped before the wire goes to trace.pcapng only, on the
 * interface that could not send it, with the steps that explain it; the
 * link's pcap shows the wire, where it never was. */
static void
capture_dropped (SimTap *tap, SimPort *tx_port, SimTime t,
                 const SimPacket *packet, const uint32_t *steps,
                 uint32_t n_steps)
{
  SimCapture *capture = (SimCapture *) tap;

  if (n_steps > 0)
    capture_put_frame (capture, tx_port->if_id, CAPTURE_NO_LINK, t,
                       packet->data, packet->len, steps, n_steps);
}

/* Tap: session secrets go into trace.pcapng as a decryption secrets
 * block, before the frames they decrypt, and into DIR/pcap/tls-keys.log
 * for the per-link pcaps. */
static void
capture_secrets (SimTap *tap, const char *keylog_line)
{
  SimCapture *capture = (SimCapture *) tap;

  if (capture->pcapng || capture->per_link)
    capture_put_strings (capture, CAPTURE_REC_SECRETS, keylog_line, NULL);
}

SimTap *
sim_capture_tap (SimCapture *capture)
{
  return &capture->tap;
}

bool
sim_capture_close (SimCapture *capture, GError **error)
{
  CaptureWriter *w;
  bool ok;

  if (capture == NULL)
    return true;
  w = &capture->writer;
  capture_pipe_free (capture->pipe);
  capture_writer_close (w);
  /* failed_path points into the writer, cleared below. */
  ok = w->failed_errno == 0;
  if (!ok)
    g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_WRITE,
                 "%s: write failed: %s", w->failed_path,
                 g_strerror (w->failed_errno));
  capture_free (capture);
  return ok;
}

uint64_t
sim_capture_bytes_written (SimCapture *capture)
{
  capture_pipe_sync (capture->pipe);
  return capture->writer.pcap_bytes + capture->writer.pcapng.bytes;
}
