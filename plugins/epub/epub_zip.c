/* epub_zip.c - the OCF container, written with libzip.
 *
 * EPUB readers find an EPUB by its first ZIP entry: a file named
 * "mimetype", stored uncompressed, with no extra field, so that the bytes
 * "mimetypeapplication/epub+zip" sit at offset 30.  libarchive's ZIP
 * writer always adds extended-timestamp and Unix extra fields (which
 * epubcheck reports as PKG-005); libzip 1.7 adds none, and lets each entry
 * have its own compression and date.
 *
 * Reproducibility: entries go in the order they are added, each with the
 * same date, and libzip's temporary file name never reaches the bytes.
 *
 * Chapters are deflated here, as they are written, rather than by libzip
 * at close: libzip sets up a fresh zlib state (a quarter megabyte, cleared)
 * for every entry, which for thousands of short chapters cost as much as
 * the compression itself.  libzip copies such data as it is when the
 * source says it is compressed (zip_source_function(3), ZIP_SOURCE_STAT). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>
#include <zlib.h>

#include "epub_write.h"

struct epub_zip {
  zip_t *za;
  const char *path;     /* borrowed, for messages */
  time_t when;
  FILE *fp;             /* borrowed: where the archive is written */
  zip_error_t error;    /* the sink's last error */
};

/* ---- The sink: libzip writes the archive into an open file ---------------
 *
 * libzip writes an archive to a file by name (under a temporary name beside
 * it, renamed at the end), which a killed process would leave behind; given
 * a source that can be written, it writes there instead (zip_source_function
 * (3)).  This one writes into a file the writer holds open with no name.
 * The archive starts empty (ZIP_TRUNCATE), so the read side only ever sees
 * what was written. */
static zip_int64_t sink_fail(epub_zip *z, int code) {
  zip_error_set(&z->error, code, errno);
  return -1;
}

static zip_int64_t sink_size(epub_zip *z) {
  off_t at = ftello(z->fp);
  if (at < 0 || fseeko(z->fp, 0, SEEK_END) != 0)
    return -1;
  off_t end = ftello(z->fp);
  return fseeko(z->fp, at, SEEK_SET) == 0 ? (zip_int64_t)end : -1;
}

static zip_int64_t sink_seek(epub_zip *z, void *data, zip_uint64_t len) {
  zip_int64_t size = sink_size(z);
  off_t at = ftello(z->fp);
  if (size < 0 || at < 0)
    return sink_fail(z, ZIP_ER_SEEK);
  zip_int64_t to = zip_source_seek_compute_offset((zip_uint64_t)at,
                                                  (zip_uint64_t)size, data,
                                                  len, &z->error);
  if (to < 0)
    return -1;
  return fseeko(z->fp, (off_t)to, SEEK_SET) == 0 ? 0
                                                 : sink_fail(z, ZIP_ER_SEEK);
}

static zip_int64_t sink_truncate(epub_zip *z) {
  if (fflush(z->fp) != 0 || ftruncate(fileno(z->fp), 0) != 0 ||
      fseeko(z->fp, 0, SEEK_SET) != 0)
    return sink_fail(z, ZIP_ER_WRITE);
  return 0;
}

