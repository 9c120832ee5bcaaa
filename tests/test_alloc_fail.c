/* test_alloc_fail.c - an allocation that fails ends a conversion with a
 * clean error, never a crash, a leak or a wrong output.
 *
 * For each conversion below (a corpus article to every writer and through
 * the clean transform, and an input of every reader to text), the conversion is run once to count its
 * allocations A and keep its output, then A times more in memory, the Nth
 * run failing the Nth allocation (fail_alloc.c, which replaces malloc for
 * every library of the process).  Each run must return a failure with a
 * message and no output, or succeed with the very output of the run that
 * failed nothing (a library that recovered); and every block allocated
 * during the run must be freed by its end.  A crash fails the program.
 * QUIRE_ALLOC_FAIL_STEP=K tries every Kth N only (a quicker look);
 * QUIRE_ALLOC_FAIL_ONLY=N the Nth only. */
#define _GNU_SOURCE   /* dladdr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/xmlerror.h>

#include <quire/quire.h>

#include "fail_alloc.h"
#include "skip_note.h"

static quire_session *session;

typedef struct conversion {
  const char *input;        /* relative to the source tree */
  const char *from;         /* NULL: by extension */
  const char *to;
  const char *transform;    /* or NULL */
} conversion;

typedef struct outcome {
  int rc;
  char *out;
  size_t len;
  char message[256];
} outcome;

static void run(const conversion *c, outcome *o) {
  static const quire_option bag = {"bag-archive", "tar"};
  int is_bag = strcmp(c->to, "bag") == 0;
  const char *in = c->input;
  quire_status st = {0};
  quire_job job = {.inputs = &in, .n_inputs = 1, .from = c->from,
                   .to = c->to, .options = is_bag ? &bag : NULL,
                   .n_options = is_bag,
                   .transforms = c->transform ? &c->transform : NULL,
                   .n_transforms = c->transform != NULL,
                   .output_data = &o->out, .output_len = &o->len,
                   .status = &st};
  o->out = NULL;
  o->len = 0;
  o->rc = quire_convert(session, &job);
  /* libxml2 keeps the last error it raised, with its message, until the
   * next one or a reset: not a leak of the conversion. */
  xmlResetLastError();
  snprintf(o->message, sizeof o->message, "%s",
           st.error.message ? st.error.message : "");
}

/* What one run with a failing allocation gave: the child's exit status. */
enum {
  RUN_FAILED_CLEANLY = 10,  /* an error with a message, no output */
  RUN_RECOVERED,            /* success with the same output */
  RUN_NO_FAILURE,           /* a shorter run: nothing failed */
  RUN_QUIRE_DEFECT = 20,    /* a leak, a wrong output, no message */
  RUN_LIBRARY_DEFECT,       /* the same, from a library's own allocation */
  RUN_LIBRARY_EXIT,         /* a library ended the process */
  RUN_LIBRARY_HANG,         /* a library looped (its CPU time ran out) */
  RUN_LIBRARY_CRASH,        /* a library crashed after its allocation failed */
};

/* A run takes milliseconds of CPU; one that has used a quarter of a second
 * is looping.  CPU time, not the clock, so that a busy machine cannot make
 * a run look hung; the clock's alarm, much later, catches a run blocked
 * for good. */
#define RUN_CPU_USEC_MAX 250000
#define RUN_SECONDS_MAX 60

/* The file of the code at addr ("libxml2.so.2"), or "?". */
static const char *code_file(void *addr) {
  Dl_info info;
  if (!addr || !dladdr(addr, &info) || !info.dli_fname)
    return "?";
  const char *slash = strrchr(info.dli_fname, '/');
  return slash ? slash + 1 : info.dli_fname;
}

/* The file of the code that asked for the failed allocation: the first
 * frame of its stack outside this program and the C library (strdup or
 * mktime asking on someone's behalf). */
static const char *failed_in(void) {
  void **frames;
  int n = fail_alloc_failed_stack(&frames);
  for (int i = 0; i < n; i++) {
    const char *f = code_file(frames[i]);
    if (!strstr(f, "libc.so") && !strstr(f, "test_alloc_fail") &&
        strcmp(f, "?") != 0)
      return f;
  }
  return code_file(fail_alloc_failed_caller());
}

