/* epub_read_chapter.c - one content document as a chapter: a section under
 * the document's root, built by the HTML plugin's tree builder.
 *
 * Parsing: XHTML goes to the XML parser; when it is not well-formed it is
 * read again with the HTML parser, which keeps all the text a broken file
 * holds (the XML parser stops at the first fatal error), with a warning.
 * SVG and DTBook have no HTML to fall back on: what the XML parser
 * recovered is read.  DTBook's elements (h1, p, list) are read as their
 * XHTML namesakes.
 *
 * Shape: a chapter whose whole content is one <section> is that section
 * (quire and pandoc wrap every chapter in one), and a chapter with no
 * content at all (a cover page made of an SVG image) is left out.
 *
 * Title: a chapter that does not start with a heading of its own gets one,
 * of level 1, holding the first of:
 *   1. the label of a table-of-contents link to the whole file;
 *   2. the label of a link to a fragment of it, when nothing of the page's
 *      text comes before that fragment;
 *   3. the page's <title>, unless it repeats the book's title or is only
 *      the file's name (as pandoc writes them).
 * No heading is added when the chapter's first block already says the
 * title. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "epub_read.h"
#include "html.h"

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

/* ---- Parsing ------------------------------------------------------------- */

static void drop_dtbook_namespace(xmlDoc *tree) {
  static const char dtbook_ns[] = "http://www.daisy.org/z3986/2005/dtbook/";
  xmlNode *top = (xmlNode *)tree;
  for (xmlNode *x = top; x; x = epub_dom_next(top, x, 1))
    if (x->type == XML_ELEMENT_NODE && x->ns && x->ns->href &&
        strcmp((const char *)x->ns->href, dtbook_ns) == 0)
      x->ns = NULL;   /* the declaration stays with its element */
}

/* The tree of a content document; NULL with *skip set when there is
 * nothing to read (a warning said so), NULL alone on error. */
static xmlDoc *parse(epub_reading *r, const char *name, const char *shown,
                     const char *bytes, size_t len, int kind, int *skip) {
  quire_env *env = r->env;
  quire_loc loc = {.file = epub_archive_book(r->archive)};
  char msg[256];
  if (len > 0x7fffffff) {
    env->svc->error(env, &loc, "%s: too large for the parser", shown);
    return NULL;
  }
  int ok;
  unsigned long line;
  xmlDoc *tree = html_xml_parse(bytes, len, name, 1, &ok, msg, sizeof msg,
                                &line);
  if (tree && kind == EPUB_DTBOOK)
    drop_dtbook_namespace(tree);
  if (tree && ok && xmlDocGetRootElement(tree))
    return tree;
  if (kind != EPUB_XHTML) {
    if (tree && xmlDocGetRootElement(tree)) {
      env->svc->warn(env, &loc, "%s: line %lu: not well-formed XML: %s; "
                     "reading what could be recovered", shown, line, msg);
      return tree;
    }
    env->svc->warn(env, &loc, "%s: line %lu: not well-formed XML: %s; "
                   "skipped", shown, line, msg);
    xmlFreeDoc(tree);
    *skip = 1;
    return NULL;
  }
  xmlFreeDoc(tree);
  env->svc->warn(env, &loc, "%s: line %lu: not well-formed XHTML (%s); read "
                 "as HTML", shown, line, msg);
  char *text;
  size_t text_len;
  if (html_decode(env, name, bytes, len, &text, &text_len) != QUIRE_OK)
    return NULL;
  /* As the HTML reader does: depth is limited later, by max-depth. */
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  tree = ctxt ? htmlCtxtReadMemory(ctxt, text, (int)text_len, name, "UTF-8",
                                   HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                       HTML_PARSE_NOERROR |
                                       HTML_PARSE_NOWARNING |
                                       HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE)
              : NULL;
  if (ctxt)
    htmlFreeParserCtxt(ctxt);
  free(text);
  if (!tree)
    env->svc->error(env, &loc, "out of memory");
  return tree;
}

/* ---- The title ----------------------------------------------------------- */

/* The text of the page's <head><title>, malloc'd, or NULL. */
static char *page_title(xmlDoc *tree) {
  xmlNode *top = (xmlNode *)tree;
  for (xmlNode *x = top; x; x = epub_dom_next(top, x, 1))
    if (epub_dom_is(x, "title") && epub_dom_is(x->parent, "head"))
      return epub_dom_text(x);
  return NULL;
}

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
static char *block_text(const quire_node *block) {
  size_t cap = 256, n = 0;
  char *s = malloc(cap);
  quire_iter it;
  quire_iter_init(&it, block);
  while (s && quire_iter_next(&it) != QUIRE_EV_DONE) {
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
  char *said = first ? block_text(first) : NULL;
  int same = said && strcmp(said, title) == 0;
  free(said);
  if (same)
    return QUIRE_OK;
  quire_node *h = svc->node_new(r->doc, QUIRE_NODE_HEADING);
  quire_node *t = svc->node_new_text(r->doc, QUIRE_NODE_TEXT, title,
                                     strlen(title));
  if (!h || !t)
    return QUIRE_ERR;
  h->level = 1;
  svc->node_append(h, t);
  svc->node_append(chapter, h);
  while (chapter->first_child != h)   /* move it to the front */
    svc->node_append(chapter, chapter->first_child);
  return QUIRE_OK;
}

/* ---- The chapter --------------------------------------------------------- */

/* A chapter made of one section is that section. */
static void unwrap(epub_reading *r, quire_node *chapter) {
  quire_node *inner;
  while ((inner = chapter->first_child) && inner == chapter->last_child &&
         inner->type == QUIRE_NODE_SECTION) {
    while (inner->first_child)
      r->env->svc->node_append(chapter, inner->first_child);
    r->env->svc->node_unlink(inner);
  }
}

int epub_chapter_read(epub_reading *r, const epub_item *it, const char *path,
                      const char *bytes, size_t len) {
  const quire_services *svc = r->env->svc;
  const char *book = epub_archive_book(r->archive);
  quire_loc loc = {.file = book};
  char shown[256];
  epub_printable(path, shown, sizeof shown);
  /* The name the tree builder puts in its messages:
   * "book.epub(OEBPS/ch1.xhtml)", as linkers name an archive's member. */
  size_t name_len = strlen(book) + strlen(shown) + 3;
  char *name = malloc(name_len);
  if (!name) {
    svc->error(r->env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  snprintf(name, name_len, "%s(%s)", book, shown);
  int skip = 0;
  xmlDoc *tree = parse(r, name, shown, bytes, len, epub_content_kind(it),
                       &skip);
  if (!tree) {
    free(name);
    return skip ? QUIRE_OK : QUIRE_ERR;
  }
  r->documents++;
  char *page = page_title(tree);
  const char *title = choose_title(r, path, tree, page);
  quire_node *chapter = svc->node_new(r->doc, QUIRE_NODE_SECTION);
  int rc = QUIRE_ERR;
  if (chapter) {
    svc->node_append(r->doc->root, chapter);
    rc = html_build_into(r->env, name, tree, r->doc, chapter);
  } else
    svc->error(r->env, &loc, "out of memory");
  xmlFreeDoc(tree);
  free(name);
  if (rc == QUIRE_OK) {
    unwrap(r, chapter);
    if (!chapter->first_child)
      svc->node_unlink(chapter);
    else if (give_title(r, chapter, title) != QUIRE_OK) {
      svc->error(r->env, &loc, "out of memory");
      rc = QUIRE_ERR;
    }
  }
  free(page);
  return rc;
}
