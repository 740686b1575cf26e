#!/bin/sh
# One pcapng comment per decision: in scenario 05 the VPC router takes two
# decisions on the dropped SYN (the egress firewall allows it, the route
# to the internet gateway drops it). trace.pcapng gives that frame two
# opt_comment options, in order, and the drop's comment opens with the
# state and the cause, so Wireshark's Expert Information lists one
# decision per line, uncut. A DNS server's answer is commented on the
# answer's first frame. The per-link pcaps' comments are in
# pcap/comments.tsv (file, frame, comment).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

SCENARIO=$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini
OUT=$TMP/out
SEP=$(printf '\037')

"$NETSIM" run "$SCENARIO" -o "$OUT" > "$TMP/run.out" 2> "$TMP/run.err" \
  || { diag_file "$TMP/run.err"; bail "scenario 05 did not run"; }
plan 9

ts -r "$OUT/trace.pcapng" -Y 'frame.comment contains "DROP "' \
   -T fields -E "occurrence=a" -E "aggregator=$SEP" -e frame.comment \
   > "$TMP/drops" 2> "$TMP/tshark.err" || diag_tshark_err
first=$(head -n 1 "$TMP/drops")
n=$(printf '%s\n' "$first" | tr "$SEP" '\n' | grep -c .)
if [ "$n" -eq 2 ]; then
  ok "the dropped SYN's frame carries its two decisions as two comments"
else
  not_ok "the dropped SYN's frame carries $n comments, expected 2"
  diag_file "$TMP/drops"
fi

c1=$(printf '%s\n' "$first" | cut -d "$SEP" -f 1)
c2=$(printf '%s\n' "$first" | cut -d "$SEP" -f 2)
case $c1 in
  "APPLY_EGRESS_FIREWALL_RULE at vpc-"*) ok "the first comment is the firewall's decision" ;;
  *) not_ok "the first comment is the firewall's decision"; diag "got: $c1" ;;
esac
case $c2 in
  "DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED at vpc-"*)
    ok "the drop's comment opens with state and cause" ;;
  *) not_ok "the drop's comment opens with state and cause"; diag "got: $c2" ;;
esac

joined=$(ts_count "$OUT/trace.pcapng" 'frame.comment contains " | "') \
  || { diag_tshark_err; joined=-1; }
check "no comment joins several decisions" [ "$joined" -eq 0 ]

# The DNS server's answer is commented on the answer (issue 22, item 12),
# the first frame of it, not on the query it received.
expect_frames "the DNS_ANSWER comments sit on DNS responses" \
  "$OUT/trace.pcapng" 'frame.comment contains "DNS_ANSWER at" && dns.flags.response == 1' -ge 1
expect_frames "and never on a query" \
  "$OUT/trace.pcapng" 'frame.comment contains "DNS_ANSWER at" && !(dns.flags.response == 1)' -eq 0

# The per-link files (classic pcap, no comments) get theirs in
# pcap/comments.tsv: the same comments as trace.pcapng, each naming the
# file and the frame of it that carried it.
TSV=$OUT/pcap/comments.tsv
ts -r "$OUT/trace.pcapng" -Y frame.comment -T fields -E occurrence=a \
   -E "aggregator=$SEP" -e frame.comment 2> "$TMP/tshark.err" \
  | tr "$SEP" '\n' | sort > "$TMP/trace-comments"
sed 1d "$TSV" 2>/dev/null | cut -f 3- | sort > "$TMP/tsv-comments"
if [ "$(sed -n 1p "$TSV" 2>/dev/null)" = "$(printf 'file\tframe\tcomment')" ] \
   && [ -s "$TMP/tsv-comments" ] && cmp -s "$TMP/trace-comments" "$TMP/tsv-comments"
then
  ok "pcap/comments.tsv holds trace.pcapng's $(grep -c . "$TMP/tsv-comments") comments"
else
  not_ok "pcap/comments.tsv holds trace.pcapng's comments"
  diff "$TMP/trace-comments" "$TMP/tsv-comments" | sed -n '1,6p' | sed 's/^/#   /'
fi
set -- $(awk -F '\t' '$3 ~ /^DROP / { print $1, $2; exit }' "$TSV")
f=$(ts -r "$OUT/pcap/${1:-none}" -Y "frame.number == ${2:-0}" -T fields \
      -e tcp.flags.syn 2> "$TMP/tshark.err")
check "the drop's line names the link file and frame of the dropped SYN ($1 frame $2)" \
  test "$f" = 1
set -- $(awk -F '\t' '$3 ~ /^DNS_ANSWER / { print $1, $2; exit }' "$TSV")
f=$(ts -r "$OUT/pcap/${1:-none}" -Y "frame.number == ${2:-0}" -T fields \
      -e dns.flags.response 2> "$TMP/tshark.err")
check "a DNS answer's line names a DNS response ($1 frame $2)" test "$f" = 1
finish
