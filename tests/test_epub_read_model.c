/* test_epub_read_model.c - what an EPUB becomes in the model: a SECTION
 * with an id per spine item, ids unique in the book and links pointing at
 * them, the images and the cover as resources with their bytes, the
 * book's own metadata, and its notes as NOTE nodes.  Checked on books
 * made here, one rule each, and on the peer suites (the W3C's test books
 * and pandoc's), whose package documents are read here with libxml2 as
 * the oracle. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <quire/quire.h>

#include "epub_book.h"
#include "session_fixture.h"
#include "skip_note.h"

/* Relative to the project root, the tests' working directory. */
#define PEERS "../shared/peers"

/* ---- Helpers ------------------------------------------------------------- */

static const char *tmp(fixture *f, const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/%s", f->dir, name);
  return buf;
}

static void assert_contains(const char *hay, const char *needle) {
  if (!strstr(hay, needle))
    fail_msg("'%s' does not contain '%s'", hay, needle);
}

/* Reads the book at path: its document, or NULL when it fails. */
static quire_doc *read_book(fixture *f, const char *path) {
  quire_reader *r = NULL;
  quire_doc *doc = NULL;
  if (quire_reader_open(f->s, path, "epub", NULL, &r) != QUIRE_OK)
    return NULL;
  if (quire_reader_next(r, &doc) != QUIRE_OK)
    doc = NULL;
  quire_reader_free(r);
  return doc;
}

static quire_doc *must_read(fixture *f, const char *path) {
  quire_doc *doc = read_book(f, path);
  if (!doc)
    fail_msg("%s: %s", path, quire_error_get(f->s)->message);
  return doc;
}

#define OPF_START                                                            \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
  "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "         \
  "unique-identifier=\"uid\"><metadata "                                     \
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"                           \
  "<dc:identifier id=\"uid\">urn:test</dc:identifier>"                       \
  "<dc:title>The Book</dc:title><dc:language>en</dc:language></metadata>"

#define XHTML(attrs, body)                                                   \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
  "<html xmlns=\"http://www.w3.org/1999/xhtml\" "                            \
  "xmlns:epub=\"http://www.idpf.org/2007/ops\" " attrs "><head><title>T"     \
  "</title></head><body>" body "</body></html>"

#define ITEM(id, href) \
  "<item id=\"" id "\" href=\"" href "\" media-type=\"application/xhtml+xml\"/>"

/* A book whose package (OEBPS/content.opf, OPF_START's metadata) lists
 * `manifest` and `spine`. */
static void make_simple(const char *path, const char *manifest,
                        const char *spine, const zentry *files, size_t n) {
  size_t size = strlen(manifest) + strlen(spine) + 1024;
  char *opf = malloc(size);
  assert_non_null(opf);
  snprintf(opf, size, OPF_START "<manifest>%s</manifest><spine>%s</spine>"
           "</package>", manifest, spine);
  make_book(path, "OEBPS/content.opf", opf, files, n);
  free(opf);
}

/* The n-th (from 0) top-level node of doc. */
static const quire_node *top(const quire_doc *doc, int n) {
  const quire_node *c = doc->root->first_child;
  while (c && n--)
    c = c->next;
  if (!c)
    fail_msg("the document has no top-level node %d", n);
  return c;
}

/* The node whose id is `id`, or NULL. */
static const quire_node *by_id(const quire_doc *doc, const char *id) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->id &&
        strcmp(it.node->id, id) == 0)
      return it.node;
  return NULL;
}

/* The url of the link whose text is `text`, or NULL. */
static const char *link_to(const quire_doc *doc, const char *text) {
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (n->type == QUIRE_NODE_LINK && it.event == QUIRE_EV_ENTER &&
        n->first_child && n->first_child->type == QUIRE_NODE_TEXT &&
        strcmp(n->first_child->text, text) == 0)
      return n->url;
  }
  return NULL;
}

static size_t count_type(const quire_doc *doc, quire_node_type type) {
  size_t n = 0;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    n += it.event == QUIRE_EV_ENTER && it.node->type == type;
  return n;
}

static size_t count_meta(const quire_doc *doc, const char *key) {
  size_t n = 0;
  for (const quire_meta *m = doc->meta; m; m = m->next)
    n += strcmp(m->key, key) == 0;
  return n;
}

/* The value of the i-th entry of key. */
static const char *meta_nth(const quire_doc *doc, const char *key, size_t i) {
  for (const quire_meta *m = doc->meta; m; m = m->next)
    if (strcmp(m->key, key) == 0 && i-- == 0)
      return m->value;
  return NULL;
}

static size_t count_resources(const quire_doc *doc) {
  size_t n = 0;
  for (const quire_resource *r = doc->resources; r; r = r->next)
    n++;
  return n;
}

/* The bytes of a resource, malloc'd. */
static unsigned char *res_bytes(const quire_resource *r) {
  unsigned char *b = malloc(r->size ? r->size : 1);
  assert_non_null(b);
  unsigned long long at = 0;
  while (at < r->size) {
    long got = quire_res_read(r, at, b + at, (size_t)(r->size - at));
    assert_true(got > 0);
    at += (unsigned long long)got;
  }
  return b;
}

/* Non-zero when url starts with a scheme ("https:", "data:"). */
static int has_scheme(const char *url) {
  size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
  return n > 0 && url[n] == ':';
}

/* ---- The package document, read here as the oracle ---------------------- */

typedef struct opf_facts {
  char *dir;            /* the package's folder in the container */
  char *title, *language, *identifier, *publisher, *rights, *direction;
} opf_facts;

