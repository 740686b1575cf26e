#!/bin/sh
# tools/dev/mutations.txt stays true to the code: every mutation still applies
# (its find occurs exactly once in its file), checked without a build by
# tools/dev/mutate -c; and the check can fail: a list with an entry whose find
# is not in its file is refused, naming the mutation.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

MUTATE=$top_srcdir/tools/dev/mutate
plan 2

out=$(cd "$top_srcdir" && "$MUTATE" -c 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
  ok "every mutation of tools/dev/mutations.txt applies ($out)"
else
  not_ok "every mutation of tools/dev/mutations.txt applies"
  diag "$out"
fi

{ cat "$top_srcdir/tools/dev/mutations.txt"
  printf '\nfile: sim/time.h\nfind: no such text in sim/time.h\nreplace: x\nwhy: planted\n'
} > "$TMP/stale.txt"
out=$(cd "$top_srcdir" && "$MUTATE" -c -l "$TMP/stale.txt" 2>&1)
status=$?
case "$status:$out" in
  2:*"no longer applies"*"no such text in sim/time.h"*)
    ok "a stale entry is refused (exit 2), naming it" ;;
  *)
    not_ok "a stale entry is refused (exit 2), naming it"
    diag "status $status: $out" ;;
esac
