/* Scenario cross checks of Identity-Aware Proxy ([service] and
 * [external-alb] iap, iap-access; docs/networking.md, "Identity-Aware
 * Proxy"):
 * - iap-access only with iap = true (who may pass a proxy that is off
 *   means nothing);
 * - not IAP on both a load balancer and the service behind it (Google:
 *   run/docs/securing/identity-aware-proxy-cloud-run, known limitations).
 * And the load warning: iap = true with no iap-access lets nobody pass.
 *
 * Called by models/format/scenario-check.c after the services are
 * checked, and by models/format/scenario-warnings.c. */
#include "models/format/scenario-private.h"

static gboolean
check_access_needs_iap (CloudRunCheck *c, const CloudRunSpecObject *o,
                        gboolean iap, const GArray *access)
{
  if (access == NULL || iap)
    return TRUE;
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o,
                              "iap-access", "iap-access only with iap = true "
                              "(it lists who may pass Identity-Aware Proxy)",
                              "iap-access with iap = false", NULL,
                              "set iap = true, or remove iap-access");
}

gboolean
cloudrun_check_iap (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->services->len; i++)
    {
      const CloudRunSpecService *svc = c->s->services->pdata[i];
      if (!check_access_needs_iap (c, &svc->base, svc->iap, svc->iap_access))
        return FALSE;
    }
  for (guint i = 0; i < c->s->external_albs->len; i++)
    {
      const CloudRunSpecExternalAlb *a = c->s->external_albs->pdata[i];
      g_autofree char *found = NULL;
      if (!check_access_needs_iap (c, &a->base, a->iap, a->iap_access))
        return FALSE;
      if (!a->iap || !a->backend->iap)
        continue;
      found = g_strdup_printf ("iap = true here and on its backend [%s]",
                               a->backend->base.group);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &a->base, "iap", "Identity-Aware Proxy on "
                                  "the load balancer or on the Cloud Run "
                                  "service, not both (Google)", found, NULL,
                                  NULL);
    }
  return TRUE;
}

static void
warn_nobody (const CloudRunSpecObject *o, gboolean iap, const GArray *access,
             GPtrArray *out)
{
  if (iap && access == NULL)
    g_ptr_array_add (out, g_strdup_printf (
      "[%s] iap: Identity-Aware Proxy is on but iap-access names nobody: "
      "every request is refused (denied-by-iap)", o->group));
}

void
cloudrun_iap_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->services->len; i++)
    {
      const CloudRunSpecService *svc = s->services->pdata[i];
      warn_nobody (&svc->base, svc->iap, svc->iap_access, out);
    }
  for (guint i = 0; i < s->external_albs->len; i++)
    {
      const CloudRunSpecExternalAlb *a = s->external_albs->pdata[i];
      warn_nobody (&a->base, a->iap, a->iap_access, out);
    }
}
