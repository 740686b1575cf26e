#!/bin/sh
# Runs into one output directory never mix their files (issue 27): six
# runs of one scenario with six seeds start at once into one DIR; each
# exits 0 (it wrote DIR whole) or 2 (refused: another run was writing),
# at least one wrote, and report.txt and report.html in DIR name the
# same seed, one of those that exited 0. Five rounds.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S=$top_srcdir/scenarios/01-internet-to-public-service.ini
[ -f "$S" ] || bail "no $S"
plan 5

for round in 1 2 3 4 5; do
  d=$TMP/round-$round
  pids=
  for seed in 11 12 13 14 15 16; do
    "$NETSIM" run "$S" -q --seed "$seed" -o "$d" \
      > "$TMP/out-$round-$seed" 2> "$TMP/err-$round-$seed" &
    pids="$pids $!:$seed"
  done
  wrote= why=
  for ps in $pids; do
    wait "${ps%%:*}"
    st=$?
    case $st in
      0) wrote="$wrote ${ps#*:}" ;;
      2) grep -q "another cloudrun-netsim run is writing into this directory" \
           "$TMP/err-$round-${ps#*:}" \
           || why="$why; seed ${ps#*:} exit 2 without saying why" ;;
      *) why="$why; seed ${ps#*:} exit $st" ;;
    esac
  done
  txt=$(sed -n 's/^seed: \([0-9]*\),.*/\1/p' "$d/report.txt" 2>/dev/null)
  html=$(grep -o 'seed [0-9]*,' "$d/report.html" 2>/dev/null | head -n 1 \
         | tr -dc 0-9)
  [ -n "$wrote" ] || why="$why; no run wrote"
  [ -n "$txt" ] && [ "$txt" = "$html" ] \
    || why="$why; report.txt says seed '$txt', report.html '$html'"
  case " $wrote " in *" $txt "*) ;; *) why="$why; seed $txt did not exit 0" ;; esac
  if [ -z "$why" ]; then
    ok "round $round: six runs into one DIR, its files all of seed $txt"
  else
    not_ok "round $round: six runs into one DIR, its files all of one seed"
    diag "${why#; }"
  fi
done
