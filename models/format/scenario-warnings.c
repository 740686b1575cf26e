/* Load warnings (see cloudrun_scenario_warnings in
 * models/format/scenario.h): each part of the format that can load a
 * setting that cannot take effect says so here: firewall rules, then
 * peerings, then domain mappings, then security policies, then
 * Identity-Aware Proxy, then IPv6, then traffic, each in file order. */
#include "models/format/scenario-private.h"

GPtrArray *
cloudrun_scenario_warnings (const CloudRunScenario *s)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  cloudrun_firewall_warnings (s, out);
  cloudrun_peering_warnings (s, out);
  cloudrun_domain_mapping_warnings (s, out);
  cloudrun_security_policy_warnings (s, out);
  cloudrun_iap_warnings (s, out);
  cloudrun_ipv6_warnings (s, out);
  cloudrun_traffic_warnings (s, out);
  return out;
}
