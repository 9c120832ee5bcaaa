/* archive.h - the archive plugin: any archive libarchive reads (tar and its
 * compressions, zip, 7z, cpio, ISO 9660, ar ...) as a corpus, and WARC web
 * crawls (ISO 28500), plain or compressed.  docs/formats/archive.md is the
 * user's account; this is the parts as they see each other.
 *
 *   archive_in.c      libarchive over the input: safe filters and formats,
 *                     the read callbacks, the bytes-in/bytes-out count and
 *                     the whole stream's max-ratio check
 *   archive_names.c   entry names: cleaned, printable, stems
 *   archive_read.c    the `archive` reader: entries to sub-inputs, what is
 *                     skipped, bundles, a compressed WARC's records
 *   archive_entry.c   an entry's bytes, read within the limits
 *   warc_stream.c     WARC records: header fields and bounded blocks
 *   warc_http.c       the HTTP response inside a record: status, headers,
 *                     chunked and gzip bodies
 *   warc_charset.c    a payload in a declared charset made UTF-8
 *   warc_read.c       records to documents; the `warc` reader
 *   archive_plugin.c  the descriptor and the sniffers
 */
#ifndef QUIRE_ARCHIVE_H
#define QUIRE_ARCHIVE_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include <quire/plugin.h>

struct archive;
struct archive_entry;

/* Below this many bytes expanded nothing is judged by its ratio: small
 * files of blank space compress very well. */
#define ARC_RATIO_FLOOR (4u << 20)
/* How much the read callback asks of the input at a time. */
#define ARC_BLOCK (64u * 1024)
/* The most entry data read between two checks of the limits. */
#define ARC_CHECK_EVERY (1024u * 1024)

/* Non-zero when the core has svc->sub_format (ABI 2.2). */
int arc_has_sub_format(const quire_env *env);

/* ---- libarchive over the input (archive_in.c) --------------------------- */

typedef struct arc_in {
  quire_env *env;
  quire_input *in;
  const char *name;          /* the input's name, for messages; borrowed */
  struct archive *a;
  int fd;                    /* our own descriptor of a file input, or -1 */
  unsigned char *mem;        /* a 7z from a stream, read whole, or NULL */
  size_t mem_len, mem_pos;
  unsigned char *peek;       /* the first bytes of a stream, given again */
  size_t peek_len, peek_pos;
  unsigned char *block;      /* what the read callback hands libarchive */
  uint64_t bytes_in;         /* read from the input so far */
  uint64_t bytes_out;        /* of entry data read so far */
  uint64_t max_ratio;
  int input_failed;          /* svc->input_read failed: its message is set */
  int dead;                  /* libarchive or a limit ended the stream */
  locale_t utf8;             /* C.UTF-8 for libarchive's names, or 0 */
} arc_in;

/* Opens libarchive over `in`: a file the user named through a descriptor
 * of our own (so libarchive may seek: zip's central directory, 7z), else
 * as a stream through svc->input_read.  `raw_only`: the stream is one
 * compressed or plain file (the WARC reader), no archive format.  Only
 * filters built into libarchive are enabled, never an external program.
 * QUIRE_OK with *r, or QUIRE_FAILED / QUIRE_FATAL with the message set. */
int arc_in_open(quire_env *env, quire_input *in, int raw_only, arc_in **r);
void arc_in_close(arc_in *r);

/* Reads up to n bytes of the current entry's data: the count, 0 at its
 * end, or -1 with the message set (libarchive's error, or the whole
 * stream expanding more than max-ratio times the bytes read from the
 * input, once past ARC_RATIO_FLOOR).  `what` names the entry in messages
 * ("a.tar.gz!dir/x.txt").  After a failure that ends the stream (not one
 * libarchive can go on from), r->dead is set. */
long arc_in_data(arc_in *r, void *buf, size_t n, const char *what);

/* archive_read_next_header() in a UTF-8 locale, with the entry's name as
 * libarchive gives it (UTF-8 when it can; NULL when the header could not
 * be read), valid until the next header. */
int arc_in_next_header(arc_in *r, struct archive_entry **e,
                       const char **name);

/* libarchive's message for its last failure, never NULL. */
const char *arc_in_error(const arc_in *r);

/* ---- Entry names (archive_names.c) -------------------------------------- */

