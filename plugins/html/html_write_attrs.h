/* html_write_attrs.h - what of a node's attributes and URLs may be written,
 * so that no input, however hostile, becomes script in the page.
 *
 * A document's attributes (model.h: id, classes, key/value pairs) come
 * from any input: a web page, a book, a JSON file someone made.  They are
 * written on the node's element, escaped, except:
 *   - a name that is not an XML name, or that only a namespace declared
 *     elsewhere could make sense of (an "epub:" name outside a book);
 *   - xmlns declarations, and the event handlers on* (onclick, onload...);
 *   - a value that is a javascript:, vbscript: or livescript: URL, however
 *     it is spelt (case, blanks and control characters inside, which
 *     browsers ignore), and a style that calls script (expression(),
 *     behavior, -moz-binding, javascript:).
 * A link to such a URL keeps its text without the link; an image keeps
 * its alt text.  An attribute HTML does not know on the element (pandoc's
 * startFrom on a code block, width on a paragraph) is written as
 * data-NAME, as pandoc writes it, so that the page stays valid (epubcheck
 * refuses the rest).  Raw HTML is passed through only when nothing in it could
 * run (html_raw_safe). */
#ifndef QUIRE_HTML_WRITE_ATTRS_H
#define QUIRE_HTML_WRITE_ATTRS_H

#include <stddef.h>

#include <quire/model.h>

/* Writes one attribute: 0, or non-zero to stop (the writer failed). */
typedef int (*html_put_attr)(void *user, const char *name, const char *value);

/* What an element writes of its own, merged with the node's. */
typedef struct html_attr_spec {
  const char *element;       /* its name: which attributes HTML gives it */
  const char *id;            /* the id to write, or NULL for none */
  const char *cls;           /* classes of the element's own, written
                                before the node's; NULL for none */
  const char *style;         /* a style of its own, before the node's */
  const char *const *own;    /* other attributes the element writes itself
                                (NULL-terminated, or NULL): the node's of
                                the same names, in any case, are left out */
  int xhtml;                 /* XML names: xml:lang stays as it is */
  int epub;                  /* the epub: namespace is declared */
} html_attr_spec;

/* Writes n's attributes as spec says, through put.  *unsafe (may be NULL)
 * counts those left out for safety (event handlers, script URLs).  0, or
 * non-zero when put failed or memory is exhausted. */
int html_attrs_write(const quire_node *n, const html_attr_spec *spec,
                     html_put_attr put, void *user, size_t *unsafe);

/* Non-zero when url would run script: a javascript:, vbscript: or
 * livescript: URL, or, for a link (image zero), a data: URL, which could
 * hold a page of its own. */
int html_url_unsafe(const char *url, int image);

/* Non-zero for a URL that names something outside the document: one with
 * a scheme (http:, https:, data:, mailto: ...) or a network path (//). */
int html_url_external(const char *url);

/* Non-zero when raw HTML s[0..n) holds nothing that could run: no script,
 * object, embed, iframe, frame, applet, base, meta or link element, no
 * event handler, no srcdoc and no script URL.  Checked both on libxml2's
 * parse of it (which decodes character references) and on its text, so
 * that markup libxml2 reads differently from a browser (a comment closed
 * early, "<a/onclick=...>") is caught as well. */
int html_raw_safe(const char *s, size_t n);

#endif
