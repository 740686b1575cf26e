/* Parsers of the compound value types of the key tables: CIDR ranges and
 * lists, DNS and host names, Google API names (perimeter
 * restricted-services), network tags (firewall targets and sources),
 * region codes (Cloud Armor rules, client countries),
 * HTTP methods, DNS records (dns-zone
 * records), URLs (traffic url), route next hops, firewall protocols and
 * NAT addresses-or-count. Syntax only: whether a name or host exists is
 * for models/format/scenario-check.c.
 *
 * Called through cloudrun_key_parse (models/format/key-values.c). Same contract:
 * the field is written only on success; a CloudRunProblem otherwise. */
#include "models/format/scenario-private.h"

#include <string.h>

#include "sim/dns.h"
#include "sim/http.h"

#include "sim/units.h"
#include "sim/wire.h"

char *
cloudrun_key_compound_expected (CloudRunKeyType type)
{
  switch (type)
    {
    case CLOUDRUN_KEY_DNS_NAME:
      return g_strdup ("a DNS name such as run.app.");
    case CLOUDRUN_KEY_HOSTNAME:
      return g_strdup ("a host name such as api.example.com");
    case CLOUDRUN_KEY_METHOD:
      return g_strdup ("an HTTP method such as GET or POST");
    case CLOUDRUN_KEY_API_LIST:
      return g_strdup ("Google API names separated by ';', such as "
                       "run.googleapis.com;cloudtasks.googleapis.com");
    case CLOUDRUN_KEY_REGION_CODE:
      return g_strdup ("a region code of two upper-case letters (ISO "
                       "3166-1 alpha-2), such as FR");
    case CLOUDRUN_KEY_REGION_CODE_LIST:
      return g_strdup ("region codes of two upper-case letters (ISO 3166-1 "
                       "alpha-2) separated by ';', such as FR;BE");
    case CLOUDRUN_KEY_TAG_LIST:
      return g_strdup ("network tags separated by ';', such as "
                       "web;vpc-connector (1 to 63 lower-case letters, "
                       "digits and '-', starting with a letter and not "
                       "ending with '-')");
    case CLOUDRUN_KEY_RECORDS:
      return g_strdup ("DNS records 'OWNER TYPE DATA' separated by ';' "
                       "(types A, AAAA, CNAME)");
    case CLOUDRUN_KEY_ADDRESS_LIST:
      return g_strdup ("IPv4 addresses separated by ';', such as "
                       "192.168.10.53;192.168.20.53");
    case CLOUDRUN_KEY_DNS_RULES:
      return g_strdup ("response policy rules 'NAME TYPE DATA' (local "
                       "data of types A, AAAA, CNAME) or 'NAME passthru', "
                       "separated by ';'");
    case CLOUDRUN_KEY_URL:
      return g_strdup ("https://HOST[:PORT]/PATH, http://HOST[:PORT]/PATH, "
                       "tcp://HOST:PORT "
                       "or service:NAME");
    case CLOUDRUN_KEY_NEXT_HOP:
      return g_strdup ("default-internet-gateway, blackhole or an IPv4 "
                       "address");
    case CLOUDRUN_KEY_PROTOCOLS:
      return g_strdup ("protocols such as all, tcp, udp, icmp or tcp:80 "
                       "separated by ';'");
    case CLOUDRUN_KEY_ADDRESSES_OR_COUNT:
      return g_strdup ("a number of addresses from 1 to 16, or IPv4 "
                       "addresses separated by ';'");
    case CLOUDRUN_KEY_DELAY:
      return g_strdup ("a time such as 10ms, or a distribution: exp:MEAN, "
                       "lognormal:MEDIAN,P99 (P99 above MEDIAN above 0s) or "
                       "normal:MEAN,SD; each time at most 43200m (30 "
                       "days)");
    case CLOUDRUN_KEY_IPV6: case CLOUDRUN_KEY_CIDR6:
    case CLOUDRUN_KEY_CIDR6_OR_AUTO: case CLOUDRUN_KEY_CIDR_ANY:
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      return cloudrun_key_ipv6_expected (type);
    default:
      return cloudrun_key_identity_expected (type);
    }
}

