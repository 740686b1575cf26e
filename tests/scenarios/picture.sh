#!/bin/sh
# The topology picture a class can read (tools/report/graph.h, issue 9).
#
# - The tour drawn by dot fits a projector: the SVG within 1600 x 900 pt
#   (the graph's size attribute, 16:9) and, drawn at its natural size
#   (-Gsize=), within 1850 x 1060 pt (measured 1749 x 1043 with the PSC
#   caller without PGA, issue 19; 1830 x 1047 with 10 pt edge labels,
#   issue 22) and between
#   3:2 and 2:1 wide, so that the size attribute scales the text by no
#   less than about 0.85.
# - A path goes forward only: a connector's queue wait on the way back
#   draws no edge from the backend into the connector (scenario 37).
# - No label repeats itself ("gfe (gfe)", a name and its class).
# - 40 instances of a service are one node "backend x40", and none of
#   backend-1 .. backend-40 is drawn.
# - A legend box; the causes of the tour's drops on the edges into the
#   hop that decided; delivered paths green, refused ones red.
# - Colour is not the only difference (issue 22): every refused or dropped
#   path is dashed (in dot's SVG too), no delivered one is, and every edge
#   into a hop that decided ends in a bar (arrowhead or arrowtail tee);
#   the legend says so.
# - graph --traffic NAME draws only the nodes that traffic crossed; an
#   unknown NAME is a usage error.
# - dot -Tsvg says nothing on stderr for every scenario's picture and for
#   each of the tour's traffics alone; dot -Tpng draws the tour.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

TOUR=$top_srcdir/scenarios/00-tour.ini
[ -f "$TOUR" ] || bail "no $TOUR"
plan 13

have_dot=
command -v dot > /dev/null 2>&1 && have_dot=1

"$NETSIM" graph "$TOUR" > "$TMP/tour.dot" 2> "$TMP/err" \
  || { diag_file "$TMP/err" 5; bail "graph $TOUR failed"; }

# svg_size FILE: "WIDTH HEIGHT" in pt of an SVG dot wrote.
svg_size () {
  sed -n 's/^<svg width="\([0-9.]*\)pt" height="\([0-9.]*\)pt".*/\1 \2/p' "$1" \
    | head -n 1
}

# 1-2. The tour's size.
if [ -n "$have_dot" ]; then
  dot -Tsvg "$TMP/tour.dot" > "$TMP/tour.svg" 2> "$TMP/dot.err"
  set -- $(svg_size "$TMP/tour.svg")
  desc="the tour's SVG is within 1600 x 900 pt"
  if [ -n "${2:-}" ] && awk "BEGIN { exit !($1 <= 1600 && $2 <= 900) }"; then
    ok "$desc ($1 x $2)"
  else
    not_ok "$desc"
    diag "size: ${1:-none} x ${2:-none}"
  fi
  dot -Tsvg -Gsize= "$TMP/tour.dot" > "$TMP/natural.svg" 2> "$TMP/dot.err"
  set -- $(svg_size "$TMP/natural.svg")
  desc="the tour at its natural size is within 1850 x 1060 pt, 3:2 to 2:1"
  if [ -n "${2:-}" ] && awk "BEGIN { exit !($1 <= 1850 && $2 <= 1060 && $1 >= 1.5 * $2 && $1 <= 2 * $2) }"; then
    ok "$desc ($1 x $2)"
  else
    not_ok "$desc"
    diag "size: ${1:-none} x ${2:-none}"
  fi
else
  skip "the tour's SVG is within 1600 x 900 pt" "no Graphviz dot"
  skip "the tour at its natural size is within 1850 x 1060 pt, 3:2 to 2:1" \
    "no Graphviz dot"
fi

# 2b. A path goes forward only: scenario 37's connector queue waits (on
# the way back too) draw no edge from the backend into a connector.
"$NETSIM" graph "$top_srcdir"/scenarios/37-*.ini > "$TMP/s37.dot" 2> "$TMP/err" \
  || bail "graph of scenario 37 failed"
# (dot draws an edge against its rank as "A" -> "B" [dir=back].)
if grep -Eq '^  ("service backend" -> "connector|"connector [^"]*" -> "service backend")' "$TMP/s37.dot"; then
  not_ok "37: no edge from the backend back into a connector"
  grep -E '"service backend"' "$TMP/s37.dot" | diag_file /dev/stdin
else
  ok "37: no edge from the backend back into a connector"
