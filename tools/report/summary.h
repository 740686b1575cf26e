/* Per-traffic summaries of a finished run, read from the request
 * ledger's tallies: outcome counts, the GFE's classification, the deciding
 * hop, latency percentiles (kept to four significant digits,
 * sim/histogram.h). Feeds the verdict table, report.txt/json and check. */
#ifndef CLOUDRUN_SUMMARY_H
#define CLOUDRUN_SUMMARY_H

#include "models/world/request.h"
#include "models/world/world.h"

typedef struct {
  const char *name;             /* the traffic NAME */
  uint32_t first, count;        /* its request ids: first .. first+count-1 */
  uint32_t verdicts[CLOUDRUN_N_VERDICTS]; /* requests per verdict */
  uint32_t internal, external;  /* the GFE's classifications */
  uint32_t responses;           /* requests that got an HTTP status */
  CloudRunVerdict main_verdict; /* the most frequent verdict */
  CloudRunHopKind decided_at;   /* hop kind that decided the first request
                                   with the main verdict */
  CloudRunDropCause cause;      /* that request's drop cause, or
                                   CLOUDRUN_DROP_NONE */
  const char *why, *why_node;   /* that request's cloudrun_request_why and
                                   its node (the explain log's); NULL when
                                   no step says */
  SimTime p50, p90, p99, p999;  /* nearest-rank latency percentiles of the
                                   requests with a response; 0 if none */
  SimTime max;                  /* their largest latency, exact */
  SimTime last_end;             /* when its last finished request ended */
  uint32_t seen;                /* requests their destination's server
                                   took */
  CloudRunHopKind seen_at;      /* the first of them (lowest index): where, */
  uint32_t seen_src;            /* the IP source it arrived with, */
  const SimIp6 *seen_src6;      /* or over IPv6 this one (the explain
                                   log's; NULL over IPv4) */
  const char *seen_host;        /* and its Host (the explain log's) */
  const GArray *served;         /* CloudRunServed: requests per [revision]
                                   the GFE sent them to (the ledger's);
                                   NULL: none */
  uint32_t causes[CLOUDRUN_N_VERDICTS][CLOUDRUN_N_DROP_CAUSES];
                                /* requests per verdict and drop cause */
} CloudRunTrafficSummary;

/* Closes the ledger (the run is over) and fills one summary per traffic
 * plan (array of world->n_plans). */
CloudRunTrafficSummary *cloudrun_summary_new (CloudRunWorld *world);

/* The why of s's row: its why (*node its node), or for a row most of
 * whose requests were still pending when the run ended, words that say
 * so (*node NULL); NULL when no step says. */
const char *cloudrun_summary_why (const CloudRunTrafficSummary *s,
                                  const char **node);

/* The verdict table's cause cell (report.txt, the run's table,
 * report.html): the cause of every request that was not delivered (words
 * for one no hop gave a drop cause: "caller's timeout"). A traffic whose requests all failed for one cause gives it alone
 * ("INGRESS_DENIED"); otherwise each cause with its count, in the order
 * of the outcomes cell ("CLOUD_NAT_PORTS_EXHAUSTED 36"). NULL when every
 * request was delivered (or never began). Free with g_free. */
char *cloudrun_summary_causes (const CloudRunTrafficSummary *s);

#endif
