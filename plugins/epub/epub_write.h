/* epub_write.h - the pieces of the EPUB writer, shared by its files.
 *
 *   epub_write.c        the writer: options, a document's files, closing
 *   epub_write_plan.c   where a document is split into files, its ids, and
 *                       the entries of the table of contents
 *   epub_write_copy.c   one file's part of a document, copied with its
 *                       links and images pointing into the book
 *   epub_write_media.c  the resources the documents use, once each
 *   epub_write_dc.c     the book's Dublin Core, gathered from the documents
 *   epub_write_pkg.c    container.xml, the OPF, nav, NCX and cover page
 *   epub_write_refs.c   which links a book can hold
 *   epub_write_meta.c   BCP 47 tags, W3C dates, timestamps
 *   epub_write_pool.c   strings and a string map that only grow
 *   epub_write_xml.c    an xmlTextWriter on the deflater
 *   epub_id.c           the content-derived UUID
 *   epub_zip.c          the OCF container, with libzip
 *   epub_deflate.c      entries deflated into the spool, on compressor
 *                       threads with -j
 *
 * Memory stays flat in the size of the corpus and of each document:
 * files are rendered one at a time from a copy of their part of the
 * document, deflated into an unlinked spool file as they come, and only
 * small records (titles, places in the spool, TOC entries, media names)
 * stay in memory until the book is closed. */
#ifndef QUIRE_EPUB_WRITE_H
#define QUIRE_EPUB_WRITE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>

#include "xml_text.h"

#include "epub.h"

/* A stretch of a file holding one entry's data, made by an epub_deflater:
 * where it is and what libzip must know to copy it as is. */
typedef struct epub_span {
  uint64_t offset, comp_size, size;
  uint32_t crc;
  int stored;             /* not compressed (images, fonts, audio) */
  uint32_t ticket;        /* non-zero: with the compressor threads, offset
                             and comp_size unknown until placed */
} epub_span;

/* ---- The book's identifier (epub_id.c) ------------------------------------
 * The files' bytes are hashed with nettle's SHA-256 (struct sha256_ctx,
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
/* Empties m, keeping its memory; the pool is the caller's to empty. */
void epub_map_clear(epub_map *m);
void epub_map_free(epub_map *m);

/* A growable byte buffer, for text gathered from the tree. */
typedef struct epub_buf {
  char *s;
  size_t len, cap;
} epub_buf;

/* Appends s[0..n) and keeps a NUL after it.  QUIRE_OK or QUIRE_ERR. */
int epub_buf_add(epub_buf *b, const char *s, size_t n);

/* Makes room for one more element in an array of *cap elements of sz
 * bytes holding n; returns the array (maybe moved), NULL when out of
 * memory (the old array is then still valid). */
void *epub_room(void *arr, size_t *cap, size_t n, size_t sz);

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

/* What a content document holds that its manifest item must declare
 * (properties="svg mathml scripted"), found by watching the names of the
 * elements written: text and attribute values are escaped, so a '<' in
 * the bytes always starts markup. */
enum {
  EPUB_HAS_SVG = 1,
  EPUB_HAS_MATHML = 2,
  EPUB_HAS_SCRIPT = 4
};

typedef struct epub_scan {
  unsigned found;         /* EPUB_HAS_* */
  int state;              /* where in the markup the bytes are */
  size_t n;
  char name[24];          /* the start of an element or attribute name */
} epub_scan;

/* An xmlTextWriter writing into an entry of a deflater (epub_deflate.c),
 * optionally hashing every byte. */
