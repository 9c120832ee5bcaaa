/* test_loader.c - loading plugins: version checks, refusals and their
 * messages, folder search order, init and fini.  The plugins come from
 * tests/plugins and are built into QUIRE_TEST_PLUGIN_DIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <quire/quire.h>

#include "skip_note.h"

#define PLUGIN(name) QUIRE_TEST_PLUGIN_DIR "/" name

/* Plugins that must be skipped when met in a folder. */
static const char *const bad_plugins[] = {
    "init_fails.so",  "malformed_name.so", "malformed_plugin_name.so",
    "malformed_reader.so", "newer_minor.so", "no_entry.so",
    "not_elf.so", "other_major.so",
};
#define N_BAD (sizeof bad_plugins / sizeof bad_plugins[0])

/* ---- Temporary folders --------------------------------------------------
 * Every folder made by a test is removed after it, even when it fails. */

#define MAX_TMPDIRS 8
static char tmpdirs[MAX_TMPDIRS][64];
static size_t n_tmpdirs;

static const char *make_tmpdir(void) {
  assert_true(n_tmpdirs < MAX_TMPDIRS);
  char *dir = tmpdirs[n_tmpdirs];
  snprintf(dir, sizeof tmpdirs[0], "/tmp/quire-loader-XXXXXX");
  assert_non_null(mkdtemp(dir));
  n_tmpdirs++;
  return dir;
}

/* The folders hold only files and symlinks. */
static void remove_tmpdir(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

static void join(char *buf, size_t size, const char *dir, const char *name) {
  int n = snprintf(buf, size, "%s/%s", dir, name);
  assert_true(n > 0 && (size_t)n < size);
}

/* Puts test plugin `plugin` into `dir` under the name `as`. */
static void link_plugin(const char *dir, const char *plugin, const char *as) {
  char target[512], link_path[512];
  join(target, sizeof target, QUIRE_TEST_PLUGIN_DIR, plugin);
  join(link_path, sizeof link_path, dir, as);
  assert_int_equal(symlink(target, link_path), 0);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

/* The whole file as a string the caller frees, or NULL when it does not
 * exist. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 256, len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len == 1) {
      cap *= 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
  }
  fclose(f);
  buf[len] = '\0';
  return buf;
}

/* ---- Sessions and diagnostics -------------------------------------------- */

#define MAX_DIAGS 64

typedef struct diags {
  size_t n;
  quire_severity sev[MAX_DIAGS];
  char *text[MAX_DIAGS];     /* "FILE: message" when a location is given */
} diags;

static void capture(void *user, quire_severity sev, const quire_loc *loc,
                    const char *message) {
  diags *d = user;
  if (d->n == MAX_DIAGS)
    return;
  size_t size = strlen(message) + (loc && loc->file ? strlen(loc->file) : 0) +
                3;
  char *text = malloc(size);
  if (!text)
    return;
  if (loc && loc->file)
    snprintf(text, size, "%s: %s", loc->file, message);
  else
    snprintf(text, size, "%s", message);
  d->sev[d->n] = sev;
  d->text[d->n++] = text;
}

static void diags_free(diags *d) {
  for (size_t i = 0; i < d->n; i++)
    free(d->text[i]);
  d->n = 0;
}

/* How many warnings mention `what`. */
static size_t warnings_naming(const diags *d, const char *what) {
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++)
    n += d->sev[i] == QUIRE_SEV_WARNING && strstr(d->text[i], what) != NULL;
  return n;
}

static quire_session *new_session(void) {
  quire_session *s = quire_session_new();
  assert_non_null(s);
  return s;
}

static void assert_loads(quire_session *s, const char *path) {
  int rc = quire_load_plugin_file(s, path);
  if (rc != QUIRE_OK)
    print_error("loading %s: %s\n", path, quire_error_get(s)->message);
  assert_int_equal(rc, QUIRE_OK);
}

/* Loading `path` fails, the error names the file, and nothing is
 * registered.  Returns the message, valid while the session lives. */
static const char *assert_refused(quire_session *s, const char *path) {
  assert_int_equal(quire_load_plugin_file(s, path), QUIRE_ERR);
  const quire_error *e = quire_error_get(s);
  assert_int_not_equal(e->kind, QUIRE_ERROR_NONE);
  assert_non_null(e->file);
  assert_string_equal(e->file, path);
  assert_non_null(e->message);
  assert_true(e->message[0] != '\0');
  assert_int_equal(quire_format_count(s), 0);
  assert_int_equal(quire_transform_count(s), 0);
  return e->message;
}

static void assert_contains(const char *haystack, const char *needle) {
  if (!strstr(haystack, needle))
    print_error("\"%s\" does not contain \"%s\"\n", haystack, needle);
  assert_non_null(strstr(haystack, needle));
}

static void assert_plugin_path(const quire_session *s, const char *format,
                               const char *dir, const char *file) {
  char expected[512];
  join(expected, sizeof expected, dir, file);
  const quire_format_info *f = quire_format_find(s, format);
  assert_non_null(f);
  assert_string_equal(f->plugin_path, expected);
}

static int reset(void **state) {
  (void)state;
  /* The user's environment must not add plugins, and fini markers belong
   * to the test that asks for them. */
  unsetenv("QUIRE_PLUGIN_PATH");
  unsetenv("QUIRE_TEST_FINI_FILE");
  return 0;
}

static int cleanup(void **state) {
  for (size_t i = 0; i < n_tmpdirs; i++)
    remove_tmpdir(tmpdirs[i]);
  n_tmpdirs = 0;
  return reset(state);
}

/* ---- One file ------------------------------------------------------------ */

static void test_valid_plugin_loads_and_registers_its_format(void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  assert_int_equal(quire_format_count(s), 1);
  const quire_format_info *f = quire_format_find(s, "testfmt");
  assert_non_null(f);
  assert_ptr_equal(f, quire_format_at(s, 0));
  assert_string_equal(f->format->name, "testfmt");
  assert_string_equal(f->plugin_name, "good");
  assert_string_equal(f->plugin_version, "1.2.3");
  assert_string_equal(f->plugin_path, PLUGIN("good.so"));
  assert_non_null(f->format->read_open);
  assert_non_null(f->format->write_open);
  quire_session_free(s);
}

static void test_format_lookup_by_name_ignores_case_and_misses_unknown(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  assert_ptr_equal(quire_format_find(s, "TestFmt"),
                   quire_format_find(s, "testfmt"));
  assert_null(quire_format_find(s, "nosuchfmt"));
  assert_null(quire_format_at(s, 1));
  quire_session_free(s);
}

static void test_plugin_of_other_major_is_refused_naming_both_versions(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("other_major.so"));
  char ours[32];
  snprintf(ours, sizeof ours, "%d.%d", QUIRE_ABI_MAJOR, QUIRE_ABI_MINOR);
  assert_contains(msg, "1.0");
  assert_contains(msg, ours);
  quire_session_free(s);
}

