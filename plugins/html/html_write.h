/* html_write.h - the page writer's pieces that html_write_part.c shares:
 * what html_write_doc writes around the renderer for one article.  The
 * writer (html_write.c) owns everything here; html_write_part.c borrows
 * it for the length of a write_part call.  Private to the html plugin. */
#ifndef QUIRE_HTML_WRITE_H
#define QUIRE_HTML_WRITE_H

#include <libxml/xmlwriter.h>
#include <quire/plugin.h>

#include "html_media.h"
#include "html_render.h"

typedef struct html_writer html_writer;

/* What the renderer dropped or left out of one document, for the
 * writer's warnings (see html_render_dropped and the others). */
typedef struct html_lost {
  size_t dropped, missing, unsafe;
} html_lost;

/* An article being written. */
typedef struct html_article {
  xmlTextWriterPtr t;        /* where its content goes (the writer's) */
  char id[32];               /* its id, doc-N: the headings' id prefix */
  char notes[40];            /* the note prefix: "" or doc-N- */
} html_article;

/* The rendering options of every document of a writer with these
 * options, but the ids' prefixes and the heading callback. */
html_render_opts html_page_opts(int xhtml, int epub_notes, int embed,
                                html_media *media);

/* Non-zero when documents become articles of a page with no table of
 * contents (neither --embed nor --toc). */
int html_page_plain(const html_writer *w);
/* The number the next article gets: 1 for the page's first. */
unsigned html_page_next(const html_writer *w);
/* The writer's renderer, whose id table holds the page's ids. */
html_render *html_page_render(html_writer *w);
/* Sets the message for a failed write or exhausted memory; QUIRE_FATAL. */
int html_page_failed(html_writer *w);

/* The id and note prefix of article number n (from 1). */
void html_article_names(unsigned n, html_article *a);
/* Starts the page with the first document (or holds it, see
 * html_write.c), then opens doc's <article> with its id and languages.
 * QUIRE_OK, or QUIRE_FATAL with the message set. */
int html_article_open(html_writer *w, const quire_doc *doc,
                      html_article *a);
/* Writes s[0..n) into the article as it is, after what the article's
 * writer holds.  QUIRE_OK, or QUIRE_ERR when writing failed (then
 * html_page_failed). */
int html_article_write(html_writer *w, const html_article *a, const char *s,
                       size_t n);
/* Ends the article, flushes it, and warns of what the renderer lost.
 * QUIRE_OK, or QUIRE_FATAL with the message set. */
int html_article_close(html_writer *w, const quire_doc *doc,
                       const html_article *a, const html_lost *lost);

/* The parts' callbacks (html_write_part.c; see quire_format). */
int html_part_render(quire_env *env, const quire_options *opts,
                     const quire_doc *doc, void **part);
int xhtml_part_render(quire_env *env, const quire_options *opts,
                      const quire_doc *doc, void **part);
int html_write_part(quire_env *env, void *state, const quire_doc *doc,
                    void *part);
void html_part_free(void *part);

#endif
