/* epub_read_zip.c - the ZIP container of an EPUB, read with libzip within
 * the limits that protect against hostile archives.
 *
 * Nothing an archive declares is trusted:
 *   - the entry count is checked against max-entries before anything else;
 *   - the sizes the entries declare must add up to no more than
 *     max-expanded-size, which stops a bomb such as zbsm.zip (5 GB declared
 *     in 42 KB) before a byte is inflated;
 *   - an entry is read with a cap: at most one byte more than it declares,
 *     and never more than max-input-size nor than what is left of
 *     max-expanded-size; a size that lies is an error, as is a CRC that
 *     does not match (libzip checks it at the end of the entry);
 *   - an entry expanding more than max-ratio times its compressed size is
 *     refused before it is inflated, once it is large enough to matter
 *     (RATIO_FLOOR): small files of blank space compress very well;
 *   - entry names must be unique and stay inside the container: an
 *     absolute name or a ".." segment ("zip slip") is an error even though
 *     nothing is ever written to disk, since such a book is forged.
 * Entries are only ever read into memory.  Names are compared in Unicode
 * NFC, as the OCF compares them: an href may compose "é" differently from
 * the entry's name.  A name that is not UTF-8 is compared as raw bytes and
 * simply matches no href. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <utf8proc.h>
#include <zip.h>

#include "epub_read.h"

/* Below this many bytes an entry is never a bomb, whatever its ratio. */
#define RATIO_FLOOR (1u << 20)

typedef struct entry {
  const char *name;       /* raw bytes, owned by libzip */
  char *nfc;              /* its NFC form when that differs, else NULL */
  zip_uint64_t index;
  int encrypted;          /* listed in META-INF/encryption.xml */
} entry;

struct epub_archive {
  zip_t *za;
  char *bytes;            /* standard input's bytes, which za reads */
  const char *book;       /* the input's name, borrowed */
  entry *entries;         /* the file entries, sorted by name */
  size_t n;
  uint64_t budget;        /* what entries may still expand to */
};

const char *epub_archive_book(const epub_archive *a) { return a->book; }

static const char *key_of(const entry *e) { return e->nfc ? e->nfc : e->name; }

static int compare_entries(const void *x, const void *y) {
  return strcmp(key_of(x), key_of(y));
}

/* The NFC form of a name when it differs from the name (malloc'd), else
 * NULL: ASCII names, names already in NFC and names that are not UTF-8. */
static char *nfc_of(const char *name) {
  const unsigned char *p = (const unsigned char *)name;
  while (*p && *p < 0x80)
    p++;
  if (!*p)
    return NULL;
  char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)name);
  if (nfc && strcmp(nfc, name) == 0) {
    free(nfc);
    nfc = NULL;
  }
  return nfc;
}

/* Non-zero when s is valid UTF-8, as OCF requires of every name. */
static int is_utf8(const char *s) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_int32_t c;
  while (*p) {
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
    if (n <= 0)
      return 0;
    p += n;
  }
  return 1;
}

/* The name case-folded (and NFC), malloc'd; NULL when memory ran out. */
static char *folded(const char *name) {
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &out,
                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                        UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  return n < 0 ? NULL : (char *)out;
}

typedef struct folded_name {
  char *key;
  const char *name;
} folded_name;

static int compare_folded(const void *x, const void *y) {
  return strcmp(((const folded_name *)x)->key, ((const folded_name *)y)->key);
}

/* OCF: no two names may be equal once case-folded, since a reading
 * system on a file system that ignores case sees one file.  Said with a
 * warning: quire itself tells them apart. */
static int check_case_clash(quire_env *env, epub_archive *a) {
  folded_name *keys = calloc(a->n ? a->n : 1, sizeof *keys);
  int rc = keys ? QUIRE_OK : QUIRE_ERR;
  for (size_t i = 0; rc == QUIRE_OK && i < a->n; i++) {
    keys[i].name = a->entries[i].name;
    if (!(keys[i].key = folded(keys[i].name)))
      rc = QUIRE_ERR;
  }
  if (rc == QUIRE_OK) {
    qsort(keys, a->n, sizeof *keys, compare_folded);
    for (size_t i = 1; i < a->n; i++)
      if (strcmp(keys[i - 1].key, keys[i].key) == 0) {
        char one[256], other[256];
        quire_loc loc = {.file = a->book};
        env->svc->warn(env, &loc, "entries '%s' and '%s' differ only in "
                       "case: a reading system that ignores case sees one",
                       epub_printable(keys[i - 1].name, one, sizeof one),
                       epub_printable(keys[i].name, other, sizeof other));
        break;
      }
  }
  for (size_t i = 0; keys && i < a->n; i++)
    free(keys[i].key);
  free(keys);
  if (rc != QUIRE_OK) {
    quire_loc loc = {.file = a->book};
    env->svc->error(env, &loc, "out of memory");
  }
  return rc;
}

