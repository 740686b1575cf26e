/* Scenario text of bench-e2e's worlds (tools/benchmarks/bench-world.h). Each
 * traffic sends at a constant interval from time 0 (the simple world's clients
 * spread over one interval), and the run lasts BENCH_TAIL_S past the last
 * request: more than a caller's 10 s default timeout, so every request ends
 * before the run does. */
#include "tools/benchmarks/bench-world.h"

#include <string.h>

/* Simple: each client sends one request per interval; 20 clients make
 * 20,000 requests/s, each held about 40 ms: some 800 in flight, far below
 * BENCH_INSTANCES x BENCH_CONCURRENCY. */
#define BENCH_INTERVAL_US 1000
#define BENCH_INSTANCES 10
#define BENCH_CONCURRENCY 1000
#define BENCH_TAIL_S 12
/* Mixed: every path sends one request per BENCH_MIXED_INTERVAL_US, so
 * eight paths make 20,000 requests/s, as the simple world does. */
#define BENCH_MIXED_INTERVAL_US 400

/* The mixed world's paths: a traffic name, its caller, its URL. */
static const struct {
  const char *traffic;
  const char *from;
  const char *url;
} mixed_paths[] = {
  /* Default egress: by the internet to a public service. */
  { "default-egress", "caller-default", "service:pub" },
  /* Serverless VPC Access connector, all traffic: into the VPC, Google
   * front end by the connector's implicit access, internal. */
  { "connector", "caller-connector", "service:backend" },
  /* Direct VPC, all traffic, Private Google Access: internal. */
  { "direct-all-traffic", "caller-direct-all", "service:backend" },
  /* Direct VPC, private ranges only, public DNS: run.app by the
   * internet, to the public service. */
  { "direct-private-ranges", "caller-direct-private", "service:pub" },
  /* A private zone sends run.app to the private.googleapis.com VIPs. */
  { "private-zone-vips", "caller-zone", "service:backend" },
  /* A private zone sends run.app to a PSC endpoint. */
  { "psc-endpoint", "caller-psc", "service:backend" },
  /* An internal application load balancer in front of backend. */
  { "internal-alb", "caller-ilb", "https://backend.internal.example/" },
  /* Direct VPC, all traffic, Cloud NAT to a host on the internet. */
  { "cloud-nat", "caller-nat", "http://203.0.113.50/" },
};

/* The networks, the two services called and the callers of mixed_paths:
 * vpc (connector, Direct VPC, internal ALB, Cloud NAT), zoned (the
 * private zone to the VIPs) and pscnet (the zone to the PSC endpoint). */
static const char mixed_topology[] =
  "[project shop]\n\n"
  "[network vpc]\n\n"
  "[subnet run-subnet]\nnetwork = vpc\nregion = asia-northeast1\n"
  "range = 10.0.0.0/24\nprivate-google-access = true\n\n"
  "[subnet proxy-only]\nnetwork = vpc\nregion = asia-northeast1\n"
  "range = 10.129.0.0/23\npurpose = proxy-only\n\n"
  "[connector conn]\nnetwork = vpc\nregion = asia-northeast1\n"
  "range = 10.8.0.0/28\nmachine-type = e2-standard-4\n"
  "min-instances = 9\nmax-instances = 10\n\n"
  "[internal-alb backend-ilb]\nnetwork = vpc\nregion = asia-northeast1\n"
  "address = 10.0.0.100\nbackend = backend\n"
  "hostname = backend.internal.example\n\n"
  "[nat tokyo-nat]\nnetwork = vpc\nregion = asia-northeast1\n"
  "subnets = run-subnet\nmin-ports-per-vm = 64512\n"
  "tcp-time-wait-timeout = 1s\n\n"
  "[network zoned]\n\n"
  "[subnet zoned-subnet]\nnetwork = zoned\nregion = asia-northeast1\n"
  "range = 10.1.0.0/24\nprivate-google-access = true\n\n"
  "[dns-zone run-app]\ndns-name = run.app.\nvisibility = private\n"
  "networks = zoned\nrecords = *.run.app. CNAME private.googleapis.com.\n\n"
  "[dns-zone googleapis]\ndns-name = googleapis.com.\n"
  "visibility = private\nnetworks = zoned\n"
  "records = private.googleapis.com. A 199.36.153.8;"
  "private.googleapis.com. A 199.36.153.9;"
  "private.googleapis.com. A 199.36.153.10;"
  "private.googleapis.com. A 199.36.153.11\n\n"
  "[network pscnet]\n\n"
  "[subnet psc-subnet]\nnetwork = pscnet\nregion = asia-northeast1\n"
  "range = 10.2.0.0/24\nprivate-google-access = true\n\n"
  "[psc-endpoint apis]\nnetwork = pscnet\naddress = 10.255.0.5\n"
  "bundle = all-apis\n\n"
  "[dns-zone run-app-psc]\ndns-name = run.app.\nvisibility = private\n"
  "networks = pscnet\nrecords = *.run.app. A 10.255.0.5\n\n"
  "[client partner]\naddress = 203.0.113.50\n\n"
  "[service caller-default]\nregion = asia-northeast1\n\n"
  "[service caller-connector]\nregion = asia-northeast1\n"
  "vpc-access = connector\nconnector = conn\nvpc-egress = all-traffic\n\n"
  "[service caller-direct-all]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = run-subnet\nvpc-egress = all-traffic\n\n"
  "[service caller-direct-private]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = run-subnet\n"
  "vpc-egress = private-ranges-only\n\n"
  "[service caller-zone]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = zoned-subnet\n"
  "vpc-egress = private-ranges-only\n\n"
  "[service caller-psc]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = psc-subnet\n"
  "vpc-egress = private-ranges-only\n\n"
  "[service caller-ilb]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = run-subnet\n"
  "vpc-egress = private-ranges-only\n\n"
  "[service caller-nat]\nregion = asia-northeast1\n"
  "vpc-access = direct\nsubnet = run-subnet\nvpc-egress = all-traffic\n\n";

