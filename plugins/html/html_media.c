/* html_media.c - the files a page's images show (see the header). */
#define _GNU_SOURCE   /* mkostemp */
#include "html_media.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/base64.h>

/* Bytes read from a resource at a time. */
#define CHUNK (48 * 1024)

/* A file extracted: `name` under the folder, and its temporary name until
 * it is committed. */
typedef struct entry {
  char *name;
  char *path;                /* dir/name */
  char *tmp;                 /* NULL once in place */
  uint64_t hash;
  unsigned long long size;
} entry;

/* A string -> entry index table (open addressing, keys borrowed). */
typedef struct map {
  const char **keys;
  size_t *vals;
  size_t cap, n;
} map;

struct html_media {
  quire_env *env;
  int extract;
  char *dir;                 /* without a trailing '/' */
  char *link;                /* percent-encoded; "" when dir is "." */
  entry *entries;
  size_t n, cap;
  map by_name;               /* name under dir -> entry */
  map by_res;                /* this document's resource name -> entry */
  char **made;               /* folders made, parents first */
  size_t n_made, cap_made;
  int root_ready;            /* dir exists */
  mode_t mode;               /* of the files: 0666 less the umask */
  unsigned char *in;         /* CHUNK bytes */
  char *out;                 /* their base64, and what the encoder keeps */
};

/* ---- The table ----------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

#define FNV_START 1469598103934665603ull

static size_t slot_of(const map *t, const char *key) {
  size_t i = fnv(FNV_START, key, strlen(key)) & (t->cap - 1);
  while (t->keys[i] && strcmp(t->keys[i], key) != 0)
    i = (i + 1) & (t->cap - 1);
  return i;
}

/* The entry index under key, or (size_t)-1. */
static size_t map_get(const map *t, const char *key) {
  if (!t->cap)
    return (size_t)-1;
  size_t i = slot_of(t, key);
  return t->keys[i] ? t->vals[i] : (size_t)-1;
}

static int map_put(map *t, const char *key, size_t val) {
  if ((t->n + 1) * 2 > t->cap) {
    map bigger = {.cap = t->cap ? t->cap * 2 : 64};
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    if (!bigger.keys || !bigger.vals) {
      free(bigger.keys);
      free(bigger.vals);
      return -1;
    }
    for (size_t i = 0; i < t->cap; i++)
      if (t->keys[i]) {
        size_t j = slot_of(&bigger, t->keys[i]);
        bigger.keys[j] = t->keys[i];
        bigger.vals[j] = t->vals[i];
      }
    bigger.n = t->n;
    free(t->keys);
    free(t->vals);
    *t = bigger;
  }
  size_t i = slot_of(t, key);
  if (!t->keys[i])
    t->n++;
  t->keys[i] = key;
  t->vals[i] = val;
  return 0;
}

static void map_clear(map *t) {
  if (t->cap)
    memset(t->keys, 0, t->cap * sizeof *t->keys);
  t->n = 0;
}

static void map_free(map *t) {
  free(t->keys);
  free(t->vals);
}

/* ---- Making -------------------------------------------------------------- */

static html_media *media_new(quire_env *env) {
  html_media *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->env = env;
  m->in = malloc(CHUNK);
  m->out = malloc(BASE64_ENCODE_LENGTH(CHUNK) + BASE64_ENCODE_FINAL_LENGTH);
  if (!m->in || !m->out) {
    html_media_free(m);
    return NULL;
  }
  return m;
}

html_media *html_media_data(quire_env *env) { return media_new(env); }

/* Characters a URL path may hold as they are; the rest is percent-encoded
 * (RFC 3986 unreserved, and '/' between folders). */
static int plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '/';
}

/* s percent-encoded, in a new string; NULL when memory is exhausted. */
static char *url_encode(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    n += plain(*p) ? 1 : 3;
  char *out = malloc(n + 1), *o = out;
  if (!out)
    return NULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (plain(*p))
      *o++ = (char)*p;
    else
      o += sprintf(o, "%%%02X", *p);
  *o = '\0';
  return out;
}

/* A copy of path without trailing slashes ("/" stays "/"). */
static char *trimmed(const char *path) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  char *s = malloc(n + 1);
  if (s) {
    memcpy(s, path, n);
    s[n] = '\0';
  }
  return s;
}

/* The process's umask, read without changing it: umask(2) would change it
 * for every thread for a moment. */
