/* test_runs.c - what a run does with many inputs: graded results, runs
 * that survive bad inputs (keep_going) or fail on warnings (strict),
 * transforms that see the corpus first or drop and split documents,
 * options routed by format and direction, and corpus metadata that a
 * writer cannot place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "skip_note.h"

#include "session_fixture.h"

#define PLUGINS QUIRE_TEST_PLUGIN_DIR

static int setup(void **state) {
  int rc = fixture_setup(state);
  fixture *f = *state;
  assert_int_equal(quire_load_plugin_file(f->s, PLUGINS "/corpus.so"),
                   QUIRE_OK);
  return rc;
}

static void write_file(const fixture *f, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", f->dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

/* A folder "in" of three inputs: two articles and a book that is not one. */
static void make_folder_with_a_broken_input(const fixture *f) {
  char path[256];
  snprintf(path, sizeof path, "%s/in", f->dir);
  assert_int_equal(mkdir(path, 0777), 0);
  write_file(f, "in/a.txt", "The first article.\n");
  write_file(f, "in/b.epub", "PK\x03\x04 this is no book at all");
  write_file(f, "in/c.txt", "The third article.\n");
}

static char *slurp(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  buf[n] = '\0';
  return buf;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

/* Runs inputs (paths relative to the test folder) to `to`, in memory. */
static int run(fixture *f, const char *const *names, size_t n, const char *to,
               quire_job *job, quire_status *st, char **out) {
  static char paths[8][256];
  static const char *inputs[8];
  for (size_t i = 0; i < n; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/%s", f->dir, names[i]);
    inputs[i] = paths[i];
  }
  static size_t len;
  job->inputs = inputs;
  job->n_inputs = n;
  job->to = to;
  job->status = st;
  if (out && !job->output && !job->output_dir) {
    job->output_data = out;
    job->output_len = &len;
  }
  return quire_convert(f->s, job);
}

/* ---- Graded results and keep_going ---------------------------------------- */

static void test_keep_going_converts_the_rest_and_names_the_broken(
    void **state) {
  fixture *f = *state;
  make_folder_with_a_broken_input(f);
  const char *in[] = {"in"};
  char out[256];
  snprintf(out, sizeof out, "%s/all.html", f->dir);
  quire_job job = {.output = out, .keep_going = 1};
  quire_status st;
  assert_int_equal(run(f, in, 1, "html", &job, &st, NULL), QUIRE_FAILED);
  assert_int_equal(st.failed, 1);
  assert_int_equal(st.documents, 2);
  assert_non_null(strstr(st.error.file, "in/b.epub"));
  const char *html = slurp(out);
  assert_non_null(html);
  assert_non_null(strstr(html, "The first article."));
  assert_non_null(strstr(html, "The third article."));
}

static void test_without_keep_going_a_failure_leaves_no_output(void **state) {
  fixture *f = *state;
  make_folder_with_a_broken_input(f);
  const char *in[] = {"in"};
  char out[256];
  snprintf(out, sizeof out, "%s/all.html", f->dir);
  quire_job job = {.output = out};
  quire_status st;
  assert_int_equal(run(f, in, 1, "html", &job, &st, NULL), QUIRE_FATAL);
  assert_non_null(strstr(st.error.file, "in/b.epub"));
  assert_false(exists(out));
}

static void test_keep_going_in_output_dir_writes_no_output_for_the_broken(
    void **state) {
  fixture *f = *state;
  make_folder_with_a_broken_input(f);
  const char *in[] = {"in"};
  char dir[256], path[300];
  snprintf(dir, sizeof dir, "%s/out", f->dir);
  quire_job job = {.output_dir = dir, .keep_going = 1};
  quire_status st;
  assert_int_equal(run(f, in, 1, "txt", &job, &st, NULL), QUIRE_FAILED);
  snprintf(path, sizeof path, "%s/a.txt", dir);
  assert_true(exists(path));
  snprintf(path, sizeof path, "%s/c.txt", dir);
  assert_true(exists(path));
  snprintf(path, sizeof path, "%s/b.txt", dir);
  assert_false(exists(path));
}

static void test_a_warning_grades_the_run_and_strict_fails_it(void **state) {
  fixture *f = *state;
  /* an invalid UTF-8 byte among valid multi-byte characters: repaired,
   * with a warning */
  write_file(f, "bad.txt", "caf\xc3\xa9 and \xff here\n");
  const char *in[] = {"bad.txt"};
  quire_job job = {0};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "txt", &job, &st, &out), QUIRE_WARN);
  assert_int_equal(st.warnings, 1);
  free(out);
  quire_job strict = {.strict = 1};
  assert_int_equal(run(f, in, 1, "txt", &strict, &st, &out), QUIRE_FATAL);
  assert_null(out);
  assert_non_null(strstr(st.error.message, "--strict"));
}

