/* test_cli.c - the quire command, run as a separate program: exit statuses,
 * messages, standard streams and the files it leaves behind. */
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
#include <sys/stat.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <quire/quire.h>

#include "run_cmd.h"
#include "test_files.h"
#include "skip_note.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define CORPUS QUIRE_SOURCE_DIR "/corpus"
#define TXT_PLUGIN QUIRE_BINARY_DIR "/lib/quire/plugins/txt.so"

/* A phrase found in exactly one article of the corpus, in name order. */
static const struct {
  const char *file;
  const char *phrase;
} articles[] = {
    {"000_89428971a2145b71", "borne out by existing evidence"},
    {"001_0bd458d27c3695d7", "newly released video message"},
    {"002_b5077d99cde6bffe", "acquiesced to the decision made"},
    {"003_cd26fc48bba5cb47", "restoring constitutional order"},
    {"004_feb5dc2e932a1913", "significant military incursion"},
};
#define N_ARTICLES (sizeof articles / sizeof articles[0])

typedef struct fixture {
  char dir[64];          /* a fresh folder under /tmp, removed afterwards */
  run_result r;          /* the last run of quire */
  char *file;            /* the last file read with slurp() */
  size_t file_len;
  char paths[8][4096];   /* ring of paths made by at() */
  unsigned next_path;
  char listing[4096];
  int umask;             /* the umask quire runs with; -1: the caller's */
  char *scratch;         /* a test's own buffer, freed with the fixture */
} fixture;

/* ---- Files and folders --------------------------------------------------- */

/* DIR/NAME in the fixture's folder; valid for the next seven calls. */
static const char *at(fixture *f, const char *name) {
  char *p = f->paths[f->next_path++ % 8];
  size_t n = strlen(f->dir);
  assert_true(n + 1 + strlen(name) < sizeof f->paths[0]);
  memcpy(p, f->dir, n);
  p[n] = '/';
  strcpy(p + n + 1, name);
  return p;
}

static void write_file(const char *path, const char *text) {
  test_write_file(path, text, strlen(text));
}

static void make_dir(const char *path) {
  if (mkdir(path, 0777) != 0)
    fail_msg("cannot create %s: %s", path, strerror(errno));
}

/* The whole content of a file, NUL-terminated, owned by the fixture. */
static const char *slurp(fixture *f, const char *path) {
  free(f->file);
  f->file = NULL;
  f->file_len = 0;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    fail_msg("cannot open %s: %s", path, strerror(errno));
  size_t cap = 4096;
  f->file = malloc(cap);
  assert_non_null(f->file);
  size_t got;
  while ((got = fread(f->file + f->file_len, 1, cap - f->file_len - 1, fp)) >
         0) {
    f->file_len += got;
    if (cap - f->file_len - 1 == 0) {
      char *grown = realloc(f->file, cap * 2);
      assert_non_null(grown);
      f->file = grown;
      cap *= 2;
    }
  }
  fclose(fp);
  f->file[f->file_len] = '\0';
  return f->file;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder (hidden ones too), sorted, joined by spaces. */
static const char *listing(fixture *f, const char *dir) {
  char *names[64];
  size_t n = 0;
  DIR *d = opendir(dir);
  if (!d)
    fail_msg("cannot open %s: %s", dir, strerror(errno));
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 64)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, name_cmp);
  f->listing[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    assert_non_null(names[i]);
    size_t used = strlen(f->listing);
    snprintf(f->listing + used, sizeof f->listing - used, "%s%s",
             i ? " " : "", names[i]);
    free(names[i]);
  }
  return f->listing;
}

/* ---- Running quire ------------------------------------------------------- */

