/* The run.googleapis.com annotations of a Cloud Run service in the v1
 * (Knative) shape, which Cloud Asset Inventory, gcloud and Terraform's
 * google_cloud_run_service all carry: one reader for every source. */
#include "tools/import/import-private.h"

#include <string.h>

/* A Knative annotation as a whole number ("5"), or -1. */
gint64
import_annotation_int (ImportSrc *s, JsonObject *o, const char *rel,
                       const char *key)
{
  const char *v = import_member_str (s, o, rel, key);
  guint64 u;

  if (!v)
    return -1;
  if (!*v || strspn (v, "0123456789") != strlen (v)
      || !g_ascii_string_to_unsigned (v, 10, 0, G_MAXINT32, &u, NULL))
    {
      g_autofree char *at = g_strdup_printf ("%s[\"%s\"]", rel, key);
      import_fail (s, at, "expected a whole number, found '%s'", v);
      return -1;
    }
  return (gint64) u;
}

/* The JSON inside the string annotation at at (a path relative to s),
 * depth-checked, with *inner a source whose paths lead inside it (free
 * inner->base); NULL (failed) when it is not JSON. */
static JsonNode *
inner_json (ImportSrc *s, const char *at, const char *text, ImportSrc *inner)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  guint line;

  if (!import_depth_ok (text, strlen (text), &line))
    {
      import_fail (s, at, "expected JSON at most %d levels deep",
                   IMPORT_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      import_fail (s, at, "expected JSON in the string: %s", error->message);
      return NULL;
    }
  *inner = *s;
  inner->base = import_path (s, at);
  return json_parser_steal_root (parser);
}

/* run.googleapis.com/custom-audiences: a JSON list of strings. */
static gboolean
read_audiences (ImportSrc *s, const char *sa, const char *text, ImportRes *r)
{
  g_autofree char *at = g_strdup_printf ("%s[\"run.googleapis.com/"
                                         "custom-audiences\"]", sa);
  ImportSrc inner;
  g_autoptr (JsonNode) n = inner_json (s, at, text, &inner);

  if (!n)
    return FALSE;
  r->audiences = import_strs (&inner, n, "");
  g_free (inner.base);
  return !import_failed (s);
}

/* run.googleapis.com/network-interfaces: a JSON list of {network,
 * subnetwork, tags}; the first is Direct VPC's. */
static gboolean
read_interfaces (ImportSrc *s, const char *ta, const char *text,
                 ImportRes *r)
{
  g_autofree char *at = g_strdup_printf ("%s[\"run.googleapis.com/"
                                         "network-interfaces\"]", ta);
  ImportSrc inner;
  g_autoptr (JsonNode) n = inner_json (s, at, text, &inner);
  JsonArray *a;

  if (!n)
    return FALSE;
  a = import_arr (&inner, n, "");
  if (a && json_array_get_length (a) > 0)
    {
      import_set_interface (r, import_str (&inner, n, "[0].network"),
                            import_str (&inner, n, "[0].subnetwork"));
      import_set_tags (&inner, n, "[0].tags", &r->tags);
      if (json_array_get_length (a) > 1)
        import_not_modelled (s, "%s: interfaces after the first", at);
    }
  g_free (inner.base);
  return !import_failed (s);
}

gboolean
import_knative_annotations (ImportSrc *s, JsonObject *ann, const char *sa,
                            JsonObject *tann, const char *ta, ImportRes *r)
{
  const char *v = import_member_str (s, ann, sa, "run.googleapis.com/ingress");
  const char *connector, *nis;

  if (v)
    {
      g_autofree char *at = g_strdup_printf ("%s[\"run.googleapis.com/"
                                             "ingress\"]", sa);
      if (strcmp (v, "all") && strcmp (v, "internal")
          && strcmp (v, "internal-and-cloud-load-balancing")
          && strcmp (v, "none"))
        return import_fail (s, at, "expected all, internal or "
                            "internal-and-cloud-load-balancing, found '%s'",
                            v);
      import_set_ingress (s, at, v, r);
    }
  v = import_member_str (s, ann, sa, "run.googleapis.com/default-url-disabled");
  if (v && strcmp (v, "true") == 0)
    r->default_url = 0;
  v = import_member_str (s, ann, sa, "run.googleapis.com/invoker-iam-disabled");
  if (v)
    r->invoker_iam_disabled = strcmp (v, "true") == 0;
  v = import_member_str (s, ann, sa, "run.googleapis.com/custom-audiences");
  if (v && !read_audiences (s, sa, v, r))
    return FALSE;
  r->min_instances = import_annotation_int (s, tann, ta,
                                            "autoscaling.knative.dev/minScale");
  r->max_instances = import_annotation_int (s, tann, ta,
                                            "autoscaling.knative.dev/maxScale");
  connector = import_member_str (s, tann, ta,
                                 "run.googleapis.com/vpc-access-connector");
  nis = import_member_str (s, tann, ta, "run.googleapis.com/network-interfaces");
  if (connector && *connector)
    {
      r->vpc_access = g_strdup ("connector");
      r->connector = import_ref_new (connector, r->project, r->region);
    }
  else if (nis && !read_interfaces (s, ta, nis, r))
    return FALSE;
  if (r->vpc_access)
    {
      g_autofree char *at = g_strdup_printf ("%s[\"run.googleapis.com/"
                                             "vpc-access-egress\"]", ta);
      import_set_egress (s, at, import_member_str (s, tann, ta,
                         "run.googleapis.com/vpc-access-egress"), r);
    }
  return !import_failed (s);
}
