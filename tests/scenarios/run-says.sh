#!/bin/sh
# Runs say what they did: a traffic that duration cuts is warned about
# before the run (how many requests would start after it, what duration
# would do) and after it (how many ended pending, how many never began);
# a traffic that only may run past it gets the softer warning; a run that
# fits says nothing; check warns the same; the verdict table shows every
# outcome, not only the most frequent; on a terminal, progress shows the
# percentage and an ETA, and in a log a line every few seconds, times
# readable; --capture=trace and links name what they keep;
# a link that carried nothing leaves no pcap.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S=$top_srcdir/scenarios/01-internet-to-public-service.ini
T='traffic alice-calls-hello'
plan 16

"$NETSIM" run "$S" -o "$TMP/cut" --capture=none --set "$T.count=200" \
  --set "$T.interval=1s" > "$TMP/cut.out" 2> "$TMP/cut.err"
grep -q "warning: .*\[traffic alice-calls-hello\]: 139 of its 200 requests would start after \[scenario\] duration (1m) ends the run (the last at 199s); they will be pending. A duration of 209s" "$TMP/cut.err"
check "before the run: how many requests duration cuts, and the duration that fits" [ $? -eq 0 ] \
  || diag_file "$TMP/cut.err"
grep -q "warning: .*duration (1m) ended the run with 140 request(s) pending, 139 of them never begun" "$TMP/cut.err"
check "after the run: how many ended pending, how many never began" [ $? -eq 0 ]
grep -q "^alice-calls-hello  *200  pending 140/200, delivered 60 " "$TMP/cut.out"
check "the verdict table shows every outcome, the most frequent first" [ $? -eq 0 ] \
  || diag_file "$TMP/cut.out"

"$NETSIM" run "$S" -q -o "$TMP/soft" --capture=none --set "$T.count=3" \
  --set "$T.interval=26s" 2> "$TMP/soft.err"
grep -q "its last request starts at 52s and may run to its timeout, past \[scenario\] duration (1m)" "$TMP/soft.err"
check "a traffic that may run past duration gets the softer warning" [ $? -eq 0 ] \
  || diag_file "$TMP/soft.err"

# Issue 27: count times interval past what a run's clock holds (10^7
# times 16m) is said without an overflow.
"$NETSIM" run "$S" -q -o "$TMP/far" --capture=none --set "$T.count=10000000" \
  --set "$T.interval=16m" 2> "$TMP/far.err"
grep -q "9999999 of its 10000000 requests would start after \[scenario\] duration (1m) ends the run (the last beyond the 292 years a run can reach)" "$TMP/far.err"
check "a last start past SimTime's range: warned, no overflow" [ $? -eq 0 ] \
  || diag_file "$TMP/far.err"

"$NETSIM" run "$S" -q -o "$TMP/fits" 2> "$TMP/fits.err"
check "a run that fits says nothing on stderr" [ ! -s "$TMP/fits.err" ] \
  || diag_file "$TMP/fits.err"

"$NETSIM" check -q "$S" --set "$T.count=200" --set "$T.interval=1s" \
  > /dev/null 2> "$TMP/check.err"
check "check warns the same" grep -q "139 of its 200 requests would start after" "$TMP/check.err"

if command -v script > /dev/null; then
  script -qc "'$NETSIM' run '$S' -o '$TMP/tty' --capture=none --set '$T.count=2000' --set '$T.interval=20ms'" \
    "$TMP/typescript" > /dev/null 2>&1
  tr '\r' '\n' < "$TMP/typescript" > "$TMP/progress"
  grep -q "^ *[0-9.]*%  ETA [^ ]*  *simulated .* [0-9]*/2000 requests ended" "$TMP/progress"
  check "on a terminal, progress shows percentage, ETA and requests ended" [ $? -eq 0 ] \
    || diag_file "$TMP/progress"
else
  skip "no script(1) to give the run a terminal"
