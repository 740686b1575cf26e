#!/bin/sh
# The user documentation stays true to the loader and stays in the tree.
#
# - Every group that `cloudrun-netsim keys` lists has a "### [KIND" section
#   in docs/scenario-format.md, and every key that `keys KIND` lists is a
#   row of that section (| `key` |), with each value of a one-line
#   "one of" list in backquotes there: one TAP line per group.
# - Every outcome and hop kind of `keys expect`, and every drop cause it
#   says the simulator produces, appears in backquotes in the document.
# - No file of the tree (outside .git, build directories and out/) names
#   the team's private folder (dot-dot-slash "shared") or the two
#   reference documents that lived there (refs below spells the names):
#   a clone does not have that folder, so nothing may send users there.
#   tests/compat/ is left out: it keeps shipped scenario files byte for
#   byte, history included.
# - One text, one place: each key row's meaning cell is the help that
#   `keys KIND` prints (tools/dev/docs-keys writes them; `make docs-keys`
#   rewrites the document).
# - The checks can fail: a copy of the document without one key row, and a
#   planted reference to the private folder, are both caught.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

DOC=$top_srcdir/docs/scenario-format.md
[ -f "$DOC" ] || bail "no $DOC"
[ -f "$top_srcdir/docs/networking.md" ] || bail "no docs/networking.md"

"$NETSIM" keys > "$TMP/kinds" 2> "$TMP/err" || bail "keys failed"
sed -n 's/^  \[\([a-z-]*\)[] ].*/\1/p' "$TMP/kinds" > "$TMP/kind-list"
[ -s "$TMP/kind-list" ] || bail "keys listed no groups"

# section DOC KIND: the lines of DOC's "### [KIND" section.
section () {
  awk -v h="### [$2" 'index($0, h) == 1 { on = 1; next }
                      on && /^##/ { on = 0 } on' "$1"
}

# missing_in DOC KIND: prints what `keys KIND` lists that DOC's section of
# KIND lacks (a key row, or a value of a one-line "one of" list).
missing_in () {
  section "$1" "$2" > "$TMP/section"
  if [ ! -s "$TMP/section" ]; then
    echo "no '### [$2' section"
    return
  fi
  "$NETSIM" keys "$2" > "$TMP/keys" 2>> "$TMP/err" || echo "keys $2 failed"
  sed -n 's/^  \([a-z0-9-][a-z0-9-]*\)\( .*\)\{0,1\}$/\1/p' "$TMP/keys" \
    | while read -r key; do
        [ "$key" = drop-cause ] && [ "$2" = expect ] \
          && grep -q '^| `drop-cause` |' "$TMP/section" && continue
        grep -q "^| \`$key\` |" "$TMP/section" || echo "key $key"
      done
  sed -n 's/^      one of \([^:]*\)$/\1/p' "$TMP/keys" | tr ',' '\n' \
    | sed 's/^ *//' | while read -r value; do
        grep -qF "\`$value\`" "$TMP/section" || echo "value $value"
      done
}

while read -r kind; do
  missing_in "$DOC" "$kind" > "$TMP/missing"
  if [ -s "$TMP/missing" ]; then
    not_ok "[$kind]: every key and value of 'keys $kind' is in scenario-format.md"
    diag_file "$TMP/missing"
  else
    ok "[$kind]: every key and value of 'keys $kind' is in scenario-format.md"
  fi
done < "$TMP/kind-list"

# The [expect] vocabulary: outcomes, hop kinds (multi-line "one of:"
# lists) and the drop causes the simulator produces.
"$NETSIM" keys expect > "$TMP/expect" 2>> "$TMP/err" || bail "keys expect failed"
awk '/^      one of:$/ || /^      a list separated by .;. of:$/ { on = 1; next }
     on && /^        / { print; next } { on = 0 }' "$TMP/expect" \
  | grep -v '_' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . \
  | sort -u > "$TMP/words"
awk '/values this simulator produces/ { on = 1; next } on' "$TMP/expect" \
  | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . > "$TMP/produced"
[ -s "$TMP/words" ] && [ -s "$TMP/produced" ] \
  || bail "keys expect lists no outcomes or no produced drop causes"
: > "$TMP/missing"
cat "$TMP/words" "$TMP/produced" | while read -r word; do
  grep -qF "\`$word\`" "$DOC" || echo "$word"
done > "$TMP/missing"
if [ -s "$TMP/missing" ]; then
  not_ok "outcomes, hop kinds and produced drop causes are in scenario-format.md"
  diag_file "$TMP/missing"
else
  ok "outcomes, hop kinds and produced drop causes are in scenario-format.md"
fi

# The meaning column comes from the key tables.
"$top_srcdir/tools/dev/docs-keys" "$NETSIM" "$DOC" > "$TMP/generated.md" \
  2>> "$TMP/err" || bail "tools/dev/docs-keys failed"
if diff -u "$DOC" "$TMP/generated.md" > "$TMP/help.diff"; then
  ok "every key row's meaning in scenario-format.md is the key's help (tools/dev/docs-keys)"
else
  not_ok "every key row's meaning in scenario-format.md is the key's help (make docs-keys rewrites it)"
  diag_file "$TMP/help.diff" 30
fi

# refs DIR: files under DIR that send readers to the team's private folder.
refs () {
  grep -rIl --exclude-dir=.git --exclude-dir=build --exclude-dir='build-*' \
    --exclude-dir=_build --exclude-dir=out --exclude-dir=autom4te.cache \
    --exclude-dir=compat \
    -e '\.\./shared' -e 'SCENARIO-FORMAT\.md' -e 'CLOUDRUN-NETWORKING\.md' \
    "$1"
}

refs "$top_srcdir" > "$TMP/refs"
if [ -s "$TMP/refs" ]; then
  not_ok "no file of the tree refers to the private folder or its documents"
  diag_file "$TMP/refs"
else
  ok "no file of the tree refers to the private folder or its documents"
fi

# The checks can fail.
grep -v '^| `min-ports-per-vm` |' "$DOC" > "$TMP/short.md"
missing_in "$TMP/short.md" nat > "$TMP/missing"
check "a document without the min-ports-per-vm row is caught" \
  grep -qx 'key min-ports-per-vm' "$TMP/missing"
mkdir "$TMP/tree"
printf 'see ../%s/%s.md\n' shared SCENARIO-FORMAT > "$TMP/tree/planted.c"
refs "$TMP/tree" > "$TMP/planted"
check "a planted reference to the private folder is caught" \
  grep -q 'planted\.c$' "$TMP/planted"
sed 's/^\(| `default-url` |.*| \)[^|]*|$/\1the run.app hosts answer 404 to everyone. |/' \
  "$DOC" > "$TMP/contradicts.md"
"$top_srcdir/tools/dev/docs-keys" "$NETSIM" "$TMP/contradicts.md" \
  > "$TMP/regenerated.md" 2>> "$TMP/err"
check "a meaning cell that is not the key's help is caught" \
  test -n "$(diff "$TMP/contradicts.md" "$TMP/regenerated.md")"

finish
