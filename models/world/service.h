/* A Cloud Run service: its settings as the GFE and the autoscaler need
 * them, and its instances, each a node that serves HTTP on port 80 behind
 * the GFE. An instance that has not started yet starts on first use and
 * is ready after the cold start; min-instances are warm from time 0. An
 * instance beyond min-instances that has been idle for [assumptions]
 * instance-idle-timeout (15 min: Google keeps idle instances "up to 15
 * minutes") retires: its next request starts it cold again.
 * Scenario keys read: [service] project, region, ingress, default-url,
 * invokers, custom-audiences, iap, iap-access (models/world/iap.h),
 * service-account, min-instances,
 * max-instances, concurrency, cold-start, service-time, response-size.
 * https://cloud.google.com/run/docs/about-instance-autoscaling */
#ifndef CLOUDRUN_SERVICE_H
#define CLOUDRUN_SERVICE_H

#include "models/world/http-server.h"
#include "models/world/iap.h"
#include "models/world/pending.h"
#include "models/world/perimeter.h"
#include "models/world/requester.h"
#include "models/world/world.h"
#include "sim/rng.h"


typedef struct {
  CloudRunNode base;
  SimHost host;                 /* serving address, port eth0 to the GFE */
  CloudRunHttpServer http;
  CloudRunRequester requester;  /* the service's own [traffic] */
  CloudRunServiceNode *service; /* owner */
  uint32_t index;               /* 0-based in the service */
  bool started;                 /* cold start begun or done */
  SimTime ready_at;             /* when it can take requests */
  uint32_t in_flight;           /* requests the GFE has given it */
  SimTime idle_since;           /* when in_flight last fell to 0 */
  SimTime ip_held_until;        /* retired: its addresses held until */
  uint32_t retirements;         /* times it retired after idling */
  uint32_t service_peer;        /* the GFE's serving address */
  SimTime retire_at;            /* idle beyond min-instances: retires then */
  guint heap_at[3];             /* its place in the service's heaps, from
                                   1; 0 when not in one */
} CloudRunInstance;

/* A binary min-heap of a service's instances, in one of three orders. */
typedef enum {
  CLOUDRUN_HEAP_SLOTS,          /* started with a free slot: (in_flight,
                                   index) */
  CLOUDRUN_HEAP_IDLE,           /* idle beyond min-instances: (retire_at,
                                   index) */
  CLOUDRUN_HEAP_STOPPED,        /* not started: index */
} CloudRunHeapOrder;

typedef struct {
  GPtrArray *items;             /* CloudRunInstance*, items[0] first */
  CloudRunHeapOrder order;
} CloudRunInstanceHeap;

/* A subnet's /28 blocks that Direct VPC may still take: each holds the
 * count of its usable addresses (16, less the subnet's reserved first two
 * and last two when they fall in it). Shared by the services that send
 * from the subnet; owned by the world (CloudRunWorld.ip_pools). */
typedef struct {
  char *subnet;                 /* its NAME, owned */
  GArray *free_blocks;          /* uint32_t usable addresses, taken from the
                                   end */
  CloudRunGauge *held;          /* addresses its services hold */
} CloudRunAddressPool;

/* How long a retired instance's Direct VPC addresses stay held. */
#define CLOUDRUN_DIRECT_VPC_ADDRESS_HOLD (20 * 60 * SIM_S)

/* Connects a new instance to what serves it (the GFE). */
typedef void (*CloudRunInstanceAttach) (CloudRunInstance *instance,
                                        void *user);

