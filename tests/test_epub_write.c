/* test_epub_write.c - the EPUB writer, run as users run it: books that
 * epubcheck accepts, the container's first bytes, reproducible output, the
 * options, links and images, and a failed conversion leaving nothing
 * behind.  Tests that need epubcheck (Java) skip when it is not installed. */
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
#include <unistd.h>

#include <libxml/parser.h>
#include <zip.h>

#include "epubcheck_run.h"
#include "run_cmd.h"
#include "test_files.h"
#include "skip_note.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define SDE "SOURCE_DATE_EPOCH=1700000000"
#define SDE_STAMP "2023-11-14T22:13:20Z"

static const char *const articles[] = {
    "000_89428971a2145b71", "001_0bd458d27c3695d7", "002_b5077d99cde6bffe",
    "003_cd26fc48bba5cb47", "004_feb5dc2e932a1913"};
#define N_ARTICLES (sizeof articles / sizeof articles[0])

/* A 1x1 PNG. */
static const unsigned char png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xdf, 0xc0, 0x00,
    0x00, 0x04, 0x01, 0x01, 0x80, 0xc5, 0x2a, 0x18, 0x5d, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

typedef struct fixture {
  char dir[64];            /* a fresh folder, removed afterwards */
  char tmp[96];            /* TMPDIR of every quire run: must stay empty */
  char tmp_env[128];       /* "TMPDIR=..." */
  char paths[8][512];      /* ring of paths made by at() */
  unsigned next_path;
  run_result r;            /* the last run */
} fixture;

/* ---- Files --------------------------------------------------------------- */

/* DIR/NAME in the fixture's folder; valid for the next seven calls. */
static const char *at(fixture *f, const char *name) {
  char *p = f->paths[f->next_path++ % 8];
  size_t n = strlen(f->dir), m = strlen(name);
  assert_true(n + 1 + m < sizeof f->paths[0]);
  memcpy(p, f->dir, n);
  p[n] = '/';
  memcpy(p + n + 1, name, m + 1);
  return p;
}

static void write_text(const char *path, const char *text) {
  test_write_file(path, text, strlen(text));
}

/* The whole file, NUL-terminated; the caller frees it. */
static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    fail_msg("cannot open %s: %s", path, strerror(errno));
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  long n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
  buf[n] = '\0';
  fclose(fp);
  if (len)
    *len = (size_t)n;
  return buf;
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* The names in a folder, "." and ".." aside. */
static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    fail_msg("cannot list %s: %s", dir, strerror(errno));
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* ---- Running quire --------------------------------------------------------- */

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-epub-test-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->tmp, sizeof f->tmp, "%s/tmp", f->dir);
  assert_int_equal(mkdir(f->tmp, 0700), 0);
  snprintf(f->tmp_env, sizeof f->tmp_env, "TMPDIR=%s", f->tmp);
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

/* Runs quire with the arguments (NULL-terminated) and TMPDIR set to the
 * fixture's, plus env ("NAME=VALUE" strings, NULL-terminated; may be
 * NULL; a TMPDIR there replaces the fixture's).  Returns the exit status; the outcome stays in f->r.  quire must
 * leave nothing in TMPDIR, whatever the outcome. */
static int quire(fixture *f, const char *const *env, ...) {
  const char *argv[32] = {QUIRE_BIN};
  size_t n = 1;
  va_list ap;
  va_start(ap, env);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
    assert_true(n < 31);
    argv[n++] = a;
  }
  va_end(ap);
  argv[n] = NULL;
  const char *envs[8] = {f->tmp_env};
  size_t e = 1;
  for (size_t i = 0; env && env[i]; i++)
    if (strncmp(env[i], "TMPDIR=", 7) == 0)
      e = 0;   /* the caller's TMPDIR instead */
  for (size_t i = 0; env && env[i]; i++) {
    assert_true(e < 7);
    envs[e++] = env[i];
  }
  envs[e] = NULL;
  run_result_free(&f->r);
  run_opts o = {.env = envs, .timeout = 120};
  if (run_cmd(argv, &o, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!f->r.exited) {
    char outcome[96];
    fail_msg("quire was %s: %s",
             run_result_describe(&f->r, outcome, sizeof outcome), f->r.err);
  }
  if (count_entries(f->tmp) != 0)
    fail_msg("quire left files in its TMPDIR %s", f->tmp);
  return f->r.status;
}

/* Like quire(), failing the test unless the run succeeds. */
#define QUIRE_OK_RUN(f, env, ...)                                             \
  do {                                                                        \
    if (quire(f, env, __VA_ARGS__, (const char *)NULL) != 0)                  \
      fail_msg("quire failed (exit %d): %s", (f)->r.status, (f)->r.err);     \
  } while (0)

static const char *const sde_env[] = {SDE, NULL};

/* ---- Reading a book ---------------------------------------------------------- */