static mode_t current_umask(void) {
  FILE *f = fopen("/proc/self/status", "re");
  char line[256];
  unsigned mask = 022;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "Umask: %o", &mask) == 1)
      break;
  if (f)
    fclose(f);
  return (mode_t)mask;
}

html_media *html_media_extract(quire_env *env, const char *dir,
                               const char *link) {
  html_media *m = media_new(env);
  if (!m)
    return NULL;
  m->extract = 1;
  m->mode = 0666 & ~current_umask();
  char *l = trimmed(link);
  m->dir = trimmed(dir);
  m->link = l && strcmp(l, ".") != 0 ? url_encode(l) : l ? strdup("") : NULL;
  free(l);
  if (!m->dir || !m->link) {
    html_media_free(m);
    return NULL;
  }
  return m;
}

void html_media_next_doc(html_media *m) { map_clear(&m->by_res); }

size_t html_media_files(const html_media *m) { return m->n; }

void html_media_free(html_media *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++) {
    if (m->entries[i].tmp)
      unlink(m->entries[i].tmp);
    free(m->entries[i].tmp);
    free(m->entries[i].name);
    free(m->entries[i].path);
  }
  /* Folders made for files that were not committed are empty now; the
   * others are not, and rmdir leaves them. */
  for (size_t i = m->n_made; i-- > 0;) {
    rmdir(m->made[i]);
    free(m->made[i]);
  }
  free(m->made);
  free(m->entries);
  map_free(&m->by_name);
  map_free(&m->by_res);
  free(m->dir);
  free(m->link);
  free(m->in);
  free(m->out);
  free(m);
}

/* ---- Errors -------------------------------------------------------------- */

static int oom(html_media *m) {
  m->env->svc->error(m->env, NULL, "out of memory");
  return QUIRE_FATAL;
}

static int sys_error(html_media *m, const char *path, const char *what,
                     int err) {
  char reason[128];
  if (strerror_r(err, reason, sizeof reason) != 0)   /* not strerror: threads */
    snprintf(reason, sizeof reason, "error %d", err);
  quire_loc loc = {.file = path};
  m->env->svc->error(m->env, &loc, "%s: %s", what, reason);
  return QUIRE_FATAL;
}

static int unreadable(html_media *m, const quire_resource *res) {
  m->env->svc->error(m->env, NULL, "cannot read the document's file %s "
                                   "(its temporary copy failed)", res->name);
  return QUIRE_FATAL;
}

/* ---- Folders ------------------------------------------------------------- */

static int note_made(html_media *m, const char *path) {
  if (m->n_made == m->cap_made) {
    size_t cap = m->cap_made ? m->cap_made * 2 : 16;
    char **p = realloc(m->made, cap * sizeof *p);
    if (!p)
      return -1;
    m->made = p;
    m->cap_made = cap;
  }
  if (!(m->made[m->n_made] = strdup(path)))
    return -1;
  m->n_made++;
  return 0;
}

/* Makes folder path[0..n) unless it exists.  follow: a symbolic link to a
 * folder will do (the folder the user named and its parents); otherwise
 * (folders under it, named by the document) it must be a real folder, so
 * that no file lands outside the user's folder. */
static int make_dir(html_media *m, char *path, size_t n, int follow) {
  char c = path[n];
  path[n] = '\0';
  struct stat st;
  int rc = QUIRE_OK;
  if ((follow ? stat(path, &st) : lstat(path, &st)) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      m->env->svc->error(m->env, &(quire_loc){.file = path},
                         "cannot write images into it: not a folder");
      rc = QUIRE_FATAL;
    }
  } else if (errno != ENOENT) {
    rc = sys_error(m, path, "cannot write images into it", errno);
  } else if (mkdir(path, 0777) != 0) {
    rc = errno == EEXIST ? make_dir(m, path, n, follow)
                         : sys_error(m, path, "cannot make the folder", errno);
  } else if (note_made(m, path)) {
    rc = oom(m);
  }
  path[n] = c;
  return rc;
}

/* Makes the user's folder and every folder between it and the file
 * dir/name, as needed. */
