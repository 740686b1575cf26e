/* Scenario cross checks of IPv6 (docs/scenario-format.md; docs/
 * networking.md, "IPv6"):
 * - a network's internal-ipv6-range is a /48 inside fd20::/20 that no
 *   other network has; `auto` takes the first free fd20:0:N::/48, N
 *   from 1, networks in file order;
 * - a subnet's stack-type: ipv4-ipv6 needs ipv6-access-type (internal
 *   needs the network's internal range), ipv4-only takes neither it nor
 *   ipv6-range, ipv6-only is checked as ipv4-ipv6 (it has no IPv4
 *   range: scenario-check.c), and no dual-stack subnet on an
 *   on-premises site;
 * - a subnet's ipv6-range is a /64 (inside the network's /48 when
 *   internal, global unicast 2000::/3 outside Google's VIPs' and front
 *   ends' when external) overlapping no other subnet's; by default the
 *   next free one;
 * - an IPv6 route's next hop is the gateway or blackhole;
 * - a VM on a dual-stack subnet has an IPv6 address in its /64, each
 *   VM's /96 its own; by default the first address of the next free
 *   /96 (N from 1 in bits 64..95: PREFIX::N:0:0); a VM elsewhere has
 *   none.
 * Also the warning of a Cloud Run workload on an external-IPv6 subnet
 * while [assumptions] run-external-ipv6 = refused.
 *
 * Called by models/format/scenario-check.c after subnets are gathered. */
#include "models/format/scenario-private.h"

#include <string.h>

#include "sim/wire.h"

/* Google's ULA range for internal IPv6 (vpc/docs/subnets, IPv6). */
static const CloudRunSpecCidr6 ula_range = {
  .prefix = { { 0xfd, 0x20 } }, .len = 20 };
/* Where external /64s come from unless written: inside 2600:1900::/28,
 * Google Cloud's published external IPv6 block. */
static const CloudRunSpecCidr6 external_pool = {
  .prefix = { { 0x26, 0x00, 0x19, 0x00, 0x40, 0x00 } }, .len = 44 };
static const CloudRunSpecCidr6 global_unicast = {
  .prefix = { { 0x20 } }, .len = 3 };

static gboolean
fail_range6 (CloudRunCheck *c, const CloudRunSpecObject *o, const char *key,
             CloudRunScenarioError code, const char *expected,
             const CloudRunSpecCidr6 *r, const char *why)
{
  g_autofree char *text = cloudrun_cidr6_text (r);
  g_autofree char *found = why ? g_strdup_printf ("'%s', %s", text, why)
                               : cloudrun_quote (text);

  return cloudrun_check_fail (c, code, o, key, expected, found, NULL, NULL);
}

/* ---- Networks ----------------------------------------------------- */

/* The network before index `before` (or any, with G_MAXUINT) whose
 * internal range overlaps r; NULL when none. Auto ranges not yet taken
 * have length 0 and match nothing. */
static const CloudRunSpecNetwork *
network_range_taken (const CloudRunScenario *s, const CloudRunSpecCidr6 *r,
                     guint before)
{
  for (guint i = 0; i < s->networks->len && i < before; i++)
    {
      const CloudRunSpecNetwork *n = s->networks->pdata[i];
      if (n->internal_ipv6_range.len != 0 && !n->on_premises
          && cloudrun_cidr6_overlap (&n->internal_ipv6_range, r))
        return n;
    }
  return NULL;
}

static gboolean
check_written_network (CloudRunCheck *c, CloudRunSpecNetwork *n, guint i)
{
  const CloudRunSpecNetwork *by;

  if (n->on_premises)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &n->base, "internal-ipv6-range",
                                "no internal IPv6 range on an on-premises "
                                "site (a VPC network's setting)",
                                "a range", NULL, NULL);
  if (n->internal_ipv6_auto)
    return TRUE;
  if (n->internal_ipv6_range.len != 48
      || !cloudrun_cidr6_overlap (&n->internal_ipv6_range, &ula_range))
    return fail_range6 (c, &n->base, "internal-ipv6-range",
                        CLOUDRUN_SCENARIO_ERROR_VALUE,
                        "auto or a /48 inside fd20::/20 (Google's internal "
                        "IPv6 range)", &n->internal_ipv6_range, NULL);
  if ((by = network_range_taken (c->s, &n->internal_ipv6_range, i)) != NULL)
    {
      g_autofree char *why = g_strdup_printf ("the range of [%s] too",
                                              by->base.group);
      return fail_range6 (c, &n->base, "internal-ipv6-range",
                          CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                          "a /48 no other network has",
                          &n->internal_ipv6_range, why);
    }
  return TRUE;
}

