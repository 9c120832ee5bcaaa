/* epub_read_chapter.c - one content document as a chapter: a section under
 * the document's root, holding what the core's reader of the page makes
 * of it (a sub-input of format xhtml or html).
 *
 * Parsing: the page is parsed here first, with the safe XML parser, for
 * what the chapter needs and a reader does not tell: whether it is
 * well-formed, and where a fragment the table of contents points at lies.
 * Well-formed XHTML (of any of the media types below) and SVG go to the
 * xhtml reader.  XHTML that is not well-formed goes to the html reader,
 * which keeps all the text a broken file holds (the XML parser stops at the
 * first fatal error), with a warning.  SVG and DTBook have no HTML to fall
 * back on: what the XML parser recovered is read, written out again for
 * the xhtml reader.  DTBook's elements (h1, p, list) are read as their
 * XHTML namesakes: their namespace is dropped before it is written out.
 *
 * Shape: a chapter whose whole content is one <section> is that section
 * (quire and pandoc wrap every chapter in one): its id becomes the
 * chapter's, and its attributes too where the page's <html> and <body>
 * give none.  A chapter
 * with no content at all (a cover page made of an SVG image) is left out.
 *
 * Attributes: the chapter's SECTION (info NULL: a chapter, not a layout
 * part) takes "lang" from the page's root element's xml:lang or lang
 * (else its body's), "dir" from its dir, and "epub:type" from its body's
 * (frontmatter, bodymatter, chapter, ...).  Its id and those of its
 * nodes are made unique in the book (epub_read_ids.c); its images become
 * resources (epub_read_res.c).
 *
 * Title: a chapter that does not start with a heading of its own gets one,
 * of level 1, holding the first of:
 *   1. the label of a table-of-contents link to the whole file;
 *   2. the label of a link to a fragment of it, when nothing of the page's
 *      text comes before that fragment;
 *   3. the page's title (the "title" its reader found), unless it repeats
 *      the book's title or is only the file's name (as pandoc writes
 *      them).
 * No heading is added when the chapter's first block already says the
 * title. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_read.h"

static const char xml_ns[] = "http://www.w3.org/XML/1998/namespace";

int epub_content_kind(const epub_item *it) {
  static const struct {
    const char *type;
    int kind;
  } types[] = {
      {"application/xhtml+xml", EPUB_XHTML},
      {"text/html", EPUB_XHTML},
      {"text/x-oeb1-document", EPUB_XHTML},   /* OEB 1.2's, in EPUB 2 */
      {"application/xml", EPUB_XHTML},
      {"text/xml", EPUB_XHTML},
      {"image/svg+xml", EPUB_XML_ONLY},
      {"application/x-dtbook+xml", EPUB_DTBOOK},   /* EPUB 2's DAISY */
  };
  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (strcmp(it->media_type, types[i].type) == 0)
      return types[i].kind;
  return EPUB_NOT_CONTENT;
}

