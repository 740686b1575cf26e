#!/bin/sh
# run --capture chooses the captures (all, pcapng, pcap, none), and an
# output directory shows one run: captures an earlier run wrote and this
# one did not are removed. Before simulating, run estimates the capture
# and refuses one past --max-output (default 2 GiB), naming the estimate,
# before DIR is even made; --capture=none needs no room for captures. The
# bound holds for every output as the run goes, whatever the estimate
# said: requests.jsonl past it stops the run, keeping nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S=$top_srcdir/scenarios/01-internet-to-public-service.ini
D=$TMP/out
plan 11

"$NETSIM" run "$S" -q -o "$D" >/dev/null 2>"$TMP/err"
check "a full run writes trace.pcapng and pcap/" \
  test -s "$D/trace.pcapng" -a -d "$D/pcap"

"$NETSIM" run "$S" -q -o "$D" --capture=pcapng >/dev/null 2>"$TMP/err"
check "--capture=pcapng: trace.pcapng only, the earlier pcap/ removed" \
  test -s "$D/trace.pcapng" -a ! -e "$D/pcap" -a -s "$D/report.json"

"$NETSIM" run "$S" -q -o "$D" --capture=pcap >/dev/null 2>"$TMP/err"
n=$(ls "$D/pcap" 2>/dev/null | grep -c '\.pcap$')
check "--capture=pcap: pcap/ only ($n files), the earlier trace.pcapng removed" \
  test "$n" -gt 0 -a ! -e "$D/trace.pcapng"

"$NETSIM" run "$S" -q -o "$D" --capture=none >/dev/null 2>"$TMP/err"
check "--capture=none: reports only" \
  test ! -e "$D/trace.pcapng" -a ! -e "$D/pcap" -a -s "$D/report.txt"

"$NETSIM" run "$S" -q -o "$TMP/big" --max-output 1KiB >/dev/null 2>"$TMP/err"
st=$?
check "a capture estimated past --max-output is refused with exit 2" [ "$st" -eq 2 ]
grep -q "the capture would take about .* more than the 1.0 KiB allowed; pass --max-output SIZE" "$TMP/err"
check "the refusal names the estimate and the ways out" [ $? -eq 0 ] \
  || diag_file "$TMP/err"
check "the refused run made nothing (no DIR)" test ! -e "$TMP/big"

"$NETSIM" run "$S" -q -o "$TMP/big" --max-output 1KiB --capture=none \
  >/dev/null 2>"$TMP/err"
check "--capture=none: no capture to estimate; 3 requests fit 1KiB" [ $? -eq 0 ]

"$NETSIM" run "$S" -q -o "$TMP/jsonl" --max-output 4KiB --capture=none \
  --set 'traffic alice-calls-hello.count=100' \
  --set 'traffic alice-calls-hello.interval=100ms' >/dev/null 2>"$TMP/err"
st=$?
grep -q "the outputs passed the 4.0 KiB allowed at simulated time .*, so the run stopped and kept nothing" "$TMP/err"
said=$?
check "outputs past --max-output during the run: exit 2, said so, no DIR" \
  [ "$st" -eq 2 -a "$said" -eq 0 -a ! -e "$TMP/jsonl" ] \
  || diag_file "$TMP/err"

# Ten million requests a millisecond apart: about 60,000 start within the
# 60 s duration, past the default limit.
"$NETSIM" run "$S" -q -o "$TMP/huge" \
  --set 'traffic alice-calls-hello.count=10000000' \
  --set 'traffic alice-calls-hello.interval=1ms' >/dev/null 2>"$TMP/err"
st=$?
grep -q "more than the 2.0 GiB allowed" "$TMP/err"
check "the default limit refuses a run that would write gigabytes" \
  [ "$st" -eq 2 -a $? -eq 0 ]

"$NETSIM" run "$S" -q -o "$TMP/x" --capture=some >/dev/null 2>"$TMP/err"
st=$?
"$NETSIM" run "$S" -q -o "$TMP/x" --max-output=lots >/dev/null 2>>"$TMP/err"
check "bad --capture and --max-output values are usage errors" \
  [ "$st" -eq 2 -a $? -eq 2 ]
finish
