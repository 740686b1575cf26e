/* Capture of every link crossing: DIR/pcap/LINK.pcap per link through
 * libpcap (made at the link's first frame: a link that carried nothing
 * leaves no file), and one merged DIR/trace.pcapng through sim/pcapng.c.
 *
 * Called by the tools when they set up a run (open, close) and, as the
 * world's tap (sim/tap.h), by the links at each frame arrival.
 *
 * Invariants:
 * - pcapng interface ids are the world's if_ids: the IDBs are written in
 *   if_id order, so the n-th IDB describes sim_world_interface (world, n).
 * - Per-link state sits in links, indexed by link id (links are added in
 *   id order), owned by the capture and freed at close. Close does not
 *   touch the world, so it may run after the world is freed; a world that
 *   runs on must be given sim_world_set_tap (world, NULL) first.
 * - Errors are sticky: the first failure (a path and an errno) is kept and
 *   reported at close; later ones are ignored, and writing goes on.
 * - The per-packet path allocates nothing: arrived() copies the frame into
 *   one buffer of the capture, handled() writes it with a stack pcap
 *   header and one reused GString for comments.
 *
 * libpcap's pcap_dump() ignores write errors, so we open each FILE*
 * ourselves, check ferror() after every pcap_dump(), and close it
 * ourselves with fclose() (see capture_link_close). */

/* libpcap's headers use u_char and u_int, which glibc hides under a
 * strict -std=c11 unless asked. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include "sim/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include "sim/link.h"
#include "sim/pcapng.h"

#define CAPTURE_SNAPLEN 65535u
#define LINKTYPE_ETHERNET 1     /* pcapng link type of DLT_EN10MB */

static void capture_link_added (SimTap *tap, SimLink *link);
static void capture_arrived (SimTap *tap, SimPort *rx, SimTime t,
                             const SimPacket *packet);
static void capture_handled (SimTap *tap, SimPort *rx_port, SimTime t,
                             const uint32_t *steps, uint32_t n_steps);
static void capture_dropped (SimTap *tap, SimPort *tx_port, SimTime t,
                             const SimPacket *packet, const uint32_t *steps,
                             uint32_t n_steps);
static void capture_secrets (SimTap *tap, const char *keylog_line);

static const SimTapClass capture_tap_class = {
  .link_added = capture_link_added,
  .arrived = capture_arrived,
  .handled = capture_handled,
  .dropped = capture_dropped,
  .secrets = capture_secrets,
};

/* The error domain declared in sim/capture.h. */
G_DEFINE_QUARK (sim-capture-error-quark, sim_capture_error)

typedef struct {
  SimCapture *capture;          /* owner, for assertions */
  char *path;                   /* owned: DIR/pcap/LINK.pcap */
  FILE *file;                   /* owned */
  pcap_t *dead;                 /* owned: the link type and precision */
  pcap_dumper_t *dumper;        /* libpcap's view of file, not owned */
  bool opened;                  /* its first frame came: file tried */
} SimCaptureLink;

struct SimCapture {
  SimTap tap;                   /* first: the links call it */
  SimWorld *world;              /* not owned */
  GPtrArray *links;             /* SimCaptureLink*, owned, by link id */
  char *pcapng_path;            /* owned; NULL when no pcapng */
  FILE *pcapng_file;            /* owned; NULL when no pcapng */
  SimPcapng pcapng;
  GString *scratch;             /* reused for packet comments, each
                                   ending in NUL */
  GArray *comment_at;           /* gsize offsets into scratch, reused */
  GPtrArray *comments;          /* const char* into scratch, reused */
  uint64_t pcap_bytes;          /* bytes handed to pcap_dump, headers too */
  char *pcap_dir;               /* owned; NULL when no per-link pcaps */
  char *keylog_path;            /* owned: DIR/pcap/tls-keys.log */
  FILE *keylog_file;            /* owned; opened at the first secret */
  guint n_links_open;           /* links of the world given a pcap */
  guint n_ifaces_written;       /* interfaces given an IDB */
  const char *failed_path;      /* first failure: a path owned above */
  int failed_errno;             /* and its errno; 0 when none */
  uint32_t frame_len;           /* bytes in frame */
  uint8_t frame[SIM_PACKET_SIZE]; /* the frame being handled, as it came */
};

static void
capture_fail (SimCapture *capture, const char *path, int err)
{
  if (capture->failed_errno != 0)
    return;
  capture->failed_path = path;
  capture->failed_errno = err != 0 ? err : EIO;
}

