/* Cloud Run URL names and Google Cloud regions.
 *
 * A service answers at two hosts (docs/networking.md, "DNS";
 * https://cloud.google.com/run/docs/triggering/https-request):
 *   NAME-HASH-REGIONCODE.a.run.app     (HASH: 10 characters [a-z0-9])
 *   NAME-PROJECTNUMBER.REGION.run.app  (the deterministic URL)
 * Google's HASH is opaque; the simulator derives a stable one from the
 * project and service names so that the same scenario always gives the
 * same URLs. Region codes are Google's (us-central1 -> uc).
 *
 * Called by models/format/scenario-check.c (filling CloudRunSpecService
 * hosts and checking traffic URLs), by the region key parser, and by
 * tools/ for printing. Pure functions; no state. */
#ifndef MODELS_SERVICE_URL_H
#define MODELS_SERVICE_URL_H

#include <glib.h>
#include <stdint.h>

#define CLOUDRUN_SERVICE_HASH_LEN 10
#define CLOUDRUN_SERVICE_NAME_MAX 49  /* NAME-HASH-CODE fits one DNS label */

typedef struct {
  const char *name;             /* "asia-northeast1" */
  const char *code;             /* run.app region code: "an" */
  const char *place;            /* "Tokyo" */
} CloudRunRegion;

/* The region called name, or NULL. */
const CloudRunRegion *cloudrun_region_lookup (const char *name);
/* Every known region, NULL-terminated names (static). */
const char *const *cloudrun_region_names (void);

/* A stable 12-digit project number for a project NAME: FNV-1a 64 of the
 * name, mod 9e11, plus 1e11. */
uint64_t cloudrun_project_number_default (const char *project_name);

/* The 10-character [a-z0-9] hash of a service in a project (project name
 * or number as text), NUL-terminated into out. */
void cloudrun_service_hash (const char *project, const char *service,
                            char out[CLOUDRUN_SERVICE_HASH_LEN + 1]);

/* NAME-HASH-REGIONCODE.a.run.app, newly allocated; NULL for an unknown
 * region. */
char *cloudrun_service_hash_host (const char *project, const char *service,
                                  const char *region);
/* NAME-PROJECTNUMBER.REGION.run.app, newly allocated. */
char *cloudrun_service_number_host (uint64_t project_number,
                                    const char *service, const char *region);

#endif
