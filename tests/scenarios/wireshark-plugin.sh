#!/bin/sh
# Wireshark tells the story (issue 9): tools/wireshark/cloudrun-netsim.lua
# (the Lua post-dissector) and tools/wireshark/profile (the configuration
# profile) read back with Debian 12's tshark (Wireshark 4.0). Five
# scenarios run: 01 (an internet client calls a public service, 64 KiB
# responses: healthy), 05 (Direct VPC without PGA: a drop), 06 (Direct
# VPC with PGA: delivered, internal, through the fabric's Geneve
# envelope), 12 (an internet client refused by ingress) and 24 (a VPC
# Service Controls refusal).
#
# - The script loads and dissects every frame of the five trace.pcapng
#   and of a per-link pcap with no Lua error on stderr and no "Lua Error"
#   expert item; a copy of the plugin with a runtime error planted is
#   caught by the same check; installed in the personal plugins folder
#   and named with -X too, it loads once, with no error.
# - 12: a frame has cloudrun.cause == "INGRESS_DENIED"; its step's node
#   and its hop's node are the gfe; `tshark -z expert` lists it as a
#   warning (Security) and not as an error.
# - 05: the drop is cloudrun.state DROP, cause
#   PRIVATE_GOOGLE_ACCESS_DISALLOWED, at the VPC router, and an error
#   in -z expert.
# - 51: Identity-Aware Proxy's refusals are warnings too (IAP_DENIED), its
#   passes APPLY_IAP steps.
# - 24: the perimeter's refusals are warnings too (VPC_SC_DENIED); with a
#   perimeter named "x classified internal" they are still external (the
#   class is read from the GFE's tag, not from free text).
# - 50: Cloud Armor's denials at the external ALB are warnings too
#   (SECURITY_POLICY_DENIED), one per request, naming the policy's rule.
# - 06: every frame that carries the option of class 0xfff0 gets the
#   decoded identity: kind "VPC", the project number the service URL
#   names (backend-NUMBER.REGION.run.app), the VNI the router's comment
#   names; the per-link pcap of the fabric (no comments, no interface
#   names) decodes the same; the GFE's classification is a note
#   ("classified internal at gfe") and cloudrun.class "internal".
# - The profile (-C cloudrun-netsim, from a temporary configuration
#   directory): its columns show the hop and the decision; its colouring
#   rules make the drop and the refusal red ("dropped", "refused") and
#   the internal classification green; and the trace.pcapng of two
#   healthy flows (06, and 01) has no expert item of warning severity or
#   above under it, while without the profile the per-hop copies do
#   raise warnings (TCP and DNS "retransmissions", and in 01 TCP
#   reassembly "overlaps"), so the check can fail.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"
require_tshark

LUA=$top_srcdir/tools/wireshark/cloudrun-netsim.lua
PROFILE=$top_srcdir/tools/wireshark/profile
[ -f "$LUA" ] || bail "no $LUA"
[ -f "$PROFILE/preferences" ] || bail "no $PROFILE/preferences"
"$TSHARK" -v 2>/dev/null | grep -q 'with Lua' || skip_all "tshark without Lua"

# 01's responses span several TCP segments (64 KiB bodies).
for s in 01 05 06 12 24 50; do
  set --
  [ "$s" != 01 ] || set -- --set 'service hello.response-size=64KiB'
  "$NETSIM" run "$top_srcdir"/scenarios/$s-*.ini -o "$TMP/out$s" "$@" \
    > "$TMP/run$s.out" 2> "$TMP/run$s.err" \
    || { diag_file "$TMP/run$s.err"; bail "scenario $s did not run"; }
done
plan 31

# A configuration directory that holds only the profile.
mkdir -p "$TMP/wsprof/profiles" || bail "mkdir failed"
cp -R "$PROFILE" "$TMP/wsprof/profiles/cloudrun-netsim" \
  || bail "cannot copy the profile"

# ts (lib.sh, and so ts_count and expect_frames) reads with the plugin;
# ts_plain without it. Both with an empty configuration.
ts_plain () {
  WIRESHARK_CONFIG_DIR=$TMP/wireshark "$TSHARK" -n "$@"
}
ts () {
  ts_plain -X lua_script:"$LUA" "$@"
}
tl () {
  ts "$@"
}
# tp ARGS...: tshark with the plugin and the profile.
tp () {
  WIRESHARK_CONFIG_DIR=$TMP/wsprof "$TSHARK" -n -C cloudrun-netsim \
    -X lua_script:"$LUA" "$@"
}

