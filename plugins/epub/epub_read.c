/* epub_read.c - an EPUB 2 or 3 book as ONE document whose chapters are
 * sections under the root, in the order of the spine.
 *
 * read_open opens the container (so that what is not a ZIP fails there);
 * read_next reads container.xml, the package, the table of contents, adds
 * the cover image as a resource, then reads each content document of the
 * spine as a chapter (epub_read_chapter.c), read by the core's xhtml or
 * html reader as a sub-input, with its ids made unique in the book and
 * its images added as resources.  Once every chapter is in, the links
 * between files become links to ids (epub_read_ids.c), and the notes
 * they call are gathered into NOTE nodes.
 * The spine's rules, also in docs/formats/epub.md:
 *
 *   - Every spine item is read, linear="no" ones included (notes, answers
 *     and title pages are content too), each once: an item the spine
 *     repeats is skipped with a warning.
 *   - The nav document is read where the spine lists it, like any content
 *     document, but its table of contents, landmarks and page list are
 *     not (the writers make their own from the chapters; -v tells them):
 *     what else it holds is content.
 *   - Content documents are XHTML, SVG (its text is read) or EPUB 2's
 *     DTBook.  An item of another type (an image) is replaced by the first
 *     content document among its manifest fallbacks, else skipped with a
 *     warning.  A missing item or file is skipped with a warning.  A book
 *     left with no content document at all is an error; one whose
 *     documents hold no text is an empty document. */
#include <stdint.h>
#include <stdlib.h>

#include "epub.h"
#include "epub_read.h"
#include "notes.h"

/* A hostile spine can list one missing item a million times: each kind
 * of problem is told this many times, then counted. */
#define WARNINGS_EACH 10

typedef struct epub_reader {
  epub_archive *archive;
  int done;
} epub_reader;

/* What reading the spine needs. */
typedef struct book {
  epub_reading r;          /* what each chapter needs */
  const quire_services *svc;
  epub_package pkg;
  epub_titles toc;
  unsigned char *seen;     /* per manifest item: already read */
  size_t skipped;          /* spine items skipped, past WARNINGS_EACH */
} book;

/* Non-zero when the skipping of one more spine item is to be told. */
static int tell(book *b) {
  return ++b->skipped <= WARNINGS_EACH;
}

int epub_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state) {
  (void)opts;
  epub_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  if (epub_archive_open(env, in, &r->archive) != QUIRE_OK) {
    free(r);
    return QUIRE_ERR;
  }
  *state = r;
  return QUIRE_OK;
}

void epub_read_close(quire_env *env, void *state) {
  (void)env;
  epub_reader *r = state;
  if (!r)
    return;
  epub_archive_close(r->archive);
  free(r);
}

int epub_reading_init(epub_reading *r) {
  strmap **tables[] = {&r->part_of, &r->item_of, &r->ids,
                       &r->id_map,   &r->res_of,  &r->res_names};
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    if (!(*tables[i] = strmap_new()))
      return QUIRE_FATAL;
  return QUIRE_OK;
}

void epub_reading_free(epub_reading *r) {
  strmap *tables[] = {r->part_of, r->item_of, r->ids,
                      r->id_map,  r->res_of,  r->res_names};
  /* Their payloads are indexes, or strings of the document. */
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    strmap_free(tables[i]);
  for (size_t i = 0; i < r->n_parts; i++) {
    free(r->parts[i].path);
    free(r->parts[i].dir);
  }
  free(r->parts);
}

/* Indexes the manifest by entry name, the first item of a name winning. */
static int index_items(book *b) {
  const epub_package *pkg = &b->pkg;
  for (size_t i = 0; i < pkg->n_items; i++) {
    char *path = NULL;
    int r = pkg->items[i].href
                ? epub_path_resolve(pkg->dir, pkg->items[i].href, &path, NULL)
                : EPUB_PATH_BAD;
    if (r == EPUB_PATH_NOMEM)
      return QUIRE_FATAL;
    if (r == EPUB_PATH_OK &&
        !strmap_get(b->r.item_of, path) &&
        strmap_add(b->r.item_of, path, (void *)(i + 1)) != 0) {
      free(path);
      return QUIRE_FATAL;
    }
    free(path);
  }
  return QUIRE_OK;
}

/* What is done once every chapter is in: links to ids, notes gathered,
 * the count of files not told about. */
static int finish(book *b) {
  int rc = epub_links_rewrite(&b->r);
  /* Once over the whole book, now that a note in another file
   * ("notes.xhtml#n1") is called by "#n1". */
  if (rc == QUIRE_OK)
    rc = quire_notes_gather(b->r.env, b->r.doc);
  epub_res_summary(&b->r);
  return rc;
}

/* The item to read for spine item i: itself, or the first content
 * document of its fallback chain; SIZE_MAX when there is none. */
static size_t content_item(const epub_package *pkg, size_t i) {
  for (size_t steps = 0; i != SIZE_MAX && steps <= pkg->n_items; steps++) {
    if (epub_content_kind(&pkg->items[i]) != EPUB_NOT_CONTENT)
      return i;
    const char *fallback = pkg->items[i].fallback;
    i = fallback && fallback[0] ? epub_package_find(pkg, fallback) : SIZE_MAX;
  }
  return SIZE_MAX;
}

