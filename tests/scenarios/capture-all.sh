# Every scenario's capture, read back by tshark: no malformed packet in
# trace.pcapng (read with the cloudrun-netsim profile's expert severities:
# it holds every hop's copy of a segment, and reassembling a response of
# several segments from all of them is a "reassembly error" to Wireshark
# 4.0, which the profile lowers to a note; the per-link pcaps, one copy
# each, are read below without it); the Geneve envelope (UDP 6081) is there when a request
# reached the GFE from a VPC or a load balancer (the report says some
# request was classified internal), absent from scenarios that have no
# VPC and no load balancer at all (internet paths carry none), and, where
# a VPC or load balancer is but no request was internal, there only if
# the GFE classified some request external (what crossed the fabric to it
# was classified); every kind
# of verdict in the report is commented on the frame it was decided on;
# every per-link pcap has no expert item of warning severity or above and
# no TCP reset, so connections through translating hops end with FIN/ACK;
# the run ends when its last request has ended plus the few round trips
# its connections need to close (under 1 s), never at duration.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

mkdir -p "$TMP/wireshark-trace"
cp "$top_srcdir/tools/wireshark/profile/expert_severity" "$TMP/wireshark-trace/" \
  || bail "cannot copy the profile's expert_severity"

files=$(ls "$top_srcdir"/scenarios/*.ini | sort)
n=0
for f in $files; do n=$((n + 7)); done
plan $n

for f in $files; do
  name=$(basename "$f" .ini)
  out="$TMP/$name"
  if ! "$NETSIM" run "$f" -o "$out" --quiet >"$TMP/run.out" 2>&1 \
     && [ ! -f "$out/trace.pcapng" ]; then
    not_ok "$name: run wrote its outputs"
    diag_file "$TMP/run.out"
    not_ok "$name: no malformed packet (not run)"
    not_ok "$name: Geneve where the path crossed Google's fabric (not run)"
    not_ok "$name: decisions commented where taken (not run)"
    not_ok "$name: checksums (not run)"
    not_ok "$name: per-link pcaps free of warnings and resets (not run)"
    not_ok "$name: the run ends within 1 s of its last request (not run)"
    continue
  fi
  ok "$name: run wrote its outputs"
  TS_CONFIG=$TMP/wireshark-trace
  expect_frames "$name: no malformed packet in trace.pcapng" \
    "$out/trace.pcapng" \
    "(_ws.malformed && !_ws.malformed.reassembly) || _ws.expert.severity == error" \
    -eq 0
  TS_CONFIG=
  internal=$(grep -c '"internal" *: *[1-9]' "$out/report.json")
  vpc=$(grep -cE '^\[(network|internal-alb|external-alb) ' "$f")
  geneve=$(ts_count "$out/trace.pcapng" "geneve") || { diag_tshark_err; geneve=-1; }
  if [ "$internal" -gt 0 ]; then
    if [ "$geneve" -gt 0 ]; then
      ok "$name: internal requests crossed the fabric in Geneve ($geneve frames)"
    else
      not_ok "$name: internal requests but no Geneve frame ($geneve)"
    fi
  elif [ "$vpc" -eq 0 ]; then
    if [ "$geneve" -eq 0 ]; then
      ok "$name: internet paths only, no Geneve frame"
    else
      not_ok "$name: no VPC and no load balancer, yet $geneve Geneve frames"
    fi
  else
    external=$(grep -c '"external" *: *[1-9]' "$out/report.json")
    if [ "$geneve" -lt 0 ]; then
      not_ok "$name: Geneve frames could not be counted"
    elif [ "$geneve" -gt 0 ] && [ "$external" -eq 0 ]; then
      not_ok "$name: $geneve Geneve frames, yet the GFE classified no request"
    else
      ok "$name: no internal request; $geneve Geneve frames, with a request classified external when any"
    fi
  fi
  missing=""
  # A drop is a DROP step, or an ABORT one (Connectivity Tests' state for
  # a packet that cannot go on, such as NO_SERVERLESS_IP_RANGES).
  for pair in "delivered:DELIVER at" "dropped:DROP |ABORT " \
              "denied-by-ingress:INGRESS_DENIED at" "denied-by-iam:IAM_DENIED at" \
              "denied-by-security-policy:SECURITY_POLICY_DENIED at" \
              "denied-by-iap:IAP_DENIED at"; do
    verdict=${pair%%:*} words=${pair#*:} filter=""
    grep -q "\"$verdict\" *: *[1-9]" "$out/report.json" || continue
    while [ -n "$words" ]; do
      word=${words%%|*}
      [ "$word" = "$words" ] && words="" || words=${words#*|}
      filter="${filter:+$filter || }frame.comment contains \"$word\""
    done
    c=$(ts_count "$out/trace.pcapng" "$filter") \
      || { diag_tshark_err; c=0; }
    [ "$c" -gt 0 ] || missing="$missing $verdict"
  done
  # Every IPv4, TCP and UDP checksum verified, and good (status 1); a
  # frame with no IPv4 header (IPv6) has none of its own to check.
  frames=$(ts_count "$out/trace.pcapng" "frame") || frames=-1
  good=$(ts -r "$out/trace.pcapng" -o ip.check_checksum:TRUE \
           -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
           -Y "(ip.checksum.status == 1 || !ip) && (tcp.checksum.status == 1 || udp.checksum.status == 1)" \
           -T fields -e frame.number 2>"$TMP/tshark.err" | grep -c .)
  bad=$(ts -r "$out/trace.pcapng" -o ip.check_checksum:TRUE \
          -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
          -Y "ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0" \
          -T fields -e frame.number 2>>"$TMP/tshark.err" | grep -c .)
  if [ "$frames" -gt 0 ] && [ "$good" -eq "$frames" ] && [ "$bad" -eq 0 ]; then
    ok "$name: all $frames frames have good IPv4 and L4 checksums"
  else
    not_ok "$name: $good of $frames frames have good checksums, $bad bad"
    diag_tshark_err
  fi
  if [ -z "$missing" ]; then
    ok "$name: each verdict is commented on the frame it was decided on"
  else
    not_ok "$name: no frame comment for:$missing"
  fi
  dirty=""
  for p in "$out"/pcap/*.pcap; do
    [ -s "$p" ] || continue
    c=$(ts_count "$p" "_ws.expert.severity >= warning || tcp.flags.reset == 1") \
      || { diag_tshark_err; c=1; }
    [ "$c" -eq 0 ] || dirty="$dirty $(basename "$p"):$c"
  done
  if [ -z "$dirty" ]; then
    ok "$name: every per-link pcap is free of warnings and resets"
  else
    not_ok "$name: warnings or resets in:$dirty"
  fi
  set -- $(sed -n 's/^  "\(ended_ns\|last_request_end_ns\)" *: *\([0-9]*\),$/\2/p' \
             "$out/report.json")
  if [ $# -eq 2 ] && [ "$2" -gt 0 ] && [ "$1" -ge "$2" ] \
     && [ $(( $1 - $2 )) -lt 1000000000 ] \
     && ! grep -q '"pending" *: *[1-9]' "$out/report.json"; then
    ok "$name: the run ends $(( ($1 - $2) / 1000000 )) ms after its last request"
  else
    not_ok "$name: the run ends within 1 s of its last request (ended_ns, last_request_end_ns: $*)"
  fi
  rm -rf "$out"
done
finish
