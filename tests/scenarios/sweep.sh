#!/bin/sh
# Sweeps (docs/ci.md, "Sweeps"; docs/scenario-format.md, "[sweep]"), on
# scenario 05 with a [sweep] of Private Google Access (false;true) and the
# traffic's count (2;3), seeds = 2: 8 runs.
#
# - run and check ignore [sweep]; --set cannot name it; [sweep NAME] and a
#   key that is not a --set target are refused by the loader.
# - --list-runs: 8 lines "N<TAB>seed=S<TAB>TARGET=V..." in the documented
#   order (keys in file order, the last fastest, seeds innermost); 2 x 3
#   values without seeds count like an odometer.
# - --jobs 2: summary.csv has the header and 8 rows; PGA off is dropped
#   (PRIVATE_GOOGLE_ACCESS_DISALLOWED at vpc-router), on is delivered; the
#   [expect] of 05 fails in the PGA-on runs, so exit 1 and a non-zero
#   failed_expectations there; stderr says so in one line, even with
#   --quiet (issue 22).
# - --jobs 1 gives the same bytes as --jobs 2; so do GNU parallel over
#   `--list-runs | cut -f1` with --run {}, then --collect (Debian package
#   parallel, which tools/dev/setup.sh installs: a missing one fails).
# - SIGTERM to --jobs reaches the runs, which keep nothing half-written.
# - Bad values and targets are refused naming file, [sweep], key and
#   value (exit 2); --collect with a run missing, or a run's rows from
#   another sweep, exits 2 naming the file.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S05=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
[ -f "$S05" ] || bail "no scenario 05 under $top_srcdir"
plan 26

STUDY=$TMP/study.ini
PGA="subnet run-subnet.private-google-access"
COUNT="traffic call-backend.count"
{ cat "$S05"; printf '\n[sweep]\n%s = false;true\n%s = 2;3\nseeds = 2\n' \
  "$PGA" "$COUNT"; } > "$STUDY"

# ---- The loader and [sweep] ------------------------------------------

netsim check "$STUDY"
expect_status "check ignores [sweep]: 05's expectations pass" 0 \
  out "4 passed, 0 failed"
netsim run "$STUDY" --set "sweep.seeds=3" -q --capture none -o "$TMP/r"
expect_status "--set cannot name [sweep]: exit 2" 2 \
  err "$STUDY (--set): [sweep]: expected a group that describes the network"
sed 's/^\[sweep\]$/[sweep pga]/' "$STUDY" > "$TMP/named.ini"
netsim run "$TMP/named.ini" -q --capture none -o "$TMP/r"
expect_status "[sweep NAME] is refused: exit 2" 2 \
  err "$TMP/named.ini: [sweep pga]: expected [sweep] without a name"
sed "s/^$PGA =/subnet.x y =/" "$STUDY" > "$TMP/shape.ini"
netsim check "$TMP/shape.ini"
expect_status "a [sweep] key that is not GROUP.KEY is refused: exit 2" 2 \
  err "expected a [sweep] key: seeds, or GROUP.KEY as --set takes it"

# ---- --list-runs -------------------------------------------------------

T=$(printf '\t')
{
  n=0
  for pga in false true; do
    for count in 2 3; do
      for seed in 1 2; do
        echo "$n${T}seed=$seed$T$PGA=$pga$T$COUNT=$count"
        n=$((n + 1))
      done
    done
  done
} > "$TMP/want-list"
netsim sweep "$STUDY" --list-runs
if [ "$status" -eq 0 ] && cmp -s "$TMP/out" "$TMP/want-list"; then
  ok "--list-runs: 8 runs, last key fastest, seeds innermost"
else
  not_ok "--list-runs: 8 runs, last key fastest, seeds innermost"
  diag "status $status"; diag_file "$TMP/out"; diag_file "$TMP/err" 5
fi
sed '/^seeds/d' "$STUDY" > "$TMP/noseeds.ini"
netsim sweep "$TMP/noseeds.ini" --list-runs
if [ "$status" -eq 0 ] && [ "$(cut -f1,2 "$TMP/out" | tr '\t\n' ' :')" \
     = "0 seed=5:1 seed=5:2 seed=5:3 seed=5:" ]; then
  ok "--list-runs without seeds: 4 runs with the scenario's seed (5)"
