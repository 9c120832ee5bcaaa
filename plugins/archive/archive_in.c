/* archive_in.c - libarchive over quire's input, within the limits.
 *
 * A file the user named is read through a descriptor of our own, so that
 * libarchive may seek: a zip is then read by its central directory (what
 * every zip tool trusts, not the local headers a streaming reader would
 * meet first), and a 7z, whose header is at its end, can be read at all.
 * Anything else (standard input, memory, an archive inside an archive) is
 * a stream pulled through svc->input_read; a 7z there is read whole into
 * memory first, within max-input-size, since it cannot be read otherwise.
 * Nothing is ever written to disk.
 *
 * Only the filters whose library is built into libarchive are enabled:
 * for the others (lrzip, grzip, lzop ...) libarchive would run an external
 * program on hostile bytes.  mtree is never enabled: it reads the files an
 * archive names from the disk.  libarchive's WARC format is not enabled
 * either; warc_stream.c reads WARC (it needs the record types and target
 * URIs, which libarchive's reader drops).
 *
 * Every byte of entry data passes through arc_in_data(), which counts it
 * against the bytes read from the input: a stream expanding more than
 * max-ratio times (past ARC_RATIO_FLOOR) is a bomb, stopped there.
 *
 * libarchive converts entry names through the locale's character set,
 * and quire sets no locale: in "C" a UTF-8 name cannot be converted and
 * comes out as nothing.  Headers are therefore read, and names taken, in
 * a UTF-8 locale of the thread's own (uselocale), which leaves the
 * program's locale alone; as the bag plugin writes them. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive.h"

static const unsigned char sevenzip_magic[6] = {0x37, 0x7A, 0xBC,
                                                0xAF, 0x27, 0x1C};

static la_ssize_t on_read(struct archive *a, void *user, const void **buf) {
  arc_in *r = user;
  *buf = r->block;
  if (r->mem) {
    size_t n = r->mem_len - r->mem_pos;
    if (n > ARC_BLOCK)
      n = ARC_BLOCK;
    *buf = r->mem + r->mem_pos;
    r->mem_pos += n;
    r->bytes_in += n;
    return (la_ssize_t)n;
  }
  if (r->fd >= 0) {
    ssize_t n;
    do
      n = read(r->fd, r->block, ARC_BLOCK);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      archive_set_error(a, errno, "cannot read: %s", strerror(errno));
      return ARCHIVE_FATAL;
    }
    r->bytes_in += (uint64_t)n;
    return n;
  }
  if (r->peek_pos < r->peek_len) {
    size_t n = r->peek_len - r->peek_pos;
    *buf = r->peek + r->peek_pos;
    r->peek_pos = r->peek_len;
    r->bytes_in += n;
    return (la_ssize_t)n;
  }
  long n = r->env->svc->input_read(r->env, r->in, r->block, ARC_BLOCK);
  if (n < 0) {
    r->input_failed = 1;
    archive_set_error(a, EIO, "cannot read the input");
    return ARCHIVE_FATAL;
  }
  r->bytes_in += (uint64_t)n;
  return n;
}

static la_int64_t on_seek(struct archive *a, void *user, la_int64_t offset,
                          int whence) {
  arc_in *r = user;
  if (r->fd >= 0) {
    off_t at = lseek(r->fd, (off_t)offset, whence);
    if (at < 0) {
      archive_set_error(a, errno, "cannot seek: %s", strerror(errno));
      return ARCHIVE_FATAL;
    }
    return at;
  }
  la_int64_t base = whence == SEEK_SET   ? 0
                    : whence == SEEK_CUR ? (la_int64_t)r->mem_pos
                                         : (la_int64_t)r->mem_len;
  if ((offset < 0 && -offset > base) ||
      (offset > 0 && offset > (la_int64_t)r->mem_len - base)) {
    archive_set_error(a, EINVAL, "seek out of the archive");
    return ARCHIVE_FATAL;
  }
  r->mem_pos = (size_t)(base + offset);
  return (la_int64_t)r->mem_pos;
}

/* Forward skips without reading, where the input allows it. */
static la_int64_t on_skip(struct archive *a, void *user, la_int64_t request) {
  (void)a;
  arc_in *r = user;
  if (request <= 0)
    return 0;
  if (r->fd >= 0) {
    off_t from = lseek(r->fd, 0, SEEK_CUR);
    if (from < 0 || lseek(r->fd, (off_t)request, SEEK_CUR) < 0)
      return 0;   /* libarchive then reads what it wanted to skip */
    return request;
  }
  size_t left = r->mem_len - r->mem_pos;
  size_t n = (uint64_t)request < left ? (size_t)request : left;
  r->mem_pos += n;
  return (la_int64_t)n;
}

