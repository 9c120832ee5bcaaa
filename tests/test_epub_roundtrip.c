/* test_epub_roundtrip.c - EPUB to EPUB without loss, over every book of
 * the W3C epub-tests and of pandoc's epub/ folder that quire reads:
 *
 *   - every image a content document of the source shows (<img src>, SVG
 *     <image href>) is in the output, by the SHA-256 of its bytes;
 *   - every word of the source (as quire reads both books to text) is in
 *     the output, as many times;
 *   - the output has at least as many content files as the source's spine
 *     has content documents;
 *   - the title, the language and the identifier are the source's;
 *   - epubcheck finds no error in the output of a book it finds no error
 *     in; the warnings it gives the outputs are listed.
 *
 * The oracle for the source is the book itself, read here with libzip and
 * libxml2, not quire's reader.  One line per book that fails a check says
 * which and why. */
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

static const char *const suites[] = {"../shared/peers/epub-tests",
                                     "../shared/peers/pandoc/epub"};

/* ---- Strings ------------------------------------------------------------ */

typedef struct strs {
  char **v;
  size_t n, cap;
} strs;

static void strs_add(strs *s, const char *p, size_t n) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    assert_non_null(s->v);
  }
  char *c = malloc(n + 1);
  assert_non_null(c);
  memcpy(c, p, n);
  c[n] = '\0';
  s->v[s->n++] = c;
}

static int has(const strs *s, const char *p) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i], p) == 0)
      return 1;
  return 0;
}

static void strs_free(strs *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  *s = (strs){0};
}

static int by_string(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- The books ---------------------------------------------------------------- */

static unsigned char *zip_bytes(zip_t *za, const char *name, size_t *len) {
  zip_stat_t st;
  if (zip_stat(za, name, 0, &st) != 0)
    return NULL;
  zip_file_t *zf = zip_fopen(za, name, 0);
  if (!zf)
    return NULL;
  unsigned char *buf = malloc(st.size + 1);
  assert_non_null(buf);
  zip_int64_t got = zip_fread(zf, buf, st.size);
  zip_fclose(zf);
  if (got != (zip_int64_t)st.size) {
    free(buf);
    return NULL;
  }
  buf[st.size] = '\0';
  *len = st.size;
  return buf;
}

static xmlDocPtr zip_xml(zip_t *za, const char *name) {
  size_t len;
  unsigned char *b = zip_bytes(za, name, &len);
  if (!b)
    return NULL;
  xmlDocPtr d = xmlReadMemory((const char *)b, (int)len, name, NULL,
                              XML_PARSE_NONET | XML_PARSE_RECOVER |
                                  XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  free(b);
  return d;
}

/* The values an XPath expression finds (attributes' and elements' text,
 * whitespace collapsed), in order. */
static void xpath_all(xmlDocPtr d, const char *expr, strs *out) {
  if (!d)
    return;
  xmlXPathContextPtr ctx = xmlXPathNewContext(d);
  xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
  for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
    xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
    if (!v)
      continue;
    char *s = (char *)v, *w = s;
    int space = 0;
    for (char *r = s; *r; r++) {
      if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
        space = w > s;
        continue;
      }
      if (space)
        *w++ = ' ';
      space = 0;
      *w++ = *r;
    }
    *w = '\0';
    strs_add(out, s, strlen(s));
    xmlFree(v);
  }
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
}

static char *xpath_first(xmlDocPtr d, const char *expr) {
  strs s = {0};
  xpath_all(d, expr, &s);
  char *v = s.n ? strdup(s.v[0]) : NULL;
  strs_free(&s);
  return v;
}

