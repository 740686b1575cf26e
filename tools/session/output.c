/* Staged output directories (see tools/session/output.h). Called by
 * tools/cli/main.c (begin, commit, clear) and tools/session/run.c (write).
 * Invariants: inside DIR every call is relative to dir_fd and never follows a
 * symbolic link; removal walks only real directories (unlinkat on a link
 * removes the link); nothing is moved before every place was checked; DIR is
 * locked (flock) from begin to clear, so one run at a time writes into it. */
#include "tools/session/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/capture.h"

#define STAGING_PREFIX ".partial-"
#define STAGING_OLD_PCAP "pcap.old"
#define REMOVE_MAX_DEPTH 16

/* Everything a run may put in DIR; "pcap" is a directory. */
static const char *const output_names[] = {
  "pcap", "report.html", "report.json", "report.txt", "requests.jsonl",
  "summary.csv", "topology.dot", "topology.svg", "trace.pcapng", NULL
};

static gboolean
is_output_name (const char *name)
{
  return g_strv_contains (output_names, name);
}

gboolean
tools_output_is_capture_name (const char *name)
{
  gsize len = strlen (name);

  if (strcmp (name, SIM_CAPTURE_KEYLOG_NAME) == 0
      || strcmp (name, SIM_CAPTURE_COMMENTS_NAME) == 0)
    return TRUE;

  if (len <= 5 || !g_str_has_suffix (name, ".pcap")
      || !(g_ascii_islower (name[0]) || g_ascii_isdigit (name[0])))
    return FALSE;
  for (gsize i = 0; i < len - 5; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i])
        && !strchr ("._-", name[i]))
      return FALSE;
  return TRUE;
}

static int
name_order (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
has_name (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_staging_name (const char *name)
{
  return g_str_has_prefix (name, STAGING_PREFIX)
         && strlen (name) == strlen (STAGING_PREFIX) + 6;
}

static const char *
describe_mode (mode_t mode)
{
  if (S_ISLNK (mode))
    return "a symbolic link (links are never followed)";
  if (S_ISDIR (mode))
    return "a directory";
  if (S_ISREG (mode))
    return "a regular file";
  if (S_ISFIFO (mode))
    return "a FIFO";
  if (S_ISSOCK (mode))
    return "a socket";
  return "a device";
}

static gboolean
set_errno_error (GError **error, int e, const char *path, const char *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
               "%s: %s: %s", path, what, g_strerror (e));
  return FALSE;
}

/* The names in an open directory (fd is not consumed), sorted. */
static GPtrArray *
list_dir (int fd)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  int dup_fd = fcntl (fd, F_DUPFD_CLOEXEC, 0);
  DIR *d = dup_fd >= 0 ? fdopendir (dup_fd) : NULL;
  struct dirent *e;

  if (!d)
    {
      if (dup_fd >= 0)
        close (dup_fd);
      return names;
    }
  rewinddir (d);
  while ((e = readdir (d)))
    if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      g_ptr_array_add (names, g_strdup (e->d_name));
  closedir (d);
  g_ptr_array_sort (names, name_order);
  return names;
}

/* Removes parent/name and, if it is a real directory, what is in it;
 * never follows a link. Best effort: what cannot go stays. */
static gboolean
remove_tree_at (int parent, const char *name, int depth)
{
  struct stat st;
  int fd;

  if (fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT;
  if (!S_ISDIR (st.st_mode))
    return unlinkat (parent, name, 0) == 0;
  fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && depth < REMOVE_MAX_DEPTH)
    {
      g_autoptr (GPtrArray) names = list_dir (fd);
      for (guint i = 0; i < names->len; i++)
        remove_tree_at (fd, g_ptr_array_index (names, i), depth + 1);
    }
  if (fd >= 0)
    close (fd);
  return unlinkat (parent, name, AT_REMOVEDIR) == 0;
}

/* mkdir -p that remembers what it made. */
static gboolean
make_dirs (const char *dir, GPtrArray *created, GError **error)
{
  g_autofree char *path = g_strdup (dir);

  for (char *p = path + 1;; p++)
    {
      char c = *p;

      if (c != '/' && c != '\0')
        continue;
      *p = '\0';
      if (p[-1] != '/')
        {
          if (mkdir (path, 0755) == 0)
            g_ptr_array_add (created, g_strdup (path));
          else if (errno != EEXIST)
            return set_errno_error (error, errno, dir,
                                    "cannot create the output directory");
        }
      *p = c;
      if (c == '\0')
        return TRUE;
    }
}

/* Removes the staging directories of killed runs: a real directory named
 * .partial-XXXXXX whose lock nobody holds. Called with DIR locked. */
