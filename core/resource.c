/* resource.c - the files a document uses: images, fonts, stylesheets.
 *
 * A document keeps up to RES_MEMORY bytes of resources in its arena; the
 * bytes of any resource beyond that go to an unlinked temporary file, so a
 * book of hundreds of megabytes of images does not sit in memory and
 * leaves nothing behind however the process ends. */
#define _GNU_SOURCE
#include <quire/quire.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "doc_impl.h"
#include "temp_file.h"

#define RES_MEMORY (8u << 20)

typedef struct res_impl {
  quire_resource pub;          /* first: a quire_resource * is a res_impl * */
  const unsigned char *data;   /* in the arena, or NULL */
  int fd;                      /* the temporary file, or -1 */
} res_impl;

static void close_fd(void *data) {
  res_impl *r = data;
  if (r->fd >= 0)
    close(r->fd);
  r->fd = -1;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* A name is relative, has no "..", "." or empty segment and no NUL. */
static int name_ok(const char *name) {
  if (!name || !*name || *name == '/')
    return 0;
  for (const char *seg = name; *seg;) {
    const char *end = strchr(seg, '/');
    size_t n = end ? (size_t)(end - seg) : strlen(seg);
    if (n == 0 || (n == 1 && seg[0] == '.') ||
        (n == 2 && seg[0] == '.' && seg[1] == '.'))
      return 0;
    seg += n + (end != NULL);
    if (end && !*seg)
      return 0;
  }
  return 1;
}

/* Same family of types: a declared image/jpg is image/jpeg's old name, and
 * SVG declared as XML is still SVG. */
static int same_type(const char *declared, const char *seen) {
  if (strcasecmp(declared, seen) == 0)
    return 1;
  if (strcmp(seen, "image/jpeg") == 0 &&
      (strcasecmp(declared, "image/jpg") == 0 ||
       strcasecmp(declared, "image/pjpeg") == 0))
    return 1;
  if (strcmp(seen, "image/svg+xml") == 0 &&
      (strcasecmp(declared, "application/xml") == 0 ||
       strcasecmp(declared, "text/xml") == 0))
    return 1;
  /* Fonts have had many names. */
  if (strncmp(seen, "font/", 5) == 0 &&
      (strncasecmp(declared, "application/font", 16) == 0 ||
       strncasecmp(declared, "application/x-font", 18) == 0 ||
       strcasecmp(declared, "application/vnd.ms-opentype") == 0 ||
       strncasecmp(declared, "font/", 5) == 0))
    return 1;
  return 0;
}

const quire_resource *quire_res_find(const quire_doc *doc, const char *name) {
  if (!doc || !name)
    return NULL;
  for (const quire_resource *r = doc->resources; r; r = r->next)
    if (strcmp(r->name, name) == 0)
      return r;
  return NULL;
}

int quire_res_add(quire_doc *doc, const char *name, const char *media_type,
                  unsigned flags, const void *data, size_t len,
                  const quire_resource **out) {
  if (out)
    *out = NULL;
  if (!name_ok(name) || (!data && len))
    return QUIRE_ERR;
  const quire_resource *old = quire_res_find(doc, name);
  if (old) {
    if (out)
      *out = old;
    return QUIRE_OK;
  }
  doc_impl *d = (doc_impl *)doc;
  res_impl *r = quire_doc_alloc(doc, sizeof *r);
  if (!r)
    return QUIRE_ERR;
  r->fd = -1;
  r->pub.name = quire_doc_strndup(doc, name, strlen(name));
  if (!r->pub.name)
    return QUIRE_ERR;
  int rc = QUIRE_OK;
  const char *seen = quire_media_type_of(data, len, NULL);
  const char *type = seen;
  if (!type)
    type = (media_type && *media_type) ? media_type : NULL;
  if (!type)
    type = quire_media_type_of(NULL, 0, name);
  if (!type)
    type = "application/octet-stream";
  if (seen && media_type && *media_type && !same_type(media_type, seen))
    rc = QUIRE_WARN;
  r->pub.media_type = quire_doc_strndup(doc, type, strlen(type));
  if (!r->pub.media_type)
    return QUIRE_ERR;
  r->pub.size = len;
  r->pub.flags = flags;
  if (d->res_memory + len <= RES_MEMORY) {
    unsigned char *copy = quire_doc_alloc(doc, len ? len : 1);
    if (!copy)
      return QUIRE_ERR;
    if (len)
      memcpy(copy, data, len);
    r->data = copy;
    d->res_memory += len;
  } else {
    r->fd = temp_file_fd();
    if (r->fd < 0)
      return QUIRE_ERR;
    if (arena_on_free(doc->arena, close_fd, r) != 0) {
      close(r->fd);
      return QUIRE_ERR;
    }
    if (write_all(r->fd, data, len) != 0)
      return QUIRE_ERR;   /* the hook closes it with the document */
  }
  if (d->res_tail)
    d->res_tail->next = &r->pub;
  else
    doc->resources = &r->pub;
  d->res_tail = &r->pub;
  if (out)
    *out = &r->pub;
  return rc;
}

long quire_res_read(const quire_resource *res, unsigned long long offset,
                    void *buf, size_t n) {
  const res_impl *r = (const res_impl *)res;
  if (offset >= res->size)
    return 0;
  if (n > res->size - offset)
    n = (size_t)(res->size - offset);
  if (n > (size_t)LONG_MAX)
    n = (size_t)LONG_MAX;
  if (r->data) {
    memcpy(buf, r->data + offset, n);
    return (long)n;
  }
  for (;;) {
    ssize_t got = pread(r->fd, buf, n, (off_t)offset);
    if (got < 0 && errno == EINTR)
      continue;
    return got < 0 ? -1 : (long)got;
  }
}

void resource_adopt(quire_doc *dst, quire_doc *src) {
  doc_impl *d = (doc_impl *)dst, *s = (doc_impl *)src;
  if (!src->resources)
    return;
  if (d->res_tail)
    d->res_tail->next = src->resources;
  else
    dst->resources = src->resources;
  d->res_tail = s->res_tail;
  d->res_memory += s->res_memory;
  src->resources = NULL;
  s->res_tail = NULL;
}
