/* epub_write_pkg.c - the files that describe the book: META-INF/
 * container.xml, the package document (content.opf), the EPUB 3 navigation
 * document (nav.xhtml), the EPUB 2 NCX (toc.ncx) for older reading systems,
 * and the cover page.  Each is written with xmlTextWriter, deflated into the
 * writer's spool like the chapters, since for a large corpus the TOC alone
 * can be megabytes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "epub_write.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS "http://www.idpf.org/2007/ops"

void epub_chapter_name(unsigned n, char out[32]) {
  snprintf(out, 32, "ch%03u.xhtml", n);
}

static void chapter_id(unsigned n, char out[32]) {
  snprintf(out, 32, "ch%03u", n);
}

/* Begins a new entry of dz and an XML writer on it. */
static int start_file(epub_xml *x, epub_deflater *dz, epub_text *t) {
  if (epub_deflate_begin(dz) != QUIRE_OK)
    return QUIRE_ERR;
  return epub_xml_attach(x, dz, t, NULL);
}

/* Closes x after a chain of writes and ends the entry; QUIRE_ERR (errno
 * set) when anything failed. */
static int finish(epub_xml *x, int failed, epub_span *span) {
  epub_deflater *dz = x->dz;
  if (epub_xml_close(x) != QUIRE_OK)
    return QUIRE_ERR;
  if (failed) {
    errno = ENOMEM;   /* not the disk: epub_xml_close would have said */
    return QUIRE_ERR;
  }
  return epub_deflate_end(dz, span);
}

/* ---- container.xml -------------------------------------------------------- */

int epub_write_container(epub_deflater *dz, epub_text *t, epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  int failed =
      epub_xml_start(&x, "container") || epub_xml_attr(&x, "version", "1.0") ||
      epub_xml_attr(&x, "xmlns",
                    "urn:oasis:names:tc:opendocument:xmlns:container") ||
      epub_xml_raw(&x, "\n  ") || epub_xml_start(&x, "rootfiles") ||
      epub_xml_raw(&x, "\n    ") || epub_xml_start(&x, "rootfile") ||
      epub_xml_attr(&x, "full-path", EPUB_OPF_PATH) ||
      epub_xml_attr(&x, "media-type", "application/oebps-package+xml") ||
      epub_xml_end_empty(&x) || epub_xml_raw(&x, "\n  ") || epub_xml_end(&x) ||
      epub_xml_raw(&x, "\n") || epub_xml_end(&x) || epub_xml_raw(&x, "\n");
  return finish(&x, failed, span);
}

/* ---- content.opf ---------------------------------------------------------- */

static int opf_element(epub_xml *x, const char *name, const char *id,
                       const char *text) {
  return epub_xml_raw(x, "\n    ") || epub_xml_start(x, name) ||
         (id && epub_xml_attr(x, "id", id)) || epub_xml_text(x, text) ||
         epub_xml_end(x);
}

static int opf_metadata(epub_xml *x, const epub_book *b) {
  if (epub_xml_raw(x, "\n  ") || epub_xml_start(x, "metadata") ||
      epub_xml_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/") ||
      opf_element(x, "dc:identifier", "book-id", b->identifier) ||
      opf_element(x, "dc:title", NULL, b->title) ||
      opf_element(x, "dc:language", NULL, b->language))
    return 1;
  for (size_t i = 0; i < b->n_creators; i++)
    if (opf_element(x, "dc:creator", NULL, b->creators[i]))
      return 1;
  for (size_t i = 0; i < b->n_contributors; i++)
    if (opf_element(x, "dc:contributor", NULL, b->contributors[i]))
      return 1;
  if ((b->date && opf_element(x, "dc:date", NULL, b->date)) ||
      (b->publisher && opf_element(x, "dc:publisher", NULL, b->publisher)) ||
      (b->rights && opf_element(x, "dc:rights", NULL, b->rights)) ||
      (b->description &&
       opf_element(x, "dc:description", NULL, b->description)))
    return 1;
  for (size_t i = 0; i < b->n_subjects; i++)
    if (opf_element(x, "dc:subject", NULL, b->subjects[i]))
      return 1;
  if (epub_xml_raw(x, "\n    ") || epub_xml_start(x, "meta") ||
      epub_xml_attr(x, "property", "dcterms:modified") ||
      epub_xml_text(x, b->modified) || epub_xml_end(x))
    return 1;
  /* EPUB 2 reading systems find the cover through this. */
  if (b->cover_type &&
      (epub_xml_raw(x, "\n    ") || epub_xml_start(x, "meta") ||
       epub_xml_attr(x, "name", "cover") ||
       epub_xml_attr(x, "content", "cover-image") || epub_xml_end_empty(x)))
    return 1;
  return epub_xml_raw(x, "\n  ") || epub_xml_end(x);
}

