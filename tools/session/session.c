/* The door's sessions (see tools/session/cloudrun-netsim.h): load and
 * build, run in the caller's slices, finish. No clock is read here. */
#include "tools/session/session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/assemble/build.h"
#include "models/format/keys.h"
#include "sim/units.h"
#include "tools/report/requests.h"

#define TLS_NOTE "https is TLS 1.2 on port 443 with a NULL cipher "     \
                 "(TLS_RSA_WITH_NULL_SHA256); its keys are in this file "    \
                 "(decryption secrets blocks) and in pcap/tls-keys.log, so "  \
                 "Wireshark shows the HTTP/1.1 inside"

G_STATIC_ASSERT (sizeof CLOUDRUN_KEYLOG_NAME == sizeof SIM_CAPTURE_KEYLOG_NAME);
G_STATIC_ASSERT (sizeof CLOUDRUN_COMMENTS_NAME
                 == sizeof SIM_CAPTURE_COMMENTS_NAME);

G_DEFINE_QUARK (cloudrun-session-error-quark, cloudrun_session_error)

static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a directory";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "something that is not a regular file";
}

/* Reads the scenario: a regular file of at most CLOUDRUN_SCENARIO_MAX_BYTES
 * bytes. Opened non-blocking so that a FIFO is refused, not waited on;
 * read to one byte past the limit in case it grew since fstat. */
static gboolean
read_scenario (const char *path, char **data, gsize *len, GError **error)
{
  int fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  g_autofree char *buf = NULL;
  g_autofree char *found = NULL;
  gsize got = 0;

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot read the scenario: %s", path, g_strerror (e));
      return FALSE;
    }
  if (S_ISREG (st.st_mode) && st.st_size <= CLOUDRUN_SCENARIO_MAX_BYTES)
    {
      buf = g_malloc (CLOUDRUN_SCENARIO_MAX_BYTES + 2);
      while (got <= CLOUDRUN_SCENARIO_MAX_BYTES)
        {
          ssize_t n = read (fd, buf + got,
                            CLOUDRUN_SCENARIO_MAX_BYTES + 1 - got);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              int e = errno;
              close (fd);
              g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                           "%s: cannot read the scenario: %s", path,
                           g_strerror (e));
              return FALSE;
            }
          if (n == 0)
            break;
          got += (gsize) n;
        }
    }
  close (fd);
  if (!S_ISREG (st.st_mode))
    found = g_strdup (file_kind (st.st_mode));
  else if (st.st_size > CLOUDRUN_SCENARIO_MAX_BYTES
           || got > CLOUDRUN_SCENARIO_MAX_BYTES)
    found = g_strdup_printf ("a file of %" G_GINT64_FORMAT " bytes",
                             (gint64) MAX ((goffset) got, st.st_size));
  if (found)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected a regular file of at most %d MiB, found %s",
                   path, CLOUDRUN_SCENARIO_MAX_BYTES >> 20, found);
      return FALSE;
    }
  buf[got] = '\0';
  *data = g_steal_pointer (&buf);
  *len = got;
  return TRUE;
}

CloudRunSession *
cloudrun_session_load (const char *name, const char *text, gsize len,
                       const CloudRunEdits *edits, GError **error)
{
  g_autoptr (CloudRunSession) s = g_new0 (CloudRunSession, 1);
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);

  s->loaded_us = g_get_monotonic_time ();
  /* A copy with a NUL after it, for re-runs (what-if). */
  s->text = g_malloc (len + 1);
  memcpy (s->text, text, len);
  s->text[len] = '\0';
  s->len = len;
  if (edits)
    {
      s->sets = g_strdupv ((char **) edits->sets);
      s->unsets = g_strdupv ((char **) edits->unsets);
      s->has_seed = edits->has_seed;
      s->seed = edits->seed;
    }
  for (char **p = s->sets; p && *p; p++)
    g_ptr_array_add (sets, g_strdup (*p));
  if (s->has_seed)
    g_ptr_array_add (sets, g_strdup_printf ("scenario.seed=%" G_GUINT64_FORMAT,
                                            s->seed));
  g_ptr_array_add (sets, NULL);
  s->run.scenario = cloudrun_scenario_load_full (
      name, s->text, len, (const char *const *) sets->pdata,
      (const char *const *) s->unsets, error);
  if (!s->run.scenario
      || !(s->run.world = cloudrun_world_build (s->run.scenario, error)))
    return NULL;
  cloudrun_expect_watch (s->run.scenario, s->run.world);
  s->provenance = tools_provenance_new (
      s->run.scenario, s->text, s->len, (const char *const *) s->sets,
      (const char *const *) s->unsets, s->has_seed);
  return g_steal_pointer (&s);
}

