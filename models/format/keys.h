/* Key tables: the one description of every scenario group kind and key
 * (docs/scenario-format.md, format 1) that drives parsing, defaults,
 * validation, `cloudrun-netsim keys [KIND]` and did-you-mean suggestions.
 *
 * Each kind has a struct (CloudRunSpecService, CloudRunSpecSubnet, ...
 * in models/format/scenario.h) that embeds CloudRunSpecObject first, and a
 * table of CloudRunKey rows; a row says where its value lives (offsetof)
 * and how to parse it. Defaults are text parsed by the same code as the
 * file, so the text `keys` shows is the text the loader uses.
 *
 * Called by models/format/scenario.c (loading), tools/ (the `keys` command) and
 * tests. Tables live in models/format/scenario-keys.c; messages, suggestions and
 * `keys` text in models/format/keys.c; the parsers of each value type in
 * models/format/key-values.c and models/format/key-compound.c. */
#ifndef MODELS_KEYS_H
#define MODELS_KEYS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* Group kinds, in the order of docs/scenario-format.md. */
/* Every time a key takes is at most this (30 days): sums of a few such
 * times and a run's clock stay far inside SimTime, and a run's memory
 * that follows its duration stays small. */
#define CLOUDRUN_TIME_KEY_MAX ((SimTime) 30 * 24 * 3600 * SIM_S)
/* A timestamp key is at most 2099-12-31T23:59:59Z (in seconds). */
#define CLOUDRUN_TIMESTAMP_KEY_MAX INT64_C (4102444799)

typedef enum {
  CLOUDRUN_KIND_SCENARIO,
  CLOUDRUN_KIND_ASSUMPTIONS,
  CLOUDRUN_KIND_PROJECT,
  CLOUDRUN_KIND_PERIMETER,
  CLOUDRUN_KIND_NETWORK,
  CLOUDRUN_KIND_SUBNET,
  CLOUDRUN_KIND_ROUTE,
  CLOUDRUN_KIND_PEERING,
  CLOUDRUN_KIND_HYBRID_LINK,
  CLOUDRUN_KIND_PRIVATE_ACCESS,
  CLOUDRUN_KIND_MANAGED_INSTANCE,
  CLOUDRUN_KIND_FIREWALL,
  CLOUDRUN_KIND_FIREWALL_POLICY,
  CLOUDRUN_KIND_NAT,
  CLOUDRUN_KIND_CONNECTOR,
  CLOUDRUN_KIND_SERVICE,
  CLOUDRUN_KIND_REVISION,
  CLOUDRUN_KIND_JOB,
  CLOUDRUN_KIND_WORKER_POOL,
  CLOUDRUN_KIND_VM,
  CLOUDRUN_KIND_CLIENT,
  CLOUDRUN_KIND_GOOGLE_CALLER,
  CLOUDRUN_KIND_DNS_ZONE,
  CLOUDRUN_KIND_DNS_RESPONSE_POLICY,
  CLOUDRUN_KIND_PSC_ENDPOINT,
  CLOUDRUN_KIND_INTERNAL_ALB,
  CLOUDRUN_KIND_EXTERNAL_ALB,
  CLOUDRUN_KIND_DOMAIN_MAPPING,
  CLOUDRUN_KIND_SECURITY_POLICY,
  CLOUDRUN_KIND_SECURITY_RULE,
  CLOUDRUN_KIND_TRAFFIC,
  CLOUDRUN_KIND_EXPECT,
  CLOUDRUN_KIND_SECURE_TAG,     /* documented after [firewall-policy] */
  CLOUDRUN_KIND_DNS_SERVER_POLICY,
  CLOUDRUN_KIND_COUNT
} CloudRunKind;

/* How a value is written and stored. The C type of the field at
 * CloudRunKey.offset is given for each. */
