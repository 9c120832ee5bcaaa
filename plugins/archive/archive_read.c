/* archive_read.c - the `archive` reader: each file of an archive is an
 * input of its own, read by the reader the core picks for it.
 *
 * read_next takes one entry at a time: its bytes are read into memory
 * (within max-input-size), handed to the core as a sub-input named by the
 * entry's path, and that reader's documents are given one by one; then
 * the next entry.  Whatever the format of an entry, the core chooses its
 * reader (by the name's extension, then by content), so an archive of
 * HTML, text, JSON, books and other archives reads as they would one by
 * one, nested archives included (within max-nesting).
 *
 * What is skipped: directories, links, devices and FIFOs (a note under
 * -v); an entry no loaded format reads (a warning: --strict makes it an
 * error).  What fails one document and goes on: an encrypted entry (quire
 * never asks for a passphrase), one larger than max-input-size, one whose
 * reader fails.  What ends the archive with an error: more entries than
 * max-entries, more bytes than max-expanded-size, an entry or the whole
 * stream expanding more than max-ratio times what it was read from, a
 * broken or cut archive.
 *
 * A single compressed file (notes.txt.gz) is one entry named after it
 * ("notes.txt"); a compressed WARC (crawl.warc.gz) goes to the WARC
 * reader's records (warc_read.c).  A quire bundle (a BagIt bag whose first
 * file is NAME/bagit.txt) reads back as its sources: NAME/data/sources/. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive.h"

/* Each kind of skipped entry is told this many times, then counted. */
#define TELL_EACH 10
/* Bytes of an entry the core's sniffers look at. */
#define SNIFF_BYTES 4096

/* Internal results: the entry gives nothing, take the next; the raw
 * stream is one compressed file, to read as an entry. */
enum { SKIP = 10, AS_FILE = 11 };

int arc_oom(arc_reader *r) {
  quire_loc loc = {.file = r->name};
  r->env->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

int arc_has_sub_format(const quire_env *env) {
  return env->svc->struct_size > offsetof(quire_services, sub_format) &&
         env->svc->sub_format;
}

int arc_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                  void **state) {
  const quire_services *svc = env->svc;
  arc_reader *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = svc->input_name(in)};
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->env = env;
  r->name = svc->input_name(in);
  r->forced_encoding = svc->option(opts, "input-encoding") != NULL;
  r->max_entries = svc->limit(env, "max-entries");
  r->max_expanded = svc->limit(env, "max-expanded-size");
  r->max_input = svc->limit(env, "max-input-size");
  r->max_ratio = svc->limit(env, "max-ratio");
  int rc = arc_in_open(env, in, 0, &r->ai);
  if (rc != QUIRE_OK) {
    free(r);
    return rc;
  }
  *state = r;
  return QUIRE_OK;
}

/* Ends the entry being read: its sub-input, bytes and names. */
static void entry_end(arc_reader *r) {
  if (r->sub)
    r->env->svc->sub_close(r->env, r->sub);
  r->sub = NULL;
  free(r->data);
  free(r->entry);
  free(r->where);
  r->data = r->entry = r->where = NULL;
  r->len = r->cap = 0;
}

void arc_read_close(quire_env *env, void *state) {
  (void)env;
  arc_reader *r = state;
  if (!r)
    return;
  entry_end(r);
  warc_docs_free(r->warc);
  arc_in_close(r->ai);
  free(r->bag_sources);
  free(r);
}

/* The end of the archive: what was counted rather than told. */
static int finish(arc_reader *r) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = r->name};
  r->done = 1;
  if (r->told[W_NO_READER] > TELL_EACH)
    svc->warn(r->env, &loc, "%lu more entries that no format reads were "
              "skipped", r->told[W_NO_READER] - TELL_EACH);
  if (r->told[W_UNSAFE] > TELL_EACH)
    svc->warn(r->env, &loc, "%lu more entries had unsafe names, read under "
              "cleaned ones", r->told[W_UNSAFE] - TELL_EACH);
  if (r->entries == 0 && !r->warc)   /* never an empty output unsaid */
    svc->warn(r->env, &loc, "the archive holds no entry: nothing read");
  return QUIRE_DONE;
}

