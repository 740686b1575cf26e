/* Scenario cross checks of VPC Service Controls ([perimeter NAME] groups
 * and [project] perimeter; docs/networking.md, "VPC Service Controls"):
 * - a project is in one perimeter at most: no two [perimeter] groups list
 *   it, and its perimeter key names the group that lists it, if any;
 * - [project] perimeter = NAME means a perimeter restricting Cloud Run
 *   (format 1): with no [perimeter NAME] group it is an implicit one
 *   restricting run.googleapis.com; with one, that group must restrict
 *   run.googleapis.com, and the project joins it;
 * - access-level-ranges hold no private range (Access Context Manager
 *   refuses them) and access-level-identities only serviceAccount: and
 *   user: principals (an access level's members).
 * https://cloud.google.com/vpc-service-controls/docs/service-perimeters
 * https://cloud.google.com/access-context-manager/docs/access-level-attributes
 *
 * Called by models/format/scenario-check.c after references resolve. */
#include "models/format/scenario-private.h"

#include <string.h>

#define RUN_API "run.googleapis.com"

/* RFC 1918, and the other ranges no public source has. */
static const CloudRunSpecCidr private_ranges[] = {
  { 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 },
  { 0x64400000u, 10 }, { 0x7f000000u, 8 }, { 0xa9fe0000u, 16 },
};

static gboolean
perimeter_lists (const CloudRunSpecPerimeter *pm, const char *api)
{
  return pm->restricted_services
         && g_strv_contains ((const char *const *) pm->restricted_services,
                             api);
}

const char *
cloudrun_project_perimeter (const CloudRunSpecProject *p)
{
  return p->in_perimeter ? p->in_perimeter->base.name : p->perimeter;
}

gboolean
cloudrun_project_restricts (const CloudRunSpecProject *p, const char *api)
{
  if (p->in_perimeter)
    return perimeter_lists (p->in_perimeter, api);
  return p->perimeter != NULL && strcmp (api, RUN_API) == 0;
}

/* Each listed project joins pm; once only, in one perimeter only. */
static gboolean
check_members (CloudRunCheck *c, CloudRunSpecPerimeter *pm)
{
  for (guint i = 0; i < pm->projects->len; i++)
    {
      CloudRunSpecProject *p = pm->projects->pdata[i];
      g_autofree char *found = NULL;

      if (p->in_perimeter == pm)
        found = g_strdup_printf ("'%s' twice", p->base.name);
      else if (p->in_perimeter)
        found = g_strdup_printf ("'%s', already in [%s]", p->base.name,
                                 p->in_perimeter->base.group);
      else if (p->perimeter && strcmp (p->perimeter, pm->base.name) != 0)
        found = g_strdup_printf ("'%s', whose [%s] perimeter names '%s'",
                                 p->base.name, p->base.group, p->perimeter);
      if (found)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT,
                                    &pm->base, "projects", "projects in no "
                                    "other perimeter (a project is in one "
                                    "perimeter at most)", found, NULL, NULL);
      p->in_perimeter = pm;
    }
  return TRUE;
}

static gboolean
check_access_levels (CloudRunCheck *c, CloudRunSpecPerimeter *pm)
{
  for (guint i = 0; pm->access_ranges && i < pm->access_ranges->len; i++)
    {
      const CloudRunSpecCidr *r = &g_array_index (pm->access_ranges,
                                                  CloudRunSpecCidr, i);
      for (guint k = 0; k < G_N_ELEMENTS (private_ranges); k++)
        if (cloudrun_cidr_overlap (r, &private_ranges[k]))
          {
            g_autofree char *text = cloudrun_cidr_text (r);
            g_autofree char *found = g_strdup_printf ("'%s', a private "
                                                      "range", text);
            return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                        &pm->base, "access-level-ranges",
                                        "public source ranges (an access "
                                        "level cannot hold private ones)",
                                        found, NULL, NULL);
          }
    }
  for (guint i = 0; pm->access_identities
                    && i < pm->access_identities->len; i++)
    {
      const CloudRunSpecPrincipal *who
        = &g_array_index (pm->access_identities, CloudRunSpecPrincipal, i);
      if (who->kind == IAM_PRINCIPAL_ALL_USERS
          || who->kind == IAM_PRINCIPAL_ALL_AUTHENTICATED_USERS)
        return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_VALUE,
                                    &pm->base, "access-level-identities",
                                    "serviceAccount:EMAIL or user:EMAIL "
                                    "(an access level's members)",
                                    who->kind == IAM_PRINCIPAL_ALL_USERS
                                    ? "'allUsers'"
                                    : "'allAuthenticatedUsers'", NULL, NULL);
    }
  return TRUE;
}

/* A project's perimeter key against the groups. */
static gboolean
check_project_key (CloudRunCheck *c, CloudRunSpecProject *p)
{
  CloudRunSpecPerimeter *pm;
  g_autofree char *found = NULL;

  if (p->perimeter == NULL)
    return TRUE;
  pm = cloudrun_scenario_find (c->s, CLOUDRUN_KIND_PERIMETER, p->perimeter);
  if (pm == NULL)
    return TRUE;                /* an implicit perimeter */
  if (perimeter_lists (pm, RUN_API))
    {
      p->in_perimeter = pm;
      return TRUE;
    }
  found = g_strdup_printf ("'%s', whose [%s] restricted-services lacks "
                           RUN_API, p->perimeter, pm->base.group);
  return cloudrun_check_fail (c, CLOUDRUN_SCENARIO_ERROR_CONFLICT, &p->base,
                              "perimeter", "a perimeter restricting Cloud "
                              "Run (the key's meaning)", found, NULL,
                              "list the project in that group's projects "
                              "instead");
}

gboolean
cloudrun_check_perimeters (CloudRunCheck *c)
{
  GPtrArray *groups = c->s->perimeters;

  for (guint i = 0; i < groups->len; i++)
    if (!check_members (c, groups->pdata[i])
        || !check_access_levels (c, groups->pdata[i]))
      return FALSE;
  for (guint i = 0; i < c->s->projects->len; i++)
    if (!check_project_key (c, c->s->projects->pdata[i]))
      return FALSE;
  return TRUE;
}