# section FILE NAME: the item lines of one section ("Errors", "Warns",
# "Notes", ...) of a `tshark -q -z expert` output.
section () {
  awk -v h="$2" '$1 == h && $2 ~ /^\(/ { on = 1; next }
                 on && /^=+$/ { next }
                 on && $1 == "Frequency" { next }
                 on && NF == 0 { on = 0 } on' "$1"
}

# lua_clean SCRIPT FILE: the script dissects FILE with nothing on stderr
# but the root warning, and no Lua Error expert item.
lua_clean () {
  ts_plain -X lua_script:"$1" -r "$2" -q -z expert > "$TMP/lua.out" \
    2> "$TMP/lua.err" || return 1
  grep -v '^Running as user' "$TMP/lua.err" > "$TMP/lua.err.diag"
  [ ! -s "$TMP/lua.err.diag" ] || return 1
  ! grep -q 'Lua Error' "$TMP/lua.out"
}

# 1-2: the script loads and runs cleanly; a planted error would be seen.
bad=
for f in "$TMP"/out01/trace.pcapng "$TMP"/out05/trace.pcapng "$TMP"/out06/trace.pcapng \
         "$TMP"/out12/trace.pcapng "$TMP"/out24/trace.pcapng \
         "$TMP"/out06/pcap/vpc-default-google--gfe-vpc-default.pcap; do
  if ! lua_clean "$LUA" "$f"; then
    bad="$bad $(basename "$(dirname "$f")")/$(basename "$f")"
    diag_file "$TMP/lua.err.diag" 5
    grep 'Lua Error' "$TMP/lua.out" | sed -n '1,3p' | sed 's/^/#   /'
  fi
done
if [ -z "$bad" ]; then
  ok "the plugin dissects every frame with no Lua error"
else
  not_ok "Lua errors on:$bad"
fi
sed 's/^function proto.dissector (tvb, pinfo, tree)$/&\n  local planted = nil .. "x"/' \
  "$LUA" > "$TMP/broken.lua"
if cmp -s "$LUA" "$TMP/broken.lua"; then
  not_ok "a planted Lua error is caught (the plant did not apply)"
elif lua_clean "$TMP/broken.lua" "$TMP/out06/trace.pcapng"; then
  not_ok "a planted Lua error is caught"
else
  ok "a planted Lua error is caught"
fi

# 3: installed in the personal plugins folder (docs/wireshark.md) and named with
# -X as well, it still loads without error and dissects once.
mkdir -p "$TMP/home/.local/lib/wireshark/plugins" || bail "mkdir failed"
cp "$LUA" "$TMP/home/.local/lib/wireshark/plugins/" || bail "cp failed"
HOME=$TMP/home ts -r "$TMP/out12/trace.pcapng" \
  -Y 'cloudrun.cause == "INGRESS_DENIED"' -T fields -e cloudrun.cause \
  > "$TMP/twice" 2> "$TMP/tshark.err"
grep -v '^Running as user' "$TMP/tshark.err" > "$TMP/twice.err"
if [ ! -s "$TMP/twice.err" ] && [ "$(sed -n 1p "$TMP/twice")" = INGRESS_DENIED ]
then
  ok "installed as a plugin and named with -X too, it loads once, cleanly"
else
  not_ok "installed as a plugin and named with -X too, it loads once, cleanly"
  diag_file "$TMP/twice.err" 5
  diag_file "$TMP/twice" 3
fi

# 4-7: scenario 12, the ingress refusal.
T12=$TMP/out12/trace.pcapng
expect_frames "12: a frame carries cloudrun.cause INGRESS_DENIED" \
  "$T12" 'cloudrun.cause == "INGRESS_DENIED"' -ge 1
tl -r "$T12" -Y 'cloudrun.cause == "INGRESS_DENIED"' -T fields \
   -E occurrence=a -E aggregator=, -e cloudrun.node -e cloudrun.hop.node \
   > "$TMP/denied" 2> "$TMP/tshark.err" || diag_tshark_err
if [ -s "$TMP/denied" ] && ! grep -qv "$(printf '^gfe\tgfe$')" "$TMP/denied"; then
  ok "12: the refusal's node and hop are the gfe"
else
  not_ok "12: the refusal's node and hop are the gfe"
  diag_file "$TMP/denied" 5
fi
tl -r "$T12" -q -z expert > "$TMP/expert12" 2> "$TMP/tshark.err" \
  || diag_tshark_err
section "$TMP/expert12" Warns > "$TMP/warns12"
if grep -q 'Security  *CLOUDRUN  INGRESS_DENIED at gfe' "$TMP/warns12"; then
  ok "12: -z expert lists the ingress refusal as a warning"