static void
remove_stale (ToolsOutput *out)
{
  g_autoptr (GPtrArray) names = list_dir (out->dir_fd);

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      int fd;
      gboolean stale;

      if (!is_staging_name (n))
        continue;
      fd = openat (out->dir_fd, n,
                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        continue;
      stale = flock (fd, LOCK_EX | LOCK_NB) == 0;
      close (fd);
      if (!stale)
        continue;               /* a run in progress */
      g_ptr_array_add (remove_tree_at (out->dir_fd, n, 0) ? out->stale
                                                          : out->stale_kept,
                       g_strdup (n));
    }
}

static gboolean
make_staging (ToolsOutput *out, GError **error)
{
  out->staging = g_build_filename (out->dir, STAGING_PREFIX "XXXXXX", NULL);
  if (!g_mkdtemp (out->staging))
    {
      g_clear_pointer (&out->staging, g_free);
      return set_errno_error (error, errno, out->dir,
                              "cannot create a staging directory");
    }
  out->staging_fd = open (out->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                          | O_CLOEXEC);
  if (out->staging_fd < 0 || flock (out->staging_fd, LOCK_EX | LOCK_NB) != 0)
    return set_errno_error (error, errno, out->staging,
                            "cannot lock the staging directory");
  return TRUE;
}

static gboolean check_places (ToolsOutput *out, GError **error);

gboolean
tools_output_begin (ToolsOutput *out, const char *dir, GError **error)
{
  gboolean ok;

  memset (out, 0, sizeof *out);
  out->dir_fd = out->staging_fd = -1;
  out->created = g_ptr_array_new_with_free_func (g_free);
  out->stale = g_ptr_array_new_with_free_func (g_free);
  out->stale_kept = g_ptr_array_new_with_free_func (g_free);
  out->dir = g_strdup (dir);
  if (!*dir)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "-o: expected a directory name, found an empty string");
      return FALSE;
    }
  if (!make_dirs (dir, out->created, error))
    return FALSE;
  out->dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (out->dir_fd < 0)
    return set_errno_error (error, errno, dir,
                            "cannot open the output directory");
  /* DIR's lock is this run's from here to clear: a second run into DIR
   * is refused while it lasts, so two runs' outputs never mix. */
  if (flock (out->dir_fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno == EWOULDBLOCK)
        {
          /* DIR is the other run's now, even if this one made it. */
          g_ptr_array_set_size (out->created, 0);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "%s: another cloudrun-netsim run is writing into this "
                       "directory; wait for it to end, or choose another -o",
                       dir);
          return FALSE;
        }
      return set_errno_error (error, errno, dir,
                              "cannot lock the output directory");
    }
  remove_stale (out);
  ok = make_staging (out, error);
  /* Checked again at commit; here so that a refusal comes before a long
   * simulation, not after it. */
  return ok && check_places (out, error);
}

gboolean
tools_output_write (ToolsOutput *out, const char *name,
                    const GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (out->staging, name, NULL);

  return g_file_set_contents (path, contents->str, (gssize) contents->len,
                              error);
}

static gboolean
refuse (GError **error, const char *path, const char *expected,
        const char *found)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
               "%s: cannot replace it: expected %s, found %s; nothing was "
               "changed (move it away or choose another -o DIR)", path,
               expected, found);
  return FALSE;
}

/* DIR/pcap may hold only the capture files an earlier run wrote. */
static gboolean
check_pcap_dir (ToolsOutput *out, GError **error)
{
  g_autofree char *pcap = g_build_filename (out->dir, "pcap", NULL);
  g_autoptr (GPtrArray) names = NULL;
  int fd = openat (out->dir_fd, "pcap", O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                   | O_CLOEXEC);

  if (fd < 0)
    return set_errno_error (error, errno, pcap, "cannot read it");
  names = list_dir (fd);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (pcap, n, NULL);
      struct stat st;

      if (fstatat (fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      if (!S_ISREG (st.st_mode) || !tools_output_is_capture_name (n))
        {
          close (fd);
          return refuse (error, path, "only the LINK.pcap files (and "
                         "tls-keys.log, comments.tsv) a run writes in pcap/", S_ISREG (st.st_mode)
                         ? "a file the run did not write" :
                         describe_mode (st.st_mode));
        }
    }
  close (fd);
  return TRUE;
}

/* Before anything moves: every place the run may write holds nothing, or
 * what an earlier run wrote there (a file over a file, pcap/ over pcap/). */
static gboolean
check_places (ToolsOutput *out, GError **error)
{
  for (const char *const *n = output_names; *n; n++)
    {
      g_autofree char *to = g_build_filename (out->dir, *n, NULL);
      gboolean want_dir = strcmp (*n, "pcap") == 0;
      struct stat st;

      if (fstatat (out->dir_fd, *n, &st, AT_SYMLINK_NOFOLLOW) != 0)
        {
          if (errno == ENOENT)
            continue;
          return set_errno_error (error, errno, to, "cannot read it");
        }
      if (want_dir && S_ISDIR (st.st_mode))
        {
          if (!check_pcap_dir (out, error))
            return FALSE;
          continue;
        }
      if (!want_dir && S_ISREG (st.st_mode))
        continue;
      return refuse (error, to, want_dir ? "a directory" : "a regular file",
                     describe_mode (st.st_mode));
    }
  return TRUE;
}

/* What the run staged: only its own names, and pcap/ only captures. */
static gboolean
check_staged (ToolsOutput *out, GPtrArray *names, GError **error)
{
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      if (!is_output_name (n))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       "%s/%s: the run staged a file of no known output name",
                       out->staging, n);
          return FALSE;
        }
    }
  if (has_name (names, "pcap"))
    {
      int fd = openat (out->staging_fd, "pcap", O_RDONLY | O_DIRECTORY
                       | O_NOFOLLOW | O_CLOEXEC);
      g_autoptr (GPtrArray) pcaps = fd >= 0 ? list_dir (fd) : NULL;
      if (fd >= 0)
        close (fd);
      for (guint i = 0; pcaps && i < pcaps->len; i++)
        if (!tools_output_is_capture_name (g_ptr_array_index (pcaps, i)))
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                         "%s/pcap/%s: the run wrote a capture file of an "
                         "unexpected name", out->staging,
                         (char *) g_ptr_array_index (pcaps, i));
            return FALSE;
          }
    }
  return TRUE;
}