static zip_int64_t sink(void *user, void *data, zip_uint64_t len,
                        zip_source_cmd_t cmd) {
  epub_zip *z = user;
  switch (cmd) {
  case ZIP_SOURCE_OPEN:
  case ZIP_SOURCE_BEGIN_WRITE:
  case ZIP_SOURCE_ROLLBACK_WRITE:
  case ZIP_SOURCE_REMOVE:
    /* An archive being made starts, or starts again, empty. */
    return cmd == ZIP_SOURCE_OPEN ? (fseeko(z->fp, 0, SEEK_SET) == 0
                                         ? 0 : sink_fail(z, ZIP_ER_SEEK))
                                  : sink_truncate(z);
  case ZIP_SOURCE_READ: {
    size_t n = fread(data, 1, len, z->fp);
    return n < len && ferror(z->fp) ? sink_fail(z, ZIP_ER_READ)
                                    : (zip_int64_t)n;
  }
  case ZIP_SOURCE_WRITE:
    return fwrite(data, 1, len, z->fp) == len ? (zip_int64_t)len
                                              : sink_fail(z, ZIP_ER_WRITE);
  case ZIP_SOURCE_SEEK:
  case ZIP_SOURCE_SEEK_WRITE:
    return sink_seek(z, data, len);
  case ZIP_SOURCE_TELL:
  case ZIP_SOURCE_TELL_WRITE: {
    off_t at = ftello(z->fp);
    return at < 0 ? sink_fail(z, ZIP_ER_TELL) : (zip_int64_t)at;
  }
  case ZIP_SOURCE_COMMIT_WRITE:
    return fflush(z->fp) == 0 ? 0 : sink_fail(z, ZIP_ER_WRITE);
  case ZIP_SOURCE_CLOSE:
  case ZIP_SOURCE_FREE:
    return 0;
  case ZIP_SOURCE_STAT: {
    zip_stat_t *st = data;
    zip_int64_t size = sink_size(z);
    if (size < 0)
      return sink_fail(z, ZIP_ER_SEEK);
    zip_stat_init(st);
    st->size = (zip_uint64_t)size;
    st->valid |= ZIP_STAT_SIZE;
    return sizeof *st;
  }
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&z->error, data, len);
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
        ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE,
        ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
        ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
  default:
    zip_error_set(&z->error, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

/* libzip turns an entry's date into a DOS date with localtime(), so the
 * same instant would give different bytes in different time zones.  The
 * instant whose local date and time read like t's UTC date and time makes
 * every zone write t in UTC.  DOS dates end in 2107. */
static time_t zone_free(time_t t) {
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return t;
  if (tm.tm_year > 2107 - 1900)
    tm = (struct tm){.tm_year = 2107 - 1900, .tm_mon = 11, .tm_mday = 31,
                     .tm_hour = 23, .tm_min = 59, .tm_sec = 58};
  tm.tm_isdst = -1;
  time_t local = mktime(&tm);
  return local == (time_t)-1 ? t : local;
}

static int zip_failed(quire_env *env, const char *path, zip_error_t *ze,
                      const char *what) {
  quire_loc loc = {.file = path};
  env->svc->error(env, &loc, "%s: %s", what, zip_error_strerror(ze));
  return QUIRE_FATAL;
}

epub_zip *epub_zip_open(quire_env *env, FILE *fp, const char *path,
                        time_t mtime) {
  epub_zip *z = calloc(1, sizeof *z);
  if (!z) {
    env->svc->error(env, NULL, "out of memory");
    return NULL;
  }
  z->fp = fp;
  z->path = path;
  z->when = zone_free(mtime);
  zip_error_init(&z->error);
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_function_create(sink, z, &ze);
  if (src && !(z->za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
    zip_source_free(src);
  if (!z->za) {
    zip_failed(env, path, &ze, "cannot create the EPUB");
    zip_error_fini(&ze);
    zip_error_fini(&z->error);
    free(z);
    return NULL;
  }
  zip_error_fini(&ze);
  return z;
}

static int add(quire_env *env, epub_zip *z, const char *name,
               zip_source_t *src, const char *file, int store) {
  zip_int64_t at = src ? zip_file_add(z->za, name, src, 0) : -1;
  if (at < 0) {
    if (src)
      zip_source_free(src);
    /* Name the file libzip could not take, else the archive. */
    return zip_failed(env, file ? file : z->path, zip_get_error(z->za),
                      "cannot add to the EPUB");
  }
  /* Level 6, zlib's default: libzip's default, 9, is about twice as slow
   * on text for a gain under 1%.  store < 0: the source's data is deflated
   * already and copied as it is.  Every entry gets the same permissions,
   * rather than those of the temporary files (which follow the umask). */
  zip_uint64_t i = (zip_uint64_t)at;
  if ((store >= 0 &&
       zip_set_file_compression(z->za, i,
                                store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                store ? 0 : 6) < 0) ||
      zip_file_set_mtime(z->za, i, z->when, 0) < 0 ||
      zip_file_set_external_attributes(z->za, i, 0, ZIP_OPSYS_UNIX,
                                       (zip_uint32_t)0100644 << 16) < 0)
    return zip_failed(env, z->path, zip_get_error(z->za),
                      "cannot add to the EPUB");
  return QUIRE_OK;
}

int epub_zip_add_file(quire_env *env, epub_zip *z, const char *name,
                      const char *file, uint64_t start, int64_t len,
                      int store) {
  return add(env, z, name, zip_source_file(z->za, file, start, len), file,
             store);
}

int epub_zip_add_bytes(quire_env *env, epub_zip *z, const char *name,
                       const void *data, size_t len, int store) {
  return add(env, z, name, zip_source_buffer(z->za, data, len, 0), NULL,
             store);
}

int epub_zip_close(quire_env *env, epub_zip *z) {
  /* Sources are read, compressed and written only now. */
  int rc = QUIRE_OK;
  if (zip_close(z->za) < 0) {
    rc = zip_failed(env, z->path, zip_get_error(z->za),
                    "cannot write the EPUB");
    zip_discard(z->za);
  }
  zip_error_fini(&z->error);
  free(z);
  return rc;
}

void epub_zip_discard(epub_zip *z) {
  if (!z)
    return;
  zip_discard(z->za);
  zip_error_fini(&z->error);
  free(z);
}

/* A libzip source giving the data of one span of a file: deflated, or
 * stored as it is. */
typedef struct span_source {
  int fd;                 /* borrowed: the spool stays open until the end */
  epub_span span;
  uint64_t done;
  zip_error_t error;
} span_source;

static zip_int64_t span_read(void *user, void *data, zip_uint64_t len,
                             zip_source_cmd_t cmd) {
  span_source *s = user;
  switch (cmd) {
  case ZIP_SOURCE_OPEN:
    s->done = 0;
    return 0;
  case ZIP_SOURCE_READ: {
    uint64_t left = s->span.comp_size - s->done;
    size_t n = (size_t)(len < left ? len : left);
    ssize_t got;
    do
      got = pread(s->fd, data, n, (off_t)(s->span.offset + s->done));
    while (got < 0 && errno == EINTR);
    if (got < 0 || (got == 0 && n > 0)) {
      zip_error_set(&s->error, ZIP_ER_READ, got < 0 ? errno : EIO);
      return -1;
    }
    s->done += (uint64_t)got;
    return got;
  }
  case ZIP_SOURCE_CLOSE:
    return 0;
  case ZIP_SOURCE_STAT: {
    zip_stat_t *st = data;
    zip_stat_init(st);
    st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
                ZIP_STAT_CRC;
    st->size = s->span.size;
    st->comp_size = s->span.comp_size;
    st->comp_method = s->span.stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
    st->crc = s->span.crc;
    return sizeof *st;
  }
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&s->error, data, len);
  case ZIP_SOURCE_FREE:
    zip_error_fini(&s->error);
    free(s);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
  default:
    zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

int epub_zip_add_deflated(quire_env *env, epub_zip *z, const char *name,
                          int fd, const epub_span *span) {
  span_source *s = calloc(1, sizeof *s);
  if (!s) {
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  s->fd = fd;
  s->span = *span;
  zip_error_init(&s->error);
  zip_source_t *src = zip_source_function(z->za, span_read, s);
  if (!src)
    free(s);
  /* Stored data is marked as such, so that libzip copies it as it is
   * rather than compressing it. */
  return add(env, z, name, src, NULL, span->stored ? 1 : -1);
}