static void enable_filters(struct archive *a) {
  if (archive_zlib_version())
    archive_read_support_filter_gzip(a);
  if (archive_bzlib_version())
    archive_read_support_filter_bzip2(a);
  if (archive_liblzma_version()) {
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_lzip(a);
  }
  if (archive_liblz4_version())
    archive_read_support_filter_lz4(a);
  if (archive_libzstd_version())
    archive_read_support_filter_zstd(a);
  archive_read_support_filter_compress(a);   /* built in: .Z */
  archive_read_support_filter_uu(a);         /* built in */
}

static void enable_formats(struct archive *a, int raw_only) {
  if (!raw_only) {
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_xar(a);
    archive_read_support_format_empty(a);
  }
  /* One compressed file (notes.txt.gz, crawl.warc.gz) is one entry. */
  archive_read_support_format_raw(a);
}

static int out_of_memory(arc_in *r) {
  quire_loc loc = {.file = r->name};
  r->env->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

/* Reads what the input holds after the peeked bytes into r->mem. */
static int read_whole(arc_in *r) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = r->name};
  uint64_t max = svc->limit(r->env, "max-input-size");
  size_t cap = r->peek_len + ARC_BLOCK;
  unsigned char *mem = malloc(cap);
  if (!mem)
    return out_of_memory(r);
  memcpy(mem, r->peek, r->peek_len);
  size_t len = r->peek_len;
  for (;;) {
    if (len > max) {
      free(mem);
      svc->error(r->env, &loc, "a 7z archive that is not a file (standard "
                 "input, or inside another archive) is read whole, and this "
                 "one is larger than the limit max-input-size (%llu); give it "
                 "as a file, or raise the limit",
                 (unsigned long long)max);
      return QUIRE_FAILED;
    }
    if (cap - len < ARC_BLOCK) {
      unsigned char *grown = cap < SIZE_MAX / 2 ? realloc(mem, cap * 2) : NULL;
      if (!grown) {
        free(mem);
        return out_of_memory(r);
      }
      mem = grown;
      cap *= 2;
    }
    long n = svc->input_read(r->env, r->in, mem + len, ARC_BLOCK);
    if (n < 0) {
      free(mem);
      return QUIRE_FAILED;   /* the message is set */
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  r->mem = mem;
  r->mem_len = len;
  return QUIRE_OK;
}

/* The first block of a stream, kept to be handed to libarchive first. */
static int peek(arc_in *r) {
  r->peek = malloc(ARC_BLOCK);
  if (!r->peek)
    return out_of_memory(r);
  while (r->peek_len < ARC_BLOCK) {
    long n = r->env->svc->input_read(r->env, r->in, r->peek + r->peek_len,
                                     ARC_BLOCK - r->peek_len);
    if (n < 0)
      return QUIRE_FAILED;   /* the message is set */
    if (n == 0)
      break;
    r->peek_len += (size_t)n;
  }
  return QUIRE_OK;
}

/* Our own descriptor of the input's file, when it is a regular file. */
static int open_file(const char *path) {
  if (!path)
    return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close(fd);
    fd = -1;
  }
  return fd;
}

