/* Tests for how outputs say they were made (tools/report/provenance.c,
 * tools/report/check-report.c, models/format/key-format.c; issue 22 item
 * 3): the file's digest, the seed and its source, the overrides as typed,
 * each assumption in force with where it came from; JUnit's properties,
 * time and a classname Jenkins does not split at ".ini"; TAP's comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "models/format/scenario-private.h"
#include "tools/report/expect.h"
#include "tools/report/check-report.h"
#include "tools/report/provenance.h"

static const char text[] = "[scenario]\nformat = 1\ntitle = t\nseed = 7\n\n"
                           "[assumptions]\nnat-enables-pga = false\n";
/* sha256sum of text. */
#define TEXT_SHA256 \
  "e5629744fcd5c50e42e552ef6236dd2461c9f95d96df9b5c63dba34de8a7014d"

static ToolsProvenance *
provenance_of (const char *path, const char *const *sets,
               const char *const *unsets, gboolean seed_given)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CloudRunScenario) sc = cloudrun_scenario_load_full (
      path, text, sizeof text - 1, sets, unsets, &error);

  assert_null (error);
  return tools_provenance_new (sc, text, sizeof text - 1, sets, unsets,
                               seed_given);
}

static ToolsProvenance *
provenance (const char *const *sets, const char *const *unsets,
            gboolean seed_given)
{
  return provenance_of ("dir.v2/s.ini", sets, unsets, seed_given);
}

static const ToolsAssumption *
assumption (const ToolsProvenance *p, const char *key)
{
  for (guint i = 0; i < p->assumptions->len; i++)
    if (strcmp (g_array_index (p->assumptions, ToolsAssumption, i).key,
                key) == 0)
      return &g_array_index (p->assumptions, ToolsAssumption, i);
  fail_msg ("no assumption %s", key);
  return NULL;
}

/* The file as written: its digest, its seed, no overrides; every
 * assumption key listed once, the file's marked as the file's. */
static void
test_provenance__as_written (void **state)
{
  g_autoptr (ToolsProvenance) p = provenance (NULL, NULL, FALSE);
  const CloudRunKindInfo *info = cloudrun_kind_info (CLOUDRUN_KIND_ASSUMPTIONS);
  g_autoptr (GString) out = g_string_new (NULL);

  (void) state;
  assert_string_equal (p->sha256, TEXT_SHA256);
  assert_string_equal (p->program, "cloudrun-netsim " PACKAGE_VERSION);
  assert_int_equal (p->seed, 7);
  assert_string_equal (p->seed_source, "file");
  assert_int_equal (p->overrides->len, 0);
  assert_null (tools_provenance_overrides (p));
  assert_int_equal (p->assumptions->len, info->n_keys);
  assert_string_equal (assumption (p, "nat-enables-pga")->value, "false");
  assert_string_equal (assumption (p, "nat-enables-pga")->source, "file");
  assert_string_equal (assumption (p, "ingress-denied-status")->value, "404");
  assert_string_equal (assumption (p, "ingress-denied-status")->source,
                       "default");
  assert_string_equal (assumption (p, "instance-idle-timeout")->value, "15m");
  assert_string_equal (assumption (p, "pending-wait")->value, "unset");
  assert_string_equal (assumption (p, "connector-google-access")->value,
                       "implicit");
  assert_true (g_str_has_prefix (assumption (p, "private-ranges")->value,
                                 "10.0.0.0/8;172.16.0.0/12;"));
  tools_provenance_text (out, p);
  assert_non_null (strstr (out->str, "SHA-256 " TEXT_SHA256 ", seed 7 (the "
                                     "file's)\n"));
  assert_non_null (strstr (out->str, "overrides: none: the file as "
                                     "written\n"));
  assert_non_null (strstr (out->str, "nat-enables-pga = false (file), "));
  assert_non_null (strstr (out->str, "ingress-denied-status = 404, "));
}

/* --set, --unset and --seed: each listed as typed, in that order; the
 * assumption set by --set is marked so, the one unset is the default
 * again; a value with a space is quoted for a shell on the one line. */
