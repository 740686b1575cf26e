#!/bin/sh
# Load shapes and latency bounds: pattern = burst starts every request at
# start (20 DNS queries leave the client in the same instant, spaced only
# by the access link's serialization), refuses a rate or interval beside
# it, and [expect] latency-p90-below judges the 90th percentile; a
# service-time distribution (exp:100ms) spreads the latencies a fixed one
# keeps together.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

S=$top_srcdir/scenarios/01-internet-to-public-service.ini
T='traffic alice-calls-hello'
plan 7

"$NETSIM" run "$S" -q -o "$TMP/burst" --set "$T.pattern=burst" \
  --set "$T.count=20" --unset "$T.interval" 2> "$TMP/err" \
  || { diag_file "$TMP/err"; bail "the burst did not run"; }
expect_frames "a burst: all 20 DNS queries within the first millisecond" \
  "$TMP/burst/trace.pcapng" \
  'dns.flags.response == 0 && frame.interface_name == "internet/alice" && frame.time_relative < 0.001' \
  -eq 20
grep -q '"delivered" *: *20' "$TMP/burst/report.json"
check "every request of the burst is delivered" [ $? -eq 0 ]

"$NETSIM" check "$S" --set "$T.pattern=burst" > /dev/null 2> "$TMP/err"
st=$?
check "burst with an interval is refused (exit $st), naming the key" \
  [ "$st" -eq 2 ] && grep -q "\[traffic alice-calls-hello\] interval: expected no rate or interval with pattern = burst" "$TMP/err"

"$NETSIM" check "$S" --set "expect alice-calls-hello.latency-p90-below=1ms" \
  > "$TMP/p90.out" 2>&1
st=$?
check "latency-p90-below fails when the p90 is above it (exit $st)" \
  [ "$st" -eq 1 ] && grep -q "FAIL .*latency-p90-below: expected below 1ms, found .* over 3 responses" "$TMP/p90.out"
"$NETSIM" check "$S" --set "expect alice-calls-hello.latency-p90-below=10s" \
  > "$TMP/p90.out" 2>&1
check "latency-p90-below passes when the p90 is below it" \
  grep -q "PASS .*latency-p90-below: expected below 10s" "$TMP/p90.out"
# p50 and p99 of a run, in ns, from report.json.
pcts () {
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["traffic"][0]["latency_ns"]; print(t["p50"], t["p99"])' "$1"
}
# One warm instance: no cold start in the latencies.
warm="service hello.min-instances=1"
"$NETSIM" run "$S" -q -o "$TMP/fixed" --capture=none --set "$T.count=200" \
  --set "$T.interval=50ms" --set "$warm" 2> "$TMP/err"
"$NETSIM" run "$S" -q -o "$TMP/exp" --capture=none --set "$T.count=200" \
  --set "$T.interval=50ms" --set "$warm" \
  --set "service hello.service-time=exp:100ms" 2> "$TMP/err"
set -- $(pcts "$TMP/fixed/report.json") $(pcts "$TMP/exp/report.json")
check "a fixed service time: p99 - p50 under 1 ms ($1, $2)" \
  [ $(( $2 - $1 )) -lt 1000000 ]
check "service-time = exp:100ms spreads latency: p99 - p50 over 250 ms ($3, $4)" \
  [ $(( $4 - $3 )) -gt 250000000 ]
finish
