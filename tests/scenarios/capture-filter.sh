#!/bin/sh
# run --capture-filter and --snaplen (sim/capture.c): the tour captured
# with the filter 'udp port 53' holds exactly the frames of the whole
# capture that Wireshark's 'udp.port == 53' shows, and no others; every
# "trace.pcapng frame N" of its report.txt names a frame of the filtered
# trace whose comment is that step; the per-link pcaps read back with no
# warning in tshark, the trace with nothing malformed.
# --snaplen 96 keeps 96 bytes of each frame and its length on the wire.
# Bad values exit 2 naming the option, and write nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

command -v "$TSHARK" >/dev/null 2>&1 || skip_all "no tshark"
S=$top_srcdir/scenarios/00-tour.ini
[ -f "$S" ] || bail "no scenarios/00-tour.ini"
plan 6

"$NETSIM" run "$S" -o "$TMP/all" -q > /dev/null 2>&1 || bail "the tour did not run"
if "$NETSIM" run "$S" -o "$TMP/dns" -q --capture-filter 'udp port 53' \
     > "$TMP/dns.out" 2>&1; then
  "$TSHARK" -r "$TMP/all/trace.pcapng" -Y 'udp.port == 53' -T fields \
    -e frame.time_epoch -e frame.len 2> /dev/null > "$TMP/want"
  "$TSHARK" -r "$TMP/dns/trace.pcapng" -T fields -e frame.time_epoch \
    -e frame.len 2> /dev/null > "$TMP/got"
  if [ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got"; then
    ok "the filtered trace holds exactly the DNS frames ($(wc -l < "$TMP/got" | tr -d ' '))"
  else
    not_ok "the filtered trace holds exactly the DNS frames"
    diag "want $(wc -l < "$TMP/want") got $(wc -l < "$TMP/got")"
  fi
else
  not_ok "the filtered trace holds exactly the DNS frames"
  diag_file "$TMP/dns.out" 5
fi

# Each frame the report names carries the step as its comment.
"$TSHARK" -r "$TMP/dns/trace.pcapng" -Y frame.comment -T fields \
  -e frame.number -e frame.comment 2> /dev/null > "$TMP/comments"
refs=0 bad=0
grep -o '[A-Z_]* at [^ ]*: .*(trace.pcapng frame [0-9]*)' "$TMP/dns/report.txt" \
  > "$TMP/refs" || true
while IFS= read -r line; do
  state=${line%% at *}
  frame=$(printf '%s\n' "$line" | sed 's/.*(trace.pcapng frame \([0-9]*\))$/\1/')
  refs=$((refs + 1))
  awk -F '\t' -v f="$frame" -v s="$state" '$1 == f && index($2, s " at ") { found = 1 }
    END { exit !found }' "$TMP/comments" || bad=$((bad + 1))
done < "$TMP/refs"
if [ "$refs" -gt 0 ] && [ "$bad" = 0 ]; then
  ok "every frame the report names is that step's frame in the filtered trace ($refs)"
else
  not_ok "every frame the report names is that step's frame in the filtered trace"
  diag "$bad of $refs references point elsewhere"
fi

warn=$( { "$TSHARK" -r "$TMP/dns/trace.pcapng" -Y '_ws.malformed' 2>&1
          for f in "$TMP"/dns/pcap/*.pcap; do "$TSHARK" -r "$f" -o tls.keylog_file:"$TMP/dns/pcap/tls-keys.log" -Y '_ws.expert.severity >= warning' 2>&1; done; } \
        | grep -v '^Running as user' )
if [ -z "$warn" ]; then
  ok "the filtered per-link pcaps read back with no warning, the trace with nothing malformed"
else
  not_ok "the filtered per-link pcaps read back with no warning, the trace with nothing malformed"
  diag "$warn"
fi

if "$NETSIM" run "$S" -o "$TMP/snap" -q --snaplen 96 > "$TMP/snap.out" 2>&1 \
   && "$TSHARK" -r "$TMP/snap/trace.pcapng" -T fields -e frame.cap_len -e frame.len \
        2> /dev/null | awk '$1 > 96 || ($2 > 96 && $1 != 96) || ($2 <= 96 && $1 != $2) { bad++ }
                            $2 > 96 { cut++ } END { exit bad || !cut }'; then
  ok "--snaplen 96 keeps 96 bytes of each longer frame and its length on the wire"
else
  not_ok "--snaplen 96 keeps 96 bytes of each longer frame and its length on the wire"
  diag_file "$TMP/snap.out" 5
fi

# refused OPTIONS... TEXT: exit 2, TEXT on stderr, no output directory.
refused () {
  text=$1; shift
  "$NETSIM" run "$S" -o "$TMP/bad" -q "$@" > "$TMP/bad.out" 2>&1
  st=$?
  if [ $st -eq 2 ] && grep -qF -e "$text" "$TMP/bad.out" && [ ! -e "$TMP/bad" ]; then
    ok "$* is refused (exit 2, names the option, writes nothing)"
  else
    not_ok "$* is refused (exit 2, names the option, writes nothing)"
    diag "status $st"; diag_file "$TMP/bad.out" 3
  fi
}
refused "--capture-filter: expected a filter in tcpdump's syntax" --capture-filter 'tcp port 99999'
refused "--snaplen: expected a whole number of bytes from 14" --snaplen 13
finish
