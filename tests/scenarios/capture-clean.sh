# Every per-link pcap of every public scenario, read back by tshark: no
# expert item of warning severity or above (no RST storm, no lost final
# ACK, no out-of-order segment), and no TCP reset at all, so every
# connection through a translating hop ends with FIN/ACK.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

files=$(ls "$top_srcdir"/scenarios/*.ini | sort)
n=0
for f in $files; do n=$((n + 1)); done
plan $n

for f in $files; do
  name=$(basename "$f" .ini)
  out="$TMP/$name"
  if ! "$NETSIM" run "$f" -o "$out" --quiet >"$TMP/run.out" 2>&1 \
     && [ ! -d "$out/pcap" ]; then
    not_ok "$name: run wrote its per-link pcaps"
    diag_file "$TMP/run.out"
    continue
  fi
  bad=""
  for p in "$out"/pcap/*.pcap; do
    [ -s "$p" ] || continue
    c=$(ts_count "$p" "_ws.expert.severity >= warning || tcp.flags.reset == 1") \
      || { diag_tshark_err; c=1; }
    [ "$c" -eq 0 ] || bad="$bad $(basename "$p"):$c"
  done
  if [ -z "$bad" ]; then
    ok "$name: every per-link pcap is free of warnings and resets"
  else
    not_ok "$name: warnings or resets in:$bad"
  fi
  rm -rf "$out"
done
finish
