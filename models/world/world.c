/* The running world's life cycle (see models/world/world.h); made by
 * models/assemble/build.c. */
#include "models/world/world.h"
#include "models/world/region-latency.h"

void
cloudrun_node_drop (CloudRunNode *node, SimPacket *packet,
                    const CloudRunStep *step)
{
  CloudRunLedger *ledger = &node->world->ledger;

  if (step)
    {
      cloudrun_request_step (ledger, packet->request_id, &node->node, step);
      cloudrun_request_decide (ledger, packet->request_id,
                               CLOUDRUN_VERDICT_DROPPED, step->hop,
                               &node->node, step->cause);
    }
  sim_packet_release (sim_world_pool (node->world->sim), packet);
}

void
cloudrun_world_free (CloudRunWorld *w)
{
  if (!w)
    return;
  if (w->sim)
    cloudrun_release_held (w->sim);
  sim_world_free (w->sim);
  cloudrun_ledger_clear (&w->ledger);
  g_free (w->plans);
  g_free (w->worker_plans);
  g_clear_pointer (&w->hosts, g_hash_table_destroy);
  g_clear_pointer (&w->services, g_ptr_array_unref);
  g_clear_pointer (&w->views, g_ptr_array_unref);
  cloudrun_dns_view_clear (&w->public_view);
  g_clear_pointer (&w->zones, g_ptr_array_unref);
  g_clear_pointer (&w->policies, g_ptr_array_unref);
  g_clear_pointer (&w->egress, g_ptr_array_unref);
  g_clear_pointer (&w->ip_pools, g_ptr_array_unref);
  g_clear_pointer (&w->perimeters, g_ptr_array_unref);
  g_clear_pointer (&w->private_ranges, g_array_unref);
  cloudrun_series_free (w->series);
  g_free (w);
}

uint64_t
cloudrun_world_run (CloudRunWorld *w, SimTime duration)
{
  return sim_world_run (w->sim, duration);
}

CloudRunGauge *
cloudrun_world_gauge (CloudRunWorld *w, const char *kind, const char *name,
                      const char *metric)
{
  return cloudrun_series_gauge (w->series, kind, name, metric);
}

bool
cloudrun_dns_datagram (const SimFrame *f)
{
  return f->proto == SIM_IPPROTO_UDP
         && (f->dport == SIM_DNS_PORT || f->sport == SIM_DNS_PORT);
}