/* An error that ends the archive. */
static int fail_archive(arc_reader *r) {
  r->done = 1;
  return QUIRE_FAILED;
}

/* ---- One entry ---------------------------------------------------------- */

/* Warns of an entry, the first TELL_EACH times of a kind; then counts. */
static void tell(arc_reader *r, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void tell(arc_reader *r, int kind, const char *fmt, ...) {
  if (++r->told[kind] > TELL_EACH)
    return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  quire_loc loc = {.file = r->where};
  r->env->svc->warn(r->env, &loc, "%s", msg);
}

/* What kind of entry a non-regular one is, for the note; NULL for a file. */
static const char *not_a_file(struct archive_entry *e, const char *raw) {
  if (archive_entry_hardlink(e))
    return "a hard link";
  switch (archive_entry_filetype(e)) {
  case AE_IFREG: return NULL;
  case AE_IFDIR: return "a folder";
  case AE_IFLNK: return "a symbolic link";
  case AE_IFCHR: case AE_IFBLK: return "a device";
  case AE_IFIFO: return "a FIFO";
  case AE_IFSOCK: return "a socket";
  case 0:   /* some zips say nothing: a file unless named like a folder */
    return raw[0] && raw[strlen(raw) - 1] == '/' ? "a folder" : NULL;
  default: return "not a regular file";
  }
}

/* The first file decides: NAME/bagit.txt makes the archive a bundle, of
 * which only NAME/data/sources/ is read.  1: skip this entry; 0: read it;
 * QUIRE_FATAL when memory is exhausted. */
static int bundle_skips(arc_reader *r) {
  quire_loc loc = {.file = r->where};
  const quire_services *svc = r->env->svc;
  if (!r->seen_file) {
    r->seen_file = 1;
    const char *slash = strchr(r->entry, '/');
    if (!slash || slash == r->entry || strcmp(slash, "/bagit.txt") != 0)
      return 0;
    size_t n = (size_t)(slash - r->entry);
    r->bag_sources = malloc(n + sizeof "/data/sources/");
    if (!r->bag_sources)
      return arc_oom(r);
    memcpy(r->bag_sources, r->entry, n);
    strcpy(r->bag_sources + n, "/data/sources/");
    svc->info(r->env, &loc, "a quire bundle: only its sources (%s) are read",
              r->bag_sources);
    return 1;
  }
  if (!r->bag_sources)
    return 0;
  size_t n = strlen(r->bag_sources);
  if (strncmp(r->entry, r->bag_sources, n) == 0 && r->entry[n])
    return 0;
  svc->info(r->env, &loc, "skipped: not a source of the bundle");
  return 1;
}

/* Hands the entry's bytes to the core. */
static int open_sub(arc_reader *r) {
  const quire_services *svc = r->env->svc;
  quire_source src = {.name = r->entry, .data = r->data ? r->data : "",
                      .len = r->len};
  int rc = svc->sub_open(r->env, &src, &r->sub);
  if (rc < QUIRE_OK) {
    r->sub = NULL;
    if (rc == QUIRE_FATAL)
      r->done = 1;
    return rc;
  }
  return QUIRE_OK;
}

/* Whether some format reads the entry, by its name and first bytes (as
 * sub_open would choose); a warning when none does.  Without the core's
 * sub_format (before ABI 2.2) every entry is tried, and one no format
 * reads fails. */
static int readable(arc_reader *r) {
  if (!arc_has_sub_format(r->env))
    return 1;
  quire_source src = {.name = r->entry, .data = r->data ? r->data : "",
                      .len = r->len};
  if (r->env->svc->sub_format(r->env, &src))
    return 1;
  tell(r, W_NO_READER, "skipped: no format reads this entry");
  return 0;
}

/* Reads the file entry whose name is set: its head first, so that one no
 * format reads is skipped without being held, then the rest. */
static int read_file(arc_reader *r, struct archive_entry *e) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = r->where};
  if (archive_entry_is_encrypted(e)) {
    svc->error(r->env, &loc, "the entry is encrypted; quire never asks for "
               "a passphrase");
    archive_read_data_skip(r->ai->a);
    return QUIRE_FAILED;
  }
  if (arc_entry_reserve(r, e) != QUIRE_OK)
    return QUIRE_FATAL;
  if (arc_entry_layout_size(r, e) > r->max_input) {
    svc->error(r->env, &loc, "the entry is larger than the limit "
               "max-input-size (%llu bytes); raise it with --limit "
               "max-input-size=N", (unsigned long long)r->max_input);
    return arc_entry_skip(r) == QUIRE_OK && !r->ai->dead ? QUIRE_FAILED
                                                   : fail_archive(r);
  }
  if (arc_entry_fill(r, SNIFF_BYTES) != QUIRE_OK)
    return r->ai->dead ? fail_archive(r) : QUIRE_FAILED;
  if (!readable(r)) {
    int rc = arc_entry_skip(r);
    if (rc != QUIRE_OK)
      return r->ai->dead ? fail_archive(r) : QUIRE_FAILED;
    return SKIP;
  }
  size_t head = r->len;
  if (arc_entry_fill(r, arc_entry_max(r)) != QUIRE_OK)
    return r->ai->dead ? fail_archive(r) : QUIRE_FAILED;
  /* libarchive may give a sparse file's first bytes late: judge again */
  if (head < SNIFF_BYTES && r->len > head && !readable(r))
    return SKIP;
  if (r->len > r->max_input) {
    svc->error(r->env, &loc, "the entry is larger than the limit "
               "max-input-size (%llu bytes); raise it with --limit "
               "max-input-size=N", (unsigned long long)r->max_input);
    return arc_entry_skip(r) == QUIRE_OK && !r->ai->dead ? QUIRE_FAILED
                                                   : fail_archive(r);
  }
  svc->info(r->env, &loc, "entry of %zu bytes", r->len);
  return open_sub(r);
}

