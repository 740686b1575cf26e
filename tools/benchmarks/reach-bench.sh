#!/bin/sh
# reach at scale: writes a scenario of N services (default 50) that all
# call each other, plus reach's internet client (N+1 callers x N
# services), and times `cloudrun-netsim reach` on it with --jobs 1 and
# with the default (the core count), checking both give the same bytes.
# A figure, not a timed test.
# Usage: tools/benchmarks/reach-bench.sh [NETSIM] [N]
set -eu
netsim=${1:-build/cloudrun-netsim}
n=${2:-50}
dir=$(mktemp -d "${TMPDIR:-/tmp}/reach-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# Four egress set-ups and three ingress settings in turn, so that the
# matrix holds internal, external, refused and dropped cells.
{
  printf '[scenario]\nformat = 1\ntitle = reach at scale: %s services\n\n' "$n"
  printf '[project shop]\n\n[network vpc]\n\n'
  printf '[connector conn]\nnetwork = vpc\nregion = europe-west1\nrange = 10.200.0.0/28\n\n'
  i=0
  while [ "$i" -lt "$n" ]; do
    pga=false; [ $((i % 2)) -eq 1 ] && pga=true
    printf '[subnet s%s]\nnetwork = vpc\nregion = europe-west1\n' "$i"
    printf 'range = 10.%s.%s.0/24\nprivate-google-access = %s\n\n' \
      $((i / 250)) $((i % 250)) "$pga"
    case $((i % 3)) in
      0) ingress=all ;; 1) ingress=internal ;;
      *) ingress=internal-and-cloud-load-balancing ;;
    esac
    printf '[service svc%s]\nregion = europe-west1\ningress = %s\n' "$i" "$ingress"
    case $((i % 4)) in
      1) printf 'vpc-access = connector\nconnector = conn\nvpc-egress = all-traffic\n' ;;
      2) printf 'vpc-access = direct\nsubnet = s%s\nvpc-egress = all-traffic\n' "$i" ;;
      3) printf 'vpc-access = direct\nsubnet = s%s\n' "$i" ;;
    esac
    printf '\n'
    i=$((i + 1))
  done
} > "$dir/scale.ini"

t0=$(date +%s.%N)
"$netsim" reach "$dir/scale.ini" --jobs 1 --format csv > "$dir/j1.csv"
t1=$(date +%s.%N)
"$netsim" reach "$dir/scale.ini" --format csv > "$dir/jn.csv"
t2=$(date +%s.%N)
cmp -s "$dir/j1.csv" "$dir/jn.csv" || { echo "reach-bench: --jobs changed the output" >&2; exit 1; }
pairs=$(($(wc -l < "$dir/j1.csv") - 1))
echo "pairs $pairs"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "jobs 1: %.1f s\n", b - a }'
awk -v a="$t1" -v b="$t2" -v n="$(nproc)" 'BEGIN { printf "jobs %s: %.1f s\n", n, b - a }'