else
  not_ok "12: -z expert lists the ingress refusal as a warning"
  diag_file "$TMP/expert12" 30
fi
section "$TMP/expert12" Errors > "$TMP/errors12"
check "12: no error in -z expert (a refusal is not a drop)" \
  test ! -s "$TMP/errors12"
# Who (issue 22, item 8): each refused request has a line of its own in
# -z expert (it groups items of equal text), naming traffic and request,
# and the GFE's comment names them too (cloudrun.traffic, .request).
n_ref=$(grep -c 'CLOUDRUN  INGRESS_DENIED at gfe (traffic alice-calls-backend, request [1-3]): service backend: ' \
          "$TMP/warns12")
n_one=$(grep -c '^ *1  *Security  *CLOUDRUN  INGRESS_DENIED' "$TMP/warns12")
if [ "$n_ref" -eq 3 ] && [ "$n_one" -eq 3 ]; then
  ok "12: -z expert gives each of the 3 refusals its own line, naming its traffic and request"
else
  not_ok "12: -z expert gives each of the 3 refusals its own line, naming its traffic and request"
  diag_file "$TMP/warns12" 10
fi
expect_frames "12: the GFE's refusal comments name the traffic and request" \
  "$T12" 'cloudrun.cause == "INGRESS_DENIED" && cloudrun.node == "gfe" && cloudrun.traffic == "alice-calls-backend" && cloudrun.request == 3 && frame.comment matches "^INGRESS_DENIED at gfe .*\\(traffic alice-calls-backend, request 3\\)$"' \
  -ge 1

# 8-9: scenario 05, the drop.
T05=$TMP/out05/trace.pcapng
expect_frames "05: the drop is DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED at the VPC router" \
  "$T05" 'cloudrun.state == "DROP" && cloudrun.cause == "PRIVATE_GOOGLE_ACCESS_DISALLOWED" && cloudrun.node == "vpc-default"' -ge 1
tl -r "$T05" -q -z expert > "$TMP/expert05" 2> "$TMP/tshark.err" \
  || diag_tshark_err
section "$TMP/expert05" Errors > "$TMP/errors05"
# One line per dropped request, named before the long why (item 8).
n_drop=$(grep -c 'CLOUDRUN  DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED at vpc-default (traffic call-backend, request [1-3]): ' \
           "$TMP/errors05")
if [ "$n_drop" -eq 3 ]; then
  ok "05: -z expert lists the drop as an error, one line per request"
else
  not_ok "05: -z expert lists the drop as an error, one line per request ($n_drop)"
  diag_file "$TMP/expert05" 30
fi

# 10: scenario 24, the perimeter.
tl -r "$TMP/out24/trace.pcapng" -q -z expert > "$TMP/expert24" \
  2> "$TMP/tshark.err" || diag_tshark_err
section "$TMP/expert24" Warns > "$TMP/warns24"
# -z expert counts items of equal text on one line: add the frequencies.
n_frames=$(ts_count "$TMP/out24/trace.pcapng" 'cloudrun.cause == "VPC_SC_DENIED"') \
  || diag_tshark_err
n=$(awk '/CLOUDRUN  VPC_SC_DENIED at gfe/ { n += $1 } END { print n + 0 }' \
      "$TMP/warns24")
if [ "$n" -ge 2 ] && [ "$n" -eq "${n_frames:-0}" ]; then
  ok "24: the $n VPC Service Controls refusals are warnings"
else
  not_ok "24: the VPC Service Controls refusals are warnings ($n of ${n_frames:-?})"
  diag_file "$TMP/expert24" 30
fi

# 10c: scenario 51, Identity-Aware Proxy: its refusals are warnings too
# (IAP_DENIED, 9 requests), and what it lets pass is a step APPLY_IAP.
"$NETSIM" run "$top_srcdir"/scenarios/51-*.ini -o "$TMP/out51" \
  > "$TMP/run51.out" 2> "$TMP/run51.err" || diag_file "$TMP/run51.err"
tl -r "$TMP/out51/trace.pcapng" -q -z expert > "$TMP/expert51" \
  2> "$TMP/tshark.err" || diag_tshark_err
section "$TMP/expert51" Warns > "$TMP/warns51"
n=$(awk '/CLOUDRUN  IAP_DENIED at gfe/ { n += $1 } END { print n + 0 }' \
      "$TMP/warns51")
n_pass=$(ts_count "$TMP/out51/trace.pcapng" 'cloudrun.state == "APPLY_IAP"') \
  || diag_tshark_err
if [ "$n" -eq 9 ] && [ "${n_pass:-0}" -eq 6 ]; then
  ok "51: the 9 IAP refusals are warnings; the 6 passes are APPLY_IAP steps"