/* Names the entry: cleaned, with a warning when its name was unsafe. */
static int name_entry(arc_reader *r, const char *raw) {
  int unsafe;
  r->entry = arc_clean_name(raw, &unsafe);
  if (r->entry && !r->entry[0]) {
    free(r->entry);
    r->entry = malloc(32);
    if (r->entry)
      snprintf(r->entry, 32, "entry-%llu", (unsigned long long)r->entries);
  }
  if (!r->entry || !(r->where = arc_join(r->name, r->entry)))
    return arc_oom(r);
  if (unsafe) {
    char shown[512];
    tell(r, W_UNSAFE, "unsafe entry name '%s' (%s%s%s%s%s): read as '%s'",
         arc_printable(raw, shown, sizeof shown),
         unsafe & ARC_ABSOLUTE ? "absolute" : "",
         unsafe & ARC_ABSOLUTE && unsafe > ARC_ABSOLUTE ? ", " : "",
         unsafe & ARC_CLIMBS ? "climbs out with '..'" : "",
         unsafe & ARC_CLIMBS && unsafe & ARC_CONTROL ? ", " : "",
         unsafe & ARC_CONTROL ? "holds control characters" : "", r->entry);
  }
  return QUIRE_OK;
}

/* The WARC reader pulls the stream's bytes: those read to sniff first. */
static long warc_pull(void *user, void *buf, size_t n) {
  arc_reader *r = user;
  if (r->head_pos < r->len) {
    size_t k = r->len - r->head_pos;
    if (k > n)
      k = n;
    memcpy(buf, r->data + r->head_pos, k);
    r->head_pos += k;
    return (long)k;
  }
  return arc_in_data(r->ai, buf, n, r->name);
}

