/* `cloudrun-netsim reach FILE`: every caller of the scenario against
 * every service, at each way in, each pair simulated in a world of its
 * own (tools/cli/reach.h); the matrix as text, markdown, JSON, CSV or
 * JUnit, checked against --intents. --shard I/N runs one slice as JSON,
 * --merge joins slices; --jobs fans the slices out over processes.
 * Exit status: 0, 1 an intent violated, 2 a usage, scenario or input
 * error. */
#include "tools/cli/reach.h"

#include <stdio.h>
#include <string.h>

#define S00 "scenarios/00-tour.ini"
static const char examples[] =
  "Callers: each [service], [job], [worker-pool], [vm], [client] and\n"
  "[google-caller], and a client on the internet (internet-user) when\n"
  "there is no [client].\n"
  "Ways in: each service's run.app URL, and each load balancer whose\n"
  "backend it is. Each pair is one world: the scenario without its\n"
  "[traffic], [expect] and [sweep] groups, plus one [traffic reach].\n"
  "Cells: int/ext (the GFE's classification) and the HTTP status, or\n"
  "drop, dns, timeout, vpc-sc. Intents, one per line:\n"
  "  web may call api | the internet must not reach api\n"
  "  every caller in project shop reaches billing internally\n"
  "\n"
  "Examples:\n"
  "  cloudrun-netsim reach " S00 "\n"
  "  cloudrun-netsim reach " S00 " --format markdown --intents intents.txt\n"
  "  seq 1 8 | parallel cloudrun-netsim reach " S00 " --shard {}/8 \\\n"
  "      -o slice-{}.json\n"
  "  cloudrun-netsim reach --merge slice-*.json --format csv";

/* The most processes --jobs runs at once. */
#define MAX_JOBS 1024

static int
usage (const char *fmt, const char *a)
{
  fputs ("cloudrun-netsim reach: ", stderr);
  fprintf (stderr, fmt, a);
  fputc ('\n', stderr);
  return TOOLS_EXIT_USAGE;
}

/* "I/N" with 1 <= I <= N. */
static gboolean
parse_shard (const char *text, guint *i, guint *n)
{
  const char *slash = text ? strchr (text, '/') : NULL;
  g_autofree char *a = slash ? g_strndup (text, (gsize) (slash - text)) : NULL;
  guint64 x, y;

  if (!slash || !*a || !slash[1] || strspn (a, "0123456789") != strlen (a)
      || strspn (slash + 1, "0123456789") != strlen (slash + 1)
      || !g_ascii_string_to_unsigned (a, 10, 1, G_MAXINT, &x, NULL)
      || !g_ascii_string_to_unsigned (slash + 1, 10, 1, G_MAXINT, &y, NULL)
      || x > y)
    return FALSE;
  *i = (guint) x;
  *n = (guint) y;
  return TRUE;
}

/* The slices named, merged. */
static ReachMatrix *
merge_files (int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) slices = g_ptr_array_new_with_free_func (
      (GDestroyNotify) reach_matrix_free);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *data = NULL;
      gsize len;
      GError *local = NULL;
      ReachMatrix *m;

      if (!g_file_get_contents (argv[i], &data, &len, &local))
        {
          g_set_error (error, CLOUDRUN_SESSION_ERROR,
                       CLOUDRUN_SESSION_ERROR_USAGE, "--merge: %s",
                       local->message);
          g_error_free (local);
          return NULL;
        }
      if (!(m = reach_matrix_from_json (argv[i], data, len, error)))
        return NULL;
      g_ptr_array_add (slices, m);
      g_ptr_array_add (names, g_strdup (argv[i]));
    }
  return reach_matrix_merge (slices, names, error);
}

static int
emit (const GString *out, const char *output)
{
  GError *error = NULL;
  g_autoptr (GString) copy = NULL;

  if (!output)
    {
      fwrite (out->str, 1, out->len, stdout);
      return 0;
    }
  copy = g_string_new_len (out->str, (gssize) out->len);
  if (!cloudrun_write_file (output, copy, &error))
    return tools_cli_fail (error);
  return 0;
}

