/* epub_read_xml.c - the XML of a book (container, package, NCX, nav, and
 * content documents before the core reads them), parsed safely by
 * xml_safe_parse (plugins/common), and small helpers to walk the trees.
 *
 * The parser never touches the network (XML_PARSE_NONET), never loads a
 * DTD and never substitutes entities (no XML_PARSE_NOENT): an entity a
 * file declares stays an entity reference, which these helpers show as
 * written ("&name;") instead of expanding it, so a "billion laughs" costs
 * nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "epub_read.h"

xmlDoc *epub_dom_load(quire_env *env, const char *book, const char *entry,
                      const char *bytes, size_t len, int html_chars) {
  quire_loc loc = {.file = book};
  char shown[256], msg[256];
  epub_printable(entry, shown, sizeof shown);
  if (len > 0x7fffffff) {
    env->svc->error(env, &loc, "%s: too large for the XML parser", shown);
    return NULL;
  }
  int ok;
  unsigned long line;
  xmlDoc *tree = xml_safe_parse(bytes, len, entry, html_chars, &ok, msg,
                                sizeof msg, &line);
  if (!tree || !xmlDocGetRootElement(tree)) {
    env->svc->error(env, &loc, "%s: line %lu: not well-formed XML: %s", shown,
                    line, msg);
    xmlFreeDoc(tree);
    return NULL;
  }
  if (!ok)
    env->svc->warn(env, &loc, "%s: line %lu: not well-formed XML: %s; "
                   "reading what could be recovered", shown, line, msg);
  return tree;
}

/* ---- Walking ------------------------------------------------------------- */

int epub_dom_is(const xmlNode *x, const char *name) {
  return x && x->type == XML_ELEMENT_NODE &&
         strcmp((const char *)x->name, name) == 0;
}

xmlNode *epub_dom_next(const xmlNode *root, xmlNode *x, int down) {
  /* Only elements are entered: an entity reference's children are the
   * entity's, shared and outside the tree. */
  if (down && x->children &&
      (x->type == XML_ELEMENT_NODE || x->type == XML_DOCUMENT_NODE ||
       x->type == XML_HTML_DOCUMENT_NODE))
    return x->children;
  while (x != root && !x->next)
    x = x->parent;
  return x == root ? NULL : x->next;
}

typedef struct sbuf {
  char *s;
  size_t n, cap;
  int failed;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1)
      cap *= 2;
    char *grown = realloc(b->s, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->s = grown;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

/* Text and CDATA as they are, entity references as written. */
static void put_node(sbuf *b, const xmlNode *c) {
  if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
    if (c->content)
      put(b, (const char *)c->content, strlen((const char *)c->content));
  } else if (c->type == XML_ENTITY_REF_NODE && c->name) {
    put(b, "&", 1);
    put(b, (const char *)c->name, strlen((const char *)c->name));
    put(b, ";", 1);
  }
}

static _Thread_local int dom_failed;

void epub_dom_watch(void) { dom_failed = 0; }

int epub_dom_failed(void) { return dom_failed; }

static char *finish(sbuf *b) {
  put(b, "", 0);
  if (b->failed) {
    dom_failed = 1;
    free(b->s);
    return NULL;
  }
  return b->s;
}

char *epub_dom_attr(const xmlNode *el, const char *name, const char *ns_href) {
  for (const xmlAttr *a = el->properties; a; a = a->next) {
    if (strcmp((const char *)a->name, name) != 0)
      continue;
    if (!ns_href ? a->ns != NULL
        : strcmp(ns_href, "*") == 0
            ? 0
            : !a->ns || !a->ns->href ||
                  strcmp((const char *)a->ns->href, ns_href) != 0)
      continue;
    sbuf b = {0};
    for (const xmlNode *c = a->children; c; c = c->next)
      put_node(&b, c);
    return finish(&b);
  }
  return NULL;
}

size_t epub_dom_squash(char *s) {
  size_t w = 0;
  int space = 0;
  for (size_t r = 0; s[r]; r++) {
    if (strchr(" \t\n\r\f", s[r])) {
      space = w > 0;
      continue;
    }
    if (space)
      s[w++] = ' ';
    space = 0;
    s[w++] = s[r];
  }
  s[w] = '\0';
  return w;
}

char *epub_dom_text(const xmlNode *el) {
  sbuf b = {0};
  for (xmlNode *x = el->children; x; x = epub_dom_next(el, x, 1))
    put_node(&b, x);
  char *s = finish(&b);
  if (s)
    epub_dom_squash(s);
  return s;
}
