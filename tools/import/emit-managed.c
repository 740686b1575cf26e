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
      return c && c->network ? import_emit_find (e, IMPORT_NETWORK, c->network) : NULL;
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

/* One [private-services-access] per network with a Service Networking
 * connection or peering (or, failing both, with managed instances and
 * VPC_PEERING ranges); its ranges from the ranges it reserves; each
 * managed instance's connection into backend. */
void
import_emit_psa (Emit *e)
{
  GPtrArray *res = e->m->res;
  guint n_res = res->len, n_psa = 0;
  ImportRes *only = NULL;

  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = res->pdata[i], *n, *p;
      ImportRef ref;
      if (r->kind == IMPORT_PSA && !r->skip)
        {
          n = import_emit_network_for (e, r, r->network);
          g_free (r->project);
          r->project = g_strdup (n->project);
        }
      if (r->kind == IMPORT_PEERING && r->type && (n = import_emit_find (e, IMPORT_NETWORK,
                                                             r->network)))
        {
          if (strcmp (r->type, "servicenetworking") == 0)
            p = psa_of (e, n, r, TRUE);
          else
            {
              /* A Terraform routes config: onto its peering. */
              g_autofree char *id = g_strndup (r->name, strcspn (r->name,
                                                                 "#"));
              ref = (ImportRef) { r->project, NULL, id, id };
              p = import_emit_find (e, IMPORT_PEERING, &ref);
            }
          if (p && r->export_routes >= 0)
            p->export_routes = r->export_routes;
          if (p && r->import_routes >= 0)
            p->import_routes = r->import_routes;
        }
    }
  for (guint i = 0; i < n_res; i++)
    {
      ImportRes *r = res->pdata[i], *n;
      gboolean ranges = FALSE;
      if (r->kind != IMPORT_MANAGED || r->skip
          || !(n = managed_network (e, r)) || psa_of (e, n, r, FALSE))
        continue;
      for (guint j = 0; j < n_res; j++)
        {
          ImportRes *a = res->pdata[j];
          ranges |= a->kind == IMPORT_ADDRESS && a->purpose
                    && strcmp (a->purpose, "VPC_PEERING") == 0
                    && import_emit_find (e, IMPORT_NETWORK, a->network) == n;
        }
      if (ranges)
        import_emit_note (e, psa_of (e, n, r, TRUE), "no Service Networking connection "
              "of network %s in the input: its VPC_PEERING ranges taken as "
              "allocated", n->name);
    }
  for (guint i = 0; i < res->len; i++)
    {
      ImportRes *p = res->pdata[i], *n;
      if (p->kind != IMPORT_PSA || p->skip)
        continue;
      n = import_emit_find (e, IMPORT_NETWORK, p->network);
      for (guint j = 0; j < res->len; j++)
        {
          ImportRes *a = res->pdata[j];
          if (a->kind != IMPORT_ADDRESS || !a->purpose
              || strcmp (a->purpose, "VPC_PEERING") != 0
              || import_emit_find (e, IMPORT_NETWORK, a->network) != n
              || (p->members && !has_member (p->members, a->name)))
            continue;
          if (!a->range || a->prefix_len < 8 || a->prefix_len > 24)
            {
              import_emit_note (e, a, "an allocated range without an address and a "
                    "prefix length of /8 to /24: left out");
              continue;
            }
          if (!p->ranges)
            p->ranges = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (p->ranges, g_strdup_printf (
            "%s/%" G_GINT64_FORMAT, a->range, a->prefix_len));
        }
      if (!p->ranges)
        {
          p->skip = TRUE;
          import_emit_note (e, p, "no allocated range of it in the input: private "
                "services access left out");
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
                   : r->target && !import_emit_find (e, IMPORT_CLUSTER, r->target)
                     && n_psa == 1 ? only : NULL;
      if (!r->backend || r->backend->skip)
        {
          r->skip = TRUE;
          import_emit_note (e, r, "no private services access of its network in the "
                "input: left out");
        }
    }
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

/* Each managed instance of p (sorted in the order written) keeps its
 * address when it is usable in a producer subnet of its own (a /24, a
 * /29 for Memorystore) inside p's ranges; the others get the first
 * address of the next free producer subnet, written and said. */
void
import_emit_place (Emit *e, GPtrArray *sorted, ImportRes *p)
{
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < sorted->len; i++)
      {
        ImportRes *r = sorted->pdata[i];
        guint len, alen = 0;
        guint32 addr = 0, sub = 0;
        gboolean ok = FALSE;

        if (r->kind != IMPORT_MANAGED || r->backend != p
            || (pass == 0) != (r->range != NULL))
          continue;
        len = strcmp (r->type, "memorystore-redis") == 0 ? 29 : 24;
        if (pass == 0 && parse_v4 (r->range, &addr, &alen))
          {
            sub = addr & mask (len);
            for (guint j = 0; j < p->ranges->len && !ok; j++)
              {
                guint32 rp;
                guint rl;
                ok = parse_v4 (p->ranges->pdata[j], &rp, &rl) && rl <= len
                     && (sub & mask (rl)) == rp;
              }
            ok = ok && !subnet_taken (taken, sub, len) && addr != sub
                 && addr != (sub | ~mask (len));
            if (ok)
              {
                guint32 l32 = len;
                g_array_append_val (taken, sub);
                g_array_append_val (taken, l32);
                continue;
              }
          }
        for (guint j = 0; j < p->ranges->len && !ok; j++)
          {
            guint32 rp;
            guint rl;
            if (!parse_v4 (p->ranges->pdata[j], &rp, &rl) || rl > len)
              continue;
            for (guint64 k = 0; k < ((guint64) 1 << (len - rl)) && !ok; k++)
              {
                sub = rp + (guint32) (k << (32 - len));
                ok = !subnet_taken (taken, sub, len);
              }
          }
        if (!ok)
          {
            r->skip = TRUE;
            import_emit_note (e, r, "no free producer subnet left in the ranges of "
                  "[private-services-access %s]: left out", p->group);
            continue;
          }
        {
          guint32 l32 = len, a1 = sub + 1;
          g_autofree char *was = r->range;
          g_array_append_val (taken, sub);
          g_array_append_val (taken, l32);
          r->range = g_strdup_printf ("%u.%u.%u.%u", a1 >> 24,
                                      (a1 >> 16) & 255, (a1 >> 8) & 255,
                                      a1 & 255);
          import_emit_note (e, r, "address %s%s: %s written (the first address of the "
                "next free producer subnet)", was ? was : "not in the input",
                was ? " is outside the allocated ranges or shares a "
                "producer subnet" : "", r->range);
        }
      }
}
