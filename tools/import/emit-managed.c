/* Private services access and managed instances, at emit time
 * (https://cloud.google.com/vpc/docs/private-services-access): one
 * [private-services-access] per network that has Service Networking's
 * connection or peering (or, failing both, VPC_PEERING ranges and a
 * managed instance naming it), its ranges from the allocated ranges it
 * reserves, and each managed instance placed in a producer subnet of its
 * own as the format's loader places them (a /24, a /29 for Memorystore;
 * models/format/scenario-check-managed.c). Called by emit.c. */
#include "tools/import/emit-private.h"

#include <stdio.h>
#include <string.h>

/* The private connection of network n, made for from when missing and
 * make is set. */
static ImportRes *
psa_of (Emit *e, ImportRes *n, ImportRes *from, gboolean make)
{
  ImportRef ref = { n->project, NULL, n->name, n->name };
  ImportRes *p = import_emit_find (e, IMPORT_PSA, &ref);
  ImportSrc s = { "", 0, NULL, NULL, e->m, NULL };

  if (p || !make)
    return p;
  s.origin = from->origin;
  p = import_res_new (&s, IMPORT_PSA, n->project, NULL, n->name);
  g_free (p->origin);
  p->origin = g_strdup (from->origin);
  p->network = import_ref_new (n->name, n->project, NULL);
  import_emit_index (e, p);
  return p;
}

/* A managed instance's network: its own, or its AlloyDB cluster's. */
static ImportRes *
managed_network (Emit *e, ImportRes *r)
{
  ImportRes *c;

  if (r->target)
    {
      c = import_emit_find (e, IMPORT_CLUSTER, r->target);
      return c && c->network
             ? import_emit_find (e, IMPORT_NETWORK, c->network) : NULL;
    }
  return import_emit_find (e, IMPORT_NETWORK, r->network);
}

static gboolean
has_member (GPtrArray *list, const char *v)
{
  for (guint i = 0; list && i < list->len; i++)
    if (strcmp (list->pdata[i], v) == 0)
      return TRUE;
  return FALSE;
}

/* A managed instance's producer subnet prefix length: a /29 for
 * Memorystore, a /24 otherwise (as the format's loader places them). */
static guint
producer_len (const ImportRes *r)
{
  return strcmp (r->type, "memorystore-redis") == 0 ? 29 : 24;
}

/* An IPv4 address or CIDR as a number and prefix length. */
static gboolean
parse_v4 (const char *text, guint32 *addr, guint *len)
{
  guint a, b, c, d, l = 32;
  int n = sscanf (text, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l);

  if (n < 4 || a > 255 || b > 255 || c > 255 || d > 255 || l > 32)
    return FALSE;
  *addr = (a << 24) | (b << 16) | (c << 8) | d;
  *len = l;
  return TRUE;
}

static guint32
mask (guint len)
{
  return len ? 0xffffffffu << (32 - len) : 0;
}

/* Whether networks a and b are peered both ways (an active peering). */
static gboolean
peered (Emit *e, ImportRes *a, ImportRes *b)
{
  gboolean ab = FALSE, ba = FALSE;

  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *r = e->m->res->pdata[i], *from, *to;
      if (r->kind != IMPORT_PEERING || r->skip)
        continue;
      from = import_emit_find (e, IMPORT_NETWORK, r->network);
      to = import_emit_find (e, IMPORT_NETWORK, r->target);
      ab |= from == a && to == b;
      ba |= from == b && to == a;
    }
  return ab && ba;
}

/* The subnet of network n, or of a network actively peered with it,
 * that overlaps cidr, or NULL (the format refuses such a range). */
static ImportRes *
overlapping_subnet (Emit *e, ImportRes *n, const char *cidr)
{
  guint32 a, b;
  guint al, bl;

  if (!parse_v4 (cidr, &a, &al))
    return NULL;
  for (guint i = 0; i < e->m->res->len; i++)
    {
      ImportRes *sn = e->m->res->pdata[i], *net;
      if (sn->kind != IMPORT_SUBNET || sn->skip || !sn->range
          || !parse_v4 (sn->range, &b, &bl)
          || (a & mask (MIN (al, bl))) != (b & mask (MIN (al, bl))))
        continue;
      net = import_emit_find (e, IMPORT_NETWORK, sn->network);
      if (net == n || (net && peered (e, n, net)))
        return sn;
    }
  return NULL;
}