struct CloudRunServiceNode {
  CloudRunWorld *world;         /* set by cloudrun_service_new */
  char *name;                   /* the service NAME */
  /* Revisions (run/docs/rollouts-rollbacks-traffic-migration): a service
   * with [revision] groups is one record per revision, each with its own
   * instances (REVISION-1 ...), autoscaler and pending queue; the first,
   * its lead, owns the service's URL hosts and the split. */
  char *revision;               /* the revision NAME; NULL: the service's
                                   only, implicit revision */
  uint32_t percent;             /* its share of the service URLs' requests */
  char *tag_hash_host;          /* TAG---hash_host, or NULL: no tag */
  char *tag_number_host;        /* TAG---number_host, or NULL */
  CloudRunServiceNode *lead;    /* in a config: the lead of the service's
                                   revisions, NULL for the lead itself; in
                                   the record: the lead (itself for it) */
  GPtrArray *revisions;         /* lead of a service with revisions: its
                                   records in file order (itself first);
                                   NULL otherwise */
  SimRng split_rng;             /* lead: the GFE's draws for the split */
  char *project;                /* its project NAME */
  uint64_t project_number;
  const CloudRunPerimeterPolicy *perimeter; /* its project's VPC-SC
                                   perimeter, or NULL; owned by the world */
  uint32_t egress_vni;          /* the network its revision sends traffic
                                   to (connector or Direct VPC); 0 none */
  char *region;
  GfeIngress ingress;
  bool default_url;             /* run.app URLs answer */
  const IamPrincipal *invokers; /* who may invoke it (at least one); in
                                   a config the caller's, in the record
                                   owned copies */
  guint n_invokers;
  const char *service_account;  /* EMAIL its instances' ID tokens name;
                                   owned in the record */
  const char *const *custom_audiences; /* audiences IAM accepts besides
                                   its URLs, NULL-terminated (NULL: none);
                                   in a config the caller's, in the record
                                   an owned copy */
  const char *const *domains;   /* custom domains mapped to it, NULL-
                                   terminated (NULL: none); in a config
                                   the caller's, in the record an owned
                                   copy; the GFE serves it at each */
  CloudRunIapConfig iap_config; /* IAP on the service: in a config only */
  CloudRunIap iap;              /* in the record: built from iap_config */
  uint32_t concurrency;
  uint32_t min_instances, max_instances;
  SimTime cold_start;
  SimDelay service_time;        /* each request's time in the container */
  uint64_t response_size;       /* body bytes of each answer */
  uint32_t base_addr;           /* serving address of instance 1; instance
                                   k serves at base_addr + k - 1 */
  CloudRunInstanceAttach attach;
  void *attach_user;
  char *hash_host;              /* NAME-HASH-REGIONCODE.a.run.app */
  char *number_host;            /* NAME-PROJECTNUMBER.REGION.run.app */
  GPtrArray *instances;         /* CloudRunInstance*, nodes owned by sim */
  CloudRunInstanceHeap slots;   /* what acquire chooses from, in order: */
  CloudRunInstanceHeap stopped;
  CloudRunInstanceHeap idle;    /* what retires first */
  uint32_t running;             /* instances started */
  uint64_t requests;            /* requests the GFE forwarded */
  SimTime pending_wait;         /* in a config: [assumptions] pending-wait,
                                   or 0 for Google's documented bound */
  SimTime idle_timeout;         /* an instance beyond min-instances idle
                                   this long retires; 0 never */
  uint64_t retired;             /* instances retired so far */
  CloudRunAddressPool *ip_pool; /* Direct VPC: its subnet's free blocks;
                                   NULL: no address limit */
  uint32_t ip_factor;           /* addresses held per instance */
  GArray *ip_blocks;            /* uint32_t usable addresses of the blocks
                                   it holds, in the order taken; owned */
  uint32_t ip_held;             /* their sum */
  bool ip_short;                /* the last acquire could not start an
                                   instance: no block left */
  GQueue ip_retired;            /* Direct VPC: retirements whose addresses
                                   may still be held, oldest first */
  uint32_t ip_holding;          /* retired ones holding addresses now */
  CloudRunPendingQueue pending; /* requests waiting for a free slot */
  CloudRunGauge *in_flight_gauge; /* requests its instances hold now */
  CloudRunGauge *instances_gauge; /* instances started, cold or ready */
};

/* Makes the service record from config (name, settings, base_addr,
 * attach) and its max(1, min-instances) first instance nodes, each
 * resolving names through the metadata server at 169.254.169.254, and
 * registers both URL hosts (a revision with config->lead set: only its
 * tag hosts, and it joins its lead's revisions). More instances are made
 * as load asks. */
CloudRunServiceNode *cloudrun_service_new (CloudRunWorld *world,
                                           const CloudRunServiceNode *config);
CloudRunInstance *cloudrun_service_add_instance (CloudRunServiceNode *svc);
/* A not started instance runs from time 0 (a caller's first). */
void cloudrun_service_start_early (CloudRunInstance *instance);
void cloudrun_service_free (CloudRunServiceNode *service);
void cloudrun_address_pool_free (CloudRunAddressPool *pool);
/* Direct VPC: svc draws its addresses from pool, factor per instance,
 * holding at once the blocks its instances running now need. */
void cloudrun_service_use_addresses (CloudRunServiceNode *svc,
                                     CloudRunAddressPool *pool,
                                     uint32_t factor);
/* Counts a /28 block of usable addresses reserved for svc at build time
 * (its first instances' addresses) as held by it. */
void cloudrun_service_hold_block (CloudRunServiceNode *svc, uint32_t usable);
/* An instance with a free concurrency slot: the least loaded started one
 * (lowest index on a tie), else the first not started yet, else a new one
 * up to max-instances (both start now and serve after the cold start);
 * NULL when every allowed instance is at its concurrency. Takes the slot.
 * O(log instances). */
CloudRunInstance *cloudrun_service_acquire (CloudRunServiceNode *service,
                                            SimTime now, bool *cold);
void cloudrun_service_release (CloudRunInstance *instance);
/* The revision that serves a request for host to the service whose
 * record lookup found: at a tag host the tagged revision alone; at the
 * service's URL hosts (and through a serverless NEG, which names them)
 * one revision drawn by percent from the lead's stream. *tagged says
 * which. Without revisions, svc itself. */
CloudRunServiceNode *cloudrun_service_pick_revision (CloudRunServiceNode *svc,
                                                     const char *host,
                                                     bool *tagged);

#endif