static int make_dirs(html_media *m, char *path) {
  size_t root = strlen(m->dir);
  if (!m->root_ready) {
    for (size_t i = 1; i < root; i++)
      if (path[i] == '/' && path[i - 1] != '/' &&
          make_dir(m, path, i, 1) != QUIRE_OK)
        return QUIRE_FATAL;
    if (make_dir(m, path, root, 1) != QUIRE_OK)
      return QUIRE_FATAL;
    m->root_ready = 1;
  }
  for (size_t i = root + 1; path[i]; i++)
    if (path[i] == '/' && make_dir(m, path, i, 0) != QUIRE_OK)
      return QUIRE_FATAL;
  return QUIRE_OK;
}

/* ---- Writing a file ------------------------------------------------------ */

/* Non-zero for a name that stays inside the folder: relative, with no
 * empty, "." or ".." part.  The core refuses such names already; a page
 * written outside its folder would be too costly to trust it blindly. */
static int name_ok(const char *name) {
  if (!name[0] || name[0] == '/')
    return 0;
  for (const char *p = name; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 0 || (n == 1 && p[0] == '.') ||
        (n == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    p += n;
    if (*p == '/')
      p++;
    if (!*p && p[-1] == '/')
      return 0;
  }
  return 1;
}

/* Hashes res's bytes: the same name with the same bytes is one file. */
static int hash_of(html_media *m, const quire_resource *res, uint64_t *hash,
                   unsigned long long *size) {
  const quire_services *svc = m->env->svc;
  uint64_t h = FNV_START;
  unsigned long long at = 0;
  long got;
  while ((got = svc->res_read(res, at, m->in, CHUNK)) > 0) {
    h = fnv(h, m->in, (size_t)got);
    at += (unsigned long long)got;
  }
  if (got < 0)
    return unreadable(m, res);
  *hash = h;
  *size = at;
  return QUIRE_OK;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t put = write(fd, p, n);
    if (put < 0 && errno == EINTR)
      continue;
    if (put <= 0) {
      if (put == 0)
        errno = EIO;
      return -1;
    }
    p += put;
    n -= (size_t)put;
  }
  return 0;
}

/* Writes res to a temporary file beside e->path. */
static int stage(html_media *m, entry *e, const quire_resource *res) {
  if (make_dirs(m, e->path) != QUIRE_OK)
    return QUIRE_FATAL;
  const char *slash = strrchr(e->path, '/');
  int dirlen = slash ? (int)(slash - e->path + 1) : 0;
  size_t n = strlen(e->path) + 24;
  if (!(e->tmp = malloc(n)))
    return oom(m);
  snprintf(e->tmp, n, "%.*s.quire-media-XXXXXX", dirlen, e->path);
  int fd = mkostemp(e->tmp, O_CLOEXEC);
  if (fd < 0) {
    int rc = sys_error(m, e->path, "cannot write", errno);
    free(e->tmp);
    e->tmp = NULL;
    return rc;
  }
  /* mkstemp makes the file 0600; give it what open(2) would, as the page
   * beside it gets. */
  fchmod(fd, m->mode);
  const quire_services *svc = m->env->svc;
  unsigned long long at = 0;
  long got;
  int err = 0;
  while ((got = svc->res_read(res, at, m->in, CHUNK)) > 0) {
    if (write_all(fd, m->in, (size_t)got) != 0) {
      err = errno;
      break;
    }
    at += (unsigned long long)got;
  }
  if (close(fd) != 0 && !err)
    err = errno;
  if (err)
    return sys_error(m, e->path, "cannot write", err);
  return got < 0 ? unreadable(m, res) : QUIRE_OK;
}

/* name, or name with "-k" before its extension: images/a-2.png. */
static char *variant(const char *name, unsigned long k) {
  size_t n = strlen(name) + 24;
  char *s = malloc(n);
  if (!s)
    return NULL;
  if (k < 2) {
    memcpy(s, name, n - 23);
    return s;
  }
  const char *leaf = strrchr(name, '/');
  leaf = leaf ? leaf + 1 : name;
  const char *dot = strrchr(leaf, '.');
  if (!dot || dot == leaf)
    dot = leaf + strlen(leaf);
  snprintf(s, n, "%.*s-%lu%s", (int)(dot - name), name, k, dot);
  return s;
}

/* The entry res is written as: an earlier one with the same name and
 * bytes, or a new file. */
