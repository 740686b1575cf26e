/* The Google Front End: terminates the caller's TCP (port 80) or TLS (port
 * 443, sim/tls.h) on the run.app front end addresses (and the Private Google Access VIPs and PSC endpoint
 * addresses), reads the Host header, finds the service, classifies the
 * request internal or external from what its packets carried, applies the
 * service's ingress setting, then Identity-Aware Proxy when the service
 * has it (models/world/iap.h: what passes goes on with IAP's service
 * agent's credentials), then IAM, and either proxies the request to
 * an instance or answers the refusal itself: the container never sees a
 * refused request.
 *
 * What the packets carry: a request that came in on the internet port has
 * no envelope and is external. One that crossed Google's fabric carries a
 * Geneve envelope (models/world/fabric.h): from a VPC network (its VNI and
 * project number), from an internal or an external Application Load
 * Balancer. The GFE reads it on the SYN, keeps it for the connection and
 * wraps its replies the same way. A load balancer's request keeps the
 * Host its client used: the GFE finds the service from the load
 * balancer's serverless NEG instead.
 *
 * It listens on the IPv6 front ends and VIPs too (google.h): a request
 * over IPv6, from the internet or in a VPC's envelope, is served the same
 * way and answered over IPv6; [assumptions] ipv6-internal says whether
 * one from a VPC can be internal.
 *
 * Geography: one GFE node stands for Google's front ends everywhere. A
 * request is met near where it set out from (its SYN's SimPacket.origin,
 * models/world/region-latency.h) and crosses Google's backbone to its
 * service's region: every packet between the GFE and the instance, both
 * ways, is held for the inter-region one-way time, except the upstream
 * handshake's SYN and SYN-ACK (the front end's connections into the
 * region are kept open, so a request pays one backbone round trip).
 * https://cloud.google.com/run/docs/securing/ingress
 * Scenario keys read: [service] ingress, default-url, invokers, iap,
 * iap-access (through the service record); [project] perimeter, [perimeter NAME] (through
 * models/world/perimeter.h); [network] shared-with;
 * [assumptions] ingress-denied-status, ipv6-internal. */
#ifndef CLOUDRUN_GFE_H
#define CLOUDRUN_GFE_H

#include "models/world/fabric.h"
#include "models/world/perimeter.h"
#include "models/world/proxy.h"
#include "models/world/service.h"
#include "sim/host.h"

/* What the GFE knows of a VNI: the network behind it, or the Google
 * product calling (Geneve type 4). */
typedef struct {
  uint32_t vni;
  const char *name;             /* network NAME; a product's label */
  uint64_t project_number;      /* its host project */
  const CloudRunPerimeterPolicy *perimeter; /* its project's VPC-SC
                                   perimeter, or NULL */
  GArray *shared_with;          /* uint64_t project numbers (Shared VPC) */
} CloudRunGfeNetwork;

/* A load balancer's serverless NEG as the GFE knows it: the envelope's
 * VNI names the load balancer, the NEG the service it sends to. */
typedef struct {
  uint32_t vni;                 /* the load balancer */
  char *service_host;           /* its service's run.app host, owned */
} CloudRunGfeNeg;

typedef struct {
  CloudRunNode base;
  SimHost host;                 /* front end addresses; serving address */
  SimPort *internet;            /* port to the internet */
  uint32_t serving_addr;        /* source address towards instances */
  uint32_t fabric_addr;         /* outer address of its Geneve replies */
  CloudRunProxy proxy;
  GArray *flows;                /* CloudRunGfeFlow: the fabric senders met,
                                   by packet flow_tag - 1 */
  GArray *networks;             /* CloudRunGfeNetwork */
  GArray *negs;                 /* CloudRunGfeNeg: the load balancers'
                                   serverless NEGs */
  GArray *fabric;               /* gboolean by port index: a fabric port */
  GPtrArray *port_region;       /* by port index: the region of the
                                   instance behind it, or NULL */
  bool ipv6_external;           /* [assumptions] ipv6-internal =
                                   external: a request over IPv6 is never
                                   internal */
  uint64_t refused;             /* requests answered by the GFE itself */
  uint64_t queued;              /* requests that waited for a slot */
} CloudRunGfe;

CloudRunGfe *cloudrun_gfe_new (CloudRunWorld *world, const uint32_t *front_ends,
                               unsigned n_front_ends, uint32_t serving_addr,
                               uint32_t fabric_addr);
/* Connects an instance: a port towards it and a host route. */
SimPort *cloudrun_gfe_add_instance_port (CloudRunGfe *gfe,
                                         CloudRunInstance *instance);
/* A port on Google's fabric (from a VPC router, a PSC endpoint, a load
 * balancer proxy). */
SimPort *cloudrun_gfe_add_fabric_port (CloudRunGfe *gfe, const char *name);
/* Tells the GFE what a VNI stands for (takes shared_with). */
void cloudrun_gfe_add_network (CloudRunGfe *gfe, const CloudRunGfeNetwork *net);
/* Tells the GFE the service a load balancer's serverless NEG sends to:
 * its requests go there whatever their Host (service_host is copied). */
void cloudrun_gfe_add_serverless_neg (CloudRunGfe *gfe, uint32_t vni,
                                      const char *service_host);

#endif
