/* Tests for models/world/vpc-firewall.c, a network's firewall rules
 * (docs/networking.md, "Firewall rules"): targets by network tag (VMs,
 * connectors, Direct VPC revisions) and by service account (VMs only);
 * ingress sources by range, by tag or by service account, either
 * matching; Direct VPC never matched as a source by identity, and the
 * verdict naming the rule that would have admitted it; Serverless VPC
 * Access's hidden allow at priority 1000, which a user rule of lower
 * number overrides and one of higher number does not; priority order
 * and deny winning a tie; firewall policies in stages (organization,
 * folder, network policies before or after the VPC's rules), goto-next
 * and no match handing a packet to the next stage; regional network
 * policies (their region's instances only, after the global ones) and
 * secure tags as targets and sources. Frames are parsed headers only: the module
 * reads addresses, protocol and port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/world/vpc-firewall.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

static const uint32_t DB = IP (10, 1, 0, 5);
static const uint32_t WEB = IP (10, 1, 0, 6);
static const uint32_t CONN = IP (10, 8, 0, 2);
static const uint32_t RUN = IP (10, 0, 0, 2);

static const char *const db_tags[] = { "db", NULL };
static const char *const web_tags[] = { "web", "db-client", NULL };
static const char *const conn_tags[] = {
  "vpc-connector", "vpc-connector-us-central1-conn", NULL };
static const char *const run_tags[] = { "run", NULL };

#define DB_SA "db@shop.iam.gserviceaccount.com"
#define WEB_SA "web@shop.iam.gserviceaccount.com"
#define RUN_SA "run@shop.iam.gserviceaccount.com"

static const CloudRunVpcSource db = {
  .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm db", .tags = db_tags,
  .service_account = DB_SA };
static const CloudRunVpcSource web = {
  .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm web", .tags = web_tags,
  .service_account = WEB_SA };
static const CloudRunVpcSource conn = {
  .kind = CLOUDRUN_VPC_SOURCE_CONNECTOR, .label = "connector conn",
  .tags = conn_tags, .service_account = WEB_SA };
static const CloudRunVpcSource run = {
  .kind = CLOUDRUN_VPC_SOURCE_DIRECT_VPC, .label = "Direct VPC of service run",
  .tags = run_tags, .service_account = RUN_SA };
static const CloudRunVpcSource proxy = {
  .kind = CLOUDRUN_VPC_SOURCE_PROXY, .label = "proxies of ilb" };

static const VpcProtocolMatch all_protocols = { 0, 0, 65535 };
static const VpcCidr everywhere = { 0, 0 };
static const VpcCidr run_subnet = { IP (10, 0, 0, 0), 24 };

static const char *const tag_db[] = { "db", NULL };
static const char *const tag_web[] = { "web", NULL };
static const char *const tag_run[] = { "run", NULL };
static const char *const tag_conn[] = { "vpc-connector", NULL };
static const char *const tag_conn_own[] = {
  "vpc-connector-us-central1-conn", NULL };
static const char *const sa_db[] = { DB_SA, NULL };
static const char *const sa_web[] = { WEB_SA, NULL };
static const char *const sa_run[] = { RUN_SA, NULL };

static VpcFirewallRule
rule (const char *name, VpcFirewallDirection dir, VpcFirewallAction action,
      uint32_t priority)
{
  return (VpcFirewallRule) {
    .name = name, .direction = dir, .action = action,
    .protocols = &all_protocols, .n_protocols = 1, .priority = priority };
}

static SimFrame
tcp (uint32_t src, uint32_t dst, uint16_t dport)
{
  return (SimFrame) { .src = src, .dst = dst, .proto = 6, .sport = 40000,
                      .dport = dport };
}

static CloudRunVpcFirewall *
firewall (const VpcFirewallRule *rules, guint n, bool connector_rule)
{
  return cloudrun_vpc_firewall_new (rules, n, connector_rule);
}

static void
expect (CloudRunFirewallVerdict v, bool allow, const char *rule_name,
        const char *label)
{
  const char *found = v.rule ? v.rule->name : "(implied)";

  if (v.allow != allow || strcmp (found, rule_name) != 0)
    fail_msg ("%s: expected %s by %s, found %s by %s", label,
              allow ? "allow" : "deny", rule_name,
              v.allow ? "allow" : "deny", found);
}

/* ---- Targets ------------------------------------------------------- */

