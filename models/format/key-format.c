/* A loaded value back as text, in the file's own syntax: what reports
 * print for the settings a run used (the assumptions in force). The
 * text parses to the same value; it is the shortest form ("1m" for
 * "60s"), not always the form the file wrote. */
#include "models/format/scenario-private.h"

#include <inttypes.h>

#include "sim/units.h"
#include "sim/wire.h"

static void
format_cidr (GString *out, const CloudRunSpecCidr *cidr)
{
  g_autofree char *text = cloudrun_cidr_text (cidr);

  g_string_append (out, text);
}

gboolean
cloudrun_key_format (const CloudRunKey *key, const void *object,
                     GString *out)
{
  char buf[32];

  switch (key->type)
    {
    case CLOUDRUN_KEY_STRING: case CLOUDRUN_KEY_NAME:
    case CLOUDRUN_KEY_REGION: case CLOUDRUN_KEY_DNS_NAME:
    case CLOUDRUN_KEY_HOSTNAME: case CLOUDRUN_KEY_METHOD:
    case CLOUDRUN_KEY_REGION_CODE:
      {
        const char *text = *FIELD (char *const, object, key);

        g_string_append (out, text ? text : "");
        return TRUE;
      }
    case CLOUDRUN_KEY_INT:
      g_string_append_printf (out, "%" PRId64,
                              *FIELD (const int64_t, object, key));
      return TRUE;
    case CLOUDRUN_KEY_UINT64:
      g_string_append_printf (out, "%" PRIu64,
                              *FIELD (const uint64_t, object, key));
      return TRUE;
    case CLOUDRUN_KEY_BOOL:
      g_string_append (out, *FIELD (const gboolean, object, key)
                       ? "true" : "false");
      return TRUE;
    case CLOUDRUN_KEY_TIME:
      g_string_append (out, sim_units_format_time (
                              *FIELD (const SimTime, object, key), buf));
      return TRUE;
    case CLOUDRUN_KEY_ENUM:
      {
        int value = *FIELD (const int, object, key);

        for (int i = 0; key->choices[i]; i++)
          if ((key->values ? key->values[i] : key->first + i) == value)
            {
              g_string_append (out, key->choices[i]);
              return TRUE;
            }
        return FALSE;
      }
    case CLOUDRUN_KEY_CIDR:
      format_cidr (out, FIELD (const CloudRunSpecCidr, object, key));
      return TRUE;
    case CLOUDRUN_KEY_ADDRESS_OR_CIDR:
      {
        const CloudRunSpecCidr *r = FIELD (const CloudRunSpecCidr, object,
                                           key);
        if (r->len == 32)
          g_string_append (out, sim_ipv4_to_string (r->prefix, buf));
        else
          format_cidr (out, r);
        return TRUE;
      }
    case CLOUDRUN_KEY_ADDRESS_LIST:
      {
        const GArray *list = *FIELD (GArray *const, object, key);

        for (guint i = 0; list && i < list->len; i++)
          {
            if (i)
              g_string_append_c (out, ';');
            g_string_append (out, sim_ipv4_to_string (
                                    g_array_index (list, uint32_t, i), buf));
          }
        return TRUE;
      }
    case CLOUDRUN_KEY_CIDR_LIST:
      {
        const GArray *list = *FIELD (GArray *const, object, key);

        for (guint i = 0; list && i < list->len; i++)
          {
            if (i)
              g_string_append_c (out, ';');
            format_cidr (out, &g_array_index (list, CloudRunSpecCidr, i));
          }
        return TRUE;
      }
    default:
      return cloudrun_key_ipv6_format (key, object, out);
    }
}