/* Non-zero when the failed allocation was asked for by a library quire
 * uses rather than by quire (libquire or a plugin): its failure is then
 * that library's to handle. */
static int library_failed(void) {
  /* The plugins are NAME.so; the libraries libNAME.so.N. */
  const char *f = failed_in();
  return strncmp(f, "lib", 3) == 0 && strncmp(f, "libquire.", 9) != 0;
}

/* The verdict on the failed allocation, made when it failed (judge_failure):
 * a crash handler cannot look at the stack's libraries once the heap is
 * broken, since dladdr may itself fault there. */
static int failure_is_library;
static char failure_file[128];

static void judge_failure(void) {
  snprintf(failure_file, sizeof failure_file, "%s", failed_in());
  failure_is_library = library_failed();
}

/* A library that gives up on a failed allocation (libarchive's
 * __archive_errx) calls exit(): say so in the child's status. */
static void on_exit_in_child(void) {
  if (fail_alloc_failed()) {
    printf("    exited inside %s\n", failure_file);
    fflush(stdout);
    _exit(failure_is_library ? RUN_LIBRARY_EXIT : RUN_QUIRE_DEFECT);
  }
}

/* A run that does not end: where was the failed allocation asked for?
 * (Not async-signal-safe, but the child is stuck in a loop and about to
 * end anyway.) */
static size_t child_n;   /* the allocation the child fails */

static void on_alarm_in_child(int sig) {
  (void)sig;
  printf("    allocation %zu failing: hung (%s)\n", child_n,
         fail_alloc_failed() ? failure_file : "no allocation had failed");
  fflush(stdout);
  _exit(fail_alloc_failed() && failure_is_library ? RUN_LIBRARY_HANG
                                                 : RUN_QUIRE_DEFECT);
}

/* A crash after an allocation failed: in whose code was that allocation
 * asked for?  A crash with none failed, or with quire's own, stays a crash
 * (the signal is raised again). */