/* Entry `name` of the EPUB at path, NUL-terminated (the caller frees it),
 * or NULL when there is no such entry. */
static char *entry(const char *path, const char *name, size_t *len) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    fail_msg("%s is not a ZIP file (libzip error %d)", path, err);
  zip_stat_t st;
  if (zip_stat(za, name, 0, &st) != 0) {
    zip_close(za);
    return NULL;
  }
  zip_file_t *zf = zip_fopen(za, name, 0);
  assert_non_null(zf);
  char *buf = malloc(st.size + 1);
  assert_non_null(buf);
  assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
  buf[st.size] = '\0';
  zip_fclose(zf);
  zip_close(za);
  if (len)
    *len = st.size;
  return buf;
}

/* Every XML file of the book must be well-formed XML. */
static void assert_well_formed(const char *path) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  assert_non_null(za);
  zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; i++) {
    const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
    size_t len = strlen(name);
    if (len < 4 || (strcmp(name + len - 4, ".xml") != 0 &&
                    strcmp(name + len - 4, ".opf") != 0 &&
                    strcmp(name + len - 4, ".ncx") != 0 &&
                    (len < 6 || strcmp(name + len - 6, ".xhtml") != 0)))
      continue;
    size_t size;
    char *xml = entry(path, name, &size);
    xmlDocPtr doc = xmlReadMemory(xml, (int)size, name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    if (!doc)
      fail_msg("%s: %s is not well-formed XML", path, name);
    xmlFreeDoc(doc);
    free(xml);
  }
  zip_close(za);
}

/* ---- epubcheck ------------------------------------------------------------- */

/* Skips the test when epubcheck cannot run here. */
static void require_epubcheck(void) { epubcheck_require(); }

/* Books are not checked where they are made.  Starting Java and epubcheck
 * takes seconds, checking a small book after that a fraction of one, so
 * the tests copy the books they want checked into one folder, and the last
 * test checks them all in one Java VM (EpubcheckEach.java), naming the
 * test that made each book that epubcheck finds fault with. */
#define MAX_BOOKS 64
static char books_dir[64];          /* group_setup makes it */
static struct {
  size_t n;
  char path[MAX_BOOKS][128];
  char made_by[MAX_BOOKS][160];     /* "test_...: name.epub" */
} books;

/* Copies the book to be checked by test_epubcheck_accepts_every_book,
 * which names `test` as its maker when epubcheck finds fault with it. */
static void epubcheck_later(const char *book, const char *test) {
  if (books.n == MAX_BOOKS)
    fail_msg("more than %d books to check: raise MAX_BOOKS", MAX_BOOKS);
  const char *base = strrchr(book, '/');
  base = base ? base + 1 : book;
  char *path = books.path[books.n];
  int n = snprintf(path, sizeof books.path[0], "%s/%02zu-%s", books_dir,
                   books.n, base);
  assert_true(n > 0 && (size_t)n < sizeof books.path[0]);
  size_t len;
  char *bytes = slurp(book, &len);
  test_write_file(path, bytes, len);
  free(bytes);
  snprintf(books.made_by[books.n], sizeof books.made_by[0], "%s: %s", test,
           base);
  books.n++;
}

/* All the books set aside; returns how many epubcheck found fault with
 * (a warning is a fault too), each written to `problems` with the test
 * that made it. */
static size_t check_books(FILE *problems, int *slow) {
  const char *paths[MAX_BOOKS];
  epubcheck_result res[MAX_BOOKS];
  for (size_t i = 0; i < books.n; i++)
    paths[i] = books.path[i];
  epubcheck_books(paths, books.n, res, slow);
  size_t bad = 0;
  for (size_t i = 0; i < books.n; i++) {
    if (!epubcheck_clean(&res[i])) {
      fprintf(problems, "--- %s (epubcheck: exit %d):\n%s\n",
              books.made_by[i], res[i].status, res[i].text);
      bad++;
    }
    free(res[i].text);
  }
  return bad;
}

/* Converts every file of `dir` ending in `ext` to an EPUB of its own, to be
 * checked with epubcheck; returns how many there were. */
static int check_each(fixture *f, const char *dir, const char *ext,
                      const char *test) {
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name), el = strlen(ext);
    if (len <= el || strcmp(e->d_name + len - el, ext) != 0)
      continue;
    char in[1024], out[1024];
    snprintf(in, sizeof in, "%s/%s", dir, e->d_name);
    snprintf(out, sizeof out, "%s/%s.epub", f->dir, e->d_name);
    QUIRE_OK_RUN(f, NULL, in, "-o", out);
    assert_well_formed(out);
    epubcheck_later(out, test);
    n++;
  }
  closedir(d);
  return n;
}

/* ---- The corpus as one book --------------------------------------------------- */

