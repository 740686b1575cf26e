/* [expect] evaluation (see models/build/expect.h). */
#include "models/build/expect.h"

#include <math.h>
#include <string.h>

#include "models/build/translate.h"
#include "sim/units.h"

typedef gboolean (*RequestTest) (const CloudRunRequest *r,
                                 const CloudRunExpect *e);

static gboolean
test_outcome (const CloudRunRequest *r, const CloudRunExpect *e)
{
  return r->outcome == build_verdict (e->outcome);
}

static gboolean
test_status (const CloudRunRequest *r, const CloudRunExpect *e)
{
  return r->status == e->status;
}

static gboolean
test_classified (const CloudRunRequest *r, const CloudRunExpect *e)
{
  return r->classified == build_class (e->classified_as);
}

static gboolean
test_drop_cause (const CloudRunRequest *r, const CloudRunExpect *e)
{
  return r->drop_cause == build_drop_cause (e->drop_cause);
}

static gboolean
test_decided_at (const CloudRunRequest *r, const CloudRunExpect *e)
{
  return r->decided_at == build_hop_kind (e->decided_at);
}

/* The expected hops appear in order; others may come between. */
static gboolean
test_via (const CloudRunRequest *r, const CloudRunExpect *e)
{
  guint k = 0;

  for (uint8_t i = 0; i < r->n_via && k < e->via->len; i++)
    if (r->via[i] == build_hop_kind (g_array_index (e->via, int, k)))
      k++;
  return k == e->via->len;
}

/* What a request shows for a key, for the "found" text. */
static char *
request_shows (const CloudRunRequest *r, const char *key)
{
  GString *s;

  if (strcmp (key, "outcome") == 0)
    return g_strdup (cloudrun_verdict_name (r->outcome));
  if (strcmp (key, "status") == 0)
    return g_strdup_printf ("%d", r->status);
  if (strcmp (key, "classified-as") == 0)
    return g_strdup (r->classified ? cloudrun_class_name (r->classified)
                                   : "not classified (never reached the GFE)");
  if (strcmp (key, "drop-cause") == 0)
    return g_strdup (r->drop_cause ? cloudrun_drop_cause_name (r->drop_cause)
                                   : "no drop");
  if (strcmp (key, "decided-at") == 0)
    return g_strdup (cloudrun_hop_name (r->decided_at));
  s = g_string_new (NULL);
  for (uint8_t i = 0; i < r->n_via; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "", cloudrun_hop_name (r->via[i]));
  return g_string_free (s, FALSE);
}

static void
check_requests (GArray *items, CloudRunWorld *world,
                const CloudRunTrafficSummary *sum, const CloudRunExpect *e,
                const char *key, char *expected, RequestTest test)
{
  CloudRunCheckItem item = { e->base.name, key, expected, NULL, FALSE };
  uint32_t met = 0;
  const CloudRunRequest *first_miss = NULL;

  for (uint32_t i = 0; i < sum->count; i++)
    {
      const CloudRunRequest *r = cloudrun_ledger_get (&world->ledger,
                                                      sum->first + i);
      if (test (r, e))
        met++;
      else if (!first_miss)
        first_miss = r;
    }
  item.pass = sum->count > 0 && met >= ceil (e->ratio * sum->count - 1e-9);
  if (first_miss)
    {
      g_autofree char *shows = request_shows (first_miss, key);
      item.found = g_strdup_printf ("%u of %u requests; request %u shows %s",
                                    met, sum->count,
                                    first_miss->index + 1, shows);
    }
  else
    item.found = g_strdup_printf ("%u of %u requests", met, sum->count);
  g_array_append_val (items, item);
}

static void
check_latency (GArray *items, const CloudRunTrafficSummary *sum,
               const CloudRunExpect *e, const char *key, SimTime bound,
               SimTime value)
{
  char b[32], v[32];
  CloudRunCheckItem item = { e->base.name, key, NULL, NULL, FALSE };

  item.expected = g_strdup_printf ("below %s", sim_units_format_time (bound, b));
  item.pass = sum->responses > 0 && value < bound;
  item.found = sum->responses > 0
               ? g_strdup_printf ("%s over %u responses",
                                  sim_units_format_time (value, v),
                                  sum->responses)
               : g_strdup ("no request got a response");
  g_array_append_val (items, item);
}

static void
check_item_clear (gpointer p)
{
  CloudRunCheckItem *item = p;

  g_free (item->expected);
  g_free (item->found);
}

static char *
expect_enum (const char *key, int value)
{
  return g_strdup (cloudrun_enum_name (CLOUDRUN_KIND_EXPECT, key, value));
}

static char *
expect_via (const CloudRunExpect *e)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < e->via->len; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "",
                            cloudrun_hop_kinds[g_array_index (e->via, int, i)]);
  return g_string_free (s, FALSE);
}

static void
check_one (GArray *items, const CloudRunExpect *e, CloudRunWorld *world,
           const CloudRunTrafficSummary *sum)
{
  const CloudRunObject *o = &e->base;

  if (cloudrun_object_has (o, "outcome"))
    check_requests (items, world, sum, e, "outcome",
                    expect_enum ("outcome", e->outcome), test_outcome);
  if (cloudrun_object_has (o, "status"))
    check_requests (items, world, sum, e, "status",
                    g_strdup_printf ("%" G_GINT64_FORMAT, e->status),
                    test_status);
  if (cloudrun_object_has (o, "classified-as"))
    check_requests (items, world, sum, e, "classified-as",
                    expect_enum ("classified-as", e->classified_as),
                    test_classified);
  if (cloudrun_object_has (o, "drop-cause"))
    check_requests (items, world, sum, e, "drop-cause",
                    expect_enum ("drop-cause", e->drop_cause), test_drop_cause);
  if (cloudrun_object_has (o, "decided-at"))
    check_requests (items, world, sum, e, "decided-at",
                    expect_enum ("decided-at", e->decided_at), test_decided_at);
  if (cloudrun_object_has (o, "via"))
    check_requests (items, world, sum, e, "via", expect_via (e), test_via);
  if (cloudrun_object_has (o, "latency-p50-below"))
    check_latency (items, sum, e, "latency-p50-below", e->latency_p50_below,
                   sum->p50);
  if (cloudrun_object_has (o, "latency-p99-below"))
    check_latency (items, sum, e, "latency-p99-below", e->latency_p99_below,
                   sum->p99);
}

GArray *
cloudrun_expect_evaluate (const CloudRunScenario *sc, CloudRunWorld *world,
                          const CloudRunTrafficSummary *summaries)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (CloudRunCheckItem));

  g_array_set_clear_func (items, check_item_clear);
  for (guint i = 0; i < sc->expects->len; i++)
    {
      const CloudRunExpect *e = g_ptr_array_index (sc->expects, i);
      guint t;
      for (t = 0; t < sc->traffics->len; t++)
        if (g_ptr_array_index (sc->traffics, t) == e->traffic)
          break;
      g_assert (t < sc->traffics->len);
      check_one (items, e, world, &summaries[t]);
    }
  return items;
}

guint
cloudrun_expect_failures (const GArray *items)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    n += !g_array_index (items, CloudRunCheckItem, i).pass;
  return n;
}