static entry *find(const epub_archive *a, const char *name) {
  if (!a->n)
    return NULL;
  entry key = {.name = name, .nfc = nfc_of(name)};
  entry *e = bsearch(&key, a->entries, a->n, sizeof *a->entries,
                     compare_entries);
  free(key.nfc);
  return e;
}

/* Non-zero when an entry name is absolute or has a ".." segment, with
 * either separator (Windows tools write '\'). */
static int name_escapes(const char *name) {
  if (name[0] == '/' || name[0] == '\\' ||
      (name[0] && name[1] == ':'))   /* "C:" */
    return 1;
  for (const char *p = name; *p;) {
    size_t n = strcspn(p, "/\\");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return 1;
    p += n;
    if (*p)
      p++;
  }
  return 0;
}

static zip_t *open_zip(quire_env *env, quire_input *in, epub_archive *a) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = a->book};
  const char *path = svc->input_path(in);
  struct stat st;
  zip_error_t err;
  zip_error_init(&err);
  zip_t *za = NULL;
  if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    int code = 0;
    za = zip_open(path, ZIP_RDONLY, &code);
    if (!za)
      zip_error_init_with_code(&err, code);
  } else {
    /* Standard input or a pipe: libzip needs to seek, so read it all (up
     * to max-input-size) and give libzip the bytes. */
    size_t len;
    if (svc->input_read_all(env, in, &a->bytes, &len) != QUIRE_OK)
      return NULL;
    zip_source_t *src = zip_source_buffer_create(a->bytes, len, 0, &err);
    if (src) {
      za = zip_open_from_source(src, ZIP_RDONLY, &err);
      if (!za)
        zip_source_free(src);
    }
  }
  if (!za)
    svc->error(env, &loc, "not a readable ZIP archive, as an EPUB must be: %s",
               zip_error_strerror(&err));
  zip_error_fini(&err);
  return za;
}

/* Lists the entries, checking their number, names and declared sizes. */
static int index_entries(quire_env *env, epub_archive *a) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = a->book};
  char shown[256];
  zip_int64_t count = zip_get_num_entries(a->za, 0);
  uint64_t max_entries = svc->limit(env, "max-entries");
  if (count <= 0) {
    svc->error(env, &loc, "the archive is empty: not an EPUB");
    return QUIRE_ERR;
  }
  if ((uint64_t)count > max_entries) {
    svc->error(env, &loc, "the archive holds %lld entries, more than the "
               "limit max-entries (%llu); raise it with --limit "
               "max-entries=N", (long long)count,
               (unsigned long long)max_entries);
    return QUIRE_ERR;
  }
  a->entries = calloc((size_t)count, sizeof *a->entries);
  if (!a->entries) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < count; i++) {
    zip_stat_t st;
    if (zip_stat_index(a->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0 ||
        !(st.valid & ZIP_STAT_NAME)) {
      svc->error(env, &loc, "entry %lld of the archive is unreadable: %s",
                 (long long)i, zip_strerror(a->za));
      return QUIRE_ERR;
    }
    if (!is_utf8(st.name)) {
      svc->error(env, &loc, "entry name is not UTF-8, as the EPUB container "
                 "requires: '%s'", epub_printable(st.name, shown,
                                                   sizeof shown));
      return QUIRE_ERR;
    }
    if (name_escapes(st.name)) {
      svc->error(env, &loc, "entry name escapes the container: '%s'",
                 epub_printable(st.name, shown, sizeof shown));
      return QUIRE_ERR;
    }
    if (st.valid & ZIP_STAT_SIZE)
      total = st.size > UINT64_MAX - total ? UINT64_MAX : total + st.size;
    size_t len = strlen(st.name);
    if (len && st.name[len - 1] == '/')
      continue;   /* a folder */
    a->entries[a->n++] = (entry){.name = st.name, .nfc = nfc_of(st.name),
                                 .index = (zip_uint64_t)i};
  }
  uint64_t max_expanded = svc->limit(env, "max-expanded-size");
  if (total > max_expanded) {
    svc->error(env, &loc, "the archive's entries expand to %llu bytes, more "
               "than the limit max-expanded-size (%llu); raise it with "
               "--limit max-expanded-size=N", (unsigned long long)total,
               (unsigned long long)max_expanded);
    return QUIRE_ERR;
  }
  a->budget = max_expanded;
  qsort(a->entries, a->n, sizeof *a->entries, compare_entries);
  for (size_t i = 1; i < a->n; i++)
    if (strcmp(key_of(&a->entries[i - 1]), key_of(&a->entries[i])) == 0) {
      /* Two readers could each see a different one: a forged book. */
      svc->error(env, &loc, "the archive holds two entries named '%s'",
                 epub_printable(a->entries[i].name, shown, sizeof shown));
      return QUIRE_ERR;
    }
  return check_case_clash(env, a);
}

