/* Inter-region delays (see models/world/region-latency.h). */
#include "models/world/region-latency.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/node.h"
#include "sim/wire.h"
#include "sim/world.h"

/* The city each region is in (degrees), from the Cloud Run locations
 * page's city names; a data centre is within a few tens of km of it. */
static const struct {
  const char *name;
  double lat, lon;
} regions[] = {
  { "africa-south1", -26.20, 28.05 },           /* Johannesburg */
  { "asia-east1", 24.07, 120.54 },              /* Changhua, Taiwan */
  { "asia-east2", 22.32, 114.17 },              /* Hong Kong */
  { "asia-northeast1", 35.68, 139.69 },         /* Tokyo */
  { "asia-northeast2", 34.69, 135.50 },         /* Osaka */
  { "asia-northeast3", 37.57, 126.98 },         /* Seoul */
  { "asia-south1", 19.08, 72.88 },              /* Mumbai */
  { "asia-south2", 28.61, 77.21 },              /* Delhi */
  { "asia-southeast1", 1.35, 103.82 },          /* Singapore */
  { "asia-southeast2", -6.21, 106.85 },         /* Jakarta */
  { "australia-southeast1", -33.87, 151.21 },   /* Sydney */
  { "australia-southeast2", -37.81, 144.96 },   /* Melbourne */
  { "europe-central2", 52.23, 21.01 },          /* Warsaw */
  { "europe-north1", 60.57, 27.20 },            /* Hamina, Finland */
  { "europe-southwest1", 40.42, -3.70 },        /* Madrid */
  { "europe-west1", 50.47, 3.87 },              /* St. Ghislain, Belgium */
  { "europe-west2", 51.51, -0.13 },             /* London */
  { "europe-west3", 50.11, 8.68 },              /* Frankfurt */
  { "europe-west4", 53.43, 6.83 },              /* Eemshaven, Netherlands */
  { "europe-west6", 47.38, 8.54 },              /* Zurich */
  { "europe-west8", 45.46, 9.19 },              /* Milan */
  { "europe-west9", 48.86, 2.35 },              /* Paris */
  { "europe-west10", 52.52, 13.40 },            /* Berlin */
  { "europe-west12", 45.07, 7.69 },             /* Turin */
  { "me-central1", 25.29, 51.53 },              /* Doha */
  { "me-central2", 26.43, 50.10 },              /* Dammam */
  { "me-west1", 32.09, 34.78 },                 /* Tel Aviv */
  { "northamerica-northeast1", 45.50, -73.57 }, /* Montreal */
  { "northamerica-northeast2", 43.65, -79.38 }, /* Toronto */
  { "southamerica-east1", -23.55, -46.63 },     /* Sao Paulo */
  { "southamerica-west1", -33.45, -70.67 },     /* Santiago */
  { "us-central1", 41.26, -95.86 },             /* Council Bluffs, Iowa */
  { "us-east1", 33.20, -80.01 },                /* Moncks Corner, S.C. */
  { "us-east4", 39.04, -77.49 },                /* Ashburn, Virginia */
  { "us-east5", 39.96, -83.00 },                /* Columbus */
  { "us-south1", 32.78, -96.80 },               /* Dallas */
  { "us-west1", 45.59, -121.18 },               /* The Dalles, Oregon */
  { "us-west2", 34.05, -118.24 },               /* Los Angeles */
  { "us-west3", 40.76, -111.89 },               /* Salt Lake City */
  { "us-west4", 36.17, -115.14 },               /* Las Vegas */
};

#define EARTH_RADIUS_KM 6371.0
#define ROUTE_FACTOR 1.4
#define FIBRE_KM_PER_S 204000.0

static int
region_index (const char *name)
{
  for (gsize i = 0; name && i < G_N_ELEMENTS (regions); i++)
    if (strcmp (regions[i].name, name) == 0)
      return (int) i;
  return -1;
}

bool
cloudrun_region_known (const char *region)
{
  return region_index (region) >= 0;
}

uint16_t
cloudrun_region_origin (const char *region)
{
  return (uint16_t) (region_index (region) + 1);
}

const char *
cloudrun_region_of_origin (uint16_t origin)
{
  return origin >= 1 && origin <= G_N_ELEMENTS (regions)
         ? regions[origin - 1].name : NULL;
}

SimTime
cloudrun_region_one_way (const char *a, const char *b)
{
  int i = region_index (a), j = region_index (b);
  double p1, p2, dl, h, km;

  if (i < 0 || j < 0 || i == j)
    return 0;
  /* Haversine great-circle distance. */
  p1 = regions[i].lat * G_PI / 180.0;
  p2 = regions[j].lat * G_PI / 180.0;
  dl = (regions[j].lon - regions[i].lon) * G_PI / 180.0;
  h = sin ((p2 - p1) / 2) * sin ((p2 - p1) / 2)
      + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);
  km = 2.0 * EARTH_RADIUS_KM * asin (sqrt (h));
  /* Whole microseconds: the same on every host's libm rounding. */
  return (SimTime) llround (km * ROUTE_FACTOR / FIBRE_KM_PER_S * 1e6)
         * SIM_US;
}

SimTime
cloudrun_backbone_delay (const SimPacket *packet, const char *region)
{
  SimFrame f;

  if (!region || !packet->origin
      || !sim_frame_parse (packet->data, packet->len, &f)
      || (f.proto == SIM_IPPROTO_TCP && (f.tcp.flags & SIM_TCP_SYN)))
    return 0;
  return cloudrun_region_one_way (cloudrun_region_of_origin (packet->origin),
                                  region);
}

const char *
cloudrun_backbone_note (SimExplainLog *log, uint16_t origin,
                        const char *region, const char *note)
{
  const char *from = cloudrun_region_of_origin (origin);
  SimTime d = cloudrun_region_one_way (from, region);

  if (d <= 0)
    return note;
  return sim_explain_internf (log, "%s; it reached Google's front end in "
                              "%s, where it set out from, and crosses "
                              "Google's backbone to the service's region "
                              "%s: %.1f ms each way (the inter-region "
                              "table, models/world/region-latency.h), held "
                              "on the GFE's path to the instance", note,
                              from, region, (double) d / (double) SIM_MS);
}

static void
send_later_fire (SimKernel *k, void *target, void *arg, uint64_t u)
{
  (void) k; (void) u;
  sim_port_send (target, arg);
}

void
cloudrun_release_held (SimWorld *world)
{
  sim_world_release_pending (world, send_later_fire);
}

void
cloudrun_send_after (SimPort *port, SimPacket *packet, SimTime delay)
{
  SimKernel *kernel = sim_world_kernel (port->node->world);

  if (delay <= 0)
    {
      sim_port_send (port, packet);
      return;
    }
  sim_kernel_schedule (kernel, sim_kernel_now (kernel) + delay,
                       send_later_fire, port, packet, 0);
}