static gboolean
check_networks (CloudRunCheck *c)
{
  GPtrArray *list = c->s->networks;
  guint next = 1;

  for (guint i = 0; i < list->len; i++)
    {
      CloudRunSpecNetwork *n = list->pdata[i];
      if (!cloudrun_object_has (&n->base, "internal-ipv6-range"))
        n->internal_ipv6_range = (CloudRunSpecCidr6) { 0 };
      else if (!check_written_network (c, n, i))
        return FALSE;
    }
  /* Then `auto`, around the written ranges. */
  for (guint i = 0; i < list->len; i++)
    {
      CloudRunSpecNetwork *n = list->pdata[i];
      CloudRunSpecCidr6 r = { .len = 48 };

      if (!n->internal_ipv6_auto || n->on_premises)
        continue;
      do
        {
          r.prefix = (SimIp6) { { 0xfd, 0x20, 0, 0, (uint8_t) (next >> 8),
                                  (uint8_t) next } };
          next++;
        }
      while (network_range_taken (c->s, &r, G_MAXUINT) != NULL);
      n->internal_ipv6_range = r;
    }
  return TRUE;
}

/* ---- Subnets ------------------------------------------------------ */

/* Another subnet whose IPv6 range overlaps r: one with a range already
 * (a written one before self, any derived one); NULL when none. A
 * derived range avoids every written one, later ones included. */
static const CloudRunSpecSubnet *
subnet_range_taken (const CloudRunScenario *s, const CloudRunSpecSubnet *self,
                    const CloudRunSpecCidr6 *r)
{
  gboolean before = TRUE;
  gboolean written = cloudrun_object_has (&self->base, "ipv6-range");

  for (guint i = 0; i < s->subnets->len; i++)
    {
      const CloudRunSpecSubnet *o = s->subnets->pdata[i];
      before &= o != self;
      if (o == self || o->stack_type == VPC_STACK_IPV4_ONLY
          || o->ipv6_range.len == 0
          || (!before && written
              && cloudrun_object_has (&o->base, "ipv6-range")))
        continue;
      if (cloudrun_cidr6_overlap (&o->ipv6_range, r))
        return o;
    }
  return NULL;
}

/* The next /64 of pool no subnet has. */
static gboolean
next_free_64 (const CloudRunScenario *s, const CloudRunSpecSubnet *self,
              const CloudRunSpecCidr6 *pool, CloudRunSpecCidr6 *out)
{
  guint bits = 64 - pool->len;

  for (guint64 k = 0; k < ((guint64) 1 << MIN (bits, 16)); k++)
    {
      CloudRunSpecCidr6 r = { .prefix = pool->prefix, .len = 64 };
      for (guint b = 0; b < 8; b++)
        r.prefix.b[7 - b] |= (uint8_t) (k >> (8 * b));
      if (subnet_range_taken (s, self, &r) == NULL)
        {
          *out = r;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
check_ipv4_only (CloudRunCheck *c, CloudRunSpecSubnet *sn)
{
  const char *keys[] = { "ipv6-access-type", "ipv6-range" };
  const CloudRunKindInfo *info = cloudrun_kind_info (CLOUDRUN_KIND_SUBNET);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (cloudrun_object_has (&sn->base, keys[i]))
      {
        g_autofree char *expected = g_strdup_printf (
            "no %s with stack-type = ipv4-only", keys[i]);
        g_autoptr (GString) value = g_string_new ("'");
        cloudrun_key_format (cloudrun_kind_key (info, keys[i], NULL), sn,
                             value);
        g_string_append_c (value, '\'');
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &sn->base, keys[i], expected,
                                    value->str, NULL,
                                    "set stack-type = ipv4-ipv6 to give "
                                    "the subnet an IPv6 range");
      }
  sn->ipv6_range = (CloudRunSpecCidr6) { 0 };
  return TRUE;
}

static gboolean
check_written_range (CloudRunCheck *c, CloudRunSpecSubnet *sn)
{
  const CloudRunSpecCidr6 *r = &sn->ipv6_range;
  const CloudRunSpecNetwork *n = sn->network;
  g_autofree char *expected = NULL;
  gboolean internal = sn->ipv6_access_type == VPC_IPV6_ACCESS_INTERNAL;

  if (internal)
    {
      g_autofree char *net = cloudrun_cidr6_text (&n->internal_ipv6_range);
      expected = g_strdup_printf ("a /64 inside the internal-ipv6-range "
                                  "%s of [%s]", net, n->base.group);
    }
  else
    expected = g_strdup ("a /64 of global unicast addresses (2000::/3) "
                         "for an external subnet");
  if (r->len != 64
      || !cloudrun_cidr6_overlap (r, internal ? &n->internal_ipv6_range
                                               : &global_unicast))
    return fail_range6 (c, &sn->base, "ipv6-range",
                        CLOUDRUN_SCENARIO_ERROR_VALUE, expected, r, NULL);
  return TRUE;
}

static gboolean
check_dual_stack (CloudRunCheck *c, CloudRunSpecSubnet *sn)
{
  const CloudRunSpecNetwork *n = sn->network;
  const CloudRunSpecSubnet *other;
  gboolean internal = sn->ipv6_access_type == VPC_IPV6_ACCESS_INTERNAL;

  if (n->on_premises)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &sn->base, "stack-type", "ipv4-only on an "
                                "on-premises site", "'ipv4-ipv6'", NULL,
                                NULL);
  if (!cloudrun_object_has (&sn->base, "ipv6-access-type"))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_KEY, &sn->base,
                                "ipv6-access-type", "internal or external "
                                "unless stack-type = ipv4-only", "nothing",
                                NULL, NULL);
  if (internal && n->internal_ipv6_range.len == 0)
    {
      g_autofree char *found = g_strdup_printf (
          "'internal', and [%s] has no internal-ipv6-range", n->base.group);
      g_autofree char *hint = g_strdup_printf (
          "write internal-ipv6-range = auto in [%s]", n->base.group);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &sn->base, "ipv6-access-type", "external, "
                                  "or internal in a network with an internal "
                                  "IPv6 range", found, NULL, hint);
    }
  if (cloudrun_object_has (&sn->base, "ipv6-range"))
    {
      if (!check_written_range (c, sn))
        return FALSE;
    }
  else if (!next_free_64 (c->s, sn, internal ? &n->internal_ipv6_range
                                              : &external_pool,
                          &sn->ipv6_range))
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &sn->base, "ipv6-range", "a free /64",
                                "none left", NULL, NULL);
  if ((other = subnet_range_taken (c->s, sn, &sn->ipv6_range)) != NULL)
    {
      g_autofree char *why = g_strdup_printf ("which overlaps [%s]",
                                              other->base.group);
      return fail_range6 (c, &sn->base, "ipv6-range",
                          CLOUDRUN_SCENARIO_ERROR_CONFLICT, "a /64 that "
                          "overlaps no other subnet's IPv6 range",
                          &sn->ipv6_range, why);
    }
  return TRUE;
}