/* OCF: the first entry is "mimetype", holding "application/epub+zip".
 * Reading systems differ on a book without it, so quire reads it, and says
 * so: nothing about a damaged container passes silently. */
static void check_mimetype(quire_env *env, epub_archive *a) {
  static const char want[] = "application/epub+zip";
  quire_loc loc = {.file = a->book};
  const char *first = zip_get_name(a->za, 0, ZIP_FL_ENC_RAW);
  if (!first || strcmp(first, "mimetype") != 0) {
    env->svc->warn(env, &loc, "the first entry is not 'mimetype' (the OCF "
                   "container's signature): read as an EPUB anyway");
    return;
  }
  char got[sizeof want + 8] = "";
  zip_file_t *f = zip_fopen_index(a->za, 0, 0);
  zip_int64_t n = f ? zip_fread(f, got, sizeof got - 1) : -1;
  if (f)
    zip_fclose(f);
  if (n != (zip_int64_t)(sizeof want - 1) || memcmp(got, want, n) != 0)
    env->svc->warn(env, &loc, "the 'mimetype' entry does not hold '%s': "
                   "read as an EPUB anyway", want);
}

int epub_archive_open(quire_env *env, quire_input *in, epub_archive **out) {
  epub_archive *a = calloc(1, sizeof *a);
  if (!a) {
    quire_loc loc = {.file = env->svc->input_name(in)};
    env->svc->error(env, &loc, "out of memory");
    return QUIRE_ERR;
  }
  a->book = env->svc->input_name(in);
  a->za = open_zip(env, in, a);
  if (!a->za || index_entries(env, a) != QUIRE_OK) {
    epub_archive_close(a);
    return QUIRE_ERR;
  }
  check_mimetype(env, a);
  *out = a;
  return QUIRE_OK;
}

void epub_archive_close(epub_archive *a) {
  if (!a)
    return;
  if (a->za)
    zip_discard(a->za);
  free(a->bytes);
  for (size_t i = 0; i < a->n; i++)
    free(a->entries[i].nfc);
  free(a->entries);
  free(a);
}

int epub_archive_has(const epub_archive *a, const char *name) {
  return find(a, name) != NULL;
}

void epub_archive_mark_encrypted(epub_archive *a, const char *name) {
  entry *e = find(a, name);
  if (e)
    e->encrypted = 1;
}

/* How a failure is told: svc->error for what the book needs, svc->warn for
 * what it can do without (a resource). */
