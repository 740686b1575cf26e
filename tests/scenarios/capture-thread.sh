#!/bin/sh
# The capture's writer thread changes nothing in the files: three
# scenarios (the tour; 34 and 36, whose instances start mid-run, so links
# and interfaces are added while frames flow) run with the writer thread
# and with CLOUDRUN_NETSIM_CAPTURE_WRITER=sync (everything written on the
# simulation thread), and every file they write (trace.pcapng, pcap/*,
# the reports) is compared byte for byte. With NETSIM_REFERENCE set to
# another build's cloudrun-netsim (say, main's, before the writer
# thread), its files are compared too. One TAP line per scenario and
# comparison.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

SCENARIOS="00-tour 34-burst-cold-warm-and-the-pending-queue 36-direct-vpc-subnet-runs-out"
REFERENCE=${NETSIM_REFERENCE:-}

# run NAME TAG BINARY [ENV]: scenario NAME into $TMP/NAME/TAG; prints its
# exit status.
run () {
  mkdir -p "$TMP/$1"
  env $4 "$3" run "$top_srcdir/scenarios/$1.ini" -o "$TMP/$1/$2" --quiet \
    > "$TMP/$1/$2.out" 2> "$TMP/$1/$2.err"
  echo $?
}

# same DESC A B: ok when directories A and B hold the same files, byte
# for byte.
same () {
  if diff -r "$2" "$3" > "$TMP/diff" 2>&1; then
    ok "$1 ($(find "$2" -type f | wc -l | tr -d ' ') files)"
  else
    not_ok "$1"
    diag_file "$TMP/diff" 10
  fi
}

n=2
[ -z "$REFERENCE" ] || n=3
plan $((n * 3))
for s in $SCENARIOS; do
  [ -f "$top_srcdir/scenarios/$s.ini" ] || bail "no scenarios/$s.ini"
  st=$(run "$s" thread "$NETSIM")
  ss=$(run "$s" sync "$NETSIM" CLOUDRUN_NETSIM_CAPTURE_WRITER=sync)
  case $st in
    0|1) ok "$s: runs with the writer thread (exit $st)" ;;
    *) not_ok "$s: runs with the writer thread (exit $st)"
       diag_file "$TMP/$s/thread.err" 5 ;;
  esac
  same "$s: the writer thread and the simulation thread write the same files" \
    "$TMP/$s/thread" "$TMP/$s/sync"
  if [ -n "$REFERENCE" ]; then
    run "$s" reference "$REFERENCE" > /dev/null
    same "$s: the same files as $REFERENCE" "$TMP/$s/thread" \
      "$TMP/$s/reference"
  fi
  : "$ss"
done
finish