/* dir/href with "." and ".." applied and %xx decoded: an entry name. */
static void resolve(const char *dir, const char *href, char *out,
                    size_t size) {
  char joined[2048];
  size_t hn = strcspn(href, "#?");
  snprintf(joined, sizeof joined, "%s%.*s", dir, (int)hn, href);
  char *o = joined;
  for (char *r = joined; *r; r++) {
    int a, b;
    if (*r == '%' && sscanf(r + 1, "%1x%1x", &a, &b) == 2) {
      *o++ = (char)(a * 16 + b);
      r += 2;
    } else
      *o++ = *r;
  }
  *o = '\0';
  /* Segments onto a stack. */
  char *segs[256];
  size_t n = 0;
  for (char *t = strtok(joined, "/"); t && n < 256; t = strtok(NULL, "/")) {
    if (strcmp(t, ".") == 0)
      continue;
    if (strcmp(t, "..") == 0) {
      if (n)
        n--;
      continue;
    }
    segs[n++] = t;
  }
  out[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    strncat(out, segs[i], size - strlen(out) - 1);
    if (i + 1 < n)
      strncat(out, "/", size - strlen(out) - 1);
  }
}

static void sha_hex(const unsigned char *b, size_t n, char hex[65]) {
  struct sha256_ctx c;
  unsigned char d[32];
  sha256_init(&c);
  sha256_update(&c, n, b);
  sha256_digest(&c, 32, d);
  for (int i = 0; i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static int core_image(const char *type) {
  return strcmp(type, "image/jpeg") == 0 || strcmp(type, "image/png") == 0 ||
         strcmp(type, "image/gif") == 0 || strcmp(type, "image/svg+xml") == 0 ||
         strcmp(type, "image/webp") == 0;
}

/* What a book says of itself. */
typedef struct book {
  char *title, *language, *identifier;
  int content_docs;            /* spine items that are content documents */
  strs images;                 /* SHA-256 of the images the content shows */
} book;

static void book_free(book *b) {
  free(b->title);
  free(b->language);
  free(b->identifier);
  strs_free(&b->images);
}

#define OPF_NS "http://www.idpf.org/2007/opf"

/* The package, its metadata, and the images the spine's pages show. */
static int read_source(const char *path, book *b) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    return -1;
  xmlDocPtr c = zip_xml(za, "META-INF/container.xml");
  char *opf_path = xpath_first(c, "//*[local-name()='rootfile']/@full-path");
  xmlFreeDoc(c);
  xmlDocPtr opf = opf_path ? zip_xml(za, opf_path) : NULL;
  if (!opf) {
    free(opf_path);
    zip_close(za);
    return -1;
  }
  char dir[1024] = "";
  const char *slash = strrchr(opf_path, '/');
  if (slash)
    snprintf(dir, sizeof dir, "%.*s/", (int)(slash - opf_path + 0), opf_path);
  b->title = xpath_first(opf, "//*[local-name()='metadata']/*[local-name()="
                              "'title'][1]");
  b->language = xpath_first(opf, "//*[local-name()='metadata']/*[local-name()"
                                 "='language'][1]");
  char *uid = xpath_first(opf, "/*/@unique-identifier");
  char expr[512];
  snprintf(expr, sizeof expr, "//*[local-name()='identifier'][@id='%s']",
           uid ? uid : "");
  b->identifier = xpath_first(opf, expr);
  if (!b->identifier)
    b->identifier = xpath_first(opf, "//*[local-name()='identifier'][1]");
  free(uid);
  strs refs = {0}, seen = {0};
  xpath_all(opf, "//*[local-name()='itemref']/@idref", &refs);
  for (size_t i = 0; i < refs.n; i++) {
    /* An item the spine lists twice is one file. */
    if (has(&seen, refs.v[i]))
      continue;
    strs_add(&seen, refs.v[i], strlen(refs.v[i]));
    snprintf(expr, sizeof expr, "//*[local-name()='item'][@id='%s']/@href",
             refs.v[i]);
    char *href = xpath_first(opf, expr);
    snprintf(expr, sizeof expr,
             "//*[local-name()='item'][@id='%s']/@media-type", refs.v[i]);
    char *type = xpath_first(opf, expr);
    snprintf(expr, sizeof expr,
             "//*[local-name()='item'][@id='%s']/@properties", refs.v[i]);
    char *props = xpath_first(opf, expr);
    int content = href && type && strcmp(type, "application/xhtml+xml") == 0 &&
                  !(props && strstr(props, "nav"));
    if (content) {
      char name[2048], idir[2048];
      resolve(dir, href, name, sizeof name);
      const char *s = strrchr(name, '/');
      snprintf(idir, sizeof idir, "%.*s", s ? (int)(s - name + 1) : 0, name);
      xmlDocPtr page = zip_xml(za, name);
      strs srcs = {0}, text = {0};
      xpath_all(page, "//*[local-name()='img']/@src | //*[local-name()="
                      "'image']/@*[local-name()='href']",
                &srcs);
      /* A page with neither text nor image (a fixed-layout page drawn by
       * its stylesheet) has nothing a document holds: the reader leaves
       * it out. */
      xpath_all(page, "//*[local-name()='body']", &text);
      if (srcs.n || (text.n && text.v[0][0]))
        b->content_docs++;
      strs_free(&text);
      xmlFreeDoc(page);
      for (size_t k = 0; k < srcs.n; k++) {
        char img[2048], rel[2048];
        resolve(idir, srcs.v[k], img, sizeof img);
        /* Its media type, by the manifest. */
        snprintf(rel, sizeof rel, "%s", img + strlen(dir));
        strs items = {0}, types = {0};
        xpath_all(opf, "//*[local-name()='item']/@href", &items);
        xpath_all(opf, "//*[local-name()='item']/@media-type", &types);
        int shown = 0;
        for (size_t m = 0; m < items.n && m < types.n; m++) {
          char full[2048];
          resolve(dir, items.v[m], full, sizeof full);
          if (strcmp(full, img) == 0)
            shown = core_image(types.v[m]);
        }
        strs_free(&items);
        strs_free(&types);
        size_t len;
        unsigned char *bytes = shown ? zip_bytes(za, img, &len) : NULL;
        if (bytes) {
          char hex[65];
          sha_hex(bytes, len, hex);
          if (!has(&b->images, hex))
            strs_add(&b->images, hex, 64);
          free(bytes);
        }
      }
      strs_free(&srcs);
    }
    free(href);
    free(type);
    free(props);
  }
  strs_free(&refs);
  strs_free(&seen);
  xmlFreeDoc(opf);
  free(opf_path);
  zip_close(za);
  return 0;
}

/* The output: the same facts, as quire's writer lays them out. */
static int read_output(const char *path, book *b) {
  int err = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &err);
  if (!za)
    return -1;
  xmlDocPtr opf = zip_xml(za, "EPUB/content.opf");
  b->title = xpath_first(opf, "//*[local-name()='title'][1]");
  b->language = xpath_first(opf, "//*[local-name()='language'][1]");
  b->identifier = xpath_first(opf, "//*[local-name()='identifier'][@id="
                                   "'book-id']");
  xmlFreeDoc(opf);
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
    const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
    if (strncmp(name, "EPUB/text/ch", 12) == 0)
      b->content_docs++;
    if (strncmp(name, "EPUB/media/", 11) != 0)
      continue;
    size_t len;
    unsigned char *bytes = zip_bytes(za, name, &len);
    if (bytes) {
      char hex[65];
      sha_hex(bytes, len, hex);
      strs_add(&b->images, hex, 64);
      free(bytes);
    }
  }
  zip_close(za);
  return 0;
}

