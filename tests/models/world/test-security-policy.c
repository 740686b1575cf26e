/* Tests for models/world/security-policy.c on its own: Cloud Armor reads
 * rules lowest priority number first whatever their order in the file,
 * the first match decides, the default rule decides when none matches;
 * a rule's conditions (source ranges, region codes, a header present or
 * equal to a value) must all hold; an address geolocation does not
 * place matches no region code; a deny carries its status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "models/world/security-policy.h"
#include "sim/wire.h"

#define IP(a, b, c, d) (((uint32_t) (a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static const char HEAD[] =
  "GET / HTTP/1.1\r\nHost: shop.example.com\r\nX-Canary: yes\r\n"
  "X-Empty:\r\n\r\n";
static const char BARE[] = "GET / HTTP/1.1\r\nHost: shop.example.com\r\n\r\n";

static const VpcCidr office[] = { { IP (198, 51, 100, 0), 24 },
                                  { IP (192, 0, 2, 0), 28 } };
static const char *const fr[] = { "FR", "BE", NULL };

/* Evaluates p for src (region code from geo) and head. */
static CloudRunSecurityVerdict
decide (const CloudRunSecurityPolicyConfig *c, uint32_t src,
        const char *code, const char *head)
{
  CloudRunSecurityPolicy *p = cloudrun_security_policy_new (c);
  CloudRunSecurityVerdict v;

  cloudrun_security_policy_evaluate (p, src, code, (const uint8_t *) head,
                                     strlen (head), &v);
  /* The rule lives in p: keep what the tests read. */
  if (v.rule)
    {
      static char name[64];
      static CloudRunSecurityRule copy;
      g_strlcpy (name, v.rule->name, sizeof name);
      copy = (CloudRunSecurityRule) { .name = name,
                                      .priority = v.rule->priority };
      v.rule = &copy;
    }
  cloudrun_security_policy_free (p);
  return v;
}

static void
test_security_policy__lowest_priority_number_first (void **state)
{
  /* Written deny first at 2000, allow at 100: the allow is read first. */
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "deny-office", .priority = 2000,
      .action = ARMOR_ACTION_DENY_404, .ranges = office, .n_ranges = 2 },
    { .name = "allow-office", .priority = 100, .action = ARMOR_ACTION_ALLOW,
      .ranges = office, .n_ranges = 2 },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_DENY_403, rules,
                                     2 };
  CloudRunSecurityVerdict v = decide (&c, IP (198, 51, 100, 7), NULL, BARE);
  (void) state;

  assert_non_null (v.rule);
  assert_string_equal (v.rule->name, "allow-office");
  assert_int_equal (v.status, 0);
  assert_int_equal (v.range, 0);
  v = decide (&c, IP (192, 0, 2, 15), NULL, BARE);
  assert_int_equal (v.range, 1);
}

static void
test_security_policy__default_rule_when_none_matches (void **state)
{
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "allow-office", .priority = 100, .action = ARMOR_ACTION_ALLOW,
      .ranges = office, .n_ranges = 2 },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_DENY_502, rules,
                                     1 };
  /* 192.0.2.16 is just past the /28. */
  CloudRunSecurityVerdict v = decide (&c, IP (192, 0, 2, 16), NULL, BARE);
  (void) state;

  assert_null (v.rule);
  assert_int_equal (v.action, ARMOR_ACTION_DENY_502);
  assert_int_equal (v.status, 502);
  c.default_action = ARMOR_ACTION_ALLOW;
  v = decide (&c, IP (192, 0, 2, 16), NULL, BARE);
  assert_null (v.rule);
  assert_int_equal (v.status, 0);
}

static void
test_security_policy__region_codes (void **state)
{
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "allow-fr", .priority = 10, .action = ARMOR_ACTION_ALLOW,
      .region_codes = fr },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_DENY_403, rules,
                                     1 };
  CloudRunGeoRange geo[] = { { { IP (203, 0, 113, 0), 25 }, "BE" },
                             { { IP (203, 0, 113, 128), 25 }, "US" } };
  const char *be = cloudrun_geo_region_code (geo, 2, IP (203, 0, 113, 9));
  const char *us = cloudrun_geo_region_code (geo, 2, IP (203, 0, 113, 200));
  (void) state;

  assert_string_equal (be, "BE");
  assert_string_equal (us, "US");
  assert_null (cloudrun_geo_region_code (geo, 2, IP (8, 8, 8, 8)));
  assert_int_equal (decide (&c, 1, be, BARE).status, 0);
  assert_int_equal (decide (&c, 1, us, BARE).status, 403);
  /* An address with no known region matches no region code. */
  assert_int_equal (decide (&c, 1, NULL, BARE).status, 403);
}

