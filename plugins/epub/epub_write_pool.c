/* epub_write_pool.c - strings and a string map that only grow, and the
 * growable arrays and buffer the writer's files share.
 *
 * The writer keeps a few strings per file (titles, TOC entries, media
 * names) until the book is closed.  Keeping them back to back in one
 * buffer, named by offset, costs one doubling allocation instead of one
 * malloc each; the map (open addressing, FNV-1a) finds repeated authors,
 * ids and media in constant time however many files there are. */
#include <stdlib.h>
#include <string.h>

#include "epub_write.h"

void *epub_room(void *arr, size_t *cap, size_t n, size_t sz) {
  if (n < *cap)
    return arr;
  size_t c = *cap ? *cap * 2 : 64;
  void *q = realloc(arr, c * sz);
  if (q)
    *cap = c;
  return q;
}

int epub_buf_add(epub_buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->s, cap);
    if (!grown)
      return QUIRE_ERR;
    b->s = grown;
    b->cap = cap;
  }
  if (n)
    memcpy(b->s + b->len, s, n);
  b->s[b->len += n] = '\0';
  return QUIRE_OK;
}

int epub_pool_add(epub_pool *p, const char *s, size_t n, size_t *at) {
  if (p->len + n + 1 > p->cap) {
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < p->len + n + 1)
      cap *= 2;
    char *b = realloc(p->buf, cap);
    if (!b)
      return QUIRE_ERR;
    p->buf = b;
    p->cap = cap;
  }
  if (n)
    memcpy(p->buf + p->len, s, n);
  p->buf[p->len + n] = '\0';
  *at = p->len;
  p->len += n + 1;
  return QUIRE_OK;
}

static size_t hash(const char *s) {
  size_t h = (size_t)14695981039346656037ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return h;
}

/* The slot of key, or the empty slot where it would go. */
static size_t slot(const epub_map *m, const epub_pool *p, const char *key) {
  size_t i = hash(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(p->buf + m->keys[i] - 1, key) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

long long epub_map_get(const epub_map *m, const epub_pool *p,
                       const char *key) {
  if (!m->cap)
    return -1;
  size_t i = slot(m, p, key);
  return m->keys[i] ? (long long)m->values[i] : -1;
}

/* Doubles the table, keeping it at most half full. */
static int grow(epub_map *m, const epub_pool *p) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  epub_map bigger = {calloc(cap, sizeof(size_t)), calloc(cap, sizeof(size_t)),
                     cap, m->count};
  if (!bigger.keys || !bigger.values) {
    free(bigger.keys);
    free(bigger.values);
    return QUIRE_ERR;
  }
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i]) {
      size_t j = slot(&bigger, p, p->buf + m->keys[i] - 1);
      bigger.keys[j] = m->keys[i];
      bigger.values[j] = m->values[i];
    }
  free(m->keys);
  free(m->values);
  *m = bigger;
  return QUIRE_OK;
}

int epub_map_put(epub_map *m, epub_pool *p, const char *key, size_t value,
                 size_t *key_at) {
  if ((m->count + 1) * 2 > m->cap && grow(m, p) != QUIRE_OK)
    return QUIRE_ERR;
  size_t at;
  /* key may point into the pool, which epub_pool_add may move. */
  size_t n = strlen(key);
  char *copy = malloc(n + 1);
  if (!copy)
    return QUIRE_ERR;
  memcpy(copy, key, n + 1);
  int rc = epub_pool_add(p, copy, n, &at);
  if (rc == QUIRE_OK) {
    size_t i = slot(m, p, copy);
    m->keys[i] = at + 1;
    m->values[i] = value;
    m->count++;
    if (key_at)
      *key_at = at;
  }
  free(copy);
  return rc;
}

void epub_map_clear(epub_map *m) {
  if (m->cap)
    memset(m->keys, 0, m->cap * sizeof *m->keys);
  m->count = 0;
}

void epub_map_free(epub_map *m) {
  free(m->keys);
  free(m->values);
  m->keys = m->values = NULL;
  m->cap = m->count = 0;
}
