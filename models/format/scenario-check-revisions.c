/* Load checks: revisions, traffic splits and tags
 * (docs/scenario-format.md, [revision NAME]; docs/networking.md,
 * "Revisions, tags and traffic splits").
 *
 * A [revision NAME] belongs to a service whose NAME and a hyphen start
 * its own (gcloud --revision-suffix names revisions SERVICE-SUFFIX); the
 * keys it leaves out take the service's values; the percents of a
 * service's revisions sum to 100
 * (https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration);
 * a tag is a DNS label that, with the service NAME, fits the tag URL's
 * first label (gcloud: "Combined traffic tag and service name cannot
 * exceed 46 characters"), unique in its service. Fills each service's
 * revisions and each tag's two hosts
 * (https://cloud.google.com/run/docs/triggering/https-request: the
 * deterministic URL takes a tag as TAG---). Called from
 * cloudrun_scenario_check after the services are checked. */
#include "models/format/scenario-private.h"

#include <string.h>

/* Why tag is not a tag, or NULL. */
static const char *
tag_problem (const char *tag)
{
  size_t n = strlen (tag);

  if (n == 0)
    return "it is empty";
  if (!g_ascii_islower (tag[0]))
    return "it must start with a lowercase letter";
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_islower (tag[i]) && !g_ascii_isdigit (tag[i])
        && tag[i] != '-')
      return "only lowercase letters, digits and hyphens";
  if (tag[n - 1] == '-')
    return "it must not end with a hyphen";
  if (strstr (tag, "---") != NULL)
    return "'---' separates the tag from the service in its URL";
  return NULL;
}

/* The keys left out take the service's values. */
static void
inherit (CloudRunSpecRevision *r, const CloudRunSpecService *svc)
{
  const CloudRunSpecObject *o = &r->base;

  if (!cloudrun_object_has (o, "min-instances"))
    r->min_instances = svc->min_instances;
  if (!cloudrun_object_has (o, "max-instances"))
    r->max_instances = svc->max_instances;
  if (!cloudrun_object_has (o, "concurrency"))
    r->concurrency = svc->concurrency;
  if (!cloudrun_object_has (o, "cold-start"))
    r->cold_start = svc->cold_start;
  if (!cloudrun_object_has (o, "service-time"))
    r->service_time = svc->service_time;
  if (!cloudrun_object_has (o, "response-size"))
    r->response_size = svc->response_size;
}

static gboolean
check_tag (CloudRunCheck *c, CloudRunSpecRevision *r)
{
  CloudRunSpecService *svc = r->service;
  const char *why = tag_problem (r->tag);
  g_autofree char *found = cloudrun_quote (r->tag);

  if (why)
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                "tag", "a tag: lowercase letters, digits "
                                "and hyphens, starting with a letter",
                                found, NULL, why);
  if (strlen (r->tag) + strlen (svc->base.name)
      > CLOUDRUN_TAG_AND_SERVICE_MAX)
    {
      g_autofree char *f = g_strdup_printf ("%s (%zu characters with "
                                            "service '%s')", found,
                                            strlen (r->tag)
                                            + strlen (svc->base.name),
                                            svc->base.name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                  "tag", "a tag of at most 46 characters "
                                  "together with the service NAME (the tag "
                                  "URL's first label)", f, NULL, NULL);
    }
  for (guint i = 0; i < svc->revisions->len; i++)
    {
      const CloudRunSpecRevision *o = svc->revisions->pdata[i];
      if (o->tag != NULL && strcmp (o->tag, r->tag) == 0)
        {
          g_autofree char *f = g_strdup_printf ("%s, the tag of %s too",
                                                found, o->base.group);
          return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                      &r->base, "tag", "a tag no other "
                                      "revision of the service has", f,
                                      NULL, NULL);
        }
    }
  r->tag_hash_host = g_strconcat (r->tag, "---", svc->hash_host, NULL);
  r->tag_number_host = g_strconcat (r->tag, "---", svc->number_host, NULL);
  return TRUE;
}

static gboolean
check_revision (CloudRunCheck *c, CloudRunSpecRevision *r)
{
  CloudRunSpecService *svc = r->service;
  size_t n = strlen (svc->base.name);

  if (strncmp (r->base.name, svc->base.name, n) != 0
      || r->base.name[n] != '-' || r->base.name[n + 1] == '\0')
    {
      g_autofree char *expected = g_strdup_printf (
          "a service whose NAME and '-' start the revision's NAME (such "
          "as %s-canary)", svc->base.name);
      g_autofree char *found = g_strdup_printf ("'%s' for revision '%s'",
                                                svc->base.name,
                                                r->base.name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE, &r->base,
                                  "service", expected, found, NULL, NULL);
    }
  if (cloudrun_scenario_find (c->s, CLOUDRUN_KIND_SERVICE, r->base.name))
    {
      g_autofree char *found = g_strdup_printf ("'%s', the NAME of [service "
                                                "%s] too", r->base.name,
                                                r->base.name);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &r->base, NULL, "a revision NAME no "
                                  "service has (their instances would "
                                  "share names)", found, NULL, NULL);
    }
  inherit (r, svc);
  if (r->min_instances > r->max_instances)
    {
      g_autofree char *found = g_strdup_printf ("'%" G_GINT64_FORMAT "'",
                                                r->min_instances);
      return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                  &r->base, "min-instances", "at most "
                                  "max-instances", found, NULL, NULL);
    }
  if (r->tag != NULL && !check_tag (c, r))
    return FALSE;
  g_ptr_array_add (svc->revisions, r);
  return TRUE;
}

/* The percents of svc's revisions sum to 100; the last one is named. */
static gboolean
check_split (CloudRunCheck *c, const CloudRunSpecService *svc)
{
  g_autoptr (GString) parts = g_string_new (NULL);
  CloudRunSpecRevision *last = NULL;
  int64_t sum = 0;

  for (guint i = 0; i < svc->revisions->len; i++)
    {
      last = svc->revisions->pdata[i];
      sum += last->percent;
      g_string_append_printf (parts, "%s%s %" G_GINT64_FORMAT, i ? ", " : "",
                              last->base.name, last->percent);
    }
  if (last == NULL || sum == 100)
    return TRUE;
  {
    g_autofree char *expected = g_strdup_printf (
        "percents summing to 100 over the revisions of service '%s'",
        svc->base.name);
    g_autofree char *found = g_strdup_printf ("%" G_GINT64_FORMAT " (%s)", sum,
                                              parts->str);
    return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                &last->base, "percent", expected, found, NULL,
                                NULL);
  }
}

gboolean
cloudrun_check_revisions (CloudRunCheck *c)
{
  for (guint i = 0; i < c->s->services->len; i++)
    {
      CloudRunSpecService *svc = c->s->services->pdata[i];
      if (svc->revisions == NULL)
        svc->revisions = g_ptr_array_new ();
    }
  for (guint i = 0; i < c->s->revisions->len; i++)
    if (!check_revision (c, c->s->revisions->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->services->len; i++)
    if (!check_split (c, c->s->services->pdata[i]))
      return FALSE;
  return TRUE;
}
