#!/bin/sh
# reach: every caller against every service (docs/ci.md, "Who reaches
# whom").
#
# - The tour's matrix (scenarios/00-tour.ini) has the cells Google
#   documents: the internet client and a caller with default egress are
#   refused by internal ingress (external, 404); a connector with
#   all-traffic egress is internal; Direct VPC all-traffic without Private
#   Google Access is dropped there (PRIVATE_GOOGLE_ACCESS_DISALLOWED) and
#   internal with it; the internal ALB is internal; a caller outside the
#   ALB's network cannot resolve its hostname. Scenario 13: an external
#   ALB passes internal-and-cloud-load-balancing where run.app is refused.
#   A scenario without [client] gets the internet client. Scenario 55:
#   each managed instance is a column (a tcp:// connection check to its
#   engine's port): reached from its own network, not from a peer's
#   connector nor a non-RFC 1918 subnet (Cloud SQL); intents name an
#   instance, and "every service" leaves instances out.
# - Every --format parses: JSON (python3, and docs/reach-schema.json when
#   the jsonschema module is there), CSV (9 columns every row), JUnit
#   (well-formed XML), markdown (one row per caller).
# - --shard 1/3, 2/3, 3/3 merged is the whole matrix byte for byte;
#   --jobs 2 equals --jobs 1 byte for byte.
# - Intents that hold exit 0; one violated exits 1 with the pair's steps
#   and what would change it; JUnit marks it failed.
# - Hostile input exits 2 naming what is wrong: an intents line that does
#   not parse (FILE:LINE), an unknown caller (did you mean), a bad --shard,
#   slices of two matrices, a slice twice or missing, a file that is not
#   JSON, a bad --format.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S00=$top_srcdir/scenarios/00-tour.ini
S02=$top_srcdir/scenarios/02-default-egress-is-external.ini
S13=$top_srcdir/scenarios/13-external-alb-with-internal-and-cloud-lb.ini
[ -f "$S00" ] && [ -f "$S02" ] && [ -f "$S13" ] || bail "no scenarios 00, 02, 13"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
plan 36

# ---- the tour's matrix against Google's documented behaviour ---------

netsim reach "$S00" --format csv --jobs 1
cp "$TMP/out" "$TMP/tour.csv"
expect_status "reach 00-tour --format csv: exit 0" 0
# cell FROM TO WAY WANT: the CSV row's outcome..decided_at is WANT.
cell () {
  got=$(awk -F, -v f="$1" -v t="$2" -v w="$3" \
    '$1 == f && $2 == t && $3 == w { print $5 "," $6 "," $7 "," $8 "," $9 }' \
    "$TMP/tour.csv")
  if [ "$got" = "$4" ]; then
    ok "$1 -> $2 ($3): $4"
  else
    not_ok "$1 -> $2 ($3): $4"
    diag "found '$got'"
  fi
}
cell alice backend run.app "denied-by-ingress,404,external,INGRESS_DENIED,gfe"
cell a-default-egress backend run.app "denied-by-ingress,404,external,INGRESS_DENIED,gfe"
cell a-connector-all-traffic backend run.app "delivered,200,internal,,service"
cell a-direct-all-no-pga backend run.app "dropped,,,PRIVATE_GOOGLE_ACCESS_DISALLOWED,vpc-router"
cell a-direct-all-pga backend run.app "delivered,200,internal,,service"
cell a-zone-psc backend run.app "delivered,200,internal,,service"
cell a-via-internal-alb backend "internal-alb backend-ilb" "delivered,200,internal,,service"
cell alice backend "internal-alb backend-ilb" "dns-failure,,,,dns"

netsim reach "$S13" --jobs 1
expect_status "scenario 13: the external ALB passes where run.app is refused" 0 \
  out "alice (client)     ext 404  ext 200"
netsim reach "$S02" --jobs 1
expect_status "a scenario without [client] gets the internet client" 0 \
  out "internet-user (client)"

S55=$top_srcdir/scenarios/55-cloud-sql-over-private-services-access.ini
netsim reach "$S55" --jobs 1 --format csv
cp "$TMP/tour.csv" "$TMP/tour-00.csv"
cp "$TMP/out" "$TMP/tour.csv"
cell api orders-db "tcp 5432" "delivered,,,,managed-instance"
cell batch orders-db "tcp 5432" "dropped,,,CLOUD_SQL_INSTANCE_UNAUTHORIZED_ACCESS,managed-instance"
cell report cache "tcp 6379" "dropped,,,PRIVATE_TRAFFIC_TO_INTERNET,vpc-router"
cp "$TMP/tour-00.csv" "$TMP/tour.csv"
if python3 -c 'import jsonschema' 2>/dev/null; then
  netsim reach "$S55" --jobs 1 --format json
  if python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
       "$TMP/out" "$top_srcdir/docs/reach-schema.json" 2> "$TMP/schema.err"; then
    ok "scenario 55's matrix follows docs/reach-schema.json"
  else
    not_ok "scenario 55's matrix follows docs/reach-schema.json"
    diag "$(tail -n 3 "$TMP/schema.err")"
  fi
