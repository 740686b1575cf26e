/* Scenario cross checks, part 3: the address plan (docs/scenario-format.md,
 * "Addresses": what the simulator picks itself never collides):
 * - a client, a NAT address or an external load balancer is not at an
 *   address Google or the simulator's own parts hold (the front ends, the
 *   Private Google Access VIPs, Cloud Run's default egress, the public
 *   resolver);
 * - NAT addresses and external load balancers are public, PSC endpoints
 *   internal;
 * - an address is written once: on the internet anywhere in the scenario,
 *   inside a network once per network (and never also on the internet);
 * - client addresses default to 203.0.113.10 upwards, skipping every
 *   address the scenario writes or a DNS record holds (VMs' defaults skip
 *   the internet's written addresses and records through
 *   cloudrun_check_address_reserved);
 * - Cloud Run instances serve behind the GFE (169.254.0.1) from
 *   169.254.0.0/16: each service, in file order, takes the next /24s its
 *   max-instances need, its instance k at the first one's .10 + k - 1
 *   (169.254.S.10 to .255, then on through the next /24s), never
 *   169.254.0.0/24, the metadata server's 169.254.169.0/24 or
 *   169.254.255.0/24; 253 /24s in all (63 services of 1000 instances).
 *
 * Called by models/format/scenario-check-traffic.c after the VMs' own
 * checks, before the DNS zones and traffic. */
#include "models/format/scenario-private.h"

#include <string.h>

#include "sim/wire.h"

#define CLIENT_FIRST 0xcb00710au  /* 203.0.113.10 */
#define CLIENT_LAST 0xcb0071feu   /* 203.0.113.254 */

typedef struct {
  uint32_t prefix;
  uint8_t len;
  const char *what;
} AddressRange;

/* Addresses the simulated Google holds, on the internet. */
static const AddressRange google_owned[] = {
  { 0xd8ef2000u, 19, "the Google front ends (216.239.32.0/19)" },
  { 0xc7249908u, 30, "the private.googleapis.com VIPs (199.36.153.8/30)" },
  { 0xc7249904u, 30,
    "the restricted.googleapis.com VIPs (199.36.153.4/30)" },
  { 0x22620010u, 32, "Cloud Run's default internet egress (34.98.0.16)" },
  { 0x08080808u, 32, "the public resolver (8.8.8.8)" },
};

/* Ranges the internet never routes (RFC 6890); RFC 1918's come first. */
#define N_RFC1918 3
static const AddressRange not_public[] = {
  { 0x0a000000u, 8, "a private address (RFC 1918)" },
  { 0xac100000u, 12, "a private address (RFC 1918)" },
  { 0xc0a80000u, 16, "a private address (RFC 1918)" },
  { 0x64400000u, 10, "a shared address (RFC 6598)" },
  { 0xa9fe0000u, 16, "a link-local address" },
  { 0x7f000000u, 8, "a loopback address" },
  { 0x00000000u, 8, "an address of 'this network'" },
  { 0xe0000000u, 3, "a multicast or reserved address" },
};

static const char *
range_of (const AddressRange *ranges, gsize n, uint32_t addr)
{
  for (gsize i = 0; i < n; i++)
    if ((addr & sim_cidr_mask (ranges[i].len)) == ranges[i].prefix)
      return ranges[i].what;
  return NULL;
}

static char *
quoted_address (uint32_t addr)
{
  char buf[16];
  return g_strdup_printf ("'%s'", sim_ipv4_to_string (addr, buf));
}

/* ---- Written addresses -------------------------------------------- */

/* One address as written: by whom, under which key, and where it lives
 * (a network, or NULL for the internet). */
typedef struct {
  uint32_t addr;
  const CloudRunSpecObject *o;
  const char *key;
  const CloudRunSpecNetwork *net;
} Written;

static void
add (GArray *out, uint32_t addr, const void *o, const char *key,
     const CloudRunSpecNetwork *net)
{
  Written w = { addr, o, key, net };
  g_array_append_val (out, w);
}

