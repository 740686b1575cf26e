/* The builder: Cloud Run jobs and worker pools, workloads without an
 * ingress that call services (docs/networking.md, "Jobs and worker
 * pools"). Each task of a job and each instance of a worker pool is a node
 * of its own, job-NAME-task-K or worker-pool-NAME-instance-K (K from 0),
 * whose egress is wired as a service instance's (build_caller_path,
 * build_caller_instance): the metadata server's resolver, the default
 * internet egress, the connector or Direct VPC with an address of its
 * own; so it has its own source address and source ports.
 *
 * Timing (ours; Google documents parallelism as the most tasks running at
 * once, run/docs/configuring/parallelism): a job's tasks start in waves
 * of parallelism (0: all at once), task K in wave K / parallelism. Wave k
 * begins at k x W, where W is the latest time any traffic of the job can
 * end (start + (count - 1) x gap + timeout: its last request gives up by
 * then), so at most parallelism tasks run at any time; every task sends
 * each traffic of the job, count requests, shifted by its wave's start.
 * A task's Direct VPC way starts cold at its wave's start. A worker
 * pool's instances run from before time 0, all at once. Direct VPC
 * addresses are reserved for every task at build time: a finished task's
 * stays held (Google holds addresses up to 20 minutes after an instance
 * stops), so a later wave cannot reuse it. */
#include "models/assemble/build-private.h"

#include "models/world/region-latency.h"

typedef struct {
  GPtrArray *instances;         /* CloudRunEndpoint*, nodes owned by sim */
  guint per_wave;               /* instances starting together */
  SimTime wave;                 /* W: the time between waves */
} BuildWorker;

void
build_worker_free (gpointer worker)
{
  BuildWorker *bw = worker;

  g_ptr_array_unref (bw->instances);
  g_free (bw);
}

/* W of the worker: the latest end of a traffic it sends (saturating: 10
 * million requests 30 days apart pass what SimTime holds). */
static SimTime
build_wave_time (Build *b, const CloudRunSpecWorker *wk)
{
  SimTime w = 0;

  for (guint i = 0; i < b->sc->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = g_ptr_array_index (b->sc->traffics, i);
      if (t->from.object == &wk->base)
        w = MAX (w, sim_time_add_sat (
                      sim_time_add_sat (t->start,
                                        sim_time_mul_sat (t->gap,
                                                          (uint64_t) t->count
                                                          - 1)),
                      t->timeout));
    }
  return w;
}

/* When instance i's wave begins: i / per_wave waves of W. */
static SimTime
build_wave_start (const BuildWorker *bw, guint i)
{
  return sim_time_mul_sat (bw->wave, i / bw->per_wave);
}

static void
build_worker (Build *b, const CloudRunSpecWorker *wk)
{
  bool job = wk->base.kind == CLOUDRUN_KIND_JOB;
  const char *kind = job ? "job" : "worker pool";
  g_autofree char *stem = g_strdup_printf (job ? "job-%s" : "worker-pool-%s",
                                           wk->base.name);
  BuildWorkload wl = { kind, wk->base.name, stem, &wk->workload };
  guint n = (guint) wk->instances;
  g_autofree uint32_t *addrs = g_new0 (uint32_t, n);
  BuildWorker *bw = g_new0 (BuildWorker, 1);
  BuildCallerPath path;

  bw->instances = g_ptr_array_new ();
  bw->per_wave = job && wk->parallelism > 0 ? (guint) wk->parallelism : n;
  bw->wave = build_wave_time (b, wk);
  build_caller_path (b, &wl, n, addrs, NULL, &path);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf (job ? "%s-task-%u"
                                                   : "%s-instance-%u",
                                               stem, i);
      CloudRunEndpoint *ep = cloudrun_endpoint_new (
        b->world, name, job ? CLOUDRUN_HOP_JOB : CLOUDRUN_HOP_WORKER_POOL,
        "egress", wk->sandbox_base + i, METADATA_ADDR);

      cloudrun_endpoint_cloud_run (ep, job ? CLOUDRUN_HOP_JOB
                                           : CLOUDRUN_HOP_WORKER_POOL,
                                   job ? "job task" : "worker pool instance");
      ep->host.origin = cloudrun_region_origin (wk->region);
      build_caller_instance (b, &path, &ep->base.node, &ep->host, NULL,
                             addrs[i], job, build_wave_start (bw, i));
      g_ptr_array_add (bw->instances, ep);
    }
  g_hash_table_insert (b->workers, (gpointer) wk, bw);
}

void
build_workers (Build *b)
{
  for (guint i = 0; i < b->sc->jobs->len; i++)
    build_worker (b, g_ptr_array_index (b->sc->jobs, i));
  for (guint i = 0; i < b->sc->worker_pools->len; i++)
    build_worker (b, g_ptr_array_index (b->sc->worker_pools, i));
}

void
build_worker_plans (Build *b, const CloudRunSpecTraffic *t,
                    const CloudRunTrafficPlan *whole,
                    CloudRunTrafficPlan *plans)
{
  BuildWorker *bw = g_hash_table_lookup (b->workers, t->from.worker);

  g_assert (bw != NULL);
  ((CloudRunTrafficPlan *) whole)->senders = bw->instances->len;
  ((CloudRunTrafficPlan *) whole)->per_wave = bw->per_wave;
  ((CloudRunTrafficPlan *) whole)->wave = bw->wave;
  for (guint i = 0; i < bw->instances->len; i++)
    {
      CloudRunEndpoint *ep = g_ptr_array_index (bw->instances, i);

      plans[i] = *whole;
      plans[i].count = (uint32_t) t->count;
      plans[i].first_request = whole->first_request + i * plans[i].count;
      plans[i].start = sim_time_add_sat (whole->start,
                                         build_wave_start (bw, i));
      cloudrun_requester_add_traffic (&ep->requester, &plans[i]);
    }
}
