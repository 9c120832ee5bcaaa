/* progress.h - the progress line of long runs on a terminal.
 *
 *     quire: 1,234/3,751 inputs  23.4 MB/s  12 s left
 *
 * The CLI hands progress_update to the job as its quire_progress_fn when
 * standard error is a terminal and -q was not given.  The line appears
 * only once a run has lasted a second, is redrawn in place a few times a
 * second, and is erased when the run finishes, so that a short run, a
 * pipe or a log file never sees it.  Messages printed during a run go
 * through progress_hold/progress_release so that they are never written
 * into the middle of the line. */
#ifndef QUIRE_CLI_PROGRESS_H
#define QUIRE_CLI_PROGRESS_H

#include <quire/quire.h>

#include <pthread.h>
#include <time.h>

/* The state of one display.  Fields are private to progress.c; the struct
 * is here so that the CLI can hold one without allocating. */
typedef struct progress_display {
  pthread_mutex_t lock;     /* the diagnostics handler runs on any thread */
  int fd;                   /* the terminal drawn on */
  struct timespec start;    /* when the run began */
  struct timespec last;     /* when the line was last drawn */
  int active;               /* progress_init was called: draw and erase */
  int drawn;                /* the line is on the terminal now */
  int finished;             /* the run said it finished: draw no more */
} progress_display;

/* Starts the clock of a display that draws on `fd` (standard error).
 * Call it just before quire_convert, and progress_end after. */
void progress_init(progress_display *d, int fd);

/* A quire_progress_fn: `user` is the progress_display.  Draws nothing in
 * the first second of the run, then redraws at most five times a second;
 * erases the line when p->finished is set. */
void progress_update(void *user, const quire_progress *p);

/* Erases the line, if drawn, and keeps it from being redrawn until
 * progress_release: a message written in between has the terminal line to
 * itself, whichever thread writes it.  Both do nothing on a display that
 * progress_init did not start (zero-initialized), so the diagnostics
 * handler may call them whether or not progress is shown. */
void progress_hold(progress_display *d);
void progress_release(progress_display *d);

/* Erases the line, if drawn (a run that stopped on an error may not have
 * said it finished), and frees the display's lock. */
void progress_end(progress_display *d);

/* Erases the line, if one is drawn, from a signal handler (one write(2),
 * async-signal-safe): an interrupted run leaves the terminal clean. */
void progress_signal_erase(void);

#endif