static void
test_vpc_firewall__target_tags_select_instances (void **state)
{
  VpcFirewallRule r[] = {
    rule ("allow-to-db", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000),
    rule ("deny-out-web", VPC_FIREWALL_EGRESS, VPC_FIREWALL_DENY, 1000),
  };
  CloudRunVpcFirewall *fw;
  SimFrame f = tcp (WEB, DB, 80);

  (void) state;
  r[0].ranges = &everywhere, r[0].n_ranges = 1, r[0].target_tags = tag_db;
  r[1].ranges = &everywhere, r[1].n_ranges = 1, r[1].target_tags = tag_web;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  /* Ingress into db (tagged db) matches; into web (no db tag) it does
   * not, and the implied deny decides. */
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &conn, &db), true,
          "allow-to-db", "into db");
  f = tcp (DB, WEB, 80);
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &db, &web), false,
          "(implied)", "into web");
  /* Egress: the deny aims at web's tag, not db's. */
  expect (cloudrun_vpc_firewall_egress (fw, &f, &web), false, "deny-out-web",
          "out of web");
  expect (cloudrun_vpc_firewall_egress (fw, &f, &db), true, "(implied)",
          "out of db");
  /* A Direct VPC revision's tags select egress rules like a VM's; a load
   * balancer's proxies have no tags. */
  r[1].target_tags = tag_run;
  cloudrun_vpc_firewall_free (fw);
  fw = firewall (r, G_N_ELEMENTS (r), false);
  expect (cloudrun_vpc_firewall_egress (fw, &f, &run), false, "deny-out-web",
          "out of Direct VPC");
  expect (cloudrun_vpc_firewall_egress (fw, &f, &proxy), true, "(implied)",
          "out of the proxies");
  /* A connector is targeted by its own tag. */
  r[1].target_tags = tag_conn_own;
  cloudrun_vpc_firewall_free (fw);
  fw = firewall (r, G_N_ELEMENTS (r), false);
  expect (cloudrun_vpc_firewall_egress (fw, &f, &conn), false, "deny-out-web",
          "out of the connector");
  cloudrun_vpc_firewall_free (fw);
}

static void
test_vpc_firewall__target_service_accounts_select_vms (void **state)
{
  VpcFirewallRule r[] = {
    rule ("deny-out-web-sa", VPC_FIREWALL_EGRESS, VPC_FIREWALL_DENY, 1000),
  };
  CloudRunVpcFirewall *fw;
  SimFrame f = tcp (WEB, IP (203, 0, 113, 9), 443);

  (void) state;
  r[0].ranges = &everywhere, r[0].n_ranges = 1;
  r[0].target_accounts = sa_web;
  fw = firewall (r, 1, false);
  expect (cloudrun_vpc_firewall_egress (fw, &f, &web), false,
          "deny-out-web-sa", "the VM running as web");
  expect (cloudrun_vpc_firewall_egress (fw, &f, &db), true, "(implied)",
          "a VM running as db");
  /* The connector here carries web's account, but rules select only VMs
   * by service account. */
  expect (cloudrun_vpc_firewall_egress (fw, &f, &conn), true, "(implied)",
          "a connector");
  cloudrun_vpc_firewall_free (fw);
}

/* ---- Sources ------------------------------------------------------- */