static int opf_item(epub_xml *x, const char *id, const char *href,
                    const char *type, const char *properties) {
  return epub_xml_raw(x, "\n    ") || epub_xml_start(x, "item") ||
         epub_xml_attr(x, "id", id) || epub_xml_attr(x, "href", href) ||
         epub_xml_attr(x, "media-type", type) ||
         (properties && epub_xml_attr(x, "properties", properties)) ||
         epub_xml_end_empty(x);
}

static int opf_manifest(epub_xml *x, const epub_book *b) {
  char id[32], href[64];
  if (epub_xml_raw(x, "\n  ") || epub_xml_start(x, "manifest") ||
      opf_item(x, "nav", "nav.xhtml", "application/xhtml+xml", "nav") ||
      opf_item(x, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL) ||
      opf_item(x, "css", "style.css", "text/css", NULL))
    return 1;
  if (b->cover_type) {
    snprintf(href, sizeof href, "images/cover.%s", b->cover_ext);
    if (opf_item(x, "cover-image", href, b->cover_type, "cover-image") ||
        opf_item(x, "cover", "text/cover.xhtml", "application/xhtml+xml",
                 NULL))
      return 1;
  }
  for (unsigned c = 1; c <= b->n_chapters; c++) {
    char name[32];
    chapter_id(c, id);
    epub_chapter_name(c, name);
    snprintf(href, sizeof href, "text/%s", name);
    if (opf_item(x, id, href, "application/xhtml+xml", NULL))
      return 1;
  }
  for (size_t i = 0; i < b->n_images; i++) {
    snprintf(id, sizeof id, "img%03zu", i + 1);
    snprintf(href, sizeof href, "images/img%03zu.%s", i + 1, b->images[i].ext);
    if (opf_item(x, id, href, b->images[i].media_type, NULL))
      return 1;
  }
  return epub_xml_raw(x, "\n  ") || epub_xml_end(x);
}

static int opf_itemref(epub_xml *x, const char *idref) {
  return epub_xml_raw(x, "\n    ") || epub_xml_start(x, "itemref") ||
         epub_xml_attr(x, "idref", idref) || epub_xml_end_empty(x);
}

static int opf_spine(epub_xml *x, const epub_book *b) {
  if (epub_xml_raw(x, "\n  ") || epub_xml_start(x, "spine") ||
      epub_xml_attr(x, "toc", "ncx") ||
      (b->cover_type && opf_itemref(x, "cover")))
    return 1;
  for (unsigned c = 1; c <= b->n_chapters; c++) {
    char id[32];
    chapter_id(c, id);
    if (opf_itemref(x, id))
      return 1;
  }
  return epub_xml_raw(x, "\n  ") || epub_xml_end(x);
}

int epub_write_opf(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  int failed = epub_xml_start(&x, "package") ||
               epub_xml_attr(&x, "xmlns", "http://www.idpf.org/2007/opf") ||
               epub_xml_attr(&x, "version", "3.0") ||
               epub_xml_attr(&x, "unique-identifier", "book-id") ||
               epub_xml_attr(&x, "xml:lang", b->language) ||
               opf_metadata(&x, b) || opf_manifest(&x, b) ||
               opf_spine(&x, b) || epub_xml_raw(&x, "\n") ||
               epub_xml_end(&x) || epub_xml_raw(&x, "\n");
  return finish(&x, failed, span);
}

/* ---- The table of contents, shared by nav and NCX --------------------------
 * Chapters are the top level; each chapter's headings (those the writer
 * kept, to --toc-depth) nest under it by level.  A heading deeper than the
 * one before opens a list under it; a shallower one closes lists down to
 * its level.  The walk calls the format's callbacks, so the nesting rules
 * are written once. */