static void run_quire(fixture *f, const char *cwd, const char *in,
                      const char *const *args) {
  const char *argv[64] = {QUIRE_BIN};
  size_t n = 1;
  while (args[n - 1]) {
    assert_true(n < 63);
    argv[n] = args[n - 1];
    n++;
  }
  argv[n] = NULL;
  /* Only the build's plugins, and messages in English. */
  static const char *const env[] = {"QUIRE_PLUGIN_PATH=", "LC_ALL=C", NULL};
  run_opts opts = {.stdin_data = in, .stdin_len = in ? strlen(in) : 0,
                   .env = env, .cwd = cwd, .set_umask = f->umask >= 0,
                   .umask = f->umask >= 0 ? (unsigned)f->umask : 0};
  run_result_free(&f->r);
  if (run_cmd(argv, &opts, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!f->r.exited) {
    char outcome[96];
    fail_msg("quire was %s; stderr:\n%s",
             run_result_describe(&f->r, outcome, sizeof outcome), f->r.err);
  }
  static const char *const reports[] = {"runtime error", "AddressSanitizer",
                                        "LeakSanitizer"};
  for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
    if (strstr(f->r.err, reports[i]))
      fail_msg("sanitizer report from quire:\n%s", f->r.err);
}

#define QUIRE(f, ...) \
  run_quire((f), NULL, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define QUIRE_STDIN(f, in, ...) \
  run_quire((f), NULL, (in), (const char *const[]){__VA_ARGS__, NULL})
#define QUIRE_IN(f, cwd, ...) \
  run_quire((f), (cwd), NULL, (const char *const[]){__VA_ARGS__, NULL})

static void expect_status(const fixture *f, int status) {
  if (!f->r.exited || f->r.status != status) {
    char outcome[96];
    fail_msg("quire: %s, expected exit %d; stderr:\n%s",
             run_result_describe(&f->r, outcome, sizeof outcome), status,
             f->r.err);
  }
}

static void expect_prefix(const char *text, const char *prefix) {
  if (strncmp(text, prefix, strlen(prefix)) != 0)
    fail_msg("expected text starting with \"%s\", got:\n%s", prefix, text);
}

static void expect_contains(const char *text, const char *part) {
  if (!strstr(text, part))
    fail_msg("expected \"%s\" in:\n%s", part, text);
}

/* A usage error: status 2, nothing on stdout, "quire: ..." on stderr that
 * names `culprit` when it is not NULL. */
static void expect_usage_error(const fixture *f, const char *culprit) {
  expect_status(f, 2);
  assert_int_equal(f->r.out_len, 0);
  expect_prefix(f->r.err, "quire: ");
  if (culprit)
    expect_contains(f->r.err, culprit);
}

/* Success with nothing on stderr. */
static void expect_quiet_success(const fixture *f) {
  expect_status(f, 0);
  if (f->r.err_len != 0)
    fail_msg("unexpected stderr:\n%s", f->r.err);
}

/* `word` in text, not as part of a longer option or word. */
static int has_word(const char *text, const char *word) {
  size_t n = strlen(word);
  for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
    char before = p == text ? ' ' : p[-1];
    char after = p[n];
    int joined_before = before == '-' || (before >= 'a' && before <= 'z') ||
                        (before >= 'A' && before <= 'Z');
    int joined_after = after == '-' || (after >= 'a' && after <= 'z') ||
                       (after >= 'A' && after <= 'Z');
    if (!joined_before && !joined_after)
      return 1;
  }
  return 0;
}

/* The line of `text` whose first whitespace-separated field is `first`,
 * copied into buf; 0 when there is none. */
static int line_starting(const char *text, const char *first, char *buf,
                         size_t size) {
  size_t n = strlen(first);
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    const char *p = line;
    while (*p == ' ' || *p == '\t')
      p++;
    if (strncmp(p, first, n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
      snprintf(buf, size, "%.*s", (int)len, line);
      return 1;
    }
    line += len + (end ? 1 : 0);
  }
  return 0;
}

/* Splits a line into at most `max` fields at blanks; the last field takes
 * the rest of the line.  Returns the number of fields. */
static size_t fields(char *line, char **field, size_t max) {
  size_t n = 0;
  char *p = line;
  while (n < max) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (!*p)
      break;
    field[n++] = p;
    if (n == max)
      break;
    while (*p && *p != ' ' && *p != '\t')
      p++;
    if (*p)
      *p++ = '\0';
  }
  if (n == max) {
    size_t len = strlen(field[n - 1]);
    while (len && (field[n - 1][len - 1] == ' ' || field[n - 1][len - 1] == '\t'))
      field[n - 1][--len] = '\0';
  }
  return n;
}

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* The plugin file --list-formats names for txt, checked field by field. */
static void txt_plugin_path(fixture *f, char *path, size_t size) {
  QUIRE(f, "--list-formats");
  expect_quiet_success(f);
  char line[4096];
  if (!line_starting(f->r.out, "txt", line, sizeof line))
    fail_msg("no txt line in --list-formats:\n%s", f->r.out);
  char *field[4];
  assert_int_equal(fields(line, field, 4), 4);
  assert_string_equal(field[0], "txt");
  assert_string_equal(field[1], "rw");
  assert_string_equal(field[2], "txt,text");
  /* the line ends with the format's other names: "  (also plain)" */
  char *also = strstr(field[3], "  (also ");
  if (also)
    *also = '\0';
  snprintf(path, size, "%s", field[3]);
}

