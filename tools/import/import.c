/* import_files: every input read into one model, the scenario written,
 * and checked by loading it through the door (a scenario that does not
 * load is an error, never an output). */
#include "tools/import/import-private.h"
#include "tools/session/cloudrun-netsim.h"

static void
res_free (ImportRes *r)
{
  import_ref_free (r->network);
  import_ref_free (r->subnet);
  import_ref_free (r->connector);
  import_ref_free (r->target);
  import_ref_free (r->armor_ref);
  g_free (r->header);
  g_ptr_array_unref (r->refs);
  g_free (r->project); g_free (r->region); g_free (r->name);
  g_free (r->origin); g_free (r->group);
  g_free (r->range); g_free (r->purpose); g_free (r->next_hop);
  g_free (r->direction); g_free (r->action); g_free (r->ingress);
  g_free (r->egress); g_free (r->vpc_access); g_free (r->service_account);
  g_free (r->machine_type); g_free (r->dns_name); g_free (r->visibility);
  g_free (r->bundle); g_free (r->type); g_free (r->scheme);
  g_free (r->display); g_free (r->order);
  GPtrArray *lists[] = { r->ranges, r->protocols, r->audiences, r->members,
                         r->shared_with, r->tags, r->target_sas,
                         r->source_tags, r->source_sas, r->codes,
                         r->forward };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i])
      g_ptr_array_unref (lists[i]);
  g_free (r);
}

gboolean
import_files (const char *const *paths, guint n, GString *out,
              GPtrArray *not_modelled, GError **error)
{
  ImportModel m = {
    g_ptr_array_new_with_free_func ((GDestroyNotify) res_free),
    g_ptr_array_new_with_free_func (g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    0, FALSE,
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
  };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < n; i++)
    ok = import_detect_file (&m, paths[i], error);
  if (ok)
    ok = import_emit (&m, paths, n, out, error);
  if (ok && out->len > CLOUDRUN_SCENARIO_MAX_BYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the scenario made from the input would be %" G_GSIZE_FORMAT
                   " bytes, above the %d MiB a scenario file may have: import "
                   "fewer resources (one project or network at a time)",
                   out->len, CLOUDRUN_SCENARIO_MAX_BYTES >> 20);
      ok = FALSE;
    }
  if (ok)
    {
      GError *e = NULL;
      CloudRunSession *s = cloudrun_session_load ("the imported scenario",
                                                  out->str, out->len, NULL,
                                                  &e);
      if (!s)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "the scenario made from the input does not load (a "
                       "bug of import, or a configuration Google would "
                       "refuse): %s", e->message);
          g_error_free (e);
          ok = FALSE;
        }
      cloudrun_session_free (s);
    }
  if (ok && not_modelled)
    for (guint i = 0; i < m.not_modelled->len; i++)
      g_ptr_array_add (not_modelled, g_strdup (m.not_modelled->pdata[i]));
  g_ptr_array_unref (m.res);
  g_ptr_array_unref (m.not_modelled);
  g_hash_table_destroy (m.numbers);
  g_hash_table_destroy (m.unknown);
  g_hash_table_destroy (m.ancestors);
  return ok;
}
