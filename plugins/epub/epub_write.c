/* epub_write.c - documents as one EPUB 3 book, a chapter each.
 *
 * Documents arrive one at a time.  Each is rendered at once: epub writes
 * the chapter's page around it, and the core's xhtml writer its body
 * (svc->render_*, --embed), the bytes hashed for the default identifier
 * and deflated on the way to a spool file; only its title, its place in
 * the spool and the headings the TOC lists stay in memory.  One spool for
 * all chapters, not a file each: creating thousands of files cost more
 * than the rest of the conversion.
 * write_close adds the package files (OPF, nav, NCX) to the spool and puts
 * everything into the ZIP container, mimetype first (epub_zip.c).
 *
 * The spool is made in a private folder (mkdtemp) and unlinked, with the
 * folder, at once: it has no name while it is used, so that however the
 * process ends, even by a signal, it leaves nothing in TMPDIR.  See
 * docs/formats/epub.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "epub_write.h"

/* Light touches only, so that the reading system's own settings (font,
 * size, night mode) win. */
static const char default_css[] =
    "body { margin: 0 1em; line-height: 1.5; }\n"
    "h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.2em 0 0.5em; "
    "page-break-after: avoid; }\n"
    "h1 { font-size: 1.6em; } h2 { font-size: 1.35em; } "
    "h3 { font-size: 1.15em; } h4, h5, h6 { font-size: 1em; }\n"
    "p { margin: 0 0 0.8em; }\n"
    "blockquote { margin: 0 0 0.8em 1em; padding-left: 0.8em; "
    "border-left: 3px solid #999; }\n"
    "pre { white-space: pre-wrap; font-size: 0.85em; }\n"
    "code, pre { font-family: monospace; }\n"
    "img { max-width: 100%; height: auto; }\n"
    "table { border-collapse: collapse; margin: 0 0 1em; }\n"
    "th, td { border: 1px solid #999; padding: 0.2em 0.5em; "
    "vertical-align: top; }\n"
    "hr { border: 0; border-top: 1px solid #999; margin: 1.5em 0; }\n"
    "nav ol { list-style: none; padding-left: 1em; }\n";

static const char mimetype[] = "application/epub+zip";

/* Entry dates without SOURCE_DATE_EPOCH: 1980-01-01T00:00:00Z, the first
 * DOS date, so that only dcterms:modified differs between two builds. */
#define FIXED_MTIME ((time_t)315532800)

typedef struct epub_writer {
  quire_env *env;
  quire_output *out;
  const quire_meta *corpus;
  /* Options. */
  int toc_depth;
  char *css;                  /* --css contents, NULL for the default */
  size_t css_len;
  char *cover;                /* --cover-image path */
  const char *cover_type, *cover_ext;
  char *identifier;           /* --identifier */
  time_t build_time;
  int reproducible;           /* SOURCE_DATE_EPOCH was set */
  /* Work. */
  char *spool_path;           /* the spool's name, for messages */
  FILE *spool;                /* the chapters back to back; unlinked */
  epub_deflater *dz;          /* compresses into the spool */
  epub_text text;             /* for epub's own XML */
  epub_heading_buf heading;   /* the text of a chapter's heading */
  struct sha256_ctx sha;            /* of every chapter's bytes */
  epub_pool pool;
  unsigned n_chapters;
  size_t *titles;             /* per chapter, pool offsets */
  size_t cap_titles;
  epub_span *spans;           /* per chapter, its place in the spool */
  size_t cap_spans;
  epub_span pkg[5];           /* container, OPF, nav, NCX, cover page */
  epub_heading *headings;
  size_t n_headings, cap_headings;
  epub_refs refs;
  /* Metadata gathered from the documents. */
  unsigned docs;
  size_t first_title, first_date;   /* pool offset + 1, 0 when none */
  size_t *authors;                  /* pool offsets, first seen first */
  size_t n_authors, cap_authors;
  epub_map author_set;
  unsigned chapter_headings;  /* so far in the chapter being rendered */
} epub_writer;

/* Every failure of the writer leaves the book unfinished: QUIRE_FATAL. */
static int oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* Makes room for one more element in an array of *cap elements of sz
 * bytes holding n; returns the array (maybe moved), NULL when out of
 * memory (the old array is then still valid). */
