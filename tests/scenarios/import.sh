#!/bin/sh
# cloudrun-netsim import (tools/import/): the same world, a two-project
# Shared VPC with a connector service, Direct VPC services (v2 and v1),
# a private run.app zone pointing at a PSC endpoint, Cloud NAT, firewall
# rules, a VM, an internal ALB on the Shared VPC and an external ALB
# (forwarding rule, target proxy, URL map, backend service, serverless
# NEG), written by hand as a Cloud Asset Inventory export, a
# terraform plan (show -json) and per-resource gcloud outputs
# (tests/import/):
#
# - each imports (exit 0) to a scenario that loads;
# - with the same [traffic] groups appended, the three give the same
#   verdicts, and those verdicts are the ones the world should give;
# - two imports are byte-identical, and -o writes what stdout prints;
# - what is not modelled is listed on stderr and atop the scenario;
# - two resources of one name in two projects are project-qualified;
# - hostile inputs (truncated, wrong types, 100-deep nesting, non-UTF-8,
#   empty, a bad enum, too big, missing) exit 2 with a message naming the
#   file, print nothing and leave -o's file alone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/scenarios/lib.sh"

FX=$top_srcdir/tests/import
[ -f "$FX/cai.json" ] || bail "no fixtures under $FX"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
plan 57

# The traffic every form is run with.
cat > "$TMP/traffic.ini" <<'INI'

[traffic web-to-api]
from = web
url = service:api

[traffic orders-to-api]
from = orders
url = service:api

[traffic orders-to-billing]
from = orders
url = service:billing

[traffic vm-to-billing]
from = batch-vm
url = service:billing

[traffic web-to-orders]
from = web
url = service:orders

[client browser]

[traffic orders-via-ilb]
from = orders
url = https://10.0.0.100/

[traffic browser-via-alb]
from = browser
url = https://34.120.10.20/

[traffic browser-to-api]
from = browser
url = service:api

[traffic vm-via-ilb]
from = batch-vm
url = https://10.0.0.100/

[traffic tools-to-batch]
from = tools-vm
url = http://10.0.1.10/

[traffic orders-to-batch]
from = orders
url = http://10.0.1.10/
INI

# verdicts DIR: one line per traffic of DIR/report.json: name, outcome,
# status, classification, deciding hop, cause (and the firewall rule
# that decided).
verdicts () {
  python3 - "$1/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["traffic"]:
    f = t["first_request"]
    rule = t["why"].split(": ", 1)[1] if t["cause"] == "FIREWALL_RULE" else ""
    print(" ".join(str(x) for x in (t["name"], t["main_outcome"], f["status"],
          f["classified"], t["decided_at"], t["cause"], rule) if x != ""))
PY
}

for form in cai terraform gcloud; do
  case $form in
    cai) set -- "$FX/cai.json" ;;
    terraform) set -- "$FX/terraform-plan.json" ;;
    gcloud) set -- "$FX"/gcloud-*.json ;;
  esac
  if "$NETSIM" import "$@" > "$TMP/$form.ini" 2> "$TMP/$form.err" \
     && "$NETSIM" check "$TMP/$form.ini" > /dev/null 2>&1; then
    ok "$form: imports, and the scenario loads"
  else
    not_ok "$form: imports, and the scenario loads"
    diag_file "$TMP/$form.err"
  fi
  cat "$TMP/$form.ini" "$TMP/traffic.ini" > "$TMP/$form-t.ini"
  if "$NETSIM" run -q --capture none -o "$TMP/out-$form" "$TMP/$form-t.ini" \
       > /dev/null 2> "$TMP/$form-run.err" \
     && verdicts "$TMP/out-$form" > "$TMP/$form.verdicts"; then
    ok "$form: runs with the traffic appended"
  else
    not_ok "$form: runs with the traffic appended"
    diag_file "$TMP/$form-run.err"
  fi
done

cat > "$TMP/want.verdicts" <<'V'
web-to-api dropped None None vpc-router PRIVATE_GOOGLE_ACCESS_DISALLOWED
orders-to-api denied-by-ingress 404 external gfe INGRESS_DENIED
orders-to-billing delivered 200 internal service None
vm-to-billing delivered 200 internal service None
web-to-orders dropped None None vpc-router PRIVATE_GOOGLE_ACCESS_DISALLOWED
orders-via-ilb delivered 200 internal service None
browser-via-alb delivered 200 external service None
browser-to-api denied-by-ingress 404 external gfe INGRESS_DENIED
vm-via-ilb dropped None None vpc-router FIREWALL_RULE firewall deny-batch-to-ilb (egress, priority 900)
tools-to-batch delivered 200 None vm None
orders-to-batch dropped None None vpc-router FIREWALL_RULE firewall deny-orders-to-vms (egress, priority 900)
V
for form in cai terraform gcloud; do
  if cmp -s "$TMP/want.verdicts" "$TMP/$form.verdicts"; then
    ok "$form: the verdicts the world gives (connector subnet without PGA dropped before the PSC endpoint, Shared VPC ingress, Direct VPC and NAT internal, internal ALB internal, external ALB external; firewall rules by network tag on VMs and a Direct VPC service, a rule with only source tags)"
  else
    not_ok "$form: the verdicts the world gives"
    diag_file "$TMP/$form.verdicts"
  fi
done
if cmp -s "$TMP/cai.verdicts" "$TMP/terraform.verdicts" \
   && cmp -s "$TMP/cai.verdicts" "$TMP/gcloud.verdicts"; then
  ok "CAI, Terraform and gcloud forms give the same verdicts"
else
  not_ok "CAI, Terraform and gcloud forms give the same verdicts"
fi

# The applied state of the same world (every value known, no
# configuration) gives the plan's groups.
"$NETSIM" import -q "$FX/terraform-state.json" > "$TMP/state.ini" 2> "$TMP/state.err"
st_status=$?
grep -v -e '^#' -e '^title = ' "$TMP/terraform.ini" > "$TMP/plan.groups"
grep -v -e '^#' -e '^title = ' "$TMP/state.ini" > "$TMP/state.groups"
if [ $st_status -eq 0 ] && cmp -s "$TMP/plan.groups" "$TMP/state.groups"; then
  ok "terraform show -json of the state gives the plan's groups"
else
  not_ok "terraform show -json of the state gives the plan's groups"
  diag_file "$TMP/state.err"
fi

# ---- determinism and -o ------------------------------------------------

"$NETSIM" import "$FX/cai.json" > "$TMP/cai2.ini" 2> /dev/null
"$NETSIM" import "$FX/terraform-plan.json" > "$TMP/tf2.ini" 2> /dev/null
if cmp -s "$TMP/cai.ini" "$TMP/cai2.ini" && cmp -s "$TMP/terraform.ini" "$TMP/tf2.ini"; then
  ok "two imports of the same input are byte-identical"
else
  not_ok "two imports of the same input are byte-identical"
fi
"$NETSIM" import -q "$FX/cai.json" -o "$TMP/written.ini" > "$TMP/o.out" 2> "$TMP/o.err"
if [ $? -eq 0 ] && cmp -s "$TMP/cai.ini" "$TMP/written.ini" && [ ! -s "$TMP/o.out" ] \
   && [ ! -s "$TMP/o.err" ]; then
  ok "-o writes what stdout prints; --quiet prints nothing"
else
  not_ok "-o writes what stdout prints; --quiet prints nothing"
fi
if grep -q '^\[service orders\]$' "$TMP/cai.ini" \
   && grep -q '^# from .*cai.json:20 //run.googleapis.com/projects/acme-shop/locations/asia-northeast1/services/orders$' "$TMP/cai.ini" \
   && grep -qx 'shared-with = acme-shop' "$TMP/cai.ini" \
   && grep -qx '\[internal-alb api-ilb\]' "$TMP/cai.ini" \
   && grep -qx '\[external-alb web-lb\]' "$TMP/cai.ini" \
   && ! grep -q '^\[traffic' "$TMP/cai.ini"; then
  ok "groups keep the resources' names, under a comment naming the resource; the Shared VPC is inferred; no traffic"
