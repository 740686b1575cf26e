/* Big-endian (network order) 16- and 32-bit fields read and written in
 * place: the wire formats' one set of byte helpers. */
#ifndef SIM_BYTES_H
#define SIM_BYTES_H

#include <stdint.h>

static inline uint16_t
sim_get16 (const uint8_t *p)
{
  return (uint16_t) (p[0] << 8 | p[1]);
}

static inline uint32_t
sim_get32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16
         | (uint32_t) p[2] << 8 | p[3];
}

static inline void
sim_put16 (uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t) (v >> 8);
  p[1] = (uint8_t) v;
}

static inline void
sim_put32 (uint8_t *p, uint32_t v)
{
  sim_put16 (p, (uint16_t) (v >> 16));
  sim_put16 (p + 2, (uint16_t) v);
}

#endif
