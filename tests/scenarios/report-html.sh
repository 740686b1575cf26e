#!/bin/sh
# report.html, the run's page for a class (tools/report/report-html.h, issue 9).
#
# For the tour and two scenarios of one lesson each (05: dropped for lack
# of PGA, 14: refused by IAM):
# - run writes report.html; it references nothing on a network (no src=,
#   href= or url( to http:, https: or //; the services' run.app URLs as
#   text are fine);
# - it is well-formed: xmllint's XML parser finds no error, and its HTML
#   parser none but "Tag X invalid" for the SVG elements of the picture
#   and HTML5's nav, details and summary (libxml2's HTML parser knows
#   neither inline SVG nor them);
# - it names every traffic and the cause of every first request that was
#   refused or dropped (report.txt's "cause X"), and it highlights one
#   deciding step per traffic.
# Then, for the tour:
# - the picture is inline (an <svg> element, no XML prolog or doctype);
# - the same run gives the same bytes;
# - text from the scenario is escaped (a title and description with <, &);
# - when dot fails, a note replaces the picture and the page stays
#   well-formed;
# - headless Chromium (required: tools/dev/setup.sh installs it) loads it with
#   no console message (checked against a page that logs one, so a change
#   in Chromium's logging cannot make the check pass vacuously) and takes a
#   1600 x 1200 screenshot, kept as report-tour.png in the build
#   directory for people to look at.
# The layout (issue 22, items 6 and 10):
# - the tour's page has a table of contents, and each traffic is a
#   closed <details> section, named in the contents, holding its own
#   picture (ids prefixed, so that no id repeats) and its steps;
# - the whole picture is inline at its natural size (dot's -Gsize=: scale
#   1, not a projector's 22 inches, nor the page's width);
# - scenario 34's load charts each span where their gauges move, not the
#   run's minute: their captions say so, and the cold service's requests
#   in flight fall in the right half of its chart, not at its left edge;
# - in Chromium 1280 pixels wide, with every section open, nothing of the
#   tour's, 12's, 34's or 37's page is wider than the window (no
#   horizontal cut) and every text of every picture and chart is drawn
#   at 12 pixels or more.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

TOUR=$top_srcdir/scenarios/00-tour.ini
PGA=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
IAM=$top_srcdir/scenarios/14-iam-invoker-needs-id-token.ini
for f in "$TOUR" "$PGA" "$IAM"; do
  [ -f "$f" ] || bail "no $f"
done
CHROMIUM=${CHROMIUM:-chromium}
SHOT=$(pwd)/report-tour.png
plan 26

# run_to SCENARIO DIR [ARGS...]: a run with the captures off; bails when
# it fails.
run_to () {
  rt_sc=$1 rt_dir=$2
  shift 2
  "$NETSIM" run "$rt_sc" -q --capture=none -o "$rt_dir" "$@" \
    > "$TMP/out" 2> "$TMP/err" \
    || { diag_file "$TMP/err" 5; bail "run $rt_sc failed"; }
}

# net_refs FILE: prints the src=, href= and url( references to a network.
net_refs () {
  grep -oiE "(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:|//)[^\"' >]*|url\([[:space:]]*[\"']?[[:space:]]*(https?:|//)[^)]*" "$1"
}

# html_errors FILE: xmllint's HTML parser's errors, but for the SVG
# and HTML5 elements it does not know.
html_errors () {
  xmllint --html --noout "$1" 2>&1 | grep -E 'error' \
    | grep -vE 'Tag (svg|g|path|polygon|polyline|ellipse|text|a|title|desc|defs|circle|rect|line|image|tspan|linearGradient|radialGradient|stop|nav|details|summary) invalid'
}

# well_formed DESC FILE: one TAP line.
well_formed () {
  wf_why=
  xmllint --noout "$2" > "$TMP/xml.err" 2>&1 \
    && [ ! -s "$TMP/xml.err" ] || wf_why="XML parser errors"
  html_errors "$2" > "$TMP/html.err"
  [ ! -s "$TMP/html.err" ] || wf_why="${wf_why:+$wf_why; }HTML parser errors"
  if [ -z "$wf_why" ]; then
    ok "$1"
  else
    not_ok "$1"
    diag "$wf_why"
    diag_file "$TMP/xml.err" 6
    diag_file "$TMP/html.err" 6
  fi
}