fi

# 2c. A service's box names its mapped custom domains (scenario 54).
"$NETSIM" graph "$top_srcdir"/scenarios/54-*.ini > "$TMP/s54.dot" 2> "$TMP/err" \
  || bail "graph of scenario 54 failed"
if grep -q '^ *"service api" \[label="api\\ningress: internal\\ndomain api.example.com\\n' "$TMP/s54.dot"; then
  ok "54: the service's box names its custom domain"
else
  not_ok "54: the service's box names its custom domain"
  grep '"service api"' "$TMP/s54.dot" | diag_file /dev/stdin
fi

# 3. No label that says a thing twice, in any scenario's picture.
: > "$TMP/twice"
for f in "$top_srcdir"/scenarios/*.ini; do
  "$NETSIM" graph "$f" > "$TMP/one.dot" 2> "$TMP/err" \
    || echo "$f: graph failed" >> "$TMP/twice"
  grep -E 'label="([^"\\]*)\\n\(\1\)"|\\n\([a-z-]+\)"|gfe \(gfe\)' \
    "$TMP/one.dot" | sed "s|^|$(basename "$f"): |" >> "$TMP/twice"
done
if [ ! -s "$TMP/twice" ]; then
  ok "no label repeats a name or shows a class name in parentheses"
else
  not_ok "no label repeats a name or shows a class name in parentheses"
  diag_file "$TMP/twice" 5
fi

# 4. Forty instances, one node.
"$NETSIM" run "$TOUR" --set "service backend.min-instances=40" -q \
  -o "$TMP/forty" > /dev/null 2> "$TMP/err"
nodes=$(grep -c '^ *"service backend" \[label="backend ×40\\n' \
          "$TMP/forty/topology.dot" 2>/dev/null)
apart=$(grep -c '"backend-[0-9]*"' "$TMP/forty/topology.dot" 2>/dev/null)
if [ "${nodes:-0}" -eq 1 ] && [ "${apart:-1}" -eq 0 ]; then
  ok "40 instances of backend are one node 'backend ×40'"
else
  not_ok "40 instances of backend are one node 'backend ×40'"
  diag "nodes 'backend ×40': ${nodes:-none}; backend-N nodes: ${apart:-none}"
  diag_file "$TMP/err" 5
fi

# 5. The legend, the causes, the colours.
why=
grep -q 'subgraph cluster_legend' "$TMP/tour.dot" || why="no legend box"
grep -q '^  "subnet direct-no-pga" -> "router vpc" \[color=red3.*DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED' \
  "$TMP/tour.dot" || why="${why:+$why; }no cause on the edge into router vpc"
grep -q '^  "GFE" -> "service backend" \[color=forestgreen' "$TMP/tour.dot" \
  || why="${why:+$why; }no green edge into backend"
grep -q 'INGRESS_DENIED, HTTP 404' "$TMP/tour.dot" \
  || why="${why:+$why; }no INGRESS_DENIED on an edge"
if [ -z "$why" ]; then
  ok "a legend; causes at the deciding hops; green and red paths"
else
  not_ok "a legend; causes at the deciding hops; green and red paths"
  diag "$why"
fi

# 5b. Dashed and barred, not only red.
why=
red=$(grep -c '^  ".*" -> ".*" \[color=red3' "$TMP/tour.dot")
[ "$red" -gt 0 ] || why="no red edge"
n=$(grep '^  ".*" -> ".*" \[color=red3' "$TMP/tour.dot" | grep -vc 'style=dashed')
[ "$n" -eq 0 ] || why="${why:+$why; }$n red edges not dashed"
n=$(grep '^  ".*" -> ".*" \[color=forestgreen' "$TMP/tour.dot" | grep -c 'dashed')
[ "$n" -eq 0 ] || why="${why:+$why; }$n green edges dashed"
bold=$(grep -c 'Helvetica-Bold' "$TMP/tour.dot")
[ "$bold" -ge 7 ] || why="${why:+$why; }$bold edges with a cause, expected 7"
n=$(grep 'Helvetica-Bold' "$TMP/tour.dot" | grep -vEc 'arrow(head|tail)=tee')
[ "$n" -eq 0 ] || why="${why:+$why; }$n edges with a cause do not end in a bar"
grep -q 'refused or dropped (dashed)' "$TMP/tour.dot" \
  || why="${why:+$why; }the legend does not say dashed"
if [ -n "$have_dot" ]; then
  dot -Tsvg "$TMP/tour.dot" > "$TMP/dashes.svg" 2> /dev/null
  n=$(grep '<path fill="none" stroke="#cd0000"' "$TMP/dashes.svg" \
        | grep -vc 'stroke-dasharray')
  [ "$n" -eq 0 ] || why="${why:+$why; }$n red paths in the SVG not dashed"
fi
if [ -z "$why" ]; then
  ok "refused and dropped paths are dashed and end in a bar ($red red edges)"
else
  not_ok "refused and dropped paths are dashed and end in a bar"
  diag "$why"
fi

# 6-7. One traffic alone: its nodes only.
"$NETSIM" graph "$TOUR" --traffic a-zone-vips-no-pga > "$TMP/alone.dot" \
  2> "$TMP/err"
status=$?
sed -n 's/^ *\("[^"]*"\) \[label=.*/\1/p' "$TMP/alone.dot" | sort \
  > "$TMP/alone.nodes"
