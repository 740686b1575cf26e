#!/bin/sh
# The address plan (docs/scenario-format.md, "Addresses": what the
# simulator picks itself never collides) and one Cloud NAT per region, end
# to end.
#
# - A client written at 198.51.100.10 (the first automatic NAT address
#   before the plan) is reached from a VM through Cloud NAT: check passes
#   delivered, and on the client's link the request comes from the NAT's
#   automatic address (35.192.0.x), never from 198.51.100.10 itself.
# - A network with a Cloud NAT in us-east1 and one in us-west1 and a VM
#   without external address in each, plus one in europe-west1 without
#   NAT: check passes (east and west delivered, far dropped at the VPC
#   router with NO_EXTERNAL_ADDRESS); each NAT's internet link carries
#   only its own address as source, its VPC link only its own region's
#   subnet; the client sees both NAT addresses and nothing from Europe.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

require_tshark
plan 10

# checked DESC FILE: one TAP line: `check FILE` exits 0, nothing failed.
checked () {
  "$NETSIM" check "$2" > "$TMP/out" 2> "$TMP/err"
  c_status=$?
  c_summary=$(tail -n 1 "$TMP/out")
  if [ "$c_status" -eq 0 ] \
     && expr "$c_summary" : '[1-9][0-9]* passed, 0 failed$' >/dev/null; then
    ok "$1: $c_summary"
  else
    not_ok "$1: check exited $c_status${c_summary:+ ($c_summary)}"
    grep '^FAIL' "$TMP/out" | sed 's/^/#   /'
    diag_file "$TMP/err" 10
  fi
}

# run_to FILE DIR: the per-link pcaps of FILE in DIR/pcap, or bail.
run_to () {
  "$NETSIM" run "$1" -q -o "$2" > "$TMP/run.out" 2> "$TMP/run.err" \
    || { diag_file "$TMP/run.err"; bail "run $1 failed"; }
}

# ---- A client at the old first automatic address --------------------

cat > "$TMP/taken.ini" <<'EOF'
[scenario]
format = 1
title = A client at the old first NAT address

[network net]

[subnet vms]
network = net
region = us-central1
range = 10.1.0.0/24

[nat gw]
network = net
region = us-central1

[vm app]
subnet = vms

[client site]
address = 198.51.100.10

[traffic out]
from = app
url = http://198.51.100.10/

[expect out]
outcome = delivered
status = 200
via = vm;vpc-router;nat;internet;client
EOF

checked "client at 198.51.100.10 reached through Cloud NAT" "$TMP/taken.ini"
run_to "$TMP/taken.ini" "$TMP/taken"
site=$TMP/taken/pcap/internet-site--site-eth0.pcap
expect_frames "the client receives the request from the NAT's automatic address" \
  "$site" "ip.dst == 198.51.100.10 && ip.src == 35.192.0.0/16 && tcp.flags.syn == 1" -ge 1
expect_frames "no packet on the client's link comes from its own address" \
  "$site" "ip.src == 198.51.100.10 && ip.dst == 198.51.100.10" -eq 0

# ---- Two regions, two gateways, one region without ------------------

cat > "$TMP/regions.ini" <<'EOF'
[scenario]
format = 1
title = One Cloud NAT per region

[network net]

[subnet east]
network = net
region = us-east1
range = 10.1.0.0/24

[subnet west]
network = net
region = us-west1
range = 10.2.0.0/24

[subnet far]
network = net
region = europe-west1
range = 10.3.0.0/24

[nat east-gw]
network = net
region = us-east1
addresses = 34.1.0.1

[nat west-gw]
network = net
region = us-west1
addresses = 34.2.0.1

[vm east-vm]
subnet = east

[vm west-vm]
subnet = west

[vm far-vm]
subnet = far

[client site]
address = 203.0.113.10

[traffic from-east]
from = east-vm
url = http://203.0.113.10/

[traffic from-west]
from = west-vm
url = http://203.0.113.10/

[traffic from-far]
from = far-vm
url = http://203.0.113.10/
timeout = 2s

[expect from-east]
outcome = delivered
via = vpc-router;nat;client

[expect from-west]
outcome = delivered
via = vpc-router;nat;client

[expect from-far]
outcome = dropped
drop-cause = NO_EXTERNAL_ADDRESS
decided-at = vpc-router
EOF

checked "each region's VM through its own NAT, none without" "$TMP/regions.ini"
run_to "$TMP/regions.ini" "$TMP/regions"
p=$TMP/regions/pcap
expect_frames "east NAT's internet link: sources are 34.1.0.1 only" \
  "$p/nat-east-gw-internet--internet-east-gw.pcap" \
  "ip.dst == 203.0.113.10 && ip.src != 34.1.0.1" -eq 0
expect_frames "west NAT's internet link: sources are 34.2.0.1 only" \
  "$p/nat-west-gw-internet--internet-west-gw.pcap" \
  "ip.dst == 203.0.113.10 && ip.src != 34.2.0.1" -eq 0
expect_frames "east NAT's VPC link carries only us-east1's subnet" \
  "$p/vpc-net-nat-east-gw--nat-east-gw-vpc.pcap" \
  "ip.dst == 203.0.113.10 && !(ip.src == 10.1.0.0/24)" -eq 0
expect_frames "the client sees the east NAT's address" \
  "$p/internet-site--site-eth0.pcap" \
  "ip.src == 34.1.0.1 && tcp.flags.syn == 1" -ge 1
expect_frames "the client sees the west NAT's address" \
  "$p/internet-site--site-eth0.pcap" \
  "ip.src == 34.2.0.1 && tcp.flags.syn == 1" -ge 1
expect_frames "nothing from Europe reaches the client" \
  "$p/internet-site--site-eth0.pcap" \
  "ip.src != 34.1.0.1 && ip.src != 34.2.0.1 && ip.dst == 203.0.113.10" -eq 0
finish