static int oom(epub_reading *r) {
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  r->env->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

/* ---- Parsing ------------------------------------------------------------- */

/* What the core is to read of a page, and the tree parsed here. */
typedef struct page {
  xmlDoc *tree;            /* may be NULL (a page only HTML can read) */
  const char *format;      /* "xhtml" or "html" */
  const char *data;        /* the bytes the reader gets */
  size_t len;
  xmlChar *written;        /* the tree written out, when data is that */
} page;

static void page_free(page *p) {
  xmlFreeDoc(p->tree);
  xmlFree(p->written);
}

static int in_dtbook(const xmlNs *ns) {
  static const char dtbook_ns[] = "http://www.daisy.org/z3986/2005/dtbook/";
  return ns && ns->href && strcmp((const char *)ns->href, dtbook_ns) == 0;
}

/* Takes elements and attributes out of the DTBook namespace, and its
 * declarations away, so that written out they are plain names. */
static void drop_dtbook_namespace(xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree;
  for (xmlNode *x = top; x; x = epub_dom_next(top, x, 1)) {
    if (x->type != XML_ELEMENT_NODE)
      continue;
    if (in_dtbook(x->ns))
      x->ns = NULL;
    for (xmlAttr *a = x->properties; a; a = a->next)
      if (in_dtbook(a->ns))
        a->ns = NULL;
  }
  /* Only now that nothing points to them. */
  for (xmlNode *x = top; x; x = epub_dom_next(top, x, 1)) {
    if (x->type != XML_ELEMENT_NODE)
      continue;
    for (xmlNs **link = &x->nsDef; *link;) {
      xmlNs *ns = *link;
      if (in_dtbook(ns)) {
        *link = ns->next;
        ns->next = NULL;
        xmlFreeNs(ns);
      } else
        link = &ns->next;
    }
  }
}

/* Gives the reader p->tree written out as UTF-8 XML. */
static int write_out(epub_reading *r, page *p) {
  int size = 0;
  xmlDocDumpMemoryEnc(p->tree, &p->written, &size, "UTF-8");
  if (!p->written || size < 0)
    return oom(r);
  p->data = (const char *)p->written;
  p->len = (size_t)size;
  return QUIRE_OK;
}

/* Chooses how the core reads the content document `path`: QUIRE_OK with
 * *p filled, QUIRE_DONE when there is nothing to read (a warning said so),
 * or a failure with the message set. */
static int parse(epub_reading *r, const char *path, const char *shown,
                 const char *bytes, size_t len, int kind, page *p) {
  quire_env *env = r->env;
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  char msg[256];
  *p = (page){.format = "xhtml", .data = bytes, .len = len};
  if (len > 0x7fffffff) {
    env->svc->error(env, &loc, "%s: too large for the parser", shown);
    return QUIRE_FAILED;
  }
  int ok;
  unsigned long line;
  p->tree = xml_safe_parse(bytes, len, path, 1, &ok, msg, sizeof msg, &line);
  int has_root = p->tree && xmlDocGetRootElement(p->tree);
  if (ok && has_root && kind != EPUB_DTBOOK)
    return QUIRE_OK;
  if (ok && has_root) {
    drop_dtbook_namespace(p->tree);
    return write_out(r, p);
  }
  if (kind == EPUB_XHTML) {
    env->svc->warn(env, &loc, "%s: line %lu: not well-formed XHTML (%s); "
                   "read as HTML", shown, line, msg);
    p->format = "html";
    return QUIRE_OK;
  }
  if (!has_root) {
    env->svc->warn(env, &loc, "%s: line %lu: not well-formed XML: %s; "
                   "skipped", shown, line, msg);
    return QUIRE_DONE;
  }
  env->svc->warn(env, &loc, "%s: line %lu: not well-formed XML: %s; "
                 "reading what could be recovered", shown, line, msg);
  if (kind == EPUB_DTBOOK)
    drop_dtbook_namespace(p->tree);
  return write_out(r, p);
}

/* ---- The title ----------------------------------------------------------- */

static int has_id(const xmlNode *x, const char *id) {
  static const char *const names[] = {"id", "name"};   /* <a name> too */
  int found = 0;
  for (size_t i = 0; i < 2 && !found; i++) {
    char *v = epub_dom_attr(x, names[i], NULL);
    found = v && strcmp(v, id) == 0;
    free(v);
  }
  char *v = found ? NULL : epub_dom_attr(x, "id", xml_ns);
  found = found || (v && strcmp(v, id) == 0);
  free(v);
  return found;
}

/* Non-zero when no text of the page's body comes before element `id`. */
static int starts_page(xmlDoc *tree, const char *id) {
  if (!tree)
    return 0;
  xmlNode *top = (xmlNode *)tree, *body = NULL;
  for (xmlNode *x = top; x && !body; x = epub_dom_next(top, x, 1))
    if (epub_dom_is(x, "body"))
      body = x;
  if (!body)
    body = xmlDocGetRootElement(tree);
  for (xmlNode *x = body; x; x = epub_dom_next(body, x, 1)) {
    if (x->type == XML_ELEMENT_NODE && has_id(x, id))
      return 1;
    if ((x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) &&
        x->content &&
        ((const char *)x->content)[strspn((const char *)x->content,
                                          " \t\n\r\f")])
      return 0;
  }
  return 0;
}

/* Non-zero when title is path's file name, with or without extension. */
static int is_file_name(const char *title, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return strcmp(title, base) == 0 ||
         (dot && strlen(title) == (size_t)(dot - base) &&
          strncmp(title, base, (size_t)(dot - base)) == 0);
}

/* The chapter's title by the rules above; borrowed, or NULL. */
static const char *choose_title(epub_reading *r, const char *path,
                                xmlDoc *tree, const char *title) {
  size_t n;
  const epub_label *labels = epub_labels_of(r->toc, path, &n);
  if (n && !labels[0].fragment)
    return labels[0].label;
  if (n && starts_page(tree, labels[0].fragment))
    return labels[0].label;
  if (!title || !title[0] || is_file_name(title, path) ||
      (r->pkg->title && strcmp(title, r->pkg->title) == 0))
    return NULL;
  return title;
}

/* The plain text of a block, whitespace collapsed, malloc'd, or NULL. */
static char *block_text(const quire_services *svc, const quire_node *block) {
  size_t cap = 256, n = 0;
  char *s = malloc(cap);
  quire_iter it;
  svc->iter_init(&it, block);
  while (s && svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *x = it.node;
    const char *t = x->type == QUIRE_NODE_TEXT || x->type == QUIRE_NODE_CODE
                        ? x->text
                        : x->type == QUIRE_NODE_SOFT_BREAK ||
                                  x->type == QUIRE_NODE_LINE_BREAK
                              ? " "
                              : NULL;
    size_t k = t ? strlen(t) : 0;
    if (n + k + 1 > cap) {
      while (n + k + 1 > cap)
        cap *= 2;
      char *grown = realloc(s, cap);
      if (!grown)
        free(s);
      s = grown;
    }
    if (s && k) {
      memcpy(s + n, t, k);
      n += k;
    }
  }
  if (s) {
    s[n] = '\0';
    epub_dom_squash(s);
  }
  return s;
}

/* 1 when `title` is the text of the first level-1 heading under root (the
 * html and xhtml readers title a page that has no <title> so, and such a
 * heading inside the page does not title the chapter), 0 when not, -1
 * when memory ran out. */
static int derived_from_h1(epub_reading *r, const quire_node *root,
                           const char *title) {
  const quire_services *svc = r->env->svc;
  quire_iter it;
  svc->iter_init(&it, root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *h = it.node;
    if (h->type != QUIRE_NODE_HEADING || h->level != 1)
      continue;
    char *text = block_text(svc, h);
    int same = text ? strcmp(text, title) == 0 : -1;
    free(text);
    return same;
  }
  return 0;
}

/* Puts a heading holding `title` first in the chapter, unless the
 * chapter's first block (in its sections) is a heading or says it. */
static int give_title(epub_reading *r, quire_node *chapter,
                      const char *title) {
  const quire_services *svc = r->env->svc;
  const quire_node *first = chapter->first_child;
  while (first && first->type == QUIRE_NODE_SECTION)
    first = first->first_child;
  if (!title || !title[0] || (first && first->type == QUIRE_NODE_HEADING))
    return QUIRE_OK;
  char *said = first ? block_text(svc, first) : NULL;
  if (first && !said)
    return oom(r);
  int same = said && strcmp(said, title) == 0;
  free(said);
  if (same)
    return QUIRE_OK;
  quire_node *h = svc->node_new(r->doc, QUIRE_NODE_HEADING);
  quire_node *t = svc->node_new_text(r->doc, QUIRE_NODE_TEXT, title,
                                     strlen(title));
  if (!h || !t)
    return oom(r);
  h->level = 1;
  /* A heading holds text and a chapter blocks: neither can be refused. */
  if (svc->node_append(h, t) != QUIRE_OK ||
      svc->node_insert_before(chapter->first_child, h) != QUIRE_OK)
    return oom(r);
  return QUIRE_OK;
}

/* ---- The chapter --------------------------------------------------------- */

/* The ids of sections that wrapped a whole page, at most this many. */
#define WRAPS_MAX 8

/* What unwrapping a chapter took away: the ids of the sections that
 * wrapped it, outermost first. */
typedef struct wraps {
  const char *ids[WRAPS_MAX];
  size_t n;
} wraps;

/* Gives chapter the attributes of `inner` it does not have yet. */
static int take_attrs(epub_reading *r, quire_node *chapter,
                      const quire_node *inner) {
  const quire_services *svc = r->env->svc;
  for (const quire_meta *m = inner->attrs; m; m = m->next)
    if (!svc->node_attr(chapter, m->key) &&
        svc->node_set_attr(r->doc, chapter, m->key, m->value))
      return oom(r);
  if (inner->classes && !chapter->classes &&
      svc->node_set_attr(r->doc, chapter, "class", inner->classes))
    return oom(r);
  return QUIRE_OK;
}

/* A chapter made of one section is that section. */
static int unwrap(epub_reading *r, quire_node *chapter, wraps *w) {
  quire_node *inner;
  while ((inner = chapter->first_child) && inner == chapter->last_child &&
         inner->type == QUIRE_NODE_SECTION) {
    /* A section holds what a section holds: nothing is refused. */
    while (inner->first_child &&
           r->env->svc->node_append(chapter, inner->first_child) == QUIRE_OK)
      ;
    if (inner->first_child)
      return QUIRE_OK;
    r->env->svc->node_unlink(inner);
    if (inner->id && w->n < WRAPS_MAX)
      w->ids[w->n++] = inner->id;
    if (take_attrs(r, chapter, inner) != QUIRE_OK)
      return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* The first of attribute `name` in namespace ns (NULL: none) of the
 * elements given, whitespace squashed, malloc'd, or NULL. */
static char *first_attr(xmlNode *const *els, size_t n, const char *name,
                        const char *ns) {
  for (size_t i = 0; i < n; i++) {
    char *v = els[i] ? epub_dom_attr(els[i], name, ns) : NULL;
    if (v && epub_dom_squash(v))
      return v;
    free(v);
  }
  return NULL;
}

/* Sets "lang", "dir" and "epub:type" of the chapter from its page. */
static int page_attrs(epub_reading *r, quire_node *chapter, xmlDoc *tree) {
  static const char ops_ns[] = "http://www.idpf.org/2007/ops";
  if (!tree)
    return QUIRE_OK;
  xmlNode *root = xmlDocGetRootElement(tree), *body = NULL;
  for (xmlNode *x = root ? root->children : NULL; x && !body; x = x->next)
    if (epub_dom_is(x, "body"))
      body = x;
  xmlNode *both[] = {root, body};
  struct {
    const char *key;
    char *value;
  } attrs[] = {
      {"lang", first_attr(both, 2, "lang", xml_ns)},
      {"lang", first_attr(both, 2, "lang", NULL)},
      {"dir", first_attr(both, 2, "dir", NULL)},
      {"epub:type", first_attr(both + 1, 1, "type", ops_ns)},
  };
  const quire_services *svc = r->env->svc;
  int rc = QUIRE_OK;
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
    if (rc == QUIRE_OK && attrs[i].value &&
        !svc->node_attr(chapter, attrs[i].key) &&
        svc->node_set_attr(r->doc, chapter, attrs[i].key, attrs[i].value))
      rc = oom(r);
    free(attrs[i].value);
  }
  return rc;
}

/* Adds a part for content document `path`; *part is its index. */
static int add_part(epub_reading *r, const char *path, size_t *part) {
  if (r->n_parts == r->cap_parts) {
    size_t cap = r->cap_parts ? r->cap_parts * 2 : 16;
    epub_part *parts = realloc(r->parts, cap * sizeof *parts);
    if (!parts)
      return oom(r);
    r->parts = parts;
    r->cap_parts = cap;
  }
  epub_part p = {.path = strdup(path), .dir = epub_path_dir(path)};
  if (!p.path || !p.dir) {
    free(p.path);
    free(p.dir);
    return oom(r);
  }
  *part = r->n_parts;
  r->parts[r->n_parts++] = p;
  /* The same file read twice (two items naming it): links go to the
   * first. */
  if (!strmap_get(r->part_of, path) &&
      strmap_add(r->part_of, path, (void *)(*part + 1)) != 0)
    return oom(r);
  return QUIRE_OK;
}

/* Moves the blocks of a document the page's reader gave into the chapter
 * of part `part`, its images pointed at the book's resources, and keeps
 * the first title a reader found. */
static int take(epub_reading *r, size_t part, quire_doc *d,
                const char **title) {
  const quire_services *svc = r->env->svc;
  quire_node *root = d->root, *chapter = r->parts[part].section;
  const char *t = svc->meta_get(d->meta, QUIRE_META_TITLE);
  int derived = !*title && t ? derived_from_h1(r, root, t) : 1;
  if (derived < 0) {
    svc->doc_free(d);
    return oom(r);
  }
  if (!derived)
    *title = t;
  int rc = epub_res_take(r, part, d);
  if (rc != QUIRE_OK) {
    svc->doc_free(d);
    return rc;
  }
  /* Its nodes, strings and resources, metadata included, are the book's
   * from now on; the chapter's metadata stays out of the book's list. */
  svc->doc_adopt(r->doc, d);
  while (root->first_child)
    if (svc->node_append(chapter, root->first_child) != QUIRE_OK) {
      quire_loc loc = {.file = epub_archive_book(r->archive)};
      svc->error(r->env, &loc, "a %s cannot go into a chapter",
                 svc->node_type_name(root->first_child->type));
      return QUIRE_FAILED;
    }
  return QUIRE_OK;
}

/* Reads the page through the core into part `part`'s chapter. */
static int read_page(epub_reading *r, size_t part, const char *path,
                     const page *p, const char **title) {
  const quire_services *svc = r->env->svc;
  quire_source src = {.name = path, .format = p->format, .data = p->data,
                      .len = p->len};
  quire_sub *sub;
  int rc = svc->sub_open(r->env, &src, &sub);
  if (rc < QUIRE_OK)
    return rc;
  quire_doc *d;
  while ((rc = svc->sub_next(r->env, sub, &d)) == QUIRE_OK ||
         rc == QUIRE_WARN) {
    rc = take(r, part, d, title);
    if (rc < QUIRE_OK)
      break;
  }
  int closed = svc->sub_close(r->env, sub);
  if (rc < QUIRE_OK)
    return rc;
  return closed < QUIRE_OK ? closed : QUIRE_OK;
}

/* Shapes the chapter of part `part` once its page is in: unwrapped,
 * attributed, titled, its ids given; or left out when empty. */
static int shape(epub_reading *r, size_t part, const char *path,
                 const page *p, const char *page_title) {
  const quire_services *svc = r->env->svc;
  quire_node *chapter = r->parts[part].section;
  const char *title = choose_title(r, path, p->tree, page_title);
  wraps w = {.n = 0};
  int rc = page_attrs(r, chapter, p->tree);
  if (rc == QUIRE_OK)
    rc = unwrap(r, chapter, &w);
  if (rc != QUIRE_OK)
    return rc;
  if (!chapter->first_child) {
    svc->node_unlink(chapter);
    r->parts[part].section = NULL;
    return QUIRE_OK;
  }
  rc = give_title(r, chapter, title);
  if (rc == QUIRE_OK)
    rc = epub_ids_give(r, part, w.n ? w.ids[0] : NULL,
                       w.n ? w.ids + 1 : NULL, w.n ? w.n - 1 : 0);
  return rc;
}

int epub_chapter_read(epub_reading *r, const epub_item *it, const char *path,
                      const char *bytes, size_t len) {
  const quire_services *svc = r->env->svc;
  char shown[256];
  epub_printable(path, shown, sizeof shown);
  page p;
  int rc = parse(r, path, shown, bytes, len, epub_content_kind(it), &p);
  if (rc != QUIRE_OK) {
    page_free(&p);
    return rc == QUIRE_DONE ? QUIRE_OK : rc;
  }
  r->documents++;
  const char *page_title = NULL;
  size_t part;
  quire_node *chapter = NULL;
  rc = add_part(r, path, &part);
  if (rc == QUIRE_OK) {
    chapter = svc->node_new(r->doc, QUIRE_NODE_SECTION);
    if (!chapter || svc->node_append(r->doc->root, chapter) != QUIRE_OK)
      rc = oom(r);
  }
  if (rc == QUIRE_OK) {
    r->parts[part].section = chapter;
    rc = read_page(r, part, path, &p, &page_title);
  }
  if (rc == QUIRE_OK)
    rc = shape(r, part, path, &p, page_title);
  if (rc == QUIRE_OK)
    rc = epub_res_svg(r, part, p.tree);
  page_free(&p);
  return rc;
}
