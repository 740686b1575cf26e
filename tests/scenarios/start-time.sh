#!/bin/sh
# [scenario] start-time (issue 22, item 12): the captures' absolute
# timestamps start at the scenario's start time, by default
# 2026-01-01T00:00:00Z (not 1970), in trace.pcapng and in the per-link
# pcaps alike; --set moves them; a bad value is refused at load, naming
# the file, group, key, what is expected and what was found (exit 2).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

S=$top_srcdir/scenarios/01-internet-to-public-service.ini
plan 6

# first_second FILE: the whole seconds of FILE's first frame.
first_second () {
  ts -r "$1" -c 1 -T fields -e frame.time_epoch 2> "$TMP/tshark.err" \
    | sed -n '1s/\..*//p'
}

"$NETSIM" run "$S" -q -o "$TMP/a" > /dev/null 2> "$TMP/err" \
  || { diag_file "$TMP/err"; bail "scenario 01 did not run"; }
t=$(first_second "$TMP/a/trace.pcapng")
# 2026-01-01T00:00:00Z is 1767225600; 01's first frame comes within 1 s.
check "trace.pcapng starts at 2026-01-01T00:00:00Z by default (got ${t:-?})" \
  test "${t:-0}" -eq 1767225600
link=$(ls "$TMP/a/pcap/"*.pcap | sed -n 1p)
t=$(first_second "$link")
check "a per-link pcap starts in 2026 too (got ${t:-?})" \
  test "${t:-0}" -ge 1767225600 -a "${t:-0}" -lt 1767225660

"$NETSIM" run "$S" -q -o "$TMP/b" \
  --set 'scenario.start-time=2030-06-15T12:30:45Z' > /dev/null 2> "$TMP/err" \
  || diag_file "$TMP/err"
t=$(first_second "$TMP/b/trace.pcapng")
check "--set scenario.start-time=2030-06-15T12:30:45Z moves trace.pcapng (got ${t:-?})" \
  test "${t:-0}" -eq 1907757045
t=$(first_second "$TMP/b/pcap/$(basename "$link")")
check "and the per-link pcaps (got ${t:-?})" \
  test "${t:-0}" -ge 1907757045 -a "${t:-0}" -lt 1907757105

"$NETSIM" run "$S" -q -o "$TMP/c" \
  --set 'scenario.start-time=2026-13-01T00:00:00Z' > /dev/null 2> "$TMP/err"
st=$?
if [ "$st" -eq 2 ] \
   && grep -q "01-internet-to-public-service.ini (--set): \[scenario\] start-time: expected a UTC time YYYY-MM-DDTHH:MM:SSZ (RFC 3339) from 1970-01-01T00:00:00Z to 2099-12-31T23:59:59Z, such as 2026-01-01T00:00:00Z, found '2026-13-01T00:00:00Z'" "$TMP/err"
then
  ok "a month 13 is refused at load with exit 2, naming file, group, key, expected and found"
else
  not_ok "a month 13 is refused at load with exit 2 (exit $st)"
  diag_file "$TMP/err"
fi
"$NETSIM" keys scenario > "$TMP/keys" 2>&1
check "keys scenario lists start-time with its default" \
  grep -q '^  start-time = 2026-01-01T00:00:00Z$' "$TMP/keys"
finish