/* Non-zero when some line of text holds both a and b. */
static int line_with_both(const char *text, const char *a, const char *b) {
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char buf[8192];
    snprintf(buf, sizeof buf, "%.*s", (int)len, line);
    if (strstr(buf, a) && strstr(buf, b))
      return 1;
    line += len + (end ? 1 : 0);
  }
  return 0;
}

/* ---- Fixture ------------------------------------------------------------- */

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  f->umask = -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-cli-XXXXXX");
  if (!mkdtemp(f->dir)) {
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  int rc = test_remove_tree(f->dir);
  run_result_free(&f->r);
  free(f->file);
  free(f->scratch);
  free(f);
  return rc;
}

/* ---- Usage errors -------------------------------------------------------- */

static void test_unknown_option_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, "--no-such-option", "-t", "txt");
  expect_usage_error(f, "--no-such-option");
  QUIRE(f, "-Z", "-t", "txt");
  expect_usage_error(f, "-Z");
}

static void test_option_missing_value_exits_2(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "alpha\n");
  QUIRE(f, at(f, "a.txt"), "-o");
  expect_usage_error(f, "-o");
  assert_string_equal(listing(f, f->dir), "a.txt");
}

static void test_unknown_output_format_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-t", "nosuchformat");
  expect_usage_error(f, "nosuchformat");
}

static void test_no_output_format_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS);
  expect_usage_error(f, NULL);
  QUIRE_STDIN(f, "hello\n", "-f", "txt");
  expect_usage_error(f, NULL);
}

static void test_unknown_output_extension_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-o", at(f, "out.zzz"));
  expect_usage_error(f, "out.zzz");
  assert_string_equal(listing(f, f->dir), "");
}

/* pandoc's spelling: a KEY alone is KEY=true (a usage error before 0.4);
 * a value without a key is still one. */
static void test_metadata_without_key_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-t", "txt", "--metadata", "=novalue");
  expect_usage_error(f, "=novalue");
  QUIRE(f, CORPUS, "-t", "txt", "--metadata", ":novalue");
  expect_usage_error(f, ":novalue");
  QUIRE(f, CORPUS, "-t", "html", "--metadata", "description", "-o",
        at(f, "out.html"));
  assert_int_equal(f->r.status, 0);
}

static void test_limit_unknown_name_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-t", "txt", "--limit", "no-such-limit=1");
  expect_usage_error(f, "no-such-limit");
}

static void test_limit_not_a_number_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-t", "txt", "--limit", "max-input-size=lots");
  expect_usage_error(f, "lots");
  QUIRE(f, CORPUS, "-t", "txt", "--limit", "max-input-size=10Q");
  expect_usage_error(f, "10Q");
  QUIRE(f, CORPUS, "-t", "txt", "--limit", "max-input-size=");
  expect_usage_error(f, "max-input-size");
}

static void test_output_and_output_dir_exits_2(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS, "-o", at(f, "out.txt"), "--output-dir", at(f, "outdir"));
  expect_usage_error(f, NULL);
  assert_string_equal(listing(f, f->dir), "");
}

/* ---- Information --------------------------------------------------------- */

static void test_help_lists_core_options(void **state) {
  fixture *f = *state;
  static const char *const options[] = {
      "-f", "--from", "-t", "--to", "-o", "--output", "--output-dir",
      "--title", "--lang", "-M", "--metadata", "--metadata-file",
      "--transform", "--recursive", "--wrap", "--plugin-dir",
      "--limit", "--list-formats", "--list-transforms", "--list-limits",
      "-v", "--verbose", "-q", "--quiet", "-h", "--help", "--version"};
  QUIRE(f, "--help");
  expect_quiet_success(f);
  expect_prefix(f->r.out, "Usage: quire");
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
    if (!has_word(f->r.out, options[i]))
      fail_msg("--help does not list %s:\n%s", options[i], f->r.out);
  QUIRE(f, "-h");
  expect_quiet_success(f);
  expect_prefix(f->r.out, "Usage: quire");
}

static void test_version_prints_abi(void **state) {
  fixture *f = *state;
  QUIRE(f, "--version");
  expect_quiet_success(f);
  expect_prefix(f->r.out, "quire " QUIRE_VERSION);
  char abi[32];
  snprintf(abi, sizeof abi, "ABI %d.%d", QUIRE_ABI_MAJOR, QUIRE_ABI_MINOR);
  expect_contains(f->r.out, abi);
}

static void test_list_formats_shows_txt_plugin(void **state) {
  fixture *f = *state;
  char path[4096];
  txt_plugin_path(f, path, sizeof path);
  if (!same_file(path, TXT_PLUGIN))
    fail_msg("txt listed from %s, expected %s", path, TXT_PLUGIN);
}