int
tools_cmd_reach (int argc, char **argv)
{
  g_autofree char *format_text = NULL, *output = NULL, *identity = NULL;
  g_autofree char *shard_text = NULL, *intents_file = NULL;
  g_auto (ToolsCliEdits) edits = { 0 };
  gint64 count = 1, jobs = g_get_num_processors ();
  gboolean merge = FALSE, no_what_if = FALSE;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      "text (default), markdown, json, csv or junit", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write to FILE instead of standard output", "FILE" },
    { "count", 'n', 0, G_OPTION_ARG_INT64, &count,
      "Requests per pair (default 1)", "N" },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &identity,
      "id-token (default: each caller sends its ID token) or none", "WHAT" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT64, &jobs,
      "Processes to run the pairs in (default: the core count)", "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      "Run slice I of N only (pairs I, I+N, ...), as JSON", "I/N" },
    { "merge", 0, 0, G_OPTION_ARG_NONE, &merge,
      "The operands are JSON slices to join into one matrix", NULL },
    { "intents", 'i', 0, G_OPTION_ARG_FILENAME, &intents_file,
      "Check the matrix against FILE's intents (exit 1 if one fails)",
      "FILE" },
    { "no-what-if", 0, 0, G_OPTION_ARG_NONE, &no_what_if,
      "Explain a violation without re-simulating setting changes", NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &edits.seed,
      "Override the seed (0 to 18446744073709551615)", "N" },
    { NULL },
  };
  ReachFormat format;
  ReachOptions options = { 1, TRUE, &edits };
  g_autoptr (ReachPlan) plan = NULL;
  g_autoptr (ReachMatrix) merged = NULL;
  g_autoptr (ReachIntents) intents = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) report = g_string_new (NULL);
  ReachMatrix *m;
  char ***failed = NULL;
  CloudRunEdits checked;
  char number[32];
  guint shard = 1, shards = 1, violated = 0;
  GError *error = NULL;
  int status;
  g_auto (ToolsCliScenario) scenario = { 0 };

  if (!tools_cli_parse ("reach", "FILE... | --merge SLICE.json...", examples,
                        entries, &edits, &argc, &argv))
    return TOOLS_EXIT_USAGE;
  if (!reach_format_parse ("reach", format_text, FALSE, &format))
    return TOOLS_EXIT_USAGE;
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, count);
  if (count < 1 || count > 1000)
    return usage ("--count: expected a number from 1 to 1000, found %s",
                  number);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, jobs);
  if (jobs < 1 || jobs > MAX_JOBS)
    return usage ("--jobs: expected a number from 1 to 1024, found %s",
                  number);
  if (!tools_cli_edits ("reach", &edits, &checked))
    return TOOLS_EXIT_USAGE;
  if (identity && strcmp (identity, "none") != 0
      && strcmp (identity, "id-token") != 0)
    return usage ("--identity: expected id-token or none, found '%s'",
                  identity);
  options.count = (guint) count;
  options.id_token = !identity || strcmp (identity, "id-token") == 0;
  if (shard_text && !parse_shard (shard_text, &shard, &shards))
    return usage ("--shard: expected I/N with 1 <= I <= N, such as 3/8, "
                  "found '%s'", shard_text);
  if (shard_text && format_text && format != REACH_FORMAT_JSON)
    return usage ("--shard writes a JSON slice (for --merge); --format %s "
                  "goes with the merge", format_text);
  if (merge && (shard_text || edits.sets || edits.unsets || edits.seed))
    return usage ("--merge joins slices as they are: no --shard, --set, "
                  "--unset or --seed with it%s", "");
  if (merge)
    {
      if (argc < 2)
        return usage ("--merge: expected the JSON slices%s", "");
      if (!(merged = merge_files (argc, argv, &error)))
        return tools_cli_fail (error);
      m = merged;
    }
  else
    {
      if (argc < 2)
        return usage ("expected a scenario FILE, configurations to import "
                      "(or --merge SLICE.json...)%s", "");
      if (!tools_cli_scenario_of ((const char *const *) argv + 1,
                                  (guint) argc - 1, &scenario, &error)
          || !(plan = reach_plan_new (scenario.path, &options, &error)))
        return tools_cli_fail (error);
      m = plan->matrix;
      if (m->n_pairs == 0)
        return usage ("%s: no [service] to call", argv[1]);
      /* The intents first: a bad line is an error before the runs. */
      if (intents_file
          && !(intents = reach_intents_load (intents_file, m, &error)))
        return tools_cli_fail (error);
      if (shard_text)
        {
          if (!reach_run_shard (plan, shard, shards, &error))
            return tools_cli_fail (error);
          reach_render_json (m, out);
          return emit (out, output);
        }
      if (!reach_run_all (plan, scenario.path, (guint) jobs, &error))
        return tools_cli_fail (error);
    }
  if (intents_file && !intents
      && !(intents = reach_intents_load (intents_file, m, &error)))
    return tools_cli_fail (error);
  if (intents)
    violated = reach_intents_check (intents, m, plan, !no_what_if, report,
                                    &failed);
  reach_render (m, format, failed, out);
  if (intents && format == REACH_FORMAT_TEXT)
    g_string_append_printf (out, "\n%s", report->str);
  else if (intents && format == REACH_FORMAT_MARKDOWN)
    g_string_append_printf (out, "\n```\n%s```\n", report->str);
  else if (intents)
    fputs (report->str, stderr);
  for (guint i = 0; failed && i < m->n_pairs; i++)
    g_strfreev (failed[i]);
  g_free (failed);
  status = emit (out, output);
  return status ? status : violated ? TOOLS_EXIT_EXPECT : 0;
}
