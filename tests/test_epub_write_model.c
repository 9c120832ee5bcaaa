/* test_epub_write_model.c - the EPUB writer and Model 2: documents split
 * into files, links that follow their ids across files, resources in the
 * book once each, the source's metadata kept, and EPUB to EPUB over the
 * peer suites (image bytes, words, files, title, language, identifier,
 * epubcheck).  Inputs are JSON documents written here, which say exactly
 * which tree the writer gets, and the peers' books. */
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
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <nettle/sha2.h>
#include <zip.h>

#include "epubcheck_run.h"
#include "run_cmd.h"
#include "skip_note.h"
#include "test_files.h"

#define QUIRE_BIN QUIRE_BINARY_DIR "/bin/quire"
#define PEERS "../shared/peers"

/* A 1x1 PNG and a 1x1 GIF, in base64. */
#define PNG_B64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
#define GIF_B64 "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

typedef struct fixture {
  char dir[64];
  char paths[8][512];
  unsigned next;
  run_result r;
} fixture;

static const char *at(fixture *f, const char *name) {
  char *p = f->paths[f->next++ % 8];
  size_t n = strlen(f->dir), m = strlen(name);
  assert_true(n + 1 + m < sizeof f->paths[0]);
  memcpy(p, f->dir, n);
  p[n] = '/';
  memcpy(p + n + 1, name, m + 1);
  return p;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  snprintf(f->dir, sizeof f->dir, "/tmp/quire-epubw-XXXXXX");
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

/* Runs quire with the arguments (NULL-terminated); the exit status. */
static int quire(fixture *f, ...) {
  const char *argv[32] = {QUIRE_BIN};
  size_t n = 1;
  va_list ap;
  va_start(ap, f);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
    assert_true(n < 31);
    argv[n++] = a;
  }
  va_end(ap);
  run_result_free(&f->r);
  run_opts o = {.timeout = 300};
  if (run_cmd(argv, &o, &f->r) != 0)
    fail_msg("cannot run %s: %s", QUIRE_BIN, strerror(errno));
  if (!f->r.exited)
    fail_msg("quire did not exit: %s", f->r.err);
  return f->r.status;
}

#define QUIRE_OK_RUN(f, ...)                                                  \
  do {                                                                        \
    if (quire(f, __VA_ARGS__, (const char *)NULL) != 0)                       \
      fail_msg("quire failed (exit %d): %s", (f)->r.status, (f)->r.err);     \
  } while (0)

static void write_text(const char *path, const char *text) {
  test_write_file(path, text, strlen(text));
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* ---- Reading books ---------------------------------------------------------- */

/* Entry `name` of the ZIP at path, NUL-terminated (the caller frees it),
 * or NULL. */
static char *entry(const char *path, const char *name, size_t *len) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    return NULL;
  zip_stat_t st;
  char *buf = NULL;
  zip_file_t *zf = NULL;
  if (zip_stat(za, name, 0, &st) == 0 && (zf = zip_fopen(za, name, 0))) {
    buf = malloc(st.size + 1);
    assert_non_null(buf);
    if (zip_fread(zf, buf, st.size) != (zip_int64_t)st.size) {
      free(buf);
      buf = NULL;
    } else {
      buf[st.size] = '\0';
      if (len)
        *len = st.size;
    }
    zip_fclose(zf);
  }
  zip_close(za);
  return buf;
}

/* The names of the ZIP's entries that start with prefix and end with
 * suffix, counted. */
static int count_entries(const char *path, const char *prefix,
                         const char *suffix) {
  int err = 0, n = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    return -1;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
    const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
    size_t l = strlen(name), s = strlen(suffix);
    n += strncmp(name, prefix, strlen(prefix)) == 0 && l >= s &&
         strcmp(name + l - s, suffix) == 0;
  }
  zip_close(za);
  return n;
}

/* The largest size of the entries under prefix. */
static zip_uint64_t largest_entry(const char *path, const char *prefix) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  assert_non_null(za);
  zip_uint64_t max = 0;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
    zip_stat_t st;
    if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 &&
        strncmp(st.name, prefix, strlen(prefix)) == 0 && st.size > max)
      max = st.size;
  }
  zip_close(za);
  return max;
}

