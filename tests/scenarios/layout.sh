# The layout rule (docs/development.md, "Layout"; tools/dev/check-layout):
# #include arrows point one way, the command, the benchmarks, the fuzz
# target and tools/import (configurations in, a scenario out) -> the door
# (tools/session/cloudrun-netsim.h) -> tools/report -> models/assemble ->
# models/format and models/world -> models/vocab and sim. Checks
# the tree with tools/dev/check-layout, then plants one wrong arrow at a time
# in a copy of the rooms and checks that the checker names it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

checker="$top_srcdir/tools/dev/check-layout"

# plant FILE HEADER: a copy of the rooms where FILE includes HEADER.
plant () {
  rm -rf "$TMP/tree" && mkdir -p "$TMP/tree" || bail "cannot copy the tree"
  cp -R "$top_srcdir/sim" "$top_srcdir/models" "$top_srcdir/tools" "$TMP/tree/" \
    && mkdir -p "$TMP/tree/tests" && cp -R "$top_srcdir/tests/fuzz" "$TMP/tree/tests/" \
    || bail "cannot copy the tree"
  printf '#include "%s"\n' "$2" >> "$TMP/tree/$1"
}

set -- \
  "sim/link.c models/world/world.h" \
  "sim/event.h tools/session/cloudrun-netsim.h" \
  "models/world/gfe.c models/format/scenario.h" \
  "models/world/vpc-router.h models/assemble/build.h" \
  "models/format/scenario.c models/world/request.h" \
  "models/format/keys.h tools/session/output.h" \
  "models/assemble/build.c tools/report/report.h" \
  "models/world/gfe.c tools/session/cloudrun-netsim.h" \
  "tools/cli/run.c models/world/world.h" \
  "tools/cli/main.c tools/session/session-private.h" \
  "tools/cli/check.c tools/report/check-report.h" \
  "tools/benchmarks/bench-e2e.c sim/capture.h" \
  "tools/benchmarks/bench-world.h models/format/scenario.h" \
  "tests/fuzz/fuzz-scenario.c tools/report/report.h" \
  "tests/fuzz/fuzz-scenario.c models/assemble/build.h" \
  "tools/report/report.c tools/cli/cli.h" \
  "tools/report/graph.c tools/session/session-private.h" \
  "models/vocab/vocabulary.h models/world/config.h" \
  "models/vocab/vocabulary.c models/format/keys.h" \
  "models/vocab/vocabulary.h sim/time.h" \
  "tools/import/emit.c models/format/scenario.h" \
  "tools/import/detect.c sim/event.h" \
  "tools/import/cai.c tools/report/report.h" \
  "tools/import/import.c tools/session/session-private.h" \
  "tools/cli/import.c tools/import/import-private.h"
plan $(($# + 1))

if out=$("$checker" "$top_srcdir" 2>&1); then
  ok "the tree's #include arrows point one way"
else
  not_ok "the tree's #include arrows point one way"
  diag "$out"
fi

for arrow in "$@"; do
  file=${arrow% *}; header=${arrow#* }
  plant "$file" "$header"
  out=$("$checker" "$TMP/tree" 2>&1); status=$?
  if [ $status -eq 1 ] && printf '%s\n' "$out" | grep -q "^$file:[0-9]*: .* may not include $header\$"; then
    ok "a planted arrow $file -> $header is named"
  else
    not_ok "a planted arrow $file -> $header is named"
    diag "status $status: $out"
  fi
done
finish
