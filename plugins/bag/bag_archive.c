/* bag_archive.c - the archive the bag is written into, with libarchive.
 *
 * Deterministic: entries are regular files, mode 0644, owner and group 0
 * without names, dated `when` (SOURCE_DATE_EPOCH when set), gzip without
 * its own time stamp; the same entries in the same order give the same
 * bytes.  The archive's bytes go to the core's output as they come.
 *
 * libarchive converts names through the locale's character set, and quire
 * sets no locale: in "C" a name beyond ASCII cannot be written (pax) or
 * crashes the conversion.  Every call that handles a name therefore runs
 * in a UTF-8 locale of this thread's own (uselocale), which leaves the
 * program's locale alone. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "bag.h"

struct bag_archive {
  quire_env *env;
  locale_t utf8;           /* C.UTF-8 for this thread's calls, or 0 */
  quire_output *out;
  struct archive *ar;
  time_t when;
  int write_failed;        /* the output refused bytes (message set) */
};

static const struct {
  const char *suffix;      /* of the output name */
  const char *kind;
} kinds[] = {
    {".tar.gz", "tar.gz"},   {".tgz", "tar.gz"},     {".tar.xz", "tar.xz"},
    {".txz", "tar.xz"},      {".tar.zst", "tar.zst"}, {".tzst", "tar.zst"},
    {".tar.bz2", "tar.bz2"}, {".tbz2", "tar.bz2"},   {".tar", "tar"},
    {".zip", "zip"},         {".7z", "7z"},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static size_t suffix_of(const char *name, size_t k) {
  size_t n = strlen(name), m = strlen(kinds[k].suffix);
  return n > m && strcmp(name + n - m, kinds[k].suffix) == 0 ? m : 0;
}

const char *bag_archive_kind(const char *name) {
  for (size_t k = 0; name && k < N_KINDS; k++)
    if (suffix_of(name, k))
      return kinds[k].kind;
  return NULL;
}

char *bag_archive_stem(const char *name) {
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  size_t n = strlen(base);
  for (size_t k = 0; k < N_KINDS; k++) {
    size_t m = suffix_of(base, k);
    if (m) {
      n -= m;
      break;
    }
  }
  char *stem = malloc(n + 1);
  if (stem) {
    memcpy(stem, base, n);
    stem[n] = '\0';
  }
  return stem;
}

static la_ssize_t write_bytes(struct archive *ar, void *user,
                              const void *buf, size_t n) {
  (void)ar;
  bag_archive *a = user;
  if (a->env->svc->output_write(a->env, a->out, buf, n) != QUIRE_OK) {
    a->write_failed = 1;
    return -1;
  }
  return (la_ssize_t)n;
}

static int fail(bag_archive *a, const char *what) {
  if (!a->write_failed)
    a->env->svc->error(a->env, NULL, "%s: %s", what,
                       archive_error_string(a->ar)
                           ? archive_error_string(a->ar)
                           : "the archive library failed");
  return QUIRE_FATAL;
}

/* level NULL: each compressor's default, but gzip's 6 (libarchive's own
 * default for gzip is the slowest, 9). */
static int set_kind(struct archive *ar, const char *kind, const char *level) {
  if (strcmp(kind, "zip") == 0 || strcmp(kind, "7z") == 0) {
    int rc = kind[0] == 'z' ? archive_write_set_format_zip(ar)
                            : archive_write_set_format_7zip(ar);
    if (rc == ARCHIVE_OK && level)
      rc = archive_write_set_format_option(
          ar, kind[0] == 'z' ? "zip" : "7zip", "compression-level", level);
    return rc;
  }
  int rc = archive_write_set_format_pax_restricted(ar);
  const char *filter = NULL;
  if (rc == ARCHIVE_OK && strcmp(kind, "tar.gz") == 0) {
    filter = "gzip";
    rc = archive_write_add_filter_gzip(ar);
    if (rc == ARCHIVE_OK)   /* no time stamp in the gzip header */
      rc = archive_write_set_filter_option(ar, "gzip", "timestamp", NULL);
    if (!level)
      level = "6";
  } else if (rc == ARCHIVE_OK && strcmp(kind, "tar.xz") == 0) {
    filter = "xz";
    rc = archive_write_add_filter_xz(ar);
  } else if (rc == ARCHIVE_OK && strcmp(kind, "tar.zst") == 0) {
    filter = "zstd";
    rc = archive_write_add_filter_zstd(ar);
  } else if (rc == ARCHIVE_OK && strcmp(kind, "tar.bz2") == 0) {
    filter = "bzip2";
    rc = archive_write_add_filter_bzip2(ar);
  }
  if (rc == ARCHIVE_OK && filter && level)
    rc = archive_write_set_filter_option(ar, filter, "compression-level",
                                         level);
  return rc;
}

int bag_archive_open(quire_env *env, quire_output *out, const char *kind,
                     time_t when, const char *level, bag_archive **result) {
  bag_archive *a = calloc(1, sizeof *a);
  if (!a || !(a->ar = archive_write_new())) {
    free(a);
    env->svc->error(env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  a->env = env;
  a->out = out;
  a->when = when;
  a->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  /* Bytes go out as they come: no padding to 10 KB blocks beyond tar's
   * own, no buffering of a last block. */
  if (set_kind(a->ar, kind, level) < ARCHIVE_WARN ||
      archive_write_set_bytes_in_last_block(a->ar, 1) != ARCHIVE_OK ||
      archive_write_open2(a->ar, a, NULL, write_bytes, NULL, NULL) !=
          ARCHIVE_OK) {
    int rc = fail(a, kind);
    archive_write_free(a->ar);
    if (a->utf8)
      freelocale(a->utf8);
    free(a);
    return rc;
  }
  *result = a;
  return QUIRE_OK;
}

static int header(bag_archive *a, const char *path, uint64_t size) {
  struct archive_entry *e = archive_entry_new();
  if (!e) {
    a->env->svc->error(a->env, NULL, "out of memory");
    return QUIRE_FATAL;
  }
  locale_t before = a->utf8 ? uselocale(a->utf8) : (locale_t)0;
  archive_entry_set_pathname_utf8(e, path);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, (la_int64_t)size);
  archive_entry_set_uid(e, 0);
  archive_entry_set_gid(e, 0);
  archive_entry_set_mtime(e, a->when, 0);
  int rc = archive_write_header(a->ar, e);
  archive_entry_free(e);
  if (a->utf8)
    uselocale(before);
  return rc < ARCHIVE_WARN ? fail(a, path) : QUIRE_OK;
}

int bag_archive_add(quire_env *env, bag_archive *a, const char *path,
                    const void *data, size_t len, bag_digest *d) {
  (void)env;
  int rc = header(a, path, len);
  if (rc != QUIRE_OK)
    return rc;
  if (len && archive_write_data(a->ar, data, len) != (la_ssize_t)len)
    return fail(a, path);
  if (d) {
    bag_hasher h;
    bag_hasher_init(&h);
    bag_hasher_add(&h, data, len);
    bag_hasher_end(&h, d);
  }
  return QUIRE_OK;
}

int bag_archive_add_stream(quire_env *env, bag_archive *a, const char *path,
                           FILE *fp, uint64_t size, bag_digest *d) {
  int rc = header(a, path, size);
  if (rc != QUIRE_OK)
    return rc;
  bag_hasher h;
  bag_hasher_init(&h);
  char buf[65536];
  uint64_t left = size;
  while (left > 0) {
    size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
    size_t got = fread(buf, 1, want, fp);
    if (got == 0) {
      env->svc->error(env, NULL, "%s: the file changed while it was read",
                      path);
      return QUIRE_FATAL;
    }
    if (archive_write_data(a->ar, buf, got) != (la_ssize_t)got)
      return fail(a, path);
    if (d)
      bag_hasher_add(&h, buf, got);
    left -= got;
  }
  if (d)
    bag_hasher_end(&h, d);
  return QUIRE_OK;
}

int bag_archive_close(quire_env *env, bag_archive *a, int ok) {
  (void)env;
  int rc = QUIRE_OK;
  if (ok && archive_write_close(a->ar) != ARCHIVE_OK)
    rc = fail(a, "closing the archive");
  archive_write_free(a->ar);
  if (a->utf8)
    freelocale(a->utf8);
  free(a);
  return rc;
}
