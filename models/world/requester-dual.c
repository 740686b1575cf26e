/* A dual-stack caller's name lookup and connection attempts (see
 * models/world/requester.h).
 *
 * A caller whose host has an IPv6 address other than loopback and
 * link-local asks AAAA as well as A (glibc's getaddrinfo with
 * AI_ADDRCONFIG sends both queries from one socket; a host without IPv4,
 * an IPv6-only VM, asks AAAA only, over IPv6), keeps both answers'
 * addresses (a NODATA answer adds none), orders them by RFC 6724
 * (sim/addrsel.h) and connects:
 *  - getaddrinfo: one address after another, the next when a connection
 *    fails (a reset, or no SYN-ACK before Linux gives up: 127 s, six SYN
 *    retries; within the request's timeout);
 *  - happy-eyeballs (RFC 8305): AAAA asked first, connecting as soon as
 *    the AAAA answer brings addresses (an A answer first waits 50 ms for
 *    it), the families interleaved, a new attempt every 250 ms or at once
 *    when one fails, the first connected wins and the others are reset.
 * Each choice is a CHOOSE_ADDRESS step of the request's explanation. A
 * caller with IPv4 only never comes here: its queries and connection
 * are requester.c's, as they always were.
 * Scenario keys read (through the plan): [traffic] address-selection. */
#include "models/world/requester-private.h"

#include <string.h>

#define HE_RESOLUTION_DELAY (50 * SIM_MS)       /* RFC 8305 section 3 */
#define HE_ATTEMPT_DELAY (250 * SIM_MS)         /* RFC 8305 section 5 */
/* Linux gives a connect up after tcp_syn_retries = 6 retransmissions:
 * 1 + 2 + 4 + 8 + 16 + 32 + 64 s. */
#define LINUX_SYN_GIVE_UP (127 * SIM_S)

G_STATIC_ASSERT (CLOUDRUN_CALL_MAX_ADDRS <= SIM_ADDRSEL_MAX);

/* How the last attempt failed (CloudRunCall.failed). */
typedef enum {
  DUAL_FAILED_RESET,            /* RST */
  DUAL_FAILED_TIMEOUT,          /* no SYN-ACK */
  DUAL_FAILED_UNREACHABLE,      /* no route: never sent */
} DualFailure;

static void dual_next (CloudRunCall *call);

static SimKernel *
dual_kernel (CloudRunCall *call)
{
  return sim_world_kernel (call->caller->node->world);
}

static SimExplainLog *
dual_log (CloudRunCall *call)
{
  return sim_world_explain (call->caller->node->world);
}

static bool
dual_happy (const CloudRunCall *call)
{
  return call->plan->selection == CLOUDRUN_ADDRESS_SELECTION_HAPPY_EYEBALLS;
}

/* getaddrinfo sorts by glibc's built-in table; Happy Eyeballs (RFC 8305
 * section 4) by RFC 6724's. */
static SimAddrselTable
dual_table (const CloudRunCall *call)
{
  return dual_happy (call) ? SIM_ADDRSEL_RFC6724 : SIM_ADDRSEL_GLIBC;
}

/* An address as people write it: IPv4-mapped ones as a dotted quad. */
static const char *
dual_text (const SimIp6 *a, char buf[SIM_IPV6_STRLEN])
{
  uint32_t v4;

  if (sim_addrsel_is_mapped (a, &v4))
    return sim_ipv4_to_string (v4, buf);
  return sim_ipv6_to_string (a, buf);
}

/* A step of the call's explanation at the caller, with d's addresses
 * (its source and it) when d is not NULL. */
