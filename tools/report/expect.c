/* [expect] evaluation (see tools/report/expect.h). */
#include "tools/report/expect.h"

#include <math.h>
#include <string.h>

#include "models/world/request.h"
#include "sim/units.h"
#include "sim/wire.h"

typedef gboolean (*RequestTest) (const CloudRunRequest *r,
                                 const CloudRunSpecExpect *e);

static gboolean
test_outcome (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->outcome == e->outcome;
}

static gboolean
test_status (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->status == e->status;
}

static gboolean
test_classified (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->classified == e->classified_as;
}

static gboolean
test_drop_cause (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->drop_cause == e->drop_cause;
}

static gboolean
test_decided_at (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->decided_at == e->decided_at;
}

/* The expected hops appear in order; others may come between. */
static gboolean
test_via (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  guint k = 0;

  for (uint8_t i = 0; i < r->n_via && k < e->via->len; i++)
    if (r->via[i] == g_array_index (e->via, int, k))
      k++;
  return k == e->via->len;
}

/* The seen keys judge the requests their destination's server took
 * (seen_at set); the source only at a VM, a client or a managed instance,
 * whose server is the far end of the caller's packets (a container's
 * source is the GFE). */
static gboolean
test_source_seen (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return (r->seen_at == CLOUDRUN_HOP_VM || r->seen_at == CLOUDRUN_HOP_CLIENT
          || r->seen_at == CLOUDRUN_HOP_MANAGED_INSTANCE)
         && r->seen_src6 == NULL      /* an IPv4 range holds no IPv6 source */
         && (r->seen_src & sim_cidr_mask (e->source_seen.len))
            == e->source_seen.prefix;
}

/* Host names compare without regard to case (RFC 9110, 4.2.3). */
static gboolean
test_host_seen (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->seen_host != NULL
         && g_ascii_strcasecmp (r->seen_host, e->host_seen) == 0;
}

static gboolean
test_revision (const CloudRunRequest *r, const CloudRunSpecExpect *e)
{
  return r->revision != NULL
         && strcmp (r->revision, e->revision->base.name) == 0;
}

static gboolean
is_seen_key (const char *key)
{
  return strcmp (key, "source-seen") == 0 || strcmp (key, "host-seen") == 0;
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
  if (strcmp (key, "source-seen") == 0)
    {
      char a[SIM_IPV6_STRLEN];
      return g_strdup_printf ("%s (%s%s)", r->seen_src6
                              ? sim_ipv6_to_string (r->seen_src6, a)
                              : sim_ipv4_to_string (r->seen_src, a),
                              cloudrun_hop_name (r->seen_at),
                              r->seen_at == CLOUDRUN_HOP_SERVICE
                              ? ": a Cloud Run container sees the GFE, not "
                                "the caller" : "");
    }
  if (strcmp (key, "host-seen") == 0)
    return g_strdup (r->seen_host);
  if (strcmp (key, "revision") == 0)
    return g_strdup (r->revision ? r->revision
                                 : "no revision (never sent to one)");
  s = g_string_new (NULL);
  for (uint8_t i = 0; i < r->n_via; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "",
                            cloudrun_hop_name (r->via[i]));
  return g_string_free (s, FALSE);
}

/* One request key of one [expect] group, counted as requests settle. */
typedef struct {
  const CloudRunSpecExpect *e;
  const char *key;              /* outcome, status, ... (static) */
  RequestTest test;
  uint32_t traffic;             /* index of the expectation's traffic */
  uint32_t met;                 /* requests that meet it */
  uint32_t reached;             /* seen keys: requests the destination's
                                   server took (the others are not judged) */
  uint32_t miss_index;          /* lowest index that did not; UINT32_MAX */
  char *miss_shows;             /* what that one showed, owned */
} ExpectCount;

typedef struct {
  GArray *counts;               /* ExpectCount */
} ExpectWatch;

static const struct {
  const char *key;
  RequestTest test;
} request_keys[] = {
  { "outcome", test_outcome },
  { "status", test_status },
  { "classified-as", test_classified },
  { "drop-cause", test_drop_cause },
  { "decided-at", test_decided_at },
  { "via", test_via },
  { "source-seen", test_source_seen },
  { "host-seen", test_host_seen },
  { "revision", test_revision },
};

