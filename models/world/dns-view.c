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
  if (zone->forward)
    g_array_free (zone->forward, TRUE);
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
  DnsEntry e = { .owner = dns_name_norm (owner), .type = SIM_DNS_TYPE_A,
                 .a = a };

  g_array_append_val (zone->entries, e);
}

void
cloudrun_dns_zone_add_aaaa (DnsZone *zone, const char *owner,
                            const uint8_t aaaa[16])
{
  DnsEntry e = { .owner = dns_name_norm (owner),
                 .type = SIM_DNS_TYPE_AAAA };

  memcpy (e.aaaa, aaaa, sizeof e.aaaa);
  g_array_append_val (zone->entries, e);
}

void
cloudrun_dns_zone_add_cname (DnsZone *zone, const char *owner,
                             const char *target)
{
  DnsEntry e = { .owner = dns_name_norm (owner),
                 .type = SIM_DNS_TYPE_CNAME,
                 .cname = dns_name_norm (target) };

  g_array_append_val (zone->entries, e);
}

void
cloudrun_dns_zone_add_forward (DnsZone *zone, uint32_t target)
{
  if (!zone->forward)
    zone->forward = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  g_array_append_val (zone->forward, target);
}

DnsZone *
cloudrun_dns_zone_google_public (void)
{
  DnsZone *zone = cloudrun_dns_zone_new ("", "public DNS");

  for (unsigned i = 0; i < CLOUDRUN_N_RUN_APP_FRONT_ENDS; i++)
    {
      cloudrun_dns_zone_add_a (zone, "*.run.app",
                               cloudrun_run_app_front_ends[i]);
      cloudrun_dns_zone_add_a (zone, CLOUDRUN_MAPPING_CNAME,
                               cloudrun_mapping_front_ends[i]);
      cloudrun_dns_zone_add_aaaa (zone, "*.run.app",
                                  cloudrun_run_app_front_ends6[i]);
      cloudrun_dns_zone_add_aaaa (zone, CLOUDRUN_MAPPING_CNAME,
                                  cloudrun_mapping_front_ends6[i]);
    }
  for (unsigned i = 0; i < 4; i++)
    {
      cloudrun_dns_zone_add_a (zone, "private.googleapis.com",
                               CLOUDRUN_PRIVATE_VIPS + i);
      cloudrun_dns_zone_add_a (zone, "restricted.googleapis.com",
                               CLOUDRUN_RESTRICTED_VIPS + i);
    }
  cloudrun_dns_zone_add_aaaa (zone, "private.googleapis.com",
                              cloudrun_private_vip6);
  cloudrun_dns_zone_add_aaaa (zone, "restricted.googleapis.com",
                              cloudrun_restricted_vip6);
  return zone;
}

/* The rule of policy for name (lower case, no final dot), made when
 * missing. */
static DnsRule *
dns_policy_rule (DnsPolicy *policy, const char *name, bool passthru)
{
  DnsRule *rule;

  for (guint i = 0; i < policy->rules->len; i++)
    {
      rule = g_ptr_array_index (policy->rules, i);
      if (strcmp (rule->name, name) == 0)
        return rule;
    }
  rule = g_new0 (DnsRule, 1);
  rule->name = g_strdup (name);
  rule->label = g_strdup_printf ("%s rule %s", policy->label, name);
  rule->passthru = passthru;
  rule->entries = g_array_new (FALSE, TRUE, sizeof (DnsEntry));
  g_ptr_array_add (policy->rules, rule);
  return rule;
}

static void
dns_rule_free (gpointer p)
{
  DnsRule *rule = p;

  for (guint i = 0; i < rule->entries->len; i++)
    {
      DnsEntry *e = &g_array_index (rule->entries, DnsEntry, i);
      g_free (e->owner);
      g_free (e->cname);
    }
  g_array_free (rule->entries, TRUE);
  g_free (rule->name);
  g_free (rule->label);
  g_free (rule);
}

DnsPolicy *
cloudrun_dns_policy_new (const char *label)
{
  DnsPolicy *policy = g_new0 (DnsPolicy, 1);

  policy->label = g_strdup (label);
  policy->rules = g_ptr_array_new_with_free_func (dns_rule_free);
  return policy;
}