/* Every address the scenario writes (derived ones excluded). */
static GArray *
written_addresses (const CloudRunScenario *s)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Written));

  for (guint i = 0; i < s->clients->len; i++)
    {
      const CloudRunSpecClient *cl = s->clients->pdata[i];
      if (cloudrun_object_has (&cl->base, "address"))
        add (out, cl->address, cl, "address", NULL);
    }
  for (guint i = 0; i < s->nats->len; i++)
    {
      const CloudRunSpecNat *nat = s->nats->pdata[i];
      GArray *list = nat->addresses.addresses;
      for (guint k = 0; list && k < list->len; k++)
        add (out, g_array_index (list, uint32_t, k), nat, "addresses", NULL);
    }
  for (guint i = 0; i < s->external_albs->len; i++)
    {
      const CloudRunSpecExternalAlb *a = s->external_albs->pdata[i];
      add (out, a->address, a, "address", NULL);
    }
  for (guint i = 0; i < s->vms->len; i++)
    {
      const CloudRunSpecVm *vm = s->vms->pdata[i];
      if (cloudrun_object_has (&vm->base, "address"))
        add (out, vm->address, vm, "address", vm->subnet->network);
    }
  for (guint i = 0; i < s->psc_endpoints->len; i++)
    {
      const CloudRunSpecPscEndpoint *e = s->psc_endpoints->pdata[i];
      add (out, e->address, e, "address", e->network);
    }
  for (guint i = 0; i < s->internal_albs->len; i++)
    {
      const CloudRunSpecInternalAlb *a = s->internal_albs->pdata[i];
      add (out, a->address, a, "address", a->network);
    }
  return out;
}

/* Two networks may reuse an internal address; nothing else may. */
static gboolean
clash (const Written *a, const Written *b)
{
  return a->addr == b->addr && (!a->net || !b->net || a->net == b->net);
}

static gboolean
check_written_once (CloudRunCheck *c, GArray *all)
{
  for (guint j = 0; j < all->len; j++)
    for (guint i = 0; i < j; i++)
      {
        const Written *a = &g_array_index (all, Written, i);
        const Written *b = &g_array_index (all, Written, j);
        g_autofree char *q = NULL, *found = NULL;
        if (!clash (a, b))
          continue;
        if (b->o->line < a->o->line)
          {
            const Written *t = a;
            a = b;
            b = t;
          }
        q = quoted_address (b->addr);
        found = a->o == b->o
                ? g_strdup_printf ("%s twice", q)
                : g_strdup_printf ("%s, which [%s] %s writes too", q,
                                   a->o->group, a->key);
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    b->o, b->key, "an address no other "
                                    "group or item writes", found, NULL,
                                    "an address belongs to one host");
      }
  return TRUE;
}

/* A public address that Google's simulated parts do not hold. */
static gboolean
check_public (CloudRunCheck *c, const Written *w)
{
  const char *what = range_of (not_public, G_N_ELEMENTS (not_public),
                               w->addr);
  g_autofree char *q = quoted_address (w->addr), *found = NULL;

  if (what == NULL)
    what = range_of (google_owned, G_N_ELEMENTS (google_owned), w->addr);
  if (what == NULL)
    return TRUE;
  found = g_strdup_printf ("%s, %s", q, what);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, w->o, w->key,
                              "a public address that Google does not hold",
                              found, NULL, NULL);
}

/* A client may be anywhere on the internet but inside Google. */
static gboolean
check_client (CloudRunCheck *c, const Written *w)
{
  const char *what = range_of (google_owned, G_N_ELEMENTS (google_owned),
                               w->addr);
  g_autofree char *q = NULL, *found = NULL;

  if (what == NULL)
    return TRUE;
  q = quoted_address (w->addr);
  found = g_strdup_printf ("%s, %s", q, what);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, w->o, w->key,
                              "an internet address outside Google's", found,
                              NULL, "use 203.0.113.0/24 or another "
                              "address of your own");
}