static void
test_vpc_firewall__sources_by_range_tag_or_account (void **state)
{
  VpcFirewallRule r[] = {
    rule ("from-web-tag", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000),
  };
  CloudRunVpcFirewall *fw;
  SimFrame from_web = tcp (WEB, DB, 80), from_run = tcp (RUN, DB, 80);

  (void) state;
  r[0].source_tags = tag_web;
  fw = firewall (r, 1, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, &web, &db), true,
          "from-web-tag", "tagged source");
  /* The same address without the instance behind it (from outside the
   * network) does not carry the tag. */
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, NULL, &db), false,
          "(implied)", "no instance");
  cloudrun_vpc_firewall_free (fw);

  /* Ranges and tags: either matches. */
  r[0].ranges = &run_subnet, r[0].n_ranges = 1;
  fw = firewall (r, 1, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &from_run, &run, &db), true,
          "from-web-tag", "by range");
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, &web, &db), true,
          "from-web-tag", "by tag");
  cloudrun_vpc_firewall_free (fw);

  /* Service accounts: a VM's. */
  r[0] = rule ("from-web-sa", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000);
  r[0].source_accounts = sa_web;
  fw = firewall (r, 1, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, &web, &db), true,
          "from-web-sa", "VM by account");
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, &db, &web), false,
          "(implied)", "another account");
  /* A connector has no identity a rule can name. */
  expect (cloudrun_vpc_firewall_ingress (fw, &from_web, &conn, &db), false,
          "(implied)", "connector by account");
  cloudrun_vpc_firewall_free (fw);
}