static void on_crash_in_child(int sig) {
  if (fail_alloc_failed() && failure_is_library) {
    /* The heap may be what the library broke (jansson: "free(): invalid
     * next size"): no stdio, which may allocate; the message is made on
     * the stack and written at once. */
    char line[256];
    int len = snprintf(line, sizeof line,
                       "    allocation %zu failing: signal %d (%s)\n",
                       child_n, sig, failure_file);
    fflush(stdout);
    if (len > 0) {
      ssize_t done = write(STDOUT_FILENO, line, (size_t)len);
      (void)done;   /* the exit status says it anyway */
    }
    _exit(RUN_LIBRARY_CRASH);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

/* In a child process: the run failing allocation n, judged against ref. */
static int one_run(const conversion *c, const outcome *ref, size_t n,
                   size_t total) {
  child_n = n;
  /* cmocka's handlers would carry the child on into the next tests. */
  static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
  /* A crash may be a stack overflowed (a library recursing into a
   * failure): the handler gets a stack of its own, or it could not run
   * and the run would count as quire's crash. */
  static char alt[1 << 16];
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_crash_in_child;
  sa.sa_flags = SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
    sigaction(fatal[i], &sa, NULL);
  fail_alloc_on_failure(judge_failure);
  atexit(on_exit_in_child);
  signal(SIGALRM, on_alarm_in_child);
  signal(SIGPROF, on_alarm_in_child);
  struct itimerval cpu = {.it_value = {0, RUN_CPU_USEC_MAX}};
  setitimer(ITIMER_PROF, &cpu, NULL);
  alarm(RUN_SECONDS_MAX);
  outcome o;
  long live = fail_alloc_live();
  fail_alloc_arm(n);
  run(c, &o);
  int hit = fail_alloc_failed();
  fail_alloc_disarm();
  int same = o.out && o.len == ref->len && memcmp(o.out, ref->out, o.len) == 0;
  int left_output = o.out != NULL;
  const char *dump = getenv("QUIRE_ALLOC_FAIL_DUMP");   /* DIR: both outputs */
  if (dump && o.out) {
    char path[512];
    snprintf(path, sizeof path, "%s/expected", dump);
    FILE *fp = fopen(path, "wb");
    if (fp) {
      fwrite(ref->out, 1, ref->len, fp);
      fclose(fp);
    }
    snprintf(path, sizeof path, "%s/got", dump);
    if ((fp = fopen(path, "wb"))) {
      fwrite(o.out, 1, o.len, fp);
      fclose(fp);
    }
  }
  free(o.out);
  long leaked = fail_alloc_live() - live;
  if (!hit)
    return leaked > 0 ? RUN_QUIRE_DEFECT : RUN_NO_FAILURE;
  /* Fewer blocks than before (leaked < 0) is a cache of a library freed
   * (glibc's time zone name, libxml2's last error): not a leak. */
  const char *what = NULL;
  if (leaked > 0)
    what = "blocks leaked";
  else if (o.rc < QUIRE_OK && !o.message[0])
    what = "a failure with no message";
  else if (o.rc < QUIRE_OK && left_output)
    what = "a failure that left an output";
  else if (o.rc >= QUIRE_OK && !same)
    what = "success with a different output";
  if (!what)
    return o.rc < QUIRE_OK ? RUN_FAILED_CLEANLY : RUN_RECOVERED;
  printf("    %s -> %s, allocation %zu of %zu failing (asked for in %s): %s"
         " (%ld), rc %d: %s\n", c->input, c->to, n, total,
         failed_in(), what, leaked, o.rc,
         o.message);
  if (leaked > 0)
    fail_alloc_report(stdout);
  return library_failed() ? RUN_LIBRARY_DEFECT : RUN_QUIRE_DEFECT;
}

static void fails_cleanly(const conversion *c) {
  outcome ref;
  /* Once unarmed, for whatever a first run sets up for good (libxml2's
   * globals), then armed without failing, to count. */
  run(c, &ref);
  free(ref.out);
  long live = fail_alloc_live();
  fail_alloc_arm(0);
  run(c, &ref);
  size_t total = fail_alloc_disarm();
  if (ref.rc < QUIRE_OK)
    fail_msg("%s -> %s fails with no allocation failing: %s", c->input,
             c->to, ref.message);
  free(ref.out);
  if (fail_alloc_live() != live)
    fail_msg("%s -> %s leaks %ld blocks with no allocation failing",
             c->input, c->to, fail_alloc_live() - live);
  run(c, &ref);   /* the output to compare with, unarmed */
  const char *step_env = getenv("QUIRE_ALLOC_FAIL_STEP");
  size_t step = step_env && atoi(step_env) > 0 ? (size_t)atoi(step_env) : 1;
  /* QUIRE_ALLOC_FAIL_ONLY=N: that run only (with FAIL_ALLOC_BACKTRACE=1,
   * to see where the allocation failed). */
  const char *only = getenv("QUIRE_ALLOC_FAIL_ONLY");
  size_t first = only && atoi(only) > 0 ? (size_t)atoi(only) : 1;
  size_t last = only && atoi(only) > 0 ? first : total;
  size_t tally[RUN_LIBRARY_CRASH + 1] = {0}, crashed = 0;
  for (size_t n = first; n <= last; n += step) {
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      int code = one_run(c, &ref, n, total);
      fflush(stdout);
      _exit(code);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
      printf("    %s -> %s, allocation %zu failing: killed by signal %d\n",
             c->input, c->to, n, WTERMSIG(status));
      crashed++;
    } else if (WEXITSTATUS(status) >= RUN_FAILED_CLEANLY &&
               WEXITSTATUS(status) <= RUN_LIBRARY_CRASH)
      tally[WEXITSTATUS(status)]++;
    else {
      printf("    %s -> %s, allocation %zu failing: exit status %d\n",
             c->input, c->to, n, WEXITSTATUS(status));
      crashed++;
    }
  }
  printf("%s -> %s%s%s: %zu allocations; %zu failed cleanly, %zu recovered; "
         "library defects: %zu (%zu exits, %zu hangs, %zu crashes); quire "
         "defects: %zu, crashes: %zu\n",
         c->input, c->to, c->transform ? " with " : "",
         c->transform ? c->transform : "", total,
         tally[RUN_FAILED_CLEANLY], tally[RUN_RECOVERED],
         tally[RUN_LIBRARY_DEFECT] + tally[RUN_LIBRARY_EXIT] +
             tally[RUN_LIBRARY_HANG] + tally[RUN_LIBRARY_CRASH],
         tally[RUN_LIBRARY_EXIT], tally[RUN_LIBRARY_HANG],
         tally[RUN_LIBRARY_CRASH],
         tally[RUN_QUIRE_DEFECT], crashed);
  free(ref.out);
  assert_int_equal(tally[RUN_QUIRE_DEFECT], 0);
  assert_int_equal(crashed, 0);
}

#define ARTICLE "corpus/001_0bd458d27c3695d7.txt"

static void test_article_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "txt", NULL});
}
static void test_article_to_html(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "html", NULL});
}
static void test_article_to_xhtml(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "xhtml", NULL});
}
static void test_article_to_epub(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "epub", NULL});
}
static void test_article_to_json(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "json", NULL});
}
static void test_article_to_jsonl(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "jsonl", NULL});
}
static void test_article_to_pandoc_json(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "pandoc-json", NULL});
}
static void test_article_to_bag(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "bag", NULL});
}
static void test_article_cleaned(void **state) {
  (void)state;
  fails_cleanly(&(conversion){ARTICLE, NULL, "txt", "clean"});
}