gboolean
bench_world_parse (const char *name, BenchWorld *out)
{
  if (strcmp (name, "simple") == 0)
    *out = BENCH_WORLD_SIMPLE;
  else if (strcmp (name, "mixed") == 0)
    *out = BENCH_WORLD_MIXED;
  else
    return FALSE;
  return TRUE;
}

const char *
bench_world_name (BenchWorld world)
{
  return world == BENCH_WORLD_MIXED ? "mixed" : "simple";
}

guint
bench_world_min_requests (BenchWorld world, guint clients)
{
  return world == BENCH_WORLD_MIXED ? G_N_ELEMENTS (mixed_paths) : clients;
}

/* The two services called, warm and wide enough for every request. */
static void
bench_targets (GString *s)
{
  static const char *const targets[][2] = {
    { "pub", "all" }, { "backend", "internal" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    g_string_append_printf (s,
        "[service %s]\nregion = asia-northeast1\ningress = %s\n"
        "min-instances = %u\nmax-instances = %u\nconcurrency = %u\n\n",
        targets[i][0], targets[i][1], BENCH_INSTANCES, BENCH_INSTANCES,
        BENCH_CONCURRENCY);
}

/* The scaled scenario 01: requests split as evenly as possible. */
static GString *
bench_simple_text (guint requests, guint clients)
{
  GString *s = g_string_new (NULL);
  guint per = requests / clients, extra = requests % clients;
  guint longest = per + (extra ? 1 : 0);
  guint64 last_us = (guint64) (longest - 1) * BENCH_INTERVAL_US
                    + BENCH_INTERVAL_US;

  g_string_append_printf (s,
      "[scenario]\nformat = 1\n"
      "title = bench-e2e: %u internet clients to a public service\n"
      "seed = 1\nduration = %" G_GUINT64_FORMAT "ms\n\n"
      "[project shop]\n\n", clients,
      last_us / 1000 + 1 + BENCH_TAIL_S * 1000);
  /* The service keeps scenario 01's name. */
  g_string_append_printf (s,
      "[service hello]\nregion = asia-northeast1\ningress = all\n"
      "min-instances = %u\nmax-instances = %u\nconcurrency = %u\n\n",
      BENCH_INSTANCES, BENCH_INSTANCES, BENCH_CONCURRENCY);
  for (guint i = 0; i < clients; i++)
    g_string_append_printf (s, "[client c%u]\n\n", i);
  for (guint i = 0; i < clients; i++)
    g_string_append_printf (s,
        "[traffic t%u]\nfrom = c%u\nurl = service:hello\ncount = %u\n"
        "interval = %uus\nstart = %uus\n\n",
        i, i, per + (i < extra ? 1 : 0), BENCH_INTERVAL_US,
        i * BENCH_INTERVAL_US / clients);
  return s;
}

/* The mixed world: requests split as evenly as possible among the paths,
 * which start together. */
static GString *
bench_mixed_text (guint requests)
{
  GString *s = g_string_new (NULL);
  guint n = G_N_ELEMENTS (mixed_paths);
  guint per = requests / n, extra = requests % n;
  guint longest = per + (extra ? 1 : 0);
  guint64 last_us = (guint64) longest * BENCH_MIXED_INTERVAL_US;

  g_string_append_printf (s,
      "[scenario]\nformat = 1\n"
      "title = bench-e2e: %u ways out of Cloud Run side by side\n"
      "seed = 1\nduration = %" G_GUINT64_FORMAT "ms\n\n", n,
      last_us / 1000 + 1 + BENCH_TAIL_S * 1000);
  g_string_append (s, mixed_topology);
  bench_targets (s);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s,
        "[traffic %s]\nfrom = %s\nurl = %s\ncount = %u\ninterval = %uus\n"
        "\n", mixed_paths[i].traffic, mixed_paths[i].from,
        mixed_paths[i].url, per + (i < extra ? 1 : 0),
        BENCH_MIXED_INTERVAL_US);
  return s;
}

GString *
bench_world_text (BenchWorld world, guint requests, guint clients)
{
  g_assert (requests >= bench_world_min_requests (world, clients));
  if (world == BENCH_WORLD_MIXED)
    return bench_mixed_text (requests);
  return bench_simple_text (requests, clients);
}