typedef enum {
  CLOUDRUN_KEY_STRING,          /* char *; GKeyFile escapes apply */
  CLOUDRUN_KEY_NAME,            /* char *, the NAME of a group of ref_kind;
                                   resolved to a pointer at ref_offset */
  CLOUDRUN_KEY_NAME_LIST,       /* char ** (NULL-terminated); resolved to a
                                   GPtrArray * of ref_kind at ref_offset */
  CLOUDRUN_KEY_INT,             /* int64_t, within [min, max] */
  CLOUDRUN_KEY_UINT64,          /* uint64_t, any */
  CLOUDRUN_KEY_BOOL,            /* gboolean: true | false */
  CLOUDRUN_KEY_TIME,            /* SimTime (ns) */
  CLOUDRUN_KEY_DELAY,           /* SimDelay: a time or a distribution */
  CLOUDRUN_KEY_RATE,            /* double, events per second */
  CLOUDRUN_KEY_BANDWIDTH,       /* uint64_t, bits per second */
  CLOUDRUN_KEY_SIZE,            /* uint64_t, bytes */
  CLOUDRUN_KEY_FRACTION,        /* double in [0, 1] */
  CLOUDRUN_KEY_ENUM,            /* int: the value of a choice */
  CLOUDRUN_KEY_ENUM_LIST,       /* GArray * of int: values of choices */
  CLOUDRUN_KEY_IPV4,            /* uint32_t, host order */
  CLOUDRUN_KEY_CIDR,            /* CloudRunSpecCidr */
  CLOUDRUN_KEY_CIDR_LIST,       /* GArray * of CloudRunSpecCidr */
  CLOUDRUN_KEY_ADDRESS_OR_CIDR, /* CloudRunSpecCidr; an address alone is
                                   its /32 */
  CLOUDRUN_KEY_REGION,          /* char *, a known Google Cloud region */
  CLOUDRUN_KEY_PROJECT_NUMBER,  /* uint64_t, written as 12 digits */
  CLOUDRUN_KEY_DNS_NAME,        /* char *, lower case, ending in '.' */
  CLOUDRUN_KEY_HOSTNAME,        /* char *, lower case, no final '.' */
  CLOUDRUN_KEY_METHOD,          /* char *, an HTTP method token */
  CLOUDRUN_KEY_RECORDS,         /* GArray * of CloudRunSpecDnsRecord */
  CLOUDRUN_KEY_DNS_RULES,       /* GArray * of CloudRunSpecDnsRecord, type
                                   CLOUDRUN_DNS_PASSTHRU too */
  CLOUDRUN_KEY_URL,             /* CloudRunSpecUrl */
  CLOUDRUN_KEY_NEXT_HOP,        /* CloudRunSpecNextHop */
  CLOUDRUN_KEY_PROTOCOLS,       /* GArray * of CloudRunSpecProtocol */
  CLOUDRUN_KEY_ADDRESSES_OR_COUNT, /* CloudRunSpecNatAddresses */
  CLOUDRUN_KEY_CALLER,          /* char *, a service, vm or client NAME;
                                   resolved to CloudRunSpecCaller at
                                   ref_offset */
  CLOUDRUN_KEY_EMAIL,           /* char *, an email address, lower case */
  CLOUDRUN_KEY_PRINCIPALS,      /* GArray * of CloudRunSpecPrincipal */
  CLOUDRUN_KEY_AUDIENCE,        /* char *, https://HOST[/...] or
                                   http://HOST[/...] */
  CLOUDRUN_KEY_AUDIENCE_LIST,   /* char ** (NULL-terminated), any token
                                   audiences */
  CLOUDRUN_KEY_API_LIST,        /* char ** (NULL-terminated), Google API
                                   service names NAME.googleapis.com,
                                   lower case */
  CLOUDRUN_KEY_TAG_LIST,        /* char ** (NULL-terminated), network tags
                                   (RFC 1035 labels, lower case) */
  CLOUDRUN_KEY_EMAIL_LIST,      /* char ** (NULL-terminated), email
                                   addresses, lower case */
  CLOUDRUN_KEY_REGION_CODE,     /* char *, two upper-case letters (ISO
                                   3166-1 alpha-2), "FR" */
  CLOUDRUN_KEY_REGION_CODE_LIST, /* char ** (NULL-terminated), such codes */
  CLOUDRUN_KEY_TIMESTAMP,       /* int64_t, seconds since
                                   1970-01-01T00:00:00Z, written in RFC
                                   3339 UTC as YYYY-MM-DDTHH:MM:SSZ, from
                                   1970 to 2099 (classic pcap keeps 32-bit
                                   seconds) */
  CLOUDRUN_KEY_ADDRESS_LIST,    /* GArray * of uint32_t, IPv4 addresses */
  CLOUDRUN_KEY_IPV6,            /* SimIp6 */
  CLOUDRUN_KEY_CIDR6,           /* CloudRunSpecCidr6 */
  CLOUDRUN_KEY_CIDR6_OR_AUTO,   /* CloudRunSpecCidr6, or the word "auto":
                                   then the gboolean at ref_offset is set
                                   and the range is derived */
  CLOUDRUN_KEY_CIDR_ANY,        /* CloudRunSpecCidrAny: an IPv4 or an IPv6
                                   range */
  CLOUDRUN_KEY_CIDR_LIST_ANY,   /* GArray * of CloudRunSpecCidr, and of
                                   CloudRunSpecCidr6 at ref_offset: ranges
                                   of one family */
} CloudRunKeyType;