else
  not_ok "--list-runs without seeds: 4 runs with the scenario's seed (5)"
  diag_file "$TMP/out"; diag_file "$TMP/err" 5
fi

# Mixed radices, no seeds: 2 x 3 runs, the second key fastest.
{ cat "$S05"; printf '\n[sweep]\n%s = 1;2\n%s = 1s;2s;3s\n' "$COUNT" \
  "traffic call-backend.timeout"; } > "$TMP/radix.ini"
netsim sweep "$TMP/radix.ini" --list-runs
if [ "$status" -eq 0 ] && [ "$(cut -f1,3,4 "$TMP/out" | sed 's/[^\t]*=//g' \
     | tr '\t\n' ' :')" = "0 1 1s:1 1 2s:2 1 3s:3 2 1s:4 2 2s:5 2 3s:" ]; then
  ok "--list-runs of 2 x 3 values: the odometer order"
else
  not_ok "--list-runs of 2 x 3 values: the odometer order"
  diag_file "$TMP/out"; diag_file "$TMP/err" 5
fi

# ---- --jobs --------------------------------------------------------------

netsim sweep "$STUDY" --jobs 2 -o "$TMP/j2" --quiet
expect_status "--jobs 2: exit 1, the PGA-on runs fail 05's [expect]" 1
expect_status "--jobs 2 --quiet: one line says how many runs failed their expectations and that this is the exit 1" 1 \
  err "cloudrun-netsim sweep: 4 of 8 run(s) failed their expectations" \
  err "summary.csv says where): that is why the exit status is 1"
CSV=$TMP/j2/summary.csv
head -1 "$CSV" > "$TMP/header"
echo "run,seed,$PGA,$COUNT,traffic,requests,delivered,denied-by-ingress,denied-by-iam,denied-by-vpc-sc,denied-by-security-policy,denied-by-iap,dropped,dns-failure,unavailable,timeout,pending,internal,external,decided_at,cause,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,failed_expectations" > "$TMP/want-header"
if cmp -s "$TMP/header" "$TMP/want-header" && [ "$(wc -l < "$CSV")" -eq 9 ]
then
  ok "summary.csv: the header, then 8 rows"
else
  not_ok "summary.csv: the header, then 8 rows"
  diag_file "$CSV"
fi
# Rows of PGA off: every request dropped at the VPC router; on: delivered,
# classified internal, with latencies, 4 expectation items failed.
awk -F, 'NR > 1 && $3 == "false" && !($6 == $4 && $13 == $4 && $7 == 0 \
           && $20 == "vpc-router" && $21 == "PRIVATE_GOOGLE_ACCESS_DISALLOWED" \
           && $22 == "" && $27 == 0) { print "bad: " $0 }
         NR > 1 && $3 == "true" && !($6 == $4 && $7 == $4 && $13 == 0 \
           && $18 == $4 && $21 == "" && $22 > 0 && $26 >= $22 && $27 > 0) \
           { print "bad: " $0 }
         NR > 1 { print "row " $1 " " $2 " " $3 " " $4 " " $5 }' "$CSV" \
  > "$TMP/rows"
sed -n 's/^\([0-9]\)\tseed=\([0-9]\)\t[^=]*=\([a-z]*\)\t[^=]*=\([0-9]\)$/row \1 \2 \3 \4 call-backend/p' \
  "$TMP/want-list" > "$TMP/want-rows"
if cmp -s "$TMP/rows" "$TMP/want-rows"; then
  ok "summary.csv: PGA off dropped at vpc-router, on delivered; run order"
else
  not_ok "summary.csv: PGA off dropped at vpc-router, on delivered; run order"
  diag_file "$TMP/rows"
fi
[ -f "$TMP/j2/run-7/report.json" ] && [ -f "$TMP/j2/run-7/summary.csv" ] \
  && [ ! -e "$TMP/j2/run-7/trace.pcapng" ] && [ ! -e "$TMP/j2/run-7/pcap" ] \
  && ok "each run has its reports and summary.csv, no capture by default" \
  || { not_ok "each run has its reports, no capture by default"; \
       ls -R "$TMP/j2" | diag_file /dev/stdin; }

netsim sweep "$STUDY" --jobs 1 -o "$TMP/j1" --quiet
if [ "$status" -eq 1 ] && cmp -s "$TMP/j1/summary.csv" "$CSV"; then
  ok "--jobs 1 and --jobs 2 give the same summary.csv"