else
  skip "scenario 55's matrix follows docs/reach-schema.json" "no jsonschema"
fi
printf 'batch must not reach orders-db\nevery caller in project shop reaches every service\n' > "$TMP/psa.intents"
netsim reach "$S55" --jobs 1 --intents "$TMP/psa.intents"
expect_status "intents name a managed instance; every service leaves instances out" 0 \
  out "psa.intents:1: holds"

# ---- formats -----------------------------------------------------------

netsim reach "$S00" --format json --jobs 1
cp "$TMP/out" "$TMP/tour.json"
if python3 -m json.tool "$TMP/tour.json" > /dev/null 2>&1 \
   && [ "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["schema_version"], len(d["pairs"]))' "$TMP/tour.json")" = "1 169" ]; then
  ok "--format json parses: schema_version 1, 13 x 13 pairs"
else
  not_ok "--format json parses: schema_version 1, 13 x 13 pairs"
  diag_file "$TMP/tour.json" 5
fi
if python3 -c 'import jsonschema' 2>/dev/null; then
  if python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
       "$TMP/tour.json" "$top_srcdir/docs/reach-schema.json" 2> "$TMP/schema.err"; then
    ok "--format json follows docs/reach-schema.json"
  else
    not_ok "--format json follows docs/reach-schema.json"
    diag_file "$TMP/schema.err" 10
  fi
else
  skip "--format json follows docs/reach-schema.json" "no python3 jsonschema"
fi
if python3 -c 'import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); sys.exit(not (len(rows) == 170 and all(len(r) == 9 for r in rows)))' "$TMP/tour.csv"; then
  ok "--format csv: a header and 169 rows of 9 columns"
else
  not_ok "--format csv: a header and 169 rows of 9 columns"
fi
netsim reach "$S00" --format junit --jobs 1
cp "$TMP/out" "$TMP/tour.xml"
if command -v xmllint >/dev/null 2>&1; then
  xml_ok () { xmllint --noout "$1"; }