static void *room(void *arr, size_t *cap, size_t n, size_t sz) {
  if (n < *cap)
    return arr;
  size_t c = *cap ? *cap * 2 : 64;
  void *q = realloc(arr, c * sz);
  if (q)
    *cap = c;
  return q;
}

/* ---- Temporary files ----------------------------------------------------- */

/* A new private folder under $TMPDIR (or /tmp), in a malloc'd string;
 * NULL with the message set. */
static char *private_dir(quire_env *env) {
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp)
    tmp = "/tmp";
  size_t n = strlen(tmp) + sizeof "/quire-epub-XXXXXX";
  char *dir = malloc(n);
  if (!dir) {
    oom(env);
    return NULL;
  }
  snprintf(dir, n, "%s/quire-epub-XXXXXX", tmp);
  if (!mkdtemp(dir)) {
    quire_loc loc = {.file = tmp};
    env->svc->error(env, &loc, "cannot make a temporary folder: %s",
                    strerror(errno));
    free(dir);
    return NULL;
  }
  return dir;
}

/* DIR/name in a malloc'd string, or NULL. */
static char *in_dir(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  if (path)
    snprintf(path, n, "%s/%s", dir, name);
  return path;
}

/* Opens the spool: created in a private folder, then unlinked with it. */
static int open_spool(quire_env *env, epub_writer *w) {
  char *dir = private_dir(env);
  if (!dir)
    return QUIRE_FATAL;
  int rc = QUIRE_OK;
  if (!(w->spool_path = in_dir(dir, "chapters")))
    rc = oom(env);
  else if (!(w->spool = fopen(w->spool_path, "w+b"))) {
    quire_loc loc = {.file = w->spool_path};
    env->svc->error(env, &loc, "cannot create: %s", strerror(errno));
    rc = QUIRE_FATAL;
  } else
    unlink(w->spool_path);
  rmdir(dir);
  free(dir);
  if (rc == QUIRE_OK && !(w->dz = epub_deflater_new(w->spool)))
    rc = oom(env);
  return rc;
}

static void close_spool(epub_writer *w) {
  epub_deflater_free(w->dz);
  w->dz = NULL;
  if (w->spool)
    fclose(w->spool);
  w->spool = NULL;
  free(w->spool_path);
  w->spool_path = NULL;
}

/* Says why writing the spool failed (errno) and returns QUIRE_FATAL. */
static int spool_failed(epub_writer *w) {
  quire_loc loc = {.file = w->spool_path};
  w->env->svc->error(w->env, &loc, "cannot write this temporary file: %s",
                     strerror(errno));
  return QUIRE_FATAL;
}

/* ---- Options -------------------------------------------------------------- */

/* Reads a whole file of at most `limit` bytes; errno set on failure. */
static int read_file(const char *path, uint64_t limit, char **buf,
                     size_t *len) {
  /* A regular file only: opening a FIFO would block. */
  struct stat st;
  if (stat(path, &st) != 0)
    return QUIRE_ERR;
  if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > limit) {
    errno = S_ISDIR(st.st_mode) ? EISDIR : !S_ISREG(st.st_mode) ? EINVAL
                                                                 : EFBIG;
    return QUIRE_ERR;
  }
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return QUIRE_ERR;
  *len = (size_t)st.st_size;
  *buf = malloc(*len + 1);
  if (!*buf || fread(*buf, 1, *len, fp) != *len) {
    int e = *buf ? (errno ? errno : EIO) : ENOMEM;
    free(*buf);
    *buf = NULL;
    fclose(fp);
    errno = e;
    return QUIRE_ERR;
  }
  fclose(fp);
  return QUIRE_OK;
}