/* A PSC endpoint: RFC 1918, or inside a subnet of its network. */
static gboolean
check_internal (CloudRunCheck *c, const Written *w)
{
  const char *what = range_of (not_public, N_RFC1918, w->addr);
  g_autofree char *q = NULL, *expected = NULL;

  for (guint i = 0; what == NULL && i < w->net->subnets->len; i++)
    {
      const CloudRunSpecSubnet *sn = w->net->subnets->pdata[i];
      if (sn->stack_type != VPC_STACK_IPV6_ONLY
          && (w->addr & sim_cidr_mask (sn->range.len)) == sn->range.prefix)
        what = sn->base.name;
    }
  if (what != NULL)
    return TRUE;
  q = quoted_address (w->addr);
  expected = g_strdup_printf ("an internal address (10.0.0.0/8, "
                              "172.16.0.0/12, 192.168.0.0/16 or a subnet "
                              "range of network '%s')", w->net->base.name);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, w->o, w->key,
                              expected, q, NULL, NULL);
}

static gboolean
check_written (CloudRunCheck *c, GArray *all)
{
  for (guint i = 0; i < all->len; i++)
    {
      const Written *w = &g_array_index (all, Written, i);
      CloudRunKind kind = w->o->kind;
      gboolean ok = TRUE;
      if (kind == CLOUDRUN_KIND_CLIENT)
        ok = check_client (c, w);
      else if (kind == CLOUDRUN_KIND_NAT
               || kind == CLOUDRUN_KIND_EXTERNAL_ALB)
        ok = check_public (c, w);
      else if (kind == CLOUDRUN_KIND_PSC_ENDPOINT)
        ok = check_internal (c, w);
      if (!ok)
        return FALSE;
    }
  return check_written_once (c, all);
}

/* ---- What automatic addresses avoid ------------------------------- */

/* Whether an A record of records (zone records or rules' local data)
 * holds addr. */
static gboolean
records_hold (GArray *records, uint32_t addr)
{
  for (guint k = 0; records && k < records->len; k++)
    {
      const CloudRunSpecDnsRecord *r
        = &g_array_index (records, CloudRunSpecDnsRecord, k);
      if (r->type == CLOUDRUN_DNS_A && r->address == addr)
        return TRUE;
    }
  return FALSE;
}

gboolean
cloudrun_scenario_address_in_records (const CloudRunScenario *s,
                                      uint32_t addr)
{
  for (guint i = 0; i < s->dns_zones->len; i++)
    if (records_hold (((CloudRunSpecDnsZone *) s->dns_zones->pdata[i])
                      ->records, addr))
      return TRUE;
  for (guint i = 0; i < s->dns_response_policies->len; i++)
    if (records_hold (((CloudRunSpecDnsResponsePolicy *)
                       s->dns_response_policies->pdata[i])->rules, addr))
      return TRUE;
  return FALSE;
}

gboolean
cloudrun_check_address_reserved (const CloudRunScenario *s, uint32_t addr)
{
  g_autoptr (GArray) all = written_addresses (s);

  for (guint i = 0; i < all->len; i++)
    {
      const Written *w = &g_array_index (all, Written, i);
      if (w->addr == addr && w->net == NULL)
        return TRUE;
    }
  return cloudrun_scenario_address_in_records (s, addr);
}

gboolean
cloudrun_scenario_address_used (const CloudRunScenario *s, uint32_t addr)
{
  g_autoptr (GArray) all = written_addresses (s);

  for (guint i = 0; i < all->len; i++)
    if (g_array_index (all, Written, i).addr == addr)
      return TRUE;
  for (guint i = 0; i < s->clients->len; i++)
    if (((const CloudRunSpecClient *) s->clients->pdata[i])->address == addr)
      return TRUE;
  for (guint i = 0; i < s->vms->len; i++)
    if (((const CloudRunSpecVm *) s->vms->pdata[i])->address == addr)
      return TRUE;
  return cloudrun_scenario_address_in_records (s, addr);
}

/* Clients without an address get the next unused one from CLIENT_FIRST:
 * written ones are all set by now, defaults fill the gaps. */