# names_all DESC DIR SCENARIO: one TAP line: report.html names every
# traffic of SCENARIO and every cause in report.txt, and has one deciding
# step per traffic.
names_all () {
  na_why=
  sed 's/&#8203;//g' "$2/report.html" > "$TMP/plain.html"
  for na_t in $(sed -n 's/^\[traffic \(.*\)\][[:space:]]*$/\1/p' "$3"); do
    grep -qF -e ">$na_t<" "$TMP/plain.html" \
      || na_why="${na_why:+$na_why; }no traffic $na_t"
  done
  na_causes=$(sed -n 's/.*, cause \([A-Z_]*\).*/\1/p' "$2/report.txt" | sort -u)
  [ -n "$na_causes" ] || na_why="${na_why:+$na_why; }no cause in report.txt"
  for na_c in $na_causes; do
    grep -qF -e "$na_c" "$TMP/plain.html" \
      || na_why="${na_why:+$na_why; }no cause $na_c"
  done
  na_traffic=$(grep -c '^\[traffic ' "$3")
  na_decide=$(grep -c 'class="decide-' "$2/report.html")
  [ "$na_traffic" -eq "$na_decide" ] \
    || na_why="${na_why:+$na_why; }$na_decide deciding steps, $na_traffic traffics"
  if [ -z "$na_why" ]; then ok "$1"; else not_ok "$1"; diag "$na_why"; fi
}

# 1-12. Three scenarios: there, nothing from a network, well-formed,
# everything named.
for sc in "$TOUR" "$PGA" "$IAM"; do
  name=$(basename "$sc" .ini)
  d=$TMP/$name
  run_to "$sc" "$d"
  check "$name: report.html is written" test -s "$d/report.html"
  net_refs "$d/report.html" > "$TMP/refs"
  if [ ! -s "$TMP/refs" ]; then
    ok "$name: no src, href or url( to a network"
  else
    not_ok "$name: no src, href or url( to a network"
    diag_file "$TMP/refs" 5
  fi
  well_formed "$name: well-formed (xmllint, XML and HTML)" "$d/report.html"
  names_all "$name: every traffic, every cause, one deciding step each" \
    "$d" "$sc"
done

# 13. The picture inline, without prolog or doctype.
T=$TMP/00-tour
if grep -q '<svg' "$T/report.html" && ! grep -qiE '<\?xml|<!DOCTYPE svg' "$T/report.html"; then
  ok "the picture is inline SVG, without XML prolog or doctype"
else
  not_ok "the picture is inline SVG, without XML prolog or doctype"
fi

# 13b. A table of contents; a closed section per traffic with its picture.
why=
n_traffic=$(grep -c '^\[traffic ' "$TOUR")
n_details=$(grep -o '<details class="traffic" id="traffic-[0-9]*">' "$T/report.html" | sort -u | wc -l)
[ "$n_details" -eq "$n_traffic" ] \
  || why="$n_details sections, $n_traffic traffics"
grep -q '<nav class="toc">' "$T/report.html" || why="${why:+$why; }no contents"
for id in $(grep -o '<details class="traffic" id="traffic-[0-9]*"' "$T/report.html" | sed 's/.*id="//; s/"//'); do
  grep -q "<a href=\"#$id\"" "$T/report.html" \
    || why="${why:+$why; }$id not in the contents"
done
if command -v dot > /dev/null 2>&1; then
  n_paths=$(grep -c '<div class="path[a-z ]*">' "$T/report.html")
  [ "$n_paths" -eq "$n_traffic" ] \
    || why="${why:+$why; }$n_paths pictures of a traffic, $n_traffic traffics"
  dup=$(grep -o ' id="[^"]*"' "$T/report.html" | sort | uniq -d | head -n 3)
  [ -z "$dup" ] || why="${why:+$why; }ids repeat: $dup"
fi
if [ -z "$why" ]; then
  ok "contents; a closed section per traffic, each with its picture"
else
  not_ok "contents; a closed section per traffic, each with its picture"
  diag "$why"
fi

# 13c. The whole picture at its natural size: dot scales it by 1.
if command -v dot > /dev/null 2>&1; then
  scale=$(grep -o '<g id="all-graph0" class="graph" transform="scale([^)]*)' \
            "$T/report.html" | sed 's/.*scale(//; s/)$//')
  if [ "$scale" = "1 1" ]; then
    ok "the whole picture is drawn at its natural size (scale $scale)"
  else
    not_ok "the whole picture is drawn at its natural size"
    diag "dot's scale: ${scale:-none}"
  fi
else
  skip "the whole picture is drawn at its natural size" "no Graphviz dot"
fi

# 13d. Scenario 34's charts span where their gauges move.
S34=$top_srcdir/scenarios/34-burst-cold-warm-and-the-pending-queue.ini
run_to "$S34" "$TMP/s34"
why=
charts=$(grep -c '<div class="load">' "$TMP/s34/report.html")
zoomed=$(grep -c "of the run's 1m (where it moves)</text>" "$TMP/s34/report.html")
[ "$charts" -gt 0 ] && [ "$zoomed" -eq "$charts" ] \
  || why="$zoomed of $charts charts zoomed"