static void
dual_step (CloudRunCall *call, const SimAddrselDest *d, const char *rule,
           const char *note)
{
  CloudRunRequester *caller = call->caller;
  CloudRunStep s = { .hop = caller->hop,
                     .state = CLOUDRUN_STATE_CHOOSE_ADDRESS,
                     .rule = rule, .note = note };
  uint32_t v4;

  if (d && sim_addrsel_is_mapped (&d->addr, &v4))
    {
      s.dst = v4;
      sim_addrsel_is_mapped (&d->source, &s.src);
    }
  else if (d)
    {
      s.src6 = &d->source;
      s.dst6 = &d->addr;
    }
  cloudrun_request_step (caller->ledger, call->request, caller->node, &s);
}

bool
cloudrun_call_host_dual (const SimHost *host)
{
  for (unsigned i = 0; i < host->n_addrs6; i++)
    if (sim_addrsel_scope (&host->addrs6[i]) > SIM_ADDRSEL_SCOPE_LINK)
      return true;
  return false;
}

void
cloudrun_call_dual_query (CloudRunCall *call)
{
  if (call->dns_tries == 1)
    {
      call->dns_id6 = (uint16_t) sim_rng_below (&call->caller->dns_rng,
                                                65536);
      /* AI_ADDRCONFIG: no A query from a host without IPv4. */
      call->want_a = call->caller->host->n_addrs > 0;
      call->want_aaaa = true;
      call->answered = false;
      call->n_dests = call->n_tried = 0;
      call->nxdomain = call->connecting = call->racing = false;
      call->failed = DUAL_FAILED_RESET;
      call->told = false;
      call->winner = 0;
    }
  /* glibc sends A, then AAAA; RFC 8305 section 3 asks AAAA first. */
  if (dual_happy (call) && call->want_aaaa)
    cloudrun_call_send_query (call, SIM_DNS_TYPE_AAAA, call->dns_id6);
  if (call->want_a)
    cloudrun_call_send_query (call, SIM_DNS_TYPE_A, call->dns_id);
  if (!dual_happy (call) && call->want_aaaa)
    cloudrun_call_send_query (call, SIM_DNS_TYPE_AAAA, call->dns_id6);
}

/* ---- The order ------------------------------------------------------ */

/* Why a precedes b, in RFC 6724's words. */
static const char *
dual_rule_words (CloudRunCall *call, const SimAddrselDest *a,
                 const SimAddrselDest *b, unsigned rule)
{
  SimExplainLog *log = dual_log (call);
  SimAddrselTable t = dual_table (call);
  char x[SIM_IPV6_STRLEN], y[SIM_IPV6_STRLEN];
  char xs[SIM_IPV6_STRLEN], ys[SIM_IPV6_STRLEN];

  dual_text (&a->addr, x);
  dual_text (&b->addr, y);
  if (rule == 1 && b->unreachable)
    return sim_explain_internf (log, "RFC 6724 rule 1 (avoid unusable "
                                "destinations): the host has no route to "
                                "%s", y);
  if (rule == 1)
    return sim_explain_internf (log, "RFC 6724 rule 1 (avoid unusable "
                                "destinations): the host has no source "
                                "address of %s's family", y);
  dual_text (&a->source, xs);
  dual_text (&b->source, ys);
  switch (rule)
    {
    case 2:
      return sim_explain_internf (log, "RFC 6724 rule 2 (matching scope): "
                                  "%s has the scope of its source %s, %s "
                                  "scope %u but its source %s scope %u", x,
                                  xs, y, sim_addrsel_scope (&b->addr), ys,
                                  sim_addrsel_scope (&b->source));
    case 5:
      return sim_explain_internf (log, "RFC 6724 rule 5 (matching label): "
                                  "source %s has label %u, destination %s "
                                  "label %u; %s has its source's label %u",
                                  ys, sim_addrsel_label (t, &b->source), y,
                                  sim_addrsel_label (t, &b->addr), x,
                                  sim_addrsel_label (t, &a->addr));
    case 6:
      return sim_explain_internf (log, "RFC 6724 rule 6 (higher "
                                  "precedence): %s has precedence %u, %s %u",
                                  x, sim_addrsel_precedence (t, &a->addr), y,
                                  sim_addrsel_precedence (t, &b->addr));
    case 8:
      return sim_explain_internf (log, "RFC 6724 rule 8 (smaller scope): %s "
                                  "has scope %u, %s %u", x,
                                  sim_addrsel_scope (&a->addr), y,
                                  sim_addrsel_scope (&b->addr));
    case 9:
      return sim_explain_internf (log, "RFC 6724 rule 9 (longest matching "
                                  "prefix): %s shares %u bits with its "
                                  "source %s, %s %u with %s", x,
                                  sim_addrsel_common_prefix (&a->source,
                                                             &a->addr),
                                  xs, y,
                                  sim_addrsel_common_prefix (&b->source,
                                                             &b->addr), ys);
    default:
      return "RFC 6724 rule 10: no rule tells them apart, the DNS "
             "answers' order stays";
    }
}

