#!/bin/sh
# Load over time (issue 10): report.json's series, report.txt's peak load
# lines and report.html's charts, for the scenarios whose lessons are
# about load (models/world/series.h):
# - every series: 200ms buckets over the default minute (300), each
#   gauge's max and end 300 long, max never below end, peak the largest
#   max;
# - 34 (a burst of 50): cold climbs to 50 in flight on 5 cold-starting
#   instances, never queues, and is back to 0 in flight by the end; warm
#   has its 5 instances from time 0 and answers the burst within the
#   first bucket; capped runs 10 in flight on its one instance with 40
#   waiting, the queue falling 40, 30, 20 as each 3 s round ends and
#   empty by 12 s (the rest got 429);
# - 35 (Cloud NAT): the small gateway's ports stop at min-ports-per-vm
#   (64), the big one's reach the burst (100); both stay taken to the
#   end (TIME_WAIT 120 s outlasts the minute), and with
#   tcp-time-wait-timeout = 5s the small one's are all free again after
#   5 s (by about 6 s);
# - 36 (Direct VPC): the /28 holds 12 addresses for 6 instances with 24
#   waiting; the /26 60 addresses for 30 instances, nobody waiting;
# - 03: its connector's instance count is there;
# - report.txt says 34's peaks; report.html has one chart per service of
#   34 and stays well-formed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

command -v python3 > /dev/null 2>&1 || bail "no python3 (reads report.json)"
plan 12

# run_to NAME DIR [ARGS...]: scenarios/NAME*.ini into DIR; bails on failure.
run_to () {
  rt_sc=$(ls "$top_srcdir"/scenarios/"$1"-*.ini 2> /dev/null | head -n 1)
  rt_dir=$2
  shift 2
  [ -f "$rt_sc" ] || bail "no scenario $1"
  "$NETSIM" run "$rt_sc" -q --capture=none -o "$rt_dir" "$@" \
    > "$TMP/out" 2> "$TMP/err"
  [ $? -le 1 ] || { diag_file "$TMP/err" 5; bail "run $rt_sc failed"; }
}

# series_check DESC FILE PYTHON: one TAP line; PYTHON sees the series as
# s and a gauge as g(kind, name, metric); an assert that fails says why.
series_check () {
  sc_desc=$1 sc_file=$2
  shift 2
  printf '%s\n' "$*" > "$TMP/body.py"
  if python3 - "$sc_file" "$TMP/body.py" > "$TMP/py" 2>&1 <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["series"]
def g(kind, name, metric):
    found = [x for x in s["gauges"]
             if (x["kind"], x["name"], x["metric"]) == (kind, name, metric)]
    assert len(found) == 1, "%s %s %s: %d gauges" % (kind, name, metric,
                                                     len(found))
    return found[0]
def first(x, pred):
    return next(i for i, v in enumerate(x["end"]) if pred(v))
exec(open(sys.argv[2]).read())
EOF
  then
    ok "$sc_desc"
  else
    not_ok "$sc_desc"
    diag_file "$TMP/py" 8
  fi
}

for n in 34 35 36 03; do
  run_to $n "$TMP/$n"
done
run_to 35 "$TMP/35-tw" --set 'nat small-gw.tcp-time-wait-timeout=5s'

series_check "every series: 300 buckets of 200ms, max >= end, peak = largest max" \
  "$TMP/34/report.json" '
assert (s["period_ns"], s["buckets"]) == (200000000, 300), s["period_ns"]
for f in ["34", "35", "36", "03"]:
    t = json.load(open(sys.argv[1].replace("/34/", "/%s/" % f)))["series"]
    assert (t["period_ns"], t["buckets"]) == (200000000, 300), f
    for x in t["gauges"]:
        assert len(x["max"]) == len(x["end"]) == 300, (f, x["name"])
        assert all(m >= e for m, e in zip(x["max"], x["end"])), (f, x["name"])
        assert x["peak"] == max(x["max"]), (f, x["name"], x["peak"])
        assert x["last"] == x["end"][-1], (f, x["name"])
        assert (x["peak_ns"] is None) == (x["peak"] == 0), (f, x["name"])'

series_check "34 cold: 50 in flight on 5 cold-starting instances, no queue, 0 in flight at the end" \
  "$TMP/34/report.json" '
assert g("service", "cold", "in_flight")["peak"] == 50
assert g("service", "cold", "instances")["peak"] == 5
assert g("service", "cold", "queue")["peak"] == 0
assert g("service", "cold", "in_flight")["last"] == 0
# The cold start (2 s) holds them: still 50 at the end of bucket 9 (2 s).
assert g("service", "cold", "in_flight")["end"][9] == 50'

