#!/bin/sh
# report.json is an interface: every scenario's report validates against
# docs/report-schema.json (JSON Schema draft 2020-12, with
# python3-jsonschema, which tools/test installs: without it the test
# fails, it does not skip).
#
# - The schema is itself a valid draft 2020-12 schema, and it can fail: a
#   report whose first request has status 0 (a 0 standing for "none") is
#   refused.
# - Each scenarios/*.ini, run with --capture=none into $TMP: report.json
#   validates, one TAP line per scenario.
# - Absent is null: in scenario 05 (every request dropped) the first
#   request's status and latency, and the traffic's latency percentiles,
#   are null, not 0.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

SCHEMA=$top_srcdir/docs/report-schema.json
[ -f "$SCHEMA" ] || bail "no $SCHEMA"
command -v python3 > /dev/null 2>&1 \
  || bail "no python3 (apt-get install python3-jsonschema, as tools/test does)"
python3 -c 'import jsonschema' 2> "$TMP/err" \
  || bail "no python3 module jsonschema (apt-get install python3-jsonschema, as tools/test does)"

ls "$top_srcdir"/scenarios/*.ini > "$TMP/scenarios" 2> /dev/null
n=$(grep -c . "$TMP/scenarios")
[ "$n" -gt 0 ] || bail "no scenarios/*.ini"
plan $((n + 3))

# validate SCHEMA FILE...: one line per FILE, "ok" or the first errors.
validate () {
  python3 - "$@" <<'EOF'
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    try:
        doc = json.load(open(f))
    except (OSError, ValueError) as e:
        print("%s: not JSON: %s" % (f, e))
        continue
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errs:
        print("ok")
    for e in errs[:3]:
        print("%s: at /%s: %s" % (f, "/".join(map(str, e.absolute_path)),
                                  e.message[:300]))
EOF
}

if python3 -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))
' "$SCHEMA" > "$TMP/err" 2>&1; then
  ok "docs/report-schema.json is a valid draft 2020-12 schema"
else
  not_ok "docs/report-schema.json is a valid draft 2020-12 schema"
  diag_file "$TMP/err"
fi

while read -r f; do
  name=$(basename "$f" .ini)
  out=$TMP/out/$name
  "$NETSIM" run "$f" -q --capture=none -o "$out" > "$TMP/run.out" 2> "$TMP/run.err"
  status=$?
  if [ "$status" -gt 1 ] || [ ! -f "$out/report.json" ]; then
    not_ok "$name: report.json matches the schema (run exited $status)"
    diag_file "$TMP/run.err"
    continue
  fi
  validate "$SCHEMA" "$out/report.json" > "$TMP/v" 2>&1
  if [ "$(cat "$TMP/v")" = ok ]; then
    ok "$name: report.json matches the schema"
  else
    not_ok "$name: report.json matches the schema"
    diag_file "$TMP/v"
  fi
done < "$TMP/scenarios"

# The nulls of a scenario where every request is dropped, and a 0 standing
# for "no status" refused by the schema.
DROP=$TMP/out/05-direct-vpc-all-traffic-without-pga-is-dropped/report.json
python3 - "$DROP" "$TMP/zero.json" > "$TMP/nulls" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["traffic"][0]
r = t["first_request"]
assert t["outcomes"]["dropped"] == t["requests"] > 0, t["outcomes"]
assert r["verdict"] == "dropped", r["verdict"]
assert r["status"] is None, "status %r" % r["status"]
assert r["latency_ns"] is None, "latency_ns %r" % r["latency_ns"]
assert r["classified"] is None, "classified %r" % r["classified"]
assert t["responses"] == 0
assert all(v is None for v in t["latency_ns"].values()), t["latency_ns"]
r["status"] = 0
json.dump(d, open(sys.argv[2], "w"))
EOF
if [ $? -eq 0 ]; then
  ok "05 (all dropped): first request status, latency, classified null; latency percentiles null"
else
  not_ok "05 (all dropped): first request status, latency, classified null; latency percentiles null"
  diag_file "$TMP/nulls"
fi
validate "$SCHEMA" "$TMP/zero.json" > "$TMP/v" 2>&1
if [ -s "$TMP/v" ] && [ "$(cat "$TMP/v")" != ok ]; then
  ok "the schema refuses a first request with status 0 instead of null"
else
  not_ok "the schema refuses a first request with status 0 instead of null"
  diag_file "$TMP/v"
fi
finish
