/* The capture's files, written from records (sim/capture-writer.h).
 *
 * Called by sim/capture.c: open and close on the caller's thread, before
 * the writer thread starts and after it stopped; consume on the writer
 * thread (or on the caller's without one).
 *
 * Invariants:
 * - Records are carried out in stream order: an IDB, a link or a secret
 *   lands before the frames recorded after it, as if written at once.
 * - Per-link files are opened at the link's first frame, in stream
 *   order. libpcap writes each file's header (pcap_dump_fopen on our own
 *   FILE*, unbuffered); the records after it are made here in one block
 *   buffer per file (sim/block-out.h), written when full and at close,
 *   the bytes pcap_dump() would write: struct
 *   pcap_sf_pkthdr (32-bit seconds, nanoseconds, caplen, len; host byte
 *   order) and the data, nothing once the stream has an error.
 * - Errors are sticky: the first (a path and an errno) is kept for close;
 *   later ones are ignored and writing goes on, as on one thread.
 * - Nothing allocates per frame: comments is reused. */

/* libpcap's headers use u_char and u_int, which glibc hides under a
 * strict -std=c11 unless asked. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include "sim/capture-writer.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include "sim/capture.h"

#define LINKTYPE_ETHERNET 1     /* pcapng link type of DLT_EN10MB */
/* Block buffers: a write to the kernel per this many bytes. */
#define PCAPNG_BUFFER ((size_t) 1 << 20)
#define LINK_BUFFER ((size_t) 64 << 10)
#define PCAP_RECORD_HEADER 16   /* sizeof (struct pcap_sf_pkthdr) */

typedef struct {
  char *path;                   /* owned: DIR/pcap/LINK.pcap */
  const char *name;             /* LINK.pcap, inside path */
  uint64_t frames;              /* frames written to it */
  FILE *file;                   /* owned */
  SimBlockOut out;              /* file's records, written in blocks */
  pcap_t *dead;                 /* owned: the link type and precision */
  bool opened;                  /* its first frame came: file tried */
  bool failed;                  /* a write failed: no more records */
} CaptureWriterLink;

static void
writer_fail (CaptureWriter *w, const char *path, int err)
{
  if (w->failed_errno != 0)
    return;
  w->failed_path = path;
  w->failed_errno = err != 0 ? err : EIO;
}

static void
writer_link_free (gpointer data)
{
  CaptureWriterLink *cl = data;

  g_free (cl->path);
  sim_block_out_clear (&cl->out);
  g_free (cl);
}

void
capture_writer_init (CaptureWriter *w)
{
  memset (w, 0, sizeof *w);
  w->links = g_ptr_array_new_with_free_func (writer_link_free);
  w->comments = g_ptr_array_new ();
  w->snaplen = SIM_CAPTURE_SNAPLEN_MAX;
}

bool
capture_writer_open_pcap_dir (CaptureWriter *w, const char *dir,
                              GError **error)
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
  w->pcap_dir = g_steal_pointer (&pcap_dir);
  return true;
}

bool
capture_writer_open_pcapng (CaptureWriter *w, const char *dir,
                            const char *application,
                            const char *section_comment, GError **error)
{
  w->pcapng_path = g_build_filename (dir, "trace.pcapng", NULL);
  w->pcapng_file = fopen (w->pcapng_path, "wb");
  if (w->pcapng_file == NULL)
    {
      int err = errno;

      g_set_error (error, SIM_CAPTURE_ERROR, SIM_CAPTURE_ERROR_OPEN,
                   "%s: open failed: %s", w->pcapng_path, g_strerror (err));
      return false;
    }
  sim_block_out_init (&w->pcapng_block, w->pcapng_file, PCAPNG_BUFFER);
  sim_pcapng_init_block (&w->pcapng, &w->pcapng_block);
  sim_pcapng_write_section (&w->pcapng, "simulated", "cloudrun-netsim",
                            application, section_comment);
  return true;
}

/* Opens cl's file and writes its header; a failure is kept for close and
 * leaves cl without a file. */
static void
writer_link_open (CaptureWriter *w, CaptureWriterLink *cl)
{
  pcap_dumper_t *dumper;

  cl->opened = true;
  errno = 0;
  cl->file = fopen (cl->path, "wb");
  if (cl->file == NULL)
    {
      writer_fail (w, cl->path, errno);
      return;
    }
  sim_block_out_init (&cl->out, cl->file, LINK_BUFFER);
  cl->dead = pcap_open_dead_with_tstamp_precision (
    DLT_EN10MB, (int) w->snaplen, PCAP_TSTAMP_PRECISION_NANO);
  if (cl->dead == NULL)
    {
      writer_fail (w, cl->path, ENOMEM);
      fclose (cl->file);
      cl->file = NULL;
      return;
    }
  errno = 0;
  dumper = pcap_dump_fopen (cl->dead, cl->file);
  if (dumper == NULL)
    {
      /* pcap_dump_fopen() has already fclose()d the file on failure. */
      cl->file = NULL;
      writer_fail (w, cl->path, errno);
      return;
    }
  w->pcap_bytes += 24;          /* the pcap file header */
}

