#!/bin/sh
# A thousand instances of one service (issue 10), end to end and small:
# 1000 requests at once on a service that takes one at a time
# (concurrency 1, max-instances 1000), then one request to a second
# service.
#
# - The run passes its [expect] (all delivered, decided at the service).
# - requests.jsonl: the 1000 requests were served by 1000 distinct
#   instances, api-1 to api-1000.
# - trace.pcapng: its interfaces' names (NODE/PORT) are all distinct, and
#   api-1/eth0 ... api-1000/eth0 are among them.
# - pcap/: one file per link that carried a frame, among them the GFE's
#   link to each of the 1000 instances, all open at once: the run starts
#   with a soft limit of 512 open files (when the hard limit allows 4096)
#   and raises it to the hard one.
# - Addresses: api-1 answers from 169.254.1.10, api-1000 from
#   169.254.4.241 (api's four /24s), and the next service's first
#   instance from 169.254.5.10.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

require_tshark
plan 6

cat > "$TMP/many.ini" <<'EOF'
[scenario]
format = 1
title = A thousand instances
duration = 30s

[service api]
region = us-central1
ingress = all
concurrency = 1
max-instances = 1000
cold-start = 1s
service-time = 2s
response-size = 10B

[service next]
region = us-central1
ingress = all

[client alice]

[traffic burst]
from = alice
url = service:api
pattern = burst
count = 1000
timeout = 20s

[traffic one]
from = alice
url = service:next
start = 5s

[expect burst]
outcome = delivered
decided-at = service

[expect one]
outcome = delivered
EOF

out=$TMP/out
hard=$(ulimit -H -n)
soft=
if [ "$hard" = unlimited ] || [ "$hard" -ge 4096 ]; then soft=512; fi
if (if [ -n "$soft" ]; then ulimit -S -n "$soft"; fi
    exec "$NETSIM" run "$TMP/many.ini" -o "$out" -q) > "$TMP/run.out" 2>&1
then
  ok "1000 requests on 1000 instances: the run passes its [expect]"
else
  not_ok "1000 requests on 1000 instances: the run passes its [expect]"
  diag_file "$TMP/run.out"
  diag_file "$out/report.txt" 20
fi

sed -n 's/.*"traffic":"burst".*"decided_node":"\([^"]*\)".*/\1/p' \
  "$out/requests.jsonl" | sort -u > "$TMP/nodes"
seq 1 1000 | sed 's/^/api-/' | sort > "$TMP/want-nodes"
if cmp -s "$TMP/nodes" "$TMP/want-nodes"; then
  ok "requests.jsonl: served by api-1 ... api-1000, one each"
else
  not_ok "requests.jsonl: served by api-1 ... api-1000, one each"
  diag "$(grep -c . "$TMP/nodes") distinct instances"
fi

# The interface description blocks' if_name options, one a line.
python3 - "$out/trace.pcapng" > "$TMP/ifaces" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
at = 0
while at + 12 <= len(data):
    btype, blen = struct.unpack_from("<II", data, at)
    if btype == 1:
        opt = at + 16
        while opt + 4 <= at + blen - 4:
            code, olen = struct.unpack_from("<HH", data, opt)
            if code == 0:
                break
            if code == 2:
                print(data[opt + 4:opt + 4 + olen].decode())
            opt += 4 + (olen + 3) // 4 * 4
    at += blen
EOF
n_if=$(grep -c . "$TMP/ifaces")
n_uniq=$(sort -u "$TMP/ifaces" | grep -c .)
n_api=$(grep -c '^api-[0-9]*/eth0$' "$TMP/ifaces")
check "trace.pcapng: $n_if interface names, all distinct, 1000 api-N/eth0" \
  test "$n_if" -eq "$n_uniq" -a "$n_api" -eq 1000

n_links=$(ls "$out/pcap" | grep -c -- '--api-[0-9]*-eth0\.pcap$')
check "pcap/: the GFE's link to each of the 1000 instances ($n_links)" \
  test "$n_links" -eq 1000

# answered_from INSTANCE: the source addresses of INSTANCE's link.
answered_from () {
  ts -r "$out/pcap/gfe-$1--$1-eth0.pcap" -Y 'tcp.srcport == 80' \
     -T fields -e ip.src 2> "$TMP/tshark.err" | sort -u | tr '\n' ' '
}
got="$(answered_from api-1)$(answered_from api-1000)"
check "api-1 at 169.254.1.10, api-1000 at 169.254.4.241 ($got)" \
  test "$got" = "169.254.1.10 169.254.4.241 "
got=$(answered_from next-1)
check "next-1 at 169.254.5.10 ($got)" test "$got" = "169.254.5.10 "

finish
