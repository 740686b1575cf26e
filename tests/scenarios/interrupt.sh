#!/bin/sh
# Interrupted and failed runs leave nothing behind (tools/cli/interrupt.h,
# tools/session/output.h).
#
# - SIGINT, SIGTERM to a long run that has made its staging directory:
#   it stops within seconds, exits 130 / 143 (dies of the signal), and
#   neither DIR/.partial-* nor the DIR it created is left.
# - A run killed with SIGKILL leaves its staging directory; the next run
#   into the same DIR removes it and says so. A planted stale staging
#   directory holding a link is removed without following the link.
# - A stale staging directory it cannot remove is said as such.
# - A run still in progress keeps DIR: a second run into it is refused
#   and leaves the first run's staging directory alone.
# - A write failure (the file size limit, as ENOSPC would) exits 2 and
#   removes the directories the run created for -o DIR.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

GOOD=$top_srcdir/scenarios/01-internet-to-public-service.ini
[ -f "$GOOD" ] || bail "no $GOOD"
plan 8

# A run of many requests over a long simulated time (about 15 s of wall
# time and a gigabyte of capture if left alone).
LONG=$TMP/long.ini
sed -e '/^\[expect/,$d' -e 's/^count = .*/count = 100000/' \
    -e 's/^interval = .*/interval = 2ms/' -e 's/^seed = .*/&\nduration = 600s/' \
    "$GOOD" > "$LONG" || bail "cannot write $LONG"
grep -q '^duration = 600s' "$LONG" || bail "$LONG has no duration"

# A shell's background job ignores SIGINT; env gives it back its default.
if env --default-signal=INT true 2>/dev/null; then
  DEFSIG="env --default-signal=INT"
else
  DEFSIG=
fi

# A dense burst: 400,000 requests 1us apart in a 30-day run, so one
# slice of simulated time holds them all and most DNS source ports are
# taken at once (a single advance took 90 s before it was bounded).
DENSE=$TMP/dense.ini
sed -e 's/^count = .*/count = 400000/' -e 's/^interval = .*/interval = 1us/' \
    -e 's/^duration = .*/duration = 43200m/' "$LONG" > "$DENSE" \
  || bail "cannot write $DENSE"

