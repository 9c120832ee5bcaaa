/* test_archive.c - the archive plugin, run as a user runs quire: archives
 * made here with libarchive's writer (tar.gz, zip, 7z), a bundle, WARC
 * files written by hand, the limits, hostile names and the peer suite of
 * malicious archives.  Nothing quire reads may ever be written to disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "run_cmd.h"
#include "test_files.h"
#include "skip_note.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define CORPUS QUIRE_SOURCE_DIR "/corpus"
#define FEATURES QUIRE_SOURCE_DIR "/tests/data/html/features.html"
#define MALICIOUS QUIRE_SOURCE_DIR "/../shared/peers/malicious-archives"

typedef struct fixture {
  char dir[64];          /* a fresh folder under /tmp, removed afterwards */
  run_result r;          /* the last run of quire */
  char *file;            /* the last file read with slurp() */
  char paths[8][4096];   /* ring of paths made by at() */
  unsigned next_path;
  char listing[8192];
  const char *cwd;       /* where quire runs; NULL: the test's */
  const char *tmpdir;    /* its TMPDIR; NULL: the environment's */
} fixture;

/* ---- Files and folders -------------------------------------------------- */

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

static void make_dir(const char *path) {
  if (mkdir(path, 0777) != 0)
    fail_msg("cannot create %s: %s", path, strerror(errno));
}

/* The whole content of a file, NUL-terminated; *len its length. */
static char *read_whole(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    fail_msg("cannot open %s: %s", path, strerror(errno));
  size_t cap = 4096, n = 0, got;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      buf = realloc(buf, cap *= 2);
      assert_non_null(buf);
    }
  }
  fclose(fp);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

/* The file's content, owned by the fixture until the next call. */
static const char *slurp(fixture *f, const char *path) {
  free(f->file);
  f->file = read_whole(path, NULL);
  return f->file;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a folder (hidden ones too), sorted, joined by spaces. */
static const char *listing(fixture *f, const char *dir) {
  char *names[256];
  size_t n = 0;
  DIR *d = opendir(dir);
  if (!d)
    fail_msg("cannot open %s: %s", dir, strerror(errno));
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 256)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, name_cmp);
  f->listing[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    size_t used = strlen(f->listing);
    snprintf(f->listing + used, sizeof f->listing - used, "%s%s",
             i ? " " : "", names[i]);
    free(names[i]);
  }
  return f->listing;
}

/* ---- Archives made with libarchive -------------------------------------- */

enum { E_FILE, E_DIR, E_LINK };

typedef struct aentry {
  const char *name;
  const void *data;        /* NULL: `zeros` zero bytes */
  size_t len;              /* 0: strlen(data) */
  int type;
  size_t zeros;
} aentry;

/* An archive of `format` (ARCHIVE_FORMAT_*) through `filter` (or
 * ARCHIVE_FILTER_NONE), with libarchive `options` and `passphrase` when
 * not NULL.  0, or -1 when libarchive cannot (the reason in why). */
static int make_archive(const char *path, int format, int filter,
                        const char *options, const char *passphrase,
                        const aentry *e, size_t n, char *why, size_t why_n) {
  /* libarchive takes names through the locale's character set */
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  locale_t before = utf8 ? uselocale(utf8) : (locale_t)0;
  struct archive *a = archive_write_new();
  assert_non_null(a);
  int rc = archive_write_set_format(a, format);
  if (rc == ARCHIVE_OK && filter != ARCHIVE_FILTER_NONE)
    rc = archive_write_add_filter(a, filter);
  if (rc == ARCHIVE_OK && options)
    rc = archive_write_set_options(a, options);
  if (rc == ARCHIVE_OK && passphrase)
    rc = archive_write_set_passphrase(a, passphrase);
  if (rc == ARCHIVE_OK)
    rc = archive_write_open_filename(a, path);
  for (size_t i = 0; rc == ARCHIVE_OK && i < n; i++) {
    struct archive_entry *ae = archive_entry_new();
    archive_entry_set_pathname_utf8(ae, e[i].name);
    archive_entry_set_mtime(ae, 1700000000, 0);
    size_t len = e[i].data ? (e[i].len ? e[i].len : strlen(e[i].data))
                           : e[i].zeros;
    if (e[i].type == E_DIR) {
      archive_entry_set_filetype(ae, AE_IFDIR);
      archive_entry_set_perm(ae, 0755);
    } else if (e[i].type == E_LINK) {
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_perm(ae, 0777);
      archive_entry_set_symlink(ae, e[i].data);
    } else {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_perm(ae, 0644);
      archive_entry_set_size(ae, (la_int64_t)len);
    }
    rc = archive_write_header(a, ae);
    if (rc == ARCHIVE_OK && e[i].type == E_FILE) {
      if (e[i].data) {
        if (archive_write_data(a, e[i].data, len) != (la_ssize_t)len)
          rc = ARCHIVE_FATAL;
      } else {
        static const char zero[1 << 16];
        for (size_t done = 0; rc == ARCHIVE_OK && done < len;) {
          size_t k = len - done < sizeof zero ? len - done : sizeof zero;
          if (archive_write_data(a, zero, k) != (la_ssize_t)k)
            rc = ARCHIVE_FATAL;
          done += k;
        }
      }
    }
    archive_entry_free(ae);
  }
  if (rc == ARCHIVE_OK)
    rc = archive_write_close(a);
  if (rc != ARCHIVE_OK)
    snprintf(why, why_n, "%s", archive_error_string(a)
                                   ? archive_error_string(a) : "failed");
  archive_write_free(a);
  if (utf8) {
    uselocale(before);
    freelocale(utf8);
  }
  return rc == ARCHIVE_OK ? 0 : -1;
}