static void test_list_limits_shows_max_input_size(void **state) {
  fixture *f = *state;
  QUIRE(f, "--list-limits");
  expect_quiet_success(f);
  char line[4096];
  if (!line_starting(f->r.out, "max-input-size", line, sizeof line))
    fail_msg("no max-input-size in --list-limits:\n%s", f->r.out);
  char *field[3];
  assert_int_equal(fields(line, field, 3), 3);
  size_t i = 0;
  while (i < quire_limit_count() &&
         strcmp(quire_limit_name(i), "max-input-size") != 0)
    i++;
  assert_true(i < quire_limit_count());
  char expected[32];
  snprintf(expected, sizeof expected, "%llu",
           (unsigned long long)quire_limit_default(i));
  assert_string_equal(field[1], expected);
}

static void test_limit_option_changes_listed_value(void **state) {
  fixture *f = *state;
  QUIRE(f, "--limit", "max-input-size=2K", "--list-limits");
  expect_quiet_success(f);
  char line[4096];
  if (!line_starting(f->r.out, "max-input-size", line, sizeof line))
    fail_msg("no max-input-size in --list-limits:\n%s", f->r.out);
  char *field[3];
  assert_int_equal(fields(line, field, 3), 3);
  assert_string_equal(field[1], "2048");
}

/* ---- Conversions --------------------------------------------------------- */

static void test_missing_input_exits_1_naming_file(void **state) {
  fixture *f = *state;
  const char *missing = at(f, "missing.txt");
  QUIRE(f, missing, "-o", at(f, "out.txt"));
  expect_status(f, 1);
  assert_int_equal(f->r.out_len, 0);
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "quire: %s: ", missing);
  expect_prefix(f->r.err, prefix);
  assert_string_equal(listing(f, f->dir), "");
}

/* Non-zero when each of the NULL-terminated parts occurs in text, each
 * after the one before. */
static int in_order(const char *text, const char *const *parts) {
  const char *p = text;
  for (size_t i = 0; parts[i]; i++) {
    const char *found = strstr(p, parts[i]);
    if (!found)
      return 0;
    p = found + strlen(parts[i]);
  }
  return 1;
}

static const char stdin_text[] =
    "The first paragraph comes from standard input.\n"
    "\n"
    "The second paragraph follows it.\n";
static const char *const stdin_parts[] = {
    "The first paragraph comes from standard input.",
    "The second paragraph follows it.", NULL};

static void test_no_input_reads_stdin_to_stdout(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, stdin_text, "-f", "txt", "-t", "txt");
  expect_quiet_success(f);
  if (!in_order(f->r.out, stdin_parts))
    fail_msg("standard input not on standard output:\n%s", f->r.out);
}

static void test_dash_input_reads_stdin(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, stdin_text, "-f", "txt", "-t", "txt", "-");
  expect_quiet_success(f);
  if (!in_order(f->r.out, stdin_parts))
    fail_msg("standard input not on standard output:\n%s", f->r.out);
  QUIRE_STDIN(f, stdin_text, "-t", "txt", "-o", "-", "-");
  expect_quiet_success(f);
  if (!in_order(f->r.out, stdin_parts))
    fail_msg("standard input not on standard output:\n%s", f->r.out);
}

static size_t count(const char *text, const char *part) {
  size_t n = 0;
  for (const char *p = strstr(text, part); p; p = strstr(p + 1, part))
    n++;
  return n;
}

static void test_large_stdin_to_stdout_complete(void **state) {
  fixture *f = *state;
  size_t paras = 50000, size = paras * 48 + 1, used = 0;
  char *text = f->scratch = malloc(size);
  assert_non_null(text);
  for (size_t i = 0; i < paras; i++)
    used += (size_t)snprintf(text + used, size - used,
                             "Paragraph number %zu ends here.\n\n", i);
  QUIRE_STDIN(f, text, "-f", "txt", "-t", "txt");
  expect_quiet_success(f);
  assert_true(f->r.out_len > used / 2);
  assert_int_equal(count(f->r.out, " ends here."), paras);
  char last[64];
  snprintf(last, sizeof last, "Paragraph number %zu ends here.", paras - 1);
  const char *const ends[] = {"Paragraph number 0 ends here.",
                              "Paragraph number 1 ends here.", last, NULL};
  assert_true(in_order(f->r.out, ends));
}

static void test_corpus_folder_to_file_in_name_order(void **state) {
  fixture *f = *state;
  const char *out = at(f, "corpus.txt");
  QUIRE(f, CORPUS, "-o", out);
  expect_quiet_success(f);
  assert_int_equal(f->r.out_len, 0);
  const char *text = slurp(f, out);
  const char *prev = text;
  for (size_t i = 0; i < N_ARTICLES; i++) {
    const char *p = strstr(text, articles[i].phrase);
    if (!p)
      fail_msg("text of %s missing from the output", articles[i].file);
    if (p < prev)
      fail_msg("text of %s comes before the one of %s", articles[i].file,
               articles[i - 1].file);
    prev = p;
  }
  assert_string_equal(listing(f, f->dir), "corpus.txt");
}

