/* html_res.c - the files a page refers to, read into its document as
 * resources (see html_res.h for the rules).
 *
 * Why realpath and then fstat: a reference is a path under attacker
 * control.  Resolving it lexically would let a symlink inside a root lead
 * out of it, and O_NOFOLLOW only guards the last component, not a
 * symlinked folder on the way.  So the path is resolved with realpath(),
 * the result must lie under a root's real path, and the file is then
 * opened without following a last symlink, without blocking (a FIFO would
 * otherwise hang the open) and checked with fstat() on the descriptor to
 * be a regular file no larger than max-input-size.  Where /proc is
 * mounted, the descriptor's own path is compared with the resolved one,
 * so a folder swapped for a symlink between the two steps is caught too. */
#define _GNU_SOURCE
#include "html_res.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/base64.h>

typedef struct root {
  char *real;                   /* realpath of the folder */
  size_t len;
} root;

/* A file already made a resource, by device and inode. */
typedef struct seen {
  dev_t dev;
  ino_t ino;
  const char *name;             /* the resource's name, in the document */
} seen;

struct html_res {
  quire_env *env;
  const quire_services *svc;
  root *roots;                  /* the page's folder first, when a file */
  size_t n_roots;
  size_t n_paths;               /* --resource-path folders given */
  int sandbox;
  uint64_t max_size;

  quire_doc *doc;
  const char *name;             /* the page, for messages */
  seen *seen;
  size_t n_seen, cap_seen;      /* cap: a power of two, or 0 */
  unsigned remote;              /* remote images kept as links */
  unsigned rootless;            /* local images with no folder to look in */
  int contained;                /* a page of a book or archive: its
                                   container resolves its files */
  unsigned data_n;              /* data: images made */
};

#define SHOWN_MAX 160   /* bytes of a reference shown in a message */

/* ---- Messages ------------------------------------------------------------ */

/* ref as it may be shown on a terminal: control characters replaced, cut
 * (on a character boundary) past SHOWN_MAX bytes. */
static const char *shown(const char *ref, char *out, size_t size) {
  size_t n = strlen(ref), cut = n > SHOWN_MAX ? SHOWN_MAX : n;
  while (cut < n && cut > 0 && ((unsigned char)ref[cut] & 0xC0) == 0x80)
    cut--;
  if (cut + 4 > size)
    cut = size - 4;
  for (size_t i = 0; i < cut; i++) {
    unsigned char c = (unsigned char)ref[i];
    out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
  }
  strcpy(out + cut, cut < n ? "..." : "");
  return out;
}

static void refuse(html_res *r, unsigned long line, const char *ref,
                   const char *why) {
  char s[SHOWN_MAX + 4];
  quire_loc loc = {.file = r->name, .line = line};
  r->svc->warn(r->env, &loc, "image '%s' not read: %s", shown(ref, s, sizeof s),
               why);
}

static int oom(html_res *r) {
  quire_loc loc = {.file = r->name};
  r->svc->error(r->env, &loc, "out of memory");
  return QUIRE_FATAL;
}

/* ---- Roots --------------------------------------------------------------- */

static int add_root(html_res *r, const char *dir) {
  char *real = realpath(dir, NULL);
  if (!real)
    return errno == ENOMEM ? -1 : 1;
  for (size_t i = 0; i < r->n_roots; i++)
    if (strcmp(r->roots[i].real, real) == 0) {
      free(real);
      return 0;
    }
  root *grown = realloc(r->roots, (r->n_roots + 1) * sizeof *grown);
  if (!grown) {
    free(real);
    return -1;
  }
  r->roots = grown;
  r->roots[r->n_roots++] = (root){real, strlen(real)};
  return 0;
}

/* The folder of a page's path, as a string the caller frees. */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

