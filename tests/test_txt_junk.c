/* test_txt_junk.c - an input chosen by its .txt extension whose bytes are
 * not text is refused with an error naming the file and saying why; -f txt
 * forces it with a warning; real text, UTF-16 included, reads as before. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_cmd.h"
#include "skip_note.h"
#include "test_files.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"

typedef struct fixture {
  char dir[64];
  char path[2][4096];   /* two paths made by at() */
  unsigned next;
  run_result r;         /* the last run of quire */
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/test_txt_junk.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  run_result_free(&f->r);
  test_remove_tree(f->dir);
  free(f);
  return 0;
}

/* DIR/NAME in the fixture's folder; valid for the next call. */
static const char *at(fixture *f, const char *name) {
  char *p = f->path[f->next++ % 2];
  char made[sizeof f->path[0]];
  snprintf(made, sizeof made, "%s/%s", f->dir, name);
  memcpy(p, made, sizeof made);
  return p;
}

/* Runs quire with args (NULL-terminated); it must exit, with no sanitizer
 * report. */
static void run_quire(fixture *f, const char *const *args) {
  const char *argv[16] = {QUIRE_BIN};
  size_t n = 1;
  for (; args[n - 1]; n++) {
    assert_true(n < 15);
    argv[n] = args[n - 1];
  }
  argv[n] = NULL;
  static const char *const env[] = {"QUIRE_PLUGIN_PATH=", "LC_ALL=C", NULL};
  run_opts opts = {.env = env};
  run_result_free(&f->r);
  if (run_cmd(argv, &opts, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!f->r.exited) {
    char outcome[96];
    fail_msg("quire was %s; stderr:\n%s",
             run_result_describe(&f->r, outcome, sizeof outcome), f->r.err);
  }
  if (strstr(f->r.err, "Sanitizer") || strstr(f->r.err, "runtime error"))
    fail_msg("sanitizer report from quire:\n%s", f->r.err);
}

static void expect_in(const char *haystack, const char *needle) {
  if (!strstr(haystack, needle))
    fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

/* A copy of /bin/ls (or, where there is none, bytes shaped like an
 * executable) named ls.txt. */
static const char *binary_named_txt(fixture *f) {
  const char *path = at(f, "ls.txt");
  FILE *in = fopen("/bin/ls", "rb");
  static char bytes[1 << 16];
  size_t n = 0;
  if (in) {
    n = fread(bytes, 1, sizeof bytes, in);
    fclose(in);
  }
  if (n < 4096) {
    memset(bytes, 0, sizeof bytes);
    memcpy(bytes, "\x7f" "ELF\x02\x01\x01", 7);
    n = 4096;
  }
  test_write_file(path, bytes, n);
  return path;
}

static void test_binary_named_txt_is_refused_naming_the_file(void **state) {
  fixture *f = *state;
  const char *in = binary_named_txt(f);
  const char *out = at(f, "out.txt");
  run_quire(f, (const char *[]){"-o", out, in, NULL});
  assert_int_not_equal(f->r.status, 0);
  expect_in(f->r.err, "ls.txt");
  expect_in(f->r.err, "not text");
  expect_in(f->r.err, "NUL bytes in the first");
  expect_in(f->r.err, "-f txt");
  FILE *made = fopen(out, "rb");
  if (made)
    fclose(made);
  assert_null(made);
}

static void test_binary_with_f_txt_is_read_with_a_warning(void **state) {
  fixture *f = *state;
  const char *in = binary_named_txt(f);
  const char *out = at(f, "out.txt");
  run_quire(f, (const char *[]){"-f", "txt", "-o", out, in, NULL});
  assert_int_equal(f->r.status, 0);
  expect_in(f->r.err, "warning: ");
  expect_in(f->r.err, "ls.txt: not text (");
  FILE *made = fopen(out, "rb");
  assert_non_null(made);
  fclose(made);
}

/* Bytes without NUL, but a third of them control characters: not text. */
static void test_control_characters_without_nul_are_refused(void **state) {
  fixture *f = *state;
  char bytes[3000];
  for (size_t i = 0; i < sizeof bytes; i++)
    bytes[i] = i % 3 ? (char)('a' + i % 26) : (char)(1 + i % 8);
  const char *in = at(f, "noise.txt");
  test_write_file(in, bytes, sizeof bytes);
  run_quire(f, (const char *[]){"-t", "txt", in, NULL});
  assert_int_not_equal(f->r.status, 0);
  expect_in(f->r.err, "noise.txt: not text: 1000 control characters");
}

/* Tabs, form feeds, CRLF, a stray escape and Windows-1252 are text. */
static void test_text_with_form_feeds_and_a_stray_escape_is_read(void **state) {
  fixture *f = *state;
  static const char text[] =
      "Chapter\tOne\r\n\r\nIt was a caf\xE9 \x93quoted\x94.\r\n\f\r\n"
      "Chapter Two\r\n\r\nA stray \x1B escape in a long enough line.\r\n";
  const char *in = at(f, "old.txt");
  test_write_file(in, text, sizeof text - 1);
  run_quire(f, (const char *[]){"-t", "txt", in, NULL});
  assert_int_equal(f->r.status, 0);
  assert_null(strstr(f->r.err, "not text"));
  expect_in(f->r.out, "caf\xC3\xA9");
}

static void test_utf16_with_a_byte_order_mark_is_read_as_text(void **state) {
  fixture *f = *state;
  /* "héllo wörld" in UTF-16LE and UTF-16BE, each with its mark */
  static const char le[] = "\xFF\xFEh\0\xE9\0l\0l\0o\0 \0w\0\xF6\0r\0l\0d\0\n\0";
  static const char be[] = "\xFE\xFF\0h\0\xE9\0l\0l\0o\0 \0w\0\xF6\0r\0l\0d\0\n";
  const char *names[] = {"le.txt", "be.txt"};
  const char *bytes[] = {le, be};
  for (int i = 0; i < 2; i++) {
    const char *in = at(f, names[i]);
    test_write_file(in, bytes[i], sizeof le - 1);
    run_quire(f, (const char *[]){"-t", "txt", in, NULL});
    assert_int_equal(f->r.status, 0);
    assert_string_equal(f->r.err, "");
    expect_in(f->r.out, "h\xC3\xA9llo w\xC3\xB6rld");
  }
}

/* Every text file of the corpus and of the tests reads without being
 * called "not text". */
static void test_corpus_and_test_texts_are_text(void **state) {
  fixture *f = *state;
  static const char *const dirs[] = {QUIRE_SOURCE_DIR "/corpus",
                                     QUIRE_SOURCE_DIR "/tests/data/text"};
  int seen = 0;
  for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
    DIR *dir = opendir(dirs[d]);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      size_t n = strlen(e->d_name);
      if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
        continue;
      char in[4096];
      snprintf(in, sizeof in, "%s/%s", dirs[d], e->d_name);
      run_quire(f, (const char *[]){"-t", "txt", "-o", "/dev/null", in,
                                    NULL});
      if (f->r.status != 0 || strstr(f->r.err, "not text"))
        fail_msg("%s: exit %d\n%s", in, f->r.status, f->r.err);
      seen++;
    }
    closedir(dir);
  }
  assert_true(seen >= 10);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      T(test_binary_named_txt_is_refused_naming_the_file),
      T(test_binary_with_f_txt_is_read_with_a_warning),
      T(test_control_characters_without_nul_are_refused),
      T(test_text_with_form_feeds_and_a_stray_escape_is_read),
      T(test_utf16_with_a_byte_order_mark_is_read_as_text),
      T(test_corpus_and_test_texts_are_text),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