static void
test_provenance__overrides (void **state)
{
  const char *const sets[] = { "assumptions.pending-wait=5s",
                               "assumptions.ingress-denied-status=403",
                               "scenario.title=a b", NULL };
  const char *const unsets[] = { "assumptions.nat-enables-pga", NULL };
  g_autoptr (ToolsProvenance) p = provenance (sets, unsets, TRUE);
  g_autofree char *line = tools_provenance_overrides (p);

  (void) state;
  assert_string_equal (p->seed_source, "--seed");
  assert_int_equal (p->overrides->len, 5);
  assert_string_equal (p->overrides->pdata[0],
                       "--set assumptions.pending-wait=5s");
  assert_string_equal (p->overrides->pdata[3],
                       "--unset assumptions.nat-enables-pga");
  assert_string_equal (p->overrides->pdata[4], "--seed 7");
  assert_string_equal (line, "--set assumptions.pending-wait=5s --set "
                             "assumptions.ingress-denied-status=403 --set "
                             "'scenario.title=a b' --unset "
                             "assumptions.nat-enables-pga --seed 7");
  assert_string_equal (assumption (p, "pending-wait")->value, "5s");
  assert_string_equal (assumption (p, "pending-wait")->source, "--set");
  assert_string_equal (assumption (p, "ingress-denied-status")->value, "403");
  assert_string_equal (assumption (p, "nat-enables-pga")->value, "true");
  assert_string_equal (assumption (p, "nat-enables-pga")->source, "default");
}

/* A seed from --set scenario.seed is the --set's, not the file's; a
 * path that is not UTF-8 becomes valid UTF-8 (U+FFFD), as JSON and
 * pcapng need (the loader refuses such --set values). */
static void
test_provenance__seed_by_set_and_bad_bytes (void **state)
{
  const char *const sets[] = { "scenario.seed=99", NULL };
  g_autoptr (ToolsProvenance) p = provenance_of ("bad\xff\xfe.ini", sets,
                                                 NULL, FALSE);
  g_autoptr (GString) out = g_string_new (NULL);

  (void) state;
  assert_int_equal (p->seed, 99);
  assert_string_equal (p->seed_source, "--set");
  assert_string_equal (p->file, "bad\xef\xbf\xbd\xef\xbf\xbd.ini");
  tools_provenance_text (out, p);
  assert_non_null (strstr (out->str, ", seed 99 (given by --set)\n"));
}

/* A copy is deep: it outlives the original. */
static void
test_provenance__copy (void **state)
{
  const char *const sets[] = { "assumptions.pending-wait=5s", NULL };
  ToolsProvenance *p = provenance (sets, NULL, FALSE);
  g_autoptr (ToolsProvenance) c = tools_provenance_copy (p);

  (void) state;
  tools_provenance_free (p);
  assert_string_equal (c->sha256, TEXT_SHA256);
  assert_string_equal (c->overrides->pdata[0],
                       "--set assumptions.pending-wait=5s");
  assert_string_equal (assumption (c, "pending-wait")->source, "--set");
}

/* Every key's default, formatted, parses back to the same text. */
static void
test_key_format__defaults_round_trip (void **state)
{
  (void) state;
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      g_autofree void *object = g_malloc0 (info->size);
      g_autofree void *again = g_malloc0 (info->size);

      for (guint i = 0; i < info->n_keys; i++)
        {
          const CloudRunKey *key = &info->keys[i];
          CloudRunProblem problem = { 0 };
          g_autoptr (GString) first = g_string_new (NULL);
          g_autoptr (GString) second = g_string_new (NULL);

          if (!key->default_text || !*key->default_text)
            continue;
          if (!cloudrun_key_parse (key, key->default_text, object, &problem))
            continue;           /* a default that needs the whole file */
          if (cloudrun_key_format (key, object, first))
            {
              assert_true (cloudrun_key_parse (key, first->str, again,
                                               &problem));
              assert_true (cloudrun_key_format (key, again, second));
              assert_string_equal (first->str, second->str);
              cloudrun_key_clear (key, again);
            }
          cloudrun_key_clear (key, object);
        }
    }
}

/* Every choice of every enum key prints as itself, where the choices
 * have values of their own too (an [expect]'s drop-cause). */