static gboolean
move_at (int from_fd, const char *from, int to_fd, const char *to,
         const char *path, GError **error)
{
  if (renameat (from_fd, from, to_fd, to) != 0)
    return set_errno_error (error, errno, path, "cannot move into place");
  return TRUE;
}

/* Moves the staged names into DIR; an earlier pcap/ goes into staging
 * first (removed with it), an earlier output not made again is removed. */
static gboolean
move_all (ToolsOutput *out, GPtrArray *names, GError **error)
{
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *to = g_build_filename (out->dir, n, NULL);
      struct stat st;

      if (strcmp (n, "pcap") == 0
          && fstatat (out->dir_fd, n, &st, AT_SYMLINK_NOFOLLOW) == 0
          && !move_at (out->dir_fd, n, out->staging_fd, STAGING_OLD_PCAP, to,
                       error))
        return FALSE;
      if (!move_at (out->staging_fd, n, out->dir_fd, n, to, error))
        {
          /* The earlier pcap/ goes back rather than away with staging. */
          if (strcmp (n, "pcap") == 0)
            renameat (out->staging_fd, STAGING_OLD_PCAP, out->dir_fd, n);
          return FALSE;
        }
    }
  for (const char *const *n = output_names; *n; n++)
    {
      g_autofree char *path = g_build_filename (out->dir, *n, NULL);
      struct stat st;

      if (has_name (names, *n))
        continue;
      /* An earlier pcap/ (checked to hold only capture files) leaves with
       * the staging directory. */
      if (strcmp (*n, "pcap") == 0)
        {
          if (fstatat (out->dir_fd, *n, &st, AT_SYMLINK_NOFOLLOW) == 0
              && !move_at (out->dir_fd, *n, out->staging_fd, STAGING_OLD_PCAP,
                           path, error))
            return FALSE;
          continue;
        }
      if (unlinkat (out->dir_fd, *n, 0) != 0 && errno != ENOENT)
        return set_errno_error (error, errno, path,
                                "cannot remove an earlier run's file");
    }
  return TRUE;
}

gboolean
tools_output_commit (ToolsOutput *out, GError **error)
{
  g_autoptr (GPtrArray) names = list_dir (out->staging_fd);

  if (!check_staged (out, names, error) || !check_places (out, error)
      || !move_all (out, names, error))
    return FALSE;
  g_ptr_array_set_size (out->created, 0);     /* they stay */
  tools_output_abort (out);     /* the staging directory, now all old */
  return TRUE;
}

void
tools_output_abort (ToolsOutput *out)
{
  if (out->staging)
    {
      g_autofree char *base = g_path_get_basename (out->staging);
      if (out->dir_fd >= 0)
        remove_tree_at (out->dir_fd, base, 0);
      g_clear_pointer (&out->staging, g_free);
    }
  if (out->staging_fd >= 0)
    close (out->staging_fd);
  out->staging_fd = -1;
  for (guint i = out->created ? out->created->len : 0; i > 0; i--)
    rmdir (g_ptr_array_index (out->created, i - 1));
  if (out->created)
    g_ptr_array_set_size (out->created, 0);
}

void
tools_output_clear (ToolsOutput *out)
{
  if (!out->dir)
    return;
  tools_output_abort (out);
  if (out->dir_fd >= 0)
    close (out->dir_fd);
  g_clear_pointer (&out->created, g_ptr_array_unref);
  g_clear_pointer (&out->stale, g_ptr_array_unref);
  g_clear_pointer (&out->stale_kept, g_ptr_array_unref);
  g_clear_pointer (&out->dir, g_free);
  out->dir_fd = -1;
}
