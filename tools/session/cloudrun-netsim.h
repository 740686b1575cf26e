/* cloudrun-netsim.h: the front door. Every program that drives a scenario
 * (the command, the benchmarks, the fuzz target) includes this header and
 * glib, nothing else of the project.
 *
 * A session is one scenario, loaded and built into a simulated world:
 *
 *   CloudRunSession *s = cloudrun_session_load_file (path, &edits, &error);
 * cloudrun_session_start (s, dir, &output, warnings, &error); (dir may be NULL)
 *   while (cloudrun_session_advance (s, slice_ns))
 *     ... progress, signals, output limits: the caller's business ...
 *   cloudrun_session_finish (s, TRUE, warnings, &error);
 *   cloudrun_session_render (s, CLOUDRUN_REPORT_TABLE, out, &error);
 *   cloudrun_session_free (s);
 *
 * The simulation reads no clock: the same scenario, edits and seed give
 * the same bytes in every output, however the caller slices the run.
 * Errors come through GError; a message names the file, group and key
 * when it is about the scenario (CLOUDRUN_SESSION_ERROR_SCENARIO: the
 * command's exit status 2). Times are nanoseconds of simulated time.
 *
 * Callers: tools/cli/ (the command), tools/benchmarks/bench-e2e.c,
 * tests/fuzz/fuzz-scenario.c and the world tests' fixture. */
#ifndef CLOUDRUN_NETSIM_H
#define CLOUDRUN_NETSIM_H

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* ---- Errors ----------------------------------------------------------- */

#define CLOUDRUN_SESSION_ERROR (cloudrun_session_error_quark ())
GQuark cloudrun_session_error_quark (void);

typedef enum {
  CLOUDRUN_SESSION_ERROR_USAGE,  /* asked for something that is not there
                                    (an unknown traffic, a report kind
                                    this call does not render) */
  CLOUDRUN_SESSION_ERROR_OUTPUT_LIMIT, /* the outputs would pass, or passed,
                                          the size allowed */
} CloudRunSessionError;

/* ---- Limits ----------------------------------------------------------- */

/* The largest scenario file cloudrun_session_load_file reads, in bytes. */
#define CLOUDRUN_SCENARIO_MAX_BYTES (4 << 20)
/* The outputs a run writes unless told otherwise (--max-output). */
#define CLOUDRUN_OUTPUT_MAX_DEFAULT ((guint64) 2 << 30)
/* The group a sweep's runs are declared in ([sweep]; the loader ignores
 * it, `cloudrun-netsim sweep` reads it). */
#define CLOUDRUN_SWEEP_GROUP "sweep"
/* The name of the TLS key log in pcap/. */
#define CLOUDRUN_KEYLOG_NAME "tls-keys.log"
/* The comments of the per-link files, in pcap/: "LINK.pcap<TAB>FRAME<TAB>
 * COMMENT" lines after a header line. */
#define CLOUDRUN_COMMENTS_NAME "comments.tsv"

/* ---- Loading ---------------------------------------------------------- */

typedef struct CloudRunSession CloudRunSession;

/* Changes to the scenario as loaded: every unset, then every set (as
 * --unset GROUP.KEY and --set GROUP.KEY=VALUE take them), then the seed.
 * Arrays are NULL-terminated and may be NULL; copied by the load. */
typedef struct {
  const char *const *sets;
  const char *const *unsets;
  gboolean has_seed;            /* FALSE: the scenario's own seed */
  guint64 seed;
} CloudRunEdits;

/* Loads the scenario text (len bytes, no NUL needed) named name (its
 * path, for messages) with edits (may be NULL), and builds its world.
 * NULL with error when it does not load. */
CloudRunSession *cloudrun_session_load (const char *name, const char *text,
                                        gsize len, const CloudRunEdits *edits,
                                        GError **error);
/* The same from a file: only a regular file of at most
 * CLOUDRUN_SCENARIO_MAX_BYTES (a FIFO or device is refused, not read). */
