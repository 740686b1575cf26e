/* The world builder (see models/assemble/build.h): the internet, public DNS and the
 * GFE (here), the VPC side (models/assemble/build-vpc.c), the services and the
 * traffic (models/assemble/build-services.c).
 *
 * Address plan of the parts no scenario names: public resolver 8.8.8.8;
 * the Google front ends answer on 216.239.32.53, .34.53, .36.53, .38.53
 * (routed as 216.239.32.0/19) and on the Private Google Access VIPs;
 * instances serve behind the GFE, which speaks to them from 169.254.0.1,
 * on 169.254.0.0/16: each service, in file order, takes the next /24s
 * its max-instances need (from 169.254.1.0/24; instance k at the first
 * one's .10 + k - 1, so 1000 instances take four), never the metadata
 * server's 169.254.169.0/24 nor 169.254.255.0/24 (chosen in
 * models/format/scenario-check-address.c); Cloud Run's default internet egress uses 34.98.0.16
 * (scenarios may not write these: models/format/scenario-check-address.c);
 * automatic external addresses: models/assemble/build-vpc.c.
 * Timing: internet access links 5 ms and 1 Gbit/s; Google's fabric 1 ms
 * and 10 Gbit/s; inside a VPC 50 us and 10 Gbit/s; GFE to instance
 * 100 us and 10 Gbit/s; queues of 1000 packets. */
#include "models/assemble/build-private.h"

#include "models/world/service.h"
#include "sim/wire.h"

#include <string.h>

#define BUILD_QUEUE_PACKETS 1000u     /* every link's queue, per direction */
#define BUILD_GBPS 1000000000u

const SimLinkParams cloudrun_access_link = {
  .delay = 5 * SIM_MS, .rate_bps = BUILD_GBPS,
  .queue_packets = BUILD_QUEUE_PACKETS,
};
const SimLinkParams cloudrun_google_link = {
  .delay = SIM_MS, .rate_bps = 10 * (uint64_t) BUILD_GBPS,
  .queue_packets = BUILD_QUEUE_PACKETS,
};
const SimLinkParams cloudrun_serving_link = {
  .delay = 100 * SIM_US, .rate_bps = 10 * (uint64_t) BUILD_GBPS,
  .queue_packets = BUILD_QUEUE_PACKETS,
};
/* A Direct VPC instance's way into the VPC: 1 Gbit/s at most [Google]. */
const SimLinkParams cloudrun_direct_vpc_link = {
  .delay = 100 * SIM_US, .rate_bps = BUILD_GBPS,
  .queue_packets = BUILD_QUEUE_PACKETS,
};
const SimLinkParams cloudrun_vpc_link = {
  .delay = 50 * SIM_US, .rate_bps = 10 * (uint64_t) BUILD_GBPS,
  .queue_packets = BUILD_QUEUE_PACKETS,
};

/* A [dns-zone] as the resolver sees it (a peering zone's producer view
 * is set once the networks are built). */
static DnsZone *
build_zone (const CloudRunSpecDnsZone *cz)
{
  g_autofree char *label = g_strdup_printf ("%s zone %s",
                                            cz->peer_network ? "peering"
                                            : cz->forward_to
                                              && cz->forward_to->len
                                            ? "forwarding"
                                            : cz->visibility == CLOUDRUN_DNS_PRIVATE
                                            ? "private" : "public",
                                            cz->base.name);
  DnsZone *z = cloudrun_dns_zone_new (cz->dns_name, label);

  z->source = cz;
  for (guint i = 0; cz->forward_to && i < cz->forward_to->len; i++)
    cloudrun_dns_zone_add_forward (z, g_array_index (cz->forward_to,
                                                     uint32_t, i));
  for (guint i = 0; i < cz->records->len; i++)
    {
      const CloudRunSpecDnsRecord *r
        = &g_array_index (cz->records, CloudRunSpecDnsRecord, i);
      if (r->type == CLOUDRUN_DNS_A)
        cloudrun_dns_zone_add_a (z, r->owner, r->address);
      else if (r->type == CLOUDRUN_DNS_AAAA)
        cloudrun_dns_zone_add_aaaa (z, r->owner, r->address6);
      else if (r->type == CLOUDRUN_DNS_CNAME)
        cloudrun_dns_zone_add_cname (z, r->owner, r->data);
    }
  return z;
}