# The cold service's first line: where its last step down is.
fall=$(sed -n '/Service <b>cold</,/<\/div>/p' "$TMP/s34/report.html" \
         | grep -m 1 '<polyline' | sed 's/.*points="//; s/".*//' \
         | tr ' ' '\n' | awk -F, 'NR > 1 && $2 > y { x = $1 } { y = $2 } END { print x + 0 }')
[ "${fall:-0}" -gt 463 ] \
  || why="${why:+$why; }the cold service's requests fall at x ${fall:-none}, in the left half"
if [ -z "$why" ]; then
  ok "34: each load chart spans where it moves ($charts charts; the cold burst ends at x $fall of 70..856)"
else
  not_ok "34: each load chart spans where it moves"
  diag "$why"
fi

# 14. Deterministic.
run_to "$TOUR" "$TMP/again"
check "the same run gives the same report.html" \
  cmp -s "$T/report.html" "$TMP/again/report.html"

# 15-16. Escaping.
run_to "$PGA" "$TMP/esc" --set 'scenario.title=Title <b>bold</b> & co' \
  --set 'scenario.description=A <script>lesson</script> & "quotes"'
if grep -qF 'Title &lt;b&gt;bold&lt;/b&gt; &amp; co' "$TMP/esc/report.html" \
   && grep -qF 'A &lt;script&gt;lesson&lt;/script&gt; &amp;' "$TMP/esc/report.html" \
   && ! grep -qF '<b>bold' "$TMP/esc/report.html" \
   && ! grep -qF '<script>' "$TMP/esc/report.html"; then
  ok "the scenario's title and description are escaped"
else
  not_ok "the scenario's title and description are escaped"
  grep -n 'bold\|lesson' "$TMP/esc/report.html" | head -n 4 | sed 's/^/#   /'
fi
well_formed "escaped page: well-formed" "$TMP/esc/report.html"

# 17-18. dot fails: a note instead of the picture.
mkdir -p "$TMP/bin" || bail "mkdir"
printf '#!/bin/sh\necho "Error: this dot draws nothing" >&2\nexit 3\n' \
  > "$TMP/bin/dot" && chmod +x "$TMP/bin/dot" || bail "cannot write fake dot"
saved_path=$PATH
PATH=$TMP/bin:$PATH
run_to "$PGA" "$TMP/nodot"
PATH=$saved_path
if ! grep -q '<svg' "$TMP/nodot/report.html" \
   && grep -qF 'this dot draws nothing' "$TMP/nodot/report.html"; then
  ok "dot failing: a note saying why instead of the picture"
else
  not_ok "dot failing: a note saying why instead of the picture"
fi
well_formed "dot failing: well-formed" "$TMP/nodot/report.html"

# 19-21. Chromium: required, as tools/test installs it.
if ! command -v "$CHROMIUM" > /dev/null 2>&1; then
  diag "no $CHROMIUM: install it (tools/dev/setup.sh lists it)"
  not_ok "headless Chromium logs a console message of a page that has one"
  not_ok "headless Chromium loads the tour's report.html with no console message"
  not_ok "the screenshot is a 1600-pixel-wide PNG of a plausible size"
  not_ok "1280 pixels wide: nothing wider than the window, pictures' text 12 px or more"
  finish
fi

# shoot URL PNG: a screenshot with Chromium's log on stderr ($TMP/chr.err).
shoot () {
  rm -f "$2"
  timeout 180 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$TMP/chromium" --no-first-run \
    --enable-logging=stderr --log-level=0 --v=0 \
    --window-size=1600,1200 --screenshot="$2" "$1" \
    > "$TMP/chr.out" 2> "$TMP/chr.err"
}

printf '<!DOCTYPE html><html><body><p>x</p><script>console.error("canary-message"); undefinedFunction();</script></body></html>\n' \
  > "$TMP/noisy.html"
shoot "file://$TMP/noisy.html" "$TMP/noisy.png"
if grep -q 'CONSOLE.*canary-message' "$TMP/chr.err" \
   && grep -q 'CONSOLE.*Uncaught' "$TMP/chr.err"; then
  ok "headless Chromium logs a console message of a page that has one"
else
  not_ok "headless Chromium logs a console message of a page that has one"
  diag_file "$TMP/chr.err" 10
fi

shoot "file://$T/report.html" "$TMP/tour.png"
status=$?
grep -E 'CONSOLE|Uncaught' "$TMP/chr.err" > "$TMP/console"
if [ "$status" -eq 0 ] && [ ! -s "$TMP/console" ]; then
  ok "headless Chromium loads the tour's report.html with no console message"
