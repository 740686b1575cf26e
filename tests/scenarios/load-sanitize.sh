#!/bin/sh
# The load scenarios under load, at a scale a sanitizer build runs in
# seconds (tools/test runs this with NETSIM set to its ASan + UBSan
# binary): the burst and pending queue (34), Cloud NAT ports (35), Direct
# VPC addresses (36) and connectors that queue and scale out (37), each
# pushed past what it was written for with --set, plus a connector
# overloaded until its queues drop (VPC_CONNECTOR_QUEUE_FULL). Each run
# (-q, --capture=none, --no-requests) must exit 0 or 1 (1: an [expect]
# the overload broke is not a failure here), with no GLib CRITICAL or
# WARNING and no sanitizer report on stderr; with full capture, one run
# must write a trace.pcapng. One TAP line per run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S=$top_srcdir/scenarios
# NAME|FILE|--set arguments, separated by ';'
runs="burst-10x|34-burst-cold-warm-and-the-pending-queue.ini|traffic burst-to-cold.count=500;traffic burst-to-capped.count=500
nat-2x|35-cloud-nat-ports-run-out.ini|traffic app-burst.count=200;traffic big-app-burst.count=200
subnet-3x|36-direct-vpc-subnet-runs-out.ini|traffic burst-to-tiny.count=90
connector-drops|37-connector-machine-types-under-load.ini|traffic micro.rate=1200/s;traffic micro.count=600;traffic standard.count=50
connector-max|37-connector-machine-types-under-load.ini|connector micro.max-instances=3;traffic micro.rate=1500/s;traffic micro.count=600;traffic standard.count=10"

n=$(printf '%s\n' "$runs" | grep -c .)
plan $((n + 1))

clean_stderr () {   # $1: file; true when it holds no sanitizer or GLib report
  ! grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|CRITICAL|GLib-WARNING|WARNING \*\*' "$1"
}

printf '%s\n' "$runs" > "$TMP/runs"
while IFS='|' read -r name file sets; do
  set --
  old_ifs=$IFS; IFS=';'
  for s in $sets; do set -- "$@" --set "$s"; done
  IFS=$old_ifs
  "$NETSIM" run "$S/$file" -o "$TMP/$name" -q --capture=none --no-requests \
    "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
  status=$?
  if { [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; } && clean_stderr "$TMP/$name.err" \
     && [ -s "$TMP/$name/report.json" ]; then
    ok "$name: exit $status, a report, a clean stderr"
  else
    not_ok "$name: exit $status"
    diag_file "$TMP/$name.err" 20
  fi
done < "$TMP/runs"

# The overloaded connector drops, says so, and its capture is whole.
"$NETSIM" run "$S/37-connector-machine-types-under-load.ini" -o "$TMP/cap" -q \
  --set 'traffic micro.rate=1200/s' --set 'traffic micro.count=300' \
  --set 'traffic standard.count=10' > "$TMP/cap.out" 2> "$TMP/cap.err"
status=$?
if [ "$status" -le 1 ] && clean_stderr "$TMP/cap.err" \
   && [ -s "$TMP/cap/trace.pcapng" ]; then
  ok "connector-drops with capture: exit $status, trace.pcapng written"
else
  not_ok "connector-drops with capture: exit $status"
  diag_file "$TMP/cap.err" 20
fi
finish
