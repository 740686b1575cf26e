#!/bin/sh
# explain finishes the story and says what would change it: after the
# verdict, what the caller lived through (the HTTP status and when, or how
# long it waited before giving up, and how often its TCP sent again); then the single setting changes that
# change the request's fate, each found by re-simulating (PGA on for the
# subnet that dropped it; ingress = all for a refused internet client),
# with the fate each gives; --no-what-if leaves that part out.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S05=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
S12=$top_srcdir/scenarios/12-internet-client-refused-by-internal.ini
plan 9

"$NETSIM" explain "$S05" --traffic call-backend > "$TMP/05" 2> "$TMP/err"
check "explain exits 0" [ $? -eq 0 ]
grep -q "^    the caller: no HTTP answer; it gave up after 3.00s$" "$TMP/05"
check "a dropped request: the caller gave up after its timeout" [ $? -eq 0 ] \
  || diag_file "$TMP/05"
grep -q "^    its TCP sent [1-9][0-9]* segment(s) again on the way$" "$TMP/05"
check "a dropped request: its SYN was sent again before the caller gave up" [ $? -eq 0 ]
grep -q "^what would change it, one setting at a time ([0-9]* re-simulated):" "$TMP/05"
check "the what-if part says how many changes were re-simulated" [ $? -eq 0 ]
grep -q "^  --set 'subnet run-subnet.private-google-access=true' *-> delivered, HTTP 200, classified internal$" "$TMP/05"
check "PGA on for the subnet makes it delivered and internal" [ $? -eq 0 ]

"$NETSIM" explain "$S12" --traffic alice-calls-backend > "$TMP/12" 2> "$TMP/err"
grep -q "^    the caller: HTTP 404 after " "$TMP/12"
check "a refused request: the caller got the 404, and when" [ $? -eq 0 ] \
  || diag_file "$TMP/12"
grep -q "^  --set 'service backend.ingress=all' *-> delivered, HTTP 200, classified external$" "$TMP/12"
check "ingress = all lets the internet client in (still external)" [ $? -eq 0 ]

"$NETSIM" explain "$S05" --traffic call-backend --no-what-if > "$TMP/no" 2>&1
check "--no-what-if leaves the what-if part out" \
  test "$(grep -c 'what would change' "$TMP/no")" -eq 0
S40=$top_srcdir/scenarios/40-cloud-tasks-in-a-perimeter-needs-a-token.ini
"$NETSIM" explain "$S40" --traffic task-without-token --no-what-if \
  > "$TMP/40" 2> "$TMP/err"
grep -q "^    the caller: no HTTP request; the product refused it before any packet left$" "$TMP/40" \
  && ! grep -q "gave up after" "$TMP/40"
check "a task Cloud Tasks refuses: no request left, not 'gave up after 0ns'" [ $? -eq 0 ] \
  || diag_file "$TMP/40"
finish