int html_res_new(quire_env *env, quire_input *in, const quire_options *opts,
                 html_res **out) {
  const quire_services *svc = env->svc;
  quire_loc loc = {.file = svc->input_name(in)};
  html_res *r = calloc(1, sizeof *r);
  if (!r) {
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  r->env = env;
  r->svc = svc;
  r->max_size = svc->limit(env, "max-input-size");
  const char *sandbox = svc->option(opts, "sandbox");
  r->sandbox = sandbox && strcmp(sandbox, "0") != 0;
  int rc = 0;
  const char *path = svc->input_path(in);
  r->contained = svc->struct_size > offsetof(quire_services, input_is_sub) &&
                 svc->input_is_sub(in);
  if (path && !r->sandbox && !r->contained) {
    char *dir = folder_of(path);
    rc = dir ? add_root(r, dir) : -1;
    free(dir);
    rc = rc < 0 ? -1 : 0;
  }
  for (size_t i = 0; rc >= 0 && opts && i < opts->count; i++) {
    if (strcmp(opts->items[i].name, "resource-path") != 0)
      continue;
    r->n_paths++;
    if (r->sandbox || r->contained)
      continue;
    rc = add_root(r, opts->items[i].value);
    if (rc > 0)
      svc->warn(env, &loc, "--resource-path %s: %s; no image is read from it",
                opts->items[i].value, strerror(errno));
    rc = rc < 0 ? -1 : 0;
  }
  if (rc < 0) {
    html_res_free(r);
    svc->error(env, &loc, "out of memory");
    return QUIRE_FATAL;
  }
  *out = r;
  return QUIRE_OK;
}

void html_res_free(html_res *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n_roots; i++)
    free(r->roots[i].real);
  free(r->roots);
  free(r->seen);
  free(r);
}

void html_res_doc(html_res *r, quire_doc *doc, const char *name) {
  r->doc = doc;
  r->name = name;
  r->n_seen = 0;
  if (r->cap_seen)
    memset(r->seen, 0, r->cap_seen * sizeof *r->seen);
  r->remote = r->rootless = r->data_n = 0;
}

void html_res_doc_end(html_res *r) {
  quire_loc loc = {.file = r->name};
  if (r->remote)
    r->svc->warn(r->env, &loc, "%u remote image%s not fetched; %s kept",
                 r->remote, r->remote == 1 ? "" : "s",
                 r->remote == 1 ? "its link is" : "their links are");
  if (r->rootless && r->contained)
    r->svc->info(r->env, &loc, "%u local image%s left to the book or archive "
                               "that holds the page",
                 r->rootless, r->rootless == 1 ? "" : "s");
  else if (r->rootless)
    r->svc->info(r->env, &loc, "%u local image%s not read: the page is not a "
                               "file, and no --resource-path was given",
                 r->rootless, r->rootless == 1 ? "" : "s");
}

/* The root whose real path holds `real`: `first` when it does, else the
 * one with the longest path; -1 when none does. */
static long root_of(const html_res *r, const char *real, size_t first) {
  long best = -1;
  for (size_t i = 0; i < r->n_roots; i++) {
    const root *t = &r->roots[i];
    int under = t->len == 1 ? real[0] == '/' && real[1] != '\0'
                            : strncmp(real, t->real, t->len) == 0 &&
                                  real[t->len] == '/' && real[t->len + 1];
    if (!under)
      continue;
    if (i == first)
      return (long)i;
    if (best < 0 || t->len > r->roots[best].len)
      best = (long)i;
  }
  return best;
}

/* ---- Files already read -------------------------------------------------- */

static size_t seen_slot(const html_res *r, dev_t dev, ino_t ino) {
  size_t h = ((size_t)ino * 0x9E3779B97F4A7C15ull) ^ (size_t)dev;
  size_t i = h & (r->cap_seen - 1);
  while (r->seen[i].name &&
         !(r->seen[i].dev == dev && r->seen[i].ino == ino))
    i = (i + 1) & (r->cap_seen - 1);
  return i;
}

static const char *seen_find(const html_res *r, const struct stat *st) {
  return r->cap_seen ? r->seen[seen_slot(r, st->st_dev, st->st_ino)].name
                     : NULL;
}

static int seen_add(html_res *r, const struct stat *st, const char *name) {
  if ((r->n_seen + 1) * 2 > r->cap_seen) {
    size_t cap = r->cap_seen ? r->cap_seen * 2 : 16;
    seen *old = r->seen;
    size_t old_cap = r->cap_seen;
    r->seen = calloc(cap, sizeof *r->seen);
    if (!r->seen) {
      r->seen = old;
      return -1;
    }
    r->cap_seen = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].name)
        r->seen[seen_slot(r, old[i].dev, old[i].ino)] = old[i];
    free(old);
  }
  r->seen[seen_slot(r, st->st_dev, st->st_ino)] =
      (seen){st->st_dev, st->st_ino, name};
  r->n_seen++;
  return 0;
}