/* ---- Words ----------------------------------------------------------------- */

/* The words of quire's text of the book: runs of letters, digits and
 * non-ASCII bytes, sorted.  -1 when quire cannot read it. */
static int words_of(const char *book, strs *words) {
  const char *argv[] = {QUIRE_BIN, "-q", book, "-t", "txt", NULL};
  run_result r = {0};
  run_opts o = {.timeout = 300};
  if (run_cmd(argv, &o, &r) != 0 || !r.exited || r.status != 0) {
    run_result_free(&r);
    return -1;
  }
  const unsigned char *p = (const unsigned char *)r.out;
  for (size_t i = 0; i < r.out_len;) {
    size_t j = i;
    while (j < r.out_len &&
           ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
            (p[j] >= '0' && p[j] <= '9') || p[j] >= 0x80))
      j++;
    if (j > i)
      strs_add(words, (const char *)p + i, j - i);
    i = j + (j == i);
  }
  run_result_free(&r);
  qsort(words->v, words->n, sizeof *words->v, by_string);
  return 0;
}

/* The first word of a that b lacks (both sorted, as multisets), or NULL;
 * *missing counts them. */
static const char *first_missing(const strs *a, const strs *b,
                                 size_t *missing) {
  const char *first = NULL;
  size_t i = 0, j = 0;
  *missing = 0;
  while (i < a->n) {
    int c = j < b->n ? strcmp(a->v[i], b->v[j]) : -1;
    if (c == 0) {
      i++;
      j++;
    } else if (c > 0)
      j++;
    else {
      if (!first)
        first = a->v[i];
      (*missing)++;
      i++;
    }
  }
  return first;
}