/* ---- JSON inputs ---------------------------------------------------------------- */

/* A JSON document with these blocks (and resources, may be ""). */
static const char *json_doc(fixture *f, const char *name, const char *meta,
                            const char *blocks, const char *resources) {
  size_t n = strlen(meta) + strlen(blocks) + strlen(resources) + 128;
  char *text = malloc(n);
  assert_non_null(text);
  snprintf(text, n, "{\"quire\":\"1.1\",\"meta\":{%s},\"blocks\":[%s],"
                    "\"resources\":[%s]}", meta, blocks, resources);
  const char *path = at(f, name);
  write_text(path, text);
  free(text);
  return path;
}

#define P(text) "{\"type\":\"paragraph\",\"content\":[\"" text "\"]}"
#define H(level, text) \
  "{\"type\":\"heading\",\"level\":" #level ",\"content\":[\"" text "\"]}"

/* ---- epubcheck, at the end ---------------------------------------------------- */

#define MAX_BOOKS 16
static char books_dir[64];
static struct {
  size_t n;
  char path[MAX_BOOKS][160];
  char made_by[MAX_BOOKS][160];
} books;

static void epubcheck_later(fixture *f, const char *book, const char *test) {
  (void)f;
  if (!epubcheck_available())
    return;
  assert_true(books.n < MAX_BOOKS);
  char *path = books.path[books.n];
  snprintf(path, sizeof books.path[0], "%s/%02zu.epub", books_dir, books.n);
  size_t len;
  char *bytes = NULL;
  FILE *fp = fopen(book, "rb");
  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  len = (size_t)ftell(fp);
  rewind(fp);
  bytes = malloc(len);
  assert_non_null(bytes);
  assert_int_equal(fread(bytes, 1, len, fp), len);
  fclose(fp);
  test_write_file(path, bytes, len);
  free(bytes);
  snprintf(books.made_by[books.n], sizeof books.made_by[0], "%s", test);
  books.n++;
}

/* ---- Splitting ------------------------------------------------------------------- */

static void test_each_top_level_section_is_a_file(void **state) {
  fixture *f = *state;
  const char *in = json_doc(
      f, "sections.json", "\"title\":\"Three\"",
      "{\"type\":\"section\",\"id\":\"s1\",\"content\":[" P("one") "]},"
      "{\"type\":\"section\",\"id\":\"s2\",\"content\":[" P("two") "]},"
      "{\"type\":\"section\",\"info\":\"footer\",\"content\":[" P("foot") "]},"
      "{\"type\":\"section\",\"id\":\"s3\",\"content\":[]}",
      "");
  const char *book = at(f, "sections.epub");
  QUIRE_OK_RUN(f, in, "-o", book);
  /* The footer is a layout part, not a chapter: it joins the second
   * file; the empty section is a file of its own. */
  assert_int_equal(count_entries(book, "EPUB/text/ch", ".xhtml"), 3);
  char *two = entry(book, "EPUB/text/ch002.xhtml", NULL);
  assert_non_null(strstr(two, "foot"));
  free(two);
  char *nav = entry(book, "EPUB/nav.xhtml", NULL);
  for (int c = 1; c <= 3; c++) {
    char href[64];
    snprintf(href, sizeof href, "href=\"text/ch%03d.xhtml\"", c);
    assert_true(count(nav, href) >= 1);
  }
  free(nav);
  epubcheck_later(f, book, __func__);
}

