#!/bin/sh
# Bad input is refused cleanly (docs/scenario-format.md, "Errors": every
# error names file, group and key; exit status 2 for a usage or scenario
# error).
#
# - Every tests/bad-input/NAME.ini: `run FILE -o DIR` exits 2, its stderr
#   holds the path as given and the fragment in NAME.expect, stdout is
#   empty, and DIR does not exist afterwards.
# - The command line: a missing file, an unknown command, run without a
#   file, check on a bad file, explain with an unknown traffic, keys with
#   an unknown kind (did you mean), all exit 2 with a message saying what.
# - Outputs that cannot be written (-o under /proc, under a regular file,
#   or a DIR where a directory stands in the way of trace.pcapng,
#   report.txt, report.json or topology.dot) exit 2 naming the path, and
#   leave nothing half-written; a refused run leaves an existing DIR as it
#   was.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

BAD=$top_srcdir/tests/bad-input
GOOD=$top_srcdir/scenarios/01-internet-to-public-service.ini

n=0
for f in "$BAD"/*.ini; do
  [ -f "$f" ] && n=$((n + 1))
done
[ "$n" -gt 0 ] || bail "no tests/bad-input/*.ini under $top_srcdir"
[ -f "$GOOD" ] || bail "no $GOOD"
plan $((n + 16))

# refused DESC WHAT... : one TAP line. Each WHAT is one of
#   stderr:TEXT   stderr holds TEXT (fixed string)
#   absent:PATH   PATH does not exist
#   quiet         stdout is empty
# and the exit status must be 2.
refused () {
  r_desc=$1
  shift
  r_why=
  [ "$status" -eq 2 ] || r_why="exit status $status, expected 2"
  for r_what in "$@"; do
    case $r_what in
      stderr:*)
        grep -qF -e "${r_what#stderr:}" "$TMP/err" \
          || r_why="${r_why:+$r_why; }stderr lacks '${r_what#stderr:}'" ;;
      absent:*)
        if [ -e "${r_what#absent:}" ] || [ -L "${r_what#absent:}" ]; then
          r_why="${r_why:+$r_why; }${r_what#absent:} exists"
        fi ;;
      quiet)
        [ ! -s "$TMP/out" ] || r_why="${r_why:+$r_why; }stdout is not empty" ;;
      *) bail "refused: unknown check '$r_what'" ;;
    esac
  done
  if [ -z "$r_why" ]; then
    ok "$r_desc"
  else
    not_ok "$r_desc"
    diag "$r_why"
    diag "stderr:"
    diag_file "$TMP/err" 5
    if [ -s "$TMP/out" ]; then
      diag "stdout:"
      diag_file "$TMP/out" 5
    fi
  fi
}

# 1. The bad scenario files.
for f in "$BAD"/*.ini; do
  name=$(basename "$f" .ini)
  if [ ! -f "$BAD/$name.expect" ]; then
    not_ok "bad-input/$name: has a $name.expect"
    continue
  fi
  fragment=$(cat "$BAD/$name.expect")
  if [ -z "$fragment" ]; then
    not_ok "bad-input/$name: $name.expect holds a message fragment"
    continue
  fi
  netsim run "$f" -o "$TMP/out-$name"
  refused "bad-input/$name: exit 2, names the file and says: $fragment" \
    "stderr:$f" "stderr:$fragment" quiet "absent:$TMP/out-$name"
done

# 2. The command line.
netsim run "$TMP/no-such-scenario.ini" -o "$TMP/out-missing"
refused "run on a missing file: exit 2, names it" \
  "stderr:$TMP/no-such-scenario.ini" quiet "absent:$TMP/out-missing"

netsim frobnicate "$GOOD"
refused "an unknown command: exit 2, names it" "stderr:frobnicate" quiet

netsim run
refused "run without a FILE: exit 2, asks for one" "stderr:FILE" quiet

netsim check "$BAD/bool-typo.ini"
refused "check on a bad file: exit 2, names the file and the key" \
  "stderr:$BAD/bool-typo.ini" "stderr:$(cat "$BAD/bool-typo.expect")"

netsim explain "$GOOD" --traffic no-such-traffic
refused "explain with an unknown traffic: exit 2, names it" \
  "stderr:no-such-traffic" quiet

# Text options are UTF-8 without control characters; a non-ASCII value is
# passed on (and judged by the key it sets) whatever the locale.
netsim run "$GOOD" -o "$TMP/out-latin1" --set "$(printf 'scenario.title=caf\351')"
refused "--set with a byte that is not UTF-8: exit 2, names --set" \
  "stderr:--set: expected UTF-8 text" "stderr:caf\\351" quiet \
  "absent:$TMP/out-latin1"

netsim explain "$GOOD" --traffic "$(printf 'a\033[2Jb')"
refused "--traffic with an escape: exit 2, names --traffic, shows it escaped" \
  "stderr:--traffic: expected UTF-8 text" "stderr:a\\033[2Jb" quiet

LC_ALL=C netsim run "$GOOD" -o "$TMP/out-utf8" \
  --set "service hello.ingress=allé"
refused "a UTF-8 --set value in the C locale is judged by its key" \
  "stderr:[service hello] ingress: expected one of" "stderr:found 'allé'" \
  quiet "absent:$TMP/out-utf8"

netsim keys servce
refused "keys with an unknown kind: exit 2, did you mean 'service'" \
  "stderr:servce" "stderr:did you mean 'service'" quiet

# 3. Outputs that cannot be written.
netsim run "$GOOD" -o /proc/cloudrun-netsim-test/out
refused "run -o under /proc: exit 2, names the path, writes nothing" \
  "stderr:/proc/cloudrun-netsim-test/out" quiet \
  "absent:/proc/cloudrun-netsim-test"

: > "$TMP/regular"
netsim run "$GOOD" -o "$TMP/regular/out"
if [ -f "$TMP/regular" ] && [ ! -s "$TMP/regular" ]; then
  refused "run -o under a regular file: exit 2, names the path, writes nothing" \
    "stderr:$TMP/regular/out" quiet
else
  not_ok "run -o under a regular file: exit 2, names the path, writes nothing"
  diag "$TMP/regular is no longer an empty regular file"
fi

# The directory can be created but one output cannot be put in place (a
# directory of that name is in the way): no file of the run may be left
# there, whichever file the program happens to move first.
for blocker in trace.pcapng report.txt report.json topology.dot; do
  d=$TMP/blocked-$blocker
  mkdir -p "$d/$blocker/keep"
  netsim run "$GOOD" -o "$d"
  (cd "$d" && find . | sort) > "$TMP/blocked.ls"
  printf '%s\n' . "./$blocker" "./$blocker/keep" > "$TMP/blocked.want"
  desc="run -o DIR whose $blocker is a directory: exit 2, names it, writes nothing"
  if cmp -s "$TMP/blocked.ls" "$TMP/blocked.want"; then
    refused "$desc" "stderr:$d/$blocker" quiet
  else
    not_ok "$desc"
    diag "exit status $status; DIR holds afterwards:"
    diag_file "$TMP/blocked.ls"
    diag "stderr:"
    diag_file "$TMP/err" 5
  fi
done

# An existing output directory keeps its old files when a run is refused.
mkdir -p "$TMP/kept"
echo old > "$TMP/kept/report.txt"
netsim run "$BAD/bool-typo.ini" -o "$TMP/kept"
if [ "$(cat "$TMP/kept/report.txt")" = old ] \
   && [ "$(cd "$TMP/kept" && find . | sort | tr '\n' ' ')" = ". ./report.txt " ]
then
  refused "a refused run leaves an existing output directory as it was" \
    "stderr:$BAD/bool-typo.ini" quiet
else
  not_ok "a refused run leaves an existing output directory as it was"
  (cd "$TMP/kept" && find . | sort) | sed 's/^/#   /'
fi
finish
