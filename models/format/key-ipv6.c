/* Parsers of the IPv6 value types of the key tables: an IPv6 address, an
 * IPv6 range, a range or `auto`, a range of either family, and a list of
 * ranges of one family (a firewall rule's). Text goes through sim/'s
 * IPv6 parser (RFC 4291 forms; no zone index); ranges print in RFC 5952
 * form.
 *
 * Called through cloudrun_key_compound_parse (models/format/key-compound.c)
 * and cloudrun_key_format. Same contract: the field is written only on
 * success; a CloudRunProblem otherwise. */
#include "models/format/scenario-private.h"

#include <string.h>

#include "sim/wire.h"

char *
cloudrun_key_ipv6_expected (CloudRunKeyType type)
{
  switch (type)
    {
    case CLOUDRUN_KEY_IPV6:
      return g_strdup ("an IPv6 address such as fd20:0:1::1:0:0");
    case CLOUDRUN_KEY_CIDR6:
      return g_strdup ("an IPv6 range such as fd20:0:1::/64");
    case CLOUDRUN_KEY_CIDR6_OR_AUTO:
      return g_strdup ("auto, or an IPv6 range such as fd20:0:1::/48");
    case CLOUDRUN_KEY_CIDR_ANY:
      return g_strdup ("a CIDR range such as 10.0.0.0/24 or ::/0");
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      return g_strdup ("CIDR ranges of one family separated by ';', such "
                       "as 10.0.0.0/8;192.168.0.0/16 or fd20::/20");
    default:
      g_assert_not_reached ();
    }
}

char *
cloudrun_cidr6_text (const CloudRunSpecCidr6 *cidr)
{
  char buf[SIM_IPV6_STRLEN];

  return g_strdup_printf ("%s/%u", sim_ipv6_to_string (&cidr->prefix, buf),
                          cidr->len);
}

gboolean
cloudrun_cidr6_overlap (const CloudRunSpecCidr6 *a,
                        const CloudRunSpecCidr6 *b)
{
  return sim_ipv6_in_prefix (&a->prefix, &b->prefix, MIN (a->len, b->len));
}

/* Whether text is meant as IPv6 (it has a ':', which IPv4 never has). */
static gboolean
looks_ipv6 (const char *text)
{
  return strchr (text, ':') != NULL;
}

/* One IPv6 range; on "fd20::1/64" suggests the range with host bits
 * cleared. */
static gboolean
parse_one_cidr6 (const char *text, const char *expected,
                 CloudRunSpecCidr6 *out, CloudRunProblem *problem)
{
  g_auto (GStrv) parts = NULL;
  SimIp6 addr;
  guint64 len;

  if (sim_cidr6_parse (text, &out->prefix, &out->len))
    return TRUE;
  cloudrun_problem_set (problem, expected, text);
  parts = g_strsplit (text, "/", 2);
  if (parts[1] != NULL && sim_ipv6_parse (parts[0], &addr)
      && g_ascii_string_to_unsigned (parts[1], 10, 0, 128, &len, NULL))
    {
      CloudRunSpecCidr6 masked = {
        .prefix = sim_ipv6_masked (&addr, (uint8_t) len),
        .len = (uint8_t) len };
      problem->suggestion = cloudrun_cidr6_text (&masked);
      problem->hint = g_strdup ("the address has bits set beyond the "
                                "prefix length");
    }
  return FALSE;
}

/* ';' items: IPv4 ranges into *v4, IPv6 ones into *v6, one family. */
static gboolean
parse_list_any (const CloudRunKey *key, const char *text, GArray **v4,
                GArray **v6, CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);
  g_auto (GStrv) items = NULL;
  g_autoptr (GArray) a4 = g_array_new (FALSE, TRUE, sizeof (CloudRunSpecCidr));
  g_autoptr (GArray) a6 = g_array_new (FALSE, TRUE,
                                       sizeof (CloudRunSpecCidr6));

  if (!cloudrun_split_list (text, expected, &items, problem))
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    {
      gboolean six = looks_ipv6 (items[i]);
      if (i > 0 && six != (a6->len > 0))
        {
          cloudrun_problem_set (problem, expected, items[i]);
          problem->hint = g_strdup ("a firewall rule holds IPv4 ranges or "
                                    "IPv6 ranges, not both: write a rule "
                                    "for each family");
          return FALSE;
        }
      if (six)
        {
          CloudRunSpecCidr6 r;
          if (!parse_one_cidr6 (items[i], expected, &r, problem))
            return FALSE;
          g_array_append_val (a6, r);
        }
      else
        {
          CloudRunSpecCidr r;
          if (!cloudrun_parse_cidr (items[i], expected, &r, problem))
            return FALSE;
          g_array_append_val (a4, r);
        }
    }
  *v4 = g_steal_pointer (&a4);
  *v6 = g_steal_pointer (&a6);
  return TRUE;
}