static void
test_vpc_firewall__direct_vpc_identity_is_unsupported (void **state)
{
  VpcFirewallRule r[] = {
    rule ("from-run-tag", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000),
    rule ("deny-db", VPC_FIREWALL_INGRESS, VPC_FIREWALL_DENY, 2000),
  };
  CloudRunVpcFirewall *fw;
  CloudRunFirewallVerdict v;
  SimFrame f = tcp (RUN, DB, 80);

  (void) state;
  r[0].source_tags = tag_run;
  r[1].ranges = &everywhere, r[1].n_ranges = 1;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  v = cloudrun_vpc_firewall_ingress (fw, &f, &run, &db);
  expect (v, false, "deny-db", "Direct VPC by tag");
  assert_non_null (v.unsupported);
  assert_string_equal (v.unsupported->name, "from-run-tag");
  /* A VM with the same tag would pass: the tag itself is fine. */
  v = cloudrun_vpc_firewall_ingress (fw, &f, &(CloudRunVpcSource) {
    .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm x", .tags = run_tags }, &db);
  expect (v, true, "from-run-tag", "a VM with the tag");
  assert_null (v.unsupported);
  cloudrun_vpc_firewall_free (fw);

  /* By service account likewise. */
  r[0] = rule ("from-run-sa", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000);
  r[0].source_accounts = sa_run;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  v = cloudrun_vpc_firewall_ingress (fw, &f, &run, &db);
  expect (v, false, "deny-db", "Direct VPC by account");
  assert_string_equal (v.unsupported->name, "from-run-sa");
  cloudrun_vpc_firewall_free (fw);

  /* A deny that decides first leaves nothing to blame on the tags. */
  r[1].priority = 10;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  v = cloudrun_vpc_firewall_ingress (fw, &f, &run, &db);
  expect (v, false, "deny-db", "deny first");
  assert_null (v.unsupported);
  cloudrun_vpc_firewall_free (fw);

  /* Allowed by range: no blame either. */
  r[0] = rule ("from-run-range", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 5);
  r[0].ranges = &run_subnet, r[0].n_ranges = 1;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  v = cloudrun_vpc_firewall_ingress (fw, &f, &run, &db);
  expect (v, true, "from-run-range", "by range");
  assert_null (v.unsupported);
  cloudrun_vpc_firewall_free (fw);
}

/* ---- The connectors' hidden rule ----------------------------------- */

static void
test_vpc_firewall__connector_rule_at_priority_1000 (void **state)
{
  static const struct {
    const char *label;
    uint32_t deny_priority;     /* a deny from the connector's tag */
    bool allow;
    const char *decider;
  } cases[] = {
    { "a deny at 900 overrides it", 900, false, "deny-conn" },
    { "a deny at 1000 ties, and deny wins", 1000, false, "deny-conn" },
    { "a deny at 2000 comes too late", 2000, true,
      "vpc-connector (implicit)" },
  };
  SimFrame f = tcp (CONN, DB, 5432);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VpcFirewallRule r = rule ("deny-conn", VPC_FIREWALL_INGRESS,
                                VPC_FIREWALL_DENY, cases[i].deny_priority);
      CloudRunVpcFirewall *fw;
      CloudRunFirewallVerdict v;

      r.source_tags = tag_conn;
      fw = firewall (&r, 1, true);
      v = cloudrun_vpc_firewall_ingress (fw, &f, &conn, &db);
      expect (v, cases[i].allow, cases[i].decider, cases[i].label);
      cloudrun_vpc_firewall_free (fw);
    }
  {
    /* Without a connector in the network there is no such rule; and the
     * rule admits only the tag's holders. */
    CloudRunVpcFirewall *none = firewall (NULL, 0, false);
    CloudRunVpcFirewall *with = firewall (NULL, 0, true);
    SimFrame g = tcp (WEB, DB, 80);
    CloudRunFirewallVerdict v = cloudrun_vpc_firewall_ingress (with, &f,
                                                               &conn, &db);
    SimExplainLog *log = sim_explain_log_new ();

    expect (cloudrun_vpc_firewall_ingress (none, &f, &conn, &db), false,
            "(implied)", "no connector");
    expect (v, true, "vpc-connector (implicit)", "connector");
    assert_non_null (strstr (cloudrun_vpc_firewall_rule_text (v.rule, log),
                             "source tag vpc-connector, priority 1000"));
    sim_explain_log_free (log);
    expect (cloudrun_vpc_firewall_ingress (with, &g, &web, &db), false,
            "(implied)", "a VM");
    cloudrun_vpc_firewall_free (none);
    cloudrun_vpc_firewall_free (with);
  }
}

static void
test_vpc_firewall__protocols_and_ties (void **state)
{
  static const VpcProtocolMatch https = { 6, 443, 443 };
  VpcFirewallRule r[] = {
    rule ("allow-db", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 500),
    rule ("deny-db", VPC_FIREWALL_INGRESS, VPC_FIREWALL_DENY, 500),
    rule ("allow-443", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 100),
  };
  CloudRunVpcFirewall *fw;
  SimFrame http = tcp (WEB, DB, 80), tls = tcp (WEB, DB, 443);

  (void) state;
  r[0].source_tags = tag_web;
  r[1].ranges = &everywhere, r[1].n_ranges = 1;
  r[2].source_accounts = sa_web, r[2].protocols = &https;
  r[2].target_accounts = sa_db;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  expect (cloudrun_vpc_firewall_ingress (fw, &http, &web, &db), false,
          "deny-db", "a tie: deny wins");
  expect (cloudrun_vpc_firewall_ingress (fw, &tls, &web, &db), true,
          "allow-443", "443 first");
  cloudrun_vpc_firewall_free (fw);
}

/* ---- Firewall policies -------------------------------------------- */

static VpcFirewallRule
policy_rule (const char *name, const char *policy, VpcFirewallStage stage,
             VpcFirewallAction action, uint32_t priority)
{
  VpcFirewallRule r = rule (name, VPC_FIREWALL_INGRESS, action, priority);

  r.policy = policy, r.stage = stage;
  r.ranges = &everywhere, r.n_ranges = 1;
  return r;
}

static void
test_vpc_firewall__policy_stages (void **state)
{
  static const struct {
    const char *label;
    VpcFirewallStage net_stage; /* where the network policy sits */
    bool org_goto_next;         /* the organization hands web on */
    bool allow;
    const char *decider;
    const char *passed;         /* the goto-next rule, or NULL */
  } cases[] = {
    /* The organization's deny at 900 comes before a VPC allow at 10. */
    { "organization first", VPC_FIREWALL_STAGE_NETWORK_LAST, false, false,
      "org-deny", NULL },
    /* goto-next skips the rest of the organization's rules, then the
     * VPC's allow decides before the network policy (after, default). */
    { "goto-next, VPC first", VPC_FIREWALL_STAGE_NETWORK_LAST, true, true,
      "vpc-allow", "org-next" },
    /* The network says before-classic-firewall: its policy's deny wins. */
    { "network policy first", VPC_FIREWALL_STAGE_NETWORK_FIRST, true, false,
      "net-deny", "org-next" },
  };
  SimFrame f = tcp (WEB, DB, 80);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VpcFirewallRule r[] = {
        rule ("vpc-allow", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 10),
        policy_rule ("net-deny", "net", cases[i].net_stage,
                     VPC_FIREWALL_DENY, 1),
        policy_rule ("org-deny", "org", VPC_FIREWALL_STAGE_ORGANIZATION,
                     VPC_FIREWALL_DENY, 900),
        policy_rule ("org-next", "org", VPC_FIREWALL_STAGE_ORGANIZATION,
                     cases[i].org_goto_next ? VPC_FIREWALL_GOTO_NEXT
                                            : VPC_FIREWALL_DENY, 800),
      };
      CloudRunVpcFirewall *fw;
      CloudRunFirewallVerdict v;

      r[0].ranges = &everywhere, r[0].n_ranges = 1;
      /* org-next only for db's service account; without goto-next it is
       * a deny aimed elsewhere. */
      r[3].target_accounts = cases[i].org_goto_next ? sa_db : sa_web;
      fw = firewall (r, G_N_ELEMENTS (r), false);
      v = cloudrun_vpc_firewall_ingress (fw, &f, &web, &db);
      expect (v, cases[i].allow, cases[i].decider, cases[i].label);
      if (cases[i].passed)
        assert_string_equal (v.passed->name, cases[i].passed);
      else
        assert_null (v.passed);
      cloudrun_vpc_firewall_free (fw);
    }
}

