#!/bin/sh
# The cloudrun-netsim profile keeps TLS decryption whole (issue 22, item
# 1). trace.pcapng holds every packet once per hop; with TCP sequence
# analysis off (the profile's old setting) Wireshark 4.0 handed every copy
# of a TLS record to the TLS dissector, which spoiled the sessions: in the
# tour 30 of 57 requests decrypted, against 57 in the Default profile.
#
# - Every public scenario: the HTTP requests Wireshark decrypts from
#   trace.pcapng (http.request inside tls) are as many under the profile
#   (tshark -C cloudrun-netsim, with the plugin) as in the Default profile
#   of the same configuration directory.
# - The check can fail: the profile with the old setting appended
#   (tcp.analyze_sequence_numbers: FALSE) decrypts fewer of the tour's.
# - The frame `explain` points to for the tour's alice-from-internet (the
#   GFE's refusal) is, or is a later hop's copy of, a segment that decodes
#   as the HTTP request under the profile (same TCP stream and sequence
#   number); the frame of scenario 01's DELIVER decodes as HTTP itself.
# - Under the profile the tour's Expert Info has no TCP or DNS item of
#   warning severity or above (the per-hop copies are Chat).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

LUA=$top_srcdir/tools/wireshark/cloudrun-netsim.lua
PROFILE=$top_srcdir/tools/wireshark/profile
[ -f "$PROFILE/preferences" ] || bail "no $PROFILE/preferences"
"$TSHARK" -v 2>/dev/null | grep -q 'with Lua' || skip_all "tshark without Lua"

files=$(ls "$top_srcdir"/scenarios/*.ini | sort)
n=0
for f in $files; do n=$((n + 1)); done
plan $((n + 4))

# Two configuration directories: the profile as shipped, and as it was
# (sequence analysis off).
for d in prof old; do
  mkdir -p "$TMP/$d/profiles" || bail "mkdir failed"
  cp -R "$PROFILE" "$TMP/$d/profiles/cloudrun-netsim" \
    || bail "cannot copy the profile"
done
printf 'tcp.analyze_sequence_numbers: FALSE\n' \
  >> "$TMP/old/profiles/cloudrun-netsim/preferences"

# tsc DIR [-C PROFILE] ARGS...: tshark with the plugin, configuration DIR.
tsc () {
  tsc_dir=$1
  shift
  WIRESHARK_CONFIG_DIR=$TMP/$tsc_dir "$TSHARK" -n -X lua_script:"$LUA" "$@"
}
# decrypted DIR FILE [-C PROFILE]: how many HTTP requests decrypt.
decrypted () {
  d_dir=$1 d_file=$2
  shift 2
  tsc "$d_dir" "$@" -r "$d_file" -Y 'tls && http.request' -T fields \
    -e frame.number 2> "$TMP/tshark.err" | grep -c .
}

for f in $files; do
  name=$(basename "$f" .ini)
  out=$TMP/$name
  if ! "$NETSIM" run "$f" -o "$out" --quiet > "$TMP/run.out" 2>&1 \
     && [ ! -f "$out/trace.pcapng" ]; then
    not_ok "$name: decrypted HTTP requests (not run)"
    diag_file "$TMP/run.out"
    continue
  fi
  def=$(decrypted prof "$out/trace.pcapng")
  prof=$(decrypted prof "$out/trace.pcapng" -C cloudrun-netsim)
  if [ "$def" -eq "$prof" ]; then
    ok "$name: $prof HTTP requests decrypt under the profile, as in the Default profile"
  else
    not_ok "$name: $prof HTTP requests decrypt under the profile, $def in the Default profile"
    diag_tshark_err
  fi
  [ "$name" = 00-tour ] || [ "$name" = 01-internet-to-public-service ] \
    || rm -rf "$out"
done

T00=$TMP/00-tour/trace.pcapng
def=$(decrypted prof "$T00")
old=$(decrypted old "$T00" -C cloudrun-netsim)
if [ "$old" -lt "$def" ]; then
  ok "the check can fail: with sequence analysis off $old of the tour's $def requests decrypt"
else
  not_ok "the check can fail: with sequence analysis off $old of the tour's $def requests decrypt"
fi

# frame_of SCENARIO TRAFFIC: the last frame number explain cites.
frame_of () {
  "$NETSIM" explain "$top_srcdir"/scenarios/$1-*.ini --traffic "$2" \
    --no-what-if 2> "$TMP/explain.err" \
    | sed -n 's/.*(trace\.pcapng frame \([0-9][0-9]*\))$/\1/p' | tail -n 1
}

F=$(frame_of 00 alice-from-internet)
set -- $(tsc prof -C cloudrun-netsim -r "$T00" -Y "frame.number == ${F:-0}" \
           -T fields -e tcp.stream -e tcp.seq_raw 2> "$TMP/tshark.err")
if [ $# -eq 2 ]; then
  first=$(tsc prof -C cloudrun-netsim -r "$T00" \
            -Y "tcp.stream == $1 && tcp.seq_raw == $2 && http.request.method == \"GET\"" \
            -T fields -e frame.number 2> "$TMP/tshark.err" | sed -n 1p)
else
  first=
fi
if [ -n "$first" ]; then
  ok "00, alice-from-internet: explain's frame $F carries the request that decodes as HTTP in frame $first"
else
  not_ok "00, alice-from-internet: explain's frame ${F:-?} carries a request that decodes as HTTP"
  diag_file "$TMP/explain.err" 5
  diag_tshark_err
fi

F=$(frame_of 01 alice-calls-hello)
p=$(tsc prof -C cloudrun-netsim -r "$TMP/01-internet-to-public-service/trace.pcapng" \
      -Y "frame.number == ${F:-0}" -T fields -e http.request.method \
      2> "$TMP/tshark.err")
check "01: explain's DELIVER frame ${F:-?} decodes as HTTP (got '$p')" \
  test "$p" = GET

tsc prof -C cloudrun-netsim -r "$T00" -q -z expert > "$TMP/expert" \
  2> "$TMP/tshark.err" || diag_tshark_err
awk '$1 == "Errors" || $1 == "Warns" { on = 1; next }
     $1 ~ /^(Notes|Chats|Comments)$/ { on = 0 }
     on && ($3 == "TCP" || $3 == "DNS")' "$TMP/expert" > "$TMP/loud"
if [ -s "$TMP/expert" ] && [ ! -s "$TMP/loud" ]; then
  ok "00: under the profile no TCP or DNS expert item is a warning or an error"
else
  not_ok "00: under the profile no TCP or DNS expert item is a warning or an error"
  diag_file "$TMP/loud" 10
fi
finish
