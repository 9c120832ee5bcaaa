/* epub_write_media.c - the resources the documents use, in the book once
 * each.
 *
 * An image shows a resource of its document when its URL is the
 * resource's name (model.h).  Every such resource, and the cover, goes
 * into the book as EPUB/media/N-NAME: N counts the book's media files, so
 * two documents' "images/fig1.png" do not meet, and NAME is the resource's
 * own file name with anything but letters, digits, '.', '-' and '_' made
 * '_', so that the href needs no escaping.  Resources with the same bytes
 * (SHA-256, nettle) are one file, however many documents and names show
 * them.  Bytes are read with svc->res_read through a 64 KB buffer, twice
 * (once for the digest, once into the spool), so a book of large images
 * never holds one in memory.  JPEG, PNG, GIF, WebP, WOFF and audio are
 * stored as they are; the rest (SVG, CSS, fonts) deflated.
 *
 * Images must be of the EPUB 3.3 core media types (EPUB 2's: not WebP)
 * to be shown without a fallback; a resource of another type keeps the image's alt text
 * (epub_write_copy.c counts them). */
#include <stdio.h>
#include <string.h>

#include "epub_write.h"

static const char *const image_types[] = {"image/gif", "image/jpeg",
                                          "image/png", "image/svg+xml",
                                          "image/webp"};

int epub_media_is_image(const char *type) {
  for (size_t i = 0; type && i < sizeof image_types / sizeof *image_types;
       i++)
    if (strcmp(type, image_types[i]) == 0)
      return 1;
  return 0;
}

/* An image the book shows: EPUB 2's core types are JPEG, PNG, GIF and
 * SVG, without WebP. */
static int book_shows(const epub_media_set *m, const char *type) {
  return epub_media_is_image(type) &&
         !(m->epub2 && strcmp(type, "image/webp") == 0);
}

/* Compressed formats gain nothing from deflate. */
static int store_as_is(const char *type) {
  static const char *const stored[] = {
      "image/gif", "image/jpeg", "image/png", "image/webp", "font/woff",
      "font/woff2", "application/font-woff", "audio/", "video/"};
  for (size_t i = 0; i < sizeof stored / sizeof *stored; i++) {
    size_t n = strlen(stored[i]);
    if (strncmp(type, stored[i], n) == 0 &&
        (stored[i][n - 1] == '/' || type[n] == '\0'))
      return 1;
  }
  return 0;
}

static int read_failed(quire_env *env, const quire_resource *r) {
  env->svc->error(env, NULL, "cannot read the resource %s: its temporary "
                             "file is unreadable", r->name);
  return QUIRE_FATAL;
}

