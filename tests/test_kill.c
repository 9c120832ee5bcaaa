/* test_kill.c - no temporary output survives any death of the process:
 * quire is killed with SIGKILL, which no handler can catch, at several
 * moments while it writes a large output, and the output folder and its
 * TMPDIR must then be empty. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "skip_note.h"
#include "test_files.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define BIG_INPUT_BYTES (24u << 20)

typedef struct fixture {
  char root[256];
  char input[300];
  char outdir[300];
  char tmpdir[300];     /* quire's TMPDIR */
  long long whole_size; /* the output of a run left to finish */
} fixture;

/* A large input: corpus text repeated, so that writing its output takes
 * long enough to be interrupted. */
static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->root, sizeof f->root, "%s/test_kill.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  assert_non_null(mkdtemp(f->root));
  snprintf(f->input, sizeof f->input, "%s/big.txt", f->root);
  snprintf(f->outdir, sizeof f->outdir, "%s/out", f->root);
  assert_int_equal(mkdir(f->outdir, 0700), 0);
  snprintf(f->tmpdir, sizeof f->tmpdir, "%s/tmp", f->root);
  assert_int_equal(mkdir(f->tmpdir, 0700), 0);
  FILE *src = fopen(QUIRE_SOURCE_DIR "/corpus/001_0bd458d27c3695d7.txt", "rb");
  assert_non_null(src);
  char text[1 << 16];
  size_t n = fread(text, 1, sizeof text, src);
  fclose(src);
  assert_true(n > 0);
  FILE *big = fopen(f->input, "wb");
  assert_non_null(big);
  for (size_t put = 0; put < BIG_INPUT_BYTES; put += n) {
    assert_int_equal(fwrite(text, 1, n, big), n);
    assert_int_equal(fputs("\n\n", big) >= 0, 1);
  }
  assert_int_equal(fclose(big), 0);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  test_remove_tree(f->root);
  free(f);
  return 0;
}

/* The names in dir, space-separated; "" when it is empty. */
static void listing(const char *dir, char *buf, size_t n) {
  buf[0] = '\0';
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *e;
  size_t used = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s",
                             used ? " " : "", e->d_name);
  }
  closedir(d);
}

static void sleep_us(long us) {
  struct timespec t = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&t, &t) != 0 && errno == EINTR)
    ;
}

/* Starts quire converting f's input to `to` in f's output folder, waits
 * until it holds its output open there, then `delay_us` more, and kills it
 * with SIGKILL (delay_us < 0: lets it finish).  Returns 1 when it died of the kill, 0 when it had
 * finished first (it exited), and fails the test if it never opened its
 * output within 10 s. */
static int convert_and_kill(fixture *f, const char *to, long delay_us) {
  char out[400];
  snprintf(out, sizeof out, "%s/out.%s", f->outdir, to);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    setenv("TMPDIR", f->tmpdir, 1);
    execl(QUIRE_BIN, QUIRE_BIN, "-q", "-o", out, f->input, (char *)NULL);
    _exit(127);
  }
  int status, done = 0;
  for (int i = 0; i < 20000; i++) {
    if (test_has_file_open_in((long)pid, f->outdir))
      break;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      done = 1;
      break;
    }
    sleep_us(500);
  }
  if (!done && delay_us < 0)   /* no kill: let it finish */
    assert_int_equal(waitpid(pid, &status, 0), pid);
  else if (!done) {
    sleep_us(delay_us);
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
  }
  struct stat st;
  if (WIFEXITED(status)) {
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(stat(out, &st), 0);
    if (delay_us < 0)
      f->whole_size = (long long)st.st_size;
    unlink(out);   /* it finished: the next run starts from nothing */
    return 0;
  }
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), SIGKILL);
  /* A kill that lands after the output took its name, as quire exits,
   * finds it whole: a finished run.  Anything else under that name is
   * left for the caller to report. */
  if (stat(out, &st) == 0 && (long long)st.st_size == f->whole_size) {
    unlink(out);
    return 0;
  }
  return 1;
}

static long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

/* Kills quire at moments spread over the whole of a conversion (its length
 * measured by one run left to finish), so that some land in its last stage
 * (the EPUB writer's container, the rename into place); after each, the
 * output folder and TMPDIR must be empty. */
static void kills_leave_nothing(fixture *f, const char *to) {
  static const int percent[] = {0, 2, 10, 25, 45, 65, 80, 90, 95, 99};
  long start = now_us();
  assert_int_equal(convert_and_kill(f, to, -1), 0);
  long whole = now_us() - start;
  int killed = 0;
  for (size_t i = 0; i < sizeof percent / sizeof percent[0]; i++) {
    long delay = whole * percent[i] / 100;
    killed += convert_and_kill(f, to, delay);
    char names[1024];
    listing(f->outdir, names, sizeof names);
    if (names[0])
      fail_msg("killed after %ld us of %ld, the output folder holds: %s",
               delay, whole, names);
    listing(f->tmpdir, names, sizeof names);
    if (names[0])
      fail_msg("killed after %ld us of %ld, TMPDIR holds: %s", delay, whole,
               names);
  }
  /* The input is large enough that most kills land while quire writes. */
  assert_true(killed >= 5);
}

static void test_sigkill_while_writing_text_leaves_no_file(void **state) {
  kills_leave_nothing(*state, "txt");
}

static void test_sigkill_while_writing_json_leaves_no_file(void **state) {
  kills_leave_nothing(*state, "json");
}

/* The html writer asks where its page goes (for the images beside it)
 * without naming the temporary file. */
static void test_sigkill_while_writing_html_leaves_no_file(void **state) {
  kills_leave_nothing(*state, "html");
}

/* The EPUB writer's spool, and the container libzip makes at the end, are
 * files with no name in TMPDIR. */
static void test_sigkill_while_writing_epub_leaves_no_file(void **state) {
  kills_leave_nothing(*state, "epub");
}

int main(void) {
  test_filters_from_env();
  if (access("/proc/self/fd", R_OK) != 0) {
    test_note_skip("no /proc here: cannot see when quire opens its output");
    return test_main_status(0);
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(
          test_sigkill_while_writing_text_leaves_no_file, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_sigkill_while_writing_json_leaves_no_file, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_sigkill_while_writing_html_leaves_no_file, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_sigkill_while_writing_epub_leaves_no_file, setup, teardown),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