static void
test_key_format__every_choice (void **state)
{
  guint tried = 0;

  (void) state;
  for (int k = 0; k < CLOUDRUN_KIND_COUNT; k++)
    {
      const CloudRunKindInfo *info = cloudrun_kind_info ((CloudRunKind) k);
      g_autofree void *object = g_malloc0 (info->size);

      for (guint i = 0; i < info->n_keys; i++)
        {
          const CloudRunKey *key = &info->keys[i];

          if (key->type != CLOUDRUN_KEY_ENUM)
            continue;
          for (guint c = 0; key->choices[c]; c++)
            {
              CloudRunProblem problem = { 0 };
              g_autoptr (GString) out = g_string_new (NULL);

              assert_true (cloudrun_key_parse (key, key->choices[c], object,
                                               &problem));
              assert_true (cloudrun_key_format (key, object, out));
              assert_string_equal (out->str, key->choices[c]);
              tried++;
            }
        }
    }
  assert_true (tried > 100);
}

static ToolsCheckFile *
check_file (const char *path, const ToolsProvenance *p, gboolean pass)
{
  g_autoptr (GArray) checks = g_array_new (FALSE, TRUE,
                                           sizeof (CloudRunCheckItem));
  CloudRunCheckItem a = { .expect = (char *) "call",
                          .key = (char *) "outcome",
                          .expected = (char *) "delivered",
                          .found = (char *) "3 of 3", .pass = TRUE };
  CloudRunCheckItem b = { .expect = (char *) "call",
                          .key = (char *) "status",
                          .expected = (char *) "200",
                          .found = (char *) (pass ? "3 of 3" : "0 of 3"),
                          .pass = pass };

  g_array_append_val (checks, a);
  g_array_append_val (checks, b);
  return tools_check_file_new (path, checks, p, 1.5, NULL);
}

/* JUnit: the suite's properties, its time and each case's share of it
 * (in any locale), and a classname without ".ini" whose only dots join
 * directories. */
static void
test_junit__properties_time_classname (void **state)
{
  const char *const sets[] = { "assumptions.pending-wait=5s", NULL };
  g_autoptr (ToolsProvenance) p = provenance (sets, NULL, FALSE);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tools_check_file_free);
  g_autoptr (GString) out = g_string_new (NULL);

  (void) state;
  g_ptr_array_add (files, check_file ("./scenarios/dir.v2/03-x.ini", p,
                                      FALSE));
  tools_check_report_junit (out, files);
  assert_non_null (strstr (out->str, "<testsuites name=\"cloudrun-netsim "
                                     "check\" tests=\"2\" failures=\"1\" "
                                     "errors=\"0\" time=\"1.500\">"));
  assert_non_null (strstr (out->str, "skipped=\"0\" time=\"1.500\">\n"
                                     "    <properties>\n"));
  assert_non_null (strstr (out->str, "<property name=\"scenario_sha256\" "
                                     "value=\"" TEXT_SHA256 "\"/>"));
  assert_non_null (strstr (out->str, "<property name=\"seed\" "
                                     "value=\"7\"/>"));
  assert_non_null (strstr (out->str, "<property name=\"override\" value=\""
                                     "--set assumptions.pending-wait=5s\"/>"));
  assert_non_null (strstr (out->str, "pending-wait = 5s (--set)"));
  assert_non_null (strstr (out->str, "<testcase classname=\"scenarios."
                                     "dir_v2.03-x\" name=\"[expect call] "
                                     "outcome\" time=\"0.750\"/>"));
  assert_null (strstr (out->str, "classname=\"./"));
}

/* The load warnings travel with the provenance: report.txt's lines, a
 * TAP comment and a JUnit property each; a copy keeps them; a scenario
 * without any has none. */
