#!/bin/sh
# Same scenario, same seed: byte-identical outputs (docs/scenario-format.md,
# `seed`). Runs scenario 01 and the tour twice each, into two
# different directories, and compares the sha256 of every file they wrote
# (trace.pcapng, each pcap, report.txt, report.json, topology.*). Then runs
# each with --seed 1 and --seed 2: the trace must differ (TCP initial
# sequence numbers and ephemeral ports come from seeded random streams;
# checked with tshark when present) while the verdicts in report.json stay
# the same. Ten TAP lines per scenario.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

command -v sha256sum > /dev/null 2>&1 || bail "no sha256sum"
command -v python3 > /dev/null 2>&1 || bail "no python3 (reads report.json)"

SCENARIOS="01-internet-to-public-service 00-tour"

# run NAME TAG [ARGS...]: runs scenario NAME into $TMP/NAME/TAG; the exit
# status goes to $TMP/NAME/TAG.status.
run () {
  r_name=$1 r_tag=$2
  shift 2
  mkdir -p "$TMP/$r_name"
  "$NETSIM" run "$top_srcdir/scenarios/$r_name.ini" -o "$TMP/$r_name/$r_tag" \
    --quiet "$@" > "$TMP/$r_name/$r_tag.out" 2> "$TMP/$r_name/$r_tag.err"
  echo $? > "$TMP/$r_name/$r_tag.status"
}

# digests DIR: "SHA256  ./PATH" of every file under DIR, sorted by path.
digests () {
  (cd "$1" && find . -type f | sort | while read -r f; do sha256sum "$f"; done)
}

# verdicts DIR: per traffic, what a student is told happened.
verdicts () {
  python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["traffic"]:
    print(t["name"], json.dumps(t["outcomes"], sort_keys=True),
          json.dumps(t.get("classified"), sort_keys=True), t.get("decided_at"))
' "$1/report.json"
}

# handshakes FILE: the client's initial sequence numbers and ports.
handshakes () {
  ts -r "$1" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0" -T fields \
    -e tcp.srcport -e tcp.seq_raw > "$TMP/syn" 2> "$TMP/tshark.err" \
    && sort -u "$TMP/syn"
}

# same_files DESC LIST: one TAP line: the files of LIST (paths as in the
# .sums files, one a line) have the same digest in runs a and b.
same_files () {
  sf_desc=$1 sf_list=$2
  : > "$TMP/differ"
  while read -r sf_f; do
    [ -n "$sf_f" ] || continue
    sf_a=$(awk -v f="$sf_f" '$2 == f { print $1 }' "$A.sums")
    sf_b=$(awk -v f="$sf_f" '$2 == f { print $1 }' "$B.sums")
    [ -n "$sf_a" ] && [ "$sf_a" = "$sf_b" ] \
      || echo "${sf_f#./}: ${sf_a:-(missing)} and ${sf_b:-(missing)}" >> "$TMP/differ"
  done < "$sf_list"
  if [ ! -s "$TMP/differ" ]; then
    ok "$sf_desc"
  else
    not_ok "$sf_desc"
    diag "sha256 in the first and the second run:"
    diag_file "$TMP/differ" 10
  fi
}

SKIPPED="# SKIP the scenario did not run"
n=0
for s in $SCENARIOS; do n=$((n + 1)); done
plan $((10 * n))