/* ---- Names --------------------------------------------------------------- */

/* name, or name with "-2", "-3" ... before its extension, whichever no
 * resource of the document has yet; malloc'd. */
static char *unique_name(const html_res *r, const char *name) {
  if (!r->svc->res_find(r->doc, name))
    return strdup(name);
  const char *slash = strrchr(name, '/');
  const char *dot = strrchr(name, '.');
  if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : name))
    dot = name + strlen(name);
  size_t stem = (size_t)(dot - name), n = strlen(name) + 24;
  char *out = malloc(n);
  for (unsigned k = 2; out; k++) {
    snprintf(out, n, "%.*s-%u%s", (int)stem, name, k, dot);
    if (!r->svc->res_find(r->doc, out))
      return out;
  }
  return NULL;
}

/* Adds bytes as a resource named like `name`; *url gets its name. */
static int keep(html_res *r, const char *name, const char *declared,
                const char *data, size_t len, const char *ref,
                unsigned long line, const char **url) {
  char *unique = unique_name(r, name);
  if (!unique)
    return oom(r);
  const quire_resource *res = NULL;
  int rc = r->svc->res_add(r->doc, unique, declared, 0, data, len, &res);
  free(unique);
  if (rc == QUIRE_FAILED || !res) {
    quire_loc loc = {.file = r->name, .line = line};
    r->svc->error(r->env, &loc, "cannot keep image %s: out of memory or "
                                "temporary file space", res ? res->name : name);
    return QUIRE_FATAL;
  }
  if (rc == QUIRE_WARN) {
    char s[SHOWN_MAX + 4];
    quire_loc loc = {.file = r->name, .line = line};
    r->svc->warn(r->env, &loc, "image '%s' is declared as %s but its bytes "
                               "are %s",
                 shown(ref, s, sizeof s), declared, res->media_type);
  }
  *url = res->name;
  return QUIRE_OK;
}

/* ---- data: URIs -------------------------------------------------------- */

static int hex(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n) into out (room for n bytes): the length. */
static size_t percent_decode(const char *s, size_t n, char *out) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < n &&
        (hi = hex((unsigned char)s[i + 1])) >= 0 &&
        (lo = hex((unsigned char)s[i + 2])) >= 0) {
      out[w++] = (char)(hi * 16 + lo);
      i += 2;
    } else
      out[w++] = s[i];
  }
  return w;
}

/* The file extension for an image media type. */
static const char *extension_of(const char *type, char *buf, size_t size) {
  if (strcmp(type, "image/jpeg") == 0 || strcmp(type, "image/jpg") == 0)
    return "jpg";
  if (strcmp(type, "image/svg+xml") == 0)
    return "svg";
  const char *sub = type + 6;   /* after "image/" */
  size_t n = strspn(sub, "abcdefghijklmnopqrstuvwxyz0123456789");
  if (!n || sub[n] || n >= size)
    return "bin";
  memcpy(buf, sub, n + 1);
  return buf;
}

/* data:[TYPE][;PARAMS][;base64],DATA: images become resources named
 * data-N.EXT; anything else keeps its url. */
