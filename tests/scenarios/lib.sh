# Shared helpers for the scenario tests (tests/scenarios/*.sh), sourced by
# each of them. POSIX sh: automake runs the scripts with $(SHELL).
#
# What a script gets:
#   top_srcdir, NETSIM, TSHARK  from the environment (make check sets them,
#                 see AM_TESTS_ENVIRONMENT); top_srcdir and NETSIM fall back
#                 to the source tree of this file and ./cloudrun-netsim
#   TMP           a private directory from mktemp -d, removed on exit
#   plan N / finish              the TAP plan, and the count check at the end
#   ok / not_ok / check / skip   one TAP line each ("check DESC CMD..." runs
#                                CMD and reports ok when it succeeds)
#   diag TEXT... / diag_file F   "# " diagnostics (diag_file caps its lines)
#   skip_all REASON / bail REASON  "1..0 # SKIP" and exit 0; "Bail out!" and
#                                exit 99 (a set-up failure, not a test)
#   require_tshark               skip_all when $TSHARK is empty
#   ts ARGS...                   tshark with no name resolution and an empty
#                                personal configuration (no -o overrides),
#                                or the one in $TS_CONFIG when set
#   ts_count FILE FILTER         prints how many frames of FILE match the
#                                display filter; fails (status 1, message in
#                                $TMP/tshark.err) when tshark does, so a typo
#                                in a filter never reads as "0 frames"
#   expect_frames DESC FILE FILTER OP N   one TAP line: count OP N, where OP
#                                is a test(1) operator such as -eq or -ge
#   diag_tshark_err              $TMP/tshark.err as diagnostics, without the
#                                "Running as user root" warning
#
# Invariants: every TAP line goes through ok/not_ok, so the numbering is
# right; nothing is written outside $TMP.

LC_ALL=C
export LC_ALL

if [ -z "${top_srcdir:-}" ]; then
  top_srcdir=$(cd "$(dirname "$0")/../.." && pwd) || exit 99
fi
if [ -z "${NETSIM:-}" ]; then
  NETSIM=$(pwd)/cloudrun-netsim
fi
TSHARK=${TSHARK:-}

tap_n=0
tap_failed=0
tap_planned=

plan () {
  tap_planned=$1
  echo "1..$1"
}

ok () {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $*"
}

not_ok () {
  tap_n=$((tap_n + 1))
  tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $*"
}

# check DESC CMD [ARG...]: ok when CMD exits 0.
check () {
  tap_desc=$1
  shift
  if "$@"; then ok "$tap_desc"; else not_ok "$tap_desc"; fi
}

skip () {
  ok "$1 # SKIP $2"
}

diag () {
  for tap_line in "$@"; do
    printf '%s\n' "$tap_line" | sed 's/^/# /'
  done
}

# diag_file FILE [MAX]: the first MAX (default 20) lines of FILE as diagnostics.
diag_file () {
  [ -f "$1" ] || return 0
  sed -n "1,${2:-20}p" "$1" | sed 's/^/#   /'
  tap_lines=$(wc -l < "$1")
  if [ "$tap_lines" -gt "${2:-20}" ]; then
    echo "#   ... ($tap_lines lines in all)"
  fi
}

skip_all () {
  echo "1..0 # SKIP $*"
  exit 0
}

bail () {
  echo "Bail out! $*"
  exit 99
}

# finish: the exit of a script whose tests all ran. A planned count that
# was not met is a set-up failure (the script lost its way).
finish () {
  if [ -z "$tap_planned" ]; then
    echo "1..$tap_n"
  elif [ "$tap_n" -ne "$tap_planned" ]; then
    echo "# planned $tap_planned tests, ran $tap_n"
    exit 99
  fi
  exit 0
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/netsim-test.XXXXXX") || bail "mktemp -d failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP PIPE

[ -x "$NETSIM" ] || bail "NETSIM='$NETSIM' is not an executable (build first)"
[ -d "$top_srcdir/scenarios" ] || bail "top_srcdir='$top_srcdir' has no scenarios/"

# netsim ARGS...: runs the program; its output in $TMP/out and $TMP/err,
# its exit status in $status.
netsim () {
  "$NETSIM" "$@" > "$TMP/out" 2> "$TMP/err"
  status=$?
}

# expect_status DESC STATUS [out|err TEXT]...: ok when the last netsim
# exited STATUS and each named stream holds its TEXT (a fixed string).
expect_status () {
  e_desc=$1 e_want=$2
  shift 2
  e_why=
  [ "$status" -eq "$e_want" ] || e_why="exit status $status, expected $e_want"
  while [ $# -ge 2 ]; do
    grep -qF -e "$2" "$TMP/$1" || e_why="${e_why:+$e_why; }$1 lacks '$2'"
    shift 2
  done
  if [ -z "$e_why" ]; then
    ok "$e_desc"
  else
    not_ok "$e_desc"
    diag "$e_why"
    diag_file "$TMP/err" 5
    diag_file "$TMP/out" 5
  fi
}

require_tshark () {
  [ -n "$TSHARK" ] || skip_all "no tshark"
  [ -x "$TSHARK" ] || command -v "$TSHARK" >/dev/null 2>&1 \
    || skip_all "no tshark (TSHARK='$TSHARK' is not a command)"
  mkdir -p "$TMP/wireshark" || bail "cannot create $TMP/wireshark"
}

# An empty personal configuration directory, so that nobody's Wireshark
# preferences, disabled protocols or "decode as" change what is dissected.
ts () {
  WIRESHARK_CONFIG_DIR=${TS_CONFIG:-$TMP/wireshark} "$TSHARK" -n "$@"
}

ts_count () {
  if ts -r "$1" -Y "$2" -T fields -e frame.number > "$TMP/ts-count.out" \
       2> "$TMP/tshark.err"; then
    grep -c . "$TMP/ts-count.out"
    return 0
  fi
  return 1
}

expect_frames () {
  ef_desc=$1 ef_file=$2 ef_filter=$3 ef_op=$4 ef_want=$5
  if ef_n=$(ts_count "$ef_file" "$ef_filter"); then
    if test "$ef_n" "$ef_op" "$ef_want"; then
      ok "$ef_desc"
      return 0
    fi
    not_ok "$ef_desc"
    diag "$(basename "$ef_file"): $ef_n frame(s) match '$ef_filter'," \
         "expected $ef_op $ef_want"
    ts -r "$ef_file" -Y "$ef_filter" 2>/dev/null | sed -n '1,10p' | sed 's/^/#   /'
    return 1
  fi
  not_ok "$ef_desc"
  diag "tshark failed on $ef_file with filter '$ef_filter':"
  diag_tshark_err
  return 1
}

diag_tshark_err () {
  grep -v '^Running as user' "$TMP/tshark.err" > "$TMP/tshark.err.diag"
  diag_file "$TMP/tshark.err.diag" 5
}
