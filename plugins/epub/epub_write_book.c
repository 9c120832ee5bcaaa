/* epub_write_book.c - closing the book: its metadata, the package files
 * and the container.
 *
 * The corpus metadata (--title, --lang, --metadata) wins; what it leaves
 * open comes from the documents (epub_write_dc.c): from the one document
 * when the book has one, and, for several, only what every document can
 * give (authors, languages, a page direction they agree on).  Then the
 * package files go into the spool after the content, and everything into
 * the ZIP container, mimetype first (epub_zip.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    "nav ol { list-style: none; padding-left: 1em; }\n"
    /* The title page (--title). */
    "div.titlepage { text-align: center; margin-top: 20%; }\n"
    "div.titlepage h1 { font-size: 2em; }\n"
    /* What EPUB 2 pages write as classes (epub_write_copy.c). */
    "ol.lower-alpha { list-style-type: lower-alpha; } "
    "ol.upper-alpha { list-style-type: upper-alpha; }\n"
    "ol.lower-roman { list-style-type: lower-roman; } "
    "ol.upper-roman { list-style-type: upper-roman; }\n"
    "div.figure { margin: 0 0 1em; } "
    "div.figcaption { font-size: 0.9em; }\n"
    "span.underline { text-decoration: underline; } "
    "span.strikeout { text-decoration: line-through; }\n"
    "div.footnotes { font-size: 0.9em; }\n";

static const char mimetype[] = "application/epub+zip";

/* Entry dates without SOURCE_DATE_EPOCH: 1980-01-01T00:00:00Z, the first
 * DOS date, so that only dcterms:modified differs between two builds. */
#define FIXED_MTIME ((time_t)315532800)

