#!/bin/sh
# Every teaching scenario meets its own [expect] items: runs
# `cloudrun-netsim check` on each scenarios/*.ini (sorted, C locale), one
# TAP line per file; a file fails when check exits non-zero, and the
# diagnostics show its FAIL lines and what it printed on stderr.
#
# Every teaching scenario carries its lesson in its own data (issue 22,
# item 5): a second TAP line per file holds when its [scenario] group has a
# non-empty `description` (what report.html and report.txt show at the top)
# and no `# Lesson:` comment is left in the file (the loader drops
# comments, so a lesson kept there never reaches the class page).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

n=0
for f in "$top_srcdir"/scenarios/*.ini; do
  [ -f "$f" ] && n=$((n + 1))
done
[ "$n" -gt 0 ] || bail "no scenarios/*.ini under $top_srcdir"
plan $((2 * n))

# lesson FILE: prints the [scenario] group's description value, trimmed
# (nothing when the key is absent or empty). GKeyFile's syntax: a group
# header alone on its line, "key = value" with blanks around '=' optional,
# comments from a '#' at the start of a line.
lesson () {
  awk '
    /^[ \t]*\[/ {
      g = $0
      sub(/^[ \t]*\[/, "", g)
      sub(/\][ \t]*$/, "", g)
      in_scenario = (g == "scenario")
      next
    }
    in_scenario && /^[ \t]*description[ \t]*=/ {
      v = $0
      sub(/^[ \t]*description[ \t]*=[ \t]*/, "", v)
      sub(/[ \t]+$/, "", v)
      d = v
    }
    END { printf "%s", d }
  ' "$1"
}

for f in "$top_srcdir"/scenarios/*.ini; do
  name=scenarios/$(basename "$f")
  "$NETSIM" check "$f" > "$TMP/out" 2> "$TMP/err"
  status=$?
  # check ends with "N passed, N failed"; a file without a result line
  # did not really run.
  summary=$(tail -n 1 "$TMP/out")
  if [ "$status" -eq 0 ] && expr "$summary" : '[0-9]* passed, 0 failed$' >/dev/null
  then
    ok "$name: $summary"
  else
    not_ok "$name: check exited $status${summary:+ ($summary)}"
    grep '^FAIL' "$TMP/out" | sed 's/^/#   /'
    diag_file "$TMP/err" 10
  fi

  left=$(grep -n -i '^[ 	]*#[ 	]*lesson:' "$f")
  if [ -z "$(lesson "$f")" ]; then
    not_ok "$name: [scenario] has a description (its lesson)"
    diag "no non-empty description = ... in [scenario]"
    [ -n "$left" ] && diag "the lesson is still a comment:" "$left"
  elif [ -n "$left" ]; then
    not_ok "$name: [scenario] has a description (its lesson)"
    diag "a # Lesson: comment is left in the file:" "$left"
  else
    ok "$name: [scenario] has a description (its lesson)"
  fi
done
finish