/* The string value of XPath `expr` over doc, malloc'd ("" when none). */
static char *xpath_string(xmlDoc *doc, const char *expr) {
  xmlXPathContext *ctx = xmlXPathNewContext(doc);
  assert_non_null(ctx);
  xmlXPathObject *o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
  if (!o)
    fail_msg("bad XPath %s", expr);
  xmlChar *s = xmlXPathCastToString(o);
  char *copy = strdup((const char *)s);
  xmlFree(s);
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return copy;
}

#define DC(name)                                                             \
  "(//*[local-name()='" name "' and starts-with(namespace-uri(),"            \
  "'http://purl.org/dc/elements/1.')][normalize-space()])[1]"

/* Reads what the package of book `path` says; 0 when it has none that
 * libxml2 reads. */
static int opf_read(const char *path, opf_facts *o) {
  memset(o, 0, sizeof *o);
  size_t len;
  unsigned char *c = zip_entry_bytes(path, "META-INF/container.xml", &len);
  if (!c)
    return 0;
  xmlDoc *container = xmlReadMemory((const char *)c, (int)len, NULL, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR |
                                        XML_PARSE_NOWARNING);
  free(c);
  if (!container)
    return 0;
  char *opf_path = xpath_string(
      container, "string((//*[local-name()='rootfile'])[1]/@full-path)");
  xmlFreeDoc(container);
  unsigned char *bytes = zip_entry_bytes(path, opf_path, &len);
  xmlDoc *opf = bytes ? xmlReadMemory((const char *)bytes, (int)len, NULL,
                                      NULL, XML_PARSE_NONET |
                                                XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING)
                      : NULL;
  free(bytes);
  if (!opf) {
    free(opf_path);
    return 0;
  }
  char *slash = strrchr(opf_path, '/');
  o->dir = strndup(opf_path, slash ? (size_t)(slash - opf_path) + 1 : 0);
  free(opf_path);
  o->title = xpath_string(opf, "normalize-space(" DC("title") ")");
  o->language = xpath_string(opf, "normalize-space(" DC("language") ")");
  if (!o->language[0]) {
    free(o->language);
    o->language = xpath_string(opf, "normalize-space(/*/@xml:lang)");
  }
  o->identifier = xpath_string(
      opf, "normalize-space((//*[local-name()='identifier'][@id=/*/"
           "@unique-identifier][normalize-space()] | " DC("identifier")
           ")[1])");
  o->publisher = xpath_string(opf, "normalize-space(" DC("publisher") ")");
  o->rights = xpath_string(opf, "normalize-space(" DC("rights") ")");
  o->direction = xpath_string(
      opf, "normalize-space(//*[local-name()='spine']"
           "/@page-progression-direction)");
  xmlFreeDoc(opf);
  return 1;
}

static void opf_free(opf_facts *o) {
  char *all[] = {o->dir,       o->title,     o->language, o->identifier,
                 o->publisher, o->rights,    o->direction};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++)
    free(all[i]);
}

/* The peer books that read: the W3C's and pandoc's.  Fills g; 0 when the
 * peer suites are missing. */
static int peer_books(glob_t *g) {
  if (access(PEERS "/epub-tests", R_OK) != 0 ||
      access(PEERS "/pandoc/epub", R_OK) != 0)
    return 0;
  if (glob(PEERS "/epub-tests/*.epub", 0, NULL, g) != 0)
    return 0;
  glob(PEERS "/pandoc/epub/*.epub", GLOB_APPEND, NULL, g);
  return 1;
}

/* Its only spine item is a .dmg whose fallback is a Photoshop image. */
static int unreadable(const char *path) {
  return strstr(path, "pub-foreign_bad-fallback") != NULL;
}

/* ---- Peer books ---------------------------------------------------------- */

static void test_peer_books_keep_title_language_and_identifier(void **state) {
  fixture *f = *state;
  glob_t g;
  if (!peer_books(&g))
    test_skip("../shared/peers not found");
  quire_set_diag(f->s, NULL, NULL);
  size_t books = 0, publishers = 0, rights = 0, directions = 0;
  int languages[4] = {0};   /* en, fr, ar, he */
  for (size_t i = 0; i < g.gl_pathc; i++) {
    const char *path = g.gl_pathv[i];
    opf_facts o;
    if (unreadable(path) || !opf_read(path, &o))
      continue;
    quire_doc *doc = must_read(f, path);
    const quire_meta *m = doc->meta;
    struct {
      const char *key, *expected;
    } kept[] = {
        {QUIRE_META_TITLE, o.title},         {QUIRE_META_LANGUAGE, o.language},
        {QUIRE_META_IDENTIFIER, o.identifier},
        {QUIRE_META_PUBLISHER, o.publisher}, {QUIRE_META_RIGHTS, o.rights},
    };
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++) {
      const char *got = quire_meta_get(m, kept[k].key);
      if (!kept[k].expected[0] ? got != NULL
                               : !got || strcmp(got, kept[k].expected) != 0)
        fail_msg("%s: %s is '%s', the package says '%s'", path, kept[k].key,
                 got ? got : "(none)", kept[k].expected);
    }
    const char *dir = quire_meta_get(m, QUIRE_META_DIRECTION);
    int has_dir = strcmp(o.direction, "rtl") == 0 ||
                  strcmp(o.direction, "ltr") == 0;
    if (has_dir ? !dir || strcmp(dir, o.direction) != 0 : dir != NULL)
      fail_msg("%s: direction '%s', the spine says '%s'", path,
               dir ? dir : "(none)", o.direction);
    static const char *const langs[] = {"en", "fr", "ar", "he"};
    for (int l = 0; l < 4; l++)
      languages[l] += strncmp(o.language, langs[l], 2) == 0;
    publishers += o.publisher[0] != 0;
    rights += o.rights[0] != 0;
    directions += has_dir;
    books++;
    opf_free(&o);
    quire_doc_free(doc);
  }
  globfree(&g);
  print_message("%zu books: title, language, identifier kept; %zu with a "
                "publisher, %zu with rights, %zu with a page progression; "
                "languages en %d, fr %d, ar %d, he %d\n", books, publishers,
                rights, directions, languages[0], languages[1], languages[2],
                languages[3]);
  assert_true(books >= 195);
  /* the suites hold what this test means to check */
  assert_true(rights >= 1 && directions >= 3);
  assert_true(languages[1] >= 1 && languages[2] >= 1 && languages[3] >= 1);
}

