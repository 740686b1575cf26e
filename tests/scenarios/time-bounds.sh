#!/bin/sh
# Times at their documented maximum on every public scenario (issue 27):
# for each scenario and each time key of each kind it has a group of (the
# first such group), the key set to 43200m, the bound `keys` documents,
# must run to an end (exit 0, 1 or 2) within 20 s with no GLib CRITICAL or
# WARNING and no sanitizer report on stderr (NETSIM may be a sanitizer
# build), and one past it (43201m) must be refused (exit 2) naming the
# key. A scenario's duration stays as written unless the key is duration
# itself, so that the other times meet a run of its real length. One TAP
# line per scenario.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

MAX=43200m
PAST=43201m

kinds=$("$NETSIM" keys | sed -n 's/^  \[\([a-z-]*\).*/\1/p')
[ -n "$kinds" ] || bail "cloudrun-netsim keys lists no groups"
# KIND KEY for every time key, checking that keys documents the bound.
for kind in $kinds; do
  "$NETSIM" keys "$kind" | awk -v kind="$kind" '
    /^  [a-z][a-z0-9-]*( =| \(|$)/ { key = $1; next }
    key != "" && /^      a time / {
      if ($0 !~ /at most 43200m/) print "UNBOUNDED", kind, key
      else print kind, key
      key = ""; next }
    /^      / { key = "" }'
done > "$TMP/keys"
[ -s "$TMP/keys" ] || bail "no time keys found in cloudrun-netsim keys"
grep '^UNBOUNDED' "$TMP/keys" && bail "time keys without the documented bound"

set -- "$top_srcdir"/scenarios/*.ini
plan $#

# The first group of KIND in FILE ("service backend", "scenario").
group_of () {
  sed -n "s/^\[\($1\( [^]]*\)\{0,1\}\)\]\$/\1/p" "$2" | head -n 1
}

for f in "$@"; do
  name=$(basename "$f" .ini)
  bad=""
  runs=0
  while read -r kind key; do
    case $kind in
      scenario|assumptions) group=$kind ;;
      *) group=$(group_of "$kind" "$f") ;;
    esac
    [ -n "$group" ] || continue
    runs=$((runs + 1))
    timeout -k 2 20 "$NETSIM" run "$f" -o "$TMP/out" -q --capture=none \
      --no-requests --set "$group.$key=$MAX" > "$TMP/stdout" 2> "$TMP/stderr"
    rc=$?
    case $rc in
      0|1|2) ;;
      124|137) bad="$bad $group.$key=$MAX (timed out)" ;;
      *) bad="$bad $group.$key=$MAX (exit $rc)" ;;
    esac
    if grep -E -q 'CRITICAL|WARNING|runtime error|Sanitizer' "$TMP/stderr"; then
      bad="$bad $group.$key=$MAX ($(grep -E -m 1 'CRITICAL|WARNING|runtime error|Sanitizer' "$TMP/stderr"))"
    fi
    "$NETSIM" check "$f" -q --set "$group.$key=$PAST" > /dev/null 2> "$TMP/stderr"
    rc=$?
    if [ "$rc" -ne 2 ] || ! grep -q -- "$key: expected .*at most 43200m" "$TMP/stderr"; then
      bad="$bad $group.$key=$PAST (exit $rc, not refused by name)"
    fi
  done < "$TMP/keys"
  if [ -z "$bad" ]; then
    ok "$name: $runs time keys at $MAX run to an end, past it refused"
  else
    not_ok "$name: time keys at their bound:$bad"
  fi
done