/* Orders the untried addresses dests[from..n): RFC 6724, then for
 * Happy Eyeballs the families interleaved, v6_first starting. */
static void
dual_sort (CloudRunCall *call, unsigned from, int v6_first)
{
  const SimHost *host = call->caller->host;
  SimIp6 srcs[SIM_HOST_MAX_ADDRS + SIM_HOST_MAX_ADDRS6];
  SimAddrselSources s = { srcs, 0, dual_table (call) };

  for (unsigned i = 0; i < host->n_addrs; i++)
    srcs[s.n++] = sim_addrsel_mapped (host->addrs[i]);
  for (unsigned i = 0; i < host->n_addrs6; i++)
    srcs[s.n++] = host->addrs6[i];
  /* RFC 6724 rule 1 knows unreachable destinations (glibc asks the
   * kernel for a route): a host with IPv6 routes and none for an address
   * cannot send there (one without any sends all by its first port). */
  for (unsigned i = from; i < call->n_dests; i++)
    {
      SimAddrselDest *d = &call->dests[i];

      d->unreachable = !sim_addrsel_is_mapped (&d->addr, NULL)
                       && host->routes6
                       && !sim_host_route6_taken (host, &d->addr);
    }
  sim_addrsel_sort (call->dests + from, call->n_dests - from, &s);
  if (dual_happy (call) && from < call->n_dests)
    sim_addrsel_interleave (call->dests + from, call->n_dests - from,
                            v6_first < 0
                            ? !sim_addrsel_is_mapped (&call->dests[from].addr,
                                                      NULL)
                            : v6_first > 0);
}

/* The story starts with the order; why holds the rule that put the
 * first address first. */
static void
dual_order (CloudRunCall *call)
{
  char a[SIM_IPV6_STRLEN];

  g_strlcpy (call->story, dual_happy (call)
             ? "happy-eyeballs (RFC 8305): RFC 6724's order with the "
               "families taking turns, a new attempt every 250 ms until one "
               "connects: "
             : "getaddrinfo order (RFC 6724's rules, glibc's default "
               "policy table), tried one after another: ",
             sizeof call->story);
  for (unsigned i = 0; i < call->n_dests; i++)
    {
      if (i)
        g_strlcat (call->story, ", ", sizeof call->story);
      g_strlcat (call->story, dual_text (&call->dests[i].addr, a),
                 sizeof call->story);
    }
  call->why = NULL;
  call->told = false;
  if (call->n_dests > 1)
    {
      SimAddrselDest x = call->dests[0], y = call->dests[1];
      bool first;
      unsigned rule;

      /* The first address of the other family says most: why one family
       * goes first. */
      for (unsigned i = 1; i < call->n_dests; i++)
        if (sim_addrsel_is_mapped (&call->dests[i].addr, NULL)
            != sim_addrsel_is_mapped (&x.addr, NULL))
          {
            y = call->dests[i];
            break;
          }
      rule = sim_addrsel_compare (dual_table (call), &x, &y, &first);

      call->why = first ? dual_rule_words (call, &x, &y, rule)
                        : dual_rule_words (call, &y, &x, rule);
    }
}