/* What made a name unsafe (arc_clean_name's *unsafe). */
enum { ARC_ABSOLUTE = 1, ARC_CLIMBS = 2, ARC_CONTROL = 4 };

/* A name made safe to show and to use as a sub-input's name: '/' and '\'
 * separate parts; empty, "." and ".." parts and a leading "C:" are
 * dropped; control characters become '_'; bytes that are not UTF-8
 * become U+FFFD.  Returns a malloc'd string (NULL when memory is
 * exhausted) and sets *unsafe to the ARC_* reasons the name was unsafe
 * for (0: it was not).  An empty result is "" (the caller names such an
 * entry). */
char *arc_clean_name(const char *name, int *unsafe);

/* `name` for messages: control characters and bytes that are not UTF-8 as
 * \xNN, cut to fit n bytes ("..." marks a cut).  Returns buf. */
const char *arc_printable(const char *name, char *buf, size_t n);

/* The name a compressed single file had before it was compressed: the
 * input's file name less its last extension ("notes.txt.gz" gives
 * "notes.txt", "x.tgz" gives "x.tar").  malloc'd, NULL when memory is
 * exhausted. */
char *arc_raw_name(const char *input_name);

/* A URI fit for metadata: blanks, control characters and bytes that are
 * not UTF-8 percent-encoded.  malloc'd, NULL when memory is exhausted. */
char *arc_clean_uri(const char *uri);

/* "outer!inner", malloc'd (NULL when memory is exhausted). */
char *arc_join(const char *outer, const char *inner);

/* ---- The archive reader (archive_read.c, archive_entry.c) --------------- */

/* Kinds of warning told a few times, then counted. */
enum { W_NO_READER, W_UNSAFE, W_KINDS };

typedef struct warc_docs warc_docs;

/* The state of one `archive` reader. */
typedef struct arc_reader arc_reader;
struct arc_reader {
  quire_env *env;
  arc_in *ai;
  const char *name;          /* the archive's name, borrowed */
  int done;
  int forced_encoding;       /* --input-encoding was given */
  /* the entry being read */
  quire_sub *sub;
  char *entry;               /* its cleaned name */
  char *where;               /* "archive!entry", for messages */
  char *data;                /* its bytes, borrowed by the sub-input */
  size_t len, cap;
  uint64_t entry_out;        /* its bytes read so far */
  uint64_t entry_in;         /* bytes_in when its header was read */
  uint64_t failed_at;        /* bytes_in when a header last failed */
  /* a compressed WARC */
  warc_docs *warc;
  size_t head_pos;           /* of data, given to the WARC reader first */
  /* a bundle */
  int seen_file;
  char *bag_sources;         /* "NAME/data/sources/" */
  /* limits and counts */
  uint64_t entries, expanded;
  uint64_t max_entries, max_expanded, max_input, max_ratio;
  unsigned long told[W_KINDS];
};

/* Sets the "out of memory" error; QUIRE_FATAL. */
int arc_oom(arc_reader *r);

/* Reads up to n bytes of the current entry, counting them against the
 * limits: the count, 0 at its end, -1 with the message set (r->ai->dead
 * when the archive cannot go on). */
long arc_entry_read(arc_reader *r, void *buf, size_t n);
/* Reads the entry into r->data until it holds `want` bytes or ends:
 * QUIRE_OK, or a failure with the message set. */
int arc_entry_fill(arc_reader *r, size_t want);
/* Passes over the rest of the entry: QUIRE_OK, or QUIRE_FAILED. */
int arc_entry_skip(arc_reader *r);
/* Makes room in r->data for the size the entry declares (at most 64 MB:
 * the size may lie). */
int arc_entry_reserve(arc_reader *r, struct archive_entry *e);
/* max-input-size + 1: reading that much tells an entry is too large. */
size_t arc_entry_max(const arc_reader *r);
/* The size an entry declares where the layout depends on it, else 0. */
uint64_t arc_entry_layout_size(const arc_reader *r, struct archive_entry *e);

/* ---- The readers -------------------------------------------------------- */

int arc_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state);
int arc_read_next(quire_env *env, void *state, quire_doc **doc);
void arc_read_close(quire_env *env, void *state);

int warc_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state);
int warc_read_next(quire_env *env, void *state, quire_doc **doc);
void warc_read_close(quire_env *env, void *state);

/* ---- WARC records (warc_stream.c) --------------------------------------- */