typedef void (*report_fn)(quire_env *env, const quire_loc *loc,
                          const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Checks what an entry declares before inflating it; returns its
 * declared size in *size. */
static int check_entry(quire_env *env, epub_archive *a, const entry *e,
                       const char *shown, report_fn report, uint64_t *size) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = a->book};
  zip_stat_t st;
  if (zip_stat_index(a->za, e->index, 0, &st) != 0) {
    report(env, &loc, "%s: %s", shown, zip_strerror(a->za));
    return QUIRE_ERR;
  }
  if (e->encrypted ||
      ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
       st.encryption_method != ZIP_EM_NONE)) {
    report(env, &loc, "%s: the entry is encrypted%s: the book is "
           "DRM-protected or encrypted and cannot be read", shown,
           e->encrypted ? " (META-INF/encryption.xml lists it)" : "");
    return QUIRE_ERR;
  }
  uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : UINT64_MAX;
  uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  uint64_t max_input = svc->limit(env, "max-input-size");
  uint64_t max_ratio = svc->limit(env, "max-ratio");
  if (declared > max_input) {
    report(env, &loc, "%s: the entry declares %llu bytes, more than the "
           "limit max-input-size (%llu); raise it with --limit "
           "max-input-size=N", shown, (unsigned long long)declared,
           (unsigned long long)max_input);
    return QUIRE_ERR;
  }
  if (declared > a->budget) {
    report(env, &loc, "%s: reading the entry would expand the book past "
           "the limit max-expanded-size; raise it with --limit "
           "max-expanded-size=N", shown);
    return QUIRE_ERR;
  }
  if (declared > RATIO_FLOOR && (comp == 0 || declared / comp > max_ratio)) {
    report(env, &loc, "%s: the entry expands %llu times (%llu bytes to "
           "%llu), more than the limit max-ratio (%llu); raise it with "
           "--limit max-ratio=N", shown,
           (unsigned long long)(comp ? declared / comp : declared),
           (unsigned long long)comp, (unsigned long long)declared,
           (unsigned long long)max_ratio);
    return QUIRE_ERR;
  }
  *size = declared;
  return QUIRE_OK;
}

/* Reads an entry of `declared` bytes, taking at most one byte more. */
static int read_bytes(quire_env *env, epub_archive *a, const entry *e,
                      const char *shown, report_fn report, uint64_t declared,
                      char **bytes, size_t *len) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = a->book};
  zip_file_t *zf = zip_fopen_index(a->za, e->index, 0);
  if (!zf) {
    report(env, &loc, "%s: cannot read the entry: %s", shown,
           zip_strerror(a->za));
    return QUIRE_ERR;
  }
  /* The buffer grows as bytes arrive, never on the declared size alone. */
  size_t cap = declared < 65536 ? (size_t)declared + 2 : 65536, used = 0;
  char *buf = malloc(cap);
  int rc = QUIRE_ERR;
  if (!buf) {
    svc->error(env, &loc, "out of memory");
    rc = QUIRE_FATAL;
    goto done;
  }
  for (;;) {
    if (used + 1 >= cap) {
      size_t grown = cap * 2;
      char *b = grown > cap ? realloc(buf, grown) : NULL;
      if (!b) {
        svc->error(env, &loc, "out of memory");
        rc = QUIRE_FATAL;
        goto done;
      }
      buf = b;
      cap = grown;
    }
    uint64_t want = declared + 1 - used;   /* one more to see a lie */
    if (want > cap - 1 - used)
      want = cap - 1 - used;
    zip_int64_t got = zip_fread(zf, buf + used, want);
    if (got < 0) {
      report(env, &loc, "%s: the entry is damaged: %s", shown,
             zip_file_strerror(zf));
      goto done;
    }
    if (got == 0)
      break;
    used += (size_t)got;
    if (used > declared) {
      report(env, &loc, "%s: the entry holds more than the %llu bytes "
             "it declares", shown, (unsigned long long)declared);
      goto done;
    }
  }
  if (used != declared) {
    report(env, &loc, "%s: the entry holds %zu bytes, not the %llu it "
           "declares", shown, used, (unsigned long long)declared);
    goto done;
  }
  buf[used] = '\0';
  a->budget -= used;
  *bytes = buf;
  *len = used;
  buf = NULL;
  rc = QUIRE_OK;
done:
  free(buf);
  zip_fclose(zf);
  return rc;
}

static int read_entry(quire_env *env, epub_archive *a, const char *name,
                      report_fn report, char **bytes, size_t *len) {
  entry *e = find(a, name);
  if (!e)
    return QUIRE_DONE;
  char shown[256];
  epub_printable(name, shown, sizeof shown);
  uint64_t declared;
  if (check_entry(env, a, e, shown, report, &declared) != QUIRE_OK)
    return QUIRE_ERR;
  return read_bytes(env, a, e, shown, report, declared, bytes, len);
}

int epub_archive_read(quire_env *env, epub_archive *a, const char *name,
                      char **bytes, size_t *len) {
  return read_entry(env, a, name, env->svc->error, bytes, len);
}

int epub_archive_read_optional(quire_env *env, epub_archive *a,
                               const char *name, char **bytes, size_t *len) {
  return read_entry(env, a, name, env->svc->warn, bytes, len);
}