CloudRunSession *
cloudrun_session_load_file (const char *path, const CloudRunEdits *edits,
                            GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!read_scenario (path, &data, &len, error))
    return NULL;
  return cloudrun_session_load (path, data, len, edits, error);
}

void
cloudrun_session_free (CloudRunSession *s)
{
  if (!s)
    return;
  if (s->capture)
    {
      sim_world_set_tap (s->run.world->sim, NULL);
      sim_capture_close (s->capture, NULL);
    }
  if (s->run.checks)
    g_array_unref (s->run.checks);
  g_free (s->run.summaries);
  g_free (s->run.graph_warning);
  tools_provenance_free (s->provenance);
  cloudrun_world_free (s->run.world);
  cloudrun_scenario_free (s->run.scenario);
  g_strfreev (s->sets);
  g_strfreev (s->unsets);
  g_free (s->text);
  free (s->requests_mem);
  g_free (s);
}

/* ---- What the scenario holds ---------------------------------------- */

const char *
cloudrun_session_path (const CloudRunSession *s)
{
  return s->run.scenario->path;
}

const char *
cloudrun_session_title (const CloudRunSession *s)
{
  return s->run.scenario->title;
}

guint64
cloudrun_session_seed (const CloudRunSession *s)
{
  return s->run.scenario->seed;
}

guint64
cloudrun_session_duration (const CloudRunSession *s)
{
  return (guint64) s->run.scenario->duration;
}

guint
cloudrun_session_n_traffics (const CloudRunSession *s)
{
  return s->run.world->n_plans;
}

const char *
cloudrun_session_traffic_name (const CloudRunSession *s, guint t)
{
  g_return_val_if_fail (t < s->run.world->n_plans, NULL);
  return s->run.world->plans[t].name;
}

guint
cloudrun_session_traffic_requests (const CloudRunSession *s, guint t)
{
  g_return_val_if_fail (t < s->run.world->n_plans, 0);
  return s->run.world->plans[t].count;
}

gboolean
cloudrun_session_find_traffic (const CloudRunSession *s, const char *name,
                               guint *traffic, GError **error)
{
  const CloudRunWorld *w = s->run.world;
  g_autofree const char **names = g_new0 (const char *, w->n_plans + 1);
  const char *near;

  for (guint t = 0; t < w->n_plans; t++)
    {
      if (strcmp (w->plans[t].name, name) == 0)
        {
          *traffic = t;
          return TRUE;
        }
      names[t] = w->plans[t].name;
    }
  near = cloudrun_suggest (name, names);
  g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
               "%s: --traffic: expected the NAME of a [traffic] group, found "
               "'%s'%s%s%s", s->run.scenario->path, name,
               near ? "; did you mean '" : "", near ? near : "",
               near ? "'?" : "");
  return FALSE;
}

guint
cloudrun_session_n_services (const CloudRunSession *s)
{
  return s->run.scenario->services->len;
}

void
cloudrun_session_service (const CloudRunSession *s, guint i, const char **name,
                          const char **url, const char **number_url)
{
  const CloudRunSpecService *svc = g_ptr_array_index (s->run.scenario->services,
                                                  i);

  *name = svc->base.name;
  *url = svc->url;
  *number_url = svc->number_url;
}

guint
cloudrun_session_n_managed (const CloudRunSession *s)
{
  return s->run.scenario->managed_instances->len;
}

void
cloudrun_session_managed (const CloudRunSession *s, guint i,
                          const char **name, char **url)
{
  const CloudRunSpecManagedInstance *m
    = g_ptr_array_index (s->run.scenario->managed_instances, i);
  char addr[16];

  *name = m->base.name;
  *url = g_strdup_printf ("tcp://%s:%u", sim_ipv4_to_string (m->address,
                                                             addr),
                          cloudrun_product_port (m->product));
}

guint
cloudrun_session_n_revisions (const CloudRunSession *s, guint i)
{
  const CloudRunSpecService *svc = g_ptr_array_index (s->run.scenario->services,
                                                      i);

  return svc->revisions->len;
}

