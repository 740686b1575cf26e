/* Application Load Balancers in front of a Cloud Run service through a
 * serverless NEG: an Envoy-style proxy that terminates the caller's TCP
 * (port 80) or TLS (port 443) on the forwarding rule address and sends
 * the request on to the service across Google's fabric, its packets
 * wrapped in a Geneve envelope that names the load balancer
 * (models/world/fabric.h); the GFE finds the service from that name (the
 * NEG), not from the Host. The request goes on with the caller's header
 * fields, Host and Authorization included, less the hop-by-hop ones, plus
 * X-Forwarded-For (client, forwarding rule), Via: 1.1 google and
 * X-Forwarded-Proto (sim/http-forward.h).
 * An internal ALB sits in a VPC and needs a proxy-only subnet in its
 * region (otherwise LOAD_BALANCER_HAS_NO_PROXY_SUBNET); its requests are
 * internal. An external ALB sits on the internet; its requests are
 * external but pass ingress = internal-and-cloud-load-balancing.
 * https://cloud.google.com/load-balancing/docs/https (headers),
 * https://cloud.google.com/load-balancing/docs/l7-internal,
 * https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts
 * An external ALB may hold a Cloud Armor backend security policy
 * (models/world/security-policy.h): it decides each request from its TCP
 * peer, that address's region code and the request's header fields
 * before the request goes on; a deny is answered by the load balancer.
 * Scenario keys read: [internal-alb] network, region, address, backend,
 * hostname; [external-alb] address, backend, hostname, security-policy,
 * iap, iap-access (Cloud Armor first, then IAP on the backend service,
 * models/world/iap.h: both asked before the request is proxied). */
#ifndef CLOUDRUN_LOAD_BALANCER_H
#define CLOUDRUN_LOAD_BALANCER_H

#include "models/world/fabric.h"
#include "models/world/iap.h"
#include "models/world/proxy.h"
#include "models/world/security-policy.h"
#include "models/world/world.h"

/* The Via entry Google's Application Load Balancers add. */
#define CLOUDRUN_LB_VIA "1.1 google"

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* forwarding rule and proxy addresses */
  CloudRunProxy proxy;
  SimPort *front;               /* to the VPC router, or the internet */
  SimPort *google;              /* fabric to the GFE */
  CloudRunHopKind hop;          /* ilb or external-alb */
  const char *label;            /* "internal ALB ilb", for explanations */
  const char *backend;          /* the backend service NAME */
  const char *backend_host;     /* its run.app host (the NEG's target) */
  bool has_proxy_subnet;        /* internal: a proxy-only subnet exists */
  char *region;                 /* internal: its region, owned; NULL for
                                   an external (global) load balancer */
  bool global_access;           /* internal: clients of every region */
  GArray *client_ranges;        /* VpcRegionRange (regions owned): where
                                   the network's sources live */
  uint32_t proxy_addr;          /* source of the proxied connections */
  uint32_t gfe_addr;            /* the front end it proxies to */
  CloudRunFabricIdentity identity;
  uint32_t fabric_addr, gfe_fabric_addr;
  CloudRunSecurityPolicy *armor; /* its backend security policy, owned;
                                   NULL: none */
  GArray *geo;                  /* CloudRunGeoRange (codes owned): the
                                   region codes of sources */
  uint64_t armor_denied;        /* requests its policy denied */
  CloudRunIap iap;              /* IAP on its backend service */
  bool iap_first;               /* a classic ALB: IAP before Cloud Armor */
} CloudRunLoadBalancer;

typedef struct {
  const char *name;             /* node name */
  const char *label;
  CloudRunHopKind hop;
  CloudRunFabricKind kind;      /* internal or external ALB */
  uint32_t vni;                 /* identifies the load balancer */
  uint64_t project_number;
  uint32_t address;             /* forwarding rule */
  uint32_t proxy_addr;          /* 0: the forwarding rule address */
  bool has_proxy_subnet;
  const char *backend, *backend_host;
  const char *region;           /* internal: its region; NULL: global */
  bool global_access;           /* internal: clients of every region */
  const VpcRegionRange *client_ranges; /* internal: the network's ranges
                                   and their regions (copied) */
  guint n_client_ranges;
  uint32_t gfe_addr, fabric_addr, gfe_fabric_addr;
  const CloudRunSecurityPolicyConfig *security_policy; /* external: its
                                   Cloud Armor policy (copied); NULL none */
  const CloudRunGeoRange *geo;  /* where sources are (copied) */
  guint n_geo;
  CloudRunIapConfig iap;        /* external: IAP on its backend service */
  bool iap_first;               /* external, classic: IAP decides before
                                   Cloud Armor; otherwise after */
} CloudRunLoadBalancerConfig;

CloudRunLoadBalancer *cloudrun_load_balancer_new (
  CloudRunWorld *world, const CloudRunLoadBalancerConfig *config);

#endif