void
cloudrun_dns_policy_free (DnsPolicy *policy)
{
  if (!policy)
    return;
  g_ptr_array_unref (policy->rules);
  g_free (policy->label);
  g_free (policy);
}

void
cloudrun_dns_policy_add_a (DnsPolicy *policy, const char *name, uint32_t a)
{
  DnsEntry e = { .owner = dns_name_norm (name), .type = SIM_DNS_TYPE_A,
                 .a = a };

  g_array_append_val (dns_policy_rule (policy, e.owner, false)->entries, e);
}

void
cloudrun_dns_policy_add_aaaa (DnsPolicy *policy, const char *name,
                              const uint8_t aaaa[16])
{
  DnsEntry e = { .owner = dns_name_norm (name), .type = SIM_DNS_TYPE_AAAA };

  memcpy (e.aaaa, aaaa, sizeof e.aaaa);
  g_array_append_val (dns_policy_rule (policy, e.owner, false)->entries, e);
}

void
cloudrun_dns_policy_add_cname (DnsPolicy *policy, const char *name,
                               const char *target)
{
  DnsEntry e = { .owner = dns_name_norm (name), .type = SIM_DNS_TYPE_CNAME,
                 .cname = dns_name_norm (target) };

  g_array_append_val (dns_policy_rule (policy, e.owner, false)->entries, e);
}

void
cloudrun_dns_policy_add_rule (DnsPolicy *policy, const char *name,
                              bool passthru)
{
  g_autofree char *n = dns_name_norm (name);

  dns_policy_rule (policy, n, passthru);
}

void
cloudrun_dns_view_init (DnsView *view)
{
  view->zones = g_ptr_array_new ();
  view->policies = g_ptr_array_new ();
}

void
cloudrun_dns_view_clear (DnsView *view)
{
  g_clear_pointer (&view->zones, g_ptr_array_unref);
  g_clear_pointer (&view->policies, g_ptr_array_unref);
  if (view->alternative)
    g_array_free (view->alternative, TRUE);
  view->alternative = NULL;
}

void
cloudrun_dns_view_add (DnsView *view, DnsZone *zone)
{
  g_ptr_array_add (view->zones, zone);
}