static void make(const char *path, int format, int filter, const aentry *e,
                 size_t n) {
  char why[512];
  if (make_archive(path, format, filter, NULL, NULL, e, n, why,
                   sizeof why) != 0)
    fail_msg("cannot make %s: %s", path, why);
}

#define TAR ARCHIVE_FORMAT_TAR_PAX_RESTRICTED
#define ZIP ARCHIVE_FORMAT_ZIP
#define SEVENZIP ARCHIVE_FORMAT_7ZIP
#define GZIP ARCHIVE_FILTER_GZIP
#define NONE ARCHIVE_FILTER_NONE
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The corpus's articles and the HTML features page, by name. */
typedef struct sources {
  char *paths[16];         /* as quire is given them */
  char *names[16];         /* "dir/NAME" in the archives */
  char *data[16];
  size_t len[16];
  size_t n;
} sources;

static void sources_load(sources *s) {
  memset(s, 0, sizeof *s);
  glob_t g;
  assert_int_equal(glob(CORPUS "/*.txt", 0, NULL, &g), 0);
  for (size_t i = 0; i <= g.gl_pathc && s->n < 15; i++) {
    const char *p = i < g.gl_pathc ? g.gl_pathv[i] : FEATURES;
    const char *base = strrchr(p, '/') + 1;
    s->paths[s->n] = strdup(p);
    s->names[s->n] = malloc(strlen(base) + 5);
    sprintf(s->names[s->n], "dir/%s", base);
    s->data[s->n] = read_whole(p, &s->len[s->n]);
    s->n++;
  }
  globfree(&g);
}

static void sources_free(sources *s) {
  for (size_t i = 0; i < s->n; i++) {
    free(s->paths[i]);
    free(s->names[i]);
    free(s->data[i]);
  }
}

/* An archive of the sources under dir/, in order. */
static void make_sources(const char *path, int format, int filter,
                         const sources *s) {
  aentry e[17];
  e[0] = (aentry){.name = "dir/", .type = E_DIR};
  for (size_t i = 0; i < s->n; i++)
    e[i + 1] = (aentry){.name = s->names[i], .data = s->data[i],
                        .len = s->len[i]};
  make(path, format, filter, e, s->n + 1);
}

/* ---- Running quire ------------------------------------------------------ */

static void run_quire(fixture *f, const char *const *args) {
  const char *argv[64] = {QUIRE_BIN};
  size_t n = 1;
  while (args[n - 1]) {
    assert_true(n < 63);
    argv[n] = args[n - 1];
    n++;
  }
  argv[n] = NULL;
  char tmpdir[4200];
  snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s", f->tmpdir ? f->tmpdir : "/tmp");
  /* Only the build's plugins, and messages in English. */
  const char *env[] = {"QUIRE_PLUGIN_PATH=", "LC_ALL=C", tmpdir, NULL};
  run_opts opts = {.env = env, .cwd = f->cwd, .timeout = 120};
  run_result_free(&f->r);
  if (run_cmd(argv, &opts, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!f->r.exited) {
    char outcome[96];
    fail_msg("quire %s was %s; stderr:\n%s", argv[1],
             run_result_describe(&f->r, outcome, sizeof outcome), f->r.err);
  }
  static const char *const reports[] = {"runtime error", "AddressSanitizer",
                                        "LeakSanitizer"};
  for (size_t i = 0; i < N(reports); i++)
    if (strstr(f->r.err, reports[i]))
      fail_msg("sanitizer report from quire:\n%s", f->r.err);
}

#define QUIRE(f, ...) run_quire((f), (const char *const[]){__VA_ARGS__, NULL})

static void expect_status(const fixture *f, int status) {
  if (f->r.status != status) {
    char outcome[96];
    fail_msg("quire: %s, expected exit %d; stderr:\n%s",
             run_result_describe(&f->r, outcome, sizeof outcome), status,
             f->r.err);
  }
}

static void expect_contains(const char *text, const char *part) {
  if (!strstr(text, part))
    fail_msg("expected \"%s\" in:\n%s", part, text);
}

static void expect_lacks(const char *text, const char *part) {
  if (strstr(text, part))
    fail_msg("did not expect \"%s\" in:\n%s", part, text);
}

static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* ---- Fixture ------------------------------------------------------------ */

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-archive-XXXXXX");
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
  free(f);
  return rc;
}

/* ---- Archives as corpora ------------------------------------------------ */

