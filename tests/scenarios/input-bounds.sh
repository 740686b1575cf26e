#!/bin/sh
# Bounded input (tools/session/run.h): the scenario file is read only if it is a
# regular file of at most 4 MiB, and --seed takes only a whole number from
# 0 to 2^64 - 1. Each refusal is quick, exits 2, names the file or the
# option, says what was expected and found, and creates no DIR.
#
# - a FIFO nobody writes (used to block forever), /dev/zero (used to be
#   read without limit), a directory, a file of 4 MiB + 1 byte;
# - --seed -5, --seed abc, --seed 18446744073709551616 (run and explain);
#   --seed 18446744073709551615 is accepted.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

GOOD=$top_srcdir/scenarios/01-internet-to-public-service.ini
[ -f "$GOOD" ] || bail "no $GOOD"
plan 9

# refused_in DESC STDERR ARGS...: runs the command (at most 10 s) with
# ARGS; one TAP line: exit 2, stderr holds STDERR, stdout empty, and no
# $TMP/out-dir.
refused_in () {
  ri_desc=$1 ri_want=$2
  shift 2
  timeout -s KILL 10 "$NETSIM" "$@" > "$TMP/out" 2> "$TMP/err" < /dev/null
  ri_status=$?
  ri_why=
  [ "$ri_status" -eq 2 ] || ri_why="exit status $ri_status, expected 2"
  grep -qF -e "$ri_want" "$TMP/err" \
    || ri_why="${ri_why:+$ri_why; }stderr lacks '$ri_want'"
  [ ! -s "$TMP/out" ] || ri_why="${ri_why:+$ri_why; }stdout is not empty"
  [ ! -e "$TMP/out-dir" ] || ri_why="${ri_why:+$ri_why; }$TMP/out-dir exists"
  if [ -z "$ri_why" ]; then
    ok "$ri_desc"
  else
    not_ok "$ri_desc"
    diag "$ri_why" "stderr:"
    diag_file "$TMP/err" 5
  fi
  rm -rf "$TMP/out-dir"
}

EXPECTED="expected a regular file of at most 4 MiB, found"

mkfifo "$TMP/fifo.ini" || bail "mkfifo"
refused_in "a FIFO as the scenario: refused at once" \
  "$TMP/fifo.ini: $EXPECTED a FIFO" run "$TMP/fifo.ini" -o "$TMP/out-dir"

refused_in "/dev/zero as the scenario: refused at once" \
  "/dev/zero: $EXPECTED a character device" run /dev/zero -o "$TMP/out-dir"

mkdir "$TMP/dir.ini" || bail "mkdir"
refused_in "a directory as the scenario: refused" \
  "$TMP/dir.ini: $EXPECTED a directory" check "$TMP/dir.ini"

{ cat "$GOOD"; head -c $((4 * 1024 * 1024)) /dev/zero | tr '\0' '#'; } \
  > "$TMP/big.ini" || bail "cannot write $TMP/big.ini"
refused_in "a scenario of more than 4 MiB: refused, says its size" \
  "$TMP/big.ini: $EXPECTED a file of" run "$TMP/big.ini" -o "$TMP/out-dir"

SEED_WANT="--seed: expected a whole number from 0 to 18446744073709551615"
refused_in "run --seed -5: refused, names --seed" "$SEED_WANT, found '-5'" \
  run "$GOOD" --seed -5 -o "$TMP/out-dir"
refused_in "run --seed abc: refused, names --seed" "$SEED_WANT, found 'abc'" \
  run "$GOOD" --seed abc -o "$TMP/out-dir"
refused_in "run --seed 2^64: refused, names --seed" \
  "$SEED_WANT, found '18446744073709551616'" \
  run "$GOOD" --seed 18446744073709551616 -o "$TMP/out-dir"
refused_in "explain --seed -5: refused, names --seed" "$SEED_WANT, found '-5'" \
  explain "$GOOD" --traffic alice-calls-hello --seed -5

"$NETSIM" run "$GOOD" -q --seed 18446744073709551615 -o "$TMP/max" \
  > "$TMP/out" 2> "$TMP/err"
status=$?
if [ "$status" -eq 0 ] && grep -q '"seed" *: *"18446744073709551615"' "$TMP/max/report.json"; then
  ok "run --seed 2^64 - 1: accepted and used"
else
  not_ok "run --seed 2^64 - 1: accepted and used"
  diag "exit status $status"
  diag_file "$TMP/err" 5
  grep seed "$TMP/max/report.json" 2>/dev/null | sed 's/^/#   /'
fi
finish