CloudRunSession *cloudrun_session_load_file (const char *path,
                                             const CloudRunEdits *edits,
                                             GError **error);
void cloudrun_session_free (CloudRunSession *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloudRunSession, cloudrun_session_free)

/* ---- What the scenario holds (after load) ----------------------------- */

const char *cloudrun_session_path (const CloudRunSession *s);
const char *cloudrun_session_title (const CloudRunSession *s);
guint64 cloudrun_session_seed (const CloudRunSession *s);
guint64 cloudrun_session_duration (const CloudRunSession *s);
/* The [traffic] groups, in file order. */
guint cloudrun_session_n_traffics (const CloudRunSession *s);
const char *cloudrun_session_traffic_name (const CloudRunSession *s,
                                           guint traffic);
guint cloudrun_session_traffic_requests (const CloudRunSession *s,
                                         guint traffic);
/* The index of the [traffic NAME]; FALSE with an error saying what was
 * expected (and the nearest name) when there is none. */
gboolean cloudrun_session_find_traffic (const CloudRunSession *s,
                                        const char *name, guint *traffic,
                                        GError **error);
/* The [service] groups: name and the two URLs Cloud Run gives it. */
guint cloudrun_session_n_services (const CloudRunSession *s);
void cloudrun_session_service (const CloudRunSession *s, guint service,
                               const char **name, const char **url,
                               const char **number_url);
/* The [managed-instance] groups, in file order: NAME, and the
 * tcp://ADDRESS:PORT a connection check calls (its engine's port;
 * newly allocated). */
guint cloudrun_session_n_managed (const CloudRunSession *s);
void cloudrun_session_managed (const CloudRunSession *s, guint instance,
                               const char **name, char **url);
/* The [revision] groups of a service, in file order (0: none): NAME, its
 * percent, and its tag with the two hosts of its tag URLs (all three NULL
 * without a tag). */
guint cloudrun_session_n_revisions (const CloudRunSession *s, guint service);
void cloudrun_session_revision (const CloudRunSession *s, guint service,
                                guint revision, const char **name,
                                guint *percent, const char **tag,
                                const char **tag_host,
                                const char **tag_number_host);

/* ---- Outputs ---------------------------------------------------------- */

/* Which captures a run writes (--capture). */
typedef enum {
  CLOUDRUN_CAPTURE_ALL = 0,     /* trace.pcapng and pcap/ */
  CLOUDRUN_CAPTURE_TRACE,       /* trace.pcapng only */
  CLOUDRUN_CAPTURE_LINKS,       /* pcap/ only */
  CLOUDRUN_CAPTURE_NONE,
} CloudRunCapture;

typedef struct {
  CloudRunCapture capture;
  gboolean no_requests;         /* no requests.jsonl */
  const char *capture_filter;   /* --capture-filter: tcpdump's filter
                                   syntax; only matching frames are
                                   captured (and numbered); NULL: all */
  guint snaplen;                /* --snaplen: bytes kept per frame, 14
                                   to 65535; 0: whole frames */
} CloudRunOutputOptions;

/* Whether options' capture_filter compiles and snaplen is 0 or 14 to
 * 65535; FALSE with CLOUDRUN_SESSION_ERROR_USAGE saying which and why. */
gboolean cloudrun_output_options_check (const CloudRunOutputOptions *options,
                                        GError **error);

/* An output directory written all at once (tools/session/output.h says
 * how): files go to a locked staging directory and move into place at
 * commit; freeing an uncommitted one removes what it staged. */
typedef struct CloudRunOutputDir CloudRunOutputDir;

/* Creates dir when missing and locks it; an error when another run is
 * writing there or an output's place is taken by something else. */
CloudRunOutputDir *cloudrun_output_dir_begin (const char *dir,
                                              GError **error);
const char *cloudrun_output_dir_path (const CloudRunOutputDir *o);
/* Staging directories of killed runs that begin removed (kept FALSE) or
 * could not remove (kept TRUE): how many, and the i-th name. */