static void test_corpus_is_one_book_of_five_chapters(void **state) {
  fixture *f = *state;
  const char *book = at(f, "corpus.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book);
  assert_well_formed(book);
  char name[64], href[64];
  for (unsigned c = 1; c <= N_ARTICLES; c++) {
    snprintf(name, sizeof name, "EPUB/text/ch%03u.xhtml", c);
    char *ch = entry(book, name, NULL);
    if (!ch)
      fail_msg("no %s", name);
    free(ch);
  }
  assert_null(entry(book, "EPUB/text/ch006.xhtml", NULL));
  /* The nav lists each chapter once, in order. */
  char *nav = entry(book, "EPUB/nav.xhtml", NULL);
  assert_non_null(nav);
  assert_non_null(strstr(nav, "epub:type=\"toc\""));
  const char *prev = nav;
  for (unsigned c = 1; c <= N_ARTICLES; c++) {
    snprintf(href, sizeof href, "href=\"text/ch%03u.xhtml\"", c);
    assert_int_equal(count(nav, href), 1 + (c == 1));   /* + landmark */
    const char *here = strstr(nav, href);
    assert_true(here >= prev);
    prev = here;
  }
  free(nav);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_int_equal(count(opf, "<itemref "), N_ARTICLES);
  assert_non_null(strstr(opf, "<dc:title>Corpus</dc:title>"));
  assert_non_null(strstr(opf, "<dc:language>en</dc:language>"));
  assert_non_null(strstr(opf, "properties=\"nav\""));
  assert_non_null(strstr(opf, "<spine toc=\"ncx\">"));
  free(opf);
  char *ncx = entry(book, "EPUB/toc.ncx", NULL);
  assert_non_null(ncx);
  assert_non_null(strstr(ncx, "<navMap>"));
  free(ncx);
  char *container = entry(book, "META-INF/container.xml", NULL);
  assert_non_null(strstr(container, "full-path=\"EPUB/content.opf\""));
  free(container);
}

/* These make books for test_epubcheck_accepts_every_book to check; they
 * skip without epubcheck, as their books would go unchecked. */

static void test_epubcheck_accepts_the_corpus_book(void **state) {
  fixture *f = *state;
  require_epubcheck();
  const char *book = at(f, "corpus.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book);
  epubcheck_later(book, __func__);
}

static void test_epubcheck_accepts_each_article_alone(void **state) {
  fixture *f = *state;
  require_epubcheck();
  const char *dir = at(f, "articles");
  assert_int_equal(mkdir(dir, 0777), 0);
  QUIRE_OK_RUN(f, NULL, "corpus/", "--output-dir", dir, "-t", "epub");
  assert_int_equal(count_entries(dir), N_ARTICLES);
  for (size_t i = 0; i < N_ARTICLES; i++) {
    char book[1024];
    snprintf(book, sizeof book, "%s/%s.epub", dir, articles[i]);
    char *opf = entry(book, "EPUB/content.opf", NULL);
    assert_int_equal(count(opf, "<itemref "), 1);
    assert_null(strstr(opf, "<dc:title>Corpus</dc:title>"));
    free(opf);
    epubcheck_later(book, __func__);
  }
}

static void test_epubcheck_accepts_books_of_the_html_inputs(void **state) {
  require_epubcheck();
  assert_true(check_each(*state, "tests/data/html", ".html", __func__) > 0);
}

static void test_epubcheck_accepts_books_of_the_text_inputs(void **state) {
  require_epubcheck();
  assert_true(check_each(*state, "tests/data/text", ".txt", __func__) > 0);
}

/* ---- The container ------------------------------------------------------------ */

static unsigned le16(const unsigned char *p) { return p[0] | p[1] << 8; }

static void test_mimetype_is_first_stored_without_extra_field(void **state) {
  fixture *f = *state;
  const char *book = at(f, "m.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book);
  size_t len;
  unsigned char *b = (unsigned char *)slurp(book, &len);
  assert_true(len > 58);
  assert_memory_equal(b, "PK\x03\x04", 4);   /* a local file header */
  assert_int_equal(le16(b + 6) & 0x08, 0);    /* no data descriptor */
  assert_int_equal(le16(b + 8), 0);           /* method: stored */
  assert_int_equal(le16(b + 26), 8);          /* name length */
  assert_int_equal(le16(b + 28), 0);          /* extra field length */
  assert_memory_equal(b + 30, "mimetype", 8);
  assert_memory_equal(b + 38, "application/epub+zip", 20);
  free(b);
  /* No entry has an extra field, in its local or central header. */
  int err = 0;
  zip_t *za = zip_open(book, ZIP_RDONLY, &err);
  assert_non_null(za);
  assert_string_equal(zip_get_name(za, 0, 0), "mimetype");
  assert_string_equal(zip_get_name(za, 1, 0), "META-INF/container.xml");
  assert_string_equal(zip_get_name(za, 2, 0), "EPUB/content.opf");
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
    assert_int_equal(zip_file_extra_fields_count(za, (zip_uint64_t)i,
                                                 ZIP_FL_LOCAL),
                     0);
    assert_int_equal(zip_file_extra_fields_count(za, (zip_uint64_t)i,
                                                 ZIP_FL_CENTRAL),
                     0);
  }
  zip_close(za);
}

static void test_same_input_gives_the_same_bytes(void **state) {
  fixture *f = *state;
  const char *a = at(f, "a.epub"), *b = at(f, "b.epub"), *c = at(f, "c.epub");
  QUIRE_OK_RUN(f, sde_env, "corpus/", "-o", a);
  QUIRE_OK_RUN(f, sde_env, "corpus/", "-o", b);
  /* ZIP dates are local times: the time zone must not change the bytes. */
  static const char *const zone_env[] = {SDE, "TZ=Pacific/Auckland", NULL};
  QUIRE_OK_RUN(f, zone_env, "corpus/", "-o", c);
  size_t la, lb, lc;
  char *ba = slurp(a, &la), *bb = slurp(b, &lb), *bc = slurp(c, &lc);
  assert_int_equal(la, lb);
  assert_memory_equal(ba, bb, la);
  assert_int_equal(la, lc);
  assert_memory_equal(ba, bc, la);
  free(ba);
  free(bb);
  free(bc);
  char *opf = entry(a, "EPUB/content.opf", NULL);
  assert_int_equal(count(opf, "dcterms:modified"), 1);
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">" SDE_STAMP
                              "</meta>"));
  /* The default identifier: an RFC 9562 version-8 UUID. */
  const char *id = strstr(opf, "urn:uuid:");
  assert_non_null(id);
  id += 9;
  for (int i = 0; i < 36; i++)
    if (i == 8 || i == 13 || i == 18 || i == 23)
      assert_int_equal(id[i], '-');
    else
      assert_non_null(strchr("0123456789abcdef", id[i]));
  assert_int_equal(id[14], '8');
  assert_non_null(strchr("89ab", id[19]));
  free(opf);
}