typedef struct toc_ops {
  int (*open_list)(void *u);
  int (*close_list)(void *u);
  /* h is NULL for a chapter; depth counts from 1 (the chapters). */
  int (*open_item)(void *u, unsigned chapter, const epub_heading *h,
                   int depth);
  int (*close_item)(void *u);
} toc_ops;

static int toc_nest(const epub_book *b, size_t first, size_t last,
                    const toc_ops *o, void *u) {
  int levels[8];
  int depth = 1;
  const epub_heading *h = b->headings;
  levels[0] = h[first].level;
  if (o->open_list(u) || o->open_item(u, h[first].chapter, &h[first], 2))
    return 1;
  for (size_t i = first + 1; i < last; i++) {
    if (h[i].level > levels[depth - 1] && depth < 7) {
      if (o->open_list(u))
        return 1;
      levels[depth++] = h[i].level;
    } else {
      if (o->close_item(u))
        return 1;
      for (; depth > 1 && h[i].level < levels[depth - 1]; depth--)
        if (o->close_list(u) || o->close_item(u))
          return 1;
    }
    if (o->open_item(u, h[i].chapter, &h[i], depth + 1))
      return 1;
  }
  if (o->close_item(u))
    return 1;
  for (; depth > 1; depth--)
    if (o->close_list(u) || o->close_item(u))
      return 1;
  return o->close_list(u);
}

static int toc_walk(const epub_book *b, const toc_ops *o, void *u) {
  size_t h = 0;
  if (o->open_list(u))
    return 1;
  for (unsigned c = 1; c <= b->n_chapters; c++) {
    if (o->open_item(u, c, NULL, 1))
      return 1;
    size_t first = h;
    while (h < b->n_headings && b->headings[h].chapter == c)
      h++;
    if ((h > first && toc_nest(b, first, h, o, u)) || o->close_item(u))
      return 1;
  }
  return o->close_list(u);
}

/* The link of an entry: "text/ch001.xhtml" or "text/ch001.xhtml#ch001-h2". */
static void toc_href(const epub_book *b, unsigned chapter,
                     const epub_heading *h, char *out, size_t size) {
  char name[32];
  epub_chapter_name(chapter, name);
  if (h)
    snprintf(out, size, "text/%s#%s", name, epub_pool_str(b->pool, h->id));
  else
    snprintf(out, size, "text/%s", name);
}

static const char *toc_label(const epub_book *b, unsigned chapter,
                             const epub_heading *h) {
  return epub_pool_str(b->pool, h ? h->text : b->chapter_titles[chapter - 1]);
}

/* ---- nav.xhtml ------------------------------------------------------------ */

typedef struct nav_ctx {
  epub_xml *x;
  const epub_book *b;
} nav_ctx;

static int nav_open_list(void *u) {
  nav_ctx *n = u;
  return epub_xml_raw(n->x, "\n") || epub_xml_start(n->x, "ol") ||
         epub_xml_raw(n->x, "\n");
}

static int nav_close_list(void *u) {
  nav_ctx *n = u;
  return epub_xml_end(n->x) || epub_xml_raw(n->x, "\n");
}

static int nav_open_item(void *u, unsigned chapter, const epub_heading *h,
                         int depth) {
  (void)depth;
  nav_ctx *n = u;
  char href[96];
  toc_href(n->b, chapter, h, href, sizeof href);
  return epub_xml_start(n->x, "li") || epub_xml_start(n->x, "a") ||
         epub_xml_attr(n->x, "href", href) ||
         epub_xml_text(n->x, toc_label(n->b, chapter, h)) ||
         epub_xml_end(n->x);
}

static int nav_close_item(void *u) {
  nav_ctx *n = u;
  return epub_xml_end(n->x) || epub_xml_raw(n->x, "\n");
}

/* <html>, <head> with the title and stylesheet, <body>: the start of nav,
 * cover and chapters.  css is the stylesheet's path from the file. */