fi

# Issue 22: in a log (stderr not a terminal), whole lines every few
# seconds of wall time (here every 10 ms), times readable (three
# significant digits, not raw microseconds); a short run says nothing.
CLOUDRUN_NETSIM_PROGRESS_SECONDS=0.01 "$NETSIM" run "$S" -o "$TMP/log" \
  --capture=none --set "$T.count=20000" --set "$T.interval=2ms" \
  --set scenario.duration=61234567us \
  > /dev/null 2> "$TMP/log.err"
lines=$(grep -c "^ *[0-9.]*%  ETA [0-9.]*[a-z]*  *simulated [0-9.]*[a-z]*  *[0-9]*/20000 requests ended  *[0-9.]*M events/s$" "$TMP/log.err")
long=$(sed -n 's/.*simulated \([0-9.]*\)[a-z]* .*/\1/p' "$TMP/log.err" \
       | tr -d . | sed 's/^0*//' | grep -c '....')
cr=$(tr -cd '\r' < "$TMP/log.err" | wc -c)
check "not on a terminal: progress as whole lines ($lines), no carriage return, readable times" \
  [ "$lines" -ge 2 -a "$long" -eq 0 -a "$cr" -eq 0 ] || diag_file "$TMP/log.err"
"$NETSIM" run "$S" -o "$TMP/short" --capture=none > /dev/null 2> "$TMP/short.err"
check "not on a terminal, a run of less than 5 s prints no progress" \
  [ ! -s "$TMP/short.err" ] || diag_file "$TMP/short.err"

# Issue 22: report.txt names each traffic's URL with its own scheme.
"$NETSIM" run "$top_srcdir/scenarios/16-cloud-nat-turns-on-pga.ini" -q \
  -o "$TMP/16" --capture=none 2> "$TMP/err"
schemes=$(grep -c "^traffic call-backend: GET https://backend-\|^traffic call-internet: GET http://203.0.113.50/, " "$TMP/16/report.txt")
check "report.txt: an https traffic reads https://, an http one http://" \
  [ "$schemes" -eq 2 ] || diag_file "$TMP/16/report.txt" 40

"$NETSIM" run "$S" -q -o "$TMP/trace" --capture=trace 2> "$TMP/err"
check "--capture=trace keeps trace.pcapng only" \
  test -s "$TMP/trace/trace.pcapng" -a ! -e "$TMP/trace/pcap"
"$NETSIM" run "$S" -q -o "$TMP/links" --capture=links 2> "$TMP/err"
check "--capture=links keeps pcap/ only" \
  test -d "$TMP/links/pcap" -a ! -e "$TMP/links/trace.pcapng"

"$NETSIM" run "$top_srcdir/scenarios/00-tour.ini" -q -o "$TMP/tour" 2> "$TMP/err"
empty=0
for f in "$TMP/tour/pcap/"*.pcap; do
  [ "$(wc -c < "$f")" -gt 24 ] || { empty=$((empty + 1)); diag "header only: $f"; }
done
check "no per-link pcap of the tour is empty" [ "$empty" -eq 0 ]
# Every link has two interfaces in trace.pcapng, one per end.
ifaces=$(capinfos "$TMP/tour/trace.pcapng" 2>/dev/null \
         | sed -n 's/^Number of interfaces in file: //p')
files=$(ls "$TMP/tour/pcap/" | grep -c '\.pcap$')
check "links that carried nothing left no file ($files files, $((ifaces / 2)) links)" \
  [ "$files" -gt 0 -a "$((files * 2))" -lt "${ifaces:-0}" ]
"$NETSIM" run "$S" -q -o "$TMP/bad" --capture=pcapngx 2> "$TMP/err"
check "an unknown --capture names the choices" \
  grep -q "expected all, trace (trace.pcapng only), links (pcap/ only) or none, found 'pcapngx'" "$TMP/err"
finish
