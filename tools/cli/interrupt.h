/* Interruption of a run by SIGHUP, SIGINT or SIGTERM: the handler only
 * records the signal (a sig_atomic_t, async-signal-safe); the simulation
 * loop (tools/session/run.c) polls it between slices of simulated time, the
 * command (tools/cli/main.c) then removes what the run staged and dies of the
 * same signal, so the shell sees the conventional status 128 + signo.
 * A signal ignored when the program started (a background job of a
 * non-interactive shell, nohup) stays ignored. */
#ifndef TOOLS_INTERRUPT_H
#define TOOLS_INTERRUPT_H

/* Installs the handlers; call once, before anything is created. */
void tools_interrupt_install (void);
/* 0, or the number of the first signal caught since install. */
int tools_interrupt_caught (void);
/* When a signal was caught: restores its default action and raises it
 * (does not return); else returns. */
void tools_interrupt_reraise (void);

#endif