printf '%s\n' '"router vpc-vips"' '"service a-zone-vips-no-pga"' \
  '"subnet vips-no-pga"' > "$TMP/alone.want"
if [ "$status" -eq 0 ] && cmp -s "$TMP/alone.nodes" "$TMP/alone.want" \
   && grep -q cluster_legend "$TMP/alone.dot" \
   && ! grep -q 'a-zone-vips-pga' "$TMP/alone.dot"; then
  ok "--traffic a-zone-vips-no-pga draws its three nodes and the legend"
else
  not_ok "--traffic a-zone-vips-no-pga draws its three nodes and the legend"
  diag "exit status $status; nodes:"
  diag_file "$TMP/alone.nodes" 10
fi
"$NETSIM" graph "$TOUR" --traffic no-such-traffic > "$TMP/out" 2> "$TMP/err"
status=$?
if [ "$status" -eq 2 ] && [ ! -s "$TMP/out" ] \
   && grep -q "found 'no-such-traffic'" "$TMP/err"; then
  ok "--traffic of an unknown NAME: exit 2 and a message"
else
  not_ok "--traffic of an unknown NAME: exit 2 and a message"
  diag "exit status $status"
  diag_file "$TMP/err" 5
fi

# 8-9. dot has nothing to say about any picture.
if [ -n "$have_dot" ]; then
  : > "$TMP/warnings"
  for f in "$top_srcdir"/scenarios/*.ini; do
    "$NETSIM" graph "$f" 2> /dev/null | dot -Tsvg > /dev/null 2> "$TMP/dot.err"
    [ -s "$TMP/dot.err" ] && sed "s|^|$(basename "$f"): |" "$TMP/dot.err" \
      >> "$TMP/warnings"
  done
  if [ ! -s "$TMP/warnings" ]; then
    ok "dot -Tsvg warns of nothing for every scenario"
  else
    not_ok "dot -Tsvg warns of nothing for every scenario"
    diag_file "$TMP/warnings" 5
  fi
  : > "$TMP/warnings"
  for t in $(sed -n 's/^\[traffic \(.*\)\]$/\1/p' "$TOUR"); do
    "$NETSIM" graph "$TOUR" --traffic "$t" 2> /dev/null \
      | dot -Tsvg > /dev/null 2> "$TMP/dot.err"
    [ -s "$TMP/dot.err" ] && sed "s|^|$t: |" "$TMP/dot.err" >> "$TMP/warnings"
  done
  if [ ! -s "$TMP/warnings" ]; then
    ok "dot -Tsvg warns of nothing for each of the tour's traffics alone"
  else
    not_ok "dot -Tsvg warns of nothing for each of the tour's traffics alone"
    diag_file "$TMP/warnings" 5
  fi
else
  skip "dot -Tsvg warns of nothing for every scenario" "no Graphviz dot"
  skip "dot -Tsvg warns of nothing for each traffic alone" "no Graphviz dot"
fi

# 10. The tour as a PNG.
if [ -n "$have_dot" ]; then
  dot -Tpng "$TMP/tour.dot" > "$TMP/tour.png" 2> "$TMP/dot.err"
  if [ -s "$TMP/tour.png" ] && [ ! -s "$TMP/dot.err" ]; then
    ok "dot -Tpng draws the tour"
  else
    not_ok "dot -Tpng draws the tour"
    diag_file "$TMP/dot.err" 5
  fi
else
  skip "dot -Tpng draws the tour" "no Graphviz dot"
fi
finish
