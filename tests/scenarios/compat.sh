#!/bin/sh
# Files that loaded keep loading, with the same verdicts: every scenario
# file the repository has shipped (tests/compat/NAME@COMMIT.ini, one per
# distinct content of scenarios/*.ini and tests/load/*.ini in the history,
# COMMIT the first commit that held it) is run and its verdicts compared
# with tests/compat/verdicts.txt, recorded once by --update.
#
# A file's verdicts are what `check` prints for its own [expect] items
# (PASS or FAIL, expected and found) and, for a teaching scenario, the
# verdict table of `run` without its two latency columns (so traffics
# without an [expect] are held too). tests/load files are heavy: make check
# only loads them (a 1ns run: refused files exit 2); COMPAT_FULL=1 runs
# them in full. A FAIL or a refusal in the record is allowed only for a
# file that tests/compat/changed.txt names with its reason (a rule changed
# that verdict on purpose).
#
# With git, every scenarios/*.ini and tests/load/*.ini blob of HEAD must
# be in the corpus: a scenario changed or added on main is a shipped file.
#
#   tests/scenarios/compat.sh            the TAP test (make check)
#   tests/scenarios/compat.sh --update   add HEAD's history's missing blobs
#       to tests/compat/, record every file's verdicts again (in full),
#       print the diff of verdicts.txt and the files changed.txt lacks
#
# Run from the source tree with NETSIM=build/cloudrun-netsim, or from the
# build directory.
if [ -z "${NETSIM:-}" ] && [ ! -x ./cloudrun-netsim ] \
   && [ -x ./build/cloudrun-netsim ]; then
  NETSIM=$(pwd)/build/cloudrun-netsim
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

DIR=$top_srcdir/tests/compat
RECORD=$DIR/verdicts.txt
CHANGED=$DIR/changed.txt
update=false
[ "${1:-}" = --update ] && update=true

# verdicts FILE FULL: the verdict block of one corpus file on stdout.
verdicts () {
  v_name=$(basename "$1")
  echo "== $v_name"
  "$NETSIM" check "$1" > "$TMP/v.out" 2> "$TMP/v.err"
  v_status=$?
  if [ "$v_status" -eq 2 ] || [ ! -s "$TMP/v.out" ]; then
    echo "refused (exit $v_status): $(head -n 1 "$TMP/v.err" \
      | sed "s|$1|$v_name|g")"
    return
  fi
  sed "s| $1 | |; s/^/check: /" "$TMP/v.out"
  case $v_name in load-*) return ;; esac
  rm -rf "$TMP/run"
  "$NETSIM" run --capture=none --quiet --no-requests -o "$TMP/run" "$1" \
    > /dev/null 2>&1 || { echo "run: exit $?"; return; }
  awk '/^traffic  / { on = 1; next } on && /^$/ { exit }
       on { s = "run:"; for (i = 1; i <= NF - 2; i++) s = s " " $i; print s }' \
    "$TMP/run/report.txt"
}

# block NAME FILE: NAME's block in the record FILE.
block () {
  awk -v h="== $1" '$0 == h { on = 1; print; next } on && /^== / { exit }
                    on' "$2"
}

# collect: writes every scenarios/*.ini and tests/load/*.ini blob of
# HEAD's history that the corpus lacks as tests/compat/NAME@COMMIT.ini.
collect () {
  for c_f in "$DIR"/*.ini; do
    git hash-object "$c_f"
  done | sort -u > "$TMP/have"
  git -C "$top_srcdir" rev-list --reverse HEAD | while read -r c; do
    git -C "$top_srcdir" ls-tree -r "$c" -- scenarios tests/load \
      | awk -v c="$c" '$4 ~ /\.ini$/ { print $3, $4, c }'
  done | awk '!seen[$1]++' | while read -r blob path commit; do
    grep -qx "$blob" "$TMP/have" && continue
    c_base=$(basename "$path" .ini)
    case $path in tests/load/*) c_base=load-$c_base ;; esac
    c_out=$DIR/$c_base@$(git -C "$top_srcdir" rev-parse --short=7 "$commit").ini
    git -C "$top_srcdir" cat-file -p "$blob" > "$c_out"
    echo "added $(basename "$c_out")"
    echo "$blob" >> "$TMP/have"
  done
}

# unlisted RECORD: files whose block has a FAIL or a refusal and that
# changed.txt does not name; then names in changed.txt with no such block.
unlisted () {
  awk '/^== / { name = $2 } /^check: FAIL |^refused |^run: exit/ { print name }' \
    "$1" | sort -u > "$TMP/failing"
  sed -n 's/^\([^ #][^ :]*\.ini\):.*/\1/p' "$CHANGED" | sort -u > "$TMP/listed"
  comm -23 "$TMP/failing" "$TMP/listed" | sed 's/^/not in changed.txt: /'
  comm -13 "$TMP/failing" "$TMP/listed" | sed 's/^/changed.txt names a file whose verdicts are all kept: /'
}

