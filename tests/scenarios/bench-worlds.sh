#!/bin/sh
# The benchmark's worlds stay runnable (tools/benchmarks/bench-world.c): bench-e2e
# runs each with a few hundred requests, with and without capture, and
# exits 0 only when every traffic delivered every request (a rule change
# that breaks a path of the mixed world, such as a PSC caller losing PGA,
# fails here rather than in the next tools/bench).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

BENCH=$(dirname "$NETSIM")/tools/benchmarks/bench-e2e
[ -x "$BENCH" ] || bail "no $BENCH (make builds it)"
plan 2
for world in simple mixed; do
  "$BENCH" --world "$world" --requests 800 > "$TMP/out" 2> "$TMP/err"
  st=$?
  if [ "$st" -eq 0 ]; then
    ok "bench-e2e --world $world: every request of every traffic delivered"
  else
    not_ok "bench-e2e --world $world: every request of every traffic delivered"
    diag "exit status $st"
    diag_file "$TMP/err" 5
  fi
done