/* One more thing an attempt met, after the order. */
static void
dual_story (CloudRunCall *call, const char *fmt, const SimIp6 *addr,
            const char *tail)
{
  char a[SIM_IPV6_STRLEN], item[SIM_IPV6_STRLEN + 160];

  g_snprintf (item, sizeof item, fmt, dual_text (addr, a), tail);
  g_strlcat (call->story, "; ", sizeof call->story);
  g_strlcat (call->story, item, sizeof call->story);
}

void
cloudrun_call_dual_tell (CloudRunCall *call)
{
  if (!call->connecting || call->told)
    return;
  call->told = true;
  dual_step (call, call->winner ? &call->dests[call->winner - 1] : NULL,
             sim_explain_internf (dual_log (call), "%s", call->story),
             call->why);
}

/* ---- Attempts ------------------------------------------------------- */

static unsigned
dual_open (const CloudRunCall *call)
{
  unsigned n = 0;

  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    n += call->attempts[i].conn != NULL;
  return n;
}

/* Nothing open, nothing left to try, no answer awaited: the call failed
 * as its last attempt did. */
static void
dual_settle (CloudRunCall *call)
{
  if (dual_open (call) || call->n_tried < call->n_dests || call->dns_pending)
    return;
  if (call->failed == DUAL_FAILED_TIMEOUT)
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_TIMEOUT,
                          "TCP connection timed out (no SYN-ACK) at the "
                          "last address tried");
  else if (call->failed == DUAL_FAILED_UNREACHABLE)
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                          "no route to the last address (network "
                          "unreachable)");
  else
    cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_UNAVAILABLE,
                          "connection reset at the last address tried");
}

static void
dual_timer (SimKernel *k, void *target, void *arg, uint64_t u)
{
  CloudRunCall *call = target;

  (void) k; (void) arg; (void) u;
  if (call->finished)
    return;
  if (!call->connecting)
    {
      call->connecting = true;  /* the resolution delay is over */
      dual_sort (call, 0, -1);
      dual_order (call);
    }
  dual_next (call);
}

/* Opens attempt slot to dests[idx]; false when no port was free. */
static bool
dual_connect (CloudRunCall *call, CloudRunAttempt *a, unsigned idx)
{
  CloudRunRequester *caller = call->caller;
  const CloudRunTrafficPlan *plan = call->plan;
  const SimAddrselDest *d = &call->dests[idx];
  SimTime left = plan->timeout - (sim_world_now (caller->node->world)
                                  - cloudrun_call_request (call)->start);
  SimTime limit = left > 0 ? left : 1;
  uint32_t v4, src4;

  if (!dual_happy (call) && limit > LINUX_SYN_GIVE_UP)
    limit = LINUX_SYN_GIVE_UP;
  if (!a->tls)
    a->tls = sim_tls_new ();
  a->dest = (uint8_t) idx;
  if (sim_addrsel_is_mapped (&d->addr, &v4))
    {
      sim_addrsel_is_mapped (&d->source, &src4);
      a->conn = plan->tls
        ? sim_tls_connect (a->tls, caller->host, src4, v4, plan->port, limit,
                           plan->host, &caller->tls_rng, &cloudrun_call_tcp,
                           call, call->request)
        : sim_tcp_connect (caller->host, src4, v4, plan->port, limit,
                           &cloudrun_call_tcp, call, call->request);
    }
  else
    a->conn = plan->tls
      ? sim_tls_connect6 (a->tls, caller->host, &d->source, &d->addr,
                          plan->port, limit, plan->host, &caller->tls_rng,
                          &cloudrun_call_tcp, call, call->request)
      : sim_tcp_connect6 (caller->host, 0, &d->source, &d->addr, plan->port,
                          limit, &cloudrun_call_tcp, call, call->request);
  if (!a->conn)
    return false;
  call->racing = true;
  if (idx > 0)
    dual_story (call, "then %s%s", &d->addr,
                dual_happy (call) && dual_open (call) > 1
                ? " (the earlier attempts have no answer yet; they go on)"
                : "");
  return true;
}