else
  not_ok "--jobs 1 and --jobs 2 give the same summary.csv"
  diag "status $status"; diag_file "$TMP/err" 5
fi
if cmp -s "$TMP/j1/run-5/report.json" "$TMP/j2/run-5/report.json"; then
  ok "--jobs 1 and --jobs 2 give the same run-5/report.json"
else
  not_ok "--jobs 1 and --jobs 2 give the same run-5/report.json"
fi

# ---- --run, GNU parallel and --collect -------------------------------

if command -v parallel > /dev/null 2>&1; then
  "$NETSIM" sweep "$STUDY" --list-runs | cut -f1 \
    | parallel --will-cite -j 2 "$NETSIM" sweep "$STUDY" --run {} \
        -o "$TMP/par" --quiet > "$TMP/par.out" 2>&1
  netsim sweep "$STUDY" --collect "$TMP/par"
  if [ "$status" -eq 1 ] && cmp -s "$TMP/par/summary.csv" "$CSV" \
     && grep -qxF "$TMP/par/summary.csv: 8 run(s), 4 with a failed expectation" "$TMP/out"
  then
    ok "parallel --run {} then --collect: the same summary.csv as --jobs"
  else
    not_ok "parallel --run {} then --collect: the same summary.csv as --jobs"
    diag "status $status"; diag_file "$TMP/par.out" 10; diag_file "$TMP/err" 5
  fi
else
  not_ok "parallel --run {} then --collect # no GNU parallel (Debian package parallel; tools/test installs it)"
fi

netsim sweep "$STUDY" --run 2 -o "$TMP/one"
if [ "$status" -eq 0 ] && [ "$(sed -n 2p "$TMP/one/run-2/summary.csv")" \
     = "$(sed -n 4p "$CSV")" ] \
   && grep -qF "$TMP/one/run-2/: 2${T}seed=1$T$PGA=false$T$COUNT=3" "$TMP/out"
then
  ok "--run 2: exit 0, says what it ran, writes run 2's row"
else
  not_ok "--run 2: exit 0, says what it ran, writes run 2's row"
  diag "status $status"; diag_file "$TMP/out" 5; diag_file "$TMP/err" 5
fi

# A link at DIR/run-N is not followed: the run refuses, its target stays.
mkdir "$TMP/victim" "$TMP/linked"
echo keep > "$TMP/victim/report.txt"
ln -s "$TMP/victim" "$TMP/linked/run-3"
netsim sweep "$STUDY" --run 3 -o "$TMP/linked"
if [ "$status" -eq 2 ] && [ "$(cat "$TMP/victim/report.txt")" = keep ] \
   && [ "$(ls "$TMP/victim")" = report.txt ] \
   && grep -qF "$TMP/linked/run-3: expected a directory of this sweep's run or nothing, found a symbolic link" "$TMP/err"
then
  ok "--run N with a link at DIR/run-N: exit 2, the link's target untouched"
else
  not_ok "--run N with a link at DIR/run-N: exit 2, the link's target untouched"
  diag "status $status"; diag_file "$TMP/err" 5; ls -la "$TMP/victim" | diag_file /dev/stdin
fi

rm -r "$TMP/par/run-6"
netsim sweep "$STUDY" --collect "$TMP/par"
expect_status "--collect with run 6 missing: exit 2, names its file" 2 \
  err "$TMP/par/run-6/summary.csv: expected the summary of run 6 of 8"
cp "$TMP/par/run-1/summary.csv" "$TMP/par/run-6/summary.csv" 2>/dev/null \
  || { mkdir "$TMP/par/run-6" && cp "$TMP/par/run-1/summary.csv" "$TMP/par/run-6/"; }
netsim sweep "$STUDY" --collect "$TMP/par"
expect_status "--collect with another run's rows: exit 2, says what it expected" 2 \
  err "$TMP/par/run-6/summary.csv: expected on line 2 a row starting '6,1,true,3,call-backend,'"

