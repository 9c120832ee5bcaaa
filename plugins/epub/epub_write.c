/* epub_write.c - documents as one EPUB 3 book, each split into files.
 *
 * Documents arrive one at a time.  Each is planned (epub_write_plan.c:
 * where it splits into files, where its ids go, what the table of
 * contents lists), the resources its images show are copied into the
 * spool (epub_write_media.c), then each of its files is rendered from a
 * copy of its part (epub_write_copy.c): epub writes the page around it,
 * and the core's xhtml writer its body (svc->render_*, --embed and
 * --epub-notes), the bytes hashed for the default identifier and deflated
 * on the way to a spool file.  Only small records stay in memory: each
 * file's place in the spool, the TOC entries, the media names.  One spool
 * for all entries, not a file each: creating thousands of files cost more
 * than the rest of the conversion.
 * write_close adds the package files (OPF, nav, NCX) to the spool and puts
 * everything into the ZIP container, mimetype first (epub_write_book.c).
 *
 * The spool, and the container libzip writes at the end, are files with no
 * name (O_TMPFILE in TMPDIR): however the process ends, even by a signal,
 * they leave nothing behind.  The finished container is copied to the
 * output.  See docs/formats/epub.md. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "epub_write.h"
#include "temp_file.h"

/* --split-size: calibre's flow size, which old reading systems (Adobe's
 * RMSDK among them) need files to keep under; and the least it may be,
 * below which a file would hold hardly more than its own head. */
#define EPUB_SPLIT_SIZE 262144
#define EPUB_SPLIT_MIN 1024

/* Every failure of the writer leaves the book unfinished: QUIRE_FATAL. */
static int oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* ---- Temporary files ----------------------------------------------------- */

FILE *epub_temp_file(quire_env *env) {
  int fd = temp_file_fd();
  FILE *fp = fd >= 0 ? fdopen(fd, "w+b") : NULL;
  if (!fp) {
    int err = errno;
    if (fd >= 0)
      close(fd);
    quire_loc loc = {.file = temp_file_dir()};
    env->svc->error(env, &loc, "cannot make a temporary file: %s",
                    strerror(err));
  }
  return fp;
}

/* Opens the spool, and the deflater writing into it. */
static int open_spool(quire_env *env, epub_writer *w) {
  if (!(w->spool = epub_temp_file(env)))
    return QUIRE_FATAL;
  const quire_services *svc = env->svc;
  unsigned threads = svc->struct_size > offsetof(quire_services, threads)
                         ? svc->threads(env)
                         : 1;
  if (!(w->dz = epub_deflater_new(w->spool, w->level, threads)))
    return oom(env);
  return QUIRE_OK;
}

static void close_spool(epub_writer *w) {
  epub_deflater_free(w->dz);
  w->dz = NULL;
  if (w->spool)
    fclose(w->spool);
  w->spool = NULL;
}

