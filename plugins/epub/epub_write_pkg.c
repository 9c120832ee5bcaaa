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
#define OPF_NS "http://www.idpf.org/2007/opf"

/* A role EPUB's MARC relator scheme can name: three lower-case letters. */
static int marc_role(const char *role) {
  size_t len = strlen(role);
  int marc = len == 3;
  for (size_t i = 0; i < len; i++)
    marc &= role[i] >= 'a' && role[i] <= 'z';
  return marc;
}

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

/* dc:creator or dc:contributor with its EPUB 3 role: <meta refines>,
 * in MARC relators when the role is a code of three letters; in EPUB 2,
 * opf:role, for a MARC code only (another is left out). */
static int opf_creator(epub_xml *x, const epub_creator *c, size_t n,
                       int epub2) {
  if (epub2)
    return epub_xml_raw(x, "\n    ") ||
           epub_xml_start(x, c->contributor ? "dc:contributor"
                                            : "dc:creator") ||
           (c->role && marc_role(c->role) &&
            epub_xml_attr(x, "opf:role", c->role)) ||
           epub_xml_text(x, c->name) || epub_xml_end(x);
  char id[32];
  snprintf(id, sizeof id, "%s%zu", c->contributor ? "contributor" : "creator",
           n);
  if (opf_element(x, c->contributor ? "dc:contributor" : "dc:creator",
                  c->role ? id : NULL, c->name))
    return 1;
  if (!c->role)
    return 0;
  char ref[40];
  snprintf(ref, sizeof ref, "#%s", id);
  int marc = marc_role(c->role);
  return epub_xml_raw(x, "\n    ") || epub_xml_start(x, "meta") ||
         epub_xml_attr(x, "refines", ref) ||
         epub_xml_attr(x, "property", "role") ||
         (marc && epub_xml_attr(x, "scheme", "marc:relators")) ||
         epub_xml_text(x, c->role) || epub_xml_end(x);
}

