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

/* Each region once: name, run.app code, city. */
#define REGIONS(X) \
  X ("africa-south1", "fs", "Johannesburg")        /* code unconfirmed */ \
  X ("asia-east1", "de", "Taiwan") \
  X ("asia-east2", "df", "Hong Kong") \
  X ("asia-northeast1", "an", "Tokyo") \
  X ("asia-northeast2", "dt", "Osaka") \
  X ("asia-northeast3", "du", "Seoul") \
  X ("asia-south1", "el", "Mumbai") \
  X ("asia-south2", "em", "Delhi") \
  X ("asia-southeast1", "as", "Singapore") \
  X ("asia-southeast2", "et", "Jakarta") \
  X ("australia-southeast1", "ts", "Sydney") \
  X ("australia-southeast2", "km", "Melbourne") \
  X ("europe-central2", "lm", "Warsaw") \
  X ("europe-north1", "lz", "Finland") \
  X ("europe-southwest1", "no", "Madrid") \
  X ("europe-west1", "ew", "Belgium") \
  X ("europe-west2", "nw", "London") \
  X ("europe-west3", "ey", "Frankfurt") \
  X ("europe-west4", "ez", "Netherlands") \
  X ("europe-west6", "oa", "Zurich") \
  X ("europe-west8", "oc", "Milan") \
  X ("europe-west9", "od", "Paris") \
  X ("europe-west10", "oe", "Berlin")              /* code unconfirmed */ \
  X ("europe-west12", "og", "Turin") \
  X ("me-central1", "ww", "Doha") \
  X ("me-central2", "wx", "Dammam")                /* code unconfirmed */ \
  X ("me-west1", "zf", "Tel Aviv") \
  X ("northamerica-northeast1", "nn", "Montreal") \
  X ("northamerica-northeast2", "pd", "Toronto") \
  X ("southamerica-east1", "rj", "Sao Paulo") \
  X ("southamerica-west1", "tl", "Santiago") \
  X ("us-central1", "uc", "Iowa") \
  X ("us-east1", "ue", "South Carolina") \
  X ("us-east4", "uk", "Northern Virginia") \
  X ("us-east5", "ul", "Columbus") \
  X ("us-south1", "vp", "Dallas") \
  X ("us-west1", "uw", "Oregon") \
  X ("us-west2", "wl", "Los Angeles") \
  X ("us-west3", "wm", "Salt Lake City") \
  X ("us-west4", "wn", "Las Vegas")

#define REGION_ROW(name, code, city) { name, code, city },
static const CloudRunRegion regions[] = { REGIONS (REGION_ROW) };
#undef REGION_ROW

/* The names alone, NULL-terminated: a table of its own, fixed at compile
 * time. */
#define REGION_NAME(name, code, city) name,
static const char *const region_names[] = { REGIONS (REGION_NAME) NULL };
#undef REGION_NAME

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
  return region_names;
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