static gboolean
check_subnets (CloudRunCheck *c)
{
  GPtrArray *list = c->s->subnets;

  /* No range yet: written ones are checked as they come, defaults are
   * taken in file order around them. */
  for (guint i = 0; i < list->len; i++)
    {
      CloudRunSpecSubnet *sn = list->pdata[i];
      if (!cloudrun_object_has (&sn->base, "ipv6-range"))
        sn->ipv6_range = (CloudRunSpecCidr6) { 0 };
    }
  for (guint i = 0; i < list->len; i++)
    {
      CloudRunSpecSubnet *sn = list->pdata[i];
      gboolean ok = TRUE;

      switch (sn->stack_type)
        {
        case VPC_STACK_IPV4_ONLY: ok = check_ipv4_only (c, sn); break;
        case VPC_STACK_IPV4_IPV6: ok = check_dual_stack (c, sn); break;
        case VPC_STACK_IPV6_ONLY: ok = check_dual_stack (c, sn); break;
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* ---- Routes and VMs ----------------------------------------------- */

static gboolean
check_routes (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->routes->len; i++)
    {
      const CloudRunSpecRoute *rt = c->s->routes->pdata[i];
      char buf[16];

      if (rt->destination.v6 && rt->next_hop.kind == VPC_NEXT_HOP_ADDRESS)
        {
          g_autofree char *found = g_strdup_printf (
              "'%s'",
              sim_ipv4_to_string (rt->next_hop.address, buf));
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &rt->base, "next-hop",
                                      "default-internet-gateway or "
                                      "blackhole for an IPv6 destination",
                                      found, NULL, NULL);
        }
    }
  return TRUE;
}

/* The /96 of addr: bytes 0..11. */
static gboolean
same_96 (const SimIp6 *a, const SimIp6 *b)
{
  return memcmp (a->b, b->b, 12) == 0;
}

/* Another VM whose /96 holds addr: one with an address already (a
 * written one before self, or a derived one); NULL when none. */
static const CloudRunSpecVm *
vm_96_taken (const CloudRunScenario *s, const CloudRunSpecVm *self,
             const SimIp6 *addr)
{
  gboolean before = TRUE;

  for (guint i = 0; i < s->vms->len; i++)
    {
      const CloudRunSpecVm *o = s->vms->pdata[i];
      before &= o != self;
      if (o == self || o->subnet->stack_type == VPC_STACK_IPV4_ONLY
          || (!before && cloudrun_object_has (&o->base, "ipv6-address")
              && cloudrun_object_has (&self->base, "ipv6-address")))
        continue;
      if (same_96 (&o->ipv6_address, addr))
        return o;
    }
  return NULL;
}

static gboolean
check_vm (CloudRunCheck *c, CloudRunSpecVm *vm)
{
  const CloudRunSpecSubnet *sn = vm->subnet;
  gboolean has = cloudrun_object_has (&vm->base, "ipv6-address");
  const CloudRunSpecVm *other;
  char buf[SIM_IPV6_STRLEN];

  if (sn->stack_type == VPC_STACK_IPV4_ONLY)
    {
      if (has)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &vm->base, "ipv6-address", "no IPv6 "
                                    "address on an ipv4-only subnet",
                                    sim_ipv6_to_string (&vm->ipv6_address,
                                                        buf), NULL, NULL);
      return TRUE;
    }
  if (has && (!sim_ipv6_in_prefix (&vm->ipv6_address, &sn->ipv6_range.prefix,
                                   64)))
    {
      g_autofree char *range = cloudrun_cidr6_text (&sn->ipv6_range);
      g_autofree char *expected = g_strdup_printf (
          "an address inside [%s]'s IPv6 range %s", sn->base.group, range);
      g_autofree char *found = cloudrun_quote (
          sim_ipv6_to_string (&vm->ipv6_address, buf));
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                  &vm->base, "ipv6-address", expected,
                                  found, NULL, NULL);
    }
  if (has && (other = vm_96_taken (c->s, vm, &vm->ipv6_address)) != NULL)
    {
      g_autofree char *found = g_strdup_printf (
          "'%s', in the /96 of [%s]",
          sim_ipv6_to_string (&vm->ipv6_address, buf), other->base.group);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &vm->base, "ipv6-address", "an address "
                                  "outside every other VM's /96", found,
                                  NULL, NULL);
    }
  for (guint32 n = 1; !has; n++)
    {
      SimIp6 a = sn->ipv6_range.prefix;
      a.b[8] = (uint8_t) (n >> 24);
      a.b[9] = (uint8_t) (n >> 16);
      a.b[10] = (uint8_t) (n >> 8);
      a.b[11] = (uint8_t) n;
      if (vm_96_taken (c->s, vm, &a) == NULL)
        {
          vm->ipv6_address = a;
          has = TRUE;
        }
    }
  return TRUE;
}

