#!/bin/sh
# Bodies stream through the TCP window: scenario 01 with one POST of a
# 3 MiB request body answered by a 5 MiB response body (overrides with
# --set), read back with tshark on every per-link pcap.
#
# - the run exits 0 and the request is delivered (report.json);
# - every pcap/*.pcap: no expert warning or error (window updates and
#   persist probes are not warnings), no retransmission, no
#   out-of-order or lost segment;
# - on the client's link and on the GFE -> instance link: the request
#   reassembles (POST, Content-Length 3145728) and so does the response
#   (200, Content-Length 5242880), and the bodies Wireshark exports are
#   byte for byte the patterns the caller and the server wrote, in order.
#   The client's link is https (scenario 01's run.app URL): the bodies
#   stream through TLS records there, and Wireshark reassembles them over
#   the records; inside Google they are clear HTTP over TCP.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

SCENARIO=$top_srcdir/scenarios/01-internet-to-public-service.ini
REQ=3145728
RESP=5242880
OUT=$TMP/out

"$NETSIM" run "$SCENARIO" -q -o "$OUT" \
  --set 'traffic alice-calls-hello.count=1' \
  --set 'traffic alice-calls-hello.method=POST' \
  --set "traffic alice-calls-hello.request-size=${REQ}B" \
  --set "service hello.response-size=${RESP}B" \
  --set 'traffic alice-calls-hello.timeout=600s' \
  > "$TMP/run.out" 2> "$TMP/run.err"
run_status=$?
if [ "$run_status" -ne 0 ] || [ ! -f "$OUT/report.json" ]; then
  diag "$NETSIM run exited $run_status"
  diag_file "$TMP/run.err"
  bail "scenario 01 with large bodies did not run"
fi

npcap=0
for p in "$OUT"/pcap/*.pcap; do
  [ -f "$p" ] && npcap=$((npcap + 1))
done
[ "$npcap" -gt 0 ] || bail "no pcap/*.pcap"
plan $((1 + 2 * npcap + 2 * 6))

if grep -q '"delivered" *: *1' "$OUT/report.json"; then
  ok "the request with a 3 MiB body is delivered"
else
  not_ok "the request with a 3 MiB body is delivered"
  grep -n '"outcomes"' -A8 "$OUT/report.json" | sed 's/^/#   /'
fi

for p in "$OUT"/pcap/*.pcap; do
  name=$(basename "$p")
  expect_frames "$name: no expert warning or error" "$p" \
    '_ws.expert.severity >= warning' -eq 0
  expect_frames "$name: no retransmission, out-of-order or lost segment" \
    "$p" 'tcp.analysis.retransmission || tcp.analysis.out_of_order
          || tcp.analysis.lost_segment || tcp.analysis.duplicate_ack' -eq 0
done

# exported_body_ok DESC DIR SIZE PATTERN: exactly one object of SIZE bytes
# in DIR, equal to PATTERN lines repeated and cut at SIZE.
exported_body_ok () {
  eb_desc=$1 eb_dir=$2 eb_size=$3 eb_line=$4
  yes "$eb_line" | head -c "$eb_size" > "$TMP/want"
  for eb_f in "$eb_dir"/*; do
    if [ -f "$eb_f" ] && [ "$(wc -c < "$eb_f")" -eq "$eb_size" ] \
         && cmp -s "$eb_f" "$TMP/want"; then
      ok "$eb_desc"
      return 0
    fi
  done
  not_ok "$eb_desc"
  ls -l "$eb_dir" | sed 's/^/#   /'
}

for p in "$OUT"/pcap/internet-alice--*.pcap "$OUT"/pcap/gfe-hello-1--*.pcap; do
  name=$(basename "$p")
  expect_frames "$name: POST with Content-Length $REQ reassembles" "$p" \
    "http.request.method == \"POST\" && http.content_length == $REQ" -eq 1
  expect_frames "$name: 200 with Content-Length $RESP reassembles" "$p" \
    "http.response.code == 200 && http.content_length == $RESP" -eq 1
  expect_frames "$name: the reassembled response holds the whole body" "$p" \
    "http.response.code == 200 && (tcp.reassembled.length > $RESP || tls.reassembled.length > $RESP)" -eq 1
  rm -rf "$TMP/objects"
  mkdir "$TMP/objects" || bail "mkdir"
  if ts -r "$p" -q --export-objects "http,$TMP/objects" > /dev/null \
       2> "$TMP/tshark.err"; then
    ok "$name: tshark exports the HTTP bodies"
  else
    not_ok "$name: tshark exports the HTTP bodies"
    diag_tshark_err
  fi
  exported_body_ok "$name: the request body arrives whole and in order" \
    "$TMP/objects" "$REQ" 'cloudrun-netsim'
  exported_body_ok "$name: the response body arrives whole and in order" \
    "$TMP/objects" "$RESP" 'cloudrun-netsim response body'
done

finish