if $update; then
  git -C "$top_srcdir" rev-parse HEAD > /dev/null 2>&1 && collect
  : > "$TMP/new"
  for f in "$DIR"/*.ini; do
    verdicts "$f" >> "$TMP/new"
  done
  [ -f "$RECORD" ] || : > "$RECORD"
  if diff -u "$RECORD" "$TMP/new" > "$TMP/diff"; then
    echo "verdicts.txt: no change"
  else
    cat "$TMP/diff"
    cp "$TMP/new" "$RECORD" || exit 2
  fi
  unlisted "$RECORD"
  exit 0
fi

[ -f "$RECORD" ] || bail "no $RECORD (run compat.sh --update)"
[ -f "$CHANGED" ] || bail "no $CHANGED"
n=0
for f in "$DIR"/*.ini; do
  [ -f "$f" ] && n=$((n + 1))
done
[ "$n" -gt 0 ] || bail "no tests/compat/*.ini"
plan $((n + 3))

for f in "$DIR"/*.ini; do
  name=$(basename "$f")
  block "$name" "$RECORD" > "$TMP/want"
  if [ ! -s "$TMP/want" ]; then
    not_ok "$name: has a record in verdicts.txt (run compat.sh --update)"
    continue
  fi
  case $name in
    load-*)
      # A refusal on record is cheap to compare: check stops at load.
      if [ -z "${COMPAT_FULL:-}" ] && ! grep -q '^refused ' "$TMP/want"; then
        "$NETSIM" check -q --set scenario.duration=1ns "$f" \
          > /dev/null 2> "$TMP/err"
        status=$?
        if [ "$status" -le 1 ]; then
          ok "$name: loads (a 1ns run; COMPAT_FULL=1 compares its verdicts)"
        else
          not_ok "$name: loads (check exited $status)"
          diag_file "$TMP/err" 5
        fi
        continue
      fi ;;
  esac
  verdicts "$f" > "$TMP/got"
  if cmp -s "$TMP/want" "$TMP/got"; then
    ok "$name: the recorded verdicts"
  else
    not_ok "$name: the recorded verdicts (compat.sh --update records new ones)"
    diff -u "$TMP/want" "$TMP/got" | sed -n '3,$p' > "$TMP/diff"
    diag_file "$TMP/diff" 30
  fi
done

unlisted "$RECORD" > "$TMP/unlisted"
if [ -s "$TMP/unlisted" ]; then
  not_ok "every FAIL or refusal in verdicts.txt is a change named in changed.txt"
  diag_file "$TMP/unlisted"
else
  ok "every FAIL or refusal in verdicts.txt is a change named in changed.txt"
fi

if git -C "$top_srcdir" rev-parse HEAD > /dev/null 2>&1; then
  for f in "$DIR"/*.ini; do
    git hash-object "$f"
  done | sort -u > "$TMP/have"
  git -C "$top_srcdir" ls-tree -r HEAD -- scenarios tests/load \
    | awk '$4 ~ /\.ini$/ { print $3, $4 }' | while read -r blob path; do
        grep -qx "$blob" "$TMP/have" || echo "$path ($blob)"
      done > "$TMP/missing"
  if [ -s "$TMP/missing" ]; then
    not_ok "every scenario file of HEAD is in tests/compat (compat.sh --update adds it)"
    diag_file "$TMP/missing"
  else
    ok "every scenario file of HEAD is in tests/compat"
  fi
else
  skip "every scenario file of HEAD is in tests/compat" "not a git tree"
fi

# The check can fail: a record whose verdict changed without a note.
printf '== planted@0000000.ini\ncheck: FAIL [expect x] status: expected 404, found 0 of 3 requests\n' \
  > "$TMP/planted"
unlisted "$TMP/planted" > "$TMP/unlisted"
check "a FAIL that changed.txt does not name is caught" \
  grep -qx 'not in changed.txt: planted@0000000.ini' "$TMP/unlisted"
finish
