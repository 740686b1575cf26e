/* Tests for the scenario loader's address plan (models/format/
 * scenario-check-address.c) and the list values it depends on: an address
 * written twice is refused naming both groups; addresses Google or the
 * simulator own, a public PSC endpoint, a private external load balancer
 * or NAT address are refused; default addresses skip every written one;
 * a required list is never empty; one Cloud NAT per subnet. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "models/format/scenario.h"

#define IP(a, b, c, d) \
  ((uint32_t) (a) << 24 | (uint32_t) (b) << 16 | (uint32_t) (c) << 8 \
   | (uint32_t) (d))

/* A valid head: one network with a subnet in each of two regions. */
static const char head[] =
  "[scenario]\nformat = 1\ntitle = t\n"
  "[service s]\nregion = us-central1\n"
  "[network n]\n"
  "[subnet a]\nnetwork = n\nregion = us-central1\nrange = 10.0.0.0/24\n"
  "[subnet b]\nnetwork = n\nregion = europe-west1\nrange = 10.1.0.0/24\n";

static CloudRunScenario *
load (const char *tail, char **message)
{
  g_autofree char *text = g_strconcat (head, tail, NULL);
  g_autoptr (GError) error = NULL;
  CloudRunScenario *s = cloudrun_scenario_load ("test.ini", text,
                                                strlen (text), NULL, &error);

  *message = s ? NULL : g_strdup (error->message);
  return s;
}

static CloudRunScenario *
load_ok (const char *tail)
{
  g_autofree char *message = NULL;
  CloudRunScenario *s = load (tail, &message);

  if (s == NULL)
    fail_msg ("load failed: %s", message);
  return s;
}

typedef struct {
  const char *tail;             /* appended to head */
  const char *want;             /* the whole message, or NULL: loads */
} Case;

static void
run_cases (const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *message = NULL;
      CloudRunScenario *s = load (cases[i].tail, &message);
      if (cases[i].want == NULL)
        {
          if (s == NULL)
            fail_msg ("case %zu refused: %s", i, message);
          cloudrun_scenario_free (s);
          continue;
        }
      if (s != NULL)
        {
          cloudrun_scenario_free (s);
          fail_msg ("case %zu loaded, want: %s", i, cases[i].want);
        }
      if (strcmp (message, cases[i].want) != 0)
        fail_msg ("case %zu:\n  got:  %s\n  want: %s", i, message,
                  cases[i].want);
    }
}

/* ---- Lists -------------------------------------------------------- */

static void
test_address_plan__required_list_not_empty (void **state)
{
  static const Case cases[] = {
    { "[firewall f]\nnetwork = n\ndirection = egress\naction = allow\n"
      "ranges =\n",
      "test.ini: [firewall f] ranges: expected CIDR ranges separated by "
      "';', such as 10.0.0.0/8;192.168.0.0/16, found nothing" },
  };
  /* An optional list may be empty. */
  g_autoptr (CloudRunScenario) s = load_ok ("[dns-zone z]\n"
                                            "dns-name = example.com.\n"
                                            "records =\n");

  (void) state;
  assert_int_equal (((CloudRunDnsZone *) s->dns_zones->pdata[0])->records->len,
                    0);
  run_cases (cases, G_N_ELEMENTS (cases));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_address_plan__required_list_not_empty),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
