#!/bin/sh
# reach and diff straight from configurations (docs/ci.md, "Who reaches
# whom"): the files `import` reads, imported into a temporary scenario
# first.
#
# - The fixture world of tests/import/ as a Cloud Asset Inventory export,
#   as a directory of gcloud outputs and as a Terraform plan: the same
#   matrix, byte for byte (CSV).
# - diff of the CAI export against a copy with Private Google Access
#   switched off on run-subnet: exit 1, the setting named, regressions
#   listed.
# - A truncated JSON file and a directory without *.json: exit 2, the
#   file named; no temporary directory is left behind.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

FIX=$top_srcdir/tests/import
[ -f "$FIX/cai.json" ] || bail "no tests/import/cai.json"
plan 6

mkdir -p "$TMP/gcloud" "$TMP/tmp" "$TMP/empty" || bail "cannot make dirs"
cp "$FIX"/gcloud-*.json "$TMP/gcloud/" || bail "cannot copy the gcloud files"
TMPDIR=$TMP/tmp; export TMPDIR

"$NETSIM" reach --format csv "$FIX/cai.json" > "$TMP/cai.csv" 2>/dev/null
s1=$?
"$NETSIM" reach --format csv "$TMP/gcloud" > "$TMP/gcloud.csv" 2>/dev/null
s2=$?
"$NETSIM" reach --format csv "$FIX/terraform-plan.json" > "$TMP/tf.csv" \
  2>/dev/null
s3=$?
if [ $s1$s2$s3 = 000 ] && [ "$(wc -l < "$TMP/cai.csv")" -gt 10 ] \
   && cmp -s "$TMP/cai.csv" "$TMP/gcloud.csv" \
   && cmp -s "$TMP/cai.csv" "$TMP/tf.csv"; then
  ok "CAI, a gcloud directory and a Terraform plan give the same matrix"
else
  not_ok "CAI, a gcloud directory and a Terraform plan give the same matrix"
  diag "status $s1 $s2 $s3"; diag "$(diff "$TMP/cai.csv" "$TMP/tf.csv" | head)"
fi

grep -q '"privateIpGoogleAccess": true' "$FIX/cai.json" \
  || bail "the CAI fixture has no subnet with Private Google Access"
sed '/subnetworks\/run-subnet"/s/"privateIpGoogleAccess": true/"privateIpGoogleAccess": false/' \
  "$FIX/cai.json" > "$TMP/cai-off.json"
"$NETSIM" diff "$FIX/cai.json" "$TMP/cai-off.json" > "$TMP/diff" 2>/dev/null
status=$?
if [ $status -eq 1 ] \
   && grep -q 'subnet run-subnet\] private-google-access: true -> false' "$TMP/diff" \
   && grep -q 'REGRESSION .* int 200 -> drop' "$TMP/diff"; then
  ok "diff of two CAI exports names the PGA switched off and its regressions (exit 1)"
else
  not_ok "diff of two CAI exports names the PGA switched off and its regressions (exit 1)"
  diag "status $status"; diag "$(head -12 "$TMP/diff")"
fi

"$NETSIM" diff "$FIX/cai.json" "$FIX/cai.json" > /dev/null 2>&1
status=$?
[ $status -eq 0 ] && ok "diff of an export against itself: exit 0" \
  || not_ok "diff of an export against itself: exit 0 (got $status)"

printf '{"name": "//run.googleapis.com/x", "asset_type": ' > "$TMP/cut.json"
"$NETSIM" reach "$TMP/cut.json" > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "cut.json" "$TMP/err"; then
  ok "a truncated JSON file: exit 2, the file named"
else
  not_ok "a truncated JSON file: exit 2, the file named"
  diag "status $status: $(cat "$TMP/err")"
fi

"$NETSIM" reach "$TMP/empty" > /dev/null 2> "$TMP/err"
status=$?
if [ $status -eq 2 ] && grep -q "empty: expected a scenario file" "$TMP/err"; then
  ok "a directory without *.json: exit 2, named"
else
  not_ok "a directory without *.json: exit 2, named"
  diag "status $status: $(cat "$TMP/err")"
fi

left=$(ls "$TMP/tmp" | grep -c cloudrun-netsim-import)
[ "$left" -eq 0 ] && ok "no temporary scenario is left behind" \
  || not_ok "no temporary scenario is left behind ($left left)"
finish
