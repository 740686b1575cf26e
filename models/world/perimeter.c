/* VPC Service Controls perimeters (see models/world/perimeter.h). */
#include "models/world/perimeter.h"

#include <string.h>

#include "sim/wire.h"

#define RUN_API "run.googleapis.com"
#define TASKS_API "cloudtasks.googleapis.com"

CloudRunPerimeterPolicy *
cloudrun_perimeter_new (const char *name)
{
  CloudRunPerimeterPolicy *p = g_new0 (CloudRunPerimeterPolicy, 1);

  p->name = g_strdup (name);
  p->ranges = g_array_new (FALSE, FALSE, sizeof (VpcCidr));
  p->identities = g_ptr_array_new_with_free_func (g_free);
  return p;
}

void
cloudrun_perimeter_free (CloudRunPerimeterPolicy *p)
{
  if (!p)
    return;
  g_free (p->name);
  g_array_unref (p->ranges);
  g_ptr_array_unref (p->identities);
  g_free (p);
}

void
cloudrun_perimeter_restrict (CloudRunPerimeterPolicy *p, const char *api)
{
  if (strcmp (api, RUN_API) == 0)
    p->restricts_run = true;
  else if (strcmp (api, TASKS_API) == 0)
    p->restricts_tasks = true;
}

/* The access-level range holding addr, or NULL. */
static const VpcCidr *
perimeter_range (const CloudRunPerimeterPolicy *p, uint32_t addr)
{
  for (guint i = 0; i < p->ranges->len; i++)
    {
      const VpcCidr *r = &g_array_index (p->ranges, VpcCidr, i);
      if (vpc_cidr_contains (r, addr))
        return r;
    }
  return NULL;
}

/* The access-level member naming the token's email, or NULL. */
static const char *
perimeter_member (const CloudRunPerimeterPolicy *p, const char *email)
{
  const char *kind;
  const char *colon;

  if (email == NULL)
    return NULL;
  kind = g_str_has_suffix (email, ".gserviceaccount.com") ? "serviceAccount"
                                                          : "user";
  for (guint i = 0; i < p->identities->len; i++)
    {
      const char *m = g_ptr_array_index (p->identities, i);
      colon = strchr (m, ':');
      if (colon && strcmp (colon + 1, email) == 0
          && strncmp (m, kind, (size_t) (colon - m)) == 0
          && strlen (kind) == (size_t) (colon - m))
        return m;
    }
  return NULL;
}

/* Why no access level admitted an outsider. */
static const char *
perimeter_refusal (const CloudRunPerimeterPolicy *p,
                   const CloudRunPerimeterCaller *caller, SimExplainLog *log)
{
  char src[16], rtext[24];
  const VpcCidr *r = perimeter_range (p, caller->source);
  const char *member = perimeter_member (p, caller->token_email);
  const char *first;

  sim_ipv4_to_string (caller->source, src);
  if (caller->perimeter && r)
    {
      sim_ipv4_to_string (r->prefix, rtext);
      first = sim_explain_internf (log, "it comes from perimeter %s: access "
                                   "level range %s/%u holds its source %s, "
                                   "but an access level cannot admit a "
                                   "request from another perimeter",
                                   caller->perimeter->name, rtext, r->len,
                                   src);
    }
  else if (caller->perimeter)
    first = sim_explain_internf (log, "it comes from another perimeter, %s",
                                 caller->perimeter->name);
  else
    first = sim_explain_internf (log, "no access level of perimeter %s "
                                 "holds its source %s (access-level-ranges)",
                                 p->name, src);
  if (!member)
    return first;
  return sim_explain_internf (log, "%s; access-level-identities names %s, "
                              "whose ID token it carries, but Cloud Run's "
                              "VPC Service Controls enforcement does not "
                              "use the caller's IAM identity", first, member);
}

CloudRunPerimeterVerdict
cloudrun_perimeter_judge_run (const CloudRunPerimeterPolicy *p,
                              const CloudRunPerimeterCaller *caller,
                              SimExplainLog *log, const char **why)
{
  const VpcCidr *r;
  char src[16], rtext[16];

  *why = NULL;
  if (!p)
    return CLOUDRUN_PERIMETER_NOT_ENFORCED;
  if (!p->restricts_run)
    {
      *why = sim_explain_internf (log, "perimeter %s does not restrict "
                                  RUN_API ", so it does not guard Cloud Run",
                                  p->name);
      return CLOUDRUN_PERIMETER_NOT_ENFORCED;
    }
  if (caller->perimeter == p)
    {
      *why = sim_explain_internf (log, "it comes from inside perimeter %s",
                                  p->name);
      return CLOUDRUN_PERIMETER_INSIDE;
    }
  r = caller->perimeter ? NULL : perimeter_range (p, caller->source);
  if (r)
    {
      sim_ipv4_to_string (caller->source, src);
      sim_ipv4_to_string (r->prefix, rtext);
      *why = sim_explain_internf (log, "access level range %s/%u of "
                                  "perimeter %s holds its source %s",
                                  rtext, r->len, p->name, src);
      return CLOUDRUN_PERIMETER_ACCESS_LEVEL;
    }
  *why = perimeter_refusal (p, caller, log);
  return CLOUDRUN_PERIMETER_REFUSED;
}

bool
cloudrun_perimeter_tasks_permit (const CloudRunPerimeterPolicy *p,
                                 const char *host, bool token,
                                 SimExplainLog *log, const char **why)
{
  bool run_app = g_str_has_suffix (host, ".run.app");

  *why = NULL;
  if (!p || !p->restricts_tasks || (run_app && token))
    return true;
  *why = sim_explain_internf (log, "the queue's project is in perimeter %s, "
                              "which restricts " TASKS_API ": Cloud Tasks "
                              "sends only authenticated requests (an OIDC "
                              "token) to run.app targets, and this one %s",
                              p->name,
                              !run_app ? (token ? "targets a host outside "
                                                  "run.app"
                                                : "targets a host outside "
                                                  "run.app, without a token")
                                       : "carries no token");
  return false;
}
