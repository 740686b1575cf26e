/* Scenario cross checks, part 2 (part 1: models/format/scenario-check.c):
 * - addresses: VM addresses inside their subnet's usable range (the first
 *   two and last two addresses are reserved, docs/networking.md,
 *   "Inside the VPC"), defaults to the next one that nothing uses and no DNS
 *   record holds; PSC endpoint and internal ALB addresses not
 *   shared with another resource of the network; an internal ALB address
 *   inside a private subnet of its network and region;
 * - internal-alb: backend in the same region;
 * - traffic: from names one service, job, worker pool, vm, client or
 *   Google product; url is service:NAME
 *   or names a host the scenario knows (an IPv4 literal, a service host,
 *   a load balancer hostname, a mapped custom domain, a DNS record owner
 *   or response policy
 *   rule name, wildcards included);
 *   rate or interval, not both, one of them when count > 1;
 * - expect: a [traffic NAME] of the same NAME; ratio only with outcome
 *   or revision; revision of the service the traffic calls;
 *   source-seen not on a traffic whose url names a service, a mapped
 *   domain or a load balancer (a Cloud Run container's source is the
 *   GFE).
 *
 * The address plan across groups is part 3 (models/format/
 * scenario-check-address.c), called from here after the VMs.
 *
 * Called by cloudrun_scenario_check after part 1. */
#include "models/format/scenario-private.h"

#include <math.h>
#include <string.h>

#include "sim/wire.h"

static char *
address_found (uint32_t addr)
{
  char buf[16];
  return g_strdup_printf ("'%s'", sim_ipv4_to_string (addr, buf));
}

/* ---- Addresses in a network --------------------------------------- */

/* Usable addresses of a subnet: all but the first two and last two. */
static void
subnet_usable (const CloudRunSpecSubnet *sn, uint32_t *first, uint32_t *last)
{
  uint32_t size = (uint32_t) 1 << (32 - sn->range.len);

  *first = sn->range.prefix + 2;
  *last = sn->range.prefix + size - 3;
}

/* The resource of network other than self that holds addr, or NULL. */
static CloudRunSpecObject *
address_holder (CloudRunCheck *c, const CloudRunSpecNetwork *net,
                uint32_t addr, const void *self)
{
  for (guint i = 0; i < c->s->vms->len; i++)
    {
      CloudRunSpecVm *vm = c->s->vms->pdata[i];
      if (vm != self && vm->address == addr && vm->subnet->network == net)
        return &vm->base;
    }
  for (guint i = 0; i < c->s->psc_endpoints->len; i++)
    {
      CloudRunSpecPscEndpoint *e = c->s->psc_endpoints->pdata[i];
      if (e != self && e->address == addr && e->network == net)
        return &e->base;
    }
  for (guint i = 0; i < c->s->internal_albs->len; i++)
    {
      CloudRunSpecInternalAlb *a = c->s->internal_albs->pdata[i];
      if (a != self && a->address == addr && a->network == net)
        return &a->base;
    }
  return NULL;
}

static gboolean
check_address_free (CloudRunCheck *c, CloudRunSpecObject *o,
                    const CloudRunSpecNetwork *net, uint32_t addr)
{
  CloudRunSpecObject *holder = address_holder (c, net, addr, o);
  g_autofree char *expected = NULL, *found = NULL, *quoted = NULL;

  if (holder == NULL)
    return TRUE;
  quoted = address_found (addr);
  expected = g_strdup_printf ("an address no other resource of network "
                              "'%s' uses", net->base.name);
  found = g_strdup_printf ("%s, the address of [%s]", quoted,
                           holder->group);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o,
                              "address", expected, found, NULL, NULL);
}