/* p's ranges: the VPC_PEERING ranges of its network it reserves (all of
 * them when it does not say), each /8 to /24 and clear of the subnets of
 * the network and its peers; FALSE when none is left. */
static gboolean
collect_ranges (Emit *e, ImportRes *p)
{
  ImportRes *n = import_emit_find (e, IMPORT_NETWORK, p->network);

  for (guint j = 0; j < e->m->res->len; j++)
    {
      ImportRes *a = e->m->res->pdata[j], *sn;
      g_autofree char *cidr = NULL;
      if (a->kind != IMPORT_ADDRESS || !a->purpose
          || strcmp (a->purpose, "VPC_PEERING") != 0
          || import_emit_find (e, IMPORT_NETWORK, a->network) != n
          || (p->members && !has_member (p->members, a->name)))
        continue;
      if (!a->range || a->prefix_len < 8 || a->prefix_len > 24)
        {
          import_emit_note (e, a, "an allocated range without an address "
                            "and a prefix length of /8 to /24: left out");
          continue;
        }
      cidr = g_strdup_printf ("%s/%" G_GINT64_FORMAT, a->range,
                              a->prefix_len);
      if ((sn = overlapping_subnet (e, n, cidr)))
        {
          import_emit_note (e, a, "allocated range %s overlaps subnet %s "
                            "(%s) of the network or of a peer: left out",
                            cidr, sn->name, sn->range);
          continue;
        }
      if (!p->ranges)
        p->ranges = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (p->ranges, g_steal_pointer (&cidr));
    }
  return p->ranges != NULL;
}

/* Service Networking's connections, and its peerings (a connection
 * for a network that has none; their custom route settings); a Terraform
 * routes config's settings onto the peering it names. */
static void
gather_connections (Emit *e, guint n_res)
{
  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = e->m->res->pdata[i], *n, *p;
      if (r->kind == IMPORT_PSA && !r->skip)
        {
          n = import_emit_network_for (e, r, r->network);
          g_free (r->project);
          r->project = g_strdup (n->project);
        }
      if (r->kind != IMPORT_PEERING || !r->type
          || !(n = import_emit_find (e, IMPORT_NETWORK, r->network)))
        continue;
      if (strcmp (r->type, "servicenetworking") == 0)
        p = psa_of (e, n, r, TRUE);
      else
        {
          g_autofree char *id = g_strndup (r->name, strcspn (r->name, "#"));
          ImportRef ref = { r->project, NULL, id, id };
          p = import_emit_find (e, IMPORT_PEERING, &ref);
        }
      if (p && r->export_routes >= 0)
        p->export_routes = r->export_routes;
      if (p && r->import_routes >= 0)
        p->import_routes = r->import_routes;
    }
}

/* A connection, said, for a network without one that a managed instance
 * names and that has VPC_PEERING ranges. */
static void
infer_connections (Emit *e, guint n_res)
{
  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = e->m->res->pdata[i], *n;
      gboolean ranges = FALSE;
      if (r->kind != IMPORT_MANAGED || r->skip
          || !(n = managed_network (e, r)) || psa_of (e, n, r, FALSE))
        continue;
      for (guint j = 0; j < n_res; j++)
        {
          ImportRes *a = e->m->res->pdata[j];
          ranges |= a->kind == IMPORT_ADDRESS && a->purpose
                    && strcmp (a->purpose, "VPC_PEERING") == 0
                    && import_emit_find (e, IMPORT_NETWORK, a->network) == n;
        }
      if (ranges)
        import_emit_note (e, psa_of (e, n, r, TRUE), "no Service Networking "
                          "connection of network %s in the input: its "
                          "VPC_PEERING ranges taken as allocated", n->name);
    }
}

void
import_emit_psa (Emit *e)
{
  GPtrArray *res = e->m->res;
  guint n_psa = 0;
  ImportRes *only = NULL;

  gather_connections (e, res->len);
  infer_connections (e, res->len);
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *p = res->pdata[i];
      if (p->kind != IMPORT_PSA || p->skip)
        continue;
      if (!collect_ranges (e, p))
        {
          p->skip = TRUE;
          import_emit_note (e, p, "no allocated range of it in the input: "
                            "private services access left out");
          continue;
        }
      n_psa++;
      only = p;
    }
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *r = res->pdata[i], *n;
      if (r->kind != IMPORT_MANAGED || r->skip)
        continue;
      n = managed_network (e, r);
      /* An AlloyDB instance whose cluster is not in the input: the only
       * connection. */
      r->backend = n ? psa_of (e, n, r, FALSE)
                   : r->target && n_psa == 1
                     && !import_emit_find (e, IMPORT_CLUSTER, r->target)
                   ? only : NULL;
      if (!r->backend || r->backend->skip)
        {
          r->skip = TRUE;
          import_emit_note (e, r, "no private services access of its "
                            "network in the input: left out");
        }
    }
}