/* The txt output of the sources converted one by one, run on
 * (--no-boundaries: no title or rule between documents, which are named
 * differently inside an archive). */
static char *direct_txt(fixture *f, const sources *s) {
  const char *args[24] = {NULL};
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++)
    args[n++] = s->paths[i];
  args[n++] = "-t";
  args[n++] = "txt";
  args[n++] = "--no-boundaries";
  args[n++] = "-o";
  args[n++] = at(f, "direct.txt");
  args[n] = NULL;
  run_quire(f, args);
  expect_status(f, 0);
  return read_whole(at(f, "direct.txt"), NULL);
}

static void test_tar_gz_zip_and_7z_read_as_their_files(void **state) {
  fixture *f = *state;
  sources s;
  sources_load(&s);
  char *direct = direct_txt(f, &s);
  static const struct {
    const char *name;
    int format, filter;
  } kinds[] = {{"sources.tar.gz", TAR, GZIP},
               {"sources.zip", ZIP, NONE},
               {"sources.7z", SEVENZIP, NONE}};
  for (size_t k = 0; k < N(kinds); k++) {
    make_sources(at(f, kinds[k].name), kinds[k].format, kinds[k].filter, &s);
    QUIRE(f, at(f, kinds[k].name), "-t", "txt", "--no-boundaries", "-o",
          at(f, "out.txt"));
    expect_status(f, 0);
    if (strcmp(slurp(f, at(f, "out.txt")), direct) != 0)
      fail_msg("%s does not give the text of its files", kinds[k].name);
  }
  free(direct);
  sources_free(&s);
}

static void test_archive_on_standard_input_reads_the_same(void **state) {
  fixture *f = *state;
  sources s;
  sources_load(&s);
  char *direct = direct_txt(f, &s);
  static const char *const names[] = {"sources.tar.gz", "sources.7z"};
  make_sources(at(f, names[0]), TAR, GZIP, &s);
  make_sources(at(f, names[1]), SEVENZIP, NONE, &s);
  for (size_t k = 0; k < N(names); k++) {
    /* a pipe: no seeking (a 7z is then read whole into memory) */
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "cat '%s' | QUIRE_PLUGIN_PATH= '%s' -f archive "
             "- -t txt --no-boundaries -o '%s'", at(f, names[k]), QUIRE_BIN,
             at(f, "in.txt"));
    assert_int_equal(system(cmd), 0);
    if (strcmp(slurp(f, at(f, "in.txt")), direct) != 0)
      fail_msg("%s on standard input does not give its files' text",
               names[k]);
  }
  free(direct);
  sources_free(&s);
}

static void test_tar_gz_converts_to_epub(void **state) {
  fixture *f = *state;
  sources s;
  sources_load(&s);
  make_sources(at(f, "sources.tar.gz"), TAR, GZIP, &s);
  QUIRE(f, at(f, "sources.tar.gz"), "-o", at(f, "book.epub"));
  expect_status(f, 0);
  QUIRE(f, at(f, "book.epub"), "-t", "txt");
  expect_status(f, 0);
  expect_contains(f->r.out, "borne out by existing evidence");
  expect_contains(f->r.out, "significant military incursion");
  sources_free(&s);
}

static void test_ids_and_messages_name_archive_and_entry(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "dir/good.txt", .data = "Good words.\n"},
                {.name = "dir/bad.txt",
                 .data = "Caf\xC3\xA9 with a bad byte \xFF here.\n"}};
  make(at(f, "sources.tar.gz"), TAR, GZIP, e, N(e));
  QUIRE(f, at(f, "sources.tar.gz"), "-t", "jsonl", "--jsonl-fields",
        "id,title,source");
  expect_status(f, 0);
  expect_contains(f->r.out, "\"id\":\"");
  expect_contains(f->r.out, "sources.tar.gz!dir/good.txt\",\"title\":\"good\"");
  expect_contains(f->r.out, "sources.tar.gz!dir/bad.txt\"");
  /* the txt reader's warning about the bad byte names the entry */
  expect_contains(f->r.err, "sources.tar.gz!dir/bad.txt");
}

static void test_names_beyond_ascii_are_kept(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "caf\xC3\xA9/\xE6\x97\xA5\xE6\x9C\xAC.txt",
                 .data = "Words.\n"}};
  static const struct {
    const char *name;
    int format;
  } kinds[] = {{"names.tar", TAR}, {"names.zip", ZIP}, {"names.7z", SEVENZIP}};
  for (size_t k = 0; k < N(kinds); k++) {
    make(at(f, kinds[k].name), kinds[k].format, NONE, e, N(e));
    QUIRE(f, at(f, kinds[k].name), "-t", "jsonl", "--jsonl-fields", "source");
    expect_status(f, 0);
    char source[256];
    snprintf(source, sizeof source, "%s!%s\"", kinds[k].name, e[0].name);
    expect_contains(f->r.out, source);
  }
}