static gboolean
check_vm_address (CloudRunCheck *c, CloudRunSpecVm *vm)
{
  uint32_t first, last;
  char a[16], b[16];
  g_autofree char *expected = NULL, *found = NULL;

  if (vm->subnet->purpose != CLOUDRUN_SUBNET_PRIVATE)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &vm->base, "subnet", "a private subnet",
                                "a proxy-only subnet", NULL, NULL);
  if (vm->subnet->stack_type == VPC_STACK_IPV6_ONLY && vm->external_ip)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &vm->base, "external-ip", "false on an "
                                "ipv6-only subnet (no IPv4 interface)",
                                "true", NULL, NULL);
  if (vm->subnet->stack_type == VPC_STACK_IPV6_ONLY
      && cloudrun_object_has (&vm->base, "address"))
    {
      found = address_found (vm->address);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &vm->base, "address", "no IPv4 address on "
                                  "an ipv6-only subnet (the VM has only its "
                                  "IPv6 address)", found, NULL, NULL);
    }
  if (!cloudrun_object_has (&vm->base, "address"))
    return TRUE;
  subnet_usable (vm->subnet, &first, &last);
  if (vm->address < first || vm->address > last)
    {
      expected = g_strdup_printf ("an address of subnet '%s' from %s to %s",
                                  vm->subnet->base.name,
                                  sim_ipv4_to_string (first, a),
                                  sim_ipv4_to_string (last, b));
      found = address_found (vm->address);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                  &vm->base, "address", expected, found,
                                  NULL, NULL);
    }
  return check_address_free (c, &vm->base, vm->subnet->network, vm->address);
}

static gboolean
assign_vm_address (CloudRunCheck *c, CloudRunSpecVm *vm)
{
  uint32_t first, last;

  if (cloudrun_object_has (&vm->base, "address")
      || vm->subnet->stack_type == VPC_STACK_IPV6_ONLY)
    return TRUE;                /* an IPv6-only VM keeps address 0 */
  subnet_usable (vm->subnet, &first, &last);
  for (uint32_t a = first; a <= last; a++)
    if (address_holder (c, vm->subnet->network, a, vm) == NULL
        && !cloudrun_check_address_reserved (c->s, a))
      {
        vm->address = a;
        return TRUE;
      }
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                              &vm->base, "address", "a free address in "
                              "the subnet", "none left", NULL, NULL);
}

/* ---- DNS zones, load balancers ------------------------------------ */

static gboolean
check_psc_endpoint (CloudRunCheck *c, CloudRunSpecPscEndpoint *e)
{
  return check_address_free (c, &e->base, e->network, e->address);
}

static gboolean
check_internal_alb (CloudRunCheck *c, CloudRunSpecInternalAlb *alb)
{
  GPtrArray *subnets = alb->network->subnets;
  g_autofree char *expected = NULL, *found = NULL;

  if (strcmp (alb->backend->region, alb->region) != 0)
    {
      expected = g_strdup_printf ("a service in %s (the load balancer's "
                                  "region)", alb->region);
      found = g_strdup_printf ("'%s' in %s", alb->backend->base.name,
                               alb->backend->region);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &alb->base, "backend", expected, found,
                                  NULL, NULL);
    }
  for (guint i = 0; i < subnets->len; i++)
    {
      CloudRunSpecSubnet *sn = subnets->pdata[i];
      uint32_t first, last;
      if (sn->stack_type == VPC_STACK_IPV6_ONLY)
        continue;               /* no IPv4 range: no load balancer */
      subnet_usable (sn, &first, &last);
      if (sn->purpose == CLOUDRUN_SUBNET_PRIVATE
          && strcmp (sn->region, alb->region) == 0
          && alb->address >= first && alb->address <= last)
        return check_address_free (c, &alb->base, alb->network,
                                   alb->address);
    }
  expected = g_strdup_printf ("an address of a private subnet of network "
                              "'%s' in %s", alb->network->base.name,
                              alb->region);
  found = address_found (alb->address);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                              &alb->base, "address", expected, found, NULL,
                              NULL);
}

/* ---- Traffic ------------------------------------------------------ */

