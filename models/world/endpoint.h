/* A host that sends [traffic] requests and answers HTTP on port 80 (an
 * internet client also https on 443): an internet client (public DNS), a
 * Compute Engine VM (the metadata server's resolver for its network's
 * view, at 169.254.169.254), or a Cloud Run job's task or worker pool's
 * instance (the same resolver, no ingress).
 * Scenario keys read: [client] address; [vm] subnet, address, external-ip
 * (the VM's external address is the VPC router's business), resolver,
 * dns-server (it answers DNS from its network's view). */
#ifndef CLOUDRUN_ENDPOINT_H
#define CLOUDRUN_ENDPOINT_H

#include "models/world/http-server.h"
#include "models/world/requester.h"
#include "models/world/world.h"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* first port: its network interface */
  CloudRunRequester requester;  /* its traffic */
  CloudRunHttpServer http;      /* answers 200 on port 80 (and 443) */
  CloudRunHopKind hop;          /* client or vm */
  const char *kind;             /* "internet host", "VM" */
  const DnsView *dns;           /* a DNS server VM's view, or NULL */
} CloudRunEndpoint;

CloudRunEndpoint *cloudrun_endpoint_new (CloudRunWorld *world,
                                         const char *name, CloudRunHopKind hop,
                                         const char *port_name, uint32_t addr,
                                         uint32_t resolver);
/* A VM endpoint that is a host of an on-premises site: its requests start
 * from a private network (Connectivity Tests' START_FROM_PRIVATE_NETWORK)
 * and it answers as an on-premises host. */
void cloudrun_endpoint_on_premises (CloudRunEndpoint *ep);
/* An endpoint that is a Cloud Run job's task or worker pool's instance
 * (hop JOB or WORKER_POOL, kind "job task", ...): its requests start
 * from Cloud Run (START_FROM_CLOUD_RUN_REVISION), its egress wired as a
 * service instance's; nothing reaches its HTTP server (no ingress). */
void cloudrun_endpoint_cloud_run (CloudRunEndpoint *ep, CloudRunHopKind hop,
                                  const char *kind);
/* A VM that is a DNS server: it answers A queries on UDP port 53 from
 * view (its network's), without forwarding. */
void cloudrun_endpoint_serve_dns (CloudRunEndpoint *ep, const DnsView *view);

#endif
