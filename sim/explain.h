/* Explanation records: per request, a chain of steps (state, node, rule,
 * addresses before and after translation, note) kept in one log, whose
 * slots a released chain gives back. State words, and the numbers that
 * stand for them, are the caller's vocabulary (models use the
 * Connectivity Tests names); the engine gives them no meaning.
 * Strings are interned in the log; steps are referred to by id
 * (index + 1, so 0 means none). */
#ifndef SIM_EXPLAIN_H
#define SIM_EXPLAIN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/ipv6.h"
#include "sim/time.h"

typedef struct SimExplainLog SimExplainLog;

typedef struct {
  SimTime time;                 /* when the step was taken */
  const char *state;            /* static vocabulary word */
  int code;                     /* the caller's number for state, for
                                   programs that read steps (models:
                                   CloudRunState); carried, never read
                                   here; 0 when none */
  const char *cause;            /* static word qualifying state; may be
                                   NULL */
  const char *node;             /* node name, outlives the log */
  const char *tag;              /* static word for programs that read the
                                   text, written "(TAG)" right after the
                                   node, where no free text can reach; may
                                   be NULL */
  bool aside;                   /* an observation at a node the chain
                                   passed already: whoever draws the path
                                   skips it */
  uint8_t v6;                   /* SIM_EXPLAIN_V6_* bits: which address
                                   fields below hold an IPv6 address's
                                   number in the log (sim_explain_addr6)
                                   instead of an IPv4 address; 0 for an
                                   IPv4 step */
  const char *rule;             /* interned or static; may be NULL */
  const char *note;             /* interned or static; may be NULL */
  uint32_t src_before, dst_before;  /* 0 = not given */
  uint32_t src_after, dst_after;    /* 0 = unchanged */
  uint32_t next;                /* id of the next step of the chain */
  uint64_t frame;               /* the trace frame that first showed it
                                   (1-based, as the capture numbers
                                   trace.pcapng); 0 none */
  bool outbound;                /* about a packet the node sends (that
                                   packet's shown_step), not the frame it
                                   handles: kept out of the journal */
  const char *subject;          /* whose step it is, e.g. "traffic alice"
                                   (outlives the log); may be NULL */
  uint32_t subject_request;     /* 1-based request of subject; 0 none */
} SimExplainStep;

/* Bits of SimExplainStep.v6, one per address field. */
#define SIM_EXPLAIN_V6_SRC_BEFORE 1u
#define SIM_EXPLAIN_V6_DST_BEFORE 2u
#define SIM_EXPLAIN_V6_SRC_AFTER 4u
#define SIM_EXPLAIN_V6_DST_AFTER 8u

typedef struct {
  uint32_t first, last;         /* step ids; 0 when empty */
  uint32_t count;
} SimExplainChain;

SimExplainLog *sim_explain_log_new (void);
void sim_explain_log_free (SimExplainLog *log);

/* Appends a copy of step (its next is ignored) to chain; returns its id. */
uint32_t sim_explain_append (SimExplainLog *log, SimExplainChain *chain,
                             const SimExplainStep *step);
/* Marks steps[0 .. n - 1] as shown first by trace frame frame (those
 * already marked keep theirs). */
void sim_explain_stamp_frame (SimExplainLog *log, const uint32_t *steps,
                              uint32_t n, uint64_t frame);
/* Gives chain's steps back to the log (their ids become invalid and are
 * reused by later appends); chain is empty afterwards. */
void sim_explain_release (SimExplainLog *log, SimExplainChain *chain);

/* The journal: which steps were appended while something watched (a tap
 * around a node's handling of one frame). begin returns a mark; since
 * gives the ids appended after it (valid until the next append); end
 * closes the watch. Watches nest; the journal empties when the outermost
 * ends, so it holds one frame's steps, not the run's. */
uint32_t sim_explain_journal_begin (SimExplainLog *log);
const uint32_t *sim_explain_journal_since (const SimExplainLog *log,
                                           uint32_t mark, uint32_t *n);
void sim_explain_journal_end (SimExplainLog *log, uint32_t mark);
/* Adds an existing step to the journal while something watches (a
 * packet's shown_step at its arrival); nothing when none does, or when id
 * was released meanwhile. */
void sim_explain_journal_add (SimExplainLog *log, uint32_t id);

/* True while a journal watch is open (a frame is being handled). */
bool sim_explain_watching (const SimExplainLog *log);

/* Deferral: a step taken while no frame was handled (a timer's decision)
 * waits for the next frame that carries tag (a packet's request id): that
 * frame shows it (stamped with its number, given to the tap). One step per
 * tag; a later defer of the same tag keeps the first. claim, inside a
 * watch, puts the step deferred to tag, if any, in the journal; undefer
 * forgets it (its chain is being released). */
void sim_explain_defer (SimExplainLog *log, uint32_t tag, uint32_t step);
void sim_explain_claim (SimExplainLog *log, uint32_t tag);
void sim_explain_undefer (SimExplainLog *log, uint32_t tag);

/* Interns a string for the log's lifetime (deduplicated). */
const char *sim_explain_intern (SimExplainLog *log, const char *text);
const char *sim_explain_internf (SimExplainLog *log, const char *fmt, ...)
  G_GNUC_PRINTF (2, 3);
/* Interns an IPv6 address for the log's lifetime (deduplicated): its
 * number, never 0, to put in an address field whose SIM_EXPLAIN_V6_* bit
 * is set. NULL gives 0 (not given). */
uint32_t sim_explain_intern6 (SimExplainLog *log, const SimIp6 *addr);
/* The address number n (from sim_explain_intern6) stands for. */
const SimIp6 *sim_explain_addr6 (const SimExplainLog *log, uint32_t n);
/* The text of an address field of s (bit: its SIM_EXPLAIN_V6_* bit):
 * dotted quad, or RFC 5952 text for IPv6; buf holds SIM_IPV6_STRLEN
 * bytes. Returns buf. */
char *sim_explain_addr_text (const SimExplainLog *log,
                             const SimExplainStep *s, uint32_t addr,
                             uint8_t bit, char *buf);
const SimExplainStep *sim_explain_get (const SimExplainLog *log, uint32_t id);
/* Steps alive (appended and not released). */
uint32_t sim_explain_count (const SimExplainLog *log);
/* One line: "STATE CAUSE at node (tag): rule; note [src -> dst => src' ->
 * dst']" (" CAUSE" and " (tag)" only when given); with
 * only one address given, "[from src]" or "[to dst]". IPv6 addresses in
 * RFC 5952 text. */
void sim_explain_format (const SimExplainLog *log, uint32_t id, GString *out);
/* The capture's comment: sim_explain_format's line, then, when the step
 * has a subject, " (SUBJECT, request N)" (", request N" when given), last,
 * where no free text can follow it. */
void sim_explain_format_comment (const SimExplainLog *log, uint32_t id,
                                 GString *out);

#endif
