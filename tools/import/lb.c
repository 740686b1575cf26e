/* Application Load Balancers in front of Cloud Run: a forwarding rule
 * (loadBalancingScheme INTERNAL_MANAGED: an internal ALB; EXTERNAL_MANAGED
 * or EXTERNAL, global: an external ALB) to a target HTTP(S) proxy, its URL
 * map's default service, a backend service and its serverless NEG, whose
 * cloudRun.service names the service. emit.c follows the chain. */
#include "tools/import/import-private.h"

#include <string.h>

static ImportRef *
ref_of (const char *text, const char *project, const char *region)
{
  return text && *text ? import_ref_new (text, project, region) : NULL;
}

gboolean
import_lb_rule (ImportSrc *s, JsonNode *d, const char *project,
                const char *name, gboolean tf, ImportGet get, gpointer user)
{
  const char *scheme = import_str (s, d, tf ? "load_balancing_scheme"
                                            : "loadBalancingScheme");
  const char *region = import_str (s, d, "region");
  const char *ip = get (user, tf ? "ip_address" : "IPAddress");
  const char *target = get (user, "target");
  const char *net = get (user, "network");
  const char *sub = get (user, "subnetwork");
  const char *slash = region ? strrchr (region, '/') : NULL;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  r = import_res_new (s, IMPORT_LB, project, slash ? slash + 1 : region, name);
  r->scheme = g_strdup (scheme ? scheme : "EXTERNAL");
  r->target = ref_of (target, r->project, r->region);
  r->network = ref_of (net, r->project, NULL);
  r->subnet = ref_of (sub, r->project, r->region);
  r->global_access = import_bool (s, d, tf ? "allow_global_access"
                                           : "allowGlobalAccess");
  if (ip && import_is_ipv4 (ip))
    r->range = g_strdup (ip);
  else if (ip)
    r->connector = import_ref_new (ip, r->project, r->region);
  return !import_failed (s);
}

gboolean
import_lb_part (ImportSrc *s, ImportKind kind, JsonNode *d,
                const char *project, const char *name, gboolean tf,
                ImportGet get, gpointer user)
{
  const char *region = import_str (s, d, "region");
  const char *slash = region ? strrchr (region, '/') : NULL;
  ImportRes *r;

  if (import_failed (s))
    return FALSE;
  r = import_res_new (s, kind, project, slash ? slash + 1 : region, name);
  switch (kind)
    {
    case IMPORT_PROXY:
      r->target = ref_of (get (user, tf ? "url_map" : "urlMap"), r->project,
                          r->region);
      break;
    case IMPORT_URL_MAP:
      {
        JsonArray *rules = import_arr (s, d, tf ? "host_rule" : "hostRules");
        r->target = ref_of (get (user, tf ? "default_service"
                                          : "defaultService"), r->project,
                            r->region);
        if (rules && json_array_get_length (rules) > 0)
          import_not_modelled (s, "%s: host and path rules (the default "
                               "service takes every request)",
                               tf ? "host_rule" : "hostRules");
      }
      break;
    case IMPORT_BACKEND:
      {
        JsonArray *b = import_arr (s, d, tf ? "backend" : "backends");
        for (guint i = 0; b && i < json_array_get_length (b); i++)
          {
            g_autofree char *at = g_strdup_printf ("%s[%u].group",
                                                   tf ? "backend" : "backends",
                                                   i);
            const char *g = get (user, at);
            if (g)
              g_ptr_array_add (r->refs, import_ref_new (g, r->project,
                                                        r->region));
          }
        if (r->refs->len > 1)
          import_not_modelled (s, "backends after the first");
        /* Its Cloud Armor policy, for the external ALB in front. */
        r->armor_ref = ref_of (get (user, tf ? "security_policy"
                                             : "securityPolicy"),
                               r->project, NULL);
        r->iap = import_bool (s, d, tf ? "iap[0].enabled" : "iap.enabled");
      }
      break;
    case IMPORT_NEG:
      {
        const char *type = import_str (s, d, tf ? "network_endpoint_type"
                                                : "networkEndpointType");
        const char *svc = get (user, tf ? "cloud_run[0].service"
                                        : "cloudRun.service");
        if (!type || strcmp (type, "SERVERLESS") != 0 || !svc)
          {
            r->skip = TRUE;
            import_not_modelled (s, "a NEG that is not a serverless NEG of "
                                 "a Cloud Run service");
            break;
          }
        r->target = import_ref_new (svc, r->project, r->region);
        if (get (user, tf ? "cloud_run[0].url_mask" : "cloudRun.urlMask"))
          import_not_modelled (s, "cloudRun.urlMask");
      }
      break;
    default:
      break;
    }
  return !import_failed (s);
}
