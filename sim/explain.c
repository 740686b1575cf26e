/* Explanation log: steps in pages of EXPLAIN_PAGE, chained per request by
 * step ids, an interned string store, and interned IPv6 addresses (a
 * step holds their numbers: 4 bytes a field, as for IPv4). Models append
 * as packets pass; report writers and the capture read. A released chain's slots are reused (last
 * released, first reused), so the array follows the steps alive, not the
 * run's length. Invariant: a step id is index + 1 and stays valid until
 * its chain is released. */
#include "sim/explain.h"

#include <stdarg.h>
#include <stdio.h>

#include "sim/wire.h"

/* Steps a page holds: the log grows a page at a time, never by copying
 * one large block (a run with millions of steps alive asks for none). */
#define EXPLAIN_PAGE_BITS 12
#define EXPLAIN_PAGE (1u << EXPLAIN_PAGE_BITS)

struct SimExplainLog {
  GPtrArray *pages;             /* SimExplainStep[EXPLAIN_PAGE]; state NULL
                                   when free */
  uint32_t n_steps;             /* slots used: ids 1 .. n_steps */
  GArray *free_ids;             /* uint32_t: released step ids, a stack */
  GArray *journal;              /* uint32_t: ids appended while watched */
  uint32_t watching;            /* nesting depth of journal_begin */
  GHashTable *deferred;         /* tag -> step id waiting for a frame */
  GStringChunk *strings;        /* interned text */
  GPtrArray *addrs6;            /* SimIp6*, owned: interned IPv6
                                   addresses, number n at n - 1 */
  GHashTable *addr6_numbers;    /* SimIp6* (addrs6's) -> number */
  GString *scratch;             /* reused by internf */
};

/* FNV-1a over the 16 bytes (looked up, never walked). */
static guint
explain_addr6_hash (gconstpointer p)
{
  const SimIp6 *a = p;
  guint h = 2166136261u;

  for (unsigned i = 0; i < 16; i++)
    h = (h ^ a->b[i]) * 16777619u;
  return h;
}

static gboolean
explain_addr6_equal (gconstpointer a, gconstpointer b)
{
  return sim_ipv6_equal (a, b);
}

SimExplainLog *
sim_explain_log_new (void)
{
  SimExplainLog *log = g_new0 (SimExplainLog, 1);

  log->pages = g_ptr_array_new_with_free_func (g_free);
  log->free_ids = g_array_new (FALSE, FALSE, sizeof (uint32_t));
  log->journal = g_array_sized_new (FALSE, FALSE, sizeof (uint32_t), 64);
  log->deferred = g_hash_table_new (g_direct_hash, g_direct_equal);
  log->strings = g_string_chunk_new (4096);
  log->scratch = g_string_new (NULL);
  log->addrs6 = g_ptr_array_new_with_free_func (g_free);
  log->addr6_numbers = g_hash_table_new (explain_addr6_hash,
                                         explain_addr6_equal);
  return log;
}

/* The slot of step id (1-based), which must have been used. */
static SimExplainStep *
explain_slot (const SimExplainLog *log, uint32_t id)
{
  uint32_t i = id - 1;

  return (SimExplainStep *) g_ptr_array_index (log->pages,
                                               i >> EXPLAIN_PAGE_BITS)
         + (i & (EXPLAIN_PAGE - 1));
}

void
sim_explain_log_free (SimExplainLog *log)
{
  if (!log)
    return;
  g_ptr_array_free (log->pages, TRUE);
  g_array_free (log->free_ids, TRUE);
  g_array_free (log->journal, TRUE);
  g_hash_table_destroy (log->deferred);
  g_string_chunk_free (log->strings);
  g_string_free (log->scratch, TRUE);
  g_hash_table_destroy (log->addr6_numbers);
  g_ptr_array_free (log->addrs6, TRUE);
  g_free (log);
}