static void test_peer_rtl_book_reads_right_to_left(void **state) {
  fixture *f = *state;
  const char *rtl = PEERS "/epub-tests/pkg-spine-progression_rtl.epub";
  if (access(rtl, R_OK) != 0)
    test_skip("../shared/peers not found");
  quire_doc *doc = must_read(f, rtl);
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_DIRECTION), "rtl");
  quire_doc_free(doc);
  /* a book in Arabic says so, whatever its page progression */
  doc = must_read(f, PEERS "/epub-tests/pkg-dir_unset-root-rtl.epub");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_LANGUAGE), "ar");
  quire_doc_free(doc);
}

static void test_peer_pandoc_images_become_resources(void **state) {
  fixture *f = *state;
  const char *img = PEERS "/pandoc/epub/img.epub";
  if (access(img, R_OK) != 0)
    test_skip("../shared/peers not found");
  quire_doc *doc = must_read(f, img);
  /* three images the content shows, and the cover nothing shows */
  static const struct {
    const char *name, *type;
    unsigned flags;
  } expected[] = {
      {"img/multiscripts_and_greek_alphabet.png", "image/png",
       QUIRE_RES_COVER},
      {"img/check.gif", "image/gif", 0},
      {"img/check.png", "image/png", 0},
      {"img/check.jpg", "image/jpeg", 0},
  };
  assert_int_equal(count_resources(doc), 4);
  for (size_t i = 0; i < 4; i++) {
    const quire_resource *r = quire_res_find(doc, expected[i].name);
    if (!r)
      fail_msg("no resource %s", expected[i].name);
    assert_string_equal(r->media_type, expected[i].type);
    assert_int_equal(r->flags, expected[i].flags);
  }
  /* each image shows its resource */
  assert_int_equal(count_type(doc, QUIRE_NODE_IMAGE), 3);
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_IMAGE)
      assert_non_null(quire_res_find(doc, it.node->url));
  quire_doc_free(doc);
  /* pandoc's EPUB 2 books name their cover with <meta name="cover"> */
  doc = must_read(f, PEERS "/pandoc/epub/epub2_cover.epub");
  const quire_resource *cover = quire_res_find(doc, "image/cover.jpg");
  assert_non_null(cover);
  assert_int_equal(cover->flags, QUIRE_RES_COVER);
  assert_string_equal(cover->media_type, "image/jpeg");
  quire_doc_free(doc);
}

/* Every resource of every peer book has the bytes of its entry, and every
 * image shows a resource (or a data: or remote URL). */
static void test_peer_resources_keep_their_bytes(void **state) {
  fixture *f = *state;
  glob_t g;
  if (!peer_books(&g))
    test_skip("../shared/peers not found");
  quire_set_diag(f->s, NULL, NULL);
  size_t resources = 0, images = 0, books_with = 0, from_data = 0;
  unsigned long long bytes = 0;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    const char *path = g.gl_pathv[i];
    opf_facts o;
    if (unreadable(path) || !opf_read(path, &o))
      continue;
    quire_doc *doc = must_read(f, path);
    books_with += doc->resources != NULL;
    for (const quire_resource *r = doc->resources; r; r = r->next) {
      char entry[1024];
      snprintf(entry, sizeof entry, "%s%s", o.dir, r->name);
      size_t len;
      unsigned char *want = zip_entry_bytes(path, entry, &len);
      if (!want)
        want = zip_entry_bytes(path, r->name, &len);
      if (!want && strncmp(r->name, "data-", 5) == 0) {
        from_data++;   /* a data: image of a page: its bytes are no entry */
        continue;
      }
      if (!want)
        fail_msg("%s: resource %s is no entry of the book", path, r->name);
      unsigned char *got = res_bytes(r);
      if (len != r->size || memcmp(want, got, len) != 0)
        fail_msg("%s: resource %s differs from its entry", path, r->name);
      resources++;
      bytes += r->size;
      free(want);
      free(got);
    }
    quire_iter it;
    quire_iter_init(&it, doc->root);
    while (quire_iter_next(&it) != QUIRE_EV_DONE) {
      const quire_node *n = it.node;
      if (n->type != QUIRE_NODE_IMAGE || it.event != QUIRE_EV_ENTER)
        continue;
      images++;
      if (!has_scheme(n->url) && !quire_res_find(doc, n->url))
        fail_msg("%s: image '%s' shows no resource", path, n->url);
    }
    opf_free(&o);
    quire_doc_free(doc);
  }
  globfree(&g);
  print_message("%zu resources (%llu bytes) in %zu books, each the bytes of "
                "its entry, and %zu from data: URLs; %zu images, each "
                "showing one\n", resources, bytes, books_with, from_data,
                images);
  assert_true(resources >= 25);
}

/* The ids of a document, sorted, for bsearch. */
typedef struct idset {
  const char **ids;
  size_t n;
} idset;

static int compare_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static idset ids_of(const quire_doc *doc) {
  idset s = {0};
  size_t cap = 64;
  s.ids = malloc(cap * sizeof *s.ids);
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE) {
    if (it.event != QUIRE_EV_ENTER || !it.node->id)
      continue;
    if (s.n == cap)
      s.ids = realloc(s.ids, (cap *= 2) * sizeof *s.ids);
    s.ids[s.n++] = it.node->id;
  }
  qsort(s.ids, s.n, sizeof *s.ids, compare_str);
  return s;
}