static void test_inputs_keep_given_order(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "The alpha text is here.\n");
  write_file(at(f, "b.txt"), "The bravo text is here.\n");
  const char *const b_then_a[] = {"bravo text", "alpha text", NULL};
  const char *const a_then_b[] = {"alpha text", "bravo text", NULL};
  QUIRE(f, at(f, "b.txt"), at(f, "a.txt"), "-t", "txt");
  expect_quiet_success(f);
  if (!in_order(f->r.out, b_then_a))
    fail_msg("b.txt then a.txt gave:\n%s", f->r.out);
  QUIRE(f, at(f, "a.txt"), at(f, "b.txt"), "-t", "txt");
  expect_quiet_success(f);
  if (!in_order(f->r.out, a_then_b))
    fail_msg("a.txt then b.txt gave:\n%s", f->r.out);
}

static void test_output_dir_writes_one_file_per_input(void **state) {
  fixture *f = *state;
  const char *dir = at(f, "out");
  QUIRE(f, CORPUS, "-t", "txt", "--output-dir", dir);
  expect_quiet_success(f);
  assert_int_equal(f->r.out_len, 0);
  char expected[1024] = "";
  for (size_t i = 0; i < N_ARTICLES; i++) {
    size_t used = strlen(expected);
    snprintf(expected + used, sizeof expected - used, "%s%s.txt", i ? " " : "",
             articles[i].file);
  }
  assert_string_equal(listing(f, dir), expected);
  for (size_t i = 0; i < N_ARTICLES; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.txt", dir, articles[i].file);
    const char *text = slurp(f, path);
    expect_contains(text, articles[i].phrase);
    for (size_t k = 0; k < N_ARTICLES; k++)
      if (k != i && strstr(text, articles[k].phrase))
        fail_msg("%s holds text of %s", path, articles[k].file);
  }
}

static void test_output_dir_refuses_two_inputs_for_one_output(void **state) {
  fixture *f = *state;
  make_dir(at(f, "a"));
  make_dir(at(f, "b"));
  write_file(at(f, "a/x.txt"), "from a\n");
  write_file(at(f, "b/x.txt"), "from b\n");
  QUIRE(f, at(f, "a/x.txt"), at(f, "b/x.txt"), "-t", "txt", "--output-dir",
        at(f, "out"));
  expect_usage_error(f, "would be written here");
  assert_int_equal(access(at(f, "out/x.txt"), F_OK), -1);
}

/* ---- Runs that survive bad inputs ------------------------------------------ */

static void make_corpus_with_a_broken_book(fixture *f) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s", at(f, "in"));
  assert_int_equal(mkdir(dir, 0777), 0);
  write_file(at(f, "in/a.txt"), "The alpha article.\n");
  write_file(at(f, "in/b.epub"), "PK\003\004 not a book");
  write_file(at(f, "in/c.txt"), "The charlie article.\n");
}

static void test_keep_going_converts_the_rest_names_the_broken_and_exits_1(
    void **state) {
  fixture *f = *state;
  make_corpus_with_a_broken_book(f);
  QUIRE(f, "-k", at(f, "in"), "-t", "txt");
  expect_status(f, 1);
  expect_contains(f->r.out, "The alpha article.");
  expect_contains(f->r.out, "The charlie article.");
  expect_contains(f->r.err, "quire: error: ");
  expect_contains(f->r.err, "in/b.epub");
  expect_contains(f->r.err, "1 input or document failed; 2 documents "
                            "converted");
}

static void test_without_keep_going_the_first_failure_stops_the_run(
    void **state) {
  fixture *f = *state;
  make_corpus_with_a_broken_book(f);
  QUIRE(f, at(f, "in"), "-o", at(f, "all.html"));
  expect_status(f, 1);
  expect_contains(f->r.err, "in/b.epub");
  assert_int_equal(access(at(f, "all.html"), F_OK), -1);
}

static void test_strict_fails_on_a_warning(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, "caf\303\251 and \377 here\n", "-t", "txt");
  expect_status(f, 0);
  expect_contains(f->r.err, "warning:");
  QUIRE_STDIN(f, "caf\303\251 and \377 here\n", "--strict", "-t", "txt");
  expect_status(f, 1);
  expect_contains(f->r.err, "--strict");
  assert_int_equal(f->r.out_len, 0);
}