guint cloudrun_output_dir_n_stale (const CloudRunOutputDir *o, gboolean kept);
const char *cloudrun_output_dir_stale (const CloudRunOutputDir *o,
                                       gboolean kept, guint i);
/* Writes one more file (a name of the output list, as summary.csv). */
gboolean cloudrun_output_dir_write (CloudRunOutputDir *o, const char *name,
                                    const GString *contents, GError **error);
gboolean cloudrun_output_dir_commit (CloudRunOutputDir *o, GError **error);
void cloudrun_output_dir_free (CloudRunOutputDir *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloudRunOutputDir, cloudrun_output_dir_free)

/* Links a request's frames are assumed to cross, for the estimate. */
#define CLOUDRUN_ESTIMATE_LINKS 6u
/* About how many bytes the captures of options would take: per request
 * its bodies (request-size, and the largest response-size a service
 * answers with) plus 3000 bytes of DNS, handshake, headers and close, 5%
 * of segment headers (at most sixteen frames and one per 1460 bytes of
 * snaplen bytes each, with a snaplen), over CLOUDRUN_ESTIMATE_LINKS
 * links, once per file kind written; 0 with a capture filter, whose
 * share cannot be told before the run. */
guint64 cloudrun_session_output_estimate (const CloudRunSession *s,
                                          const CloudRunOutputOptions *options);

/* ---- Running ---------------------------------------------------------- */

/* Readies the run: with dir, requests.jsonl and the captures options asks
 * for are written into its staging directory as the run goes (dir and
 * options may be NULL: nothing written). Appends a "warning: ..." line to
 * warnings (may be NULL) per traffic whose requests would start after the
 * scenario's duration, or may still be open then. Once per session. */
gboolean cloudrun_session_start (CloudRunSession *s, CloudRunOutputDir *dir,
                                 const CloudRunOutputOptions *options,
                                 GString *warnings, GError **error);
/* Simulates up to slice nanoseconds more (at least 1), and at most
 * CLOUDRUN_ADVANCE_EVENTS events, so that a call returns within a fraction
 * of a second however dense the events (a caller sees a signal in time);
 * TRUE while there is more to do (the duration not reached and events
 * pending). Where the slices end changes nothing in the outputs. */
#define CLOUDRUN_ADVANCE_EVENTS 262144
gboolean cloudrun_session_advance (CloudRunSession *s, guint64 slice);

typedef struct {
  guint64 now;                  /* simulated time reached */
  guint64 duration;             /* the scenario's */
  guint64 requests_ended;       /* requests with a verdict */
  guint64 requests_planned;
  guint64 events;               /* events fired so far */
  guint64 hops;                 /* frames delivered over links so far */
  guint64 output_bytes;         /* written to captures and requests.jsonl */
} CloudRunProgress;

void cloudrun_session_progress (const CloudRunSession *s,
                                CloudRunProgress *progress);
/* Ends the run where it stands (normally once advance returned FALSE;
 * earlier, requests still open are pending): closes the captures,
 * summarizes, checks the [expect] groups, closes requests.jsonl, and
 * appends a warning to warnings when the end cut requests short.
 * complete FALSE (the caller abandons the run: a signal, an output
 * limit): closes what is open quietly and returns FALSE; no reports. */
gboolean cloudrun_session_finish (CloudRunSession *s, gboolean complete,
                                  GString *warnings, GError **error);

/* ---- What the run says (after finish) --------------------------------- */

/* Expectation items of the [expect] groups that failed. */
guint cloudrun_session_failures (const CloudRunSession *s);
/* Bytes written to the captures. */
guint64 cloudrun_session_capture_bytes (const CloudRunSession *s);

