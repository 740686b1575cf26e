/* VPC Service Controls service perimeters as Cloud Run's front end and
 * Cloud Tasks enforce them. A perimeter holds projects and restricts a
 * list of Google APIs; it acts on Cloud Run only when run.googleapis.com
 * is one of them, and on Cloud Tasks only when cloudtasks.googleapis.com
 * is.
 *
 * Cloud Run (run.googleapis.com restricted): a request to a service of a
 * project inside the perimeter is admitted when its caller is inside the
 * same perimeter, or when an access level admits it by its public source
 * address (never from another perimeter). Access levels naming identities
 * admit nothing here: Cloud Run's enforcement does not use the caller's
 * IAM identity. Anything else: 403, outcome denied-by-vpc-sc.
 * https://cloud.google.com/run/docs/securing/using-vpc-service-controls
 * https://cloud.google.com/vpc-service-controls/docs/use-access-levels
 *
 * Cloud Tasks (cloudtasks.googleapis.com restricted): a queue of a project
 * inside the perimeter sends only authenticated requests (with an OIDC
 * token) to run.app targets; anything else fails with
 * TARGET_TYPE_NOT_PERMITTED_FOR_VPC before it leaves.
 * https://cloud.google.com/tasks/docs/use-vpc-service-controls
 *
 * Called by models/world/gfe.c and models/world/product-caller.c; made by
 * models/assemble/ from [perimeter NAME] and [project] perimeter. */
#ifndef CLOUDRUN_PERIMETER_H
#define CLOUDRUN_PERIMETER_H

#include <glib.h>
#include <stdbool.h>

#include "models/world/config.h"
#include "sim/explain.h"

typedef struct {
  char *name;                   /* the perimeter NAME */
  bool restricts_run;           /* run.googleapis.com is restricted */
  bool restricts_tasks;         /* cloudtasks.googleapis.com is */
  bool implicit;                /* from [project] perimeter alone */
  GArray *ranges;               /* VpcCidr: access-level source ranges */
  GPtrArray *identities;        /* char *: access-level members
                                   "serviceAccount:EMAIL", "user:EMAIL" */
} CloudRunPerimeterPolicy;

/* What the GFE read of a request's caller. */
typedef struct {
  const CloudRunPerimeterPolicy *perimeter; /* the caller's project's
                                   perimeter; NULL: none, or the internet */
  uint32_t source;              /* source address the GFE saw */
  const char *token_email;      /* the ID token's email; NULL: none */
} CloudRunPerimeterCaller;

typedef enum {
  CLOUDRUN_PERIMETER_NOT_ENFORCED, /* no perimeter restricting Cloud Run */
  CLOUDRUN_PERIMETER_INSIDE,       /* the caller is inside it */
  CLOUDRUN_PERIMETER_ACCESS_LEVEL, /* an access level admits its source */
  CLOUDRUN_PERIMETER_REFUSED,      /* 403 */
} CloudRunPerimeterVerdict;

/* A new perimeter NAME restricting nothing, with no access level. */
CloudRunPerimeterPolicy *cloudrun_perimeter_new (const char *name);
void cloudrun_perimeter_free (CloudRunPerimeterPolicy *perimeter);
/* Restricts the API named (run.googleapis.com and
 * cloudtasks.googleapis.com act; others are kept for nothing). */
void cloudrun_perimeter_restrict (CloudRunPerimeterPolicy *perimeter,
                                  const char *api);

/* The decision for a request to a service whose project is in
 * perimeter (NULL: none). *why, interned in log, says why (NULL for
 * NOT_ENFORCED with no perimeter). */
CloudRunPerimeterVerdict cloudrun_perimeter_judge_run (
  const CloudRunPerimeterPolicy *perimeter,
  const CloudRunPerimeterCaller *caller, SimExplainLog *log,
  const char **why);

/* Whether a Cloud Tasks queue of a project in perimeter (NULL: none) may
 * send a request to host, with an OIDC token or not. False: the task
 * fails with TARGET_TYPE_NOT_PERMITTED_FOR_VPC, *why says why. */
bool cloudrun_perimeter_tasks_permit (const CloudRunPerimeterPolicy *perimeter,
                                      const char *host, bool token,
                                      SimExplainLog *log, const char **why);

#endif