static int take_options(quire_env *env, epub_writer *w,
                        const quire_options *opts) {
  const quire_services *svc = env->svc;
  const char *depth = svc->option(opts, "toc-depth");
  w->toc_depth = 2;
  if (depth) {
    if (depth[0] < '0' || depth[0] > '6' || depth[1])
      return svc->usage_error(env, "--toc-depth wants a number from 0 to 6, "
                                   "not '%s'", depth);
    w->toc_depth = depth[0] - '0';
  }
  const char *css = svc->option(opts, "css");
  if (css && read_file(css, svc->limit(env, "max-input-size"), &w->css,
                       &w->css_len) != QUIRE_OK)
    return svc->usage_error(env, "--css: cannot read %s: %s", css,
                            strerror(errno));
  const char *cover = svc->option(opts, "cover-image");
  if (cover) {
    unsigned char head[16];
    size_t got = 0;
    struct stat st;
    FILE *fp = NULL;
    int usable = stat(cover, &st) == 0;
    if (usable && !S_ISREG(st.st_mode)) {   /* a FIFO would block */
      usable = 0;
      errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    }
    if (usable && (fp = fopen(cover, "rb")) != NULL) {
      got = fread(head, 1, sizeof head, fp);
      fclose(fp);
    }
    if (!fp)
      return svc->usage_error(env, "--cover-image: cannot read %s: %s", cover,
                              strerror(errno));
    w->cover_type = epub_image_type(head, got, &w->cover_ext);
    if (!w->cover_type || strcmp(w->cover_ext, "gif") == 0)
      return svc->usage_error(env, "--cover-image: %s is neither a JPEG nor "
                                   "a PNG image", cover);
    if (!(w->cover = strdup(cover)))
      return oom(env);
  }
  const char *id = svc->option(opts, "identifier");
  if (id && !id[0])
    return svc->usage_error(env, "--identifier wants a value");
  if (id && !(w->identifier = strdup(id)))
    return oom(env);
  return QUIRE_OK;
}

/* The corpus metadata that goes into the package as it is must be valid. */
static int check_corpus(quire_env *env, const quire_meta *corpus) {
  const char *lang = env->svc->meta_get(corpus, QUIRE_META_LANGUAGE);
  if (lang && !epub_bcp47_ok(lang))
    return env->svc->usage_error(env, "--lang: '%s' is not a BCP 47 language "
                                      "tag (such as en, en-GB, pt-BR, "
                                      "zh-Hant)", lang);
  const char *date = env->svc->meta_get(corpus, QUIRE_META_DATE);
  if (date && !epub_w3c_date_ok(date))
    return env->svc->usage_error(env, "date '%s' is not a W3C date (YYYY, "
                                      "YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)",
                                 date);
  return QUIRE_OK;
}

static void free_writer(epub_writer *w) {
  close_spool(w);
  free(w->css);
  free(w->cover);
  free(w->identifier);
  xml_text_free(&w->text);
  free(w->heading.text);
  free(w->pool.buf);
  free(w->titles);
  free(w->spans);
  free(w->headings);
  epub_refs_free(&w->refs);
  free(w->authors);
  epub_map_free(&w->author_set);
  free(w);
}

int epub_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state) {
  epub_writer *w = calloc(1, sizeof *w);
  if (!w)
    return oom(env);
  w->env = env;
  w->out = out;
  w->corpus = corpus;
  sha256_init(&w->sha);
  int rc = take_options(env, w, opts);
  if (rc == QUIRE_OK)
    rc = check_corpus(env, corpus);
  if (rc == QUIRE_OK &&
      epub_build_time(&w->build_time, &w->reproducible) != QUIRE_OK) {
    env->svc->error(env, NULL, "SOURCE_DATE_EPOCH is not a number of "
                               "seconds since 1970: '%s'",
                    getenv("SOURCE_DATE_EPOCH"));
    rc = QUIRE_FATAL;
  }
  if (rc == QUIRE_OK)
    rc = open_spool(env, w);
  if (rc != QUIRE_OK) {
    free_writer(w);
    return rc;
  }
  *state = w;
  return QUIRE_OK;
}

/* ---- Chapters ------------------------------------------------------------- */

static const char *book_language(const epub_writer *w) {
  const char *lang = w->env->svc->meta_get(w->corpus, QUIRE_META_LANGUAGE);
  return lang ? lang : "en";
}

/* Keeps what the book's metadata may take from a document: the first
 * one's title and date, and every new author. */
static int gather_meta(epub_writer *w, const quire_doc *doc) {
  const quire_services *svc = w->env->svc;
  if (w->docs++ == 0) {
    const char *title = svc->meta_get(doc->meta, QUIRE_META_TITLE);
    const char *date = svc->meta_get(doc->meta, QUIRE_META_DATE);
    size_t at;
    if (title && title[0]) {
      if (epub_pool_add(&w->pool, title, strlen(title), &at))
        return QUIRE_FATAL;
      w->first_title = at + 1;
    }
    if (date && date[0]) {
      if (epub_pool_add(&w->pool, date, strlen(date), &at))
        return QUIRE_FATAL;
      w->first_date = at + 1;
    }
  }
  for (const quire_meta *m = doc->meta; m; m = m->next) {
    if (strcmp(m->key, QUIRE_META_AUTHOR) != 0 || !m->value[0] ||
        epub_map_get(&w->author_set, &w->pool, m->value) >= 0)
      continue;
    size_t *a = room(w->authors, &w->cap_authors, w->n_authors, sizeof *a);
    if (!a)
      return QUIRE_FATAL;
    w->authors = a;
    if (epub_map_put(&w->author_set, &w->pool, m->value, w->n_authors,
                     &a[w->n_authors]))
      return QUIRE_FATAL;
    w->n_authors++;
  }
  return QUIRE_OK;
}

