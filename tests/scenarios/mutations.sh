#!/bin/sh
# tools/dev/mutations.txt stays true to the code: every mutation still applies
# (its find occurs exactly once in its file), checked without a build by
# tools/dev/mutate -c; and the check can fail: a list with an entry whose find
# is not in its file, occurs more than once in it, or whose file is gone is
# refused, naming the mutation.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

MUTATE=$top_srcdir/tools/dev/mutate
plan 4

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

# A find that occurs more than once would plant an unknown change.
{ cat "$top_srcdir/tools/dev/mutations.txt"
  printf '\nfile: sim/time.h\nfind: ;\nreplace: x\nwhy: planted\n'
} > "$TMP/twice.txt"
n=$(grep -c '^file:' "$TMP/twice.txt")
out=$(cd "$top_srcdir" && "$MUTATE" -c -l "$TMP/twice.txt" 2>&1)
status=$?
case "$status:$out" in
  2:*"mutation $n no longer applies"*"not found exactly once"*)
    ok "an entry whose find occurs twice is refused (exit 2), naming it" ;;
  *)
    not_ok "an entry whose find occurs twice is refused (exit 2), naming it"
    diag "status $status: $out" ;;
esac

# A file renamed or removed.
{ cat "$top_srcdir/tools/dev/mutations.txt"
  printf '\nfile: sim/no-such-file.c\nfind: x\nreplace: y\nwhy: planted\n'
} > "$TMP/gone.txt"
out=$(cd "$top_srcdir" && "$MUTATE" -c -l "$TMP/gone.txt" 2>&1)
status=$?
case "$status:$out" in
  2:*"no longer applies: no file sim/no-such-file.c"*)
    ok "an entry whose file is gone is refused (exit 2), naming it" ;;
  *)
    not_ok "an entry whose file is gone is refused (exit 2), naming it"
    diag "status $status: $out" ;;
esac
finish