gboolean
cloudrun_check_ipv6 (CloudRunCheck *c)
{
  if (!check_networks (c) || !check_subnets (c) || !check_routes (c))
    return FALSE;
  /* Written addresses first, so that defaults go around them. */
  for (guint i = 0; i < c->s->vms->len; i++)
    {
      CloudRunSpecVm *vm = c->s->vms->pdata[i];
      if (!cloudrun_object_has (&vm->base, "ipv6-address"))
        vm->ipv6_address = (SimIp6) { { 0 } };
    }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < c->s->vms->len; i++)
      {
        CloudRunSpecVm *vm = c->s->vms->pdata[i];
        if (cloudrun_object_has (&vm->base, "ipv6-address") == (pass == 0)
            && !check_vm (c, vm))
          return FALSE;
      }
  return TRUE;
}

/* ---- Warnings ----------------------------------------------------- */

static void
warn_workload (const CloudRunScenario *s, const CloudRunSpecObject *o,
               const CloudRunSpecWorkload *w, GPtrArray *out)
{
  const CloudRunSpecSubnet *sn = w->subnet;

  if (w->vpc_access != VPC_ACCESS_DIRECT || sn == NULL
      || sn->stack_type == VPC_STACK_IPV4_ONLY
      || sn->ipv6_access_type != VPC_IPV6_ACCESS_EXTERNAL
      || s->assumptions.run_external_ipv6
         == CLOUDRUN_RUN_EXTERNAL_IPV6_ALLOWED)
    return;
  g_ptr_array_add (out, g_strdup_printf (
    "[%s] subnet: [%s] has an external IPv6 range, and Cloud Run sends "
    "IPv6 through internal ones only ([assumptions] run-external-ipv6 = "
    "refused): it sends IPv4 only", o->group, sn->base.group));
}

void
cloudrun_ipv6_warnings (const CloudRunScenario *s, GPtrArray *out)
{
  for (guint i = 0; i < s->services->len; i++)
    {
      const CloudRunSpecService *svc = s->services->pdata[i];
      warn_workload (s, &svc->base, &svc->workload, out);
    }
  for (guint i = 0; i < s->jobs->len; i++)
    {
      const CloudRunSpecWorker *wk = s->jobs->pdata[i];
      warn_workload (s, &wk->base, &wk->workload, out);
    }
  for (guint i = 0; i < s->worker_pools->len; i++)
    {
      const CloudRunSpecWorker *wk = s->worker_pools->pdata[i];
      warn_workload (s, &wk->base, &wk->workload, out);
    }
}