else
  not_ok "51: the IAP refusals are warnings ($n of 9), passes APPLY_IAP (${n_pass:-?} of 6)"
  diag_file "$TMP/expert51" 30
fi

# 10b: free text cannot fool it (issue 27): a perimeter named "x classified
# internal" refuses the internet and another project's VM; their refusals
# are read as external, from the GFE's "(external)" tag, not the name.
"$NETSIM" run "$top_srcdir"/scenarios/24-*.ini -o "$TMP/out24x" \
  --set "project shop.perimeter=x classified internal" \
  --set "project lab.perimeter=x classified internal" \
  > "$TMP/run24x.out" 2> "$TMP/run24x.err" || diag_file "$TMP/run24x.err"
n_ext=$(ts_count "$TMP/out24x/trace.pcapng" \
          'cloudrun.cause == "VPC_SC_DENIED" && cloudrun.class == "external"') \
  || diag_tshark_err
n_int=$(ts_count "$TMP/out24x/trace.pcapng" \
          'cloudrun.cause == "VPC_SC_DENIED" && cloudrun.class == "internal"') \
  || diag_tshark_err
if [ "${n_ext:-0}" -ge 2 ] && [ "${n_int:-1}" -eq 0 ]; then
  ok "24, a perimeter named 'x classified internal': its refusals still read external"
else
  not_ok "24, a perimeter named 'x classified internal': its refusals still read external"
  diag "external ${n_ext:-?}, internal ${n_int:-?}"
fi

# 10c: scenario 50, Cloud Armor at the external ALB.
tl -r "$TMP/out50/trace.pcapng" -q -z expert > "$TMP/expert50" \
  2> "$TMP/tshark.err" || diag_tshark_err
section "$TMP/expert50" Warns > "$TMP/warns50"
n_frames=$(ts_count "$TMP/out50/trace.pcapng" \
             'cloudrun.cause == "SECURITY_POLICY_DENIED" && cloudrun.node == "alb-shop-lb"') \
  || diag_tshark_err
