#!/bin/sh
# The command line as a CI system uses it (docs/ci.md):
#
# - check --set flips a verdict (a passing scenario made to fail exits 1);
#   --unset of a required key exits 2 naming it, of an optional key lets
#   its default apply (run and explain take both too); a --set or --unset
#   naming a group or key the file lacks, and an unknown command, get a
#   did-you-mean.
# - check --junit writes XML that xmllint reads, with the right counts for
#   a passing file, a failing one and one that does not load; it replaces
#   the file whole and leaves no temporary file; a report that cannot be
#   written (/dev/full, a missing directory) exits 2 with a message.
# - check --tap prints a plan that matches its ok / not ok lines.
# - Every subcommand's --help has an Examples: block whose scenario files
#   exist, and the man page (docs/cloudrun-netsim.1) renders without a
#   groff warning and names every subcommand and every option --help
#   prints, so the two cannot drift apart.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S02=$top_srcdir/scenarios/02-default-egress-is-external.ini
S05=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
MAN=$top_srcdir/docs/cloudrun-netsim.1
COMMANDS="run check explain keys graph sweep import reach diff"
[ -f "$S02" ] && [ -f "$S05" ] || bail "no scenarios 02 and 05 under $top_srcdir"
plan 22

# ---- --set and --unset ----------------------------------------------

netsim check "$S02"
expect_status "check on scenario 02 passes" 0 out "5 passed, 0 failed"
netsim check --set "service backend.ingress=all" "$S02"
expect_status "check --set ingress=all makes scenario 02 fail: exit 1" 1 \
  out "FAIL $S02 [expect call-backend] outcome: expected denied-by-ingress" \
  out "2 passed, 3 failed"
netsim check --unset "traffic call-backend.from" "$S02"
expect_status "check --unset of a required key: exit 2, names it" 2 \
  err "$S02 (--unset): [traffic call-backend] from: expected" \
  err "the key is required"
netsim run "$S02" -q --capture none -o "$TMP/run-unset" \
  --unset "service backend.ingress"
expect_status "run --unset ingress: the default (all) applies, exit 1" 1
grep -q '"delivered" *: *3' "$TMP/run-unset/report.json" 2>/dev/null \
  && ok "run --unset ingress: report.json shows the requests delivered" \
  || { not_ok "run --unset ingress: report.json shows them delivered"; \
       diag_file "$TMP/run-unset/report.json" 10; }
netsim explain "$S05" --traffic call-backend --unset "subnet run-subnet.privat-google-access"
expect_status "explain --unset of a key the file lacks: exit 2, did you mean" 2 \
  err "$S05 (--unset): [subnet run-subnet] privat-google-access: expected a key that [subnet run-subnet] writes" \
  err "did you mean 'private-google-access'?"
netsim check --unset "servce backend.ingress" "$S02"
expect_status "check --unset of an unknown group: exit 2, did you mean" 2 \
  err "[servce backend]: expected a group that the file defines, found 'servce backend'; did you mean 'service backend'?"
netsim check --set "service backend.ingres=all" "$S02"
expect_status "check --set of an unknown key: exit 2, did you mean" 2 \
  err "$S02 (--set): [service backend] ingres: expected a key of [service NAME]" \
  err "did you mean 'ingress'?"
netsim chek "$S02"
expect_status "an unknown command: exit 2, did you mean 'check'" 2 \
  err "found 'chek'; did you mean 'check'?"

# ---- --junit and --tap ------------------------------------------------

# A file that does not load, with a message full of XML's special
# characters.
printf '[scenario]\nformat = 1\n[service a<&">]\n' > "$TMP/broken.ini"

# junit_attr FILE XPATH: prints the value of an XPath expression.
junit_attr () {
  xmllint --xpath "$2" "$1" 2>/dev/null
}

# junit_counts FILE WANT: ok when "tests failures errors <failure>s
# <error>s" of FILE's <testsuites> are WANT.
junit_counts () {
  j_got="$(junit_attr "$1" 'string(/testsuites/@tests)') $(junit_attr "$1" 'string(/testsuites/@failures)') $(junit_attr "$1" 'string(/testsuites/@errors)') $(junit_attr "$1" 'count(//testcase/failure)') $(junit_attr "$1" 'count(//testcase/error)')"
  [ "$j_got" = "$2" ] || { diag "counts '$j_got', expected '$2'"; return 1; }
}