static void
put_host_u32 (uint8_t *p, uint32_t v)
{
  memcpy (p, &v, sizeof v);
}

/* One pcap record, as pcap_dump() writes it for a
 * PCAP_TSTAMP_PRECISION_NANO pcap_t: tv_usec holds nanoseconds; caplen
 * bytes of frame were kept of len. */
static void
writer_pcap_frame (CaptureWriter *w, uint32_t link_id, SimTime t,
                   const uint8_t *frame, uint32_t caplen, uint32_t len)
{
  CaptureWriterLink *cl;
  uint8_t *record, header[PCAP_RECORD_HEADER];
  uint64_t at = (uint64_t) (w->epoch_ns + t);

  g_assert (link_id < w->links->len);
  cl = g_ptr_array_index (w->links, link_id);
  if (!cl->opened)
    writer_link_open (w, cl);
  if (cl->file == NULL)
    return;
  w->pcap_bytes += PCAP_RECORD_HEADER + (uint64_t) caplen;
  cl->frames++;
  if (cl->failed)
    return;
  /* Made in place in the file's block; a failed block write is the
   * error (ferror at close catches a late one). */
  record = PCAP_RECORD_HEADER + caplen <= LINK_BUFFER
           ? sim_block_out_reserve (&cl->out, PCAP_RECORD_HEADER + caplen)
           : header;
  if (record == NULL)
    {
      cl->failed = true;
      writer_fail (w, cl->path, cl->out.error);
      return;
    }
  put_host_u32 (record, (uint32_t) (at / SIM_S));
  put_host_u32 (record + 4, (uint32_t) (at % SIM_S));
  put_host_u32 (record + 8, caplen);
  put_host_u32 (record + 12, len);
  if (record != header)
    memcpy (record + PCAP_RECORD_HEADER, frame, caplen);
  else if (!sim_block_out_write (&cl->out, header, sizeof header)
           || !sim_block_out_write (&cl->out, frame, caplen))
    {
      cl->failed = true;
      writer_fail (w, cl->path, cl->out.error);
    }
}

/* The comments of the frame just written to link_id's pcap, as lines of
 * pcap/comments.tsv (opened with its header at the first). */
static void
writer_link_comments (CaptureWriter *w, uint32_t link_id,
                      const char *comments, uint32_t n_comments)
{
  CaptureWriterLink *cl = g_ptr_array_index (w->links, link_id);
  int n;

  if (cl->file == NULL)
    return;
  if (w->comments_path == NULL)
    {
      w->comments_path = g_build_filename (w->pcap_dir,
                                           SIM_CAPTURE_COMMENTS_NAME, NULL);
      errno = 0;
      w->comments_file = fopen (w->comments_path, "wb");
      if (w->comments_file == NULL)
        writer_fail (w, w->comments_path, errno);
      else if ((n = fprintf (w->comments_file, "file\tframe\tcomment\n")) > 0)
        w->pcap_bytes += (uint64_t) n;
    }
  if (w->comments_file == NULL)
    return;
  for (uint32_t i = 0; i < n_comments; i++)
    {
      errno = 0;
      n = fprintf (w->comments_file, "%s\t%" G_GUINT64_FORMAT "\t%s\n",
                   cl->name, cl->frames, comments);
      if (n < 0)
        writer_fail (w, w->comments_path, errno);
      else
        w->pcap_bytes += (uint64_t) n;
      comments += strlen (comments) + 1;
    }
}

static void
writer_pcapng_frame (CaptureWriter *w, const CaptureRecFrame *f,
                     const uint8_t *frame, const char *comments)
{
  g_ptr_array_set_size (w->comments, 0);
  for (uint32_t i = 0; i < f->n_comments; i++)
    {
      g_ptr_array_add (w->comments, (gpointer) comments);
      comments += strlen (comments) + 1;
    }
  if (!sim_pcapng_write_packet (&w->pcapng, f->if_id,
                                (uint64_t) (w->epoch_ns + f->t),
                                frame, f->caplen, f->len,
                                (const char *const *) w->comments->pdata,
                                f->n_comments))
    writer_fail (w, w->pcapng_path, w->pcapng.error);
}

static void
writer_secrets (CaptureWriter *w, const char *line)
{
  uint32_t len = (uint32_t) strlen (line);

  if (w->pcapng_file
      && !sim_pcapng_write_secrets (&w->pcapng, SIM_PCAPNG_SECRETS_TLS,
                                    (const uint8_t *) line, len))
    writer_fail (w, w->pcapng_path, w->pcapng.error);
  if (w->pcap_dir == NULL)
    return;
  if (w->keylog_path == NULL)
    {
      w->keylog_path = g_build_filename (w->pcap_dir,
                                         SIM_CAPTURE_KEYLOG_NAME, NULL);
      w->keylog_file = fopen (w->keylog_path, "wb");
      if (w->keylog_file == NULL)
        writer_fail (w, w->keylog_path, errno);
    }
  if (w->keylog_file == NULL)
    return;
  errno = 0;
  if (fwrite (line, 1, len, w->keylog_file) != len)
    writer_fail (w, w->keylog_path, errno);
  w->pcap_bytes += len;
}

