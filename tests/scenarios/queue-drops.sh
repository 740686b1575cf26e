#!/bin/sh
# Every drop explained: scenario 01 turned into a burst (100 requests 1 us
# apart, 256 KiB answers) overflows link queues of 1000 packets. Each frame
# a full queue drops is a DROP LINK_QUEUE_FULL step of its request and a
# frame comment in trace.pcapng where it happened; report.txt and
# report.json count the drops per link direction; TCP recovers, so every
# request is still delivered, and the run ends soon after the last one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

SCENARIO=$top_srcdir/scenarios/01-internet-to-public-service.ini
OUT=$TMP/out

"$NETSIM" run "$SCENARIO" -q -o "$OUT" \
  --set 'traffic alice-calls-hello.count=100' \
  --set 'traffic alice-calls-hello.interval=1us' \
  --set 'service hello.response-size=256KiB' > "$TMP/run.out" 2> "$TMP/run.err" \
  || { diag_file "$TMP/run.err"; bail "the burst did not run"; }
plan 5

n=$(grep -c '"queue_full_packets" *: *[1-9]' "$OUT/report.json")
check "report.json counts drops on the links that dropped ($n)" [ "$n" -gt 0 ]
grep -q '^  internet/alice -> alice: [1-9][0-9]* (packet limit)' "$OUT/report.txt"
check "report.txt counts the drops toward the client's access link" [ $? -eq 0 ]

c=$(ts_count "$OUT/trace.pcapng" \
      'frame.comment contains "DROP LINK_QUEUE_FULL at internet: the queue of internet/alice toward alice is full"') \
  || { diag_tshark_err; c=0; }
check "trace.pcapng shows dropped frames with their cause ($c)" [ "$c" -gt 0 ]

grep -q '"delivered" *: *100' "$OUT/report.json"
check "TCP recovers every dropped segment: 100 delivered" [ $? -eq 0 ]

# The run ends when its last request has ended plus the time its
# connections need to close, not at duration (60 s).
ended=$(sed -n 's/^  "\(ended_ns\|last_request_end_ns\)" *: *\([0-9]*\),$/\2/p' \
          "$OUT/report.json" | tr '\n' ' ')
set -- $ended
if [ $# -eq 2 ] && [ "$1" -ge "$2" ] && [ $(( $1 - $2 )) -lt 1000000000 ]; then
  ok "the run ends $(( ($1 - $2) / 1000000 )) ms after its last request"
else
  not_ok "the run ends within 1 s of its last request (ended, last: $ended)"
fi
finish