static void test_split_level_sets_the_headings_that_start_files(void **state) {
  fixture *f = *state;
  const char *in = json_doc(f, "levels.json", "\"title\":\"Levels\"",
                            H(1, "One") "," P("a") "," H(2, "One.one") ","
                            P("b") "," H(3, "deep") "," P("c") ","
                            H(1, "Two") "," P("d"),
                            "");
  static const struct {
    const char *level;
    int files;
  } cases[] = {{"1", 2}, {"2", 3}, {"3", 4}, {"0", 1}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *book = at(f, "levels.epub");
    QUIRE_OK_RUN(f, in, "-o", book, "--split-level", cases[i].level);
    if (count_entries(book, "EPUB/text/ch", ".xhtml") != cases[i].files)
      fail_msg("--split-level %s: %d files, not %d", cases[i].level,
               count_entries(book, "EPUB/text/ch", ".xhtml"), cases[i].files);
    /* Every heading the TOC lists links to the file that holds it. */
    char *nav = entry(book, "EPUB/nav.xhtml", NULL);
    char *two = NULL;
    if (cases[i].files > 1) {
      char name[64];
      snprintf(name, sizeof name, "EPUB/text/ch%03d.xhtml", cases[i].files);
      two = entry(book, name, NULL);
      assert_non_null(strstr(two, ">Two</h1>"));
      snprintf(name, sizeof name, "text/ch%03d.xhtml#", cases[i].files);
      assert_non_null(strstr(nav, name));
    }
    free(two);
    free(nav);
  }
  /* pandoc's older name for it. */
  const char *book = at(f, "old.epub");
  QUIRE_OK_RUN(f, in, "-o", book, "--epub-chapter-level", "2");
  assert_int_equal(count_entries(book, "EPUB/text/ch", ".xhtml"), 3);
  assert_int_equal(quire(f, in, "-o", book, "--split-level", "7",
                         (const char *)NULL), 2);
  epubcheck_later(f, book, __func__);
}

static void test_split_size_keeps_every_file_under_the_cap(void **state) {
  fixture *f = *state;
  const char *book = at(f, "small.epub");
  QUIRE_OK_RUN(f, "corpus/", "-o", book, "--split-size", "3K");
  int files = count_entries(book, "EPUB/text/ch", ".xhtml");
  assert_true(files > 10);
  /* The corpus has paragraphs longer than 3K: those files warn. */
  char *nav = entry(book, "EPUB/nav.xhtml", NULL);
  for (int c = 1; c <= files; c++) {
    char href[64], name[64];
    snprintf(href, sizeof href, "href=\"text/ch%03d.xhtml", c);
    if (!strstr(nav, href))
      fail_msg("the table of contents does not list file %d", c);
    snprintf(name, sizeof name, "EPUB/text/ch%03d.xhtml", c);
    size_t len;
    char *x = entry(book, name, &len);
    if (len > 3072 && !strstr(f->r.err, "larger than --split-size"))
      fail_msg("%s has %zu bytes, over the cap, without a warning", name,
               len);
    free(x);
  }
  free(nav);
  /* A cap the corpus's blocks all fit under is kept without a warning. */
  QUIRE_OK_RUN(f, "corpus/", "-o", book, "--split-size", "6K");
  assert_true(largest_entry(book, "EPUB/text/") <= 6144);
  assert_null(strstr(f->r.err, "larger than --split-size"));
  assert_true(count_entries(book, "EPUB/text/ch", ".xhtml") > 5);
  epubcheck_later(f, book, __func__);
  assert_int_equal(quire(f, "corpus/", "-o", book, "--split-size", "12",
                         (const char *)NULL), 2);
}

static off_t size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

/* --compress-level: 1 makes a larger book than 12, of the same chapters. */
static void test_compress_level_trades_size_for_speed(void **state) {
  fixture *f = *state;
  const char *fast = at(f, "fast.epub"), *small = at(f, "small12.epub");
  QUIRE_OK_RUN(f, "corpus/", "-o", fast, "--compress-level", "1");
  QUIRE_OK_RUN(f, "corpus/", "-o", small, "--compress-level", "12");
  assert_true(size_of(fast) > size_of(small));
  size_t a_len, b_len;
  char *a = entry(fast, "EPUB/text/ch001.xhtml", &a_len);
  char *b = entry(small, "EPUB/text/ch001.xhtml", &b_len);
  assert_int_equal(a_len, b_len);
  assert_memory_equal(a, b, a_len);
  free(a);
  free(b);
  epubcheck_later(f, fast, __func__);
  assert_int_equal(quire(f, "corpus/", "-o", fast, "--compress-level", "0",
                         (const char *)NULL), 2);
  assert_int_equal(quire(f, "corpus/", "-o", fast, "--compress-level", "6x",
                         (const char *)NULL), 2);
}