typedef enum {
  CLOUDRUN_REPORT_TABLE,        /* the verdict table `run` prints */
  CLOUDRUN_REPORT_TEXT,         /* report.txt */
  CLOUDRUN_REPORT_JSON,         /* report.json (docs/report-schema.json) */
  CLOUDRUN_REPORT_HTML,         /* report.html, without the picture */
  CLOUDRUN_REPORT_DOT,          /* topology.dot */
  CLOUDRUN_REPORT_CHECKS,       /* the PASS/FAIL lines of `check` */
  CLOUDRUN_REPORT_TAP,          /* the [expect] items as TAP */
  CLOUDRUN_REPORT_JUNIT,        /* the [expect] items as JUnit XML */
  CLOUDRUN_REPORT_REQUESTS,     /* requests.jsonl (see start) */
} CloudRunReport;

/* Formats report onto out. REQUESTS is written as the run goes, into an
 * output directory; rendering it asks the session to keep a copy, so
 * call cloudrun_session_keep_requests before start. */
gboolean cloudrun_session_render (CloudRunSession *s, CloudRunReport report,
                                  GString *out, GError **error);
/* The same into a stream; every write error is an error. */
gboolean cloudrun_session_render_file (CloudRunSession *s,
                                       CloudRunReport report, FILE *out,
                                       GError **error);
/* Keeps requests.jsonl in memory too, for render (before start). */
void cloudrun_session_keep_requests (CloudRunSession *s);
/* Writes report.txt, report.json, topology.dot, topology.svg (when
 * Graphviz draws it) and report.html into dir's staging directory. */
gboolean cloudrun_session_write_reports (CloudRunSession *s,
                                         CloudRunOutputDir *dir,
                                         GError **error);
/* Why topology.svg was not drawn (Graphviz failed), or NULL. */
const char *cloudrun_session_graph_warning (const CloudRunSession *s);
/* The topology with one traffic's path alone (traffic NULL: every
 * traffic), as DOT. */
void cloudrun_session_render_dot_traffic (CloudRunSession *s,
                                          const char *traffic, GString *out);

/* ---- One request ------------------------------------------------------ */

/* Keeps the steps of request index (0-based) of traffic for
 * cloudrun_session_render_steps (before start; requests are otherwise
 * freed as they finish). */
void cloudrun_session_keep_request (CloudRunSession *s, guint traffic,
                                    guint index);
/* The kept request's steps, one per line, as `explain` prints them. */
void cloudrun_session_render_steps (CloudRunSession *s, guint traffic,
                                    guint index, GString *out);
/* "what would change it": each single true/false or one-of setting that
 * changes the kept request's outcome, status, classification or cause,
 * found by loading and running the scenario again once per candidate. */
void cloudrun_session_render_what_if (CloudRunSession *s, guint traffic,
                                      guint index, GString *out);

/* ---- One traffic's figures (after finish) ----------------------------- */

/* The outcomes a request can have, in report order. */
#define CLOUDRUN_N_OUTCOMES 11
const char *cloudrun_outcome_name (guint outcome);

typedef struct {
  const char *name;             /* the [traffic NAME] */
  guint requests;
  guint outcomes[CLOUDRUN_N_OUTCOMES]; /* requests per outcome */
  guint internal, external;     /* the GFE's classifications */
  const char *decided_at;       /* the deciding hop of the main outcome,
                                   or NULL */
  const char *cause;            /* its drop cause, or NULL */
  gboolean has_latency;         /* some request got a response */
  guint64 p50, p90, p99, p999, max; /* latency of those, ns */
  guint failed_expectations;    /* items of [expect NAME] that failed */
} CloudRunTrafficResult;

void cloudrun_session_traffic_result (const CloudRunSession *s, guint traffic,
                                      CloudRunTrafficResult *result);

/* ---- Check results across scenario files ------------------------------ */

/* One scenario file's [expect] items (copied: the session may go), or
 * the message of why it did not load or run. */
typedef struct CloudRunCheckFile CloudRunCheckFile;

/* From a finished session (error NULL) or a failure (s NULL). */
CloudRunCheckFile *cloudrun_check_file_new (const char *path,
                                            const CloudRunSession *s,
                                            const GError *error);
