/* progress.c - the progress line of long runs; see progress.h. */
#include "progress.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* No line in a run's first second: a short run should look as it did
 * before there was a progress display. */
static const double QUIET_START = 1.0;
/* Five redraws a second read as live without flooding a slow terminal
 * (an ssh session) with escape sequences after every small input. */
static const double REDRAW_EVERY = 0.2;

/* "\033[K" (EL, erase in line) clears from the cursor to the end of the
 * line; after "\r", which goes back to its start, it erases the line and
 * leaves the cursor where the next message starts. */
#define CLEAR_TO_END "\033[K"
static const char ERASE[] = "\r" CLEAR_TO_END;

static double seconds_between(const struct timespec *a,
                              const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) +
         (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Writes all of buf, best effort: a terminal that fails to take the
 * progress line is no reason to disturb the conversion. */
static void put(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    buf += w;
    n -= (size_t)w;
  }
}

/* The terminal a line is drawn on now, or -1: for a signal handler,
 * which may read nothing else. */
static volatile sig_atomic_t line_fd = -1;

/* Called with the lock held. */
static void erase_line(progress_display *d) {
  if (d->drawn) {
    line_fd = -1;
    put(d->fd, ERASE, sizeof ERASE - 1);
    d->drawn = 0;
  }
}

void progress_signal_erase(void) {
  int fd = line_fd;
  if (fd >= 0 && write(fd, ERASE, sizeof ERASE - 1) < 0)
    line_fd = -1;   /* nothing more can be done from a handler */
}

/* v with a comma every three digits ("3,751"), into buf. */
static char *grouped(char *buf, size_t size, unsigned long long v) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%llu", v);
  size_t out = 0;
  for (int i = 0; i < n && out + 2 < size; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      buf[out++] = ',';
    buf[out++] = digits[i];
  }
  buf[out] = '\0';
  return buf;
}

/* "  12 s left", "  3 min 05 s left", "  2 h 10 min left" into buf; an
 * empty string until there is anything done to extrapolate from. */
static void time_left(char *buf, size_t size, const quire_progress *p,
                      double elapsed) {
  double left = -1;
  /* Bytes predict better than inputs when the files differ in size; a
   * run of standard input and streams has no byte total, so inputs then. */
  if (p->bytes_total > 0 && p->bytes_done > 0)
    left = p->bytes_done >= p->bytes_total ? 0 :
           elapsed * (double)(p->bytes_total - p->bytes_done) /
           (double)p->bytes_done;
  else if (p->inputs_total > 0 && p->inputs_done > 0)
    left = p->inputs_done >= p->inputs_total ? 0 :
           elapsed * (double)(p->inputs_total - p->inputs_done) /
           (double)p->inputs_done;
  if (left < 0) {
    buf[0] = '\0';
    return;
  }
  if (left > 1e7)     /* ~4 months: keeps the conversion below in range */
    left = 1e7;
  unsigned long s = (unsigned long)(left + 0.5);
  if (s < 60)
    snprintf(buf, size, "  %lu s left", s);
  else if (s < 3600)
    snprintf(buf, size, "  %lu min %02lu s left", s / 60, s % 60);
  else
    snprintf(buf, size, "  %lu h %02lu min left", s / 3600, s % 3600 / 60);
}

/* The terminal's width, read at each redraw so that a resized window is
 * followed; 80 when the terminal does not say. */
static size_t terminal_width(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

/* Called with the lock held. */
static void draw(progress_display *d, const quire_progress *p,
                 double elapsed) {
  char done[32], total[32], left[64];
  time_left(left, sizeof left, p, elapsed);
  char line[256];
  int n = snprintf(line, sizeof line, "\rquire: %s/%s inputs  %.1f MB/s%s",
                   grouped(done, sizeof done, p->inputs_done),
                   grouped(total, sizeof total, p->inputs_total),
                   (double)p->bytes_done / 1e6 / elapsed, left);
  if (n < 0)
    return;
  size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  /* One column short of the width: text in the last column leaves some
   * terminals about to wrap, and the next "\r" would then return to the
   * start of a new line, not of this one.  The line is ASCII, so bytes
   * are columns; the leading "\r" takes none. */
  size_t width = terminal_width(d->fd);
  if (len > width)
    len = width;
  put(d->fd, line, len);
  /* what a longer line before it left */
  put(d->fd, CLEAR_TO_END, sizeof CLEAR_TO_END - 1);
  d->drawn = 1;
  line_fd = d->fd;
}

void progress_init(progress_display *d, int fd) {
  memset(d, 0, sizeof *d);
  pthread_mutex_init(&d->lock, NULL);
  d->fd = fd;
  clock_gettime(CLOCK_MONOTONIC, &d->start);
  d->last = d->start;   /* the first second is longer than the throttle */
  d->active = 1;
}

void progress_update(void *user, const quire_progress *p) {
  progress_display *d = user;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  pthread_mutex_lock(&d->lock);
  if (p->finished) {
    erase_line(d);
    d->finished = 1;
  } else if (!d->finished) {
    double elapsed = seconds_between(&d->start, &now);
    /* the throttle also holds after a message erased the line, so a run
     * that warns on every input does not flicker */
    if (elapsed >= QUIET_START &&
        seconds_between(&d->last, &now) >= REDRAW_EVERY) {
      draw(d, p, elapsed);
      d->last = now;
    }
  }
  pthread_mutex_unlock(&d->lock);
}

void progress_hold(progress_display *d) {
  if (!d->active)
    return;
  pthread_mutex_lock(&d->lock);
  erase_line(d);
}

void progress_release(progress_display *d) {
  if (d->active)
    pthread_mutex_unlock(&d->lock);
}

void progress_end(progress_display *d) {
  if (!d->active)
    return;
  pthread_mutex_lock(&d->lock);
  erase_line(d);
  pthread_mutex_unlock(&d->lock);
  pthread_mutex_destroy(&d->lock);
  d->active = 0;
}
