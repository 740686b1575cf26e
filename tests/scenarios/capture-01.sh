#!/bin/sh
# What Wireshark shows of scenario 01 (an internet client calls a public
# Cloud Run service): runs it with -o into a temporary directory and reads
# the outputs back with tshark.
#
# - On the client's link (pcap/*alice*.pcap): the DNS query and answer
#   (A 216.239.32.53) for the service host, a full TCP handshake on every
#   connection to the GFE on port 443, GET with the right Host header, 200
#   back, read through TLS with pcap/tls-keys.log as Wireshark's key log.
# - Every classic pcap/*.pcap opens, has no malformed packet, no expert
#   warning or error and no TCP analysis flag: per link, the flows are
#   healthy.
# - trace.pcapng has no malformed packet and no expert error, NODE/IFACE
#   interface names, a DELIVER packet comment, and exactly the frames of
#   the pcaps. It holds every hop, so the same segment appears once per
#   link crossed and Wireshark's TCP analysis calls the copies
#   retransmissions: expected there, so its warnings are not asserted.
# - capinfos (when present): nanosecond timestamps.
# - report.json is JSON with traffic[0].outcomes.delivered == 3;
#   report.txt explains a DELIVER step.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

SCENARIO=$top_srcdir/scenarios/01-internet-to-public-service.ini
GFE=216.239.32.53
CLIENT=203.0.113.10
DNS=8.8.8.8
REQUESTS=3                      # count = 3 in the scenario
OUT=$TMP/out

"$NETSIM" run "$SCENARIO" -o "$OUT" > "$TMP/run.out" 2> "$TMP/run.err"
# The per-link pcaps carry https: tshark reads them with the run's key log.
mkdir -p "$TMP/wireshark"
echo "tls.keylog_file: $OUT/pcap/tls-keys.log" > "$TMP/wireshark/preferences"
run_status=$?
if [ "$run_status" -ne 0 ] || [ ! -f "$OUT/trace.pcapng" ]; then
  diag "$NETSIM run $SCENARIO -o $OUT exited $run_status"
  diag_file "$TMP/run.err"
  bail "scenario 01 did not run"
fi