static void test_options_of_the_other_direction_are_refused(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, "Words.\n", "-f", "txt", "--columns", "40", "-t", "html");
  expect_usage_error(f, "--columns belongs to the txt writer");
  QUIRE_STDIN(f, "Words.\n", "--toc", "-t", "txt");
  expect_usage_error(f, "--toc applies to none");
}

static void test_verbose_says_why_a_transform_dropped_a_document(
    void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "Twice the same words.\n");
  write_file(at(f, "b.txt"), "Twice the same words.\n");
  QUIRE(f, "--plugin-dir", QUIRE_TEST_PLUGIN_DIR, "-v", "--transform",
        "dedupe", at(f, "a.txt"), at(f, "b.txt"), "-t", "txt");
  expect_status(f, 0);
  assert_string_equal(f->r.out, "Twice the same words.\n");
  expect_contains(f->r.err, "dedupe dropped");
  expect_contains(f->r.err, "same text as document 1");
}

static void test_a_scoped_option_names_its_format(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, "Words.\n", "--html:css=https://example.org/s.css", "-t",
              "html");
  expect_status(f, 0);
  expect_contains(f->r.out, "https://example.org/s.css");
  QUIRE_STDIN(f, "Words.\n", "--epub:css=x.css", "-t", "html");
  expect_usage_error(f, "--epub:css");
}

static void test_option_value_that_looks_like_a_flag_is_a_value(void **state) {
  fixture *f = *state;
  QUIRE_STDIN(f, "Some text here.\n", "--title", "-v", "-t", "html");
  expect_quiet_success(f);   /* -v is the title, so no verbose notes */
  expect_contains(f->r.out, "Some text here.");
}

static void test_help_to_a_full_device_exits_1(void **state) {
  fixture *f = *state;
  static const char *const argv[] = {"/bin/sh", "-c",
                                     QUIRE_BIN " --help > /dev/full", NULL};
  run_opts opts = {0};
  run_result_free(&f->r);
  assert_int_equal(run_cmd(argv, &opts, &f->r), 0);
  expect_status(f, 1);
  expect_contains(f->r.err, "write error");
}

/* ---- Output files -------------------------------------------------------- */

static void test_output_to_a_folder_is_a_usage_error(void **state) {
  fixture *f = *state;
  make_dir(at(f, "adir"));
  QUIRE(f, CORPUS, "-t", "txt", "-o", at(f, "adir"));
  expect_usage_error(f, "is a folder");
  assert_string_equal(listing(f, at(f, "adir")), "");
}