/* Whether the producer subnet sub/len overlaps one of taken (pairs of
 * prefix and length). */
static gboolean
subnet_taken (GArray *taken, guint32 sub, guint len)
{
  for (guint i = 0; i + 1 < taken->len; i += 2)
    {
      guint32 o = g_array_index (taken, guint32, i);
      guint m = MIN (len, g_array_index (taken, guint32, i + 1));
      if ((o & mask (m)) == (sub & mask (m)))
        return TRUE;
    }
  return FALSE;
}

static void
take (GArray *taken, guint32 sub, guint len)
{
  guint32 l32 = len;

  g_array_append_val (taken, sub);
  g_array_append_val (taken, l32);
}

/* Whether address is usable in p's ranges: a first or last address of
 * no producer subnet (a /len) that overlaps none taken; *sub its subnet. */
static gboolean
usable (ImportRes *p, GArray *taken, const char *address, guint len,
        guint32 *sub)
{
  guint32 addr, rp;
  guint alen, rl;
  gboolean in = FALSE;

  if (!parse_v4 (address, &addr, &alen))
    return FALSE;
  *sub = addr & mask (len);
  for (guint j = 0; j < p->ranges->len && !in; j++)
    in = parse_v4 (p->ranges->pdata[j], &rp, &rl) && rl <= len
         && (*sub & mask (rl)) == rp;
  return in && !subnet_taken (taken, *sub, len) && addr != *sub
         && addr != (*sub | ~mask (len));
}

/* The first producer subnet (a /len) of p's ranges that overlaps none
 * taken, into *sub; FALSE when the ranges are full. */
static gboolean
next_free (ImportRes *p, GArray *taken, guint len, guint32 *sub)
{
  for (guint j = 0; j < p->ranges->len; j++)
    {
      guint32 rp;
      guint rl;
      if (!parse_v4 (p->ranges->pdata[j], &rp, &rl) || rl > len)
        continue;
      for (guint64 k = 0; k < ((guint64) 1 << (len - rl)); k++)
        {
          *sub = rp + (guint32) (k << (32 - len));
          if (!subnet_taken (taken, *sub, len))
            return TRUE;
        }
    }
  return FALSE;
}

/* Each managed instance of p (sorted in the order written) keeps its
 * address when it is usable in a producer subnet of its own (a /24, a
 * /29 for Memorystore) inside p's ranges; the others, after them, get
 * the first address of the next free producer subnet, written and
 * said. */
void
import_emit_place (Emit *e, GPtrArray *sorted, ImportRes *p)
{
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GPtrArray) later = g_ptr_array_new ();

  for (guint i = 0; i < sorted->len; i++)
    {
      ImportRes *r = sorted->pdata[i];
      guint32 sub;
      if (r->kind != IMPORT_MANAGED || r->backend != p)
        continue;
      if (r->range && usable (p, taken, r->range, producer_len (r), &sub))
        take (taken, sub, producer_len (r));
      else
        g_ptr_array_add (later, r);
    }
  for (guint i = 0; i < later->len; i++)
    {
      ImportRes *r = later->pdata[i];
      guint32 sub, a1;
      g_autofree char *was = r->range;

      if (!next_free (p, taken, producer_len (r), &sub))
        {
          r->range = g_steal_pointer (&was);
          r->skip = TRUE;
          import_emit_note (e, r, "no free producer subnet left in the "
                            "ranges of [private-services-access %s]: "
                            "left out", p->group);
          continue;
        }
      take (taken, sub, producer_len (r));
      a1 = sub + 1;
      r->range = g_strdup_printf ("%u.%u.%u.%u", a1 >> 24, (a1 >> 16) & 255,
                                  (a1 >> 8) & 255, a1 & 255);
      import_emit_note (e, r, "address %s%s: %s written (the first address "
                        "of the next free producer subnet)",
                        was ? was : "not in the input",
                        was ? " is outside the allocated ranges or shares a "
                        "producer subnet" : "", r->range);
    }
}