static void test_a_block_larger_than_the_cap_is_told(void **state) {
  fixture *f = *state;
  char blocks[8192] = P("small") ",{\"type\":\"paragraph\",\"content\":[\"";
  for (int i = 0; i < 600; i++)
    strcat(blocks, "long text ");
  strcat(blocks, "\"]}," P("after"));
  const char *in = json_doc(f, "huge.json", "\"title\":\"Huge\"", blocks,
                            "");
  const char *book = at(f, "huge.epub");
  QUIRE_OK_RUN(f, in, "-o", book, "--split-size", "2K");
  /* The paragraph is a file of its own, larger than the cap, and said. */
  assert_int_equal(count_entries(book, "EPUB/text/ch", ".xhtml"), 3);
  assert_non_null(strstr(f->r.err, "1 file larger than --split-size 2048"));
}

static void test_lists_go_on_in_the_next_file(void **state) {
  fixture *f = *state;
  char blocks[8192] = "{\"type\":\"ordered_list\",\"start\":1,\"content\":[";
  for (int i = 0; i < 40; i++) {
    char item[256];
    snprintf(item, sizeof item, "%s{\"type\":\"item\",\"content\":["
             P("item %d with some words to fill the line") "]}",
             i ? "," : "", i + 1);
    strcat(blocks, item);
  }
  strcat(blocks, "]}");
  const char *in = json_doc(f, "list.json", "\"title\":\"List\"", blocks, "");
  const char *book = at(f, "list.epub");
  QUIRE_OK_RUN(f, in, "-o", book, "--split-size", "2K");
  assert_true(count_entries(book, "EPUB/text/ch", ".xhtml") > 1);
  char *two = entry(book, "EPUB/text/ch002.xhtml", NULL);
  /* The list goes on, numbered from where the first file stopped. */
  const char *ol = strstr(two, "<ol start=\"");
  assert_non_null(ol);
  int start = atoi(ol + strlen("<ol start=\""));
  char item[64];
  snprintf(item, sizeof item, "item %d with", start);
  assert_non_null(strstr(two, item));
  assert_true(start > 1);
  free(two);
  epubcheck_later(f, book, __func__);
}

/* ---- Links and ids --------------------------------------------------------------- */

static void test_links_follow_their_ids_into_other_files(void **state) {
  fixture *f = *state;
  const char *in = json_doc(
      f, "links.json", "\"title\":\"Links\"",
      "{\"type\":\"section\",\"id\":\"c1\",\"content\":["
      "{\"type\":\"paragraph\",\"id\":\"here\",\"content\":["
      "{\"type\":\"link\",\"url\":\"#there\",\"content\":[\"to two\"]},\" \","
      "{\"type\":\"link\",\"url\":\"#here\",\"content\":[\"to self\"]},\" \","
      "{\"type\":\"link\",\"url\":\"#nowhere\",\"content\":[\"lost\"]},\" \","
      "{\"type\":\"link\",\"url\":\"#9 odd\",\"content\":[\"odd\"]}]}]},"
      "{\"type\":\"section\",\"id\":\"c2\",\"content\":["
      "{\"type\":\"paragraph\",\"id\":\"there\",\"content\":["
      "{\"type\":\"link\",\"url\":\"#c1\",\"content\":[\"back\"]}]},"
      "{\"type\":\"paragraph\",\"id\":\"9 odd\",\"content\":[\"odd id\"]}]}",
      "");
  const char *book = at(f, "links.epub");
  QUIRE_OK_RUN(f, in, "-o", book);
  assert_non_null(strstr(f->r.err, "1 link to ids the document does not "
                                   "have"));
  char *one = entry(book, "EPUB/text/ch001.xhtml", NULL);
  char *two = entry(book, "EPUB/text/ch002.xhtml", NULL);
  assert_non_null(one);
  assert_non_null(two);
  assert_non_null(strstr(one, "href=\"ch002.xhtml#there\""));
  assert_non_null(strstr(one, "href=\"#here\""));
  assert_non_null(strstr(one, "lost"));   /* the text stays */
  assert_null(strstr(one, "#nowhere"));
  /* An id XHTML cannot carry is replaced, and links follow it. */
  assert_non_null(strstr(one, "href=\"ch002.xhtml#id-9_odd\""));
  assert_non_null(strstr(two, "id=\"id-9_odd\""));
  assert_non_null(strstr(two, "href=\"ch001.xhtml#c1\""));
  free(one);
  free(two);
  epubcheck_later(f, book, __func__);
}

