/* epub_write.h - the pieces of the EPUB writer, shared by its files.
 *
 *   epub_write.c       the writer: options, chapters, closing the book
 *   epub_write_pkg.c   container.xml, the OPF, nav, NCX and cover page
 *   epub_write_refs.c  links and images a book can hold
 *   epub_write_meta.c  BCP 47 tags, W3C dates, timestamps
 *   epub_write_pool.c  strings and a string map that only grow
 *   epub_write_headings.c  the headings of a chapter, for the TOC
 *   epub_write_xml.c   an xmlTextWriter on the deflater
 *   epub_id.c          the content-derived UUID
 *   epub_zip.c         the OCF container, with libzip
 *
 * Memory stays flat in the size of the corpus: chapters are deflated into
 * an unlinked spool file as they come, and only small records (titles,
 * places in the spool, TOC headings, image names) stay in memory until the
 * book is closed. */
#ifndef QUIRE_EPUB_WRITE_H
#define QUIRE_EPUB_WRITE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>

#include "xml_text.h"

#include "epub.h"

/* A stretch of a file holding one entry's raw deflate data, made by an
 * epub_deflater: where it is and what libzip must know to copy it as is. */
typedef struct epub_span {
  uint64_t offset, comp_size, size;
  uint32_t crc;
} epub_span;

/* ---- The book's identifier (epub_id.c) ------------------------------------
 * The chapters' bytes are hashed with nettle's SHA-256 (struct sha256_ctx,
 * sha256_init / sha256_update / sha256_digest) as they are written. */

/* "urn:uuid:" and an RFC 9562 version-8 UUID made of the digest's first
 * 16 bytes; out holds at least 46 bytes. */
void epub_uuid_from_digest(const unsigned char digest[32], char out[46]);

/* ---- Strings (epub_write_pool.c) ----------------------------------------- */

/* NUL-terminated strings back to back, named by their offset, so that
 * thousands of small records cost one allocation that grows by doubling. */
typedef struct epub_pool {
  char *buf;
  size_t len, cap;
} epub_pool;

/* Copies s[0..n) and a NUL; *at is its offset.  QUIRE_OK or QUIRE_ERR. */
int epub_pool_add(epub_pool *p, const char *s, size_t n, size_t *at);
static inline const char *epub_pool_str(const epub_pool *p, size_t at) {
  return p->buf + at;
}

/* A hash map from strings (kept in a pool) to numbers. */
typedef struct epub_map {
  size_t *keys;      /* pool offset + 1; 0 for an empty slot */
  size_t *values;
  size_t cap, count;
} epub_map;

/* The value of key, or -1 when absent. */
long long epub_map_get(const epub_map *m, const epub_pool *p, const char *key);
/* Adds key (copied into p) with value; the key must be absent.  *key_at
 * (may be NULL) gets the offset of the copy. */
int epub_map_put(epub_map *m, epub_pool *p, const char *key, size_t value,
                 size_t *key_at);
void epub_map_free(epub_map *m);

/* ---- Metadata rules (epub_write_meta.c) ---------------------------------- */

/* Non-zero when s is a well-formed BCP 47 (RFC 5646) language tag. */
int epub_bcp47_ok(const char *s);
/* Non-zero when s is a W3C date (YYYY, YYYY-MM, YYYY-MM-DD, or a date
 * and time with a zone, as in https://www.w3.org/TR/NOTE-datetime). */
int epub_w3c_date_ok(const char *s);
/* The time of the build: SOURCE_DATE_EPOCH when set, else now.  Returns
 * QUIRE_ERR when SOURCE_DATE_EPOCH is set but not a count of seconds. */
int epub_build_time(time_t *t, int *from_env);
/* t as CCYY-MM-DDThh:mm:ssZ; out holds at least 21 bytes. */
void epub_utc_stamp(time_t t, char out[21]);

/* ---- Text ---------------------------------------------------------------
 * The book's own XML files drop what XML 1.0 cannot hold as the chapters
 * do, through xml_text (plugins/common); t->dropped counts it. */
typedef xml_text epub_text;


/* ---- XML files (epub_write_xml.c) ---------------------------------------- */

/* An xmlTextWriter writing into an entry of a deflater (epub_zip.c),
 * optionally hashing every byte. */
