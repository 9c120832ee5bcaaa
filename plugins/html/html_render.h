/* html_render.h - a document's blocks as (X)HTML body content.
 *
 * The renderer writes through libxml2's xmlTextWriter, which escapes every
 * text and attribute, so its output is well-formed XML and valid HTML.  It
 * writes what goes inside <body> (or an <article>) and nothing around it:
 * the document's blocks, then its notes.  Other plugins reach it through
 * the html and xhtml writers with --embed (svc->render_open): that is how
 * an EPUB's content documents get their bodies.  It depends on quire's
 * public headers and libxml2 only. */
#ifndef QUIRE_HTML_RENDER_H
#define QUIRE_HTML_RENDER_H

#include <libxml/xmlwriter.h>
#include <quire/plugin.h>

#include "html_media.h"

/* Called after each heading is written, with its level (1-6), its id (NULL
 * when it has none) and its plain text (not NUL-terminated).
 * Returns QUIRE_OK, or QUIRE_ERR to stop the walk. */
typedef int (*html_heading_fn)(void *user, int level, const char *id,
                               const char *text, size_t len);

/* The two prefixes of the ids the renderer makes (see html_render_opts). */
typedef enum html_prefix {
  HTML_PREFIX_ID,     /* id_prefix: headings' PREFIX-hN */
  HTML_PREFIX_NOTE    /* note_prefix: notes' fnN, fnrefN, footnotes */
} html_prefix;

/* Rendering ahead of the page (html_write_part.c): the made ids' prefixes
 * are left out of the output and filled in later, when the document's
 * place in the page is known.  The callbacks return QUIRE_OK, or QUIRE_ERR
 * to stop the walk (memory). */
typedef struct html_slots {
  /* Called where a made id's prefix of `kind` belongs, inside an id or
   * href attribute: the renderer's writer has been flushed just before,
   * so everything written before that point has reached its output. */
  int (*slot)(void *user, html_prefix kind);
  /* Called for each id made, with what follows its prefix (borrowed for
   * the call) and whether it is the name asked for (0 when it was taken
   * and html_ids_fresh made it unique with -2, -3, ...). */
  int (*made)(void *user, html_prefix kind, const char *suffix, int base);
  void *user;
} html_slots;

typedef struct html_render_opts {
  /* Non-zero for XHTML: raw HTML from the model is passed through only when
   * it is well-formed XML, else written as text. */
  int xhtml;
  /* A heading with an id of its own keeps it; the others get the ids
   * PREFIX-hN, N counting every heading of the document from 1, so that
   * the numbers do not depend on which headings have ids.  NULL gives
   * them no id. */
  const char *id_prefix;
  html_heading_fn on_heading;   /* may be NULL */
  void *user;
  /* Notes are numbered from 1 in each document and written after its
   * blocks, with the ids NOTE_PREFIXfnN (the note) and NOTE_PREFIXfnrefN
   * (where it is called); NULL is "".  Without epub_notes, pandoc's shape:
   * <section id="NOTE_PREFIXfootnotes" class="footnotes" role=
   * "doc-endnotes"><hr/><ol><li id=...>, with links back.  With it, EPUB 3
   * footnotes: <a epub:type="noteref"> and <aside epub:type="footnote">,
   * for XHTML in a book (the page declares the epub: namespace). */
  const char *note_prefix;
  int epub_notes;
  /* Non-zero: ids stay unique across the documents rendered with one
   * html_render, as in a page of articles: an id an earlier document has
   * is written as PREFIX-ID (id_prefix), and the document's links to it
   * ("#ID") follow it. */
  int page_ids;
  /* The page declares the epub: namespace: a node's epub: attributes
   * (epub:type) may be written.  XHTML only. */
  int epub_ns;
  /* NULL: images keep their urls as they are (inside a book, whose writer
   * has made them the book's own paths).  Otherwise an image whose url
   * names a resource of the document shows it through media (a data: URI
   * or an extracted file), and one whose url is neither a resource nor
   * external (see html_url_external) is written as its alt text, in a
   * <span class="image-missing">. */
  html_media *media;
  /* NULL: made ids are written whole.  Otherwise see html_slots; the
   * prefixes are then never written, so they need not be ids themselves
   * (html_write_part.c gives ones with a blank, which no own id has). */
  const html_slots *slots;
} html_render_opts;

/* Scratch space, reused from one document to the next. */
typedef struct html_render html_render;

html_render *html_render_new(void);
void html_render_free(html_render *r);

/* Writes the blocks and notes of doc to w.  Returns QUIRE_OK, QUIRE_ERR
 * when w, memory or on_heading failed (the caller sets the message, as
 * the owner of w's output it knows whether writing failed), or
 * QUIRE_FATAL when media failed (its message set).  Warns through env
 * when raw HTML cannot go into XHTML as it is. */
int html_render_doc(quire_env *env, html_render *r, xmlTextWriterPtr w,
                    const quire_doc *doc, const html_render_opts *opts);

/* Writes s[0..n) as escaped text, or as the value of attribute `name` when
 * name is not NULL.  Characters XML cannot hold (most control characters,
 * invalid UTF-8) are dropped.  s[n] must be readable: model text and C
 * strings have their NUL there and are written without a copy; any other
 * byte makes a NUL-terminated copy first.  QUIRE_OK or QUIRE_ERR, as above. */
int html_render_text(html_render *r, xmlTextWriterPtr w, const char *name,
                     const char *s, size_t n);

/* Counts, since r was made: characters html_render_text dropped; images
 * written as their alt text because their file is not in the document;
 * attributes, links, images and raw HTML left out because they could run
 * script. */
size_t html_render_dropped(const html_render *r);
size_t html_render_missing(const html_render *r);
size_t html_render_unsafe(const html_render *r);

/* ---- The page's ids, for html_write_part.c --------------------------------
 * With page_ids, r holds every id written by the documents rendered with
 * it so far (their own and those made for them). */

/* Calls fn with each own id of the document html_render_doc rendered
 * last, as the document has it (borrowed from the document: valid while
 * it is), in no particular order; stops at the first result other than
 * QUIRE_OK and returns it. */
int html_render_each_own_id(const html_render *r,
                            int (*fn)(void *user, const char *id),
                            void *user);
/* Non-zero when an id in r's table is `id`. */
int html_render_page_has(const html_render *r, const char *id);
/* Adds a copy of id to r's table (r owns the copy), as if a document
 * rendered with r had written it.  QUIRE_OK, or QUIRE_ERR (memory). */
int html_render_page_add(html_render *r, const char *id);

#endif
