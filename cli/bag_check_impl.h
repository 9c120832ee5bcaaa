/* bag_check_impl.h - what bag_check.c (the reading and the checks) and
 * bag_tags.c (the tag files, line by line) share: the checker's state and
 * its few common helpers.  Private to those two files. */
#ifndef QUIRE_CLI_BAG_CHECK_IMPL_H
#define QUIRE_CLI_BAG_CHECK_IMPL_H

#include <stdint.h>

#include "bag_check.h"
#include "bag_hash.h"
#include "bag_walk.h"

/* The bytes of all names kept (files and manifest lines) at most. */
#define MAX_NAME_BYTES ((uint64_t)4 << 30)
/* Payload-Oxum lines of bag-info.txt looked at. */
#define MAX_OXUMS 8
/* Digests every file gets, whatever the manifests say. */
#define ALWAYS (BAG_ALG_BIT(BAG_SHA256) | BAG_ALG_BIT(BAG_SHA512))

typedef struct file_rec {
  char *path;             /* relative to the bag's folder once rebased */
  char *target;           /* a hard link's target, as stored */
  size_t link;            /* a hard link's target's index, once found */
  bag_entry_kind kind;
  uint64_t size;
  unsigned have;          /* digests computed (BAG_ALG_BIT set) */
  unsigned want;          /* digests a second reading is to compute */
  int unreadable;         /* its bytes could not all be read (said) */
  unsigned char digest[BAG_DIGESTS_SIZE];
} file_rec;

typedef struct mentry {   /* one line of a manifest */
  char *path;             /* decoded */
  unsigned long line;
  unsigned char digest[BAG_DIGEST_MAX];
} mentry;

typedef enum tag_kind {
  TAG_BAGIT,
  TAG_BAG_INFO,
  TAG_MANIFEST,
  TAG_TAG_MANIFEST
} tag_kind;

typedef struct oxum {
  char *value;
  unsigned long line;
} oxum;

typedef struct tag_doc {  /* a tag file parsed as it was read */
  char *file;
  tag_kind kind;
  int alg;                /* manifests: the algorithm, -1 when unknown */
  int read;               /* its bytes were read */
  /* bagit.txt */
  char *lines[2];
  unsigned long n_lines;  /* lines with text */
  /* bag-info.txt */
  oxum oxums[MAX_OXUMS];
  size_t n_oxums;
  int in_label;           /* a label was met: continuation lines are ok */
  int in_oxum;            /* the label being continued is Payload-Oxum */
  /* manifests */
  mentry *entries;
  size_t n_entries, cap_entries;
  int full;               /* over BAG_MAX_MANIFEST_LINES (said) */
} tag_doc;

/* Splits a tag file's bytes into lines ending in LF, CR or CRLF. */
typedef struct line_reader {
  char *buf;              /* the line so far, BAG_MAX_LINE bytes at most */
  size_t len;
  int overlong;           /* the line went on past BAG_MAX_LINE */
  int after_cr;           /* an LF now ends nothing (CRLF) */
  unsigned long line;
} line_reader;

typedef struct unsafe_entry {  /* an archive entry that could leave */
  char *path;
  const char *fault;
} unsafe_entry;

typedef struct checker {
  bag_report *r;
  size_t cap_problems;
  int archive;            /* the bag is one folder inside an archive */
  char *root;             /* its name and '/' ("" for a folder) */
  file_rec *files;
  size_t n_files, cap_files;
  tag_doc *docs;
  size_t n_docs, cap_docs;
  unsigned algs;          /* digests the first reading computes */
  uint64_t name_bytes;
  int oom;                /* memory ran out: bag_check fails */
  int over;               /* over a limit (said): the checks do not run */
  int rescan;             /* the second reading: only `want` digests */
  long cur_file;          /* the file being read, or -1 */
  long cur_doc;           /* its tag_doc, or -1 */
  bag_hash hash;
  line_reader lr;
  unsafe_entry *unsafe;
  size_t n_unsafe, cap_unsafe;
} checker;


/* ---- Shared helpers (bag_check.c) ---------------------------------------- */

/* A copy of s, or NULL when memory runs out (c->oom set). */
char *bc_dup(checker *c, const char *s);
/* Records a problem (or a warning) about file, at line when non-zero. */
void bc_say(checker *c, const char *file, unsigned long line, int warning,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define bad(c, file, ...) bc_say(c, file, 0, 0, __VA_ARGS__)
#define warn_about(c, file, ...) bc_say(c, file, 0, 1, __VA_ARGS__)
#define line_error(c, doc, line, ...) \
  bc_say(c, (doc)->file, line, 0, __VA_ARGS__)
/* Why a manifest path may not be used ("goes up with '..'"), or NULL. */
const char *bc_path_fault(const char *p);
/* Counts n more bytes of names against MAX_NAME_BYTES: 0 when over. */
int bc_take_name_bytes(checker *c, size_t n);

/* ---- Tag files (bag_tags.c) ---------------------------------------------- */

const char *bc_skip_blanks(const char *s);
int bc_is_blank(const char *s);
/* Feeds n bytes of tag file d, split into lines as they come. */
void bc_feed_lines(checker *c, tag_doc *d, const char *p, size_t n);
/* Ends d's last line, at the end of the file. */
void bc_end_line(checker *c, tag_doc *d);

#endif