static void test_standard_output_gets_the_same_book(void **state) {
  fixture *f = *state;
  const char *book = at(f, "file.epub");
  QUIRE_OK_RUN(f, sde_env, "corpus/", "-o", book);
  QUIRE_OK_RUN(f, sde_env, "corpus/", "-t", "epub");
  size_t len;
  char *bytes = slurp(book, &len);
  assert_int_equal(f->r.out_len, len);
  assert_memory_equal(f->r.out, bytes, len);
  free(bytes);
}

static void test_identifier_follows_the_content(void **state) {
  fixture *f = *state;
  const char *a = at(f, "a.epub"), *b = at(f, "b.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", a);
  QUIRE_OK_RUN(f, NULL, "corpus/000_89428971a2145b71.txt", "-o", b);
  char *oa = entry(a, "EPUB/content.opf", NULL);
  char *ob = entry(b, "EPUB/content.opf", NULL);
  const char *ia = strstr(oa, "urn:uuid:"), *ib = strstr(ob, "urn:uuid:");
  assert_non_null(ia);
  assert_non_null(ib);
  assert_memory_not_equal(ia, ib, 45);
  /* The NCX carries the same identifier. */
  char *ncx = entry(a, "EPUB/toc.ncx", NULL);
  char uid[80];
  snprintf(uid, sizeof uid, "<meta name=\"dtb:uid\" content=\"%.45s\"/>", ia);
  assert_non_null(strstr(ncx, uid));
  free(ncx);
  free(oa);
  free(ob);
}

/* ---- Options and metadata ------------------------------------------------------ */

static void test_title_lang_identifier_go_into_the_package(void **state) {
  fixture *f = *state;
  const char *book = at(f, "t.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book, "--title", "Moths & <Friends>",
               "--lang", "pt-BR", "--identifier", "urn:isbn:9780306406157",
               "--metadata", "author=Ada Wren", "--metadata", "date=2024-02-29");
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "<dc:title>Moths &amp; &lt;Friends&gt;</dc:title>"));
  assert_non_null(strstr(opf, "<dc:language>pt-BR</dc:language>"));
  assert_non_null(strstr(opf, ">urn:isbn:9780306406157</dc:identifier>"));
  assert_non_null(strstr(opf, ">Ada Wren</dc:creator>"));
  assert_non_null(strstr(opf, "<dc:date>2024-02-29</dc:date>"));
  free(opf);
  char *ncx = entry(book, "EPUB/toc.ncx", NULL);
  assert_non_null(strstr(ncx, "content=\"urn:isbn:9780306406157\""));
  free(ncx);
  /* Documents without a language of their own take the corpus's. */
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_non_null(strstr(ch, "xml:lang=\"pt-BR\""));
  free(ch);
}