typedef struct epub_deflater epub_deflater;
typedef struct epub_xml {
  epub_deflater *dz;
  xmlTextWriterPtr w;
  struct sha256_ctx *sha;       /* NULL: not hashed */
  epub_text *t;           /* drops what XML cannot hold */
  int err;                /* errno of the first failed write */
} epub_xml;

/* Starts writing into the entry dz has begun (the caller ends it) with the
 * XML declaration.  QUIRE_OK or QUIRE_ERR (errno set). */
int epub_xml_attach(epub_xml *x, epub_deflater *dz, epub_text *t,
                    struct sha256_ctx *sha);
/* Flushes and frees the writer; QUIRE_ERR when any write failed (errno
 * set). */
int epub_xml_close(epub_xml *x);

/* Writes out what the writer holds, so that bytes sent to the entry by
 * another way (epub_xml_sink) come after them.  Non-zero on failure. */
int epub_xml_flush(epub_xml *x);
/* A quire_write_fn adding bytes to x's entry (and hash) as the writer's
 * own bytes go: the sink of a chapter's body rendered by the xhtml
 * writer.  user is the epub_xml. */
int epub_xml_sink(void *user, const void *buf, size_t n);

/* Helpers returning non-zero on failure, to chain with ||. */
int epub_xml_start(epub_xml *x, const char *name);
int epub_xml_end(epub_xml *x);        /* <a></a>, never <a/> */
int epub_xml_end_empty(epub_xml *x);  /* <link/> */
int epub_xml_attr(epub_xml *x, const char *name, const char *value);
int epub_xml_text(epub_xml *x, const char *s);
int epub_xml_raw(epub_xml *x, const char *s);

/* ---- Headings (epub_write_headings.c) ------------------------------------- */

/* Called for each heading of a document in order, with its level (1-6),
 * its id and its plain text (not NUL-terminated, not trimmed).  Returns
 * QUIRE_OK, or a failure to stop the walk. */
typedef int (*epub_heading_fn)(void *user, int level, const char *id,
                               const char *text, size_t len);

/* Scratch space for epub_headings, reused from one document to the next. */
typedef struct epub_heading_buf {
  char *text;
  size_t len, cap;
} epub_heading_buf;

/* Calls fn for each heading of doc, giving it the id the xhtml writer
 * gives it with --embed=prefix (PREFIX-h1, PREFIX-h2, ... counting every
 * heading) and the text it holds.  QUIRE_OK, QUIRE_FATAL when memory ran
 * out (message set), or what fn returned. */
int epub_headings(quire_env *env, epub_heading_buf *buf, const quire_doc *doc,
                  const char *prefix, epub_heading_fn fn, void *user);

/* ---- Links and images (epub_write_refs.c) --------------------------------- */

/* An image copied into the book: EPUB/images/imgNNN.EXT. */
typedef struct epub_image {
  size_t path;            /* its file, in the writer's pool */
  const char *ext;        /* "jpg", "png", "gif" */
  const char *media_type;
} epub_image;

typedef struct epub_refs {
  epub_image *images;
  size_t n_images, cap_images;
  epub_map by_path;       /* file path -> index in images */
  unsigned long links_dropped, images_dropped;   /* in the current doc */
} epub_refs;

/* The document as the book can hold it, in *fixed: doc itself when every
 * link and image is fine, else a copy (in *copy, freed by the caller with
 * svc->doc_free) where links to files outside the book keep only their
 * text, local JPEG, PNG and GIF images point into the book (and are
 * registered in refs), and other images become their alt text.  QUIRE_OK;
 * QUIRE_FAILED when the copy could not be built, QUIRE_FATAL when memory
 * ran out (message set). */
int epub_refs_fix(quire_env *env, epub_refs *refs, epub_pool *pool,
                  const quire_doc *doc, const quire_doc **fixed,
                  quire_doc **copy);
void epub_refs_free(epub_refs *refs);
/* "JPEG"/"PNG"/"GIF" magic: the media type and extension, or NULL. */
const char *epub_image_type(const unsigned char *head, size_t n,
                            const char **ext);

/* ---- The writer's state, as the package files see it --------------------- */