/* ---- Resources ----------------------------------------------------------------- */

static void test_resources_are_in_the_book_once(void **state) {
  fixture *f = *state;
  const char *in = json_doc(
      f, "res.json", "\"title\":\"Pictures\"",
      "{\"type\":\"paragraph\",\"content\":["
      "{\"type\":\"image\",\"url\":\"a/dot.png\",\"content\":[\"one\"]},"
      "{\"type\":\"image\",\"url\":\"b/same dot.png\",\"content\":[\"two\"]},"
      "{\"type\":\"image\",\"url\":\"a/dot.png\",\"content\":[\"three\"]},"
      "{\"type\":\"image\",\"url\":\"notes.txt\",\"content\":[\"text\"]}]}",
      "{\"name\":\"a/dot.png\",\"data\":\"" PNG_B64 "\"},"
      "{\"name\":\"b/same dot.png\",\"data\":\"" PNG_B64 "\"},"
      "{\"name\":\"notes.txt\",\"media_type\":\"text/plain\","
      "\"data\":\"aGVsbG8=\"},"
      "{\"name\":\"cover.gif\",\"cover\":true,\"data\":\"" GIF_B64 "\"}");
  const char *book = at(f, "res.epub");
  QUIRE_OK_RUN(f, in, "-o", book);
  /* The PNG once, the cover, and not the text file. */
  assert_int_equal(count_entries(book, "EPUB/media/", ""), 2);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "href=\"media/1-cover.gif\" "
                              "media-type=\"image/gif\" "
                              "properties=\"cover-image\""));
  assert_non_null(strstr(opf, "<meta name=\"cover\" content=\"cover-image\""));
  assert_non_null(strstr(opf, "href=\"media/2-dot.png\" "
                              "media-type=\"image/png\""));
  /* No page shows the cover, so the book has a cover page. */
  assert_non_null(strstr(opf, "<itemref idref=\"cover\"/>"));
  free(opf);
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_int_equal(count(ch, "src=\"../media/2-dot.png\""), 3);
  assert_non_null(strstr(ch, "text"));   /* the alt text */
  free(ch);
  char *cover = entry(book, "EPUB/text/cover.xhtml", NULL);
  assert_non_null(strstr(cover, "src=\"../media/1-cover.gif\""));
  free(cover);
  assert_non_null(strstr(f->r.err, "1 image of a type reading systems need "
                                   "not show"));
  epubcheck_later(f, book, __func__);
}

/* ---- Metadata --------------------------------------------------------------------- */

static void test_the_documents_metadata_goes_into_the_package(void **state) {
  fixture *f = *state;
  const char *in = json_doc(
      f, "meta.json",
      "\"title\":\"Kitab\",\"language\":\"ar\",\"identifier\":\"urn:isbn:"
      "9780306406157\",\"publisher\":\"Dar\",\"rights\":\"CC0\","
      "\"description\":\"A test.\",\"subject\":[\"poetry\",\"tests\"],"
      "\"author\":\"Ann\",\"creator:trl\":\"Tom\",\"creator:ctb\":\"Cy\","
      "\"direction\":\"rtl\",\"date\":\"2020-02-02\"",
      P("نص"), "");
  const char *book = at(f, "meta.epub");
  QUIRE_OK_RUN(f, in, "-o", book);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  static const char *const want[] = {
      "<dc:identifier id=\"book-id\">urn:isbn:9780306406157</dc:identifier>",
      "<dc:title>Kitab</dc:title>", "<dc:language>ar</dc:language>",
      "xml:lang=\"ar\"", "<dc:publisher>Dar</dc:publisher>",
      "<dc:rights>CC0</dc:rights>", "<dc:description>A test.</dc:description>",
      "<dc:subject>poetry</dc:subject>", "<dc:subject>tests</dc:subject>",
      "<dc:date>2020-02-02</dc:date>",
      "<dc:creator id=\"creator1\">Ann</dc:creator>",
      "<dc:creator id=\"creator2\">Tom</dc:creator>",
      "<meta refines=\"#creator2\" property=\"role\" "
      "scheme=\"marc:relators\">trl</meta>",
      "<dc:contributor id=\"contributor3\">Cy</dc:contributor>",
      "page-progression-direction=\"rtl\""};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(opf, want[i]))
      fail_msg("the package lacks %s:\n%s", want[i], opf);
  free(opf);
  char *ch = entry(book, "EPUB/text/ch001.xhtml", NULL);
  assert_non_null(strstr(ch, "xml:lang=\"ar\""));
  free(ch);
  /* --identifier wins. */
  QUIRE_OK_RUN(f, in, "-o", book, "--identifier", "urn:x:mine");
  opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, ">urn:x:mine</dc:identifier>"));
  free(opf);
  /* Creators in any role from the command line, without a warning that
   * the key is not written. */
  QUIRE_OK_RUN(f, in, "-o", book, "--metadata", "author=Bo",
               "--metadata", "creator:ill=Ida");
  opf = entry(book, "EPUB/content.opf", NULL);
  assert_non_null(strstr(opf, "<dc:creator id=\"creator1\">Bo</dc:creator>"));
  assert_non_null(strstr(opf, "<dc:creator id=\"creator2\">Ida</dc:creator>"));
  assert_non_null(strstr(opf, "scheme=\"marc:relators\">ill</meta>"));
  assert_null(strstr(f->r.err, "creator:ill"));
  free(opf);
  epubcheck_later(f, book, __func__);
}