/* Flushes and closes one link's file, keeping the first failure. libpcap's
 * pcap_dump_close() is (void) fclose (file) on the FILE* that
 * pcap_dump_fopen() returned as the dumper (sf-pcap.c): it owns nothing
 * else, so fclose() is its destructor and here we can see the result. */
static void
capture_link_close (SimCapture *capture, SimCaptureLink *cl)
{
  if (cl->file != NULL)
    {
      errno = 0;
      if (fflush (cl->file) != 0 || ferror (cl->file))
        capture_fail (capture, cl->path, errno);
      errno = 0;
      if (fclose (cl->file) != 0)
        capture_fail (capture, cl->path, errno);
      cl->file = NULL;
      cl->dumper = NULL;
    }
  if (cl->dead != NULL)
    pcap_close (cl->dead);
  cl->dead = NULL;
}

/* After capture_link_close(): the path may be in the error message. */
static void
capture_link_free (gpointer data)
{
  SimCaptureLink *cl = data;

  g_free (cl->path);
  g_free (cl);
}

/* A link's pcap is made at its first frame: a link that carried nothing
 * leaves no file. */
static void
capture_add_link (SimCapture *capture, SimLink *link, const char *pcap_dir)
{
  SimCaptureLink *cl = g_new0 (SimCaptureLink, 1);
  g_autofree char *name = g_strconcat (sim_link_name (link), ".pcap", NULL);

  cl->capture = capture;
  cl->path = g_build_filename (pcap_dir, name, NULL);
  g_ptr_array_add (capture->links, cl);
}

/* Opens cl's file and writes its header; a failure is the capture's
 * first failure (reported at close) and leaves cl without a dumper. */
static void
capture_link_open (SimCapture *capture, SimCaptureLink *cl)
{
  cl->opened = true;
  errno = 0;
  cl->file = fopen (cl->path, "wb");
  if (cl->file == NULL)
    {
      capture_fail (capture, cl->path, errno);
      return;
    }
  cl->dead = pcap_open_dead_with_tstamp_precision (
    DLT_EN10MB, CAPTURE_SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
  if (cl->dead == NULL)
    {
      capture_fail (capture, cl->path, ENOMEM);
      return;
    }
  errno = 0;
  cl->dumper = pcap_dump_fopen (cl->dead, cl->file);
  if (cl->dumper == NULL)
    {
      /* pcap_dump_fopen() has already fclose()d the file on failure. */
      cl->file = NULL;
      capture_fail (capture, cl->path, errno);
      return;
    }
  capture->pcap_bytes += 24;    /* the pcap file header */
}

static bool
capture_open_links (SimCapture *capture, const char *dir, GError **error)
{
  g_autofree char *pcap_dir = g_build_filename (dir, "pcap", NULL);

  if (g_mkdir_with_parents (pcap_dir, 0777) != 0)
    {
      int err = errno;

      g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_OPEN,
                   "%s: cannot create directory: %s", pcap_dir,
                   g_strerror (err));
      return false;
    }
  capture->pcap_dir = g_strdup (pcap_dir);
  for (guint i = 0; i < sim_world_n_links (capture->world); i++)
    {
      capture_add_link (capture, sim_world_link (capture->world, i),
                        pcap_dir);
      capture->n_links_open = i + 1;
    }
  return true;
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

/* IDBs for the interfaces that have none yet, in if_id order. */
static void
capture_write_interfaces (SimCapture *capture, GString *name)
{
  SimPcapng *w = &capture->pcapng;

  for (guint id = capture->n_ifaces_written;
       id < sim_world_n_interfaces (capture->world); id++)
    {
      const SimPort *port = sim_world_interface (capture->world, id);

      g_assert (port->if_id == id);
      describe_port (port, capture->scratch);
      g_string_printf (name, "%s/%s", port->node->name, port->name);
      sim_pcapng_write_interface (w, LINKTYPE_ETHERNET, CAPTURE_SNAPLEN,
                                  name->str, capture->scratch->str);
    }
  capture->n_ifaces_written = sim_world_n_interfaces (capture->world);
  if (w->error != 0)
    capture_fail (capture, capture->pcapng_path, w->error);
}

static bool
capture_open_pcapng (SimCapture *capture, const char *dir,
                     const SimCaptureOptions *options, GError **error)
{
  g_autoptr (GString) name = g_string_new (NULL);
  SimPcapng *w = &capture->pcapng;

  capture->pcapng_path = g_build_filename (dir, "trace.pcapng", NULL);
  capture->pcapng_file = fopen (capture->pcapng_path, "wb");
  if (capture->pcapng_file == NULL)
    {
      int err = errno;

      g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_OPEN,
                   "%s: open failed: %s", capture->pcapng_path,
                   g_strerror (err));
      return false;
    }
  sim_pcapng_init (w, capture->pcapng_file);
  sim_pcapng_write_section (w, "simulated", "cloudrun-netsim",
                            options->application, options->section_comment);
  capture_write_interfaces (capture, name);
  return true;
}

