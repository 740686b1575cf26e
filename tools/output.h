/* An output directory written all at once: every file of a run goes into
 * a staging directory DIR/.partial-XXXXXX first, and only when all of them
 * were written without error are they renamed into DIR (the pcap/
 * directory replaced whole). A failed run removes the staging directory,
 * so it never leaves a half file that looks whole. */
#ifndef TOOLS_OUTPUT_H
#define TOOLS_OUTPUT_H

#include <glib.h>

typedef struct {
  char *dir;                    /* the final directory */
  char *staging;                /* DIR/.partial-XXXXXX */
} ToolsOutput;

gboolean tools_output_begin (ToolsOutput *out, const char *dir,
                             GError **error);
/* Writes contents to staging/name (name may be "pcap/x.pcap"). */
gboolean tools_output_write (ToolsOutput *out, const char *name,
                             const GString *contents, GError **error);
/* Moves everything into place; the staging directory is gone after. */
gboolean tools_output_commit (ToolsOutput *out, GError **error);
/* Removes the staging directory and what is in it. */
void tools_output_abort (ToolsOutput *out);
void tools_output_clear (ToolsOutput *out);

#endif