static void test_plugin_of_newer_minor_is_refused_naming_both_versions(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("newer_minor.so"));
  char ours[32], theirs[32];
  snprintf(ours, sizeof ours, "%d.%d", QUIRE_ABI_MAJOR, QUIRE_ABI_MINOR);
  snprintf(theirs, sizeof theirs, "%d.%d", QUIRE_ABI_MAJOR,
           QUIRE_ABI_MINOR + 1);
  assert_contains(msg, theirs);
  assert_contains(msg, ours);
  assert_null(quire_format_find(s, "newfmt"));
  quire_session_free(s);
}

static void test_plugin_with_older_struct_size_is_accepted(void **state) {
  (void)state;
  quire_session *s = new_session();
  /* older_size's init, past its struct_size, fails if called: loading
   * succeeds only when the core stops reading at struct_size. */
  assert_loads(s, PLUGIN("older_size.so"));
  const quire_format_info *f = quire_format_find(s, "oldfmt");
  assert_non_null(f);
  assert_string_equal(f->plugin_name, "older_size");
  assert_string_equal(f->plugin_path, PLUGIN("older_size.so"));
  quire_session_free(s);
}

static void test_fini_past_an_older_struct_size_is_never_called(
    void **state) {
  (void)state;
  char marker[512];
  join(marker, sizeof marker, make_tmpdir(), "fini.log");
  setenv("QUIRE_TEST_FINI_FILE", marker, 1);
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("older_size.so"));
  quire_session_free(s);
  char *log = read_file(marker);
  if (log)
    print_error("fini log: %s", log);
  assert_null(log);
}

static void test_shared_object_without_entry_is_refused_naming_the_symbol(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("no_entry.so"));
  char symbol[32];
  snprintf(symbol, sizeof symbol, "quire_plugin_v%d", QUIRE_ABI_MAJOR);
  assert_contains(msg, symbol);
  quire_session_free(s);
}

static void test_text_file_named_so_is_refused_as_not_a_shared_object(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("not_elf.so"));
  assert_contains(msg, "shared object");
  assert_null(strstr(msg, "quire_plugin_v"));
  quire_session_free(s);
}