else
  not_ok "groups keep the resources' names, under a comment naming the resource; the Shared VPC is inferred; no traffic"
fi

# Network tags and service accounts: the rules keep their targets and
# sources (a rule with only source tags has no ranges), VMs and Direct
# VPC services (v2 and the v1 annotation) their tags.
groups () {  # FILE GROUP: the keys of [GROUP], one a line
  sed -n "/^\[$2\]\$/,/^\$/p" "$1"
}
tags_ok=1
for form in cai terraform gcloud; do
  f=$TMP/$form.ini
  groups "$f" "firewall allow-tools-to-batch" > "$TMP/g1"
  groups "$f" "firewall deny-tools-sa-8080" > "$TMP/g2"
  { grep -qx 'target-tags = batch' "$TMP/g1" && grep -qx 'source-tags = tools' "$TMP/g1" \
    && ! grep -q '^ranges' "$TMP/g1" \
    && grep -qx 'target-service-accounts = batch@acme-host.iam.gserviceaccount.com' "$TMP/g2" \
    && grep -qx 'source-service-accounts = tools@acme-host.iam.gserviceaccount.com' "$TMP/g2" \
    && ! grep -q '^ranges' "$TMP/g2" \
    && groups "$f" "firewall allow-iap-ssh" | grep -qx 'target-tags = ssh' \
    && groups "$f" "vm batch-vm" | grep -qx 'network-tags = batch;ssh' \
    && groups "$f" "vm batch-vm" | grep -qx 'service-account = batch@acme-host.iam.gserviceaccount.com' \
    && groups "$f" "service orders" | grep -qx 'network-tags = orders-egress' \
    && groups "$f" "service billing" | grep -qx 'network-tags = billing' \
    && ! grep -q 'targetTags\|target_tags\|only source tags' "$TMP/$form.err"; } \
    || { tags_ok=0; diag "$form: a tag or service account is missing"; }
done
[ $tags_ok -eq 1 ] && ok "CAI, Terraform and gcloud: firewall tags and service accounts, VM and Direct VPC network tags, imported" \
  || not_ok "CAI, Terraform and gcloud: firewall tags and service accounts, VM and Direct VPC network tags, imported"

# ---- not modelled -------------------------------------------------------

nm_ok=1
for what in "to-onprem: nextHopVpnTunnel" \
            "resource type storage.googleapis.com/Bucket: 1 resource" \
            "invoker group:ops@acme.example"; do
  grep -q "^not modelled: .*$what" "$TMP/cai.err" || { nm_ok=0; diag "stderr lacks $what"; }
  grep -q "^#   .*$what" "$TMP/cai.ini" || { nm_ok=0; diag "the scenario's header lacks $what"; }
done
[ $nm_ok -eq 1 ] && ok "CAI: what is not modelled is on stderr and atop the scenario" \
  || not_ok "CAI: what is not modelled is on stderr and atop the scenario"
if grep -q "^not modelled: .*google_compute_route.onprem: next_hop_vpn_tunnel" "$TMP/terraform.err" \
   && grep -q "^not modelled: resource type google_storage_bucket: 1 resource" "$TMP/terraform.err" \
   && grep -q "^not modelled: .*gcloud-iam.json.*an IAM policy without the resource" "$TMP/gcloud.err"; then
  ok "Terraform and gcloud: what is not modelled is listed"
else
  not_ok "Terraform and gcloud: what is not modelled is listed"
  diag_file "$TMP/terraform.err"
fi

# ---- VPC Service Controls ----------------------------------------------

"$NETSIM" import "$FX/cai.json" "$FX/cai-access-policy.json" > "$TMP/sc.ini" 2> "$TMP/sc.err"
status=$?
printf '\n[client outsider]\n\n[traffic outsider-to-web]\nfrom = outsider\nurl = service:web\n' >> "$TMP/sc.ini"
if [ $status -eq 0 ] && grep -qx '\[perimeter shop-perimeter\]' "$TMP/sc.ini" \
   && grep -qx 'projects = acme-shop' "$TMP/sc.ini" \
   && grep -qx 'restricted-services = cloudtasks.googleapis.com;run.googleapis.com' "$TMP/sc.ini" \
   && grep -qx 'access-level-ranges = 198.51.100.0/24' "$TMP/sc.ini" \
   && grep -q 'not modelled: .*private range 10.0.0.0/8' "$TMP/sc.err" \
   && "$NETSIM" run -q --capture none -o "$TMP/out-sc" "$TMP/sc.ini" > /dev/null 2>&1 \
   && verdicts "$TMP/out-sc" | grep -qx 'outsider-to-web denied-by-vpc-sc 403 external gfe VPC_SC_DENIED'; then
  ok "the access-policy export: a perimeter (projects by number, restricted services, access level) that refuses an outsider"
else
  not_ok "the access-policy export: a perimeter (projects by number, restricted services, access level) that refuses an outsider"
  diag_file "$TMP/sc.err"
  [ -d "$TMP/out-sc" ] && verdicts "$TMP/out-sc" | sed 's/^/# /'
fi

# ---- names ----------------------------------------------------------------