/* The digest of r's bytes, as 64 hex digits. */
static int digest_of(quire_env *env, epub_media_set *m,
                     const quire_resource *r, char hex[65],
                     unsigned char digest[32]) {
  struct sha256_ctx sha;
  sha256_init(&sha);
  unsigned long long at = 0;
  long got;
  while ((got = env->svc->res_read(r, at, m->chunk, sizeof m->chunk)) > 0) {
    sha256_update(&sha, (size_t)got, m->chunk);
    at += (unsigned long long)got;
  }
  if (got < 0)
    return read_failed(env, r);
  sha256_digest(&sha, SHA256_DIGEST_SIZE, digest);
  for (int i = 0; i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return QUIRE_OK;
}

/* "media/N-NAME" for the N-th media file, from the resource's name. */
static int media_href(epub_pool *pool, size_t n, const char *name,
                      const char *type, size_t *at) {
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  char href[128];
  int k = snprintf(href, sizeof href, "media/%zu-", n);
  size_t len = strlen(base);
  /* Long names keep their end, where the extension is. */
  if (len > 64)
    base += len - 64;
  for (const char *p = base; *p && (size_t)k < sizeof href - 8; p++) {
    unsigned char c = (unsigned char)*p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '-' || c == '_' ||
             (c == '.' && p != base);
    href[k++] = ok ? (char)c : '_';
  }
  href[k] = '\0';
  /* Reading systems that go by the extension find the one the bytes have. */
  static const char *const ext[][2] = {
      {"image/jpeg", ".jpg"}, {"image/png", ".png"}, {"image/gif", ".gif"},
      {"image/svg+xml", ".svg"}, {"image/webp", ".webp"}};
  const char *dot = strrchr(href, '.');
  for (size_t i = 0; !dot && i < sizeof ext / sizeof *ext; i++)
    if (strcmp(type, ext[i][0]) == 0)
      strcat(href, ext[i][1]);
  return epub_pool_add(pool, href, strlen(href), at);
}

/* Copies r's bytes into the spool as a new entry. */
static int spool_resource(quire_env *env, epub_media_set *m,
                          epub_deflater *dz, const quire_resource *r,
                          int store, epub_span *span) {
  if ((store ? epub_store_begin(dz) : epub_deflate_begin(dz)) != QUIRE_OK)
    goto disk;
  unsigned long long at = 0;
  long got;
  while ((got = env->svc->res_read(r, at, m->chunk, sizeof m->chunk)) > 0) {
    if (epub_deflate_write(dz, m->chunk, (size_t)got) != QUIRE_OK)
      goto disk;
    at += (unsigned long long)got;
  }
  if (got < 0)
    return read_failed(env, r);
  if (epub_deflate_end(dz, span) == QUIRE_OK)
    return QUIRE_OK;
disk:
  env->svc->error(env, NULL, "cannot write the temporary file of the book");
  return QUIRE_FATAL;
}

/* The book's copy of r: found by its bytes, or added.  *index gets it. */
static int media_add(quire_env *env, epub_media_set *m, epub_pool *pool,
                     epub_deflater *dz, struct sha256_ctx *book_sha,
                     const quire_resource *r, size_t *index) {
  char hex[65];
  unsigned char digest[32];
  int rc = digest_of(env, m, r, hex, digest);
  if (rc != QUIRE_OK)
    return rc;
  long long known = epub_map_get(&m->by_digest, pool, hex);
  if (known >= 0) {
    *index = (size_t)known;
    return QUIRE_OK;
  }
  epub_media *items = epub_room(m->items, &m->cap, m->n, sizeof *items);
  if (!items)
    goto oom;
  m->items = items;
  const char *type = r->media_type && r->media_type[0]
                         ? r->media_type : "application/octet-stream";
  epub_media *e = &items[m->n];
  *e = (epub_media){0};
  if (media_href(pool, m->n + 1, r->name, type, &e->href) ||
      epub_pool_add(pool, type, strlen(type), &e->media_type))
    goto oom;
  rc = spool_resource(env, m, dz, r, store_as_is(type), &e->span);
  if (rc != QUIRE_OK)
    return rc;
  if (epub_map_put(&m->by_digest, pool, hex, m->n, NULL))
    goto oom;
  sha256_update(book_sha, sizeof digest, digest);
  *index = m->n++;
  return QUIRE_OK;
oom:
  env->svc->error(env, NULL, "out of memory");
  return QUIRE_FATAL;
}

/* Notes that the document's resource `name` is the book's media `value`
 * (index + 1, 0: not shown). */
static int name_put(epub_media_set *m, const char *name, size_t value) {
  return epub_map_put(&m->by_name, &m->names, name, value, NULL);
}

long long epub_media_find(const epub_media_set *m, const char *name) {
  return name ? epub_map_get(&m->by_name, &m->names, name) : -1;
}

int epub_media_of_doc(quire_env *env, epub_media_set *m, epub_pool *pool,
                      epub_deflater *dz, struct sha256_ctx *sha,
                      const quire_doc *doc, int want_cover) {
  const quire_services *svc = env->svc;
  epub_map_clear(&m->by_name);
  m->names.len = 0;
  if (!doc->resources)
    return QUIRE_OK;
  if (want_cover && m->cover < 0)
    for (const quire_resource *r = doc->resources; r; r = r->next) {
      if (!(r->flags & QUIRE_RES_COVER) || !book_shows(m, r->media_type))
        continue;
      size_t i;
      int rc = media_add(env, m, pool, dz, sha, r, &i);
      if (rc != QUIRE_OK)
        return rc;
      m->items[i].flags |= EPUB_MEDIA_COVER;
      m->cover = (long long)i;
      break;
    }
  quire_iter it;
  svc->iter_init(&it, doc->root);
  while (svc->iter_next(&it) != QUIRE_EV_DONE) {
    const quire_node *n = it.node;
    if (it.event != QUIRE_EV_ENTER || n->type != QUIRE_NODE_IMAGE ||
        !n->url || epub_media_find(m, n->url) >= 0)
      continue;
    const quire_resource *r = svc->res_find(doc, n->url);
    if (!r)
      continue;
    size_t i = 0;
    if (book_shows(m, r->media_type)) {
      int rc = media_add(env, m, pool, dz, sha, r, &i);
      if (rc != QUIRE_OK)
        return rc;
      m->items[i].flags |= EPUB_MEDIA_SHOWN;
      i++;
    }
    if (name_put(m, n->url, i)) {
      svc->error(env, NULL, "out of memory");
      return QUIRE_FATAL;
    }
  }
  return QUIRE_OK;
}

void epub_media_free(epub_media_set *m) {
  free(m->items);
  epub_map_free(&m->by_digest);
  epub_map_free(&m->by_name);
  free(m->names.buf);
  m->items = NULL;
  m->n = m->cap = 0;
  m->names = (epub_pool){0};
}
