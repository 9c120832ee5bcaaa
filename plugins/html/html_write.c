/* html_write.c - the HTML and XHTML writer: one page, an <article> per
 * document.
 *
 * Documents arrive one at a time and leave as they came: each article is
 * rendered (html_render.c) straight to the output, so memory does not grow
 * with the number of documents.  The page's <head> is written with the
 * first document, whose metadata fills what the corpus metadata (--title,
 * --lang, --metadata) leaves open.
 *
 * With --toc the table of contents must come first but is known only at
 * the end, so the articles go to a temporary file in $TMPDIR instead, and
 * only the TOC entries (titles and ids) stay in memory; write_close writes
 * the head, the <nav> and then copies the articles after it.
 *
 * The page's title (<title>, and the visible title block at the top of the
 * body) depends on how many documents the page holds: --title; else, for
 * one document, its own title; else the corpus key `collection` (the
 * folder's name); else the output file's name without its extension; else
 * "Untitled" (in <title> only).  The visible title, pandoc's
 * <header id="title-block-header">, is written with --title or when the
 * page holds several documents, unless the first document starts with a
 * level-1 heading of the same text; never with --fragment or --embed.
 * So without --title the first article waits (the hold: in memory, past
 * HOLD_MEMORY bytes in a temporary file) until a second document comes or
 * the page ends; then the head, the title block and the held article are
 * written, and the rest streams as before.
 *
 * With --embed=PREFIX the writer serves another format (EPUB renders each
 * chapter's body through the xhtml writer, svc->render_open): each
 * document's blocks are written exactly as html_render_doc writes them,
 * headings numbered PREFIX-h1, PREFIX-h2, ... afresh in each document, and
 * nothing else: no page, no <article>, no table of contents.
 *
 * Images whose files the document carries (its resources) are put where
 * the page reaches them (html_media.c): in the page as data: URIs with
 * --embed-resources, or written to a folder with --extract-media=DIR.
 * Without either, a page written to a file gets them in a folder beside
 * it named after it (page.html: page_media/), and a page written to
 * standard output, a pipe or memory (no file to put a folder beside) gets
 * data: URIs.  Extracted files are renamed into place only when the page
 * is complete (write_close with ok), so a failed conversion leaves none.
 * With --embed nothing is done to images: the format embedding the blocks
 * has given them its own paths.
 *
 * Everything is written with libxml2's xmlTextWriter, which escapes text
 * and attributes: the XHTML output is well-formed XML, and the HTML output
 * is the same markup without the XML declaration and namespace.
 *
 * With -j N an article may be rendered ahead, on the thread that read its
 * document, and written here in its turn (html_write_part.c); what
 * html_write_doc writes around the renderer is shared with it through
 * html_write.h.
 *
 * Every failure of write_doc and write_close leaves part of a document in
 * the output (or memory exhausted), so they return QUIRE_FATAL. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "html.h"
#include "html_write.h"
#include "lead_heading.h"
#include "temp_file.h"
#include "html_media.h"
#include "html_render.h"
#include "xml_text.h"

/* The built-in stylesheet: a readable column on a screen, the full width
 * on a phone.  It holds no '<', '>' or '&', so it is the same in HTML and
 * in XML. */
static const char stylesheet[] =
    "body { margin: 0 auto; max-width: 40em; padding: 1em 1.25em; "
    "font-family: Georgia, 'Times New Roman', serif; font-size: 1.1em; "
    "line-height: 1.6; color: #1a1a1a; background: #fdfdfd; }\n"
    "h1, h2, h3, h4, h5, h6 { font-family: system-ui, -apple-system, "
    "'Segoe UI', Roboto, Helvetica, Arial, sans-serif; line-height: 1.25; "
    "margin: 1.5em 0 0.5em; }\n"
    "h1 { font-size: 1.9em; } h2 { font-size: 1.5em; } "
    "h3 { font-size: 1.25em; } h4, h5, h6 { font-size: 1em; }\n"
    "p, ul, ol, blockquote, pre, table { margin: 0 0 1em; }\n"
    "a { color: #1558b0; }\n"
    "img { max-width: 100%; height: auto; }\n"
    "blockquote { margin-left: 0; padding-left: 1em; "
    "border-left: 4px solid #ccc; color: #444; }\n"
    "code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; "
    "font-size: 0.9em; }\n"
    "pre { padding: 0.75em; overflow-x: auto; background: #f3f3f3; }\n"
    "table { border-collapse: collapse; display: block; overflow-x: auto; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; "
    "vertical-align: top; }\n"
    "hr { border: 0; border-top: 1px solid #ccc; margin: 2em 0; }\n"
    "article + article { margin-top: 3em; padding-top: 1em; "
    "border-top: 2px solid #ddd; }\n"
    "nav ol { padding-left: 1.25em; }\n"
    "span.smallcaps { font-variant: small-caps; }\n"
    "div.line-block { margin: 0 0 1em; }\n"
    "q { quotes: '\\201C' '\\201D'; } q.single { quotes: '\\2018' '\\2019'; }\n"
    "figure { margin: 0 0 1em; }\n"
    "figcaption { font-size: 0.9em; color: #444; }\n"
    "dt { font-weight: bold; } dd { margin: 0 0 0.5em 1.5em; }\n"
    "span.image-missing { font-style: italic; color: #666; }\n"
    ".footnotes { font-size: 0.9em; } .footnote-ref sup { line-height: 0; }\n"
    "@media (max-width: 30em) { body { font-size: 1em; padding: 0.75em; } }\n";