/* Each reader, to text.  The EPUB is made first from the HTML page of
 * features (notes, tables, images), by a run that fails nothing. */
#define FEATURES "tests/data/html/features.html"
static char book[256];

static void test_html_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){FEATURES, NULL, "txt", NULL});
}
static void test_epub_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){book, NULL, "txt", NULL});
}
static void test_json_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/json/model2.json", NULL, "txt", NULL});
}
static void test_jsonl_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/json/corpus.jsonl", NULL, "txt", NULL});
}
static void test_pandoc_json_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/pandoc/every-element-1.23.json",
                              "pandoc-json", "txt", NULL});
}
static void test_zip_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/archive/small.zip", NULL, "txt", NULL});
}
static void test_tar_gz_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/archive/small.tar.gz", NULL, "txt", NULL});
}
static void test_warc_to_txt(void **state) {
  (void)state;
  fails_cleanly(&(conversion){"tests/data/archive/crawl.warc.gz", "warc", "txt", NULL});
}

static int make_book(void) {
  snprintf(book, sizeof book, "%s/test_alloc_fail.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  int fd = mkstemp(book);
  if (fd < 0)
    return -1;
  close(fd);
  const char *in = FEATURES;
  quire_job job = {.inputs = &in, .n_inputs = 1, .to = "epub",
                   .output = book};
  return quire_convert(session, &job) < QUIRE_OK ? -1 : 0;
}

int main(void) {
  test_filters_from_env();
  /* Reproducible outputs (EPUB and bag dates), to compare. */
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  session = quire_session_new();
  if (!session || quire_load_plugins(session) != QUIRE_OK) {
    fprintf(stderr, "cannot load the plugins\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_article_to_txt),
      cmocka_unit_test(test_article_to_html),
      cmocka_unit_test(test_article_to_xhtml),
      cmocka_unit_test(test_article_to_epub),
      cmocka_unit_test(test_article_to_json),
      cmocka_unit_test(test_article_to_jsonl),
      cmocka_unit_test(test_article_to_pandoc_json),
      cmocka_unit_test(test_article_to_bag),
      cmocka_unit_test(test_article_cleaned),
      cmocka_unit_test(test_html_to_txt),
      cmocka_unit_test(test_epub_to_txt),
      cmocka_unit_test(test_json_to_txt),
      cmocka_unit_test(test_jsonl_to_txt),
      cmocka_unit_test(test_pandoc_json_to_txt),
      cmocka_unit_test(test_zip_to_txt),
      cmocka_unit_test(test_tar_gz_to_txt),
      cmocka_unit_test(test_warc_to_txt),
  };
  if (make_book() != 0) {
    fprintf(stderr, "cannot make the EPUB to read: %s\n",
            quire_error_get(session)->message);
    return 1;
  }
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(book);
  quire_session_free(session);
  return test_main_status(failed);
}
