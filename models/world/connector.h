/* A Serverless VPC Access connector: instances with addresses from its
 * /28 (a custom range makes a hidden subnet; or an existing /28 subnet),
 * each rewriting the source to its own address (SNAT) and keeping the flow
 * table for the replies. Only the serverless side opens connections: a
 * packet from the VPC that belongs to no flow is dropped.
 *
 * Capacity: each instance forwards at its machine type's rate, each
 * direction through its own queue of CLOUDRUN_CONNECTOR_QUEUE_PACKETS; a
 * packet that finds its queue full is dropped (a DROP step,
 * VPC_CONNECTOR_QUEUE_FULL); a request whose packet waited a millisecond
 * or more gets a CONNECTOR_QUEUE step. A new flow goes to the running instance
 * whose queues empty first (ties go round the instances) and stays there.
 * Scale-out [assumption]: at the end of each CLOUDRUN_CONNECTOR_WINDOW the
 * connector looks back over it; when its instances were busy more than
 * CLOUDRUN_CONNECTOR_BUSY_PCT percent of the time in either direction, or
 * a queue dropped a packet, it starts one more instance, up to
 * max-instances, which serves after start_time. It never removes one.
 * The instances started (from their start) are a gauge of the world's
 * series: report.json's load over time.
 * https://cloud.google.com/vpc/docs/serverless-vpc-access
 * Scenario keys read: [connector] range, subnet, machine-type,
 * min-instances, max-instances; [assumptions] connector-start-time. */
#ifndef CLOUDRUN_CONNECTOR_H
#define CLOUDRUN_CONNECTOR_H

#include "models/world/egress.h"
#include "models/world/snat.h"

/* Usable addresses of a /28: .0 network, .1 gateway, .14 and .15 kept. */
#define CLOUDRUN_CONNECTOR_MAX_INSTANCES 12u
#define CLOUDRUN_CONNECTOR_QUEUE_PACKETS 1000u
#define CLOUDRUN_CONNECTOR_WINDOW (100 * SIM_MS)
#define CLOUDRUN_CONNECTOR_BUSY_PCT 80u
/* A request whose packet waits this long in a queue gets a step. */
#define CLOUDRUN_CONNECTOR_NOTED_WAIT SIM_MS

/* Queue directions of an instance. */
enum { CONNECTOR_TO_VPC = 0, CONNECTOR_FROM_VPC = 1 };

typedef struct {
  uint32_t addr;                /* its address in the /28 */
  SimTime ready_at;             /* serves from then; started when set */
  bool started;
  SimTime free_at[2];           /* when each queue has sent all it holds */
  uint32_t queued[2];           /* packets in each queue */
  SimPacket *head[2], *tail[2]; /* each queue, first to leave first,
                                   linked by next; owned (no event owns a
                                   packet) */
  SimTime busy[2];              /* transmit time queued this window */
  uint64_t dropped;             /* packets its full queues dropped */
  uint64_t flows;               /* flows it was given */
} CloudRunConnectorInstance;

typedef struct {
  CloudRunNode base;
  char *name;                   /* the connector's NAME, owned */
  SimPort *vpc;                 /* to the VPC router */
  CloudRunConnectorInstance instances[CLOUDRUN_CONNECTOR_MAX_INSTANCES];
  unsigned n_started;           /* instances started (running or starting) */
  unsigned next_pick;           /* after the instance given the last new
                                   flow: where ties start */
  unsigned max_instances;
  uint64_t rate_bps;            /* each instance's throughput */
  SimTime start_time;           /* a new instance serves after this */
  SimTime window_start;         /* the scale-out window in progress */
  uint64_t window_drops;        /* queue drops in it */
  uint32_t prefix;              /* the /28's network address */
  CloudRunGauge *instances_gauge; /* instances started, over time */
  CloudRunSnat snat;
  GArray *attached;             /* CloudRunEgressSide by port index */
} CloudRunConnectorNode;

CloudRunConnectorNode *cloudrun_connector_new (CloudRunWorld *world,
                                               const VpcConnectorConfig *config);
/* A port for one instance of a revision, whose stack is host. */
SimPort *cloudrun_connector_attach (CloudRunConnectorNode *c,
                                    const char *port_name,
                                    const CloudRunRevisionEgress *cfg,
                                    const SimHost *host);
/* Instances running or starting now. */
unsigned cloudrun_connector_instances (const CloudRunConnectorNode *c);

#endif