SimCapture *
sim_capture_open (SimWorld *world, const char *dir,
                  const SimCaptureOptions *options, GError **error)
{
  SimCapture *capture;
  bool ok = true;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  capture = g_new0 (SimCapture, 1);
  capture->tap.klass = &capture_tap_class;
  capture->world = world;
  capture->links = g_ptr_array_new_with_free_func (capture_link_free);
  capture->scratch = g_string_sized_new (256);
  capture->comment_at = g_array_new (FALSE, FALSE, sizeof (gsize));
  capture->comments = g_ptr_array_new ();
  if (options->per_link_pcap)
    ok = capture_open_links (capture, dir, error);
  if (ok && options->pcapng)
    ok = capture_open_pcapng (capture, dir, options, error);
  if (!ok)
    {
      sim_capture_close (capture, NULL);
      return NULL;
    }
  return capture;
}

/* Tap: a link was made; its ports and files join the capture. */
static void
capture_link_added (SimTap *tap, SimLink *link)
{
  SimCapture *capture = (SimCapture *) tap;
  g_autoptr (GString) name = g_string_new (NULL);

  (void) link;
  if (capture->pcapng_file)
    capture_write_interfaces (capture, name);
  for (guint i = capture->n_links_open;
       capture->pcap_dir && i < sim_world_n_links (capture->world); i++)
    {
      capture_add_link (capture, sim_world_link (capture->world, i),
                        capture->pcap_dir);
      capture->n_links_open = i + 1;
    }
}

/* One pcap record: libpcap's header with tv_usec holding nanoseconds, as
 * it expects of a PCAP_TSTAMP_PRECISION_NANO pcap_t. */
static void
capture_pcap_packet (SimCapture *capture, SimCaptureLink *cl, SimTime t,
                     const uint8_t *frame, uint32_t len, uint32_t caplen)
{
  struct pcap_pkthdr header;

  g_assert (cl->capture == capture);
  if (!cl->opened)
    capture_link_open (capture, cl);
  if (cl->dumper == NULL)
    return;
  memset (&header, 0, sizeof header);
  header.ts.tv_sec = (time_t) (t / SIM_S);
  header.ts.tv_usec = (suseconds_t) (t % SIM_S);
  header.caplen = caplen;
  header.len = len;
  errno = 0;
  pcap_dump ((u_char *) cl->dumper, &header, frame);
  if (ferror (cl->file))
    capture_fail (capture, cl->path, errno);
  capture->pcap_bytes += 16 + (uint64_t) caplen;
}

/* Tap: keeps the frame as it arrived; the node may change or release it. */
static void
capture_arrived (SimTap *tap, SimPort *rx, SimTime t, const SimPacket *packet)
{
  SimCapture *capture = (SimCapture *) tap;

  (void) rx;
  (void) t;
  g_assert (packet->len <= sizeof capture->frame);
  memcpy (capture->frame, packet->data, packet->len);
  capture->frame_len = packet->len;
}

/* Writes a frame to trace.pcapng on interface if_id, with steps[0 ..
 * n_steps - 1] as its comments, one per step. */
static void
capture_pcapng_packet (SimCapture *capture, uint32_t if_id, SimTime t,
                       const uint8_t *data, uint32_t len,
                       const uint32_t *steps, uint32_t n_steps)
{
  uint32_t caplen = MIN (len, CAPTURE_SNAPLEN);

  if (capture->pcapng_file == NULL)
    return;
  g_string_truncate (capture->scratch, 0);
  g_array_set_size (capture->comment_at, 0);
  g_ptr_array_set_size (capture->comments, 0);
  for (uint32_t i = 0; i < n_steps; i++)
    {
      gsize at = capture->scratch->len;

      g_array_append_val (capture->comment_at, at);
      sim_explain_format (sim_world_explain (capture->world),
                          steps[i], capture->scratch);
      g_string_append_c (capture->scratch, '\0');
    }
  /* Pointers only once scratch has stopped growing. */
  for (uint32_t i = 0; i < n_steps; i++)
    g_ptr_array_add (capture->comments,
                     capture->scratch->str
                     + g_array_index (capture->comment_at, gsize, i));
  if (!sim_pcapng_write_packet (&capture->pcapng, if_id, (uint64_t) t, data,
                                caplen, len,
                                (const char *const *) capture->comments->pdata,
                                n_steps))
    capture_fail (capture, capture->pcapng_path, capture->pcapng.error);
}