/* The text without blanks at its ends. */
static const char *trim(const char *s, size_t *n) {
  while (*n && (*s == ' ' || *s == '\n' || *s == '\t'))
    s++, (*n)--;
  while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\n' || s[*n - 1] == '\t'))
    (*n)--;
  return s;
}

/* Called for each heading of the chapter (epub_headings): keeps the
 * headings the TOC lists, but not a first level-1 heading that repeats the
 * chapter's title. */
static int on_heading(void *user, int level, const char *id, const char *s,
                      size_t n) {
  epub_writer *w = user;
  s = trim(s, &n);
  const char *title = epub_pool_str(&w->pool, w->titles[w->n_chapters - 1]);
  if (++w->chapter_headings == 1 && level == 1 && strlen(title) == n &&
      memcmp(title, s, n) == 0)
    return QUIRE_OK;
  if (!n || !id || level > w->toc_depth)
    return QUIRE_OK;
  epub_heading h = {w->n_chapters, level, 0, 0};
  epub_heading *all = room(w->headings, &w->cap_headings, w->n_headings,
                           sizeof *all);
  if (all)
    w->headings = all;
  if (!all || epub_pool_add(&w->pool, id, strlen(id), &h.id) ||
      epub_pool_add(&w->pool, s, n, &h.text))
    return oom(w->env);
  w->headings[w->n_headings++] = h;
  return QUIRE_OK;
}

/* The chapter's language: the document's, when it is a BCP 47 tag. */
static const char *chapter_language(epub_writer *w, const quire_doc *doc,
                                    const quire_loc *loc) {
  const char *lang = w->env->svc->meta_get(doc->meta, QUIRE_META_LANGUAGE);
  if (lang && epub_bcp47_ok(lang))
    return lang;
  if (lang)
    w->env->svc->warn(w->env, loc, "language '%s' is not a BCP 47 tag; the "
                                   "book's language '%s' used",
                      lang, book_language(w));
  return book_language(w);
}

/* The chapter's body tells of the characters it dropped itself (the
 * xhtml writer warns); `dropped` counts those of the page around it (the
 * title in <head>). */
static void chapter_warnings(epub_writer *w, const quire_loc *loc,
                             size_t dropped) {
  quire_env *env = w->env;
  if (dropped)
    env->svc->warn(env, loc, "%zu character%s that XHTML cannot hold "
                             "(control characters, invalid UTF-8) dropped",
                   dropped, dropped == 1 ? "" : "s");
  if (w->refs.links_dropped)
    env->svc->warn(env, loc, "%lu link%s to files outside the book kept as "
                             "text only",
                   w->refs.links_dropped, w->refs.links_dropped == 1 ? "" : "s");
  if (w->refs.images_dropped)
    env->svc->warn(env, loc, "%lu image%s the book cannot hold (not a local "
                             "JPEG, PNG or GIF file) replaced by the alt text",
                   w->refs.images_dropped,
                   w->refs.images_dropped == 1 ? "" : "s");
}

/* The chapter's body, written by the xhtml writer through the core: with
 * --embed=PREFIX it writes the blocks alone (no page around them, no
 * <article>), headings with the ids PREFIX-h1, PREFIX-h2, ..., and its
 * bytes join x's entry through the sink as they come.  The result of the
 * render services: failures have their message set. */
static int render_body(epub_writer *w, epub_xml *x, const quire_doc *doc,
                       const char *prefix) {
  const quire_services *svc = w->env->svc;
  const quire_option embed[] = {{"embed", prefix}};
  const quire_options opts = {embed, 1};
  quire_render *r = NULL;
  int rc = svc->render_open(w->env, "xhtml", &opts, NULL, epub_xml_sink, x,
                            &r);
  if (rc < QUIRE_OK)
    return rc;
  rc = svc->render_doc(w->env, r, doc);
  int closed = svc->render_close(w->env, r, rc >= QUIRE_OK, NULL, NULL);
  return rc < QUIRE_OK ? rc : closed;
}

