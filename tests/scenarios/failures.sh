#!/bin/sh
# Every failure is visible (issue 22, item 2). Each outcome other than
# delivered (the words of CLOUDRUN_VERDICT_LIST in models/vocab) is walked
# in every public scenario that produces it, plus two runs that make the
# outcomes no scenario has: a caller's timeout (34 with timeout = 5s) and
# an NXDOMAIN (10 with a private zone that lacks the name). For the first
# request of each traffic and outcome (requests.jsonl):
#   - the verdict table's row (report.txt, the run's stdout) names its
#     cause (or, without a drop cause, says it in words), also in a mixed
#     row ("delivered 40/50, unavailable 10": NO_AVAILABLE_INSTANCE 10);
#   - explain's deciding step (its last at the node the verdict line names:
#     a dual-stack caller's CHOOSE_ADDRESS may follow it) has a
#     trace.pcapng frame number,
#     except a Google product's refusal, which no packet left: explain
#     says so;
#   - that frame's comment is the step (tshark);
#   - the Lua plugin raises an error or warning expert item on that frame
#     (tshark with Lua).
# Every non-delivered outcome word must be walked at least once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

VOCAB=$top_srcdir/models/vocab/vocabulary.h
LUA=$top_srcdir/tools/wireshark/cloudrun-netsim.lua
OUTCOMES=$(sed -n '/^#define CLOUDRUN_VERDICT_LIST/,/^$/p' "$VOCAB" \
           | sed -n 's/.*X ([A-Z_]*, "\([a-z-]*\)").*/\1/p' \
           | grep -v '^delivered$')
[ -n "$OUTCOMES" ] || bail "no outcome words in $VOCAB"

have_ts=
have_lua=
if [ -n "$TSHARK" ] && command -v "$TSHARK" >/dev/null 2>&1; then
  mkdir -p "$TMP/wireshark" || bail "mkdir failed"
  have_ts=1
  "$TSHARK" -v 2>/dev/null | grep -q 'with Lua' && have_lua=1
fi

# The cases: NAME FILE [--set ...].
: > "$TMP/walked"
walk () {
  name=$1 file=$2
  shift 2
  out=$TMP/$name
  # A run whose [expect] fails exits 1 (the variants' do): it still ran.
  "$NETSIM" run "$file" -o "$out" "$@" > "$TMP/$name.stdout" 2> "$TMP/err"
  [ -f "$out/requests.jsonl" ] \
    || { diag_file "$TMP/err"; not_ok "$name runs"; return; }
  # One line per traffic and outcome: its first request (index from 1).
  sed -n 's/^{"traffic":"\([^"]*\)","index":\([0-9]*\),.*"outcome":"\([a-z-]*\)",.*"cause":\(null\|"[A-Z_]*"\),.*"decided_at":"\([a-z-]*\)".*/\1 \2 \3 \4 \5/p' \
    "$out/requests.jsonl" | awk '$3 != "delivered" && !seen[$1 " " $3]++' \
    > "$TMP/$name.picks"
  [ -s "$TMP/$name.picks" ] || return 0
  if [ -n "$have_ts" ]; then
    ts -r "$out/trace.pcapng" -Y frame.comment -T fields -e frame.number \
      -e frame.comment > "$TMP/$name.comments" 2> "$TMP/tshark.err" \
      || diag_tshark_err
  fi
  if [ -n "$have_lua" ]; then
    ts -X lua_script:"$LUA" -r "$out/trace.pcapng" \
      -Y 'cloudrun.drop.expert || cloudrun.refused.expert' -T fields \
      -e frame.number > "$TMP/$name.experts" 2> "$TMP/tshark.err" \
      || diag_tshark_err
  fi
  while read -r traffic index outcome cause hop; do
    echo "$outcome" >> "$TMP/walked"
    what="$name: $outcome ($traffic, request $index)"
    cause=$(echo "$cause" | tr -d '"')
    case $cause/$outcome in
      null/timeout) word="caller's timeout" ;;
      null/dns-failure) word="name not resolved" ;;
      null/unavailable) word="no whole response" ;;
      null/*) word="(none)" ;;
      *) word=$cause ;;
    esac
    # The table row: traffic name first; the cause cell after the hop.
    row=$(grep "^$traffic " "$TMP/$name.stdout" | head -n 1)
    case $row in
      *" $word"*) ok "$what: the verdict table names $word" ;;
      *) not_ok "$what: the verdict table names $word"; diag "row: $row" ;;
    esac
    "$NETSIM" explain "$file" --traffic "$traffic" --request "$index" \
      --no-what-if "$@" > "$TMP/explain" 2> "$TMP/err"
    node=$(sed -n 's/^    verdict: .*, decided at [^ ]* (\([^)]*\))$/\1/p' \
      "$TMP/explain")
    step=$(grep '^ *[0-9][0-9]*\. ' "$TMP/explain" \
      | grep " at $node[ :]" | tail -n 1)
    [ -n "$step" ] || step=$(grep '^ *[0-9][0-9]*\. ' "$TMP/explain" | tail -n 1)
    frame=$(echo "$step" | sed -n 's/.*(trace\.pcapng frame \([0-9]*\))$/\1/p')
    if [ "$hop" = google-product ]; then
      grep -q "^    the caller: no HTTP request; the product refused it before any packet left$" "$TMP/explain"
      check "$what: explain says no packet left" [ $? -eq 0 ]
      skip "$what: frame comment" "no packet"
      skip "$what: expert item" "no packet"
      continue
    fi
    if [ -n "$frame" ]; then
      ok "$what: explain's deciding step has frame $frame"
    else
      not_ok "$what: explain's deciding step has a frame number"
      diag "step: $step"
    fi
    # "STATE [CAUSE] at NODE", the step's head, opens one of the frame's
    # comments (tshark joins them with ",").
    head=$(echo "$step" | sed 's/^ *[0-9]*\. *+[^ ]* *//; s/\( at [^ :]*\).*/\1/')
    if [ -z "$have_ts" ]; then
      skip "$what: frame comment" "no tshark"
    elif grep -q "^$frame	\(.*,\)\{0,1\}$head" "$TMP/$name.comments"; then
      ok "$what: frame $frame's comment is '$head ...'"
    else
      not_ok "$what: frame ${frame:-?}'s comment is '$head ...'"
    fi
    if [ -z "$have_lua" ]; then
      skip "$what: expert item" "no tshark with Lua"
    elif grep -qx "$frame" "$TMP/$name.experts"; then
      ok "$what: the plugin raises an expert item on frame $frame"
    else
      not_ok "$what: the plugin raises an expert item on frame ${frame:-?}"
    fi
  done < "$TMP/$name.picks"
}

for f in "$top_srcdir"/scenarios/[0-9]*.ini; do
  walk "$(basename "$f" .ini)" "$f"
done
walk timeout "$top_srcdir"/scenarios/34-*.ini \
  --set 'traffic burst-to-capped.timeout=5s'
walk nxdomain "$top_srcdir"/scenarios/10-*.ini \
  --set 'dns-zone run-app.records=other.run.app. A 10.255.0.5'

for o in $OUTCOMES; do
  check "outcome $o is walked" grep -qx "$o" "$TMP/walked"
done
finish