for s in $SCENARIOS; do
  A=$TMP/$s/a B=$TMP/$s/b S1=$TMP/$s/seed1 S2=$TMP/$s/seed2
  if [ ! -f "$top_srcdir/scenarios/$s.ini" ]; then
    bail "no scenarios/$s.ini"
  fi
  run "$s" a
  run "$s" b
  run "$s" seed1 --seed 1
  run "$s" seed2 --seed 2

  # 1. Every run completes: exit 0, or 1 when an expectation fails (that
  # is check-all's business), never 2 or a crash.
  bad=
  for tag in a b seed1 seed2; do
    case $(cat "$TMP/$s/$tag.status") in
      0|1) ;;
      *) bad="$bad $tag" ;;
    esac
  done
  if [ -z "$bad" ]; then
    ok "$s: four runs complete (same seed twice, --seed 1, --seed 2)"
  else
    not_ok "$s: four runs complete (same seed twice, --seed 1, --seed 2)"
    for tag in $bad; do
      diag "run $tag exited $(cat "$TMP/$s/$tag.status"):"
      diag_file "$TMP/$s/$tag.err" 5
    done
    for t in "same files" trace.pcapng report.txt report.json pcap/*.pcap \
             "other files" "--seed 2 trace" "--seed 2 ISNs" "--seed 2 verdicts"; do
      ok "$s: $t $SKIPPED"
    done
    continue
  fi

  # 2. The same files, all there, no staging directory left behind.
  digests "$A" > "$A.sums"
  digests "$B" > "$B.sums"
  sed 's/^[0-9a-f]*  //' "$A.sums" > "$A.files"
  sed 's/^[0-9a-f]*  //' "$B.sums" > "$B.files"
  missing=
  for f in ./trace.pcapng ./report.txt ./report.json; do
    grep -qx "$f" "$A.files" || missing="$missing $f"
  done
  grep -q '^\./pcap/.*\.pcap$' "$A.files" || missing="$missing ./pcap/*.pcap"
  leftover=$(grep '/\.partial' "$A.files" "$B.files" | head -n 1)
  if [ -z "$missing" ] && [ -z "$leftover" ] && cmp -s "$A.files" "$B.files"
  then
    ok "$s: two runs, same seed, write the same $(grep -c . "$A.files") files"
  else
    not_ok "$s: two runs, same seed, write the same files"
    [ -z "$missing" ] || diag "missing:$missing"
    [ -z "$leftover" ] || diag "left behind: $leftover"
    diff "$A.files" "$B.files" | sed 's/^/#   /'
  fi

  # 3.-7. Byte for byte.
  for f in trace.pcapng report.txt report.json; do
    echo "./$f" > "$TMP/list"
    same_files "$s: $f identical in both runs" "$TMP/list"
  done
  grep '^\./pcap/' "$A.files" > "$TMP/list"
  same_files "$s: every pcap/*.pcap identical in both runs ($(grep -c . "$TMP/list"))" \
    "$TMP/list"
  grep -v -e '^\./pcap/' -e '^\./trace\.pcapng$' -e '^\./report\.txt$' \
    -e '^\./report\.json$' "$A.files" > "$TMP/list"
  same_files "$s: every other file identical in both runs ($(sed 's|^\./||' "$TMP/list" | tr '\n' ' ' | sed 's/ $//'))" \
    "$TMP/list"

  # 8. Another seed, another trace.
  if [ -f "$S1/trace.pcapng" ] && [ -f "$S2/trace.pcapng" ] \
     && ! cmp -s "$S1/trace.pcapng" "$S2/trace.pcapng"; then
    ok "$s: --seed 2 writes another trace.pcapng than --seed 1"
  else
    not_ok "$s: --seed 2 writes another trace.pcapng than --seed 1"
    cksum "$S1/trace.pcapng" "$S2/trace.pcapng" 2>&1 | sed 's/^/#   /'
  fi

  # 9. ... because the initial sequence numbers and the ports differ.
  if [ -z "$TSHARK" ]; then
    skip "$s: --seed 2 draws other TCP initial sequence numbers and ports" \
      "no tshark"
  elif handshakes "$S1/trace.pcapng" > "$S1.syn" \
       && handshakes "$S2/trace.pcapng" > "$S2.syn" \
       && [ -s "$S1.syn" ] && [ -s "$S2.syn" ]; then
    cut -f1 "$S1.syn" | sort -u > "$S1.ports"
    cut -f1 "$S2.syn" | sort -u > "$S2.ports"
    cut -f2 "$S1.syn" | sort -u > "$S1.isn"
    cut -f2 "$S2.syn" | sort -u > "$S2.isn"
    if ! cmp -s "$S1.ports" "$S2.ports" && ! cmp -s "$S1.isn" "$S2.isn"; then
      ok "$s: --seed 2 draws other TCP initial sequence numbers and ports"
    else
      not_ok "$s: --seed 2 draws other TCP initial sequence numbers and ports"
      diag "SYN source ports and ISNs with --seed 1:"
      diag_file "$S1.syn" 5
      diag "with --seed 2:"
      diag_file "$S2.syn" 5
    fi
  else
    not_ok "$s: --seed 2 draws other TCP initial sequence numbers and ports"
    diag "no SYN found, or tshark failed:"
    diag_tshark_err
  fi

  # 10. The same verdicts.
  if verdicts "$S1" > "$S1.verdicts" 2> "$TMP/py.err" \
     && verdicts "$S2" > "$S2.verdicts" 2>> "$TMP/py.err" \
     && [ -s "$S1.verdicts" ] && cmp -s "$S1.verdicts" "$S2.verdicts"; then
    ok "$s: --seed 2 gives the verdicts of --seed 1 ($(grep -c . "$S1.verdicts") traffic)"
  else
    not_ok "$s: --seed 2 gives the verdicts of --seed 1"
    diag "report.json traffic (name, outcomes, classified, decided_at):"
    diff "$S1.verdicts" "$S2.verdicts" | sed 's/^/#   /'
    diag_file "$TMP/py.err" 5
  fi
done
finish