typedef struct epub_deflater epub_deflater;
typedef struct epub_xml {
  epub_deflater *dz;
  xmlTextWriterPtr w;
  struct sha256_ctx *sha;       /* NULL: not hashed */
  epub_text *t;           /* drops what XML cannot hold */
  epub_scan *scan;        /* NULL: not watched */
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
 * own bytes go: the sink of a file's body rendered by the xhtml writer.
 * user is the epub_xml. */
int epub_xml_sink(void *user, const void *buf, size_t n);

/* Helpers returning non-zero on failure, to chain with ||. */
int epub_xml_start(epub_xml *x, const char *name);
int epub_xml_end(epub_xml *x);        /* <a></a>, never <a/> */
int epub_xml_end_empty(epub_xml *x);  /* <link/> */
int epub_xml_attr(epub_xml *x, const char *name, const char *value);
int epub_xml_text(epub_xml *x, const char *s);
int epub_xml_raw(epub_xml *x, const char *s);

/* ---- Links (epub_write_refs.c) --------------------------------------------- */

enum {
  EPUB_LINK_KEEP,         /* a URL with a scheme, as it is */
  EPUB_LINK_FIX,          /* the same, once epub_fixed_url has mended it */
  EPUB_LINK_DROP          /* a file outside the book: its text stays */
};

/* What becomes of a link to url that is not "#id" of its document. */
int epub_link_rule(const char *url);
/* url with "https:" before a "//host" and the bytes a URI cannot hold
 * percent-encoded, in a malloc'd string; NULL when out of memory. */
char *epub_fixed_url(const char *url);
/* Non-zero when url names something on the web or elsewhere outside any
 * file ("https:", "data:", "//host"). */
int epub_url_has_scheme(const char *url);
/* "JPEG"/"PNG"/"GIF" magic: the media type and extension, or NULL. */
const char *epub_image_type(const unsigned char *head, size_t n,
                            const char **ext);

/* ---- Resources (epub_write_media.c) ---------------------------------------- */

enum {
  EPUB_MEDIA_COVER = 1,   /* the book's cover image */
  EPUB_MEDIA_SHOWN = 2    /* an image of the content shows it */
};

/* A file of the book's EPUB/media/ folder. */
typedef struct epub_media {
  size_t href;            /* "media/3-fig.png", in the book's pool */
  size_t media_type;      /* in the book's pool */
  epub_span span;         /* its bytes in the spool */
  unsigned flags;         /* EPUB_MEDIA_* */
} epub_media;

typedef struct epub_media_set {
  epub_media *items;
  size_t n, cap;
  epub_map by_digest;     /* hex SHA-256 of the bytes -> index */
  /* For the document being written: resource name -> index + 1, or 0
   * for a resource the book cannot show as an image. */
  epub_map by_name;
  epub_pool names;
  long long cover;        /* index of the cover, -1 without one */
  int epub2;              /* EPUB 2: WebP is not an image it shows */
  unsigned char chunk[1 << 16];   /* resources are read through this */
} epub_media_set;

/* Adds to the book every resource doc's images show, and its cover when
 * want_cover is set and the book has none yet; their digests go into
 * sha.  QUIRE_OK, or QUIRE_FATAL (message set): a resource could not be
 * read, or the spool written. */
int epub_media_of_doc(quire_env *env, epub_media_set *m, epub_pool *pool,
                      epub_deflater *dz, struct sha256_ctx *sha,
                      const quire_doc *doc, int want_cover);
/* The index + 1 of the book's copy of the resource named `name` of the
 * document being written, 0 when it is not an image the book shows, -1
 * when doc has no such resource. */
long long epub_media_find(const epub_media_set *m, const char *name);
/* Non-zero for the media types every EPUB reading system shows in <img>
 * (EPUB 3.3 core media types). */
int epub_media_is_image(const char *media_type);
void epub_media_free(epub_media_set *m);

/* ---- Files and the table of contents ----------------------------------------- */

/* One XHTML file of the book: EPUB/text/chNNN.xhtml, N counting from 1
 * over the whole book. */
typedef struct epub_file {
  epub_span span;
  unsigned doc;           /* 1-based */
  unsigned props;         /* EPUB_HAS_* */
} epub_file;

/* Each input document: its title and the first of its files. */
typedef struct epub_docrec {
  size_t title;           /* pool offset + 1; 0 without a title */
  unsigned first_file;
} epub_docrec;

enum {
  EPUB_ENTRY_FILE = 1,        /* stands for its file: always listed */
  EPUB_ENTRY_DOC_START = 2,   /* ... and that is the document's first */
  EPUB_ENTRY_REPEATS = 4,     /* a heading repeating the document's title */
  EPUB_ENTRY_UNTITLED = 8     /* no text of its own: the title is used */
};

/* An entry of the table of contents (nav and NCX). */
typedef struct epub_entry {
  unsigned file;          /* 1-based */
  unsigned doc;           /* 1-based */
  int level;              /* 1-6 */
  unsigned flags;         /* EPUB_ENTRY_* */
  size_t id;              /* pool offset + 1 of the fragment; 0: none */
  size_t text;            /* pool offset */
} epub_entry;

/* What the plan adds to the book as it goes. */
typedef struct epub_toc {
  epub_pool *pool;        /* the book's */
  epub_entry *entries;
  size_t n, cap;
} epub_toc;

/* ---- Splitting a document (epub_write_plan.c) ------------------------------ */

/* Where one file of a document starts: the first node of its part, at the
 * level where files split (the root's children, or the children of a
 * container that was split). */
typedef struct epub_split {
  const quire_node *start;    /* NULL: the document is empty */
  size_t heading;             /* how many headings come before it */
} epub_split;

/* An id of the document and where it ends up. */
typedef struct epub_id {
  const quire_node *node;     /* the first node holding it */
  unsigned file;              /* index among the document's files */
  size_t out;                 /* the id written, in the plan's pool */
} epub_id;

typedef struct epub_plan {
  /* Options. */
  int split_level;            /* 0: no split at headings */
  uint64_t split_size;        /* 0: no cap */
  int toc_depth;
  /* The document being written. */
  epub_split *files;
  size_t n_files, cap_files;
  epub_id *ids;
  size_t n_ids, cap_ids;
  epub_pool pool;             /* ids, old and new */
  epub_map by_id;             /* id (as found and as written) -> index */
  char heading_base[16];      /* ids made for headings: BASE1, BASE2... */
  /* Scratch, kept from one document to the next. */
  epub_buf heading, label;
  struct plan_fix *fix;
  size_t n_fix, cap_fix;
} epub_plan;

/* Splits doc into files (plan->files), finds its ids and their files
 * (plan->ids), and adds the table of contents' entries of its files to
 * toc, numbering its files from first_file.  title is the document's
 * (NULL when it has none).  QUIRE_OK or QUIRE_FATAL (memory; message
 * set). */
int epub_plan_doc(quire_env *env, epub_plan *plan, epub_toc *toc,
                  const quire_doc *doc, unsigned doc_no, unsigned first_file,
                  const char *title);
/* The id written for the heading that is the k-th of its document (from
 * 0) and has none of its own, in out (at least 40 bytes). */
void epub_plan_heading_id(const epub_plan *plan, size_t k, char out[40]);
/* The id record of node's id, or NULL when node's id is not the one
 * written (it repeats an earlier node's) or it has none. */
const epub_id *epub_plan_id_of(const epub_plan *plan, const quire_node *n);
/* The record of id `id` (as the document has it), or NULL. */
const epub_id *epub_plan_find_id(const epub_plan *plan, const char *id);
void epub_plan_free(epub_plan *plan);

/* ---- Copying a file's part (epub_write_copy.c) ------------------------------ */

/* What a file's copy left out, counted for the document's warnings. */
typedef struct epub_drops {
  unsigned long links_out;        /* links to files outside the book */
  unsigned long links_broken;     /* "#id" with no such id */
  unsigned long images_remote;    /* on the web */
  unsigned long images_missing;   /* not a resource of the document */
  unsigned long images_foreign;   /* a resource EPUB cannot show */
  unsigned long raw_html;         /* EPUB 2: raw HTML kept as text */
  unsigned long list_starts;      /* EPUB 2: lists numbered from >1 */
} epub_drops;

/* The part of doc that is file `file` of the plan, as a new document
 * (*out, freed by the caller with svc->doc_free) holding a deep copy of
 * its nodes (every field, id and attribute), under copies of the
 * containers it continues (without their ids), with doc's metadata.  In
 * the copy, "#id" links point to the file holding the id
 * ("ch007.xhtml#id", or "#id" in the same file), ids are the ones the
 * plan writes, headings without an id get one, images show the book's
 * copy of their resource ("../media/..."), and what the book cannot hold
 * keeps its text only (counted in *drops).  first_file is the number of
 * the document's first file in the book.  QUIRE_OK, QUIRE_FAILED (the
 * tree breaks the model's rules), QUIRE_FATAL (memory); message set. */
int epub_copy_file(quire_env *env, const epub_plan *plan,
                   const epub_media_set *media, const epub_pool *pool,
                   const quire_doc *doc, size_t file, unsigned first_file,
                   int epub2, quire_doc **out, epub_drops *drops);

/* With epub2, the copy is made for an EPUB 2 page, which the xhtml writer
 * then renders as XHTML 1.1: sections, figures and their captions become
 * divs with a class ("section", "figure", "figcaption"), strikeout and
 * underline styled spans; ordered lists lose their start and type (a
 * class keeps letter and roman numbering, through the stylesheet; a start
 * other than 1 is counted in drops->list_starts); attributes XHTML 1.1
 * does not have are left out, and lang becomes xml:lang; a table's foot
 * becomes one more body (XHTML 1.1 wants it before the bodies); notes
 * become pandoc-style endnotes: a footnote-ref link where each is called
 * and a <div class="footnotes"> list at the end of the file, each with a
 * link back; raw HTML keeps its text only (counted in drops->raw_html).
 * The notes' ids start with the file's name ("ch007-fn1"), kept clear of
 * the document's. */

/* ---- The book's Dublin Core (epub_write_dc.c) ------------------------------- */

/* A creator or contributor: name, MARC relator role (NULL: none). */
typedef struct epub_creator {
  const char *name;
  const char *role;
  int contributor;        /* dc:contributor rather than dc:creator */
} epub_creator;

typedef struct epub_dc {
  unsigned docs;
  epub_pool pool;
  /* The first document's, as pool offset + 1 (0: none). */
  size_t title, date, identifier, publisher, rights, description;
  size_t *subjects, n_subjects, cap_subjects;
  /* Every document's authors and other creators, each once, first seen
   * first: pool offsets of "ROLE\0NAME". */
  size_t *creators, n_creators, cap_creators;
  epub_map creator_set;
  /* Languages and page directions of the documents, each once, with the
   * number of documents in each language (lang_counts, by langs' index;
   * cap_lang_counts grows with cap_langs). */
  size_t *langs, n_langs, cap_langs;
  size_t *lang_counts, cap_lang_counts;
  epub_map lang_set;
  size_t direction;           /* pool offset + 1 */
  int direction_differs;
} epub_dc;

/* Keeps what the book's metadata may take from doc.  QUIRE_OK, or
 * QUIRE_FATAL when memory ran out (no message). */
int epub_dc_gather(quire_env *env, epub_dc *dc, const quire_doc *doc);
void epub_dc_free(epub_dc *dc);

/* ---- The writer's state, as the package files see it --------------------- */

typedef struct epub_book {
  /* Metadata, final at close. */
  const char *title;
  const char *const *languages;    /* the first is the book's */
  size_t n_languages;
  const char *identifier;
  const char *date;       /* NULL when unknown */
  const epub_creator *creators;
  size_t n_creators;
  const char *publisher, *rights, *description;   /* NULL when unknown */
  const char *const *subjects;
  size_t n_subjects;
  const char *direction;  /* "rtl", "ltr" or NULL */
  char modified[21];
  /* Contents. */
  const epub_pool *pool;
  const epub_file *files;
  unsigned n_files;
  const epub_docrec *docs;
  unsigned n_docs;
  const epub_entry *entries;
  size_t n_entries;
  const epub_media *media;
  size_t n_media;
  long long cover_media;           /* index in media, -1: none */
  const char *cover_type;          /* --cover-image: media type, else NULL */
  const char *cover_ext;
  int cover_page;                  /* a cover page opens the spine */
  const char *cover_src;           /* the cover page's image, from text/ */
  int epub2;                       /* EPUB 2.0.1: OPF 2.0, NCX, no nav */
  int title_page;                  /* text/title.xhtml after the cover */
} epub_book;

/* ---- The writer (epub_write.c; closed by epub_write_book.c) ---------------- */

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
  int level;                  /* --compress-level */
  time_t build_time;
  int reproducible;           /* SOURCE_DATE_EPOCH was set */
  int epub2;                  /* -t epub2: EPUB 2.0.1 */
  /* Work. */
  FILE *spool;                /* every entry back to back; unlinked */
  epub_deflater *dz;          /* compresses into the spool */
  epub_text text;             /* for epub's own XML */
  struct sha256_ctx sha;      /* of every file's bytes */
  epub_pool pool;             /* the book's strings */
  epub_file *files;
  size_t n_files, cap_files;
  epub_docrec *docs;
  size_t n_docs, cap_docs;
  epub_toc toc;
  epub_media_set media;
  epub_plan plan;
  epub_dc dc;
  epub_span pkg[6];           /* container, OPF, nav, NCX, cover page,
                                 title page */
} epub_writer;