static void test_a_result_of_warn_grades_the_run_as_a_warning_does(
    void **state) {
  fixture *f = *state;
  write_file(f, "in.txt", "Words.\n");
  const char *in[] = {"in.txt"};
  const char *tr[] = {"lossy"};
  quire_job job = {.transforms = tr, .n_transforms = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "txt", &job, &st, &out), QUIRE_WARN);
  free(out);
  quire_job strict = {.transforms = tr, .n_transforms = 1, .strict = 1};
  assert_int_equal(run(f, in, 1, "txt", &strict, &st, &out), QUIRE_FATAL);
}

/* ---- Transforms ----------------------------------------------------------- */

static void test_a_corpus_transform_sees_every_document_first(void **state) {
  fixture *f = *state;
  write_file(f, "1.txt", "Same words.\n");
  write_file(f, "2.txt", "Other words.\n");
  write_file(f, "3.txt", "Same words.\n");
  const char *in[] = {"1.txt", "2.txt", "3.txt"};
  const char *tr[] = {"dedupe"};
  quire_job job = {.transforms = tr, .n_transforms = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 3, "txt", &job, &st, &out), QUIRE_OK);
  assert_int_equal(st.documents, 2);
  assert_int_equal(st.dropped, 1);
  /* 1.txt and 2.txt, each under its title, a rule between them */
  assert_string_equal(out, "1\n===\n\nSame words.\n\n* * *\n\n"
                           "2\n===\n\nOther words.\n");
  free(out);
}

static void test_a_first_pass_over_its_memory_limit_stops_the_run(
    void **state) {
  fixture *f = *state;
  write_file(f, "1.txt", "Same words.\n");
  const char *in[] = {"1.txt"};
  const char *tr[] = {"dedupe"};
  assert_int_equal(quire_limit_set(f->s, "max-corpus-memory", 16), QUIRE_OK);
  quire_job job = {.transforms = tr, .n_transforms = 1, .keep_going = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "txt", &job, &st, &out), QUIRE_FATAL);
  assert_null(out);
  assert_non_null(strstr(st.error.message, "max-corpus-memory"));
}

typedef struct once {
  const char *text;
  size_t pos;
} once;

static long read_once(void *user, void *buf, size_t n) {
  once *o = user;
  size_t k = strlen(o->text) - o->pos;
  if (k > n)
    k = n;
  memcpy(buf, o->text + o->pos, k);
  o->pos += k;
  return (long)k;
}

static void test_streams_are_spooled_for_the_first_pass(void **state) {
  fixture *f = *state;
  once a = {"Streamed twice.\n", 0}, b = {"Streamed twice.\n", 0};
  quire_source src[] = {{.name = "a.txt", .read = read_once, .user = &a},
                        {.name = "b.txt", .read = read_once, .user = &b}};
  const char *tr[] = {"dedupe"};
  char *out = NULL;
  size_t len;
  quire_status st;
  quire_job job = {.sources = src, .n_sources = 2, .to = "txt",
                   .transforms = tr, .n_transforms = 1, .output_data = &out,
                   .output_len = &len, .status = &st};
  assert_int_equal(quire_convert(f->s, &job), QUIRE_OK);
  assert_int_equal(st.dropped, 1);
  assert_string_equal(out, "Streamed twice.\n");
  free(out);
}

static void test_a_transform_replaces_a_document_by_several(void **state) {
  fixture *f = *state;
  write_file(f, "three.txt", "First part.\n\nSecond part.\n\nThird part.\n");
  const char *in[] = {"three.txt"};
  const char *tr[] = {"split"};
  quire_job job = {.transforms = tr, .n_transforms = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "html", &job, &st, &out), QUIRE_OK);
  assert_int_equal(st.documents, 3);
  assert_int_equal(st.dropped, 1);
  const char *p = strstr(out, "<article id=\"doc-1\"");
  assert_non_null(p);
  assert_non_null(p = strstr(p, "First part."));
  assert_non_null(p = strstr(p, "<article id=\"doc-2\""));
  assert_non_null(p = strstr(p, "Second part."));
  assert_non_null(p = strstr(p, "<article id=\"doc-3\""));
  assert_non_null(strstr(p, "Third part."));
  free(out);
}