static int opf_metadata(epub_xml *x, const epub_book *b) {
  if (epub_xml_raw(x, "\n  ") || epub_xml_start(x, "metadata") ||
      epub_xml_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/") ||
      (b->epub2 && epub_xml_attr(x, "xmlns:opf", OPF_NS)) ||
      opf_element(x, "dc:identifier", "book-id", b->identifier) ||
      opf_element(x, "dc:title", NULL, b->title))
    return 1;
  for (size_t i = 0; i < b->n_languages; i++)
    if (opf_element(x, "dc:language", NULL, b->languages[i]))
      return 1;
  for (size_t i = 0; i < b->n_creators; i++)
    if (opf_creator(x, &b->creators[i], i + 1, b->epub2))
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
  if (!b->epub2 &&
      (epub_xml_raw(x, "\n    ") || epub_xml_start(x, "meta") ||
       epub_xml_attr(x, "property", "dcterms:modified") ||
       epub_xml_text(x, b->modified) || epub_xml_end(x)))
    return 1;
  /* EPUB 2 reading systems find the cover through this. */
  if ((b->cover_type || b->cover_media >= 0) &&
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

/* The manifest properties of a content document, from what its bytes
 * showed (epub_write_xml.c); NULL for none. */
static const char *file_properties(unsigned props, char out[32]) {
  out[0] = '\0';
  if (props & EPUB_HAS_MATHML)
    strcat(out, " mathml");
  if (props & EPUB_HAS_SCRIPT)
    strcat(out, " scripted");
  if (props & EPUB_HAS_SVG)
    strcat(out, " svg");
  return out[0] ? out + 1 : NULL;
}

static int opf_manifest(epub_xml *x, const epub_book *b) {
  char id[32], href[64], props[32];
  /* EPUB 2 has no nav document and no manifest properties. */
  int e3 = !b->epub2;
  if (epub_xml_raw(x, "\n  ") || epub_xml_start(x, "manifest") ||
      (e3 &&
       opf_item(x, "nav", "nav.xhtml", "application/xhtml+xml", "nav")) ||
      opf_item(x, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL) ||
      opf_item(x, "css", "style.css", "text/css", NULL))
    return 1;
  if (b->cover_type) {
    snprintf(href, sizeof href, "images/cover.%s", b->cover_ext);
    if (opf_item(x, "cover-image", href, b->cover_type,
                 e3 ? "cover-image" : NULL))
      return 1;
  }
  if (b->cover_page &&
      opf_item(x, "cover", "text/cover.xhtml", "application/xhtml+xml", NULL))
    return 1;
  if (b->title_page &&
      opf_item(x, "titlepage", "text/title.xhtml", "application/xhtml+xml",
               NULL))
    return 1;
  for (unsigned c = 1; c <= b->n_files; c++) {
    char name[32];
    chapter_id(c, id);
    epub_chapter_name(c, name);
    snprintf(href, sizeof href, "text/%s", name);
    if (opf_item(x, id, href, "application/xhtml+xml",
                 e3 ? file_properties(b->files[c - 1].props, props) : NULL))
      return 1;
  }
  for (size_t i = 0; i < b->n_media; i++) {
    const epub_media *m = &b->media[i];
    int cover = (long long)i == b->cover_media;
    snprintf(id, sizeof id, "m%03zu", i + 1);
    if (opf_item(x, cover ? "cover-image" : id,
                 epub_pool_str(b->pool, m->href),
                 epub_pool_str(b->pool, m->media_type),
                 cover && e3 ? "cover-image" : NULL))
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
      (b->direction && !b->epub2 &&
       epub_xml_attr(x, "page-progression-direction", b->direction)) ||
      (b->cover_page && opf_itemref(x, "cover")) ||
      (b->title_page && opf_itemref(x, "titlepage")))
    return 1;
  for (unsigned c = 1; c <= b->n_files; c++) {
    char id[32];
    chapter_id(c, id);
    if (opf_itemref(x, id))
      return 1;
  }
  return epub_xml_raw(x, "\n  ") || epub_xml_end(x);
}

static int guide_ref(epub_xml *x, const char *type, const char *title,
                     const char *href) {
  return epub_xml_raw(x, "\n    ") || epub_xml_start(x, "reference") ||
         epub_xml_attr(x, "type", type) || epub_xml_attr(x, "title", title) ||
         epub_xml_attr(x, "href", href) || epub_xml_end_empty(x);
}

/* EPUB 2's landmarks: the cover, the title page, the start of the text. */
static int opf_guide(epub_xml *x, const epub_book *b) {
  return epub_xml_raw(x, "\n  ") || epub_xml_start(x, "guide") ||
         (b->cover_page &&
          guide_ref(x, "cover", "Cover", "text/cover.xhtml")) ||
         (b->title_page &&
          guide_ref(x, "title-page", "Title page", "text/title.xhtml")) ||
         guide_ref(x, "text", "Start of content", "text/ch001.xhtml") ||
         epub_xml_raw(x, "\n  ") || epub_xml_end(x);
}

int epub_write_opf(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  int failed = epub_xml_start(&x, "package") ||
               epub_xml_attr(&x, "xmlns", OPF_NS) ||
               epub_xml_attr(&x, "version", b->epub2 ? "2.0" : "3.0") ||
               epub_xml_attr(&x, "unique-identifier", "book-id") ||
               (!b->epub2 &&
                epub_xml_attr(&x, "xml:lang", b->languages[0])) ||
               opf_metadata(&x, b) || opf_manifest(&x, b) ||
               opf_spine(&x, b) || (b->epub2 && opf_guide(&x, b)) ||
               epub_xml_raw(&x, "\n") ||
               epub_xml_end(&x) || epub_xml_raw(&x, "\n");
  return finish(&x, failed, span);
}

/* ---- The table of contents, shared by nav and NCX --------------------------
 * Every file of the book has an entry (its first heading, or its first
 * words), and the headings to --toc-depth have one each (epub_write_
 * plan.c).  With several documents, each document is an entry of level 0
 * holding its own; its first file is that entry, so the file's own entry
 * is left out when it only repeats it.  Entries nest by level: an entry
 * goes under the last one of a lower level.  The walk calls the format's
 * callbacks, so the nesting rules are written once. */

typedef struct toc_item {
  unsigned file;
  const char *id;             /* NULL: the file itself */
  const char *label;
  int level;                  /* 0: a document; 1-6 */
} toc_item;

typedef struct toc_ops {
  int (*open_list)(void *u);
  int (*close_list)(void *u);
  /* depth counts from 1 (the top level). */
  int (*open_item)(void *u, const toc_item *it, int depth);
  int (*close_item)(void *u);
} toc_ops;

/* The title of document d (from 0): its own, else the book's when it is
 * the only one, else "Chapter N". */
static const char *doc_label(const epub_book *b, unsigned d, char *buf,
                             size_t size) {
  if (b->docs[d].title)
    return epub_pool_str(b->pool, b->docs[d].title - 1);
  if (b->n_docs == 1)
    return b->title;
  snprintf(buf, size, "Chapter %u", d + 1);
  return buf;
}

typedef struct toc_cursor {
  unsigned doc;
  size_t entry;
  int doc_done;               /* the document's own entry is given */
  char buf[32];
} toc_cursor;

/* The next entry, in reading order: 0 at the end. */
static int toc_next(const epub_book *b, toc_cursor *c, toc_item *it) {
  int several = b->n_docs > 1;
  for (; c->doc < b->n_docs; c->doc++, c->doc_done = 0) {
    const epub_docrec *d = &b->docs[c->doc];
    if (several && !c->doc_done) {
      c->doc_done = 1;
      *it = (toc_item){d->first_file, NULL,
                       doc_label(b, c->doc, c->buf, sizeof c->buf), 0};
      return 1;
    }
    while (c->entry < b->n_entries && b->entries[c->entry].doc == c->doc + 1) {
      const epub_entry *e = &b->entries[c->entry++];
      if (several && (e->flags & EPUB_ENTRY_DOC_START) &&
          (!e->id || (e->flags & EPUB_ENTRY_REPEATS)))
        continue;
      const char *label = e->flags & EPUB_ENTRY_UNTITLED
                              ? doc_label(b, c->doc, c->buf, sizeof c->buf)
                              : epub_pool_str(b->pool, e->text);
      *it = (toc_item){e->file, e->id ? epub_pool_str(b->pool, e->id - 1)
                                      : NULL,
                       label, e->level};
      return 1;
    }
  }
  return 0;
}

static int toc_walk(const epub_book *b, const toc_ops *o, void *u) {
  int levels[8], listed[8];
  int sp = 0;
  toc_cursor c = {0};
  toc_item it;
  if (o->open_list(u))
    return 1;
  while (toc_next(b, &c, &it)) {
    for (; sp > 0 && levels[sp - 1] >= it.level; sp--)
      if ((listed[sp - 1] && o->close_list(u)) || o->close_item(u))
        return 1;
    if (sp > 0 && !listed[sp - 1]) {
      if (o->open_list(u))
        return 1;
      listed[sp - 1] = 1;
    }
    /* Levels rise from 0 to 6 at most: seven open entries. */
    if (o->open_item(u, &it, sp + 1))
      return 1;
    levels[sp] = it.level;
    listed[sp++] = 0;
  }
  for (; sp > 0; sp--)
    if ((listed[sp - 1] && o->close_list(u)) || o->close_item(u))
      return 1;
  return o->close_list(u);
}

/* The link of an entry: "text/ch001.xhtml" or "text/ch001.xhtml#h2". */
static void toc_href(unsigned file, const char *id, char *out, size_t size) {
  char name[32];
  epub_chapter_name(file, name);
  if (id)
    snprintf(out, size, "text/%s#%s", name, id);
  else
    snprintf(out, size, "text/%s", name);
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

static int nav_open_item(void *u, const toc_item *it, int depth) {
  (void)depth;
  nav_ctx *n = u;
  char href[160];
  toc_href(it->file, it->id, href, sizeof href);
  return epub_xml_start(n->x, "li") || epub_xml_start(n->x, "a") ||
         epub_xml_attr(n->x, "href", href) || epub_xml_text(n->x, it->label) ||
         epub_xml_end(n->x);
}

static int nav_close_item(void *u) {
  nav_ctx *n = u;
  return epub_xml_end(n->x) || epub_xml_raw(n->x, "\n");
}

/* <html>, <head> with the title and stylesheet, <body>: the start of nav,
 * cover and chapters.  css is the stylesheet's path from the file; lang
 * may be NULL (no language attributes: the book's applies). */
int epub_xhtml_head(epub_xml *x, const char *lang, const char *title,
                    const char *css, int epub2) {
  if (epub2 && (epub_xml_raw(x, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML "
                                "1.1//EN\" \"http://www.w3.org/TR/xhtml11/"
                                "DTD/xhtml11.dtd\">\n") ||
                epub_xml_start(x, "html") ||
                epub_xml_attr(x, "xmlns", XHTML_NS) ||
                (lang && epub_xml_attr(x, "xml:lang", lang))))
    return 1;
  if (!epub2 &&
      (epub_xml_raw(x, "<!DOCTYPE html>\n") || epub_xml_start(x, "html") ||
       epub_xml_attr(x, "xmlns", XHTML_NS) ||
       epub_xml_attr(x, "xmlns:epub", OPS_NS) ||
       (lang && (epub_xml_attr(x, "lang", lang) ||
                 epub_xml_attr(x, "xml:lang", lang)))))
    return 1;
  return
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
  toc_href(1, NULL, first, sizeof first);
  return epub_xml_raw(x, "\n") || epub_xml_start(x, "nav") ||
         epub_xml_attr(x, "epub:type", "landmarks") ||
         epub_xml_attr(x, "hidden", "") || epub_xml_raw(x, "\n") ||
         epub_xml_start(x, "h2") || epub_xml_text(x, "Landmarks") ||
         epub_xml_end(x) || epub_xml_raw(x, "\n") ||
         epub_xml_start(x, "ol") || epub_xml_raw(x, "\n") ||
         (b->cover_page &&
          landmark(x, "cover", "text/cover.xhtml", "Cover")) ||
         (b->title_page &&
          landmark(x, "titlepage", "text/title.xhtml", "Title page")) ||
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
  int failed = epub_xhtml_head(&x, b->languages[0], b->title, "style.css",
                               0) ||
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

static int ncx_open_item(void *u, const toc_item *it, int depth) {
  ncx_ctx *n = u;
  if (!n->x) {
    if (depth > n->max_depth)
      n->max_depth = depth;
    return 0;
  }
  char id[32], order[16], src[160];
  n->order++;
  snprintf(id, sizeof id, "np-%u", n->order);
  snprintf(order, sizeof order, "%u", n->order);
  toc_href(it->file, it->id, src, sizeof src);
  return epub_xml_start(n->x, "navPoint") || epub_xml_attr(n->x, "id", id) ||
         epub_xml_attr(n->x, "playOrder", order) ||
         epub_xml_start(n->x, "navLabel") || epub_xml_start(n->x, "text") ||
         epub_xml_text(n->x, it->label) ||
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
      epub_xml_attr(&x, "xml:lang", b->languages[0]) ||
      epub_xml_raw(&x, "\n") ||
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
  /* The inline style keeps the whole cover on one screen even when --css
   * replaced the stylesheet. */
  int failed = epub_xhtml_head(&x, b->languages[0], b->title, "../style.css",
                               b->epub2) ||
               (!b->epub2 && epub_xml_attr(&x, "epub:type", "cover")) ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "div") ||
               epub_xml_attr(&x, "class", "cover") ||
               epub_xml_attr(&x, "style", "text-align: center") ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "img") ||
               epub_xml_attr(&x, "src", b->cover_src) ||
               epub_xml_attr(&x, "alt", b->title) ||
               epub_xml_attr(&x, "style", "max-width: 100%; max-height: 95vh") ||
               epub_xml_end_empty(&x) || epub_xml_raw(&x, "\n") ||
               epub_xml_end(&x) || epub_xml_raw(&x, "\n") ||
               epub_xhtml_tail(&x);
  return finish(&x, failed, span);
}

/* ---- title.xhtml -------------------------------------------------------------
 * The book's visible title (--title): the title, its authors, the date's
 * day.  Listed among the landmarks (EPUB 3) or in the guide (EPUB 2), not
 * in the table of contents. */

/* The day of a W3C date: "2024-03-05T10:00Z" gives "2024-03-05". */
static void date_day(const char *date, char *out, size_t size) {
  size_t n = strcspn(date, "T");
  snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), date);
}

