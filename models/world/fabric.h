/* Google's internal fabric between a VPC (router, PSC endpoint) or a load
 * balancer proxy and the GFE. Packets cross it inside a Geneve envelope
 * (UDP 6081) whose VNI and option say where they come from, so that the
 * GFE classifies a request from what its packets carry and a student sees
 * in Wireshark exactly what made it internal. Option class 0xfff0 is in
 * the experimental range of the Geneve option class registry.
 *
 *   type 1 (VPC):          VNI = source network, data = its project number
 *   type 2 (internal ALB): VNI = load balancer, data = its project number
 *   type 3 (external ALB): VNI = load balancer, data = its project number
 *   type 4 (Google product: Pub/Sub push, Cloud Tasks, ...): VNI = the
 *                          caller, data = its project number */
#ifndef CLOUDRUN_FABRIC_H
#define CLOUDRUN_FABRIC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/packet.h"
#include "sim/wire.h"

#define CLOUDRUN_FABRIC_OPT_CLASS 0xfff0u

typedef enum {
  CLOUDRUN_FABRIC_NONE = 0,     /* no envelope: from the internet */
  CLOUDRUN_FABRIC_VPC = 1,
  CLOUDRUN_FABRIC_INTERNAL_ALB = 2,
  CLOUDRUN_FABRIC_EXTERNAL_ALB = 3,
  CLOUDRUN_FABRIC_GOOGLE_PRODUCT = 4,
} CloudRunFabricKind;

typedef struct {
  CloudRunFabricKind kind;
  uint32_t vni;                 /* network or load balancer id (24 bits) */
  uint64_t project_number;      /* of the network or load balancer */
} CloudRunFabricIdentity;

/* Wraps the whole inner Ethernet frame in packet: Geneve, then outer UDP,
 * IPv4 (outer_src -> outer_dst) and Ethernet. The fabric's outer header
 * is IPv4 always (Google's fabric addresses); the inner frame may be
 * IPv6 (Geneve protocol type 0x6558, then Ethernet type 0x86dd), whose
 * source address then feeds the outer source port's entropy. */
void cloudrun_fabric_wrap (SimPacket *packet, uint32_t outer_src,
                           uint32_t outer_dst,
                           const CloudRunFabricIdentity *identity);
/* When packet is a Geneve envelope of ours, strips it (the inner frame
 * remains) and fills identity; otherwise returns false and leaves it. */
bool cloudrun_fabric_unwrap (SimPacket *packet,
                             CloudRunFabricIdentity *identity);
/* A fabric frame read once: who sent the envelope and the inner frame,
 * parsed (its pointers are into the packet, valid while it is). */
typedef struct {
  uint32_t outer_src;           /* the envelope's source address */
  CloudRunFabricIdentity identity;
  SimFrame inner;
} CloudRunFabricFrame;

/* As cloudrun_fabric_unwrap, also giving the envelope's source and the
 * inner frame parsed; false (packet left as it was) when the inner frame
 * does not parse either. Each header is parsed once. */
bool cloudrun_fabric_open (SimPacket *packet, CloudRunFabricFrame *frame);
const char *cloudrun_fabric_kind_name (CloudRunFabricKind kind);

#endif