/* The organization's policy before a folder's, whatever the priorities. */
static void
test_vpc_firewall__organization_before_folder (void **state)
{
  VpcFirewallRule r[] = {
    policy_rule ("folder-deny", "folder", VPC_FIREWALL_STAGE_FOLDER,
                 VPC_FIREWALL_DENY, 0),
    policy_rule ("org-allow", "org", VPC_FIREWALL_STAGE_ORGANIZATION,
                 VPC_FIREWALL_ALLOW, 65535),
  };
  CloudRunVpcFirewall *fw = firewall (r, G_N_ELEMENTS (r), false);
  SimFrame f = tcp (WEB, DB, 80);

  (void) state;
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web, &db), true,
          "org-allow", "organization first");
  cloudrun_vpc_firewall_free (fw);
}

static void
test_vpc_firewall__policy_no_match_falls_through (void **state)
{
  /* A folder policy that matches nothing, then nothing at all: the
   * implied rules decide, and the rule text names the policy. */
  VpcFirewallRule r[] = {
    policy_rule ("folder-deny-ssh", "folder", VPC_FIREWALL_STAGE_FOLDER,
                 VPC_FIREWALL_DENY, 10),
  };
  static const VpcProtocolMatch ssh = { 6, 22, 22 };
  SimExplainLog *log = sim_explain_log_new ();
  CloudRunVpcFirewall *fw;
  SimFrame http = tcp (WEB, DB, 80), shell = tcp (WEB, DB, 22);
  CloudRunFirewallVerdict v;

  (void) state;
  r[0].protocols = &ssh;
  fw = firewall (r, 1, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &http, &web, &db), false,
          "(implied)", "ingress, no match");
  expect (cloudrun_vpc_firewall_egress (fw, &http, &web), true, "(implied)",
          "egress, no match");
  v = cloudrun_vpc_firewall_ingress (fw, &shell, &web, &db);
  expect (v, false, "folder-deny-ssh", "ssh");
  assert_string_equal (cloudrun_vpc_firewall_rule_text (v.rule, log),
                       "firewall policy folder, rule folder-deny-ssh "
                       "(hierarchical, folder, ingress, priority 10)");
  sim_explain_log_free (log);
  cloudrun_vpc_firewall_free (fw);
}