/* Appends doc (as the book can hold it) to the spool as chapter
 * w->n_chapters, and notes where it is and the headings the TOC lists. */
static int render_chapter(epub_writer *w, const quire_doc *doc,
                          const char *title, const char *lang) {
  quire_env *env = w->env;
  char prefix[32];
  snprintf(prefix, sizeof prefix, "ch%03u", w->n_chapters);
  epub_span *spans = room(w->spans, &w->cap_spans, w->n_chapters - 1,
                          sizeof *spans);
  if (!spans)
    return oom(env);
  w->spans = spans;
  w->chapter_headings = 0;
  int rc = epub_headings(env, &w->heading, doc, prefix, on_heading, w);
  if (rc != QUIRE_OK)
    return rc;
  epub_xml x;
  if (epub_deflate_begin(w->dz) != QUIRE_OK ||
      epub_xml_attach(&x, w->dz, &w->text, &w->sha) != QUIRE_OK)
    return errno == ENOMEM ? oom(env) : spool_failed(w);
  /* The page's start is flushed before the body's bytes, which go to the
   * entry directly, so that they follow it. */
  int failed = epub_xhtml_head(&x, lang, title, "../style.css") ||
               epub_xml_raw(&x, "\n") || epub_xml_start(&x, "section") ||
               epub_xml_attr(&x, "epub:type", "chapter") ||
               epub_xml_raw(&x, "\n") || epub_xml_flush(&x);
  int body = failed ? QUIRE_OK : render_body(w, &x, doc, prefix);
  failed = failed || body < QUIRE_OK || epub_xml_end(&x) ||
           epub_xml_raw(&x, "\n") || epub_xhtml_tail(&x);
  if (epub_xml_close(&x) == QUIRE_OK && !failed) {
    if (epub_deflate_end(w->dz, &spans[w->n_chapters - 1]) == QUIRE_OK)
      return QUIRE_OK;
    x.err = errno;
  }
  if (x.err) {   /* the disk, not memory */
    errno = x.err;
    return spool_failed(w);
  }
  /* The render said why it failed; half a chapter is in the spool. */
  return body < QUIRE_OK ? QUIRE_FATAL : oom(env);
}

static int add_chapter(epub_writer *w, const quire_doc *doc,
                       const char *title) {
  quire_env *env = w->env;
  const char *source = env->svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  quire_loc loc = {.file = source};
  quire_doc *copy = NULL;
  const quire_doc *fixed;
  int rc = epub_refs_fix(env, &w->refs, &w->pool, doc, &fixed, &copy);
  if (rc != QUIRE_OK)
    return rc;
  unsigned n = w->n_chapters + 1;
  char fallback[32];
  if (!title || !title[0]) {
    snprintf(fallback, sizeof fallback, "Chapter %u", n);
    title = fallback;
  }
  size_t *titles = room(w->titles, &w->cap_titles, w->n_chapters,
                        sizeof *titles);
  if (titles)
    w->titles = titles;
  if (!titles ||
      epub_pool_add(&w->pool, title, strlen(title), &titles[w->n_chapters])) {
    env->svc->doc_free(copy);
    return oom(env);
  }
  w->n_chapters++;
  size_t dropped = w->text.dropped;
  rc = render_chapter(w, fixed, title, chapter_language(w, doc, &loc));
  env->svc->doc_free(copy);
  if (rc == QUIRE_OK)
    chapter_warnings(w, &loc, w->text.dropped - dropped);
  return rc;
}

int epub_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  epub_writer *w = state;
  w->env = env;
  if (gather_meta(w, doc) != QUIRE_OK)
    return oom(env);
  return add_chapter(w, doc,
                     env->svc->meta_get(doc->meta, QUIRE_META_TITLE));
}

/* ---- Closing the book ------------------------------------------------------- */

static void hash_str(struct sha256_ctx *sha, const char *s) {
  /* with the NUL, as separator */
  sha256_update(sha, strlen(s) + 1, (const uint8_t *)s);
}