static int has_id(const idset *s, const char *id) {
  return bsearch(&id, s->ids, s->n, sizeof *s->ids, compare_str) != NULL;
}

/* Every link of every peer book that points inside the book is "#id" with
 * the id in the document; ids are unique; the spine items are top-level
 * SECTIONs with ids. */
static void test_peer_links_resolve_to_ids(void **state) {
  fixture *f = *state;
  glob_t g;
  if (!peer_books(&g))
    test_skip("../shared/peers not found");
  quire_set_diag(f->s, NULL, NULL);
  size_t internal = 0, external = 0, to_files = 0, sections = 0;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    const char *path = g.gl_pathv[i];
    if (unreadable(path))
      continue;
    quire_doc *doc = must_read(f, path);
    idset s = ids_of(doc);
    for (size_t k = 1; k < s.n; k++)
      if (strcmp(s.ids[k - 1], s.ids[k]) == 0)
        fail_msg("%s: id '%s' twice", path, s.ids[k]);
    for (const quire_node *c = doc->root->first_child; c; c = c->next) {
      if (c->type != QUIRE_NODE_SECTION || !c->id || c->info)
        fail_msg("%s: a top-level %s (id %s, info %s), not a chapter", path,
                 quire_node_type_name(c->type), c->id ? c->id : "none",
                 c->info ? c->info : "none");
      sections++;
    }
    quire_iter it;
    quire_iter_init(&it, doc->root);
    while (quire_iter_next(&it) != QUIRE_EV_DONE) {
      const quire_node *n = it.node;
      if (n->type != QUIRE_NODE_LINK || it.event != QUIRE_EV_ENTER ||
          !n->url)
        continue;
      if (n->url[0] == '#') {
        if (!has_id(&s, n->url + 1))
          fail_msg("%s: link '%s' points at no id", path, n->url);
        internal++;
      } else if (has_scheme(n->url))
        external++;
      else if (quire_res_find(doc, n->url))
        to_files++;
      else
        fail_msg("%s: link '%s' is neither an id, a resource nor remote",
                 path, n->url);
    }
    free(s.ids);
    quire_doc_free(doc);
  }
  globfree(&g);
  print_message("%zu chapters; %zu links to ids, %zu to resources, %zu "
                "remote\n", sections, internal, to_files, external);
  /* wasteland's 20 note references are notes by now, not links */
  assert_true(internal >= 20);
}

/* The number of chapters is the number of content documents of the spine
 * (each once, the nav document left out), less those with nothing to read:
 * pandoc's and calibre's cover pages are an SVG image and no text. */
static void test_peer_spine_items_are_chapters(void **state) {
  fixture *f = *state;
  const char *books[][2] = {
      /* book, its spine: content documents, then empty ones */
      {PEERS "/pandoc/epub/formatting.epub", "7 0"},
      {PEERS "/pandoc/epub/features.epub", "3 0"},
      {PEERS "/pandoc/epub/epub2_cover.epub", "2 0"},
      {PEERS "/epub-tests/pkg-spine-order.epub", "4 0"},
      {PEERS "/epub-tests/pkg-spine-order-svg.epub", "4 0"},
  };
  if (access(books[0][0], R_OK) != 0)
    test_skip("../shared/peers not found");
  for (size_t i = 0; i < sizeof books / sizeof *books; i++) {
    quire_doc *doc = must_read(f, books[i][0]);
    int items = 0, empty = 0, n = 0;
    sscanf(books[i][1], "%d %d", &items, &empty);
    for (const quire_node *c = doc->root->first_child; c; c = c->next)
      n++;
    if (n != items - empty)
      fail_msg("%s: %d chapters, not %d", books[i][0], n, items - empty);
    quire_doc_free(doc);
  }
}

static void test_peer_footnotes_become_notes(void **state) {
  fixture *f = *state;
  const char *book = PEERS "/pandoc/epub/wasteland.epub";
  if (access(book, R_OK) != 0)
    test_skip("../shared/peers not found");
#ifndef HAVE_NOTES
  test_skip("this build gathers no notes (plugins/common/notes.c)");
#endif
  size_t len;
  unsigned char *page =
      zip_entry_bytes(book, "EPUB/wasteland-content.xhtml", &len);
  assert_non_null(page);
  size_t calls = 0;
  for (const char *p = (const char *)page;
       (p = strstr(p, "epub:type=\"noteref\"")); p++)
    calls++;
  free(page);
  quire_doc *doc = must_read(f, book);
  print_message("wasteland: %zu noterefs, %zu NOTE nodes\n", calls,
                count_type(doc, QUIRE_NODE_NOTE));
  assert_true(calls >= 15);
  assert_int_equal(count_type(doc, QUIRE_NODE_NOTE), calls);
  quire_doc_free(doc);
}

/* ---- Books made here ----------------------------------------------------- */