/* Reads manifest item `item` as a chapter: QUIRE_OK when it was read or
 * skipped with a warning, QUIRE_FAILED when the book cannot be read,
 * QUIRE_FATAL when memory ran out. */
static int read_item(book *b, size_t item) {
  const epub_item *it = &b->pkg.items[item];
  quire_env *env = b->r.env;
  const char *book_name = epub_archive_book(b->r.archive);
  quire_loc loc = {.file = book_name};
  char opf[256], shown[256], id[128];
  epub_printable(b->pkg.path, opf, sizeof opf);
  epub_printable(it->id ? it->id : "", id, sizeof id);
  char *path = NULL;
  int r = it->href ? epub_path_resolve(b->pkg.dir, it->href, &path, NULL)
                   : EPUB_PATH_BAD;
  if (r == EPUB_PATH_ESCAPES || r == EPUB_PATH_NOMEM) {
    epub_path_error(env, book_name, b->pkg.path, it->href, r);
    return QUIRE_ERR;
  }
  if (r != EPUB_PATH_OK) {
    if (tell(b))
      b->svc->warn(env, &loc, "%s: item '%s' is not a file of the book; "
                   "skipped", opf, id);
    return QUIRE_OK;
  }
  char *bytes;
  size_t len;
  int rc = epub_archive_read(env, b->r.archive, path, &bytes, &len);
  if (rc == QUIRE_DONE) {
    if (tell(b))
      b->svc->warn(env, &loc, "%s: item '%s' names %s, which the book "
                   "does not have; skipped", opf, id,
                   epub_printable(path, shown, sizeof shown));
    rc = QUIRE_OK;
  } else if (rc == QUIRE_OK) {
    rc = epub_chapter_read(&b->r, it, path, bytes, len);
    free(bytes);
  }
  free(path);
  return rc;
}

static int read_spine(book *b) {
  const epub_package *pkg = &b->pkg;
  quire_env *env = b->r.env;
  quire_loc loc = {.file = epub_archive_book(b->r.archive)};
  char opf[256], id[128];
  epub_printable(pkg->path, opf, sizeof opf);
  for (size_t s = 0; s < pkg->n_spine; s++) {
    size_t i = pkg->spine[s], item = content_item(pkg, i);
    epub_printable(pkg->items[i].id ? pkg->items[i].id : "", id, sizeof id);
    if (item == SIZE_MAX) {
      const char *type = pkg->items[i].media_type;
      if (tell(b))
        b->svc->warn(env, &loc, "%s: item '%s' is %s, not XHTML or SVG; "
                     "skipped", opf, id, type[0] ? type : "of no media type");
      continue;
    }
    if (b->seen[item]) {
      if (tell(b))
        b->svc->warn(env, &loc, "%s: the spine lists item '%s' again; "
                     "read once", opf, id);
      continue;
    }
    b->seen[item] = 1;
    int rc = read_item(b, item);
    if (rc != QUIRE_OK)
      return rc;
  }
  if (b->skipped > WARNINGS_EACH)
    b->svc->warn(env, &loc, "%s: %zu more spine items skipped", opf,
                 b->skipped - WARNINGS_EACH);
  if (!b->r.documents) {
    b->svc->error(env, &loc, "%s: the book has no readable content "
                  "document", opf);
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

int epub_read_next(quire_env *env, void *state, quire_doc **result) {
  epub_reader *reader = state;
  if (reader->done)
    return QUIRE_DONE;
  reader->done = 1;
  epub_archive *a = reader->archive;
  book b = {.r = {.env = env, .archive = a}, .svc = env->svc};
  b.r.pkg = &b.pkg;
  b.r.toc = &b.toc;
  quire_loc loc = {.file = epub_archive_book(a)};
  char *opf = NULL;
  int rc = QUIRE_ERR;
  b.r.doc = env->svc->doc_new();
  if (!b.r.doc) {
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  epub_dom_watch();
  if (epub_container_read(env, a, &opf) != QUIRE_OK ||
      epub_opf_read(env, a, opf, b.r.doc, &b.pkg) != QUIRE_OK ||
      epub_titles_read(env, a, &b.pkg, &b.toc) != QUIRE_OK)
    goto done;
  b.seen = calloc(b.pkg.n_items ? b.pkg.n_items : 1, 1);
  if (!b.seen || (rc = epub_reading_init(&b.r)) != QUIRE_OK ||
      (rc = index_items(&b)) != QUIRE_OK) {
    env->svc->error(env, &loc, "out of memory");
    rc = QUIRE_FATAL;
    goto done;
  }
  rc = epub_res_cover(&b.r);
  if (rc == QUIRE_OK)
    rc = read_spine(&b);
  if (rc == QUIRE_OK)
    rc = finish(&b);
  if (rc == QUIRE_OK && epub_dom_failed()) {
    env->svc->error(env, &loc, "out of memory");
    rc = QUIRE_FATAL;
  }
done:
  free(opf);
  free(b.seen);
  epub_reading_free(&b.r);
  epub_titles_free(&b.toc);
  epub_package_free(&b.pkg);
  if (rc != QUIRE_OK) {
    env->svc->doc_free(b.r.doc);
    return rc;
  }
  *result = b.r.doc;
  return QUIRE_OK;
}
