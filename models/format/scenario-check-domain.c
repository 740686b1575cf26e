/* Cloud Run domain mappings at load
 * (https://cloud.google.com/run/docs/mapping-custom-domains): one mapping
 * per domain, on a domain the project can verify (no name of Google's
 * own), and not the hostname a load balancer already answers at. */
#include "models/format/scenario-private.h"

#include <string.h>

/* Regions where Cloud Run offers domain mappings (the page's
 * limitations). */
static const char *const mapping_regions[] = {
  "asia-east1", "asia-northeast1", "asia-southeast1", "europe-north1",
  "europe-west1", "europe-west4", "us-central1", "us-east1", "us-east4",
  "us-west1", NULL,
};

/* Google's own suffixes: no project verifies them. */
static const char *const google_suffixes[] = {
  "run.app", "googleapis.com", "googlehosted.com", NULL,
};

static gboolean
host_under (const char *host, const char *suffix)
{
  gsize h = strlen (host), s = strlen (suffix);

  return h == s ? strcmp (host, suffix) == 0
                : h > s && host[h - s - 1] == '.'
                  && strcmp (host + h - s, suffix) == 0;
}

/* The load balancer whose hostname is domain, or NULL. */
static const CloudRunSpecObject *
balancer_with_host (const CloudRunScenario *s, const char *domain)
{
  for (guint i = 0; i < s->internal_albs->len; i++)
    {
      const CloudRunSpecInternalAlb *a = s->internal_albs->pdata[i];
      if (a->hostname && strcmp (a->hostname, domain) == 0)
        return &a->base;
    }
  for (guint i = 0; i < s->external_albs->len; i++)
    {
      const CloudRunSpecExternalAlb *a = s->external_albs->pdata[i];
      if (a->hostname && strcmp (a->hostname, domain) == 0)
        return &a->base;
    }
  return NULL;
}

static gboolean
check_mapping (CloudRunCheck *c, guint index)
{
  const CloudRunScenario *s = c->s;
  const CloudRunSpecDomainMapping *m = s->domain_mappings->pdata[index];
  const CloudRunSpecObject *lb;
  g_autofree char *found = NULL;

  for (guint i = 0; google_suffixes[i]; i++)
    if (host_under (m->domain, google_suffixes[i]))
      {
        found = g_strdup_printf ("'%s', a name under %s", m->domain,
                                 google_suffixes[i]);
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                    &m->base, "domain", "a domain the "
                                    "project has verified (Google's own "
                                    "names cannot be mapped)", found, NULL,
                                    NULL);
      }
  for (guint i = 0; i < index; i++)
    {
      const CloudRunSpecDomainMapping *o = s->domain_mappings->pdata[i];
      if (strcmp (o->domain, m->domain) == 0)
        {
          found = g_strdup_printf ("'%s', already mapped by "
                                   "[domain-mapping %s]", m->domain,
                                   o->base.name);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &m->base, "domain", "a domain no other "
                                      "mapping holds (a domain maps to one "
                                      "service)", found, NULL, NULL);
        }
    }
  lb = balancer_with_host (s, m->domain);
  if (lb)
    {
      found = g_strdup_printf ("'%s', the hostname of [%s %s]", m->domain,
                               cloudrun_kind_info (lb->kind)->name,
                               lb->name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &m->base, "domain", "a domain no load "
                                  "balancer answers at", found, NULL,
                                  "a name resolves to one place: map the "
                                  "domain, or give it to the load balancer");
    }
  return TRUE;
}

gboolean
cloudrun_check_domain_mappings (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->domain_mappings->len; i++)
    if (!check_mapping (c, i))
      return FALSE;
  return TRUE;
}

void
cloudrun_domain_mapping_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->domain_mappings->len; i++)
    {
      const CloudRunSpecDomainMapping *m = s->domain_mappings->pdata[i];
      if (!g_strv_contains (mapping_regions, m->service->region))
        g_ptr_array_add (out, g_strdup_printf (
          "[domain-mapping %s] service: service %s is in %s, where Cloud "
          "Run offers no domain mappings (Google lists asia-east1, "
          "asia-northeast1, asia-southeast1, europe-north1, europe-west1, "
          "europe-west4, us-central1, us-east1, us-east4 and us-west1); "
          "simulated as if it were offered", m->base.name,
          m->service->base.name, m->service->region));
    }
}
