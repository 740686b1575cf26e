/* DNS views (see models/world/dns-view.h). Resolution walks a handful of zones
 * and records per query; views are small, so linear scans are fine and
 * allocate nothing. */
#include "models/world/dns-view.h"

#include <string.h>

#include "models/world/google.h"
#include "sim/wire.h"

#define CLOUDRUN_DNS_TTL 300u
#define CLOUDRUN_DNS_MAX_CNAMES 8

DnsZone *
cloudrun_dns_zone_new (const char *origin, const char *label)
{
  DnsZone *zone = g_new0 (DnsZone, 1);

  zone->origin = g_ascii_strdown (origin, -1);
  if (g_str_has_suffix (zone->origin, "."))
    zone->origin[strlen (zone->origin) - 1] = '\0';
  zone->label = g_strdup (label);
  zone->entries = g_array_new (FALSE, TRUE, sizeof (DnsEntry));
  return zone;
}

void
cloudrun_dns_zone_free (DnsZone *zone)
{
  if (!zone)
    return;
  for (guint i = 0; i < zone->entries->len; i++)
    {
      DnsEntry *e = &g_array_index (zone->entries, DnsEntry, i);
      g_free (e->owner);
      g_free (e->cname);
    }
  g_array_free (zone->entries, TRUE);
  g_free (zone->origin);
  g_free (zone->label);
  g_free (zone);
}

static char *
dns_name_norm (const char *name)
{
  char *n = g_ascii_strdown (name, -1);

  if (g_str_has_suffix (n, "."))
    n[strlen (n) - 1] = '\0';
  return n;
}

void
cloudrun_dns_zone_add_a (DnsZone *zone, const char *owner, uint32_t a)
{
  DnsEntry e = { dns_name_norm (owner), SIM_DNS_TYPE_A, a, NULL };

  g_array_append_val (zone->entries, e);
}

void
cloudrun_dns_zone_add_cname (DnsZone *zone, const char *owner,
                             const char *target)
{
  DnsEntry e = { dns_name_norm (owner), SIM_DNS_TYPE_CNAME, 0,
                         dns_name_norm (target) };

  g_array_append_val (zone->entries, e);
}

DnsZone *
cloudrun_dns_zone_google_public (void)
{
  DnsZone *zone = cloudrun_dns_zone_new ("", "public DNS");

  for (unsigned i = 0; i < CLOUDRUN_N_RUN_APP_FRONT_ENDS; i++)
    cloudrun_dns_zone_add_a (zone, "*.run.app", cloudrun_run_app_front_ends[i]);
  for (unsigned i = 0; i < 4; i++)
    {
      cloudrun_dns_zone_add_a (zone, "private.googleapis.com",
                               CLOUDRUN_PRIVATE_VIPS + i);
      cloudrun_dns_zone_add_a (zone, "restricted.googleapis.com",
                               CLOUDRUN_RESTRICTED_VIPS + i);
    }
  return zone;
}

void
cloudrun_dns_view_init (DnsView *view)
{
  view->zones = g_ptr_array_new ();
}

void
cloudrun_dns_view_clear (DnsView *view)
{
  g_clear_pointer (&view->zones, g_ptr_array_unref);
}

void
cloudrun_dns_view_add (DnsView *view, DnsZone *zone)
{
  g_ptr_array_add (view->zones, zone);
}

/* name is in zone when equal to its origin or below it. */
static bool
dns_in_zone (const char *name, const char *origin)
{
  size_t n = strlen (name), o = strlen (origin);

  if (o == 0)
    return true;
  if (n == o)
    return strcmp (name, origin) == 0;
  return n > o && name[n - o - 1] == '.' && strcmp (name + n - o, origin) == 0;
}

/* The zone with the longest origin containing name (earlier zones win a
 * tie: private zones are added before public ones). */
static const DnsZone *
dns_view_zone (const DnsView *view, const char *name)
{
  const DnsZone *best = NULL;

  for (guint i = 0; i < view->zones->len; i++)
    {
      const DnsZone *z = g_ptr_array_index (view->zones, i);
      if (dns_in_zone (name, z->origin)
          && (!best || strlen (z->origin) > strlen (best->origin)))
        best = z;
    }
  return best;
}

/* The zone's own copy of the owner name, when a record is owned by
 * exactly this name; NULL otherwise. */