static gboolean
resolve_caller (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  static const CloudRunKind kinds[] = {
    CLOUDRUN_KIND_SERVICE, CLOUDRUN_KIND_JOB, CLOUDRUN_KIND_WORKER_POOL,
    CLOUDRUN_KIND_VM, CLOUDRUN_KIND_CLIENT, CLOUDRUN_KIND_GOOGLE_CALLER };
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree char *found = cloudrun_quote (t->from_name);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      CloudRunSpecObject *o = cloudrun_scenario_find (c->s, kinds[i],
                                                      t->from_name);
      g_autofree const char **some = cloudrun_check_names (c->s, kinds[i]);
      for (guint j = 0; some[j] != NULL; j++)
        g_ptr_array_add (names, (gpointer) some[j]);
      if (o == NULL)
        continue;
      if (t->from.object != NULL)
        {
          g_autofree char *both = g_strdup_printf (
              "%s, which is both a %s and a %s", found,
              cloudrun_kind_info (t->from.kind)->name,
              cloudrun_kind_info (kinds[i])->name);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &t->base, "from", "a name that one "
                                      "service, job, worker-pool, vm, client "
                                      "or google-caller has", both,
                                      NULL, "rename one of them");
        }
      t->from.kind = kinds[i];
      t->from.object = o;
    }
  if (t->from.object != NULL)
    return TRUE;
  g_ptr_array_add (names, NULL);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_REFERENCE, &t->base,
                              "from", "the name of a [service NAME], "
                              "[job NAME], [worker-pool NAME], [vm NAME], "
                              "[client NAME] or [google-caller NAME] "
                              "group", found,
                              cloudrun_suggest (t->from_name, (const char *
                                                const *) names->pdata),
                              NULL);
}

/* Whether a record owner (maybe "*.suffix.") names host (no final dot). */
static gboolean
owner_matches (const char *owner, const char *host)
{
  gsize o = strlen (owner) - 1, h = strlen (host);  /* o: without '.' */

  if (g_str_has_prefix (owner, "*."))
    return h > o - 1 && host[h - (o - 1)] == '.'
           && strncmp (host + h - (o - 2), owner + 2, o - 2) == 0;
  return o == h && strncmp (owner, host, h) == 0;
}

/* Whether a record (or a response policy rule with local data) of
 * records names url's host; sets its host kind then. */
static gboolean
records_name (GArray *records, CloudRunSpecUrl *url)
{
  for (guint j = 0; records && j < records->len; j++)
    {
      const CloudRunSpecDnsRecord *r
        = &g_array_index (records, CloudRunSpecDnsRecord, j);
      if (r->type != CLOUDRUN_DNS_PASSTHRU
          && owner_matches (r->owner, url->host))
        {
          url->host_kind = CLOUDRUN_URL_HOST_DNS_RECORD;
          return TRUE;
        }
    }
  return FALSE;
}

/* What a URL host names; FALSE when nothing in the scenario. */
static gboolean
find_host (CloudRunCheck *c, CloudRunSpecUrl *url)
{
  CloudRunScenario *s = c->s;

  if (sim_ipv4_parse (url->host, &url->address))
    {
      url->host_kind = CLOUDRUN_URL_HOST_ADDRESS;
      return TRUE;
    }
  for (guint i = 0; i < s->services->len; i++)
    {
      CloudRunSpecService *svc = s->services->pdata[i];
      if (strcmp (url->host, svc->hash_host) == 0
          || strcmp (url->host, svc->number_host) == 0)
        {
          url->host_kind = CLOUDRUN_URL_HOST_SERVICE;
          url->target = svc;
          return TRUE;
        }
    }
  for (guint i = 0; i < s->revisions->len; i++)
    {
      CloudRunSpecRevision *r = s->revisions->pdata[i];
      if (r->tag != NULL && (strcmp (url->host, r->tag_hash_host) == 0
                             || strcmp (url->host, r->tag_number_host) == 0))
        {
          url->host_kind = CLOUDRUN_URL_HOST_SERVICE;
          url->target = r->service;
          return TRUE;
        }
    }
  for (guint i = 0; i < s->internal_albs->len; i++)
    {
      CloudRunSpecInternalAlb *a = s->internal_albs->pdata[i];
      if (a->hostname != NULL && strcmp (a->hostname, url->host) == 0)
        {
          url->host_kind = CLOUDRUN_URL_HOST_INTERNAL_ALB;
          url->target = a;
          return TRUE;
        }
    }
  for (guint i = 0; i < s->external_albs->len; i++)
    {
      CloudRunSpecExternalAlb *a = s->external_albs->pdata[i];
      if (a->hostname != NULL && strcmp (a->hostname, url->host) == 0)
        {
          url->host_kind = CLOUDRUN_URL_HOST_EXTERNAL_ALB;
          url->target = a;
          return TRUE;
        }
    }
  for (guint i = 0; i < s->domain_mappings->len; i++)
    {
      CloudRunSpecDomainMapping *m = s->domain_mappings->pdata[i];
      if (strcmp (m->domain, url->host) == 0)
        {
          url->host_kind = CLOUDRUN_URL_HOST_DOMAIN_MAPPING;
          url->target = m;
          return TRUE;
        }
    }
  for (guint i = 0; i < s->dns_zones->len; i++)
    if (records_name (((CloudRunSpecDnsZone *) s->dns_zones->pdata[i])
                      ->records, url))
      return TRUE;
  for (guint i = 0; i < s->dns_response_policies->len; i++)
    if (records_name (((CloudRunSpecDnsResponsePolicy *)
                       s->dns_response_policies->pdata[i])->rules, url))
      return TRUE;
  return FALSE;
}

