#!/bin/sh
# diff: what a change does (docs/ci.md, "Who reaches whom").
#
# - Private Google Access switched off (scenario 06 and a copy with
#   private-google-access = false): exit 1, the setting listed as changed,
#   the Direct VPC caller's pairs listed as regressions with both sides'
#   deciding step (DELIVER before, DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED
#   after); the same in JSON (2 regressions) and markdown.
# - --fail-on none exits 0; switching it back on is no regression (exit
#   0) but --fail-on any exits 1; a file against itself changes nothing.
# - Bad input exits 2: a missing file, a scenario that does not load, one
#   operand, a bad --fail-on or --format.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S06=$top_srcdir/scenarios/06-direct-vpc-all-traffic-with-pga.ini
[ -f "$S06" ] || bail "no scenario 06"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
plan 10

OFF=$TMP/pga-off.ini
sed 's/^private-google-access = true$/private-google-access = false/' "$S06" > "$OFF"
grep -q '^private-google-access = false$' "$OFF" || bail "could not switch PGA off in a copy of 06"

netsim diff "$S06" "$OFF" --jobs 1
expect_status "PGA switched off: exit 1, the setting and the regressions with both steps" 1 \
  out "Settings changed: 1" \
  out "[subnet run-subnet] private-google-access: true -> false" \
  out "REGRESSION a-direct-pga -> backend (run.app): int 200 -> drop" \
  out "before: delivered 200 internal at service; step: backend-1 DELIVER" \
  out "after:  dropped at vpc-router (PRIVATE_GOOGLE_ACCESS_DISALLOWED); step: vpc-default DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED"
netsim diff "$S06" "$OFF" --format json
if [ "$status" -eq 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["settings"]
assert d["schema_version"] == 1 and d["regressions"] == 2, d["regressions"]
assert s == [{"group": "subnet run-subnet", "key": "private-google-access",
              "change": "changed", "before": "true", "after": "false"}], s
p = [x for x in d["pairs"] if x["to"] == "backend"][0]
assert p["regression"] and p["before"]["outcome"] == "delivered"
assert p["after"]["cause"] == "PRIVATE_GOOGLE_ACCESS_DISALLOWED"
' "$TMP/out" 2> "$TMP/py.err"; then
  ok "--format json: 2 regressions, the setting, both sides of each pair"
else
  not_ok "--format json: 2 regressions, the setting, both sides of each pair"
  diag_file "$TMP/py.err"
fi
netsim diff "$S06" "$OFF" --format markdown
expect_status "--format markdown: the table with the regression marked" 1 \
  out "| **regression** | a-direct-pga | backend | run.app | int 200:" \
  out "- \`[subnet run-subnet] private-google-access: true -> false\`"
netsim diff "$S06" "$OFF" --fail-on none
expect_status "--fail-on none: exit 0" 0 out "2 regression(s)"
netsim diff "$OFF" "$S06"
expect_status "PGA switched back on: no regression, exit 0" 0 out "0 regression(s)"
netsim diff "$OFF" "$S06" --fail-on any
expect_status "... but --fail-on any: exit 1" 1
netsim diff "$S06" "$S06" --fail-on any
expect_status "a file against itself: nothing changed, exit 0" 0 \
  out "Settings changed: 0" out "Verdicts changed: 0 pair(s)"
netsim diff "$S06" "$TMP/missing.ini"
expect_status "a missing file: exit 2 naming it" 2 err "missing.ini"
printf '[scenario]\nformat = 1\ntitle = x\n[service a]\nregion = mars-north1\n' > "$TMP/bad.ini"
netsim diff "$S06" "$TMP/bad.ini"
expect_status "a scenario that does not load: exit 2 naming file, group and key" 2 \
  err "bad.ini" err "region"
fails=
for args in "$S06" "--fail-on=sometimes $S06 $OFF" "--format=csv $S06 $OFF"; do
  # shellcheck disable=SC2086
  "$NETSIM" diff $args > /dev/null 2> "$TMP/err"
  st=$?
  [ "$st" -eq 2 ] && [ -s "$TMP/err" ] || fails="$fails [$args]($st)"
done
if [ -z "$fails" ]; then
  ok "one operand, --fail-on sometimes, --format csv: exit 2 with a message"
else
  not_ok "one operand, --fail-on sometimes, --format csv: exit 2 with a message"
  diag "failed:$fails"
fi
finish