static int entry_for(html_media *m, const quire_resource *res, size_t *out) {
  size_t known = map_get(&m->by_res, res->name);
  if (known != (size_t)-1) {
    *out = known;
    return QUIRE_OK;
  }
  if (!name_ok(res->name)) {
    m->env->svc->error(m->env, NULL, "the document's file name %s would "
                                     "leave the media folder", res->name);
    return QUIRE_FATAL;
  }
  uint64_t hash;
  unsigned long long size;
  int rc = hash_of(m, res, &hash, &size);
  if (rc != QUIRE_OK)
    return rc;
  char *name = NULL;
  size_t i = (size_t)-1;
  for (unsigned long k = 1;; k++) {
    free(name);
    if (!(name = variant(res->name, k)))
      return oom(m);
    i = map_get(&m->by_name, name);
    if (i == (size_t)-1)
      break;
    if (m->entries[i].hash == hash && m->entries[i].size == size) {
      free(name);
      *out = i;
      return map_put(&m->by_res, res->name, i) ? oom(m) : QUIRE_OK;
    }
  }
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 16;
    entry *e = realloc(m->entries, cap * sizeof *e);
    if (!e) {
      free(name);
      return oom(m);
    }
    m->entries = e;
    m->cap = cap;
  }
  entry *e = &m->entries[m->n];
  *e = (entry){.name = name, .hash = hash, .size = size};
  size_t n = strlen(m->dir) + strlen(name) + 2;
  if (!(e->path = malloc(n))) {
    free(name);
    return oom(m);
  }
  snprintf(e->path, n, "%s/%s", m->dir, name);
  i = m->n++;
  if (map_put(&m->by_name, e->name, i) || map_put(&m->by_res, res->name, i))
    return oom(m);
  *out = i;
  return stage(m, e, res);
}

/* ---- URLs ---------------------------------------------------------------- */

static int raw(xmlTextWriterPtr w, const char *s, size_t n) {
  return xmlTextWriterWriteRawLen(w, BAD_CAST s, (int)n) < 0;
}

static int link_to(html_media *m, xmlTextWriterPtr w, const entry *e) {
  char *name = url_encode(e->name);
  if (!name)
    return oom(m);
  int failed = (m->link[0] && (raw(w, m->link, strlen(m->link)) ||
                               raw(w, "/", 1))) ||
               raw(w, name, strlen(name));
  free(name);
  return failed ? QUIRE_FATAL : QUIRE_OK;
}

/* The media type as a data: URI may hold it: token characters only. */
static const char *safe_type(const char *t) {
  if (!t || !t[0])
    return "application/octet-stream";
  for (const char *p = t; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || strchr("/+.-_", *p)))
      return "application/octet-stream";
  return t;
}

/* The bytes as base64, streamed a chunk at a time.  nettle (quire's
 * library for digests already) encodes without line breaks, which a URL
 * may not hold; libxml2's xmlTextWriterWriteBase64 breaks lines. */
static int data_uri(html_media *m, xmlTextWriterPtr w,
                    const quire_resource *res) {
  const char *type = safe_type(res->media_type);
  if (raw(w, "data:", 5) || raw(w, type, strlen(type)) ||
      raw(w, ";base64,", 8))
    return QUIRE_FATAL;
  const quire_services *svc = m->env->svc;
  struct base64_encode_ctx ctx;
  base64_encode_init(&ctx);
  unsigned long long at = 0;
  long got;
  while ((got = svc->res_read(res, at, m->in, CHUNK)) > 0) {
    at += (unsigned long long)got;
    if (raw(w, m->out, base64_encode_update(&ctx, m->out, (size_t)got, m->in)))
      return QUIRE_FATAL;
  }
  if (got < 0)
    return unreadable(m, res);
  return raw(w, m->out, base64_encode_final(&ctx, m->out)) ? QUIRE_FATAL
                                                           : QUIRE_OK;
}

int html_media_src(html_media *m, xmlTextWriterPtr w,
                   const quire_resource *res) {
  if (!m->extract)
    return data_uri(m, w, res);
  size_t i;
  int rc = entry_for(m, res, &i);
  return rc != QUIRE_OK ? rc : link_to(m, w, &m->entries[i]);
}

int html_media_commit(html_media *m) {
  for (size_t i = 0; i < m->n; i++) {
    entry *e = &m->entries[i];
    if (!e->tmp)
      continue;
    if (rename(e->tmp, e->path) != 0)
      return sys_error(m, e->path, "cannot write", errno);
    free(e->tmp);
    e->tmp = NULL;
  }
  /* Committed: the folders stay, even when a later failure frees m. */
  for (size_t i = 0; i < m->n_made; i++)
    free(m->made[i]);
  m->n_made = 0;
  return QUIRE_OK;
}