void
cloudrun_session_revision (const CloudRunSession *s, guint i, guint k,
                           const char **name, guint *percent, const char **tag,
                           const char **tag_host, const char **tag_number_host)
{
  const CloudRunSpecService *svc = g_ptr_array_index (s->run.scenario->services,
                                                      i);
  const CloudRunSpecRevision *r = g_ptr_array_index (svc->revisions, k);

  *name = r->base.name;
  *percent = (guint) r->percent;
  *tag = r->tag;
  *tag_host = r->tag_hash_host;
  *tag_number_host = r->tag_number_host;
}

/* ---- Outputs -------------------------------------------------------- */

gboolean
cloudrun_output_options_check (const CloudRunOutputOptions *options,
                               GError **error)
{
  GError *why = NULL;

  if (options->snaplen != 0
      && (options->snaplen < SIM_CAPTURE_SNAPLEN_MIN
          || options->snaplen > SIM_CAPTURE_SNAPLEN_MAX))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "--snaplen: expected %u (an Ethernet header) to %u bytes, "
                   "found %u", SIM_CAPTURE_SNAPLEN_MIN,
                   SIM_CAPTURE_SNAPLEN_MAX, options->snaplen);
      return FALSE;
    }
  if (!sim_capture_check_filter (options->capture_filter, &why))
    {
      g_set_error (error, CLOUDRUN_SESSION_ERROR, CLOUDRUN_SESSION_ERROR_USAGE,
                   "--capture-filter: expected a filter in tcpdump's syntax "
                   "(pcap-filter(7)), such as 'tcp port 443 and host "
                   "10.0.0.2'; %s", why->message);
      g_error_free (why);
      return FALSE;
    }
  return TRUE;
}

guint64
cloudrun_session_output_estimate (const CloudRunSession *s,
                                  const CloudRunOutputOptions *opt)
{
  const ToolsRun *run = &s->run;
  const CloudRunWorld *world = run->world;
  const GPtrArray *services = run->scenario->services;
  guint64 response = 1024, total = 0;   /* VMs and clients answer 1 KiB */
  unsigned kinds = !opt ? 0 : (opt->capture == CLOUDRUN_CAPTURE_ALL) ? 2
                   : (opt->capture == CLOUDRUN_CAPTURE_NONE) ? 0 : 1;

  /* What a capture filter keeps cannot be told before the run. */
  if (opt && opt->capture_filter && *opt->capture_filter)
    return 0;

  for (guint i = 0; i < services->len; i++)
    response = MAX (response, ((const CloudRunSpecService *)
                               g_ptr_array_index (services, i))->response_size);
  for (guint t = 0; t < world->n_plans; t++)
    {
      const CloudRunTrafficPlan *p = &world->plans[t];
      SimTime pace = p->poisson ? p->mean_interval : p->interval;
      double n = p->count, per, bytes;

      /* Requests due after duration never start. */
      if (p->start >= run->scenario->duration)
        n = 0;
      else if (pace > 0)
        n = MIN (n, (double) ((run->scenario->duration - p->start) / pace)
                    + 1.0);
      per = ((double) p->request_size + (double) response) * 1.05 + 3000.0;
      /* About one frame per 1460 bytes and sixteen more, each cut. */
      if (opt && opt->snaplen)
        per = MIN (per, (per / 1460.0 + 16.0) * opt->snaplen);
      bytes = per * n * CLOUDRUN_ESTIMATE_LINKS * kinds;
      total = bytes >= (double) (G_MAXUINT64 - total) ? G_MAXUINT64
              : total + (guint64) bytes;
    }
  return total;
}

/* A capture keeps each link's pcap open from its first frame on: a
 * thousand instances pass the usual soft limit of 1024 open files, so the
 * soft limit goes up to the hard one. */
static void
run_raise_file_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      (void) setrlimit (RLIMIT_NOFILE, &rl);
    }
}

/* ---- Running ------------------------------------------------------- */