static void test_single_document_gives_its_metadata(void **state) {
  fixture *f = *state;
  const char *book = at(f, "moths.epub");
  QUIRE_OK_RUN(f, NULL, "tests/data/html/features.html", "-o", book);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "<dc:title>A Field Guide to Moths</dc:title>"));
  assert_non_null(strstr(opf, "<dc:creator id=\"creator1\">Ada Wren"
                              "</dc:creator>"));
  assert_non_null(strstr(opf, "<meta refines=\"#creator1\" property=\"role\" "
                              "scheme=\"marc:relators\">aut</meta>"));
  assert_non_null(strstr(opf, ">Ben Holt</dc:creator>"));
  assert_true(strstr(opf, "Ada Wren") < strstr(opf, "Ben Holt"));
  assert_non_null(strstr(opf, "<dc:date>2021-06-01T08:00:00Z</dc:date>"));
  /* The book's language is its one document's. */
  assert_non_null(strstr(opf, "<dc:language>en-GB</dc:language>"));
  free(opf);
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_non_null(strstr(ch, "<title>A Field Guide to Moths</title>"));
  assert_non_null(strstr(ch, "xml:lang=\"en-GB\""));
  free(ch);
}

static void test_authors_of_the_documents_are_merged(void **state) {
  fixture *f = *state;
  const char *a = at(f, "a.html"), *b = at(f, "b.html");
  write_text(a, "<html><head><title>A</title><meta name=\"author\" "
                "content=\"Ann\"><meta name=\"author\" content=\"Bob\">"
                "</head><body><p>a</p></body></html>");
  write_text(b, "<html><head><title>B</title><meta name=\"author\" "
                "content=\"Bob\"><meta name=\"author\" content=\"Cy\">"
                "</head><body><p>b</p></body></html>");
  const char *book = at(f, "ab.epub");
  QUIRE_OK_RUN(f, NULL, a, b, "-o", book);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_int_equal(count(opf, "<dc:creator "), 3);
  const char *ann = strstr(opf, ">Ann<"), *bob = strstr(opf, ">Bob<"),
             *cy = strstr(opf, ">Cy<");
  assert_non_null(ann);
  assert_true(ann < bob && bob < cy);
  assert_non_null(strstr(opf, "<dc:title>Corpus</dc:title>"));
  free(opf);
}

static void test_language_tags_are_checked(void **state) {
  fixture *f = *state;
  static const char *const good[] = {"en", "en-GB", "zh-Hant-TW", "sr-Latn-RS",
                                     "de-CH-1996", "es-419", "x-klingon",
                                     "i-klingon", "en-US-x-twain",
                                     "en-a-bbb-x-a-ccc"};
  static const char *const bad[] = {"en_US", "e", "en-", "-en", "123",
                                    "en--GB", "en-a", "x", "toolongtag",
                                    "en-GB-x"};
  const char *book = at(f, "l.epub");
  const char *in = "corpus/000_89428971a2145b71.txt";
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    if (quire(f, NULL, in, "-o", book, "--lang", good[i], (const char *)NULL))
      fail_msg("--lang %s refused: %s", good[i], f->r.err);
  unlink(book);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (quire(f, NULL, in, "-o", book, "--lang", bad[i],
              (const char *)NULL) != 2)
      fail_msg("--lang %s: exit %d, not a usage error", bad[i], f->r.status);
    assert_non_null(strstr(f->r.err, "BCP 47"));
    assert_false(exists(book));
  }
}

static void test_cover_image_makes_a_cover(void **state) {
  fixture *f = *state;
  const char *cover = at(f, "cover.png");
  test_write_file(cover, png, sizeof png);
  const char *css = at(f, "book.css");
  write_text(css, "body { margin: 0 5%; }\n.cover img { height: 100%; }\n");
  const char *book = at(f, "cover.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book, "--cover-image", cover, "--css",
               css, "--title", "Nouvelles", "--lang", "fr", "--toc-depth", "1",
               "--metadata", "author=Anne Autrice");
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "href=\"images/cover.png\" media-type=\"image/"
                              "png\" properties=\"cover-image\""));
  assert_non_null(strstr(opf, "<meta name=\"cover\" content=\"cover-image\"/>"));
  /* The cover page comes first in the spine. */
  const char *first = strstr(opf, "<itemref ");
  assert_non_null(first);
  assert_memory_equal(first, "<itemref idref=\"cover\"/>", 24);
  free(opf);
  size_t len;
  char *img = entry(book, "EPUB/images/cover.png", &len);
  assert_non_null(img);
  assert_int_equal(len, sizeof png);
  assert_memory_equal(img, png, sizeof png);
  free(img);
  char *page = entry(book, "EPUB/text/cover.xhtml", NULL);
  assert_non_null(strstr(page, "src=\"../images/cover.png\""));
  free(page);
  assert_well_formed(book);
  epubcheck_later(book, __func__);
  /* Anything but a JPEG or a PNG is a usage error. */
  assert_int_equal(quire(f, NULL, "corpus/", "-o", book, "--cover-image",
                         "corpus/000_89428971a2145b71.txt", (const char *)NULL),
                   2);
  assert_int_equal(quire(f, NULL, "corpus/", "-o", book, "--cover-image",
                         at(f, "missing.png"), (const char *)NULL),
                   2);
}