/* Writes the book: package files into the spool, then the container to
 * the output.  QUIRE_OK or QUIRE_FATAL with the message set. */
int epub_book_finish(epub_writer *w);
/* Says why writing the spool failed (errno) and returns QUIRE_FATAL. */
int epub_spool_failed(epub_writer *w);
/* A new temporary file with no name, open for reading and writing, in
 * $TMPDIR (or /tmp): it vanishes when closed, however the process ends.
 * NULL with the message set. */
FILE *epub_temp_file(quire_env *env);

/* Names inside the container. */
#define EPUB_OPF_PATH "EPUB/content.opf"
void epub_chapter_name(unsigned n, char out[32]);     /* "ch001.xhtml" */

/* The start of an XHTML file of the book, up to and with <body>: <html>
 * in lang, <head> with the title and a link to the stylesheet at css
 * (relative to the file); and its end, </body></html>.  epub2: an XHTML
 * 1.1 page (its DOCTYPE, xml:lang only, no epub namespace). */
int epub_xhtml_head(epub_xml *x, const char *lang, const char *title,
                    const char *css, int epub2);
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
/* The title page (--title): the title, the authors, the date's day. */
int epub_write_title_page(epub_deflater *dz, epub_text *t,
                          const epub_book *b, epub_span *span);