static void test_verbose_names_each_entry(void **state) {
  fixture *f = *state;
  sources s;
  sources_load(&s);
  make_sources(at(f, "sources.zip"), ZIP, NONE, &s);
  QUIRE(f, "-v", at(f, "sources.zip"), "-t", "txt", "-o", at(f, "o.txt"));
  expect_status(f, 0);
  for (size_t i = 0; i < s.n; i++) {
    char name[256];
    snprintf(name, sizeof name, "sources.zip!%s", s.names[i]);
    expect_contains(f->r.err, name);
  }
  expect_contains(f->r.err, "sources.zip!dir: skipped: a folder");
  sources_free(&s);
}

static void test_links_and_folders_are_skipped(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "d/", .type = E_DIR},
                {.name = "d/link.txt", .data = "/etc/passwd", .type = E_LINK},
                {.name = "d/a.txt", .data = "Alpha text.\n"}};
  make(at(f, "t.tar"), TAR, NONE, e, N(e));
  QUIRE(f, "-v", at(f, "t.tar"), "-t", "txt");
  expect_status(f, 0);
  assert_string_equal(f->r.out, "Alpha text.\n");
  expect_contains(f->r.err, "t.tar!d/link.txt: skipped: a symbolic link");
  expect_lacks(f->r.err, "warning");
}

static void test_single_compressed_file_reads_as_its_content(void **state) {
  fixture *f = *state;
  /* a raw gzip stream, as gzip(1) makes it */
  aentry e[] = {{.name = "notes.txt", .data = "Notes kept compressed.\n"}};
  make(at(f, "notes.txt.gz"), ARCHIVE_FORMAT_RAW, GZIP, e, N(e));
  QUIRE(f, at(f, "notes.txt.gz"), "-t", "jsonl", "--jsonl-fields",
        "source,text");
  expect_status(f, 0);
  expect_contains(f->r.out, "notes.txt.gz!notes.txt\"");
  expect_contains(f->r.out, "Notes kept compressed.");
}

static void test_epub_is_still_read_as_epub(void **state) {
  fixture *f = *state;
  QUIRE(f, CORPUS "/000_89428971a2145b71.txt", "-o", at(f, "b.epub"));
  expect_status(f, 0);
  assert_int_equal(rename(at(f, "b.epub"), at(f, "book.data")), 0);
  QUIRE(f, "-v", at(f, "book.data"), "-t", "txt");
  expect_status(f, 0);
  expect_contains(f->r.err, "as epub (by its content)");
  expect_contains(f->r.out, "borne out by existing evidence");
}

/* ---- Bundles ------------------------------------------------------------ */