static const char *
dns_zone_owner (const DnsZone *zone, const char *name)
{
  for (guint i = 0; i < zone->entries->len; i++)
    {
      const char *o = g_array_index (zone->entries, DnsEntry, i).owner;
      if (strcmp (o, name) == 0)
        return o;
    }
  return NULL;
}

/* The owner "*.suffix" when the zone has that wildcard; NULL otherwise. */
static const char *
dns_zone_wildcard (const DnsZone *zone, const char *suffix)
{
  for (guint i = 0; i < zone->entries->len; i++)
    {
      const char *o = g_array_index (zone->entries, DnsEntry, i).owner;
      if (o[0] == '*' && o[1] == '.' && strcmp (o + 2, suffix) == 0)
        return o;
    }
  return NULL;
}

/* True when name exists in the zone: it owns a record, or a record's
 * owner lies below it (an empty non-terminal, RFC 4592 section 2.2.2). */
static bool
dns_zone_name_exists (const DnsZone *zone, const char *name)
{
  size_t n = strlen (name);

  for (guint i = 0; i < zone->entries->len; i++)
    {
      const char *o = g_array_index (zone->entries, DnsEntry, i).owner;
      size_t l = strlen (o);
      if (strcmp (o, name) == 0
          || (l > n && o[l - n - 1] == '.' && strcmp (o + l - n, name) == 0))
        return true;
    }
  return false;
}

/* The owner that matches name: itself, or the wildcard of the closest
 * encloser (RFC 4592), which may be several labels up: the first
 * ancestor that exists decides (a wildcard below it makes it exist). */
static const char *
dns_zone_match (const DnsZone *zone, const char *name)
{
  const char *owner = dns_zone_owner (zone, name);

  for (const char *p = strchr (name, '.'); !owner && p; p = strchr (p + 1, '.'))
    if (dns_zone_name_exists (zone, p + 1))
      return dns_zone_wildcard (zone, p + 1);
  return owner;
}

static void
dns_answer_add (SimDnsMessage *m, const char *owner, const DnsEntry *e)
{
  SimDnsRecord *r;

  if (m->n_answers >= SIM_DNS_MAX_ANSWERS)
    return;
  r = &m->answers[m->n_answers++];
  memset (r, 0, sizeof *r);
  g_strlcpy (r->name, owner, sizeof r->name);
  r->type = e->type;
  r->ttl = CLOUDRUN_DNS_TTL;
  r->a = e->a;
  if (e->cname)
    g_strlcpy (r->cname, e->cname, sizeof r->cname);
}

void
cloudrun_dns_view_resolve (const DnsView *view, const char *qname,
                           SimDnsMessage *m, const char **zone_label)
{
  char name[SIM_DNS_NAME_MAX + 1];

  m->n_answers = 0;
  m->rcode = SIM_DNS_RCODE_NXDOMAIN;
  *zone_label = NULL;
  g_strlcpy (name, qname, sizeof name);
  for (int hops = 0; hops <= CLOUDRUN_DNS_MAX_CNAMES; hops++)
    {
      const DnsZone *zone = dns_view_zone (view, name);
      const char *owner;
      const DnsEntry *cname = NULL;
      bool any = false;

      if (zone)
        *zone_label = zone->label;
      if (!zone || !(owner = dns_zone_match (zone, name)))
        {
          m->rcode = SIM_DNS_RCODE_NXDOMAIN;   /* of the last name (RFC 6604) */
          return;
        }
      for (guint i = 0; i < zone->entries->len; i++)
        {
          const DnsEntry *e = &g_array_index (zone->entries,
                                                      DnsEntry, i);
          if (e->owner != owner && strcmp (e->owner, owner) != 0)
            continue;
          if (e->type == SIM_DNS_TYPE_CNAME)
            cname = e;
          else if (e->type == SIM_DNS_TYPE_A)
            {
              dns_answer_add (m, name, e);
              any = true;
            }
        }
      if (any || !cname)
        {
          m->rcode = SIM_DNS_RCODE_NOERROR;
          return;
        }
      dns_answer_add (m, name, cname);
      m->rcode = SIM_DNS_RCODE_NOERROR;
      g_strlcpy (name, cname->cname, sizeof name);
    }
}
