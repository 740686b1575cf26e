#!/bin/sh
# The documentation's examples are run, so they cannot drift (issue 22):
#
# - Every command shown in a code block of README.md, docs/*.md and
#   scenarios/README.md (a line starting "$ ", with the lines after it
#   while one ends in "\") runs from the top of a scratch copy of the tree,
#   with build/cloudrun-netsim and cloudrun-netsim both this build's
#   program, its standard output followed by its standard error (not
#   interleaved, which would depend on timing). One TAP line per
#   command: it must exit 0 or 1, and the lines shown after it (up to the
#   next "$ " or the end of the block) must be its output: a shown line
#   "..." matches any number of lines, a line ending in "..." matches a
#   line by that prefix, any other line matches itself (trailing blanks
#   aside). A block right after a line "<!-- not run -->" is not run; a
#   command that uses tshark or jq is skipped when they are missing.
# - Every relative link of those files names a file of the tree, and its
#   #anchor a heading of that file (GitHub's slugs).
# - The checks can fail: a copy of README.md whose shown output is edited,
#   or whose command names a file that does not exist, fails; so does a
#   link to a heading that does not exist.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

cd "$top_srcdir" || bail "no $top_srcdir"
DOCS=$(ls README.md docs/*.md scenarios/README.md)

TREE=$TMP/tree
mkdir -p "$TREE" "$TMP/bin" || bail "mkdir"
tar --exclude=./.git --exclude='./build*' --exclude=./_build --exclude=./_inst --exclude=./out \
    --exclude=./autom4te.cache -cf - . | (cd "$TREE" && tar -xf -) \
  || bail "cannot copy the tree"
mkdir -p "$TREE/build" || bail "mkdir"
ln -sf "$NETSIM" "$TREE/build/cloudrun-netsim" || bail "ln"
ln -sf "$NETSIM" "$TMP/bin/cloudrun-netsim" || bail "ln"

# extract DIR FILE...: for the Nth command of FILEs, DIR/N.cmd (its text),
# DIR/N.want (the lines shown after it), and a line "N<TAB>FILE:LINE" in
# DIR/index.
cat > "$TMP/extract.awk" <<'EOF'
function flush() {
  if (cmd) {
    printf "%s\n", text > (dir "/" n ".cmd"); close (dir "/" n ".cmd")
    printf "%s", want > (dir "/" n ".want"); close (dir "/" n ".want")
    printf "%d\t%s\n", n, where > (dir "/index")
  }
  cmd = 0; cont = 0
}
FNR == 1 { flush(); fence = 0; prev = "" }
/^```/ {
  if (!fence) { fence = 1; skip = (prev == "<!-- not run -->"); next }
  flush(); fence = 0; prev = ""; next
}
!fence { if ($0 !~ /^[ \t]*$/) prev = $0; next }
skip { next }
cont { text = text "\n" $0; cont = /\\$/; next }
/^\$ / {
  flush(); n++; cmd = 1; where = FILENAME ":" FNR
  text = substr ($0, 3); cont = /\\$/; want = ""; next
}
cmd { want = want $0 "\n" }
END { flush(); close (dir "/index") }
EOF

# matches WANT GOT: the shown lines match the output.
cat > "$TMP/match.awk" <<'EOF'
function trim(s) { sub (/[ \t\r]+$/, "", s); return s }
function line_ok(w, g,   p) {
  if (w ~ /\.\.\.$/) {
    p = substr (w, 1, length (w) - 3)
    return substr (g, 1, length (p)) == p
  }
  return w == g
}
function m(i, j,   k, r) {
  if ((i, j) in memo) return memo[i, j]
  if (i > nw) r = j > ng
  else if (w[i] == "...") {
    r = 0
    for (k = j; k <= ng + 1 && !r; k++) r = m(i + 1, k)
  } else r = j <= ng && line_ok(w[i], g[j]) && m(i + 1, j + 1)
  memo[i, j] = r
  return r
}
FNR == NR { w[++nw] = trim($0); next }
{ g[++ng] = trim($0) }
END { exit !m(1, 1) }
EOF

# run_examples DIR TREE: runs every command of DIR from TREE; one TAP line
# each.
run_examples () {
  while IFS="$(printf '\t')" read -r n where; do
    first=$(sed -n 1p "$1/$n.cmd" | tr -d '\\')
    missing=
    for tool in tshark jq; do
      grep -q "\\<$tool\\>" "$1/$n.cmd" && ! command -v "$tool" > /dev/null \
        && missing=$tool
    done
    if [ -n "$missing" ]; then
      skip "$where: \$ $first" "no $missing"
      continue
    fi
    (cd "$2" && PATH=$TMP/bin:$PATH sh "$1/$n.cmd") > "$1/$n.out" \
      2> "$1/$n.err"
    status=$?
    # Standard output, then standard error (not interleaved: that would
    # depend on timing); tshark's own warning when run as root is no part
    # of any example.
    cat "$1/$n.out" "$1/$n.err" | grep -v '^Running as user "root"' \
      > "$1/$n.got"
    why=
    [ "$status" -le 1 ] || why="exit status $status"
    if [ -s "$1/$n.want" ] \
       && ! awk -f "$TMP/match.awk" "$1/$n.want" "$1/$n.got"; then
      why="${why:+$why; }its output is not the one shown"
    fi
    if [ -z "$why" ]; then
      ok "$where: \$ $first"
    else
      not_ok "$where: \$ $first"
      diag "$why"
      diag "shown:"; diag_file "$1/$n.want" 15
      diag "output:"; diag_file "$1/$n.got" 15
    fi
  done < "$1/index"
}

# slugs FILE: GitHub's anchor of each heading of FILE, outside code.
slugs () {
  awk '/^```/ { fence = !fence; next }
       !fence && /^#+ / {
         s = tolower ($0); sub (/^#+ +/, "", s)
         gsub (/[^a-z0-9 _-]/, "", s); gsub (/ /, "-", s); print s
       }' "$1"
}

# bad_links FILE...: each relative link that names no file, or no
# heading of it, as FILE: TARGET.
bad_links () {
  for f in "$@"; do
    awk '/^```/ { fence = !fence; next }
         !fence {
           s = $0
           while (match (s, /\]\([^)]*\)/)) {
             print substr (s, RSTART + 2, RLENGTH - 3)
             s = substr (s, RSTART + RLENGTH)
           }
         }' "$f" | grep -v '^[a-z]*:' | while read -r target; do
      path=${target%%#*}
      anchor=
      case $target in *"#"*) anchor=${target#*#} ;; esac
      if [ -z "$path" ]; then
        file=$f
      else
        file=$(dirname "$f")/$path
      fi
      if [ ! -e "$file" ]; then
        echo "$f: $target (no such file)"
      elif [ -n "$anchor" ] && ! slugs "$file" | grep -qxF -e "$anchor"; then
        echo "$f: $target (no such heading)"
      fi
    done
  done
}

mkdir -p "$TMP/ex" "$TMP/drift/docs" "$TMP/dx" || bail "mkdir"
# shellcheck disable=SC2086
awk -v dir="$TMP/ex" -f "$TMP/extract.awk" $DOCS || bail "extract failed"
[ -s "$TMP/ex/index" ] || bail "no example found in $DOCS"
count=$(wc -l < "$TMP/ex/index")
plan $((count + 4))

# shellcheck disable=SC2086
bad_links $DOCS > "$TMP/links"
check "every relative link names a file of the tree and a heading of it" \
  [ ! -s "$TMP/links" ] || diag_file "$TMP/links"

run_examples "$TMP/ex" "$TREE"

# Drift: the first shown line of README.md that must match whole, edited.
awk -v dir="$TMP/dx" -f "$TMP/extract.awk" README.md
n=$(awk -F '\t' '{ print $1 }' "$TMP/dx/index" | while read -r k; do
      grep -qv '^\.\.\.$\|\.\.\.$' "$TMP/dx/$k.want" && { echo "$k"; break; }
    done)
if [ -n "$n" ]; then
  line=$(awk -F '\t' -v n="$n" '$1 == n { sub (/.*:/, "", $2); print $2 }' \
           "$TMP/dx/index")
  shown=$(grep -v '^\.\.\.$\|\.\.\.$' "$TMP/dx/$n.want" | head -1)
  awk -v from="$line" -v s="$shown" 'NR > from && !done && $0 == s {
                                       $0 = $0 " (drifted)"; done = 1 } 1' \
    README.md > "$TMP/drift/README.md"
  rm -f "$TMP/dx/"*
  (cd "$TMP/drift" && awk -v dir="$TMP/dx" -f "$TMP/extract.awk" README.md)
  awk -F '\t' -v n="$n" '$1 == n' "$TMP/dx/index" > "$TMP/dx/one"
  mv "$TMP/dx/one" "$TMP/dx/index"
  (run_examples "$TMP/dx" "$TREE") > "$TMP/drift.tap"
  check "a shown output line edited in a copy of README.md fails" \
    grep -q '^# its output is not the one shown' "$TMP/drift.tap" \
    || diag_file "$TMP/drift.tap"
else
  not_ok "a shown output line edited in a copy of README.md fails"
  diag "README.md shows no output line to edit"
fi

# Drift: a command naming a scenario that is not there.
first=$(awk -F '\t' 'NR == 1 { print $1 }' "$TMP/ex/index")
sed 's,scenarios/\([0-9]\),scenarios/no-such-\1,' "$TMP/ex/$first.cmd" \
  > "$TMP/dx/1.cmd"
: > "$TMP/dx/1.want"
printf '1\tREADME.md:planted\n' > "$TMP/dx/index"
(run_examples "$TMP/dx" "$TREE") > "$TMP/gone.tap"
check "a command whose scenario is gone fails (exit status 2)" \
  grep -q '^# exit status 2' "$TMP/gone.tap" || diag_file "$TMP/gone.tap"

# A link to a heading that does not exist.
printf 'See [it](../README.md#no-such-heading).\n' > "$TMP/drift/docs/x.md"
cp README.md "$TMP/drift/README.md"
(cd "$TMP/drift" && bad_links docs/x.md) > "$TMP/planted-link"
check "a link to a heading that does not exist is caught" \
  grep -q 'no such heading' "$TMP/planted-link" || diag_file "$TMP/planted-link"

finish