static void test_chapters_get_ids_languages_and_types(void **state) {
  fixture *f = *state;
  char book[256];
  zentry files[] = {
      {"OEBPS/Text/ch1.xhtml",
       XHTML("xml:lang=\"fr\" dir=\"ltr\"",
             "<p>Un. <a href=\"empty.xhtml\">to the empty page</a></p>"), 0,
       0},
      {"OEBPS/Text/02 intro.xhtml",
       XHTML("lang=\"ar\" dir=\"rtl\"", "<p>Two.</p>"), 0, 0},
      {"OEBPS/Other/ch1.xhtml",
       "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\""
       " xmlns:epub=\"http://www.idpf.org/2007/ops\"><head><title>T</title>"
       "</head><body epub:type=\"backmatter\"><p>Three.</p></body></html>",
       0, 0},
      {"OEBPS/Text/empty.xhtml", XHTML("", "<div></div>"), 0, 0},
  };
  make_simple(tmp(f, "attrs.epub", book, sizeof book),
              ITEM("a", "Text/ch1.xhtml") ITEM("b", "Text/02%20intro.xhtml")
                  ITEM("c", "Other/ch1.xhtml") ITEM("e", "Text/empty.xhtml"),
              "<itemref idref=\"a\"/><itemref idref=\"e\"/>"
              "<itemref idref=\"b\"/><itemref idref=\"c\"/>",
              files, 4);
  quire_doc *doc = must_read(f, book);
  const quire_node *c1 = top(doc, 0), *c2 = top(doc, 1), *c3 = top(doc, 2);
  assert_null(c3->next);   /* the empty page is no chapter */
  /* ids from the file names, unique in the book */
  assert_string_equal(c1->id, "ch1");
  assert_string_equal(c2->id, "ch-02-intro");
  assert_string_equal(c3->id, "ch1-2");
  for (const quire_node *c = c1; c; c = c->next) {
    assert_int_equal(c->type, QUIRE_NODE_SECTION);
    assert_null(c->info);
  }
  assert_string_equal(quire_node_attr(c1, "lang"), "fr");
  assert_string_equal(quire_node_attr(c1, "dir"), "ltr");
  assert_string_equal(quire_node_attr(c2, "lang"), "ar");
  assert_string_equal(quire_node_attr(c2, "dir"), "rtl");
  assert_null(quire_node_attr(c3, "lang"));
  assert_string_equal(quire_node_attr(c3, "epub:type"), "backmatter");
  /* a link to the page left out goes to the chapter after it */
  assert_string_equal(link_to(doc, "to the empty page"), "#ch-02-intro");
  quire_doc_free(doc);
}

static void test_ids_are_unique_and_links_follow_them(void **state) {
  fixture *f = *state;
  char book[256];
  zentry files[] = {
      {"OEBPS/Text/ch1.xhtml",
       XHTML("", "<h1 id=\"top\">One</h1><p id=\"x\">Para x.</p><p>"
                 "<a href=\"#x\">same</a> <a href=\"ch2.xhtml#x\">other</a> "
                 "<a href=\"../Text/ch2.xhtml\">file</a> "
                 "<a href=\"ch%202.xhtml#caf%C3%A9\">encoded</a> "
                 "<a href=\"ch2.xhtml#nowhere\">lost</a> "
                 "<a href=\"../Images/a.png\">picture</a> "
                 "<a href=\"https://example.org/ch2.xhtml#x\">web</a> "
                 "<a href=\"mailto:a@example.org\">mail</a></p>"), 0, 0},
      {"OEBPS/Text/ch2.xhtml",
       XHTML("", "<h1 id=\"top\">Two</h1><p id=\"x\">Other x.</p>"
                 "<p><a href=\"ch1.xhtml#top\">back</a></p>"), 0, 0},
      {"OEBPS/Text/ch 2.xhtml",
       XHTML("", "<section id=\"spaced\"><h1>Three</h1>"
                 "<p id=\"caf\xC3\xA9\">Coffee.</p></section>"), 0, 0},
      {"OEBPS/Images/a.png", "\x89PNG\r\n\x1a\n", 8, 0},
  };
  make_simple(tmp(f, "links.epub", book, sizeof book),
              ITEM("c1", "Text/ch1.xhtml") ITEM("c2", "Text/ch2.xhtml")
                  ITEM("c3", "Text/ch%202.xhtml")
                  "<item id=\"a\" href=\"Images/a.png\" "
                  "media-type=\"image/png\"/>",
              "<itemref idref=\"c1\"/><itemref idref=\"c2\"/>"
              "<itemref idref=\"c3\"/>", files, 4);
  quire_doc *doc = must_read(f, book);
  /* ch1 keeps its ids; ch2's, taken already, get a suffix */
  const quire_node *x2 = by_id(doc, "x-2");
  assert_non_null(by_id(doc, "x"));
  assert_non_null(x2);
  assert_non_null(by_id(doc, "top-2"));
  assert_string_equal(link_to(doc, "same"), "#x");
  assert_string_equal(link_to(doc, "other"), "#x-2");
  assert_string_equal(link_to(doc, "file"), "#ch2");
  assert_string_equal(link_to(doc, "back"), "#top");
  /* the section that wrapped a page gives the chapter its id */
  assert_string_equal(top(doc, 2)->id, "spaced");
  assert_string_equal(link_to(doc, "encoded"), "#caf\xC3\xA9");
  /* a fragment the file does not have: its chapter */
  assert_string_equal(link_to(doc, "lost"), "#ch2");
  /* a file of the book that is no chapter: its resource */
  assert_string_equal(link_to(doc, "picture"), "Images/a.png");
  assert_non_null(quire_res_find(doc, "Images/a.png"));
  assert_string_equal(link_to(doc, "web"), "https://example.org/ch2.xhtml#x");
  assert_string_equal(link_to(doc, "mail"), "mailto:a@example.org");
  quire_doc_free(doc);
}