static void
writer_record (CaptureWriter *w, const CaptureRec *rec)
{
  const char *body = (const char *) rec + sizeof *rec;

  switch (rec->type)
    {
    case CAPTURE_REC_INTERFACE:
      sim_pcapng_write_interface (&w->pcapng, LINKTYPE_ETHERNET,
                                  w->snaplen, body,
                                  body + strlen (body) + 1);
      if (w->pcapng.error != 0)
        writer_fail (w, w->pcapng_path, w->pcapng.error);
      break;
    case CAPTURE_REC_LINK:
      {
        CaptureWriterLink *cl = g_new0 (CaptureWriterLink, 1);
        g_autofree char *name = g_strconcat (body, ".pcap", NULL);

        cl->path = g_build_filename (w->pcap_dir, name, NULL);
        cl->name = cl->path + strlen (cl->path) - strlen (name);
        g_ptr_array_add (w->links, cl);
      }
      break;
    case CAPTURE_REC_FRAME:
      {
        const CaptureRecFrame *f = (const CaptureRecFrame *) rec;
        const uint8_t *frame = (const uint8_t *) (f + 1);

        if (f->link_id != CAPTURE_NO_LINK)
          {
            writer_pcap_frame (w, f->link_id, f->t, frame, f->caplen,
                               f->len);
            if (f->n_comments > 0)
              writer_link_comments (w, f->link_id,
                                    (const char *) frame + f->caplen,
                                    f->n_comments);
          }
        if (f->if_id != CAPTURE_NO_INTERFACE)
          writer_pcapng_frame (w, f, frame,
                               (const char *) frame + f->caplen);
      }
      break;
    case CAPTURE_REC_SECRETS:
      writer_secrets (w, body);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
capture_writer_consume (gpointer data, const uint8_t *bytes, size_t len)
{
  CaptureWriter *w = data;
  size_t at = 0;

  while (at < len)
    {
      const CaptureRec *rec = (const CaptureRec *) (bytes + at);

      g_assert (rec->size >= sizeof *rec && rec->size % 8 == 0
                && rec->size <= len - at);
      writer_record (w, rec);
      at += rec->size;
    }
}

/* Flushes and closes file, keeping the first failure as path's. */
static void
writer_close_file (CaptureWriter *w, FILE *file, const char *path)
{
  errno = 0;
  if (fflush (file) != 0 || ferror (file))
    writer_fail (w, path, errno);
  errno = 0;
  if (fclose (file) != 0)
    writer_fail (w, path, errno);
}

/* libpcap's pcap_dump_close() is (void) fclose (file) on the FILE* that
 * pcap_dump_fopen() returned as the dumper (sf-pcap.c): it owns nothing
 * else, so fclose() is its destructor and here we can see the result. */
void
capture_writer_close (CaptureWriter *w)
{
  for (guint i = 0; i < w->links->len; i++)
    {
      CaptureWriterLink *cl = g_ptr_array_index (w->links, i);

      if (cl->file && !sim_block_out_flush (&cl->out))
        writer_fail (w, cl->path, cl->out.error);
      if (cl->file)
        writer_close_file (w, cl->file, cl->path);
      cl->file = NULL;
      if (cl->dead)
        pcap_close (cl->dead);
      cl->dead = NULL;
    }
  if (w->pcapng_file)
    {
      if (w->pcapng.error != 0)
        writer_fail (w, w->pcapng_path, w->pcapng.error);
      if (!sim_block_out_flush (&w->pcapng_block))
        writer_fail (w, w->pcapng_path, w->pcapng_block.error);
      writer_close_file (w, w->pcapng_file, w->pcapng_path);
      w->pcapng_file = NULL;
    }
  if (w->keylog_file)
    {
      errno = 0;
      if (fclose (w->keylog_file) != 0)
        writer_fail (w, w->keylog_path, errno);
      w->keylog_file = NULL;
    }
  if (w->comments_file)
    {
      writer_close_file (w, w->comments_file, w->comments_path);
      w->comments_file = NULL;
    }
}

void
capture_writer_clear (CaptureWriter *w)
{
  g_ptr_array_unref (w->links);
  g_ptr_array_free (w->comments, TRUE);
  g_free (w->pcap_dir);
  g_free (w->pcapng_path);
  sim_block_out_clear (&w->pcapng_block);
  g_free (w->keylog_path);
  g_free (w->comments_path);
  memset (w, 0, sizeof *w);
}