if command -v xmllint >/dev/null 2>&1; then
  netsim check --junit "$TMP/pass.xml" "$S02"
  if [ "$status" -eq 0 ] && xmllint --noout "$TMP/pass.xml" 2> "$TMP/xml.err" \
     && junit_counts "$TMP/pass.xml" "5 0 0 0 0" \
     && [ "$(junit_attr "$TMP/pass.xml" 'string(//testcase[2]/@name)')" = "[expect call-backend] status" ] \
     && [ "$(junit_attr "$TMP/pass.xml" 'string(//testsuite/@name)')" = "$S02" ]; then
    ok "check --junit, passing: valid XML, 5 tests, 0 failures"
  else
    not_ok "check --junit, passing: valid XML, 5 tests, 0 failures"
    diag_file "$TMP/xml.err" 5
    diag_file "$TMP/pass.xml" 10
  fi
  echo "an older report" > "$TMP/fail.xml"
  netsim check --junit "$TMP/fail.xml" --set "service backend.ingress=all" \
    "$S02" "$TMP/broken.ini"
  if [ "$status" -eq 2 ] && xmllint --noout "$TMP/fail.xml" 2> "$TMP/xml.err" \
     && junit_counts "$TMP/fail.xml" "6 3 1 3 1" \
     && junit_attr "$TMP/fail.xml" 'string(//failure[1]/@message)' \
        | grep -q "^expected denied-by-ingress, found 0 of 3 requests" \
     && junit_attr "$TMP/fail.xml" 'string(//error/@message)' \
        | grep -qF "$TMP/broken.ini: [service a<&\">]: expected a header"; then
    ok "check --junit, failing and broken: 6 tests, 3 failures, 1 error, exit 2"
  else
    not_ok "check --junit, failing and broken: 6 tests, 3 failures, 1 error, exit 2"
    diag "status $status"
    diag_file "$TMP/xml.err" 5
    diag_file "$TMP/fail.xml" 20
  fi
else
  skip "check --junit, passing" "no xmllint (Debian package libxml2-utils)"
  skip "check --junit, failing and broken" "no xmllint"
fi
ls -a "$TMP" > "$TMP/ls"
if grep -q '^\.\(fail\|pass\)\.xml\.' "$TMP/ls"; then
  not_ok "check --junit leaves no temporary file"
  diag_file "$TMP/ls"
else
  ok "check --junit leaves no temporary file"
fi

netsim check --junit /dev/full "$S02"
expect_status "check --junit /dev/full: exit 2, says why" 2 \
  err "/dev/full: cannot write the report: No space left on device"
netsim check --junit "$TMP/no-such-dir/report.xml" "$S02"
expect_status "check --junit into a missing directory: exit 2, names it" 2 \
  err "$TMP/no-such-dir/report.xml: cannot write the report"
netsim check --junit "$TMP" "$S02"
expect_status "check --junit onto a directory: exit 2, names it" 2 \
  err "$TMP: expected a file for the report, found a directory"

# tap_consistent FILE: the plan is the second line and counts the test
# points; prints "OK NOT_OK".
tap_consistent () {
  t_plan=$(sed -n '2s/^1\.\.\([0-9]*\)$/\1/p' "$1")
  t_ok=$(grep -c '^ok [0-9]* - ' "$1")
  t_not=$(grep -c '^not ok [0-9]* - ' "$1")
  head -1 "$1" | grep -qx 'TAP version 13' && [ -n "$t_plan" ] \
    && [ "$t_plan" -eq $((t_ok + t_not)) ] && echo "$t_ok $t_not"
}

netsim check --tap "$S02" "$S05"
if [ "$status" -eq 0 ] && [ "$(tap_consistent "$TMP/out")" = "9 0" ] \
   && grep -qxF "ok 1 - $S02 [expect call-backend] outcome" "$TMP/out"; then
  ok "check --tap, passing: TAP 13, plan 1..9, 9 ok"
else
  not_ok "check --tap, passing: TAP 13, plan 1..9, 9 ok"
  diag "status $status"; diag_file "$TMP/out"
fi
netsim check --tap --set "service backend.ingress=all" "$S02" "$TMP/broken.ini"
if [ "$status" -eq 2 ] && [ "$(tap_consistent "$TMP/out")" = "2 4" ] \
   && grep -qxF "not ok 2 - $S02 [expect call-backend] status # expected 404, found 0 of 3 requests; request 1 shows 200" "$TMP/out" \
   && grep -q "^not ok 6 - $TMP/broken.ini # load error: $TMP/broken.ini: " "$TMP/out"; then
  ok "check --tap, failing and broken: 2 ok, 4 not ok with the reasons, exit 2"
else
  not_ok "check --tap, failing and broken: 2 ok, 4 not ok with the reasons, exit 2"
  diag "status $status"; diag_file "$TMP/out"
fi

# ---- --help examples and the man page --------------------------------

for c in $COMMANDS; do
  "$NETSIM" "$c" --help > "$TMP/help-$c" 2>&1 || echo "$c --help failed" >> "$TMP/help-bad"
  sed -n 2p "$TMP/help-$c" | grep -q "^  cloudrun-netsim $c \\[OPTION" \
    || echo "$c: usage line '$(sed -n 2p "$TMP/help-$c")' does not name cloudrun-netsim $c" >> "$TMP/help-missing"
  grep -q '^Examples:$' "$TMP/help-$c" || { echo "$c: no Examples:" >> "$TMP/help-missing"; continue; }
  sed -n '/^Examples:$/,$p' "$TMP/help-$c" | tr ' ' '\n' | grep '^scenarios/' \
    | while read -r f; do
        # A pattern (scenarios/*.ini) must match a file.
        set -- "$top_srcdir"/$f
        [ -f "$1" ] || echo "$c: $f does not exist"
      done >> "$TMP/help-missing"