static void test_creators_keep_their_roles(void **state) {
  fixture *f = *state;
  char book[256];
  static const char opf3[] =
      "<?xml version=\"1.0\"?>\n"
      "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
      "unique-identifier=\"pub-id\" xml:lang=\"ja\">"
      "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:identifier id=\"isbn\">urn:isbn:9780000000000</dc:identifier>"
      "<dc:identifier id=\"pub-id\">urn:uuid:5ad0c1e4-0000-4000-8000-"
      "000000000001</dc:identifier>"
      "<dc:title>吾輩は猫である</dc:title>"
      "<dc:creator id=\"c1\">夏目漱石</dc:creator>"
      "<meta refines=\"#c1\" property=\"role\" scheme=\"marc:relators\">aut"
      "</meta>"
      "<dc:creator id=\"c2\">An Illustrator</dc:creator>"
      "<meta refines=\"#c2\" property=\"role\" scheme=\"marc:relators\">ill"
      "</meta>"
      "<dc:contributor id=\"c3\">A Translator</dc:contributor>"
      "<meta refines=\"#c3\" property=\"role\">trl</meta>"
      "<dc:contributor>Someone Helpful</dc:contributor>"
      "<dc:creator>No Role Given</dc:creator>"
      "<dc:publisher>  Aozora   Press </dc:publisher>"
      "<dc:rights>Public domain.</dc:rights>"
      "<dc:subject>Cats</dc:subject><dc:subject>Satire</dc:subject>"
      "<dc:description>A cat looks at people.</dc:description>"
      "<dc:date>1905-01-01</dc:date>"
      "<meta property=\"dcterms:modified\">2020-01-01T00:00:00Z</meta>"
      "</metadata><manifest>" ITEM("c", "c.xhtml") "</manifest>"
      "<spine page-progression-direction=\"rtl\"><itemref idref=\"c\"/>"
      "</spine></package>";
  zentry files[] = {{"c.xhtml", XHTML("", "<p>吾輩は猫である。</p>"), 0, 0}};
  make_book(tmp(f, "roles3.epub", book, sizeof book), "content.opf", opf3,
            files, 1);
  quire_doc *doc = must_read(f, book);
  /* no dc:language: the package's xml:lang, never a default */
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_LANGUAGE), "ja");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_IDENTIFIER),
                      "urn:uuid:5ad0c1e4-0000-4000-8000-000000000001");
  assert_int_equal(count_meta(doc, QUIRE_META_AUTHOR), 2);
  assert_string_equal(meta_nth(doc, QUIRE_META_AUTHOR, 0), "夏目漱石");
  assert_string_equal(meta_nth(doc, QUIRE_META_AUTHOR, 1), "No Role Given");
  assert_string_equal(quire_meta_get(doc->meta, "creator:ill"),
                      "An Illustrator");
  assert_string_equal(quire_meta_get(doc->meta, "creator:trl"),
                      "A Translator");
  assert_string_equal(quire_meta_get(doc->meta, "creator:ctb"),
                      "Someone Helpful");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_PUBLISHER),
                      "Aozora Press");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_RIGHTS),
                      "Public domain.");
  assert_int_equal(count_meta(doc, QUIRE_META_SUBJECT), 2);
  assert_string_equal(meta_nth(doc, QUIRE_META_SUBJECT, 1), "Satire");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_DATE),
                      "1905-01-01");
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_DIRECTION), "rtl");
  quire_doc_free(doc);

  /* EPUB 2: opf:role on the element */
  static const char opf2[] =
      "<?xml version=\"1.0\"?>\n"
      "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"2.0\" "
      "unique-identifier=\"id\" xmlns:opf=\"http://www.idpf.org/2007/opf\">"
      "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:identifier id=\"id\">urn:x</dc:identifier><dc:title>T</dc:title>"
      "<dc:language>en-US</dc:language>"
      "<dc:creator opf:role=\"aut\">Ann Author</dc:creator>"
      "<dc:creator opf:role=\"edt\">Ed Editor</dc:creator>"
      "<dc:contributor opf:role=\"bkp\">Book Producer</dc:contributor>"
      "</metadata><manifest>" ITEM("c", "c.xhtml") "</manifest>"
      "<spine><itemref idref=\"c\"/></spine></package>";
  make_book(book, "content.opf", opf2, files, 1);
  doc = must_read(f, book);
  assert_string_equal(quire_meta_get(doc->meta, QUIRE_META_LANGUAGE),
                      "en-US");
  assert_int_equal(count_meta(doc, QUIRE_META_AUTHOR), 1);
  assert_string_equal(quire_meta_get(doc->meta, "creator:edt"), "Ed Editor");
  assert_string_equal(quire_meta_get(doc->meta, "creator:bkp"),
                      "Book Producer");
  assert_null(quire_meta_get(doc->meta, QUIRE_META_DIRECTION));
  quire_doc_free(doc);
}

/* A 1x1 PNG. */
static const char png[] =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f"
    "\x15\xc4\x89\0\0\0\rIDATx\x9c" "c\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0"
    "\0\0\0IEND\xae" "B`\x82";
#define PNG_LEN (sizeof png - 1)