/* A service host near host: by edit distance, or else the host of the
 * service whose NAME starts host's first label, in the same URL form
 * (for a URL copied from a real project). */
static const char *
near_host (CloudRunCheck *c, const char *host)
{
  g_autoptr (GPtrArray) hosts = g_ptr_array_new ();
  gboolean hash_form = g_str_has_suffix (host, ".a.run.app");
  const char *near;

  for (guint i = 0; i < c->s->services->len; i++)
    {
      CloudRunSpecService *svc = c->s->services->pdata[i];
      g_ptr_array_add (hosts, svc->hash_host);
      g_ptr_array_add (hosts, svc->number_host);
    }
  g_ptr_array_add (hosts, NULL);
  near = cloudrun_suggest (host, (const char *const *) hosts->pdata);
  for (guint i = 0; near == NULL && i < c->s->services->len; i++)
    {
      CloudRunSpecService *svc = c->s->services->pdata[i];
      gsize n = strlen (svc->base.name);
      if (strncmp (host, svc->base.name, n) == 0 && host[n] == '-')
        near = hash_form ? svc->hash_host : svc->number_host;
    }
  return near;
}

static gboolean
fail_host (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  g_autofree char *found = cloudrun_quote (t->url.host);

  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_REFERENCE, &t->base,
                              "url", "the host of a service, load balancer, "
                              "VM address or DNS record", found,
                              near_host (c, t->url.host), NULL);
}

static gboolean
check_url (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  CloudRunSpecUrl *url = &t->url;
  CloudRunSpecService *svc;

  if (url->service_name == NULL)
    return find_host (c, url) || fail_host (c, t);
  svc = cloudrun_scenario_find (c->s, CLOUDRUN_KIND_SERVICE,
                                url->service_name);
  if (svc == NULL)
    {
      g_autofree const char **names = cloudrun_check_names (
          c->s, CLOUDRUN_KIND_SERVICE);
      const char *near = cloudrun_suggest (url->service_name, names);
      g_autofree char *found = cloudrun_quote (url->text);
      g_autofree char *suggestion = near ? g_strconcat ("service:", near,
                                                        NULL) : NULL;
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_REFERENCE,
                                  &t->base, "url", "service:NAME with the "
                                  "name of a [service NAME] group", found,
                                  suggestion, NULL);
    }
  url->host = g_strdup (svc->hash_host);
  url->host_kind = CLOUDRUN_URL_HOST_SERVICE;
  url->target = svc;
  return TRUE;
}

/* rate or interval: not both; one when count > 1 (none for a burst);
 * the mean gap. */