cat > "$TMP/two.json" <<'J'
[
 {"kind": "compute#network", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/alpha-1/global/networks/default"},
 {"kind": "compute#network", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/beta-2/global/networks/default"},
 {"kind": "compute#subnetwork", "name": "Apps_Subnet", "selfLink": "https://www.googleapis.com/compute/v1/projects/alpha-1/regions/us-central1/subnetworks/Apps_Subnet", "network": "https://www.googleapis.com/compute/v1/projects/alpha-1/global/networks/default", "region": "us-central1", "ipCidrRange": "10.1.0.0/24"}
]
J
if "$NETSIM" import "$TMP/two.json" > "$TMP/two.ini" 2> "$TMP/two.err" \
   && grep -qx '\[network alpha-1-default\]' "$TMP/two.ini" \
   && grep -qx '\[network beta-2-default\]' "$TMP/two.ini" \
   && grep -qx '\[subnet apps-subnet\]' "$TMP/two.ini" \
   && grep -qx 'network = alpha-1-default' "$TMP/two.ini"; then
  ok "two networks named default in two projects are project-qualified; a name is made valid"
else
  not_ok "two networks named default in two projects are project-qualified; a name is made valid"
  diag_file "$TMP/two.err"; diag_file "$TMP/two.ini" 40
fi

# An auto-mode network's subnets: one name in several regions, one region
# the simulator does not know.
cat > "$TMP/auto.json" <<'J'
[
 {"kind": "compute#network", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default"},
 {"kind": "compute#subnetwork", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/regions/us-central1/subnetworks/default", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default", "region": "https://www.googleapis.com/compute/v1/projects/p1/regions/us-central1", "ipCidrRange": "10.128.0.0/20"},
 {"kind": "compute#subnetwork", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/regions/europe-north9/subnetworks/default", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default", "region": "https://www.googleapis.com/compute/v1/projects/p1/regions/europe-north9", "ipCidrRange": "10.226.0.0/20"},
 {"kind": "compute#subnetwork", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/regions/us-east1/subnetworks/default", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default", "region": "https://www.googleapis.com/compute/v1/projects/p1/regions/us-east1", "ipCidrRange": "10.142.0.0/20"}
]
J
if "$NETSIM" import "$TMP/auto.json" > "$TMP/auto.ini" 2> "$TMP/auto.err" \
   && grep -qx '\[subnet default-us-central1\]' "$TMP/auto.ini" \
   && grep -qx '\[subnet default-us-east1\]' "$TMP/auto.ini" \
   && ! grep -v '^#' "$TMP/auto.ini" | grep -q 'europe-north9' \
   && grep -q '^not modelled: .*region europe-north9 is not one the simulator knows' "$TMP/auto.err"; then
  ok "subnets of one name in several regions are region-qualified; an unknown region is left out and said"
else
  not_ok "subnets of one name in several regions are region-qualified; an unknown region is left out and said"
  diag_file "$TMP/auto.err"; diag_file "$TMP/auto.ini" 40
fi

# A service whose only invoker is a group: nobody the simulator models.
cat > "$TMP/iam.json" <<'J'
{"name": "//run.googleapis.com/projects/solo-1/locations/europe-west1/services/ledger", "asset_type": "run.googleapis.com/Service", "resource": {"data": {"name": "projects/solo-1/locations/europe-west1/services/ledger", "ingress": "INGRESS_TRAFFIC_ALL"}}}
{"name": "//run.googleapis.com/projects/solo-1/locations/europe-west1/services/ledger", "asset_type": "run.googleapis.com/Service", "iam_policy": {"bindings": [{"role": "roles/run.invoker", "members": ["group:finance@acme.example"]}]}}
J
if "$NETSIM" import "$TMP/iam.json" > "$TMP/iam.ini" 2> "$TMP/iam.err" \
   && grep -qx 'invokers = user:nobody@invoker.invalid' "$TMP/iam.ini" \
   && grep -q '^not modelled: .*invoker group:finance@acme.example' "$TMP/iam.err" \
   && printf '\n[client c]\n\n[traffic c-to-ledger]\nfrom = c\nurl = service:ledger\n' >> "$TMP/iam.ini" \
   && "$NETSIM" run -q --capture none -o "$TMP/out-iam" "$TMP/iam.ini" > /dev/null 2>&1 \
   && verdicts "$TMP/out-iam" | grep -q '^c-to-ledger denied-by-iam 403 '; then
  ok "an IAM policy whose only invoker is a group: nobody may invoke (denied-by-iam), the group listed"
else
  not_ok "an IAM policy whose only invoker is a group: nobody may invoke (denied-by-iam), the group listed"
  diag_file "$TMP/iam.err"; diag_file "$TMP/iam.ini" 40
fi

# A service with IAP on (Cloud Run v2 iapEnabled): iap = true, and the
# IAP access list is not imported, so IAP lets nobody pass until written.
cat > "$TMP/iap.json" <<'J'
{"name": "//run.googleapis.com/projects/solo-1/locations/europe-west1/services/desk", "asset_type": "run.googleapis.com/Service", "resource": {"data": {"name": "projects/solo-1/locations/europe-west1/services/desk", "ingress": "INGRESS_TRAFFIC_ALL", "iapEnabled": true}}}
J
if "$NETSIM" import "$TMP/iap.json" > "$TMP/iap.ini" 2> "$TMP/iap.err" \
   && grep -qx 'iap = true' "$TMP/iap.ini" \
   && printf '\n[client c]\n\n[traffic c-to-desk]\nfrom = c\nurl = service:desk\nidentity = id-token\n' >> "$TMP/iap.ini" \
   && "$NETSIM" run -q --capture none -o "$TMP/out-iap" "$TMP/iap.ini" > /dev/null 2>&1 \
   && verdicts "$TMP/out-iap" | grep -q '^c-to-desk denied-by-iap 403 '; then
  ok "a service with iapEnabled: iap = true, nobody in iap-access (denied-by-iap)"
else
  not_ok "a service with iapEnabled: iap = true, nobody in iap-access (denied-by-iap)"
  diag_file "$TMP/iap.err"; diag_file "$TMP/iap.ini" 40
fi

# IAP on the backend services (iap.enabled): on the external ALB's, iap =
# true in its group; on the internal ALB's, said as not modelled.
mkdir -p "$TMP/iap-lb"
cp "$FX"/gcloud-*.json "$TMP/iap-lb/"
python3 - "$FX/gcloud-load-balancer-parts.json" "$TMP/iap-lb/gcloud-load-balancer-parts.json" <<'PY'
import json, sys
parts = json.load(open(sys.argv[1]))
for p in parts:
    if p.get("kind") == "compute#backendService":
        p["iap"] = {"enabled": True}
json.dump(parts, open(sys.argv[2], "w"), indent=1)
PY
if "$NETSIM" import "$TMP"/iap-lb/gcloud-*.json > "$TMP/iap-lb.ini" 2> "$TMP/iap-lb.err" \
   && awk '/^\[external-alb /{on=1; next} /^\[/{on=0} on' "$TMP/iap-lb.ini" \
        | grep -qx 'iap = true' \
   && [ "$(grep -c '^iap = true' "$TMP/iap-lb.ini")" = 1 ] \
   && grep -q '^not modelled: .*IAP on the backend service of an internal load balancer' "$TMP/iap-lb.err"; then
  ok "backend services with iap.enabled: iap = true on the external ALB, the internal one's said"
else
  not_ok "backend services with iap.enabled: iap = true on the external ALB, the internal one's said"
  diag_file "$TMP/iap-lb.err"; diag_file "$TMP/iap-lb.ini" 60
fi

# Terraform's v1 service carries the Knative annotations CAI and gcloud
# carry, read by the same code: custom audiences, and a second network
# interface said as not modelled.
cat > "$TMP/tfv1.json" <<'J'
{"format_version": "1.0", "values": {"root_module": {"resources": [
 {"address": "google_cloud_run_service.api", "mode": "managed", "type": "google_cloud_run_service", "name": "api", "values": {"name": "api", "project": "p1", "location": "us-central1",
  "metadata": [{"annotations": {"run.googleapis.com/ingress": "internal", "run.googleapis.com/custom-audiences": "[\"https://api.example.com\"]"}}],
  "template": [{"metadata": [{"annotations": {"run.googleapis.com/network-interfaces": "[{\"network\": \"default\", \"subnetwork\": \"run-subnet\"}, {\"network\": \"other\", \"subnetwork\": \"second\"}]"}}]}]}}
]}}}
J
if "$NETSIM" import "$TMP/tfv1.json" > "$TMP/tfv1.ini" 2> "$TMP/tfv1.err" \
   && grep -qx 'custom-audiences = https://api.example.com' "$TMP/tfv1.ini" \
   && grep -q '^not modelled: .*network-interfaces"\]: interfaces after the first' "$TMP/tfv1.err"; then
  ok "terraform's google_cloud_run_service: custom audiences read, a second interface said"
else
  not_ok "terraform's google_cloud_run_service: custom audiences read, a second interface said"
  diag_file "$TMP/tfv1.err"; diag_file "$TMP/tfv1.ini" 40
fi

# A Direct VPC service whose subnet the input lacks is written without
# VPC access, and so without its interface's tags; service accounts are
# lower-cased as the format writes them.
cat > "$TMP/lone.json" <<'J'
[
 {"name": "projects/p1/locations/us-central1/services/lone", "template": {"vpcAccess": {"networkInterfaces": [{"network": "default", "subnetwork": "gone", "tags": ["lone"]}]}}},
 {"kind": "compute#network", "name": "default", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default"},
 {"kind": "compute#firewall", "name": "from-sa", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/firewalls/from-sa", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default", "direction": "INGRESS", "allowed": [{"IPProtocol": "all"}], "sourceRanges": ["10.1.0.0/16"], "sourceServiceAccounts": ["Batch@P1.iam.gserviceaccount.com"]}
]
J
if "$NETSIM" import "$TMP/lone.json" > "$TMP/lone.ini" 2> "$TMP/lone.err" \
   && ! grep -q '^vpc-access\|^network-tags' "$TMP/lone.ini" \
   && grep -q '^not modelled: .*subnet gone not in the input: written without VPC access' "$TMP/lone.err" \
   && grep -qx 'source-service-accounts = batch@p1.iam.gserviceaccount.com' "$TMP/lone.ini" \
   && grep -qx 'ranges = 10.1.0.0/16' "$TMP/lone.ini"; then
  ok "a service left without VPC access keeps no network tags; emails lower-cased, ranges kept beside source service accounts"
else
  not_ok "a service left without VPC access keeps no network tags; emails lower-cased, ranges kept beside source service accounts"
  diag_file "$TMP/lone.err"; diag_file "$TMP/lone.ini" 40
fi

# ---- firewall policies ----------------------------------------------------

# The organization's policy hands the VMs' port 80 on (goto-next before its
# deny), a folder's policy applies to the projects CAI puts under the
# folder, and the network policy on shared-vpc refuses tools-vm the ILB.
printf '\n[traffic tools-via-ilb]\nfrom = tools-vm\nurl = https://10.0.0.100/\n' >> "$TMP/traffic.ini"
for form in cai tf; do
  case $form in
    cai) set -- "$FX/cai.json" "$FX/cai-firewall-policies.json" ;;
    tf) set -- "$FX/terraform-state.json" "$FX/terraform-firewall-policies.json" ;;
  esac
  "$NETSIM" import "$@" > "$TMP/pol-$form.ini" 2> "$TMP/pol-$form.err"
  p_status=$?
  cat "$TMP/pol-$form.ini" "$TMP/traffic.ini" > "$TMP/pol-$form-t.ini"
  if [ $p_status -eq 0 ] \
     && groups "$TMP/pol-$form.ini" "firewall-policy org-guard" | grep -qx 'type = hierarchical' \
     && groups "$TMP/pol-$form.ini" "firewall-policy vpc-policy" | grep -qx 'networks = shared-vpc' \
     && groups "$TMP/pol-$form.ini" "firewall-policy eu-guard" | grep -qx 'type = regional' \
     && groups "$TMP/pol-$form.ini" "firewall-policy eu-guard" | grep -qx 'region = europe-west1' \
     && groups "$TMP/pol-$form.ini" "firewall-policy eu-guard" | grep -qx 'networks = shared-vpc' \
     && groups "$TMP/pol-$form.ini" "firewall eu-deny-all" | grep -qx 'policy = eu-guard' \
     && grep -q '^not modelled: .*eu-guard-200: .*arget.*ecure.*ags: rule left out' "$TMP/pol-$form.err" \
     && groups "$TMP/pol-$form.ini" "firewall org-guard-200" | grep -qx 'action = goto-next' \
     && groups "$TMP/pol-$form.ini" "firewall shop-folder-100" | grep -qx 'target-service-accounts = web@acme-shop.iam.gserviceaccount.com' \
     && ! grep -q '^\[firewall org-guard-400\]' "$TMP/pol-$form.ini" \
     && ! grep -q 'priority = 214748364' "$TMP/pol-$form.ini" \
     && grep -q '^not modelled: .*901234567890-400: match.*src.*ecure.*ags: rule left out' "$TMP/pol-$form.err" \
     && "$NETSIM" run -q --capture none -o "$TMP/out-pol-$form" "$TMP/pol-$form-t.ini" > /dev/null 2>&1 \
     && verdicts "$TMP/out-pol-$form" > "$TMP/pol-$form.verdicts" \
     && grep -qx 'tools-via-ilb dropped None None vpc-router FIREWALL_RULE firewall policy vpc-policy, rule deny-tools-to-ilb (network policy, egress, priority 1000)' "$TMP/pol-$form.verdicts" \
     && grep -qx 'tools-to-batch delivered 200 None vm None' "$TMP/pol-$form.verdicts"; then
    ok "$form: firewall policies imported (organization, folder, network, regional; goto-next; Google's default rules and secure-tag rules left out), and they decide (the regional deny of europe-west1 spares asia-northeast1's VMs)"
  else
    not_ok "$form: firewall policies imported (organization, folder, network, regional; goto-next; Google's default rules and secure-tag rules left out), and they decide (the regional deny of europe-west1 spares asia-northeast1's VMs)"
    diag_file "$TMP/pol-$form.err"
  fi
done
if groups "$TMP/pol-cai.ini" "firewall-policy shop-folder" | grep -qx 'projects = acme-shop' \
   && groups "$TMP/pol-cai.ini" "firewall org-guard-500" | grep -qx 'ranges = 198.51.100.0/24' \
   && grep -q '^not modelled: .*901234567890-500: match.destFqdns: rule narrowed to its ranges' "$TMP/pol-cai.err" \
   && groups "$TMP/pol-tf.ini" "firewall-policy shop-folder" | grep -qx 'level = folder' \
   && ! groups "$TMP/pol-tf.ini" "firewall-policy shop-folder" | grep -q '^projects' \
   && grep -q '^not modelled: .*does not tell which projects folders/777000000000 holds: applied to every project' "$TMP/pol-tf.err"; then
  ok "a folder's projects from CAI ancestors (Terraform: every project, said); an FQDN rule narrowed to its ranges"
else
  not_ok "a folder's projects from CAI ancestors (Terraform: every project, said); an FQDN rule narrowed to its ranges"
fi
# Cloud Armor: a backend service's security policy, read from CAI and
# from Terraform, becomes [security-policy] and [security-rule] groups the
# external ALB names; what the format cannot say is listed, and the
# policy decides.
cat > "$TMP/armor-traffic.ini" <<'INI'

[client office]
address = 198.51.100.7

[client paris]
address = 203.0.113.80
country = FR

[client anyone]
address = 192.0.2.99

[traffic office-via-armor]
from = office
url = https://34.120.10.30/

[traffic paris-via-armor]
from = paris
url = https://34.120.10.30/

[traffic anyone-via-armor]
from = anyone
url = https://34.120.10.30/
INI
for form in cai tf; do
  case $form in
    cai) set -- "$FX/cai.json" "$FX/cai-cloud-armor.json" ;;
    tf) set -- "$FX/terraform-state.json" "$FX/terraform-cloud-armor.json" ;;
  esac
  "$NETSIM" import "$@" > "$TMP/armor-$form.ini" 2> "$TMP/armor-$form.err"
  a_status=$?
  cat "$TMP/armor-$form.ini" "$TMP/armor-traffic.ini" > "$TMP/armor-$form-t.ini"
  if [ $a_status -eq 0 ] \
     && groups "$TMP/armor-$form.ini" "external-alb armor-lb" | grep -qx 'security-policy = edge' \
     && groups "$TMP/armor-$form.ini" "security-policy edge" | grep -qx 'default-action = deny-403' \
     && groups "$TMP/armor-$form.ini" "security-rule edge-2000" | grep -qx 'region-codes = BE;FR' \
     && groups "$TMP/armor-$form.ini" "security-rule edge-3000" | grep -qx 'header = authorization' \
     && groups "$TMP/armor-$form.ini" "security-rule edge-3000" | grep -qx 'source-ranges = 203.0.113.0/24' \
     && ! grep -q '^\[security-rule edge-4000\]' "$TMP/armor-$form.ini" \
     && grep -q '^not modelled: .*edge.*: rule 4000: action throttle' "$TMP/armor-$form.err" \
     && grep -q "^not modelled: .*edge.*: rule 5000: match request.path" "$TMP/armor-$form.err" \
     && "$NETSIM" run -q --capture none -o "$TMP/out-armor-$form" "$TMP/armor-$form-t.ini" > /dev/null 2>&1 \
     && verdicts "$TMP/out-armor-$form" > "$TMP/armor-$form.verdicts" \
     && grep -qx 'office-via-armor delivered 200 external service None' "$TMP/armor-$form.verdicts" \
     && grep -qx 'paris-via-armor denied-by-security-policy 404 None external-alb SECURITY_POLICY_DENIED' "$TMP/armor-$form.verdicts" \
     && grep -qx 'anyone-via-armor denied-by-security-policy 403 None external-alb SECURITY_POLICY_DENIED' "$TMP/armor-$form.verdicts"; then
    ok "$form: a Cloud Armor policy imported (ranges, region codes, a header; throttle and other expressions listed), and it decides"
  else
    not_ok "$form: a Cloud Armor policy imported (ranges, region codes, a header; throttle and other expressions listed), and it decides"
    diag_file "$TMP/armor-$form.err"
    [ -f "$TMP/armor-$form.verdicts" ] && diag_file "$TMP/armor-$form.verdicts"
  fi