static void test_bundle_reads_back_as_its_sources(void **state) {
  fixture *f = *state;
  aentry e[] = {
      {.name = "b/bagit.txt",
       .data = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"},
      {.name = "b/data/sources/corpus/a.txt", .data = "The source text.\n"},
      {.name = "b/data/normalized/corpus/a.txt", .data = "NORMALIZED\n"},
      {.name = "b/data/normalized/corpus/a.html",
       .data = "<p>NORMALIZED HTML</p>"},
      {.name = "b/data/sources/web/page.html",
       .data = "<html><body><p>A page kept.</p></body></html>"},
      {.name = "b/bag-info.txt", .data = "Bag-Software-Agent: quire\n"},
      {.name = "b/manifest-sha256.txt", .data = "00  data/sources/a.txt\n"}};
  make(at(f, "b.tar.gz"), TAR, GZIP, e, N(e));
  QUIRE(f, "-v", at(f, "b.tar.gz"), "-t", "txt");
  expect_status(f, 0);
  /* each source under its title, a rule between them (no title at the
   * top: standard output, and an archive is not a folder) */
  assert_string_equal(f->r.out, "a\n===\n\nThe source text.\n\n* * *\n\n"
                                "page\n====\n\nA page kept.\n");
  expect_contains(f->r.err, "a quire bundle");
  expect_contains(f->r.err, "b/bag-info.txt: skipped: not a source");
  expect_lacks(f->r.err, "warning");
}

/* ---- WARC --------------------------------------------------------------- */

#define PAGE                                                                 \
  "<!DOCTYPE html><html><head><title>Moths at Night</title></head><body>"   \
  "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News</a>" \
  "</li><li><a href=\"/about\">About us</a></li></ul></nav>"                \
  "<article><h1>Moths at Night</h1><p>Moths fly at night and rest by day, " \
  "caf\xE9 owners say; most of them are drawn to light for reasons still "  \
  "argued over by those who study them.</p><p>Their wings carry scales "    \
  "that shed like dust, and their antennae tell them apart from "          \
  "butterflies.</p><p>Many species feed on nectar, and a few do not feed " \
  "at all as adults, living only to breed.</p></article>"                  \
  "<footer>Copyright 2023 Example Gardens. All rights reserved.</footer>"  \
  "</body></html>"

/* Appends one WARC record to b (at *n of cap). */
static void record(char *b, size_t *n, size_t cap, const char *type,
                   const char *uri, const char *ctype, const char *date,
                   const char *block, size_t len) {
  int k = snprintf(b + *n, cap - *n,
                   "WARC/1.1\r\nWARC-Type: %s\r\n%s%s%s"
                   "WARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:%zu>\r\n"
                   "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                   type, uri ? "WARC-Target-URI: " : "", uri ? uri : "",
                   uri ? "\r\n" : "", date, *n, ctype, len);
  assert_true(k > 0 && (size_t)k + len + 4 < cap - *n);
  *n += (size_t)k;
  memcpy(b + *n, block, len);
  *n += len;
  memcpy(b + *n, "\r\n\r\n", 4);
  *n += 4;
}

/* Five records: warcinfo, request, an HTML response (charset in the HTTP
 * header only), a PNG response, a chunked text response.  Each record's
 * start is noted in starts[] (5 entries) for the gzip members. */
static size_t make_warc(char *b, size_t cap, size_t *starts) {
  size_t n = 0;
  char block[8192];
  starts[0] = n;
  record(b, &n, cap, "warcinfo", NULL, "application/warc-fields",
         "2023-05-04T11:59:00Z", "software: hand\r\n", 16);
  starts[1] = n;
  const char *req = "GET /moths HTTP/1.1\r\nHost: example.com\r\n\r\n";
  record(b, &n, cap, "request", "http://example.com/moths",
         "application/http; msgtype=request", "2023-05-04T12:00:00Z", req,
         strlen(req));
  starts[2] = n;
  int k = snprintf(block, sizeof block,
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
                   "charset=ISO-8859-1\r\nX-Secret-Header: do-not-show\r\n"
                   "\r\n%s", PAGE);
  record(b, &n, cap, "response", "http://example.com/moths",
         "application/http; msgtype=response", "2023-05-04T12:00:01Z", block,
         (size_t)k);
  starts[3] = n;
  const char png[] = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"
                     "\x89PNG\r\n\x1A\n\0\0\0\rIHDR";
  record(b, &n, cap, "response", "http://example.com/moth.png",
         "application/http; msgtype=response", "2023-05-04T12:00:02Z", png,
         sizeof png - 1);
  starts[4] = n;
  const char txt[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n"
                     "b\r\nPlain notes\r\n"
                     "13\r\n about moth traps.\n\r\n0\r\n\r\n";
  record(b, &n, cap, "response", "http://example.com/notes.txt",
         "application/http; msgtype=response", "2023-05-05T08:30:00Z", txt,
         sizeof txt - 1);
  return n;
}

/* The same records, each a gzip member of its own (as Common Crawl). */
static void write_warc_gz(const char *path, const char *warc, size_t n,
                          const size_t *starts) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  for (int i = 0; i < 5; i++) {
    size_t len = (i < 4 ? starts[i + 1] : n) - starts[i];
    size_t cap = len + 1024, used = 0;
    char *gz = malloc(cap);
    struct archive *a = archive_write_new();
    archive_write_set_format_raw(a);
    archive_write_add_filter_gzip(a);
    assert_int_equal(archive_write_open_memory(a, gz, cap, &used),
                     ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "warc");
    archive_entry_set_filetype(e, AE_IFREG);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, warc + starts[i], len),
                     (la_ssize_t)len);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_entry_free(e);
    archive_write_free(a);
    assert_int_equal(fwrite(gz, 1, used, fp), used);
    free(gz);
  }
  assert_int_equal(fclose(fp), 0);
}

static void expect_two_warc_documents(fixture *f) {
  expect_status(f, 0);
  assert_int_equal(count_lines(f->r.out), 2);
  expect_contains(f->r.out, "{\"title\":\"Moths at Night\","
                            "\"date\":\"2023-05-04T12:00:01Z\","
                            "\"url\":\"http://example.com/moths\"");
  expect_contains(f->r.out, "\"date\":\"2023-05-05T08:30:00Z\","
                            "\"url\":\"http://example.com/notes.txt\","
                            "\"text\":\"Plain notes about moth traps.\"");
  /* the charset of the HTTP header: ISO-8859-1's E9 is é */
  expect_contains(f->r.out, "caf\xC3\xA9 owners");
  expect_lacks(f->r.out, "HTTP/1.1");
  expect_lacks(f->r.out, "do-not-show");
  expect_lacks(f->r.out, "Content-Type");
  expect_lacks(f->r.out, "IHDR");
  expect_lacks(f->r.out, "software: hand");
}

static void test_warc_gives_its_html_and_text_responses(void **state) {
  fixture *f = *state;
  static char warc[32768];
  size_t starts[5];
  size_t n = make_warc(warc, sizeof warc, starts);
  test_write_file(at(f, "crawl.warc"), warc, n);
  QUIRE(f, "-v", at(f, "crawl.warc"), "-t", "jsonl", "--jsonl-fields",
        "title,date,url,text");
  expect_two_warc_documents(f);
  expect_contains(f->r.err, "skipped: a record of type request");
  expect_contains(f->r.err, "skipped: a record of type warcinfo");
  expect_contains(f->r.err, "skipped: not text: image/png");
}