int arc_in_open(quire_env *env, quire_input *in, int raw_only,
                arc_in **result) {
  const quire_services *svc = env->svc;
  *result = NULL;
  arc_in *r = calloc(1, sizeof *r);
  if (!r) {
    quire_loc loc = {.file = svc->input_name(in)};
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->env = env;
  r->in = in;
  r->name = svc->input_name(in);
  r->fd = open_file(svc->input_path(in));
  r->max_ratio = svc->limit(env, "max-ratio");
  r->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  r->block = malloc(ARC_BLOCK);
  r->a = archive_read_new();
  if (!r->block || !r->a) {
    int rc = out_of_memory(r);
    arc_in_close(r);
    return rc;
  }
  int rc = QUIRE_OK;
  if (r->fd < 0) {
    rc = peek(r);
    if (rc == QUIRE_OK && !raw_only && r->peek_len >= sizeof sevenzip_magic &&
        memcmp(r->peek, sevenzip_magic, sizeof sevenzip_magic) == 0)
      rc = read_whole(r);
  }
  if (rc != QUIRE_OK) {
    arc_in_close(r);
    return rc;
  }
  enable_filters(r->a);
  enable_formats(r->a, raw_only);
  if (r->fd >= 0 || r->mem)
    archive_read_set_seek_callback(r->a, on_seek);
  if (archive_read_open2(r->a, r, NULL, on_read,
                         r->fd >= 0 || r->mem ? on_skip : NULL,
                         NULL) != ARCHIVE_OK) {
    quire_loc loc = {.file = r->name};
    if (!r->input_failed)
      svc->error(env, &loc, "cannot read this archive: %s", arc_in_error(r));
    arc_in_close(r);
    return QUIRE_FAILED;
  }
  *result = r;
  return QUIRE_OK;
}

void arc_in_close(arc_in *r) {
  if (!r)
    return;
  if (r->a)
    archive_read_free(r->a);
  if (r->fd >= 0)
    close(r->fd);
  if (r->utf8)
    freelocale(r->utf8);
  free(r->mem);
  free(r->peek);
  free(r->block);
  free(r);
}

const char *arc_in_error(const arc_in *r) {
  const char *e = archive_error_string(r->a);
  return e && e[0] ? e
                   : "libarchive gives no reason (damaged, or a kind it "
                     "cannot read here: a 7z inside a compressed file)";
}

long arc_in_data(arc_in *r, void *buf, size_t n, const char *what) {
  const quire_services *svc = r->env->svc;
  quire_loc loc = {.file = what};
  /* libarchive fills the whole buffer before it returns: read in pieces,
   * so that the limits are judged every megabyte */
  if (n > ARC_CHECK_EVERY)
    n = ARC_CHECK_EVERY;
  la_ssize_t got = archive_read_data(r->a, buf, n);
  if (got < 0) {
    if (got == ARCHIVE_FATAL || r->input_failed)
      r->dead = 1;
    if (!r->input_failed)
      svc->error(r->env, &loc, "cannot read this entry: %s", arc_in_error(r));
    return -1;
  }
  r->bytes_out += (uint64_t)got;
  uint64_t in = r->bytes_in, ratio = r->max_ratio;
  int overflows = ratio && in > UINT64_MAX / ratio;   /* then it cannot */
  if (r->bytes_out > ARC_RATIO_FLOOR && !overflows &&
      r->bytes_out > ratio * in) {
    svc->error(r->env, &loc, "the archive expands more than the limit "
               "max-ratio (%llu) times its size: %llu bytes from the first "
               "%llu read (a compression bomb?); raise it with --limit "
               "max-ratio=N", (unsigned long long)ratio,
               (unsigned long long)r->bytes_out, (unsigned long long)in);
    r->dead = 1;
    return -1;
  }
  return (long)got;
}

int arc_in_next_header(arc_in *r, struct archive_entry **e,
                       const char **name) {
  locale_t before = r->utf8 ? uselocale(r->utf8) : (locale_t)0;
  int rc = archive_read_next_header(r->a, e);
  *name = NULL;
  if (rc >= ARCHIVE_WARN || rc == ARCHIVE_FAILED) {
    *name = archive_entry_pathname_utf8(*e);
    if (!*name)
      *name = archive_entry_pathname(*e);
  }
  if (r->utf8)
    uselocale(before);
  return rc;
}