/* Starts the next untried address, when a slot is free. */
static void
dual_next (CloudRunCall *call)
{
  while (call->n_tried < call->n_dests && !call->finished)
    {
      CloudRunAttempt *a = NULL;
      unsigned idx;

      for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS && !a; i++)
        if (!call->attempts[i].conn)
          a = &call->attempts[i];
      if (!a)
        return;                 /* a failure frees one */
      idx = call->n_tried++;
      if (!call->dests[idx].usable)
        {
          /* connect() fails at once: network unreachable. */
          call->failed = DUAL_FAILED_UNREACHABLE;
          dual_story (call, "%s unusable%s", &call->dests[idx].addr,
                      call->dests[idx].unreachable
                      ? " (no route: network unreachable)" : "");
          continue;
        }
      if (!dual_connect (call, a, idx))
        continue;
      if (dual_happy (call))
        {
          sim_kernel_cancel (dual_kernel (call), &call->attempt_timer);
          call->attempt_timer = sim_kernel_schedule_in (
            dual_kernel (call), HE_ATTEMPT_DELAY, dual_timer, call, NULL, 0);
        }
      return;
    }
  dual_settle (call);
}

/* Both answers are in (or Happy Eyeballs goes on the first): sort, say
 * the order, try the first. */
static void
dual_begin (CloudRunCall *call)
{
  sim_kernel_cancel (dual_kernel (call), &call->attempt_timer);
  if (call->n_dests == 0)
    {
      cloudrun_call_finish (call, 0, CLOUDRUN_VERDICT_DNS_FAILURE,
                            call->nxdomain ? "DNS answered NXDOMAIN"
                                           : "DNS answer has no address");
      return;
    }
  call->connecting = true;
  dual_sort (call, 0, -1);
  dual_order (call);
  dual_next (call);
}

void
cloudrun_call_dual_answer (CloudRunCall *call, const SimDnsMessage *m)
{
  unsigned before = call->n_dests;
  bool aaaa;

  /* By id and question, as a stub checks both: the two queries' ids may
   * be equal (each is drawn alone). */
  if (m->id == call->dns_id && call->want_a && m->qtype == SIM_DNS_TYPE_A)
    aaaa = false;
  else if (m->id == call->dns_id6 && call->want_aaaa
           && m->qtype == SIM_DNS_TYPE_AAAA)
    aaaa = true;
  else
    return;
  *(aaaa ? &call->want_aaaa : &call->want_a) = false;
  call->answered = true;
  call->nxdomain |= m->rcode == SIM_DNS_RCODE_NXDOMAIN;
  for (uint32_t i = 0; i < m->n_answers; i++)
    {
      SimAddrselDest *d = &call->dests[call->n_dests];

      if (call->n_dests >= CLOUDRUN_CALL_MAX_ADDRS
          || m->answers[i].type != (aaaa ? SIM_DNS_TYPE_AAAA
                                         : SIM_DNS_TYPE_A))
        continue;
      memset (d, 0, sizeof *d);
      if (aaaa)
        memcpy (d->addr.b, m->answers[i].aaaa, sizeof d->addr.b);
      else
        d->addr = sim_addrsel_mapped (m->answers[i].a);
      call->n_dests++;
    }
  if (!call->want_a && !call->want_aaaa)
    cloudrun_call_dns_done (call);
  if (call->connecting)
    {
      /* Happy Eyeballs: the late family joins the untried, taking
       * turns from the family the last attempt did not use. */
      const SimAddrselDest *last = &call->dests[call->n_tried
                                                ? call->n_tried - 1 : 0];

      if (call->n_dests > before)
        g_strlcat (call->story, aaaa ? "; the AAAA answer came later, its "
                                       "addresses join the untried"
                                     : "; the A answer came later, its "
                                       "addresses join the untried",
                   sizeof call->story);
      if (call->n_dests > before)
        dual_sort (call, call->n_tried,
                   call->n_tried == 0
                   ? -1 : sim_addrsel_is_mapped (&last->addr, NULL));
      if (!sim_timer_pending (&call->attempt_timer))
        dual_next (call);
      else
        dual_settle (call);
      return;
    }
  if (!call->want_a && !call->want_aaaa)
    dual_begin (call);
  else if (dual_happy (call) && call->n_dests > 0)
    {
      if (aaaa)
        dual_begin (call);      /* RFC 8305 section 3: go at once */
      else
        call->attempt_timer = sim_kernel_schedule_in (
          dual_kernel (call), HE_RESOLUTION_DELAY, dual_timer, call, NULL, 0);
    }
}