static void test_a_corpus_lists_every_language(void **state) {
  fixture *f = *state;
  const char *a = json_doc(f, "a.json", "\"title\":\"A\",\"language\":\"fr\"",
                           P("un"), "");
  const char *b = json_doc(f, "b.json", "\"title\":\"B\",\"language\":\"de\"",
                           P("eins"), "");
  const char *book = at(f, "ab.epub");
  QUIRE_OK_RUN(f, a, b, "-o", book);
  char *opf = entry(book, "EPUB/content.opf", NULL);
  const char *fr = strstr(opf, "<dc:language>fr</dc:language>");
  const char *de = strstr(opf, "<dc:language>de</dc:language>");
  assert_non_null(fr);
  assert_true(de > fr);
  free(opf);
  char *two = entry(book, "EPUB/text/ch002.xhtml", NULL);
  assert_non_null(strstr(two, "xml:lang=\"de\""));
  free(two);
}

/* ---- Last: epubcheck ---------------------------------------------------------------- */

static void test_epubcheck_accepts_every_book(void **state) {
  (void)state;
  epubcheck_require();
  assert_true(books.n > 0);
  const char *paths[MAX_BOOKS];
  epubcheck_result res[MAX_BOOKS];
  for (size_t i = 0; i < books.n; i++)
    paths[i] = books.path[i];
  epubcheck_books(paths, books.n, res, NULL);
  size_t bad = 0;
  for (size_t i = 0; i < books.n; i++) {
    if (!epubcheck_clean(&res[i])) {
      print_error("--- %s (exit %d):\n%.3000s\n", books.made_by[i],
                  res[i].status, res[i].text);
      bad++;
    }
    free(res[i].text);
  }
  if (bad)
    fail_msg("%zu of %zu books not clean", bad, books.n);
}

static int group_setup(void **state) {
  (void)state;
  snprintf(books_dir, sizeof books_dir, "/tmp/quire-epubw-books-XXXXXX");
  return mkdtemp(books_dir) ? 0 : -1;
}

static int group_teardown(void **state) {
  (void)state;
  return test_remove_tree(books_dir);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_each_top_level_section_is_a_file,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_split_level_sets_the_headings_that_start_files, setup,
          teardown),
      cmocka_unit_test_setup_teardown(
          test_split_size_keeps_every_file_under_the_cap, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_compress_level_trades_size_for_speed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_a_block_larger_than_the_cap_is_told,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_lists_go_on_in_the_next_file,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_links_follow_their_ids_into_other_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_resources_are_in_the_book_once,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_the_documents_metadata_goes_into_the_package, setup,
          teardown),
      cmocka_unit_test_setup_teardown(test_a_corpus_lists_every_language,
                                      setup, teardown),
      cmocka_unit_test(test_epubcheck_accepts_every_book),
  };
  return test_main_status(
      cmocka_run_group_tests(tests, group_setup, group_teardown));
}