static void test_missing_plugin_file_is_refused_naming_it(void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_refused(s, PLUGIN("does_not_exist.so"));
  quire_session_free(s);
}

static void test_failing_init_refuses_the_plugin_with_its_reason(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("init_fails.so"));
  assert_contains(msg, "backend unavailable");
  quire_session_free(s);
}

static void test_failing_init_leaves_its_format_unregistered(void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_int_equal(quire_load_plugin_file(s, PLUGIN("init_fails.so")),
                   QUIRE_ERR);
  assert_null(quire_format_find(s, "failfmt"));
  assert_null(quire_format_for_path(s, "x.fail"));
  /* The session stays usable for the plugins that do work. */
  assert_loads(s, PLUGIN("good.so"));
  assert_int_equal(quire_format_count(s), 1);
  quire_session_free(s);
}

static void test_failing_init_means_fini_is_never_called(void **state) {
  (void)state;
  char marker[512];
  join(marker, sizeof marker, make_tmpdir(), "fini.log");
  setenv("QUIRE_TEST_FINI_FILE", marker, 1);
  quire_session *s = new_session();
  assert_int_equal(quire_load_plugin_file(s, PLUGIN("init_fails.so")),
                   QUIRE_ERR);
  quire_session_free(s);
  char *log = read_file(marker);
  if (log)
    print_error("fini log: %s", log);
  assert_null(log);
}

static void test_format_with_incomplete_reader_is_refused(void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("malformed_reader.so"));
  assert_contains(msg, "reader");
  assert_null(quire_format_find(s, "halfreader"));
  quire_session_free(s);
}

static void test_format_without_name_is_refused(void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("malformed_name.so"));
  assert_contains(msg, "name");
  quire_session_free(s);
}

static void test_plugin_without_name_is_refused(void **state) {
  (void)state;
  quire_session *s = new_session();
  const char *msg = assert_refused(s, PLUGIN("malformed_plugin_name.so"));
  assert_contains(msg, "name");
  assert_null(quire_format_find(s, "orphanfmt"));
  quire_session_free(s);
}

static void test_same_plugin_loaded_twice_is_registered_once(void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  assert_loads(s, PLUGIN("good.so"));
  assert_int_equal(quire_format_count(s), 1);
  quire_session_free(s);
}

/* ---- Folders ------------------------------------------------------------- */

/* A folder of every bad plugin plus good.so (as n_good.so, so that bad
 * plugins sort both before and after it) and older_size.so. */
static const char *make_mixed_folder(void) {
  const char *dir = make_tmpdir();
  for (size_t i = 0; i < N_BAD; i++)
    link_plugin(dir, bad_plugins[i], bad_plugins[i]);
  link_plugin(dir, "good.so", "n_good.so");
  link_plugin(dir, "older_size.so", "older_size.so");
  return dir;
}

static void test_folder_load_keeps_good_plugins_among_bad_ones(void **state) {
  (void)state;
  const char *dir = make_mixed_folder();
  quire_session *s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, dir), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", dir, "n_good.so");
  assert_plugin_path(s, "oldfmt", dir, "older_size.so");
  assert_null(quire_format_find(s, "failfmt"));
  assert_null(quire_format_find(s, "newfmt"));
  assert_null(quire_format_find(s, "halfreader"));
  assert_null(quire_format_find(s, "orphanfmt"));
  quire_session_free(s);
}