static void
expect_settle (void *user, const CloudRunRequest *r, uint32_t times)
{
  ExpectWatch *w = user;

  for (guint i = 0; i < w->counts->len; i++)
    {
      ExpectCount *c = &g_array_index (w->counts, ExpectCount, i);
      if (c->traffic != r->traffic)
        continue;
      if (is_seen_key (c->key))
        {
          if (r->seen_at == CLOUDRUN_HOP_NONE)
            continue;
          c->reached += times;
        }
      if (c->test (r, c->e))
        c->met += times;
      else if (r->index < c->miss_index)
        {
          c->miss_index = r->index;
          g_free (c->miss_shows);
          c->miss_shows = request_shows (r, c->key);
        }
    }
}

static void
expect_watch_free (gpointer p)
{
  ExpectWatch *w = p;

  for (guint i = 0; i < w->counts->len; i++)
    g_free (g_array_index (w->counts, ExpectCount, i).miss_shows);
  g_array_free (w->counts, TRUE);
  g_free (w);
}

/* The index of e's [traffic] group (the loader made sure it exists). */
static guint
expect_traffic_index (const CloudRunScenario *sc, const CloudRunSpecExpect *e)
{
  guint t;

  for (t = 0; t < sc->traffics->len; t++)
    if (g_ptr_array_index (sc->traffics, t) == e->traffic)
      break;
  g_assert (t < sc->traffics->len);
  return t;
}

void
cloudrun_expect_watch (const CloudRunScenario *sc, CloudRunWorld *world)
{
  ExpectWatch *w = g_new0 (ExpectWatch, 1);

  w->counts = g_array_new (FALSE, TRUE, sizeof (ExpectCount));
  for (guint i = 0; i < sc->expects->len; i++)
    {
      const CloudRunSpecExpect *e = g_ptr_array_index (sc->expects, i);
      guint t = expect_traffic_index (sc, e);
      for (guint k = 0; k < G_N_ELEMENTS (request_keys); k++)
        if (cloudrun_object_has (&e->base, request_keys[k].key))
          {
            ExpectCount c = {
              .e = e, .key = request_keys[k].key,
              .test = request_keys[k].test, .traffic = t,
              .miss_index = UINT32_MAX,
            };
            g_array_append_val (w->counts, c);
          }
    }
  cloudrun_ledger_watch (&world->ledger, expect_settle, w, expect_watch_free);
}

static const ExpectCount *
expect_count_of (CloudRunWorld *world, const CloudRunSpecExpect *e,
                 const char *key)
{
  const ExpectWatch *w = cloudrun_ledger_watcher (&world->ledger,
                                                  expect_settle);

  g_assert (w != NULL);
  for (guint i = 0; i < w->counts->len; i++)
    {
      const ExpectCount *c = &g_array_index (w->counts, ExpectCount, i);
      if (c->e == e && strcmp (c->key, key) == 0)
        return c;
    }
  g_assert_not_reached ();
}

/* Every request that reached its destination's server meets it, and one
 * did. */
static void
check_seen (CloudRunCheckItem *item, const ExpectCount *c,
            const CloudRunTrafficSummary *sum)
{
  item->pass = c->reached > 0 && c->met == c->reached;
  item->met = c->met;
  item->of = c->reached;
  if (c->reached == 0)
    item->found = g_strdup_printf ("none of %u requests reached its "
                                   "destination's server", sum->count);
  else if (c->miss_shows)
    item->found = g_strdup_printf ("%u of %u requests that reached the "
                                   "destination; request %u saw %s", c->met,
                                   c->reached, c->miss_index + 1,
                                   c->miss_shows);
  else
    item->found = g_strdup_printf ("%u of %u requests that reached the "
                                   "destination", c->met, c->reached);
}

static void
check_requests (GArray *items, CloudRunWorld *world,
                const CloudRunTrafficSummary *sum, const CloudRunSpecExpect *e,
                const char *key, char *expected)
{
  CloudRunCheckItem item = { .expect = e->base.name, .key = key,
                             .expected = expected };
  const ExpectCount *c = expect_count_of (world, e, key);

  if (is_seen_key (key))
    {
      check_seen (&item, c, sum);
      g_array_append_val (items, item);
      return;
    }
  item.pass = sum->count > 0 && c->met >= ceil (e->ratio * sum->count - 1e-9);
  item.met = c->met;
  item.of = sum->count;
  if (c->miss_shows)
    item.found = g_strdup_printf ("%u of %u requests; request %u shows %s",
                                  c->met, sum->count, c->miss_index + 1,
                                  c->miss_shows);
  else
    item.found = g_strdup_printf ("%u of %u requests", c->met, sum->count);
  g_array_append_val (items, item);
}