static void test_gzipped_warc_gives_the_same(void **state) {
  fixture *f = *state;
  static char warc[32768];
  size_t starts[5];
  size_t n = make_warc(warc, sizeof warc, starts);
  write_warc_gz(at(f, "crawl.warc.gz"), warc, n, starts);
  QUIRE(f, at(f, "crawl.warc.gz"), "-t", "jsonl", "--jsonl-fields",
        "title,date,url,text");
  expect_two_warc_documents(f);
  /* named as a warc, it reads the same */
  assert_int_equal(rename(at(f, "crawl.warc.gz"), at(f, "gz.warc")), 0);
  QUIRE(f, at(f, "gz.warc"), "-t", "jsonl", "--jsonl-fields",
        "title,date,url,text");
  expect_two_warc_documents(f);
}

static void test_warc_with_clean_keeps_the_article(void **state) {
  fixture *f = *state;
  static char warc[32768];
  size_t starts[5];
  size_t n = make_warc(warc, sizeof warc, starts);
  test_write_file(at(f, "crawl.warc"), warc, n);
  QUIRE(f, "--clean", at(f, "crawl.warc"), "-t", "jsonl", "--jsonl-fields",
        "url,text");
  expect_status(f, 0);
  assert_int_equal(count_lines(f->r.out), 2);
  expect_contains(f->r.out, "\"url\":\"http://example.com/moths\"");
  expect_contains(f->r.out, "Their wings carry scales");
  expect_lacks(f->r.out, "About us");
  expect_lacks(f->r.out, "All rights reserved");
}

static void test_warc_cut_short_is_an_error(void **state) {
  fixture *f = *state;
  static char warc[32768];
  size_t starts[5];
  make_warc(warc, sizeof warc, starts);
  test_write_file(at(f, "cut.warc"), warc, starts[2] + 300);
  QUIRE(f, at(f, "cut.warc"), "-t", "txt", "-o", at(f, "cut.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "cut.warc");
  expect_contains(f->r.err, "cut short");
  assert_false(exists(at(f, "cut.txt")));
}

/* ---- Limits and hostile archives ---------------------------------------- */

static void test_more_entries_than_max_entries_fails(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "1.txt", .data = "one\n"},
                {.name = "2.txt", .data = "two\n"},
                {.name = "3.txt", .data = "three\n"},
                {.name = "4.txt", .data = "four\n"},
                {.name = "5.txt", .data = "five\n"}};
  make(at(f, "many.zip"), ZIP, NONE, e, N(e));
  QUIRE(f, at(f, "many.zip"), "--limit", "max-entries=3", "-t", "txt", "-o",
        at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "many.zip");
  expect_contains(f->r.err, "max-entries (3)");
  expect_contains(f->r.err, "'4.txt'");
  assert_false(exists(at(f, "o.txt")));
  QUIRE(f, at(f, "many.zip"), "--limit", "max-entries=5", "-t", "txt");
  expect_status(f, 0);
}

static void test_expanding_beyond_max_expanded_size_fails(void **state) {
  fixture *f = *state;
  char text[2001];
  memset(text, 'a', 2000);
  text[2000] = '\0';
  aentry e[] = {{.name = "a.txt", .data = text},
                {.name = "b.txt", .data = text},
                {.name = "c.txt", .data = text}};
  make(at(f, "big.tar.gz"), TAR, GZIP, e, N(e));
  QUIRE(f, at(f, "big.tar.gz"), "--limit", "max-expanded-size=5000", "-t",
        "txt", "-o", at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "big.tar.gz!c.txt");
  expect_contains(f->r.err, "max-expanded-size (5000");
  assert_false(exists(at(f, "o.txt")));
}

/* 50 MB of zeros compress about a thousand times: a bomb, stopped after
 * a few megabytes, fast. */
static void test_zeros_beyond_max_ratio_fail_fast(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "first.txt", .data = "Before the bomb.\n"},
                {.name = "zeros.txt", .zeros = 50u << 20}};
  static const struct {
    const char *name;
    int format, filter;
  } kinds[] = {{"bomb.zip", ZIP, NONE}, {"bomb.tar.gz", TAR, GZIP}};
  for (size_t k = 0; k < N(kinds); k++) {
    make(at(f, kinds[k].name), kinds[k].format, kinds[k].filter, e, N(e));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    QUIRE(f, "-k", at(f, kinds[k].name), "-t", "txt", "-o", at(f, "o.txt"));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    expect_status(f, 1);
    char where[128];
    snprintf(where, sizeof where, "%s!zeros.txt", kinds[k].name);
    expect_contains(f->r.err, where);
    expect_contains(f->r.err, "max-ratio (200)");
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (s > 30)
      fail_msg("%s took %.1f s to refuse", kinds[k].name, s);
    /* with --keep-going, what came before the bomb is kept */
    assert_string_equal(slurp(f, at(f, "o.txt")), "Before the bomb.\n");
  }
}

