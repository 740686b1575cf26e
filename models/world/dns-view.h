/* DNS name resolution as Cloud DNS does it for one view: zones (an origin
 * and records A and CNAME, with RFC 4592 wildcards), the longest-suffix
 * zone answers, CNAMEs are chased inside the view, a name under a zone
 * that has no record is NXDOMAIN. The public view holds the built-in
 * public names (docs/networking.md, "DNS") and the scenario's
 * public zones; a network's view puts its private zones first.
 * https://cloud.google.com/dns/docs/vpc-name-res-order */
#ifndef CLOUDRUN_DNS_VIEW_H
#define CLOUDRUN_DNS_VIEW_H

#include <glib.h>
#include <stdbool.h>

#include "sim/dns.h"

typedef struct {
  char *owner;                  /* lower case, no final dot; "*." prefix ok */
  uint16_t type;                /* SIM_DNS_TYPE_A or SIM_DNS_TYPE_CNAME */
  uint32_t a;
  char *cname;                  /* no final dot */
} DnsEntry;

typedef struct {
  char *origin;                 /* "run.app" (no final dot; "" is root) */
  char *label;                  /* for explanations: "public DNS", "private
                                   zone run-app" */
  GArray *entries;              /* DnsEntry */
  gconstpointer source;         /* the [dns-zone] it came from, or NULL */
} DnsZone;

typedef struct {
  GPtrArray *zones;             /* DnsZone*, not owned, in order */
} DnsView;

DnsZone *cloudrun_dns_zone_new (const char *origin, const char *label);
void cloudrun_dns_zone_free (DnsZone *zone);
void cloudrun_dns_zone_add_a (DnsZone *zone, const char *owner,
                              uint32_t a);
void cloudrun_dns_zone_add_cname (DnsZone *zone, const char *owner,
                                  const char *target);
/* The zone of public names Google answers (run.app front ends, the
 * private and restricted API VIPs). */
DnsZone *cloudrun_dns_zone_google_public (void);

void cloudrun_dns_view_init (DnsView *view);
void cloudrun_dns_view_clear (DnsView *view);
void cloudrun_dns_view_add (DnsView *view, DnsZone *zone);

/* Resolves qname (type A) into an answer message (rcode and answers in
 * order, CNAMEs first); *zone_label names the zone that answered last (or
 * NULL). At most 8 CNAME hops. */
void cloudrun_dns_view_resolve (const DnsView *view, const char *qname,
                                SimDnsMessage *answer,
                                const char **zone_label);

#endif
