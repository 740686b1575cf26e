/* The fabric envelope (see models/world/fabric.h). */
#include "models/world/fabric.h"

#include <string.h>

#include "sim/geneve.h"
#include "sim/wire.h"

#define FABRIC_TTL 64u
/* Outer UDP source ports carry flow entropy from the dynamic range. */
#define FABRIC_ENTROPY_BASE 49152u

/* An IPv6 inner frame's source, folded to 32 bits for the entropy (an
 * IPv6 frame's src field is 0). */
static uint32_t
fabric_fold6 (const SimFrame *inner)
{
  SimIp6 src = sim_frame_src6 (inner);
  uint32_t fold = 0;

  for (int i = 0; i < 16; i++)
    fold ^= (uint32_t) src.b[i] << (8 * (3 - i % 4));
  return fold;
}

void
cloudrun_fabric_wrap (SimPacket *packet, uint32_t outer_src,
                      uint32_t outer_dst, const CloudRunFabricIdentity *id)
{
  static const uint8_t zero_mac[6];
  SimGeneve g = { .vni = id->vni & 0xffffff,
                  .opt_class = CLOUDRUN_FABRIC_OPT_CLASS,
                  .opt_type = (uint8_t) id->kind, .opt_len = 8 };
  SimFrame inner;
  uint16_t entropy = FABRIC_ENTROPY_BASE;

  for (int i = 0; i < 8; i++)
    g.opt_data[i] = (uint8_t) (id->project_number >> (56 - 8 * i));
  /* The outer source port carries flow entropy, as Geneve asks. */
  if (sim_frame_parse (packet->data, packet->len, &inner))
    entropy |= (uint16_t) ((inner.sport ^ inner.dport
                            ^ (inner.ip6 ? fabric_fold6 (&inner)
                                         : inner.src)) & 0x3fff);
  sim_geneve_push (packet, &g);
  sim_udp_push (packet, outer_src, outer_dst, entropy, SIM_GENEVE_PORT);
  sim_ipv4_push (packet, outer_src, outer_dst, SIM_IPPROTO_UDP, FABRIC_TTL, 0);
  sim_eth_push (packet, zero_mac, zero_mac, SIM_ETHERTYPE_IPV4);
}

/* Reads packet's envelope, if it is one of ours: outer frame, Geneve
 * header, identity. */
static bool
fabric_read (const SimPacket *packet, SimFrame *outer, SimGeneve *g,
             CloudRunFabricIdentity *id)
{
  if (!sim_frame_parse (packet->data, packet->len, outer)
      || outer->proto != SIM_IPPROTO_UDP || outer->dport != SIM_GENEVE_PORT
      || !sim_geneve_parse (outer->payload, outer->payload_len, g)
      || g->opt_class != CLOUDRUN_FABRIC_OPT_CLASS || g->opt_len < 8)
    return false;
  id->kind = (CloudRunFabricKind) g->opt_type;
  id->vni = g->vni;
  id->project_number = 0;
  for (int i = 0; i < 8; i++)
    id->project_number = id->project_number << 8 | g->opt_data[i];
  return true;
}

/* Leaves the inner frame alone in packet. */
static void
fabric_strip (SimPacket *packet, const SimGeneve *g)
{
  sim_packet_strip (packet, (uint32_t) (g->inner - packet->data));
  packet->len = g->inner_len;
}

bool
cloudrun_fabric_unwrap (SimPacket *packet, CloudRunFabricIdentity *id)
{
  SimFrame outer;
  SimGeneve g;

  if (!fabric_read (packet, &outer, &g, id))
    return false;
  fabric_strip (packet, &g);
  return true;
}

bool
cloudrun_fabric_open (SimPacket *packet, CloudRunFabricFrame *frame)
{
  SimFrame outer;
  SimGeneve g;

  if (!fabric_read (packet, &outer, &g, &frame->identity)
      || !sim_frame_parse (g.inner, g.inner_len, &frame->inner))
    return false;
  frame->outer_src = outer.src;
  fabric_strip (packet, &g);
  return true;
}

const char *
cloudrun_fabric_kind_name (CloudRunFabricKind kind)
{
  switch (kind)
    {
    case CLOUDRUN_FABRIC_VPC: return "VPC network";
    case CLOUDRUN_FABRIC_INTERNAL_ALB: return "internal Application Load Balancer";
    case CLOUDRUN_FABRIC_EXTERNAL_ALB: return "external Application Load Balancer";
    case CLOUDRUN_FABRIC_GOOGLE_PRODUCT: return "Google product";
    default: return "internet";
    }
}
