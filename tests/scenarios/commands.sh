# The commands a user reads from: --help and --version, keys (the format
# from the key tables), explain (one request's steps) and graph (DOT with
# each traffic's path coloured by its verdict, the deciding node bold and
# the cause on the edge into it; tests/scenarios/picture.sh has more).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

S05="$top_srcdir/scenarios/05-direct-vpc-all-traffic-without-pga-is-dropped.ini"
plan 10

"$NETSIM" --help >"$TMP/help" 2>&1 && grep -q "explain FILE --traffic NAME" "$TMP/help" \
  && ok "--help lists the commands" || not_ok "--help lists the commands"
"$NETSIM" --version | grep -q "scenario format 1" \
  && ok "--version names the scenario format" || not_ok "--version"

"$NETSIM" keys >"$TMP/keys" && grep -q "\[internal-alb NAME\]" "$TMP/keys" \
  && ok "keys lists every group kind" || not_ok "keys lists every group kind"
"$NETSIM" keys service >"$TMP/keys-service" \
  && grep -q "ingress = all" "$TMP/keys-service" \
  && grep -q "internal-and-cloud-load-balancing" "$TMP/keys-service" \
  && ok "keys service shows defaults and allowed values" \
  || { not_ok "keys service shows defaults and allowed values"; diag_file "$TMP/keys-service"; }

"$NETSIM" explain "$S05" --traffic call-backend >"$TMP/explain" 2>&1
grep -q "DIRECT_VPC_EGRESS_CONNECTION at direct-vpc-frontend" "$TMP/explain" \
  && ok "explain shows the Direct VPC egress step" \
  || { not_ok "explain shows the Direct VPC egress step"; diag_file "$TMP/explain"; }
grep -q "DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED at vpc-default: " "$TMP/explain" \
  && ok "explain shows where and why the request was dropped" \
  || { not_ok "explain shows the drop"; diag_file "$TMP/explain"; }
"$NETSIM" explain "$S05" --traffic call-backend --request 3 \
  --set "subnet run-subnet.private-google-access=true" >"$TMP/explain-pga" 2>&1
grep -q "Geneve VNI" "$TMP/explain-pga" && grep -q "verdict: delivered" "$TMP/explain-pga" \
  && ok "explain --set: with PGA the request crosses in Geneve and is delivered" \
  || { not_ok "explain --set with PGA"; diag_file "$TMP/explain-pga"; }

"$NETSIM" graph "$S05" >"$TMP/graph.dot" 2>&1
head -1 "$TMP/graph.dot" | grep -q "^digraph topology" \
  && ok "graph prints a DOT digraph" || not_ok "graph prints a DOT digraph"
grep -q '"subnet run-subnet" -> "router default" \[color=red3.*DROP PRIVATE_GOOGLE_ACCESS_DISALLOWED' "$TMP/graph.dot" \
  && ok "graph draws the dropped path in red" \
  || { not_ok "graph draws the dropped path in red"; diag_file "$TMP/graph.dot"; }
grep -q '"router default" \[label="VPC router", .*penwidth=2.5, color=red3\]' "$TMP/graph.dot" \
  && ok "graph marks the deciding node" \
  || { not_ok "graph marks the deciding node"; diag_file "$TMP/graph.dot"; }
finish
