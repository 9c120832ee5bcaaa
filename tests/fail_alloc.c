/* fail_alloc.c - the failing allocator of fail_alloc.h. */
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "fail_alloc.h"

void *memalign(size_t align, size_t n);

/* glibc's allocator, under the names it exports for replacements. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);

/* Blocks allocated while armed and not yet freed (the first TRACKED), with
 * the number of their allocation, for fail_alloc_report. */
#define TRACKED 8192
static struct { void *p; size_t n; } tracked[TRACKED];
static size_t n_tracked;

static atomic_long live;
static atomic_size_t count;
static atomic_size_t fail_at;
static atomic_int armed, failed;
static void *failed_caller;   /* the code that asked for the failed block */
static void *failed_frames[32];   /* the stack there */
static int n_failed_frames;
static void (*on_failure)(void);

void fail_alloc_on_failure(void (*fn)(void)) { on_failure = fn; }

static int trace_failures;
static size_t trace_at;

__attribute__((constructor)) static void trace_setup(void) {
  void *frames[1];
  backtrace(frames, 1);   /* loads libgcc, which allocates, before use */
  trace_failures = getenv("FAIL_ALLOC_BACKTRACE") != NULL;
  const char *at = getenv("FAIL_ALLOC_TRACE_AT");
  trace_at = at ? (size_t)strtoul(at, NULL, 10) : 0;
}

int fail_alloc_failed_stack(void ***frames) {
  *frames = failed_frames;
  return failed ? n_failed_frames : 0;
}

void fail_alloc_arm(size_t at) {
  count = 0;
  failed = 0;
  n_tracked = 0;
  fail_at = at;
  armed = 1;
}

size_t fail_alloc_disarm(void) {
  armed = 0;
  return count;
}

int fail_alloc_failed(void) { return failed; }

long fail_alloc_live(void) { return live; }

/* Non-zero when this allocation is to fail; `caller` asked for it. */
static int fails_for(void *caller) {
  if (!armed)
    return 0;
  size_t n = ++count;
  if (trace_at && n == trace_at) {   /* FAIL_ALLOC_TRACE_AT=N */
    void *frames[24];
    backtrace_symbols_fd(frames, backtrace(frames, 24), 2);
  }
  if (n == fail_at) {
    if (!failed) {
      failed_caller = caller;
      n_failed_frames = backtrace(failed_frames, 32);
      if (trace_failures)    /* FAIL_ALLOC_BACKTRACE: where it failed */
        backtrace_symbols_fd(failed_frames, n_failed_frames, 2);
      failed = 1;
      if (on_failure)
        on_failure();
    }
    failed = 1;
    errno = ENOMEM;
    return 1;
  }
  return 0;
}

#define fails() fails_for(__builtin_return_address(0))

void *fail_alloc_failed_caller(void) { return failed ? failed_caller : NULL; }

static void track(void *p) {
  if (armed && n_tracked < TRACKED) {
    tracked[n_tracked].p = p;
    tracked[n_tracked++].n = count;
  }
}

static void untrack(void *p) {
  for (size_t i = n_tracked; i-- > 0;)
    if (tracked[i].p == p) {
      tracked[i] = tracked[--n_tracked];
      return;
    }
}

static void *counted(void *p) {
  if (p) {
    live++;
    track(p);
  }
  return p;
}

void fail_alloc_report(FILE *fp) {
  for (size_t i = 0; i < n_tracked; i++)
    fprintf(fp, "  not freed: allocation %zu\n", tracked[i].n);
}

static void *do_malloc(size_t n, void *caller) {
  return fails_for(caller) ? NULL : counted(__libc_malloc(n));
}

static void *do_memalign(size_t align, size_t n, void *caller) {
  return fails_for(caller) ? NULL : counted(__libc_memalign(align, n));
}

void *malloc(size_t n) { return do_malloc(n, __builtin_return_address(0)); }

void *calloc(size_t n, size_t size) {
  return fails() ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n) {
  if (!p)
    return do_malloc(n, __builtin_return_address(0));
  if (n == 0) {           /* glibc frees p and returns NULL */
    free(p);
    return NULL;
  }
  if (fails())
    return NULL;
  void *q = __libc_realloc(p, n);
  if (q && q != p) {
    untrack(p);
    track(q);
  }
  return q;
}

void free(void *p) {
  if (p) {
    live--;
    untrack(p);
  }
  __libc_free(p);
}

void *memalign(size_t align, size_t n) {
  return do_memalign(align, n, __builtin_return_address(0));
}

void *aligned_alloc(size_t align, size_t n) {
  return do_memalign(align, n, __builtin_return_address(0));
}

int posix_memalign(void **out, size_t align, size_t n) {
  void *p = do_memalign(align, n, __builtin_return_address(0));
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}