/* Tap: writes the kept frame to its link's pcap and to trace.pcapng. */
static void
capture_handled (SimTap *tap, SimPort *rx_port, SimTime t,
                 const uint32_t *steps, uint32_t n_steps)
{
  SimCapture *capture = (SimCapture *) tap;
  uint32_t len = capture->frame_len;
  uint32_t link_id;

  g_assert (t >= 0);
  g_assert (rx_port->link != NULL);
  link_id = sim_link_id (rx_port->link);
  if (link_id < capture->links->len)
    capture_pcap_packet (capture, g_ptr_array_index (capture->links, link_id),
                         t, capture->frame, len, MIN (len, CAPTURE_SNAPLEN));
  capture_pcapng_packet (capture, rx_port->if_id, t, capture->frame, len,
                         steps, n_steps);
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
    capture_pcapng_packet (capture, tx_port->if_id, t, packet->data,
                           packet->len, steps, n_steps);
}

/* Tap: session secrets go into trace.pcapng as a decryption secrets
 * block, before the frames they decrypt, and into DIR/pcap/tls-keys.log
 * for the per-link pcaps. */
static void
capture_secrets (SimTap *tap, const char *keylog_line)
{
  SimCapture *capture = (SimCapture *) tap;
  uint32_t len = (uint32_t) strlen (keylog_line);

  if (capture->pcapng_file
      && !sim_pcapng_write_secrets (&capture->pcapng, SIM_PCAPNG_SECRETS_TLS,
                                    (const uint8_t *) keylog_line, len))
    capture_fail (capture, capture->pcapng_path, capture->pcapng.error);
  if (capture->pcap_dir == NULL)
    return;
  if (capture->keylog_path == NULL)
    {
      capture->keylog_path = g_build_filename (capture->pcap_dir,
                                               SIM_CAPTURE_KEYLOG_NAME, NULL);
      capture->keylog_file = fopen (capture->keylog_path, "wb");
      if (capture->keylog_file == NULL)
        capture_fail (capture, capture->keylog_path, errno);
    }
  if (capture->keylog_file == NULL)
    return;
  errno = 0;
  if (fwrite (keylog_line, 1, len, capture->keylog_file) != len)
    capture_fail (capture, capture->keylog_path, errno);
  capture->pcap_bytes += len;
}

SimTap *
sim_capture_tap (SimCapture *capture)
{
  return &capture->tap;
}

static void
capture_pcapng_close (SimCapture *capture)
{
  FILE *file = capture->pcapng_file;

  if (file == NULL)
    return;
  if (capture->pcapng.error != 0)
    capture_fail (capture, capture->pcapng_path, capture->pcapng.error);
  errno = 0;
  if (fflush (file) != 0 || ferror (file))
    capture_fail (capture, capture->pcapng_path, errno);
  errno = 0;
  if (fclose (file) != 0)
    capture_fail (capture, capture->pcapng_path, errno);
  capture->pcapng_file = NULL;
}

bool
sim_capture_close (SimCapture *capture, GError **error)
{
  bool ok;

  if (capture == NULL)
    return true;
  for (guint i = 0; i < capture->links->len; i++)
    capture_link_close (capture, g_ptr_array_index (capture->links, i));
  capture_pcapng_close (capture);
  if (capture->keylog_file)
    {
      errno = 0;
      if (fclose (capture->keylog_file) != 0)
        capture_fail (capture, capture->keylog_path, errno);
    }
  /* failed_path points into capture->links, pcapng_path or keylog_path,
   * freed below. */
  ok = capture->failed_errno == 0;
  if (!ok)
    g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_WRITE,
                 "%s: write failed: %s", capture->failed_path,
                 g_strerror (capture->failed_errno));
  g_ptr_array_unref (capture->links);
  g_string_free (capture->scratch, TRUE);
  g_array_free (capture->comment_at, TRUE);
  g_ptr_array_free (capture->comments, TRUE);
  g_free (capture->pcapng_path);
  g_free (capture->pcap_dir);
  g_free (capture->keylog_path);
  g_free (capture);
  return ok;
}

uint64_t
sim_capture_bytes_written (const SimCapture *capture)
{
  return capture->pcap_bytes + capture->pcapng.bytes;
}