/* ---- The test ---------------------------------------------------------------- */

typedef struct run {
  char dir[64];
  FILE *report;
  size_t books, failed, unread;
  strs inputs, outputs;        /* for epubcheck */
} run;

static int same(const char *a, const char *b) {
  return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Converts one book and checks it; a line in the report for each fault. */
static void check_book(run *t, const char *in, const char *base) {
  char out[1024];
  snprintf(out, sizeof out, "%s/%s", t->dir, base);
  const char *argv[] = {QUIRE_BIN, "-q", in, "-o", out, NULL};
  run_result r = {0};
  run_opts o = {.timeout = 300};
  if (run_cmd(argv, &o, &r) != 0 || !r.exited || r.status != 0) {
    t->unread++;
    fprintf(t->report, "  (does not read) %s: %.200s\n", base, r.err);
    run_result_free(&r);
    return;
  }
  run_result_free(&r);
  t->books++;
  book src = {0}, dst = {0};
  int faults = 0;
  char line[4096];
#define FAULT(...)                                                            \
  do {                                                                        \
    snprintf(line, sizeof line, __VA_ARGS__);                                 \
    fprintf(t->report, "  %s: %s\n", base, line);                             \
    faults++;                                                                 \
  } while (0)
  if (read_source(in, &src) != 0 || read_output(out, &dst) != 0)
    FAULT("cannot read the package");
  for (size_t i = 0; i < src.images.n; i++)
    if (!has(&dst.images, src.images.v[i]))
      FAULT("image %.12s... of the source is not in the output",
            src.images.v[i]);
  if (dst.content_docs < src.content_docs)
    FAULT("%d content files for %d spine items", dst.content_docs,
          src.content_docs);
  if (!same(src.title, dst.title))
    FAULT("title '%s' became '%s'", src.title ? src.title : "(none)",
          dst.title ? dst.title : "(none)");
  if (src.language && !same(src.language, dst.language))
    FAULT("language '%s' became '%s'", src.language,
          dst.language ? dst.language : "(none)");
  if (src.identifier && !same(src.identifier, dst.identifier))
    FAULT("identifier '%s' became '%s'", src.identifier,
          dst.identifier ? dst.identifier : "(none)");
  strs a = {0}, b = {0};
  if (words_of(in, &a) == 0 && words_of(out, &b) == 0) {
    size_t missing;
    const char *w = first_missing(&a, &b, &missing);
    if (w)
      FAULT("%zu of %zu words lost, the first '%.40s'", missing, a.n, w);
  } else
    FAULT("quire cannot read one of the books to text");
  strs_free(&a);
  strs_free(&b);
  book_free(&src);
  book_free(&dst);
  t->failed += faults > 0;
  strs_add(&t->inputs, in, strlen(in));
  strs_add(&t->outputs, out, strlen(out));
#undef FAULT
}

static void test_epub_to_epub_keeps_images_words_and_metadata(void **state) {
  (void)state;
  run t = {0};
  snprintf(t.dir, sizeof t.dir, "/tmp/quire-roundtrip-XXXXXX");
  assert_non_null(mkdtemp(t.dir));
  char *report = NULL;
  size_t report_len = 0;
  t.report = open_memstream(&report, &report_len);
  int suites_found = 0;
  for (size_t s = 0; s < sizeof suites / sizeof *suites; s++) {
    DIR *d = opendir(suites[s]);
    if (!d)
      continue;
    suites_found++;
    strs names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      size_t n = strlen(e->d_name);
      if (n > 5 && strcmp(e->d_name + n - 5, ".epub") == 0)
        strs_add(&names, e->d_name, n);
    }
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, by_string);
    for (size_t i = 0; i < names.n; i++) {
      char in[1024];
      snprintf(in, sizeof in, "%s/%s", suites[s], names.v[i]);
      check_book(&t, in, names.v[i]);
    }
    strs_free(&names);
  }
  if (!suites_found) {
    fclose(t.report);
    free(report);
    test_remove_tree(t.dir);
    test_skip("no peer suites at ../shared/peers (epub-tests, pandoc/epub)");
  }
  /* epubcheck: each source and its output, all in one VM. */
  size_t check_errors = 0, warned = 0, accepted = 0;
  if (epubcheck_available()) {
    size_t n = t.inputs.n;
    const char **all = calloc(2 * n + 1, sizeof *all);
    epubcheck_result *res = calloc(2 * n + 1, sizeof *res);
    assert_non_null(all);
    assert_non_null(res);
    for (size_t i = 0; i < n; i++) {
      all[i] = t.inputs.v[i];
      all[n + i] = t.outputs.v[i];
    }
    epubcheck_books(all, 2 * n, res, NULL);
    for (size_t i = 0; i < n; i++) {
      const char *base = strrchr(t.inputs.v[i], '/') + 1;
      accepted += !epubcheck_errors(&res[i]);
      if (!epubcheck_errors(&res[i]) && epubcheck_errors(&res[n + i])) {
        fprintf(t.report, "  %s: epubcheck accepts the source, not the "
                          "output:\n%.2000s\n", base, res[n + i].text);
        check_errors++;
      } else if (!epubcheck_errors(&res[n + i]) &&
                 strstr(res[n + i].text, "WARNING")) {
        /* Listed, for docs/formats/epub.md. */
        const char *w = strstr(res[n + i].text, "WARNING");
        print_message("epubcheck warns of %s: %.*s\n", base,
                      (int)strcspn(w, "\n"), w);
        warned++;
      }
    }
    for (size_t i = 0; i < 2 * n; i++)
      free(res[i].text);
    free(res);
    free(all);
  } else
    test_note_skip("epubcheck not installed: the outputs are not checked");
  fclose(t.report);
  print_message("EPUB to EPUB: %zu books, %zu with faults, %zu not read; "
                "epubcheck finds no error in %zu sources, and errors in "
                "%zu of their outputs; %zu outputs have warnings\n",
                t.books, t.failed, t.unread, accepted, check_errors, warned);
  if (report_len)
    print_message("%s", report);
  strs_free(&t.inputs);
  strs_free(&t.outputs);
  test_remove_tree(t.dir);
  free(report);
  if (t.failed || check_errors)
    fail_msg("%zu books lost something, %zu outputs have epubcheck errors "
             "(above)", t.failed, check_errors);
  assert_true(t.books > 100);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_epub_to_epub_keeps_images_words_and_metadata),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