static int data_uri(html_res *r, const char *ref, unsigned long line,
                    const char *declared, const char **url) {
  const char *head = ref + 5, *comma = strchr(head, ',');
  if (!comma)
    return QUIRE_OK;
  size_t type_len = strcspn(head, ";,");
  char type[64];
  if (type_len == 0 || type_len >= sizeof type)
    return QUIRE_OK;
  for (size_t i = 0; i < type_len; i++)
    type[i] = (char)(head[i] >= 'A' && head[i] <= 'Z' ? head[i] + 32 : head[i]);
  type[type_len] = '\0';
  if (strncmp(type, "image/", 6) != 0)
    return QUIRE_OK;
  int base64 = comma - head >= 7 && strncasecmp(comma - 7, ";base64", 7) == 0;
  const char *payload = comma + 1;
  size_t n = strlen(payload);
  uint8_t *bytes = malloc(BASE64_DECODE_LENGTH(n) + n + 1);
  if (!bytes)
    return oom(r);
  size_t len = 0;
  int ok = 1;
  if (base64) {
    /* nettle's decoder skips blanks, as data: URIs in pages often hold */
    struct base64_decode_ctx ctx;
    base64_decode_init(&ctx);
    ok = base64_decode_update(&ctx, &len, bytes, n, payload) &&
         base64_decode_final(&ctx);
  } else
    len = percent_decode(payload, n, (char *)bytes);
  if (!ok) {
    free(bytes);
    char s[SHOWN_MAX + 4];
    quire_loc loc = {.file = r->name, .line = line};
    r->svc->warn(r->env, &loc, "image '%s' is not valid base64; its url is "
                               "kept", shown(ref, s, sizeof s));
    return QUIRE_OK;
  }
  char ext_buf[16], name[48];
  snprintf(name, sizeof name, "data-%u.%s", ++r->data_n,
           extension_of(type, ext_buf, sizeof ext_buf));
  int rc = keep(r, name, declared ? declared : type, (const char *)bytes, len,
                "data:", line, url);
  free(bytes);
  return rc;
}

/* ---- Local files --------------------------------------------------------- */

/* Reads the regular file at real path `real` into *data, unless it was
 * read already: then *known is its resource's name and *data NULL.  NULL,
 * or an explanation of why it may not be read. */
static const char *read_file(const html_res *r, const char *real,
                             struct stat *st, char **data, size_t *len,
                             const char **known) {
  static const char *const why_unreadable = "it cannot be read";
  int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
                          O_NOCTTY);
  if (fd < 0)
    return errno == ELOOP ? "it became a symbolic link while being read"
                          : why_unreadable;
  const char *why = NULL;
  char link[PATH_MAX + 1], proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  ssize_t ln = readlink(proc, link, sizeof link - 1);
  if (fstat(fd, st) != 0)
    why = why_unreadable;
  else if (!S_ISREG(st->st_mode))
    why = "it is not a regular file";
  else if ((uint64_t)st->st_size > r->max_size)
    why = "it is larger than the limit max-input-size";
  else if (ln >= 0 && ((link[ln] = '\0'), strcmp(link, real) != 0))
    why = "its folder changed while it was being read";
  *data = NULL;
  *known = why ? NULL : seen_find(r, st);
  if (*known) {
    close(fd);
    return NULL;
  }
  size_t cap = why ? 0 : (size_t)st->st_size + 1, n = 0;
  if (!why && !(*data = malloc(cap)))
    why = "out of memory";
  while (!why) {
    ssize_t got = read(fd, *data + n, cap - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      why = why_unreadable;
    else if (got == 0)
      break;
    else if ((n += (size_t)got) == cap)
      why = "it grew while it was being read";
  }
  close(fd);
  if (why) {
    free(*data);
    *data = NULL;
    return why;
  }
  *len = n;
  return NULL;
}

/* rel (decoded, relative) looked up under each root in turn. */
static int local_file(html_res *r, const char *ref, const char *rel,
                      const char *declared, unsigned long line,
                      const char **url) {
  int outside = 0;
  for (size_t i = 0; i < r->n_roots; i++) {
    size_t n = r->roots[i].len + 1 + strlen(rel) + 1;
    char *path = malloc(n);
    if (!path)
      return oom(r);
    snprintf(path, n, "%s/%s", r->roots[i].real, rel);
    char *real = realpath(path, NULL);
    free(path);
    if (!real) {
      if (errno == ENOMEM)
        return oom(r);
      continue;
    }
    long at = root_of(r, real, i);
    if (at < 0) {
      outside = 1;
      free(real);
      continue;
    }
    struct stat st;
    char *data;
    size_t len = 0;
    const char *known;
    const char *why = read_file(r, real, &st, &data, &len, &known);
    if (why) {
      free(real);
      if (strcmp(why, "out of memory") == 0)
        return oom(r);
      refuse(r, line, ref, why);
      return QUIRE_OK;
    }
    int rc = QUIRE_OK;
    if (known)
      *url = known;
    else {
      const root *t = &r->roots[at];
      rc = keep(r, real + (t->len == 1 ? 1 : t->len + 1), declared, data, len,
                ref, line, url);
      if (rc == QUIRE_OK && seen_add(r, &st, *url) != 0)
        rc = oom(r);
    }
    free(data);
    free(real);
    return rc;
  }
  if (outside)
    refuse(r, line, ref, "it leads out of the page's folder and every "
                         "--resource-path folder");
  else {
    char s[SHOWN_MAX + 4];
    quire_loc loc = {.file = r->name, .line = line};
    r->svc->warn(r->env, &loc, "image '%s' not found in the page's folder%s; "
                               "its url is kept",
                 shown(ref, s, sizeof s),
                 r->n_paths ? " or the --resource-path folders" : "");
  }
  return QUIRE_OK;
}