bool
cloudrun_call_dual_dns_timeout (CloudRunCall *call)
{
  bool answered = call->answered;

  cloudrun_call_dns_done (call);
  call->want_a = call->want_aaaa = false;
  if (call->connecting)
    {
      dual_settle (call);       /* the rest never answered: go without */
      return true;
    }
  if (!answered)
    return false;
  dual_begin (call);            /* one answer is all there is */
  return true;
}

bool
cloudrun_call_attempt_connected (CloudRunCall *call, SimTcpConn *conn)
{
  CloudRunAttempt *win = NULL;
  unsigned reset = 0;
  SimTls *tls;

  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    if (call->attempts[i].conn == conn)
      win = &call->attempts[i];
  if (!win)
    return false;
  tls = call->tls;              /* the winner's SimTls carries conn now */
  call->tls = win->tls;
  win->tls = tls;
  win->conn = NULL;
  call->conn = conn;
  call->racing = false;
  call->retx_base = 0;
  sim_kernel_cancel (dual_kernel (call), &call->attempt_timer);
  call->aborting = true;
  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    if (call->attempts[i].conn)
      {
        SimTcpConn *other = call->attempts[i].conn;

        call->attempts[i].conn = NULL;
        sim_tcp_abort (other);
        reset++;
      }
  call->aborting = false;
  call->winner = (uint8_t) (win->dest + 1);
  dual_story (call, "%s connected%s", &call->dests[win->dest].addr,
              reset ? ", the other attempts are reset (RFC 8305 section 5)"
                    : "");
  cloudrun_call_dual_tell (call);
  return true;
}

bool
cloudrun_call_attempt_closed (CloudRunCall *call, SimTcpConn *conn,
                              SimTcpCloseReason reason)
{
  CloudRunAttempt *a = NULL;
  bool timeout = reason == SIM_TCP_CLOSED_TIMEOUT;

  if (call->aborting)
    return true;
  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    if (call->attempts[i].conn == conn)
      a = &call->attempts[i];
  if (!a)
    return false;
  a->conn = NULL;
  call->failed = timeout ? DUAL_FAILED_TIMEOUT : DUAL_FAILED_RESET;
  if (call->finished)
    return true;
  dual_story (call, "%s failed (%s)", &call->dests[a->dest].addr,
              timeout ? "no SYN-ACK" : "connection reset");
  dual_next (call);
  return true;
}

void
cloudrun_call_attempts_drop (CloudRunCall *call)
{
  sim_kernel_cancel (dual_kernel (call), &call->attempt_timer);
  call->racing = false;
  call->aborting = true;
  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    if (call->attempts[i].conn)
      {
        SimTcpConn *conn = call->attempts[i].conn;

        call->attempts[i].conn = NULL;
        sim_tcp_abort (conn);
      }
  call->aborting = false;
}

void
cloudrun_call_attempts_free (CloudRunCall *call)
{
  for (unsigned i = 0; i < CLOUDRUN_CALL_MAX_ATTEMPTS; i++)
    if (call->attempts[i].tls)
      sim_tls_free (call->attempts[i].tls);
}
