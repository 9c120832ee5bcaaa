/* xml_safe.c - XML (XHTML, and EPUB's package files) parsed safely.
 *
 * Shared by the plugins that parse XML: it is built as the static library
 * quire_xml_safe and linked into each of them; it is not a plugin, and it
 * needs nothing of quire's.
 *
 * The parser never touches the network (XML_PARSE_NONET), never loads a
 * DTD and never substitutes entities (no XML_PARSE_NOENT): an entity a
 * file declares stays an entity reference, so a "billion laughs" costs
 * nothing.  XHTML may use HTML's named characters (&nbsp;, &eacute;)
 * without declaring them, as EPUB 2 books with an XHTML 1.1 DOCTYPE do;
 * they are given to the parser as predefined entities, which it writes as
 * text.  Every parse keeps its own entities and parser context, so parses
 * may run on several threads at once. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "xml_safe.h"

/* ---- HTML's named characters ---------------------------------------- */

typedef struct named_chars {
  xmlEntity **items;
  size_t n;
} named_chars;

static void named_chars_free(named_chars *c) {
  for (size_t i = 0; i < c->n; i++) {
    free((void *)c->items[i]->name);
    free(c->items[i]->content);
    free(c->items[i]);
  }
  free(c->items);
}

static xmlEntity *named_char(named_chars *c, const htmlEntityDesc *desc) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp((const char *)c->items[i]->name, desc->name) == 0)
      return c->items[i];
  xmlEntity **items = realloc(c->items, (c->n + 1) * sizeof *items);
  if (!items)
    return NULL;
  c->items = items;
  xmlEntity *e = calloc(1, sizeof *e);
  xmlChar *content = malloc(5);
  char *name = strdup(desc->name);
  int len = content ? xmlCopyCharMultiByte(content, (int)desc->value) : 0;
  if (!e || !content || !name || len <= 0) {
    free(e);
    free(content);
    free(name);
    return NULL;
  }
  content[len] = '\0';
  e->type = XML_ENTITY_DECL;
  e->name = BAD_CAST name;
  e->content = content;
  e->length = len;
  e->etype = XML_INTERNAL_PREDEFINED_ENTITY;
  c->items[c->n++] = e;
  return e;
}

/* The parser asks for each entity it meets: the document's own first,
 * then HTML's named characters. */
static xmlEntityPtr get_entity(void *user, const xmlChar *name) {
  xmlParserCtxtPtr ctxt = user;
  xmlEntityPtr e = xmlSAX2GetEntity(user, name);
  if (e)
    return e;
  const htmlEntityDesc *desc = htmlEntityLookup(name);
  return desc ? named_char(ctxt->_private, desc) : NULL;
}

/* ---- Parsing ------------------------------------------------------------- */

xmlDoc *xml_safe_parse(const char *bytes, size_t len, const char *url,
                       int html_chars, int *well_formed, char *msg,
                       size_t msg_size, unsigned long *line) {
  *well_formed = 0;
  *line = 0;
  /* libxml2 counts the bytes in an int. */
  if (len > INT_MAX) {
    snprintf(msg, msg_size, "too large for the XML parser (%zu bytes, at "
                            "most %d)", len, INT_MAX);
    return NULL;
  }
  snprintf(msg, msg_size, "out of memory");
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt)
    return NULL;
  named_chars chars = {0};
  if (html_chars) {
    ctxt->_private = &chars;
    ctxt->sax->getEntity = get_entity;
  }
  xmlDoc *tree = xmlCtxtReadMemory(
      ctxt, bytes, (int)len, url, NULL,
      XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
          XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  /* Namespace errors (an undeclared epub: prefix) leave the tree whole
   * and the document well-formed: they are not reported. */
  *well_formed = ctxt->wellFormed;
  xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
  msg[0] = '\0';
  if (!*well_formed && err && err->code != XML_ERR_OK) {
    *line = err->line > 0 ? (unsigned long)err->line : 0;
    snprintf(msg, msg_size, "%s", err->message ? err->message : "error");
    msg[strcspn(msg, "\n")] = '\0';
  }
  xmlFreeParserCtxt(ctxt);
  named_chars_free(&chars);
  return tree;
}