static void
test_security_policy__header_present_or_equal (void **state)
{
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "canary", .priority = 5, .action = ARMOR_ACTION_DENY_404,
      .header = "x-canary:yes" },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_ALLOW, rules, 1 };
  static const char other[] =
    "GET / HTTP/1.1\r\nHost: a\r\nx-canary: no\r\n\r\n";
  static const char same_length[] =
    "GET / HTTP/1.1\r\nHost: a\r\nx-canary: yep\r\n\r\n";
  (void) state;

  assert_int_equal (decide (&c, 1, NULL, HEAD).status, 404);
  assert_int_equal (decide (&c, 1, NULL, other).status, 0);
  assert_int_equal (decide (&c, 1, NULL, same_length).status, 0);
  assert_int_equal (decide (&c, 1, NULL, BARE).status, 0);
  /* Present with any value, an empty one included; the name is matched
   * whatever its case. */
  rules[0].header = "X-Empty";
  assert_int_equal (decide (&c, 1, NULL, HEAD).status, 404);
  assert_int_equal (decide (&c, 1, NULL, BARE).status, 0);
}

static void
test_security_policy__every_condition_must_hold (void **state)
{
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "office-canary", .priority = 1, .action = ARMOR_ACTION_ALLOW,
      .ranges = office, .n_ranges = 1, .region_codes = fr,
      .header = "x-canary:yes" },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_DENY_403, rules,
                                     1 };
  uint32_t in = IP (198, 51, 100, 1), out = IP (198, 51, 101, 1);
  (void) state;

  assert_int_equal (decide (&c, in, "FR", HEAD).status, 0);
  assert_int_equal (decide (&c, out, "FR", HEAD).status, 403);
  assert_int_equal (decide (&c, in, "DE", HEAD).status, 403);
  assert_int_equal (decide (&c, in, "FR", BARE).status, 403);
}

static void
test_security_policy__explains_rule_and_condition (void **state)
{
  CloudRunSecurityRuleConfig rules[] = {
    { .name = "allow-office", .priority = 100, .action = ARMOR_ACTION_ALLOW,
      .ranges = office, .n_ranges = 2 },
  };
  CloudRunSecurityPolicyConfig c = { "edge", ARMOR_ACTION_DENY_403, rules,
                                     1 };
  CloudRunSecurityPolicy *p = cloudrun_security_policy_new (&c);
  SimExplainLog *log = sim_explain_log_new ();
  CloudRunSecurityVerdict v;
  (void) state;

  cloudrun_security_policy_evaluate (p, IP (192, 0, 2, 3), NULL,
                                     (const uint8_t *) BARE, strlen (BARE),
                                     &v);
  assert_string_equal (cloudrun_security_verdict_text (p, &v,
                                                       IP (192, 0, 2, 3),
                                                       NULL, log),
                       "security policy edge: rule allow-office (priority "
                       "100) matched origin.ip 192.0.2.3 in 192.0.2.0/28: "
                       "allow");
  cloudrun_security_policy_evaluate (p, IP (8, 8, 8, 8), "US",
                                     (const uint8_t *) BARE, strlen (BARE),
                                     &v);
  assert_string_equal (cloudrun_security_verdict_text (p, &v, IP (8, 8, 8, 8),
                                                       "US", log),
                       "security policy edge: no rule matched origin.ip "
                       "8.8.8.8 (region code US), so the default rule "
                       "(priority 2147483647) decides: deny-403");
  sim_explain_log_free (log);
  cloudrun_security_policy_free (p);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_security_policy__lowest_priority_number_first),
    cmocka_unit_test (test_security_policy__default_rule_when_none_matches),
    cmocka_unit_test (test_security_policy__region_codes),
    cmocka_unit_test (test_security_policy__header_present_or_equal),
    cmocka_unit_test (test_security_policy__every_condition_must_hold),
    cmocka_unit_test (test_security_policy__explains_rule_and_condition),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