static void test_output_through_a_symlink_replaces_its_target(void **state) {
  fixture *f = *state;
  write_file(at(f, "real.txt"), "old\n");
  assert_int_equal(symlink(at(f, "real.txt"), at(f, "link.txt")), 0);
  QUIRE_STDIN(f, "New text here.\n", "-f", "txt", "-o", at(f, "link.txt"));
  expect_quiet_success(f);
  struct stat st;
  assert_int_equal(lstat(at(f, "link.txt"), &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  expect_contains(slurp(f, at(f, "real.txt")), "New text here.");
}

static void test_output_to_a_fifo_writes_into_it(void **state) {
  fixture *f = *state;
  const char *fifo = at(f, "fifo");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    execl(QUIRE_BIN, QUIRE_BIN, "-f", "txt", "-t", "txt", "-o", fifo,
          QUIRE_SOURCE_DIR "/corpus/001_0bd458d27c3695d7.txt", (char *)NULL);
    _exit(127);
  }
  alarm(30);   /* opening a FIFO waits for its writer: never forever */
  FILE *in = fopen(fifo, "r");
  assert_non_null(in);
  char buf[64] = "";
  assert_true(fread(buf, 1, sizeof buf - 1, in) > 0);
  fclose(in);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  alarm(0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  expect_prefix(buf, "In a newly released video message");
  struct stat st;
  assert_int_equal(stat(fifo, &st), 0);
  assert_true(S_ISFIFO(st.st_mode));
}

static void test_interrupted_conversion_leaves_no_temporary_file(void **state) {
  fixture *f = *state;
  const char *dir = at(f, "sig");
  make_dir(dir);
  char out[4096];
  snprintf(out, sizeof out, "%s/out.txt", dir);
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* quire waits on a standard input that never ends */
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl(QUIRE_BIN, QUIRE_BIN, "-f", "txt", "-o", out, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  assert_int_equal(write(fds[1], "partial\n", 8), 8);
  /* wait until the temporary output exists (unnamed where the system
   * allows it: then only the process's descriptors show it) */
  int seen = 0;
  for (int i = 0; i < 3000 && !seen; i++) {
    seen = strchr(listing(f, dir), '.') != NULL ||
           test_has_file_open_in((long)pid, dir);
    if (!seen)
      nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
  }
  assert_true(seen);
  assert_int_equal(kill(pid, SIGTERM), 0);
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  close(fds[1]);
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), SIGTERM);
  assert_string_equal(listing(f, dir), "");
}

/* in/ holds a small file, then one the txt reader refuses under
 * --limit max-input-size=10. */
static void make_failing_input(fixture *f) {
  make_dir(at(f, "in"));
  write_file(at(f, "in/000_good.txt"), "good\n");
  write_file(at(f, "in/001_big.txt"),
             "this file is larger than ten bytes\n");
  make_dir(at(f, "out"));
}

static void test_failed_conversion_keeps_existing_output(void **state) {
  fixture *f = *state;
  make_failing_input(f);
  const char *out = at(f, "out/out.txt");
  static const char old[] = "old content\n\0and more after a NUL\n";
  test_write_file(out, old, sizeof old - 1);
  QUIRE(f, "--limit", "max-input-size=10", at(f, "in"), "-o", out);
  expect_status(f, 1);
  expect_prefix(f->r.err, "quire: ");
  expect_contains(f->r.err, "001_big.txt");
  slurp(f, out);
  assert_int_equal(f->file_len, sizeof old - 1);
  assert_memory_equal(f->file, old, sizeof old - 1);
  assert_string_equal(listing(f, at(f, "out")), "out.txt");
}

static void test_failed_conversion_creates_no_output(void **state) {
  fixture *f = *state;
  make_failing_input(f);
  QUIRE(f, "--limit", "max-input-size=10", at(f, "in"), "-o",
        at(f, "out/out.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "001_big.txt");
  assert_string_equal(listing(f, at(f, "out")), "");
}

static void test_refuses_to_overwrite_input(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "precious\n");
  QUIRE_IN(f, f->dir, "a.txt", "-o", "a.txt");
  expect_usage_error(f, "a.txt");
  assert_string_equal(slurp(f, at(f, "a.txt")), "precious\n");
  assert_string_equal(listing(f, f->dir), "a.txt");
}

static void test_refuses_to_overwrite_input_by_other_path(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "precious\n");
  make_dir(at(f, "dir"));
  QUIRE_IN(f, f->dir, "a.txt", "-o", "./dir/../a.txt");
  expect_usage_error(f, "a.txt");
  assert_string_equal(slurp(f, at(f, "a.txt")), "precious\n");
  assert_string_equal(listing(f, f->dir), "a.txt dir");
  QUIRE(f, at(f, "a.txt"), "-o", at(f, "dir/../a.txt"));
  expect_usage_error(f, "a.txt");
  assert_string_equal(slurp(f, at(f, "a.txt")), "precious\n");
  assert_string_equal(listing(f, f->dir), "a.txt dir");
}

static void test_refuses_to_overwrite_input_through_symlink(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "precious\n");
  assert_int_equal(symlink("a.txt", at(f, "link.txt")), 0);
  QUIRE(f, at(f, "a.txt"), "-o", at(f, "link.txt"));
  expect_usage_error(f, "link.txt");
  assert_string_equal(slurp(f, at(f, "a.txt")), "precious\n");
  QUIRE(f, at(f, "link.txt"), "-o", at(f, "a.txt"));
  expect_usage_error(f, "a.txt");
  assert_string_equal(slurp(f, at(f, "a.txt")), "precious\n");
  assert_string_equal(listing(f, f->dir), "a.txt link.txt");
  struct stat st;
  assert_int_equal(lstat(at(f, "link.txt"), &st), 0);
  assert_true(S_ISLNK(st.st_mode));
}