static void test_encrypted_entry_is_refused(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "secret.txt", .data = "Hidden words.\n"}};
  char why[512];
  if (make_archive(at(f, "enc.zip"), ZIP, NONE, "zip:encryption=traditional",
                   "passw0rd", e, N(e), why, sizeof why) != 0)
    test_skip("libarchive cannot write an encrypted zip here: %s", why);
  QUIRE(f, at(f, "enc.zip"), "-t", "txt", "-o", at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "enc.zip!secret.txt");
  expect_contains(f->r.err, "encrypted");
  expect_contains(f->r.err, "passphrase");
  assert_false(exists(at(f, "o.txt")));
}

static void test_entry_no_format_reads_is_skipped_with_a_warning(void **state) {
  fixture *f = *state;
  static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x01";
  aentry e[] = {{.name = "a.txt", .data = "Alpha.\n"},
                {.name = "img/b.png", .data = png, .len = sizeof png - 1},
                {.name = "c.txt", .data = "Gamma.\n"}};
  make(at(f, "mixed.tar"), TAR, NONE, e, N(e));
  QUIRE(f, at(f, "mixed.tar"), "-t", "txt");
  expect_status(f, 0);
  assert_string_equal(f->r.out,
                      "a\n===\n\nAlpha.\n\n* * *\n\nc\n===\n\nGamma.\n");
  expect_contains(f->r.err, "warning: ");
  expect_contains(f->r.err, "mixed.tar!img/b.png");
  expect_contains(f->r.err, "no format reads");
  /* --strict makes the warning an error */
  QUIRE(f, "--strict", at(f, "mixed.tar"), "-t", "txt", "-o",
        at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "--strict");
  expect_contains(f->r.err, "mixed.tar!img/b.png");
  assert_false(exists(at(f, "o.txt")));
}