static void test_folder_load_warns_once_per_bad_plugin_naming_its_file(
    void **state) {
  (void)state;
  const char *dir = make_mixed_folder();
  quire_session *s = new_session();
  diags d = {0};
  quire_set_diag(s, capture, &d);
  assert_int_equal(quire_add_plugin_dir(s, dir), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  for (size_t i = 0; i < N_BAD; i++) {
    char path[512];
    join(path, sizeof path, dir, bad_plugins[i]);
    size_t n = warnings_naming(&d, path);
    if (n != 1)
      print_error("%zu warnings name %s\n", n, path);
    assert_int_equal(n, 1);
  }
  /* Nothing else in the folder deserves a warning. */
  assert_int_equal(warnings_naming(&d, dir), N_BAD);
  quire_session_free(s);
  diags_free(&d);
}

static void test_folder_warning_for_failed_init_gives_its_reason(
    void **state) {
  (void)state;
  const char *dir = make_tmpdir();
  link_plugin(dir, "init_fails.so", "init_fails.so");
  quire_session *s = new_session();
  diags d = {0};
  quire_set_diag(s, capture, &d);
  assert_int_equal(quire_add_plugin_dir(s, dir), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_int_equal(warnings_naming(&d, dir), 1);
  assert_int_equal(warnings_naming(&d, "backend unavailable"), 1);
  quire_session_free(s);
  diags_free(&d);
}

static void test_first_plugin_dir_added_wins_a_shared_format(void **state) {
  (void)state;
  const char *a = make_tmpdir();
  const char *b = make_tmpdir();
  link_plugin(a, "shadow.so", "shadow.so");
  link_plugin(b, "good.so", "good.so");

  quire_session *s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, a), QUIRE_OK);
  assert_int_equal(quire_add_plugin_dir(s, b), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", a, "shadow.so");
  assert_string_equal(quire_format_find(s, "testfmt")->plugin_name, "shadow");
  quire_session_free(s);

  /* The other way round, so neither file nor folder name decides. */
  s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, b), QUIRE_OK);
  assert_int_equal(quire_add_plugin_dir(s, a), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", b, "good.so");
  assert_string_equal(quire_format_find(s, "testfmt")->plugin_name, "good");
  quire_session_free(s);
}

static void test_shadowed_plugin_still_registers_its_other_formats(
    void **state) {
  (void)state;
  const char *a = make_tmpdir();
  const char *b = make_tmpdir();
  link_plugin(a, "good.so", "good.so");
  link_plugin(b, "shadow.so", "shadow.so");
  quire_session *s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, a), QUIRE_OK);
  assert_int_equal(quire_add_plugin_dir(s, b), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", a, "good.so");
  assert_plugin_path(s, "shadowfmt", b, "shadow.so");
  quire_session_free(s);
}

static void test_plugins_of_one_folder_load_in_name_order(void **state) {
  (void)state;
  const char *dir = make_tmpdir();
  /* Linked in reverse so creation order cannot pass for name order. */
  link_plugin(dir, "good.so", "b_good.so");
  link_plugin(dir, "shadow.so", "a_shadow.so");
  quire_session *s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, dir), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", dir, "a_shadow.so");
  quire_session_free(s);
}

