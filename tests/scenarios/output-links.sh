#!/bin/sh
# A run touches nothing outside its own outputs (tools/session/output.h): no
# symbolic link in DIR is followed, and an entry where an output goes that
# the run did not write (a link, a user's file in DIR/pcap/) is refused
# with exit 2 naming it, before anything is moved.
#
# - DIR/pcap a link to a directory: the directory's files survive, the
#   link stays, exit 2 names DIR/pcap, no staging directory is left.
# - DIR/pcap holding a link to a directory: the same for its target.
# - DIR/pcap holding a user's file (not a LINK.pcap name): it survives.
# - DIR/report.txt a link to a file elsewhere: the file is unchanged.
# - The refusal comes before the simulation: a long run is refused at once.
# - A second run into the same DIR replaces pcap/ whole: an earlier run's
#   capture that this run does not write is gone, DIR has nothing else.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

GOOD=$top_srcdir/scenarios/01-internet-to-public-service.ini
[ -f "$GOOD" ] || bail "no $GOOD"
plan 6

# refused_run DESC DIR NAMED KEEP...: runs into DIR; one TAP line: exit 2,
# stderr names NAMED, every KEEP file still holds "canary", and DIR has no
# .partial-* left.
refused_run () {
  rr_desc=$1 rr_dir=$2 rr_named=$3
  shift 3
  "$NETSIM" run "$GOOD" -q -o "$rr_dir" > "$TMP/out" 2> "$TMP/err"
  rr_status=$?
  rr_why=
  [ "$rr_status" -eq 2 ] || rr_why="exit status $rr_status, expected 2"
  grep -qF -e "$rr_named" "$TMP/err" \
    || rr_why="${rr_why:+$rr_why; }stderr does not name $rr_named"
  for rr_keep in "$@"; do
    [ "$(cat "$rr_keep" 2>/dev/null)" = canary ] \
      || rr_why="${rr_why:+$rr_why; }$rr_keep is gone or changed"
  done
  if ls -a "$rr_dir" | grep -q '^\.partial-'; then
    rr_why="${rr_why:+$rr_why; }a staging directory is left in $rr_dir"
  fi
  if [ -z "$rr_why" ]; then
    ok "$rr_desc"
  else
    not_ok "$rr_desc"
    diag "$rr_why" "stderr:"
    diag_file "$TMP/err" 5
  fi
}

# A directory elsewhere, as a user's data.
mkdir -p "$TMP/elsewhere/sub" || bail "mkdir"
echo canary > "$TMP/elsewhere/data.pcap"
echo canary > "$TMP/elsewhere/sub/more.pcap"

d=$TMP/link-pcap
mkdir -p "$d" && ln -s "$TMP/elsewhere" "$d/pcap" || bail "ln -s"
refused_run "DIR/pcap a link to a directory: exit 2, names it, its target survives" \
  "$d" "$d/pcap" "$TMP/elsewhere/data.pcap" "$TMP/elsewhere/sub/more.pcap"

d=$TMP/link-in-pcap
mkdir -p "$d/pcap" && ln -s "$TMP/elsewhere" "$d/pcap/x.pcap" || bail "ln -s"
refused_run "DIR/pcap holding a link: exit 2, names it, its target survives" \
  "$d" "$d/pcap/x.pcap" "$TMP/elsewhere/data.pcap" "$TMP/elsewhere/sub/more.pcap"

d=$TMP/user-file
mkdir -p "$d/pcap" && echo canary > "$d/pcap/notes.txt" || bail "mkdir"
refused_run "DIR/pcap holding a user's file: exit 2, names it, it survives" \
  "$d" "$d/pcap/notes.txt" "$d/pcap/notes.txt"

d=$TMP/link-report
echo canary > "$TMP/elsewhere/report.txt"
mkdir -p "$d" && ln -s "$TMP/elsewhere/report.txt" "$d/report.txt" || bail "ln -s"
refused_run "DIR/report.txt a link to a file: exit 2, names it, the file is unchanged" \
  "$d" "$d/report.txt" "$TMP/elsewhere/report.txt"

# Refused before simulating: a run of minutes into a DIR with a link.
LONG=$TMP/long.ini
sed -e '/^\[expect/,$d' -e 's/^count = .*/count = 100000/' \
    -e 's/^interval = .*/interval = 2ms/' -e 's/^seed = .*/&\nduration = 600s/' \
    "$GOOD" > "$LONG" || bail "cannot write $LONG"
d=$TMP/link-pcap
timeout -s KILL 5 "$NETSIM" run "$LONG" -q --max-output 1000GiB -o "$d" > "$TMP/out" 2> "$TMP/err"
status=$?
if [ "$status" -eq 2 ] && grep -qF "$d/pcap" "$TMP/err"; then
  ok "a long run into a DIR with a link is refused before it simulates"
else
  not_ok "a long run into a DIR with a link is refused before it simulates"
  diag "exit status $status (137: still simulating after 5 s)"
  diag_file "$TMP/err" 5
fi

# An earlier run's pcap/ is replaced whole, and nothing else is left.
d=$TMP/rerun
"$NETSIM" run "$GOOD" -q -o "$d" > /dev/null 2>&1 || bail "first run failed"
echo old > "$d/pcap/old-a--old-b.pcap"
(cd "$d" && find . | sort) > "$TMP/first.ls"
"$NETSIM" run "$GOOD" -q -o "$d" > "$TMP/out" 2> "$TMP/err"
status=$?
(cd "$d" && find . | sort) > "$TMP/second.ls"
grep -v old-a--old-b "$TMP/first.ls" > "$TMP/want.ls"
if [ "$status" -eq 0 ] && cmp -s "$TMP/want.ls" "$TMP/second.ls"; then
  ok "a second run replaces pcap/ whole and leaves nothing else"
else
  not_ok "a second run replaces pcap/ whole and leaves nothing else"
  diag "exit status $status; DIR holds:"
  diag_file "$TMP/second.ls"
  diag_file "$TMP/err" 5
fi
finish