static int hash_file(struct sha256_ctx *sha, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return QUIRE_ERR;
  char buf[1 << 15];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
    sha256_update(sha, n, (const uint8_t *)buf);
  int bad = ferror(fp);
  fclose(fp);
  return bad ? QUIRE_ERR : QUIRE_OK;
}

/* The non-empty values of `key` in the corpus metadata, in order, in a
 * malloc'd array in *values (NULL when there are none).  QUIRE_OK, or
 * QUIRE_FATAL when memory ran out. */
static int corpus_values(const quire_meta *corpus, const char *key,
                         const char ***values, size_t *n) {
  *values = NULL;
  *n = 0;
  size_t count = 0;
  for (const quire_meta *m = corpus; m; m = m->next)
    count += strcmp(m->key, key) == 0 && m->value[0];
  if (!count)
    return QUIRE_OK;
  if (!(*values = malloc(count * sizeof **values)))
    return QUIRE_FATAL;
  for (const quire_meta *m = corpus; m; m = m->next)
    if (strcmp(m->key, key) == 0 && m->value[0])
      (*values)[(*n)++] = m->value;
  return QUIRE_OK;
}

/* The first non-empty value of `key` in the corpus metadata, or NULL. */
static const char *corpus_value(const quire_meta *corpus, const char *key) {
  for (const quire_meta *m = corpus; m; m = m->next)
    if (strcmp(m->key, key) == 0 && m->value[0])
      return m->value;
  return NULL;
}

/* The book's Dublin Core taken from --metadata alone: documents carry no
 * publisher or rights, and a document's description is its own. */
static int book_dublin_core(epub_writer *w, epub_book *b,
                            const char ***subjects,
                            const char ***contributors) {
  b->publisher = corpus_value(w->corpus, "publisher");
  b->rights = corpus_value(w->corpus, "rights");
  b->description = corpus_value(w->corpus, QUIRE_META_DESCRIPTION);
  if (corpus_values(w->corpus, "subject", subjects, &b->n_subjects) ||
      corpus_values(w->corpus, "contributor", contributors,
                    &b->n_contributors))
    return QUIRE_FATAL;
  b->subjects = *subjects;
  b->contributors = *contributors;
  return QUIRE_OK;
}

/* Fills the book's metadata; creators points to a malloc'd array. */
static int book_meta(epub_writer *w, epub_book *b, const char ***creators) {
  const quire_services *svc = w->env->svc;
  const char *title = svc->meta_get(w->corpus, QUIRE_META_TITLE);
  if (!title || !title[0])
    title = w->docs == 1 && w->first_title
                ? epub_pool_str(&w->pool, w->first_title - 1) : "Corpus";
  b->title = title;
  b->language = book_language(w);
  size_t n = 0;
  for (const quire_meta *m = w->corpus; m; m = m->next)
    n += strcmp(m->key, QUIRE_META_AUTHOR) == 0 && m->value[0];
  size_t total = n ? n : w->n_authors;
  *creators = malloc((total + 1) * sizeof **creators);
  if (!*creators)
    return QUIRE_FATAL;
  if (n) {
    n = 0;
    for (const quire_meta *m = w->corpus; m; m = m->next)
      if (strcmp(m->key, QUIRE_META_AUTHOR) == 0 && m->value[0])
        (*creators)[n++] = m->value;
  } else
    for (size_t i = 0; i < total; i++)
      (*creators)[i] = epub_pool_str(&w->pool, w->authors[i]);
  b->creators = *creators;
  b->n_creators = total;
  b->date = svc->meta_get(w->corpus, QUIRE_META_DATE);
  if (!b->date && w->docs == 1 && w->first_date) {
    const char *date = epub_pool_str(&w->pool, w->first_date - 1);
    if (epub_w3c_date_ok(date))
      b->date = date;
    else
      svc->warn(w->env, NULL, "date '%s' is not a W3C date; the book has "
                              "no dc:date", date);
  }
  epub_utc_stamp(w->build_time, b->modified);
  return QUIRE_OK;
}

/* The identifier: --identifier, else a UUID from everything in the book
 * except dcterms:modified, so that the same input gives the same book. */