static void test_a_transform_failure_fails_only_its_document(void **state) {
  fixture *f = *state;
  write_file(f, "1.txt", "All is well.\n");
  write_file(f, "2.txt", "This one will FAIL.\n");
  const char *in[] = {"1.txt", "2.txt"};
  const char *tr[] = {"failer"};
  quire_job job = {.transforms = tr, .n_transforms = 1, .keep_going = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 2, "txt", &job, &st, &out), QUIRE_FAILED);
  assert_string_equal(out, "All is well.\n");
  assert_non_null(strstr(st.error.message, "FAIL"));
  free(out);
}

static void test_handles_refuse_use_after_the_end_or_close(void **state) {
  fixture *f = *state;
  write_file(f, "in.txt", "Words.\n");
  const char *in[] = {"in.txt"};
  const char *tr[] = {"misuse"};
  quire_job job = {.transforms = tr, .n_transforms = 1};
  quire_status st;
  char *out = NULL;
  int rc = run(f, in, 1, "txt", &job, &st, &out);
  if (rc != QUIRE_OK)
    fail_msg("%s", st.error.message);
  assert_string_equal(out, "Words.\n");
  free(out);
}

/* ---- Options and metadata ------------------------------------------------- */

static void expect_usage(fixture *f, const char *to, quire_option *opts,
                         size_t n, const char *says) {
  write_file(f, "in.txt", "Words.\n");
  const char *in[] = {"in.txt"};
  quire_job job = {.options = opts, .n_options = n};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, to, &job, &st, &out), QUIRE_FATAL);
  assert_int_equal(st.error.kind, QUIRE_ERROR_USAGE);
  if (!strstr(st.error.message, says))
    fail_msg("expected \"%s\" in: %s", says, st.error.message);
}

static void test_a_writer_option_of_a_format_only_read_is_refused(
    void **state) {
  quire_option columns = {"columns", "40"};
  expect_usage(*state, "html", &columns, 1, "belongs to the txt writer");
}

static void test_an_option_no_component_uses_is_refused(void **state) {
  quire_option toc = {"toc", "1"};
  expect_usage(*state, "txt", &toc, 1, "applies to none");
  quire_option fragment = {"fragment", "1"};
  expect_usage(*state, "epub", &fragment, 1, "applies to none");
  quire_option depth = {"toc-depth", "2"};
  expect_usage(*state, "html", &depth, 1, "applies to none");
}

static void test_a_scoped_option_goes_to_its_format_only(void **state) {
  fixture *f = *state;
  quire_option css = {"html:css", "http://example.org/a.css"};
  write_file(f, "in.txt", "Words.\n");
  const char *in[] = {"in.txt"};
  quire_job job = {.options = &css, .n_options = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "html", &job, &st, &out), QUIRE_OK);
  assert_non_null(strstr(out, "http://example.org/a.css"));
  free(out);
  /* the same spelling with EPUB output names a format not written */
  expect_usage(f, "epub", &css, 1, "applies to none");
  quire_option unknown = {"nosuch:css", "x"};
  expect_usage(f, "html", &unknown, 1, "no format or transform 'nosuch'");
}

static void test_metadata_a_writer_cannot_place_is_a_warning(void **state) {
  fixture *f = *state;
  write_file(f, "in.txt", "Words.\n");
  const char *in[] = {"in.txt"};
  quire_option meta = {"shelf", "B-12"};
  quire_job job = {.metadata = &meta, .n_metadata = 1};
  quire_status st;
  char *out = NULL;
  assert_int_equal(run(f, in, 1, "txt", &job, &st, &out), QUIRE_WARN);
  assert_non_null(strstr(f->warnings, "'shelf'"));
  free(out);
  quire_job strict = {.metadata = &meta, .n_metadata = 1, .strict = 1};
  assert_int_equal(run(f, in, 1, "txt", &strict, &st, &out), QUIRE_FATAL);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, fixture_teardown)
  const struct CMUnitTest tests[] = {
      T(test_keep_going_converts_the_rest_and_names_the_broken),
      T(test_without_keep_going_a_failure_leaves_no_output),
      T(test_keep_going_in_output_dir_writes_no_output_for_the_broken),
      T(test_a_warning_grades_the_run_and_strict_fails_it),
      T(test_a_result_of_warn_grades_the_run_as_a_warning_does),
      T(test_a_corpus_transform_sees_every_document_first),
      T(test_streams_are_spooled_for_the_first_pass),
      T(test_a_first_pass_over_its_memory_limit_stops_the_run),
      T(test_a_transform_replaces_a_document_by_several),
      T(test_a_transform_failure_fails_only_its_document),
      T(test_handles_refuse_use_after_the_end_or_close),
      T(test_a_writer_option_of_a_format_only_read_is_refused),
      T(test_an_option_no_component_uses_is_refused),
      T(test_a_scoped_option_goes_to_its_format_only),
      T(test_metadata_a_writer_cannot_place_is_a_warning),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