void
cloudrun_dns_view_add_policy (DnsView *view, DnsPolicy *policy)
{
  g_ptr_array_add (view->policies, policy);
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

/* How closely rule name r matches name: an exact name beats every
 * wildcard, a wildcard "*.S" matches the names below S, a longer S
 * first; -1 when it does not match. */
static long
dns_rule_rank (const char *r, const char *name)
{
  size_t n = strlen (name), s;

  if (strcmp (r, name) == 0)
    return (long) n + 1;
  if (r[0] != '*' || r[1] != '.')
    return -1;
  s = strlen (r + 2);
  if (n > s && name[n - s - 1] == '.' && strcmp (name + n - s, r + 2) == 0)
    return (long) s;
  return -1;
}

/* The most specific rule of the view's response policies for name
 * (earlier policies win a tie), or NULL. */
static const DnsRule *
dns_view_rule (const DnsView *view, const char *name)
{
  const DnsRule *best = NULL;
  long best_rank = -1;

  for (guint i = 0; view->policies && i < view->policies->len; i++)
    {
      const DnsPolicy *p = g_ptr_array_index (view->policies, i);
      for (guint k = 0; k < p->rules->len; k++)
        {
          const DnsRule *r = g_ptr_array_index (p->rules, k);
          long rank = dns_rule_rank (r->name, name);
          if (rank > best_rank)
            {
              best = r;
              best_rank = rank;
            }
        }
    }
  return best;
}

/* The zone with the longest origin containing name (earlier zones win a
 * tie: private zones are added before public ones); peering zones are
 * left out when not follow_peering. */
static const DnsZone *
dns_view_zone (const DnsView *view, const char *name, bool follow_peering)
{
  const DnsZone *best = NULL;

  for (guint i = 0; i < view->zones->len; i++)
    {
      const DnsZone *z = g_ptr_array_index (view->zones, i);
      if ((follow_peering || !z->peer) && dns_in_zone (name, z->origin)
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
  memcpy (r->aaaa, e->aaaa, sizeof r->aaaa);
  if (e->cname)
    g_strlcpy (r->cname, e->cname, sizeof r->cname);
}

/* Appends the records of type qtype among entries owned by owner, named
 * name; *cname is the owner's CNAME, if any (NULL when the question is
 * for the CNAME itself: it is an answer, not followed). True when a
 * record was added. */
static bool
dns_answer_owner (SimDnsMessage *m, const char *name, uint16_t qtype,
                  const GArray *entries, const char *owner,
                  const DnsEntry **cname)
{
  bool any = false;

  *cname = NULL;
  for (guint i = 0; i < entries->len; i++)
    {
      const DnsEntry *e = &g_array_index (entries, DnsEntry, i);
      if (e->owner != owner && strcmp (e->owner, owner) != 0)
        continue;
      if (e->type == qtype)
        {
          dns_answer_add (m, name, e);
          any = true;
        }
      else if (e->type == SIM_DNS_TYPE_CNAME)
        *cname = e;
    }
  return any;
}

/* Resolves name (a buffer it rewrites along CNAMEs) in view, appending to
 * m; *hops counts CNAME hops across peering. In a producer's view
 * (peered) peering zones are not followed. */
static void
dns_resolve_in (const DnsView *view, char *name, uint16_t qtype,
                SimDnsMessage *m, DnsSource *src, int *hops, bool peered)
{
  for (; *hops <= CLOUDRUN_DNS_MAX_CNAMES; (*hops)++)
    {
      const DnsRule *rule = dns_view_rule (view, name);
      const DnsZone *zone = NULL;
      const DnsEntry *cname;
      const char *owner;
      bool any;

      src->passthru = NULL;
      if (rule && !rule->passthru)
        {
          src->zone = rule->label;
          any = dns_answer_owner (m, name, qtype, rule->entries, rule->name,
                                  &cname);
        }
      else
        {
          if (rule)
            src->passthru = rule->label;
          zone = dns_view_zone (view, name, !peered);
          if (zone)
            src->zone = zone->label;
          if (zone && zone->peer)
            {
              src->peering = zone->label;
              dns_resolve_in (zone->peer, name, qtype, m, src, hops, true);
              return;
            }
          if (zone && zone->forward)
            {
              /* Only the question itself is forwarded (our choice). */
              m->rcode = SIM_DNS_RCODE_SERVFAIL;
              if (*hops == 0 && !peered)
                src->forward = zone;
              return;
            }
          if (!zone || !(owner = dns_zone_match (zone, name)))
            {
              m->rcode = SIM_DNS_RCODE_NXDOMAIN; /* of the last name (RFC 6604) */
              return;
            }
          any = dns_answer_owner (m, name, qtype, zone->entries, owner,
                                  &cname);
        }
      /* The name exists: with no record of qtype and no CNAME to follow,
       * the answer is NODATA, NOERROR with no answer (RFC 2308). */
      m->rcode = SIM_DNS_RCODE_NOERROR;
      if (any || !cname)
        return;
      dns_answer_add (m, name, cname);
      g_strlcpy (name, cname->cname, SIM_DNS_NAME_MAX + 1);
    }
}

void
cloudrun_dns_view_resolve_source (const DnsView *view, const char *qname,
                                  uint16_t qtype, SimDnsMessage *m,
                                  DnsSource *src)
{
  char name[SIM_DNS_NAME_MAX + 1];
  int hops = 0;

  m->n_answers = 0;
  m->rcode = SIM_DNS_RCODE_NXDOMAIN;
  memset (src, 0, sizeof *src);
  g_strlcpy (name, qname, sizeof name);
  dns_resolve_in (view, name, qtype, m, src, &hops, false);
}

void
cloudrun_dns_view_resolve (const DnsView *view, const char *qname,
                           uint16_t qtype, SimDnsMessage *m,
                           const char **zone_label)
{
  DnsSource src;

  cloudrun_dns_view_resolve_source (view, qname, qtype, m, &src);
  *zone_label = src.zone;
}