static gboolean
check_pacing (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  gboolean has_rate = cloudrun_object_has (&t->base, "rate");
  gboolean has_interval = cloudrun_object_has (&t->base, "interval");
  double gap;

  if (has_rate && has_interval)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &t->base, "interval", "rate or interval, "
                                "not both", "both", NULL, NULL);
  if (t->pattern == CLOUDRUN_PATTERN_BURST)
    {
      if (has_rate || has_interval)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &t->base, has_rate ? "rate" : "interval",
                                    "no rate or interval with pattern = "
                                    "burst (every request starts at start)",
                                    has_rate ? "rate" : "interval", NULL,
                                    NULL);
      t->gap = 0;
      return TRUE;
    }
  if (t->count > 1 && !has_rate && !has_interval)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &t->base,
                                "rate", "rate or interval when count > 1",
                                "neither", NULL, NULL);
  if (has_interval)
    t->gap = t->interval;
  if (!has_rate)
    return TRUE;
  gap = 1e9 / t->rate;
  if (!(t->rate > 0) || gap < 1 || gap > 9e18)
    {
      g_autofree char *found = g_strdup_printf ("%g per second", t->rate);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &t->base,
                                  "rate", "a rate above 0 and at most "
                                  "1000000/ms", found, NULL, NULL);
    }
  t->gap = (SimTime) llround (gap);
  return TRUE;
}

/* Every caller has an identity to sign for (a client's account has a
 * default, fill_client_identity). audience and token-header belong to a
 * token; audience defaults to https://HOST of the URL. */
static gboolean
check_identity (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  if (t->audience != NULL && t->identity != CLOUDRUN_IDENTITY_ID_TOKEN)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &t->base, "audience", "audience together "
                                "with identity = id-token", "audience "
                                "without a token", NULL, NULL);
  if (cloudrun_object_has (&t->base, "token-header")
      && t->identity != CLOUDRUN_IDENTITY_ID_TOKEN)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &t->base, "token-header", "token-header "
                                "together with identity = id-token",
                                "token-header without a token", NULL, NULL);
  if (t->audience == NULL)
    t->audience = g_strconcat ("https://", t->url.host, NULL);
  return TRUE;
}

static gboolean
fill_vm_identity (CloudRunCheck *c, CloudRunSpecVm *vm)
{
  (void) c;
  if (vm->service_account == NULL)
    vm->service_account = cloudrun_default_service_account (
        vm->subnet->network->project);
  return TRUE;
}

/* A client without account sends the ID token of a Google user named
 * after it, NAME@example.com: format 1 files written before account
 * existed sent a token for identity = id-token, and allAuthenticatedUsers
 * accepted it; it still does. */
static gboolean
fill_client_identity (CloudRunCheck *c, CloudRunSpecClient *client)
{
  (void) c;
  if (client->account == NULL)
    client->account = g_strconcat (client->base.name, "@example.com", NULL);
  return TRUE;
}

static gboolean
fill_google_caller_identity (CloudRunCheck *c, CloudRunSpecGoogleCaller *gc)
{
  (void) c;
  if (gc->service_account == NULL)
    gc->service_account = cloudrun_default_service_account (gc->project);
  return TRUE;
}

/* A tcp:// traffic opens a connection and closes it: keys of what an
 * HTTP request sends have nothing to act on. */
static gboolean
check_tcp (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  static const char *const http_only[] = {
    "method", "request-size", "identity", "audience", "token-header",
    "connections" };

  if (t->url.scheme != CLOUDRUN_URL_TCP)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (http_only); i++)
    if (cloudrun_object_has (&t->base, http_only[i]))
      {
        g_autofree char *found = g_strdup_printf ("it, with url = %s",
                                                  t->url.text);
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &t->base, http_only[i], "no HTTP keys "
                                    "on a tcp:// traffic (a connection "
                                    "check sends no request)", found, NULL,
                                    NULL);
      }
  if (t->url.host_kind == CLOUDRUN_URL_HOST_SERVICE
      || t->url.host_kind == CLOUDRUN_URL_HOST_INTERNAL_ALB
      || t->url.host_kind == CLOUDRUN_URL_HOST_EXTERNAL_ALB
      || t->url.host_kind == CLOUDRUN_URL_HOST_DOMAIN_MAPPING)
    {
      g_autofree char *found = cloudrun_quote (t->url.text);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &t->base, "url", "tcp:// to an address or "
                                  "DNS record (a Cloud Run service or load "
                                  "balancer takes https or http)", found,
                                  NULL, NULL);
    }
  return TRUE;
}

static gboolean
check_traffic (CloudRunCheck *c, CloudRunSpecTraffic *t)
{
  if (!resolve_caller (c, t) || !check_url (c, t) || !check_pacing (c, t)
      || !check_identity (c, t) || !check_tcp (c, t))
    return FALSE;
  if (t->timeout <= 0)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &t->base,
                                "timeout", "a time above 0s", "'0s'", NULL,
                                NULL);
  return TRUE;
}

