/* VPC firewall rules as REST (CAI, gcloud) and Terraform's
 * google_compute_firewall write them, read by one function: direction,
 * priority, protocols, ranges, and the network tags and service accounts
 * that choose a rule's targets and sources; and the network tags of VMs
 * and Direct VPC interfaces. */
#include "tools/import/import-private.h"

#include <string.h>

typedef struct {
  const char *allowed, *denied, *proto, *src, *dst;
  const char *scope[4];         /* target tags, target service accounts,
                                   source tags, source service accounts */
} FwKeys;

static const FwKeys rest_keys = {
  "allowed", "denied", "IPProtocol", "sourceRanges", "destinationRanges",
  { "targetTags", "targetServiceAccounts", "sourceTags",
    "sourceServiceAccounts" },
};

static const FwKeys tf_keys = {
  "allow", "deny", "protocol", "source_ranges", "destination_ranges",
  { "target_tags", "target_service_accounts", "source_tags",
    "source_service_accounts" },
};

/* A network tag as Compute Engine takes it (RFC 1035 label). */
static gboolean
is_tag (const char *t)
{
  gsize n = strlen (t);

  return n >= 1 && n <= 63 && g_ascii_islower (t[0]) && t[n - 1] != '-'
         && strspn (t, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* LOCAL@DOMAIN, lower-case, as the scenario format takes an email. */
static gboolean
is_email (const char *e)
{
  const char *at = strchr (e, '@');
  g_auto (GStrv) labels = NULL;

  if (!at || at == e || strchr (at + 1, '@') || strlen (e) > 254
      || (gsize) (at - e) > 64
      || strspn (e, "abcdefghijklmnopqrstuvwxyz0123456789._%+-")
         != (gsize) (at - e) || e[0] == '.' || at[-1] == '.')
    return FALSE;
  labels = g_strsplit (at + 1, ".", -1);
  if (g_strv_length (labels) < 2)
    return FALSE;
  for (guint i = 0; labels[i]; i++)
    {
      gsize n = strlen (labels[i]);
      if (!n || n > 63 || labels[i][0] == '-' || labels[i][n - 1] == '-'
          || strspn (labels[i], "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
        return FALSE;
    }
  return TRUE;
}

/* The strings at rel (tags, or emails lower-cased) into *field; NULL when
 * absent or empty. */
static gboolean
read_list (ImportSrc *s, JsonNode *root, const char *rel, gboolean emails,
           GPtrArray **field)
{
  g_autoptr (GPtrArray) items = import_strs (s, root, rel);

  if (import_failed (s))
    return FALSE;
  for (guint i = 0; items && i < items->len; i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", rel, i);
      char *v = items->pdata[i];

      if (emails)
        {
          char *lower = g_ascii_strdown (v, -1);
          g_free (v);
          items->pdata[i] = v = lower;
        }
      if (emails ? !is_email (v) : !is_tag (v))
        return import_fail (s, at, emails
                            ? "expected a service account email, found '%s'"
                            : "expected a network tag (1 to 63 lower-case "
                              "letters, digits and '-', first a letter, not "
                              "last a '-'), found '%s'", v);
    }
  if (items && items->len)
    *field = g_steal_pointer (&items);
  return TRUE;
}

gboolean
import_set_tags (ImportSrc *s, JsonNode *root, const char *rel,
                 GPtrArray **field)
{
  return read_list (s, root, rel, FALSE, field);
}

gboolean
import_set_emails (ImportSrc *s, JsonNode *root, const char *rel,
                   GPtrArray **field)
{
  return read_list (s, root, rel, TRUE, field);
}

/* The targets and sources of r at keys, refusing what Google refuses
 * (https://cloud.google.com/firewall/docs/firewalls, "Filtering by service
 * account versus network tag"). */
static gboolean
read_scope (ImportSrc *s, JsonNode *d, const char *const keys[4],
            ImportRes *r)
{
  /* Pairs Google refuses: (first, second) indices into keys. */
  static const guint refused[][2] = { { 0, 1 }, { 2, 3 }, { 0, 3 },
                                      { 1, 2 } };
  GPtrArray **lists[4] = { &r->tags, &r->target_sas, &r->source_tags,
                           &r->source_sas };

  for (guint i = 0; i < 4; i++)
    if (!read_list (s, d, keys[i], i % 2 == 1, lists[i]))
      return FALSE;
  if (strcmp (r->direction, "egress") == 0 && (r->source_tags || r->source_sas))
    return import_fail (s, keys[r->source_tags ? 2 : 3], "expected no "
                        "sources on an egress rule (Google refuses them)");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (*lists[refused[i][0]] && *lists[refused[i][1]])
      return import_fail (s, keys[refused[i][1]], "expected not both %s and "
                          "%s (Google refuses them together)",
                          keys[refused[i][0]], keys[refused[i][1]]);
  return TRUE;
}

guint
import_rule_ranges (ImportSrc *s, JsonNode *d, const char *rkey,
                    ImportRes *r)
{
  g_autoptr (GPtrArray) ranges = import_strs (s, d, rkey);

  r->ranges = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; ranges && i < ranges->len; i++)
    {
      g_autofree char *at = g_strdup_printf ("%s[%u]", rkey, i);
      char *c = NULL;
      if (import_set_cidr (s, at, ranges->pdata[i], &c))
        g_ptr_array_add (r->ranges, c);
    }
  return ranges ? ranges->len : 0;
}

gboolean
import_set_direction (ImportSrc *s, const char *dir, ImportRes *r)
{
  if (!dir || strcmp (dir, "INGRESS") == 0)
    r->direction = g_strdup ("ingress");
  else if (strcmp (dir, "EGRESS") == 0)
    r->direction = g_strdup ("egress");
  else
    return import_fail (s, "direction", "expected INGRESS or EGRESS, found "
                        "'%s'", dir);
  return TRUE;
}

gboolean
import_firewall_rule (ImportSrc *s, JsonNode *d, gboolean tf, ImportRes *r)
{
  const FwKeys *k = tf ? &tf_keys : &rest_keys;
  const char *dir = import_str (s, d, "direction");
  JsonArray *allowed = import_arr (s, d, k->allowed);
  guint n;

  if (!import_set_direction (s, dir, r))
    return FALSE;
  r->priority = import_int (s, d, "priority", 65535);
  r->disabled = import_bool (s, d, "disabled") == 1;
  if (allowed && json_array_get_length (allowed) > 0)
    {
      r->action = g_strdup ("allow");
      import_set_protocols (s, d, k->allowed, k->proto, r);
    }
  else
    {
      r->action = g_strdup ("deny");
      import_set_protocols (s, d, k->denied, k->proto, r);
    }
  if (import_failed (s) || !read_scope (s, d, k->scope, r))
    return FALSE;
  n = import_rule_ranges (s, d, strcmp (r->direction, "ingress") == 0
                                ? k->src : k->dst, r);
  if (import_failed (s))
    return FALSE;
  /* No ranges: every source or destination, unless an ingress rule names
   * its sources by tag or service account (then those only). */
  if (!n && !r->source_tags && !r->source_sas)
    g_ptr_array_add (r->ranges, g_strdup ("0.0.0.0/0"));
  else if (!r->ranges->len && !r->source_tags && !r->source_sas)
    r->skip = TRUE;             /* IPv6 only, said above */
  if (r->protocols && !r->protocols->len)
    {
      r->skip = TRUE;
      import_not_modelled (s, "no protocol the simulator models: rule left "
                           "out");
    }
  return !import_failed (s);
}
