#!/bin/sh
# explain finishes the story and says what would change it: after the
# verdict, what the caller lived through (the HTTP status and when, or how
# long it waited before giving up, and how often its TCP sent again); then the single setting changes that
# change the request's fate, each found by re-simulating (PGA on for the
# subnet that dropped it; ingress = all for a refused internet client),
# with the fate each gives; --no-what-if leaves that part out.
# The changes are ranked (issue 22, item 9): fixes that deliver first,
# then those that only change the failure; the ones that widen access say
# so. Scenario 34's 429 gets a capacity number first (more instances,
# found by trying the next values); an IAM 403 (14) lists a delivering fix
# first and none that makes it worse among the fixes, the allUsers invoker
# after the safe fix and marked; 02's and 12's ingress = all is marked as
# opening the service to the internet. A tcp:// check (scenario 55) says
# the connection was established, or that none came. A traffic's
# address-selection is tried only for a caller with an IPv6 address: the
# dual-stack caller whose IPv6 SYN the firewall drops is fixed by
# happy-eyeballs; 05's IPv4-only caller is never offered it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S05=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
S12=$top_srcdir/scenarios/12-internet-client-refused-by-internal.ini
plan 22

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

S55=$top_srcdir/scenarios/55-cloud-sql-over-private-services-access.ini
"$NETSIM" explain "$S55" --traffic api-to-db --no-what-if > "$TMP/55" 2> "$TMP/err"
grep -q "^    the caller: TCP connection established after [0-9.]*us; nothing sent (tcp://)$" "$TMP/55"
check "a tcp:// check taken: the caller's connection was established, and when" [ $? -eq 0 ] \
  || diag_file "$TMP/55"
"$NETSIM" explain "$S55" --traffic report-to-db --no-what-if > "$TMP/55" 2> "$TMP/err"
grep -q "^    the caller: no connection; it gave up after 3.00s$" "$TMP/55"
check "a tcp:// check dropped: the caller got no connection" [ $? -eq 0 ] \
  || diag_file "$TMP/55"

"$NETSIM" explain "$S12" --traffic alice-calls-backend > "$TMP/12" 2> "$TMP/err"
grep -q "^    the caller: HTTP 404 after " "$TMP/12"
check "a refused request: the caller got the 404, and when" [ $? -eq 0 ] \
  || diag_file "$TMP/12"
grep -q "^  --set 'service backend.ingress=all' *-> delivered, HTTP 200, classified external (widens access: opens the service to the internet)$" "$TMP/12"
check "ingress = all lets the internet client in (still external), marked as opening it to the internet" [ $? -eq 0 ]

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

# The ranked what-if: the first line after the header is a fix.
first_fix () {
  sed -n '/^what would change it/,$p' "$1" | sed -n 2,3p
}
S34=$top_srcdir/scenarios/34-burst-cold-warm-and-the-pending-queue.ini
"$NETSIM" explain "$S34" --traffic burst-to-capped --request 41 \
  > "$TMP/34" 2> "$TMP/err"
first_fix "$TMP/34" > "$TMP/34.first"
grep -q "^fixes (it is delivered):$" "$TMP/34.first" \
  && grep -q "^  --set 'service capped.max-instances=[0-9]*' *-> delivered, HTTP 200" "$TMP/34.first"
check "34's 429: the first suggestion is more instances, and it delivers" \
  [ $? -eq 0 ] || diag_file "$TMP/34"
grep -q "^not fixes (it still fails, differently):$" "$TMP/34" \
  && sed -n '/^not fixes/,$p' "$TMP/34" | grep -q "ingress=internal'.*-> denied-by-ingress"
check "34's 429: the changes to a 404 come after, as not fixes" [ $? -eq 0 ]
grep -q "ABORT NO_AVAILABLE_INSTANCE at gfe (external): .* (trace.pcapng frame [0-9]*)$" "$TMP/34"
check "34's 429: its ABORT names the cause and the frame" [ $? -eq 0 ]