void cloudrun_check_file_free (CloudRunCheckFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloudRunCheckFile, cloudrun_check_file_free)
guint cloudrun_check_file_failures (const CloudRunCheckFile *file);
/* Its items (0 when it did not load), and the failure message or NULL. */
guint cloudrun_check_file_items (const CloudRunCheckFile *file);
const char *cloudrun_check_file_error (const CloudRunCheckFile *file);
/* files (CloudRunCheckFile *) as CHECKS (failures only when quiet), TAP
 * or JUNIT onto out. */
gboolean cloudrun_check_render (GString *out, const GPtrArray *files,
                                CloudRunReport report, gboolean quiet,
                                GError **error);
/* Writes contents to path all at once (a temporary file renamed over
 * it; a device, FIFO or link written in place). */
gboolean cloudrun_write_file (const char *path, const GString *contents,
                              GError **error);

/* ---- The vocabulary --------------------------------------------------- */

/* The words a run's outcomes are told in and [expect] takes,
 * NULL-terminated, in the vocabulary's order (models/vocab/): the
 * outcomes a request ends with ("delivered", ...; "pending", a request
 * the run's end cut, is not among them), classifications ("internal",
 * "external"), hop kinds ("dns", "gfe", ...) and drop causes (every one a
 * file may name). */
typedef enum {
  CLOUDRUN_WORDS_OUTCOMES,
  CLOUDRUN_WORDS_CLASSIFICATIONS,
  CLOUDRUN_WORDS_HOPS,
  CLOUDRUN_WORDS_DROP_CAUSES,
} CloudRunWords;

const char *const *cloudrun_words (CloudRunWords which);
/* The scenario format's documentation from its key tables: every kind,
 * or the one named (an error for an unknown kind). */
gboolean cloudrun_describe_keys (GString *out, const char *kind,
                                 GError **error);
/* "854ms", "1.05s": a simulated time as the scenario format writes it;
 * buf holds 32 bytes. */
const char *cloudrun_format_time (guint64 ns, char *buf);
/* A size as the format takes it ("500MiB", "2GiB"); FALSE when it is not
 * one. */
gboolean cloudrun_parse_size (const char *text, guint64 *bytes);
/* The candidate nearest to word (a did-you-mean), or NULL when none is
 * near; candidates NULL-terminated. */
const char *cloudrun_suggest (const char *word,
                              const char *const *candidates);

/* ---- One traffic's first request (after finish) -------------------- */

/* tools/session/session-reach.c, for `reach`: what became of a traffic's
 * first request. */
typedef struct {
  int status;                   /* the HTTP status it got, 0 for none */
  const char *classified;       /* "internal", "external", or NULL when
                                   it never reached a GFE */
  const char *decided_node;     /* the node that decided it, or NULL */
} CloudRunFirstRequest;

/* Fills out for traffic's first request and appends the step that
 * decided it to step (may be NULL): "NODE STATE [CAUSE] [(RULE)][:
 * NOTE]", the last step its deciding node took. FALSE when it never
 * began (or the traffic plans none). */
gboolean cloudrun_session_first_request (const CloudRunSession *s,
                                         guint traffic,
                                         CloudRunFirstRequest *out,
                                         GString *step);

/* ---- Key boundaries --------------------------------------------------- */

/* tools/session/session-keys.c, for property tests: fn is called once per
 * documented boundary of every key of every kind ("service", "traffic",
 * ...) with a value as --set takes it: for numbers, sizes, times, rates
 * and fractions the least and greatest values and those one past them;
 * for true/false and one-of keys each word and a typo; for names,
 * addresses and ranges an empty, a long and a malformed value. refused
 * TRUE: a load must refuse the value with a message naming the key;
 * FALSE: the value is documented as valid (a load may still refuse it
 * for another group's sake, naming the key). */
typedef void (*CloudRunKeyBoundaryFn) (const char *kind, const char *key,
                                       const char *value, gboolean refused,
                                       gpointer user);
void cloudrun_key_boundaries (CloudRunKeyBoundaryFn fn, gpointer user);

G_END_DECLS

#endif