/* Request ids are 32-bit: the traffics together stay well inside. */
static gboolean
check_total_requests (CloudRunCheck *c)
{
  uint64_t total = 0;

  for (guint i = 0; i < c->s->traffics->len; i++)
    {
      CloudRunSpecTraffic *t = c->s->traffics->pdata[i];
      total += (uint64_t) t->count * cloudrun_traffic_senders (t);
      if (total > CLOUDRUN_MAX_REQUESTS)
        {
          g_autofree char *expected = g_strdup_printf (
            "at most %u requests in all [traffic] groups together",
            CLOUDRUN_MAX_REQUESTS);
          guint n = cloudrun_traffic_senders (t);
          g_autofree char *each = n > 1
              ? g_strdup_printf (" from each of %u instances", n)
              : g_strdup ("");
          g_autofree char *found = g_strdup_printf (
            "%" G_GINT64_FORMAT "%s, which brings the total to %"
            G_GUINT64_FORMAT, t->count, each, total);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                      &t->base, "count", expected, found,
                                      NULL, NULL);
        }
    }
  return TRUE;
}

/* The GFE terminates the caller's connection: a container's requests come
 * from the GFE, and the simulated GFE adds no X-Forwarded-For. */
static gboolean
check_source_seen (CloudRunCheck *c, CloudRunSpecExpect *e)
{
  const CloudRunSpecUrl *url = &e->traffic->url;
  g_autofree char *found = NULL;

  if (url->host_kind != CLOUDRUN_URL_HOST_SERVICE
      && url->host_kind != CLOUDRUN_URL_HOST_INTERNAL_ALB
      && url->host_kind != CLOUDRUN_URL_HOST_EXTERNAL_ALB
      && url->host_kind != CLOUDRUN_URL_HOST_DOMAIN_MAPPING)
    return TRUE;
  found = g_strdup_printf ("[traffic %s] url = %s, a Cloud Run service",
                           e->base.name, url->text);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &e->base,
                              "source-seen", "a traffic to a VM or a client",
                              found, NULL, "a Cloud Run container sees the "
                              "GFE as the source of every request, never the "
                              "caller (Cloud Run names the caller in "
                              "X-Forwarded-For, which the simulated GFE does "
                              "not add); expect host-seen, outcome or via "
                              "instead");
}

/* A revision of the service the traffic's URL names (a load balancer's
 * NEG may lead anywhere: not judged here). */
static gboolean
check_expect_revision (CloudRunCheck *c, CloudRunSpecExpect *e)
{
  const CloudRunSpecUrl *url = &e->traffic->url;
  const CloudRunSpecService *svc = url->target;
  g_autofree char *expected = NULL, *found = NULL;

  if (url->host_kind != CLOUDRUN_URL_HOST_SERVICE
      || e->revision->service == svc)
    return TRUE;
  expected = g_strdup_printf ("a revision of service '%s', which [traffic "
                              "%s] calls", svc->base.name, e->base.name);
  found = g_strdup_printf ("'%s', a revision of service '%s'",
                           e->revision->base.name,
                           e->revision->service->base.name);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &e->base,
                              "revision", expected, found, NULL, NULL);
}

static gboolean
check_expect (CloudRunCheck *c, CloudRunSpecExpect *e)
{
  e->traffic = cloudrun_scenario_find (c->s, CLOUDRUN_KIND_TRAFFIC,
                                       e->base.name);
  if (e->traffic == NULL)
    {
      g_autofree const char **names = cloudrun_check_names (
          c->s, CLOUDRUN_KIND_TRAFFIC);
      g_autofree char *expected = g_strdup_printf (
          "a [traffic %s] group of the same NAME", e->base.name);
      const char *near = cloudrun_suggest (e->base.name, names);
      g_autofree char *suggestion = near ? g_strconcat ("expect ", near,
                                                        NULL) : NULL;
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_REFERENCE,
                                  &e->base, NULL, expected, "none",
                                  suggestion, NULL);
    }
  e->traffic->expect = e;
  if (e->traffic->url.scheme == CLOUDRUN_URL_TCP)
    for (guint i = 0; i < 2; i++)
      {
        const char *key = i ? "host-seen" : "status";
        if (cloudrun_object_has (&e->base, key))
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &e->base, key, "no HTTP items for a "
                                      "tcp:// traffic (a connection check "
                                      "gets no response and sends no Host)",
                                      key, NULL, NULL);
      }
  if (cloudrun_object_has (&e->base, "source-seen")
      && !check_source_seen (c, e))
    return FALSE;
  if (cloudrun_object_has (&e->base, "ratio")
      && !cloudrun_object_has (&e->base, "outcome")
      && !cloudrun_object_has (&e->base, "revision"))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &e->base, "ratio", "ratio together with "
                                "outcome or revision", "ratio alone", NULL,
                                NULL);
  return e->revision == NULL || check_expect_revision (c, e);
}