gboolean
cloudrun_session_start (CloudRunSession *s, CloudRunOutputDir *dir,
                        const CloudRunOutputOptions *opt, GString *warnings,
                        GError **error)
{
  CloudRunOutputOptions none = { .capture = CLOUDRUN_CAPTURE_NONE,
                                 .no_requests = TRUE };

  g_return_val_if_fail (!s->started, FALSE);
  s->started = TRUE;
  if (!opt || !dir)
    opt = &none;
  if (warnings)
    {
      tools_run_warn_scenario (&s->run, warnings);
      tools_run_warn_duration (&s->run, warnings);
    }
  /* requests.jsonl is a report, not a capture: written whatever the
   * capture options say, as the requests settle. */
  if (s->keep_requests)
    {
      FILE *f = open_memstream (&s->requests_mem, &s->requests_mem_len);
      if (!f)
        g_error ("open_memstream: %s", g_strerror (errno));
      tools_requests_begin_stream (s->run.world, f, TOOLS_REQUESTS_NAME);
      s->requests_on = TRUE;
    }
  else if (!opt->no_requests)
    {
      if (!tools_requests_begin (s->run.world, &dir->out, error))
        return FALSE;
      s->requests_on = TRUE;
    }
  if (opt->capture != CLOUDRUN_CAPTURE_NONE)
    {
      g_autoptr (GString) note = g_string_new (NULL);
      SimCaptureOptions copt = {
        opt->capture != CLOUDRUN_CAPTURE_LINKS,
        opt->capture != CLOUDRUN_CAPTURE_TRACE,
        "cloudrun-netsim " PACKAGE_VERSION, NULL,
        /* Tests compare the files written with and without the capture's
         * writer thread (tests/scenarios/capture-thread.sh). */
        g_strcmp0 (g_getenv ("CLOUDRUN_NETSIM_CAPTURE_WRITER"), "sync") == 0,
        s->run.scenario->start_time * SIM_S, opt->capture_filter,
        opt->snaplen };

      /* Capture File Properties shows how the file was made, then TLS. */
      g_string_append_printf (note, "%s: %s\n" TLS_NOTE "\n",
                              s->provenance->file, s->run.scenario->title);
      tools_provenance_text (note, s->provenance);
      if (opt->capture_filter && *opt->capture_filter)
        g_string_append_printf (note, "capture filter: %s (only the frames "
                                "it matches are here, and numbered)\n",
                                opt->capture_filter);
      if (opt->snaplen)
        g_string_append_printf (note, "snapshot length: %u bytes\n",
                                opt->snaplen);
      copt.section_comment = note->str;
      if (copt.per_link_pcap)
        run_raise_file_limit ();
      s->capture = sim_capture_open (s->run.world->sim, dir->out.staging,
                                     &copt, error);
      if (!s->capture)
        return FALSE;
      sim_world_set_tap (s->run.world->sim, sim_capture_tap (s->capture));
    }
  sim_world_start (s->run.world->sim);
  return TRUE;
}

gboolean
cloudrun_session_advance (CloudRunSession *s, guint64 slice)
{
  SimKernel *kernel = sim_world_kernel (s->run.world->sim);
  SimTime end = s->run.scenario->duration;
  SimTime to;
  uint64_t fired;

  g_return_val_if_fail (s->started && !s->finished, FALSE);
  slice = MAX (slice, 1);
  to = s->reached + (SimTime) MIN (slice, (guint64) (end - s->reached));
  fired = sim_kernel_run_at_most (kernel, to, CLOUDRUN_ADVANCE_EVENTS);
  s->run.events += fired;
  if (fired == CLOUDRUN_ADVANCE_EVENTS)
    {
      /* Cut short: events may remain at the time reached. */
      s->reached = sim_kernel_now (kernel);
      return TRUE;
    }
  s->reached = to;
  return to < end && sim_kernel_pending (kernel) != 0;
}

void
cloudrun_session_progress (const CloudRunSession *s, CloudRunProgress *p)
{
  const CloudRunLedger *ledger = &s->run.world->ledger;

  memset (p, 0, sizeof *p);
  p->now = (guint64) s->reached;
  p->duration = (guint64) s->run.scenario->duration;
  p->events = s->run.events;
  p->hops = sim_world_hops (s->run.world->sim);
  for (guint i = 0; i < s->run.world->n_plans; i++)
    {
      const CloudRunTally *tally = cloudrun_ledger_tally (ledger, i);
      p->requests_planned += tally->count;
      for (int v = 0; v < CLOUDRUN_N_VERDICTS; v++)
        p->requests_ended += tally->verdicts[v];
    }
  p->output_bytes = (s->capture ? sim_capture_bytes_written (s->capture) : 0)
                    + tools_requests_bytes (s->run.world);
}