static int book_identifier(epub_writer *w, epub_book *b, char uuid[46]) {
  if (w->identifier) {
    b->identifier = w->identifier;
    return QUIRE_OK;
  }
  struct sha256_ctx *sha = &w->sha;
  hash_str(sha, b->title);
  hash_str(sha, b->language);
  for (size_t i = 0; i < b->n_creators; i++)
    hash_str(sha, b->creators[i]);
  hash_str(sha, b->date ? b->date : "");
  /* Named, and only when given, so that books without them keep the
   * identifier they always had. */
  const char *named[][2] = {{"publisher", b->publisher},
                            {"rights", b->rights},
                            {"description", b->description}};
  for (size_t i = 0; i < sizeof named / sizeof *named; i++)
    if (named[i][1]) {
      hash_str(sha, named[i][0]);
      hash_str(sha, named[i][1]);
    }
  for (size_t i = 0; i < b->n_subjects; i++) {
    hash_str(sha, "subject");
    hash_str(sha, b->subjects[i]);
  }
  for (size_t i = 0; i < b->n_contributors; i++) {
    hash_str(sha, "contributor");
    hash_str(sha, b->contributors[i]);
  }
  if (w->css)
    sha256_update(sha, w->css_len, (const uint8_t *)w->css);
  if (w->cover && hash_file(sha, w->cover) != QUIRE_OK) {
    quire_loc loc = {.file = w->cover};
    w->env->svc->error(w->env, &loc, "cannot read: %s", strerror(errno));
    return QUIRE_FATAL;
  }
  for (size_t i = 0; i < w->refs.n_images; i++) {
    const char *path = epub_pool_str(&w->pool, w->refs.images[i].path);
    if (hash_file(sha, path) != QUIRE_OK) {
      quire_loc loc = {.file = path};
      w->env->svc->error(w->env, &loc, "cannot read: %s", strerror(errno));
      return QUIRE_FATAL;
    }
  }
  unsigned char digest[32];
  sha256_digest(sha, SHA256_DIGEST_SIZE, digest);
  epub_uuid_from_digest(digest, uuid);
  b->identifier = uuid;
  return QUIRE_OK;
}

/* Adds the package files to the spool, in w->pkg. */
static int write_package(epub_writer *w, const epub_book *b) {
  epub_text *r = &w->text;
  int rc = epub_write_container(w->dz, r, &w->pkg[0]);
  if (rc == QUIRE_OK)
    rc = epub_write_opf(w->dz, r, b, &w->pkg[1]);
  if (rc == QUIRE_OK)
    rc = epub_write_nav(w->dz, r, b, &w->pkg[2]);
  if (rc == QUIRE_OK)
    rc = epub_write_ncx(w->dz, r, b, &w->pkg[3]);
  if (rc == QUIRE_OK && b->cover_type)
    rc = epub_write_cover_page(w->dz, r, b, &w->pkg[4]);
  if (rc != QUIRE_OK)
    return errno == ENOMEM ? oom(w->env) : spool_failed(w);
  /* libzip reads the spool at epub_zip_close: it must be complete. */
  return fflush(w->spool) == 0 ? QUIRE_OK : spool_failed(w);
}

/* Adds every file to the container, in the order of the specification's
 * examples: mimetype, container.xml, the package, nav, NCX, stylesheet,
 * cover, chapters, images. */