static gboolean
fail_expected (const CloudRunKey *key, const char *text,
               CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  return cloudrun_problem_set (problem, expected, text);
}

/* ---- Ranges ------------------------------------------------------- */

/* One CIDR; on "10.0.0.1/24" suggests the range with host bits cleared. */
gboolean
cloudrun_parse_cidr (const char *text, const char *expected,
                     CloudRunSpecCidr *out, CloudRunProblem *problem)
{
  g_auto (GStrv) parts = NULL;
  uint32_t addr;
  guint64 len;

  if (sim_cidr_parse (text, &out->prefix, &out->len))
    return TRUE;
  cloudrun_problem_set (problem, expected, text);
  parts = g_strsplit (text, "/", 2);
  if (parts[1] != NULL && sim_ipv4_parse (parts[0], &addr)
      && g_ascii_string_to_unsigned (parts[1], 10, 0, 32, &len, NULL))
    {
      char buf[16];
      addr &= sim_cidr_mask ((uint8_t) len);
      problem->suggestion = g_strdup_printf ("%s/%u",
                                             sim_ipv4_to_string (addr, buf),
                                             (unsigned) len);
      problem->hint = g_strdup ("the address has bits set beyond the "
                                "prefix length");
    }
  return FALSE;
}

static gboolean
cidr_item (const char *item, void *out, const CloudRunKey *key,
           const char *expected, CloudRunProblem *problem)
{
  (void) key;
  return cloudrun_parse_cidr (item, expected, out, problem);
}

static gboolean
parse_cidr_list (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  GArray *ranges = cloudrun_parse_list (text, key, sizeof (CloudRunSpecCidr),
                                        cidr_item, NULL, problem);

  *FIELD (GArray *, object, key) = ranges;
  return ranges != NULL;
}

/* An address alone is its /32; with a '/', a CIDR as above. */
static gboolean
parse_address_or_cidr (const CloudRunKey *key, const char *text,
                       void *object, CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  CloudRunSpecCidr *out = FIELD (CloudRunSpecCidr, object, key);
  uint32_t addr;

  if (strchr (text, '/') != NULL)
    return cloudrun_parse_cidr (text, expected, out, problem);
  if (!sim_ipv4_parse (text, &addr))
    return cloudrun_problem_set (problem, expected, text);
  *out = (CloudRunSpecCidr) { .prefix = addr, .len = 32 };
  return TRUE;
}

/* ---- Names -------------------------------------------------------- */

/* Lower-cased DNS name, with or without the final '.'; labels of 1..63
 * letters, digits, '-' or '_'; "*" only as the first label and only when
 * wildcard. NULL when not a name. */
static char *
normalize_dns_name (const char *text, gboolean wildcard, gboolean final_dot)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  gsize len = strlen (lower);
  g_auto (GStrv) labels = NULL;

  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';
  if (len == 0 || len > 253)
    return NULL;
  labels = g_strsplit (lower, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize n = strlen (labels[i]);
      if (strcmp (labels[i], "*") == 0 && i == 0 && wildcard
          && labels[1] != NULL)
        continue;
      if (n == 0 || n > 63
          || strspn (labels[i], "abcdefghijklmnopqrstuvwxyz0123456789-_")
             != n)
        return NULL;
    }
  return final_dot ? g_strconcat (lower, ".", NULL) : g_strdup (lower);
}

static gboolean
parse_name_type (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  char *name = NULL;

  if (key->type == CLOUDRUN_KEY_METHOD)
    {
      gsize n = strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
      if (n > 0 && n <= 16 && text[n] == '\0')
        name = g_strdup (text);
    }
  else
    name = normalize_dns_name (text, FALSE,
                               key->type == CLOUDRUN_KEY_DNS_NAME);
  if (name == NULL)
    return fail_expected (key, text, problem);
  *FIELD (char *, object, key) = name;
  return TRUE;
}