/* --title shows the book's title on a page of its own, after the cover:
 * the title, the authors, the date's day; a landmark, not a TOC entry.
 * Without --title, no title page. */
static void test_title_makes_a_title_page(void **state) {
  fixture *f = *state;
  const char *cover = at(f, "cover.png");
  test_write_file(cover, png, sizeof png);
  const char *book = at(f, "titled.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book, "--title", "Moths & Lamps",
               "--cover-image", cover, "--metadata", "author=Ada Wren",
               "--metadata", "date=2024-03-05T10:00:00Z");
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "href=\"text/title.xhtml\""));
  const char *c = strstr(opf, "<itemref idref=\"cover\"/>");
  const char *t = strstr(opf, "<itemref idref=\"titlepage\"/>");
  const char *ch = strstr(opf, "<itemref idref=\"ch001\"/>");
  assert_true(c && t && ch && c < t && t < ch);
  free(opf);
  char *page = entry(book, "EPUB/text/title.xhtml", NULL);
  assert_non_null(page);
  assert_non_null(strstr(page, ">Moths &amp; Lamps</h1>"));
  assert_non_null(strstr(page, ">Ada Wren</p>"));
  assert_non_null(strstr(page, ">2024-03-05</p>"));
  free(page);
  char *nav = entry(book, "EPUB/nav.xhtml", NULL);
  assert_non_null(strstr(nav, "epub:type=\"titlepage\" "
                              "href=\"text/title.xhtml\""));
  assert_int_equal(count(nav, "title.xhtml"), 1);   /* not in the TOC */
  free(nav);
  char *ncx = entry(book, "EPUB/toc.ncx", NULL);
  assert_null(strstr(ncx, "title.xhtml"));
  free(ncx);
  assert_well_formed(book);
  epubcheck_later(book, __func__);
  const char *plain = at(f, "plain.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", plain);
  char *none = entry(plain, "EPUB/text/title.xhtml", NULL);
  assert_null(none);
}

/* -t epub2: an EPUB 2.0.1 book: OPF 2.0 with opf:role, the cover's meta
 * and a guide, no nav document, XHTML 1.1 pages, notes as endnotes. */
static void test_epub2_writes_an_epub_2_book(void **state) {
  fixture *f = *state;
  const char *cover = at(f, "cover.png");
  test_write_file(cover, png, sizeof png);
  const char *md = at(f, "notes.md");
  write_text(md, "# Notes\n\nCalled here[^1], ~~struck~~.\n\n"
                 "1. one\n\n[^1]: The note's text.\n");
  const char *book = at(f, "two.epub");
  QUIRE_OK_RUN(f, NULL, "-f", "gfm", md, "-t", "epub2", "-o", book,
               "--title", "Two", "--cover-image", cover, "--metadata",
               "author=Ada Wren", "--metadata", "creator:trl=Tom Tran");
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "version=\"2.0\""));
  assert_non_null(strstr(opf, "<dc:creator opf:role=\"aut\">Ada Wren<"));
  assert_non_null(strstr(opf, "<dc:creator opf:role=\"trl\">Tom Tran<"));
  assert_non_null(strstr(opf, "<meta name=\"cover\" content=\"cover-image\"/>"));
  assert_non_null(strstr(opf, "<reference type=\"title-page\""));
  assert_non_null(strstr(opf, "<reference type=\"text\""));
  assert_null(strstr(opf, "dcterms:modified"));
  assert_null(strstr(opf, "properties="));
  assert_null(strstr(opf, "nav.xhtml"));
  free(opf);
  assert_null(entry(book, "EPUB/nav.xhtml", NULL));
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_non_null(strstr(ch, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\""));
  assert_null(strstr(ch, "epub:"));
  assert_null(strstr(ch, "<aside"));
  assert_null(strstr(ch, "<section"));
  assert_null(strstr(ch, "<s>"));
  assert_non_null(strstr(ch, "class=\"footnote-ref\""));
  assert_non_null(strstr(ch, "<div class=\"footnotes\">"));
  assert_non_null(strstr(ch, "class=\"footnote-back\""));
  free(ch);
  /* "epub" and "epub3" are EPUB 3, and so is a .epub output. */
  const char *three = at(f, "three.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-t", "epub3", "-o", three);
  opf = entry(three, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "version=\"3.0\""));
  free(opf);
  assert_well_formed(book);
  epubcheck_later(book, __func__);
}