n=$(awk '/CLOUDRUN  SECURITY_POLICY_DENIED at alb-shop-lb .*default rule/ { n += $1 }
         END { print n + 0 }' "$TMP/warns50")
if [ "$n" -eq 3 ] && [ "${n_frames:-0}" -eq 3 ]; then
  ok "50: the 3 Cloud Armor denials are warnings naming the default rule"
else
  not_ok "50: the Cloud Armor denials are warnings ($n of ${n_frames:-?})"
  diag_file "$TMP/expert50" 30
fi

# 11-16: scenario 06, the Geneve identity and the classification.
T06=$TMP/out06/trace.pcapng
PROJECT=$(sed -n 's|^service backend: .* https://backend-\([0-9][0-9]*\)\..*|\1|p' \
            "$TMP/run06.out")
VNI=$(ts_plain -r "$T06" -Y 'frame.comment contains "Geneve VNI"' -T fields \
        -e frame.comment 2>/dev/null \
        | sed -n 's/.*(Geneve VNI \([0-9][0-9]*\), project.*/\1/p' | sed -n 1p)
[ -n "$PROJECT" ] && [ -n "$VNI" ] \
  || bail "06: no project number in the run's output or no VNI in a comment"
diag "06: project $PROJECT, VNI $VNI"
n_opt=$(ts_count "$T06" 'geneve.option.class == 0xfff0') || diag_tshark_err
expect_frames "06: frames carry the fabric's Geneve option" \
  "$T06" 'geneve.option.class == 0xfff0' -ge 1
expect_frames "06: every one is decoded as VPC, project $PROJECT, VNI $VNI" \
  "$T06" "cloudrun.geneve.kind == \"VPC\" && cloudrun.geneve.project == $PROJECT && cloudrun.geneve.network == $VNI" \
  -eq "${n_opt:-0}"
LINK=$TMP/out06/pcap/vpc-default-google--gfe-vpc-default.pcap
n_link=$(ts_count "$LINK" 'geneve.option.class == 0xfff0') || diag_tshark_err
expect_frames "06: the fabric's link pcap decodes the same identity" \
  "$LINK" "cloudrun.geneve.kind == \"VPC\" && cloudrun.geneve.project == $PROJECT" \
  -eq "${n_link:-0}"
check "06: the fabric's link pcap has Geneve frames" test "${n_link:-0}" -ge 1
expect_frames "06: the GFE's step says cloudrun.class internal" \
  "$T06" 'cloudrun.class == "internal" && cloudrun.node == "gfe"' -ge 1
tl -r "$T06" -q -z expert > "$TMP/expert06" 2> "$TMP/tshark.err" \
  || diag_tshark_err
section "$TMP/expert06" Notes > "$TMP/notes06"
if grep -q 'CLOUDRUN  classified internal at gfe' "$TMP/notes06"; then
  ok "06: -z expert lists the classification as a note"
else
  not_ok "06: -z expert lists the classification as a note"
  diag_file "$TMP/expert06" 30
fi
# Why, whole (item 8): the reason's own parentheses do not end it.
if grep -q "classified internal at gfe (traffic call-backend): its Geneve envelope names VPC network default (VNI $VNI) of project $PROJECT, the service's own project\$" \
     "$TMP/notes06"; then
  ok "06: the classification note keeps its reason whole and names the traffic"
else
  not_ok "06: the classification note keeps its reason whole and names the traffic"
  diag_file "$TMP/notes06" 10
fi

# 17-18: the profile's columns.
tp -r "$T12" -Y 'cloudrun.cause == "INGRESS_DENIED"' -T fields \
   -e _ws.col.Interface -e _ws.col.Decision > "$TMP/cols" \
   2> "$TMP/tshark.err" || diag_tshark_err
if [ "$(sed -n 1p "$TMP/cols")" = "$(printf 'gfe/internet\tINGRESS_DENIED')" ]; then
  ok "profile: the Interface and Decision columns show the refusal's hop and cause"
else
  not_ok "profile: the Interface and Decision columns show the refusal's hop and cause"
  diag_file "$TMP/cols" 3
  diag_tshark_err
fi
tp -r "$T06" -Y 'geneve.option.class == 0xfff0' -T fields \
   -e "_ws.col.Geneve VNI" > "$TMP/vnicol" 2> "$TMP/tshark.err" \
   || diag_tshark_err
if [ -s "$TMP/vnicol" ] && ! grep -qvx "$VNI" "$TMP/vnicol"; then
  ok "profile: the Geneve VNI column shows $VNI"
else
  not_ok "profile: the Geneve VNI column shows $VNI"
  diag_file "$TMP/vnicol" 3
fi

# 19-21: the profile's colouring rules (tshark --color applies them).
# color_of FILE FILTER: the colouring rule names of the matching frames.
color_of () {
  tp --color -r "$1" -Y "$2" -T fields -e frame.coloring_rule.name \
    2> "$TMP/tshark.err" | sort -u
}
c=$(color_of "$T05" 'cloudrun.state == "DROP"')
check "profile: the drop is coloured 'cloudrun-netsim: dropped' (got '$c')" \
  test "$c" = "cloudrun-netsim: dropped"
c=$(color_of "$T12" 'cloudrun.cause == "INGRESS_DENIED"')
check "profile: the ingress refusal is coloured 'cloudrun-netsim: refused' (got '$c')" \
  test "$c" = "cloudrun-netsim: refused"
c=$(color_of "$T06" 'cloudrun.class == "internal"')
check "profile: the internal classification is coloured 'cloudrun-netsim: internal' (got '$c')" \
  test "$c" = "cloudrun-netsim: internal"

# 22-25: healthy flows under the profile raise no warning; without it,
# the per-hop copies do: TCP "retransmissions" (06: Direct VPC, 01: an
# internet client), DNS "retransmissions" (01: the public resolver's
# query and answer cross several hops) and TCP reassembly errors (01: a
# response of many segments is reassembled from every hop's copies).
for s in 06 01; do
  tp -r "$TMP/out$s/trace.pcapng" -q -z expert > "$TMP/prof$s" \
    2> "$TMP/tshark.err" || diag_tshark_err
  section "$TMP/prof$s" Errors > "$TMP/prof$s.bad"
  section "$TMP/prof$s" Warns >> "$TMP/prof$s.bad"
  if grep -q 'Notes (' "$TMP/prof$s" && [ ! -s "$TMP/prof$s.bad" ]; then
    ok "profile: $s's healthy flow has no expert item of warning severity or above"
  else
    not_ok "profile: $s's healthy flow has no expert item of warning severity or above"
    diag_file "$TMP/prof$s" 30
  fi
  tl -r "$TMP/out$s/trace.pcapng" -q -z expert > "$TMP/noprof$s" \
    2> "$TMP/tshark.err" || diag_tshark_err
  section "$TMP/noprof$s" Warns > "$TMP/noprof$s.warns"
  if [ -s "$TMP/noprof$s.warns" ]; then
    ok "without the profile $s's capture has warnings (the check can fail)"
  else
    not_ok "without the profile $s's capture has warnings (the check can fail)"
  fi
done
finish