/* The head's metadata, in the order it is written; author repeats. */
static const char *const page_keys[] = {
    QUIRE_META_TITLE, QUIRE_META_LANGUAGE, QUIRE_META_AUTHOR,
    QUIRE_META_DATE, QUIRE_META_DESCRIPTION, "keywords"};

/* The first article is held in memory up to this size, then in a
 * temporary file. */
#define HOLD_MEMORY ((size_t)1 << 20)

typedef struct toc_entry {
  int level;           /* 0 for an article, 1-6 for one of its headings */
  unsigned doc;        /* the article's number */
  size_t id, text;     /* offsets of the id and text in toc_text */
} toc_entry;

struct html_writer {
  quire_env *env;
  quire_output *out;
  const quire_meta *corpus;
  int xhtml, fragment, toc;
  int epub_notes;             /* --epub-notes: EPUB 3 footnotes */
  char *css;
  char *embed;                /* --embed's id prefix, or NULL */
  xmlTextWriterPtr page;      /* writes to the output */
  xmlTextWriterPtr body;      /* writes the articles: page, or spool */
  FILE *spool;                /* the articles, with --toc */
  int out_failed;             /* output_write failed; its message is set */
  int spool_errno;
  int discard;                /* the output is being thrown away */
  int hidden;                 /* --embed: the wrapper's tags, not output */
  int started;                /* the page metadata is known */
  unsigned docs;
  char **meta;                /* the head's metadata: key, value, ... */
  size_t n_meta;
  toc_entry *entries;
  size_t n_entries, cap_entries;
  char *toc_text;             /* NUL-terminated strings */
  size_t toc_len, toc_cap;
  size_t title;               /* offset of the current article's title */
  const char *given;          /* the corpus title (--title), or NULL */
  char *first_h1;             /* the first document's leading level-1
                                 heading, whitespace collapsed, or NULL */
  int holding;                /* the first article is held (see above) */
  xmlTextWriterPtr hold;      /* writes the held article */
  char *held;                 /* the held article, in memory */
  size_t held_len, held_cap;
  FILE *held_file;            /* or past HOLD_MEMORY, in this file */
  int hold_errno;
  unsigned headings;          /* headings of the current article so far */
  html_render *render;
  html_media *media;          /* NULL with --embed */
};

/* ---- Output -------------------------------------------------------------- */

/* The write callbacks never report a failure to libxml2, which would print
 * it: they note it, drop what follows, and the writer checks broken(). */
static int to_output(void *ctx, const char *buf, int len) {
  html_writer *w = ctx;
  if (w->discard || w->hidden || w->out_failed || len <= 0)
    return len;
  if (w->env->svc->output_write(w->env, w->out, buf, (size_t)len) != QUIRE_OK)
    w->out_failed = 1;
  return len;
}

static int to_spool(void *ctx, const char *buf, int len) {
  html_writer *w = ctx;
  if (w->discard || w->spool_errno)
    return len;
  if (fwrite(buf, 1, (size_t)len, w->spool) != (size_t)len)
    w->spool_errno = errno ? errno : EIO;
  return len;
}

/* The held first article: in memory up to HOLD_MEMORY, then in a
 * temporary file (so memory stays bounded whatever its size). */
static int to_hold(void *ctx, const char *buf, int len) {
  html_writer *w = ctx;
  if (w->discard || w->hold_errno || !w->holding || len <= 0)
    return len;
  size_t n = (size_t)len;
  if (!w->held_file && w->held_len + n > HOLD_MEMORY) {
    if (!(w->held_file = temp_file_stream())) {
      w->hold_errno = errno ? errno : EIO;
      return len;
    }
    if (w->held_len &&
        fwrite(w->held, 1, w->held_len, w->held_file) != w->held_len) {
      w->hold_errno = errno ? errno : EIO;
      return len;
    }
    free(w->held);
    w->held = NULL;
    w->held_len = w->held_cap = 0;
  }
  if (w->held_file) {
    if (fwrite(buf, 1, n, w->held_file) != n)
      w->hold_errno = errno ? errno : EIO;
    return len;
  }
  if (w->held_len + n > w->held_cap) {
    size_t cap = w->held_cap ? w->held_cap : 4096;
    while (cap < w->held_len + n)
      cap *= 2;
    char *p = realloc(w->held, cap);
    if (!p) {
      w->hold_errno = ENOMEM;
      return len;
    }
    w->held = p;
    w->held_cap = cap;
  }
  memcpy(w->held + w->held_len, buf, n);
  w->held_len += n;
  return len;
}

/* Non-zero when a write callback has failed. */
static int broken(const html_writer *w) {
  return w->out_failed || w->spool_errno || w->hold_errno ||
         xml_memory_failed();
}

static xmlTextWriterPtr new_writer(html_writer *w, xmlOutputWriteCallback fn) {
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(fn, NULL, w, NULL);
  if (!buf)
    return NULL;
  xmlTextWriterPtr t = xmlNewTextWriter(buf);
  if (!t)
    xmlOutputBufferClose(buf);
  return t;
}

/* Sets the message "what: the reason for errno err". */
static void error_errno(html_writer *w, const char *what, int err) {
  char reason[128];
  if (strerror_r(err, reason, sizeof reason) != 0)   /* not strerror: threads */
    snprintf(reason, sizeof reason, "error %d", err);
  w->env->svc->error(w->env, NULL, "%s: %s", what, reason);
}