static void test_output_mode_follows_umask(void **state) {
  fixture *f = *state;
  write_file(at(f, "a.txt"), "alpha\n");
  struct stat st;
  f->umask = 022;
  QUIRE(f, at(f, "a.txt"), "-o", at(f, "out022.txt"));
  expect_quiet_success(f);
  assert_int_equal(stat(at(f, "out022.txt"), &st), 0);
  assert_int_equal(st.st_mode & 07777, 0644);
  f->umask = 027;
  QUIRE(f, at(f, "a.txt"), "-o", at(f, "out027.txt"));
  expect_quiet_success(f);
  assert_int_equal(stat(at(f, "out027.txt"), &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640);
}

/* ---- Diagnostics --------------------------------------------------------- */

/* A plugin folder with a file that is no plugin: loading it warns. */
static const char *make_bad_plugin_dir(fixture *f) {
  make_dir(at(f, "plugins"));
  write_file(at(f, "plugins/bad.so"), "this is not a shared object\n");
  return at(f, "plugins");
}

static void test_warning_is_prefixed(void **state) {
  fixture *f = *state;
  const char *dir = make_bad_plugin_dir(f);
  QUIRE_STDIN(f, stdin_text, "--plugin-dir", dir, "-f", "txt", "-t", "txt");
  expect_status(f, 0);
  assert_true(in_order(f->r.out, stdin_parts));
  expect_prefix(f->r.err, "quire: warning: ");
  if (!line_with_both(f->r.err, "quire: warning: ", "bad.so"))
    fail_msg("no warning naming bad.so:\n%s", f->r.err);
}

static void test_quiet_silences_warnings(void **state) {
  fixture *f = *state;
  const char *dir = make_bad_plugin_dir(f);
  QUIRE_STDIN(f, stdin_text, "-q", "--plugin-dir", dir, "-f", "txt", "-t",
              "txt");
  expect_quiet_success(f);
  assert_true(in_order(f->r.out, stdin_parts));
  QUIRE_STDIN(f, stdin_text, "--plugin-dir", dir, "--quiet", "-f", "txt", "-t",
              "txt");
  expect_quiet_success(f);
  assert_true(in_order(f->r.out, stdin_parts));
}

static void test_verbose_names_plugin_file(void **state) {
  fixture *f = *state;
  char plugin[4096];
  txt_plugin_path(f, plugin, sizeof plugin);
  write_file(at(f, "a.txt"), "alpha\n");
  QUIRE(f, at(f, "a.txt"), "-o", at(f, "out.txt"));
  expect_quiet_success(f);
  QUIRE(f, "-v", at(f, "a.txt"), "-o", at(f, "out.txt"));
  expect_status(f, 0);
  assert_int_equal(f->r.out_len, 0);
  if (!line_with_both(f->r.err, at(f, "a.txt"), plugin))
    fail_msg("no line names the reader of a.txt (%s):\n%s", plugin, f->r.err);
  if (!line_with_both(f->r.err, at(f, "out.txt"), plugin))
    fail_msg("no line names the writer of out.txt (%s):\n%s", plugin,
             f->r.err);
  QUIRE(f, "--verbose", at(f, "a.txt"), "-o", at(f, "out.txt"));
  expect_status(f, 0);
  expect_contains(f->r.err, plugin);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_unknown_option_exits_2),
      T(test_option_missing_value_exits_2),
      T(test_unknown_output_format_exits_2),
      T(test_no_output_format_exits_2),
      T(test_unknown_output_extension_exits_2),
      T(test_metadata_without_key_exits_2),
      T(test_limit_unknown_name_exits_2),
      T(test_limit_not_a_number_exits_2),
      T(test_output_and_output_dir_exits_2),
      T(test_help_lists_core_options),
      T(test_version_prints_abi),
      T(test_list_formats_shows_txt_plugin),
      T(test_list_limits_shows_max_input_size),
      T(test_limit_option_changes_listed_value),
      T(test_missing_input_exits_1_naming_file),
      T(test_no_input_reads_stdin_to_stdout),
      T(test_dash_input_reads_stdin),
      T(test_large_stdin_to_stdout_complete),
      T(test_corpus_folder_to_file_in_name_order),
      T(test_inputs_keep_given_order),
      T(test_output_dir_writes_one_file_per_input),
      T(test_output_dir_refuses_two_inputs_for_one_output),
      T(test_interrupted_conversion_leaves_no_temporary_file),
      T(test_output_to_a_folder_is_a_usage_error),
      T(test_output_through_a_symlink_replaces_its_target),
      T(test_output_to_a_fifo_writes_into_it),
      T(test_option_value_that_looks_like_a_flag_is_a_value),
      T(test_keep_going_converts_the_rest_names_the_broken_and_exits_1),
      T(test_without_keep_going_the_first_failure_stops_the_run),
      T(test_strict_fails_on_a_warning),
      T(test_options_of_the_other_direction_are_refused),
      T(test_a_scoped_option_names_its_format),
      T(test_verbose_says_why_a_transform_dropped_a_document),
      T(test_help_to_a_full_device_exits_1),
      T(test_failed_conversion_keeps_existing_output),
      T(test_failed_conversion_creates_no_output),
      T(test_refuses_to_overwrite_input),
      T(test_refuses_to_overwrite_input_by_other_path),
      T(test_refuses_to_overwrite_input_through_symlink),
      T(test_output_mode_follows_umask),
      T(test_warning_is_prefixed),
      T(test_quiet_silences_warnings),
      T(test_verbose_names_plugin_file),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
