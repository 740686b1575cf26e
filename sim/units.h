/* Scenario units (docs/scenario-format.md): time (ns us ms s m), rate (N/s,
 * N/ms, N/m), bandwidth (bps kbps Mbps Gbps, decimal), size (B KB KiB MB
 * MiB GB GiB TB TiB), written without a space. A bare number where a unit
 * is needed is an error. Parsing is exact: decimal fractions are accepted ("1.5s") and
 * converted without floating point where the result is an integer. */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stdint.h>

#include "sim/time.h"

typedef enum {
  SIM_UNITS_OK = 0,
  SIM_UNITS_EMPTY,              /* nothing written */
  SIM_UNITS_NO_UNIT,            /* a bare number */
  SIM_UNITS_BAD_UNIT,           /* a unit not of this kind */
  SIM_UNITS_BAD_NUMBER,         /* not a decimal number */
  SIM_UNITS_NEGATIVE,           /* a minus sign */
  SIM_UNITS_OVERFLOW,           /* does not fit */
  SIM_UNITS_FRACTION,           /* finer than the smallest unit (0.5ns) */
} SimUnitsError;

SimUnitsError sim_units_parse_time (const char *text, SimTime *out);
/* Events per second, as a double (> 0 unless written as 0). */
SimUnitsError sim_units_parse_rate (const char *text, double *per_second);
SimUnitsError sim_units_parse_bandwidth (const char *text, uint64_t *bps);
SimUnitsError sim_units_parse_size (const char *text, uint64_t *bytes);
/* What the kind expects, for messages: "a time such as 250ms or 1.5s". */
const char *sim_units_expected (const char *kind);
const char *sim_units_error_string (SimUnitsError error);
/* Formats a time for people: "250ms", "1.5s", "12us" into buf (>= 32). */
char *sim_units_format_time (SimTime t, char *buf);

#endif
