/* Google's known addresses (see models/world/google.h). */
#include "models/world/google.h"

#include <glib.h>

#include "sim/wire.h"

const uint32_t cloudrun_run_app_front_ends[CLOUDRUN_N_RUN_APP_FRONT_ENDS] = {
  0xd8ef2035u, 0xd8ef2235u, 0xd8ef2435u, 0xd8ef2635u,
};

const uint32_t cloudrun_mapping_front_ends[CLOUDRUN_N_RUN_APP_FRONT_ENDS] = {
  0xd8ef2015u, 0xd8ef2215u, 0xd8ef2415u, 0xd8ef2615u,
};

#define FRONT_END6(n, low) \
  { 0x20, 0x01, 0x48, 0x60, 0x48, 0x02, 0x00, n, [15] = low }

const uint8_t
  cloudrun_run_app_front_ends6[CLOUDRUN_N_RUN_APP_FRONT_ENDS][16] = {
  FRONT_END6 (0x32, 0x35), FRONT_END6 (0x34, 0x35),
  FRONT_END6 (0x36, 0x35), FRONT_END6 (0x38, 0x35),
};

const uint8_t
  cloudrun_mapping_front_ends6[CLOUDRUN_N_RUN_APP_FRONT_ENDS][16] = {
  FRONT_END6 (0x32, 0x15), FRONT_END6 (0x34, 0x15),
  FRONT_END6 (0x36, 0x15), FRONT_END6 (0x38, 0x15),
};

const uint8_t cloudrun_private_vip6[16] = {
  0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x20, 0x00,
};

const uint8_t cloudrun_restricted_vip6[16] = {
  0x26, 0x00, 0x2d, 0x00, 0x00, 0x02, 0x10, 0x00,
};

bool
cloudrun_google_vip (uint32_t dst)
{
  return (dst & sim_cidr_mask (CLOUDRUN_VIPS_LEN)) == CLOUDRUN_PRIVATE_VIPS
         || (dst & sim_cidr_mask (CLOUDRUN_VIPS_LEN))
              == CLOUDRUN_RESTRICTED_VIPS;
}

bool
cloudrun_google_destination (uint32_t dst)
{
  return (dst & sim_cidr_mask (CLOUDRUN_GOOGLE_FRONT_ENDS_LEN))
           == CLOUDRUN_GOOGLE_FRONT_ENDS
         || cloudrun_google_vip (dst);
}

bool
cloudrun_private_address (uint32_t dst)
{
  static const struct { uint32_t prefix; uint8_t len; } ranges[] = {
    { 0x0a000000u, 8 },         /* 10.0.0.0/8 */
    { 0xac100000u, 12 },        /* 172.16.0.0/12 */
    { 0xc0a80000u, 16 },        /* 192.168.0.0/16 */
    { 0x64400000u, 10 },        /* 100.64.0.0/10 (RFC 6598) */
  };

  for (size_t i = 0; i < G_N_ELEMENTS (ranges); i++)
    if ((dst & sim_cidr_mask (ranges[i].len)) == ranges[i].prefix)
      return true;
  return false;
}

bool
cloudrun_dns_forwarder (uint32_t addr)
{
  return (addr & 0xffffe000u) == CLOUDRUN_DNS_FORWARDERS;
}

const SimIp6 cloudrun_google_front_ends6 = {
  { 0x20, 0x01, 0x48, 0x60, 0x48, 0x02 }
};
static const SimIp6 ula6 = { { 0xfc } };

bool
cloudrun_google_vip6 (const SimIp6 *dst)
{
  return sim_ipv6_in_prefix (dst, (const SimIp6 *) cloudrun_private_vip6,
                             CLOUDRUN_VIPS6_LEN)
         || sim_ipv6_in_prefix (dst,
                                (const SimIp6 *) cloudrun_restricted_vip6,
                                CLOUDRUN_VIPS6_LEN);
}

bool
cloudrun_google_destination6 (const SimIp6 *dst)
{
  return sim_ipv6_in_prefix (dst, &cloudrun_google_front_ends6,
                             CLOUDRUN_GOOGLE_FRONT_ENDS6_LEN)
         || cloudrun_google_vip6 (dst);
}

bool
cloudrun_private_address6 (const SimIp6 *dst)
{
  return sim_ipv6_in_prefix (dst, &ula6, 7);
}