/* value below bound, or (above) at least bound. */
static void
check_latency (GArray *items, const CloudRunTrafficSummary *sum,
               const CloudRunSpecExpect *e, const char *key, SimTime bound,
               SimTime value, gboolean above)
{
  char b[32], v[32];
  CloudRunCheckItem item = { .expect = e->base.name, .key = key };

  item.expected = g_strdup_printf ("%s %s", above ? "at least" : "below",
                                   sim_units_format_time (bound, b));
  item.pass = sum->responses > 0 && (above ? value >= bound : value < bound);
  item.is_latency = TRUE;
  item.of = sum->responses;
  item.value = sum->responses > 0 ? value : 0;
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
expect_via (const CloudRunSpecExpect *e)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < e->via->len; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "",
                            cloudrun_hop_name (g_array_index (e->via, int,
                                                              i)));
  return g_string_free (s, FALSE);
}

/* An address alone for a /32, else the range. */
static char *
expect_range (const CloudRunSpecCidr *r)
{
  char a[16];

  sim_ipv4_to_string (r->prefix, a);
  return r->len == 32 ? g_strdup (a) : g_strdup_printf ("%s/%u", a,
                                                        (unsigned) r->len);
}

static void
check_one (GArray *items, const CloudRunSpecExpect *e, CloudRunWorld *world,
           const CloudRunTrafficSummary *sum)
{
  const CloudRunSpecObject *o = &e->base;

  if (cloudrun_object_has (o, "outcome"))
    check_requests (items, world, sum, e, "outcome",
                    expect_enum ("outcome", e->outcome));
  if (cloudrun_object_has (o, "status"))
    check_requests (items, world, sum, e, "status",
                    g_strdup_printf ("%" G_GINT64_FORMAT, e->status));
  if (cloudrun_object_has (o, "classified-as"))
    check_requests (items, world, sum, e, "classified-as",
                    expect_enum ("classified-as", e->classified_as));
  if (cloudrun_object_has (o, "drop-cause"))
    check_requests (items, world, sum, e, "drop-cause",
                    expect_enum ("drop-cause", e->drop_cause));
  if (cloudrun_object_has (o, "decided-at"))
    check_requests (items, world, sum, e, "decided-at",
                    expect_enum ("decided-at", e->decided_at));
  if (cloudrun_object_has (o, "via"))
    check_requests (items, world, sum, e, "via", expect_via (e));
  if (cloudrun_object_has (o, "source-seen"))
    check_requests (items, world, sum, e, "source-seen",
                    expect_range (&e->source_seen));
  if (cloudrun_object_has (o, "host-seen"))
    check_requests (items, world, sum, e, "host-seen",
                    g_strdup (e->host_seen));
  if (cloudrun_object_has (o, "revision"))
    check_requests (items, world, sum, e, "revision",
                    g_strdup (e->revision_name));
  if (cloudrun_object_has (o, "latency-p50-below"))
    check_latency (items, sum, e, "latency-p50-below", e->latency_p50_below,
                   sum->p50, FALSE);
  if (cloudrun_object_has (o, "latency-p90-below"))
    check_latency (items, sum, e, "latency-p90-below", e->latency_p90_below,
                   sum->p90, FALSE);
  if (cloudrun_object_has (o, "latency-p99-below"))
    check_latency (items, sum, e, "latency-p99-below", e->latency_p99_below,
                   sum->p99, FALSE);
  if (cloudrun_object_has (o, "latency-p50-above"))
    check_latency (items, sum, e, "latency-p50-above", e->latency_p50_above,
                   sum->p50, TRUE);
}

GArray *
cloudrun_expect_evaluate (const CloudRunScenario *sc, CloudRunWorld *world,
                          const CloudRunTrafficSummary *summaries)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (CloudRunCheckItem));

  g_array_set_clear_func (items, check_item_clear);
  for (guint i = 0; i < sc->expects->len; i++)
    {
      const CloudRunSpecExpect *e = g_ptr_array_index (sc->expects, i);
      check_one (items, e, world, &summaries[expect_traffic_index (sc, e)]);
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
