#!/bin/sh
# https is TLS on port 443 that stock Wireshark decrypts by itself: runs
# scenario 01 (an internet client calls a public service over https, 3
# requests) with -o and reads the outputs back with tshark.
#
# - The ClientHello of every connection names the service host as SNI
#   (tls.handshake.extensions_server_name), to port 443.
# - trace.pcapng, read with no tshark option (an empty configuration
#   directory), shows the GET and the 200 inside TLS, and Wireshark's TLS
#   debug log shows it found every master secret (the decryption secrets
#   blocks) and checked every record's MAC.
# - pcap/tls-keys.log holds one CLIENT_RANDOM line per connection; the
#   client's link pcap carries the requests as TLS application data and
#   shows the GET and 200 with -o tls.keylog_file.
# - No frame is malformed, in trace.pcapng or any per-link pcap, and no
#   per-link pcap (read with the key log) has an expert item of warning
#   severity or above.
# - The same seed gives the same key log twice.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

SCENARIO=$top_srcdir/scenarios/01-internet-to-public-service.ini
REQUESTS=3
OUT=$TMP/out
KEYS=$OUT/pcap/tls-keys.log
plan 11

"$NETSIM" run "$SCENARIO" -o "$OUT" > "$TMP/run.out" 2> "$TMP/run.err" \
  || bail "run failed: $(cat "$TMP/run.err")"
HOST=$(sed -n 's|^service hello: https://\([^ /]*\).*|\1|p' "$TMP/run.out")
[ -n "$HOST" ] || bail "no service URL in the run's output"
T=$OUT/trace.pcapng
set -- "$OUT"/pcap/*alice*.pcap
CL=$1

# The merged trace holds each segment once per link crossed; Wireshark
# dissects a TLS record at its first copy only, so counts are of those.
expect_frames "trace.pcapng: $REQUESTS ClientHello to port 443 with SNI $HOST" \
  "$T" "tls.handshake.type == 1 && tcp.dstport == 443
        && tls.handshake.extensions_server_name == \"$HOST\"" -eq "$REQUESTS"
expect_frames "trace.pcapng, no options: $REQUESTS GET inside TLS to port 443" \
  "$T" "http.request.method == \"GET\" && http.host == \"$HOST\" && tls
        && tcp.dstport == 443" -eq "$REQUESTS"
expect_frames "trace.pcapng, no options: $REQUESTS responses 200 inside TLS" \
  "$T" "http.response.code == 200 && tls && tcp.srcport == 443" -eq "$REQUESTS"
expect_frames "trace.pcapng: no malformed frame" "$T" "_ws.malformed" -eq 0

# Wireshark shows a NULL cipher's records even without keys; that it used
# the keys of the decryption secrets blocks, and that every MAC is right,
# its TLS debug log tells (a debug file is no decryption setting).
ts -o "tls.debug_file:$TMP/tls.debug" -r "$T" > /dev/null 2>&1
macs=$(grep -c 'ssl_decrypt_record: mac ok' "$TMP/tls.debug" 2>/dev/null)
if [ "${macs:-0}" -ge $((4 * REQUESTS)) ] \
   && ! grep -Eq "mac failed|can't find master secret" "$TMP/tls.debug"; then
  ok "trace.pcapng: Wireshark finds each master secret, $macs record MACs check"
else
  not_ok "trace.pcapng: Wireshark finds each master secret and every MAC checks"
  diag "mac ok: ${macs:-0}"
  grep -E "mac failed|can't find master secret" "$TMP/tls.debug" | head -3 \
    | while read -r l; do diag "$l"; done
fi

if [ "$(grep -c . "$KEYS" 2>/dev/null)" = "$REQUESTS" ] \
   && ! grep -Evq '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' "$KEYS"; then
  ok "pcap/tls-keys.log: $REQUESTS CLIENT_RANDOM lines"
else
  not_ok "pcap/tls-keys.log: $REQUESTS CLIENT_RANDOM lines"
  diag_file "$KEYS" 5
fi

expect_frames "client link: the requests travel as TLS application data to 443" \
  "$CL" "tls.record.content_type == 23 && tcp.dstport == 443" -ge "$REQUESTS"

mkdir -p "$TMP/keyed"
echo "tls.keylog_file: $KEYS" > "$TMP/keyed/preferences"
kts () {
  WIRESHARK_CONFIG_DIR=$TMP/keyed "$TSHARK" -n "$@"
}
if n=$(kts -r "$CL" -Y "http.request.method == \"GET\" || http.response.code == 200" \
         -T fields -e frame.number 2> "$TMP/tshark.err" | grep -c .) \
   && [ "$n" -eq $((2 * REQUESTS)) ]; then
  ok "client link with -o tls.keylog_file: $REQUESTS GET and $REQUESTS 200"
else
  not_ok "client link with -o tls.keylog_file: $REQUESTS GET and $REQUESTS 200"
  diag "found ${n:-?} frames"
  diag_tshark_err
fi

bad= dirty=
for p in "$OUT"/pcap/*.pcap; do
  m=$(kts -r "$p" -Y "_ws.malformed" -T fields -e frame.number 2>/dev/null | grep -c .)
  w=$(kts -r "$p" -Y "_ws.expert.severity >= warning" -T fields -e frame.number 2>/dev/null | grep -c .)
  [ "$m" -eq 0 ] || bad="$bad $(basename "$p"):$m"
  [ "$w" -eq 0 ] || dirty="$dirty $(basename "$p"):$w"
done
if [ -z "$bad" ]; then
  ok "per-link pcaps: no malformed frame"
else
  not_ok "per-link pcaps: malformed frames in:$bad"
fi
if [ -z "$dirty" ]; then
  ok "per-link pcaps with the key log: no expert item of warning or above"
else
  not_ok "per-link pcaps: warnings in:$dirty"
fi

"$NETSIM" run "$SCENARIO" -o "$TMP/again" > /dev/null 2>&1
if cmp -s "$KEYS" "$TMP/again/pcap/tls-keys.log"; then
  ok "the same seed gives the same key log"
else
  not_ok "the same seed gives the same key log"
fi
finish
