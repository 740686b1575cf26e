/* requests.jsonl (see tools/report/requests.h). Each line is a JsonObject
 * written by json-glib's JsonGenerator (compact) into a GString, then through a
 * stdio buffer; the first failed write is remembered, later lines are skipped,
 * and end reports it. A run of requests never begun (the ledger shows them
 * once, with their count) is one line, the first of them with never_begun = the
 * count: the file follows the requests that began, not the count a traffic
 * asked for. */
#include "tools/report/requests.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  CloudRunWorld *world;         /* not owned */
  char *path;                   /* staging/requests.jsonl, for errors */
  FILE *file;                   /* NULL once closed */
  int error;                    /* errno of the first failed write; 0 */
  guint64 bytes;                /* written so far (handed to stdio) */
  JsonGenerator *gen;
  GString *line;
} RequestsWriter;

static void
set_str (JsonObject *o, const char *name, const char *value)
{
  if (value)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

static void
set_int_or_null (JsonObject *o, const char *name, gboolean has,
                 gint64 value)
{
  if (has)
    json_object_set_int_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

/* The line of r (the members in the order of tools/report/requests.h); begun
 * FALSE for a request that never began (r is then a blank record). */
static JsonObject *
request_object (const CloudRunWorld *world, const CloudRunRequest *r,
                gboolean begun)
{
  JsonObject *o = json_object_new ();
  JsonArray *via = json_array_sized_new (r->n_via);
  gboolean decided = begun && (int) r->decided_at >= 0;

  json_object_set_string_member (o, "traffic", world->plans[r->traffic].name);
  json_object_set_int_member (o, "index", (gint64) r->index + 1);
  json_object_set_int_member (o, "id", r->id);
  set_int_or_null (o, "start_ns", begun, r->start);
  set_int_or_null (o, "end_ns", begun && r->finished, r->end);
  json_object_set_string_member (o, "outcome",
                                 cloudrun_verdict_name (r->outcome));
  set_int_or_null (o, "status", r->status > 0, r->status);
  set_str (o, "classified", r->classified ? cloudrun_class_name (r->classified)
                                          : NULL);
  set_str (o, "cause", r->drop_cause != CLOUDRUN_DROP_NONE
                       ? cloudrun_drop_cause_name (r->drop_cause) : NULL);
  set_str (o, "decided_at", decided ? cloudrun_hop_name (r->decided_at)
                                    : NULL);
  set_str (o, "decided_node", decided ? r->decided_node : NULL);
  set_int_or_null (o, "latency_ns", r->status > 0, r->end - r->start);
  for (uint8_t i = 0; i < r->n_via; i++)
    json_array_add_string_element (via, cloudrun_hop_name (r->via[i]));
  json_object_set_array_member (o, "via", via);
  /* Only where a service has revisions: older lines stay as they were. */
  if (begun && r->revision)
    json_object_set_string_member (o, "revision", r->revision);
  return o;
}

/* Writes o as one line, unless a write failed already. */
static void
write_line (RequestsWriter *w, JsonObject *o)
{
  g_autoptr (JsonNode) node = NULL;

  if (w->error || !w->file)
    return;
  node = json_node_init_object (json_node_alloc (), o);
  json_generator_set_root (w->gen, node);
  g_string_truncate (w->line, 0);
  json_generator_to_gstring (w->gen, w->line);
  g_string_append_c (w->line, '\n');
  errno = 0;
  if (fwrite (w->line->str, 1, w->line->len, w->file) != w->line->len)
    w->error = errno ? errno : EIO;
  w->bytes += w->line->len;
}

static void
requests_settle (void *user, const CloudRunRequest *r, uint32_t times)
{
  RequestsWriter *w = user;
  /* A blank record (never begun) is not the ledger's. */
  gboolean begun = cloudrun_ledger_get (&w->world->ledger, r->id) == r;
  g_autoptr (JsonObject) o = NULL;

  if (w->error || !w->file)
    return;
  o = request_object (w->world, r, begun);
  if (!begun)
    json_object_set_int_member (o, "never_begun", times);
  write_line (w, o);
}

static void
requests_writer_free (gpointer p)
{
  RequestsWriter *w = p;

  if (w->file)
    fclose (w->file);
  g_clear_object (&w->gen);
  g_string_free (w->line, TRUE);
  g_free (w->path);
  g_free (w);
}

void
tools_requests_begin_stream (CloudRunWorld *world, FILE *f, const char *name)
{
  RequestsWriter *w = g_new0 (RequestsWriter, 1);

  w->world = world;
  w->path = g_strdup (name);
  w->file = f;
  w->gen = json_generator_new ();
  w->line = g_string_sized_new (512);
  cloudrun_ledger_watch (&world->ledger, requests_settle, w,
                         requests_writer_free);
}

gboolean
tools_requests_begin (CloudRunWorld *world, ToolsOutput *out, GError **error)
{
  g_autofree char *path = g_build_filename (out->staging, TOOLS_REQUESTS_NAME,
                                            NULL);
  FILE *f = fopen (path, "wxe");

  if (!f)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot create it: %s", path, g_strerror (e));
      return FALSE;
    }
  tools_requests_begin_stream (world, f, path);
  return TRUE;
}

gboolean
tools_requests_end (CloudRunWorld *world, GError **error)
{
  RequestsWriter *w = cloudrun_ledger_watcher (&world->ledger,
                                               requests_settle);
  int e;

  g_return_val_if_fail (w != NULL && w->file != NULL, FALSE);
  g_assert (world->ledger.closed);
  e = w->error;
  if (fflush (w->file) != 0 && !e)
    e = errno ? errno : EIO;
  if (fclose (w->file) != 0 && !e)
    e = errno ? errno : EIO;
  w->file = NULL;
  if (e)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot write it: %s", w->path, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

guint64
tools_requests_bytes (CloudRunWorld *world)
{
  RequestsWriter *w = cloudrun_ledger_watcher (&world->ledger,
                                               requests_settle);

  return w ? w->bytes : 0;
}