static void test_failed_entry_fails_one_document(void **state) {
  fixture *f = *state;
  aentry e[] = {{.name = "a.txt", .data = "Alpha.\n"},
                {.name = "broken.json", .data = "{\"quire\": \"1.0\", ["},
                {.name = "c.txt", .data = "Gamma.\n"}};
  make(at(f, "some.zip"), ZIP, NONE, e, N(e));
  QUIRE(f, at(f, "some.zip"), "-t", "txt", "-o", at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "some.zip!broken.json");
  assert_false(exists(at(f, "o.txt")));
  QUIRE(f, "-k", at(f, "some.zip"), "-t", "txt", "-o", at(f, "o.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "some.zip!broken.json");
  expect_contains(f->r.err, "1 input or document failed; 2 documents");
  /* titled by the output's name, each document by its own */
  assert_string_equal(slurp(f, at(f, "o.txt")),
                      "o\n===\n\na\n===\n\nAlpha.\n\n* * *\n\n"
                      "c\n===\n\nGamma.\n");
}

static void test_unsafe_names_are_read_cleaned_and_nothing_written(
    void **state) {
  fixture *f = *state;
  make_dir(at(f, "run"));
  make_dir(at(f, "run/inner"));
  aentry e[] = {{.name = "../../etc/x.txt", .data = "Climbing out.\n"},
                {.name = "/abs.txt", .data = "From the root.\n"},
                {.name = "ctl\x01name.txt", .data = "Control.\n"}};
  make(at(f, "slip.tar"), TAR, NONE, e, N(e));
  char cwd[4096];
  snprintf(cwd, sizeof cwd, "%s", at(f, "run/inner"));
  f->cwd = cwd;
  int had_abs = exists("/abs.txt");
  QUIRE(f, at(f, "slip.tar"), "-t", "jsonl", "--jsonl-fields", "source,text");
  f->cwd = NULL;
  expect_status(f, 0);
  expect_contains(f->r.out, "slip.tar!etc/x.txt\",\"text\":\"Climbing out.");
  expect_contains(f->r.out, "slip.tar!abs.txt\",\"text\":\"From the root.");
  expect_contains(f->r.out, "slip.tar!ctl_name.txt\"");
  expect_contains(f->r.err, "unsafe entry name '../../etc/x.txt'");
  expect_contains(f->r.err, "unsafe entry name '/abs.txt'");
  expect_contains(f->r.err, "unsafe entry name 'ctl\\x01name.txt'");
  assert_string_equal(listing(f, at(f, "run/inner")), "");
  assert_string_equal(listing(f, at(f, "run")), "inner");
  assert_false(exists(at(f, "etc")));
  assert_int_equal(exists("/abs.txt"), had_abs);
}

static void test_truncated_tar_gz_is_a_clear_error(void **state) {
  fixture *f = *state;
  sources s;
  sources_load(&s);
  make_sources(at(f, "whole.tar.gz"), TAR, GZIP, &s);
  size_t len;
  char *bytes = read_whole(at(f, "whole.tar.gz"), &len);
  test_write_file(at(f, "cut.tar.gz"), bytes, len / 2);
  free(bytes);
  QUIRE(f, at(f, "cut.tar.gz"), "-t", "txt", "-o", at(f, "cut.txt"));
  expect_status(f, 1);
  expect_contains(f->r.err, "cut.tar.gz");
  expect_contains(f->r.err, "truncated");
  assert_false(exists(at(f, "cut.txt")));
  sources_free(&s);
}

/* ---- The peer suite of malicious archives ------------------------------- */

/* The last part of every entry name the archive holds ("evil.txt" of
 * "../../tmp/evil.txt"), appended to names (at *n of cap). */
static void entry_basenames(const char *path, char **names, size_t *n,
                            size_t cap) {
  struct archive *a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  struct archive_entry *e;
  if (archive_read_open_filename(a, path, 65536) == ARCHIVE_OK)
    for (int i = 0; i < 1000 && *n < cap &&
                    archive_read_next_header(a, &e) == ARCHIVE_OK;
         i++) {
      const char *p = archive_entry_pathname(e);
      const char *base = p ? p + strlen(p) : NULL;
      while (base && base > p && base[-1] != '/' && base[-1] != '\\')
        base--;
      if (base && *base)
        names[(*n)++] = strdup(base);
    }
  archive_read_free(a);
}

static void test_malicious_archives_are_read_safely(void **state) {
  fixture *f = *state;
  glob_t g;
  if (glob(MALICIOUS "/*", 0, NULL, &g) != 0) {
    test_skip("%s is missing: the peer suites are not here", MALICIOUS);
    return;
  }
  glob(MALICIOUS "/*/*", GLOB_APPEND, NULL, &g);
  make_dir(at(f, "cwd"));
  make_dir(at(f, "tmp"));
  make_dir(at(f, "out"));
  char cwd[4096], tmpdir[4096], out[4096];
  snprintf(cwd, sizeof cwd, "%s", at(f, "cwd"));
  snprintf(tmpdir, sizeof tmpdir, "%s", at(f, "tmp"));
  snprintf(out, sizeof out, "%s", at(f, "out/OUT.txt"));
  /* quire never extracts: whatever an entry is called, no file of that
   * name may appear in /tmp (where zip-slip's entries aim) */
  static char *names[4096];
  size_t n_names = 0;
  for (size_t i = 0; i < g.gl_pathc; i++)
    entry_basenames(g.gl_pathv[i], names, &n_names, N(names));
  unsigned char *had = calloc(n_names + 1, 1);
  for (size_t k = 0; k < n_names; k++) {
    char p[4200];
    snprintf(p, sizeof p, "/tmp/%s", names[k]);
    had[k] = (unsigned char)exists(p);
  }
  f->cwd = cwd;
  f->tmpdir = tmpdir;
  size_t statuses[3] = {0};
  for (size_t i = 0; i < g.gl_pathc; i++) {
    struct stat st;
    if (stat(g.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    QUIRE(f, g.gl_pathv[i], "-t", "txt", "-o", out);
    if (f->r.status > 2)
      fail_msg("%s: exit %d:\n%s", g.gl_pathv[i], f->r.status, f->r.err);
    statuses[f->r.status]++;
    if (strcmp(listing(f, cwd), "") != 0 ||
        strcmp(listing(f, tmpdir), "") != 0 ||
        (strcmp(listing(f, at(f, "out")), "") != 0 &&
         strcmp(f->listing, "OUT.txt") != 0))
      fail_msg("%s left files behind: %s", g.gl_pathv[i], f->listing);
    unlink(out);
  }
  f->cwd = f->tmpdir = NULL;
  for (size_t k = 0; k < n_names; k++) {
    char p[4200];
    snprintf(p, sizeof p, "/tmp/%s", names[k]);
    if (!had[k] && exists(p))
      fail_msg("%s appeared while quire read the malicious archives", p);
    free(names[k]);
  }
  free(had);
  printf("malicious archives: %zu read, %zu failed cleanly, %zu refused as "
         "usage (%zu entry names watched in /tmp)\n", statuses[0],
         statuses[1], statuses[2], n_names);
  assert_string_equal(listing(f, f->dir), "cwd out tmp");
  globfree(&g);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      T(test_tar_gz_zip_and_7z_read_as_their_files),
      T(test_archive_on_standard_input_reads_the_same),
      T(test_tar_gz_converts_to_epub),
      T(test_ids_and_messages_name_archive_and_entry),
      T(test_names_beyond_ascii_are_kept),
      T(test_verbose_names_each_entry),
      T(test_links_and_folders_are_skipped),
      T(test_single_compressed_file_reads_as_its_content),
      T(test_epub_is_still_read_as_epub),
      T(test_bundle_reads_back_as_its_sources),
      T(test_warc_gives_its_html_and_text_responses),
      T(test_gzipped_warc_gives_the_same),
      T(test_warc_with_clean_keeps_the_article),
      T(test_warc_cut_short_is_an_error),
      T(test_more_entries_than_max_entries_fails),
      T(test_expanding_beyond_max_expanded_size_fails),
      T(test_zeros_beyond_max_ratio_fail_fast),
      T(test_encrypted_entry_is_refused),
      T(test_entry_no_format_reads_is_skipped_with_a_warning),
      T(test_failed_entry_fails_one_document),
      T(test_unsafe_names_are_read_cleaned_and_nothing_written),
      T(test_truncated_tar_gz_is_a_clear_error),
      T(test_malicious_archives_are_read_safely),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