/* ---- DNS records -------------------------------------------------- */

static void
record_clear (gpointer data)
{
  CloudRunSpecDnsRecord *r = data;
  g_free (r->owner);
  g_free (r->data);
}

#define RECORD_EXPECTED \
  "a DNS record 'OWNER TYPE DATA' such as " \
  "'*.run.app. CNAME private.googleapis.com.'"

static gboolean
aaaa_parse_unscoped (const char *data, uint8_t address6[16])
{
  g_autofree char *address = g_strndup (data, strcspn (data, "%"));

  return sim_dns_aaaa_parse (address, address6);
}

static gboolean
parse_record_data (CloudRunSpecDnsRecord *r, const char *data,
                   CloudRunProblem *problem)
{
  switch (r->type)
    {
    case CLOUDRUN_DNS_A:
      if (!sim_ipv4_parse (data, &r->address))
        return cloudrun_problem_set (problem, "an IPv4 address for an A "
                                     "record", data);
      r->data = g_strdup (data);
      return TRUE;
    case CLOUDRUN_DNS_AAAA:
      /* As loaded before AAAA was answered: a zone index ("%eth0") is
       * accepted, and left out of the address. */
      if (strchr (data, ':') == NULL || !g_hostname_is_ip_address (data)
          || !aaaa_parse_unscoped (data, r->address6))
        return cloudrun_problem_set (problem, "an IPv6 address for an AAAA "
                                     "record", data);
      r->data = g_strdup (data);
      return TRUE;
    default:
      r->data = normalize_dns_name (data, FALSE, TRUE);
      if (r->data == NULL)
        return cloudrun_problem_set (problem, "a DNS name for a CNAME "
                                     "record, such as private.googleapis."
                                     "com.", data);
      return TRUE;
    }
}

static gboolean
parse_record (const char *item, CloudRunSpecDnsRecord *r,
              CloudRunProblem *problem)
{
  static const char *const types[] = { "A", "AAAA", "CNAME", NULL };
  g_auto (GStrv) raw = g_strsplit_set (item, " \t", -1);
  const char *tok[4] = { NULL, NULL, NULL, NULL };
  guint n = 0;

  for (guint i = 0; raw[i] != NULL; i++)
    if (raw[i][0] != '\0' && n < 4)
      tok[n++] = raw[i];
  if (n != 3)
    return cloudrun_problem_set (problem, RECORD_EXPECTED, item);
  r->owner = normalize_dns_name (tok[0], TRUE, TRUE);
  if (r->owner == NULL)
    return cloudrun_problem_set (problem, "an owner name such as "
                                 "*.run.app. or api.example.com.", tok[0]);
  for (r->type = 0; types[r->type] != NULL; r->type++)
    if (strcmp (types[r->type], tok[1]) == 0)
      return parse_record_data (r, tok[2], problem);
  cloudrun_problem_set (problem, "a record type A, AAAA or CNAME", tok[1]);
  problem->suggestion = g_strdup (cloudrun_suggest (tok[1], types));
  return FALSE;
}

static gboolean
record_item (const char *item, void *out, const CloudRunKey *key,
             const char *expected, CloudRunProblem *problem)
{
  (void) key;
  (void) expected;
  return parse_record (item, out, problem);
}

/* A response policy rule: "NAME passthru", or local data written as a
 * record owned by NAME. */
static gboolean
rule_item (const char *item, void *out, const CloudRunKey *key,
           const char *expected, CloudRunProblem *problem)
{
  CloudRunSpecDnsRecord *r = out;
  g_auto (GStrv) raw = g_strsplit_set (item, " \t", -1);
  const char *tok[3] = { NULL, NULL, NULL };
  guint n = 0;

  (void) key;
  (void) expected;
  for (guint i = 0; raw[i] != NULL; i++)
    if (raw[i][0] != '\0' && n < 3)
      tok[n++] = raw[i];
  if (n != 2)
    return parse_record (item, r, problem);
  if (strcmp (tok[1], "passthru") != 0)
    return cloudrun_problem_set (problem, "a rule 'NAME passthru' or 'NAME "
                                 "TYPE DATA' such as 'api.run.app. "
                                 "passthru' or '*.run.app. A "
                                 "199.36.153.8'", item);
  r->owner = normalize_dns_name (tok[0], TRUE, TRUE);
  if (r->owner == NULL)
    return cloudrun_problem_set (problem, "a rule name such as *.run.app. "
                                 "or api.example.com.", tok[0]);
  r->type = CLOUDRUN_DNS_PASSTHRU;
  return TRUE;
}