uint32_t
sim_explain_append (SimExplainLog *log, SimExplainChain *chain,
                    const SimExplainStep *step)
{
  SimExplainStep copy = *step;
  uint32_t id;

  g_assert (step->state != NULL);
  copy.next = 0;
  copy.frame = 0;
  if (log->free_ids->len > 0)
    {
      id = g_array_index (log->free_ids, uint32_t, log->free_ids->len - 1);
      g_array_set_size (log->free_ids, log->free_ids->len - 1);
    }
  else
    {
      g_assert (log->n_steps < UINT32_MAX);
      if (log->n_steps % EXPLAIN_PAGE == 0)
        g_ptr_array_add (log->pages, g_new (SimExplainStep, EXPLAIN_PAGE));
      id = ++log->n_steps;
    }
  *explain_slot (log, id) = copy;
  if (log->watching && !copy.outbound)
    g_array_append_val (log->journal, id);
  if (chain->last)
    explain_slot (log, chain->last)->next = id;
  else
    chain->first = id;
  chain->last = id;
  chain->count++;
  return id;
}

void
sim_explain_stamp_frame (SimExplainLog *log, const uint32_t *steps,
                         uint32_t n, uint64_t frame)
{
  for (uint32_t i = 0; i < n; i++)
    {
      SimExplainStep *s = explain_slot (log, steps[i]);
      if (s->frame == 0)
        s->frame = frame;
    }
}

void
sim_explain_release (SimExplainLog *log, SimExplainChain *chain)
{
  uint32_t id = chain->first;

  while (id != 0)
    {
      SimExplainStep *s = explain_slot (log, id);
      uint32_t next = s->next;

      g_assert (s->state != NULL);
      s->state = NULL;
      g_array_append_val (log->free_ids, id);
      id = next;
    }
  *chain = (SimExplainChain) { 0 };
}

uint32_t
sim_explain_journal_begin (SimExplainLog *log)
{
  log->watching++;
  return log->journal->len;
}

const uint32_t *
sim_explain_journal_since (const SimExplainLog *log, uint32_t mark,
                           uint32_t *n)
{
  g_assert (log->watching > 0 && mark <= log->journal->len);
  *n = log->journal->len - mark;
  return &g_array_index (log->journal, uint32_t, 0) + mark;
}

void
sim_explain_journal_end (SimExplainLog *log, uint32_t mark)
{
  g_assert (log->watching > 0);
  if (--log->watching == 0)
    g_array_set_size (log->journal, 0);
  else
    g_assert (mark <= log->journal->len);
}

void
sim_explain_journal_add (SimExplainLog *log, uint32_t id)
{
  if (log->watching == 0 || id == 0 || id > log->n_steps
      || explain_slot (log, id)->state == NULL)
    return;
  g_array_append_val (log->journal, id);
}

bool
sim_explain_watching (const SimExplainLog *log)
{
  return log->watching > 0;
}

void
sim_explain_defer (SimExplainLog *log, uint32_t tag, uint32_t step)
{
  g_assert (tag != 0 && step != 0);
  if (!g_hash_table_contains (log->deferred, GUINT_TO_POINTER (tag)))
    g_hash_table_insert (log->deferred, GUINT_TO_POINTER (tag),
                         GUINT_TO_POINTER (step));
}

void
sim_explain_claim (SimExplainLog *log, uint32_t tag)
{
  uint32_t step;

  g_assert (log->watching > 0);
  /* The per-frame cost is one size test while nothing waits. */
  if (tag == 0 || g_hash_table_size (log->deferred) == 0)
    return;
  step = GPOINTER_TO_UINT (g_hash_table_lookup (log->deferred,
                                                GUINT_TO_POINTER (tag)));
  if (step == 0)
    return;
  g_hash_table_remove (log->deferred, GUINT_TO_POINTER (tag));
  g_array_append_val (log->journal, step);
}

void
sim_explain_undefer (SimExplainLog *log, uint32_t tag)
{
  if (g_hash_table_size (log->deferred) > 0)
    g_hash_table_remove (log->deferred, GUINT_TO_POINTER (tag));
}

const char *
sim_explain_intern (SimExplainLog *log, const char *text)
{
  return text ? g_string_chunk_insert_const (log->strings, text) : NULL;
}

const char *
sim_explain_internf (SimExplainLog *log, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  int n;

  /* A stack buffer first: glib's printf allocates on every call. */
  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (n >= 0 && (size_t) n < sizeof buf)
    return g_string_chunk_insert_const (log->strings, buf);
  va_start (ap, fmt);
  g_string_vprintf (log->scratch, fmt, ap);
  va_end (ap);
  return g_string_chunk_insert_const (log->strings, log->scratch->str);
}