/* Pulls up to n bytes of the WARC file: the count, 0 at its end, or -1
 * with the message set. */
typedef long (*warc_pull_fn)(void *user, void *buf, size_t n);

typedef struct warc_stream warc_stream;

/* The fields of a record's header quire uses; NULL or 0 when absent. */
typedef struct warc_record {
  const char *type;          /* WARC-Type, lower case */
  const char *uri;           /* WARC-Target-URI, without <> */
  const char *date;          /* WARC-Date */
  const char *content_type;  /* Content-Type of the block */
  uint64_t length;           /* Content-Length of the block */
  uint64_t offset;           /* where the record starts in the stream */
  unsigned long number;      /* 1 for the first record */
} warc_record;

int warc_stream_new(quire_env *env, const char *name, warc_pull_fn pull,
                    void *user, warc_stream **s);
void warc_stream_free(warc_stream *s);
/* The next record's header: QUIRE_OK with *rec (valid until the next
 * call), QUIRE_DONE at the end of the stream, QUIRE_FAILED (message set)
 * when the stream is not WARC there or is cut short: it cannot go on. */
int warc_stream_next(warc_stream *s, warc_record *rec);
/* Reads up to n bytes of the current record's block: the count, 0 at its
 * end, -1 with the message set. */
long warc_stream_block(warc_stream *s, void *buf, size_t n);

/* ---- HTTP inside a response record (warc_http.c) ------------------------ */

typedef struct warc_http {
  int status;                /* 200 */
  char media_type[128];      /* "text/html", lower case; "" when absent */
  char charset[64];          /* "iso-8859-1", lower case; "" when absent */
  char content_encoding[32]; /* "gzip", lower case; "" for identity */
  int chunked;               /* Transfer-Encoding: chunked */
  size_t head_len;           /* bytes of status line and headers */
} warc_http;

/* Parses the status line and headers at the start of block[0..len):
 * QUIRE_OK with *h, or QUIRE_DONE when they do not end within len (or are
 * not HTTP). */
int warc_http_parse(const char *block, size_t len, warc_http *h);
/* Parses a Content-Type value into media type and charset (lower case). */
void warc_http_content_type(const char *value, size_t n, warc_http *h);
/* body[0..len) without its chunked transfer coding, into a malloc'd
 * buffer: QUIRE_OK with *out, QUIRE_DONE when the chunks are malformed,
 * QUIRE_FATAL when memory is exhausted.  A body cut short (a truncated
 * capture) keeps what it holds. */
int warc_http_dechunk(const char *body, size_t len, char **out,
                      size_t *out_len);
/* Gunzips body[0..len) through libarchive into a malloc'd buffer of at
 * most `max` bytes and at most max_ratio times len (past the floor):
 * QUIRE_OK with *out, QUIRE_DONE when it is not gzip or breaks a bound,
 * `why` then saying which. */
int warc_http_gunzip(const char *body, size_t len, uint64_t max,
                     uint64_t max_ratio, char **out, size_t *out_len,
                     const char **why);

/* ---- Charsets (warc_charset.c) ------------------------------------------ */

/* body in `charset` as UTF-8 behind a byte order mark, which the html and
 * txt readers rank above any <meta> declaration, as browsers rank the
 * HTTP header: QUIRE_OK with *out (malloc'd); QUIRE_DONE when the bytes
 * are to go as they are (no charset, a BOM of their own, or a charset
 * iconv does not know: `why` then says so); QUIRE_FATAL when memory is
 * exhausted. */
int warc_to_utf8(const char *charset, const char *body, size_t len,
                 char **out, size_t *out_len, const char **why);

/* ---- Records to documents (warc_read.c) --------------------------------- */

/* Documents of the WARC file `name` pulled through pull/user.  With
 * `forced` (--input-encoding was given) payloads go to their readers as
 * they are, with no charset from the HTTP header applied: the option
 * overrides every declaration, and the reader applies it. */
int warc_docs_new(quire_env *env, const char *name, warc_pull_fn pull,
                  void *user, int forced, warc_docs **w);
/* As read_next: QUIRE_OK with *doc, QUIRE_DONE, or QUIRE_FAILED for one
 * record (the next call goes on) or for the stream (the next call gives
 * QUIRE_DONE). */
int warc_docs_next(warc_docs *w, quire_doc **doc);
void warc_docs_free(warc_docs *w);

#endif