/* CloudRunKey.flags. A key has a default_text, or one of REQUIRED,
 * OPTIONAL, DERIVED. */
#define CLOUDRUN_KEY_REQUIRED 0x1u  /* must be written */
#define CLOUDRUN_KEY_OPTIONAL 0x2u  /* no default: the field stays zero or
                                       NULL and the key counts as unset */
#define CLOUDRUN_KEY_DERIVED 0x4u   /* default computed at load time from
                                       other groups; default_note says how */

typedef struct {
  const char *name;             /* key as written in the file */
  CloudRunKeyType type;         /* how it is parsed and stored */
  const char *default_text;     /* parsed like file text; NULL: see flags */
  unsigned flags;               /* CLOUDRUN_KEY_* */
  const char *const *choices;   /* ENUM, ENUM_LIST: NULL-terminated */
  int first;                    /* ENUM, ENUM_LIST: the value of
                                   choices[0]; the others follow */
  const int *values;            /* ENUM, ENUM_LIST: when not NULL, the
                                   value of each choice instead */
  const char *help;             /* one sentence for `keys` */
  size_t offset;                /* offsetof the field in the kind's struct */
  CloudRunKind ref_kind;        /* NAME, NAME_LIST: the kind named */
  size_t ref_offset;            /* NAME, NAME_LIST, CALLER: resolved field */
  int64_t min, max;             /* INT: inclusive range */
  const char *default_note;     /* DERIVED: how the default is computed */
} CloudRunKey;

/* One group kind. */
typedef struct {
  const char *name;             /* "service", "dns-zone", ... */
  CloudRunKind kind;            /* its index */
  gboolean singleton;           /* [scenario], [assumptions]: no NAME */
  const char *summary;          /* one line for `keys` */
  size_t size;                  /* sizeof the kind's struct */
  const CloudRunKey *keys;      /* the table */
  guint n_keys;                 /* rows in keys (at most 64) */
  size_t list_offset;           /* offsetof the GPtrArray * of objects in
                                   CloudRunScenario; 0 for singletons */
} CloudRunKindInfo;

/* Lookup. */
const CloudRunKindInfo *cloudrun_kind_info (CloudRunKind kind);
/* NULL when name is no kind. */
const CloudRunKindInfo *cloudrun_kind_lookup (const char *name);
/* The row of key in kind, and its index through *index (may be NULL);
 * NULL when the kind has no such key. */
const CloudRunKey *cloudrun_kind_key (const CloudRunKindInfo *info,
                                      const char *key, guint *index);

/* Whether an empty value is a value of type (an empty list or text)
 * rather than a missing one; a required key is never empty. */
gboolean cloudrun_key_type_takes_empty (CloudRunKeyType type);

/* Appends the value of key in object (a loaded group's struct) as a file
 * would write it, canonical form; FALSE for the types it does not print
 * (lists other than CIDR lists, delays, rates, sizes, compound values). */
gboolean cloudrun_key_format (const CloudRunKey *key, const void *object,
                              GString *out);

/* Documentation for `cloudrun-netsim keys [KIND]`: with kind NULL one line
 * per kind, otherwise every key of the kind with its type, default (or
 * "required"), allowed values and help. An unknown kind is an error
 * (CLOUDRUN_SCENARIO_ERROR) with a did-you-mean. Appends to out. */
gboolean cloudrun_keys_describe (GString *out, const char *kind,
                                 GError **error);

/* Did-you-mean: the candidate nearest to found (case-insensitive
 * Damerau-Levenshtein distance <= 2 and smaller than found's length, or
 * found a prefix of it at least 3 long); NULL when none or when two
 * candidates are equally near. Candidates: NULL-terminated array. */
const char *cloudrun_suggest (const char *found,
                              const char *const *candidates);
/* Optimal string alignment distance, ASCII case-insensitive. */
guint cloudrun_edit_distance (const char *a, const char *b);

#endif
