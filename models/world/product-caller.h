/* A Google product that calls a service by HTTP: Pub/Sub push, Cloud
 * Tasks, Cloud Scheduler, Eventarc, Workflows, Dialogflow CX, BigQuery,
 * synthetic monitors and uptime checks (Google's list of internal
 * sources). It runs inside Google, so
 * a request to a Google front end (216.239.32.0/19) crosses Google's
 * fabric to the GFE in a Geneve envelope of type 4 naming the caller and
 * its project (models/world/fabric.h); the GFE counts it internal when
 * that project is the service's or shares its VPC-SC perimeter. Anything
 * else (a custom domain at an external ALB) goes out on the internet from
 * its address, as any client's request does, and is external there.
 * A product not on that list (Firebase Hosting's rewrites) has no fabric
 * port: its requests reach the GFE from the internet, external.
 * It resolves with public DNS and signs ID tokens as its service account
 * (identity = id-token).
 * Cloud Tasks in a perimeter restricting cloudtasks.googleapis.com sends
 * only authenticated requests to run.app; it fails any other task itself
 * with TARGET_TYPE_NOT_PERMITTED_FOR_VPC (models/world/perimeter.h).
 * docs/networking.md, Ingress (internal source 5), VPC Service Controls.
 * Scenario keys read: [google-caller] product, project, service-account,
 * [project] perimeter and [perimeter NAME], through the builder. */
#ifndef CLOUDRUN_PRODUCT_CALLER_H
#define CLOUDRUN_PRODUCT_CALLER_H

#include "models/world/fabric.h"
#include "models/world/perimeter.h"
#include "models/world/requester.h"
#include "models/world/world.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* default port: the internet */
  SimPort *fabric;              /* towards the GFE; NULL when outside */
  uint32_t fabric_addr, gfe_fabric_addr;  /* outer addresses */
  CloudRunFabricIdentity identity;        /* what its envelope says */
  CloudRunRequester requester;  /* its traffic */
  const CloudRunPerimeterPolicy *tasks_perimeter; /* Cloud Tasks: its
                                   project's perimeter, or NULL */
} CloudRunProductCaller;

/* A caller at addr (its address on the internet and inside its
 * envelopes) whose envelope carries identity (kind GOOGLE_PRODUCT);
 * identity NULL: a product outside Google's list, with no fabric port,
 * whose requests all go by the internet. */
CloudRunProductCaller *cloudrun_product_caller_new (
  CloudRunWorld *world, const char *name, uint32_t addr, uint32_t resolver,
  uint32_t fabric_addr, uint32_t gfe_fabric_addr,
  const CloudRunFabricIdentity *identity);

/* The caller is Cloud Tasks, of a project in perimeter (may be NULL):
 * each request first passes cloudrun_perimeter_tasks_permit. */
void cloudrun_product_caller_be_tasks (CloudRunProductCaller *caller,
                                       const CloudRunPerimeterPolicy *perimeter);

#endif