S36=$top_srcdir/scenarios/36-direct-vpc-subnet-runs-out.ini
"$NETSIM" explain "$S36" --traffic burst-to-tiny --request 19 \
  > "$TMP/36" 2> "$TMP/err"
grep -q "^  --set 'subnet tiny.range=10.0.0.0/27' *-> delivered" "$TMP/36"
check "36's 429: a subnet one prefix bit bigger delivers" [ $? -eq 0 ] \
  || diag_file "$TMP/36"

S35=$top_srcdir/scenarios/35-cloud-nat-ports-run-out.ini
"$NETSIM" explain "$S35" --traffic app-burst --request 65 > "$TMP/35" 2>&1
first_fix "$TMP/35" | grep -q "^  --set 'nat small-gw.min-ports-per-vm=128' *-> delivered, HTTP 200$"
check "35's drop: twice the NAT ports per VM is the first fix" [ $? -eq 0 ] \
  || diag_file "$TMP/35"

S14=$top_srcdir/scenarios/14-iam-invoker-needs-id-token.ini
"$NETSIM" explain "$S14" --traffic no-identity > "$TMP/14" 2> "$TMP/err"
first_fix "$TMP/14" | grep -q "^  --set 'traffic no-identity.identity=id-token' *-> delivered, HTTP 200"
check "14's IAM 403: the first suggestion is a fix that delivers (send an ID token)" \
  [ $? -eq 0 ] || diag_file "$TMP/14"
sed -n '/^fixes/,/^not fixes/p' "$TMP/14" | grep "^  --set" > "$TMP/14.fixes"
check "14's IAM 403: nothing among the fixes fails" \
  test "$(grep -vc -- "-> delivered" "$TMP/14.fixes")" -eq 0
grep -q "^  --set 'service backend.invokers=allUsers' *-> delivered.* (widens access: lets anyone call it without an ID token)$" "$TMP/14.fixes" \
  && [ "$(grep -n invokers "$TMP/14.fixes" | cut -d: -f1)" -gt 1 ]
check "14's IAM 403: allUsers comes after the safe fix, marked as widening access" \
  [ $? -eq 0 ] || diag_file "$TMP/14"

S02=$top_srcdir/scenarios/02-default-egress-is-external.ini
t02=$(sed -n 's/^\[traffic \(.*\)\]$/\1/p' "$S02" | head -n 1)
"$NETSIM" explain "$S02" --traffic "$t02" > "$TMP/02" 2> "$TMP/err"
grep -q "ingress=all' *-> delivered.* (widens access: opens the service to the internet)$" "$TMP/02"
check "02's refusal: ingress = all is marked as opening the service to the internet" \
  [ $? -eq 0 ] || diag_file "$TMP/02"

cat > "$TMP/forgot.ini" <<'EOF'
[scenario]
format = 1
title = The firewall allows IPv4 and forgets IPv6
[network default]
internal-ipv6-range = fd20:0:1::/48
[subnet run]
network = default
region = europe-west1
range = 10.0.0.0/24
stack-type = ipv4-ipv6
ipv6-access-type = internal
[vm db]
subnet = run
address = 10.0.0.5
[firewall allow-v4]
network = default
direction = ingress
action = allow
ranges = 10.0.0.0/8
protocols = tcp:80
[dns-zone internal]
dns-name = internal.example.
networks = default
records = db.internal.example. A 10.0.0.5;db.internal.example. AAAA fd20:0:1:0:0:1::
[service caller]
region = europe-west1
vpc-access = direct
subnet = run
vpc-egress = all-traffic
[traffic call]
from = caller
url = http://db.internal.example/
EOF
"$NETSIM" explain "$TMP/forgot.ini" --traffic call > "$TMP/forgot" 2> "$TMP/err"
grep -q "^  --set 'traffic call.address-selection=happy-eyeballs' *-> delivered" "$TMP/forgot"
check "a dual-stack caller whose IPv6 SYN is dropped: happy-eyeballs is a fix" \
  [ $? -eq 0 ] || diag_file "$TMP/forgot"
grep -q "address-selection" "$TMP/05"
check "05's IPv4-only caller: address-selection is not tried" [ $? -ne 0 ]
finish
