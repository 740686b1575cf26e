/* VPC Service Controls perimeters from [perimeter NAME] groups and
 * [project] perimeter keys (models/world/perimeter.h). A perimeter named
 * only by perimeter keys is an implicit one restricting
 * run.googleapis.com (the key's meaning in format 1); a group's
 * restricted-services and access levels say the rest. The world owns the
 * policies; services, networks and Google products point at them. */
#include "models/assemble/build-private.h"

#include <string.h>

static CloudRunPerimeterPolicy *
perimeter_from_group (const CloudRunSpecPerimeter *pm)
{
  CloudRunPerimeterPolicy *p = cloudrun_perimeter_new (pm->base.name);

  for (guint i = 0; pm->restricted_services
                    && pm->restricted_services[i]; i++)
    cloudrun_perimeter_restrict (p, pm->restricted_services[i]);
  g_array_unref (p->ranges);
  p->ranges = build_cidrs (pm->access_ranges);
  for (guint i = 0; pm->access_identities
                    && i < pm->access_identities->len; i++)
    {
      const CloudRunSpecPrincipal *who
        = &g_array_index (pm->access_identities, CloudRunSpecPrincipal, i);
      g_ptr_array_add (p->identities,
                       g_strdup_printf ("%s:%s",
                                        who->kind
                                        == IAM_PRINCIPAL_USER
                                        ? "user" : "serviceAccount",
                                        who->email));
    }
  return p;
}

void
build_perimeters (Build *b)
{
  b->world->perimeters = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cloudrun_perimeter_free);
  for (guint i = 0; i < b->sc->perimeters->len; i++)
    g_ptr_array_add (b->world->perimeters,
                     perimeter_from_group (b->sc->perimeters->pdata[i]));
  for (guint i = 0; i < b->sc->projects->len; i++)
    {
      const CloudRunSpecProject *p = b->sc->projects->pdata[i];
      CloudRunPerimeterPolicy *implicit;

      if (p->in_perimeter || !p->perimeter || build_perimeter (b, p))
        continue;
      implicit = cloudrun_perimeter_new (p->perimeter);
      implicit->implicit = true;
      cloudrun_perimeter_restrict (implicit, "run.googleapis.com");
      g_ptr_array_add (b->world->perimeters, implicit);
    }
}

const CloudRunPerimeterPolicy *
build_perimeter (Build *b, const CloudRunSpecProject *project)
{
  const char *name = cloudrun_project_perimeter (project);
  GPtrArray *all = b->world->perimeters;

  for (guint i = 0; name && i < all->len; i++)
    {
      const CloudRunPerimeterPolicy *p = all->pdata[i];
      if (strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}