/* ---- Regional network policies and secure tags --------------------- */

static const char *const st_app[] = { "app", NULL };

/* db in us-central1, its twin in us-east1; web in us-central1 bound to
 * secure tag app; Direct VPC in us-central1 (no secure tags). */
static const CloudRunVpcSource db_central = {
  .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm db", .tags = db_tags,
  .service_account = DB_SA, .region = "us-central1" };
static const CloudRunVpcSource db_east = {
  .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm db2", .tags = db_tags,
  .service_account = DB_SA, .region = "us-east1" };
static const CloudRunVpcSource web_app = {
  .kind = CLOUDRUN_VPC_SOURCE_VM, .label = "vm web", .tags = web_tags,
  .service_account = WEB_SA, .region = "us-central1",
  .secure_tags = st_app };
static const CloudRunVpcSource run_central = {
  .kind = CLOUDRUN_VPC_SOURCE_DIRECT_VPC, .label = "Direct VPC of run",
  .tags = run_tags, .service_account = RUN_SA, .region = "us-central1" };

static VpcFirewallRule
regional_rule (const char *name, VpcFirewallStage stage,
               VpcFirewallAction action, uint32_t priority)
{
  VpcFirewallRule r = policy_rule (name, "central", stage, action, priority);

  r.region = "us-central1";
  return r;
}

/* A regional policy's rule applies to the instances of its region only;
 * elsewhere the next stage decides, and the verdict names the rule that
 * matched but did not apply. Before the VPC's rules or after them, as
 * the network says. */
static void
test_vpc_firewall__regional_policy_in_its_region_only (void **state)
{
  static const VpcFirewallStage stages[] = {
    VPC_FIREWALL_STAGE_REGIONAL_FIRST, VPC_FIREWALL_STAGE_REGIONAL_LAST };
  SimFrame f = tcp (WEB, DB, 80);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      bool first = stages[i] == VPC_FIREWALL_STAGE_REGIONAL_FIRST;
      VpcFirewallRule r[] = {
        rule ("vpc-allow", VPC_FIREWALL_INGRESS, VPC_FIREWALL_ALLOW, 1000),
        regional_rule ("central-deny", stages[i], VPC_FIREWALL_DENY, 0),
      };
      CloudRunVpcFirewall *fw;
      CloudRunFirewallVerdict v;

      r[0].ranges = &everywhere, r[0].n_ranges = 1;
      fw = firewall (r, G_N_ELEMENTS (r), false);
      v = cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_central);
      expect (v, !first, first ? "central-deny" : "vpc-allow",
              "in the region");
      assert_null (v.elsewhere);
      v = cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_east);
      expect (v, true, "vpc-allow", "another region");
      if (first)
        assert_string_equal (v.elsewhere->name, "central-deny");
      /* No region known (a source the rules cannot target): not its. */
      v = cloudrun_vpc_firewall_egress (fw, &f, NULL);
      expect (v, true, "(implied)", "no region");
      cloudrun_vpc_firewall_free (fw);
    }
}

/* The global network policy before the regional one, both after the
 * VPC's rules by default (firewall-policies-rule-eval-order). */