int epub_write_title_page(epub_deflater *dz, epub_text *t,
                          const epub_book *b, epub_span *span) {
  epub_xml x;
  if (start_file(&x, dz, t) != QUIRE_OK)
    return QUIRE_ERR;
  int failed = epub_xhtml_head(&x, b->languages[0], b->title, "../style.css",
                               b->epub2) ||
               (!b->epub2 && epub_xml_attr(&x, "epub:type", "frontmatter")) ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "div") ||
               epub_xml_attr(&x, "class", "titlepage") ||
               (!b->epub2 && epub_xml_attr(&x, "epub:type", "titlepage")) ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "h1") ||
               epub_xml_attr(&x, "class", "title") ||
               epub_xml_text(&x, b->title) || epub_xml_end(&x) ||
               epub_xml_raw(&x, "\n");
  for (size_t i = 0; !failed && i < b->n_creators; i++) {
    const epub_creator *c = &b->creators[i];
    if (c->contributor || (c->role && strcmp(c->role, "aut") != 0))
      continue;
    failed = epub_xml_start(&x, "p") || epub_xml_attr(&x, "class", "author") ||
             epub_xml_text(&x, c->name) || epub_xml_end(&x) ||
             epub_xml_raw(&x, "\n");
  }
  if (!failed && b->date) {
    char day[32];
    date_day(b->date, day, sizeof day);
    failed = epub_xml_start(&x, "p") || epub_xml_attr(&x, "class", "date") ||
             epub_xml_text(&x, day) || epub_xml_end(&x) ||
             epub_xml_raw(&x, "\n");
  }
  failed = failed || epub_xml_end(&x) || epub_xml_raw(&x, "\n") ||
           epub_xhtml_tail(&x);
  return finish(&x, failed, span);
}
