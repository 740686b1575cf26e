#!/bin/sh
# Every output says how it was made (issue 22 item 3, docs/outputs.md,
# docs/ci.md), on scenario 02 run as written and with overrides:
#
# - report.json's provenance: the file's SHA-256 as sha256sum gives it,
#   the seed and its source, the overrides as typed, each assumption with
#   its source; report.txt says the same; report.html warns under its
#   title only when the command line changed the file; trace.pcapng's
#   section comment carries it, seed included; a seed from --set
#   scenario.seed is the --set's.
# - a scenario path with an escape sequence, a tab and bytes that are not
#   UTF-8 leaves report.json JSON, report.html and JUnit XML, and TAP
#   without raw escapes.
# - a sweep's run-N/report.json holds that run's --set values.
# - check --junit: properties with the digest and each override, time
#   attributes, a classname without ".ini"; --tap: a comment per file.
# - every row of report.txt's table has its why, from the run's steps: a
#   refusal or drop named as explain names it, a timeout with where the
#   request was last seen, a row still pending saying so.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S02=$top_srcdir/scenarios/02-default-egress-is-external.ini
SUM=$(sha256sum "$S02" | cut -d' ' -f1)
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

# json FILE EXPR: prints the Python expression EXPR of report.json as d.
json () {
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# ---- as written ---------------------------------------------------------

"$NETSIM" run "$S02" -q -o "$TMP/plain" > /dev/null 2>&1
P=$TMP/plain
got="$(json "$P/report.json" 'd["provenance"]["scenario_sha256"], d["provenance"]["seed"], d["provenance"]["seed_source"], d["provenance"]["overrides"], d["provenance"]["program"]')"
want="('$SUM', '2', 'file', [], '$("$NETSIM" --version | sed -n '1s/ (.*//p')')"
if [ "$got" = "$want" ]; then
  ok "as written: report.json's provenance has sha256sum's digest, the file's seed, no overrides"
else
  not_ok "as written: report.json's provenance"
  diag "got  $got" "want $want"
fi
if grep -qx "made by: cloudrun-netsim .* SHA-256 $SUM, seed 2 (the file's)" "$P/report.txt" \
   && grep -qx "overrides: none: the file as written" "$P/report.txt" \
   && grep -q "^assumptions in force: connector-google-access = implicit, .*ingress-denied-status = 404, " "$P/report.txt"; then
  ok "as written: report.txt says program, digest, no overrides, the assumptions"
else
  not_ok "as written: report.txt's provenance lines"
  diag_file "$P/report.txt" 8
fi
if ! grep -q "Not the file as written" "$P/report.html" \
   && grep -q "<h2 id=\"made\">How this report was made</h2>" "$P/report.html" \
   && grep -q "$SUM" "$P/report.html"; then
  ok "as written: report.html has no override warning, and says how it was made"
else
  not_ok "as written: report.html's provenance"
fi

# ---- with overrides -----------------------------------------------------

"$NETSIM" run "$S02" -q -o "$TMP/changed" --seed 9 \
  --set "service backend.ingress=all" --set "assumptions.pending-wait=5s" \
  > /dev/null 2>&1
C=$TMP/changed
got="$(json "$C/report.json" 'd["provenance"]["seed"], d["provenance"]["seed_source"], d["provenance"]["overrides"], [(a["value"], a["source"]) for a in d["provenance"]["assumptions"] if a["key"] == "pending-wait"]')"
want="('9', '--seed', ['--set service backend.ingress=all', '--set assumptions.pending-wait=5s', '--seed 9'], [('5s', '--set')])"
if [ "$got" = "$want" ]; then
  ok "overrides: report.json lists them as typed, the seed's source, the assumption set by --set"
else
  not_ok "overrides: report.json's provenance"
  diag "got  $got" "want $want"
fi
if grep -qxF "overrides: --set 'service backend.ingress=all' --set assumptions.pending-wait=5s --seed 9 (not the file as written)" "$C/report.txt" \
   && grep -q "pending-wait = 5s (--set)" "$C/report.txt"; then
  ok "overrides: report.txt names them, quoted for a shell"
else
  not_ok "overrides: report.txt names them"
  diag_file "$C/report.txt" 8
fi
if grep -q "<title>.* (changed by the command line)</title>" "$C/report.html" \
   && grep -q "<p class=\"note overrides\"><b>Not the file as written:</b> this run changed it with <code>--set &apos;service backend.ingress=all&apos;" "$C/report.html" \
   && grep -q "Expectations of the changed scenario: " "$C/report.html"; then
  ok "overrides: report.html warns in its title, under it and at the expectations"
else
  not_ok "overrides: report.html warns"
fi
if command -v capinfos > /dev/null 2>&1; then
  capinfos -k "$C/trace.pcapng" > "$TMP/cap" 2>&1
  if grep -q "SHA-256 $SUM" "$TMP/cap" \
     && grep -q "overrides: --set 'service backend.ingress=all'" "$TMP/cap"; then
    ok "overrides: trace.pcapng's section comment says how it was made"
  else
    not_ok "overrides: trace.pcapng's section comment"
    diag_file "$TMP/cap" 5
  fi
else
  skip "trace.pcapng's section comment" "no capinfos (Debian package wireshark-common)"
fi

if command -v capinfos > /dev/null 2>&1; then
  capinfos -k "$P/trace.pcapng" > "$TMP/cap" 2>&1
  if grep -q "SHA-256 $SUM, seed 2 (the file's)" "$TMP/cap"; then
    ok "as written: trace.pcapng's comment names the seed and its source"
  else
    not_ok "as written: trace.pcapng's comment names the seed"
    diag_file "$TMP/cap" 5
  fi
else
  skip "as written: trace.pcapng's comment names the seed" "no capinfos"
fi
"$NETSIM" run "$S02" -q -o "$TMP/seedset" --capture none \
  --set scenario.seed=99 > /dev/null 2>&1
got="$(json "$TMP/seedset/report.json" 'd["provenance"]["seed"], d["provenance"]["seed_source"]')"
if [ "$got" = "('99', '--set')" ]; then
  ok "a seed from --set scenario.seed is the --set's, not the file's"
else
  not_ok "a seed from --set scenario.seed is the --set's"
  diag "got $got"
fi

# A scenario path with an escape sequence, a tab and bytes that are not
# UTF-8: report.json stays JSON, report.html and JUnit stay XML, TAP keeps
# its comment on one line with no raw escape.
BAD=$TMP/$(printf 'x\033[31m\tbad\377.ini')
cp "$S02" "$BAD"
"$NETSIM" run "$BAD" -q -o "$TMP/bad" --capture trace > /dev/null 2>&1
if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/bad/report.json" 2>/dev/null \
   && { ! command -v xmllint > /dev/null 2>&1 || xmllint --noout "$TMP/bad/report.html" 2>/dev/null; }; then
  ok "a hostile path: report.json is JSON, report.html is XML"
else
  not_ok "a hostile path: report.json is JSON, report.html is XML"
fi
"$NETSIM" check --tap --junit "$TMP/bad.xml" "$BAD" > "$TMP/bad.tap" 2>&1
if ! grep -q "$(printf '\033')" "$TMP/bad.tap" && [ "$(grep -c '^# ' "$TMP/bad.tap")" -eq 2 ] \
   && { ! command -v xmllint > /dev/null 2>&1 || xmllint --noout "$TMP/bad.xml" 2>/dev/null; }; then
  ok "a hostile path: TAP has no raw escape and one line per comment, JUnit is XML"
else
  not_ok "a hostile path: TAP and JUnit"
  diag_file "$TMP/bad.tap" 4
fi

# ---- the why of each row ------------------------------------------------

if grep -qx "  call-backend: at gfe: INGRESS_DENIED: service backend: ingress = internal refuses this external request; classified external: it arrived from the internet: no Geneve envelope, no VPC identity" "$P/report.txt" \
   && [ "$(json "$P/report.json" 'd["traffic"][0]["why_node"]')" = gfe ] \
   && grep -q '<tr class="why"><td colspan="9">Why: at <b>gfe</b>: INGRESS_DENIED: service backend: ingress = internal refuses' "$P/report.html"; then
  ok "why: each row says, from its deciding step, why (report.txt, report.json, report.html)"
else
  not_ok "why: each row says why"
  diag_file "$P/report.txt" 20
fi
S20=$top_srcdir/scenarios/20-egress-firewall-deny.ini
S34=$top_srcdir/scenarios/34-burst-cold-warm-and-the-pending-queue.ini
"$NETSIM" run "$S20" -q -o "$TMP/fw" --capture none > /dev/null 2>&1
"$NETSIM" run "$S34" -q -o "$TMP/late" --capture none \
  --set "service capped.service-time=30s" \
  --set "traffic burst-to-capped.timeout=1s" > /dev/null 2>&1
"$NETSIM" run "$S34" -q -o "$TMP/short" --capture none \
  --set scenario.duration=1s > /dev/null 2>&1
if grep -qx "  call-backend: at vpc-default: DROP FIREWALL_RULE: firewall deny-all-egress (egress, priority 1000)" "$TMP/fw/report.txt" \
   && grep -q "^  burst-to-capped: at lab: ABORT: no response before the traffic's timeout; last seen at " "$TMP/late/report.txt" \
   && grep -qx "  burst-to-capped: still pending when the run's duration ended: no verdict yet (a longer duration shows where they end)" "$TMP/short/report.txt"; then
  ok "why: a drop names itself, a timeout says where the request was last seen, a pending row says so"
else
  not_ok "why: drops, timeouts and pending rows"
  grep -h "^  \(call-backend\|burst-to-capped\): " "$TMP/fw/report.txt" "$TMP/late/report.txt" "$TMP/short/report.txt" | sed 's/^/# /'
fi

# ---- a sweep's runs -----------------------------------------------------

cp "$S02" "$TMP/study.ini"
printf '\n[sweep]\nservice backend.ingress = internal;all\n' >> "$TMP/study.ini"
"$NETSIM" sweep "$TMP/study.ini" --run 1 -o "$TMP/sweep" > /dev/null 2>&1
got="$(json "$TMP/sweep/run-1/report.json" 'd["provenance"]["overrides"]')"
if [ "$got" = "['--set service backend.ingress=all', '--seed 2']" ]; then
  ok "sweep: run-1/report.json holds that run's --set and --seed"
else
  not_ok "sweep: run-1/report.json holds that run's --set"
  diag "got $got"
fi

# ---- check --junit and --tap -------------------------------------------

if command -v xmllint > /dev/null 2>&1; then
  (cd "$top_srcdir" && "$NETSIM" check --junit "$TMP/j.xml" \
     --set "service backend.ingress=all" \
     ./scenarios/02-default-egress-is-external.ini > /dev/null 2>&1)
  x () { xmllint --xpath "$1" "$TMP/j.xml" 2>/dev/null; }
  if [ "$(x 'string(//testsuite/properties/property[@name="scenario_sha256"]/@value)')" = "$SUM" ] \
     && [ "$(x 'string(//property[@name="override"]/@value)')" = "--set service backend.ingress=all" ] \
     && [ "$(x 'string(//property[@name="seed"]/@value)')" = 2 ] \
     && [ "$(x 'count(//testcase[@classname="scenarios.02-default-egress-is-external"])')" = 5 ] \
     && x 'string(//testsuite/@time)' | grep -qx '[0-9][0-9]*\.[0-9][0-9][0-9]' \
     && x 'string(//testcase[1]/@time)' | grep -qx '[0-9][0-9]*\.[0-9][0-9][0-9]'; then
    ok "check --junit: properties (digest, override, seed), time, a classname without .ini"
  else
    not_ok "check --junit: properties, time, classname"
    diag_file "$TMP/j.xml" 14
  fi
else
  skip "check --junit: properties, time, classname" "no xmllint"
fi
"$NETSIM" check --tap "$S02" > "$TMP/tap" 2>&1
if sed -n 3p "$TMP/tap" | grep -q "^# $S02: cloudrun-netsim .*, SHA-256 $SUM, seed 2 (file), overrides: none, assumptions: connector-google-access = implicit"; then
  ok "check --tap: a comment with the file's provenance before its points"
else
  not_ok "check --tap: a provenance comment"
  diag_file "$TMP/tap" 4
fi

finish
