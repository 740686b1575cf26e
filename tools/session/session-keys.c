/* The documented boundaries of every key, for property tests: each key of
 * each kind of the key tables (models/format/keys.h) with the values at
 * its bounds, and those one past them, which a load must refuse.
 *
 * The bounds come from the tables themselves (an INT's min and max, a
 * SIZE's max, an ENUM's choices) and from what docs/scenario-format.md
 * says of each type (times at most 43200m, fractions from 0 to 1, project
 * numbers of 12 digits, ...), so a bound changed in a table is followed
 * here. Called by tests/session/test-key-boundaries.c. */
#include "tools/session/cloudrun-netsim.h"

#include <stdarg.h>

#include "models/format/keys.h"
#include "sim/time.h"

typedef struct {
  CloudRunKeyBoundaryFn fn;
  gpointer user;
  const char *kind;
  const char *key;
} Emit;

static void
emit (const Emit *e, gboolean refused, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
emit (const Emit *e, gboolean refused, const char *format, ...)
{
  va_list ap;
  g_autofree char *value = NULL;

  va_start (ap, format);
  value = g_strdup_vprintf (format, ap);
  va_end (ap);
  e->fn (e->kind, e->key, value, refused, e->user);
}

/* A time key's bounds: 0 and CLOUDRUN_TIME_KEY_MAX, and 1ns past both. */
static void
time_bounds (const Emit *e, const char *prefix)
{
  emit (e, FALSE, "%s0ns", prefix);
  emit (e, FALSE, "%s%" G_GINT64_FORMAT "ns", prefix,
        (gint64) CLOUDRUN_TIME_KEY_MAX);
  emit (e, FALSE, "%s43200m", prefix);
  emit (e, TRUE, "%s-1ns", prefix);
  emit (e, TRUE, "%s%" G_GINT64_FORMAT "ns", prefix,
        (gint64) CLOUDRUN_TIME_KEY_MAX + 1);
  emit (e, TRUE, "%s43201m", prefix);
}

static void
key_bounds (const Emit *e, const CloudRunKey *key)
{
  switch (key->type)
    {
    case CLOUDRUN_KEY_INT:
      emit (e, FALSE, "%" G_GINT64_FORMAT, key->min);
      emit (e, FALSE, "%" G_GINT64_FORMAT, key->max);
      if (key->min > G_MININT64)
        emit (e, TRUE, "%" G_GINT64_FORMAT, key->min - 1);
      if (key->max < G_MAXINT64)
        emit (e, TRUE, "%" G_GINT64_FORMAT, key->max + 1);
      emit (e, TRUE, "1.5");
      break;
    case CLOUDRUN_KEY_UINT64:
      emit (e, FALSE, "0");
      emit (e, FALSE, "18446744073709551615");
      emit (e, TRUE, "-1");
      emit (e, TRUE, "18446744073709551616");
      break;
    case CLOUDRUN_KEY_BOOL:
      emit (e, FALSE, "true");
      emit (e, FALSE, "false");
      emit (e, TRUE, "ture");
      emit (e, TRUE, "%s", "");
      break;
    case CLOUDRUN_KEY_TIME:
      time_bounds (e, "");
      break;
    case CLOUDRUN_KEY_DELAY:
      time_bounds (e, "");
      time_bounds (e, "exp:");
      emit (e, TRUE, "normal:1ms");
      emit (e, TRUE, "lognormal:2ms,1ms");
      break;
    case CLOUDRUN_KEY_SIZE:
      emit (e, FALSE, "0B");
      if (key->max > 0)
        {
          emit (e, FALSE, "%" G_GINT64_FORMAT "MiB", key->max >> 20);
          emit (e, TRUE, "%" G_GINT64_FORMAT "B", key->max + 1);
        }
      else
        emit (e, FALSE, "18446744073709551615B");
      emit (e, TRUE, "-1B");
      emit (e, TRUE, "18446744073709551616B");
      break;
    case CLOUDRUN_KEY_RATE:
      emit (e, FALSE, "0/s");
      emit (e, FALSE, "1/m");
      emit (e, FALSE, "1000000000/ms");
      emit (e, TRUE, "-1/s");
      emit (e, TRUE, "1s");
      break;
    case CLOUDRUN_KEY_BANDWIDTH:
      emit (e, FALSE, "0bps");
      emit (e, FALSE, "1bps");
      emit (e, FALSE, "18446744073709551615bps");
      emit (e, TRUE, "-1bps");
      emit (e, TRUE, "18446744073709551616bps");
      break;
    case CLOUDRUN_KEY_FRACTION:
      emit (e, FALSE, "0");
      emit (e, FALSE, "1");
      emit (e, TRUE, "1.0001");
      emit (e, TRUE, "-0.1");
      break;
    case CLOUDRUN_KEY_ENUM: case CLOUDRUN_KEY_ENUM_LIST:
      for (guint i = 0; key->choices[i] != NULL; i++)
        emit (e, FALSE, "%s", key->choices[i]);
      emit (e, TRUE, "%sx", key->choices[0]);
      emit (e, key->type == CLOUDRUN_KEY_ENUM
               || (key->flags & CLOUDRUN_KEY_REQUIRED), "%s", "");
      break;
    case CLOUDRUN_KEY_IPV4:
      emit (e, FALSE, "0.0.0.0");
      emit (e, FALSE, "255.255.255.255");
      emit (e, TRUE, "256.0.0.1");
      emit (e, TRUE, "10.0.0");
      emit (e, TRUE, "%s", "");
      break;
    case CLOUDRUN_KEY_CIDR: case CLOUDRUN_KEY_CIDR_LIST:
      emit (e, FALSE, "0.0.0.0/0");
      emit (e, FALSE, "10.0.0.0/32");
      emit (e, TRUE, "10.0.0.0/33");
      emit (e, TRUE, "10.0.0.0");
      /* An empty list is a value, except where the key is required. */
      emit (e, key->type == CLOUDRUN_KEY_CIDR
               || (key->flags & CLOUDRUN_KEY_REQUIRED), "%s", "");
      break;
    case CLOUDRUN_KEY_ADDRESS_LIST:
      emit (e, FALSE, "10.0.0.2");
      emit (e, FALSE, "10.0.0.2;192.168.0.53");
      emit (e, TRUE, "10.0.0.0/24");
      emit (e, TRUE, "256.0.0.1");
      emit (e, key->flags & CLOUDRUN_KEY_REQUIRED, "%s", "");
      break;
    case CLOUDRUN_KEY_ADDRESS_OR_CIDR:
      emit (e, FALSE, "0.0.0.0/0");
      emit (e, FALSE, "255.255.255.255");
      emit (e, TRUE, "10.0.0.0/33");
      emit (e, TRUE, "256.0.0.1");
      emit (e, TRUE, "%s", "");
      break;
    case CLOUDRUN_KEY_TIMESTAMP:
      emit (e, FALSE, "1970-01-01T00:00:00Z");
      emit (e, FALSE, "2099-12-31T23:59:59Z");
      emit (e, TRUE, "2100-01-01T00:00:00Z");
      emit (e, TRUE, "2026-02-29T00:00:00Z");
      emit (e, TRUE, "2026-01-01T00:00:60Z");
      emit (e, TRUE, "2026-01-01 00:00:00Z");
      emit (e, TRUE, "2026-01-01T00:00:00+01:00");
      emit (e, TRUE, "%s", "");
      break;
    case CLOUDRUN_KEY_PROJECT_NUMBER:
      emit (e, FALSE, "000000000000");
      emit (e, FALSE, "999999999999");
      emit (e, TRUE, "12345678901");
      emit (e, TRUE, "1234567890123");
      break;
    case CLOUDRUN_KEY_REGION:
      emit (e, FALSE, "us-central1");
      emit (e, TRUE, "us-central");
      emit (e, TRUE, "%s", "");
      break;
    case CLOUDRUN_KEY_STRING:
      emit (e, (key->flags & CLOUDRUN_KEY_REQUIRED) != 0, "%s", "");
      emit (e, FALSE, "%0*d", 4096, 0);
      emit (e, TRUE, "a\001b");
      break;
    default:
      /* Names, addresses, URLs and the other compound values: empty,
       * long and malformed; a refusal must name the key. */
      emit (e, (key->flags & CLOUDRUN_KEY_REQUIRED)
               || !cloudrun_key_type_takes_empty (key->type), "%s", "");
      emit (e, FALSE, "%0*d", 300, 0);
      emit (e, FALSE, "Bad_Name%%");
      break;
    }
}

void
cloudrun_key_boundaries (CloudRunKeyBoundaryFn fn, gpointer user)
{
  for (CloudRunKind k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info (k);

      for (guint i = 0; i < info->n_keys; i++)
        {
          Emit e = { fn, user, info->name, info->keys[i].name };
          key_bounds (&e, &info->keys[i]);
        }
    }
}