/* The first entry of a raw stream: one compressed file, or a WARC. */
static int read_raw(arc_reader *r) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = r->name};
  int plain = archive_filter_code(r->ai->a, 0) == ARCHIVE_FILTER_NONE;
  r->entry = arc_raw_name(r->name);
  if (!r->entry || !(r->where = arc_join(r->name, r->entry)))
    return arc_oom(r);
  if (arc_entry_fill(r, SNIFF_BYTES) != QUIRE_OK)
    return fail_archive(r);
  if (r->len >= 6 && memcmp(r->data, "WARC/", 5) == 0) {
    svc->info(r->env, &loc, "a WARC file: reading its records");
    return warc_docs_new(r->env, r->name, warc_pull, r, r->forced_encoding,
                         &r->warc) ==
                   QUIRE_OK
               ? QUIRE_OK
               : fail_archive(r);
  }
  if (plain) {
    svc->error(r->env, &loc, "not an archive or a compressed file that "
               "quire reads");
    return fail_archive(r);
  }
  return AS_FILE;
}

/* The one file of a raw stream, read whole and handed to the core. */
static int read_raw_file(arc_reader *r) {
  if (arc_entry_fill(r, arc_entry_max(r)) != QUIRE_OK)
    return fail_archive(r);
  if (r->len > r->max_input) {
    quire_loc loc = {.file = r->where};
    r->env->svc->error(r->env, &loc, "larger than the limit max-input-size "
                       "(%llu bytes) once expanded; raise it with --limit "
                       "max-input-size=N", (unsigned long long)r->max_input);
    return fail_archive(r);
  }
  return open_sub(r);
}

/* Moves to the next entry and opens it: QUIRE_OK (r->sub or r->warc
 * open), SKIP, QUIRE_DONE, or a failure. */
static int next_entry(arc_reader *r) {
  const quire_services *svc = r->env->svc;
  struct archive *a = r->ai->a;
  quire_loc loc = {.file = r->name};
  struct archive_entry *e;
  const char *raw;
  int ar = arc_in_next_header(r->ai, &e, &raw);
  if (ar == ARCHIVE_EOF)
    return finish(r);
  r->entries++;
  if (r->entries > r->max_entries) {
    char shown[512];
    svc->error(r->env, &loc, "the archive holds more entries than the limit "
               "max-entries (%llu): entry %llu '%s' is one too many; raise "
               "it with --limit max-entries=N",
               (unsigned long long)r->max_entries,
               (unsigned long long)r->entries,
               arc_printable(raw ? raw : "", shown, sizeof shown));
    return fail_archive(r);
  }
  if (ar == ARCHIVE_RETRY) {
    svc->info(r->env, &loc, "a damaged header skipped: %s",
              arc_in_error(r->ai));
    return SKIP;
  }
  if (ar == ARCHIVE_FAILED && !r->ai->input_failed &&
      r->ai->bytes_in != r->failed_at) {
    /* this entry cannot be read, the next may (unless libarchive is stuck
     * where it was when it last said so) */
    char shown[512];
    r->failed_at = r->ai->bytes_in;
    svc->error(r->env, &loc, "entry %llu '%s' cannot be read: %s",
               (unsigned long long)r->entries,
               arc_printable(raw ? raw : "", shown, sizeof shown),
               arc_in_error(r->ai));
    return QUIRE_FAILED;
  }
  if (ar < ARCHIVE_WARN) {
    if (r->ai->input_failed)
      return fail_archive(r);   /* the message is set */
    if (archive_read_has_encrypted_entries(a) > 0)
      svc->error(r->env, &loc, "the archive is encrypted; quire never asks "
                 "for a passphrase");
    else
      svc->error(r->env, &loc, "cannot read this archive: %s",
                 arc_in_error(r->ai));
    return fail_archive(r);
  }
  if (ar == ARCHIVE_WARN)
    svc->info(r->env, &loc, "libarchive: %s", arc_in_error(r->ai));
  if (!raw)
    raw = "";
  r->entry_in = r->ai->bytes_in;
  r->entry_out = 0;
  if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW &&
      r->entries == 1) {
    int rc = read_raw(r);
    return rc == AS_FILE ? read_raw_file(r) : rc;
  }
  if (name_entry(r, raw) != QUIRE_OK)
    return QUIRE_FATAL;
  loc.file = r->where;
  const char *kind = not_a_file(e, raw);
  int skip = kind ? 1 : bundle_skips(r);
  if (kind)
    svc->info(r->env, &loc, "skipped: %s", kind);
  if (skip < 0)
    return skip;
  if (!skip)
    return read_file(r, e);
  /* whatever data a skipped entry has is expanded within the limits */
  if (arc_entry_skip(r) != QUIRE_OK)
    return r->ai->dead ? fail_archive(r) : QUIRE_FAILED;
  return SKIP;
}

