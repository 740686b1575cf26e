#!/bin/sh
# Graphviz as a real dependency (tools/report/graph.h): a failing or early-exiting
# dot is a warning naming what happened, the run's other outputs stand and
# exit 0, and no topology.svg of an earlier run is left beside the new
# topology.dot. Over-long labels are cut before dot sees them.
#
# - A title of 100 KB: exit 0, topology.dot holds no string dot refuses
#   (more than 16384 bytes), and with Graphviz installed the picture is
#   drawn.
# - A dot that exits at once without reading a large input (the run used
#   to die of SIGPIPE, exit 141, without a word): exit 0, a warning with
#   dot's exit status and message, every other output written, and the
#   earlier run's topology.svg gone.
# - A dot killed by a signal: the same, the warning says so.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

GOOD=$top_srcdir/scenarios/01-internet-to-public-service.ini
[ -f "$GOOD" ] || bail "no $GOOD"
plan 4

# The 100 KB title.
TITLE=$TMP/title.ini
awk 'BEGIN { t = "T"; while (length (t) < 100000) t = t t }
     /^title = / { print "title = " t; next } { print }' "$GOOD" > "$TITLE" \
  || bail "cannot write $TITLE"

d=$TMP/title
"$NETSIM" run "$TITLE" -q -o "$d" > "$TMP/out" 2> "$TMP/err"
status=$?
longest=$(awk '{ if (length ($0) > n) n = length ($0) } END { print n + 0 }' \
          "$d/topology.dot" 2>/dev/null)
desc="a 100 KB title: exit 0, topology.dot has no line dot refuses"
if [ "$status" -eq 0 ] && [ -n "$longest" ] && [ "$longest" -lt 16384 ]; then
  ok "$desc"
else
  not_ok "$desc"
  diag "exit status $status, longest line of topology.dot: ${longest:-none}"
  diag_file "$TMP/err" 5
fi
if command -v dot > /dev/null 2>&1; then
  if [ "$status" -eq 0 ] && [ -s "$d/topology.svg" ] && [ ! -s "$TMP/err" ]; then
    ok "a 100 KB title: Graphviz draws the picture, no warning"
  else
    not_ok "a 100 KB title: Graphviz draws the picture, no warning"
    diag "exit status $status"
    diag_file "$TMP/err" 5
  fi
else
  skip "a 100 KB title: Graphviz draws the picture" "no Graphviz dot"
fi

# A scenario whose DOT text is larger than a pipe holds (many clients), so
# that writing it to a dot that never reads fails.
BIG=$TMP/big.ini
awk '/^\[traffic / && !done {
       for (i = 1; i <= 400; i++)
         printf "[client caller-with-a-rather-long-name-%03d]\naddress = 198.51.%d.%d\n\n", i, 100 + int (i / 200), 1 + i % 200
       done = 1 }
     { print }' "$GOOD" > "$BIG" || bail "cannot write $BIG"

# fake_dot BODY: a dot in $TMP/bin whose script is BODY.
mkdir -p "$TMP/bin" || bail "mkdir"
fake_dot () {
  printf '#!/bin/sh\n%s\n' "$1" > "$TMP/bin/dot" && chmod +x "$TMP/bin/dot" \
    || bail "cannot write $TMP/bin/dot"
}

# broken_dot DESC WANT: runs BIG into a DIR holding an earlier run's
# picture with the fake dot first in PATH; one TAP line.
broken_dot () {
  bd_d=$TMP/broken-$tap_n
  mkdir -p "$bd_d" && echo stale > "$bd_d/topology.svg" || bail "mkdir"
  PATH=$TMP/bin:$PATH "$NETSIM" run "$BIG" -q -o "$bd_d" > "$TMP/out" 2> "$TMP/err"
  bd_status=$?
  bd_why=
  [ "$bd_status" -eq 0 ] || bd_why="exit status $bd_status, expected 0"
  grep -q "warning: .*topology.svg.*$2" "$TMP/err" \
    || bd_why="${bd_why:+$bd_why; }no warning saying '$2'"
  [ ! -e "$bd_d/topology.svg" ] \
    || bd_why="${bd_why:+$bd_why; }a stale topology.svg is left"
  for bd_f in trace.pcapng report.txt report.json topology.dot; do
    [ -s "$bd_d/$bd_f" ] || bd_why="${bd_why:+$bd_why; }no $bd_f"
  done
  if [ -z "$bd_why" ]; then
    ok "$1"
  else
    not_ok "$1"
    diag "$bd_why" "stderr:"
    diag_file "$TMP/err" 5
  fi
}

fake_dot 'echo "Error: this dot reads nothing" >&2; exit 3'
broken_dot "dot exiting early: exit 0, a warning, other outputs, no stale svg" \
  "dot exited with status 3: Error: this dot reads nothing"

fake_dot 'kill -KILL $$'
broken_dot "dot killed: exit 0, a warning, other outputs, no stale svg" \
  "dot was killed by signal 9"
finish