static void test_cover_and_images_become_resources(void **state) {
  fixture *f = *state;
  char book[256];
  static const char opf[] =
      "<?xml version=\"1.0\"?>\n"
      "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"2.0\" "
      "unique-identifier=\"id\">"
      "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:identifier id=\"id\">urn:x</dc:identifier><dc:title>T</dc:title>"
      "<dc:language>en</dc:language><meta name=\"cover\" content=\"cov\"/>"
      "</metadata><manifest>" ITEM("c", "Text/c.xhtml")
      "<item id=\"cov\" href=\"Images/cover.jpg\" media-type=\"image/jpeg\"/>"
      "<item id=\"p\" href=\"Images/p.png\" media-type=\"image/png\"/>"
      "<item id=\"lie\" href=\"Images/lie.jpg\" media-type=\"image/jpeg\"/>"
      "<item id=\"d\" href=\"Images/d.svg\" media-type=\"image/svg+xml\"/>"
      "</manifest><spine><itemref idref=\"c\"/></spine></package>";
  static const char svg[] =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>";
  zentry files[] = {
      {"OEBPS/Text/c.xhtml",
       XHTML("", "<p><img src=\"../Images/p.png\" alt=\"p\"/> "
                 "<img src=\"../Images/p.png\" alt=\"again\"/> "
                 "<img src=\"../Images/lie.jpg\" alt=\"lie\"/> "
                 "<img src=\"../Images/gone.png\" alt=\"gone\"/> "
                 "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"d\"/>"
                 "</p><div><svg xmlns=\"http://www.w3.org/2000/svg\" "
                 "xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
                 "<image xlink:href=\"../Images/d.svg\"/></svg></div>"), 0,
       0},
      {"OEBPS/Images/cover.jpg", "\xff\xd8\xff\xe0\0\x10JFIF\0", 11, 0},
      {"OEBPS/Images/p.png", png, PNG_LEN, 0},
      {"OEBPS/Images/lie.jpg", png, PNG_LEN, 0},
      {"OEBPS/Images/d.svg", svg, 0, 0},
  };
  make_book(tmp(f, "res.epub", book, sizeof book), "OEBPS/content.opf", opf,
            files, 5);
  quire_doc *doc = must_read(f, book);
  /* the cover first, though no page shows it */
  const quire_resource *r = doc->resources;
  assert_non_null(r);
  assert_string_equal(r->name, "Images/cover.jpg");
  assert_int_equal(r->flags, QUIRE_RES_COVER);
  assert_string_equal(r->media_type, "image/jpeg");
  /* each file once, however often shown; the data: image is one too */
  assert_int_equal(count_resources(doc), 5);
  const quire_resource *p = quire_res_find(doc, "Images/p.png");
  assert_non_null(p);
  assert_int_equal(p->size, PNG_LEN);
  unsigned char *bytes = res_bytes(p);
  assert_memory_equal(bytes, png, PNG_LEN);
  free(bytes);
  /* the bytes win over the manifest, with a warning naming the file */
  const quire_resource *lie = quire_res_find(doc, "Images/lie.jpg");
  assert_non_null(lie);
  assert_string_equal(lie->media_type, "image/png");
  assert_contains(f->warnings, "OEBPS/Images/lie.jpg: the manifest says "
                               "image/jpeg, but the bytes are image/png");
  /* an SVG drawing's image is a resource too */
  assert_non_null(quire_res_find(doc, "Images/d.svg"));
  /* a missing image: a warning naming it, its url as written */
  assert_contains(f->warnings, "OEBPS/Text/c.xhtml: refers to "
                               "OEBPS/Images/gone.png, which the book does "
                               "not have");
  const char *urls[5] = {0};
  size_t n = 0;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_IMAGE && it.event == QUIRE_EV_ENTER &&
        n < 5)
      urls[n++] = it.node->url;
  assert_int_equal(n, 5);
  assert_string_equal(urls[0], "Images/p.png");
  assert_string_equal(urls[1], "Images/p.png");
  assert_string_equal(urls[2], "Images/lie.jpg");
  assert_string_equal(urls[3], "../Images/gone.png");
  const quire_resource *data = quire_res_find(doc, urls[4]);
  assert_non_null(data);
  assert_string_equal(data->media_type, "image/png");
  quire_doc_free(doc);
}

/* The page's reader makes a resource of a data: image, named data-1.png
 * in every page: in the book each keeps its own. */
static void test_data_images_of_two_pages_stay_apart(void **state) {
  fixture *f = *state;
  char book[256];
  zentry files[] = {
      {"OEBPS/a.xhtml", XHTML("", "<p><img alt=\"a\" src=\"data:image/png;"
                                  "base64,iVBORw0KGgo=\"/></p>"), 0, 0},
      {"OEBPS/b.xhtml", XHTML("", "<p><img alt=\"b\" src=\"data:image/gif;"
                                  "base64,R0lGODlh\"/></p>"), 0, 0},
  };
  make_simple(tmp(f, "data.epub", book, sizeof book),
              ITEM("a", "a.xhtml") ITEM("b", "b.xhtml"),
              "<itemref idref=\"a\"/><itemref idref=\"b\"/>", files, 2);
  quire_doc *doc = must_read(f, book);
  assert_int_equal(count_resources(doc), 2);
  const char *types[2] = {"image/png", "image/gif"};
  size_t n = 0;
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_IMAGE && it.event == QUIRE_EV_ENTER) {
      assert_true(n < 2);
      const quire_resource *r = quire_res_find(doc, it.node->url);
      assert_non_null(r);
      assert_string_equal(r->media_type, types[n++]);
    }
  assert_int_equal(n, 2);
  assert_string_not_equal(doc->resources->name, doc->resources->next->name);
  quire_doc_free(doc);
}

static void test_images_past_the_limits_are_left_out(void **state) {
  fixture *f = *state;
  char book[256];
  size_t big_len = 300000;
  char *big = malloc(big_len);
  assert_non_null(big);
  memcpy(big, png, PNG_LEN);
  memset(big + PNG_LEN, 'x', big_len - PNG_LEN);
  zentry files[] = {
      {"OEBPS/c.xhtml", XHTML("", "<p>Text <img src=\"big.png\" alt=\"b\"/>"
                                  "</p>"), 0, 0},
      {"OEBPS/big.png", big, big_len, 0},
  };
  make_simple(tmp(f, "big.epub", book, sizeof book),
              ITEM("c", "c.xhtml") "<item id=\"b\" href=\"big.png\" "
                                   "media-type=\"image/png\"/>",
              "<itemref idref=\"c\"/>", files, 2);
  free(big);
  assert_int_equal(quire_limit_set(f->s, "max-input-size", 100000), QUIRE_OK);
  quire_doc *doc = must_read(f, book);
  assert_null(doc->resources);
  assert_contains(f->warnings, "OEBPS/big.png: the entry declares 300000 "
                               "bytes, more than the limit max-input-size");
  assert_int_equal(count_type(doc, QUIRE_NODE_IMAGE), 1);
  quire_doc_free(doc);
}