done
cat > "$TMP/order.json" <<'J'
[{"kind": "compute#network", "name": "edge", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/edge", "networkFirewallPolicyEnforcementOrder": "BEFORE_CLASSIC_FIREWALL"}]
J
if "$NETSIM" import "$TMP/order.json" > "$TMP/order.ini" 2> /dev/null \
   && grep -qx 'firewall-policy-enforcement-order = before-classic-firewall' "$TMP/order.ini"; then
  ok "a network's networkFirewallPolicyEnforcementOrder"
else
  not_ok "a network's networkFirewallPolicyEnforcementOrder"
fi
sed 's/BEFORE_CLASSIC_FIREWALL/FIRST/' "$TMP/order.json" > "$TMP/bad-order.json"

# ---- domain mappings --------------------------------------------------------
# A Cloud Run domain mapping (Admin API v1; CAI asset, gcloud beta run
# domain-mappings list --format json, Terraform's
# google_cloud_run_domain_mapping) becomes [domain-mapping] naming the
# service; with a public zone of the input holding the domain, the zone's
# records answer it (public-dns = false).
python3 - "$FX" "$TMP" <<'PY'
import json, sys
fx, tmp = sys.argv[1], sys.argv[2]
dm = {"apiVersion": "domains.cloudrun.com/v1", "kind": "DomainMapping",
      "metadata": {"name": "api.acme.example", "namespace": "210987654321",
                   "labels": {"cloud.googleapis.com/location": "asia-northeast1"}},
      "spec": {"routeName": "api", "certificateMode": "AUTOMATIC"},
      "status": {"resourceRecords": [{"name": "api", "type": "CNAME",
                                      "rrdata": "ghs.googlehosted.com."}]}}
with open(tmp + "/dm-cai.json", "w") as out:
    out.write(open(fx + "/cai.json").read())
    out.write(json.dumps({"name": "//run.googleapis.com/projects/acme-shop/locations/asia-northeast1/domainmappings/api.acme.example",
                          "asset_type": "run.googleapis.com/DomainMapping",
                          "resource": {"version": "v1", "data": dm,
                                       "location": "asia-northeast1"}}) + "\n")
json.dump([dm], open(tmp + "/dm-gcloud.json", "w"))
json.dump([{"kind": "dns#managedZone", "name": "acme-public",
            "dnsName": "acme.example.", "visibility": "public"}],
          open(tmp + "/dm-zone.json", "w"))
st = json.load(open(fx + "/terraform-state.json"))
st["values"]["root_module"]["resources"].append({
    "address": "google_cloud_run_domain_mapping.api", "mode": "managed",
    "type": "google_cloud_run_domain_mapping", "name": "api",
    "values": {"name": "api.acme.example", "location": "asia-northeast1",
               "project": "acme-shop",
               "metadata": [{"namespace": "acme-shop"}],
               "spec": [{"route_name": "api", "certificate_mode": "AUTOMATIC"}]}})
json.dump(st, open(tmp + "/dm-tf.json", "w"))
PY
dm_ok=1
"$NETSIM" import -q "$TMP/dm-cai.json" > "$TMP/dm-cai.ini" 2>> "$TMP/dm.err" || dm_ok=0
"$NETSIM" import -q "$TMP/dm-tf.json" > "$TMP/dm-tf.ini" 2>> "$TMP/dm.err" || dm_ok=0
"$NETSIM" import -q "$FX/gcloud-run-v2.json" "$TMP/dm-gcloud.json" > "$TMP/dm-gcloud.ini" 2>> "$TMP/dm.err" || dm_ok=0
for form in cai tf gcloud; do
  g=$(awk '/^\[domain-mapping /{on=1} /^$/{on=0} on' "$TMP/dm-$form.ini")
  printf '%s\n' "$g" | grep -qx 'domain = api.acme.example' \
    && printf '%s\n' "$g" | grep -qx 'service = api' \
    && ! printf '%s\n' "$g" | grep -q 'public-dns' || { dm_ok=0; diag "$form: $g"; }
done
if [ $dm_ok = 1 ]; then
  ok "a domain mapping imports from CAI, Terraform and gcloud as [domain-mapping] of its service"
else
  not_ok "a domain mapping imports from CAI, Terraform and gcloud as [domain-mapping] of its service"
  diag_file "$TMP/dm.err" 5
fi
if "$NETSIM" import -q "$FX/gcloud-run-v2.json" "$TMP/dm-gcloud.json" "$TMP/dm-zone.json" \
     > "$TMP/dm-zone.ini" 2> "$TMP/dm-zone.err" \
   && awk '/^\[domain-mapping /{on=1} /^$/{on=0} on' "$TMP/dm-zone.ini" | grep -qx 'public-dns = false'; then
  ok "a domain held by a public zone of the input is imported with public-dns = false"
else
  not_ok "a domain held by a public zone of the input is imported with public-dns = false"
  diag_file "$TMP/dm-zone.err" 5
fi

# ---- peering, private services access, managed instances ------------------
# shared-vpc peers with legacy-vpc (both sides in the input, custom routes
# one way) and with a partner's network the input lacks; its private
# services access (Service Networking's peering exporting custom routes,
# a /16 VPC_PEERING range) holds a Cloud SQL instance with a private IP
# and authorized networks, a Memorystore instance in PRIVATE_SERVICE_ACCESS
# mode and an AlloyDB instance; a public-IP-only and a PSC-only Cloud SQL
# instance, a DIRECT_PEERING Redis instance and a Redis cluster are left
# out, said. The same world as a CAI export (with cai.json, whose
# shared-vpc the fixture's replaces), gcloud outputs and a Terraform state.
grep -v '"//compute.googleapis.com/projects/acme-host/global/networks/shared-vpc"' \
  "$FX/cai.json" > "$TMP/psa-base.json"
psa_groups () {  # FILE: the peering, private services access and managed groups
  awk '/^\[(peering|private-services-access|managed-instance) /{on=1} /^$/{on=0} on' "$1"
}
psa_ok=1
"$NETSIM" import "$TMP/psa-base.json" "$FX/psa-cai.json" > "$TMP/psa-cai.ini" 2> "$TMP/psa-cai.err" || psa_ok=0
"$NETSIM" import "$FX/terraform-state.json" "$FX/psa-terraform.json" > "$TMP/psa-tf.ini" 2> "$TMP/psa-tf.err" || psa_ok=0
"$NETSIM" import "$FX"/gcloud-*.json "$FX"/psa-gcloud-*.json > "$TMP/psa-gcloud.ini" 2> "$TMP/psa-gcloud.err" || psa_ok=0
psa_groups "$TMP/psa-cai.ini" > "$TMP/psa-cai.groups"
cat > "$TMP/psa-want.groups" <<'G'
[peering legacy-to-shared]
network = legacy-vpc
peer-network = shared-vpc
export-custom-routes = true
[peering shared-to-legacy]
network = shared-vpc
peer-network = legacy-vpc
import-custom-routes = true
[private-services-access shared-vpc]
network = shared-vpc
ranges = 10.100.0.0/16
export-custom-routes = true
[managed-instance analytics-primary]
product = alloydb
private-services-access = shared-vpc
region = asia-northeast1
address = 10.100.2.2
[managed-instance cache]
product = memorystore-redis
private-services-access = shared-vpc
region = asia-northeast1
address = 10.100.1.4
[managed-instance orders-db]
product = cloud-sql-postgres
private-services-access = shared-vpc
region = asia-northeast1
address = 10.100.0.3
authorized-networks = 100.64.0.0/20;203.0.113.0/24
G
if [ $psa_ok = 1 ] && cmp -s "$TMP/psa-want.groups" "$TMP/psa-cai.groups" \
   && ! grep -q 'servicenetworking-googleapis-com\|partner' "$TMP/psa-cai.groups"; then
  ok "cai: each network's peering side, one private services access per network (Service Networking's peering not written as a peering), Cloud SQL, Memorystore and AlloyDB instances"
else
  not_ok "cai: each network's peering side, one private services access per network (Service Networking's peering not written as a peering), Cloud SQL, Memorystore and AlloyDB instances"
  diag_file "$TMP/psa-cai.err" 5; diag_file "$TMP/psa-cai.groups" 40
fi
if [ $psa_ok = 1 ] && psa_groups "$TMP/psa-tf.ini" | cmp -s "$TMP/psa-want.groups" - \
   && psa_groups "$TMP/psa-gcloud.ini" | cmp -s "$TMP/psa-want.groups" -; then
  ok "terraform (network peerings, a routes config, the Service Networking connection) and gcloud (vpc-peerings list, sql/redis/alloydb lists) give the same groups"
else
  not_ok "terraform (network peerings, a routes config, the Service Networking connection) and gcloud (vpc-peerings list, sql/redis/alloydb lists) give the same groups"
  diag_file "$TMP/psa-tf.err" 5; diag_file "$TMP/psa-gcloud.err" 5
fi
notes_ok=1
for form in cai tf gcloud; do
  e=$TMP/psa-$form.err
  grep -q '^not modelled: .*reports.*public IP only.*left out' "$e" \
    && grep -q '^not modelled: .*ledger.*Private Service Connect only.*left out' "$e" \
    && grep -q '^not modelled: .*sessions.*DIRECT_PEERING.*left out' "$e" \
    && grep -q '^not modelled: .*partner-vpc is not in the input: peering left out' "$e" \
    && grep -q '^not modelled: .*orders.*ipv4_\{0,1\}[eE]nabled: its public IP address is not modelled' "$e" \
    || { notes_ok=0; diag "$form"; diag_file "$e" 12; }
  [ $form = gcloud ] || grep -q '^not modelled: .*hot.*Redis Cluster.*left out' "$e" || notes_ok=0
done
if [ $notes_ok = 1 ]; then
  ok "public-IP-only and PSC-only Cloud SQL, DIRECT_PEERING Redis, a Redis cluster and a peering to a network not in the input are left out, said"
else
  not_ok "public-IP-only and PSC-only Cloud SQL, DIRECT_PEERING Redis, a Redis cluster and a peering to a network not in the input are left out, said"
fi
cat > "$TMP/psa-traffic.ini" <<'INI'

[traffic orders-to-sql]
from = orders
url = tcp://10.100.0.3:5432

[traffic orders-to-cache]
from = orders
url = tcp://10.100.1.4:6379

[traffic orders-to-alloydb]
from = orders
url = tcp://10.100.2.2:5432

[traffic legacy-to-sql]
from = legacy-vm
url = tcp://10.100.0.3:5432
INI
cat "$TMP/psa-cai.ini" "$TMP/psa-traffic.ini" > "$TMP/psa-cai-t.ini"
if "$NETSIM" check "$TMP/psa-cai-t.ini" > /dev/null 2>&1 \
   && "$NETSIM" run -q --capture none -o "$TMP/out-psa" "$TMP/psa-cai-t.ini" > /dev/null 2>&1 \
   && verdicts "$TMP/out-psa" > "$TMP/psa.verdicts" \
   && grep -qx 'orders-to-sql delivered None None managed-instance None' "$TMP/psa.verdicts" \
   && grep -qx 'orders-to-cache delivered None None managed-instance None' "$TMP/psa.verdicts" \
   && grep -qx 'orders-to-alloydb delivered None None managed-instance None' "$TMP/psa.verdicts" \
   && grep -q '^legacy-to-sql dropped ' "$TMP/psa.verdicts"; then
  ok "the imported world checks and runs: Direct VPC reaches the three instances; the peered legacy network does not (peering is not transitive)"
else
  not_ok "the imported world checks and runs: Direct VPC reaches the three instances; the peered legacy network does not (peering is not transitive)"
  [ -f "$TMP/psa.verdicts" ] && diag_file "$TMP/psa.verdicts"
fi
# Without Service Networking's connection or peering, the VPC_PEERING
# ranges of the network an instance names are taken as allocated (said);
# an address outside them is replaced by the next free producer subnet's
# first address (said); without any range the instance is left out.
python3 - "$FX" "$TMP" <<'PY'
import json, sys
fx, tmp = sys.argv[1], sys.argv[2]
sql = json.load(open(fx + "/psa-gcloud-sql.json"))
sql[0]["ipAddresses"][1]["ipAddress"] = "10.99.0.3"
json.dump(sql, open(tmp + "/psa-moved-sql.json", "w"))
PY
if "$NETSIM" import "$FX/gcloud-networks.json" "$FX/psa-gcloud-addresses.json" \
     "$TMP/psa-moved-sql.json" > "$TMP/psa-fb.ini" 2> "$TMP/psa-fb.err" \
   && groups "$TMP/psa-fb.ini" "private-services-access shared-vpc" | grep -qx 'ranges = 10.100.0.0/16' \
   && groups "$TMP/psa-fb.ini" "managed-instance orders-db" | grep -qx 'address = 10.100.0.1' \
   && grep -q '^not modelled: .*no Service Networking connection of network shared-vpc in the input' "$TMP/psa-fb.err" \
   && grep -q '^not modelled: .*orders-db: address 10.99.0.3 is outside the allocated ranges.*10.100.0.1 written' "$TMP/psa-fb.err" \
   && "$NETSIM" import "$FX/gcloud-networks.json" "$FX/psa-gcloud-sql.json" > "$TMP/psa-none.ini" 2> "$TMP/psa-none.err" \
   && ! grep -q '^\[managed-instance' "$TMP/psa-none.ini" \
   && grep -q '^not modelled: .*orders-db: no private services access of its network in the input: left out' "$TMP/psa-none.err"; then
  ok "private services access inferred from VPC_PEERING ranges, said; an address outside them replaced, said; no range: instance left out, said"
else
  not_ok "private services access inferred from VPC_PEERING ranges, said; an address outside them replaced, said; no range: instance left out, said"
  diag_file "$TMP/psa-fb.err" 8; diag_file "$TMP/psa-none.err" 8
fi

# Placement and products: instances are placed in the order written; a
# Memorystore instance has a /29 of its own (two in one /24 both keep
# their addresses), a Cloud SQL instance in an earlier instance's /24 is
# moved to the next free one (said); MySQL and SQL Server versions map
# to their products; a VPC_PEERING range the connection does not reserve
# is not its, one overlapping a subnet of the network is left out (said);
# an AlloyDB instance whose cluster the input lacks takes the only
# connection. A Terraform routes config changes the peering it names.
python3 - "$FX" "$TMP" <<'PY'
import copy, json, sys
fx, tmp = sys.argv[1], sys.argv[2]
sql = json.load(open(fx + "/psa-gcloud-sql.json"))
orders = sql[0]
inv = copy.deepcopy(orders)
inv.update(name="inventory-db", databaseVersion="MYSQL_8_0")
inv["ipAddresses"] = [{"type": "PRIVATE", "ipAddress": "10.100.0.5"}]
ledger = copy.deepcopy(orders)
ledger.update(name="ledger-db", databaseVersion="SQLSERVER_2022_STANDARD")
ledger["ipAddresses"] = [{"type": "PRIVATE", "ipAddress": "10.100.3.9"}]
json.dump([orders, inv, ledger], open(tmp + "/psa-place-sql.json", "w"))
redis = json.load(open(fx + "/psa-gcloud-redis.json"))
cache2 = copy.deepcopy(redis[0])
cache2["name"] = cache2["name"].replace("/cache", "/cache2")
cache2["host"] = "10.100.1.12"
json.dump([redis[0], cache2], open(tmp + "/psa-place-redis.json", "w"))
bad = copy.deepcopy(orders)
bad["databaseVersion"] = "ORACLE_19"
json.dump([bad], open(tmp + "/psa-bad-version.json", "w"))
addrs = json.load(open(fx + "/psa-gcloud-addresses.json"))
other = copy.deepcopy(addrs[0])
other.update(name="filestore-range", address="10.101.0.0", prefixLength=24)
other["selfLink"] = other["selfLink"].replace("google-managed-services-shared-vpc", "filestore-range")
clash = copy.deepcopy(addrs[0])
clash.update(name="clash-range", address="10.0.1.0", prefixLength=24)
clash["selfLink"] = clash["selfLink"].replace("google-managed-services-shared-vpc", "clash-range")
json.dump(addrs + [other, clash], open(tmp + "/psa-place-addresses.json", "w"))
conn = json.load(open(fx + "/psa-gcloud-vpc-peerings.json"))
conn[0]["reservedPeeringRanges"].append("clash-range")
json.dump(conn, open(tmp + "/psa-place-peerings.json", "w"))
alloy = json.load(open(fx + "/psa-gcloud-alloydb.json"))
json.dump([alloy[1]], open(tmp + "/psa-alloy-only.json", "w"))
st = json.load(open(fx + "/psa-terraform.json"))
st["values"]["root_module"]["resources"].append({
    "address": "google_compute_network_peering_routes_config.legacy", "mode": "managed",
    "type": "google_compute_network_peering_routes_config", "name": "legacy",
    "values": {"project": "acme-host", "peering": "legacy-to-shared", "network": "legacy-vpc",
               "export_custom_routes": False, "import_custom_routes": True}})
json.dump(st, open(tmp + "/psa-routes-tf.json", "w"))
PY
if "$NETSIM" import "$FX/psa-gcloud-networks.json" "$TMP/psa-place-addresses.json" \
     "$TMP/psa-place-peerings.json" "$FX/gcloud-subnets.json" "$TMP/psa-place-sql.json" \
     "$TMP/psa-place-redis.json" > "$TMP/psa-place.ini" 2> "$TMP/psa-place.err" \
   && groups "$TMP/psa-place.ini" "private-services-access shared-vpc" | grep -qx 'ranges = 10.100.0.0/16' \
   && groups "$TMP/psa-place.ini" "managed-instance cache" | grep -qx 'address = 10.100.1.4' \
   && groups "$TMP/psa-place.ini" "managed-instance cache2" | grep -qx 'address = 10.100.1.12' \
   && groups "$TMP/psa-place.ini" "managed-instance inventory-db" | grep -qx 'address = 10.100.0.5' \
   && groups "$TMP/psa-place.ini" "managed-instance inventory-db" | grep -qx 'product = cloud-sql-mysql' \
   && groups "$TMP/psa-place.ini" "managed-instance ledger-db" | grep -qx 'product = cloud-sql-sqlserver' \
   && groups "$TMP/psa-place.ini" "managed-instance orders-db" | grep -qx 'address = 10.100.2.1' \
   && grep -q '^not modelled: .*orders-db: address 10.100.0.3 .*shares a producer subnet: 10.100.2.1 written' "$TMP/psa-place.err" \
   && grep -q '^not modelled: .*clash-range: allocated range 10.0.1.0/24 overlaps subnet vm-subnet (10.0.1.0/24) of the network or of a peer: left out' "$TMP/psa-place.err" \
   && "$NETSIM" import -q "$FX/terraform-state.json" "$TMP/psa-routes-tf.json" > "$TMP/psa-routes.ini" 2> /dev/null \
   && groups "$TMP/psa-routes.ini" "peering legacy-to-shared" | grep -qx 'import-custom-routes = true' \
   && ! groups "$TMP/psa-routes.ini" "peering legacy-to-shared" | grep -q 'export-custom-routes' \
   && "$NETSIM" import -q "$FX/psa-gcloud-networks.json" "$FX/psa-gcloud-addresses.json" \
        "$FX/psa-gcloud-vpc-peerings.json" "$TMP/psa-alloy-only.json" > "$TMP/psa-alloy.ini" 2> /dev/null \
   && groups "$TMP/psa-alloy.ini" "managed-instance analytics-primary" | grep -qx 'private-services-access = shared-vpc'; then
  ok "managed instances placed as the loader places them (a /29 for Memorystore, a shared /24 moved, said); MySQL and SQL Server products; unreserved and overlapping ranges not taken; a Terraform routes config onto its peering"
else
  not_ok "managed instances placed as the loader places them (a /29 for Memorystore, a shared /24 moved, said); MySQL and SQL Server products; unreserved and overlapping ranges not taken; a Terraform routes config onto its peering"
  diag_file "$TMP/psa-place.err" 8; diag_file "$TMP/psa-place.ini" 10
fi

# Hub and spoke: two spokes' peerings share a name in one project and are
# qualified by their network.
cat > "$TMP/psa-hub.json" <<'J'
[{"kind": "compute#network", "name": "hub", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/hub",
  "peerings": [{"name": "to-spoke-a", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/spoke-a", "state": "ACTIVE", "exportCustomRoutes": true},
               {"name": "to-spoke-b", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/spoke-b", "state": "ACTIVE", "exportCustomRoutes": true}]},
 {"kind": "compute#network", "name": "spoke-a", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/spoke-a",
  "peerings": [{"name": "to-hub", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/hub", "state": "ACTIVE", "importCustomRoutes": true}]},
 {"kind": "compute#network", "name": "spoke-b", "selfLink": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/spoke-b",
  "peerings": [{"name": "to-hub", "network": "https://www.googleapis.com/compute/v1/projects/p1/global/networks/hub", "state": "ACTIVE", "importCustomRoutes": true}]}]
J
if "$NETSIM" import -q "$TMP/psa-hub.json" > "$TMP/psa-hub.ini" 2> /dev/null \
   && groups "$TMP/psa-hub.ini" "peering to-hub-spoke-a" | grep -qx 'network = spoke-a' \
   && groups "$TMP/psa-hub.ini" "peering to-hub-spoke-b" | grep -qx 'import-custom-routes = true' \
   && groups "$TMP/psa-hub.ini" "peering to-spoke-b" | grep -qx 'peer-network = spoke-b'; then
  ok "two peerings of one name in one project are qualified by their network"
else
  not_ok "two peerings of one name in one project are qualified by their network"
  diag_file "$TMP/psa-hub.ini" 30
fi

# ---- hostile input ----------------------------------------------------------

head -c 700 "$FX/terraform-plan.json" > "$TMP/truncated.json"
sed 's/"ipCidrRange": "10.0.0.0\/24"/"ipCidrRange": 24/' "$FX/cai.json" > "$TMP/wrong-type.json"
python3 -c "print('[' * 100 + ']' * 100)" > "$TMP/deep.json"
printf '[{"kind": "compute#network", "name": "n\377"}]\n' > "$TMP/latin1.json"
: > "$TMP/empty.json"
sed 's/"ALL_TRAFFIC"/"SOMETIMES"/' "$FX/cai.json" > "$TMP/bad-egress.json"
sed 's/"batch",/"Batch",/' "$FX/cai.json" > "$TMP/bad-tag.json"
python3 - "$FX/gcloud-firewalls.json" "$TMP/egress-sources.json" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
for r in rules:
    if r["name"] == "deny-batch-to-ilb":
        r["sourceTags"] = ["tools"]
json.dump(rules, open(sys.argv[2], "w"), indent=1)
PY
# A disabled rule is imported disabled: it loads, is not enforced, and
# is not listed as left out.
python3 - "$FX/gcloud-firewalls.json" "$TMP/rule-off.json" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
for r in rules:
    if r["name"] == "deny-batch-to-ilb":
        r["disabled"] = True
json.dump(rules, open(sys.argv[2], "w"), indent=1)
PY
if "$NETSIM" import "$TMP/rule-off.json" > "$TMP/rule-off.ini" 2> "$TMP/rule-off.err" \
   && awk '/^\[firewall deny-batch-to-ilb\]/{on=1; next} /^\[/{on=0} on' \
        "$TMP/rule-off.ini" | grep -qx 'disabled = true' \
   && ! grep -q 'disabled' "$TMP/rule-off.err" \
   && [ "$(grep -c '^disabled = true' "$TMP/rule-off.ini")" = 1 ]; then
  ok "a disabled firewall rule is imported with disabled = true, and only it"
else
  not_ok "a disabled firewall rule is imported with disabled = true, and only it"
  diag_file "$TMP/rule-off.err" 5
fi
truncate -s 300M "$TMP/huge.json" 2>/dev/null || dd if=/dev/zero of="$TMP/huge.json" bs=1 count=0 seek=300M 2>/dev/null

# Jobs and worker pools (run.googleapis.com/Job in its v2 and v1 shapes,
# run.googleapis.com/WorkerPool; google_cloud_run_v2_job and
# google_cloud_run_v2_worker_pool): both forms give the same groups (tasks,
# parallelism, instances, VPC access; a worker pool's connector left out
# with a note), and the traffic of a job through Direct VPC is internal
# while a worker pool without VPC access is external.
cat > "$TMP/jobs-traffic.ini" <<'INI'

[traffic nightly]
from = nightly
url = service:api
timeout = 2s

[expect nightly]
outcome = delivered
classified-as = internal
via = job;dns;direct-vpc;vpc-router;gfe;service

[traffic consumers]
from = consumers
url = service:api
timeout = 2s

[expect consumers]
outcome = denied-by-ingress
classified-as = external
INI
for form in cai terraform; do
  "$NETSIM" import "$FX/$form-jobs.json" > "$TMP/$form-jobs.ini" 2> "$TMP/$form-jobs.err"
  j_status=$?
  cat "$TMP/$form-jobs.ini" "$TMP/jobs-traffic.ini" > "$TMP/$form-jobs-run.ini"
  if [ $j_status -eq 0 ] && grep -qx '\[job nightly\]' "$TMP/$form-jobs.ini" \
     && grep -qx 'tasks = 4' "$TMP/$form-jobs.ini" \
     && grep -qx 'parallelism = 2' "$TMP/$form-jobs.ini" \
     && grep -qx 'network-tags = batch' "$TMP/$form-jobs.ini" \
     && grep -qx 'connector = batch-conn' "$TMP/$form-jobs.ini" \
     && grep -qx '\[worker-pool tagged\]' "$TMP/$form-jobs.ini" \
     && grep -qx 'instances = 3' "$TMP/$form-jobs.ini" \
     && grep -q 'old.style: a worker pool with a connector' "$TMP/$form-jobs.err" \
     && "$NETSIM" check "$TMP/$form-jobs-run.ini" > "$TMP/$form-jobs.check" 2>&1; then
    ok "$form: jobs and worker pools import, and their traffic is classified by its path"
  else
    not_ok "$form: jobs and worker pools import, and their traffic is classified by its path"
    diag "status $j_status"; diag_file "$TMP/$form-jobs.err" 5
    diag_file "$TMP/$form-jobs.check" 10
  fi
done

# A forwarding zone's IPv4 targets become forward-to, in order (an IPv6
# target is listed as not modelled), a DNS server policy a
# [dns-server-policy], and the scenario loads.
for form in gcloud terraform; do
  "$NETSIM" import "$FX/dns-forwarding-$form.json" > "$TMP/fwd-$form.ini" 2> "$TMP/fwd-$form.err"
  fwd_status=$?
  case $form in
    gcloud) want="forward-to = 192.168.10.53"
            alt="alternative-name-servers = 192.168.10.53" ;;
    terraform) want="forward-to = 192.168.10.53;192.168.20.53"
               alt="[dns-server-policy prod-dns]" ;;
  esac
  if [ $fwd_status -eq 0 ] && grep -qxF "$want" "$TMP/fwd-$form.ini" \
     && grep -qxF "$alt" "$TMP/fwd-$form.ini" \
     && grep -qxF "inbound = true" "$TMP/fwd-$form.ini" \
     && "$NETSIM" check "$TMP/fwd-$form.ini" > /dev/null 2>&1; then
    ok "$form: a forwarding zone's targets become forward-to, a DNS policy a [dns-server-policy]"
  else
    not_ok "$form: a forwarding zone's targets become forward-to, a DNS policy a [dns-server-policy]"
    diag "status $fwd_status"; diag_file "$TMP/fwd-$form.ini" 40; diag_file "$TMP/fwd-$form.err" 5
  fi
done

# hostile FILE TEXT DESC: exit 2, stderr names FILE and holds TEXT,
# nothing on stdout, -o's old file left as it was.
hostile () {
  echo "before" > "$TMP/keep.ini"
  "$NETSIM" import "$1" -o "$TMP/keep.ini" > "$TMP/h.out" 2> "$TMP/h.err"
  h_status=$?
  if [ $h_status -eq 2 ] && grep -qF "$1" "$TMP/h.err" && grep -qF -e "$2" "$TMP/h.err" \
     && [ ! -s "$TMP/h.out" ] && [ "$(cat "$TMP/keep.ini")" = before ]; then
    ok "$3: exit 2, names the file, writes nothing"
  else
    not_ok "$3: exit 2, names the file, writes nothing"
    diag "status $h_status"; diag_file "$TMP/h.err" 5
  fi
}
hostile "$TMP/truncated.json" ": column " "truncated JSON"
hostile "$TMP/wrong-type.json" "wrong-type.json:4: \$.resource.data.ipCidrRange: expected a string, found a number" "a number where a string belongs (line and JSON path)"
hostile "$TMP/deep.json" "at most 64 levels deep" "100-deep nesting"
hostile "$TMP/latin1.json" "expected UTF-8 text, found byte 0xff" "non-UTF-8"
hostile "$TMP/empty.json" "found an empty file" "an empty file"
hostile "$TMP/bad-egress.json" "bad-egress.json:19: \$.resource.data.template.vpcAccess.egress: expected ALL_TRAFFIC or PRIVATE_RANGES_ONLY" "an egress value that cannot be mapped"
hostile "$TMP/bad-tag.json" "bad-tag.json:14: \$.resource.data.tags.items[0]: expected a network tag (1 to 63 lower-case letters, digits and '-', first a letter, not last a '-'), found 'Batch'" "a network tag Google would refuse (upper case)"
hostile "$TMP/egress-sources.json" "egress-sources.json: \$[2].sourceTags: expected no sources on an egress rule" "source tags on an egress rule"
hostile "$TMP/bad-order.json" "bad-order.json: \$[0].networkFirewallPolicyEnforcementOrder: expected AFTER_CLASSIC_FIREWALL or BEFORE_CLASSIC_FIREWALL, found 'FIRST'" "an enforcement order that cannot be mapped"
hostile "$TMP/psa-bad-version.json" "psa-bad-version.json: \$[0].databaseVersion: expected POSTGRES_*, MYSQL_* or SQLSERVER_*, found 'ORACLE_19'" "a Cloud SQL version that is no product of the format"
hostile "$TMP/huge.json" "expected at most 256 MiB" "a file above 256 MiB"
hostile "$TMP/no-such.json" "cannot read" "a missing file"
finish