static void
test_provenance__warnings (void **state)
{
  static const char one_sided[] =
    "[scenario]\nformat = 1\ntitle = t\n"
    "[network a]\n[network b]\n[peering a-b]\nnetwork = a\n"
    "peer-network = b\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CloudRunScenario) sc = cloudrun_scenario_load (
      "w.ini", one_sided, sizeof one_sided - 1, NULL, &error);
  g_autoptr (ToolsProvenance) p = tools_provenance_new (
      sc, one_sided, sizeof one_sided - 1, NULL, NULL, FALSE);
  g_autoptr (ToolsProvenance) c = tools_provenance_copy (p);
  g_autoptr (ToolsProvenance) none = provenance (NULL, NULL, FALSE);
  g_autoptr (GString) txt = g_string_new (NULL);
  g_autoptr (GString) tap = g_string_new (NULL);
  g_autoptr (GString) junit = g_string_new (NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tools_check_file_free);

  (void) state;
  assert_null (error);
  assert_int_equal (p->warnings->len, 1);
  assert_int_equal (c->warnings->len, 1);
  assert_int_equal (none->warnings->len, 0);
  assert_true (g_str_has_prefix (c->warnings->pdata[0],
                                 "[peering a-b] peer-network: network 'b' "
                                 "has no [peering] back to 'a'"));
  tools_provenance_text (txt, p);
  assert_non_null (strstr (txt->str, "\nwarning: [peering a-b] "));
  g_ptr_array_add (files, check_file ("w.ini", p, TRUE));
  tools_check_report_tap (tap, files);
  assert_non_null (strstr (tap->str, "\n# w.ini: warning: [peering a-b] "));
  tools_check_report_junit (junit, files);
  assert_non_null (strstr (junit->str, "<property name=\"warning\" "
                                       "value=\"[peering a-b] "));
}

/* TAP: one comment per file with its provenance, before its points; a
 * file that did not load has none. */
static void
test_tap__provenance_comment (void **state)
{
  g_autoptr (ToolsProvenance) p = provenance (NULL, NULL, FALSE);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tools_check_file_free);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = g_error_new_literal (G_FILE_ERROR, 0, "no");

  (void) state;
  g_ptr_array_add (files, check_file ("a.ini", p, TRUE));
  g_ptr_array_add (files, tools_check_file_new ("b.ini", NULL, NULL, 0,
                                                error));
  tools_check_report_tap (out, files);
  assert_true (g_str_has_prefix (out->str, "TAP version 13\n1..3\n# a.ini: "
                                 "cloudrun-netsim " PACKAGE_VERSION
                                 ", SHA-256 " TEXT_SHA256 ", seed 7 (file), "
                                 "overrides: none, assumptions: "));
  assert_non_null (strstr (out->str, "\nok 1 - a.ini [expect call] "
                                     "outcome\n"));
  assert_null (strstr (out->str, "# b.ini:"));
}

/* Control characters and bad bytes in a path: TAP keeps each line one
 * line with no raw escape; JUnit stays XML 1.0 (no control character,
 * valid UTF-8). */
static void
test_check_report__hostile_path (void **state)
{
  g_autoptr (ToolsProvenance) p = provenance (NULL, NULL, FALSE);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (
      (GDestroyNotify) tools_check_file_free);
  g_autoptr (GString) tap = g_string_new (NULL);
  g_autoptr (GString) junit = g_string_new (NULL);

  (void) state;
  g_ptr_array_add (files, check_file ("x\x1b[31m\ty\xff\n.ini", p, TRUE));
  tools_check_report_tap (tap, files);
  tools_check_report_junit (junit, files);
  assert_null (strchr (tap->str, '\x1b'));
  assert_null (strchr (tap->str, '\t'));
  assert_true (g_utf8_validate (tap->str, -1, NULL));
  assert_non_null (strstr (tap->str, "\n# x?[31m y\xef\xbf\xbd .ini: "));
  assert_null (strchr (junit->str, '\x1b'));
  assert_true (g_utf8_validate (junit->str, -1, NULL));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_provenance__as_written),
    cmocka_unit_test (test_provenance__overrides),
    cmocka_unit_test (test_provenance__seed_by_set_and_bad_bytes),
    cmocka_unit_test (test_provenance__copy),
    cmocka_unit_test (test_provenance__warnings),
    cmocka_unit_test (test_key_format__defaults_round_trip),
    cmocka_unit_test (test_key_format__every_choice),
    cmocka_unit_test (test_junit__properties_time_classname),
    cmocka_unit_test (test_tap__provenance_comment),
    cmocka_unit_test (test_check_report__hostile_path),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