gboolean
cloudrun_key_ipv6_parse (const CloudRunKey *key, const char *text,
                         void *object, CloudRunProblem *problem)
{
  g_autofree char *expected = cloudrun_key_expected (key);

  switch (key->type)
    {
    case CLOUDRUN_KEY_IPV6:
      if (!sim_ipv6_parse (text, FIELD (SimIp6, object, key)))
        return cloudrun_problem_set (problem, expected, text);
      return TRUE;
    case CLOUDRUN_KEY_CIDR6:
      return parse_one_cidr6 (text, expected,
                              FIELD (CloudRunSpecCidr6, object, key),
                              problem);
    case CLOUDRUN_KEY_CIDR6_OR_AUTO:
      {
        gboolean *is_auto = G_STRUCT_MEMBER_P (object, key->ref_offset);
        CloudRunSpecCidr6 r = { 0 };

        if (strcmp (text, "auto") != 0
            && !parse_one_cidr6 (text, expected, &r, problem))
          return FALSE;
        *is_auto = strcmp (text, "auto") == 0;
        *FIELD (CloudRunSpecCidr6, object, key) = r;
        return TRUE;
      }
    case CLOUDRUN_KEY_CIDR_ANY:
      {
        CloudRunSpecCidrAny r = { .v6 = looks_ipv6 (text) };

        if (r.v6 ? !parse_one_cidr6 (text, expected, &r.cidr6, problem)
                 : !cloudrun_parse_cidr (text, expected, &r.cidr, problem))
          return FALSE;
        *FIELD (CloudRunSpecCidrAny, object, key) = r;
        return TRUE;
      }
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      return parse_list_any (key, text, FIELD (GArray *, object, key),
                             G_STRUCT_MEMBER_P (object, key->ref_offset),
                             problem);
    default:
      g_assert_not_reached ();
    }
}

void
cloudrun_key_ipv6_clear (const CloudRunKey *key, void *object)
{
  if (key->type != CLOUDRUN_KEY_CIDR_LIST_ANY)
    return;
  g_clear_pointer (FIELD (GArray *, object, key), g_array_unref);
  g_clear_pointer ((GArray **) G_STRUCT_MEMBER_P (object, key->ref_offset),
                   g_array_unref);
}

static void
append_cidr6 (GString *out, const CloudRunSpecCidr6 *r)
{
  g_autofree char *text = cloudrun_cidr6_text (r);

  g_string_append (out, text);
}

static void
append_cidr4 (GString *out, const CloudRunSpecCidr *r)
{
  g_autofree char *text = cloudrun_cidr_text (r);

  g_string_append (out, text);
}

gboolean
cloudrun_key_ipv6_format (const CloudRunKey *key, const void *object,
                          GString *out)
{
  char buf[SIM_IPV6_STRLEN];

  switch (key->type)
    {
    case CLOUDRUN_KEY_IPV6:
      g_string_append (out, sim_ipv6_to_string (FIELD (const SimIp6, object,
                                                       key), buf));
      return TRUE;
    case CLOUDRUN_KEY_CIDR6:
      append_cidr6 (out, FIELD (const CloudRunSpecCidr6, object, key));
      return TRUE;
    case CLOUDRUN_KEY_CIDR6_OR_AUTO:
      if (G_STRUCT_MEMBER (gboolean, object, key->ref_offset))
        g_string_append (out, "auto");
      else
        append_cidr6 (out, FIELD (const CloudRunSpecCidr6, object, key));
      return TRUE;
    case CLOUDRUN_KEY_CIDR_ANY:
      {
        const CloudRunSpecCidrAny *r = FIELD (const CloudRunSpecCidrAny,
                                              object, key);
        if (r->v6)
          append_cidr6 (out, &r->cidr6);
        else
          append_cidr4 (out, &r->cidr);
        return TRUE;
      }
    case CLOUDRUN_KEY_CIDR_LIST_ANY:
      {
        const GArray *v4 = *FIELD (GArray *const, object, key);
        const GArray *v6 = G_STRUCT_MEMBER (GArray *, object,
                                            key->ref_offset);
        for (guint i = 0; v4 && i < v4->len; i++)
          {
            g_string_append (out, i ? ";" : "");
            append_cidr4 (out, &g_array_index (v4, CloudRunSpecCidr, i));
          }
        for (guint i = 0; v6 && i < v6->len; i++)
          {
            g_string_append (out, i ? ";" : "");
            append_cidr6 (out, &g_array_index (v6, CloudRunSpecCidr6, i));
          }
        return TRUE;
      }
    default:
      return FALSE;
    }
}
