/* Geneve (RFC 8926) encapsulation on UDP port 6081: a fixed header with a
 * 24-bit VNI and one option TLV, carrying an inner Ethernet frame. */
#ifndef SIM_GENEVE_H
#define SIM_GENEVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/packet.h"

#define SIM_GENEVE_PORT 6081u

typedef struct {
  uint32_t vni;                 /* 24 bits */
  uint16_t opt_class;
  uint8_t opt_type;
  uint8_t opt_len;              /* option data bytes, multiple of 4, <= 124 */
  uint8_t opt_data[124];
  const uint8_t *inner;         /* parse only: the inner Ethernet frame */
  uint32_t inner_len;
} SimGeneve;

/* Prepends the Geneve header and option in front of the packet's current
 * data (the inner Ethernet frame); protocol type 0x6558. */
void sim_geneve_push (SimPacket *packet, const SimGeneve *g);
/* Parses a UDP payload; false when malformed. */
bool sim_geneve_parse (const uint8_t *data, uint32_t len, SimGeneve *out);

#endif