# start_long DIR [FILE OPTION...]: starts the long run (or FILE with
# OPTIONs) into DIR in the background ($pid) and waits until its staging
# directory exists; fails after 20 s.
start_long () {
  sl_dir=$1
  sl_file=${2:-$LONG}
  [ $# -ge 2 ] && shift 2 || shift
  $DEFSIG "$NETSIM" run "$sl_file" -q --max-output 1000GiB "$@" -o "$sl_dir" \
    > "$TMP/out" 2> "$TMP/err" &
  pid=$!
  sl_i=0
  while [ $sl_i -lt 200 ]; do
    if ls -a "$sl_dir" 2>/dev/null | grep -q '^\.partial-'; then
      sleep 0.5
      return 0
    fi
    sleep 0.1
    sl_i=$((sl_i + 1))
  done
  kill -KILL "$pid" 2>/dev/null
  return 1
}

# wait_status: waits for $pid at most 20 s; $status, or 999 when it had
# to be killed.
wait_status () {
  ws_i=0
  while kill -0 "$pid" 2>/dev/null && [ $ws_i -lt 200 ]; do
    sleep 0.1
    ws_i=$((ws_i + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    status=999
  else
    wait "$pid"
    status=$?
  fi
}

for sig in INT TERM; do
  if [ "$sig" = INT ]; then want=130; else want=143; fi
  desc="SIG$sig: exit $want, no staging directory, no DIR left"
  if [ "$sig" = INT ] && [ -z "$DEFSIG" ]; then
    skip "$desc" "env --default-signal is not supported"
    continue
  fi
  d=$TMP/sig-$sig/out
  if ! start_long "$d"; then
    not_ok "$desc"
    diag "no staging directory appeared in $d"
    continue
  fi
  kill -"$sig" "$pid"
  wait_status
  if [ "$status" -eq "$want" ] && [ ! -e "$TMP/sig-$sig" ]; then
    ok "$desc"
  else
    not_ok "$desc"
    diag "exit status $status; left behind:"
    find "$TMP/sig-$sig" 2>/dev/null | sed -n '1,10p' | sed 's/^/#   /'
    diag_file "$TMP/err" 5
  fi
done

# However dense the events, a signal acts within seconds.
desc="SIGTERM during a dense burst acts within 5 s"
if start_long "$TMP/dense/out" "$DENSE" --capture=none --no-requests; then
  t0=$(date +%s)
  kill -TERM "$pid"
  wait_status
  took=$(( $(date +%s) - t0 ))
  if [ "$status" -eq 143 ] && [ "$took" -le 5 ]; then
    ok "$desc"
  else
    not_ok "$desc"
    diag "exit status $status after ${took}s"
    diag_file "$TMP/err" 5
  fi
else
  not_ok "$desc"
  diag "no staging directory appeared in $TMP/dense/out"
fi

# SIGKILL: the staging directory stays; the next run removes it.
d=$TMP/killed
desc="a SIGKILLed run's staging directory is removed by the next run"
if start_long "$d"; then
  kill -KILL "$pid"
  wait "$pid"
  left=$(ls -a "$d" | grep '^\.partial-')
  "$NETSIM" run "$GOOD" -q -o "$d" > "$TMP/out" 2> "$TMP/err"
  status=$?
  if [ -n "$left" ] && [ "$status" -eq 0 ] && [ ! -e "$d/$left" ] \
     && grep -qF "$d/$left" "$TMP/err"; then
    ok "$desc"
  else
    not_ok "$desc"
    diag "staging '$left', exit status $status"
    diag_file "$TMP/err" 5
  fi
else
  not_ok "$desc"
  diag "no staging directory appeared in $d"
fi

# A planted stale staging directory holding a link to a user's directory.
d=$TMP/planted
mkdir -p "$d/.partial-AbC123/pcap" "$TMP/user" || bail "mkdir"
echo canary > "$TMP/user/keep.pcap"
ln -s "$TMP/user" "$d/.partial-AbC123/pcap/link" || bail "ln -s"
ln -s "$TMP/user" "$d/.partial-AbC123/trace.pcapng" || bail "ln -s"
"$NETSIM" run "$GOOD" -q -o "$d" > "$TMP/out" 2> "$TMP/err"
status=$?
desc="a stale staging directory holding links is removed, not followed"
if [ "$status" -eq 0 ] && [ ! -e "$d/.partial-AbC123" ] \
   && [ "$(cat "$TMP/user/keep.pcap")" = canary ]; then
  ok "$desc"
else
  not_ok "$desc"
  diag "exit status $status"
  ls -a "$d" "$TMP/user" | sed 's/^/#   /'
  diag_file "$TMP/err" 5
fi

# A stale staging directory that cannot be removed (deeper than the
# removal walks, so its top stays) is said as such, never "removed".
d=$TMP/deep
deep=$d/.partial-Deep01
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  deep=$deep/d$i
done
mkdir -p "$deep" || bail "mkdir"
"$NETSIM" run "$GOOD" -q -o "$d" > "$TMP/out" 2> "$TMP/err"
status=$?
desc="a stale staging directory it cannot remove: said so, not 'removed'"
if [ "$status" -eq 0 ] && [ -d "$d/.partial-Deep01" ] \
   && grep -qF "$d/.partial-Deep01: could not remove the staging directory" "$TMP/err" \
   && ! grep -q "removed the staging directory" "$TMP/err"; then
  ok "$desc"
else
  not_ok "$desc"
  diag "exit status $status"
  diag_file "$TMP/err" 5
fi

# A run in progress keeps DIR to itself: a second run into the same DIR
# is refused at once (exit 2, saying why), writes nothing there and leaves
# the first run's staging directory alone.
d=$TMP/concurrent
desc="a second run into a DIR a run is writing: refused, the first untouched"
if start_long "$d"; then
  live=$(ls -a "$d" | grep '^\.partial-')
  "$NETSIM" run "$GOOD" -q -o "$d" > "$TMP/out2" 2> "$TMP/err2"
  status=$?
  if [ "$status" -eq 2 ] && [ -d "$d/$live" ] && kill -0 "$pid" 2>/dev/null \
     && [ "$(ls -A "$d")" = "$live" ] \
     && grep -qF "$d: another cloudrun-netsim run is writing into this directory" "$TMP/err2"
  then
    ok "$desc"
  else
    not_ok "$desc"
    diag "exit status $status; staging '$live'"
    diag_file "$TMP/err2" 5
  fi
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
else
  not_ok "$desc"
  diag "no staging directory appeared in $d"
fi

# A write failure: the file size limit (SIGXFSZ ignored, so write fails
# with EFBIG as it would with ENOSPC).
d=$TMP/full/a/b
(trap '' XFSZ; ulimit -f 64; exec "$NETSIM" run "$LONG" -q --max-output 1000GiB -o "$d") \
  > "$TMP/out" 2> "$TMP/err"
status=$?
desc="a write failure: exit 2, names the file, no directory of the run left"
if [ "$status" -eq 2 ] && [ ! -e "$TMP/full" ] && grep -q "$d" "$TMP/err"; then
  ok "$desc"
else
  not_ok "$desc"
  diag "exit status $status; left behind:"
  find "$TMP/full" 2>/dev/null | sed -n '1,10p' | sed 's/^/#   /'
  diag_file "$TMP/err" 5
fi
finish