/* ---- Entry -------------------------------------------------------- */

#define EACH(list, fn)                                   \
  for (guint i_ = 0; i_ < (list)->len; i_++)             \
    if (!fn (c, (list)->pdata[i_]))                      \
      return FALSE

gboolean
cloudrun_check_traffic_part (CloudRunCheck *c)
{
  CloudRunScenario *s = c->s;

  EACH (s->psc_endpoints, check_psc_endpoint);
  EACH (s->internal_albs, check_internal_alb);
  EACH (s->vms, check_vm_address);
  EACH (s->vms, assign_vm_address);
  EACH (s->vms, fill_vm_identity);
  EACH (s->clients, fill_client_identity);
  EACH (s->google_callers, fill_google_caller_identity);
  if (!cloudrun_check_addresses (c))
    return FALSE;
  if (!cloudrun_check_dns (c))
    return FALSE;
  EACH (s->traffics, check_traffic);
  if (!check_total_requests (c))
    return FALSE;
  EACH (s->expects, check_expect);
  return TRUE;
}

/* ---- Warnings ----------------------------------------------------- */

gboolean
cloudrun_network_has_ipv6_only (const CloudRunSpecNetwork *n)
{
  for (guint i = 0; i < n->subnets->len; i++)
    if (((const CloudRunSpecSubnet *) n->subnets->pdata[i])->stack_type
        == VPC_STACK_IPV6_ONLY)
      return TRUE;
  return FALSE;
}

/* External IPv6 counts when run-external-ipv6 = allowed. */
gboolean
cloudrun_traffic_caller_dual (const CloudRunScenario *s,
                              const CloudRunSpecTraffic *t)
{
  static const SimIp6 none;
  const CloudRunSpecCaller *c = &t->from;
  const CloudRunSpecWorkload *w = NULL;

  if (c->kind == CLOUDRUN_KIND_VM)
    return !sim_ipv6_equal (&c->vm->ipv6_address, &none);
  if (c->kind == CLOUDRUN_KIND_CLIENT)
    return !sim_ipv6_equal (&c->client->ipv6_address, &none);
  if (c->kind == CLOUDRUN_KIND_SERVICE)
    w = &c->service->workload;
  else if (c->kind == CLOUDRUN_KIND_JOB || c->kind == CLOUDRUN_KIND_WORKER_POOL)
    w = &c->worker->workload;
  return w && w->vpc_access == VPC_ACCESS_DIRECT && w->subnet
         && w->subnet->stack_type == VPC_STACK_IPV4_IPV6
         && (w->subnet->ipv6_access_type == VPC_IPV6_ACCESS_INTERNAL
             || s->assumptions.run_external_ipv6
                == CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED);
}

void
cloudrun_traffic_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->traffics->len; i++)
    {
      const CloudRunSpecTraffic *t = s->traffics->pdata[i];

      if (!cloudrun_object_has (&t->base, "address-selection")
          || cloudrun_traffic_caller_dual (s, t))
        continue;
      g_ptr_array_add (out, g_strdup_printf (
        "[%s] address-selection: its caller %s has no IPv6 address (only a "
        "Direct VPC workload on a dual-stack subnet, a VM or a client with "
        "an IPv6 address has one): it asks A alone, and the key changes "
        "nothing",
        t->base.group, t->from_name));
    }
}
