/* html_render.h - a document's blocks as (X)HTML body content.
 *
 * The renderer writes through libxml2's xmlTextWriter, which escapes every
 * text and attribute, so its output is well-formed XML and valid HTML.  It
 * writes what goes inside <body> (or an <article>) and nothing around it.
 * Other plugins reach it through the html and xhtml writers with --embed
 * (svc->render_open): that is how an EPUB's content documents get their
 * bodies.  It depends on quire's public headers and libxml2 only. */
#ifndef QUIRE_HTML_RENDER_H
#define QUIRE_HTML_RENDER_H

#include <libxml/xmlwriter.h>
#include <quire/plugin.h>

/* Called after each heading is written, with its level (1-6), its id (NULL
 * when headings get none) and its plain text (not NUL-terminated).
 * Returns QUIRE_OK, or QUIRE_ERR to stop the walk. */
typedef int (*html_heading_fn)(void *user, int level, const char *id,
                               const char *text, size_t len);

typedef struct html_render_opts {
  /* Non-zero for XHTML: raw HTML from the model is passed through only when
   * it is well-formed XML, else written as text. */
  int xhtml;
  /* Headings get the ids PREFIX-h1, PREFIX-h2, ... in document order;
   * NULL gives them no id. */
  const char *id_prefix;
  html_heading_fn on_heading;   /* may be NULL */
  void *user;
} html_render_opts;

/* Scratch space, reused from one document to the next. */
typedef struct html_render html_render;

html_render *html_render_new(void);
void html_render_free(html_render *r);

/* Writes the blocks of doc to w.  Returns QUIRE_OK, or QUIRE_ERR when w,
 * memory or on_heading failed; the caller sets the message, as the owner
 * of w's output it knows whether writing failed.  Warns through env when
 * raw HTML cannot go into XHTML as it is. */
int html_render_doc(quire_env *env, html_render *r, xmlTextWriterPtr w,
                    const quire_doc *doc, const html_render_opts *opts);

/* Writes s[0..n) as escaped text, or as the value of attribute `name` when
 * name is not NULL.  Characters XML cannot hold (most control characters,
 * invalid UTF-8) are dropped.  s[n] must be readable: model text and C
 * strings have their NUL there and are written without a copy; any other
 * byte makes a NUL-terminated copy first.  QUIRE_OK or QUIRE_ERR, as above. */
int html_render_text(html_render *r, xmlTextWriterPtr w, const char *name,
                     const char *s, size_t n);

/* The number of characters html_render_text has dropped so far. */
size_t html_render_dropped(const html_render *r);

#endif