static gboolean
assign_client_addresses (CloudRunCheck *c)
{
  uint32_t next = CLIENT_FIRST;

  for (guint i = 0; i < c->s->clients->len; i++)
    {
      CloudRunSpecClient *cl = c->s->clients->pdata[i];
      if (cloudrun_object_has (&cl->base, "address"))
        continue;
      while (next <= CLIENT_LAST
             && cloudrun_scenario_address_used (c->s, next))
        next++;
      if (next > CLIENT_LAST)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &cl->base, "address", "a free address "
                                    "in 203.0.113.10-254", "none left",
                                    NULL, NULL);
      cl->address = next++;
    }
  return TRUE;
}

#define SERVING_NET 0xa9fe0000u   /* 169.254.0.0/16 */
#define SERVING_METADATA_24 169u  /* 169.254.169.0/24 */
#define SERVING_LAST_24 254u
#define SERVING_HOST_FIRST 10u    /* an instance range starts at .10 */

/* The first address of the next n /24s of 169.254.0.0/16 from *next
 * (none crossing the metadata server's), or 0 when none are left. */
static uint32_t
take_serving_24s (uint32_t *next, uint32_t n)
{
  uint32_t first;

  if (*next <= SERVING_METADATA_24 && *next + n > SERVING_METADATA_24)
    *next = SERVING_METADATA_24 + 1;
  if (*next + n - 1 > SERVING_LAST_24)
    return 0;
  first = SERVING_NET | *next << 8 | SERVING_HOST_FIRST;
  *next += n;
  return first;
}

static gboolean
fail_serving (CloudRunCheck *c, CloudRunSpecObject *o, const char *key)
{
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, o, key,
                              "instance addresses left in "
                              "169.254.0.0/16 (253 /24s for all "
                              "services' instances: 63 services of "
                              "1000, 253 of up to 246)",
                              "none left", NULL, NULL);
}

/* Each service's serving_base (with revisions each revision's): the next
 * /24s of 169.254.0.0/16 that hold its max-instances from .10, none
 * crossing the metadata server's; then each job's and worker pool's
 * sandbox_base, the same way for its tasks or instances. */
static gboolean
assign_serving_addresses (CloudRunCheck *c)
{
  uint32_t next = 1;
  GPtrArray *workers[] = { c->s->jobs, c->s->worker_pools };

  for (guint i = 0; i < c->s->services->len; i++)
    {
      CloudRunSpecService *svc = c->s->services->pdata[i];
      if (svc->revisions->len == 0)
        {
          uint32_t n = (uint32_t) (svc->max_instances + SERVING_HOST_FIRST
                                   + 255) / 256;
          svc->serving_base = take_serving_24s (&next, n);
          if (!svc->serving_base)
            return fail_serving (c, &svc->base, "max-instances");
        }
      for (guint k = 0; k < svc->revisions->len; k++)
        {
          CloudRunSpecRevision *r = svc->revisions->pdata[k];
          uint32_t n = (uint32_t) (r->max_instances + SERVING_HOST_FIRST
                                   + 255) / 256;
          r->serving_base = take_serving_24s (&next, n);
          if (!r->serving_base)
            return fail_serving (c, &r->base, "max-instances");
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (workers); k++)
    for (guint i = 0; i < workers[k]->len; i++)
      {
        CloudRunSpecWorker *wk = workers[k]->pdata[i];
        uint32_t n = (uint32_t) (wk->instances + SERVING_HOST_FIRST
                                 + 255) / 256;
        wk->sandbox_base = take_serving_24s (&next, n);
        if (!wk->sandbox_base)
          return fail_serving (c, &wk->base, k == 0 ? "tasks" : "instances");
      }
  return TRUE;
}

gboolean
cloudrun_check_addresses (CloudRunCheck *c)
{
  g_autoptr (GArray) all = written_addresses (c->s);

  return check_written (c, all) && cloudrun_check_client_addresses6 (c)
         && assign_client_addresses (c)
         && assign_serving_addresses (c);
}