/* ---- Documents ---------------------------------------------------------- */

/* A document of the entry gets the entry as its source and, without a
 * title, the entry's file name (as a file read alone would). */
/* Whether url names a local file: no scheme ("http:", "data:"), not
 * "//host", not "#fragment". */
static int local_url(const char *url) {
  if (!url || !url[0] || url[0] == '#' || (url[0] == '/' && url[1] == '/'))
    return 0;
  size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  return !(n > 0 && url[n] == ':');
}

/* Images of a page naming other entries are not carried: entries are read
 * in one pass.  Said once per entry, never silently. */
static void warn_lost_images(arc_reader *r, const quire_doc *doc) {
  const quire_services *svc = r->env->svc;
  unsigned long lost = 0;
  quire_iter it;
  svc->iter_init(&it, doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE)
    if (it.event == QUIRE_EV_ENTER && it.node->type == QUIRE_NODE_IMAGE &&
        local_url(it.node->url) &&
        !(svc->struct_size > offsetof(quire_services, res_find) &&
          svc->res_find(doc, it.node->url)))
      lost++;
  if (lost) {
    quire_loc loc = {.file = r->where};
    svc->warn(r->env, &loc, "%lu image%s the page shows not carried: an "
                            "archive's entries are read in one pass, so a "
                            "page cannot take its neighbours",
              lost, lost == 1 ? "" : "s");
  }
}

static int finish_doc(arc_reader *r, quire_doc *doc) {
  const quire_services *svc = r->env->svc;
  warn_lost_images(r, doc);
  if (!svc->meta_get(doc->meta, QUIRE_META_SOURCE) &&
      svc->meta_set(doc, QUIRE_META_SOURCE, r->where) != QUIRE_OK)
    return arc_oom(r);
  const char *title = svc->meta_get(doc->meta, QUIRE_META_TITLE);
  if (!title || !title[0]) {
    const char *base = strrchr(r->entry, '/');
    base = base ? base + 1 : r->entry;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *t = svc->strndup(doc, base, n);
    if (!t || svc->meta_set(doc, QUIRE_META_TITLE, t) != QUIRE_OK)
      return arc_oom(r);
  }
  return QUIRE_OK;
}

int arc_read_next(quire_env *env, void *state, quire_doc **doc) {
  (void)env;
  arc_reader *r = state;
  *doc = NULL;
  for (;;) {
    if (r->done)
      return QUIRE_DONE;
    if (r->warc) {
      int rc = warc_docs_next(r->warc, doc);
      if (rc == QUIRE_DONE)
        return finish(r);
      if (rc == QUIRE_FATAL)
        r->done = 1;
      return rc;
    }
    if (r->sub) {
      int rc = env->svc->sub_next(env, r->sub, doc);
      if (rc == QUIRE_OK || rc == QUIRE_WARN) {
        int fin = finish_doc(r, *doc);
        if (fin != QUIRE_OK) {
          env->svc->doc_free(*doc);
          *doc = NULL;
          r->done = 1;
          return fin;
        }
        return rc;
      }
      entry_end(r);
      if (rc == QUIRE_DONE)
        continue;
      if (rc == QUIRE_FATAL)
        r->done = 1;
      return rc;   /* this entry's document failed; the next call goes on */
    }
    int rc = next_entry(r);
    if (rc == QUIRE_OK)
      continue;
    if (!r->warc)
      entry_end(r);
    if (rc == SKIP)
      continue;
    if (rc == QUIRE_FATAL)
      r->done = 1;
    return rc;
  }
}