int epub_xhtml_head(epub_xml *x, const char *lang, const char *title,
                    const char *css) {
  return epub_xml_raw(x, "<!DOCTYPE html>\n") || epub_xml_start(x, "html") ||
         epub_xml_attr(x, "xmlns", XHTML_NS) ||
         epub_xml_attr(x, "xmlns:epub", OPS_NS) ||
         epub_xml_attr(x, "lang", lang) || epub_xml_attr(x, "xml:lang", lang) ||
         epub_xml_raw(x, "\n") || epub_xml_start(x, "head") ||
         epub_xml_raw(x, "\n") || epub_xml_start(x, "title") ||
         epub_xml_text(x, title) || epub_xml_end(x) ||
         epub_xml_raw(x, "\n") || epub_xml_start(x, "link") ||
         epub_xml_attr(x, "rel", "stylesheet") ||
         epub_xml_attr(x, "type", "text/css") ||
         epub_xml_attr(x, "href", css) || epub_xml_end_empty(x) ||
         epub_xml_raw(x, "\n") || epub_xml_end(x) || epub_xml_raw(x, "\n") ||
         epub_xml_start(x, "body");
}

/* </body></html> */
int epub_xhtml_tail(epub_xml *x) {
  return epub_xml_end(x) || epub_xml_raw(x, "\n") || epub_xml_end(x) ||
         epub_xml_raw(x, "\n");
}

static int landmark(epub_xml *x, const char *type, const char *href,
                    const char *label) {
  return epub_xml_start(x, "li") || epub_xml_start(x, "a") ||
         epub_xml_attr(x, "epub:type", type) ||
         epub_xml_attr(x, "href", href) || epub_xml_text(x, label) ||
         epub_xml_end(x) || epub_xml_end(x) || epub_xml_raw(x, "\n");
}

/* The landmarks reading systems use for "go to the cover / the start".
 * Not the TOC itself: nav.xhtml is not in the spine, and a landmark must
 * point into the spine (RSC-011). */
static int nav_landmarks(epub_xml *x, const epub_book *b) {
  char first[64];
  toc_href(b, 1, NULL, first, sizeof first);
  return epub_xml_raw(x, "\n") || epub_xml_start(x, "nav") ||
         epub_xml_attr(x, "epub:type", "landmarks") ||
         epub_xml_attr(x, "hidden", "") || epub_xml_raw(x, "\n") ||
         epub_xml_start(x, "h2") || epub_xml_text(x, "Landmarks") ||
         epub_xml_end(x) || epub_xml_raw(x, "\n") ||
         epub_xml_start(x, "ol") || epub_xml_raw(x, "\n") ||
         (b->cover_type &&
          landmark(x, "cover", "text/cover.xhtml", "Cover")) ||
         landmark(x, "bodymatter", first, "Start of content") ||
         epub_xml_end(x) || epub_xml_raw(x, "\n") || epub_xml_end(x) ||
         epub_xml_raw(x, "\n");
}

int epub_write_nav(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  static const toc_ops ops = {nav_open_list, nav_close_list, nav_open_item,
                              nav_close_item};
  nav_ctx n = {&x, b};
  int failed = epub_xhtml_head(&x, b->language, b->title, "style.css") ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "nav") ||
               epub_xml_attr(&x, "epub:type", "toc") ||
               epub_xml_attr(&x, "id", "toc") || epub_xml_raw(&x, "\n") ||
               epub_xml_start(&x, "h1") || epub_xml_text(&x, "Contents") ||
               epub_xml_end(&x) || toc_walk(b, &ops, &n) ||
               epub_xml_end(&x) || nav_landmarks(&x, b) ||
               epub_xhtml_tail(&x);
  return finish(&x, failed, span);
}

/* ---- toc.ncx -------------------------------------------------------------- */

typedef struct ncx_ctx {
  epub_xml *x;
  const epub_book *b;
  unsigned order;       /* playOrder of the last navPoint */
  int max_depth;        /* counting pass: the deepest navPoint */
} ncx_ctx;

static int ncx_list(void *u) {
  (void)u;
  return 0;   /* navPoints nest directly in their parent */
}