static void test_cross_file_notes_become_notes(void **state) {
  fixture *f = *state;
#ifndef HAVE_NOTES
  test_skip("this build gathers no notes (plugins/common/notes.c)");
#endif
  char book[256];
  zentry files[] = {
      {"OEBPS/ch1.xhtml",
       XHTML("", "<p>A claim.<a epub:type=\"noteref\" href=\"notes.xhtml#n1\""
                 ">1</a> Another.<a epub:type=\"noteref\" href=\"#n2\">2</a>"
                 "</p><aside epub:type=\"footnote\" id=\"n2\"><p>Here.</p>"
                 "</aside>"), 0, 0},
      {"OEBPS/notes.xhtml",
       XHTML("", "<aside epub:type=\"footnote\" id=\"n1\"><p>The source."
                 "</p></aside>"), 0, 0},
  };
  make_simple(tmp(f, "notes.epub", book, sizeof book),
              ITEM("c", "ch1.xhtml") ITEM("n", "notes.xhtml"),
              "<itemref idref=\"c\"/><itemref idref=\"n\" linear=\"no\"/>",
              files, 2);
  quire_doc *doc = must_read(f, book);
  assert_int_equal(count_type(doc, QUIRE_NODE_NOTE), 2);
  quire_iter it;
  quire_iter_init(&it, doc->root);
  while (quire_iter_next(&it) != QUIRE_EV_DONE)
    if (it.node->type == QUIRE_NODE_NOTE && it.event == QUIRE_EV_ENTER)
      assert_non_null(it.node->first_child);
  quire_doc_free(doc);
}

/* Thousands of chapters that all use the same ids and link to each other:
 * every link finds its own chapter's id, in time proportional to the
 * book (a quadratic renaming would take minutes). */
static void test_many_chapters_with_one_id_stay_fast(void **state) {
  fixture *f = *state;
  enum { N = 3000 };
  char book[256];
  zentry *files = calloc(N, sizeof *files);
  char *manifest = malloc(N * 100), *spine = malloc(N * 40);
  assert_true(files && manifest && spine);
  size_t m = 0, s = 0;
  for (int i = 0; i < N; i++) {
    char name[64], page[512];
    snprintf(name, sizeof name, "OEBPS/c%d.xhtml", i);
    snprintf(page, sizeof page,
             XHTML("", "<p id=\"x\">Chapter %d.</p><p id=\"x-2\">Also.</p>"
                       "<p><a href=\"c%d.xhtml#x\">next</a></p>"),
             i, (i + 1) % N);
    files[i] = (zentry){strdup(name), strdup(page), 0, 0};
    m += (size_t)sprintf(manifest + m, "<item id=\"c%d\" href=\"c%d.xhtml\" "
                         "media-type=\"application/xhtml+xml\"/>", i, i);
    s += (size_t)sprintf(spine + s, "<itemref idref=\"c%d\"/>", i);
  }
  make_simple(tmp(f, "many.epub", book, sizeof book), manifest, spine, files,
              N);
  for (int i = 0; i < N; i++) {
    free((char *)files[i].name);
    free((char *)files[i].data);
  }
  free(files);
  free(manifest);
  free(spine);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  quire_doc *doc = must_read(f, book);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  idset ids = ids_of(doc);
  /* 3000 chapter ids and 6000 paragraph ids, all different */
  assert_int_equal(ids.n, 3 * N);
  for (size_t k = 1; k < ids.n; k++)
    assert_string_not_equal(ids.ids[k - 1], ids.ids[k]);
  /* each link lands on the next chapter's first paragraph */
  size_t links = 0;
  for (const quire_node *c = doc->root->first_child; c; c = c->next) {
    const quire_node *next = c->next ? c->next : doc->root->first_child;
    const quire_node *first_p = next->first_child;
    while (first_p && (first_p->type != QUIRE_NODE_PARAGRAPH || !first_p->id))
      first_p = first_p->next;
    assert_non_null(first_p);
    quire_iter it;
    quire_iter_init(&it, c);
    while (quire_iter_next(&it) != QUIRE_EV_DONE)
      if (it.node->type == QUIRE_NODE_LINK && it.event == QUIRE_EV_ENTER) {
        assert_true(it.node->url[0] == '#');
        assert_string_equal(it.node->url + 1, first_p->id);
        links++;
      }
  }
  assert_int_equal(links, N);
  print_message("%d chapters sharing their ids read in %.2f s\n", N, secs);
  free(ids.ids);
  quire_doc_free(doc);
}

int main(void) {
  test_filters_from_env();
  const struct CMUnitTest tests[] = {
#define T(name) \
  cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
      T(test_chapters_get_ids_languages_and_types),
      T(test_ids_are_unique_and_links_follow_them),
      T(test_creators_keep_their_roles),
      T(test_cover_and_images_become_resources),
      T(test_data_images_of_two_pages_stay_apart),
      T(test_images_past_the_limits_are_left_out),
      T(test_cross_file_notes_become_notes),
      T(test_many_chapters_with_one_id_stay_fast),
      T(test_peer_books_keep_title_language_and_identifier),
      T(test_peer_rtl_book_reads_right_to_left),
      T(test_peer_pandoc_images_become_resources),
      T(test_peer_resources_keep_their_bytes),
      T(test_peer_links_resolve_to_ids),
      T(test_peer_spine_items_are_chapters),
      T(test_peer_footnotes_become_notes),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