static gboolean
parse_records (const CloudRunKey *key, const char *text, void *object,
               CloudRunProblem *problem)
{
  GArray *records = cloudrun_parse_list (text, key,
                                         sizeof (CloudRunSpecDnsRecord),
                                         record_item, record_clear, problem);

  *FIELD (GArray *, object, key) = records;
  return records != NULL;
}

static gboolean
parse_rules (const CloudRunKey *key, const char *text, void *object,
             CloudRunProblem *problem)
{
  GArray *rules = cloudrun_parse_list (text, key,
                                       sizeof (CloudRunSpecDnsRecord),
                                       rule_item, record_clear, problem);

  *FIELD (GArray *, object, key) = rules;
  return rules != NULL;
}

/* ---- URLs --------------------------------------------------------- */

static void
url_clear (CloudRunSpecUrl *url)
{
  g_free (url->text);
  g_free (url->host);
  g_free (url->path);
  g_free (url->service_name);
  memset (url, 0, sizeof *url);
}

/* HOST[:PORT] of an http(s) URL into url; FALSE on a bad host or port. */
static gboolean
parse_authority (const char *authority, CloudRunSpecUrl *url,
                 CloudRunProblem *problem)
{
  const char *colon = strchr (authority, ':');
  g_autofree char *host = g_strndup (authority, colon ? (gsize) (colon
                                                        - authority)
                                                      : strlen (authority));
  guint64 port = url->scheme == CLOUDRUN_URL_HTTPS ? 443 : 80;

  if (colon != NULL
      && !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    return cloudrun_problem_set (problem, "a port from 1 to 65535",
                                 colon + 1);
  url->host = normalize_dns_name (host, FALSE, FALSE);
  if (url->host == NULL)
    return cloudrun_problem_set (problem, "a host name or IPv4 address in "
                                 "the URL", host[0] ? host : url->text);
  url->port = (uint16_t) port;
  return TRUE;
}

/* The request target sent for PATH (what follows the authority; '/' when
 * empty): bytes above 0x7f percent-encoded as a browser does; NULL with
 * problem set for a control character (it cannot be typed in a URL) or a
 * target longer than the request line carries (SimHttpRequest.path). */
static char *
url_path_encode (const char *path, CloudRunProblem *problem)
{
  g_autoptr (GString) out = g_string_new (*path == '/' ? "" : "/");
  g_autofree char *shown = NULL;

  for (const uint8_t *p = (const uint8_t *) path; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      {
        shown = g_strescape (path, NULL);
        cloudrun_problem_set (problem, "a URL path without control "
                              "characters (write such a byte "
                              "percent-encoded, as %01)", shown);
        return NULL;
      }
    else if (*p >= 0x80)
      g_string_append_printf (out, "%%%02X", *p);
    else
      g_string_append_c (out, (char) *p);
  if (out->len >= sizeof ((SimHttpRequest *) NULL)->path)
    {
      shown = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", out->len);
      cloudrun_problem_set (problem, "a URL path of at most 255 bytes, "
                            "percent-encoded", shown);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
parse_url_text (const char *text, CloudRunSpecUrl *url,
                CloudRunProblem *problem)
{
  const char *rest, *end;
  g_autofree char *authority = NULL;

  url->text = g_strdup (text);
  url->port = 443;              /* service:NAME is https */
  if (g_str_has_prefix (text, "service:"))
    {
      url->service_name = g_strdup (text + strlen ("service:"));
      url->path = g_strdup ("/");
      return cloudrun_name_is_valid (url->service_name)
             || cloudrun_problem_set (problem, "service:NAME with the name "
                                      "of a [service NAME] group", text);
    }
  if (g_ascii_strncasecmp (text, "https://", 8) == 0)
    rest = text + 8;
  else if (g_ascii_strncasecmp (text, "http://", 7) == 0)
    {
      url->scheme = CLOUDRUN_URL_HTTP;
      rest = text + 7;
    }
  else if (g_ascii_strncasecmp (text, "tcp://", 6) == 0)
    {
      url->scheme = CLOUDRUN_URL_TCP;
      rest = text + 6;
    }
  else
    return FALSE;
  if (strpbrk (text, " \t@") != NULL)
    return FALSE;
  end = rest + strcspn (rest, "/?");
  authority = g_strndup (rest, (gsize) (end - rest));
  if (!parse_authority (authority, url, problem))
    return FALSE;
  if (url->scheme == CLOUDRUN_URL_TCP && (*end || !strchr (authority, ':')))
    return cloudrun_problem_set (problem, "tcp://HOST:PORT, with a port and "
                                 "no path", text);
  url->path = url_path_encode (end, problem);
  return url->path != NULL;
}

static gboolean
parse_url (const CloudRunKey *key, const char *text, void *object,
           CloudRunProblem *problem)
{
  CloudRunSpecUrl url = { 0 };

  if (parse_url_text (text, &url, problem))
    {
      *FIELD (CloudRunSpecUrl, object, key) = url;
      return TRUE;
    }
  url_clear (&url);
  if (problem->expected != NULL)
    return FALSE;
  fail_expected (key, text, problem);
  if (strstr (text, "://") == NULL && strchr (text, ' ') == NULL)
    problem->suggestion = g_strconcat ("https://", text, NULL);
  return FALSE;
}

/* ---- Next hop, protocols, NAT addresses --------------------------- */

static gboolean
parse_next_hop (const CloudRunKey *key, const char *text, void *object,
                CloudRunProblem *problem)
{
  const char *const *words = vpc_next_hop_words;
  CloudRunSpecNextHop *hop = FIELD (CloudRunSpecNextHop, object, key);

  if (strcmp (text, words[VPC_NEXT_HOP_GATEWAY]) == 0)
    hop->kind = VPC_NEXT_HOP_GATEWAY;
  else if (strcmp (text, words[VPC_NEXT_HOP_BLACKHOLE]) == 0)
    hop->kind = VPC_NEXT_HOP_BLACKHOLE;
  else if (sim_ipv4_parse (text, &hop->address))
    hop->kind = VPC_NEXT_HOP_ADDRESS;
  else
    {
      fail_expected (key, text, problem);
      problem->suggestion = g_strdup (cloudrun_suggest (text, words));
      return FALSE;
    }
  return TRUE;
}

/* A time, or KIND:T[,T] for a distribution (sim/delay.h). */
static gboolean
parse_delay (const CloudRunKey *key, const char *text, void *object,
             CloudRunProblem *problem)
{
  static const struct {
    const char *prefix;
    SimDelayKind kind;
  } kinds[] = {
    { "exp:", SIM_DELAY_EXPONENTIAL },
    { "lognormal:", SIM_DELAY_LOGNORMAL },
    { "normal:", SIM_DELAY_NORMAL },
  };
  /* fixed is the TIME key's value; the forms with a ':' are checked here. */
  SimDelay *d = FIELD (SimDelay, object, key);
  const char *args = text;
  g_auto (GStrv) parts = NULL;

  *d = (SimDelay) { SIM_DELAY_FIXED, 0, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (text, kinds[i].prefix))
      {
        d->kind = kinds[i].kind;
        args = text + strlen (kinds[i].prefix);
      }
  if (d->kind == SIM_DELAY_FIXED && strchr (text, ':') == NULL)
    {
      /* A plain time: the time parser's own message and suggestion. */
      CloudRunKey as_time = *key;
      as_time.type = CLOUDRUN_KEY_TIME;
      as_time.offset = key->offset + offsetof (SimDelay, a);
      return cloudrun_key_parse (&as_time, text, object, problem);
    }
  parts = g_strsplit (args, ",", 3);
  if (d->kind == SIM_DELAY_FIXED     /* KIND: none of the above */
      || g_strv_length (parts) != (d->kind == SIM_DELAY_EXPONENTIAL ? 1u : 2u)
      || sim_units_parse_time (g_strstrip (parts[0]), &d->a) != SIM_UNITS_OK
      || (parts[1] && sim_units_parse_time (g_strstrip (parts[1]), &d->b)
                      != SIM_UNITS_OK)
      || d->a < 0 || d->b < 0
      || d->a > CLOUDRUN_TIME_KEY_MAX || d->b > CLOUDRUN_TIME_KEY_MAX
      || (d->kind == SIM_DELAY_LOGNORMAL && !(d->b > d->a && d->a > 0)))
    return fail_expected (key, text, problem);
  return TRUE;
}

static gboolean parse_protocol (const char *item, CloudRunSpecProtocol *p);

static gboolean
protocol_item (const char *item, void *out, const CloudRunKey *key,
               const char *expected, CloudRunProblem *problem)
{
  static const char *const words[] = { "all", "tcp", "udp", "icmp", NULL };

  (void) key;
  if (parse_protocol (item, out))
    return TRUE;
  cloudrun_problem_set (problem, expected, item);
  problem->suggestion = g_strdup (cloudrun_suggest (item, words));
  return FALSE;
}

static gboolean
address_item (const char *item, void *out, const CloudRunKey *key,
              const char *expected, CloudRunProblem *problem)
{
  (void) key;
  return sim_ipv4_parse (item, out)
         || cloudrun_problem_set (problem, expected, item);
}

static gboolean
parse_protocol (const char *item, CloudRunSpecProtocol *p)
{
  const char *colon = strchr (item, ':');
  g_autofree char *name = g_strndup (item, colon ? (gsize) (colon - item)
                                                 : strlen (item));
  g_auto (GStrv) ports = NULL;
  guint64 lo, hi;

  p->port_min = 0;
  p->port_max = 65535;
  if (strcmp (name, "all") == 0 || strcmp (name, "icmp") == 0)
    {
      p->protocol = name[0] == 'a' ? 0 : 1;
      return colon == NULL;
    }
  if (strcmp (name, "tcp") != 0 && strcmp (name, "udp") != 0)
    return FALSE;
  p->protocol = name[0] == 't' ? 6 : 17;
  if (colon == NULL)
    return TRUE;
  ports = g_strsplit (colon + 1, "-", 2);
  if (ports[0] == NULL
      || !g_ascii_string_to_unsigned (ports[0], 10, 1, 65535, &lo, NULL))
    return FALSE;
  hi = lo;
  if (ports[1] != NULL
      && !g_ascii_string_to_unsigned (ports[1], 10, lo, 65535, &hi, NULL))
    return FALSE;
  p->port_min = (uint16_t) lo;
  p->port_max = (uint16_t) hi;
  return TRUE;
}

static gboolean
parse_protocols (const CloudRunKey *key, const char *text, void *object,
                 CloudRunProblem *problem)
{
  GArray *list = cloudrun_parse_list (text, key, sizeof (CloudRunSpecProtocol),
                                     protocol_item, NULL, problem);

  if (list && list->len == 0)
    {
      g_autofree char *expected = cloudrun_key_expected (key);
      g_clear_pointer (&list, g_array_unref);
      cloudrun_problem_set (problem, expected, text);
    }
  *FIELD (GArray *, object, key) = list;
  return list != NULL;
}

static gboolean
parse_nat_addresses (const CloudRunKey *key, const char *text, void *object,
                     CloudRunProblem *problem)
{
  CloudRunSpecNatAddresses *out = FIELD (CloudRunSpecNatAddresses, object,
                                         key);
  guint64 count;

  if (g_ascii_isdigit (text[0]) && strchr (text, '.') == NULL)
    {
      g_autofree char *expected = cloudrun_key_expected (key);
      if (!g_ascii_string_to_unsigned (text, 10, 1, 16, &count, NULL))
        return cloudrun_problem_set (problem, expected, text);
      out->count = (guint) count;
      out->addresses = g_array_new (FALSE, FALSE, sizeof (uint32_t));
      return TRUE;
    }
  out->addresses = cloudrun_parse_list (text, key, sizeof (uint32_t),
                                        address_item, NULL, problem);
  out->count = out->addresses ? out->addresses->len : 0;
  return out->addresses != NULL;
}

/* ---- Google API names ------------------------------------------- */

/* NAME.googleapis.com, lower-cased: NAME of DNS labels (letters, digits,
 * '-'), as VPC Service Controls lists restricted services. */
static gboolean
api_name_is_valid (const char *name)
{
  const char *end = g_str_has_suffix (name, ".googleapis.com")
                    ? name + strlen (name) - strlen (".googleapis.com")
                    : NULL;

  if (end == NULL || end == name || name[0] == '.' || end[-1] == '.')
    return FALSE;
  for (const char *c = name; c < end; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.')
      return FALSE;
  return strstr (name, "..") == NULL;
}

/* An API name, lower-cased in place. */
static gboolean
api_item (char *item)
{
  for (char *c = item; *c; c++)
    *c = g_ascii_tolower (*c);
  return api_name_is_valid (item);
}

static gboolean
parse_api_list (const CloudRunKey *key, const char *text, void *object,
                CloudRunProblem *problem)
{
  return cloudrun_parse_checked_list (key, text, object, problem, api_item);
}

/* ---- Network tags ------------------------------------------------- */

/* A network tag as Compute Engine takes it (RFC 1035 label): 1 to 63
 * characters of lower-case letters, digits and '-', first a letter, last
 * not '-'. Upper case is refused as Google refuses it. */
static gboolean
tag_item (char *item)
{
  gsize n = strlen (item);

  return n >= 1 && n <= 63 && g_ascii_islower (item[0]) && item[n - 1] != '-'
         && strspn (item, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* ---- Region codes ------------------------------------------------- */

/* Cloud Armor's origin.region_code: an ISO 3166-1 alpha-2 code, two
 * upper-case letters (the shape only; no list of assigned codes). */
static gboolean
region_code_item (char *item)
{
  return strlen (item) == 2 && g_ascii_isupper (item[0])
         && g_ascii_isupper (item[1]);
}

static gboolean
parse_region_code (const CloudRunKey *key, const char *text, void *object,
                   CloudRunProblem *problem)
{
  g_autofree char *item = g_strstrip (g_strdup (text));

  if (!region_code_item (item))
    return fail_expected (key, text, problem);
  *FIELD (char *, object, key) = g_steal_pointer (&item);
  return TRUE;
}

/* ---- Dispatch ----------------------------------------------------- */

gboolean
cloudrun_key_compound_parse (const CloudRunKey *key, const char *text,
                             void *object, CloudRunProblem *problem)
{
  g_autofree char *expected = NULL;

  switch (key->type)
    {
    case CLOUDRUN_KEY_CIDR:
      expected = cloudrun_key_expected (key);
      return cloudrun_parse_cidr (text, expected, FIELD (CloudRunSpecCidr, object,
                                                    key), problem);
    case CLOUDRUN_KEY_CIDR_LIST:
      return parse_cidr_list (key, text, object, problem);
    case CLOUDRUN_KEY_ADDRESS_LIST:
      return (*FIELD (GArray *, object, key)
              = cloudrun_parse_list (text, key, sizeof (uint32_t),
                                     address_item, NULL, problem)) != NULL;
    case CLOUDRUN_KEY_ADDRESS_OR_CIDR:
      return parse_address_or_cidr (key, text, object, problem);
    case CLOUDRUN_KEY_DNS_NAME: case CLOUDRUN_KEY_HOSTNAME:
    case CLOUDRUN_KEY_METHOD:
      return parse_name_type (key, text, object, problem);
    case CLOUDRUN_KEY_RECORDS:
      return parse_records (key, text, object, problem);
    case CLOUDRUN_KEY_DNS_RULES:
      return parse_rules (key, text, object, problem);
    case CLOUDRUN_KEY_URL: return parse_url (key, text, object, problem);
    case CLOUDRUN_KEY_NEXT_HOP:
      return parse_next_hop (key, text, object, problem);
    case CLOUDRUN_KEY_DELAY:
      return parse_delay (key, text, object, problem);
    case CLOUDRUN_KEY_PROTOCOLS:
      return parse_protocols (key, text, object, problem);
    case CLOUDRUN_KEY_ADDRESSES_OR_COUNT:
      return parse_nat_addresses (key, text, object, problem);
    case CLOUDRUN_KEY_API_LIST:
      return parse_api_list (key, text, object, problem);
    case CLOUDRUN_KEY_TAG_LIST:
      return cloudrun_parse_checked_list (key, text, object, problem,
                                          tag_item);
    case CLOUDRUN_KEY_REGION_CODE:
      return parse_region_code (key, text, object, problem);
    case CLOUDRUN_KEY_REGION_CODE_LIST:
      return cloudrun_parse_checked_list (key, text, object, problem,
                                          region_code_item);
    case CLOUDRUN_KEY_EMAIL: case CLOUDRUN_KEY_PRINCIPALS:
    case CLOUDRUN_KEY_AUDIENCE: case CLOUDRUN_KEY_AUDIENCE_LIST:
    case CLOUDRUN_KEY_EMAIL_LIST:
      return cloudrun_key_identity_parse (key, text, object, problem);
    case CLOUDRUN_KEY_IPV6: case CLOUDRUN_KEY_CIDR6:
    case CLOUDRUN_KEY_CIDR6_OR_AUTO: case CLOUDRUN_KEY_CIDR_ANY:
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      return cloudrun_key_ipv6_parse (key, text, object, problem);
    default:
      g_assert_not_reached ();
    }
}

void
cloudrun_key_compound_clear (const CloudRunKey *key, void *object)
{
  switch (key->type)
    {
    case CLOUDRUN_KEY_CIDR_LIST: case CLOUDRUN_KEY_RECORDS:
    case CLOUDRUN_KEY_DNS_RULES: case CLOUDRUN_KEY_PROTOCOLS:
    case CLOUDRUN_KEY_ADDRESS_LIST:
      g_clear_pointer (FIELD (GArray *, object, key), g_array_unref);
      break;
    case CLOUDRUN_KEY_URL:
      url_clear (FIELD (CloudRunSpecUrl, object, key));
      break;
    case CLOUDRUN_KEY_ADDRESSES_OR_COUNT:
      g_clear_pointer (&FIELD (CloudRunSpecNatAddresses, object,
                               key)->addresses, g_array_unref);
      FIELD (CloudRunSpecNatAddresses, object, key)->count = 0;
      break;
    case CLOUDRUN_KEY_API_LIST: case CLOUDRUN_KEY_TAG_LIST:
    case CLOUDRUN_KEY_REGION_CODE_LIST:
      g_clear_pointer (FIELD (char **, object, key), g_strfreev);
      break;
    case CLOUDRUN_KEY_REGION_CODE:
      g_clear_pointer (FIELD (char *, object, key), g_free);
      break;
    case CLOUDRUN_KEY_EMAIL: case CLOUDRUN_KEY_PRINCIPALS:
    case CLOUDRUN_KEY_AUDIENCE: case CLOUDRUN_KEY_AUDIENCE_LIST:
    case CLOUDRUN_KEY_EMAIL_LIST:
      cloudrun_key_identity_clear (key, object);
      break;
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      cloudrun_key_ipv6_clear (key, object);
      break;
    default:
      break;
    }
}