/* ---- The container (epub_zip.c) ------------------------------------------ */

typedef struct epub_zip epub_zip;

/* Starts a new ZIP written into fp (borrowed: an empty file open for
 * reading and writing, which it truncates; `path` names the book in
 * messages); every entry will get mtime as its date.  NULL on failure, with
 * the message set. */
epub_zip *epub_zip_open(quire_env *env, FILE *fp, const char *path,
                        time_t mtime);
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
/* The same with data a deflater made (deflated, or stored), read from the
 * open file fd (borrowed, with pread) at epub_zip_close. */
int epub_zip_add_deflated(quire_env *env, epub_zip *z, const char *name,
                          int fd, const epub_span *span);

/* Writes the archive.  QUIRE_OK or QUIRE_ERR with the message set; frees z
 * either way. */
int epub_zip_close(quire_env *env, epub_zip *z);
/* Frees z and writes nothing.  NULL is allowed. */
void epub_zip_discard(epub_zip *z);

/* The deflater compresses entries one after the other into one file, each
 * a deflate stream of its own (epub_deflate.c).
 *
 * epub_deflater_new makes one appending to out (not closed by it), at
 * `level` (1-12, libdeflate's; entries too large to gather use zlib at
 * the same level, 9 at most), with `threads` compressor threads when it is
 * 2 or more; NULL when out of memory.  With threads, a deflated entry's
 * span has a ticket when it ends: epub_deflate_settle() waits for every
 * entry to be written and ends the threads (QUIRE_OK, or QUIRE_FATAL with
 * errno set), and epub_deflate_place() then fills a span's offset and
 * compressed size. */
epub_deflater *epub_deflater_new(FILE *out, int level, unsigned threads);
int epub_deflate_settle(epub_deflater *d);
void epub_deflate_place(const epub_deflater *d, epub_span *span);
void epub_deflater_free(epub_deflater *d);
/* Starts an entry; its bytes follow with epub_deflate_write; end finishes
 * it and describes it in *span.  QUIRE_OK, or QUIRE_ERR with errno set.
 * epub_store_begin starts an entry whose bytes are kept as they are
 * (data compressed already: JPEG, PNG, WOFF). */
int epub_deflate_begin(epub_deflater *d);
int epub_store_begin(epub_deflater *d);
int epub_deflate_write(epub_deflater *d, const void *buf, size_t n);
int epub_deflate_end(epub_deflater *d, epub_span *span);

#endif
