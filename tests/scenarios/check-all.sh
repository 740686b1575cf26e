#!/bin/sh
# Every teaching scenario meets its own [expect] items: runs
# `cloudrun-netsim check` on each scenarios/*.ini (sorted, C locale), one
# TAP line per file; a file fails when check exits non-zero, and the
# diagnostics show its FAIL lines and what it printed on stderr.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

n=0
for f in "$top_srcdir"/scenarios/*.ini; do
  [ -f "$f" ] && n=$((n + 1))
done
[ "$n" -gt 0 ] || bail "no scenarios/*.ini under $top_srcdir"
plan "$n"

for f in "$top_srcdir"/scenarios/*.ini; do
  name=scenarios/$(basename "$f")
  "$NETSIM" check "$f" > "$TMP/out" 2> "$TMP/err"
  status=$?
  # check ends with "N passed, N failed"; a file without a result line
  # did not really run.
  summary=$(tail -n 1 "$TMP/out")
  if [ "$status" -eq 0 ] && expr "$summary" : '[0-9]* passed, 0 failed$' >/dev/null
  then
    ok "$name: $summary"
  else
    not_ok "$name: check exited $status${summary:+ ($summary)}"
    grep '^FAIL' "$TMP/out" | sed 's/^/#   /'
    diag_file "$TMP/err" 10
  fi
done
finish
