/* Time series of load for the reports: named gauges (a count that
 * changes at simulated times: requests in flight, instances, queue depth,
 * addresses, ports) sampled into fixed buckets. One bucket period for the
 * whole run, a round one (1, 2 or 5 x 10^k ns, from 1 us) chosen from the
 * run's duration so that it has at most CLOUDRUN_SERIES_MAX_BUCKETS
 * buckets; each bucket keeps the largest value the gauge had in it and
 * its value at the bucket's end. A change costs O(1) amortized and
 * allocates nothing once the gauge is made: buckets a change skips are
 * filled when the next change comes, or at cloudrun_series_finish.
 * Memory: two numbers per bucket per gauge, plus the changes announced
 * for later (cloudrun_gauge_add_later) not yet due. Deterministic: gauges
 * are kept in the order made. Every gauge function accepts NULL and then
 * does nothing (a world built without a series). */
#ifndef CLOUDRUN_SERIES_H
#define CLOUDRUN_SERIES_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

#define CLOUDRUN_SERIES_MAX_BUCKETS 400u

typedef struct CloudRunSeries CloudRunSeries;

typedef struct {
  const CloudRunSeries *series;
  char *kind;                   /* "service", "subnet", "nat", "connector" */
  char *name;                   /* its NAME */
  char *metric;                 /* "in_flight", "instances", ... */
  int64_t value;                /* now */
  int64_t peak;                 /* the largest value so far */
  SimTime peak_at;              /* when it was first reached */
  bool moved;                   /* it changed after time 0 */
  guint bucket;                 /* the bucket of the last change */
  int64_t *max;                 /* per bucket: the largest value in it */
  int64_t *end;                 /* per bucket: the value at its end (once
                                   the bucket is over or finished) */
  GArray *later;                /* CloudRunGaugeLater, [later_head, len)
                                   not yet due, in time order */
  guint later_head;
} CloudRunGauge;

/* A change announced for a known later time (a TIME_WAIT hold's end). */
typedef struct {
  SimTime when;
  int64_t delta;
} CloudRunGaugeLater;

struct CloudRunSeries {
  SimTime period;               /* each bucket's length */
  guint n_buckets;              /* covering [0, horizon) */
  SimTime horizon;              /* the run's duration */
  GPtrArray *gauges;            /* CloudRunGauge*, in the order made; owned */
  bool finished;
};

/* The round period for a run of duration (see above). */
SimTime cloudrun_series_period (SimTime duration);
CloudRunSeries *cloudrun_series_new (SimTime duration);
void cloudrun_series_free (CloudRunSeries *series);
/* The gauge named (kind, name, metric), at 0 from time 0; made on the
 * first call, the same one after (a lookup over every gauge: keep the
 * handle for the changes). */
CloudRunGauge *cloudrun_series_gauge (CloudRunSeries *series,
                                      const char *kind, const char *name,
                                      const char *metric);
/* The gauge becomes value at now; times must not go back (a time before
 * the last change counts as the last change's bucket). */
void cloudrun_gauge_set (CloudRunGauge *gauge, SimTime now, int64_t value);
void cloudrun_gauge_add (CloudRunGauge *gauge, SimTime now, int64_t delta);
/* The gauge will change by delta at when (not before the last change, nor
 * before the previous change announced); applied by the first change or
 * finish at or after when. */
void cloudrun_gauge_add_later (CloudRunGauge *gauge, SimTime when,
                               int64_t delta);
/* The run is over: applies the changes due before the horizon and fills
 * every bucket to the end with the last value. Later changes are
 * ignored. Idempotent. */
void cloudrun_series_finish (CloudRunSeries *series);
/* Whether the gauge was ever above 0. */
bool cloudrun_gauge_used (const CloudRunGauge *gauge);
/* Whether it changed after time 0 (not only set as the run began). */
bool cloudrun_gauge_moved (const CloudRunGauge *gauge);

#endif