int epub_spool_failed(epub_writer *w) {
  w->env->svc->error(w->env, NULL,
                     "cannot use the EPUB's temporary file: %s",
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

/* --split-level N (pandoc's, also spelled --epub-chapter-level) and
 * --split-size BYTES (K and M suffixes; 0: no cap). */
static int split_options(quire_env *env, epub_writer *w,
                         const quire_options *opts) {
  const quire_services *svc = env->svc;
  const char *level = svc->option(opts, "split-level");
  if (!level)
    level = svc->option(opts, "epub-chapter-level");
  w->plan.split_level = 1;
  if (level) {
    if (level[0] < '0' || level[0] > '6' || level[1])
      return svc->usage_error(env, "--split-level wants a number from 0 to "
                                   "6, not '%s'", level);
    w->plan.split_level = level[0] - '0';
  }
  const char *size = svc->option(opts, "split-size");
  w->plan.split_size = EPUB_SPLIT_SIZE;
  if (size) {
    char *end = NULL;
    errno = 0;
    unsigned long long v = size[0] >= '0' && size[0] <= '9'
                               ? strtoull(size, &end, 10) : 0;
    unsigned long long unit = 1;
    if (end && (*end == 'K' || *end == 'k'))
      unit = 1024, end++;
    else if (end && (*end == 'M' || *end == 'm'))
      unit = 1024 * 1024, end++;
    if (!end || *end || errno || v > (1ULL << 40) / unit ||
        (v && v * unit < EPUB_SPLIT_MIN))
      return svc->usage_error(env, "--split-size wants a number of bytes "
                                   "(K and M suffixes) of at least %d, or 0 "
                                   "for no cap, not '%s'", EPUB_SPLIT_MIN,
                              size);
    w->plan.split_size = v * unit;
  }
  return QUIRE_OK;
}

static int take_options(quire_env *env, epub_writer *w,
                        const quire_options *opts) {
  const quire_services *svc = env->svc;
  const char *depth = svc->option(opts, "toc-depth");
  w->plan.toc_depth = 2;
  if (depth) {
    if (depth[0] < '0' || depth[0] > '6' || depth[1])
      return svc->usage_error(env, "--toc-depth wants a number from 0 to 6, "
                                   "not '%s'", depth);
    w->plan.toc_depth = depth[0] - '0';
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
  int rc = split_options(env, w, opts);
  if (rc != QUIRE_OK)
    return rc;
  /* 5: the fastest of libdeflate's levels whose book is no larger than
   * zlib's default (6) makes it.  The 50 MB benchmark corpus: entries of
   * 22,490,416 bytes at 5, 22,560,573 with zlib at 6, 22,836,413 at 4;
   * libdeflate's 12 is several times as slow for a few percent. */
  const char *level = svc->option(opts, "compress-level");
  w->level = 5;
  if (level) {
    char *end;
    long v = strtol(level, &end, 10);
    if (level[0] < '0' || level[0] > '9' || *end || v < 1 || v > 12)
      return svc->usage_error(env, "--compress-level wants a number from 1 "
                                   "to 12, not '%s'", level);
    w->level = (int)v;
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
  free(w->pool.buf);
  free(w->files);
  free(w->docs);
  free(w->toc.entries);
  epub_media_free(&w->media);
  epub_plan_free(&w->plan);
  epub_dc_free(&w->dc);
  free(w);
}

/* One writer for both versions: epub2 switches the package files and
 * the pages to EPUB 2.0.1. */
static int write_open(quire_env *env, quire_output *out,
                      const quire_options *opts, const quire_meta *corpus,
                      int epub2, void **state) {
  epub_writer *w = calloc(1, sizeof *w);
  if (!w)
    return oom(env);
  w->env = env;
  w->epub2 = epub2;
  w->media.epub2 = epub2;
  w->out = out;
  w->corpus = corpus;
  w->toc.pool = &w->pool;
  w->media.cover = -1;
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

int epub_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state) {
  return write_open(env, out, opts, corpus, 0, state);
}

int epub2_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state) {
  return write_open(env, out, opts, corpus, 1, state);
}

/* ---- Documents -------------------------------------------------------------- */

/* The language of a document's files: its own when it is a BCP 47 tag,
 * else the corpus's, else none (the file then takes the book's, which
 * the package says: a document whose language nobody knows is not said
 * to be in the first document's). */
static const char *doc_language(epub_writer *w, const quire_doc *doc,
                                const quire_loc *loc) {
  const quire_services *svc = w->env->svc;
  const char *lang = svc->meta_get(doc->meta, QUIRE_META_LANGUAGE);
  if (lang && epub_bcp47_ok(lang))
    return lang;
  const char *book = svc->meta_get(w->corpus, QUIRE_META_LANGUAGE);
  if (book && !epub_bcp47_ok(book))
    book = NULL;
  if (lang)
    svc->warn(w->env, loc, "language '%s' is not a BCP 47 tag; %s%s%s used",
              lang, book ? "'" : "", book ? book : "none", book ? "'" : "");
  return book;
}

/* The file's body, written by the xhtml writer through the core: with
 * --embed=PREFIX it writes the blocks alone (no page around them, no
 * <article>), then the notes, as EPUB 3 footnotes with --epub-notes, with
 * ids it makes from PREFIX clear of the document's; its bytes join x's
 * entry through the sink as they come.  The result of the render
 * services: failures have their message set. */
static int render_body(epub_writer *w, epub_xml *x, const quire_doc *doc,
                       const char *prefix) {
  const quire_services *svc = w->env->svc;
  /* EPUB 2 has no notes left in the copy (epub_copy_file made them
   * endnotes of the blocks). */
  const quire_option opt[] = {{"embed", prefix}, {"epub-notes", "1"}};
  const quire_options opts = {opt, w->epub2 ? 1 : sizeof opt / sizeof *opt};
  quire_render *r = NULL;
  int rc = svc->render_open(w->env, "xhtml", &opts, NULL, epub_xml_sink, x,
                            &r);
  if (rc < QUIRE_OK)
    return rc;
  rc = svc->render_doc(w->env, r, doc);
  int closed = svc->render_close(w->env, r, rc >= QUIRE_OK, NULL, NULL);
  return rc < QUIRE_OK ? rc : closed;
}

/* Appends a file holding part (a copy of one part of a document) to the
 * spool as file number w->n_files + 1, and records it. */
static int render_file(epub_writer *w, const quire_doc *part,
                       const char *title, const char *lang) {
  quire_env *env = w->env;
  epub_file *files = epub_room(w->files, &w->cap_files, w->n_files,
                               sizeof *files);
  if (!files)
    return oom(env);
  w->files = files;
  unsigned no = (unsigned)w->n_files + 1;
  char prefix[32];
  snprintf(prefix, sizeof prefix, "ch%03u", no);
  epub_scan scan = {0};
  epub_xml x;
  if (epub_deflate_begin(w->dz) != QUIRE_OK ||
      epub_xml_attach(&x, w->dz, &w->text, &w->sha) != QUIRE_OK)
    return errno == ENOMEM ? oom(env) : epub_spool_failed(w);
  x.scan = &scan;
  /* The page's start is flushed before the body's bytes, which go to the
   * entry directly, so that they follow it. */
  int failed = epub_xhtml_head(&x, lang, title, "../style.css", w->epub2) ||
               epub_xml_raw(&x, "\n") || epub_xml_flush(&x);
  int body = failed ? QUIRE_OK : render_body(w, &x, part, prefix);
  failed = failed || body < QUIRE_OK || epub_xhtml_tail(&x);
  epub_span span;
  if (epub_xml_close(&x) == QUIRE_OK && !failed) {
    if (epub_deflate_end(w->dz, &span) == QUIRE_OK) {
      files[w->n_files++] = (epub_file){span, (unsigned)w->n_docs,
                                        scan.found};
      return QUIRE_OK;
    }
    x.err = errno;
  }
  if (x.err) {   /* the disk, not memory */
    errno = x.err;
    return epub_spool_failed(w);
  }
  /* The render said why it failed; half a file is in the spool. */
  return body < QUIRE_OK ? QUIRE_FATAL : oom(env);
}

static const char *plural(unsigned long n) { return n == 1 ? "" : "s"; }

/* One warning for each kind of thing the document's files left out. */
static void doc_warnings(epub_writer *w, const quire_loc *loc,
                         const epub_drops *d, size_t dropped,
                         size_t first) {
  quire_env *env = w->env;
  const quire_services *svc = env->svc;
  if (dropped)
    svc->warn(env, loc, "%zu character%s that XHTML cannot hold (control "
                        "characters, invalid UTF-8) dropped",
              dropped, dropped == 1 ? "" : "s");
  if (d->links_out)
    svc->warn(env, loc, "%lu link%s to files outside the book kept as text "
                        "only", d->links_out, plural(d->links_out));
  if (d->links_broken)
    svc->warn(env, loc, "%lu link%s to ids the document does not have kept "
                        "as text only", d->links_broken,
              plural(d->links_broken));
  if (d->images_remote)
    svc->warn(env, loc, "%lu image%s on the web (or in a data: URL) replaced "
                        "by the alt text: a book holds its own images",
              d->images_remote, plural(d->images_remote));
  if (d->images_missing)
    svc->warn(env, loc, "%lu image%s whose file the document does not hold "
                        "replaced by the alt text", d->images_missing,
              plural(d->images_missing));
  if (d->images_foreign)
    svc->warn(env, loc, "%lu image%s of a type reading systems need not show "
                        "(not JPEG, PNG, GIF%s SVG) replaced by the "
                        "alt text", d->images_foreign,
              plural(d->images_foreign), w->epub2 ? " or" : ", WebP or");
  if (d->raw_html)
    svc->warn(env, loc, "%lu piece%s of raw HTML kept as text only: EPUB 2 "
                        "pages are XHTML 1.1", d->raw_html,
              plural(d->raw_html));
  if (d->list_starts)
    svc->warn(env, loc, "%lu ordered list%s numbered from 1, not from %s "
                        "own start: XHTML 1.1 (EPUB 2) has no start "
                        "attribute", d->list_starts, plural(d->list_starts),
              d->list_starts == 1 ? "its" : "their");
  uint64_t cap = w->plan.split_size, largest = 0;
  unsigned long over = 0;
  for (size_t i = first; cap && i < w->n_files; i++)
    if (w->files[i].span.size > cap) {
      over++;
      if (w->files[i].span.size > largest)
        largest = w->files[i].span.size;
    }
  if (over)
    svc->warn(env, loc, "%lu file%s larger than --split-size %llu (the "
                        "largest %llu bytes): a single block (a paragraph, "
                        "a table, a list item) is larger than that, and "
                        "files split only between blocks",
              over, plural(over), (unsigned long long)cap,
              (unsigned long long)largest);
}

/* Records the document and plans its files. */
static int begin_doc(epub_writer *w, const quire_doc *doc,
                     const char *title) {
  epub_docrec *docs = epub_room(w->docs, &w->cap_docs, w->n_docs,
                                sizeof *docs);
  if (!docs)
    return oom(w->env);
  w->docs = docs;
  epub_docrec *d = &docs[w->n_docs];
  *d = (epub_docrec){.first_file = (unsigned)w->n_files + 1};
  if (title && title[0]) {
    if (epub_pool_add(&w->pool, title, strlen(title), &d->title))
      return oom(w->env);
    d->title++;
  }
  w->n_docs++;
  return epub_plan_doc(w->env, &w->plan, &w->toc, doc, (unsigned)w->n_docs,
                       d->first_file, title);
}

static int add_doc(epub_writer *w, const quire_doc *doc, const char *title) {
  quire_env *env = w->env;
  const char *source = env->svc->meta_get(doc->meta, QUIRE_META_SOURCE);
  quire_loc loc = {.file = source};
  int rc = epub_media_of_doc(env, &w->media, &w->pool, w->dz, &w->sha, doc,
                             !w->cover);
  size_t files = w->n_files, entries = w->toc.n, docs = w->n_docs;
  if (rc == QUIRE_OK)
    rc = begin_doc(w, doc, title);
  if (rc != QUIRE_OK)
    return rc;
  char fallback[32];
  if (!title || !title[0]) {
    snprintf(fallback, sizeof fallback, "Chapter %zu", w->n_docs);
    title = fallback;
  }
  const char *lang = doc_language(w, doc, &loc);
  epub_drops drops = {0};
  size_t dropped = w->text.dropped;
  for (size_t f = 0; rc == QUIRE_OK && f < w->plan.n_files; f++) {
    quire_doc *part = NULL;
    rc = epub_copy_file(env, &w->plan, &w->media, &w->pool, doc, f,
                        (unsigned)files + 1, w->epub2, &part, &drops);
    if (rc == QUIRE_OK)
      rc = render_file(w, part, title, lang);
    env->svc->doc_free(part);
  }
  if (rc == QUIRE_FAILED) {
    /* Nothing of the document stays in the book (its bytes in the spool
     * are never referred to). */
    w->n_files = files;
    w->toc.n = entries;
    w->n_docs = docs;
    return rc;
  }
  if (rc == QUIRE_OK)
    doc_warnings(w, &loc, &drops, w->text.dropped - dropped, files);
  return rc;
}

int epub_write_doc(quire_env *env, void *state, const quire_doc *doc) {
  epub_writer *w = state;
  w->env = env;
  if (epub_dc_gather(env, &w->dc, doc) != QUIRE_OK)
    return oom(env);
  return add_doc(w, doc, env->svc->meta_get(doc->meta, QUIRE_META_TITLE));
}

int epub_write_close(quire_env *env, void *state, int ok) {
  epub_writer *w = state;
  w->env = env;
  int rc = QUIRE_OK;
  if (ok && w->n_files == 0) {
    /* A book needs a file in its spine: an empty corpus gives one. */
    quire_doc *empty = env->svc->doc_new();
    const char *title = env->svc->meta_get(w->corpus, QUIRE_META_TITLE);
    rc = empty ? add_doc(w, empty, title && title[0] ? title : "Corpus")
               : oom(env);
    env->svc->doc_free(empty);
  }
  if (ok && rc == QUIRE_OK)
    rc = epub_book_finish(w);
  free_writer(w);
  return ok ? rc : QUIRE_OK;
}