else
  xml_ok () { python3 -c 'import sys,xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"; }
fi
if xml_ok "$TMP/tour.xml" 2> "$TMP/xml.err" && grep -q 'tests="169" failures="0"' "$TMP/tour.xml"; then
  ok "--format junit is well-formed XML with 169 tests"
else
  not_ok "--format junit is well-formed XML with 169 tests"
  diag_file "$TMP/xml.err"
fi
netsim reach "$S00" --format markdown --jobs 1
if [ "$(grep -c '^| ' "$TMP/out")" -eq 15 ] \
   && [ "$(awk -F'|' '/^\| / { print NF }' "$TMP/out" | sort -u)" = 16 ]; then
  ok "--format markdown: header, rule and 13 rows of 14 cells"
else
  not_ok "--format markdown: header, rule and 13 rows of 14 cells"
  diag_file "$TMP/out" 5
fi

# ---- shards, merge, jobs -------------------------------------------------

for i in 1 2 3; do
  "$NETSIM" reach "$S00" --shard "$i/3" -o "$TMP/slice-$i.json" 2>> "$TMP/err"
done
netsim reach --merge "$TMP/slice-3.json" "$TMP/slice-1.json" "$TMP/slice-2.json" --format json
if [ "$status" -eq 0 ] && cmp -s "$TMP/out" "$TMP/tour.json"; then
  ok "--shard 1/3, 2/3, 3/3 merged (in any order) is the whole matrix byte for byte"
else
  not_ok "--shard 1/3, 2/3, 3/3 merged (in any order) is the whole matrix byte for byte"
  diag_file "$TMP/err" 5
fi
netsim reach "$S00" --format json --jobs 2
if [ "$status" -eq 0 ] && cmp -s "$TMP/out" "$TMP/tour.json"; then
  ok "--jobs 2 equals --jobs 1 byte for byte"
else
  not_ok "--jobs 2 equals --jobs 1 byte for byte"
  diag_file "$TMP/err" 5
fi

if parallel --version 2>/dev/null | head -1 | grep -q 'GNU parallel'; then
  seq 1 4 | parallel --will-cite "$NETSIM" reach "$S00" --shard {}/4 \
    -o "$TMP/par-{}.json" 2>> "$TMP/err"
  netsim reach --merge "$TMP"/par-*.json --format json
  if [ "$status" -eq 0 ] && cmp -s "$TMP/out" "$TMP/tour.json"; then
    ok "docs/ci.md's GNU parallel recipe (4 slices, then --merge) gives the whole matrix"
  else
    not_ok "docs/ci.md's GNU parallel recipe (4 slices, then --merge) gives the whole matrix"
    diag_file "$TMP/err" 5
  fi
else
  skip "docs/ci.md's GNU parallel recipe" "no GNU parallel"
fi

# ---- intents -------------------------------------------------------------

cat > "$TMP/hold.txt" <<'INTENTS'
# what the tour shows
a-connector-all-traffic may call backend
the internet must not reach backend
a-direct-all-pga reaches backend internally
a-via-internal-alb   reaches   backend internally
INTENTS
netsim reach "$S00" --intents "$TMP/hold.txt" --jobs 1
expect_status "intents that hold: exit 0, each line says holds" 0 \
  out "hold.txt:2: holds: a-connector-all-traffic may call backend" \
  out "0 of 4 intent(s) violated"
cat > "$TMP/break.txt" <<'INTENTS'
the internet must not reach backend
a-direct-all-no-pga may call a-default-egress
INTENTS
netsim reach "$S00" --intents "$TMP/break.txt" --jobs 1
expect_status "a violated intent: exit 1, the pair's steps and what would change it" 1 \
  out "break.txt:2: violated: a-direct-all-no-pga may call a-default-egress" \
  out "DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED" \
  out "--set 'subnet direct-no-pga.private-google-access=true'" \
  out "1 of 2 intent(s) violated"
netsim reach "$S00" --intents "$TMP/break.txt" --jobs 1 --format junit --no-what-if
if [ "$status" -eq 1 ] && grep -q 'failures="1"' "$TMP/out" \
   && grep -q '<failure message="a-direct-all-no-pga may call a-default-egress"' "$TMP/out"; then
  ok "--format junit marks the violating pair failed"
else
  not_ok "--format junit marks the violating pair failed"
  diag_file "$TMP/out" 5
fi

# ---- hostile input --------------------------------------------------------

printf 'alice may call backend\nalice likes backend\n' > "$TMP/bad.txt"
netsim reach "$S00" --intents "$TMP/bad.txt"
expect_status "an intents line that does not parse: exit 2, FILE:LINE" 2 \
  err "bad.txt:2: expected 'CALLER may call|reaches|must not reach SERVICE"
printf '\n\nalcie may call backend\n' > "$TMP/bad2.txt"
netsim reach "$S00" --intents "$TMP/bad2.txt"
expect_status "an unknown caller: exit 2, FILE:LINE and did you mean" 2 \
  err "bad2.txt:3: no caller named 'alcie'" err "did you mean 'alice'?"
fails=
for s in 0/3 4/3 a/b 3 1/0 /3 "1/3x"; do
  "$NETSIM" reach "$S00" --shard "$s" > /dev/null 2> "$TMP/err"
  st=$?
  if [ "$st" -ne 2 ] || ! grep -qF -e "--shard: expected I/N" "$TMP/err"; then
    fails="$fails $s($st)"
  fi
done
if [ -z "$fails" ]; then
  ok "bad --shard specs (0/3 4/3 a/b 3 1/0 /3 1/3x): exit 2 saying I/N"
else
  not_ok "bad --shard specs: exit 2 saying I/N"
  diag "failed:$fails"
fi
"$NETSIM" reach "$S02" --shard 2/3 -o "$TMP/other-2.json" 2>> "$TMP/err"
netsim reach --merge "$TMP/slice-1.json" "$TMP/other-2.json" "$TMP/slice-3.json"
expect_status "--merge of slices of two matrices: exit 2 naming the file" 2 \
  err "other-2.json: a slice of another matrix"
netsim reach --merge "$TMP/slice-1.json" "$TMP/slice-1.json" "$TMP/slice-3.json"
expect_status "--merge of a slice twice: exit 2" 2 err "slice 1/3 again"
netsim reach --merge "$TMP/slice-1.json" "$TMP/slice-3.json"
expect_status "--merge with a slice missing: exit 2" 2 err "slice 2/3 is missing"
printf '{"schema_version": 1, "pairs": [' > "$TMP/broken.json"
netsim reach --merge "$TMP/broken.json"
expect_status "--merge of a file that is not JSON: exit 2 naming it" 2 \
  err "broken.json: not JSON"
sed 's/"from" : "alice"/"from" : "mallory"/' "$TMP/slice-1.json" > "$TMP/forged.json"
netsim reach --merge "$TMP/forged.json" "$TMP/slice-2.json" "$TMP/slice-3.json"
expect_status "--merge of a slice whose pair is not the matrix's: exit 2" 2 \
  err "forged.json: not a reach JSON slice: pair"
netsim reach "$S00" --format yaml
expect_status "--format yaml: exit 2" 2 err "--format: expected text, markdown, json, csv or junit"
finish