/* The scheme of a URL ("http" for "http://..."), its length in *n; NULL
 * for a relative reference. */
static const char *scheme_of(const char *ref, size_t *n) {
  size_t i = 0;
  if (!((ref[0] | 0x20) >= 'a' && (ref[0] | 0x20) <= 'z'))
    return NULL;
  while (ref[i] && (((ref[i] | 0x20) >= 'a' && (ref[i] | 0x20) <= 'z') ||
                    (ref[i] >= '0' && ref[i] <= '9') || ref[i] == '+' ||
                    ref[i] == '-' || ref[i] == '.'))
    i++;
  if (ref[i] != ':' || i < 2)   /* "c:\x" is a Windows path, not a URL */
    return NULL;
  *n = i;
  return ref;
}

static int is_scheme(const char *s, size_t n, const char *name) {
  return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

int html_res_image(html_res *r, const char *ref_in, const char *declared,
                   unsigned long line, const char **url) {
  *url = NULL;
  while (*ref_in == ' ' || *ref_in == '\t' || *ref_in == '\n' ||
         *ref_in == '\r' || *ref_in == '\f')
    ref_in++;
  size_t n = strlen(ref_in);
  while (n && strchr(" \t\n\r\f", ref_in[n - 1]))
    n--;
  if (!n || ref_in[0] == '#')
    return QUIRE_OK;
  char *ref = strndup(ref_in, n);
  if (!ref)
    return oom(r);
  int rc = QUIRE_OK;
  size_t scheme_len;
  const char *scheme = scheme_of(ref, &scheme_len);
  if (declared && !*declared)
    declared = NULL;
  if (scheme && is_scheme(scheme, scheme_len, "data"))
    rc = data_uri(r, ref, line, declared, url);
  else if ((scheme && (is_scheme(scheme, scheme_len, "http") ||
                       is_scheme(scheme, scheme_len, "https") ||
                       is_scheme(scheme, scheme_len, "ftp"))) ||
           strncmp(ref, "//", 2) == 0)
    r->remote++;
  else if (scheme && is_scheme(scheme, scheme_len, "file"))
    refuse(r, line, ref, "file: URLs are never read");
  else if (scheme)
    ;   /* cid:, about: ... name no file */
  else if (r->contained)
    r->rootless++;   /* the book or archive resolves it */
  else if (r->sandbox)
    refuse(r, line, ref, "--sandbox reads no file but the inputs");
  else if (ref[0] == '/')
    refuse(r, line, ref, "an absolute path; images are read only from the "
                         "page's folder and the --resource-path folders");
  else if (!r->n_roots)
    r->rootless++;
  else {
    /* The query and fragment name no part of the file. */
    size_t path_len = strcspn(ref, "?#");
    char *rel = malloc(path_len + 1);
    if (!rel)
      rc = oom(r);
    else {
      size_t m = percent_decode(ref, path_len, rel);
      rel[m] = '\0';
      if (memchr(rel, '\0', m) || !m)
        refuse(r, line, ref, "its path holds a NUL character or nothing");
      else if (rel[0] == '/')
        refuse(r, line, ref, "an absolute path; images are read only from "
                             "the page's folder and the --resource-path "
                             "folders");
      else
        rc = local_file(r, ref, rel, declared, line, url);
      free(rel);
    }
  }
  free(ref);
  return rc;
}