static void test_files_not_ending_in_so_are_ignored(void **state) {
  (void)state;
  const char *dir = make_tmpdir();
  link_plugin(dir, "good.so", "good.so.disabled");
  link_plugin(dir, "good.so", "good.sox");
  quire_session *s = new_session();
  diags d = {0};
  quire_set_diag(s, capture, &d);
  assert_int_equal(quire_add_plugin_dir(s, dir), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_null(quire_format_find(s, "testfmt"));
  assert_int_equal(warnings_naming(&d, dir), 0);
  quire_session_free(s);
  diags_free(&d);
}

static void test_plugin_dirs_are_searched_before_quire_plugin_path(
    void **state) {
  (void)state;
  const char *from_env = make_tmpdir();
  const char *from_option = make_tmpdir();
  link_plugin(from_env, "shadow.so", "shadow.so");
  link_plugin(from_option, "good.so", "good.so");
  setenv("QUIRE_PLUGIN_PATH", from_env, 1);
  quire_session *s = new_session();
  assert_int_equal(quire_add_plugin_dir(s, from_option), QUIRE_OK);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", from_option, "good.so");
  /* shadow.so was loaded all the same: only the shared name went first. */
  assert_plugin_path(s, "shadowfmt", from_env, "shadow.so");
  quire_session_free(s);
}

static void test_quire_plugin_path_folders_load_in_order(void **state) {
  (void)state;
  const char *a = make_tmpdir();
  const char *b = make_tmpdir();
  link_plugin(a, "shadow.so", "shadow.so");
  link_plugin(b, "good.so", "good.so");
  link_plugin(b, "older_size.so", "older_size.so");
  char path[1024];
  snprintf(path, sizeof path, "%s/missing:%s:%s", a, a, b);
  setenv("QUIRE_PLUGIN_PATH", path, 1);
  quire_session *s = new_session();
  diags d = {0};
  quire_set_diag(s, capture, &d);
  assert_int_equal(quire_load_plugins(s), QUIRE_OK);
  assert_plugin_path(s, "testfmt", a, "shadow.so");
  assert_plugin_path(s, "oldfmt", b, "older_size.so");
  /* A folder of the path that does not exist is no reason to warn. */
  assert_int_equal(warnings_naming(&d, "missing"), 0);
  quire_session_free(s);
  diags_free(&d);
}

/* ---- Using the formats --------------------------------------------------- */

static void test_format_for_path_finds_by_extension_ignoring_case(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  const quire_format_info *f = quire_format_for_path(s, "x.TST");
  assert_non_null(f);
  assert_string_equal(f->format->name, "testfmt");
  assert_ptr_equal(quire_format_for_path(s, "some/dir.d/x.tst"), f);
  assert_null(quire_format_for_path(s, "x.tstx"));
  assert_null(quire_format_for_path(s, "tst"));
  assert_null(quire_format_for_path(s, "dir.tst/x"));
  quire_session_free(s);
}

static void test_conversion_through_test_plugin_works_end_to_end(
    void **state) {
  (void)state;
  const char *dir = make_tmpdir();
  char input[512], output[512];
  join(input, sizeof input, dir, "in.tst");
  join(output, sizeof output, dir, "out.tst");
  write_file(input, "hello\n");

  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  const char *inputs[] = {input};
  quire_job job = {.inputs = inputs, .n_inputs = 1, .to = "testfmt",
                   .output = output};
  int rc = quire_convert(s, &job);
  if (rc != QUIRE_OK) {
    char msg[1024];
    print_error("%s\n", quire_error_format(quire_error_get(s), msg,
                                           sizeof msg));
  }
  assert_int_equal(rc, QUIRE_OK);
  char *out = read_file(output);
  assert_non_null(out);
  assert_string_equal(out, "hello\n");
  free(out);
  quire_session_free(s);
}

static void test_session_free_calls_fini_with_the_data_of_init(
    void **state) {
  (void)state;
  char marker[512];
  join(marker, sizeof marker, make_tmpdir(), "fini.log");
  setenv("QUIRE_TEST_FINI_FILE", marker, 1);
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  assert_null(read_file(marker));
  quire_session_free(s);
  char *log = read_file(marker);
  assert_non_null(log);
  assert_string_equal(log, "good data-ok\n");
  free(log);
}

static void test_format_info_stays_valid_while_more_plugins_load(
    void **state) {
  (void)state;
  quire_session *s = new_session();
  assert_loads(s, PLUGIN("good.so"));
  const quire_format_info *f = quire_format_find(s, "testfmt");
  assert_loads(s, PLUGIN("older_size.so"));
  assert_loads(s, PLUGIN("shadow.so"));
  assert_ptr_equal(f, quire_format_find(s, "testfmt"));
  assert_string_equal(f->plugin_path, PLUGIN("good.so"));
  quire_session_free(s);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, reset, cleanup)

int main(void) {
  const struct CMUnitTest tests[] = {
      TEST(test_valid_plugin_loads_and_registers_its_format),
      TEST(test_format_info_stays_valid_while_more_plugins_load),
      TEST(test_format_lookup_by_name_ignores_case_and_misses_unknown),
      TEST(test_plugin_of_other_major_is_refused_naming_both_versions),
      TEST(test_plugin_of_newer_minor_is_refused_naming_both_versions),
      TEST(test_plugin_with_older_struct_size_is_accepted),
      TEST(test_fini_past_an_older_struct_size_is_never_called),
      TEST(test_shared_object_without_entry_is_refused_naming_the_symbol),
      TEST(test_text_file_named_so_is_refused_as_not_a_shared_object),
      TEST(test_missing_plugin_file_is_refused_naming_it),
      TEST(test_failing_init_refuses_the_plugin_with_its_reason),
      TEST(test_failing_init_leaves_its_format_unregistered),
      TEST(test_failing_init_means_fini_is_never_called),
      TEST(test_format_with_incomplete_reader_is_refused),
      TEST(test_format_without_name_is_refused),
      TEST(test_plugin_without_name_is_refused),
      TEST(test_same_plugin_loaded_twice_is_registered_once),
      TEST(test_folder_load_keeps_good_plugins_among_bad_ones),
      TEST(test_folder_load_warns_once_per_bad_plugin_naming_its_file),
      TEST(test_folder_warning_for_failed_init_gives_its_reason),
      TEST(test_first_plugin_dir_added_wins_a_shared_format),
      TEST(test_shadowed_plugin_still_registers_its_other_formats),
      TEST(test_plugins_of_one_folder_load_in_name_order),
      TEST(test_files_not_ending_in_so_are_ignored),
      TEST(test_plugin_dirs_are_searched_before_quire_plugin_path),
      TEST(test_quire_plugin_path_folders_load_in_order),
      TEST(test_format_for_path_finds_by_extension_ignoring_case),
      TEST(test_conversion_through_test_plugin_works_end_to_end),
      TEST(test_session_free_calls_fini_with_the_data_of_init),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