gboolean
cloudrun_session_finish (CloudRunSession *s, gboolean complete,
                         GString *warnings, GError **error)
{
  g_return_val_if_fail (s->started && !s->finished, FALSE);
  s->finished = TRUE;
  sim_world_finish (s->run.world->sim);
  if (s->capture)
    {
      SimCapture *capture = g_steal_pointer (&s->capture);
      sim_world_set_tap (s->run.world->sim, NULL);
      s->run.capture_bytes = sim_capture_bytes_written (capture);
      if (!sim_capture_close (capture, complete ? error : NULL) && complete)
        return FALSE;
    }
  if (!complete)
    return FALSE;
  s->run.summaries = cloudrun_summary_new (s->run.world);
  if (warnings)
    tools_run_warn_pending (&s->run, warnings);
  if (s->requests_on && !tools_requests_end (s->run.world, error))
    return FALSE;
  s->run.checks = cloudrun_expect_evaluate (s->run.scenario, s->run.world,
                                            s->run.summaries);
  return TRUE;
}

/* ---- What the run says ---------------------------------------------- */

guint
cloudrun_session_failures (const CloudRunSession *s)
{
  return s->run.checks ? cloudrun_expect_failures (s->run.checks) : 0;
}

guint64
cloudrun_session_capture_bytes (const CloudRunSession *s)
{
  return s->run.capture_bytes;
}

void
cloudrun_session_keep_requests (CloudRunSession *s)
{
  g_return_if_fail (!s->started);
  s->keep_requests = TRUE;
}

void
cloudrun_session_keep_request (CloudRunSession *s, guint traffic, guint index)
{
  const CloudRunWorld *w = s->run.world;

  g_return_if_fail (!s->started && traffic < w->n_plans
                    && index < w->plans[traffic].count);
  cloudrun_ledger_keep (&s->run.world->ledger,
                        w->plans[traffic].first_request + index);
}

/* The outcome columns, in report order. */
static const CloudRunVerdict outcome_order[] = {
  CLOUDRUN_VERDICT_DELIVERED, CLOUDRUN_VERDICT_DENIED_BY_INGRESS,
  CLOUDRUN_VERDICT_DENIED_BY_IAM, CLOUDRUN_VERDICT_DENIED_BY_VPC_SC,
  CLOUDRUN_VERDICT_DENIED_BY_SECURITY_POLICY, CLOUDRUN_VERDICT_DENIED_BY_IAP,
  CLOUDRUN_VERDICT_DROPPED, CLOUDRUN_VERDICT_DNS_FAILURE,
  CLOUDRUN_VERDICT_UNAVAILABLE, CLOUDRUN_VERDICT_TIMEOUT,
  CLOUDRUN_VERDICT_PENDING,
};
G_STATIC_ASSERT (G_N_ELEMENTS (outcome_order) == CLOUDRUN_N_VERDICTS);
G_STATIC_ASSERT (CLOUDRUN_N_OUTCOMES == CLOUDRUN_N_VERDICTS);

const char *
cloudrun_outcome_name (guint outcome)
{
  g_return_val_if_fail (outcome < CLOUDRUN_N_OUTCOMES, NULL);
  return cloudrun_verdict_name (outcome_order[outcome]);
}

void
cloudrun_session_traffic_result (const CloudRunSession *s, guint t,
                                 CloudRunTrafficResult *r)
{
  const CloudRunTrafficSummary *sum;

  g_return_if_fail (s->run.summaries && t < s->run.world->n_plans);
  sum = &s->run.summaries[t];
  memset (r, 0, sizeof *r);
  r->name = sum->name;
  r->requests = sum->count;
  for (guint v = 0; v < CLOUDRUN_N_OUTCOMES; v++)
    r->outcomes[v] = sum->verdicts[outcome_order[v]];
  r->internal = sum->internal;
  r->external = sum->external;
  r->decided_at = (int) sum->decided_at >= 0
                  ? cloudrun_hop_name (sum->decided_at) : NULL;
  r->cause = sum->cause != CLOUDRUN_DROP_NONE
             ? cloudrun_drop_cause_name (sum->cause) : NULL;
  r->has_latency = sum->responses > 0;
  if (r->has_latency)
    {
      r->p50 = (guint64) sum->p50;
      r->p90 = (guint64) sum->p90;
      r->p99 = (guint64) sum->p99;
      r->p999 = (guint64) sum->p999;
      r->max = (guint64) sum->max;
    }
  for (guint k = 0; s->run.checks && k < s->run.checks->len; k++)
    {
      const CloudRunCheckItem *c = &g_array_index (s->run.checks,
                                                   CloudRunCheckItem, k);
      r->failed_expectations += !c->pass && strcmp (c->expect, sum->name) == 0;
    }
}