static void test_css_replaces_the_stylesheet(void **state) {
  fixture *f = *state;
  const char *css = at(f, "my.css");
  static const char sheet[] = "body { font-family: serif; }\n";
  test_write_file(css, sheet, sizeof sheet - 1);
  const char *book = at(f, "css.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", book, "--css", css);
  char *got = entry(book, "EPUB/style.css", NULL);
  assert_string_equal(got, sheet);
  free(got);
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_non_null(strstr(ch, "href=\"../style.css\""));
  free(ch);
  assert_int_equal(quire(f, NULL, "corpus/", "-o", at(f, "x.epub"), "--css",
                         at(f, "missing.css"), (const char *)NULL),
                   2);
  assert_non_null(strstr(f->r.err, "missing.css"));
}

static void test_toc_depth_zero_lists_chapters_only(void **state) {
  fixture *f = *state;
  const char *deep = at(f, "deep.epub"), *flat = at(f, "flat.epub");
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", deep);
  QUIRE_OK_RUN(f, NULL, "corpus/", "-o", flat, "--toc-depth", "0");
  char *nav = entry(deep, "EPUB/nav.xhtml", NULL);
  assert_true(count(nav, ".xhtml#") > 0);   /* headings by default */
  free(nav);
  nav = entry(flat, "EPUB/nav.xhtml", NULL);
  assert_int_equal(count(nav, ".xhtml#"), 0);
  assert_int_equal(count(nav, "<li>"), N_ARTICLES + 1);   /* + landmark */
  free(nav);
  char *ncx = entry(flat, "EPUB/toc.ncx", NULL);
  assert_int_equal(count(ncx, "<navPoint "), N_ARTICLES);
  assert_non_null(strstr(ncx, "name=\"dtb:depth\" content=\"1\""));
  free(ncx);
  assert_int_equal(quire(f, NULL, "corpus/", "-o", flat, "--toc-depth", "7",
                         (const char *)NULL),
                   2);
}

/* ---- Links and images ----------------------------------------------------------- */

static void test_links_and_images_stay_inside_the_book(void **state) {
  fixture *f = *state;
  test_write_file(at(f, "pic.png"), png, sizeof png);
  static const char page[] =
      "<html><head><title>Refs</title></head><body><h1>Refs</h1>"
      "<p><img src=\"pic.png\" alt=\"local\"> <img src=\"./pic.png\" "
      "alt=\"again\"> <img src=\"https://example.org/x.png\" alt=\"far\"> "
      "<img src=\"gone.jpg\" alt=\"gone\"></p>"
      "<p><a href=\"https://example.org/a b\">web</a> "
      "<a href=\"//example.org/c\">scheme-relative</a> "
      "<a href=\"other.html\">other</a> <a href=\"#top\">top</a></p>"
      "</body></html>";
  const char *in = at(f, "refs.html");
  test_write_file(in, page, sizeof page - 1);
  const char *book = at(f, "refs.epub");
  QUIRE_OK_RUN(f, NULL, in, "-o", book);
  assert_non_null(strstr(f->r.err, "1 link to files outside the book"));
  assert_non_null(strstr(f->r.err, "1 link to ids the document does not"));
  assert_non_null(strstr(f->r.err, "1 image on the web"));
  assert_non_null(strstr(f->r.err, "1 image whose file the document does "
                                   "not hold"));
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  /* One copy of the local image, however it is named. */
  assert_int_equal(count(ch, "src=\"../media/1-pic.png\""), 2);
  assert_null(strstr(ch, "example.org/x.png"));
  assert_non_null(strstr(ch, "far"));   /* the alt text stays */
  assert_non_null(strstr(ch, "href=\"https://example.org/a%20b\""));
  assert_non_null(strstr(ch, "href=\"https://example.org/c\""));
  assert_null(strstr(ch, "other.html"));
  assert_null(strstr(ch, "#top"));
  free(ch);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "href=\"media/1-pic.png\" "
                              "media-type=\"image/png\""));
  assert_null(strstr(opf, "media/2-"));
  free(opf);
  size_t len;
  char *img = entry(book, "EPUB/media/1-pic.png", &len);
  assert_non_null(img);
  assert_int_equal(len, sizeof png);
  assert_memory_equal(img, png, sizeof png);
  free(img);
  assert_well_formed(book);
  epubcheck_later(book, __func__);
}

/* ---- Failure --------------------------------------------------------------------- */

