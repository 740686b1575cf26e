/* Interruption by signals (see tools/cli/interrupt.h). The handler writes one
 * volatile sig_atomic_t and nothing else; no glib in it. */
#include "tools/cli/interrupt.h"

#include <signal.h>
#include <stddef.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static const int handled[] = { SIGHUP, SIGINT, SIGTERM };

static void
on_signal (int signo)
{
  if (!caught)
    caught = signo;
}

void
tools_interrupt_install (void)
{
  struct sigaction sa = { 0 }, old;

  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset (&sa.sa_mask);
  for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
    if (sigaction (handled[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction (handled[i], &sa, NULL);
}

int
tools_interrupt_caught (void)
{
  return caught;
}

void
tools_interrupt_reraise (void)
{
  int signo = caught;
  sigset_t set;

  if (!signo)
    return;
  signal (signo, SIG_DFL);
  sigemptyset (&set);
  sigaddset (&set, signo);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
  raise (signo);
  _exit (128 + signo);
}
