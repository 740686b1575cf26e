/* An output directory written all at once: every file of a run goes into
 * a staging directory DIR/.partial-XXXXXX first, and only when all of them
 * were written without error are they renamed into DIR (the pcap/
 * directory replaced whole). A failed run removes the staging directory
 * and the directories it created, so it never leaves a half file that
 * looks whole, nor an empty DIR.
 *
 * What the run may touch in DIR is a fixed list of its own names (trace.pcapng,
 * report.txt, report.json, report.html, requests.jsonl, topology.dot,
 * topology.svg, summary.csv (a sweep's run, tools/cli/sweep.c) and pcap/
 * holding only NAME.pcap files, tls-keys.log and comments.tsv). DIR itself is the user's
 * choice and may be a symbolic link; inside it no link is ever followed (every
 * call works relative to DIR's descriptor, with O_NOFOLLOW and
 * AT_SYMLINK_NOFOLLOW, like rsync and tar). Anything else where an output goes
 * (a link, a directory where a file goes, a file in pcap/ the run would not
 * have written) is an error naming it, before anything moves. An output of a
 * previous run that this run did not make again (a topology.svg when Graphviz
 * failed) is removed, so DIR shows one run.
 *
 * The staging directory is locked (flock) for the life of the run; a
 * begin finds the unlocked ones that a killed run left in DIR and removes
 * them. */
#ifndef TOOLS_OUTPUT_H
#define TOOLS_OUTPUT_H

#include <glib.h>

typedef struct {
  char *dir;                    /* the final directory, as given */
  char *staging;                /* DIR/.partial-XXXXXX; NULL when none */
  int dir_fd;                   /* DIR, open while dir is set, else -1 */
  int staging_fd;               /* staging, open and locked, else -1 */
  GPtrArray *created;           /* directories begin made (DIR and missing
                                 * parents), outermost first; removed
                                 * again, if empty, when the run fails */
  GPtrArray *stale;             /* names of staging directories left by
                                 * killed runs, removed at begin */
  GPtrArray *stale_kept;        /* likewise, that could not be removed */
} ToolsOutput;

/* Creates DIR (and its parents) when missing, locks it for this run (a
 * run already writing into DIR: an error saying so), removes stale
 * staging directories, makes this run's one, and checks the places of
 * the outputs (as commit will again). On failure out is ready for
 * tools_output_clear(), which also unlocks DIR. */
gboolean tools_output_begin (ToolsOutput *out, const char *dir,
                             GError **error);
/* Writes contents to staging/name (name may be "pcap/x.pcap"). */
gboolean tools_output_write (ToolsOutput *out, const char *name,
                             const GString *contents, GError **error);
/* Checks every place an output goes, then moves everything into place
 * and removes what an earlier run left under the run's own names; the
 * staging directory is gone after. */
gboolean tools_output_commit (ToolsOutput *out, GError **error);
/* Removes the staging directory and what is in it, and the directories
 * begin created (when empty). */
void tools_output_abort (ToolsOutput *out);
/* Aborts what is not committed, closes, frees; out may be all zero. */
void tools_output_clear (ToolsOutput *out);
/* TRUE for a name the capture gives a file in pcap/: a per-link file
 * [a-z0-9][a-z0-9._-]* ending in ".pcap" (link names are built from
 * scenario names), the TLS key log tls-keys.log or the per-link files'
 * comments, comments.tsv. */
gboolean tools_output_is_capture_name (const char *name);

#endif
