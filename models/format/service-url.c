/* Cloud Run URL names and the region table; see models/format/service-url.h.
 *
 * Regions: the Cloud Run locations page
 * (https://cloud.google.com/run/docs/locations). Codes: the run.app
 * region codes Google assigns (the same as App Engine's REGION_ID).
 * Codes marked "unconfirmed" are [assumption]s: the region is real, the
 * code could not be checked against Google's table; they only change the
 * text of the first URL form. */
#include "models/format/service-url.h"

#include <string.h>

static const CloudRunRegion regions[] = {
  { "africa-south1", "fs", "Johannesburg" },        /* code unconfirmed */
  { "asia-east1", "de", "Taiwan" },
  { "asia-east2", "df", "Hong Kong" },
  { "asia-northeast1", "an", "Tokyo" },
  { "asia-northeast2", "dt", "Osaka" },
  { "asia-northeast3", "du", "Seoul" },
  { "asia-south1", "el", "Mumbai" },
  { "asia-south2", "em", "Delhi" },
  { "asia-southeast1", "as", "Singapore" },
  { "asia-southeast2", "et", "Jakarta" },
  { "australia-southeast1", "ts", "Sydney" },
  { "australia-southeast2", "km", "Melbourne" },
  { "europe-central2", "lm", "Warsaw" },
  { "europe-north1", "lz", "Finland" },
  { "europe-southwest1", "no", "Madrid" },
  { "europe-west1", "ew", "Belgium" },
  { "europe-west2", "nw", "London" },
  { "europe-west3", "ey", "Frankfurt" },
  { "europe-west4", "ez", "Netherlands" },
  { "europe-west6", "oa", "Zurich" },
  { "europe-west8", "oc", "Milan" },
  { "europe-west9", "od", "Paris" },
  { "europe-west10", "oe", "Berlin" },              /* code unconfirmed */
  { "europe-west12", "og", "Turin" },
  { "me-central1", "ww", "Doha" },
  { "me-central2", "wx", "Dammam" },                /* code unconfirmed */
  { "me-west1", "zf", "Tel Aviv" },
  { "northamerica-northeast1", "nn", "Montreal" },
  { "northamerica-northeast2", "pd", "Toronto" },
  { "southamerica-east1", "rj", "Sao Paulo" },
  { "southamerica-west1", "tl", "Santiago" },
  { "us-central1", "uc", "Iowa" },
  { "us-east1", "ue", "South Carolina" },
  { "us-east4", "uk", "Northern Virginia" },
  { "us-east5", "ul", "Columbus" },
  { "us-south1", "vp", "Dallas" },
  { "us-west1", "uw", "Oregon" },
  { "us-west2", "wl", "Los Angeles" },
  { "us-west3", "wm", "Salt Lake City" },
  { "us-west4", "wn", "Las Vegas" },
};

const CloudRunRegion *
cloudrun_region_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (regions); i++)
    if (strcmp (regions[i].name, name) == 0)
      return &regions[i];
  return NULL;
}

const char *const *
cloudrun_region_names (void)
{
  static const char *names[G_N_ELEMENTS (regions) + 1];

  /* Filled once; the table is constant so a repeated fill is harmless. */
  if (names[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (regions); i++)
      names[i] = regions[i].name;
  return names;
}

static uint64_t
fnv1a64 (uint64_t h, const char *text)
{
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3u;
    }
  return h;
}

#define FNV_OFFSET 0xcbf29ce484222325u

uint64_t
cloudrun_project_number_default (const char *project_name)
{
  return fnv1a64 (FNV_OFFSET, project_name) % 900000000000u
         + 100000000000u;
}

void
cloudrun_service_hash (const char *project, const char *service,
                       char out[CLOUDRUN_SERVICE_HASH_LEN + 1])
{
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t h = fnv1a64 (fnv1a64 (fnv1a64 (FNV_OFFSET, project), "/"),
                        service);

  /* 36^10 < 2^64: ten base-36 digits of h, most significant first. */
  for (int i = CLOUDRUN_SERVICE_HASH_LEN - 1; i >= 0; i--)
    {
      out[i] = digits[h % 36];
      h /= 36;
    }
  out[CLOUDRUN_SERVICE_HASH_LEN] = '\0';
}

char *
cloudrun_service_hash_host (const char *project, const char *service,
                            const char *region)
{
  const CloudRunRegion *r = cloudrun_region_lookup (region);
  char hash[CLOUDRUN_SERVICE_HASH_LEN + 1];

  if (r == NULL)
    return NULL;
  cloudrun_service_hash (project, service, hash);
  return g_strdup_printf ("%s-%s-%s.a.run.app", service, hash, r->code);
}

char *
cloudrun_service_number_host (uint64_t project_number, const char *service,
                              const char *region)
{
  return g_strdup_printf ("%s-%012" G_GUINT64_FORMAT ".%s.run.app", service,
                          project_number, region);
}