static void
test_vpc_firewall__global_before_regional (void **state)
{
  VpcFirewallRule r[] = {
    regional_rule ("central-deny", VPC_FIREWALL_STAGE_REGIONAL_LAST,
                   VPC_FIREWALL_DENY, 0),
    policy_rule ("global-allow", "global", VPC_FIREWALL_STAGE_NETWORK_LAST,
                 VPC_FIREWALL_ALLOW, 65535),
    regional_rule ("central-first", VPC_FIREWALL_STAGE_REGIONAL_FIRST,
                   VPC_FIREWALL_ALLOW, 5),
    rule ("vpc-deny", VPC_FIREWALL_INGRESS, VPC_FIREWALL_DENY, 0),
    policy_rule ("global-first", "global", VPC_FIREWALL_STAGE_NETWORK_FIRST,
                 VPC_FIREWALL_DENY, 9),
  };
  SimFrame f = tcp (WEB, DB, 80);
  CloudRunVpcFirewall *fw;

  (void) state;
  r[3].ranges = &everywhere, r[3].n_ranges = 1;
  /* The global policy's allow before the regional policy's deny. */
  fw = firewall (r, 2, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_central), true,
          "global-allow", "global first");
  cloudrun_vpc_firewall_free (fw);
  /* before-classic-firewall: global, regional, then the VPC's rules. */
  fw = firewall (r + 2, 2, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_central), true,
          "central-first", "regional before the VPC's rules");
  cloudrun_vpc_firewall_free (fw);
  fw = firewall (r + 2, 3, false);
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_central), false,
          "global-first", "global before regional");
  cloudrun_vpc_firewall_free (fw);
}

/* Secure tags: targets the VMs bound to them; as ingress sources, also
 * packets from such VMs, whatever their address; Direct VPC carries
 * none. */
static void
test_vpc_firewall__secure_tags (void **state)
{
  VpcFirewallRule r[] = {
    policy_rule ("to-app", "global", VPC_FIREWALL_STAGE_NETWORK_LAST,
                 VPC_FIREWALL_ALLOW, 10),
    policy_rule ("from-app", "global", VPC_FIREWALL_STAGE_NETWORK_LAST,
                 VPC_FIREWALL_ALLOW, 20),
  };
  SimFrame f = tcp (WEB, DB, 80), g = tcp (RUN, DB, 80);
  CloudRunVpcFirewall *fw;

  (void) state;
  r[0].target_secure_tags = st_app;
  r[1].source_secure_tags = st_app;
  r[1].ranges = NULL, r[1].n_ranges = 0;
  fw = firewall (r, G_N_ELEMENTS (r), false);
  expect (cloudrun_vpc_firewall_ingress (fw, &g, &run_central, &web_app),
          true, "to-app", "target bound to the tag");
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web_app, &db_central),
          true, "from-app", "source bound to the tag");
  expect (cloudrun_vpc_firewall_ingress (fw, &g, &run_central, &db_central),
          false, "(implied)", "Direct VPC carries no secure tag");
  expect (cloudrun_vpc_firewall_ingress (fw, &f, &web, &db_central), false,
          "(implied)", "untagged VM");
  cloudrun_vpc_firewall_free (fw);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_vpc_firewall__target_tags_select_instances),
    cmocka_unit_test (test_vpc_firewall__target_service_accounts_select_vms),
    cmocka_unit_test (test_vpc_firewall__sources_by_range_tag_or_account),
    cmocka_unit_test (test_vpc_firewall__direct_vpc_identity_is_unsupported),
    cmocka_unit_test (test_vpc_firewall__connector_rule_at_priority_1000),
    cmocka_unit_test (test_vpc_firewall__protocols_and_ties),
    cmocka_unit_test (test_vpc_firewall__policy_stages),
    cmocka_unit_test (test_vpc_firewall__organization_before_folder),
    cmocka_unit_test (test_vpc_firewall__policy_no_match_falls_through),
    cmocka_unit_test (test_vpc_firewall__regional_policy_in_its_region_only),
    cmocka_unit_test (test_vpc_firewall__global_before_regional),
    cmocka_unit_test (test_vpc_firewall__secure_tags),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