/* A [dns-response-policy] as the resolvers see it: one rule per name. */
static DnsPolicy *
build_policy (const CloudRunSpecDnsResponsePolicy *cp)
{
  g_autofree char *label = g_strdup_printf ("response policy %s",
                                            cp->base.name);
  DnsPolicy *p = cloudrun_dns_policy_new (label);

  for (guint i = 0; i < cp->rules->len; i++)
    {
      const CloudRunSpecDnsRecord *r
        = &g_array_index (cp->rules, CloudRunSpecDnsRecord, i);
      cloudrun_dns_policy_add_rule (p, r->owner,
                                    r->type == CLOUDRUN_DNS_PASSTHRU);
      if (r->type == CLOUDRUN_DNS_A)
        cloudrun_dns_policy_add_a (p, r->owner, r->address);
      else if (r->type == CLOUDRUN_DNS_AAAA)
        cloudrun_dns_policy_add_aaaa (p, r->owner, r->address6);
      else if (r->type == CLOUDRUN_DNS_CNAME)
        cloudrun_dns_policy_add_cname (p, r->owner, r->data);
    }
  return p;
}

/* The records Cloud Run asks a mapped domain's owner to publish
 * (run/docs/mapping-custom-domains): A and AAAA records at a domain of two
 * labels, a CNAME to ghs.googlehosted.com at a subdomain. */
static DnsZone *
build_mapping_zone (const CloudRunSpecDomainMapping *m)
{
  g_autofree char *label = g_strdup_printf ("public DNS of domain mapping %s",
                                            m->base.name);
  DnsZone *z = cloudrun_dns_zone_new (m->domain, label);

  if (strchr (m->domain, '.') == strrchr (m->domain, '.'))
    for (unsigned i = 0; i < CLOUDRUN_N_RUN_APP_FRONT_ENDS; i++)
      {
        cloudrun_dns_zone_add_a (z, m->domain, cloudrun_mapping_front_ends[i]);
        cloudrun_dns_zone_add_aaaa (z, m->domain,
                                    cloudrun_mapping_front_ends6[i]);
      }
  else
    cloudrun_dns_zone_add_cname (z, m->domain, CLOUDRUN_MAPPING_CNAME);
  return z;
}

/* Every zone; the public ones (Google's, the scenario's public zones, the
 * external load balancers' hostnames) make the public view. */
static void
build_zones (Build *b)
{
  CloudRunWorld *w = b->world;
  const CloudRunScenario *sc = b->sc;
  DnsZone *google = cloudrun_dns_zone_google_public ();

  g_ptr_array_add (w->zones, google);
  for (guint i = 0; i < sc->dns_zones->len; i++)
    {
      const CloudRunSpecDnsZone *cz = g_ptr_array_index (sc->dns_zones, i);
      DnsZone *z = build_zone (cz);
      g_ptr_array_add (w->zones, z);
      if (cz->visibility == CLOUDRUN_DNS_PUBLIC)
        cloudrun_dns_view_add (&w->public_view, z);
    }
  for (guint i = 0; i < sc->external_albs->len; i++)
    {
      const CloudRunSpecExternalAlb *alb
        = g_ptr_array_index (sc->external_albs, i);
      g_autofree char *label = g_strdup_printf ("public DNS of external ALB "
                                                "%s", alb->base.name);
      DnsZone *z;
      if (!alb->hostname)
        continue;
      z = cloudrun_dns_zone_new (alb->hostname, label);
      cloudrun_dns_zone_add_a (z, alb->hostname, alb->address);
      g_ptr_array_add (w->zones, z);
      cloudrun_dns_view_add (&w->public_view, z);
    }
  for (guint i = 0; i < sc->domain_mappings->len; i++)
    {
      const CloudRunSpecDomainMapping *m = sc->domain_mappings->pdata[i];
      if (m->public_dns)
        {
          DnsZone *z = build_mapping_zone (m);
          g_ptr_array_add (w->zones, z);
          cloudrun_dns_view_add (&w->public_view, z);
        }
    }
  cloudrun_dns_view_add (&w->public_view, google);
  for (guint i = 0; i < sc->dns_response_policies->len; i++)
    g_ptr_array_add (w->policies,
                     build_policy (g_ptr_array_index (sc->dns_response_policies,
                                                      i)));
}

/* Addresses that VMs, load balancers and PSC endpoints use, and A
 * records' data: Direct VPC blocks avoid them. */
static void
build_taken_addresses (Build *b)
{
  const CloudRunScenario *sc = b->sc;

  for (guint i = 0; i < sc->vms->len; i++)
    g_hash_table_add (b->taken, GUINT_TO_POINTER (((const CloudRunSpecVm *)
      g_ptr_array_index (sc->vms, i))->address));
  for (guint i = 0; i < sc->internal_albs->len; i++)
    g_hash_table_add (b->taken, GUINT_TO_POINTER (
      ((const CloudRunSpecInternalAlb *)
       g_ptr_array_index (sc->internal_albs, i))->address));
  for (guint i = 0; i < sc->psc_endpoints->len; i++)
    g_hash_table_add (b->taken, GUINT_TO_POINTER (
      ((const CloudRunSpecPscEndpoint *)
       g_ptr_array_index (sc->psc_endpoints, i))->address));
  for (guint i = 0; i < sc->dns_zones->len; i++)
    {
      const CloudRunSpecDnsZone *z = g_ptr_array_index (sc->dns_zones, i);
      for (guint k = 0; k < z->records->len; k++)
        {
          const CloudRunSpecDnsRecord *r
            = &g_array_index (z->records, CloudRunSpecDnsRecord, k);
          if (r->type == CLOUDRUN_DNS_A)
            g_hash_table_add (b->taken, GUINT_TO_POINTER (r->address));
        }
    }
}