uint32_t
sim_explain_intern6 (SimExplainLog *log, const SimIp6 *addr)
{
  SimIp6 *copy;
  uint32_t n;

  if (!addr)
    return 0;
  n = GPOINTER_TO_UINT (g_hash_table_lookup (log->addr6_numbers, addr));
  if (n != 0)
    return n;
  copy = g_memdup2 (addr, sizeof *addr);
  g_ptr_array_add (log->addrs6, copy);
  n = log->addrs6->len;
  g_hash_table_insert (log->addr6_numbers, copy, GUINT_TO_POINTER (n));
  return n;
}

const SimIp6 *
sim_explain_addr6 (const SimExplainLog *log, uint32_t n)
{
  g_assert (n >= 1 && n <= log->addrs6->len);
  return g_ptr_array_index (log->addrs6, n - 1);
}

char *
sim_explain_addr_text (const SimExplainLog *log, const SimExplainStep *s,
                       uint32_t addr, uint8_t bit, char *buf)
{
  if (s->v6 & bit)
    return sim_ipv6_to_string (sim_explain_addr6 (log, addr), buf);
  return sim_ipv4_to_string (addr, buf);
}

const SimExplainStep *
sim_explain_get (const SimExplainLog *log, uint32_t id)
{
  const SimExplainStep *s;

  g_assert (id >= 1 && id <= log->n_steps);
  s = explain_slot (log, id);
  g_assert (s->state != NULL);
  return s;
}

uint32_t
sim_explain_count (const SimExplainLog *log)
{
  return log->n_steps - log->free_ids->len;
}

void
sim_explain_format (const SimExplainLog *log, uint32_t id, GString *out)
{
  const SimExplainStep *s = sim_explain_get (log, id);
  char a[SIM_IPV6_STRLEN], b[SIM_IPV6_STRLEN];

#define ADDR(field, bit, buf) \
  sim_explain_addr_text (log, s, s->field, SIM_EXPLAIN_V6_##bit, buf)
  /* Plain appends, no printf: this runs for every captured decision. */
  g_string_append (out, s->state);
  if (s->cause)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, s->cause);
    }
  g_string_append (out, " at ");
  g_string_append (out, s->node);
  if (s->tag)
    {
      g_string_append (out, " (");
      g_string_append (out, s->tag);
      g_string_append_c (out, ')');
    }
  if (s->rule)
    {
      g_string_append (out, ": ");
      g_string_append (out, s->rule);
    }
  if (s->note)
    {
      g_string_append (out, "; ");
      g_string_append (out, s->note);
    }
  if (s->src_before && s->dst_before)
    {
      g_string_append (out, " [");
      g_string_append (out, ADDR (src_before, SRC_BEFORE, a));
      g_string_append (out, " -> ");
      g_string_append (out, ADDR (dst_before, DST_BEFORE, b));
      if (s->src_after || s->dst_after)
        {
          g_string_append (out, " => ");
          g_string_append (out, s->src_after ? ADDR (src_after, SRC_AFTER, a)
                                             : ADDR (src_before, SRC_BEFORE,
                                                     a));
          g_string_append (out, " -> ");
          g_string_append (out, s->dst_after ? ADDR (dst_after, DST_AFTER, b)
                                             : ADDR (dst_before, DST_BEFORE,
                                                     b));
        }
      g_string_append_c (out, ']');
    }
  else if (s->src_before)
    {
      g_string_append (out, " [from ");
      g_string_append (out, ADDR (src_before, SRC_BEFORE, a));
      g_string_append_c (out, ']');
    }
  else if (s->dst_before)
    {
      g_string_append (out, " [to ");
      g_string_append (out, ADDR (dst_before, DST_BEFORE, b));
      g_string_append_c (out, ']');
    }
#undef ADDR
}

void
sim_explain_format_comment (const SimExplainLog *log, uint32_t id,
                            GString *out)
{
  const SimExplainStep *s = sim_explain_get (log, id);
  char n[16];

  sim_explain_format (log, id, out);
  if (s->subject == NULL)
    return;
  g_string_append (out, " (");
  g_string_append (out, s->subject);
  if (s->subject_request > 0)
    {
      g_string_append (out, ", request ");
      g_snprintf (n, sizeof n, "%u", s->subject_request);
      g_string_append (out, n);
    }
  g_string_append_c (out, ')');
}
