#!/bin/sh
# The outputs for programs, report.json and requests.jsonl.
#
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
# - requests.jsonl, for each scenario: one line per request (the sum of
#   the traffics' requests), each a JSON object with every field, index
#   1..count and ids once each per traffic, outcomes counted per traffic
#   as report.json counts them; one TAP line per scenario.
# - A run shorter than its traffic (scenario 01, duration 300ms, requests
#   every 200ms): the two begun and unfinished are pending with a start
#   and no end, then the one never begun, pending with no start, in id
#   order at the end; run --capture=none still writes the file.
# - A write that fails (a file size limit, SIGXFSZ ignored): exit 2, the
#   message names requests.jsonl, and no output directory is left.
# - run --no-requests into the directory of the short run: no
#   requests.jsonl (the earlier run's is removed), report.json still there.
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
plan $((2 * n + 6))

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

# requests_match DIR: DIR/requests.jsonl against DIR/report.json; prints
# what it checked, or what is wrong (exit 1).
requests_match () {
  python3 - "$1/report.json" "$1/requests.jsonl" <<'EOF'
import collections, json, sys
KEYS = ["traffic", "index", "id", "start_ns", "end_ns", "outcome", "status",
        "classified", "cause", "decided_at", "decided_node", "latency_ns",
        "via"]
rep = json.load(open(sys.argv[1]))
want = {t["name"]: t for t in rep["traffic"]}
seen = collections.defaultdict(collections.Counter)
index = collections.defaultdict(set)
ids = set()
served = collections.defaultdict(collections.Counter)
n = 0
lines = 0
for line in open(sys.argv[2], encoding="utf-8"):
    lines += 1
    r = json.loads(line)
    times = r.get("never_begun", 1)
    n += times
    assert list(r) == KEYS + (["revision"] if "revision" in r else []) \
        + (["never_begun"] if "never_begun" in r else []), \
        "line %d: keys %s" % (lines, list(r))
    if "revision" in r:
        served[r["traffic"]][r["revision"]] += 1
    assert r["traffic"] in want, "line %d: traffic %r" % (n, r["traffic"])
    assert r["id"] not in ids, "line %d: id %d twice" % (n, r["id"])
    ids.update(range(r["id"], r["id"] + times))
    index[r["traffic"]].update(range(r["index"], r["index"] + times))
    seen[r["traffic"]][r["outcome"]] += times
    assert (r["latency_ns"] is None) == (r["status"] is None), "line %d" % n
    if r["end_ns"] is not None:
        assert r["end_ns"] >= r["start_ns"], "line %d" % n
for name, t in want.items():
    counts = {k: v for k, v in t["outcomes"].items() if v}
    assert dict(seen[name]) == counts, \
        "%s: requests.jsonl counts %s, report.json %s" % (
            name, dict(seen[name]), counts)
    assert dict(served[name]) == t.get("revisions", {}), \
        "%s: requests.jsonl revisions %s, report.json %s" % (
            name, dict(served[name]), t.get("revisions"))
    assert index[name] == set(range(1, t["requests"] + 1)), \
        "%s: indexes are not 1..%d" % (name, t["requests"])
total = sum(t["requests"] for t in rep["traffic"])
assert n == total, "%d requests in requests.jsonl for %d" % (n, total)
print("%d lines for %d requests, outcomes as in report.json" % (lines, n))
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
  if requests_match "$out" > "$TMP/v" 2>&1; then
    ok "$name: requests.jsonl: $(cat "$TMP/v")"
  else
    not_ok "$name: requests.jsonl: one line per request, as report.json counts them"
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

# A run shorter than its traffic.
S01=$top_srcdir/scenarios/01-internet-to-public-service.ini
SHORT=$TMP/short
"$NETSIM" run "$S01" -q --capture=none -o "$SHORT" \
  --set 'scenario.duration=300ms' > "$TMP/run.out" 2> "$TMP/run.err"
python3 - "$SHORT/requests.jsonl" > "$TMP/v" 2>&1 <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["index"], r["outcome"], r["start_ns"] is None, r["end_ns"])
       for r in rows]
assert got == [(1, "pending", False, None), (2, "pending", False, None),
               (3, "pending", True, None)], got
never = rows[2]
assert all(never[k] is None for k in ("status", "classified", "cause",
                                       "decided_at", "decided_node",
                                       "latency_ns")), never
assert never["via"] == [], never
assert never["never_begun"] == 1, never
assert all("never_begun" not in r for r in rows[:2]), rows
EOF
if [ $? -eq 0 ] && [ ! -e "$SHORT/trace.pcapng" ]; then
  ok "duration 300ms, 3 requests 200ms apart: 2 unfinished then 1 never begun, all pending (--capture=none)"
else
  not_ok "duration 300ms, 3 requests 200ms apart: 2 unfinished then 1 never begun, all pending (--capture=none)"
  diag_file "$TMP/run.err" 5
  diag_file "$TMP/v"
fi

# A write that fails: the shell's file size limit (512 or 1024 bytes,
# less than the 20 lines' file), SIGXFSZ ignored so that write(2) fails
# with EFBIG instead.
(trap '' XFSZ; ulimit -f 1 && exec "$NETSIM" run "$S01" -q --capture=none \
   --set 'traffic alice-calls-hello.count=20' -o "$TMP/full/out") \
  > "$TMP/run.out" 2> "$TMP/run.err"
status=$?
if [ "$status" -eq 2 ] && grep -q 'requests\.jsonl: cannot write it' "$TMP/run.err" \
   && [ ! -e "$TMP/full" ]; then
  ok "a failed write of requests.jsonl: exit 2, names it, leaves no directory"
else
  not_ok "a failed write of requests.jsonl: exit 2, names it, leaves no directory"
  diag "exit status $status"
  diag_file "$TMP/run.err" 5
  ls -laR "$TMP/full" 2>&1 | sed 's/^/#   /'
fi

"$NETSIM" run "$S01" -q --capture=none --no-requests -o "$SHORT" \
  > "$TMP/run.out" 2> "$TMP/run.err"
status=$?
if [ "$status" -eq 0 ] && [ ! -e "$SHORT/requests.jsonl" ] \
   && [ -s "$SHORT/report.json" ]; then
  ok "run --no-requests: no requests.jsonl (the earlier one removed), report.json written"
else
  not_ok "run --no-requests: no requests.jsonl (the earlier one removed), report.json written"
  diag "exit status $status"
  diag_file "$TMP/run.err" 5
fi
finish
