/* Google's known addresses (see models/world/google.h). */
#include "models/world/google.h"

#include "sim/wire.h"

const uint32_t cloudrun_run_app_front_ends[CLOUDRUN_N_RUN_APP_FRONT_ENDS] = {
  0xd8ef2035u, 0xd8ef2235u, 0xd8ef2435u, 0xd8ef2635u,
};

bool
cloudrun_google_destination (uint32_t dst)
{
  return (dst & sim_cidr_mask (CLOUDRUN_GOOGLE_FRONT_ENDS_LEN))
           == CLOUDRUN_GOOGLE_FRONT_ENDS
         || (dst & sim_cidr_mask (CLOUDRUN_VIPS_LEN)) == CLOUDRUN_PRIVATE_VIPS
         || (dst & sim_cidr_mask (CLOUDRUN_VIPS_LEN))
              == CLOUDRUN_RESTRICTED_VIPS;
}
