/* DNS name resolution as Cloud DNS does it for one view: response
 * policies first (the most specific rule answers with its local data, or
 * passes the name on), then zones (an origin and records A, AAAA and
 * CNAME, with RFC 4592 wildcards): the longest-suffix zone answers, a
 * peering zone by the producer network's view; CNAMEs are chased inside
 * the view, a name under a zone that has no record is NXDOMAIN, a name
 * that has records but none of the type asked is NODATA (NOERROR, no
 * answer; RFC 2308). The public view
 * holds the built-in public names (docs/networking.md, "DNS") and the
 * scenario's public zones; a network's view puts its private zones first.
 * https://cloud.google.com/dns/docs/vpc-name-res-order */
#ifndef CLOUDRUN_DNS_VIEW_H
#define CLOUDRUN_DNS_VIEW_H

#include <glib.h>
#include <stdbool.h>

#include "sim/dns.h"

typedef struct {
  char *owner;                  /* lower case, no final dot; "*." prefix ok */
  uint16_t type;                /* SIM_DNS_TYPE_A, _AAAA or _CNAME */
  uint32_t a;
  char *cname;                  /* no final dot */
  uint8_t aaaa[16];             /* network order */
} DnsEntry;

typedef struct DnsView DnsView;

typedef struct {
  char *origin;                 /* "run.app" (no final dot; "" is root) */
  char *label;                  /* for explanations: "public DNS", "private
                                   zone run-app" */
  GArray *entries;              /* DnsEntry */
  gconstpointer source;         /* the [dns-zone] it came from, or NULL */
  const DnsView *peer;          /* a peering zone: the producer network's
                                   view that answers its names; NULL */
  GArray *forward;              /* a forwarding zone: uint32_t target name
                                   servers, in order; NULL */
} DnsZone;

/* A response policy rule: local data (entries owned by name) or, with
 * passthru, none: the name goes on to the zones. */
typedef struct {
  char *name;                   /* lower case, no final dot; "*." prefix ok */
  char *label;                  /* "response policy P rule NAME" */
  bool passthru;
  GArray *entries;              /* DnsEntry, owner == name */
} DnsRule;

typedef struct {
  char *label;                  /* "response policy P" */
  GPtrArray *rules;             /* DnsRule*, owned, one per name */
} DnsPolicy;

struct DnsView {
  GPtrArray *zones;             /* DnsZone*, not owned, in order */
  GPtrArray *policies;          /* DnsPolicy*, not owned, in order */
  GArray *alternative;          /* an outbound server policy's alternative
                                   name servers (uint32_t), owned: every
                                   query goes there first; NULL: none */
  const char *alternative_label; /* "outbound server policy P"; not owned */
  const char *dns64_label;      /* "DNS64 server policy P": the network's
                                   resolver synthesizes AAAA from A for
                                   queries over IPv6; NULL: none */
};

/* What answered the last name of a chain, for explanations. */
typedef struct {
  const char *zone;             /* the zone or rule label, or NULL */
  const char *passthru;         /* the passthru rule the name went by */
  const char *peering;          /* the peering zone it went through */
  const DnsZone *forward;       /* a forwarding zone that holds the name:
                                   the resolver asks its targets; NULL */
} DnsSource;

DnsZone *cloudrun_dns_zone_new (const char *origin, const char *label);
void cloudrun_dns_zone_free (DnsZone *zone);
void cloudrun_dns_zone_add_a (DnsZone *zone, const char *owner,
                              uint32_t a);
void cloudrun_dns_zone_add_aaaa (DnsZone *zone, const char *owner,
                                 const uint8_t aaaa[16]);
void cloudrun_dns_zone_add_cname (DnsZone *zone, const char *owner,
                                  const char *target);
/* Makes zone a forwarding zone: its names are asked of target. */
void cloudrun_dns_zone_add_forward (DnsZone *zone, uint32_t target);
/* The zone of public names Google answers (run.app front ends, the
 * private and restricted API VIPs), A and AAAA. */
DnsZone *cloudrun_dns_zone_google_public (void);

DnsPolicy *cloudrun_dns_policy_new (const char *label);
void cloudrun_dns_policy_free (DnsPolicy *policy);
/* Local data of the rule for name (made at its first record). */
void cloudrun_dns_policy_add_a (DnsPolicy *policy, const char *name,
                                uint32_t a);
void cloudrun_dns_policy_add_aaaa (DnsPolicy *policy, const char *name,
                                   const uint8_t aaaa[16]);
void cloudrun_dns_policy_add_cname (DnsPolicy *policy, const char *name,
                                    const char *target);
/* The rule for name, with no local data yet (passthru: none ever). */
void cloudrun_dns_policy_add_rule (DnsPolicy *policy, const char *name,
                                   bool passthru);

void cloudrun_dns_view_init (DnsView *view);
void cloudrun_dns_view_clear (DnsView *view);
void cloudrun_dns_view_add (DnsView *view, DnsZone *zone);
void cloudrun_dns_view_add_policy (DnsView *view, DnsPolicy *policy);

/* Resolves qname for records of qtype (A, AAAA; a CNAME question gets
 * the CNAME itself, any other type NODATA) into an answer message (rcode
 * and answers in order, CNAMEs first); *zone_label names the zone that
 * answered last (or NULL). At most 8 CNAME hops. */
void cloudrun_dns_view_resolve (const DnsView *view, const char *qname,
                                uint16_t qtype, SimDnsMessage *answer,
                                const char **zone_label);
/* The same, saying what answered the last name in *source. A peering
 * zone's names are resolved in its producer's view, whose own peering
 * zones are not followed (one hop). A forwarding zone holding qname
 * itself sets source->forward (rcode SERVFAIL until its targets answer);
 * one reached through a CNAME or a peering zone answers SERVFAIL. */
void cloudrun_dns_view_resolve_source (const DnsView *view,
                                       const char *qname, uint16_t qtype,
                                       SimDnsMessage *answer,
                                       DnsSource *source);

#endif
