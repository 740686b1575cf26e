/* Scenario units: exact decimal parsing of times, rates, bandwidths and
 * sizes, and the shortest exact text form of a time.
 *
 * Called by models/format/keys.c when it reads a scenario value, and by whoever
 * prints a time for people (reports, explanations).
 *
 * Grammar (docs/scenario-format.md, "Values and units"):
 * DIGITS [ "." DIGITS ] UNIT with no
 * space, no sign, no exponent. The number is converted exactly, without
 * floating point: the integer part is multiplied by the unit, and the
 * fraction is divided down digit by digit (Horner's rule from the last
 * digit), so any non-zero remainder means the value is finer than the
 * smallest unit (SIM_UNITS_FRACTION). Every multiplication and addition is
 * checked for overflow. Rates are the one kind returned as a double; their
 * text is validated by the same grammar before conversion. */
#include "sim/units.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *name;             /* as written after the number */
  uint64_t factor;              /* value of one unit in the base unit */
} Unit;

static const Unit time_units[] = {
  { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
  { "s", 1000000000 }, { "m", 60000000000 }, { NULL, 0 },
};

static const Unit bandwidth_units[] = {
  { "bps", 1 }, { "kbps", 1000 }, { "Mbps", 1000000 },
  { "Gbps", 1000000000 }, { NULL, 0 },
};

static const Unit size_units[] = {
  { "B", 1 }, { "KB", 1000 }, { "KiB", 1024 }, { "MB", 1000000 },
  { "MiB", 1048576 }, { "GB", 1000000000 }, { "GiB", 1073741824 },
  { "TB", 1000000000000 }, { "TiB", 1099511627776 }, { NULL, 0 },
};

/* Rates: events per unit of time; the factor is that time in ns. */
static const Unit rate_units[] = {
  { "/s", 1000000000 }, { "/ms", 1000000 }, { "/m", 60000000000 },
  { NULL, 0 },
};

/* A decimal number split into its parts; pointers into the text. */
typedef struct {
  const char *int_digits;       /* first digit of the integer part */
  size_t int_len;               /* number of integer digits (>= 1) */
  const char *frac_digits;      /* first fraction digit, or NULL */
  size_t frac_len;              /* number of fraction digits */
  const char *unit;             /* first byte after the number */
} Number;

static bool
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Splits text into number and unit text. Reports EMPTY, NEGATIVE and
 * BAD_NUMBER (no digits, a dot without digits, an exponent or digits
 * inside the unit). */
static SimUnitsError
split_number (const char *text, Number *n)
{
  const char *p = text;

  if (text == NULL || *text == '\0')
    return SIM_UNITS_EMPTY;
  if (*p == '-')
    return is_digit (p[1]) || p[1] == '.' ? SIM_UNITS_NEGATIVE
                                           : SIM_UNITS_BAD_NUMBER;
  memset (n, 0, sizeof *n);
  n->int_digits = p;
  while (is_digit (*p))
    p++;
  n->int_len = (size_t) (p - text);
  if (n->int_len == 0)
    return SIM_UNITS_BAD_NUMBER;
  if (*p == '.')
    {
      p++;
      n->frac_digits = p;
      while (is_digit (*p))
        p++;
      n->frac_len = (size_t) (p - n->frac_digits);
      if (n->frac_len == 0)
        return SIM_UNITS_BAD_NUMBER;
    }
  n->unit = p;
  /* "1e3s", "0x10s", "1.2.3s": the number goes on past what we read. */
  for (const char *u = p; *u != '\0'; u++)
    if (is_digit (*u) || *u == '.')
      return SIM_UNITS_BAD_NUMBER;
  if (*p == '\0')
    return SIM_UNITS_NO_UNIT;
  return SIM_UNITS_OK;
}

static const Unit *
find_unit (const Unit *units, const char *name)
{
  for (const Unit *u = units; u->name != NULL; u++)
    if (strcmp (u->name, name) == 0)
      return u;
  return NULL;
}

/* n * factor, exactly, into *out; OVERFLOW or FRACTION otherwise. */
static SimUnitsError
scale_exact (const Number *n, uint64_t factor, uint64_t *out)
{
  uint64_t whole = 0, frac = 0, result;

  for (size_t i = 0; i < n->int_len; i++)
    {
      uint64_t digit = (uint64_t) (n->int_digits[i] - '0');
      if (whole > (UINT64_MAX - digit) / 10)
        return SIM_UNITS_OVERFLOW;
      whole = whole * 10 + digit;
    }
  /* Horner from the last fraction digit: frac stays below factor, so
   * digit * factor + frac stays below 10 * factor (no overflow for the
   * factors above). A remainder can never cancel out later. */
  for (size_t i = n->frac_len; i-- > 0;)
    {
      uint64_t t = (uint64_t) (n->frac_digits[i] - '0') * factor + frac;
      if (t % 10 != 0)
        return SIM_UNITS_FRACTION;
      frac = t / 10;
    }
  if (whole != 0 && factor > UINT64_MAX / whole)
    return SIM_UNITS_OVERFLOW;
  result = whole * factor;
  if (result > UINT64_MAX - frac)
    return SIM_UNITS_OVERFLOW;
  *out = result + frac;
  return SIM_UNITS_OK;
}

/* Common path of the exact kinds: split, find the unit, scale. */
static SimUnitsError
parse_exact (const char *text, const Unit *units, uint64_t *out)
{
  Number n;
  const Unit *unit;
  SimUnitsError e = split_number (text, &n);

  if (e != SIM_UNITS_OK)
    return e;
  unit = find_unit (units, n.unit);
  if (unit == NULL)
    return SIM_UNITS_BAD_UNIT;
  return scale_exact (&n, unit->factor, out);
}

SimUnitsError
sim_units_parse_time (const char *text, SimTime *out)
{
  uint64_t ns;
  SimUnitsError e = parse_exact (text, time_units, &ns);

  if (e != SIM_UNITS_OK)
    return e;
  if (ns > (uint64_t) SIM_TIME_MAX)
    return SIM_UNITS_OVERFLOW;
  *out = (SimTime) ns;
  return SIM_UNITS_OK;
}

SimUnitsError
sim_units_parse_bandwidth (const char *text, uint64_t *bps)
{
  return parse_exact (text, bandwidth_units, bps);
}

SimUnitsError
sim_units_parse_size (const char *text, uint64_t *bytes)
{
  return parse_exact (text, size_units, bytes);
}

SimUnitsError
sim_units_parse_rate (const char *text, double *per_second)
{
  Number n;
  const Unit *unit;
  double count;
  SimUnitsError e = split_number (text, &n);

  if (e != SIM_UNITS_OK)
    return e;
  unit = find_unit (rate_units, n.unit);
  if (unit == NULL)
    return SIM_UNITS_BAD_UNIT;
  /* The text before the unit is a validated plain decimal, and strtod
   * stops at the '/' that starts every rate unit. */
  count = strtod (text, NULL);
  if (!isfinite (count))
    return SIM_UNITS_OVERFLOW;
  *per_second = count * 1e9 / (double) unit->factor;
  if (!isfinite (*per_second))
    return SIM_UNITS_OVERFLOW;
  return SIM_UNITS_OK;
}

const char *
sim_units_expected (const char *kind)
{
  if (kind == NULL)
    return "a number with a unit";
  if (strcmp (kind, "time") == 0)
    return "a time with a unit, such as 250ms or 1.5s";
  if (strcmp (kind, "rate") == 0)
    return "a rate such as 100/s, 5/ms or 30/m";
  if (strcmp (kind, "bandwidth") == 0)
    return "a bandwidth with a unit, such as 100Mbps or 1.5Gbps";
  if (strcmp (kind, "size") == 0)
    return "a size with a unit, such as 512B, 1KiB or 1.5MB";
  return "a number with a unit";
}

const char *
sim_units_error_string (SimUnitsError error)
{
  switch (error)
    {
    case SIM_UNITS_OK: return "ok";
    case SIM_UNITS_EMPTY: return "nothing written";
    case SIM_UNITS_NO_UNIT: return "a number without a unit";
    case SIM_UNITS_BAD_UNIT: return "a unit not of this kind";
    case SIM_UNITS_BAD_NUMBER: return "not a plain decimal number";
    case SIM_UNITS_NEGATIVE: return "negative";
    case SIM_UNITS_OVERFLOW: return "too large";
    case SIM_UNITS_FRACTION: return "finer than the smallest unit";
    }
  return "unknown error";
}

/* magnitude / factor as "I" or "I.F" (trailing zeros cut) into buf;
 * false when the magnitude is below one unit. */
static bool
format_in_unit (uint64_t magnitude, const Unit *unit, char *buf, size_t size)
{
  uint64_t whole = magnitude / unit->factor;
  uint64_t rest = magnitude % unit->factor;
  int digits = 0;

  if (whole == 0)
    return false;
  if (rest == 0)
    {
      snprintf (buf, size, "%llu%s", (unsigned long long) whole, unit->name);
      return true;
    }
  /* The factors are 10^k (k <= 9) or 6 * 10^10; a rest that is not a
   * finite decimal fraction of the factor cannot occur for 10^k, and for
   * minutes we simply do not offer the form. */
  for (uint64_t f = unit->factor; f > 1; f /= 10)
    {
      if (f % 10 != 0)
        return false;
      digits++;
    }
  while (rest % 10 == 0)
    {
      rest /= 10;
      digits--;
    }
  snprintf (buf, size, "%llu.%0*llu%s", (unsigned long long) whole, digits,
            (unsigned long long) rest, unit->name);
  return true;
}

char *
sim_units_format_time (SimTime t, char *buf)
{
  uint64_t magnitude = t < 0 ? (uint64_t) 0 - (uint64_t) t : (uint64_t) t;
  const char *sign = t < 0 ? "-" : "";
  char best[32] = "", candidate[32];
  bool best_whole = false;

  if (t == 0)
    {
      strcpy (buf, "0s");
      return buf;
    }
  /* Shortest form; on a tie the one without a fraction, then the
   * smaller unit (150s rather than 2.5m, 1250us rather than 1.25ms). */
  for (const Unit *u = time_units; u->name != NULL; u++)
    {
      bool whole;
      if (!format_in_unit (magnitude, u, candidate, sizeof candidate))
        continue;
      whole = strchr (candidate, '.') == NULL;
      if (best[0] == '\0' || strlen (candidate) < strlen (best)
          || (strlen (candidate) == strlen (best) && whole && !best_whole))
        {
          strcpy (best, candidate);
          best_whole = whole;
        }
    }
  /* best holds at most 20 digits, a dot and a unit: 31 bytes fit. */
  strcpy (buf, sign);
  strcat (buf, best);
  return buf;
}