npcap=0
for p in "$OUT"/pcap/*.pcap; do
  [ -f "$p" ] && npcap=$((npcap + 1))
done
plan $((18 + 4 * npcap))

# 1. What run wrote.
missing=
for f in trace.pcapng report.txt report.json; do
  [ -s "$OUT/$f" ] || missing="$missing $f"
done
[ "$npcap" -gt 0 ] || missing="$missing pcap/*.pcap"
if [ -z "$missing" ]; then
  ok "run writes trace.pcapng, report.txt, report.json and $npcap pcap/*.pcap"
else
  not_ok "run writes trace.pcapng, report.txt, report.json and pcap/*.pcap"
  diag "missing or empty:$missing"
fi

# 2. The service host, as run prints it.
HOST=$(sed -n 's|^service hello: https://\([^ /]*\).*|\1|p' "$TMP/run.out")
if expr "$HOST" : 'hello-[a-z0-9]*-an\.a\.run\.app$' >/dev/null; then
  ok "run prints the service URL https://$HOST"
else
  not_ok "run prints the service URL https://hello-HASH-an.a.run.app"
  diag_file "$TMP/run.out"
  HOST=hello-unknown.a.run.app
fi

# 3.-8. The client's link.
set -- "$OUT"/pcap/*alice*.pcap
if [ $# -eq 1 ] && [ -f "$1" ]; then
  CL=$1
  ok "one pcap for the client's link: pcap/$(basename "$CL")"
else
  not_ok "one pcap for the client's link (pcap/*alice*.pcap)"
  diag "found: $*"
  CL=$TMP/no-client-link.pcap
fi

expect_frames "client link: DNS query for A $HOST from $CLIENT to $DNS" "$CL" \
  "dns.flags.response == 0 && dns.qry.name == \"$HOST\" && dns.qry.type == 1
   && ip.src == $CLIENT && ip.dst == $DNS && udp.dstport == 53" -ge 1
expect_frames "client link: DNS answer for $HOST with A $GFE" "$CL" \
  "dns.flags.response == 1 && dns.flags.rcode == 0 && dns.qry.name == \"$HOST\"
   && dns.a == $GFE && ip.src == $DNS && ip.dst == $CLIENT" -ge 1

# Every TCP connection to the GFE starts SYN, SYN/ACK, ACK, each acknowledging
# the other side's initial sequence number plus one.
if ts -r "$CL" -Y "tcp && ip.addr == $GFE" -T fields -E separator=' ' \
     -e tcp.stream -e ip.src -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack \
     -e tcp.flags.fin -e tcp.flags.reset -e tcp.seq_raw -e tcp.ack_raw \
     > "$TMP/tcp" 2> "$TMP/tshark.err"; then
  awk -v client="$CLIENT" -v gfe="$GFE" '
    function b(x) { return x == "1" || x == "True" }
    function inc(x) { return (x + 1) % 4294967296 }
    { k = ++seen[$1] }
    k == 1 { streams++; ok[$1] = ($2 == client && $3 == 443 && b($4) && !b($5) &&
                                  !b($6) && !b($7)); isn_c[$1] = $8 }
    k == 2 { ok[$1] = ok[$1] && $2 == gfe && b($4) && b($5) && !b($6) &&
                      !b($7) && $9 == inc(isn_c[$1]); isn_s[$1] = $8 }
    k == 3 { ok[$1] = ok[$1] && $2 == client && !b($4) && b($5) && !b($7) &&
                      $8 == inc(isn_c[$1]) && $9 == inc(isn_s[$1]) }
    END {
      for (s in seen)
        if (seen[s] < 3 || !ok[s]) { bad++; print "stream " s " does not open with SYN, SYN/ACK, ACK" }
      print streams + 0, bad + 0 > "/dev/stderr"
    }' "$TMP/tcp" > "$TMP/tcp.bad" 2> "$TMP/tcp.sum"
  read -r streams bad < "$TMP/tcp.sum"
  if [ "$streams" -ge 1 ] && [ "$bad" -eq 0 ]; then
    ok "client link: $streams TCP connection(s) to $GFE:443, each opens SYN, SYN/ACK, ACK"
  else
    not_ok "client link: TCP connections to $GFE:443 open SYN, SYN/ACK, ACK"
    diag "$streams connection(s), $bad without a proper handshake"
    diag_file "$TMP/tcp.bad" 5
    diag_file "$TMP/tcp" 12
  fi
else
  not_ok "client link: TCP connections to $GFE:443 open SYN, SYN/ACK, ACK"
  diag_tshark_err
fi

expect_frames "client link: $REQUESTS HTTP GET with Host: $HOST to $GFE" "$CL" \
  "http.request.method == \"GET\" && http.host == \"$HOST\" && ip.dst == $GFE
   && tcp.dstport == 443" -eq "$REQUESTS"
expect_frames "client link: $REQUESTS HTTP 200 responses from $GFE" "$CL" \
  "http.response.code == 200 && ip.src == $GFE && ip.dst == $CLIENT" \
  -eq "$REQUESTS"

# 9.-13. The merged trace.
T=$OUT/trace.pcapng
expect_frames "trace.pcapng: no malformed packet" "$T" "_ws.malformed" -eq 0
expect_frames "trace.pcapng: no expert error" "$T" \
  "_ws.expert.severity == error" -eq 0

if ts -r "$T" -T fields -e frame.interface_name > "$TMP/ifnames" \
     2> "$TMP/tshark.err"; then
  sort -u "$TMP/ifnames" > "$TMP/ifnames.u"
  grep -v '^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*$' "$TMP/ifnames.u" > "$TMP/ifnames.bad"
  if grep -qx 'alice/eth0' "$TMP/ifnames.u" && [ ! -s "$TMP/ifnames.bad" ]; then
    ok "trace.pcapng: interfaces named NODE/IFACE, alice/eth0 among them ($(grep -c . "$TMP/ifnames.u"))"
  else
    not_ok "trace.pcapng: interfaces named NODE/IFACE, alice/eth0 among them"
    diag "interface names of the frames:"
    diag_file "$TMP/ifnames.u"
  fi
else
  not_ok "trace.pcapng: interfaces named NODE/IFACE, alice/eth0 among them"
  diag_tshark_err
fi

# tshark 4.0 calls the packet comment field frame.comment (pkt_comment is
# the protocol); older ones called the field pkt_comment.
if ts -r "$T" -c 1 -Y frame.comment > /dev/null 2>&1; then
  COMMENT=frame.comment
else
  COMMENT=pkt_comment
fi
expect_frames "trace.pcapng: a packet comment ($COMMENT) contains DELIVER" "$T" \
  "$COMMENT contains \"DELIVER\"" -ge 1

total=0
for p in "$OUT"/pcap/*.pcap; do
  [ -f "$p" ] || continue
  n=$(ts_count "$p" frame) || n=x
  [ "$n" = x ] || total=$((total + n))
done
if all=$(ts_count "$T" frame) && [ "$all" -eq "$total" ] && [ "$all" -gt 0 ]; then
  ok "trace.pcapng holds the $all frames of the pcap/*.pcap together"
else
  not_ok "trace.pcapng holds the frames of the pcap/*.pcap together"
  diag "trace.pcapng: ${all:-?} frames; the pcaps: $total"
fi

# 14.-15. capinfos.
CAPINFOS=$(command -v capinfos 2>/dev/null)
if [ -n "$CAPINFOS" ]; then
  bad=
  for p in "$OUT"/pcap/*.pcap "$T"; do
    # 4.0 prints "File timestamp precision:  nanoseconds (9)"
    if ! "$CAPINFOS" "$p" > "$TMP/capinfos" 2>&1 \
       || ! grep -q 'precision: *nanoseconds' "$TMP/capinfos"; then
      bad="$bad $(basename "$p")"
      cp "$TMP/capinfos" "$TMP/capinfos.bad"
    fi
  done
  if [ -z "$bad" ]; then
    ok "capinfos: every pcap and trace.pcapng have nanosecond timestamps"
  else
    not_ok "capinfos: every pcap and trace.pcapng have nanosecond timestamps"
    diag "not nanosecond:$bad"
    diag_file "$TMP/capinfos.bad" 6
  fi
  "$CAPINFOS" -k "$T" > "$TMP/capinfos" 2>&1
  if grep -q 'keys are in this file' "$TMP/capinfos"; then
    ok "capinfos: trace.pcapng says in its capture comment that its TLS keys are in it"
  else
    not_ok "capinfos: trace.pcapng says in its capture comment that its TLS keys are in it"
    diag_file "$TMP/capinfos" 8
  fi
else
  skip "capinfos: nanosecond timestamps" "no capinfos"
  skip "capinfos: capture comment" "no capinfos"
fi

# 16.-18. The reports.
if command -v python3 >/dev/null 2>&1; then
  if python3 -m json.tool "$OUT/report.json" > /dev/null 2> "$TMP/json.err"; then
    ok "report.json is valid JSON"
  else
    not_ok "report.json is valid JSON"
    diag_file "$TMP/json.err" 5
  fi
  delivered=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["traffic"][0]["outcomes"]["delivered"])
' "$OUT/report.json" 2> "$TMP/json.err")
  if [ "$delivered" = "$REQUESTS" ]; then
    ok "report.json: traffic[0].outcomes.delivered == $REQUESTS"
  else
    not_ok "report.json: traffic[0].outcomes.delivered == $REQUESTS"
    diag "found: '${delivered}'"
    diag_file "$TMP/json.err" 5
  fi
else
  skip "report.json is valid JSON" "no python3"
  skip "report.json: traffic[0].outcomes.delivered == $REQUESTS" "no python3"
fi
if grep -q 'DELIVER' "$OUT/report.txt"; then
  ok "report.txt explains a DELIVER step"
else
  not_ok "report.txt explains a DELIVER step"
  diag_file "$OUT/report.txt"
fi

# Per link: every classic pcap is clean.
for p in "$OUT"/pcap/*.pcap; do
  [ -f "$p" ] || continue
  b=pcap/$(basename "$p")
  if ts -r "$p" -q > /dev/null 2> "$TMP/tshark.err"; then
    ok "$b opens"
  else
    not_ok "$b opens"
    diag_tshark_err
  fi
  expect_frames "$b: no malformed packet" "$p" "_ws.malformed" -eq 0
  if ! expect_frames "$b: no expert warning or error" "$p" \
         "_ws.expert.severity == warning || _ws.expert.severity == error" -eq 0
  then
    ts -r "$p" -q -z expert,warn 2>/dev/null | sed -n '1,12p' | sed 's/^/#   /'
  fi
  expect_frames "$b: no TCP analysis flags" "$p" \
    "tcp.analysis.flags && !tcp.analysis.window_update" -eq 0
done
finish