series_check "34 warm: 5 instances from time 0, the burst answered within the first 200ms" \
  "$TMP/34/report.json" '
w = g("service", "warm", "instances")
assert w["max"][0] == 5 and w["peak_ns"] == 0 and w["peak"] == 5, w["peak"]
f = g("service", "warm", "in_flight")
assert f["max"][0] == 50 and f["end"][0] == 0 and max(f["max"][1:]) == 0'

series_check "34 capped: 1 instance, 10 in flight, 40 waiting, then 30 and 20, empty by 12s" \
  "$TMP/34/report.json" '
assert g("service", "capped", "instances")["peak"] == 1
assert g("service", "capped", "in_flight")["peak"] == 10
q = g("service", "capped", "queue")
assert q["peak"] == 40 and q["max"][0] == 40, q["peak"]
steps = [v for i, v in enumerate(q["end"]) if i == 0 or v != q["end"][i - 1]]
assert steps[:3] == [40, 30, 20], steps
assert first(q, lambda v: v == 0) <= 60, first(q, lambda v: v == 0)
assert q["last"] == 0'

series_check "35: the small gateway stops at 64 ports (min-ports-per-vm), the big one reaches 100; both held to the end (TIME_WAIT)" \
  "$TMP/35/report.json" '
small, big = g("nat", "small-gw", "ports"), g("nat", "big-gw", "ports")
assert small["peak"] == 64 and big["peak"] == 100, (small["peak"], big["peak"])
assert small["last"] == 64 and big["last"] == 100, (small["last"], big["last"])'

series_check "35 with tcp-time-wait-timeout = 5s: the small gateway's ports free again 5s after the burst" \
  "$TMP/35-tw/report.json" '
small = g("nat", "small-gw", "ports")
assert small["peak"] == 64 and small["last"] == 0, small["last"]
free = first(small, lambda v: v == 0)
assert 25 <= free <= 30, free
assert g("nat", "big-gw", "ports")["last"] == 100'

series_check "36 tiny (/28): 12 addresses, 6 instances, 24 waiting" \
  "$TMP/36/report.json" '
assert g("subnet", "tiny", "addresses")["peak"] == 12
assert g("service", "on-tiny", "instances")["peak"] == 6
assert g("service", "on-tiny", "in_flight")["peak"] == 6
assert g("service", "on-tiny", "queue")["peak"] == 24'

series_check "36 roomy (/26): 60 addresses, 30 instances, nobody waiting" \
  "$TMP/36/report.json" '
assert g("subnet", "roomy", "addresses")["peak"] == 60
assert g("service", "on-roomy", "instances")["peak"] == 30
assert g("service", "on-roomy", "queue")["peak"] == 0'

series_check "03: the connector's instances over time" "$TMP/03/report.json" '
c = [x for x in s["gauges"] if (x["kind"], x["metric"]) == ("connector", "instances")]
assert len(c) == 1 and c[0]["peak"] >= 1 and c[0]["max"][0] >= 1, c'

if grep -qx '  service capped: in_flight 10, instances 1, queue 40' "$TMP/34/report.txt" \
   && grep -qx '  service cold: in_flight 50, instances 5, queue 0' "$TMP/34/report.txt"; then
  ok "34 report.txt: the peak load lines"
else
  not_ok "34 report.txt: the peak load lines"
  grep -A5 '^peak load' "$TMP/34/report.txt" | sed 's/^/#   /'
fi

n_charts=$(sed -n '/<h2 id="load">/,/<h2 id="requests">/p' "$TMP/34/report.html" \
  | grep -c '<div class="load"><svg')
if [ "$n_charts" -eq 3 ] && grep -q '<h3>Service <b>capped</b></h3>' "$TMP/34/report.html"; then
  ok "34 report.html: Load over time, one chart per service"
else
  not_ok "34 report.html: Load over time, one chart per service"
  diag "$n_charts charts"
fi
if ! command -v xmllint > /dev/null 2>&1; then
  not_ok "34 report.html with its charts is well-formed XML (no xmllint)"
elif xmllint --noout "$TMP/34/report.html" > "$TMP/xml.err" 2>&1 \
     && [ ! -s "$TMP/xml.err" ]; then
  ok "34 report.html with its charts is well-formed XML"
else
  not_ok "34 report.html with its charts is well-formed XML"
  diag_file "$TMP/xml.err" 5
fi
finish