static void test_failed_conversion_leaves_nothing_behind(void **state) {
  fixture *f = *state;
  /* Article 003 is over the limit: three chapters are written before the
   * conversion fails. */
  const char *out = at(f, "out");
  assert_int_equal(mkdir(out, 0777), 0);
  char book[1024];
  snprintf(book, sizeof book, "%s/fail.epub", out);
  assert_int_equal(quire(f, NULL, "--limit", "max-input-size=5000", "corpus/",
                         "-o", book, (const char *)NULL),
                   1);
  assert_int_equal(count_entries(out), 0);   /* no book, no temporary file */
  /* An existing book stays as it was. */
  test_write_file(book, "old", 3);
  assert_int_equal(quire(f, NULL, "--limit", "max-input-size=5000", "corpus/",
                         "-o", book, (const char *)NULL),
                   1);
  char *old = slurp(book, NULL);
  assert_string_equal(old, "old");
  free(old);
  assert_int_equal(count_entries(out), 1);
  /* The same when writing to standard output. */
  assert_int_equal(quire(f, NULL, "--limit", "max-input-size=5000", "corpus/",
                         "-t", "epub", (const char *)NULL),
                   1);
  /* No temporary file to be had: an error naming where it was sought. */
  char bad_tmp[1100];
  snprintf(bad_tmp, sizeof bad_tmp, "TMPDIR=%s", book);
  const char *const env[] = {bad_tmp, NULL};
  assert_int_equal(quire(f, env, "corpus/", "-o", at(f, "t.epub"),
                         (const char *)NULL),
                   1);
  assert_non_null(strstr(f->r.err, "cannot make a temporary file"));
  assert_non_null(strstr(f->r.err, book));
  assert_false(exists(at(f, "t.epub")));
}

static void test_killed_conversion_leaves_nothing_in_tmpdir(void **state) {
  fixture *f = *state;
  /* quire writes the first chapter, then waits for the FIFO's writer, and
   * is killed (SIGKILL: no handler runs) while waiting. */
  const char *fifo = at(f, "fifo.txt");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  const char *argv[] = {QUIRE_BIN, "corpus/000_89428971a2145b71.txt", fifo,
                        "-o", at(f, "killed.epub"), NULL};
  const char *const env[] = {f->tmp_env, NULL};
  run_opts o = {.env = env, .timeout = 2};
  run_result_free(&f->r);
  if (run_cmd(argv, &o, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  assert_true(f->r.timed_out);
  assert_false(f->r.exited);
  assert_int_equal(count_entries(f->tmp), 0);
}

/* cmocka's print_error() cuts its text at 1 KiB: a line at a time. */
static void print_long(const char *text) {
  while (*text) {
    int n = (int)strcspn(text, "\n");
    if (n > 1000)
      n = 1000;
    print_error("%.*s\n", n, text);
    text += n + (text[n] == '\n');
  }
}

/* Last of all: every book the tests above set aside, in one Java VM. */
static void test_epubcheck_accepts_every_book(void **state) {
  (void)state;
  require_epubcheck();
  /* The tests above always set books aside: none means a broken test. */
  assert_true(books.n > 0);
  char *report = NULL;
  size_t report_len = 0;
  FILE *problems = open_memstream(&report, &report_len);
  assert_non_null(problems);
  int slow = 0;
  size_t bad = check_books(problems, &slow);
  assert_int_equal(fclose(problems), 0);
  if (bad) {
    print_long(report);
    free(report);
    fail_msg("%zu of %zu books not clean or not checked (above, each "
             "with the test that made it)", bad, books.n);
  }
  print_message("epubcheck: %zu books clean%s\n", books.n,
                slow ? " (one Java VM each: no EpubcheckEach)" : "");
  free(report);
}

static int group_setup(void **state) {
  (void)state;
  snprintf(books_dir, sizeof books_dir, "/tmp/quire-epub-books-XXXXXX");
  return mkdtemp(books_dir) ? 0 : -1;
}

static int group_teardown(void **state) {
  (void)state;
  return test_remove_tree(books_dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_corpus_is_one_book_of_five_chapters,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_mimetype_is_first_stored_without_extra_field,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_input_gives_the_same_bytes,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_standard_output_gets_the_same_book,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_identifier_follows_the_content,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_title_lang_identifier_go_into_the_package,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_single_document_gives_its_metadata,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_authors_of_the_documents_are_merged,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_language_tags_are_checked, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_cover_image_makes_a_cover, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_title_makes_a_title_page, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_epub2_writes_an_epub_2_book, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_css_replaces_the_stylesheet, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_toc_depth_zero_lists_chapters_only,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_links_and_images_stay_inside_the_book,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_conversion_leaves_nothing_behind,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_killed_conversion_leaves_nothing_in_tmpdir,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_epubcheck_accepts_the_corpus_book,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_epubcheck_accepts_each_article_alone,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_epubcheck_accepts_books_of_the_html_inputs,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_epubcheck_accepts_books_of_the_text_inputs,
                                      setup, teardown),
      /* After every test that sets books aside. */
      cmocka_unit_test(test_epubcheck_accepts_every_book),
  };
  return test_main_status(
      cmocka_run_group_tests(tests, group_setup, group_teardown));
}