static void
build_core (Build *b)
{
  CloudRunWorld *w = b->world;
  CloudRunDnsServer *dns;
  SimPort *gfe_port;

  b->internet = cloudrun_internet_new (w);
  dns = cloudrun_dns_server_new (w, "public-dns", PUBLIC_RESOLVER,
                                 &w->public_view, "eth0");
  sim_link_new (w->sim,
                cloudrun_internet_attach (b->internet, "public-dns",
                                          PUBLIC_RESOLVER, 32,
                                          "the public resolver public-dns"),
                dns->host.default_port, &cloudrun_access_link, NULL);
  b->gfe = cloudrun_gfe_new (w, cloudrun_run_app_front_ends,
                             CLOUDRUN_N_RUN_APP_FRONT_ENDS, GFE_SERVING,
                             GFE_FABRIC);
  b->gfe->ipv6_external = b->sc->assumptions.ipv6_internal
                          == CLOUDRUN_IPV6_INTERNAL_EXTERNAL;
  /* The GFE also answers on the VIPs of both googleapis.com names, and
   * at the addresses of mapped domains. */
  for (uint32_t i = 0; i < 4; i++)
    {
      sim_host_add_address (&b->gfe->host, cloudrun_mapping_front_ends[i]);
      sim_host_add_address (&b->gfe->host, CLOUDRUN_PRIVATE_VIPS + i);
      sim_host_add_address (&b->gfe->host, CLOUDRUN_RESTRICTED_VIPS + i);
    }
  gfe_port = cloudrun_internet_attach (b->internet, "gfe",
                                       CLOUDRUN_GOOGLE_FRONT_ENDS,
                                       CLOUDRUN_GOOGLE_FRONT_ENDS_LEN,
                                       "the Google front ends (gfe)");
  /* Its IPv6 front ends too; the VIPs' IPv6 /56s, like their IPv4
   * ranges, are routed only inside Google Cloud. */
  cloudrun_internet_add_route6 (b->internet, gfe_port,
                                &cloudrun_google_front_ends6,
                                CLOUDRUN_GOOGLE_FRONT_ENDS6_LEN,
                                "the Google front ends (gfe)");
  sim_link_new (w->sim, gfe_port, b->gfe->internet, &cloudrun_google_link,
                NULL);
}

static void
build_view_free (gpointer p)
{
  cloudrun_dns_view_clear (p);
  g_free (p);
}

CloudRunWorld *
cloudrun_world_build (const CloudRunScenario *sc, GError **error)
{
  CloudRunWorld *w = g_new0 (CloudRunWorld, 1);
  Build b = { .world = w, .sc = sc };

  (void) error;
  w->sim = sim_world_new (sc->seed);
  w->series = cloudrun_series_new (sc->duration);
  w->hosts = g_hash_table_new (g_str_hash, g_str_equal);
  w->services = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_service_free);
  w->zones = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_zone_free);
  w->policies = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_dns_policy_free);
  w->views = g_ptr_array_new_with_free_func (build_view_free);
  w->egress = g_ptr_array_new_with_free_func (g_free);
  w->ingress_denied_status = (int) sc->assumptions.ingress_denied_status;
  w->private_ranges = build_cidrs (sc->assumptions.private_ranges);
  cloudrun_ledger_init (&w->ledger, w->sim);
  cloudrun_dns_view_init (&w->public_view);
  b.networks = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b.callers = g_hash_table_new (g_str_hash, g_str_equal);
  b.connectors = g_hash_table_new (NULL, NULL);
  b.workers = g_hash_table_new_full (NULL, NULL, NULL, build_worker_free);
  b.taken = g_hash_table_new (NULL, NULL);
  build_taken_addresses (&b);
  build_dns_inbound_addresses (&b);

  build_perimeters (&b);
  build_zones (&b);
  build_core (&b);
  build_networks (&b);
  build_peerings (&b);
  build_hybrid_links (&b);
  build_private_access (&b);
  build_vms (&b);
  build_connectors (&b);
  build_psc_and_load_balancers (&b);
  build_services (&b);
  build_clients (&b);
  build_google_callers (&b);
  build_dns_forwarding (&b);
  build_traffic (&b);

  g_hash_table_destroy (b.networks);
  g_hash_table_destroy (b.callers);
  g_hash_table_destroy (b.connectors);
  g_hash_table_destroy (b.workers);
  g_hash_table_destroy (b.taken);
  g_array_unref (b.inbound);
  return w;
}