static int oom(quire_env *env) {
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

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

/* The arrays the book's metadata points to, freed after the book. */
typedef struct book_lists {
  const char **subjects, **languages;
  epub_creator *creators;
} book_lists;

static const char *dc_str(const epub_dc *dc, size_t slot) {
  return slot ? epub_pool_str(&dc->pool, slot - 1) : NULL;
}

/* The corpus's value of key, else the one document's. */
static const char *one_value(const epub_writer *w, const char *key,
                             size_t slot) {
  const char *v = corpus_value(w->corpus, key);
  return v ? v : w->dc.docs == 1 ? dc_str(&w->dc, slot) : NULL;
}

/* Non-zero for a corpus entry "creator:ROLE" with a role and a name. */
static int corpus_creator(const quire_meta *m) {
  static const size_t prefix = sizeof QUIRE_META_CREATOR_PREFIX - 1;
  return strncmp(m->key, QUIRE_META_CREATOR_PREFIX, prefix) == 0 &&
         m->key[prefix] && m->value[0];
}

/* dc:creator and dc:contributor: the corpus's authors and creators in
 * other roles (--metadata author=..., creator:ill=...), else every
 * document's creators in every role, then the corpus's contributors. */
static int book_creators(epub_writer *w, epub_book *b, book_lists *l) {
  const epub_dc *dc = &w->dc;
  static const size_t prefix = sizeof QUIRE_META_CREATOR_PREFIX - 1;
  size_t authors = 0, contributors = 0;
  for (const quire_meta *m = w->corpus; m; m = m->next) {
    authors += (strcmp(m->key, QUIRE_META_AUTHOR) == 0 && m->value[0]) ||
               corpus_creator(m);
    contributors += strcmp(m->key, "contributor") == 0 && m->value[0];
  }
  size_t total = (authors ? authors : dc->n_creators) + contributors;
  if (!(l->creators = calloc(total + 1, sizeof *l->creators)))
    return QUIRE_FATAL;
  size_t n = 0;
  for (const quire_meta *m = w->corpus; authors && m; m = m->next)
    if (strcmp(m->key, QUIRE_META_AUTHOR) == 0 && m->value[0])
      l->creators[n++] = (epub_creator){m->value, "aut", 0};
    else if (corpus_creator(m))
      l->creators[n++] = (epub_creator){m->value, m->key + prefix,
                                        strcmp(m->key + prefix, "ctb") == 0};
  for (size_t i = 0; !authors && i < dc->n_creators; i++) {
    /* "ROLE\nNAME", cut in two: the set that found repeats is done with. */
    char *role = (char *)epub_pool_str(&dc->pool, dc->creators[i]);
    char *nl = strchr(role, '\n');
    *nl = '\0';
    l->creators[n++] = (epub_creator){nl + 1, role, strcmp(role, "ctb") == 0};
  }
  for (const quire_meta *m = w->corpus; m; m = m->next)
    if (strcmp(m->key, "contributor") == 0 && m->value[0])
      l->creators[n++] = (epub_creator){m->value, NULL, 1};
  b->creators = l->creators;
  b->n_creators = n;
  return QUIRE_OK;
}

/* dc:language: the corpus's; else every document's, the language of the
 * most documents first (the book's own, for reading systems that take
 * one), the others in the order first seen; else "und" (undetermined, as
 * BCP 47 says it): no language is claimed that nothing showed. */
static int book_languages(epub_writer *w, epub_book *b, book_lists *l) {
  const epub_dc *dc = &w->dc;
  size_t n = dc->n_langs ? dc->n_langs : 1;
  if (!(l->languages = calloc(n, sizeof *l->languages)))
    return QUIRE_FATAL;
  const char *lang = corpus_value(w->corpus, QUIRE_META_LANGUAGE);
  if (lang || !dc->n_langs) {
    l->languages[0] = lang ? lang : "und";
    n = 1;
  } else {
    size_t top = 0;
    for (size_t i = 1; i < n; i++)
      if (dc->lang_counts[i] > dc->lang_counts[top])
        top = i;
    l->languages[0] = epub_pool_str(&dc->pool, dc->langs[top]);
    for (size_t i = 0, k = 1; i < n; i++)
      if (i != top)
        l->languages[k++] = epub_pool_str(&dc->pool, dc->langs[i]);
  }
  b->languages = l->languages;
  b->n_languages = n;
  return QUIRE_OK;
}

static int book_meta(epub_writer *w, epub_book *b, book_lists *l) {
  const quire_services *svc = w->env->svc;
  const epub_dc *dc = &w->dc;
  int single = dc->docs == 1;
  b->title = corpus_value(w->corpus, QUIRE_META_TITLE);
  if (!b->title)
    b->title = single && dc->title ? dc_str(dc, dc->title) : "Corpus";
  if (book_languages(w, b, l) || book_creators(w, b, l))
    return QUIRE_FATAL;
  b->date = corpus_value(w->corpus, QUIRE_META_DATE);
  if (!b->date && single && dc->date) {
    const char *date = dc_str(dc, dc->date);
    if (epub_w3c_date_ok(date))
      b->date = date;
    else
      svc->warn(w->env, NULL, "date '%s' is not a W3C date; the book has "
                              "no dc:date", date);
  }
  b->publisher = one_value(w, QUIRE_META_PUBLISHER, dc->publisher);
  b->rights = one_value(w, QUIRE_META_RIGHTS, dc->rights);
  b->description = one_value(w, QUIRE_META_DESCRIPTION, dc->description);
  size_t n;
  if (corpus_values(w->corpus, QUIRE_META_SUBJECT, &l->subjects, &n))
    return QUIRE_FATAL;
  if (!n && single && dc->n_subjects) {
    if (!(l->subjects = malloc(dc->n_subjects * sizeof *l->subjects)))
      return QUIRE_FATAL;
    for (n = 0; n < dc->n_subjects; n++)
      l->subjects[n] = epub_pool_str(&dc->pool, dc->subjects[n]);
  }
  b->subjects = l->subjects;
  b->n_subjects = n;
  const char *dir = corpus_value(w->corpus, QUIRE_META_DIRECTION);
  if (!dir && !dc->direction_differs)
    dir = dc_str(dc, dc->direction);
  b->direction = dir && (strcmp(dir, "rtl") == 0 || strcmp(dir, "ltr") == 0)
                     ? dir : NULL;
  epub_utc_stamp(w->build_time, b->modified);
  return QUIRE_OK;
}

/* The identifier: --identifier, else the corpus's, else the one
 * document's (an EPUB's own), else a UUID from everything in the book
 * except dcterms:modified, so that the same input gives the same book. */
static int book_identifier(epub_writer *w, epub_book *b, char uuid[46]) {
  b->identifier = w->identifier;
  if (!b->identifier)
    b->identifier = one_value(w, QUIRE_META_IDENTIFIER, w->dc.identifier);
  if (b->identifier)
    return QUIRE_OK;
  struct sha256_ctx *sha = &w->sha;
  hash_str(sha, b->title);
  for (size_t i = 0; i < b->n_languages; i++)
    hash_str(sha, b->languages[i]);
  for (size_t i = 0; i < b->n_creators; i++) {
    const epub_creator *c = &b->creators[i];
    /* Authors alone as before, so that books without other roles keep
     * the identifier they always had. */
    if (c->role && strcmp(c->role, "aut") != 0)
      hash_str(sha, c->role);
    if (!c->role)
      hash_str(sha, "contributor");
    hash_str(sha, c->name);
  }
  hash_str(sha, b->date ? b->date : "");
  /* Named, and only when given, so that books without them keep the
   * identifier they always had. */
  const char *named[][2] = {{"publisher", b->publisher},
                            {"rights", b->rights},
                            {"description", b->description},
                            {"direction", b->direction}};
  for (size_t i = 0; i < sizeof named / sizeof *named; i++)
    if (named[i][1]) {
      hash_str(sha, named[i][0]);
      hash_str(sha, named[i][1]);
    }
  for (size_t i = 0; i < b->n_subjects; i++) {
    hash_str(sha, "subject");
    hash_str(sha, b->subjects[i]);
  }
  if (w->css)
    sha256_update(sha, w->css_len, (const uint8_t *)w->css);
  if (w->cover && hash_file(sha, w->cover) != QUIRE_OK) {
    quire_loc loc = {.file = w->cover};
    w->env->svc->error(w->env, &loc, "cannot read: %s", strerror(errno));
    return QUIRE_FATAL;
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
  if (rc == QUIRE_OK && !b->epub2)
    rc = epub_write_nav(w->dz, r, b, &w->pkg[2]);
  if (rc == QUIRE_OK)
    rc = epub_write_ncx(w->dz, r, b, &w->pkg[3]);
  if (rc == QUIRE_OK && b->cover_page)
    rc = epub_write_cover_page(w->dz, r, b, &w->pkg[4]);
  if (rc == QUIRE_OK && b->title_page)
    rc = epub_write_title_page(w->dz, r, b, &w->pkg[5]);
  if (rc != QUIRE_OK)
    return errno == ENOMEM ? oom(w->env) : epub_spool_failed(w);
  /* libzip reads the spool at epub_zip_close: it must be complete. */
  return fflush(w->spool) == 0 ? QUIRE_OK : epub_spool_failed(w);
}

/* Adds every file to the container, in the order of the specification's
 * examples: mimetype, container.xml, the package, nav, NCX, stylesheet,
 * cover, content files, media. */
static int fill_zip(epub_writer *w, epub_zip *z, const epub_book *b) {
  quire_env *env = w->env;
  int fd = fileno(w->spool);
  char name[160];
  static const char *const package[] = {"META-INF/container.xml",
                                        EPUB_OPF_PATH, "EPUB/nav.xhtml",
                                        "EPUB/toc.ncx"};
  if (epub_zip_add_bytes(env, z, "mimetype", mimetype, sizeof mimetype - 1,
                         1))
    return QUIRE_FATAL;
  for (size_t i = 0; i < sizeof package / sizeof *package; i++)
    if ((i != 2 || !b->epub2) &&   /* EPUB 2 has no nav document */
        epub_zip_add_deflated(env, z, package[i], fd, &w->pkg[i]))
      return QUIRE_FATAL;
  if (epub_zip_add_bytes(env, z, "EPUB/style.css",
                         w->css ? w->css : default_css,
                         w->css ? w->css_len : sizeof default_css - 1, 0))
    return QUIRE_FATAL;
  if (b->cover_type) {
    snprintf(name, sizeof name, "EPUB/images/cover.%s", b->cover_ext);
    if (epub_zip_add_file(env, z, name, w->cover, 0, -1, 1))
      return QUIRE_FATAL;
  }
  if (b->cover_page &&
      epub_zip_add_deflated(env, z, "EPUB/text/cover.xhtml", fd, &w->pkg[4]))
    return QUIRE_FATAL;
  if (b->title_page &&
      epub_zip_add_deflated(env, z, "EPUB/text/title.xhtml", fd, &w->pkg[5]))
    return QUIRE_FATAL;
  for (unsigned c = 1; c <= b->n_files; c++) {
    char file[32];
    epub_chapter_name(c, file);
    snprintf(name, sizeof name, "EPUB/text/%s", file);
    if (epub_zip_add_deflated(env, z, name, fd, &b->files[c - 1].span))
      return QUIRE_FATAL;
  }
  for (size_t i = 0; i < b->n_media; i++) {
    snprintf(name, sizeof name, "EPUB/%s",
             epub_pool_str(b->pool, b->media[i].href));
    if (epub_zip_add_deflated(env, z, name, fd, &b->media[i].span))
      return QUIRE_FATAL;
  }
  return QUIRE_OK;
}

/* Copies the finished book to the output. */
static int copy_out(epub_writer *w, FILE *fp) {
  char buf[1 << 16];
  size_t n;
  if (fseeko(fp, 0, SEEK_SET) != 0)
    return epub_spool_failed(w);
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
    if (w->env->svc->output_write(w->env, w->out, buf, n) != QUIRE_OK)
      return QUIRE_FATAL;
  return ferror(fp) ? epub_spool_failed(w) : QUIRE_OK;
}

/* Makes the container in a temporary file with no name (libzip must seek
 * in what it writes, and a name would outlive a killed process), then
 * copies it to the output. */
static int write_zip(epub_writer *w, const epub_book *b) {
  const char *name = w->env->svc->output_name(w->out);
  FILE *fp = epub_temp_file(w->env);
  if (!fp)
    return QUIRE_FATAL;
  epub_zip *z = epub_zip_open(w->env, fp, name,
                              w->reproducible ? w->build_time : FIXED_MTIME);
  int rc = z ? QUIRE_OK : QUIRE_FATAL;
  if (rc == QUIRE_OK && fill_zip(w, z, b) != QUIRE_OK) {
    epub_zip_discard(z);
    rc = QUIRE_FATAL;
  } else if (rc == QUIRE_OK)
    rc = epub_zip_close(w->env, z);
  if (rc == QUIRE_OK)
    rc = copy_out(w, fp);
  fclose(fp);
  return rc;
}

/* The cover: --cover-image, else the first document's cover resource,
 * with a page of its own at the start when no page of the content shows
 * it already (a book read from an EPUB has its own cover page). */
static void book_cover(epub_writer *w, epub_book *b, char *src, size_t n) {
  b->cover_media = w->cover ? -1 : w->media.cover;
  if (w->cover) {
    b->cover_type = w->cover_type;
    b->cover_ext = w->cover_ext;
    b->cover_page = 1;
    snprintf(src, n, "../images/cover.%s", w->cover_ext);
  } else if (b->cover_media >= 0) {
    const epub_media *m = &w->media.items[b->cover_media];
    b->cover_page = !(m->flags & EPUB_MEDIA_SHOWN);
    snprintf(src, n, "../%s", epub_pool_str(&w->pool, m->href));
  }
  b->cover_src = src;
}

int epub_book_finish(epub_writer *w) {
  quire_env *env = w->env;
  char cover_src[160] = "";
  epub_book b = {.pool = &w->pool, .files = w->files,
                 .n_files = (unsigned)w->n_files, .docs = w->docs,
                 .n_docs = (unsigned)w->n_docs, .entries = w->toc.entries,
                 .n_entries = w->toc.n, .media = w->media.items,
                 .n_media = w->media.n, .epub2 = w->epub2,
                 /* --title: the book shows its title on a page. */
                 .title_page = corpus_value(w->corpus, QUIRE_META_TITLE) !=
                               NULL};
  /* every chapter and image in the spool, and where */
  if (epub_deflate_settle(w->dz) != QUIRE_OK)
    return epub_spool_failed(w);
  for (size_t i = 0; i < w->n_files; i++)
    epub_deflate_place(w->dz, &w->files[i].span);
  for (size_t i = 0; i < w->media.n; i++)
    epub_deflate_place(w->dz, &w->media.items[i].span);
  book_cover(w, &b, cover_src, sizeof cover_src);
  book_lists l = {0};
  char uuid[46];
  int rc = book_meta(w, &b, &l) != QUIRE_OK ? oom(env)
                                             : book_identifier(w, &b, uuid);
  if (rc == QUIRE_OK)
    rc = write_package(w, &b);
  if (rc == QUIRE_OK) {
    rc = write_zip(w, &b);
  }
  free(l.subjects);
  free(l.languages);
  free(l.creators);
  return rc;
}