typedef struct epub_heading {
  unsigned chapter;       /* 1-based */
  int level;
  size_t id, text;        /* pool offsets */
} epub_heading;

typedef struct epub_book {
  /* Metadata, final at close. */
  const char *title;
  const char *language;
  const char *identifier;
  const char *date;       /* NULL when unknown */
  const char *const *creators;
  size_t n_creators;
  /* From --metadata, NULL or none when not given. */
  const char *publisher, *rights, *description;
  const char *const *subjects;
  size_t n_subjects;
  const char *const *contributors;
  size_t n_contributors;
  char modified[21];
  /* Contents. */
  const epub_pool *pool;
  const size_t *chapter_titles;    /* pool offsets, n_chapters */
  unsigned n_chapters;
  const epub_heading *headings;
  size_t n_headings;
  const epub_image *images;
  size_t n_images;
  const char *cover_type;          /* media type, NULL without a cover */
  const char *cover_ext;
} epub_book;

/* Names inside the container. */
#define EPUB_OPF_PATH "EPUB/content.opf"
void epub_chapter_name(unsigned n, char out[32]);     /* "ch001.xhtml" */

/* The start of an XHTML file of the book, up to and with <body>: <html>
 * in lang, <head> with the title and a link to the stylesheet at css
 * (relative to the file); and its end, </body></html>. */
int epub_xhtml_head(epub_xml *x, const char *lang, const char *title,
                    const char *css);
int epub_xhtml_tail(epub_xml *x);

/* Each writes one file of the package as a new entry of dz, described in
 * *span (epub_write_pkg.c).  QUIRE_OK or QUIRE_ERR (errno set). */
int epub_write_container(epub_deflater *dz, epub_text *t, epub_span *span);
int epub_write_opf(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span);
int epub_write_nav(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span);
int epub_write_ncx(epub_deflater *dz, epub_text *t, const epub_book *b,
                   epub_span *span);
int epub_write_cover_page(epub_deflater *dz, epub_text *t,
                          const epub_book *b, epub_span *span);

/* ---- The container (epub_zip.c) ------------------------------------------ */

typedef struct epub_zip epub_zip;

/* Starts a new ZIP at path (replacing the file); every entry will get mtime
 * as its date.  NULL on failure, with the message set. */
epub_zip *epub_zip_open(quire_env *env, const char *path, time_t mtime);
/* Adds an entry named `name` (copied) holding len bytes (-1: up to the
 * end) of the file at `file` from offset start, read at epub_zip_close.
 * `store`: no compression.  QUIRE_OK or QUIRE_ERR with the message set;
 * after a failure only epub_zip_discard is left. */
int epub_zip_add_file(quire_env *env, epub_zip *z, const char *name,
                      const char *file, uint64_t start, int64_t len,
                      int store);
/* The same with the bytes data[0..len), which must stay valid until
 * epub_zip_close. */
int epub_zip_add_bytes(quire_env *env, epub_zip *z, const char *name,
                       const void *data, size_t len, int store);
/* The same with deflate data already made (see epub_deflater below), read
 * from the open file fd (borrowed, with pread) at epub_zip_close. */
int epub_zip_add_deflated(quire_env *env, epub_zip *z, const char *name,
                          int fd, const epub_span *span);

/* Writes the archive.  QUIRE_OK or QUIRE_ERR with the message set; frees z
 * either way. */
int epub_zip_close(quire_env *env, epub_zip *z);
/* Frees z and writes nothing.  NULL is allowed. */
void epub_zip_discard(epub_zip *z);

/* The deflater compresses entries one after the other into one file, each
 * with its own deflate stream, so that chapters are compressed as they are
 * written and one zlib state serves them all.
 *
 * epub_deflater_new makes one appending to out (not closed by it); NULL
 * when out of memory. */
epub_deflater *epub_deflater_new(FILE *out);
void epub_deflater_free(epub_deflater *d);
/* Starts an entry; its bytes follow with epub_deflate_write; end finishes
 * it and describes it in *span.  QUIRE_OK, or QUIRE_ERR with errno set. */
int epub_deflate_begin(epub_deflater *d);
int epub_deflate_write(epub_deflater *d, const void *buf, size_t n);
int epub_deflate_end(epub_deflater *d, epub_span *span);

#endif