# --collect reads only regular files a run wrote: a FIFO does not stall it
# (a timeout stands guard), a link is refused, and no error quotes what
# the file holds.
rm -f "$TMP/par/run-6/summary.csv"
mkfifo "$TMP/par/run-6/summary.csv"
timeout 10 "$NETSIM" sweep "$STUDY" --collect "$TMP/par" > "$TMP/out" 2> "$TMP/err"
status=$?
expect_status "--collect with a FIFO for a summary: exit 2 at once, says a FIFO" 2 \
  err "$TMP/par/run-6/summary.csv: expected a regular file of at most 16 MiB, found a FIFO"
rm -f "$TMP/par/run-6/summary.csv"
printf 'root:SECRET-LINE:0:0\n' > "$TMP/secret"
ln -s "$TMP/secret" "$TMP/par/run-6/summary.csv"
netsim sweep "$STUDY" --collect "$TMP/par"
expect_status "--collect with a link for a summary: exit 2, refused as a link" 2 \
  err "$TMP/par/run-6/summary.csv: expected the summary of run 6 of 8" \
  err "found a symbolic link"
rm -f "$TMP/par/run-6/summary.csv"
cp "$TMP/secret" "$TMP/par/run-6/summary.csv"
netsim sweep "$STUDY" --collect "$TMP/par"
if [ "$status" -eq 2 ] && ! grep -q SECRET-LINE "$TMP/err" \
   && grep -qF "found another first line" "$TMP/err"; then
  ok "--collect with a foreign file: exit 2, never quotes what it holds"
else
  not_ok "--collect with a foreign file: exit 2, never quotes what it holds"
  diag "status $status"; diag_file "$TMP/err" 5
fi
rm -rf "$TMP/par/run-6"
ln -s "$TMP/par/run-1" "$TMP/par/run-6"
netsim sweep "$STUDY" --collect "$TMP/par"
expect_status "--collect with a link for a run's directory: exit 2, says so" 2 \
  err "$TMP/par/run-6: expected a directory sweep --run wrote, found a symbolic link"

# A signal to --jobs is passed on to the runs going: each removes what it
# staged; the sweep dies of the signal and writes no summary.csv.
# Both runs must outlast the second before the signal on a quiet machine:
# an hour of simulated time at a request a millisecond.
{ sed 's/^count = 3$/count = 3600000/; s/^interval = 100ms$/interval = 1ms/;
       s/^\[scenario\]$/[scenario]\nduration = 60m/' \
    "$S05"; printf '\n[sweep]\n%s = false;true\n' "$PGA"; } > "$TMP/long.ini"
"$NETSIM" sweep "$TMP/long.ini" --jobs 2 -o "$TMP/long" > "$TMP/long.out" \
  2> "$TMP/long.err" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
status=$?
if [ "$status" -eq 143 ] && [ ! -e "$TMP/long/summary.csv" ] \
   && [ -z "$(ls -A "$TMP/long" 2>/dev/null)" ] \
   && grep -qF "$TMP/long/run-1: interrupted; nothing of this run was kept" "$TMP/long.err"
then
  ok "SIGTERM to --jobs: passed on, nothing staged left, status 143"
else
  not_ok "SIGTERM to --jobs: passed on, nothing staged left, status 143"
  diag "status $status"; diag_file "$TMP/long.err" 8; ls -aR "$TMP/long" 2>&1 | diag_file /dev/stdin
fi

# ---- Bad [sweep] values and targets ----------------------------------

sed "s/^$PGA = false;true/$PGA = false;maybe/" "$STUDY" > "$TMP/bad-value.ini"
netsim sweep "$TMP/bad-value.ini" --list-runs
expect_status "a bad value: exit 2, names file, [sweep], key and value" 2 \
  err "$TMP/bad-value.ini: [sweep] $PGA: expected a --set target and values it takes, found value 'maybe'" \
  err "expected true or false"
sed "s/^$COUNT =/traffic call-backend.cont =/" "$STUDY" > "$TMP/bad-key.ini"
netsim sweep "$TMP/bad-key.ini" --jobs 2 -o "$TMP/bad"
if [ "$status" -eq 2 ] && [ ! -e "$TMP/bad" ] \
   && grep -qF "$TMP/bad-key.ini: [sweep] traffic call-backend.cont: expected a --set target" "$TMP/err" \
   && grep -qF "did you mean 'count'?" "$TMP/err"; then
  ok "a bad target: exit 2 before any run, names it, did you mean"
else
  not_ok "a bad target: exit 2 before any run, names it, did you mean"
  diag "status $status"; diag_file "$TMP/err" 5
fi
finish