else
  not_ok "headless Chromium loads the tour's report.html with no console message"
  diag "exit status $status"
  diag_file "$TMP/console" 10
fi

# png_width FILE: the width in the PNG's IHDR.
png_width () {
  od -An -tu1 -j16 -N4 "$1" 2> /dev/null \
    | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'
}
width=$(png_width "$TMP/tour.png")
size=$(wc -c < "$TMP/tour.png" 2> /dev/null || echo 0)
if [ "$width" = 1600 ] && [ "$size" -gt 50000 ]; then
  ok "the screenshot is a 1600-pixel-wide PNG of a plausible size"
  cp "$TMP/tour.png" "$SHOT" || diag "cannot keep $SHOT"
else
  not_ok "the screenshot is a 1600-pixel-wide PNG of a plausible size"
  diag "width '$width', $size bytes"
  diag_file "$TMP/chr.err" 10
fi
# At 1280 pixels, every section open: the page's width, and the smallest
# text of its pictures and charts on screen ($TMP/measure: "scroll W
# client W font F wide TAGS").
measure () {
  sed 's#</body>#<script>for (const d of document.querySelectorAll("details")) d.open = true; const W = document.documentElement.clientWidth; let f = 1000, wide = ""; for (const t of document.querySelectorAll("svg text")) f = Math.min(f, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a); for (const e of document.querySelectorAll("body *")) if (e.getBoundingClientRect().right > W + 0.5 \&\& !e.closest("svg")) wide += " " + e.tagName; const p = document.createElement("pre"); p.id = "measure"; p.textContent = "scroll " + document.documentElement.scrollWidth + " client " + W + " font " + f.toFixed(1) + " wide" + wide; document.body.appendChild(p);</script></body>#' "$1" > "$1.measure.html"
  timeout 180 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$TMP/chromium" --no-first-run --window-size=1280,1000 \
    --dump-dom "file://$1.measure.html" 2> "$TMP/chr.err" \
    | sed -n 's/.*<pre id="measure">\([^<]*\)<.*/\1/p' > "$TMP/measure"
}
S12=$top_srcdir/scenarios/12-internet-client-refused-by-internal.ini
S37=$top_srcdir/scenarios/37-connector-machine-types-under-load.ini
run_to "$S12" "$TMP/s12"
run_to "$S37" "$TMP/s37"
why= seen=
for d in "$T" "$TMP/s12" "$TMP/s34" "$TMP/s37"; do
  measure "$d/report.html"
  set -- $(cat "$TMP/measure")
  if [ "${1:-}" != scroll ]; then
    why="${why:+$why; }$(basename "$d"): no measure"
    diag_file "$TMP/chr.err" 5
    continue
  fi
  seen="${seen:+$seen, }$(basename "$d") $2/$4 px, text $6 px"
  [ "$2" -le "$4" ] || why="${why:+$why; }$(basename "$d"): $2 px wide in $4:$(cut -d' ' -f7- "$TMP/measure" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
  awk "BEGIN { exit !($6 >= 11.95) }" \
    || why="${why:+$why; }$(basename "$d"): text of $6 px in a picture"
done
if [ -z "$why" ]; then
  ok "1280 pixels wide: nothing wider than the window, pictures' text 12 px or more ($seen)"
else
  not_ok "1280 pixels wide: nothing wider than the window, pictures' text 12 px or more"
  diag "$why"
fi

# Every refusal's state is red: scenario 40's Cloud Tasks refusal
# (TARGET_TYPE_NOT_PERMITTED_FOR_VPC) as much as the GFE's and IAM's.
S40=$top_srcdir/scenarios/40-cloud-tasks-in-a-perimeter-needs-a-token.ini
run_to "$S40" "$TMP/s40"
refusals=$(grep -o '<td class="[a-z]*">\(INGRESS\|IAM\|VPC\|TARGET\)_&#8203;[A-Z_&#;0-9]*DENIED<\|<td class="[a-z]*">TARGET_&#8203;TYPE_&#8203;NOT_[^<]*<' \
  "$TMP/s40/report.html")
if [ -n "$refusals" ] && ! printf '%s\n' "$refusals" | grep -qv 'class="bad"'; then
  ok "every refusal's state cell is marked bad (scenario 40's TARGET_TYPE_NOT_PERMITTED_FOR_VPC too)"
else
  not_ok "every refusal's state cell is marked bad (scenario 40's TARGET_TYPE_NOT_PERMITTED_FOR_VPC too)"
  diag "$refusals"
fi
finish