static int ncx_open_item(void *u, unsigned chapter, const epub_heading *h,
                         int depth) {
  ncx_ctx *n = u;
  if (!n->x) {
    if (depth > n->max_depth)
      n->max_depth = depth;
    return 0;
  }
  char id[32], order[16], src[96];
  n->order++;
  snprintf(id, sizeof id, "np-%u", n->order);
  snprintf(order, sizeof order, "%u", n->order);
  toc_href(n->b, chapter, h, src, sizeof src);
  return epub_xml_start(n->x, "navPoint") || epub_xml_attr(n->x, "id", id) ||
         epub_xml_attr(n->x, "playOrder", order) ||
         epub_xml_start(n->x, "navLabel") || epub_xml_start(n->x, "text") ||
         epub_xml_text(n->x, toc_label(n->b, chapter, h)) ||
         epub_xml_end(n->x) || epub_xml_end(n->x) ||
         epub_xml_start(n->x, "content") || epub_xml_attr(n->x, "src", src) ||
         epub_xml_end_empty(n->x) || epub_xml_raw(n->x, "\n");
}

static int ncx_close_item(void *u) {
  ncx_ctx *n = u;
  return n->x && (epub_xml_end(n->x) || epub_xml_raw(n->x, "\n"));
}

static int ncx_meta(epub_xml *x, const char *name, const char *content) {
  return epub_xml_raw(x, "\n") || epub_xml_start(x, "meta") ||
         epub_xml_attr(x, "name", name) ||
         epub_xml_attr(x, "content", content) || epub_xml_end_empty(x);
}

int epub_write_ncx(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span) {
  static const toc_ops ops = {ncx_list, ncx_list, ncx_open_item,
                              ncx_close_item};
  ncx_ctx n = {NULL, b, 0, 0};
  toc_walk(b, &ops, &n);   /* counts dtb:depth, which comes first */
  char depth[16];
  snprintf(depth, sizeof depth, "%d", n.max_depth);
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  n.x = &x;
  int failed =
      epub_xml_start(&x, "ncx") ||
      epub_xml_attr(&x, "xmlns", "http://www.daisy.org/z3986/2005/ncx/") ||
      epub_xml_attr(&x, "version", "2005-1") ||
      epub_xml_attr(&x, "xml:lang", b->language) || epub_xml_raw(&x, "\n") ||
      epub_xml_start(&x, "head") || ncx_meta(&x, "dtb:uid", b->identifier) ||
      ncx_meta(&x, "dtb:depth", depth) ||
      ncx_meta(&x, "dtb:totalPageCount", "0") ||
      ncx_meta(&x, "dtb:maxPageNumber", "0") || epub_xml_raw(&x, "\n") ||
      epub_xml_end(&x) || epub_xml_raw(&x, "\n") ||
      epub_xml_start(&x, "docTitle") || epub_xml_start(&x, "text") ||
      epub_xml_text(&x, b->title) || epub_xml_end(&x) || epub_xml_end(&x) ||
      epub_xml_raw(&x, "\n") || epub_xml_start(&x, "navMap") ||
      epub_xml_raw(&x, "\n") || toc_walk(b, &ops, &n) || epub_xml_end(&x) ||
      epub_xml_raw(&x, "\n") || epub_xml_end(&x) || epub_xml_raw(&x, "\n");
  return finish(&x, failed, span);
}

/* ---- cover.xhtml ------------------------------------------------------------ */

int epub_write_cover_page(epub_deflater *dz, epub_text *t,
                          const epub_book *b, epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  char src[64];
  snprintf(src, sizeof src, "../images/cover.%s", b->cover_ext);
  /* The inline style keeps the whole cover on one screen even when --css
   * replaced the stylesheet. */
  int failed = epub_xhtml_head(&x, b->language, b->title, "../style.css") ||
               epub_xml_attr(&x, "epub:type", "cover") ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "div") ||
               epub_xml_attr(&x, "class", "cover") ||
               epub_xml_attr(&x, "style", "text-align: center") ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "img") ||
               epub_xml_attr(&x, "src", src) ||
               epub_xml_attr(&x, "alt", b->title) ||
               epub_xml_attr(&x, "style", "max-width: 100%; max-height: 95vh") ||
               epub_xml_end_empty(&x) || epub_xml_raw(&x, "\n") ||
               epub_xml_end(&x) || epub_xml_raw(&x, "\n") ||
               epub_xhtml_tail(&x);
  return finish(&x, failed, span);
}