done
if [ ! -s "$TMP/help-missing" ] && [ ! -f "$TMP/help-bad" ]; then
  ok "every subcommand's --help names cloudrun-netsim SUBCOMMAND and has examples on scenario files that exist"
else
  not_ok "every subcommand's --help names cloudrun-netsim SUBCOMMAND and has examples on scenario files that exist"
  diag_file "$TMP/help-missing"
fi

if [ ! -f "$MAN" ]; then
  not_ok "the man page exists"
elif command -v groff >/dev/null 2>&1; then
  groff -man -Tutf8 -ww -z "$MAN" > "$TMP/groff.err" 2>&1
  if [ ! -s "$TMP/groff.err" ]; then
    ok "the man page renders without a groff warning"
  else
    not_ok "the man page renders without a groff warning"
    diag_file "$TMP/groff.err"
  fi
else
  skip "the man page renders without a groff warning" "no groff (groff-base)"
fi

# man_breaks FILE: rendered at widths 60 to 100, the lines that end in a
# literal cut at a hyphen (a command, path or option, or a word whose
# other half holds a hyphen, as "de-" + "nied-by-ingress") and the lines
# wider than 80 columns at 80; prints them, nothing when none.
man_breaks () {
  for w in 60 64 68 72 76 80 84 88 92 96 100; do
    groff -man -Tutf8 -rLL=${w}n -P-cbou "$1" 2>/dev/null | awk -v w="$w" '
      w == 80 && length > 80 { print "width " w ": over 80 columns: " $0 }
      prev != "" { t = $1; gsub(/[.,;:)]+$/, "", t)
                   if (t ~ /[-\/.]/) print "width " w ": " prev " | " $1
                   prev = "" }
      /[a-z]-$/ { last = $NF
                  if (last ~ /^(cloudrun|--|-)/ || last ~ /[\/.]/ || last ~ /-.*-$/)
                    print "width " w ": " last
                  else prev = last }'
  done | sort -u
}
if command -v groff >/dev/null 2>&1 && [ -f "$MAN" ]; then
  man_breaks "$MAN" > "$TMP/breaks"
  sed 's/^\.nh$//; s/cloudrun\\-netsim/cloudrun-netsim/g' "$MAN" > "$TMP/planted.1"
  man_breaks "$TMP/planted.1" > "$TMP/breaks-planted"
  if [ ! -s "$TMP/breaks" ] && [ -s "$TMP/breaks-planted" ]; then
    ok "the man page cuts no literal at a hyphen and fits 80 columns (a copy without .nh and \\- is caught)"
  else
    not_ok "the man page cuts no literal at a hyphen and fits 80 columns (a copy without .nh and \\- is caught)"
    diag_file "$TMP/breaks"
    [ -s "$TMP/breaks-planted" ] || diag "the planted copy was not caught"
  fi
else
  skip "the man page cuts no literal at a hyphen" "no groff (groff-base)"
fi

# The man page as plain text (roff escapes of '-' and fonts undone), so
# that what --help prints can be looked for in it.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" > "$TMP/man.txt" 2>/dev/null

# man_missing TEXT: prints each subcommand (a ".SS NAME" heading) and
# each option of the --help outputs that TEXT lacks.
man_missing () {
  "$NETSIM" --help | sed -n 's/^  \([a-z][a-z]*\)\( .*\)\{0,1\}$/\1/p' \
    > "$TMP/help-commands"
  for c in $COMMANDS $(cat "$TMP/help-commands"); do
    grep -q "^\.SS $c\( \|\$\)" "$1" || echo "command $c"
  done | sort -u
  for c in $COMMANDS; do
    sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z-]*\).*/\2/p' "$TMP/help-$c" \
      | while read -r o; do
          grep -q -e "$o\([^a-z-]\|\$\)" "$1" || echo "$c $o"
        done
  done
}

man_missing "$TMP/man.txt" > "$TMP/man-missing"
if [ -s "$TMP/man.txt" ] && [ ! -s "$TMP/man-missing" ]; then
  ok "the man page names every subcommand and every option --help prints"
else
  not_ok "the man page names every subcommand and every option --help prints"
  diag_file "$TMP/man-missing"
fi
# The check can fail: a copy of the page without --junit, or without the
# heading of explain, is caught.
grep -v -e 'junit' -e '^\.SS explain' "$TMP/man.txt" > "$TMP/man-short.txt"
man_missing "$TMP/man-short.txt" > "$TMP/man-missing"
if grep -qx 'check --junit' "$TMP/man-missing" \
   && grep -qx 'command explain' "$TMP/man-missing"; then
  ok "a man page without --junit or explain is caught"
else
  not_ok "a man page without --junit or explain is caught"
  diag_file "$TMP/man-missing"
fi
finish