/* Sets the message for a failed write and returns QUIRE_FATAL: the output
 * holds part of a document, or memory is exhausted. */
static int failed(html_writer *w) {
  if (w->out_failed)
    return QUIRE_FATAL;   /* output_write has said why */
  if (w->spool_errno)
    error_errno(w, "cannot write the temporary file of the articles",
                w->spool_errno);
  else if (w->hold_errno == ENOMEM)
    w->env->svc->error(w->env, NULL, "out of memory");
  else if (w->hold_errno)
    error_errno(w, "cannot write the temporary file of the first article",
                w->hold_errno);
  else
    w->env->svc->error(w->env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* Small helpers returning non-zero on failure, to chain with ||. */
static int start(xmlTextWriterPtr t, const char *name) {
  return xmlTextWriterStartElement(t, BAD_CAST name) < 0;
}

static int end(xmlTextWriterPtr t) { return xmlTextWriterFullEndElement(t) < 0; }

static int raw(xmlTextWriterPtr t, const char *s) {
  return xmlTextWriterWriteRaw(t, BAD_CAST s) < 0;
}

static int attr(html_writer *w, xmlTextWriterPtr t, const char *name,
                const char *value) {
  return html_render_text(w->render, t, name, value, strlen(value)) != QUIRE_OK;
}

static int text(html_writer *w, xmlTextWriterPtr t, const char *s) {
  return html_render_text(w->render, t, NULL, s, strlen(s)) != QUIRE_OK;
}

/* ---- Opening ------------------------------------------------------------- */

/* Checks --embed against the other options; QUIRE_OK or a usage error. */
static int check_embed(quire_env *env, const char *prefix,
                       const quire_options *opts) {
  const quire_services *svc = env->svc;
  /* The prefix starts ids: HTML forbids blanks in them. */
  if (!prefix[0] || prefix[strcspn(prefix, " \t\n\r\f")])
    return svc->usage_error(env, "--embed wants an id prefix without "
                                 "blanks, not '%s'", prefix);
  if (svc->option(opts, "toc") || svc->option(opts, "css"))
    return svc->usage_error(env, "--embed writes no page: --toc and --css "
                                 "do not apply to it");
  return QUIRE_OK;
}

/* Checks the resource options against each other and the format. */
static int check_media(quire_env *env, const quire_options *opts, int xhtml,
                       const char *embed) {
  const quire_services *svc = env->svc;
  const char *dir = svc->option(opts, "extract-media");
  if (dir && svc->option(opts, "embed-resources"))
    return svc->usage_error(env, "--extract-media and --embed-resources "
                                 "exclude each other: give one");
  if (dir && !dir[0])
    return svc->usage_error(env, "--extract-media wants a folder");
  if (embed && (dir || svc->option(opts, "embed-resources")))
    return svc->usage_error(env, "--embed leaves images to the format "
                                 "embedding the blocks: --extract-media and "
                                 "--embed-resources do not apply to it");
  if (!xhtml && svc->option(opts, "epub-notes"))
    return svc->usage_error(env, "--epub-notes writes EPUB 3 footnotes, "
                                 "which need XHTML: use -t xhtml");
  return QUIRE_OK;
}

/* The page's folder of media when the user named none: beside the output
 * file, named after it ("out/page.html": "out/page_media", linked from
 * the page as "page_media"); NULL when memory is exhausted. */
static html_media *media_beside(quire_env *env, const char *output) {
  const char *slash = strrchr(output, '/');
  const char *base = slash ? slash + 1 : output;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  size_t n = strlen(output) + 8;
  char *dir = malloc(n), *link = malloc(n);
  html_media *m = NULL;
  if (dir && link) {
    snprintf(dir, n, "%.*s%.*s_media", (int)(base - output), output,
             (int)stem, base);
    snprintf(link, n, "%.*s_media", (int)stem, base);
    m = html_media_extract(env, dir, link);
  }
  free(dir);
  free(link);
  return m;
}

/* The file the page becomes, or NULL (standard output, memory, another
 * plugin).  output_target leaves the output's temporary file unnamed;
 * before ABI 2.3 only output_path could tell. */
static const char *html_output_target(const quire_services *svc,
                                      quire_output *out) {
  if (svc->struct_size > offsetof(quire_services, output_target))
    return svc->output_target(out);
  return svc->output_path(out) ? svc->output_name(out) : NULL;
}

/* Where the page's images go (see the top of this file). */
static int open_media(html_writer *w, const quire_options *opts) {
  quire_env *env = w->env;
  const quire_services *svc = env->svc;
  const char *dir = svc->option(opts, "extract-media");
  const char *page = html_output_target(svc, w->out);
  if (dir && page) {   /* linked from the page's folder */
    char *link = html_rel_path(page, dir);
    w->media = link ? html_media_extract(env, dir, link) : NULL;
    free(link);
  } else if (dir)      /* standard output: as the user named it */
    w->media = html_media_extract(env, dir, dir);
  else if (svc->option(opts, "embed-resources") || !page)
    w->media = html_media_data(env);
  else
    w->media = media_beside(env, page);
  return w->media ? QUIRE_OK : QUIRE_ERR;
}

/* --embed: the documents are written inside an element whose tags are not
 * output, so that the renderer escapes text as it does inside <article>
 * or an EPUB chapter's <section>. */
static int start_hidden_wrapper(html_writer *w) {
  w->hidden = 1;
  int rc = start(w->page, "div") || raw(w->page, "") ||
           xmlTextWriterFlush(w->page) < 0;
  w->hidden = 0;
  return rc ? QUIRE_ERR : QUIRE_OK;
}

static int open_writer(quire_env *env, quire_output *out,
                       const quire_options *opts, const quire_meta *corpus,
                       int xhtml, void **state) {
  const quire_services *svc = env->svc;
  xml_memory_watch();
  const char *embed = svc->option(opts, "embed");
  if (embed) {
    int rc = check_embed(env, embed, opts);
    if (rc != QUIRE_OK)
      return rc;
  }
  int checked = check_media(env, opts, xhtml, embed);
  if (checked != QUIRE_OK)
    return checked;
  html_writer *w = calloc(1, sizeof *w);
  if (!w) {
    svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  w->env = env;
  w->out = out;
  w->corpus = corpus;
  w->xhtml = xhtml;
  w->fragment = svc->option(opts, "fragment") != NULL;
  w->toc = svc->option(opts, "toc") != NULL;
  w->epub_notes = svc->option(opts, "epub-notes") != NULL;
  w->given = svc->meta_get(corpus, QUIRE_META_TITLE);
  if (w->given && !w->given[0])
    w->given = NULL;
  /* Without --title the page's title waits for the second document. */
  w->holding = !w->given && !embed && !w->fragment && !w->toc;
  const char *css = svc->option(opts, "css");
  int rc = QUIRE_OK;
  if (css && !(w->css = strdup(css)))
    rc = QUIRE_ERR;
  if (embed && !(w->embed = strdup(embed)))
    rc = QUIRE_ERR;
  if (rc == QUIRE_OK && !(w->render = html_render_new()))
    rc = QUIRE_ERR;
  if (rc == QUIRE_OK && !embed)
    rc = open_media(w, opts);
  if (rc == QUIRE_OK && !(w->page = new_writer(w, to_output)))
    rc = QUIRE_ERR;
  w->body = w->page;
  if (rc == QUIRE_OK && w->embed)
    rc = start_hidden_wrapper(w);
  if (rc == QUIRE_OK && w->toc) {
    w->spool = temp_file_stream();
    if (!w->spool) {
      int err = errno;
      char what[512];
      snprintf(what, sizeof what, "cannot make a temporary file in %s for "
               "the articles", temp_file_dir());
      error_errno(w, what, err);
      html_write_close(env, w, 0);
      return QUIRE_FATAL;
    }
    if (!(w->body = new_writer(w, to_spool)))
      rc = QUIRE_ERR;
  }
  if (rc == QUIRE_OK && w->holding) {
    if (!(w->hold = new_writer(w, to_hold)))
      rc = QUIRE_ERR;
    w->body = w->hold;
  }
  if (rc != QUIRE_OK) {
    svc->error(env, NULL, "out of memory");
    html_write_close(env, w, 0);
    return QUIRE_FATAL;
  }
  *state = w;
  return QUIRE_OK;
}

int html_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state) {
  return open_writer(env, out, opts, corpus, 0, state);
}

int xhtml_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state) {
  return open_writer(env, out, opts, corpus, 1, state);
}

/* ---- The page's metadata ------------------------------------------------- */

static int keep_meta(html_writer *w, const char *key, const char *value) {
  char **m = realloc(w->meta, (w->n_meta + 2) * sizeof *m);
  if (!m)
    return QUIRE_ERR;
  w->meta = m;
  m[w->n_meta] = strdup(key);
  m[w->n_meta + 1] = strdup(value);
  w->n_meta += 2;
  return m[w->n_meta - 2] && m[w->n_meta - 1] ? QUIRE_OK : QUIRE_ERR;
}

/* Copies each head key from the corpus metadata or, when the corpus has
 * none, from the first document (doc may be NULL). */
static int collect_meta(html_writer *w, const quire_doc *doc) {
  for (size_t k = 0; k < sizeof page_keys / sizeof *page_keys; k++) {
    const quire_meta *list = w->env->svc->meta_get(w->corpus, page_keys[k])
                                 ? w->corpus
                                 : doc ? doc->meta : NULL;
    for (const quire_meta *m = list; m; m = m->next)
      if (strcmp(m->key, page_keys[k]) == 0 && m->value[0] &&
          keep_meta(w, m->key, m->value) != QUIRE_OK)
        return QUIRE_ERR;
  }
  return QUIRE_OK;
}

static const char *page_meta(const html_writer *w, const char *key) {
  for (size_t i = 0; i < w->n_meta; i += 2)
    if (strcmp(w->meta[i], key) == 0)
      return w->meta[i + 1];
  return NULL;
}

static int lang_attrs(html_writer *w, xmlTextWriterPtr t, const char *lang) {
  return attr(w, t, "lang", lang) ||
         (w->xhtml && attr(w, t, "xml:lang", lang));
}

static int epub_namespace(html_writer *w, xmlTextWriterPtr t) {
  return attr(w, t, "xmlns:epub", "http://www.idpf.org/2007/ops");
}

static int meta_tag(html_writer *w, const char *name, const char *content) {
  xmlTextWriterPtr t = w->page;
  return start(t, "meta") || attr(w, t, "name", name) ||
         attr(w, t, "content", content) || xmlTextWriterEndElement(t) < 0 ||
         raw(t, "\n");
}

/* The page's title (see the top of this file), or NULL for "Untitled":
 * --title; for one document, its own; else the collection's name; else
 * the output file's name. */
static const char *page_title(html_writer *w, char *buf, size_t n) {
  if (w->given)
    return w->given;
  const char *own = page_meta(w, QUIRE_META_TITLE);
  if (w->docs == 1 && own)
    return own;
  const char *collection = w->env->svc->meta_get(w->corpus, "collection");
  if (collection && collection[0])
    return collection;
  return lead_output_stem(w->env->svc, w->out, buf, n);
}

/* The text of the level-1 heading the document starts with (inside its
 * first sections and divs), blanks collapsed, in *out (NULL when it starts
 * otherwise).  QUIRE_OK, or QUIRE_ERR when memory is exhausted. */
static int leading_h1(html_writer *w, const quire_doc *doc, char **out) {
  int level;
  if (lead_heading(w->env->svc, doc, out, &level) != 0)
    return QUIRE_ERR;
  if (level != 1) {
    free(*out);
    *out = NULL;
  }
  return QUIRE_OK;
}

/* The visible title at the top of the body, pandoc's title block: with
 * --title, or for a page of several documents, unless the first document
 * starts with a level-1 heading of the same text. */
static int write_title_block(html_writer *w, const char *title) {
  if (!title || w->fragment || w->embed || (!w->given && w->docs < 2))
    return QUIRE_OK;
  char *same = lead_collapse(title, strlen(title));
  if (!same)
    return QUIRE_ERR;
  int skip = w->first_h1 && strcmp(same, w->first_h1) == 0;
  free(same);
  if (skip)
    return QUIRE_OK;
  xmlTextWriterPtr t = w->page;
  return start(t, "header") || attr(w, t, "id", "title-block-header") ||
                 raw(t, "\n") || start(t, "h1") ||
                 attr(w, t, "class", "title") || text(w, t, title) ||
                 end(t) || raw(t, "\n") || end(t) || raw(t, "\n")
             ? QUIRE_ERR
             : QUIRE_OK;
}

/* Everything before the first article: doctype, <html>, <head>, <body>,
 * and the visible title. */
static int write_head(html_writer *w) {
  xmlTextWriterPtr t = w->page;
  char stem[256];
  const char *title = page_title(w, stem, sizeof stem);
  const char *lang = page_meta(w, QUIRE_META_LANGUAGE);
  if ((w->xhtml && raw(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) ||
      xmlTextWriterWriteDTD(t, BAD_CAST "html", NULL, NULL, NULL) < 0 ||
      raw(t, "\n") || start(t, "html") ||
      (w->xhtml && attr(w, t, "xmlns", "http://www.w3.org/1999/xhtml")) ||
      (w->epub_notes && epub_namespace(w, t)) ||
      (lang && lang_attrs(w, t, lang)) || raw(t, "\n") || start(t, "head") ||
      raw(t, "\n") || start(t, "meta") || attr(w, t, "charset", "utf-8") ||
      xmlTextWriterEndElement(t) < 0 || raw(t, "\n") ||
      meta_tag(w, "viewport", "width=device-width, initial-scale=1") ||
      start(t, "title") || text(w, t, title ? title : "Untitled") || end(t) ||
      raw(t, "\n"))
    return QUIRE_ERR;
  for (size_t i = 0; i < w->n_meta; i += 2) {
    const char *key = w->meta[i];
    if (strcmp(key, QUIRE_META_TITLE) != 0 &&
        strcmp(key, QUIRE_META_LANGUAGE) != 0 &&
        meta_tag(w, key, w->meta[i + 1]))
      return QUIRE_ERR;
  }
  if (w->css) {
    if (start(t, "link") || attr(w, t, "rel", "stylesheet") ||
        attr(w, t, "href", w->css) || xmlTextWriterEndElement(t) < 0)
      return QUIRE_ERR;
  } else if (start(t, "style") || raw(t, "\n") || raw(t, stylesheet) ||
             end(t))
    return QUIRE_ERR;
  return raw(t, "\n") || end(t) || raw(t, "\n") || start(t, "body") ||
                 raw(t, "\n") || write_title_block(w, title)
             ? QUIRE_ERR
             : QUIRE_OK;
}

/* ---- The table of contents ----------------------------------------------- */

static int keep_text(html_writer *w, const char *s, size_t n, size_t *at) {
  if (w->toc_len + n + 1 > w->toc_cap) {
    size_t cap = w->toc_cap ? w->toc_cap : 1024;
    while (cap < w->toc_len + n + 1)
      cap *= 2;
    char *p = realloc(w->toc_text, cap);
    if (!p)
      return QUIRE_ERR;
    w->toc_text = p;
    w->toc_cap = cap;
  }
  memcpy(w->toc_text + w->toc_len, s, n);
  w->toc_text[w->toc_len + n] = '\0';
  *at = w->toc_len;
  w->toc_len += n + 1;
  return QUIRE_OK;
}

static int add_entry(html_writer *w, int level, const char *id,
                     const char *s, size_t n) {
  if (w->n_entries == w->cap_entries) {
    size_t cap = w->cap_entries ? w->cap_entries * 2 : 64;
    toc_entry *e = realloc(w->entries, cap * sizeof *e);
    if (!e)
      return QUIRE_ERR;
    w->entries = e;
    w->cap_entries = cap;
  }
  toc_entry *e = &w->entries[w->n_entries];
  e->level = level;
  e->doc = w->docs;
  if (keep_text(w, id, strlen(id), &e->id) || keep_text(w, s, n, &e->text))
    return QUIRE_ERR;
  w->n_entries++;
  return QUIRE_OK;
}

/* The text without leading and trailing blanks. */
static const char *trim(const char *s, size_t *n) {
  while (*n && (*s == ' ' || *s == '\n' || *s == '\t'))
    s++, (*n)--;
  while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\n' || s[*n - 1] == '\t'))
    (*n)--;
  return s;
}

/* The renderer's heading callback: one TOC entry per heading, but not for a
 * first level-1 heading that repeats the article's title. */
static int on_heading(void *user, int level, const char *id, const char *s,
                      size_t n) {
  html_writer *w = user;
  s = trim(s, &n);
  const char *title = w->toc_text + w->title;
  if (!n || (++w->headings == 1 && level == 1 && strlen(title) == n &&
             memcmp(title, s, n) == 0))
    return QUIRE_OK;
  return add_entry(w, level, id, s, n);
}

static int toc_link(html_writer *w, const toc_entry *e) {
  xmlTextWriterPtr t = w->page;
  size_t n = strlen(w->toc_text + e->id);
  char *href = malloc(n + 2);
  if (!href)
    return 1;
  href[0] = '#';
  memcpy(href + 1, w->toc_text + e->id, n + 1);
  int rc = start(t, "li") || start(t, "a") || attr(w, t, "href", href) ||
           text(w, t, w->toc_text + e->text) || end(t);
  free(href);
  return rc;
}

/* An article's headings, entries[first..last), as nested lists. */
static int toc_headings(html_writer *w, size_t first, size_t last) {
  xmlTextWriterPtr t = w->page;
  int levels[8];
  int depth = 0;
  if (raw(t, "\n") || start(t, "ol") || raw(t, "\n"))
    return 1;
  for (size_t i = first; i < last; i++) {
    int level = w->entries[i].level;
    if (depth && level > levels[depth - 1] && depth < 7) {
      if (raw(t, "\n") || start(t, "ol") || raw(t, "\n"))
        return 1;
      levels[depth++] = level;
    } else if (depth) {
      if (end(t) || raw(t, "\n"))
        return 1;
      while (depth > 1 && level < levels[depth - 1]) {
        if (end(t) || raw(t, "\n") || end(t) || raw(t, "\n"))
          return 1;
        depth--;
      }
    } else
      levels[depth++] = level;
    if (toc_link(w, &w->entries[i]))
      return 1;
  }
  for (; depth > 0; depth--)
    if (end(t) || raw(t, "\n") || (depth > 1 && (end(t) || raw(t, "\n"))))
      return 1;
  return end(t) || raw(t, "\n");
}

static int write_toc(html_writer *w) {
  xmlTextWriterPtr t = w->page;
  if (start(t, "nav") || attr(w, t, "role", "doc-toc") ||
      attr(w, t, "aria-labelledby", "toc-title") || raw(t, "\n") ||
      start(t, "h2") || attr(w, t, "id", "toc-title") ||
      text(w, t, "Contents") || end(t) || raw(t, "\n") || start(t, "ol") ||
      raw(t, "\n"))
    return QUIRE_ERR;
  for (size_t i = 0; i < w->n_entries;) {
    size_t last = i + 1;
    while (last < w->n_entries && w->entries[last].level > 0)
      last++;
    if (toc_link(w, &w->entries[i]) ||
        (last > i + 1 && toc_headings(w, i + 1, last)) || end(t) ||
        raw(t, "\n"))
      return QUIRE_ERR;
    i = last;
  }
  return end(t) || raw(t, "\n") || end(t) || raw(t, "\n") ? QUIRE_ERR
                                                           : QUIRE_OK;
}

/* Copies a temporary file to the output, after what page has written;
 * a failure to read it goes to *err. */
static int copy_file(html_writer *w, FILE *f, int *err) {
  if (xmlTextWriterFlush(w->page) < 0 || broken(w))
    return QUIRE_ERR;
  if (fflush(f) != 0) {
    *err = errno ? errno : EIO;
    return QUIRE_ERR;
  }
  rewind(f);
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (w->env->svc->output_write(w->env, w->out, buf, n) != QUIRE_OK) {
      w->out_failed = 1;
      return QUIRE_ERR;
    }
  if (ferror(f)) {
    *err = errno ? errno : EIO;
    return QUIRE_ERR;
  }
  return QUIRE_OK;
}

/* Copies the spooled articles to the output, after what page has written. */
static int copy_spool(html_writer *w) {
  return copy_file(w, w->spool, &w->spool_errno);
}

/* The page's title is known (a second document came, or the page ends):
 * writes the head and the title block, then the held first article; the
 * articles after it go straight to the output. */
static int release_hold(html_writer *w) {
  if (xmlTextWriterFlush(w->hold) < 0 || broken(w) ||
      write_head(w) != QUIRE_OK)
    return QUIRE_ERR;
  int rc = QUIRE_OK;
  if (w->held_file)
    rc = copy_file(w, w->held_file, &w->hold_errno);
  else if (xmlTextWriterFlush(w->page) < 0 || broken(w))
    rc = QUIRE_ERR;
  else if (w->held_len &&
           w->env->svc->output_write(w->env, w->out, w->held, w->held_len) !=
               QUIRE_OK) {
    w->out_failed = 1;
    rc = QUIRE_ERR;
  }
  w->holding = 0;
  w->body = w->page;
  free(w->held);
  w->held = NULL;
  w->held_len = w->held_cap = 0;
  if (w->held_file) {
    fclose(w->held_file);
    w->held_file = NULL;
  }
  return rc;
}

/* ---- Documents ----------------------------------------------------------- */

static int start_page(html_writer *w, const quire_doc *doc) {
  w->started = 1;
  if (collect_meta(w, doc) != QUIRE_OK ||
      (doc && leading_h1(w, doc, &w->first_h1) != QUIRE_OK))
    return QUIRE_ERR;
  if (w->fragment || w->toc || w->holding)
    return QUIRE_OK;
  return write_head(w);
}

/* What the renderer's counts were before a document, for its warnings. */
static html_lost counts_now(const html_writer *w) {
  return (html_lost){html_render_dropped(w->render),
                     html_render_missing(w->render),
                     html_render_unsafe(w->render)};
}

/* What the renderer dropped or left out since `before`. */
static html_lost counts_since(const html_writer *w, html_lost before) {
  html_lost now = counts_now(w);
  return (html_lost){now.dropped - before.dropped,
                     now.missing - before.missing,
                     now.unsafe - before.unsafe};
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* Warns of what the renderer dropped or left out of doc. */
static void warn_lost(html_writer *w, const quire_doc *doc,
                      const html_lost *lost) {
  const quire_services *svc = w->env->svc;
  quire_loc loc = {.file = svc->meta_get(doc->meta, QUIRE_META_SOURCE)};
  size_t n = lost->dropped;
  if (n)
    svc->warn(w->env, &loc, "%zu character%s that %s cannot hold (control "
                            "characters, invalid UTF-8) dropped",
              n, plural(n), w->xhtml ? "XHTML" : "HTML");
  if ((n = lost->missing))
    svc->warn(w->env, &loc, "%zu image%s whose file the document does not "
                            "hold written as %s alt text",
              n, plural(n), n == 1 ? "its" : "their");
  if ((n = lost->unsafe))
    svc->warn(w->env, &loc, "%zu attribute%s, link%s or raw HTML that could "
                            "run script left out (event handlers, "
                            "javascript: URLs)",
              n, plural(n), plural(n));
}

html_render_opts html_page_opts(int xhtml, int epub_notes, int embed,
                                html_media *media) {
  return (html_render_opts){
      .xhtml = xhtml,
      .epub_notes = epub_notes,
      .epub_ns = xhtml && (embed || epub_notes),
      .page_ids = !embed,
      .media = media};
}

/* The rendering options every document shares. */
static html_render_opts render_opts(const html_writer *w) {
  return html_page_opts(w->xhtml, w->epub_notes, w->embed != NULL, w->media);
}

/* --embed: the blocks alone, as html_render_doc writes them. */
static int embed_doc(html_writer *w, const quire_doc *doc) {
  html_lost before = counts_now(w);
  /* The first document's headings are PREFIX-hN and its notes PREFIX-fnN
   * (what a container that embeds one document at a time relies on);
   * later documents' are PREFIX-dM-hN and PREFIX-dM-fnN, so ids stay
   * unique in one output. */
  size_t n = strlen(w->embed) + 24;
  char *prefix = malloc(n), *notes = malloc(n + 1);
  if (!prefix || !notes) {
    free(prefix);
    free(notes);
    return failed(w);
  }
  if (++w->docs > 1)
    snprintf(prefix, n, "%s-d%u", w->embed, w->docs);
  else
    snprintf(prefix, n, "%s", w->embed);
  snprintf(notes, n + 1, "%s-", prefix);
  html_render_opts o = render_opts(w);
  o.id_prefix = prefix;
  o.note_prefix = notes;
  int rendered = html_render_doc(w->env, w->render, w->page, doc, &o);
  free(prefix);
  free(notes);
  if (rendered == QUIRE_FATAL)
    return QUIRE_FATAL;
  if (rendered != QUIRE_OK || xmlTextWriterFlush(w->page) < 0 || broken(w))
    return failed(w);
  html_lost lost = counts_since(w, before);
  warn_lost(w, doc, &lost);
  return QUIRE_OK;
}

/* ---- Articles, for html_write_doc and html_write_part.c -------------------- */

int html_page_plain(const html_writer *w) { return !w->embed && !w->toc; }

unsigned html_page_next(const html_writer *w) { return w->docs + 1; }

html_render *html_page_render(html_writer *w) { return w->render; }

int html_page_failed(html_writer *w) { return failed(w); }

void html_article_names(unsigned number, html_article *a) {
  snprintf(a->id, sizeof a->id, "doc-%u", number);
  /* Notes: pandoc's ids (fn1, fnref1, footnotes) in the first article,
   * doc-N-fn1 ... in the others, so that ids stay unique in the page. */
  a->notes[0] = '\0';
  if (number > 1)
    snprintf(a->notes, sizeof a->notes, "%s-", a->id);
}

int html_article_open(html_writer *w, const quire_doc *doc, html_article *a) {
  if (!w->started && start_page(w, doc) != QUIRE_OK)
    return failed(w);
  const quire_services *svc = w->env->svc;
  html_article_names(++w->docs, a);
  if (w->holding && w->docs == 2 && release_hold(w) != QUIRE_OK)
    return failed(w);
  const char *lang = svc->meta_get(doc->meta, QUIRE_META_LANGUAGE);
  const char *page_lang = page_meta(w, QUIRE_META_LANGUAGE);
  xmlTextWriterPtr t = a->t = w->body;
  if (start(t, "article") || attr(w, t, "id", a->id) ||
      (w->fragment && w->epub_notes && epub_namespace(w, t)) ||
      (lang && (!page_lang || strcmp(lang, page_lang) != 0) &&
       lang_attrs(w, t, lang)) ||
      /* no language known: not the page's either (HTML's lang="") */
      (!lang && page_lang && lang_attrs(w, t, "")) ||
      raw(t, "\n"))
    return failed(w);
  if (w->toc) {
    const char *title = svc->meta_get(doc->meta, QUIRE_META_TITLE);
    char fallback[32];
    if (!title || !title[0]) {
      snprintf(fallback, sizeof fallback, "Document %u", w->docs);
      title = fallback;
    }
    if (add_entry(w, 0, a->id, title, strlen(title)) != QUIRE_OK)
      return failed(w);
    w->title = w->entries[w->n_entries - 1].text;
    w->headings = 0;
  }
  if (w->media)
    html_media_next_doc(w->media);
  return QUIRE_OK;
}

int html_article_write(html_writer *w, const html_article *a, const char *s,
                       size_t n) {
  /* What the writer holds goes first; then the bytes straight to where
   * it writes (the page or the hold: parts are not made with --toc),
   * without a copy into its buffer. */
  if (xmlTextWriterFlush(a->t) < 0)
    return QUIRE_ERR;
  xmlOutputWriteCallback sink = a->t == w->hold ? to_hold
                                : a->t == w->page ? to_output
                                                  : to_spool;
  while (n) {
    int len = n > INT_MAX ? INT_MAX : (int)n;
    sink(w, s, len);
    s += len;
    n -= (size_t)len;
  }
  return broken(w) ? QUIRE_ERR : QUIRE_OK;
}

int html_article_close(html_writer *w, const quire_doc *doc,
                       const html_article *a, const html_lost *lost) {
  if (end(a->t) || raw(a->t, "\n") || xmlTextWriterFlush(a->t) < 0 ||
      broken(w))
    return failed(w);
  warn_lost(w, doc, lost);
  return QUIRE_OK;
}

int html_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  html_writer *w = state;
  xml_memory_watch();
  if (w->embed)
    return embed_doc(w, doc);
  html_article a;
  int rc = html_article_open(w, doc, &a);
  if (rc != QUIRE_OK)
    return rc;
  html_lost before = counts_now(w);
  html_render_opts o = render_opts(w);
  o.id_prefix = a.id;
  o.note_prefix = a.notes;
  o.on_heading = w->toc ? on_heading : NULL;
  o.user = w;
  int rendered = html_render_doc(env, w->render, a.t, doc, &o);
  if (rendered == QUIRE_FATAL)
    return QUIRE_FATAL;
  if (rendered != QUIRE_OK)
    return failed(w);
  html_lost lost = counts_since(w, before);
  return html_article_close(w, doc, &a, &lost);
}

static int finish_page(html_writer *w) {
  if (w->embed)   /* nothing after the documents */
    return xmlTextWriterFlush(w->page) < 0 || broken(w) ? QUIRE_ERR
                                                         : QUIRE_OK;
  if (!w->started && start_page(w, NULL) != QUIRE_OK)
    return QUIRE_ERR;
  if (w->holding && release_hold(w) != QUIRE_OK)
    return QUIRE_ERR;
  if (w->toc) {
    if (xmlTextWriterFlush(w->body) < 0 ||
        (!w->fragment && write_head(w) != QUIRE_OK) ||
        (w->n_entries && write_toc(w) != QUIRE_OK) || copy_spool(w) != QUIRE_OK)
      return QUIRE_ERR;
  }
  if (!w->fragment && (end(w->page) || raw(w->page, "\n") || end(w->page) ||
                       raw(w->page, "\n")))
    return QUIRE_ERR;
  return xmlTextWriterFlush(w->page) < 0 || broken(w) ? QUIRE_ERR : QUIRE_OK;
}

int html_write_close(quire_env *env, void *state, int ok) {
  html_writer *w = state;
  (void)env;   /* the same as w->env, from open to close */
  int rc = QUIRE_OK;
  if (ok && finish_page(w) != QUIRE_OK)
    rc = failed(w);
  /* The page is whole: its images go into place. */
  if (ok && rc == QUIRE_OK && w->media)
    rc = html_media_commit(w->media);
  html_media_free(w->media);
  w->discard = 1;
  if (w->body && w->body != w->page && w->body != w->hold)
    xmlFreeTextWriter(w->body);
  if (w->hold)
    xmlFreeTextWriter(w->hold);
  if (w->held_file)
    fclose(w->held_file);
  free(w->held);
  free(w->first_h1);
  if (w->page)
    xmlFreeTextWriter(w->page);
  if (w->spool)
    fclose(w->spool);
  for (size_t i = 0; i < w->n_meta; i++)
    free(w->meta[i]);
  free(w->meta);
  free(w->entries);
  free(w->toc_text);
  free(w->css);
  free(w->embed);
  html_render_free(w->render);
  free(w);
  return rc;
}