static int fill_zip(epub_writer *w, epub_zip *z, const epub_book *b) {
  quire_env *env = w->env;
  int fd = fileno(w->spool);
  char name[64];
  static const char *const package[] = {"META-INF/container.xml",
                                        EPUB_OPF_PATH, "EPUB/nav.xhtml",
                                        "EPUB/toc.ncx"};
  if (epub_zip_add_bytes(env, z, "mimetype", mimetype, sizeof mimetype - 1,
                         1))
    return QUIRE_FATAL;
  for (size_t i = 0; i < sizeof package / sizeof *package; i++)
    if (epub_zip_add_deflated(env, z, package[i], fd, &w->pkg[i]))
      return QUIRE_FATAL;
  if (epub_zip_add_bytes(env, z, "EPUB/style.css",
                         w->css ? w->css : default_css,
                         w->css ? w->css_len : sizeof default_css - 1, 0))
    return QUIRE_FATAL;
  if (b->cover_type) {
    snprintf(name, sizeof name, "EPUB/images/cover.%s", b->cover_ext);
    if (epub_zip_add_file(env, z, name, w->cover, 0, -1, 1) ||
        epub_zip_add_deflated(env, z, "EPUB/text/cover.xhtml", fd, &w->pkg[4]))
      return QUIRE_FATAL;
  }
  for (unsigned c = 1; c <= b->n_chapters; c++) {
    char file[32];
    epub_chapter_name(c, file);
    snprintf(name, sizeof name, "EPUB/text/%s", file);
    if (epub_zip_add_deflated(env, z, name, fd, &w->spans[c - 1]))
      return QUIRE_FATAL;
  }
  for (size_t i = 0; i < b->n_images; i++) {
    snprintf(name, sizeof name, "EPUB/images/img%03zu.%s", i + 1,
             b->images[i].ext);
    /* JPEG, PNG and GIF are compressed already. */
    if (epub_zip_add_file(env, z, name,
                          epub_pool_str(&w->pool, b->images[i].path), 0, -1,
                          1))
      return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* Copies the finished book to standard output. */
static int copy_out(epub_writer *w, const char *path) {
  FILE *fp = fopen(path, "rb");
  quire_loc loc = {.file = path};
  if (!fp) {
    w->env->svc->error(w->env, &loc, "cannot open: %s", strerror(errno));
    return QUIRE_FATAL;
  }
  char buf[1 << 16];
  size_t n;
  int rc = QUIRE_OK;
  while (rc == QUIRE_OK && (n = fread(buf, 1, sizeof buf, fp)) > 0)
    rc = w->env->svc->output_write(w->env, w->out, buf, n);
  if (rc == QUIRE_OK && ferror(fp)) {
    w->env->svc->error(w->env, &loc, "cannot read: %s", strerror(errno));
    rc = QUIRE_FATAL;
  }
  fclose(fp);
  return rc;
}

/* Writes the container to path. */
static int write_zip(epub_writer *w, const epub_book *b, const char *path) {
  epub_zip *z = epub_zip_open(w->env, path,
                              w->reproducible ? w->build_time : FIXED_MTIME);
  if (!z)
    return QUIRE_FATAL;
  if (fill_zip(w, z, b) != QUIRE_OK) {
    epub_zip_discard(z);
    return QUIRE_FATAL;
  }
  return epub_zip_close(w->env, z);
}

/* libzip writes to a file it can seek in: for standard output the book is
 * made in a private folder, then copied. */
static int write_stdout(epub_writer *w, const epub_book *b) {
  char *dir = private_dir(w->env);
  if (!dir)
    return QUIRE_FATAL;
  char *book = in_dir(dir, "book.epub");
  int rc = book ? write_zip(w, b, book) : oom(w->env);
  if (rc == QUIRE_OK)
    rc = copy_out(w, book);
  if (book)
    unlink(book);
  rmdir(dir);
  free(book);
  free(dir);
  return rc;
}

static int finish_book(epub_writer *w) {
  quire_env *env = w->env;
  /* A book needs a chapter: an empty corpus gives one empty chapter. */
  if (w->n_chapters == 0) {
    quire_doc *empty = env->svc->doc_new();
    if (!empty)
      return oom(env);
    const char *title = env->svc->meta_get(w->corpus, QUIRE_META_TITLE);
    int rc = add_chapter(w, empty, title && title[0] ? title : "Corpus");
    env->svc->doc_free(empty);
    if (rc != QUIRE_OK)
      return rc;
  }
  epub_book b = {.pool = &w->pool, .chapter_titles = w->titles,
                 .n_chapters = w->n_chapters, .headings = w->headings,
                 .n_headings = w->n_headings, .images = w->refs.images,
                 .n_images = w->refs.n_images, .cover_type = w->cover_type,
                 .cover_ext = w->cover_ext};
  const char **creators = NULL, **subjects = NULL, **contributors = NULL;
  char uuid[46];
  int rc = book_meta(w, &b, &creators) != QUIRE_OK ||
                   book_dublin_core(w, &b, &subjects, &contributors) !=
                       QUIRE_OK
               ? oom(env)
               : book_identifier(w, &b, uuid);
  if (rc == QUIRE_OK)
    rc = write_package(w, &b);
  if (rc == QUIRE_OK) {
    const char *path = env->svc->output_path(w->out);
    rc = path ? write_zip(w, &b, path) : write_stdout(w, &b);
  }
  free(creators);
  free(subjects);
  free(contributors);
  return rc;
}

int epub_write_close(quire_env *env, void *state, int ok) {
  epub_writer *w = state;
  w->env = env;
  int rc = ok ? finish_book(w) : QUIRE_OK;
  free_writer(w);
  return rc;
}
